//! A Huawei Cloud Organizations call as huaweicloud-sdk sends it: the operation's REST path
//! (with `handshake_id` or `account_id` in it), `limit`/`marker` in the query, the body as
//! JSON, and the caller's domain id in `X-Domain-Id` (with a placeholder `SDK-HMAC-SHA256`
//! signature; an emulator does not verify it).

use serde_json::{Map, Value};

use crate::provider::outgoing::{parameter_text, percent_encode, query_string};
use crate::provider::outgoing::{EncodeError, OutgoingRequest};

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
