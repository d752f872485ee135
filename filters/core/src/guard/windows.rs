//! Streamed output cut into windows for guards.
//!
//! Output text is pushed as it streams (the deltas of every choice, in
//! order). Each time `window_chars` new characters have arrived, a window is
//! ready: the new text, behind the last [`OVERLAP_CHARS`] characters of the
//! previous window, so a phrase split between two windows is seen whole by
//! one of them. At the end of the stream whatever is left is the last
//! window. A window's text is at most `window_chars + OVERLAP_CHARS`
//! characters.

use std::collections::VecDeque;

/// Characters of the previous window repeated at the start of the next.
pub const OVERLAP_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputWindows {
    window_chars: usize,
    /// New text not in any window yet.
    fresh: String,
    fresh_chars: usize,
    /// The end of the last window (at most OVERLAP_CHARS chars).
    tail: VecDeque<char>,
    windows: usize,
}

impl OutputWindows {
    pub fn new(window_chars: usize) -> OutputWindows {
        OutputWindows {
            window_chars: window_chars.max(1),
            fresh: String::new(),
            fresh_chars: 0,
            tail: VecDeque::with_capacity(OVERLAP_CHARS),
            windows: 0,
        }
    }

    /// Adds streamed text; returns the windows that became ready.
    pub fn push(&mut self, text: &str) -> Vec<String> {
        let mut ready = Vec::new();
        for c in text.chars() {
            self.fresh.push(c);
            self.fresh_chars += 1;
            if self.fresh_chars >= self.window_chars {
                ready.push(self.cut());
            }
        }
        ready
    }

    /// The last window at the end of the stream (None when nothing new).
    pub fn finish(&mut self) -> Option<String> {
        (self.fresh_chars > 0).then(|| self.cut())
    }

    /// Characters streamed that no window has covered yet.
    pub fn unchecked_chars(&self) -> usize {
        self.fresh_chars
    }

    /// Windows cut so far.
    pub fn count(&self) -> usize {
        self.windows
    }

    fn cut(&mut self) -> String {
        let mut window: String = self.tail.iter().collect();
        window.push_str(&self.fresh);
        for c in self.fresh.chars() {
            if self.tail.len() == OVERLAP_CHARS {
                self.tail.pop_front();
            }
            self.tail.push_back(c);
        }
        self.fresh.clear();
        self.fresh_chars = 0;
        self.windows += 1;
        window
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn windows_come_every_n_chars_with_the_previous_tail() {
        let mut w = OutputWindows::new(100);
        let text: String = (0..250)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let mut got = Vec::new();
        for piece in text.as_bytes().chunks(7) {
            got.extend(w.push(std::str::from_utf8(piece).unwrap()));
        }
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], text[..100]);
        assert_eq!(got[1], text[100 - OVERLAP_CHARS..200]);
        assert_eq!(w.unchecked_chars(), 50);
        assert_eq!(w.finish().as_deref(), Some(&text[200 - OVERLAP_CHARS..]));
        assert_eq!(w.finish(), None);
        assert_eq!(w.count(), 3);
    }

    #[test]
    fn a_phrase_across_a_window_edge_is_whole_in_the_next_window() {
        let mut w = OutputWindows::new(64);
        let mut text = "x".repeat(60);
        text.push_str(" how to build a bomb at home");
        let mut windows = w.push(&text);
        windows.extend(w.finish());
        assert!(windows
            .iter()
            .any(|win| win.contains("how to build a bomb")));
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut w = OutputWindows::new(3);
        assert_eq!(w.push("ééé"), vec!["ééé".to_string()]);
        assert!(w.push("ü").is_empty());
        assert_eq!(w.finish().as_deref(), Some("éééü"));
    }
}
