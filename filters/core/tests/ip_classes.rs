//! IP address classes: every address of `tests/corpus/ip_classes.jsonl`
//! (labelled by Python's `ipaddress`, see `tests/corpus/gen_ip_classes.py`)
//! gets its label; the scanner reports exactly the classes asked for; the
//! default policy leaves addresses in code answers alone, in prompts and in
//! streamed outputs, and still redacts private and public ones; the policy
//! field `detectors.ip.classes` is read strictly.

#![allow(clippy::panic, clippy::unwrap_used)]

use llm_policy_core::policy::Policy;
use llm_policy_core::screen::pii::{IpClass, IpClasses, PiiKind, PiiScanner};
use llm_policy_core::screen::stream::StreamScreener;
use llm_policy_core::screen::{Direction, Screener, Tally, TextVerdict};
use std::rc::Rc;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const FIXTURE: &str = include_str!("../../../tests/corpus/ip_classes.jsonl");

fn fixture() -> Vec<(String, IpClass)> {
    FIXTURE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let address = v["address"].as_str().unwrap().to_string();
            let class = v["class"].as_str().and_then(IpClass::from_name);
            let class = class.unwrap_or_else(|| panic!("line {i}: bad class {}", v["class"]));
            (address, class)
        })
        .collect()
}

fn scan(text: &str, classes: IpClasses) -> Vec<&str> {
    let mut out = Vec::new();
    PiiScanner::new(&[PiiKind::Ip])
        .with_ip_classes(classes)
        .scan(text, &mut out);
    out.iter()
        .map(|m| &text[m.span.start..m.span.end])
        .collect()
}

#[test]
fn every_address_gets_the_class_python_gives_it() {
    let lines = fixture();
    assert!(lines.len() >= 3000, "{} lines", lines.len());
    let wrong: Vec<String> = lines
        .iter()
        .filter(|(a, c)| IpClass::of(a) != Some(*c))
        .map(|(a, c)| format!("{a}: expected {}, got {:?}", c.name(), IpClass::of(a)))
        .collect();
    assert!(wrong.is_empty(), "{} wrong: {wrong:#?}", wrong.len());
    for class in IpClass::ALL {
        assert!(
            lines.iter().any(|(_, c)| *c == class),
            "no {} address",
            class.name()
        );
    }
}

/// In a sentence, each address the matcher finds is reported with its own
/// class chosen, not with every other class, and by default exactly when
/// it is private or public.
#[test]
fn the_scanner_reports_exactly_the_chosen_classes() {
    let lines = fixture();
    let mut matched = 0;
    for (address, class) in &lines {
        let text = format!("host {address} is up");
        let all = scan(&text, IpClasses::ALL);
        if all != [address.as_str()] {
            // the matcher's own rules (an IPv6 address needs a decimal digit)
            assert!(all.is_empty(), "{text}: {all:?}");
            continue;
        }
        matched += 1;
        let others: Vec<IpClass> = IpClass::ALL.into_iter().filter(|c| c != class).collect();
        assert_eq!(scan(&text, IpClasses::of(&[*class])), all, "{text}");
        assert!(scan(&text, IpClasses::of(&others)).is_empty(), "{text}");
        let by_default = matches!(class, IpClass::Private | IpClass::Public);
        assert_eq!(
            scan(&text, IpClasses::DEFAULT) == all,
            by_default,
            "{text} ({})",
            class.name()
        );
    }
    assert!(
        matched * 10 >= lines.len() * 9,
        "only {matched} of {} matched",
        lines.len()
    );
}

fn default_screener() -> Rc<Screener> {
    let policy = Policy::embedded_default().unwrap();
    policy.default_rule.screening.clone().unwrap()
}

/// Code and configuration snippets whose addresses identify nobody.
const CODE_ANSWERS: &[&str] = &[
    "curl http://127.0.0.1:8000/health",
    "Run `uvicorn main:app --host 0.0.0.0 --port 8000` and open http://localhost:8000.",
    "Both localhost ::1 and 127.0.0.1 resolve to this machine.",
    "ping 192.0.2.1 to test, or ping6 2001:db8::1",
    "ifconfig eth0 10.0.0.2 netmask 255.255.255.0 is old syntax; use --netmask 255.255.255.0",
    "ping6 fe80::1%eth0",
    "All IPv6 nodes listen on ff02::1, mDNS uses 224.0.0.251 port 5353.",
    "The broadcast address 255.255.255.255 and the metadata service 169.254.169.254.",
    "server { listen [::1]:8080; listen 127.0.0.1:8080; }",
    "docker run -p 0.0.0.0:80:80 nginx; the NAT64 example is 64:ff9b::192.0.2.33",
    "mapped: ::ffff:127.0.0.1, docs: 198.51.100.7 and 203.0.113.42",
];

#[test]
fn the_default_policy_leaves_code_answers_alone() {
    let s = default_screener();
    for text in CODE_ANSWERS {
        for dir in [Direction::Request, Direction::Response] {
            let mut tally = Tally::default();
            let verdict = s.screen_text(text, dir, &mut tally, None);
            // the one private address (10.0.0.2) is the only change
            let expected = if text.contains("10.0.0.2") {
                TextVerdict::Redacted(text.replace("10.0.0.2", "[IP]"))
            } else {
                TextVerdict::Unchanged
            };
            assert_eq!(verdict, expected, "{text}");
        }
    }
}

#[test]
fn the_default_policy_still_redacts_private_and_public_addresses() {
    let s = default_screener();
    for (text, redacted) in [
        ("ssh to 10.1.2.3 now", "ssh to [IP] now"),
        ("the VPN gave me 100.72.4.9", "the VPN gave me [IP]"),
        ("my home IP is 81.2.69.160.", "my home IP is [IP]."),
        (
            "curl http://192.168.1.20:8000/health",
            "curl http://[IP]:8000/health",
        ),
        ("peer [2a01:4f8:c17:1::2]:443", "peer [[IP]]:443"),
        ("ULA fd00:1234::17 and ::ffff:8.8.8.8", "ULA [IP] and [IP]"),
    ] {
        let mut tally = Tally::default();
        let verdict = s.screen_text(text, Direction::Request, &mut tally, None);
        assert_eq!(verdict, TextVerdict::Redacted(redacted.into()), "{text}");
    }
}

fn event(content: &str) -> String {
    let chunk = serde_json::json!({"choices": [{"index": 0, "delta": {"content": content}}]});
    format!("data: {chunk}\n\n")
}

/// The streamed text of `pieces`, one event each, through the default policy.
fn streamed(screener: &Rc<Screener>, pieces: &[&str]) -> String {
    let mut s = StreamScreener::new(screener.clone(), None, true);
    let mut raw = Vec::new();
    for piece in pieces {
        raw.extend(s.feed(event(piece).as_bytes(), false));
    }
    raw.extend(s.feed(b"data: [DONE]\n\n", true));
    let raw = String::from_utf8(raw).unwrap();
    raw.lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .filter_map(|v| {
            v["choices"][0]["delta"]["content"]
                .as_str()
                .map(String::from)
        })
        .collect()
}

#[test]
fn streamed_outputs_split_anywhere_keep_code_and_redact_people() {
    let mut rng = fastrand::Rng::with_seed(10);
    let people = "Your server 192.168.4.20 answered from 81.2.69.160 via fd00::7.";
    let screener = default_screener();
    for text in CODE_ANSWERS.iter().chain([&people]) {
        let expected =
            match screener.screen_text(text, Direction::Response, &mut Tally::default(), None) {
                TextVerdict::Redacted(r) => r,
                _ => text.to_string(),
            };
        for _ in 0..20 {
            let mut pieces = Vec::new();
            let mut rest = *text;
            while !rest.is_empty() {
                let mut cut = rng.usize(1..=7).min(rest.len());
                while !rest.is_char_boundary(cut) {
                    cut += 1;
                }
                let (piece, tail) = rest.split_at(cut);
                pieces.push(piece);
                rest = tail;
            }
            assert_eq!(streamed(&screener, &pieces), expected, "{pieces:?}");
        }
    }
    assert_eq!(
        streamed(&screener, &[people]),
        "Your server [IP] answered from [IP] via [IP]."
    );
}

fn ip_classes_of(policy: &str) -> Result<Vec<&'static str>, String> {
    let p = Policy::parse(policy.as_bytes()).map_err(|e| e.to_string())?;
    let s = p.default_rule.screening.clone().unwrap();
    Ok(s.config.ip_classes.iter().map(IpClass::name).collect())
}

fn with_ip(entry: &str) -> String {
    format!(r#"{{"version":1,"screening":{{"detectors":{{"ip":{entry}}}}}}}"#)
}

#[test]
fn the_policy_chooses_the_classes() {
    assert_eq!(
        ip_classes_of(&with_ip(r#"{"action":"redact"}"#)),
        Ok(vec!["public", "private"])
    );
    assert_eq!(
        ip_classes_of(&with_ip(
            r#"{"action":"redact","classes":["loopback","public"]}"#
        )),
        Ok(vec!["public", "loopback"])
    );
    let every: Vec<&str> = IpClass::ALL.iter().map(|c| c.name()).collect();
    let all = format!(
        r#"{{"action":"flag","classes":{}}}"#,
        serde_json::to_string(&every).unwrap()
    );
    assert_eq!(ip_classes_of(&with_ip(&all)), Ok(every));
    let default = Policy::embedded_default().unwrap();
    let s = default.default_rule.screening.clone().unwrap();
    assert_eq!(s.config.ip_classes, IpClasses::DEFAULT);
}

#[test]
fn bad_classes_are_refused_with_their_path() {
    let names = "public, private, loopback, unspecified, link_local, documentation, \
                 broadcast, multicast, netmask, reserved";
    assert_eq!(
        ip_classes_of(&with_ip(
            r#"{"action":"redact","classes":["public","privat"]}"#
        )),
        Err(format!(
            "screening.detectors.ip.classes[1]: unknown class \"privat\", expected one of: {names}"
        ))
    );
    assert_eq!(
        ip_classes_of(&with_ip(r#"{"action":"redact","classes":[3]}"#)),
        Err(format!(
            "screening.detectors.ip.classes[0]: expected a class name, found a number, expected one of: {names}"
        ))
    );
    assert_eq!(
        ip_classes_of(&with_ip(r#"{"action":"redact","classes":"public"}"#)),
        Err("screening.detectors.ip.classes: expected an array, found a string".into())
    );
    assert_eq!(
        ip_classes_of(&with_ip(r#"{"action":"redact","classes":[]}"#)),
        Err(
            "screening.detectors.ip.classes: must name at least one class \
             (to turn the detector off, set its action to off)"
                .into()
        )
    );
    let other = r#"{"version":1,"screening":{"detectors":{"email":{"action":"redact","classes":["public"]}}}}"#;
    assert_eq!(
        ip_classes_of(other),
        Err(
            "screening.detectors.email.classes: unknown field, expected one of: \
             action, request, response, style, monitor"
                .into()
        )
    );
}

/// A route's `ip` entry replaces the inherited one, classes included; a
/// route that does not name `ip` keeps the inherited classes.
#[test]
fn routes_inherit_or_replace_the_classes() {
    let p = Policy::parse(
        br#"{"version":1,
             "screening":{"detectors":{"ip":{"action":"redact","classes":["public"]}}},
             "routes":[
               {"name":"keeps","match":{"prefix":"/a"},"screening":{"mode":"dry_run"}},
               {"name":"resets","match":{"prefix":"/b"},"screening":{"detectors":{"ip":{"action":"flag"}}}},
               {"name":"sets","match":{"prefix":"/c"},"screening":{"detectors":{"ip":{"action":"flag","classes":["loopback"]}}}}
             ]}"#,
    )
    .unwrap();
    let classes = |i: usize| p.routes[i].1.screening.clone().unwrap().config.ip_classes;
    assert_eq!(classes(0), IpClasses::of(&[IpClass::Public]));
    assert_eq!(classes(1), IpClasses::DEFAULT);
    assert_eq!(classes(2), IpClasses::of(&[IpClass::Loopback]));
    let s = p.routes[2].1.screening.clone().unwrap();
    let mut found = Vec::new();
    s.find("lo 127.0.0.1 lan 10.0.0.1", Direction::Request, &mut found);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].span.start, found[0].span.end), (3, 12));
}
