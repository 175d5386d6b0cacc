//! The [`Ledger`]: a world of organizations, accounts and handshakes, and the operations on it
//! (invite, accept, decline, cancel, describe, enable all features, listings, sweep).
//!
//! The ledger is provider-neutral: it takes a [`Profile`] for validity periods, the daily
//! quota and the id rule, and neutral types for everything else. A provider's operation layer
//! parses its request, calls one ledger method, and renders the result or the
//! [`Failure`](crate::Failure) that [`LedgerError`] converts to.
//!
//! # The contract
//!
//! - **Pure.** Every call takes the calling account and `now`; calls that create handshakes
//!   take their new ids. Nothing reads a clock or draws a random number.
//! - **A refusal changes nothing.** A refused call leaves the ledger exactly as it was (it
//!   serializes identically).
//! - **One clock.** The ledger remembers the `now` of its last change (its
//!   [`clock`](Ledger::clock)); every call, reads included, whose `now` is earlier is refused
//!   with [`LedgerError::TimeWentBackwards`]
//!   ([`ErrorKind::ConcurrentModification`](crate::ErrorKind::ConcurrentModification)). One
//!   clock for the whole ledger, rather than one per handshake or organization, because a call
//!   touches several things (an organization's quota window, an account's membership, a parent
//!   and its children) and a single history is the simplest order in which every observation
//!   stays true.
//! - **Lazy time.** Expiry and purge are observed at `now`: nothing needs to run between two
//!   calls. [`sweep`](Ledger::sweep) writes lapses down and drops purged handshakes without
//!   changing what any later call observes.
//!
//! # Example: invite and accept
//!
//! ```
//! use org_handshake::*;
//! use org_handshake::ledger::*;
//!
//! let world: World = serde_json::from_value(serde_json::json!({
//!     "organizations": [{
//!         "id": "o-exampleorgid",
//!         "management_account": { "id": "111111111111", "name": "Bill", "email": "bill@example.com" },
//!         "feature_set": "all"
//!     }],
//!     "accounts": [{ "id": "222222222222", "name": "juan", "email": "juan@example.com" }]
//! }))?;
//! let mut ledger = Ledger::new(Profile::AWS, &world)?;
//! let bill: AccountId = "111111111111".parse()?;
//! let juan: AccountId = "222222222222".parse()?;
//! let now: chrono::DateTime<chrono::Utc> = "2026-01-05T10:00:00Z".parse()?;
//!
//! let invite = InviteRequest::new("h-0123456789abcdef".parse()?, Party::Email("juan@example.com".parse()?));
//! let sent = ledger.invite(bill, invite, now)?;
//! assert_eq!(sent.handshake.recipient().account(), Some(&juan)); // resolved by email
//!
//! let later = now + chrono::TimeDelta::hours(1);
//! let accepted = ledger.accept(juan, sent.handshake.id(), later)?;
//! assert_eq!(accepted.handshake.state(), HandshakeState::Accepted);
//! assert_eq!(ledger.membership(&juan), Membership::Member("o-exampleorgid".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod enable_all_features;
mod error;
mod invite;
mod listing;
mod respond;
mod world;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::handshake::{Handshake, SenderOrganization};
use crate::id::{AccountId, AccountName, Email, HandshakeId, OrganizationId};
use crate::policy::Profile;
use crate::transition::{Caller, Command, Event, Membership};
use crate::vocab::{Action, FeatureSet};

pub use error::{LedgerError, Parameter};
pub use invite::InviteRequest;
pub use listing::{HandshakeFilter, Page, PageRequest};
pub use world::{AccountSpec, OrganizationSpec, World, WorldError};

/// Where a listing starts: a handshake's request time, then its id.
type Position = (DateTime<Utc>, HandshakeId);

/// Where a handshake is kept in the [`Store`].
type Slot = usize;

/// The handshakes: kept in slots so that an index entry leads straight to its handshake (one
/// step per listed item, not another O(log n) search), and found by id through `by_id`.
/// Serialized as a map from id to handshake, in id order, whatever the slots.
#[derive(Debug, Clone, Default)]
struct Store {
    slots: Vec<Option<Handshake>>,
    free: Vec<Slot>,
    by_id: BTreeMap<HandshakeId, Slot>,
}

impl Store {
    fn get(&self, id: &HandshakeId) -> Option<&Handshake> {
        self.by_id.get(id).and_then(|slot| self.slot(*slot))
    }

    fn slot(&self, slot: Slot) -> Option<&Handshake> {
        self.slots.get(slot).and_then(Option::as_ref)
    }

    fn contains_key(&self, id: &HandshakeId) -> bool {
        self.by_id.contains_key(id)
    }

    fn len(&self) -> usize {
        self.by_id.len()
    }

    fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    fn iter(&self) -> impl Iterator<Item = (Slot, &Handshake)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(slot, h)| h.as_ref().map(|h| (slot, h)))
    }

    /// Stores a handshake whose id is not stored yet.
    fn insert(&mut self, handshake: Handshake) -> Slot {
        let id = handshake.id();
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

    fn remove(&mut self, id: &HandshakeId) -> Option<Handshake> {
        let slot = self.by_id.remove(id)?;
        let old = self.slots.get_mut(slot).and_then(Option::take);
        self.free.push(slot);
        old
    }
}

impl Serialize for Store {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.by_id
                .iter()
                .filter_map(|(id, slot)| self.slot(*slot).map(|h| (id, h))),
        )
    }
}

/// What a successful changing call did: the handshake it is about and every other handshake it
/// changed, each as seen at `now`, and the events, in the order they happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// The handshake the call is about (the new invitation, the accepted handshake, the
    /// enable-all-features parent …).
    pub handshake: Handshake,
    /// Other handshakes the call created or changed as a side effect (the children of an
    /// enable-all-features request, invitations it canceled, a parent that opened …).
    pub related: Vec<Handshake>,
    /// What happened.
    pub events: Vec<Event>,
}

/// What [`Ledger::sweep`] wrote down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Swept {
    /// Lapsed handshakes whose expiry was written down (one already past its retention is only
    /// counted as purged).
    pub expired: usize,
    /// Purged handshakes dropped.
    pub purged: usize,
}

/// An account: what the world says about it, and the organization it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct AccountRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<AccountName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<Email>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<OrganizationId>,
}

/// An organization: its management account, feature set and members in joining order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct OrganizationRecord {
    management_account: AccountId,
    management_account_name: AccountName,
    management_account_email: Option<Email>,
    feature_set: Option<FeatureSet>,
    members: Vec<AccountId>,
}

/// An organization as [`Ledger::organization`] shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationView<'a> {
    /// The organization id.
    pub id: OrganizationId,
    /// Its management account.
    pub management_account: AccountId,
    /// Its feature set, when the provider has one.
    pub feature_set: Option<FeatureSet>,
    /// Its members, in the order they joined.
    pub members: &'a [AccountId],
}

/// Derived lookups, rebuilt from the handshakes and accounts (never serialized).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Indexes {
    /// Every handshake an organization sent, in listing order.
    by_organization: BTreeMap<OrganizationId, BTreeMap<Position, Slot>>,
    /// The same, per action.
    by_organization_action: BTreeMap<(OrganizationId, Action), BTreeMap<Position, Slot>>,
    /// Every handshake an account received (resolved recipient), in listing order.
    by_recipient: BTreeMap<AccountId, BTreeMap<Position, Slot>>,
    /// The same, per action.
    by_recipient_action: BTreeMap<(AccountId, Action), BTreeMap<Position, Slot>>,
    /// The children of each enable-all-features parent.
    children: BTreeMap<HandshakeId, BTreeMap<Position, Slot>>,
    /// Handshakes whose stored state is pending, per organization and action (some may have
    /// lapsed since; readers check the state at `now`).
    pending: BTreeMap<(OrganizationId, Action), BTreeSet<HandshakeId>>,
    /// Each handshake's next deadline (expiry while pending, purge once terminal).
    deadlines: BTreeSet<(DateTime<Utc>, HandshakeId)>,
    /// Accounts by email address and by name, for `Email` and `Name` targets.
    by_email: BTreeMap<Email, AccountId>,
    by_name: BTreeMap<AccountName, AccountId>,
}

/// The world of organizations, accounts and handshakes, with the operations on it.
///
/// See the [module documentation](self) for the contract. Serializes deterministically (every
/// map is ordered; derived indexes are left out), so two ledgers in the same state serialize
/// to the same JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    #[serde(serialize_with = "profile_name")]
    profile: Profile,
    clock: Option<DateTime<Utc>>,
    accounts: BTreeMap<AccountId, AccountRecord>,
    organizations: BTreeMap<OrganizationId, OrganizationRecord>,
    handshakes: Store,
    #[serde(skip)]
    indexes: Indexes,
}

fn profile_name<S: serde::Serializer>(profile: &Profile, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(profile.name)
}

impl Ledger {
    /// A ledger holding `world`, with no handshakes, under `profile`.
    ///
    /// # Errors
    ///
    /// [`WorldError`] when the world cannot exist: an account or organization listed twice, a
    /// member that is not a listed account, an account in two organizations, or two accounts
    /// sharing an email address or a name (targets by email or name must find one account).
    ///
    /// # Example: an account in two organizations is refused
    ///
    /// ```
    /// use org_handshake::Profile;
    /// use org_handshake::ledger::{Ledger, World};
    /// let world: World = serde_json::from_value(serde_json::json!({
    ///     "organizations": [
    ///         { "id": "o-aaaaaaaaaa", "management_account": { "id": "111111111111", "name": "a" }, "members": ["333333333333"] },
    ///         { "id": "o-bbbbbbbbbb", "management_account": { "id": "222222222222", "name": "b" }, "members": ["333333333333"] }
    ///     ],
    ///     "accounts": [{ "id": "333333333333", "name": "c" }]
    /// }))?;
    /// let err = Ledger::new(Profile::AWS, &world).unwrap_err();
    /// assert_eq!(err.code(), "account_in_two_organizations");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(profile: Profile, world: &World) -> Result<Ledger, WorldError> {
        let mut accounts: BTreeMap<AccountId, AccountRecord> = BTreeMap::new();
        let mut add = |spec: &AccountSpec, organization: Option<OrganizationId>| {
            let record = AccountRecord {
                name: Some(spec.name.clone()),
                email: spec.email.clone(),
                organization,
            };
            if accounts.insert(spec.id, record).is_some() {
                return Err(WorldError::DuplicateAccount { account: spec.id });
            }
            Ok(())
        };
        for org in &world.organizations {
            add(&org.management_account, Some(org.id))?;
        }
        for spec in &world.accounts {
            add(spec, None)?;
        }
        let mut organizations = BTreeMap::new();
        for org in &world.organizations {
            for member in &org.members {
                let record = accounts.get_mut(member).ok_or(WorldError::UnknownMember {
                    organization: org.id,
                    account: *member,
                })?;
                if let Some(first) = record.organization {
                    return Err(WorldError::AccountInTwoOrganizations {
                        account: *member,
                        first,
                        second: org.id,
                    });
                }
                record.organization = Some(org.id);
            }
            let record = OrganizationRecord {
                management_account: org.management_account.id,
                management_account_name: org.management_account.name.clone(),
                management_account_email: org.management_account.email.clone(),
                feature_set: org.feature_set,
                members: org.members.clone(),
            };
            if organizations.insert(org.id, record).is_some() {
                return Err(WorldError::DuplicateOrganization {
                    organization: org.id,
                });
            }
        }
        let mut by_email = BTreeMap::new();
        let mut by_name = BTreeMap::new();
        for (id, record) in &accounts {
            if let Some(email) = &record.email {
                if let Some(first) = by_email.insert(email.clone(), *id) {
                    return Err(WorldError::DuplicateEmail { first, second: *id });
                }
            }
            if let Some(name) = &record.name {
                if let Some(first) = by_name.insert(name.clone(), *id) {
                    return Err(WorldError::DuplicateName { first, second: *id });
                }
            }
        }
        Ok(Ledger {
            profile,
            clock: None,
            accounts,
            organizations,
            handshakes: Store::default(),
            indexes: Indexes {
                by_email,
                by_name,
                ..Indexes::default()
            },
        })
    }

    /// The provider profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The `now` of the last change, if anything changed yet. Calls with an earlier `now` are
    /// refused.
    pub fn clock(&self) -> Option<DateTime<Utc>> {
        self.clock
    }

    /// Where `account` stands. An account the world does not list is an account in no
    /// organization (a provider does not reveal which accounts exist).
    ///
    /// ```
    /// # use org_handshake::{Membership, Profile};
    /// # use org_handshake::ledger::{Ledger, World};
    /// let ledger = Ledger::new(Profile::AWS, &World::default())?;
    /// assert_eq!(ledger.membership(&"999999999999".parse()?), Membership::Standalone);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn membership(&self, account: &AccountId) -> Membership {
        let organization = self.accounts.get(account).and_then(|a| a.organization);
        match organization {
            None => Membership::Standalone,
            Some(org) => match self.organizations.get(&org) {
                Some(record) if record.management_account == *account => {
                    Membership::Management(org)
                }
                _ => Membership::Member(org),
            },
        }
    }

    /// An organization: its management account, feature set and members.
    pub fn organization(&self, id: &OrganizationId) -> Option<OrganizationView<'_>> {
        self.organizations.get(id).map(|r| OrganizationView {
            id: *id,
            management_account: r.management_account,
            feature_set: r.feature_set,
            members: &r.members,
        })
    }

    /// A handshake as stored (lapses may not be written down yet): for showing one to a caller,
    /// use [`describe`](Self::describe), which checks visibility and observes it at `now`.
    pub fn stored(&self, id: &HandshakeId) -> Option<&Handshake> {
        self.handshakes.get(id)
    }

    /// How many handshakes are stored (purged ones included until [`sweep`](Self::sweep)).
    pub fn len(&self) -> usize {
        self.handshakes.len()
    }

    /// Whether no handshake is stored.
    pub fn is_empty(&self) -> bool {
        self.handshakes.is_empty()
    }

    /// Writes down, as of `now`, the expiry of every lapsed handshake and drops every purged
    /// one. Nothing a later call observes changes: expiry and purge are already observed
    /// lazily. Costs O((k + 1) log n) for k handshakes whose deadline has come.
    ///
    /// # Errors
    ///
    /// [`LedgerError::TimeWentBackwards`] when `now` is before the ledger's clock.
    ///
    /// # Example: a purged handshake is dropped
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now: chrono::DateTime<chrono::Utc> = "2026-01-05T10:00:00Z".parse()?;
    /// let invite = InviteRequest::new("h-0123456789abcdef".parse()?, Party::Account("222222222222".parse()?));
    /// ledger.invite("111111111111".parse()?, invite, now)?;
    /// // 15 days to expire, 30 more to be purged.
    /// let swept = ledger.sweep(now + chrono::TimeDelta::days(15))?;
    /// assert_eq!(swept, Swept { expired: 1, purged: 0 });
    /// let swept = ledger.sweep(now + chrono::TimeDelta::days(45))?;
    /// assert_eq!(swept, Swept { expired: 0, purged: 1 });
    /// assert!(ledger.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sweep(&mut self, now: DateTime<Utc>) -> Result<Swept, LedgerError> {
        self.check_clock(now)?;
        let mut swept = Swept::default();
        while let Some(&(deadline, id)) = self.indexes.deadlines.first() {
            if deadline > now {
                break;
            }
            let Some(handshake) = self.handshakes.get(&id) else {
                // Unreachable while the indexes are consistent; drop the stray entry.
                self.indexes.deadlines.remove(&(deadline, id));
                continue;
            };
            if handshake.is_purgeable_at(now) {
                self.remove(&id);
                swept.purged += 1;
            } else if self.expire_in_place(&id, now) {
                swept.expired += 1;
            } else {
                // Unreachable: a lapsed, visible, pending handshake can always expire.
                break;
            }
        }
        self.clock = Some(now);
        Ok(swept)
    }

    /// Writes down the expiry of the lapsed handshake `id` where it is stored, and moves only
    /// the index entries that depend on its state: it leaves the pending index, and its
    /// deadline becomes its purge time. Its listing positions (request time, id), sender,
    /// recipient and parent do not change, so the other indexes stay as they are; replacing
    /// the handshake instead cost a clone and every index entry twice (the sweep benchmark:
    /// most of its time). Returns false, changing nothing, if the handshake cannot expire.
    fn expire_in_place(&mut self, id: &HandshakeId, now: DateTime<Utc>) -> bool {
        let Some(handshake) = self
            .handshakes
            .by_id
            .get(id)
            .copied()
            .and_then(|slot| self.handshakes.slots.get_mut(slot))
            .and_then(Option::as_mut)
        else {
            return false;
        };
        let before = handshake.next_deadline();
        if handshake.apply(&Command::Expire, now).is_err() {
            return false;
        }
        let key = (handshake.sender().id, handshake.action());
        let after = handshake.next_deadline();
        if let Some(set) = self.indexes.pending.get_mut(&key) {
            set.remove(id);
            if set.is_empty() {
                self.indexes.pending.remove(&key);
            }
        }
        self.indexes.deadlines.remove(&(before, *id));
        self.indexes.deadlines.insert((after, *id));
        true
    }

    /// Adds an existing handshake (restored from storage, or built for a benchmark) without the
    /// rules of a new request. Its sender must be an organization of the ledger, with the same
    /// management account, and its id must be free.
    ///
    /// # Errors
    ///
    /// [`LedgerError::HandshakeIdInUse`], or [`LedgerError::InvalidHandshake`] for a sender
    /// the ledger does not know.
    #[doc(hidden)]
    pub fn restore(&mut self, handshake: Handshake) -> Result<(), LedgerError> {
        let known = self
            .organizations
            .get(&handshake.sender().id)
            .is_some_and(|o| o.management_account == handshake.sender().management_account);
        if !known {
            return Err(LedgerError::InvalidHandshake(
                crate::error::InvalidHandshake::InvalidRecipient {
                    reason: "the sender is not an organization of the ledger",
                },
            ));
        }
        if self.handshakes.contains_key(&handshake.id()) {
            return Err(LedgerError::HandshakeIdInUse { id: handshake.id() });
        }
        let last = handshake.state_entered_at();
        self.clock = Some(self.clock.map_or(last, |c| c.max(last)));
        self.insert(handshake);
        Ok(())
    }

    /// Whether the derived indexes match the stored handshakes and accounts (for tests).
    #[doc(hidden)]
    pub fn indexes_are_consistent(&self) -> bool {
        let mut rebuilt = Indexes {
            by_email: self.indexes.by_email.clone(),
            by_name: self.indexes.by_name.clone(),
            ..Indexes::default()
        };
        for (slot, handshake) in self.handshakes.iter() {
            rebuilt.add(handshake, slot);
        }
        rebuilt == self.indexes
    }

    // ---- shared internals ----

    /// Refuses a `now` before the ledger's clock.
    fn check_clock(&self, now: DateTime<Utc>) -> Result<(), LedgerError> {
        match self.clock {
            Some(clock) if now < clock => Err(LedgerError::TimeWentBackwards { now, clock }),
            _ => Ok(()),
        }
    }

    /// The caller with its membership.
    fn caller(&self, account: AccountId) -> Caller {
        Caller {
            account,
            membership: self.membership(&account),
        }
    }

    /// The caller's organization, when it is its management account; the refusal otherwise.
    fn managed_organization(&self, account: AccountId) -> Result<OrganizationId, LedgerError> {
        match self.membership(&account) {
            Membership::Management(org) => Ok(org),
            Membership::Member(organization) => Err(LedgerError::NotManagementAccount {
                account,
                organization,
            }),
            Membership::Standalone => Err(LedgerError::NotInOrganization { account }),
        }
    }

    /// The organization as a handshake's sender.
    fn sender(&self, id: OrganizationId) -> Option<SenderOrganization> {
        self.organizations.get(&id).map(|r| SenderOrganization {
            id,
            management_account: r.management_account,
            management_account_name: r.management_account_name.clone(),
            management_account_email: r.management_account_email.clone(),
            feature_set: r.feature_set,
        })
    }

    /// Whether a new handshake may take `id` at `now`: free, or held by a purged handshake.
    fn check_new_id(&self, id: HandshakeId, now: DateTime<Utc>) -> Result<(), LedgerError> {
        self.profile
            .check_handshake_id(&id)
            .map_err(LedgerError::InvalidId)?;
        match self.handshakes.get(&id) {
            Some(h) if h.is_visible_at(now) => Err(LedgerError::HandshakeIdInUse { id }),
            _ => Ok(()),
        }
    }

    /// The handshakes of `organization` with `action` that are pending at `now`.
    fn pending_at(
        &self,
        organization: OrganizationId,
        action: Action,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = &Handshake> + '_ {
        self.indexes
            .pending
            .get(&(organization, action))
            .into_iter()
            .flatten()
            .filter_map(|id| self.handshakes.get(id))
            .filter(move |h| h.state_at(now).is_pending())
    }

    /// Stores a new handshake (dropping a purged one with the same id) and indexes it.
    fn insert(&mut self, handshake: Handshake) {
        self.remove(&handshake.id());
        let slot = self.handshakes.insert(handshake);
        if let Some(stored) = self.handshakes.slot(slot) {
            self.indexes.add(stored, slot);
        }
    }

    /// Stores a changed handshake in place of the old one.
    fn replace(&mut self, handshake: Handshake) {
        self.insert(handshake);
    }

    /// Drops a handshake and its index entries.
    fn remove(&mut self, id: &HandshakeId) {
        if let Some(old) = self.handshakes.remove(id) {
            self.indexes.drop_entries(&old);
        }
    }

    /// Records that `account` joined `organization`.
    fn join(&mut self, account: AccountId, organization: OrganizationId) {
        self.accounts
            .entry(account)
            .or_insert(AccountRecord {
                name: None,
                email: None,
                organization: None,
            })
            .organization = Some(organization);
        if let Some(org) = self.organizations.get_mut(&organization) {
            org.members.push(account);
        }
    }

    /// Commits a planned change: stores every handshake and moves the clock.
    fn commit(&mut self, handshakes: impl IntoIterator<Item = Handshake>, now: DateTime<Utc>) {
        for handshake in handshakes {
            self.replace(handshake);
        }
        self.clock = Some(now);
    }
}

impl Indexes {
    fn add(&mut self, h: &Handshake, slot: Slot) {
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
                .insert(h.id());
        }
        self.deadlines.insert((h.next_deadline(), h.id()));
    }

    fn drop_entries(&mut self, h: &Handshake) {
        fn take<K: Ord>(map: &mut BTreeMap<K, BTreeMap<Position, Slot>>, key: K, value: &Position) {
            if let Some(set) = map.get_mut(&key) {
                set.remove(value);
                if set.is_empty() {
                    map.remove(&key);
                }
            }
        }
        fn take_id<K: Ord>(map: &mut BTreeMap<K, BTreeSet<HandshakeId>>, key: K, id: &HandshakeId) {
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
