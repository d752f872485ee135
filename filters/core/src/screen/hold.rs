//! How much of a stream's tail could still be the start of a PII match.
//!
//! Every built-in detector matches a run of non-space characters, except
//! numbers written in groups (`4111 1111 1111 1111`, `+1 (555) 123-4567`,
//! `DE89 3704 0044 0532 0130 00`). So the tail to hold is the last run of
//! non-space characters, extended backwards over short group-like runs.
//! Private-key blocks span lines: the engine holds an open one separately
//! (`pii::open_pem_block`).

/// The byte offset where the held tail of `text` starts, or `None` when the
/// text ends in whitespace. Never holds more than `max_len` bytes (nothing
/// that long can still become a match), except to keep a char whole.
pub fn trailing_entity(text: &str, max_len: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    let last = *bytes.last()?;
    let floor = floor_boundary(text, end.saturating_sub(max_len.max(1)));
    let mut must_be_group = false;
    if last.is_ascii_whitespace() {
        // "4111 " or "(415) " may go on with the next group; other text may not.
        let before = end.checked_sub(2).and_then(|i| bytes.get(i));
        if last != b' ' || before.is_none_or(u8::is_ascii_whitespace) {
            return None;
        }
        end -= 1;
        must_be_group = true;
    }
    let mut start = run_start(bytes, end, floor);
    if must_be_group && !is_group(&bytes[start..end]) {
        // a group glued to punctuation or text before it: `info:+45 `
        start = group_suffix_start(bytes, start, end)?;
    }
    // Extend over earlier groups separated by one space: "4111 1111 1111 1".
    loop {
        if start <= floor + 1 || bytes.get(start - 1) != Some(&b' ') {
            break;
        }
        let prev_end = start - 1;
        let prev_start = run_start(bytes, prev_end, floor);
        if !is_group(&bytes[prev_start..prev_end]) {
            // `info:+45 2630`, `**+43 7358`, `、+33 2 33`: the number's head
            if let Some(s) = group_suffix_start(bytes, prev_start, prev_end) {
                start = s;
            }
            break;
        }
        start = prev_start;
    }
    Some(start)
}

/// Start of the run of non-whitespace bytes ending at `end`, not before `floor`.
fn run_start(bytes: &[u8], end: usize, floor: usize) -> usize {
    let mut i = end;
    while i > floor && !bytes[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    i
}

/// A short piece of a grouped number: digits, or up to four capitals
/// (IBAN groups), possibly with `+ ( ) - .`, as the PII detectors read it
/// (full-width `４１１１` is a group; invisible characters do not count).
fn is_group(group: &[u8]) -> bool {
    let mut folded = [0u8; 7];
    let mut len = 0;
    for c in std::str::from_utf8(group).unwrap_or("\u{0}x").chars() {
        match super::pii::detector_view(c) {
            Some(Some(b)) if len < folded.len() => {
                folded[len] = b;
                len += 1;
            }
            Some(None) => {}
            _ => return false,
        }
    }
    let group = &folded[..len];
    let digits = group.iter().any(u8::is_ascii_digit);
    let shape_ok = group
        .iter()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || b"+()-.".contains(b));
    !group.is_empty() && group.len() <= 6 && shape_ok && (digits || group.len() <= 4)
}

/// Where the group-shaped end of the run `start..end` begins (`+45` in
/// `info:+45`), when it is a group with a digit or `+` (not the `.` of
/// `there.`).
fn group_suffix_start(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let mut s = end;
    while s > start && bytes.get(s - 1).is_some_and(|&b| is_group_byte(b)) {
        s -= 1;
    }
    let suffix = bytes.get(s..end)?;
    let numeric = suffix.iter().any(|&b| b.is_ascii_digit() || b == b'+');
    (numeric && is_group(suffix)).then_some(s)
}

fn is_group_byte(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b"+()-.".contains(&b)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn holds_the_last_word_and_number_groups() {
        assert_eq!(trailing_entity("write to john", 64), Some(9));
        assert_eq!(trailing_entity("write to ", 64), None);
        assert_eq!(trailing_entity("card 4111 ", 64), Some(5));
        assert_eq!(trailing_entity("call (415) ", 64), Some(5));
        assert_eq!(trailing_entity("call (415)  ", 64), None);
        assert_eq!(trailing_entity("card 4111 1111 11", 64), Some(5));
        assert_eq!(trailing_entity("call +1 (555) 12", 64), Some(5));
        assert_eq!(trailing_entity("iban DE89 3704", 64), Some(5));
        assert_eq!(trailing_entity("we Are", 64), Some(3));
        assert_eq!(trailing_entity("", 64), None);
        assert_eq!(trailing_entity("ééééé", 3), Some(6));
        // a number's head glued to what comes before it
        assert_eq!(trailing_entity("info:+45 ", 64), Some(5));
        assert_eq!(trailing_entity("info:+45 2630", 64), Some(5));
        assert_eq!(trailing_entity("Cell: **+43 7358", 64), Some(8));
        assert_eq!(trailing_entity("は、+33 2 33", 64), Some(6));
        assert_eq!(trailing_entity("there. ", 64), None);
        assert_eq!(trailing_entity("say: hello ", 64), None);
    }

    #[test]
    fn groups_are_read_as_the_pii_detectors_read_them() {
        assert_eq!(trailing_entity("card ４１１１ １１１１ １１", 64), Some(5));
        assert_eq!(trailing_entity("card ４１１１ ", 64), Some(5));
        assert_eq!(trailing_entity("card 41\u{200B}11 1111 11", 64), Some(5));
        assert_eq!(trailing_entity("привет мир дом", 64), Some(20));
    }
}
