//! Prints, for every line of stdin in which the default policy (or the
//! given one) finds something, the line number, each finding as
//! `entry="matched text"`, and the line:
//! `screen_lines [policy.json] < lines.txt`. A tool for measuring false
//! alarms on text nobody wrote for the tests (one text per line; `\n`
//! written as the two characters backslash and n stays literal).

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::{Direction, Finding};
use std::io::BufRead;

fn main() {
    let policy = match std::env::args().nth(1) {
        Some(path) => std::fs::read(&path)
            .map_err(|e| format!("{path}: {e}"))
            .and_then(|bytes| Policy::parse(&bytes).map_err(|e| format!("{path}: {e}"))),
        None => Policy::embedded_default().map_err(|e| e.to_string()),
    };
    let Some(screener) = policy.ok().and_then(|p| p.default_rule.screening.clone()) else {
        eprintln!("no policy with screening");
        std::process::exit(2);
    };
    let (mut lines, mut hits) = (0usize, 0usize);
    for (number, line) in std::io::stdin().lock().lines().enumerate() {
        let Ok(line) = line else { continue };
        lines += 1;
        let mut found: Vec<Finding> = Vec::new();
        screener.find(&line, Direction::Request, &mut found);
        if found.is_empty() {
            continue;
        }
        hits += 1;
        let names: Vec<String> = found
            .iter()
            .filter_map(|f| {
                let entry = screener.entries.get(usize::from(f.entry))?;
                let matched = line.get(f.span.start..f.span.end).unwrap_or("");
                Some(format!("{}={matched:?}", entry.name))
            })
            .collect();
        println!("{}\t{}\t{}", number + 1, names.join(","), line);
    }
    eprintln!("{hits} of {lines} lines with findings");
}
