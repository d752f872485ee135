//! Which requests a route rule applies to.

use super::error::PolicyError;
use super::reader::Obj;
use serde_json::Value;

/// A host to match: exact, or `*.example.com` for any subdomain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMatch {
    Exact(String),
    /// The suffix including its leading dot: `.example.com`.
    Suffix(String),
}

/// A request header to match: present, or equal to a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMatch {
    /// Lower-cased header name.
    pub name: String,
    /// `None`: the header only has to be present.
    pub value: Option<String>,
}

/// All set conditions must hold; a match with no condition is refused at parse time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteMatch {
    pub prefix: Option<String>,
    pub route_name: Option<String>,
    pub host: Option<HostMatch>,
    pub header: Option<HeaderMatch>,
}

/// The request facts a route match reads.
pub struct MatchInput<'a> {
    /// The path without its query string.
    pub path: &'a str,
    /// `:authority` without the port, lower-cased.
    pub host: &'a str,
    /// Envoy's route name, when the policy needs it and Envoy has one.
    pub route_name: Option<&'a str>,
    pub header: &'a dyn Fn(&str) -> Option<&'a str>,
}

impl HeaderMatch {
    pub(super) fn parse(value: &Value, path: &str) -> Result<HeaderMatch, PolicyError> {
        let h = Obj::new(value, path, &["name", "value"])?;
        let name = h
            .opt_nonempty_str("name")?
            .ok_or_else(|| PolicyError::new(h.field_path("name"), "required"))?;
        Ok(HeaderMatch {
            name: name.to_ascii_lowercase(),
            value: h.opt_str("value")?.map(str::to_string),
        })
    }

    /// True when the header is present (and equal to `value`, if set).
    pub fn holds<'a>(&self, header: &dyn Fn(&str) -> Option<&'a str>) -> bool {
        match (header(&self.name), &self.value) {
            (None, _) => false,
            (Some(got), Some(want)) => got == want,
            (Some(_), None) => true,
        }
    }
}

impl RouteMatch {
    pub(super) fn parse(value: &Value, path: &str) -> Result<RouteMatch, PolicyError> {
        let obj = Obj::new(value, path, &["prefix", "route_name", "host", "header"])?;
        if obj.is_empty() {
            return Err(PolicyError::new(
                path,
                "set at least one of: prefix, route_name, host, header",
            ));
        }
        let prefix = obj.opt_nonempty_str("prefix")?;
        if let Some(p) = prefix {
            if !p.starts_with('/') {
                return Err(PolicyError::new(
                    obj.field_path("prefix"),
                    "must start with '/'",
                ));
            }
        }
        let host = obj.opt_nonempty_str("host")?.map(|h| {
            let h = h.to_ascii_lowercase();
            match h.strip_prefix('*') {
                Some(suffix) => HostMatch::Suffix(suffix.to_string()),
                None => HostMatch::Exact(h),
            }
        });
        if let Some(HostMatch::Suffix(s)) = &host {
            if !s.starts_with('.') {
                return Err(PolicyError::new(
                    obj.field_path("host"),
                    "a wildcard host must look like \"*.example.com\"",
                ));
            }
        }
        let header = match obj.get("header") {
            None => None,
            Some(h) => Some(HeaderMatch::parse(h, &obj.field_path("header"))?),
        };
        Ok(RouteMatch {
            prefix: prefix.map(str::to_string),
            route_name: obj.opt_nonempty_str("route_name")?.map(str::to_string),
            host,
            header,
        })
    }

    /// True when every condition set holds for the request.
    pub fn matches(&self, req: &MatchInput) -> bool {
        if let Some(p) = &self.prefix {
            if !req.path.starts_with(p.as_str()) {
                return false;
            }
        }
        if let Some(name) = &self.route_name {
            if req.route_name != Some(name.as_str()) {
                return false;
            }
        }
        match &self.host {
            Some(HostMatch::Exact(h)) if req.host != h => return false,
            Some(HostMatch::Suffix(s)) if !req.host.ends_with(s.as_str()) => return false,
            _ => {}
        }
        self.header.as_ref().is_none_or(|h| h.holds(req.header))
    }
}
