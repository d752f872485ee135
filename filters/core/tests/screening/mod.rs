//! A text through the default policy's real screening, as a user's prompt
//! and as a model's streamed answer; what the other side then sees.
//!
//! - Prompt path: the text is the user message of an OpenAI chat request to
//!   `/v1/chat/completions`, judged by [`RequestPlan::judge_body`] (the code
//!   the Wasm filter runs on a request body). What the model sees is the
//!   message content of the forwarded (possibly rewritten) body; nothing
//!   when the request is blocked or rejected.
//! - Stream path: the text is a mock vLLM chat answer (`chat.completion.chunk`
//!   events, an opening role event, a final `finish_reason: stop` event and
//!   `[DONE]`), cut into events of 1–7 characters at a seeded random, fed
//!   event by event to [`StreamScreener`]. What the client sees is the
//!   concatenated `delta.content` of the events released, up to an `error`
//!   event.

#![allow(dead_code)]

use llm_policy_core::flow::{plan, BodyVerdict};
use llm_policy_core::policy::Policy;
use llm_policy_core::request::RequestHead;
use llm_policy_core::screen::stream::StreamScreener;
use llm_policy_core::screen::{Screener, Tally};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `policies/default.json`, parsed as the filter parses its configuration.
pub fn default_policy() -> Policy {
    let file = repo().join("policies/default.json");
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    Policy::parse(&bytes).unwrap_or_else(|e| panic!("{}: refused: {e}", file.display()))
}

/// What one side received, and what screening found on the way.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The text the other side received; `None` when nothing got through
    /// (blocked, rejected).
    pub text: Option<String>,
    /// Entry names with their number of findings (any outcome: flagged too).
    pub found: Vec<(String, u32)>,
    pub blocked: bool,
}

impl Seen {
    /// How many findings the entry `name` had.
    pub fn count(&self, name: &str) -> u32 {
        self.found
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, c)| *c)
            .sum()
    }

    /// The text arrived exactly as sent.
    pub fn unchanged(&self, sent: &str) -> bool {
        self.text.as_deref() == Some(sent)
    }

    /// `value` (or a line of it, for multi-line values) reached the other side.
    pub fn leaks(&self, value: &str) -> bool {
        match &self.text {
            None => false,
            Some(text) => leaks(text, value),
        }
    }
}

/// `value` is in `text`, or, for a value of several lines (a PEM block,
/// with real newlines or literal `\n` escapes), one of its lines of 16 or
/// more characters other than the `-----BEGIN/END …-----` armour is.
pub fn leaks(text: &str, value: &str) -> bool {
    if text.contains(value) {
        return true;
    }
    value
        .split('\n')
        .flat_map(|l| l.split("\\n"))
        .map(str::trim)
        .filter(|l| l.chars().count() >= 16 && !l.starts_with("-----"))
        .any(|l| text.contains(l))
}

fn named(screener: &Screener, tally: &Tally) -> Vec<(String, u32)> {
    let mut found: Vec<(String, u32)> = Vec::new();
    for (entry, _, n) in &tally.counts {
        let name = screener
            .entries
            .get(usize::from(*entry))
            .map_or_else(|| format!("entry{entry}"), |e| e.name.clone());
        match found.iter_mut().find(|(f, _)| *f == name) {
            Some((_, c)) => *c += n,
            None => found.push((name, *n)),
        }
    }
    found
}

fn chat_head() -> RequestHead {
    RequestHead {
        method: "POST".into(),
        path: "/v1/chat/completions".into(),
        authority: "llm.example".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-user-id".into(), "corpus-user".into()),
        ],
        route_name: None,
    }
}

/// `text` as the user message of a chat request, through the request path.
pub fn through_prompt(policy: &Policy, text: &str) -> Seen {
    let head = chat_head();
    let p = plan(policy, &head, true, &mut || "corpus".into());
    let screener = policy
        .default_rule
        .screening
        .clone()
        .unwrap_or_else(|| panic!("the default policy screens"));
    let body = json!({
        "model": "mock-model",
        "messages": [{"role": "user", "content": text}],
    });
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|e| panic!("request body: {e}"));
    match p.judge_body(&bytes) {
        BodyVerdict::Forward {
            rewritten, report, ..
        } => {
            let seen = match rewritten {
                None => text.to_string(),
                Some(new) => {
                    let value: Value = serde_json::from_slice(&new)
                        .unwrap_or_else(|e| panic!("rewritten body is no JSON: {e}"));
                    value
                        .pointer("/messages/0/content")
                        .and_then(Value::as_str)
                        .unwrap_or_else(|| panic!("rewritten body lost its content: {value}"))
                        .to_string()
                }
            };
            Seen {
                text: Some(seen),
                found: named(&screener, &report.tally),
                blocked: false,
            }
        }
        BodyVerdict::Blocked(_, tally) => Seen {
            text: None,
            found: named(&screener, &tally),
            blocked: true,
        },
        BodyVerdict::Reject(..) => Seen {
            text: None,
            found: Vec::new(),
            blocked: true,
        },
        BodyVerdict::ForwardUnread(_) => Seen {
            text: Some(text.to_string()),
            found: Vec::new(),
            blocked: false,
        },
    }
}

/// A small seeded generator (xorshift64*), so every run cuts the same events.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let r = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33;
        lo + (r as usize) % (hi - lo + 1)
    }
}

pub fn chunk_event(delta: Value, finish: Option<&str>) -> String {
    let chunk = json!({
        "id": "chatcmpl-corpus",
        "object": "chat.completion.chunk",
        "created": 1_764_547_200,
        "model": "mock-model",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
    });
    format!("data: {chunk}\n\n")
}

/// `text` cut into pieces of 1–7 characters.
pub fn pieces(text: &str, rng: &mut Rng) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let n = rng.between(1, 7).min(chars.len() - at);
        out.push(chars[at..at + n].iter().collect());
        at += n;
    }
    out
}

/// A content event: the bytes [`chunk_event`] writes for
/// `{"content": piece}`, formatted directly (serde_json's map orders keys,
/// so `choices` comes first), which costs a fraction of building the value.
pub fn content_event(piece: &str) -> String {
    let content = serde_json::to_string(piece).unwrap_or_else(|e| panic!("piece: {e}"));
    format!(
        "data: {{\"choices\":[{{\"delta\":{{\"content\":{content}}},\"finish_reason\":null,\"index\":0,\"logprobs\":null}}],\"created\":1764547200,\"id\":\"chatcmpl-corpus\",\"model\":\"mock-model\",\"object\":\"chat.completion.chunk\"}}\n\n"
    )
}

/// What a released event adds to the text the client sees: its
/// `delta.content`; `Err(())` for an `error` event. Events shaped like
/// [`content_event`] are read by their one string; any other is parsed
/// whole.
fn released_content(data: &str) -> Result<Option<String>, ()> {
    const PREFIX: &str = "{\"choices\":[{\"delta\":{\"content\":";
    if let Some(rest) = data.strip_prefix(PREFIX) {
        if !data.contains("\"error\"") {
            let mut strings = serde_json::Deserializer::from_str(rest).into_iter::<String>();
            if let Some(Ok(content)) = strings.next() {
                return Ok(Some(content));
            }
        }
    }
    let Ok(value) = serde_json::from_str::<Value>(data) else {
        return Ok(None);
    };
    if value.get("error").is_some() {
        return Err(());
    }
    Ok(value
        .pointer("/choices/0/delta/content")
        .and_then(Value::as_str)
        .map(str::to_string))
}

/// `text` as a streamed chat answer in events of 1–7 characters, through
/// the streamed-output path.
pub fn through_stream(policy: &Policy, text: &str, seed: u64) -> Seen {
    let screener = policy
        .default_rule
        .screening
        .clone()
        .unwrap_or_else(|| panic!("the default policy screens"));
    let closed =
        policy.default_rule.failure_mode.screening == llm_policy_core::policy::FailureMode::Closed;
    let mut stream = StreamScreener::new(Rc::clone(&screener), None, closed);
    let mut events = vec![chunk_event(
        json!({"role": "assistant", "content": ""}),
        None,
    )];
    let mut rng = Rng::new(seed);
    for piece in pieces(text, &mut rng) {
        events.push(content_event(&piece));
    }
    events.push(chunk_event(json!({}), Some("stop")));
    events.push("data: [DONE]\n\n".to_string());
    let mut raw = Vec::new();
    let last = events.len() - 1;
    for (i, e) in events.iter().enumerate() {
        raw.extend(stream.feed(e.as_bytes(), i == last));
    }
    let raw = String::from_utf8(raw).unwrap_or_else(|e| panic!("stream not UTF-8: {e}"));
    let mut seen = String::new();
    let mut errored = false;
    for event in raw.split("\n\n") {
        let Some(data) = event.strip_prefix("data: ") else {
            continue;
        };
        match released_content(data) {
            Ok(Some(content)) => seen.push_str(&content),
            Ok(None) => {}
            Err(()) => {
                errored = true;
                break;
            }
        }
    }
    Seen {
        text: Some(seen),
        found: named(&screener, &stream.tally),
        blocked: errored || stream.blocked.is_some(),
    }
}

fn default_policy_json() -> Value {
    let file = repo().join("policies/default.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The category names of the default policy's `screening.categories`, read
/// from the document itself (so renamed or added categories are picked up).
pub fn policy_categories() -> Vec<String> {
    default_policy_json()
        .pointer("/screening/categories")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The detector names of the default policy's `screening.detectors`.
pub fn policy_detectors() -> Vec<String> {
    default_policy_json()
        .pointer("/screening/detectors")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Non-empty lines of a corpus file under the repository root.
pub fn corpus_lines(relative: &str) -> Vec<(usize, String)> {
    let file = repo().join(relative);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect()
}

/// Shortens and escapes a text for a one-line report.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .collect::<String>()
        .escape_debug()
        .to_string();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// Per category of the default policy: its outcome in requests and in
/// responses (`action`, or `request` / `response`; `block` when unset).
pub fn policy_category_outcomes() -> Vec<(String, String, String)> {
    let doc = default_policy_json();
    let Some(categories) = doc
        .pointer("/screening/categories")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    categories
        .iter()
        .map(|(name, entry)| {
            let action = entry["action"].as_str().unwrap_or("block");
            let side = |key: &str| entry[key].as_str().unwrap_or(action).to_string();
            (name.clone(), side("request"), side("response"))
        })
        .collect()
}
