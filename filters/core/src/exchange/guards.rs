//! The request side of guard models in an exchange: after the built-in
//! screening forwarded a prompt, the guards of the rule are asked about its
//! messages (see [`crate::guard::round`]) while the body stays held; the
//! last answer decides.
//!
//! | verdict | what the client gets |
//! |---|---|
//! | a guard's rules block | the built-in refusal (`block.status`, `content_policy_violation`); the flag header names `guard:<name>:<label>=block` |
//! | a fail-closed guard could not answer | `503`, `server_error`, code `guard_unavailable` |
//! | a presidio guard finds spans its rules redact | the spans replaced in the section's redaction style (hash tokens restored in the answer when `redaction.restore`) |
//! | a rule flags | the request passes; the flag header lists `guard:<name>:<label>=flag` |
//!
//! `mode: dry_run` reports `would_block` / `would_redact` and changes nothing.

use super::{BodyAnswer, Exchange};
use crate::guard::protocol::EntitySpan;
use crate::guard::round::{Call, CallFailure, GuardCaches, GuardOutcome, Round, Side};
use crate::guard::texts::{prompt_texts, GuardText};
use crate::guard::GuardSpec;
use crate::json_splice;
use crate::openai::{self, Endpoint};
use crate::reply::LocalReply;
use crate::screen::config::RedactStyle;
use crate::screen::redact::RestoreMap;
use crate::screen::Screener;
use serde_json::Value;
use std::collections::HashMap;
use std::rc::Rc;

/// A round in flight for the request body.
#[derive(Debug)]
pub struct GuardCheck {
    round: Round,
    texts: Vec<GuardText>,
    /// The body as the built-in screening forwards it.
    body: Vec<u8>,
    endpoint: Endpoint,
    /// The built-in answer, released (or replaced) once the guards decided.
    answer: BodyAnswer,
}

impl std::fmt::Debug for Round {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Round")
            .field("calls", &self.calls().len())
            .finish()
    }
}

/// What starting the guards of a judged body gives.
#[derive(Debug)]
pub enum GuardStart {
    /// The body has nothing for a guard (or the rule has none): act on this.
    Skip(BodyAnswer),
    /// Make these calls (all at once) and hold the body until
    /// [`Exchange::guard_answered`] gives the decision.
    Calls(Vec<Call>),
    /// Every verdict was cached: the decision is known now.
    Decided(GuardDecision),
}

/// The guards' decision on a request body.
#[derive(Debug)]
pub struct GuardDecision {
    /// What to write back: as for a built-in verdict.
    pub answer: BodyAnswer,
    /// Per guard (name), what the round made of it, for metrics.
    pub outcomes: Vec<(String, GuardOutcome)>,
    /// `decision` label of `llm_policy_guard_decisions_total`: passed,
    /// flagged, redacted, blocked, unavailable, failed_open (or would_block,
    /// would_redact under dry_run).
    pub decision: &'static str,
}

impl Exchange {
    /// The rule's guards that check prompts, when the body has texts they read.
    fn request_guards(&self) -> Option<&Rc<Screener>> {
        let screener = self.plan.rule.screening.as_ref()?;
        let endpoint = self.plan.endpoint?;
        (screener.config.has_guards(true) && endpoint != Endpoint::Embeddings).then_some(screener)
    }

    /// True when a judged body may go to guards (no work at header time).
    pub fn has_request_guards(&self) -> bool {
        self.request_guards().is_some()
    }

    /// Plans the guard round for a body the built-in screening forwards
    /// (`answer` has no reply): `body` is the original buffered body.
    pub fn start_guards(
        &mut self,
        body: &[u8],
        answer: BodyAnswer,
        caches: &mut GuardCaches,
        now_ms: u64,
    ) -> GuardStart {
        let (Some(screener), Some(endpoint)) = (self.request_guards().cloned(), self.plan.endpoint)
        else {
            return GuardStart::Skip(answer);
        };
        if answer.reply.is_some() || answer.action == "forwarded_unread" {
            return GuardStart::Skip(answer);
        }
        let forwarded = answer.rewrite.clone().unwrap_or_else(|| body.to_vec());
        let Ok(value) = serde_json::from_slice::<Value>(&forwarded) else {
            return GuardStart::Skip(answer);
        };
        let texts = prompt_texts(endpoint, &value);
        let guards = &screener.config.guards;
        let round = Round::start(
            guards,
            Side::Prompt,
            &texts,
            None,
            &screener.guard_keys,
            caches,
            now_ms,
        );
        let calls = round.calls().to_vec();
        self.guard_check = Some(GuardCheck {
            round,
            texts,
            body: forwarded,
            endpoint,
            answer,
        });
        if calls.is_empty() {
            match self.decide_guards() {
                Some(d) => GuardStart::Decided(d),
                None => GuardStart::Skip(BodyAnswer::forwarded()),
            }
        } else {
            GuardStart::Calls(calls)
        }
    }

    /// The guard spec of call `index` of the round in flight.
    pub fn guard_of_call(&self, index: usize) -> Option<&GuardSpec> {
        let check = self.guard_check.as_ref()?;
        let call = check.round.calls().get(index)?;
        self.plan
            .rule
            .screening
            .as_ref()?
            .config
            .guards
            .get(call.guard)
    }

    /// Records the answer to call `index`; the decision once every call is in.
    pub fn guard_answered(
        &mut self,
        index: usize,
        reply: Result<&[u8], CallFailure>,
        caches: &mut GuardCaches,
        now_ms: u64,
    ) -> Option<GuardDecision> {
        let screener = self.plan.rule.screening.clone()?;
        let check = self.guard_check.as_mut()?;
        check.round.complete(
            index,
            reply,
            &screener.config.guards,
            &check.texts,
            caches,
            now_ms,
        );
        if check.round.is_done() {
            self.decide_guards()
        } else {
            None
        }
    }

    /// The decision of the finished round (taken once).
    fn decide_guards(&mut self) -> Option<GuardDecision> {
        let screener = self.plan.rule.screening.clone()?;
        let check = self.guard_check.take()?;
        let guards = &screener.config.guards;
        let verdict = check.round.verdict(guards);
        let dry_run = screener.config.dry_run;
        let name = |g: usize| guards.get(g).map_or("?", |s| s.name.as_str());
        let mut answer = check.answer;
        let failed = verdict.guards.iter().any(|o| !o.failures.is_empty());
        let mut decision = match (verdict.flags.is_empty(), failed) {
            (_, true) => "failed_open",
            (false, false) => "flagged",
            (true, false) => "passed",
        };
        for (g, label) in &verdict.flags {
            self.guard_flags
                .push(format!("guard:{}:{}=flag", name(*g), header_safe(label)));
        }
        if let Some((g, failure)) = verdict.unavailable {
            self.guard_flags
                .push(format!("guard:{}:{}=unavailable", name(g), failure.label()));
            decision = "unavailable";
            if !dry_run {
                answer.outcome = "guard_unavailable";
                answer.action = "rejected";
                answer.rewrite = None;
                answer.reply = Some(self.reply(LocalReply::guard_unavailable(), Vec::new()));
            }
        } else if let Some((g, labels)) = &verdict.blocked_by {
            let action = if dry_run { "would_block" } else { "block" };
            decision = if dry_run { "would_block" } else { "blocked" };
            let labels = if labels.is_empty() {
                vec!["flagged".to_string()]
            } else {
                labels.clone()
            };
            for l in labels {
                self.guard_flags
                    .push(format!("guard:{}:{}={action}", name(*g), header_safe(&l)));
            }
            if !dry_run {
                answer.action = "blocked";
                answer.rewrite = None;
                let reply = LocalReply::content_blocked(
                    screener.config.block_status,
                    &screener.config.block_message,
                );
                let flags = self.flag_header().into_iter().collect();
                answer.reply = Some(self.reply(reply, flags));
            }
        } else if !verdict.redact.is_empty() {
            if dry_run {
                decision = "would_redact";
                self.guard_flags.push("guard:redact=would_redact".into());
            } else {
                let mut restore = (screener.config.restore
                    && screener.config.style == RedactStyle::Hash)
                    .then(|| self.restore.as_deref().cloned().unwrap_or_default());
                if let Some(body) = redact(
                    &check.body,
                    check.endpoint,
                    &check.texts,
                    &verdict.redact,
                    &screener,
                    restore.as_mut(),
                ) {
                    answer.rewrite = Some(body);
                    answer.action = "rewritten";
                    decision = "redacted";
                    if let Some(map) = restore.filter(|m| !m.is_empty()) {
                        self.restore = Some(Rc::new(map));
                    }
                }
            }
        }
        let outcomes = verdict
            .guards
            .into_iter()
            .enumerate()
            .map(|(g, o)| (name(g).to_string(), o))
            .collect();
        self.guard_decision = Some(decision);
        Some(GuardDecision {
            answer,
            outcomes,
            decision,
        })
    }

    /// The request guards' decision, once taken (for per-arm and per-track counts).
    pub fn guard_decision(&self) -> Option<&'static str> {
        self.guard_decision
    }

    /// Items the guards add to the flag header.
    pub(super) fn guard_flag_items(&self) -> &[String] {
        &self.guard_flags
    }
}

impl BodyAnswer {
    fn forwarded() -> BodyAnswer {
        BodyAnswer {
            outcome: "read",
            action: "forwarded",
            rewrite: None,
            reply: None,
            findings: Default::default(),
        }
    }
}

/// A guard's label as a header token: letters, digits and `_-./` kept, the rest `_`.
fn header_safe(label: &str) -> String {
    label
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-./".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The entity type as a redaction tag: `PERSON`, `US_SSN`.
fn tag_of(entity: &str) -> String {
    let t: String = header_safe(entity).to_ascii_uppercase();
    if t.is_empty() {
        "ENTITY".into()
    } else {
        t
    }
}

/// `body` with the spans of `redact` (per message of `texts`) replaced;
/// spans map to the visited strings through the messages' segments.
fn redact(
    body: &[u8],
    endpoint: Endpoint,
    texts: &[GuardText],
    redact: &[(usize, Vec<EntitySpan>)],
    screener: &Screener,
    mut restore: Option<&mut RestoreMap>,
) -> Option<Vec<u8>> {
    // Per visited string: (start, end, tag) in its own bytes.
    let mut edits: HashMap<usize, Vec<(usize, usize, String)>> = HashMap::new();
    for (msg, spans) in redact {
        let Some(text) = texts.get(*msg) else {
            continue;
        };
        for seg in &text.segments {
            let seg_end = seg.start + seg.len;
            for span in spans {
                let (s, e) = (span.start.max(seg.start), span.end.min(seg_end));
                if s < e {
                    edits.entry(seg.string).or_default().push((
                        s - seg.start,
                        e - seg.start,
                        tag_of(&span.entity),
                    ));
                }
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let mut index = 0usize;
    let mut changed = false;
    let _ = openai::visit_prompt_texts(endpoint, &mut value, &mut |s: &mut String| {
        if let Some(list) = edits.get_mut(&index) {
            crate::cold_sort::sort_stable_by(list, |a, b| b.0.cmp(&a.0));
            for (start, end, tag) in list.iter() {
                let (start, end) = (*start, (*end).min(s.len()));
                if start >= end || !s.is_char_boundary(start) || !s.is_char_boundary(end) {
                    continue;
                }
                let Some(original) = s.get(start..end) else {
                    continue;
                };
                let with = screener.redact_with(tag, original);
                if let Some(map) = restore.as_deref_mut() {
                    map.insert(with.clone(), original);
                }
                s.replace_range(start..end, &with);
                changed = true;
            }
        }
        index += 1;
    });
    if changed {
        json_splice::rewrite(body, &value)
    } else {
        None
    }
}

#[cfg(test)]
#[path = "guards_tests.rs"]
mod tests;
