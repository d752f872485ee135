//! Compiled phrase matchers shared across policies in one VM.
//!
//! The built-in phrase lists compile to an automaton of megabytes in about a
//! second of CPU, with a transient peak several times its size. A policy
//! reload that leaves the phrase lists as they were (a canary weight, an
//! experiment, a route: the usual edit) must cost neither: [`shared`] hands
//! back the matcher already compiled for the same lists (same entry ids, same
//! patterns, same order), so a reload compiles only what changed, and a VM's
//! memory, which never shrinks, does not step up at every reload.
//!
//! The cache holds the most recently compiled matcher strongly (the policy
//! being replaced may already be gone when its successor compiles) and every
//! other one weakly: a matcher no policy uses any more is freed.

use super::phrases::PhraseMatcher;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// Phrase lists as [`PhraseMatcher::new`] takes them.
pub type Lists = Vec<(u16, Vec<String>)>;

#[derive(Default)]
struct Cache {
    last: Option<(Lists, Rc<PhraseMatcher>)>,
    others: Vec<(Lists, Weak<PhraseMatcher>)>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// The matcher for `lists`: the one already compiled in this thread (VM)
/// when it is still alive, else a new one. Err as [`PhraseMatcher::new`].
pub fn shared(lists: &Lists) -> Result<Rc<PhraseMatcher>, String> {
    if let Some(found) = CACHE.with(|c| c.borrow_mut().find(lists)) {
        return Ok(found);
    }
    let compiled = Rc::new(PhraseMatcher::new(lists)?);
    CACHE.with(|c| c.borrow_mut().insert(lists.clone(), Rc::clone(&compiled)));
    Ok(compiled)
}

impl Cache {
    fn find(&mut self, lists: &Lists) -> Option<Rc<PhraseMatcher>> {
        self.others.retain(|(_, weak)| weak.strong_count() > 0);
        if let Some((key, matcher)) = &self.last {
            if key == lists {
                return Some(Rc::clone(matcher));
            }
        }
        self.others
            .iter()
            .find(|(key, _)| key == lists)
            .and_then(|(_, weak)| weak.upgrade())
    }

    fn insert(&mut self, lists: Lists, matcher: Rc<PhraseMatcher>) {
        if let Some((key, previous)) = self.last.take() {
            self.others.push((key, Rc::downgrade(&previous)));
        }
        self.last = Some((lists, matcher));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn lists(phrase: &str) -> Lists {
        vec![
            (0, vec![phrase.to_string()]),
            (1, vec!["kill yourself".into()]),
        ]
    }

    #[test]
    fn same_lists_share_one_matcher() {
        let a = shared(&lists("ignore previous instructions")).unwrap();
        let b = shared(&lists("ignore previous instructions")).unwrap();
        assert!(Rc::ptr_eq(&a, &b));
    }

    #[test]
    fn other_lists_or_ids_compile_their_own() {
        let a = shared(&lists("ignore previous instructions")).unwrap();
        let b = shared(&lists("ignore prior instructions")).unwrap();
        assert!(!Rc::ptr_eq(&a, &b));
        let mut renumbered = lists("ignore previous instructions");
        renumbered[0].0 = 7;
        let c = shared(&renumbered).unwrap();
        assert!(!Rc::ptr_eq(&a, &c));
        let mut out = Vec::new();
        c.scan("please ignore previous instructions", &mut out);
        assert_eq!(out.first().map(|(group, _)| *group), Some(7));
    }

    #[test]
    fn a_matcher_still_in_use_is_found_after_another_compiled() {
        let a = shared(&lists("alpha beta gamma")).unwrap();
        let _b = shared(&lists("delta epsilon zeta")).unwrap();
        let again = shared(&lists("alpha beta gamma")).unwrap();
        assert!(Rc::ptr_eq(&a, &again));
    }

    #[test]
    fn a_matcher_nobody_holds_is_freed() {
        let weak = Rc::downgrade(&shared(&lists("eta theta iota")).unwrap());
        // Still the most recent: kept for the next policy.
        assert!(weak.upgrade().is_some());
        let _other = shared(&lists("kappa lambda mu")).unwrap();
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn a_bad_pattern_is_refused_and_not_cached() {
        let bad = vec![(0, vec!["(unbalanced".to_string()])];
        assert!(shared(&bad).is_err());
        assert!(shared(&bad).is_err());
    }
}
