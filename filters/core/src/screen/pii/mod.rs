//! Built-in PII detectors: email, phone, SSN, card, IP, IBAN, secret.
//!
//! [`PiiScanner::scan`] makes one pass over the bytes. The bulk of prose
//! (lowercase letters, spaces, ordinary punctuation, non-ASCII text) is
//! skipped sixteen bytes at a time; a 256-entry class table says which bytes
//! matter. The scan stops at:
//! - a digit or an uppercase letter at the start of a word: the word goes to
//!   the number detectors (phone, SSN, card, IPv4, IPv6) or to IBAN, the
//!   `AKIA`/`ASIA`/`AIza` keys and uppercase IPv6, then is skipped whole;
//! - a marker a little way into a word (`-` `_` `:`, a digit, an uppercase
//!   letter): the word's start is found at most a few bytes back and checked
//!   for the lowercase-led secrets (`sk-`, `ghp_`, `github_pat_`, `xoxb-`,
//!   `eyJ`) and IPv6 groups (`fe80::1`);
//! - the key names `secret_access_key` / `SecretAccessKey`: the AWS secret
//!   access key after them (`secret_named`);
//! - `@` (email, expanded left and right), `+` and `(` (phones), `::`
//!   (IPv6), `-----BEGIN` (a private-key block, matched whole: header, key
//!   body, footer; see `pem`).
//!
//! Each detector validates what it finds (Luhn for cards, mod-97 for IBANs,
//! numbering rules for phones and SSNs) and its module documents exactly
//! what it matches and what it deliberately does not. The choices that
//! trade recall for precision:
//! - a bare digit run (`5552345678`) or a national number of a country
//!   other than NANP (`020 7946 0958`) is a phone number only after a phone
//!   word (`phone`, `call`, `mobile`, …), a 12-digit Maestro number only
//!   after a card word (`card`, `debit`, `maestro`, …): the context rule of
//!   `context.rs`;
//! - `+` numbers need a country calling code and an NSN length from
//!   libphonenumber's metadata (`phone_plan.rs`);
//! - NANP national numbers follow the numbering plan: area code and
//!   exchange start with 2–9, so the placeholder `555-123-4567` is not
//!   matched;
//! - a bare 9-digit run is an SSN only after the word `SSN` or
//!   `social security` (within 32 bytes);
//! - IBANs are matched in upper case only, compact or in groups of four;
//! - IPv6 addresses need at least one decimal digit (so `a::b` in code does
//!   not hit), and IPv4 octets have no leading zeros;
//! - IP addresses are reported by class ([`IpClass`], after the IANA
//!   special-purpose registries): by default only `private` and `public`
//!   ones, so loopback, documentation, netmask … addresses in code pass;
//! - open-ended secrets are matched up to [`MAX_TOKEN_LEN`] bytes, JWTs up
//!   to [`MAX_JWT_LEN`].
//!
//! Matches never start inside a word (an address's local part aside), and
//! bytes of non-ASCII characters count as boundaries, so PII written
//! between CJK characters is found. Punctuation and markup are boundaries:
//! `**…**`, backticks, `<b>…</b>`, `<td>`, `[…](…)`, `|` cells, quotes,
//! brackets, `=`, `:`, `mailto:`/`tel:`/`sms:`/`callto:`, and the `_`/`__`
//! of Markdown emphasis when the underscores themselves follow (or are
//! followed by) a non-word byte (`__4111…__`, but not `id_4111…`).
//!
//! Text written to dodge the detectors is scanned folded ([`fold`]): pasted
//! escape sequences (`Phone:\n+44…`, the two characters backslash and n)
//! are separators, full-width and other decimal digits and letters become
//! ASCII, Unicode spaces and hyphens become ` ` and `-`, and invisible
//! characters and stray controls inside a value are removed
//! (`４１１１ １１１１…`, `j\u{200B}ane@…`, `4111\u{0}1111…`). The fold
//! runs only when the first look at the text meets a byte it may change (a
//! byte >= 0x80, a backslash, a C0 control other than `\b` `\t` `\n` `\v`
//! `\f` `\r`) and [`fold`] confirms it changes something; plain ASCII is
//! scanned once, as it is. A folded match's span is the original text of
//! the value, the characters removed inside it included, so redaction
//! replaces exactly what was written. Spans then may be longer than
//! [`PiiScanner::max_match_len`], which counts folded bytes.

mod card;
mod classes;
mod context;
mod email;
mod fold;
mod iban;
mod ip;
mod ip_class;
mod pem;
mod phone;
mod phone_plan;
mod secret;
mod secret_named;
mod secret_prefixed;
mod skip;
mod ssn;

pub use card::luhn_valid;
pub(crate) use fold::detector_view;
pub use iban::iban_valid;
pub use ip_class::{classify_v4, classify_v6, IpClass, IpClasses};
pub use pem::{key_body as pem_key_body, open_block_start as open_pem_block, KeyBody, MAX_PEM_LEN};
pub use secret::{MAX_JWT_LEN, MAX_TOKEN_LEN};

use super::Span;
use classes::{
    alnum_run_end, at, before, class_of, digit_run_end, is_alnum, is_digit, is_hex, is_upper,
    ALNUM, DIGIT, PUNCT_TRIGGER, SUSPECT, UPPER,
};

/// Bytes the scan stops at; everything else is skipped.
const INTERESTING: u8 = DIGIT | UPPER | PUNCT_TRIGGER;
/// How far into a word its first marker byte can be (`github_pat_`).
const MARKER_OFFSET: usize = 6;

/// A kind of personal data or secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    Email,
    Phone,
    Ssn,
    Card,
    Ip,
    Iban,
    Secret,
}

impl PiiKind {
    pub const ALL: [PiiKind; 7] = [
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::Ssn,
        PiiKind::Card,
        PiiKind::Ip,
        PiiKind::Iban,
        PiiKind::Secret,
    ];

    /// Policy/metric name: `"email"`, `"phone"`, `"ssn"`, `"card"`, `"ip"`,
    /// `"iban"`, `"secret"`.
    pub fn name(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::Ssn => "ssn",
            PiiKind::Card => "card",
            PiiKind::Ip => "ip",
            PiiKind::Iban => "iban",
            PiiKind::Secret => "secret",
        }
    }

    /// Redaction tag text: `"EMAIL"`, `"PHONE"`, `"SSN"`, `"CARD"`, `"IP"`,
    /// `"IBAN"`, `"SECRET"`.
    pub fn tag(self) -> &'static str {
        match self {
            PiiKind::Email => "EMAIL",
            PiiKind::Phone => "PHONE",
            PiiKind::Ssn => "SSN",
            PiiKind::Card => "CARD",
            PiiKind::Ip => "IP",
            PiiKind::Iban => "IBAN",
            PiiKind::Secret => "SECRET",
        }
    }

    /// The kind with this [`name`](PiiKind::name).
    pub fn from_name(s: &str) -> Option<PiiKind> {
        PiiKind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// The longest match this detector can produce, in bytes.
    fn max_len(self) -> usize {
        match self {
            PiiKind::Email => email::MAX_LEN,
            PiiKind::Phone => phone::MAX_LEN,
            PiiKind::Ssn => ssn::MAX_LEN,
            PiiKind::Card => card::MAX_LEN,
            PiiKind::Ip => ip::MAX_LEN,
            PiiKind::Iban => iban::MAX_LEN,
            PiiKind::Secret => secret::MAX_LEN,
        }
    }

    /// Which of two overlapping matches of equal length is kept: the more
    /// specific kind (higher).
    fn specificity(self) -> u8 {
        match self {
            PiiKind::Phone => 0,
            PiiKind::Ip => 1,
            PiiKind::Email => 2,
            PiiKind::Ssn => 3,
            PiiKind::Card => 4,
            PiiKind::Iban => 5,
            PiiKind::Secret => 6,
        }
    }

    fn bit(self) -> u8 {
        1 << self.specificity()
    }
}

/// One finding: what and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub span: Span,
}

impl PiiMatch {
    fn new(kind: PiiKind, start: usize, end: usize) -> PiiMatch {
        PiiMatch {
            kind,
            span: Span::new(start, end),
        }
    }

    /// Longer wins; on equal length the more specific kind.
    fn outranks(&self, other: &PiiMatch) -> bool {
        (self.span.len(), self.kind.specificity()) > (other.span.len(), other.kind.specificity())
    }
}

/// The best of the matches found at one start.
struct Candidates {
    start: usize,
    best: Option<PiiMatch>,
}

impl Candidates {
    fn at(start: usize) -> Candidates {
        Candidates { start, best: None }
    }

    /// Keeps a match ending at `end` if it outranks the best so far.
    fn offer(&mut self, kind: PiiKind, end: Option<usize>) {
        if let Some(end) = end {
            let m = PiiMatch::new(kind, self.start, end);
            if self.best.is_none_or(|best| m.outranks(&best)) {
                self.best = Some(m);
            }
        }
    }
}

/// The detectors of one policy. Cheap to build and to clone; holds no
/// per-text state.
#[derive(Debug, Clone)]
pub struct PiiScanner {
    enabled: u8,
    /// The classes of IP address reported.
    ip_classes: IpClasses,
}

/// How far back from a stream's end [`PiiScanner::awaiting_context`]
/// looks: a national number (at most 32 bytes) and the after-context
/// window.
const AWAIT_REACH: usize = 32 + context::WINDOW;

impl PiiScanner {
    /// Scans only for the enabled kinds; IP addresses of the
    /// [default classes](IpClasses::DEFAULT), as a policy that does not
    /// name them.
    pub fn new(enabled: &[PiiKind]) -> PiiScanner {
        PiiScanner {
            enabled: enabled.iter().fold(0, |bits, k| bits | k.bit()),
            ip_classes: IpClasses::DEFAULT,
        }
    }

    /// Reports IP addresses of these classes only.
    pub fn with_ip_classes(self, ip_classes: IpClasses) -> PiiScanner {
        PiiScanner { ip_classes, ..self }
    }

    fn is_on(&self, kind: PiiKind) -> bool {
        self.enabled & kind.bit() != 0
    }

    /// The longest match any enabled detector can produce, in bytes: the
    /// hold-back a streaming screener needs so that no match is split.
    /// At most 254 (an email address) unless secrets are enabled: JWTs are
    /// matched up to [`MAX_JWT_LEN`] (2048) bytes. A private-key block is
    /// not counted: streams hold an open block separately (see
    /// [`open_pem_block`]), up to [`MAX_PEM_LEN`]. Counted in folded bytes: a
    /// value written in full-width characters or with invisible ones inside
    /// spans more bytes of the original.
    pub fn max_match_len(&self) -> usize {
        PiiKind::ALL
            .into_iter()
            .filter(|&k| self.is_on(k))
            .map(PiiKind::max_len)
            .max()
            .unwrap_or(0)
    }

    /// How many bytes before a value can decide whether it is one: the
    /// window in which a phone or card word must start for the shapes that
    /// need one (a national phone number, a bare digit run, a 12-digit
    /// Maestro number). A streaming screener that releases text early should
    /// scan this much already-released text in front of what it holds, or
    /// those shapes go unmatched in streams. 0 when neither is enabled.
    pub fn context_window(&self) -> usize {
        if self.is_on(PiiKind::Phone) || self.is_on(PiiKind::Card) {
            context::WINDOW
        } else {
            0
        }
    }

    /// Where, in the tail of a stream's `text` (not before `from`), a phone
    /// number starts that only a phone word still to come after it can
    /// decide (`… 0888 926316 is my`, see [`phone`]'s context rule): the
    /// stream holds from there until the words after it arrive. `None`
    /// when phones are off or no such number ends near the end. ASCII
    /// digits only.
    pub fn awaiting_context(&self, text: &str, from: usize) -> Option<usize> {
        if !self.is_on(PiiKind::Phone) {
            return None;
        }
        let bytes = text.as_bytes();
        let region = from.max(bytes.len().saturating_sub(AWAIT_REACH));
        let tail = bytes.get(region..)?;
        if !tail.iter().any(u8::is_ascii_digit) {
            return None;
        }
        (region..bytes.len()).find(|&i| {
            let b = at(bytes, i);
            let prev = before(bytes, i, 1);
            (b.is_ascii_digit() || b == b'(' && at(bytes, i + 1).is_ascii_digit())
                && !prev.is_ascii_alphanumeric()
                && phone::awaits_context_after(bytes, i)
        })
    }

    /// Appends every match in `text`, sorted by start and non-overlapping;
    /// where two overlap, the longer (then the more specific) is kept, so a
    /// card number is not also reported as a phone number.
    ///
    /// Text that holds wide or invisible characters, stray controls or
    /// pasted escape sequences is scanned folded (see [`fold`]) and each
    /// span maps back to the original text, covering what was removed
    /// inside the value. Plain ASCII is scanned as it is, without a copy.
    pub fn scan(&self, text: &str, out: &mut Vec<PiiMatch>) {
        if self.enabled == 0 {
            return;
        }
        let bytes = text.as_bytes();
        let base = out.len();
        if self.scan_bytes(bytes, Some(text), out, base) {
            return;
        }
        out.truncate(base);
        let folded = fold::Folded::new(text);
        let mut found = Vec::new();
        self.scan_bytes(folded.bytes(), None, &mut found, 0);
        out.extend(found.into_iter().map(|m| PiiMatch {
            kind: m.kind,
            span: folded.original_span(text, m.span),
        }));
    }

    /// Scans `bytes`, appending to `out[base..]`. While `watch` holds the
    /// text, the scan also stops at bytes the fold may change
    /// ([`fold::is_suspect`]): at the first, it asks [`fold::changes_from`],
    /// and either gives up (false: the text must be scanned folded) or goes
    /// on without watching. Every byte before a stop was either looked at or
    /// inside a word or a match, which hold no such byte.
    fn scan_bytes(
        &self,
        bytes: &[u8],
        mut watch: Option<&str>,
        out: &mut Vec<PiiMatch>,
        base: usize,
    ) -> bool {
        let mut i = 0;
        loop {
            let next = if watch.is_some() {
                next_interesting::<true>(bytes, i)
            } else {
                next_interesting::<false>(bytes, i)
            };
            let Some(skipped) = next else {
                return true;
            };
            i = skipped;
            let b = at(bytes, i);
            let class = class_of(b);
            if class & INTERESTING == 0 {
                // a suspect byte, seen only while watching
                if watch.is_some_and(|text| fold::changes_from(text, i)) {
                    return false;
                }
                watch = None;
                continue;
            }
            let (found, resume) = if class & ALNUM != 0 {
                let run_end = alnum_run_end(bytes, i + 1);
                let found = if is_alnum(before(bytes, i, 1)) {
                    self.inside_word(bytes, i, run_end)
                } else if class & DIGIT != 0 {
                    self.at_number(bytes, i, run_end)
                } else {
                    self.at_capital(bytes, i, run_end)
                };
                (found, run_end)
            } else {
                (self.at_punctuation(bytes, i, b), i + 1)
            };
            i = match found {
                Some(m) if push_resolving_overlaps(out, base, m) => m.span.end.max(i + 1),
                _ => resume,
            };
        }
    }

    /// A run of letters and digits that starts with a digit. Each detector
    /// is only asked when the shape of the first digit group fits it.
    fn at_number(&self, bytes: &[u8], start: usize, run_end: usize) -> Option<PiiMatch> {
        let mut found = Candidates::at(start);
        if self.is_on(PiiKind::Ip) && run_end - start <= 4 && at(bytes, run_end) == b':' {
            found.offer(PiiKind::Ip, ip::match_v6_in(bytes, start, self.ip_classes));
        }
        let digits_end = digit_run_end(bytes, start);
        if digits_end != run_end {
            // glued to letters (`15th`, `2a01:…`): only IPv6 can start here
            return found.best;
        }
        let len = digits_end - start;
        let next = at(bytes, digits_end);
        if self.is_on(PiiKind::Ip) && len <= 3 && next == b'.' {
            found.offer(PiiKind::Ip, ip::match_v4_in(bytes, start, self.ip_classes));
        }
        let separated = matches!(next, b'-' | b'.' | b' ');
        let trunk = len == 1 && at(bytes, start) == b'1' && (separated || next == b'(');
        if self.is_on(PiiKind::Phone) && ((len == 3 && separated) || trunk) {
            found.offer(PiiKind::Phone, phone::match_national(bytes, start));
        }
        let dash_or_space = matches!(next, b'-' | b' ');
        if self.is_on(PiiKind::Ssn) && ((len == 3 && dash_or_space) || len == 9) {
            found.offer(PiiKind::Ssn, ssn::match_at(bytes, start));
        }
        if self.is_on(PiiKind::Card) && ((len == 4 && dash_or_space) || (12..=19).contains(&len)) {
            found.offer(PiiKind::Card, card::match_at(bytes, start));
        }
        // other phones, when nothing else starts here and the shape fits:
        // more digits follow (`020 7946…`, `8 (066)…`), or a long run
        if found.best.is_none()
            && self.is_on(PiiKind::Phone)
            && phone::other_shape(bytes, start, digits_end)
        {
            found.offer(PiiKind::Phone, phone::match_other(bytes, start));
        }
        found.best
    }

    /// A run of letters and digits that starts with an uppercase letter:
    /// IBAN, `AKIA`/`ASIA`/`AIza` keys, `SK`/`SG.`/`GOCSPX-` tokens, IPv6
    /// in uppercase hex.
    fn at_capital(&self, bytes: &[u8], start: usize, run_end: usize) -> Option<PiiMatch> {
        let second = at(bytes, start + 1);
        let iban_shaped = is_upper(second) && is_digit(at(bytes, start + 2));
        let first = at(bytes, start);
        if first == b'S' && run_end - start == 15 {
            // `SecretAccessKey`
            return self.named_secret(secret_named::after_camel_name(bytes, start + 6));
        }
        if !iban_shaped
            && first != b'A'
            && !secret_prefixed::capital_start(first, second)
            && at(bytes, run_end) != b':'
        {
            return None;
        }
        let mut found = Candidates::at(start);
        if iban_shaped && self.is_on(PiiKind::Iban) {
            found.offer(PiiKind::Iban, iban::match_at(bytes, start));
        }
        self.offer_word_start(bytes, start, run_end, &mut found);
        found.best
    }

    /// A digit or uppercase letter inside a word (`eyJ…`, `fe80::1`): the
    /// word may be a lowercase-led secret or IPv6 address.
    fn inside_word(&self, bytes: &[u8], i: usize, run_end: usize) -> Option<PiiMatch> {
        if at(bytes, i) == b'A' && before(bytes, i, 1) == b't' {
            // `secretAccessKey`
            return self.named_secret(secret_named::after_camel_name(bytes, i));
        }
        if at(bytes, i) != b'J' && at(bytes, run_end) != b':' {
            return None;
        }
        let start = word_start_near(bytes, i)?;
        let mut found = Candidates::at(start);
        self.offer_word_start(bytes, start, run_end, &mut found);
        found.best
    }

    /// Secrets and IPv6 addresses that start at the word starting at `start`
    /// and running to `run_end`.
    fn offer_word_start(&self, bytes: &[u8], start: usize, run_end: usize, found: &mut Candidates) {
        let first = at(bytes, start);
        if secret::may_start(first, at(bytes, start + 1)) && self.is_on(PiiKind::Secret) {
            found.offer(PiiKind::Secret, secret::match_at(bytes, start));
        }
        if is_hex(first)
            && run_end - start <= 4
            && at(bytes, run_end) == b':'
            && self.is_on(PiiKind::Ip)
        {
            found.offer(PiiKind::Ip, ip::match_v6_in(bytes, start, self.ip_classes));
        }
    }

    /// `@ + ( : - _`
    fn at_punctuation(&self, bytes: &[u8], i: usize, b: u8) -> Option<PiiMatch> {
        let mut found = Candidates::at(i);
        match b {
            b'@' if self.is_on(PiiKind::Email) => {
                return email::match_at(bytes, i).map(|span| PiiMatch {
                    kind: PiiKind::Email,
                    span,
                });
            }
            b'+' if self.is_on(PiiKind::Phone) => {
                found.offer(PiiKind::Phone, phone::match_international(bytes, i));
            }
            b'(' if self.is_on(PiiKind::Phone) => {
                found.offer(PiiKind::Phone, phone::match_parenthesised(bytes, i));
            }
            b':' if self.is_on(PiiKind::Ip) => {
                if at(bytes, i + 1) == b':' {
                    found.offer(PiiKind::Ip, ip::match_v6_in(bytes, i, self.ip_classes));
                }
                // a lowercase hex group before the colon (`fe::1`)
                if found.best.is_none() && is_hex(before(bytes, i, 1)) {
                    return self.word_before(bytes, i);
                }
            }
            b'-' | b'_' => {
                if b == b'-' && at(bytes, i + 1) == b'-' && self.is_on(PiiKind::Secret) {
                    found.offer(PiiKind::Secret, secret::match_at(bytes, i));
                }
                // `secret_access_key`: the value after the name
                if b == b'_' && (before(bytes, i, 1) | 0x20) == b't' {
                    if let Some(m) = self.named_secret(secret_named::after_snake_name(bytes, i)) {
                        return Some(m);
                    }
                }
                // a lowercase prefix before it (`sk-`, `ghp_`, `xoxb-`)
                if found.best.is_none()
                    && secret::may_precede_marker(before(bytes, i, 1), b)
                    && self.is_on(PiiKind::Secret)
                {
                    return self.word_before(bytes, i);
                }
            }
            _ => {}
        }
        found.best
    }

    /// A secret found after its key name ([`secret_named`]), when secrets
    /// are screened.
    fn named_secret(&self, span: Option<Span>) -> Option<PiiMatch> {
        let span = span.filter(|_| self.is_on(PiiKind::Secret))?;
        Some(PiiMatch {
            kind: PiiKind::Secret,
            span,
        })
    }

    /// The word that ends right before the punctuation at `i`.
    fn word_before(&self, bytes: &[u8], i: usize) -> Option<PiiMatch> {
        let start = word_start_near(bytes, i.checked_sub(1)?)?;
        let mut found = Candidates::at(start);
        self.offer_word_start(bytes, start, i, &mut found);
        found.best
    }
}

/// The next byte from `from` on that can start or mark a match: a digit, an
/// uppercase letter or one of `@ + ( : - _`; with `WATCH`, also a byte the
/// fold may change ([`fold::is_suspect`]). Lowercase letters, spaces and
/// other punctuation, the bulk of prose, are skipped sixteen at a time
/// (see [`skip`]), the last few eight at a time.
#[inline]
fn next_interesting<const WATCH: bool>(bytes: &[u8], from: usize) -> Option<usize> {
    let stop_classes = if WATCH {
        INTERESTING | SUSPECT
    } else {
        INTERESTING
    };
    let stops = |b: u8| class_of(b) & stop_classes != 0;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 16) {
        let (lo, hi) = chunk.split_at(8);
        let word = |half: &[u8]| <[u8; 8]>::try_from(half).map_or(0, u64::from_le_bytes);
        let maybe = skip::maybe_stops16::<WATCH>(word(lo), word(hi));
        if maybe == 0 {
            i += 16;
            continue;
        }
        // exact check from the first candidate byte in this chunk on
        let first = i + maybe.trailing_zeros() as usize;
        let rest = bytes.get(first..i + 16)?;
        if let Some(k) = rest.iter().position(|&b| stops(b)) {
            return Some(first + k);
        }
        i += 16;
    }
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
        let maybe = maybe_interesting::<WATCH>(word);
        if maybe == 0 {
            i += 8;
            continue;
        }
        // exact check from the first candidate byte in this chunk on
        let first = i + (maybe.trailing_zeros() / 8) as usize;
        let rest = bytes.get(first..i + 8)?;
        if let Some(k) = rest.iter().position(|&b| stops(b)) {
            return Some(first + k);
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    let offset = rest.iter().position(|&b| stops(b))?;
    Some(i + offset)
}

/// The high bit of each byte of `word` that may be interesting; never
/// misses one (it may flag a few extra: `) / ; < = > ? [ \ ] ^` and bytes
/// right after a flagged `( + -`). Bytes >= 0x80 are flagged only with `WATCH`,
/// which also flags the controls the fold removes (and `\f`; `\` is in
/// the flagged range already).
#[inline(always)]
fn maybe_interesting<const WATCH: bool>(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let low7 = word & !HIGH;
    // 0x30..=0x5f: digits, `:`, `@`, uppercase, `\`, `_` (and a few others);
    // adding to a 7-bit byte never carries into the next byte
    let at_least_0x30 = low7.wrapping_add(ONES * (0x80 - 0x30));
    let at_least_0x60 = low7.wrapping_add(ONES * (0x80 - 0x60));
    let in_range = at_least_0x30 & !at_least_0x60;
    let zero = |diff: u64| diff.wrapping_sub(ONES) & !diff;
    let open_paren = zero(low7 ^ (ONES * u64::from(b'(')));
    // `+` (0x2b) and `-` (0x2d), with `)` and `/`: `b | 0x06 == 0x2f`
    let plus_or_minus = zero((low7 | (ONES * 0x06)) ^ (ONES * 0x2f));
    let flagged = in_range | open_paren | plus_or_minus;
    if WATCH {
        // Below 0x20, `b ^ 0x16` is under 0x1b for every control except
        // `\b` `\t` `\n` `\v` `\r`, so newlines and tabs are not flagged;
        // a borrow only flags the byte after a flagged one.
        let removed_control = (word ^ (ONES * 0x16)).wrapping_sub(ONES * 0x1b);
        (flagged | word | removed_control) & HIGH
    } else {
        flagged & !word & HIGH
    }
}

/// The start of the word that contains `i`, when it is at most
/// [`MARKER_OFFSET`] bytes back: every lowercase-led secret shows a marker
/// (`-`, `_`, an uppercase letter) by then (`github_pat_`, `eyJ`), and an
/// IPv6 group is at most 4 hex digits.
fn word_start_near(bytes: &[u8], i: usize) -> Option<usize> {
    let mut start = i;
    while is_alnum(before(bytes, start, 1)) {
        if i - start >= MARKER_OFFSET {
            return None;
        }
        start -= 1;
    }
    Some(start)
}

/// Appends `m` to the sorted, non-overlapping matches in `out[base..]`.
/// Matches are found in order of their start, except an email address,
/// which is found at its `@` and may cover matches found before it (every
/// one of which then ends after its start): `m` replaces them if it outranks
/// them all, and is dropped otherwise. Returns whether `m` was kept.
fn push_resolving_overlaps(out: &mut Vec<PiiMatch>, base: usize, m: PiiMatch) -> bool {
    let mut keep = out.len();
    while keep > base {
        let Some(prev) = out.get(keep - 1) else {
            break;
        };
        if !prev.span.overlaps(&m.span) {
            break;
        }
        if !m.outranks(prev) {
            return false;
        }
        keep -= 1;
    }
    out.truncate(keep);
    out.push(m);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn scan_all(text: &str) -> Vec<(PiiKind, &str)> {
        let mut out = Vec::new();
        PiiScanner::new(&PiiKind::ALL).scan(text, &mut out);
        out.iter()
            .map(|m| (m.kind, &text[m.span.start..m.span.end]))
            .collect()
    }

    #[test]
    fn aws_secret_keys_after_their_names() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE+9";
        for text in [
            format!("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY={key}"),
            format!("aws_secret_access_key = {key}"),
            format!("{{\"SecretAccessKey\": \"{key}\"}}"),
            format!("{{\\\"secretAccessKey\\\":\\\"{key}\\\"}}"),
        ] {
            let found = scan_all(&text);
            assert_eq!(found.last(), Some(&(PiiKind::Secret, key)), "{text}");
        }
        assert!(scan_all(&format!("my key {key}")).is_empty());
        let off = PiiScanner::new(&[PiiKind::Email]);
        let mut out = Vec::new();
        off.scan(&format!("AWS_SECRET_ACCESS_KEY={key}"), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn names_round_trip() {
        for k in PiiKind::ALL {
            assert_eq!(PiiKind::from_name(k.name()), Some(k));
            assert_eq!(k.tag(), k.name().to_ascii_uppercase());
        }
        assert_eq!(PiiKind::from_name("EMAIL"), None);
        assert_eq!(PiiKind::from_name(""), None);
    }

    #[test]
    fn max_match_len_follows_enabled_kinds() {
        assert_eq!(PiiScanner::new(&[]).max_match_len(), 0);
        assert_eq!(PiiScanner::new(&[PiiKind::Ssn]).max_match_len(), 11);
        assert_eq!(
            PiiScanner::new(&[PiiKind::Ip, PiiKind::Card]).max_match_len(),
            45
        );
        let without_secret: Vec<PiiKind> = PiiKind::ALL
            .into_iter()
            .filter(|&k| k != PiiKind::Secret)
            .collect();
        assert!(PiiScanner::new(&without_secret).max_match_len() <= 256);
        assert_eq!(PiiScanner::new(&PiiKind::ALL).max_match_len(), MAX_JWT_LEN);
    }

    #[test]
    fn context_window_follows_enabled_kinds() {
        assert_eq!(PiiScanner::new(&[PiiKind::Email]).context_window(), 0);
        assert_eq!(
            PiiScanner::new(&[PiiKind::Phone]).context_window(),
            context::WINDOW
        );
        assert_eq!(
            PiiScanner::new(&[PiiKind::Card]).context_window(),
            context::WINDOW
        );
        // the window is what decides: a phone word just inside it counts
        let text = format!("call{}02079460958", " ".repeat(context::WINDOW - 4));
        assert_eq!(scan_all(&text), vec![(PiiKind::Phone, "02079460958")]);
        let text = format!("call{}02079460958", " ".repeat(context::WINDOW - 3));
        assert_eq!(scan_all(&text), vec![]);
    }

    /// The scanner's dispatch reaches every phone shape, whatever follows.
    #[test]
    fn dispatch_reaches_other_phones() {
        for (text, value) in [
            ("call me on 4155550132 today", "4155550132"),
            ("call me on 4155550132", "4155550132"),
            ("Tel: 020 7946 0958 (office)", "020 7946 0958"),
            ("mobile 06.12.34.56.78 ok", "06.12.34.56.78"),
            ("phone 8 (066) 907-43-91", "8 (066) 907-43-91"),
            ("fax (0161) 4960066, thanks", "(0161) 4960066"),
            ("whatsapp 02124/15868344", "02124/15868344"),
            ("ring 00420 702 914 177", "00420 702 914 177"),
            ("x +44 20 7946 0958 y", "+44 20 7946 0958"),
            ("my phone number is (02823) 56509, text me", "(02823) 56509"),
            ("(ab, +44(0)28 9018 0972). Please", "+44(0)28 9018 0972"),
            ("| x | +44(0)118 4960376 | y |", "+44(0)118 4960376"),
        ] {
            assert_eq!(scan_all(text), vec![(PiiKind::Phone, value)], "{text}");
        }
        for text in [
            "2024-05-01T10:00:00Z took 279.0ms",
            "version 1.2.3 of 10.0.19045.1234",
        ] {
            assert!(
                scan_all(text).iter().all(|(k, _)| *k != PiiKind::Phone),
                "{text}"
            );
        }
    }

    #[test]
    fn finds_each_kind_in_order() {
        let text = "Mail john@example.com or call +1 (555) 234-5678; SSN 123-45-6789, card \
                    4111 1111 1111 1111 from 192.168.1.20 to DE89 3704 0044 0532 0130 00 \
                    with AKIAIOSFODNN7EXAMPLE.";
        assert_eq!(
            scan_all(text),
            vec![
                (PiiKind::Email, "john@example.com"),
                (PiiKind::Phone, "+1 (555) 234-5678"),
                (PiiKind::Ssn, "123-45-6789"),
                (PiiKind::Card, "4111 1111 1111 1111"),
                (PiiKind::Ip, "192.168.1.20"),
                (PiiKind::Iban, "DE89 3704 0044 0532 0130 00"),
                (PiiKind::Secret, "AKIAIOSFODNN7EXAMPLE"),
            ]
        );
    }

    #[test]
    fn only_enabled_kinds() {
        let text = "john@example.com 123-45-6789 10.0.0.1";
        let mut out = Vec::new();
        PiiScanner::new(&[PiiKind::Ip]).scan(text, &mut out);
        assert_eq!(out, vec![PiiMatch::new(PiiKind::Ip, 29, 37)]);
        out.clear();
        PiiScanner::new(&[]).scan(text, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn overlaps_keep_the_longer() {
        // A phone number that is the local part of an address.
        assert_eq!(
            scan_all("555-234-5678@sms.example.com"),
            vec![(PiiKind::Email, "555-234-5678@sms.example.com")]
        );
        assert_eq!(
            scan_all("x 555-234-5678 y@example.com"),
            vec![
                (PiiKind::Phone, "555-234-5678"),
                (PiiKind::Email, "y@example.com")
            ]
        );
    }

    #[test]
    fn pasted_escapes_and_markup_are_separators() {
        for (text, kind, value) in [
            (
                r"Phone:\n+44 808 157 0263",
                PiiKind::Phone,
                "+44 808 157 0263",
            ),
            (
                r"Email:\njane@example.com",
                PiiKind::Email,
                "jane@example.com",
            ),
            (
                r#"{\"email\":\"jane@example.com\"}"#,
                PiiKind::Email,
                "jane@example.com",
            ),
            (
                r"a\t4111 1111 1111 1111\tb",
                PiiKind::Card,
                "4111 1111 1111 1111",
            ),
            (r"x\u00a0123-45-6789\u00a0", PiiKind::Ssn, "123-45-6789"),
            (r"ip:\r\n10.0.0.1\r\n", PiiKind::Ip, "10.0.0.1"),
            (
                r"\nDE89370400440532013000",
                PiiKind::Iban,
                "DE89370400440532013000",
            ),
            (
                r"key\nAKIAIOSFODNN7EXAMPLE\n",
                PiiKind::Secret,
                "AKIAIOSFODNN7EXAMPLE",
            ),
            (
                "**4111 1111 1111 1111**",
                PiiKind::Card,
                "4111 1111 1111 1111",
            ),
            (
                "__4111 1111 1111 1111__",
                PiiKind::Card,
                "4111 1111 1111 1111",
            ),
            ("<b>123-45-6789</b>", PiiKind::Ssn, "123-45-6789"),
            (
                "mailto:jane@example.com",
                PiiKind::Email,
                "jane@example.com",
            ),
            ("tel:+15552345678", PiiKind::Phone, "+15552345678"),
            ("| `jane@example.com` |", PiiKind::Email, "jane@example.com"),
        ] {
            assert_eq!(scan_all(text), vec![(kind, value)], "{text}");
        }
        // an escaped backslash is not an escape: `\\n` then the word `nate`
        assert_eq!(
            scan_all(r"C:\\nate@example.com"),
            vec![(PiiKind::Email, "nate@example.com")]
        );
        // a value still does not start inside a word
        assert_eq!(scan_all(r"\nid4111111111111111"), vec![]);
        assert_eq!(scan_all("id_4111111111111111"), vec![]);
    }

    #[test]
    fn obfuscated_values_are_found_and_spans_cover_the_original() {
        for (text, kind, value) in [
            (
                "card ４１１１ １１１１ １１１１ １１１１.",
                PiiKind::Card,
                "４１１１ １１１１ １１１１ １１１１",
            ),
            (
                "j\u{200B}ane@example.com",
                PiiKind::Email,
                "j\u{200B}ane@example.com",
            ),
            (
                "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ",
                PiiKind::Email,
                "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ",
            ),
            (
                "4111\u{0}1111\u{0}1111\u{0}1111",
                PiiKind::Card,
                "4111\u{0}1111\u{0}1111\u{0}1111",
            ),
            (
                "ssn 123\u{AD}-45-6789\u{200B}!",
                PiiKind::Ssn,
                "123\u{AD}-45-6789",
            ),
            (
                "\u{FEFF}DE89 3704 0044 0532 0130 00",
                PiiKind::Iban,
                "DE89 3704 0044 0532 0130 00",
            ),
            (
                "电话 +٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨。",
                PiiKind::Phone,
                "+٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨",
            ),
            (
                "AKIA\u{200D}IOSFODNN7EXAMPLE",
                PiiKind::Secret,
                "AKIA\u{200D}IOSFODNN7EXAMPLE",
            ),
            (
                "+33\u{A0}1\u{A0}23\u{A0}45\u{A0}67\u{A0}89",
                PiiKind::Phone,
                "+33\u{A0}1\u{A0}23\u{A0}45\u{A0}67\u{A0}89",
            ),
            ("é 10.0.0.1 日本", PiiKind::Ip, "10.0.0.1"),
        ] {
            assert_eq!(scan_all(text), vec![(kind, value)], "{text:?}");
        }
        assert_eq!(scan_all("café ２０２４ 日本"), vec![]);
    }

    #[test]
    fn hard_negatives_stay_clean() {
        for text in [
            r"C:\new\tmp\build\x64\Release\app.exe",
            r"C:\Users\bob\Documents\report_2024.docx",
            r"re.compile(r'\d{3}-\d{2}-\d{4}') and \b\w+@\w+\.com\b",
            "printf(\"total: %d\\n\", n); puts(\"a\\tb\");",
            "**bold** and __under__ with `code` and <b>tags</b> | cells |",
            "naïve café — «quotes» ２０２４年 ４月",
        ] {
            assert_eq!(scan_all(text), vec![], "{text}");
        }
    }

    #[test]
    fn appends_after_existing_matches() {
        let mut out = vec![PiiMatch::new(PiiKind::Ip, 0, 100)];
        PiiScanner::new(&PiiKind::ALL).scan("a@example.com", &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1], PiiMatch::new(PiiKind::Email, 0, 13));
    }

    /// Random texts, from single characters and from pieces of PII, keep
    /// every promise of `scan`.
    #[test]
    fn never_panics_and_spans_are_char_boundaries() {
        const PIECES: &[&str] = &[
            "0",
            "1",
            "4111",
            "9",
            " ",
            ".",
            "-",
            ":",
            "::",
            "+",
            "(",
            ")",
            "@",
            "_",
            "a",
            "A",
            "e",
            "é",
            "日",
            "\u{1F600}",
            "sk-",
            "Ab1",
            "eyJ",
            "hbGciOiJIUzI1NiJ9",
            "ghp_",
            "github_pat_",
            "AKIA",
            "AIza",
            "xoxb-",
            "sk_live_",
            "-----BEGIN ",
            "RSA ",
            "PRIVATE KEY-----",
            "DE89",
            " 3704",
            "john",
            "@example",
            ".com",
            "+1 ",
            "(555) ",
            "234-5678",
            "123-45-",
            "6789",
            "192.168.",
            "fe80",
            "ffff:",
            "10.0.0.1",
            "SSN ",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        let scanner = PiiScanner::new(&PiiKind::ALL);
        let mut out = Vec::new();
        for _ in 0..6000 {
            let len = rng.usize(0..60);
            let text: String = (0..len)
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            out.clear();
            scanner.scan(&text, &mut out);
            for pair in out.windows(2) {
                assert!(pair[0].span.end <= pair[1].span.start, "{text:?}");
            }
            for m in &out {
                assert!(!m.span.is_empty(), "{text:?}");
                assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
                assert!(m.span.len() <= scanner.max_match_len(), "{text:?}");
                let single = PiiScanner::new(&[m.kind]);
                assert!(single.max_match_len() >= m.span.len(), "{text:?}");
            }
        }
    }

    /// Random texts with pieces the fold changes keep the promises of
    /// `scan`, and a value hidden by invisible characters is still found.
    #[test]
    fn folded_scans_keep_their_promises() {
        const PIECES: &[&str] = &[
            "4111", " ", "1111", "\u{200B}", "\u{0}", "\\n", "\\", "n", "４", "１", "＠", "@",
            "jane", "example", ".", ".com", "+44", "-", "\u{A0}", "日", "é", "DE89", "AKIA", "_",
            "**", "\u{FEFF}", "\\u00a0", "0",
        ];
        let mut rng = fastrand::Rng::with_seed(5);
        let scanner = PiiScanner::new(&PiiKind::ALL);
        let mut out = Vec::new();
        for _ in 0..6000 {
            let len = rng.usize(0..40);
            let text: String = (0..len)
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            out.clear();
            scanner.scan(&text, &mut out);
            for pair in out.windows(2) {
                assert!(pair[0].span.end <= pair[1].span.start, "{text:?}");
            }
            for m in &out {
                assert!(!m.span.is_empty(), "{text:?}");
                assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
            }
            // removing every invisible character and NUL finds the same kinds
            // (unless one splits a run of backslashes, which changes escapes)
            let hidden = ['\u{200B}', '\u{0}', '\u{FEFF}'];
            let splits_escape = hidden
                .iter()
                .any(|h| text.contains(&format!("\\{h}")) || text.contains(&format!("{h}\\")));
            if splits_escape {
                continue;
            }
            let visible: String = text.chars().filter(|c| !hidden.contains(c)).collect();
            let mut plain = Vec::new();
            scanner.scan(&visible, &mut plain);
            let kinds = |v: &[PiiMatch]| v.iter().map(|m| m.kind).collect::<Vec<_>>();
            assert_eq!(kinds(&out), kinds(&plain), "{text:?} / {visible:?}");
        }
    }

    #[test]
    fn the_chunked_skip_never_misses_an_interesting_byte() {
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..2000 {
            let len = rng.usize(0..40);
            let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            for from in 0..=len {
                let expected = (from..len).find(|&k| class_of(bytes[k]) & INTERESTING != 0);
                assert_eq!(
                    next_interesting::<false>(&bytes, from),
                    expected,
                    "{bytes:?} from {from}"
                );
                let expected = (from..len)
                    .find(|&k| class_of(bytes[k]) & INTERESTING != 0 || fold::is_suspect(bytes[k]));
                assert_eq!(
                    next_interesting::<true>(&bytes, from),
                    expected,
                    "watching: {bytes:?} from {from}"
                );
            }
        }
    }

    #[test]
    fn huge_runs_terminate() {
        let scanner = PiiScanner::new(&PiiKind::ALL);
        let mut out = Vec::new();
        for unit in [
            "9", "1.", "1:", "a@", "@a.", "eyJa-", "sk-Ab1-", "4111 ", "DE89 ", "+1 ", "::",
        ] {
            out.clear();
            scanner.scan(&unit.repeat(200_000 / unit.len()), &mut out);
        }
        scanner.scan("", &mut out);
    }

    /// About `bytes` of English prose (prompts and answers), one sentence
    /// in 40 carrying a piece of PII.
    #[cfg(not(target_arch = "wasm32"))]
    fn prose(bytes: usize) -> String {
        const SENTENCES: &[&str] = &[
            "Please summarise the following document in five bullet points for a busy executive.",
            "The quarterly report shows that revenue grew by 12 percent while costs stayed flat.",
            "You are a helpful assistant that answers questions about our product clearly and politely.",
            "When the customer asks about billing, explain the steps and link to the help centre.",
            "In 2023 the team shipped three major releases and fixed more than 400 bugs.",
            "Write a short poem about the sea, the wind and the long summer evenings.",
            "Could you translate this paragraph into French and keep the formal tone?",
            "The meeting has been moved to Thursday at 10:30, right after the design review.",
            "Our new pricing starts at $29.99 per seat per month, with discounts for annual plans.",
            "I think the main problem is that the cache is invalidated far too often under load.",
            "Explain the difference between a process and a thread as if I were a new student.",
            "After reading the article, list the three arguments the author finds most convincing.",
            "The library was upgraded to version 2.4.1, which changes how errors are reported.",
            "She said the results were surprising, but the sample size was small and noisy.",
            "Generate a friendly reply that thanks the user and asks for the order details.",
            "Most of the latency comes from the database, not from the network or the model itself.",
            "Rewrite this email so that it sounds confident without being rude to the reader.",
            "The Kubernetes cluster runs on six nodes, and each node has 64 GB of memory.",
            "What are the main risks of deploying a language model without any content filtering?",
            "He walked to the station, bought a coffee, and waited for the delayed train.",
            "Summarise the customer feedback from last week and group it by product area.",
            "Use short sentences, avoid jargon, and give one concrete example for each point.",
            "The experiment compared two prompts, and the second one was preferred by most users.",
            "If the request fails, retry twice with a short back-off before giving up.",
        ];
        const PII: &[&str] = &[
            "You can reach me at jane.doe@example.com or on +44 20 7946 0958 after six.",
            "My number is (555) 234-5678 and my SSN is 123-45-6789, please keep it private.",
            "Charge the card 4111 1111 1111 1111 and send the receipt to billing@example.org.",
            "The server at 10.0.0.1 talks to fe80::1 over the management network.",
            "Wire the money to DE89 3704 0044 0532 0130 00 before Friday.",
            "Here is the key AKIAIOSFODNN7EXAMPLE that I found in the old config file.",
        ];
        let mut rng = fastrand::Rng::with_seed(42);
        let mut text = String::with_capacity(bytes + 256);
        while text.len() < bytes {
            let sentence = if rng.usize(..40) == 0 {
                PII[rng.usize(..PII.len())]
            } else {
                SENTENCES[rng.usize(..SENTENCES.len())]
            };
            text.push_str(sentence);
            text.push(if rng.usize(..6) == 0 { '\n' } else { ' ' });
        }
        text
    }

    /// About `bytes` of service logs: dense with numbers, timestamps, hex
    /// ids and addresses, the worst case for the number detectors.
    #[cfg(not(target_arch = "wasm32"))]
    fn logs(bytes: usize) -> String {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut text = String::with_capacity(bytes + 256);
        while text.len() < bytes {
            let line = format!(
                "2024-05-{:02}T10:{:02}:{:02}Z INFO req={:08x} user_id={} from 10.{}.{}.{} \
                 took {}.{}ms status={} bytes={} version=1.{}.{}\n",
                rng.u8(1..29),
                rng.u8(..60),
                rng.u8(..60),
                rng.u32(..),
                rng.u32(..1_000_000),
                rng.u8(..),
                rng.u8(..),
                rng.u8(..),
                rng.u16(..1000),
                rng.u8(..10),
                [200, 201, 404, 500][rng.usize(..4)],
                rng.u32(..100_000),
                rng.u8(..20),
                rng.u8(..20),
            );
            text.push_str(&line);
        }
        text
    }

    /// Median MB/s of `scan` over `text`, with min and max of 15 rounds.
    #[cfg(not(target_arch = "wasm32"))]
    fn measure(name: &str, text: &str) {
        let scanner = PiiScanner::new(&PiiKind::ALL);
        let mut out = Vec::new();
        let mut rates = Vec::new();
        for _ in 0..15 {
            out.clear();
            let started = std::time::Instant::now();
            scanner.scan(std::hint::black_box(text), &mut out);
            let secs = started.elapsed().as_secs_f64();
            rates.push(text.len() as f64 / secs / 1e6);
        }
        rates.sort_by(f64::total_cmp);
        println!(
            "pii scan, {name}: {} bytes, {} matches, median {:.0} MB/s (min {:.0}, max {:.0})",
            text.len(),
            out.len(),
            rates[rates.len() / 2],
            rates[0],
            rates[rates.len() - 1]
        );
    }

    /// `cargo test --release -p llm-policy-core pii -- --ignored --nocapture`
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    #[ignore]
    fn pii_scan_throughput() {
        measure("English prose", &prose(1 << 20));
        measure("service logs", &logs(1 << 20));
    }
}
