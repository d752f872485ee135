//! A fake host for the adapter's native tests: headers, bodies, properties,
//! shared data, metrics and the clock in memory; replies and route-cache
//! clears recorded.

use crate::host::{Host, SharedValue};
use llm_policy_core::metrics::stat_name;
use proxy_wasm::types::{MetricType, Status};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A local reply the adapter sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReply {
    pub status: u32,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl SentReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub struct FakeHost {
    pub request_headers: RefCell<Vec<(String, String)>>,
    pub request_body: RefCell<Vec<u8>>,
    pub response_headers: RefCell<Vec<(String, String)>>,
    /// What the host holds of the response body (a chunk, or all of it).
    pub response_body: RefCell<Vec<u8>>,
    pub properties: RefCell<HashMap<String, Vec<u8>>>,
    pub now_ms: Cell<u64>,
    pub replies: RefCell<Vec<SentReply>>,
    pub route_cache_clears: Cell<u32>,
    shared: RefCell<HashMap<String, (Vec<u8>, u32)>>,
    /// Defined metrics by id: (full stat name, value).
    metrics: RefCell<Vec<(String, i64)>>,
    /// Host calls that hand a value back, by name (the costly kind).
    pub reads: RefCell<Vec<String>>,
    /// Run before [`FakeHost::metric`] reads: the test's root tick (it
    /// flushes the counters the VM keeps, see [`crate::metrics`]).
    pub before_metric_read: RefCell<Option<Box<dyn Fn()>>>,
    /// Every host call, by its proxy-wasm ABI name (see [`HostCall`]).
    pub host_calls: RefCell<Vec<HostCall>>,
    /// HTTP calls dispatched (guard models), in order; the token is the index + 1.
    pub calls: RefCell<Vec<DispatchedCall>>,
    /// Dispatching fails with this status when set.
    pub dispatch_error: Cell<Option<Status>>,
    /// Held responses resumed.
    pub response_resumes: Cell<u32>,
    /// The call response being delivered: headers and body.
    pub call_response: RefCell<CallResponse>,
}

/// One host call as Envoy sees it: the ABI function and whether a value
/// came back (the costly kind: Envoy calls into the VM to allocate it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostCall {
    pub name: &'static str,
    pub returned_value: bool,
}

/// A call response: headers and body.
pub type CallResponse = (Vec<(String, String)>, Vec<u8>);

/// A call the adapter dispatched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchedCall {
    pub cluster: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub timeout_ms: u32,
}

fn set(map: &RefCell<Vec<(String, String)>>, name: &str, value: Option<&str>) {
    let mut map = map.borrow_mut();
    map.retain(|(n, _)| n != name);
    if let Some(v) = value {
        map.push((name.to_string(), v.to_string()));
    }
}

fn splice(buf: &RefCell<Vec<u8>>, start: usize, size: usize, with: &[u8]) {
    let mut buf = buf.borrow_mut();
    let start = start.min(buf.len());
    let end = start.saturating_add(size).min(buf.len());
    buf.splice(start..end, with.iter().copied());
}

fn slice(buf: &RefCell<Vec<u8>>, start: usize, size: usize) -> Option<Vec<u8>> {
    let buf = buf.borrow();
    let start = start.min(buf.len());
    let end = start.saturating_add(size).min(buf.len());
    (end > start).then(|| buf[start..end].to_vec())
}

impl FakeHost {
    fn call(&self, name: &'static str, returned_value: bool) {
        self.host_calls.borrow_mut().push(HostCall {
            name,
            returned_value,
        });
    }

    /// The host calls recorded so far, counted by kind, then forgotten.
    pub fn take_call_counts(&self) -> Vec<(HostCall, usize)> {
        let mut calls = std::mem::take(&mut *self.host_calls.borrow_mut());
        calls.sort();
        let mut out: Vec<(HostCall, usize)> = Vec::new();
        for c in calls {
            match out.last_mut() {
                Some((last, n)) if *last == c => *n += 1,
                _ => out.push((c, 1)),
            }
        }
        out
    }

    pub fn at(now_ms: u64) -> FakeHost {
        let host = FakeHost::default();
        host.now_ms.set(now_ms);
        host
    }

    /// Flushes `metrics` before every [`FakeHost::metric`] read, as a
    /// scrape one tick after the requests would see them.
    pub fn flush_before_reads(&self, metrics: &std::rc::Rc<crate::metrics::Metrics>) {
        let metrics = std::rc::Rc::downgrade(metrics);
        *self.before_metric_read.borrow_mut() = Some(Box::new(move || {
            if let Some(m) = metrics.upgrade() {
                m.flush();
            }
        }));
    }

    /// A metric's value (0 if never defined); `tags` in catalogue order.
    pub fn metric(&self, base: &str, tags: &[(&str, &str)]) -> i64 {
        if let Some(tick) = &*self.before_metric_read.borrow() {
            tick();
            self.host_calls.borrow_mut().clear();
        }
        let name = stat_name(base, tags);
        self.metrics
            .borrow()
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .sum()
    }

    pub fn response_header_value(&self, name: &str) -> Option<String> {
        self.response_headers
            .borrow()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    pub fn request_header_value(&self, name: &str) -> Option<String> {
        self.request_headers
            .borrow()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

impl Host for FakeHost {
    fn request_headers(&self) -> Vec<(String, String)> {
        self.call("get_header_map_pairs(request)", true);
        self.reads.borrow_mut().push("request_headers".into());
        self.request_headers.borrow().clone()
    }
    fn set_request_header(&self, name: &str, value: Option<&str>) {
        self.call(
            if value.is_some() {
                "replace_header_map_value(request)"
            } else {
                "remove_header_map_value(request)"
            },
            false,
        );
        set(&self.request_headers, name, value);
    }
    fn request_body(&self, start: usize, size: usize) -> Option<Vec<u8>> {
        self.reads.borrow_mut().push("request_body".into());
        let value = slice(&self.request_body, start, size);
        self.call("get_buffer_bytes(request_body)", value.is_some());
        value
    }
    fn set_request_body(&self, start: usize, size: usize, body: &[u8]) {
        self.call("set_buffer_bytes(request_body)", false);
        splice(&self.request_body, start, size, body);
    }
    fn response_header(&self, name: &str) -> Option<String> {
        let value = self.response_header_value(name);
        self.call("get_header_map_value(response)", value.is_some());
        if value.is_some() {
            self.reads
                .borrow_mut()
                .push(format!("response_header {name}"));
        }
        value
    }
    fn set_response_header(&self, name: &str, value: Option<&str>) {
        self.call(
            if value.is_some() {
                "replace_header_map_value(response)"
            } else {
                "remove_header_map_value(response)"
            },
            false,
        );
        set(&self.response_headers, name, value);
    }
    fn add_response_header(&self, name: &str, value: &str) {
        self.call("add_header_map_value(response)", false);
        self.response_headers
            .borrow_mut()
            .push((name.to_string(), value.to_string()));
    }
    fn response_body(&self, start: usize, size: usize) -> Option<Vec<u8>> {
        self.reads.borrow_mut().push("response_body".into());
        let value = slice(&self.response_body, start, size);
        self.call("get_buffer_bytes(response_body)", value.is_some());
        value
    }
    fn set_response_body(&self, start: usize, size: usize, body: &[u8]) {
        self.call("set_buffer_bytes(response_body)", false);
        splice(&self.response_body, start, size, body);
    }
    fn property(&self, path: &[&str]) -> Option<Vec<u8>> {
        let value = self.properties.borrow().get(&path.join(".")).cloned();
        self.call("get_property", value.is_some());
        if value.is_some() {
            self.reads
                .borrow_mut()
                .push(format!("property {}", path.join(".")));
        }
        value
    }
    fn now(&self) -> SystemTime {
        self.call("get_current_time_nanoseconds", false);
        UNIX_EPOCH + Duration::from_millis(self.now_ms.get())
    }
    fn send_reply(&self, status: u32, headers: &[(&str, &str)], body: &[u8]) {
        self.call("send_local_response", false);
        self.replies.borrow_mut().push(SentReply {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: String::from_utf8_lossy(body).into_owned(),
        });
    }
    fn clear_route_cache(&self) {
        self.call("call_foreign_function(clear_route_cache)", false);
        self.route_cache_clears
            .set(self.route_cache_clears.get() + 1);
    }
    fn resume_request(&self, _context_id: u32) -> bool {
        self.call("continue_stream(request)", false);
        true
    }
    fn resume_response(&self, _context_id: u32) -> bool {
        self.call("continue_stream(response)", false);
        self.response_resumes.set(self.response_resumes.get() + 1);
        true
    }
    fn get_shared(&self, key: &str) -> Result<SharedValue, Status> {
        // An empty value comes back without an allocation, like an absent one.
        let non_empty = self
            .shared
            .borrow()
            .get(key)
            .is_some_and(|(v, _)| !v.is_empty());
        self.call("get_shared_data", non_empty);
        Ok(match self.shared.borrow().get(key) {
            Some((v, cas)) => (Some(v.clone()), Some(*cas)),
            None => (None, None),
        })
    }
    fn set_shared(&self, key: &str, value: Option<&[u8]>, cas: Option<u32>) -> Result<(), Status> {
        self.call("set_shared_data", false);
        let mut shared = self.shared.borrow_mut();
        let current = shared.get(key).map(|(_, c)| *c);
        if cas.is_some() && cas != current {
            return Err(Status::CasMismatch);
        }
        let next = current.map_or(1, |c| c + 1);
        shared.insert(key.to_string(), (value.unwrap_or_default().to_vec(), next));
        Ok(())
    }
    fn define_metric(&self, _kind: MetricType, name: &str) -> Result<u32, Status> {
        self.call("define_metric", false);
        let mut metrics = self.metrics.borrow_mut();
        if let Some(i) = metrics.iter().position(|(n, _)| n == name) {
            return Ok(i as u32);
        }
        metrics.push((name.to_string(), 0));
        Ok((metrics.len() - 1) as u32)
    }
    fn increment_metric(&self, id: u32, delta: i64) -> Result<(), Status> {
        self.call("increment_metric", false);
        match self.metrics.borrow_mut().get_mut(id as usize) {
            Some((_, v)) => {
                *v += delta;
                Ok(())
            }
            None => Err(Status::NotFound),
        }
    }
    fn record_metric(&self, id: u32, value: u64) -> Result<(), Status> {
        self.call("record_metric", false);
        match self.metrics.borrow_mut().get_mut(id as usize) {
            Some((_, v)) => {
                *v = value as i64;
                Ok(())
            }
            None => Err(Status::NotFound),
        }
    }
    fn dispatch_call(
        &self,
        cluster: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        timeout_ms: u32,
    ) -> Result<u32, Status> {
        if let Some(e) = self.dispatch_error.get() {
            return Err(e);
        }
        let mut calls = self.calls.borrow_mut();
        calls.push(DispatchedCall {
            cluster: cluster.to_string(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
            timeout_ms,
        });
        Ok(calls.len() as u32)
    }
    fn call_response_headers(&self) -> Vec<(String, String)> {
        self.call_response.borrow().0.clone()
    }
    fn call_response_body(&self, size: usize) -> Option<Vec<u8>> {
        let body = &self.call_response.borrow().1;
        (!body.is_empty()).then(|| body.iter().take(size).copied().collect())
    }
}
