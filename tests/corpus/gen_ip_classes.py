"""Generates tests/corpus/ip_classes.jsonl: IP addresses labelled with their
class by Python's `ipaddress` module, the oracle for filters/core's
`IpClass` (see filters/core/src/screen/pii/ip_class.rs for the table).

Addresses are biased to the edges of every special-purpose range (first and
last address, the ones just outside), all netmasks and their neighbours,
then uniform random IPv4 and IPv6 addresses, IPv4-mapped, NAT64 and 6to4
forms. Fixed seed; run with Python >= 3.13 (its `is_global` follows the
IANA registries):

    /root/.pyenv/versions/3.13.0/bin/python tests/corpus/gen_ip_classes.py

The labels come from ipaddress's is_unspecified, is_loopback,
is_link_local, is_multicast, is_global, ipv4_mapped and sixtofour. Python
has no notion of documentation, netmask, broadcast or shared space, so
those are named here, as are the deliberate departures from `is_global`
(listed in RESERVED_THOUGH_GLOBAL).
"""
import ipaddress as ipa
import json
import random
import sys
from pathlib import Path

assert sys.version_info >= (3, 13), "needs Python 3.13's ipaddress"

N = ipa.ip_network
DOCUMENTATION = [N("192.0.2.0/24"), N("198.51.100.0/24"), N("203.0.113.0/24"),
                 N("2001:db8::/32"), N("3fff::/20")]
PRIVATE = [N("10.0.0.0/8"), N("172.16.0.0/12"), N("192.168.0.0/16"),
           N("100.64.0.0/10"), N("fc00::/7")]
NAT64 = N("64:ff9b::/96")
# IANA special-purpose blocks this project calls reserved though Python
# calls (parts of) them global: PCP/TURN anycast in 192.0.0.0/24, the
# retired 6to4 relay block, the IETF protocol assignments of 2001::/23,
# SRv6 SIDs (registered after Python 3.13.0).
RESERVED_THOUGH_GLOBAL = [N("192.0.0.0/24"), N("192.88.99.0/24"), N("2001::/23"),
                          N("5f00::/16")]


def is_netmask(a):
    n = int(a)
    ones = 32 - (n ^ 0xFFFFFFFF).bit_length()
    return 0 < n < 0xFFFFFFFF and n == (0xFFFFFFFF << (32 - ones)) & 0xFFFFFFFF


def label(a):
    if a.version == 6:
        if a.ipv4_mapped is not None:
            return label(a.ipv4_mapped)
        if a in NAT64:
            return label(ipa.IPv4Address(int(a) & 0xFFFFFFFF))
        if a.sixtofour is not None:
            return label(a.sixtofour)
    if a.is_unspecified:
        return "unspecified"
    if a.version == 4 and int(a) == 0xFFFFFFFF:
        return "broadcast"
    if a.version == 4 and is_netmask(a):
        return "netmask"
    if a.is_loopback:
        return "loopback"
    if a.is_link_local:
        return "link_local"
    if any(a in n for n in DOCUMENTATION if n.version == a.version):
        return "documentation"
    if a.is_multicast:
        return "multicast"
    if any(a in n for n in PRIVATE if n.version == a.version):
        return "private"
    if any(a in n for n in RESERVED_THOUGH_GLOBAL if n.version == a.version):
        return "reserved"
    return "public" if a.is_global else "reserved"


# Every block of the IANA special-purpose registries (and the ranges above).
EDGES = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.0.0/29", "192.0.0.8/32", "192.0.0.9/32",
    "192.0.0.10/32", "192.0.0.170/31", "192.0.2.0/24", "192.31.196.0/24",
    "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
    "224.0.0.0/24", "233.252.0.0/24", "240.0.0.0/4", "255.255.255.255/32",
    "::/128", "::1/128", "::/96", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48",
    "100::/64", "2001::/23", "2001::/32", "2001:1::1/128", "2001:1::2/128",
    "2001:2::/48", "2001:3::/32", "2001:4:112::/48", "2001:10::/28", "2001:20::/28",
    "2001:30::/28", "2001:db8::/32", "2002::/16", "2620:4f:8000::/48", "3fff::/20",
    "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "ff02::/16",
    "2000::/3",
]


def around(net):
    first, last = int(net.network_address), int(net.broadcast_address)
    top = 2 ** net.max_prefixlen - 1
    picks = {first, last, max(first - 1, 0), min(last + 1, top)}
    picks.update(rng.randint(first, last) for _ in range(8))
    return picks


def text_of(a):
    """How the address is written: compressed, exploded or upper case; a
    dotted quad for the forms that carry an IPv4 address."""
    if a.version == 4:
        return str(a)
    n = int(a)
    if a.ipv4_mapped is not None or a in NAT64:
        prefix = "::ffff:" if a.ipv4_mapped is not None else "64:ff9b::"
        if rng.random() < 0.7:
            return prefix + str(ipa.IPv4Address(n & 0xFFFFFFFF))
    r = rng.random()
    if r < 0.45:
        return str(a)
    if r < 0.8:
        return a.exploded
    return str(a).upper()


rng = random.Random(10)
values = set()
for text in EDGES:
    net = N(text)
    values.update((net.version, v) for v in around(net))
for prefix in range(0, 33):
    mask = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
    values.update((4, v) for v in (mask, max(mask - 1, 0), min(mask + 1, 0xFFFFFFFF)))
for _ in range(1500):
    values.add((4, rng.getrandbits(32)))
for _ in range(600):
    values.add((6, rng.getrandbits(128)))
for _ in range(600):
    values.add((6, (0b001 << 125) | rng.getrandbits(125)))
for _ in range(300):
    values.add((6, (0xFFFF << 32) | rng.getrandbits(32)))
for _ in range(150):
    values.add((6, int(NAT64.network_address) | rng.getrandbits(32)))
for _ in range(150):
    values.add((6, (0x2002 << 112) | rng.getrandbits(112)))

out = Path(__file__).with_name("ip_classes.jsonl")
with out.open("w") as f:
    for version, v in sorted(values):
        a = ipa.IPv4Address(v) if version == 4 else ipa.IPv6Address(v)
        f.write(json.dumps({"address": text_of(a), "class": label(a)}) + "\n")
print(f"{len(values)} addresses -> {out}")
