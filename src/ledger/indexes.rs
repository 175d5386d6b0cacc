//! The derived lookups of a [`Ledger`](super::Ledger): who sent and received what, the children
//! of each parent, what is pending, each handshake's next deadline, accounts by email and name.
//! Rebuilt from the handshakes and accounts; never serialized.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::store::Slot;
use crate::handshake::Handshake;
use crate::id::{AccountId, AccountName, Email, HandshakeId, OrganizationId};
use crate::vocab::Action;

/// Where a listing starts: a handshake's request time, then its id.
pub(super) type Position = (DateTime<Utc>, HandshakeId);

/// Derived lookups, rebuilt from the handshakes and accounts (never serialized).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Indexes {
    /// Every handshake an organization sent, in listing order.
    pub(super) by_organization: BTreeMap<OrganizationId, BTreeMap<Position, Slot>>,
    /// The same, per action.
    pub(super) by_organization_action: BTreeMap<(OrganizationId, Action), BTreeMap<Position, Slot>>,
    /// Every handshake an account received (resolved recipient), in listing order.
    pub(super) by_recipient: BTreeMap<AccountId, BTreeMap<Position, Slot>>,
    /// The same, per action.
    pub(super) by_recipient_action: BTreeMap<(AccountId, Action), BTreeMap<Position, Slot>>,
    /// The children of each enable-all-features parent.
    pub(super) children: BTreeMap<HandshakeId, BTreeMap<Position, Slot>>,
    /// Handshakes whose stored state is pending, per organization and action (some may have
    /// lapsed since; readers check the state at `now`). Each carries its slot, as `deadlines`
    /// does, so that the sweep reaches a handshake without a search by id.
    pub(super) pending: BTreeMap<(OrganizationId, Action), BTreeMap<HandshakeId, Slot>>,
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
        self.by_organization
            .entry(org)
            .or_default()
            .insert(position, slot);
        self.by_organization_action
            .entry((org, h.action()))
            .or_default()
            .insert(position, slot);
        if let Some(recipient) = h.recipient().account() {
            self.by_recipient
                .entry(*recipient)
                .or_default()
                .insert(position, slot);
            self.by_recipient_action
                .entry((*recipient, h.action()))
                .or_default()
                .insert(position, slot);
        }
        if let Some(parent) = h.parent() {
            self.children
                .entry(parent)
                .or_default()
                .insert(position, slot);
        }
        if h.state().is_pending() {
            self.pending
                .entry((org, h.action()))
                .or_default()
                .insert(h.id(), slot);
        }
        self.deadlines.insert((h.next_deadline(), h.id()), slot);
    }

    pub(super) fn drop_entries(&mut self, h: &Handshake) {
        fn take<K: Ord>(map: &mut BTreeMap<K, BTreeMap<Position, Slot>>, key: K, value: &Position) {
            if let Some(set) = map.get_mut(&key) {
                set.remove(value);
                if set.is_empty() {
                    map.remove(&key);
                }
            }
        }
        fn take_id<K: Ord>(
            map: &mut BTreeMap<K, BTreeMap<HandshakeId, Slot>>,
            key: K,
            id: &HandshakeId,
        ) {
            if let Some(set) = map.get_mut(&key) {
                set.remove(id);
                if set.is_empty() {
                    map.remove(&key);
                }
            }
        }
        let position = (h.requested_at(), h.id());
        let org = h.sender().id;
        take(&mut self.by_organization, org, &position);
        take(
            &mut self.by_organization_action,
            (org, h.action()),
            &position,
        );
        if let Some(recipient) = h.recipient().account() {
            take(&mut self.by_recipient, *recipient, &position);
            take(
                &mut self.by_recipient_action,
                (*recipient, h.action()),
                &position,
            );
        }
        if let Some(parent) = h.parent() {
            take(&mut self.children, parent, &position);
        }
        take_id(&mut self.pending, (org, h.action()), &h.id());
        self.deadlines.remove(&(h.next_deadline(), h.id()));
    }
}

/// Keeps the entries of a two-level index whose slot passes `keep`, and drops the inner maps
/// left empty (as [`Indexes::drop_entries`] does), in one ordered pass.
pub(super) fn retain_nested<K: Ord, L: Ord>(
    map: &mut BTreeMap<K, BTreeMap<L, Slot>>,
    mut keep: impl FnMut(&Slot) -> bool,
) {
    map.retain(|_, inner| {
        inner.retain(|_, slot| keep(slot));
        !inner.is_empty()
    });
}
