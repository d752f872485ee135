//! The screening configuration the engine compiles: which detectors and
//! categories run, in which direction, and what each finding does. The policy
//! parser (`policy::screening`) fills these from a policy's `screening`
//! section; nothing here reads JSON.

use crate::guard::{GuardAction, GuardSpec, Protocol};
use crate::screen::pii::{IpClasses, PiiKind};

/// What a finding does to the text it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScreenAction {
    /// Not looked for in this direction.
    Off,
    /// Counted and reported in a response header; the text passes.
    Flag,
    /// The matched text is replaced (see [`RedactStyle`]).
    Redact,
    /// The request (or output) is refused with an OpenAI-shaped error.
    Block,
}

impl ScreenAction {
    /// The action's label in metrics and headers.
    pub fn label(self) -> &'static str {
        match self {
            ScreenAction::Off => "off",
            ScreenAction::Flag => "flag",
            ScreenAction::Redact => "redact",
            ScreenAction::Block => "block",
        }
    }
}

/// How redacted text is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedactStyle {
    /// `[EMAIL]`: the detector's tag.
    Tag,
    /// `j***@example.com`, `************1111`: the shape stays, most characters go.
    Mask,
    /// `[EMAIL_3f9a0c1d2e]`: a keyed hash, the same for the same value, so the
    /// model can still tell values apart and the filter can restore them.
    Hash,
}

/// One detector's or category's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryConfig {
    pub request: ScreenAction,
    pub response: ScreenAction,
    /// Overrides the section's redaction style.
    pub style: Option<RedactStyle>,
    /// Report what would happen (metrics, header) without changing traffic.
    pub monitor: bool,
}

/// What a screening entry looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntrySource {
    /// A built-in PII detector.
    Pii(PiiKind),
    /// A phrase category: built-in phrases (if the name is built in) plus these patterns.
    Category(Vec<String>),
    /// A user detector: literal strings (case-insensitive, whole words) and/or a regex.
    Custom {
        literals: Vec<String>,
        regex: Option<String>,
    },
}

/// A named detector or category with its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenEntry {
    pub name: String,
    pub source: EntrySource,
    pub config: EntryConfig,
}

/// Where the key of hash-style redaction comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Inline(String),
    /// An environment variable of the Wasm VM (`vm_config.environment_variables`).
    Env(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningConfig {
    pub enabled: bool,
    /// `mode: dry_run`: every action is reported, none is taken.
    pub dry_run: bool,
    pub request: bool,
    pub response: bool,
    pub style: RedactStyle,
    pub key: Option<KeySource>,
    /// Put the original values of hash tokens back into the response.
    pub restore: bool,
    pub block_status: u16,
    pub block_message: String,
    /// Response header listing flagged findings; `None` turns it off.
    pub flag_header: Option<String>,
    pub entries: Vec<ScreenEntry>,
    /// The classes of IP address the `ip` detector reports
    /// (`detectors.ip.classes`); [`IpClasses::DEFAULT`] when not set.
    pub ip_classes: IpClasses,
    /// Guard models asked after the built-in detectors (`screening.guards`).
    pub guards: Vec<GuardSpec>,
}

/// Shortest accepted redaction key, in bytes.
pub const MIN_KEY_BYTES: usize = 16;

impl Default for ScreeningConfig {
    fn default() -> Self {
        ScreeningConfig {
            enabled: true,
            dry_run: false,
            request: true,
            response: true,
            style: RedactStyle::Tag,
            key: None,
            restore: false,
            block_status: 400,
            block_message: "The request was blocked by the content policy.".into(),
            flag_header: Some("x-llm-screening".into()),
            entries: Vec::new(),
            ip_classes: IpClasses::DEFAULT,
            guards: Vec::new(),
        }
    }
}

impl ScreeningConfig {
    /// The redaction style of an entry.
    pub fn style_of(&self, entry: &ScreenEntry) -> RedactStyle {
        entry.config.style.unwrap_or(self.style)
    }

    /// True when some active entry (or a guard that redacts, in the
    /// section's style) redacts with hash tokens.
    pub fn uses_hash(&self) -> bool {
        let entries = self.entries.iter().any(|e| {
            self.style_of(e) == RedactStyle::Hash
                && (e.config.request == ScreenAction::Redact
                    || e.config.response == ScreenAction::Redact)
        });
        entries || (self.style == RedactStyle::Hash && self.guards.iter().any(redacts))
    }

    /// True when the section has guards that check `request` (prompts) or
    /// outputs, and screening is on in that direction.
    pub fn has_guards(&self, request: bool) -> bool {
        let on = if request { self.request } else { self.response };
        self.enabled
            && on
            && self
                .guards
                .iter()
                .any(|g| if request { g.request } else { g.response })
    }
}

/// True when a guard finds spans to redact (a presidio guard with a redact rule).
fn redacts(g: &GuardSpec) -> bool {
    matches!(g.protocol, Protocol::Presidio { .. })
        && g.rules.iter().any(|r| r.action == GuardAction::Redact)
}
