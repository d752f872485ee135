//! A proxy-wasm HTTP filter that does nothing: every callback continues.
//! `make bench` runs it to measure what any wasm plugin costs in Envoy.

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;

proxy_wasm::main! {{
    proxy_wasm::set_root_context(|_| Box::new(EmptyRoot));
}}

struct EmptyRoot;
struct EmptyHttp;

impl Context for EmptyRoot {}
impl Context for EmptyHttp {}
impl HttpContext for EmptyHttp {}

impl RootContext for EmptyRoot {
    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(EmptyHttp))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
