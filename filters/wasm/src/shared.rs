//! State shared by all Envoy workers of a VM: proxy-wasm shared data,
//! updated with compare-and-swap and retried on `CasMismatch`.

use crate::host::Host;
use llm_policy_core::breaker::Breaker;
use llm_policy_core::canary::CanaryWindow;
use proxy_wasm::types::Status;
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch: the clock all workers' shared state uses.
pub fn unix_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Attempts at a compare-and-swap update before giving up.
const CAS_ATTEMPTS: usize = 16;

/// A value kept in shared data in an encoded form.
pub trait SharedState: Copy + PartialEq {
    fn decode(bytes: &[u8]) -> Self;
    fn encode(&self) -> Vec<u8>;
}

impl SharedState for Breaker {
    fn decode(bytes: &[u8]) -> Self {
        Breaker::decode(bytes)
    }
    fn encode(&self) -> Vec<u8> {
        Breaker::encode(self)
    }
}

impl SharedState for CanaryWindow {
    fn decode(bytes: &[u8]) -> Self {
        CanaryWindow::decode(bytes)
    }
    fn encode(&self) -> Vec<u8> {
        CanaryWindow::encode(self)
    }
}

/// Creates `key` with an empty value (a fresh state) if it does not exist.
/// Compare-and-swap only guards keys that exist: the host accepts any write
/// to an absent key, so two workers that both found it absent would both
/// write, and one update (a breaker failure, a canary halt) would be lost or
/// doubled. [`update`] creates a key on first use: for a breaker that is its
/// admission at request start, long before its first write at the end of the
/// request. Canary windows are first written by the tick that first reads
/// them, so the root creates those at configuration, before traffic.
pub fn create(host: &dyn Host, key: &str) {
    if let Ok((None, None)) = host.get_shared(key) {
        if let Err(e) = host.set_shared(key, Some(b""), None) {
            log::warn!("shared data {key}: not created: {e:?}");
        }
    }
}

/// The current value under `key` (a fresh one if absent or unreadable).
pub fn read<S: SharedState>(host: &dyn Host, key: &str) -> Option<S> {
    let (bytes, _) = host.get_shared(key).ok()?;
    Some(S::decode(bytes.as_deref().unwrap_or_default()))
}

/// Reads the value under `key`, applies `change`, and writes it back if it
/// changed. Returns `(before, after, what change returned)`; `None` when the
/// host failed or kept refusing the swap (callers fail open).
pub fn update<S: SharedState, T>(
    host: &dyn Host,
    key: &str,
    mut change: impl FnMut(&mut S) -> T,
) -> Option<(S, S, T)> {
    for _ in 0..CAS_ATTEMPTS {
        let (bytes, cas) = host.get_shared(key).ok()?;
        if bytes.is_none() && cas.is_none() {
            create(host, key);
            continue;
        }
        let before = S::decode(bytes.as_deref().unwrap_or_default());
        let mut after = before;
        let out = change(&mut after);
        if after == before {
            return Some((before, after, out));
        }
        match host.set_shared(key, Some(&after.encode()), cas) {
            Ok(()) => return Some((before, after, out)),
            Err(Status::CasMismatch) => continue,
            Err(e) => {
                log::warn!("shared data {key}: write failed: {e:?}");
                return None;
            }
        }
    }
    log::warn!("shared data {key}: gave up after {CAS_ATTEMPTS} CAS mismatches");
    None
}
