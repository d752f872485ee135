//! The response side of guard models: a non-streamed (JSON) output is
//! held (as it is for built-in screening) and, once the built-in screening
//! released it, checked by the rule's response guards with the prompt it
//! answers (the last user message); the body is released when the last
//! answer is in.
//!
//! | verdict | what the client gets |
//! |---|---|
//! | a guard's rules block | every output replaced by `block.message`, `finish_reason: content_filter` (as a built-in output block) |
//! | a fail-closed guard could not answer | the body replaced by the `guard_unavailable` error (the 200 status is already sent) |
//! | flag, monitor | the output passes; counted (the response headers are already sent: no flag header) |
//!
//! Presidio spans are not redacted in outputs (a `redact` rule of a response
//! guard counts as a flag there).

use super::Exchange;
use crate::guard::round::{Call, CallFailure, GuardCaches, GuardOutcome, Round, Side};
use crate::guard::texts::{prompt_texts, GuardText};
use crate::guard::{GuardSpec, Role};
use crate::json_splice;
use crate::openai::{self, Endpoint};
use crate::reply::LocalReply;
use crate::screen::body::{clear_output_logprobs, mark_filtered};
use serde_json::Value;

/// An output held for its guards.
#[derive(Debug)]
pub struct OutputCheck {
    round: Option<Round>,
    texts: Vec<GuardText>,
    /// The body as the built-in screening releases it.
    released: Vec<u8>,
    /// The built-in replacement, if it changed the body.
    builtin: Option<Vec<u8>>,
    /// Bytes the host holds (what a replacement covers).
    span: usize,
}

/// What starting the output guards gives.
#[derive(Debug)]
pub enum OutputStart {
    /// Make these calls; the body stays held until the decision.
    Calls(Vec<Call>),
    /// Known now (every verdict cached, or nothing to check).
    Decided(OutputDecision),
}

/// The guards' decision on a held output.
#[derive(Debug)]
pub struct OutputDecision {
    /// Replace the `span` bytes the host holds with this.
    pub replace: Option<Vec<u8>>,
    pub span: usize,
    pub outcomes: Vec<(String, GuardOutcome)>,
    /// As for prompts: passed, flagged, blocked, unavailable, failed_open.
    pub decision: &'static str,
}

impl Exchange {
    /// True when the rule's guards check outputs of this endpoint.
    pub fn has_response_guards(&self) -> bool {
        let (Some(s), Some(endpoint)) = (self.plan.rule.screening.as_ref(), self.plan.endpoint)
        else {
            return false;
        };
        s.config.has_guards(false) && endpoint != Endpoint::Embeddings
    }

    /// Keeps the last user message of the forwarded prompt `body`, which
    /// output guards judge an answer with. Only on rules with response guards.
    pub fn keep_prompt_for_output_guards(&mut self, body: &[u8]) {
        let Some(endpoint) = self.plan.endpoint.filter(|_| self.has_response_guards()) else {
            return;
        };
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return;
        };
        self.guard_prompt = prompt_texts(endpoint, &value)
            .into_iter()
            .rev()
            .find(|t| t.role == Role::User)
            .map(|t| t.text);
    }

    /// Holds a complete JSON output the built-in screening released
    /// (`builtin`: its replacement of the `span` bytes of `body`) for the
    /// response guards; false when there are none.
    pub(super) fn hold_for_output_guards(
        &mut self,
        body: &[u8],
        builtin: Option<Vec<u8>>,
        span: usize,
    ) -> bool {
        if !self.has_response_guards() {
            return false;
        }
        let released = builtin.clone().unwrap_or_else(|| body.to_vec());
        let mut text = String::new();
        if let Ok(mut value) = serde_json::from_slice::<Value>(&released) {
            let _ = openai::visit_output_texts(&mut value, &mut |s: &mut String| {
                if !s.is_empty() {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(s);
                }
            });
        }
        let texts = if text.trim().is_empty() {
            Vec::new()
        } else {
            vec![GuardText {
                role: Role::Assistant,
                text,
                segments: Vec::new(),
            }]
        };
        self.output_check = Some(OutputCheck {
            round: None,
            texts,
            released,
            builtin,
            span,
        });
        true
    }

    /// True while an output round is held or in flight.
    pub fn output_guards_pending(&self) -> bool {
        self.output_check.is_some()
    }

    /// Plans the round for the held output.
    pub fn start_output_guards(&mut self, caches: &mut GuardCaches, now_ms: u64) -> OutputStart {
        let screener = self.plan.rule.screening.clone();
        let prompt = self.guard_prompt.clone();
        let (Some(screener), Some(check)) = (screener, self.output_check.as_mut()) else {
            return OutputStart::Decided(OutputDecision::passed(0));
        };
        let round = Round::start(
            &screener.config.guards,
            Side::Output,
            &check.texts,
            prompt.as_deref(),
            &screener.guard_keys,
            caches,
            now_ms,
        );
        let calls = round.calls().to_vec();
        check.round = Some(round);
        if calls.is_empty() {
            match self.decide_output() {
                Some(d) => OutputStart::Decided(d),
                None => OutputStart::Decided(OutputDecision::passed(0)),
            }
        } else {
            OutputStart::Calls(calls)
        }
    }

    /// The guard of call `index` of the output round.
    pub fn output_guard_of_call(&self, index: usize) -> Option<&GuardSpec> {
        let call = self
            .output_check
            .as_ref()?
            .round
            .as_ref()?
            .calls()
            .get(index)?;
        self.plan
            .rule
            .screening
            .as_ref()?
            .config
            .guards
            .get(call.guard)
    }

    /// Records the answer to call `index` of the output round; the decision
    /// once every call is in.
    pub fn output_guard_answered(
        &mut self,
        index: usize,
        reply: Result<&[u8], CallFailure>,
        caches: &mut GuardCaches,
        now_ms: u64,
    ) -> Option<OutputDecision> {
        let screener = self.plan.rule.screening.clone()?;
        let check = self.output_check.as_mut()?;
        let round = check.round.as_mut()?;
        round.complete(
            index,
            reply,
            &screener.config.guards,
            &check.texts,
            caches,
            now_ms,
        );
        if round.is_done() {
            self.decide_output()
        } else {
            None
        }
    }

    fn decide_output(&mut self) -> Option<OutputDecision> {
        let screener = self.plan.rule.screening.clone()?;
        let check = self.output_check.take()?;
        let guards = &screener.config.guards;
        let verdict = check.round.as_ref()?.verdict(guards);
        let name = |g: usize| guards.get(g).map_or("?", |s| s.name.as_str());
        let failed = verdict.guards.iter().any(|o| !o.failures.is_empty());
        let mut out = OutputDecision {
            replace: check.builtin.clone(),
            span: check.span,
            outcomes: verdict
                .guards
                .iter()
                .enumerate()
                .map(|(g, o)| (name(g).to_string(), o.clone()))
                .collect(),
            decision: match (verdict.flags.is_empty(), failed) {
                (_, true) => "failed_open",
                (false, false) => "flagged",
                (true, false) => "passed",
            },
        };
        let dry_run = screener.config.dry_run;
        if verdict.unavailable.is_some() {
            out.decision = "unavailable";
            if !dry_run {
                out.replace = Some(LocalReply::guard_unavailable().body().into_bytes());
            }
        } else if verdict.blocked_by.is_some() {
            out.decision = if dry_run { "would_block" } else { "blocked" };
            if !dry_run {
                let message = &screener.config.block_message;
                let filtered = serde_json::from_slice::<Value>(&check.released)
                    .ok()
                    .and_then(|mut value| {
                        mark_filtered(&mut value, message);
                        clear_output_logprobs(&mut value);
                        json_splice::rewrite(&check.released, &value)
                    });
                // An output that cannot be rewritten is replaced by the refusal itself.
                out.replace = Some(filtered.unwrap_or_else(|| {
                    LocalReply::content_blocked(screener.config.block_status, message)
                        .body()
                        .into_bytes()
                }));
            }
        }
        self.output_decision = Some(out.decision);
        Some(out)
    }

    /// The output guards' decision, once taken.
    pub fn output_guard_decision(&self) -> Option<&'static str> {
        self.output_decision
    }
}

impl OutputDecision {
    fn passed(span: usize) -> OutputDecision {
        OutputDecision {
            replace: None,
            span,
            outcomes: Vec::new(),
            decision: "passed",
        }
    }
}
