//! Screening whole JSON bodies: a request's prompts, a non-streamed response's outputs.

use super::engine::{Direction, Screener, Tally, TextVerdict};
use super::redact::RestoreMap;
use crate::openai::{visit_output_texts, visit_prompt_texts, Endpoint};
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
/// Hash tokens given out are recorded in `restore`.
pub fn screen_request(
    screener: &Screener,
    endpoint: Endpoint,
    body: &mut Value,
    mut restore: Option<&mut RestoreMap>,
) -> BodyScreen {
    let mut out = BodyScreen::default();
    visit_prompt_texts(endpoint, body, &mut |text| {
        let verdict = screener.screen_text(
            text,
            Direction::Request,
            &mut out.tally,
            restore.as_deref_mut(),
        );
        settle(verdict, text, &mut out);
    });
    out
}

/// Screens every output text of a parsed response body, redacting in place,
/// then puts the request's hash tokens back (`restore`). On an enforced
/// block every output is replaced by the block message and `finish_reason`
/// becomes `content_filter`, as OpenAI reports filtered outputs.
pub fn screen_response(
    screener: &Screener,
    body: &mut Value,
    restore: Option<&RestoreMap>,
) -> BodyScreen {
    let mut out = BodyScreen::default();
    visit_output_texts(body, &mut |text| {
        let verdict = screener.screen_text(text, Direction::Response, &mut out.tally, None);
        settle(verdict, text, &mut out);
    });
    if out.blocked.is_some() {
        mark_filtered(body, &screener.config.block_message);
        out.changed = true;
        return out;
    }
    if let Some(map) = restore {
        visit_output_texts(body, &mut |text| {
            if let Some(restored) = map.restore(text) {
                *text = restored;
                out.changed = true;
            }
        });
    }
    out
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
fn mark_filtered(body: &mut Value, message: &str) {
    visit_output_texts(body, &mut |text| {
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
/// when it must be replaced; `Err` when it is not a JSON object.
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
    let screened = screen_response(screener, &mut value, restore);
    let bytes = if screened.changed {
        // Only the rewritten strings change; numbers and the rest keep their bytes.
        Some(crate::json_splice::rewrite(body, &value).ok_or(Unscreenable)?)
    } else {
        None
    };
    Ok((bytes, screened))
}
