//! AWS error bodies: `{"__type": "<Exception>", "Message": "…", "Reason"?: "…"}` with the HTTP
//! status of the exception's Smithy `@httpError` trait, driven by one table, [`ERROR_CODES`].

use serde::{Deserialize, Serialize};

use crate::error::{
    ErrorKind, Failure, InputProblem, ACCOUNT_IN_ORGANIZATION, MANAGEMENT_ACCOUNT_IN_ORGANIZATION,
    REQUEST_HEADERS_TOO_LARGE,
};
use crate::provider::error_table::{self, Detail, Row};
use crate::provider::{from_json, Provider, Reply, WireError};

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
/// | already in organization, creating one (cause `account_in_organization`) | AlreadyInOrganizationException | | 409 | no (the exception is the model's; the status is inferred) |
/// | account not found (not in the caller's organization) | AccountNotFoundException | | 404 | no (the exception is the model's; the status is inferred) |
/// | organization not empty | OrganizationNotEmptyException | | 409 | no (the exception is the model's; the status is inferred) |
/// | management account cannot leave | MasterCannotLeaveOrganizationException | | 409 | yes |
/// | invites disabled | HandshakeConstraintViolationException | INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES | 409 | yes |
/// | all features already requested | HandshakeConstraintViolationException | ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION | 409 | yes |
/// | all features already enabled | HandshakeConstraintViolationException | ORGANIZATION_ALREADY_HAS_ALL_FEATURES | 409 | yes |
/// | concurrent modification | ConcurrentModificationException | | 409 | yes (the exception; that a backwards `now` is one is design.md's) |
/// | invalid input, by problem | InvalidInputException | INPUT_REQUIRED, INVALID_PATTERN, MAX_/MIN_LENGTH_EXCEEDED, MAX_/MIN_VALUE_EXCEEDED, INVALID_ENUM, INVALID_NEXT_TOKEN, MAX_LIMIT_EXCEEDED_FILTER, INVALID_PARTY_TYPE_TARGET, INVALID_EMAIL_ADDRESS_TARGET | 400 | yes |
/// | invalid input, wrong JSON type | SerializationException | | 400 | no (the JSON 1.1 protocol's error) |
/// | invalid input, unexpected parameter or no detail | InvalidInputException | | 400 | no |
/// | unsupported, unknown operation name (input problem `unknown_value`) | UnknownOperationException | | 400 | no (the JSON 1.1 protocol's error for an unknown `X-Amz-Target`) |
/// | unsupported | UnsupportedAPIEndpointException | | 403 | no (the closest modelled "this action isn't available") |
/// | request too large, headers | RequestHeaderFieldsTooLarge | | 431 | no (an HTTP layer's refusal) |
/// | request too large | RequestEntityTooLargeException | | 413 | no (what AWS JSON services call HTTP 413) |
/// | internal | ServiceException | | 500 | yes |
///
/// `MasterCannotLeaveOrganizationException` stands for two neutral kinds (a management account
/// accepting another organization's invitation, and one leaving or removing itself), so reading
/// it back ([`parse_error_response`]) names no kind.
pub const ERROR_CODES: &[Row] = &[
    Row::new(ErrorKind::NotFound, 404, "HandshakeNotFoundException")
        .verified("aws.md §1, §5.4"),
    Row::new(ErrorKind::AccessDenied, 403, "InvalidClientTokenId")
        .detail(Detail::problem(InputProblem::InvalidPattern))
        .unverified("AWS API Reference, Common Errors (InvalidClientTokenId, 403): a caller that is not a 12-digit account id has no AWS credentials [inf]"),
    Row::new(ErrorKind::AccessDenied, 403, "AccessDeniedException")
        .unverified("aws.md §7: wrong party [inf]; management-only operations [doc]"),
    Row::new(ErrorKind::AlreadyInState, 409, "HandshakeAlreadyInStateException")
        .verified("aws.md §5.4, §7"),
    Row::new(ErrorKind::InvalidTransition, 409, "InvalidHandshakeTransitionException")
        .verified("aws.md §5.4, §7"),
    Row::new(ErrorKind::AlreadyInOrganization, 409, "MasterCannotLeaveOrganizationException")
        .detail(Detail::cause(MANAGEMENT_ACCOUNT_IN_ORGANIZATION))
        .unverified("aws.md §6.2 [inf]"),
    Row::new(ErrorKind::AlreadyInOrganization, 409, "AlreadyInOrganizationException")
        .detail(Detail::cause(ACCOUNT_IN_ORGANIZATION))
        .unverified("botocore organizations model: CreateOrganization lists AlreadyInOrganizationException (\"This account is already a member of an organization\"); status 409 is the Smithy model's as this crate reads it, not in aws.md [inf]"),
    Row::new(ErrorKind::AlreadyInOrganization, 409, HCVE)
        .reason("ALREADY_IN_AN_ORGANIZATION")
        .unverified("aws.md §6.2 [inf], design.md errors table"),
    Row::new(ErrorKind::DuplicateHandshake, 409, "DuplicateHandshakeException")
        .verified("aws.md §5.4"),
    Row::new(ErrorKind::InvitationQuotaExceeded, 409, HCVE)
        .reason("HANDSHAKE_RATE_LIMIT_EXCEEDED")
        .unverified("aws.md §6.1 [inf], §11.8"),
    Row::new(ErrorKind::NotInOrganization, 404, "AWSOrganizationsNotInUseException")
        .verified("aws.md §5.4, design.md"),
    Row::new(ErrorKind::InvitesDisabledDuringEnableAllFeatures, 409, HCVE)
        .reason("INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES")
        .verified("aws.md §5.1, §6.3"),
    Row::new(ErrorKind::AllFeaturesAlreadyRequested, 409, HCVE)
        .reason("ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION")
        .verified("aws.md §5.1, §6.3"),
    Row::new(ErrorKind::AllFeaturesAlreadyEnabled, 409, HCVE)
        .reason("ORGANIZATION_ALREADY_HAS_ALL_FEATURES")
        .verified("aws.md §5.1, §6.3"),
    Row::new(ErrorKind::AccountNotFound, 404, "AccountNotFoundException")
        .unverified("botocore organizations model: DescribeAccount, RemoveAccountFromOrganization list AccountNotFoundException; status 404 is the Smithy model's as this crate reads it, not in aws.md [inf]"),
    Row::new(ErrorKind::OrganizationNotEmpty, 409, "OrganizationNotEmptyException")
        .unverified("botocore organizations model: DeleteOrganization lists OrganizationNotEmptyException; status 409 is the Smithy model's as this crate reads it, not in aws.md [inf]"),
    Row::new(ErrorKind::ManagementAccountCannotLeave, 409, "MasterCannotLeaveOrganizationException")
        .verified("botocore organizations model: LeaveOrganization and RemoveAccountFromOrganization list it (\"You can't remove a management account from an organization\"); aws.md §1: 409"),
    Row::new(ErrorKind::ConcurrentModification, 409, "ConcurrentModificationException")
        .verified("aws.md §1; design.md (time went backwards)"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::Missing))
        .reason("INPUT_REQUIRED")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::InvalidPattern))
        .reason("INVALID_PATTERN")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::TooLong))
        .reason("MAX_LENGTH_EXCEEDED")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::TooShort))
        .reason("MIN_LENGTH_EXCEEDED")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::TooSmall))
        .reason("MIN_VALUE_EXCEEDED")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::TooLarge))
        .reason("MAX_VALUE_EXCEEDED")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::UnknownValue))
        .reason("INVALID_ENUM")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::InvalidToken))
        .reason("INVALID_NEXT_TOKEN")
        .verified("aws.md §5.2 (the doc's INVALID_PAGINATION_TOKEN is not an enum value)"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::Conflicting))
        .reason("MAX_LIMIT_EXCEEDED_FILTER")
        .verified("aws.md §5.2 (the doc's MAX_FILTER_LIMIT_EXCEEDED is not an enum value)"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::InvalidTargetType))
        .reason("INVALID_PARTY_TYPE_TARGET")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .detail(Detail::problem(InputProblem::InvalidEmail))
        .reason("INVALID_EMAIL_ADDRESS_TARGET")
        .verified("aws.md §5.2"),
    Row::new(ErrorKind::InvalidInput, 400, "SerializationException")
        .detail(Detail::problem(InputProblem::WrongType))
        .unverified("AWS JSON 1.1 protocol error, not in the Organizations model [inf]"),
    Row::new(ErrorKind::InvalidInput, 400, INVALID_INPUT)
        .unverified("aws.md §5.2 (Reason is optional) [inf]"),
    Row::new(ErrorKind::Unsupported, 400, "UnknownOperationException")
        .detail(Detail::problem(InputProblem::UnknownValue))
        .unverified("protocols.md: the AWS JSON 1.1 protocol's error for an X-Amz-Target the service does not have (Smithy awsJson1_1; LocalStack and moto answer it); the API Reference's Common Errors InvalidAction is the query protocol's [inf]"),
    Row::new(ErrorKind::Unsupported, 403, "UnsupportedAPIEndpointException")
        .unverified("aws.md §1, §4 (\"this action isn't available\") [inf]"),
    Row::new(ErrorKind::RequestTooLarge, 431, "RequestHeaderFieldsTooLarge")
        .detail(Detail::cause(REQUEST_HEADERS_TOO_LARGE))
        .unverified("no AWS document: an HTTP layer's refusal of oversized headers, named after HTTP 431 [inf]"),
    Row::new(ErrorKind::RequestTooLarge, 413, "RequestEntityTooLargeException")
        .unverified("the name AWS JSON services (API Gateway, Lambda) give HTTP 413; Organizations documents no body limit [inf]"),
    Row::new(ErrorKind::Internal, 500, "ServiceException")
        .verified("aws.md §1: ServiceException, 500, in every operation's error list"),
];

/// The row of [`ERROR_CODES`] for `failure` in `operation` (AWS's name, or empty): the first
/// whose kind matches and whose detail applies ([`error_table::lookup`]).
///
/// ```
/// use org_handshake::{ErrorKind, Failure};
/// let row = org_handshake::provider::aws::error_code(&Failure::new(ErrorKind::DuplicateHandshake, "duplicate"), "");
/// assert_eq!((row.code.as_str(), row.status), ("DuplicateHandshakeException", 409));
/// ```
pub fn error_code(failure: &Failure, operation: &str) -> &'static Row {
    error_table::lookup(ERROR_CODES, failure, operation)
}

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

/// Renders `failure` in `operation` (AWS's name, or empty) as AWS's error response (status,
/// body and headers), with `request_id` (empty for none).
///
/// ```
/// use org_handshake::{Failure, InputProblem};
/// let failure = Failure::invalid_input("HandshakeId", InputProblem::InvalidPattern, "handshake id `h-1` is malformed");
/// let response = org_handshake::provider::aws::error_response(&failure, "DescribeHandshake", "");
/// assert_eq!(response.status, 400);
/// assert_eq!(response.json(), serde_json::json!({
///     "__type": "InvalidInputException",
///     "Message": "handshake id `h-1` is malformed",
///     "Reason": "INVALID_PATTERN",
/// }));
/// ```
pub fn error_response(failure: &Failure, operation: &str, request_id: &str) -> Reply {
    Provider::Aws.error_reply(failure, operation, request_id)
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
    let rows: Vec<&Row> = ERROR_CODES
        .iter()
        .filter(|row| row.code.gives(&exception) && row.reason == body.reason.as_deref())
        .collect();
    let kind = error_table::kind_of(ERROR_CODES, &exception, body.reason.as_deref());
    let problem = match rows.as_slice() {
        [only] => only.detail.problem,
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
