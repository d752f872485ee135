//! One exchange's questions to its guards: which calls to make (after the
//! cache), what came back, and the verdict.
//!
//! Messages a guard has judged before (same guard, same text, within the
//! cache's lifetime) are not sent again. Guards that batch get one call with
//! every other message; the others one call per message. All calls of a
//! round go out together (in parallel); the verdict is known when the last
//! one is back (or failed).

use super::cache::VerdictCache;
use super::protocol::{self, Assessment, EntitySpan, Query};
use super::spec::{GuardSpec, Role};
use super::texts::GuardText;
use super::verdict::{decide, GuardAction};
use std::collections::HashMap;

/// Which side of the exchange a round checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Prompt,
    Output,
}

/// Why a call gave no usable verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallFailure {
    /// No answer within the guard's `timeout_ms`.
    Timeout,
    /// The call could not be made or the connection failed (no such
    /// cluster, refused, reset).
    Connection,
    /// An HTTP status other than 2xx.
    Status(u16),
    /// A 2xx reply that does not have the protocol's shape.
    Malformed,
}

impl CallFailure {
    /// The `kind` label of the failure counter.
    pub fn label(self) -> &'static str {
        match self {
            CallFailure::Timeout => "timeout",
            CallFailure::Connection => "connection",
            CallFailure::Status(s) if s >= 500 => "status_5xx",
            CallFailure::Status(_) => "status_4xx",
            CallFailure::Malformed => "malformed",
        }
    }
}

/// A call to make.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Index of the guard in the route's list.
    pub guard: usize,
    pub cluster: String,
    /// Request headers, pseudo-headers included.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub timeout_ms: u32,
    /// Indices of the messages it asks about.
    pub texts: Vec<usize>,
}

/// Per-VM verdict caches, one per guard: its name and everything that
/// shapes its assessments (protocol and its labels, language and entities,
/// cluster, path, model), so a reloaded policy that points a name at another
/// model does not reuse the old model's verdicts.
#[derive(Default)]
pub struct GuardCaches {
    key: [u8; 16],
    by_guard: HashMap<String, VerdictCache>,
}

fn cache_identity(spec: &GuardSpec) -> String {
    format!(
        "{}\u{0}{:?}\u{0}{}\u{0}{}\u{0}{:?}",
        spec.name, spec.protocol, spec.cluster, spec.path, spec.model
    )
}

impl GuardCaches {
    /// `key`: random bytes drawn once per VM (the cache keys' secret).
    pub fn new(key: [u8; 16]) -> GuardCaches {
        GuardCaches {
            key,
            by_guard: HashMap::new(),
        }
    }

    fn of(&mut self, spec: &GuardSpec) -> &mut VerdictCache {
        let key = self.key;
        self.by_guard
            .entry(cache_identity(spec))
            .or_insert_with(|| VerdictCache::new(key, spec.cache_entries, spec.cache_ttl_ms))
    }
}

/// What one guard made of the round.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GuardOutcome {
    pub calls: usize,
    pub cache_hits: usize,
    /// The strongest action its rules gave any message.
    pub action: Option<GuardAction>,
    /// Labels that applied, with their action (for metrics and flags).
    pub labels: Vec<(String, GuardAction)>,
    pub failures: Vec<CallFailure>,
}

/// The verdict of a round.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundVerdict {
    /// The first guard (in policy order) whose rules block, with its labels.
    pub blocked_by: Option<(usize, Vec<String>)>,
    /// The first fail-closed guard that could not answer.
    pub unavailable: Option<(usize, CallFailure)>,
    /// Spans to redact, per message index, sorted and not overlapping.
    pub redact: Vec<(usize, Vec<EntitySpan>)>,
    /// (guard, label) that flag.
    pub flags: Vec<(usize, String)>,
    /// Per guard, in the route's order.
    pub guards: Vec<GuardOutcome>,
}

/// One round in flight.
pub struct Round {
    /// Per guard: the key of each message it sees (None: not sent to it).
    keys: Vec<Vec<Option<u128>>>,
    /// Per guard and message: the assessment, once known.
    found: Vec<Vec<Option<Assessment>>>,
    calls: Vec<Call>,
    pending: Vec<bool>,
    outcomes: Vec<GuardOutcome>,
}

impl Round {
    /// Plans the round for `texts` (prompt messages, or one output text with
    /// `prompt` the user turn it answers). `api_keys[i]`: the value of guard
    /// `i`'s key header, read from the environment when the policy compiled.
    pub fn start(
        guards: &[GuardSpec],
        side: Side,
        texts: &[GuardText],
        prompt: Option<&str>,
        api_keys: &[Option<String>],
        caches: &mut GuardCaches,
        now_ms: u64,
    ) -> Round {
        let mut round = Round {
            keys: Vec::with_capacity(guards.len()),
            found: Vec::with_capacity(guards.len()),
            calls: Vec::new(),
            pending: Vec::new(),
            outcomes: vec![GuardOutcome::default(); guards.len()],
        };
        for (g, spec) in guards.iter().enumerate() {
            let wanted = |t: &GuardText| match side {
                Side::Prompt => spec.request && spec.sees(t.role),
                Side::Output => spec.response,
            };
            let cache = caches.of(spec);
            let mut keys = Vec::with_capacity(texts.len());
            let mut found = Vec::with_capacity(texts.len());
            let mut ask = Vec::new();
            for (i, t) in texts.iter().enumerate() {
                if !wanted(t) {
                    keys.push(None);
                    found.push(None);
                    continue;
                }
                let key = cache.key_of(&spec.name, &cache_text(side, t, prompt));
                let hit = cache.get(key, now_ms);
                if hit.is_some() {
                    if let Some(o) = round.outcomes.get_mut(g) {
                        o.cache_hits += 1;
                    }
                } else {
                    ask.push(i);
                }
                keys.push(Some(key));
                found.push(hit);
            }
            let groups: Vec<Vec<usize>> = if spec.protocol.batches() {
                if ask.is_empty() {
                    Vec::new()
                } else {
                    vec![ask]
                }
            } else {
                ask.into_iter().map(|i| vec![i]).collect()
            };
            for group in groups {
                let queries: Vec<Query> = group
                    .iter()
                    .filter_map(|&i| texts.get(i))
                    .map(|t| Query {
                        text: &t.text,
                        role: if side == Side::Output {
                            Role::Assistant
                        } else {
                            t.role
                        },
                        prompt,
                    })
                    .collect();
                round.calls.push(Call {
                    guard: g,
                    cluster: spec.cluster.clone(),
                    headers: headers(spec, api_keys.get(g).and_then(Option::as_deref)),
                    body: protocol::request_body(spec, &queries),
                    timeout_ms: spec.timeout_ms,
                    texts: group,
                });
                round.pending.push(true);
                if let Some(o) = round.outcomes.get_mut(g) {
                    o.calls += 1;
                }
            }
            round.keys.push(keys);
            round.found.push(found);
        }
        round
    }

    /// The calls to make now (all at once).
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// True when no call is outstanding.
    pub fn is_done(&self) -> bool {
        !self.pending.iter().any(|p| *p)
    }

    /// Records the answer to call `index`: the reply body of a 2xx, or why
    /// there is none. A second answer to the same call is ignored.
    pub fn complete(
        &mut self,
        index: usize,
        reply: Result<&[u8], CallFailure>,
        guards: &[GuardSpec],
        texts: &[GuardText],
        caches: &mut GuardCaches,
        now_ms: u64,
    ) {
        let (Some(call), Some(pending)) = (self.calls.get(index), self.pending.get_mut(index))
        else {
            return;
        };
        if !*pending {
            return;
        }
        *pending = false;
        let g = call.guard;
        let Some(spec) = guards.get(g) else {
            return;
        };
        let sent: Vec<&str> = call
            .texts
            .iter()
            .filter_map(|&i| texts.get(i))
            .map(|t| t.text.as_str())
            .collect();
        let parsed = reply.and_then(|body| {
            protocol::parse_reply(spec, body, &sent).map_err(|_| CallFailure::Malformed)
        });
        match parsed {
            Ok(assessments) => {
                let cache = caches.of(spec);
                for (&i, a) in call.texts.iter().zip(assessments) {
                    if let Some(Some(key)) = self.keys.get(g).and_then(|k| k.get(i)) {
                        cache.put(*key, a.clone(), now_ms);
                    }
                    if let Some(slot) = self.found.get_mut(g).and_then(|f| f.get_mut(i)) {
                        *slot = Some(a);
                    }
                }
            }
            Err(failure) => {
                if let Some(o) = self.outcomes.get_mut(g) {
                    o.failures.push(failure);
                }
            }
        }
    }

    /// The verdict from what is known (call when [`Round::is_done`]).
    pub fn verdict(&self, guards: &[GuardSpec]) -> RoundVerdict {
        let mut v = RoundVerdict {
            guards: self.outcomes.clone(),
            ..RoundVerdict::default()
        };
        let mut redact: HashMap<usize, Vec<EntitySpan>> = HashMap::new();
        for (g, spec) in guards.iter().enumerate() {
            let Some(outcome) = v.guards.get_mut(g) else {
                continue;
            };
            if let (Some(failure), false, None) =
                (outcome.failures.first(), spec.fail_open, &v.unavailable)
            {
                v.unavailable = Some((g, *failure));
            }
            let found = self.found.get(g).map(Vec::as_slice).unwrap_or(&[]);
            for (i, a) in found.iter().enumerate() {
                let Some(a) = a else { continue };
                let d = decide(&spec.rules, a);
                outcome.action = outcome.action.max(d.action);
                for (label, action) in d.labels {
                    if !outcome.labels.contains(&(label.clone(), action)) {
                        outcome.labels.push((label, action));
                    }
                }
                if d.action == Some(GuardAction::Redact) {
                    redact.entry(i).or_default().extend(d.redact);
                }
            }
            if outcome.action == Some(GuardAction::Block) && v.blocked_by.is_none() {
                let labels = outcome
                    .labels
                    .iter()
                    .filter(|(_, a)| *a == GuardAction::Block)
                    .map(|(l, _)| l.clone())
                    .collect();
                v.blocked_by = Some((g, labels));
            }
            for (label, action) in &outcome.labels {
                if *action == GuardAction::Flag {
                    v.flags.push((g, label.clone()));
                }
            }
        }
        let mut redact: Vec<(usize, Vec<EntitySpan>)> = redact.into_iter().collect();
        crate::cold_sort::sort_stable_by(&mut redact, |a, b| a.0.cmp(&b.0));
        for (_, spans) in &mut redact {
            crate::cold_sort::sort_stable_by(spans, |a, b| {
                (a.start, std::cmp::Reverse(a.end)).cmp(&(b.start, std::cmp::Reverse(b.end)))
            });
            let mut merged: Vec<EntitySpan> = Vec::with_capacity(spans.len());
            for s in spans.drain(..) {
                match merged.last_mut() {
                    Some(last) if s.start < last.end => last.end = last.end.max(s.end),
                    _ => merged.push(s),
                }
            }
            *spans = merged;
        }
        v.redact = redact;
        v
    }
}

/// What the cache key covers: an output is judged with the prompt it answers.
fn cache_text(side: Side, t: &GuardText, prompt: Option<&str>) -> String {
    match (side, prompt) {
        (Side::Output, Some(p)) => format!("{p}\u{0}{}", t.text),
        _ => t.text.clone(),
    }
}

fn headers(spec: &GuardSpec, api_key: Option<&str>) -> Vec<(String, String)> {
    let mut h = vec![
        (":method".to_string(), "POST".to_string()),
        (":path".to_string(), spec.path.clone()),
        (":authority".to_string(), spec.authority.clone()),
        ("content-type".to_string(), "application/json".to_string()),
    ];
    if let (Some(key), Some(value)) = (&spec.api_key, api_key) {
        h.push((key.header.clone(), format!("{}{value}", key.prefix)));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::spec::{ApiKey, Protocol, StreamMode};
    use crate::guard::verdict::VerdictRule;
    use serde_json::{json, Value};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn guard(name: &str, protocol: Protocol, rules: Vec<VerdictRule>) -> GuardSpec {
        GuardSpec {
            name: name.into(),
            path: protocol.default_path().into(),
            protocol,
            cluster: format!("{name}-cluster"),
            authority: name.into(),
            model: None,
            timeout_ms: 300,
            api_key: None,
            request: true,
            response: true,
            roles: vec![Role::User, Role::Tool],
            rules,
            fail_open: false,
            cache_entries: 64,
            cache_ttl_ms: 60_000,
            stream_mode: StreamMode::Window,
            window_chars: 256,
        }
    }

    fn moderation() -> GuardSpec {
        guard(
            "mod",
            Protocol::OpenAiModeration,
            vec![VerdictRule {
                label: "flagged".into(),
                min_score: 0.0,
                action: GuardAction::Block,
            }],
        )
    }

    fn text(role: Role, s: &str) -> GuardText {
        GuardText {
            role,
            text: s.into(),
            segments: Vec::new(),
        }
    }

    fn moderation_reply(flags: &[bool]) -> Vec<u8> {
        let results: Vec<Value> = flags.iter().map(|f| json!({"flagged": f})).collect();
        serde_json::to_vec(&json!({ "results": results })).unwrap()
    }

    #[test]
    fn a_batching_guard_gets_one_call_with_the_messages_it_sees() {
        let guards = [moderation()];
        let texts = [
            text(Role::System, "be nice"),
            text(Role::User, "hello"),
            text(Role::Tool, "tool output"),
        ];
        let mut caches = GuardCaches::new([1; 16]);
        let mut r = Round::start(&guards, Side::Prompt, &texts, None, &[None], &mut caches, 0);
        assert_eq!(r.calls().len(), 1);
        assert_eq!(r.calls()[0].texts, vec![1, 2]);
        let body: Value = serde_json::from_slice(&r.calls()[0].body).unwrap();
        assert_eq!(body["input"], json!(["hello", "tool output"]));
        assert!(!r.is_done());
        r.complete(
            0,
            Ok(&moderation_reply(&[false, true])),
            &guards,
            &texts,
            &mut caches,
            1,
        );
        assert!(r.is_done());
        let v = r.verdict(&guards);
        assert_eq!(v.blocked_by, Some((0, vec!["flagged".to_string()])));
        assert_eq!(v.guards[0].calls, 1);
    }

    #[test]
    fn a_second_turn_only_asks_about_the_new_message() {
        let guards = [moderation()];
        let mut caches = GuardCaches::new([1; 16]);
        let first = [text(Role::User, "hi")];
        let mut r = Round::start(&guards, Side::Prompt, &first, None, &[None], &mut caches, 0);
        r.complete(
            0,
            Ok(&moderation_reply(&[false])),
            &guards,
            &first,
            &mut caches,
            0,
        );
        let second = [
            text(Role::User, "hi"),
            text(Role::Assistant, "hello!"),
            text(Role::User, "and now?"),
        ];
        let r = Round::start(
            &guards,
            Side::Prompt,
            &second,
            None,
            &[None],
            &mut caches,
            10,
        );
        assert_eq!(r.calls().len(), 1);
        assert_eq!(r.calls()[0].texts, vec![2]);
        assert_eq!(r.verdict(&guards).guards[0].cache_hits, 1);
        // Everything known: no call at all.
        let again = Round::start(
            &guards,
            Side::Prompt,
            &first,
            None,
            &[None],
            &mut caches,
            20,
        );
        assert!(again.calls().is_empty() && again.is_done());
    }

    #[test]
    fn a_guard_pointed_at_another_model_does_not_reuse_verdicts() {
        let mut caches = GuardCaches::new([1; 16]);
        let texts = [text(Role::User, "hi")];
        let first = [moderation()];
        let mut r = Round::start(&first, Side::Prompt, &texts, None, &[None], &mut caches, 0);
        r.complete(
            0,
            Ok(&moderation_reply(&[false])),
            &first,
            &texts,
            &mut caches,
            0,
        );
        let mut other = moderation();
        other.model = Some("another-model".into());
        let again = Round::start(
            &[other],
            Side::Prompt,
            &texts,
            None,
            &[None],
            &mut caches,
            1,
        );
        assert_eq!(again.calls().len(), 1);
        let same = Round::start(&first, Side::Prompt, &texts, None, &[None], &mut caches, 1);
        assert!(same.calls().is_empty());
    }

    #[test]
    fn a_guard_that_does_not_batch_gets_one_call_per_message() {
        let guards = [guard(
            "lg",
            Protocol::LlamaGuard,
            vec![VerdictRule {
                label: "S1".into(),
                min_score: 0.5,
                action: GuardAction::Flag,
            }],
        )];
        let texts = [text(Role::User, "a"), text(Role::User, "b")];
        let mut caches = GuardCaches::new([1; 16]);
        let mut r = Round::start(&guards, Side::Prompt, &texts, None, &[None], &mut caches, 0);
        assert_eq!(r.calls().len(), 2);
        let reply = |c: &str| {
            serde_json::to_vec(&json!({"choices": [{"message": {"content": c}}]})).unwrap()
        };
        r.complete(1, Ok(&reply("unsafe\nS1")), &guards, &texts, &mut caches, 0);
        assert!(!r.is_done());
        r.complete(0, Ok(&reply("safe")), &guards, &texts, &mut caches, 0);
        let v = r.verdict(&guards);
        assert_eq!(v.blocked_by, None);
        assert_eq!(v.flags, vec![(0, "S1".to_string())]);
    }

    #[test]
    fn failures_follow_each_guards_failure_mode() {
        let mut open = moderation();
        open.name = "open".into();
        open.fail_open = true;
        let guards = [open, moderation()];
        let texts = [text(Role::User, "hi")];
        for failure in [
            CallFailure::Timeout,
            CallFailure::Connection,
            CallFailure::Status(503),
            CallFailure::Malformed,
        ] {
            let mut caches = GuardCaches::new([1; 16]);
            let mut r = Round::start(
                &guards,
                Side::Prompt,
                &texts,
                None,
                &[None, None],
                &mut caches,
                0,
            );
            let reply = if failure == CallFailure::Malformed {
                Ok(&b"{\"results\": 7}"[..])
            } else {
                Err(failure)
            };
            r.complete(0, reply, &guards, &texts, &mut caches, 0);
            r.complete(1, reply, &guards, &texts, &mut caches, 0);
            let v = r.verdict(&guards);
            assert_eq!(v.guards[0].failures, vec![failure]);
            assert_eq!(
                v.unavailable,
                Some((1, failure)),
                "the fail-closed guard decides"
            );
            // A failed answer is not remembered.
            let again = Round::start(
                &guards,
                Side::Prompt,
                &texts,
                None,
                &[None, None],
                &mut caches,
                1,
            );
            assert_eq!(again.calls().len(), 2);
        }
    }

    #[test]
    fn presidio_spans_are_merged_per_message() {
        let guards = [guard(
            "pii",
            Protocol::Presidio {
                language: "en".into(),
                entities: Vec::new(),
            },
            vec![VerdictRule {
                label: "*".into(),
                min_score: 0.5,
                action: GuardAction::Redact,
            }],
        )];
        let texts = [text(Role::User, "John Smith of Berlin")];
        let mut caches = GuardCaches::new([1; 16]);
        let mut r = Round::start(&guards, Side::Prompt, &texts, None, &[None], &mut caches, 0);
        let reply = br#"[{"entity_type":"PERSON","start":0,"end":10,"score":0.9},
                         {"entity_type":"PERSON","start":5,"end":10,"score":0.6},
                         {"entity_type":"LOCATION","start":14,"end":20,"score":0.9}]"#;
        r.complete(0, Ok(reply), &guards, &texts, &mut caches, 0);
        let v = r.verdict(&guards);
        let spans: Vec<(usize, usize)> = v.redact[0].1.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(v.redact[0].0, 0);
        assert_eq!(spans, vec![(0, 10), (14, 20)]);
    }

    #[test]
    fn outputs_are_judged_with_their_prompt_and_the_key_header_is_sent() {
        let mut g = guard(
            "lg",
            Protocol::LlamaGuard,
            vec![VerdictRule {
                label: "flagged".into(),
                min_score: 0.0,
                action: GuardAction::Block,
            }],
        );
        g.api_key = Some(ApiKey {
            header: "authorization".into(),
            value_env: "K".into(),
            prefix: "Bearer ".into(),
        });
        let guards = [g];
        let out = [text(Role::Assistant, "the answer")];
        let mut caches = GuardCaches::new([1; 16]);
        let r = Round::start(
            &guards,
            Side::Output,
            &out,
            Some("the question"),
            &[Some("sekret".into())],
            &mut caches,
            0,
        );
        let call = &r.calls()[0];
        assert!(call
            .headers
            .contains(&("authorization".to_string(), "Bearer sekret".to_string())));
        assert!(call
            .headers
            .contains(&(":path".to_string(), "/v1/chat/completions".to_string())));
        let body: Value = serde_json::from_slice(&call.body).unwrap();
        assert_eq!(body["messages"][0]["content"], json!("the question"));
        assert_eq!(body["messages"][1]["role"], json!("assistant"));
    }
}
