//! Who is asking: the subject that A/B arms and canary shares stick to.

use crate::policy::SubjectSource;
use crate::request::RequestHead;
use serde_json::Value;

/// A resolved subject. `id` is an identifier, never logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// Which kind of source gave it: `header`, `cookie` or `bearer_claim`.
    pub source: &'static str,
    pub id: String,
}

/// The first source that yields a non-empty identifier, if any.
pub fn resolve(sources: &[SubjectSource], head: &RequestHead) -> Option<Subject> {
    sources.iter().find_map(|src| {
        let id = match src {
            SubjectSource::Header(name) => head.header(name).map(|v| v.trim().to_string()),
            SubjectSource::Cookie(name) => head
                .headers
                .iter()
                .filter(|(n, _)| n == "cookie")
                .find_map(|(_, v)| cookie_value(v, name)),
            SubjectSource::BearerClaim(claim) => head
                .header("authorization")
                .and_then(|a| bearer_claim(a, claim)),
        }?;
        (!id.is_empty()).then(|| Subject {
            source: src.kind(),
            id,
        })
    })
}

/// The value of cookie `name` in the request's `cookie` headers.
pub fn cookie(head: &RequestHead, name: &str) -> Option<String> {
    head.headers
        .iter()
        .filter(|(n, _)| n == "cookie")
        .find_map(|(_, v)| cookie_value(v, name))
        .filter(|v| !v.is_empty())
}

/// The value of cookie `name` in one `cookie` header (`a=1; b=2`).
fn cookie_value(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// A string or number claim from the (unverified) payload of a bearer JWT.
fn bearer_claim(authorization: &str, claim: &str) -> Option<String> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut parts = token.trim().split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    let json: Value = serde_json::from_slice(&base64url_decode(payload)?).ok()?;
    match json.get(claim)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Decodes unpadded (or padded) base64url; `None` on any invalid character.
pub fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    let input = input.trim_end_matches('=');
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in input.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn head(headers: &[(&str, &str)]) -> RequestHead {
        RequestHead {
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    // {"sub":"alice","uid":42}
    const JWT: &str = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsInVpZCI6NDJ9.sig";

    #[test]
    fn first_present_source_wins() {
        let sources = vec![
            SubjectSource::Header("x-user-id".into()),
            SubjectSource::Cookie("uid".into()),
            SubjectSource::BearerClaim("sub".into()),
        ];
        let h = head(&[("cookie", "a=1; uid=bob"), ("authorization", JWT)]);
        assert_eq!(
            resolve(&sources, &h),
            Some(Subject {
                source: "cookie",
                id: "bob".into()
            })
        );
        let h = head(&[("x-user-id", " carol "), ("cookie", "uid=bob")]);
        assert_eq!(resolve(&sources, &h).map(|s| s.id), Some("carol".into()));
        let h = head(&[("authorization", JWT)]);
        assert_eq!(
            resolve(&sources, &h).map(|s| s.source),
            Some("bearer_claim")
        );
        assert_eq!(resolve(&sources, &head(&[("x-user-id", "")])), None);
    }

    #[test]
    fn numeric_claims_and_bad_tokens() {
        let h = head(&[("authorization", JWT)]);
        let uid = vec![SubjectSource::BearerClaim("uid".into())];
        assert_eq!(resolve(&uid, &h).map(|s| s.id), Some("42".into()));
        for bad in [
            "Basic abc",
            "Bearer",
            "Bearer a.%%%.c",
            "Bearer a.b",
            "Bearer e30.e30.x",
        ] {
            assert_eq!(
                resolve(&uid, &head(&[("authorization", bad)])),
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn base64url_round_trips_known_vectors() {
        assert_eq!(base64url_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64url_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64url_decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64url_decode("a b"), None);
    }
}
