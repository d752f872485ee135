//! From what a guard answered to what we do.
//!
//! A rule names a label (a moderation category, a classifier class, a
//! Llama Guard code such as `S1`, a Presidio entity type), or `flagged` (the
//! guard's own verdict: `results[].flagged`, Llama Guard's `unsafe`), or `*`
//! (any label); it applies when the label's score is at least `min_score`.
//! The strongest action of the rules that apply wins: block, then redact
//! (Presidio spans only), then flag, then monitor.

use super::protocol::{Assessment, EntitySpan};

/// What a rule does to the message it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GuardAction {
    /// Counted in metrics only.
    Monitor,
    /// Counted and reported in the `x-llm-policy-flags` header; the text passes.
    Flag,
    /// The spans are replaced in the redaction style of the route.
    Redact,
    /// The request (or output) is refused with an OpenAI-shaped error.
    Block,
}

impl GuardAction {
    pub fn parse(s: &str) -> Option<GuardAction> {
        match s {
            "monitor" => Some(GuardAction::Monitor),
            "flag" => Some(GuardAction::Flag),
            "redact" => Some(GuardAction::Redact),
            "block" => Some(GuardAction::Block),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GuardAction::Monitor => "monitor",
            GuardAction::Flag => "flag",
            GuardAction::Redact => "redact",
            GuardAction::Block => "block",
        }
    }
}

/// The label that means the guard's own verdict.
pub const FLAGGED: &str = "flagged";
/// The label that means any label.
pub const ANY: &str = "*";

#[derive(Debug, Clone, PartialEq)]
pub struct VerdictRule {
    pub label: String,
    pub min_score: f64,
    pub action: GuardAction,
}

impl VerdictRule {
    fn matches(&self, label: &str, score: f64) -> bool {
        (self.label == ANY || self.label.eq_ignore_ascii_case(label)) && score >= self.min_score
    }
}

/// What the rules make of one message's assessment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    /// The strongest action that applied; None: the message passes unremarked.
    pub action: Option<GuardAction>,
    /// The labels that applied, with the action each got (for metrics and the
    /// flags header), strongest first.
    pub labels: Vec<(String, GuardAction)>,
    /// Spans to redact (when the action is redact and the guard found spans).
    pub redact: Vec<EntitySpan>,
}

/// Applies `rules` to `assessment`.
pub fn decide(rules: &[VerdictRule], assessment: &Assessment) -> Decision {
    let mut decision = Decision::default();
    let note = |label: &str, action: GuardAction, decision: &mut Decision| {
        decision.action = decision.action.max(Some(action));
        match decision.labels.iter_mut().find(|(l, _)| l == label) {
            Some((_, a)) => *a = (*a).max(action),
            None => decision.labels.push((label.to_string(), action)),
        }
    };
    for rule in rules {
        if rule.label == FLAGGED {
            if assessment.flagged {
                note(FLAGGED, rule.action, &mut decision);
            }
            continue;
        }
        for (label, score) in &assessment.labels {
            if rule.matches(label, *score) {
                note(label, rule.action, &mut decision);
            }
        }
        for span in &assessment.spans {
            if rule.matches(&span.entity, span.score) {
                note(&span.entity, rule.action, &mut decision);
                if rule.action == GuardAction::Redact && !decision.redact.contains(span) {
                    decision.redact.push(span.clone());
                }
            }
        }
    }
    crate::cold_sort::sort_stable_by(&mut decision.labels, |a, b| {
        b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
    });
    crate::cold_sort::sort_stable_by(&mut decision.redact, |a, b| {
        (a.start, a.end).cmp(&(b.start, b.end))
    });
    decision
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn rule(label: &str, min_score: f64, action: GuardAction) -> VerdictRule {
        VerdictRule {
            label: label.into(),
            min_score,
            action,
        }
    }

    fn labels(pairs: &[(&str, f64)]) -> Assessment {
        Assessment {
            flagged: false,
            labels: pairs.iter().map(|(l, s)| (l.to_string(), *s)).collect(),
            spans: Vec::new(),
        }
    }

    #[test]
    fn the_strongest_action_that_applies_wins() {
        let rules = [
            rule("violence", 0.5, GuardAction::Flag),
            rule("violence", 0.9, GuardAction::Block),
            rule("hate", 0.5, GuardAction::Monitor),
        ];
        let d = decide(&rules, &labels(&[("violence", 0.95), ("hate", 0.6)]));
        assert_eq!(d.action, Some(GuardAction::Block));
        assert_eq!(
            d.labels,
            vec![
                ("violence".to_string(), GuardAction::Block),
                ("hate".to_string(), GuardAction::Monitor)
            ]
        );
        let d = decide(&rules, &labels(&[("violence", 0.7), ("hate", 0.1)]));
        assert_eq!(d.action, Some(GuardAction::Flag));
    }

    #[test]
    fn scores_below_the_threshold_pass() {
        let rules = [rule("*", 0.8, GuardAction::Block)];
        assert_eq!(decide(&rules, &labels(&[("violence", 0.79)])).action, None);
    }

    #[test]
    fn flagged_follows_the_guards_own_verdict_only() {
        let rules = [rule(FLAGGED, 0.0, GuardAction::Block)];
        let mut a = labels(&[("violence", 0.99)]);
        assert_eq!(decide(&rules, &a).action, None);
        a.flagged = true;
        assert_eq!(decide(&rules, &a).action, Some(GuardAction::Block));
    }

    #[test]
    fn labels_compare_without_case() {
        let rules = [rule("INJECTION", 0.5, GuardAction::Block)];
        assert_eq!(
            decide(&rules, &labels(&[("injection", 0.9)])).action,
            Some(GuardAction::Block)
        );
    }

    #[test]
    fn redaction_collects_the_spans_its_rules_cover() {
        let span = |entity: &str, start, end, score| EntitySpan {
            entity: entity.into(),
            start,
            end,
            score,
        };
        let a = Assessment {
            flagged: true,
            labels: Vec::new(),
            spans: vec![
                span("LOCATION", 20, 26, 0.85),
                span("PERSON", 0, 5, 0.85),
                span("PERSON", 30, 34, 0.3),
            ],
        };
        let rules = [
            rule("PERSON", 0.5, GuardAction::Redact),
            rule("LOCATION", 0.5, GuardAction::Flag),
        ];
        let d = decide(&rules, &a);
        assert_eq!(d.action, Some(GuardAction::Redact));
        assert_eq!(d.redact, vec![span("PERSON", 0, 5, 0.85)]);
    }
}
