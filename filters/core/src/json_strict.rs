//! JSON parsing that refuses duplicate object keys.
//!
//! Parsers disagree on `{"messages": [...], "messages": [...]}`: serde_json
//! keeps the last copy, others keep the first. A body the filter judged by
//! one copy could reach a backend that reads the other, so a document with
//! a duplicate key anywhere is refused as unscreenable, as a WAF would.
//! Keys are compared decoded (`"a"` and `"\u0061"` are the same key). One
//! pass, building the same `serde_json::Value` a plain parse would.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Why a document was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrictError {
    /// Not JSON (or not UTF-8).
    Invalid,
    /// Valid JSON with the same key twice in one object.
    DuplicateKey,
}

/// Parses `text`, refusing duplicate keys.
pub fn from_str(text: &str) -> Result<Value, StrictError> {
    from_slice(text.as_bytes())
}

/// Parses `bytes`, refusing duplicate keys.
pub fn from_slice(bytes: &[u8]) -> Result<Value, StrictError> {
    match serde_json::from_slice::<Strict>(bytes) {
        Ok(Strict(v)) => Ok(v),
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(StrictError::DuplicateKey),
        Err(_) => Err(StrictError::Invalid),
    }
}

const DUPLICATE: &str = "duplicate key";

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Strict::deserialize(d).map(|s| s.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(value) = map.next_value()?;
            if out.insert(key, value).is_some() {
                return Err(de::Error::custom(DUPLICATE));
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_same_value_as_a_plain_parse() {
        for doc in [
            r#"{"a":[1,-2,3.5,1e300,18446744073709551615,true,null,"x\u00e9"],"b":{"c":{}}}"#,
            "[]",
            "\"s\"",
            "12345678901234567890123",
        ] {
            let plain: Value = serde_json::from_str(doc).unwrap();
            assert_eq!(from_str(doc), Ok(plain), "{doc}");
        }
    }

    #[test]
    fn duplicate_keys_anywhere_are_refused() {
        for doc in [
            r#"{"messages":[{"content":"pii"}],"messages":[{"content":"ok"}]}"#,
            r#"{"a":{"b":1,"b":2}}"#,
            r#"[{"x":1},{"y":1,"y":1}]"#,
            r#"{"a":1,"\u0061":2}"#,
        ] {
            assert_eq!(from_str(doc), Err(StrictError::DuplicateKey), "{doc}");
        }
        assert!(from_str(r#"{"a":1,"A":2,"b":{"a":3}}"#).is_ok());
    }

    #[test]
    fn invalid_json_is_invalid_even_when_it_mentions_duplicates() {
        assert_eq!(from_str("{"), Err(StrictError::Invalid));
        assert_eq!(
            from_str(r#"{"duplicate key":1,}"#),
            Err(StrictError::Invalid)
        );
        assert_eq!(from_slice(b"\xff"), Err(StrictError::Invalid));
        assert_eq!(from_str(""), Err(StrictError::Invalid));
    }
}
