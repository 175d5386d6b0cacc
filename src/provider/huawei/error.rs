//! Huawei's error body `{"error_code", "error_msg"}` and the one table that maps neutral
//! failures to it.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Failure, REQUEST_HEADERS_TOO_LARGE};
use crate::provider::error_table::{self, Detail, Row};
use crate::provider::{Provider, Reply, WireError};

use super::from_json;

const ERROR_CODE_PAGE: &str =
    "https://support.huaweicloud.com/intl/en-us/api-organizations/ErrorCode.html";
const PLACEHOLDER: &str = "placeholder: Huawei's ErrorCode.html lists handshake errors, but this code could not be read from it; status chosen by analogy (400 for refused requests)";
const MEMBERSHIP_PLACEHOLDER: &str = "placeholder: the API reference pages of the membership operations (DeleteOrganization, ShowAccount, LeaveOrganization, RemoveAccount) name no error code for this refusal; status chosen by analogy (404 for an account not found, 400 for refused requests)";
const NOT_ON_HUAWEI: &str =
    "placeholder: Huawei has no enable-all-features flow, so this failure cannot arise there";

/// Every neutral failure as Huawei's error body, in one place.
///
/// Lookup ([`error_response`] with an operation) takes the row for the kind *and* operation when there is
/// one, else the kind's row with `operation: None`. Every [`ErrorKind`] has such a row.
///
/// | kind | `error_code` | HTTP | verified |
/// |---|---|---|---|
/// | not found | `Organizations.Unverified.HandshakeNotFound` | 404 | no |
/// | access denied (a party out of its role, a member calling a management-only operation, and a caller id that is no account id: see [`Huawei`](super::Huawei)) | `Organizations.1001` | 401 | code yes; the malformed-caller use is this crate's choice |
/// | access denied, `list_handshakes`, `list_accounts`, `show_account` | `Organizations.1002` | 401 | code yes; its use for these operations inferred from their caller rules (management account or delegated administrator) |
/// | already in state, `cancel_handshake` | `Organizations.1401` "The invitation has been canceled." | 400 | code and text from the Terraform provider; status expected, not documented |
/// | already in state (other operations) | `Organizations.Unverified.HandshakeAlreadyInState` | 400 | no |
/// | invalid transition (expired included) | `Organizations.Unverified.InvalidHandshakeTransition` | 400 | no |
/// | already in an organization | `Organizations.Unverified.AccountAlreadyInOrganization` | 400 | no |
/// | duplicate pending invitation | `Organizations.Unverified.DuplicateHandshake` | 400 | no |
/// | daily invitation quota | `Organizations.Unverified.InvitationQuotaExceeded` | 400 | no |
/// | not in an organization | `Organizations.1015` "The organization is not found." | 401 | code and text from the Terraform provider; its use here inferred |
/// | account not found (`show_account`, `remove_account` naming no account of the caller's organization) | `Organizations.Unverified.AccountNotFound` | 404 | no |
/// | organization not empty (`delete_organization`) | `Organizations.Unverified.OrganizationNotEmpty` | 400 | no |
/// | management account cannot leave (`leave_organization`, `remove_account` of itself) | `Organizations.Unverified.ManagementAccountCannotLeave` | 400 | no |
/// | concurrent modification | `Organizations.1003` "Concurrent modification." | 409 | yes (ErrorCode.html) |
/// | invalid input (a missing, mistyped or malformed parameter, a marker the listing did not issue, a request part other than `path`, `query`, `body`: see [`Huawei`](super::Huawei)) | `Organizations.Unverified.InvalidParameter` | 400 | no |
/// | unsupported (an operation name that is not one of [`Operation`](super::Operation)'s) | `Organizations.Unverified.Unsupported` | 400 | no |
/// | the three enable-all-features kinds | `Organizations.Unverified.<Kind>` | 400 | no (cannot arise on Huawei) |
/// | request too large (headers: 431) | `APIG.0201` | 413 | no (API Gateway's code) |
/// | internal | `Organizations.Unverified.InternalError` | 500 | no |
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
/// assert_eq!((row.code.as_str(), row.status, row.verified), ("Organizations.1003", 409, true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const ERROR_CODES: &[Row] = &[
    Row::new(ErrorKind::NotFound, 404, "Organizations.Unverified.HandshakeNotFound")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::AccessDenied, 401, "Organizations.1002")
        .detail(Detail::operation("list_handshakes"))
        .message("This operation can be called only from the management account of an organization or by a member account that is a delegated administrator for a service.")
        .verified("ErrorCode.html; list_handshakes is the operation the management account or a delegated administrator may call, so its refusal is inferred to be this code",),
    Row::new(ErrorKind::AccessDenied, 401, "Organizations.1002")
        .detail(Detail::operation("list_accounts"))
        .message("This operation can be called only from the management account of an organization or by a member account that is a delegated administrator for a service.")
        .verified("ErrorCode.html; ListAccounts may be called by the management account or a delegated administrator, so its refusal is inferred to be this code",),
    Row::new(ErrorKind::AccessDenied, 401, "Organizations.1002")
        .detail(Detail::operation("show_account"))
        .message("This operation can be called only from the management account of an organization or by a member account that is a delegated administrator for a service.")
        .verified("ErrorCode.html; ShowAccount may be called by the management account or a delegated administrator, so its refusal is inferred to be this code",),
    Row::new(ErrorKind::AccessDenied, 401, "Organizations.1001")
        .message("This operation can be called only from the management account of an organization.")
        .verified(ERROR_CODE_PAGE,),
    Row::new(ErrorKind::AlreadyInState, 400, "Organizations.1401")
        .detail(Detail::operation("cancel_handshake"))
        .message("The invitation has been canceled.")
        .verified("terraform-provider-huaweicloud, resource_huaweicloud_organizations_account_invite.go: returned by cancel on a cancelled invitation; HTTP 400 is expected, not documented",),
    Row::new(ErrorKind::AlreadyInState, 400, "Organizations.Unverified.HandshakeAlreadyInState")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::InvalidTransition, 400, "Organizations.Unverified.InvalidHandshakeTransition")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::AlreadyInOrganization, 400, "Organizations.Unverified.AccountAlreadyInOrganization")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::DuplicateHandshake, 400, "Organizations.Unverified.DuplicateHandshake")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::InvitationQuotaExceeded, 400, "Organizations.Unverified.InvitationQuotaExceeded")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::NotInOrganization, 401, "Organizations.1015")
        .message("The organization is not found.")
        .unverified("code and text from a terraform-provider-huaweicloud comment, which receives it as a 401; that it is what an account in no organization gets is inferred",),
    Row::new(ErrorKind::InvitesDisabledDuringEnableAllFeatures, 400, "Organizations.Unverified.InvitesDisabledDuringEnableAllFeatures")
        .unverified(NOT_ON_HUAWEI,),
    Row::new(ErrorKind::AllFeaturesAlreadyRequested, 400, "Organizations.Unverified.AllFeaturesAlreadyRequested")
        .unverified(NOT_ON_HUAWEI,),
    Row::new(ErrorKind::AllFeaturesAlreadyEnabled, 400, "Organizations.Unverified.AllFeaturesAlreadyEnabled")
        .unverified(NOT_ON_HUAWEI,),
    Row::new(ErrorKind::AccountNotFound, 404, "Organizations.Unverified.AccountNotFound")
        .unverified(MEMBERSHIP_PLACEHOLDER,),
    Row::new(ErrorKind::OrganizationNotEmpty, 400, "Organizations.Unverified.OrganizationNotEmpty")
        .unverified(MEMBERSHIP_PLACEHOLDER,),
    Row::new(ErrorKind::ManagementAccountCannotLeave, 400, "Organizations.Unverified.ManagementAccountCannotLeave")
        .unverified(MEMBERSHIP_PLACEHOLDER,),
    Row::new(ErrorKind::ConcurrentModification, 409, "Organizations.1003")
        .message("Concurrent modification.")
        .verified(ERROR_CODE_PAGE,),
    Row::new(ErrorKind::InvalidInput, 400, "Organizations.Unverified.InvalidParameter")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::Unsupported, 400, "Organizations.Unverified.Unsupported")
        .unverified(PLACEHOLDER,),
    Row::new(ErrorKind::RequestTooLarge, 431, "APIG.0201")
        .detail(Detail::cause(REQUEST_HEADERS_TOO_LARGE))
        .message("Request header fields too large.")
        .unverified("placeholder: Huawei API Gateway's code for a request it will not read; the headers case is this crate's reading"),
    Row::new(ErrorKind::RequestTooLarge, 413, "APIG.0201")
        .message("Request entity too large.")
        .unverified("placeholder: Huawei API Gateway's APIG.0201 for an oversized request, as its error-code list gives it; not confirmed for Organizations"),
    Row::new(ErrorKind::Internal, 500, "Organizations.Unverified.InternalError")
        .unverified(PLACEHOLDER),
];

/// The row of [`ERROR_CODES`] for `failure` in `operation` (Huawei's name, or empty): its own
/// row if the operation has one, else the kind's general row.
///
/// ```
/// use org_handshake::provider::huawei::error_code;
/// use org_handshake::{ErrorKind, Failure};
///
/// let failure = |kind| Failure::new(kind, "");
/// assert_eq!(error_code(&failure(ErrorKind::AlreadyInState), "cancel_handshake").code.as_str(), "Organizations.1401");
/// assert_eq!(error_code(&failure(ErrorKind::AccessDenied), "accept_handshake").code.as_str(), "Organizations.1001");
/// ```
pub fn error_code(failure: &Failure, operation: &str) -> &'static Row {
    error_table::lookup(ERROR_CODES, failure, operation)
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

/// The Huawei error response for `failure` in `operation` (Huawei's name, or empty for the
/// kind's general row), with `request_id` (empty for none). An operation picks its own rows
/// (`Organizations.1401` for cancelling a cancelled invitation).
///
/// ```
/// use org_handshake::provider::huawei;
/// use org_handshake::{ErrorKind, Failure};
///
/// let response = huawei::error_response(&Failure::new(ErrorKind::ConcurrentModification, "time went backwards"), "", "");
/// assert_eq!(response.status, 409);
/// assert_eq!(response.json(), serde_json::json!({"error_code": "Organizations.1003", "error_msg": "Concurrent modification."}));
///
/// let failure = Failure::new(ErrorKind::AlreadyInState, "handshake h-0123456789 is already canceled");
/// let response = huawei::error_response(&failure, "cancel_handshake", "");
/// assert_eq!((response.status, &response.json()["error_code"]), (400, &serde_json::json!("Organizations.1401")));
/// ```
pub fn error_response(failure: &Failure, operation: &str, request_id: &str) -> Reply {
    Provider::Huawei.error_reply(failure, operation, request_id)
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
    let kind = error_table::kind_of(ERROR_CODES, &body.error_code, None);
    Ok(ProviderErrorBody {
        status,
        error_code: body.error_code,
        error_msg: body.error_msg,
        kind,
    })
}
