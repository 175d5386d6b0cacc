//! Membership: the organization itself and the accounts in it, seen and changed through the
//! ledger: [`Ledger::create_organization`], [`Ledger::describe_organization`],
//! [`Ledger::delete_organization`], [`Ledger::list_accounts`], [`Ledger::describe_account`],
//! [`Ledger::leave_organization`], [`Ledger::remove_account`].
//!
//! # The rules
//!
//! - **One organization at most.** An account is in no organization or in exactly one; an
//!   organization's management account is always its member (joined `Created`, at the
//!   organization's creation). Only an account in no organization may create one.
//! - **Who may do what.** Any account of an organization may describe it. Only its management
//!   account may list and describe its accounts, remove a member and delete it (a member gets
//!   [`LedgerError::NotManagementAccount`], an account in no organization
//!   [`LedgerError::NotInOrganization`]). Only a member may leave: the management account gets
//!   [`LedgerError::ManagementAccountCannotLeave`], as when it names itself for removal.
//! - **Delete** is refused while any member besides the management account remains. The
//!   organization's pending handshakes are canceled by the deletion (their sender no longer
//!   exists, and an invitation into nothing must not be acceptable); they stay visible to their
//!   recipients, canceled, until purged. The deleted organization stays in the ledger, with no
//!   account, because those handshakes still name it; its id is never given again.
//! - **Leaving or being removed** makes the account standalone at once: it may create an
//!   organization, be invited again, or accept an open invitation it already holds. A member
//!   that departs while all features are being enabled has its open `APPROVE_ALL_FEATURES`
//!   handshake canceled, and the parent opens when every member that remains has approved.
//! - **Joined method and time.** `Created` for the management account, at the organization's
//!   creation; `Invited` for a member, at the acceptance of its invitation, or for a member of
//!   the starting world at the world's `joined_at` for it, else the organization's creation
//!   time (the world's `created_at`, else [`DEFAULT_CREATED_AT`](super::DEFAULT_CREATED_AT)).
//! - **Listing order.** The management account first, then the members by joined time, ties by
//!   id. Pages are token pages (AWS `NextToken`, Huawei `marker`) or numbered pages (Alibaba),
//!   as for handshakes; a token is bound to the organization's account listing.
//!
//! # Example: create, invite, accept, leave, delete
//!
//! ```
//! use org_handshake::*;
//! use org_handshake::ledger::*;
//!
//! let mut ledger = Ledger::new(Profile::AWS, &World::default())?;
//! let (bill, juan): (AccountId, AccountId) = ("111111111111".parse()?, "222222222222".parse()?);
//! let now: chrono::DateTime<chrono::Utc> = "2026-01-05T10:00:00Z".parse()?;
//!
//! let created = ledger.create_organization(bill, Some(FeatureSet::All), &mut IdList::new(&["o-a1b2c3d4e5"]), now)?;
//! assert_eq!(created.organization.id.as_str(), "o-a1b2c3d4e5");
//!
//! let sent = ledger.invite(bill, InviteRequest::new(Party::Account(juan)), &mut IdList::new(&["h-0123456789"]), now)?;
//! let later = now + chrono::TimeDelta::hours(1);
//! ledger.accept(juan, sent.handshake.id(), later)?;
//! let juan_info = ledger.describe_account(bill, juan, later)?;
//! assert_eq!((juan_info.join_method, juan_info.joined_at), (JoinMethod::Invited, later));
//!
//! // The organization is not empty yet.
//! assert_eq!(ledger.delete_organization(bill, later).unwrap_err().kind(), ErrorKind::OrganizationNotEmpty);
//! ledger.leave_organization(juan, later)?;
//! assert_eq!(ledger.membership(&juan), Membership::Standalone);
//! ledger.delete_organization(bill, later)?;
//! assert_eq!(ledger.membership(&bill), Membership::Standalone);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};

use super::world::DEFAULT_CREATED_AT;
use super::{Ledger, LedgerError, OrganizationState};
use crate::event::{Event, JoinMethod};
use crate::handshake::{Command, Handshake, Membership};
use crate::id::{AccountId, AccountName, Email, OrganizationId};
use crate::id_source::{IdSource, IdSourceError};
use crate::vocab::{Action, FeatureSet, HandshakeState};

/// An organization as its accounts see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationInfo {
    /// The organization id.
    pub id: OrganizationId,
    /// Its management account.
    pub management_account: AccountId,
    /// The management account's name.
    pub management_account_name: AccountName,
    /// The management account's email address, when known.
    pub management_account_email: Option<Email>,
    /// Its feature set, when the provider has one.
    pub feature_set: Option<FeatureSet>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// An account of an organization, as its management account sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    /// The account id.
    pub id: AccountId,
    /// Its name, when the ledger knows one.
    pub name: Option<AccountName>,
    /// Its email address, when the ledger knows one.
    pub email: Option<Email>,
    /// Its organization.
    pub organization: OrganizationId,
    /// The organization's management account.
    pub management_account: AccountId,
    /// How it joined.
    pub join_method: JoinMethod,
    /// When it joined.
    pub joined_at: DateTime<Utc>,
}

/// What a membership change did: the handshakes it changed as a side effect (canceled,
/// opened), each as seen at `now`, and the events, in the order they happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipChanged {
    /// The organization the change is about, as it stands after the change (for a deletion:
    /// as it stood before it).
    pub organization: OrganizationInfo,
    /// The handshakes it changed.
    pub handshakes: Vec<Handshake>,
    /// What happened.
    pub events: Vec<Event>,
}

impl Ledger {
    /// The account in no organization `caller` creates one at `now` and becomes its management
    /// account (joined `Created`); the id comes from `ids`
    /// ([`IdSource::next_organization_id`]), drawn once every check has passed.
    ///
    /// An account the ledger does not know is known from then on by its id, which is also its
    /// name (the management account's name shows on its invitations).
    ///
    /// # Errors
    ///
    /// In this order, changing nothing: [`LedgerError::AccountInOrganization`] when the caller
    /// belongs to an organization; [`LedgerError::TimeWentBackwards`];
    /// [`LedgerError::IdSource`] when `ids` gives none or one outside the profile's
    /// [`OrganizationIdRule`](crate::OrganizationIdRule); [`LedgerError::OrganizationIdInUse`]
    /// when an organization the ledger knows (a deleted one included) holds it.
    ///
    /// # Example: a member cannot create
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
    /// #   "management_account": {"id": "111111111111", "name": "Bill"}, "members": ["333333333333"]}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let mut ids = IdList::new(&["o-a1b2c3d4e5"]);
    /// let err = ledger.create_organization("333333333333".parse()?, None, &mut ids, "2026-01-05T10:00:00Z".parse()?).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::AlreadyInOrganization);
    /// assert_eq!(ids.drawn(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_organization(
        &mut self,
        caller: AccountId,
        feature_set: Option<FeatureSet>,
        ids: &mut dyn IdSource,
        now: DateTime<Utc>,
    ) -> Result<MembershipChanged, LedgerError> {
        if let Some(organization) = self.accounts.get(&caller).and_then(|a| a.organization) {
            return Err(LedgerError::AccountInOrganization {
                account: caller,
                organization,
            });
        }
        self.check_clock(now)?;
        let failed = |source| LedgerError::IdSource { needed: 1, source };
        let id = ids.next_organization_id(&self.profile).map_err(failed)?;
        // A source other than the crate's may not have checked the shape.
        self.profile.organization_id.check(&id).map_err(|err| {
            failed(IdSourceError::Invalid {
                id: id.to_string(),
                reason: err.to_string(),
            })
        })?;
        if self.organizations.contains_key(&id) {
            return Err(LedgerError::OrganizationIdInUse { id });
        }
        let record = self
            .accounts
            .entry(caller)
            .or_insert_with(super::AccountState::unnamed);
        // An account known by its id alone is named by it: ids are valid names.
        let name = match &record.name {
            Some(name) => name.clone(),
            None => AccountName::parse(caller.as_str())
                .map_err(|err| LedgerError::InvalidHandshake(err.into()))?,
        };
        record.organization = Some(id);
        record.join_method = Some(JoinMethod::Created);
        record.joined_at = Some(now);
        let email = record.email.clone();
        self.organizations.insert(
            id,
            OrganizationState {
                management_account: caller,
                management_account_name: name,
                management_account_email: email,
                feature_set,
                members: Vec::new(),
                created_at: Some(now),
                deleted_at: None,
            },
        );
        self.clock = Some(now);
        let organization = self
            .organization_info(id)
            .ok_or(LedgerError::NotInOrganization { account: caller })?;
        Ok(MembershipChanged {
            organization,
            handshakes: Vec::new(),
            events: vec![
                Event::OrganizationAdded {
                    organization: id,
                    management_account: caller,
                    at: now,
                },
                Event::AccountJoinedOrganization {
                    account: caller,
                    organization: id,
                    method: JoinMethod::Created,
                    at: now,
                },
            ],
        })
    }

    /// The organization `caller` belongs to, as seen at `now`. Any of its accounts may call.
    ///
    /// # Errors
    ///
    /// [`LedgerError::NotInOrganization`], then [`LedgerError::TimeWentBackwards`].
    pub fn describe_organization(
        &self,
        caller: AccountId,
        now: DateTime<Utc>,
    ) -> Result<OrganizationInfo, LedgerError> {
        let organization = match self.membership(&caller) {
            Membership::Management(org) | Membership::Member(org) => org,
            Membership::Standalone => {
                return Err(LedgerError::NotInOrganization { account: caller })
            }
        };
        self.check_clock(now)?;
        self.organization_info(organization)
            .ok_or(LedgerError::NotInOrganization { account: caller })
    }

    /// The management account `caller` deletes its organization at `now`, which must have no
    /// member besides it. The organization's pending handshakes are canceled (their events
    /// say so) and `caller` stands alone again.
    ///
    /// # Errors
    ///
    /// In this order, changing nothing: [`LedgerError::NotInOrganization`],
    /// [`LedgerError::NotManagementAccount`]; [`LedgerError::TimeWentBackwards`];
    /// [`LedgerError::OrganizationNotEmpty`].
    pub fn delete_organization(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
    ) -> Result<MembershipChanged, LedgerError> {
        let organization = self.managed_organization(caller)?;
        self.check_clock(now)?;
        let members = self
            .organizations
            .get(&organization)
            .map_or(0, |o| o.members.len());
        if members > 0 {
            return Err(LedgerError::OrganizationNotEmpty {
                organization,
                members,
            });
        }
        let info = self
            .organization_info(organization)
            .ok_or(LedgerError::NotInOrganization { account: caller })?;

        let mut pending: Vec<&Handshake> = Action::values()
            .iter()
            .flat_map(|action| self.pending_at(organization, *action, now))
            .collect();
        pending.sort_by_key(|h| (h.requested_at(), h.id()));
        let mut events = Vec::new();
        let mut canceled = Vec::new();
        for handshake in pending {
            let done = handshake.transition(&Command::CancelAsSideEffect, now)?;
            events.extend(done.events);
            canceled.push(done.handshake);
        }
        events.push(Event::OrganizationDeleted {
            organization,
            management_account: caller,
            at: now,
        });

        if let Some(record) = self.accounts.get_mut(&caller) {
            record.organization = None;
            record.join_method = None;
            record.joined_at = None;
        }
        if let Some(record) = self.organizations.get_mut(&organization) {
            record.deleted_at = Some(now);
        }
        let seen = canceled.iter().map(|h| h.observed_at(now)).collect();
        self.commit(canceled, now);
        Ok(MembershipChanged {
            organization: info,
            handshakes: seen,
            events,
        })
    }

    /// Member `caller` leaves its organization at `now` and stands alone again. An
    /// approve-all-features handshake it has not accepted is canceled, and its parent opens
    /// when every member that remains has approved.
    ///
    /// # Errors
    ///
    /// In this order, changing nothing: [`LedgerError::NotInOrganization`];
    /// [`LedgerError::ManagementAccountCannotLeave`]; [`LedgerError::TimeWentBackwards`].
    pub fn leave_organization(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
    ) -> Result<MembershipChanged, LedgerError> {
        let organization = match self.membership(&caller) {
            Membership::Member(org) => org,
            Membership::Management(organization) => {
                return Err(LedgerError::ManagementAccountCannotLeave {
                    account: caller,
                    organization,
                })
            }
            Membership::Standalone => {
                return Err(LedgerError::NotInOrganization { account: caller })
            }
        };
        self.check_clock(now)?;
        let departure = Event::AccountLeftOrganization {
            account: caller,
            organization,
            at: now,
        };
        self.depart(caller, organization, departure, now)
    }

    /// The management account `caller` removes member `account` from its organization at
    /// `now`; the account stands alone again, as after
    /// [`leave_organization`](Self::leave_organization).
    ///
    /// # Errors
    ///
    /// In this order, changing nothing: [`LedgerError::NotInOrganization`],
    /// [`LedgerError::NotManagementAccount`]; [`LedgerError::ManagementAccountCannotLeave`]
    /// when `account` is the caller; [`LedgerError::AccountNotInOrganization`] when it is not
    /// a member of the caller's organization; [`LedgerError::TimeWentBackwards`].
    pub fn remove_account(
        &mut self,
        caller: AccountId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<MembershipChanged, LedgerError> {
        let organization = self.managed_organization(caller)?;
        if account == caller {
            return Err(LedgerError::ManagementAccountCannotLeave {
                account,
                organization,
            });
        }
        if self.membership(&account) != Membership::Member(organization) {
            return Err(LedgerError::AccountNotInOrganization {
                account,
                organization,
            });
        }
        self.check_clock(now)?;
        let departure = Event::AccountRemovedFromOrganization {
            account,
            organization,
            by: caller,
            at: now,
        };
        self.depart(account, organization, departure, now)
    }

    /// An account of the ledger as its organization shows it (no caller checked): `None` for
    /// an account in no organization.
    pub fn account_info(&self, account: AccountId) -> Option<AccountInfo> {
        let record = self.accounts.get(&account)?;
        let organization = record.organization?;
        let org = self.organizations.get(&organization)?;
        let is_manager = org.management_account == account;
        Some(AccountInfo {
            id: account,
            name: record.name.clone(),
            email: record.email.clone(),
            organization,
            management_account: org.management_account,
            join_method: record.join_method.unwrap_or(if is_manager {
                JoinMethod::Created
            } else {
                JoinMethod::Invited
            }),
            joined_at: record
                .joined_at
                .or(org.created_at)
                .unwrap_or(DEFAULT_CREATED_AT),
        })
    }

    /// An organization as its accounts see it (no caller checked): `None` when the ledger has
    /// no such organization, or it was deleted.
    pub fn organization_info(&self, id: OrganizationId) -> Option<OrganizationInfo> {
        let record = self
            .organizations
            .get(&id)
            .filter(|o| o.deleted_at.is_none())?;
        Some(OrganizationInfo {
            id,
            management_account: record.management_account,
            management_account_name: record.management_account_name.clone(),
            management_account_email: record.management_account_email.clone(),
            feature_set: record.feature_set,
            created_at: record.created_at.unwrap_or(DEFAULT_CREATED_AT),
        })
    }

    /// `account` departs `organization` at `now` (checks done): it stands alone, its open
    /// approve-all-features child is canceled, and the pending parent opens when every member
    /// that remains has approved. `departure` is the event that says how it departed.
    pub(super) fn depart(
        &mut self,
        account: AccountId,
        organization: OrganizationId,
        departure: Event,
        now: DateTime<Utc>,
    ) -> Result<MembershipChanged, LedgerError> {
        let info = self
            .organization_info(organization)
            .ok_or(LedgerError::NotAMember { account })?;
        if let Some(record) = self.accounts.get_mut(&account) {
            record.organization = None;
            record.join_method = None;
            record.joined_at = None;
        }
        if let Some(org) = self.organizations.get_mut(&organization) {
            org.members.retain(|member| *member != account);
        }
        let mut events = vec![departure];
        let mut changed = Vec::new();
        let parents: Vec<Handshake> = self
            .pending_at(organization, Action::EnableAllFeatures, now)
            .cloned()
            .collect();
        for parent in parents {
            let children: Vec<&Handshake> = self.children_at(parent.id(), now);
            let mut canceled = None;
            for child in &children {
                let mine = child.recipient().account() == Some(&account);
                if mine && child.state_at(now) == HandshakeState::Open {
                    let done = child.transition(&Command::CancelAsSideEffect, now)?;
                    events.extend(done.events);
                    canceled = Some(done.handshake);
                }
            }
            let ready = parent.state_at(now) == HandshakeState::Requested
                && self.remaining_approved(organization, &children, now);
            if let Some(child) = canceled {
                changed.push(child);
            }
            if ready {
                let opened = parent.transition(&Command::Open, now)?;
                events.extend(opened.events);
                changed.push(opened.handshake);
            }
        }
        let seen = changed.iter().map(|h| h.observed_at(now)).collect();
        self.commit(changed, now);
        Ok(MembershipChanged {
            organization: info,
            handshakes: seen,
            events,
        })
    }

    /// Whether every child whose recipient is still a member of `organization` is accepted at
    /// `now`: the children of members that left do not count.
    pub(super) fn remaining_approved(
        &self,
        organization: OrganizationId,
        children: &[&Handshake],
        now: DateTime<Utc>,
    ) -> bool {
        children
            .iter()
            .filter(|c| {
                c.recipient()
                    .account()
                    .is_some_and(|a| self.membership(a) == Membership::Member(organization))
            })
            .all(|c| c.state_at(now) == HandshakeState::Accepted)
    }
}
