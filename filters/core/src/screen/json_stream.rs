//! Screening a non-streamed JSON response as it passes, chunk by chunk,
//! for outputs too large to hold whole.
//!
//! Every byte goes out as it arrives, except the string values of the
//! output text fields, which are decoded, screened with the rule's
//! [`Screener`] and written again (same value; escapes may be normalised):
//! - chat `choices[].message.{content,name,refusal,reasoning_content,reasoning}`,
//!   `message.tool_calls[].function.arguments`, `message.function_call.arguments`,
//!   and `message.content` given as parts (`"..."` or `{"text"|"refusal": "..."}`);
//! - completions `choices[].text`;
//! - responses-API `output[]`: a bare string, an item's `text`, `refusal`,
//!   `arguments`, `input`, and its `content`, `summary` or `output` given as a
//!   string or as parts, each part's `text` and `refusal`.
//!
//! Item and part `type`s are not consulted (they may come after the text):
//! these strings are screened whatever the type, a superset of what the
//! whole-body path reads. Each field is screened with the SSE path's own
//! hold-back ([`StreamScreener`], fed one synthetic event per piece of the
//! field), so the text held back per field is bounded exactly as there;
//! numbers and every other byte pass unchanged.
//!
//! Structure is tracked with a small state machine (a stack of
//! object/array frames, each knowing its place in the schema). Keys,
//! numbers and literals are held whole (up to [`MAX_TOKEN_BYTES`]); a comma
//! is held until the next member starts, so the output so far can always be
//! closed as valid JSON.
//!
//! Outcomes that cannot be un-sent:
//! - **Enforced block**: the text already released stays, the rest of that
//!   string becomes the block message, every later output text becomes `""`,
//!   and later `finish_reason`s become `"content_filter"`. The body stays
//!   valid JSON. [`JsonStreamScreener::blocked`] names the entry.
//! - **Unscreenable** (not JSON, a duplicate key in an object on the read
//!   paths, a text field that is not a string or `null`, content that is not
//!   a string, `null` or parts): failing closed, the rest is withheld and
//!   the body is closed as valid JSON where it stands (open string ended,
//!   `null` for a value owed, open containers closed); if nothing was sent
//!   yet, the body is the `unscreenable_output` error. Failing open, the
//!   rest passes unscreened. [`JsonStreamScreener::problem`] says why.
//! - **Log-probabilities**: `choices[].logprobs` becomes `null` and a part's
//!   `logprobs` becomes `[]` when a text of that choice or part changed
//!   before it, after a block, or when it comes before any text of its
//!   choice or part (it could give the text away and can no longer be taken
//!   back). vLLM writes it after the text.
//!
//! Duplicate keys elsewhere (outside the read paths) are not looked for.

use super::engine::{Screener, Tally};
use super::redact::RestoreMap;
use super::stream::StreamScreener;
use crate::reply::LocalReply;
use serde_json::{json, Value};
use std::rc::Rc;

/// Longest key, number or literal held while waiting for its end.
pub const MAX_TOKEN_BYTES: usize = 4096;
/// Text of one field screened per step at most.
const PIECE_BYTES: usize = 16 * 1024;
/// Whitespace kept after a held comma; more is dropped (it means nothing).
const MAX_SEPARATOR_BYTES: usize = 1024;

/// Why the rest of a body could not be screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonProblem {
    /// Not JSON, not UTF-8, or not an object at the top.
    Invalid,
    /// The same key twice in one object on the read paths.
    DuplicateKey,
    /// A text field of a shape that is not read.
    Shape,
}

impl JsonProblem {
    /// The `reason` label of `llm_policy_screening_unscreenable_total`.
    pub fn label(self) -> &'static str {
        match self {
            JsonProblem::Invalid => "not_json",
            JsonProblem::DuplicateKey => "duplicate_key",
            JsonProblem::Shape => "bad_shape",
        }
    }
}

/// The place of a container in the response schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Choices,
    Choice,
    Message,
    ToolCalls,
    ToolCall,
    Function,
    Output,
    Item,
    Parts,
    Part,
    Other,
}

impl Role {
    fn is_array(self) -> bool {
        matches!(
            self,
            Role::Choices | Role::ToolCalls | Role::Output | Role::Parts
        )
    }
}

/// What the value about to be read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Other,
    /// A container of this role (of the other kind: passed as `Other`).
    Container(Role),
    /// A text: a string is screened, `null` passes; other shapes are
    /// unscreenable when `strict`, passed otherwise.
    Text {
        strict: bool,
    },
    /// A string, `null`, or an array of parts.
    Content,
    /// An array element: a string is text, an object is this role.
    Element(Role),
    Logprobs {
        part: bool,
    },
    FinishReason,
}

/// The slot of `key` in an object of `role`, and its bit for duplicates.
fn key_slot(role: Role, key: &str) -> Option<(u8, Slot)> {
    const STRICT: Slot = Slot::Text { strict: true };
    const LOOSE: Slot = Slot::Text { strict: false };
    let table: &[(&str, Slot)] = match role {
        Role::Root => &[
            ("choices", Slot::Container(Role::Choices)),
            ("output", Slot::Container(Role::Output)),
        ],
        Role::Choice => &[
            ("message", Slot::Container(Role::Message)),
            ("text", STRICT),
            ("logprobs", Slot::Logprobs { part: false }),
            ("finish_reason", Slot::FinishReason),
        ],
        Role::Message => &[
            ("content", Slot::Content),
            ("name", STRICT),
            ("refusal", STRICT),
            ("reasoning_content", STRICT),
            ("reasoning", STRICT),
            ("tool_calls", Slot::Container(Role::ToolCalls)),
            ("function_call", Slot::Container(Role::Function)),
        ],
        Role::ToolCall => &[("function", Slot::Container(Role::Function))],
        Role::Function => &[("arguments", STRICT)],
        Role::Item => &[
            ("content", Slot::Content),
            ("summary", Slot::Content),
            ("output", Slot::Content),
            ("text", LOOSE),
            ("refusal", LOOSE),
            ("arguments", STRICT),
            ("input", STRICT),
        ],
        Role::Part => &[
            ("text", STRICT),
            ("refusal", LOOSE),
            ("logprobs", Slot::Logprobs { part: true }),
        ],
        _ => &[],
    };
    let i = table.iter().position(|(k, _)| *k == key)?;
    let (_, slot) = table.get(i)?;
    Some((u8::try_from(i).ok()?, *slot))
}

/// The slot of an element of an array of `role`.
fn element_slot(role: Role) -> Slot {
    match role {
        Role::Choices => Slot::Container(Role::Choice),
        Role::ToolCalls => Slot::Container(Role::ToolCall),
        Role::Output => Slot::Element(Role::Item),
        Role::Parts => Slot::Element(Role::Part),
        _ => Slot::Other,
    }
}

#[derive(Debug)]
struct Frame {
    object: bool,
    role: Role,
    /// Read keys seen in this object (bit per [`key_slot`] index).
    seen: u16,
    /// A text inside this container was screened / was changed.
    text_seen: bool,
    changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Root,
    KeyOrEnd,
    /// After a comma in an object.
    Key,
    Colon,
    /// After a colon, or after a comma in an array.
    Value,
    ValueOrEnd,
    CommaOrEnd,
    Done,
}

/// Where the bytes of the string being read go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Pass,
    Screen,
    Drop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Parse,
    /// Failing open after a problem: the rest passes as it is.
    Raw,
    /// Failing closed after a problem, or done: the rest is dropped.
    Dropping,
}

/// Screens one non-streamed JSON response body fed in chunks.
#[derive(Debug)]
pub struct JsonStreamScreener {
    screener: Rc<Screener>,
    fields: StreamScreener,
    fail_closed: bool,
    buf: Vec<u8>,
    stack: Vec<Frame>,
    expect: Expect,
    slot: Slot,
    in_string: Option<Sink>,
    /// A comma (and the whitespace after it) not sent yet.
    comma: Option<Vec<u8>>,
    /// Depth of the value being replaced: its bytes are not sent.
    mute: Option<usize>,
    field: u64,
    piece: String,
    /// Input of the current field not yet matched by its output.
    unmatched: String,
    field_changed: bool,
    /// Some byte was sent.
    started: bool,
    mode: Mode,
    /// The entry whose enforced block cut the output.
    pub blocked: Option<u16>,
    /// Why the rest of the body was withheld (or passed unscreened).
    pub problem: Option<JsonProblem>,
}

type Step<T> = Result<T, JsonProblem>;

impl JsonStreamScreener {
    /// `fail_closed`: a body that cannot be screened is cut (and closed as
    /// valid JSON) instead of passing unscreened.
    pub fn new(screener: Rc<Screener>, restore: Option<Rc<RestoreMap>>, fail_closed: bool) -> Self {
        JsonStreamScreener {
            fields: StreamScreener::new(screener.clone(), restore, fail_closed),
            screener,
            fail_closed,
            buf: Vec::new(),
            stack: Vec::new(),
            expect: Expect::Root,
            slot: Slot::Other,
            in_string: None,
            comma: None,
            mute: None,
            field: 0,
            piece: String::new(),
            unmatched: String::new(),
            field_changed: false,
            started: false,
            mode: Mode::Parse,
            blocked: None,
            problem: None,
        }
    }

    /// What screening found so far (taken: counted once).
    pub fn take_tally(&mut self) -> Tally {
        std::mem::take(&mut self.fields.tally)
    }

    /// Takes the next chunk of the body; returns the bytes to send in its place.
    pub fn feed(&mut self, chunk: &[u8], end_of_stream: bool) -> Vec<u8> {
        let mut out = Vec::new();
        match self.mode {
            Mode::Raw => return chunk.to_vec(),
            Mode::Dropping => return out,
            Mode::Parse => {}
        }
        self.buf.extend_from_slice(chunk);
        let mut pos = 0;
        let result = self.run(&mut pos, &mut out, end_of_stream);
        match result {
            Ok(()) => {
                self.buf.drain(..pos.min(self.buf.len()));
            }
            Err(problem) => self.fail(problem, pos, &mut out),
        }
        out
    }

    fn run(&mut self, pos: &mut usize, out: &mut Vec<u8>, eos: bool) -> Step<()> {
        loop {
            if self.in_string.is_some() {
                self.string_body(pos, out, eos)?;
                if self.in_string.is_some() {
                    break;
                }
                continue;
            }
            let Some(&b) = self.buf.get(*pos) else {
                break;
            };
            if b.is_ascii_whitespace() {
                self.whitespace(b, out);
                *pos += 1;
                continue;
            }
            match self.expect {
                Expect::Done => return Err(JsonProblem::Invalid),
                Expect::Root => {
                    if b != b'{' {
                        return Err(JsonProblem::Invalid);
                    }
                    self.open(true, Role::Root, out);
                    *pos += 1;
                }
                Expect::KeyOrEnd | Expect::Key => {
                    if b == b'}' && self.expect == Expect::KeyOrEnd {
                        self.close(b, out);
                        *pos += 1;
                    } else if b == b'"' {
                        match self.key(*pos, out, eos)? {
                            Some(n) => *pos += n,
                            None => break,
                        }
                    } else {
                        return Err(JsonProblem::Invalid);
                    }
                }
                Expect::Colon => {
                    if b != b':' {
                        return Err(JsonProblem::Invalid);
                    }
                    self.emit(b":", out);
                    self.expect = Expect::Value;
                    *pos += 1;
                }
                Expect::Value | Expect::ValueOrEnd => {
                    if b == b']' && self.expect == Expect::ValueOrEnd {
                        self.close(b, out);
                        *pos += 1;
                        continue;
                    }
                    if let Some(top) = self.stack.last().filter(|f| !f.object) {
                        self.slot = element_slot(top.role);
                    }
                    match self.begin_value(*pos, out, eos)? {
                        Some(n) => *pos += n,
                        None => break,
                    }
                }
                Expect::CommaOrEnd => {
                    let object = self.stack.last().is_some_and(|f| f.object);
                    if b == b',' {
                        self.comma = Some(vec![b',']);
                        self.expect = if object { Expect::Key } else { Expect::Value };
                    } else if b == if object { b'}' } else { b']' } {
                        self.close(b, out);
                    } else {
                        return Err(JsonProblem::Invalid);
                    }
                    *pos += 1;
                }
            }
        }
        if self.in_string == Some(Sink::Screen) && !self.piece.is_empty() {
            self.screen_piece(false, out)?;
        }
        let left = self.buf.len().saturating_sub(*pos);
        if eos && (self.expect != Expect::Done || self.in_string.is_some()) {
            return Err(JsonProblem::Invalid);
        }
        if self.in_string.is_none() && left > MAX_TOKEN_BYTES {
            return Err(JsonProblem::Invalid);
        }
        Ok(())
    }

    fn emit(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        if self.mute.is_none() {
            out.extend_from_slice(bytes);
            self.started = true;
        }
    }

    fn flush_comma(&mut self, out: &mut Vec<u8>) {
        if let Some(sep) = self.comma.take() {
            self.emit(&sep, out);
        }
    }

    fn whitespace(&mut self, b: u8, out: &mut Vec<u8>) {
        match self.comma.as_mut() {
            Some(sep) if sep.len() < MAX_SEPARATOR_BYTES => sep.push(b),
            Some(_) => {}
            None => self.emit(&[b], out),
        }
    }

    fn open(&mut self, object: bool, role: Role, out: &mut Vec<u8>) {
        self.flush_comma(out);
        self.emit(if object { b"{" } else { b"[" }, out);
        self.stack.push(Frame {
            object,
            role,
            seen: 0,
            text_seen: false,
            changed: false,
        });
        self.expect = if object {
            Expect::KeyOrEnd
        } else {
            Expect::ValueOrEnd
        };
        self.slot = Slot::Other;
    }

    fn close(&mut self, b: u8, out: &mut Vec<u8>) {
        self.emit(&[b], out);
        self.stack.pop();
        self.value_done();
    }

    fn value_done(&mut self) {
        if self.mute == Some(self.stack.len()) {
            self.mute = None;
        }
        self.slot = Slot::Other;
        self.expect = if self.stack.is_empty() {
            Expect::Done
        } else {
            Expect::CommaOrEnd
        };
    }

    /// A key at `pos`: held whole, checked for duplicates on the read paths.
    fn key(&mut self, pos: usize, out: &mut Vec<u8>, eos: bool) -> Step<Option<usize>> {
        let rest = self.buf.get(pos..).unwrap_or_default();
        let Some(end) = string_end(rest)? else {
            return if eos || rest.len() > MAX_TOKEN_BYTES {
                Err(JsonProblem::Invalid)
            } else {
                Ok(None)
            };
        };
        let raw = rest.get(..end).unwrap_or_default();
        let name: String = serde_json::from_slice(raw).map_err(|_| JsonProblem::Invalid)?;
        let role = self.stack.last().map_or(Role::Other, |f| f.role);
        self.slot = match key_slot(role, &name) {
            Some((bit, slot)) => {
                if let Some(top) = self.stack.last_mut() {
                    if top.seen & (1 << bit) != 0 {
                        return Err(JsonProblem::DuplicateKey);
                    }
                    top.seen |= 1 << bit;
                }
                slot
            }
            None => Slot::Other,
        };
        let raw = raw.to_vec();
        self.flush_comma(out);
        self.emit(&raw, out);
        self.expect = Expect::Colon;
        Ok(Some(end))
    }

    /// The start of a value at `pos`; `None` when more bytes are needed.
    fn begin_value(&mut self, pos: usize, out: &mut Vec<u8>, eos: bool) -> Step<Option<usize>> {
        let Some(&b) = self.buf.get(pos) else {
            return Ok(None);
        };
        let (text_seen, changed) = self
            .stack
            .last()
            .map_or((false, false), |f| (f.text_seen, f.changed));
        let replace: Option<&[u8]> = match self.slot {
            Slot::Logprobs { part }
                if b != b'n' && (changed || !text_seen || self.blocked.is_some()) =>
            {
                Some(if part { b"[]" } else { b"null" })
            }
            Slot::FinishReason if self.blocked.is_some() => Some(b"\"content_filter\""),
            _ => None,
        };
        if let Some(replacement) = replace {
            self.flush_comma(out);
            self.emit(replacement, out);
            self.mute = Some(self.stack.len());
            self.slot = Slot::Other;
        }
        let slot = self.slot;
        match b {
            b'{' | b'[' => {
                let object = b == b'{';
                let role = match slot {
                    Slot::Container(r) if r.is_array() != object => r,
                    Slot::Element(r) if object => r,
                    Slot::Content if !object => Role::Parts,
                    Slot::Element(_) | Slot::Content | Slot::Text { strict: true } => {
                        return Err(JsonProblem::Shape)
                    }
                    _ => Role::Other,
                };
                self.open(object, role, out);
                Ok(Some(1))
            }
            b'"' => {
                let text = matches!(slot, Slot::Text { .. } | Slot::Content | Slot::Element(_));
                let sink = match (text, self.blocked.is_some()) {
                    (false, _) => Sink::Pass,
                    (true, false) => Sink::Screen,
                    (true, true) => Sink::Drop,
                };
                self.flush_comma(out);
                self.emit(b"\"", out);
                self.in_string = Some(sink);
                self.field += 1;
                self.piece.clear();
                self.unmatched.clear();
                self.field_changed = sink == Sink::Drop;
                Ok(Some(1))
            }
            _ => {
                let rest = self.buf.get(pos..).unwrap_or_default();
                let len = rest
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || b"+-.".contains(c)))
                    .unwrap_or(rest.len());
                if len == rest.len() && !eos {
                    return if len > MAX_TOKEN_BYTES {
                        Err(JsonProblem::Invalid)
                    } else {
                        Ok(None)
                    };
                }
                let token = rest.get(..len).unwrap_or_default();
                if !is_scalar(token) {
                    return Err(JsonProblem::Invalid);
                }
                let null = token == b"null";
                if !null && matches!(slot, Slot::Text { strict: true } | Slot::Content) {
                    return Err(JsonProblem::Shape);
                }
                let token = token.to_vec();
                self.flush_comma(out);
                self.emit(&token, out);
                self.value_done();
                Ok(Some(len))
            }
        }
    }

    /// Reads string content from `pos` up to its end or the buffer's.
    fn string_body(&mut self, pos: &mut usize, out: &mut Vec<u8>, eos: bool) -> Step<()> {
        loop {
            let sink = self.in_string.unwrap_or(Sink::Pass);
            let start = *pos;
            let len = self.buf.len();
            let stop = len.min(start.saturating_add(PIECE_BYTES));
            let mut i = start;
            while i < stop {
                match self.buf.get(i) {
                    Some(&c) if c != b'"' && c != b'\\' && c >= 0x20 => i += 1,
                    _ => break,
                }
            }
            if i > start {
                let seg = self.buf.get(start..i).unwrap_or_default();
                let valid = match std::str::from_utf8(seg) {
                    Ok(_) => seg.len(),
                    Err(e) if e.error_len().is_none() => e.valid_up_to(),
                    Err(_) => return Err(JsonProblem::Invalid),
                };
                let seg = seg.get(..valid).unwrap_or_default();
                match sink {
                    Sink::Pass => {
                        if self.mute.is_none() {
                            out.extend_from_slice(seg);
                            self.started = true;
                        }
                    }
                    Sink::Screen => {
                        let text = std::str::from_utf8(seg).map_err(|_| JsonProblem::Invalid)?;
                        self.piece.push_str(text);
                    }
                    Sink::Drop => {}
                }
                *pos = start + valid;
                if sink == Sink::Screen && self.piece.len() >= PIECE_BYTES {
                    self.screen_piece(false, out)?;
                }
                if valid < i - start {
                    if i == len {
                        // a character split across chunks
                        return if eos {
                            Err(JsonProblem::Invalid)
                        } else {
                            Ok(())
                        };
                    }
                    if i < stop {
                        // cut by a quote, backslash or control byte
                        return Err(JsonProblem::Invalid);
                    }
                }
                continue;
            }
            let Some(&c) = self.buf.get(i) else {
                return if eos {
                    Err(JsonProblem::Invalid)
                } else {
                    Ok(())
                };
            };
            match c {
                b'"' => {
                    *pos = i + 1;
                    return self.end_string(out);
                }
                b'\\' => {
                    let rest = self.buf.get(i..).unwrap_or_default();
                    let Some((ch, n)) = decode_escape(rest)? else {
                        return if eos {
                            Err(JsonProblem::Invalid)
                        } else {
                            Ok(())
                        };
                    };
                    match sink {
                        Sink::Pass => {
                            let raw = rest.get(..n).unwrap_or_default().to_vec();
                            self.emit(&raw, out);
                        }
                        Sink::Screen => self.piece.push(ch),
                        Sink::Drop => {}
                    }
                    *pos = i + n;
                }
                _ => return Err(JsonProblem::Invalid),
            }
        }
    }

    fn end_string(&mut self, out: &mut Vec<u8>) -> Step<()> {
        let sink = self.in_string.take();
        if sink == Some(Sink::Screen) {
            self.in_string = Some(Sink::Screen);
            self.screen_piece(true, out)?;
            self.in_string = None;
        }
        if sink != Some(Sink::Pass) {
            let changed = self.field_changed || !self.unmatched.is_empty();
            for f in &mut self.stack {
                f.text_seen = true;
                f.changed |= changed;
            }
        }
        self.emit(b"\"", out);
        self.value_done();
        Ok(())
    }

    /// Screens the field's pending piece through the SSE hold-back and
    /// writes what it releases.
    fn screen_piece(&mut self, last: bool, out: &mut Vec<u8>) -> Step<()> {
        let piece = std::mem::take(&mut self.piece);
        if !self.field_changed {
            self.unmatched.push_str(&piece);
        }
        let finish = if last {
            Value::from("stop")
        } else {
            Value::Null
        };
        let event = json!({"choices":[{"index": self.field, "delta": {"content": piece},
            "finish_reason": finish}]});
        let event = format!("data: {event}\n\n");
        let raw = self.fields.feed(event.as_bytes(), false);
        if let Some(entry) = self.fields.blocked {
            self.blocked = Some(entry);
            let message = self.screener.config.block_message.clone();
            let mut encoded = Vec::new();
            escape_into(&message, &mut encoded);
            self.emit(&encoded, out);
            self.in_string = Some(Sink::Drop);
            self.field_changed = true;
            return Ok(());
        }
        if self.fields.unscreenable > 0 {
            return Err(JsonProblem::Invalid);
        }
        let released = if raw == event.as_bytes() {
            piece
        } else {
            released_text(&raw)
        };
        if !self.field_changed {
            if self.unmatched.starts_with(&released) {
                self.unmatched.drain(..released.len());
            } else {
                self.field_changed = true;
                self.unmatched.clear();
            }
        }
        let mut encoded = Vec::with_capacity(released.len() + 2);
        escape_into(&released, &mut encoded);
        self.emit(&encoded, out);
        Ok(())
    }

    /// Ends the body after a problem: see the module docs.
    fn fail(&mut self, problem: JsonProblem, pos: usize, out: &mut Vec<u8>) {
        self.problem = Some(problem);
        let rest = self.buf.split_off(pos.min(self.buf.len()));
        self.buf.clear();
        if !self.fail_closed {
            self.mute = None;
            self.flush_comma(out);
            out.extend_from_slice(&rest);
            self.mode = Mode::Raw;
            return;
        }
        self.mode = Mode::Dropping;
        if !self.started {
            out.clear();
            out.extend_from_slice(LocalReply::unscreenable_output().body().as_bytes());
            return;
        }
        self.comma = None;
        if let Some(depth) = self.mute.take() {
            self.stack.truncate(depth);
            self.in_string = None;
            self.expect = Expect::CommaOrEnd;
        }
        if self.in_string.take().is_some() {
            out.push(b'"');
            self.expect = Expect::CommaOrEnd;
        }
        let object = self.stack.last().is_some_and(|f| f.object);
        match self.expect {
            Expect::Colon => out.extend_from_slice(b":null"),
            Expect::Value if object => out.extend_from_slice(b"null"),
            _ => {}
        }
        while let Some(f) = self.stack.pop() {
            out.push(if f.object { b'}' } else { b']' });
        }
        self.expect = Expect::Done;
    }
}

/// The end (after the closing quote) of the string starting at `bytes[0]`.
fn string_end(bytes: &[u8]) -> Step<Option<usize>> {
    let mut i = 1;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'"' => return Ok(Some(i + 1)),
            b'\\' => i += 2,
            c if c < 0x20 => return Err(JsonProblem::Invalid),
            _ => i += 1,
        }
    }
    Ok(None)
}

/// Decodes the escape at `bytes[0]` (a backslash): the char and its length;
/// `None` when the buffer ends inside it. A lone surrogate is invalid.
fn decode_escape(bytes: &[u8]) -> Step<Option<(char, usize)>> {
    let Some(&c) = bytes.get(1) else {
        return Ok(None);
    };
    let simple = match c {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let Some(hi) = hex4(bytes.get(2..6))? else {
                return Ok(None);
            };
            if (0xDC00..0xE000).contains(&hi) {
                return Err(JsonProblem::Invalid);
            }
            if !(0xD800..0xDC00).contains(&hi) {
                let ch = char::from_u32(hi).ok_or(JsonProblem::Invalid)?;
                return Ok(Some((ch, 6)));
            }
            match (bytes.get(6), bytes.get(7)) {
                (Some(b'\\'), Some(b'u')) => {}
                (None, _) | (Some(b'\\'), None) => return Ok(None),
                _ => return Err(JsonProblem::Invalid),
            }
            let Some(lo) = hex4(bytes.get(8..12))? else {
                return Ok(None);
            };
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(JsonProblem::Invalid);
            }
            let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            let ch = char::from_u32(code).ok_or(JsonProblem::Invalid)?;
            return Ok(Some((ch, 12)));
        }
        _ => return Err(JsonProblem::Invalid),
    };
    Ok(Some((simple, 2)))
}

/// Four hex digits; `None` when not all have arrived.
fn hex4(digits: Option<&[u8]>) -> Step<Option<u32>> {
    let Some(digits) = digits else {
        return Ok(None);
    };
    let mut v = 0;
    for &d in digits {
        let n = (d as char).to_digit(16).ok_or(JsonProblem::Invalid)?;
        v = v * 16 + n;
    }
    Ok(Some(v))
}

/// A JSON number, `true`, `false` or `null`.
fn is_scalar(token: &[u8]) -> bool {
    if matches!(token, b"true" | b"false" | b"null") {
        return true;
    }
    let mut i = 0;
    let at = |i: usize| token.get(i).copied();
    let digits = |i: &mut usize| {
        let start = *i;
        while at(*i).is_some_and(|c| c.is_ascii_digit()) {
            *i += 1;
        }
        *i > start
    };
    if at(i) == Some(b'-') {
        i += 1;
    }
    if at(i) == Some(b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return false;
    }
    if at(i) == Some(b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == token.len()
}

/// The text a synthetic event released: its `choices[0].delta.content`.
fn released_text(raw: &[u8]) -> String {
    let mut text = String::new();
    for event in String::from_utf8_lossy(raw).split("\n\n") {
        let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) else {
            continue;
        };
        if let Ok(v) = serde_json::from_str::<Value>(data) {
            if let Some(t) = v
                .pointer("/choices/0/delta/content")
                .and_then(Value::as_str)
            {
                text.push_str(t);
            }
        }
    }
    text
}

/// Writes `text` JSON-escaped (without quotes), as serde_json does.
fn escape_into(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::screen::body::screen_response_bytes;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    thread_local! {
        static SCREENER: Rc<Screener> = {
            let doc = r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"},
                "card":{"action":"redact"}},"categories":{"banned":{"action":"block"}}}}"#;
            Policy::parse(doc.as_bytes())
                .unwrap()
                .default_rule
                .screening
                .clone()
                .unwrap()
        };
    }

    /// Compiled once per thread: the phrase automaton is slow to build.
    fn screener() -> Rc<Screener> {
        SCREENER.with(Rc::clone)
    }

    /// Feeds `body` cut at `cuts` (offsets), failing closed.
    fn stream(body: &[u8], cuts: &[usize], closed: bool) -> (Vec<u8>, JsonStreamScreener) {
        let mut s = JsonStreamScreener::new(screener(), None, closed);
        let mut out = Vec::new();
        let mut at = 0;
        for &c in cuts.iter().chain(std::iter::once(&body.len())) {
            let c = c.clamp(at, body.len());
            out.extend(s.feed(&body[at..c], c == body.len()));
            at = c;
        }
        (out, s)
    }

    fn whole(body: &[u8]) -> Value {
        let (bytes, _) = screen_response_bytes(&screener(), body, None).unwrap();
        serde_json::from_slice(&bytes.unwrap_or_else(|| body.to_vec())).unwrap()
    }

    fn parse(out: &[u8]) -> Value {
        serde_json::from_slice(out)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
    }

    fn chat(content: &str) -> String {
        let content = serde_json::to_string(content).unwrap();
        format!(
            r#"{{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{{"index":0,
            "message":{{"role":"assistant","content":{content},"reasoning_content":"think of jo@x.io",
            "tool_calls":[{{"id":"t","type":"function","function":{{"name":"f","arguments":"{{\"to\":\"ann@b.org\"}}"}}}}]}},
            "logprobs":null,"finish_reason":"stop","stop_reason":12345678901234567890123}}],
            "usage":{{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}}}"#
        )
    }

    #[test]
    fn every_split_of_a_small_body_equals_the_whole_body_result() {
        let bodies = [
            chat("Mail john.doe@example.com, card 4111 1111 1111 1111, caf\u{e9} \u{1F600} \"q\"\n ok."),
            r#"{"object":"text_completion","choices":[{"index":0,"text":"to jo@x.io\u00e9\ud83d\ude00","finish_reason":"stop"}]}"#.to_string(),
            r#"{"object":"response","output":[{"type":"message","content":[{"type":"output_text","text":"mail a@b.co now","annotations":[]},
                {"type":"refusal","refusal":"no c@d.io"}]},"bare e@f.io",{"type":"function_call","arguments":"{\"x\":\"g@h.io\"}"}]}"#.to_string(),
        ];
        for body in &bodies {
            let want = whole(body.as_bytes());
            for i in 0..=body.len() {
                let (out, s) = stream(body.as_bytes(), &[i], true);
                assert_eq!(s.problem, None, "{i}");
                assert_eq!(parse(&out), want, "split at {i}");
            }
            let every: Vec<usize> = (1..body.len()).collect();
            let (out, _) = stream(body.as_bytes(), &every, true);
            assert_eq!(parse(&out), want, "byte by byte");
            assert!(!String::from_utf8_lossy(&out).contains("@"), "{body}");
        }
    }

    #[test]
    fn a_clean_body_passes_byte_for_byte() {
        let body = chat("Hello there, nothing to see.")
            .replace("jo@x.io", "you")
            .replace("ann@b.org", "x");
        for i in [0, 1, 50, 133, 200, body.len()] {
            let (out, mut s) = stream(body.as_bytes(), &[i], true);
            assert_eq!(String::from_utf8(out).unwrap(), body, "{i}");
            assert!(s.take_tally().is_empty());
        }
    }

    #[test]
    fn big_bodies_in_random_chunks_keep_numbers_and_redact_near_the_end() {
        let mut rng = fastrand::Rng::with_seed(7);
        let prose = "The quick brown fox jumps over the lazy dog, again and again. ";
        let mut text = prose.repeat((2 << 20) / prose.len());
        text.push_str("Write to jane.roe@example.org today.");
        let body = chat(&text);
        let want = whole(body.as_bytes());
        for _ in 0..3 {
            let mut cuts = Vec::new();
            let mut at = 0;
            while at < body.len() {
                at += rng.usize(1..200_000);
                cuts.push(at);
            }
            let (out, s) = stream(body.as_bytes(), &cuts, true);
            assert_eq!(s.problem, None);
            assert_eq!(parse(&out), want);
            let out = String::from_utf8(out).unwrap();
            assert!(out.contains("today.") && !out.contains("jane.roe"));
            assert!(out.contains(r#""stop_reason":12345678901234567890123"#));
        }
    }

    #[test]
    fn a_block_mid_body_keeps_valid_json_and_cuts_the_outputs() {
        let body = format!(
            r#"{{"choices":[{{"index":0,"message":{{"content":{}}},"logprobs":{{"content":[]}},"finish_reason":"stop"}},
            {{"index":1,"message":{{"content":"second"}},"finish_reason":"length"}}],"usage":{{"total_tokens":3}}}}"#,
            serde_json::to_string(&format!(
                "{} You should kill yourself now. tail",
                "safe words ".repeat(5000)
            ))
            .unwrap()
        );
        for cut in [0, 1000, body.len() / 2, body.len() - 10] {
            let (out, mut s) = stream(body.as_bytes(), &[cut], true);
            let v = parse(&out);
            assert!(s.blocked.is_some());
            assert!(s.take_tally().strongest() == Some(crate::screen::Outcome::Blocked));
            let first = v["choices"][0]["message"]["content"].as_str().unwrap();
            assert!(first.ends_with(&screener().config.block_message), "{first}");
            assert!(!first.contains("kill") && !first.contains("tail"));
            assert_eq!(v["choices"][0]["logprobs"], Value::Null);
            assert_eq!(v["choices"][0]["finish_reason"], "content_filter");
            assert_eq!(v["choices"][1]["message"]["content"], "");
            assert_eq!(v["choices"][1]["finish_reason"], "content_filter");
            assert_eq!(v["usage"]["total_tokens"], 3);
        }
    }

    #[test]
    fn every_truncation_or_corruption_still_ends_as_valid_json() {
        let body = chat("Mail john.doe@example.com, caf\u{e9} \u{1F600} now.");
        let bytes = body.as_bytes();
        for i in 1..bytes.len() {
            let (out, s) = stream(&bytes[..i], &[i / 2], true);
            let v = parse(&out);
            assert_eq!(s.problem, Some(JsonProblem::Invalid), "{i}");
            assert!(!String::from_utf8_lossy(&out).contains("john.doe"), "{i}");
            assert!(v.is_object());
            let mut bad = bytes.to_vec();
            bad.insert(i, b'\x01');
            let (out, s) = stream(&bad, &[i], true);
            parse(&out);
            assert!(s.problem.is_some(), "{i}");
        }
        let (out, _) = stream(b"<html>oops</html>", &[3], true);
        assert_eq!(parse(&out)["error"]["code"], "unscreenable_output");
    }

    #[test]
    fn duplicate_keys_and_odd_shapes_on_read_paths_are_unscreenable() {
        for (body, problem) in [
            (
                r#"{"choices":[{"message":{"content":"hi","content":"jo@x.io"}}]}"#,
                JsonProblem::DuplicateKey,
            ),
            (
                r#"{"choices":[{"message":{"content":"hi","\u0063ontent":"jo@x.io"}}]}"#,
                JsonProblem::DuplicateKey,
            ),
            (
                r#"{"choices":[],"choices":[{"text":"jo@x.io"}]}"#,
                JsonProblem::DuplicateKey,
            ),
            (
                r#"{"choices":[{"message":{"content":{"text":"jo@x.io"}}}]}"#,
                JsonProblem::Shape,
            ),
            (r#"{"choices":[{"text":["jo@x.io"]}]}"#, JsonProblem::Shape),
            (r#"{"output":[[ "jo@x.io" ]]}"#, JsonProblem::Shape),
        ] {
            let (out, s) = stream(body.as_bytes(), &[body.len() / 2], true);
            assert_eq!(s.problem, Some(problem), "{body}");
            parse(&out);
            assert!(!String::from_utf8_lossy(&out).contains("jo@x.io"), "{body}");
            let (out, s) = stream(body.as_bytes(), &[body.len() / 2], false);
            assert_eq!(s.problem, Some(problem));
            assert!(
                String::from_utf8_lossy(&out).contains("jo@x.io"),
                "fail open passes it"
            );
        }
        let elsewhere = r#"{"meta":{"a":1,"a":2},"choices":[{"text":"ok"}]}"#;
        let (out, s) = stream(elsewhere.as_bytes(), &[], true);
        assert_eq!((s.problem, out), (None, elsewhere.as_bytes().to_vec()));
    }

    #[test]
    fn logprobs_go_when_their_text_changed_or_came_first() {
        let lp = r#"{"content":[{"token":"jo@x.io","logprob":-0.1}]}"#;
        let changed =
            format!(r#"{{"choices":[{{"message":{{"content":"jo@x.io"}},"logprobs":{lp}}}]}}"#);
        let (out, _) = stream(changed.as_bytes(), &[20], true);
        assert_eq!(parse(&out)["choices"][0]["logprobs"], Value::Null);
        let clean =
            format!(r#"{{"choices":[{{"message":{{"content":"hello"}},"logprobs":{lp}}}]}}"#);
        assert_eq!(stream(clean.as_bytes(), &[20], true).0, clean.as_bytes());
        let first =
            format!(r#"{{"choices":[{{"logprobs":{lp},"message":{{"content":"hello"}}}}]}}"#);
        assert_eq!(
            parse(&stream(first.as_bytes(), &[20], true).0)["choices"][0]["logprobs"],
            Value::Null
        );
        let part =
            r#"{"output":[{"content":[{"text":"jo@x.io","logprobs":[{"token":"jo@x.io"}]}]}]}"#;
        let v = parse(&stream(part.as_bytes(), &[30], true).0);
        assert_eq!(
            v["output"][0]["content"][0]["logprobs"],
            serde_json::json!([])
        );
    }

    #[test]
    fn random_mutations_never_panic_and_fail_closed_output_parses() {
        let mut rng = fastrand::Rng::with_seed(11);
        let base = chat("Mail john.doe@example.com, caf\u{e9} \u{1F600} now.").into_bytes();
        let alphabet = b"{}[]\",:\\u0123456789abcdefnulltrue -.eE\x00\x1f\xc3\xa9\xff";
        for _ in 0..2000 {
            let mut body = base.clone();
            for _ in 0..rng.usize(1..4) {
                let at = rng.usize(..body.len());
                let b = alphabet[rng.usize(..alphabet.len())];
                match rng.u8(..3) {
                    0 => body[at] = b,
                    1 => body.insert(at, b),
                    _ => {
                        body.remove(at);
                    }
                }
            }
            let cuts: Vec<usize> = (0..rng.usize(0..6))
                .map(|_| rng.usize(..body.len()))
                .collect();
            let mut cuts = cuts;
            cuts.sort_unstable();
            let (out, s) = stream(&body, &cuts, true);
            match serde_json::from_slice::<Value>(&out) {
                Ok(_) => {}
                // valid JSON grammar (passed byte for byte) that serde_json cannot hold
                Err(e) if e.to_string().starts_with("number out of range") => {}
                Err(e) => panic!("{e}: {:?} {}", s.problem, String::from_utf8_lossy(&out)),
            }
            // the content string arrived intact on its read path: it was screened
            let intact = body
                .starts_with(&base[..base.windows(5).position(|w| w == b"now.\"").unwrap() + 5]);
            if intact {
                let o = String::from_utf8_lossy(&out);
                assert!(!o.contains("john.doe"), "{:?} {o}", s.problem);
            }
        }
    }
}
