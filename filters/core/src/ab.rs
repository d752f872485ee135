//! Sticky A/B assignment: the same subject gets the same arm on every request
//! and every proxy.
//!
//! Bucket = `md5("{experiment_id}:{subject}")` read as a 128-bit big-endian
//! integer, mod 100, exactly as the common Python reference:
//!
//! ```python
//! h = int(hashlib.md5(f"{experiment_id}:{user_id}".encode()).hexdigest(), 16)
//! arm = "variant_b" if (h % 100) / 100 < traffic_split else "variant_a"
//! ```
//!
//! Arms take consecutive buckets in the order listed: the first arm buckets
//! `0..w1`, the next `w1..w1+w2`, and so on. The reference's two-arm case is
//! `[{"name":"variant_b","weight":100*split}, {"name":"variant_a","weight":100-100*split}]`
//! (a split with more than two decimals rounds up: 0.125 → 13).

use crate::policy::{Experiment, NoSubject};

/// How an arm was chosen, for metrics and debugging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    /// By the subject's bucket.
    Bucket,
    /// No subject: the control arm.
    Control,
    /// No subject: a new random identity, to be made sticky with a cookie.
    NewCookie,
    /// A trusted caller named the arm.
    Forced,
}

/// One experiment's decision for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub arm: usize,
    pub how: Assigned,
    /// `Some(value)`: set this cookie (the experiment's sticky cookie) in the response.
    pub set_cookie: Option<String>,
}

/// The reference bucket of a subject in an experiment: 0..=99.
pub fn bucket(experiment_id: &str, subject: &str) -> u8 {
    let mut ctx = md5::Context::new();
    ctx.consume(experiment_id.as_bytes());
    ctx.consume(b":");
    ctx.consume(subject.as_bytes());
    (u128::from_be_bytes(ctx.finalize().0) % 100) as u8
}

/// The arm whose consecutive buckets include `bucket`.
pub fn arm_for_bucket(exp: &Experiment, bucket: u8) -> usize {
    let mut upper = 0u16;
    for (i, arm) in exp.arms.iter().enumerate() {
        upper += u16::from(arm.weight);
        if u16::from(bucket) < upper {
            return i;
        }
    }
    exp.control
}

/// Chooses the arm. `subject` is the resolved subject (for random-sticky
/// experiments, the sticky cookie's value when present); `forced` is the arm a
/// trusted caller named; `random_id` makes a new identity when one is needed.
pub fn assign(
    exp: &Experiment,
    subject: Option<&str>,
    forced: Option<&str>,
    random_id: &mut dyn FnMut() -> String,
) -> Assignment {
    if let Some(arm) = forced.and_then(|f| exp.arms.iter().position(|a| a.name == f)) {
        return Assignment {
            arm,
            how: Assigned::Forced,
            set_cookie: None,
        };
    }
    match (subject, &exp.no_subject) {
        (Some(s), _) => Assignment {
            arm: arm_for_bucket(exp, bucket(&exp.id, s)),
            how: Assigned::Bucket,
            set_cookie: None,
        },
        (None, NoSubject::Control) => Assignment {
            arm: exp.control,
            how: Assigned::Control,
            set_cookie: None,
        },
        (None, NoSubject::RandomSticky { .. }) => {
            let id = random_id();
            Assignment {
                arm: arm_for_bucket(exp, bucket(&exp.id, &id)),
                how: Assigned::NewCookie,
                set_cookie: Some(id),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Arm;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn arm(name: &str, weight: u8) -> Arm {
        Arm {
            name: name.into(),
            weight,
            set_headers: vec![],
            model: None,
            system_prompt: None,
        }
    }

    /// The reference's two-arm experiment for `traffic_split` (whole percent).
    fn two_arms(id: &str, split_percent: u8) -> Experiment {
        Experiment {
            id: id.into(),
            label: id.replace('.', "_"),
            subject: None,
            header: format!("x-ab-{id}"),
            arms: vec![
                arm("variant_b", split_percent),
                arm("variant_a", 100 - split_percent),
            ],
            control: 1,
            no_subject: NoSubject::Control,
        }
    }

    fn name(exp: &Experiment, subject: &str) -> String {
        let a = assign(exp, Some(subject), None, &mut || unreachable!());
        exp.arms[a.arm].name.clone()
    }

    #[test]
    fn matches_the_python_reference_vectors() {
        assert_eq!(name(&two_arms("exp1", 50), "user-1"), "variant_b");
        assert_eq!(name(&two_arms("exp1", 50), "user-2"), "variant_a");
        assert_eq!(name(&two_arms("model-size", 30), "alice"), "variant_b");
        assert_eq!(name(&two_arms("prompt-v2", 10), "42"), "variant_a");
        assert_eq!(bucket("exp1", "user-1"), 7);
        assert_eq!(bucket("exp1", "user-2"), 62);
        assert_eq!(bucket("prompt-v2", "42"), 70);
        // ids the reference accepts with any characters (python3 -c, hashlib.md5)
        assert_eq!(bucket("temp-0.2", "alice"), 45);
        assert_eq!(bucket("temp-0.2", "bob"), 14);
        assert_eq!(bucket("model v2/α", "carol"), 11);
    }

    #[test]
    fn n_arms_fill_consecutive_buckets() {
        let mut exp = two_arms("e", 50);
        exp.arms = vec![arm("a", 20), arm("b", 0), arm("c", 30), arm("d", 50)];
        exp.control = 3;
        let picks: Vec<usize> = [0u8, 19, 20, 49, 50, 99]
            .iter()
            .map(|b| arm_for_bucket(&exp, *b))
            .collect();
        assert_eq!(
            picks,
            vec![0, 0, 2, 2, 3, 3],
            "a zero-weight arm gets no bucket"
        );
    }

    #[test]
    fn no_subject_forced_and_random_sticky() {
        let mut exp = two_arms("e", 50);
        let none = assign(&exp, None, None, &mut || unreachable!());
        assert_eq!((none.arm, none.how), (1, Assigned::Control));
        let forced = assign(&exp, Some("x"), Some("variant_b"), &mut || unreachable!());
        assert_eq!((forced.arm, forced.how), (0, Assigned::Forced));
        let unknown = assign(&exp, Some("user-1"), Some("nope"), &mut || unreachable!());
        assert_eq!(unknown.how, Assigned::Bucket);
        exp.no_subject = NoSubject::RandomSticky { cookie: "c".into() };
        let fresh = assign(&exp, None, None, &mut || "user-1".to_string());
        assert_eq!(fresh.set_cookie.as_deref(), Some("user-1"));
        let expected = arm_for_bucket(&exp, bucket("e", "user-1"));
        assert_eq!((fresh.arm, fresh.how), (expected, Assigned::NewCookie));
    }

    #[test]
    fn buckets_are_roughly_uniform() {
        let exp = two_arms("uniform", 30);
        let b = (0..10_000)
            .filter(|i| name(&exp, &format!("user-{i}")) == "variant_b")
            .count();
        assert!((2_700..3_300).contains(&b), "variant_b got {b} of 10000");
    }
}
