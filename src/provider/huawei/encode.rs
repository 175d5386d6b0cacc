//! A Huawei Cloud Organizations call as huaweicloud-sdk sends it: the operation's REST path
//! (with `handshake_id` or `account_id` in it), `limit`/`marker` in the query, the body as
//! JSON, and the caller's domain id in `X-Domain-Id` (with a placeholder `SDK-HMAC-SHA256`
//! signature; an emulator does not verify it).

use serde_json::{json, Map, Value};

use crate::handshake::Party;
use crate::ledger::{HandshakeFilter, PageRequest};
use crate::provider::outgoing::{parameter_text, percent_encode, query_string};
use crate::provider::outgoing::{EncodeError, OutgoingRequest};
use crate::provider::Request;

use super::{Operation, TargetType, PROVIDER};

/// An operation's method and path template (`{name}` a path parameter), as the SDKs'
/// request definitions give them (huaweicloud-sdk-go-v3 `organizations_meta.go`,
/// huaweicloud-sdk-php-v3 `OrganizationsClient.php`), membership operations included.
const PATHS: &[(&str, &str, &str)] = &[
    (
        "invite_account",
        "POST",
        "/v1/organizations/accounts/invite",
    ),
    (
        "accept_handshake",
        "POST",
        "/v1/received-handshakes/{handshake_id}/accept",
    ),
    (
        "decline_handshake",
        "POST",
        "/v1/received-handshakes/{handshake_id}/decline",
    ),
    (
        "cancel_handshake",
        "POST",
        "/v1/organizations/handshakes/{handshake_id}/cancel",
    ),
    (
        "show_handshake",
        "GET",
        "/v1/organizations/handshakes/{handshake_id}",
    ),
    ("list_handshakes", "GET", "/v1/organizations/handshakes"),
    ("list_received_handshakes", "GET", "/v1/received-handshakes"),
    ("create_organization", "POST", "/v1/organizations"),
    ("show_organization", "GET", "/v1/organizations"),
    ("delete_organization", "DELETE", "/v1/organizations"),
    ("leave_organization", "POST", "/v1/organizations/leave"),
    ("list_accounts", "GET", "/v1/organizations/accounts"),
    (
        "show_account",
        "GET",
        "/v1/organizations/accounts/{account_id}",
    ),
    (
        "remove_account",
        "POST",
        "/v1/organizations/accounts/{account_id}/remove",
    ),
];

/// Writes `operation` for `caller` as the SDK does.
///
/// # Errors
///
/// An operation with no known path, or a path parameter absent or not a string (the SDK cannot
/// send a request without it).
pub(super) fn encode(
    operation: &str,
    caller: &str,
    request: &Value,
) -> Result<OutgoingRequest, EncodeError> {
    let fail = |reason: String| EncodeError::new(operation, reason);
    let (_, method, template) = PATHS
        .iter()
        .find(|(name, _, _)| *name == operation)
        .ok_or_else(|| fail("huawei organizations has no known path for it".into()))?;
    let empty = Map::new();
    let part = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_object)
            .unwrap_or(&empty)
    };
    let path_parameters = part("path");
    let mut path = String::new();
    for segment in template.split('/').skip(1) {
        path.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => match path_parameters.get(name) {
                Some(Value::String(value)) if !value.is_empty() => {
                    path.push_str(&percent_encode(value))
                }
                Some(other) if !other.is_null() => {
                    return Err(fail(format!(
                        "the path parameter `{name}` is {other}, not a string"
                    )))
                }
                _ => return Err(fail(format!("the path parameter `{name}` is missing"))),
            },
            None => path.push_str(segment),
        }
    }
    let mut call = OutgoingRequest::new(method, path);
    call.query = query_string(
        part("query")
            .iter()
            .filter_map(|(key, value)| Some((key.as_str(), parameter_text(value)?))),
    );
    if let Some(body) = request.get("body") {
        call.push_header("Content-Type", "application/json");
        call.body = body.to_string().into_bytes();
    }
    call.push_header("X-Domain-Id", caller);
    call.push_header(
        "Authorization",
        "SDK-HMAC-SHA256 Access=unsigned, SignedHeaders=content-type;host;x-domain-id;x-sdk-date, Signature=unsigned",
    );
    Ok(call)
}

/// The operation and `{"path", "query", "body"}` request of a neutral request, as the SDK's
/// request classes name their members: the inverse of the dialect's `read_call`.
///
/// # Errors
///
/// What Huawei has no member or operation for: enabling all features, a feature set, a
/// listing filter, a numbered page, an invitation by email (or of an organization), or
/// without notes (`notes` is required; empty notes are notes).
pub(super) fn write_call(request: &Request) -> Result<(&'static str, Value), EncodeError> {
    let operation = operation_of(request).ok_or_else(|| request.no_operation(PROVIDER))?;
    let fail = |reason: &str| EncodeError::new(operation.as_str(), reason);
    let path = |name: &str, value: &str| json!({"path": {name: value}});
    let written = match request {
        Request::Invite { target, notes } => {
            let (kind, entity) = match target {
                Party::Account(id) => (TargetType::Account, id.as_str()),
                Party::Name(name) => (TargetType::Name, name.as_str()),
                Party::Email(_) => {
                    return Err(fail("huawei invites by account id or name, not email"))
                }
                Party::Organization(_) => return Err(fail("huawei cannot invite an organization")),
            };
            let notes = notes
                .as_ref()
                .ok_or_else(|| fail("huawei requires `notes` (it may be empty)"))?;
            json!({"body": {
                "target": {"type": kind.as_str(), "entity": entity},
                "notes": notes.as_str(),
            }})
        }
        Request::Accept(id)
        | Request::Decline(id)
        | Request::Cancel(id)
        | Request::Describe(id) => path("handshake_id", id.as_str()),
        Request::ListForAccount(listing) | Request::ListForOrganization(listing) => {
            if listing.filter != HandshakeFilter::NONE {
                return Err(fail("huawei lists handshakes without a filter"));
            }
            page(&listing.page).ok_or_else(|| fail(NUMBERED))?
        }
        Request::ListAccounts(request) => page(request).ok_or_else(|| fail(NUMBERED))?,
        Request::CreateOrganization { feature_set } => {
            if feature_set.is_some() {
                return Err(fail("a huawei organization has no feature set"));
            }
            json!({})
        }
        Request::DescribeAccount(account) | Request::RemoveAccount(account) => {
            path("account_id", account.as_str())
        }
        Request::EnableAllFeatures
        | Request::DescribeOrganization
        | Request::DeleteOrganization
        | Request::LeaveOrganization => json!({}),
    };
    Ok((operation.as_str(), written))
}

const NUMBERED: &str = "huawei pages by marker (`marker`, `limit`), not by number";

/// The Huawei operation that reads into `request`, if Huawei has one.
fn operation_of(request: &Request) -> Option<Operation> {
    Some(match request {
        Request::Invite { .. } => Operation::InviteAccount,
        Request::Accept(_) => Operation::AcceptHandshake,
        Request::Decline(_) => Operation::DeclineHandshake,
        Request::Cancel(_) => Operation::CancelHandshake,
        Request::Describe(_) => Operation::ShowHandshake,
        Request::ListForAccount(_) => Operation::ListReceivedHandshakes,
        Request::ListForOrganization(_) => Operation::ListHandshakes,
        Request::EnableAllFeatures => return None,
        Request::CreateOrganization { .. } => Operation::CreateOrganization,
        Request::DescribeOrganization => Operation::ShowOrganization,
        Request::DeleteOrganization => Operation::DeleteOrganization,
        Request::ListAccounts(_) => Operation::ListAccounts,
        Request::DescribeAccount(_) => Operation::ShowAccount,
        Request::LeaveOrganization => Operation::LeaveOrganization,
        Request::RemoveAccount(_) => Operation::RemoveAccount,
    })
}

/// The query's `limit` (always written: Huawei's default is not the asked size) and
/// `marker`; `None` for a numbered page.
fn page(request: &PageRequest) -> Option<Value> {
    let PageRequest::Token { max_results, token } = request else {
        return None;
    };
    let mut query = json!({"limit": max_results});
    if let Some(token) = token {
        query["marker"] = json!(token);
    }
    Some(json!({ "query": query }))
}
