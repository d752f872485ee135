//! `llm-policy`: the filter's own policy parser on the command line.
//!
//! - `llm-policy validate FILE…`: one line per file; exit 0 when all are
//!   valid, 1 when any is refused, 2 on usage or I/O errors.
//! - `llm-policy stats-tags`: the Envoy `stats_tags` that turn the filter's
//!   metric names into Prometheus labels (JSON, for a bootstrap's `stats_config`).
//! - `llm-policy explain POLICY [--method M] [--path P] [--host H] [-H 'name: value']…
//!   [--route-name R] [--body FILE] [--canary-halted]`: every decision the filter
//!   would take for that request. Exit 1 if the policy is refused.

//! - `llm-policy render --configmap FILE --kind wasmplugin|trafficextension|envoyfilter
//!   --name N --url URL [--namespace NS] [--sha256 HEX | --sha256-file FILE]
//!   [--selector k=v]… [--fail-strategy S] [--phase P] [--priority N]
//!   [--hold-headers true|false]`: the Istio resource installing the filter with the
//!   ConfigMap's policy as `pluginConfig` (YAML). `--hold-headers` (EnvoyFilter only,
//!   default true: Envoy 1.35+) holds request headers until the body is judged.

mod explain;
mod render;

use explain::{explain, ExplainRequest};
use llm_policy_core::metrics::{tag_regex, TAG_NAMES};
use llm_policy_core::policy::Policy;
use llm_policy_core::request::RequestHead;
use std::process::ExitCode;

const USAGE: &str = "usage: llm-policy validate FILE...\n       llm-policy stats-tags\n       \
llm-policy explain POLICY [--method M] [--path P] [--host H] [-H 'name: value']... \
[--route-name R] [--body FILE] [--canary-halted]\n       \
llm-policy render --configmap FILE --kind wasmplugin|trafficextension|envoyfilter --name N --url URL \
[--namespace NS] [--sha256 HEX | --sha256-file FILE] [--selector k=v]... [--fail-strategy S] [--phase P] [--priority N] \
[--hold-headers true|false]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("validate") if args.len() > 1 => validate(&args[1..]),
        Some("explain") if args.len() > 1 => run_explain(&args[1], &args[2..]),
        Some("render") => run_render(&args[1..]),
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

/// The CLI's environment stands in for the Wasm VM's (`*_env` fields).
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn validate(files: &[String]) -> ExitCode {
    let mut worst = 0u8;
    for file in files {
        match std::fs::read(file) {
            Err(e) => {
                eprintln!("{file}: cannot read: {e}");
                worst = 2;
            }
            Ok(bytes) => match Policy::parse_with_env(&bytes, &process_env) {
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

fn run_explain(policy_file: &str, opts: &[String]) -> ExitCode {
    let policy = match std::fs::read(policy_file).map(|b| Policy::parse_with_env(&b, &process_env))
    {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            println!("{policy_file}: {e}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("{policy_file}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let mut req = ExplainRequest {
        head: RequestHead {
            method: "POST".into(),
            path: "/v1/chat/completions".into(),
            authority: "localhost".into(),
            headers: Vec::new(),
            route_name: None,
        },
        body: None,
        canary_halted: false,
    };
    let mut it = opts.iter();
    while let Some(opt) = it.next() {
        let mut value = || it.next().cloned();
        let ok = match opt.as_str() {
            "--method" => value()
                .map(|v| req.head.method = v.to_ascii_uppercase())
                .is_some(),
            "--path" => value().map(|v| req.head.path = v).is_some(),
            "--host" => value().map(|v| req.head.authority = v).is_some(),
            "--route-name" => value().map(|v| req.head.route_name = Some(v)).is_some(),
            "--canary-halted" => {
                req.canary_halted = true;
                true
            }
            "-H" => match value().as_deref().and_then(|h| h.split_once(':')) {
                Some((n, v)) => {
                    req.head
                        .headers
                        .push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
                    true
                }
                None => false,
            },
            "--body" => match value().map(std::fs::read) {
                Some(Ok(b)) => {
                    req.body = Some(b);
                    true
                }
                Some(Err(e)) => {
                    eprintln!("--body: {e}");
                    return ExitCode::from(2);
                }
                None => false,
            },
            _ => false,
        };
        if !ok {
            eprintln!("explain: bad option {opt}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    for line in explain(&policy, &req) {
        println!("{line}");
    }
    ExitCode::SUCCESS
}

fn run_render(opts: &[String]) -> ExitCode {
    let mut a = render::RenderArgs {
        kind: "wasmplugin".into(),
        name: "llm-policy".into(),
        namespace: None,
        url: String::new(),
        sha256: None,
        selector: Vec::new(),
        fail_strategy: "FAIL_CLOSE".into(),
        phase: "AUTHZ".into(),
        priority: 10,
        hold_headers: true,
    };
    let mut configmap = None;
    let mut it = opts.iter();
    while let Some(opt) = it.next() {
        let Some(v) = it.next().cloned() else {
            eprintln!("render: {opt} needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        match opt.as_str() {
            "--configmap" => configmap = Some(v),
            "--kind" => a.kind = v.to_ascii_lowercase(),
            "--name" => a.name = v,
            "--namespace" => a.namespace = Some(v),
            "--url" => a.url = v,
            "--sha256" => a.sha256 = Some(v),
            "--sha256-file" => match std::fs::read_to_string(&v) {
                Ok(t) => a.sha256 = t.split_whitespace().next().map(str::to_string),
                Err(e) => {
                    eprintln!("{v}: {e}");
                    return ExitCode::from(2);
                }
            },
            "--selector" => match v.split_once('=') {
                Some((k, val)) => a.selector.push((k.to_string(), val.to_string())),
                None => {
                    eprintln!("render: --selector wants key=value");
                    return ExitCode::from(2);
                }
            },
            "--fail-strategy" => a.fail_strategy = v,
            "--hold-headers" => match v.as_str() {
                "true" => a.hold_headers = true,
                "false" => a.hold_headers = false,
                _ => {
                    eprintln!("render: --hold-headers wants true or false");
                    return ExitCode::from(2);
                }
            },
            "--phase" => a.phase = v,
            "--priority" => match v.parse() {
                Ok(n) => a.priority = n,
                Err(_) => {
                    eprintln!("render: --priority wants a number");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("render: bad option {opt}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(configmap), false) = (configmap, a.url.is_empty()) else {
        eprintln!("render: --configmap and --url are required\n{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&configmap) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{configmap}: {e}");
            return ExitCode::from(2);
        }
    };
    match render::policy_from_configmap(&text).and_then(|p| render::render(p, &a)) {
        Ok(resource) => {
            print!("{}", render::to_yaml(&resource));
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{configmap}: {e}");
            ExitCode::from(1)
        }
    }
}
