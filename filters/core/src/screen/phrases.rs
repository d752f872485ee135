//! Phrase lists: pattern expansion and a whole-word, evasion-resistant
//! matcher.
//!
//! # Phrase patterns
//!
//! A category lists phrase *patterns*. A pattern is words separated by
//! spaces, with optional alternation groups; [`expand`] turns it into the
//! literal phrases it stands for:
//!
//! - `(a|b|c)`: one of the alternatives; groups nest.
//! - `(a|b)?` or `(word )?`: one of the alternatives, or nothing.
//! - `a|b` at the top level: either whole phrase.
//! - `\(`, `\)`, `\|`, `\?`, `\\`, `\%`, and `\!` or `\=` at the start: the character
//!   itself ([`escape`] writes a literal phrase this way). A `?` that does
//!   not follow a group is literal.
//! - `%word`: one typo of a key word, never the word itself
//!   (`(ignore|%ignore)` is "ignore", "ingore", "ignroe", …): a letter
//!   dropped, doubled, swapped with the next or a QWERTY neighbour typed
//!   beside or instead of one; English words left out. Only the words
//!   of `filters/core/data/typos.txt` have such a list ([`typo_words`]);
//!   `%` before another word is an error, and a `%` that does not start a
//!   word or is not followed by a letter (`50%`) is literal, as is `\%`.
//! - `!` at the start: an *exception* (see below).
//! - `=` at the start (after an exception's `!`): the pattern is matched
//!   as written only; its words are left out of the vocabulary that
//!   obfuscated tokens are read into ([`is_read_as_written`]). The
//!   built-in phrases in other languages are written so: their short words
//!   ("son", "es", "que") would give English tokens other readings
//!   (`d_r_u_g_s o*n` read as "drug son").
//!
//! Spaces may sit inside or outside optional groups: runs of whitespace in
//! the expansion collapse to one space and the ends are trimmed, so
//! `ignore (all )?(the )?(previous|prior) instructions` and
//! `ignore (all)? (the)? (previous|prior) instructions` both give
//! `ignore previous instructions`, `ignore all the prior instructions`, …
//! Phrases are folded like text (see [`crate::screen::text`]): case,
//! full-width letters and invisible characters do not matter; and a space
//! before `, . : ; ! ?` is dropped (`ignore the above (,|and) say` gives
//! `ignore the above, say`, as text writes it).
//!
//! # Gaps
//!
//! `~N` between two parts of a pattern (a token of its own, `N` from 0 to
//! [`MAX_GAP`]) stands for up to `N` arbitrary words: `(ignore|forget) ~3
//! previous instructions` matches "ignore previous instructions", "forget
//! all of your previous instructions", not "ignore the list of all previous
//! instructions" (four words). `~0` only lets the parts touch, with
//! spaces, commas, quotes or brackets between them. The parts between gaps
//! are *segments*, each expanded like a pattern of its own; a match is a
//! match of every segment, in order, each gap between two of them:
//!
//! - holding at most `N` words (a word: a run of letters and digits of any
//!   script; an apostrophe or hyphen inside it, and invisible characters,
//!   do not split it: "y'all's", "so-called" are one word each);
//! - with no sentence end (`.` `!` `?` `;` `:`) in it (line breaks are
//!   whitespace like any other);
//! - at most 24 bytes a word, plus 8 (a long run of letters is no word);
//!
//! and its span runs from the first segment's start to the last one's
//! end. Each segment follows the matching rules below (whole words,
//! folding, obfuscation), and a pattern with gaps can be an exception like
//! any other. A gap is refused at either end of a pattern, next to another
//! gap, inside a group, with more than [`MAX_GAP`] words, more than
//! [`MAX_GAPS`] times in a pattern, and in a pattern with a top-level `|`
//! (put the alternatives in a group). `\~` (and a `~` that is not such a
//! token, as in `~/.ssh`) is a literal `~`. [`MAX_EXPANSION`] counts the
//! phrases of all segments together: gaps turn products into sums, so
//! `(a|b|c) ~2 (x|y|z)` costs six phrases, not nine.
//!
//! A segment needs no anchor of its own: a pattern with gaps is looked for
//! around the anchors of its rarest segment only (the others are found in
//! that window), so `ignore ~3 previous instructions` costs a text no more
//! than "previous instructions" does.
//!
//! A pattern is refused when its parentheses do not balance, when a group
//! that is not optional has an empty alternative (`(a|)`, `()`), when it can
//! expand to an empty phrase, when groups nest deeper than
//! [`MAX_NESTING`], or when it expands to more than [`MAX_EXPANSION`]
//! phrases.
//!
//! # Matching
//!
//! [`PhraseMatcher`] finds the phrases of several groups (categories) in one
//! pass over the text:
//!
//! - case-insensitive, and blind to the evasions folding undoes: full-width
//!   letters, zero-width characters inside words, runs of spaces, tabs and
//!   newlines between words;
//! - whole words only: the character before a match and the one after must
//!   not be alphanumeric (`Upskill yourself` does not contain
//!   `kill yourself`, `skills` does not contain `kill`). A phrase that starts
//!   (ends) with a non-alphanumeric character needs no boundary on that
//!   side. Invisible characters are ignored here too: `up\u{200B}skill`
//!   is one word;
//! - blind to obfuscated words too (see [`obfuscation`] for the exact
//!   rules): letters split by punctuation or spaces (`k.i.l.l`,
//!   `k i l l y o u r s e l f`), leetspeak (`k1ll`, `1gn0re @ll prev1ous
//!   1nstruct10ns`), look-alike letters of other scripts (Cyrillic `кіll`,
//!   Greek `ΚΙLL`, accented and mathematical letters), and invisible
//!   characters between words (`kill\u{200B}yourself`). Such a token is
//!   read as the phrase words it spells, and only as phrase words: `k8s`,
//!   `l33t`, `H2O`, `U.S.A.` or `5.0` stay as they are. A match found
//!   through a reading must cover it and have an ASCII letter in its
//!   original text, so Russian or Greek prose, whose letters look Latin,
//!   never matches;
//! - per group, leftmost-longest without overlaps; matches of different
//!   groups may overlap, so every category sees its own phrases;
//! - a match of an exception pattern (`!don't kill yourself`) is not
//!   reported; it suppresses the matches of its own group that it overlaps,
//!   so "don't kill yourself over it" does not report "kill yourself";
//! - spans are byte ranges of the original text, on char boundaries.
//!
//! Speed: every phrase has an *anchor*: a rare word of it, or the pair of
//! adjacent words least likely in ordinary text. One pass over the words
//! of the text, 64 bytes at a time where it is plain ASCII, looks the words
//! and word pairs up in a small set; the phrase automaton (Aho-Corasick)
//! then runs only over the few bytes around the anchors found, folded first
//! when they need it. Benign text costs little more than that one pass, and
//! no copy of it is made. (Phrases with no ASCII word at all, such as `$$$`
//! or a phrase in Chinese, cannot be anchored: when a matcher holds one,
//! every text is folded and searched whole, several times slower.)
//!
//! Obfuscated words are looked for at *spots* the same pass notes for free
//! where the text is plain ASCII (a digit next to a letter, one-letter
//! words close together; `@` and `$` by a two-byte search), and at
//! invisible characters and letters that are not ASCII where it is read
//! char by char. Only the tokens at spots are read; only around a token
//! that reads as phrase words is the text folded again, with the reading in
//! place, and searched.

//!
//! # Layout
//!
//! - [`pattern`]: the pattern parser and expansion;
//! - `gaps`: chains of segment matches for the patterns with gaps;
//! - `matcher`: [`PhraseMatcher`], the automaton and the choice of matches;
//! - `anchors`, `keys`, `words`: the prefilter (anchor set, word keys, the
//!   block-at-a-time word reader and its spots);
//! - `window`: the original bytes around an anchor that fold into a window;
//! - [`obfuscation`], `confusables`: readings of obfuscated tokens;
//! - `typos`: the key words' one-typo variants (`%word`).

mod anchors;
mod ascii_block;
mod confusables;
mod gaps;
mod keys;
mod matcher;
mod obfuscation;
mod pattern;
mod prefixes;
mod typos;
mod window;
mod words;

pub use matcher::{PhraseMatcher, MAX_PHRASES};
pub use pattern::{
    escape, expand, is_exception, is_read_as_written, segments, MAX_EXPANSION, MAX_GAP, MAX_GAPS,
    MAX_NESTING,
};
pub use typos::{is_typo_variant, typo_words};

#[cfg(test)]
mod tests;
