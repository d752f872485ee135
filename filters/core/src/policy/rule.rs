//! The settings that apply to one request: the default rule, or a route's
//! rule with its overrides laid over the default.

use super::ab::{parse_ab, AbConfig};
use super::canary::{self, CanaryConfig};
use super::circuit::{self, CircuitConfig};
use super::error::PolicyError;
use super::reader::Obj;
use super::route_match::HeaderMatch;
use super::screening;
use super::subject::{parse_subject, SubjectSource};
use super::EnvLookup;
use crate::screen::Screener;
use serde_json::Value;
use std::rc::Rc;

/// Whether a capability lets traffic through when it cannot do its job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureMode {
    /// Refuse the request with a clear error (fail closed).
    Closed,
    /// Let the request through, counted in a metric (fail open).
    Open,
}

/// Failure modes per capability. `screening` governs bodies the filter cannot
/// read (malformed, over the limit, compressed). Routing (experiments,
/// canary, breaker, trust) always fails open: a breaker or canary whose shared
/// state cannot be read or updated lets the request through, so
/// `failure_mode.routing` accepts only `"open"` ([`check_routing_mode`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureModes {
    pub screening: FailureMode,
}

/// The effective settings for requests matched by one route rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    /// Adds `x-llm-policy` to responses (revision, rule, subject source).
    pub debug_headers: bool,
    /// The most request-body bytes the filter buffers and reads.
    pub max_body_bytes: usize,
    /// Buffer and read OpenAI request bodies; `false` keeps the rule header-only.
    pub read_bodies: bool,
    pub failure_mode: FailureModes,
    pub subject: Vec<SubjectSource>,
    /// Sticky experiments.
    pub ab: Rc<AbConfig>,
    /// Callers matching this header may force their own experiment arm.
    pub trust: Option<HeaderMatch>,
    /// The circuit breaker, if the rule has one.
    pub circuit: Option<Rc<CircuitConfig>>,
    /// The canary share, if the rule has one.
    pub canary: Option<Rc<CanaryConfig>>,
    /// Content and PII screening, if the rule screens.
    pub screening: Option<Rc<Screener>>,
}

/// Default body limit: 1 MiB, Envoy's default per-connection buffer limit.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 1 << 20;
/// Upper bound on the body limit: 64 MiB (V8 caps a VM at 1 GiB).
pub const MAX_MAX_BODY_BYTES: u64 = 64 << 20;

impl Rule {
    /// The settings a policy gets for every field it leaves out.
    pub fn defaults() -> Rule {
        Rule {
            name: "default".into(),
            debug_headers: true,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES as usize,
            read_bodies: true,
            failure_mode: FailureModes {
                screening: FailureMode::Closed,
            },
            subject: Vec::new(),
            ab: Rc::new(AbConfig::default()),
            trust: None,
            circuit: None,
            canary: None,
            screening: None,
        }
    }

    /// A copy of this rule named `name`, with the fields `obj` sets replaced.
    /// `env` looks up the variables that `*_env` fields name.
    pub(super) fn overlaid(
        &self,
        name: &str,
        obj: &Obj,
        env: &EnvLookup<'_>,
    ) -> Result<Rule, PolicyError> {
        let mut rule = self.clone();
        rule.name = name.to_string();
        if let Some(b) = obj.opt_bool("debug_headers")? {
            rule.debug_headers = b;
        }
        if let Some(b) = obj.opt_bool("read_bodies")? {
            rule.read_bodies = b;
        }
        if let Some(v) = obj.get("limits") {
            let limits = Obj::new(v, &obj.field_path("limits"), &["max_body_bytes"])?;
            if let Some(n) = limits.opt_u64_in("max_body_bytes", 1, MAX_MAX_BODY_BYTES)? {
                rule.max_body_bytes = n as usize;
            }
        }
        if let Some(v) = obj.get("failure_mode") {
            let modes = Obj::new(
                v,
                &obj.field_path("failure_mode"),
                &["screening", "routing"],
            )?;
            if let Some(m) = parse_mode(&modes, "screening")? {
                rule.failure_mode.screening = m;
            }
            check_routing_mode(&modes)?;
        }
        if let Some(v) = obj.get("subject") {
            rule.subject = parse_subject(&Obj::new(v, &obj.field_path("subject"), &["sources"])?)?;
        }
        if let Some(v) = obj.get("ab") {
            let ab = Obj::new(
                v,
                &obj.field_path("ab"),
                &["experiments", "response_header"],
            )?;
            rule.ab = Rc::new(parse_ab(&ab)?);
        }
        if let Some(v) = obj.get("circuit") {
            let c = Obj::new(v, &obj.field_path("circuit"), circuit::FIELDS)?;
            let base = self.circuit.as_deref().cloned().unwrap_or_default();
            rule.circuit = Some(Rc::new(circuit::parse_circuit(&c, base)?));
        }
        let edits = rule.ab.experiments.iter().any(|e| e.rewrites_body());
        if edits && !rule.read_bodies {
            return Err(PolicyError::new(
                obj.field_path("read_bodies"),
                "an experiment arm rewrites the body (model or system_prompt): bodies must be read",
            ));
        }
        if let Some(v) = obj.get("canary") {
            let c = Obj::new(v, &obj.field_path("canary"), canary::FIELDS)?;
            rule.canary = Some(Rc::new(canary::parse_canary(&c)?));
        }
        if let Some(v) = obj.get("screening") {
            let path = obj.field_path("screening");
            let s = Obj::new(v, &path, screening::FIELDS)?;
            let base = self
                .screening
                .as_ref()
                .map(|s| s.config.clone())
                .unwrap_or_default();
            let closed = rule.failure_mode.screening == FailureMode::Closed;
            let config = screening::parse_screening(&s, base, closed)?;
            let compiled = Screener::compile_over(&config, env, self.screening.as_deref())
                .map_err(|why| PolicyError::new(&path, why))?;
            rule.screening = Some(Rc::new(compiled));
        }
        let screens_bodies = rule.screening.as_ref().is_some_and(|s| {
            s.config.enabled && (!s.entries.is_empty() || !s.config.guards.is_empty())
        });
        if screens_bodies && !rule.read_bodies {
            return Err(PolicyError::new(
                obj.field_path("read_bodies"),
                "screening reads bodies: set read_bodies to true or screening.enabled to false",
            ));
        }
        if let Some(v) = obj.get("trust") {
            let trust = Obj::new(v, &obj.field_path("trust"), &["header"])?;
            rule.trust = match trust.get("header") {
                Some(h) => Some(parse_trust_header(h, &trust.field_path("header"), env)?),
                None => None,
            };
        }
        Ok(rule)
    }
}

/// The shortest trust token taken from the environment (`value_env`).
const MIN_TRUST_TOKEN: usize = 16;

/// `trust.header`: a name and the token a trusted caller sends, given as
/// `value` or, better, as `value_env` (an environment variable of the Wasm VM,
/// set from a Secret, so the token is in no ConfigMap). A header that only
/// has to be present is refused: any client could send it.
fn parse_trust_header(
    v: &Value,
    path: &str,
    env: &EnvLookup<'_>,
) -> Result<HeaderMatch, PolicyError> {
    let h = Obj::new(v, path, &["name", "value", "value_env"])?;
    let name = h
        .opt_nonempty_str("name")?
        .ok_or_else(|| PolicyError::new(h.field_path("name"), "required"))?;
    let value = match (h.opt_str("value")?, h.opt_nonempty_str("value_env")?) {
        (Some(_), Some(_)) => {
            return Err(PolicyError::new(path, "set value or value_env, not both"));
        }
        (None, None) => {
            return Err(PolicyError::new(
                path,
                "a trust header needs the token trusted callers send: set value_env (or value); \
                 a header that only has to be present trusts every client",
            ));
        }
        (Some(""), None) => {
            return Err(PolicyError::new(h.field_path("value"), "must not be empty"));
        }
        (Some(value), None) => value.to_string(),
        (None, Some(var)) => match env(var) {
            Some(token) if token.len() >= MIN_TRUST_TOKEN => token,
            Some(_) => {
                return Err(PolicyError::new(
                    h.field_path("value_env"),
                    format!("{var} must hold at least {MIN_TRUST_TOKEN} bytes"),
                ));
            }
            None => {
                return Err(PolicyError::new(
                    h.field_path("value_env"),
                    format!("environment variable {var} is not set in the Wasm VM"),
                ));
            }
        },
    };
    Ok(HeaderMatch {
        name: name.to_ascii_lowercase(),
        value: Some(value),
    })
}

/// `failure_mode.routing`: only `"open"`, what the routing capabilities do
/// (the adapter lets a request through when shared state cannot be read or
/// swapped). `"closed"` is refused rather than accepted and ignored.
fn check_routing_mode(modes: &Obj) -> Result<(), PolicyError> {
    match modes.opt_enum("routing", &["closed", "open"])? {
        Some("closed") => Err(PolicyError::new(
            modes.field_path("routing"),
            "routing always fails open (a breaker or canary whose shared state cannot be read \
             or updated lets the request through): only \"open\" is accepted",
        )),
        _ => Ok(()),
    }
}

fn parse_mode(modes: &Obj, field: &str) -> Result<Option<FailureMode>, PolicyError> {
    Ok(match modes.opt_enum(field, &["closed", "open"])? {
        Some("closed") => Some(FailureMode::Closed),
        Some(_) => Some(FailureMode::Open),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn trust(json: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<HeaderMatch, String> {
        let v: Value = serde_json::from_str(json).unwrap();
        parse_trust_header(&v, "trust.header", env).map_err(|e| e.to_string())
    }

    #[test]
    fn trust_needs_a_token_from_the_policy_or_the_environment() {
        let none = |_: &str| None;
        let token = |name: &str| (name == "QA").then(|| "0123456789abcdef-qa".to_string());
        assert_eq!(
            trust(r#"{"name":"X-QA","value":"s3cret"}"#, &none),
            Ok(HeaderMatch {
                name: "x-qa".into(),
                value: Some("s3cret".into())
            })
        );
        assert_eq!(
            trust(r#"{"name":"x-qa","value_env":"QA"}"#, &token)
                .map(|m| m.value)
                .unwrap(),
            Some("0123456789abcdef-qa".into())
        );
        assert_eq!(
            trust(r#"{"name":"x-qa"}"#, &none).unwrap_err(),
            "trust.header: a trust header needs the token trusted callers send: set value_env \
             (or value); a header that only has to be present trusts every client"
        );
        assert_eq!(
            trust(r#"{"name":"x-qa","value_env":"MISSING"}"#, &none).unwrap_err(),
            "trust.header.value_env: environment variable MISSING is not set in the Wasm VM"
        );
        let short = |_: &str| Some("short".to_string());
        assert_eq!(
            trust(r#"{"name":"x-qa","value_env":"QA"}"#, &short).unwrap_err(),
            "trust.header.value_env: QA must hold at least 16 bytes"
        );
        assert_eq!(
            trust(r#"{"name":"x-qa","value":"a","value_env":"QA"}"#, &token).unwrap_err(),
            "trust.header: set value or value_env, not both"
        );
        assert_eq!(
            trust(r#"{"name":"x-qa","value":""}"#, &none).unwrap_err(),
            "trust.header.value: must not be empty"
        );
    }
}
