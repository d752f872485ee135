//! Heap bytes a compiled policy holds, the peak while it compiles, and the
//! same for a reload (the same document parsed again while the first is
//! still held, as a VM does on a configuration update):
//! `policy_memory [policy.json]` (default: the embedded default policy).
//! Counts every allocation through a wrapping global allocator, so the
//! figures are exact and repeatable.

use llm_policy_core::policy::Policy;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let bytes = match std::env::args().nth(1) {
        Some(path) => match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        },
        None => None,
    };
    let parse = || match &bytes {
        Some(bytes) => Policy::parse(bytes),
        None => Policy::embedded_default(),
    };
    let (first, held, peak) = measure(parse);
    let (second, reload_held, reload_peak) = measure(parse);
    match (first, second) {
        (Ok(_), Ok(_)) => println!(
            "{{\"held_bytes\": {held}, \"peak_bytes\": {peak}, \
             \"reload_held_bytes\": {reload_held}, \"reload_peak_bytes\": {reload_peak}}}"
        ),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("policy refused: {e}");
            std::process::exit(1);
        }
    }
}

/// What `f` returns, the bytes still allocated after it, and its peak.
fn measure<T>(f: impl Fn() -> T) -> (T, usize, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let value = f();
    let held = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (value, held, peak)
}
