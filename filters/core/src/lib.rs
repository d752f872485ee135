//! llm-policy core: every decision the filter takes, with no host calls, so
//! that it is tested natively and, compiled to wasm32, under a wasm engine.

pub mod ab;
pub mod breaker;
pub mod canary;
mod cold_sort;
pub mod exchange;
pub mod flow;
#[doc(hidden)]
pub mod fuzzing;
pub mod guard;
pub mod json_splice;
pub mod json_strict;
pub mod metrics;
pub mod openai;
pub mod policy;
pub mod reply;
pub mod request;
mod robustness;
pub mod screen;
mod sse;
pub mod subject;
pub mod usage;
