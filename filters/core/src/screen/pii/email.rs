//! Email addresses.
//!
//! Matches `local@domain.tld`: a local part of ASCII letters, digits and
//! `._%+-` (1–64 bytes, not starting or ending with `.`, no `..`), then a
//! domain of at least two dot-separated labels of letters, digits and `-`
//! (a label neither starts nor ends with `-`, at most 63 bytes), whose last
//! label (the TLD) is at least two letters. Whole address at most 254 bytes.
//! The local part starts at its first letter or digit, so surrounding
//! punctuation and markup are not part of the match (`<a@b.co>`,
//! `mailto:a@b.co`, `**a@b.co**`, `__a@b.co__`, `` `a@b.co` ``,
//! `[a@b.co](mailto:a@b.co)`, `a@b.co.` at the end of a sentence); pasted
//! escape sequences before it (`Email:\na@b.co`) are separators (see the
//! fold).
//!
//! Not matched: `user@localhost` and other single-label domains, `a@b`,
//! `@mention`, numeric "TLDs" (`root@10.0.0.1`), quoted local parts and
//! non-ASCII (internationalised) addresses: write those in punycode.
//! Known limitation: asset names such as `icon@2x.png` have an address's
//! shape and are matched.

use super::classes::{at, before, class_of, is_alnum, ALNUM, LETTER};
use super::Span;

const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;
/// The longest match (RFC 5321 path limit).
pub(super) const MAX_LEN: usize = 254;

fn is_local_char(b: u8) -> bool {
    is_alnum(b) || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_label_char(b: u8) -> bool {
    is_alnum(b) || b == b'-'
}

/// The address around the `@` at `at_sign`.
pub(super) fn match_at(bytes: &[u8], at_sign: usize) -> Option<Span> {
    let start = local_start(bytes, at_sign)?;
    let end = domain_end(bytes, at_sign + 1)?;
    (end - start <= MAX_LEN).then_some(Span::new(start, end))
}

/// Where the local part before `at_sign` starts.
fn local_start(bytes: &[u8], at_sign: usize) -> Option<usize> {
    let mut start = at_sign;
    loop {
        let prev = before(bytes, start, 1);
        if !is_local_char(prev) || (prev == b'.' && before(bytes, start, 2) == b'.') {
            break;
        }
        start -= 1;
        if at_sign - start > MAX_LOCAL {
            return None;
        }
    }
    // the local part starts at a letter or digit: `__a@b.co__`, `-a@b.co`
    while start < at_sign && !is_alnum(at(bytes, start)) {
        start += 1;
    }
    let valid = start < at_sign && before(bytes, at_sign, 1) != b'.';
    valid.then_some(start)
}

/// Where the domain starting at `from` ends: after the last label that is a
/// TLD (two or more letters), with at least two labels.
fn domain_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut pos = from;
    let mut labels = 0;
    let mut end = None;
    loop {
        let label_end = label_end(bytes, pos)?;
        labels += 1;
        let label = bytes.get(pos..label_end)?;
        if labels >= 2 && label.len() >= 2 && label.iter().all(|&b| class_of(b) & LETTER != 0) {
            end = Some(label_end);
        }
        if label_end - from > MAX_LEN {
            return None;
        }
        if at(bytes, label_end) != b'.' || class_of(at(bytes, label_end + 1)) & ALNUM == 0 {
            break;
        }
        pos = label_end + 1;
    }
    end
}

/// The end of a valid label at `pos`, or `None` when none is there.
fn label_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut end = pos;
    while end - pos <= MAX_LABEL && is_label_char(at(bytes, end)) {
        end += 1;
    }
    // a dash after the last label is punctuation (`a@b.co-`)
    while end > pos && before(bytes, end, 1) == b'-' && at(bytes, end) != b'.' {
        end -= 1;
    }
    let len = end - pos;
    let valid =
        (1..=MAX_LABEL).contains(&len) && at(bytes, pos) != b'-' && before(bytes, end, 1) != b'-';
    valid.then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len())
            .filter(|&i| bytes[i] == b'@')
            .find_map(|i| match_at(bytes, i).map(|s| &text[s.start..s.end]))
    }

    #[test]
    fn addresses() {
        for ok in [
            "john@example.com",
            "j.doe+tag@mail.example.co.uk",
            "first_last%x@sub-domain.example.org",
            "a@b.co",
            "USER@EXAMPLE.COM",
            "x-y@xn--mller-kva.de",
        ] {
            assert_eq!(find(&format!("mail <{ok}>.")), Some(ok), "{ok}");
        }
        assert_eq!(find("mailto:john@example.com"), Some("john@example.com"));
        assert_eq!(find("wait...john@example.com"), Some("john@example.com"));
        assert_eq!(find("\"john@example.com\","), Some("john@example.com"));
        assert_eq!(find("john@example.com.123"), Some("john@example.com"));
        for (open, close) in [
            ("__", "__"),
            ("_", "_"),
            ("**", "**"),
            ("`", "`"),
            ("<b>", "</b>"),
            ("<td>", "</td>"),
            ("[", "](x)"),
            ("|", "|"),
            ("\\\"", "\\\""),
            ("mailto:", ""),
            ("=", "&"),
            ("-", "-"),
            ("+", "+"),
        ] {
            let text = format!("{open}john@example.com{close}");
            assert_eq!(find(&text), Some("john@example.com"), "{text}");
        }
    }

    #[test]
    fn not_addresses() {
        for bad in [
            "user@localhost",
            "a@b",
            "a@b.c",
            "@mention",
            "hi @team.",
            "root@10.0.0.1",
            "john.@example.com",
            "john@-example.com",
            "john@example-.com",
            "john@müller.de",
            "john@.com",
        ] {
            assert_eq!(find(bad), None, "{bad}");
        }
    }

    #[test]
    fn limits() {
        assert_eq!(find(""), None);
        assert_eq!(find("@"), None);
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(find(&long_local), None);
        let max_local = format!("{}@example.com", "a".repeat(64));
        assert_eq!(find(&max_local), Some(max_local.as_str()));
        let long_label = format!("a@{}.com", "b".repeat(64));
        assert_eq!(find(&long_label), None);
        let long_domain = format!("a@{}com", "b.".repeat(200));
        assert_eq!(find(&long_domain), None);
        assert_eq!(find(&"a@".repeat(50_000)), None);
        assert_eq!(find(&"@a.".repeat(50_000)), None);
    }
}
