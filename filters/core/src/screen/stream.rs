//! Screening a streamed (SSE) chat or completions response event by event,
//! without holding the stream.
//!
//! Each text field of each choice (`delta.content`, `delta.refusal`,
//! `delta.reasoning_content`, `delta.reasoning`, `text`, each tool call's
//! `function.arguments`) is a stream of its own. A chunk where one of these
//! is neither a string nor `null` (content given as parts or an object) is
//! unscreenable, like an event that is not JSON.
//! An event's text is released at once, except for a tail that could still
//! grow into a match (a word that may be the start of an email, the first
//! words of a banned phrase, half a hash token): that tail is held and goes
//! out with the next event of the same choice and field, or with the
//! choice's final event (`finish_reason`), `[DONE]` or the end of the stream.
//! Events whose text changed are written again (`data: {json}`); others go
//! out byte for byte.
//!
//! A private-key block (when the `secret` detector is on) is held whole:
//! from its `-----BEGIN` (or the first dash of one that may be coming)
//! until its footer arrives, across any number of events and lines, and
//! then goes out redacted as one match. A block still open
//! [`MAX_PEM_LEN`] bytes after its header goes out redacted as it stands,
//! and the rest of its key body is dropped as it arrives, through its
//! footer; so no byte of it is released raw under `redact` or `block`.
//!
//! An enforced block ends the stream: the held text is dropped, and an
//! `error` event followed by `data: [DONE]` closes it, which the `openai`
//! SDKs raise as an `APIError`.

use super::engine::{Direction, Finding, Outcome, Screener, Tally, TextVerdict};
use super::pii::{open_pem_block, pem_key_body, MAX_PEM_LEN};
use super::redact::RestoreMap;
use super::span::Span;
use crate::reply::LocalReply;
use serde_json::{json, Map, Value};
use std::rc::Rc;

/// Longest event kept while waiting for its end; longer events are unscreenable.
const MAX_EVENT_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldKey {
    choice: u64,
    field: Field,
}

/// Screens one SSE response. This is fed chunks, not whole events.
#[derive(Debug)]
pub struct StreamScreener {
    screener: Rc<Screener>,
    restore: Option<Rc<RestoreMap>>,
    fail_closed: bool,
    buf: Vec<u8>,
    held: Vec<(FieldKey, String)>,
    /// Per field, the end of its text already released (at most the
    /// screener's look-behind): scanned again in front of what comes next,
    /// so a phone or card word released earlier still counts and numbers
    /// see the same boundaries as in a whole text.
    behind: Vec<(FieldKey, String)>,
    /// Fields inside a private-key block longer than [`MAX_PEM_LEN`]: its
    /// head went out redacted, the rest of its key body is dropped as it
    /// arrives, through its footer.
    in_long_key: Vec<FieldKey>,
    /// Fields whose held text is an open private-key block from its start:
    /// until a `-` arrives (a footer needs one) it only grows, unscanned.
    holding_key: Vec<FieldKey>,
    /// The last chunk object seen, for events the screener writes itself.
    template: Option<Map<String, Value>>,
    /// Per responses-API part: its last delta event (other lines, object).
    delta_templates: Vec<(FieldKey, Vec<String>, Map<String, Value>)>,
    pub tally: Tally,
    /// The entry whose enforced block ended the stream.
    pub blocked: Option<u16>,
    /// Events that could not be screened (not UTF-8, not JSON, too long).
    pub unscreenable: u32,
    /// The stream was ended by the screener: drop everything after.
    ended: bool,
}

impl StreamScreener {
    /// `fail_closed`: an event that cannot be screened ends the stream with an
    /// error instead of passing unscreened.
    pub fn new(screener: Rc<Screener>, restore: Option<Rc<RestoreMap>>, fail_closed: bool) -> Self {
        StreamScreener {
            screener,
            restore,
            fail_closed,
            buf: Vec::new(),
            held: Vec::new(),
            behind: Vec::new(),
            in_long_key: Vec::new(),
            holding_key: Vec::new(),
            template: None,
            delta_templates: Vec::new(),
            tally: Tally::default(),
            blocked: None,
            unscreenable: 0,
            ended: false,
        }
    }

    /// Takes the next chunk of the body; returns the bytes to send in its place.
    pub fn feed(&mut self, chunk: &[u8], end_of_stream: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if self.ended {
            return out;
        }
        self.buf.extend_from_slice(chunk);
        while let Some(end) = event_end(&self.buf) {
            let event: Vec<u8> = self.buf.drain(..end).collect();
            self.event(&event, &mut out);
            if self.ended {
                return out;
            }
        }
        if self.buf.len() > MAX_EVENT_BYTES {
            let event = std::mem::take(&mut self.buf);
            self.unscreenable(&event, &mut out);
        }
        if end_of_stream {
            if !self.buf.is_empty() {
                let event = std::mem::take(&mut self.buf);
                self.event(&event, &mut out);
            }
            self.flush_all(&mut out);
        }
        out
    }

    fn event(&mut self, raw: &[u8], out: &mut Vec<u8>) {
        let Ok(text) = std::str::from_utf8(raw) else {
            return self.unscreenable(raw, out);
        };
        let (others, data) = split_event(text);
        let Some(data) = data else {
            out.extend_from_slice(raw);
            return;
        };
        if data.trim() == "[DONE]" {
            self.flush_all(out);
            out.extend_from_slice(raw);
            return;
        }
        let Ok(Value::Object(mut chunk)) = serde_json::from_str::<Value>(&data) else {
            return self.unscreenable(raw, out);
        };
        if let Some(kind) = chunk.get("type").and_then(Value::as_str) {
            if kind.starts_with("response.") {
                let delta = kind.ends_with(".delta");
                return self.responses_event(delta, chunk, &others, raw, out);
            }
        }
        if !chunk_is_readable(&chunk) {
            return self.unscreenable(raw, out);
        }
        let changed = self.screen_chunk(&mut chunk);
        if self.ended {
            return self.block(out);
        }
        self.remember_template(&chunk);
        if changed {
            write_event(out, &others, &Value::Object(chunk));
        } else {
            out.extend_from_slice(raw);
        }
    }

    /// A responses-API event: `*.delta` events are streams per output part;
    /// any other event first releases what the parts still hold, then has
    /// every `text`, `arguments` and `refusal` string in it screened whole
    /// (`*.done`, `response.completed` repeat the full output).
    fn responses_event(
        &mut self,
        delta: bool,
        mut chunk: Map<String, Value>,
        others: &[&str],
        raw: &[u8],
        out: &mut Vec<u8>,
    ) {
        if delta {
            let index = |f: &str| chunk.get(f).and_then(Value::as_u64).unwrap_or(0);
            let key = FieldKey {
                choice: (index("output_index") << 16) | (index("content_index") & 0xffff),
                field: Field::Delta,
            };
            if let Some(Value::String(text)) = chunk.get_mut("delta") {
                let incoming = std::mem::take(text);
                let release = self.step(key, &incoming, false);
                if self.ended {
                    return self.block(out);
                }
                let release = release.unwrap_or_default();
                let changed = release != incoming;
                *text = release;
                if changed {
                    clear_logprobs(&mut chunk);
                }
                let lines = others.iter().map(|l| l.to_string()).collect();
                self.delta_templates.retain(|(k, _, _)| *k != key);
                self.delta_templates.push((key, lines, chunk.clone()));
                if changed {
                    write_event(out, others, &Value::Object(chunk));
                } else {
                    out.extend_from_slice(raw);
                }
                return;
            }
        }
        self.flush_all(out);
        if self.ended {
            return;
        }
        let mut value = Value::Object(chunk);
        let mut changed = false;
        self.screen_strings(&mut value, &mut changed);
        if self.ended {
            return self.block(out);
        }
        if changed {
            write_event(out, others, &value);
        } else {
            out.extend_from_slice(raw);
        }
    }

    /// Screens, whole, every `text`, `arguments` and `refusal` string in `v`.
    fn screen_strings(&mut self, v: &mut Value, changed: &mut bool) {
        match v {
            Value::Object(map) => {
                let mut here = false;
                for (k, item) in map.iter_mut() {
                    match item {
                        Value::String(text)
                            if matches!(k.as_str(), "text" | "arguments" | "refusal") =>
                        {
                            let verdict = self.screener.screen_text(
                                text,
                                Direction::Response,
                                &mut self.tally,
                                None,
                            );
                            match verdict {
                                TextVerdict::Blocked(entry) => {
                                    self.blocked = Some(entry);
                                    self.ended = true;
                                    return;
                                }
                                TextVerdict::Redacted(new) => {
                                    *text = new;
                                    here = true;
                                }
                                TextVerdict::Unchanged => {}
                            }
                            if let Some(r) = self.restore.as_ref().and_then(|m| m.restore(text)) {
                                *text = r;
                                here = true;
                            }
                        }
                        other => self.screen_strings(other, changed),
                    }
                    if self.ended {
                        return;
                    }
                }
                if here {
                    *changed = true;
                    clear_logprobs(map);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.screen_strings(item, changed);
                    if self.ended {
                        return;
                    }
                }
            }
            _ => {}
        }
    }

    fn remember_template(&mut self, chunk: &Map<String, Value>) {
        if self.template.is_none() && chunk.contains_key("choices") {
            let mut t = chunk.clone();
            t.remove("choices");
            t.remove("usage");
            self.template = Some(t);
        }
    }

    /// Screens the text fields of one chunk in place; true if any changed.
    fn screen_chunk(&mut self, chunk: &mut Map<String, Value>) -> bool {
        let Some(Value::Array(choices)) = chunk.get_mut("choices") else {
            return false;
        };
        let mut changed = false;
        for (pos, choice) in choices.iter_mut().enumerate() {
            let index = choice
                .get("index")
                .and_then(Value::as_u64)
                .unwrap_or(pos as u64);
            let last = choice.get("finish_reason").is_some_and(|r| !r.is_null());
            let mut choice_changed = last && self.bring_back_held(index, choice);
            for (field, text) in fields_of(choice) {
                let key = FieldKey {
                    choice: index,
                    field,
                };
                let release = self.step(key, text, last);
                if self.ended {
                    return true;
                }
                if release.as_deref() != Some(text.as_str()) {
                    *text = release.unwrap_or_default();
                    choice_changed = true;
                }
            }
            if let (true, Some(obj)) = (choice_changed, choice.as_object_mut()) {
                clear_logprobs(obj);
            }
            changed |= choice_changed;
        }
        changed
    }

    /// Adds the fields this choice still holds text for, so the final event carries them.
    fn bring_back_held(&self, index: u64, choice: &mut Value) -> bool {
        let mut added = false;
        for (key, _) in self.held.iter().filter(|(k, _)| k.choice == index) {
            added |= ensure_field(choice, key.field);
        }
        added
    }

    /// Appends `incoming` to the field's held text and returns what may be
    /// released now (screened, redacted, tokens restored).
    fn step(&mut self, key: FieldKey, incoming: &str, last: bool) -> Option<String> {
        let mut pending = self.take_held(key);
        let was_holding_key = self.holding_key.contains(&key);
        self.holding_key.retain(|k| *k != key);
        pending.push_str(incoming);
        if was_holding_key && !last && !incoming.contains('-') && pending.len() <= MAX_PEM_LEN {
            // nothing in it can be released before the footer: scan it then
            self.held.push((key, pending));
            self.holding_key.push(key);
            return Some(String::new());
        }
        if let Some(i) = self.in_long_key.iter().position(|k| *k == key) {
            // drop the key body; keep a blank or `-----END` tail that may go on
            let body = pem_key_body(pending.as_bytes(), 0, true);
            let tail = pending.get(body.end..).unwrap_or_default().to_string();
            if body.open && !last && tail.len() <= MAX_PEM_LEN {
                if !tail.is_empty() {
                    self.held.push((key, tail));
                }
                return Some(String::new());
            }
            self.in_long_key.swap_remove(i);
            pending = tail;
        }
        let findings = self.find_after_released(key, &pending);
        let blocks = findings
            .iter()
            .find(|f| self.screener.outcome(f, Direction::Response) == Some(Outcome::Blocked));
        if let Some(f) = blocks {
            self.tally.add(f.entry, Outcome::Blocked);
            self.blocked = Some(f.entry);
            self.ended = true;
            return None;
        }
        // A private-key block past the hold-back bound goes out now (redacted
        // per its action) and the rest of its body is dropped as it comes.
        let long_key = findings
            .iter()
            .find(|f| is_long_open_key(&pending, f))
            .copied();
        let cut = match long_key {
            _ if last => pending.len(),
            Some(f) => f.span.end,
            None => self.release_point(&pending, &findings),
        };
        let mut cut = cut.min(pending.len());
        while !pending.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut rest = pending.split_off(cut);
        self.remember_released(key, &pending);
        if long_key.is_none() && !rest.is_empty() {
            if rest.starts_with("-----BEGIN ") && open_pem_block(&rest) == Some(0) {
                self.holding_key.push(key);
            }
            self.held.push((key, std::mem::take(&mut rest)));
        }
        let released: Vec<Finding> = findings.into_iter().filter(|f| f.span.end <= cut).collect();
        let mut text = match self.screener.apply(
            &pending,
            &released,
            Direction::Response,
            &mut self.tally,
            None,
        ) {
            TextVerdict::Redacted(t) => t,
            _ => pending,
        };
        if let Some(restored) = self.restore.as_ref().and_then(|m| m.restore(&text)) {
            text = restored;
        }
        if let Some(f) = long_key.filter(|_| !last) {
            if self.screener.outcome(&f, Direction::Response) == Some(Outcome::Redacted) {
                self.in_long_key.push(key);
            }
            text.push_str(&self.step(key, &rest, last)?);
        }
        Some(text)
    }

    /// The findings in `pending`, scanned after the field's released tail;
    /// matches that start in that tail went out (or not) with it.
    fn find_after_released(&self, key: FieldKey, pending: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        let behind = self
            .behind
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, t)| t.as_str());
        if behind.is_empty() {
            self.screener
                .find(pending, Direction::Response, &mut findings);
            return findings;
        }
        let joined = format!("{behind}{pending}");
        let offset = behind.len();
        let mut all = Vec::new();
        self.screener.find(&joined, Direction::Response, &mut all);
        findings.extend(
            all.into_iter()
                .filter(|f| f.span.start >= offset)
                .map(|f| Finding {
                    span: Span::new(f.span.start - offset, f.span.end - offset),
                    ..f
                }),
        );
        findings
    }

    /// Keeps the last [`Screener::look_behind`] bytes of what the field
    /// has released, as written (before redaction).
    fn remember_released(&mut self, key: FieldKey, released: &str) {
        let keep = self.screener.look_behind();
        if keep == 0 || released.is_empty() {
            return;
        }
        let i = match self.behind.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                self.behind.push((key, String::new()));
                self.behind.len() - 1
            }
        };
        if let Some((_, tail)) = self.behind.get_mut(i) {
            tail.push_str(released);
            let mut from = tail.len().saturating_sub(keep);
            while !tail.is_char_boundary(from) {
                from += 1;
            }
            tail.drain(..from);
        }
    }

    /// How much of `pending` can go now: up to the earliest point where a
    /// match could still be growing, and never through a found match that
    /// reaches into the held tail.
    fn release_point(&self, pending: &str, findings: &[Finding]) -> usize {
        let mut cut = pending.len();
        if let Some(p) = self.screener.partial_tail(pending) {
            cut = cut.min(p);
        }
        if let Some(p) = self.restore.as_ref().and_then(|m| m.partial_tail(pending)) {
            cut = cut.min(p);
        }
        loop {
            let straddling = findings
                .iter()
                .find(|f| f.span.start < cut && f.span.end > cut)
                .map(|f| f.span.start);
            match straddling {
                Some(start) => cut = start,
                None => break,
            }
        }
        if findings.iter().any(|f| f.span.end == pending.len()) {
            // A match touching the end may still grow (`a@b.co` → `a@b.com`).
            let start = findings
                .iter()
                .filter(|f| f.span.end == pending.len())
                .map(|f| f.span.start)
                .min()
                .unwrap_or(cut);
            cut = cut.min(start);
        }
        cut
    }

    fn take_held(&mut self, key: FieldKey) -> String {
        match self.held.iter().position(|(k, _)| *k == key) {
            Some(i) => self.held.remove(i).1,
            None => String::new(),
        }
    }

    /// Sends everything still held, screened as final text, in one event.
    fn flush_all(&mut self, out: &mut Vec<u8>) {
        if self.held.is_empty() || self.ended {
            return;
        }
        let keys: Vec<FieldKey> = self.held.iter().map(|(k, _)| *k).collect();
        let mut choices: Vec<Value> = Vec::new();
        for key in keys {
            let Some(text) = self.step(key, "", true) else {
                return self.block(out);
            };
            if key.field == Field::Delta {
                self.write_delta(key, text, out);
                continue;
            }
            let pos = match choices
                .iter()
                .position(|c| c.get("index").and_then(Value::as_u64) == Some(key.choice))
            {
                Some(p) => p,
                None => {
                    choices.push(json!({"index": key.choice, "delta": {}, "finish_reason": null}));
                    choices.len() - 1
                }
            };
            if let Some(choice) = choices.get_mut(pos) {
                set_field(choice, key.field, text);
            }
        }
        if choices.is_empty() {
            return;
        }
        let mut chunk = self.template.clone().unwrap_or_default();
        chunk.insert("choices".into(), Value::Array(choices));
        write_event(out, &[], &Value::Object(chunk));
    }

    /// A responses-API delta event carrying `text` for `key`'s part.
    fn write_delta(&self, key: FieldKey, text: String, out: &mut Vec<u8>) {
        let Some((_, lines, template)) = self.delta_templates.iter().find(|(k, _, _)| *k == key)
        else {
            return;
        };
        let mut chunk = template.clone();
        chunk.insert("delta".into(), Value::String(text));
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        write_event(out, &lines, &Value::Object(chunk));
    }

    fn unscreenable(&mut self, raw: &[u8], out: &mut Vec<u8>) {
        self.unscreenable += 1;
        if self.fail_closed {
            self.ended = true;
            end_with_error(out, &LocalReply::unscreenable_output());
        } else {
            out.extend_from_slice(raw);
        }
    }

    /// Ends the stream with the block error and `[DONE]`.
    fn block(&mut self, out: &mut Vec<u8>) {
        self.ended = true;
        self.held.clear();
        self.in_long_key.clear();
        self.holding_key.clear();
        let config = &self.screener.config;
        let reply = LocalReply::content_blocked(config.block_status, &config.block_message);
        end_with_error(out, &reply);
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

/// A finding that is a private-key block longer than the hold-back bound
/// and still without its footer.
fn is_long_open_key(pending: &str, f: &Finding) -> bool {
    let text = pending.get(f.span.start..f.span.end).unwrap_or_default();
    f.span.len() > MAX_PEM_LEN && text.starts_with("-----BEGIN ") && !text.contains("-----END ")
}

/// An `error` event carrying `reply`'s body, then `data: [DONE]`.
fn end_with_error(out: &mut Vec<u8>, reply: &LocalReply) {
    out.extend_from_slice(b"data: ");
    out.extend_from_slice(reply.body().as_bytes());
    out.extend_from_slice(b"\n\ndata: [DONE]\n\n");
}

/// The end (exclusive) of the first complete event in `buf`, if any.
fn event_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 1 < buf.len() {
        if buf[i] == b'\n' {
            if buf[i + 1] == b'\n' {
                return Some(i + 2);
            }
            if buf[i + 1] == b'\r' && buf.get(i + 2) == Some(&b'\n') {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

/// The event's non-data lines, and its data lines joined by `\n`.
fn split_event(text: &str) -> (Vec<&str>, Option<String>) {
    let mut others = Vec::new();
    let mut data: Option<String> = None;
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(d) = line.strip_prefix("data:") {
            let d = d.strip_prefix(' ').unwrap_or(d);
            match &mut data {
                Some(acc) => {
                    acc.push('\n');
                    acc.push_str(d);
                }
                None => data = Some(d.to_string()),
            }
        } else if !line.is_empty() {
            others.push(line);
        }
    }
    (others, data)
}

fn write_event(out: &mut Vec<u8>, others: &[&str], data: &Value) {
    for line in others {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(b"data: ");
    out.extend_from_slice(data.to_string().as_bytes());
    out.extend_from_slice(b"\n\n");
}

/// The text fields of one streamed choice, mutable.
fn fields_of(choice: &mut Value) -> Vec<(Field, &mut String)> {
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
fn chunk_is_readable(chunk: &Map<String, Value>) -> bool {
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
fn ensure_field(choice: &mut Value, field: Field) -> bool {
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
fn set_field(choice: &mut Value, field: Field, text: String) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn screener(screening: &str) -> Rc<Screener> {
        let doc = format!(r#"{{"version":1,"screening":{screening}}}"#);
        Policy::parse(doc.as_bytes())
            .unwrap()
            .default_rule
            .screening
            .clone()
            .unwrap()
    }

    fn pii() -> Rc<Screener> {
        screener(
            r#"{"detectors":{"email":{"action":"redact"},"card":{"action":"redact"}},
                "categories":{"banned":{"action":"block"}}}"#,
        )
    }

    fn event(content: &str, finish: Option<&str>) -> String {
        let chunk = json!({"id":"c1","object":"chat.completion.chunk",
            "choices":[{"index":0,"delta":{"content":content},"finish_reason":finish}]});
        format!("data: {chunk}\n\n")
    }

    /// Feeds `pieces` as separate events (each split in two chunks) and
    /// returns the client's text and the raw output.
    fn run(s: &mut StreamScreener, pieces: &[&str]) -> (String, String) {
        let mut raw = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            let last = i + 1 == pieces.len();
            let e = event(p, last.then_some("stop"));
            let (a, b) = e.as_bytes().split_at(e.len() / 2);
            raw.extend(s.feed(a, false));
            raw.extend(s.feed(b, false));
        }
        raw.extend(s.feed(b"data: [DONE]\n\n", true));
        let raw = String::from_utf8(raw).unwrap();
        let mut text = String::new();
        for e in raw.split("\n\n") {
            let Some(d) = e.strip_prefix("data: ") else {
                continue;
            };
            if let Ok(v) = serde_json::from_str::<Value>(d) {
                if let Some(c) = v
                    .pointer("/choices/0/delta/content")
                    .and_then(Value::as_str)
                {
                    text.push_str(c);
                }
            }
        }
        (text, raw)
    }

    #[test]
    fn a_value_split_across_events_is_never_released() {
        let mut s = StreamScreener::new(pii(), None, true);
        let (text, raw) = run(
            &mut s,
            &[
                "Mail jo",
                "hn.doe@exa",
                "mple.com, card 4111 11",
                "11 1111 1111 now",
                ".",
            ],
        );
        assert_eq!(text, "Mail [EMAIL], card [CARD] now.");
        assert!(!raw.contains("john") && !raw.contains("exa") && !raw.contains("4111"));
        assert!(raw.ends_with("data: [DONE]\n\n"));
        assert_eq!(s.tally.counts.len(), 2);
    }

    /// A phone or card word released in an earlier event still makes the
    /// number after it a match, as in the whole text.
    #[test]
    fn context_words_released_earlier_still_count() {
        let screener =
            screener(r#"{"detectors":{"phone":{"action":"redact"},"card":{"action":"redact"}}}"#);
        let mut s = StreamScreener::new(screener.clone(), None, true);
        let (text, raw) = run(&mut s, &["Please call me on ", "020 7946 0958 to", "day."]);
        assert_eq!(text, "Please call me on [PHONE] today.");
        assert!(!raw.contains("7946"));
        let mut s = StreamScreener::new(screener.clone(), None, true);
        let (text, _) = run(
            &mut s,
            &["My Maestro card: ", "5018 1234 5673", " please", "."],
        );
        assert_eq!(text, "My Maestro card: [CARD] please.");
        // the boundary before a number is the one in the whole text
        let mut s = StreamScreener::new(screener, None, true);
        let (text, _) = run(&mut s, &["ref ORD-", "555-234-5678", "."]);
        assert_eq!(text, "ref ORD-555-234-5678.");
    }

    #[test]
    fn clean_events_pass_byte_for_byte() {
        let mut s = StreamScreener::new(pii(), None, true);
        let input = format!("{}{}", event("Hello ", None), event("there. ", None));
        let out = s.feed(input.as_bytes(), false);
        assert_eq!(String::from_utf8(out).unwrap(), input);
    }

    #[test]
    fn the_held_word_goes_out_with_the_next_event() {
        let mut s = StreamScreener::new(pii(), None, true);
        let out = String::from_utf8(s.feed(event("Hello world", None).as_bytes(), false)).unwrap();
        assert!(out.contains(r#""content":"Hello ""#), "{out}");
        let out =
            String::from_utf8(s.feed(event(" again", Some("stop")).as_bytes(), false)).unwrap();
        assert!(out.contains(r#""content":"world again""#), "{out}");
    }

    #[test]
    fn a_block_mid_stream_ends_it_with_an_error_and_done() {
        let mut s = StreamScreener::new(pii(), None, true);
        let (text, raw) = run(
            &mut s,
            &["You should ki", "ll your", "self now", " and more"],
        );
        assert!(!text.contains("ki") || text == "You should ", "{text}");
        assert!(raw.contains(r#""code":"content_policy_violation""#));
        assert!(raw.ends_with("data: [DONE]\n\n"));
        assert_eq!(raw.matches("[DONE]").count(), 1);
        assert!(s.blocked.is_some());
        assert!(s.feed(event("late", None).as_bytes(), true).is_empty());
    }

    #[test]
    fn tokens_are_restored_even_when_split() {
        let sc = screener(
            r#"{"redaction":{"style":"hash","key":"0123456789abcdef","restore":true},
                "detectors":{"email":{"action":"redact"}}}"#,
        );
        let mut map = RestoreMap::default();
        let token = super::super::redact::token("EMAIL", "a@b.co", b"0123456789abcdef");
        map.insert(token.clone(), "a@b.co");
        let mut s = StreamScreener::new(sc, Some(Rc::new(map)), true);
        let (a, b) = token.split_at(6);
        let (text, _) = run(&mut s, &["to ", a, b, " ok"]);
        assert_eq!(text, "to a@b.co ok");
    }

    #[test]
    fn responses_api_deltas_and_done_events_are_screened() {
        let mut s = StreamScreener::new(pii(), None, true);
        let delta = |d: &str| {
            let e = json!({"type":"response.output_text.delta","item_id":"m1","output_index":0,"content_index":0,"delta":d});
            format!("event: response.output_text.delta\ndata: {e}\n\n")
        };
        let done = json!({"type":"response.output_text.done","item_id":"m1","output_index":0,"content_index":0,
            "text":"mail john.doe@example.com"});
        let completed = json!({"type":"response.completed","response":{"output":[{"type":"message",
            "content":[{"type":"output_text","text":"mail john.doe@example.com"}]}]}});
        let mut raw = Vec::new();
        for d in ["mail jo", "hn.doe@exam", "ple.com"] {
            raw.extend(s.feed(delta(d).as_bytes(), false));
        }
        raw.extend(s.feed(
            format!("event: response.output_text.done\ndata: {done}\n\n").as_bytes(),
            false,
        ));
        raw.extend(s.feed(
            format!("event: response.completed\ndata: {completed}\n\n").as_bytes(),
            true,
        ));
        let raw = String::from_utf8(raw).unwrap();
        assert!(
            !raw.contains("john") && !raw.contains("example.com"),
            "{raw}"
        );
        assert_eq!(raw.matches("[EMAIL]").count(), 3, "{raw}");
        assert!(raw.contains("event: response.output_text.delta\ndata: "));
    }

    #[test]
    fn unscreenable_events_follow_the_failure_mode() {
        let mut closed = StreamScreener::new(pii(), None, true);
        let out = String::from_utf8(closed.feed(b"data: {not json\n\n", false)).unwrap();
        assert!(out.contains("unscreenable_output") && out.ends_with("data: [DONE]\n\n"));
        let mut open = StreamScreener::new(pii(), None, false);
        assert_eq!(
            open.feed(b"data: {not json\n\n", false),
            b"data: {not json\n\n"
        );
        assert_eq!(open.unscreenable, 1);
    }

    #[test]
    fn held_text_is_flushed_at_done_and_at_the_end() {
        let mut s = StreamScreener::new(pii(), None, true);
        let mut out = s.feed(event("mail a@b.co", None).as_bytes(), false);
        out.extend(s.feed(b"data: [DONE]\n\n", true));
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(r#""content":"[EMAIL]""#), "{out}");
        assert!(out.ends_with("data: [DONE]\n\n"));
        let mut s = StreamScreener::new(pii(), None, true);
        let mut out = s.feed(event("bye now", None).as_bytes(), false);
        out.extend(s.feed(b"", true));
        assert!(String::from_utf8(out)
            .unwrap()
            .contains(r#""content":"now""#));
    }

    #[test]
    fn refusal_and_reasoning_deltas_are_screened_as_their_own_streams() {
        for field in ["refusal", "reasoning", "reasoning_content"] {
            let mut s = StreamScreener::new(pii(), None, true);
            let mut raw = Vec::new();
            let pieces = ["I won't mail jo", "hn.doe@exa", "mple.com", " today."];
            for (i, p) in pieces.iter().enumerate() {
                let finish = (i + 1 == pieces.len()).then_some("stop");
                let chunk =
                    json!({"choices":[{"index":0,"delta":{field: *p},"finish_reason":finish}]});
                raw.extend(s.feed(format!("data: {chunk}\n\n").as_bytes(), false));
            }
            raw.extend(s.feed(b"data: [DONE]\n\n", true));
            let raw = String::from_utf8(raw).unwrap();
            let mut text = String::new();
            for e in raw.split("\n\n") {
                let Some(v) = e
                    .strip_prefix("data: ")
                    .and_then(|d| serde_json::from_str::<Value>(d).ok())
                else {
                    continue;
                };
                if let Some(t) = v["choices"][0]["delta"][field].as_str() {
                    text.push_str(t);
                }
            }
            assert_eq!(text, "I won't mail [EMAIL] today.", "{field}: {raw}");
            assert!(!raw.contains("john") && !raw.contains("exa"), "{raw}");
        }
    }

    #[test]
    fn text_fields_that_are_not_strings_make_the_event_unscreenable() {
        for delta in [
            json!({"content":[{"type":"text","text":"jo@x.io"}]}),
            json!({"content":{"text":"jo@x.io"}}),
            json!({"refusal":["jo@x.io"]}),
            json!({"tool_calls":[{"index":0,"function":{"arguments":{"a":"jo@x.io"}}}]}),
        ] {
            let chunk = json!({"choices":[{"index":0,"delta":delta,"finish_reason":null}]});
            let event = format!("data: {chunk}\n\n");
            let mut closed = StreamScreener::new(pii(), None, true);
            let out = String::from_utf8(closed.feed(event.as_bytes(), false)).unwrap();
            assert!(
                out.contains("unscreenable_output") && !out.contains("jo@x.io"),
                "{out}"
            );
            let mut open = StreamScreener::new(pii(), None, false);
            assert_eq!(open.feed(event.as_bytes(), false), event.as_bytes());
            assert_eq!(open.unscreenable, 1);
        }
        let mut s = StreamScreener::new(pii(), None, true);
        let nulls =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"refusal\":null}}]}\n\n";
        assert_eq!(s.feed(nulls.as_bytes(), false), nulls.as_bytes());
    }

    #[test]
    fn logprobs_of_held_or_changed_text_are_cleared() {
        let mut s = StreamScreener::new(pii(), None, true);
        let lp =
            json!({"content":[{"token":"jo@x.io","logprob":-0.1,"bytes":[106],"top_logprobs":[]}]});
        let chunk = |text: &str| json!({"choices":[{"index":0,"delta":{"content":text},"logprobs":lp,"finish_reason":null}]});
        let clean = format!("data: {}\n\n", chunk("Hello there. "));
        assert_eq!(s.feed(clean.as_bytes(), false), clean.as_bytes());
        let out = String::from_utf8(s.feed(
            format!("data: {}\n\n", chunk("mail jo@x.io")).as_bytes(),
            false,
        ))
        .unwrap();
        assert!(
            out.contains(r#""logprobs":null"#) && !out.contains("jo@x.io"),
            "{out}"
        );
        let delta = json!({"type":"response.output_text.delta","output_index":0,"content_index":0,
            "delta":"mail jo@x.io","logprobs":[{"token":"jo@x.io","logprob":-0.1}]});
        let out =
            String::from_utf8(s.feed(format!("data: {delta}\n\n").as_bytes(), false)).unwrap();
        assert!(
            out.contains(r#""logprobs":[]"#) && !out.contains("jo@x.io"),
            "{out}"
        );
        let done = json!({"type":"response.output_text.done","output_index":0,"content_index":0,
            "text":"mail jo@x.io","logprobs":[{"token":"jo@x.io","logprob":-0.1}]});
        let out = String::from_utf8(s.feed(format!("data: {done}\n\n").as_bytes(), true)).unwrap();
        assert!(!out.contains("jo@x.io"), "{out}");
    }
}
