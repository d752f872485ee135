//! The request as the filter sees it at header time, read from the host once.

/// Request headers and the few properties the policy may need.
#[derive(Debug, Clone, Default)]
pub struct RequestHead {
    pub method: String,
    /// The full `:path`, query string included.
    pub path: String,
    /// `:authority` as sent.
    pub authority: String,
    /// All headers with lower-case names, pseudo-headers included, in order.
    pub headers: Vec<(String, String)>,
    /// Envoy's route name (`xds.route_name`), read only if the policy needs it.
    pub route_name: Option<String>,
}

impl RequestHead {
    /// The first value of a header; `name` must be lower-case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without its query string or fragment.
    pub fn path_only(&self) -> &str {
        let end = self.path.find(['?', '#']).unwrap_or(self.path.len());
        &self.path[..end]
    }

    /// The host without its port, lower-cased.
    pub fn host_only(&self) -> String {
        let a = self.authority.as_str();
        let host = if a.starts_with('[') {
            a.find(']').map_or(a, |i| &a[..=i])
        } else {
            a.rsplit_once(':').map_or(a, |(h, _)| h)
        };
        host.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn path_and_host_are_normalised() {
        let head = RequestHead {
            path: "/v1/chat/completions?x=1".into(),
            authority: "API.Example.com:8443".into(),
            ..Default::default()
        };
        assert_eq!(head.path_only(), "/v1/chat/completions");
        assert_eq!(head.host_only(), "api.example.com");
        let v6 = RequestHead {
            authority: "[::1]:10000".into(),
            ..Default::default()
        };
        assert_eq!(v6.host_only(), "[::1]");
    }
}
