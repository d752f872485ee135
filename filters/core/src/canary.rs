//! Canary routing: which track a request takes, and the per-proxy window of
//! canary vs stable outcomes that halts a misbehaving canary.

use crate::policy::{CanaryConfig, HaltConfig};

/// How the track was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackHow {
    /// A trusted caller sent `x-canary: true|false`.
    Forced,
    /// By the subject's sticky bucket.
    Sticky,
    /// No subject: stable.
    NoSubject,
    /// No subject: random, made sticky with a new cookie.
    NewCookie,
    /// The canary is halted on this proxy: stable.
    Halted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackChoice {
    pub canary: bool,
    pub how: TrackHow,
    /// `(cookie, value)` to set for a new random-sticky identity.
    pub set_cookie: Option<(String, String)>,
    /// The subject it was placed by (`Sticky` only; the caller fills it in,
    /// see `flow::RequestPlan::choose_canary`).
    pub subject: Option<crate::subject::Subject>,
}

/// The subject's position in millionths: `md5("canary:{subject}") mod 1e6`.
pub fn canary_bucket(subject: &str) -> u32 {
    let mut ctx = md5::Context::new();
    ctx.consume(b"canary:");
    ctx.consume(subject.as_bytes());
    (u128::from_be_bytes(ctx.finalize().0) % 1_000_000) as u32
}

/// Chooses the track. `forced` is the routing header's value from a trusted
/// caller; `subject` the resolved subject (or the sticky cookie's value).
pub fn choose_track(
    cfg: &CanaryConfig,
    subject: Option<&str>,
    forced: Option<&str>,
    halted: bool,
    random_id: &mut dyn FnMut() -> String,
) -> TrackChoice {
    let choice = |canary, how| TrackChoice {
        canary,
        how,
        set_cookie: None,
        subject: None,
    };
    match forced.map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("true") => return choice(true, TrackHow::Forced),
        Some(v) if v.eq_ignore_ascii_case("false") => return choice(false, TrackHow::Forced),
        _ => {}
    }
    if halted {
        return choice(false, TrackHow::Halted);
    }
    match (subject, &cfg.sticky_cookie) {
        (Some(s), _) => choice(canary_bucket(s) < cfg.weight_ppm, TrackHow::Sticky),
        (None, None) => choice(false, TrackHow::NoSubject),
        (None, Some(cookie)) => {
            let id = random_id();
            TrackChoice {
                canary: canary_bucket(&id) < cfg.weight_ppm,
                how: TrackHow::NewCookie,
                set_cookie: Some((cookie.clone(), id)),
                subject: None,
            }
        }
    }
}

/// Upper bounds (ms) of the latency buckets used for p95; the last is open.
const BOUNDS_MS: [u64; 16] = [
    25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 20_000, 60_000,
];
const BUCKETS: usize = BOUNDS_MS.len() + 1;

/// Outcomes of one track in one half-window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct TrackStats {
    requests: u32,
    errors: u32,
    latency: [u32; BUCKETS],
}

impl TrackStats {
    fn add(&self, other: &TrackStats) -> TrackStats {
        let mut sum = *self;
        sum.requests += other.requests;
        sum.errors += other.errors;
        for (a, b) in sum.latency.iter_mut().zip(other.latency.iter()) {
            *a += b;
        }
        sum
    }

    /// The upper bound of the bucket holding the 95th percentile (u64::MAX if open).
    fn p95_ms(&self) -> u64 {
        let rank = (u64::from(self.requests) * 95).div_ceil(100);
        let mut seen = 0u64;
        for (i, n) in self.latency.iter().enumerate() {
            seen += u64::from(*n);
            if seen >= rank && rank > 0 {
                return BOUNDS_MS.get(i).copied().unwrap_or(u64::MAX);
            }
        }
        0
    }
}

/// Outcomes one worker gathered between two ticks: stable (0) and canary (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CanaryDelta {
    tracks: [TrackStats; 2],
}

impl CanaryDelta {
    pub fn add(&mut self, canary: bool, failure: bool, latency_ms: u64) {
        let track = &mut self.tracks[usize::from(canary)];
        track.requests += 1;
        track.errors += u32::from(failure);
        let bucket = BOUNDS_MS
            .iter()
            .position(|b| latency_ms <= *b)
            .unwrap_or(BUCKETS - 1);
        track.latency[bucket] += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.tracks.iter().all(|t| t.requests == 0)
    }
}

/// Why the canary halted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HaltReason {
    ErrorRate(f64),
    P95(u64),
    P95VsStable(u64, u64),
}

/// Canary and stable outcomes over a sliding window made of two halves,
/// plus the halt deadline. Kept in shared data by the adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CanaryWindow {
    half_start_ms: u64,
    current: [TrackStats; 2],
    previous: [TrackStats; 2],
    pub halted_until_ms: u64,
}

impl CanaryWindow {
    pub fn halted(&self, now_ms: u64) -> bool {
        now_ms < self.halted_until_ms
    }

    /// Adds one finished request; returns why the canary halts, if it now does.
    pub fn record(
        &mut self,
        now_ms: u64,
        canary: bool,
        failure: bool,
        latency_ms: u64,
        cfg: &HaltConfig,
    ) -> Option<HaltReason> {
        let mut delta = CanaryDelta::default();
        delta.add(canary, failure, latency_ms);
        self.merge(now_ms, &delta, cfg)
    }

    /// Adds the outcomes one worker gathered since its last tick; returns why
    /// the canary halts, if it now does.
    pub fn merge(
        &mut self,
        now_ms: u64,
        delta: &CanaryDelta,
        cfg: &HaltConfig,
    ) -> Option<HaltReason> {
        let half = cfg.window_s * 500;
        if now_ms >= self.half_start_ms + 2 * half {
            self.previous = Default::default();
            self.current = Default::default();
            self.half_start_ms = now_ms;
        } else if now_ms >= self.half_start_ms + half {
            self.previous = self.current;
            self.current = Default::default();
            self.half_start_ms += half;
        }
        for (track, add) in self.current.iter_mut().zip(delta.tracks.iter()) {
            *track = track.add(add);
        }
        if delta.tracks[1].requests == 0 || self.halted(now_ms) {
            return None;
        }
        let reason = self.judge(cfg)?;
        self.halted_until_ms = now_ms + cfg.cooldown_s * 1000;
        self.current[1] = TrackStats::default();
        self.previous[1] = TrackStats::default();
        Some(reason)
    }

    fn judge(&self, cfg: &HaltConfig) -> Option<HaltReason> {
        let canary = self.current[1].add(&self.previous[1]);
        let stable = self.current[0].add(&self.previous[0]);
        if canary.requests < cfg.min_requests {
            return None;
        }
        let error_rate = f64::from(canary.errors) / f64::from(canary.requests);
        if error_rate > cfg.max_error_rate {
            return Some(HaltReason::ErrorRate(error_rate));
        }
        let p95 = canary.p95_ms();
        if p95 > cfg.max_p95_ms {
            return Some(HaltReason::P95(p95));
        }
        let stable_p95 = stable.p95_ms();
        let slower = stable.requests >= cfg.min_requests
            && (p95 as f64) > cfg.max_p95_ratio * (stable_p95 as f64);
        slower.then_some(HaltReason::P95VsStable(p95, stable_p95))
    }

    /// Compact text form kept in shared data.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = format!("1 {} {}", self.half_start_ms, self.halted_until_ms);
        for t in self.current.iter().chain(self.previous.iter()) {
            out.push_str(&format!(" {} {}", t.requests, t.errors));
            for n in t.latency {
                out.push_str(&format!(" {n}"));
            }
        }
        out.into_bytes()
    }

    /// Decodes [`CanaryWindow::encode`]; anything else is an empty window.
    pub fn decode(bytes: &[u8]) -> CanaryWindow {
        let text = std::str::from_utf8(bytes).unwrap_or("");
        let n: Vec<u64> = text.split(' ').filter_map(|p| p.parse().ok()).collect();
        let per_track = 2 + BUCKETS;
        if n.len() != 3 + 4 * per_track || n[0] != 1 {
            return CanaryWindow::default();
        }
        let small = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        let track = |k: usize| {
            let base = 3 + k * per_track;
            let mut t = TrackStats {
                requests: small(n[base]),
                errors: small(n[base + 1]),
                latency: [0; BUCKETS],
            };
            for (i, slot) in t.latency.iter_mut().enumerate() {
                *slot = small(n[base + 2 + i]);
            }
            t
        };
        CanaryWindow {
            half_start_ms: n[1],
            halted_until_ms: n[2],
            current: [track(0), track(1)],
            previous: [track(2), track(3)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn cfg(percent: f64) -> CanaryConfig {
        CanaryConfig {
            header: "x-canary".into(),
            weight_ppm: (percent * 10_000.0) as u32,
            subject: None,
            sticky_cookie: None,
            halt: Some(HaltConfig::default()),
        }
    }

    #[test]
    fn sticky_share_close_to_the_weight_including_fractions() {
        for percent in [0.5, 5.0, 50.0] {
            let c = cfg(percent);
            let n = 100_000;
            let on = (0..n)
                .filter(|i| {
                    choose_track(&c, Some(&format!("u{i}")), None, false, &mut String::new).canary
                })
                .count() as f64;
            let share = on * 100.0 / n as f64;
            assert!(
                (share - percent).abs() < percent * 0.1 + 0.05,
                "{percent}% gave {share}%"
            );
        }
    }

    #[test]
    fn forced_halted_and_no_subject() {
        let mut c = cfg(100.0);
        assert!(!choose_track(&c, Some("u"), Some("false"), false, &mut String::new).canary);
        assert!(choose_track(&cfg(0.0), Some("u"), Some("TRUE"), true, &mut String::new).canary);
        let halted = choose_track(&c, Some("u"), None, true, &mut String::new);
        assert_eq!((halted.canary, halted.how), (false, TrackHow::Halted));
        assert_eq!(
            choose_track(&c, None, None, false, &mut String::new).how,
            TrackHow::NoSubject
        );
        c.sticky_cookie = Some("llm-canary".into());
        let fresh = choose_track(&c, None, None, false, &mut || "r1".into());
        assert_eq!(fresh.set_cookie, Some(("llm-canary".into(), "r1".into())));
        assert!(fresh.canary);
    }

    #[test]
    fn halts_on_error_rate_after_the_minimum_then_cools_down() {
        let h = HaltConfig {
            min_requests: 5,
            cooldown_s: 10,
            ..HaltConfig::default()
        };
        let mut w = CanaryWindow::default();
        for i in 0..4 {
            assert_eq!(
                w.record(1000 + i, true, true, 10, &h),
                None,
                "below the minimum"
            );
        }
        assert!(matches!(
            w.record(1004, true, true, 10, &h),
            Some(HaltReason::ErrorRate(_))
        ));
        assert!(w.halted(1005) && !w.halted(11_004));
        assert_eq!(CanaryWindow::decode(&w.encode()), w);
    }

    #[test]
    fn halts_on_p95_absolute_and_relative_to_stable() {
        let h = HaltConfig {
            min_requests: 20,
            ..HaltConfig::default()
        };
        let mut slow = CanaryWindow::default();
        let mut reason = None;
        for i in 0..20 {
            reason = slow.record(i, true, false, 2600, &h);
        }
        assert_eq!(reason, Some(HaltReason::P95(3000)));
        let mut w = CanaryWindow::default();
        for i in 0..20 {
            assert_eq!(w.record(i, false, false, 180, &h), None);
        }
        let mut reason = None;
        for i in 0..20 {
            reason = reason.or(w.record(100 + i, true, false, 450, &h));
        }
        assert_eq!(reason, Some(HaltReason::P95VsStable(500, 200)));
    }

    #[test]
    fn a_worker_delta_merges_like_single_records() {
        let h = HaltConfig {
            min_requests: 5,
            ..HaltConfig::default()
        };
        let mut delta = CanaryDelta::default();
        (0..4).for_each(|_| delta.add(true, true, 10));
        delta.add(false, false, 10);
        assert!(!delta.is_empty());
        let mut w = CanaryWindow::default();
        assert_eq!(
            w.merge(1, &delta, &h),
            None,
            "4 canary requests: below the minimum"
        );
        let mut more = CanaryDelta::default();
        more.add(true, true, 10);
        assert!(matches!(
            w.merge(2, &more, &h),
            Some(HaltReason::ErrorRate(_))
        ));
    }

    #[test]
    fn old_outcomes_slide_out_of_the_window() {
        let h = HaltConfig {
            min_requests: 3,
            window_s: 10,
            ..HaltConfig::default()
        };
        let mut w = CanaryWindow::default();
        w.record(0, true, true, 10, &h);
        w.record(1, true, true, 10, &h);
        // 20 s later both failures are gone: two more do not reach the minimum.
        assert_eq!(w.record(20_000, true, true, 10, &h), None);
        assert_eq!(w.record(20_001, true, true, 10, &h), None);
        assert!(w.record(20_002, true, true, 10, &h).is_some());
        assert_eq!(CanaryWindow::decode(b"garbage"), CanaryWindow::default());
    }
}
