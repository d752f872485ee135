//! Anchors: the rare word or word pair of every phrase, in a table of word
//! roles, a bit filter and a map, looked up word by word as
//! [`Words`](super::words::Words) reads the text; how common a word is
//! comes from [`COMMON_WORDS`].

use super::keys::{mix, pair_key, word_key};
use super::words::{VisitWord, Word, Words};
use std::collections::HashMap;
use std::ops::Range;

/// Anchors: one word, or one pair of adjacent words, of every phrase, in a
/// set looked up word by word in a text.
///
/// Words here are maximal runs of ASCII letters and digits, lowercased. A
/// run of a phrase is a run of the text wherever the phrase matches as a
/// whole word (its neighbours in the phrase are in the text too, and at the
/// phrase's ends the text has no alphanumeric char), and two adjacent runs
/// of the phrase are adjacent runs of the text. A phrase of several words is
/// anchored by a pair: pairs of words are far rarer in ordinary text than
/// single words. The set is a map behind a one-bit-per-key filter: a false
/// hit of the filter costs a map look-up, an anchor found in a benign text
/// an automaton run over a few dozen bytes. In front of both, a table of
/// roles by word key says whether a word may be an anchor alone, or begin
/// or end a pair: most words of prose (86% of the English of the
/// `screen_cost` example) are looked up no further than that one byte.
#[derive(Debug, Clone)]
pub(super) struct Anchors {
    /// Per slot of a word key ([`role_slot`]): what a word of that slot may
    /// be ([`SINGLE`], [`FIRST`], [`SECOND`]): a pair is looked up only
    /// where its first word may be a [`FIRST`] and its second a
    /// [`SECOND`], a word alone only where it may be a [`SINGLE`].
    roles: Box<[u8; 1 << ROLE_SLOTS_LOG2]>,
    /// One bit per key of `reach`: rejects most words at once.
    bits: Box<[u64]>,
    /// Per anchor key: how far phrases anchored there reach before the
    /// anchor's start and after its end, in bytes.
    reach: HashMap<u64, Reach, BuildKeyHasher>,
}

/// How far a phrase reaches around its anchor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Reach {
    pub(super) before: usize,
    pub(super) after: usize,
}

/// Filter size: 2^17 bits (16 KiB), one bit per key: a few percent of
/// false hits, each costing one map look-up.
const ANCHOR_BITS_LOG2: u32 = 17;

/// Slots of [`Anchors::roles`]: 2^14 (16 KiB).
const ROLE_SLOTS_LOG2: u32 = 14;

/// A role of a word: it is an anchor alone.
const SINGLE: u8 = 1;
/// A role of a word: it is the first word of an anchor pair.
const FIRST: u8 = 2;
/// A role of a word: it is the second word of an anchor pair.
const SECOND: u8 = 4;

/// The slot of a word key in [`Anchors::roles`].
#[inline(always)]
fn role_slot(key: u64) -> usize {
    (key >> (64 - ROLE_SLOTS_LOG2)) as usize
}

/// Hashes anchor keys, already well mixed, as they are.
#[derive(Debug, Clone, Copy, Default)]
struct BuildKeyHasher;

impl std::hash::BuildHasher for BuildKeyHasher {
    type Hasher = KeyHasher;

    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(0)
    }
}

/// See [`BuildKeyHasher`].
#[derive(Debug, Clone, Copy)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = mix(self.0, u64::from(byte));
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// What anchors a phrase: a word or two adjacent words, as byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Anchor {
    Word(Range<usize>),
    Pair(Range<usize>, Range<usize>),
}

impl Anchors {
    /// The anchors of `phrases`; None when some phrase has no ASCII word.
    /// `extra[i]`: None when phrase `i` needs no anchor (it is searched only
    /// in the windows of others: a segment of a chain anchored by another
    /// segment), else how much further than itself its window must reach
    /// (the rest of its chain).
    pub(super) fn new(phrases: &[String], extra: &[Option<Reach>]) -> Option<Anchors> {
        let commonness = Commonness::new();
        let mut anchors = Anchors {
            roles: Box::new([0; 1 << ROLE_SLOTS_LOG2]),
            bits: vec![0; 1 << (ANCHOR_BITS_LOG2 - 6)].into_boxed_slice(),
            reach: HashMap::default(),
        };
        for (index, phrase) in phrases.iter().enumerate() {
            let Some(extra) = extra.get(index).copied().unwrap_or_default() else {
                continue;
            };
            let word = |range: &Range<usize>| word_key(phrase.get(range.clone()).unwrap_or(""));
            let (key, start, end) = match commonness.anchor_of(phrase)? {
                Anchor::Word(only) => {
                    anchors.add_role(word(&only), SINGLE);
                    (word(&only), only.start, only.end)
                }
                Anchor::Pair(first, second) => {
                    anchors.add_role(word(&first), FIRST);
                    anchors.add_role(word(&second), SECOND);
                    (
                        pair_key(word(&first), word(&second)),
                        first.start,
                        second.end,
                    )
                }
            };
            anchors.insert(
                key,
                start + extra.before,
                phrase.len().saturating_sub(end) + extra.after,
            );
        }
        Some(anchors)
    }

    fn add_role(&mut self, word: u64, role: u8) {
        if let Some(slot) = self.roles.get_mut(role_slot(word)) {
            *slot |= role;
        }
    }

    /// The roles a word of key `word` may have.
    #[inline(always)]
    fn roles(&self, word: u64) -> u8 {
        self.roles.get(role_slot(word)).copied().unwrap_or(0)
    }

    fn insert(&mut self, key: u64, before: usize, after: usize) {
        set_bit(&mut self.bits, bloom_bit(key));
        let reach = self.reach.entry(key).or_default();
        reach.before = reach.before.max(before);
        reach.after = reach.after.max(after);
    }

    #[inline]
    /// How far phrases anchored by `key` reach, if it is an anchor.
    fn reach(&self, key: u64) -> Option<Reach> {
        if self.contains(key) {
            self.reach.get(&key).copied()
        } else {
            None
        }
    }

    #[inline]
    fn contains(&self, key: u64) -> bool {
        get_bit(&self.bits, bloom_bit(key))
    }

    /// Calls `found(start, end, reach)` for every word or pair of words of
    /// `text` that is an anchor, in order of their ends. Words are seen as
    /// in folded text: invisible characters inside a word are skipped,
    /// full-width letters are letters.
    ///
    /// Appends to `spots` where an obfuscated token may be (see
    /// [`Words`]).
    pub(super) fn find(
        &self,
        text: &str,
        spots: &mut Vec<usize>,
        found: impl FnMut(usize, usize, Reach),
    ) {
        let mut words = Words::new(text);
        words.spots = std::mem::take(spots);
        let mut found = found;
        let mut visit = AnchorVisit {
            anchors: self,
            previous_roles: 0,
            previous_key: 0,
            previous_start: 0,
            found: &mut found,
        };
        words.for_each(&mut visit);
        *spots = words.spots;
    }
}

/// What [`Anchors::find`] does with each word: looks it up alone and
/// paired with the previous one.
struct AnchorVisit<'a, F> {
    anchors: &'a Anchors,
    /// The roles the previous word may have (none before the first word),
    /// its key and start.
    previous_roles: u8,
    previous_key: u64,
    previous_start: usize,
    found: &'a mut F,
}

impl<F: FnMut(usize, usize, Reach)> VisitWord for AnchorVisit<'_, F> {
    #[inline(always)]
    fn visit(&mut self, word: Word) {
        let key = word.key;
        let roles = self.anchors.roles(key);
        // Bit SECOND set when this word may end a pair begun by the last.
        let candidate = roles & (SINGLE | (self.previous_roles << 1 & SECOND));
        if candidate != 0 {
            let previous = (self.previous_key, self.previous_start);
            let found = &mut *self.found;
            self.anchors
                .visit_candidate(key, word.start, word.end, candidate, previous, found);
        }
        self.previous_roles = roles;
        self.previous_key = key;
        self.previous_start = word.start;
    }
}

impl Anchors {
    /// The look-ups of the word `start..end` of `key` that may be an anchor
    /// alone ([`SINGLE`] in `roles`) or end a pair begun by the previous
    /// word ([`SECOND`]), of key and start `previous`.
    #[inline(never)]
    fn visit_candidate(
        &self,
        key: u64,
        start: usize,
        end: usize,
        roles: u8,
        (previous_key, previous_start): (u64, usize),
        found: &mut impl FnMut(usize, usize, Reach),
    ) {
        if roles & SINGLE != 0 {
            if let Some(reach) = self.reach(key) {
                found(start, end, reach);
            }
        }
        if roles & SECOND != 0 {
            if let Some(reach) = self.reach(pair_key(previous_key, key)) {
                found(previous_start, end, reach);
            }
        }
    }
}

/// How common the anchor of each phrase is, in text: 0 for a rare word,
/// higher for more common ones (a pair adds the scores of its words);
/// `usize::MAX` for a phrase with no ASCII word.
pub(super) fn anchor_commonness<'a>(phrases: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let commonness = Commonness::new();
    phrases
        .map(|phrase| {
            let word = |range: Range<usize>| commonness.of(phrase.get(range).unwrap_or(""));
            match commonness.anchor_of(phrase) {
                // A word alone is found far more often than a pair: a
                // rare one counts as a fairly common pair, a listed one
                // (the phrases' own vocabulary) as worse than any pair.
                Some(Anchor::Word(only)) => match word(only) {
                    0 => commonness.ranks.len(),
                    listed => 2 * commonness.ranks.len() + listed,
                },
                Some(Anchor::Pair(first, second)) => word(first) + word(second),
                None => usize::MAX,
            }
        })
        .collect()
}

/// How common words are: their rank in [`COMMON_WORDS`].
struct Commonness {
    ranks: HashMap<&'static str, usize>,
}

impl Commonness {
    fn new() -> Commonness {
        Commonness {
            ranks: COMMON_WORDS
                .lines()
                .enumerate()
                .map(|(rank, word)| (word, rank))
                .collect(),
        }
    }

    /// 0 for a rare word; the more common, the higher.
    fn of(&self, word: &str) -> usize {
        self.ranks
            .get(word)
            .map_or(0, |rank| self.ranks.len() - rank)
    }

    /// The anchor of `phrase`: the word or pair of adjacent words least
    /// likely in ordinary text: the least common words together, then the
    /// longest. A single word competes when it is rare (not in
    /// [`COMMON_WORDS`]) and at least [`SINGLE_ANCHOR_LEN`] long:
    /// "shoplift" anchors "how do i shoplift" better than "how do" or "i
    /// shoplift" would. None without any ASCII word.
    fn anchor_of(&self, phrase: &str) -> Option<Anchor> {
        let words = ascii_words(phrase);
        if let [only] = &words[..] {
            return Some(Anchor::Word(only.clone()));
        }
        let word = |range: &Range<usize>| phrase.get(range.clone()).unwrap_or("");
        // Ranks stand in for log frequencies: their sum for the frequency of
        // a pair.
        let score = |anchor: &[Range<usize>]| {
            let common: usize = anchor.iter().map(|range| self.of(word(range))).sum();
            let len: usize = anchor.iter().map(Range::len).sum();
            (common, std::cmp::Reverse(len))
        };
        let rare_singles = words.chunks(1).filter(|single| {
            single
                .iter()
                .all(|r| r.len() >= SINGLE_ANCHOR_LEN && self.of(word(r)) == 0)
        });
        match words
            .windows(2)
            .chain(rare_singles)
            .min_by_key(|anchor| score(anchor))?
        {
            [first, second] => Some(Anchor::Pair(first.clone(), second.clone())),
            [only] => Some(Anchor::Word(only.clone())),
            _ => None,
        }
    }
}

/// Shortest rare word that anchors a phrase of several words alone.
const SINGLE_ANCHOR_LEN: usize = 5;

/// The byte ranges of the maximal runs of ASCII letters and digits.
fn ascii_words(s: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, byte) in s.bytes().enumerate() {
        match (byte.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                words.push(from..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push(from..s.len());
    }
    words
}

/// The filter bit of a key.
#[inline]
fn bloom_bit(key: u64) -> usize {
    (key >> (64 - ANCHOR_BITS_LOG2)) as usize
}

#[inline(always)]
fn get_bit(bits: &[u64], bit: usize) -> bool {
    bits.get(bit >> 6)
        .is_some_and(|word| word >> (bit & 63) & 1 == 1)
}

fn set_bit(bits: &mut [u64], bit: usize) {
    if let Some(word) = bits.get_mut(bit >> 6) {
        *word |= 1 << (bit & 63);
    }
}

/// Common English words, most common first (the phrases' own vocabulary
/// and function words), one per line in `data/common_words.txt`: anchors
/// avoid them.
const COMMON_WORDS: &str = include_str!("../../../data/common_words.txt");
