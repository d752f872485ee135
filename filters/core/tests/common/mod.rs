//! Scoring shared by the labelled-corpus tests.

/// The quality bar of every built-in detector and category.
pub const THRESHOLD: f64 = 0.98;

/// True positives, false positives and false negatives of one detector.
#[derive(Default, Clone, Copy)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// One corpus line (`{"text": …, "expect": […]}`): its text and its expect entries.
pub fn text_and_expect(index: usize, line: &str) -> (String, Vec<serde_json::Value>) {
    let value: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("line {index}: bad JSON: {e}"));
    let text = value["text"]
        .as_str()
        .unwrap_or_else(|| panic!("line {index}: no text"))
        .to_string();
    let expect = value["expect"]
        .as_array()
        .unwrap_or_else(|| panic!("line {index}: no expect"))
        .clone();
    (text, expect)
}
