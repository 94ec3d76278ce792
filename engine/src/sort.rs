// Indexing is safe in this module: perm is a permutation of 0..len of the slice being reordered.
#![allow(clippy::indexing_slicing)]
//! Stable sorting through one shared, non-generic sort (issue 11: the
//! release bundle's size budget).
//!
//! `slice::sort_by` is generic over the element and the comparator, so every
//! call site instantiates the whole standard driftsort (about 4 KB of wasm
//! each); with ~75 of them that was the largest single item of the bundle's
//! code. Here one merge sort (ours, smaller than even one instantiation of
//! the standard one) runs on a permutation of indices, with the comparator
//! behind `&mut dyn FnMut`; the permutation is then applied in place. The
//! result is exactly that of the standard stable sort (equal elements keep
//! their order), so callers see no difference.
//!
//! Use these instead of `sort`, `sort_by`, `sort_by_key` and
//! `sort_by_cached_key` (clippy.toml disallows those), and build a
//! `BTreeMap`/`BTreeSet` with `extend` rather than `collect` when the input is
//! unsorted, because `collect` sorts its input with the same generic sort.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let perm = {
        let items: &[T] = v;
        permutation(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                // Unreachable: both are indices below the length.
                _ => a.cmp(&b),
            },
        )
    };
    apply(v, perm);
}

/// Sorts `v` stably by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably in ascending order, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The pairs as a map, like `collect::<BTreeMap<_, _>>()` (a later pair
/// wins over an earlier one with the same key) but by insertion, because
/// `collect` sorts its input with a generic sort instantiated per type.
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut out = BTreeMap::new();
    out.extend(pairs);
    out
}

/// The items as a set, like `collect::<BTreeSet<_>>()`, by insertion (see
/// [`map`]).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut out = BTreeSet::new();
    out.extend(items);
    out
}

/// The order of `0..len` that sorts the elements `cmp` compares by index,
/// stably. Our own merge sort rather than the standard one: even a single
/// instantiation of driftsort is ~5 KB of wasm, this is a fraction of it.
/// Runs of [`RUN`] are sorted by insertion, then merged bottom-up; a merge
/// whose halves are already in order is a copy, so sorted input costs one
/// comparison per element. A stable sort's result is unique, so this is
/// exactly the order the standard stable sort gives (the tests compare).
#[inline(never)]
fn permutation(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    const RUN: usize = 16;
    let mut a: Vec<usize> = (0..len).collect();
    for start in (0..len).step_by(RUN) {
        let end = (start + RUN).min(len);
        for i in start + 1..end {
            // The new element moves left past greater ones only (stable).
            let mut j = i;
            while j > start && cmp(a[j - 1], a[j]) == Ordering::Greater {
                a.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut b = vec![0; len];
    let mut width = RUN;
    while width < len {
        for start in (0..len).step_by(2 * width) {
            let mid = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            merge(&a[start..mid], &a[mid..end], &mut b[start..end], cmp);
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Merges two sorted runs into `out` (`left.len() + right.len()` long); on
/// ties the left run's element comes first (stable).
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut [usize],
    cmp: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    let in_order = match (left.last(), right.first()) {
        (Some(&l), Some(&r)) => cmp(l, r) != Ordering::Greater,
        _ => true,
    };
    if in_order {
        out[..left.len()].copy_from_slice(left);
        out[left.len()..].copy_from_slice(right);
        return;
    }
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        let take_left = match (left.get(i), right.get(j)) {
            (Some(&l), Some(&r)) => cmp(l, r) != Ordering::Greater,
            (Some(_), None) => true,
            _ => false,
        };
        if take_left {
            *slot = left[i];
            i += 1;
        } else {
            *slot = right[j];
            j += 1;
        }
    }
}

/// Reorders `v` so that `v[i]` becomes the old `v[perm[i]]`, following each
/// cycle of the permutation with swaps (linear, no clones).
fn apply<T>(v: &mut [T], mut perm: Vec<usize>) {
    for start in 0..perm.len() {
        let mut cur = start;
        loop {
            let next = perm[cur];
            // Marks `cur` as placed; a placed start ends its (trivial) cycle.
            perm[cur] = cur;
            if next == start || next == cur {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the comparison with the standard
    /// sort covers many shapes (runs, ties, reversed) without a dependency.
    fn numbers(seed: u64, len: usize, modulo: u64) -> Vec<(u64, usize)> {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..len)
            .map(|i| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) % modulo, i)
            })
            .collect()
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // compares against the standard sort
    fn same_order_as_the_standard_stable_sort() {
        for seed in 0..40 {
            for len in [0, 1, 2, 3, 7, 20, 33, 100, 257, 1000] {
                for modulo in [1, 3, 50, 1_000_000] {
                    let input = numbers(seed, len, modulo);
                    let mut want = input.clone();
                    want.sort_by_key(|p| p.0);
                    let mut got = input.clone();
                    sort_by_key(&mut got, |p| p.0);
                    assert_eq!(got, want, "seed {seed} len {len} modulo {modulo}");
                    let mut rev = input;
                    sort_by(&mut rev, |a, b| b.0.cmp(&a.0));
                    want.sort_by_key(|p| std::cmp::Reverse(p.0));
                    assert_eq!(rev, want);
                }
            }
        }
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(set(["b", "a", "b"]), BTreeSet::from(["a", "b"]));
        let mut words = vec!["b", "a", "c", "a"];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }
}
