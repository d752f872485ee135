//! `screening.guards[]`: the guard models a rule asks (see [`crate::guard`]).
//!
//! ```json
//! {"name": "moderation", "protocol": "openai_moderation",
//!  "cluster": "outbound|80||moderation.guards.svc.cluster.local",
//!  "timeout_ms": 300, "directions": ["request", "response"],
//!  "rules": [{"label": "violence", "min_score": 0.7, "action": "block"}]}
//! ```

// Parsed but not yet read by the screening section (wiring lands with the adapter).
#![allow(dead_code)]

use super::error::PolicyError;
use super::reader::{join, Obj};
use crate::guard::verdict::{ANY, FLAGGED};
use crate::guard::{ApiKey, GuardAction, GuardSpec, Protocol, Role, StreamMode, VerdictRule};
use serde_json::Value;

const FIELDS: &[&str] = &[
    "name",
    "protocol",
    "cluster",
    "authority",
    "path",
    "model",
    "timeout_ms",
    "api_key",
    "directions",
    "roles",
    "rules",
    "labels",
    "language",
    "entities",
    "failure_mode",
    "cache",
    "stream",
];

const PROTOCOLS: &[&str] = &[
    "openai_moderation",
    "vllm_classify",
    "llama_guard",
    "presidio",
];

/// Default call timeout.
pub const DEFAULT_TIMEOUT_MS: u64 = 1000;
/// Default verdicts remembered per guard and worker.
pub const DEFAULT_CACHE_ENTRIES: u64 = 1024;
/// Default verdict lifetime.
pub const DEFAULT_CACHE_TTL_S: u64 = 600;
/// Default characters of streamed output per check.
pub const DEFAULT_WINDOW_CHARS: u64 = 512;

/// Parses `screening.guards` (at `path`). `fail_closed`: the route's
/// screening failure mode, the default of each guard's `failure_mode`.
pub(super) fn parse_guards(
    value: &Value,
    path: &str,
    fail_closed: bool,
) -> Result<Vec<GuardSpec>, PolicyError> {
    let list = value
        .as_array()
        .ok_or_else(|| PolicyError::new(path, "expected an array of guards"))?;
    let mut guards: Vec<GuardSpec> = Vec::with_capacity(list.len());
    for (i, g) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let guard = parse_guard(g, &at, fail_closed)?;
        if guards.iter().any(|other| other.name == guard.name) {
            return Err(PolicyError::new(
                join(&at, "name"),
                format!("guard \"{}\" is named twice", guard.name),
            ));
        }
        guards.push(guard);
    }
    Ok(guards)
}

fn parse_guard(v: &Value, path: &str, fail_closed: bool) -> Result<GuardSpec, PolicyError> {
    let g = Obj::new(v, path, FIELDS)?;
    let name = required_str(&g, "name")?;
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        || name.len() > 64
    {
        return Err(PolicyError::new(
            g.field_path("name"),
            "use up to 64 letters, digits, `_` or `-` (it names metrics)",
        ));
    }
    let protocol_name = g
        .opt_enum("protocol", PROTOCOLS)?
        .ok_or_else(|| PolicyError::new(g.field_path("protocol"), "required"))?;
    let only_for = |field: &str, protocol: &str| -> Result<(), PolicyError> {
        if g.has(field) && protocol_name != protocol {
            return Err(PolicyError::new(
                g.field_path(field),
                format!("only a {protocol} guard takes {field}"),
            ));
        }
        Ok(())
    };
    only_for("labels", "vllm_classify")?;
    only_for("language", "presidio")?;
    only_for("entities", "presidio")?;
    let protocol = match protocol_name {
        "openai_moderation" => Protocol::OpenAiModeration,
        "vllm_classify" => Protocol::VllmClassify {
            labels: strings(&g, "labels")?,
        },
        "llama_guard" => Protocol::LlamaGuard,
        _ => Protocol::Presidio {
            language: g.opt_nonempty_str("language")?.unwrap_or("en").to_string(),
            entities: strings(&g, "entities")?,
        },
    };
    if g.has("model") && matches!(protocol, Protocol::Presidio { .. }) {
        return Err(PolicyError::new(
            g.field_path("model"),
            "a presidio guard takes no model",
        ));
    }
    let cluster = required_str(&g, "cluster")?.to_string();
    let authority = g
        .opt_nonempty_str("authority")?
        .unwrap_or(&cluster)
        .to_string();
    let call_path = g
        .opt_nonempty_str("path")?
        .unwrap_or(protocol.default_path())
        .to_string();
    if !call_path.starts_with('/') {
        return Err(PolicyError::new(g.field_path("path"), "must start with /"));
    }
    let (request, response) = directions(&g)?;
    let rules = rules(&g, &protocol)?;
    let fail_open = match g.opt_enum("failure_mode", &["open", "closed"])? {
        Some(mode) => mode == "open",
        None => !fail_closed,
    };
    let (cache_entries, cache_ttl_ms) = cache(&g)?;
    let (stream_mode, window_chars) = stream(&g)?;
    Ok(GuardSpec {
        name: name.to_string(),
        model: g.opt_nonempty_str("model")?.map(str::to_string),
        timeout_ms: g
            .opt_u64_in("timeout_ms", 1, 60_000)?
            .unwrap_or(DEFAULT_TIMEOUT_MS) as u32,
        api_key: api_key(&g)?,
        roles: roles(&g)?,
        protocol,
        cluster,
        authority,
        path: call_path,
        request,
        response,
        rules,
        fail_open,
        cache_entries,
        cache_ttl_ms,
        stream_mode,
        window_chars,
    })
}

fn required_str<'a>(g: &Obj<'a>, field: &str) -> Result<&'a str, PolicyError> {
    g.opt_nonempty_str(field)?
        .ok_or_else(|| PolicyError::new(g.field_path(field), "required"))
}

fn strings(g: &Obj, field: &str) -> Result<Vec<String>, PolicyError> {
    let Some(items) = g.opt_array(field)? else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| match v.as_str() {
            Some(s) if !s.is_empty() => Ok(s.to_string()),
            _ => Err(PolicyError::new(
                format!("{}[{i}]", g.field_path(field)),
                "expected a non-empty string",
            )),
        })
        .collect()
}

fn directions(g: &Obj) -> Result<(bool, bool), PolicyError> {
    let names = strings(g, "directions")?;
    if names.is_empty() {
        if g.has("directions") {
            return Err(PolicyError::new(
                g.field_path("directions"),
                "name request, response or both",
            ));
        }
        return Ok((true, false));
    }
    let mut out = (false, false);
    for (i, d) in names.iter().enumerate() {
        match d.as_str() {
            "request" => out.0 = true,
            "response" => out.1 = true,
            other => {
                return Err(PolicyError::new(
                    format!("{}[{i}]", g.field_path("directions")),
                    format!("unknown direction \"{other}\", expected request or response"),
                ))
            }
        }
    }
    Ok(out)
}

fn roles(g: &Obj) -> Result<Vec<Role>, PolicyError> {
    let names = strings(g, "roles")?;
    if names.is_empty() {
        return Ok(vec![Role::User, Role::Tool]);
    }
    names
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Role::parse(r).ok_or_else(|| {
                PolicyError::new(
                    format!("{}[{i}]", g.field_path("roles")),
                    format!(
                        "unknown role \"{r}\", expected one of: {}",
                        Role::ALL.map(Role::name).join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// The rules a guard gets when the policy lists none.
fn default_rules(protocol: &Protocol) -> Option<Vec<VerdictRule>> {
    let rule = |label: &str, min_score: f64, action| VerdictRule {
        label: label.into(),
        min_score,
        action,
    };
    match protocol {
        Protocol::OpenAiModeration | Protocol::LlamaGuard => {
            Some(vec![rule(FLAGGED, 0.0, GuardAction::Block)])
        }
        Protocol::Presidio { .. } => Some(vec![rule(ANY, 0.5, GuardAction::Redact)]),
        // Classes are the model's own: the policy must say which one is unsafe.
        Protocol::VllmClassify { .. } => None,
    }
}

fn rules(g: &Obj, protocol: &Protocol) -> Result<Vec<VerdictRule>, PolicyError> {
    let Some(items) = g.opt_array("rules")? else {
        return default_rules(protocol).ok_or_else(|| {
            PolicyError::new(
                g.field_path("rules"),
                "a vllm_classify guard needs rules naming the unsafe labels \
                 (e.g. {\"label\": \"INJECTION\", \"min_score\": 0.9, \"action\": \"block\"})",
            )
        });
    };
    if items.is_empty() {
        return Err(PolicyError::new(
            g.field_path("rules"),
            "list at least one rule",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("{}[{i}]", g.field_path("rules"));
        let r = Obj::new(item, &at, &["label", "min_score", "action"])?;
        let label = required_str(&r, "label")?;
        let action = r
            .opt_enum("action", &["block", "redact", "flag", "monitor"])?
            .and_then(GuardAction::parse)
            .ok_or_else(|| PolicyError::new(r.field_path("action"), "required"))?;
        if action == GuardAction::Redact && !matches!(protocol, Protocol::Presidio { .. }) {
            return Err(PolicyError::new(
                r.field_path("action"),
                "only a presidio guard finds spans to redact; use block, flag or monitor",
            ));
        }
        if label == FLAGGED && r.has("min_score") {
            return Err(PolicyError::new(
                r.field_path("min_score"),
                "`flagged` is the guard's own verdict and has no score",
            ));
        }
        out.push(VerdictRule {
            label: label.to_string(),
            min_score: r.opt_f64_in("min_score", 0.0, 1.0)?.unwrap_or(0.5),
            action,
        });
    }
    Ok(out)
}

fn api_key(g: &Obj) -> Result<Option<ApiKey>, PolicyError> {
    let Some(v) = g.get("api_key") else {
        return Ok(None);
    };
    let k = Obj::new(
        v,
        &g.field_path("api_key"),
        &["header", "value_env", "prefix"],
    )?;
    Ok(Some(ApiKey {
        header: k
            .opt_nonempty_str("header")?
            .unwrap_or("authorization")
            .to_ascii_lowercase(),
        value_env: required_str(&k, "value_env")?.to_string(),
        prefix: k
            .opt_str("prefix")?
            .map_or_else(|| "Bearer ".to_string(), str::to_string),
    }))
}

fn cache(g: &Obj) -> Result<(usize, u64), PolicyError> {
    let Some(v) = g.get("cache") else {
        return Ok((DEFAULT_CACHE_ENTRIES as usize, DEFAULT_CACHE_TTL_S * 1000));
    };
    let c = Obj::new(v, &g.field_path("cache"), &["entries", "ttl_s"])?;
    let entries = c
        .opt_u64_in("entries", 0, 65_536)?
        .unwrap_or(DEFAULT_CACHE_ENTRIES);
    let ttl = c
        .opt_u64_in("ttl_s", 1, 86_400)?
        .unwrap_or(DEFAULT_CACHE_TTL_S);
    Ok((entries as usize, ttl * 1000))
}

fn stream(g: &Obj) -> Result<(StreamMode, usize), PolicyError> {
    let Some(v) = g.get("stream") else {
        return Ok((StreamMode::Window, DEFAULT_WINDOW_CHARS as usize));
    };
    let s = Obj::new(v, &g.field_path("stream"), &["mode", "window_chars"])?;
    let mode = match s.opt_enum("mode", &["window", "strict"])? {
        Some("strict") => StreamMode::Strict,
        _ => StreamMode::Window,
    };
    let window = s
        .opt_u64_in("window_chars", 64, 16_384)?
        .unwrap_or(DEFAULT_WINDOW_CHARS);
    Ok((mode, window as usize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn parse(v: Value) -> Result<Vec<GuardSpec>, PolicyError> {
        parse_guards(&v, "screening.guards", true)
    }

    fn error(v: Value) -> String {
        parse(v).unwrap_err().to_string()
    }

    #[test]
    fn a_minimal_moderation_guard_gets_documented_defaults() {
        let g = &parse(
            json!([{"name": "mod", "protocol": "openai_moderation", "cluster": "moderation"}]),
        )
        .unwrap()[0];
        assert_eq!(g.path, "/v1/moderations");
        assert_eq!(g.authority, "moderation");
        assert_eq!(g.timeout_ms, 1000);
        assert!(g.request && !g.response);
        assert_eq!(g.roles, vec![Role::User, Role::Tool]);
        assert_eq!(g.rules[0].label, FLAGGED);
        assert_eq!(g.rules[0].action, GuardAction::Block);
        assert!(!g.fail_open, "a fail-closed route's guard fails closed");
        assert_eq!((g.cache_entries, g.cache_ttl_ms), (1024, 600_000));
        assert_eq!((g.stream_mode, g.window_chars), (StreamMode::Window, 512));
        let open = parse_guards(
            &json!([{"name": "m", "protocol": "llama_guard", "cluster": "c"}]),
            "g",
            false,
        )
        .unwrap();
        assert!(open[0].fail_open);
    }

    #[test]
    fn every_field_is_read() {
        let g = &parse(json!([{
            "name": "inj", "protocol": "vllm_classify", "cluster": "outbound|8000||guard.svc",
            "authority": "guard.svc", "path": "/classify", "model": "protectai/deberta-v3-base-prompt-injection-v2",
            "timeout_ms": 250, "api_key": {"header": "Authorization", "value_env": "GUARD_KEY"},
            "directions": ["request", "response"], "roles": ["user", "tool", "function"],
            "labels": ["SAFE", "INJECTION"],
            "rules": [{"label": "INJECTION", "min_score": 0.9, "action": "block"}],
            "failure_mode": "open", "cache": {"entries": 10, "ttl_s": 5},
            "stream": {"mode": "strict", "window_chars": 128}
        }]))
        .unwrap()[0];
        assert_eq!(
            g.protocol,
            Protocol::VllmClassify {
                labels: vec!["SAFE".into(), "INJECTION".into()]
            }
        );
        assert_eq!(
            g.api_key
                .as_ref()
                .map(|k| (k.header.as_str(), k.prefix.as_str())),
            Some(("authorization", "Bearer "))
        );
        assert_eq!(g.roles, vec![Role::User, Role::Tool, Role::Tool]);
        assert!(g.fail_open && g.response);
        assert_eq!((g.cache_entries, g.cache_ttl_ms), (10, 5000));
        assert_eq!((g.stream_mode, g.window_chars), (StreamMode::Strict, 128));
        assert_eq!(g.rules[0].min_score, 0.9);
    }

    #[test]
    fn mistakes_are_refused_with_their_path() {
        let base = || json!({"name": "g", "protocol": "openai_moderation", "cluster": "c"});
        let with = |field: &str, v: Value| {
            let mut g = base();
            g[field] = v;
            json!([g])
        };
        for (doc, want) in [
            (
                with("clustr", json!("x")),
                "screening.guards[0].clustr: unknown field",
            ),
            (
                with("protocol", json!("perspective")),
                "screening.guards[0].protocol: unknown value",
            ),
            (
                json!([{"name": "g", "protocol": "llama_guard"}]),
                "screening.guards[0].cluster: required",
            ),
            (with("name", json!("has space")), "screening.guards[0].name"),
            (
                with("timeout_ms", json!(0)),
                "screening.guards[0].timeout_ms: must be between",
            ),
            (
                with("directions", json!(["inbound"])),
                "screening.guards[0].directions[0]: unknown direction",
            ),
            (
                with("roles", json!(["robot"])),
                "screening.guards[0].roles[0]: unknown role",
            ),
            (
                with("labels", json!(["a"])),
                "only a vllm_classify guard takes labels",
            ),
            (
                with("entities", json!(["PERSON"])),
                "only a presidio guard takes entities",
            ),
            (
                with("rules", json!([{"label": "x", "action": "redact"}])),
                "rules[0].action: only a presidio guard",
            ),
            (
                with(
                    "rules",
                    json!([{"label": "flagged", "min_score": 0.5, "action": "block"}]),
                ),
                "has no score",
            ),
            (
                with(
                    "rules",
                    json!([{"label": "x", "min_score": 2, "action": "block"}]),
                ),
                "min_score: must be between",
            ),
            (with("rules", json!([])), "list at least one rule"),
            (with("path", json!("v1/moderations")), "must start with /"),
            (
                with("api_key", json!({"header": "x-key"})),
                "api_key.value_env: required",
            ),
            (with("cache", json!({"entries": 100000})), "cache.entries"),
            (with("stream", json!({"mode": "buffer"})), "stream.mode"),
            (
                json!([base(), base()]),
                "screening.guards[1].name: guard \"g\" is named twice",
            ),
            (json!({"name": "g"}), "expected an array of guards"),
        ] {
            let got = error(doc.clone());
            assert!(got.contains(want), "{doc}: {got}");
        }
    }

    #[test]
    fn a_classifier_must_say_which_labels_are_unsafe() {
        let got = error(json!([{"name": "c", "protocol": "vllm_classify", "cluster": "c"}]));
        assert!(
            got.contains("rules: a vllm_classify guard needs rules"),
            "{got}"
        );
    }

    #[test]
    fn presidio_redacts_every_entity_it_is_sure_of_by_default() {
        let g = &parse(
            json!([{"name": "pii", "protocol": "presidio", "cluster": "presidio",
                               "entities": ["PERSON", "LOCATION"], "language": "de"}]),
        )
        .unwrap()[0];
        assert_eq!(
            g.protocol,
            Protocol::Presidio {
                language: "de".into(),
                entities: vec!["PERSON".into(), "LOCATION".into()]
            }
        );
        assert_eq!(g.rules[0].label, ANY);
        assert_eq!(g.rules[0].action, GuardAction::Redact);
        assert_eq!(g.path, "/analyze");
        assert!(error(
            json!([{"name": "p", "protocol": "presidio", "cluster": "c", "model": "x"}])
        )
        .contains("takes no model"));
    }
}
