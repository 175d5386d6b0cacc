//! The derived lookups of a [`Ledger`](super::Ledger): who sent and received what, the children
//! of each parent, what is pending, each handshake's next deadline, accounts by email and name.
//! Rebuilt from the handshakes and accounts; never serialized.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::btree::{put, rebuild, take};
use super::store::Slot;
use crate::handshake::Handshake;
use crate::id::{AccountId, AccountName, Email, HandshakeId, OrganizationId};
use crate::vocab::Action;

/// Where a listing starts: a handshake's request time, then its id.
pub(super) type Position = (DateTime<Utc>, HandshakeId);

/// The entries of one key of a two-level index, each leading to the slot of its handshake.
pub(super) type Entries<K> = super::btree::Entries<K, Slot>;

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
            entries.compact();
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
