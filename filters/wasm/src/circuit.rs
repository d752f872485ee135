//! Circuit breakers in proxy-wasm shared data: one encoded `Breaker` per
//! target, read and written with compare-and-swap so all Envoy workers agree.
//! Host errors fail open (routing's failure mode): traffic is never stopped
//! because shared data misbehaved.

use crate::metrics::Metrics;
use llm_policy_core::breaker::{Admission, Breaker, State};
use llm_policy_core::policy::CircuitConfig;
use proxy_wasm::hostcalls;
use proxy_wasm::types::Status;

/// Attempts at a compare-and-swap update before giving up (failing open).
const CAS_ATTEMPTS: usize = 16;

fn shared_key(target: &str) -> String {
    format!("llm-policy.breaker.{target}")
}

/// Reads the breaker of `target`, applies `change`, writes it back if it
/// changed; returns what `change` returned. `None` when the host failed.
fn update<T>(
    target: &str,
    metrics: &Metrics,
    mut change: impl FnMut(&mut Breaker) -> T,
) -> Option<T> {
    let key = shared_key(target);
    for _ in 0..CAS_ATTEMPTS {
        let (bytes, cas) = hostcalls::get_shared_data(&key).ok()?;
        let before = Breaker::decode(bytes.as_deref().unwrap_or_default());
        let mut after = before;
        let out = change(&mut after);
        if after == before {
            return Some(out);
        }
        match hostcalls::set_shared_data(&key, Some(&after.encode()), cas) {
            Ok(()) => {
                if after.state != before.state {
                    on_transition(target, before.state, after.state, metrics);
                }
                return Some(out);
            }
            Err(Status::CasMismatch) => continue,
            Err(e) => {
                log::warn!("circuit {target}: shared data write failed: {e:?}");
                return None;
            }
        }
    }
    log::warn!("circuit {target}: gave up after {CAS_ATTEMPTS} CAS mismatches");
    None
}

fn on_transition(target: &str, from: State, to: State, metrics: &Metrics) {
    log::warn!("circuit {target}: {from:?} -> {to:?}");
    metrics.gauge(
        "llm_policy_circuit_state",
        &[("target", target)],
        to.gauge(),
    );
    let to_label = match to {
        State::Closed => "closed",
        State::Open => "open",
        State::HalfOpen => "half_open",
    };
    metrics.count(
        "llm_policy_circuit_transitions_total",
        &[("target", target), ("state", to_label)],
        1,
    );
}

/// Admission for a request to `target` at `now_ms`.
pub fn admit(target: &str, now_ms: u64, cfg: &CircuitConfig, metrics: &Metrics) -> Admission {
    update(target, metrics, |b| b.admit(now_ms, cfg)).unwrap_or(Admission::Allow)
}

/// Records the outcome of a request admitted as `admission`.
pub fn record(
    target: &str,
    now_ms: u64,
    failure: bool,
    admission: Admission,
    cfg: &CircuitConfig,
    metrics: &Metrics,
) {
    update(target, metrics, |b| {
        b.record(now_ms, failure, admission, cfg)
    });
}

/// Gives back a probe slot for a request that never reached the target.
pub fn release(target: &str, admission: Admission, metrics: &Metrics) {
    update(target, metrics, |b| b.release(admission));
}
