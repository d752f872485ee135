//! Envoy stats from the filter: defined on first use, then cached by a hash of
//! (name, tags), so a request pays a map lookup and one host call per update;
//! the full stat name is built only the first time.

use llm_policy_core::metrics::stat_name;
use proxy_wasm::hostcalls;
use proxy_wasm::types::MetricType;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: small and fast for short keys; metric keys are not attacker-chosen
/// beyond label values the policy defines.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Counters, gauges and histograms shared by the root context and all HTTP
/// contexts of one VM.
#[derive(Default)]
pub struct Metrics {
    ids: RefCell<HashMap<u64, u32, BuildHasherDefault<Fnv>>>,
}

fn key(kind: MetricType, base: &str, tags: &[(&str, &str)]) -> u64 {
    let mut h = Fnv::default();
    h.write(&[kind as u8]);
    h.write(base.as_bytes());
    for (t, v) in tags {
        h.write(&[0]);
        h.write(t.as_bytes());
        h.write(&[1]);
        h.write(v.as_bytes());
    }
    h.finish()
}

impl Metrics {
    /// Adds `delta` to counter `base` with `tags`. Host errors are logged at
    /// debug level and never affect traffic.
    pub fn count(&self, base: &str, tags: &[(&str, &str)], delta: i64) {
        if let Some(id) = self.id(MetricType::Counter, base, tags) {
            if let Err(e) = hostcalls::increment_metric(id, delta) {
                log::debug!("metric {base} not incremented: {e:?}");
            }
        }
    }

    /// Records one value in histogram `base` with `tags`.
    pub fn record(&self, base: &str, tags: &[(&str, &str)], value: u64) {
        if let Some(id) = self.id(MetricType::Histogram, base, tags) {
            if let Err(e) = hostcalls::record_metric(id, value) {
                log::debug!("metric {base} not recorded: {e:?}");
            }
        }
    }

    /// Sets gauge `base` with `tags` to `value`.
    pub fn gauge(&self, base: &str, tags: &[(&str, &str)], value: u64) {
        if let Some(id) = self.id(MetricType::Gauge, base, tags) {
            if let Err(e) = hostcalls::record_metric(id, value) {
                log::debug!("metric {base} not set: {e:?}");
            }
        }
    }

    fn id(&self, kind: MetricType, base: &str, tags: &[(&str, &str)]) -> Option<u32> {
        let k = key(kind, base, tags);
        if let Some(id) = self.ids.borrow().get(&k) {
            return Some(*id);
        }
        let name = stat_name(base, tags);
        match hostcalls::define_metric(kind, &name) {
            Ok(id) => {
                self.ids.borrow_mut().insert(k, id);
                Some(id)
            }
            Err(e) => {
                log::debug!("metric {name} not defined: {e:?}");
                None
            }
        }
    }
}
