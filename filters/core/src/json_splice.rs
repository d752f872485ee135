//! Writes an edited JSON document as its original text with only the values
//! that changed replaced, so a rewrite (a redaction, an arm's `model`) keeps
//! every byte it did not mean to change: numbers exactly as written
//! (`1e0`, `0.70`, integers past `u64`), string escapes, key order and
//! whitespace. A backend then parses the same document the filter judged,
//! apart from the strings the filter rewrote.

use serde_json::Value;

/// `original` (the JSON text that was parsed and then edited into `edited`)
/// with each value that differs from `edited` replaced by `edited`'s
/// serialisation. Members `edited` adds to an object are appended before its
/// closing brace; an array whose length changed, or a value whose type
/// changed, is written whole from `edited`. `None` when `original` is not a
/// single JSON value or `edited` dropped a member (the caller then writes
/// `edited` whole).
pub fn splice(original: &str, edited: &Value) -> Option<String> {
    let mut s = Splicer {
        src: original,
        pos: 0,
        out: String::with_capacity(original.len() + 64),
    };
    s.copy_ws();
    s.value(edited)?;
    s.copy_ws();
    (s.pos == original.len()).then_some(s.out)
}

/// The bytes to send for `edited`, parsed from `original`: the splice, or,
/// when the edit removed members (a blocked output's `tool_calls`), `edited`
/// serialised whole.
pub fn rewrite(original: &[u8], edited: &Value) -> Option<Vec<u8>> {
    std::str::from_utf8(original)
        .ok()
        .and_then(|text| splice(text, edited))
        .map(String::into_bytes)
        .or_else(|| serde_json::to_vec(edited).ok())
}

struct Splicer<'a> {
    src: &'a str,
    pos: usize,
    out: String,
}

impl Splicer<'_> {
    fn peek(&self) -> u8 {
        self.src.as_bytes().get(self.pos).copied().unwrap_or(0)
    }

    fn copy_ws(&mut self) {
        let start = self.pos;
        while matches!(self.peek(), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        self.out
            .push_str(self.src.get(start..self.pos).unwrap_or(""));
    }

    fn copy_byte(&mut self, expected: u8) -> Option<()> {
        (self.peek() == expected).then_some(())?;
        self.out.push(char::from(expected));
        self.pos += 1;
        Some(())
    }

    /// Writes `edited` serialised in place of the value at `pos`.
    fn replace(&mut self, edited: &Value) -> Option<()> {
        self.pos = skip_value(self.src.as_bytes(), self.pos)?;
        self.out.push_str(&serde_json::to_string(edited).ok()?);
        Some(())
    }

    fn value(&mut self, edited: &Value) -> Option<()> {
        match (self.peek(), edited) {
            (b'{', Value::Object(map)) => self.object(map),
            (b'[', Value::Array(items)) => {
                if count_elements(self.src.as_bytes(), self.pos)? == items.len() {
                    self.array(items)
                } else {
                    self.replace(edited)
                }
            }
            (b'{' | b'[', _) => self.replace(edited),
            _ => self.scalar(edited),
        }
    }

    /// A string, number, `true`, `false` or `null`: copied when `edited`
    /// holds the same value, replaced otherwise.
    fn scalar(&mut self, edited: &Value) -> Option<()> {
        let start = self.pos;
        let end = skip_value(self.src.as_bytes(), start)?;
        let token = self.src.get(start..end)?;
        let same = serde_json::from_str::<Value>(token).is_ok_and(|v| &v == edited);
        if same {
            self.out.push_str(token);
            self.pos = end;
            Some(())
        } else {
            self.replace(edited)
        }
    }

    fn object(&mut self, map: &serde_json::Map<String, Value>) -> Option<()> {
        let start = self.pos;
        self.copy_byte(b'{')?;
        let mut seen = 0usize;
        let mut first = true;
        loop {
            self.copy_ws();
            if self.peek() == b'}' {
                break;
            }
            if !first {
                self.copy_byte(b',')?;
                self.copy_ws();
            }
            first = false;
            let key_start = self.pos;
            let key_end = skip_value(self.src.as_bytes(), key_start)?;
            let key_token = self.src.get(key_start..key_end)?;
            let key: String = serde_json::from_str(key_token).ok()?;
            self.out.push_str(key_token);
            self.pos = key_end;
            self.copy_ws();
            self.copy_byte(b':')?;
            self.copy_ws();
            let member = map.get(&key)?;
            self.value(member)?;
            seen += 1;
        }
        if seen > map.len() {
            return None;
        }
        // Members the edit added (keys are unique: duplicates were refused).
        if seen < map.len() {
            let original_keys = object_keys(self.src, start)?;
            for (k, v) in map {
                if original_keys.iter().any(|o| o == k) {
                    continue;
                }
                if !first {
                    self.out.push(',');
                }
                first = false;
                self.out.push_str(&serde_json::to_string(k).ok()?);
                self.out.push(':');
                self.out.push_str(&serde_json::to_string(v).ok()?);
            }
        }
        self.copy_byte(b'}')
    }

    fn array(&mut self, items: &[Value]) -> Option<()> {
        self.copy_byte(b'[')?;
        for (index, item) in items.iter().enumerate() {
            self.copy_ws();
            if index > 0 {
                self.copy_byte(b',')?;
                self.copy_ws();
            }
            self.value(item)?;
        }
        self.copy_ws();
        self.copy_byte(b']')
    }
}

/// The keys of the object whose `{` is at `start`.
fn object_keys(src: &str, start: usize) -> Option<Vec<String>> {
    let bytes = src.as_bytes();
    let mut keys = Vec::new();
    let mut i = start + 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i).copied()? {
            b'}' => return Some(keys),
            b',' => {
                i = skip_ws(bytes, i + 1);
            }
            _ => {}
        }
        let key_end = skip_value(bytes, i)?;
        keys.push(serde_json::from_str(src.get(i..key_end)?).ok()?);
        i = skip_ws(bytes, key_end);
        (bytes.get(i) == Some(&b':')).then_some(())?;
        i = skip_value(bytes, skip_ws(bytes, i + 1))?;
    }
}

/// How many elements the array whose `[` is at `start` holds.
fn count_elements(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = skip_ws(bytes, start + 1);
    if bytes.get(i) == Some(&b']') {
        return Some(0);
    }
    let mut count = 0;
    loop {
        i = skip_ws(bytes, skip_value(bytes, i)?);
        count += 1;
        match bytes.get(i).copied()? {
            b',' => i = skip_ws(bytes, i + 1),
            b']' => return Some(count),
            _ => return None,
        }
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end of the JSON value starting at `start` (no leading whitespace).
/// Iterative, so nesting depth costs no stack.
fn skip_value(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    loop {
        match bytes.get(i).copied()? {
            b'"' => {
                i += 1;
                loop {
                    match bytes.get(i).copied()? {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            _ if depth == 0 => {
                // a number or a literal
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
                {
                    i += 1;
                }
                return (i > start).then_some(i);
            }
            _ => i += 1,
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn edit(original: &str, f: impl FnOnce(&mut Value)) -> String {
        let mut v: Value = serde_json::from_str(original).unwrap();
        f(&mut v);
        let out = splice(original, &v).expect("spliced");
        assert_eq!(
            serde_json::from_str::<Value>(&out).unwrap(),
            v,
            "the splice parses to the edited value"
        );
        out
    }

    #[test]
    fn unchanged_documents_come_back_byte_for_byte() {
        for doc in [
            r#"{"a":1e0,"b":[1.0, -0, 12345678901234567890123],"c":"\u00e9\/","d":{"x":null}}"#,
            " [ true , false,null ] ",
            r#""just a string""#,
            "{}",
            "[]",
            "  42  ",
        ] {
            assert_eq!(edit(doc, |_| {}), doc);
        }
    }

    #[test]
    fn only_changed_strings_are_rewritten() {
        let original = r#"{"seed": 12345678901234567890123, "temperature": 0.70,
  "messages": [ {"role":"user", "content": "mail jane@example.com \u00e9"} ], "n": 1e0}"#;
        let out = edit(original, |v| {
            v["messages"][0]["content"] = Value::String("mail [EMAIL] é".into());
        });
        assert_eq!(
            out,
            r#"{"seed": 12345678901234567890123, "temperature": 0.70,
  "messages": [ {"role":"user", "content": "mail [EMAIL] é"} ], "n": 1e0}"#
        );
    }

    #[test]
    fn added_members_and_resized_arrays() {
        let out = edit(
            r#"{"n": 1e0, "messages": [{"role":"user","content":"hi"}]}"#,
            |v| {
                v["model"] = Value::String("large".into());
                if let Some(m) = v["messages"].as_array_mut() {
                    m.insert(0, serde_json::json!({"role":"system","content":"be brief"}));
                }
            },
        );
        assert_eq!(
            out,
            r#"{"n": 1e0, "messages": [{"content":"be brief","role":"system"},{"content":"hi","role":"user"}],"model":"large"}"#
        );
        assert_eq!(
            edit("{ }", |v| v["model"] = Value::String("m".into())),
            r#"{ "model":"m"}"#
        );
        assert_eq!(
            edit(r#"{"a":[1,2]}"#, |v| v["a"] = Value::String("x".into())),
            r#"{"a":"x"}"#
        );
    }

    #[test]
    fn removed_members_and_garbage_are_refused() {
        let original = r#"{"a":1,"b":2}"#;
        let mut v: Value = serde_json::from_str(original).unwrap();
        v.as_object_mut().unwrap().remove("b");
        assert_eq!(splice(original, &v), None);
        assert_eq!(splice("{", &serde_json::json!({})), None);
        assert_eq!(splice("[1] [2]", &serde_json::json!([1])), None);
        assert_eq!(splice("", &Value::Null), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100;
        let doc = format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
        let mut v: Value = serde_json::from_str(&doc).unwrap();
        let mut node = &mut v;
        for _ in 0..depth {
            node = &mut node[0];
        }
        *node = Value::String("y".into());
        assert_eq!(splice(&doc, &v).unwrap(), doc.replace('x', "y"));
    }

    /// Random documents, random string edits: the splice always parses to
    /// the edited value, and with no edit it is the original byte for byte.
    #[test]
    fn random_documents_and_edits() {
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..3000 {
            let doc = random_doc(&mut rng, 0);
            let mut v: Value = serde_json::from_str(&doc).unwrap();
            assert_eq!(splice(&doc, &v).as_deref(), Some(doc.as_str()));
            let mut strings = Vec::new();
            collect_strings(&mut v, &mut strings);
            for s in strings {
                if rng.bool() {
                    *s = format!("[{}]", s.len());
                }
            }
            let out = splice(&doc, &v).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), v, "{doc}");
        }
    }

    fn collect_strings<'a>(v: &'a mut Value, out: &mut Vec<&'a mut String>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(items) => items.iter_mut().for_each(|i| collect_strings(i, out)),
            Value::Object(map) => map.values_mut().for_each(|i| collect_strings(i, out)),
            _ => {}
        }
    }

    fn random_doc(rng: &mut fastrand::Rng, depth: usize) -> String {
        const WS: &[&str] = &["", " ", "\n  ", "\t"];
        let ws = |rng: &mut fastrand::Rng| WS[rng.usize(..WS.len())];
        match if depth > 3 { rng.u8(..4) } else { rng.u8(..6) } {
            0 => ["1e0", "-0.50", "12345678901234567890123", "7"][rng.usize(..4)].into(),
            1 => ["true", "false", "null"][rng.usize(..3)].into(),
            2 | 3 => [r#""a\u00e9\/b""#, r#""plain""#, r#""q\"x""#, r#""""#][rng.usize(..4)].into(),
            4 => {
                let n = rng.usize(..4);
                let items: Vec<String> = (0..n)
                    .map(|_| format!("{}{}{}", ws(rng), random_doc(rng, depth + 1), ws(rng)))
                    .collect();
                format!("[{}]", items.join(","))
            }
            _ => {
                let n = rng.usize(..4);
                let items: Vec<String> = (0..n)
                    .map(|i| {
                        format!(
                            "{}\"k{i}\"{}:{}{}",
                            ws(rng),
                            ws(rng),
                            ws(rng),
                            random_doc(rng, depth + 1)
                        )
                    })
                    .collect();
                format!("{{{}}}", items.join(","))
            }
        }
    }
}
