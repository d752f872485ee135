//! Context words: the Presidio rule for shapes that are ambiguous alone.
//!
//! A 12-digit Maestro number, a national phone number of a country other
//! than NANP (`020 7946 0958`, `0412 345 678`) or a bare 8–12 digit run is
//! only reported when a context word for its kind starts within
//! [`WINDOW`] bytes before the value, or (phones) follows it over a few
//! filler words ([`after_value`]: `0888 926316 is my mobile`). Matching is ASCII case-insensitive
//! and starts at a word start (the byte before is not an ASCII letter);
//! a word marked *whole* must also end there (`tel` matches `Tel:` and
//! `tel.` but not `tell`), the others may run on (`phone` matches `phones`,
//! `call` matches `calling`). Non-ASCII words (`電話`, `téléphone`) are
//! compared byte for byte.
//!
//! A national phone number also counts as named when it is the value of a
//! labelled line ([`labelled`]): a signature's `T:`, `M:`, `P.`,
//! `Direct:`, … at the start of a line or item, the value ending it. The
//! short labels are never phone words elsewhere (`Step 3 M: 4155550132
//! units` is not a phone).

use super::classes::{at, before};

/// How far before a value its context word may start, in bytes.
pub(super) const WINDOW: usize = 40;

/// (word, whole): `whole` words must not run on into more letters.
type Words = &'static [(&'static [u8], bool)];

/// A word list (at most 128 words) indexed by first byte: for each byte, the
/// set of words starting with it in either case, so a word start in the
/// window costs one lookup and only the words that can match are compared.
pub(super) struct WordSet {
    words: Words,
    by_first: [u128; 256],
}

impl WordSet {
    const fn new(words: Words) -> WordSet {
        let mut by_first = [0u128; 256];
        let mut i = 0;
        while i < words.len() && i < 128 {
            if let Some(&b) = words[i].0.first() {
                by_first[b.to_ascii_lowercase() as usize] |= 1u128 << i;
                by_first[b.to_ascii_uppercase() as usize] |= 1u128 << i;
            }
            i += 1;
        }
        WordSet { words, by_first }
    }

    /// Whether one of the words starts at `i`.
    fn at(&self, bytes: &[u8], i: usize) -> bool {
        self.end_at(bytes, i).is_some()
    }

    /// The end of a word of the set starting at `i`.
    fn end_at(&self, bytes: &[u8], i: usize) -> Option<usize> {
        let mut candidates = self
            .by_first
            .get(usize::from(at(bytes, i)))
            .copied()
            .unwrap_or(0);
        while candidates != 0 {
            let k = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if let Some(w) = self.words.get(k).filter(|w| word_at(bytes, i, w)) {
                return Some(i + w.0.len());
            }
        }
        None
    }
}

/// Words that make a number a phone number.
pub(super) static PHONE: WordSet = WordSet::new(PHONE_WORDS);
/// Words after a number that name it a phone number (devices such as
/// `iPhone` and verbs such as `call` are left out).
pub(super) static PHONE_AFTER: WordSet = WordSet::new(PHONE_AFTER_WORDS);

const PHONE_AFTER_WORDS: Words = &[
    (b"phone", false),
    (b"telephone", false),
    (b"cellphone", false),
    (b"tel", true),
    (b"mobile", false),
    (b"mob", true),
    (b"cell", false),
    (b"whatsapp", false),
    (b"fax", false),
    (b"landline", false),
    (b"hotline", false),
    (b"helpline", false),
    (b"my number", false),
    (b"our number", false),
    (b"his number", false),
    (b"her number", false),
    (b"their number", false),
];

/// Words that make a number a payment card number.
pub(super) static CARD: WordSet = WordSet::new(CARD_WORDS);

const PHONE_WORDS: Words = &[
    (b"phone", false),
    (b"telephone", false),
    (b"smartphone", false),
    (b"iphone", false),
    (b"tel", true),
    (b"tels", true),
    (b"tlf", true),
    (b"ph", true),
    (b"call", false),
    (b"mobil", false),
    (b"mob", true),
    (b"cell", false),
    (b"gsm", true),
    (b"whatsapp", false),
    (b"viber", true),
    (b"signal", true),
    (b"fax", false),
    (b"contact", false),
    (b"kontakt", false),
    (b"reach me", false),
    (b"reach us", false),
    (b"reach out", false),
    (b"text", true),
    (b"sms", true),
    (b"dial", false),
    (b"ring", true),
    (b"landline", false),
    (b"hotline", false),
    (b"helpline", false),
    (b"my number", false),
    (b"your number", false),
    (b"his number", false),
    (b"her number", false),
    (b"our number", false),
    (b"their number", false),
    (b"number to call", false),
    (b"number is", false),
    (b"telefon", false),
    (b"telefoon", false),
    (b"mobiel", false),
    (b"rufnummer", false),
    (b"durchwahl", false),
    (b"festnetz", false),
    (b"telem\xc3\xb3vel", false),
    (b"tfn", true),
    (b"cel", true),
    (b"natel", true),
    (b"handynummer", false),
    (b"zentrale", true),
    (b"centralino", true),
    (b"matkapuhelin", false),
    (b"kom\xc3\xb3rka", false),
    // `tel` (whole) also matches `teléfono`, `tél`, `téléphone`: a
    // non-ASCII byte after it is not an ASCII letter
    (b"t\xc3\xa9l", true),
    (b"handy", true),
    (b"m\xc3\xb3vil", false),
    (b"movil", false),
    (b"celular", false),
    (b"portable", false),
    (b"puhelin", false),
    (b"puh", true),
    (b"\xe7\x94\xb5\xe8\xaf\x9d", false), // 电话
    (b"\xe9\x9b\xbb\xe8\xa9\xb1", false), // 電話
    (b"\xe6\x89\x8b\xe6\x9c\xba", false), // 手机
    (b"\xe6\x90\xba\xe5\xb8\xaf", false), // 携帯
    (b"\xec\xa0\x84\xed\x99\x94", false), // 전화
    (b"\xd1\x82\xd0\xb5\xd0\xbb", false), // тел
    (b"\xd0\xa2\xd0\xb5\xd0\xbb", false), // Тел
    (b"\xd0\xa2\xd0\x95\xd0\x9b", false), // ТЕЛ
    (b"\xd0\xbc\xd0\xbe\xd0\xb1", false), // моб
    (b"\xd0\x9c\xd0\xbe\xd0\xb1", false), // Моб
];

const CARD_WORDS: Words = &[
    (b"card", false),
    (b"mastercard", false),
    (b"creditcard", false),
    (b"credit", false),
    (b"debit", false),
    (b"maestro", false),
    (b"visa", false),
    (b"amex", true),
    (b"cc", true),
    (b"ccn", true),
    (b"pan", true),
    (b"payment", false),
    (b"pay", true),
    (b"paying", true),
    (b"paypal", true),
    (b"paid", true),
    (b"charge", false),
    (b"billing", false),
    (b"cvv", false),
    (b"cvc", false),
    (b"expiry", false),
    (b"tarjeta", false),
    (b"carte", false),
    (b"karte", false),
    (b"kreditkarte", false),
    (b"kart", false),
    (b"carta", false),
    (b"cart\xc3\xa3o", false),
    (b"\xd0\xba\xd0\xb0\xd1\x80\xd1\x82", false), // карт
];

/// Words naming an identifier: a number right after one (`order 020 7946
/// 0958`, `ticket #123456789`, `invoice no. 4155550132`) is not a phone or
/// card number, whatever context word came before.
const ID_WORDS: &[&[u8]] = &[
    b"order",
    b"part",
    b"model",
    b"invoice",
    b"ticket",
    b"account",
    b"acct",
    b"ref",
    b"reference",
    b"id",
    b"tracking",
    b"case",
    b"booking",
    b"confirmation",
    b"serial",
    b"po",
    b"sku",
    b"isbn",
    b"version",
    b"build",
    b"transaction",
    b"receipt",
    b"policy",
    b"customer",
    b"member",
    b"ip",
    b"zip",
    b"postcode",
    b"code",
    b"pin",
    b"imei",
    b"imsi",
    b"iccid",
    b"meid",
    b"ean",
    b"gtin",
    b"upc",
    b"barcode",
    b"batch",
    b"lot",
];

/// Words naming a bank account: a Luhn-valid run of digits right after
/// one (`Account number: 3004304775392844`, `Kontonummer 5057…`) is a
/// bank account number (BBAN), not a card.
const ACCOUNT_WORDS: &[&[u8]] = &[
    b"account",
    b"acct",
    b"bban",
    b"konto",
    b"kontonr",
    b"kontonummer",
    b"cuenta",
    b"compte",
    b"conto",
    b"rekening",
    b"rekeningnummer",
    b"routing",
];

/// Whether the word right before `start` (over `:`, `#`, `.`, spaces and
/// an optional `number`/`no`/`nr`/`num`/`id`) names an identifier.
pub(super) fn id_word_before(bytes: &[u8], start: usize) -> bool {
    word_before_in(bytes, start, ID_WORDS)
}

/// Whether the word right before `start`, as for [`id_word_before`],
/// names a bank account.
pub(super) fn account_word_before(bytes: &[u8], start: usize) -> bool {
    word_before_in(bytes, start, ACCOUNT_WORDS)
}

fn word_before_in(bytes: &[u8], start: usize, words: &[&[u8]]) -> bool {
    let mut i = skip_back(bytes, start);
    for _ in 0..3 {
        let word = word_before(bytes, i);
        if words.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            return true;
        }
        let filler = [b"number".as_slice(), b"no", b"nr", b"num", b"is"];
        if !filler.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            return false;
        }
        i = skip_back(bytes, i - word.len());
    }
    false
}

/// Back from `i` over spaces and `: # . = -`, at most 4 bytes.
fn skip_back(bytes: &[u8], mut i: usize) -> usize {
    let floor = i.saturating_sub(4);
    while i > floor && matches!(before(bytes, i, 1), b' ' | b':' | b'#' | b'.' | b'=' | b'-') {
        i -= 1;
    }
    i
}

/// The ASCII letters right before `i` (at most 16).
fn word_before(bytes: &[u8], i: usize) -> &[u8] {
    let mut s = i;
    while s > 0 && i - s < 16 && before(bytes, s, 1).is_ascii_alphabetic() {
        s -= 1;
    }
    bytes.get(s..i).unwrap_or(&[])
}

/// Whether a phone word starts within [`WINDOW`] bytes before the value
/// at `start..end` ([`before_value`] with [`PHONE`]) or a line's label
/// names it ([`labelled`]): what makes a national number or a bare run a
/// phone.
pub(super) fn phone_before(bytes: &[u8], start: usize, end: usize) -> bool {
    before_value(bytes, start, &PHONE) || labelled(bytes, start, end)
}

/// Whether a phone word names the value at `start..end`: one before it
/// ([`phone_before`]) or one after it ([`after_value`] with
/// [`PHONE_AFTER`]: `0888 926316 is my mobile`).
pub(super) fn names_phone(bytes: &[u8], start: usize, end: usize) -> bool {
    phone_before(bytes, start, end) || after_value(bytes, end, &PHONE_AFTER) == Some(true)
}

/// Labels of contact lines in signatures and address blocks (`T: 0161 496
/// 0000`, `M 07700 900123`, `P. 020 7946 0958`, `Direct: …`, `DDI …`):
/// too short or too common to be phone words in prose (`T`, `Direct`,
/// `Office`), so only [`labelled`] reads them.
const LABELS: &[&[u8]] = &[
    b"t",
    b"m",
    b"p",
    b"f",
    b"d",
    b"w",
    b"h",
    b"c",
    b"o",
    b"direct",
    b"direct line",
    b"direct dial",
    b"dd",
    b"ddi",
    b"office",
    b"main",
    b"main line",
    b"work",
    b"home",
    b"switchboard",
    b"tfn",
];

/// Whether the value at `start..end` is a line's labelled value: one of
/// [`LABELS`] right before it, over `:`, `.` or spaces (at least one of
/// them, at most 3 spaces: `T: `, `P. `, `M `, `T:`, `Tfn. :`); only
/// spaces back from the label to the start of the text, of a line or of
/// an item (after `|`, `;`, `•`, `·`, `>`, `-`, `*`); and the value ending
/// its item ([`ends_item`]). So `Step 3 M: 4155550132 units` and `T:
/// 01-2345-678 is the part I need` are not labelled phones; `T: 0161
/// 4960000` on a signature line and `Anna | M: 07700 900123 | …` are.
pub(super) fn labelled(bytes: &[u8], start: usize, end: usize) -> bool {
    let mut i = start;
    let mut spaces = 0;
    while spaces < 3 && matches!(before(bytes, i, 1), b' ' | b'\t') {
        i -= 1;
        spaces += 1;
    }
    if before(bytes, i, 1) == b':' {
        i -= 1;
        if before(bytes, i, 1) == b' ' {
            i -= 1;
        }
    }
    if before(bytes, i, 1) == b'.' {
        i -= 1;
    }
    if i == start || !before(bytes, i, 1).is_ascii_alphabetic() || !ends_item(bytes, end) {
        return false;
    }
    LABELS.iter().any(|label| {
        i.checked_sub(label.len()).is_some_and(|s| {
            bytes
                .get(s..i)
                .is_some_and(|w| w.eq_ignore_ascii_case(label))
                && item_start(bytes, s)
        })
    })
}

/// Whether only spaces stand between `i` and the start of the text, a
/// line, or an item of a one-line list (`|`, `;`, `•`, `·`, `>`, `-`, `*`,
/// or a tab or two spaces: `T: 030 12345678  M: 0151 23456789`).
fn item_start(bytes: &[u8], mut i: usize) -> bool {
    let floor = i.saturating_sub(8);
    let from = i;
    while i > floor && matches!(before(bytes, i, 1), b' ' | b'\t') {
        i -= 1;
    }
    if from - i >= 2 || before(bytes, from, 1) == b'\t' {
        return true;
    }
    match before(bytes, i, 1) {
        0 => i == 0,
        b'\n' | b'\r' | b'|' | b';' | b'>' | b'-' | b'*' => true,
        // • (U+2022), · (U+00B7)
        0xa2 => before(bytes, i, 2) == 0x80 && before(bytes, i, 3) == 0xe2,
        0xb7 => before(bytes, i, 2) == 0xc2,
        _ => false,
    }
}

/// Whether a labelled value ending at `end` ends its item: spaces, then
/// the end of the text or of the line, an item separator (`|`, `;`, `,`,
/// `/`, `•`, `·`), a bracket, or the next label (a word of at most 12
/// letters, then `:` or `.`: `T: 0161 4960000  M: 07700 900123`, `E:`).
fn ends_item(bytes: &[u8], mut end: usize) -> bool {
    let ceiling = end.saturating_add(4);
    while end < ceiling && matches!(at(bytes, end), b' ' | b'\t') {
        end += 1;
    }
    match at(bytes, end) {
        0 => end >= bytes.len(),
        b'\n' | b'\r' | b'|' | b';' | b',' | b'/' | b'(' | b'[' => true,
        // • (U+2022), · (U+00B7)
        0xe2 => at(bytes, end + 1) == 0x80 && at(bytes, end + 2) == 0xa2,
        0xc2 => at(bytes, end + 1) == 0xb7,
        b if b.is_ascii_alphabetic() => {
            let mut k = end;
            while k - end < 12 && at(bytes, k).is_ascii_alphabetic() {
                k += 1;
            }
            matches!(at(bytes, k), b':' | b'.') && !at(bytes, k + 1).is_ascii_alphanumeric()
        }
        _ => false,
    }
}

/// Whether one of `words` starts within [`WINDOW`] bytes before `start`,
/// and is not followed by a word naming a topic (`I called about 20070531`,
/// `contact regarding 61264-6486`: what follows is what the call was
/// about, not the number to call).
pub(super) fn before_value(bytes: &[u8], start: usize, set: &WordSet) -> bool {
    let from = start.saturating_sub(WINDOW);
    (from..start).any(|i| {
        set.by_first
            .get(usize::from(at(bytes, i)))
            .is_some_and(|&m| m != 0)
            && starts_word(bytes, i)
            && set
                .end_at(bytes, i)
                .is_some_and(|end| !topic_follows(bytes, end) && !in_code_name(bytes, i, end))
    })
}

/// Common words that name a phone only as words of prose: inside a code
/// name (`XDP_TX_RING: u32 = 2147483648`, `TEXT_MAX = 4294967296`,
/// `signal_mask`) they name something else, while `home_phone` and
/// `tel_no` keep naming a phone.
const PROSE_ONLY: &[&[u8]] = &[b"ring", b"text", b"signal", b"sms", b"dial", b"call"];

/// Whether the word at `start..end` is one of [`PROSE_ONLY`] joined to a
/// code name by `_` on either side.
fn in_code_name(bytes: &[u8], start: usize, end: usize) -> bool {
    (before(bytes, start, 1) == b'_' || at(bytes, end) == b'_')
        && bytes
            .get(start..end)
            .is_some_and(|w| PROSE_ONLY.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

/// Whether, after the rest of the word ending at `end`, one space and
/// an optional object (`me`, `us`, `him`, `her`, `them`), `about` or
/// `regarding` follows (`call me about`, `contact us regarding`).
fn topic_follows(bytes: &[u8], mut end: usize) -> bool {
    while at(bytes, end).is_ascii_alphabetic() {
        end += 1;
    }
    if at(bytes, end) != b' ' {
        return false;
    }
    let objects: [&[u8]; 5] = [b"me", b"us", b"him", b"her", b"them"];
    if let Some(object) = objects.iter().find(|w| word_at(bytes, end + 1, &(w, true))) {
        end += 1 + object.len();
        if at(bytes, end) != b' ' {
            return false;
        }
    }
    [b"about".as_slice(), b"regarding"]
        .iter()
        .any(|w| word_at(bytes, end + 1, &(w, true)))
}

/// Words that may stand between a value and a context word after it
/// (`0888 926316 is my mobile`, `6844364697 (our office landline)`).
const AFTER_FILLERS: &[&[u8]] = &[
    b"is",
    b"was",
    b"my",
    b"our",
    b"his",
    b"her",
    b"their",
    b"the",
    b"as",
    b"on",
    b"via",
    b"its",
    b"it's",
    b"which",
    b"office",
    b"home",
    b"work",
    b"personal",
    b"private",
    b"direct",
];

/// Most filler words skipped after a value.
const AFTER_MAX_FILLERS: usize = 3;

/// Whether one of `words` follows the value ending at `end`, with nothing
/// but spaces, brackets, dashes, commas, colons, slashes and at most
/// [`AFTER_MAX_FILLERS`] words of [`AFTER_FILLERS`] between
/// (`0888 926316 is my mobile`, `0650 61 23 10 (mobile)`, `… – cell`):
/// Presidio's context rule also looks after the value. A sentence end or a
/// line break stops the search. `None`: the text ends before it can tell
/// (a stream may hold the value until more arrives).
pub(super) fn after_value(bytes: &[u8], end: usize, set: &WordSet) -> Option<bool> {
    let mut i = end;
    let mut fillers = 0;
    let limit = end.saturating_add(WINDOW);
    while i < limit {
        if i >= bytes.len() {
            return None;
        }
        let b = at(bytes, i);
        if matches!(
            b,
            b' ' | b'(' | b')' | b'[' | b']' | b'-' | b',' | b':' | b'/' | b'|'
        ) {
            i += 1;
            continue;
        }
        // en and em dashes
        if b == 0xe2 && at(bytes, i + 1) == 0x80 && matches!(at(bytes, i + 2), 0x93 | 0x94) {
            i += 3;
            continue;
        }
        if !starts_word(bytes, i) {
            return Some(false);
        }
        if set.at(bytes, i) {
            return Some(true);
        }
        let mut word_end = i;
        while at(bytes, word_end).is_ascii_alphabetic() || at(bytes, word_end) == b'\'' {
            word_end += 1;
        }
        if word_end >= bytes.len() {
            return None; // a word still arriving
        }
        let word = bytes.get(i..word_end).unwrap_or(&[]);
        if fillers == AFTER_MAX_FILLERS
            || !AFTER_FILLERS.iter().any(|f| word.eq_ignore_ascii_case(f))
        {
            return Some(false);
        }
        fillers += 1;
        i = word_end;
    }
    Some(false)
}

/// An ASCII letter (or a non-ASCII lead byte) not preceded by a letter.
fn starts_word(bytes: &[u8], i: usize) -> bool {
    let b = at(bytes, i);
    (b.is_ascii_alphabetic() || b >= 0xc0) && !before(bytes, i, 1).is_ascii_alphabetic()
}

fn word_at(bytes: &[u8], i: usize, &(word, whole): &(&[u8], bool)) -> bool {
    let Some(here) = bytes.get(i..i + word.len()) else {
        return false;
    };
    here.eq_ignore_ascii_case(word) && !(whole && at(bytes, i + word.len()).is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn phone_ctx(text: &str) -> bool {
        before_value(text.as_bytes(), text.len(), &PHONE)
    }

    #[test]
    fn phone_words() {
        for yes in [
            "Phone: ",
            "call me on ",
            "Tel. ",
            "my mobile is ",
            "WhatsApp ",
            "reach me at ",
            "my number is ",
            "telephone ",
            "电话",
            "Call me, the number is definitely ",
            "ph# ",
            "Ph. ",
            "Tlf: ",
            "Puhelin: ",
            "Тел.: ",
            "Mobil: ",
            "you can text ",
            "Viber: ",
            "Telefoon: ",
            "Mobiel ",
            "Durchwahl: ",
            "Telemóvel: ",
            "Tfn. ",
            "Cel.: ",
            "home_phone: ",
            "\"tel_no\": \"",
        ] {
            assert!(phone_ctx(yes), "{yes:?}");
        }
        for no in [
            "order ",
            "tell me about ",
            "the hotel room ",
            "a celebrity ",
            "invoice number ",
            "I called about ",
            "contact us regarding ",
            "",
            "a sentence that once said phone, but that was a long while ago, and then ",
            "pub const XDP_TX_RING: u32 = ",
            "TEXT_MAX = ",
            "signal_mask = ",
            "CALL_TIMEOUT_MS = ",
        ] {
            assert!(!phone_ctx(no), "{no:?}");
        }
    }

    #[test]
    fn phone_words_after() {
        let after = |t: &str| after_value(t.as_bytes(), 0, &PHONE_AFTER) == Some(true);
        for yes in [
            " is my mobile",
            " (mobile)",
            " – cell",
            " - my WhatsApp",
            ", our office landline",
            " is my number",
            ": tel",
        ] {
            assert!(after(yes), "{yes:?}");
        }
        for no in [
            " for the new iPhone",
            ". My phone broke",
            "\nphone",
            " units shipped, call us",
            " is the number of rows",
            " is my iPhone",
            "",
        ] {
            assert!(!after(no), "{no:?}");
        }
    }

    #[test]
    fn phone_words_after_may_still_come() {
        let after = |t: &str| after_value(t.as_bytes(), 0, &PHONE_AFTER);
        assert_eq!(after(" is my"), None);
        assert_eq!(after(" (mob"), Some(true));
        assert_eq!(after(" is my mo"), None);
        assert_eq!(after(" is "), None);
        assert_eq!(after(" for"), None);
        assert_eq!(after(" for "), Some(false));
        assert_eq!(after(". My"), Some(false));
    }

    #[test]
    fn line_labels() {
        // the value is the whole of `text` after the label
        let labelled_value = |text: &str, value: &str| {
            let start = text.find(value).unwrap_or(0);
            labelled(text.as_bytes(), start, start + value.len())
        };
        for (yes, value) in [
            ("T: 0161 4960000", "0161 4960000"),
            (
                "Kind regards\nAnna\nM 07700 900123\nE: a@b.c",
                "07700 900123",
            ),
            (
                "Anna | P. 020 7946 0958 | www.acme.example",
                "020 7946 0958",
            ),
            ("Direct: 4904858199055", "4904858199055"),
            ("T: 030 12345678  M: 0151 23456789", "0151 23456789"),
            ("T:030 12345678, M: 0151", "030 12345678"),
            ("- W: 89 2008-1495 (office)", "89 2008-1495"),
            ("  DDI: 0161 4960000\r\n", "0161 4960000"),
        ] {
            assert!(labelled_value(yes, value), "{yes:?}");
        }
        for (no, value) in [
            ("Step 3 M: 4155550132 units", "4155550132"),
            ("T: 12-3456-789 is the part I need", "12-3456-789"),
            ("Size M: 1234567", "1234567"),
            ("T- 0161 4960000", "0161 4960000"),
            ("TM: 0161 4960000", "0161 4960000"),
            ("0161 4960000", "0161 4960000"),
            ("T:    0161 4960000", "0161 4960000"),
        ] {
            assert!(!labelled_value(no, value), "{no:?}");
        }
    }

    #[test]
    fn identifier_words() {
        let id = |t: &str| id_word_before(t.as_bytes(), t.len());
        for yes in [
            "order ",
            "Order #",
            "ticket no. ",
            "invoice number: ",
            "ref:",
            "Booking ID ",
            "order number is ",
        ] {
            assert!(id(yes), "{yes:?}");
        }
        for no in ["call me on ", "my number is ", "", "phone: ", "reorder"] {
            assert!(!id(no), "{no:?}");
        }
    }

    #[test]
    fn word_sets_index_every_word() {
        for set in [&PHONE, &PHONE_AFTER, &CARD] {
            assert!(set.words.len() <= 128);
            for (k, &(w, _)) in set.words.iter().enumerate() {
                assert!(set.by_first[usize::from(w[0])] & (1 << k) != 0);
                assert!(set.at(w, 0), "{w:?}");
            }
        }
    }

    #[test]
    fn card_words() {
        let card = |t: &str| before_value(t.as_bytes(), t.len(), &CARD);
        assert!(card("my Maestro ends "));
        assert!(card("CC: "));
        assert!(card("card number "));
        assert!(!card("accept "));
        assert!(!card("account "));
        assert!(!card("occasionally "));
    }
}
