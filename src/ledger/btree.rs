//! B-tree helpers the ledger's store and indexes share: [`Entries`], the inner level of a
//! two-level index, and the ordered passes that add, take and filter entries ([`put`],
//! [`take`], [`retain_nested`], [`rebuild`]). Generic over the value an entry leads to (a
//! store slot), so that this module depends on neither the store nor the indexes.

use std::collections::BTreeMap;
use std::ops::Bound;

/// The entries of one key of a two-level index, in key order, each leading to a value `V`
/// (where its handshake is stored). Most keys of the recipient indexes hold a single handshake
/// (an account is invited once), so one entry is held inline: an inner `BTreeMap` allocates a
/// whole 11-entry node for its first entry (632 bytes), which made those two indexes most of a
/// ledger's memory (3110 bytes per handshake).
/// `Many` always holds two entries or more, so that equal contents have equal values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Entries<K: Ord, V> {
    One(K, V),
    Many(BTreeMap<K, V>),
}

impl<K: Ord + Copy, V: Copy> Entries<K, V> {
    fn insert(&mut self, key: K, value: V) {
        match self {
            Entries::One(k, v) if *k == key => *v = value,
            Entries::One(k, v) => {
                *self = Entries::Many(BTreeMap::from([(*k, *v), (key, value)]));
            }
            Entries::Many(map) => {
                map.insert(key, value);
            }
        }
    }

    /// Removes `key`; returns whether the entries are now empty.
    fn remove(&mut self, key: &K) -> bool {
        match self {
            Entries::One(k, _) => k == key,
            Entries::Many(map) => {
                map.remove(key);
                self.settle()
            }
        }
    }

    /// Keeps the entries whose value passes `keep`; returns whether the entries are now empty.
    /// A map is rebuilt from the entries kept (see [`rebuild`]).
    fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) -> bool {
        match self {
            Entries::One(_, value) => !keep(value),
            Entries::Many(map) => {
                rebuild(map, |_, value| keep(value));
                self.settle()
            }
        }
    }

    /// Rebuilds a map of entries with full nodes (see [`rebuild`]).
    pub(super) fn compact(&mut self) {
        if let Entries::Many(map) = self {
            rebuild(map, |_, _| true);
        }
    }

    /// Brings `Many` back to `One` when a single entry is left; returns whether none is.
    fn settle(&mut self) -> bool {
        let Entries::Many(map) = self else {
            return false;
        };
        match map.len() {
            0 => true,
            1 => {
                if let Some((k, v)) = map.pop_first() {
                    *self = Entries::One(k, v);
                }
                false
            }
            _ => false,
        }
    }

    /// The entries in key order.
    pub(super) fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        self.after(None)
    }

    /// The entries after `bound` (all of them without one), in key order.
    pub(super) fn after(&self, bound: Option<&K>) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        let (one, many) = match self {
            Entries::One(k, v) => (bound.map_or(true, |b| k > b).then_some((k, v)), None),
            Entries::Many(map) => (
                None,
                Some(match bound {
                    Some(b) => map.range((Bound::Excluded(b), Bound::Unbounded)),
                    None => map.range::<K, _>(..),
                }),
            ),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }
}

/// Adds an entry to a two-level index.
pub(super) fn put<O: Ord, K: Ord + Copy, V: Copy>(
    map: &mut BTreeMap<O, Entries<K, V>>,
    outer: O,
    key: K,
    value: V,
) {
    match map.entry(outer) {
        std::collections::btree_map::Entry::Vacant(vacant) => {
            vacant.insert(Entries::One(key, value));
        }
        std::collections::btree_map::Entry::Occupied(mut occupied) => {
            occupied.get_mut().insert(key, value);
        }
    }
}

/// Removes an entry from a two-level index, and the outer key when it was the last.
pub(super) fn take<O: Ord, K: Ord + Copy, V: Copy>(
    map: &mut BTreeMap<O, Entries<K, V>>,
    outer: O,
    key: &K,
) {
    if let Some(entries) = map.get_mut(&outer) {
        if entries.remove(key) {
            map.remove(&outer);
        }
    }
}

/// Keeps the entries of a two-level index whose value passes `keep`, and drops the outer keys
/// left empty (as [`take`] does), in one ordered pass.
pub(super) fn retain_nested<O: Ord, K: Ord + Copy, V: Copy>(
    map: &mut BTreeMap<O, Entries<K, V>>,
    mut keep: impl FnMut(&V) -> bool,
) {
    rebuild(map, |_, inner| !inner.retain(&mut keep));
}

/// Keeps the entries of `map` that pass `keep` (which may change their value) by building a
/// new map from them: the entries come out of the old map in order, so `collect` sorts
/// nothing and fills each node in turn. `BTreeMap::retain` removes entries one at a time,
/// shifting the rest of the node and rebalancing: at 400 000 removals out of 1 000 000 that
/// was half of the sweep benchmark's instructions.
pub(super) fn rebuild<K: Ord, V>(
    map: &mut BTreeMap<K, V>,
    mut keep: impl FnMut(&K, &mut V) -> bool,
) {
    // Gathered in a vector sized for every entry first: `collect` straight from the filter
    // grew its vector step by step (a twelfth of the sweep in `realloc`), and a vector is
    // what `BTreeMap::from_iter` sorts and builds from anyway (it reuses this one).
    let mut kept = Vec::with_capacity(map.len());
    kept.extend(
        std::mem::take(map)
            .into_iter()
            .filter_map(|(k, mut v)| keep(&k, &mut v).then_some((k, v))),
    );
    *map = kept.into_iter().collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Many` never holds fewer than two entries: equal contents must compare equal, which
    /// `Indexes` equality (the consistency check) relies on.
    #[test]
    fn entries_settle_to_one_and_to_empty() {
        let mut map: BTreeMap<u8, Entries<u8, usize>> = BTreeMap::new();
        put(&mut map, 1, 10, 0);
        // The same key again takes the new value and stays one entry.
        put(&mut map, 1, 10, 9);
        assert_eq!(map.get(&1), Some(&Entries::One(10, 9)));
        put(&mut map, 1, 10, 0);
        put(&mut map, 1, 20, 1);
        assert!(matches!(map.get(&1), Some(Entries::Many(inner)) if inner.len() == 2));
        take(&mut map, 1, &10);
        assert_eq!(map.get(&1), Some(&Entries::One(20, 1)));
        take(&mut map, 1, &20);
        assert!(map.is_empty());
        put(&mut map, 2, 1, 5);
        put(&mut map, 2, 2, 6);
        put(&mut map, 2, 3, 7);
        put(&mut map, 3, 1, 6);
        retain_nested(&mut map, |value| *value != 6);
        let left: Vec<_> = map.get(&2).into_iter().flat_map(Entries::iter).collect();
        assert_eq!(left, vec![(&1, &5), (&3, &7)]);
        assert!(!map.contains_key(&3), "an outer key left empty is dropped");
        let after: Vec<_> = map
            .get(&2)
            .into_iter()
            .flat_map(|e| e.after(Some(&1)))
            .collect();
        assert_eq!(after, vec![(&3, &7)]);
    }
}
