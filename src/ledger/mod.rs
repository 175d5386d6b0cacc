//! The [`Ledger`]: a world of organizations, accounts and handshakes, and the operations on it
//! (invite, accept, decline, cancel, describe, enable all features, listings, sweep), and the
//! changes an embedder makes to the world (add an account or an organization, remove a member).
//!
//! The ledger is provider-neutral: it takes a [`Profile`] for validity periods, the daily
//! quota and the id rule, and neutral types for everything else. A provider's operation layer
//! parses its request, calls one ledger method, and renders the result or the
//! [`Failure`](crate::Failure) that [`LedgerError`] converts to.
//!
//! # The contract
//!
//! - **Pure.** Every call takes the calling account and `now`; calls that create handshakes
//!   draw their new ids from an [`IdSource`], only once every check has
//!   passed, so a refused call draws none. Nothing reads a clock or draws a random number.
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
//!         "feature_set": "ALL"
//!     }],
//!     "accounts": [{ "id": "222222222222", "name": "juan", "email": "juan@example.com" }]
//! }))?;
//! let mut ledger = Ledger::new(Profile::AWS, &world)?;
//! let bill: AccountId = "111111111111".parse()?;
//! let juan: AccountId = "222222222222".parse()?;
//! let now: chrono::DateTime<chrono::Utc> = "2026-01-05T10:00:00Z".parse()?;
//!
//! let invite = InviteRequest::new(Party::Email("juan@example.com".parse()?));
//! let sent = ledger.invite(bill, invite, &mut IdList::new(&["h-0123456789abcdef"]), now)?;
//! assert_eq!(sent.handshake.recipient().account(), Some(&juan)); // resolved by email
//!
//! let later = now + chrono::TimeDelta::hours(1);
//! let accepted = ledger.accept(juan, sent.handshake.id(), later)?;
//! assert_eq!(accepted.handshake.state(), HandshakeState::Accepted);
//! assert_eq!(ledger.membership(&juan), Membership::Member("o-exampleorgid".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod accounts;
mod btree;
mod enable_all_features;
mod error;
mod indexes;
mod invite;
mod listing;
mod membership;
mod respond;
mod snapshot;
mod store;
mod sweep;
#[cfg(test)]
mod tests;
mod token;
mod world;
mod world_changes;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::{Event, JoinMethod};
use crate::handshake::{Caller, Membership};
use crate::handshake::{Handshake, SenderOrganization};
use crate::id::{AccountId, AccountName, Email, HandshakeId, OrganizationId};
use crate::id_source::{IdSource, IdSourceError};
use crate::policy::Profile;
use crate::vocab::{Action, FeatureSet};

pub use accounts::AccountPage;
pub use error::{LedgerError, Parameter};
pub use invite::InviteRequest;
pub use listing::{HandshakeFilter, Page, PageRequest};
pub use membership::{AccountInfo, MembershipChanged, OrganizationInfo};
pub use snapshot::{Snapshot, SnapshotError};
pub use sweep::Swept;
pub use world::{AccountSpec, OrganizationSpec, World, WorldError, DEFAULT_CREATED_AT};

use indexes::{Indexes, Position};
use store::Store;

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

/// An account as the ledger holds it: what the world says about it, and the organization it
/// belongs to now. Part of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountState {
    /// Its name, when the world lists the account (one that joined by invitation without
    /// being listed has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<AccountName>,
    /// Its email address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    /// The organization it belongs to now, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrganizationId>,
    /// How it joined that organization (absent: `created` for its management account,
    /// `invited` for a member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_method: Option<JoinMethod>,
    /// When it joined that organization (absent: the organization's creation time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<DateTime<Utc>>,
}

impl AccountState {
    /// An account the ledger knows by its id alone, in no organization.
    const fn unnamed() -> AccountState {
        AccountState {
            name: None,
            email: None,
            organization: None,
            join_method: None,
            joined_at: None,
        }
    }
}

/// An organization as the ledger holds it: its management account, feature set and members in
/// joining order. Part of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationState {
    /// Its management account.
    pub management_account: AccountId,
    /// The management account's name.
    pub management_account_name: AccountName,
    /// The management account's email address, when known.
    #[serde(default)]
    pub management_account_email: Option<Email>,
    /// Its feature set, when the provider has one.
    #[serde(default)]
    pub feature_set: Option<FeatureSet>,
    /// Its members (the management account not included), in the order they joined.
    #[serde(default)]
    pub members: Vec<AccountId>,
    /// When it was created (absent: [`DEFAULT_CREATED_AT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was deleted, if it was: a deleted organization has no accounts, and stays only
    /// because its handshakes still name it as their sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
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

/// The world of organizations, accounts and handshakes, with the operations on it.
///
/// See the [module documentation](self) for the contract. Serializes deterministically (every
/// map is ordered; derived indexes are left out), so two ledgers in the same state serialize
/// to the same JSON, in the form of a [`Snapshot`]; deserializing restores everything
/// (handshakes, organizations and their feature sets, memberships as they stand, the clock,
/// the profile, custom ones included) and rebuilds the indexes, refusing an inconsistent
/// snapshot ([`SnapshotError`]). Page tokens handed out before stay valid after a restore. Two
/// ledgers are equal when they hold the same world, handshakes, clock and profile.
///
/// # Example: save and restore
///
/// ```
/// use org_handshake::*;
/// use org_handshake::ledger::*;
/// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
/// #   "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
/// let mut ledger = Ledger::new(Profile::AWS, &world)?;
/// let (bill, juan): (AccountId, AccountId) = ("111111111111".parse()?, "222222222222".parse()?);
/// let now = "2026-01-05T10:00:00Z".parse()?;
/// let sent = ledger.invite(bill, InviteRequest::new(Party::Account(juan)), &mut IdList::new(&["h-0123456789"]), now)?;
/// ledger.accept(juan, sent.handshake.id(), now)?;
///
/// let saved = serde_json::to_string(&ledger)?;
/// let restored: Ledger = serde_json::from_str(&saved)?;
/// assert_eq!(restored, ledger);
/// assert_eq!(restored.membership(&juan), Membership::Member("o-exampleorgid".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "Snapshot")]
pub struct Ledger {
    profile: Profile,
    clock: Option<DateTime<Utc>>,
    accounts: BTreeMap<AccountId, AccountState>,
    organizations: BTreeMap<OrganizationId, OrganizationState>,
    handshakes: Store,
    #[serde(skip)]
    indexes: Indexes,
}

impl Ledger {
    /// A ledger holding `world`, with no handshakes, under `profile`.
    ///
    /// # Errors
    ///
    /// [`WorldError`] when the world cannot exist: an account or organization listed twice, an
    /// account in two organizations (or listed twice in one), or two accounts sharing an email
    /// address or a name (targets by email or name must find one account).
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
        let mut accounts: BTreeMap<AccountId, AccountState> = BTreeMap::new();
        let mut add = |spec: &AccountSpec, organization: Option<OrganizationId>| {
            let record = AccountState {
                name: Some(spec.name.clone()),
                email: spec.email.clone(),
                organization,
                join_method: organization.map(|_| JoinMethod::Created),
                joined_at: None,
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
            if let Some(account) = org.joined_at.keys().find(|a| !org.members.contains(a)) {
                return Err(WorldError::JoinedAtForNonMember {
                    organization: org.id,
                    account: *account,
                });
            }
            for member in &org.members {
                // A member the world lists only by id is known by its id alone.
                let record = accounts.entry(*member).or_insert(AccountState::unnamed());
                if let Some(first) = record.organization {
                    return Err(WorldError::AccountInTwoOrganizations {
                        account: *member,
                        first,
                        second: org.id,
                    });
                }
                record.organization = Some(org.id);
                record.join_method = Some(JoinMethod::Invited);
                record.joined_at = org.joined_at.get(member).copied();
            }
            let record = OrganizationState {
                management_account: org.management_account.id,
                management_account_name: org.management_account.name.clone(),
                management_account_email: org.management_account.email.clone(),
                feature_set: org.feature_set,
                members: org.members.clone(),
                created_at: org.created_at,
                deleted_at: None,
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

    /// An organization: its management account, feature set and members (`None` once
    /// deleted).
    pub fn organization(&self, id: &OrganizationId) -> Option<OrganizationView<'_>> {
        self.organizations
            .get(id)
            .filter(|r| r.deleted_at.is_none())
            .map(|r| OrganizationView {
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

    /// Draws the id of a new handshake from `ids`, after every check of the call has passed:
    /// one that follows the profile's pattern, that no handshake still existing at `now`
    /// holds (a purged one's id may be taken again) and that the call has not drawn already
    /// (`taken`). `needed` is how many handshakes the call creates, for the error.
    fn draw_id(
        &self,
        ids: &mut dyn IdSource,
        needed: usize,
        taken: &[HandshakeId],
        now: DateTime<Utc>,
    ) -> Result<HandshakeId, LedgerError> {
        let failed = |source| LedgerError::IdSource { needed, source };
        let id = ids.next_id(&self.profile).map_err(failed)?;
        // A source other than the crate's may not have checked the pattern.
        self.profile.check_handshake_id(&id).map_err(|err| {
            failed(IdSourceError::Invalid {
                id: id.to_string(),
                reason: err.to_string(),
            })
        })?;
        let held = self
            .handshakes
            .get(&id)
            .is_some_and(|h| h.is_visible_at(now));
        if held || taken.contains(&id) {
            return Err(LedgerError::HandshakeIdInUse { id });
        }
        Ok(id)
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
            .flat_map(indexes::Entries::iter)
            .filter_map(|(_, slot)| self.handshakes.slot(*slot))
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

    /// Records that `account` joined `organization` by invitation at `now`.
    fn join(&mut self, account: AccountId, organization: OrganizationId, now: DateTime<Utc>) {
        let record = self
            .accounts
            .entry(account)
            .or_insert(AccountState::unnamed());
        record.organization = Some(organization);
        record.join_method = Some(JoinMethod::Invited);
        record.joined_at = Some(now);
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
