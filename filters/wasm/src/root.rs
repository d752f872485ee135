//! The root context: reads the policy once per configuration and hands every
//! HTTP context a shared reference to it.

use crate::canary::{CanaryState, TICK_MS};
use crate::circuit::Breakers;
use crate::hold::{self, HoldState};
use crate::host::{Host, ProxyWasm};
use crate::http::PolicyHttp;
use crate::metrics::Metrics;
use crate::shared;
use llm_policy_core::guard::round::GuardCaches;
use llm_policy_core::policy::Policy;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

pub struct PolicyRoot {
    host: Rc<dyn Host>,
    policy: Option<Rc<Policy>>,
    metrics: Rc<Metrics>,
    canary: Rc<CanaryState>,
    /// This worker's copies of the circuit breakers, refreshed on the tick.
    breakers: Rc<Breakers>,
    /// Whether request headers are held until the body is judged (see [`hold`]).
    hold: Rc<HoldState>,
    /// Unix ms of the last canary tick, when ticks come faster for holding.
    last_canary_tick_ms: u64,
    /// Unix ms of the last `llm_policy_vm_memory_bytes` report.
    last_memory_ms: u64,
    /// Guard verdicts of this worker, keyed by a secret drawn per VM.
    guard_caches: Rc<RefCell<GuardCaches>>,
}

/// 16 random bytes: the key of this VM's guard verdict caches.
fn cache_key() -> [u8; 16] {
    let mut key = [0u8; 16];
    for b in &mut key {
        *b = fastrand::u8(..);
    }
    key
}

impl PolicyRoot {
    /// The root over `host` (Envoy's, in the filter).
    pub fn new(host: Rc<dyn Host>) -> PolicyRoot {
        PolicyRoot {
            metrics: Rc::new(Metrics::new(&host)),
            host,
            policy: None,
            canary: Rc::default(),
            breakers: Rc::default(),
            hold: Rc::default(),
            last_canary_tick_ms: 0,
            last_memory_ms: 0,
            guard_caches: Rc::new(RefCell::new(GuardCaches::new(cache_key()))),
        }
    }
}

impl Default for PolicyRoot {
    fn default() -> Self {
        PolicyRoot::new(Rc::new(ProxyWasm))
    }
}

/// A random label for this VM's memory gauge: each worker runs its own VM.
fn vm_label() -> &'static str {
    thread_local! {
        static LABEL: &'static str = Box::leak(format!("{:08x}", fastrand::u32(..)).into_boxed_str());
    }
    LABEL.with(|l| *l)
}

/// The VM's linear memory in bytes (it never shrinks: the peak stays).
fn linear_memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) as u64) * 65536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

impl Context for PolicyRoot {
    /// The VM is going away: the counts kept since the last tick go now.
    fn on_done(&mut self) -> bool {
        self.metrics.flush();
        true
    }
}

impl RootContext for PolicyRoot {
    /// An empty configuration means the embedded default policy. A policy that
    /// does not validate is refused (`false`), with one log line naming the field.
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        let config = self.get_plugin_configuration().unwrap_or_default();
        match Policy::parse_with_env(&config, &|name| std::env::var(name).ok()) {
            Ok(policy) => {
                log::info!(
                    "policy revision {} loaded ({} route rules{})",
                    policy.revision,
                    policy.routes.len(),
                    if config.is_empty() {
                        ", embedded default"
                    } else {
                        ""
                    }
                );
                self.metrics.config_loads.add(["loaded"], 1);
                self.canary = Rc::new(CanaryState::for_policy(&policy));
                self.canary.create_windows(&*self.host);
                let holding = HoldState::env_enables(std::env::var(hold::HOLD_ENV).ok().as_deref());
                if holding != self.hold.enabled() || self.policy.is_none() {
                    log::info!(
                        "request headers {} (the VM environment has {}={})",
                        if holding {
                            "are held until the body is judged: the Envoy config must set allow_on_headers_stop_iteration"
                        } else {
                            "continue at once; a refused body resets the upstream request"
                        },
                        hold::HOLD_ENV,
                        holding
                    );
                }
                self.hold = Rc::new(HoldState::new(holding));
                // Always a tick: it flushes the counters (see [`crate::metrics`]).
                let period = if holding { hold::TICK_MS } else { TICK_MS };
                self.set_tick_period(Duration::from_millis(period));
                self.policy = Some(Rc::new(policy));
                self.metrics.flush();
                true
            }
            Err(e) => {
                log::error!("policy refused: {e}");
                self.metrics.config_loads.add(["refused"], 1);
                self.metrics.flush();
                false
            }
        }
    }

    /// Without a policy (never configured successfully) requests pass untouched.
    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(PolicyHttp::new(
            Rc::clone(&self.host),
            self.policy.clone(),
            Rc::clone(&self.metrics),
            Rc::clone(&self.canary),
            Rc::clone(&self.breakers),
            Rc::clone(&self.hold),
            Rc::clone(&self.guard_caches),
            context_id,
        )))
    }

    /// Flushes the counters; merges the workers' canary outcomes into the
    /// shared windows and refreshes the breaker copies (every second);
    /// resumes held requests that stalled (see [`hold`]).
    fn on_tick(&mut self) {
        let now_ms = shared::unix_ms(self.host.now());
        if self.hold.enabled() {
            let report = self.hold.tick(&*self.host, now_ms);
            if report.resumed > 0 {
                self.metrics
                    .header_hold_stalls
                    .add([], i64::from(report.resumed));
            }
            if report.stopped {
                log::error!(
                    "{} is set but held requests got no body callbacks: the Envoy config does not set \
                     allow_on_headers_stop_iteration; this worker stops holding request headers",
                    hold::HOLD_ENV
                );
            }
        }
        if now_ms.saturating_sub(self.last_memory_ms) >= TICK_MS {
            self.last_memory_ms = now_ms;
            self.metrics
                .vm_memory
                .set([vm_label()], linear_memory_bytes());
        }
        if now_ms.saturating_sub(self.last_canary_tick_ms) >= TICK_MS {
            self.last_canary_tick_ms = now_ms;
            if self.canary.needs_tick() {
                self.canary.tick(&*self.host, now_ms, &self.metrics);
            }
            self.breakers.refresh(&*self.host);
        }
        self.metrics.flush();
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
