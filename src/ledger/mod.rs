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

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::event::Event;
use crate::handshake::{Caller, Command, Membership};
use crate::handshake::{Handshake, SenderOrganization};
use crate::id::{AccountId, AccountName, Email, HandshakeId, OrganizationId};
use crate::policy::Profile;
use crate::vocab::{Action, FeatureSet};

pub use error::{LedgerError, Parameter};
pub use invite::InviteRequest;
pub use listing::{HandshakeFilter, Page, PageRequest};
pub use world::{AccountSpec, OrganizationSpec, World, WorldError};

/// Where a listing starts: a handshake's request time, then its id.
type Position = (DateTime<Utc>, HandshakeId);

/// Where a handshake is kept in the [`Store`].
type Slot = usize;

/// The least valid handshake id in byte order (`h-` and eight times `0`, the least ASCII
/// letter or digit): with the instant after `now`, the bound below which every due deadline
/// key lies.
const LEAST_HANDSHAKE_ID: &str = "h-00000000";

/// [`Ledger::sweep`] takes its bulk path when at least one stored handshake in `BULK_SHARE` is
/// due. Measured at a million handshakes: dropping or expiring one handshake entry by entry
/// cost about 3 µs (a root-to-leaf search in every index, mostly cache misses), the bulk path
/// about 0.4 µs per *stored* handshake (filtering every index); they break even near 1 in 8
/// to 1 in 16 due, and the bulk path degrades more gently on the wrong side of the line.
const BULK_SHARE: usize = 16;

/// How [`Ledger::sweep`] goes about it: as it chooses, or (in tests) one path or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
enum SweepPath {
    Chosen,
    EachItem,
    Bulk,
}

/// What the bulk sweep did to the handshake in a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Not due, or not changed.
    Kept,
    /// Its deadline has come (not yet handled).
    Due,
    /// Its expiry was written down.
    Expired,
    /// It was dropped.
    Purged,
}

/// Keeps the entries of a two-level index whose slot passes `keep`, and drops the inner maps
/// left empty (as [`Indexes::drop_entries`] does), in one ordered pass.
fn retain_nested<K: Ord, L: Ord>(
    map: &mut BTreeMap<K, BTreeMap<L, Slot>>,
    mut keep: impl FnMut(&Slot) -> bool,
) {
    map.retain(|_, inner| {
        inner.retain(|_, slot| keep(slot));
        !inner.is_empty()
    });
}

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
    /// lapsed since; readers check the state at `now`). Each carries its slot, as `deadlines`
    /// does, so that the sweep reaches a handshake without a search by id.
    pending: BTreeMap<(OrganizationId, Action), BTreeMap<HandshakeId, Slot>>,
    /// Each handshake's next deadline (expiry while pending, purge once terminal).
    deadlines: BTreeMap<(DateTime<Utc>, HandshakeId), Slot>,
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
    /// lazily. Costs O((k + 1) log n) for k handshakes whose deadline has come, while k is
    /// under n/16; from there on one ordered pass over each index, O(n) (so O(k)).
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
        self.sweep_by(now, SweepPath::Chosen)
    }

    /// [`sweep`](Self::sweep), through the path `path` asks for (tests compare the two).
    fn sweep_by(&mut self, now: DateTime<Utc>, path: SweepPath) -> Result<Swept, LedgerError> {
        self.check_clock(now)?;
        // Every due deadline key is below `bound`: the instant after `now`, with the least id.
        let bound = now
            .checked_add_signed(chrono::TimeDelta::nanoseconds(1))
            .zip(HandshakeId::parse(LEAST_HANDSHAKE_ID).ok());
        let bulk = match (path, bound) {
            (SweepPath::EachItem, _) | (_, None) => false,
            (SweepPath::Bulk, Some(_)) => true,
            (SweepPath::Chosen, Some(bound)) => {
                let threshold = (self.handshakes.len() / BULK_SHARE).max(1);
                // Counts at most `threshold` due entries: O(min(k, n / BULK_SHARE)).
                self.indexes
                    .deadlines
                    .range(..bound)
                    .nth(threshold - 1)
                    .is_some()
            }
        };
        let swept = match bound {
            Some(bound) if bulk => self.sweep_in_bulk(now, bound),
            _ => self.sweep_each(now),
        };
        self.clock = Some(now);
        Ok(swept)
    }

    /// The sweep for a few due handshakes: each one expired or dropped on its own, in deadline
    /// order, at O(log n) per index entry.
    fn sweep_each(&mut self, now: DateTime<Utc>) -> Swept {
        let mut swept = Swept::default();
        while let Some((&(deadline, id), &slot)) = self.indexes.deadlines.first_key_value() {
            if deadline > now {
                break;
            }
            let Some(handshake) = self.handshakes.slot(slot).filter(|h| h.id() == id) else {
                // Unreachable while the indexes are consistent; drop the stray entry.
                self.indexes.deadlines.remove(&(deadline, id));
                continue;
            };
            if handshake.is_purgeable_at(now) {
                self.remove(&id);
                swept.purged += 1;
            } else if self.expire_in_place(slot, now) {
                swept.expired += 1;
            } else {
                // Unreachable: a lapsed, visible, pending handshake can always expire.
                break;
            }
        }
        swept
    }

    /// The sweep for many due handshakes (at least 1 in [`BULK_SHARE`]), with the same result
    /// as [`sweep_each`](Self::sweep_each): the due deadlines are split off in one piece, the
    /// due handshakes are visited in slot (memory) order, and each index is then filtered in
    /// one ordered pass. Removing entry by entry costs a search from the root of every index
    /// per dropped handshake, each step a likely cache miss and a 48-byte key comparison: at
    /// 800 000 due handshakes out of 1 000 000 that took seconds (the sweep benchmark).
    fn sweep_in_bulk(&mut self, now: DateTime<Utc>, bound: (DateTime<Utc>, HandshakeId)) -> Swept {
        let later = self.indexes.deadlines.split_off(&bound);
        let due = std::mem::replace(&mut self.indexes.deadlines, later);
        let mut fate = vec![Fate::Kept; self.handshakes.slots.len()];
        for (&(_, id), &slot) in &due {
            let stored = self.handshakes.slot(slot).is_some_and(|h| h.id() == id);
            // An entry whose handshake is not in its slot is a stray (unreachable while the
            // indexes are consistent): it stays dropped, as in `sweep_each`.
            if let (true, Some(f)) = (stored, fate.get_mut(slot)) {
                *f = Fate::Due;
            }
        }
        // The due handshakes, visited in slot (memory) order: in deadline order each visit
        // was a cache miss, and the pass took three times as long.
        let mut swept = Swept::default();
        let mut next_deadline = vec![None; fate.len()];
        let slots = self.handshakes.slots.iter_mut().zip(&mut fate);
        for (slot, ((place, f), next)) in slots.zip(&mut next_deadline).enumerate() {
            if *f != Fate::Due {
                continue;
            }
            let Some(handshake) = place else {
                continue;
            };
            if handshake.is_purgeable_at(now) {
                *place = None;
                *f = Fate::Purged;
                // Slots are freed in slot order rather than deadline order: which free slot a
                // later handshake takes is not observable.
                self.handshakes.free.push(slot);
                swept.purged += 1;
            } else {
                // Expiring cannot fail for a lapsed, visible, pending handshake; were it to,
                // the handshake keeps its state and its deadline entry.
                *f = if handshake.apply(&Command::Expire, now).is_ok() {
                    swept.expired += 1;
                    Fate::Expired
                } else {
                    Fate::Kept
                };
                *next = Some(handshake.next_deadline());
            }
        }
        // The new deadline entries, gathered in the old deadline order: an expired handshake's
        // purge time is its expiry plus the retention, so they come out sorted and `collect`
        // builds the tree without sorting them (from slot order, sorting took longer than
        // filtering any index).
        let deadlines: Vec<_> = due
            .iter()
            .filter_map(|(&(_, id), &slot)| {
                let next = next_deadline.get(slot).copied().flatten()?;
                Some(((next, id), slot))
            })
            .collect();
        drop(due);
        drop(next_deadline);
        let purged = |slot: &Slot| fate.get(*slot) == Some(&Fate::Purged);
        let indexes = &mut self.indexes;
        retain_nested(&mut indexes.by_organization, |slot| !purged(slot));
        retain_nested(&mut indexes.by_organization_action, |slot| !purged(slot));
        retain_nested(&mut indexes.by_recipient, |slot| !purged(slot));
        retain_nested(&mut indexes.by_recipient_action, |slot| !purged(slot));
        retain_nested(&mut indexes.children, |slot| !purged(slot));
        // Expired and purged handshakes both leave the pending index.
        retain_nested(&mut indexes.pending, |slot| {
            fate.get(*slot).map_or(true, |f| *f == Fate::Kept)
        });
        self.handshakes.by_id.retain(|_, slot| !purged(slot));
        // `collect` sorts only what is out of order, and builds the tree in one pass; `append`
        // merges the two trees in another.
        let mut deadlines: BTreeMap<_, _> = deadlines.into_iter().collect();
        indexes.deadlines.append(&mut deadlines);
        swept
    }

    /// Writes down the expiry of the lapsed handshake in `slot` where it is stored, and moves
    /// only the index entries that depend on its state: it leaves the pending index, and its
    /// deadline becomes its purge time. Its listing positions (request time, id), sender,
    /// recipient and parent do not change, so the other indexes stay as they are; replacing
    /// the handshake instead cost a clone and every index entry twice (the sweep benchmark:
    /// most of its time). Returns false, changing nothing, if the handshake cannot expire.
    fn expire_in_place(&mut self, slot: Slot, now: DateTime<Utc>) -> bool {
        let Some(handshake) = self.handshakes.slots.get_mut(slot).and_then(Option::as_mut) else {
            return false;
        };
        let before = handshake.next_deadline();
        if handshake.apply(&Command::Expire, now).is_err() {
            return false;
        }
        let id = handshake.id();
        let key = (handshake.sender().id, handshake.action());
        let after = handshake.next_deadline();
        if let Some(set) = self.indexes.pending.get_mut(&key) {
            set.remove(&id);
            if set.is_empty() {
                self.indexes.pending.remove(&key);
            }
        }
        self.indexes.deadlines.remove(&(before, id));
        self.indexes.deadlines.insert((after, id), slot);
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
                .insert(h.id(), slot);
        }
        self.deadlines.insert((h.next_deadline(), h.id()), slot);
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

#[cfg(test)]
mod sweep_paths {
    //! The bulk sweep and the item-by-item sweep leave identical ledgers.

    use super::{Ledger, SweepPath};
    use crate::handshake::{Handshake, HandshakeParts, Recipient};
    use crate::id::{AccountId, HandshakeId};
    use crate::policy::Profile;
    use crate::vocab::{Action, HandshakeState};
    use chrono::{DateTime, TimeDelta, Utc};
    use proptest::prelude::*;

    type Error = Box<dyn std::error::Error>;

    const ORGS: [(&str, &str); 2] = [
        ("o-aaaaaaaaaa", "100000000001"),
        ("o-bbbbbbbbbb", "100000000002"),
    ];

    fn epoch() -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + TimeDelta::days(20_000)
    }

    fn empty_ledger() -> Result<Ledger, Error> {
        let world: super::World = serde_json::from_value(serde_json::json!({
            "organizations": ORGS.iter().map(|(id, account)| serde_json::json!({
                "id": id,
                "management_account": { "id": account, "name": format!("m{account}") },
                "feature_set": "all"
            })).collect::<Vec<_>>()
        }))?;
        Ok(Ledger::new(Profile::AWS, &world)?)
    }

    /// One stored handshake: `(org, recipient, kind, requested (hours), validity (hours),
    /// entered after request (hours))`; kind 0 open, 1–3 accepted/declined/canceled, 4 an
    /// enable-all-features parent with a child (both open).
    type Spec = (usize, u8, u8, i64, i64, i64);

    fn ledger(specs: &[Spec]) -> Result<Ledger, Error> {
        let mut ledger = empty_ledger()?;
        for (i, &(org, recipient, kind, requested, validity, entered)) in specs.iter().enumerate() {
            let Some(&(org_id, management)) = ORGS.get(org % ORGS.len()) else {
                continue;
            };
            let sender = crate::handshake::SenderOrganization {
                id: org_id.parse()?,
                management_account: management.parse()?,
                management_account_name: format!("m{management}").parse()?,
                management_account_email: None,
                feature_set: Some(crate::vocab::FeatureSet::All),
            };
            let requested_at = epoch() + TimeDelta::hours(requested);
            let expires_at = requested_at + TimeDelta::hours(validity);
            let entered_at = requested_at + TimeDelta::hours(entered.min(validity - 1));
            let account: AccountId = format!("2000000000{:02}", recipient % 7).parse()?;
            let id: HandshakeId = format!("h-{i:08x}a").parse()?;
            let (action, state, state_entered_at) = match kind % 5 {
                0 => (Action::Invite, HandshakeState::Open, None),
                1 => (Action::Invite, HandshakeState::Accepted, Some(entered_at)),
                2 => (Action::Invite, HandshakeState::Declined, Some(entered_at)),
                3 => (Action::Invite, HandshakeState::Canceled, Some(entered_at)),
                _ => (Action::EnableAllFeatures, HandshakeState::Requested, None),
            };
            let parts = |id, action, state, state_entered_at, parent| HandshakeParts {
                id,
                action,
                state,
                sender: sender.clone(),
                recipient: Recipient::for_account(account),
                notes: None,
                parent,
                resources: Vec::new(),
                requested_at,
                expires_at,
                state_entered_at,
            };
            ledger.restore(Handshake::from_parts(parts(
                id,
                action,
                state,
                state_entered_at,
                None,
            ))?)?;
            if action == Action::EnableAllFeatures {
                let child: HandshakeId = format!("h-{i:08x}c").parse()?;
                let child = parts(
                    child,
                    Action::ApproveAllFeatures,
                    HandshakeState::Open,
                    None,
                    Some(id),
                );
                ledger.restore(Handshake::from_parts(child)?)?;
            }
        }
        Ok(ledger)
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (
            0..2usize,
            any::<u8>(),
            0..5u8,
            0..2_000i64,
            1..400i64,
            0..400i64,
        )
    }

    proptest! {
        #[test]
        fn bulk_and_item_by_item_sweeps_leave_identical_ledgers(
            specs in prop::collection::vec(spec(), 0..120),
            sweeps in prop::collection::vec(0..1_500i64, 1..4),
        ) {
            let mut each = ledger(&specs).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut bulk = each.clone();
            let mut chosen = each.clone();
            let mut at = each.clock().unwrap_or_else(epoch);
            for hours in sweeps {
                at += TimeDelta::hours(hours);
                let by_each = each.sweep_by(at, SweepPath::EachItem);
                let by_bulk = bulk.sweep_by(at, SweepPath::Bulk);
                let by_chosen = chosen.sweep_by(at, SweepPath::Chosen);
                prop_assert_eq!(&by_each, &by_bulk);
                prop_assert_eq!(&by_each, &by_chosen);
                let json = serde_json::to_string(&each).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(&json, &serde_json::to_string(&bulk).map_err(|e| TestCaseError::fail(e.to_string()))?);
                prop_assert_eq!(&json, &serde_json::to_string(&chosen).map_err(|e| TestCaseError::fail(e.to_string()))?);
                // Same slots, so the indexes themselves are equal, not just consistent.
                prop_assert_eq!(&each.indexes, &bulk.indexes);
                prop_assert!(bulk.indexes_are_consistent());
                prop_assert!(each.indexes_are_consistent());
            }
        }
    }

    /// The generator reaches what the property is about: a sweep that both expires and drops,
    /// with pending, listing and parent entries to filter.
    #[test]
    fn a_bulk_sweep_expires_and_drops() -> Result<(), Error> {
        let specs: Vec<Spec> = (0..40)
            .map(|i| (i % 2, i as u8, (i % 5) as u8, i as i64 * 10, 100, 50))
            .collect();
        let mut each = ledger(&specs)?;
        let mut bulk = each.clone();
        let at = epoch() + TimeDelta::hours(400) + crate::policy::RETENTION;
        let swept = bulk.sweep_by(at, SweepPath::Bulk)?;
        assert!(swept.expired > 0 && swept.purged > 0, "{swept:?}");
        assert_eq!(each.sweep_by(at, SweepPath::EachItem)?, swept);
        assert_eq!(serde_json::to_value(&each)?, serde_json::to_value(&bulk)?);
        assert!(bulk.indexes_are_consistent());
        Ok(())
    }
}
