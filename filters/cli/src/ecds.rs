//! The live ConfigMap path: the filter's configuration as an ECDS resource in a
//! ConfigMap, mounted into the proxy, read by Envoy from a watched directory.
//!
//! - [`ecds_resource`]: the resource file (`llm-policy.yaml`), byte for byte what
//!   `envoy/render.py ecds` writes for a local module (a test holds them together);
//!   the policy text is kept verbatim, as a YAML literal block when it can be, so
//!   `kubectl edit configmap` shows the document as it was written.
//! - [`configmap`]: the ConfigMap holding it under data key `llm-policy.yaml`.
//! - [`envoy_filter`]: an EnvoyFilter inserting the Wasm HTTP filter before the
//!   router with `config_discovery` from the watched mount (no `typed_config`:
//!   Envoy reads the filter from the file; istiod never sees the policy).
//! - [`mount_patch`]: the Deployment patch that mounts the ConfigMap into the
//!   `istio-proxy` container: pod annotations `sidecar.istio.io/userVolume` /
//!   `userVolumeMount` for sidecars, a volume and a volumeMount for gateways.
//!
//! Deliberately not offered: `oci://` modules (only istio-agent pulls OCI, and it
//! never sees a file-sourced ECDS resource), a module inside the ConfigMap (a
//! ConfigMap holds at most 1 MiB; the module is larger).

use crate::input::{ECDS_KEY, WASM_TYPE_URL};
use crate::render::{host_env_keys, to_yaml};
use serde_json::{json, Map, Value};

/// The HTTP filter's name, the ECDS resource's name and the VM id; Envoy's
/// ECDS stats are `extension_config_discovery.http_filter.llm-policy.*`.
pub const FILTER_NAME: &str = "llm-policy";
/// Where the ConfigMap is mounted in the proxy container, by default.
pub const DEFAULT_MOUNT: &str = "/etc/llm-policy";
/// The VM variables every ECDS resource passes through from the proxy's
/// environment, whether or not the policy names them today: a live edit may
/// start naming them, and a variable the proxy lacks is simply absent.
pub const STANDARD_ENV: [&str; 2] = ["LLM_POLICY_REDACTION_KEY", "LLM_POLICY_TRUST_TOKEN"];

/// Where the proxy gets the module from.
#[derive(Debug, PartialEq)]
pub enum Module {
    /// A file in the proxy container (`file:///…` or an absolute path).
    Local(String),
    /// Fetched by Envoy over HTTP(S) through `cluster`, checked against `sha256`.
    Remote {
        url: String,
        cluster: String,
        sha256: String,
    },
}

impl Module {
    /// From `--url` and `--sha256`; `cluster` overrides Istio's outbound
    /// cluster name for the URL's host (`outbound|PORT||HOST`).
    pub fn from_url(
        url: &str,
        sha256: Option<&str>,
        cluster: Option<&str>,
    ) -> Result<Module, String> {
        if let Some(path) = url.strip_prefix("file://") {
            return Ok(Module::Local(path.to_string()));
        }
        if url.starts_with('/') {
            return Ok(Module::Local(url.to_string()));
        }
        let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
        let default_port = match scheme {
            "http" => 80,
            "https" => 443,
            _ => {
                return Err(format!(
                    "--url {url}: the live path loads the module with Envoy's own code source: \
                     file:///path in the proxy container, or http(s):// with --sha256 \
                     (oci:// is pulled only by istio-agent, which a file-sourced ECDS resource bypasses)"
                ))
            }
        };
        let sha256 = sha256
            .filter(|s| !s.is_empty())
            .ok_or("a remote module needs --sha256 or --sha256-file (Envoy requires it)")?;
        let authority = rest.split('/').next().unwrap_or_default();
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if p.parse::<u16>().is_ok() => (h, p.to_string()),
            _ => (authority, default_port.to_string()),
        };
        Ok(Module::Remote {
            url: url.to_string(),
            cluster: cluster
                .map(str::to_string)
                .unwrap_or(format!("outbound|{port}||{host}")),
            sha256: sha256.to_string(),
        })
    }

    fn code(&self) -> Value {
        match self {
            Module::Local(path) => json!({"local": {"filename": path}}),
            Module::Remote {
                url,
                cluster,
                sha256,
            } => json!({"remote": {
                "http_uri": {"uri": url, "cluster": cluster, "timeout": "30s"},
                "sha256": sha256,
                "retry_policy": {"num_retries": 3}}}),
        }
    }
}

/// How the filter runs, beside its policy.
pub struct FilterOptions<'a> {
    pub module: &'a Module,
    pub fail_open: bool,
    /// `allow_on_headers_stop_iteration` and the VM variable `LLM_POLICY_HOLD_HEADERS`.
    pub hold_headers: bool,
    /// ECDS `version_info` (Envoy shows it in config_dump; the policy's `revision` is what counts).
    pub version: &'a str,
}

/// The VM variables passed through: [`STANDARD_ENV`] and any other the policy names.
fn env_keys(policy_text: &str) -> Vec<String> {
    let named = serde_json::from_str::<Value>(policy_text)
        .map(|p| host_env_keys(&p))
        .unwrap_or_default();
    let mut keys: Vec<String> = STANDARD_ENV.iter().map(|s| s.to_string()).collect();
    keys.extend(named);
    keys.sort();
    keys.dedup();
    keys
}

/// The ECDS resource file: one `TypedExtensionConfig` named [`FILTER_NAME`]
/// holding the Wasm filter with `policy_text` as its configuration.
pub fn ecds_resource(policy_text: &str, o: &FilterOptions) -> String {
    let hold = if o.hold_headers { "true" } else { "false" };
    let wasm = json!({
        "name": FILTER_NAME,
        "root_id": FILTER_NAME,
        "fail_open": o.fail_open,
        "allow_on_headers_stop_iteration": o.hold_headers,
        "vm_config": {
            "vm_id": FILTER_NAME,
            "runtime": "envoy.wasm.runtime.v8",
            "environment_variables": {
                "host_env_keys": env_keys(policy_text),
                "key_values": {"LLM_POLICY_HOLD_HEADERS": hold},
            },
            "code": o.module.code(),
        },
        "configuration": {"@type": "type.googleapis.com/google.protobuf.StringValue",
                          "value": policy_text},
    });
    to_yaml(&json!({"version_info": o.version, "resources": [{
        "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
        "name": FILTER_NAME,
        "typed_config": {"@type": WASM_TYPE_URL, "config": wasm},
    }]}))
}

/// The ConfigMap holding the ECDS resource under data key [`ECDS_KEY`].
pub fn configmap(metadata: &Map<String, Value>, resource: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata,
           "data": {ECDS_KEY: resource}})
}

/// The EnvoyFilter inserting the filter before the router of the HTTP
/// listeners in `context` (`SIDECAR_INBOUND`, `SIDECAR_OUTBOUND`, `GATEWAY`),
/// its configuration discovered from `mount`/`llm-policy.yaml`.
pub fn envoy_filter(
    metadata: &Map<String, Value>,
    labels: Option<Value>,
    context: &str,
    mount: &str,
) -> Value {
    let mut spec = Map::new();
    if let Some(l) = labels {
        spec.insert("workloadSelector".into(), json!({ "labels": l }));
    }
    spec.insert(
        "configPatches".into(),
        json!([{
        "applyTo": "HTTP_FILTER",
        "match": {"context": context, "listener": {"filterChain": {"filter": {
            "name": "envoy.filters.network.http_connection_manager",
            "subFilter": {"name": "envoy.filters.http.router"}}}}},
        "patch": {"operation": "INSERT_BEFORE", "value": http_filter(mount)}}]),
    );
    json!({"apiVersion": "networking.istio.io/v1alpha3", "kind": "EnvoyFilter",
           "metadata": metadata, "spec": spec})
}

/// The HTTP filter (Envoy's `HttpFilter`) the EnvoyFilter inserts.
pub fn http_filter(mount: &str) -> Value {
    let dir = mount.trim_end_matches('/');
    json!({"name": FILTER_NAME, "config_discovery": {
        "config_source": {"path_config_source": {
            "path": format!("{dir}/{ECDS_KEY}"),
            "watched_directory": {"path": dir}}},
        "type_urls": [WASM_TYPE_URL]}})
}

/// The strategic-merge patch for the workload's (or gateway's) Deployment that
/// mounts ConfigMap `configmap` at `mount` in the `istio-proxy` container.
/// Applying it rolls the pods once; later ConfigMap edits need no restart.
pub fn mount_patch(configmap: &str, context: &str, mount: &str) -> Value {
    let volume = json!({"name": "llm-policy-ecds", "configMap": {"name": configmap}});
    let dir = mount.trim_end_matches('/');
    let volume_mount = json!({"name": "llm-policy-ecds", "mountPath": dir, "readOnly": true});
    if context == "GATEWAY" {
        json!({"spec": {"template": {"spec": {
            "volumes": [volume],
            "containers": [{"name": "istio-proxy", "volumeMounts": [volume_mount]}]}}}})
    } else {
        json!({"spec": {"template": {"metadata": {"annotations": {
            "sidecar.istio.io/userVolume": json!([volume]).to_string(),
            "sidecar.istio.io/userVolumeMount": json!([volume_mount]).to_string()}}}}})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_urls() {
        assert_eq!(
            Module::from_url("file:///etc/wasm/x.wasm", None, None).unwrap(),
            Module::Local("/etc/wasm/x.wasm".into())
        );
        let m = Module::from_url("https://wasm.example.com/a.wasm", Some("ab"), None).unwrap();
        assert!(
            matches!(m, Module::Remote { ref cluster, .. } if cluster == "outbound|443||wasm.example.com")
        );
        let m = Module::from_url("http://wasm-server.ns:8080/a.wasm", Some("ab"), None).unwrap();
        assert!(
            matches!(m, Module::Remote { ref cluster, .. } if cluster == "outbound|8080||wasm-server.ns")
        );
        assert!(Module::from_url("https://h/a.wasm", None, None)
            .unwrap_err()
            .contains("--sha256"));
        assert!(Module::from_url("oci://r/x:1", Some("ab"), None)
            .unwrap_err()
            .contains("oci://"));
    }

    #[test]
    fn the_resource_keeps_the_policy_text_and_names_every_variable() {
        let policy = "{\n  \"version\": 1,\n  \"screening\": {\"redaction\": {\"key_env\": \"MY_KEY\"}}\n}\n";
        let module = Module::Local("/w.wasm".into());
        let o = FilterOptions {
            module: &module,
            fail_open: false,
            hold_headers: true,
            version: "1",
        };
        let text = ecds_resource(policy, &o);
        let parsed: Value = serde_yaml_ng::from_str(&text).unwrap();
        let config = &parsed["resources"][0]["typed_config"]["config"];
        assert_eq!(config["configuration"]["value"], policy);
        assert_eq!(
            config["vm_config"]["environment_variables"]["host_env_keys"],
            json!([
                "LLM_POLICY_REDACTION_KEY",
                "LLM_POLICY_TRUST_TOKEN",
                "MY_KEY"
            ])
        );
        assert!(
            text.contains("value: |\n"),
            "the policy is a literal block:\n{text}"
        );
    }

    #[test]
    fn sidecars_get_annotations_and_gateways_a_volume() {
        let p = mount_patch("cm", "SIDECAR_INBOUND", "/etc/llm-policy");
        let ann = &p["spec"]["template"]["metadata"]["annotations"];
        let vols: Value =
            serde_json::from_str(ann["sidecar.istio.io/userVolume"].as_str().unwrap()).unwrap();
        assert_eq!(vols[0]["configMap"]["name"], "cm");
        let g = mount_patch("cm", "GATEWAY", "/etc/llm-policy");
        assert_eq!(
            g["spec"]["template"]["spec"]["containers"][0]["name"],
            "istio-proxy"
        );
    }
}
