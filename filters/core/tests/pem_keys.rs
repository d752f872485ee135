//! Private keys written out whole, against the default policy: in prompts,
//! in JSON outputs and in streamed outputs split at every position and at
//! random event sizes of 1–7 characters. The key body never reaches the
//! other side; the text around the key arrives exactly.
//!
//! The keys in `tests/corpus/pem/` are throwaway test keys made by
//! `tests/corpus/pem/generate.sh` with openssl, ssh-keygen and gpg; they
//! were never used for anything.

#![allow(clippy::panic, clippy::unwrap_used)]

use llm_policy_core::openai::Endpoint;
use llm_policy_core::policy::{Policy, DEFAULT_POLICY_JSON};
use llm_policy_core::screen::body::{screen_request, screen_response_bytes};
use llm_policy_core::screen::pii::MAX_PEM_LEN;
use llm_policy_core::screen::stream::StreamScreener;
use llm_policy_core::screen::Screener;
use serde_json::{json, Value};
use std::rc::Rc;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const KEYS: [(&str, &str); 10] = [
    (
        "rsa2048_pkcs1",
        include_str!("../../../tests/corpus/pem/rsa2048_pkcs1.pem"),
    ),
    (
        "rsa4096_pkcs8",
        include_str!("../../../tests/corpus/pem/rsa4096_pkcs8.pem"),
    ),
    (
        "ec_p256_sec1",
        include_str!("../../../tests/corpus/pem/ec_p256_sec1.pem"),
    ),
    (
        "ed25519_pkcs8",
        include_str!("../../../tests/corpus/pem/ed25519_pkcs8.pem"),
    ),
    (
        "rsa2048_encrypted_pkcs8",
        include_str!("../../../tests/corpus/pem/rsa2048_encrypted_pkcs8.pem"),
    ),
    (
        "rsa2048_legacy_encrypted",
        include_str!("../../../tests/corpus/pem/rsa2048_legacy_encrypted.pem"),
    ),
    (
        "dsa2048_traditional",
        include_str!("../../../tests/corpus/pem/dsa2048_traditional.pem"),
    ),
    (
        "openssh_ed25519",
        include_str!("../../../tests/corpus/pem/openssh_ed25519.pem"),
    ),
    (
        "openssh_rsa3072",
        include_str!("../../../tests/corpus/pem/openssh_rsa3072.pem"),
    ),
    (
        "pgp_ed25519",
        include_str!("../../../tests/corpus/pem/pgp_ed25519.asc"),
    ),
];

/// The key as the tools wrote it, without the fixture's comment line.
fn pem(raw: &str) -> String {
    raw.lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The base64 lines of a key: none of them may ever be released.
fn body_lines(key: &str) -> Vec<String> {
    key.lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':') && l.len() >= 8)
        .map(|l| l.trim_end_matches(['=', '\r']).to_string())
        .collect()
}

fn default_screener() -> Rc<Screener> {
    Policy::parse(DEFAULT_POLICY_JSON.as_bytes())
        .unwrap()
        .default_rule
        .screening
        .clone()
        .unwrap()
}

fn screener(secret_action: &str) -> Rc<Screener> {
    let doc = format!(
        r#"{{"version":1,"screening":{{"detectors":{{"email":{{"action":"redact"}},"secret":{{"action":"{secret_action}"}}}}}}}}"#
    );
    Policy::parse(doc.as_bytes())
        .unwrap()
        .default_rule
        .screening
        .clone()
        .unwrap()
}

/// `(text around a key, what the client must see)` for one key: the key
/// as written, flattened, escaped as in JSON, with CRLF, unterminated.
fn cases(key: &str) -> Vec<(String, String)> {
    let (before, after) = (
        "Sure, here it is:\n```\n",
        "\n```\nKeep it safe, jo@example.com.",
    );
    let want = |b: &str, a: &str| format!("{b}[SECRET]{a}").replace("jo@example.com", "[EMAIL]");
    let unterminated = key.split("\n-----END").next().unwrap_or_default();
    vec![
        (format!("{before}{key}{after}"), want(before, after)),
        (
            format!("flat: {} ok", key.replace('\n', " ")),
            want("flat: ", " ok"),
        ),
        (
            format!("{{\"key\": \"{}\\n\"}}", key.replace('\n', "\\n")),
            want("{\"key\": \"", "\\n\"}"),
        ),
        (key.replace('\n', "\r\n"), want("", "")),
        (
            format!("cut short:\n{unterminated}"),
            want("cut short:\n", ""),
        ),
    ]
}

/// Feeds `text` as streamed chat deltas cut at `cuts` and returns the
/// client's text and the raw bytes sent.
fn stream(screener: &Rc<Screener>, text: &str, cuts: &[usize]) -> (String, String) {
    let mut s = StreamScreener::new(screener.clone(), None, true);
    let mut raw = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain(std::iter::once(&text.len())) {
        let piece = &text[from..to];
        let chunk = json!({"id":"c","object":"chat.completion.chunk",
            "choices":[{"index":0,"delta":{"content":piece},"finish_reason":null}]});
        raw.extend(s.feed(format!("data: {chunk}\n\n").as_bytes(), false));
        from = to;
    }
    let stop = json!({"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]});
    raw.extend(s.feed(format!("data: {stop}\n\ndata: [DONE]\n\n").as_bytes(), true));
    let raw = String::from_utf8(raw).unwrap();
    let mut out = String::new();
    for event in raw.split("\n\n") {
        let Some(v) = event
            .strip_prefix("data: ")
            .and_then(|d| serde_json::from_str::<Value>(d).ok())
        else {
            continue;
        };
        if let Some(t) = v
            .pointer("/choices/0/delta/content")
            .and_then(Value::as_str)
        {
            out.push_str(t);
        }
    }
    (out, raw)
}

fn assert_no_key_body(key: &str, released: &str, context: &str) {
    for line in body_lines(key) {
        assert!(!released.contains(&line), "{context}: released {line}");
    }
}

#[test]
fn prompts_lose_the_whole_key() {
    let screener = default_screener();
    for (name, raw) in KEYS {
        let key = pem(raw);
        for (text, want) in cases(&key) {
            let mut body = json!({"messages":[{"role":"user","content":text}]});
            let screened =
                screen_request(&screener, Endpoint::ChatCompletions, &mut body, None).unwrap();
            assert!(screened.changed && screened.blocked.is_none(), "{name}");
            assert_eq!(body["messages"][0]["content"], want.as_str(), "{name}");
            assert_no_key_body(&key, &body.to_string(), name);
        }
    }
}

#[test]
fn json_outputs_lose_the_whole_key() {
    let screener = default_screener();
    for (name, raw) in KEYS {
        let key = pem(raw);
        for (text, want) in cases(&key) {
            let body = json!({"choices":[{"index":0,"message":{"role":"assistant","content":text},"finish_reason":"stop"}]});
            let (bytes, _) =
                screen_response_bytes(&screener, body.to_string().as_bytes(), None).unwrap();
            let out: Value = serde_json::from_slice(&bytes.unwrap()).unwrap();
            assert_eq!(
                out["choices"][0]["message"]["content"],
                want.as_str(),
                "{name}"
            );
            assert_no_key_body(&key, &out.to_string(), name);
        }
    }
}

#[test]
fn streams_split_at_every_position() {
    let screener = default_screener();
    // every label family, the smaller keys (the 4096-bit ones run at random sizes)
    for (name, raw) in [0, 2, 3, 5, 7, 9].map(|i| KEYS[i]) {
        let key = pem(raw);
        let (text, want) = cases(&key).swap_remove(0);
        for cut in (1..text.len()).filter(|&c| text.is_char_boundary(c)) {
            let (out, raw) = stream(&screener, &text, &[cut]);
            assert_eq!(out, want, "{name} cut at {cut}");
            assert_no_key_body(&key, &raw, name);
        }
        // one character per event
        let every: Vec<usize> = (1..text.len()).collect();
        let (out, raw) = stream(&screener, &text, &every);
        assert_eq!(out, want, "{name} one char per event");
        assert_no_key_body(&key, &raw, name);
    }
}

#[test]
fn streams_at_random_event_sizes() {
    let screener = default_screener();
    let mut rng = fastrand::Rng::with_seed(10);
    for (name, raw) in KEYS {
        let key = pem(raw);
        for (i, (text, want)) in cases(&key).into_iter().enumerate() {
            for _ in 0..if i == 0 { 3 } else { 1 } {
                let mut cuts = Vec::new();
                let mut at = 0;
                loop {
                    at += rng.usize(1..=7);
                    if at >= text.len() {
                        break;
                    }
                    cuts.push(at);
                }
                let (out, raw) = stream(&screener, &text, &cuts);
                assert_eq!(out, want, "{name} cuts {cuts:?}");
                assert_no_key_body(&key, &raw, name);
            }
        }
    }
}

/// A key longer than the hold-back bound: its head goes out redacted when
/// the bound is reached, the rest of its body is dropped as it arrives.
#[test]
fn a_key_past_the_bound_is_never_released() {
    let screener = default_screener();
    let mut rng = fastrand::Rng::with_seed(7);
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let lines: Vec<String> = (0..(MAX_PEM_LEN / 65 + 60))
        .map(|_| {
            (0..64)
                .map(|_| char::from(B64[rng.usize(..B64.len())]))
                .collect()
        })
        .collect();
    let key = format!(
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{}\n=8L1l\n-----END PGP PRIVATE KEY BLOCK-----",
        lines.join("\n")
    );
    assert!(key.len() > MAX_PEM_LEN + 3000);
    for (i, (text, want)) in cases(&key).into_iter().enumerate() {
        let mut body = json!({"messages":[{"role":"user","content":text}]});
        screen_request(&screener, Endpoint::ChatCompletions, &mut body, None).unwrap();
        assert_eq!(body["messages"][0]["content"], want.as_str());
        let steps: &[usize] = if i == 0 { &[1, 7, 4096] } else { &[3, 4096] };
        for &step in steps {
            let cuts: Vec<usize> = (1..text.len()).step_by(step).skip(1).collect();
            let (out, raw) = stream(&screener, &text, &cuts);
            assert_eq!(out, want, "events of {step}");
            assert_no_key_body(&key, &raw, "long key");
        }
    }
}

#[test]
fn block_and_flag_actions_on_streamed_keys() {
    let key = pem(KEYS[0].1);
    let text = format!("Here:\n{key}\nDone.");
    let blocked = screener("block");
    let cuts: Vec<usize> = (1..text.len()).step_by(3).collect();
    let (out, raw) = stream(&blocked, &text, &cuts);
    assert_eq!(out, "Here:\n");
    assert!(raw.contains("content_policy_violation") && raw.ends_with("data: [DONE]\n\n"));
    assert_no_key_body(&key, &raw, "block");
    let (out, _) = stream(&screener("flag"), &text, &cuts);
    assert_eq!(out, text, "flag releases the text unchanged");
}
