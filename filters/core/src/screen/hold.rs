//! How much of a stream's tail could still be the start of a PII match.
//!
//! Every built-in detector matches a run of non-space characters, except
//! numbers written in groups separated by single spaces
//! (`4111 1111 1111 1111`, `+44 (0)20 7946 0958`, `+1 (555) 123-4567`,
//! `DE89 3704 0044 0532 0130 00`, `GB82 WEST 1234 5698 7654 32`), possibly
//! in markup (`**881 397 169**`, `<td>+44 20 7946 0958</td>`, `"+420 …"`).
//! So the tail to hold is the last run of non-space characters and, when
//! that run is a group, the groups before it: runs holding a digit (any
//! other characters around it: `(0)20`, `**881`, `tel:+44`, `<b>+44`), up to
//! four characters without a lowercase letter (`WEST`, `-`, `–`, `**`).
//! Full-width and other Unicode digits count as digits. A run is held
//! whole (`info:+45`, `06-2/360`): what detectors accept inside a number
//! varies, and holding a few bytes more costs nothing.
//! Left context (a word like "card" before the number) is not held: the
//! stream gives released text to the next scan as context.
//! Private-key blocks span lines: the engine holds an open one separately
//! (`pii::open_pem_block`).

/// Longest run that still counts as one group of a grouped number.
const MAX_GROUP_LEN: usize = 48;

/// The byte offset where the held tail of `text` starts, or `None` when the
/// text ends in whitespace that nothing can continue over. Never holds more
/// than `max_len` characters (nothing that long can still become a match;
/// detectors count folded text, where a full-width letter is one byte and
/// an invisible character none), nor more than `4 * max_len` bytes.
pub fn trailing_entity(text: &str, max_len: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    let last = *bytes.last()?;
    let floor = hold_floor(text, max_len.max(1));
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
    let last_is_group = bytes.get(start..end).is_some_and(is_group);
    if must_be_group && !last_is_group {
        return None;
    }
    if !last_is_group {
        return Some(start);
    }
    // Extend over earlier groups separated by one space: "4111 1111 1111 1".
    loop {
        if start <= floor + 1 || bytes.get(start - 1) != Some(&b' ') {
            break;
        }
        let prev_end = start - 1;
        let prev_start = run_start(bytes, prev_end, floor);
        if !bytes.get(prev_start..prev_end).is_some_and(is_group) {
            break;
        }
        start = prev_start;
    }
    Some(start)
}

/// Start of the run of non-whitespace bytes ending at `end`, not before `floor`.
fn run_start(bytes: &[u8], end: usize, floor: usize) -> usize {
    let mut i = end;
    while i > floor && bytes.get(i - 1).is_some_and(|b| !b.is_ascii_whitespace()) {
        i -= 1;
    }
    i
}

/// A piece of a grouped number: a short run holding a digit (with any
/// separators or markup around: `(0)20`, `+44`, `**881`, `<td>+44`,
/// `0958</td>`; full-width and other Unicode digits count), or up to four
/// characters without a lowercase letter (IBAN letter groups `WEST`,
/// dashes, `**`).
fn is_group(group: &[u8]) -> bool {
    if group.is_empty() || group.len() > MAX_GROUP_LEN {
        return false;
    }
    if group.is_ascii() {
        return group.iter().any(u8::is_ascii_digit)
            || (group.len() <= 4 && !group.iter().any(u8::is_ascii_lowercase));
    }
    let Ok(text) = std::str::from_utf8(group) else {
        // a char cut by the hold-back floor: treat it as part of a number
        return true;
    };
    // read as the PII detectors read it (`super::pii::detector_view`):
    // full-width and other-script digits are digits, invisible chars nothing
    let mut digit = false;
    let mut lower = false;
    let mut count = 0;
    for c in text.chars() {
        match super::pii::detector_view(c) {
            Some(None) => continue,
            Some(Some(b)) => {
                digit |= b.is_ascii_digit();
                lower |= b.is_ascii_lowercase();
            }
            None => {
                digit |= c.is_numeric();
                lower |= c.is_lowercase();
            }
        }
        count += 1;
    }
    digit || (count <= 4 && !lower)
}

/// Where the last `max_len` characters of `text` start, invisible ones not
/// counted, but not before its last `4 * max_len` bytes.
fn hold_floor(text: &str, max_len: usize) -> usize {
    let end = text.len();
    let ascii_floor = end.saturating_sub(max_len);
    if text
        .as_bytes()
        .get(ascii_floor..)
        .is_some_and(<[u8]>::is_ascii)
    {
        return ascii_floor;
    }
    let limit = floor_boundary(text, end.saturating_sub(max_len.saturating_mul(4)));
    let mut counted = 0;
    let tail = text.get(limit..).unwrap_or_default();
    for (i, c) in tail.char_indices().rev() {
        if !is_invisible(c) {
            counted += 1;
        }
        if counted >= max_len {
            return limit + i;
        }
    }
    limit
}

/// Characters the PII detectors drop inside values (zero-width, joiners,
/// soft hyphen, byte-order mark, …).
fn is_invisible(c: char) -> bool {
    super::pii::detector_view(c) == Some(None)
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
        assert_eq!(trailing_entity("ééééé", 3), Some(4));
        assert_eq!(trailing_entity("ｅｙＪａｂ", 2), Some(9));
        assert_eq!(trailing_entity("ab\u{200B}\u{200B}cd", 3), Some(1));
        assert_eq!(trailing_entity(&"\u{200B}".repeat(100), 3), Some(288));
        // international forms and markup keep every group
        assert_eq!(trailing_entity("ring +44 (0)20 7946 09", 64), Some(5));
        assert_eq!(trailing_entity("ring +44(0)113 496 0", 64), Some(5));
        assert_eq!(trailing_entity("Cell: **881 397 16", 64), Some(6));
        assert_eq!(trailing_entity("<td>+44 20 7946 0958</t", 64), Some(0));
        assert_eq!(trailing_entity("GB82 WEST 1234 ", 64), Some(0));
        assert_eq!(trailing_entity("phone +1 - 555 ", 64), Some(6));
        // a word ends the number: only the word is held
        assert_eq!(trailing_entity("call 555 123 then", 64), Some(13));
        // a number's head glued to what comes before it
        assert_eq!(trailing_entity("info:+45 ", 64), Some(0));
        assert_eq!(trailing_entity("info:+45 2630", 64), Some(0));
        assert_eq!(trailing_entity("Cell: **+43 7358", 64), Some(6));
        assert_eq!(trailing_entity("は、+33 2 33", 64), Some(0));
        assert_eq!(trailing_entity("Cell: **06-4/258 41", 64), Some(6));
        assert_eq!(trailing_entity("Phone:\\n+44 808 1", 64), Some(0));
        assert_eq!(trailing_entity("there. ", 64), None);
        assert_eq!(trailing_entity("say: hello ", 64), None);
        assert_eq!(trailing_entity("mail:jo@x.io", 64), Some(0));
        // groups are read as the PII detectors read them
        assert_eq!(trailing_entity("card ４１１１ １１１１ １１", 64), Some(5));
        assert_eq!(trailing_entity("card ４１１１ ", 64), Some(5));
        assert_eq!(trailing_entity("card 41\u{200B}11 1111 11", 64), Some(5));
        assert_eq!(trailing_entity("привет мир дом", 64), Some(20));
        // full-width digits and signs are digits too
        assert_eq!(trailing_entity("card ４１１１ １１１１ １", 64), Some(5));
        assert_eq!(trailing_entity("tel ＋４４ ２０ ７９", 64), Some(4));
        assert_eq!(trailing_entity("était é", 64), Some(7));
        // bounded by max_len
        assert_eq!(trailing_entity(&"7 ".repeat(100), 9), Some(192));
    }
}
