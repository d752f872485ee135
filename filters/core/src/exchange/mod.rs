//! One exchange (request and response), phase by phase, host-free: the
//! adapter reads what a phase needs, calls the phase's method and writes
//! back what it answers. Every decision taken after [`crate::flow::plan`]
//! lives here: the breaker's answer (fast 503, fallback header, Envoy retry
//! headers), the request headers to drop, the body verdict, how the
//! response body is screened (see [`response`]), and the one outcome record
//! of the end of the exchange (see [`outcome`]) that the breaker, the canary
//! window, the per-arm metrics and the usage counters all read.
//!
//! Open versus closed (`failure_mode.screening`) is decided once, when the
//! exchange is made. Every local reply goes through [`Exchange::reply`]:
//! one interruption path, which marks the exchange as answered here.

pub mod guards;
pub mod guards_output;
pub mod guards_stream;
pub mod outcome;
pub mod response;

use crate::breaker::Admission;
use crate::flow::{BodyVerdict, RequestPlan};
use crate::openai::BodyProblem;
use crate::policy::{BreakerKey, CircuitConfig, FailureMode};
use crate::reply::LocalReply;
use crate::request::RequestHead;
use crate::screen::engine::Outcome as ScreenOutcome;
use crate::screen::redact::RestoreMap;
use crate::screen::{Direction, Screener, Tally};
use crate::usage::{UsageAsk, UsageScanner};
use response::{ResponseScreen, StreamWatch};
use std::rc::Rc;

/// The debug response header naming the policy revision and rule applied.
pub const DEBUG_HEADER: &str = "x-llm-policy";
/// The fallback header's value when the policy gives none.
pub const DEFAULT_FALLBACK_VALUE: &str = "true";

/// The breaker a request was admitted by.
#[derive(Debug, Clone, PartialEq)]
pub struct Circuit {
    /// The breaker's key: the rule name or Envoy's upstream cluster.
    pub target: String,
    pub admission: Admission,
    pub cfg: Rc<CircuitConfig>,
}

/// A reply the filter sends itself: status, headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub reply: LocalReply,
    /// Every header of the reply, `content-type` first.
    pub headers: Vec<(String, String)>,
}

/// The breaker's answer at request-header time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CircuitAnswer {
    /// Admitted: set these request headers (Envoy's retry headers).
    Proceed(Vec<(&'static str, String)>),
    /// Open, with a fallback: set this header and match the route again.
    Fallback {
        name: String,
        value: String,
        /// The breaker's key, for the open-request count.
        target: String,
    },
    /// Open: answer `503` with `retry-after`.
    Reply { reply: Reply, target: String },
}

impl CircuitAnswer {
    /// The `action` label of `llm_policy_circuit_open_requests_total`, when open.
    pub fn open_action(&self) -> Option<&'static str> {
        match self {
            CircuitAnswer::Proceed(_) => None,
            CircuitAnswer::Fallback { .. } => Some("fallback"),
            CircuitAnswer::Reply { .. } => Some("rejected"),
        }
    }
}

/// What the request-header phase still asks once routing and the breaker
/// are done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadersAnswer {
    /// Request headers to remove.
    pub remove: Vec<&'static str>,
    /// The headers already judge the body (a compressed body).
    pub verdict: Option<BodyAnswer>,
    /// The body is buffered and judged: the adapter may hold the headers.
    pub reads_body: bool,
}

/// The answer to a request body callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyStep {
    /// Not read: let it pass.
    Pass,
    /// Buffer: the body is not complete yet.
    Buffer,
    /// Complete: read the whole buffered body and call [`Exchange::judge_body`].
    Judge,
    /// Judged without reading it (too large).
    Answer(BodyAnswer),
    /// Not held, but read in passing: read this chunk and give it to
    /// [`Exchange::peek_request_body`] (whether it asks for stream usage).
    Peek,
}

/// What to do with a judged request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyAnswer {
    /// Labels of `llm_policy_request_bodies_total`: (outcome, action).
    pub outcome: &'static str,
    pub action: &'static str,
    /// Replace the buffered body with this.
    pub rewrite: Option<Vec<u8>>,
    /// Answer the request with this instead.
    pub reply: Option<Reply>,
    /// What screening found, to count.
    pub findings: Tally,
}

/// One finding of a tally, with its metric labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding<'a> {
    pub kind: &'a str,
    pub detector: &'a str,
    pub action: &'static str,
    pub count: u32,
}

/// The per-exchange state, made from the request plan.
#[derive(Debug)]
pub struct Exchange {
    pub plan: RequestPlan,
    /// `failure_mode.screening` is closed: decided once.
    fail_closed: bool,
    debug_value: Option<String>,
    /// Unix ms at request headers.
    started_ms: u64,
    /// The request body is being buffered until it can be judged.
    reading_body: bool,
    /// Request body bytes buffered so far (as last reported by the host).
    body_size: usize,
    restore: Option<Rc<RestoreMap>>,
    request_tally: Tally,
    response_tally: Tally,
    /// The filter answered this request itself.
    replied: bool,
    circuit: Option<Circuit>,
    status: Option<u16>,
    /// Milliseconds from request headers to response headers (canary halts only).
    first_byte_ms: Option<u64>,
    watch: StreamWatch,
    screen: Option<ResponseScreen>,
    usage: Option<UsageScanner>,
    /// Whether the request body asks for usage in its stream, read as an
    /// unread body passes (arms counted, body not judged).
    usage_ask: Option<UsageAsk>,
    /// The request may have asked for usage in its stream (true until a
    /// whole body is seen without asking): an event stream is read for
    /// usage only then.
    stream_usage_asked: bool,
    /// The request's guard round, while it is in flight.
    guard_check: Option<guards::GuardCheck>,
    /// Flag-header items the guards added (`guard:<name>:<label>=flag`).
    guard_flags: Vec<String>,
    guard_decision: Option<&'static str>,
    /// The last user message, for output guards.
    guard_prompt: Option<String>,
    /// An output held for its guards.
    output_check: Option<guards_output::OutputCheck>,
    output_decision: Option<&'static str>,
    /// A streamed output's windows and their rounds.
    stream_guard: Option<guards_stream::StreamGuard>,
}

impl Exchange {
    /// The exchange of `plan` (after its canary choice), started at `started_ms`.
    pub fn new(plan: RequestPlan, revision: &str, started_ms: u64) -> Exchange {
        let debug_value = plan.rule.debug_headers.then(|| plan.debug_header(revision));
        Exchange {
            fail_closed: plan.rule.failure_mode.screening == FailureMode::Closed,
            debug_value,
            started_ms,
            reading_body: false,
            body_size: 0,
            restore: None,
            request_tally: Tally::default(),
            response_tally: Tally::default(),
            replied: false,
            circuit: None,
            status: None,
            first_byte_ms: None,
            watch: StreamWatch::default(),
            screen: None,
            usage: None,
            usage_ask: None,
            stream_usage_asked: true,
            guard_check: None,
            guard_flags: Vec::new(),
            guard_decision: None,
            guard_prompt: None,
            output_check: None,
            output_decision: None,
            stream_guard: None,
            plan,
        }
    }

    pub fn rule_name(&self) -> &str {
        &self.plan.rule.name
    }

    /// True when screening fails closed on this rule.
    pub fn fail_closed(&self) -> bool {
        self.fail_closed
    }

    /// The filter answered this request itself.
    pub fn replied(&self) -> bool {
        self.replied
    }

    /// Unix ms at request headers.
    pub fn started_ms(&self) -> u64 {
        self.started_ms
    }

    /// Request body bytes buffered so far.
    pub fn body_size(&self) -> usize {
        self.body_size
    }

    /// The `x-llm-policy` debug value, for replies and responses.
    pub fn debug_value(&self) -> Option<&str> {
        self.debug_value.as_deref()
    }

    /// The head's routing changes: (client copies to remove, headers to set).
    pub fn routing_changes<'a>(
        &'a self,
        head: &RequestHead,
    ) -> (Vec<&'a str>, Vec<(&'a str, &'a str)>) {
        self.plan.routing_changes(head)
    }

    /// The one interruption path: `reply` with `extra` headers (and the
    /// debug header); the exchange is answered here from now on.
    pub fn reply(&mut self, reply: LocalReply, extra: Vec<(String, String)>) -> Reply {
        self.replied = true;
        let mut headers = Vec::with_capacity(extra.len() + 2);
        headers.push(("content-type".to_string(), "application/json".to_string()));
        headers.extend(extra);
        if let Some(v) = &self.debug_value {
            headers.push((DEBUG_HEADER.to_string(), v.clone()));
        }
        Reply { reply, headers }
    }

    /// The rule's breaker config, when it has one.
    pub fn circuit_config(&self) -> Option<&Rc<CircuitConfig>> {
        self.plan.rule.circuit.as_ref()
    }

    /// True when the breaker is kept per upstream cluster: the adapter reads
    /// Envoy's `xds.cluster_name` for [`Exchange::circuit_target`].
    pub fn needs_cluster_name(&self) -> bool {
        self.circuit_config()
            .is_some_and(|c| c.per == BreakerKey::Cluster)
    }

    /// The breaker's key: the cluster when kept per cluster and known, else the rule.
    pub fn circuit_target(&self, cluster: Option<String>) -> String {
        cluster
            .filter(|_| self.needs_cluster_name())
            .unwrap_or_else(|| self.plan.rule.name.clone())
    }

    /// The breaker's `admission` of this request to `target`: what to do.
    /// Without a breaker on the rule: proceed with nothing to set.
    pub fn admitted(&mut self, target: String, admission: Admission) -> CircuitAnswer {
        let Some(cfg) = self.circuit_config().cloned() else {
            return CircuitAnswer::Proceed(Vec::new());
        };
        match admission {
            Admission::Reject { retry_after_s } => {
                if let Some(fallback) = &cfg.fallback {
                    let value = fallback.value.as_deref().unwrap_or(DEFAULT_FALLBACK_VALUE);
                    return CircuitAnswer::Fallback {
                        name: fallback.name.clone(),
                        value: value.to_string(),
                        target,
                    };
                }
                let extra = vec![
                    ("retry-after".to_string(), retry_after_s.to_string()),
                    ("x-llm-circuit".to_string(), "open".to_string()),
                ];
                let reply = self.reply(LocalReply::circuit_open(retry_after_s), extra);
                CircuitAnswer::Reply { reply, target }
            }
            admission => {
                let r = &cfg.retry;
                let mut headers = Vec::new();
                if let Some(n) = r.max_retries {
                    headers.push(("x-envoy-max-retries", n.to_string()));
                }
                if let Some(on) = &r.retry_on {
                    headers.push(("x-envoy-retry-on", on.clone()));
                }
                if let Some(ms) = r.timeout_ms {
                    headers.push(("x-envoy-upstream-rq-timeout-ms", ms.to_string()));
                }
                self.circuit = Some(Circuit {
                    target,
                    admission,
                    cfg,
                });
                CircuitAnswer::Proceed(headers)
            }
        }
    }

    /// The rest of the request-header phase (after routing and the breaker):
    /// `content-length` goes when the body may be rewritten, `accept-encoding`
    /// when outputs are screened (they must arrive uncompressed), and the
    /// headers may already judge the body.
    pub fn request_headers_done(&mut self) -> HeadersAnswer {
        let plan = &self.plan;
        let mut remove = Vec::new();
        if plan.rewrites_body() {
            remove.push("content-length");
        }
        if plan.read_body
            && (plan.screener(Direction::Response).is_some() || self.has_response_guards())
        {
            remove.push("accept-encoding");
        }
        self.reading_body = plan.read_body;
        if !plan.read_body && !plan.arms.is_empty() {
            self.usage_ask = Some(UsageAsk::default());
        }
        let verdict = plan.header_problem.map(|p| plan.judge_problem(p));
        let verdict = verdict.map(|v| self.answer(v));
        HeadersAnswer {
            remove,
            reads_body: self.reading_body,
            verdict,
        }
    }

    /// A request body callback: `body_size` is every byte buffered so far.
    pub fn on_request_body(&mut self, body_size: usize, end_of_stream: bool) -> BodyStep {
        if !self.reading_body {
            return match self.usage_ask {
                Some(_) if body_size > 0 => BodyStep::Peek,
                Some(_) if end_of_stream => self.peek_request_body(&[], true),
                _ => BodyStep::Pass,
            };
        }
        self.body_size = body_size;
        if self.plan.over_limit(body_size) {
            let verdict = self.plan.judge_problem(BodyProblem::TooLarge);
            BodyStep::Answer(self.answer(verdict))
        } else if end_of_stream {
            BodyStep::Judge
        } else {
            BodyStep::Buffer
        }
    }

    /// Request trailers: a body being read is complete here (HTTP/2).
    pub fn on_request_trailers(&mut self) -> BodyStep {
        if self.reading_body {
            BodyStep::Judge
        } else {
            self.peek_request_body(&[], true)
        }
    }

    /// An unread request body chunk (after [`BodyStep::Peek`]): whether the
    /// request asks for usage in its stream. Always [`BodyStep::Pass`].
    pub fn peek_request_body(&mut self, chunk: &[u8], end_of_stream: bool) -> BodyStep {
        if let Some(ask) = self.usage_ask.as_mut() {
            ask.feed(chunk);
            // Decided once it asks: later chunks are not read.
            if ask.asked() || end_of_stream {
                self.stream_usage_asked = ask.asked();
                self.usage_ask = None;
            }
        }
        BodyStep::Pass
    }

    /// Judges the complete buffered `body`.
    pub fn judge_body(&mut self, body: &[u8]) -> BodyAnswer {
        let verdict = self.plan.judge_body(body);
        // Usage is only counted per arm, and only a streamed request's body
        // is searched for asking it (a completion always carries usage).
        if let (false, BodyVerdict::Forward { request, .. }) = (self.plan.arms.is_empty(), &verdict)
        {
            self.stream_usage_asked = request.stream && UsageAsk::in_body(body);
        }
        self.answer(verdict)
    }

    /// Turns a verdict into what the adapter writes; keeps what screening
    /// found for the response side and the end of the exchange.
    fn answer(&mut self, verdict: BodyVerdict) -> BodyAnswer {
        self.reading_body = false;
        let mut out = BodyAnswer {
            outcome: "read",
            action: "forwarded",
            rewrite: None,
            reply: None,
            findings: Tally::default(),
        };
        match verdict {
            BodyVerdict::Forward {
                rewritten, report, ..
            } => {
                self.request_tally.merge(&report.tally);
                out.findings = report.tally;
                self.restore = report.restore.map(Rc::new);
                if rewritten.is_some() {
                    out.action = "rewritten";
                }
                out.rewrite = rewritten;
            }
            BodyVerdict::ForwardUnread(problem) => {
                out.outcome = problem.label();
                out.action = "forwarded_unread";
            }
            BodyVerdict::Reject(problem, reply) => {
                out.outcome = problem.label();
                out.action = "rejected";
                out.reply = Some(self.reply(reply, Vec::new()));
            }
            BodyVerdict::Blocked(reply, tally) => {
                self.request_tally.merge(&tally);
                out.findings = tally;
                out.action = "blocked";
                let flags = self.flag_header().into_iter().collect();
                out.reply = Some(self.reply(reply, flags));
            }
        }
        out
    }

    /// The flag header (name, value) for what request screening found.
    pub fn flag_header(&self) -> Option<(String, String)> {
        let screener = self.plan.rule.screening.as_deref()?;
        let name = screener.config.flag_header.clone()?;
        let builtin = flag_header_value(screener, &self.request_tally);
        let guards = self.guard_flag_items();
        let value = match (builtin, guards.is_empty()) {
            (None, true) => return None,
            (Some(b), true) => b,
            (b, false) => {
                let mut parts: Vec<String> = b.into_iter().collect();
                parts.extend(guards.iter().cloned());
                parts.join(", ")
            }
        };
        Some((name, value))
    }

    /// Every finding of `tally` with its metric labels (request or response).
    pub fn findings<'a>(&'a self, tally: &'a Tally) -> impl Iterator<Item = Finding<'a>> + 'a {
        let screener = self.plan.rule.screening.as_deref();
        tally.counts.iter().filter_map(move |(entry, outcome, n)| {
            let e = screener?.entries.get(usize::from(*entry))?;
            Some(Finding {
                kind: e.kind,
                detector: e.name.as_str(),
                action: outcome.label(),
                count: *n,
            })
        })
    }
}

/// `email=redact, banned=flag`: one entry per detector with its strongest outcome.
pub fn flag_header_value(screener: &Screener, tally: &Tally) -> Option<String> {
    let mut parts: Vec<(&str, ScreenOutcome)> = Vec::new();
    for (entry, outcome, _) in &tally.counts {
        let Some(e) = screener.entries.get(usize::from(*entry)) else {
            continue;
        };
        match parts.iter_mut().find(|(n, _)| *n == e.name) {
            Some((_, o)) => *o = (*o).max(*outcome),
            None => parts.push((e.name.as_str(), *outcome)),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let items: Vec<String> = parts
        .iter()
        .map(|(n, o)| format!("{n}={}", o.label()))
        .collect();
    Some(items.join(", "))
}

#[cfg(test)]
mod tests;
