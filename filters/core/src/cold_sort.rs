//! [`sort_stable_by`]: one stable sort shared by the cold paths (guard
//! verdicts and redactions). Each `sort_by`/`sort_by_key` call site
//! instantiates the standard library's whole stable sort (about 5 KB of
//! wasm each), and every KB of wasm code costs Envoy some 20-30 KB of RSS;
//! this sorts indices with one instantiation for all sites. Same order as
//! `sort_by` (ties keep their original order); an extra index vector and a
//! dynamic call per comparison, so not for hot paths.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably: exactly what `v.sort_by(cmp)` does.
pub(crate) fn sort_stable_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        sorted_indices(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                _ => Ordering::Equal,
            },
        )
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// `0..len` stably sorted by `cmp` over indices.
#[inline(never)]
fn sorted_indices(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sorts_as_the_standard_stable_sort_does() {
        let mut rng = fastrand::Rng::with_seed(15);
        for len in [0, 1, 2, 3, 10, 100, 1000] {
            let v: Vec<(u8, String)> = (0..len)
                .map(|i| (rng.u8(0..5), format!("item {i}")))
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|b| std::cmp::Reverse(b.0));
            let mut got = v;
            sort_stable_by(&mut got, |a, b| b.0.cmp(&a.0));
            assert_eq!(got, want, "len {len}");
        }
    }
}
