//! Private-key blocks (PEM and OpenPGP armor), matched whole: header, key
//! body and footer, so that redaction removes the key material itself.
//!
//! **Header**: `-----BEGIN <label>-----`, not right after another `-`, whose
//! label (upper-case letters, digits and spaces, at most 40 bytes) ends in
//! `PRIVATE KEY` or `PRIVATE KEY BLOCK`: `PRIVATE KEY` (PKCS#8), `RSA`,
//! `EC`, `DSA`, `OPENSSH`, `ENCRYPTED PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`,
//! and any other `… PRIVATE KEY`. Not matched: `PUBLIC KEY`, `CERTIFICATE`,
//! `PGP PUBLIC KEY BLOCK`, `PGP MESSAGE` and every other label.
//!
//! **End of the block**, in this order:
//! 1. the end of the first footer `-----END <label>-----` that starts within
//!    [`MAX_PEM_LEN`] bytes of the header, whatever lies between (a key with
//!    an elided line, markup, prose), unless a `-----BEGIN ` comes first;
//! 2. otherwise, after the key-body lines that follow the header (and the
//!    footer right after them, at any distance): a line is body when it is
//!    blank, an armor header (`Proc-Type:`, `DEK-Info:`, `Comment:`,
//!    `Version:`, `Hash:`, `Charset:`), or base64 tokens of which all but the
//!    last are at least 16 bytes long (a key flattened onto one line; a PGP
//!    checksum `=8L1l` or a token right before the footer may be shorter); a token
//!    followed by closing punctuation (`"` `'` `` ` `` `,` `;` `)` `]` `}` `>` `\\`)
//!    ends the block after its base64. Lines end at a newline or at a literal
//!    `\n` escape (a PEM pasted from a JSON string); `\r`, `\t` and their
//!    literal escapes are spaces. So an unterminated block runs to the end of
//!    its key material, which is the end of the text when the text stops
//!    inside the key.
//!
//! A footer cut short at the end of the text (`-----END RSA PRIV`) is part
//! of the block. Matching is linear in the text: the footer search stops at
//! the next header, rule 2 reads each line once, and the scan goes on after
//! the block.

use super::classes::{at, before, is_alnum, run_end_capped, starts_with_at};

/// A streamed block is held until its footer for at most this many bytes
/// from its header (a 4096-bit RSA key in PEM is about 3.3 KB, 8192-bit
/// about 6.4 KB); past it, the held part is released redacted and the rest
/// of the key body is dropped as it arrives. In whole texts it is the
/// distance within which a footer ends the block whatever lies between.
pub const MAX_PEM_LEN: usize = 16 * 1024;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";
const MAX_LABEL: usize = 40;
/// Shortest base64 token that may be followed by another on the same line.
const MIN_INLINE_TOKEN: usize = 16;
const ARMOR_HEADERS: [&[u8]; 6] = [
    b"Proc-Type:",
    b"DEK-Info:",
    b"Comment:",
    b"Version:",
    b"Hash:",
    b"Charset:",
];

fn is_label_byte(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' '
}

fn is_base64(b: u8) -> bool {
    is_alnum(b) || matches!(b, b'+' | b'/' | b'=')
}

fn is_closing(b: u8) -> bool {
    matches!(
        b,
        b'"' | b'\'' | b'`' | b',' | b';' | b')' | b']' | b'}' | b'>' | b'\\'
    )
}

/// The end of a private-key header starting at `start`.
fn header_end(bytes: &[u8], start: usize) -> Option<usize> {
    if before(bytes, start, 1) == b'-' || !starts_with_at(bytes, start, BEGIN) {
        return None;
    }
    let label_start = start + BEGIN.len();
    let label_end = run_end_capped(bytes, label_start, MAX_LABEL + 1, is_label_byte);
    let label = bytes.get(label_start..label_end)?;
    let private = |suffix: &[u8]| {
        let before_suffix = label.len().checked_sub(suffix.len() + 1);
        label.ends_with(suffix)
            && (label.len() == suffix.len()
                || before_suffix.and_then(|i| label.get(i)) == Some(&b' '))
    };
    let ok = label.len() <= MAX_LABEL
        && (private(b"PRIVATE KEY") || private(b"PRIVATE KEY BLOCK"))
        && starts_with_at(bytes, label_end, DASHES);
    ok.then_some(label_end + DASHES.len())
}

/// The end of the footer starting at `start` (`-----END `): its label and
/// up to five closing dashes.
fn footer_end(bytes: &[u8], start: usize) -> usize {
    let label_end = run_end_capped(bytes, start + END.len(), MAX_LABEL, is_label_byte);
    run_end_capped(bytes, label_end, DASHES.len(), |b| b == b'-')
}

/// Whether the footer at `start` has its five closing dashes.
fn footer_complete(bytes: &[u8], start: usize) -> bool {
    let label_end = run_end_capped(bytes, start + END.len(), MAX_LABEL, is_label_byte);
    run_end_capped(bytes, label_end, DASHES.len(), |b| b == b'-') - label_end == DASHES.len()
}

/// The private-key block whose header starts at `start`: the end of the
/// match (see the module docs).
pub(super) fn block_at(bytes: &[u8], start: usize) -> Option<usize> {
    let body = header_end(bytes, start)?;
    if let Some(footer) = footer_within(bytes, body, start.saturating_add(MAX_PEM_LEN)) {
        return Some(footer_end(bytes, footer));
    }
    let rest = key_body(bytes, body, false);
    Some(if rest.footer_cut_short {
        bytes.len()
    } else {
        rest.end
    })
}

/// The first `-----END ` starting in `from..limit`, unless a `-----BEGIN `
/// comes first.
fn footer_within(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let limit = limit.min(bytes.len());
    let mut i = from;
    while i < limit {
        let dash = i + bytes.get(i..limit)?.iter().position(|&b| b == b'-')?;
        if starts_with_at(bytes, dash, END) {
            return Some(dash);
        }
        if starts_with_at(bytes, dash, BEGIN) {
            return None;
        }
        i = dash + 1;
    }
    None
}

/// How far a key body reaches (rule 2 of the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyBody {
    /// Where the body ends, past its footer when one follows the body lines.
    pub end: usize,
    /// The text ran out inside the body (after a body line, a blank line or
    /// a prefix of `-----END `): more of it may follow.
    pub open: bool,
    /// The text ends with a prefix of `-----END ` after the body.
    pub footer_cut_short: bool,
}

/// The key body that continues at `from`. `from` may be in the middle of a
/// line (the rest of the header's line, or a streamed body's continuation:
/// `mid_token`, its first token may be the tail of a longer one).
pub fn key_body(bytes: &[u8], from: usize, mid_token: bool) -> KeyBody {
    let mut end = from;
    let mut i = from;
    let closed = |end| KeyBody {
        end,
        open: false,
        footer_cut_short: false,
    };
    let open = |end, footer_cut_short| KeyBody {
        end,
        open: true,
        footer_cut_short,
    };
    loop {
        let (line_end, next) = line_at(bytes, i);
        let scan = line(bytes, i, line_end, mid_token && i == from);
        if let Some(body) = scan.body {
            end = body;
        }
        match scan.then {
            LineEnd::Continue => {}
            LineEnd::Stop | LineEnd::Other => return closed(end),
            LineEnd::Footer(at)
                if footer_end(bytes, at) < bytes.len() || footer_complete(bytes, at) =>
            {
                return closed(footer_end(bytes, at))
            }
            LineEnd::Footer(_) | LineEnd::PartialFooter => return open(end, true),
            LineEnd::PartialEscape => return open(end, false),
        }
        match next {
            Some(n) => i = n,
            None => return open(end, false),
        }
    }
}

/// Whether `i` starts a literal escape (`\n`, `\r`, `\t`, any number of
/// backslashes): the letter and the escape's length.
fn escape_at(bytes: &[u8], i: usize) -> Option<(u8, usize)> {
    let slashes = run_end_capped(bytes, i, 8, |b| b == b'\\') - i;
    let letter = at(bytes, i + slashes);
    (slashes > 0 && matches!(letter, b'n' | b'r' | b't')).then_some((letter, slashes + 1))
}

/// The line starting at `i`: its end, and where the next line starts (none
/// at the end of the text).
fn line_at(bytes: &[u8], i: usize) -> (usize, Option<usize>) {
    let mut j = i;
    while j < bytes.len() {
        match at(bytes, j) {
            b'\n' => return (j, Some(j + 1)),
            b'\\' => match escape_at(bytes, j) {
                Some((b'n', len)) => return (j, Some(j + len)),
                Some((_, len)) => j += len,
                None => j += 1,
            },
            _ => j += 1,
        }
    }
    (j, None)
}

/// What one line holds: key body up to `body`, then how it goes on.
struct LineScan {
    body: Option<usize>,
    then: LineEnd,
}

enum LineEnd {
    /// The whole line is body, blank or an armor header.
    Continue,
    /// Base64 closed by punctuation: the block ends after it.
    Stop,
    /// A footer starting here.
    Footer(usize),
    /// The text ends with a prefix of `-----END `.
    PartialFooter,
    /// The text ends with backslashes that may start an escape (`\n`).
    PartialEscape,
    /// Something that is not key body.
    Other,
}

/// Skips spaces, tabs, `\r` and their literal escapes from `i` up to `end`.
fn skip_space(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end {
        match at(bytes, i) {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' => match escape_at(bytes, i) {
                Some((_, len)) => i += len,
                None => break,
            },
            _ => break,
        }
    }
    i
}

/// The end of the token at `i` (up to the next space or escape).
fn token_end(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && !matches!(at(bytes, i), b' ' | b'\t' | b'\r') && escape_at(bytes, i).is_none()
    {
        i += 1;
    }
    i
}

fn line(bytes: &[u8], start: usize, end: usize, mid_token: bool) -> LineScan {
    let scan = |body, then| LineScan { body, then };
    let first = skip_space(bytes, start, end);
    let rest = bytes.get(first..end).unwrap_or_default();
    if rest.is_empty() {
        return scan(None, LineEnd::Continue);
    }
    if ARMOR_HEADERS.iter().any(|h| rest.starts_with(h)) {
        return scan(Some(end), LineEnd::Continue);
    }
    let mut body = None;
    let mut i = first;
    while i < end {
        if starts_with_at(bytes, i, END) {
            return scan(body, LineEnd::Footer(i));
        }
        let mut t_end = token_end(bytes, i, end);
        let token = bytes.get(i..t_end).unwrap_or_default();
        if t_end == bytes.len() && END.starts_with(token) {
            return scan(body, LineEnd::PartialFooter);
        }
        let cut_escape = t_end == bytes.len() && token.ends_with(b"\\");
        if cut_escape {
            t_end -= token.iter().rev().take_while(|&&b| b == b'\\').count();
            if t_end == i {
                return scan(body, LineEnd::PartialEscape);
            }
        }
        let b64_end = run_end_capped(bytes, i, t_end - i, is_base64);
        let closed = b64_end > i && (b64_end..t_end).all(|k| is_closing(at(bytes, k)));
        let next = skip_space(bytes, t_end, end);
        if !closed {
            return scan(body, LineEnd::Other);
        }
        if b64_end < t_end {
            return scan(Some(b64_end), LineEnd::Stop);
        }
        // a short token followed by more on the line is prose, unless it is
        // a PGP checksum (`=8L1l`) or the last before the footer
        let short_ok =
            at(bytes, i) == b'=' || starts_with_at(bytes, next, END) || (mid_token && i == start);
        if next < end && t_end - i < MIN_INLINE_TOKEN && !short_ok {
            return scan(body, LineEnd::Other);
        }
        body = Some(t_end);
        if cut_escape {
            return scan(body, LineEnd::PartialEscape);
        }
        i = next;
    }
    scan(body, LineEnd::Continue)
}

/// Where a private-key block that may still be growing starts in `text`
/// (a stream holds from there): the last header starting within the last
/// [`MAX_PEM_LEN`] bytes that has no complete footer after it, or that is
/// itself cut short (`-----BEGIN RSA PRIV`), or a prefix of `-----BEGIN `
/// at the very end (`-----B`), whichever starts first. `None` when every
/// block is closed, or an open one started more than [`MAX_PEM_LEN`] bytes
/// back.
pub fn open_block_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let floor = bytes.len().saturating_sub(MAX_PEM_LEN);
    let mut open = None;
    let mut i = floor;
    let mut last_begin = None;
    while let Some(rel) = bytes
        .get(i..)
        .and_then(|r| r.iter().position(|&b| b == b'-'))
    {
        let dash = i + rel;
        if before(bytes, dash, 1) != b'-' && starts_with_at(bytes, dash, BEGIN) {
            last_begin = Some(dash);
        }
        i = dash + 1;
    }
    if let Some(p) = last_begin {
        if header_open(bytes, p) {
            open = Some(p);
        }
    }
    let tail = (1..BEGIN.len()).rev().find_map(|k| {
        let p = bytes.len().checked_sub(k)?;
        let prefix = BEGIN.get(..k)?;
        // closing dashes after a label (`KEY-----`) start nothing
        let prev = before(bytes, p, 1);
        let starts = (prev != b'-' && !is_label_byte(prev)) || prev == b' ';
        (bytes.get(p..) == Some(prefix) && starts).then_some(p)
    });
    match (open, tail) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether the `-----BEGIN ` at `p` is a private-key header still cut
/// short, or a complete one with no complete footer after it.
fn header_open(bytes: &[u8], p: usize) -> bool {
    let label_start = p + BEGIN.len();
    let label_end = run_end_capped(bytes, label_start, MAX_LABEL + 1, is_label_byte);
    let dashes_end = run_end_capped(bytes, label_end, DASHES.len(), |b| b == b'-');
    if label_end - label_start <= MAX_LABEL && dashes_end == bytes.len() {
        return dashes_end - label_end < DASHES.len() || header_end(bytes, p).is_some();
    }
    let Some(body) = header_end(bytes, p) else {
        return false;
    };
    match footer_within(bytes, body, bytes.len()) {
        Some(footer) => !footer_complete(bytes, footer),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn block(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len()).find_map(|i| block_at(bytes, i).map(|end| &text[i..end]))
    }

    const KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAm0dLc6JqqnSEUN9PHx2KMGOPWYCACac7lGm04lelAtwxGNP4\nQCqufpbsVfwxdn/jDDtIkJanVUjtMt5BWnFagO21TFoH/2NPoHQ4jw==\n-----END RSA PRIVATE KEY-----";

    #[test]
    fn whole_blocks_of_every_label() {
        assert_eq!(block(&format!("key:\n{KEY}\nthanks")), Some(KEY));
        for label in [
            "PRIVATE KEY",
            "EC PRIVATE KEY",
            "DSA PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "PGP PRIVATE KEY BLOCK",
            "ANY PRIVATE KEY",
        ] {
            let k = format!("-----BEGIN {label}-----\nAAAA\n-----END {label}-----");
            assert_eq!(block(&format!("x {k} y")), Some(k.as_str()), "{label}");
        }
        for label in [
            "PUBLIC KEY",
            "CERTIFICATE",
            "PGP PUBLIC KEY BLOCK",
            "RSA PUBLIC KEY",
            "XPRIVATE KEY",
        ] {
            let k = format!("-----BEGIN {label}-----\nAAAA\n-----END {label}-----");
            assert_eq!(block(&k), None, "{label}");
        }
        assert_eq!(block(&format!("-{KEY}")), None, "six dashes");
    }

    #[test]
    fn escaped_and_flattened_blocks() {
        let escaped = KEY.replace('\n', "\\n");
        assert_eq!(
            block(&format!("{{\"key\": \"{escaped}\\n\"}}")),
            Some(escaped.as_str())
        );
        let flat = KEY.replace('\n', " ");
        assert_eq!(block(&format!("here: {flat} ok")), Some(flat.as_str()));
        let crlf = KEY.replace('\n', "\r\n");
        assert_eq!(block(&crlf), Some(crlf.as_str()));
    }

    #[test]
    fn unterminated_blocks_run_over_the_key_body() {
        let body_only = KEY.split("\n-----END").next().unwrap();
        assert_eq!(block(body_only), Some(body_only));
        assert_eq!(
            block(&format!("{body_only}\n\nThat is my key.")),
            Some(body_only)
        );
        let cut_footer = format!("{body_only}\n-----END RSA PRIV");
        assert_eq!(block(&cut_footer), Some(cut_footer.as_str()));
        let header = "-----BEGIN PRIVATE KEY-----";
        assert_eq!(
            block(&format!("a file starts with {header} and then what?")),
            Some(header)
        );
        let quoted = format!("\"{body_only}\", next");
        assert_eq!(block(&quoted), Some(&quoted[1..quoted.len() - 7]));
        let escaped = body_only.replace('\n', "\\n");
        assert_eq!(block(&format!("{escaped}\" }}")), Some(escaped.as_str()));
    }

    #[test]
    fn armor_headers_and_long_bodies() {
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,6728EFCDF10041EE\n\nynYmASMGTOvG8YdtZbX7Yl8rgxreIj0VJaY4QMPEEHczURj31TNca";
        assert_eq!(block(&format!("{legacy}\nBye now")), Some(legacy));
        let line = "A".repeat(64);
        let body = format!("\n{line}").repeat(MAX_PEM_LEN / 64 + 10);
        let long = format!("-----BEGIN PRIVATE KEY-----{body}\n-----END PRIVATE KEY-----");
        assert_eq!(
            block(&format!("{long}\nok")),
            Some(long.as_str()),
            "beyond the bound, body lines reach the footer"
        );
        let unterminated = format!("-----BEGIN PRIVATE KEY-----{body}");
        assert_eq!(block(&unterminated).map(str::len), Some(unterminated.len()));
    }

    #[test]
    fn a_later_header_stops_the_footer_search() {
        let text = "-----BEGIN PRIVATE KEY----- what is this? -----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
        assert_eq!(block(text), Some("-----BEGIN PRIVATE KEY-----"));
        let many = "-----BEGIN PRIVATE KEY-----\n".repeat(20_000);
        assert_eq!(block(&many), Some("-----BEGIN PRIVATE KEY-----"));
    }

    #[test]
    fn open_blocks_for_streams() {
        assert_eq!(open_block_start("plain text"), None);
        for cut in 1..KEY.len() {
            let text = format!("Here: {}", &KEY[..cut]);
            assert_eq!(open_block_start(&text), Some(6), "{text:?}");
        }
        assert_eq!(open_block_start(&format!("Here: {KEY}")), None);
        assert_eq!(
            open_block_start(&format!("Here: {KEY}\n-----B")),
            Some(6 + KEY.len() + 1)
        );
        assert_eq!(open_block_start("x -----BEGIN CERTIFICATE-----\nAAA"), None);
        assert_eq!(open_block_start("a - b"), None);
        assert_eq!(open_block_start("a ------"), None);
        assert_eq!(open_block_start("a -"), Some(2));
        let far = format!("-----BEGIN PRIVATE KEY-----\n{}", "A".repeat(MAX_PEM_LEN));
        assert_eq!(open_block_start(&far), None, "past the bound");
    }
}
