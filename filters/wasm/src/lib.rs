//! The llm-policy proxy-wasm filter. Only this crate calls the host, and
//! only through [`host::Host`]; every decision is taken by `llm_policy_core`
//! (the request plan and its [`llm_policy_core::exchange::Exchange`]).

mod canary;
mod circuit;
#[cfg(test)]
mod fake;
mod hold;
mod host;
#[cfg(test)]
mod host_calls_tests;
mod http;
#[cfg(test)]
mod http_tests;
mod metrics;
mod root;
mod shared;

use proxy_wasm::types::LogLevel;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Info);
    proxy_wasm::set_root_context(|_| Box::new(root::PolicyRoot::default()));
}}
