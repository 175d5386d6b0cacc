//! [`LedgerError`]: why the ledger refused a call, and [`Parameter`]: which part of a request was
//! at fault when the request itself was malformed.

use chrono::{DateTime, Utc};

use crate::error::{
    ErrorKind, Failure, InputError, InputProblem, InvalidHandshake, TransitionError,
};
use crate::id::{AccountId, AccountName, Email, HandshakeId, OrganizationId};
use crate::id_source::IdSourceError;

/// A part of a ledger request, named neutrally; provider layers rename it (`Target.Type`,
/// `NextToken`, `marker`, …) when they render the error.
///
/// ```
/// use org_handshake::ledger::Parameter;
/// assert_eq!(Parameter::Token.as_str(), "token");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Parameter {
    /// The invitation's target.
    Target,
    /// The ids given for the handshakes a call creates.
    NewIds,
    /// A listing filter.
    Filter,
    /// A pagination token or marker.
    Token,
    /// The greatest number of items on a token page.
    MaxResults,
    /// The page number of a numbered page.
    PageNumber,
    /// The size of a numbered page.
    PageSize,
}

impl Parameter {
    /// The parameter's neutral snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Parameter::Target => "target",
            Parameter::NewIds => "new_ids",
            Parameter::Filter => "filter",
            Parameter::Token => "token",
            Parameter::MaxResults => "max_results",
            Parameter::PageNumber => "page_number",
            Parameter::PageSize => "page_size",
        }
    }
}

impl std::fmt::Display for Parameter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the [`Ledger`](super::Ledger) refused a call. A refused call changes nothing.
///
/// [`kind`](Self::kind) gives the neutral row of the error table that provider layers render;
/// [`code`](Self::code) a stable snake_case code.
///
/// ```
/// use org_handshake::ErrorKind;
/// use org_handshake::ledger::LedgerError;
/// let err = LedgerError::NotInOrganization { account: "222222222222".parse()? };
/// assert_eq!(err.kind(), ErrorKind::NotInOrganization);
/// assert_eq!(err.code(), "not_in_organization");
/// assert_eq!(err.to_string(), "account 222222222222 is not in an organization");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The single-handshake semantics refused (not found, access denied, state, membership).
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// A management-only call from an account in no organization.
    #[error("account {account} is not in an organization")]
    NotInOrganization {
        /// The caller.
        account: AccountId,
    },
    /// A management-only call from a member account.
    #[error("account {account} is not the management account of organization {organization}")]
    NotManagementAccount {
        /// The caller.
        account: AccountId,
        /// Its organization.
        organization: OrganizationId,
    },
    /// `now` is earlier than the ledger's clock (the `now` of its last change).
    #[error("time went backwards: {now} is before the ledger's last change at {clock}")]
    TimeWentBackwards {
        /// The `now` given.
        now: DateTime<Utc>,
        /// The ledger's last change.
        clock: DateTime<Utc>,
    },
    /// Invitations are refused while enabling all features is in progress.
    #[error("organization {organization} is enabling all features (handshake {parent}); invitations are disabled")]
    InvitesDisabledDuringEnableAllFeatures {
        /// The organization.
        organization: OrganizationId,
        /// The pending enable-all-features handshake.
        parent: HandshakeId,
    },
    /// Enabling all features has already started.
    #[error("organization {organization} is already enabling all features (handshake {parent})")]
    AllFeaturesAlreadyRequested {
        /// The organization.
        organization: OrganizationId,
        /// The pending enable-all-features handshake.
        parent: HandshakeId,
    },
    /// The organization already has all features.
    #[error("organization {organization} already has all features")]
    AllFeaturesAlreadyEnabled {
        /// The organization.
        organization: OrganizationId,
    },
    /// The invited account is already in the inviting organization.
    #[error("account {account} is already in organization {organization}")]
    RecipientAlreadyInOrganization {
        /// The invited account.
        account: AccountId,
        /// The caller's organization.
        organization: OrganizationId,
        /// Whether it is that organization's management account.
        is_management_account: bool,
    },
    /// The organization already has a pending invitation for the same recipient.
    #[error(
        "organization {organization} already has pending invitation {existing} for this recipient"
    )]
    DuplicateInvitation {
        /// The organization.
        organization: OrganizationId,
        /// The pending invitation.
        existing: HandshakeId,
    },
    /// The organization has sent its daily quota of invitations in the last 24 hours.
    #[error("organization {organization} has sent {quota} invitations in the last 24 hours, the most allowed")]
    InvitationQuotaExceeded {
        /// The organization.
        organization: OrganizationId,
        /// The quota.
        quota: u32,
    },
    /// The id drawn for a new handshake is in use: a handshake that still exists holds it, or
    /// the same call drew it already. Nothing changed.
    #[error("handshake id {id} is already in use")]
    HandshakeIdInUse {
        /// The id.
        id: HandshakeId,
    },
    /// The [`IdSource`](crate::IdSource) gave no usable id for a handshake the call creates
    /// (it ran out, or gave one that breaks the provider's pattern). Nothing changed.
    #[error("the call creates {needed} handshake(s), but the id source failed: {source}")]
    IdSource {
        /// How many handshakes the call creates.
        needed: usize,
        /// What the source said.
        source: IdSourceError,
    },
    /// A request parameter is malformed or conflicts with another.
    #[error("invalid {parameter}: {reason}")]
    InvalidInput {
        /// Which parameter.
        parameter: Parameter,
        /// What is wrong with it.
        problem: InputProblem,
        /// A lower-case explanation.
        reason: &'static str,
    },
    /// The provider profile has no such operation (enable all features outside AWS, say).
    #[error("{provider} does not support {operation}")]
    Unsupported {
        /// The profile's provider name.
        provider: crate::id::ProfileName,
        /// The operation.
        operation: &'static str,
    },
    /// The handshake the call would create cannot exist.
    #[error(transparent)]
    InvalidHandshake(InvalidHandshake),
    /// A world change names an account the world does not list.
    #[error("account {account} is not an account of the world")]
    UnknownAccount {
        /// The account.
        account: AccountId,
    },
    /// An account to add is listed already.
    #[error("account {account} already exists")]
    AccountAlreadyExists {
        /// The account.
        account: AccountId,
    },
    /// An organization to add exists already.
    #[error("organization {organization} already exists")]
    OrganizationAlreadyExists {
        /// The organization.
        organization: OrganizationId,
    },
    /// An account to add has the email address of another account, so an `Email` target could
    /// not tell them apart.
    #[error("email address {email} is already taken by account {holder}")]
    EmailTaken {
        /// The email address.
        email: Email,
        /// The account that has it.
        holder: AccountId,
    },
    /// An account to add has the name of another account, so a `Name` target could not tell
    /// them apart.
    #[error("account name {name} is already taken by account {holder}")]
    NameTaken {
        /// The name.
        name: AccountName,
        /// The account that has it.
        holder: AccountId,
    },
    /// The account that would manage a new organization already belongs to one.
    #[error("account {account} already belongs to organization {organization}")]
    AccountInOrganization {
        /// The account.
        account: AccountId,
        /// Its organization.
        organization: OrganizationId,
    },
    /// The account to remove from its organization is in none.
    #[error("account {account} is not a member of any organization")]
    NotAMember {
        /// The account.
        account: AccountId,
    },
    /// A member the management account names is not in its organization (nor is it the
    /// management account, where that counts).
    #[error("account {account} is not a member of organization {organization}")]
    AccountNotInOrganization {
        /// The account named.
        account: AccountId,
        /// The caller's organization.
        organization: OrganizationId,
    },
    /// An organization cannot be deleted while it has members besides its management account.
    #[error("organization {organization} still has {members} member account(s)")]
    OrganizationNotEmpty {
        /// The organization.
        organization: OrganizationId,
        /// How many members it has besides its management account.
        members: usize,
    },
    /// The id drawn for a new organization is held by an organization the ledger knows
    /// (a deleted one included: its handshakes still name it). Nothing changed.
    #[error("organization id {id} is already in use")]
    OrganizationIdInUse {
        /// The id.
        id: OrganizationId,
    },
    /// A management account cannot leave its organization (it would have to delete it).
    #[error("account {account} manages organization {organization} and cannot leave it")]
    ManagementAccountCannotLeave {
        /// The account.
        account: AccountId,
        /// Its organization.
        organization: OrganizationId,
    },
}

impl LedgerError {
    /// The neutral kind of this error.
    ///
    /// ```
    /// use org_handshake::ErrorKind;
    /// use org_handshake::ledger::LedgerError;
    /// let err = LedgerError::HandshakeIdInUse { id: "h-0123456789".parse()? };
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            LedgerError::Transition(err) => err.kind(),
            LedgerError::NotInOrganization { .. } => ErrorKind::NotInOrganization,
            LedgerError::NotManagementAccount { .. } => ErrorKind::AccessDenied,
            LedgerError::TimeWentBackwards { .. } => ErrorKind::ConcurrentModification,
            LedgerError::InvitesDisabledDuringEnableAllFeatures { .. } => {
                ErrorKind::InvitesDisabledDuringEnableAllFeatures
            }
            LedgerError::AllFeaturesAlreadyRequested { .. } => {
                ErrorKind::AllFeaturesAlreadyRequested
            }
            LedgerError::AllFeaturesAlreadyEnabled { .. } => ErrorKind::AllFeaturesAlreadyEnabled,
            LedgerError::RecipientAlreadyInOrganization { .. } => ErrorKind::AlreadyInOrganization,
            LedgerError::DuplicateInvitation { .. } => ErrorKind::DuplicateHandshake,
            LedgerError::InvitationQuotaExceeded { .. } => ErrorKind::InvitationQuotaExceeded,
            LedgerError::HandshakeIdInUse { .. }
            | LedgerError::IdSource { .. }
            | LedgerError::InvalidInput { .. } => ErrorKind::InvalidInput,
            LedgerError::Unsupported { .. } => ErrorKind::Unsupported,
            LedgerError::InvalidHandshake(InvalidHandshake::UnsupportedAction { .. }) => {
                ErrorKind::Unsupported
            }
            LedgerError::InvalidHandshake(_) => ErrorKind::InvalidInput,
            LedgerError::UnknownAccount { .. } => ErrorKind::NotFound,
            LedgerError::AccountInOrganization { .. } => ErrorKind::AlreadyInOrganization,
            LedgerError::NotAMember { .. } => ErrorKind::NotInOrganization,
            LedgerError::AccountNotInOrganization { .. } => ErrorKind::AccountNotFound,
            LedgerError::OrganizationNotEmpty { .. } => ErrorKind::OrganizationNotEmpty,
            LedgerError::ManagementAccountCannotLeave { .. } => {
                ErrorKind::ManagementAccountCannotLeave
            }
            LedgerError::AccountAlreadyExists { .. }
            | LedgerError::OrganizationAlreadyExists { .. }
            | LedgerError::OrganizationIdInUse { .. }
            | LedgerError::EmailTaken { .. }
            | LedgerError::NameTaken { .. } => ErrorKind::InvalidInput,
        }
    }

    /// The stable snake_case code of this error.
    ///
    /// ```
    /// use org_handshake::ledger::LedgerError;
    /// let err = LedgerError::AllFeaturesAlreadyEnabled { organization: "o-exampleorgid".parse()? };
    /// assert_eq!(err.code(), "all_features_already_enabled");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::Transition(err) => err.code(),
            LedgerError::NotInOrganization { .. } => "not_in_organization",
            LedgerError::NotManagementAccount { .. } => "not_management_account",
            LedgerError::TimeWentBackwards { .. } => "time_went_backwards",
            LedgerError::InvitesDisabledDuringEnableAllFeatures { .. } => {
                "invites_disabled_during_enable_all_features"
            }
            LedgerError::AllFeaturesAlreadyRequested { .. } => "all_features_already_requested",
            LedgerError::AllFeaturesAlreadyEnabled { .. } => "all_features_already_enabled",
            LedgerError::RecipientAlreadyInOrganization { .. } => "already_in_an_organization",
            LedgerError::DuplicateInvitation { .. } => "duplicate_handshake",
            LedgerError::InvitationQuotaExceeded { .. } => "invitation_quota_exceeded",
            LedgerError::HandshakeIdInUse { .. } => "handshake_id_in_use",
            LedgerError::IdSource { source, .. } => source.code(),
            LedgerError::InvalidInput { .. } => "invalid_input",
            LedgerError::Unsupported { .. } => "unsupported",
            LedgerError::InvalidHandshake(err) => err.code(),
            LedgerError::UnknownAccount { .. } => "unknown_account",
            LedgerError::AccountAlreadyExists { .. } => "account_already_exists",
            LedgerError::OrganizationAlreadyExists { .. } => "organization_already_exists",
            LedgerError::EmailTaken { .. } => "email_taken",
            LedgerError::NameTaken { .. } => "name_taken",
            LedgerError::AccountInOrganization { .. } => "account_in_organization",
            LedgerError::NotAMember { .. } => "not_a_member",
            LedgerError::ManagementAccountCannotLeave { .. } => "management_account_cannot_leave",
            LedgerError::AccountNotInOrganization { .. } => "account_not_found",
            LedgerError::OrganizationNotEmpty { .. } => "organization_not_empty",
            LedgerError::OrganizationIdInUse { .. } => "organization_id_in_use",
        }
    }

    /// For a malformed request: the parameter at fault and what is wrong with it.
    ///
    /// ```
    /// use org_handshake::InputProblem;
    /// use org_handshake::ledger::{LedgerError, Parameter};
    /// use org_handshake::IdSourceError;
    /// let err = LedgerError::IdSource { needed: 3, source: IdSourceError::Exhausted { drawn: 1 } };
    /// assert_eq!(err.input(), Some((Parameter::NewIds, InputProblem::TooShort)));
    /// ```
    pub fn input(&self) -> Option<(Parameter, InputProblem)> {
        match self {
            LedgerError::InvalidInput {
                parameter, problem, ..
            } => Some((*parameter, *problem)),
            LedgerError::HandshakeIdInUse { .. } | LedgerError::OrganizationIdInUse { .. } => {
                Some((Parameter::NewIds, InputProblem::Conflicting))
            }
            LedgerError::IdSource {
                source: IdSourceError::Exhausted { .. },
                ..
            } => Some((Parameter::NewIds, InputProblem::TooShort)),
            LedgerError::IdSource { .. } => Some((Parameter::NewIds, InputProblem::InvalidPattern)),
            LedgerError::InvalidHandshake(InvalidHandshake::Id(_)) => {
                Some((Parameter::NewIds, InputProblem::InvalidPattern))
            }
            _ => None,
        }
    }
}

impl From<LedgerError> for Failure {
    fn from(err: LedgerError) -> Self {
        match err {
            LedgerError::Transition(inner) => Failure::from(inner),
            other => {
                let mut failure = Failure::new(other.kind(), other.to_string());
                failure.cause = other.code();
                failure.input = other.input().map(|(parameter, problem)| InputError {
                    parameter: parameter.as_str().to_owned(),
                    problem,
                });
                // A recipient already in the caller's own organization keeps the plain cause
                // even when it is the management account: inviting one's own management
                // account is ALREADY_IN_AN_ORGANIZATION like any other account of the
                // organization (design.md), not a management account that would have to leave.
                failure
            }
        }
    }
}
