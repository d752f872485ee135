//! OpenAI-style request bodies: which endpoint, and what a body holds.

use crate::json_strict::{self, StrictError};
use serde_json::Value;

/// The OpenAI-compatible endpoints whose bodies the filter reads. Any path
/// ending in one of these suffixes counts (`/openai/v1/chat/completions` too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ChatCompletions,
    Completions,
    Embeddings,
    Responses,
}

impl Endpoint {
    const ALL: [(Endpoint, &'static str); 4] = [
        (Endpoint::ChatCompletions, "/v1/chat/completions"),
        (Endpoint::Completions, "/v1/completions"),
        (Endpoint::Embeddings, "/v1/embeddings"),
        (Endpoint::Responses, "/v1/responses"),
    ];

    /// The endpoint a path (without query) addresses, if it is one of ours.
    pub fn from_path(path: &str) -> Option<Endpoint> {
        let path = path.strip_suffix('/').unwrap_or(path);
        Endpoint::ALL
            .iter()
            .find(|(_, suffix)| path.ends_with(suffix))
            .map(|(e, _)| *e)
    }

    /// The endpoint's label in metrics.
    pub fn label(self) -> &'static str {
        match self {
            Endpoint::ChatCompletions => "chat_completions",
            Endpoint::Completions => "completions",
            Endpoint::Embeddings => "embeddings",
            Endpoint::Responses => "responses",
        }
    }
}

/// Why a request body could not be read. Each has a documented outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyProblem {
    /// The body is not UTF-8.
    InvalidUtf8,
    /// The body is UTF-8 but not JSON.
    InvalidJson,
    /// The body is JSON but not an object.
    NotAnObject,
    /// The body is larger than the rule's `limits.max_body_bytes`.
    TooLarge,
    /// `content-encoding` is something other than `identity`.
    Encoded,
    /// The same key twice in one object: parsers disagree on which copy
    /// counts, so the body cannot be judged.
    DuplicateKey,
}

impl BodyProblem {
    /// The problem's label in metrics and its error `code`.
    pub fn label(self) -> &'static str {
        match self {
            BodyProblem::InvalidUtf8 => "invalid_utf8",
            BodyProblem::InvalidJson => "invalid_json",
            BodyProblem::NotAnObject => "not_an_object",
            BodyProblem::TooLarge => "body_too_large",
            BodyProblem::Encoded => "unsupported_content_encoding",
            BodyProblem::DuplicateKey => "duplicate_key",
        }
    }
}

/// True when a `content-encoding` value means a compressed body (anything
/// but empty or `identity`): the filter cannot read it.
pub fn is_compressed(content_encoding: &str) -> bool {
    let e = content_encoding.trim();
    !e.is_empty() && !e.eq_ignore_ascii_case("identity")
}

/// What the filter learnt from a readable request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAiRequest {
    pub endpoint: Endpoint,
    pub model: Option<String>,
    pub stream: bool,
    /// Prompt text fields found (message contents, prompts, inputs, tool arguments).
    pub text_fields: usize,
    /// Their total size in bytes.
    pub text_bytes: usize,
}

/// Reads a complete request body for `endpoint`.
pub fn parse_request(endpoint: Endpoint, body: &[u8]) -> Result<OpenAiRequest, BodyProblem> {
    parse_request_value(endpoint, body).map(|(req, _)| req)
}

/// Edits an experiment arm makes to a request body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BodyEdits {
    pub model: Option<String>,
    pub system_prompt: Option<String>,
}

impl BodyEdits {
    pub fn is_empty(&self) -> bool {
        self.model.is_none() && self.system_prompt.is_none()
    }
}

/// Applies `edits` to a parsed body. `model` is set on every endpoint; the
/// system prompt replaces the first chat message when it is a system message
/// (or is inserted first), and sets `instructions` on the responses API.
/// Completions and embeddings have no system prompt: unchanged.
pub fn apply_edits(endpoint: Endpoint, body: &mut Value, edits: &BodyEdits) {
    let Some(obj) = body.as_object_mut() else {
        return;
    };
    if let Some(model) = &edits.model {
        obj.insert("model".into(), Value::String(model.clone()));
    }
    let Some(prompt) = &edits.system_prompt else {
        return;
    };
    match endpoint {
        Endpoint::ChatCompletions => {
            if let Some(Value::Array(messages)) = obj.get_mut("messages") {
                let system = serde_json::json!({"role": "system", "content": prompt});
                let first_is_system = messages
                    .first()
                    .and_then(|m| m.get("role"))
                    .and_then(Value::as_str)
                    .is_some_and(|r| r == "system" || r == "developer");
                if first_is_system {
                    messages[0] = system;
                } else {
                    messages.insert(0, system);
                }
            }
        }
        Endpoint::Responses => {
            obj.insert("instructions".into(), Value::String(prompt.clone()));
        }
        Endpoint::Completions | Endpoint::Embeddings => {}
    }
}

/// Reads a complete request body and keeps its parsed JSON.
pub fn parse_request_value(
    endpoint: Endpoint,
    body: &[u8],
) -> Result<(OpenAiRequest, Value), BodyProblem> {
    let text = std::str::from_utf8(body).map_err(|_| BodyProblem::InvalidUtf8)?;
    let mut value = json_strict::from_str(text).map_err(|e| match e {
        StrictError::DuplicateKey => BodyProblem::DuplicateKey,
        StrictError::Invalid => BodyProblem::InvalidJson,
    })?;
    if !value.is_object() {
        return Err(BodyProblem::NotAnObject);
    }
    let (mut text_fields, mut text_bytes) = (0, 0);
    visit_prompt_texts(endpoint, &mut value, &mut |s| {
        text_fields += 1;
        text_bytes += s.len();
    });
    let req = OpenAiRequest {
        endpoint,
        model: value
            .get("model")
            .and_then(Value::as_str)
            .map(str::to_string),
        stream: value
            .get("stream")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        text_fields,
        text_bytes,
    };
    Ok((req, value))
}

/// Calls `f` on every prompt text of a request body: chat message contents
/// (strings or text parts) and tool-call arguments, `prompt` strings, embedding
/// and responses-API `input` strings (and their text parts), `instructions`.
/// `f` may rewrite the text in place (redaction); other fields are untouched.
pub fn visit_prompt_texts(endpoint: Endpoint, body: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match endpoint {
        Endpoint::ChatCompletions => {
            let messages = body.get_mut("messages").and_then(Value::as_array_mut);
            for msg in messages.into_iter().flatten() {
                visit_content(msg.get_mut("content"), f);
                visit_tool_calls(msg.get_mut("tool_calls"), f);
            }
        }
        Endpoint::Completions => visit_strings(body.get_mut("prompt"), f),
        Endpoint::Embeddings => visit_strings(body.get_mut("input"), f),
        Endpoint::Responses => {
            if let Some(Value::String(s)) = body.get_mut("instructions") {
                f(s);
            }
            match body.get_mut("input") {
                Some(Value::String(s)) => f(s),
                Some(Value::Array(items)) => items
                    .iter_mut()
                    .for_each(|item| visit_content(item.get_mut("content"), f)),
                _ => {}
            }
        }
    }
}

/// Calls `f` on every output text of a (non-streamed) response body: chat
/// `choices[].message.content` (string or text parts), `reasoning_content`,
/// tool-call arguments, completions `choices[].text`, responses-API
/// `output[].content[]` text parts.
pub fn visit_output_texts(body: &mut Value, f: &mut dyn FnMut(&mut String)) {
    let choices = body.get_mut("choices").and_then(Value::as_array_mut);
    for choice in choices.into_iter().flatten() {
        if let Some(Value::String(s)) = choice.get_mut("text") {
            f(s);
        }
        if let Some(msg) = choice.get_mut("message") {
            visit_content(msg.get_mut("content"), f);
            if let Some(Value::String(s)) = msg.get_mut("reasoning_content") {
                f(s);
            }
            visit_tool_calls(msg.get_mut("tool_calls"), f);
        }
    }
    let output = body.get_mut("output").and_then(Value::as_array_mut);
    for item in output.into_iter().flatten() {
        visit_content(item.get_mut("content"), f);
    }
}

fn visit_tool_calls(calls: Option<&mut Value>, f: &mut dyn FnMut(&mut String)) {
    let calls = calls.and_then(Value::as_array_mut);
    for call in calls.into_iter().flatten() {
        if let Some(Value::String(args)) = call.pointer_mut("/function/arguments") {
            f(args);
        }
    }
}

/// A message content: a string, or an array of parts whose text parts count.
fn visit_content(content: Option<&mut Value>, f: &mut dyn FnMut(&mut String)) {
    match content {
        Some(Value::String(s)) => f(s),
        Some(Value::Array(parts)) => {
            for part in parts {
                let is_text = matches!(
                    part.get("type").and_then(Value::as_str),
                    Some("text" | "input_text" | "output_text")
                );
                if let (true, Some(Value::String(s))) = (is_text, part.get_mut("text")) {
                    f(s);
                }
            }
        }
        _ => {}
    }
}

/// A string, or an array of strings (token-id arrays are not text).
fn visit_strings(v: Option<&mut Value>, f: &mut dyn FnMut(&mut String)) {
    match v {
        Some(Value::String(s)) => f(s),
        Some(Value::Array(items)) => items.iter_mut().for_each(|item| {
            if let Value::String(s) = item {
                f(s);
            }
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn endpoints_by_suffix() {
        assert_eq!(
            Endpoint::from_path("/v1/chat/completions"),
            Some(Endpoint::ChatCompletions)
        );
        assert_eq!(
            Endpoint::from_path("/openai/v1/completions/"),
            Some(Endpoint::Completions)
        );
        assert_eq!(
            Endpoint::from_path("/v1/embeddings"),
            Some(Endpoint::Embeddings)
        );
        assert_eq!(
            Endpoint::from_path("/v1/responses"),
            Some(Endpoint::Responses)
        );
        assert_eq!(Endpoint::from_path("/v1/models"), None);
        assert_eq!(Endpoint::from_path("/v2/chat"), None);
    }

    #[test]
    fn chat_texts_include_parts_and_tool_arguments() {
        let body = br#"{"model":"m","stream":true,"messages":[
            {"role":"system","content":"be nice"},
            {"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"x"}}]},
            {"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":"{\"a\":1}"}}]}]}"#;
        let req = parse_request(Endpoint::ChatCompletions, body);
        assert_eq!(
            req,
            Ok(OpenAiRequest {
                endpoint: Endpoint::ChatCompletions,
                model: Some("m".into()),
                stream: true,
                text_fields: 3,
                text_bytes: 7 + 2 + 7,
            })
        );
    }

    #[test]
    fn prompts_inputs_and_responses() {
        let c = parse_request(Endpoint::Completions, br#"{"prompt":["ab","c"]}"#);
        assert_eq!(c.map(|r| (r.text_fields, r.text_bytes)), Ok((2, 3)));
        let e = parse_request(Endpoint::Embeddings, br#"{"input":[[1,2],"xyz"]}"#);
        assert_eq!(e.map(|r| r.text_fields), Ok(1));
        let r = parse_request(
            Endpoint::Responses,
            br#"{"instructions":"sys","input":[{"role":"user","content":[{"type":"input_text","text":"q"}]}]}"#,
        );
        assert_eq!(r.map(|r| r.text_fields), Ok(2));
    }

    #[test]
    fn edits_set_model_and_system_prompt() {
        let edits = BodyEdits {
            model: Some("big".into()),
            system_prompt: Some("be brief".into()),
        };
        let mut chat: Value =
            serde_json::from_str(r#"{"model":"m","messages":[{"role":"user","content":"q"}]}"#)
                .unwrap();
        apply_edits(Endpoint::ChatCompletions, &mut chat, &edits);
        assert_eq!(chat["model"], "big");
        assert_eq!(chat["messages"][0]["content"], "be brief");
        assert_eq!(chat["messages"][1]["content"], "q");
        apply_edits(Endpoint::ChatCompletions, &mut chat, &edits);
        assert_eq!(
            chat["messages"].as_array().map(Vec::len),
            Some(2),
            "replaced, not stacked"
        );
        let mut resp: Value = serde_json::from_str(r#"{"input":"q"}"#).unwrap();
        apply_edits(Endpoint::Responses, &mut resp, &edits);
        assert_eq!(resp["instructions"], "be brief");
        let mut emb: Value = serde_json::from_str(r#"{"input":"q"}"#).unwrap();
        apply_edits(Endpoint::Embeddings, &mut emb, &edits);
        assert_eq!(emb, serde_json::json!({"input":"q","model":"big"}));
    }

    #[test]
    fn unreadable_bodies_are_classified() {
        let chat = Endpoint::ChatCompletions;
        assert_eq!(
            parse_request(chat, b"\xff\xfe{}"),
            Err(BodyProblem::InvalidUtf8)
        );
        assert_eq!(
            parse_request(chat, b"{\"messages\":"),
            Err(BodyProblem::InvalidJson)
        );
        assert_eq!(parse_request(chat, b""), Err(BodyProblem::InvalidJson));
        assert_eq!(parse_request(chat, b"[1,2]"), Err(BodyProblem::NotAnObject));
    }
}
