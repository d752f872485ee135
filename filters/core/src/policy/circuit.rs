//! The `circuit` section: when to stop sending traffic to a failing pool,
//! and Envoy's per-request retry and timeout headers.

use super::error::PolicyError;
use super::reader::Obj;
use super::route_match::HeaderMatch;

/// What a breaker is kept per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerKey {
    /// Envoy's upstream cluster of the request (after the filter's routing headers).
    Cluster,
    /// The route rule.
    Rule,
}

/// Envoy per-request retry/timeout headers set by the filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RetryHeaders {
    pub max_retries: Option<u64>,
    pub retry_on: Option<String>,
    pub timeout_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CircuitConfig {
    pub per: BreakerKey,
    /// Failures in a row that open the breaker; 0 turns this trigger off.
    pub consecutive_failures: u32,
    /// `(threshold 0..1, min_requests)` within the window.
    pub failure_rate: Option<(f64, u32)>,
    pub window_s: u64,
    pub open_s: u64,
    pub half_open_probes: u32,
    pub close_after: u32,
    /// Statuses below 500 that count as failures (vLLM overload: 429).
    pub failure_statuses: Vec<u16>,
    /// When open, set this header (Envoy re-matches the route) instead of a 503.
    pub fallback: Option<HeaderMatch>,
    pub retry: RetryHeaders,
    /// No first response byte within this: a failure (the request is not cut).
    pub first_token_timeout_ms: Option<u64>,
    /// A silence between response chunks longer than this: a failure.
    pub stream_idle_timeout_ms: Option<u64>,
}

impl Default for CircuitConfig {
    /// The reference defaults: 5 failures to open, 2 successes to close, 60 s open.
    fn default() -> Self {
        CircuitConfig {
            per: BreakerKey::Cluster,
            consecutive_failures: 5,
            failure_rate: None,
            window_s: 60,
            open_s: 60,
            half_open_probes: 1,
            close_after: 2,
            failure_statuses: vec![429],
            fallback: None,
            retry: RetryHeaders::default(),
            first_token_timeout_ms: None,
            stream_idle_timeout_ms: None,
        }
    }
}

/// Lays the fields `obj` sets over `base` (a route's section over the top-level one).
pub(super) fn parse_circuit(obj: &Obj, base: CircuitConfig) -> Result<CircuitConfig, PolicyError> {
    let mut c = base;
    if let Some(per) = obj.opt_enum("per", &["cluster", "rule"])? {
        c.per = if per == "rule" {
            BreakerKey::Rule
        } else {
            BreakerKey::Cluster
        };
    }
    let small = |v: u64| v as u32;
    if let Some(n) = obj.opt_u64_in("consecutive_failures", 0, 10_000)? {
        c.consecutive_failures = small(n);
    }
    if let Some(v) = obj.get("failure_rate") {
        let r = Obj::new(
            v,
            &obj.field_path("failure_rate"),
            &["threshold", "min_requests"],
        )?;
        let threshold = r
            .opt_f64_in("threshold", 0.0, 1.0)?
            .ok_or_else(|| PolicyError::new(r.field_path("threshold"), "required, 0 to 1"))?;
        let min = r.opt_u64_in("min_requests", 1, 1_000_000)?.unwrap_or(20);
        c.failure_rate = Some((threshold, small(min)));
    }
    if let Some(n) = obj.opt_u64_in("window_s", 1, 86_400)? {
        c.window_s = n;
    }
    if let Some(n) = obj.opt_u64_in("open_s", 1, 86_400)? {
        c.open_s = n;
    }
    if let Some(n) = obj.opt_u64_in("half_open_probes", 1, 1000)? {
        c.half_open_probes = small(n);
    }
    if let Some(n) = obj.opt_u64_in("close_after", 1, 1000)? {
        c.close_after = small(n);
    }
    if let Some(list) = obj.opt_array("failure_statuses")? {
        c.failure_statuses = Vec::new();
        for (i, v) in list.iter().enumerate() {
            match v.as_u64().filter(|s| (100..600).contains(s)) {
                Some(s) => c.failure_statuses.push(s as u16),
                None => {
                    return Err(PolicyError::new(
                        format!("{}[{i}]", obj.field_path("failure_statuses")),
                        "expected an HTTP status 100-599",
                    ))
                }
            }
        }
    }
    if let Some(v) = obj.get("fallback") {
        let f = Obj::new(v, &obj.field_path("fallback"), &["header"])?;
        let header = f
            .get("header")
            .ok_or_else(|| PolicyError::new(f.field_path("header"), "required"))?;
        let m = HeaderMatch::parse(header, &f.field_path("header"))?;
        if m.value.is_none() {
            return Err(PolicyError::new(f.field_path("header.value"), "required"));
        }
        c.fallback = Some(m);
    }
    if let Some(n) = obj.opt_u64_in("first_token_timeout_ms", 1, 3_600_000)? {
        c.first_token_timeout_ms = Some(n);
    }
    if let Some(n) = obj.opt_u64_in("stream_idle_timeout_ms", 1, 3_600_000)? {
        c.stream_idle_timeout_ms = Some(n);
    }
    if let Some(v) = obj.get("retry") {
        let r = Obj::new(
            v,
            &obj.field_path("retry"),
            &["max_retries", "retry_on", "timeout_ms"],
        )?;
        c.retry = RetryHeaders {
            max_retries: r.opt_u64_in("max_retries", 0, 10)?,
            retry_on: r.opt_nonempty_str("retry_on")?.map(str::to_string),
            timeout_ms: r.opt_u64_in("timeout_ms", 1, 3_600_000)?,
        };
    }
    Ok(c)
}

/// The fields of a `circuit` section.
pub(super) const FIELDS: &[&str] = &[
    "per",
    "consecutive_failures",
    "failure_rate",
    "window_s",
    "open_s",
    "half_open_probes",
    "close_after",
    "failure_statuses",
    "fallback",
    "retry",
    "first_token_timeout_ms",
    "stream_idle_timeout_ms",
];
