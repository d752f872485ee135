//! `llm-policy`: the filter's own policy parser on the command line.
//!
//! - `llm-policy validate FILE…`: one line per file; exit 0 when all are
//!   valid, 1 when any is refused, 2 on usage or I/O errors. A FILE (for
//!   `explain` and `render --policy` too) is a policy, a ConfigMap manifest
//!   (data key `policy.json`, or `llm-policy.yaml` holding the ECDS resource)
//!   or an ECDS resource file: see `input.rs`.
//! - `llm-policy stats-tags`: the Envoy `stats_tags` that turn the filter's
//!   metric names into Prometheus labels (JSON, for a bootstrap's `stats_config`).
//! - `llm-policy metrics`: the metric catalogue (name, kind, labels, help) as JSON.
//! - `llm-policy explain POLICY [--method M] [--path P] [--host H] [-H 'name: value']…
//!   [--route-name R] [--body FILE] [--canary-halted]`: every decision the filter
//!   would take for that request. Exit 1 if the policy is refused.
//! - `llm-policy render (--configmap FILE | --policy FILE) --kind KIND
//!   --name N --url URL [--namespace NS] [--sha256 HEX | --sha256-file FILE]
//!   [--selector k=v]… [--fail-strategy S] [--phase P] [--priority N]
//!   [--hold-headers true|false] [--context C] [--mount DIR] [--wasm-cluster C]`:
//!   YAML installing the filter with that policy. KIND `wasmplugin`,
//!   `trafficextension`, `envoyfilter`: the policy inside the resource
//!   (`pluginConfig`). The live ConfigMap path: `envoyfilter-ecds` (the ConfigMap
//!   holding the ECDS resource, and the EnvoyFilter discovering it from the mount),
//!   `ecds-mount` (the Deployment patch mounting it into `istio-proxy`), `ecds`
//!   (the resource file alone, for plain Envoy). `--hold-headers` (EnvoyFilter and
//!   the live path, default true: Envoy 1.35+) holds request headers until the body
//!   is judged.

mod ecds;
mod explain;
mod input;
mod render;

use explain::{explain, ExplainRequest};
use input::{read_policy, PolicySource, ReadError};
use llm_policy_core::metrics::{catalogue_json, stats_tags_json};
use llm_policy_core::policy::Policy;
use llm_policy_core::request::RequestHead;
use std::process::ExitCode;

const USAGE: &str = "usage: llm-policy validate FILE...\n       llm-policy stats-tags\n       llm-policy metrics\n       \
llm-policy explain POLICY [--method M] [--path P] [--host H] [-H 'name: value']... \
[--route-name R] [--body FILE] [--canary-halted]\n       \
llm-policy render (--configmap FILE | --policy FILE) \
--kind wasmplugin|trafficextension|envoyfilter|envoyfilter-ecds|ecds-mount|ecds --name N --url URL \
[--namespace NS] [--sha256 HEX | --sha256-file FILE] [--selector k=v]... [--fail-strategy S] [--phase P] [--priority N] \
[--hold-headers true|false] [--context SIDECAR_INBOUND|SIDECAR_OUTBOUND|GATEWAY] [--mount DIR] [--wasm-cluster C]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("validate") if args.len() > 1 => validate(&args[1..]),
        Some("explain") if args.len() > 1 => run_explain(&args[1], &args[2..]),
        Some("render") => run_render(&args[1..]),
        Some("stats-tags") => {
            println!("{}", stats_tags_json());
            ExitCode::SUCCESS
        }
        Some("metrics") => {
            println!("{}", catalogue_json());
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
        match read_policy(file) {
            Err(ReadError::Io(e)) => {
                eprintln!("{file}: cannot read: {e}");
                worst = 2;
            }
            Err(ReadError::Shape(e)) => {
                println!("{file}: {e}");
                worst = worst.max(1);
            }
            Ok(source) => match Policy::parse_with_env(source.text.as_bytes(), &process_env) {
                Ok(p) => println!(
                    "{}: ok (revision {}, {} route rules)",
                    located(file, &source),
                    p.revision,
                    p.routes.len()
                ),
                Err(e) => {
                    println!("{}: {e}", located(file, &source));
                    worst = worst.max(1);
                }
            },
        }
    }
    ExitCode::from(worst)
}

/// `FILE` or, for a policy found inside a manifest, `FILE data."…"`.
fn located(file: &str, source: &PolicySource) -> String {
    match &source.location {
        Some(at) => format!("{file} {at}"),
        None => file.to_string(),
    }
}

fn run_explain(policy_file: &str, opts: &[String]) -> ExitCode {
    let policy = match read_policy(policy_file) {
        Ok(source) => match Policy::parse_with_env(source.text.as_bytes(), &process_env) {
            Ok(p) => p,
            Err(e) => {
                println!("{}: {e}", located(policy_file, &source));
                return ExitCode::from(1);
            }
        },
        Err(ReadError::Shape(e)) => {
            println!("{policy_file}: {e}");
            return ExitCode::from(1);
        }
        Err(ReadError::Io(e)) => {
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
        context: "SIDECAR_INBOUND".into(),
        mount: ecds::DEFAULT_MOUNT.into(),
        wasm_cluster: None,
    };
    let mut configmap = None;
    let mut it = opts.iter();
    while let Some(opt) = it.next() {
        let Some(v) = it.next().cloned() else {
            eprintln!("render: {opt} needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        match opt.as_str() {
            "--configmap" | "--policy" => configmap = Some(v),
            "--context" => a.context = v.to_ascii_uppercase(),
            "--mount" => a.mount = v,
            "--wasm-cluster" => a.wasm_cluster = Some(v),
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
    // ecds-mount carries no policy and no module: only names and the mount.
    let needs_policy = a.kind != "ecds-mount";
    let (Some(configmap), false) = (configmap, needs_policy && a.url.is_empty()) else {
        if !needs_policy {
            return print_render(&PolicySource::default(), &a, "render");
        }
        eprintln!("render: --configmap (or --policy) and --url are required\n{USAGE}");
        return ExitCode::from(2);
    };
    let source = match read_policy(&configmap) {
        Ok(s) => s,
        Err(ReadError::Io(e)) => {
            eprintln!("{configmap}: {e}");
            return ExitCode::from(2);
        }
        Err(ReadError::Shape(e)) => {
            println!("{configmap}: {e}");
            return ExitCode::from(1);
        }
    };
    print_render(&source, &a, &configmap)
}

fn print_render(source: &PolicySource, a: &render::RenderArgs, file: &str) -> ExitCode {
    match render::render_output(source, a) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{file}: {e}");
            ExitCode::from(1)
        }
    }
}
