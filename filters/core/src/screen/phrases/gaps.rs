//! Chains: the patterns with gaps (`ignore ~3 instructions`). Each segment
//! is a set of literal phrases in the automaton; a match of the pattern is
//! an ordered chain of segment matches, each gap between two of them
//! holding at most its number of words (the rules are in the
//! [module docs](super)).

use super::anchors::Reach;
use super::matcher::Candidate;
use crate::screen::text::{is_invisible, Folded};
use crate::screen::Span;

/// Most bytes a gap of `words` words may span: [`GAP_BYTES_PER_WORD`] a
/// word, and a few for the spaces and punctuation around them.
pub(super) fn gap_bytes(words: usize) -> usize {
    GAP_BYTES_PER_WORD.saturating_mul(words).saturating_add(8)
}

/// Bytes a gap allows for each of its words.
pub(super) const GAP_BYTES_PER_WORD: usize = 24;

/// A pattern with gaps, in one group.
#[derive(Debug, Clone)]
pub(super) struct Chain {
    group: u16,
    exception: bool,
    /// `gaps[i]`: most words between segments `i` and `i + 1`.
    gaps: Vec<usize>,
    /// The longest phrase of each segment, in bytes.
    segment_lens: Vec<usize>,
    /// The segment whose anchors find the chain.
    anchor: usize,
    /// Its longest match: its segments' longest phrases and its gaps at
    /// their widest.
    max_len: usize,
}

impl Chain {
    /// `segment_lens`: the longest phrase of each segment, in bytes.
    pub(super) fn new(
        group: u16,
        exception: bool,
        gaps: Vec<usize>,
        segment_lens: &[usize],
    ) -> Chain {
        let max_len = segment_lens.iter().sum::<usize>()
            + gaps.iter().map(|&words| gap_bytes(words)).sum::<usize>();
        Chain {
            group,
            exception,
            gaps,
            segment_lens: segment_lens.to_vec(),
            anchor: 0,
            max_len,
        }
    }

    pub(super) fn set_anchor(&mut self, segment: usize) {
        self.anchor = segment;
    }

    pub(super) fn anchor(&self) -> usize {
        self.anchor
    }

    pub(super) fn segment_count(&self) -> usize {
        self.segments()
    }

    /// How far the chain can reach before the start of segment `segment`
    /// and after its end, in bytes.
    pub(super) fn reach_around(&self, segment: usize) -> Reach {
        let lens = |lens: &[usize], gaps: &[usize]| {
            lens.iter().sum::<usize>() + gaps.iter().map(|&w| gap_bytes(w)).sum::<usize>()
        };
        let split = segment.min(self.segment_lens.len());
        let (lens_before, lens_rest) = self.segment_lens.split_at(split);
        let (gaps_before, gaps_after) = self.gaps.split_at(split.min(self.gaps.len()));
        Reach {
            before: lens(lens_before, gaps_before),
            after: lens(lens_rest.get(1..).unwrap_or(&[]), gaps_after),
        }
    }

    pub(super) fn max_len(&self) -> usize {
        self.max_len
    }

    fn segments(&self) -> usize {
        self.gaps.len() + 1
    }
}

/// A whole-word match of one segment of a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SegmentHit {
    pub(super) chain: u32,
    pub(super) segment: u8,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Appends to `candidates` a match of its chain's group for every first
/// segment match of `hits` (in `text`) that the chain's other segments
/// follow, in order, each within its gap; the match ends where the chain
/// that reaches furthest ends.
pub(super) fn push_chains(
    chains: &[Chain],
    text: &str,
    hits: &mut Vec<SegmentHit>,
    candidates: &mut Vec<Candidate>,
) {
    if hits.is_empty() {
        return;
    }
    // Most hits are of chains some segment of which is missing: they go
    // before the sort.
    let mut present: Vec<u8> = vec![0; chains.len()];
    for hit in hits.iter() {
        if let Some(bits) = present.get_mut(hit.chain as usize) {
            *bits |= 1u8.checked_shl(u32::from(hit.segment)).unwrap_or(0);
        }
    }
    let complete = |chain: u32| {
        let segments = chains.get(chain as usize).map_or(0, Chain::segments);
        let all = 1u8
            .checked_shl(u32::try_from(segments).unwrap_or(u32::MAX))
            .map_or(u8::MAX, |bit| bit - 1);
        present.get(chain as usize) == Some(&all)
    };
    hits.retain(|hit| complete(hit.chain));
    if hits.is_empty() {
        return;
    }
    hits.sort_unstable();
    hits.dedup();
    for chain_hits in hits.chunk_by(|a, b| a.chain == b.chain) {
        let Some(chain) = chain_hits
            .first()
            .and_then(|h| chains.get(h.chain as usize))
        else {
            continue;
        };
        let Some(mut walk) = Walk::new(chain, text, chain_hits) else {
            continue;
        };
        let firsts = walk.by_segment.first().copied().unwrap_or(&[]);
        for (index, first) in firsts.iter().enumerate() {
            // Like a phrase found through readings, a chain needs an ASCII
            // letter: Russian or Greek prose, whose letters look Latin,
            // never matches.
            // (Full-width Latin letters fold to ASCII ones, look-alikes do not.)
            let has_latin = |end: usize| {
                text.get(first.start..end).is_some_and(|s| {
                    s.bytes().any(|b| b.is_ascii_alphabetic())
                        || Folded::new(s).text.bytes().any(|b| b.is_ascii_alphabetic())
                })
            };
            if let Some(end) = walk.end_from(0, index).filter(|&end| has_latin(end)) {
                candidates.push(Candidate::new(
                    chain.group,
                    Span::new(first.start, end),
                    chain.exception,
                ));
            }
        }
    }
}

/// For streams: the earliest start of a chain begun in `tail` that could
/// still complete as more text comes: its segments so far in order within
/// their gaps, and the text after the last of them short enough for the
/// next gap (a word more allowed: the next segment's first word may be
/// arriving).
pub(super) fn earliest_open_chain(
    chains: &[Chain],
    tail: &str,
    hits: &mut Vec<SegmentHit>,
) -> Option<usize> {
    hits.sort_unstable();
    hits.dedup();
    let mut earliest: Option<usize> = None;
    for chain_hits in hits.chunk_by(|a, b| a.chain == b.chain) {
        let Some(chain) = chain_hits
            .first()
            .and_then(|h| chains.get(h.chain as usize))
        else {
            continue;
        };
        let firsts: Vec<SegmentHit> = chain_hits
            .iter()
            .filter(|h| h.segment == 0)
            .copied()
            .collect();
        let mut walk = Walk::partial(chain, tail, chain_hits);
        for (index, first) in firsts.iter().enumerate() {
            if earliest.is_some_and(|e| e <= first.start) {
                break;
            }
            if walk.open_from(0, index) {
                earliest = Some(first.start);
            }
        }
    }
    earliest
}

/// A search for chains through one chain's segment matches.
struct Walk<'a> {
    chain: &'a Chain,
    text: &'a str,
    /// Per segment, its matches sorted by start (empty when there are none).
    by_segment: Vec<&'a [SegmentHit]>,
    /// Per segment and match: the answer of `end_from` or `open_from`, once known.
    memo: Vec<Vec<Option<Option<usize>>>>,
}

impl<'a> Walk<'a> {
    /// None when some segment has no match.
    fn new(chain: &'a Chain, text: &'a str, hits: &'a [SegmentHit]) -> Option<Walk<'a>> {
        let walk = Walk::partial(chain, text, hits);
        walk.by_segment
            .iter()
            .all(|hits| !hits.is_empty())
            .then_some(walk)
    }

    /// Segments with no match allowed.
    fn partial(chain: &'a Chain, text: &'a str, hits: &'a [SegmentHit]) -> Walk<'a> {
        let mut by_segment: Vec<&[SegmentHit]> = vec![&[]; chain.segments()];
        for segment_hits in hits.chunk_by(|a, b| a.segment == b.segment) {
            let segment = segment_hits
                .first()
                .map_or(usize::MAX, |h| h.segment as usize);
            if let Some(slot) = by_segment.get_mut(segment) {
                *slot = segment_hits;
            }
        }
        let memo = by_segment
            .iter()
            .map(|hits| vec![None; hits.len()])
            .collect();
        Walk {
            chain,
            text,
            by_segment,
            memo,
        }
    }

    fn hit(&self, segment: usize, index: usize) -> Option<SegmentHit> {
        self.by_segment.get(segment)?.get(index).copied()
    }

    /// The matches of `segment + 1` that may follow `hit` across the gap:
    /// their indices.
    fn followers(&self, segment: usize, hit: SegmentHit) -> std::ops::Range<usize> {
        let next = self.by_segment.get(segment + 1).copied().unwrap_or(&[]);
        let words = self.chain.gaps.get(segment).copied().unwrap_or(0);
        let limit = hit.end.saturating_add(gap_bytes(words));
        // Starting after `hit` starts: two segments read out of one
        // obfuscated token (`everything\u{2060}before\u{200c}.`) can
        // overlap where the token's reading maps back to the text.
        let from = next.partition_point(|h| h.start <= hit.start);
        let to = next.partition_point(|h| h.start <= limit);
        from..to.max(from)
    }

    /// The furthest end of a chain whose segment `segment` is its match
    /// `index`, if the later segments follow.
    fn end_from(&mut self, segment: usize, index: usize) -> Option<usize> {
        let hit = self.hit(segment, index)?;
        if segment + 1 >= self.chain.segments() {
            return Some(hit.end);
        }
        if let Some(known) = self
            .memo
            .get(segment)
            .and_then(|m| m.get(index))
            .copied()
            .flatten()
        {
            return known;
        }
        let words = self.chain.gaps.get(segment).copied().unwrap_or(0);
        let mut best = None;
        for next in self.followers(segment, hit) {
            let Some(following) = self.hit(segment + 1, next) else {
                continue;
            };
            if !follows(self.text, hit, following, words) {
                continue;
            }
            if let Some(end) = self.end_from(segment + 1, next) {
                best = Some(best.map_or(end, |b: usize| b.max(end)));
            }
        }
        if let Some(slot) = self.memo.get_mut(segment).and_then(|m| m.get_mut(index)) {
            *slot = Some(best);
        }
        best
    }

    /// A chain whose segment `segment` is its match `index` is still open
    /// at the end of the text (see [`earliest_open_chain`]).
    fn open_from(&mut self, segment: usize, index: usize) -> bool {
        let Some(hit) = self.hit(segment, index) else {
            return false;
        };
        if segment + 1 >= self.chain.segments() {
            return false;
        }
        if let Some(known) = self
            .memo
            .get(segment)
            .and_then(|m| m.get(index))
            .copied()
            .flatten()
        {
            return known.is_some();
        }
        let words = self.chain.gaps.get(segment).copied().unwrap_or(0);
        let mut open = gap_fits(self.text, hit.end, self.text.len(), words + 1);
        if !open {
            for next in self.followers(segment, hit) {
                let Some(following) = self.hit(segment + 1, next) else {
                    continue;
                };
                if follows(self.text, hit, following, words) && self.open_from(segment + 1, next) {
                    open = true;
                    break;
                }
            }
        }
        if let Some(slot) = self.memo.get_mut(segment).and_then(|m| m.get_mut(index)) {
            *slot = Some(open.then_some(0));
        }
        open
    }
}

/// `next` can follow `hit` across a gap of at most `words` words: it ends
/// after it, and starts after it within the gap (or overlaps it: see
/// [`Walk::followers`]).
fn follows(text: &str, hit: SegmentHit, next: SegmentHit, words: usize) -> bool {
    next.end > hit.end
        && next.start > hit.start
        && (next.start < hit.end || gap_fits(text, hit.end, next.start, words))
}

/// `text[from..to]` can be a gap of at most `words` words: no longer than
/// [`gap_bytes`] (folded: a run of whitespace counts one byte, invisible
/// characters none), no sentence end in it (`.` `!` `?` `;` `:`), and at
/// most `words` words (line breaks are whitespace, as folding has them). A word is a run of letters and digits
/// (any script); an apostrophe or hyphen between two of them, and
/// invisible characters, do not split it.
pub(super) fn gap_fits(text: &str, from: usize, to: usize, words: usize) -> bool {
    let Some(gap) = text.get(from..to) else {
        return false;
    };
    let limit = gap_bytes(words);
    // Bytes as folding counts them: a run of whitespace is one, invisible
    // characters none.
    let mut folded = 0;
    let mut after_space = false;
    let mut count = 0;
    let mut in_word = false;
    let mut chars = gap.chars().peekable();
    while let Some(c) = chars.next() {
        let space = c.is_whitespace();
        if !(is_invisible(c) || space && after_space) {
            folded += if space { 1 } else { c.len_utf8() };
            if folded > limit {
                return false;
            }
        }
        if !is_invisible(c) {
            after_space = space;
        }
        if c.is_alphanumeric() {
            if !in_word {
                count += 1;
                if count > words {
                    return false;
                }
                in_word = true;
            }
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        match c {
            '.' | '!' | '?' | ';' | ':' => return false,
            '\'' | '\u{2019}' | '-'
                if in_word && chars.peek().is_some_and(|n| n.is_alphanumeric()) =>
            {
                continue;
            }
            _ => {}
        }
        in_word = false;
    }
    true
}
