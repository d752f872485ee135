//! Circuit breakers in shared data: one `Breaker` per target, so all Envoy
//! workers agree, with a per-worker copy so a healthy target costs no host
//! call per request.
//!
//! The copy: each worker (its own VM and root context) keeps the last
//! breaker it saw per target. While that copy is idle (closed, nothing
//! counted), a request is admitted and a success recorded without touching
//! shared data: neither changes an idle breaker. Everything else (a failure,
//! a probe, any request while the copy is not idle, every request of a
//! breaker with a `failure_rate` trigger, which counts every request) goes
//! through shared data with compare-and-swap, and the worker keeps the
//! result as its copy at once. The root tick ([`crate::canary::TICK_MS`])
//! re-reads every target's shared value into the copy.
//!
//! Staleness, bounded by one tick: a breaker opened by another worker is
//! honoured here from this worker's next tick on (until then this worker
//! admits, and any failure it sees goes to shared data and refreshes the
//! copy at once); a success on a worker whose copy is idle does not reset a
//! run of failures another worker counted in the same tick.
//!
//! Host errors fail open (routing's failure mode): traffic is never stopped
//! because shared data misbehaved.

use crate::host::Host;
use crate::metrics::Metrics;
use crate::shared;
use llm_policy_core::breaker::{Admission, Breaker, State};
use llm_policy_core::policy::CircuitConfig;
use std::cell::RefCell;
use std::collections::HashMap;

fn shared_key(target: &str) -> String {
    format!("llm-policy.breaker.{target}")
}

/// One worker's copies of the breakers it has seen, by target.
#[derive(Default)]
pub struct Breakers {
    copies: RefCell<HashMap<String, Breaker>>,
}

impl Breakers {
    /// True when this worker's copy of `target` is idle (an unseen target is not).
    fn idle(&self, target: &str) -> bool {
        self.copies
            .borrow()
            .get(target)
            .is_some_and(Breaker::is_idle)
    }

    fn keep(&self, target: &str, breaker: Breaker) {
        let mut copies = self.copies.borrow_mut();
        match copies.get_mut(target) {
            Some(b) => *b = breaker,
            None => {
                copies.insert(target.to_string(), breaker);
            }
        }
    }

    /// Applies `change` to the shared breaker of `target`, keeps the result
    /// as this worker's copy; logs and counts transitions.
    fn update<T>(
        &self,
        host: &dyn Host,
        target: &str,
        metrics: &Metrics,
        change: impl FnMut(&mut Breaker) -> T,
    ) -> Option<T> {
        let (before, after, out) = shared::update(host, &shared_key(target), change)?;
        self.keep(target, after);
        if after.state != before.state {
            on_transition(target, before.state, after.state, metrics);
        }
        Some(out)
    }

    /// Admission for a request to `target` at `now_ms`.
    pub fn admit(
        &self,
        host: &dyn Host,
        target: &str,
        now_ms: u64,
        cfg: &CircuitConfig,
        metrics: &Metrics,
    ) -> Admission {
        if self.idle(target) {
            return Admission::Allow;
        }
        self.update(host, target, metrics, |b| b.admit(now_ms, cfg))
            .unwrap_or(Admission::Allow)
    }

    /// Records the outcome of a request admitted as `admission`.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &self,
        host: &dyn Host,
        target: &str,
        now_ms: u64,
        failure: bool,
        admission: Admission,
        cfg: &CircuitConfig,
        metrics: &Metrics,
    ) {
        let unchanged = !failure
            && admission == Admission::Allow
            && cfg.failure_rate.is_none()
            && self.idle(target);
        if unchanged {
            return;
        }
        self.update(host, target, metrics, |b| {
            b.record(now_ms, failure, admission, cfg)
        });
    }

    /// Gives back a probe slot for a request that never reached the target
    /// (only a probe holds one).
    pub fn release(&self, host: &dyn Host, target: &str, admission: Admission, metrics: &Metrics) {
        if admission != Admission::Probe {
            return;
        }
        self.update(host, target, metrics, |b| b.release(admission));
    }

    /// The tick: re-reads every target this worker has seen.
    pub fn refresh(&self, host: &dyn Host) {
        let mut copies = self.copies.borrow_mut();
        for (target, copy) in copies.iter_mut() {
            if let Some(b) = shared::read::<Breaker>(host, &shared_key(target)) {
                *copy = b;
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::FakeHost;
    use std::rc::Rc;

    const T0: u64 = 1_700_000_000_000;

    fn cfg() -> CircuitConfig {
        CircuitConfig {
            consecutive_failures: 2,
            open_s: 30,
            ..CircuitConfig::default()
        }
    }

    fn shared_reads(host: &FakeHost) -> usize {
        host.take_call_counts()
            .iter()
            .filter(|(c, _)| c.name == "get_shared_data")
            .map(|(_, n)| n)
            .sum()
    }

    /// Two workers (two VMs) over one proxy's shared data.
    fn two_workers() -> (Rc<FakeHost>, Metrics, Breakers, Breakers) {
        let host = Rc::new(FakeHost::at(T0));
        let dyn_host: Rc<dyn Host> = host.clone();
        (
            host,
            Metrics::new(&dyn_host),
            Breakers::default(),
            Breakers::default(),
        )
    }

    #[test]
    fn a_healthy_target_costs_no_host_call_after_its_first_request() {
        let (host, m, a, _) = two_workers();
        let cfg = cfg();
        assert_eq!(a.admit(&*host, "t", T0, &cfg, &m), Admission::Allow);
        a.record(&*host, "t", T0, false, Admission::Allow, &cfg, &m);
        host.take_call_counts();
        for i in 0..10 {
            assert_eq!(a.admit(&*host, "t", T0 + i, &cfg, &m), Admission::Allow);
            a.record(&*host, "t", T0 + i, false, Admission::Allow, &cfg, &m);
        }
        assert_eq!(shared_reads(&host), 0);
    }

    #[test]
    fn a_breaker_opened_by_one_worker_is_honoured_by_the_other_from_its_next_tick() {
        let (host, m, a, b) = two_workers();
        let cfg = cfg();
        assert_eq!(a.admit(&*host, "t", T0, &cfg, &m), Admission::Allow);
        assert_eq!(b.admit(&*host, "t", T0, &cfg, &m), Admission::Allow);
        // Worker a sees two failures: open, at once on a.
        a.record(&*host, "t", T0, true, Admission::Allow, &cfg, &m);
        assert!(matches!(
            a.admit(&*host, "t", T0, &cfg, &m),
            Admission::Allow
        ));
        a.record(&*host, "t", T0, true, Admission::Allow, &cfg, &m);
        assert!(matches!(
            a.admit(&*host, "t", T0 + 1, &cfg, &m),
            Admission::Reject { .. }
        ));
        // Worker b, before its tick: its copy is still healthy (the staleness).
        assert_eq!(b.admit(&*host, "t", T0 + 1, &cfg, &m), Admission::Allow);
        // b's tick: open there too.
        b.refresh(&*host);
        assert_eq!(
            b.admit(&*host, "t", T0 + 2, &cfg, &m),
            Admission::Reject { retry_after_s: 30 }
        );
    }

    #[test]
    fn a_failure_on_a_stale_worker_still_counts_in_shared_data() {
        let (host, m, a, b) = two_workers();
        let cfg = cfg();
        a.admit(&*host, "t", T0, &cfg, &m);
        b.admit(&*host, "t", T0, &cfg, &m);
        a.record(&*host, "t", T0, true, Admission::Allow, &cfg, &m);
        // b has not ticked: its failure goes to shared data and opens the breaker.
        b.record(&*host, "t", T0, true, Admission::Allow, &cfg, &m);
        assert!(matches!(
            b.admit(&*host, "t", T0 + 1, &cfg, &m),
            Admission::Reject { .. }
        ));
        a.refresh(&*host);
        assert!(matches!(
            a.admit(&*host, "t", T0 + 1, &cfg, &m),
            Admission::Reject { .. }
        ));
    }

    #[test]
    fn a_rate_trigger_counts_every_request_in_shared_data() {
        let (host, m, a, _) = two_workers();
        let cfg = CircuitConfig {
            failure_rate: Some((0.5, 4)),
            ..cfg()
        };
        a.admit(&*host, "t", T0, &cfg, &m);
        host.take_call_counts();
        a.record(&*host, "t", T0, false, Admission::Allow, &cfg, &m);
        assert_eq!(shared_reads(&host), 1, "a success counts in the window");
    }
}
