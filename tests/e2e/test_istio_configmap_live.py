"""The live ConfigMap path for Istio, end to end in a real Envoy.

What runs is what `llm-policy render --kind envoyfilter-ecds` writes: the
rendered ConfigMap's data is projected into a directory the way kubelet
projects a mounted ConfigMap (timestamped directory, `..data` symlink swapped
atomically, the old directory removed, after a sync delay), and the listener's
HTTP filters are the template's with the rendered EnvoyFilter's patch applied
(its `config_discovery` value inserted before the router, as istiod does). The
module comes `remote` with sha256 through the cluster the rendered resource
names, served over HTTP.

Edits are made to the ConfigMap's text, as `kubectl edit configmap` makes
them: a policy edit is served within the (scaled-down) kubelet delay plus a
bound; an invalid policy and a broken YAML are refused with the last good
policy serving and the refusal visible in the log and in the stats."""
import hashlib
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from harness import CLI, ROOT, WASM, Envoy, chat, file_server, request, wait_until

sys.path.insert(0, str(ROOT / "envoy"))
from render import render, to_yaml  # noqa: E402

POLICY = ROOT / "policies" / "default.json"
# Kubelet projects a ConfigMap edit on its next pod sync: up to the sync period
# (default 1 min) plus the cache delay. Scaled down here; what Envoy adds after
# the swap is not: the watch fires at once, then every VM (main thread and each
# worker) compiles the new policy (about 0.5 s each for the default policy on
# this shared 2-core machine).
KUBELET_DELAY_S = 2.0
ECDS_APPLY_BOUND_S = 5.0


class KubeletProjection:
    """A ConfigMap volume as kubelet maintains it: `edit()` changes the
    ConfigMap; `delay` seconds later its data is written to a new timestamped
    directory, `..data` is swapped to it atomically, missing file symlinks are
    created and the previous directory is removed (kubelet's AtomicWriter)."""

    def __init__(self, path, data, delay):
        self.path, self.delay, self.generation = Path(path), delay, 0
        self.path.mkdir(parents=True)
        self.swapped_at = None
        self._project(data)

    def _project(self, data):
        self.generation += 1
        stamp = time.strftime("%Y_%m_%d_%H_%M_%S", time.gmtime())
        target = self.path / f"..{stamp}.{self.generation:09d}"
        target.mkdir()
        for name, text in data.items():
            (target / name).write_text(text)
        link = self.path / "..data"
        old = link.resolve() if link.is_symlink() else None
        tmp = self.path / "..data_tmp"
        tmp.symlink_to(target.name)
        tmp.replace(link)
        self.swapped_at = time.monotonic()
        for name in data:
            visible = self.path / name
            if not visible.is_symlink():
                visible.symlink_to(f"..data/{name}")
        if old is not None:
            shutil.rmtree(old)

    def edit(self, data):
        """Like `kubectl edit configmap`: returns at once; the mount changes later."""
        timer = threading.Timer(self.delay, self._project, args=(data,))
        timer.start()
        return timer


@pytest.fixture(scope="module")
def wasm_server(workdir):
    """A plain HTTP server for dist/ (the module host behind `remote`)."""
    port, proc = file_server(workdir, WASM.parent, "live-wasm-server")
    yield port, proc
    proc.stop()


def render_live(policy_file, mount, port):
    """The CLI's ConfigMap and EnvoyFilter for the live path."""
    out = subprocess.run(
        [str(CLI), "render", "--policy", str(policy_file), "--kind", "envoyfilter-ecds",
         "--name", "llm-policy", "--namespace", "llm-serving", "--mount", str(mount),
         "--url", f"http://127.0.0.1:{port}/{WASM.name}",
         "--sha256", hashlib.sha256(WASM.read_bytes()).hexdigest()],
        capture_output=True, text=True, check=True)
    configmap, envoy_filter = yaml.safe_load_all(out.stdout)
    assert configmap["kind"] == "ConfigMap" and envoy_filter["kind"] == "EnvoyFilter"
    return configmap, envoy_filter


def bootstrap(workdir, pods, envoy_filter, resource, port):
    """envoy/llm-policy-ecds.yaml with its llm-policy filter replaced by the
    EnvoyFilter's patch (INSERT_BEFORE the matched sub-filter) and the cluster
    the resource fetches the module through. Returns a template path for Envoy."""
    base = yaml.safe_load(render(ROOT / "envoy" / "llm-policy-ecds.yaml", {
        "LISTEN_PORT": "0", "ADMIN_PORT": "0", "STABLE_PORT": str(pods["stable"].port),
        "CANARY_PORT": str(pods["canary"].port), "FALLBACK_PORT": str(pods["fallback"].port)}))
    hcm = base["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]
    patch = envoy_filter["spec"]["configPatches"][0]
    assert patch["applyTo"] == "HTTP_FILTER" and patch["patch"]["operation"] == "INSERT_BEFORE"
    assert hcm["name"] == patch["match"]["listener"]["filterChain"]["filter"]["name"]
    filters = [f for f in hcm["typed_config"]["http_filters"] if f["name"] != "llm-policy"]
    before = patch["match"]["listener"]["filterChain"]["filter"]["subFilter"]["name"]
    at = next(i for i, f in enumerate(filters) if f["name"] == before)
    filters.insert(at, patch["patch"]["value"])
    hcm["typed_config"]["http_filters"] = filters
    remote = resource["resources"][0]["typed_config"]["config"]["vm_config"]["code"]["remote"]
    cluster = remote["http_uri"]["cluster"]
    base["static_resources"]["clusters"].append({
        "name": cluster, "type": "STATIC", "connect_timeout": "2s",
        "load_assignment": {"cluster_name": cluster, "endpoints": [{"lb_endpoints": [{"endpoint": {
            "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}}}}]}]}})
    path = Path(workdir) / "istio-live-bootstrap.yaml"
    path.write_text(yaml.safe_dump(base, sort_keys=False).replace("$", "$$"))
    return path


def revision_of(proxy):
    return request(proxy.url, "GET", "/v1/models").header("x-llm-policy").split(";")[0]


def ecds_stat(proxy, name):
    key = f"extension_config_discovery.http_filter.llm-policy.{name}"
    with urllib.request.urlopen(proxy.admin + "/stats?filter=" + key, timeout=5) as r:
        line = r.read().decode().strip()
    return int(line.rsplit(": ", 1)[1]) if line else 0


def edited(configmap, policy_text):
    """The ConfigMap's data after a `kubectl edit` of the policy inside it."""
    resource = yaml.safe_load(configmap["data"]["llm-policy.yaml"])
    resource["resources"][0]["typed_config"]["config"]["configuration"]["value"] = policy_text
    return {"llm-policy.yaml": to_yaml(resource)}


def test_kubectl_edit_of_the_configmap_reaches_envoy_and_bad_edits_are_refused(
        workdir, pods, wasm_server):
    port, server = wasm_server
    text = POLICY.read_text()
    first = Path(workdir) / "live-a.json"
    first.write_text(text.replace('"revision": "default-4"', '"revision": "live-a"'))
    mount = Path(workdir) / "istio-live-mount"
    configmap, envoy_filter = render_live(first, mount, port)
    resource = yaml.safe_load(configmap["data"]["llm-policy.yaml"])
    kubelet = KubeletProjection(mount, configmap["data"], KUBELET_DELAY_S)
    proxy = Envoy(workdir, pods, template=str(bootstrap(workdir, pods, envoy_filter, resource, port)))
    try:
        assert revision_of(proxy) == "rev=live-a"
        assert f"GET /{WASM.name}" in server.log(), "the module came remote, pinned by sha256"

        # a policy edit: served after kubelet's swap plus the ECDS watch
        edited_at = time.monotonic()
        kubelet.edit(edited(configmap, text.replace('"revision": "default-4"',
                                                    '"revision": "live-b"')))
        wait_until(lambda: revision_of(proxy) == "rev=live-b", KUBELET_DELAY_S + 10, "live-b")
        served_at = time.monotonic()
        after_swap, total = served_at - kubelet.swapped_at, served_at - edited_at
        print(f"\nlive path: edit served {total:.2f}s after the edit, "
              f"{after_swap:.2f}s after kubelet's swap (delay {KUBELET_DELAY_S}s)")
        assert after_swap < ECDS_APPLY_BOUND_S, f"{after_swap:.2f}s after the swap"
        assert total < KUBELET_DELAY_S + ECDS_APPLY_BOUND_S
        assert ecds_stat(proxy, "config_reload") >= 2
        assert len(list(mount.glob("..20*"))) == 1, "kubelet removed the old directory"

        # an invalid policy: refused, the last good policy serves, the refusal is visible
        bad = (ROOT / "policies" / "invalid" / "typo-prefx.json").read_text()
        kubelet.edit(edited(configmap, bad)).join()
        wait_until(lambda: ecds_stat(proxy, "config_fail") >= 1, 10, "the bad policy refused")
        assert revision_of(proxy) == "rev=live-b", "the last good policy keeps serving"
        r = request(proxy.url, "POST", "/v1/chat/completions", chat("still screened"))
        assert r.status == 200 and r.header("x-llm-policy").startswith("rev=live-b")
        assert "policy refused: routes[2].match.prefx: unknown field" in proxy.process.log()
        assert ecds_stat(proxy, "update_rejected") >= 1
        assert proxy.metric("llm_policy_config_loads_total", outcome="refused") >= 1

        # a ConfigMap edit that breaks the YAML: Envoy cannot read it and keeps the filter
        kubelet.edit({"llm-policy.yaml": "resources: [\n"}).join()
        wait_until(lambda: ecds_stat(proxy, "update_failure") >= 1, 10, "broken YAML refused")
        assert revision_of(proxy) == "rev=live-b"
        assert "Filesystem config update failure" in proxy.process.log()

        # fixing it applies again
        kubelet.edit(edited(configmap, text.replace('"revision": "default-4"',
                                                    '"revision": "live-c"'))).join()
        wait_until(lambda: revision_of(proxy) == "rev=live-c", 10, "live-c")
    finally:
        proxy.stop()




def test_a_proxy_starting_on_a_bad_configmap_fails_closed_until_it_is_fixed(
        workdir, pods, wasm_server):
    """A pod that starts on a ConfigMap the filter refuses has no last good policy:
    the first load happens while the module is fetched, so Envoy takes the
    resource and the plugin then fails to start; with FAIL_CLOSE (the default)
    requests get 503 and never reach the pod. The fixed ConfigMap applies live."""
    port, _ = wasm_server
    mount = Path(workdir) / "istio-live-mount-bad-start"
    configmap, envoy_filter = render_live(POLICY, mount, port)
    resource = yaml.safe_load(configmap["data"]["llm-policy.yaml"])
    assert resource["resources"][0]["typed_config"]["config"]["fail_open"] is False
    bad = (ROOT / "policies" / "invalid" / "typo-prefx.json").read_text()
    kubelet = KubeletProjection(mount, edited(configmap, bad), 0.0)
    proxy = Envoy(workdir, pods, template=str(bootstrap(workdir, pods, envoy_filter, resource, port)))
    try:
        before = pods["stable"].request_count("/v1/chat/completions")
        r = request(proxy.url, "POST", "/v1/chat/completions", chat("no policy yet"))
        assert r.status == 503 and r.header("x-llm-policy") is None
        assert pods["stable"].request_count("/v1/chat/completions") == before, "nothing passed unread"
        assert "policy refused: routes[2].match.prefx: unknown field" in proxy.process.log()
        kubelet.edit(configmap["data"]).join()
        wait_until(lambda: request(proxy.url, "GET", "/v1/models").status == 200, 15, "the fix")
        assert revision_of(proxy) == "rev=default-4"
    finally:
        proxy.stop()
