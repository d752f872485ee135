//! Streamed outputs and the rule's response guards.
//!
//! The text of the events the built-in screening releases (chat
//! `choices[].delta.content`, completions `choices[].text`, responses-API
//! `response.output_text.delta` `delta`; every choice in order) is cut into
//! windows ([`OutputWindows`], the smallest `stream.window_chars` of the
//! response guards, with a 64-character overlap); each window is one round,
//! judged with the prompt it answers.
//!
//! - `window` mode (default): events stream on while windows are judged.
//!   An unsafe verdict (a block, or a fail-closed guard that could not
//!   answer) ends the stream at the next chunk with the built-in block's
//!   `error` event and `data: [DONE]`; the final chunk is held until every
//!   window's verdict is in. Text that can reach the client before the
//!   verdict on it: the window being filled (up to `window_chars`) plus what
//!   streams during the guard's latency.
//! - `strict` mode (any response guard sets it): each event is held until
//!   every character of it was in a window judged safe, and released with
//!   the first chunk after that verdict (or at the end of the stream).

use super::Exchange;
use crate::guard::round::{Call, CallFailure, GuardCaches, GuardOutcome, Round, Side};
use crate::guard::texts::GuardText;
use crate::guard::windows::OutputWindows;
use crate::guard::{Role, StreamMode};
use crate::reply::LocalReply;
use serde_json::Value;
use std::collections::VecDeque;

/// One window's round.
#[derive(Debug)]
struct WindowRound {
    round: Round,
    texts: Vec<GuardText>,
    /// Characters of output streamed up to the end of this window.
    end_chars: usize,
    /// `Some(true)` once judged safe, `Some(false)` unsafe.
    safe: Option<bool>,
}

/// The stream's guard state.
#[derive(Debug)]
pub struct StreamGuard {
    windows: OutputWindows,
    strict: bool,
    /// Released bytes not yet split into events.
    partial: Vec<u8>,
    chars: usize,
    /// Windows cut and not started yet (text, end_chars).
    ready: Vec<(String, usize)>,
    rounds: Vec<WindowRound>,
    /// An unsafe verdict is in: the stream ends at the next chunk.
    cut: bool,
    /// The stream was ended here (error event sent).
    ended: bool,
    /// Strict mode: complete events withheld, with the characters streamed
    /// up to their end.
    held: VecDeque<(Vec<u8>, usize)>,
    /// The final chunk is held (its bytes, already in the host buffer, span).
    final_span: Option<usize>,
}

/// What a round of a stream window made of it, for metrics.
#[derive(Debug)]
pub struct WindowDecision {
    pub outcomes: Vec<(String, GuardOutcome)>,
    pub decision: &'static str,
}

/// What to write when the held final chunk can go.
#[derive(Debug)]
pub struct StreamRelease {
    /// Replace `size` bytes of the host's buffer from `start` with this
    /// (`start` at the end and `size` 0: append).
    pub replace: Option<Vec<u8>>,
    pub start: usize,
    pub size: usize,
}

/// An `error` event with the block reply, then `data: [DONE]` (as the
/// built-in stream block ends a stream).
fn error_event(reply: &LocalReply) -> Vec<u8> {
    let mut out = b"data: ".to_vec();
    out.extend_from_slice(reply.body().as_bytes());
    out.extend_from_slice(b"\n\ndata: [DONE]\n\n");
    out
}

/// The output text of one SSE event.
fn event_text(event: &[u8]) -> String {
    let mut text = String::new();
    let Ok(s) = std::str::from_utf8(event) else {
        return text;
    };
    for line in s.lines() {
        let Some(data) = line.strip_prefix("data:") else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(data.trim_start()) else {
            continue;
        };
        for choice in v
            .get("choices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let delta = choice.get("delta").and_then(|d| d.get("content"));
            for t in [delta, choice.get("text")].into_iter().flatten() {
                if let Some(t) = t.as_str() {
                    text.push_str(t);
                }
            }
        }
        if v.get("type").and_then(Value::as_str) == Some("response.output_text.delta") {
            if let Some(t) = v.get("delta").and_then(Value::as_str) {
                text.push_str(t);
            }
        }
    }
    text
}

/// The end (exclusive) of the first complete event in `buf`.
fn event_end(buf: &[u8]) -> Option<usize> {
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Exchange {
    /// A stream guard for this response, when the rule's guards check outputs.
    pub(super) fn new_stream_guard(&self) -> Option<StreamGuard> {
        if !self.has_response_guards() {
            return None;
        }
        let guards = &self.plan.rule.screening.as_ref()?.config.guards;
        let response: Vec<_> = guards.iter().filter(|g| g.response).collect();
        let window = response.iter().map(|g| g.window_chars).min()?;
        Some(StreamGuard {
            windows: OutputWindows::new(window),
            strict: response.iter().any(|g| g.stream_mode == StreamMode::Strict),
            partial: Vec::new(),
            chars: 0,
            ready: Vec::new(),
            rounds: Vec::new(),
            cut: false,
            ended: false,
            held: VecDeque::new(),
            final_span: None,
        })
    }

    /// The bytes to send for `sent` (what the built-in screening releases
    /// of a chunk); `(bytes, hold)`: hold the (final) chunk for verdicts.
    pub(super) fn guard_stream_chunk(
        &mut self,
        sent: Vec<u8>,
        end_of_stream: bool,
        builtin_blocked: bool,
    ) -> (Vec<u8>, bool) {
        let block = self.stream_block_reply();
        let Some(g) = self.stream_guard.as_mut() else {
            return (sent, false);
        };
        if g.ended {
            return (Vec::new(), false);
        }
        if builtin_blocked {
            // The built-in screening ended the stream: nothing more to judge.
            g.ended = true;
            g.held.clear();
            return (sent, false);
        }
        if g.cut {
            g.ended = true;
            g.held.clear();
            return (error_event(&block), false);
        }
        g.partial.extend_from_slice(&sent);
        let mut events: Vec<(Vec<u8>, usize)> = Vec::new();
        while let Some(end) = event_end(&g.partial) {
            let event: Vec<u8> = g.partial.drain(..end).collect();
            let text = event_text(&event);
            for window in g.windows.push(&text) {
                let at = g.chars + text.chars().count();
                g.ready.push((window, at));
            }
            g.chars += text.chars().count();
            events.push((event, g.chars));
        }
        if end_of_stream {
            if !g.partial.is_empty() {
                let rest = std::mem::take(&mut g.partial);
                events.push((rest, g.chars));
            }
            if let Some(window) = g.windows.finish() {
                g.ready.push((window, g.chars));
            }
        }
        let mut out = if g.strict {
            g.held.extend(events);
            g.release_verified()
        } else {
            sent
        };
        let outstanding = !g.ready.is_empty() || g.rounds.iter().any(|r| r.safe.is_none());
        let hold = end_of_stream && (outstanding || !g.held.is_empty());
        if hold {
            g.final_span = Some(out.len());
        } else if end_of_stream && g.strict {
            out.extend(g.held.drain(..).flat_map(|(b, _)| b));
        }
        (out, hold)
    }

    fn stream_block_reply(&self) -> LocalReply {
        match self.plan.rule.screening.as_ref() {
            Some(s) => LocalReply::content_blocked(s.config.block_status, &s.config.block_message),
            None => LocalReply::content_blocked(400, "blocked"),
        }
    }

    /// True when windows wait for their rounds to start.
    pub fn stream_windows_ready(&self) -> bool {
        self.stream_guard
            .as_ref()
            .is_some_and(|g| !g.ready.is_empty())
    }

    /// Starts the rounds of the windows cut so far: `(window, calls)`; rounds
    /// answered from the cache are decided here (see the returned decisions).
    pub fn start_stream_guards(
        &mut self,
        caches: &mut GuardCaches,
        now_ms: u64,
    ) -> (Vec<(usize, Vec<Call>)>, Vec<WindowDecision>) {
        let (Some(screener), prompt) =
            (self.plan.rule.screening.clone(), self.guard_prompt.clone())
        else {
            return (Vec::new(), Vec::new());
        };
        let Some(g) = self.stream_guard.as_mut() else {
            return (Vec::new(), Vec::new());
        };
        let mut calls = Vec::new();
        let mut done = Vec::new();
        for (text, end_chars) in std::mem::take(&mut g.ready) {
            let texts = vec![GuardText {
                role: Role::Assistant,
                text,
                segments: Vec::new(),
            }];
            let round = Round::start(
                &screener.config.guards,
                Side::Output,
                &texts,
                prompt.as_deref(),
                &screener.guard_keys,
                caches,
                now_ms,
            );
            let id = g.rounds.len();
            let c = round.calls().to_vec();
            g.rounds.push(WindowRound {
                round,
                texts,
                end_chars,
                safe: None,
            });
            if c.is_empty() {
                done.push(id);
            } else {
                calls.push((id, c));
            }
        }
        let decisions = done
            .into_iter()
            .filter_map(|id| self.decide_window(id))
            .collect();
        (calls, decisions)
    }

    /// The guard of call `index` of window `window`.
    pub fn window_guard_of_call(&self, window: usize, index: usize) -> Option<&str> {
        let g = self.stream_guard.as_ref()?;
        let call = g.rounds.get(window)?.round.calls().get(index)?;
        let guards = &self.plan.rule.screening.as_ref()?.config.guards;
        guards.get(call.guard).map(|s| s.name.as_str())
    }

    /// Records an answer for window `window`; its decision once complete.
    pub fn window_guard_answered(
        &mut self,
        window: usize,
        index: usize,
        reply: Result<&[u8], CallFailure>,
        caches: &mut GuardCaches,
        now_ms: u64,
    ) -> Option<WindowDecision> {
        let screener = self.plan.rule.screening.clone()?;
        let g = self.stream_guard.as_mut()?;
        let w = g.rounds.get_mut(window)?;
        w.round.complete(
            index,
            reply,
            &screener.config.guards,
            &w.texts,
            caches,
            now_ms,
        );
        if w.round.is_done() {
            self.decide_window(window)
        } else {
            None
        }
    }

    fn decide_window(&mut self, window: usize) -> Option<WindowDecision> {
        let screener = self.plan.rule.screening.clone()?;
        let guards = &screener.config.guards;
        let dry_run = screener.config.dry_run;
        let g = self.stream_guard.as_mut()?;
        let w = g.rounds.get_mut(window)?;
        if w.safe.is_some() {
            return None;
        }
        let v = w.round.verdict(guards);
        let unsafe_ = v.blocked_by.is_some() || v.unavailable.is_some();
        w.safe = Some(!unsafe_ || dry_run);
        if unsafe_ && !dry_run {
            g.cut = true;
        }
        let failed = v.guards.iter().any(|o| !o.failures.is_empty());
        let decision = if v.unavailable.is_some() {
            "unavailable"
        } else if v.blocked_by.is_some() {
            if dry_run {
                "would_block"
            } else {
                "blocked"
            }
        } else if failed {
            "failed_open"
        } else if !v.flags.is_empty() {
            "flagged"
        } else {
            "passed"
        };
        if decision != "passed" {
            let stronger = matches!(decision, "blocked" | "unavailable");
            if stronger || self.output_decision.is_none() {
                self.output_decision = Some(decision);
            }
        }
        let name = |i: usize| guards.get(i).map_or("?", |s| s.name.as_str());
        let outcomes = v
            .guards
            .iter()
            .enumerate()
            .map(|(i, o)| (name(i).to_string(), o.clone()))
            .collect();
        Some(WindowDecision { outcomes, decision })
    }

    /// When the final chunk is held and every verdict is in: what to write
    /// before resuming the response.
    pub fn stream_release(&mut self) -> Option<StreamRelease> {
        let block = self.stream_block_reply();
        let g = self.stream_guard.as_mut()?;
        let span = g.final_span?;
        if !g.ready.is_empty() || g.rounds.iter().any(|r| r.safe.is_none()) {
            return None;
        }
        g.final_span = None;
        if g.cut {
            g.ended = true;
            g.held.clear();
            return Some(StreamRelease {
                replace: Some(error_event(&block)),
                start: 0,
                size: span,
            });
        }
        // Strict: everything still held goes after what the final chunk released.
        let held: Vec<u8> = g.held.drain(..).flat_map(|(b, _)| b).collect();
        Some(StreamRelease {
            replace: (!held.is_empty()).then_some(held),
            start: span,
            size: 0,
        })
    }
}

impl StreamGuard {
    /// Strict mode: the held events every character of which is in a
    /// window judged safe (in order).
    fn release_verified(&mut self) -> Vec<u8> {
        let mut verified = 0;
        for r in &self.rounds {
            match r.safe {
                Some(true) => verified = r.end_chars,
                _ => break,
            }
        }
        let mut out = Vec::new();
        while let Some((_, end)) = self.held.front() {
            if *end > verified {
                break;
            }
            if let Some((bytes, _)) = self.held.pop_front() {
                out.extend(bytes);
            }
        }
        out
    }
}
