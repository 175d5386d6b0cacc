//! A reply's body is JSON text written straight from the ledger's handshakes (no
//! `serde_json::Value` on the way). It must be exactly the text the provider's typed response
//! types give when they serialize what they read from it: the same keys, in the same order, with
//! the same values, for every success and every error of every built-in provider.

mod common;

use common::contract;
use common::registry::registry;
use org_handshake::provider::{alibaba, aws, huawei, Call, Provider, Reply};

/// The text the typed response for `operation` serializes after reading `reply`'s body.
fn typed_text(provider: Provider, operation: &str, reply: &Reply) -> String {
    let body = reply.body.as_str();
    let list = operation.to_ascii_lowercase().starts_with("list");
    let text = match (provider, reply.status, list) {
        (Provider::Aws, 200, true) => {
            serde_json::to_string(&aws::ListHandshakesResponse::from_json(body).unwrap())
        }
        (Provider::Aws, 200, false) => {
            serde_json::to_string(&aws::HandshakeResponse::from_json(body).unwrap())
        }
        (Provider::Aws, _, _) => {
            serde_json::to_string(&serde_json::from_str::<aws::ErrorBody>(body).unwrap())
        }
        (Provider::Huawei, 200, true) => {
            serde_json::to_string(&huawei::ListHandshakesResponse::from_json(body).unwrap())
        }
        (Provider::Huawei, 200, false) => {
            serde_json::to_string(&huawei::HandshakeResponse::from_json(body).unwrap())
        }
        (Provider::Huawei, status, _) => {
            let read = huawei::parse_error_response(status, body).unwrap();
            serde_json::to_string(
                &serde_json::json!({"error_code": read.error_code, "error_msg": read.error_msg}),
            )
        }
        (Provider::Alibaba, 200, true) => {
            serde_json::to_string(&alibaba::ListHandshakesResponse::from_json(body).unwrap())
        }
        (Provider::Alibaba, 200, false) => {
            serde_json::to_string(&alibaba::HandshakeResponse::from_json(body).unwrap())
        }
        (Provider::Alibaba, status, _) => {
            serde_json::to_string(&alibaba::parse_error_response(status, body).unwrap().body)
        }
    };
    text.unwrap()
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
        let Some(provider) = Provider::values()
            .iter()
            .copied()
            .find(|p| p.as_str() == entry.dialect.name())
        else {
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
                    typed_text(provider, operation, &reply),
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
