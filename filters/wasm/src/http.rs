//! The per-request flow: read the request once, ask the core, act on its answer.

use crate::canary::CanaryState;
use crate::circuit;
use crate::hold::HoldState;
use crate::metrics::Metrics;
use crate::screening::{count_findings, flag_header_value, ResponseScreen};
use crate::shared;
use llm_policy_core::breaker::{self, Admission, Outcome};
use llm_policy_core::flow::{self, BodyVerdict, RequestPlan};
use llm_policy_core::openai::{is_compressed, BodyProblem, Endpoint};
use llm_policy_core::policy::{BreakerKey, CircuitConfig, FailureMode, Policy};
use llm_policy_core::reply::LocalReply;
use llm_policy_core::request::RequestHead;
use llm_policy_core::screen::body::screen_response_bytes;
use llm_policy_core::screen::json_stream::JsonStreamScreener;
use llm_policy_core::screen::redact::RestoreMap;
use llm_policy_core::screen::stream::StreamScreener;
use llm_policy_core::screen::{Direction, Tally};
use llm_policy_core::usage::UsageScanner;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;
use std::rc::Rc;
use std::time::SystemTime;

/// The debug response header naming the policy revision and rule applied.
const DEBUG_HEADER: &str = "x-llm-policy";

pub struct PolicyHttp {
    policy: Option<Rc<Policy>>,
    metrics: Rc<Metrics>,
    canary: Rc<CanaryState>,
    plan: Option<RequestPlan>,
    /// The request body is being buffered until it can be judged.
    reading_body: bool,
    /// Bytes buffered so far (as last reported by the host).
    body_size: usize,
    debug_value: Option<String>,
    /// Token usage read from the response as it passes, when arms are counted.
    usage: Option<UsageScanner>,
    started: Option<SystemTime>,
    /// The breaker this request was admitted by: target, admission, config.
    circuit: Option<(String, Admission, Rc<CircuitConfig>)>,
    /// The response status, once response headers were seen.
    status: Option<u16>,
    /// The filter answered this request itself.
    replied: bool,
    /// Milliseconds from request headers to response headers.
    first_byte_ms: Option<u64>,
    /// Response timing and completeness, for the breaker.
    response: ResponseWatch,
    /// What request screening found.
    request_tally: Tally,
    /// Hash tokens the model was given, to put back into its answer.
    restore: Option<Rc<RestoreMap>>,
    /// How the response body is screened, once response headers were seen.
    response_screen: Option<ResponseScreen>,
    /// What response screening found.
    response_tally: Tally,
    /// Whether this worker holds request headers until the body is judged.
    hold: Rc<HoldState>,
    context_id: u32,
    /// The request headers are held (returned `Pause`) until the body verdict.
    headers_held: bool,
}

/// What the breaker needs to know about the response stream.
#[derive(Default)]
struct ResponseWatch {
    ended: bool,
    first_body_ms: Option<u64>,
    last_chunk_ms: u64,
    max_gap_ms: u64,
}

impl PolicyHttp {
    pub fn new(
        policy: Option<Rc<Policy>>,
        metrics: Rc<Metrics>,
        canary: Rc<CanaryState>,
        hold: Rc<HoldState>,
        context_id: u32,
    ) -> Self {
        PolicyHttp {
            policy,
            metrics,
            canary,
            plan: None,
            reading_body: false,
            body_size: 0,
            debug_value: None,
            usage: None,
            started: None,
            circuit: None,
            status: None,
            replied: false,
            first_byte_ms: None,
            response: ResponseWatch::default(),
            request_tally: Tally::default(),
            restore: None,
            response_screen: None,
            response_tally: Tally::default(),
            hold,
            context_id,
            headers_held: false,
        }
    }

    /// All request headers in one host call, plus Envoy's route name if needed.
    fn read_head(&self, policy: &Policy) -> RequestHead {
        let headers = self.get_http_request_headers();
        let pick = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let route_name = if policy.needs_route_name {
            self.get_property(vec!["xds", "route_name"])
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

    fn rule_name(&self) -> &str {
        self.plan.as_ref().map_or("none", |p| p.rule.name.as_str())
    }

    fn count_body(&self, outcome: &str, action: &str) {
        let tags = [
            ("rule", self.rule_name()),
            ("outcome", outcome),
            ("action", action),
        ];
        self.metrics
            .count("llm_policy_request_bodies_total", &tags, 1);
    }

    /// Counts `base` once per arm the plan chose, with extra tags.
    fn count_arms(&self, plan: &RequestPlan, base: &str, extra: &[(&str, &str)], delta: i64) {
        for (exp, arm) in plan.arm_names() {
            let mut tags = vec![("experiment", exp), ("arm", arm)];
            tags.extend_from_slice(extra);
            self.metrics.count(base, &tags, delta);
        }
    }

    /// Removes the client's copies of headers the policy owns, applies the
    /// plan's routing headers; Envoy re-matches the route after any change.
    fn write_routing_headers(&self, plan: &RequestPlan, head: &RequestHead) {
        let (removed, headers) = plan.routing_changes(head);
        if headers.is_empty() && removed.is_empty() {
            return;
        }
        for name in removed {
            self.set_http_request_header(name, None);
        }
        for (name, value) in headers {
            self.set_http_request_header(name, Some(value));
        }
        self.clear_route_cache();
    }

    /// Acts on a body verdict; `Pause` after a local reply, `Continue` otherwise.
    fn act(&mut self, verdict: BodyVerdict) -> Action {
        self.reading_body = false;
        match verdict {
            BodyVerdict::Forward(_, rewritten, report) => {
                self.record_screening(Direction::Request, report.tally);
                self.restore = report.restore.map(Rc::new);
                if let Some(body) = rewritten {
                    self.set_http_request_body(0, self.body_size, &body);
                    self.count_body("read", "rewritten");
                } else {
                    self.count_body("read", "forwarded");
                }
                Action::Continue
            }
            BodyVerdict::ForwardUnread(problem) => {
                self.count_body(problem.label(), "forwarded_unread");
                Action::Continue
            }
            BodyVerdict::Reject(problem, reply) => {
                self.count_body(problem.label(), "rejected");
                self.send_reply(&reply);
                Action::Pause
            }
            BodyVerdict::Blocked(reply, tally) => {
                self.record_screening(Direction::Request, tally);
                self.count_body("read", "blocked");
                let flags = self.flag_header();
                let extra: Vec<(&str, &str)> = flags
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                self.send_reply_with(&reply, &extra);
                Action::Pause
            }
        }
    }

    /// Counts a screening tally and keeps it for the per-arm counts and headers.
    fn record_screening(&mut self, dir: Direction, tally: Tally) {
        if tally.is_empty() {
            return;
        }
        if let Some(plan) = self.plan.as_ref() {
            if let Some(screener) = plan.rule.screening.as_deref() {
                count_findings(&self.metrics, &plan.rule.name, screener, dir, &tally);
            }
        }
        match dir {
            Direction::Request => self.request_tally.merge(&tally),
            Direction::Response => self.response_tally.merge(&tally),
        }
    }

    /// The flag header (name, value) for what request screening found.
    fn flag_header(&self) -> Option<(String, String)> {
        let screener = self.plan.as_ref()?.rule.screening.clone()?;
        let name = screener.config.flag_header.clone()?;
        let value = flag_header_value(&screener, &self.request_tally)?;
        Some((name, value))
    }

    /// Chooses how the response body is screened (response headers time).
    fn start_response_screening(&mut self, end_of_stream: bool) {
        if let Some((name, value)) = self.flag_header() {
            self.set_http_response_header(&name, Some(&value));
        }
        let Some(plan) = self.plan.as_ref() else {
            return;
        };
        let Some(screener) = plan.rule.screening.clone() else {
            return;
        };
        // Embeddings answers are not screened: `data[].embedding` is a float
        // array or (`encoding_format: base64`) base64 of float32s, and the
        // rest (`object`, `index`, `model`, `usage`) is the server's own, not
        // model output. No text a detector reads can be in them.
        if end_of_stream
            || plan.endpoint == Some(Endpoint::Embeddings)
            || plan.screener(Direction::Response).is_none()
            || !matches!(self.status, Some(200..=299))
        {
            return;
        }
        let closed = plan.rule.failure_mode.screening == FailureMode::Closed;
        let limit = plan.rule.max_body_bytes;
        // Single reads: every value the host hands back is a call into the VM
        // to allocate it, and an absent header costs none.
        let compressed = self
            .get_http_response_header("content-encoding")
            .is_some_and(|e| is_compressed(&e));
        let sse = self
            .get_http_response_header("content-type")
            .is_some_and(|ct| ct.starts_with("text/event-stream"));
        let screen = if compressed {
            self.count_unscreenable("encoded", closed);
            if !closed {
                return;
            }
            ResponseScreen::Refused
        } else if sse {
            ResponseScreen::Stream(Box::new(StreamScreener::new(
                screener,
                self.restore.clone(),
                closed,
            )))
        } else {
            ResponseScreen::Json { limit }
        };
        self.set_http_response_header("content-length", None);
        self.response_screen = Some(screen);
    }

    fn count_unscreenable(&self, reason: &str, closed: bool) {
        let action = if closed { "withheld" } else { "passed" };
        self.metrics.count(
            "llm_policy_screening_unscreenable_total",
            &[
                ("rule", self.rule_name()),
                ("direction", "response"),
                ("reason", reason),
                ("action", action),
            ],
            1,
        );
    }

    /// Screens the response body per [`ResponseScreen`]; `None` when the
    /// response is not screened.
    fn screen_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Option<Action> {
        let closed = self
            .plan
            .as_ref()
            .is_some_and(|p| p.rule.failure_mode.screening == FailureMode::Closed);
        match self.response_screen.as_mut()? {
            ResponseScreen::Json { limit } => {
                if body_size > *limit {
                    // Too large to hold: screened as it passes from here on.
                    let screener = self.plan.as_ref()?.rule.screening.clone()?;
                    let stream = JsonStreamScreener::new(screener, self.restore.clone(), closed);
                    self.response_screen = Some(ResponseScreen::JsonStream(Box::new(stream)));
                    return self.screen_response_body(body_size, end_of_stream);
                }
                if !end_of_stream {
                    return Some(Action::Pause);
                }
                let body = self
                    .get_http_response_body(0, body_size)
                    .unwrap_or_default();
                self.feed_usage(&body, true);
                let screener = self.plan.as_ref()?.rule.screening.clone()?;
                match screen_response_bytes(&screener, &body, self.restore.as_deref()) {
                    Ok((replacement, screened)) => {
                        self.record_screening(Direction::Response, screened.tally);
                        if let Some(bytes) = replacement {
                            self.set_http_response_body(0, body_size, &bytes);
                        }
                    }
                    Err(_) => {
                        self.count_unscreenable("not_json", closed);
                        return Some(self.refuse_response(body_size, true, closed));
                    }
                }
                Some(Action::Continue)
            }
            ResponseScreen::Stream(_) => {
                let chunk = self
                    .get_http_response_body(0, body_size)
                    .unwrap_or_default();
                let Some(ResponseScreen::Stream(stream)) = self.response_screen.as_mut() else {
                    return None;
                };
                let out = stream.feed(&chunk, end_of_stream);
                let unscreenable = std::mem::take(&mut stream.unscreenable);
                let tally = if end_of_stream || stream.blocked.is_some() {
                    std::mem::take(&mut stream.tally)
                } else {
                    Tally::default()
                };
                if out != chunk {
                    self.set_http_response_body(0, body_size, &out);
                }
                self.feed_usage(&chunk, end_of_stream);
                if unscreenable > 0 {
                    self.count_unscreenable("bad_event", closed);
                }
                self.record_screening(Direction::Response, tally);
                Some(Action::Continue)
            }
            ResponseScreen::JsonStream(_) => {
                let chunk = self
                    .get_http_response_body(0, body_size)
                    .unwrap_or_default();
                let Some(ResponseScreen::JsonStream(stream)) = self.response_screen.as_mut() else {
                    return None;
                };
                let out = stream.feed(&chunk, end_of_stream);
                let problem = stream.problem.take();
                let tally = stream.take_tally();
                if out != chunk {
                    self.set_http_response_body(0, body_size, &out);
                }
                self.feed_usage(&chunk, end_of_stream);
                if let Some(problem) = problem {
                    self.count_unscreenable(problem.label(), closed);
                }
                self.record_screening(Direction::Response, tally);
                Some(Action::Continue)
            }
            ResponseScreen::Refused => Some(self.refuse_response(body_size, end_of_stream, closed)),
        }
    }

    /// Withholds the response body (fail closed) or lets it pass (fail open).
    fn refuse_response(&mut self, body_size: usize, end_of_stream: bool, closed: bool) -> Action {
        if !closed {
            self.response_screen = None;
            return Action::Continue;
        }
        self.response_screen = Some(ResponseScreen::Refused);
        let replacement = if end_of_stream {
            LocalReply::unscreenable_output().body().into_bytes()
        } else {
            Vec::new()
        };
        self.set_http_response_body(0, body_size, &replacement);
        Action::Continue
    }

    /// Reads token usage from a response chunk, when arms are counted.
    fn feed_usage(&mut self, chunk: &[u8], end_of_stream: bool) {
        let usage = self.usage.as_mut().and_then(|scanner| {
            scanner.feed(chunk);
            if end_of_stream {
                scanner.finish()
            } else {
                None
            }
        });
        if let (Some(u), Some(plan)) = (usage, self.plan.as_ref()) {
            let prompt = i64::try_from(u.prompt_tokens).unwrap_or(i64::MAX);
            let completion = i64::try_from(u.completion_tokens).unwrap_or(i64::MAX);
            let base = "llm_policy_ab_tokens_total";
            self.count_arms(plan, base, &[("kind", "prompt")], prompt);
            self.count_arms(plan, base, &[("kind", "completion")], completion);
        }
    }

    /// Counts the request's strongest screening outcome per arm and canary track.
    fn count_screening_per_arm(&self) {
        let Some(plan) = self.plan.as_ref() else {
            return;
        };
        let strongest = self.request_tally.strongest();
        let Some(outcome) = strongest.max(self.response_tally.strongest()) else {
            return;
        };
        let action = outcome.label();
        self.count_arms(
            plan,
            "llm_policy_ab_screening_total",
            &[("action", action)],
            1,
        );
        if let Some(track) = &plan.track {
            let track = if track.canary { "canary" } else { "stable" };
            self.metrics.count(
                "llm_policy_canary_screening_total",
                &[
                    ("rule", plan.rule.name.as_str()),
                    ("track", track),
                    ("action", action),
                ],
                1,
            );
        }
    }

    /// One clock read: (Unix ms now, ms since the request headers).
    fn clock(&self) -> (u64, u64) {
        let now = self.get_current_time();
        let elapsed = self
            .started
            .and_then(|start| now.duration_since(start).ok())
            .map_or(0, |d| d.as_millis() as u64);
        (shared::unix_ms(now), elapsed)
    }

    /// Picks the canary track (stable while halted on this proxy) and counts it.
    fn choose_canary(&self, plan: &mut RequestPlan, head: &RequestHead, now_ms: u64) {
        let Some(cfg) = plan.rule.canary.clone() else {
            return;
        };
        let rule = Rc::clone(&plan.rule);
        let halted = cfg.halt.is_some() && self.canary.halted(&rule.name, now_ms);
        plan.choose_canary(head, halted, &mut random_id);
        let track = match &plan.track {
            Some(t) if t.canary => "canary",
            _ => "stable",
        };
        self.metrics.count(
            "llm_policy_canary_requests_total",
            &[("rule", rule.name.as_str()), ("track", track)],
            1,
        );
    }

    /// Feeds the canary window with a finished request's outcome.
    fn record_canary(&self, elapsed_ms: u64) {
        let Some(plan) = self.plan.as_ref() else {
            return;
        };
        let (Some(track), Some(cfg)) = (&plan.track, &plan.rule.canary) else {
            return;
        };
        if cfg.halt.is_none() || self.replied {
            return;
        }
        let failure = self.status.is_none_or(|s| s >= 500);
        let latency = self.first_byte_ms.unwrap_or(elapsed_ms);
        self.canary
            .add(&plan.rule.name, track.canary, failure, latency);
    }

    fn elapsed_ms(&self) -> u64 {
        self.clock().1
    }

    /// Checks the rule's breaker. `Some(action)` when the request is answered
    /// (or rerouted) here; `None` to go on.
    fn check_circuit(&mut self, plan: &RequestPlan, now_ms: u64) -> Option<Action> {
        let cfg = plan.rule.circuit.clone()?;
        let target = match cfg.per {
            BreakerKey::Rule => None,
            BreakerKey::Cluster => self
                .get_property(vec!["xds", "cluster_name"])
                .and_then(|b| String::from_utf8(b).ok()),
        }
        .unwrap_or_else(|| plan.rule.name.clone());
        match circuit::admit(&target, now_ms, &cfg, &self.metrics) {
            Admission::Reject { retry_after_s } => {
                if let Some(fallback) = &cfg.fallback {
                    let value = fallback.value.as_deref().unwrap_or("true");
                    self.set_http_request_header(&fallback.name, Some(value));
                    self.clear_route_cache();
                    self.count_circuit(&target, "fallback");
                    return None;
                }
                self.count_circuit(&target, "rejected");
                let retry_after = retry_after_s.to_string();
                let extra = [
                    ("retry-after", retry_after.as_str()),
                    ("x-llm-circuit", "open"),
                ];
                self.send_reply_with(&LocalReply::circuit_open(retry_after_s), &extra);
                Some(Action::Pause)
            }
            admission => {
                let r = &cfg.retry;
                if let Some(n) = r.max_retries {
                    self.set_http_request_header("x-envoy-max-retries", Some(&n.to_string()));
                }
                if let Some(on) = &r.retry_on {
                    self.set_http_request_header("x-envoy-retry-on", Some(on));
                }
                if let Some(ms) = r.timeout_ms {
                    self.set_http_request_header(
                        "x-envoy-upstream-rq-timeout-ms",
                        Some(&ms.to_string()),
                    );
                }
                self.circuit = Some((target, admission, cfg));
                None
            }
        }
    }

    fn count_circuit(&self, target: &str, action: &str) {
        self.metrics.count(
            "llm_policy_circuit_open_requests_total",
            &[("target", target), ("action", action)],
            1,
        );
    }

    fn clear_route_cache(&self) {
        if let Err(e) = proxy_wasm::hostcalls::call_foreign_function("clear_route_cache", None) {
            log::debug!("clear_route_cache unavailable: {e:?}");
        }
    }

    fn send_reply(&mut self, reply: &LocalReply) {
        self.send_reply_with(reply, &[]);
    }

    fn send_reply_with(&mut self, reply: &LocalReply, extra: &[(&str, &str)]) {
        self.replied = true;
        self.metrics.count(
            "llm_policy_local_replies_total",
            &[("rule", self.rule_name()), ("code", reply.code)],
            1,
        );
        let body = reply.body();
        let mut headers = vec![("content-type", "application/json")];
        headers.extend_from_slice(extra);
        if let Some(v) = &self.debug_value {
            headers.push((DEBUG_HEADER, v.as_str()));
        }
        self.send_http_response(u32::from(reply.status), headers, Some(body.as_bytes()));
    }

    /// Judges the whole buffered body (at end of stream or at trailers).
    fn finish_body(&mut self) -> Action {
        let Some(plan) = self.plan.as_ref() else {
            return Action::Continue;
        };
        let body = self
            .get_http_request_body(0, self.body_size)
            .unwrap_or_default();
        let verdict = plan.judge_body(&body);
        self.act(verdict)
    }
}

fn random_id() -> String {
    format!("r{:016x}", fastrand::u64(..))
}

fn status_class(status: Option<u16>) -> &'static str {
    match status.map(|s| s / 100) {
        Some(2) => "2xx",
        Some(3) => "3xx",
        Some(4) => "4xx",
        Some(5) => "5xx",
        _ => "other",
    }
}

impl Context for PolicyHttp {}

impl HttpContext for PolicyHttp {
    /// Chooses the rule, subject and arms, and writes the routing headers.
    /// Headers always continue: Envoy turns a paused header callback into
    /// StopAllIteration, which would also stop the body callbacks. The body
    /// itself is held (buffered) until judged, so a refusal resets the
    /// upstream stream before any body byte reaches it.
    fn on_http_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let Some(policy) = self.policy.clone() else {
            return Action::Continue;
        };
        let now = self.get_current_time();
        self.started = Some(now);
        let now_ms = shared::unix_ms(now);
        let head = self.read_head(&policy);
        let mut plan = flow::plan(&policy, &head, !end_of_stream, &mut random_id);
        self.choose_canary(&mut plan, &head, now_ms);
        let endpoint = plan.endpoint.map_or("other", |e| e.label());
        self.metrics.count(
            "llm_policy_requests_total",
            &[("rule", plan.rule.name.as_str()), ("endpoint", endpoint)],
            1,
        );
        if plan.rule.debug_headers {
            self.debug_value = Some(plan.debug_header(&policy.revision));
        }
        self.count_arms(&plan, "llm_policy_ab_requests_total", &[], 1);
        self.write_routing_headers(&plan, &head);
        if let Some(action) = self.check_circuit(&plan, now_ms) {
            self.plan = Some(plan);
            return action;
        }
        if plan.rewrites_body() {
            self.set_http_request_header("content-length", None);
        }
        if plan.read_body && plan.screener(Direction::Response).is_some() {
            // Screened outputs must arrive uncompressed.
            self.set_http_request_header("accept-encoding", None);
        }
        let header_problem = plan.header_problem;
        self.reading_body = plan.read_body;
        let verdict = header_problem.map(|p| plan.judge_problem(p));
        self.plan = Some(plan);
        match verdict {
            Some(v) => self.act(v),
            // Held until the body is judged: a refused body never reaches the pod.
            None if self.reading_body && self.hold.enabled() => {
                self.hold.hold(self.context_id, now_ms);
                self.headers_held = true;
                Action::Pause
            }
            None => Action::Continue,
        }
    }

    /// This is a chunk, not the whole body: `body_size` is all bytes buffered so far.
    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if self.headers_held {
            self.hold.body_seen(self.context_id);
        }
        if !self.reading_body {
            return Action::Continue;
        }
        self.body_size = body_size;
        let over = self.plan.as_ref().map(|p| p.over_limit(body_size));
        match over {
            None => Action::Continue,
            Some(true) => {
                let verdict = self
                    .plan
                    .as_ref()
                    .map(|p| p.judge_problem(BodyProblem::TooLarge));
                verdict.map_or(Action::Continue, |v| self.act(v))
            }
            Some(false) if end_of_stream => self.finish_body(),
            Some(false) => Action::Pause,
        }
    }

    /// HTTP/2 (and chunked HTTP/1.1) bodies may end with trailers instead of an
    /// end-of-stream data frame: the body is complete here.
    fn on_http_request_trailers(&mut self, _num_trailers: usize) -> Action {
        if self.headers_held {
            self.hold.body_seen(self.context_id);
        }
        if self.reading_body {
            self.finish_body()
        } else {
            Action::Continue
        }
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        self.response.ended = end_of_stream;
        self.status = self
            .get_http_response_header(":status")
            .and_then(|s| s.parse().ok());
        self.first_byte_ms = Some(self.elapsed_ms());
        if let Some(v) = &self.debug_value {
            self.set_http_response_header(DEBUG_HEADER, Some(v.as_str()));
        }
        let Some(plan) = self.plan.as_ref() else {
            return Action::Continue;
        };
        if let Some((name, value)) = plan.ab_response_header() {
            self.set_http_response_header(name, Some(&value));
        }
        for cookie in plan.set_cookies() {
            self.add_http_response_header("set-cookie", &cookie);
        }
        if !plan.arms.is_empty() {
            let class = status_class(self.status);
            self.count_arms(
                plan,
                "llm_policy_ab_responses_total",
                &[("class", class)],
                1,
            );
            self.usage = Some(UsageScanner::sniffing());
        }
        if !self.replied {
            self.start_response_screening(end_of_stream);
        }
        Action::Continue
    }

    /// This is a chunk, not the whole body: usage is read as it passes.
    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        let timed = self.circuit.as_ref().is_some_and(|(_, _, cfg)| {
            cfg.first_token_timeout_ms.is_some() || cfg.stream_idle_timeout_ms.is_some()
        });
        // The clock is read only when the breaker judges stream timing.
        self.response.ended |= end_of_stream;
        if timed {
            let now = self.elapsed_ms();
            let w = &mut self.response;
            if w.first_body_ms.is_none() && body_size > 0 {
                w.first_body_ms = Some(now);
            } else if body_size > 0 {
                w.max_gap_ms = w.max_gap_ms.max(now.saturating_sub(w.last_chunk_ms));
            }
            if body_size > 0 {
                w.last_chunk_ms = now;
            }
        }
        if let Some(action) = self.screen_response_body(body_size, end_of_stream) {
            return action;
        }
        if self.usage.is_none() {
            return Action::Continue;
        }
        let chunk = self
            .get_http_response_body(0, body_size)
            .unwrap_or_default();
        self.feed_usage(&chunk, end_of_stream);
        Action::Continue
    }

    /// A response that ends with trailers (HTTP/2) never sees an end-of-stream
    /// body chunk: a JSON body held for screening is finished here.
    fn on_http_response_trailers(&mut self, _num_trailers: usize) -> Action {
        self.response.ended = true;
        if matches!(self.response_screen, Some(ResponseScreen::JsonStream(_))) {
            // Chunks already went out: only the end is told (closing what is owed).
            if let Some(action) = self.screen_response_body(0, true) {
                return action;
            }
        }
        if matches!(self.response_screen, Some(ResponseScreen::Json { .. })) {
            let size = self
                .get_http_response_body(0, usize::MAX)
                .map_or(0, |b| b.len());
            if let Some(action) = self.screen_response_body(size, true) {
                return action;
            }
        }
        Action::Continue
    }

    /// Feeds the breaker: the status, or no response at all (reset, timeout).
    fn on_log(&mut self) {
        if self.headers_held {
            self.hold.forget(self.context_id);
        }
        let timed = self.circuit.is_some()
            || self.plan.as_ref().is_some_and(|p| {
                !p.arms.is_empty() || p.rule.canary.as_ref().is_some_and(|c| c.halt.is_some())
            });
        let (now_ms, elapsed) = if timed { self.clock() } else { (0, 0) };
        if let Some((target, admission, cfg)) = self.circuit.take() {
            if self.replied {
                circuit::release(&target, admission, &self.metrics);
            } else {
                // Flags only matter when the exchange did not finish normally.
                let flags = if self.status.is_none() || !self.response.ended {
                    self.get_property(vec!["response", "flags"])
                        .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
                        .map_or(0, u64::from_le_bytes)
                } else {
                    0
                };
                let outcome = Outcome {
                    status: self.status,
                    flags,
                    incomplete: self.status.is_some() && !self.response.ended,
                    first_token_ms: self.response.first_body_ms,
                    max_gap_ms: self.response.max_gap_ms,
                };
                let failure = breaker::is_failure(&outcome, &cfg);
                circuit::record(&target, now_ms, failure, admission, &cfg, &self.metrics);
            }
        }
        self.record_canary(elapsed);
        self.count_screening_per_arm();
        let Some(plan) = self.plan.as_ref() else {
            return;
        };
        if plan.arms.is_empty() {
            return;
        }
        for (exp, arm) in plan.arm_names() {
            let tags = [("experiment", exp), ("arm", arm)];
            self.metrics
                .record("llm_policy_ab_latency_ms", &tags, elapsed);
        }
    }
}
