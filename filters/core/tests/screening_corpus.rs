//! The default policy (`policies/default.json`, parsed as the filter parses
//! it) against the generated corpus, on the two paths a value travels:
//! a user's prompt (the chat request body, [`screening::through_prompt`]) and
//! a model's streamed answer cut into events of 1–7 characters
//! ([`screening::through_stream`]).
//!
//! Corpora (generators and sources in `tests/corpus/generate/README.md`):
//! - `tests/corpus/generated/pii_prompts.jsonl`: faker and mimesis values
//!   checked by libphonenumber, schwifty, Luhn and Python's `ipaddress`, in
//!   support sentences; `expect` lists `{kind, value, form}`; lines with an
//!   empty `expect` hold special-purpose IP addresses the default keeps.
//! - `tests/corpus/generated/prose_negatives.jsonl`: real prose, code and
//!   identifiers that hold no value.
//! - `tests/corpus/categories.jsonl` and any `tests/corpus/attacks*.jsonl`:
//!   texts labelled with the categories they must trigger.
//!
//! Scoring. A value is *caught* when the text the other side receives no
//! longer holds it (nor, for a multi-line value such as a PEM block, any of
//! its lines of 16+ characters); a blocked text holds nothing. Recall =
//! caught / values, per detector (the kind of the label, whichever detector
//! caught it). A false positive is a finding of detector D in a line with no
//! value of kind D (labelled lines and prose lines alike); precision =
//! caught / (caught + false positives). Categories are scored per text: a
//! category found (any outcome, flags too) and labelled is a true positive,
//! found and not labelled a false positive, labelled and not found a false
//! negative. A prose line is a false alarm when the text received differs
//! from the text sent or the request or stream was blocked.
//!
//! Each test prints its whole table first and asserts after, so a failing
//! run still shows every figure (`cargo test -p llm-policy-core --test
//! screening_corpus -- --nocapture`;
//! `CORPUS_MISSES=100000` lists every miss).

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic)]

#[allow(dead_code)]
mod common;
mod screening;

use common::Score;
use screening::{excerpt, Seen};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The bar of every detector and category, on both paths.
const THRESHOLD: f64 = 0.99;
/// At most this many false alarms per 1,000 prose lines, on each path.
const ALARMS_PER_1000: usize = 1;
/// Fewest labelled values a detector must have for its figures to count.
const MIN_VALUES: usize = 40;
/// Misses listed per detector and path (the rest are counted); the
/// environment variable `CORPUS_MISSES` sets another number.
fn listed() -> usize {
    std::env::var("CORPUS_MISSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25)
}

const PII: &str = "tests/corpus/generated/pii_prompts.jsonl";
const PROSE: &str = "tests/corpus/generated/prose_negatives.jsonl";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Path {
    Prompt,
    Stream,
}

const PATHS: [Path; 2] = [Path::Prompt, Path::Stream];

impl Path {
    fn name(self) -> &'static str {
        match self {
            Path::Prompt => "prompt",
            Path::Stream => "stream",
        }
    }
}

struct Expected {
    kind: String,
    value: String,
    form: String,
}

struct Line {
    number: usize,
    text: String,
    source: String,
    expect: Vec<Expected>,
}

fn parse_pii(number: usize, raw: &str) -> Line {
    let (text, expect) = common::text_and_expect(number, raw);
    let value: Value = serde_json::from_str(raw).unwrap_or_else(|e| panic!("line {number}: {e}"));
    let field = |e: &Value, name: &str| {
        e[name]
            .as_str()
            .unwrap_or_else(|| panic!("line {number}: expect entry without {name}: {e}"))
            .to_string()
    };
    Line {
        number,
        text,
        source: value["source"].as_str().unwrap_or("").to_string(),
        expect: expect
            .iter()
            .map(|e| Expected {
                kind: field(e, "kind"),
                value: field(e, "value"),
                form: e["form"].as_str().unwrap_or("-").to_string(),
            })
            .collect(),
    }
}

fn through(path: Path, policy: &llm_policy_core::policy::Policy, line: &Line) -> Seen {
    match path {
        Path::Prompt => screening::through_prompt(policy, &line.text),
        Path::Stream => screening::through_stream(policy, &line.text, line.number as u64),
    }
}

/// A prose line and what each path made of it, computed once for all tests.
struct ProseSeen {
    line: Line,
    prompt: Seen,
    stream: Seen,
}

impl ProseSeen {
    fn seen(&self, path: Path) -> &Seen {
        match path {
            Path::Prompt => &self.prompt,
            Path::Stream => &self.stream,
        }
    }
}

fn prose() -> &'static [ProseSeen] {
    static PROSE_SEEN: OnceLock<Vec<ProseSeen>> = OnceLock::new();
    PROSE_SEEN.get_or_init(|| {
        let policy = screening::default_policy();
        screening::corpus_lines(PROSE)
            .iter()
            .map(|(n, l)| {
                let line = parse_pii(*n, l);
                ProseSeen {
                    prompt: through(Path::Prompt, &policy, &line),
                    stream: through(Path::Stream, &policy, &line),
                    line,
                }
            })
            .collect()
    })
}

/// Per detector and path: the score, the false positives on prose apart,
/// and the misses to list.
#[derive(Default)]
struct DetectorRow {
    score: Score,
    fp_prose: usize,
    misses: Vec<String>,
}

impl DetectorRow {
    fn precision(&self) -> f64 {
        let s = Score {
            tp: self.score.tp,
            fp: self.score.fp + self.fp_prose,
            fn_: self.score.fn_,
        };
        s.precision()
    }
}

/// Counts findings of detectors not expected in `line` as false positives.
fn false_positives(
    detectors: &[String],
    expected_kinds: &[&str],
    seen: &Seen,
    mut add: impl FnMut(&str, u32),
) {
    for d in detectors {
        let n = seen.count(d);
        if n > 0 && !expected_kinds.contains(&d.as_str()) {
            add(d, n);
        }
    }
}

#[test]
fn pii_detectors_on_prompts_and_streams() {
    let policy = screening::default_policy();
    let detectors = screening::policy_detectors();
    let lines: Vec<Line> = screening::corpus_lines(PII)
        .iter()
        .map(|(n, l)| parse_pii(*n, l))
        .collect();
    let prose = prose();
    let mut rows: BTreeMap<(String, Path), DetectorRow> = BTreeMap::new();
    let mut forms: BTreeMap<(String, String, Path), Score> = BTreeMap::new();
    // Phone recall per generator and locale: phone formats differ most by country.
    let mut phone_sources: BTreeMap<(String, Path), Score> = BTreeMap::new();
    let mut blocked_lines: Vec<String> = Vec::new();
    for path in PATHS {
        for line in &lines {
            let seen = through(path, &policy, line);
            if seen.blocked {
                blocked_lines.push(format!(
                    "{} line {}: blocked ({:?}): {}",
                    path.name(),
                    line.number,
                    seen.found,
                    excerpt(&line.text, 80)
                ));
            }
            for e in &line.expect {
                let row = rows.entry((e.kind.clone(), path)).or_default();
                let form = forms
                    .entry((e.kind.clone(), e.form.clone(), path))
                    .or_default();
                let leaked = seen.leaks(&e.value);
                if e.kind == "phone" {
                    let by_source = phone_sources
                        .entry((line.source.clone(), path))
                        .or_default();
                    by_source.tp += usize::from(!leaked);
                    by_source.fn_ += usize::from(leaked);
                }
                if leaked {
                    row.score.fn_ += 1;
                    form.fn_ += 1;
                    row.misses.push(format!(
                        "leaked {} [{}] line {} ({}): {}",
                        e.kind,
                        e.form,
                        line.number,
                        line.source,
                        excerpt(&line.text, 100)
                    ));
                } else {
                    row.score.tp += 1;
                    form.tp += 1;
                }
            }
            let kinds: Vec<&str> = line.expect.iter().map(|e| e.kind.as_str()).collect();
            false_positives(&detectors, &kinds, &seen, |d, n| {
                let row = rows.entry((d.to_string(), path)).or_default();
                row.score.fp += n as usize;
                row.misses.push(format!(
                    "false positive ×{n} line {} ({}): {}",
                    line.number,
                    line.source,
                    excerpt(&line.text, 100)
                ));
            });
        }
        for p in prose {
            let (line, seen) = (&p.line, p.seen(path));
            false_positives(&detectors, &[], seen, |d, n| {
                let row = rows.entry((d.to_string(), path)).or_default();
                row.fp_prose += n as usize;
                row.misses.push(format!(
                    "false positive ×{n} in prose line {} ({}): {}",
                    line.number,
                    line.source,
                    excerpt(&line.text, 100)
                ));
            });
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nPII detectors, default policy: {} labelled lines ({PII}), {} prose lines ({PROSE})",
        lines.len(),
        prose.len()
    );
    let _ = writeln!(
        out,
        "{:<8} {:<6} {:>6} {:>6} {:>6} {:>7} {:>8} {:>9} {:>7}",
        "detector",
        "path",
        "values",
        "caught",
        "leaked",
        "fp(lab)",
        "fp(prose)",
        "precision",
        "recall"
    );
    let mut failures = Vec::new();
    for d in &detectors {
        for path in PATHS {
            let empty = DetectorRow::default();
            let row = rows.get(&(d.clone(), path)).unwrap_or(&empty);
            let s = row.score;
            let _ = writeln!(
                out,
                "{:<8} {:<6} {:>6} {:>6} {:>6} {:>7} {:>9} {:>9.3} {:>7.3}",
                d,
                path.name(),
                s.tp + s.fn_,
                s.tp,
                s.fn_,
                s.fp,
                row.fp_prose,
                row.precision(),
                s.recall()
            );
            if s.tp + s.fn_ < MIN_VALUES {
                failures.push(format!(
                    "{d} {}: only {} values in the corpus",
                    path.name(),
                    s.tp + s.fn_
                ));
            }
            if row.precision() < THRESHOLD || s.recall() < THRESHOLD {
                failures.push(format!(
                    "{d} {}: precision {:.3}, recall {:.3} (below {THRESHOLD})",
                    path.name(),
                    row.precision(),
                    s.recall()
                ));
            }
        }
    }
    let _ = writeln!(
        out,
        "\nrecall per form (prompt | stream):\n{:<8} {:<28} {:>6} {:>7} {:>7}",
        "detector", "form", "values", "prompt", "stream"
    );
    let mut form_keys: Vec<(String, String)> = forms
        .keys()
        .map(|(k, f, _)| (k.clone(), f.clone()))
        .collect();
    form_keys.dedup();
    for (kind, form) in &form_keys {
        let get = |p| {
            forms
                .get(&(kind.clone(), form.clone(), p))
                .copied()
                .unwrap_or_default()
        };
        let (prompt, stream) = (get(Path::Prompt), get(Path::Stream));
        let _ = writeln!(
            out,
            "{:<8} {:<28} {:>6} {:>7.3} {:>7.3}",
            kind,
            form,
            prompt.tp + prompt.fn_,
            prompt.recall(),
            stream.recall()
        );
    }
    let _ = writeln!(
        out,
        "\nphone recall per source (prompt | stream):\n{:<16} {:>6} {:>7} {:>7}",
        "source", "values", "prompt", "stream"
    );
    let mut sources: Vec<&String> = phone_sources.keys().map(|(s, _)| s).collect();
    sources.dedup();
    for source in sources {
        let get = |p| {
            phone_sources
                .get(&(source.clone(), p))
                .copied()
                .unwrap_or_default()
        };
        let (prompt, stream) = (get(Path::Prompt), get(Path::Stream));
        let _ = writeln!(
            out,
            "{:<16} {:>6} {:>7.3} {:>7.3}",
            source,
            prompt.tp + prompt.fn_,
            prompt.recall(),
            stream.recall()
        );
    }
    for ((d, path), row) in &rows {
        if row.misses.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{d} {}: {} misses", path.name(), row.misses.len());
        for m in row.misses.iter().take(listed()) {
            let _ = writeln!(out, "  {m}");
        }
        if row.misses.len() > listed() {
            let _ = writeln!(out, "  … and {} more", row.misses.len() - listed());
        }
    }
    if !blocked_lines.is_empty() {
        let _ = writeln!(
            out,
            "\nlabelled PII lines blocked outright: {}",
            blocked_lines.len()
        );
        for b in blocked_lines.iter().take(listed()) {
            let _ = writeln!(out, "  {b}");
        }
    }
    for (kind, path) in rows.keys() {
        if !detectors.contains(kind) && *path == Path::Prompt {
            failures.push(format!(
                "corpus kind {kind:?} is no detector of the default policy"
            ));
        }
    }
    println!("{out}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn prose_false_alarms_stay_under_one_per_thousand_lines() {
    let prose = prose();
    let mut out = String::new();
    let mut failures = Vec::new();
    for path in PATHS {
        let mut alarms = Vec::new();
        let mut flags: BTreeMap<String, usize> = BTreeMap::new();
        let mut flagged = Vec::new();
        let mut by_source: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for p in prose {
            let (line, seen) = (&p.line, p.seen(path));
            let source = line.source.split(':').next().unwrap_or("").to_string();
            let counts = by_source.entry(source).or_default();
            counts.0 += 1;
            for (name, n) in &seen.found {
                *flags.entry(name.clone()).or_default() += *n as usize;
            }
            let alarm = seen.blocked || !seen.unchanged(&line.text);
            if !alarm && !seen.found.is_empty() {
                flagged.push(format!(
                    "flagged line {} ({}) by {:?}: {}",
                    line.number,
                    line.source,
                    seen.found,
                    excerpt(&line.text, 100)
                ));
            }
            if alarm {
                counts.1 += 1;
                let what = if seen.blocked { "blocked" } else { "changed" };
                let after = seen.text.as_deref().map(|t| excerpt(t, 100));
                alarms.push(format!(
                    "{what} line {} ({}) by {:?}: {}{}",
                    line.number,
                    line.source,
                    seen.found,
                    excerpt(&line.text, 100),
                    after.map(|a| format!("\n      → {a}")).unwrap_or_default()
                ));
            }
        }
        let _ = writeln!(
            out,
            "\nprose false alarms, {} path: {} of {} lines ({:.2} per 1,000; bar {ALARMS_PER_1000})",
            path.name(),
            alarms.len(),
            prose.len(),
            alarms.len() as f64 * 1000.0 / prose.len().max(1) as f64
        );
        for (source, (n, bad)) in &by_source {
            let _ = writeln!(out, "  {source:<10} {bad:>4} of {n:>5}");
        }
        let _ = writeln!(out, "  findings of any outcome (flags included): {flags:?}");
        for a in alarms.iter().chain(&flagged) {
            let _ = writeln!(out, "  {a}");
        }
        if alarms.len() * 1000 > ALARMS_PER_1000 * prose.len() {
            failures.push(format!(
                "{}: {} false alarms in {} prose lines",
                path.name(),
                alarms.len(),
                prose.len()
            ));
        }
    }
    println!("{out}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The category labels of one line: strings, or objects with a `category`
/// (or `kind`) field.
fn category_labels(number: usize, raw: &str) -> (String, Vec<String>) {
    let (text, expect) = common::text_and_expect(number, raw);
    let labels = expect
        .iter()
        .map(|e| {
            e.as_str()
                .or_else(|| e["category"].as_str())
                .or_else(|| e["kind"].as_str())
                .unwrap_or_else(|| panic!("line {number}: bad category label {e}"))
                .to_string()
        })
        .collect();
    (text, labels)
}

/// `tests/corpus/categories.jsonl` and every `attacks*.jsonl` under
/// `tests/corpus/` and `tests/corpus/generated/`.
fn category_files() -> Vec<String> {
    let mut files = vec!["tests/corpus/categories.jsonl".to_string()];
    for dir in ["tests/corpus", "tests/corpus/generated"] {
        let Ok(entries) = std::fs::read_dir(screening::repo().join(dir)) else {
            continue;
        };
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("attacks") && n.ends_with(".jsonl"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

#[test]
fn categories_on_prompts_and_streams() {
    let policy = screening::default_policy();
    let categories = screening::policy_categories();
    let files = category_files();
    let mut texts: Vec<(String, usize, String, Vec<String>)> = Vec::new();
    for file in &files {
        for (number, raw) in screening::corpus_lines(file) {
            let (text, labels) = category_labels(number, &raw);
            texts.push((file.clone(), number, text, labels));
        }
    }
    let prose = prose();
    let mut names: Vec<String> = categories.clone();
    for (_, _, _, labels) in &texts {
        for l in labels {
            if !names.contains(l) {
                names.push(l.clone());
            }
        }
    }
    let mut scores: BTreeMap<(String, Path), (Score, usize)> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    for path in PATHS {
        for (file, number, text, labels) in &texts {
            let line = Line {
                number: *number,
                text: text.clone(),
                source: file.clone(),
                expect: Vec::new(),
            };
            let seen = through(path, &policy, &line);
            for name in &names {
                let found = seen.count(name) > 0;
                let expected = labels.contains(name);
                let (score, _) = scores.entry((name.clone(), path)).or_default();
                match (found, expected) {
                    (true, true) => score.tp += 1,
                    (true, false) => score.fp += 1,
                    (false, true) => score.fn_ += 1,
                    (false, false) => {}
                }
                if found != expected {
                    let what = if found { "false positive" } else { "missed" };
                    misses.push(format!(
                        "{} {what} {name}: {file}:{number}: {}",
                        path.name(),
                        excerpt(text, 100)
                    ));
                }
            }
        }
        for p in prose {
            let seen = p.seen(path);
            for name in &names {
                if seen.count(name) > 0 {
                    scores.entry((name.clone(), path)).or_default().1 += 1;
                }
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\ncategories, default policy: {} labelled texts ({}); fp(prose) = prose lines with a finding (flags included), not in precision",
        texts.len(),
        files.join(", ")
    );
    let _ = writeln!(
        out,
        "{:<24} {:<6} {:>5} {:>5} {:>5} {:>9} {:>9} {:>7}",
        "category", "path", "tp", "fp", "fn", "fp(prose)", "precision", "recall"
    );
    let mut failures = Vec::new();
    for name in &names {
        let note = if categories.contains(name) {
            ""
        } else {
            "  (label not in the default policy)"
        };
        for path in PATHS {
            let (s, prose_hits) = scores
                .get(&(name.clone(), path))
                .copied()
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<24} {:<6} {:>5} {:>5} {:>5} {:>9} {:>9.3} {:>7.3}{note}",
                name,
                path.name(),
                s.tp,
                s.fp,
                s.fn_,
                prose_hits,
                s.precision(),
                s.recall()
            );
            if s.tp + s.fn_ + s.fp > 0 && (s.precision() < THRESHOLD || s.recall() < THRESHOLD) {
                failures.push(format!(
                    "{name} {}: precision {:.3}, recall {:.3} (below {THRESHOLD})",
                    path.name(),
                    s.precision(),
                    s.recall()
                ));
            }
        }
    }
    let _ = writeln!(out, "\ncategory misses: {}", misses.len());
    for m in &misses {
        let _ = writeln!(out, "  {m}");
    }
    println!("{out}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The harness itself: a clean text arrives unchanged on both paths, a plain
/// email does not, a cut stream re-joins to its text, and a multi-line
/// value counts as leaked when one of its lines gets through.
#[test]
fn harness_sees_what_the_other_side_sees() {
    let policy = screening::default_policy();
    let clean = "The meeting moved to Tuesday; bring the slides.";
    let email = "Write to jane.doe@example.com about it.";
    for path in PATHS {
        let line = |text: &str| Line {
            number: 7,
            text: text.to_string(),
            source: String::new(),
            expect: Vec::new(),
        };
        let seen = through(path, &policy, &line(clean));
        assert!(seen.unchanged(clean), "{}: {:?}", path.name(), seen.text);
        let seen = through(path, &policy, &line(email));
        assert!(
            !seen.leaks("jane.doe@example.com"),
            "{}: {:?}",
            path.name(),
            seen.text
        );
        assert_eq!(seen.count("email"), 1, "{}: {:?}", path.name(), seen.found);
    }
    let mut rng = screening::Rng::new(3);
    let cut = screening::pieces(email, &mut rng);
    assert!(cut.iter().all(|p| (1..=7).contains(&p.chars().count())));
    assert_eq!(cut.concat(), email);
    let block = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGx1c3RyZWFsbHlub3RhcmVhbGtleQ\n-----END PRIVATE KEY-----";
    assert!(screening::leaks(
        "[SECRET]\nMC4CAQAwBQYDK2VwBCIEIGx1c3RyZWFsbHlub3RhcmVhbGtleQ\n",
        block
    ));
    assert!(!screening::leaks(
        "-----BEGIN PRIVATE KEY-----\n[SECRET]\n-----END PRIVATE KEY-----",
        block
    ));
}
