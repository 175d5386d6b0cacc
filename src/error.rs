//! Errors of the neutral model: [`InvalidHandshake`] (a handshake that cannot exist) and
//! [`TransitionError`] (an operation the semantics refuse).
//!
//! Every variant has a stable snake_case [`code`](TransitionError::code): the provider modules
//! map codes to each provider's error body, and conformance vectors can name them.
//!
//! ```
//! use org_handshake::TransitionError;
//! # let err = org_handshake::TransitionError::NotFound { handshake: "h-0123456789".parse()? };
//! match err {
//!     TransitionError::NotFound { handshake } => assert_eq!(handshake.as_str(), "h-0123456789"),
//!     other => assert!(!other.code().is_empty()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};

use crate::id::{AccountId, HandshakeId, IdError, OrganizationId};
use crate::vocab::{Action, HandshakeState, Operation, PartyRole};

/// Why a set of handshake parts does not describe a possible handshake.
///
/// ```
/// use org_handshake::{InvalidHandshake};
/// let err = InvalidHandshake::ExpiryNotAfterRequest {
///     requested_at: "2026-01-02T00:00:00Z".parse()?,
///     expires_at: "2026-01-01T00:00:00Z".parse()?,
/// };
/// assert_eq!(err.code(), "expiry_not_after_request");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidHandshake {
    /// `expires_at` is not later than `requested_at`.
    #[error("expiry {expires_at} is not after the request time {requested_at}")]
    ExpiryNotAfterRequest {
        /// When the handshake was requested.
        requested_at: DateTime<Utc>,
        /// When it would expire.
        expires_at: DateTime<Utc>,
    },
    /// A terminal handshake does not say when it entered its state.
    #[error("a {state} handshake must say when it entered that state")]
    TerminalWithoutChangeTime {
        /// The terminal state.
        state: HandshakeState,
    },
    /// The state's entry time is before the request.
    #[error("state entered at {entered_at}, before the request at {requested_at}")]
    EnteredBeforeRequest {
        /// When the handshake was requested.
        requested_at: DateTime<Utc>,
        /// When it entered its state.
        entered_at: DateTime<Utc>,
    },
    /// The state's entry time does not fit the state and the expiry: a handshake expires exactly
    /// at `expires_at`, and nothing else happens to it at or after that time.
    #[error("a {state} handshake cannot have entered its state at {entered_at} when it expires at {expires_at}")]
    EnteredAtImpossibleTime {
        /// The state.
        state: HandshakeState,
        /// When it entered that state.
        entered_at: DateTime<Utc>,
        /// When it expires.
        expires_at: DateTime<Utc>,
    },
    /// Only an enable-all-features parent can be `Requested`.
    #[error("a {action} handshake cannot be requested; only enable_all_features waits for several recipients")]
    RequestedWithoutChildren {
        /// The handshake's action.
        action: Action,
    },
    /// An approve-all-features child must name its parent, and no other handshake may.
    #[error("a {action} handshake {which}")]
    ParentMismatch {
        /// The handshake's action.
        action: Action,
        /// What is wrong.
        which: &'static str,
    },
    /// A resource tree is deeper than [`Resource::MAX_DEPTH`](crate::Resource::MAX_DEPTH), so
    /// its JSON could not be read back.
    #[error("a resource tree is {depth} levels deep; at most {max} are allowed")]
    ResourceTreeTooDeep {
        /// The depth found.
        depth: usize,
        /// The greatest depth allowed.
        max: usize,
    },
    /// A time the handshake needs (its expiry, or its purge 30 days after the expiry) lies
    /// beyond the latest time `DateTime<Utc>` can hold.
    #[error("{what} is beyond the latest representable time")]
    TimeOutOfRange {
        /// Which time.
        what: &'static str,
    },
    /// The recipient is not a possible recipient.
    #[error("invalid recipient: {reason}")]
    InvalidRecipient {
        /// What is wrong.
        reason: &'static str,
    },
    /// The provider profile does not know this action.
    #[error("{provider} has no {action} handshakes")]
    UnsupportedAction {
        /// The profile's provider name.
        provider: crate::id::ProfileName,
        /// The action.
        action: Action,
    },
    /// An id does not follow the profile's narrower pattern.
    #[error(transparent)]
    Id(#[from] IdError),
}

impl InvalidHandshake {
    /// The stable code of this error.
    ///
    /// ```
    /// let err = org_handshake::InvalidHandshake::InvalidRecipient { reason: "x" };
    /// assert_eq!(err.code(), "invalid_recipient");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            InvalidHandshake::ExpiryNotAfterRequest { .. } => "expiry_not_after_request",
            InvalidHandshake::TerminalWithoutChangeTime { .. } => "terminal_without_change_time",
            InvalidHandshake::EnteredBeforeRequest { .. } => "entered_before_request",
            InvalidHandshake::EnteredAtImpossibleTime { .. } => "entered_at_impossible_time",
            InvalidHandshake::RequestedWithoutChildren { .. } => "requested_without_children",
            InvalidHandshake::ParentMismatch { .. } => "parent_mismatch",
            InvalidHandshake::ResourceTreeTooDeep { .. } => "resource_tree_too_deep",
            InvalidHandshake::TimeOutOfRange { .. } => "time_out_of_range",
            InvalidHandshake::InvalidRecipient { .. } => "invalid_recipient",
            InvalidHandshake::UnsupportedAction { .. } => "unsupported_action",
            InvalidHandshake::Id(err) => err.code(),
        }
    }
}

/// Why an operation on a handshake was refused. A refused operation changes nothing.
///
/// The variants follow the order in which the semantics check (the first failing check decides):
/// visibility ([`NotFound`](Self::NotFound)), role ([`AccessDenied`](Self::AccessDenied)), time
/// ([`TimeWentBackwards`](Self::TimeWentBackwards)), state
/// ([`AlreadyInState`](Self::AlreadyInState), [`InvalidTransition`](Self::InvalidTransition),
/// [`NotYetExpired`](Self::NotYetExpired)), then organization constraints
/// ([`AlreadyInOrganization`](Self::AlreadyInOrganization)).
///
/// Every variant holds only `Copy` data, so refusing never allocates.
///
/// ```
/// use org_handshake::{TransitionError, HandshakeState, Operation};
///
/// let err = TransitionError::InvalidTransition {
///     handshake: "h-0123456789".parse()?,
///     state: HandshakeState::Declined,
///     operation: Operation::Accept,
/// };
/// assert_eq!(err.code(), "invalid_handshake_transition");
/// assert_eq!(err.to_string(), "cannot accept handshake h-0123456789: it is declined");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransitionError {
    /// The caller is no party of the handshake, or it has been purged: existence does not leak.
    #[error("handshake {handshake} not found")]
    NotFound {
        /// The handshake asked for.
        handshake: HandshakeId,
    },
    /// The caller is a party, but the operation belongs to the other side (or needs an account
    /// of another kind, e.g. a management account).
    #[error("account {caller} may not {operation} handshake {handshake}{}", match role { Some(PartyRole::Sender) => " as its sender", Some(PartyRole::Recipient) => " as its recipient", None => "" })]
    AccessDenied {
        /// The handshake.
        handshake: HandshakeId,
        /// The calling account.
        caller: AccountId,
        /// What it tried.
        operation: Operation,
        /// The side the caller is on, if it is a party.
        role: Option<PartyRole>,
    },
    /// `now` is earlier than the handshake's last change: time never runs backwards.
    #[error("time went backwards on handshake {handshake}: {now} is before its last change at {last_change}")]
    TimeWentBackwards {
        /// The handshake.
        handshake: HandshakeId,
        /// The `now` given.
        now: DateTime<Utc>,
        /// The handshake's last change.
        last_change: DateTime<Utc>,
    },
    /// The handshake is already in the state the operation leads to.
    #[error("handshake {handshake} is already {state}")]
    AlreadyInState {
        /// The handshake.
        handshake: HandshakeId,
        /// Its state at `now`.
        state: HandshakeState,
    },
    /// The operation is not possible from the handshake's state at `now` (expired included).
    #[error("cannot {operation} handshake {handshake}: it is {state}")]
    InvalidTransition {
        /// The handshake.
        handshake: HandshakeId,
        /// Its state at `now`.
        state: HandshakeState,
        /// What was tried.
        operation: Operation,
    },
    /// An explicit expiry before the handshake's expiry time.
    #[error("handshake {handshake} does not expire before {expires_at}")]
    NotYetExpired {
        /// The handshake.
        handshake: HandshakeId,
        /// When it expires.
        expires_at: DateTime<Utc>,
    },
    /// The recipient cannot accept an invitation while it belongs to an organization.
    #[error("account {account} is already in organization {organization}")]
    AlreadyInOrganization {
        /// The handshake.
        handshake: HandshakeId,
        /// The recipient.
        account: AccountId,
        /// The organization it belongs to.
        organization: OrganizationId,
        /// Whether it is that organization's management account.
        is_management_account: bool,
    },
}

impl TransitionError {
    /// The stable code of this error, used by conformance vectors and provider mappings.
    ///
    /// ```
    /// let err = org_handshake::TransitionError::NotFound { handshake: "h-0123456789".parse()? };
    /// assert_eq!(err.code(), "handshake_not_found");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn code(&self) -> &'static str {
        match self {
            TransitionError::NotFound { .. } => "handshake_not_found",
            TransitionError::AccessDenied { .. } => "access_denied",
            TransitionError::TimeWentBackwards { .. } => "time_went_backwards",
            TransitionError::AlreadyInState { .. } => "handshake_already_in_state",
            TransitionError::InvalidTransition { .. } => "invalid_handshake_transition",
            TransitionError::NotYetExpired { .. } => "handshake_not_yet_expired",
            TransitionError::AlreadyInOrganization { .. } => "already_in_an_organization",
        }
    }

    /// The handshake the error is about.
    ///
    /// ```
    /// let id = "h-0123456789".parse()?;
    /// assert_eq!(org_handshake::TransitionError::NotFound { handshake: id }.handshake(), id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn handshake(&self) -> HandshakeId {
        match self {
            TransitionError::NotFound { handshake }
            | TransitionError::AccessDenied { handshake, .. }
            | TransitionError::TimeWentBackwards { handshake, .. }
            | TransitionError::AlreadyInState { handshake, .. }
            | TransitionError::InvalidTransition { handshake, .. }
            | TransitionError::NotYetExpired { handshake, .. }
            | TransitionError::AlreadyInOrganization { handshake, .. } => *handshake,
        }
    }
}

/// The kinds of failure the semantics distinguish: the rows of the error table that each
/// provider module maps to its own error code and HTTP status.
///
/// ```
/// use org_handshake::{ErrorKind, TransitionError};
/// let err = TransitionError::NotFound { handshake: "h-0123456789".parse()? };
/// assert_eq!(err.kind(), ErrorKind::NotFound);
/// assert_eq!(ErrorKind::NotFound.as_str(), "not_found");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Unknown or purged handshake, or the caller is no party of it.
    NotFound,
    /// A party acting outside its role, or an account of the wrong kind (a member calling a
    /// management-only operation).
    AccessDenied,
    /// The handshake is already in the state the operation leads to.
    AlreadyInState,
    /// The operation is impossible from the handshake's state (expired included).
    InvalidTransition,
    /// The recipient already belongs to an organization (accepting an invitation while a
    /// member elsewhere, or inviting an account of the caller's own organization), or the
    /// account creating an organization already belongs to one.
    AlreadyInOrganization,
    /// The organization already has a pending invitation for this recipient.
    DuplicateHandshake,
    /// The daily invitation quota is used up.
    InvitationQuotaExceeded,
    /// The caller belongs to no organization, and the operation needs one.
    NotInOrganization,
    /// Invitations are disabled while all features are being enabled.
    InvitesDisabledDuringEnableAllFeatures,
    /// Enabling all features has already started.
    AllFeaturesAlreadyRequested,
    /// The organization already has all features.
    AllFeaturesAlreadyEnabled,
    /// A management-only call names an account that is not in the caller's organization (AWS
    /// `AccountNotFoundException`).
    AccountNotFound,
    /// An organization cannot be deleted while it has members besides its management account.
    OrganizationNotEmpty,
    /// The management account tried to leave (or remove itself from) its organization.
    ManagementAccountCannotLeave,
    /// `now` is earlier than the last change of what the call touches: two calls raced, and
    /// the later-stamped one landed first. Providers call this a concurrent modification.
    ConcurrentModification,
    /// The request itself is malformed: a missing or invalid parameter.
    InvalidInput,
    /// The provider cannot express the operation or the handshake.
    Unsupported,
    /// The request is larger than the service reads (its body or its headers); found by the
    /// HTTP layer before any parsing.
    RequestTooLarge,
    /// The service itself failed (an emulator could not write its journal, say): nothing
    /// changed, and the caller may retry.
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order: what a provider's error table must cover.
    ///
    /// ```
    /// assert_eq!(org_handshake::ErrorKind::values().len(), 19);
    /// ```
    pub const fn values() -> &'static [ErrorKind] {
        &[
            ErrorKind::NotFound,
            ErrorKind::AccessDenied,
            ErrorKind::AlreadyInState,
            ErrorKind::InvalidTransition,
            ErrorKind::AlreadyInOrganization,
            ErrorKind::DuplicateHandshake,
            ErrorKind::InvitationQuotaExceeded,
            ErrorKind::NotInOrganization,
            ErrorKind::InvitesDisabledDuringEnableAllFeatures,
            ErrorKind::AllFeaturesAlreadyRequested,
            ErrorKind::AllFeaturesAlreadyEnabled,
            ErrorKind::AccountNotFound,
            ErrorKind::OrganizationNotEmpty,
            ErrorKind::ManagementAccountCannotLeave,
            ErrorKind::ConcurrentModification,
            ErrorKind::InvalidInput,
            ErrorKind::Unsupported,
            ErrorKind::RequestTooLarge,
            ErrorKind::Internal,
        ]
    }

    /// The kind's stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::AccessDenied => "access_denied",
            ErrorKind::AlreadyInState => "already_in_state",
            ErrorKind::InvalidTransition => "invalid_transition",
            ErrorKind::AlreadyInOrganization => "already_in_organization",
            ErrorKind::DuplicateHandshake => "duplicate_handshake",
            ErrorKind::InvitationQuotaExceeded => "invitation_quota_exceeded",
            ErrorKind::NotInOrganization => "not_in_organization",
            ErrorKind::InvitesDisabledDuringEnableAllFeatures => {
                "invites_disabled_during_enable_all_features"
            }
            ErrorKind::AllFeaturesAlreadyRequested => "all_features_already_requested",
            ErrorKind::AllFeaturesAlreadyEnabled => "all_features_already_enabled",
            ErrorKind::AccountNotFound => "account_not_found",
            ErrorKind::OrganizationNotEmpty => "organization_not_empty",
            ErrorKind::ManagementAccountCannotLeave => "management_account_cannot_leave",
            ErrorKind::ConcurrentModification => "concurrent_modification",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::RequestTooLarge => "request_too_large",
            ErrorKind::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with one request parameter.
///
/// ```
/// use org_handshake::InputProblem;
/// assert_eq!(InputProblem::Missing.as_str(), "missing");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputProblem {
    /// A required parameter is absent.
    Missing,
    /// The value has the wrong JSON type.
    WrongType,
    /// The value does not match the parameter's pattern (an id, say).
    InvalidPattern,
    /// The value is longer than allowed.
    TooLong,
    /// The value is shorter than allowed.
    TooShort,
    /// The number is below the minimum.
    TooSmall,
    /// The number is above the maximum.
    TooLarge,
    /// The value is not one of the parameter's enum values.
    UnknownValue,
    /// A pagination token or marker this crate did not issue for this listing.
    InvalidToken,
    /// Two parameters that exclude each other were both given.
    Conflicting,
    /// A target of a type that cannot be invited (an organization, say).
    InvalidTargetType,
    /// A malformed email address as a target.
    InvalidEmail,
    /// The parameter is not known to the operation.
    Unexpected,
}

impl InputProblem {
    /// The problem's stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            InputProblem::Missing => "missing",
            InputProblem::WrongType => "wrong_type",
            InputProblem::InvalidPattern => "invalid_pattern",
            InputProblem::TooLong => "too_long",
            InputProblem::TooShort => "too_short",
            InputProblem::TooSmall => "too_small",
            InputProblem::TooLarge => "too_large",
            InputProblem::UnknownValue => "unknown_value",
            InputProblem::InvalidToken => "invalid_token",
            InputProblem::Conflicting => "conflicting",
            InputProblem::InvalidTargetType => "invalid_target_type",
            InputProblem::InvalidEmail => "invalid_email",
            InputProblem::Unexpected => "unexpected",
        }
    }
}

/// A failure in provider-neutral terms: its [`ErrorKind`], a lower-case message, and for
/// invalid input the parameter at fault. Provider modules render it as their error body.
///
/// ```
/// use org_handshake::{ErrorKind, Failure, TransitionError};
/// let err = TransitionError::NotFound { handshake: "h-0123456789".parse()? };
/// let failure = Failure::from(err);
/// assert_eq!(failure.kind, ErrorKind::NotFound);
/// assert_eq!(failure.message, "handshake h-0123456789 not found");
///
/// let bad = Failure::invalid_input("HandshakeId", org_handshake::InputProblem::Missing, "handshake id is required");
/// assert_eq!(bad.input.map(|i| i.parameter), Some("HandshakeId".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// A lower-case, human-readable explanation.
    pub message: String,
    /// For [`ErrorKind::InvalidInput`]: the parameter and what is wrong with it.
    pub input: Option<InputError>,
    /// The stable code of the neutral error behind the failure ([`TransitionError::code`],
    /// [`LedgerError::code`](crate::ledger::LedgerError::code), or the kind's name), so that an
    /// error table can tell apart failures of one kind that a provider answers differently:
    /// `management_account_in_organization` is an [`ErrorKind::AlreadyInOrganization`] whose
    /// account manages its organization (AWS `MasterCannotLeaveOrganizationException`).
    #[serde(skip_deserializing)]
    pub cause: &'static str,
}

/// The parameter at fault in an invalid request, named as the provider names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputError {
    /// The parameter, e.g. `HandshakeId`, `Target.Type`, `limit`.
    pub parameter: String,
    /// What is wrong with it.
    pub problem: InputProblem,
}

impl Failure {
    /// A failure of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            input: None,
            cause: kind.as_str(),
        }
    }

    /// An [`ErrorKind::InvalidInput`] failure for `parameter`.
    pub fn invalid_input(
        parameter: impl Into<String>,
        problem: InputProblem,
        message: impl Into<String>,
    ) -> Self {
        Failure {
            kind: ErrorKind::InvalidInput,
            message: message.into(),
            input: Some(InputError {
                parameter: parameter.into(),
                problem,
            }),
            cause: ErrorKind::InvalidInput.as_str(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for Failure {}

impl TransitionError {
    /// The neutral kind of this error.
    ///
    /// ```
    /// use org_handshake::{ErrorKind, TransitionError};
    /// let err = TransitionError::NotYetExpired { handshake: "h-0123456789".parse()?, expires_at: "2026-01-01T00:00:00Z".parse()? };
    /// assert_eq!(err.kind(), ErrorKind::InvalidTransition);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn kind(&self) -> ErrorKind {
        match self {
            TransitionError::NotFound { .. } => ErrorKind::NotFound,
            TransitionError::AccessDenied { .. } => ErrorKind::AccessDenied,
            TransitionError::TimeWentBackwards { .. } => ErrorKind::ConcurrentModification,
            TransitionError::AlreadyInState { .. } => ErrorKind::AlreadyInState,
            TransitionError::InvalidTransition { .. } | TransitionError::NotYetExpired { .. } => {
                ErrorKind::InvalidTransition
            }
            TransitionError::AlreadyInOrganization { .. } => ErrorKind::AlreadyInOrganization,
        }
    }
}

/// The [`Failure::cause`] of an [`ErrorKind::RequestTooLarge`] whose headers, not its body,
/// are over the limit (HTTP 431 rather than 413).
pub const REQUEST_HEADERS_TOO_LARGE: &str = "request_headers_too_large";

/// The [`Failure::cause`] of an [`ErrorKind::AlreadyInOrganization`] for an account that
/// cannot create an organization because it belongs to one (AWS
/// `AlreadyInOrganizationException`).
pub const ACCOUNT_IN_ORGANIZATION: &str = "account_in_organization";

/// The [`Failure::cause`] of an [`ErrorKind::AlreadyInOrganization`] whose account is the
/// management account of its organization: it would have to leave an organization it manages.
pub const MANAGEMENT_ACCOUNT_IN_ORGANIZATION: &str = "management_account_in_organization";

impl From<TransitionError> for Failure {
    fn from(err: TransitionError) -> Self {
        let mut failure = Failure::new(err.kind(), err.to_string());
        failure.cause = match err {
            TransitionError::AlreadyInOrganization {
                is_management_account: true,
                ..
            } => MANAGEMENT_ACCOUNT_IN_ORGANIZATION,
            other => other.code(),
        };
        failure
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ErrorKind::values` must list every kind: this match stops compiling when a kind is
    /// added, and the count catches one left out of the list.
    #[test]
    fn values_lists_every_kind() {
        let mut count = 0;
        for kind in ErrorKind::values() {
            count += match kind {
                ErrorKind::NotFound
                | ErrorKind::AccessDenied
                | ErrorKind::AlreadyInState
                | ErrorKind::InvalidTransition
                | ErrorKind::AlreadyInOrganization
                | ErrorKind::DuplicateHandshake
                | ErrorKind::InvitationQuotaExceeded
                | ErrorKind::NotInOrganization
                | ErrorKind::InvitesDisabledDuringEnableAllFeatures
                | ErrorKind::AllFeaturesAlreadyRequested
                | ErrorKind::AllFeaturesAlreadyEnabled
                | ErrorKind::AccountNotFound
                | ErrorKind::OrganizationNotEmpty
                | ErrorKind::ManagementAccountCannotLeave
                | ErrorKind::ConcurrentModification
                | ErrorKind::InvalidInput
                | ErrorKind::Unsupported
                | ErrorKind::RequestTooLarge
                | ErrorKind::Internal => 1,
            };
        }
        let distinct: std::collections::BTreeSet<_> =
            ErrorKind::values().iter().map(|k| k.as_str()).collect();
        assert_eq!(distinct.len(), count);
        assert_eq!(count, 19);
    }
}
