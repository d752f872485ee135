"""Live policy reload in plain Envoy: the filter's configuration comes by ECDS
from a directory updated the way kubelet updates a mounted ConfigMap. A new
policy applies within seconds with zero failed requests under load; an
invalid one is refused (log line and stat) and the last good policy serves on."""
import json
import sys
import threading
import time
from pathlib import Path

from harness import ROOT, WASM, Envoy, KubeletMount, chat, request, wait_until

sys.path.insert(0, str(ROOT / "envoy"))
from render import ecds_resource  # noqa: E402


def policy(revision):
    return json.dumps({"version": 1, "revision": revision,
                       "subject": {"sources": [{"header": "x-user-id"}]}})


class Load:
    """Background clients sending chat requests until stopped; counts outcomes."""

    def __init__(self, url, threads=3):
        self.url, self.stop_flag = url, threading.Event()
        self.statuses, self.revisions, self.errors = [], set(), []
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def run(self, i):
        n = 0
        while not self.stop_flag.is_set():
            n += 1
            try:
                r = request(self.url, "POST", "/v1/chat/completions", chat(f"load {i} {n}"),
                            {"x-user-id": f"u{i}"}, timeout=10)
                self.statuses.append(r.status)
                self.revisions.add((r.header("x-llm-policy") or "").split(";")[0])
            except Exception as e:  # noqa: BLE001 - a failed request is what we count
                self.errors.append(repr(e))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=15)


def revision_of(proxy):
    return request(proxy.url, "GET", "/v1/models").header("x-llm-policy").split(";")[0]


def stat(proxy, name):
    key = f"extension_config_discovery.http_filter.llm-policy.{name}"
    with __import__("urllib.request").request.urlopen(proxy.admin + "/stats?filter=" + key) as r:
        line = r.read().decode().strip()
    return int(line.rsplit(": ", 1)[1]) if line else 0


def test_policy_swaps_live_under_load_and_bad_policies_are_refused(workdir, pods):
    mount = KubeletMount(Path(workdir) / "policy-mount")
    mount.write({"llm-policy.yaml": ecds_resource(policy("rev-a"), WASM, "1")})
    proxy = Envoy(workdir, pods, template="llm-policy-ecds.yaml", concurrency=2,
                  values={"ECDS_DIR": str(mount.path)})
    try:
        assert revision_of(proxy) == "rev=rev-a"
        with Load(proxy.url) as load:
            time.sleep(0.5)
            started = time.monotonic()
            mount.write({"llm-policy.yaml": ecds_resource(policy("rev-b"), WASM, "2")})
            wait_until(lambda: revision_of(proxy) == "rev=rev-b", 10, "rev-b to apply")
            applied_in = time.monotonic() - started
            time.sleep(0.5)
            bad = (ROOT / "policies" / "invalid" / "typo-prefx.json").read_text()
            mount.write({"llm-policy.yaml": ecds_resource(bad, WASM, "3")})
            wait_until(lambda: stat(proxy, "update_rejected") >= 1, 10, "the bad policy to be refused")
            time.sleep(0.5)
        assert applied_in < 5, f"took {applied_in:.1f}s"
        assert not load.errors, load.errors[:3]
        assert load.statuses and set(load.statuses) == {200}, set(load.statuses)
        assert {"rev=rev-a", "rev=rev-b"} <= load.revisions
        assert revision_of(proxy) == "rev=rev-b", "the last good policy keeps serving"
        assert stat(proxy, "config_fail") >= 1
        assert "policy refused: routes[2].match.prefx: unknown field" in proxy.process.log()
        # the stats to alert on (README, "Live policy reload"), and Envoy's fixed wording,
        # logged as critical although the last good policy kept serving
        assert proxy.metric("llm_policy_config_loads_total", outcome="refused") >= 1
        assert "critical" in proxy.process.log() and "failed to load" in proxy.process.log()
        assert len(load.statuses) > 50, "the load really ran"
    finally:
        proxy.stop()
