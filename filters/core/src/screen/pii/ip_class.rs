//! What an IP address is, after the IANA special-purpose address registries
//! (RFC 6890 and successors): a loopback, a documentation example, a
//! netmask … or an address that can point at someone (private, public).
//!
//! The first row that holds the address gives its class:
//!
//! | class | IPv4 | IPv6 |
//! |---|---|---|
//! | `unspecified` | `0.0.0.0` | `::` |
//! | `broadcast` | `255.255.255.255` | — |
//! | `netmask` | a contiguous mask, `/1`–`/31`: `128.0.0.0` … `255.255.255.0` … `255.255.255.254` | — |
//! | `loopback` | `127.0.0.0/8` | `::1` |
//! | `link_local` | `169.254.0.0/16` | `fe80::/10` |
//! | `documentation` | `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24` | `2001:db8::/32`, `3fff::/20` |
//! | `multicast` | `224.0.0.0/4` | `ff00::/8` |
//! | `private` | `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, `100.64.0.0/10` (shared, carrier-grade NAT) | `fc00::/7` (unique local) |
//! | `reserved` | `0.0.0.0/8` ("this network"), `192.0.0.0/24` (IETF protocol assignments), `192.88.99.0/24` (retired 6to4 relays), `198.18.0.0/15` (benchmarking), `240.0.0.0/4` | `64:ff9b:1::/48` (local-use NAT64), `100::/64` (discard), `2001::/23` (IETF protocol assignments: Teredo, benchmarking, ORCHID …), `5f00::/16` (SRv6 SIDs) |
//! | `public` | everything else | everything else, unallocated space included |
//!
//! IPv6 addresses that carry an IPv4 address take that address's class:
//! IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` and 6to4
//! `2002:AABB:CCDD::/48` (so `::ffff:127.0.0.1` is loopback and
//! `64:ff9b::192.0.2.33` documentation).
//!
//! Choices: shared address space (`100.64.0.0/10`) is `private`: an ISP
//! hands it to one subscriber, so it points at someone as much as a
//! `10.x` address does. The netmask row comes before the ranges, so
//! `255.255.255.0` and `224.0.0.0` are netmasks (neither is anyone's
//! address). IPv6 space that IANA has not allocated (outside `2000::/3`,
//! `fc00::/7`, `fe80::/10`, `ff00::/8`) is `public`: it is not in the
//! special-purpose registry, and random 128-bit test addresses land there.
//! The retired site-local `fec0::/10` and the IPv4-compatible `::/96` are
//! not in the registry either, and are `public`. Globally reachable anycast
//! blocks of the registry (AS112, AMT) are `public`, like any service
//! address.

/// The class of an IP address (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IpClass {
    Public,
    Private,
    Loopback,
    Unspecified,
    LinkLocal,
    Documentation,
    Broadcast,
    Multicast,
    Netmask,
    Reserved,
}

impl IpClass {
    pub const ALL: [IpClass; 10] = [
        IpClass::Public,
        IpClass::Private,
        IpClass::Loopback,
        IpClass::Unspecified,
        IpClass::LinkLocal,
        IpClass::Documentation,
        IpClass::Broadcast,
        IpClass::Multicast,
        IpClass::Netmask,
        IpClass::Reserved,
    ];

    /// Policy name: `public`, `private`, `loopback`, `unspecified`,
    /// `link_local`, `documentation`, `broadcast`, `multicast`, `netmask`,
    /// `reserved`.
    pub fn name(self) -> &'static str {
        match self {
            IpClass::Public => "public",
            IpClass::Private => "private",
            IpClass::Loopback => "loopback",
            IpClass::Unspecified => "unspecified",
            IpClass::LinkLocal => "link_local",
            IpClass::Documentation => "documentation",
            IpClass::Broadcast => "broadcast",
            IpClass::Multicast => "multicast",
            IpClass::Netmask => "netmask",
            IpClass::Reserved => "reserved",
        }
    }

    /// The class with this [`name`](IpClass::name).
    pub fn from_name(s: &str) -> Option<IpClass> {
        IpClass::ALL.into_iter().find(|c| c.name() == s)
    }

    /// The class of the address written in `text` (`10.0.0.1`, `fe80::1`,
    /// `::ffff:127.0.0.1`; no zone, port or brackets), or `None` when
    /// `text` is not an address.
    pub fn of(text: &str) -> Option<IpClass> {
        IpClass::of_bytes(text.as_bytes())
    }

    /// Like [`IpClass::of`], for the bytes of a match.
    pub(super) fn of_bytes(text: &[u8]) -> Option<IpClass> {
        match parse_v4(text) {
            Some(a) => Some(classify_v4(a)),
            None => parse_v6(text).map(classify_v6),
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`IpClass`]es: the classes the `ip` detector reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpClasses(u16);

impl IpClasses {
    /// What a policy gets when it does not say: the addresses that can
    /// point at someone, `private` and `public`.
    pub const DEFAULT: IpClasses =
        IpClasses((1 << IpClass::Private as u16) | (1 << IpClass::Public as u16));
    /// Every class: every address the matcher finds.
    pub const ALL: IpClasses = IpClasses((1 << IpClass::ALL.len()) - 1);

    pub fn of(classes: &[IpClass]) -> IpClasses {
        IpClasses(classes.iter().fold(0, |bits, c| bits | c.bit()))
    }

    pub fn contains(self, class: IpClass) -> bool {
        self.0 & class.bit() != 0
    }

    /// True when both `private` and `public` are in the set.
    pub(super) fn reports_ordinary(self) -> bool {
        let both = IpClasses::DEFAULT.0;
        self.0 & both == both
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The classes in the set, in [`IpClass::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = IpClass> {
        IpClass::ALL.into_iter().filter(move |&c| self.contains(c))
    }
}

impl Default for IpClasses {
    fn default() -> Self {
        IpClasses::DEFAULT
    }
}

/// A dotted quad of 1–3-digit decimal octets ≤ 255 (leading zeros allowed
/// here: the matcher has already refused them).
fn parse_v4(text: &[u8]) -> Option<u32> {
    let (mut value, mut octet, mut digits, mut dots) = (0u32, 0u32, 0, 0);
    for &b in text {
        if b.is_ascii_digit() && digits < 3 {
            octet = octet * 10 + u32::from(b - b'0');
            digits += 1;
        } else if b == b'.' && digits > 0 && octet <= 255 && dots < 3 {
            value = (value << 8) | octet;
            (octet, digits, dots) = (0, 0, dots + 1);
        } else {
            return None;
        }
    }
    (dots == 3 && digits > 0 && octet <= 255).then_some((value << 8) | octet)
}

/// True when every IPv4 address with this first octet is `private` or
/// `public` (no special-purpose range or netmask starts with it): the scan
/// then reports an address without classifying it, when both are chosen.
pub(super) fn v4_first_octet_is_ordinary(octet: u8) -> bool {
    !matches!(octet, 0 | 127 | 128 | 169 | 192 | 198 | 203 | 224..)
}

/// Groups of 1–4 hex digits separated by `:`, at most one `::`, an
/// optional dotted quad last (two groups): eight groups, or fewer with `::`.
fn parse_v6(text: &[u8]) -> Option<u128> {
    let mut groups = [0u16; 8];
    let mut count = 0;
    let mut gap = None;
    let mut i = 0;
    if text.starts_with(b"::") {
        gap = Some(0);
        i = 2;
    }
    while i < text.len() {
        let rest = text.get(i..)?;
        let part_len = rest.iter().position(|&b| b == b':').unwrap_or(rest.len());
        let part = rest.get(..part_len)?;
        if part.contains(&b'.') {
            let quad = parse_v4(part)?;
            if i + part_len != text.len() || count > 6 {
                return None;
            }
            *groups.get_mut(count)? = (quad >> 16) as u16;
            *groups.get_mut(count + 1)? = quad as u16;
            count += 2;
            break;
        }
        if part.is_empty() || part.len() > 4 {
            return None;
        }
        let mut group = 0u16;
        for &b in part {
            group = (group << 4) | u16::from(hex_value(b)?);
        }
        *groups.get_mut(count)? = group;
        count += 1;
        i += part_len;
        if i == text.len() {
            break;
        }
        if text.get(i + 1) == Some(&b':') {
            if gap.is_some() {
                return None;
            }
            gap = Some(count);
            i += 2;
        } else {
            i += 1;
            if i == text.len() {
                return None;
            }
        }
    }
    let value = |gs: &[u16]| gs.iter().fold(0u128, |v, &g| (v << 16) | u128::from(g));
    match gap {
        None if count == 8 => Some(value(&groups)),
        Some(at) if count <= 7 => {
            let (head, tail) = groups.get(..count)?.split_at_checked(at)?;
            let head = value(head).checked_shl(16 * (8 - at) as u32).unwrap_or(0);
            Some(head | value(tail))
        }
        _ => None,
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

const fn v4(a: u8, b: u8, c: u8, d: u8) -> u32 {
    u32::from_be_bytes([a, b, c, d])
}

/// IPv4 ranges after the single addresses and netmasks (disjoint; the
/// private ones, the most frequent in text, first).
const V4_RANGES: &[(u32, u32, IpClass)] = &[
    (v4(10, 0, 0, 0), 8, IpClass::Private),
    (v4(192, 168, 0, 0), 16, IpClass::Private),
    (v4(172, 16, 0, 0), 12, IpClass::Private),
    (v4(100, 64, 0, 0), 10, IpClass::Private),
    (v4(127, 0, 0, 0), 8, IpClass::Loopback),
    (v4(169, 254, 0, 0), 16, IpClass::LinkLocal),
    (v4(192, 0, 2, 0), 24, IpClass::Documentation),
    (v4(198, 51, 100, 0), 24, IpClass::Documentation),
    (v4(203, 0, 113, 0), 24, IpClass::Documentation),
    (v4(224, 0, 0, 0), 4, IpClass::Multicast),
    (v4(0, 0, 0, 0), 8, IpClass::Reserved),
    (v4(192, 0, 0, 0), 24, IpClass::Reserved),
    (v4(192, 88, 99, 0), 24, IpClass::Reserved),
    (v4(198, 18, 0, 0), 15, IpClass::Reserved),
    (v4(240, 0, 0, 0), 4, IpClass::Reserved),
];

/// The class of an IPv4 address.
pub fn classify_v4(a: u32) -> IpClass {
    if a == 0 {
        return IpClass::Unspecified;
    }
    if a == u32::MAX {
        return IpClass::Broadcast;
    }
    if a.leading_ones() + a.trailing_zeros() == 32 {
        return IpClass::Netmask;
    }
    V4_RANGES
        .iter()
        .find(|&&(net, len, _)| (a ^ net).checked_shr(32 - len).unwrap_or(0) == 0)
        .map_or(IpClass::Public, |&(_, _, class)| class)
}

const fn v6(groups: [u16; 8]) -> u128 {
    let mut value = 0u128;
    let mut i = 0;
    while i < 8 {
        value = (value << 16) | groups[i] as u128;
        i += 1;
    }
    value
}

/// IPv6 ranges after `::`, `::1` and the forms that carry an IPv4 address.
const V6_RANGES: &[(u128, u32, IpClass)] = &[
    (
        v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]),
        32,
        IpClass::Documentation,
    ),
    (
        v6([0x3fff, 0, 0, 0, 0, 0, 0, 0]),
        20,
        IpClass::Documentation,
    ),
    (v6([0xfe80, 0, 0, 0, 0, 0, 0, 0]), 10, IpClass::LinkLocal),
    (v6([0xff00, 0, 0, 0, 0, 0, 0, 0]), 8, IpClass::Multicast),
    (v6([0xfc00, 0, 0, 0, 0, 0, 0, 0]), 7, IpClass::Private),
    (v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0]), 48, IpClass::Reserved),
    (v6([0x100, 0, 0, 0, 0, 0, 0, 0]), 64, IpClass::Reserved),
    (v6([0x2001, 0, 0, 0, 0, 0, 0, 0]), 23, IpClass::Reserved),
    (v6([0x5f00, 0, 0, 0, 0, 0, 0, 0]), 16, IpClass::Reserved),
];

const MAPPED: u128 = v6([0, 0, 0, 0, 0, 0xffff, 0, 0]);
const NAT64: u128 = v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0]);
const SIX_TO_FOUR: u128 = v6([0x2002, 0, 0, 0, 0, 0, 0, 0]);

fn in_net(a: u128, net: u128, len: u32) -> bool {
    (a ^ net).checked_shr(128 - len).unwrap_or(0) == 0
}

/// The class of an IPv6 address.
pub fn classify_v6(a: u128) -> IpClass {
    match a {
        0 => return IpClass::Unspecified,
        1 => return IpClass::Loopback,
        _ => {}
    }
    if in_net(a, MAPPED, 96) || in_net(a, NAT64, 96) {
        return classify_v4(a as u32);
    }
    if in_net(a, SIX_TO_FOUR, 16) {
        return classify_v4((a >> 80) as u32);
    }
    V6_RANGES
        .iter()
        .find(|&&(net, len, _)| in_net(a, net, len))
        .map_or(IpClass::Public, |&(_, _, class)| class)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn class(text: &str) -> IpClass {
        IpClass::of(text).unwrap_or_else(|| panic!("{text}: not an address"))
    }

    /// Each range by its first and last address and the addresses just
    /// outside it.
    #[test]
    fn v4_boundaries() {
        use IpClass::*;
        for (text, want) in [
            ("0.0.0.0", Unspecified),
            ("0.0.0.1", Reserved),
            ("0.255.255.255", Reserved),
            ("1.0.0.0", Public),
            ("9.255.255.255", Public),
            ("10.0.0.0", Private),
            ("10.255.255.255", Private),
            ("11.0.0.0", Public),
            ("100.63.255.255", Public),
            ("100.64.0.0", Private),
            ("100.127.255.255", Private),
            ("100.128.0.0", Public),
            ("126.255.255.255", Public),
            ("127.0.0.0", Loopback),
            ("127.0.0.1", Loopback),
            ("127.255.255.255", Loopback),
            ("128.0.0.0", Netmask),
            ("128.0.0.1", Public),
            ("169.253.255.255", Public),
            ("169.254.0.0", LinkLocal),
            ("169.254.255.255", LinkLocal),
            ("169.255.0.0", Public),
            ("172.15.255.255", Public),
            ("172.16.0.0", Private),
            ("172.31.255.255", Private),
            ("172.32.0.0", Public),
            ("191.255.255.255", Public),
            ("192.0.0.0", Netmask),
            ("192.0.0.1", Reserved),
            ("192.0.0.255", Reserved),
            ("192.0.1.0", Public),
            ("192.0.1.255", Public),
            ("192.0.2.0", Documentation),
            ("192.0.2.255", Documentation),
            ("192.0.3.0", Public),
            ("192.88.98.255", Public),
            ("192.88.99.0", Reserved),
            ("192.88.99.255", Reserved),
            ("192.88.100.0", Public),
            ("192.167.255.255", Public),
            ("192.168.0.0", Private),
            ("192.168.255.255", Private),
            ("192.169.0.0", Public),
            ("198.17.255.255", Public),
            ("198.18.0.0", Reserved),
            ("198.19.255.255", Reserved),
            ("198.20.0.0", Public),
            ("198.51.99.255", Public),
            ("198.51.100.0", Documentation),
            ("198.51.100.255", Documentation),
            ("198.51.101.0", Public),
            ("203.0.112.255", Public),
            ("203.0.113.0", Documentation),
            ("203.0.113.255", Documentation),
            ("203.0.114.0", Public),
            ("223.255.255.255", Public),
            ("224.0.0.0", Netmask),
            ("224.0.0.1", Multicast),
            ("224.0.0.251", Multicast),
            ("239.255.255.255", Multicast),
            ("240.0.0.0", Netmask),
            ("240.0.0.1", Reserved),
            ("255.255.255.254", Netmask),
            ("255.255.255.253", Reserved),
            ("255.255.255.255", Broadcast),
            ("255.255.255.0", Netmask),
            ("255.255.0.0", Netmask),
            ("255.0.0.0", Netmask),
            ("255.255.254.0", Netmask),
            ("255.255.255.252", Netmask),
            ("255.255.0.255", Reserved),
            ("8.8.8.8", Public),
        ] {
            assert_eq!(class(text), want, "{text}");
        }
    }

    #[test]
    fn v6_boundaries() {
        use IpClass::*;
        for (text, want) in [
            ("::", Unspecified),
            ("::1", Loopback),
            ("::2", Public),
            ("::ffff:0.0.0.0", Unspecified),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:7f00:1", Loopback),
            ("::ffff:10.1.2.3", Private),
            ("::ffff:8.8.8.8", Public),
            ("::fffe:ffff:ffff", Public),
            ("::1:0:0:0", Public),
            ("64:ff9b::192.0.2.33", Documentation),
            ("64:ff9b::8.8.8.8", Public),
            ("64:ff9b::ffff:ffff", Broadcast),
            ("64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("64:ff9b:0:0:0:1::", Public),
            ("64:ff9b:1::", Reserved),
            ("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("64:ff9b:2::", Public),
            ("ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("100::", Reserved),
            ("100::ffff:ffff:ffff:ffff", Reserved),
            ("100:0:0:1::", Public),
            ("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("2001::", Reserved),
            ("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("2001:200::", Public),
            ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("2001:db8::", Documentation),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("2001:db9::", Public),
            ("2002::", Unspecified),
            ("2002:0a00:0001::1", Private),
            ("2002:c000:0201::1", Documentation),
            ("2002:808:808::1", Public),
            ("2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Broadcast),
            ("2003::", Public),
            ("2606:4700:4700::1111", Public),
            ("3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("3fff::", Documentation),
            ("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("3fff:1000::", Public),
            ("4000::1", Public),
            ("5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("5f00::", Reserved),
            ("5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("5f01::", Public),
            ("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("fc00::", Private),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Private),
            ("fe00::", Public),
            ("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("fe80::", LinkLocal),
            ("fe80::1", LinkLocal),
            ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LinkLocal),
            ("fec0::", Public),
            ("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("ff00::", Multicast),
            ("ff02::1", Multicast),
            ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Multicast),
        ] {
            assert_eq!(class(text), want, "{text}");
        }
    }

    /// Every address whose first octet is called ordinary is private or
    /// public: each such octet's /8 sampled at its edges and at random.
    #[test]
    fn ordinary_first_octets_hold_only_private_and_public_addresses() {
        let mut rng = fastrand::Rng::with_seed(4);
        let ordinary: Vec<u8> = (0..=255)
            .filter(|&o| v4_first_octet_is_ordinary(o))
            .collect();
        assert_eq!(ordinary.len(), 256 - 7 - 32);
        for o in ordinary {
            let base = u32::from(o) << 24;
            let mut rest: Vec<u32> = (0..2000).map(|_| rng.u32(..1 << 24)).collect();
            rest.extend([
                0, 1, 0xff_ffff, 0xff_fffe, 0x40_0000, 0x3f_ffff, 0x10_0000, 0x0f_ffff,
            ]);
            for r in rest {
                let class = classify_v4(base | r);
                assert!(
                    matches!(class, IpClass::Private | IpClass::Public),
                    "{:?}: {class:?}",
                    std::net::Ipv4Addr::from(base | r)
                );
            }
        }
    }

    /// The IPv6 parse agrees with the standard library's on every fixture
    /// address and on random ones in every written form.
    #[test]
    fn v6_parse_agrees_with_std() {
        use std::net::Ipv6Addr;
        let mut rng = fastrand::Rng::with_seed(6);
        let mut texts: Vec<String> = include_str!("../../../../../tests/corpus/ip_classes.jsonl")
            .lines()
            .filter_map(|l| l.split('"').nth(3).map(str::to_string))
            .collect();
        for _ in 0..3000 {
            let mut groups = [0u16; 8];
            for g in &mut groups {
                *g = match rng.u8(..4) {
                    0 => 0,
                    1 => rng.u16(..16),
                    _ => rng.u16(..),
                };
            }
            let a = Ipv6Addr::from(groups);
            texts.push(a.to_string());
            texts.push(format!(
                "{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
                groups[0],
                groups[1],
                groups[2],
                groups[3],
                groups[4],
                groups[5],
                groups[6],
                groups[7]
            ));
            let [.., a1, a2, a3, a4] = a.octets();
            texts.push(format!("{:x}::{a1}.{a2}.{a3}.{a4}", groups[0]));
        }
        for bad in [
            "",
            ":",
            ":::",
            "1:2",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "12345::",
            "1:",
            ":1",
            "1::2:",
            "1.2.3.4::",
            "::1.2.3.4:5",
            "1:2:3:4:5:6:7:1.2.3.4",
            "g::1",
            "::ffff:1.2.3",
        ] {
            texts.push(bad.to_string());
        }
        for text in &texts {
            let want = text.parse::<Ipv6Addr>().ok().map(u128::from);
            assert_eq!(parse_v6(text.as_bytes()), want, "{text}");
        }
    }

    #[test]
    fn not_addresses() {
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.0.0.1",
            "1..2.3",
            "1.2.3.",
            ".1.2.3",
            "1.2.3.4444",
            "1.2.3.256",
            "1.2.3.4.",
            "fe80::1%eth0",
            ":::",
        ] {
            assert_eq!(IpClass::of(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_and_sets() {
        for c in IpClass::ALL {
            assert_eq!(IpClass::from_name(c.name()), Some(c));
            assert!(IpClasses::ALL.contains(c));
        }
        assert_eq!(IpClass::from_name("Public"), None);
        let default: Vec<IpClass> = IpClasses::DEFAULT.iter().collect();
        assert_eq!(default, vec![IpClass::Public, IpClass::Private]);
        assert_eq!(IpClasses::default(), IpClasses::DEFAULT);
        assert!(IpClasses::of(&[]).is_empty());
        assert_eq!(
            IpClasses::of(&[IpClass::Private, IpClass::Public]),
            IpClasses::DEFAULT
        );
    }
}
