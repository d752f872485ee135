"""The shipped Grafana dashboard queries only metrics the filter emits, and
every one of those shows up in a real Envoy's /stats/prometheus. The metric
catalogue (`llm-policy metrics`, the families the filter declares once) is
the reference: names, kinds and label names come from it."""
import json
import re
import subprocess
import time

from harness import CLI, ROOT, MockGuards, chat, request

DASHBOARD = ROOT / "dashboards" / "llm-policy.grafana.json"


def queried_metrics():
    dash = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    assert exprs, "the dashboard has queries"
    names = set()
    for e in exprs:
        names.update(re.findall(r"\b(llm_policy_[a-z_]+?)(?:_bucket)?\b(?=[{\s)\[])", e))
    return names


def catalogue():
    out = subprocess.run([str(CLI), "metrics"], capture_output=True, text=True, check=True).stdout
    return {f["name"]: f for f in json.loads(out)}


def test_the_dashboard_uses_catalogue_families_with_their_labels():
    families = catalogue()
    tags = {t["tag_name"] for t in json.loads(
        subprocess.run([str(CLI), "stats-tags"], capture_output=True, text=True, check=True).stdout)}
    assert tags == {label for f in families.values() for label in f["labels"]}, "stats-tags derive from the catalogue"
    assert queried_metrics() <= set(families), sorted(queried_metrics() - set(families))
    dash = json.loads(DASHBOARD.read_text())
    for expr in (t["expr"] for p in dash["panels"] for t in p.get("targets", [])):
        for name, bucket, selector in re.findall(r"\b(llm_policy_[a-z_]+?)(_bucket)?\{([^}]*)\}", expr):
            used = set(re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", selector))
            assert used <= set(families[name]["labels"]), (name, used)
        for by, name, bucket in re.findall(
                r"by \(([^)]*)\)\s*\(\s*(?:(?:rate|increase)\()?(llm_policy_[a-z_]+?)(_bucket)?\b", expr):
            labels = {b.strip() for b in by.split(",")} - ({"le"} if bucket else set())
            assert labels <= set(families[name]["labels"]), (name, labels)
            assert not bucket or families[name]["kind"] == "histogram", name


def test_every_dashboard_metric_is_emitted(make_envoy, pods, workdir):
    guards = MockGuards(workdir, "dashboard-guards")
    try:
        emitted_by_a_proxy(make_envoy, guards)
    finally:
        guards.stop()


def emitted_by_a_proxy(make_envoy, guards):
    guard = {"name": "g", "protocol": "openai_moderation", "cluster": "guard", "failure_mode": "open"}
    proxy = make_envoy({
        "version": 1, "subject": {"sources": [{"header": "x-user-id"}]},
        "ab": {"experiments": [{"id": "e", "arms": [{"name": "a", "weight": 50}, {"name": "b", "weight": 50}]}]},
        "canary": {"weight_percent": 50},
        "screening": {"detectors": {"email": {"action": "redact"}},
                      "categories": {"banned": {"action": "block"}}, "guards": [guard]},
        "routes": [{"name": "r", "match": {"prefix": "/v1/"},
                    "circuit": {"per": "rule", "consecutive_failures": 1, "open_s": 30}}]},
        values={"GUARD_PORT": str(guards.port)})
    for i in range(6):
        request(proxy.url, "POST", "/v1/chat/completions",
                chat("x", stream=True, stream_options={"include_usage": True}), {"x-user-id": f"u{i}"})
    request(proxy.url, "POST", "/v1/chat/completions", chat("mail a@example.org"), {"x-user-id": "u1"})
    # Guards (before the breaker opens): a verdict, a cache hit (the same prompt again) and a failure.
    request(proxy.url, "POST", "/v1/chat/completions", chat("how to kill a process"))
    request(proxy.url, "POST", "/v1/chat/completions", chat("how to kill a process"))
    request(proxy.url, "POST", "/v1/chat/completions", chat("hi [[guard-status:500]]"))
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
    emitted = set(re.findall(r"^(llm_policy_[a-z_]+?)(?:_bucket|_sum|_count)?\{", text, re.M))
    assert emitted and emitted <= set(catalogue()), sorted(emitted - set(catalogue()))
