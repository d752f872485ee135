//! IP addresses, v4 and v6.
//!
//! IPv4: a dotted quad of decimal octets 0–255 without leading zeros
//! (`192.168.0.1`, `10.0.0.255`; `010.0.0.1` is not matched: leading zeros
//! read as octal in some parsers, so such strings are rarely addresses). A
//! port or prefix length after it is not part of the match (`10.0.0.1:8080`,
//! `10.0.0.0/8`). Not matched when part of a longer dotted run (`1.2.3.4.5`,
//! `v10.0.0.1`, `1.2.3.4.example`), glued to letters or digits, with an
//! octet above 255, or right after a word that names a version or a numbered part of
//! a document (`version 10.4.2.1`, `release 2.0.0.1`, `build`, `firmware`,
//! `ver`, `revision`, `rev`, `patch`, the user-agent token `rv:1.9.7.20`; `Section 2.4.3.5`, `chapter`,
//! `clause`, `paragraph`, `article`, `appendix`, `figure`, `fig`) or an
//! identifier numbered like one (`SKU 20.1.18.1`, `part`, `model`, `item`,
//! `order`, `invoice`, `ticket`; not `ref`: `Ref: 10.14.163.63` may name
//! an address).
//!
//! IPv6: eight groups of 1–4 hex digits (`2001:0db8:0000:0000:0000:ff00:0042:8329`),
//! the compressed form with one `::` (`fe80::1`, `2001:db8::8a2e:370:7334`,
//! `::1`), and a trailing dotted quad (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.33`).
//! A zone (`%eth0`) and brackets are not part of the match, nor a port
//! written after the eight groups of a full address without brackets
//! (`d4ae:dfae:a515:ec2a:bb20:6bfa:81cc:91fe:22`: nine groups are no
//! address, and the last one is decimal). Deliberately not
//! matched: a bare `::`, addresses with no decimal digit at all (so code such
//! as `Enum::Add` or `a::b` does not hit), colon runs longer than an address
//! (SSH fingerprints), times (`12:30:45`), and MAC-like forms in which every
//! group has exactly two hex digits (`00:1a:2b:3c:4d:5e`, EUI-64s).
//!
//! What is reported depends on the address's class ([`IpClass`]):
//! [`match_v4_in`] and [`match_v6_in`] keep only the classes asked for (by
//! default `private` and `public`, so `127.0.0.1`, `0.0.0.0`, `::1`,
//! `255.255.255.0` and `2001:db8::1` pass). A dotted quad that ends an IPv6
//! address (`::ffff:127.0.0.1`, `2001:db8::8.8.8.8`) belongs to it: it is
//! never reported on its own.

use super::classes::{
    at, before, digit_run_end, is_alnum, is_digit, is_hex, label_colon_before, small_number,
    word_end_ok, word_start_ok,
};
use super::ip_class::{v4_first_octet_is_ordinary, IpClass, IpClasses};

/// `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`
pub(super) const MAX_LEN: usize = 45;

/// The end of an IPv4 octet at `pos`: 1–3 digits, no leading zero, ≤ 255.
fn octet_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let end = digit_run_end(bytes, pos);
    let digits = bytes.get(pos..end)?;
    let ok = match digits {
        [_] => true,
        [b'0', ..] => false,
        [_, _] => true,
        [_, _, _] => small_number(digits) <= 255,
        _ => false,
    };
    ok.then_some(end)
}

/// The end of a dotted quad at `pos`, without boundary checks.
fn dotted_quad_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut end = octet_end(bytes, pos)?;
    for _ in 0..3 {
        if at(bytes, end) != b'.' {
            return None;
        }
        end = octet_end(bytes, end + 1)?;
    }
    Some(end)
}

/// An IPv4 address starting at `start` (a digit): the end of the match.
pub(super) fn match_v4(bytes: &[u8], start: usize) -> Option<usize> {
    let prev = before(bytes, start, 1);
    if !word_start_ok(bytes, start) || (prev == b'.' && is_alnum(before(bytes, start, 2))) {
        return None;
    }
    if after_version_word(bytes, start) {
        return None;
    }
    let end = dotted_quad_end(bytes, start)?;
    let next = at(bytes, end);
    let continued = next == b'.' && is_alnum(at(bytes, end + 1));
    let bounded = word_end_ok(bytes, end) && !continued;
    bounded.then_some(end)
}

/// An IPv4 address at `start` whose class is in `classes`: the end of the
/// match.
#[inline]
pub(super) fn match_v4_in(bytes: &[u8], start: usize, classes: IpClasses) -> Option<usize> {
    let end = match_v4(bytes, start)?;
    if before(bytes, start, 1) == b':' && ends_v6(bytes, start, end) {
        return None;
    }
    if classes.reports_ordinary() && v4_first_octet_is_ordinary(first_octet(bytes, start)) {
        return Some(end);
    }
    reported(bytes, start, end, classes)
}

/// The first octet of the dotted quad matched at `start`.
fn first_octet(bytes: &[u8], start: usize) -> u8 {
    let digit = |i: usize| u32::from(at(bytes, i).wrapping_sub(b'0'));
    let value = match (at(bytes, start + 1), at(bytes, start + 2)) {
        (b'.', _) => digit(start),
        (_, b'.') => digit(start) * 10 + digit(start + 1),
        _ => digit(start) * 100 + digit(start + 1) * 10 + digit(start + 2),
    };
    u8::try_from(value).unwrap_or(0)
}

/// An IPv6 address at `start` whose class is in `classes`: the end of the
/// match.
#[inline]
pub(super) fn match_v6_in(bytes: &[u8], start: usize, classes: IpClasses) -> Option<usize> {
    let end = match_v6(bytes, start)?;
    reported(bytes, start, end, classes)
}

/// `Some(end)` when the address in `start..end` is of a class in `classes`
/// (or, which the matcher rules out, of none).
#[inline(never)]
fn reported(bytes: &[u8], start: usize, end: usize, classes: IpClasses) -> Option<usize> {
    if classes == IpClasses::ALL {
        return Some(end);
    }
    let class = bytes.get(start..end).and_then(IpClass::of_bytes);
    class.is_none_or(|c| classes.contains(c)).then_some(end)
}

/// True when the dotted quad at `start..end` ends an IPv6 address that
/// starts in the run of hex digits and colons before it.
#[inline(never)]
fn ends_v6(bytes: &[u8], start: usize, end: usize) -> bool {
    let mut k = start;
    while k > 0 && start - k < MAX_LEN {
        k -= 1;
        let b = at(bytes, k);
        if !(is_hex(b) || b == b':') {
            return false;
        }
        if match_v6(bytes, k) == Some(end) {
            return true;
        }
    }
    false
}

/// Words after which a dotted quad is a version or a numbered part of a
/// document, not an address (`revision 1.17.2.7`, `Section 2.4.3.5`).
const VERSION_WORDS: &[&[u8]] = &[
    b"version",
    b"ver",
    b"release",
    b"build",
    b"firmware",
    b"revision",
    b"rev",
    // Gecko's user-agent token: `(X11; Linux x86_64; rv:1.9.7.20)`
    b"rv",
    b"patch",
    b"section",
    b"sections",
    b"chapter",
    b"clause",
    b"paragraph",
    b"article",
    b"appendix",
    b"figure",
    b"fig",
    // identifiers numbered like versions (`SKU 20.1.18.1`, `part 3.14.3.17`)
    b"sku",
    b"part",
    b"model",
    b"item",
    b"order",
    b"invoice",
    b"ticket",
];

/// True when `start` follows one space (or `: `) after a version word.
fn after_version_word(bytes: &[u8], start: usize) -> bool {
    let mut end = start;
    while end > 0 && matches!(bytes.get(end - 1), Some(b' ' | b':')) && start - end < 2 {
        end -= 1;
    }
    if end == start {
        return false;
    }
    let mut word_start = end;
    while word_start > 0
        && bytes
            .get(word_start - 1)
            .is_some_and(u8::is_ascii_alphabetic)
    {
        word_start -= 1;
    }
    let word = bytes.get(word_start..end).unwrap_or(&[]);
    VERSION_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// What a parse of the groups found.
struct V6Parse {
    end: usize,
    /// 16-bit groups, a trailing dotted quad counting as two.
    groups: usize,
    compressed: bool,
    any_decimal_digit: bool,
    all_groups_two_wide: bool,
    /// Eight full groups then `:` and a decimal port (`…:2c0c:22`).
    port: bool,
    /// A group of four hex digits was seen.
    any_four_wide: bool,
}

/// An IPv6 address starting at `start` (a hex digit or `::`): the end of
/// the match.
pub(super) fn match_v6(bytes: &[u8], start: usize) -> Option<usize> {
    let prev = before(bytes, start, 1);
    let glued_colon = prev == b':' && !label_colon_before(bytes, start);
    if !word_start_ok(bytes, start) || glued_colon || prev == b'.' {
        return None;
    }
    let parse = parse_v6(bytes, start)?;
    let complete = if parse.compressed {
        (1..=7).contains(&parse.groups)
    } else {
        parse.groups == 8 && !parse.all_groups_two_wide
    };
    let next = at(bytes, parse.end);
    let bounded = parse.port
        || word_end_ok(bytes, parse.end)
            && !(next == b':'
                && (is_hex(at(bytes, parse.end + 1)) || at(bytes, parse.end + 1) == b':'))
            && !(next == b'.' && is_alnum(at(bytes, parse.end + 1)));
    (complete && bounded && parse.any_decimal_digit).then_some(parse.end)
}

fn parse_v6(bytes: &[u8], start: usize) -> Option<V6Parse> {
    let mut p = V6Parse {
        end: start,
        groups: 0,
        compressed: false,
        any_decimal_digit: false,
        all_groups_two_wide: true,
        port: false,
        any_four_wide: false,
    };
    if at(bytes, start) == b':' {
        if at(bytes, start + 1) != b':' {
            return None;
        }
        p.compressed = true;
        p.end = start + 2;
    }
    loop {
        let group_start = p.end;
        let mut group_end = group_start;
        while group_end - group_start < 5 && is_hex(at(bytes, group_end)) {
            group_end += 1;
        }
        let group = bytes.get(group_start..group_end)?;
        if group.is_empty() {
            break;
        }
        let decimal = group.iter().all(|&b| is_digit(b));
        if decimal && at(bytes, group_end) == b'.' && is_digit(at(bytes, group_end + 1)) {
            p.end = dotted_quad_end(bytes, group_start)?;
            p.groups += 2;
            p.any_decimal_digit = true;
            p.all_groups_two_wide = false;
            break;
        }
        if p.groups == 8
            && !p.compressed
            && p.any_four_wide
            && decimal
            && !is_alnum(at(bytes, group_end))
            && at(bytes, group_end) != b':'
        {
            // eight groups and a port: `d4ae:…:91fe:22` (the address ends
            // before the colon)
            p.end = group_start - 1;
            p.port = true;
            break;
        }
        if group.len() > 4 || p.groups >= 8 {
            return None;
        }
        p.groups += 1;
        p.any_decimal_digit |= group.iter().any(|&b| is_digit(b));
        p.all_groups_two_wide &= group.len() == 2;
        p.any_four_wide |= group.len() == 4;
        p.end = group_end;
        if at(bytes, group_end) != b':' {
            break;
        }
        let after_colon = at(bytes, group_end + 1);
        if after_colon == b':' {
            if p.compressed {
                return None;
            }
            p.compressed = true;
            p.end = group_end + 2;
        } else if is_hex(after_colon) {
            p.end = group_end + 1;
        } else {
            break;
        }
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len()).find_map(|i| {
            let end = match_v4(bytes, i).or_else(|| match_v6(bytes, i));
            end.map(|end| &text[i..end])
        })
    }

    #[test]
    fn v4() {
        for ok in [
            "192.168.0.1",
            "10.0.0.255",
            "0.0.0.0",
            "255.255.255.255",
            "8.8.8.8",
        ] {
            assert_eq!(find(&format!("host {ok}.")), Some(ok), "{ok}");
        }
        assert_eq!(find("10.0.0.1:8080"), Some("10.0.0.1"));
        assert_eq!(find("10.0.0.0/8"), Some("10.0.0.0"));
        assert_eq!(find("[10.0.0.1]"), Some("10.0.0.1"));
        for bad in [
            "256.1.1.1",
            "1.2.3.4.5",
            "v10.0.0.1",
            "version 10.0.0.1.2",
            "Version 10.4.2.1 of the driver",
            "revision 1.17.2.7 date: 2001/05/31",
            "Section 2.4.3.5 AWNS (Acceptor Wait for New Cycle State)",
            "see clause 4.1.2.3 and figure 1.2.3.4",
            "firmware: 2.1.0.7",
            "release 1.0.0.1",
            "010.0.0.1",
            "1.2.3",
            "1.2.3.4a",
            "a.1.2.3.4",
            "1.2.3.4.example",
            "11.22.333.444",
        ] {
            assert_eq!(find(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_user_agent_revision_is_not_an_address() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:1.9.7.20) Gecko/20100101 Firefox/3.6";
        assert_eq!(find(ua), None);
        assert_eq!(find("server:1.9.7.20"), Some("1.9.7.20"));
    }

    #[test]
    fn an_identifier_numbered_like_a_version_is_not_an_address() {
        for text in ["SKU 20.1.18.1", "invoice 5.4.12.5", "part 3.14.3.17"] {
            assert_eq!(find(text), None, "{text}");
        }
        assert_eq!(find("Ref: 16.6.16.20"), Some("16.6.16.20"));
        assert_eq!(find("IP: 20.1.18.1"), Some("20.1.18.1"));
    }

    #[test]
    fn v6() {
        for ok in [
            "2001:0db8:0000:0000:0000:ff00:0042:8329",
            "2001:db8::8a2e:370:7334",
            "fe80::1",
            "::1",
            "::ffff:192.0.2.1",
            "64:ff9b::192.0.2.33",
            "2001:db8::",
            "FE80::0202:B3FF:FE1E:8329",
        ] {
            assert_eq!(find(&format!("addr {ok}, ok")), Some(ok), "{ok}");
        }
        assert_eq!(find("[2001:db8::1]:443"), Some("2001:db8::1"));
        assert_eq!(find("fe80::1%eth0"), Some("fe80::1"));
        let full = "d4ae:dfae:a515:ec2a:bb20:6bfa:81cc:91fe";
        assert_eq!(find(&format!("ssh {full}:22 -v")), Some(full));
        assert_eq!(find(&format!("{full}:22:1")), None);
        assert_eq!(find("at 2001:db8::8888."), Some("2001:db8::8888"));
        assert_eq!(find("at 2001:db8::eb4f."), Some("2001:db8::eb4f"));
        for bad in [
            "::",
            "12:30:45",
            "00:1a:2b:3c:4d:5e",
            "00:1a:2b:ff:fe:3c:4d:5e",
            "16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48",
            "Enum::Add",
            "a::b",
            "std::cerr",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8:99",
            "12345::1",
            "fe80::1g",
            ":::1",
        ] {
            assert_eq!(find(bad), None, "{bad}");
        }
    }

    fn scan(text: &str, classes: IpClasses) -> Vec<&str> {
        use super::super::{PiiKind, PiiScanner};
        let mut out = Vec::new();
        PiiScanner::new(&PiiKind::ALL)
            .with_ip_classes(classes)
            .scan(text, &mut out);
        out.iter()
            .map(|m| &text[m.span.start..m.span.end])
            .collect()
    }

    /// Addresses in code answers that identify nobody pass by default, and
    /// are still found when every class is asked for.
    #[test]
    fn default_classes_leave_code_answers_alone() {
        for (text, address) in [
            ("curl http://127.0.0.1:8000/health", "127.0.0.1"),
            ("uvicorn app:main --host 0.0.0.0 --port 80", "0.0.0.0"),
            ("ping localhost ::1", "::1"),
            ("ping 192.0.2.1", "192.0.2.1"),
            ("ifconfig eth0 netmask 255.255.255.0 up", "255.255.255.0"),
            (
                "route add -net 203.0.113.0 --netmask 255.0.0.0",
                "203.0.113.0",
            ),
            ("ip route: 0.0.0.0/0 via 198.51.100.1", "0.0.0.0"),
            ("ping6 fe80::1%eth0", "fe80::1"),
            ("all nodes: ff02::1", "ff02::1"),
            ("mDNS on 224.0.0.251:5353", "224.0.0.251"),
            ("dig @198.51.100.53 example.com", "198.51.100.53"),
            (
                "the EC2 metadata service at 169.254.169.254",
                "169.254.169.254",
            ),
            ("listen [::]:80; and 0.0.0.0:80", "0.0.0.0"),
            ("mapped ::ffff:127.0.0.1 here", "::ffff:127.0.0.1"),
            ("doc 2001:db8::8.8.8.8 here", "2001:db8::8.8.8.8"),
            ("nat64 64:ff9b::192.0.2.33 here", "64:ff9b::192.0.2.33"),
            (
                "see 2001:db8:85a3::8a2e:370:7334",
                "2001:db8:85a3::8a2e:370:7334",
            ),
            ("bench 198.18.0.1 and 240.0.0.1", "198.18.0.1"),
        ] {
            assert_eq!(scan(text, IpClasses::DEFAULT), Vec::<&str>::new(), "{text}");
            let all = scan(text, IpClasses::ALL);
            assert_eq!(all.first(), Some(&address), "{text}");
        }
        assert_eq!(
            scan("listen [::]:80; and 0.0.0.0:80", IpClasses::ALL),
            vec!["0.0.0.0"],
            "a bare :: is never matched"
        );
    }

    #[test]
    fn private_and_public_addresses_are_still_reported() {
        for address in [
            "10.0.0.5",
            "172.16.4.1",
            "192.168.1.255",
            "100.64.12.3",
            "8.8.8.8",
            "81.2.69.160",
            "2606:4700:4700::1111",
            "2a01:4f8::2",
            "fd12:3456:789a::1",
            "::ffff:8.8.8.8",
            "::ffff:192.168.0.1",
            "64:ff9b::8.8.4.4",
            "2002:808:808::1",
        ] {
            for text in [
                format!("from {address} today"),
                format!("curl http://[{address}]:8080/x"),
                format!("`{address}`"),
            ] {
                assert_eq!(scan(&text, IpClasses::DEFAULT), vec![address], "{text}");
            }
        }
        let text = "inet 192.168.1.5 netmask 255.255.255.0 broadcast 192.168.1.255";
        assert_eq!(
            scan(text, IpClasses::DEFAULT),
            vec!["192.168.1.5", "192.168.1.255"]
        );
    }

    #[test]
    fn only_the_chosen_classes() {
        let text = "lo 127.0.0.1, lan 10.0.0.1, wan 8.8.8.8, doc 2001:db8::1, ll fe80::1";
        let only = |classes: &[IpClass]| scan(text, IpClasses::of(classes));
        assert_eq!(only(&[IpClass::Public]), vec!["8.8.8.8"]);
        assert_eq!(only(&[IpClass::Private]), vec!["10.0.0.1"]);
        assert_eq!(
            only(&[IpClass::Loopback, IpClass::LinkLocal]),
            vec!["127.0.0.1", "fe80::1"]
        );
        assert_eq!(only(&[IpClass::Documentation]), vec!["2001:db8::1"]);
        assert_eq!(only(&[]), Vec::<&str>::new());
        assert_eq!(scan(text, IpClasses::ALL).len(), 5);
    }

    /// The dotted quad of an IPv6 address is never reported apart from it,
    /// whatever the classes; a quad after a colon that ends no address is.
    #[test]
    fn a_trailing_quad_belongs_to_its_address() {
        let public = IpClasses::of(&[IpClass::Public]);
        assert_eq!(scan("at 2001:db8::8.8.8.8 now", public), Vec::<&str>::new());
        assert_eq!(
            scan("at fe80::10.1.2.3 now", IpClasses::DEFAULT),
            Vec::<&str>::new()
        );
        assert_eq!(scan("ip:8.8.8.8", public), vec!["8.8.8.8"]);
        assert_eq!(scan("id:8.8.8.8", public), vec!["8.8.8.8"]);
        assert_eq!(scan("x::ffff:8.8.8.8", public), vec!["8.8.8.8"]);
        assert_eq!(
            scan("port 22:10.0.0.1", IpClasses::DEFAULT),
            vec!["10.0.0.1"]
        );
    }

    #[test]
    fn boundaries() {
        assert_eq!(find(""), None);
        assert_eq!(find("ü10.0.0.1ü"), Some("10.0.0.1"));
        assert_eq!(find(&"1.".repeat(50_000)), None);
        assert_eq!(find(&"1:".repeat(50_000)), None);
        let longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        assert_eq!(find(longest), Some(longest));
        assert_eq!(longest.len(), MAX_LEN);
    }
}
