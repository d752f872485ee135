//! Provider tokens recognised by a fixed prefix and a body of a known
//! alphabet and length (the formats the providers document and secret
//! scanners such as gitleaks check for):
//!
//! | token | matched |
//! |---|---|
//! | GitLab personal access token | `glpat-` + at least 20 of `A-Za-z0-9_-` |
//! | npm access token | `npm_` + exactly 36 of `A-Za-z0-9` |
//! | PyPI API token | `pypi-AgEIcHlwaS5vcmc` + at least 50 of `A-Za-z0-9_-` |
//! | Hugging Face token | `hf_` + at least 30 of `A-Za-z0-9`, upper and lower case |
//! | Groq API key | `gsk_` + at least 48 of `A-Za-z0-9` |
//! | Replicate API token | `r8_` + at least 30 of `A-Za-z0-9`, letters and digits |
//! | xAI API key | `xai-` + at least 60 of `A-Za-z0-9` |
//! | Docker Hub access token | `dckr_pat_` + at least 20 of `A-Za-z0-9_-` |
//! | Shopify access token / shared secret | `shpat_` `shpca_` `shppa_` `shpss_` + exactly 32 hex digits |
//! | DigitalOcean token | `dop_v1_` `doo_v1_` `dor_v1_` + exactly 64 hex digits |
//! | SendGrid API key | `SG.` + 22 of `A-Za-z0-9_-` + `.` + 43 of `A-Za-z0-9_-` |
//! | Twilio API key | `SK` + exactly 32 lowercase hex digits |
//! | Google OAuth client secret | `GOCSPX-` + at least 24 of `A-Za-z0-9_-` |
//! | Mailgun API key | `key-` + exactly 32 lowercase hex digits |
//!
//! Each is word-bounded like every secret ([`super::secret`]); bodies of
//! open length end where their alphabet ends, capped at
//! [`super::secret::MAX_TOKEN_LEN`]. Not matched: the same prefixes with a
//! shorter body (`hf_hub`, `key-value`, `npm_config_cache`).

use super::classes::{
    at, class_of, is_alnum, run_end_capped, starts_with_at, word_end_ok, DIGIT, LOWER, UPPER,
};
use super::secret::MAX_TOKEN_LEN;

/// How long a token's body is.
#[derive(Clone, Copy)]
enum Body {
    Exactly(usize),
    AtLeast(usize),
}

/// What else a body must hold.
#[derive(Clone, Copy)]
enum Mix {
    Any,
    /// Upper and lower case letters.
    Cases,
    /// A letter and a digit.
    LetterAndDigit,
}

struct Format {
    prefix: &'static [u8],
    body: Body,
    alphabet: fn(u8) -> bool,
    mix: Mix,
}

fn base64url(b: u8) -> bool {
    is_alnum(b) || matches!(b, b'_' | b'-')
}

fn lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

fn hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

const FORMATS: &[Format] = &[
    Format {
        prefix: b"glpat-",
        body: Body::AtLeast(20),
        alphabet: base64url,
        mix: Mix::Any,
    },
    Format {
        prefix: b"npm_",
        body: Body::Exactly(36),
        alphabet: is_alnum,
        mix: Mix::Any,
    },
    Format {
        prefix: b"pypi-AgEIcHlwaS5vcmc",
        body: Body::AtLeast(50),
        alphabet: base64url,
        mix: Mix::Any,
    },
    Format {
        prefix: b"hf_",
        body: Body::AtLeast(30),
        alphabet: is_alnum,
        mix: Mix::Cases,
    },
    Format {
        prefix: b"gsk_",
        body: Body::AtLeast(48),
        alphabet: is_alnum,
        mix: Mix::Any,
    },
    Format {
        prefix: b"r8_",
        body: Body::AtLeast(30),
        alphabet: is_alnum,
        mix: Mix::LetterAndDigit,
    },
    Format {
        prefix: b"xai-",
        body: Body::AtLeast(60),
        alphabet: is_alnum,
        mix: Mix::Any,
    },
    Format {
        prefix: b"dckr_pat_",
        body: Body::AtLeast(20),
        alphabet: base64url,
        mix: Mix::Any,
    },
    Format {
        prefix: b"shpat_",
        body: Body::Exactly(32),
        alphabet: hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"shpca_",
        body: Body::Exactly(32),
        alphabet: hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"shppa_",
        body: Body::Exactly(32),
        alphabet: hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"shpss_",
        body: Body::Exactly(32),
        alphabet: hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"dop_v1_",
        body: Body::Exactly(64),
        alphabet: hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"doo_v1_",
        body: Body::Exactly(64),
        alphabet: hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"dor_v1_",
        body: Body::Exactly(64),
        alphabet: hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"SK",
        body: Body::Exactly(32),
        alphabet: lower_hex,
        mix: Mix::Any,
    },
    Format {
        prefix: b"GOCSPX-",
        body: Body::AtLeast(24),
        alphabet: base64url,
        mix: Mix::Any,
    },
    Format {
        prefix: b"key-",
        body: Body::Exactly(32),
        alphabet: lower_hex,
        mix: Mix::Any,
    },
];

/// Whether a word starting with these two bytes can start one of these
/// tokens (or a SendGrid key).
pub(super) fn may_start(first: u8, second: u8) -> bool {
    matches!(
        (first, second),
        (b'g', b'l' | b's')
            | (b'n', b'p')
            | (b'p', b'y')
            | (b'h', b'f')
            | (b'r', b'8')
            | (b'x', b'a')
            | (b'd', b'c' | b'o')
            | (b's', b'h')
            | (b'S', b'K' | b'G')
            | (b'G', b'O')
            | (b'k', b'e')
    )
}

/// Whether a word starting with these two capitals can start one of these
/// tokens (`SK…`, `SG.…`, `GOCSPX-…`).
pub(super) fn capital_start(first: u8, second: u8) -> bool {
    matches!((first, second), (b'S', b'K' | b'G') | (b'G', b'O'))
}

/// Whether `prev` can end a lowercase prefix that `marker` follows
/// (`glpat-`, `npm_`, `hf_`, `r8_`, `key-`, …).
pub(super) fn may_precede_marker(prev: u8, marker: u8) -> bool {
    match marker {
        b'-' => matches!(prev, b't' | b'i' | b'y' | b'X'),
        b'_' => matches!(
            prev,
            b'm' | b'f' | b'k' | b'8' | b'r' | b't' | b'a' | b'p' | b'1' | b's'
        ),
        _ => false,
    }
}

/// A token of one of [`FORMATS`] (or a SendGrid key) at `start`, a word
/// start: the end of the match.
pub(super) fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    if starts_with_at(bytes, start, b"SG.") {
        return sendgrid(bytes, start);
    }
    FORMATS
        .iter()
        .filter(|f| starts_with_at(bytes, start, f.prefix))
        .find_map(|f| body_end(bytes, start + f.prefix.len(), f))
}

/// The end of `f`'s body from `from`, when it has the length, the mix and
/// the word end the format asks for.
fn body_end(bytes: &[u8], from: usize, f: &Format) -> Option<usize> {
    let cap = match f.body {
        Body::Exactly(n) => n + 1,
        Body::AtLeast(_) => MAX_TOKEN_LEN.saturating_sub(f.prefix.len()),
    };
    let end = run_end_capped(bytes, from, cap, f.alphabet);
    let len = end - from;
    let fits = match f.body {
        Body::Exactly(n) => len == n,
        Body::AtLeast(n) => len >= n,
    };
    let body = bytes.get(from..end)?;
    let has = |class: u8| body.iter().any(|&b| class_of(b) & class != 0);
    let mixed = match f.mix {
        Mix::Any => true,
        Mix::Cases => has(UPPER) && has(LOWER),
        Mix::LetterAndDigit => has(UPPER | LOWER) && has(DIGIT),
    };
    (fits && mixed && word_end_ok(bytes, end)).then_some(end)
}

/// `SG.` + 22 + `.` + 43 of `A-Za-z0-9_-`.
fn sendgrid(bytes: &[u8], start: usize) -> Option<usize> {
    let first = start + 3;
    let dot = run_end_capped(bytes, first, 23, base64url);
    if dot - first != 22 || at(bytes, dot) != b'.' {
        return None;
    }
    let end = run_end_capped(bytes, dot + 1, 44, base64url);
    (end - (dot + 1) == 43 && !base64url(at(bytes, end))).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn each_format() {
        let hex32 = "0123456789abcdef0123456789abcdef";
        let alnum36 = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
        let cases = [
            format!("glpat-{}", &alnum36[..20]),
            format!("npm_{alnum36}"),
            format!("pypi-AgEIcHlwaS5vcmc{alnum36}{}", &alnum36[..20]),
            format!("hf_{}", &alnum36[..34]),
            format!("gsk_{alnum36}{}", &alnum36[..16]),
            format!("r8_{}", &alnum36[..37.min(alnum36.len())]),
            format!("xai-{alnum36}{alnum36}"),
            format!("dckr_pat_{}", &alnum36[..27]),
            format!("shpat_{hex32}"),
            format!("shpss_{hex32}"),
            format!("dop_v1_{hex32}{hex32}"),
            format!("SK{hex32}"),
            format!("GOCSPX-{}", &alnum36[..28]),
            format!("key-{hex32}"),
            format!("SG.{}.{}{}", &alnum36[..22], alnum36, &alnum36[..7]),
        ];
        for token in &cases {
            let text = format!("token {token} end");
            let bytes = text.as_bytes();
            assert_eq!(match_at(bytes, 6), Some(6 + token.len()), "{token}");
            assert!(may_start(bytes[6], bytes[7]), "{token}");
        }
    }

    #[test]
    fn near_misses() {
        for bad in [
            "hf_hub_download",
            "key-value store",
            "npm_config_cache",
            "hf_abcdefghijklmnopqrstuvwxyzabcdefgh",
            "r8_abcdefghijklmnopqrstuvwxyzabcdefgh",
            "SK0123456789ABCDEF0123456789ABCDEF",
            "shpat_0123456789abcdef",
            "glpat-short",
            "SG.short.key",
            "key-0123456789abcdef0123456789abcdef0",
        ] {
            assert_eq!(match_at(bad.as_bytes(), 0), None, "{bad}");
        }
    }
}
