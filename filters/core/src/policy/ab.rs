//! The `ab` section: sticky experiments, their arms and what each arm does.

use super::error::PolicyError;
use super::reader::Obj;
use super::subject::{parse_subject_override, SubjectSource};
use serde_json::Value;

/// What an experiment does for a request without a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSubject {
    /// Send it to the control arm.
    Control,
    /// Pick an arm by weight at random and make it sticky with this cookie.
    RandomSticky { cookie: String },
}

/// One arm: its share of the 100 buckets and what it changes on the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arm {
    pub name: String,
    /// Whole percent, 0..=100; an experiment's weights add up to 100.
    pub weight: u8,
    /// Request headers set (replacing any incoming copy), e.g. for VirtualService subsets.
    pub set_headers: Vec<(String, String)>,
    /// Rewrites the body's `model`.
    pub model: Option<String>,
    /// Sets or replaces the system prompt (chat: the first system message; responses: `instructions`).
    pub system_prompt: Option<String>,
}

/// A sticky experiment. Buckets are `md5("{id}:{subject}") mod 100`, as in the
/// common Python reference; arms take consecutive buckets in the order listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Experiment {
    /// Any non-empty string, as the reference accepts: it is hashed as given.
    pub id: String,
    /// The id made safe for metric labels, header and cookie names and the
    /// `x-ab-variant` list: every byte other than `A-Z a-z 0-9 - _` becomes
    /// `_`, cut to 64 bytes (`temp-0.2` → `temp-0_2`). Unique within a rule.
    pub label: String,
    /// Overrides the rule's subject sources for this experiment.
    pub subject: Option<Vec<SubjectSource>>,
    /// The request header that carries the arm name upstream (`x-ab-<id>` by default).
    pub header: String,
    pub arms: Vec<Arm>,
    /// Index of the control arm (`control`, default: the last arm listed).
    pub control: usize,
    pub no_subject: NoSubject,
}

impl Experiment {
    /// True when some arm rewrites the request body.
    pub fn rewrites_body(&self) -> bool {
        self.arms
            .iter()
            .any(|a| a.model.is_some() || a.system_prompt.is_some())
    }
}

/// The `ab` section of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AbConfig {
    pub experiments: Vec<Experiment>,
    /// Response header listing `id=arm` for each experiment; `None`: not sent.
    pub response_header: Option<String>,
}

pub(super) fn parse_ab(obj: &Obj) -> Result<AbConfig, PolicyError> {
    let mut config = AbConfig {
        experiments: Vec::new(),
        response_header: Some("x-ab-variant".into()),
    };
    if let Some(v) = obj.get("response_header") {
        config.response_header = match v {
            Value::Bool(false) => None,
            _ => Some(header_name(obj, "response_header")?),
        };
    }
    for (i, v) in obj
        .opt_array("experiments")?
        .into_iter()
        .flatten()
        .enumerate()
    {
        let exp = parse_experiment(v, &format!("{}[{i}]", obj.field_path("experiments")))?;
        if config.experiments.iter().any(|e| e.id == exp.id) {
            return Err(PolicyError::new(
                format!("{}[{i}].id", obj.field_path("experiments")),
                format!("duplicate experiment id \"{}\"", exp.id),
            ));
        }
        if let Some(j) = config.experiments.iter().position(|e| e.label == exp.label) {
            return Err(PolicyError::new(
                format!("{}[{i}].id", obj.field_path("experiments")),
                format!(
                    "its label \"{}\" (the id with every character other than letters, digits, \
                     '-' and '_' made '_') is also the label of experiments[{j}]",
                    exp.label
                ),
            ));
        }
        config.experiments.push(exp);
    }
    Ok(config)
}

fn header_name(obj: &Obj, field: &str) -> Result<String, PolicyError> {
    let name = obj.opt_nonempty_str(field)?.ok_or_else(|| {
        PolicyError::new(obj.field_path(field), "expected a header name or false")
    })?;
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(PolicyError::new(
            obj.field_path(field),
            "not a valid header name",
        ));
    }
    Ok(name.to_ascii_lowercase())
}

fn parse_experiment(v: &Value, path: &str) -> Result<Experiment, PolicyError> {
    const FIELDS: &[&str] = &[
        "id",
        "description",
        "subject",
        "header",
        "arms",
        "control",
        "no_subject",
        "cookie",
    ];
    let obj = Obj::new(v, path, FIELDS)?;
    let id = obj
        .opt_nonempty_str("id")?
        .ok_or_else(|| PolicyError::new(obj.field_path("id"), "required"))?;
    let label = label_of(id);
    let mut arms = Vec::new();
    for (i, a) in obj.opt_array("arms")?.into_iter().flatten().enumerate() {
        let arm = parse_arm(a, &format!("{}[{i}]", obj.field_path("arms")))?;
        if arms.iter().any(|x: &Arm| x.name == arm.name) {
            return Err(PolicyError::new(
                format!("{}[{i}].name", obj.field_path("arms")),
                format!("duplicate arm name \"{}\"", arm.name),
            ));
        }
        arms.push(arm);
    }
    if arms.len() < 2 {
        return Err(PolicyError::new(
            obj.field_path("arms"),
            "at least two arms are required",
        ));
    }
    let total: u32 = arms.iter().map(|a| u32::from(a.weight)).sum();
    if total != 100 {
        return Err(PolicyError::new(
            obj.field_path("arms"),
            format!("weights must add up to 100, found {total}"),
        ));
    }
    let control = match obj.opt_nonempty_str("control")? {
        None => arms.len() - 1,
        Some(name) => arms.iter().position(|a| a.name == name).ok_or_else(|| {
            PolicyError::new(
                obj.field_path("control"),
                format!("no arm named \"{name}\""),
            )
        })?,
    };
    let cookie = obj
        .opt_nonempty_str("cookie")?
        .map_or_else(|| format!("llm-ab-{label}"), str::to_string);
    let no_subject = match obj.opt_enum("no_subject", &["control", "random_sticky"])? {
        Some("random_sticky") => NoSubject::RandomSticky { cookie },
        _ => NoSubject::Control,
    };
    let subject = parse_subject_override(&obj)?;
    let header = if obj.has("header") {
        header_name(&obj, "header")?
    } else {
        format!("x-ab-{}", label.to_ascii_lowercase())
    };
    Ok(Experiment {
        id: id.to_string(),
        label,
        subject,
        header,
        arms,
        control,
        no_subject,
    })
}

/// The experiment id made safe for labels and names (see [`Experiment::label`]).
fn label_of(id: &str) -> String {
    id.bytes()
        .take(64)
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                char::from(b)
            } else {
                '_'
            }
        })
        .collect()
}

fn parse_arm(v: &Value, path: &str) -> Result<Arm, PolicyError> {
    let obj = Obj::new(
        v,
        path,
        &["name", "weight", "set_headers", "model", "system_prompt"],
    )?;
    let name = obj
        .opt_nonempty_str("name")?
        .ok_or_else(|| PolicyError::new(obj.field_path("name"), "required"))?;
    super::check_label(name, &obj.field_path("name"))?;
    let weight = obj.opt_u64_in("weight", 0, 100)?.ok_or_else(|| {
        PolicyError::new(obj.field_path("weight"), "required, whole percent 0-100")
    })?;
    let mut set_headers = Vec::new();
    if let Some(h) = obj.get("set_headers") {
        let map = h.as_object().ok_or_else(|| {
            PolicyError::new(
                obj.field_path("set_headers"),
                "expected an object of header: value",
            )
        })?;
        for (k, v) in map {
            let value = v.as_str().ok_or_else(|| {
                PolicyError::new(
                    format!("{}.{k}", obj.field_path("set_headers")),
                    "expected a string",
                )
            })?;
            set_headers.push((k.to_ascii_lowercase(), value.to_string()));
        }
    }
    Ok(Arm {
        name: name.to_string(),
        weight: weight as u8,
        set_headers,
        model: obj.opt_nonempty_str("model")?.map(str::to_string),
        system_prompt: obj.opt_str("system_prompt")?.map(str::to_string),
    })
}
