//! What happened: the [`Event`]s a successful operation returns, and [`Events`], the at most two
//! events of one transition, held inline.
//!
//! Events carry only `Copy` data (ids, actions, times), so returning them never allocates.
//!
//! ```
//! use org_handshake::{Event, JoinMethod};
//! let event = Event::AccountJoinedOrganization {
//!     account: "222222222222".parse()?,
//!     organization: "o-exampleorgid".parse()?,
//!     method: JoinMethod::Invited,
//!     at: "2026-01-05T10:00:00Z".parse()?,
//! };
//! assert_eq!(serde_json::to_value(event)?["event"], "account_joined_organization");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{AccountId, HandshakeId, OrganizationId};
use crate::vocab::Action;

/// How an account joined an organization (as AWS CloudTrail's `AccountJoinedOrganization`
/// event says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum JoinMethod {
    /// By accepting an invitation.
    Invited,
    /// By creating the organization: its management account.
    Created,
}

/// Something that happened, returned by a successful transition.
///
/// ```
/// use org_handshake::Event;
/// let h = org_handshake::example::aws_invitation()?;
/// let event = Event::HandshakeExpired { handshake: h.id(), action: h.action(), at: h.expires_at() };
/// assert_eq!(event.at(), h.expires_at());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A handshake was created.
    HandshakeRequested {
        /// The handshake.
        handshake: HandshakeId,
        /// Its action.
        action: Action,
        /// When.
        at: DateTime<Utc>,
    },
    /// An enable-all-features parent became open: every member approved.
    HandshakeOpened {
        /// The handshake.
        handshake: HandshakeId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The recipient accepted.
    HandshakeAccepted {
        /// The handshake.
        handshake: HandshakeId,
        /// Its action.
        action: Action,
        /// The recipient account.
        by: AccountId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The recipient declined.
    HandshakeDeclined {
        /// The handshake.
        handshake: HandshakeId,
        /// Its action.
        action: Action,
        /// The recipient account.
        by: AccountId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The handshake was canceled.
    HandshakeCanceled {
        /// The handshake.
        handshake: HandshakeId,
        /// Its action.
        action: Action,
        /// The sender's management account, or `None` when canceled as a side effect.
        by: Option<AccountId>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The handshake expired (at its `expires_at`, whenever that is written down).
    HandshakeExpired {
        /// The handshake.
        handshake: HandshakeId,
        /// Its action.
        action: Action,
        /// When it expired.
        at: DateTime<Utc>,
    },
    /// An account joined an organization (an accepted INVITE).
    AccountJoinedOrganization {
        /// The account.
        account: AccountId,
        /// The organization.
        organization: OrganizationId,
        /// How.
        method: JoinMethod,
        /// When.
        at: DateTime<Utc>,
    },
    /// An account was added to the world ([`Ledger::add_account`](crate::Ledger::add_account)).
    AccountAdded {
        /// The account.
        account: AccountId,
        /// When.
        at: DateTime<Utc>,
    },
    /// An organization was created, with its management account
    /// ([`Ledger::add_organization`](crate::Ledger::add_organization),
    /// [`Ledger::create_organization`](crate::Ledger::create_organization)).
    OrganizationAdded {
        /// The organization.
        organization: OrganizationId,
        /// Its management account.
        management_account: AccountId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A member account left its organization and stands alone again
    /// ([`Ledger::remove_member`](crate::Ledger::remove_member),
    /// [`Ledger::leave_organization`](crate::Ledger::leave_organization)).
    AccountLeftOrganization {
        /// The account.
        account: AccountId,
        /// The organization it left.
        organization: OrganizationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The management account removed a member account, which stands alone again
    /// ([`Ledger::remove_account`](crate::Ledger::remove_account)).
    AccountRemovedFromOrganization {
        /// The account.
        account: AccountId,
        /// The organization it was removed from.
        organization: OrganizationId,
        /// The management account that removed it.
        by: AccountId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The management account deleted its organization, which had no other member; its
    /// management account stands alone again
    /// ([`Ledger::delete_organization`](crate::Ledger::delete_organization)).
    OrganizationDeleted {
        /// The organization.
        organization: OrganizationId,
        /// Its management account.
        management_account: AccountId,
        /// When.
        at: DateTime<Utc>,
    },
}

impl Event {
    /// When the event happened.
    pub const fn at(&self) -> DateTime<Utc> {
        match self {
            Event::HandshakeRequested { at, .. }
            | Event::HandshakeOpened { at, .. }
            | Event::HandshakeAccepted { at, .. }
            | Event::HandshakeDeclined { at, .. }
            | Event::HandshakeCanceled { at, .. }
            | Event::HandshakeExpired { at, .. }
            | Event::AccountJoinedOrganization { at, .. }
            | Event::AccountAdded { at, .. }
            | Event::OrganizationAdded { at, .. }
            | Event::AccountLeftOrganization { at, .. }
            | Event::AccountRemovedFromOrganization { at, .. }
            | Event::OrganizationDeleted { at, .. } => *at,
        }
    }
}

/// The events of one transition: at most two, held inline so a transition never allocates.
///
/// ```
/// # use org_handshake::*;
/// let h = org_handshake::example::aws_invitation()?;
/// let events = h.accept(&Caller::standalone("222222222222".parse()?), h.requested_at())?.events;
/// assert_eq!(events.len(), 2);
/// let names: Vec<_> = events.iter().map(|e| serde_json::to_value(e).map(|v| v["event"].clone())).collect::<Result<_, _>>()?;
/// assert_eq!(names, ["handshake_accepted", "account_joined_organization"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Events {
    items: [Option<Event>; 2],
}

impl Events {
    pub(crate) const fn one(event: Event) -> Self {
        Events {
            items: [Some(event), None],
        }
    }

    pub(crate) const fn two(first: Event, second: Event) -> Self {
        Events {
            items: [Some(first), Some(second)],
        }
    }

    /// How many events there are.
    pub fn len(&self) -> usize {
        self.items.iter().flatten().count()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The events, in the order they happened.
    pub fn iter(&self) -> impl Iterator<Item = &Event> {
        self.items.iter().flatten()
    }
}

impl IntoIterator for Events {
    type Item = Event;
    type IntoIter = std::iter::Flatten<std::array::IntoIter<Option<Event>, 2>>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter().flatten()
    }
}

impl Serialize for Events {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}
