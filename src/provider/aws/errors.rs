//! AWS error bodies: `{"__type": "<Exception>", "Message": "…", "Reason"?: "…"}` with the HTTP
//! status of the exception's Smithy `@httpError` trait, driven by one table, [`ERROR_CODES`].

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Failure, InputProblem};
use crate::provider::{from_json, ErrorResponse, WireError};

/// Which failures of a kind a row of [`ERROR_CODES`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Detail {
    /// Every failure of the kind (after the more specific rows of the same kind).
    Any,
    /// Invalid input with this problem.
    Input(InputProblem),
    /// A recipient that is a management account ([`Failure::is_management_account`]).
    ManagementAccount,
}

/// One row of the AWS error table: a neutral failure and the AWS error that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCode {
    /// The neutral kind.
    pub kind: ErrorKind,
    /// Which failures of the kind the row covers.
    pub detail: Detail,
    /// The exception, the `__type` of the body (without namespace).
    pub exception: &'static str,
    /// The HTTP status (the Smithy model's `@httpError`).
    pub status: u16,
    /// The `Reason` member, when the exception has one.
    pub reason: Option<&'static str>,
    /// Whether the AWS documents say this error is what AWS returns for this failure; `false`
    /// marks a placeholder inferred by the reference, to be corrected here when known.
    pub verified: bool,
    /// Where the row comes from (`/work/shared/reference/aws.md` sections, design.md).
    pub source: &'static str,
}

const fn row(
    kind: ErrorKind,
    detail: Detail,
    exception: &'static str,
    status: u16,
    reason: Option<&'static str>,
    verified: bool,
    source: &'static str,
) -> ErrorCode {
    ErrorCode {
        kind,
        detail,
        exception,
        status,
        reason,
        verified,
        source,
    }
}

const HCVE: &str = "HandshakeConstraintViolationException";
const INVALID_INPUT: &str = "InvalidInputException";

/// Every neutral failure's AWS error, specific rows before the `Any` row of their kind.
///
/// Statuses are the Smithy model's `@httpError` codes (aws.md §1); whether live AWS sends them or
/// a blanket 400 is unverified for every row.
///
/// | kind | AWS `__type` | Reason | status | verified |
/// |---|---|---|---|---|
/// | not found | HandshakeNotFoundException | | 404 | yes |
/// | access denied, malformed caller id (input problem `invalid_pattern`) | InvalidClientTokenId | | 403 | no (AWS Common Errors; no principal has such an id) |
/// | access denied | AccessDeniedException | | 403 | no: documented for management-only operations, inferred for a party out of role |
/// | already in state | HandshakeAlreadyInStateException | | 409 | yes |
/// | invalid transition | InvalidHandshakeTransitionException | | 409 | yes |
/// | already in organization (management account) | MasterCannotLeaveOrganizationException | | 409 | no (aws.md §6.2 (inferred)) |
/// | already in organization | HandshakeConstraintViolationException | ALREADY_IN_AN_ORGANIZATION | 409 | no (aws.md §6.2 (inferred)) |
/// | duplicate | DuplicateHandshakeException | | 409 | yes |
/// | daily quota | HandshakeConstraintViolationException | HANDSHAKE_RATE_LIMIT_EXCEEDED | 409 | no (Handshake- or plain ConstraintViolation, aws.md §11.8) |
/// | not in organization | AWSOrganizationsNotInUseException | | 404 | yes |
/// | invites disabled | HandshakeConstraintViolationException | INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES | 409 | yes |
/// | all features already requested | HandshakeConstraintViolationException | ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION | 409 | yes |
/// | all features already enabled | HandshakeConstraintViolationException | ORGANIZATION_ALREADY_HAS_ALL_FEATURES | 409 | yes |
/// | concurrent modification | ConcurrentModificationException | | 409 | yes (the exception; that a backwards `now` is one is design.md's) |
/// | invalid input, by problem | InvalidInputException | INPUT_REQUIRED, INVALID_PATTERN, MAX_/MIN_LENGTH_EXCEEDED, MAX_/MIN_VALUE_EXCEEDED, INVALID_ENUM, INVALID_NEXT_TOKEN, MAX_LIMIT_EXCEEDED_FILTER, INVALID_PARTY_TYPE_TARGET, INVALID_EMAIL_ADDRESS_TARGET | 400 | yes |
/// | invalid input, wrong JSON type | SerializationException | | 400 | no (the JSON 1.1 protocol's error) |
/// | invalid input, unexpected parameter or no detail | InvalidInputException | | 400 | no |
/// | unsupported, unknown operation name (input problem `unknown_value`) | InvalidAction | | 400 | no (AWS Common Errors; a Coral JSON service may answer UnknownOperationException) |
/// | unsupported | UnsupportedAPIEndpointException | | 403 | no (the closest modelled "this action isn't available") |
pub const ERROR_CODES: &[ErrorCode] = &[
    row(
        ErrorKind::NotFound,
        Detail::Any,
        "HandshakeNotFoundException",
        404,
        None,
        true,
        "aws.md §1, §5.4",
    ),
    row(
        ErrorKind::AccessDenied,
        Detail::Input(InputProblem::InvalidPattern),
        "InvalidClientTokenId",
        403,
        None,
        false,
        "AWS API Reference, Common Errors (InvalidClientTokenId, 403): a caller that is not a 12-digit account id has no AWS credentials [inf]",
    ),
    row(
        ErrorKind::AccessDenied,
        Detail::Any,
        "AccessDeniedException",
        403,
        None,
        false,
        "aws.md §7: wrong party [inf]; management-only operations [doc]",
    ),
    row(
        ErrorKind::AlreadyInState,
        Detail::Any,
        "HandshakeAlreadyInStateException",
        409,
        None,
        true,
        "aws.md §5.4, §7",
    ),
    row(
        ErrorKind::InvalidTransition,
        Detail::Any,
        "InvalidHandshakeTransitionException",
        409,
        None,
        true,
        "aws.md §5.4, §7",
    ),
    row(
        ErrorKind::AlreadyInOrganization,
        Detail::ManagementAccount,
        "MasterCannotLeaveOrganizationException",
        409,
        None,
        false,
        "aws.md §6.2 [inf]",
    ),
    row(
        ErrorKind::AlreadyInOrganization,
        Detail::Any,
        HCVE,
        409,
        Some("ALREADY_IN_AN_ORGANIZATION"),
        false,
        "aws.md §6.2 [inf], design.md errors table",
    ),
    row(
        ErrorKind::DuplicateHandshake,
        Detail::Any,
        "DuplicateHandshakeException",
        409,
        None,
        true,
        "aws.md §5.4",
    ),
    row(
        ErrorKind::InvitationQuotaExceeded,
        Detail::Any,
        HCVE,
        409,
        Some("HANDSHAKE_RATE_LIMIT_EXCEEDED"),
        false,
        "aws.md §6.1 [inf], §11.8",
    ),
    row(
        ErrorKind::NotInOrganization,
        Detail::Any,
        "AWSOrganizationsNotInUseException",
        404,
        None,
        true,
        "aws.md §5.4, design.md",
    ),
    row(
        ErrorKind::InvitesDisabledDuringEnableAllFeatures,
        Detail::Any,
        HCVE,
        409,
        Some("INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES"),
        true,
        "aws.md §5.1, §6.3",
    ),
    row(
        ErrorKind::AllFeaturesAlreadyRequested,
        Detail::Any,
        HCVE,
        409,
        Some("ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION"),
        true,
        "aws.md §5.1, §6.3",
    ),
    row(
        ErrorKind::AllFeaturesAlreadyEnabled,
        Detail::Any,
        HCVE,
        409,
        Some("ORGANIZATION_ALREADY_HAS_ALL_FEATURES"),
        true,
        "aws.md §5.1, §6.3",
    ),
    row(
        ErrorKind::ConcurrentModification,
        Detail::Any,
        "ConcurrentModificationException",
        409,
        None,
        true,
        "aws.md §1; design.md (time went backwards)",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::Missing),
        INVALID_INPUT,
        400,
        Some("INPUT_REQUIRED"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::InvalidPattern),
        INVALID_INPUT,
        400,
        Some("INVALID_PATTERN"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::TooLong),
        INVALID_INPUT,
        400,
        Some("MAX_LENGTH_EXCEEDED"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::TooShort),
        INVALID_INPUT,
        400,
        Some("MIN_LENGTH_EXCEEDED"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::TooSmall),
        INVALID_INPUT,
        400,
        Some("MIN_VALUE_EXCEEDED"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::TooLarge),
        INVALID_INPUT,
        400,
        Some("MAX_VALUE_EXCEEDED"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::UnknownValue),
        INVALID_INPUT,
        400,
        Some("INVALID_ENUM"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::InvalidToken),
        INVALID_INPUT,
        400,
        Some("INVALID_NEXT_TOKEN"),
        true,
        "aws.md §5.2 (the doc's INVALID_PAGINATION_TOKEN is not an enum value)",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::Conflicting),
        INVALID_INPUT,
        400,
        Some("MAX_LIMIT_EXCEEDED_FILTER"),
        true,
        "aws.md §5.2 (the doc's MAX_FILTER_LIMIT_EXCEEDED is not an enum value)",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::InvalidTargetType),
        INVALID_INPUT,
        400,
        Some("INVALID_PARTY_TYPE_TARGET"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::InvalidEmail),
        INVALID_INPUT,
        400,
        Some("INVALID_EMAIL_ADDRESS_TARGET"),
        true,
        "aws.md §5.2",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Input(InputProblem::WrongType),
        "SerializationException",
        400,
        None,
        false,
        "AWS JSON 1.1 protocol error, not in the Organizations model [inf]",
    ),
    row(
        ErrorKind::InvalidInput,
        Detail::Any,
        INVALID_INPUT,
        400,
        None,
        false,
        "aws.md §5.2 (Reason is optional) [inf]",
    ),
    row(
        ErrorKind::Unsupported,
        Detail::Input(InputProblem::UnknownValue),
        "InvalidAction",
        400,
        None,
        false,
        "AWS API Reference, Common Errors (InvalidAction, 400: the operation requested is invalid) [inf: a Coral JSON service may answer UnknownOperationException]",
    ),
    row(
        ErrorKind::Unsupported,
        Detail::Any,
        "UnsupportedAPIEndpointException",
        403,
        None,
        false,
        "aws.md §1, §4 (\"this action isn't available\") [inf]",
    ),
];

/// The row of [`ERROR_CODES`] for `failure`: the first whose kind matches and whose detail
/// applies.
///
/// ```
/// use org_handshake::{ErrorKind, Failure};
/// let row = org_handshake::provider::aws::error_code(&Failure::new(ErrorKind::DuplicateHandshake, "duplicate"));
/// assert_eq!((row.exception, row.status), ("DuplicateHandshakeException", 409));
/// ```
pub fn error_code(failure: &Failure) -> &'static ErrorCode {
    let applies = |code: &&ErrorCode| {
        code.kind == failure.kind
            && match code.detail {
                Detail::Any => true,
                Detail::Input(problem) => {
                    failure.input.as_ref().map(|i| i.problem) == Some(problem)
                }
                Detail::ManagementAccount => failure.is_management_account,
            }
    };
    ERROR_CODES.iter().find(applies).unwrap_or(&FALLBACK)
}

/// Unreachable while every kind has an `Any` row (a test checks it); `ErrorKind` is
/// non-exhaustive, so a new kind shows as a server fault until it gets its row.
const FALLBACK: ErrorCode = row(
    ErrorKind::Unsupported,
    Detail::Any,
    "ServiceException",
    500,
    None,
    false,
    "no row for this kind",
);

/// An AWS error body, as sent and as read back.
///
/// Unknown members are tolerated on reading (`TooManyRequestsException` adds `Type`), and a
/// lower-case `message` is read as `Message`, as botocore does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The exception, possibly namespaced (`com.amazonaws.organizations#…`) when read.
    #[serde(rename = "__type", default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// The message.
    #[serde(
        rename = "Message",
        alias = "message",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
    /// The reason, for exceptions that have one.
    #[serde(rename = "Reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Renders `failure` as AWS's error response (status and body).
///
/// ```
/// use org_handshake::{Failure, InputProblem};
/// let failure = Failure::invalid_input("HandshakeId", InputProblem::InvalidPattern, "handshake id `h-1` is malformed");
/// let response = org_handshake::provider::aws::error_response(&failure);
/// assert_eq!(response.status, 400);
/// assert_eq!(response.body, serde_json::json!({
///     "__type": "InvalidInputException",
///     "Message": "handshake id `h-1` is malformed",
///     "Reason": "INVALID_PATTERN",
/// }));
/// ```
pub fn error_response(failure: &Failure) -> ErrorResponse {
    let code = error_code(failure);
    let mut body = serde_json::Map::new();
    body.insert("__type".into(), code.exception.into());
    body.insert("Message".into(), failure.message.clone().into());
    if let Some(reason) = code.reason {
        body.insert("Reason".into(), reason.into());
    }
    ErrorResponse {
        status: code.status,
        body: serde_json::Value::Object(body),
    }
}

/// An AWS error read back: the exception without namespace, its message and reason, and the
/// neutral kind where [`ERROR_CODES`] makes it unambiguous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderErrorBody {
    /// The HTTP status the body came with.
    pub status: u16,
    /// The exception, e.g. `HandshakeConstraintViolationException`.
    pub exception: String,
    /// The message (empty when absent).
    pub message: String,
    /// The reason, when present.
    pub reason: Option<String>,
    /// The neutral kind, when exactly one kind has this exception and reason.
    pub kind: Option<ErrorKind>,
    /// For invalid input, the problem, when exactly one has this reason.
    pub problem: Option<InputProblem>,
}

/// Reads an AWS error body back. A namespaced `__type`
/// (`com.amazonaws.organizations#HandshakeNotFoundException`) is cut to the exception, as
/// botocore does (anything from a `:` on is dropped too, per the JSON 1.1 protocol).
///
/// The status is kept but not checked against the table: live AWS may send 400 where the model
/// says 404 or 409.
///
/// # Errors
///
/// [`WireError::Json`] for a body that is not a JSON object of strings; [`WireError::Missing`]
/// without `__type`; [`WireError::Invalid`] for an empty exception name.
///
/// ```
/// use org_handshake::ErrorKind;
/// let body = r#"{"__type":"com.amazonaws.organizations#HandshakeConstraintViolationException","Message":"m","Reason":"ALREADY_IN_AN_ORGANIZATION"}"#;
/// let read = org_handshake::provider::aws::parse_error_response(409, body)?;
/// assert_eq!(read.exception, "HandshakeConstraintViolationException");
/// assert_eq!(read.kind, Some(ErrorKind::AlreadyInOrganization));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_error_response(status: u16, json: &str) -> Result<ProviderErrorBody, WireError> {
    let body: ErrorBody = from_json(json)?;
    let raw = body.error_type.ok_or_else(|| WireError::Missing {
        field: "__type".into(),
    })?;
    let after_namespace = raw.rsplit_once('#').map_or(raw.as_str(), |(_, name)| name);
    let exception = after_namespace
        .split_once(':')
        .map_or(after_namespace, |(name, _)| name)
        .to_owned();
    if exception.is_empty() {
        return Err(WireError::Invalid {
            field: "__type".into(),
            reason: "no exception name".into(),
        });
    }
    let rows: Vec<&ErrorCode> = ERROR_CODES
        .iter()
        .filter(|code| code.exception == exception && code.reason == body.reason.as_deref())
        .collect();
    let kind = match rows.split_first() {
        Some((first, others)) if others.iter().all(|r| r.kind == first.kind) => Some(first.kind),
        _ => None,
    };
    let problem = match rows.as_slice() {
        [only] => match only.detail {
            Detail::Input(problem) => Some(problem),
            _ => None,
        },
        _ => None,
    };
    Ok(ProviderErrorBody {
        status,
        exception,
        message: body.message.unwrap_or_default(),
        reason: body.reason,
        kind,
        problem,
    })
}
