//! Server-sent events as OpenAI-compatible servers stream them: finding
//! where an event ends in a byte stream (`\n\n` or `\n\r\n`), splitting an
//! event into its `data:` payload (data lines joined by `\n`) and its other
//! lines (`event:`, `id:`, comments, kept as they are), and writing an event
//! back. Not handled: a lone `\r` as line end, and `retry:` (kept verbatim
//! like any other line).

use crate::reply::LocalReply;
use serde_json::Value;

/// The end (exclusive) of the first complete event in `buf`, if any.
pub(crate) fn event_end(buf: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = buf.get(from..).and_then(|b| memchr::memchr(b'\n', b)) {
        let i = from + rel;
        match (buf.get(i + 1), buf.get(i + 2)) {
            (Some(b'\n'), _) => return Some(i + 2),
            (Some(b'\r'), Some(b'\n')) => return Some(i + 3),
            (None, _) => return None,
            _ => from = i + 1,
        }
    }
    None
}

/// The event's non-data lines, and its data lines joined by `\n`.
pub(crate) fn split_event(text: &str) -> (Vec<&str>, Option<String>) {
    let mut others = Vec::new();
    let mut data: Option<String> = None;
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(d) = line.strip_prefix("data:") {
            let d = d.strip_prefix(' ').unwrap_or(d);
            match &mut data {
                Some(acc) => {
                    acc.push('\n');
                    acc.push_str(d);
                }
                None => data = Some(d.to_string()),
            }
        } else if !line.is_empty() {
            others.push(line);
        }
    }
    (others, data)
}

/// Writes an event: the `others` lines as they came, then `data: {data}`.
pub(crate) fn write_event(out: &mut Vec<u8>, others: &[&str], data: &Value) {
    for line in others {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(b"data: ");
    out.extend_from_slice(data.to_string().as_bytes());
    out.extend_from_slice(b"\n\n");
}

/// An `error` event carrying `reply`'s body, then `data: [DONE]`.
pub(crate) fn end_with_error(out: &mut Vec<u8>, reply: &LocalReply) {
    out.extend_from_slice(b"data: ");
    out.extend_from_slice(reply.body().as_bytes());
    out.extend_from_slice(b"\n\ndata: [DONE]\n\n");
}
