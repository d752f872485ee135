//! The end of an exchange: one outcome record, read by the breaker, the
//! canary window, the per-arm and per-track metrics, with one definition of
//! failure ([`crate::breaker::failed`]): the breaker adds its policy's
//! statuses and stream timings ([`FailureRules::of`]), the canary window
//! uses the common definition ([`FailureRules::COMMON`]: 5xx, no response,
//! an upstream reset or timeout, an aborted stream; not a client that went
//! away).

use super::{Circuit, Exchange};
use crate::breaker::{failed, FailureRules, Outcome};

/// What the end-of-exchange phase reads from the host, lazily.
pub trait LogHost {
    /// Envoy's `response.flags` (one property read).
    fn response_flags(&mut self) -> u64;
    /// Unix ms now (one clock read).
    fn now_ms(&mut self) -> u64;
}

/// The one record of a finished exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExchangeOutcome {
    /// Status, flags, completeness and stream timing.
    pub upstream: Outcome,
    /// The filter answered the request itself: the target never saw it.
    pub replied: bool,
    /// Unix ms at the end (0 when the clock was not needed).
    pub now_ms: u64,
    /// Milliseconds from request headers to the end (0 when not needed).
    pub elapsed_ms: u64,
    /// Milliseconds to the response headers, or to the end without them.
    pub latency_ms: u64,
}

/// What the breaker is told.
#[derive(Debug, Clone, PartialEq)]
pub enum BreakerUpdate {
    /// The request never reached the target: give back its probe slot.
    Release(Circuit),
    /// The target's answer: a failure or a success.
    Record(Circuit, bool),
}

/// One sample of the canary's halt window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanarySample {
    pub canary: bool,
    pub failure: bool,
    pub latency_ms: u64,
}

/// Everything the end of an exchange feeds.
#[derive(Debug, Clone, PartialEq)]
pub struct EndOfExchange {
    pub outcome: ExchangeOutcome,
    pub breaker: Option<BreakerUpdate>,
    pub canary: Option<CanarySample>,
    /// The strongest screening outcome of request and response (`action`
    /// label of the per-arm and per-track screening counts).
    pub screening: Option<&'static str>,
    /// Per-arm latency (`llm_policy_ab_latency_ms`), when arms were chosen.
    pub arm_latency_ms: Option<u64>,
}

impl Exchange {
    fn halting_canary(&self) -> bool {
        self.plan.track.is_some()
            && self
                .plan
                .rule
                .canary
                .as_ref()
                .is_some_and(|c| c.halt.is_some())
    }

    /// The outcome record, reading the clock and the flags only when
    /// something consumes them.
    pub fn outcome(&self, host: &mut dyn LogHost) -> ExchangeOutcome {
        let timed = self.circuit.is_some() || !self.plan.arms.is_empty() || self.halting_canary();
        let (now_ms, elapsed_ms) = if timed {
            let now = host.now_ms();
            (now, now.saturating_sub(self.started_ms))
        } else {
            (0, 0)
        };
        let judged = self.circuit.is_some() || self.halting_canary();
        // Flags only matter when the exchange did not finish normally.
        let abnormal = self.status.is_none() || !self.watch.ended;
        let flags = if judged && !self.replied && abnormal {
            host.response_flags()
        } else {
            0
        };
        ExchangeOutcome {
            upstream: Outcome {
                status: self.status,
                flags,
                incomplete: self.status.is_some() && !self.watch.ended,
                first_token_ms: self.watch.first_body_ms,
                max_gap_ms: self.watch.max_gap_ms,
            },
            replied: self.replied,
            now_ms,
            elapsed_ms,
            latency_ms: self.first_byte_ms.unwrap_or(elapsed_ms),
        }
    }

    /// The end-of-exchange phase: the outcome and what each consumer is told.
    pub fn finish(&mut self, host: &mut dyn LogHost) -> EndOfExchange {
        let outcome = self.outcome(host);
        let breaker = self.circuit.take().map(|c| {
            if outcome.replied {
                BreakerUpdate::Release(c)
            } else {
                let failure = failed(&outcome.upstream, &FailureRules::of(&c.cfg));
                BreakerUpdate::Record(c, failure)
            }
        });
        let canary = match &self.plan.track {
            Some(track) if self.halting_canary() && !outcome.replied => Some(CanarySample {
                canary: track.canary,
                failure: failed(&outcome.upstream, &FailureRules::COMMON),
                latency_ms: outcome.latency_ms,
            }),
            _ => None,
        };
        let strongest = self
            .request_tally
            .strongest()
            .max(self.response_tally.strongest());
        EndOfExchange {
            outcome,
            breaker,
            canary,
            screening: strongest.map(|o| o.label()),
            arm_latency_ms: (!self.plan.arms.is_empty()).then_some(outcome.elapsed_ms),
        }
    }
}
