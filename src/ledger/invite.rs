//! Inviting an account: [`Ledger::invite`].

use chrono::{DateTime, TimeDelta, Utc};

use super::{Changed, Ledger, LedgerError, Parameter};
use crate::error::InputProblem;
use crate::handshake::Membership;
use crate::handshake::{Handshake, NewHandshake, Party, Recipient};
use crate::id::Notes;
use crate::id_source::IdSource;
use crate::vocab::{Action, HandshakeState};

/// How far back the daily invitation quota looks.
const QUOTA_WINDOW: TimeDelta = TimeDelta::hours(24);

/// An invitation request in neutral terms. The provider layer enforces its own target types
/// (AWS `ACCOUNT`/`EMAIL`, Huawei `account`/`name`, Alibaba `Account`/`Email`) before calling.
/// The new handshake's id is not part of the request: the ledger draws it from an
/// [`IdSource`] once the invitation is accepted.
///
/// ```
/// use org_handshake::Party;
/// use org_handshake::ledger::InviteRequest;
/// let request = InviteRequest::new(Party::Account("222222222222".parse()?))
///     .with_notes("welcome".parse()?);
/// assert!(request.notes.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRequest {
    /// Whom to invite: an account by id, email or name ([`Party::Organization`] is refused).
    pub target: Party,
    /// Free-text notes (at most 1024 characters, which [`Notes`] guarantees).
    pub notes: Option<Notes>,
}

impl InviteRequest {
    /// A request with no notes.
    pub fn new(target: Party) -> Self {
        InviteRequest {
            target,
            notes: None,
        }
    }

    /// The same request with notes.
    pub fn with_notes(mut self, notes: Notes) -> Self {
        self.notes = Some(notes);
        self
    }
}

impl Ledger {
    /// The management account `caller` invites `request.target` to its organization at `now`;
    /// the new handshake's id comes from `ids`, drawn once every check below has passed (a
    /// refused call draws none).
    ///
    /// An `Email` or `Name` target resolves to the world's account with that email or name;
    /// one that matches none is still invited (a provider does not reveal who exists), and
    /// nobody can accept it. A member of another organization can be invited; it is refused
    /// when it tries to accept.
    ///
    /// # Errors
    ///
    /// In this order (the first failing check decides):
    /// 1. the request: [`LedgerError::InvalidInput`] for an organization target;
    /// 2. the caller: [`LedgerError::NotInOrganization`], [`LedgerError::NotManagementAccount`];
    /// 3. time: [`LedgerError::TimeWentBackwards`];
    /// 4. the organization: [`LedgerError::InvitesDisabledDuringEnableAllFeatures`], then
    ///    [`LedgerError::RecipientAlreadyInOrganization`] (its management account included),
    ///    then [`LedgerError::DuplicateInvitation`] (a pending invitation from the same
    ///    organization to the same resolved account, or the same literal target when
    ///    unresolved), then [`LedgerError::InvitationQuotaExceeded`] (the profile's quota of
    ///    invitations requested in the 24 hours before `now`, `now - 24h` excluded; accepted
    ///    ones do not count);
    /// 5. a time the new handshake needs (its expiry, its purge) beyond the latest
    ///    representable time: [`LedgerError::InvalidHandshake`];
    /// 6. the new id, drawn last: [`LedgerError::IdSource`] when `ids` gives none or a
    ///    malformed one, [`LedgerError::HandshakeIdInUse`] when a handshake that still exists
    ///    holds it. Nothing changes in either case.
    ///
    /// # Example: a duplicate is refused
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let bill = "111111111111".parse()?;
    /// let juan = Party::Account("222222222222".parse()?);
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let mut ids = IdList::new(&["h-0000000001", "h-0000000002"]);
    /// ledger.invite(bill, InviteRequest::new(juan.clone()), &mut ids, now)?;
    /// let err = ledger.invite(bill, InviteRequest::new(juan), &mut ids, now).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::DuplicateHandshake);
    /// assert_eq!(ids.drawn(), 1); // the refused call drew no id
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn invite(
        &mut self,
        caller: crate::id::AccountId,
        request: InviteRequest,
        ids: &mut dyn IdSource,
        now: DateTime<Utc>,
    ) -> Result<Changed, LedgerError> {
        let InviteRequest { target, notes } = request;
        if matches!(target, Party::Organization(_)) {
            return Err(LedgerError::InvalidInput {
                parameter: Parameter::Target,
                problem: InputProblem::InvalidTargetType,
                reason: "an organization cannot be invited",
            });
        }
        let organization = self.managed_organization(caller)?;
        self.check_clock(now)?;

        if let Some(parent) = self
            .pending_at(organization, Action::EnableAllFeatures, now)
            .next()
        {
            return Err(LedgerError::InvitesDisabledDuringEnableAllFeatures {
                organization,
                parent: parent.id(),
            });
        }
        let recipient = self.resolve(target)?;
        if let Some(account) = recipient.account() {
            match self.membership(account) {
                Membership::Member(org) | Membership::Management(org) if org == organization => {
                    return Err(LedgerError::RecipientAlreadyInOrganization {
                        account: *account,
                        organization,
                        is_management_account: matches!(
                            self.membership(account),
                            Membership::Management(_)
                        ),
                    });
                }
                _ => {}
            }
        }
        if let Some(existing) = self
            .pending_at(organization, Action::Invite, now)
            .find(|h| same_recipient(h.recipient(), &recipient))
        {
            return Err(LedgerError::DuplicateInvitation {
                organization,
                existing: existing.id(),
            });
        }
        if let Some(quota) = self.profile.daily_invitation_quota {
            if self.invitations_counted(organization, now) >= quota as usize {
                return Err(LedgerError::InvitationQuotaExceeded {
                    organization,
                    quota,
                });
            }
        }

        let sender = self
            .sender(organization)
            .ok_or(LedgerError::NotInOrganization { account: caller })?;
        Handshake::check_creatable(Action::Invite, &self.profile, now)
            .map_err(LedgerError::InvalidHandshake)?;
        let id = self.draw_id(ids, 1, &[], now)?;
        let mut new = NewHandshake::invite(id, sender, recipient);
        new.notes = notes;
        let created =
            Handshake::create(new, &self.profile, now).map_err(LedgerError::InvalidHandshake)?;
        let handshake = created.handshake;
        let events = created.events.into_iter().collect();
        self.commit([handshake.clone()], now);
        Ok(Changed {
            handshake,
            related: Vec::new(),
            events,
        })
    }

    /// The recipient a target names: by id as given; by email or name, the matching account
    /// when the world has one, else unresolved.
    fn resolve(&self, target: Party) -> Result<Recipient, LedgerError> {
        let account = match &target {
            Party::Account(id) => Some(*id),
            Party::Email(email) => self.indexes.by_email.get(email).copied(),
            Party::Name(name) => self.indexes.by_name.get(name).copied(),
            _ => None,
        };
        Recipient::new(target, account).map_err(LedgerError::InvalidHandshake)
    }

    /// How many of `organization`'s invitations count against the daily quota at `now`: those
    /// requested after `now - 24h`, except the accepted ones.
    fn invitations_counted(
        &self,
        organization: crate::id::OrganizationId,
        now: DateTime<Utc>,
    ) -> usize {
        // Within a day of the earliest representable time the window reaches back past it:
        // then every invitation is inside it.
        let since = now.checked_sub_signed(QUOTA_WINDOW);
        self.indexes
            .by_organization_action
            .get(&(organization, Action::Invite))
            .into_iter()
            .flat_map(|set| set.iter().rev())
            .take_while(|((requested_at, _), _)| since.map_or(true, |since| *requested_at > since))
            .filter_map(|(_, slot)| self.handshakes.slot(*slot))
            .filter(|h| h.state_at(now) != HandshakeState::Accepted)
            .count()
    }
}

/// Whether two recipients are the same for the duplicate rule: the same resolved account, or,
/// both unresolved, the same literal target.
fn same_recipient(a: &Recipient, b: &Recipient) -> bool {
    match (a.account(), b.account()) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.target() == b.target(),
        _ => false,
    }
}
