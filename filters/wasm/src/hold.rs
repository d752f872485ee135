//! Holding the request headers until the body is judged.
//!
//! Envoy (1.35+) honours a Wasm filter's `StopIteration` on request headers,
//! and still delivers the body, only where the plugin's configuration sets
//! `allow_on_headers_stop_iteration: true`; elsewhere a paused header
//! callback stops the body callbacks too, and the request would wait for
//! ever. The VM cannot read that setting, so every install path that sets it
//! also sets the VM environment variable [`HOLD_ENV`]`=true` beside it (the
//! Envoy templates, the ECDS resource, the rendered EnvoyFilter). With both,
//! a route that reads bodies holds the headers: a refused request never
//! reaches the pod, and no upstream connection is aborted. Without the
//! variable, headers continue at once and a refusal resets the upstream
//! request, as before.
//!
//! Set apart by hand (the variable without the Envoy setting), a held
//! request would stall: the root's tick resumes every held request that has
//! seen no body callback for [`STALL_MS`] (that request then goes on the
//! old way), counts it in `llm_policy_header_hold_stalls_total`, logs once,
//! and after [`STALLS_TO_STOP`] stalls in a row this worker stops holding.

use crate::host::Host;
use std::cell::{Cell, RefCell};

/// The VM environment variable that says the Envoy config allows holding.
pub const HOLD_ENV: &str = "LLM_POLICY_HOLD_HEADERS";
/// How long a held request may go without a body callback.
pub const STALL_MS: u64 = 1000;
/// The tick period while holding is on, so a stall is found within this.
pub const TICK_MS: u64 = 250;
/// Consecutive stalls after which this worker stops holding headers.
pub const STALLS_TO_STOP: u32 = 3;

/// Per-worker (per VM thread) state, shared by the root and HTTP contexts.
#[derive(Debug, Default)]
pub struct HoldState {
    enabled: Cell<bool>,
    /// Held requests still waiting for their first body callback:
    /// (context id, Unix ms when held).
    waiting: RefCell<Vec<(u32, u64)>>,
    stalls_in_a_row: Cell<u32>,
}

/// What a tick found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    pub resumed: u32,
    /// This tick made the worker stop holding.
    pub stopped: bool,
}

impl HoldState {
    /// `enabled`: the VM environment says the Envoy config allows holding.
    pub fn new(enabled: bool) -> HoldState {
        HoldState {
            enabled: Cell::new(enabled),
            ..HoldState::default()
        }
    }

    /// True when `value` of [`HOLD_ENV`] turns holding on.
    pub fn env_enables(value: Option<&str>) -> bool {
        value.is_some_and(|v| matches!(v.trim(), "true" | "1" | "yes"))
    }

    pub fn enabled(&self) -> bool {
        self.enabled.get()
    }

    /// A request whose headers are held from `now_ms` on.
    pub fn hold(&self, context_id: u32, now_ms: u64) {
        self.waiting.borrow_mut().push((context_id, now_ms));
    }

    /// The request's first body callback came: holding works here.
    pub fn body_seen(&self, context_id: u32) {
        let mut waiting = self.waiting.borrow_mut();
        let before = waiting.len();
        waiting.retain(|(id, _)| *id != context_id);
        if waiting.len() != before {
            self.stalls_in_a_row.set(0);
        }
    }

    /// The request ended (or was answered) while still waiting.
    pub fn forget(&self, context_id: u32) {
        self.waiting
            .borrow_mut()
            .retain(|(id, _)| *id != context_id);
    }

    /// Takes the requests held since before `now_ms - STALL_MS` and counts
    /// them as stalls; stops holding after [`STALLS_TO_STOP`] in a row.
    pub fn take_stalled(&self, now_ms: u64) -> (Vec<u32>, bool) {
        let mut stalled = Vec::new();
        self.waiting.borrow_mut().retain(|&(id, since)| {
            let stale = now_ms.saturating_sub(since) >= STALL_MS;
            if stale {
                stalled.push(id);
            }
            !stale
        });
        let mut stopped = false;
        if !stalled.is_empty() {
            let in_a_row = self
                .stalls_in_a_row
                .get()
                .saturating_add(stalled.len() as u32);
            self.stalls_in_a_row.set(in_a_row);
            if in_a_row >= STALLS_TO_STOP && self.enabled.get() {
                self.enabled.set(false);
                stopped = true;
            }
        }
        (stalled, stopped)
    }

    /// The root's tick: resumes stalled requests through the host.
    pub fn tick(&self, host: &dyn Host, now_ms: u64) -> TickReport {
        let (stalled, stopped) = self.take_stalled(now_ms);
        let mut resumed = 0;
        for id in stalled {
            if host.resume_request(id) {
                resumed += 1;
            }
        }
        TickReport { resumed, stopped }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_turns_holding_on() {
        assert!(HoldState::env_enables(Some("true")));
        assert!(HoldState::env_enables(Some(" 1 ")));
        assert!(!HoldState::env_enables(Some("false")));
        assert!(!HoldState::env_enables(Some("")));
        assert!(!HoldState::env_enables(None));
    }

    #[test]
    fn a_body_callback_clears_the_wait_and_the_stall_count() {
        let hold = HoldState::new(true);
        hold.hold(7, 1_000);
        hold.hold(8, 1_000);
        hold.body_seen(7);
        assert_eq!(hold.take_stalled(1_500), (vec![], false));
        assert_eq!(hold.take_stalled(2_000), (vec![8], false));
        assert_eq!(hold.stalls_in_a_row.get(), 1);
        hold.hold(9, 2_000);
        hold.body_seen(9);
        assert_eq!(hold.stalls_in_a_row.get(), 0);
        hold.hold(10, 2_000);
        hold.forget(10);
        assert_eq!(hold.take_stalled(9_000), (vec![], false));
    }

    #[test]
    fn stalls_in_a_row_stop_holding_on_this_worker() {
        let hold = HoldState::new(true);
        for (i, id) in (1..=STALLS_TO_STOP).enumerate() {
            hold.hold(id, 0);
            let (stalled, stopped) = hold.take_stalled(STALL_MS);
            assert_eq!(stalled, vec![id]);
            assert_eq!(stopped, i + 1 == STALLS_TO_STOP as usize);
        }
        assert!(!hold.enabled());
        hold.hold(99, 0);
        assert_eq!(hold.take_stalled(STALL_MS), (vec![99], false));
    }
}
