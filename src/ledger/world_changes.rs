//! Changes to the world an embedder makes between calls: [`Ledger::add_account`],
//! [`Ledger::add_organization`], [`Ledger::remove_member`].
//!
//! They are not provider operations: an emulator calls them when its own world changes (an
//! account is created, an organization is set up, a member leaves). Like every ledger call,
//! each takes `now`, keeps to the ledger's one clock, returns the [`Event`]s it caused, and
//! changes nothing when it refuses.
//!
//! # Example: a member leaves and is invited again
//!
//! ```
//! use org_handshake::*;
//! use org_handshake::ledger::*;
//! # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
//! #   "management_account": {"id": "111111111111", "name": "Bill"}, "members": ["333333333333"]}],
//! #   "accounts": [{"id": "333333333333", "name": "mary"}]}))?;
//! let mut ledger = Ledger::new(Profile::AWS, &world)?;
//! let (bill, mary): (AccountId, AccountId) = ("111111111111".parse()?, "333333333333".parse()?);
//! let now = "2026-01-05T10:00:00Z".parse()?;
//!
//! let events = ledger.remove_member(mary, now)?;
//! assert!(matches!(events[0], Event::AccountLeftOrganization { .. }));
//! assert_eq!(ledger.membership(&mary), Membership::Standalone);
//!
//! let sent = ledger.invite(bill, InviteRequest::new(Party::Account(mary)), &mut IdList::new(&["h-0123456789"]), now)?;
//! ledger.accept(mary, sent.handshake.id(), now)?;
//! assert_eq!(ledger.membership(&mary), Membership::Member("o-exampleorgid".parse()?));
//!
//! // The management account cannot leave.
//! assert_eq!(ledger.remove_member(bill, now).unwrap_err().code(), "management_account_cannot_leave");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};

use super::{AccountSpec, AccountState, Ledger, LedgerError, OrganizationState};
use crate::event::Event;
use crate::id::{AccountId, OrganizationId};
use crate::vocab::FeatureSet;

impl Ledger {
    /// Adds a standalone account to the world at `now`. Its name and email address, when
    /// given, are how `Name` and `Email` invitation targets find it.
    ///
    /// # Errors
    ///
    /// In this order, changing nothing: [`LedgerError::AccountAlreadyExists`] when the ledger
    /// knows the account (listed, or joined by accepting an invitation);
    /// [`LedgerError::EmailTaken`], [`LedgerError::NameTaken`] when another account has the
    /// same email address or name; [`LedgerError::TimeWentBackwards`].
    ///
    /// # Example: an email address belongs to one account
    ///
    /// ```
    /// use org_handshake::*;
    /// use org_handshake::ledger::*;
    /// let mut ledger = Ledger::new(Profile::AWS, &World::default())?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let juan = AccountSpec { id: "222222222222".parse()?, name: "juan".parse()?, email: Some("juan@example.com".parse()?) };
    /// ledger.add_account(juan.clone(), now)?;
    /// let twin = AccountSpec { id: "333333333333".parse()?, name: "juanito".parse()?, ..juan };
    /// assert_eq!(ledger.add_account(twin, now).unwrap_err().code(), "email_taken");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_account(
        &mut self,
        account: AccountSpec,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, LedgerError> {
        let AccountSpec { id, name, email } = account;
        if self.accounts.contains_key(&id) {
            return Err(LedgerError::AccountAlreadyExists { account: id });
        }
        if let Some(email) = &email {
            if let Some(holder) = self.indexes.by_email.get(email) {
                return Err(LedgerError::EmailTaken {
                    email: email.clone(),
                    holder: *holder,
                });
            }
        }
        if let Some(holder) = self.indexes.by_name.get(&name) {
            return Err(LedgerError::NameTaken {
                name,
                holder: *holder,
            });
        }
        self.check_clock(now)?;

        if let Some(email) = &email {
            self.indexes.by_email.insert(email.clone(), id);
        }
        self.indexes.by_name.insert(name.clone(), id);
        self.accounts.insert(
            id,
            AccountState {
                name: Some(name),
                email,
                ..AccountState::unnamed()
            },
        );
        self.clock = Some(now);
        Ok(vec![Event::AccountAdded {
            account: id,
            at: now,
        }])
    }

    /// Creates organization `id` at `now`, managed by `management_account`, a standalone
    /// account the world lists (its name and email become the management account's), with no
    /// members and `feature_set` (`None` for a provider without feature sets).
    ///
    /// # Errors
    ///
    /// In this order, changing nothing: [`LedgerError::OrganizationAlreadyExists`];
    /// [`LedgerError::UnknownAccount`] when the world does not list the account;
    /// [`LedgerError::AccountInOrganization`] when it belongs to an organization;
    /// [`LedgerError::TimeWentBackwards`].
    ///
    /// # Example: create an organization and invite into it
    ///
    /// ```
    /// use org_handshake::*;
    /// use org_handshake::ledger::*;
    /// let mut ledger = Ledger::new(Profile::AWS, &World::default())?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let bill: AccountId = "111111111111".parse()?;
    /// ledger.add_account(AccountSpec { id: bill, name: "Bill".parse()?, email: None }, now)?;
    /// ledger.add_organization("o-exampleorgid".parse()?, bill, Some(FeatureSet::All), now)?;
    /// assert_eq!(ledger.membership(&bill), Membership::Management("o-exampleorgid".parse()?));
    /// let invite = InviteRequest::new(Party::Account("222222222222".parse()?));
    /// assert!(ledger.invite(bill, invite, &mut IdList::new(&["h-0123456789"]), now).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_organization(
        &mut self,
        id: OrganizationId,
        management_account: AccountId,
        feature_set: Option<FeatureSet>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, LedgerError> {
        if self.organizations.contains_key(&id) {
            return Err(LedgerError::OrganizationAlreadyExists { organization: id });
        }
        let unknown = LedgerError::UnknownAccount {
            account: management_account,
        };
        let record = self
            .accounts
            .get(&management_account)
            .ok_or(unknown.clone())?;
        if let Some(organization) = record.organization {
            return Err(LedgerError::AccountInOrganization {
                account: management_account,
                organization,
            });
        }
        // An account that only ever joined by invitation has no name the world knows.
        let name = record.name.clone().ok_or(unknown)?;
        let email = record.email.clone();
        self.check_clock(now)?;

        self.organizations.insert(
            id,
            OrganizationState {
                management_account,
                management_account_name: name,
                management_account_email: email,
                feature_set,
                members: Vec::new(),
                created_at: Some(now),
                deleted_at: None,
            },
        );
        if let Some(record) = self.accounts.get_mut(&management_account) {
            record.organization = Some(id);
            record.join_method = Some(crate::event::JoinMethod::Created);
            record.joined_at = Some(now);
        }
        self.clock = Some(now);
        Ok(vec![Event::OrganizationAdded {
            organization: id,
            management_account,
            at: now,
        }])
    }

    /// Member `account` leaves its organization at `now` and stands alone again: it may be
    /// invited (by any organization) and accept. As
    /// [`leave_organization`](Self::leave_organization): an approve-all-features child it has
    /// not accepted is canceled, and the parent opens when every member that remains has
    /// approved.
    ///
    /// # Errors
    ///
    /// In this order, changing nothing: [`LedgerError::UnknownAccount`] when the ledger does
    /// not know the account; [`LedgerError::NotAMember`] when it is in no organization;
    /// [`LedgerError::ManagementAccountCannotLeave`]; [`LedgerError::TimeWentBackwards`].
    pub fn remove_member(
        &mut self,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, LedgerError> {
        let record = self
            .accounts
            .get(&account)
            .ok_or(LedgerError::UnknownAccount { account })?;
        let organization = record
            .organization
            .ok_or(LedgerError::NotAMember { account })?;
        if self
            .organizations
            .get(&organization)
            .is_some_and(|o| o.management_account == account)
        {
            return Err(LedgerError::ManagementAccountCannotLeave {
                account,
                organization,
            });
        }
        self.check_clock(now)?;

        let departure = Event::AccountLeftOrganization {
            account,
            organization,
            at: now,
        };
        Ok(self.depart(account, organization, departure, now)?.events)
    }
}
