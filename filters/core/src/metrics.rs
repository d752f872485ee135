//! Metric names. Envoy's Wasm ABI has no labels, so labels travel inside the
//! name in Istio's `name=.=value;.;` form and Envoy's `stats_tags` (or Istio's
//! `extraStatTags`) turn them back into Prometheus labels.

/// Every label name the filter uses; each needs one `stats_tags` entry.
pub const TAG_NAMES: &[&str] = &[
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
    "vm",
];

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
}
