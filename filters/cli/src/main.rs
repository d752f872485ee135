//! `llm-policy`: the filter's own policy parser on the command line.
//!
//! - `llm-policy validate FILE…`: one line per file; exit 0 when all are
//!   valid, 1 when any is refused, 2 on usage or I/O errors.
//! - `llm-policy stats-tags`: the Envoy `stats_tags` that turn the filter's
//!   metric names into Prometheus labels (JSON, for a bootstrap's `stats_config`).

use llm_policy_core::metrics::{tag_regex, TAG_NAMES};
use llm_policy_core::policy::Policy;
use std::process::ExitCode;

const USAGE: &str = "usage: llm-policy validate FILE...\n       llm-policy stats-tags";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("validate") if args.len() > 1 => validate(&args[1..]),
        Some("stats-tags") => {
            let tags: Vec<String> = TAG_NAMES
                .iter()
                .map(|t| format!("{{\"tag_name\":\"{t}\",\"regex\":{:?}}}", tag_regex(t)))
                .collect();
            println!("[{}]", tags.join(","));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn validate(files: &[String]) -> ExitCode {
    let mut worst = 0u8;
    for file in files {
        match std::fs::read(file) {
            Err(e) => {
                eprintln!("{file}: cannot read: {e}");
                worst = 2;
            }
            Ok(bytes) => match Policy::parse(&bytes) {
                Ok(p) => println!(
                    "{file}: ok (revision {}, {} route rules)",
                    p.revision,
                    p.routes.len()
                ),
                Err(e) => {
                    println!("{file}: {e}");
                    worst = worst.max(1);
                }
            },
        }
    }
    ExitCode::from(worst)
}
