//! Strict reading of JSON objects: every field is either known or refused
//! with its path and the names that were expected.

use super::error::PolicyError;
use serde_json::{Map, Value};

/// Joins a parent path and a field name: `routes[1]` + `match` → `routes[1].match`.
pub fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    }
}

/// Names a JSON value's type the way a policy author would say it.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object whose field names have been checked against a closed list.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    /// Accepts `value` if it is an object whose fields are all in `known`.
    pub fn new(value: &'a Value, path: &str, known: &[&str]) -> Result<Self, PolicyError> {
        let map = value.as_object().ok_or_else(|| {
            PolicyError::new(
                path,
                format!("expected an object, found {}", type_name(value)),
            )
        })?;
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(PolicyError::new(
                join(path, unknown),
                format!("unknown field, expected one of: {}", known.join(", ")),
            ));
        }
        Ok(Obj {
            map,
            path: path.to_string(),
        })
    }

    /// The path of one of this object's fields.
    pub fn field_path(&self, field: &str) -> String {
        join(&self.path, field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    pub fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field)
    }

    /// True when no field of the object is set.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn typed<T>(
        &self,
        field: &str,
        want: &str,
        pick: impl Fn(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, PolicyError> {
        match self.map.get(field) {
            None => Ok(None),
            Some(v) => pick(v).map(Some).ok_or_else(|| {
                PolicyError::new(
                    self.field_path(field),
                    format!("expected {want}, found {}", type_name(v)),
                )
            }),
        }
    }

    pub fn opt_str(&self, field: &str) -> Result<Option<&'a str>, PolicyError> {
        self.typed(field, "a string", |v| v.as_str())
    }

    /// A string that must not be empty.
    pub fn opt_nonempty_str(&self, field: &str) -> Result<Option<&'a str>, PolicyError> {
        match self.opt_str(field)? {
            Some("") => Err(PolicyError::new(
                self.field_path(field),
                "must not be empty",
            )),
            other => Ok(other),
        }
    }

    pub fn opt_bool(&self, field: &str) -> Result<Option<bool>, PolicyError> {
        self.typed(field, "a boolean", |v| v.as_bool())
    }

    /// A whole number within `min..=max`.
    pub fn opt_u64_in(&self, field: &str, min: u64, max: u64) -> Result<Option<u64>, PolicyError> {
        let n = self.typed(field, "a whole number", |v| v.as_u64())?;
        match n {
            Some(n) if n < min || n > max => Err(PolicyError::new(
                self.field_path(field),
                format!("must be between {min} and {max}, found {n}"),
            )),
            other => Ok(other),
        }
    }

    /// A number within `min..=max`.
    pub fn opt_f64_in(&self, field: &str, min: f64, max: f64) -> Result<Option<f64>, PolicyError> {
        let n = self.typed(field, "a number", |v| v.as_f64())?;
        match n {
            Some(n) if n < min || n > max => Err(PolicyError::new(
                self.field_path(field),
                format!("must be between {min} and {max}, found {n}"),
            )),
            other => Ok(other),
        }
    }

    pub fn opt_array(&self, field: &str) -> Result<Option<&'a Vec<Value>>, PolicyError> {
        self.typed(field, "an array", |v| v.as_array())
    }

    /// One of a closed set of string values.
    pub fn opt_enum(&self, field: &str, allowed: &[&str]) -> Result<Option<&'a str>, PolicyError> {
        match self.opt_str(field)? {
            Some(s) if !allowed.contains(&s) => Err(PolicyError::new(
                self.field_path(field),
                format!(
                    "unknown value \"{s}\", expected one of: {}",
                    allowed.join(", ")
                ),
            )),
            other => Ok(other),
        }
    }
}
