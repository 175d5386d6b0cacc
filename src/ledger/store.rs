//! The handshakes of a [`Ledger`](super::Ledger), kept in slots.

use std::collections::BTreeMap;

use serde::Serialize;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

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
    pub(super) slots: Vec<Option<Handshake>>,
    pub(super) free: Vec<Slot>,
    pub(super) by_id: BTreeMap<HandshakeId, Slot>,
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
        super::indexes::rebuild(&mut self.by_id, |_, _| true);
    }

    pub(super) fn get(&self, id: &HandshakeId) -> Option<&Handshake> {
        self.by_id.get(id).and_then(|slot| self.slot(*slot))
    }

    pub(super) fn slot(&self, slot: Slot) -> Option<&Handshake> {
        self.slots.get(slot).and_then(Option::as_ref)
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
