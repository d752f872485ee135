//! The `canary` section: a sticky weighted share of subjects sent to the
//! canary pool through the header the Istio VirtualService matches, and the
//! thresholds that halt it on this proxy.

use super::error::PolicyError;
use super::reader::Obj;
use super::subject::{parse_subject_override, SubjectSource};

/// When the canary halts (weight 0 on this proxy) for a cool-down.
#[derive(Debug, Clone, PartialEq)]
pub struct HaltConfig {
    pub window_s: u64,
    /// Canary requests in the window before any judgement.
    pub min_requests: u32,
    /// Halt above this canary error rate (5xx and resets).
    pub max_error_rate: f64,
    /// Halt when the canary's p95 latency is above this.
    pub max_p95_ms: u64,
    /// Halt when the canary's p95 is above this multiple of stable's (stable
    /// needs `min_requests` too).
    pub max_p95_ratio: f64,
    pub cooldown_s: u64,
}

impl Default for HaltConfig {
    /// The reference thresholds: 1% errors, 2 s p95, 1.5× stable.
    fn default() -> Self {
        HaltConfig {
            window_s: 60,
            min_requests: 20,
            max_error_rate: 0.01,
            max_p95_ms: 2000,
            max_p95_ratio: 1.5,
            cooldown_s: 300,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CanaryConfig {
    /// The routing header: `true` for canary, `false` for stable.
    pub header: String,
    /// Share of subjects on the canary, in millionths (5% = 50_000).
    pub weight_ppm: u32,
    pub subject: Option<Vec<SubjectSource>>,
    /// Without a subject: `Some(cookie)` picks at random and sticks with the
    /// cookie; `None` sends the request to stable.
    pub sticky_cookie: Option<String>,
    /// `None`: never halts automatically.
    pub halt: Option<HaltConfig>,
}

pub(super) const FIELDS: &[&str] = &[
    "header",
    "weight_percent",
    "subject",
    "no_subject",
    "cookie",
    "halt",
];

pub(super) fn parse_canary(obj: &Obj) -> Result<CanaryConfig, PolicyError> {
    let percent = obj
        .opt_f64_in("weight_percent", 0.0, 100.0)?
        .ok_or_else(|| PolicyError::new(obj.field_path("weight_percent"), "required, 0 to 100"))?;
    let header = obj
        .opt_nonempty_str("header")?
        .unwrap_or("x-canary")
        .to_ascii_lowercase();
    let cookie = obj
        .opt_nonempty_str("cookie")?
        .unwrap_or("llm-canary")
        .to_string();
    let sticky_cookie = match obj.opt_enum("no_subject", &["stable", "random_sticky"])? {
        Some("random_sticky") => Some(cookie),
        _ => None,
    };
    let subject = parse_subject_override(obj)?;
    let halt = match obj.get("halt") {
        None => Some(HaltConfig::default()),
        Some(serde_json::Value::Bool(false)) => None,
        Some(v) => Some(parse_halt(&Obj::new(
            v,
            &obj.field_path("halt"),
            HALT_FIELDS,
        )?)?),
    };
    Ok(CanaryConfig {
        header,
        weight_ppm: (percent * 10_000.0).round() as u32,
        subject,
        sticky_cookie,
        halt,
    })
}

const HALT_FIELDS: &[&str] = &[
    "window_s",
    "min_requests",
    "max_error_rate",
    "max_p95_ms",
    "max_p95_ratio",
    "cooldown_s",
];

fn parse_halt(obj: &Obj) -> Result<HaltConfig, PolicyError> {
    let mut h = HaltConfig::default();
    if let Some(n) = obj.opt_u64_in("window_s", 2, 86_400)? {
        h.window_s = n;
    }
    if let Some(n) = obj.opt_u64_in("min_requests", 1, 1_000_000)? {
        h.min_requests = n as u32;
    }
    if let Some(x) = obj.opt_f64_in("max_error_rate", 0.0, 1.0)? {
        h.max_error_rate = x;
    }
    if let Some(n) = obj.opt_u64_in("max_p95_ms", 1, 3_600_000)? {
        h.max_p95_ms = n;
    }
    if let Some(x) = obj.opt_f64_in("max_p95_ratio", 1.0, 1000.0)? {
        h.max_p95_ratio = x;
    }
    if let Some(n) = obj.opt_u64_in("cooldown_s", 1, 86_400)? {
        h.cooldown_s = n;
    }
    Ok(h)
}
