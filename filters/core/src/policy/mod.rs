//! The policy document (version 1): parsed once, validated strictly, and
//! compiled into the rules the request path reads.
//!
//! Top-level settings form the default rule; each entry of `routes` may
//! override any of them for the requests it matches (first match wins).

mod ab;
mod canary;
mod circuit;
mod error;
mod guards;
mod reader;
mod route_match;
mod rule;
mod screening;
mod subject;

pub use ab::{AbConfig, Arm, Experiment, NoSubject};
pub use canary::{CanaryConfig, HaltConfig};
pub use circuit::{BreakerKey, CircuitConfig, RetryHeaders};
pub use error::PolicyError;
pub use route_match::{HeaderMatch, HostMatch, MatchInput, RouteMatch};
pub use rule::{FailureMode, FailureModes, Rule};
pub use subject::SubjectSource;

use reader::{join, Obj};
use serde_json::Value;
use std::rc::Rc;

/// Parses a `screening` section alone (unit tests of the screening engine).
#[cfg(test)]
pub(crate) fn parse_screening_for_tests(json: &str) -> crate::screen::config::ScreeningConfig {
    let v: Value = serde_json::from_str(json).unwrap_or_default();
    let obj = Obj::new(&v, "screening", screening::FIELDS).unwrap();
    screening::parse_screening(&obj, Default::default(), true).unwrap()
}

/// Looks up an environment variable by name: the edge (the Wasm VM, the CLI)
/// passes the real environment, tests pass a fixed map.
pub type EnvLookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The empty environment: no variable is set.
pub fn no_env(_name: &str) -> Option<String> {
    None
}

/// The policy embedded in the filter, used when the plugin configuration is empty.
pub const DEFAULT_POLICY_JSON: &str = include_str!("../../../../policies/default.json");

/// The only document version this release reads.
pub const SUPPORTED_VERSION: u64 = 1;

const TOP_FIELDS: &[&str] = &[
    "$schema",
    "version",
    "revision",
    "description",
    "debug_headers",
    "read_bodies",
    "limits",
    "failure_mode",
    "subject",
    "trust",
    "routes",
    "ab",
    "screening",
    "circuit",
    "canary",
];

const ROUTE_FIELDS: &[&str] = &[
    "name",
    "description",
    "match",
    "debug_headers",
    "read_bodies",
    "limits",
    "failure_mode",
    "subject",
    "trust",
    "ab",
    "screening",
    "circuit",
    "canary",
];

/// A validated, compiled policy. Cheap to share: the request path only reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The author's label for this document, reported in debug headers and logs.
    pub revision: String,
    /// Route rules in document order; the first whose match holds applies.
    pub routes: Vec<(RouteMatch, Rc<Rule>)>,
    /// The rule for requests no route matches.
    pub default_rule: Rc<Rule>,
    /// True when some route matches on Envoy's route name (a host property read).
    pub needs_route_name: bool,
}

impl Policy {
    /// Parses and validates a policy document in an empty environment: every
    /// `*_env` field (`trust.header.value_env`, `screening.redaction.key_env`)
    /// names a variable that is not set. The filter and the CLI read the real
    /// environment through [`Policy::parse_with_env`]. An empty (or
    /// all-whitespace) document means the embedded default.
    pub fn parse(bytes: &[u8]) -> Result<Policy, PolicyError> {
        Policy::parse_with_env(bytes, &no_env)
    }

    /// Parses and validates a policy document; `env` looks up the variables
    /// the `*_env` fields name (the Wasm VM's environment in the filter). The
    /// core never reads the process environment itself.
    pub fn parse_with_env(bytes: &[u8], env: &EnvLookup<'_>) -> Result<Policy, PolicyError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Policy::embedded_default();
        }
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| PolicyError::new("", format!("not valid JSON: {e}")))?;
        Policy::from_value(&value, env)
    }

    /// The embedded default policy (`policies/default.json`); it reads no
    /// environment variable.
    pub fn embedded_default() -> Result<Policy, PolicyError> {
        let value: Value = serde_json::from_str(DEFAULT_POLICY_JSON)
            .map_err(|e| PolicyError::new("", format!("embedded default is not JSON: {e}")))?;
        Policy::from_value(&value, &no_env)
    }

    fn from_value(value: &Value, env: &EnvLookup<'_>) -> Result<Policy, PolicyError> {
        let top = Obj::new(value, "", TOP_FIELDS)?;
        match top.get("version") {
            None => return Err(PolicyError::new("version", "required, expected 1")),
            Some(v) if v.as_u64() == Some(SUPPORTED_VERSION) => {}
            Some(v) => {
                return Err(PolicyError::new(
                    "version",
                    format!(
                        "unsupported version {v}, this filter reads version {SUPPORTED_VERSION}"
                    ),
                ))
            }
        }
        let revision = top.opt_nonempty_str("revision")?.unwrap_or("unversioned");
        check_revision(revision)?;
        let default_rule = Rule::defaults().overlaid("default", &top, env)?;
        let mut routes = Vec::new();
        let mut names: Vec<String> = vec!["default".into()];
        for (i, route) in top.opt_array("routes")?.into_iter().flatten().enumerate() {
            let path = format!("routes[{i}]");
            let obj = Obj::new(route, &path, ROUTE_FIELDS)?;
            let name = obj.opt_nonempty_str("name")?.ok_or_else(|| {
                PolicyError::new(
                    join(&path, "name"),
                    "required, a unique name for this route rule",
                )
            })?;
            check_label(name, &join(&path, "name"))?;
            if names.iter().any(|n| n == name) {
                return Err(PolicyError::new(
                    join(&path, "name"),
                    format!("duplicate route name \"{name}\""),
                ));
            }
            names.push(name.to_string());
            let matcher = match obj.get("match") {
                Some(m) => RouteMatch::parse(m, &join(&path, "match"))?,
                None => return Err(PolicyError::new(join(&path, "match"), "required")),
            };
            routes.push((matcher, Rc::new(default_rule.overlaid(name, &obj, env)?)));
        }
        let needs_route_name = routes.iter().any(|(m, _)| m.route_name.is_some());
        Ok(Policy {
            revision: revision.to_string(),
            routes,
            default_rule: Rc::new(default_rule),
            needs_route_name,
        })
    }
}

/// The revision is reported in a response header: printable, no separators.
fn check_revision(revision: &str) -> Result<(), PolicyError> {
    let ok = revision.len() <= 128
        && revision
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:+".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(PolicyError::new(
            "revision",
            format!("\"{revision}\" must be 1-128 characters of letters, digits or - _ . : +"),
        ))
    }
}

/// Labels end up in headers and metric names: keep them to a safe alphabet.
pub(super) fn check_label(label: &str, path: &str) -> Result<(), PolicyError> {
    let ok = label.len() <= 64
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(PolicyError::new(
            path,
            format!("\"{label}\" must be 1-64 characters of letters, digits, '-' or '_'"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn refusal(json: &str) -> String {
        Policy::parse(json.as_bytes()).map_or_else(|e| e.to_string(), |_| "accepted".into())
    }

    /// Checks JSON Schema cannot express; the policies/invalid files cover the rest.
    #[test]
    fn route_names_are_unique_and_default_is_reserved() {
        assert_eq!(
            refusal(
                r#"{"version":1,"routes":[{"name":"a","match":{"prefix":"/a"}},{"name":"a","match":{"prefix":"/b"}}]}"#
            ),
            "routes[1].name: duplicate route name \"a\""
        );
        assert_eq!(
            refusal(r#"{"version":1,"routes":[{"name":"default","match":{"prefix":"/a"}}]}"#),
            "routes[0].name: duplicate route name \"default\""
        );
    }

    #[test]
    fn experiment_checks_beyond_the_schema() {
        assert_eq!(
            refusal(
                r#"{"version":1,"ab":{"experiments":[{"id":"e","arms":[{"name":"a","weight":60},{"name":"b","weight":30}]}]}}"#
            ),
            "ab.experiments[0].arms: weights must add up to 100, found 90"
        );
        assert_eq!(
            refusal(
                r#"{"version":1,"ab":{"experiments":[{"id":"e","control":"z","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]}]}}"#
            ),
            "ab.experiments[0].control: no arm named \"z\""
        );
        assert_eq!(
            refusal(
                r#"{"version":1,"ab":{"experiments":[{"id":"e","arms":[{"name":"a","weight":50},{"name":"a","weight":50}]}]}}"#
            ),
            "ab.experiments[0].arms[1].name: duplicate arm name \"a\""
        );
    }

    #[test]
    fn any_experiment_id_the_reference_accepts_with_a_safe_label() {
        let p = Policy::parse(
            br#"{"version":1,"ab":{"experiments":[{"id":"temp-0.2","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]},{"id":"model v2/\u03b1","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]}]}}"#,
        )
        .unwrap();
        let exps = &p.default_rule.ab.experiments;
        assert_eq!(exps[0].id, "temp-0.2");
        assert_eq!(exps[0].label, "temp-0_2");
        assert_eq!(exps[0].header, "x-ab-temp-0_2");
        assert_eq!(exps[1].id, "model v2/\u{3b1}");
        assert_eq!(exps[1].label, "model_v2___");
        assert_eq!(
            refusal(
                r#"{"version":1,"ab":{"experiments":[{"id":"t.2","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]},{"id":"t_2","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]}]}}"#
            ),
            "ab.experiments[1].id: its label \"t_2\" (the id with every character other than letters, digits, '-' and '_' made '_') is also the label of experiments[0]"
        );
        assert_eq!(
            refusal(
                r#"{"version":1,"ab":{"experiments":[{"id":"","arms":[{"name":"a","weight":50},{"name":"b","weight":50}]}]}}"#
            ),
            "ab.experiments[0].id: must not be empty"
        );
    }

    #[test]
    fn a_route_circuit_overlays_the_top_level_one() {
        let p = Policy::parse(
            br#"{"version":1,"circuit":{"open_s":5,"consecutive_failures":9},
                 "routes":[{"name":"r","match":{"prefix":"/"},"circuit":{"open_s":7}}]}"#,
        )
        .unwrap();
        let top = p.default_rule.circuit.clone().unwrap();
        let route = p.routes[0].1.circuit.clone().unwrap();
        assert_eq!((top.open_s, top.consecutive_failures), (5, 9));
        assert_eq!((route.open_s, route.consecutive_failures), (7, 9));
    }

    #[test]
    fn not_json_and_missing_version() {
        assert!(refusal("{").starts_with("policy: not valid JSON"));
        assert_eq!(refusal("{}"), "version: required, expected 1");
        assert_eq!(refusal("[]"), "policy: expected an object, found an array");
        assert_eq!(
            refusal(r#"{"version":1,"revision":"a b"}"#),
            "revision: \"a b\" must be 1-128 characters of letters, digits or - _ . : +"
        );
    }
}
