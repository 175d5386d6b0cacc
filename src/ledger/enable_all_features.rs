//! Starting the AWS enable-all-features flow: [`Ledger::enable_all_features`].
//!
//! The flow, as the AWS User Guide describes it (the parent/child reading; the current API text
//! swaps the two action names):
//!
//! 1. The management account starts it: an ENABLE_ALL_FEATURES *parent* addressed to itself,
//!    `Requested`, and one APPROVE_ALL_FEATURES *child* per member, `Open`; pending
//!    invitations are canceled and new ones refused while the parent is pending.
//! 2. Each member accepts its child; when the last one does, the parent opens
//!    ([`Ledger::accept`]). With no members the parent is created open.
//! 3. The management account accepts the open parent: the organization has all features.
//!
//! Canceling the parent cancels its open children. The children are valid exactly as long as
//! their parent (the profile's enable-all-features validity), so when the parent expires its
//! open children lapse at the same instant: they read `Expired`, entered at the parent's
//! expiry. (The User Guide says the related requests are "canceled"; a handshake cannot be
//! canceled at the instant it expires, and expiring together is what any observer sees at
//! every `now`, whether or not anything ran in between.)

use chrono::{DateTime, Utc};

use super::{Changed, Ledger, LedgerError};
use crate::event::Event;
use crate::handshake::Command;
use crate::handshake::{Handshake, NewHandshake, Recipient};
use crate::id::{AccountId, HandshakeId};
use crate::id_source::{IdSource, IdSourceError};
use crate::vocab::{Action, FeatureSet};

impl Ledger {
    /// The management account `caller` starts enabling all features at `now`. The ids come
    /// from `ids`, drawn once every check below has passed (a refused call draws none): the
    /// parent's first, then one per member, in the organization's member order.
    ///
    /// Returns the parent as [`Changed::handshake`]; [`Changed::related`] holds the children,
    /// then the invitations it canceled.
    ///
    /// # Errors
    ///
    /// In this order:
    /// 1. [`LedgerError::Unsupported`] when the profile has no such flow;
    /// 2. the caller: [`LedgerError::NotInOrganization`], [`LedgerError::NotManagementAccount`];
    /// 3. time: [`LedgerError::TimeWentBackwards`];
    /// 4. the organization: [`LedgerError::AllFeaturesAlreadyEnabled`], then
    ///    [`LedgerError::AllFeaturesAlreadyRequested`];
    /// 5. a time the new handshakes need beyond the latest representable time:
    ///    [`LedgerError::InvalidHandshake`];
    /// 6. the new ids, drawn last: [`LedgerError::IdSource`] when `ids` runs out or gives a
    ///    malformed id, [`LedgerError::HandshakeIdInUse`] when an existing handshake holds one
    ///    or the call drew it twice. Nothing changes in either case.
    ///
    /// # Example: start, approve, finalize
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
    /// #   "management_account": {"id": "111111111111", "name": "Bill"}, "feature_set": "CONSOLIDATED_BILLING",
    /// #   "members": ["333333333333"]}], "accounts": [{"id": "333333333333", "name": "mary"}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let (bill, mary) = ("111111111111".parse()?, "333333333333".parse()?);
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let mut ids = IdList::new(&["h-parent0001", "h-child00001"]);
    /// let started = ledger.enable_all_features(bill, &mut ids, now)?;
    /// assert_eq!(started.handshake.state(), HandshakeState::Requested);
    ///
    /// let approved = ledger.accept(mary, "h-child00001".parse()?, now)?;
    /// assert_eq!(approved.related[0].state(), HandshakeState::Open); // the parent opened
    ///
    /// ledger.accept(bill, "h-parent0001".parse()?, now)?;
    /// assert_eq!(ledger.organization(&"o-exampleorgid".parse()?).and_then(|o| o.feature_set), Some(FeatureSet::All));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Example: a refused call draws no id
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
    /// #   "management_account": {"id": "111111111111", "name": "Bill"}, "feature_set": "ALL"}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let mut ids = IdList::new(&[]);
    /// let err = ledger.enable_all_features("111111111111".parse()?, &mut ids, now).unwrap_err();
    /// assert_eq!(err.code(), "all_features_already_enabled"); // not "no ids"
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enable_all_features(
        &mut self,
        caller: AccountId,
        ids: &mut dyn IdSource,
        now: DateTime<Utc>,
    ) -> Result<Changed, LedgerError> {
        if self.profile.enable_all_features_validity.is_none() {
            return Err(LedgerError::Unsupported {
                provider: self.profile.name,
                operation: "enable_all_features",
            });
        }
        let organization = self.managed_organization(caller)?;
        self.check_clock(now)?;
        let record = self
            .organizations
            .get(&organization)
            .ok_or(LedgerError::NotInOrganization { account: caller })?;
        if record.feature_set == Some(FeatureSet::All) {
            return Err(LedgerError::AllFeaturesAlreadyEnabled { organization });
        }
        if let Some(parent) = self
            .pending_at(organization, Action::EnableAllFeatures, now)
            .next()
        {
            return Err(LedgerError::AllFeaturesAlreadyRequested {
                organization,
                parent: parent.id(),
            });
        }
        let members = record.members.clone();
        for action in [Action::EnableAllFeatures, Action::ApproveAllFeatures] {
            Handshake::check_creatable(action, &self.profile, now)
                .map_err(LedgerError::InvalidHandshake)?;
        }

        // Every check passed: draw the ids, the parent's first.
        let needed = members.len().saturating_add(1);
        let mut new_ids: Vec<HandshakeId> = Vec::with_capacity(needed);
        for _ in 0..needed {
            let id = self.draw_id(ids, needed, &new_ids, now)?;
            new_ids.push(id);
        }
        let (parent_id, child_ids) = match new_ids.split_first() {
            Some(split) => split,
            None => {
                return Err(LedgerError::IdSource {
                    needed,
                    source: IdSourceError::Exhausted { drawn: 0 },
                })
            }
        };

        let sender = self
            .sender(organization)
            .ok_or(LedgerError::NotInOrganization { account: caller })?;
        let new = |id, action, recipient, parent| NewHandshake {
            id,
            action,
            sender: sender.clone(),
            recipient: Recipient::for_account(recipient),
            notes: None,
            parent,
            resources: Vec::new(),
        };
        let mut events: Vec<Event> = Vec::new();
        let mut created = |new: NewHandshake| -> Result<Handshake, LedgerError> {
            let t = Handshake::create(new, &self.profile, now)
                .map_err(LedgerError::InvalidHandshake)?;
            events.extend(t.events);
            Ok(t.handshake)
        };
        let mut parent = created(new(*parent_id, Action::EnableAllFeatures, caller, None))?;
        let mut related = Vec::with_capacity(members.len());
        for (id, member) in child_ids.iter().zip(&members) {
            related.push(created(new(
                *id,
                Action::ApproveAllFeatures,
                *member,
                Some(*parent_id),
            ))?);
        }
        if members.is_empty() {
            events.extend(parent.apply(&Command::Open, now)?);
        }
        for invite in self.pending_at(organization, Action::Invite, now) {
            let canceled = invite.transition(&Command::CancelAsSideEffect, now)?;
            events.extend(canceled.events);
            related.push(canceled.handshake);
        }

        let seen = parent.observed_at(now);
        let related_seen = related.clone();
        self.commit(std::iter::once(parent).chain(related), now);
        Ok(Changed {
            handshake: seen,
            related: related_seen,
            events,
        })
    }
}
