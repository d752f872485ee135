//! The per-request decisions, host-free: the adapter feeds it what Envoy
//! gives and does what it answers.

use crate::openai::{parse_request, BodyProblem, Endpoint, OpenAiRequest};
use crate::policy::{FailureMode, MatchInput, Policy, Rule};
use crate::reply::LocalReply;
use crate::request::RequestHead;
use crate::subject::{self, Subject};
use std::rc::Rc;

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
}

/// What to do with a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyVerdict {
    /// Read and accepted: forward it.
    Forward(OpenAiRequest),
    /// Unreadable, and the rule fails open for screening: forward it unread.
    ForwardUnread(BodyProblem),
    /// Unreadable, and the rule fails closed: answer with this reply.
    Reject(BodyProblem, LocalReply),
}

/// Chooses the rule, the subject, and whether the body must be read.
/// `has_body` is false when the headers ended the stream.
pub fn plan(policy: &Policy, head: &RequestHead, has_body: bool) -> RequestPlan {
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
    let read_body = has_body && body_method && endpoint.is_some();
    RequestPlan {
        subject: subject::resolve(&rule.subject, head),
        rule,
        endpoint,
        read_body,
        header_problem: if read_body {
            header_problem(head)
        } else {
            None
        },
    }
}

/// A compressed body cannot be read. `content-type` is not consulted: bodies
/// are read as JSON whatever they claim (`curl -d` sends a form type).
fn header_problem(head: &RequestHead) -> Option<BodyProblem> {
    let encoded = head
        .header("content-encoding")
        .is_some_and(|e| !e.trim().is_empty() && !e.trim().eq_ignore_ascii_case("identity"));
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

    /// Judges a complete body (at most `max_body_bytes` long).
    pub fn judge_body(&self, body: &[u8]) -> BodyVerdict {
        let Some(endpoint) = self.endpoint else {
            return self.judge_problem(BodyProblem::InvalidJson);
        };
        match parse_request(endpoint, body) {
            Ok(req) => BodyVerdict::Forward(req),
            Err(problem) => self.judge_problem(problem),
        }
    }

    /// The `x-llm-policy` debug header: revision, rule and subject source.
    pub fn debug_header(&self, revision: &str) -> String {
        let source = self.subject.as_ref().map_or("none", |s| s.source);
        format!("rev={revision}; rule={}; subject={source}", self.rule.name)
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
        let plan = plan(&p, &chat, true);
        assert_eq!(plan.rule.name, "chat");
        assert!(plan.read_body);
        assert_eq!(plan.debug_header("r1"), "rev=r1; rule=chat; subject=header");
        let batch = head("POST", "/v1/chat/completions", &[("x-batch", "1")]);
        assert_eq!(super::plan(&p, &batch, true).rule.name, "batch");
        let other = head("GET", "/v1/models", &[]);
        let other_plan = super::plan(&p, &other, false);
        assert_eq!(other_plan.rule.name, "by-route");
        assert!(!other_plan.read_body);
        let mut unrouted = other.clone();
        unrouted.route_name = None;
        assert_eq!(super::plan(&p, &unrouted, false).rule.name, "default");
    }

    #[test]
    fn failure_modes_decide_unreadable_bodies() {
        let p = policy(POLICY);
        let closed = plan(&p, &head("POST", "/v1/chat/completions", &[]), true);
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
        );
        assert_eq!(
            open.judge_body(b"\xff"),
            BodyVerdict::ForwardUnread(BodyProblem::InvalidUtf8)
        );
        assert!(matches!(
            open.judge_body(br#"{"messages":[]}"#),
            BodyVerdict::Forward(_)
        ));
    }

    #[test]
    fn headers_can_show_an_unreadable_body() {
        let p = policy(POLICY);
        let gz = head("POST", "/v1/completions", &[("content-encoding", "gzip")]);
        assert_eq!(
            plan(&p, &gz, true).header_problem,
            Some(BodyProblem::Encoded)
        );
        let form = head(
            "POST",
            "/v1/completions",
            &[("content-type", "application/x-www-form-urlencoded")],
        );
        assert_eq!(
            plan(&p, &form, true).header_problem,
            None,
            "content-type is not consulted"
        );
        let json = head(
            "POST",
            "/v1/completions",
            &[("content-encoding", "identity")],
        );
        assert_eq!(plan(&p, &json, true).header_problem, None);
        assert!(
            !plan(&p, &json, false).read_body,
            "no body when headers end the stream"
        );
    }
}
