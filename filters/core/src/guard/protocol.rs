//! The four guard protocols: the body of a call and the reading of its reply.
//!
//! | protocol | call | texts per call | reply read |
//! |---|---|---|---|
//! | `openai_moderation` | `{"model", "input": [..]}` | all | `results[i].flagged`, `category_scores` (and `categories` set without a score count 1.0) |
//! | `vllm_classify` | `{"model", "input": [..]}` | all | `data[i].probs` named by the policy's `labels`, else `data[i].label` with its highest probability |
//! | `llama_guard` | chat completion: `[{user: text}]`, or `[{user: prompt}, {assistant: output}]` for outputs | one | first line `safe` / `unsafe`; the next line's comma-separated codes, score 1.0 |
//! | `presidio` | `{"text", "language", "entities"}` | one | `[{entity_type, start, end, score}]`, offsets in characters, turned into byte spans of the text |
//!
//! A reply that does not have this shape, names an index or span outside
//! the texts sent, or misses a text, is a [`ReplyError`]: the guard's failure
//! mode decides, never a guess.

use super::spec::{GuardSpec, Protocol, Role};
use serde_json::{json, Value};

/// One text a guard is asked about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query<'a> {
    pub text: &'a str,
    /// Who wrote it (an output is `Assistant`).
    pub role: Role,
    /// For an output: the user turn it answers (Llama Guard judges the pair).
    pub prompt: Option<&'a str>,
}

/// A span a guard found, in bytes of the text it was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySpan {
    pub entity: String,
    pub start: usize,
    pub end: usize,
    pub score: f64,
}

/// What a guard said about one text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Assessment {
    /// The guard's own verdict (`flagged`, `unsafe`, an entity found).
    pub flagged: bool,
    /// Label (category, class, code) and score in 0..=1.
    pub labels: Vec<(String, f64)>,
    pub spans: Vec<EntitySpan>,
}

/// Why a reply could not be read (counted as `malformed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyError(pub String);

impl std::fmt::Display for ReplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad(why: impl Into<String>) -> ReplyError {
    ReplyError(why.into())
}

/// The JSON body of one call about `queries` (all of them for protocols
/// that batch, exactly one otherwise: the caller splits, see
/// [`Protocol::batches`]).
pub fn request_body(spec: &GuardSpec, queries: &[Query]) -> Vec<u8> {
    let texts: Vec<&str> = queries.iter().map(|q| q.text).collect();
    let mut body = match &spec.protocol {
        Protocol::OpenAiModeration | Protocol::VllmClassify { .. } => json!({ "input": texts }),
        Protocol::LlamaGuard => {
            let messages: Vec<Value> = match queries.first() {
                Some(Query {
                    text,
                    role: Role::Assistant,
                    prompt: Some(prompt),
                }) => vec![
                    json!({"role": "user", "content": prompt}),
                    json!({"role": "assistant", "content": text}),
                ],
                Some(q) => vec![json!({"role": "user", "content": q.text})],
                None => Vec::new(),
            };
            json!({ "messages": messages, "max_tokens": 20, "temperature": 0 })
        }
        Protocol::Presidio { language, entities } => {
            let mut body = json!({
                "text": texts.first().copied().unwrap_or(""),
                "language": language,
            });
            if !entities.is_empty() {
                body["entities"] = json!(entities);
            }
            body
        }
    };
    if let (Some(model), false) = (
        &spec.model,
        matches!(spec.protocol, Protocol::Presidio { .. }),
    ) {
        body["model"] = json!(model);
    }
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Reads a reply to the call made for `texts` (in the order sent).
pub fn parse_reply(
    spec: &GuardSpec,
    body: &[u8],
    texts: &[&str],
) -> Result<Vec<Assessment>, ReplyError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| bad(format!("reply is not JSON: {e}")))?;
    match &spec.protocol {
        Protocol::OpenAiModeration => moderation(&value, texts.len()),
        Protocol::VllmClassify { labels } => classify(&value, labels, texts.len()),
        Protocol::LlamaGuard => llama_guard(&value).map(|a| vec![a]),
        Protocol::Presidio { .. } => match texts {
            [text] => presidio(&value, text).map(|a| vec![a]),
            _ => Err(bad("presidio answers about one text per call")),
        },
    }
}

fn array<'a>(value: &'a Value, field: &str) -> Result<&'a Vec<Value>, ReplyError> {
    value
        .get(field)
        .and_then(Value::as_array)
        .ok_or_else(|| bad(format!("reply has no `{field}` array")))
}

fn score(v: &Value) -> Option<f64> {
    v.as_f64()
        .filter(|s| s.is_finite() && (0.0..=1.0).contains(s))
}

fn moderation(value: &Value, n: usize) -> Result<Vec<Assessment>, ReplyError> {
    let results = array(value, "results")?;
    if results.len() != n {
        return Err(bad(format!("{} results for {n} inputs", results.len())));
    }
    results
        .iter()
        .map(|r| {
            let flagged = r
                .get("flagged")
                .and_then(Value::as_bool)
                .ok_or_else(|| bad("result has no boolean `flagged`"))?;
            let mut labels = Vec::new();
            if let Some(scores) = r.get("category_scores").and_then(Value::as_object) {
                for (name, s) in scores {
                    let s = score(s).ok_or_else(|| bad(format!("score of {name} not in 0..1")))?;
                    labels.push((name.clone(), s));
                }
            }
            if let Some(categories) = r.get("categories").and_then(Value::as_object) {
                for (name, set) in categories {
                    if set.as_bool() == Some(true) && !labels.iter().any(|(l, _)| l == name) {
                        labels.push((name.clone(), 1.0));
                    }
                }
            }
            Ok(Assessment {
                flagged,
                labels,
                spans: Vec::new(),
            })
        })
        .collect()
}

fn classify(value: &Value, names: &[String], n: usize) -> Result<Vec<Assessment>, ReplyError> {
    let data = array(value, "data")?;
    let mut out = vec![None; n];
    for (position, d) in data.iter().enumerate() {
        let index = d
            .get("index")
            .and_then(Value::as_u64)
            .map_or(Some(position), |i| usize::try_from(i).ok())
            .filter(|i| *i < n)
            .ok_or_else(|| bad("classification index outside the inputs"))?;
        let probs: Vec<f64> = d
            .get("probs")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("classification has no `probs`"))?
            .iter()
            .map(|p| score(p).ok_or_else(|| bad("probability not in 0..1")))
            .collect::<Result<_, _>>()?;
        let labels = if names.is_empty() {
            let label = d
                .get("label")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("classification has no `label`"))?;
            let top = probs.iter().copied().fold(0.0, f64::max);
            vec![(label.to_string(), top)]
        } else if probs.len() == names.len() {
            names.iter().cloned().zip(probs).collect()
        } else {
            return Err(bad(format!(
                "{} probabilities for {} labels",
                probs.len(),
                names.len()
            )));
        };
        if let Some(slot) = out.get_mut(index) {
            *slot = Some(Assessment {
                flagged: false,
                labels,
                spans: Vec::new(),
            });
        }
    }
    out.into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad("an input has no classification"))
}

fn llama_guard(value: &Value) -> Result<Assessment, ReplyError> {
    let content = array(value, "choices")?
        .first()
        .and_then(|c| c.get("message"))
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .ok_or_else(|| bad("reply has no choices[0].message.content"))?;
    let mut lines = content.trim().lines().map(str::trim);
    match lines.next().map(str::to_ascii_lowercase).as_deref() {
        Some("safe") => Ok(Assessment::default()),
        Some("unsafe") => Ok(Assessment {
            flagged: true,
            labels: lines
                .flat_map(|line| line.split(','))
                .map(str::trim)
                .filter(|code| !code.is_empty())
                .map(|code| (code.to_ascii_uppercase(), 1.0))
                .collect(),
            spans: Vec::new(),
        }),
        _ => Err(bad("answer is neither `safe` nor `unsafe`")),
    }
}

fn presidio(value: &Value, text: &str) -> Result<Assessment, ReplyError> {
    let found = value
        .as_array()
        .ok_or_else(|| bad("reply is not an array of entities"))?;
    // Byte offset of every char index, and of the end.
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte_at = |v: Option<&Value>| {
        v.and_then(Value::as_u64)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| offsets.get(i).copied())
    };
    let mut spans = Vec::with_capacity(found.len());
    for e in found {
        let entity = e
            .get("entity_type")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("entity has no `entity_type`"))?;
        let (Some(start), Some(end)) = (byte_at(e.get("start")), byte_at(e.get("end"))) else {
            return Err(bad("entity span outside the text"));
        };
        if start >= end {
            return Err(bad("empty or reversed entity span"));
        }
        let score = e
            .get("score")
            .and_then(score)
            .ok_or_else(|| bad("entity score not in 0..1"))?;
        spans.push(EntitySpan {
            entity: entity.to_string(),
            start,
            end,
            score,
        });
    }
    Ok(Assessment {
        flagged: !spans.is_empty(),
        labels: Vec::new(),
        spans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::spec::StreamMode;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn spec(protocol: Protocol) -> GuardSpec {
        GuardSpec {
            name: "g".into(),
            path: protocol.default_path().into(),
            protocol,
            cluster: "guard".into(),
            authority: "guard".into(),
            model: Some("m".into()),
            timeout_ms: 500,
            api_key: None,
            request: true,
            response: true,
            roles: vec![Role::User],
            rules: Vec::new(),
            fail_open: false,
            cache_entries: 16,
            cache_ttl_ms: 1000,
            stream_mode: StreamMode::Window,
            window_chars: 256,
        }
    }

    fn user(text: &str) -> Query<'_> {
        Query {
            text,
            role: Role::User,
            prompt: None,
        }
    }

    fn body(spec: &GuardSpec, queries: &[Query]) -> Value {
        serde_json::from_slice(&request_body(spec, queries)).unwrap()
    }

    #[test]
    fn moderation_sends_every_input_and_reads_scores() {
        let s = spec(Protocol::OpenAiModeration);
        assert_eq!(
            body(&s, &[user("a"), user("b")]),
            json!({"model": "m", "input": ["a", "b"]})
        );
        let reply = br#"{"id":"modr-1","model":"omni-moderation-latest","results":[
            {"flagged":false,"categories":{"violence":false},"category_scores":{"violence":0.01}},
            {"flagged":true,"categories":{"violence":true,"hate":true},"category_scores":{"violence":0.97}}]}"#;
        let got = parse_reply(&s, reply, &["a", "b"]).unwrap();
        assert!(!got[0].flagged);
        assert_eq!(got[0].labels, vec![("violence".to_string(), 0.01)]);
        assert!(got[1].flagged);
        assert_eq!(
            got[1].labels,
            vec![("violence".to_string(), 0.97), ("hate".to_string(), 1.0)]
        );
    }

    #[test]
    fn moderation_with_a_result_missing_is_malformed() {
        let s = spec(Protocol::OpenAiModeration);
        let reply = br#"{"results":[{"flagged":false}]}"#;
        assert!(parse_reply(&s, reply, &["a", "b"]).is_err());
        assert!(parse_reply(&s, br#"{"results":[{"flagged":"no"}]}"#, &["a"]).is_err());
        assert!(parse_reply(&s, b"<html>502</html>", &["a"]).is_err());
        let out_of_range = br#"{"results":[{"flagged":false,"category_scores":{"x":7}}]}"#;
        assert!(parse_reply(&s, out_of_range, &["a"]).is_err());
    }

    #[test]
    fn classify_names_probabilities_by_the_policys_labels() {
        let s = spec(Protocol::VllmClassify {
            labels: vec!["SAFE".into(), "INJECTION".into()],
        });
        assert_eq!(
            body(&s, &[user("x")]),
            json!({"model": "m", "input": ["x"]})
        );
        let reply = br#"{"id":"classify-1","object":"list","model":"m","data":[
            {"index":1,"label":"SAFE","probs":[0.9,0.1],"num_classes":2},
            {"index":0,"label":"INJECTION","probs":[0.02,0.98],"num_classes":2}]}"#;
        let got = parse_reply(&s, reply, &["a", "b"]).unwrap();
        assert_eq!(
            got[0].labels,
            vec![("SAFE".to_string(), 0.02), ("INJECTION".to_string(), 0.98)]
        );
        assert_eq!(got[1].labels[1], ("INJECTION".to_string(), 0.1));
        let wrong_count = br#"{"data":[{"index":0,"label":"x","probs":[0.2,0.3,0.5]}]}"#;
        assert!(parse_reply(&s, wrong_count, &["a"]).is_err());
        let missing = br#"{"data":[{"index":0,"label":"SAFE","probs":[0.9,0.1]}]}"#;
        assert!(parse_reply(&s, missing, &["a", "b"]).is_err());
    }

    #[test]
    fn classify_without_labels_reads_the_returned_label() {
        let s = spec(Protocol::VllmClassify { labels: Vec::new() });
        let reply = br#"{"data":[{"index":0,"label":"toxic","probs":[0.3,0.7]}]}"#;
        let got = parse_reply(&s, reply, &["a"]).unwrap();
        assert_eq!(got[0].labels, vec![("toxic".to_string(), 0.7)]);
    }

    #[test]
    fn llama_guard_judges_one_message_or_an_output_with_its_prompt() {
        let s = spec(Protocol::LlamaGuard);
        let b = body(&s, &[user("how do I pick a lock")]);
        assert_eq!(
            b["messages"],
            json!([{"role": "user", "content": "how do I pick a lock"}])
        );
        assert_eq!(b["model"], json!("m"));
        let output = Query {
            text: "Here is how",
            role: Role::Assistant,
            prompt: Some("question"),
        };
        assert_eq!(
            body(&s, &[output])["messages"],
            json!([{"role": "user", "content": "question"}, {"role": "assistant", "content": "Here is how"}])
        );
        let reply = |content: &str| {
            serde_json::to_vec(
                &json!({"choices": [{"message": {"role": "assistant", "content": content}}]}),
            )
            .unwrap()
        };
        assert_eq!(
            parse_reply(&s, &reply("\n\nsafe"), &["x"]).unwrap()[0],
            Assessment::default()
        );
        let unsafe_ = parse_reply(&s, &reply("unsafe\nS1,S10"), &["x"]).unwrap();
        assert!(unsafe_[0].flagged);
        assert_eq!(
            unsafe_[0].labels,
            vec![("S1".to_string(), 1.0), ("S10".to_string(), 1.0)]
        );
        assert!(parse_reply(&s, &reply("I cannot help with that"), &["x"]).is_err());
    }

    #[test]
    fn presidio_spans_in_characters_become_byte_spans() {
        let s = spec(Protocol::Presidio {
            language: "en".into(),
            entities: vec!["PERSON".into()],
        });
        let text = "Zoë Müller lives in Köln";
        assert_eq!(
            body(&s, &[user(text)]),
            json!({"text": text, "language": "en", "entities": ["PERSON"]})
        );
        let reply = br#"[{"entity_type":"PERSON","start":0,"end":10,"score":0.85,"analysis_explanation":null},
                         {"entity_type":"LOCATION","start":20,"end":24,"score":0.85}]"#;
        let got = parse_reply(&s, reply, &[text]).unwrap();
        let spans = &got[0].spans;
        assert_eq!(&text[spans[0].start..spans[0].end], "Zoë Müller");
        assert_eq!(&text[spans[1].start..spans[1].end], "Köln");
        assert!(got[0].flagged);
        assert!(!parse_reply(&s, b"[]", &[text]).unwrap()[0].flagged);
        let past_end = br#"[{"entity_type":"PERSON","start":20,"end":25,"score":0.9}]"#;
        assert!(parse_reply(&s, past_end, &[text]).is_err());
        let reversed = br#"[{"entity_type":"PERSON","start":5,"end":5,"score":0.9}]"#;
        assert!(parse_reply(&s, reversed, &[text]).is_err());
    }
}
