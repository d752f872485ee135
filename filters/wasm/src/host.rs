//! The host, as the adapter sees it: headers, bodies, properties, shared
//! data, metrics, the clock and local replies. [`ProxyWasm`] is Envoy's
//! proxy-wasm ABI; tests use a fake (`crate::fake`), so the adapter's own
//! logic runs natively and its host calls can be checked.
//!
//! Every method is one host call; values the host hands back cost a call
//! into the VM to allocate them, so callers read each value at most once.

use proxy_wasm::hostcalls;
use proxy_wasm::types::{BufferType, MapType, MetricType, Status};
use std::time::{Duration, SystemTime};

/// Shared data: `(value, compare-and-swap token)`.
pub type SharedValue = (Option<Vec<u8>>, Option<u32>);

pub trait Host {
    /// All request headers, in one call.
    fn request_headers(&self) -> Vec<(String, String)>;
    /// Sets (`Some`) or removes (`None`) a request header.
    fn set_request_header(&self, name: &str, value: Option<&str>);
    fn request_body(&self, start: usize, size: usize) -> Option<Vec<u8>>;
    fn set_request_body(&self, start: usize, size: usize, body: &[u8]);
    fn response_header(&self, name: &str) -> Option<String>;
    fn set_response_header(&self, name: &str, value: Option<&str>);
    fn add_response_header(&self, name: &str, value: &str);
    fn response_body(&self, start: usize, size: usize) -> Option<Vec<u8>>;
    fn set_response_body(&self, start: usize, size: usize, body: &[u8]);
    /// A host property such as `["xds", "route_name"]`.
    fn property(&self, path: &[&str]) -> Option<Vec<u8>>;
    fn now(&self) -> SystemTime;
    /// Answers the request locally.
    fn send_reply(&self, status: u32, headers: &[(&str, &str)], body: &[u8]);
    /// Makes Envoy match the route again after routing headers changed.
    fn clear_route_cache(&self);
    /// Resumes the held request of `context_id`; false on a host error.
    fn resume_request(&self, context_id: u32) -> bool;
    /// Resumes the held response of `context_id`; false on a host error.
    fn resume_response(&self, context_id: u32) -> bool;
    fn get_shared(&self, key: &str) -> Result<SharedValue, Status>;
    fn set_shared(&self, key: &str, value: Option<&[u8]>, cas: Option<u32>) -> Result<(), Status>;
    fn define_metric(&self, kind: MetricType, name: &str) -> Result<u32, Status>;
    fn increment_metric(&self, id: u32, delta: i64) -> Result<(), Status>;
    fn record_metric(&self, id: u32, value: u64) -> Result<(), Status>;
    /// An HTTP call to an Envoy cluster (a guard model): its token, which
    /// `on_http_call_response` gets back.
    fn dispatch_call(
        &self,
        cluster: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        timeout_ms: u32,
    ) -> Result<u32, Status>;
    /// The headers of the call response being delivered (none on timeout or reset).
    fn call_response_headers(&self) -> Vec<(String, String)>;
    /// The body of the call response being delivered.
    fn call_response_body(&self, size: usize) -> Option<Vec<u8>>;
}

/// Envoy through the proxy-wasm ABI (the current context is the host's).
#[derive(Debug, Default, Clone, Copy)]
pub struct ProxyWasm;

impl Host for ProxyWasm {
    fn request_headers(&self) -> Vec<(String, String)> {
        hostcalls::get_map(MapType::HttpRequestHeaders).unwrap_or_default()
    }
    fn set_request_header(&self, name: &str, value: Option<&str>) {
        if let Err(e) = hostcalls::set_map_value(MapType::HttpRequestHeaders, name, value) {
            log::debug!("request header {name} not set: {e:?}");
        }
    }
    fn request_body(&self, start: usize, size: usize) -> Option<Vec<u8>> {
        hostcalls::get_buffer(BufferType::HttpRequestBody, start, size)
            .ok()
            .flatten()
    }
    fn set_request_body(&self, start: usize, size: usize, body: &[u8]) {
        if let Err(e) = hostcalls::set_buffer(BufferType::HttpRequestBody, start, size, body) {
            log::debug!("request body not set: {e:?}");
        }
    }
    fn response_header(&self, name: &str) -> Option<String> {
        hostcalls::get_map_value(MapType::HttpResponseHeaders, name)
            .ok()
            .flatten()
    }
    fn set_response_header(&self, name: &str, value: Option<&str>) {
        if let Err(e) = hostcalls::set_map_value(MapType::HttpResponseHeaders, name, value) {
            log::debug!("response header {name} not set: {e:?}");
        }
    }
    fn add_response_header(&self, name: &str, value: &str) {
        if let Err(e) = hostcalls::add_map_value(MapType::HttpResponseHeaders, name, value) {
            log::debug!("response header {name} not added: {e:?}");
        }
    }
    fn response_body(&self, start: usize, size: usize) -> Option<Vec<u8>> {
        hostcalls::get_buffer(BufferType::HttpResponseBody, start, size)
            .ok()
            .flatten()
    }
    fn set_response_body(&self, start: usize, size: usize, body: &[u8]) {
        if let Err(e) = hostcalls::set_buffer(BufferType::HttpResponseBody, start, size, body) {
            log::debug!("response body not set: {e:?}");
        }
    }
    fn property(&self, path: &[&str]) -> Option<Vec<u8>> {
        hostcalls::get_property(path.to_vec()).ok().flatten()
    }
    fn now(&self) -> SystemTime {
        hostcalls::get_current_time().unwrap_or(SystemTime::UNIX_EPOCH)
    }
    fn send_reply(&self, status: u32, headers: &[(&str, &str)], body: &[u8]) {
        if let Err(e) = hostcalls::send_http_response(status, headers.to_vec(), Some(body)) {
            log::warn!("local reply {status} not sent: {e:?}");
        }
    }
    fn clear_route_cache(&self) {
        if let Err(e) = hostcalls::call_foreign_function("clear_route_cache", None) {
            log::debug!("clear_route_cache unavailable: {e:?}");
        }
    }
    fn resume_request(&self, context_id: u32) -> bool {
        hostcalls::set_effective_context(context_id).is_ok()
            && hostcalls::resume_http_request().is_ok()
    }
    fn resume_response(&self, context_id: u32) -> bool {
        hostcalls::set_effective_context(context_id).is_ok()
            && hostcalls::resume_http_response().is_ok()
    }
    fn get_shared(&self, key: &str) -> Result<SharedValue, Status> {
        hostcalls::get_shared_data(key)
    }
    fn set_shared(&self, key: &str, value: Option<&[u8]>, cas: Option<u32>) -> Result<(), Status> {
        hostcalls::set_shared_data(key, value, cas)
    }
    fn define_metric(&self, kind: MetricType, name: &str) -> Result<u32, Status> {
        hostcalls::define_metric(kind, name)
    }
    fn increment_metric(&self, id: u32, delta: i64) -> Result<(), Status> {
        hostcalls::increment_metric(id, delta)
    }
    fn record_metric(&self, id: u32, value: u64) -> Result<(), Status> {
        hostcalls::record_metric(id, value)
    }
    fn dispatch_call(
        &self,
        cluster: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        timeout_ms: u32,
    ) -> Result<u32, Status> {
        hostcalls::dispatch_http_call(
            cluster,
            headers.to_vec(),
            Some(body),
            Vec::new(),
            Duration::from_millis(u64::from(timeout_ms)),
        )
    }
    fn call_response_headers(&self) -> Vec<(String, String)> {
        hostcalls::get_map(MapType::HttpCallResponseHeaders).unwrap_or_default()
    }
    fn call_response_body(&self, size: usize) -> Option<Vec<u8>> {
        hostcalls::get_buffer(BufferType::HttpCallResponseBody, 0, size)
            .ok()
            .flatten()
    }
}
