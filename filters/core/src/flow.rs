//! The per-request decisions, host-free: the adapter feeds it what Envoy
//! gives and does what it answers.

use crate::ab::{self, Assigned};
use crate::canary::{self as canary_track, TrackChoice};
use crate::json_splice;
use crate::openai::{
    apply_edits, parse_request_value, BodyEdits, BodyProblem, Endpoint, OpenAiRequest,
};
use crate::policy::{FailureMode, MatchInput, Policy, Rule};
use crate::reply::LocalReply;
use crate::request::RequestHead;
use crate::screen::body::screen_request;
use crate::screen::redact::RestoreMap;
use crate::screen::{Direction, Tally};
use crate::subject::{self, Subject};
use std::rc::Rc;

/// The routing headers the usual Istio VirtualService and the Envoy
/// templates match on: owned by the filter on every rule.
const DEFAULT_CANARY_HEADER: &str = "x-canary";
const DEFAULT_FALLBACK_HEADER: &str = "x-llm-fallback";

/// What the filter decided at request-header time.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestPlan {
    pub rule: Rc<Rule>,
    pub subject: Option<Subject>,
    /// The OpenAI endpoint addressed, if the path is one the filter reads.
    pub endpoint: Option<Endpoint>,
    /// Buffer the body until it has been read and judged.
    pub read_body: bool,
    /// A problem the headers already show (a compressed body).
    pub header_problem: Option<BodyProblem>,
    /// The caller matches the rule's `trust` and may force its own arms.
    pub trusted: bool,
    /// One choice per experiment of the rule, in order.
    pub arms: Vec<ArmChoice>,
    /// What the chosen arms change in the body (later experiments win).
    pub body_edits: BodyEdits,
    /// The canary track, once [`RequestPlan::choose_canary`] ran (rules with a canary).
    pub track: Option<TrackChoice>,
}

/// The arm chosen in one experiment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmChoice {
    pub experiment: usize,
    pub arm: usize,
    pub how: Assigned,
    /// `(cookie name, value)` to set in the response for random-sticky experiments.
    pub set_cookie: Option<(String, String)>,
    /// The subject it was bucketed by: the experiment's own `subject`
    /// sources, else the rule's subject, else its sticky cookie (source
    /// `sticky_cookie`). None when forced, or a new random identity.
    pub subject: Option<Subject>,
}

/// What request screening found, for metrics and for the response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenReport {
    pub tally: Tally,
    /// Hash tokens given to the model, to put back into its answer.
    pub restore: Option<RestoreMap>,
}

/// What to do with a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyVerdict {
    /// Read and accepted: forward it, replaced by `rewritten` if `Some`.
    Forward {
        request: OpenAiRequest,
        rewritten: Option<Vec<u8>>,
        report: ScreenReport,
    },
    /// Screening blocked it: answer with this reply.
    Blocked(LocalReply, Tally),
    /// Unreadable, and the rule fails open for screening: forward it unread.
    ForwardUnread(BodyProblem),
    /// Unreadable, and the rule fails closed: answer with this reply.
    Reject(BodyProblem, LocalReply),
}

/// Chooses the rule, the subject, the experiment arms and whether the body
/// must be read. `has_body` is false when the headers ended the stream;
/// `random_id` makes a fresh identity for random-sticky experiments.
pub fn plan(
    policy: &Policy,
    head: &RequestHead,
    has_body: bool,
    random_id: &mut dyn FnMut() -> String,
) -> RequestPlan {
    let path = head.path_only();
    let host = head.host_only();
    let header = |name: &str| head.header(name);
    let input = MatchInput {
        path,
        host: &host,
        route_name: head.route_name.as_deref(),
        header: &header,
    };
    let rule = policy
        .routes
        .iter()
        .find(|(m, _)| m.matches(&input))
        .map_or(&policy.default_rule, |(_, r)| r)
        .clone();
    let endpoint = Endpoint::from_path(path);
    let body_method = matches!(head.method.as_str(), "POST" | "PUT" | "PATCH");
    let read_body = has_body && rule.read_bodies && body_method && endpoint.is_some();
    let subject = subject::resolve(&rule.subject, head);
    let trusted = rule.trust.as_ref().is_some_and(|t| t.holds(&header));
    let arms = choose_arms(&rule, head, subject.as_ref(), trusted, random_id);
    let mut body_edits = BodyEdits::default();
    for choice in &arms {
        let arm = &rule.ab.experiments[choice.experiment].arms[choice.arm];
        if arm.model.is_some() {
            body_edits.model = arm.model.clone();
        }
        if arm.system_prompt.is_some() {
            body_edits.system_prompt = arm.system_prompt.clone();
        }
    }
    RequestPlan {
        subject,
        endpoint,
        read_body,
        header_problem: if read_body {
            header_problem(head)
        } else {
            None
        },
        trusted,
        arms,
        body_edits,
        track: None,
        rule,
    }
}

/// The subject a section (experiment, canary) sticks to: its own sources if it
/// overrides the rule's, else the rule's subject; failing both, the value of
/// its sticky cookie, if it has one.
fn section_subject(
    head: &RequestHead,
    rule_subject: Option<&Subject>,
    own_sources: Option<&[crate::policy::SubjectSource]>,
    sticky_cookie: Option<&str>,
) -> Option<Subject> {
    let found = match own_sources {
        Some(sources) => subject::resolve(sources, head),
        None => rule_subject.cloned(),
    };
    found.or_else(|| {
        sticky_cookie
            .and_then(|c| subject::cookie(head, c))
            .map(|id| Subject {
                source: "sticky_cookie",
                id,
            })
    })
}

fn choose_arms(
    rule: &Rule,
    head: &RequestHead,
    rule_subject: Option<&Subject>,
    trusted: bool,
    random_id: &mut dyn FnMut() -> String,
) -> Vec<ArmChoice> {
    let mut choices = Vec::with_capacity(rule.ab.experiments.len());
    for (i, exp) in rule.ab.experiments.iter().enumerate() {
        let cookie_name = match &exp.no_subject {
            crate::policy::NoSubject::RandomSticky { cookie } => Some(cookie.as_str()),
            crate::policy::NoSubject::Control => None,
        };
        let subject = section_subject(head, rule_subject, exp.subject.as_deref(), cookie_name);
        let forced = if trusted {
            head.header(&exp.header)
        } else {
            None
        };
        let a = ab::assign(
            exp,
            subject.as_ref().map(|s| s.id.as_str()),
            forced,
            random_id,
        );
        let used = matches!(a.how, Assigned::Bucket)
            .then_some(subject)
            .flatten();
        choices.push(ArmChoice {
            experiment: i,
            arm: a.arm,
            how: a.how,
            set_cookie: a
                .set_cookie
                .zip(cookie_name)
                .map(|(v, n)| (n.to_string(), v)),
            subject: used,
        });
    }
    choices
}

/// A compressed body cannot be read. `content-type` is not consulted: bodies
/// are read as JSON whatever they claim (`curl -d` sends a form type).
fn header_problem(head: &RequestHead) -> Option<BodyProblem> {
    let encoded = head
        .header("content-encoding")
        .is_some_and(crate::openai::is_compressed);
    encoded.then_some(BodyProblem::Encoded)
}

impl RequestPlan {
    /// The outcome for a body that cannot be read, per the rule's failure mode.
    pub fn judge_problem(&self, problem: BodyProblem) -> BodyVerdict {
        match self.rule.failure_mode.screening {
            FailureMode::Open => BodyVerdict::ForwardUnread(problem),
            FailureMode::Closed => BodyVerdict::Reject(
                problem,
                LocalReply::for_body_problem(problem, self.rule.max_body_bytes),
            ),
        }
    }

    /// True once a body of `size` bytes is past the rule's limit.
    pub fn over_limit(&self, size: usize) -> bool {
        size > self.rule.max_body_bytes
    }

    /// Judges a complete body (at most `max_body_bytes` long) and applies
    /// the arms' edits.
    pub fn judge_body(&self, body: &[u8]) -> BodyVerdict {
        let Some(endpoint) = self.endpoint else {
            return self.judge_problem(BodyProblem::InvalidJson);
        };
        let (req, mut value) = match parse_request_value(endpoint, body) {
            Ok(parsed) => parsed,
            Err(problem) => return self.judge_problem(problem),
        };
        let mut report = ScreenReport::default();
        let mut changed = false;
        if let Some(screener) = self.screener(Direction::Request) {
            let mut restore = screener.config.restore.then(RestoreMap::default);
            let screened = match screen_request(screener, endpoint, &mut value, restore.as_mut()) {
                Ok(screened) => screened,
                Err(problem) => return self.judge_problem(problem),
            };
            if screened.blocked.is_some() {
                let reply = LocalReply::content_blocked(
                    screener.config.block_status,
                    &screener.config.block_message,
                );
                return BodyVerdict::Blocked(reply, screened.tally);
            }
            changed = screened.changed;
            report = ScreenReport {
                tally: screened.tally,
                restore: restore.filter(|m| !m.is_empty()),
            };
        }
        if !self.body_edits.is_empty() {
            apply_edits(endpoint, &mut value, &self.body_edits);
            changed = true;
        }
        // Only the changed values are rewritten; the rest keeps its bytes.
        let rewritten = if changed {
            json_splice::rewrite(body, &value)
        } else {
            None
        };
        BodyVerdict::Forward {
            request: req,
            rewritten,
            report,
        }
    }

    /// The rule's screener, if it screens `dir`.
    pub fn screener(&self, dir: Direction) -> Option<&crate::screen::Screener> {
        self.rule.screening.as_deref().filter(|s| s.screens(dir))
    }

    /// Chooses the canary track when the rule has a canary; `halted` is the
    /// halt state of this rule's canary on this proxy.
    pub fn choose_canary(
        &mut self,
        head: &RequestHead,
        halted: bool,
        random_id: &mut dyn FnMut() -> String,
    ) {
        let Some(cfg) = self.rule.canary.clone() else {
            return;
        };
        let subject = section_subject(
            head,
            self.subject.as_ref(),
            cfg.subject.as_deref(),
            cfg.sticky_cookie.as_deref(),
        );
        let forced = if self.trusted {
            head.header(&cfg.header)
        } else {
            None
        };
        let mut track = canary_track::choose_track(
            &cfg,
            subject.as_ref().map(|s| s.id.as_str()),
            forced,
            halted,
            random_id,
        );
        if track.how == canary_track::TrackHow::Sticky {
            track.subject = subject;
        }
        self.track = Some(track);
    }

    /// True when the body may be rewritten (arm edits, redaction):
    /// `content-length` must go.
    pub fn rewrites_body(&self) -> bool {
        self.read_body
            && (!self.body_edits.is_empty() || self.screener(Direction::Request).is_some())
    }

    /// Headers the rule owns that the client sent and [`request_headers`]
    /// will not overwrite: the adapter removes them before the request goes
    /// upstream. Owned: every experiment's arm header and the `set_headers`
    /// names of every arm (not only the chosen one, so a user of one arm
    /// cannot borrow another arm's routing header); the canary header and
    /// the breaker's fallback header unless the caller is trusted, and their
    /// default names `x-canary` and `x-llm-fallback` even on a rule without
    /// a canary or a breaker, since the mesh routes on them (the usual
    /// VirtualService, the Envoy templates); and the trust header, which
    /// never reaches the pod. Sorted, without duplicates.
    ///
    /// [`request_headers`]: RequestPlan::request_headers
    pub fn headers_to_remove(&self, head: &RequestHead) -> Vec<&str> {
        self.removals(head, &self.request_headers())
    }

    /// The routing header changes of this request, computed once: the
    /// client copies to remove ([`RequestPlan::headers_to_remove`]) and the
    /// headers to set ([`RequestPlan::request_headers`]).
    pub fn routing_changes(&self, head: &RequestHead) -> (Vec<&str>, Vec<(&str, &str)>) {
        let set = self.request_headers();
        (self.removals(head, &set), set)
    }

    fn removals<'a>(&'a self, head: &RequestHead, written: &[(&str, &str)]) -> Vec<&'a str> {
        let rule = &self.rule;
        let mut owned: Vec<&str> = Vec::new();
        for exp in &rule.ab.experiments {
            owned.push(&exp.header);
            for arm in &exp.arms {
                owned.extend(arm.set_headers.iter().map(|(name, _)| name.as_str()));
            }
        }
        if let Some(canary) = &rule.canary {
            owned.push(&canary.header);
        }
        if !self.trusted {
            owned.push(DEFAULT_CANARY_HEADER);
            owned.push(DEFAULT_FALLBACK_HEADER);
            if let Some(fallback) = rule.circuit.as_ref().and_then(|c| c.fallback.as_ref()) {
                owned.push(&fallback.name);
            }
        }
        if let Some(trust) = &rule.trust {
            owned.push(&trust.name);
        }
        owned.retain(|name| head.header(name).is_some() && !written.iter().any(|(w, _)| w == name));
        owned.sort_unstable();
        owned.dedup();
        owned
    }

    /// Request headers to set (replacing incoming copies): each experiment's
    /// arm header and its arm's `set_headers`.
    pub fn request_headers(&self) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        for c in &self.arms {
            let exp = &self.rule.ab.experiments[c.experiment];
            let arm = &exp.arms[c.arm];
            out.push((exp.header.as_str(), arm.name.as_str()));
            out.extend(
                arm.set_headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            );
        }
        if let (Some(track), Some(cfg)) = (&self.track, &self.rule.canary) {
            out.push((
                cfg.header.as_str(),
                if track.canary { "true" } else { "false" },
            ));
        }
        out
    }

    /// `(experiment label, arm name)` of every chosen arm, in experiment
    /// order: the label is the id made safe for metrics and headers.
    pub fn arm_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.arms.iter().map(|c| {
            let exp = &self.rule.ab.experiments[c.experiment];
            (exp.label.as_str(), exp.arms[c.arm].name.as_str())
        })
    }

    /// The A/B response header: its name and `id=arm, id=arm`.
    pub fn ab_response_header(&self) -> Option<(&str, String)> {
        let name = self.rule.ab.response_header.as_deref()?;
        if self.arms.is_empty() {
            return None;
        }
        let pairs: Vec<String> = self.arm_names().map(|(e, a)| format!("{e}={a}")).collect();
        Some((name, pairs.join(", ")))
    }

    /// `set-cookie` values for new random-sticky identities.
    pub fn set_cookies(&self) -> Vec<String> {
        let canary = self.track.as_ref().and_then(|t| t.set_cookie.as_ref());
        self.arms
            .iter()
            .filter_map(|c| c.set_cookie.as_ref())
            .chain(canary)
            .map(|(n, v)| format!("{n}={v}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"))
            .collect()
    }

    /// The `x-llm-policy` debug header: revision, rule, subject source, canary track.
    pub fn debug_header(&self, revision: &str) -> String {
        let source = self.subject.as_ref().map_or("none", |s| s.source);
        let mut value = format!("rev={revision}; rule={}; subject={source}", self.rule.name);
        if let Some(t) = &self.track {
            value.push_str(if t.canary {
                "; track=canary"
            } else {
                "; track=stable"
            });
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn head(method: &str, path: &str, headers: &[(&str, &str)]) -> RequestHead {
        RequestHead {
            method: method.into(),
            path: path.into(),
            authority: "llm.example.com".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            route_name: Some("vllm".into()),
        }
    }

    fn no_random() -> String {
        unreachable!("no random-sticky experiment here")
    }

    fn policy(json: &str) -> Policy {
        match Policy::parse(json.as_bytes()) {
            Ok(p) => p,
            Err(e) => panic!("test policy refused: {e}"),
        }
    }

    const POLICY: &str = r#"{"version":1,"revision":"r1",
        "subject":{"sources":[{"header":"x-user-id"}]},
        "routes":[
          {"name":"batch","match":{"header":{"name":"x-batch"}},"failure_mode":{"screening":"open"}},
          {"name":"chat","match":{"prefix":"/v1/chat/","host":"*.example.com"},"limits":{"max_body_bytes":64}},
          {"name":"by-route","match":{"route_name":"vllm"}}]}"#;

    #[test]
    fn first_matching_route_wins() {
        let p = policy(POLICY);
        let chat = head("POST", "/v1/chat/completions", &[("x-user-id", "u1")]);
        let plan = plan(&p, &chat, true, &mut no_random);
        assert_eq!(plan.rule.name, "chat");
        assert!(plan.read_body);
        assert_eq!(plan.debug_header("r1"), "rev=r1; rule=chat; subject=header");
        let batch = head("POST", "/v1/chat/completions", &[("x-batch", "1")]);
        assert_eq!(
            super::plan(&p, &batch, true, &mut no_random).rule.name,
            "batch"
        );
        let other = head("GET", "/v1/models", &[]);
        let other_plan = super::plan(&p, &other, false, &mut no_random);
        assert_eq!(other_plan.rule.name, "by-route");
        assert!(!other_plan.read_body);
        let mut unrouted = other.clone();
        unrouted.route_name = None;
        assert_eq!(
            super::plan(&p, &unrouted, false, &mut no_random).rule.name,
            "default"
        );
    }

    #[test]
    fn failure_modes_decide_unreadable_bodies() {
        let p = policy(POLICY);
        let closed = plan(
            &p,
            &head("POST", "/v1/chat/completions", &[]),
            true,
            &mut no_random,
        );
        assert!(closed.over_limit(65));
        assert!(!closed.over_limit(64));
        match closed.judge_body(b"{not json") {
            BodyVerdict::Reject(BodyProblem::InvalidJson, reply) => assert_eq!(reply.status, 400),
            other => panic!("unexpected {other:?}"),
        }
        let open = plan(
            &p,
            &head("POST", "/v1/chat/completions", &[("x-batch", "1")]),
            true,
            &mut no_random,
        );
        assert_eq!(
            open.judge_body(b"\xff"),
            BodyVerdict::ForwardUnread(BodyProblem::InvalidUtf8)
        );
        assert!(matches!(
            open.judge_body(br#"{"messages":[]}"#),
            BodyVerdict::Forward { .. }
        ));
    }

    #[test]
    fn content_shapes_that_are_not_read_follow_the_failure_mode() {
        let p = policy(
            r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"}}},
                "routes":[{"name":"open","match":{"header":{"name":"x-open"}},"failure_mode":{"screening":"open"}}]}"#,
        );
        let body = br#"{"messages":[{"role":"user","content":{"text":"jo@x.io"}}]}"#;
        let closed = plan(
            &p,
            &head("POST", "/v1/chat/completions", &[]),
            true,
            &mut no_random,
        );
        match closed.judge_body(body) {
            BodyVerdict::Reject(BodyProblem::UnscreenableContent, reply) => {
                assert_eq!((reply.status, reply.code), (400, "unscreenable_content"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let open = plan(
            &p,
            &head("POST", "/v1/chat/completions", &[("x-open", "1")]),
            true,
            &mut no_random,
        );
        assert_eq!(
            open.judge_body(body),
            BodyVerdict::ForwardUnread(BodyProblem::UnscreenableContent)
        );
    }

    #[test]
    fn headers_can_show_an_unreadable_body() {
        let p = policy(POLICY);
        let gz = head("POST", "/v1/completions", &[("content-encoding", "gzip")]);
        assert_eq!(
            plan(&p, &gz, true, &mut no_random).header_problem,
            Some(BodyProblem::Encoded)
        );
        let form = head(
            "POST",
            "/v1/completions",
            &[("content-type", "application/x-www-form-urlencoded")],
        );
        assert_eq!(
            plan(&p, &form, true, &mut no_random).header_problem,
            None,
            "content-type is not consulted"
        );
        let json = head(
            "POST",
            "/v1/completions",
            &[("content-encoding", "identity")],
        );
        assert_eq!(plan(&p, &json, true, &mut no_random).header_problem, None);
        assert!(
            !plan(&p, &json, false, &mut no_random).read_body,
            "no body when headers end the stream"
        );
    }

    const AB: &str = r#"{"version":1,
        "subject":{"sources":[{"header":"x-user-id"}]},
        "trust":{"header":{"name":"x-llm-trusted","value":"yes"}},
        "ab":{"experiments":[
          {"id":"exp1","arms":[
            {"name":"variant_b","weight":50,"model":"big","set_headers":{"x-pool":"b"}},
            {"name":"variant_a","weight":50}]},
          {"id":"anon","no_subject":"random_sticky","subject":{"sources":[{"header":"x-none"}]},
           "arms":[{"name":"on","weight":50,"system_prompt":"S"},{"name":"off","weight":50}]}]}}"#;

    #[test]
    fn arms_set_headers_edit_bodies_and_cannot_be_chosen_by_untrusted_callers() {
        let p = policy(AB);
        let h = head(
            "POST",
            "/v1/chat/completions",
            &[("x-user-id", "user-1"), ("x-ab-exp1", "variant_a")],
        );
        let mut rid = || "user-1".to_string();
        let plan = plan(&p, &h, true, &mut rid);
        assert_eq!(plan.arms[0].how, Assigned::Bucket);
        assert_eq!(
            plan.request_headers()[..2],
            [("x-ab-exp1", "variant_b"), ("x-pool", "b")],
            "user-1 is variant_b whatever it sends"
        );
        assert_eq!(
            plan.ab_response_header().map(|(n, _)| n),
            Some("x-ab-variant")
        );
        assert!(plan.rewrites_body());
        match plan.judge_body(br#"{"model":"m","messages":[{"role":"user","content":"q"}]}"#) {
            BodyVerdict::Forward {
                rewritten: Some(body),
                ..
            } => {
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(v["model"], "big");
            }
            other => panic!("unexpected {other:?}"),
        }
        let cookie_arm = &plan.arms[1];
        assert_eq!(cookie_arm.how, Assigned::NewCookie);
        assert_eq!(plan.set_cookies().len(), 1);
        assert!(plan.set_cookies()[0].starts_with("llm-ab-anon=user-1; Path=/"));

        let trusted = head(
            "POST",
            "/v1/chat/completions",
            &[
                ("x-user-id", "user-1"),
                ("x-ab-exp1", "variant_a"),
                ("x-llm-trusted", "yes"),
                ("cookie", "llm-ab-anon=user-1"),
            ],
        );
        let plan = super::plan(&p, &trusted, true, &mut no_random);
        assert_eq!(plan.arms[0].how, Assigned::Forced);
        assert_eq!(plan.request_headers()[0], ("x-ab-exp1", "variant_a"));
        assert_eq!(
            plan.arms[1].how,
            Assigned::Bucket,
            "the sticky cookie is the subject"
        );
        assert!(plan.set_cookies().is_empty());
    }

    #[test]
    fn canary_header_is_ours_unless_the_caller_is_trusted() {
        let p = policy(
            r#"{"version":1,"subject":{"sources":[{"header":"x-user-id"}]},
                "trust":{"header":{"name":"x-qa","value":"1"}},
                "canary":{"weight_percent":100}}"#,
        );
        let h = head(
            "GET",
            "/v1/models",
            &[("x-user-id", "u"), ("x-canary", "false")],
        );
        let mut plan = plan(&p, &h, false, &mut no_random);
        plan.choose_canary(&h, false, &mut no_random);
        assert_eq!(plan.request_headers(), vec![("x-canary", "true")]);
        plan.choose_canary(&h, true, &mut no_random);
        assert_eq!(
            plan.request_headers(),
            vec![("x-canary", "false")],
            "halted"
        );
        let t = head(
            "GET",
            "/v1/models",
            &[("x-user-id", "u"), ("x-canary", "false"), ("x-qa", "1")],
        );
        let mut trusted = super::plan(&p, &t, false, &mut no_random);
        trusted.choose_canary(&t, false, &mut no_random);
        assert_eq!(
            trusted.request_headers(),
            vec![("x-canary", "false")],
            "forced"
        );
    }

    #[test]
    fn client_copies_of_owned_headers_are_removed() {
        let p = policy(
            r#"{"version":1,"subject":{"sources":[{"header":"x-user-id"}]},
                "trust":{"header":{"name":"x-qa-token","value":"0123456789abcdef"}},
                "ab":{"experiments":[{"id":"size","arms":[
                    {"name":"large","weight":0,"set_headers":{"x-model-pool":"large"}},
                    {"name":"small","weight":100}]}]},
                "circuit":{"fallback":{"header":{"name":"x-llm-fallback","value":"true"}}}}"#,
        );
        let forged = [
            ("x-user-id", "u"),
            ("x-model-pool", "large"),
            ("x-llm-fallback", "true"),
            ("x-ab-size", "large"),
            ("x-qa-token", "guess"),
            ("x-other", "kept"),
        ];
        let h = head("GET", "/v1/models", &forged);
        let untrusted = plan(&p, &h, false, &mut no_random);
        assert_eq!(untrusted.request_headers(), vec![("x-ab-size", "small")]);
        assert_eq!(
            untrusted.headers_to_remove(&h),
            vec!["x-llm-fallback", "x-model-pool", "x-qa-token"]
        );
        let mut t = forged.to_vec();
        t.retain(|(n, _)| *n != "x-qa-token");
        t.push(("x-qa-token", "0123456789abcdef"));
        let th = head("GET", "/v1/models", &t);
        let trusted = plan(&p, &th, false, &mut no_random);
        assert_eq!(
            trusted.request_headers(),
            vec![("x-ab-size", "large"), ("x-model-pool", "large")]
        );
        // a trusted caller keeps its fallback; its token still stops here
        assert_eq!(trusted.headers_to_remove(&th), vec!["x-qa-token"]);
        let clean = head("GET", "/v1/models", &[("x-user-id", "u")]);
        assert!(plan(&p, &clean, false, &mut no_random)
            .headers_to_remove(&clean)
            .is_empty());
        // A rule with neither canary nor breaker still owns the mesh's routing headers.
        let bare = policy(r#"{"version":1}"#);
        let routed = head(
            "GET",
            "/v1/models",
            &[("x-canary", "true"), ("x-llm-fallback", "true")],
        );
        assert_eq!(
            plan(&bare, &routed, false, &mut no_random).headers_to_remove(&routed),
            vec!["x-canary", "x-llm-fallback"]
        );
    }

    #[test]
    fn a_redacting_rewrite_keeps_every_number_as_written() {
        let p = policy(r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"}}}}"#);
        let h = head("POST", "/v1/chat/completions", &[]);
        let plan = plan(&p, &h, true, &mut no_random);
        let body = br#"{"model":"m","seed":12345678901234567890123,"temperature":0.70,
            "top_p":1.0,"n":1e0,"logit_bias":{"50256":-100},"max_tokens":18446744073709551616,
            "messages":[{"role":"user","content":"mail jane@example.com"}]}"#;
        let BodyVerdict::Forward {
            rewritten: Some(rewritten),
            ..
        } = plan.judge_body(body)
        else {
            panic!("expected a rewrite");
        };
        let text = String::from_utf8(rewritten).unwrap();
        for number in [
            "12345678901234567890123",
            "0.70",
            "1.0",
            "1e0",
            "-100",
            "18446744073709551616",
        ] {
            assert!(text.contains(number), "{number} changed: {text}");
        }
        assert!(!text.contains("jane@example.com"));
    }

    #[test]
    fn duplicate_keys_make_a_body_unscreenable() {
        let closed =
            policy(r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact"}}}}"#);
        let h = head("POST", "/v1/chat/completions", &[]);
        let body = br#"{"model":"m","messages":[{"role":"user","content":"jane@example.com"}],
            "messages":[{"role":"user","content":"hello"}]}"#;
        match plan(&closed, &h, true, &mut no_random).judge_body(body) {
            BodyVerdict::Reject(BodyProblem::DuplicateKey, reply) => {
                assert_eq!((reply.status, reply.code), (400, "duplicate_key"));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let open = policy(
            r#"{"version":1,"failure_mode":{"screening":"open"},
                "screening":{"detectors":{"email":{"action":"redact"}}}}"#,
        );
        assert_eq!(
            plan(&open, &h, true, &mut no_random).judge_body(body),
            BodyVerdict::ForwardUnread(BodyProblem::DuplicateKey)
        );
    }
}
