//! Credentials: API keys, access tokens, private keys, JWTs.
//!
//! Every secret is word-bounded: it does not follow a letter, digit or `_`
//! (so `task-list` and `desk-lamp` never start an `sk-` key), nor a
//! character of its own alphabet (a JWT does not follow `-`), and the
//! fixed-length ones must end where their characters end. The `_`/`__` of
//! Markdown emphasis around a secret is not part of it (`__AKIA…__`,
//! `__sk-…__`), though `_` belongs to several alphabets: underscores right
//! after a non-word byte open emphasis, and the same number at the end of
//! the key, before a non-word byte, close it.
//!
//! | secret | matched |
//! |---|---|
//! | AWS access key id | `AKIA` or `ASIA` + exactly 16 of `A-Z0-9` |
//! | AWS secret access key | exactly 40 of `A-Za-z0-9/+` after the key name `secret_access_key` or `SecretAccessKey`: see [`super::secret_named`] |
//! | GitHub token | `ghp_` `gho_` `ghu_` `ghs_` `ghr_` + exactly 36 of `A-Za-z0-9`; `github_pat_` + exactly 82 of `A-Za-z0-9_` |
//! | OpenAI-style key | `sk-` (also `sk-proj-…`, `sk-ant-…`) + at least 20 of `A-Za-z0-9_-` that include an uppercase letter, a lowercase letter and a digit (so `sk-learn-is-a-python-library` does not hit) |
//! | Stripe secret / restricted key | `sk_live_` or `rk_live_` + at least 16 of `A-Za-z0-9` (test-mode keys are not secrets and are not matched) |
//! | Slack token | `xoxb-` `xoxa-` `xoxp-` `xoxr-` `xoxs-` + at least 10 of `A-Za-z0-9-` including a digit |
//! | Google API key | `AIza` + exactly 35 of `A-Za-z0-9_-` |
//! | private-key block | the whole block, header (`-----BEGIN … PRIVATE KEY-----`, `-----BEGIN PGP PRIVATE KEY BLOCK-----`), key body and footer: see [`super::pem`] |
//! | JWT | `eyJ…` header (≥ 10 chars) `.` `eyJ…` payload (≥ 10 chars) `.` signature (possibly empty), all base64url |
//! | other providers' tokens | GitLab, npm, PyPI, Hugging Face, Groq, Replicate, xAI, Docker Hub, Shopify, DigitalOcean, SendGrid, Twilio, Google OAuth client secrets, Mailgun: see [`super::secret_prefixed`] |
//!
//! Length caps keep the streaming hold-back small: keys of unbounded length
//! (`sk-`, Stripe, Slack) are matched up to [`MAX_TOKEN_LEN`] bytes and JWTs
//! up to [`MAX_JWT_LEN`] bytes; anything longer is matched up to the cap, so
//! its head is still redacted.
//!
//! Not matched: public keys and certificates, Stripe publishable keys
//! (`pk_live_`), base64 blobs that are not `eyJ….eyJ….` JWTs, and prefixes
//! inside words (`disk-`, `mask_live_`).

use super::classes::{
    at, before, class_of, is_alnum, is_digit, is_word, run_end_capped, starts_with_at, word_end_ok,
    word_start_ok, DIGIT, LOWER, UPPER,
};

/// Longest match for keys of unbounded length.
pub const MAX_TOKEN_LEN: usize = 256;
/// Longest JWT match.
pub const MAX_JWT_LEN: usize = 2048;
pub(super) const MAX_LEN: usize = MAX_JWT_LEN;

fn is_upper_or_digit(b: u8) -> bool {
    class_of(b) & (UPPER | DIGIT) != 0
}

fn is_base64url(b: u8) -> bool {
    is_alnum(b) || matches!(b, b'_' | b'-')
}

fn is_alnum_or_underscore(b: u8) -> bool {
    is_word(b)
}

fn is_alnum_or_dash(b: u8) -> bool {
    is_alnum(b) || b == b'-'
}

/// Whether a word starting with these two bytes can be a secret: a cheap
/// test before [`match_at`].
pub(super) fn may_start(first: u8, second: u8) -> bool {
    matches!(
        (first, second),
        (b'A', b'K' | b'S' | b'I')
            | (b'g', b'h' | b'i')
            | (b's', b'k')
            | (b'r', b'k')
            | (b'x', b'o')
            | (b'e', b'y')
            | (b'-', b'-')
    ) || super::secret_prefixed::may_start(first, second)
}

/// Whether `prev` can end a lowercase prefix that `marker` (`-` or `_`)
/// follows: `sk-`, `xoxb-`, `ghp_`, `github_`, `sk_live_`.
pub(super) fn may_precede_marker(prev: u8, marker: u8) -> bool {
    let own = match marker {
        b'-' => matches!(prev, b'k' | b'b' | b'a' | b'p' | b'r' | b's'),
        b'_' => matches!(prev, b'p' | b'o' | b'u' | b's' | b'r' | b'b' | b'k'),
        _ => false,
    };
    own || super::secret_prefixed::may_precede_marker(prev, marker)
}

/// A secret starting at `start`: the end of the match.
pub(super) fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    if at(bytes, start) == b'-' {
        // a private-key block may follow anything but a dash (`\n-----BEGIN`)
        return super::pem::block_at(bytes, start);
    }
    if !word_start_ok(bytes, start) {
        return None;
    }
    let end = match at(bytes, start) {
        b'A' => aws_access_key(bytes, start).or_else(|| google_api_key(bytes, start)),
        b'g' => github_token(bytes, start),
        b's' => openai_key(bytes, start).or_else(|| stripe_key(bytes, start)),
        b'r' => stripe_key(bytes, start),
        b'x' => slack_token(bytes, start),
        b'e' => jwt(bytes, start),
        _ => None,
    }
    .or_else(|| super::secret_prefixed::match_at(bytes, start))?;
    Some(close_emphasis(bytes, start, end))
}

/// Whether the byte before `start` belongs to the secret's `alphabet`, so
/// the secret would start inside a longer token; the `_`/`__` of Markdown
/// emphasis (`__sk-…__`) does not count.
fn glued(bytes: &[u8], start: usize, alphabet: fn(u8) -> bool) -> bool {
    let prev = before(bytes, start, 1);
    alphabet(prev) && !(prev == b'_' && word_start_ok(bytes, start))
}

/// `end`, less the `_`/`__` that closes the emphasis opened right before
/// `start` (an open-ended key would take it as part of its alphabet).
fn close_emphasis(bytes: &[u8], start: usize, end: usize) -> usize {
    let opened = (1..=2)
        .take_while(|&n| before(bytes, start, n) == b'_')
        .count();
    if opened == 0 || end < start + opened {
        return end;
    }
    let closed = (1..=opened).all(|n| before(bytes, end, n) == b'_');
    if closed && !is_word(at(bytes, end)) {
        end - opened
    } else {
        end
    }
}

/// Exactly `len` bytes accepted by `accept` from `from`, and no more.
fn exactly(bytes: &[u8], from: usize, len: usize, accept: fn(u8) -> bool) -> Option<usize> {
    let end = run_end_capped(bytes, from, len + 1, accept);
    (end - from == len).then_some(end)
}

fn aws_access_key(bytes: &[u8], start: usize) -> Option<usize> {
    if !starts_with_at(bytes, start, b"AKIA") && !starts_with_at(bytes, start, b"ASIA") {
        return None;
    }
    let end = exactly(bytes, start + 4, 16, is_upper_or_digit)?;
    word_end_ok(bytes, end).then_some(end)
}

fn google_api_key(bytes: &[u8], start: usize) -> Option<usize> {
    if !starts_with_at(bytes, start, b"AIza") || glued(bytes, start, is_base64url) {
        return None;
    }
    exactly_then_emphasis(bytes, start + 4, 35, is_base64url)
}

/// Exactly `len` bytes of an alphabet that holds `_`, then a byte outside
/// it or the `_`/`__` closing Markdown emphasis (`__AIza…__`).
fn exactly_then_emphasis(
    bytes: &[u8],
    from: usize,
    len: usize,
    accept: fn(u8) -> bool,
) -> Option<usize> {
    let end = from + len;
    let body = run_end_capped(bytes, from, len, accept);
    let next = at(bytes, end);
    let bounded = !accept(next) || (next == b'_' && word_end_ok(bytes, end));
    (body == end && bounded).then_some(end)
}

fn github_token(bytes: &[u8], start: usize) -> Option<usize> {
    if starts_with_at(bytes, start, b"github_pat_") {
        return exactly_then_emphasis(bytes, start + 11, 82, is_alnum_or_underscore);
    }
    let classic = starts_with_at(bytes, start, b"gh")
        && matches!(at(bytes, start + 2), b'p' | b'o' | b'u' | b's' | b'r')
        && at(bytes, start + 3) == b'_';
    if !classic {
        return None;
    }
    let end = exactly(bytes, start + 4, 36, is_alnum)?;
    word_end_ok(bytes, end).then_some(end)
}

fn openai_key(bytes: &[u8], start: usize) -> Option<usize> {
    if !starts_with_at(bytes, start, b"sk-") || glued(bytes, start, is_base64url) {
        return None;
    }
    let body_start = start + 3;
    let end = run_end_capped(bytes, body_start, MAX_TOKEN_LEN - 3, is_base64url);
    let body = bytes.get(body_start..end)?;
    let has = |class: u8| body.iter().any(|&b| class_of(b) & class != 0);
    let looks_random = has(UPPER) && has(LOWER) && body.iter().any(|&b| is_digit(b));
    (body.len() >= 20 && looks_random).then_some(end)
}

fn stripe_key(bytes: &[u8], start: usize) -> Option<usize> {
    if !starts_with_at(bytes, start, b"sk_live_") && !starts_with_at(bytes, start, b"rk_live_") {
        return None;
    }
    let body_start = start + 8;
    let end = run_end_capped(bytes, body_start, MAX_TOKEN_LEN - 8, is_alnum);
    (end - body_start >= 16).then_some(end)
}

fn slack_token(bytes: &[u8], start: usize) -> Option<usize> {
    let prefix = starts_with_at(bytes, start, b"xox")
        && matches!(at(bytes, start + 3), b'b' | b'a' | b'p' | b'r' | b's')
        && at(bytes, start + 4) == b'-';
    if !prefix || glued(bytes, start, is_alnum_or_dash) {
        return None;
    }
    let body_start = start + 5;
    let end = run_end_capped(bytes, body_start, MAX_TOKEN_LEN - 5, is_alnum_or_dash);
    let body = bytes.get(body_start..end)?;
    (body.len() >= 10 && body.iter().any(|&b| is_digit(b))).then_some(end)
}

/// `eyJ…` `.` `eyJ…` `.` signature, at most [`MAX_JWT_LEN`] bytes.
fn jwt(bytes: &[u8], start: usize) -> Option<usize> {
    const MIN_PART: usize = 10;
    let limit = start + MAX_JWT_LEN;
    if !starts_with_at(bytes, start, b"eyJ") || glued(bytes, start, is_base64url) {
        return None;
    }
    let header_end = run_end_capped(bytes, start, MAX_JWT_LEN, is_base64url);
    let payload_start = header_end + 1;
    if header_end - start < MIN_PART
        || at(bytes, header_end) != b'.'
        || !starts_with_at(bytes, payload_start, b"eyJ")
    {
        return None;
    }
    let payload_end = run_end_capped(
        bytes,
        payload_start,
        limit.saturating_sub(payload_start),
        is_base64url,
    );
    if payload_end - payload_start < MIN_PART {
        return None;
    }
    if payload_end >= limit {
        return Some(limit);
    }
    if at(bytes, payload_end) != b'.' {
        return None;
    }
    let signature_start = payload_end + 1;
    Some(run_end_capped(
        bytes,
        signature_start,
        limit.saturating_sub(signature_start),
        is_base64url,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len()).find_map(|i| match_at(bytes, i).map(|end| &text[i..end]))
    }

    const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    #[test]
    fn each_kind() {
        for ok in [
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAY34FZKBOKMUTVV7A",
            "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",
            "gho_16C7e42F292c6912E7710c838347Ae178B4a",
            "sk-proj-4fG7hJ2kL9mN3pQ6rS8tU1vW5xY0zA3bC",
            "sk-aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "rk_live_51H8xYzAbCdEfGhIjKlMnOpQr",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            JWT,
        ] {
            assert_eq!(find(&format!("key=\"{ok}\".")), Some(ok), "{ok}");
        }
        let pat = format!("github_pat_{}", "A1b_".repeat(20) + "Zz");
        assert_eq!(find(&format!("token {pat} end")), Some(pat.as_str()));
    }

    #[test]
    fn near_misses() {
        for bad in [
            "task-list",
            "desk-lamp",
            "sk-learn-is-a-python-library-for-ml",
            "sk-short1A",
            "AKIAIOSFODNN7EXAMPL",
            "AKIAIOSFODNN7EXAMPLEX",
            "AKIAIOSFODNN7EXAMPLEs",
            "xAKIAIOSFODNN7EXAMPLE",
            "ghp_tooShort123",
            "ghx_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "pk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "xoxb-abcdefghijklmnop",
            "my-sk-aB3dE5fG7hJ9kL1mN3pQ5rS7",
            "x-eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
            "-----BEGIN PUBLIC KEY-----",
            "-----BEGIN CERTIFICATE-----",
            "------BEGIN PRIVATE KEY-----",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.abc.def",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0",
        ] {
            assert_eq!(find(bad), None, "{bad}");
        }
    }

    #[test]
    fn caps() {
        let long_key = format!("sk-Ab1{}", "x".repeat(1000));
        assert_eq!(find(&long_key).map(str::len), Some(MAX_TOKEN_LEN));
        let long_jwt = format!("eyJhbGciOiJIUzI1NiJ9.eyJ{}.sig", "a".repeat(5000));
        assert_eq!(find(&long_jwt).map(str::len), Some(MAX_JWT_LEN));
        let long_sig = format!("{JWT}{}", "b".repeat(5000));
        assert_eq!(find(&long_sig).map(str::len), Some(MAX_JWT_LEN));
        let long_header = format!("eyJ{}.eyJhbGciOiJIUzI1NiJ9.sig", "a".repeat(5000));
        assert_eq!(find(&long_header), None);
    }

    #[test]
    fn markup_around_a_secret() {
        let key = "sk-proj-4fG7hJ2kL9mN3pQ6rS8tU1vW5xY0zA3bC";
        for (open, close) in [
            ("__", "__"),
            ("_", "_"),
            ("**", "**"),
            ("`", "`"),
            ("<b>", "</b>"),
        ] {
            for secret in [key, "AKIAIOSFODNN7EXAMPLE", JWT, "xoxb-123456789012-AbCdEf"] {
                let text = format!("x {open}{secret}{close} y");
                assert_eq!(find(&text), Some(secret), "{text}");
            }
        }
        assert_eq!(find("my_sk-aB3dE5fG7hJ9kL1mN3pQ5rS7"), None);
        assert_eq!(find("x_AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(find("AKIAIOSFODNN7EXAMPLE_x"), None);
    }

    #[test]
    fn boundaries() {
        assert_eq!(find(""), None);
        assert_eq!(find("sk-"), None);
        assert_eq!(find("-----BEGIN "), None);
        assert_eq!(find(&format!("日本{JWT}日本")), Some(JWT));
        assert_eq!(find(&"eyJ.".repeat(10_000)), None);
        assert_eq!(find(&"-".repeat(100_000)), None);
    }
}
