//! Token usage from responses, read as the body streams past (never held):
//! the `usage` object of a JSON completion, or of the final SSE chunk.

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

    /// True when this scanner reads an SSE stream (false while undecided).
    pub fn is_sse(&self) -> bool {
        self.sse == Some(true)
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if self.overflow {
            return;
        }
        if self.sse.is_none() {
            self.sse = chunk
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .map(|b| *b != b'{');
        }
        self.buf.extend_from_slice(chunk);
        if self.sse != Some(true) {
            self.overflow = self.buf.len() > MAX_JSON_COPY;
            if self.overflow {
                self.buf = Vec::new();
            }
            return;
        }
        let Some(last_nl) = self.buf.iter().rposition(|b| *b == b'\n') else {
            if self.buf.len() > MAX_SSE_LINE {
                self.buf.clear();
            }
            return;
        };
        let complete: Vec<u8> = self.buf.drain(..=last_nl).collect();
        for line in complete.split(|b| *b == b'\n') {
            if let Some(data) = line.strip_prefix(b"data:") {
                if let Some(u) = usage_of(data) {
                    self.found = Some(u);
                }
            }
        }
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
fn usage_of(json: &[u8]) -> Option<Usage> {
    const KEY: &[u8] = b"\"usage\"";
    let mut end = json.len();
    let value_start = loop {
        let at = json[..end].windows(KEY.len()).rposition(|w| w == KEY)?;
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
