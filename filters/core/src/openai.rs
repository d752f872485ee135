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
    /// A field that carries prompt text has a shape the filter does not
    /// read (content given as an object, nested arrays of parts, a text part
    /// whose `text` is not a string): it cannot be screened.
    UnscreenableContent,
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
            BodyProblem::UnscreenableContent => "unscreenable_content",
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
    // Shapes that cannot be read only matter to a rule that screens
    // prompts: `screen_request` reports them.
    let _ = visit_prompt_texts(endpoint, &mut value, &mut |s| {
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

/// Calls `f` on every prompt text of a request body; `f` may rewrite the
/// text in place (redaction), other fields are untouched.
///
/// Read, per endpoint:
/// - chat (and embeddings given `messages`): each message's `content` (see
///   below), `name`, `refusal`, `reasoning_content`, `reasoning`,
///   `tool_calls[].function.arguments` and the legacy `function_call.arguments`;
///   and every string in vLLM's `documents` (RAG documents the chat template
///   renders into the prompt);
/// - completions `prompt` and embeddings `input`: a string, an array of
///   strings, or an array of arrays of strings (token ids are not text and
///   are skipped);
/// - responses: `instructions`, and `input` as a string or a list of items
///   (see `Walk::item`).
///
/// A content is a string, `null`, or an array of parts: a bare string part
/// is text; an object part has its `text` and `refusal` strings read,
/// whatever its `type` (`text`, `TEXT`, `input_text`, none, ...); numbers,
/// booleans and `null` parts carry no text.
///
/// `Err(UnscreenableContent)` when a text field has a shape that is not
/// read: a content (or `prompt`, `input`, `instructions`) given as an object
/// or a number, an array nested in a parts array, a part whose `type` is not
/// a string, a text-typed part whose `text` is not a string, tool-call
/// `arguments` that are not a string. Every readable text is still visited.
pub fn visit_prompt_texts(
    endpoint: Endpoint,
    body: &mut Value,
    f: &mut dyn FnMut(&mut String),
) -> Result<(), BodyProblem> {
    let mut w = Walk::new(f);
    match endpoint {
        Endpoint::ChatCompletions => {
            w.messages(body.get_mut("messages"));
            w.strings_deep(body.get_mut("documents"));
        }
        Endpoint::Completions => w.prompt(body.get_mut("prompt")),
        Endpoint::Embeddings => {
            w.prompt(body.get_mut("input"));
            w.messages(body.get_mut("messages"));
        }
        Endpoint::Responses => {
            w.string_or_absent(body.get_mut("instructions"));
            match body.get_mut("input") {
                Some(Value::Array(items)) => items.iter_mut().for_each(|i| w.item(i)),
                other => w.string_or_absent(other),
            }
        }
    }
    w.result()
}

/// Calls `f` on every output text of a (non-streamed) response body: chat
/// `choices[].message` (`content` as string or parts, `refusal`,
/// `reasoning_content`, `reasoning`, tool-call and legacy `function_call`
/// arguments), completions `choices[].text`, responses-API `output[]` items
/// (see `Walk::item`). `Err` on a shape that is not read, as for prompts.
pub fn visit_output_texts(
    body: &mut Value,
    f: &mut dyn FnMut(&mut String),
) -> Result<(), BodyProblem> {
    let mut w = Walk::new(f);
    let choices = body.get_mut("choices").and_then(Value::as_array_mut);
    for choice in choices.into_iter().flatten() {
        w.string_or_absent(choice.get_mut("text"));
        if let Some(msg) = choice.get_mut("message") {
            w.message(msg);
        }
    }
    let output = body.get_mut("output").and_then(Value::as_array_mut);
    for item in output.into_iter().flatten() {
        w.item(item);
    }
    w.result()
}

/// The part types whose `text` is the part's content, in any case.
fn is_text_type(kind: &str) -> bool {
    [
        "text",
        "input_text",
        "output_text",
        "summary_text",
        "reasoning_text",
    ]
    .iter()
    .any(|t| kind.eq_ignore_ascii_case(t))
}

/// Visits texts and remembers whether a shape could not be read.
struct Walk<'a> {
    f: &'a mut dyn FnMut(&mut String),
    unreadable: bool,
}

impl<'a> Walk<'a> {
    fn new(f: &'a mut dyn FnMut(&mut String)) -> Self {
        Walk {
            f,
            unreadable: false,
        }
    }

    fn result(&self) -> Result<(), BodyProblem> {
        if self.unreadable {
            Err(BodyProblem::UnscreenableContent)
        } else {
            Ok(())
        }
    }

    /// A string is text; absent or `null` is nothing; anything else cannot be read.
    fn string_or_absent(&mut self, v: Option<&mut Value>) {
        match v {
            Some(Value::String(s)) => (self.f)(s),
            None | Some(Value::Null) => {}
            Some(_) => self.unreadable = true,
        }
    }

    fn messages(&mut self, messages: Option<&mut Value>) {
        let messages = messages.and_then(Value::as_array_mut);
        for msg in messages.into_iter().flatten() {
            self.message(msg);
        }
    }

    /// A chat message (prompt history or output).
    fn message(&mut self, msg: &mut Value) {
        let Some(obj) = msg.as_object_mut() else {
            return;
        };
        for (key, v) in obj.iter_mut() {
            match key.as_str() {
                "content" => self.content(v),
                "name" | "refusal" | "reasoning_content" | "reasoning" => {
                    self.string_or_absent(Some(v))
                }
                "tool_calls" => {
                    for call in v.as_array_mut().into_iter().flatten() {
                        self.string_or_absent(call.pointer_mut("/function/arguments"));
                    }
                }
                "function_call" => self.string_or_absent(v.get_mut("arguments")),
                _ => {}
            }
        }
    }

    /// A message content: a string, `null`, or an array of parts.
    fn content(&mut self, content: &mut Value) {
        match content {
            Value::String(s) => (self.f)(s),
            Value::Null => {}
            Value::Array(parts) => parts.iter_mut().for_each(|p| self.part(p)),
            _ => self.unreadable = true,
        }
    }

    /// One content part.
    fn part(&mut self, part: &mut Value) {
        match part {
            Value::String(s) => (self.f)(s),
            Value::Object(obj) => {
                let text_typed = match obj.get("type") {
                    None | Some(Value::Null) => true,
                    Some(Value::String(kind)) => is_text_type(kind),
                    Some(_) => {
                        self.unreadable = true;
                        return;
                    }
                };
                for (key, v) in obj.iter_mut() {
                    match (key.as_str(), v) {
                        ("text" | "refusal", Value::String(s)) => (self.f)(s),
                        ("text", Value::Null) => {}
                        ("text", _) if text_typed => self.unreadable = true,
                        _ => {}
                    }
                }
            }
            Value::Array(_) => self.unreadable = true,
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Every string value inside `v`, at any depth (keys are not read).
    fn strings_deep(&mut self, v: Option<&mut Value>) {
        match v {
            Some(Value::String(s)) => (self.f)(s),
            Some(Value::Array(items)) => items.iter_mut().for_each(|i| self.strings_deep(Some(i))),
            Some(Value::Object(map)) => map.values_mut().for_each(|i| self.strings_deep(Some(i))),
            _ => {}
        }
    }

    /// Completions `prompt`, embeddings `input`: a string, or an array of
    /// strings, token ids, or arrays of either (a batch).
    fn prompt(&mut self, v: Option<&mut Value>) {
        match v {
            Some(Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::Array(inner) => inner.iter_mut().for_each(|x| self.scalar(x)),
                        other => self.scalar(other),
                    }
                }
            }
            other => self.string_or_absent(other),
        }
    }

    /// A string is text, a number a token id; anything else cannot be read.
    fn scalar(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => (self.f)(s),
            Value::Number(_) => {}
            _ => self.unreadable = true,
        }
    }

    /// A responses-API item (an `input` or `output` entry): its `content`
    /// (string or parts), a bare string, `text` and `refusal` strings, and by type: `function_call`
    /// `arguments`, `function_call_output` `output` (string or parts),
    /// `custom_tool_call` `input`, `custom_tool_call_output` `output`,
    /// `reasoning` `summary` and `content` parts. Other item types (images,
    /// computer calls, references) carry no text the filter reads.
    fn item(&mut self, item: &mut Value) {
        let obj = match item {
            Value::String(s) => return (self.f)(s),
            Value::Object(obj) => obj,
            Value::Array(_) => {
                self.unreadable = true;
                return;
            }
            _ => return,
        };
        let kind = obj.get("type").and_then(Value::as_str).unwrap_or("message");
        let kind = kind.to_ascii_lowercase();
        for (key, v) in obj.iter_mut() {
            match (kind.as_str(), key.as_str()) {
                (_, "content") | ("reasoning", "summary") => self.content(v),
                (_, "text" | "refusal") if v.is_string() => self.string_or_absent(Some(v)),
                ("function_call", "arguments") | ("custom_tool_call", "input") => {
                    self.string_or_absent(Some(v))
                }
                ("function_call_output" | "custom_tool_call_output", "output") => self.content(v),
                _ => {}
            }
        }
    }
}

pub(crate) mod chunk;
pub(crate) mod chunk_scan;

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

    /// The texts `visit_prompt_texts` reads in `body`, and its verdict.
    fn prompt_texts(endpoint: Endpoint, body: &str) -> (Vec<String>, Result<(), BodyProblem>) {
        let mut v: Value = serde_json::from_str(body).unwrap();
        let mut seen = Vec::new();
        let r = visit_prompt_texts(endpoint, &mut v, &mut |s| seen.push(s.clone()));
        (seen, r)
    }

    fn output_texts(body: &str) -> (Vec<String>, Result<(), BodyProblem>) {
        let mut v: Value = serde_json::from_str(body).unwrap();
        let mut seen = Vec::new();
        let r = visit_output_texts(&mut v, &mut |s| seen.push(s.clone()));
        (seen, r)
    }

    #[test]
    fn chat_shapes_that_are_read() {
        let chat = Endpoint::ChatCompletions;
        for (body, want) in [
            (
                r#"{"messages":[{"role":"user","name":"n1","content":"c"}]}"#,
                vec!["n1", "c"],
            ),
            (
                r#"{"messages":[{"role":"assistant","content":null,"refusal":"r"}]}"#,
                vec!["r"],
            ),
            (
                r#"{"messages":[{"role":"user","content":["bare",{"type":"text","text":"t"}]}]}"#,
                vec!["bare", "t"],
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"TEXT","text":"up"},{"type":"Input_Text","text":"mixed"}]}]}"#,
                vec!["up", "mixed"],
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"text":"untyped"},{"type":null,"text":"nulltype"}]}]}"#,
                vec!["untyped", "nulltype"],
            ),
            (
                r#"{"messages":[{"role":"assistant","content":[{"type":"refusal","refusal":"no"}]}]}"#,
                vec!["no"],
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u"},"text":"sneaky"}]}]}"#,
                vec!["sneaky"],
            ),
            (
                r#"{"messages":[{"role":"user","content":[1,true,null,{"type":"image_url","image_url":{"url":"u"}}]}]}"#,
                vec![],
            ),
            (
                r#"{"messages":[{"role":"assistant","reasoning_content":"rc","reasoning":"r2","function_call":{"name":"f","arguments":"fa"}}]}"#,
                vec!["rc", "r2", "fa"],
            ),
            (
                r#"{"messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":"ta"}}]}]}"#,
                vec!["ta"],
            ),
            (
                r#"{"messages":[],"documents":[{"title":"dt","text":"dx","meta":{"n":["dn"]}}]}"#,
                vec!["dt", "dx", "dn"],
            ),
        ] {
            let (seen, r) = prompt_texts(chat, body);
            assert_eq!(r, Ok(()), "{body}");
            let mut seen = seen;
            let mut want: Vec<String> = want.into_iter().map(String::from).collect();
            seen.sort();
            want.sort();
            assert_eq!(seen, want, "{body}");
        }
    }

    #[test]
    fn chat_shapes_that_are_refused() {
        for body in [
            r#"{"messages":[{"role":"user","content":{"type":"text","text":"obj"}}]}"#,
            r#"{"messages":[{"role":"user","content":42}]}"#,
            r#"{"messages":[{"role":"user","content":[["nested"]]}]}"#,
            r#"{"messages":[{"role":"user","content":[{"type":"text","text":{"value":"v"}}]}]}"#,
            r#"{"messages":[{"role":"user","content":[{"text":["a"]}]}]}"#,
            r#"{"messages":[{"role":"user","content":[{"type":7,"text":"t"}]}]}"#,
            r#"{"messages":[{"role":"user","name":{"n":"x"},"content":"c"}]}"#,
            r#"{"messages":[{"role":"assistant","refusal":["r"]}]}"#,
            r#"{"messages":[{"role":"assistant","tool_calls":[{"function":{"arguments":{"a":"b"}}}]}]}"#,
        ] {
            let (seen, r) = prompt_texts(Endpoint::ChatCompletions, body);
            assert_eq!(r, Err(BodyProblem::UnscreenableContent), "{body}");
            assert!(!seen.iter().any(|s| s == "obj" || s == "nested"), "{body}");
        }
        assert_eq!(
            BodyProblem::UnscreenableContent.label(),
            "unscreenable_content"
        );
        // the rest of a refused body is still visited (for counting)
        let (seen, _) = prompt_texts(
            Endpoint::ChatCompletions,
            r#"{"messages":[{"role":"user","content":{"x":1}},{"role":"user","content":"later"}]}"#,
        );
        assert_eq!(seen, ["later"]);
    }

    #[test]
    fn prompt_and_input_shapes() {
        let (seen, r) = prompt_texts(
            Endpoint::Completions,
            r#"{"prompt":[["a","b"],[1,2],"c",3]}"#,
        );
        assert_eq!(
            (seen, r),
            (vec!["a".into(), "b".into(), "c".into()], Ok(()))
        );
        let (_, r) = prompt_texts(Endpoint::Completions, r#"{"prompt":{"text":"x"}}"#);
        assert_eq!(r, Err(BodyProblem::UnscreenableContent));
        let (_, r) = prompt_texts(Endpoint::Completions, r#"{"prompt":[[["deep"]]]}"#);
        assert_eq!(r, Err(BodyProblem::UnscreenableContent));
        let (_, r) = prompt_texts(Endpoint::Embeddings, r#"{"input":[{"text":"x"}]}"#);
        assert_eq!(r, Err(BodyProblem::UnscreenableContent));
        let (seen, r) = prompt_texts(Endpoint::Embeddings, r#"{"input":[[101,102]],"model":"m"}"#);
        assert_eq!((seen.len(), r), (0, Ok(())));
        // vLLM's chat-style embeddings request
        let (seen, r) = prompt_texts(
            Endpoint::Embeddings,
            r#"{"messages":[{"role":"user","content":[{"type":"text","text":"e"}]}]}"#,
        );
        assert_eq!((seen, r), (vec!["e".into()], Ok(())));
    }

    #[test]
    fn responses_input_items() {
        let body = r#"{"instructions":"i","input":[
            "bare",
            {"role":"user","content":"s"},
            {"type":"message","role":"user","content":[{"type":"input_text","text":"p"},{"type":"input_image","image_url":"u"}]},
            {"type":"message","role":"assistant","content":[{"type":"output_text","text":"o"},{"type":"refusal","refusal":"rf"}]},
            {"type":"function_call","call_id":"c","name":"f","arguments":"args"},
            {"type":"function_call_output","call_id":"c","output":"out"},
            {"type":"function_call_output","call_id":"d","output":[{"type":"input_text","text":"out2"}]},
            {"type":"reasoning","summary":[{"type":"summary_text","text":"sum"}]},
            {"type":"input_text","text":"top"},
            {"type":"item_reference","id":"x"}]}"#;
        let (mut seen, r) = prompt_texts(Endpoint::Responses, body);
        seen.sort();
        assert_eq!(r, Ok(()));
        assert_eq!(
            seen,
            ["args", "bare", "i", "o", "out", "out2", "p", "rf", "s", "sum", "top"]
        );
        for bad in [
            r#"{"input":{"role":"user","content":"x"}}"#,
            r#"{"input":[{"role":"user","content":{"type":"input_text","text":"x"}}]}"#,
            r#"{"input":[[{"role":"user","content":"x"}]]}"#,
            r#"{"instructions":["x"],"input":"y"}"#,
            r#"{"input":[{"type":"function_call_output","output":{"text":"x"}}]}"#,
        ] {
            assert_eq!(
                prompt_texts(Endpoint::Responses, bad).1,
                Err(BodyProblem::UnscreenableContent),
                "{bad}"
            );
        }
    }

    #[test]
    fn output_shapes() {
        let (mut seen, r) = output_texts(
            r#"{"choices":[{"message":{"content":"c","refusal":"mail a@b.co","reasoning":"r"}},{"text":"t"}],
                "output":[{"type":"message","content":[{"type":"output_text","text":"o"},{"type":"refusal","refusal":"rf"}]},
                          {"type":"function_call","arguments":"fa"},
                          {"type":"reasoning","summary":[{"type":"summary_text","text":"s"}],"content":[{"type":"reasoning_text","text":"rt"}]}]}"#,
        );
        seen.sort();
        assert_eq!(r, Ok(()));
        assert_eq!(
            seen,
            ["c", "fa", "mail a@b.co", "o", "r", "rf", "rt", "s", "t"]
        );
        let (_, r) = output_texts(r#"{"choices":[{"message":{"content":{"text":"x"}}}]}"#);
        assert_eq!(r, Err(BodyProblem::UnscreenableContent));
        let (_, r) = output_texts(r#"{"choices":[{"text":["x"]}]}"#);
        assert_eq!(r, Err(BodyProblem::UnscreenableContent));
    }
}
