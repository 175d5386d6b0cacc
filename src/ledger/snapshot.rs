//! Saving and restoring a [`Ledger`]: its [`Snapshot`], and the [`SnapshotError`] for a
//! snapshot that cannot be a ledger.
//!
//! A snapshot holds what the ledger *is*: its profile, its clock, every account with the
//! organization it belongs to now, every organization with its feature set and members, and
//! every stored handshake. The indexes are derived, so they are rebuilt on restore, never
//! saved. Page tokens carry their own position and listing, so a token handed out before a
//! save is still valid after the restore.
//!
//! # Example: build a ledger with handshakes of its past
//!
//! ```
//! use org_handshake::*;
//! use org_handshake::ledger::*;
//! # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
//! #   "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
//! let mut snapshot = Ledger::new(Profile::AWS, &world)?.snapshot();
//! let invite = org_handshake::example::aws_invitation()?; // from o-exampleorgid, managed by 111111111111
//! snapshot.clock = Some(invite.requested_at());
//! snapshot.handshakes.insert(invite.id(), invite);
//! let ledger = Ledger::from_snapshot(snapshot)?;
//! assert_eq!(ledger.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AccountState, Indexes, Ledger, OrganizationState, Store};
use crate::handshake::Handshake;
use crate::id::{AccountId, HandshakeId, OrganizationId};
use crate::policy::Profile;

/// Everything a [`Ledger`] holds, in plain fields: what it serializes as and restores from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The profile (a provider's name, or every field of a custom profile).
    pub profile: Profile,
    /// The `now` of the last change, if anything changed yet.
    #[serde(default)]
    pub clock: Option<DateTime<Utc>>,
    /// Every account the ledger knows, with the organization it belongs to now.
    #[serde(default)]
    pub accounts: BTreeMap<AccountId, AccountState>,
    /// Every organization.
    #[serde(default)]
    pub organizations: BTreeMap<OrganizationId, OrganizationState>,
    /// Every stored handshake, by id.
    #[serde(default)]
    pub handshakes: BTreeMap<HandshakeId, Handshake>,
}

/// Why a [`Snapshot`] cannot be a ledger. Each variant names the problem.
///
/// ```
/// use org_handshake::ledger::SnapshotError;
/// let err = SnapshotError::UnknownMember { organization: "o-exampleorgid".parse()?, account: "333333333333".parse()? };
/// assert_eq!(err.code(), "unknown_member");
/// assert_eq!(err.to_string(), "organization o-exampleorgid lists member 333333333333, which is not an account of the snapshot");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// An account belongs to an organization the snapshot does not have.
    #[error(
        "account {account} belongs to organization {organization}, which is not in the snapshot"
    )]
    AccountInUnknownOrganization {
        /// The account.
        account: AccountId,
        /// The organization it names.
        organization: OrganizationId,
    },
    /// An organization's management account is not an account of it.
    #[error("the management account {account} of organization {organization} is not an account belonging to it")]
    ManagementAccountOutside {
        /// The organization.
        organization: OrganizationId,
        /// Its management account.
        account: AccountId,
    },
    /// An organization lists a member that is not an account of the snapshot.
    #[error("organization {organization} lists member {account}, which is not an account of the snapshot")]
    UnknownMember {
        /// The organization.
        organization: OrganizationId,
        /// The member.
        account: AccountId,
    },
    /// An account is listed as a member of two organizations (or twice in one).
    #[error("account {account} is listed as a member of both {first} and {second}")]
    MemberOfTwoOrganizations {
        /// The account.
        account: AccountId,
        /// The first organization that lists it.
        first: OrganizationId,
        /// The second.
        second: OrganizationId,
    },
    /// An organization's member list and its accounts disagree: a listed member belongs
    /// elsewhere (or nowhere), or an account that belongs to it is not listed.
    #[error("account {account} is {} organization {organization}'s members, but belongs to {}", if *.listed { "among" } else { "not among" }, .belongs_to.map_or_else(|| "no organization".to_owned(), |o| o.to_string()))]
    MembershipMismatch {
        /// The account.
        account: AccountId,
        /// The organization.
        organization: OrganizationId,
        /// Whether the organization lists it as a member.
        listed: bool,
        /// The organization the account says it belongs to.
        belongs_to: Option<OrganizationId>,
    },
    /// An account belongs to an organization that was deleted (or a deleted organization
    /// lists a member).
    #[error("account {account} belongs to organization {organization}, which was deleted")]
    AccountInDeletedOrganization {
        /// The account.
        account: AccountId,
        /// The deleted organization.
        organization: OrganizationId,
    },
    /// Two accounts share an email address.
    #[error("accounts {first} and {second} share an email address")]
    DuplicateEmail {
        /// One account.
        first: AccountId,
        /// The other.
        second: AccountId,
    },
    /// Two accounts share a name.
    #[error("accounts {first} and {second} share a name")]
    DuplicateName {
        /// One account.
        first: AccountId,
        /// The other.
        second: AccountId,
    },
    /// A handshake is stored under another id than its own.
    #[error("handshake {id} is stored under the id {key}")]
    HandshakeUnderWrongId {
        /// The id it is stored under.
        key: HandshakeId,
        /// Its own id.
        id: HandshakeId,
    },
    /// A handshake's sender is not an organization of the snapshot (with that management
    /// account).
    #[error("handshake {handshake} is sent by organization {organization}, which the snapshot does not have with management account {management_account}")]
    UnknownSender {
        /// The handshake.
        handshake: HandshakeId,
        /// Its sender.
        organization: OrganizationId,
        /// The management account it names.
        management_account: AccountId,
    },
    /// A handshake changed after the ledger's clock (or the snapshot has handshakes and no
    /// clock): time would run backwards.
    #[error("handshake {handshake} changed at {changed_at}, after the ledger's clock {}", .clock.map_or_else(|| "(none)".to_owned(), |c| c.to_string()))]
    ChangedAfterClock {
        /// The handshake.
        handshake: HandshakeId,
        /// Its last change.
        changed_at: DateTime<Utc>,
        /// The clock.
        clock: Option<DateTime<Utc>>,
    },
}

impl SnapshotError {
    /// The stable snake_case code of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            SnapshotError::AccountInUnknownOrganization { .. } => "account_in_unknown_organization",
            SnapshotError::ManagementAccountOutside { .. } => "management_account_outside",
            SnapshotError::UnknownMember { .. } => "unknown_member",
            SnapshotError::MemberOfTwoOrganizations { .. } => "member_of_two_organizations",
            SnapshotError::MembershipMismatch { .. } => "membership_mismatch",
            SnapshotError::AccountInDeletedOrganization { .. } => "account_in_deleted_organization",
            SnapshotError::DuplicateEmail { .. } => "duplicate_email",
            SnapshotError::DuplicateName { .. } => "duplicate_name",
            SnapshotError::HandshakeUnderWrongId { .. } => "handshake_under_wrong_id",
            SnapshotError::UnknownSender { .. } => "unknown_sender",
            SnapshotError::ChangedAfterClock { .. } => "changed_after_clock",
        }
    }
}

impl Ledger {
    /// Everything the ledger holds, as a [`Snapshot`] ([`from_snapshot`](Self::from_snapshot)
    /// restores it; serializing the ledger writes the same).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            profile: self.profile,
            clock: self.clock,
            accounts: self.accounts.clone(),
            organizations: self.organizations.clone(),
            handshakes: self
                .handshakes
                .entries()
                .map(|(id, h)| (*id, h.clone()))
                .collect(),
        }
    }

    /// The ledger a snapshot describes, with its indexes rebuilt.
    ///
    /// # Errors
    ///
    /// A [`SnapshotError`] naming the first inconsistency: an account in an organization the
    /// snapshot lacks; a management account that does not belong to its organization; a
    /// member that is no account, listed by two organizations, or whose account says it
    /// belongs elsewhere (and an account of an organization missing from its members); two
    /// accounts sharing an email address or a name; a handshake stored under another id, sent
    /// by an organization the snapshot lacks, or changed after the clock.
    ///
    /// # Example: a member of two organizations is refused
    ///
    /// ```
    /// use org_handshake::ledger::{Ledger, Snapshot};
    /// let snapshot: Snapshot = serde_json::from_value(serde_json::json!({
    ///     "profile": "aws",
    ///     "accounts": {
    ///         "111111111111": { "name": "a", "organization": "o-aaaaaaaaaa" },
    ///         "222222222222": { "name": "b", "organization": "o-bbbbbbbbbb" },
    ///         "333333333333": { "name": "c", "organization": "o-aaaaaaaaaa" }
    ///     },
    ///     "organizations": {
    ///         "o-aaaaaaaaaa": { "management_account": "111111111111", "management_account_name": "a", "members": ["333333333333"] },
    ///         "o-bbbbbbbbbb": { "management_account": "222222222222", "management_account_name": "b", "members": ["333333333333"] }
    ///     }
    /// }))?;
    /// let err = Ledger::from_snapshot(snapshot).unwrap_err();
    /// assert_eq!(err.code(), "member_of_two_organizations");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_snapshot(snapshot: Snapshot) -> Result<Ledger, SnapshotError> {
        let Snapshot {
            profile,
            clock,
            accounts,
            organizations,
            handshakes,
        } = snapshot;
        check_memberships(&accounts, &organizations)?;
        let mut indexes = Indexes::default();
        for (id, account) in &accounts {
            if let Some(email) = &account.email {
                if let Some(first) = indexes.by_email.insert(email.clone(), *id) {
                    return Err(SnapshotError::DuplicateEmail { first, second: *id });
                }
            }
            if let Some(name) = &account.name {
                if let Some(first) = indexes.by_name.insert(name.clone(), *id) {
                    return Err(SnapshotError::DuplicateName { first, second: *id });
                }
            }
        }
        for (key, handshake) in &handshakes {
            let id = handshake.id();
            if *key != id {
                return Err(SnapshotError::HandshakeUnderWrongId { key: *key, id });
            }
            let sender = handshake.sender();
            let known = organizations
                .get(&sender.id)
                .is_some_and(|o| o.management_account == sender.management_account);
            if !known {
                return Err(SnapshotError::UnknownSender {
                    handshake: id,
                    organization: sender.id,
                    management_account: sender.management_account,
                });
            }
            let changed_at = handshake.state_entered_at();
            if clock.map_or(true, |clock| changed_at > clock) {
                return Err(SnapshotError::ChangedAfterClock {
                    handshake: id,
                    changed_at,
                    clock,
                });
            }
        }
        let mut store = Store::with_capacity(handshakes.len());
        for (_, handshake) in handshakes {
            let slot = store.insert(handshake);
            if let Some(stored) = store.slot(slot) {
                indexes.add(stored, slot);
            }
        }
        store.compact();
        indexes.compact();
        Ok(Ledger {
            profile,
            clock,
            accounts,
            organizations,
            handshakes: store,
            indexes,
        })
    }
}

/// Accounts and member lists agree: every account's organization exists; every organization's
/// management account belongs to it; every member is an account that belongs to the one
/// organization listing it; every account that belongs to an organization is its management
/// account or listed among its members.
fn check_memberships(
    accounts: &BTreeMap<AccountId, AccountState>,
    organizations: &BTreeMap<OrganizationId, OrganizationState>,
) -> Result<(), SnapshotError> {
    for (account, state) in accounts {
        if let Some(organization) = state.organization {
            if !organizations.contains_key(&organization) {
                return Err(SnapshotError::AccountInUnknownOrganization {
                    account: *account,
                    organization,
                });
            }
        }
    }
    let mut listed: BTreeMap<AccountId, OrganizationId> = BTreeMap::new();
    let belongs = |account: &AccountId| accounts.get(account).and_then(|a| a.organization);
    for (account, state) in accounts {
        // A deleted organization has no accounts left.
        if let Some(organization) = state.organization {
            if organizations
                .get(&organization)
                .is_some_and(|o| o.deleted_at.is_some())
            {
                return Err(SnapshotError::AccountInDeletedOrganization {
                    account: *account,
                    organization,
                });
            }
        }
    }
    for (id, organization) in organizations {
        let manager = organization.management_account;
        if organization.deleted_at.is_some() {
            if let Some(member) = organization.members.first() {
                return Err(SnapshotError::AccountInDeletedOrganization {
                    account: *member,
                    organization: *id,
                });
            }
            continue;
        }
        if belongs(&manager) != Some(*id) {
            return Err(SnapshotError::ManagementAccountOutside {
                organization: *id,
                account: manager,
            });
        }
        for member in &organization.members {
            if !accounts.contains_key(member) {
                return Err(SnapshotError::UnknownMember {
                    organization: *id,
                    account: *member,
                });
            }
            if let Some(first) = listed.insert(*member, *id) {
                return Err(SnapshotError::MemberOfTwoOrganizations {
                    account: *member,
                    first,
                    second: *id,
                });
            }
            if *member == manager || belongs(member) != Some(*id) {
                return Err(SnapshotError::MembershipMismatch {
                    account: *member,
                    organization: *id,
                    listed: true,
                    belongs_to: belongs(member),
                });
            }
        }
    }
    let managers: BTreeSet<AccountId> = organizations
        .values()
        .filter(|o| o.deleted_at.is_none())
        .map(|o| o.management_account)
        .collect();
    for (account, state) in accounts {
        if let Some(organization) = state.organization {
            if !managers.contains(account) && !listed.contains_key(account) {
                return Err(SnapshotError::MembershipMismatch {
                    account: *account,
                    organization,
                    listed: false,
                    belongs_to: Some(organization),
                });
            }
        }
    }
    Ok(())
}

impl TryFrom<Snapshot> for Ledger {
    type Error = SnapshotError;
    fn try_from(snapshot: Snapshot) -> Result<Self, SnapshotError> {
        Ledger::from_snapshot(snapshot)
    }
}

impl PartialEq for Ledger {
    /// Two ledgers are equal when they hold the same profile, clock, accounts, organizations
    /// and handshakes; where each handshake sits in memory and the derived indexes do not
    /// count.
    fn eq(&self, other: &Ledger) -> bool {
        self.profile == other.profile
            && self.clock == other.clock
            && self.accounts == other.accounts
            && self.organizations == other.organizations
            && self.handshakes.len() == other.handshakes.len()
            && self.handshakes.entries().eq(other.handshakes.entries())
    }
}

impl Eq for Ledger {}
