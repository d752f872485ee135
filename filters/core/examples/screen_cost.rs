//! Screens a text `rounds` times with the embedded default policy, so
//! that `valgrind --tool=callgrind` can count instructions per byte, which
//! unlike MB/s does not depend on the machine's load:
//! `screen_cost [rounds] [file]` (default: the English corpus of
//! `screen_throughput`). Ir per byte = (Ir(rounds=3) − Ir(rounds=1)) / (2 × bytes).

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::{Direction, Tally};

#[path = "prose/mod.rs"]
mod prose;
use prose::corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let text = match args.next() {
        Some(path) => match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        },
        None => corpus(1 << 20),
    };
    let Some(screener) = Policy::embedded_default()
        .ok()
        .and_then(|policy| policy.default_rule.screening.clone())
    else {
        eprintln!("the embedded default policy has no screening");
        std::process::exit(1);
    };
    let pieces: Vec<&str> = text
        .as_bytes()
        .chunks(16 * 1024)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    let mut findings = 0usize;
    for _ in 0..rounds {
        for p in &pieces {
            let mut tally = Tally::default();
            let _ = screener.screen_text(p, Direction::Request, &mut tally, None);
            findings += tally.counts.iter().map(|c| c.2 as usize).sum::<usize>();
        }
    }
    let bytes: usize = pieces.iter().map(|p| p.len()).sum();
    println!("{{\"bytes\": {bytes}, \"rounds\": {rounds}, \"findings\": {findings}}}");
}
