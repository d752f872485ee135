//! The English prose the screening examples measure on (shared by
//! `screen_throughput`, `screen_cost` and `stream_throughput`).

pub const SENTENCES: &[&str] = &[
    "The operators reviewed the deployment plan before the evening release.",
    "Our quarterly report shows that latency improved by twelve percent after the upgrade.",
    "Please summarize the attached meeting notes and list the open action items.",
    "The model answered every question about routing, quotas and retries.",
    "When the cache is cold, the first request takes noticeably longer than the rest.",
    "She asked whether the new contract terms would apply to existing customers as well.",
    "Write a short poem about the sea, the wind and a lighthouse keeper.",
    "The committee will meet again next Tuesday to discuss the budget proposal.",
    "Translate the following paragraph into French, keeping the formal tone.",
    "Kubernetes schedules the pods onto nodes with enough free memory and GPUs.",
    "I think the second option is better because it keeps the interface simple.",
    "Explain the difference between a process and a thread to a new engineer.",
];

/// About `size` bytes of prose, with an email and a phone number every ~4 KB.
#[allow(dead_code)] // stream_throughput uses only the sentences
pub fn corpus(size: usize) -> String {
    let mut rng = fastrand::Rng::with_seed(42);
    let mut text = String::with_capacity(size + 128);
    let mut next_pii = 4096;
    while text.len() < size {
        text.push_str(SENTENCES[rng.usize(..SENTENCES.len())]);
        text.push(' ');
        if text.len() > next_pii {
            text.push_str("Contact jane.doe@example.com or (415) 555-0132 for details. ");
            next_pii += 4096;
        }
    }
    text
}
