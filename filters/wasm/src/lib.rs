//! The llm-policy proxy-wasm filter. Only this crate calls the host; every
//! decision is taken by `llm_policy_core`.

mod canary;
mod circuit;
mod hold;
mod http;
mod metrics;
mod root;
mod screening;
mod shared;

use proxy_wasm::types::LogLevel;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Info);
    proxy_wasm::set_root_context(|_| Box::new(root::PolicyRoot::default()));
}}
