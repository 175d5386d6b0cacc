//! The [`Handshake`] and what it is made of: its parties ([`SenderOrganization`],
//! [`Recipient`], [`Party`]) and its [`Resource`] tree.
//!
//! A `Handshake` can only be built through [`Handshake::create`] (a new request) or
//! [`Handshake::from_parts`] (an existing one, e.g. parsed from JSON), and both refuse
//! impossible handshakes, so every value of the type is one that can exist.
//!
//! # Example: create an invitation
//!
//! ```
//! use org_handshake::*;
//!
//! let now = "2026-01-05T10:00:00Z".parse()?;
//! let sender = SenderOrganization {
//!     id: "o-exampleorgid".parse()?,
//!     management_account: "111111111111".parse()?,
//!     management_account_name: "Org Master Account".parse()?,
//!     management_account_email: Some("bill@example.com".parse()?),
//!     feature_set: Some(FeatureSet::All),
//! };
//! let created = Handshake::create(
//!     NewHandshake::invite("h-0123456789abcdef".parse()?, sender, Recipient::for_account("222222222222".parse()?)),
//!     &Profile::AWS,
//!     now,
//! )?;
//! let handshake = created.handshake;
//! assert_eq!(handshake.state(), HandshakeState::Open);
//! assert_eq!(handshake.expires_at(), now + chrono::TimeDelta::days(15));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

mod parts;
pub mod transition;

use crate::error::InvalidHandshake;
use crate::event::{Event, Events};
use crate::id::{AccountId, HandshakeId, Notes};
use crate::policy::{Profile, RETENTION};
use crate::vocab::{Action, HandshakeState, PartyRole};

pub use parts::{NewHandshake, Party, Recipient, Resource, SenderOrganization};
pub use transition::{Caller, Command, Membership};

/// Every field of a [`Handshake`], public and unchecked: the form in which a handshake is
/// serialized, and from which [`Handshake::from_parts`] builds one after checking it.
///
/// `state_entered_at` may be left out for a pending handshake that never changed (it is then
/// `requested_at`); a terminal one must have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)] // each field is documented on the matching `Handshake` getter
pub struct HandshakeParts {
    pub id: HandshakeId,
    pub action: Action,
    pub state: HandshakeState,
    pub sender: SenderOrganization,
    pub recipient: Recipient,
    #[serde(default)]
    pub notes: Option<Notes>,
    #[serde(default)]
    pub parent: Option<HandshakeId>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    pub requested_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    #[serde(default)]
    pub state_entered_at: Option<DateTime<Utc>>,
}

/// A successful transition: the new handshake and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The handshake after the transition.
    pub handshake: Handshake,
    /// The events it caused.
    pub events: Events,
}

/// One handshake: a request from an organization to a recipient, and where it stands.
///
/// The stored state is the last one written down; [`state_at`](Self::state_at) gives the state
/// at a given time, which is `Expired` for a pending handshake from `expires_at` on whether or not
/// anyone wrote that down.
///
/// Serialized in the neutral JSON form of [`HandshakeParts`]; deserializing checks it the way
/// [`from_parts`](Self::from_parts) does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "HandshakeParts", into = "HandshakeParts")]
pub struct Handshake {
    id: HandshakeId,
    action: Action,
    state: HandshakeState,
    /// Shared: every handshake an organization sends while its details stay the same carries
    /// the same sender (the ledger makes them share one), which would otherwise be most of a
    /// handshake's size (about 150 bytes inline and two strings on the heap).
    sender: Arc<SenderOrganization>,
    recipient: Recipient,
    /// The notes, parent and resources, which most handshakes lack: boxed, and `None` when
    /// all three are absent (so that equal handshakes are equal values), they cost a pointer
    /// rather than 84 bytes in each handshake.
    extras: Option<Box<Extras>>,
    requested_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    state_entered_at: DateTime<Utc>,
}

/// The rarely present parts of a [`Handshake`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Extras {
    notes: Option<Notes>,
    parent: Option<HandshakeId>,
    resources: Vec<Resource>,
}

impl Extras {
    /// The box to keep, `None` when there is nothing in it.
    fn boxed(
        notes: Option<Notes>,
        parent: Option<HandshakeId>,
        resources: Vec<Resource>,
    ) -> Option<Box<Extras>> {
        if notes.is_none() && parent.is_none() && resources.is_empty() {
            return None;
        }
        Some(Box::new(Extras {
            notes,
            parent,
            resources,
        }))
    }
}

impl TryFrom<HandshakeParts> for Handshake {
    type Error = InvalidHandshake;
    fn try_from(parts: HandshakeParts) -> Result<Self, InvalidHandshake> {
        Handshake::from_parts(parts)
    }
}

impl From<Handshake> for HandshakeParts {
    fn from(h: Handshake) -> Self {
        h.into_parts()
    }
}

impl Handshake {
    /// Creates a new handshake requested at `now`, valid for the profile's period for its
    /// action. An enable-all-features parent starts `Requested`; everything else starts `Open`.
    ///
    /// Returns the handshake with a [`Event::HandshakeRequested`] event.
    ///
    /// # Errors
    ///
    /// [`InvalidHandshake::UnsupportedAction`] when the profile has no such handshakes (Huawei
    /// and Alibaba only invite), [`InvalidHandshake::Id`] when the id breaks the profile's
    /// pattern, [`InvalidHandshake::TimeOutOfRange`] when `now` is so late that the expiry or
    /// the purge after it cannot be represented, and the other [`InvalidHandshake`] variants
    /// for a request that cannot exist (a missing or extra parent).
    ///
    /// # Example: the validity period comes from the profile
    ///
    /// ```
    /// use org_handshake::*;
    /// # let sender = SenderOrganization { id: "o-exampleorgid".parse()?, management_account: "111111111111".parse()?, management_account_name: "m".parse()?, management_account_email: None, feature_set: None };
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let new = NewHandshake::invite("h-0123456789abcdef".parse()?, sender, Recipient::for_account("222222222222".parse()?));
    /// let huawei = Handshake::create(new.clone(), &Profile::HUAWEI, now)?.handshake;
    /// assert_eq!(huawei.expires_at(), now + chrono::TimeDelta::days(14));
    ///
    /// // Huawei ids are lower case: an upper-case id is refused under its profile.
    /// let upper = NewHandshake { id: "h-0123456789ABCDEF".parse()?, ..new };
    /// assert!(Handshake::create(upper, &Profile::HUAWEI, now).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(
        new: NewHandshake,
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> Result<Transition, InvalidHandshake> {
        let validity = profile.validity(new.action)?;
        profile.check_handshake_id(&new.id)?;
        let expires_at = expiry_after(now, validity)?;
        let state = if new.action == Action::EnableAllFeatures {
            HandshakeState::Requested
        } else {
            HandshakeState::Open
        };
        let handshake = Handshake::from_parts(HandshakeParts {
            id: new.id,
            action: new.action,
            state,
            sender: new.sender,
            recipient: new.recipient,
            notes: new.notes,
            parent: new.parent,
            resources: new.resources,
            requested_at: now,
            expires_at,
            state_entered_at: Some(now),
        })?;
        let event = Event::HandshakeRequested {
            handshake: handshake.id,
            action: handshake.action,
            at: now,
        };
        Ok(Transition {
            handshake,
            events: Events::one(event),
        })
    }

    /// Whether a handshake with `action` requested at `now` under `profile` could be created,
    /// whatever its id and parties: the checks of [`create`](Self::create) that depend only
    /// on the action, the profile and the time. The ledger runs them before it draws an id, so
    /// that a call refused for its time draws none.
    pub(crate) fn check_creatable(
        action: Action,
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> Result<(), InvalidHandshake> {
        expiry_after(now, profile.validity(action)?).map(|_| ())
    }

    /// Builds a handshake from its parts, checking that it can exist.
    ///
    /// # Errors
    ///
    /// An [`InvalidHandshake`] naming the problem: expiry not after the request; a terminal
    /// state without its entry time; a state entered before the request, or at a time its state
    /// rules out (`Expired` is entered exactly at `expires_at`, every other state before it); a
    /// `Requested` handshake that is not an enable-all-features parent; a parent on anything but
    /// an approve-all-features child, or a child without one; an expiry so late that the purge
    /// time after it is beyond the latest representable time; a resource tree deeper than
    /// [`Resource::MAX_DEPTH`].
    ///
    /// # Example: expiry before request is refused
    ///
    /// ```
    /// use org_handshake::*;
    /// # let sender = SenderOrganization { id: "o-exampleorgid".parse()?, management_account: "111111111111".parse()?, management_account_name: "m".parse()?, management_account_email: None, feature_set: None };
    /// let parts = HandshakeParts {
    ///     id: "h-0123456789".parse()?,
    ///     action: Action::Invite,
    ///     state: HandshakeState::Accepted,
    ///     sender,
    ///     recipient: Recipient::for_account("222222222222".parse()?),
    ///     notes: None,
    ///     parent: None,
    ///     resources: vec![],
    ///     requested_at: "2026-01-05T10:00:00Z".parse()?,
    ///     expires_at: "2026-01-20T10:00:00Z".parse()?,
    ///     state_entered_at: None,
    /// };
    /// let err = Handshake::from_parts(parts).unwrap_err();
    /// assert_eq!(err.code(), "terminal_without_change_time");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_parts(parts: HandshakeParts) -> Result<Self, InvalidHandshake> {
        let HandshakeParts {
            id,
            action,
            state,
            sender,
            recipient,
            notes,
            parent,
            resources,
            requested_at,
            expires_at,
            state_entered_at,
        } = parts;
        if expires_at <= requested_at {
            return Err(InvalidHandshake::ExpiryNotAfterRequest {
                requested_at,
                expires_at,
            });
        }
        let entered_at = match state_entered_at {
            Some(at) => at,
            None if state.is_pending() => requested_at,
            None => return Err(InvalidHandshake::TerminalWithoutChangeTime { state }),
        };
        if entered_at < requested_at {
            return Err(InvalidHandshake::EnteredBeforeRequest {
                requested_at,
                entered_at,
            });
        }
        let fits = if state == HandshakeState::Expired {
            entered_at == expires_at
        } else {
            entered_at < expires_at
        };
        if !fits {
            return Err(InvalidHandshake::EnteredAtImpossibleTime {
                state,
                entered_at,
                expires_at,
            });
        }
        if state == HandshakeState::Requested && action != Action::EnableAllFeatures {
            return Err(InvalidHandshake::RequestedWithoutChildren { action });
        }
        match (action, parent) {
            (Action::ApproveAllFeatures, None) => {
                return Err(InvalidHandshake::ParentMismatch {
                    action,
                    which: "must name its parent handshake",
                })
            }
            (Action::ApproveAllFeatures, Some(p)) if p == id => {
                return Err(InvalidHandshake::ParentMismatch {
                    action,
                    which: "cannot be its own parent",
                })
            }
            (Action::ApproveAllFeatures, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(InvalidHandshake::ParentMismatch {
                    action,
                    which: "cannot have a parent handshake",
                })
            }
        }
        // Every later deadline (the purge, 30 days after the state's end) must be a time, so
        // that no query or transition has to compute one that does not exist.
        if expires_at.checked_add_signed(RETENTION).is_none() {
            return Err(InvalidHandshake::TimeOutOfRange {
                what: "the purge time (30 days after the expiry)",
            });
        }
        if let Some(depth) = resources
            .iter()
            .map(Resource::depth)
            .find(|depth| *depth > Resource::MAX_DEPTH)
        {
            return Err(InvalidHandshake::ResourceTreeTooDeep {
                depth,
                max: Resource::MAX_DEPTH,
            });
        }
        Ok(Handshake {
            id,
            action,
            state,
            sender: Arc::new(sender),
            recipient,
            extras: Extras::boxed(notes, parent, resources),
            requested_at,
            expires_at,
            state_entered_at: entered_at,
        })
    }

    /// Every field, unchecked; [`from_parts`](Self::from_parts) accepts them back.
    pub fn into_parts(self) -> HandshakeParts {
        let extras = self.extras.map(|boxed| *boxed).unwrap_or_default();
        HandshakeParts {
            id: self.id,
            action: self.action,
            state: self.state,
            sender: Arc::try_unwrap(self.sender).unwrap_or_else(|shared| (*shared).clone()),
            recipient: self.recipient,
            notes: extras.notes,
            parent: extras.parent,
            resources: extras.resources,
            requested_at: self.requested_at,
            expires_at: self.expires_at,
            state_entered_at: Some(self.state_entered_at),
        }
    }

    /// The handshake's id.
    pub fn id(&self) -> HandshakeId {
        self.id
    }

    /// What the handshake asks for.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The state as last written down; see [`state_at`](Self::state_at) for the state at a time.
    pub fn state(&self) -> HandshakeState {
        self.state
    }

    /// The sending organization.
    pub fn sender(&self) -> &SenderOrganization {
        &self.sender
    }

    /// The shared sender, for the ledger to give the next handshake of the same sender.
    pub(crate) fn shared_sender(&self) -> &Arc<SenderOrganization> {
        &self.sender
    }

    /// Makes the handshake share `sender` when it is the same as its own (then nothing a
    /// caller can observe changes); returns whether it does.
    pub(crate) fn share_sender(&mut self, sender: &Arc<SenderOrganization>) -> bool {
        if Arc::ptr_eq(&self.sender, sender) {
            return true;
        }
        if *self.sender == **sender {
            self.sender = Arc::clone(sender);
            return true;
        }
        false
    }

    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    /// The two parties, sender first.
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let [(sender_role, sender), (recipient_role, _)] = h.parties();
    /// assert_eq!((sender_role, recipient_role), (PartyRole::Sender, PartyRole::Recipient));
    /// assert_eq!(sender, Party::Organization(h.sender().id));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parties(&self) -> [(PartyRole, Party); 2] {
        [
            (PartyRole::Sender, Party::Organization(self.sender.id)),
            (PartyRole::Recipient, self.recipient.target().clone()),
        ]
    }

    /// The side `account` is on, if it is a party: the sender's management account acts for
    /// the sender, the resolved recipient account for the recipient.
    ///
    /// An enable-all-features parent is sent by the management account to itself; there the
    /// account is the recipient for accept and decline and the sender for cancel, and this
    /// returns [`PartyRole::Recipient`].
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// assert_eq!(h.role_of(&"111111111111".parse()?), Some(PartyRole::Sender));
    /// assert_eq!(h.role_of(&"222222222222".parse()?), Some(PartyRole::Recipient));
    /// assert_eq!(h.role_of(&"999999999999".parse()?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn role_of(&self, account: &AccountId) -> Option<PartyRole> {
        if self.recipient.account() == Some(account) {
            Some(PartyRole::Recipient)
        } else if self.sender.management_account == *account {
            Some(PartyRole::Sender)
        } else {
            None
        }
    }

    /// Whether `account` is either party.
    pub fn is_party(&self, account: &AccountId) -> bool {
        self.recipient.account() == Some(account) || self.sender.management_account == *account
    }

    /// The invitation's notes.
    pub fn notes(&self) -> Option<&Notes> {
        self.extras.as_ref().and_then(|e| e.notes.as_ref())
    }

    /// The parent of an approve-all-features child.
    pub fn parent(&self) -> Option<HandshakeId> {
        self.extras.as_ref().and_then(|e| e.parent)
    }

    /// Resources beyond those the other fields already say (the organization, the recipient,
    /// the notes, the parent): e.g. a responsibility transfer's details. AWS shows the full
    /// tree (`crate::provider::aws::resource_tree`).
    pub fn resources(&self) -> &[Resource] {
        self.extras.as_ref().map_or(&[], |e| &e.resources)
    }

    /// When the handshake was requested.
    pub fn requested_at(&self) -> DateTime<Utc> {
        self.requested_at
    }

    /// When a pending handshake expires (it is `Expired` from this instant on, inclusive).
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// When the handshake entered its stored state (its request time while it never changed).
    pub fn state_entered_at(&self) -> DateTime<Utc> {
        self.state_entered_at
    }

    /// Whether the stored state is pending but `now` is at or past the expiry.
    fn lapsed_at(&self, now: DateTime<Utc>) -> bool {
        self.state.is_pending() && now >= self.expires_at
    }

    /// The state at `now`: the stored state, except that a pending handshake is `Expired` from
    /// `expires_at` on.
    ///
    /// # Example: expiry is inclusive
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let second = chrono::TimeDelta::seconds(1);
    /// assert_eq!(h.state_at(h.expires_at() - second), HandshakeState::Open);
    /// assert_eq!(h.state_at(h.expires_at()), HandshakeState::Expired);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn state_at(&self, now: DateTime<Utc>) -> HandshakeState {
        if self.lapsed_at(now) {
            HandshakeState::Expired
        } else {
            self.state
        }
    }

    /// The time of the last change seen at `now`: `expires_at` for a pending handshake that has
    /// lapsed by then, the stored state's entry time otherwise.
    pub fn last_change_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        if self.lapsed_at(now) {
            self.expires_at
        } else {
            self.state_entered_at
        }
    }

    /// The handshake as seen at `now`: a pending handshake past its expiry comes back `Expired`,
    /// entered at `expires_at`; anything else comes back as it is. Use it to show a handshake.
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let seen = h.observed_at(h.expires_at());
    /// assert_eq!(seen.state(), HandshakeState::Expired);
    /// assert_eq!(seen.state_entered_at(), h.expires_at());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn observed_at(&self, now: DateTime<Utc>) -> Handshake {
        let mut seen = self.clone();
        if self.lapsed_at(now) {
            seen.state = HandshakeState::Expired;
            seen.state_entered_at = self.expires_at;
        }
        seen
    }

    /// From when this handshake, as it stands, is purged: [`RETENTION`] (30 days) after it
    /// entered a terminal state. A pending handshake left alone expires at `expires_at`, so its
    /// purge time is 30 days after that; acting on it before then gives a new value with a new
    /// purge time.
    ///
    /// # Example: purged 30 days after acceptance
    ///
    /// ```
    /// # use org_handshake::*;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let at = h.requested_at() + chrono::TimeDelta::days(1);
    /// let accepted = h.accept(&Caller::standalone("222222222222".parse()?), at)?.handshake;
    /// assert_eq!(accepted.purge_at(), at + chrono::TimeDelta::days(30));
    /// assert!(accepted.is_visible_at(accepted.purge_at() - chrono::TimeDelta::seconds(1)));
    /// assert!(!accepted.is_visible_at(accepted.purge_at()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn purge_at(&self) -> DateTime<Utc> {
        let terminal_since = self.terminal_since();
        // `from_parts` refuses a handshake whose purge time after its expiry is not a time,
        // and every state is entered by its expiry: the sum is always a time. Saturating keeps
        // it so without a panic path.
        terminal_since
            .checked_add_signed(RETENTION)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// When the handshake, as it stands, is or becomes terminal: its expiry while pending, the
    /// stored state's entry time otherwise. The purge comes [`RETENTION`] later.
    fn terminal_since(&self) -> DateTime<Utc> {
        if self.state.is_pending() {
            self.expires_at
        } else {
            self.state_entered_at
        }
    }

    /// Whether the handshake still exists at `now` (listed, found by id).
    #[inline]
    pub fn is_visible_at(&self, now: DateTime<Utc>) -> bool {
        // The purge time is never before `terminal_since`: anything earlier is visible without
        // computing it (a calendar addition, most of the cost of this check on every
        // transition, listed item and id lookup).
        now < self.terminal_since() || now < self.purge_at()
    }

    /// Whether the handshake is gone at `now`: terminal at `now` and at or past
    /// [`purge_at`](Self::purge_at).
    pub fn is_purgeable_at(&self, now: DateTime<Utc>) -> bool {
        self.state_at(now).is_terminal() && now >= self.purge_at()
    }

    /// The next instant at which this handshake changes by itself: its expiry while pending,
    /// its purge once terminal (in the spirit of a `poll_timeout`).
    ///
    /// ```
    /// let h = org_handshake::example::aws_invitation()?;
    /// assert_eq!(h.next_deadline(), h.expires_at());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_deadline(&self) -> DateTime<Utc> {
        if self.state.is_pending() {
            self.expires_at
        } else {
            self.purge_at()
        }
    }

    /// How long the handshake was valid for when requested.
    pub fn validity(&self) -> TimeDelta {
        self.expires_at - self.requested_at
    }
}

/// The expiry of a handshake requested at `now` and valid for `validity`, when a handshake can
/// have it: a time, after `now`, whose purge time ([`RETENTION`] later) is a time too.
fn expiry_after(
    now: DateTime<Utc>,
    validity: TimeDelta,
) -> Result<DateTime<Utc>, InvalidHandshake> {
    let expires_at = now
        .checked_add_signed(validity)
        .ok_or(InvalidHandshake::TimeOutOfRange { what: "the expiry" })?;
    if expires_at <= now {
        return Err(InvalidHandshake::ExpiryNotAfterRequest {
            requested_at: now,
            expires_at,
        });
    }
    if expires_at.checked_add_signed(RETENTION).is_none() {
        return Err(InvalidHandshake::TimeOutOfRange {
            what: "the purge time (30 days after the expiry)",
        });
    }
    Ok(expires_at)
}

pub mod example;
#[cfg(test)]
mod tests;
