//! Where a policy document comes from, for `validate`, `explain` and `render`.
//!
//! A file is read as, in order (in a multi-document YAML file, the first
//! document that is a ConfigMap or an ECDS resource):
//! - a ConfigMap manifest (YAML or JSON with `kind: ConfigMap`): its data key
//!   `policy.json` (the policy itself) or, failing that, `llm-policy.yaml`
//!   (the ECDS resource of the live path, see [`crate::ecds`]);
//! - an ECDS resource (a mapping with `resources`: the `TypedExtensionConfig`
//!   whose Wasm filter `configuration` is the policy, as
//!   `envoy/render.py ecds` and `llm-policy render --kind ecds` write it);
//! - otherwise the policy document itself, byte for byte (so the filter's
//!   parser reports duplicate keys and syntax errors exactly as the proxy would).
//!
//! Deliberately not read: Kustomize overlays, Helm templates, `binaryData`,
//! a second ConfigMap in the same file.

use serde_json::Value;

/// The Wasm filter's type URL (Envoy's `envoy.extensions.filters.http.wasm.v3.Wasm`).
pub const WASM_TYPE_URL: &str = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
/// The data key of the policy ConfigMap (`istio/policy-configmap.yaml`).
pub const POLICY_KEY: &str = "policy.json";
/// The data key (and file name in the mount) of the live path's ECDS resource.
pub const ECDS_KEY: &str = "llm-policy.yaml";

/// A policy document and where in the file it was found.
#[derive(Debug, Default, PartialEq)]
pub struct PolicySource {
    /// The policy text exactly as the proxy would receive it (empty: the embedded default).
    pub text: String,
    /// Where it sat in the file (`data."llm-policy.yaml" → resources[0] configuration`),
    /// `None` when the file is the policy itself.
    pub location: Option<String>,
}

/// Reads `path` and finds the policy in it (see the module docs).
pub fn read_policy(path: &str) -> Result<PolicySource, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?;
    policy_in(&bytes).map_err(ReadError::Shape)
}

/// Why [`read_policy`] found no policy.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read.
    Io(String),
    /// The file is a ConfigMap or ECDS resource without a policy where one belongs.
    Shape(String),
}

/// The policy carried by a file's bytes (see the module docs).
pub fn policy_in(bytes: &[u8]) -> Result<PolicySource, String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(raw(bytes));
    };
    for document in serde_yaml_ng::Deserializer::from_str(text) {
        let Ok(doc) = <Value as serde::Deserialize>::deserialize(document) else {
            // not YAML (or not this document): the filter's parser says why
            return Ok(raw(bytes));
        };
        if let Some(found) = policy_in_document(&doc)? {
            return Ok(found);
        }
    }
    Ok(raw(bytes))
}

/// The policy in one YAML document, `None` when it is neither a ConfigMap nor an ECDS resource.
fn policy_in_document(doc: &Value) -> Result<Option<PolicySource>, String> {
    if doc.get("kind").and_then(Value::as_str) == Some("ConfigMap") {
        let data = doc.get("data").and_then(Value::as_object);
        if let Some(text) = data.and_then(|d| d.get(POLICY_KEY)) {
            let text = text
                .as_str()
                .ok_or(format!("data.\"{POLICY_KEY}\" is not a string"))?;
            return Ok(Some(PolicySource {
                text: text.to_string(),
                location: Some(format!("data.\"{POLICY_KEY}\"")),
            }));
        }
        let Some(ecds) = data.and_then(|d| d.get(ECDS_KEY)).and_then(Value::as_str) else {
            return Err(format!(
                "the ConfigMap has neither data key {POLICY_KEY} nor {ECDS_KEY}"
            ));
        };
        let resource: Value = serde_yaml_ng::from_str(ecds)
            .map_err(|e| format!("data.\"{ECDS_KEY}\": not YAML: {e}"))?;
        let (text, at) = policy_in_ecds(&resource)
            .map_err(|e| format!("data.\"{ECDS_KEY}\": {e}"))?
            .ok_or(format!("data.\"{ECDS_KEY}\": not an ECDS resource"))?;
        return Ok(Some(PolicySource {
            text,
            location: Some(format!("data.\"{ECDS_KEY}\" {at}")),
        }));
    }
    Ok(policy_in_ecds(doc)?.map(|(text, at)| PolicySource {
        text,
        location: Some(at),
    }))
}

fn raw(bytes: &[u8]) -> PolicySource {
    PolicySource {
        text: String::from_utf8_lossy(bytes).into_owned(),
        location: None,
    }
}

/// `Ok(None)` when `doc` is not an ECDS resource (no `resources` list);
/// the policy text and its location when it is one carrying the Wasm filter.
fn policy_in_ecds(doc: &Value) -> Result<Option<(String, String)>, String> {
    let Some(resources) = doc.get("resources").and_then(Value::as_array) else {
        return Ok(None);
    };
    for (i, r) in resources.iter().enumerate() {
        let typed = r.get("typed_config");
        if typed.and_then(|t| t.get("@type")).and_then(Value::as_str) != Some(WASM_TYPE_URL) {
            continue;
        }
        let Some(configuration) = typed.and_then(|t| t.pointer("/config/configuration")) else {
            return Ok(Some((
                String::new(),
                format!("resources[{i}] (no configuration)"),
            )));
        };
        let text = configuration
            .get("value")
            .and_then(Value::as_str)
            .ok_or(format!(
                "resources[{i}]: configuration is not a google.protobuf.StringValue"
            ))?;
        return Ok(Some((
            text.to_string(),
            format!("resources[{i}] configuration"),
        )));
    }
    Err("the ECDS resource has no Wasm filter configuration".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "{\n  \"version\": 1,\n  \"revision\": \"r1\"\n}\n";

    #[test]
    fn a_policy_file_is_read_byte_for_byte() {
        let got = policy_in(POLICY.as_bytes()).unwrap();
        assert_eq!(got.text, POLICY);
        assert_eq!(got.location, None);
        // duplicate keys are left for the filter's parser to report
        let dup = b"{\"version\": 1, \"version\": 1}";
        assert_eq!(policy_in(dup).unwrap().text.as_bytes(), dup);
    }

    #[test]
    fn a_policy_configmap_gives_its_policy_json() {
        let cm = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n  policy.json: {}\n",
            serde_json::to_string(POLICY).unwrap()
        );
        let got = policy_in(cm.as_bytes()).unwrap();
        assert_eq!(got.text, POLICY);
        assert_eq!(got.location.as_deref(), Some("data.\"policy.json\""));
    }

    #[test]
    fn an_ecds_configmap_gives_the_filter_configuration() {
        let ecds = serde_json::json!({"version_info": "1", "resources": [{
            "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
            "name": "llm-policy",
            "typed_config": {"@type": WASM_TYPE_URL, "config": {"configuration": {
                "@type": "type.googleapis.com/google.protobuf.StringValue", "value": POLICY}}}}]});
        let cm = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
            "data": {ECDS_KEY: ecds.to_string()}});
        let got = policy_in(cm.to_string().as_bytes()).unwrap();
        assert_eq!(got.text, POLICY);
        assert_eq!(
            got.location.as_deref(),
            Some("data.\"llm-policy.yaml\" resources[0] configuration")
        );
        // the bare resource too
        assert_eq!(policy_in(ecds.to_string().as_bytes()).unwrap().text, POLICY);
        // and after another document, as `render --kind envoyfilter-ecds` writes them
        let two = format!("kind: EnvoyFilter\n---\n{cm}\n");
        assert_eq!(policy_in(two.as_bytes()).unwrap().text, POLICY);
    }

    #[test]
    fn a_configmap_without_a_policy_is_an_error() {
        let cm = "apiVersion: v1\nkind: ConfigMap\ndata: {other: x}\n";
        assert!(policy_in(cm.as_bytes()).unwrap_err().contains("neither"));
        let not_wasm = "resources: [{typed_config: {'@type': x}}]\n";
        assert!(policy_in(not_wasm.as_bytes())
            .unwrap_err()
            .contains("no Wasm filter"));
    }
}
