//! A reply's body is JSON text written straight from the ledger's handshakes (no
//! `serde_json::Value` on the way). It must be exactly the text the provider's typed response
//! types give when they serialize what they read from it: the same keys, in the same order, with
//! the same values, for every success and every error of every built-in provider.

mod common;

use common::contract;
use common::registry::registry;
use org_handshake::provider::{alibaba, aws, huawei, Call, Provider, Reply};
use serde_json::Value;

/// How a reply's body reads back through a provider's typed response types: one reader per
/// built-in provider, keyed by its name, as the types are the provider's own. Given the status,
/// whether the operation is a listing, and the body, it gives the typed value's JSON text.
type TypedReader = fn(u16, bool, &str) -> String;

/// The typed readers; `every_built_in_provider_has_a_typed_reader` checks that none is missing.
const TYPED: &[(&str, TypedReader)] = &[
    ("aws", |status, list, body| {
        let text = match (status, list) {
            (200, true) => {
                serde_json::to_string(&aws::ListHandshakesResponse::from_json(body).unwrap())
            }
            (200, false) => {
                serde_json::to_string(&aws::HandshakeResponse::from_json(body).unwrap())
            }
            _ => serde_json::to_string(&serde_json::from_str::<aws::ErrorBody>(body).unwrap()),
        };
        text.unwrap()
    }),
    ("huawei", |status, list, body| {
        let text = match (status, list) {
            (200, true) => {
                serde_json::to_string(&huawei::ListHandshakesResponse::from_json(body).unwrap())
            }
            (200, false) => {
                serde_json::to_string(&huawei::HandshakeResponse::from_json(body).unwrap())
            }
            _ => {
                let read = huawei::parse_error_response(status, body).unwrap();
                serde_json::to_string(
                    &serde_json::json!({"error_code": read.error_code, "error_msg": read.error_msg}),
                )
            }
        };
        text.unwrap()
    }),
    ("alibaba", |status, list, body| {
        let text = match (status, list) {
            (200, true) => {
                serde_json::to_string(&alibaba::ListHandshakesResponse::from_json(body).unwrap())
            }
            (200, false) => {
                serde_json::to_string(&alibaba::HandshakeResponse::from_json(body).unwrap())
            }
            _ => serde_json::to_string(&alibaba::parse_error_response(status, body).unwrap().body),
        };
        text.unwrap()
    }),
];

/// The typed reader of the dialect named `name`, if it has typed responses (the tests' own
/// dialects have none).
fn typed_reader(name: &str) -> Option<TypedReader> {
    TYPED
        .iter()
        .find(|(provider, _)| *provider == name)
        .map(|(_, reader)| *reader)
}

/// The text the typed response for `operation` serializes after reading `reply`'s body.
fn typed_text(reader: TypedReader, operation: &str, reply: &Reply) -> String {
    let list = operation.to_ascii_lowercase().starts_with("list");
    reader(reply.status, list, &reply.body)
}

/// Whether `value` holds the string `wanted` anywhere (a key's value, at any depth).
fn holds_text(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(text) => text == wanted,
        Value::Array(items) => items.iter().any(|item| holds_text(item, wanted)),
        Value::Object(map) => map.values().any(|item| holds_text(item, wanted)),
        _ => false,
    }
}

/// The membership operations, whose bodies have no typed response types to read them with
/// (`tests/membership_bodies.rs` snapshots them instead).
const MEMBERSHIP: &[&str] = &[
    "CreateOrganization",
    "DescribeOrganization",
    "DeleteOrganization",
    "ListAccounts",
    "DescribeAccount",
    "LeaveOrganization",
    "RemoveAccountFromOrganization",
    "create_organization",
    "show_organization",
    "delete_organization",
    "list_accounts",
    "show_account",
    "leave_organization",
    "remove_account",
    "EnableResourceDirectory",
    "GetResourceDirectory",
    "DestroyResourceDirectory",
    "GetAccount",
    "RemoveCloudAccount",
];

#[test]
fn reply_bodies_are_the_typed_responses_text() {
    for entry in registry() {
        let provider = entry.dialect.name();
        let Some(reader) = typed_reader(provider) else {
            continue; // the tests' own dialect has no typed responses
        };
        let mut service = contract::service(&entry);
        let accounts = contract::accounts(&entry);
        let now = "2026-01-05T10:00:00Z".parse().unwrap();
        let (mut one, mut lists, mut errors) = (0, 0, 0);
        for (n, (operation, request)) in entry.samples.iter().enumerate() {
            if MEMBERSHIP.contains(&operation.as_str()) {
                continue;
            }
            let ids = contract::fresh_ids(entry.dialect.profile(), n, 2);
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            // The managers come first: enough callers for every operation to succeed somewhere.
            for caller in accounts.iter().take(4) {
                let call = Call::new(operation, caller, now, request)
                    .with_new_ids(&ids)
                    .with_request_id("req-text-1");
                let Ok(reply) = service.call(&call) else {
                    continue;
                };
                assert_eq!(
                    reply.body,
                    typed_text(reader, operation, &reply),
                    "{provider} {operation} as {caller}"
                );
                match (
                    reply.status,
                    operation.to_ascii_lowercase().starts_with("list"),
                ) {
                    (200, true) => lists += 1,
                    (200, false) => one += 1,
                    _ => errors += 1,
                }
            }
        }
        // Not vacuous: each kind of body was seen.
        eprintln!("{provider}: {one} one-handshake, {lists} list and {errors} error bodies");
        assert!(
            one > 0 && lists > 0 && errors > 0,
            "{provider}: {one} one-handshake, {lists} list and {errors} error bodies"
        );
    }
}

#[test]
fn every_built_in_provider_has_a_typed_reader() {
    for provider in Provider::values() {
        assert!(
            typed_reader(provider.as_str()).is_some(),
            "{provider}: add its typed reader to TYPED"
        );
    }
}

/// `Reply::error_code` and `error_reason` are what the body says, for every dialect the tests
/// know (the tests' own included): a reader of the fields learns what a reader of the body
/// would. A success carries neither.
#[test]
fn a_reply_states_the_code_and_reason_its_body_carries() {
    for entry in registry() {
        let name = entry.dialect.name();
        let mut service = contract::service(&entry);
        let accounts = contract::accounts(&entry);
        let now = "2026-01-05T10:00:00Z".parse().unwrap();
        let (mut errors, mut reasons) = (0, 0);
        for (n, (operation, request)) in entry.samples.iter().enumerate() {
            let ids = contract::fresh_ids(entry.dialect.profile(), n, 2);
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            for caller in accounts.iter().take(4).map(String::as_str).chain(["0"]) {
                let call = Call::new(operation, caller, now, request).with_new_ids(&ids);
                let Ok(reply) = service.call(&call) else {
                    continue;
                };
                let body = reply.json();
                let context = format!("{name} {operation} as {caller}: {reply:?}");
                if reply.error.is_none() {
                    assert_eq!(
                        (&reply.error_code, &reply.error_reason),
                        (&None, &None),
                        "{context}"
                    );
                    continue;
                }
                errors += 1;
                let code = reply.error_code.as_deref().expect(&context);
                assert!(!code.is_empty() && holds_text(&body, code), "{context}");
                if let Some(reason) = reply.error_reason.as_deref() {
                    reasons += 1;
                    assert!(holds_text(&body, reason), "{context}");
                }
            }
        }
        eprintln!("{name}: {errors} error replies, {reasons} with a reason");
        assert!(errors > 0, "{name}: no error reply seen");
    }
}
