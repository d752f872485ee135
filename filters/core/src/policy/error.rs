//! The one error a policy document can produce: where, and why.

use std::fmt;

/// A policy document was refused. `path` points at the offending value
/// (`routes[2].match.prefx`), `reason` says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub path: String,
    pub reason: String,
}

impl PolicyError {
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        PolicyError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "policy: {}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for PolicyError {}
