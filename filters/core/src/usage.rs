//! Token usage from responses, read as the body streams past (never held):
//! the `usage` object of a JSON completion, or of the final SSE chunk.
//!
//! An event stream carries usage only when the request asked for it
//! (`stream_options.include_usage`), so a stream is read for usage only
//! when the request body may have asked ([`UsageAsk`]); a server that adds
//! usage to streams nobody asked for (vLLM's
//! `--enable-force-include-usage`) is not counted then. A JSON completion
//! always carries usage and is always read.

/// Prompt and completion tokens reported by the model server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// Largest JSON response copied for usage; larger ones report none.
const MAX_JSON_COPY: usize = 4 << 20;
/// Longest SSE line kept while waiting for its end.
const MAX_SSE_LINE: usize = 1 << 20;

/// The key a request names to ask for usage in its stream.
const ASK_KEY: &[u8] = b"include_usage";

/// Whether a request body may ask for usage in its event stream, read as
/// its chunks pass: true once it holds `include_usage`, or any `\u` escape
/// (a key may be spelled with escapes), anywhere. A false positive only
/// costs reading the stream; the body is not parsed.
#[derive(Debug, Default, Clone)]
pub struct UsageAsk {
    /// The end of the previous chunk, for a marker cut between chunks.
    tail: Vec<u8>,
    asked: bool,
}

impl UsageAsk {
    /// True when `body` (the whole request body) may ask for stream usage.
    pub fn in_body(body: &[u8]) -> bool {
        // One pass over the two bytes a marker can be checked from.
        memchr::memchr2_iter(b'_', b'\\', body).any(|i| match body.get(i) {
            Some(b'\\') => body.get(i + 1) == Some(&b'u'),
            _ => i >= 7 && body.get(i - 7..i + 6) == Some(ASK_KEY),
        })
    }

    /// Takes the next request body chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.asked {
            return;
        }
        let keep = ASK_KEY.len() - 1;
        let old = self.tail.len();
        let head = chunk.get(..chunk.len().min(ASK_KEY.len())).unwrap_or(chunk);
        self.tail.extend_from_slice(head);
        self.asked = UsageAsk::in_body(&self.tail) || UsageAsk::in_body(chunk);
        if chunk.len() >= keep {
            self.tail.clear();
            self.tail
                .extend_from_slice(chunk.get(chunk.len() - keep..).unwrap_or_default());
        } else {
            // the old tail and the whole (short) chunk: keep their last bytes
            let end = old + chunk.len();
            self.tail.truncate(end);
            self.tail.drain(..end.saturating_sub(keep));
        }
    }

    /// True once a chunk seen may ask for stream usage.
    pub fn asked(&self) -> bool {
        self.asked
    }
}

/// Feeds on response chunks; this is a chunk, not the whole body.
#[derive(Debug, Default)]
pub struct UsageScanner {
    /// `None` until the body's first byte tells (see [`UsageScanner::sniffing`]).
    sse: Option<bool>,
    buf: Vec<u8>,
    overflow: bool,
    found: Option<Usage>,
}

impl UsageScanner {
    /// `sse`: the response is `text/event-stream`.
    pub fn new(sse: bool) -> Self {
        UsageScanner {
            sse: Some(sse),
            ..Default::default()
        }
    }

    /// A scanner that tells JSON from SSE by the body itself: a JSON
    /// completion starts with `{`, an event stream with a field name
    /// (`data:`, `event:`) or a `:` comment. This spares a response header read
    /// (a host call that allocates in the VM) when only usage is wanted.
    pub fn sniffing() -> Self {
        UsageScanner::default()
    }

    /// Tells JSON from SSE by `chunk`'s first byte, if still undecided;
    /// true when the body is an event stream. Reads nothing else.
    pub fn sniff(&mut self, chunk: &[u8]) -> bool {
        if self.sse.is_none() {
            self.sse = chunk
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .map(|b| *b != b'{');
        }
        self.is_sse()
    }

    /// True when this scanner reads an SSE stream (false while undecided).
    pub fn is_sse(&self) -> bool {
        self.sse == Some(true)
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if self.overflow {
            return;
        }
        self.sniff(chunk);
        self.buf.extend_from_slice(chunk);
        if self.sse != Some(true) {
            self.overflow = self.buf.len() > MAX_JSON_COPY;
            if self.overflow {
                self.buf = Vec::new();
            }
            return;
        }
        let Some(last_nl) = memchr::memrchr(b'\n', &self.buf) else {
            if self.buf.len() > MAX_SSE_LINE {
                self.buf.clear();
            }
            return;
        };
        let complete = self.buf.get(..=last_nl).unwrap_or_default();
        // Only lines that name `"usage"` are read (one search over the chunk).
        if memchr::memmem::find(complete, USAGE_KEY).is_some() {
            for line in complete.split(|b| *b == b'\n') {
                if let Some(data) = line.strip_prefix(b"data:") {
                    if let Some(u) = usage_of(data) {
                        self.found = Some(u);
                    }
                }
            }
        }
        self.buf.drain(..=last_nl);
    }

    /// The usage seen, once the body has ended.
    pub fn finish(&mut self) -> Option<Usage> {
        if self.sse != Some(true) && !self.overflow {
            self.found = usage_of(&self.buf);
        }
        self.buf = Vec::new();
        self.found
    }
}

/// The `usage` object of a completion or chunk, reading only that object:
/// the last `"usage"` key (a key: followed by `:`) and the value after it.
/// A small scanner rather than a JSON tree: this runs on every response of
/// an experiment, and building a map for two numbers cost more than the rest
/// of the response path.
/// The key of the usage object.
const USAGE_KEY: &[u8] = b"\"usage\"";

fn usage_of(json: &[u8]) -> Option<Usage> {
    const KEY: &[u8] = USAGE_KEY;
    let mut end = json.len();
    let value_start = loop {
        let at = memchr::memmem::rfind(json.get(..end)?, KEY)?;
        let rest = &json[at + KEY.len()..];
        let colon = rest.iter().position(|b| !b.is_ascii_whitespace());
        if let Some(i) = colon.filter(|i| rest[*i] == b':') {
            break at + KEY.len() + i + 1;
        }
        end = at;
    };
    let mut c = Cursor {
        s: &json[value_start..],
        i: 0,
    };
    c.ws();
    c.eat(b'{')?;
    let mut usage = Usage::default();
    loop {
        c.ws();
        if c.eat(b'}').is_some() {
            return Some(usage);
        }
        let key = c.string()?;
        c.ws();
        c.eat(b':')?;
        c.ws();
        let slot = match key {
            b"prompt_tokens" => Some(&mut usage.prompt_tokens),
            b"completion_tokens" => Some(&mut usage.completion_tokens),
            _ => None,
        };
        let start = c.i;
        c.skip_value()?;
        if let Some(slot) = slot {
            // Counts are plain integers; anything else (null, 1.5) counts 0.
            *slot = std::str::from_utf8(&c.s[start..c.i])
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
        }
        c.ws();
        if c.eat(b',').is_none() {
            c.eat(b'}')?;
            return Some(usage);
        }
    }
}

/// A forward reader over JSON bytes that skips values without building them.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.i += 1)
    }

    /// A string's raw bytes (escapes left as they are).
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
        let s: &'a [u8] = self.s;
        let raw = s.get(start..self.i)?;
        self.i += 1;
        Some(raw)
    }

    /// Skips one value: a string, an object or array (nesting counted), or a
    /// number or literal (up to the next delimiter).
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.i += 1;
                }
                (self.i > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_request_asks_for_stream_usage_wherever_its_chunks_cut() {
        let asked = br#"{"model":"m","stream":true,"stream_options":{"include_usage":true}}"#;
        let escaped = br#"{"stream":true,"stream_options":{"include\u005fusage":true}}"#;
        let plain =
            br#"{"model":"m","stream":true,"messages":[{"role":"user","content":"use it"}]}"#;
        for (body, want) in [
            (&asked[..], true),
            (&escaped[..], true),
            (&plain[..], false),
        ] {
            assert_eq!(UsageAsk::in_body(body), want);
            for size in [1, 2, 5, 12, 13, 14, body.len()] {
                let mut ask = UsageAsk::default();
                body.chunks(size).for_each(|c| ask.feed(c));
                assert_eq!(ask.asked(), want, "{size}");
            }
        }
    }

    #[test]
    fn json_usage_across_chunks() {
        let body = br#"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7}}"#;
        let mut s = UsageScanner::new(false);
        body.chunks(4).for_each(|c| s.feed(c));
        assert_eq!(
            s.finish(),
            Some(Usage {
                prompt_tokens: 5,
                completion_tokens: 7
            })
        );
    }

    #[test]
    fn sse_usage_in_the_final_chunk_split_anywhere() {
        let stream = b"data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n\
data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n";
        for size in [1, 3, 17, stream.len()] {
            let mut s = UsageScanner::new(true);
            stream.chunks(size).for_each(|c| s.feed(c));
            assert_eq!(
                s.finish(),
                Some(Usage {
                    prompt_tokens: 3,
                    completion_tokens: 2
                }),
                "{size}"
            );
        }
        let mut tricky = UsageScanner::new(false);
        tricky.feed(br#"{"choices":[{"message":{"content":"\"usage\": {\"prompt_tokens\": 99}","role":"usage"}}],"usage" : {"prompt_tokens":1,"completion_tokens":2}}"#);
        assert_eq!(
            tricky.finish(),
            Some(Usage {
                prompt_tokens: 1,
                completion_tokens: 2
            })
        );
        let mut none = UsageScanner::new(true);
        none.feed(b"data: {\"usage\":null}\n\ndata: [DONE]\n\n");
        assert_eq!(none.finish(), None);
    }
    #[test]
    fn usage_objects_with_details_odd_values_and_damage() {
        let read = |body: &str| {
            let mut s = UsageScanner::new(false);
            s.feed(body.as_bytes());
            s.finish().map(|u| (u.prompt_tokens, u.completion_tokens))
        };
        let vllm = r#"{"usage":{"prompt_tokens":12,"total_tokens":19,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":3,"x":[1,{"}":"]"}]}}}"#;
        assert_eq!(read(vllm), Some((12, 7)));
        assert_eq!(
            read(r#"{"usage": { "prompt_tokens" : 2 , "completion_tokens":null }}"#),
            Some((2, 0))
        );
        assert_eq!(
            read(r#"{"usage":{"prompt_tokens":1.5,"completion_tokens":"4"}}"#),
            Some((0, 0))
        );
        assert_eq!(
            read(r#"{"usage":{"a\"b":"c\\","completion_tokens":3}}"#),
            Some((0, 3))
        );
        assert_eq!(read(r#"{"usage":{}}"#), Some((0, 0)));
        for broken in [
            r#"{"usage":"#,
            r#"{"usage":{"prompt_tokens""#,
            r#"{"usage":{"prompt_tokens":"#,
            r#"{"usage":{"x":{"y":[}"#,
            r#"{"usage":{"x":"\"#,
            r#"{"usage":[1]}"#,
            r#"{"usage":null}"#,
        ] {
            assert_eq!(read(broken), None, "{broken}");
        }
    }

    #[test]
    fn sniffing_tells_json_from_sse_by_the_first_byte() {
        let json = b"\n {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6}}";
        let sse = b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6}}\n\ndata: [DONE]\n\n";
        let comment = b": keep-alive\n\nevent: x\ndata: {\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6}}\n\n";
        let want = Some(Usage {
            prompt_tokens: 4,
            completion_tokens: 6,
        });
        for (body, sse_expected) in [(&json[..], false), (&sse[..], true), (&comment[..], true)] {
            for size in [1, 2, 5, body.len()] {
                let mut s = UsageScanner::sniffing();
                body.chunks(size).for_each(|c| s.feed(c));
                assert_eq!(s.is_sse(), sse_expected, "{size}");
                assert_eq!(s.finish(), want, "{size}");
            }
        }
        let mut empty = UsageScanner::sniffing();
        empty.feed(b"");
        assert_eq!(empty.finish(), None);
    }
}
