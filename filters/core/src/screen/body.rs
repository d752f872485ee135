//! Screening whole JSON bodies: a request's prompts, a non-streamed response's outputs.

use super::engine::{Direction, Screener, Tally, TextVerdict};
use super::redact::RestoreMap;
use crate::openai::chunk::clear_logprobs;
use crate::openai::{visit_output_texts, visit_prompt_texts, BodyProblem, Endpoint};
use serde_json::Value;

/// What screening a body found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyScreen {
    pub tally: Tally,
    /// The entry whose enforced block refused the body.
    pub blocked: Option<u16>,
    /// Some text was rewritten: the body must be serialised again.
    pub changed: bool,
}

/// Screens every prompt text of a parsed request body, redacting in place.
/// Hash tokens given out are recorded in `restore`. `Err` when a text field
/// has a shape that is not read ([`BodyProblem::UnscreenableContent`]): the
/// request then follows the rule's screening failure mode.
pub fn screen_request(
    screener: &Screener,
    endpoint: Endpoint,
    body: &mut Value,
    mut restore: Option<&mut RestoreMap>,
) -> Result<BodyScreen, BodyProblem> {
    let mut out = BodyScreen::default();
    let shape = visit_prompt_texts(endpoint, body, &mut |text| {
        let verdict = screener.screen_text(
            text,
            Direction::Request,
            &mut out.tally,
            restore.as_deref_mut(),
        );
        settle(verdict, text, &mut out);
    });
    shape.map(|()| out)
}

/// Screens every output text of a parsed response body, redacting in place,
/// then puts the request's hash tokens back (`restore`). On an enforced
/// block every output is replaced by the block message and `finish_reason`
/// becomes `content_filter`, as OpenAI reports filtered outputs. `Err` when
/// an output field has a shape that is not read (content as an object, ...).
pub fn screen_response(
    screener: &Screener,
    body: &mut Value,
    restore: Option<&RestoreMap>,
) -> Result<BodyScreen, Unscreenable> {
    let mut out = BodyScreen::default();
    let shape = visit_output_texts(body, &mut |text| {
        let verdict = screener.screen_text(text, Direction::Response, &mut out.tally, None);
        settle(verdict, text, &mut out);
    });
    if shape.is_err() {
        return Err(Unscreenable);
    }
    if out.blocked.is_some() {
        mark_filtered(body, &screener.config.block_message);
        clear_output_logprobs(body);
        out.changed = true;
        return Ok(out);
    }
    if let Some(map) = restore {
        let _ = visit_output_texts(body, &mut |text| {
            if let Some(restored) = map.restore(text) {
                *text = restored;
                out.changed = true;
            }
        });
    }
    if out.changed {
        clear_output_logprobs(body);
    }
    Ok(out)
}

/// Once an output's text changed, its token log-probabilities would give
/// the original away: chat and completions `choices[].logprobs` become
/// `null`, responses-API `output[].content[].logprobs` become `[]`.
pub(crate) fn clear_output_logprobs(body: &mut Value) {
    let Some(obj) = body.as_object_mut() else {
        return;
    };
    for (key, v) in obj.iter_mut() {
        let entries = v.as_array_mut().into_iter().flatten();
        match key.as_str() {
            "choices" => entries
                .filter_map(Value::as_object_mut)
                .for_each(clear_logprobs),
            "output" => entries
                .filter_map(|item| item.get_mut("content").and_then(Value::as_array_mut))
                .flatten()
                .filter_map(Value::as_object_mut)
                .for_each(clear_logprobs),
            _ => {}
        }
    }
}

fn settle(verdict: TextVerdict, text: &mut String, out: &mut BodyScreen) {
    match verdict {
        TextVerdict::Unchanged => {}
        TextVerdict::Redacted(new) => {
            *text = new;
            out.changed = true;
        }
        TextVerdict::Blocked(entry) => {
            out.blocked = out.blocked.or(Some(entry));
        }
    }
}

/// Replaces every output with `message`, `finish_reason: content_filter`.
pub(crate) fn mark_filtered(body: &mut Value, message: &str) {
    let _ = visit_output_texts(body, &mut |text| {
        text.clear();
    });
    let choices = body.get_mut("choices").and_then(Value::as_array_mut);
    for choice in choices.into_iter().flatten() {
        if let Some(obj) = choice.as_object_mut() {
            obj.insert("finish_reason".into(), Value::from("content_filter"));
            if obj.contains_key("text") {
                obj.insert("text".into(), Value::from(message));
            }
            if let Some(msg) = obj.get_mut("message").and_then(Value::as_object_mut) {
                msg.insert("content".into(), Value::from(message));
                msg.remove("tool_calls");
            }
        }
    }
}

/// Why a response body could not be screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unscreenable;

/// Screens a complete non-streamed response body. `Ok((Some(bytes), _))`
/// when it must be replaced; `Err` when it is not a JSON object or an
/// output field has a shape that is not read.
pub fn screen_response_bytes(
    screener: &Screener,
    body: &[u8],
    restore: Option<&RestoreMap>,
) -> Result<(Option<Vec<u8>>, BodyScreen), Unscreenable> {
    // Duplicate keys make an output unscreenable: the client's parser may read the other copy.
    let mut value = crate::json_strict::from_slice(body).map_err(|_| Unscreenable)?;
    if !value.is_object() {
        return Err(Unscreenable);
    }
    let screened = screen_response(screener, &mut value, restore)?;
    let bytes = if screened.changed {
        // Only the rewritten strings change; numbers and the rest keep their bytes.
        Some(crate::json_splice::rewrite(body, &value).ok_or(Unscreenable)?)
    } else {
        None
    };
    Ok((bytes, screened))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use std::rc::Rc;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn pii() -> Rc<Screener> {
        let doc = r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"}}}}"#;
        Policy::parse(doc.as_bytes())
            .unwrap()
            .default_rule
            .screening
            .clone()
            .unwrap()
    }

    fn request(endpoint: Endpoint, body: &str) -> (Result<BodyScreen, BodyProblem>, String) {
        let mut v: Value = serde_json::from_str(body).unwrap();
        let r = screen_request(&pii(), endpoint, &mut v, None);
        (r, v.to_string())
    }

    #[test]
    fn every_read_prompt_field_is_redacted() {
        for body in [
            r#"{"messages":[{"role":"user","name":"jo@x.io","content":"hi"}]}"#,
            r#"{"messages":[{"role":"assistant","refusal":"write to jo@x.io"}]}"#,
            r#"{"messages":[{"role":"user","content":["mail jo@x.io"]}]}"#,
            r#"{"messages":[{"role":"user","content":[{"type":"TEXT","text":"jo@x.io"}]}]}"#,
            r#"{"messages":[{"role":"user","content":[{"text":"jo@x.io"}]}]}"#,
            r#"{"input":[{"type":"message","role":"assistant","content":[{"type":"refusal","refusal":"jo@x.io"}]}]}"#,
            r#"{"input":[{"type":"function_call_output","call_id":"c","output":"jo@x.io"}]}"#,
        ] {
            let endpoint = if body.starts_with(r#"{"input""#) {
                Endpoint::Responses
            } else {
                Endpoint::ChatCompletions
            };
            let (r, out) = request(endpoint, body);
            assert!(r.is_ok_and(|s| s.changed), "{body}");
            assert!(!out.contains("jo@x.io") && out.contains("[EMAIL]"), "{out}");
        }
    }

    #[test]
    fn shapes_that_are_not_read_make_the_request_unscreenable() {
        for body in [
            r#"{"messages":[{"role":"user","content":{"type":"text","text":"jo@x.io"}}]}"#,
            r#"{"messages":[{"role":"user","content":[["jo@x.io"]]}]}"#,
        ] {
            let (r, _) = request(Endpoint::ChatCompletions, body);
            assert_eq!(r, Err(BodyProblem::UnscreenableContent), "{body}");
        }
    }

    #[test]
    fn output_refusal_is_redacted_and_odd_outputs_are_unscreenable() {
        let body = br#"{"choices":[{"index":0,"message":{"role":"assistant","content":null,
            "refusal":"I will not email jane.doe@example.com"},"finish_reason":"stop"}]}"#;
        let (bytes, screened) = screen_response_bytes(&pii(), body, None).unwrap();
        let out = String::from_utf8(bytes.unwrap()).unwrap();
        assert!(
            out.contains(r#""refusal":"I will not email [EMAIL]""#),
            "{out}"
        );
        assert_eq!(screened.tally.counts.len(), 1);
        let responses = br#"{"output":[{"type":"message","content":[{"type":"refusal","refusal":"jane.doe@example.com"}]}]}"#;
        let (bytes, _) = screen_response_bytes(&pii(), responses, None).unwrap();
        assert!(!String::from_utf8(bytes.unwrap())
            .unwrap()
            .contains("jane.doe"));
        let odd = br#"{"choices":[{"message":{"content":{"text":"jane.doe@example.com"}}}]}"#;
        assert_eq!(
            screen_response_bytes(&pii(), odd, None).map(|_| ()),
            Err(Unscreenable)
        );
    }

    #[test]
    fn logprobs_go_with_a_changed_output() {
        let lp = r#"{"content":[{"token":"jane.doe@example.com","logprob":-0.1}]}"#;
        let body = format!(
            r#"{{"choices":[{{"index":0,"message":{{"content":"mail jane.doe@example.com"}},"logprobs":{lp}}}],
                "output":[{{"type":"message","content":[{{"type":"output_text","text":"x","logprobs":[{{"token":"jane.doe@example.com"}}]}}]}}]}}"#
        );
        let (bytes, _) = screen_response_bytes(&pii(), body.as_bytes(), None).unwrap();
        let out = String::from_utf8(bytes.unwrap()).unwrap();
        assert!(!out.contains("jane.doe"), "{out}");
        let clean = format!(
            r#"{{"choices":[{{"index":0,"message":{{"content":"hello"}},"logprobs":{lp}}}]}}"#
        );
        let (bytes, _) = screen_response_bytes(&pii(), clean.as_bytes(), None).unwrap();
        assert_eq!(bytes, None, "an unchanged output keeps its logprobs");
    }
}
