//! The per-request adapter: each callback reads what its phase needs from
//! the host, asks the core's [`Exchange`], and writes back what it answers.

use crate::canary::CanaryState;
use crate::circuit::Breakers;
use crate::hold::HoldState;
use crate::host::Host;
use crate::metrics::Metrics;
use crate::shared;

mod guards;
use llm_policy_core::exchange::guards::GuardStart;
use llm_policy_core::exchange::outcome::{BreakerUpdate, LogHost};
use llm_policy_core::exchange::response::{BodyHost, ChunkAnswer, ResponseHost};
use llm_policy_core::exchange::{BodyAnswer, BodyStep, CircuitAnswer, Exchange, Reply};
use llm_policy_core::flow;
use llm_policy_core::guard::round::{CallFailure, GuardCaches};
use llm_policy_core::policy::Policy;
use llm_policy_core::request::RequestHead;
use llm_policy_core::screen::{Direction, Tally};
use llm_policy_core::usage::Usage;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;
use std::cell::RefCell;
use std::rc::Rc;

pub struct PolicyHttp {
    io: Io,
    /// The exchange, from request headers on (none without a policy).
    /// Borrowed in place by each callback, never moved out.
    exchange: Option<Exchange>,
}

/// The host side of one request: what the callbacks read from and write to.
struct Io {
    host: Rc<dyn Host>,
    policy: Option<Rc<Policy>>,
    metrics: Rc<Metrics>,
    canary: Rc<CanaryState>,
    /// This worker's copies of the circuit breakers.
    breakers: Rc<Breakers>,
    /// Whether this worker holds request headers until the body is judged.
    hold: Rc<HoldState>,
    context_id: u32,
    /// The request headers are held (returned `Pause`) until the body verdict.
    headers_held: bool,
    /// This worker's guard verdict caches.
    guard_caches: Rc<RefCell<GuardCaches>>,
    /// Guard calls in flight.
    pending: RefCell<Vec<PendingCall>>,
}

/// A guard call dispatched and not answered yet.
#[derive(Debug, Clone, Copy)]
struct PendingCall {
    token: u32,
    /// The call's index in the exchange's round.
    index: usize,
    sent_ms: u64,
    timeout_ms: u32,
    kind: CallKind,
}

/// Which round a guard call belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CallKind {
    Prompt,
    /// A held JSON output.
    Output,
    /// A window of a streamed output.
    Window(usize),
}

/// The host as the core's phase readers see it.
struct Reader<'a> {
    host: &'a dyn Host,
    started_ms: u64,
}

impl Reader<'_> {
    fn elapsed(&self) -> u64 {
        shared::unix_ms(self.host.now()).saturating_sub(self.started_ms)
    }
}

impl ResponseHost for Reader<'_> {
    fn header(&mut self, name: &str) -> Option<String> {
        self.host.response_header(name)
    }
    fn elapsed_ms(&mut self) -> u64 {
        self.elapsed()
    }
}

impl BodyHost for Reader<'_> {
    fn body(&mut self, start: usize, size: usize) -> Vec<u8> {
        self.host.response_body(start, size).unwrap_or_default()
    }
    fn elapsed_ms(&mut self) -> u64 {
        self.elapsed()
    }
}

impl LogHost for Reader<'_> {
    fn response_flags(&mut self) -> u64 {
        self.host
            .property(&["response", "flags"])
            .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
            .map_or(0, u64::from_le_bytes)
    }
    fn now_ms(&mut self) -> u64 {
        shared::unix_ms(self.host.now())
    }
}

fn random_id() -> String {
    format!("r{:016x}", fastrand::u64(..))
}

impl PolicyHttp {
    /// One request's context over its worker's shared state.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        host: Rc<dyn Host>,
        policy: Option<Rc<Policy>>,
        metrics: Rc<Metrics>,
        canary: Rc<CanaryState>,
        breakers: Rc<Breakers>,
        hold: Rc<HoldState>,
        guard_caches: Rc<RefCell<GuardCaches>>,
        context_id: u32,
    ) -> Self {
        PolicyHttp {
            io: Io {
                host,
                policy,
                metrics,
                canary,
                breakers,
                hold,
                context_id,
                headers_held: false,
                guard_caches,
                pending: RefCell::new(Vec::new()),
            },
            exchange: None,
        }
    }
}

impl Io {
    /// All request headers in one host call, plus Envoy's route name if needed.
    fn read_head(&self, policy: &Policy) -> RequestHead {
        let headers = self.host.request_headers();
        let pick = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let route_name = if policy.needs_route_name {
            self.host
                .property(&["xds", "route_name"])
                .and_then(|b| String::from_utf8(b).ok())
        } else {
            None
        };
        RequestHead {
            method: pick(":method"),
            path: pick(":path"),
            authority: pick(":authority"),
            route_name,
            headers,
        }
    }

    /// The plan, its canary track (stable while halted on this proxy), and
    /// the request counts.
    fn start(&self, policy: &Policy, head: &RequestHead, has_body: bool, now_ms: u64) -> Exchange {
        let mut plan = flow::plan(policy, head, has_body, &mut random_id);
        if let Some(cfg) = plan.rule.canary.clone() {
            let halted = cfg.halt.is_some() && self.canary.halted(&plan.rule.name, now_ms);
            plan.choose_canary(head, halted, &mut random_id);
        }
        let m = &self.metrics;
        let rule = plan.rule.name.as_str();
        if let Some(track) = &plan.track {
            m.canary_requests
                .add([rule, if track.canary { "canary" } else { "stable" }], 1);
        }
        m.requests
            .add([rule, plan.endpoint.map_or("other", |e| e.label())], 1);
        for (exp, arm) in plan.arm_names() {
            m.ab_requests.add([exp, arm], 1);
        }
        Exchange::new(plan, &policy.revision, now_ms)
    }

    /// Removes the client's copies of headers the policy owns, applies the
    /// plan's routing headers; Envoy re-matches the route after any change.
    fn write_routing_headers(&self, ex: &Exchange, head: &RequestHead) {
        let (removed, headers) = ex.routing_changes(head);
        if headers.is_empty() && removed.is_empty() {
            return;
        }
        for name in removed {
            self.host.set_request_header(name, None);
        }
        for (name, value) in headers {
            self.host.set_request_header(name, Some(value));
        }
        self.host.clear_route_cache();
    }

    /// Asks the rule's breaker; `Some(action)` when the request is answered here.
    fn check_circuit(&self, ex: &mut Exchange, now_ms: u64) -> Option<Action> {
        let cfg = Rc::clone(ex.circuit_config()?);
        let cluster = if ex.needs_cluster_name() {
            self.host
                .property(&["xds", "cluster_name"])
                .and_then(|b| String::from_utf8(b).ok())
        } else {
            None
        };
        let target = ex.circuit_target(cluster);
        let admission = self
            .breakers
            .admit(&*self.host, &target, now_ms, &cfg, &self.metrics);
        match ex.admitted(target, admission) {
            CircuitAnswer::Proceed(headers) => {
                for (name, value) in headers {
                    self.host.set_request_header(name, Some(&value));
                }
                None
            }
            CircuitAnswer::Fallback {
                name,
                value,
                target,
            } => {
                self.host.set_request_header(&name, Some(&value));
                self.host.clear_route_cache();
                self.metrics
                    .circuit_open_requests
                    .add([&target, "fallback"], 1);
                None
            }
            CircuitAnswer::Reply { reply, target } => {
                self.metrics
                    .circuit_open_requests
                    .add([&target, "rejected"], 1);
                self.send(ex, &reply);
                Some(Action::Pause)
            }
        }
    }

    /// The one interruption path: the local reply, counted.
    fn send(&self, ex: &Exchange, reply: &Reply) {
        let r = &reply.reply;
        self.metrics.local_replies.add([ex.rule_name(), r.code], 1);
        let headers: Vec<(&str, &str)> = reply
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.host
            .send_reply(u32::from(r.status), &headers, r.body().as_bytes());
    }

    /// Writes a body answer back; `Pause` after a local reply.
    fn act(&self, ex: &Exchange, answer: BodyAnswer) -> Action {
        self.count_findings(ex, Direction::Request, &answer.findings);
        if let Some(body) = &answer.rewrite {
            self.host.set_request_body(0, ex.body_size(), body);
        }
        self.metrics
            .request_bodies
            .add([ex.rule_name(), answer.outcome, answer.action], 1);
        match &answer.reply {
            Some(reply) => {
                self.send(ex, reply);
                Action::Pause
            }
            None => Action::Continue,
        }
    }

    fn count_findings(&self, ex: &Exchange, dir: Direction, tally: &Tally) {
        for f in ex.findings(tally) {
            self.metrics.screening_findings.add(
                [ex.rule_name(), dir.label(), f.kind, f.detector, f.action],
                i64::from(f.count),
            );
        }
    }

    fn count_unscreenable(&self, ex: &Exchange, reason: &str) {
        let tags = [ex.rule_name(), "response", reason, ex.unscreenable_action()];
        self.metrics.screening_unscreenable.add(tags, 1);
    }

    fn count_usage(&self, ex: &Exchange, usage: Usage) {
        let prompt = i64::try_from(usage.prompt_tokens).unwrap_or(i64::MAX);
        let completion = i64::try_from(usage.completion_tokens).unwrap_or(i64::MAX);
        for (exp, arm) in ex.plan.arm_names() {
            self.metrics.ab_tokens.add([exp, arm, "prompt"], prompt);
        }
        for (exp, arm) in ex.plan.arm_names() {
            self.metrics
                .ab_tokens
                .add([exp, arm, "completion"], completion);
        }
    }

    /// Writes a response chunk answer back.
    fn write_chunk(&self, ex: &mut Exchange, answer: ChunkAnswer) -> Action {
        if let Some(bytes) = &answer.replace {
            self.host.set_response_body(0, answer.span, bytes);
        }
        if let Some(usage) = answer.usage {
            self.count_usage(ex, usage);
        }
        if let Some(reason) = answer.unscreenable {
            self.count_unscreenable(ex, reason);
        }
        self.count_findings(ex, Direction::Response, &answer.findings);
        if answer.check_output {
            return self.check_output(ex);
        }
        let released = answer.stream_windows && self.stream_windows(ex);
        // A final chunk held for window verdicts goes at once if the cache had them all.
        let released = released || (answer.pause && self.release_stream(ex));
        if answer.pause && !released {
            Action::Pause
        } else {
            Action::Continue
        }
    }

    /// Judges the whole buffered body (at end of stream or at trailers);
    /// a body the built-in screening forwards goes to the rule's guards
    /// first, held until the last answer (see [`Io::guard_response`]).
    fn judge(&self, ex: &mut Exchange) -> Action {
        let body = self
            .host
            .request_body(0, ex.body_size())
            .unwrap_or_default();
        let answer = ex.judge_body(&body);
        if answer.reply.is_some() || !ex.has_request_guards() {
            if answer.reply.is_none() && ex.has_response_guards() {
                ex.keep_prompt_for_output_guards(answer.rewrite.as_deref().unwrap_or(&body));
            }
            return self.act(ex, answer);
        }
        let now_ms = shared::unix_ms(self.host.now());
        let start = ex.start_guards(&body, answer, &mut self.guard_caches.borrow_mut(), now_ms);
        let calls = match start {
            GuardStart::Skip(answer) => return self.act(ex, answer),
            GuardStart::Decided(decision) => return self.guards_decided(ex, decision),
            GuardStart::Calls(calls) => calls,
        };
        for (index, call) in calls.iter().enumerate() {
            if !self.dispatch(call, index, CallKind::Prompt, now_ms) {
                let failed = Err(CallFailure::Connection);
                let caches = &mut self.guard_caches.borrow_mut();
                if let Some(decision) = ex.guard_answered(index, failed, caches, now_ms) {
                    return self.guards_decided(ex, decision);
                }
            }
        }
        Action::Pause
    }

    fn reader(&self, ex: &Exchange) -> Reader<'_> {
        Reader {
            host: &*self.host,
            started_ms: ex.started_ms(),
        }
    }

    fn request_body_step(&self, ex: Option<&mut Exchange>, step: BodyStep) -> Action {
        let Some(ex) = ex else {
            return Action::Continue;
        };
        match step {
            BodyStep::Pass | BodyStep::Peek => Action::Continue,
            BodyStep::Buffer => Action::Pause,
            BodyStep::Judge => self.judge(ex),
            BodyStep::Answer(answer) => self.act(ex, answer),
        }
    }
}

impl Context for PolicyHttp {
    /// A guard model's answer: the last one decides and resumes the request
    /// (or answers it).
    fn on_http_call_response(
        &mut self,
        token_id: u32,
        num_headers: usize,
        body_size: usize,
        _num_trailers: usize,
    ) {
        let (io, Some(ex)) = (&self.io, self.exchange.as_mut()) else {
            return;
        };
        if io.guard_response(ex, token_id, num_headers, body_size) == Some(Action::Continue)
            && !io.host.resume_request(io.context_id)
        {
            log::warn!("request not resumed after its guards answered");
        }
    }
}

impl HttpContext for PolicyHttp {
    /// Chooses the rule, subject and arms, writes the routing headers, asks
    /// the breaker. Headers continue unless this worker holds them (see
    /// [`crate::hold`]): a plain pause would also stop the body callbacks.
    fn on_http_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let io = &mut self.io;
        let Some(policy) = io.policy.clone() else {
            return Action::Continue;
        };
        let now_ms = shared::unix_ms(io.host.now());
        let head = io.read_head(&policy);
        let ex = self
            .exchange
            .insert(io.start(&policy, &head, !end_of_stream, now_ms));
        io.write_routing_headers(ex, &head);
        if let Some(action) = io.check_circuit(ex, now_ms) {
            return action;
        }
        let answer = ex.request_headers_done();
        for name in answer.remove {
            io.host.set_request_header(name, None);
        }
        match answer.verdict {
            Some(verdict) => io.act(ex, verdict),
            // Held until the body is judged: a refused body never reaches the pod.
            None if answer.reads_body && io.hold.enabled() => {
                io.hold.hold(io.context_id, now_ms);
                io.headers_held = true;
                Action::Pause
            }
            None => Action::Continue,
        }
    }

    /// This is a chunk, not the whole body: `body_size` is all bytes buffered so far.
    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if self.io.headers_held {
            self.io.hold.body_seen(self.io.context_id);
        }
        let step = match self.exchange.as_mut() {
            Some(ex) => match ex.on_request_body(body_size, end_of_stream) {
                BodyStep::Peek => {
                    let chunk = self.io.host.request_body(0, body_size).unwrap_or_default();
                    ex.peek_request_body(&chunk, end_of_stream)
                }
                step => step,
            },
            None => return Action::Continue,
        };
        self.io.request_body_step(self.exchange.as_mut(), step)
    }

    /// HTTP/2 (and chunked HTTP/1.1) bodies may end with trailers instead of an
    /// end-of-stream data frame: the body is complete here.
    fn on_http_request_trailers(&mut self, _num_trailers: usize) -> Action {
        if self.io.headers_held {
            self.io.hold.body_seen(self.io.context_id);
        }
        let step = match self.exchange.as_mut() {
            Some(ex) => ex.on_request_trailers(),
            None => return Action::Continue,
        };
        self.io.request_body_step(self.exchange.as_mut(), step)
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let (io, Some(ex)) = (&self.io, self.exchange.as_mut()) else {
            return Action::Continue;
        };
        let status = io
            .host
            .response_header(":status")
            .and_then(|s| s.parse().ok());
        let mut reader = io.reader(ex);
        let answer = ex.on_response_headers(status, end_of_stream, &mut reader);
        for (name, value) in &answer.set {
            io.host.set_response_header(name, Some(value));
        }
        for cookie in &answer.cookies {
            io.host.add_response_header("set-cookie", cookie);
        }
        if let Some(class) = answer.ab_class {
            for (exp, arm) in ex.plan.arm_names() {
                io.metrics.ab_responses.add([exp, arm, class], 1);
            }
        }
        if let Some(reason) = answer.unscreenable {
            io.count_unscreenable(ex, reason);
        }
        for name in answer.remove {
            io.host.set_response_header(name, None);
        }
        Action::Continue
    }

    /// This is a chunk, not the whole body (unless the core holds it).
    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        let (io, Some(ex)) = (&self.io, self.exchange.as_mut()) else {
            return Action::Continue;
        };
        let mut reader = io.reader(ex);
        let answer = ex.on_response_body(body_size, end_of_stream, &mut reader);
        io.write_chunk(ex, answer)
    }

    /// A response that ends with trailers (HTTP/2) never sees an end-of-stream
    /// body chunk: a JSON body held for screening is finished here.
    fn on_http_response_trailers(&mut self, _num_trailers: usize) -> Action {
        let (io, Some(ex)) = (&self.io, self.exchange.as_mut()) else {
            return Action::Continue;
        };
        let mut reader = io.reader(ex);
        let answer = ex.on_response_trailers(&mut reader);
        io.write_chunk(ex, answer)
    }

    /// The end of the exchange: the breaker, the canary window, per-arm counts.
    fn on_log(&mut self) {
        let io = &self.io;
        if io.headers_held {
            io.hold.forget(io.context_id);
        }
        let Some(ex) = self.exchange.as_mut() else {
            return;
        };
        let mut reader = io.reader(ex);
        let end = ex.finish(&mut reader);
        let (host, m) = (&*io.host, &*io.metrics);
        let now_ms = end.outcome.now_ms;
        match end.breaker {
            Some(BreakerUpdate::Release(c)) => io.breakers.release(host, &c.target, c.admission, m),
            Some(BreakerUpdate::Record(c, failure)) => {
                let b = &io.breakers;
                b.record(host, &c.target, now_ms, failure, c.admission, &c.cfg, m);
            }
            None => {}
        }
        if let Some(s) = end.canary {
            io.canary
                .add(ex.rule_name(), s.canary, s.failure, s.latency_ms);
        }
        if let Some(action) = end.screening {
            for (exp, arm) in ex.plan.arm_names() {
                m.ab_screening.add([exp, arm, action], 1);
            }
            if let Some(track) = &ex.plan.track {
                let track = if track.canary { "canary" } else { "stable" };
                m.canary_screening.add([ex.rule_name(), track, action], 1);
            }
        }
        let decisions = [ex.guard_decision(), ex.output_guard_decision()];
        for decision in decisions.into_iter().flatten().filter(|d| *d != "passed") {
            let action = format!("guard_{decision}");
            for (exp, arm) in ex.plan.arm_names() {
                m.ab_screening.add([exp, arm, &action], 1);
            }
            if let Some(track) = &ex.plan.track {
                let track = if track.canary { "canary" } else { "stable" };
                m.canary_screening.add([ex.rule_name(), track, &action], 1);
            }
        }
        if let Some(ms) = end.arm_latency_ms {
            for (exp, arm) in ex.plan.arm_names() {
                m.ab_latency.set([exp, arm], ms);
            }
        }
    }
}
