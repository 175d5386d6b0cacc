//! zcloud, a made-up fourth cloud (`tests/common/zcloud/`), driven end to end through the one
//! driver (`Service::with_dialect`): the proof that adding a provider is one folder that
//! implements `Dialect`, plus one line in the test registry, with no edit to the driver, the
//! ledger or the core. The dialect contract runs on it too, and its vector files
//! (`tests/common/zcloud/vectors/`: handshakes, then groups and members) replay through the
//! conformance runner as a built-in provider's do.

mod common;

use common::contract;
use common::registry;
use common::zcloud::fixtures::{world, GROUP, JUAN, MARY, NOBODY, OPS, YAN, ZED};
use common::zcloud::{CONTENT_TYPE, DESCRIPTION, OPERATIONS, ZCLOUD};
use common::EPOCH;
use org_handshake::provider::error_table::kind_of;
use org_handshake::provider::{Call, Dialect, HttpRequest, Provider, Reply, Service};
use org_handshake::ErrorKind;
use org_handshake::Membership;
use serde_json::{json, Value};

fn service() -> Service {
    Service::with_dialect(&ZCLOUD, &world()).unwrap()
}

/// One call, checked by the contract's reply rules (status and `error` agree, the headers are
/// zcloud's, a refusal changes nothing).
fn call(
    service: &mut Service,
    operation: &str,
    caller: &str,
    request: Value,
    ids: &[&str],
) -> Reply {
    let call = Call::new(operation, caller, EPOCH, &request)
        .with_new_ids(ids)
        .with_request_id("zc-req-1");
    contract::checked_call(service, &call).unwrap()
}

fn ok(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.json()
}

/// The fault code of an error reply, checked against its status and kind.
fn fault(reply: &Reply, status: u16, kind: ErrorKind) -> String {
    assert_eq!(
        (reply.status, reply.error),
        (status, Some(kind)),
        "{reply:?}"
    );
    assert_eq!(reply.json()["trace"], "zc-req-1");
    reply.json()["fault"]["code"].as_str().unwrap().to_owned()
}

#[test]
fn zcloud_is_a_dialect_of_its_own() {
    assert_eq!(DESCRIPTION.name, "zcloud");
    assert_eq!(DESCRIPTION.operations, OPERATIONS);
    assert!(
        "zcloud".parse::<Provider>().is_err(),
        "zcloud is no built-in provider"
    );
    assert_eq!(service().provider(), None);
    assert_eq!(service().dialect().name(), "zcloud");
    // Three codes, a row for every kind.
    let codes: std::collections::BTreeSet<_> = DESCRIPTION
        .error_table
        .iter()
        .map(|row| row.code.as_str())
        .collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["zc.forbidden", "zc.not_found", "zc.rejected"]
    );
    for kind in ErrorKind::values() {
        assert!(DESCRIPTION.error_table.iter().any(|row| row.kind == *kind));
    }
    // Its ids: `h-` + 12, and 10-digit accounts.
    assert!(DESCRIPTION
        .profile
        .parse_handshake_id("h-0123456789ab")
        .is_ok());
    assert!(DESCRIPTION
        .profile
        .parse_handshake_id("h-0123456789abc")
        .is_err());
    assert!(ZCLOUD.account_id(ZED).is_some());
    assert!(ZCLOUD.account_id("111111111111").is_none());
}

#[test]
fn invite_then_accept() {
    let mut service = service();
    let invited = call(
        &mut service,
        "zc.invite",
        ZED,
        json!({"to": {"account": JUAN}, "memo": "join us"}),
        &["h-000000000001"],
    );
    let body = ok(&invited);
    assert_eq!(body["handshake"]["ref"], "h-000000000001");
    assert_eq!(body["handshake"]["phase"], "waiting");
    assert_eq!(body["handshake"]["group"], GROUP);
    assert_eq!(body["handshake"]["to"], json!({"account": JUAN}));
    assert_eq!(body["handshake"]["memo"], "join us");
    assert_eq!(
        body["handshake"]["closes"].as_i64().unwrap()
            - body["handshake"]["opened"].as_i64().unwrap(),
        7 * 86_400
    );
    assert!(invited.changed());
    assert_eq!(invited.header("content-type"), Some(CONTENT_TYPE));
    assert_eq!(invited.header("zc-trace"), Some("zc-req-1"));

    let inbox = call(&mut service, "zc.inbox", JUAN, json!({}), &[]);
    assert_eq!(ok(&inbox)["items"][0]["ref"], "h-000000000001");
    let accepted = call(
        &mut service,
        "zc.accept",
        JUAN,
        json!({"ref": "h-000000000001"}),
        &[],
    );
    assert_eq!(ok(&accepted)["handshake"]["phase"], "joined");
    assert_eq!(
        service.ledger().membership(&JUAN.parse().unwrap()),
        Membership::Member(GROUP.parse().unwrap())
    );
    let got = call(
        &mut service,
        "zc.get",
        ZED,
        json!({"ref": "h-000000000001"}),
        &[],
    );
    assert_eq!(ok(&got)["handshake"]["phase"], "joined");
    assert!(!got.changed());
}

#[test]
fn invite_by_email_then_decline() {
    let mut service = service();
    let invited = call(
        &mut service,
        "zc.invite",
        ZED,
        json!({"to": {"email": "mary@example.com"}}),
        &["h-000000000002"],
    );
    assert_eq!(
        ok(&invited)["handshake"]["to"],
        json!({"email": "mary@example.com", "account": MARY}),
        "an email the world knows resolves to its account at once"
    );
    let declined = call(
        &mut service,
        "zc.decline",
        MARY,
        json!({"ref": "h-000000000002"}),
        &[],
    );
    assert_eq!(ok(&declined)["handshake"]["phase"], "refused");
    assert_eq!(
        service.ledger().membership(&MARY.parse().unwrap()),
        Membership::Standalone
    );
}

#[test]
fn invite_then_cancel() {
    let mut service = service();
    ok(&call(
        &mut service,
        "zc.invite",
        YAN,
        json!({"to": {"account": MARY}}),
        &["h-000000000003"],
    ));
    let canceled = call(
        &mut service,
        "zc.cancel",
        YAN,
        json!({"ref": "h-000000000003"}),
        &[],
    );
    assert_eq!(ok(&canceled)["handshake"]["phase"], "withdrawn");
    // Cancelled twice: the state is already reached.
    let again = call(
        &mut service,
        "zc.cancel",
        YAN,
        json!({"ref": "h-000000000003"}),
        &[],
    );
    assert_eq!(fault(&again, 400, ErrorKind::AlreadyInState), "zc.rejected");
}

#[test]
fn listings_page_with_a_cursor() {
    let mut service = service();
    let ids = ["h-00000000000a", "h-00000000000b", "h-00000000000c"];
    for (id, target) in ids.iter().zip([JUAN, MARY, OPS]) {
        let to = if target == OPS {
            json!({"email": "ops@example.com"})
        } else {
            json!({"account": target})
        };
        ok(&call(
            &mut service,
            "zc.invite",
            ZED,
            json!({"to": to}),
            &[id],
        ));
    }
    let mut seen = Vec::new();
    let mut request = json!({"size": 2});
    loop {
        let page = call(&mut service, "zc.outbox", ZED, request.clone(), &[]);
        let body = ok(&page).clone();
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|item| item["ref"].as_str().unwrap().to_owned()),
        );
        match body.get("cursor") {
            Some(cursor) => request = json!({"size": 2, "cursor": cursor}),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    let inbox = call(&mut service, "zc.inbox", MARY, json!({}), &[]);
    assert_eq!(ok(&inbox)["items"].as_array().unwrap().len(), 1);
}

#[test]
fn the_three_error_codes() {
    let mut service = service();
    // zc.not_found: no such handshake, and a caller in no organization.
    let missing = call(
        &mut service,
        "zc.get",
        ZED,
        json!({"ref": "h-999999999999"}),
        &[],
    );
    assert_eq!(fault(&missing, 404, ErrorKind::NotFound), "zc.not_found");
    let standalone = call(
        &mut service,
        "zc.invite",
        MARY,
        json!({"to": {"account": JUAN}}),
        &["h-000000000004"],
    );
    assert_eq!(
        fault(&standalone, 404, ErrorKind::NotInOrganization),
        "zc.not_found"
    );
    // zc.forbidden: a member may not invite.
    let member = call(
        &mut service,
        "zc.invite",
        OPS,
        json!({"to": {"account": JUAN}}),
        &["h-000000000005"],
    );
    assert_eq!(fault(&member, 403, ErrorKind::AccessDenied), "zc.forbidden");
    // zc.rejected: invalid input, an unknown operation, a foreign caller id.
    let bad_ref = call(&mut service, "zc.get", ZED, json!({"ref": "h-1"}), &[]);
    assert_eq!(fault(&bad_ref, 400, ErrorKind::InvalidInput), "zc.rejected");
    let unknown_key = call(&mut service, "zc.inbox", ZED, json!({"page": 2}), &[]);
    assert_eq!(
        fault(&unknown_key, 400, ErrorKind::InvalidInput),
        "zc.rejected"
    );
    let unknown = call(&mut service, "zc.delete", ZED, json!({}), &[]);
    assert_eq!(fault(&unknown, 400, ErrorKind::Unsupported), "zc.rejected");
    let foreign = call(&mut service, "zc.inbox", "111111111111", json!({}), &[]);
    assert_eq!(fault(&foreign, 400, ErrorKind::InvalidInput), "zc.rejected");
    // A stranger does not learn that a handshake exists.
    ok(&call(
        &mut service,
        "zc.invite",
        ZED,
        json!({"to": {"account": JUAN}}),
        &["h-000000000006"],
    ));
    let stranger = call(
        &mut service,
        "zc.get",
        NOBODY,
        json!({"ref": "h-000000000006"}),
        &[],
    );
    assert_eq!(fault(&stranger, 404, ErrorKind::NotFound), "zc.not_found");
    // The reverse lookup: only zc.forbidden names one kind.
    let table = DESCRIPTION.error_table;
    assert_eq!(
        kind_of(table, "zc.forbidden", None),
        Some(ErrorKind::AccessDenied)
    );
    assert_eq!(kind_of(table, "zc.not_found", None), None);
    assert_eq!(kind_of(table, "zc.rejected", None), None);
}

#[test]
fn http_requests_route_to_zcloud() {
    let service = service();
    let headers = [("Zc-Op", "zc.get"), ("Zc-Account", JUAN)];
    let request = HttpRequest::new("POST", "/zc")
        .with_headers(&headers)
        .with_body(br#"{"ref": "h-000000000001"}"#);
    assert!(ZCLOUD.claims(&request));
    assert_eq!(
        Provider::for_request(&request),
        None,
        "no built-in provider claims it"
    );
    let routed = service.route(&request, "").unwrap();
    assert_eq!(routed.operation, "zc.get");
    assert_eq!(routed.request, json!({"ref": "h-000000000001"}));
    assert_eq!(service.caller_for(routed.credential.as_deref()), JUAN);
    assert_eq!(service.caller_for(None), ZED, "the world's first manager");

    let unknown = [("Zc-Op", "zc.nope")];
    let refused = service
        .route(&HttpRequest::new("POST", "/zc").with_headers(&unknown), "")
        .unwrap_err();
    assert_eq!(
        (refused.status, refused.error),
        (400, Some(ErrorKind::Unsupported))
    );
    assert_eq!(refused.json()["fault"]["code"], "zc.rejected");
}

#[test]
fn the_contract_holds_for_zcloud() {
    contract::all(&registry::entry("zcloud"));
}

/// A zcloud vector file replays through the conformance runner as a built-in provider's does:
/// the runner finds the dialect by the file's `provider` name.
#[test]
fn a_zcloud_vector_replays_through_the_conformance_runner() {
    use org_handshake::conformance::{replay, Reference, VectorFile};
    let text = include_str!("common/zcloud/vectors/zcloud-invite-accept.json");
    let file = VectorFile::parse(text).unwrap();
    let outcomes = replay(&file, &mut Reference::default().with_dialect(&ZCLOUD)).unwrap();
    assert_eq!(outcomes.len(), file.steps.len());
    for outcome in &outcomes {
        assert!(outcome.ok, "{outcome:?}");
    }
    // Without the dialect, the runner does not know the file's provider.
    let err = replay(&file, &mut Reference::default()).unwrap_err();
    assert!(err.to_string().contains("zcloud"), "{err}");
    // A changed expectation fails the step that holds it.
    let mut wrong = file.clone();
    wrong.steps[2].expect.body["handshake"]["phase"] = json!("waiting");
    let outcomes = replay(&wrong, &mut Reference::default().with_dialect(&ZCLOUD)).unwrap();
    assert_eq!(
        outcomes.iter().map(|o| o.ok).collect::<Vec<_>>(),
        [true, true, false, true]
    );
}

/// zcloud's membership vector replays too: a group created, shown and disbanded, members paged,
/// shown and removed, and the refusals in between, each step as zcloud's rules say.
#[test]
fn the_zcloud_membership_vector_replays_through_the_conformance_runner() {
    use org_handshake::conformance::{replay, Reference, VectorFile};
    let text = include_str!("common/zcloud/vectors/zcloud-membership.json");
    let file = VectorFile::parse(text).unwrap();
    let outcomes = replay(&file, &mut Reference::default().with_dialect(&ZCLOUD)).unwrap();
    assert_eq!(outcomes.len(), file.steps.len());
    for outcome in &outcomes {
        assert!(outcome.ok, "{outcome:?}");
    }
}

/// A member leaves (the one membership change the vector does not make succeed), creates a
/// group of its own and disbands it, the ledger following each reply.
#[test]
fn a_member_leaves_then_creates_and_disbands_a_group() {
    let mut service = service();
    let ops = || OPS.parse().unwrap();
    let left = call(&mut service, "zc.leave", OPS, json!({}), &[]);
    assert_eq!(ok(&left), json!({}));
    assert!(left.changed());
    assert_eq!(service.ledger().membership(&ops()), Membership::Standalone);
    let created = call(&mut service, "zc.create", OPS, json!({}), &["o-zc00000042"]);
    assert_eq!(
        ok(&created)["group"],
        json!({"id": "o-zc00000042", "owner": OPS, "owner_name": "ops", "created": EPOCH.timestamp()})
    );
    assert_eq!(
        service.ledger().membership(&ops()),
        Membership::Management("o-zc00000042".parse().unwrap())
    );
    let shown = call(&mut service, "zc.member", OPS, json!({"account": OPS}), &[]);
    assert_eq!(ok(&shown)["member"]["how"], "created");
    assert!(!shown.changed());
    // A group has no feature set, and a request names no other parameter.
    let refused = call(
        &mut service,
        "zc.group",
        OPS,
        json!({"features": "ALL"}),
        &[],
    );
    assert_eq!(fault(&refused, 400, ErrorKind::InvalidInput), "zc.rejected");
    let disbanded = call(&mut service, "zc.disband", OPS, json!({}), &[]);
    assert_eq!(ok(&disbanded), json!({}));
    assert_eq!(service.ledger().membership(&ops()), Membership::Standalone);
}

/// zcloud's default world is data of its description, as a built-in provider's is.
#[test]
fn zcloud_describes_its_default_world() {
    let world = DESCRIPTION.default_world().unwrap();
    assert_eq!(world, common::zcloud::fixtures::world());
    Service::with_dialect(&ZCLOUD, &world).unwrap();
}
