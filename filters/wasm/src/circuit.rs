//! Circuit breakers in shared data: one `Breaker` per target, so all Envoy
//! workers agree.
//! Host errors fail open (routing's failure mode): traffic is never stopped
//! because shared data misbehaved.

use crate::host::Host;
use crate::metrics::Metrics;
use crate::shared;
use llm_policy_core::breaker::{Admission, Breaker, State};
use llm_policy_core::policy::CircuitConfig;

fn shared_key(target: &str) -> String {
    format!("llm-policy.breaker.{target}")
}

/// Applies `change` to the breaker of `target`; logs and counts transitions.
fn update<T>(
    host: &dyn Host,
    target: &str,
    metrics: &Metrics,
    change: impl FnMut(&mut Breaker) -> T,
) -> Option<T> {
    let (before, after, out) = shared::update(host, &shared_key(target), change)?;
    if after.state != before.state {
        on_transition(target, before.state, after.state, metrics);
    }
    Some(out)
}

fn on_transition(target: &str, from: State, to: State, metrics: &Metrics) {
    log::warn!("circuit {target}: {from:?} -> {to:?}");
    metrics.circuit_state.set([target], to.gauge());
    let to_label = match to {
        State::Closed => "closed",
        State::Open => "open",
        State::HalfOpen => "half_open",
    };
    metrics.circuit_transitions.add([target, to_label], 1);
}

/// Admission for a request to `target` at `now_ms`.
pub fn admit(
    host: &dyn Host,
    target: &str,
    now_ms: u64,
    cfg: &CircuitConfig,
    metrics: &Metrics,
) -> Admission {
    update(host, target, metrics, |b| b.admit(now_ms, cfg)).unwrap_or(Admission::Allow)
}

/// Records the outcome of a request admitted as `admission`.
pub fn record(
    host: &dyn Host,
    target: &str,
    now_ms: u64,
    failure: bool,
    admission: Admission,
    cfg: &CircuitConfig,
    metrics: &Metrics,
) {
    update(host, target, metrics, |b| {
        b.record(now_ms, failure, admission, cfg)
    });
}

/// Gives back a probe slot for a request that never reached the target.
pub fn release(host: &dyn Host, target: &str, admission: Admission, metrics: &Metrics) {
    update(host, target, metrics, |b| b.release(admission));
}
