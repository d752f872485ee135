#!/usr/bin/env python3
"""Overhead of the llm-policy filter in a real Envoy (V8): wrk against three
Envoys (no filter, an empty wasm filter, llm-policy) in interleaved rounds,
all in front of one fast bench upstream; then the core's instructions per
request under callgrind, and the default policy's screening throughput
natively and in V8 (Node's WASI), each with the issues' targets
(targets.py). Writes target/bench/results.json. The whole-Envoy callgrind
counts are envoy_instructions.py and Envoy's memory is memory.py (`make
bench` runs all three).

    .venv/bin/python tests/bench/bench.py [--rounds N] [--duration S]
        [--sizes 1024,16384,65536] [--quick]
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from harness import WASM, Envoy, request  # noqa: E402
import envoy_instructions  # noqa: E402
import targets  # noqa: E402
import ttft  # noqa: E402
from bodies import chat_body  # noqa: E402

LUA = Path(__file__).resolve().parent / "post.lua"
OUT = ROOT / "target" / "bench"
EMPTY_WASM = ROOT / "dist" / "empty-filter.wasm"
PATH = "/v1/chat/completions"
HEADERS = {"content-type": "application/json", "x-user-id": "bench-user"}
HEADER_ONLY_POLICY = Path(__file__).resolve().parent / "header-only.json"
CONFIGS = ("no-filter", "empty-wasm", "llm-policy", "header-only")
FILTERS = ("llm-policy", "header-only")
TESTED = CONFIGS[1:]
CONNECTIONS = 8
WARMUP_S = 1


def parse_args():
    """Command line; --quick is a 3 rounds x 1 s smoke check."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    p.add_argument("--duration", type=int, default=2, help="seconds per wrk run (default 2)")
    p.add_argument("--sizes", default="1024,16384,65536", help="body sizes in bytes")
    p.add_argument("--quick", action="store_true", help="3 rounds x 1 s")
    args = p.parse_args()
    if args.quick:
        args.rounds, args.duration = 3, 1
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.rounds < 1 or args.duration < 1:
        p.error("--rounds and --duration must be at least 1")
    return args


def size_label(size):
    """1024 -> '1 KB'; sizes that are not whole KiB in bytes."""
    return f"{size // 1024} KB" if size % 1024 == 0 else f"{size} B"


def start_envoys(workdir, envoys):
    """Fills `envoys` with the bench upstream and the three Envoys under test."""
    for path in (WASM, EMPTY_WASM):
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `make build` first")
    unused = SimpleNamespace(port=1)
    envoys["upstream"] = Envoy(workdir, dict.fromkeys(("stable", "canary", "fallback"), unused),
                               template="bench-upstream.yaml")
    pods = dict.fromkeys(("stable", "canary", "fallback"), envoys["upstream"])
    envoys["no-filter"] = Envoy(workdir, pods, template="no-filter.yaml")
    envoys["empty-wasm"] = Envoy(workdir, pods, wasm=EMPTY_WASM)
    envoys["llm-policy"] = Envoy(workdir, pods, wasm=WASM)
    envoys["header-only"] = Envoy(workdir, pods, wasm=WASM, policy=HEADER_ONLY_POLICY.read_text())


def check_configs(envoys, body):
    """One request each: 200, and only the llm-policy configs add the debug header."""
    for name in CONFIGS:
        r = request(envoys[name].url, "POST", PATH, body, HEADERS)
        if r.status != 200:
            raise RuntimeError(f"{name}: status {r.status}: {r.body[:300]!r}")
        if (r.header("x-llm-policy") is not None) != (name in FILTERS):
            raise RuntimeError(f"{name}: unexpected x-llm-policy header {r.header('x-llm-policy')!r}")


def cpu_seconds(pid):
    """utime + stime of a process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk(url, body_file, duration, connections=CONNECTIONS):
    """One wrk run: its numbers from post.lua's BENCH line."""
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s",
            "-s", str(LUA), url + PATH, "--", str(body_file)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True,
                         timeout=duration + 60).stdout
    line = next((x for x in out.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no BENCH line:\n{out}")
    r = json.loads(line[len("BENCH "):])
    return {
        "requests": r["requests"],
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50_us": r["p50_us"],
        "p99_us": r["p99_us"],
        "non_2xx": r["status_errors"],
        "socket_errors": sum(r[k] for k in ("connect", "read", "write", "timeout")),
    }


def measure(envoy, body_file, duration, connections=CONNECTIONS):
    """One wrk run plus the Envoy's CPU time per completed request."""
    pid = envoy.process.proc.pid
    before = cpu_seconds(pid)
    run = run_wrk(envoy.url, body_file, duration, connections)
    run["cpu_us_per_req"] = (cpu_seconds(pid) - before) * 1e6 / max(run["requests"], 1)
    run["ok"] = run["non_2xx"] == 0 and run["socket_errors"] == 0
    return run


def filter_requests_total(envoy):
    """llm_policy_requests_total summed over its labels (admin /stats/prometheus)."""
    total = 0.0
    for line in envoy.prometheus().splitlines():
        name = "llm_policy_requests_total"
        if line.startswith(name) and line[len(name)] in "{ ":
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def rotated(rnd):
    """The configs in round `rnd`'s order: rotated by one each round, so slow
    drift of the machine hits every config alike."""
    k = rnd % len(CONFIGS)
    return CONFIGS[k:] + CONFIGS[:k]


def bench(args, envoys, workdir):
    """All rounds for every size; the config order rotates each round."""
    runs = []
    for size in args.sizes:
        body_file = Path(workdir) / f"body-{size}.json"
        body_file.write_bytes(chat_body(size))
        for name in CONFIGS:
            run_wrk(envoys[name].url, body_file, WARMUP_S)
        for rnd in range(args.rounds):
            for name in rotated(rnd):
                run = measure(envoys[name], body_file, args.duration)
                run.update(size=size, round=rnd, config=name)
                runs.append(run)
                print(f"{size_label(size):>6} round {rnd + 1:>2}/{args.rounds} {name:<11}"
                      f" {run['rps']:>8.0f} req/s  p50 {run['p50_us']:>6} µs"
                      f"  p99 {run['p99_us']:>6} µs  CPU {run['cpu_us_per_req']:>6.1f} µs/req"
                      + ("" if run["ok"] else "  !"), flush=True)
                if not run["ok"]:
                    print(f"WARNING: {name} at {size_label(size)}: {run['non_2xx']} non-2xx/3xx,"
                          f" {run['socket_errors']} socket errors", flush=True)
    return runs


def unloaded_latency(args, envoys, workdir):
    """Added latency of one request at a time (`wrk -c1`, 1 KB): what a
    request pays when the proxy is not saturated. Under `-c8` a saturated
    Envoy queues eight requests, so its added p50 is about eight times the
    added CPU per request. Rounds interleaved as in `bench`."""
    body_file = Path(workdir) / "body-unloaded.json"
    body_file.write_bytes(chat_body(1024))
    runs = {name: [] for name in CONFIGS}
    for rnd in range(args.rounds):
        for name in rotated(rnd):
            runs[name].append(measure(envoys[name], body_file, args.duration, connections=1))
    result = {}
    print("\nunloaded (wrk -c1, 1 KB): median (IQR) over rounds of the same round's difference")
    print(f"{'config':<13}{'p50 µs':>8}{'added p50 µs':>22}{'added CPU µs/req':>24}")
    for name in CONFIGS:
        mine, base = runs[name], runs["no-filter"]
        entry = {"p50_us": statistics.median(r["p50_us"] for r in mine),
                 "ok": all(r["ok"] for r in mine + base)}
        if name in TESTED:
            entry["added_p50_us"] = spread([m["p50_us"] - b["p50_us"] for m, b in zip(mine, base)])
            entry["added_cpu_us"] = spread(
                [m["cpu_us_per_req"] - b["cpu_us_per_req"] for m, b in zip(mine, base)])
        result[name] = entry
        added = (fmt(entry["added_p50_us"], "{:+.0f}"), fmt(entry["added_cpu_us"], "{:+.1f}")) \
            if name in TESTED else ("", "")
        print(f"{name:<13}{entry['p50_us']:>8.0f}{added[0]:>22}{added[1]:>24}"
              f"{'' if entry['ok'] else '  !'}")
    return result


def spread(values):
    """Median with the interquartile range (q1, q3)."""
    if len(values) < 2:
        return {"median": values[0], "q1": values[0], "q3": values[0]}
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"median": q2, "q1": q1, "q3": q3}


def summarize(runs, sizes):
    """Per size and config: medians of the absolute numbers, and of the
    per-round values relative to the same round's no-filter run."""
    by = {(r["size"], r["round"], r["config"]): r for r in runs}
    rounds = sorted({r["round"] for r in runs})
    summary = {}
    for size in sizes:
        summary[size] = {}
        for name in CONFIGS:
            mine = [by[size, rnd, name] for rnd in rounds]
            entry = {"ok": all(r["ok"] for r in mine), "absolute": {
                k: statistics.median(r[k] for r in mine)
                for k in ("rps", "p50_us", "p99_us", "cpu_us_per_req")}}
            if name in TESTED:
                base = [by[size, rnd, "no-filter"] for rnd in rounds]
                pairs = list(zip(mine, base))
                entry["ok"] = entry["ok"] and all(b["ok"] for b in base)
                entry["throughput_ratio"] = spread([m["rps"] / b["rps"] for m, b in pairs])
                entry["added_p50_us"] = spread([m["p50_us"] - b["p50_us"] for m, b in pairs])
                entry["added_p99_us"] = spread([m["p99_us"] - b["p99_us"] for m, b in pairs])
                entry["cpu_ratio"] = spread(
                    [m["cpu_us_per_req"] / b["cpu_us_per_req"] for m, b in pairs])
            summary[size][name] = entry
    return summary


def fmt(s, pattern):
    """'median (q1–q3)' with one number format."""
    return f"{pattern.format(s['median'])} ({pattern.format(s['q1'])}–{pattern.format(s['q3'])})"


def print_tables(summary):
    """The relative table (median and IQR of per-round values), then absolute medians."""
    print("\nvs the no-filter Envoy of the same round: median (IQR q1–q3) over rounds;"
          " ! = a run had non-2xx or socket errors")
    print(f"{'size':<7}{'config':<12}{'throughput vs no-filter':<26}{'added p50 µs':<18}"
          f"{'added p99 µs':<20}CPU/req vs no-filter")
    for size, configs in summary.items():
        for name in TESTED:
            e = configs[name]
            print(f"{size_label(size):<7}{name:<12}{fmt(e['throughput_ratio'], '{:.2f}'):<26}"
                  f"{fmt(e['added_p50_us'], '{:+.0f}'):<18}{fmt(e['added_p99_us'], '{:+.0f}'):<20}"
                  f"{fmt(e['cpu_ratio'], '{:.2f}')}{'' if e['ok'] else '  !'}")
    print("\nabsolute medians over rounds")
    print(f"{'size':<7}{'config':<12}{'req/s':>9}{'p50 µs':>9}{'p99 µs':>9}{'CPU µs/req':>12}")
    for size, configs in summary.items():
        for name in CONFIGS:
            a = configs[name]["absolute"]
            print(f"{size_label(size):<7}{name:<12}{a['rps']:>9.0f}{a['p50_us']:>9.0f}"
                  f"{a['p99_us']:>9.0f}{a['cpu_us_per_req']:>12.1f}")


def target_line(summary, unloaded):
    """The wall-clock targets at 1 KB: issue 2 (default policy throughput),
    issue 4 (header-only throughput, saturated, and added p50, one request at
    a time), issue 15 (unloaded added p50 of both policies, reported)."""
    if 1024 not in summary:
        return "targets: not measured (1024 not in --sizes)"
    ratio = lambda name: summary[1024][name]["throughput_ratio"]["median"]  # noqa: E731
    p50 = lambda name: unloaded[name]["added_p50_us"]["median"]  # noqa: E731
    floor = f" (empty filter {p50('empty-wasm'):+.0f} µs)"
    return "\n".join([
        targets.line("throughput.1024.llm-policy", ratio("llm-policy")),
        targets.line("throughput.1024.header-only", ratio("header-only")),
        targets.line("unloaded_p50.header-only.issue4", p50("header-only")),
        targets.line("unloaded_p50.header-only", p50("header-only"), floor),
        targets.line("unloaded_p50.llm-policy", p50("llm-policy"), floor),
    ])


def screening_throughput():
    """MB/s of the default policy's screening on English text, natively and
    compiled to wasm32-wasip1 under Node (V8, Envoy's Wasm engine)."""
    example = ["-p", "llm-policy-core", "--example", "screen_throughput"]
    subprocess.run(["cargo", "build", "--quiet", "--release", *example], cwd=ROOT, check=True)
    subprocess.run(["rustup", "target", "add", "wasm32-wasip1"], check=True, capture_output=True)
    subprocess.run(["cargo", "build", "--quiet", "--release", "--target", "wasm32-wasip1", *example],
                   cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    native = json.loads(subprocess.run([str(target / "release/examples/screen_throughput")],
                                       check=True, capture_output=True, text=True).stdout)
    result = {"native": native}
    if shutil.which("node"):
        wasm = target / "wasm32-wasip1/release/examples/screen_throughput.wasm"
        run = subprocess.run(["node", "--no-warnings", str(Path(__file__).parent / "run_wasi.mjs"), str(wasm)],
                             check=True, capture_output=True, text=True)
        result["wasm_v8"] = json.loads(run.stdout)
    print("\nscreening throughput, default policy, English text in 16 KB messages")
    for where, r in result.items():
        print(f"  {where:<8}{r['mb_per_s']:>8.1f} MB/s")
    return result


def screening_target_line(summary, throughput, first_token):
    """Issues 3 and 15: screening MB/s natively and in V8; default policy
    throughput vs no-filter at 16 KB and added p99 at 64 KB; time to first
    token."""
    native = throughput["native"]["mb_per_s"]
    wasm = throughput.get("wasm_v8", {}).get("mb_per_s")
    lines = [targets.line("screening.native.issue3", native), targets.line("screening.wasm_v8.issue3", wasm),
             targets.line("screening.native", native), targets.line("screening.wasm_v8", wasm)]
    if 16384 in summary:
        r = summary[16384]["llm-policy"]["throughput_ratio"]["median"]
        lines += [targets.line("throughput.16384.llm-policy.issue3", r),
                  targets.line("throughput.16384.llm-policy", r)]
    if 65536 in summary:
        p99 = summary[65536]["llm-policy"]["added_p99_us"]["median"]
        lines += [targets.line("added_p99.65536.llm-policy.issue3", p99),
                  targets.line("added_p99.65536.llm-policy", p99)]
    added = first_token["added_ms"]
    lines.append(targets.line("ttft.first_content", added["first_content_ms"],
                              f" (first event {added['first_event_ms']:+.2f} ms)"))
    return "\n".join(lines)


def callgrind_total(exe, requests, size, workdir):
    """Instructions (Ir) callgrind counts for one run of the request_cost example."""
    out = Path(workdir) / f"callgrind-{requests}-{size}.out"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                    str(exe), str(requests), str(size)], check=True, capture_output=True)
    total = envoy_instructions.read_total(out)
    if total is None:
        raise RuntimeError(f"no totals in {out}")
    return total


def core_instructions(sizes, workdir):
    """Per size: (Ir(1001) - Ir(1)) / 1000 instructions per request in the core."""
    if shutil.which("valgrind") is None:
        print("\ncore instructions per request: skipped (valgrind not on PATH)")
        return None
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "llm-policy-core",
                    "--example", "request_cost"], cwd=ROOT, check=True)
    exe = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release/examples/request_cost"
    result = {}
    print("\ncore instructions per request (callgrind, (Ir(1001) − Ir(1)) / 1000)")
    for size in sizes:
        ir1, ir1001 = (callgrind_total(exe, n, size, workdir) for n in (1, 1001))
        result[size] = (ir1001 - ir1) / 1000
        print(f"{size_label(size):<7}{result[size]:>12,.0f}{result[size] / size:>8.1f} per byte")
    if 65536 in result:
        print(targets.line("core_per_byte.65536", result[65536] / 65536,
                           f" ({result[65536]:,.0f} per request)"))
    return result


def check_filter_ran(before, after, runs):
    """The filter counted at least every request wrk completed through it."""
    completed = sum(r["requests"] for r in runs if r["config"] == "llm-policy")
    print(f"\nllm_policy_requests_total: {after} (grew by {after - before};"
          f" wrk completed {completed} measured requests through llm-policy)")
    if after - before < completed:
        print("WARNING: llm_policy_requests_total grew by less than the requests wrk completed")
    return after - before >= completed


def main():
    """Runs the HTTP bench with every Envoy stopped at the end, then the core count."""
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    envoys = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        try:
            start_envoys(workdir, envoys)
            check_configs(envoys, chat_body(args.sizes[0]))
            before = filter_requests_total(envoys["llm-policy"])
            runs = bench(args, envoys, workdir)
            after = filter_requests_total(envoys["llm-policy"])
            summary = summarize(runs, args.sizes)
            print_tables(summary)
            unloaded = unloaded_latency(args, envoys, workdir)
        finally:
            for envoy in reversed(list(envoys.values())):
                envoy.stop()
        filter_ran = check_filter_ran(before, after, runs)
        print(target_line(summary, unloaded))
        first_token = ttft.measure(workdir, WASM)
        ttft.report(first_token)
        throughput = screening_throughput()
        screening_targets = screening_target_line(summary, throughput, first_token)
        print(screening_targets)
        instructions = core_instructions(args.sizes, workdir)
    runtime = time.monotonic() - started
    results = {
        "args": {"rounds": args.rounds, "duration_s": args.duration, "sizes": args.sizes,
                 "connections": CONNECTIONS, "cpus": os.cpu_count()},
        "runtime_s": round(runtime, 1),
        "runs": runs,
        "summary": {str(size): v for size, v in summary.items()},
        "spread": "interquartile range (q1, q3) of per-round values",
        "llm_policy_requests_total": {"before": before, "after": after, "ok": filter_ran},
        "core_instructions_per_request": instructions and {str(k): v for k, v in instructions.items()},
        "unloaded_1kb": unloaded,
        "target": target_line(summary, unloaded),
        "screening_throughput": throughput,
        "time_to_first_token": first_token,
        "screening_target": screening_targets,
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {OUT / 'results.json'}; total runtime {runtime:.0f} s")


if __name__ == "__main__":
    main()
