//! Secrets with no prefix of their own, found after their key name: AWS
//! secret access keys.
//!
//! An AWS secret access key is 40 characters of `A-Za-z0-9/+` and looks like
//! any other base64 run, so it is matched only as the value of a key named
//! `secret_access_key` (any case, `aws_` before it or not:
//! `AWS_SECRET_ACCESS_KEY=…`, `aws_secret_access_key = …` in
//! `~/.aws/credentials`) or `SecretAccessKey` / `secretAccessKey` (the
//! JSON of `aws sts` and the SDKs). Between the name and the value: an
//! optional closing quote (`"`, `'`, or `\"` in escaped JSON), spaces,
//! one `=` or `:`, spaces and an optional opening quote, 8 bytes at most.
//! The value must be exactly 40 characters long (not followed by another of
//! its alphabet or `=`) and hold an uppercase letter, a lowercase letter
//! and a digit, so placeholders (`<your secret key>`, `xxxx…`) do not hit.
//! Only the value is reported.

use super::classes::{at, before, is_alnum, is_digit, is_upper, starts_with_at_ignore_case};
use crate::screen::Span;

/// The length of an AWS secret access key.
const AWS_SECRET_LEN: usize = 40;
/// The most bytes between a key name and its value.
const MAX_GAP: usize = 8;

fn in_alphabet(b: u8) -> bool {
    is_alnum(b) || b == b'/' || b == b'+'
}

/// At `i`, the `_` of `secret_access_key`: the value after the name.
pub(super) fn after_snake_name(bytes: &[u8], i: usize) -> Option<Span> {
    let name_start = i.checked_sub(6)?;
    if !starts_with_at_ignore_case(bytes, name_start, b"secret")
        || !starts_with_at_ignore_case(bytes, i, b"_access_key")
    {
        return None;
    }
    if before(bytes, name_start, 1).is_ascii_alphanumeric() {
        return None;
    }
    value_after(bytes, i + b"_access_key".len())
}

/// At `i`, the `A` of `SecretAccessKey` or `secretAccessKey`.
pub(super) fn after_camel_name(bytes: &[u8], i: usize) -> Option<Span> {
    let name_start = i.checked_sub(6)?;
    let name = bytes.get(name_start..i)?;
    if !(name == b"Secret" || name == b"secret") || bytes.get(i..i + 9)? != b"AccessKey" {
        return None;
    }
    if before(bytes, name_start, 1).is_ascii_alphanumeric() {
        return None;
    }
    value_after(bytes, i + 9)
}

/// The value after a key name ending at `end`.
fn value_after(bytes: &[u8], end: usize) -> Option<Span> {
    let mut pos = end;
    let limit = end + MAX_GAP;
    let mut assigned = false;
    while pos < limit {
        match at(bytes, pos) {
            b'"' | b'\'' | b'\\' | b' ' | b'\t' => pos += 1,
            b'=' | b':' if !assigned => {
                assigned = true;
                pos += 1;
            }
            _ => break,
        }
    }
    if !assigned || before(bytes, pos, 1) == b'\\' {
        return None;
    }
    let value = bytes.get(pos..pos + AWS_SECRET_LEN)?;
    let shaped = value.iter().all(|&b| in_alphabet(b))
        && value.iter().any(|&b| is_upper(b))
        && value.iter().any(u8::is_ascii_lowercase)
        && value.iter().any(|&b| is_digit(b));
    let next = at(bytes, pos + AWS_SECRET_LEN);
    (shaped && !in_alphabet(next) && next != b'=').then(|| Span::new(pos, pos + AWS_SECRET_LEN))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE+9";

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len()).find_map(|i| {
            let span = match bytes[i] {
                b'_' => after_snake_name(bytes, i),
                b'A' => after_camel_name(bytes, i),
                _ => None,
            }?;
            Some(&text[span.start..span.end])
        })
    }

    #[test]
    fn after_a_key_name() {
        for text in [
            format!("AWS_SECRET_ACCESS_KEY={KEY}"),
            format!("export AWS_SECRET_ACCESS_KEY=\"{KEY}\""),
            format!("aws_secret_access_key = {KEY}"),
            format!("secret_access_key: '{KEY}'"),
            format!("{{\"SecretAccessKey\": \"{KEY}\", \"SessionToken\": \"x\"}}"),
            format!("{{\\\"secretAccessKey\\\":\\\"{KEY}\\\"}}"),
        ] {
            assert_eq!(find(&text), Some(KEY), "{text}");
        }
    }

    #[test]
    fn not_without_a_name_or_of_another_shape() {
        let long = format!("{KEY}A");
        let short = &KEY[..39];
        for text in [
            format!("my key is {KEY}"),
            format!("AWS_SECRET_ACCESS_KEY={long}"),
            format!("AWS_SECRET_ACCESS_KEY={short}"),
            format!("AWS_SECRET_ACCESS_KEY={KEY}=="),
            "AWS_SECRET_ACCESS_KEY=<your-secret-access-key>".to_string(),
            format!("AWS_SECRET_ACCESS_KEY={}", "x".repeat(40)),
            format!("MYSECRET_ACCESS_KEY={KEY}"),
            format!("secret_access_key {KEY}"),
            format!("secret_access_key == == {KEY}"),
        ] {
            assert_eq!(find(&text), None, "{text}");
        }
    }
}
