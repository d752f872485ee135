//! The root context: reads the policy once per configuration and hands every
//! HTTP context a shared reference to it.
//!
//! Compiling a policy that screens costs a VM megabytes of linear memory for
//! good (the phrase automaton's build peak; wasm memory never shrinks), and
//! Envoy configures the same document in several VMs of one process: the
//! configuration canary (a throw-away clone whose answer decides whether
//! Envoy accepts the document), then, through a thread-local slot, the main
//! thread's VM, which never serves a request, and the workers' VMs (at
//! startup they run after the main thread's; on a reload they may run
//! first). So:
//! - a VM that finds no mark for its document (the canary) compiles it and
//!   marks it compiled in shared data ([`COMPILED_KEY`]: the exact bytes and
//!   the environment variables the compile read, with their values), unclaimed;
//! - a VM that finds the mark, and the same values in its environment,
//!   accepts the document without compiling it (the same inputs compile the
//!   same way, so it would be accepted: the canary's answer) when it has
//!   never served a request and either deferred a document before or is the
//!   first to claim this mark (compare-and-swap): at startup the main
//!   thread's VM, and on every reload that VM again. It compiles the
//!   document when its first HTTP context is created, which for the main
//!   thread's VM is never; until then it keeps the policy it had;
//! - every other VM (the workers) compiles at configuration, as before.
//!
//! A worker that wins the claim at startup (it ran before the main thread's
//! VM) compiles on its first request instead, and the main thread's VM
//! compiles for nothing: the cost of before, never a different policy.

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
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

pub struct PolicyRoot {
    host: Rc<dyn Host>,
    /// Looks up a VM environment variable (`*_env` fields, the hold switch).
    env: Rc<EnvFn>,
    /// The policy HTTP contexts get, and the canary state made from it.
    active: RefCell<Active>,
    /// A document another VM of this process compiled: this VM compiles it
    /// when its first HTTP context is created (see the module docs).
    pending: RefCell<Option<Vec<u8>>>,
    /// Whether some configuration was accepted (the hold log line comes once).
    configured: bool,
    /// What this VM has done (see the module docs).
    vm: Rc<VmHistory>,
    metrics: Rc<Metrics>,
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

/// A VM environment lookup.
type EnvFn = dyn Fn(&str) -> Option<String>;

/// The loaded policy (`None`: requests pass untouched) and its canary state.
#[derive(Default)]
struct Active {
    policy: Option<Rc<Policy>>,
    canary: Rc<CanaryState>,
}

/// The shared-data key of the mark: the document last compiled by a VM
/// that found no mark for it, with the environment variables its compile
/// read. The value is [`COMPILED_MARK`], [`UNCLAIMED`] or [`CLAIMED`], the
/// variables ([`EnvReads`]), then the document, compared in full. One key,
/// so reloads do not pile documents up in shared data; a VM that finds
/// another document there (two plugins configuring at once), or whose
/// environment gives one of the variables another value, compiles at
/// configuration, as before.
const COMPILED_KEY: &str = "llm-policy.compiled";

/// The first byte of a mark: a value is never empty (the host hands an
/// empty value back as none), even for the empty document.
const COMPILED_MARK: u8 = b'=';
/// No VM has accepted the document without compiling it yet.
const UNCLAIMED: u8 = b'0';
/// One VM has (see the module docs).
const CLAIMED: u8 = b'1';

/// The environment variables a compile looked up, with what it found: with
/// the document, everything a compile reads.
type EnvReads = Vec<(String, Option<String>)>;

fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn mark(state: u8, reads: &EnvReads, config: &[u8]) -> Vec<u8> {
    let mut value = vec![COMPILED_MARK, state];
    value.extend_from_slice(&u32::try_from(reads.len()).unwrap_or(u32::MAX).to_le_bytes());
    for (name, found) in reads {
        push_bytes(&mut value, name.as_bytes());
        match found {
            Some(v) => {
                value.push(1);
                push_bytes(&mut value, v.as_bytes());
            }
            None => value.push(0),
        }
    }
    value.extend_from_slice(config);
    value
}

/// Reads bytes off the front of a mark.
struct MarkReader<'a>(&'a [u8]);

impl<'a> MarkReader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }
    fn byte(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
    fn len(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        let n = u32::from_le_bytes([*b.first()?, *b.get(1)?, *b.get(2)?, *b.get(3)?]);
        usize::try_from(n).ok()
    }
    fn string(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

/// A mark's state, variables and document; `None` when it is not a mark.
fn parse_mark(value: &[u8]) -> Option<(u8, EnvReads, &[u8])> {
    let mut r = MarkReader(value);
    if r.byte()? != COMPILED_MARK {
        return None;
    }
    let state = r.byte()?;
    let count = r.len()?;
    let mut reads = Vec::new();
    for _ in 0..count {
        let name = r.string()?;
        let found = match r.byte()? {
            0 => None,
            _ => Some(r.string()?),
        };
        reads.push((name, found));
    }
    Some((state, reads, r.0))
}

/// What this VM does with a document, as the marks of the others decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    /// No VM compiled it: compile, then mark it compiled and unclaimed.
    CompileAndMark,
    /// Another VM compiled it and this one claimed it: compile it at the
    /// first HTTP context.
    Defer,
    /// Another VM compiled it and another claimed it: compile.
    Compile,
}

/// What one VM (all its root contexts, one per plugin configuration) has
/// done, for [`load_for`].
#[derive(Debug, Default)]
struct VmHistory {
    /// Some root context created an HTTP context: a worker's VM.
    served: Cell<bool>,
    /// Some root context accepted a document without compiling it.
    deferred: Cell<bool>,
}

thread_local! {
    /// This VM's history (a VM runs on one thread).
    static VM_HISTORY: Rc<VmHistory> = Rc::default();
}

/// Reads `config`'s mark, and claims it when `vm` may defer (module docs).
fn load_for(host: &dyn Host, config: &[u8], env: &EnvFn, vm: &VmHistory) -> Load {
    let (value, cas) = match host.get_shared(COMPILED_KEY) {
        Ok((Some(value), cas)) => (value, cas),
        _ => return Load::CompileAndMark,
    };
    let (state, reads) = match parse_mark(&value) {
        Some((state, reads, bytes)) if bytes == config => (state, reads),
        _ => return Load::CompileAndMark,
    };
    if reads.iter().any(|(name, found)| env(name) != *found) {
        return Load::CompileAndMark;
    }
    if vm.served.get() {
        return Load::Compile;
    }
    if vm.deferred.get() {
        return Load::Defer;
    }
    let claimed = state == UNCLAIMED
        && host
            .set_shared(COMPILED_KEY, Some(&mark(CLAIMED, &reads, config)), cas)
            .is_ok();
    if claimed {
        Load::Defer
    } else {
        Load::Compile
    }
}

/// Marks `config` compiled and unclaimed (best effort: without the mark,
/// every VM compiles at configuration).
fn mark_compiled(host: &dyn Host, reads: &EnvReads, config: &[u8]) {
    if let Err(e) = host.set_shared(COMPILED_KEY, Some(&mark(UNCLAIMED, reads, config)), None) {
        log::debug!("compiled-policy mark not set: {e:?}");
    }
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
        let env = Rc::new(|name: &str| std::env::var(name).ok());
        PolicyRoot::in_vm(host, env, VM_HISTORY.with(Rc::clone))
    }

    /// The root over `host`, reading the VM environment through `env`, in
    /// the VM whose history is `vm`.
    fn in_vm(host: Rc<dyn Host>, env: Rc<EnvFn>, vm: Rc<VmHistory>) -> PolicyRoot {
        PolicyRoot {
            vm,
            metrics: Rc::new(Metrics::new(&host)),
            host,
            env,
            active: RefCell::default(),
            pending: RefCell::new(None),
            configured: false,
            breakers: Rc::default(),
            hold: Rc::default(),
            last_canary_tick_ms: 0,
            last_memory_ms: 0,
            guard_caches: Rc::new(RefCell::new(GuardCaches::new(cache_key()))),
        }
    }
}

impl PolicyRoot {
    /// [`RootContext::on_configure`] for the document `config`: the tick
    /// period to set, or `None` when the document is refused.
    fn configure(&mut self, config: &[u8]) -> Option<Duration> {
        let load = load_for(&*self.host, config, &*self.env, &self.vm);
        if load == Load::Defer {
            self.vm.deferred.set(true);
            log::info!(
                "policy accepted (another VM of this process compiled the same document); \
                 this VM compiles it at its first request"
            );
            *self.pending.get_mut() = Some(config.to_vec());
            self.metrics.config_loads.add(["loaded"], 1);
            return Some(self.start_ticks());
        }
        let env = Rc::clone(&self.env);
        let reads: RefCell<EnvReads> = RefCell::default();
        let recording = |name: &str| {
            let found = env(name);
            if let Ok(mut r) = reads.try_borrow_mut() {
                r.push((name.to_string(), found.clone()));
            }
            found
        };
        let compiled = Policy::parse_with_env(config, &recording);
        let reads = reads.into_inner();
        match compiled {
            Ok(policy) => {
                if load == Load::CompileAndMark {
                    mark_compiled(&*self.host, &reads, config);
                }
                *self.pending.get_mut() = None;
                self.activate(policy, config.is_empty());
                self.metrics.config_loads.add(["loaded"], 1);
                Some(self.start_ticks())
            }
            Err(e) => {
                log::error!("policy refused: {e}");
                self.metrics.config_loads.add(["refused"], 1);
                self.metrics.flush();
                None
            }
        }
    }

    /// What an HTTP context's creation does first: this VM is a worker's, and
    /// the document accepted without compiling, if any, compiles now.
    fn before_http_context(&self) {
        self.vm.served.set(true);
        self.compile_pending();
    }

    /// Compiles the document accepted without compiling, if any. It compiled
    /// in another VM, so it compiles here; should it not, the VM keeps the
    /// policy it had, with an error logged and counted as refused.
    fn compile_pending(&self) {
        let Some(config) = self
            .pending
            .try_borrow_mut()
            .ok()
            .and_then(|mut p| p.take())
        else {
            return;
        };
        match Policy::parse_with_env(&config, &*self.env) {
            Ok(policy) => self.activate(policy, config.is_empty()),
            Err(e) => {
                log::error!("policy refused: {e} (it compiled in another VM of this process)");
                self.metrics.config_loads.add(["refused"], 1);
            }
        }
    }

    /// Makes `policy` the one new HTTP contexts get.
    fn activate(&self, policy: Policy, embedded: bool) {
        log::info!(
            "policy revision {} loaded ({} route rules{})",
            policy.revision,
            policy.routes.len(),
            if embedded { ", embedded default" } else { "" }
        );
        let canary = Rc::new(CanaryState::for_policy(&policy));
        canary.create_windows(&*self.host);
        if let Ok(mut active) = self.active.try_borrow_mut() {
            *active = Active {
                policy: Some(Rc::new(policy)),
                canary,
            };
        }
    }

    /// Sets the hold switch for an accepted configuration; the tick period.
    fn start_ticks(&mut self) -> Duration {
        let holding = HoldState::env_enables((self.env)(hold::HOLD_ENV).as_deref());
        if holding != self.hold.enabled() || !self.configured {
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
        self.configured = true;
        self.hold = Rc::new(HoldState::new(holding));
        // Always a tick: it flushes the counters (see [`crate::metrics`]).
        let period = if holding { hold::TICK_MS } else { TICK_MS };
        self.metrics.flush();
        Duration::from_millis(period)
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
        match self.configure(&config) {
            Some(tick) => {
                self.set_tick_period(tick);
                true
            }
            None => false,
        }
    }

    /// Without a policy (never configured successfully) requests pass untouched.
    /// The first one compiles a policy accepted without compiling (module docs).
    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        self.before_http_context();
        let (policy, canary) = match self.active.try_borrow() {
            Ok(a) => (a.policy.clone(), Rc::clone(&a.canary)),
            Err(_) => (None, Rc::default()),
        };
        Some(Box::new(PolicyHttp::new(
            Rc::clone(&self.host),
            policy,
            Rc::clone(&self.metrics),
            canary,
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
            let canary = self.active.try_borrow().map(|a| Rc::clone(&a.canary));
            if let Ok(canary) = canary {
                if canary.needs_tick() {
                    canary.tick(&*self.host, now_ms, &self.metrics);
                }
            }
            self.breakers.refresh(&*self.host);
        }
        self.metrics.flush();
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::FakeHost;

    /// A document that screens (a custom phrase list) and one that does not.
    const SCREENS: &[u8] = br#"{"version":1,"revision":"screens","screening":{"custom":[{"name":"codeword","literals":["purple elephant"],"action":"block"}]}}"#;
    const HEADERS_ONLY: &[u8] = br#"{"version":1,"revision":"headers","read_bodies":false}"#;

    // `create_http_context` starts with `before_http_context`; the tests call
    // the latter (a boxed `HttpContext` would link the host's ABI functions).

    /// A root context in a VM of its own.
    fn vm(host: &Rc<FakeHost>) -> PolicyRoot {
        in_vm(host, &Rc::default())
    }

    /// A root context in the VM whose history is `vm`.
    fn in_vm(host: &Rc<FakeHost>, vm: &Rc<VmHistory>) -> PolicyRoot {
        with_token(host, vm, None)
    }

    /// A root context whose VM environment has `QA_TOKEN` = `token`.
    fn with_token(host: &Rc<FakeHost>, vm: &Rc<VmHistory>, token: Option<&str>) -> PolicyRoot {
        let host: Rc<dyn Host> = Rc::clone(host) as Rc<dyn Host>;
        let token = token.map(str::to_string);
        let env = move |name: &str| (name == "QA_TOKEN").then(|| token.clone()).flatten();
        PolicyRoot::in_vm(host, Rc::new(env), Rc::clone(vm))
    }

    fn revision(root: &PolicyRoot) -> Option<String> {
        root.active
            .borrow()
            .policy
            .as_ref()
            .map(|p| p.revision.clone())
    }

    fn loads(host: &FakeHost, outcome: &str) -> i64 {
        host.metric("llm_policy_config_loads_total", &[("outcome", outcome)])
    }

    #[test]
    fn the_canary_compiles_the_next_vm_defers_and_the_workers_compile() {
        let host = Rc::new(FakeHost::default());
        let mut canary = vm(&host);
        assert!(canary.configure(SCREENS).is_some());
        assert_eq!(revision(&canary).as_deref(), Some("screens"));
        let mut main_thread = vm(&host);
        assert!(main_thread.configure(SCREENS).is_some());
        assert_eq!(revision(&main_thread), None, "accepted without compiling");
        let mut workers = [vm(&host), vm(&host)];
        for worker in &mut workers {
            assert!(worker.configure(SCREENS).is_some());
            assert_eq!(revision(worker).as_deref(), Some("screens"));
            assert_eq!(worker.active.borrow().policy, canary.active.borrow().policy);
        }
        assert_eq!(loads(&host, "loaded"), 4);
        main_thread.before_http_context();
        assert_eq!(
            main_thread.active.borrow().policy,
            canary.active.borrow().policy,
            "an HTTP context in the VM that deferred gets the same policy"
        );
    }

    #[test]
    fn on_a_reload_the_main_thread_vm_defers_again_and_serving_workers_compile() {
        let host = Rc::new(FakeHost::default());
        let (main_vm, worker_vm, idle_vm) = (Rc::default(), Rc::default(), Rc::default());
        assert!(vm(&host).configure(HEADERS_ONLY).is_some(), "the canary");
        assert!(in_vm(&host, &main_vm).configure(HEADERS_ONLY).is_some());
        let mut worker = in_vm(&host, &worker_vm);
        assert!(worker.configure(HEADERS_ONLY).is_some());
        worker.before_http_context();
        assert!(in_vm(&host, &idle_vm).configure(HEADERS_ONLY).is_some());

        // The reload: a new root context in every VM; an idle worker claims first.
        assert!(vm(&host).configure(SCREENS).is_some(), "the canary");
        let mut idle = in_vm(&host, &idle_vm);
        assert!(idle.configure(SCREENS).is_some());
        assert_eq!(revision(&idle), None, "it claimed the mark");
        let mut serving = in_vm(&host, &worker_vm);
        assert!(serving.configure(SCREENS).is_some());
        assert_eq!(revision(&serving).as_deref(), Some("screens"));
        let mut main_thread = in_vm(&host, &main_vm);
        assert!(main_thread.configure(SCREENS).is_some());
        assert_eq!(
            revision(&main_thread),
            None,
            "deferred again, the mark claimed or not"
        );
        idle.before_http_context();
        assert_eq!(revision(&idle).as_deref(), Some("screens"));
    }

    #[test]
    fn a_refused_document_is_not_marked_and_every_vm_refuses_it() {
        let host = Rc::new(FakeHost::default());
        let bad = br#"{"version":1,"routes":[{"name":"r","match":{"prefx":"/"}}]}"#;
        for _ in 0..2 {
            let mut root = vm(&host);
            assert_eq!(root.configure(bad), None);
            assert_eq!(revision(&root), None);
        }
        assert_eq!(loads(&host, "refused"), 2);
        assert_eq!(loads(&host, "loaded"), 0);
    }

    #[test]
    fn a_vm_that_defers_keeps_its_policy_until_the_new_one_compiles() {
        let host = Rc::new(FakeHost::default());
        let mut worker = vm(&host);
        assert!(worker.configure(HEADERS_ONLY).is_some());
        assert_eq!(revision(&worker).as_deref(), Some("headers"));
        assert!(vm(&host).configure(SCREENS).is_some());
        assert!(worker.configure(SCREENS).is_some(), "claims the mark");
        assert_eq!(revision(&worker).as_deref(), Some("headers"));
        worker.before_http_context();
        assert_eq!(revision(&worker).as_deref(), Some("screens"));
        worker.before_http_context();
        assert_eq!(revision(&worker).as_deref(), Some("screens"));
    }

    #[test]
    fn a_mark_holding_other_bytes_is_not_trusted() {
        let host = Rc::new(FakeHost::default());
        let forged = mark(UNCLAIMED, &Vec::new(), HEADERS_ONLY);
        host.set_shared(COMPILED_KEY, Some(&forged), None).unwrap();
        let mut root = vm(&host);
        assert!(root.configure(SCREENS).is_some());
        assert_eq!(
            revision(&root).as_deref(),
            Some("screens"),
            "compiled at once"
        );
        let mut next = vm(&host);
        assert!(next.configure(SCREENS).is_some());
        assert_eq!(revision(&next), None, "the mark is now the document's own");
    }

    #[test]
    fn a_vm_whose_environment_differs_compiles_as_if_there_were_no_mark() {
        let doc = br#"{"version":1,"revision":"trusting","trust":{"header":{"name":"x-qa","value_env":"QA_TOKEN"}}}"#;
        let host = Rc::new(FakeHost::default());
        let token = Some("0123456789abcdef-qa");
        let mut canary = with_token(&host, &Rc::default(), token);
        assert!(canary.configure(doc).is_some());
        let mut same_token = with_token(&host, &Rc::default(), token);
        assert!(same_token.configure(doc).is_some());
        assert_eq!(revision(&same_token), None, "the same inputs: deferred");
        let mut other_token = with_token(&host, &Rc::default(), Some("fedcba9876543210-qa"));
        assert!(other_token.configure(doc).is_some());
        assert_eq!(
            revision(&other_token).as_deref(),
            Some("trusting"),
            "compiled at once"
        );
        let mut no_token = with_token(&host, &Rc::default(), None);
        assert_eq!(
            no_token.configure(doc),
            None,
            "refused, as without the mark"
        );
    }

    #[test]
    fn marks_round_trip() {
        let reads = vec![
            ("A".to_string(), Some("1".to_string())),
            ("B".to_string(), None),
        ];
        let value = mark(CLAIMED, &reads, b"{}");
        assert_eq!(parse_mark(&value), Some((CLAIMED, reads, &b"{}"[..])));
        assert_eq!(parse_mark(b"x"), None);
        assert_eq!(
            parse_mark(&value[..value.len() - 4]).map(|(_, _, d)| d.len()),
            None
        );
    }

    #[test]
    fn the_empty_document_is_the_embedded_default_and_is_marked_too() {
        let host = Rc::new(FakeHost::default());
        let mut canary = vm(&host);
        assert!(canary.configure(b"").is_some());
        let default = Policy::embedded_default().unwrap();
        assert_eq!(revision(&canary), Some(default.revision.clone()));
        let mut main_thread = vm(&host);
        assert!(main_thread.configure(b"").is_some());
        assert_eq!(revision(&main_thread), None);
        main_thread.before_http_context();
        assert_eq!(revision(&main_thread), Some(default.revision));
    }
}
