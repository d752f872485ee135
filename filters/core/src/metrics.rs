//! The metric catalogue and metric names. Every metric family the filter
//! emits is declared once here (name, kind, label names, help); the filter
//! makes typed handles from these at configuration, `llm-policy stats-tags`
//! and `llm-policy metrics` print what they derive from [`FAMILIES`].
//!
//! Envoy's Wasm ABI has no labels, so labels travel inside the name in
//! Istio's `name=.=value;.;` form and Envoy's `stats_tags` (or Istio's
//! `extraStatTags`) turn them back into Prometheus labels.

/// How a family's values behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// One metric family: `N` label names, always given in this order.
#[derive(Debug, PartialEq, Eq)]
pub struct Family<const N: usize> {
    pub name: &'static str,
    pub kind: Kind,
    pub labels: [&'static str; N],
    pub help: &'static str,
}

/// A family with its label count erased, for listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyInfo {
    pub name: &'static str,
    pub kind: Kind,
    pub labels: &'static [&'static str],
    pub help: &'static str,
}

macro_rules! catalogue {
    ($( $id:ident: $kind:ident $name:literal [$($label:literal),*] $help:literal; )*) => {
        $(
            #[doc = $help]
            pub const $id: Family<{ <[&str]>::len(&[$($label),*]) }> = Family {
                name: $name,
                kind: Kind::$kind,
                labels: [$($label),*],
                help: $help,
            };
        )*
        /// Every family, in declaration order.
        pub const FAMILIES: &[FamilyInfo] = &[$(FamilyInfo {
            name: $name,
            kind: Kind::$kind,
            labels: &[$($label),*],
            help: $help,
        }),*];
    };
}

catalogue! {
    REQUESTS: Counter "llm_policy_requests_total" ["rule", "endpoint"]
        "Requests seen, per route rule and OpenAI endpoint.";
    REQUEST_BODIES: Counter "llm_policy_request_bodies_total" ["rule", "outcome", "action"]
        "Request bodies judged: how they were read and what was done.";
    LOCAL_REPLIES: Counter "llm_policy_local_replies_total" ["rule", "code"]
        "Replies the filter sent itself, per OpenAI error code.";
    AB_REQUESTS: Counter "llm_policy_ab_requests_total" ["experiment", "arm"]
        "Requests per experiment arm.";
    AB_RESPONSES: Counter "llm_policy_ab_responses_total" ["experiment", "arm", "class"]
        "Responses per experiment arm and status class.";
    AB_TOKENS: Counter "llm_policy_ab_tokens_total" ["experiment", "arm", "kind"]
        "Prompt and completion tokens per experiment arm (from the response's usage).";
    AB_LATENCY: Histogram "llm_policy_ab_latency_ms" ["experiment", "arm"]
        "Milliseconds from request headers to the end of the exchange, per arm.";
    AB_SCREENING: Counter "llm_policy_ab_screening_total" ["experiment", "arm", "action"]
        "Requests per arm by the strongest screening outcome.";
    CIRCUIT_OPEN_REQUESTS: Counter "llm_policy_circuit_open_requests_total" ["target", "action"]
        "Requests met by an open breaker: rejected or sent to the fallback.";
    CIRCUIT_STATE: Gauge "llm_policy_circuit_state" ["target"]
        "Breaker state: 0 closed, 1 open, 2 half open.";
    CIRCUIT_TRANSITIONS: Counter "llm_policy_circuit_transitions_total" ["target", "state"]
        "Breaker state changes, per state entered.";
    CANARY_HALTS: Counter "llm_policy_canary_halts_total" ["rule", "reason"]
        "Canary halts on this proxy, per threshold broken.";
    CANARY_REQUESTS: Counter "llm_policy_canary_requests_total" ["rule", "track"]
        "Requests per canary track.";
    CANARY_HALTED: Gauge "llm_policy_canary_halted" ["rule"]
        "1 while the rule's canary is halted on this proxy.";
    CANARY_SCREENING: Counter "llm_policy_canary_screening_total" ["rule", "track", "action"]
        "Requests per canary track by the strongest screening outcome.";
    SCREENING_FINDINGS: Counter "llm_policy_screening_findings_total" ["rule", "direction", "kind", "detector", "action"]
        "Screening findings per detector, direction and outcome.";
    SCREENING_UNSCREENABLE: Counter "llm_policy_screening_unscreenable_total" ["rule", "direction", "reason", "action"]
        "Outputs that could not be screened: withheld (fail closed) or passed (fail open).";
    GUARD_CALLS: Counter "llm_policy_guard_calls_total" ["rule", "guard", "direction"]
        "Calls made to a guard model (after the verdict cache).";
    GUARD_CACHE_HITS: Counter "llm_policy_guard_cache_hits_total" ["rule", "guard", "direction"]
        "Messages a guard's cached verdict answered without a call.";
    GUARD_LATENCY: Histogram "llm_policy_guard_latency_ms" ["guard"]
        "Milliseconds from dispatching a guard call to its answer (or failure).";
    GUARD_VERDICTS: Counter "llm_policy_guard_verdicts_total" ["rule", "guard", "direction", "label", "action"]
        "Guard labels that applied, per action their rule gave (block, redact, flag, monitor).";
    GUARD_FAILURES: Counter "llm_policy_guard_failures_total" ["rule", "guard", "direction", "kind"]
        "Guard calls without a usable verdict: timeout, connection, status_5xx, status_4xx, malformed.";
    GUARD_DECISIONS: Counter "llm_policy_guard_decisions_total" ["rule", "direction", "decision"]
        "Guarded texts by the round's decision: passed, flagged, redacted, blocked, unavailable (refused), failed_open.";
    CONFIG_LOADS: Counter "llm_policy_config_loads_total" ["outcome"]
        "Policy loads: loaded or refused.";
    HEADER_HOLD_STALLS: Counter "llm_policy_header_hold_stalls_total" []
        "Held requests resumed because no body callback came.";
    VM_MEMORY: Gauge "llm_policy_vm_memory_bytes" ["vm"]
        "Linear memory of one worker's VM.";
}

/// Every label name of the catalogue, each once, in first-use order; each
/// needs one `stats_tags` entry.
pub fn tag_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for family in FAMILIES {
        for label in family.labels {
            if !names.contains(label) {
                names.push(label);
            }
        }
    }
    names
}

/// Envoy's `stats_tags` for every label of the catalogue (JSON, for a
/// bootstrap's `stats_config`): what `llm-policy stats-tags` prints.
pub fn stats_tags_json() -> String {
    let tags: Vec<String> = tag_names()
        .iter()
        .map(|t| format!("{{\"tag_name\":\"{t}\",\"regex\":{:?}}}", tag_regex(t)))
        .collect();
    format!("[{}]", tags.join(","))
}

/// The catalogue as JSON (name, kind, labels, help): what `llm-policy metrics` prints.
pub fn catalogue_json() -> String {
    let families: Vec<String> = FAMILIES
        .iter()
        .map(|f| {
            format!(
                "{{\"name\":{:?},\"kind\":{:?},\"labels\":{:?},\"help\":{:?}}}",
                f.name,
                f.kind.label(),
                f.labels,
                f.help
            )
        })
        .collect();
    format!("[{}]", families.join(","))
}

/// `llm_policy_requests_total` with `rule=chat` → `rule=.=chat;.;llm_policy_requests_total`.
pub fn stat_name(base: &str, tags: &[(&str, &str)]) -> String {
    let mut name = String::with_capacity(base.len() + tags.len() * 24);
    for (tag, value) in tags {
        name.push_str(tag);
        name.push_str("=.=");
        name.extend(value.chars().map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
            _ => '_',
        }));
        name.push_str(";.;");
    }
    name.push_str(base);
    name
}

/// The Envoy `stats_tags` regex that extracts `tag` from a name built by [`stat_name`].
pub fn tag_regex(tag: &str) -> String {
    format!(r"({tag}=\.=(.*?);\.;)")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_carry_sanitised_tags() {
        assert_eq!(
            stat_name(
                "llm_policy_requests_total",
                &[("rule", "chat"), ("endpoint", "a.b:c")]
            ),
            "rule=.=chat;.;endpoint=.=a_b_c;.;llm_policy_requests_total"
        );
        assert_eq!(tag_regex("rule"), r"(rule=\.=(.*?);\.;)");
    }

    #[test]
    fn the_label_list_keeps_its_order_and_every_family_is_named_once() {
        assert_eq!(
            tag_names(),
            [
                "rule",
                "endpoint",
                "outcome",
                "action",
                "code",
                "experiment",
                "arm",
                "class",
                "kind",
                "target",
                "state",
                "reason",
                "track",
                "direction",
                "detector",
                "guard",
                "label",
                "decision",
                "vm"
            ]
        );
        for (i, f) in FAMILIES.iter().enumerate() {
            assert!(f.name.starts_with("llm_policy_"), "{}", f.name);
            assert!(
                FAMILIES[..i].iter().all(|g| g.name != f.name),
                "{} twice",
                f.name
            );
        }
        assert_eq!(REQUESTS.labels, ["rule", "endpoint"]);
        assert!(stats_tags_json()
            .starts_with(r#"[{"tag_name":"rule","regex":"(rule=\\.=(.*?);\\.;)"},"#));
        assert!(catalogue_json().contains(
            r#"{"name":"llm_policy_header_hold_stalls_total","kind":"counter","labels":[],"#
        ));
        assert_eq!(AB_LATENCY.kind, Kind::Histogram);
    }
}
