//! The canary's halt window, one per route rule, in shared data so every
//! Envoy worker of this proxy halts and resumes together.
//!
//! The request path never writes shared data: each worker gathers outcomes in
//! a local delta; the root context's tick (every second) merges the delta
//! into the shared window with compare-and-swap and judges the thresholds. A
//! halt is published under its own small key, which requests read (one
//! host call), so every worker stops sending to the canary at once.

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

fn halt_key(rule: &str) -> String {
    format!("llm-policy.canary-halt.{rule}")
}

/// Publishes the halt deadline of `rule` for every worker.
fn publish_halt(host: &dyn Host, rule: &str, until_ms: u64) {
    let value = until_ms.to_string();
    if let Err(e) = host.set_shared(&halt_key(rule), Some(value.as_bytes()), None) {
        log::warn!("canary of rule {rule}: halt not published: {e:?}");
    }
}

/// One worker's view of the canary windows of every rule with a halting canary.
#[derive(Default)]
pub struct CanaryState {
    /// Rules with a halting canary, and their thresholds.
    rules: Vec<(String, HaltConfig)>,
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
            .collect();
        CanaryState {
            rules,
            ..CanaryState::default()
        }
    }

    /// Creates the shared windows (see [`shared::create`]).
    pub fn create_windows(&self, host: &dyn Host) {
        for (rule, _) in &self.rules {
            shared::create(host, &shared_key(rule));
        }
    }

    /// True when some rule's canary can halt: the root then needs its tick.
    pub fn needs_tick(&self) -> bool {
        !self.rules.is_empty()
    }

    /// True while `rule`'s canary is halted on this proxy. Host errors: not halted.
    pub fn halted(&self, host: &dyn Host, rule: &str, now_ms: u64) -> bool {
        let Ok((Some(bytes), _)) = host.get_shared(&halt_key(rule)) else {
            return false;
        };
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|until| now_ms < until)
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
    /// thresholds break (one log line, a metric), refresh the halt cache.
    pub fn tick(&self, host: &dyn Host, now_ms: u64, metrics: &Metrics) {
        let deltas = std::mem::take(&mut *self.deltas.borrow_mut());
        for (rule, halt) in &self.rules {
            let key = shared_key(rule);
            let window = match deltas.get(rule).filter(|d| !d.is_empty()) {
                Some(delta) => shared::update(host, &key, |w: &mut CanaryWindow| {
                    w.merge(now_ms, delta, halt)
                })
                .map(|(_, after, reason)| {
                    if let Some(reason) = reason {
                        publish_halt(host, rule, after.halted_until_ms);
                        report_halt(rule, reason, halt, metrics);
                    }
                    after
                }),
                None => shared::read::<CanaryWindow>(host, &key),
            };
            let until = window.map_or(0, |w| w.halted_until_ms);
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
