"""Every performance target the bench checks, in one table: the issue that
set it, what is measured, the bound. The scripts measure; they look their
targets up here by key and print `Target.line(value)` (PASS, MISS, or
"report" for a number an issue asks to see without a bound)."""
import operator
from dataclasses import dataclass

OPS = {"<=": (operator.le, "≤"), ">=": (operator.ge, "≥"), "<": (operator.lt, "<")}


@dataclass(frozen=True)
class Target:
    issue: int
    what: str
    op: str | None  # None: reported, no bound
    bound: float = 0.0
    unit: str = ""
    fmt: str = "{:,.0f}"  # the measured value and the bound alike

    def met(self, value):
        return self.op is None or OPS[self.op][0](value, self.bound)

    def bound_text(self):
        return "report" if self.op is None else f"{OPS[self.op][1]} {self.fmt.format(self.bound)}{self.unit}"

    def verdict(self, value):
        if self.op is None:
            return "report"
        return "PASS" if self.met(value) else "MISS"

    def line(self, value, detail=""):
        """`target (issue N): what bound: measured V → PASS|MISS`."""
        head = f"target (issue {self.issue}): {self.what}"
        if self.op is not None:
            head += f" {self.bound_text()}"
        if value is None:
            return f"{head}: not measured"
        return f"{head}: measured {self.fmt.format(value)}{self.unit}{detail} → {self.verdict(value)}"


def _instr(issue, what, bound, unit=""):
    return Target(issue, what, "<=", bound, unit, "{:+,.0f}")


TARGETS = {
    # issue 2 and 4: throughput and latency at 1 KB (bench.py)
    "throughput.1024.llm-policy": Target(2, "default policy throughput vs no-filter at 1 KB", ">=", 0.95,
                                         fmt="{:.2f}"),
    "throughput.1024.header-only": Target(4, "header-only policy throughput vs no-filter at 1 KB", ">=", 0.95,
                                          fmt="{:.2f}"),
    "unloaded_p50.header-only.issue4": Target(4, "header-only policy added p50, unloaded, 1 KB", "<", 30,
                                              " µs", "{:+.0f}"),
    # issue 3: screening and bodies (bench.py, ttft.py)
    "screening.native.issue3": Target(3, "screening throughput, native", ">=", 200, " MB/s"),
    "screening.wasm_v8.issue3": Target(3, "screening throughput, wasm (V8)", ">=", 50, " MB/s"),
    "throughput.16384.llm-policy.issue3": Target(3, "default policy throughput vs no-filter at 16 KB", ">=", 0.85,
                                                 fmt="{:.2f}"),
    "added_p99.65536.llm-policy.issue3": Target(3, "default policy added p99 at 64 KB (wrk -c8)", "<", 2000,
                                                " µs", "{:+,.0f}"),
    "ttft.first_content": Target(3, "time to first token (first content) added vs no-filter", "<", 1,
                                 " ms", "{:+.2f}"),
    # issue 15: whole-Envoy instructions over the empty filter (envoy_instructions.py)
    "instructions.1024.header-only": _instr(15, "header-only policy over the empty filter, 1 KB chat", 60_000),
    "instructions.1024.llm-policy": _instr(15, "default policy over the empty filter, 1 KB chat", 120_000),
    "instructions.16384.llm-policy": _instr(15, "default policy over the empty filter, 16 KB chat", 300_000),
    "instructions.sse-500.llm-policy": _instr(15, "default policy over the empty filter per SSE event (sse-500)",
                                              15_000, " per event"),
    "instructions.sse-500.header-only": _instr(15, "header-only policy over the empty filter per SSE event"
                                               " (sse-500)", 2_000, " per event"),
    # issue 15: the core alone (bench.py's core_instructions)
    "core_per_byte.65536": Target(15, "core instructions per byte at 64 KB", "<=", 8, fmt="{:.1f}"),
    # issue 15: memory (memory.py)
    "rss.c2.llm-policy": Target(15, "default policy Envoy RSS over the empty filter at --concurrency 2", "<=", 20,
                                " MB", "{:+.1f}"),
    "rss.slope.llm-policy": Target(15, "default policy RSS per extra worker over the empty filter"
                                   " (slope --concurrency 2→4)", "<=", 3, " MB", "{:+.1f}"),
    "rss.c2.header-only": Target(15, "header-only policy Envoy RSS over the empty filter at --concurrency 2", "<=",
                                 10, " MB", "{:+.1f}"),
    # issue 15: wall clock (bench.py)
    "throughput.16384.llm-policy": Target(15, "default policy throughput vs no-filter at 16 KB", ">=", 0.6,
                                          fmt="{:.2f}"),
    "added_p99.65536.llm-policy": Target(15, "default policy added p99 at 64 KB (wrk -c8)", "<", 1500,
                                         " µs", "{:+,.0f}"),
    "screening.native": Target(15, "screening throughput, native", ">=", 1200, " MB/s"),
    "screening.wasm_v8": Target(15, "screening throughput, wasm (V8)", ">=", 800, " MB/s"),
    "unloaded_p50.header-only": Target(15, "header-only policy added p50, unloaded, 1 KB", None,
                                       unit=" µs", fmt="{:+.0f}"),
    "unloaded_p50.llm-policy": Target(15, "default policy added p50, unloaded, 1 KB", None,
                                      unit=" µs", fmt="{:+.0f}"),
}


def line(key, value, detail=""):
    """The printed line of target `key` for a measured value (None: not measured)."""
    return TARGETS[key].line(value, detail)
