//! The common streamed chunk read without a JSON tree: one chat or
//! completions choice whose text fields are strings or `null`, nothing else
//! unusual. [`scan`] validates the whole document and finds the choice's
//! `index`, its text fields (`text`, `delta.content`, `.reasoning`,
//! `.reasoning_content`, `.refusal`: the decoded text and where its string
//! token is) and where its `logprobs` value is, so a changed chunk is
//! written back as its own bytes with only those values replaced
//! ([`splice`]).
//!
//! Deliberately not read here (`None`: the caller parses the chunk whole):
//! more than one choice, a `finish_reason` other than `null`, `tool_calls`,
//! a text field that is neither a string nor `null`, a `delta` that is not
//! an object, a top-level `type` (the responses API), an escaped key, a
//! known key given twice, a number with an exponent or past 300 digits
//! (which a JSON tree may refuse as out of range), nesting deeper than 64,
//! and any raw line break (the chunk is written back on one `data:` line).
//! Whatever this accepts, `serde_json` accepts and reads the same way.

use super::chunk::Field;
use std::borrow::Cow;
use std::ops::Range;

/// Deepest nesting read here.
const MAX_DEPTH: usize = 64;

/// One text field of the choice.
#[derive(Debug)]
pub(crate) struct ScannedField<'a> {
    pub field: Field,
    /// The string token, quotes included.
    pub token: Range<usize>,
    /// The decoded text.
    pub text: Cow<'a, str>,
}

/// A chunk of at most one choice, read in place.
#[derive(Debug, Default)]
pub(crate) struct ScannedChunk<'a> {
    /// The choice's `index` (0 when absent), when there is a choice.
    pub index: Option<u64>,
    /// Its text fields in the order a JSON tree's sorted keys give:
    /// `text`, then `delta`'s `content`, `reasoning`, `reasoning_content`,
    /// `refusal`.
    pub fields: Vec<ScannedField<'a>>,
    /// The one text field of a chunk read by comparison with the last one
    /// ([`ChunkReader`]), kept apart so that no list is allocated: then
    /// `fields` is empty.
    pub lone: Option<ScannedField<'a>>,
    /// The choice's `logprobs` value.
    pub logprobs: Option<Range<usize>>,
}

impl<'a> ScannedChunk<'a> {
    /// Every text field, in [`ScannedChunk::fields`]'s order.
    pub(crate) fn into_fields(self) -> impl Iterator<Item = ScannedField<'a>> {
        self.lone.into_iter().chain(self.fields)
    }
}

/// Reads `data` (one event's JSON), or `None` when it is not the common shape.
pub(crate) fn scan(data: &str) -> Option<ScannedChunk<'_>> {
    let mut c = Cursor {
        s: data.as_bytes(),
        src: data,
        i: 0,
    };
    if memchr::memchr2(b'\n', b'\r', c.s).is_some() {
        return None;
    }
    let mut out = ScannedChunk::default();
    let mut seen_choices = false;
    c.ws();
    c.eat(b'{')?;
    c.members(|c, key| {
        match key {
            "type" => return None,
            "choices" => {
                if seen_choices {
                    return None;
                }
                seen_choices = true;
                c.eat(b'[')?;
                c.ws();
                if c.eat(b']').is_some() {
                    return Some(());
                }
                c.choice(&mut out)?;
                c.ws();
                c.eat(b']')?;
            }
            _ => c.skip_value(1)?,
        }
        Some(())
    })?;
    c.ws();
    (c.i == c.s.len()).then_some(())?;
    out.fields.sort_by_key(|f| field_rank(f.field));
    Some(out)
}

/// The bytes around the one text string of the last chunk [`scan`] read:
/// in a stream, the next chunk is nearly always the same bytes but for that
/// string (same `id`, `created`, `model`, choice, key order), and is then
/// read by comparing those bytes and reading the one string, which gives
/// exactly what [`scan`] gives (the JSON around the string is the same
/// bytes, read from the same state). Anything else is read by [`scan`].
#[derive(Debug, Default)]
pub(crate) struct ChunkReader {
    last: Option<Shape>,
}

/// A scanned chunk with one text field, split around its string token.
#[derive(Debug)]
struct Shape {
    /// The bytes before the string token, and after it.
    before: Vec<u8>,
    after: Vec<u8>,
    field: Field,
    index: Option<u64>,
    /// Where `logprobs` is: in `before` (absolute) or in `after` (from its start).
    logprobs: Option<(bool, Range<usize>)>,
}

impl ChunkReader {
    /// [`scan`] of `data`, by comparison with the last chunk when it can.
    pub(crate) fn scan<'a>(&mut self, data: &'a str) -> Option<ScannedChunk<'a>> {
        if let Some(chunk) = self.same_shape(data) {
            return Some(chunk);
        }
        let chunk = scan(data)?;
        self.last = Shape::of(data, &chunk);
        Some(chunk)
    }

    fn same_shape<'a>(&self, data: &'a str) -> Option<ScannedChunk<'a>> {
        let shape = self.last.as_ref()?;
        let bytes = data.as_bytes();
        let start = shape.before.len();
        if bytes.get(..start)? != shape.before.as_slice() {
            return None;
        }
        let mut c = Cursor {
            s: bytes,
            src: data,
            i: start,
        };
        let (token, text) = c.string()?;
        if bytes.get(token.end..)? != shape.after.as_slice() {
            return None;
        }
        let logprobs = shape.logprobs.as_ref().map(|(after, r)| match after {
            false => r.clone(),
            true => token.end + r.start..token.end + r.end,
        });
        Some(ScannedChunk {
            index: shape.index,
            fields: Vec::new(),
            lone: Some(ScannedField {
                field: shape.field,
                token,
                text,
            }),
            logprobs,
        })
    }
}

impl Shape {
    fn of(data: &str, chunk: &ScannedChunk<'_>) -> Option<Shape> {
        let [field] = chunk.fields.as_slice() else {
            return None;
        };
        let token = &field.token;
        let bytes = data.as_bytes();
        let logprobs = match &chunk.logprobs {
            None => None,
            Some(r) if r.end <= token.start => Some((false, r.clone())),
            Some(r) => Some((true, r.start.checked_sub(token.end)?..r.end - token.end)),
        };
        Some(Shape {
            before: bytes.get(..token.start)?.to_vec(),
            after: bytes.get(token.end..)?.to_vec(),
            field: field.field,
            index: chunk.index,
            logprobs,
        })
    }
}

fn field_rank(field: Field) -> u8 {
    match field {
        Field::Text => 0,
        Field::Content => 1,
        Field::Reasoning => 2,
        Field::ReasoningContent => 3,
        Field::Refusal => 4,
        _ => 5,
    }
}

/// `data` with each `(range, replacement)` put in place (ranges in order,
/// not overlapping).
#[cfg(test)]
pub(crate) fn splice(data: &str, edits: &mut [(Range<usize>, Cow<'_, str>)]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() + 16);
    splice_into(&mut out, data, edits)?;
    Some(out)
}

/// [`splice`], appended to `out` (which is left as it was on `None`).
#[cfg(test)]
pub(crate) fn splice_into(
    out: &mut Vec<u8>,
    data: &str,
    edits: &mut [(Range<usize>, Cow<'_, str>)],
) -> Option<()> {
    edits.sort_by_key(|(r, _)| r.start);
    let len = out.len();
    let mut at = 0;
    for (range, text) in edits.iter() {
        let Some(before) = data.as_bytes().get(at..range.start) else {
            out.truncate(len);
            return None;
        };
        out.extend_from_slice(before);
        out.extend_from_slice(text.as_bytes());
        at = range.end;
    }
    let Some(rest) = data.as_bytes().get(at..) else {
        out.truncate(len);
        return None;
    };
    out.extend_from_slice(rest);
    Some(())
}

/// What [`splice_replacements_into`] puts in place of a value.
#[derive(Debug, Default)]
pub(crate) enum Replacement {
    /// Nothing (an unused slot).
    #[default]
    Nothing,
    /// A text, written as a JSON string token ([`push_json_string`]).
    Json(String),
    /// JSON written as it is.
    Raw(&'static str),
}

/// `data` with each `(range, replacement)` put in place (ranges not
/// overlapping; sorted here), appended to `out` (left as it was on `None`);
/// a text is escaped as `serde_json` writes a string, in place.
pub(crate) fn splice_replacements_into(
    out: &mut Vec<u8>,
    data: &str,
    edits: &mut [(Range<usize>, Replacement)],
) -> Option<()> {
    edits.sort_unstable_by_key(|(r, _)| r.start);
    let len = out.len();
    let mut at = 0;
    for (range, replacement) in edits.iter() {
        let Some(before) = data.as_bytes().get(at..range.start) else {
            out.truncate(len);
            return None;
        };
        out.extend_from_slice(before);
        match replacement {
            Replacement::Nothing => {}
            Replacement::Json(text) => push_json_string(out, text),
            Replacement::Raw(json) => out.extend_from_slice(json.as_bytes()),
        }
        at = range.end;
    }
    let Some(rest) = data.as_bytes().get(at..) else {
        out.truncate(len);
        return None;
    };
    out.extend_from_slice(rest);
    Some(())
}

/// `text` as a JSON string token, escaped as `serde_json` writes it.
#[cfg(test)]
pub(crate) fn json_string(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    push_json_string(&mut out, text);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `text` as a JSON string token, escaped as `serde_json` writes it.
pub(crate) fn push_json_string(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(text.as_bytes().get(from..i).unwrap_or_default());
        match esc {
            Some(e) => out.extend_from_slice(e.as_bytes()),
            None => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        from = i + 1;
    }
    out.extend_from_slice(text.as_bytes().get(from..).unwrap_or_default());
    out.push(b'"');
}

struct Cursor<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.i += 1)
    }

    /// The members of an object whose `{` was eaten, through its `}`; each
    /// value is read by `value` (called at the value's first byte).
    fn members(&mut self, mut value: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let key = self.plain_key()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            value(self, key)?;
            self.ws();
            if self.eat(b',').is_none() {
                return self.eat(b'}');
            }
        }
    }

    /// A key without escapes.
    fn plain_key(&mut self) -> Option<&'a str> {
        let start = self.i;
        let (token, text) = self.string()?;
        match text {
            Cow::Borrowed(_) => self.src.get(token.start + 1..token.end - 1),
            Cow::Owned(_) => {
                self.i = start;
                None
            }
        }
    }

    /// The one choice object.
    fn choice(&mut self, out: &mut ScannedChunk<'a>) -> Option<()> {
        self.eat(b'{')?;
        let mut seen = [false; 5];
        let mut once = |slot: usize| -> Option<()> {
            let first = !seen.get(slot).copied()?;
            *seen.get_mut(slot)? = true;
            first.then_some(())
        };
        out.index = Some(0);
        self.members(|c, key| {
            match key {
                "index" => {
                    once(0)?;
                    out.index = Some(c.plain_u64()?);
                }
                "text" => {
                    once(1)?;
                    c.text_field(Field::Text, out)?;
                }
                "delta" => {
                    once(2)?;
                    c.delta(out)?;
                }
                "finish_reason" => {
                    once(3)?;
                    c.null()?;
                }
                "logprobs" => {
                    once(4)?;
                    let start = c.i;
                    c.skip_value(2)?;
                    out.logprobs = Some(start..c.i);
                }
                _ => c.skip_value(2)?,
            }
            Some(())
        })
    }

    fn delta(&mut self, out: &mut ScannedChunk<'a>) -> Option<()> {
        self.eat(b'{')?;
        let mut seen = [false; 4];
        self.members(|c, key| {
            let (slot, field) = match key {
                "content" => (0, Field::Content),
                "refusal" => (1, Field::Refusal),
                "reasoning_content" => (2, Field::ReasoningContent),
                "reasoning" => (3, Field::Reasoning),
                "tool_calls" => return None,
                _ => return c.skip_value(3),
            };
            let s = seen.get_mut(slot)?;
            if *s {
                return None;
            }
            *s = true;
            c.text_field(field, out)
        })
    }

    /// A text field's value: a string (kept) or `null`.
    fn text_field(&mut self, field: Field, out: &mut ScannedChunk<'a>) -> Option<()> {
        if self.peek() == Some(b'n') {
            return self.null();
        }
        let (token, text) = self.string()?;
        out.fields.push(ScannedField { field, token, text });
        Some(())
    }

    fn null(&mut self) -> Option<()> {
        let end = self.i + 4;
        (self.s.get(self.i..end)? == b"null").then(|| self.i = end)
    }

    /// A non-negative integer without sign, fraction or exponent.
    fn plain_u64(&mut self) -> Option<u64> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        let digits = self.src.get(start..self.i)?;
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
            return None;
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        digits.parse().ok()
    }

    /// A string at the cursor: its token range and its decoded text.
    fn string(&mut self) -> Option<(Range<usize>, Cow<'a, str>)> {
        let start = self.i;
        self.eat(b'"')?;
        let body = self.i;
        // The plain run: no escape, no control character.
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    let text = self.src.get(body..self.i)?;
                    self.i += 1;
                    return Some((start..self.i, Cow::Borrowed(text)));
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => self.i += 1,
            }
        }
        let mut text = String::from(self.src.get(body..self.i)?);
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some((start..self.i, Cow::Owned(text)));
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' => text.push('"'),
                        b'\\' => text.push('\\'),
                        b'/' => text.push('/'),
                        b'b' => text.push('\u{8}'),
                        b'f' => text.push('\u{c}'),
                        b'n' => text.push('\n'),
                        b'r' => text.push('\r'),
                        b't' => text.push('\t'),
                        b'u' => text.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    let from = self.i;
                    while self
                        .peek()
                        .is_some_and(|b| !matches!(b, b'"' | b'\\' | 0..=0x1f))
                    {
                        self.i += 1;
                    }
                    text.push_str(self.src.get(from..self.i)?);
                }
            }
        }
    }

    /// The character of a `\u` escape whose `\u` was read (a surrogate
    /// pair as one character; a lone surrogate refused).
    fn unicode_escape(&mut self) -> Option<char> {
        let hi = self.hex4()?;
        if (0xDC00..0xE000).contains(&hi) {
            return None;
        }
        if (0xD800..0xDC00).contains(&hi) {
            self.eat(b'\\')?;
            self.eat(b'u')?;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return None;
            }
            return char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
        }
        char::from_u32(hi)
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.src.get(self.i..self.i + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// Skips (and validates) one value at nesting `depth`.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => {
                self.i += 1;
                self.ws();
                if self.eat(b'}').is_some() {
                    return Some(());
                }
                loop {
                    self.ws();
                    self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    self.skip_value(depth + 1)?;
                    self.ws();
                    if self.eat(b',').is_none() {
                        return self.eat(b'}');
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.ws();
                if self.eat(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.ws();
                    self.skip_value(depth + 1)?;
                    self.ws();
                    if self.eat(b',').is_none() {
                        return self.eat(b']');
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.s.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, at most 300 digits.
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        self.eat(b'-');
        let int = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        let n = self.i - int;
        if n == 0 || (n > 1 && self.s.get(int) == Some(&b'0')) {
            return None;
        }
        if self.eat(b'.').is_some() {
            let frac = self.i;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
            }
            if self.i == frac {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) || self.i - start > 300 {
            return None;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_common_chunk_is_read_in_place() {
        let data = r#"{"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 2, "delta": {"role": "assistant", "refusal": null, "content": "a\"b\u00e9\ud83d\ude00"}, "logprobs": {"content": [1, 2.5]}, "finish_reason": null}], "usage": null}"#;
        let Some(c) = scan(data) else {
            panic!("not read")
        };
        assert_eq!(c.index, Some(2));
        assert_eq!(c.fields.len(), 1);
        assert_eq!(c.fields[0].field, Field::Content);
        assert_eq!(c.fields[0].text, "a\"bé😀");
        assert_eq!(
            &data[c.fields[0].token.clone()],
            r#""a\"b\u00e9\ud83d\ude00""#
        );
        assert_eq!(
            &data[c.logprobs.clone().unwrap()],
            r#"{"content": [1, 2.5]}"#
        );
        let mut edits = vec![
            (
                c.fields[0].token.clone(),
                Cow::Owned(json_string("x\n\u{1}")),
            ),
            (c.logprobs.clone().unwrap(), Cow::Borrowed("null")),
        ];
        let out = splice(data, &mut edits).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["choices"][0]["delta"]["content"], "x\n\u{1}");
        assert!(v["choices"][0]["logprobs"].is_null());
        assert_eq!(v["usage"], Value::Null);
        let sorted = scan(r#"{"choices":[{"text":"t","delta":{"reasoning":"r","content":"c"}}]}"#);
        let fields: Vec<Field> = sorted.unwrap().fields.iter().map(|f| f.field).collect();
        assert_eq!(fields, [Field::Text, Field::Content, Field::Reasoning]);
        assert_eq!(scan(r#"{"choices":[]}"#).map(|c| c.index), Some(None));
    }

    /// What a reader gives, written out to compare.
    fn read(c: Option<ScannedChunk<'_>>) -> Option<String> {
        c.map(|c| {
            let fields: Vec<String> = c
                .lone
                .iter()
                .chain(c.fields.iter())
                .map(|f| format!("{:?} {:?} {}", f.field, f.token, f.text))
                .collect();
            format!("{:?} {fields:?} {:?}", c.index, c.logprobs)
        })
    }

    #[test]
    fn a_chunk_like_the_last_one_reads_as_a_fresh_scan_reads_it() {
        let chunk = |text: &str, lp: &str, id: &str| {
            format!(
                r#"{{"id":"{id}","choices":[{{"index":3,"logprobs":{lp},"delta":{{"content":{text}}},"finish_reason":null}}],"z":{lp}}}"#
            )
        };
        let mut reader = ChunkReader::default();
        let events = [
            chunk(r#""The ""#, "null", "a"),
            chunk(r#""comm""#, "null", "a"),
            chunk(r#""a\"b\u00e9\ud83d\ude00""#, "null", "a"),
            chunk(r#""""#, "null", "a"),
            chunk(r#""x""#, r#"{"content":[1]}"#, "a"),
            chunk(r#""xy""#, r#"{"content":[1]}"#, "a"),
            chunk(r#""xy""#, r#"{"content":[1]}"#, "b"),
            chunk("null", "null", "b"),
            chunk(r#""bad	tab""#, "null", "b"),
            chunk(r#""\ud800""#, "null", "b"),
            chunk(r#""ok""#, "null", "b"),
            r#"{"id":"b","choices":[{"index":3,"logprobs":null,"delta":{"content":"ok"},"finish_reason":"stop"}],"z":null}"#.to_string(),
            chunk(r#""ok" "#, "null", "b"),
            chunk(r#""ok""#, "null", "b"),
            chunk(r#""more""#, "null", "b"),
        ];
        let mut hits = 0;
        for e in &events {
            hits += usize::from(reader.same_shape(e).is_some());
            assert_eq!(read(reader.scan(e)), read(scan(e)), "{e}");
        }
        assert_eq!(
            hits, 5,
            "the chunks that differ from the last only in their text"
        );
        // a chunk with two text fields is always scanned
        let two = r#"{"choices":[{"delta":{"content":"a","refusal":"b"}}]}"#;
        assert_eq!(read(reader.scan(two)), read(scan(two)));
        assert!(reader.same_shape(two).is_none());
    }

    #[test]
    fn anything_else_is_left_to_the_json_tree() {
        for data in [
            r#"{"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]}"#,
            r#"{"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[]}}]}"#,
            r#"{"choices":[{"delta":{"content":["part"]}}]}"#,
            r#"{"choices":[{"delta":{"content":"a","content":"b"}}]}"#,
            r#"{"choices":[{"index":1.0,"delta":{}}]}"#,
            r#"{"choices":[{"index":-1,"delta":{}}]}"#,
            r#"{"type":"response.output_text.delta","delta":"x"}"#,
            r#"{"cho\u0069ces":[]}"#,
            r#"{"choices":[],"n":1e400}"#,
            r#"{"choices":[],"s":"\ud800"}"#,
            r#"{"choices":[],"s":"a	b"}"#,
            "{\"choices\":[],\n\"x\":1}",
            r#"{"choices":[]} x"#,
            r#"{"choices":[],}"#,
            r#"{"choices":[{"delta":"x"}]}"#,
            r#"{"choices":[{"delta":{"content":"a"}}],"choices":[]}"#,
            r#"{"choices":[],"n":01}"#,
            "",
        ] {
            assert!(scan(data).is_none(), "{data}");
        }
        let deep = format!(
            r#"{{"choices":[],"x":{}{}}}"#,
            "[".repeat(80),
            "]".repeat(80)
        );
        assert!(scan(&deep).is_none());
    }

    #[test]
    fn what_is_read_here_a_json_tree_reads_the_same() {
        let cases = [
            r#"{"choices":[{"index":0,"delta":{"content":"\/\b\f\n\r\t\\ \u0041"}}]}"#,
            r#"{"choices":[{"text":null,"delta":{"content":null,"refusal":"no"}}],"x":[true,false,null,-0.5,{"a":{}}]}"#,
            r#" { "choices" : [ { "text" : "hi" , "logprobs" : null } ] } "#,
        ];
        for data in cases {
            let c = scan(data).unwrap();
            let v: Value = serde_json::from_str(data).unwrap();
            let choice = &v["choices"][0];
            for f in &c.fields {
                let want = match f.field {
                    Field::Text => &choice["text"],
                    Field::Content => &choice["delta"]["content"],
                    Field::Refusal => &choice["delta"]["refusal"],
                    _ => unreachable!(),
                };
                assert_eq!(want.as_str(), Some(f.text.as_ref()), "{data}");
            }
        }
        for text in ["plain", "q\"b\\s", "\u{0}\u{1f}\u{7f}é\u{2028}"] {
            let token = json_string(text);
            assert_eq!(token, serde_json::to_string(text).unwrap());
        }
    }
}
