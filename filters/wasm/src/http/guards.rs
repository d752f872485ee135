//! The adapter's side of guard calls: answers to dispatched calls, output
//! and stream checks, what the guards did counted, and their decisions
//! written back. The decisions themselves are the core's
//! (`llm_policy_core::exchange::guards*`).

use super::{CallKind, Io, PendingCall};
use crate::shared;
use llm_policy_core::exchange::guards::GuardDecision;
use llm_policy_core::exchange::guards_output::{OutputDecision, OutputStart};
use llm_policy_core::exchange::Exchange;
use llm_policy_core::guard::round::{Call, CallFailure};
use proxy_wasm::types::Action;

/// Whether a call that came back after `elapsed_ms` ran into its
/// `timeout_ms`. Envoy arms the call's timer from its event loop's cached
/// time, which lags the wall clock by however long the loop has been busy
/// (screening, a guard round, V8 tiering up), so a timeout can arrive a few
/// tens of milliseconds "early" by the filter's clock: anything within a
/// fifth of the timeout (at least 2 ms) of it counts as the timeout. A
/// failed connection or reset comes back within milliseconds.
fn timed_out(elapsed_ms: u64, timeout_ms: u32) -> bool {
    let timeout = u64::from(timeout_ms);
    elapsed_ms + (timeout / 5).max(2) >= timeout
}

/// A non-2xx call response: Envoy answers a call that timed out with its own
/// `504` and one whose connection failed or was reset with its own `503`
/// (no upstream header such as `x-envoy-upstream-service-time` on either);
/// anything else is the guard's status.
fn failure_of_status(
    status: u16,
    headers: &[(String, String)],
    elapsed_ms: u64,
    timeout_ms: u32,
) -> CallFailure {
    let from_upstream = headers
        .iter()
        .any(|(n, _)| n == "x-envoy-upstream-service-time");
    match status {
        504 if !from_upstream && timed_out(elapsed_ms, timeout_ms) => CallFailure::Timeout,
        503 if !from_upstream => CallFailure::Connection,
        s => CallFailure::Status(s),
    }
}

impl Io {
    /// Sends one guard call and records it as pending; `false` (logged) when
    /// the host refused to dispatch it, which the caller answers as a
    /// connection failure of that call.
    pub(super) fn dispatch(&self, call: &Call, index: usize, kind: CallKind, now_ms: u64) -> bool {
        let headers: Vec<(&str, &str)> = call
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        match self
            .host
            .dispatch_call(&call.cluster, &headers, &call.body, call.timeout_ms)
        {
            Ok(token) => {
                self.pending.borrow_mut().push(PendingCall {
                    token,
                    index,
                    sent_ms: now_ms,
                    timeout_ms: call.timeout_ms,
                    kind,
                });
                true
            }
            Err(e) => {
                log::warn!(
                    "guard call to cluster {} not dispatched: {e:?}",
                    call.cluster
                );
                false
            }
        }
    }
    /// A guard call's answer (`num_headers == 0`: Envoy's timeout or reset);
    /// `Some(action)` once the round is decided.
    pub(super) fn guard_response(
        &self,
        ex: &mut Exchange,
        token: u32,
        num_headers: usize,
        body_size: usize,
    ) -> Option<Action> {
        let call = {
            let mut pending = self.pending.borrow_mut();
            let at = pending.iter().position(|p| p.token == token)?;
            pending.remove(at)
        };
        let now_ms = shared::unix_ms(self.host.now());
        let elapsed = now_ms.saturating_sub(call.sent_ms);
        let reply: Result<Vec<u8>, CallFailure> = if num_headers == 0 {
            // Envoy reports both a timeout and a failed connection without
            // headers: the clock tells them apart.
            if timed_out(elapsed, call.timeout_ms) {
                Err(CallFailure::Timeout)
            } else {
                Err(CallFailure::Connection)
            }
        } else {
            let headers = self.host.call_response_headers();
            let status = headers
                .iter()
                .find(|(n, _)| n == ":status")
                .and_then(|(_, v)| v.parse::<u16>().ok());
            match status {
                Some(200..=299) => Ok(self.host.call_response_body(body_size).unwrap_or_default()),
                Some(s) => Err(failure_of_status(s, &headers, elapsed, call.timeout_ms)),
                None => Err(CallFailure::Malformed),
            }
        };
        let name = match call.kind {
            CallKind::Prompt => ex.guard_of_call(call.index).map(|g| g.name.as_str()),
            CallKind::Output => ex.output_guard_of_call(call.index).map(|g| g.name.as_str()),
            CallKind::Window(w) => ex.window_guard_of_call(w, call.index),
        };
        if let Some(name) = name {
            self.metrics.guard_latency.set([name], elapsed);
            if let Err(f) = &reply {
                log::info!("guard {name} call failed: {}", f.label());
            }
        }
        let reply = reply.as_deref().map_err(|f| *f);
        let caches = &mut self.guard_caches.borrow_mut();
        if let CallKind::Window(w) = call.kind {
            let decision = ex.window_guard_answered(w, call.index, reply, caches, now_ms)?;
            self.count_guards(ex, "response", &decision.outcomes, decision.decision);
            if self.release_stream(ex) && !self.host.resume_response(self.context_id) {
                log::warn!("response not resumed after its guards answered");
            }
            return None;
        }
        if call.kind == CallKind::Output {
            let decision = ex.output_guard_answered(call.index, reply, caches, now_ms)?;
            self.output_decided(ex, decision);
            if !self.host.resume_response(self.context_id) {
                log::warn!("response not resumed after its guards answered");
            }
            return None;
        }
        let decision = ex.guard_answered(call.index, reply, caches, now_ms)?;
        Some(self.guards_decided(ex, decision))
    }

    /// A complete output is held for the response guards: the calls go out
    /// (`Pause` until the last answer) or the cache decides now.
    pub(super) fn check_output(&self, ex: &mut Exchange) -> Action {
        let now_ms = shared::unix_ms(self.host.now());
        let start = ex.start_output_guards(&mut self.guard_caches.borrow_mut(), now_ms);
        let calls = match start {
            OutputStart::Decided(d) => {
                self.output_decided(ex, d);
                return Action::Continue;
            }
            OutputStart::Calls(calls) => calls,
        };
        for (index, call) in calls.iter().enumerate() {
            if !self.dispatch(call, index, CallKind::Output, now_ms) {
                let failed = Err(CallFailure::Connection);
                let caches = &mut self.guard_caches.borrow_mut();
                if let Some(d) = ex.output_guard_answered(index, failed, caches, now_ms) {
                    self.output_decided(ex, d);
                    return Action::Continue;
                }
            }
        }
        Action::Pause
    }

    /// Starts the rounds of the stream windows cut so far (calls go out,
    /// the stream goes on); `true` when a held final chunk was released.
    pub(super) fn stream_windows(&self, ex: &mut Exchange) -> bool {
        let now_ms = shared::unix_ms(self.host.now());
        let (rounds, decided) = ex.start_stream_guards(&mut self.guard_caches.borrow_mut(), now_ms);
        for d in &decided {
            self.count_guards(ex, "response", &d.outcomes, d.decision);
        }
        for (window, calls) in rounds {
            for (index, call) in calls.iter().enumerate() {
                if !self.dispatch(call, index, CallKind::Window(window), now_ms) {
                    let failed = Err(CallFailure::Connection);
                    let caches = &mut self.guard_caches.borrow_mut();
                    if let Some(d) = ex.window_guard_answered(window, index, failed, caches, now_ms)
                    {
                        self.count_guards(ex, "response", &d.outcomes, d.decision);
                    }
                }
            }
        }
        self.release_stream(ex)
    }

    /// Writes the held final chunk of a stream once every window is judged;
    /// `true` when it was released.
    pub(super) fn release_stream(&self, ex: &mut Exchange) -> bool {
        let Some(release) = ex.stream_release() else {
            return false;
        };
        if let Some(bytes) = &release.replace {
            self.host
                .set_response_body(release.start, release.size, bytes);
        }
        true
    }

    /// Counts what the output guards did and writes the held body back.
    pub(super) fn output_decided(&self, ex: &Exchange, d: OutputDecision) {
        self.count_guards(ex, "response", &d.outcomes, d.decision);
        if let Some(bytes) = &d.replace {
            self.host.set_response_body(0, d.span, bytes);
        }
    }

    pub(super) fn count_guards(
        &self,
        ex: &Exchange,
        dir: &str,
        outcomes: &[(String, llm_policy_core::guard::round::GuardOutcome)],
        decision: &str,
    ) {
        let (m, rule) = (&self.metrics, ex.rule_name());
        for (guard, o) in outcomes {
            let g = guard.as_str();
            if o.calls > 0 {
                m.guard_calls.add([rule, g, dir], o.calls as i64);
            }
            if o.cache_hits > 0 {
                m.guard_cache_hits.add([rule, g, dir], o.cache_hits as i64);
            }
            for f in &o.failures {
                m.guard_failures.add([rule, g, dir, f.label()], 1);
            }
            for (label, action) in &o.labels {
                m.guard_verdicts
                    .add([rule, g, dir, label.as_str(), action.name()], 1);
            }
        }
        m.guard_decisions.add([rule, dir, decision], 1);
    }

    /// Counts what the guards did and writes their decision back.
    pub(super) fn guards_decided(&self, ex: &mut Exchange, d: GuardDecision) -> Action {
        self.count_guards(ex, "request", &d.outcomes, d.decision);
        if d.answer.reply.is_none() && ex.has_response_guards() {
            let body = match &d.answer.rewrite {
                Some(b) => b.clone(),
                None => self
                    .host
                    .request_body(0, ex.body_size())
                    .unwrap_or_default(),
            };
            ex.keep_prompt_for_output_guards(&body);
        }
        self.act(ex, d.answer)
    }
}
