//! Huawei's error body `{"error_code", "error_msg"}` and the one table that maps neutral
//! failures to it.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Failure};
use crate::provider::{ErrorResponse, WireError};

use super::{from_json, Operation};

/// One row of [`ERROR_CODES`]: the Huawei error a neutral [`ErrorKind`] becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// The neutral kind.
    pub kind: ErrorKind,
    /// The operation this row is for; `None` for every operation without a row of its own.
    pub operation: Option<Operation>,
    /// Huawei's `error_code`.
    pub error_code: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Huawei's documented `error_msg`, when known; otherwise the failure's own message is sent.
    pub error_msg: Option<&'static str>,
    /// Whether Huawei documents this code for this meaning. Unverified rows are placeholders
    /// (their codes say so: `Organizations.Unverified.…`), to be corrected here when the real
    /// codes are known.
    pub verified: bool,
    /// Where the row comes from, or why it is a placeholder.
    pub source: &'static str,
}

const ERROR_CODE_PAGE: &str =
    "https://support.huaweicloud.com/intl/en-us/api-organizations/ErrorCode.html";
const PLACEHOLDER: &str = "placeholder: Huawei's ErrorCode.html lists handshake errors, but this code could not be read from it; status chosen by analogy (400 for refused requests)";
const NOT_ON_HUAWEI: &str =
    "placeholder: Huawei has no enable-all-features flow, so this failure cannot arise there";

/// Every neutral failure as Huawei's error body, in one place.
///
/// Lookup ([`error_response_for`]) takes the row for the kind *and* operation when there is
/// one, else the kind's row with `operation: None`. Every [`ErrorKind`] has such a row.
///
/// | kind | `error_code` | HTTP | verified |
/// |---|---|---|---|
/// | not found | `Organizations.Unverified.HandshakeNotFound` | 404 | no |
/// | access denied (a party out of its role, a member calling a management-only operation, and a caller id that is no account id: see [`ops`](super::ops)) | `Organizations.1001` | 401 | code yes; the malformed-caller use is this crate's choice |
/// | access denied, `list_handshakes` | `Organizations.1002` | 401 | code yes; its use for this operation inferred from the caller rules |
/// | already in state, `cancel_handshake` | `Organizations.1401` "The invitation has been canceled." | 400 | code and text from the Terraform provider; status expected, not documented |
/// | already in state (other operations) | `Organizations.Unverified.HandshakeAlreadyInState` | 400 | no |
/// | invalid transition (expired included) | `Organizations.Unverified.InvalidHandshakeTransition` | 400 | no |
/// | already in an organization | `Organizations.Unverified.AccountAlreadyInOrganization` | 400 | no |
/// | duplicate pending invitation | `Organizations.Unverified.DuplicateHandshake` | 400 | no |
/// | daily invitation quota | `Organizations.Unverified.InvitationQuotaExceeded` | 400 | no |
/// | not in an organization | `Organizations.1015` "The organization is not found." | 401 | code and text from the Terraform provider; its use here inferred |
/// | concurrent modification | `Organizations.1003` "Concurrent modification." | 409 | yes (ErrorCode.html) |
/// | invalid input (a missing, mistyped or malformed parameter, a marker the listing did not issue, a request part other than `path`, `query`, `body`: see [`ops`](super::ops)) | `Organizations.Unverified.InvalidParameter` | 400 | no |
/// | unsupported (an operation name that is not one of [`Operation`]'s) | `Organizations.Unverified.Unsupported` | 400 | no |
/// | the three enable-all-features kinds | `Organizations.Unverified.<Kind>` | 400 | no (cannot arise on Huawei) |
///
/// Texts: the Chinese and EU ErrorCode pages spell the messages with a capital and a final
/// period, as used here; the intl English page (updated 2024-05-28) lower-cases their first
/// letter and writes "for an service" in `Organizations.1002`.
///
/// ```
/// use org_handshake::provider::huawei::ERROR_CODES;
/// use org_handshake::ErrorKind;
///
/// let row = ERROR_CODES.iter().find(|r| r.kind == ErrorKind::ConcurrentModification).ok_or("no row")?;
/// assert_eq!((row.error_code, row.status, row.verified), ("Organizations.1003", 409, true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const ERROR_CODES: &[ErrorCode] = &[
    ErrorCode {
        kind: ErrorKind::NotFound,
        operation: None,
        error_code: "Organizations.Unverified.HandshakeNotFound",
        status: 404,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
    ErrorCode {
        kind: ErrorKind::AccessDenied,
        operation: None,
        error_code: "Organizations.1001",
        status: 401,
        error_msg: Some(
            "This operation can be called only from the management account of an organization.",
        ),
        verified: true,
        source: ERROR_CODE_PAGE,
    },
    ErrorCode {
        kind: ErrorKind::AccessDenied,
        operation: Some(Operation::ListHandshakes),
        error_code: "Organizations.1002",
        status: 401,
        error_msg: Some("This operation can be called only from the management account of an organization or by a member account that is a delegated administrator for a service."),
        verified: true,
        source: "ErrorCode.html; list_handshakes is the operation the management account or a delegated administrator may call, so its refusal is inferred to be this code",
    },
    ErrorCode {
        kind: ErrorKind::AlreadyInState,
        operation: Some(Operation::CancelHandshake),
        error_code: "Organizations.1401",
        status: 400,
        error_msg: Some("The invitation has been canceled."),
        verified: true,
        source: "terraform-provider-huaweicloud, resource_huaweicloud_organizations_account_invite.go: returned by cancel on a cancelled invitation; HTTP 400 is expected, not documented",
    },
    ErrorCode {
        kind: ErrorKind::AlreadyInState,
        operation: None,
        error_code: "Organizations.Unverified.HandshakeAlreadyInState",
        status: 400,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
    ErrorCode {
        kind: ErrorKind::InvalidTransition,
        operation: None,
        error_code: "Organizations.Unverified.InvalidHandshakeTransition",
        status: 400,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
    ErrorCode {
        kind: ErrorKind::AlreadyInOrganization,
        operation: None,
        error_code: "Organizations.Unverified.AccountAlreadyInOrganization",
        status: 400,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
    ErrorCode {
        kind: ErrorKind::DuplicateHandshake,
        operation: None,
        error_code: "Organizations.Unverified.DuplicateHandshake",
        status: 400,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
    ErrorCode {
        kind: ErrorKind::InvitationQuotaExceeded,
        operation: None,
        error_code: "Organizations.Unverified.InvitationQuotaExceeded",
        status: 400,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
    ErrorCode {
        kind: ErrorKind::NotInOrganization,
        operation: None,
        error_code: "Organizations.1015",
        status: 401,
        error_msg: Some("The organization is not found."),
        verified: false,
        source: "code and text from a terraform-provider-huaweicloud comment, which receives it as a 401; that it is what an account in no organization gets is inferred",
    },
    ErrorCode {
        kind: ErrorKind::InvitesDisabledDuringEnableAllFeatures,
        operation: None,
        error_code: "Organizations.Unverified.InvitesDisabledDuringEnableAllFeatures",
        status: 400,
        error_msg: None,
        verified: false,
        source: NOT_ON_HUAWEI,
    },
    ErrorCode {
        kind: ErrorKind::AllFeaturesAlreadyRequested,
        operation: None,
        error_code: "Organizations.Unverified.AllFeaturesAlreadyRequested",
        status: 400,
        error_msg: None,
        verified: false,
        source: NOT_ON_HUAWEI,
    },
    ErrorCode {
        kind: ErrorKind::AllFeaturesAlreadyEnabled,
        operation: None,
        error_code: "Organizations.Unverified.AllFeaturesAlreadyEnabled",
        status: 400,
        error_msg: None,
        verified: false,
        source: NOT_ON_HUAWEI,
    },
    ErrorCode {
        kind: ErrorKind::ConcurrentModification,
        operation: None,
        error_code: "Organizations.1003",
        status: 409,
        error_msg: Some("Concurrent modification."),
        verified: true,
        source: ERROR_CODE_PAGE,
    },
    ErrorCode {
        kind: ErrorKind::InvalidInput,
        operation: None,
        error_code: "Organizations.Unverified.InvalidParameter",
        status: 400,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
    ErrorCode {
        kind: ErrorKind::Unsupported,
        operation: None,
        error_code: "Organizations.Unverified.Unsupported",
        status: 400,
        error_msg: None,
        verified: false,
        source: PLACEHOLDER,
    },
];

/// Used only if a kind were missing from [`ERROR_CODES`] (a unit test makes sure none is), so
/// that rendering an error can never fail.
const FALLBACK: ErrorCode = ErrorCode {
    kind: ErrorKind::Unsupported,
    operation: None,
    error_code: "Organizations.Unverified.Unsupported",
    status: 400,
    error_msg: None,
    verified: false,
    source: PLACEHOLDER,
};

impl ErrorCode {
    /// The row for `kind` in `operation` (its own row if it has one, else the kind's general
    /// row).
    ///
    /// ```
    /// use org_handshake::provider::huawei::{ErrorCode, Operation};
    /// use org_handshake::ErrorKind;
    ///
    /// assert_eq!(ErrorCode::lookup(ErrorKind::AlreadyInState, Some(Operation::CancelHandshake)).error_code, "Organizations.1401");
    /// assert_eq!(ErrorCode::lookup(ErrorKind::AccessDenied, Some(Operation::AcceptHandshake)).error_code, "Organizations.1001");
    /// ```
    pub fn lookup(kind: ErrorKind, operation: Option<Operation>) -> &'static ErrorCode {
        let specific = operation.and_then(|op| {
            ERROR_CODES
                .iter()
                .find(|row| row.kind == kind && row.operation == Some(op))
        });
        specific
            .or_else(|| {
                ERROR_CODES
                    .iter()
                    .find(|row| row.kind == kind && row.operation.is_none())
            })
            .unwrap_or(&FALLBACK)
    }
}

/// Huawei's error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The code, e.g. `Organizations.1001`.
    pub error_code: String,
    /// The message.
    pub error_msg: String,
}

/// A Huawei error read back: the HTTP status, the body, and the neutral kind when
/// [`ERROR_CODES`] gives the code exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderErrorBody {
    /// The HTTP status.
    pub status: u16,
    /// The code.
    pub error_code: String,
    /// The message.
    pub error_msg: String,
    /// The neutral kind, when the table makes it unambiguous.
    pub kind: Option<ErrorKind>,
}

/// The Huawei error response for `failure`, with no operation known: the kind's general row.
///
/// ```
/// use org_handshake::provider::huawei;
/// use org_handshake::{ErrorKind, Failure};
///
/// let response = huawei::error_response(&Failure::new(ErrorKind::ConcurrentModification, "time went backwards"));
/// assert_eq!(response.status, 409);
/// assert_eq!(response.body, serde_json::json!({"error_code": "Organizations.1003", "error_msg": "Concurrent modification."}));
/// ```
pub fn error_response(failure: &Failure) -> ErrorResponse {
    render(ErrorCode::lookup(failure.kind, None), failure)
}

/// The Huawei error response for `failure` in `operation`, which picks operation-specific rows
/// (`Organizations.1401` for cancelling a cancelled invitation).
///
/// ```
/// use org_handshake::provider::huawei::{self, Operation};
/// use org_handshake::{ErrorKind, Failure};
///
/// let failure = Failure::new(ErrorKind::AlreadyInState, "handshake h-0123456789 is already canceled");
/// let response = huawei::error_response_for(Operation::CancelHandshake, &failure);
/// assert_eq!((response.status, &response.body["error_code"]), (400, &serde_json::json!("Organizations.1401")));
/// ```
pub fn error_response_for(operation: Operation, failure: &Failure) -> ErrorResponse {
    render(ErrorCode::lookup(failure.kind, Some(operation)), failure)
}

fn render(row: &ErrorCode, failure: &Failure) -> ErrorResponse {
    let body = ErrorBody {
        error_code: row.error_code.to_owned(),
        error_msg: row.error_msg.unwrap_or(&failure.message).to_owned(),
    };
    ErrorResponse {
        status: row.status,
        body: serde_json::json!({"error_code": body.error_code, "error_msg": body.error_msg}),
    }
}

/// Reads a Huawei error response back.
///
/// The kind is given when every row of [`ERROR_CODES`] with this code has the same kind; the
/// status is reported as given (Huawei's statuses for most handshake errors are unverified, so
/// a different one is not refused).
///
/// # Errors
///
/// [`WireError::Invalid`] for a status outside 400–599 or an empty `error_code`;
/// [`WireError::Json`] / [`WireError::Missing`] for a body that is not `{"error_code",
/// "error_msg"}`.
///
/// ```
/// use org_handshake::provider::huawei;
/// use org_handshake::ErrorKind;
///
/// let error = huawei::parse_error_response(401, r#"{"error_code": "Organizations.1001", "error_msg": "…"}"#)?;
/// assert_eq!(error.kind, Some(ErrorKind::AccessDenied));
/// let other = huawei::parse_error_response(400, r#"{"error_code": "APIGW.0101", "error_msg": "…"}"#)?;
/// assert_eq!(other.kind, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_error_response(status: u16, json: &str) -> Result<ProviderErrorBody, WireError> {
    if !(400..=599).contains(&status) {
        return Err(WireError::Invalid {
            field: "status".to_owned(),
            reason: format!("an error response has a 4xx or 5xx status, not {status}"),
        });
    }
    let body: ErrorBody = from_json(json)?;
    if body.error_code.is_empty() {
        return Err(WireError::Invalid {
            field: "error_code".to_owned(),
            reason: "the error code is empty".to_owned(),
        });
    }
    let mut kinds = ERROR_CODES
        .iter()
        .filter(|row| row.error_code == body.error_code)
        .map(|row| row.kind);
    let first = kinds.next();
    let kind = match first {
        Some(kind) if kinds.all(|k| k == kind) => Some(kind),
        _ => None,
    };
    Ok(ProviderErrorBody {
        status,
        error_code: body.error_code,
        error_msg: body.error_msg,
        kind,
    })
}
