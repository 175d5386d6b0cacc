//! Transitions of one handshake: accept, decline, cancel, expire, open, as pure functions of the
//! handshake, the [`Caller`] and `now`.
//!
//! | state at `now` \ operation | accept (recipient) | decline (recipient) | cancel (sender) |
//! |---|---|---|---|
//! | Open | → Accepted | → Declined | → Canceled |
//! | Requested (parent) | invalid transition | invalid transition | → Canceled |
//! | Accepted | already in state | invalid transition | invalid transition |
//! | Declined | invalid transition | already in state | invalid transition |
//! | Canceled | invalid transition | invalid transition | already in state |
//! | Expired | invalid transition | invalid transition | invalid transition |
//!
//! Checks run in this order, and the first that fails decides the error: visibility (a caller
//! that is no party, or a purged handshake: [`NotFound`](TransitionError::NotFound)); role
//! ([`AccessDenied`](TransitionError::AccessDenied)); time
//! ([`TimeWentBackwards`](TransitionError::TimeWentBackwards)); the state at `now`; then the
//! caller's organization ([`AlreadyInOrganization`](TransitionError::AlreadyInOrganization)).
//!
//! Each operation comes two ways: a `&self` method that returns a new [`Transition`] (the
//! handshake is cloned), and [`Handshake::apply`], which changes the handshake in place and
//! never allocates. Both leave the handshake exactly as it was when they refuse.
//!
//! # Example: accept, then accept again
//!
//! ```
//! use org_handshake::*;
//! let invite = org_handshake::example::aws_invitation()?;
//! let juan = Caller::standalone("222222222222".parse()?);
//! let at = invite.requested_at() + chrono::TimeDelta::hours(1);
//!
//! let accepted = invite.accept(&juan, at)?;
//! assert_eq!(accepted.handshake.state(), HandshakeState::Accepted);
//! assert!(accepted.events.iter().any(|e| matches!(e, Event::AccountJoinedOrganization { method: JoinMethod::Invited, .. })));
//!
//! let again = accepted.handshake.accept(&juan, at).unwrap_err();
//! assert_eq!(again.code(), "handshake_already_in_state");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Handshake, Transition};
use crate::error::TransitionError;
use crate::event::{Event, Events, JoinMethod};
use crate::id::{AccountId, OrganizationId};
use crate::vocab::{Action, HandshakeState, Operation, PartyRole};

/// Where an account stands: on its own, a member of an organization, or an organization's
/// management account. Decides who may accept what.
///
/// ```
/// use org_handshake::Membership;
/// let org = "o-exampleorgid".parse()?;
/// assert_eq!(Membership::Member(org).organization(), Some(org));
/// assert_eq!(Membership::Standalone.organization(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "organization", rename_all = "snake_case")]
pub enum Membership {
    /// In no organization.
    Standalone,
    /// A member account of the organization.
    Member(OrganizationId),
    /// The organization's management account.
    Management(OrganizationId),
}

impl Membership {
    /// The organization the account belongs to, if any.
    pub const fn organization(&self) -> Option<OrganizationId> {
        match self {
            Membership::Standalone => None,
            Membership::Member(org) | Membership::Management(org) => Some(*org),
        }
    }
}

/// The account making a call, with its [`Membership`].
///
/// ```
/// use org_handshake::{Caller, Membership};
/// let caller = Caller::management("111111111111".parse()?, "o-exampleorgid".parse()?);
/// assert!(matches!(caller.membership, Membership::Management(_)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Caller {
    /// The calling account.
    pub account: AccountId,
    /// Where it stands.
    pub membership: Membership,
}

impl Caller {
    /// An account in no organization.
    pub const fn standalone(account: AccountId) -> Self {
        Caller {
            account,
            membership: Membership::Standalone,
        }
    }

    /// A member account of `organization`.
    pub const fn member(account: AccountId, organization: OrganizationId) -> Self {
        Caller {
            account,
            membership: Membership::Member(organization),
        }
    }

    /// The management account of `organization`.
    pub const fn management(account: AccountId, organization: OrganizationId) -> Self {
        Caller {
            account,
            membership: Membership::Management(organization),
        }
    }
}

/// An operation to apply to a handshake with [`Handshake::apply`].
///
/// ```
/// use org_handshake::*;
/// let command = Command::Accept(Caller::standalone("222222222222".parse()?));
/// assert_eq!(command.operation(), Operation::Accept);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Command {
    /// The caller accepts.
    Accept(Caller),
    /// The caller declines.
    Decline(Caller),
    /// The caller cancels.
    Cancel(Caller),
    /// The system cancels a pending handshake as the side effect of another change (enabling
    /// all features cancels pending invitations; a parent that ends cancels its open children).
    CancelAsSideEffect,
    /// Write down the expiry of a pending handshake whose `expires_at` has come.
    Expire,
    /// Open an enable-all-features parent whose children have all been accepted.
    Open,
}

impl Command {
    /// The operation the command performs.
    pub const fn operation(&self) -> Operation {
        match self {
            Command::Accept(_) => Operation::Accept,
            Command::Decline(_) => Operation::Decline,
            Command::Cancel(_) | Command::CancelAsSideEffect => Operation::Cancel,
            Command::Expire => Operation::Expire,
            Command::Open => Operation::Open,
        }
    }
}

/// What a command that passed every check changes: the new state and when it was entered.
/// Small on purpose: the events are built after the checks, straight into the caller's value,
/// rather than carried through a `Result` (copying them twice cost about a fifth of an accept).
#[derive(Clone, Copy)]
struct Change {
    state: HandshakeState,
    at: DateTime<Utc>,
}

impl Handshake {
    /// The recipient accepts at `now`.
    ///
    /// Accepting an INVITE also emits [`Event::AccountJoinedOrganization`]. Who may accept:
    /// the resolved recipient; for an approve-all-features child it must be a member of the
    /// sender's organization, for an enable-all-features parent its management account, for a
    /// responsibility transfer some organization's management account.
    ///
    /// # Errors
    ///
    /// [`TransitionError`]: not found (no party, or purged), access denied (the sender, or the
    /// wrong kind of account), time went backwards, already in state (accepted), invalid
    /// transition (any other state at `now`, expired included), already in an organization (an
    /// INVITE accepted by an account that belongs to one).
    ///
    /// # Example: nothing is accepted at or after expiry
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let juan = Caller::standalone("222222222222".parse()?);
    /// let err = h.accept(&juan, h.expires_at()).unwrap_err();
    /// assert_eq!(err, TransitionError::InvalidTransition { handshake: h.id(), state: HandshakeState::Expired, operation: Operation::Accept });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accept(
        &self,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> Result<Transition, TransitionError> {
        self.transition(&Command::Accept(*caller), now)
    }

    /// The recipient declines at `now`.
    ///
    /// # Errors
    ///
    /// As [`accept`](Self::accept), with *already in state* for a declined handshake and no
    /// organization check.
    ///
    /// # Example: the sender cannot decline
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let bill = Caller::management("111111111111".parse()?, "o-exampleorgid".parse()?);
    /// assert_eq!(h.decline(&bill, h.requested_at()).unwrap_err().code(), "access_denied");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decline(
        &self,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> Result<Transition, TransitionError> {
        self.transition(&Command::Decline(*caller), now)
    }

    /// The sender cancels at `now`. The sender is the organization: only its management account,
    /// calling as that organization's management account, may cancel.
    ///
    /// # Errors
    ///
    /// [`TransitionError`]: not found (no party, or purged), access denied (the recipient; or
    /// the sender's management account calling as anything but the sender organization's
    /// management account), time went backwards, already in state (canceled), invalid
    /// transition (any other terminal state at `now`).
    ///
    /// # Example: cancel an open invitation
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let bill = Caller::management("111111111111".parse()?, "o-exampleorgid".parse()?);
    /// let canceled = h.cancel(&bill, h.requested_at())?.handshake;
    /// assert_eq!(canceled.state(), HandshakeState::Canceled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Example: the right account in the wrong role is refused
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let bill: AccountId = "111111111111".parse()?;
    /// let elsewhere = Caller::management(bill, "o-otherorgid1".parse()?);
    /// assert_eq!(h.cancel(&elsewhere, h.requested_at()).unwrap_err().code(), "access_denied");
    /// assert_eq!(h.cancel(&Caller::standalone(bill), h.requested_at()).unwrap_err().code(), "access_denied");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cancel(
        &self,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> Result<Transition, TransitionError> {
        self.transition(&Command::Cancel(*caller), now)
    }

    /// Writes down the expiry of a pending handshake whose `expires_at` has come. The change is
    /// recorded at `expires_at`, when it happened, not at `now`.
    ///
    /// # Errors
    ///
    /// [`TransitionError`]: not found (purged), time went backwards, not yet expired (`now` is
    /// before `expires_at`), already in state (expired), invalid transition (another terminal
    /// state).
    ///
    /// # Example: expiry is recorded at `expires_at`
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let later = h.expires_at() + chrono::TimeDelta::days(3);
    /// let expired = h.expire(later)?.handshake;
    /// assert_eq!(expired.state(), HandshakeState::Expired);
    /// assert_eq!(expired.state_entered_at(), h.expires_at());
    /// assert_eq!(h.expire(h.requested_at()).unwrap_err().code(), "handshake_not_yet_expired");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expire(&self, now: DateTime<Utc>) -> Result<Transition, TransitionError> {
        self.transition(&Command::Expire, now)
    }

    /// Applies `command` at `now` and returns the new handshake with its events; `self` is not
    /// changed.
    ///
    /// # Errors
    ///
    /// The [`TransitionError`] the command's rules give; see each operation.
    pub fn transition(
        &self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Transition, TransitionError> {
        let change = self.check(command, now)?;
        let events = self.events(command, now);
        let mut handshake = self.clone();
        handshake.state = change.state;
        handshake.state_entered_at = change.at;
        Ok(Transition { handshake, events })
    }

    /// Applies `command` at `now` in place and returns its events. On error the handshake is
    /// left exactly as it was. Never allocates.
    ///
    /// # Errors
    ///
    /// The [`TransitionError`] the command's rules give; see each operation.
    ///
    /// # Example: in place
    ///
    /// ```
    /// # use org_handshake::*;
    /// let mut h = org_handshake::example::aws_invitation()?;
    /// let before = h.clone();
    /// let stranger = Caller::standalone("999999999999".parse()?);
    /// assert!(h.apply(&Command::Accept(stranger), h.requested_at()).is_err());
    /// assert_eq!(h, before);
    /// let events = h.apply(&Command::Decline(Caller::standalone("222222222222".parse()?)), h.requested_at())?;
    /// assert_eq!(h.state(), HandshakeState::Declined);
    /// assert_eq!(events.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Events, TransitionError> {
        let change = self.check(command, now)?;
        self.state = change.state;
        self.state_entered_at = change.at;
        // Built last, from fields the change leaves alone, so that they are written straight
        // into the returned value.
        Ok(self.events(command, now))
    }

    /// Runs every check of `command` at `now`, in the documented order, and says what the
    /// command would change; changes nothing. Inlined into [`apply`](Self::apply) and
    /// [`transition`](Self::transition), so that a refusal is written once, where the caller
    /// gets it.
    #[inline(always)]
    fn check(&self, command: &Command, now: DateTime<Utc>) -> Result<Change, TransitionError> {
        let handshake = self.id;
        if !self.is_visible_at(now) {
            return Err(TransitionError::NotFound { handshake });
        }

        // Role: who may perform the command.
        let is_recipient = |c: &Caller| self.recipient.account() == Some(&c.account);
        let is_sender = |c: &Caller| self.sender.management_account == c.account;
        let denied = |c: &Caller, role| TransitionError::AccessDenied {
            handshake,
            caller: c.account,
            operation: command.operation(),
            role: Some(role),
        };
        match command {
            Command::Accept(caller) | Command::Decline(caller) => {
                if !is_recipient(caller) {
                    return Err(if is_sender(caller) {
                        denied(caller, PartyRole::Sender)
                    } else {
                        TransitionError::NotFound { handshake }
                    });
                }
                if matches!(command, Command::Accept(_)) && !self.may_accept(&caller.membership) {
                    return Err(denied(caller, PartyRole::Recipient));
                }
            }
            Command::Cancel(caller) => {
                if !is_sender(caller) {
                    return Err(if is_recipient(caller) {
                        denied(caller, PartyRole::Recipient)
                    } else {
                        TransitionError::NotFound { handshake }
                    });
                }
                // The sender is the organization: its management account acts for it only
                // when calling as that organization's management account.
                if !matches!(caller.membership, Membership::Management(org) if org == self.sender.id)
                {
                    return Err(denied(caller, PartyRole::Sender));
                }
            }
            Command::CancelAsSideEffect | Command::Expire | Command::Open => {}
        }

        // Time never runs backwards.
        if now < self.state_entered_at {
            return Err(TransitionError::TimeWentBackwards {
                handshake,
                now,
                last_change: self.state_entered_at,
            });
        }

        // State at `now`; an explicit expiry looks at what is written down, since writing
        // down a lapse is its whole point.
        let state = match command {
            Command::Expire => self.state,
            _ => self.state_at(now),
        };
        let target = match command {
            Command::Accept(_) => HandshakeState::Accepted,
            Command::Decline(_) => HandshakeState::Declined,
            Command::Cancel(_) | Command::CancelAsSideEffect => HandshakeState::Canceled,
            Command::Expire => HandshakeState::Expired,
            Command::Open => HandshakeState::Open,
        };
        if state == target {
            return Err(TransitionError::AlreadyInState { handshake, state });
        }
        let allowed = match command {
            Command::Accept(_) | Command::Decline(_) => state == HandshakeState::Open,
            Command::Cancel(_) | Command::CancelAsSideEffect => state.is_pending(),
            Command::Open => state == HandshakeState::Requested,
            Command::Expire => {
                if state.is_pending() && now < self.expires_at {
                    return Err(TransitionError::NotYetExpired {
                        handshake,
                        expires_at: self.expires_at,
                    });
                }
                state.is_pending()
            }
        };
        if !allowed {
            return Err(TransitionError::InvalidTransition {
                handshake,
                state,
                operation: command.operation(),
            });
        }

        // Organization constraints: an account in an organization cannot accept an invitation.
        if let Command::Accept(caller) = command {
            if self.action == Action::Invite {
                if let Some(organization) = caller.membership.organization() {
                    return Err(TransitionError::AlreadyInOrganization {
                        handshake,
                        account: caller.account,
                        organization,
                        is_management_account: matches!(
                            caller.membership,
                            Membership::Management(_)
                        ),
                    });
                }
            }
        }

        let at = match command {
            Command::Expire => self.expires_at,
            _ => now,
        };
        Ok(Change { state: target, at })
    }

    /// The events of `command` at `now`, once [`check`](Self::check) has passed it. Inlined,
    /// so that the events are built where the caller receives them.
    #[inline(always)]
    fn events(&self, command: &Command, now: DateTime<Utc>) -> Events {
        let handshake = self.id;
        let action = self.action;
        match command {
            Command::Accept(caller) => {
                let accepted = Event::HandshakeAccepted {
                    handshake,
                    action,
                    by: caller.account,
                    at: now,
                };
                if action == Action::Invite {
                    Events::two(
                        accepted,
                        Event::AccountJoinedOrganization {
                            account: caller.account,
                            organization: self.sender.id,
                            method: JoinMethod::Invited,
                            at: now,
                        },
                    )
                } else {
                    Events::one(accepted)
                }
            }
            Command::Decline(caller) => Events::one(Event::HandshakeDeclined {
                handshake,
                action,
                by: caller.account,
                at: now,
            }),
            Command::Cancel(_) | Command::CancelAsSideEffect => {
                Events::one(Event::HandshakeCanceled {
                    handshake,
                    action,
                    by: match command {
                        Command::Cancel(caller) => Some(caller.account),
                        _ => None,
                    },
                    at: now,
                })
            }
            Command::Expire => Events::one(Event::HandshakeExpired {
                handshake,
                action,
                at: self.expires_at,
            }),
            Command::Open => Events::one(Event::HandshakeOpened { handshake, at: now }),
        }
    }

    /// Whether an account standing as `membership` may accept this handshake as its recipient.
    #[inline]
    fn may_accept(&self, membership: &Membership) -> bool {
        match self.action {
            Action::Invite => true,
            Action::ApproveAllFeatures | Action::AddOrganizationsServiceLinkedRole => {
                *membership == Membership::Member(self.sender.id)
            }
            Action::EnableAllFeatures => *membership == Membership::Management(self.sender.id),
            Action::TransferResponsibility => matches!(membership, Membership::Management(_)),
        }
    }
}
