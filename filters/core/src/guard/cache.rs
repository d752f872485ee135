//! Verdicts remembered per message, so that a chat which resends its history
//! pays only for the new messages.
//!
//! Keyed by a keyed hash (HMAC-MD5 under a key drawn per VM, so keys say
//! nothing about the text to anyone without the VM's memory) of the guard's
//! name and the text; bounded (least recently used goes first) and expiring
//! (`ttl_ms` after it was stored). One cache per worker VM.

use super::protocol::Assessment;
use std::collections::{HashMap, VecDeque};

pub struct VerdictCache {
    key: [u8; 16],
    capacity: usize,
    ttl_ms: u64,
    entries: HashMap<u128, Entry>,
    /// Keys by last use, oldest first; a key whose stamp is stale is skipped.
    order: VecDeque<(u128, u64)>,
    stamp: u64,
}

struct Entry {
    assessment: Assessment,
    expires_ms: u64,
    stamp: u64,
}

impl VerdictCache {
    /// `key`: secret bytes for the hash (random per VM).
    pub fn new(key: [u8; 16], capacity: usize, ttl_ms: u64) -> VerdictCache {
        VerdictCache {
            key,
            capacity,
            ttl_ms,
            entries: HashMap::new(),
            order: VecDeque::new(),
            stamp: 0,
        }
    }

    /// The cache key of `text` as judged by guard `guard`.
    pub fn key_of(&self, guard: &str, text: &str) -> u128 {
        let mut message = Vec::with_capacity(guard.len() + 1 + text.len());
        message.extend_from_slice(guard.as_bytes());
        message.push(0);
        message.extend_from_slice(text.as_bytes());
        u128::from_le_bytes(crate::screen::redact::hmac_md5(&self.key, &message))
    }

    /// The assessment stored for `key`, if it has not expired at `now_ms`.
    pub fn get(&mut self, key: u128, now_ms: u64) -> Option<Assessment> {
        let stamp = self.next_stamp();
        let entry = self.entries.get_mut(&key)?;
        if entry.expires_ms <= now_ms {
            self.entries.remove(&key);
            return None;
        }
        entry.stamp = stamp;
        let found = entry.assessment.clone();
        self.order.push_back((key, stamp));
        self.compact();
        Some(found)
    }

    pub fn put(&mut self, key: u128, assessment: Assessment, now_ms: u64) {
        if self.capacity == 0 {
            return;
        }
        let stamp = self.next_stamp();
        self.entries.insert(
            key,
            Entry {
                assessment,
                expires_ms: now_ms.saturating_add(self.ttl_ms),
                stamp,
            },
        );
        self.order.push_back((key, stamp));
        while self.entries.len() > self.capacity {
            let Some((oldest, at)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&oldest).is_some_and(|e| e.stamp == at) {
                self.entries.remove(&oldest);
            }
        }
        self.compact();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn next_stamp(&mut self) -> u64 {
        self.stamp += 1;
        self.stamp
    }

    /// Keeps the use list within a small multiple of the entries.
    fn compact(&mut self) {
        if self.order.len() > 4 * self.capacity.max(16) {
            let entries = &self.entries;
            self.order
                .retain(|(k, at)| entries.get(k).is_some_and(|e| e.stamp == *at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn flagged() -> Assessment {
        Assessment {
            flagged: true,
            ..Assessment::default()
        }
    }

    #[test]
    fn a_stored_verdict_is_found_until_it_expires() {
        let mut c = VerdictCache::new([7; 16], 8, 1000);
        let k = c.key_of("moderation", "hello");
        assert_eq!(c.get(k, 0), None);
        c.put(k, flagged(), 100);
        assert_eq!(c.get(k, 1099), Some(flagged()));
        assert_eq!(c.get(k, 1100), None);
        assert!(c.is_empty());
    }

    #[test]
    fn keys_differ_by_guard_text_and_vm_key() {
        let a = VerdictCache::new([1; 16], 8, 1000);
        let b = VerdictCache::new([2; 16], 8, 1000);
        assert_ne!(a.key_of("g", "x"), a.key_of("g", "y"));
        assert_ne!(a.key_of("g", "x"), a.key_of("h", "x"));
        assert_ne!(a.key_of("g", "x"), b.key_of("g", "x"));
        assert_ne!(a.key_of("ab", "c"), a.key_of("a", "bc"));
    }

    #[test]
    fn the_least_recently_used_goes_first() {
        let mut c = VerdictCache::new([0; 16], 2, 10_000);
        c.put(1, flagged(), 0);
        c.put(2, flagged(), 0);
        assert!(c.get(1, 1).is_some());
        c.put(3, flagged(), 2);
        assert_eq!(c.len(), 2);
        assert!(c.get(2, 3).is_none());
        assert!(c.get(1, 3).is_some());
        assert!(c.get(3, 3).is_some());
    }

    #[test]
    fn stays_bounded_under_many_uses() {
        let mut c = VerdictCache::new([0; 16], 4, 10_000);
        for i in 0..10_000u128 {
            c.put(i % 7, flagged(), 0);
            let _ = c.get(i % 5, 0);
        }
        assert!(c.len() <= 4);
        assert!(c.order.len() <= 4 * 16 + 1);
    }

    #[test]
    fn capacity_zero_stores_nothing() {
        let mut c = VerdictCache::new([0; 16], 0, 10_000);
        c.put(1, flagged(), 0);
        assert!(c.get(1, 0).is_none());
    }
}
