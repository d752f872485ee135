#!/usr/bin/env python3
"""Envoy's RSS for arbitrary wasm modules (the module-size ablation of
issue 15): each module runs as the only HTTP filter, with no plugin
configuration, after the same warm-up as `memory.py` (200 1 KB requests on
fresh connections); prints RSS, tcmalloc's heap and V8's JIT code per module
and concurrency. Pad a module with `wasm_pad.py` to see RSS against size.

    .venv/bin/python tests/bench/module_size_rss.py A.wasm B.wasm ... [--concurrency 1] [--repeat 1]
        [--policy FILE] [--template envoy/NAME.yaml]
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import memory  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("modules", nargs="+", type=Path)
    p.add_argument("--concurrency", default="1")
    p.add_argument("--requests", type=int, default=memory.WARMUP)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--policy", type=Path, help="plugin configuration (default: none)")
    p.add_argument("--template", default="llm-policy.yaml", help="Envoy template under envoy/")
    args = p.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-modsize-") as workdir:
        upstream = memory.start_upstream(workdir)
        pods = dict.fromkeys(("stable", "canary", "fallback"), upstream)
        try:
            for module in args.modules:
                kwargs = {"wasm": module, "template": args.template}
                if args.policy:
                    kwargs["policy"] = args.policy.read_text()
                memory.config_kwargs = lambda _name, kw=kwargs: kw
                for c in concurrencies:
                    for _ in range(args.repeat):
                        details = {}
                        rss = memory.measure_one(workdir, pods, "empty-wasm", c, args.requests, details)
                        d = details["empty-wasm"][c]
                        rows.append((module.name, module.stat().st_size, c, rss, d))
                        print(f"{module.name:<28}{module.stat().st_size / 1024:>9.0f} KB  c{c}  RSS {rss:7.1f}"
                              f"  heap live {d['heap_live']:6.1f}  kept {d['heap_kept_free']:6.1f}"
                              f"  JIT {d['jit_code']:5.1f}", flush=True)
        finally:
            upstream.stop()


if __name__ == "__main__":
    main()
