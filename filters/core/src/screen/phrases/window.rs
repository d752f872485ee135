//! The bytes of the original text that fold into the window a phrase
//! anchored at a word can cover: walking folded sizes backward and forward.

use super::anchors::Reach;
use crate::screen::text::{fold_char, FoldedChar};
use std::ops::Range;

/// Most bytes in a row that fold to nothing (whitespace after the first of
/// a run, invisible characters) walked over around an anchor; past it the
/// whole text is folded instead (walking them for every anchor could cost
/// more).
const LONGEST_IDLE_WALK: usize = 256;

/// What folding `c` adds, in bytes, next to a char that did (`space`) or
/// did not fold to a space; and whether the folded text now has a space
/// there. Invisible characters leave `space` as it is.
fn folded_size(c: char, space: bool) -> (usize, bool) {
    match fold_char(c) {
        FoldedChar::Removed => (0, space),
        FoldedChar::Space => (usize::from(!space), true),
        FoldedChar::Char(folded) => (folded.len_utf8(), false),
    }
}

/// The start of the stretch of `text` ending at `end` (a char boundary
/// after a char that does not fold to a space) that folds to `len` bytes,
/// or the start of `text`. None past [`LONGEST_IDLE_WALK`] idle bytes.
pub(super) fn fold_back(text: &str, end: usize, len: usize) -> Option<usize> {
    let mut walk = Walk::default();
    let mut at = end;
    while walk.folded < len {
        let Some(&byte) = at.checked_sub(1).and_then(|last| text.as_bytes().get(last)) else {
            break;
        };
        let c = if byte.is_ascii() {
            char::from(byte)
        } else {
            text.get(..at)?.chars().next_back()?
        };
        at -= c.len_utf8();
        walk.step(c)?;
    }
    Some(at)
}

/// The end of the stretch of `text` starting at `start` (a char boundary
/// after a char that does not fold to a space) that folds to `len` bytes,
/// or the end of `text`. None past [`LONGEST_IDLE_WALK`] idle bytes.
pub(super) fn fold_forward(text: &str, start: usize, len: usize) -> Option<usize> {
    let mut walk = Walk::default();
    let mut at = start;
    while walk.folded < len {
        let Some(&byte) = text.as_bytes().get(at) else {
            break;
        };
        let c = if byte.is_ascii() {
            char::from(byte)
        } else {
            text.get(at..)?.chars().next()?
        };
        at += c.len_utf8();
        walk.step(c)?;
    }
    Some(at)
}

/// A walk over a text, away from an anchor, counting folded bytes.
#[derive(Debug, Default)]
struct Walk {
    folded: usize,
    /// Bytes in a row that folded to nothing.
    idle: usize,
    /// The last char walked over folded to a space.
    space: bool,
}

impl Walk {
    /// Walks over `c`; None past [`LONGEST_IDLE_WALK`] idle bytes.
    #[inline]
    fn step(&mut self, c: char) -> Option<()> {
        let added = if c.is_ascii_alphanumeric() {
            self.space = false;
            1
        } else {
            let (added, space) = folded_size(c, self.space);
            self.space = space;
            added
        };
        self.folded += added;
        self.idle = if added == 0 {
            self.idle + c.len_utf8()
        } else {
            0
        };
        (self.idle <= LONGEST_IDLE_WALK).then_some(())
    }
}

/// The bytes around the anchor `start..end` that a phrase anchored there
/// can cover, on char boundaries.
pub(super) fn window_around(
    haystack: &str,
    start: usize,
    end: usize,
    reach: Reach,
) -> Range<usize> {
    let mut from = start.saturating_sub(reach.before);
    while !haystack.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = end.saturating_add(reach.after).min(haystack.len());
    while !haystack.is_char_boundary(to) {
        to += 1;
    }
    from..to
}
