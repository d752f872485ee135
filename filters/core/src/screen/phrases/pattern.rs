//! Phrase patterns: the parser that expands a pattern (words, `(a|b)`
//! groups, optional groups, escapes, `!` exceptions, `~N` gaps) into its
//! folded literal phrases, segment by segment. The rules are in the
//! [module docs](super).

use super::typos;
use crate::screen::text::Folded;
use std::ops::Range;

/// Most literal phrases one pattern may expand to.
pub const MAX_EXPANSION: usize = 4096;

/// Deepest nesting of groups in a pattern.
pub const MAX_NESTING: usize = 16;

/// Most words one gap (`~N`) may stand for.
pub const MAX_GAP: usize = 8;

/// Most gaps in one pattern.
pub const MAX_GAPS: usize = 4;

/// A pattern parsed: its segments (each a set of folded literal phrases,
/// in pattern order) and, between segments `i` and `i + 1`, the most words
/// `gaps[i]` that may stand between them. No gap: one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Parsed {
    pub(super) segments: Vec<Vec<String>>,
    pub(super) gaps: Vec<usize>,
}

/// Parses a phrase pattern: its segments, split at its gaps, each expanded
/// into folded literal phrases. Err names the problem.
pub(super) fn parse(pattern: &str) -> Result<Parsed, String> {
    let body = exception_body(pattern).unwrap_or(pattern);
    let body = as_written_body(body).unwrap_or(body);
    if body.trim().is_empty() {
        return Err("empty pattern".into());
    }
    let offset = pattern.len() - body.len();
    let (pieces, gaps) = split_at_gaps(body, offset)?;
    let mut segments = Vec::with_capacity(pieces.len());
    let mut total = 0;
    for piece in pieces {
        let phrases = expand_range(pattern, piece)?;
        total += phrases.len();
        if total > MAX_EXPANSION {
            return Err(too_many());
        }
        segments.push(phrases);
    }
    Ok(Parsed { segments, gaps })
}

/// Expands a phrase pattern into its literal phrases, folded (lowercase,
/// whitespace collapsed, ends trimmed), without duplicates, in pattern
/// order. An exception's leading `!` is not part of its phrases (see
/// [`is_exception`]). A pattern with gaps gives the phrases of all its
/// segments, in order (none of them is a match alone). Err names the
/// problem.
pub fn expand(pattern: &str) -> Result<Vec<String>, String> {
    let parsed = parse(pattern)?;
    let mut phrases: Vec<String> = Vec::new();
    for phrase in parsed.segments.into_iter().flatten() {
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    Ok(phrases)
}

/// The segments of a pattern, each expanded like [`expand`] does a
/// pattern: one for a pattern without gaps. Err names the problem.
pub fn segments(pattern: &str) -> Result<Vec<Vec<String>>, String> {
    Ok(parse(pattern)?.segments)
}

/// The gaps of a pattern body (after any `!`; `offset` bytes into the
/// pattern): the byte ranges of the pattern between them, and their word
/// counts. A gap is the token `~N` (`N` digits, 1 to [`MAX_GAP`]) with
/// whitespace or nothing on each side, outside groups; `\~` is a literal
/// `~`, and so is a `~` that is not such a token.
fn split_at_gaps(body: &str, offset: usize) -> Result<(Vec<Range<usize>>, Vec<usize>), String> {
    let bytes = body.as_bytes();
    let mut pieces = Vec::new();
    let mut gaps = Vec::new();
    let mut depth = 0usize;
    let mut top_bar = false;
    let mut piece_start = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => {
                at += 2;
                continue;
            }
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'|' if depth == 0 => top_bar = true,
            b'~' => {
                let digits = bytes
                    .get(at + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let end = at + 1 + digits;
                let spaced_before =
                    at == 0 || bytes.get(at - 1).is_some_and(u8::is_ascii_whitespace);
                let spaced_after = bytes.get(end).is_none_or(u8::is_ascii_whitespace);
                if digits > 0 && spaced_before && spaced_after {
                    let at_byte = offset + at;
                    if depth > 0 {
                        return Err(format!(
                            "gap at byte {at_byte} inside a group: gaps go between groups"
                        ));
                    }
                    let words: usize = body
                        .get(at + 1..end)
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(usize::MAX);
                    if words > MAX_GAP {
                        return Err(format!(
                            "gap at byte {at_byte}: from ~0 to ~{MAX_GAP} words"
                        ));
                    }
                    if body
                        .get(piece_start..at)
                        .is_none_or(|p| p.trim().is_empty())
                    {
                        return Err(format!("gap at byte {at_byte} with no words before it"));
                    }
                    pieces.push(offset + piece_start..offset + at);
                    gaps.push(words);
                    piece_start = end;
                    at = end;
                    continue;
                }
            }
            _ => {}
        }
        at += 1;
    }
    if !gaps.is_empty() {
        if body.get(piece_start..).is_none_or(|p| p.trim().is_empty()) {
            return Err("the pattern ends with a gap".into());
        }
        if gaps.len() > MAX_GAPS {
            return Err(format!("more than {MAX_GAPS} gaps"));
        }
        if top_bar {
            return Err(
                "a pattern with gaps has no top-level '|': put the alternatives in a group".into(),
            );
        }
    }
    pieces.push(offset + piece_start..offset + body.len());
    Ok((pieces, gaps))
}

/// Expands `pattern[range]` (no gaps in it) into its folded phrases.
fn expand_range(pattern: &str, range: Range<usize>) -> Result<Vec<String>, String> {
    // Offsets in messages count from the start of `pattern`.
    let mut parser = Parser {
        pattern,
        at: range.start,
        end: range.end,
    };
    let alternatives = parser.alternation(0)?;
    if parser.peek().is_some() {
        return Err(format!("unmatched ')' at byte {}", parser.at));
    }
    if alternatives.has_empty {
        return Err("empty alternative: a '|' with nothing on one side".into());
    }
    fold_phrases(alternatives.phrases)
}

/// True when `pattern` is an exception: it starts with `!`.
pub fn is_exception(pattern: &str) -> bool {
    exception_body(pattern).is_some()
}

/// The pattern after an exception's `!`.
fn exception_body(pattern: &str) -> Option<&str> {
    pattern.trim_start().strip_prefix('!')
}

/// True when `pattern` is matched only as written: it starts with `=`
/// (after an exception's `!`). Its words are not part of the vocabulary
/// obfuscated tokens are read into (see [`super::obfuscation`]): for
/// phrases in other languages, whose short words ("son", "es", "que")
/// would make English readings ambiguous (`d_r_u_g_s o*n` as "drug son").
pub fn is_read_as_written(pattern: &str) -> bool {
    let body = exception_body(pattern).unwrap_or(pattern);
    as_written_body(body).is_some()
}

/// The pattern body after its `=`.
fn as_written_body(body: &str) -> Option<&str> {
    body.trim_start().strip_prefix('=')
}

/// `literal` written as a pattern that expands to exactly that phrase
/// (and is not an exception).
pub fn escape(literal: &str) -> String {
    let mut escaped = String::with_capacity(literal.len());
    for (at, c) in literal.chars().enumerate() {
        if matches!(c, '(' | ')' | '|' | '?' | '\\' | '~' | '%')
            || (at == 0 && matches!(c, '!' | '='))
        {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Folds, trims and deduplicates expanded phrases; refuses empty ones.
fn fold_phrases(raw: Vec<String>) -> Result<Vec<String>, String> {
    let mut phrases: Vec<String> = Vec::with_capacity(raw.len());
    for phrase in raw {
        let folded = fold_phrase(&phrase);
        if folded.is_empty() {
            return Err("the pattern can expand to an empty phrase".into());
        }
        if !phrases.contains(&folded) {
            phrases.push(folded);
        }
    }
    Ok(phrases)
}

/// Folds a phrase like text, trims it, and drops a space before `,` `.`
/// `:` `;` `!` `?` (a pattern writes `(and|,) say` with a space before the
/// group; text writes `above, say`).
fn fold_phrase(phrase: &str) -> String {
    let folded = Folded::new(phrase).text;
    let trimmed = folded.trim_matches(' ');
    let mut out = String::with_capacity(trimmed.len());
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        let before_mark = chars
            .peek()
            .is_some_and(|next| matches!(next, ',' | '.' | ':' | ';' | '!' | '?'));
        if c == ' ' && before_mark && !out.is_empty() {
            continue;
        }
        out.push(c);
    }
    out
}

/// What one word of a phrase adds to the obfuscation vocabulary: the word
/// itself when it is ASCII with a letter or digit (punctuation and all:
/// `pre-prompt`, `character,`, `everything!!!`), and its parts between
/// hyphens and without punctuation at its ends (`pre`, `prompt`,
/// `character`), when those are letters, digits and apostrophes.
pub(super) fn vocabulary_words(word: &str) -> impl Iterator<Item = &str> {
    let whole = (word.bytes().all(|b| b.is_ascii_graphic())
        && word.bytes().any(|b| b.is_ascii_alphanumeric()))
    .then_some(word);
    let trimmed = word.trim_matches(|c: char| c.is_ascii_punctuation() && c != '\'');
    whole.into_iter().chain(trimmed.split('-').filter(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'\'')
    }))
}

/// The alternatives of a group (or of the whole pattern).
struct Alternatives {
    phrases: Vec<String>,
    /// Some alternative is empty (or blank): allowed only in optional groups.
    has_empty: bool,
}

/// Recursive-descent expansion of one pattern.
struct Parser<'a> {
    pattern: &'a str,
    /// Byte offset of the next char.
    at: usize,
    /// Where the part parsed ends.
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.pattern.get(self.at..self.end)?.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    /// `sequence ('|' sequence)*`, up to a `)` or the end.
    fn alternation(&mut self, depth: usize) -> Result<Alternatives, String> {
        let mut alternatives = Alternatives {
            phrases: Vec::new(),
            has_empty: false,
        };
        loop {
            let (phrases, blank) = self.sequence(depth)?;
            alternatives.has_empty |= blank;
            if alternatives.phrases.len() + phrases.len() > MAX_EXPANSION {
                return Err(too_many());
            }
            alternatives.phrases.extend(phrases);
            if self.peek() != Some('|') {
                return Ok(alternatives);
            }
            self.bump();
        }
    }

    /// Literal chars and groups up to a `|`, a `)` or the end; and whether
    /// it was blank (no group, nothing but whitespace).
    fn sequence(&mut self, depth: usize) -> Result<(Vec<String>, bool), String> {
        let mut phrases = vec![String::new()];
        let mut blank = true;
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => break,
                '(' => {
                    let open = self.at;
                    self.bump();
                    let group = self.group(open, depth + 1)?;
                    phrases = product(&phrases, &group)?;
                    blank = false;
                }
                '%' if self.typo_starts_here() => {
                    let list = self.typo_variants()?;
                    phrases = product(&phrases, &list)?;
                    blank = false;
                }
                '\\' => {
                    self.bump();
                    let Some(escaped) = self.bump() else {
                        return Err("the pattern ends with a lone '\\'".into());
                    };
                    append(&mut phrases, escaped);
                    blank &= escaped.is_whitespace();
                }
                _ => {
                    self.bump();
                    append(&mut phrases, c);
                    blank &= c.is_whitespace();
                }
            }
        }
        Ok((phrases, blank))
    }

    /// At a `%` that starts a word and is followed by a letter: the typo
    /// operator (any other `%` is literal).
    fn typo_starts_here(&self) -> bool {
        let before = self.pattern.get(..self.at).and_then(|s| s.chars().last());
        let after = self
            .pattern
            .get(self.at + 1..self.end)
            .and_then(|s| s.chars().next());
        !before.is_some_and(char::is_alphanumeric) && after.is_some_and(|c| c.is_ascii_alphabetic())
    }

    /// `%word`: the one-typo variants of a key word (never the word
    /// itself; see [`super::typos`]). Err when the word has no list.
    fn typo_variants(&mut self) -> Result<Vec<String>, String> {
        let at = self.at;
        self.bump();
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.bump();
        }
        let word = self
            .pattern
            .get(start..self.at)
            .unwrap_or_default()
            .to_ascii_lowercase();
        match typos::variants(&word) {
            Some(variants) => Ok(variants.map(String::from).collect()),
            None => Err(format!(
                "'%{word}' at byte {at}: '{word}' has no typo list (the words that have one: {}; write '\\%' for a literal '%')",
                typos::typo_words().collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// The rest of a group opened at byte `open`: alternatives, `)`, and an
    /// optional `?`.
    fn group(&mut self, open: usize, depth: usize) -> Result<Vec<String>, String> {
        if depth > MAX_NESTING {
            return Err(format!("groups nested deeper than {MAX_NESTING}"));
        }
        let inner = self.alternation(depth)?;
        if self.bump() != Some(')') {
            return Err(format!("unclosed '(' at byte {open}"));
        }
        let optional = self.peek() == Some('?');
        if optional {
            self.bump();
        }
        if inner.has_empty && !optional {
            return Err(format!(
                "empty alternative in the group at byte {open} (write `(...)?` for an optional group)"
            ));
        }
        let mut phrases = inner.phrases;
        if optional {
            if phrases.len() >= MAX_EXPANSION {
                return Err(too_many());
            }
            phrases.push(String::new());
        }
        Ok(phrases)
    }
}

fn too_many() -> String {
    format!("expands to more than {MAX_EXPANSION} phrases")
}

fn append(phrases: &mut [String], c: char) {
    for phrase in phrases {
        phrase.push(c);
    }
}

/// Every `a` followed by every `b`.
fn product(prefixes: &[String], suffixes: &[String]) -> Result<Vec<String>, String> {
    let count = prefixes.len().saturating_mul(suffixes.len());
    if count > MAX_EXPANSION {
        return Err(too_many());
    }
    let mut phrases = Vec::with_capacity(count);
    for prefix in prefixes {
        for suffix in suffixes {
            phrases.push(format!("{prefix}{suffix}"));
        }
    }
    Ok(phrases)
}
