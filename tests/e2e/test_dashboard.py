"""The shipped Grafana dashboard queries only metrics the filter emits, and
every one of those shows up in a real Envoy's /stats/prometheus."""
import json
import re
import time

from harness import ROOT, chat, request

DASHBOARD = ROOT / "dashboards" / "llm-policy.grafana.json"


def queried_metrics():
    dash = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    assert exprs, "the dashboard has queries"
    names = set()
    for e in exprs:
        names.update(re.findall(r"\b(llm_policy_[a-z_]+?)(?:_bucket)?\b(?=[{\s)\[])", e))
    return names


def test_every_dashboard_metric_is_emitted(make_envoy, pods):
    proxy = make_envoy({
        "version": 1, "subject": {"sources": [{"header": "x-user-id"}]},
        "ab": {"experiments": [{"id": "e", "arms": [{"name": "a", "weight": 50}, {"name": "b", "weight": 50}]}]},
        "canary": {"weight_percent": 50},
        "screening": {"detectors": {"email": {"action": "redact"}},
                      "categories": {"banned": {"action": "block"}}},
        "routes": [{"name": "r", "match": {"prefix": "/v1/"},
                    "circuit": {"per": "rule", "consecutive_failures": 1, "open_s": 30}}]})
    for i in range(6):
        request(proxy.url, "POST", "/v1/chat/completions",
                chat("x", stream=True, stream_options={"include_usage": True}), {"x-user-id": f"u{i}"})
    request(proxy.url, "POST", "/v1/chat/completions", chat("mail a@example.org"), {"x-user-id": "u1"})
    request(proxy.url, "POST", "/v1/chat/completions", b"{", {"x-mock-status": "503"})
    request(proxy.url, "POST", "/v1/chat/completions", chat("x"), {"x-mock-status": "503"})
    request(proxy.url, "POST", "/v1/chat/completions", chat("x"))
    assert len(queried_metrics()) >= 9
    time.sleep(1.2)  # canary gauges are set on the root context's tick
    text = proxy.prometheus()
    missing = [m for m in sorted(queried_metrics())
               if not re.search(rf"^{m}(_bucket)?{{", text, re.M)]
    # The halt counter appears only once a canary halts (test_canary covers it);
    # unscreenable outputs only when a pod sends one (test_screening covers it).
    assert missing == ["llm_policy_canary_halts_total", "llm_policy_screening_unscreenable_total"], missing
