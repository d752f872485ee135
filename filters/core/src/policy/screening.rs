//! The `screening` section: which detectors and categories run, in which
//! direction, and what each one does (block, redact, flag). This module only
//! reads the JSON; the types it fills are the screening engine's
//! ([`crate::screen::config`]).
//!
//! A route's section is laid over the inherited one field by field; an entry
//! of `detectors` or `categories` replaces the inherited entry of that name,
//! and `custom` replaces the inherited list.

use super::error::PolicyError;
use super::reader::{join, Obj};
use crate::screen::config::{
    EntryConfig, EntrySource, KeySource, RedactStyle, ScreenAction, ScreenEntry, ScreeningConfig,
    MIN_KEY_BYTES,
};
use crate::screen::pii::{IpClass, IpClasses, PiiKind};
use serde_json::Value;

pub(super) const FIELDS: &[&str] = &[
    "enabled",
    "mode",
    "request",
    "response",
    "redaction",
    "block",
    "flag_header",
    "detectors",
    "categories",
    "custom",
    "guards",
];

const ENTRY_FIELDS: &[&str] = &["action", "request", "response", "style", "monitor"];
const ACTIONS: &[&str] = &["block", "redact", "flag", "off"];
const STYLES: &[&str] = &["tag", "mask", "hash"];

/// An `action`, `request` or `response` value (one of [`ACTIONS`]).
fn parse_action(s: &str) -> ScreenAction {
    match s {
        "block" => ScreenAction::Block,
        "redact" => ScreenAction::Redact,
        "flag" => ScreenAction::Flag,
        _ => ScreenAction::Off,
    }
}

/// A `style` value (one of [`STYLES`]).
fn parse_style(s: &str) -> RedactStyle {
    match s {
        "mask" => RedactStyle::Mask,
        "hash" => RedactStyle::Hash,
        _ => RedactStyle::Tag,
    }
}

/// Lays the fields `obj` sets over `base`.
/// `fail_closed`: the rule's `failure_mode.screening`, the default
/// `failure_mode` of the guards this section declares. `guards` replaces the
/// inherited list.
pub(super) fn parse_screening(
    obj: &Obj,
    base: ScreeningConfig,
    fail_closed: bool,
) -> Result<ScreeningConfig, PolicyError> {
    let mut c = base;
    if let Some(b) = obj.opt_bool("enabled")? {
        c.enabled = b;
    }
    if let Some(m) = obj.opt_enum("mode", &["enforce", "dry_run"])? {
        c.dry_run = m == "dry_run";
    }
    if let Some(b) = obj.opt_bool("request")? {
        c.request = b;
    }
    if let Some(b) = obj.opt_bool("response")? {
        c.response = b;
    }
    if let Some(v) = obj.get("redaction") {
        let r = Obj::new(
            v,
            &obj.field_path("redaction"),
            &["style", "key", "key_env", "restore"],
        )?;
        if let Some(s) = r.opt_enum("style", STYLES)? {
            c.style = parse_style(s);
        }
        if let Some(b) = r.opt_bool("restore")? {
            c.restore = b;
        }
        match (r.opt_nonempty_str("key")?, r.opt_nonempty_str("key_env")?) {
            (Some(_), Some(_)) => {
                return Err(PolicyError::new(
                    r.field_path("key"),
                    "set key or key_env, not both",
                ))
            }
            (Some(k), None) => c.key = Some(KeySource::Inline(k.to_string())),
            (None, Some(e)) => c.key = Some(KeySource::Env(e.to_string())),
            (None, None) => {}
        }
    }
    if let Some(v) = obj.get("block") {
        let b = Obj::new(v, &obj.field_path("block"), &["status", "message"])?;
        if let Some(s) = b.opt_u64_in("status", 400, 599)? {
            c.block_status = s as u16;
        }
        if let Some(m) = b.opt_nonempty_str("message")? {
            c.block_message = m.to_string();
        }
    }
    if let Some(h) = obj.opt_str("flag_header")? {
        c.flag_header = if h.is_empty() {
            None
        } else {
            super::check_label(h, &obj.field_path("flag_header"))?;
            Some(h.to_ascii_lowercase())
        };
    }
    if let Some(v) = obj.get("detectors") {
        parse_detectors(v, &obj.field_path("detectors"), &mut c)?;
    }
    if let Some(v) = obj.get("categories") {
        parse_categories(v, &obj.field_path("categories"), &mut c.entries)?;
    }
    if obj.has("custom") {
        c.entries
            .retain(|e| !matches!(e.source, EntrySource::Custom { .. }));
        for (i, v) in obj.opt_array("custom")?.into_iter().flatten().enumerate() {
            let path = format!("{}[{i}]", obj.field_path("custom"));
            let entry = parse_custom(v, &path)?;
            if c.entries.iter().any(|e| e.name == entry.name) {
                return Err(PolicyError::new(
                    join(&path, "name"),
                    format!(
                        "\"{}\" is already the name of a detector or category",
                        entry.name
                    ),
                ));
            }
            c.entries.push(entry);
        }
    }
    if let Some(v) = obj.get("guards") {
        c.guards = super::guards::parse_guards(v, &obj.field_path("guards"), fail_closed)?;
    }
    check_restore(&c, obj)?;
    Ok(c)
}

fn check_restore(c: &ScreeningConfig, obj: &Obj) -> Result<(), PolicyError> {
    if c.restore && !c.uses_hash() {
        return Err(PolicyError::new(
            join(&obj.field_path("redaction"), "restore"),
            "restore puts hash tokens back: some entry must redact with style \"hash\"",
        ));
    }
    if c.uses_hash() && c.key.is_none() {
        return Err(PolicyError::new(
            join(&obj.field_path("redaction"), "key"),
            "hash-style redaction needs a secret: set redaction.key or redaction.key_env",
        ));
    }
    if let Some(KeySource::Inline(k)) = &c.key {
        if k.len() < MIN_KEY_BYTES {
            return Err(PolicyError::new(
                join(&obj.field_path("redaction"), "key"),
                format!("must be at least {MIN_KEY_BYTES} bytes"),
            ));
        }
    }
    Ok(())
}

fn object_entries<'a>(
    v: &'a Value,
    path: &str,
) -> Result<&'a serde_json::Map<String, Value>, PolicyError> {
    v.as_object().ok_or_else(|| {
        PolicyError::new(
            path,
            format!(
                "expected an object of entries, found {}",
                super::reader::type_name(v)
            ),
        )
    })
}

/// Replaces (or adds) the entry called `entry.name`.
fn upsert(entries: &mut Vec<ScreenEntry>, entry: ScreenEntry) {
    match entries.iter_mut().find(|e| e.name == entry.name) {
        Some(e) => *e = entry,
        None => entries.push(entry),
    }
}

/// Reads an object of named entries (`detectors`, `categories`): each entry's
/// fields are `ENTRY_FIELDS` plus `extra`, and `source` says what it looks for.
fn parse_named(
    v: &Value,
    path: &str,
    extra: &[&str],
    entries: &mut Vec<ScreenEntry>,
    source: impl Fn(&str, &str, &Obj) -> Result<EntrySource, PolicyError>,
) -> Result<(), PolicyError> {
    let mut fields = ENTRY_FIELDS.to_vec();
    fields.extend_from_slice(extra);
    for (name, value) in object_entries(v, path)? {
        let p = join(path, name);
        let e = Obj::new(value, &p, &fields)?;
        let entry = ScreenEntry {
            name: name.clone(),
            source: source(name, &p, &e)?,
            config: parse_entry(&e)?,
        };
        upsert(entries, entry);
    }
    Ok(())
}

/// Fields only the `ip` detector has.
const IP_FIELDS: &[&str] = &["classes"];

/// The built-in detectors; an `ip` entry also sets (or, without `classes`,
/// resets to the default) the classes of address reported.
fn parse_detectors(v: &Value, path: &str, c: &mut ScreeningConfig) -> Result<(), PolicyError> {
    let mut ip_classes = None;
    for (name, value) in object_entries(v, path)? {
        let p = join(path, name);
        let kind = PiiKind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = PiiKind::ALL.iter().map(|k| k.name()).collect();
            PolicyError::new(
                &p,
                format!(
                    "unknown detector, expected one of: {} (custom detectors go in screening.custom)",
                    names.join(", ")
                ),
            )
        })?;
        let extra = if kind == PiiKind::Ip { IP_FIELDS } else { &[] };
        let mut fields = ENTRY_FIELDS.to_vec();
        fields.extend_from_slice(extra);
        let e = Obj::new(value, &p, &fields)?;
        if kind == PiiKind::Ip {
            ip_classes = Some(parse_ip_classes(&e)?);
        }
        let entry = ScreenEntry {
            name: name.clone(),
            source: EntrySource::Pii(kind),
            config: parse_entry(&e)?,
        };
        upsert(&mut c.entries, entry);
    }
    if let Some(classes) = ip_classes {
        c.ip_classes = classes;
    }
    Ok(())
}

/// `classes`: a non-empty list of [`IpClass`] names; the default when absent.
fn parse_ip_classes(e: &Obj) -> Result<IpClasses, PolicyError> {
    let Some(list) = e.opt_array("classes")? else {
        return Ok(IpClasses::DEFAULT);
    };
    let path = e.field_path("classes");
    if list.is_empty() {
        return Err(PolicyError::new(
            path,
            "must name at least one class (to turn the detector off, set its action to off)",
        ));
    }
    let mut classes = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let class = v.as_str().and_then(IpClass::from_name).ok_or_else(|| {
            let names: Vec<&str> = IpClass::ALL.iter().map(|c| c.name()).collect();
            let found = match v.as_str() {
                Some(s) => format!("unknown class \"{s}\""),
                None => format!(
                    "expected a class name, found {}",
                    super::reader::type_name(v)
                ),
            };
            PolicyError::new(
                format!("{path}[{i}]"),
                format!("{found}, expected one of: {}", names.join(", ")),
            )
        })?;
        classes.push(class);
    }
    Ok(IpClasses::of(&classes))
}

/// Reads `categories`. A group name (`prompt_injection`) configures each of
/// its member categories; an entry naming a member itself wins, whatever
/// the order. Phrases given to a group form a category of the group's name
/// (findings of the built-in phrases carry the member names).
fn parse_categories(
    v: &Value,
    path: &str,
    entries: &mut Vec<ScreenEntry>,
) -> Result<(), PolicyError> {
    let all = object_entries(v, path)?;
    let mut fields = ENTRY_FIELDS.to_vec();
    fields.push("phrases");
    for (name, value) in all {
        let Some(members) = crate::screen::categories::group(name) else {
            continue;
        };
        let e = Obj::new(value, &join(path, name), &fields)?;
        let config = parse_entry(&e)?;
        let phrases = checked_phrases(&e)?;
        for member in members {
            upsert(
                entries,
                ScreenEntry {
                    name: (*member).to_string(),
                    source: EntrySource::Category(Vec::new()),
                    config: config.clone(),
                },
            );
        }
        if phrases.is_empty() {
            entries.retain(|entry| entry.name != *name);
        } else {
            upsert(
                entries,
                ScreenEntry {
                    name: name.clone(),
                    source: EntrySource::Category(phrases),
                    config,
                },
            );
        }
    }
    let categories: serde_json::Map<String, Value> = all
        .iter()
        .filter(|(name, _)| crate::screen::categories::group(name).is_none())
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    parse_named(
        &Value::Object(categories),
        path,
        &["phrases"],
        entries,
        |name, p, e| {
            super::check_label(name, p)?;
            let phrases = checked_phrases(e)?;
            let builtin = crate::screen::categories::builtin(name).is_some();
            if !builtin && phrases.is_empty() {
                let mut names: Vec<&str> = crate::screen::categories::BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                names.extend(crate::screen::categories::GROUPS.iter().map(|(n, _)| *n));
                return Err(PolicyError::new(
                    e.field_path("phrases"),
                    format!(
                        "required for a category that is not built in ({})",
                        names.join(", ")
                    ),
                ));
            }
            Ok(EntrySource::Category(phrases))
        },
    )
}

/// The `phrases` of a category entry, each a valid pattern.
fn checked_phrases(e: &Obj) -> Result<Vec<String>, PolicyError> {
    let phrases = string_list(e, "phrases")?;
    for (i, phrase) in phrases.iter().enumerate() {
        crate::screen::phrases::expand(phrase)
            .map_err(|why| PolicyError::new(format!("{}[{i}]", e.field_path("phrases")), why))?;
    }
    Ok(phrases)
}

fn parse_custom(v: &Value, path: &str) -> Result<ScreenEntry, PolicyError> {
    let mut fields = ENTRY_FIELDS.to_vec();
    fields.extend(["name", "literals", "regex"]);
    let e = Obj::new(v, path, &fields)?;
    let name = e
        .opt_nonempty_str("name")?
        .ok_or_else(|| PolicyError::new(e.field_path("name"), "required"))?;
    super::check_label(name, &e.field_path("name"))?;
    if PiiKind::from_name(name).is_some()
        || crate::screen::categories::builtin(name).is_some()
        || crate::screen::categories::group(name).is_some()
    {
        return Err(PolicyError::new(
            e.field_path("name"),
            format!("\"{name}\" is a built-in detector or category name"),
        ));
    }
    let literals = string_list(&e, "literals")?;
    let regex = e.opt_nonempty_str("regex")?.map(str::to_string);
    if let Some(r) = &regex {
        regex_lite::Regex::new(r).map_err(|err| {
            PolicyError::new(e.field_path("regex"), format!("invalid regex: {err}"))
        })?;
    }
    if literals.is_empty() && regex.is_none() {
        return Err(PolicyError::new(
            path,
            "set literals, regex or both: a custom detector must look for something",
        ));
    }
    Ok(ScreenEntry {
        name: name.to_string(),
        source: EntrySource::Custom { literals, regex },
        config: parse_entry(&e)?,
    })
}

fn string_list(e: &Obj, field: &str) -> Result<Vec<String>, PolicyError> {
    let mut out = Vec::new();
    for (i, v) in e.opt_array(field)?.into_iter().flatten().enumerate() {
        match v.as_str() {
            Some(s) if !s.trim().is_empty() => out.push(s.to_string()),
            _ => {
                return Err(PolicyError::new(
                    format!("{}[{i}]", e.field_path(field)),
                    "expected a non-empty string",
                ))
            }
        }
    }
    Ok(out)
}

fn parse_entry(e: &Obj) -> Result<EntryConfig, PolicyError> {
    let both = e.opt_enum("action", ACTIONS)?.map(parse_action);
    let request = e.opt_enum("request", ACTIONS)?.map(parse_action);
    let response = e.opt_enum("response", ACTIONS)?.map(parse_action);
    if both.is_none() && request.is_none() && response.is_none() {
        return Err(PolicyError::new(
            e.field_path("action"),
            "required (or request/response): one of block, redact, flag, off",
        ));
    }
    let default = both.unwrap_or(ScreenAction::Off);
    Ok(EntryConfig {
        request: request.unwrap_or(default),
        response: response.unwrap_or(default),
        style: e.opt_enum("style", STYLES)?.map(parse_style),
        monitor: e.opt_bool("monitor")?.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn entry<'a>(c: &'a ScreeningConfig, name: &str) -> Option<&'a ScreenEntry> {
        c.entries.iter().find(|e| e.name == name)
    }

    #[test]
    fn the_prompt_injection_group_configures_the_three_families() {
        let c = crate::policy::parse_screening_for_tests(
            r#"{"categories": {"prompt_injection": {"request": "block", "response": "flag"}}}"#,
        );
        for family in [
            "instruction_override",
            "system_prompt_extraction",
            "persona_jailbreak",
        ] {
            let e = entry(&c, family).unwrap();
            assert_eq!(e.config.request, ScreenAction::Block);
            assert_eq!(e.config.response, ScreenAction::Flag);
            assert_eq!(e.source, EntrySource::Category(Vec::new()));
        }
        assert!(entry(&c, "prompt_injection").is_none());
    }

    #[test]
    fn a_family_named_itself_wins_over_the_group_and_group_phrases_keep_its_name() {
        // "persona_jailbreak" sorts before "prompt_injection": order must not matter.
        let c = crate::policy::parse_screening_for_tests(
            r#"{"categories": {
                "persona_jailbreak": {"action": "off"},
                "prompt_injection": {"action": "block", "phrases": ["open the pod bay doors"]},
                "system_prompt_extraction": {"action": "flag"}
            }}"#,
        );
        let action = |name: &str| entry(&c, name).unwrap().config.request;
        assert_eq!(action("persona_jailbreak"), ScreenAction::Off);
        assert_eq!(action("system_prompt_extraction"), ScreenAction::Flag);
        assert_eq!(action("instruction_override"), ScreenAction::Block);
        assert_eq!(
            entry(&c, "prompt_injection").unwrap().source,
            EntrySource::Category(vec!["open the pod bay doors".to_string()])
        );
    }
}
