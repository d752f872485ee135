//! Screening: finds PII, banned content and prompt injection in texts, and
//! decides per finding whether to block, redact or flag.

pub mod pii;
pub mod span;

pub use span::Span;
