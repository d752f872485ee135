//! Envoy stats from the filter: defined on first use, then cached by name,
//! so each request costs a map lookup and one host call per counter.

use llm_policy_core::metrics::stat_name;
use proxy_wasm::hostcalls;
use proxy_wasm::types::MetricType;
use std::cell::RefCell;
use std::collections::HashMap;

/// Counters shared by the root context and all HTTP contexts of one VM.
#[derive(Default)]
pub struct Metrics {
    ids: RefCell<HashMap<String, u32>>,
}

impl Metrics {
    /// Adds `delta` to counter `base` with `tags`. Host errors are logged at
    /// debug level and never affect traffic.
    pub fn count(&self, base: &str, tags: &[(&str, &str)], delta: i64) {
        let name = stat_name(base, tags);
        let Some(id) = self.id(&name, MetricType::Counter) else {
            return;
        };
        if let Err(e) = hostcalls::increment_metric(id, delta) {
            log::debug!("metric {name} not incremented: {e:?}");
        }
    }

    /// Records one value in histogram `base` with `tags`.
    pub fn record(&self, base: &str, tags: &[(&str, &str)], value: u64) {
        let name = stat_name(base, tags);
        let Some(id) = self.id(&name, MetricType::Histogram) else {
            return;
        };
        if let Err(e) = hostcalls::record_metric(id, value) {
            log::debug!("metric {name} not recorded: {e:?}");
        }
    }

    /// Sets gauge `base` with `tags` to `value`.
    pub fn gauge(&self, base: &str, tags: &[(&str, &str)], value: u64) {
        let name = stat_name(base, tags);
        let Some(id) = self.id(&name, MetricType::Gauge) else {
            return;
        };
        if let Err(e) = hostcalls::record_metric(id, value) {
            log::debug!("metric {name} not set: {e:?}");
        }
    }

    fn id(&self, name: &str, kind: MetricType) -> Option<u32> {
        if let Some(id) = self.ids.borrow().get(name) {
            return Some(*id);
        }
        match hostcalls::define_metric(kind, name) {
            Ok(id) => {
                self.ids.borrow_mut().insert(name.to_string(), id);
                Some(id)
            }
            Err(e) => {
                log::debug!("metric {name} not defined: {e:?}");
                None
            }
        }
    }
}
