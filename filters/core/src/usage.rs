//! Token usage from responses, read as the body streams past (never held):
//! the `usage` object of a JSON completion, or of the final SSE chunk.

use serde_json::Value;

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
    sse: bool,
    buf: Vec<u8>,
    overflow: bool,
    found: Option<Usage>,
}

impl UsageScanner {
    /// `sse`: the response is `text/event-stream`.
    pub fn new(sse: bool) -> Self {
        UsageScanner {
            sse,
            ..Default::default()
        }
    }

    /// True when this scanner reads an SSE stream.
    pub fn is_sse(&self) -> bool {
        self.sse
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if self.overflow {
            return;
        }
        self.buf.extend_from_slice(chunk);
        if !self.sse {
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
        if !self.sse && !self.overflow {
            self.found = usage_of(&self.buf);
        }
        self.buf = Vec::new();
        self.found
    }
}

/// The `usage` object of a completion or chunk, parsing only that object:
/// the last `"usage"` key (a key: followed by `:`) and the value after it.
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
    let mut values =
        serde_json::Deserializer::from_slice(&json[value_start..]).into_iter::<Value>();
    let u = values.next()?.ok().filter(Value::is_object)?;
    Some(Usage {
        prompt_tokens: u.get("prompt_tokens").and_then(Value::as_u64).unwrap_or(0),
        completion_tokens: u
            .get("completion_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
    })
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
}
