//! Email addresses.
//!
//! Matches `local@domain.tld`: a local part of ASCII letters, digits and
//! `._%+-` (1–64 bytes, not starting or ending with `.`, no `..`), then a
//! domain of at least two dot-separated labels of letters, digits and `-`
//! (a label neither starts nor ends with `-`, at most 63 characters), whose
//! last label (the TLD) is at least two letters. Domain labels may be
//! internationalised: letters and digits of any script (`baranyk.укр`,
//! `müller.de`, `пример.рф`), as faker's Ukrainian locale writes them. Whole address at most 254 bytes.
//! The local part starts at its first letter or digit, so surrounding
//! punctuation and markup are not part of the match (`<a@b.co>`,
//! `mailto:a@b.co`, `**a@b.co**`, `__a@b.co__`, `` `a@b.co` ``,
//! `[a@b.co](mailto:a@b.co)`, `a@b.co.` at the end of a sentence); pasted
//! escape sequences before it (`Email:\na@b.co`) are separators (see the
//! fold).
//!
//! Not matched: `user@localhost` and other single-label domains, `a@b`,
//! `@mention`, numeric "TLDs" (`root@10.0.0.1`), quoted local parts and
//! non-ASCII local parts (`иван@…`).
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
        if labels >= 2 && is_tld(label) {
            end = Some(label_end);
        }
        if label_end - from > MAX_LEN {
            return None;
        }
        let next = label_end + 1;
        if at(bytes, label_end) != b'.'
            || class_of(at(bytes, next)) & ALNUM == 0 && unicode_alnum_len(bytes, next) == 0
        {
            break;
        }
        pos = label_end + 1;
    }
    end
}

/// A top-level domain: two or more letters, ASCII (`com`) or of any
/// script (`укр`, `рф`, `中国`: internationalised TLDs).
fn is_tld(label: &[u8]) -> bool {
    if label.is_ascii() {
        return label.len() >= 2 && label.iter().all(|&b| class_of(b) & LETTER != 0);
    }
    std::str::from_utf8(label)
        .is_ok_and(|l| l.chars().count() >= 2 && l.chars().all(char::is_alphabetic))
}

/// The length of the non-ASCII letter or digit (a UTF-8 sequence) at
/// `pos`, or 0: internationalised domain labels (`baranyk.укр`,
/// `müller.de`).
fn unicode_alnum_len(bytes: &[u8], pos: usize) -> usize {
    let len = match at(bytes, pos) {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return 0,
    };
    let Some(Ok(s)) = bytes.get(pos..pos + len).map(std::str::from_utf8) else {
        return 0;
    };
    if s.chars().all(char::is_alphanumeric) {
        len
    } else {
        0
    }
}

/// The end of a valid label at `pos`, or `None` when none is there. Labels
/// are at most [`MAX_LABEL`] characters.
fn label_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut end = pos;
    let mut chars = 0;
    while chars <= MAX_LABEL {
        if is_label_char(at(bytes, end)) {
            end += 1;
        } else {
            match unicode_alnum_len(bytes, end) {
                0 => break,
                n => end += n,
            }
        }
        chars += 1;
    }
    // a dash after the last label is punctuation (`a@b.co-`)
    while end > pos && before(bytes, end, 1) == b'-' && at(bytes, end) != b'.' {
        end -= 1;
    }
    let valid =
        end > pos && chars <= MAX_LABEL && at(bytes, pos) != b'-' && before(bytes, end, 1) != b'-';
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
            "chervonenkovalentyna@baranyk.укр",
            "ivan@пример.рф",
            "jurgen@müller.de",
            "li@例子.中国",
        ] {
            assert_eq!(find(&format!("mail <{ok}>.")), Some(ok), "{ok}");
        }
        assert_eq!(find("mailto:john@example.com"), Some("john@example.com"));
        assert_eq!(find("«a@b.рф»"), Some("a@b.рф"));
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
            "john@.com",
            "иван@example.com",
            "a@b.к",
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
