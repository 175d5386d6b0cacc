//! An Alibaba Cloud Resource Directory call as the current SDK sends it (RPC, "V3"
//! signature): `POST /` with the operation in `x-acs-action`, the API version in
//! `x-acs-version`, every parameter in the query, and an `ACS3-HMAC-SHA256` `Authorization`
//! whose credential is the caller (a placeholder signature; an emulator does not verify it).

use serde_json::{json, Value};

use crate::handshake::Party;
use crate::ledger::{HandshakeFilter, PageRequest};
use crate::provider::outgoing::{parameter_text, query_string};
use crate::provider::outgoing::{EncodeError, OutgoingRequest};
use crate::provider::Request;

use super::{Operation, TargetType, PROVIDER};

/// The ResourceManager API version.
const VERSION: &str = "2020-03-31";

/// The SHA-256 of an empty body, which the V3 signature sends in `x-acs-content-sha256`.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Writes `operation` for `caller` as the SDK does. Any operation name is written (an unknown
/// one is the server's to refuse), so this never fails.
pub(super) fn encode(
    operation: &str,
    caller: &str,
    request: &Value,
) -> Result<OutgoingRequest, EncodeError> {
    let mut call = OutgoingRequest::new("POST", "/");
    if let Some(parameters) = request.as_object() {
        call.query = query_string(
            parameters
                .iter()
                .filter_map(|(key, value)| Some((key.as_str(), parameter_text(value)?))),
        );
    }
    call.push_header("x-acs-action", operation);
    call.push_header("x-acs-version", VERSION);
    call.push_header("x-acs-content-sha256", EMPTY_SHA256);
    call.push_header("accept", "application/json");
    call.push_header(
        "Authorization",
        format!(
            "ACS3-HMAC-SHA256 Credential={caller},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-version,Signature=unsigned"
        ),
    );
    Ok(call)
}

/// The action and query parameters of a neutral request, as the SDK's request classes name
/// them: the inverse of the dialect's `read_call`. Numbers are JSON numbers, as the SDK's
/// models type them (`encode` writes their query text).
///
/// # Errors
///
/// What Alibaba has no parameter or action for: leaving a resource directory, enabling all
/// features, a feature set, a listing filter, a token page, an invitation by account name (or
/// of an organization), empty notes (an empty `Note` is no note).
pub(super) fn write_call(request: &Request) -> Result<(&'static str, Value), EncodeError> {
    let operation = operation_of(request).ok_or_else(|| request.no_operation(PROVIDER))?;
    let fail = |reason: &str| EncodeError::new(operation.as_str(), reason);
    let written = match request {
        Request::Invite { target, notes } => {
            let (kind, entity) = match target {
                Party::Account(id) => (TargetType::Account, id.as_str()),
                Party::Email(email) => (TargetType::Email, email.as_str()),
                Party::Name(_) => {
                    return Err(fail("alibaba invites by account id or email, not name"))
                }
                Party::Organization(_) => {
                    return Err(fail("alibaba cannot invite an organization"))
                }
            };
            let mut query = json!({"TargetEntity": entity, "TargetType": kind.as_str()});
            match notes {
                Some(notes) if notes.as_str().is_empty() => {
                    return Err(fail("alibaba reads an empty `Note` as none"))
                }
                Some(notes) => query["Note"] = json!(notes.as_str()),
                None => {}
            }
            query
        }
        Request::Accept(id)
        | Request::Decline(id)
        | Request::Cancel(id)
        | Request::Describe(id) => {
            json!({"HandshakeId": id.as_str()})
        }
        Request::ListForAccount(listing) | Request::ListForOrganization(listing) => {
            if listing.filter != HandshakeFilter::NONE {
                return Err(fail("alibaba lists handshakes without a filter"));
            }
            page(&listing.page).ok_or_else(|| fail(TOKEN))?
        }
        Request::ListAccounts(request) => page(request).ok_or_else(|| fail(TOKEN))?,
        Request::CreateOrganization { feature_set } => {
            if feature_set.is_some() {
                return Err(fail("a resource directory has no feature set"));
            }
            json!({"EnableMode": "CurrentAccount"})
        }
        Request::DescribeAccount(account) | Request::RemoveAccount(account) => {
            json!({"AccountId": account.as_str()})
        }
        Request::EnableAllFeatures
        | Request::DescribeOrganization
        | Request::DeleteOrganization
        | Request::LeaveOrganization => json!({}),
    };
    Ok((operation.as_str(), written))
}

const TOKEN: &str = "alibaba pages by number (`PageNumber`, `PageSize`), not by token";

/// The Alibaba action that reads into `request`, if Alibaba has one.
fn operation_of(request: &Request) -> Option<Operation> {
    Some(match request {
        Request::Invite { .. } => Operation::InviteAccountToResourceDirectory,
        Request::Accept(_) => Operation::AcceptHandshake,
        Request::Decline(_) => Operation::DeclineHandshake,
        Request::Cancel(_) => Operation::CancelHandshake,
        Request::Describe(_) => Operation::GetHandshake,
        Request::ListForAccount(_) => Operation::ListHandshakesForAccount,
        Request::ListForOrganization(_) => Operation::ListHandshakesForResourceDirectory,
        Request::EnableAllFeatures | Request::LeaveOrganization => return None,
        Request::CreateOrganization { .. } => Operation::EnableResourceDirectory,
        Request::DescribeOrganization => Operation::GetResourceDirectory,
        Request::DeleteOrganization => Operation::DestroyResourceDirectory,
        Request::ListAccounts(_) => Operation::ListAccounts,
        Request::DescribeAccount(_) => Operation::GetAccount,
        Request::RemoveAccount(_) => Operation::RemoveCloudAccount,
    })
}

/// `PageNumber` and `PageSize` (both always written: the defaults are not the asked page);
/// `None` for a token page.
fn page(request: &PageRequest) -> Option<Value> {
    let PageRequest::Number { number, size } = request else {
        return None;
    };
    Some(json!({"PageNumber": number, "PageSize": size}))
}
