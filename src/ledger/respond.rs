//! Acting on one handshake: [`Ledger::accept`], [`Ledger::decline`], [`Ledger::cancel`], and
//! reading it: [`Ledger::describe`].

use chrono::{DateTime, Utc};

use super::{Changed, Ledger, LedgerError};
use crate::error::TransitionError;
use crate::event::Event;
use crate::handshake::Command;
use crate::handshake::Handshake;
use crate::id::{AccountId, HandshakeId};
use crate::vocab::{Action, FeatureSet, HandshakeState};

impl Ledger {
    /// The recipient `caller` accepts handshake `id` at `now`.
    ///
    /// - An INVITE makes the caller a member of the sender's organization.
    /// - An APPROVE_ALL_FEATURES child that is the last of its parent's children to be
    ///   accepted opens the parent.
    /// - The ENABLE_ALL_FEATURES parent, accepted by the management account once open, gives
    ///   the organization all features.
    ///
    /// # Errors
    ///
    /// As [`Handshake::accept`]: not found (no party, unknown or purged), access denied, the
    /// ledger's clock ([`LedgerError::TimeWentBackwards`], checked after visibility and role),
    /// already in state, invalid transition (expired included), already in an organization.
    ///
    /// # Example: a member of another organization cannot accept
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [
    /// #   {"id": "o-aaaaaaaaaa", "management_account": {"id": "111111111111", "name": "a"}},
    /// #   {"id": "o-bbbbbbbbbb", "management_account": {"id": "222222222222", "name": "b"}, "members": ["333333333333"]}],
    /// #   "accounts": [{"id": "333333333333", "name": "c"}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let invite = InviteRequest::new(Party::Account("333333333333".parse()?));
    /// let sent = ledger.invite("111111111111".parse()?, invite, &mut IdList::new(&["h-0123456789"]), now)?;
    /// let err = ledger.accept("333333333333".parse()?, sent.handshake.id(), now).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::AlreadyInOrganization);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accept(
        &mut self,
        caller: AccountId,
        id: HandshakeId,
        now: DateTime<Utc>,
    ) -> Result<Changed, LedgerError> {
        let command = Command::Accept(self.caller(caller));
        let (handshake, mut events) = self.plan(&command, id, now)?;
        let mut related = Vec::new();
        match handshake.action() {
            Action::ApproveAllFeatures => {
                if let Some(parent) = self.parent_to_open(&handshake, now) {
                    let opened = parent.transition(&Command::Open, now)?;
                    events.extend(opened.events);
                    related.push(opened.handshake);
                }
            }
            Action::Invite => self.join(caller, handshake.sender().id, now),
            Action::EnableAllFeatures => {
                if let Some(org) = self.organizations.get_mut(&handshake.sender().id) {
                    org.feature_set = Some(FeatureSet::All);
                }
            }
            _ => {}
        }
        Ok(self.finish(handshake, related, events, now))
    }

    /// The recipient `caller` declines handshake `id` at `now`.
    ///
    /// A declined APPROVE_ALL_FEATURES child leaves its parent waiting: the management account
    /// can cancel it and start again.
    ///
    /// # Errors
    ///
    /// As [`Handshake::decline`], with the ledger's clock checked after visibility and role.
    ///
    /// # Example: decline
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let invite = InviteRequest::new(Party::Account("222222222222".parse()?));
    /// ledger.invite("111111111111".parse()?, invite, &mut IdList::new(&["h-0123456789"]), now)?;
    /// let declined = ledger.decline("222222222222".parse()?, "h-0123456789".parse()?, now)?;
    /// assert_eq!(declined.handshake.state(), HandshakeState::Declined);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decline(
        &mut self,
        caller: AccountId,
        id: HandshakeId,
        now: DateTime<Utc>,
    ) -> Result<Changed, LedgerError> {
        let command = Command::Decline(self.caller(caller));
        let (handshake, events) = self.plan(&command, id, now)?;
        Ok(self.finish(handshake, Vec::new(), events, now))
    }

    /// The sender's management account `caller` cancels handshake `id` at `now`. Canceling an
    /// ENABLE_ALL_FEATURES parent cancels its children that are still open.
    ///
    /// # Errors
    ///
    /// As [`Handshake::cancel`], with the ledger's clock checked after visibility and role.
    ///
    /// # Example: the recipient cannot cancel
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let invite = InviteRequest::new(Party::Account("222222222222".parse()?));
    /// ledger.invite("111111111111".parse()?, invite, &mut IdList::new(&["h-0123456789"]), now)?;
    /// let err = ledger.cancel("222222222222".parse()?, "h-0123456789".parse()?, now).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::AccessDenied);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cancel(
        &mut self,
        caller: AccountId,
        id: HandshakeId,
        now: DateTime<Utc>,
    ) -> Result<Changed, LedgerError> {
        let command = Command::Cancel(self.caller(caller));
        let (handshake, mut events) = self.plan(&command, id, now)?;
        let mut related = Vec::new();
        if handshake.action() == Action::EnableAllFeatures {
            for child in self.children_at(handshake.id(), now) {
                if child.state_at(now) == HandshakeState::Open {
                    let canceled = child.transition(&Command::CancelAsSideEffect, now)?;
                    events.extend(canceled.events);
                    related.push(canceled.handshake);
                }
            }
        }
        Ok(self.finish(handshake, related, events, now))
    }

    /// Handshake `id` as `caller` sees it at `now`: lapses written down, visible only to its
    /// parties and until purged.
    ///
    /// # Errors
    ///
    /// [`TransitionError::NotFound`] when the id is unknown or purged, or the caller is neither
    /// party; [`LedgerError::TimeWentBackwards`] when `now` is before the ledger's clock.
    ///
    /// # Example: strangers get not found
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let invite = InviteRequest::new(Party::Account("222222222222".parse()?));
    /// ledger.invite("111111111111".parse()?, invite, &mut IdList::new(&["h-0123456789"]), now)?;
    /// let id = "h-0123456789".parse()?;
    /// assert!(ledger.describe("222222222222".parse()?, id, now).is_ok());
    /// assert_eq!(ledger.describe("999999999999".parse()?, id, now).unwrap_err().kind(), ErrorKind::NotFound);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn describe(
        &self,
        caller: AccountId,
        id: HandshakeId,
        now: DateTime<Utc>,
    ) -> Result<Handshake, LedgerError> {
        let handshake = self
            .handshakes
            .get(&id)
            .filter(|h| h.is_party(&caller) && h.is_visible_at(now))
            .ok_or(TransitionError::NotFound { handshake: id })?;
        self.check_clock(now)?;
        Ok(handshake.observed_at(now))
    }

    /// Runs the core transition for `command` on handshake `id`, with the ledger's clock
    /// checked after visibility and role, as the core orders its checks.
    fn plan(
        &self,
        command: &Command,
        id: HandshakeId,
        now: DateTime<Utc>,
    ) -> Result<(Handshake, Vec<Event>), LedgerError> {
        let stored = self
            .handshakes
            .get(&id)
            .ok_or(TransitionError::NotFound { handshake: id })?;
        let result = stored.transition(command, now);
        if let Err(err) = self.check_clock(now) {
            return Err(match result {
                Err(
                    early @ (TransitionError::NotFound { .. }
                    | TransitionError::AccessDenied { .. }),
                ) => LedgerError::Transition(early),
                _ => err,
            });
        }
        let transition = result?;
        Ok((
            transition.handshake,
            transition.events.into_iter().collect(),
        ))
    }

    /// The children of `parent` that still exist at `now`.
    pub(super) fn children_at(&self, parent: HandshakeId, now: DateTime<Utc>) -> Vec<&Handshake> {
        self.indexes
            .children
            .get(&parent)
            .into_iter()
            .flat_map(|set| set.iter())
            .filter_map(|(_, slot)| self.handshakes.slot(*slot))
            .filter(|h| h.is_visible_at(now))
            .collect()
    }

    /// The parent of `child` (just accepted), when every one of its other children whose
    /// recipient is still a member is accepted, and it is still waiting for them (the children
    /// of members that left do not count).
    fn parent_to_open(&self, child: &Handshake, now: DateTime<Utc>) -> Option<&Handshake> {
        let parent = self.handshakes.get(&child.parent()?)?;
        if parent.state_at(now) != HandshakeState::Requested {
            return None;
        }
        let others: Vec<&Handshake> = self
            .children_at(parent.id(), now)
            .into_iter()
            .filter(|c| c.id() != child.id())
            .collect();
        let organization = parent.sender().id;
        self.remaining_approved(organization, &others, now)
            .then_some(parent)
    }

    /// Commits the planned handshakes and returns them as seen at `now`.
    fn finish(
        &mut self,
        handshake: Handshake,
        related: Vec<Handshake>,
        events: Vec<Event>,
        now: DateTime<Utc>,
    ) -> Changed {
        let seen = handshake.observed_at(now);
        let related_seen = related.iter().map(|h| h.observed_at(now)).collect();
        self.commit(std::iter::once(handshake).chain(related), now);
        Changed {
            handshake: seen,
            related: related_seen,
            events,
        }
    }
}
