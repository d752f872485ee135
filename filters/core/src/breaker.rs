//! The circuit breaker's state machine, host-free. The adapter keeps one
//! encoded `Breaker` per target in proxy-wasm shared data, so every Envoy
//! worker sees the same state, and updates it with compare-and-swap.
//!
//! closed → open: `consecutive_failures` in a row, or a failure rate over
//! `failure_rate` with at least `min_requests` in the current window.
//! open → half-open after `open_s`; half-open lets `half_open_probes` requests
//! through at a time; `close_after` successes close it, one failure re-opens.

use crate::policy::CircuitConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum State {
    #[default]
    Closed,
    Open,
    HalfOpen,
}

impl State {
    /// The value of the `llm_policy_circuit_state` gauge.
    pub fn gauge(self) -> u64 {
        match self {
            State::Closed => 0,
            State::Open => 1,
            State::HalfOpen => 2,
        }
    }
}

/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Allow,
    /// Allowed as a half-open probe: its outcome decides the state.
    Probe,
    /// Refused; `retry_after_s` until the breaker half-opens (at least 1).
    Reject {
        retry_after_s: u64,
    },
}

/// One target's breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breaker {
    pub state: State,
    consecutive: u32,
    window_start_ms: u64,
    window_requests: u32,
    window_failures: u32,
    /// When it opened, or half-opened.
    since_ms: u64,
    probes_in_flight: u32,
    probe_successes: u32,
}

impl Breaker {
    /// Decides admission at `now_ms`, moving open → half-open when due.
    pub fn admit(&mut self, now_ms: u64, cfg: &CircuitConfig) -> Admission {
        let open_ms = cfg.open_s * 1000;
        if self.state == State::Open && now_ms >= self.since_ms + open_ms {
            self.to(State::HalfOpen, now_ms);
        }
        // A probe that never reported (its VM went away) must not wedge half-open.
        if self.state == State::HalfOpen && now_ms >= self.since_ms + open_ms.max(1000) {
            self.probes_in_flight = 0;
            self.since_ms = now_ms;
        }
        match self.state {
            State::Closed => Admission::Allow,
            State::HalfOpen if self.probes_in_flight < cfg.half_open_probes => {
                self.probes_in_flight += 1;
                Admission::Probe
            }
            State::HalfOpen => Admission::Reject { retry_after_s: 1 },
            State::Open => Admission::Reject {
                retry_after_s: (self.since_ms + open_ms)
                    .saturating_sub(now_ms)
                    .div_ceil(1000)
                    .max(1),
            },
        }
    }

    /// Records a finished request admitted as `admission`.
    pub fn record(
        &mut self,
        now_ms: u64,
        failure: bool,
        admission: Admission,
        cfg: &CircuitConfig,
    ) {
        match (self.state, admission) {
            (State::HalfOpen, Admission::Probe) => {
                self.probes_in_flight = self.probes_in_flight.saturating_sub(1);
                if failure {
                    self.to(State::Open, now_ms);
                } else {
                    self.probe_successes += 1;
                    if self.probe_successes >= cfg.close_after {
                        self.to(State::Closed, now_ms);
                    }
                }
            }
            (State::Closed, _) => self.record_closed(now_ms, failure, cfg),
            _ => {} // late answers from before a transition
        }
    }

    /// A request admitted as `admission` ended without an upstream answer
    /// that says anything about the target (the filter refused its body).
    pub fn release(&mut self, admission: Admission) {
        if (self.state, admission) == (State::HalfOpen, Admission::Probe) {
            self.probes_in_flight = self.probes_in_flight.saturating_sub(1);
        }
    }

    fn record_closed(&mut self, now_ms: u64, failure: bool, cfg: &CircuitConfig) {
        if cfg.failure_rate.is_none() {
            // Without a rate trigger only the run of failures matters: a success
            // after a success changes nothing (and costs no shared-data write).
            self.consecutive = if failure { self.consecutive + 1 } else { 0 };
            if cfg.consecutive_failures > 0 && self.consecutive >= cfg.consecutive_failures {
                self.to(State::Open, now_ms);
            }
            return;
        }
        if now_ms >= self.window_start_ms + cfg.window_s * 1000 {
            self.window_start_ms = now_ms;
            self.window_requests = 0;
            self.window_failures = 0;
        }
        self.window_requests += 1;
        if failure {
            self.window_failures += 1;
            self.consecutive += 1;
        } else {
            self.consecutive = 0;
        }
        let by_count = cfg.consecutive_failures > 0 && self.consecutive >= cfg.consecutive_failures;
        let by_rate = cfg.failure_rate.is_some_and(|(threshold, min)| {
            self.window_requests >= min
                && f64::from(self.window_failures) >= threshold * f64::from(self.window_requests)
        });
        if by_count || by_rate {
            self.to(State::Open, now_ms);
        }
    }

    fn to(&mut self, state: State, now_ms: u64) {
        *self = Breaker {
            state,
            since_ms: now_ms,
            window_start_ms: now_ms,
            ..Breaker::default()
        };
    }

    /// Closed with nothing counted: behaves exactly like a fresh breaker
    /// (admits without changing, and a success leaves it unchanged when the
    /// breaker has no rate trigger).
    pub fn is_idle(&self) -> bool {
        self.state == State::Closed
            && self.consecutive == 0
            && self.window_requests == 0
            && self.window_failures == 0
            && self.probes_in_flight == 0
            && self.probe_successes == 0
    }

    /// Compact text form kept in shared data. An idle breaker (a healthy
    /// target) encodes as nothing: the host hands an empty value back without
    /// allocating in the VM, which makes the per-request read about ten times
    /// cheaper than reading a value.
    pub fn encode(&self) -> Vec<u8> {
        if self.is_idle() {
            return Vec::new();
        }
        format!(
            "1 {} {} {} {} {} {} {} {}",
            self.state.gauge(),
            self.consecutive,
            self.window_start_ms,
            self.window_requests,
            self.window_failures,
            self.since_ms,
            self.probes_in_flight,
            self.probe_successes
        )
        .into_bytes()
    }

    /// Decodes [`Breaker::encode`]; anything else is a fresh (closed) breaker.
    pub fn decode(bytes: &[u8]) -> Breaker {
        let text = std::str::from_utf8(bytes).unwrap_or("");
        let n: Vec<u64> = text.split(' ').filter_map(|p| p.parse().ok()).collect();
        if n.len() != 9 || n[0] != 1 {
            return Breaker::default();
        }
        let small = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Breaker {
            state: match n[1] {
                1 => State::Open,
                2 => State::HalfOpen,
                _ => State::Closed,
            },
            consecutive: small(n[2]),
            window_start_ms: n[3],
            window_requests: small(n[4]),
            window_failures: small(n[5]),
            since_ms: n[6],
            probes_in_flight: small(n[7]),
            probe_successes: small(n[8]),
        }
    }
}

/// Envoy response flags that mean the upstream failed: request timeout,
/// remote reset, connection failure, connection termination, overflow.
pub const UPSTREAM_FAILURE_FLAGS: u64 = 0x4 | 0x10 | 0x20 | 0x40 | 0x80;
/// Envoy's DownstreamConnectionTermination flag: the client went away.
pub const DOWNSTREAM_TERMINATION_FLAG: u64 = 0x4000;

/// What the filter saw of one upstream exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    /// `None`: no response headers at all.
    pub status: Option<u16>,
    /// Envoy's response flags (`response.flags`).
    pub flags: u64,
    /// Response headers came but the body never ended.
    pub incomplete: bool,
    /// Milliseconds from request to the first response body byte.
    pub first_token_ms: Option<u64>,
    /// Longest silence between two response body chunks, in milliseconds.
    pub max_gap_ms: u64,
}

/// What counts as a failure beyond the common definition: the breaker's
/// policy adds statuses and stream timings; the canary's halt window uses
/// [`FailureRules::COMMON`] alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureRules<'a> {
    /// Statuses below 500 that count as failures (vLLM's 429 by default).
    pub statuses: &'a [u16],
    pub first_token_timeout_ms: Option<u64>,
    pub stream_idle_timeout_ms: Option<u64>,
}

impl FailureRules<'static> {
    /// The common definition only.
    pub const COMMON: FailureRules<'static> = FailureRules {
        statuses: &[],
        first_token_timeout_ms: None,
        stream_idle_timeout_ms: None,
    };
}

impl<'a> FailureRules<'a> {
    /// The breaker's rules.
    pub fn of(cfg: &'a CircuitConfig) -> FailureRules<'a> {
        FailureRules {
            statuses: &cfg.failure_statuses,
            first_token_timeout_ms: cfg.first_token_timeout_ms,
            stream_idle_timeout_ms: cfg.stream_idle_timeout_ms,
        }
    }
}

/// The one definition of a failed exchange. Common: a 5xx, no response at
/// all, an upstream reset or timeout (Envoy's response flags), a stream that
/// aborted midway. Then what `rules` add: a status they name, no first token
/// within `first_token_timeout_ms`, a stream idle past
/// `stream_idle_timeout_ms`. A client that went away is not the target's
/// fault (no response or an incomplete stream with Envoy's downstream
/// termination flag is not a failure).
pub fn failed(o: &Outcome, rules: &FailureRules) -> bool {
    let by_status = match o.status {
        None => o.flags & DOWNSTREAM_TERMINATION_FLAG == 0,
        Some(s) => s >= 500 || rules.statuses.contains(&s),
    };
    let aborted = o.incomplete && o.flags & DOWNSTREAM_TERMINATION_FLAG == 0;
    let slow_first = rules
        .first_token_timeout_ms
        .zip(o.first_token_ms)
        .is_some_and(|(limit, t)| t > limit);
    let stalled = rules
        .stream_idle_timeout_ms
        .is_some_and(|limit| o.max_gap_ms > limit);
    by_status || o.flags & UPSTREAM_FAILURE_FLAGS != 0 || aborted || slow_first || stalled
}

/// Whether an exchange counts as a failure for the breaker: [`failed`]
/// with the breaker's [`FailureRules::of`] `cfg`.
pub fn is_failure(o: &Outcome, cfg: &CircuitConfig) -> bool {
    failed(o, &FailureRules::of(cfg))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn cfg() -> CircuitConfig {
        CircuitConfig::default()
    }

    #[test]
    fn opens_after_consecutive_failures_and_answers_retry_after() {
        let (c, mut b) = (cfg(), Breaker::default());
        for i in 0..4 {
            assert_eq!(b.admit(i, &c), Admission::Allow);
            b.record(i, true, Admission::Allow, &c);
        }
        b.record(4, false, Admission::Allow, &c);
        assert_eq!(b.state, State::Closed, "a success resets the count");
        for i in 5..10 {
            b.record(i, true, Admission::Allow, &c);
        }
        assert_eq!(b.state, State::Open);
        assert_eq!(b.admit(10, &c), Admission::Reject { retry_after_s: 60 });
        assert_eq!(b.admit(59_010, &c), Admission::Reject { retry_after_s: 1 });
    }

    #[test]
    fn half_open_probes_then_closes_after_successes_or_reopens() {
        let (c, mut b) = (cfg(), Breaker::default());
        (0..5).for_each(|i| b.record(i, true, Admission::Allow, &c));
        let t = 60_004;
        assert_eq!(b.admit(t, &c), Admission::Probe);
        assert_eq!(
            b.admit(t, &c),
            Admission::Reject { retry_after_s: 1 },
            "one probe at a time"
        );
        b.record(t, false, Admission::Probe, &c);
        assert_eq!(b.state, State::HalfOpen);
        assert_eq!(b.admit(t + 1, &c), Admission::Probe);
        b.record(t + 1, false, Admission::Probe, &c);
        assert_eq!(b.state, State::Closed, "closes after 2 successes");
        (0..5).for_each(|i| b.record(t + 2 + i, true, Admission::Allow, &c));
        let t2 = t + 6 + 60_000;
        assert_eq!(b.admit(t2, &c), Admission::Probe);
        b.record(t2, true, Admission::Probe, &c);
        assert_eq!(b.state, State::Open, "a failed probe re-opens");
    }

    #[test]
    fn successes_in_a_row_leave_the_state_unchanged() {
        let (c, mut b) = (cfg(), Breaker::default());
        b.record(1, false, Admission::Allow, &c);
        assert_eq!(b, Breaker::default(), "nothing to write back");
    }

    #[test]
    fn failure_rate_over_a_minimum_of_requests() {
        let mut c = cfg();
        c.consecutive_failures = 0;
        c.failure_rate = Some((0.5, 10));
        let mut b = Breaker::default();
        for i in 0..9 {
            b.record(i, i % 2 == 0, Admission::Allow, &c);
        }
        assert_eq!(b.state, State::Closed, "below the minimum");
        b.record(9, true, Admission::Allow, &c);
        assert_eq!(b.state, State::Open);
    }

    #[test]
    fn encodes_round_trip_and_garbage_is_closed() {
        let c = cfg();
        let mut b = Breaker::default();
        (0..5).for_each(|i| b.record(i + 1000, true, Admission::Allow, &c));
        assert_eq!(Breaker::decode(&b.encode()), b);
        assert_eq!(Breaker::decode(b"nonsense"), Breaker::default());
        // Idle (closed, nothing counted) is the empty value, read back as fresh.
        let mut run = Breaker::default();
        run.record(1, true, Admission::Allow, &c);
        assert!(!run.encode().is_empty(), "a failure is counted");
        run.record(2, false, Admission::Allow, &c);
        assert!(run.encode().is_empty(), "a success ends the run");
        assert_eq!(Breaker::decode(b""), Breaker::default());
        let mut reopened = Breaker::default();
        reopened.to(State::Open, 5);
        reopened.to(State::Closed, 9);
        assert!(
            reopened.encode().is_empty(),
            "closed again after a half-open"
        );
        let status = |s| Outcome {
            status: s,
            ..Outcome::default()
        };
        assert!(is_failure(&status(None), &c) && is_failure(&status(Some(503)), &c));
        assert!(is_failure(&status(Some(429)), &c));
        assert!(!is_failure(&status(Some(400)), &c) && !is_failure(&status(Some(200)), &c));
    }

    #[test]
    fn the_common_definition_is_the_breakers_without_its_additions() {
        let status = |s| Outcome {
            status: s,
            ..Outcome::default()
        };
        let common = |o: &Outcome| failed(o, &FailureRules::COMMON);
        assert!(common(&status(Some(500))) && common(&status(Some(503))) && common(&status(None)));
        assert!(!common(&status(Some(429))), "429 is the breaker's addition");
        assert!(!common(&status(Some(200))) && !common(&status(Some(404))));
        let client_left = Outcome {
            flags: DOWNSTREAM_TERMINATION_FLAG,
            ..status(None)
        };
        assert!(!common(&client_left) && !is_failure(&client_left, &cfg()));
        let reset = Outcome {
            flags: 0x10,
            incomplete: true,
            ..status(Some(200))
        };
        assert!(common(&reset) && is_failure(&reset, &cfg()));
    }

    #[test]
    fn llm_specific_failures() {
        let mut c = cfg();
        c.first_token_timeout_ms = Some(1000);
        c.stream_idle_timeout_ms = Some(500);
        let ok = Outcome {
            status: Some(200),
            first_token_ms: Some(900),
            max_gap_ms: 400,
            ..Outcome::default()
        };
        assert!(!is_failure(&ok, &c));
        assert!(
            is_failure(
                &Outcome {
                    first_token_ms: Some(1200),
                    ..ok
                },
                &c
            ),
            "slow first token"
        );
        assert!(
            is_failure(
                &Outcome {
                    max_gap_ms: 600,
                    ..ok
                },
                &c
            ),
            "stalled stream"
        );
        assert!(
            is_failure(
                &Outcome {
                    incomplete: true,
                    ..ok
                },
                &c
            ),
            "aborted midway"
        );
        assert!(
            is_failure(&Outcome { flags: 0x10, ..ok }, &c),
            "upstream reset"
        );
        let client_left = Outcome {
            incomplete: true,
            flags: DOWNSTREAM_TERMINATION_FLAG,
            ..ok
        };
        assert!(!is_failure(&client_left, &c), "the client went away");
    }
}
