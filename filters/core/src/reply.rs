//! OpenAI-shaped local replies: `{"error":{"message","type","param","code"}}`
//! with the HTTP status OpenAI clients map to the right exception.

use crate::openai::BodyProblem;
use serde_json::json;

/// A response the filter sends itself instead of forwarding the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalReply {
    pub status: u16,
    /// OpenAI error `type`, e.g. `invalid_request_error`.
    pub error_type: &'static str,
    /// OpenAI error `code`, stable and documented; also the metric label.
    pub code: &'static str,
    /// A human-readable message. Never contains request content.
    pub message: String,
}

impl LocalReply {
    /// The reply for a request body the filter refuses to pass unread.
    pub fn for_body_problem(problem: BodyProblem, max_body_bytes: usize) -> LocalReply {
        let (status, message) = match problem {
            BodyProblem::InvalidUtf8 => (400, "The request body is not valid UTF-8.".to_string()),
            BodyProblem::InvalidJson => (400, "The request body is not valid JSON.".to_string()),
            BodyProblem::NotAnObject => {
                (400, "The request body must be a JSON object.".to_string())
            }
            BodyProblem::TooLarge => (
                413,
                format!("The request body exceeds the policy limit of {max_body_bytes} bytes."),
            ),
            BodyProblem::DuplicateKey => (
                400,
                "The request body has the same key twice in one object.".to_string(),
            ),
            BodyProblem::Encoded => (
                415,
                "Compressed request bodies are not accepted on this route; send identity encoding."
                    .to_string(),
            ),
            BodyProblem::UnscreenableContent => (
                400,
                "A text field of the request body has a shape the content policy cannot read \
                 (content as an object, nested arrays of parts); send text as a string or text parts."
                    .to_string(),
            ),
        };
        LocalReply {
            status,
            error_type: "invalid_request_error",
            code: problem.label(),
            message,
        }
    }

    /// The fast answer of an open circuit breaker.
    pub fn circuit_open(retry_after_s: u64) -> LocalReply {
        LocalReply {
            status: 503,
            error_type: "server_error",
            code: "circuit_open",
            message: format!(
                "The model backend is failing; the circuit breaker is open. Retry after {retry_after_s} s."
            ),
        }
    }

    /// A request screening blocked (status and message from the policy).
    pub fn content_blocked(status: u16, message: &str) -> LocalReply {
        LocalReply {
            status,
            error_type: "invalid_request_error",
            code: "content_policy_violation",
            message: message.to_string(),
        }
    }

    /// A fail-closed guard model could not answer (timeout, connection
    /// failure, non-2xx status or a malformed reply).
    pub fn guard_unavailable() -> LocalReply {
        LocalReply {
            status: 503,
            error_type: "server_error",
            code: "guard_unavailable",
            message: "A guard model the content policy requires could not check the request; retry later."
                .to_string(),
        }
    }

    /// A model output the rule refuses to pass unscreened. Sent as the body or
    /// as an SSE error event: the response status is already on its way.
    pub fn unscreenable_output() -> LocalReply {
        LocalReply {
            status: 502,
            error_type: "server_error",
            code: "unscreenable_output",
            message: "The model output could not be screened and was withheld.".to_string(),
        }
    }

    /// The JSON body of the reply.
    pub fn body(&self) -> String {
        json!({"error": {
            "message": self.message,
            "type": self.error_type,
            "param": null,
            "code": self.code,
        }})
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn body_is_openai_shaped() {
        let reply = LocalReply::for_body_problem(BodyProblem::TooLarge, 10);
        assert_eq!(reply.status, 413);
        let v: Value = serde_json::from_str(&reply.body()).unwrap_or_default();
        assert_eq!(v["error"]["code"], "body_too_large");
        assert_eq!(v["error"]["type"], "invalid_request_error");
        assert!(v["error"]["param"].is_null());
        assert!(v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("10 bytes"));
    }
}
