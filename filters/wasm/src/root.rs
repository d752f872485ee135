//! The root context: reads the policy once per configuration and hands every
//! HTTP context a shared reference to it.

use crate::canary::{CanaryState, TICK_MS};
use crate::http::PolicyHttp;
use crate::metrics::Metrics;
use crate::shared;
use llm_policy_core::policy::Policy;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::rc::Rc;
use std::time::Duration;

#[derive(Default)]
pub struct PolicyRoot {
    policy: Option<Rc<Policy>>,
    metrics: Rc<Metrics>,
    canary: Rc<CanaryState>,
}

impl Context for PolicyRoot {}

impl RootContext for PolicyRoot {
    /// An empty configuration means the embedded default policy. A policy that
    /// does not validate is refused (`false`), with one log line naming the field.
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        let config = self.get_plugin_configuration().unwrap_or_default();
        match Policy::parse(&config) {
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
                self.metrics
                    .count("llm_policy_config_loads_total", &[("outcome", "loaded")], 1);
                self.canary = Rc::new(CanaryState::for_policy(&policy));
                self.canary.create_windows();
                let period = if self.canary.needs_tick() { TICK_MS } else { 0 };
                self.set_tick_period(Duration::from_millis(period));
                self.policy = Some(Rc::new(policy));
                true
            }
            Err(e) => {
                log::error!("policy refused: {e}");
                self.metrics.count(
                    "llm_policy_config_loads_total",
                    &[("outcome", "refused")],
                    1,
                );
                false
            }
        }
    }

    /// Without a policy (never configured successfully) requests pass untouched.
    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(PolicyHttp::new(
            self.policy.clone(),
            Rc::clone(&self.metrics),
            Rc::clone(&self.canary),
        )))
    }

    /// Merges the workers' canary outcomes into the shared windows.
    fn on_tick(&mut self) {
        let now_ms = shared::unix_ms(self.get_current_time());
        self.canary.tick(now_ms, &self.metrics);
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
