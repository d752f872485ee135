//! Built-in PII detectors (placeholder until the detectors land).
