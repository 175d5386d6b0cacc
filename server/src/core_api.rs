//! What the server still needs from the core that the core does not have yet.
//!
//! Everything else the server uses is `org_handshake`'s own: routing
//! (`Provider::for_request`, `Service::route`, `Service::caller_for`), calls and replies
//! (`Call`, `Service::call_with`, `Reply`), ids on demand (`IdSource`, `SeededIds`) and the
//! provider's answer to a failure found outside the ledger (`Service::reply_to`). The items here
//! are PROPOSED for the core, each with the core equivalent the lead is adding; when they land,
//! each becomes a call of the real one and this module goes.

use org_handshake::conformance::{self, Expect, Step};
use org_handshake::provider::{Call, Provider, Reply};
use serde_json::Value;

/// PROPOSED (not in API.md): whether `id` is an organization id of the provider's pattern
/// (`o-…` for AWS and Huawei, `rd-…` for Alibaba; conformance.md). Becomes
/// `provider.dialect().organization_id(id).is_some()` when `Dialect::organization_id` lands.
pub(crate) fn organization_id_fits(provider: Provider, id: &str) -> bool {
    let (prefix, lowercase) = match provider {
        Provider::Aws | Provider::Huawei => ("o-", true),
        Provider::Alibaba => ("rd-", false),
    };
    id.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 32
            && rest.bytes().all(|b| {
                b.is_ascii_digit()
                    || b.is_ascii_lowercase()
                    || (!lowercase && b.is_ascii_uppercase())
            })
    })
}

/// PROPOSED (not in API.md): the conformance step that records `call` and its reply, with the
/// ids it gave new handshakes; `request_id` only where the provider's body carries it
/// (Alibaba), as the vector schema requires. Becomes `conformance::Step::record` when it lands.
pub(crate) fn record_step(
    call: &Call<'_>,
    new_ids: Vec<String>,
    reply: &Reply,
    provider: Provider,
) -> Step {
    Step {
        at: call.now,
        caller: call.caller.to_owned(),
        operation: call.operation.to_owned(),
        request: call.request.clone(),
        new_ids,
        request_id: (provider == Provider::Alibaba && !call.request_id.is_empty())
            .then(|| call.request_id.to_owned()),
        comment: None,
        expect: Expect {
            status: reply.status,
            body: reply.body.clone(),
        },
    }
}

/// PROPOSED (not in API.md): a vector file as the JSON its schema accepts. Today's
/// `conformance` types serialize an absent `reading`, `request_id`, `comment` or account `email`
/// as `null`, which `tests/conformance/schema.json` refuses; with
/// `#[serde(skip_serializing_if = "Option::is_none")]` on those fields in the core,
/// `serde_json::to_value(&file)` alone would do.
pub(crate) fn vector_json(file: &conformance::VectorFile) -> Result<Value, String> {
    fn drop_null(object: &mut Value, key: &str) {
        if let Value::Object(map) = object {
            if map.get(key).is_some_and(Value::is_null) {
                map.remove(key);
            }
        }
    }
    let mut value = serde_json::to_value(file).map_err(|e| e.to_string())?;
    drop_null(&mut value, "reading");
    if let Some(steps) = value.get_mut("steps").and_then(Value::as_array_mut) {
        for step in steps {
            drop_null(step, "request_id");
            drop_null(step, "comment");
        }
    }
    if let Some(world) = value.get_mut("world") {
        if let Some(orgs) = world.get_mut("organizations").and_then(Value::as_array_mut) {
            for org in orgs {
                if let Some(account) = org.get_mut("management_account") {
                    drop_null(account, "email");
                }
            }
        }
        if let Some(accounts) = world.get_mut("accounts").and_then(Value::as_array_mut) {
            for account in accounts {
                drop_null(account, "email");
            }
        }
    }
    Ok(value)
}
