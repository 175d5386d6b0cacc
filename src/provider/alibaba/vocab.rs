//! Alibaba's vocabularies: a handshake's [`Status`], what [`TargetType`] `TargetEntity` holds,
//! and the seven handshake [`Operation`]s, each strict and spelled as Alibaba spells it.

use crate::handshake::Party;
use crate::provider::WireError;
use crate::vocab::HandshakeState;

use super::PROVIDER;
#[cfg(doc)]
use super::{HandshakeResponse, ListHandshakesResponse};

crate::vocab::vocabulary! {
    /// A handshake's `Status`, spelled as Alibaba spells it (PascalCase, `Cancelled` with two
    /// L's).
    ///
    /// Alibaba has one pending state: `Pending` parses as [`HandshakeState::Open`], and
    /// [`HandshakeState::Requested`] (an enable-all-features parent, which Alibaba does not
    /// have) cannot be rendered.
    ///
    /// ```
    /// use org_handshake::HandshakeState;
    /// use org_handshake::provider::alibaba::Status;
    ///
    /// assert_eq!("Cancelled".parse::<Status>()?, Status::Cancelled);
    /// assert_eq!(Status::Pending.to_state(), HandshakeState::Open);
    /// assert_eq!(Status::from_state(HandshakeState::Canceled)?.as_str(), "Cancelled");
    /// assert!("Canceled".parse::<Status>().is_err());
    /// assert!(Status::from_state(HandshakeState::Requested).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Status, "alibaba handshake status" {
        /// Waiting for the invited account.
        Pending => "Pending",
        /// Accepted: the account joined the resource directory.
        Accepted => "Accepted",
        /// Cancelled by the management account.
        Cancelled => "Cancelled",
        /// Declined by the invited account.
        Declined => "Declined",
        /// Not answered within its validity period.
        Expired => "Expired",
    }
}

impl Status {
    /// The neutral state: `Pending` is [`HandshakeState::Open`].
    pub const fn to_state(self) -> HandshakeState {
        match self {
            Status::Pending => HandshakeState::Open,
            Status::Accepted => HandshakeState::Accepted,
            Status::Cancelled => HandshakeState::Canceled,
            Status::Declined => HandshakeState::Declined,
            Status::Expired => HandshakeState::Expired,
        }
    }

    /// The Alibaba status of a neutral state.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for [`HandshakeState::Requested`]: Alibaba has no
    /// enable-all-features parent, and no requested/open split.
    pub fn from_state(state: HandshakeState) -> Result<Self, WireError> {
        match state {
            HandshakeState::Open => Ok(Status::Pending),
            HandshakeState::Accepted => Ok(Status::Accepted),
            HandshakeState::Canceled => Ok(Status::Cancelled),
            HandshakeState::Declined => Ok(Status::Declined),
            HandshakeState::Expired => Ok(Status::Expired),
            HandshakeState::Requested => Err(WireError::Unsupported {
                provider: PROVIDER,
                what: "the requested state (only enable-all-features parents are requested)"
                    .to_owned(),
            }),
        }
    }
}

crate::vocab::vocabulary! {
    /// What `TargetEntity` holds: an account id or a logon email.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::TargetType;
    /// assert_eq!(TargetType::values(), &[TargetType::Account, TargetType::Email]);
    /// assert!("account".parse::<TargetType>().is_err()); // Huawei's spelling, not Alibaba's
    /// ```
    TargetType, "alibaba target type" {
        /// `TargetEntity` is an account id (16 digits).
        Account => "Account",
        /// `TargetEntity` is the account's logon email address.
        Email => "Email",
    }
}

impl TargetType {
    /// The target type for a neutral recipient party.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for [`Party::Name`] (Alibaba cannot invite by name) and
    /// [`Party::Organization`] (never a recipient).
    pub fn of_party(party: &Party) -> Result<Self, WireError> {
        match party {
            Party::Account(_) => Ok(TargetType::Account),
            Party::Email(_) => Ok(TargetType::Email),
            Party::Name(_) => Err(WireError::Unsupported {
                provider: PROVIDER,
                what: "a recipient named by account name".to_owned(),
            }),
            Party::Organization(_) => Err(WireError::Unsupported {
                provider: PROVIDER,
                what: "an organization as a recipient".to_owned(),
            }),
        }
    }
}

crate::vocab::vocabulary! {
    /// Alibaba's handshake and membership operations, named exactly as the `Action` parameter names them.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::Operation;
    /// assert_eq!("GetHandshake".parse::<Operation>()?, Operation::GetHandshake);
    /// assert_eq!(Operation::values().len(), 13);
    /// assert!("DescribeHandshake".parse::<Operation>().is_err()); // AWS's name
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Operation, "alibaba operation" {
        /// The management account invites an account.
        InviteAccountToResourceDirectory => "InviteAccountToResourceDirectory",
        /// The invited account accepts.
        AcceptHandshake => "AcceptHandshake",
        /// The invited account declines.
        DeclineHandshake => "DeclineHandshake",
        /// The management account cancels.
        CancelHandshake => "CancelHandshake",
        /// Either party reads one handshake.
        GetHandshake => "GetHandshake",
        /// The handshakes the calling account received.
        ListHandshakesForAccount => "ListHandshakesForAccount",
        /// The handshakes the calling account's resource directory sent.
        ListHandshakesForResourceDirectory => "ListHandshakesForResourceDirectory",
        /// Enables a resource directory managed by the caller (`EnableMode=CurrentAccount`).
        EnableResourceDirectory => "EnableResourceDirectory",
        /// Shows the caller's resource directory.
        GetResourceDirectory => "GetResourceDirectory",
        /// Disables (deletes) the caller's empty resource directory.
        DestroyResourceDirectory => "DestroyResourceDirectory",
        /// Lists the members of the caller's resource directory.
        ListAccounts => "ListAccounts",
        /// Shows one member of the caller's resource directory.
        GetAccount => "GetAccount",
        /// The management account removes a member of the cloud account type.
        RemoveCloudAccount => "RemoveCloudAccount",
    }
}

impl Operation {
    /// Whether the operation answers a page of handshakes ([`ListHandshakesResponse`]) rather
    /// than one ([`HandshakeResponse`]).
    ///
    /// ```
    /// use org_handshake::provider::alibaba::Operation;
    /// assert!(Operation::ListHandshakesForAccount.is_listing());
    /// assert!(!Operation::CancelHandshake.is_listing());
    /// ```
    pub const fn is_listing(self) -> bool {
        matches!(
            self,
            Operation::ListHandshakesForAccount | Operation::ListHandshakesForResourceDirectory
        )
    }
}
