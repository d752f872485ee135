//! Screening: finds PII, banned content and prompt injection in texts, and
//! decides per finding whether to block, redact or flag. Requests are
//! screened whole ([`body`]); responses whole or, streamed, event by event
//! ([`stream`]).

pub mod body;
pub mod categories;
pub mod config;
pub mod engine;
mod hold;
pub mod json_stream;
mod matcher_cache;
pub mod phrases;
pub mod pii;
pub mod redact;
pub mod span;
pub mod stream;
pub mod text;

pub use engine::{Direction, Finding, Outcome, Screener, Tally, TextVerdict};
pub use span::Span;
