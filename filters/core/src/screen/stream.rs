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
//! Contract: the text a client receives is what screening the whole answer
//! gives (same redactions, blocked exactly when the whole is), however the
//! answer is cut into events (`tests/stream_contract.rs` checks it on the
//! corpora). To that end:
//! - every scan sees, before the held tail, the last
//!   [`Screener::context_len`] bytes already released from the same field
//!   (as they came, not redacted), as left context: a context word before a
//!   number, an exception before a phrase (`don't kill yourself`), an
//!   escape or markup before a value read as they read in the whole text;
//!   only findings that end in the tail are reported;
//! - a finding is judged (blocked, redacted, counted) only when it is
//!   released: while a longer match or an exception that would cancel it
//!   (`kill yourself laughing`) may still arrive, it waits in the tail, and
//!   it waits until [`RIGHT_REACH`] (24) bytes follow it (`555-0100 ext. 12`);
//! - the tail held is what could still grow into a match: the last word,
//!   grouped numbers before it (`+44 (0)20 7946 09`, `**881 397 1`,
//!   `DE89 3704 00`), a phrase prefix, an open key block. A run is held at
//!   most as long as the longest match that could still end in it
//!   ([`Screener::entity_hold_len`]: 256 bytes, 2048 when a JWT may be in
//!   it); the rest of a long word goes out at once.
//!
//! Not covered: detectors that would read context *after* a value further
//! than 24 bytes (none does), and a custom regex whose match
//! starts before a space in text already released (its held part is still
//! redacted, the released part is not).
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
//!
//! Cost per event (what keeps it small): the hold-back point is found
//! first, and when everything after the released context is held (a word
//! still arriving, a phrase prefix) no detector runs, since nothing could be
//! released or judged; a chunk that is the last one's bytes but for its
//! text string is read by comparing those bytes
//! (`openai::chunk_scan::ChunkReader`); an event whose text is
//! released as it came goes out as its own bytes.

use super::engine::{Direction, Finding, Outcome, Screener, Tally, TextVerdict};
use super::pii::{open_pem_block, pem_key_body, MAX_PEM_LEN};
use super::redact::RestoreMap;
use super::Span;
use crate::openai::chunk::{
    chunk_is_readable, clear_logprobs, ensure_field, fields_of, set_field, Field,
};
use crate::openai::chunk_scan::{splice_replacements_into, ChunkReader, Replacement, ScannedChunk};
use crate::reply::LocalReply;
use crate::sse::{end_with_error, event_end, split_event, write_event};
use serde_json::{json, Map, Value};
use std::ops::Range;
use std::rc::Rc;

/// Bytes that must follow a match before it is judged in a stream: a
/// detector may extend a match over what follows it (a phone's
/// `ext. 1234`), up to this far.
const RIGHT_REACH: usize = 24;

/// Extra released bytes looked at to start the kept context at a word.
const CONTEXT_SLACK: usize = 32;

/// Longest event kept while waiting for its end; longer events are unscreenable.
const MAX_EVENT_BYTES: usize = 1 << 20;

/// Whose text a field is: a chat or completions choice, or one content part
/// of a responses-API output item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// `choices[].index`.
    Choice(u64),
    /// A responses-API event's `output_index` and `content_index`.
    Output {
        output_index: u64,
        content_index: u64,
    },
}

/// One stream of text the screener holds back and keeps context for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldKey {
    part: Part,
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
    /// Per field, the end of the text already released (as it came, not
    /// redacted): the left context of the next scan.
    context: Vec<(FieldKey, String)>,
    /// Fields inside a private-key block longer than [`MAX_PEM_LEN`]: its
    /// head went out redacted, the rest of its key body is dropped as it
    /// arrives, through its footer.
    in_long_key: Vec<FieldKey>,
    /// Fields whose held text is an open private-key block from its start:
    /// until a `-` arrives (a footer needs one) it only grows, unscanned.
    holding_key: Vec<FieldKey>,
    /// The last chunk object seen, for events the screener writes itself.
    template: Option<Map<String, Value>>,
    /// Reads the common chunk in place, by comparison with the last one.
    chunks: ChunkReader,
    /// Per responses-API part: its last delta event (other lines, object).
    delta_templates: Vec<(FieldKey, Vec<String>, Map<String, Value>)>,
    pub tally: Tally,
    /// The entry whose enforced block ended the stream.
    pub blocked: Option<u16>,
    /// Events that could not be screened (not UTF-8, not JSON, too long).
    pub unscreenable: u32,
    /// The stream was ended by the screener: drop everything after.
    ended: bool,
    /// Emptied strings kept for reuse (held tails, released texts): an
    /// event then allocates nothing for them.
    spare: Vec<String>,
    /// The findings buffer of [`StreamScreener::step`], kept for reuse.
    findings: Vec<Finding>,
}

/// Most emptied strings [`StreamScreener::spare`] keeps, and the largest.
const MAX_SPARE: usize = 8;
const MAX_SPARE_CAPACITY: usize = 4096;

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
            context: Vec::new(),
            in_long_key: Vec::new(),
            holding_key: Vec::new(),
            template: None,
            chunks: ChunkReader::default(),
            delta_templates: Vec::new(),
            tally: Tally::default(),
            blocked: None,
            unscreenable: 0,
            ended: false,
            spare: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// Bytes of text held back across all fields, waiting for what follows.
    pub fn held_bytes(&self) -> usize {
        self.held.iter().map(|(_, t)| t.len()).sum()
    }

    /// Takes the next chunk of the body; returns the bytes to send in its place.
    pub fn feed(&mut self, chunk: &[u8], end_of_stream: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(chunk.len() + 64);
        if self.ended {
            return out;
        }
        // Events are read from the chunk itself; only an event cut by the
        // chunk's end is copied, to wait for the rest.
        let joined;
        let mut rest: &[u8] = if self.buf.is_empty() {
            chunk
        } else {
            self.buf.extend_from_slice(chunk);
            joined = std::mem::take(&mut self.buf);
            &joined
        };
        while let Some(end) = event_end(rest) {
            let (event, after) = rest.split_at(end);
            self.event(event, &mut out);
            rest = after;
            if self.ended {
                return out;
            }
        }
        self.buf.extend_from_slice(rest);
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
        // The common chunk once the template is kept: read in place.
        if self.template.is_some() {
            if let Some(data) = single_data_line(text) {
                if let Some(chunk) = self.chunks.scan(data) {
                    return self.scanned_event(data, chunk, raw, out);
                }
            }
        }
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

    /// A chunk read in place (see [`crate::openai::chunk_scan`]): the same
    /// steps as [`StreamScreener::screen_chunk`] for its one choice, which
    /// is not its last; when a text changed, the event is written as its
    /// own bytes with the changed strings (and `logprobs`) replaced.
    fn scanned_event(
        &mut self,
        data: &str,
        chunk: ScannedChunk<'_>,
        raw: &[u8],
        out: &mut Vec<u8>,
    ) {
        let Some(index) = chunk.index else {
            out.extend_from_slice(raw);
            return;
        };
        let logprobs = chunk.logprobs.clone();
        // At most the five text fields and `logprobs`: listed without a
        // heap allocation, each released text written escaped in place.
        let mut edits: [(Range<usize>, Replacement); 6] = Default::default();
        let mut count = 0;
        for f in chunk.into_fields() {
            let key = FieldKey {
                part: Part::Choice(index),
                field: f.field,
            };
            let release = self.step(key, &f.text, false);
            if self.ended {
                return self.block(out);
            }
            match release {
                Some(release) if release == f.text.as_ref() => self.recycle(release),
                release => {
                    let Some(slot) = edits.get_mut(count) else {
                        return self.unscreenable(raw, out);
                    };
                    *slot = (f.token, Replacement::Json(release.unwrap_or_default()));
                    count += 1;
                }
            }
        }
        if count == 0 {
            out.extend_from_slice(raw);
            return;
        }
        if let Some(lp) = logprobs {
            let empty = if data.get(lp.clone()).is_some_and(|v| v.starts_with('[')) {
                "[]"
            } else {
                "null"
            };
            let Some(slot) = edits.get_mut(count) else {
                return self.unscreenable(raw, out);
            };
            *slot = (lp, Replacement::Raw(empty));
            count += 1;
        }
        let edits = edits.get_mut(..count).unwrap_or_default();
        let len = out.len();
        out.extend_from_slice(b"data: ");
        let written = splice_replacements_into(out, data, edits);
        for (_, replacement) in edits.iter_mut() {
            if let Replacement::Json(text) = std::mem::take(replacement) {
                self.recycle(text);
            }
        }
        match written {
            Some(()) => out.extend_from_slice(b"\n\n"),
            None => {
                out.truncate(len);
                self.unscreenable(raw, out)
            }
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
                part: Part::Output {
                    output_index: index("output_index"),
                    content_index: index("content_index"),
                },
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
                    part: Part::Choice(index),
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
        for (key, _) in self
            .held
            .iter()
            .filter(|(k, _)| k.part == Part::Choice(index))
        {
            added |= ensure_field(choice, key.field);
        }
        added
    }

    /// Appends `incoming` to the field's held text and returns what may be
    /// released now (screened, redacted, tokens restored).
    fn step(&mut self, key: FieldKey, incoming: &str, last: bool) -> Option<String> {
        // Scan the released text just before the held one too (as left
        // context), reporting only what ends after it.
        let (mut text, base) = if self.holding_key.contains(&key) || self.in_long_key.contains(&key)
        {
            let pending = match self.key_block_pending(key, incoming, last) {
                Ok(pending) => pending,
                Err(release) => return release,
            };
            let mut text = self.take_context(key);
            let base = text.len();
            text.push_str(&pending);
            (text, base)
        } else {
            let held = self.take_held(key);
            let mut text = self.take_context(key);
            let base = text.len();
            text.push_str(&held);
            text.push_str(incoming);
            self.recycle(held);
            (text, base)
        };
        // Where a match could still be growing: the text is held from there.
        let tail = if last {
            None
        } else {
            self.hold_from(&text, base)
        };
        // When everything after the context is held, a scan could release
        // nothing (and no open key block this short is a long one): skipped.
        let holds_all = !last && text.len() <= MAX_PEM_LEN && tail.is_some_and(|p| p <= base);
        let mut findings = std::mem::take(&mut self.findings);
        findings.clear();
        if !holds_all {
            self.screener
                .find_with_context(&text, base, Direction::Response, &mut findings);
        }
        // A private-key block past the hold-back bound goes out now (redacted
        // per its action) and the rest of its body is dropped as it comes.
        let long_key = findings
            .iter()
            .find(|f| is_long_open_key(&text, f))
            .copied();
        let cut = match long_key {
            _ if last => text.len(),
            Some(f) => f.span.end,
            None if holds_all => base,
            None => Self::release_point(&text, base, tail, &findings),
        };
        let mut cut = cut.clamp(base, text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        // Only what is released is judged: a match that may still grow, or
        // that an exception still arriving may cancel, waits in the tail.
        let released: Vec<Finding> = findings
            .drain(..)
            .filter(|f| f.span.end <= cut)
            .map(|f| Finding {
                entry: f.entry,
                span: Span::new(f.span.start.saturating_sub(base), f.span.end - base),
            })
            .collect();
        self.findings = findings;
        let blocks = released
            .iter()
            .find(|f| self.screener.outcome(f, Direction::Response) == Some(Outcome::Blocked));
        if let Some(f) = blocks {
            // every released finding is counted, as a whole body's are
            // (`Screener::apply`): the block and what came with it
            for other in &released {
                if let Some(outcome) = self.screener.outcome(other, Direction::Response) {
                    self.tally.add(other.entry, outcome);
                }
            }
            self.blocked = Some(f.entry);
            self.ended = true;
            return None;
        }
        let mut rest = self.spare_string();
        rest.push_str(text.get(cut..).unwrap_or_default());
        text.truncate(cut);
        if long_key.is_none() && !rest.is_empty() {
            if rest.starts_with("-----BEGIN ") && open_pem_block(&rest) == Some(0) {
                self.holding_key.push(key);
            }
            self.held.push((key, std::mem::take(&mut rest)));
        }
        let mut pending = self.spare_string();
        pending.push_str(text.get(base..).unwrap_or_default());
        if last {
            self.recycle(text);
        } else {
            self.keep_context(key, text);
        }
        let mut text = match self.screener.apply(
            &pending,
            &released,
            Direction::Response,
            &mut self.tally,
            None,
        ) {
            TextVerdict::Redacted(t) => {
                self.recycle(pending);
                t
            }
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

    /// The held text and `incoming` of a field inside a private-key block:
    /// `Err` with what to release now when the block still only grows (held
    /// unscanned) or its long body is still being dropped.
    fn key_block_pending(
        &mut self,
        key: FieldKey,
        incoming: &str,
        last: bool,
    ) -> Result<String, Option<String>> {
        let mut pending = self.take_held(key);
        let was_holding_key = self.holding_key.contains(&key);
        self.holding_key.retain(|k| *k != key);
        pending.push_str(incoming);
        if was_holding_key && !last && !incoming.contains('-') && pending.len() <= MAX_PEM_LEN {
            // nothing in it can be released before the footer: scan it then
            self.held.push((key, pending));
            self.holding_key.push(key);
            return Err(Some(String::new()));
        }
        if let Some(i) = self.in_long_key.iter().position(|k| *k == key) {
            // drop the key body; keep a blank or `-----END` tail that may go on
            let body = pem_key_body(pending.as_bytes(), 0, true);
            let tail = pending.get(body.end..).unwrap_or_default().to_string();
            if body.open && !last && tail.len() <= MAX_PEM_LEN {
                if !tail.is_empty() {
                    self.held.push((key, tail));
                }
                return Err(Some(String::new()));
            }
            self.in_long_key.swap_remove(i);
            pending = tail;
        }
        Ok(pending)
    }

    /// The earliest point in `text` (its first `base` bytes are released
    /// context) where a match or a hash token could still be growing.
    fn hold_from(&self, text: &str, base: usize) -> Option<usize> {
        let mut from = self.screener.partial_tail(text, base);
        let held = text.get(base..).unwrap_or_default();
        if let Some(p) = self.restore.as_ref().and_then(|m| m.partial_tail(held)) {
            from = Some(from.map_or(base + p, |f| f.min(base + p)));
        }
        from
    }

    /// How much of `text` can go now (its first `base` bytes are released
    /// context): up to `tail`, the earliest point where a match could still
    /// be growing ([`StreamScreener::hold_from`]), and never through a found
    /// match that reaches into the held tail. Never before `base`.
    fn release_point(text: &str, base: usize, tail: Option<usize>, findings: &[Finding]) -> usize {
        let mut cut = text.len();
        if let Some(p) = tail {
            cut = cut.min(p);
        }
        // A match near the end may still grow (`a@b.co` → `a@b.com`,
        // `555-0100 ext. 12`): it waits until [`RIGHT_REACH`] bytes follow it.
        if let Some(start) = findings
            .iter()
            .filter(|f| f.span.end + RIGHT_REACH > text.len())
            .map(|f| f.span.start)
            .min()
        {
            cut = cut.min(start.max(base));
        }
        loop {
            let straddling = findings
                .iter()
                .find(|f| f.span.start < cut && f.span.end > cut)
                .map(|f| f.span.start.max(base));
            match straddling {
                Some(start) if start < cut => cut = start,
                _ => break,
            }
        }
        cut.max(base)
    }

    /// The released text kept as left context for `key`'s next scan (taken).
    fn take_context(&mut self, key: FieldKey) -> String {
        match self.context.iter().position(|(k, _)| *k == key) {
            Some(i) => self.context.swap_remove(i).1,
            None => String::new(),
        }
    }

    /// Keeps the end of `released` (original text, not redacted) as `key`'s
    /// left context: [`Screener::context_len`] bytes, from a word start when
    /// there is one.
    fn keep_context(&mut self, key: FieldKey, mut released: String) {
        let want = self.screener.context_len();
        let mut from = released.len().saturating_sub(want + CONTEXT_SLACK);
        while !released.is_char_boundary(from) {
            from += 1;
        }
        let window = released.get(from..).unwrap_or_default();
        let slack = window.len().saturating_sub(want);
        let start = match window.as_bytes().iter().position(u8::is_ascii_whitespace) {
            Some(ws) if ws <= slack.max(CONTEXT_SLACK) && from > 0 => ws,
            _ => 0,
        };
        released.drain(..from + start);
        if !released.is_empty() {
            self.context.push((key, released));
        }
    }

    /// An empty string, reused when one is kept.
    fn spare_string(&mut self) -> String {
        self.spare.pop().unwrap_or_default()
    }

    /// Keeps `s`'s buffer for [`StreamScreener::spare_string`] (a few, not
    /// large ones).
    fn recycle(&mut self, mut s: String) {
        if self.spare.len() < MAX_SPARE && (1..=MAX_SPARE_CAPACITY).contains(&s.capacity()) {
            s.clear();
            self.spare.push(s);
        }
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
            let index = match key.part {
                Part::Output { .. } => {
                    self.write_delta(key, text, out);
                    continue;
                }
                Part::Choice(index) => index,
            };
            let pos = match choices
                .iter()
                .position(|c| c.get("index").and_then(Value::as_u64) == Some(index))
            {
                Some(p) => p,
                None => {
                    choices.push(json!({"index": index, "delta": {}, "finish_reason": null}));
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
        self.context.clear();
        self.in_long_key.clear();
        self.holding_key.clear();
        let config = &self.screener.config;
        let reply = LocalReply::content_blocked(config.block_status, &config.block_message);
        end_with_error(out, &reply);
    }
}

/// The payload of an event that is one `data:` line and nothing else.
fn single_data_line(event: &str) -> Option<&str> {
    let rest = event.strip_prefix("data:")?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let (line, end) = rest.split_at(memchr::memchr(b'\n', rest.as_bytes())?);
    matches!(end, "\n\n" | "\n\r\n").then_some(line.strip_suffix('\r').unwrap_or(line))
}

/// A finding that is a private-key block longer than the hold-back bound
/// and still without its footer.
fn is_long_open_key(pending: &str, f: &Finding) -> bool {
    let text = pending.get(f.span.start..f.span.end).unwrap_or_default();
    f.span.len() > MAX_PEM_LEN && text.starts_with("-----BEGIN ") && !text.contains("-----END ")
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
    #[test]
    fn a_changed_common_chunk_keeps_its_own_bytes_but_the_text_and_logprobs() {
        let mut s = StreamScreener::new(pii(), None, true);
        assert!(!s.feed(event("Hello", None).as_bytes(), false).is_empty());
        let mail = "data: {\"id\": \"c1\", \"z\": [1, 2.5], \"choices\": [{\"index\": 0, \"delta\": {\"content\": \" mail jane.doe@exa\"}, \"logprobs\": {\"content\": []}, \"finish_reason\": null}]}\n\n";
        let out = String::from_utf8(s.feed(mail.as_bytes(), false)).unwrap();
        let head = "data: {\"id\": \"c1\", \"z\": [1, 2.5], \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"";
        let tail = "\"}, \"logprobs\": null, \"finish_reason\": null}]}\n\n";
        let text = out.strip_prefix(head).and_then(|o| o.strip_suffix(tail));
        assert_eq!(
            text,
            Some("Hello mail "),
            "the address is held, the rest of the event is as it came: {out}"
        );
        let rest = event("mple.com, and then a few more words", None);
        let out = String::from_utf8(s.feed(rest.as_bytes(), false)).unwrap();
        assert!(
            !out.contains("jane.doe") && out.contains("and then"),
            "{out}"
        );
    }

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

    #[test]
    fn a_long_token_is_released_within_the_bound() {
        let default = Policy::embedded_default().unwrap();
        let sc = default.default_rule.screening.clone().unwrap();
        // nothing but a JWT is longer than an open-ended key (256 bytes)
        let short = sc.entity_hold_len("");
        assert_eq!(short, super::super::pii::MAX_TOKEN_LEN);
        let cases = [
            ("abcdefghij", short),
            ("0123456789", short),
            ("aB3xY9_-", short),
            ("eyJhbGciOi", sc.max_match_len()),
        ];
        for (alphabet, bound) in cases {
            let mut s = StreamScreener::new(Rc::clone(&sc), None, true);
            let token: String = alphabet.chars().cycle().take(40 * 1024).collect();
            let mut out = Vec::new();
            let mut most = 0;
            for c in token.as_bytes().chunks(5) {
                let piece = std::str::from_utf8(c).unwrap();
                out.extend(s.feed(event(piece, None).as_bytes(), false));
                most = most.max(s.held_bytes());
            }
            assert!(most <= bound + 5, "{alphabet}: {most} held, bound {bound}");
            out.extend(s.feed(b"data: [DONE]\n\n", true));
            let mut text = String::new();
            for e in String::from_utf8(out).unwrap().split("\n\n") {
                if let Some(v) = e
                    .strip_prefix("data: ")
                    .and_then(|d| serde_json::from_str::<Value>(d).ok())
                {
                    text.push_str(v["choices"][0]["delta"]["content"].as_str().unwrap_or(""));
                }
            }
            let mut tally = Tally::default();
            let whole = match sc.screen_text(&token, Direction::Response, &mut tally, None) {
                TextVerdict::Redacted(t) => t,
                _ => token.clone(),
            };
            assert_eq!(text, whole, "{alphabet}");
        }
    }

    #[test]
    fn released_text_is_left_context_of_the_next_scan() {
        // The match starts in text already released: its held part is still caught.
        let sc =
            screener(r#"{"custom":[{"name":"pin","regex":"(?i)pin: \\d{4}","action":"redact"}]}"#);
        let mut s = StreamScreener::new(sc, None, true);
        let (text, raw) = run(&mut s, &["my pin: ", "1234 ok", "."]);
        assert!(!raw.contains("1234"), "{raw}");
        assert!(
            text.starts_with("my pin: ") && text.ends_with(" ok."),
            "{text}"
        );
    }

    #[test]
    fn an_exception_still_arriving_is_waited_for() {
        let mut s = StreamScreener::new(pii(), None, true);
        let (text, _) = run(&mut s, &["You'll kill your", "self", " laughing", " at it"]);
        assert_eq!(text, "You'll kill yourself laughing at it");
        assert!(s.blocked.is_none());
        let mut s = StreamScreener::new(pii(), None, true);
        let (_, raw) = run(&mut s, &["Go kill your", "self", " now", " ok"]);
        assert!(s.blocked.is_some() && raw.contains("content_policy_violation"));
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
