//! The response side of an exchange: response headers decide how the body
//! is screened; each body chunk is answered with the bytes to send and what
//! was found.
//!
//! How a response body is screened ([`ResponseKind`]): only a 2xx response
//! with a body, on a rule that screens outputs, and not an embeddings answer
//! (`data[].embedding` is floats or base64 of floats; the rest is the
//! server's own, not model output). Then: compressed (`content-encoding`
//! other than identity) is unscreenable: withheld when screening fails
//! closed, passed unread when open (`reason=encoded`); `text/event-stream`
//! is screened event by event; anything else is held as JSON up to the
//! rule's `max_body_bytes` and screened whole, and past the limit screened
//! as it passes. A held body that is not JSON is withheld (closed) or passed
//! (open) (`reason=not_json`).

use super::Exchange;
use crate::openai::{is_compressed, Endpoint};
use crate::reply::LocalReply;
use crate::screen::body::screen_response_bytes;
use crate::screen::json_stream::JsonStreamScreener;
use crate::screen::stream::StreamScreener;
use crate::screen::{Direction, Tally};
use crate::usage::{Usage, UsageScanner};

/// How the response body is screened, once response headers were seen.
#[derive(Debug)]
pub enum ResponseScreen {
    /// A JSON body: buffered whole (up to the limit), screened, rewritten.
    Json { limit: usize },
    /// A JSON body past the limit: screened as it passes, only its output
    /// strings rewritten.
    JsonStream(Box<JsonStreamScreener>),
    /// An SSE stream: screened event by event as it passes.
    Stream(Box<StreamScreener>),
    /// The body cannot be screened and the rule fails closed: it is
    /// replaced by an error.
    Refused,
}

/// How a response body will be handled: the decision of the response-header
/// phase, without its state (for `explain` and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// Not screened: passes as it comes.
    Passed,
    /// Held whole as JSON up to `limit` bytes and screened; past the limit
    /// screened as it passes.
    Json { limit: usize },
    /// Server-sent events, screened event by event.
    Stream,
    /// Cannot be screened (compressed) and screening fails closed: withheld.
    Refused,
    /// Cannot be screened (compressed) and screening fails open: passed unread.
    PassedUnread,
}

/// What the breaker needs to know about the response stream.
#[derive(Debug, Default)]
pub struct StreamWatch {
    pub ended: bool,
    pub first_body_ms: Option<u64>,
    pub last_chunk_ms: u64,
    pub max_gap_ms: u64,
}

/// What the response-header phase reads from the host, lazily: every value
/// the host hands back costs a call into the VM, an absent header none.
pub trait ResponseHost {
    /// A response header.
    fn header(&mut self, name: &str) -> Option<String>;
    /// Milliseconds since the request headers (one clock read).
    fn elapsed_ms(&mut self) -> u64;
}

/// What the response-body phases read from the host.
pub trait BodyHost {
    /// `size` bytes of the buffered response body from `start`.
    fn body(&mut self, start: usize, size: usize) -> Vec<u8>;
    /// Milliseconds since the request headers (one clock read).
    fn elapsed_ms(&mut self) -> u64;
}

/// The response-header answer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ResponseHeadersAnswer {
    /// Response headers to set, in order.
    pub set: Vec<(String, String)>,
    /// `set-cookie` values to add.
    pub cookies: Vec<String>,
    /// Response headers to remove.
    pub remove: Vec<&'static str>,
    /// `class` label of `llm_policy_ab_responses_total`, when arms were chosen.
    pub ab_class: Option<&'static str>,
    /// `reason` of `llm_policy_screening_unscreenable_total`, if counted.
    pub unscreenable: Option<&'static str>,
}

/// The answer to one response body chunk.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChunkAnswer {
    /// Hold the body (buffer) until it ends.
    pub pause: bool,
    /// Replace the first `span` bytes the host holds with this.
    pub replace: Option<Vec<u8>>,
    /// The bytes of the host's buffer this answer covers.
    pub span: usize,
    /// What screening found, to count.
    pub findings: Tally,
    /// `reason` of `llm_policy_screening_unscreenable_total`, if counted.
    pub unscreenable: Option<&'static str>,
    /// Token usage, once the response ended with one.
    pub usage: Option<Usage>,
    /// The complete output is held for the rule's response guards: call
    /// [`Exchange::start_output_guards`] (`pause` is set, nothing replaced yet).
    pub check_output: bool,
    /// Stream windows are ready for the response guards: call
    /// [`Exchange::start_stream_guards`].
    pub stream_windows: bool,
}

fn status_class(status: Option<u16>) -> &'static str {
    match status.map(|s| s / 100) {
        Some(2) => "2xx",
        Some(3) => "3xx",
        Some(4) => "4xx",
        Some(5) => "5xx",
        _ => "other",
    }
}

impl Exchange {
    /// The `action` label of `llm_policy_screening_unscreenable_total`.
    pub fn unscreenable_action(&self) -> &'static str {
        if self.fail_closed {
            "withheld"
        } else {
            "passed"
        }
    }

    /// How a response with `status`, `content_type` and `content_encoding`
    /// is handled (`end_of_stream`: the headers end it, no body).
    pub fn response_kind(
        &self,
        status: Option<u16>,
        end_of_stream: bool,
        content_type: Option<&str>,
        content_encoding: Option<&str>,
    ) -> ResponseKind {
        if !self.screens_response(status, end_of_stream) {
            return ResponseKind::Passed;
        }
        if content_encoding.is_some_and(is_compressed) {
            return if self.fail_closed {
                ResponseKind::Refused
            } else {
                ResponseKind::PassedUnread
            };
        }
        if content_type.is_some_and(|ct| ct.starts_with("text/event-stream")) {
            ResponseKind::Stream
        } else {
            ResponseKind::Json {
                limit: self.plan.rule.max_body_bytes,
            }
        }
    }

    fn screens_response(&self, status: Option<u16>, end_of_stream: bool) -> bool {
        !self.replied
            && !end_of_stream
            && self.plan.endpoint != Some(Endpoint::Embeddings)
            && (self.plan.screener(Direction::Response).is_some() || self.has_response_guards())
            && matches!(status, Some(200..=299))
    }

    /// The response-header phase.
    pub fn on_response_headers(
        &mut self,
        status: Option<u16>,
        end_of_stream: bool,
        host: &mut dyn ResponseHost,
    ) -> ResponseHeadersAnswer {
        self.watch.ended = end_of_stream;
        self.status = status;
        if self
            .plan
            .rule
            .canary
            .as_ref()
            .is_some_and(|c| c.halt.is_some())
        {
            self.first_byte_ms = Some(host.elapsed_ms());
        }
        let mut out = ResponseHeadersAnswer::default();
        if let Some(v) = &self.debug_value {
            out.set.push((super::DEBUG_HEADER.to_string(), v.clone()));
        }
        if let Some((name, value)) = self.plan.ab_response_header() {
            out.set.push((name.to_string(), value));
        }
        out.cookies = self.plan.set_cookies();
        if !self.plan.arms.is_empty() {
            out.ab_class = Some(status_class(status));
            self.usage = Some(UsageScanner::sniffing());
        }
        if self.replied {
            return out;
        }
        if let Some(flag) = self.flag_header() {
            out.set.push(flag);
        }
        if !self.screens_response(status, end_of_stream) {
            return out;
        }
        // Single reads, and content-type only when not compressed.
        let encoding = host.header("content-encoding");
        let content_type = if encoding.as_deref().is_some_and(is_compressed) {
            None
        } else {
            host.header("content-type")
        };
        let kind = self.response_kind(
            status,
            end_of_stream,
            content_type.as_deref(),
            encoding.as_deref(),
        );
        let screen = match kind {
            ResponseKind::Passed => return out,
            ResponseKind::PassedUnread => {
                out.unscreenable = Some("encoded");
                return out;
            }
            ResponseKind::Refused => {
                out.unscreenable = Some("encoded");
                ResponseScreen::Refused
            }
            ResponseKind::Stream => {
                let Some(screener) = self.plan.rule.screening.clone() else {
                    return out;
                };
                self.stream_guard = self.new_stream_guard();
                ResponseScreen::Stream(Box::new(StreamScreener::new(
                    screener,
                    self.restore.clone(),
                    self.fail_closed,
                )))
            }
            ResponseKind::Json { limit } => ResponseScreen::Json { limit },
        };
        out.remove.push("content-length");
        self.screen = Some(screen);
        out
    }

    /// A response body chunk: `body_size` is every byte the host holds
    /// (the chunk, or the whole body while it is held).
    pub fn on_response_body(
        &mut self,
        body_size: usize,
        end_of_stream: bool,
        host: &mut dyn BodyHost,
    ) -> ChunkAnswer {
        let timed = self.circuit.as_ref().is_some_and(|c| {
            c.cfg.first_token_timeout_ms.is_some() || c.cfg.stream_idle_timeout_ms.is_some()
        });
        self.watch.ended |= end_of_stream;
        // The clock is read only when the breaker judges stream timing.
        if timed && body_size > 0 {
            let now = host.elapsed_ms();
            let w = &mut self.watch;
            if w.first_body_ms.is_none() {
                w.first_body_ms = Some(now);
            } else {
                w.max_gap_ms = w.max_gap_ms.max(now.saturating_sub(w.last_chunk_ms));
            }
            w.last_chunk_ms = now;
        }
        if self.screen.is_some() {
            return self.screen_chunk(body_size, end_of_stream, host);
        }
        let mut out = ChunkAnswer {
            span: body_size,
            ..ChunkAnswer::default()
        };
        if self.usage.is_some() {
            let chunk = host.body(0, body_size);
            out.usage = self.feed_usage(&chunk, end_of_stream);
        }
        out
    }

    /// Response trailers (HTTP/2): the body ended without an end-of-stream
    /// chunk; a held or streamed JSON body is finished here.
    pub fn on_response_trailers(&mut self, host: &mut dyn BodyHost) -> ChunkAnswer {
        self.watch.ended = true;
        match self.screen {
            // Chunks already went out: only the end is told (closing what is owed).
            Some(ResponseScreen::JsonStream(_)) => self.screen_chunk(0, true, host),
            Some(ResponseScreen::Json { .. }) => {
                let size = host.body(0, usize::MAX).len();
                self.screen_chunk(size, true, host)
            }
            _ => ChunkAnswer::default(),
        }
    }

    fn screen_chunk(
        &mut self,
        body_size: usize,
        end_of_stream: bool,
        host: &mut dyn BodyHost,
    ) -> ChunkAnswer {
        let mut out = ChunkAnswer {
            span: body_size,
            ..ChunkAnswer::default()
        };
        let closed = self.fail_closed;
        match self.screen.as_mut() {
            None => {}
            Some(ResponseScreen::Json { limit }) => {
                if body_size > *limit {
                    // Too large to hold: screened as it passes from here on.
                    let Some(screener) = self.plan.rule.screening.clone() else {
                        return out;
                    };
                    let stream = JsonStreamScreener::new(screener, self.restore.clone(), closed);
                    self.screen = Some(ResponseScreen::JsonStream(Box::new(stream)));
                    return self.screen_chunk(body_size, end_of_stream, host);
                }
                if !end_of_stream {
                    out.pause = true;
                    return out;
                }
                let body = host.body(0, body_size);
                out.usage = self.feed_usage(&body, true);
                let Some(screener) = self.plan.rule.screening.clone() else {
                    return out;
                };
                match screen_response_bytes(&screener, &body, self.restore.as_deref()) {
                    Ok((replacement, screened)) => {
                        self.record_response(&screened.tally, &mut out);
                        if screened.blocked.is_none()
                            && self.hold_for_output_guards(&body, replacement.clone(), body_size)
                        {
                            out.check_output = true;
                            out.pause = true;
                        } else {
                            out.replace = replacement;
                        }
                    }
                    Err(_) => {
                        out.unscreenable = Some("not_json");
                        self.refuse(true, &mut out);
                    }
                }
            }
            Some(ResponseScreen::Stream(stream)) => {
                let chunk = host.body(0, body_size);
                let sent = stream.feed(&chunk, end_of_stream);
                let unscreenable = std::mem::take(&mut stream.unscreenable);
                let blocked = stream.blocked.is_some();
                let tally = if end_of_stream || blocked {
                    std::mem::take(&mut stream.tally)
                } else {
                    Tally::default()
                };
                let sent = if self.stream_guard.is_some() {
                    let (sent, hold) = self.guard_stream_chunk(sent, end_of_stream, blocked);
                    out.pause = hold;
                    out.stream_windows = self.stream_windows_ready();
                    sent
                } else {
                    sent
                };
                if sent != chunk {
                    out.replace = Some(sent);
                }
                out.usage = self.feed_usage(&chunk, end_of_stream);
                if unscreenable > 0 {
                    out.unscreenable = Some("bad_event");
                }
                self.record_response(&tally, &mut out);
            }
            Some(ResponseScreen::JsonStream(stream)) => {
                let chunk = host.body(0, body_size);
                let sent = stream.feed(&chunk, end_of_stream);
                let problem = stream.problem.take();
                let tally = stream.take_tally();
                if sent != chunk {
                    out.replace = Some(sent);
                }
                out.usage = self.feed_usage(&chunk, end_of_stream);
                out.unscreenable = problem.map(|p| p.label());
                self.record_response(&tally, &mut out);
            }
            Some(ResponseScreen::Refused) => self.refuse(end_of_stream, &mut out),
        }
        out
    }

    fn record_response(&mut self, tally: &Tally, out: &mut ChunkAnswer) {
        if !tally.is_empty() {
            self.response_tally.merge(tally);
            out.findings.merge(tally);
        }
    }

    /// Withholds the response body (fail closed: the chunk is emptied, the
    /// last one becomes the error) or lets it pass unscreened (fail open).
    fn refuse(&mut self, end_of_stream: bool, out: &mut ChunkAnswer) {
        if !self.fail_closed {
            self.screen = None;
            return;
        }
        self.screen = Some(ResponseScreen::Refused);
        out.replace = Some(if end_of_stream {
            LocalReply::unscreenable_output().body().into_bytes()
        } else {
            Vec::new()
        });
    }

    /// Reads token usage from a response chunk, when arms are counted; an
    /// event stream the request did not ask usage for is not read further.
    fn feed_usage(&mut self, chunk: &[u8], end_of_stream: bool) -> Option<Usage> {
        let scanner = self.usage.as_mut()?;
        if !self.stream_usage_asked && scanner.sniff(chunk) {
            self.usage = None;
            return None;
        }
        scanner.feed(chunk);
        if end_of_stream {
            scanner.finish()
        } else {
            None
        }
    }
}
