//! [`PhraseMatcher`]: the Aho-Corasick automaton over the folded phrases,
//! run over the windows around anchors (or the whole folded text), whole-word
//! checks, per-group leftmost-longest choice, exceptions, and the search at
//! obfuscation spots.

use super::anchors::{anchor_commonness, Anchors, Reach};
use super::gaps::{Chain, SegmentHit};
use super::obfuscation::{
    next_token_into, read, token_start_before, Reading, Scratch, Token, Vocabulary,
};
use super::pattern::{is_exception, is_read_as_written, parse, vocabulary_words};
use super::prefixes::{PairRanges, PrefixStarts};
use super::typos::all_variants;
use super::window::{fold_back, fold_forward, window_around};
use super::words::{has_ascii_letter_near, spots_by_char, symbol_spots};
use crate::screen::text::{fold_char, is_invisible, is_plain, Folded, FoldedChar};
use crate::screen::Span;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use std::collections::HashMap;
use std::ops::Range;

/// Longest plain stream tail [`PhraseMatcher::partial_tail`] folds on the
/// stack (longer ones, and any that is not plain, are folded on the heap).
const PLAIN_TAIL_MAX: usize = 512;

/// Most distinct phrases one matcher holds (all groups together).
pub const MAX_PHRASES: usize = 65_536;

/// Finds the phrases of several groups in a text, in one pass.
#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    /// Over the distinct folded phrases, ASCII case-insensitive, reporting
    /// overlapping matches (whole-word and per-group choices come after).
    pub(super) automaton: Option<AhoCorasick>,
    /// Per automaton pattern id.
    phrases: Vec<PhraseInfo>,
    /// The distinct folded phrases, sorted: prefix look-ups for streams.
    pub(super) sorted: Vec<String>,
    max_phrase_len: usize,
    /// Longest match, chains with their gaps at their widest included.
    max_match_len: usize,
    /// The patterns with gaps, by chain id.
    pub(super) chains: Vec<Chain>,
    /// One word of every phrase; None when some phrase has no ASCII word
    /// (then every text is searched whole).
    pub(super) anchors: Option<Anchors>,
    /// Every ASCII word of every phrase: what obfuscated tokens may read as.
    vocabulary: Vocabulary,
    /// The first bytes and byte pairs of the phrases: refuses most proper
    /// prefix look-ups of [`PhraseMatcher::partial_tail`] without a search.
    prefix_starts: PrefixStarts,
    /// Where each first byte pair begins in `sorted`.
    pair_ranges: PairRanges,
}

/// What the matcher knows of one distinct phrase.
#[derive(Debug, Clone)]
pub(super) struct PhraseInfo {
    /// The groups that list it, and whether as an exception.
    groups: Vec<(u16, bool)>,
    /// It starts with an alphanumeric char: needs a word boundary before.
    word_start: bool,
    /// It ends with an alphanumeric char: needs a word boundary after.
    word_end: bool,
    /// The chains it is a segment of: (chain id, segment index).
    segments: Vec<(u32, u8)>,
}

/// What a search finds: whole-word matches of groups, and of segments of
/// chains (made into matches of groups by [`PhraseMatcher::finish`]).
#[derive(Debug, Default)]
pub(super) struct Hits {
    pub(super) candidates: Vec<Candidate>,
    pub(super) segments: Vec<SegmentHit>,
}

/// A whole-word match of a group, in the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Candidate {
    group: u16,
    start: usize,
    /// Reversed end, so that sorting puts the longest first.
    neg_end: std::cmp::Reverse<usize>,
    /// A match of an exception pattern.
    exception: bool,
}

impl Candidate {
    pub(super) fn new(group: u16, span: Span, exception: bool) -> Candidate {
        Candidate {
            group,
            start: span.start,
            neg_end: std::cmp::Reverse(span.end),
            exception,
        }
    }

    fn end(&self) -> usize {
        self.neg_end.0
    }
}

impl PhraseMatcher {
    /// `lists[i]` = (group id chosen by the caller, phrase patterns). A
    /// phrase listed by several groups is reported for each. Err names the
    /// list index and the pattern on a bad pattern.
    pub fn new(lists: &[(u16, Vec<String>)]) -> Result<PhraseMatcher, String> {
        // Each distinct literal once, owned here until the loop ends.
        let mut ids: HashMap<String, usize> = HashMap::new();
        // What each pattern lists, by literal id, in pattern order.
        let mut listings: Vec<(usize, Listing)> = Vec::new();
        let mut chains: Vec<Chain> = Vec::new();
        // Per literal id: some pattern lets obfuscated tokens read into it.
        let mut readable: Vec<bool> = Vec::new();
        for (index, (group, patterns)) in lists.iter().enumerate() {
            for pattern in patterns {
                let exception = is_exception(pattern);
                let as_written = is_read_as_written(pattern);
                let parsed = parse(pattern)
                    .map_err(|why| format!("group {index}, pattern {pattern:?}: {why}"))?;
                let chain = u32::try_from(chains.len()).unwrap_or(u32::MAX);
                let gapped = !parsed.gaps.is_empty();
                let mut segment_lens = Vec::new();
                for (segment, expanded) in parsed.segments.into_iter().enumerate() {
                    segment_lens.push(expanded.iter().map(String::len).max().unwrap_or(0));
                    for mut literal in expanded {
                        let id = match ids.get(literal.as_str()) {
                            Some(&id) => id,
                            None => {
                                let id = ids.len();
                                literal.shrink_to_fit();
                                ids.insert(literal, id);
                                readable.push(false);
                                id
                            }
                        };
                        if let Some(slot) = readable.get_mut(id) {
                            *slot |= !as_written;
                        }
                        let listing = if gapped {
                            Listing::Segment(chain, u8::try_from(segment).unwrap_or(u8::MAX))
                        } else {
                            Listing::Group(*group, exception)
                        };
                        listings.push((id, listing));
                    }
                }
                if gapped {
                    let chain = Chain::new(*group, exception, parsed.gaps, &segment_lens);
                    chains.push(chain);
                }
                if ids.len() > MAX_PHRASES {
                    return Err(format!("more than {MAX_PHRASES} distinct phrases in all"));
                }
            }
        }
        let mut literals = literals_by_id(ids);
        // The automaton first: what is built after it fits in the holes its
        // build leaves (a VM's linear memory never shrinks).
        let automaton = if literals.is_empty() {
            None
        } else {
            Some(build_automaton(&literals)?)
        };
        let phrases = phrase_infos(&literals, &listings);
        drop(listings);
        let max_phrase_len = literals.iter().map(String::len).max().unwrap_or(0);
        let max_match_len = chains
            .iter()
            .map(Chain::max_len)
            .fold(max_phrase_len, usize::max);
        let reach = chain_reach(&literals, &phrases, &mut chains);
        let anchors = Anchors::new(&literals, &reach);
        // A typo variant is matched as written, never read into a token.
        let typos = all_variants();
        let vocabulary = Vocabulary::new(
            literals
                .iter()
                .enumerate()
                .filter(|(id, _)| readable.get(*id).copied().unwrap_or(false))
                .flat_map(|(_, literal)| literal.split(' ').flat_map(vocabulary_words))
                .filter(|word| !typos.contains(word)),
        );
        literals.sort_unstable();
        let prefix_starts = PrefixStarts::new(literals.iter().map(String::as_str));
        let pair_ranges = PairRanges::new(&literals);
        Ok(PhraseMatcher {
            automaton,
            phrases,
            sorted: literals,
            max_phrase_len,
            max_match_len,
            chains,
            anchors,
            vocabulary,
            prefix_starts,
            pair_ranges,
        })
    }

    /// Appends (group id, original span) for every whole-word match:
    /// leftmost-longest and without overlaps within a group, by start.
    pub fn scan(&self, text: &str, out: &mut Vec<(u16, Span)>) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let mut hits = Hits::default();
        let mut spots = Vec::new();
        if !self.search_original(automaton, text, &mut spots, &mut hits) {
            hits = Hits::default();
            spots.clear();
            self.search_folded(automaton, &Folded::new(text), &mut hits);
            spots_by_char(text, &mut spots);
        }
        symbol_spots(text, &mut spots);
        if !spots.is_empty() {
            spots.sort_unstable();
            spots.dedup();
            self.search_obfuscated(automaton, text, &spots, &mut hits);
        }
        self.search_chains(automaton, text, &mut hits);
        let first = out.len();
        self.finish(text, &mut hits, out);
        if let Some(appended) = out.get_mut(first..) {
            appended.sort_unstable_by_key(|(group, span)| {
                (span.start, std::cmp::Reverse(span.end), *group)
            });
        }
    }

    /// Candidates in `text`: anchors are looked up in the text as it is
    /// (folding char by char where it is not ASCII), and only the windows
    /// around them are folded, when they need it. False, having found
    /// nothing, when the whole text must be folded instead: some phrase has
    /// no anchor and the text is not plain, or a run of whitespace or
    /// invisible characters is too long to walk over for every anchor.
    fn search_original(
        &self,
        automaton: &AhoCorasick,
        text: &str,
        spots: &mut Vec<usize>,
        hits: &mut Hits,
    ) -> bool {
        let Some(anchors) = &self.anchors else {
            if !is_plain(text) {
                return false;
            }
            let whole_word = |info: &PhraseInfo, start, end| info.whole_word_span(text, start, end);
            self.collect(automaton, text, 0..text.len(), whole_word, hits);
            spots_by_char(text, spots);
            return true;
        };
        let mut windows = Vec::new();
        let mut too_long = false;
        anchors.find(text, spots, |start, end, reach| {
            if too_long {
                return;
            }
            match (
                fold_back(text, start, reach.before),
                fold_forward(text, end, reach.after),
            ) {
                (Some(from), Some(to)) => merge_window(&mut windows, from..to),
                _ => too_long = true,
            }
        });
        if too_long {
            return false;
        }
        for window in windows {
            self.collect_window(automaton, text, window, hits);
        }
        true
    }

    /// Candidates in the window `range` of `text`: searched as it is when
    /// plain, folded first otherwise. Word boundaries are checked in `text`.
    fn collect_window(
        &self,
        automaton: &AhoCorasick,
        text: &str,
        range: Range<usize>,
        hits: &mut Hits,
    ) {
        let Some(window) = text.get(range.clone()) else {
            return;
        };
        if is_plain(window) {
            let whole_word = |info: &PhraseInfo, start, end| info.whole_word_span(text, start, end);
            self.collect(automaton, text, range, whole_word, hits);
            return;
        }
        let folded = Folded::new(window);
        let whole_word = |info: &PhraseInfo, start, end| {
            let span = folded.original_span(start, end);
            info.whole_word_span(text, range.start + span.start, range.start + span.end)
        };
        self.collect(
            automaton,
            &folded.text,
            0..folded.text.len(),
            whole_word,
            hits,
        );
    }

    /// Candidates in folded text, around its anchors (or everywhere when
    /// some phrase has none).
    fn search_folded(&self, automaton: &AhoCorasick, folded: &Folded, hits: &mut Hits) {
        let haystack = folded.text.as_str();
        let whole_word = |info: &PhraseInfo, start: usize, end: usize| {
            info.is_whole_word(haystack, start, end)
                .then(|| folded.original_span(start, end))
        };
        let Some(anchors) = &self.anchors else {
            self.collect(automaton, haystack, 0..haystack.len(), whole_word, hits);
            return;
        };
        let mut windows = Vec::new();
        anchors.find(haystack, &mut Vec::new(), |start, end, reach| {
            merge_window(&mut windows, window_around(haystack, start, end, reach));
        });
        for window in windows {
            self.collect(automaton, haystack, window, whole_word, hits);
        }
    }

    /// Candidates found only once obfuscated tokens are read as phrase
    /// words (see [`obfuscation`]): the tokens at `spots` (byte offsets of
    /// `text` where [`Words`] saw something a token could hide behind) are
    /// read, and the text around each token that reads as phrase words is
    /// folded with the reading in its place and searched whole. A match
    /// counts only when it covers a reading and its original text has an
    /// ASCII letter (so Russian or Greek prose, whose letters look Latin,
    /// never matches as a whole).
    pub(super) fn search_obfuscated(
        &self,
        automaton: &AhoCorasick,
        text: &str,
        spots: &[usize],
        hits: &mut Hits,
    ) {
        if spots.is_empty() || self.vocabulary.is_empty() {
            return;
        }
        let mut readings: Vec<Reading> = Vec::new();
        let mut scratch = Scratch::default();
        let mut token = Token::default();
        let mut read_until = 0;
        for &spot in spots {
            // A match needs an ASCII letter: spots with none near them (in
            // Russian or Greek prose) are not read.
            if spot < read_until || !has_ascii_letter_near(text, spot, spot + 1) {
                continue;
            }
            let mut at = token_start_before(text, spot).max(read_until);
            while next_token_into(text, at, &mut token) {
                at = token.end;
                if token.end <= spot {
                    continue;
                }
                if token.start() <= spot {
                    read_until = token.end;
                    if token.has_letter() {
                        readings.extend(read(&token, &self.vocabulary, &mut scratch));
                    }
                } else {
                    // The spot was no token char, nor is anything up to
                    // this token.
                    read_until = token.start();
                }
                break;
            }
            read_until = read_until.max(spot + 1);
        }
        if readings.is_empty() {
            return;
        }
        // A match needs an ASCII letter: readings with none near them (in
        // Russian or Greek prose) open no window.
        readings.retain(|reading| has_ascii_letter_near(text, reading.start, reading.end));
        let reach = 2 * self.max_phrase_len + 8;
        let mut windows: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        for (index, reading) in readings.iter().enumerate() {
            let mut from = reading.start.saturating_sub(reach);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = reading.end.saturating_add(reach).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            match windows.last_mut() {
                Some((window, held)) if from <= window.end => {
                    window.end = window.end.max(to);
                    held.end = index + 1;
                }
                _ => windows.push((from..to, index..index + 1)),
            }
        }
        for (window, held) in windows {
            let held = readings.get(held).unwrap_or(&[]);
            self.collect_read_window(automaton, text, window, held, &mut scratch, hits);
        }
    }

    /// Candidates in the window `range` of `text`, folded with `readings`
    /// (inside the window, in order) in place of their tokens.
    fn collect_read_window(
        &self,
        automaton: &AhoCorasick,
        text: &str,
        range: Range<usize>,
        readings: &[Reading],
        scratch: &mut Scratch,
        hits: &mut Hits,
    ) {
        // Every token of the window is read, spotted or not (a look-alike
        // symbol is no letter to the word reader), and the window grows to
        // whole tokens.
        let mut range = token_start_before(text, range.start)..range.end;
        let mut all_readings = Vec::with_capacity(readings.len());
        let mut at = range.start;
        let mut token = Token::default();
        while next_token_into(text, at, &mut token) {
            if token.start() >= range.end {
                break;
            }
            at = token.end;
            range.end = range.end.max(token.end);
            match readings.iter().find(|r| r.start == token.start()) {
                Some(reading) => all_readings.push(reading.clone()),
                // Digits and symbols alone (`70`, `@`) are read here, next
                // to a reading, and not split (`5.0` stays).
                None if token.may_read() && (token.has_letter() || token.has_no_split_glue()) => {
                    all_readings.extend(read(&token, &self.vocabulary, scratch));
                }
                None => {}
            }
        }
        let readings = all_readings.as_slice();
        let Some(window) = text.get(range.clone()) else {
            return;
        };
        let base = range.start;
        let mut folded = Folded::empty(window.len());
        let mut after_space = false;
        let mut at = 0;
        for reading in readings {
            let start = reading.start.saturating_sub(base).max(at);
            folded.push_folding(window, at..start, &mut after_space);
            for &(byte, original, len) in &reading.bytes {
                folded.push_mapped(byte, original.saturating_sub(base), len);
            }
            after_space = false;
            at = reading.end.saturating_sub(base).max(start);
        }
        folded.push_folding(window, at..window.len(), &mut after_space);
        let folded = folded.finish();
        let haystack = folded.text.as_str();
        let whole_word = |info: &PhraseInfo, start: usize, end: usize| {
            if !info.is_whole_word(haystack, start, end) {
                return None;
            }
            let span = folded.original_span(start, end);
            let span = Span::new(base + span.start, base + span.end);
            let edge_ok = (start > 0 || info.clear_before(text, span.start))
                && (end < haystack.len() || info.clear_after(text, span.end));
            let covers_reading = readings
                .iter()
                .any(|r| r.start < span.end && span.start < r.end);
            let has_latin = text
                .get(span.start..span.end)
                .is_some_and(|s| s.bytes().any(|b| b.is_ascii_alphabetic()));
            // A segment of a chain counts whether it covers a reading or
            // not (the chain as a whole needs an ASCII letter, see
            // `gaps::push_chains`).
            edge_ok.then_some((span, covers_reading && has_latin))
        };
        self.collect_with(automaton, haystack, 0..haystack.len(), whole_word, hits);
    }

    /// Candidates for the matches in `haystack[range]` that `whole_word`
    /// accepts and maps to an original span.
    pub(super) fn collect(
        &self,
        automaton: &AhoCorasick,
        haystack: &str,
        range: Range<usize>,
        whole_word: impl Fn(&PhraseInfo, usize, usize) -> Option<Span>,
        hits: &mut Hits,
    ) {
        let whole_word =
            |info: &PhraseInfo, start, end| whole_word(info, start, end).map(|span| (span, true));
        self.collect_with(automaton, haystack, range, whole_word, hits);
    }

    /// Like [`PhraseMatcher::collect`], `whole_word` also telling whether
    /// the match counts for the groups of its phrase (else only as a
    /// segment of a chain).
    fn collect_with(
        &self,
        automaton: &AhoCorasick,
        haystack: &str,
        range: Range<usize>,
        whole_word: impl Fn(&PhraseInfo, usize, usize) -> Option<(Span, bool)>,
        hits: &mut Hits,
    ) {
        // The automaton knows lowercase phrases only (half the transitions
        // of an ASCII-case-insensitive one): a window with ASCII capitals is
        // searched in a lowercased copy, byte for byte the same offsets.
        let Some(window) = haystack.as_bytes().get(range.clone()) else {
            return;
        };
        let lowered;
        let (input, base) = if window.iter().any(u8::is_ascii_uppercase) {
            lowered = window.to_ascii_lowercase();
            (Input::new(&lowered[..]), range.start)
        } else {
            (Input::new(haystack).range(range), 0)
        };
        let Ok(matches) = automaton.try_find_overlapping_iter(input) else {
            return;
        };
        for m in matches {
            let Some(info) = self.phrases.get(m.pattern().as_usize()) else {
                continue;
            };
            let Some((span, for_groups)) = whole_word(info, base + m.start(), base + m.end())
            else {
                continue;
            };
            if for_groups {
                hits.candidates.extend(
                    info.groups
                        .iter()
                        .map(|&(group, exception)| Candidate::new(group, span, exception)),
                );
            }
            hits.segments
                .extend(info.segments.iter().map(|&(chain, segment)| SegmentHit {
                    chain,
                    segment,
                    start: span.start,
                    end: span.end,
                }));
        }
    }

    /// The second stage of a search for chains: around every match of a
    /// chain's anchor segment in `hits`, the text the rest of the chain can
    /// cover is searched (as [`PhraseMatcher::collect_window`] does), and
    /// what it holds is added to `hits`.
    pub(super) fn search_chains(&self, automaton: &AhoCorasick, text: &str, hits: &mut Hits) {
        let mut windows: Vec<Range<usize>> = Vec::new();
        for hit in &hits.segments {
            let Some(chain) = self.chains.get(hit.chain as usize) else {
                continue;
            };
            if chain.anchor() != usize::from(hit.segment) {
                continue;
            }
            let reach = chain.reach_around(chain.anchor());
            let from = fold_back(text, hit.start, reach.before).unwrap_or(0);
            let to = fold_forward(text, hit.end, reach.after).unwrap_or(text.len());
            windows.push(from..to);
        }
        if windows.is_empty() {
            return;
        }
        windows.sort_unstable_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for window in windows {
            merge_window(&mut merged, window);
        }
        let mut found = Hits::default();
        for window in merged {
            self.collect_window(automaton, text, window, &mut found);
        }
        hits.candidates.extend(found.candidates);
        hits.segments.extend(found.segments);
    }

    /// Appends the matches of `hits` in `text` to `out`: the chains its
    /// segment matches complete, then per group the leftmost-longest
    /// matches without overlaps (see [`push_chosen`]).
    pub(super) fn finish(&self, text: &str, hits: &mut Hits, out: &mut Vec<(u16, Span)>) {
        super::gaps::push_chains(&self.chains, text, &mut hits.segments, &mut hits.candidates);
        push_chosen(&mut hits.candidates, out);
    }

    /// For streaming: `text` is the tail of a stream so far. The byte offset
    /// in `text` (a char boundary at a word start) of the earliest suffix
    /// that, folded, is a proper prefix of some phrase and so could still
    /// become a match when more text arrives; None if no suffix could.
    ///
    /// A chain (a pattern with gaps) is held from its first segment while
    /// its segments so far are there, in order and within their gaps, and
    /// the text after the last of them could still be the next gap.
    ///
    /// Looks at most at the last [`PhraseMatcher::max_phrase_len`] folded
    /// bytes. The start of `text` counts as a word start. A phrase complete
    /// at the very end of `text` is reported by [`PhraseMatcher::scan`]
    /// already; it is held back here only when a longer phrase extends it.
    pub fn partial_tail(&self, text: &str) -> Option<usize> {
        if self.is_empty() {
            return None;
        }
        // A plain tail folds to itself lowercased, byte for byte: folded on
        // the stack, its offsets are the original's.
        let plain_start = text.len().saturating_sub(self.max_match_len);
        if let Some(window) = text.get(plain_start..) {
            if window.len() <= PLAIN_TAIL_MAX && is_plain(window) {
                let mut buffer = [0u8; PLAIN_TAIL_MAX];
                let folded = buffer.get_mut(..window.len())?;
                folded.copy_from_slice(window.as_bytes());
                folded.make_ascii_lowercase();
                let tail = std::str::from_utf8(folded).ok()?;
                return self
                    .partial_tail_folded(tail, plain_start == 0)
                    .map(|at| plain_start + at);
            }
        }
        let window_start = tail_window_start(text, self.max_match_len);
        let window = text.get(window_start..)?;
        let folded = Folded::new(window);
        self.partial_tail_folded(&folded.text, window_start == 0)
            .map(|at| window_start + folded.original_offset(at))
    }

    /// [`PhraseMatcher::partial_tail`] in the folded window `tail`: a
    /// folded offset. `starts_text`: the window is the whole text.
    ///
    /// The earlier of the first proper prefix and the first open chain; the
    /// chains are not searched when the prefix starts the tail.
    fn partial_tail_folded(&self, tail: &str, starts_text: bool) -> Option<usize> {
        let prefix = self.first_proper_prefix(tail, starts_text);
        if prefix == Some(0) {
            return prefix;
        }
        match (prefix, self.partial_chain(tail, starts_text)) {
            (Some(prefix), Some(chain)) => Some(prefix.min(chain)),
            (prefix, chain) => prefix.or(chain),
        }
    }

    /// The first word start in the last [`PhraseMatcher::max_phrase_len`]
    /// bytes of the folded `tail` from which the rest is a proper prefix of
    /// a phrase.
    fn first_proper_prefix(&self, tail: &str, starts_text: bool) -> Option<usize> {
        if tail.is_ascii() {
            return self.first_proper_prefix_ascii(tail, starts_text);
        }
        let candidates = tail.char_indices().map(|(at, _)| at);
        for at in candidates.skip_while(|&at| tail.len() - at >= self.max_phrase_len) {
            let can_start = at > 0 || starts_text;
            let suffix = tail.get(at..).unwrap_or("");
            if can_start
                && self.prefix_starts.may_be_proper_prefix(suffix.as_bytes())
                && is_word_start(tail, at)
                && self.is_proper_prefix(suffix)
            {
                return Some(at);
            }
        }
        None
    }

    /// [`PhraseMatcher::first_proper_prefix`] of an ASCII `tail`, byte by
    /// byte: the word start test (the cheapest) comes first.
    fn first_proper_prefix_ascii(&self, text: &str, starts_text: bool) -> Option<usize> {
        let tail = text.as_bytes();
        let from = (tail.len() + 1).saturating_sub(self.max_phrase_len);
        for at in from..tail.len() {
            let Some(&byte) = tail.get(at) else {
                break;
            };
            let word_start = byte != b' '
                && (!byte.is_ascii_alphanumeric()
                    || !at
                        .checked_sub(1)
                        .and_then(|before| tail.get(before))
                        .is_some_and(u8::is_ascii_alphanumeric));
            if !word_start || (at == 0 && !starts_text) {
                continue;
            }
            let suffix = text.get(at..).unwrap_or_default();
            if self.prefix_starts.may_be_proper_prefix(suffix.as_bytes())
                && self.is_proper_prefix(suffix)
            {
                return Some(at);
            }
        }
        None
    }

    /// The unoptimized [`PhraseMatcher::partial_tail`], which the fast one
    /// must agree with.
    #[cfg(test)]
    pub(super) fn partial_tail_reference(&self, text: &str) -> Option<usize> {
        if self.is_empty() {
            return None;
        }
        let window_start = tail_window_start(text, self.max_match_len);
        let window = text.get(window_start..)?;
        let folded = Folded::new(window);
        let tail = folded.text.as_str();
        let chain_start = self.partial_chain_reference(tail, window_start == 0);
        let candidates = tail.char_indices().map(|(at, _)| at);
        for at in candidates.skip_while(|&at| tail.len() - at >= self.max_phrase_len) {
            if chain_start.is_some_and(|start| start <= at) {
                break;
            }
            let can_start = at > 0 || window_start == 0;
            let suffix = tail.get(at..).unwrap_or("");
            if can_start && is_word_start(tail, at) && self.is_proper_prefix_reference(suffix) {
                return Some(window_start + folded.original_offset(at));
            }
        }
        chain_start.map(|at| window_start + folded.original_offset(at))
    }

    /// The earliest start, in the folded tail of a stream, of a chain that
    /// is begun there and could still complete (see
    /// [`PhraseMatcher::partial_tail`]). `starts_text`: the tail is the
    /// whole text, so a match may start at its first byte.
    fn partial_chain(&self, tail: &str, starts_text: bool) -> Option<usize> {
        let mut hits = self.tail_hits(tail, starts_text)?;
        // Only a chain whose first segment is there can be open: the others
        // are dropped before the (allocating) walk.
        let mut begun: Vec<u32> = hits
            .segments
            .iter()
            .filter(|hit| hit.segment == 0)
            .map(|hit| hit.chain)
            .collect();
        if begun.is_empty() {
            return None;
        }
        begun.sort_unstable();
        begun.dedup();
        hits.segments
            .retain(|hit| begun.binary_search(&hit.chain).is_ok());
        super::gaps::earliest_open_chain(&self.chains, tail, &mut hits.segments)
    }

    /// The whole-word literal matches in a stream's folded tail, as chain
    /// segments (no group candidates), for the open-chain search; `None`
    /// when the matcher has no chain.
    fn tail_hits(&self, tail: &str, starts_text: bool) -> Option<Hits> {
        let automaton = self.automaton.as_ref()?;
        if self.chains.is_empty() {
            return None;
        }
        let mut hits = Hits::default();
        // Segments only: the open-chain search reads no group candidate.
        let whole_word = |info: &PhraseInfo, start: usize, end: usize| {
            let starts = start > 0 || starts_text;
            (starts && info.is_whole_word(tail, start, end)).then(|| (Span::new(start, end), false))
        };
        self.collect_with(automaton, tail, 0..tail.len(), whole_word, &mut hits);
        Some(hits)
    }

    /// Some phrase starts with `s` and is longer. (The first phrase not
    /// below `s` is `s` or starts with it when any does; so is the next.)
    fn is_proper_prefix(&self, s: &str) -> bool {
        let range = self
            .pair_ranges
            .range(s.as_bytes(), self.sorted.len())
            .unwrap_or(0..self.sorted.len());
        let sorted = self.sorted.get(range).unwrap_or(&[]);
        let from = sorted.partition_point(|phrase| phrase.as_str() < s);
        sorted
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take(2)
            .any(|phrase| phrase.len() > s.len() && phrase.starts_with(s))
    }

    /// [`PhraseMatcher::partial_chain`] walking every chain.
    #[cfg(test)]
    fn partial_chain_reference(&self, tail: &str, starts_text: bool) -> Option<usize> {
        let mut hits = self.tail_hits(tail, starts_text)?;
        super::gaps::earliest_open_chain(&self.chains, tail, &mut hits.segments)
    }

    /// [`PhraseMatcher::is_proper_prefix`] over all the phrases.
    #[cfg(test)]
    fn is_proper_prefix_reference(&self, s: &str) -> bool {
        let from = self.sorted.partition_point(|phrase| phrase.as_str() < s);
        self.sorted
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take(2)
            .any(|phrase| phrase.len() > s.len() && phrase.starts_with(s))
    }

    /// Longest match, in bytes: a phrase (folded), or a chain of segments
    /// with its gaps at their widest.
    #[allow(clippy::misnamed_getters)] // the longest match, chains included
    pub fn max_phrase_len(&self) -> usize {
        self.max_match_len
    }

    /// True when the matcher has no phrase at all.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

/// Per literal: None when it needs no anchor of its own (it is a segment of
/// chains only, and none of them is anchored by it), else how much further
/// its window must reach (nothing: a chain's other segments are looked for
/// only once its anchor segment matched, see
/// [`PhraseMatcher::search_chains`]). Each chain is anchored by its segment
/// whose anchors are the rarest: `ignore ~3 previous instructions` is looked
/// for only where "previous instructions" is.
fn chain_reach(
    literals: &[String],
    phrases: &[PhraseInfo],
    chains: &mut [Chain],
) -> Vec<Option<Reach>> {
    let mut reach: Vec<Option<Reach>> = phrases
        .iter()
        .map(|info| (!info.groups.is_empty()).then_some(Reach::default()))
        .collect();
    if chains.is_empty() {
        return reach;
    }
    let commonness = anchor_commonness(literals.iter().map(String::as_str));
    // Per chain and segment: the most common anchor of its literals, and
    // the literals.
    let mut segments: Vec<Vec<(usize, Vec<usize>)>> = chains
        .iter()
        .map(|chain| vec![(0, Vec::new()); chain.segment_count()])
        .collect();
    for (id, info) in phrases.iter().enumerate() {
        for &(chain, segment) in &info.segments {
            if let Some(slot) = segments
                .get_mut(chain as usize)
                .and_then(|s| s.get_mut(segment as usize))
            {
                slot.0 = slot
                    .0
                    .max(commonness.get(id).copied().unwrap_or(usize::MAX));
                slot.1.push(id);
            }
        }
    }
    for (chain, segments) in chains.iter_mut().zip(segments) {
        let best = segments
            .iter()
            .enumerate()
            .min_by_key(|(_, (common, ids))| (*common, std::cmp::Reverse(ids.len())))
            .map_or(0, |(index, _)| index);
        chain.set_anchor(best);
        for &id in segments.get(best).map_or(&[][..], |(_, ids)| ids) {
            if let Some(slot) = reach.get_mut(id) {
                *slot = Some(slot.unwrap_or_default());
            }
        }
    }
    reach
}

/// One listing of a literal by a pattern: a group's phrase (and whether
/// an exception), or a segment of a chain (chain id, segment index).
#[derive(Clone, Copy)]
enum Listing {
    Group(u16, bool),
    Segment(u32, u8),
}

/// Per literal id, what the listings say of it (each group and segment
/// once, in listing order).
fn phrase_infos(literals: &[String], listings: &[(usize, Listing)]) -> Vec<PhraseInfo> {
    let mut phrases: Vec<PhraseInfo> = literals.iter().map(|l| PhraseInfo::new(l)).collect();
    for &(id, listing) in listings {
        let Some(info) = phrases.get_mut(id) else {
            continue;
        };
        match listing {
            Listing::Segment(chain, segment) => {
                if !info.segments.contains(&(chain, segment)) {
                    info.segments.push((chain, segment));
                }
            }
            Listing::Group(group, exception) => {
                if !info.groups.contains(&(group, exception)) {
                    info.groups.push((group, exception));
                }
            }
        }
    }
    phrases
}

/// The keys of `ids` in the order of their ids (moved, not copied: a
/// compile holds one copy of each literal, and the map's table is freed
/// before the automaton's build peak).
fn literals_by_id(ids: HashMap<String, usize>) -> Vec<String> {
    let mut literals = vec![String::new(); ids.len()];
    for (literal, id) in ids {
        if let Some(slot) = literals.get_mut(id) {
            *slot = literal;
        }
    }
    literals
}

/// The automaton over folded phrases, reporting overlapping matches, case
/// sensitive (the phrases are folded, so lowercase; see
/// [`PhraseMatcher::collect`] for text with capitals). A noncontiguous NFA:
/// it runs over the few bytes around anchors only, where a DFA's speed
/// would not show (a DFA of the built-in lists takes over 100 MB). The
/// contiguous NFA that aho-corasick makes from it holds half the bytes but
/// is built while the noncontiguous one is still live, so a wasm VM (whose
/// memory never shrinks) would keep both: the noncontiguous one keeps a
/// worker's linear memory 2.9 MB lower for the built-in lists (10.1 MB
/// instead of 13.0), and scans as fast (callgrind of `screen_cost`: 20.2
/// instructions per byte of English prose and 187 of jailbreak text, for
/// 20.2 and 189 with the contiguous one).
fn build_automaton(literals: &[String]) -> Result<AhoCorasick, String> {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::NoncontiguousNFA))
        .build(literals)
        .map_err(|e| format!("phrase lists too large: {e}"))
}

impl PhraseInfo {
    fn new(literal: &str) -> PhraseInfo {
        PhraseInfo {
            groups: Vec::new(),
            word_start: literal.chars().next().is_some_and(char::is_alphanumeric),
            word_end: literal
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric),
            segments: Vec::new(),
        }
    }

    /// The span `start..end` when it is a whole word of `text`.
    fn whole_word_span(&self, text: &str, start: usize, end: usize) -> Option<Span> {
        self.is_whole_word(text, start, end)
            .then(|| Span::new(start, end))
    }

    /// The match `start..end` of this phrase in `haystack` is a whole word:
    /// no alphanumeric char touches it, invisible characters aside.
    pub(super) fn is_whole_word(&self, haystack: &str, start: usize, end: usize) -> bool {
        self.clear_before(haystack, start) && self.clear_after(haystack, end)
    }

    /// A match starting at `start` has the word boundary it needs there.
    fn clear_before(&self, haystack: &str, start: usize) -> bool {
        let before = || {
            let before = haystack.get(..start)?;
            before.chars().rev().find(|&c| !is_invisible(c))
        };
        !self.word_start || !before().is_some_and(char::is_alphanumeric)
    }

    /// A match ending at `end` has the word boundary it needs there.
    fn clear_after(&self, haystack: &str, end: usize) -> bool {
        let after = || haystack.get(end..)?.chars().find(|&c| !is_invisible(c));
        !self.word_end || !after().is_some_and(char::is_alphanumeric)
    }
}

/// Per group, leftmost-longest non-overlapping candidates that overlap no
/// exception of their group, appended to `out`.
pub(super) fn push_chosen(candidates: &mut [Candidate], out: &mut Vec<(u16, Span)>) {
    candidates.sort_unstable();
    for group in candidates.chunk_by(|a, b| a.group == b.group) {
        let exceptions = Exceptions::new(group);
        let mut last_end = None;
        for candidate in group.iter().filter(|c| !c.exception) {
            let overlaps_last = last_end.is_some_and(|end| candidate.start < end);
            if overlaps_last || exceptions.overlap(candidate.start, candidate.end()) {
                continue;
            }
            out.push((candidate.group, Span::new(candidate.start, candidate.end())));
            last_end = Some(candidate.end());
        }
    }
}

/// The exception matches of one group, for overlap queries.
struct Exceptions {
    /// Starts, ascending.
    starts: Vec<usize>,
    /// `max_ends[i]`: the largest end among the first `i + 1` exceptions.
    max_ends: Vec<usize>,
}

impl Exceptions {
    /// From a group's candidates sorted by start.
    fn new(group: &[Candidate]) -> Exceptions {
        let mut exceptions = Exceptions {
            starts: Vec::new(),
            max_ends: Vec::new(),
        };
        for candidate in group.iter().filter(|c| c.exception) {
            let max_end = exceptions
                .max_ends
                .last()
                .map_or(0, |&m| m.max(candidate.end()));
            exceptions.starts.push(candidate.start);
            exceptions.max_ends.push(max_end.max(candidate.end()));
        }
        exceptions
    }

    /// Some exception overlaps `start..end`: it starts before `end` and
    /// ends after `start`.
    fn overlap(&self, start: usize, end: usize) -> bool {
        let starting_before_end = self.starts.partition_point(|&s| s < end);
        starting_before_end
            .checked_sub(1)
            .and_then(|last| self.max_ends.get(last))
            .is_some_and(|&max_end| max_end > start)
    }
}

/// Adds `window` to `windows`, merged with the last one when they overlap.
fn merge_window(windows: &mut Vec<Range<usize>>, window: Range<usize>) {
    match windows.last_mut() {
        Some(last) if window.start <= last.end && last.start <= window.end => {
            last.start = last.start.min(window.start);
            last.end = last.end.max(window.end);
        }
        _ => windows.push(window),
    }
}

/// A phrase could start at folded byte `at`: not whitespace, and not in the
/// middle of a word.
fn is_word_start(folded: &str, at: usize) -> bool {
    let Some(c) = folded.get(at..).and_then(|s| s.chars().next()) else {
        return false;
    };
    if c == ' ' {
        return false;
    }
    !c.is_alphanumeric()
        || !folded
            .get(..at)
            .and_then(|s| s.chars().next_back())
            .is_some_and(char::is_alphanumeric)
}

/// Offset in `text` from which the suffix folds to at least `max_len`
/// bytes (0 if the whole text folds to fewer).
fn tail_window_start(text: &str, max_len: usize) -> usize {
    let mut folded = 0;
    // Whether the first char to the right that folding keeps is whitespace:
    // then a whitespace char here joins its run and adds nothing.
    let mut right_is_space = false;
    for (at, c) in text.char_indices().rev() {
        match fold_char(c) {
            FoldedChar::Removed => {}
            FoldedChar::Space => {
                folded += usize::from(!right_is_space);
                right_is_space = true;
            }
            FoldedChar::Char(kept) => {
                folded += kept.len_utf8();
                right_is_space = false;
            }
        }
        if folded >= max_len {
            return at;
        }
    }
    0
}
