//! Heap bytes a compiled policy holds, the peak while it compiles, and the
//! same for a reload (the same document parsed again while the first is
//! still held, as a VM does on a configuration update):
//! `policy_memory [policy.json]` (default: the embedded default policy).
//! `policy_memory --phases`: the same for each part of the default policy's
//! compile, alone (see [`phases`]).
//! Counts every allocation through a wrapping global allocator, so the
//! figures are exact and repeatable; a realloc goes to the system allocator
//! (which may grow a block in place) and counts the size change only.
//! Built for wasm32-wasip1 and run under WASI
//! (`node tests/bench/run_wasi.mjs policy_memory.wasm`), it also prints the
//! linear memory after the first compile: what a VM keeps for good. That is
//! more than the peak of live bytes: a vector that doubles leaves behind a
//! hole too small for its next size, so the heap's high-water mark is what
//! counts (8.8 MiB for the default policy, 7.3 MB peak, 5.4 MB held, with
//! the noncontiguous automaton; 12.6 MiB with the contiguous one).

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
    /// The system's own realloc (it may grow a block in place, as the
    /// filter's allocator does), counting only the size change.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            let grown = new_size - layout.size();
            let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--phases") {
        phases();
        return;
    }
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
    let linear = linear_memory_bytes();
    let (second, reload_held, reload_peak) = measure(parse);
    match (first, second) {
        (Ok(_), Ok(_)) => println!(
            "{{\"held_bytes\": {held}, \"peak_bytes\": {peak}, \
             \"reload_held_bytes\": {reload_held}, \"reload_peak_bytes\": {reload_peak}{linear}}}"
        ),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("policy refused: {e}");
            std::process::exit(1);
        }
    }
}

/// Under wasm, `, "linear_memory_bytes": N`: the linear memory after the
/// first compile, what a VM keeps (it never shrinks); empty natively.
fn linear_memory_bytes() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        format!(
            ", \"linear_memory_bytes\": {}",
            core::arch::wasm32::memory_size(0) * 65536
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
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

/// Held and peak bytes of each part of the default policy's compile, each
/// measured alone: where a VM's memory goes (the peak stays in its linear
/// memory). The automaton rows build what `PhraseMatcher::new` builds (the
/// distinct expanded phrases, case sensitive) with each kind and
/// `dense_depth` aho-corasick offers, for comparison.
fn phases() {
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
    use llm_policy_core::policy::{Policy, DEFAULT_POLICY_JSON};
    use llm_policy_core::screen::categories::BUILTIN;
    use llm_policy_core::screen::phrases::{expand, PhraseMatcher};
    use llm_policy_core::screen::pii::{PiiKind, PiiScanner};
    let report = |what: &str, held: usize, peak: usize| {
        println!("{what:<60} held {held:>10}  peak {peak:>10}")
    };
    let (_value, held, peak) =
        measure(|| serde_json::from_str::<serde_json::Value>(DEFAULT_POLICY_JSON));
    report("default.json as a serde_json::Value", held, peak);
    let (_pii, held, peak) = measure(|| PiiScanner::new(&PiiKind::ALL));
    report("PiiScanner::new (every kind)", held, peak);
    let lists: Vec<(u16, Vec<String>)> = (0u16..)
        .zip(BUILTIN)
        .map(|(i, (_, l))| (i, l.iter().map(|s| s.to_string()).collect()))
        .collect();
    let started = std::time::Instant::now();
    let (_matcher, held, peak) = measure(|| PhraseMatcher::new(&lists));
    let took = started.elapsed();
    report("PhraseMatcher::new (every built-in category)", held, peak);
    let mut phrases: Vec<String> = lists
        .iter()
        .flat_map(|(_, l)| l)
        .flat_map(|p| expand(p).unwrap_or_default())
        .collect();
    phrases.sort_unstable();
    phrases.dedup();
    let bytes: usize = phrases.iter().map(String::len).sum();
    println!(
        "  ({} patterns, {} distinct phrases of {bytes} bytes, built in {took:?})",
        lists.iter().map(|(_, l)| l.len()).sum::<usize>(),
        phrases.len()
    );
    let kinds = [
        ("contiguous NFA", AhoCorasickKind::ContiguousNFA),
        ("noncontiguous NFA", AhoCorasickKind::NoncontiguousNFA),
    ];
    for (name, kind) in kinds {
        for dense in [3, 0] {
            let (automaton, held, peak) = measure(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(kind))
                    .dense_depth(dense)
                    .build(&phrases)
            });
            let default = if dense == 3 { ", the default" } else { "" };
            let what = format!("  aho-corasick {name}, dense_depth {dense}{default}");
            report(&what, held, peak);
            drop(automaton);
        }
    }
    let (_policy, held, peak) = measure(Policy::embedded_default);
    report("Policy::embedded_default (whole compile)", held, peak);
}
