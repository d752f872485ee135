//! The text fields of a streamed OpenAI chunk: `choices[].text`
//! (completions), `choices[].delta.content`, `.refusal`, `.reasoning_content`,
//! `.reasoning` and `.tool_calls[].function.arguments` (chat), and a
//! responses-API event's `delta`: read mutably, checked for a shape the
//! screener reads (a string or `null`), and written back, creating the path.
//! Whole responses are read by [`super::visit_output_texts`].

use serde_json::{json, Map, Value};

/// A text field of a streamed choice (or the responses API's `delta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Content,
    Refusal,
    /// `delta.reasoning_content`.
    ReasoningContent,
    /// `delta.reasoning` (newer vLLM).
    Reasoning,
    Text,
    ToolArguments(u64),
    /// The `delta` of a responses-API event (`response.output_text.delta`,
    /// `response.function_call_arguments.delta`, ...).
    Delta,
}

/// The text fields of one streamed choice, mutable.
pub(crate) fn fields_of(choice: &mut Value) -> Vec<(Field, &mut String)> {
    let mut out = Vec::new();
    let Some(obj) = choice.as_object_mut() else {
        return out;
    };
    let (text, delta): (Option<&mut Value>, Option<&mut Value>) = {
        let mut text = None;
        let mut delta = None;
        for (k, v) in obj.iter_mut() {
            match k.as_str() {
                "text" => text = Some(v),
                "delta" => delta = Some(v),
                _ => {}
            }
        }
        (text, delta)
    };
    if let Some(Value::String(s)) = text {
        out.push((Field::Text, s));
    }
    let Some(Value::Object(delta)) = delta else {
        return out;
    };
    for (k, v) in delta.iter_mut() {
        match (k.as_str(), v) {
            ("content", Value::String(s)) => out.push((Field::Content, s)),
            ("refusal", Value::String(s)) => out.push((Field::Refusal, s)),
            ("reasoning_content", Value::String(s)) => out.push((Field::ReasoningContent, s)),
            ("reasoning", Value::String(s)) => out.push((Field::Reasoning, s)),
            ("tool_calls", Value::Array(calls)) => {
                for (pos, call) in calls.iter_mut().enumerate() {
                    let index = call
                        .get("index")
                        .and_then(Value::as_u64)
                        .unwrap_or(pos as u64);
                    if let Some(Value::String(s)) = call.pointer_mut("/function/arguments") {
                        out.push((Field::ToolArguments(index), s));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The delta fields read as text, by name.
const DELTA_TEXT_FIELDS: [(&str, Field); 4] = [
    ("content", Field::Content),
    ("refusal", Field::Refusal),
    ("reasoning_content", Field::ReasoningContent),
    ("reasoning", Field::Reasoning),
];

/// False when a text field of a choice is neither a string nor `null`
/// (content as parts or an object, tool-call arguments as an object): the
/// event cannot be screened.
pub(crate) fn chunk_is_readable(chunk: &Map<String, Value>) -> bool {
    let text_or_null = |v: Option<&Value>| v.is_none_or(|v| v.is_string() || v.is_null());
    let Some(Value::Array(choices)) = chunk.get("choices") else {
        return true;
    };
    choices.iter().all(|choice| {
        let delta = choice.get("delta");
        let calls = delta
            .and_then(|d| d.get("tool_calls"))
            .and_then(Value::as_array);
        text_or_null(choice.get("text"))
            && DELTA_TEXT_FIELDS
                .iter()
                .all(|(name, _)| text_or_null(delta.and_then(|d| d.get(*name))))
            && calls
                .into_iter()
                .flatten()
                .all(|call| text_or_null(call.pointer("/function/arguments")))
    })
}

/// Makes sure `choice` has `field` (empty if absent); true if it was added.
pub(crate) fn ensure_field(choice: &mut Value, field: Field) -> bool {
    let present = match field {
        Field::Delta => true,
        Field::Text => choice.get("text").is_some_and(Value::is_string),
        Field::Content | Field::Refusal | Field::ReasoningContent | Field::Reasoning => choice
            .get("delta")
            .and_then(|d| d.get(delta_name(field)))
            .is_some_and(Value::is_string),
        Field::ToolArguments(i) => choice
            .pointer("/delta/tool_calls")
            .and_then(Value::as_array)
            .is_some_and(|calls| {
                calls.iter().any(|c| {
                    c.get("index").and_then(Value::as_u64) == Some(i)
                        && c.pointer("/function/arguments")
                            .is_some_and(Value::is_string)
                })
            }),
    };
    if !present {
        set_field(choice, field, String::new());
    }
    !present
}

/// The name of a `delta` text field.
fn delta_name(field: Field) -> &'static str {
    DELTA_TEXT_FIELDS
        .iter()
        .find(|(_, f)| *f == field)
        .map_or("content", |(name, _)| name)
}

/// Sets `field` of a streamed choice to `text`, creating the path.
pub(crate) fn set_field(choice: &mut Value, field: Field, text: String) {
    let Some(obj) = choice.as_object_mut() else {
        return;
    };
    if field == Field::Text {
        obj.insert("text".into(), Value::String(text));
        return;
    }
    let delta = obj.entry("delta").or_insert_with(|| json!({}));
    let Some(delta) = delta.as_object_mut() else {
        return;
    };
    match field {
        Field::Content | Field::Refusal | Field::ReasoningContent | Field::Reasoning => {
            delta.insert(delta_name(field).into(), Value::String(text));
        }
        Field::ToolArguments(i) => {
            let calls = delta.entry("tool_calls").or_insert_with(|| json!([]));
            if let Some(calls) = calls.as_array_mut() {
                match calls
                    .iter_mut()
                    .find(|c| c.get("index").and_then(Value::as_u64) == Some(i))
                {
                    Some(call) => {
                        if let Some(obj) = call.as_object_mut() {
                            let f = obj.entry("function").or_insert_with(|| json!({}));
                            if let Some(f) = f.as_object_mut() {
                                f.insert("arguments".into(), Value::String(text));
                            }
                        }
                    }
                    None => calls.push(json!({"index": i, "function": {"arguments": text}})),
                }
            }
        }
        Field::Text | Field::Delta => {}
    }
}

/// Token log-probabilities spell out the text token by token: once the text
/// of a choice or part is held or changed they would give it away, so they
/// are emptied (`null` in chat and completions, `[]` in the responses API).
pub(crate) fn clear_logprobs(obj: &mut Map<String, Value>) {
    if let Some(lp) = obj.get_mut("logprobs") {
        *lp = if lp.is_array() {
            Value::Array(Vec::new())
        } else {
            Value::Null
        };
    }
}
