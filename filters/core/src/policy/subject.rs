//! The `subject` section: where the subject (who is asking) is read from.
//! Rules, experiments and canaries each may set their own sources.

use super::error::PolicyError;
use super::reader::Obj;

/// Where the subject (who is asking) is read from; the first source present wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectSource {
    /// A request header, e.g. `x-user-id` (lower-cased).
    Header(String),
    /// A cookie by name.
    Cookie(String),
    /// A claim of the bearer JWT in `authorization`. The filter does not verify
    /// the signature: use it behind Istio `RequestAuthentication`, which does.
    BearerClaim(String),
}

impl SubjectSource {
    /// The kind of source, as reported in debug headers and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            SubjectSource::Header(_) => "header",
            SubjectSource::Cookie(_) => "cookie",
            SubjectSource::BearerClaim(_) => "bearer_claim",
        }
    }
}

/// An optional `subject` field that overrides the rule's subject sources.
pub(super) fn parse_subject_override(obj: &Obj) -> Result<Option<Vec<SubjectSource>>, PolicyError> {
    match obj.get("subject") {
        Some(s) => Ok(Some(parse_subject(&Obj::new(
            s,
            &obj.field_path("subject"),
            &["sources"],
        )?)?)),
        None => Ok(None),
    }
}

pub(super) fn parse_subject(subject: &Obj) -> Result<Vec<SubjectSource>, PolicyError> {
    const KINDS: &[&str] = &["header", "cookie", "bearer_claim"];
    let mut sources = Vec::new();
    for (i, v) in subject
        .opt_array("sources")?
        .into_iter()
        .flatten()
        .enumerate()
    {
        let path = format!("{}[{i}]", subject.field_path("sources"));
        let src = Obj::new(v, &path, KINDS)?;
        let mut set = KINDS
            .iter()
            .filter_map(|k| src.get(k).map(|_| *k))
            .collect::<Vec<_>>();
        if set.len() != 1 {
            return Err(PolicyError::new(
                path,
                format!("set exactly one of: {}", KINDS.join(", ")),
            ));
        }
        let kind = set.remove(0);
        let name = src
            .opt_nonempty_str(kind)?
            .ok_or_else(|| PolicyError::new(src.field_path(kind), "must not be empty"))?;
        sources.push(match kind {
            "header" => SubjectSource::Header(name.to_ascii_lowercase()),
            "cookie" => SubjectSource::Cookie(name.to_string()),
            _ => SubjectSource::BearerClaim(name.to_string()),
        });
    }
    Ok(sources)
}
