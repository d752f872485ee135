#!/usr/bin/env python3
"""Pads a wasm module with never-called code or data, for the module-size
ablation of issue 15 (`module_size_rss.py`): does Envoy's RSS grow with the
size of the module it loads, and by how much per KB of code or of data?

    python tests/bench/wasm_pad.py IN.wasm OUT.wasm --code-kb N [--data-kb M] [--func-bytes 120,600]

Code: N KB of extra functions `(i32, i32) -> i32`, each exported as `pad_<i>`
(so no tool may drop them; `--no-export` leaves them unexported: V8 still
compiles every function of a module) and each a mix like compiled Rust: loads and
stores through the first parameter, arithmetic, compares and a `br_if` loop.
Nothing calls them; V8 still compiles each one. Data: one passive data
segment of M KB of pseudo-random bytes (kept with the module bytes, never
copied into linear memory).
"""
import argparse
import random
from pathlib import Path

FUNC_TYPE = bytes([0x60, 2, 0x7F, 0x7F, 1, 0x7F])  # (i32, i32) -> i32


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def read_leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def sections(buf):
    """[(id, payload bytes)] of a module."""
    assert buf[:8] == b"\0asm\1\0\0\0", "not a wasm module"
    pos, out = 8, []
    while pos < len(buf):
        sid = buf[pos]
        size, pos = read_leb(buf, pos + 1)
        out.append((sid, bytes(buf[pos:pos + size])))
        pos += size
    return out


def vec_append(payload, items):
    """A vector payload with `items` (encoded entries) appended."""
    count, pos = read_leb(payload, 0)
    return leb(count + len(items)) + payload[pos:] + b"".join(items)


def body(rng, target_len):
    """One function body of about `target_len` bytes (see the module docs)."""
    code = bytearray()
    code += bytes([0x03, 0x40])  # loop
    while len(code) < target_len:
        off = rng.randrange(0, 4096, 4)
        k = rng.randrange(-100000, 100000)
        op = rng.choice((0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x76))  # add sub mul and or xor shl shr_u
        # local1 = local1 <op> (load(local0 + off) + k)
        code += bytes([0x20, 1, 0x20, 0]) + bytes([0x28, 2]) + leb(off) + bytes([0x41]) + sleb(k)
        code += bytes([0x6A, op, 0x21, 1])
        if rng.random() < 0.35:  # store(local0 + off2, local1)
            code += bytes([0x20, 0, 0x20, 1, 0x36, 2]) + leb(rng.randrange(0, 4096, 4))
        if rng.random() < 0.15:  # if local1 <u k2: continue the loop
            code += bytes([0x20, 1, 0x41]) + sleb(rng.randrange(0, 1000)) + bytes([0x49, 0x0D, 0])
    code += bytes([0x0B, 0x20, 1, 0x0B])  # end loop; local1; end
    locals_ = b"\0"  # no extra locals
    inner = locals_ + bytes(code)
    return leb(len(inner)) + inner


def pad(buf, code_kb, data_kb, func_bytes=(120, 600), export=True, seed=15):
    rng = random.Random(seed)
    secs = sections(buf)
    ids = [s for s, _ in secs]
    n_types, _ = read_leb(dict(secs)[1], 0)
    n_imported_funcs = count_imported_funcs(dict(secs).get(2, b"\0"))
    n_defined, _ = read_leb(dict(secs)[3], 0)
    bodies = []
    total = 0
    while total < code_kb * 1024:
        b = body(rng, rng.randrange(*func_bytes))
        bodies.append(b)
        total += len(b)
    first = n_imported_funcs + n_defined
    out = []
    for sid, payload in secs:
        if sid == 1 and bodies:
            payload = vec_append(payload, [FUNC_TYPE])
        elif sid == 3 and bodies:
            payload = vec_append(payload, [leb(n_types)] * len(bodies))
        elif sid == 7 and bodies and export:
            exports = []
            for i in range(len(bodies)):
                name = f"pad_{i}".encode()
                exports.append(leb(len(name)) + name + b"\0" + leb(first + i))
            payload = vec_append(payload, exports)
        elif sid == 10 and bodies:
            payload = vec_append(payload, bodies)
        elif sid == 11 and data_kb:
            data = rng.randbytes(data_kb * 1024)
            payload = vec_append(payload, [b"\x01" + leb(len(data)) + data])  # passive segment
        elif sid == 12 and data_kb:
            count, _ = read_leb(payload, 0)
            payload = leb(count + 1)
        out.append((sid, payload))
    assert 11 in ids or not data_kb, "module has no data section"
    return b"\0asm\1\0\0\0" + b"".join(bytes([sid]) + leb(len(p)) + p for sid, p in out)


def count_imported_funcs(payload):
    count, pos = read_leb(payload, 0)
    funcs = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            n, pos = read_leb(payload, pos)
            pos += n
        kind = payload[pos]
        pos += 1
        if kind == 0:
            funcs += 1
            _, pos = read_leb(payload, pos)
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags = payload[pos]
            _, pos = read_leb(payload, pos + 1)
            if flags & 1:
                _, pos = read_leb(payload, pos)
        elif kind == 2:  # memory: limits
            flags = payload[pos]
            _, pos = read_leb(payload, pos + 1)
            if flags & 1:
                _, pos = read_leb(payload, pos)
        elif kind == 3:  # global: valtype, mut
            pos += 2
    return funcs


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input", type=Path)
    p.add_argument("output", type=Path)
    p.add_argument("--code-kb", type=int, default=0)
    p.add_argument("--data-kb", type=int, default=0)
    p.add_argument("--func-bytes", default="120,600",
                   help="each padding function's body size, drawn from MIN,MAX bytes (default 120,600)")
    p.add_argument("--no-export", action="store_true", help="do not export the padding functions")
    args = p.parse_args()
    low, high = (int(n) for n in args.func_bytes.split(","))
    out = pad(args.input.read_bytes(), args.code_kb, args.data_kb, (low, high), not args.no_export)
    args.output.write_bytes(out)
    print(f"{args.output}: {len(out)} bytes")


if __name__ == "__main__":
    main()
