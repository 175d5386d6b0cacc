//! The derived lookups of a [`Ledger`](super::Ledger): who sent and received what, the children
//! of each parent, what is pending, each handshake's next deadline, accounts by email and name.
//! Rebuilt from the handshakes and accounts; never serialized.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::{DateTime, Utc};

use super::store::Slot;
use crate::handshake::Handshake;
use crate::id::{AccountId, AccountName, Email, HandshakeId, OrganizationId};
use crate::vocab::Action;

/// Where a listing starts: a handshake's request time, then its id.
pub(super) type Position = (DateTime<Utc>, HandshakeId);

/// The entries of one key of a two-level index, in key order. Most keys of the recipient
/// indexes hold a single handshake (an account is invited once), so one entry is held inline:
/// an inner `BTreeMap` allocates a whole 11-entry node for its first entry (632 bytes), which
/// made those two indexes most of a ledger's memory (issue 11: 3110 bytes per handshake).
/// `Many` always holds two entries or more, so that equal contents have equal values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Entries<K: Ord> {
    One(K, Slot),
    Many(BTreeMap<K, Slot>),
}

impl<K: Ord + Copy> Entries<K> {
    fn insert(&mut self, key: K, slot: Slot) {
        match self {
            Entries::One(k, s) if *k == key => *s = slot,
            Entries::One(k, s) => {
                *self = Entries::Many(BTreeMap::from([(*k, *s), (key, slot)]));
            }
            Entries::Many(map) => {
                map.insert(key, slot);
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

    /// Keeps the entries whose slot passes `keep`; returns whether the entries are now empty.
    /// A map is rebuilt from the entries kept (see [`rebuild`]).
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Slot) -> bool) -> bool {
        match self {
            Entries::One(_, slot) => !keep(slot),
            Entries::Many(map) => {
                rebuild(map, |_, slot| keep(slot));
                self.settle()
            }
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
                if let Some((k, s)) = map.pop_first() {
                    *self = Entries::One(k, s);
                }
                false
            }
            _ => false,
        }
    }

    /// The entries in key order.
    pub(super) fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &Slot)> {
        self.after(None)
    }

    /// The entries after `bound` (all of them without one), in key order.
    pub(super) fn after(&self, bound: Option<&K>) -> impl DoubleEndedIterator<Item = (&K, &Slot)> {
        let (one, many) = match self {
            Entries::One(k, s) => (bound.map_or(true, |b| k > b).then_some((k, s)), None),
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

/// Derived lookups, rebuilt from the handshakes and accounts (never serialized).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Indexes {
    /// Every handshake an organization sent, per action, in listing order. A listing of all
    /// actions merges the actions' entries (at most five); an index of all actions besides
    /// cost an entry per handshake for nothing else.
    pub(super) by_organization_action: BTreeMap<(OrganizationId, Action), Entries<Position>>,
    /// Every handshake an account received (resolved recipient), per action, in listing
    /// order (merged the same way).
    pub(super) by_recipient_action: BTreeMap<(AccountId, Action), Entries<Position>>,
    /// The children of each enable-all-features parent.
    pub(super) children: BTreeMap<HandshakeId, Entries<Position>>,
    /// Handshakes whose stored state is pending, per organization and action (some may have
    /// lapsed since; readers check the state at `now`). Each carries its slot, as `deadlines`
    /// does, so that the sweep reaches a handshake without a search by id.
    pub(super) pending: BTreeMap<(OrganizationId, Action), Entries<HandshakeId>>,
    /// Each handshake's next deadline (expiry while pending, purge once terminal).
    pub(super) deadlines: BTreeMap<(DateTime<Utc>, HandshakeId), Slot>,
    /// Accounts by email address and by name, for `Email` and `Name` targets.
    pub(super) by_email: BTreeMap<Email, AccountId>,
    pub(super) by_name: BTreeMap<AccountName, AccountId>,
}

impl Indexes {
    pub(super) fn add(&mut self, h: &Handshake, slot: Slot) {
        let position = (h.requested_at(), h.id());
        let org = h.sender().id;
        put(
            &mut self.by_organization_action,
            (org, h.action()),
            position,
            slot,
        );
        if let Some(recipient) = h.recipient().account() {
            put(
                &mut self.by_recipient_action,
                (*recipient, h.action()),
                position,
                slot,
            );
        }
        if let Some(parent) = h.parent() {
            put(&mut self.children, parent, position, slot);
        }
        if h.state().is_pending() {
            put(&mut self.pending, (org, h.action()), h.id(), slot);
        }
        self.deadlines.insert((h.next_deadline(), h.id()), slot);
    }

    /// Rebuilds every handshake index with full nodes. Entries added one by one, in order (as a
    /// restore adds them), leave each node about half full, since a node that overflows
    /// splits in two; rebuilt, a restored ledger of a million invitations holds about a third
    /// less (benches/memory).
    pub(super) fn compact(&mut self) {
        fn inner<K: Ord + Copy>(_: &impl Ord, entries: &mut Entries<K>) -> bool {
            if let Entries::Many(map) = entries {
                rebuild(map, |_, _| true);
            }
            true
        }
        rebuild(&mut self.by_organization_action, inner);
        rebuild(&mut self.by_recipient_action, inner);
        rebuild(&mut self.children, inner);
        rebuild(&mut self.pending, inner);
        rebuild(&mut self.deadlines, |_, _| true);
    }

    pub(super) fn drop_entries(&mut self, h: &Handshake) {
        let position = (h.requested_at(), h.id());
        let org = h.sender().id;
        take(
            &mut self.by_organization_action,
            (org, h.action()),
            &position,
        );
        if let Some(recipient) = h.recipient().account() {
            take(
                &mut self.by_recipient_action,
                (*recipient, h.action()),
                &position,
            );
        }
        if let Some(parent) = h.parent() {
            take(&mut self.children, parent, &position);
        }
        take(&mut self.pending, (org, h.action()), &h.id());
        self.deadlines.remove(&(h.next_deadline(), h.id()));
    }
}

/// Adds an entry to a two-level index.
fn put<O: Ord, K: Ord + Copy>(map: &mut BTreeMap<O, Entries<K>>, outer: O, key: K, slot: Slot) {
    match map.entry(outer) {
        std::collections::btree_map::Entry::Vacant(vacant) => {
            vacant.insert(Entries::One(key, slot));
        }
        std::collections::btree_map::Entry::Occupied(mut occupied) => {
            occupied.get_mut().insert(key, slot);
        }
    }
}

/// Removes an entry from a two-level index, and the outer key when it was the last.
pub(super) fn take<O: Ord, K: Ord + Copy>(map: &mut BTreeMap<O, Entries<K>>, outer: O, key: &K) {
    if let Some(entries) = map.get_mut(&outer) {
        if entries.remove(key) {
            map.remove(&outer);
        }
    }
}

/// Keeps the entries of a two-level index whose slot passes `keep`, and drops the outer keys
/// left empty (as [`Indexes::drop_entries`] does), in one ordered pass.
pub(super) fn retain_nested<K: Ord, L: Ord + Copy>(
    map: &mut BTreeMap<K, Entries<L>>,
    mut keep: impl FnMut(&Slot) -> bool,
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
