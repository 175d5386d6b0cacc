//! Alibaba's error table ([`ERROR_CODES`]), the error body it answers
//! (`{"RequestId", "HostId", "Code", "Message"}`, [`error_response`]) and the reading of one back
//! ([`parse_error_response`]).

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Failure, InputProblem, REQUEST_HEADERS_TOO_LARGE};
use crate::provider::error_table::{self, Code, Detail, Row};
use crate::provider::{Provider, Reply, WireError};

/// The `HostId` of every error body: the ResourceManager endpoint.
pub const HOST_ID: &str = "resourcemanager.aliyuncs.com";

const API_META: &str = "ResourceManager 2020-03-31 API metadata (errorCodes of the handshake operations) and the resourcedirectorymaster-2022-04-19 API pages";

/// Every neutral failure's Alibaba error, in lookup order: the first row whose kind, problem
/// and parameter match decides. Rows with `verified: false` are placeholders.
///
/// | kind | Code | HTTP | verified |
/// |---|---|---|---|
/// | not found | `EntityNotExists.Handshake` | 404 | yes |
/// | access denied | `NoPermission` | 403 | **no**: no handshake-specific code is documented; Alibaba's RAM guide names `NoPermission` for denied OpenAPI calls |
/// | already in state | `HandshakeStatusMismatch` | 409 | yes (one code for every wrong state) |
/// | invalid transition (expired included) | `HandshakeStatusMismatch` | 409 | yes |
/// | already in an organization (accepting an invitation; `EnableResourceDirectory` by an account in a directory) | `NotSupport.AccountInAnotherResourceDirectory` | 409 | yes (the EnableResourceDirectory page gives the same 409 code) |
/// | duplicate | `EntityAlreadyExists.Handshake` | 409 | yes |
/// | invitation quota | `LimitExceeded.InvitationRate` | 409 | yes (the limit's size is not documented) |
/// | not in an organization | `EntityNotExists.ResourceDirectory` | 404 | yes |
/// | account not found (`GetAccount`, `RemoveCloudAccount`) | `EntityNotExists.Account` | 404 | yes (RemoveCloudAccount) |
/// | organization not empty (`DestroyResourceDirectory`) | `DeleteConflict.ResourceDirectory.Account` | 409 | yes (DestroyResourceDirectory) |
/// | management account cannot leave (`RemoveCloudAccount` of itself) | `NotSupport.RemoveManagementAccount` | 409 | **no** |
/// | concurrent modification | `ConcurrentExecutionError` | 409 | **no**: documented by Resource Sharing, the same product |
/// | note too long | `InvalidParameter.Note.Length` | 400 | yes |
/// | unknown operation (`Action`) | `InvalidAction.NotFound` | 404 | **no**: the RPC gateway's common code |
/// | malformed caller (`AccessKeyId`) | `InvalidAccessKeyId.NotFound` | 404 | **no**: Alibaba's common code for an unknown key |
/// | missing parameter | `MissingParameter.<Param>` | 400 | yes |
/// | other invalid input | `InvalidParameter.<Param>` | 400 | yes |
/// | invalid input naming no parameter | `InvalidParameter` | 400 | **no** |
/// | unsupported, and the three enable-all-features kinds | `UnsupportedOperation` | 400 | **no**: Alibaba's common error for an action it does not support |
/// | request too large, headers | `Request.HeadersTooLarge` | 431 | **no** |
/// | request too large | `Request.TooLarge` | 413 | **no** |
/// | internal | `InternalError` | 500 | **no**: Alibaba's common error |
///
/// ```
/// use org_handshake::ErrorKind;
/// use org_handshake::provider::alibaba::ERROR_CODES;
/// let row = ERROR_CODES.iter().find(|row| row.kind == ErrorKind::NotFound).unwrap();
/// assert_eq!(row.status, 404);
/// assert!(row.verified);
/// ```
pub const ERROR_CODES: &[Row] = &[
    Row::new(ErrorKind::NotFound, 404, "EntityNotExists.Handshake")
        .message("The specified handshake does not exist.")
        .verified(API_META,),
    Row::new(ErrorKind::AccessDenied, 403, "NoPermission")
        .message("You are not authorized to perform this operation.")
        .unverified("placeholder: Alibaba's RAM troubleshooting guide names NoPermission for denied OpenAPI calls; Resource Center (same RamCode) documents NoPermission with this message but HTTP 400, other products with 403",),
    Row::new(ErrorKind::AlreadyInState, 409, "HandshakeStatusMismatch")
        .message("The invitation is invalid.")
        .verified(API_META,),
    Row::new(ErrorKind::InvalidTransition, 409, "HandshakeStatusMismatch")
        .message("The invitation is invalid.")
        .verified(API_META,),
    Row::new(ErrorKind::AlreadyInOrganization, 409, "NotSupport.AccountInAnotherResourceDirectory")
        .message("Your account is a management account for another resource directory or a member of another resource directory.")
        .verified(API_META,),
    Row::new(ErrorKind::DuplicateHandshake, 409, "EntityAlreadyExists.Handshake")
        .message("Handshakes with the same target entity already exist.")
        .verified(API_META,),
    Row::new(ErrorKind::InvitationQuotaExceeded, 409, "LimitExceeded.InvitationRate")
        .message("The number of invitations sent exceeds the limit.")
        .verified(API_META,),
    Row::new(ErrorKind::NotInOrganization, 404, "EntityNotExists.ResourceDirectory")
        .message("The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.")
        .verified(API_META,),
    Row::new(ErrorKind::AccountNotFound, 404, "EntityNotExists.Account")
        .message("This resource directory account does not exist.")
        .verified("RemoveCloudAccount API page, error codes (404 EntityNotExists.Account)",),
    Row::new(ErrorKind::OrganizationNotEmpty, 409, "DeleteConflict.ResourceDirectory.Account")
        .message("Failed to delete the resource directory because one or more member accounts exist. We recommend that you first remove these member accounts.")
        .verified("DestroyResourceDirectory API page, error codes (409 DeleteConflict.ResourceDirectory.Account)",),
    Row::new(ErrorKind::ManagementAccountCannotLeave, 409, "NotSupport.RemoveManagementAccount")
        .message("The management account of a resource directory cannot be removed from it.")
        .unverified("placeholder: RemoveCloudAccount documents no code for naming the management account itself",),
    Row::new(ErrorKind::ConcurrentModification, 409, "ConcurrentExecutionError")
        .message("The operation could not be completed because another process is currently accessing the same resource.")
        .unverified("placeholder: Resource Sharing (ResourceManager) error codes; nothing documented for the resource directory",),
    Row::new(ErrorKind::InvalidInput, 400, "InvalidParameter.Note.Length")
        .detail(Detail {
            problem: Some(InputProblem::TooLong),
            parameter: Some("Note"),
            ..Detail::ANY
        })
        .message("The length of the invitation note exceeds the limit.")
        .verified(API_META,),
    Row::new(ErrorKind::InvalidInput, 404, "InvalidAction.NotFound")
        .detail(Detail {
            problem: Some(InputProblem::UnknownValue),
            parameter: Some("Action"),
            ..Detail::ANY
        })
        .message("Specified api is not found, please check your url and method.")
        .unverified("placeholder: the RPC gateway's common error for an Action the API does not have (listed with Alibaba's common error codes, e.g. Short Message Service's); not on the resource directory's pages",),
    Row::new(ErrorKind::InvalidInput, 404, "InvalidAccessKeyId.NotFound")
        .detail(Detail {
            problem: Some(InputProblem::InvalidPattern),
            parameter: Some("AccessKeyId"),
            ..Detail::ANY
        })
        .message("Specified access key is not found.")
        .unverified("placeholder: Alibaba's common error for a caller it cannot authenticate (404 in the common error codes of KMS; some older pages say 400), used for a caller id that is no Alibaba account id",),
    Row::new(ErrorKind::InvalidInput, 400, "")
        .per_parameter("MissingParameter")
        .detail(Detail {
            problem: Some(InputProblem::Missing),
            ..Detail::ANY
        })
        .message("You must specify {}.")
        .verified(API_META,),
    Row::new(ErrorKind::InvalidInput, 400, "")
        .per_parameter("InvalidParameter")
        .message("The {} is invalid.")
        .verified(API_META,),
    Row::new(ErrorKind::Unsupported, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba's common RPC error for an unsupported action",),
    Row::new(ErrorKind::InvitesDisabledDuringEnableAllFeatures, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba has no enable-all-features flow",),
    Row::new(ErrorKind::AllFeaturesAlreadyRequested, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba has no enable-all-features flow",),
    Row::new(ErrorKind::AllFeaturesAlreadyEnabled, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba has no enable-all-features flow",),
    Row::new(ErrorKind::InvalidInput, 400, "InvalidParameter")
        .message("The specified parameter is invalid.")
        .unverified("placeholder: Alibaba's common InvalidParameter, for a failure that names no parameter"),
    Row::new(ErrorKind::RequestTooLarge, 431, "Request.HeadersTooLarge")
        .detail(Detail::cause(REQUEST_HEADERS_TOO_LARGE))
        .message("The request headers are too large.")
        .unverified("placeholder: no Alibaba document names the gateway's refusal of oversized headers"),
    Row::new(ErrorKind::RequestTooLarge, 413, "Request.TooLarge")
        .message("The request is too large.")
        .unverified("placeholder: no Alibaba document names the gateway's refusal of an oversized body"),
    Row::new(ErrorKind::Internal, 500, "InternalError")
        .message("The request processing has failed due to some unknown error, exception or failure.")
        .unverified("Alibaba's common InternalError (HTTP 500); not listed for the handshake operations"),
];

/// The row of [`ERROR_CODES`] that decides `failure`'s Alibaba error in `operation` (Alibaba's
/// name, or empty).
///
/// ```
/// use org_handshake::{Failure, InputProblem};
/// use org_handshake::provider::alibaba::error_code;
/// let note = Failure::invalid_input("Note", InputProblem::TooLong, "notes are too long");
/// assert_eq!(error_code(&note, "").code.for_parameter("Note"), "InvalidParameter.Note.Length");
/// ```
pub fn error_code(failure: &Failure, operation: &str) -> &'static Row {
    error_table::lookup(ERROR_CODES, failure, operation)
}

/// The error reply Alibaba answers for `failure` in `operation` (Alibaba's name, or empty),
/// carrying `request_id` (empty for the default), with its HTTP status:
/// `{"RequestId", "HostId", "Code", "Message"}`.
///
/// # Example: a missing handshake id
///
/// ```
/// use org_handshake::{Failure, InputProblem};
/// use org_handshake::provider::alibaba::error_response;
///
/// let failure = Failure::invalid_input("HandshakeId", InputProblem::Missing, "handshake id is required");
/// let response = error_response(&failure, "AcceptHandshake", "5828C836-3286-49A6-9006-15231BB19342");
/// assert_eq!(response.status, 400);
/// assert_eq!(response.json()["Code"], "MissingParameter.HandshakeId");
/// assert_eq!(response.json()["Message"], "You must specify HandshakeId.");
/// ```
pub fn error_response(failure: &Failure, operation: &str, request_id: &str) -> Reply {
    Provider::Alibaba.error_reply(failure, operation, request_id)
}

/// An Alibaba error body, read back: `{"RequestId", "HostId"?, "Code", "Message",
/// "Recommend"?}`, with the HTTP status it came with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorBody {
    /// The error code.
    pub code: String,
    /// The endpoint that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_id: Option<String>,
    /// The message.
    pub message: String,
    /// A troubleshooting link some gateways add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommend: Option<String>,
    /// The request's id.
    pub request_id: String,
}

/// An error response read back: the status, the body, and what the error table can say about
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderErrorBody {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: ErrorBody,
}

impl ProviderErrorBody {
    /// Every neutral kind whose row gives this code.
    ///
    /// ```
    /// use org_handshake::ErrorKind;
    /// use org_handshake::provider::alibaba::parse_error_response;
    /// let err = parse_error_response(409, r#"{"Code": "HandshakeStatusMismatch", "Message": "The invitation is invalid.", "RequestId": "r-1"}"#)?;
    /// assert_eq!(err.candidate_kinds(), vec![ErrorKind::AlreadyInState, ErrorKind::InvalidTransition]);
    /// assert_eq!(err.kind(), None); // ambiguous
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn candidate_kinds(&self) -> Vec<ErrorKind> {
        let mut kinds = Vec::new();
        for row in ERROR_CODES {
            if gives(row, &self.body.code) && !kinds.contains(&row.kind) {
                kinds.push(row.kind);
            }
        }
        kinds
    }

    /// The neutral kind, when exactly one row gives this code.
    ///
    /// ```
    /// use org_handshake::ErrorKind;
    /// use org_handshake::provider::alibaba::parse_error_response;
    /// let err = parse_error_response(400, r#"{"Code": "MissingParameter.HandshakeId", "Message": "You must specify HandshakeId.", "RequestId": "r-1"}"#)?;
    /// assert_eq!(err.kind(), Some(ErrorKind::InvalidInput));
    /// assert_eq!(err.parameter(), Some("HandshakeId"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> Option<ErrorKind> {
        match self.candidate_kinds().as_slice() {
            [kind] => Some(*kind),
            _ => None,
        }
    }

    /// For `MissingParameter.<P>` / `InvalidParameter.<P>[.Length]` codes: the parameter `P`.
    pub fn parameter(&self) -> Option<&str> {
        let code = self.body.code.as_str();
        let rest = code
            .strip_prefix("MissingParameter.")
            .or_else(|| code.strip_prefix("InvalidParameter."))?;
        Some(rest.strip_suffix(".Length").unwrap_or(rest))
    }
}

/// Whether `row` produces `code` (for some parameter other than a `.Length` one, which has its
/// own fixed rows).
fn gives(row: &Row, code: &str) -> bool {
    row.code.gives(code) && (matches!(row.code, Code::Fixed(_)) || !code.ends_with(".Length"))
}

/// Reads an Alibaba error response back.
///
/// Codes outside [`ERROR_CODES`] are accepted (Alibaba documents many more, such as
/// `Invalid.AccountType`); their [`kind`](ProviderErrorBody::kind) is `None`.
///
/// # Errors
///
/// - [`WireError::Invalid`] for a `status` that is not an HTTP error status (400–599).
/// - [`WireError::Json`] for a body that is not JSON or has a member of the wrong type.
/// - [`WireError::Missing`] for an absent `Code`, `Message` or `RequestId`.
/// - [`WireError::Inconsistent`] when a code the table knows as verified comes with another
///   status.
///
/// ```
/// use org_handshake::provider::alibaba::parse_error_response;
/// let err = parse_error_response(404, r#"{"RequestId": "r-1", "HostId": "resourcemanager.aliyuncs.com", "Code": "EntityNotExists.Handshake", "Message": "The specified handshake does not exist."}"#)?;
/// assert_eq!(err.kind(), Some(org_handshake::ErrorKind::NotFound));
/// assert!(parse_error_response(200, r#"{"RequestId": "r-1", "Code": "EntityNotExists.Handshake", "Message": "m"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_error_response(status: u16, json: &str) -> Result<ProviderErrorBody, WireError> {
    if !(400..=599).contains(&status) {
        return Err(WireError::Invalid {
            field: "status".to_owned(),
            reason: format!("{status} is not an error status"),
        });
    }
    let raw: RawErrorBody = crate::provider::from_json(json)?;
    let missing = |field: &str| WireError::Missing {
        field: field.to_owned(),
    };
    let body = ErrorBody {
        code: raw.code.ok_or_else(|| missing("Code"))?,
        host_id: raw.host_id,
        message: raw.message.ok_or_else(|| missing("Message"))?,
        recommend: raw.recommend,
        request_id: raw.request_id.ok_or_else(|| missing("RequestId"))?,
    };
    let expected = ERROR_CODES
        .iter()
        .filter(|row| row.verified && gives(row, &body.code))
        .map(|row| row.status)
        .next();
    if let Some(expected) = expected {
        if expected != status {
            return Err(WireError::Inconsistent {
                field: "Code".to_owned(),
                reason: format!("{} comes with HTTP {expected}, not {status}", body.code),
            });
        }
    }
    Ok(ProviderErrorBody { status, body })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    host_id: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    recommend: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
}
