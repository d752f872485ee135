//! The canary's halt window in shared data, one per route rule, so every
//! Envoy worker of this proxy halts and resumes together.

use crate::metrics::Metrics;
use crate::shared;
use llm_policy_core::canary::{CanaryWindow, HaltReason};
use llm_policy_core::policy::HaltConfig;

fn shared_key(rule: &str) -> String {
    format!("llm-policy.canary.{rule}")
}

/// True while this rule's canary is halted on this proxy. Host errors: not halted.
pub fn halted(rule: &str, now_ms: u64) -> bool {
    shared::read::<CanaryWindow>(&shared_key(rule)).is_some_and(|w| w.halted(now_ms))
}

/// Adds one finished request to the window; halts the canary when it breaks
/// the thresholds, with one log line and a metric.
pub fn record(
    rule: &str,
    now_ms: u64,
    canary: bool,
    failure: bool,
    latency_ms: u64,
    cfg: &HaltConfig,
    metrics: &Metrics,
) {
    let updated = shared::update(&shared_key(rule), |w: &mut CanaryWindow| {
        w.record(now_ms, canary, failure, latency_ms, cfg)
    });
    let Some((_, _, Some(reason))) = updated else {
        return;
    };
    let (label, detail) = match reason {
        HaltReason::ErrorRate(r) => ("error_rate", format!("error rate {:.2}%", r * 100.0)),
        HaltReason::P95(p) => ("p95", format!("p95 {p} ms")),
        HaltReason::P95VsStable(p, s) => ("p95_vs_stable", format!("p95 {p} ms vs stable {s} ms")),
    };
    log::warn!(
        "canary of rule {rule} halted on this proxy for {} s: {detail}",
        cfg.cooldown_s
    );
    metrics.count(
        "llm_policy_canary_halts_total",
        &[("rule", rule), ("reason", label)],
        1,
    );
}
