//! The canary's halt window, one per route rule, in shared data so every
//! Envoy worker of this proxy halts and resumes together.
//!
//! The request path never calls the host for it: each worker gathers
//! outcomes in a local delta; the root context's tick (every second) merges
//! the delta into the shared window with compare-and-swap, judges the
//! thresholds, and keeps the window's halt deadline in the worker, which
//! requests read. Staleness, bounded by one tick: the worker whose tick
//! halts the canary stops sending to it at once, every other worker from its
//! own next tick on (it reads the halt in the shared window).

use crate::host::Host;
use crate::metrics::Metrics;
use crate::shared;
use llm_policy_core::canary::{CanaryDelta, CanaryWindow, HaltReason};
use llm_policy_core::policy::{HaltConfig, Policy};
use std::cell::RefCell;
use std::collections::HashMap;

/// How often the root context merges and re-reads the windows.
pub const TICK_MS: u64 = 1000;

fn shared_key(rule: &str) -> String {
    format!("llm-policy.canary.{rule}")
}

/// One worker's view of the canary windows of every rule with a halting canary.
#[derive(Default)]
pub struct CanaryState {
    /// Rules with a halting canary, and their thresholds.
    rules: Vec<(String, HaltConfig)>,
    /// Unix ms until which each rule's canary is halted (as of the last tick),
    /// in the order of `rules`.
    halted_until: RefCell<Vec<u64>>,
    deltas: RefCell<HashMap<String, CanaryDelta>>,
}

impl CanaryState {
    pub fn for_policy(policy: &Policy) -> CanaryState {
        let rules = std::iter::once(&policy.default_rule)
            .chain(policy.routes.iter().map(|(_, r)| r))
            .filter_map(|r| {
                let halt = r.canary.as_ref()?.halt.clone()?;
                Some((r.name.clone(), halt))
            })
            .collect::<Vec<_>>();
        CanaryState {
            halted_until: RefCell::new(vec![0; rules.len()]),
            rules,
            ..CanaryState::default()
        }
    }

    /// Creates the shared windows (see [`shared::create`]) and reads the
    /// halts they hold (a halt from before this configuration).
    pub fn create_windows(&self, host: &dyn Host) {
        let mut until = self.halted_until.borrow_mut();
        for ((rule, _), until) in self.rules.iter().zip(until.iter_mut()) {
            let key = shared_key(rule);
            shared::create(host, &key);
            *until = shared::read::<CanaryWindow>(host, &key).map_or(0, |w| w.halted_until_ms);
        }
    }

    /// True when some rule's canary can halt: the root then needs its tick.
    pub fn needs_tick(&self) -> bool {
        !self.rules.is_empty()
    }

    /// True while `rule`'s canary is halted on this proxy, as of this
    /// worker's last tick. No host call.
    pub fn halted(&self, rule: &str, now_ms: u64) -> bool {
        let until = self.halted_until.borrow();
        self.rules
            .iter()
            .zip(until.iter())
            .any(|((r, _), until)| r == rule && now_ms < *until)
    }

    /// Adds one finished request to this worker's delta.
    pub fn add(&self, rule: &str, canary: bool, failure: bool, latency_ms: u64) {
        let mut deltas = self.deltas.borrow_mut();
        match deltas.get_mut(rule) {
            Some(d) => d.add(canary, failure, latency_ms),
            None => {
                let mut d = CanaryDelta::default();
                d.add(canary, failure, latency_ms);
                deltas.insert(rule.to_string(), d);
            }
        }
    }

    /// The tick: merge deltas into the shared windows, halt where the
    /// thresholds break (one log line, a metric), keep the halt deadlines.
    pub fn tick(&self, host: &dyn Host, now_ms: u64, metrics: &Metrics) {
        let deltas = std::mem::take(&mut *self.deltas.borrow_mut());
        let mut halted_until = self.halted_until.borrow_mut();
        for ((rule, halt), kept) in self.rules.iter().zip(halted_until.iter_mut()) {
            let key = shared_key(rule);
            let window = match deltas.get(rule).filter(|d| !d.is_empty()) {
                Some(delta) => shared::update(host, &key, |w: &mut CanaryWindow| {
                    w.merge(now_ms, delta, halt)
                })
                .map(|(_, after, reason)| {
                    if let Some(reason) = reason {
                        report_halt(rule, reason, halt, metrics);
                    }
                    after
                }),
                None => shared::read::<CanaryWindow>(host, &key),
            };
            // A host error keeps the deadline this worker last saw.
            let until = window.map_or(*kept, |w| w.halted_until_ms);
            *kept = until;
            metrics
                .canary_halted
                .set([rule.as_str()], u64::from(now_ms < until));
        }
    }
}

fn report_halt(rule: &str, reason: HaltReason, cfg: &HaltConfig, metrics: &Metrics) {
    let (label, detail) = match reason {
        HaltReason::ErrorRate(r) => ("error_rate", format!("error rate {:.2}%", r * 100.0)),
        HaltReason::P95(p) => ("p95", format!("p95 {p} ms")),
        HaltReason::P95VsStable(p, s) => ("p95_vs_stable", format!("p95 {p} ms vs stable {s} ms")),
    };
    log::warn!(
        "canary of rule {rule} halted on this proxy for {} s: {detail}",
        cfg.cooldown_s
    );
    metrics.canary_halts.add([rule, label], 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::FakeHost;
    use std::rc::Rc;

    const T0: u64 = 1_700_000_000_000;

    #[test]
    fn a_halt_on_one_worker_is_honoured_by_the_other_from_its_next_tick() {
        let policy = match Policy::parse(br#"{"version":1,"canary":{"weight_percent":5}}"#) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let host = Rc::new(FakeHost::at(T0));
        let dyn_host: Rc<dyn Host> = host.clone();
        let m = Metrics::new(&dyn_host);
        let (a, b) = (
            CanaryState::for_policy(&policy),
            CanaryState::for_policy(&policy),
        );
        a.create_windows(&*host);
        b.create_windows(&*host);
        for _ in 0..20 {
            a.add("default", true, true, 5);
        }
        a.tick(&*host, T0, &m);
        assert!(a.halted("default", T0 + 1), "the halting worker, at once");
        assert!(!b.halted("default", T0 + 1), "the other, before its tick");
        b.tick(&*host, T0 + TICK_MS, &m);
        assert!(b.halted("default", T0 + TICK_MS));
        // A worker configured later reads the halt at configuration.
        let c = CanaryState::for_policy(&policy);
        c.create_windows(&*host);
        assert!(c.halted("default", T0 + TICK_MS));
        host.take_call_counts();
        assert!(a.halted("default", T0 + 2));
        assert!(
            host.take_call_counts().is_empty(),
            "requests read no shared data"
        );
    }
}
