#!/usr/bin/env python3
"""`make fuzz`: every target in llm_policy_core::fuzzing::TARGETS under
libFuzzer, coverage-guided, on the stable toolchain.

    fuzz/run.py [--seconds N] [--jobs J] [TARGET...]

Builds fuzz/ with LLVM's sanitizer-coverage passes (stable `-C passes` and
`-C llvm-args` flags; cargo-fuzz needs a nightly toolchain, which this project
cannot install), seeds each target's corpus from the project's own test data,
runs the targets J at a time for N seconds each, and prints executions per
target. A crash is copied to fuzz/regressions/<target>/, where
`cargo test -p llm-policy-core --test fuzz_regressions` replays it for ever;
the run then exits 1.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
WORK = FUZZ / "target" / "work"
TARGETS = ["policy_parser", "request_codec", "json_response", "sse_stream", "usage_scanner",
           "phrase_compiler", "json_splice", "guard_reply"]
RUSTFLAGS = " ".join([
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "--cfg", "fuzzing",
    "-Cdebug-assertions", "-Coverflow-checks",
])


def build():
    env = {**os.environ, "RUSTFLAGS": RUSTFLAGS}
    # An explicit --target keeps the coverage flags off build scripts.
    triple = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    host = re.search(r"host: (\S+)", triple).group(1)
    subprocess.run(["cargo", "build", "--release", "--target", host,
                    "--manifest-path", str(FUZZ / "Cargo.toml")], check=True, env=env)
    return FUZZ / "target" / host / "release" / "fuzz_target"


def texts():
    """Prompt and output texts from the corpora."""
    for path in sorted((ROOT / "tests" / "corpus").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:400]:
            try:
                yield json.loads(line)["text"]
            except (ValueError, KeyError, TypeError):
                continue


def seeds(target):
    out = []
    if target == "policy_parser":
        out = [p.read_bytes() for p in sorted((ROOT / "policies").rglob("*.json"))
               if p.name != "policy.schema.json"]
    elif target in ("request_codec", "json_splice"):
        for i, t in enumerate(texts()):
            body = {"model": "m", "seed": 12345678901234567890123, "temperature": 0.7,
                    "messages": [{"role": "user", "content": t}]}
            if i % 3 == 1:
                body = {"model": "m", "prompt": [t, t[:10]]}
            elif i % 3 == 2:
                body = {"model": "m", "input": [{"role": "user", "content": [
                    {"type": "input_text", "text": t}]}], "instructions": "x"}
            out.append(json.dumps(body).encode())
    elif target == "json_response":
        out = [json.dumps({"id": "x", "choices": [{"index": 0, "message": {
            "role": "assistant", "content": t, "refusal": None}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2}}).encode() for t in texts()]
    elif target in ("sse_stream", "usage_scanner"):
        for t in texts():
            events = [json.dumps({"choices": [{"index": 0, "delta": {"content": t[i:i + 5]},
                                               "finish_reason": None}]}) for i in range(0, len(t), 5)]
            events.append(json.dumps({"choices": [], "usage": {"prompt_tokens": 3,
                                                               "completion_tokens": 4}}))
            out.append(b"\x03\x05\x01\x07" + "".join(f"data: {e}\n\n" for e in events).encode()
                       + b"data: [DONE]\n\n")
    elif target == "guard_reply":
        out = [b"\x00" + json.dumps({"results": [
                   {"flagged": False, "categories": {"violence": False}, "category_scores": {"violence": 0.01}},
                   {"flagged": True, "categories": {"violence": True}, "category_scores": {"violence": 0.93}}]}).encode(),
               b"\x01" + json.dumps({"object": "list", "data": [
                   {"index": 0, "label": "SAFE", "probs": [0.98, 0.02], "num_classes": 2},
                   {"index": 1, "label": "INJECTION", "probs": [0.02, 0.98], "num_classes": 2}]}).encode(),
               b"\x02" + json.dumps({"choices": [{"message": {"content": "unsafe\nS1,S10"}}]}).encode(),
               b"\x03" + json.dumps([{"entity_type": "PERSON", "start": 0, "end": 10, "score": 0.85},
                                      {"entity_type": "LOCATION", "start": 20, "end": 24, "score": 0.85}]).encode()]
    elif target == "phrase_compiler":
        out = [b"ignore (all )?(previous|prior) instructions\n!never reveal\n" + t.encode()
               for t in texts()]
    return out[:2000]


def run(binary, target, seconds):
    corpus = WORK / "corpus" / target
    artifacts = WORK / "artifacts" / target
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(seeds(target)):
        (corpus / f"seed-{i:05d}").write_bytes(seed)
    regressions = FUZZ / "regressions" / target
    dirs = [str(corpus)] + ([str(regressions)] if regressions.is_dir() else [])
    proc = subprocess.run(
        [str(binary), f"-max_total_time={seconds}", "-print_final_stats=1", "-timeout=30",
         "-rss_limit_mb=2048", "-max_len=65536", f"-artifact_prefix={artifacts}/", *dirs],
        env={**os.environ, "FUZZ_TARGET": target}, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    (WORK / f"{target}.log").write_text(log)
    execs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    cov = re.findall(r"cov: (\d+)", log)
    crashes = sorted(artifacts.glob("crash-*")) + sorted(artifacts.glob("timeout-*")) \
        + sorted(artifacts.glob("oom-*"))
    for crash in crashes:
        regressions.mkdir(parents=True, exist_ok=True)
        shutil.copy(crash, regressions / crash.name)
    return target, int(execs.group(1)) if execs else 0, int(cov[-1]) if cov else 0, crashes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS", "2")))
    parser.add_argument("targets", nargs="*", default=TARGETS)
    args = parser.parse_args()
    binary = build()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda t: run(binary, t, args.seconds), args.targets))
    print(f"\n{'target':<16} {'executions':>14} {'coverage':>9}  crashes ({args.seconds} s each)")
    failed = False
    for target, execs, cov, crashes in results:
        print(f"{target:<16} {execs:>14,} {cov:>9}  {len(crashes)}")
        for crash in crashes:
            failed = True
            print(f"  {crash} -> fuzz/regressions/{target}/{crash.name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
