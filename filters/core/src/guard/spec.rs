//! A guard as the policy declares it (parsed and validated by
//! `policy::guards`).

use super::verdict::VerdictRule;

/// The wire protocol a guard speaks.
#[derive(Debug, Clone, PartialEq)]
pub enum Protocol {
    /// `POST /v1/moderations` with `input` (an array of strings); reads
    /// `results[].flagged`, `categories`, `category_scores`.
    OpenAiModeration,
    /// vLLM's classification API: `POST /classify` with `input` (an array of
    /// strings); reads `data[].probs` (and `label`). `labels` names the
    /// model's classes in the order of `probs` (its `id2label`); empty: only
    /// the returned `label` is known, with its probability.
    VllmClassify { labels: Vec<String> },
    /// A Llama Guard model served as chat completions (vLLM with the model's
    /// own chat template, which writes the Llama Guard prompt): one call per
    /// message; the answer is `safe`, or `unsafe` and a line of category
    /// codes (`S1`…`S14`).
    LlamaGuard,
    /// Presidio's analyzer: `POST /analyze` with `text`, `language` and
    /// `entities` (empty: all the analyzer knows); answers entity spans with
    /// scores, in characters.
    Presidio {
        language: String,
        entities: Vec<String>,
    },
}

impl Protocol {
    /// The name the policy uses.
    pub fn name(&self) -> &'static str {
        match self {
            Protocol::OpenAiModeration => "openai_moderation",
            Protocol::VllmClassify { .. } => "vllm_classify",
            Protocol::LlamaGuard => "llama_guard",
            Protocol::Presidio { .. } => "presidio",
        }
    }

    /// The path a guard of this protocol answers on, when the policy names none.
    pub fn default_path(&self) -> &'static str {
        match self {
            Protocol::OpenAiModeration => "/v1/moderations",
            Protocol::VllmClassify { .. } => "/classify",
            Protocol::LlamaGuard => "/v1/chat/completions",
            Protocol::Presidio { .. } => "/analyze",
        }
    }

    /// True when one call carries many texts (`input` arrays); otherwise one
    /// call per text.
    pub fn batches(&self) -> bool {
        matches!(
            self,
            Protocol::OpenAiModeration | Protocol::VllmClassify { .. }
        )
    }
}

/// The author of a chat message, as the policy selects what a guard sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    System,
    Developer,
    User,
    Assistant,
    /// Tool and function results: where indirect injection arrives.
    Tool,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::System,
        Role::Developer,
        Role::User,
        Role::Assistant,
        Role::Tool,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::Developer => "developer",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }

    /// A message's `role` value; `function` (the older name) is a tool result.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "system" => Some(Role::System),
            "developer" => Some(Role::Developer),
            "user" => Some(Role::User),
            "assistant" => Some(Role::Assistant),
            "tool" | "function" => Some(Role::Tool),
            _ => None,
        }
    }
}

/// How streamed outputs are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamMode {
    /// Text streams on while each window is checked; an unsafe verdict ends
    /// the stream. At most one window plus what streams during the guard's
    /// latency reaches the client before a verdict.
    Window,
    /// Each window is held until its verdict.
    Strict,
}

/// A header that carries the guard's API key, its value read from the VM
/// environment when the policy compiles.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub header: String,
    pub value_env: String,
    /// Written before the value (`Bearer `).
    pub prefix: String,
}

/// One guard of `screening.guards[]`.
#[derive(Debug, Clone, PartialEq)]
pub struct GuardSpec {
    pub name: String,
    pub protocol: Protocol,
    /// The Envoy cluster the call goes to.
    pub cluster: String,
    /// `:authority` of the call.
    pub authority: String,
    pub path: String,
    /// `model` in the request body (not sent by Presidio).
    pub model: Option<String>,
    pub timeout_ms: u32,
    pub api_key: Option<ApiKey>,
    /// Checks prompts.
    pub request: bool,
    /// Checks outputs.
    pub response: bool,
    /// Which messages of a prompt it sees.
    pub roles: Vec<Role>,
    /// Labels and scores to actions, in order; the strongest action wins.
    pub rules: Vec<VerdictRule>,
    /// On timeout, connection failure, 5xx or a malformed reply: true lets
    /// the text pass (counted), false refuses it.
    pub fail_open: bool,
    pub cache_entries: usize,
    pub cache_ttl_ms: u64,
    pub stream_mode: StreamMode,
    /// Characters of streamed output per check.
    pub window_chars: usize,
}

impl GuardSpec {
    /// True when this guard sees messages of `role` in prompts.
    pub fn sees(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
