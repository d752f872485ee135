#!/usr/bin/env python3
"""Envoy's resident memory per config (`make bench-memory`, also part of
`make bench`): no-filter, empty-wasm, header-only and the default policy,
each at --concurrency 1, 2 and 4, in front of the bench upstream. After a
warm-up of 200 1 KB chat requests, each on its own connection (so that every
worker, and so every worker's wasm VM, serves some), it reads VmRSS of the
Envoy process from /proc/<pid>/status. Prints RSS and the difference from
the empty filter at the same concurrency, then where it goes (tcmalloc's
live and freed-but-kept heap from the admin /memory page, the wasm JIT code,
and for our filter each VM's linear memory from its
llm_policy_vm_memory_bytes gauge: one VM per worker plus the main thread's),
then issue 15's memory targets; writes target/bench/memory.json:
{config: {concurrency: MB}}.

    .venv/bin/python tests/bench/memory.py [--requests N] [--concurrency 1,2,4]
"""
import argparse
import http.client
import json
import os
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from harness import WASM, Envoy  # noqa: E402

import targets  # noqa: E402
from bodies import chat_body  # noqa: E402

OUT = ROOT / "target" / "bench"
EMPTY_WASM = ROOT / "dist" / "empty-filter.wasm"
HEADER_ONLY_POLICY = Path(__file__).resolve().parent / "header-only.json"
PATH = "/v1/chat/completions"
HEADERS = {"content-type": "application/json"}
WARMUP = 200
CLIENTS = 4
CONFIGS = ("no-filter", "empty-wasm", "header-only", "llm-policy")


def config_kwargs(name):
    return {
        "no-filter": {"template": "no-filter.yaml"},
        "empty-wasm": {"wasm": EMPTY_WASM},
        "header-only": {"wasm": WASM, "policy": HEADER_ONLY_POLICY.read_text()},
        "llm-policy": {"wasm": WASM},
    }[name]


def one_request(port, body, i):
    """One POST on a new connection (users vary, as in a mesh)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", PATH, body=body, headers={**HEADERS, "x-user-id": f"user-{i}"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"status {r.status}")
    finally:
        conn.close()


def rss_mb(pid):
    """VmRSS of `pid` in MB (MiB, as /proc reports kB), checking it is Envoy
    itself (`.venv/bin/envoy` execs the real binary: same pid)."""
    exe = os.readlink(f"/proc/{pid}/exe")
    if not Path(exe).name.startswith("envoy"):
        raise RuntimeError(f"pid {pid} is {exe}, not Envoy")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def connections_per_worker(envoy):
    """Downstream connections each worker accepted (listener per-worker stats)."""
    with urllib.request.urlopen(envoy.admin + "/stats?filter=worker_.*downstream_cx_total", timeout=5) as r:
        lines = r.read().decode().splitlines()
    return [int(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("listener.")]


def jit_code_mb(pid):
    """Resident executable anonymous mappings of `pid` in MB: V8's compiled wasm code."""
    kb, executable = 0, False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:  # a mapping's header line
            executable = "x" in fields[1] and len(fields) == 5
        elif executable and fields[0] == "Rss:":
            kb += int(fields[1])
    return kb / 1024


def vm_linear_memory(envoy, vms, timeout=3.0):
    """Each of our VMs' linear memory in MB, from the gauge each VM sets on its
    1 s tick; waits until `vms` of them have reported (or `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(envoy.admin + "/stats/prometheus", timeout=5) as r:
            sizes = [float(line.rsplit(" ", 1)[1]) / 2**20 for line in r.read().decode().splitlines()
                     if line.startswith("llm_policy_vm_memory_bytes{")]
        if len(sizes) >= vms or time.monotonic() > deadline:
            return sorted(sizes)
        time.sleep(0.2)


def breakdown(envoy, name, concurrency):
    """Where the RSS goes, in MB (see the module docs)."""
    with urllib.request.urlopen(envoy.admin + "/memory", timeout=5) as r:
        heap = {k: int(v) / 2**20 for k, v in json.loads(r.read()).items()}
    ours = name in ("header-only", "llm-policy")
    return {
        "heap_live": heap.get("allocated", 0.0),
        "heap_kept_free": heap.get("pageheap_free", 0.0) + heap.get("total_thread_cache", 0.0),
        "jit_code": jit_code_mb(envoy.process.proc.pid),
        "vm_linear": vm_linear_memory(envoy, concurrency + 1) if ours else [],
    }


def measure_one(workdir, pods, name, concurrency, requests, details=None):
    """RSS in MB of one fresh Envoy after `requests` warm-up requests; puts
    its [`breakdown`] in `details[name][concurrency]` when given."""
    envoy = Envoy(workdir, pods, concurrency=concurrency, **config_kwargs(name))
    try:
        body = chat_body(1024)
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(lambda i: one_request(envoy.port, body, i), range(requests)))
        time.sleep(0.5)  # let the workers finish their stream teardown
        per_worker = connections_per_worker(envoy)
        if len(per_worker) == concurrency and min(per_worker) == 0:
            print(f"WARNING: {name} --concurrency {concurrency}: a worker served no connection {per_worker}")
        rss = rss_mb(envoy.process.proc.pid)
        if details is not None:
            details.setdefault(name, {})[concurrency] = breakdown(envoy, name, concurrency)
        return rss
    finally:
        envoy.stop()


def measure(workdir, pods, concurrencies=(1, 2, 4), requests=WARMUP, details=None):
    """{config: {concurrency: RSS MB}}, one fresh Envoy each, one after the
    other; `details` (a dict) gets each one's [`breakdown`]."""
    return {name: {c: measure_one(workdir, pods, name, c, requests, details) for c in concurrencies}
            for name in CONFIGS}


def report_breakdown(rss, details):
    """The table of where each Envoy's RSS goes."""
    print("\nWhere it goes (MB): tcmalloc heap live / freed but kept (compile transients stay),"
          " V8's wasm JIT code, our VMs' linear memory (main thread's + one per worker; it never shrinks)")
    print(f"{'config':<13}{'c':>3}{'RSS':>8}{'heap live':>11}{'heap kept':>11}{'JIT code':>10}  VMs' linear memory")
    for name, by_c in details.items():
        for c, d in by_c.items():
            vms = " + ".join(f"{mb:.1f}" for mb in d["vm_linear"])
            total = f" = {sum(d['vm_linear']):.1f}" if d["vm_linear"] else ""
            print(f"{name:<13}{c:>3}{rss[name][c]:>8.1f}{d['heap_live']:>11.1f}{d['heap_kept_free']:>11.1f}"
                  f"{d['jit_code']:>10.1f}  {vms}{total}")


def report(rss, requests=WARMUP):
    """The RSS table (and the difference from the empty filter), then the
    memory targets of issue 15; returns the target lines."""
    concurrencies = list(next(iter(rss.values())))
    print(f"\nEnvoy RSS (VmRSS, MB) after {requests} requests of 1 KB, by --concurrency;"
          " (+ over the empty filter at the same concurrency)")
    print(f"{'config':<13}" + "".join(f"{f'c{c}':>20}" for c in concurrencies))
    floor = rss.get("empty-wasm")
    for name, by_c in rss.items():
        cells = []
        for c in concurrencies:
            over = "" if floor is None or name in ("no-filter", "empty-wasm") else f" ({by_c[c] - floor[c]:+.1f})"
            cells.append(f"{by_c[c]:.1f}{over}")
        print(f"{name:<13}" + "".join(f"{cell:>20}" for cell in cells))
    lines = []
    if floor is not None and 2 in floor:
        for name in ("llm-policy", "header-only"):
            if name in rss:
                lines.append(targets.line(f"rss.c2.{name}", rss[name][2] - floor[2]))
        if 4 in floor and "llm-policy" in rss:
            slope = ((rss["llm-policy"][4] - floor[4]) - (rss["llm-policy"][2] - floor[2])) / 2
            lines.append(targets.line("rss.slope.llm-policy", slope))
    print()
    for line in lines:
        print(line)
    return lines


def start_upstream(workdir):
    unused = SimpleNamespace(port=1)
    return Envoy(workdir, dict.fromkeys(("stable", "canary", "fallback"), unused), template="bench-upstream.yaml")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=WARMUP, help=f"warm-up requests (default {WARMUP})")
    p.add_argument("--concurrency", default="1,2,4", help="Envoy --concurrency values (default 1,2,4)")
    args = p.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    for path in (WASM, EMPTY_WASM):
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `make build` first")
    started = time.monotonic()
    details = {}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as workdir:
        upstream = start_upstream(workdir)
        try:
            rss = measure(workdir, dict.fromkeys(("stable", "canary", "fallback"), upstream),
                          concurrencies, args.requests, details)
        finally:
            upstream.stop()
    report_breakdown(rss, details)
    report(rss, args.requests)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "memory.json").write_text(json.dumps(
        {name: {str(c): round(mb, 1) for c, mb in by_c.items()} for name, by_c in rss.items()}, indent=2) + "\n")
    print(f"\nwrote {OUT / 'memory.json'}; wall time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
