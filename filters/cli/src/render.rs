//! `llm-policy render`: from a policy (a policy file, the policy ConfigMap or
//! the live path's ECDS ConfigMap) to the resources that install the filter:
//! a WasmPlugin, TrafficExtension or EnvoyFilter carrying the policy, or the
//! live ConfigMap path (`envoyfilter-ecds`, `ecds-mount`, `ecds`: see [`crate::ecds`]).

use crate::ecds::{self, FilterOptions, Module};
use crate::input::PolicySource;
use llm_policy_core::policy::Policy;
use serde_json::{json, Map, Value};

/// The kinds `--kind` accepts.
pub const KINDS: &str =
    "wasmplugin, trafficextension, envoyfilter, envoyfilter-ecds, ecds-mount or ecds";

/// What to render, from the command line.
pub struct RenderArgs {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub url: String,
    pub sha256: Option<String>,
    pub selector: Vec<(String, String)>,
    pub fail_strategy: String,
    pub phase: String,
    pub priority: i64,
    /// EnvoyFilter: set `allow_on_headers_stop_iteration` (Envoy 1.35+) and,
    /// beside it, the VM variable `LLM_POLICY_HOLD_HEADERS` that tells the
    /// filter it may hold request headers until the body is judged.
    pub hold_headers: bool,
    /// Live path: the EnvoyFilter's `match.context` (`SIDECAR_INBOUND`,
    /// `SIDECAR_OUTBOUND`, `GATEWAY`); `GATEWAY` also makes `ecds-mount` a
    /// volume on the gateway Deployment instead of sidecar annotations.
    pub context: String,
    /// Live path: where the ConfigMap is mounted in the proxy container.
    pub mount: String,
    /// Live path: the Envoy cluster a remote module is fetched through
    /// (default: Istio's outbound cluster for the URL's host and port).
    pub wasm_cluster: Option<String>,
}

/// The whole `render` output for `source`'s policy, validated first by the
/// filter's parser: YAML documents (`---` between them), or for `--kind ecds`
/// the ECDS resource file itself.
pub fn render_output(source: &PolicySource, a: &RenderArgs) -> Result<String, String> {
    if a.kind == "ecds-mount" {
        check_context(&a.context)?;
        return Ok(to_yaml(&ecds::mount_patch(&a.name, &a.context, &a.mount)));
    }
    let at = source
        .location
        .as_ref()
        .map(|l| format!("{l}: "))
        .unwrap_or_default();
    Policy::parse_with_env(source.text.as_bytes(), &crate::process_env)
        .map_err(|e| format!("{at}{e}"))?;
    let live = |a: &RenderArgs| -> Result<String, String> {
        let module = Module::from_url(&a.url, a.sha256.as_deref(), a.wasm_cluster.as_deref())?;
        Ok(ecds::ecds_resource(
            &source.text,
            &FilterOptions {
                module: &module,
                fail_open: a.fail_strategy == "FAIL_OPEN",
                hold_headers: a.hold_headers,
                version: "1",
            },
        ))
    };
    let metadata = metadata(a);
    let labels = (!a.selector.is_empty()).then(|| {
        Value::Object(
            a.selector
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect(),
        )
    });
    match a.kind.as_str() {
        "ecds" => live(a),
        "envoyfilter-ecds" => {
            check_context(&a.context)?;
            let resource = live(a)?;
            let cm = ecds::configmap(&metadata, &resource);
            let ef = ecds::envoy_filter(&metadata, labels, &a.context, &a.mount);
            Ok(format!("{}---\n{}", to_yaml(&cm), to_yaml(&ef)))
        }
        _ => {
            let policy: Value =
                serde_json::from_str(&source.text).map_err(|e| format!("{at}{e}"))?;
            render(policy, a).map(|r| to_yaml(&r))
        }
    }
}

fn check_context(context: &str) -> Result<(), String> {
    match context {
        "SIDECAR_INBOUND" | "SIDECAR_OUTBOUND" | "GATEWAY" => Ok(()),
        other => Err(format!(
            "--context {other}: expected SIDECAR_INBOUND, SIDECAR_OUTBOUND or GATEWAY"
        )),
    }
}

fn metadata(a: &RenderArgs) -> Map<String, Value> {
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(a.name));
    if let Some(ns) = &a.namespace {
        metadata.insert("namespace".into(), json!(ns));
    }
    metadata
}

/// The resource as a JSON value (printed as YAML by [`to_yaml`]).
pub fn render(policy: Value, a: &RenderArgs) -> Result<Value, String> {
    let metadata = metadata(a);
    let selector = (!a.selector.is_empty()).then(|| {
        let labels: Map<String, Value> = a
            .selector
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({ "matchLabels": labels })
    });
    let mut wasm = Map::new();
    wasm.insert("url".into(), json!(a.url));
    if let Some(sha) = &a.sha256 {
        wasm.insert("sha256".into(), json!(sha));
    }
    wasm.insert("imagePullPolicy".into(), json!("IfNotPresent"));
    wasm.insert("failStrategy".into(), json!(a.fail_strategy));
    wasm.insert("pluginConfig".into(), policy.clone());
    let env = host_env_keys(&policy);
    if !env.is_empty() {
        let vars: Vec<Value> = env
            .iter()
            .map(|name| json!({"name": name, "valueFrom": "HOST"}))
            .collect();
        wasm.insert("vmConfig".into(), json!({ "env": vars }));
    }
    let mut spec = Map::new();
    if let Some(s) = &selector {
        spec.insert("selector".into(), s.clone());
    }
    spec.insert("phase".into(), json!(a.phase));
    spec.insert("priority".into(), json!(a.priority));
    match a.kind.as_str() {
        "wasmplugin" => {
            spec.extend(wasm);
            Ok(
                json!({"apiVersion": "extensions.istio.io/v1alpha1", "kind": "WasmPlugin",
                      "metadata": metadata, "spec": spec}),
            )
        }
        "trafficextension" => {
            spec.insert("wasm".into(), Value::Object(wasm));
            Ok(
                json!({"apiVersion": "extensions.istio.io/v1alpha1", "kind": "TrafficExtension",
                      "metadata": metadata, "spec": spec}),
            )
        }
        "envoyfilter" => Ok(envoy_filter(metadata, selector, policy, a)),
        other => Err(format!("unknown kind {other}, expected {KINDS}")),
    }
}

/// The environment variables the policy reads in the Wasm VM
/// (`trust.header.value_env`, `screening.redaction.key_env`,
/// `screening.guards[].api_key.value_env`, top level and per route), sorted:
/// the proxy passes them through from its own environment (set them on the
/// proxy from a Secret).
pub fn host_env_keys(policy: &Value) -> Vec<String> {
    let mut sections = vec![policy];
    if let Some(routes) = policy.get("routes").and_then(Value::as_array) {
        sections.extend(routes);
    }
    let mut keys: Vec<String> = sections
        .iter()
        .flat_map(|s| {
            let guards = s
                .pointer("/screening/guards")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|g| g.pointer("/api_key/value_env"));
            [
                s.pointer("/trust/header/value_env"),
                s.pointer("/screening/redaction/key_env"),
            ]
            .into_iter()
            .chain(guards)
        })
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// An EnvoyFilter inserting the Wasm filter before the router of inbound HTTP
/// listeners; the module is fetched from `url` (http/https, through Istio's
/// outbound cluster for its host) and checked against sha256.
fn envoy_filter(
    metadata: Map<String, Value>,
    selector: Option<Value>,
    policy: Value,
    a: &RenderArgs,
) -> Value {
    // Istio's outbound cluster for the module's host (declare it with a ServiceEntry).
    let host = a
        .url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or("wasm-registry");
    let port = if a.url.starts_with("http://") {
        80
    } else {
        443
    };
    let mut remote = json!({"http_uri": {"uri": a.url, "timeout": "30s",
                                         "cluster": format!("outbound|{port}||{host}")}});
    if let Some(sha) = &a.sha256 {
        remote["sha256"] = json!(sha);
    }
    let mut vm_config = json!({"vm_id": "llm-policy", "runtime": "envoy.wasm.runtime.v8",
                               "code": {"remote": remote}});
    let env = host_env_keys(&policy);
    if !env.is_empty() {
        vm_config["environment_variables"] = json!({ "host_env_keys": env });
    }
    if a.hold_headers {
        vm_config["environment_variables"]["key_values"] =
            json!({"LLM_POLICY_HOLD_HEADERS": "true"});
    }
    let mut spec = Map::new();
    if let Some(s) = selector {
        spec.insert(
            "workloadSelector".into(),
            json!({"labels": s["matchLabels"]}),
        );
    }
    spec.insert(
        "configPatches".into(),
        json!([{
        "applyTo": "HTTP_FILTER",
        "match": {"context": "SIDECAR_INBOUND", "listener": {"filterChain": {"filter": {
            "name": "envoy.filters.network.http_connection_manager",
            "subFilter": {"name": "envoy.filters.http.router"}}}}},
        "patch": {"operation": "INSERT_BEFORE", "value": {
            "name": "llm-policy",
            "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                "config": {
                    "name": "llm-policy", "root_id": "llm-policy",
                    "fail_open": a.fail_strategy == "FAIL_OPEN",
                    "allow_on_headers_stop_iteration": a.hold_headers,
                    "vm_config": vm_config,
                    "configuration": {"@type": "type.googleapis.com/google.protobuf.StringValue",
                                      "value": policy.to_string()}}}}}}]),
    );
    json!({"apiVersion": "networking.istio.io/v1alpha3", "kind": "EnvoyFilter",
           "metadata": metadata, "spec": spec})
}

/// Block-style YAML for a JSON value: maps and lists indented, scalars as JSON
/// (a JSON scalar is valid YAML), empty containers inline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    emit(v, 0, &mut out);
    out
}

fn emit(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, val) in m {
                out.push_str(&format!("{pad}{}:", key(k)));
                nested(val, indent, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        let mut first = true;
                        for (k, val) in m {
                            if first {
                                out.push_str(&format!(" {}:", key(k)));
                                first = false;
                            } else {
                                out.push_str(&format!("{pad}  {}:", key(k)));
                            }
                            nested(val, indent + 2, out);
                        }
                    }
                    _ => nested(item, indent, out),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

fn nested(val: &Value, indent: usize, out: &mut String) {
    match val {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit(val, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            emit(val, indent + 2, out);
        }
        Value::String(s) if literal_ok(s) => {
            let chomp = if s.ends_with('\n') { "" } else { "-" };
            out.push_str(&format!(" |{chomp}\n"));
            let pad = " ".repeat(indent + 2);
            for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{pad}{line}\n"));
                }
            }
        }
        other => out.push_str(&format!(" {}\n", scalar(other))),
    }
}

/// A multi-line string YAML can carry as a literal block (`|` or `|-`)
/// unchanged: no control characters but line feeds, none of YAML's other
/// line breaks or a BOM, a first line that is neither empty nor indented, no
/// line of only spaces, at most one final line feed. `envoy/render.py`
/// applies the same rule (a test compares the two byte for byte).
fn literal_ok(s: &str) -> bool {
    let first = s.split('\n').next().unwrap_or_default();
    s.contains('\n')
        && !first.is_empty()
        && !first.starts_with(' ')
        && !s.ends_with("\n\n")
        && !s
            .chars()
            .any(|c| (c.is_control() && c != '\n') || "\u{2028}\u{2029}\u{feff}".contains(c))
        && !s
            .split('\n')
            .any(|l| !l.is_empty() && l.bytes().all(|b| b == b' '))
}

fn key(k: &str) -> String {
    let plain = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c));
    if plain {
        k.to_string()
    } else {
        scalar(&json!(k))
    }
}

/// A scalar as JSON, which YAML reads the same, except that the characters
/// YAML 1.1 takes for line breaks or a BOM (JSON leaves them raw) are escaped.
fn scalar(v: &Value) -> String {
    match v {
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other
            .to_string()
            .replace('\u{85}', "\\u0085")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
            .replace('\u{feff}', "\\ufeff"),
    }
}
