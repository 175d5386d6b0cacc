//! Huawei's own spellings: the handshake [`Status`], the [`TargetType`] of an invitation, and
//! the seven handshake [`Operation`]s, each with `as_str()`, `values()`, `Display` and a strict
//! `FromStr` (the `vocabulary!` macro).

use crate::handshake::Party;
use crate::vocab::HandshakeState;

use super::PROVIDER;
use crate::provider::WireError;

crate::vocab::vocabulary! {
    /// A Huawei handshake `status`, spelled as Huawei spells it (lower case, `cancelled`).
    ///
    /// Huawei has one pending state: [`Status::Pending`] reads as
    /// [`HandshakeState::Open`], and [`HandshakeState::Requested`] cannot be written.
    ///
    /// ```
    /// use org_handshake::provider::huawei::Status;
    /// use org_handshake::HandshakeState;
    ///
    /// assert_eq!("cancelled".parse::<Status>()?, Status::Cancelled);
    /// assert_eq!(HandshakeState::from(Status::Pending), HandshakeState::Open);
    /// assert_eq!(Status::from_state(HandshakeState::Canceled)?.as_str(), "cancelled");
    /// assert!("canceled".parse::<Status>().is_err());
    /// assert!(Status::from_state(HandshakeState::Requested).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Status, "huawei handshake status" {
        /// Waiting for the recipient (`邀请中`).
        Pending => "pending",
        /// Accepted by the recipient.
        Accepted => "accepted",
        /// Canceled by the sender (two L's).
        Cancelled => "cancelled",
        /// Declined by the recipient.
        Declined => "declined",
        /// Not answered in time.
        Expired => "expired",
    }
}

impl Status {
    /// The Huawei status of a neutral state.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for [`HandshakeState::Requested`]: Huawei has no
    /// REQUESTED/OPEN split (and no enable-all-features handshakes, the only requested ones).
    pub fn from_state(state: HandshakeState) -> Result<Self, WireError> {
        match state {
            HandshakeState::Open => Ok(Status::Pending),
            HandshakeState::Accepted => Ok(Status::Accepted),
            HandshakeState::Declined => Ok(Status::Declined),
            HandshakeState::Canceled => Ok(Status::Cancelled),
            HandshakeState::Expired => Ok(Status::Expired),
            HandshakeState::Requested => {
                Err(WireError::unsupported(PROVIDER, "the requested state"))
            }
        }
    }
}

impl From<Status> for HandshakeState {
    fn from(status: Status) -> Self {
        match status {
            Status::Pending => HandshakeState::Open,
            Status::Accepted => HandshakeState::Accepted,
            Status::Cancelled => HandshakeState::Canceled,
            Status::Declined => HandshakeState::Declined,
            Status::Expired => HandshakeState::Expired,
        }
    }
}

crate::vocab::vocabulary! {
    /// What a Huawei `target.entity` names (`TargetDto.type`).
    ///
    /// ```
    /// use org_handshake::provider::huawei::TargetType;
    /// use org_handshake::Party;
    ///
    /// assert_eq!(TargetType::of(&Party::Name("juan".parse()?))?, TargetType::Name);
    /// assert!(TargetType::of(&Party::Email("juan@example.com".parse()?)).is_err());
    /// assert!("email".parse::<TargetType>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    TargetType, "huawei target type" {
        /// The entity is an account id.
        Account => "account",
        /// The entity is an account name.
        Name => "name",
    }
}

impl TargetType {
    /// The target type that names `party`.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for an email address or an organization: Huawei invites by
    /// account id or account name only.
    pub fn of(party: &Party) -> Result<Self, WireError> {
        match party {
            Party::Account(_) => Ok(TargetType::Account),
            Party::Name(_) => Ok(TargetType::Name),
            Party::Email(_) => Err(WireError::unsupported(PROVIDER, "email recipients")),
            Party::Organization(_) => {
                Err(WireError::unsupported(PROVIDER, "organization recipients"))
            }
        }
    }
}

crate::vocab::vocabulary! {
    /// Huawei's handshake and membership operations, named as the SDK's client methods name them
    /// (`OrganizationsClient` in `huaweicloudsdkorganizations.v1`).
    ///
    /// ```
    /// use org_handshake::provider::huawei::Operation;
    ///
    /// let op: Operation = "accept_handshake".parse()?;
    /// assert_eq!(op.method(), "POST");
    /// assert_eq!(op.path(), "/v1/received-handshakes/{handshake_id}/accept");
    /// assert_eq!(Operation::values().len(), 14);
    /// assert_eq!(Operation::RemoveAccount.path(), "/v1/organizations/accounts/{account_id}/remove");
    /// assert_eq!(Operation::DeleteOrganization.method(), "DELETE");
    /// assert!("AcceptHandshake".parse::<Operation>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Operation, "huawei operation" {
        /// Invites an account (management account only); answers [`InviteAccountResponse`](super::InviteAccountResponse).
        InviteAccount => "invite_account",
        /// The invited account accepts; answers [`AcceptHandshakeResponse`](super::AcceptHandshakeResponse).
        AcceptHandshake => "accept_handshake",
        /// The invited account declines; answers [`DeclineHandshakeResponse`](super::DeclineHandshakeResponse).
        DeclineHandshake => "decline_handshake",
        /// The sender cancels; answers [`CancelHandshakeResponse`](super::CancelHandshakeResponse).
        CancelHandshake => "cancel_handshake",
        /// Shows one handshake; answers [`ShowHandshakeResponse`](super::ShowHandshakeResponse).
        ShowHandshake => "show_handshake",
        /// Lists the handshakes the organization sent; answers [`ListHandshakesResponse`](super::ListHandshakesResponse).
        ListHandshakes => "list_handshakes",
        /// Lists the handshakes the caller received; answers [`ListReceivedHandshakesResponse`](super::ListReceivedHandshakesResponse).
        ListReceivedHandshakes => "list_received_handshakes",
        /// Creates an organization managed by the caller; answers `{"organization": …}`.
        CreateOrganization => "create_organization",
        /// Shows the caller's organization; answers `{"organization": …}`.
        ShowOrganization => "show_organization",
        /// Deletes the caller's (empty) organization; answers `{}`.
        DeleteOrganization => "delete_organization",
        /// Lists the accounts of the caller's organization; answers `{"accounts": […], "page_info": …}`.
        ListAccounts => "list_accounts",
        /// Shows one account of the caller's organization; answers `{"account": …}`.
        ShowAccount => "show_account",
        /// A member leaves its organization; answers `{}`.
        LeaveOrganization => "leave_organization",
        /// The management account removes a member; answers `{}`.
        RemoveAccount => "remove_account",
    }
}

impl Operation {
    /// The HTTP method.
    pub const fn method(self) -> &'static str {
        match self {
            Operation::ShowHandshake
            | Operation::ListHandshakes
            | Operation::ListReceivedHandshakes
            | Operation::ShowOrganization
            | Operation::ListAccounts
            | Operation::ShowAccount => "GET",
            Operation::DeleteOrganization => "DELETE",
            _ => "POST",
        }
    }

    /// The URI template, with `{handshake_id}` (or `{account_id}`) where the path names the
    /// handshake (or the account).
    pub const fn path(self) -> &'static str {
        match self {
            Operation::InviteAccount => "/v1/organizations/accounts/invite",
            Operation::AcceptHandshake => "/v1/received-handshakes/{handshake_id}/accept",
            Operation::DeclineHandshake => "/v1/received-handshakes/{handshake_id}/decline",
            Operation::CancelHandshake => "/v1/organizations/handshakes/{handshake_id}/cancel",
            Operation::ShowHandshake => "/v1/organizations/handshakes/{handshake_id}",
            Operation::ListHandshakes => "/v1/organizations/handshakes",
            Operation::ListReceivedHandshakes => "/v1/received-handshakes",
            Operation::CreateOrganization
            | Operation::ShowOrganization
            | Operation::DeleteOrganization => "/v1/organizations",
            Operation::ListAccounts => "/v1/organizations/accounts",
            Operation::ShowAccount => "/v1/organizations/accounts/{account_id}",
            Operation::LeaveOrganization => "/v1/organizations/leave",
            Operation::RemoveAccount => "/v1/organizations/accounts/{account_id}/remove",
        }
    }

    /// Whether the operation answers a list
    /// ([`ListHandshakesResponse`](super::ListHandshakesResponse)) rather than one handshake
    /// ([`HandshakeResponse`](super::HandshakeResponse)).
    pub const fn is_list(self) -> bool {
        matches!(
            self,
            Operation::ListHandshakes | Operation::ListReceivedHandshakes
        )
    }
}
