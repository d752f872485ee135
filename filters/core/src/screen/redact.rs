//! Replacement text for redacted values, and putting hash tokens back.
//!
//! Hash tokens are `[TAG_` + 10 hex digits of HMAC-MD5(key, value) + `]`:
//! the same value gets the same token (the model can still tell two emails
//! apart), and without the key nobody can map a token back to its value by
//! hashing a dictionary of candidates. HMAC-MD5 is used as a keyed PRF, where
//! MD5's collision weakness does not apply, and reuses the md5 crate the A/B
//! bucketing already needs.

use super::config::RedactStyle;

/// Hex digits of the HMAC kept in a token.
const TOKEN_HEX: usize = 10;

/// The text that replaces `value` (found by the entry tagged `tag`).
pub fn replacement(style: RedactStyle, tag: &str, value: &str, key: &[u8]) -> String {
    match style {
        RedactStyle::Tag => format!("[{tag}]"),
        RedactStyle::Mask => mask(value),
        RedactStyle::Hash => token(tag, value, key),
    }
}

/// `[TAG_0123456789]`, keyed by `key`.
pub fn token(tag: &str, value: &str, key: &[u8]) -> String {
    let mac = hmac_md5(key, value.as_bytes());
    let mut hex = String::with_capacity(TOKEN_HEX);
    for b in mac.iter().take(TOKEN_HEX / 2) {
        hex.push_str(&format!("{b:02x}"));
    }
    format!("[{tag}_{hex}]")
}

/// Longest token for a tag of `tag_len` bytes.
pub fn token_len(tag_len: usize) -> usize {
    tag_len + TOKEN_HEX + 3
}

/// Keeps the shape: an email keeps its first character and its domain; other
/// values keep their last four letters or digits when they have twelve or
/// more, and every other letter or digit becomes `*`.
pub fn mask(value: &str) -> String {
    if let Some(at) = value.find('@') {
        let (local, domain) = value.split_at(at);
        let mut chars = local.chars();
        let first: String = chars.next().into_iter().collect();
        return format!("{first}{}{domain}", "*".repeat(chars.count()));
    }
    let alnum = value.chars().filter(|c| c.is_alphanumeric()).count();
    let keep = if alnum >= 12 { 4 } else { 0 };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen > alnum - keep {
                c
            } else {
                '*'
            }
        })
        .collect()
}

pub(crate) fn hmac_md5(key: &[u8], msg: &[u8]) -> [u8; 16] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..16].copy_from_slice(&md5::compute(key).0);
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = md5::Context::new();
    inner.consume(k.map(|b| b ^ 0x36));
    inner.consume(msg);
    let inner = inner.finalize();
    let mut outer = md5::Context::new();
    outer.consume(k.map(|b| b ^ 0x5c));
    outer.consume(inner.0);
    outer.finalize().0
}

/// Hash tokens given out in one request, and their original values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreMap {
    pairs: Vec<(String, String)>,
    longest: usize,
}

impl RestoreMap {
    pub fn insert(&mut self, token: String, original: &str) {
        if !self.pairs.iter().any(|(t, _)| *t == token) {
            self.longest = self.longest.max(token.len());
            self.pairs.push((token, original.to_string()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The longest token, in bytes.
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// `text` with every known token replaced by its value; `None` if none occurs.
    pub fn restore(&self, text: &str) -> Option<String> {
        if self.pairs.is_empty() || !text.contains('[') {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut changed = false;
        while let Some(open) = rest.find('[') {
            out.push_str(&rest[..open]);
            let tail = &rest[open..];
            match self
                .pairs
                .iter()
                .find(|(t, _)| tail.starts_with(t.as_str()))
            {
                Some((t, v)) => {
                    out.push_str(v);
                    rest = &tail[t.len()..];
                    changed = true;
                }
                None => {
                    out.push('[');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        changed.then_some(out)
    }

    /// Where a token could begin in the last bytes of `text` without being
    /// complete yet: the stream must hold from there.
    pub fn partial_tail(&self, text: &str) -> Option<usize> {
        if self.pairs.is_empty() {
            return None;
        }
        let mut from = text.len().saturating_sub(self.longest);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let open = text.get(from..).and_then(|t| t.rfind('['))? + from;
        let tail = &text[open..];
        self.pairs
            .iter()
            .any(|(t, _)| t.len() > tail.len() && t.starts_with(tail))
            .then_some(open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn hmac_md5_matches_rfc_2202() {
        let mac = hmac_md5(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "750c783e6ab0b503eaa86e310a5db738");
    }

    #[test]
    fn tokens_are_keyed_and_stable() {
        let a = token("EMAIL", "a@b.co", b"0123456789abcdef");
        assert_eq!(a, token("EMAIL", "a@b.co", b"0123456789abcdef"));
        assert_ne!(a, token("EMAIL", "a@b.co", b"another-secret-key"));
        assert_ne!(a, token("EMAIL", "c@b.co", b"0123456789abcdef"));
        assert_eq!(a.len(), token_len(5));
        assert!(a.starts_with("[EMAIL_") && a.ends_with(']'));
    }

    #[test]
    fn masks_keep_the_shape() {
        assert_eq!(mask("john.doe@example.com"), "j*******@example.com");
        assert_eq!(mask("4111 1111 1111 1111"), "**** **** **** 1111");
        assert_eq!(mask("123-45-6789"), "***-**-****");
        assert_eq!(mask(""), "");
    }

    #[test]
    fn restores_tokens_even_next_to_text() {
        let mut m = RestoreMap::default();
        m.insert("[EMAIL_0123456789]".into(), "a@b.co");
        assert_eq!(
            m.restore("mail [EMAIL_0123456789]!"),
            Some("mail a@b.co!".into())
        );
        assert_eq!(m.restore("no [tokens] here"), None);
        assert_eq!(m.partial_tail("mail [EMAIL_01"), Some(5));
        assert_eq!(m.partial_tail("mail [EMAIL_0123456789]"), None);
        assert_eq!(m.partial_tail("a [x"), None);
    }
}
