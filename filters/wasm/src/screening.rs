//! Screening on the response path: what the filter does with the body it
//! forwards, chosen at response-header time.

use crate::metrics::Metrics;
use llm_policy_core::screen::engine::Outcome;
use llm_policy_core::screen::json_stream::JsonStreamScreener;
use llm_policy_core::screen::stream::StreamScreener;
use llm_policy_core::screen::{Direction, Screener, Tally};

/// How the response body is screened.
pub enum ResponseScreen {
    /// A JSON body: buffered whole (up to the limit), screened, rewritten.
    Json { limit: usize },
    /// A JSON body past the limit: screened as it passes, only its output
    /// strings rewritten.
    JsonStream(Box<JsonStreamScreener>),
    /// An SSE stream: screened event by event as it passes.
    Stream(Box<StreamScreener>),
    /// The body cannot be screened (compressed, unknown type) and the rule
    /// fails closed: it is replaced by an error.
    Refused,
}

/// Counts every finding of `tally` per detector, direction and outcome.
pub fn count_findings(
    metrics: &Metrics,
    rule: &str,
    screener: &Screener,
    dir: Direction,
    tally: &Tally,
) {
    for (entry, outcome, n) in &tally.counts {
        let Some(e) = screener.entries.get(usize::from(*entry)) else {
            continue;
        };
        metrics.count(
            "llm_policy_screening_findings_total",
            &[
                ("rule", rule),
                ("direction", dir.label()),
                ("kind", e.kind),
                ("detector", e.name.as_str()),
                ("action", outcome.label()),
            ],
            i64::from(*n),
        );
    }
}

/// `email=redact, banned=flag`: one entry per detector with its strongest outcome.
pub fn flag_header_value(screener: &Screener, tally: &Tally) -> Option<String> {
    let mut parts: Vec<(String, Outcome)> = Vec::new();
    for (entry, outcome, _) in &tally.counts {
        let Some(e) = screener.entries.get(usize::from(*entry)) else {
            continue;
        };
        match parts.iter_mut().find(|(n, _)| *n == e.name) {
            Some((_, o)) => *o = (*o).max(*outcome),
            None => parts.push((e.name.clone(), *outcome)),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let items: Vec<String> = parts
        .iter()
        .map(|(n, o)| format!("{n}={}", o.label()))
        .collect();
    Some(items.join(", "))
}
