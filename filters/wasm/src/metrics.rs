//! Envoy stats from the filter, as typed handles over the core's metric
//! catalogue ([`llm_policy_core::metrics`]): one handle per family, made
//! once at configuration and shared by every context of the VM. A handle
//! takes exactly its family's label values, in the catalogue's order; each
//! label combination is defined on first use, then cached by a hash of its
//! values (the full stat name is built only the first time).
//!
//! Counters are accumulated in the VM (one per worker) and flushed to Envoy
//! by [`Metrics::flush`] on the root tick ([`crate::canary::TICK_MS`], or the
//! faster header-hold tick), one host call per counter that changed: a
//! request costs a map lookup per count, no host call. Staleness: a count
//! reaches Envoy's stats (and a Prometheus scrape) at most one tick late.
//! Gauges and histograms are written at once.

use crate::host::Host;
use llm_policy_core::metrics::{self as catalogue, stat_name, Family};
use proxy_wasm::types::MetricType;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

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

/// One family's metrics, with `N` label values per update: the count is
/// checked at compile time against the catalogue's label names.
pub struct Handle<const N: usize> {
    inner: Inner,
}

/// The label-count-free part (one copy of the code for every family).
struct Inner {
    name: &'static str,
    labels: &'static [&'static str],
    kind: MetricType,
    host: Rc<dyn Host>,
    /// Label-values hash → index in `slots`.
    ids: RefCell<HashMap<u64, usize, BuildHasherDefault<Fnv>>>,
    /// Every label combination defined: Envoy's id and the count not flushed yet.
    slots: RefCell<Vec<Slot>>,
}

#[derive(Clone, Copy)]
struct Slot {
    id: u32,
    pending: i64,
}

impl<const N: usize> Handle<N> {
    fn new(family: &'static Family<N>, host: &Rc<dyn Host>) -> Self {
        Handle {
            inner: Inner::new(family.name, &family.labels, family.kind, host),
        }
    }

    /// Adds `delta` (counters). Host errors are logged at debug level and
    /// never affect traffic.
    pub fn add(&self, values: [&str; N], delta: i64) {
        self.inner.add(&values, delta);
    }

    /// Records one value (histograms) or sets the value (gauges).
    pub fn set(&self, values: [&str; N], value: u64) {
        self.inner.set(&values, value);
    }
}

impl Inner {
    /// Out of line: one copy for the twenty handles made at configuration.
    #[inline(never)]
    fn new(
        name: &'static str,
        labels: &'static [&'static str],
        kind: catalogue::Kind,
        host: &Rc<dyn Host>,
    ) -> Inner {
        let kind = match kind {
            catalogue::Kind::Counter => MetricType::Counter,
            catalogue::Kind::Gauge => MetricType::Gauge,
            catalogue::Kind::Histogram => MetricType::Histogram,
        };
        Inner {
            name,
            labels,
            kind,
            host: Rc::clone(host),
            ids: RefCell::default(),
            slots: RefCell::default(),
        }
    }

    /// Counters: kept until [`Inner::flush`]; other kinds: written at once.
    fn add(&self, values: &[&str], delta: i64) {
        let Some(slot) = self.slot(values) else {
            return;
        };
        if self.kind != MetricType::Counter {
            self.increment(slot.id, delta);
            return;
        }
        if let Some(s) = self.slots.borrow_mut().get_mut(slot.index) {
            s.pending = s.pending.saturating_add(delta);
        }
    }

    fn set(&self, values: &[&str], value: u64) {
        if let Some(slot) = self.slot(values) {
            if let Err(e) = self.host.record_metric(slot.id, value) {
                log::debug!("metric {} not recorded: {e:?}", self.name);
            }
        }
    }

    fn increment(&self, id: u32, delta: i64) {
        if let Err(e) = self.host.increment_metric(id, delta) {
            log::debug!("metric {} not incremented: {e:?}", self.name);
        }
    }

    /// Writes every count kept since the last flush (one host call each).
    fn flush(&self) {
        let mut slots = self.slots.borrow_mut();
        for s in slots.iter_mut().filter(|s| s.pending != 0) {
            self.increment(s.id, s.pending);
            s.pending = 0;
        }
    }

    fn slot(&self, values: &[&str]) -> Option<SlotRef> {
        let mut h = Fnv::default();
        for v in values {
            h.write(&[0]);
            h.write(v.as_bytes());
        }
        let k = h.finish();
        if let Some(index) = self.ids.borrow().get(&k) {
            let id = self.slots.borrow().get(*index)?.id;
            return Some(SlotRef { index: *index, id });
        }
        let tags: Vec<(&str, &str)> = self
            .labels
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect();
        let name = stat_name(self.name, &tags);
        match self.host.define_metric(self.kind, &name) {
            Ok(id) => {
                let mut slots = self.slots.borrow_mut();
                let index = slots.len();
                slots.push(Slot { id, pending: 0 });
                self.ids.borrow_mut().insert(k, index);
                Some(SlotRef { index, id })
            }
            Err(e) => {
                log::debug!("metric {name} not defined: {e:?}");
                None
            }
        }
    }
}

/// A defined label combination: its index in `slots` and Envoy's id.
#[derive(Clone, Copy)]
struct SlotRef {
    index: usize,
    id: u32,
}

/// A handle for every family of the catalogue, shared by the root context
/// and all HTTP contexts of one VM.
pub struct Metrics {
    pub requests: Handle<2>,
    pub request_bodies: Handle<3>,
    pub local_replies: Handle<2>,
    pub ab_requests: Handle<2>,
    pub ab_responses: Handle<3>,
    pub ab_tokens: Handle<3>,
    pub ab_latency: Handle<2>,
    pub ab_screening: Handle<3>,
    pub circuit_open_requests: Handle<2>,
    pub circuit_state: Handle<1>,
    pub circuit_transitions: Handle<2>,
    pub canary_halts: Handle<2>,
    pub canary_requests: Handle<2>,
    pub canary_halted: Handle<1>,
    pub canary_screening: Handle<3>,
    pub screening_findings: Handle<5>,
    pub screening_unscreenable: Handle<4>,
    pub guard_calls: Handle<3>,
    pub guard_cache_hits: Handle<3>,
    pub guard_latency: Handle<1>,
    pub guard_verdicts: Handle<5>,
    pub guard_failures: Handle<4>,
    pub guard_decisions: Handle<3>,
    pub config_loads: Handle<1>,
    pub header_hold_stalls: Handle<0>,
    pub vm_memory: Handle<1>,
}

impl Metrics {
    pub fn new(host: &Rc<dyn Host>) -> Metrics {
        Metrics {
            requests: Handle::new(&catalogue::REQUESTS, host),
            request_bodies: Handle::new(&catalogue::REQUEST_BODIES, host),
            local_replies: Handle::new(&catalogue::LOCAL_REPLIES, host),
            ab_requests: Handle::new(&catalogue::AB_REQUESTS, host),
            ab_responses: Handle::new(&catalogue::AB_RESPONSES, host),
            ab_tokens: Handle::new(&catalogue::AB_TOKENS, host),
            ab_latency: Handle::new(&catalogue::AB_LATENCY, host),
            ab_screening: Handle::new(&catalogue::AB_SCREENING, host),
            circuit_open_requests: Handle::new(&catalogue::CIRCUIT_OPEN_REQUESTS, host),
            circuit_state: Handle::new(&catalogue::CIRCUIT_STATE, host),
            circuit_transitions: Handle::new(&catalogue::CIRCUIT_TRANSITIONS, host),
            canary_halts: Handle::new(&catalogue::CANARY_HALTS, host),
            canary_requests: Handle::new(&catalogue::CANARY_REQUESTS, host),
            canary_halted: Handle::new(&catalogue::CANARY_HALTED, host),
            canary_screening: Handle::new(&catalogue::CANARY_SCREENING, host),
            screening_findings: Handle::new(&catalogue::SCREENING_FINDINGS, host),
            screening_unscreenable: Handle::new(&catalogue::SCREENING_UNSCREENABLE, host),
            guard_calls: Handle::new(&catalogue::GUARD_CALLS, host),
            guard_cache_hits: Handle::new(&catalogue::GUARD_CACHE_HITS, host),
            guard_latency: Handle::new(&catalogue::GUARD_LATENCY, host),
            guard_verdicts: Handle::new(&catalogue::GUARD_VERDICTS, host),
            guard_failures: Handle::new(&catalogue::GUARD_FAILURES, host),
            guard_decisions: Handle::new(&catalogue::GUARD_DECISIONS, host),
            config_loads: Handle::new(&catalogue::CONFIG_LOADS, host),
            header_hold_stalls: Handle::new(&catalogue::HEADER_HOLD_STALLS, host),
            vm_memory: Handle::new(&catalogue::VM_MEMORY, host),
        }
    }

    /// Every family's handle.
    fn all(&self) -> [&Inner; 26] {
        [
            &self.requests.inner,
            &self.request_bodies.inner,
            &self.local_replies.inner,
            &self.ab_requests.inner,
            &self.ab_responses.inner,
            &self.ab_tokens.inner,
            &self.ab_latency.inner,
            &self.ab_screening.inner,
            &self.circuit_open_requests.inner,
            &self.circuit_state.inner,
            &self.circuit_transitions.inner,
            &self.canary_halts.inner,
            &self.canary_requests.inner,
            &self.canary_halted.inner,
            &self.canary_screening.inner,
            &self.screening_findings.inner,
            &self.screening_unscreenable.inner,
            &self.guard_calls.inner,
            &self.guard_cache_hits.inner,
            &self.guard_latency.inner,
            &self.guard_verdicts.inner,
            &self.guard_failures.inner,
            &self.guard_decisions.inner,
            &self.config_loads.inner,
            &self.header_hold_stalls.inner,
            &self.vm_memory.inner,
        ]
    }

    /// Writes the counts kept since the last flush (the root tick).
    pub fn flush(&self) {
        for inner in self.all() {
            inner.flush();
        }
    }

    /// The families with a handle here, for the catalogue-coverage test.
    #[cfg(test)]
    pub fn names(&self) -> Vec<&'static str> {
        self.all().iter().map(|i| i.name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::FakeHost;

    fn calls(host: &FakeHost, name: &str) -> usize {
        host.take_call_counts()
            .iter()
            .filter(|(c, _)| c.name == name)
            .map(|(_, n)| n)
            .sum()
    }

    #[test]
    fn counts_reach_the_host_on_the_flush_in_one_call_per_counter() {
        let host = Rc::new(FakeHost::default());
        let dyn_host: Rc<dyn Host> = host.clone();
        let m = Metrics::new(&dyn_host);
        let tags = [("rule", "r"), ("endpoint", "chat")];
        for _ in 0..5 {
            m.requests.add(["r", "chat"], 1);
        }
        assert_eq!(calls(&host, "increment_metric"), 0, "none per request");
        assert_eq!(
            host.metric("llm_policy_requests_total", &tags),
            0,
            "not before the tick"
        );
        m.flush();
        assert_eq!(calls(&host, "increment_metric"), 1);
        assert_eq!(host.metric("llm_policy_requests_total", &tags), 5);
        m.flush();
        assert_eq!(
            calls(&host, "increment_metric"),
            0,
            "nothing new, nothing written"
        );
        assert_eq!(host.metric("llm_policy_requests_total", &tags), 5);
    }

    #[test]
    fn gauges_and_histograms_are_written_at_once() {
        let host = Rc::new(FakeHost::default());
        let dyn_host: Rc<dyn Host> = host.clone();
        let m = Metrics::new(&dyn_host);
        m.circuit_state.set(["t"], 1);
        assert_eq!(
            host.metric("llm_policy_circuit_state", &[("target", "t")]),
            1
        );
    }
}
