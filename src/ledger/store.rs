//! The handshakes of a [`Ledger`](super::Ledger), kept in slots.

use std::collections::BTreeMap;

use serde::Serialize;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::btree::rebuild;
use crate::handshake::{Handshake, SenderOrganization};
use crate::id::{HandshakeId, OrganizationId};
use crate::policy::RETENTION;

/// Where a handshake is kept in the [`Store`].
pub(super) type Slot = usize;

/// The handshakes: kept in slots so that an index entry leads straight to its handshake (one
/// step per listed item, not another O(log n) search), and found by id through `by_id`.
/// Serialized as a map from id to handshake, in id order, whatever the slots.
#[derive(Debug, Clone, Default)]
pub(super) struct Store {
    slots: Vec<Option<Handshake>>,
    /// The empty slots, taken again before the vector grows.
    free: Vec<Slot>,
    /// Where each stored handshake is: every entry leads to a taken slot holding the
    /// handshake of that id, and every taken slot has its entry.
    by_id: BTreeMap<HandshakeId, Slot>,
    /// The sender each organization's last stored handshake carries: a handshake stored with
    /// the same sender shares it rather than holding its own copy.
    senders: BTreeMap<OrganizationId, Arc<SenderOrganization>>,
    /// The longest time from request to expiry of any handshake ever stored (never lowered):
    /// a handshake requested longer ago than this plus the retention is gone, which lets a
    /// listing start past the handshakes no one can see any more.
    longest_validity: TimeDelta,
}

impl Store {
    /// An empty store with room for `n` handshakes.
    pub(super) fn with_capacity(n: usize) -> Store {
        Store {
            slots: Vec::with_capacity(n),
            ..Store::default()
        }
    }

    /// Rebuilds the id index with full nodes (see `Indexes::compact`).
    pub(super) fn compact(&mut self) {
        rebuild(&mut self.by_id, |_, _| true);
    }

    pub(super) fn get(&self, id: &HandshakeId) -> Option<&Handshake> {
        self.by_id.get(id).and_then(|slot| self.slot(*slot))
    }

    pub(super) fn slot(&self, slot: Slot) -> Option<&Handshake> {
        self.slots.get(slot).and_then(Option::as_ref)
    }

    /// The handshake in `slot`, to change in place: a change must keep its id (its `by_id`
    /// entry leads here) and may not lengthen its validity (see `longest_validity`), which
    /// writing a lapse down does not.
    pub(super) fn slot_mut(&mut self, slot: Slot) -> Option<&mut Handshake> {
        self.slots.get_mut(slot).and_then(Option::as_mut)
    }

    /// How many slots there are, taken or free: every slot is below this.
    pub(super) fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Visits every stored handshake in slot (memory) order with its slot and that slot's mark
    /// (`marks` has one per slot, see [`slot_count`](Self::slot_count); a slot past its end is
    /// not visited), and drops those `keep` returns false for: their slots are freed, and the id
    /// index is then rebuilt in one ordered pass. For the bulk sweep, which visits many
    /// handshakes: visited in deadline order, each visit was a cache miss and the pass took
    /// three times as long; dropped one by one, each cost a search from the root of `by_id`.
    /// `keep` may change a handshake it keeps under the rules of [`slot_mut`](Self::slot_mut).
    pub(super) fn retain_marked<M>(
        &mut self,
        marks: &mut [M],
        mut keep: impl FnMut(Slot, &mut M, &mut Handshake) -> bool,
    ) {
        let mut dropped = vec![false; marks.len()];
        let mut any = false;
        let visits = self.slots.iter_mut().zip(marks).zip(&mut dropped);
        for (slot, ((place, mark), dropped)) in visits.enumerate() {
            let Some(handshake) = place else {
                continue;
            };
            if !keep(slot, mark, handshake) {
                *place = None;
                *dropped = true;
                any = true;
                // Slots are freed in slot order rather than deadline order: which free slot
                // a later handshake takes is not observable.
                self.free.push(slot);
            }
        }
        if any {
            rebuild(&mut self.by_id, |_, slot| {
                !dropped.get(*slot).copied().unwrap_or(false)
            });
        }
    }

    pub(super) fn len(&self) -> usize {
        self.by_id.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (Slot, &Handshake)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(slot, h)| h.as_ref().map(|h| (slot, h)))
    }

    /// See `longest_validity`: no handshake stored here is visible at `now` if it was
    /// requested at or before the returned time (`None` when every stored one may be).
    pub(super) fn visible_since(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        now.checked_sub_signed(self.longest_validity)?
            .checked_sub_signed(RETENTION)
    }

    /// Stores a handshake whose id is not stored yet.
    pub(super) fn insert(&mut self, mut handshake: Handshake) -> Slot {
        let validity = handshake.expires_at() - handshake.requested_at();
        self.longest_validity = self.longest_validity.max(validity);
        let id = handshake.id();
        let organization = handshake.sender().id;
        let shared = self
            .senders
            .get(&organization)
            .is_some_and(|sender| handshake.share_sender(sender));
        if !shared {
            let sender = Arc::clone(handshake.shared_sender());
            self.senders.insert(organization, sender);
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                if let Some(place) = self.slots.get_mut(slot) {
                    *place = Some(handshake);
                }
                slot
            }
            None => {
                self.slots.push(Some(handshake));
                self.slots.len() - 1
            }
        };
        self.by_id.insert(id, slot);
        slot
    }

    pub(super) fn remove(&mut self, id: &HandshakeId) -> Option<Handshake> {
        let slot = self.by_id.remove(id)?;
        let old = self.slots.get_mut(slot).and_then(Option::take);
        self.free.push(slot);
        old
    }
}

impl Store {
    /// Every stored handshake with its id, in id order (whatever the slots).
    pub(super) fn entries(&self) -> impl Iterator<Item = (&HandshakeId, &Handshake)> {
        self.by_id
            .iter()
            .filter_map(|(id, slot)| self.slot(*slot).map(|h| (id, h)))
    }
}

impl Serialize for Store {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries())
    }
}
