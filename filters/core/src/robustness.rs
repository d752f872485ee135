//! No input panics the core: random and mutated policies, bodies, SSE
//! streams and headers go through every entry point of the request path.
//! (Runs natively and, compiled to wasm32, under Node.)

#[cfg(test)]
mod tests {
    use crate::flow::plan;
    use crate::openai::{parse_request, Endpoint};
    use crate::policy::Policy;
    use crate::request::RequestHead;
    use crate::screen::body::screen_response_bytes;
    use crate::screen::stream::StreamScreener;
    use crate::screen::{Direction, Tally};
    use crate::usage::UsageScanner;
    use std::rc::Rc;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SEEDS: &[&[u8]] = &[
        br#"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"stream":true}"#,
        br#"{"prompt":["a","b"],"input":[[1,2]],"instructions":"x"}"#,
        b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1}}\n\ndata: [DONE]\n\n",
        br#"{"messages":[{"role":"user","content":"mail a.b@example.com, card 4111 1111 1111 1111, ip 10.0.0.1, +1 (415) 555-0132, DE89 3704 0044 0532 0130 00 kill yourself AKIAIOSFODNN7EXAMPLE"}]}"#,
        b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"write a.b@exam\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ple.com 4111 1111\",\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
    ];

    /// A seed with random bytes flipped, inserted, or cut.
    fn mutate(rng: &mut fastrand::Rng, seed: &[u8]) -> Vec<u8> {
        let mut v = seed.to_vec();
        for _ in 0..rng.usize(1..8) {
            match rng.u8(0..3) {
                0 if !v.is_empty() => {
                    let i = rng.usize(..v.len());
                    v[i] = rng.u8(..);
                }
                1 => {
                    let i = rng.usize(..=v.len());
                    v.insert(i, rng.u8(..));
                }
                _ if !v.is_empty() => {
                    let i = rng.usize(..v.len());
                    v.truncate(i);
                }
                _ => {}
            }
        }
        v
    }

    #[test]
    fn bodies_streams_and_policies_never_panic() {
        let mut rng = fastrand::Rng::with_seed(7);
        let policy_seed = crate::policy::DEFAULT_POLICY_JSON.as_bytes();
        let policy = Policy::embedded_default().unwrap();
        for round in 0..3000 {
            let seed = SEEDS[round % SEEDS.len()];
            let body = mutate(&mut rng, seed);
            for e in [
                Endpoint::ChatCompletions,
                Endpoint::Completions,
                Endpoint::Embeddings,
                Endpoint::Responses,
            ] {
                let _ = parse_request(e, &body);
            }
            let mut scanner = UsageScanner::new(round % 2 == 0);
            body.chunks(rng.usize(1..16)).for_each(|c| scanner.feed(c));
            let _ = scanner.finish();
            if round % 100 == 0 {
                let _ = Policy::parse(&mutate(&mut rng, policy_seed));
            }
            let value =
                String::from_utf8_lossy(&mutate(&mut rng, b"Bearer a.eyJzdWIiOiJ4In0.c; uid=1"))
                    .into_owned();
            let head = RequestHead {
                method: "POST".into(),
                path: String::from_utf8_lossy(&mutate(&mut rng, b"/v1/chat/completions?x=1"))
                    .into_owned(),
                authority: String::from_utf8_lossy(&mutate(&mut rng, b"[::1]:10000")).into_owned(),
                headers: vec![
                    ("authorization".into(), value.clone()),
                    ("cookie".into(), value.clone()),
                    ("x-user-id".into(), value),
                    ("content-encoding".into(), "identity".into()),
                ],
                route_name: None,
            };
            let mut p = plan(&policy, &head, true, &mut || "r1".into());
            p.choose_canary(&head, round % 5 == 0, &mut || "r2".into());
            let _ = p.judge_body(&body);
            let _ = (p.request_headers(), p.ab_response_header(), p.set_cookies());
            if let Some(screener) = policy.default_rule.screening.clone() {
                let text = String::from_utf8_lossy(&body);
                let _ =
                    screener.screen_text(&text, Direction::Request, &mut Tally::default(), None);
                let _ = screen_response_bytes(&screener, &body, None);
                let mut stream = StreamScreener::new(Rc::clone(&screener), None, round % 2 == 0);
                for c in body.chunks(rng.usize(1..24)) {
                    let _ = stream.feed(c, false);
                }
                let _ = stream.feed(b"", true);
            }
        }
    }
}
