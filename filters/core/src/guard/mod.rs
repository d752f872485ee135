//! Guard models: external classifiers the policy asks about a message
//! (OpenAI-compatible moderations, vLLM's classify API, Llama Guard served as
//! chat completions, Presidio's analyzer).
//!
//! This module is host-free: it says what to send ([`protocol::request_body`]),
//! reads what comes back ([`protocol::parse_reply`]), maps the guard's labels
//! and scores to our actions ([`verdict`]) and remembers verdicts per message
//! ([`cache`]). The adapter makes the calls (Envoy `dispatch_http_call` to the
//! guard's cluster) while the body is held.

pub mod cache;
pub mod protocol;
pub mod round;
pub mod spec;
pub mod texts;
pub mod verdict;
pub mod windows;

pub use protocol::{parse_reply, request_body, Assessment, EntitySpan, Query, ReplyError};
pub use spec::{ApiKey, GuardSpec, Protocol, Role, StreamMode};
pub use verdict::{Decision, GuardAction, VerdictRule};
