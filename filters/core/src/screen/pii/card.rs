//! Payment card numbers.
//!
//! Matches 12–19 digits written either as one unbroken run
//! (`4111111111111111`) or in groups joined by single spaces or single
//! dashes, the same separator throughout: a first group of 4 digits, then
//! groups of 3–6 (`4111 1111 1111 1111`, Amex `3782-822463-10005`, Diners
//! `3056 930902 5904`, `6212 3456 7890 1234 565`), or groups of 4 and a
//! last group of 1–2 (`4670-1341-3013-3`, `6759-1234-5678-9012-34`: cards
//! cut into fours; not when a `/` follows, an expiry month), when the
//! number passes the Luhn check AND has a known issuer prefix for its
//! length:
//!
//! | issuer | prefix | digits |
//! |---|---|---|
//! | Visa | 4 | 13, 16, 19 |
//! | Mastercard | 51–55, 2221–2720 | 16 |
//! | Mir | 2200–2204 | 16–19 |
//! | American Express | 34, 37 | 15 |
//! | Diners Club | 300–305, 3095, 36, 38, 39 | 14–19 |
//! | JCB | 3528–3589 | 16–19 |
//! | JCB as fake-data generators write it | 35 (any) · 2131, 1800 | 16 · 15 |
//! | Maestro, Discover (6011, 622126–622925, 644–649, 65), UnionPay (62), RuPay (60, 65, 508), InstaPayment (637–639), Laser/Solo/Switch (6304, 6706, 6709, 6759, 6767, 6771) | 6 (any), 50, 56–59 | 13–19 |
//! | UnionPay, RuPay | 81, 82 | 16–19 |
//! | Prostir (Ukraine), not right after an identifier word | 9 | 16 |
//! | Maestro, with a card word before it | 6 (any), 50, 56–59, 0604 | 12 |
//! | Maestro, unbroken, not named an identifier or a phone | 5018, 5020, 5038, 5893, 6304, 6390, 6759, 6761–6763, 0604, 56–58 | 12 |
//!
//! A card word ([`context::CARD`]: `card`, `credit`, `debit`, `maestro`,
//! `visa`, `cc`, `payment`, `pay`, … case-insensitive) must start within
//! [`context::WINDOW`] bytes before the number for the last row: a
//! Luhn-valid 12-digit run is as likely an order number; but an unbroken
//! run with one of Maestro's issued prefixes (the row after it: python
//! faker's Maestro numbers, `501828938347`) needs no card word, only no
//! identifier word right before it and no phone word before or after it
//! (about 4 in 1000 random 12-digit identifiers have such a prefix and
//! pass Luhn). A 9-led 16-digit
//! number (Ukraine's Prostir, which fake-data generators write for the
//! `uk_UA` locale: `9290-4837-5319-5567`) needs no card word, but is not
//! a card right after an identifier word (`order 9123…`).
//! A 12-digit Maestro number led by `5` or `6` written in three groups of
//! four (`5788-6871-2873`, `6304 9984 8616`) needs no card word, unless
//! an identifier word comes right before (`order 5018-1234-5673`).
//! The same holds for an unbroken run of 13–15 digits led by `5` or `6`
//! (an EAN-13 code: `6792240120481`); grouped, it is a card
//! (`6759-1234-5678-9`). Bank account numbers (BBAN) of 16–19 digits that
//! pass Luhn with a card prefix are still reported: fake-data generators
//! write unbroken 17- and 18-digit Maestro and Laser numbers
//! (`677149095403167585`).
//!
//! An unbroken 13-digit run (the length of an MSISDN phone number and an
//! EAN-13 code) is not a card when a phone word starts within the window
//! before it and the run is a calling code and an NSN by the phone plan
//! (an MSISDN), or the word right before names an identifier (`EAN`,
//! `GTIN`, `UPC`, `barcode`, `order`, …), unless a card word starts within
//! the window too: `whatsapp me on 6287438466408` is a phone number,
//! `card 4222222222222` and `Contact: 4536653177161` (no MSISDN: `+45`
//! takes 8 digits) are cards.
//!
//! An unbroken run right after a word naming a bank account (`account`,
//! `acct`, `BBAN`, `Konto`, `Kontonummer`, `cuenta`, `compte`, `conto`,
//! `rekening`, `routing`, over `number`/`no`/`:`) is a bank account number
//! (BBAN), not a card: `Account number: 3004304775392844`. Grouped in
//! fours it is still a card.
//!
//! Not matched: numbers inside a longer digit or letter run
//! (`ID4111111111111111`, 20+ digits), numbers continued by `-digit` or
//! `.digit`, numbers right after `+` (phones), Luhn-invalid numbers, numbers
//! with no known prefix for their length (`1234 5678 9012 3456`, a 16-digit
//! Amex), other groupings (`41 11 11 11 …`, mixed separators) and 20-digit
//! "cards" some generators emit (`6011-62##-####-####-###L`). When
//! space-grouped digits run on (`4111 1111 1111 1111 123`, a card then its
//! CVV), the longest leading groups that form a valid card are matched.

use super::classes::{
    at, before, digit_run_end, is_digit, numeric_end_ok, numeric_start_ok, small_number,
};
use super::context;

const MIN_DIGITS: usize = 12;
const MAX_DIGITS: usize = 19;
/// At most 6 groups (4 + 5 × 3 ≥ 19), so at most 5 separators.
const MAX_GROUPS: usize = 6;
/// The longest match: 19 digits and 5 separators.
pub(super) const MAX_LEN: usize = MAX_DIGITS + MAX_GROUPS - 1;

/// Luhn checksum over ASCII digits (`b"4111111111111111"`, not digit
/// values). False when empty or when any byte is not an ASCII digit.
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let d = u32::from(b - b'0');
        let d = if i % 2 == 1 {
            if d > 4 {
                d * 2 - 9
            } else {
                d * 2
            }
        } else {
            d
        };
        sum = (sum + d) % 10;
    }
    sum == 0
}

/// Whether an issuer uses a prefix with a length: everywhere, or only
/// after a card word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Issued {
    No,
    WithContext,
    /// Everywhere but right after an identifier word.
    UnlessNamed,
    Yes,
}

/// Which issuers use this prefix with this many digits (the module table).
fn issuer(digits: &[u8]) -> Issued {
    let len = digits.len();
    let prefix = |n: usize| small_number(digits.get(..n).unwrap_or(&[]));
    let yes = |ok: bool| if ok { Issued::Yes } else { Issued::No };
    let p2 = prefix(2);
    let p4 = prefix(4);
    let maestro = || match len {
        12 => Issued::WithContext,
        13..=19 => Issued::Yes,
        _ => Issued::No,
    };
    match prefix(1) {
        4 => yes(matches!(len, 13 | 16 | 19)),
        2 if (2221..=2720).contains(&p4) => yes(len == 16),
        2 if (2200..=2204).contains(&p4) => yes(len >= 16),
        2 => yes(len == 15 && p4 == 2131),
        1 => yes(len == 15 && p4 == 1800),
        5 => match p2 {
            51..=55 => yes(len == 16),
            50 | 56..=59 => maestro(),
            _ => Issued::No,
        },
        3 => match p2 {
            34 | 37 => yes(len == 15),
            36 | 38 | 39 => yes(len >= 14),
            30 => yes(len >= 14 && ((300..=305).contains(&prefix(3)) || p4 == 3095)),
            35 => yes(len == 16 || (len >= 16 && (3528..=3589).contains(&p4))),
            _ => Issued::No,
        },
        6 => maestro(),
        8 => yes(len >= 16 && matches!(p2, 81 | 82)),
        9 if len == 16 => Issued::UnlessNamed,
        0 if len == 12 && p4 == 604 => Issued::WithContext,
        _ => Issued::No,
    }
}

/// Whether `digits`, starting at `start` in `bytes`, is a card number.
fn is_card_number(bytes: &[u8], start: usize, digits: &[u8]) -> bool {
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) || !luhn_valid(digits) {
        return false;
    }
    match issuer(digits) {
        Issued::Yes => true,
        Issued::WithContext => {
            context::before_value(bytes, start, &context::CARD)
                && !context::id_word_before(bytes, start)
        }
        Issued::UnlessNamed => !context::id_word_before(bytes, start),
        Issued::No => false,
    }
}

/// Whether an unbroken run of [`SHARED_LENGTH`] digits is named as
/// something else: a phone number (a phone word within [`context::WINDOW`]
/// bytes before it, or one naming it right after: `… – our office
/// landline`) with no card word within the window, or an identifier such
/// as a product code (the word right before is `EAN`, `GTIN`, `order`, …,
/// whatever came before: `card order 4406200421076`). MSISDN-style phone
/// numbers and EAN-13 codes have 13 digits and pass Luhn as often as any
/// number (one in ten); a 13-digit card (old Visa, Maestro) is rare, and
/// written after a card word.
fn named_otherwise(bytes: &[u8], start: usize, digits: usize) -> bool {
    digits == SHARED_LENGTH
        && (context::id_word_before(bytes, start)
            || context::names_phone(bytes, start, start + digits)
                && !context::before_value(bytes, start, &context::CARD)
                && bytes
                    .get(start..start + digits)
                    .is_some_and(super::phone::is_msisdn))
}

/// An unbroken run of 13–15 digits led by `5`/`6` (Maestro's row): a
/// length Maestro allows but almost no card has, nor any fake-data
/// generator writes, while EAN-13 codes (`6792240120481`) have it; one in
/// ten such codes passes Luhn.
fn rare_unbroken(digits: &[u8]) -> bool {
    (13..=15).contains(&digits.len()) && matches!(digits.first(), Some(b'5' | b'6'))
}

/// A 12-digit number of Maestro's row led by `5` or `6` that passes Luhn,
/// for one written in three groups of four (`5788-6871-2873`): the way
/// cards are written, not order numbers or phone numbers.
fn maestro_in_fours(digits: &[u8]) -> bool {
    digits.len() == 12
        && matches!(digits.first(), Some(b'5' | b'6'))
        && matches!(issuer(digits), Issued::WithContext)
        && luhn_valid(digits)
}

/// An unbroken 12-digit run with one of Maestro's issued prefixes
/// ([`maestro_iin`]) that passes Luhn (`501828938347`, `676386198755`),
/// reported without a card word: the number python faker writes for
/// Maestro. Not right after an identifier word (`case 501828938347`), nor
/// with a phone word before or after it. A random 12-digit identifier has
/// such a prefix and passes Luhn about 4 times in 1000.
fn maestro_unbroken(bytes: &[u8], start: usize, digits: &[u8]) -> bool {
    digits.len() == 12
        && maestro_iin(digits)
        && luhn_valid(digits)
        && !context::id_word_before(bytes, start)
        && !context::phone_before(bytes, start, start + 12)
        && context::after_value(bytes, start + 12, &context::PHONE_AFTER) != Some(true)
}

/// Maestro's issued prefixes (5018, 5020, 5038, 5893, 6304, 6390, 6759,
/// 6761–6763, 0604) and the 56–58 range fake-data generators draw from.
fn maestro_iin(digits: &[u8]) -> bool {
    let p4 = small_number(digits.get(..4).unwrap_or(&[]));
    matches!(p4 / 100, 56..=58)
        || matches!(
            p4,
            5018 | 5020 | 5038 | 5893 | 6304 | 6390 | 6759 | 6761..=6763 | 604
        )
}

/// The digit count phone numbers and product codes share with cards.
const SHARED_LENGTH: usize = 13;

/// A card number starting at `start` (a digit): the end of the match.
pub(super) fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    // not the tail of a longer grouped number (`1234 5678 9012 3456`)
    let tail = matches!(before(bytes, start, 1), b' ' | b'-') && is_digit(before(bytes, start, 2));
    if !numeric_start_ok(bytes, start) || tail {
        return None;
    }
    let first_end = digit_run_end(bytes, start);
    let first = bytes.get(start..first_end)?;
    if first.len() >= MIN_DIGITS {
        return (numeric_end_ok(bytes, first_end)
            && (is_card_number(bytes, start, first) || maestro_unbroken(bytes, start, first))
            && !named_otherwise(bytes, start, first.len())
            && !context::account_word_before(bytes, start)
            && (!rare_unbroken(first)
                || context::before_value(bytes, start, &context::CARD)
                    && !context::id_word_before(bytes, start)))
        .then_some(first_end);
    }
    if first.len() != 4 {
        return None;
    }
    let sep = at(bytes, first_end);
    if !matches!(sep, b' ' | b'-') || !is_digit(at(bytes, first_end + 1)) {
        return None;
    }
    grouped(bytes, start, sep)
}

/// Digits grouped by `sep`: the longest run of leading groups that is a card.
fn grouped(bytes: &[u8], start: usize, sep: u8) -> Option<usize> {
    let mut digits = [0u8; MAX_DIGITS];
    let mut count = 0;
    // (byte end, digit count) after each group
    let mut prefixes = [(0usize, 0usize); MAX_GROUPS];
    let mut groups = 0;
    let mut pos = start;
    while groups < MAX_GROUPS {
        let end = digit_run_end(bytes, pos);
        let group = bytes.get(pos..end)?;
        // 4, then 3–6 each; or groups of 4 and a last group of 1–2
        // (`4670-1341-3013-3`, `6759 1234 5678 9012 34`), not a month
        // (`6011 1111 1111 1117 04/27`)
        let short_tail = (1..=2).contains(&group.len())
            && groups >= 3
            && count == 4 * groups
            && at(bytes, pos + group.len()) != b'/';
        let len_ok = match groups {
            0 => group.len() == 4,
            _ => (3..=6).contains(&group.len()) || short_tail,
        };
        if !len_ok || count + group.len() > MAX_DIGITS {
            break;
        }
        for (slot, &d) in digits.iter_mut().skip(count).zip(group) {
            *slot = d;
        }
        count += group.len();
        if let Some(p) = prefixes.get_mut(groups) {
            *p = (end, count);
        }
        groups += 1;
        if short_tail || at(bytes, end) != sep || !is_digit(at(bytes, end + 1)) {
            break;
        }
        pos = end + 1;
    }
    prefixes.iter().take(groups).rev().find_map(|&(end, n)| {
        let number = digits.get(..n)?;
        let fours =
            end == start + 14 && maestro_in_fours(number) && !context::id_word_before(bytes, start);
        let card = fours || is_card_number(bytes, start, number);
        (card_end_ok(bytes, end, sep) && card).then_some(end)
    })
}

/// After a grouped card: the usual numeric boundary, and a dash-grouped card
/// may not run on into another dash group.
fn card_end_ok(bytes: &[u8], end: usize, sep: u8) -> bool {
    numeric_end_ok(bytes, end) && !(sep == b'-' && at(bytes, end) == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len())
            .filter(|&i| is_digit(bytes[i]) && (i == 0 || !is_digit(bytes[i - 1])))
            .find_map(|i| match_at(bytes, i).map(|end| &text[i..end]))
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(luhn_valid(b"378282246310005"));
        assert!(luhn_valid(b"0"));
        assert!(!luhn_valid(b"4111111111111112"));
        assert!(!luhn_valid(b""));
        assert!(!luhn_valid(b"4111 1111"));
        assert!(luhn_valid(&[b'0'; 100_000]));
    }

    #[test]
    fn issuers_and_lengths() {
        for ok in [
            "4111111111111111",
            "4222222222222",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "30569309025904",
            "6011111111111117",
            "3530111333300000",
            "6200000000000005",
        ] {
            assert_eq!(find(ok), Some(ok), "{ok}");
        }
        // JCB as faker writes it, Mir, UnionPay 81, 19-digit Visa, Discover 622126
        for ok in [
            "3512345678901236",
            "180012345678906",
            "213112345678902",
            "2200123456789010",
            "8112345678901234",
            "4111111111111111110",
            "6221261234567897",
            "6759123456789012345",
            "6304123456789018",
        ] {
            let ok = &with_luhn(ok);
            assert_eq!(find(ok), Some(ok.as_str()), "{ok}");
        }
        // Luhn-valid but no issuer / wrong length
        assert_eq!(find("1234567890123452"), None);
        assert_eq!(find("37828224631000"), None);
        assert_eq!(find("7111111111111117"), None);
    }

    /// `digits` with its last digit replaced by the Luhn check digit.
    fn with_luhn(digits: &str) -> String {
        let body = &digits[..digits.len() - 1];
        (0..10)
            .map(|d| format!("{body}{d}"))
            .find(|n| luhn_valid(n.as_bytes()))
            .unwrap()
    }

    #[test]
    fn a_short_maestro_row_run_needs_a_card_word() {
        for digits in [
            "6792240120480",
            "501812345678901",
            "63282553396386",
            "5612345678901",
        ] {
            let n = with_luhn(digits);
            assert_eq!(find(&n), None, "{n}");
            assert_eq!(find(&format!("EAN: {n}.")), None, "{n}");
            assert_eq!(find(&format!("card order {n}.")), None, "{n}");
            let text = format!("debit card {n}.");
            assert_eq!(find(&text), Some(n.as_str()), "{text}");
        }
        let grouped = with_luhn("6759123456789");
        let grouped = format!(
            "{}-{}-{}-{}",
            &grouped[..4],
            &grouped[4..8],
            &grouped[8..12],
            &grouped[12..]
        );
        assert_eq!(find(&grouped), Some(grouped.as_str()));
        for digits in [
            "6011000990139424",
            "6759649826438453910",
            "4222222222222",
            "677149095403167580",
        ] {
            let n = with_luhn(digits);
            assert_eq!(find(&n), Some(n.as_str()), "{n}");
        }
    }

    #[test]
    fn context_words_for_ambiguous_shapes() {
        let maestro = with_luhn("501812345678");
        let prostir = with_luhn("9123456789012345");
        let faker_maestro = with_luhn("060412345678");
        // Prostir needs no card word, only no identifier word
        assert_eq!(find(&format!("({prostir})")), Some(prostir.as_str()));
        assert_eq!(find(&format!("order {prostir}")), None);
        for n in [&maestro, &faker_maestro] {
            for ctx in ["card ", "my Maestro: ", "Debit card number ", "CC "] {
                let text = format!("{ctx}{n}.");
                assert_eq!(find(&text), Some(n.as_str()), "{text}");
            }
            for ctx in ["order ", "account ", "tracking id ", "Phone: ", "Case "] {
                let text = format!("{ctx}{n}.");
                assert_eq!(find(&text), None, "{text}");
            }
            // unbroken, with one of Maestro's issued prefixes: no card word
            // needed (python faker's Maestro numbers)
            for text in [format!("Use {n} please."), n.to_string()] {
                assert_eq!(find(&text), Some(n.as_str()), "{text}");
            }
            assert_eq!(find(&format!("{n} is my mobile")), None);
        }
        // other prefixes of Maestro's row still need a card word
        for digits in ["591234567890", "641234567890", "509912345670"] {
            let n = with_luhn(digits);
            assert_eq!(find(&format!("Use {n} please.")), None, "{n}");
            assert_eq!(find(&format!("card {n}")), Some(n.as_str()), "{n}");
        }
        for digits in [
            "571234567890",
            "676212345670",
            "630412345670",
            "502012345670",
        ] {
            let n = with_luhn(digits);
            assert_eq!(find(&format!("Use {n} please.")), Some(n.as_str()), "{n}");
            let wrong = format!("{}{}", &n[..11], (n.as_bytes()[11] - b'0' + 1) % 10);
            assert_eq!(find(&format!("Use {wrong} please.")), None, "{wrong}");
        }
        let grouped = format!(
            "card {} {} {}",
            &maestro[..4],
            &maestro[4..8],
            &maestro[8..]
        );
        assert!(find(&grouped).is_some());
        // in three fours, a 5/6-led Maestro number needs no card word
        let fours = format!("{}-{}-{}", &maestro[..4], &maestro[4..8], &maestro[8..]);
        assert_eq!(find(&format!("({fours})")), Some(fours.as_str()));
        assert_eq!(find(&format!("order {fours}")), None);
        let spaced = fours.replace('-', " ");
        assert_eq!(find(&format!("**{spaced}**")), Some(spaced.as_str()));
        let faker = format!(
            "{}-{}-{}",
            &faker_maestro[..4],
            &faker_maestro[4..8],
            &faker_maestro[8..]
        );
        assert_eq!(find(&faker), None);
        assert_eq!(find(&format!("{}-{}", &maestro[..4], &maestro[4..])), None);
    }

    #[test]
    fn thirteen_digits_named_as_a_phone_or_a_code_are_not_cards() {
        // `+49 1512 3456780`: an MSISDN as well as a 13-digit Visa
        let visa13 = with_luhn("4915123456780");
        assert!(super::super::phone::is_msisdn(visa13.as_bytes()));
        let maestro13 = with_luhn("6401871513990");
        for n in [&visa13, &maestro13] {
            for ctx in [
                "whatsapp me on ",
                "Contact number: ",
                "my phone number is ",
                "EAN ",
                "GTIN: ",
            ] {
                let text = format!("{ctx}{n}.");
                assert_eq!(find(&text), None, "{text}");
            }
            for after in [" – our office landline.", " is my mobile"] {
                let text = format!("Try {n}{after}");
                assert_eq!(find(&text), None, "{text}");
            }
            for ctx in ["card ", "my Visa (phone orders only): "] {
                let text = format!("{ctx}{n}.");
                assert_eq!(find(&text), Some(n.as_str()), "{text}");
            }
        }
        // an identifier word right before names it, card word or not
        assert_eq!(find(&format!("card order {visa13}")), None);
        // without a card word, only the Visa (a 6-led run is an EAN-13 code)
        for ctx in ["", "use "] {
            let text = format!("{ctx}{visa13}.");
            assert_eq!(find(&text), Some(visa13.as_str()), "{text}");
            assert_eq!(find(&format!("{ctx}{maestro13}.")), None);
        }
        // after a phone word, a run that is no MSISDN is a card (`+45`
        // takes 8 digits, `+42…` is unassigned)
        for n in ["4536653177161", "4222222222222"] {
            let text = format!("Contact: {n}");
            assert_eq!(find(&text), Some(n), "{text}");
        }
        // 16 digits after a phone word are still a card
        let visa16 = with_luhn("4111111111111110");
        assert_eq!(find(&format!("call me, {visa16}")), Some(visa16.as_str()));
    }

    #[test]
    fn an_unbroken_run_named_a_bank_account_is_not_a_card() {
        for n in ["3004304775392844", "505700180900712143", "4111111111111111"] {
            for ctx in ["Account number: ", "acct ", "Kontonummer ", "BBAN: "] {
                assert_eq!(find(&format!("{ctx}{n}")), None, "{ctx}{n}");
            }
            assert_eq!(find(&format!("Card: {n}")), Some(n), "{n}");
        }
        assert_eq!(
            find("account 4111 1111 1111 1111"),
            Some("4111 1111 1111 1111")
        );
    }

    #[test]
    fn groups() {
        assert_eq!(
            find("card 4111 1111 1111 1111."),
            Some("4111 1111 1111 1111")
        );
        assert_eq!(find("(4111-1111-1111-1111)"), Some("4111-1111-1111-1111"));
        assert_eq!(find("3782 822463 10005"), Some("3782 822463 10005"));
        assert_eq!(find("4111 1111 1111 1111 123"), Some("4111 1111 1111 1111"));
        let solo = with_luhn("676712345678901234");
        let dashed = format!(
            "{}-{}-{}-{}-{}",
            &solo[..4],
            &solo[4..8],
            &solo[8..12],
            &solo[12..16],
            &solo[16..]
        );
        assert_eq!(find(&dashed), Some(dashed.as_str()));
        assert_eq!(
            find(&dashed.replace('-', " ")),
            Some(dashed.replace('-', " ").as_str())
        );
        // cut into fours: a 13-digit Visa as 4-4-4-1
        let visa13 = with_luhn("4670134130133");
        let fours = format!(
            "{}-{}-{}-{}",
            &visa13[..4],
            &visa13[4..8],
            &visa13[8..12],
            &visa13[12..]
        );
        assert_eq!(find(&format!("remove {fours} now")), Some(fours.as_str()));
        // a card then its expiry month is the card
        let discover = with_luhn("6011000990139424");
        let with_month = format!(
            "{} {} {} {} 04/27",
            &discover[..4],
            &discover[4..8],
            &discover[8..12],
            &discover[12..]
        );
        assert_eq!(find(&with_month), Some(&with_month[..19]));
        let diners = with_luhn("30569309025904");
        let spaced = format!("{} {} {}", &diners[..4], &diners[4..10], &diners[10..]);
        assert_eq!(find(&spaced), Some(spaced.as_str()));
        assert_eq!(find("4111-1111-1111-1111-123"), None);
        assert_eq!(find("4111 1111-1111 1111"), None);
        assert_eq!(find("1234 5678 9012 3456"), None);
        assert_eq!(find("41 11 11 11 11 11 11 11"), None);
    }

    #[test]
    fn boundaries() {
        assert_eq!(find(""), None);
        assert_eq!(find("x4111111111111111"), None);
        assert_eq!(find("4111111111111111x"), None);
        assert_eq!(find("94111111111111111"), None);
        assert_eq!(find("+4111111111111111"), None);
        assert_eq!(find("é4111111111111111é"), Some("4111111111111111"));
        assert_eq!(find(&"4".repeat(100_000)), None);
        assert_eq!(find(&"4111 ".repeat(10_000)), None);
    }
}
