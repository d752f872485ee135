//! Screens a text `rounds` times with the embedded default policy, so
//! that `valgrind --tool=callgrind` can count instructions per byte, which
//! unlike MB/s does not depend on the machine's load:
//! `screen_cost [rounds] [file]` (default: the English corpus of
//! `screen_throughput`). Ir per byte = (Ir(rounds=3) − Ir(rounds=1)) / (2 × bytes).

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::{Direction, Tally};

const SENTENCES: &[&str] = &[
    "The operators reviewed the deployment plan before the evening release.",
    "Our quarterly report shows that latency improved by twelve percent after the upgrade.",
    "Please summarize the attached meeting notes and list the open action items.",
    "The model answered every question about routing, quotas and retries.",
    "When the cache is cold, the first request takes noticeably longer than the rest.",
    "She asked whether the new contract terms would apply to existing customers as well.",
    "Write a short poem about the sea, the wind and a lighthouse keeper.",
    "The committee will meet again next Tuesday to discuss the budget proposal.",
    "Translate the following paragraph into French, keeping the formal tone.",
    "Kubernetes schedules the pods onto nodes with enough free memory and GPUs.",
    "I think the second option is better because it keeps the interface simple.",
    "Explain the difference between a process and a thread to a new engineer.",
];

/// About `size` bytes of prose, with an email and a phone number every ~4 KB.
fn corpus(size: usize) -> String {
    let mut rng = fastrand::Rng::with_seed(42);
    let mut text = String::with_capacity(size + 128);
    let mut next_pii = 4096;
    while text.len() < size {
        text.push_str(SENTENCES[rng.usize(..SENTENCES.len())]);
        text.push(' ');
        if text.len() > next_pii {
            text.push_str("Contact jane.doe@example.com or (415) 555-0132 for details. ");
            next_pii += 4096;
        }
    }
    text
}

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
