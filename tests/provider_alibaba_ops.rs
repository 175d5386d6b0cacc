//! The Alibaba operation layer: answers the vectors cannot express (an unknown operation, a
//! request that is not a map, missing ids, time going backwards, a world Alibaba cannot show),
//! and properties over arbitrary requests: no panic, every reply is Alibaba's success or error
//! shape with the call's `RequestId`, and a refused call changes nothing.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::ledger::World;
use org_handshake::provider::alibaba::{
    parse_error_response, HandshakeResponse, ListHandshakesResponse, DEFAULT_REQUEST_ID,
};
use org_handshake::provider::{Call, CallError, Provider, Reply, Service};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{json, Value};

const RD: &str = "rd-k3Xt9Qa7";
const MGMT: &str = "1512666876910001";
const MEMBER: &str = "1512666876910002";
const JUAN: &str = "1772422852740001";
const MARY: &str = "1772422852740002";
const MGMT2: &str = "1829301928370001";
const STRANGER: &str = "1999999999990001";
const H1: &str = "h-Ih8IuPfvV0t0Ab12";
const H2: &str = "h-Qm4Zr7Tw2Xk9Pb35";
const H3: &str = "h-Ld6Gs1Yv8Nc3Hf70";

const OPERATIONS: [&str; 7] = [
    "InviteAccountToResourceDirectory",
    "AcceptHandshake",
    "DeclineHandshake",
    "CancelHandshake",
    "GetHandshake",
    "ListHandshakesForAccount",
    "ListHandshakesForResourceDirectory",
];

fn epoch() -> DateTime<Utc> {
    "2026-01-05T10:00:00Z".parse().unwrap()
}

fn world_json(rd: &str) -> Value {
    json!({
        "organizations": [
            {"id": rd, "feature_set": "ALL", "members": [MEMBER],
             "management_account": {"id": MGMT, "name": "CompanyA", "email": "admin@companya.example"}},
            {"id": "rd-b7Yw2PzE", "feature_set": "ALL",
             "management_account": {"id": MGMT2, "name": "CompanyB"}}
        ],
        "accounts": [
            {"id": MEMBER, "name": "ops"},
            {"id": JUAN, "name": "juan", "email": "juan@example.com"},
            {"id": MARY, "name": "mary", "email": "mary@example.com"}
        ]
    })
}

fn service_for(rd: &str) -> Service {
    let world: World = serde_json::from_value(world_json(rd)).unwrap();
    // Built from a ledger rather than through `Service::new`, which refuses a world Alibaba
    // cannot hold: the tests below reach the refusals of a ledger restored from elsewhere.
    let ledger = org_handshake::Ledger::new(org_handshake::Profile::ALIBABA, &world).unwrap();
    Service::from_ledger(Provider::Alibaba.dialect(), ledger)
}

fn call(
    service: &mut Service,
    operation: &str,
    caller: &str,
    now: DateTime<Utc>,
    request: Value,
    new_ids: &[&str],
) -> Result<Reply, CallError> {
    service.call(&Call::new(operation, caller, now, &request).with_new_ids(new_ids))
}

/// A service whose directory has invited Juan by id (H1) and Mary by email (H2) at the epoch.
fn service_with_invitations() -> Service {
    let mut service = service_for(RD);
    for (target, kind, id) in [(JUAN, "Account", H1), ("mary@example.com", "Email", H2)] {
        let reply = call(
            &mut service,
            OPERATIONS[0],
            MGMT,
            epoch(),
            json!({"TargetEntity": target, "TargetType": kind}),
            &[id],
        )
        .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.json());
    }
    service
}

fn ledger_text(service: &Service) -> String {
    serde_json::to_string(service.ledger()).unwrap()
}

/// Calls and checks that the reply is the error `code` with `status`, and that nothing changed.
fn assert_refused(
    service: &mut Service,
    operation: &str,
    caller: &str,
    now: DateTime<Utc>,
    request: Value,
    new_ids: &[&str],
    (status, code): (u16, &str),
) {
    let before = ledger_text(service);
    let reply = call(service, operation, caller, now, request, new_ids).unwrap();
    assert_eq!(
        (reply.status, reply.json()["Code"].as_str()),
        (status, Some(code)),
        "{}",
        reply.json()
    );
    assert_eq!(reply.json()["RequestId"], DEFAULT_REQUEST_ID);
    assert_eq!(
        ledger_text(service),
        before,
        "a refused call changed the ledger"
    );
}

// ---------------------------------------------------------------------------------------------
// What the vectors cannot say

#[test]
fn an_unknown_operation_is_invalid_action_not_found() {
    let mut service = service_with_invitations();
    for name in [
        "DescribeHandshake",
        "accept_handshake",
        "",
        "AcceptHandshake ",
    ] {
        let request = json!({"HandshakeId": H1});
        assert_refused(
            &mut service,
            name,
            JUAN,
            epoch(),
            request,
            &[],
            (404, "InvalidAction.NotFound"),
        );
    }
}

#[test]
fn a_request_that_is_no_map_is_invalid_parameter() {
    let mut service = service_with_invitations();
    for request in [json!([H1]), json!(H1), json!(7), json!(true)] {
        assert_refused(
            &mut service,
            "GetHandshake",
            JUAN,
            epoch(),
            request,
            &[],
            (400, "InvalidParameter"),
        );
    }
    // `null` is an empty request: the required parameter is missing.
    assert_refused(
        &mut service,
        "GetHandshake",
        JUAN,
        epoch(),
        Value::Null,
        &[],
        (400, "MissingParameter.HandshakeId"),
    );
}

#[test]
fn null_is_a_parameter_not_given_and_arrays_are_not_query_values() {
    let mut service = service_with_invitations();
    let null_id = json!({"HandshakeId": null});
    assert_refused(
        &mut service,
        "GetHandshake",
        JUAN,
        epoch(),
        null_id,
        &[],
        (400, "MissingParameter.HandshakeId"),
    );
    let array_id = json!({"HandshakeId": [H1]});
    assert_refused(
        &mut service,
        "GetHandshake",
        JUAN,
        epoch(),
        array_id,
        &[],
        (400, "InvalidParameter.HandshakeId"),
    );
    let array_page = json!({"PageSize": [5]});
    assert_refused(
        &mut service,
        "ListHandshakesForAccount",
        JUAN,
        epoch(),
        array_page,
        &[],
        (400, "InvalidParameter.PageSize"),
    );
    let array_tag = json!({"TargetEntity": MARY, "TargetType": "Account", "Tag.1.Key": ["k"]});
    assert_refused(
        &mut service,
        OPERATIONS[0],
        MGMT,
        epoch(),
        array_tag,
        &[H3],
        (400, "InvalidParameter.Tag.1.Key"),
    );
}

#[test]
fn page_numbers_beyond_alibabas_integer_are_invalid() {
    let mut service = service_with_invitations();
    let page = |n: Value| json!({"PageNumber": n});
    let reply = call(
        &mut service,
        "ListHandshakesForAccount",
        JUAN,
        epoch(),
        page(json!(2_147_483_647)),
        &[],
    )
    .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["TotalCount"], 1);
    assert_eq!(reply.json()["Handshakes"]["Handshake"], json!([]));
    for too_big in [
        json!(2_147_483_648_u64),
        json!("99999999999999999999999999999999999999999"),
    ] {
        assert_refused(
            &mut service,
            "ListHandshakesForAccount",
            JUAN,
            epoch(),
            page(too_big),
            &[],
            (400, "InvalidParameter.PageNumber"),
        );
    }
}

#[test]
fn an_invitation_needs_a_valid_new_id_once_its_request_is_well_formed() {
    let mut service = service_with_invitations();
    let before = ledger_text(&service);
    // A refused invitation draws no id: without ids it gets its own refusal.
    assert_refused(
        &mut service,
        OPERATIONS[0],
        MGMT,
        epoch(),
        json!({"TargetEntity": JUAN, "TargetType": "Account"}),
        &[],
        (409, "EntityAlreadyExists.Handshake"),
    );
    let request = || json!({"TargetEntity": STRANGER, "TargetType": "Account"});
    let missing = call(&mut service, OPERATIONS[0], MGMT, epoch(), request(), &[]);
    assert_eq!(
        missing,
        Err(CallError::MissingNewIds {
            needed: 1,
            given: 0
        })
    );
    let invalid = call(
        &mut service,
        OPERATIONS[0],
        MGMT,
        epoch(),
        request(),
        &["h-0123456789"],
    );
    assert_eq!(invalid.map_err(|e| e.code()), Err("invalid_new_id"));
    // A malformed request is answered without ids.
    let malformed = json!({"TargetType": "Account"});
    assert_refused(
        &mut service,
        OPERATIONS[0],
        MGMT,
        epoch(),
        malformed,
        &[],
        (400, "MissingParameter.TargetEntity"),
    );
    assert_eq!(ledger_text(&service), before);
}

#[test]
fn a_new_id_still_in_use_is_the_harness_mistake() {
    // One path for every provider: an id in use is the harness's mistake, not an Alibaba reply
    // (it used to be `InvalidParameter` here, and a harness error for AWS and Huawei).
    let mut service = service_with_invitations();
    let before = ledger_text(&service);
    let request = json!({"TargetEntity": STRANGER, "TargetType": "Account"});
    let err = call(&mut service, OPERATIONS[0], MGMT, epoch(), request, &[H1]).unwrap_err();
    assert_eq!(err.code(), "new_id_in_use");
    assert!(err.to_string().contains("in use"), "{err}");
    assert_eq!(
        ledger_text(&service),
        before,
        "a refused call changed the ledger"
    );
}

#[test]
fn time_going_backwards_is_a_concurrent_modification() {
    let mut service = service_with_invitations();
    let later = epoch() + TimeDelta::hours(1);
    let reply = call(
        &mut service,
        "DeclineHandshake",
        JUAN,
        later,
        json!({"HandshakeId": H1}),
        &[],
    )
    .unwrap();
    assert_eq!(reply.status, 200);
    let earlier = later - TimeDelta::seconds(1);
    assert_refused(
        &mut service,
        "GetHandshake",
        MGMT,
        earlier,
        json!({"HandshakeId": H2}),
        &[],
        (409, "ConcurrentExecutionError"),
    );
    assert_refused(
        &mut service,
        "CancelHandshake",
        MGMT,
        earlier,
        json!({"HandshakeId": H2}),
        &[],
        (409, "ConcurrentExecutionError"),
    );
}

#[test]
fn a_directory_alibaba_cannot_show_is_refused_before_anything_changes() {
    // A new service refuses such a world outright, naming the id.
    let world: World = serde_json::from_value(world_json("o-exampleorgid")).unwrap();
    let err = Service::new(Provider::Alibaba, &world).unwrap_err();
    assert_eq!(err.code(), "id_outside_pattern");
    assert!(err.to_string().contains("o-exampleorgid"), "{err}");
    // A ledger from elsewhere holding one is refused call by call, before anything changes.
    let mut service = service_for("o-exampleorgid");
    let request = json!({"TargetEntity": JUAN, "TargetType": "Account"});
    assert_refused(
        &mut service,
        OPERATIONS[0],
        MGMT,
        epoch(),
        request,
        &[H1],
        (400, "UnsupportedOperation"),
    );
    // The last second whose 14-day expiry Alibaba can still write.
    let mut service = service_for(RD);
    let edge: DateTime<Utc> = "9999-12-17T23:59:59Z".parse().unwrap();
    let ok = call(
        &mut service,
        OPERATIONS[0],
        MGMT,
        edge,
        json!({"TargetEntity": JUAN, "TargetType": "Account"}),
        &[H1],
    )
    .unwrap();
    assert_eq!(ok.json()["Handshake"]["ExpireTime"], "9999-12-31T23:59:59Z");
    let past = edge + TimeDelta::seconds(1);
    let request = json!({"TargetEntity": MARY, "TargetType": "Account"});
    assert_refused(
        &mut service,
        OPERATIONS[0],
        MGMT,
        past,
        request,
        &[H2],
        (400, "UnsupportedOperation"),
    );
}

#[test]
fn the_request_id_is_echoed_on_success_and_error() {
    let mut service = service_with_invitations();
    for (request, status) in [(json!({"HandshakeId": H1}), 200), (json!({}), 400)] {
        let reply = service
            .call(&Call {
                operation: "GetHandshake",
                caller: JUAN,
                now: epoch(),
                request: &request,
                new_ids: &[],
                request_id: "5828C836-3286-49A6-9006-15231BB19342",
            })
            .unwrap();
        assert_eq!(reply.status, status);
        assert_eq!(
            reply.json()["RequestId"],
            "5828C836-3286-49A6-9006-15231BB19342"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

fn huge_string() -> impl Strategy<Value = String> {
    (
        0usize..20_000,
        prop::sample::select(vec!['x', '9', 'é', '\u{0}', '字']),
    )
        .prop_map(|(n, c)| std::iter::repeat(c).take(n).collect())
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::sample::select(vec![H1, H2, H3, JUAN, MARY, MGMT, MGMT2, STRANGER, "juan@example.com",
            "mary@example.com", "someone@example.com", "Account", "Email", "account", "",
            "h-Ih8IuPfvV0t0****", "1", "10", "100", "101", "0", "-1"]).prop_map(Value::from),
        2 => "h-[0-9A-Za-z]{14,18}".prop_map(Value::from),
        2 => (-5i64..130).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        2 => any::<String>().prop_map(Value::from),
        1 => huge_string().prop_map(Value::from),
    ]
}

/// Any JSON value, scalars biased towards the parameters' own values.
fn any_json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z.0-9]{0,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn parameter_name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec!["HandshakeId", "TargetEntity", "TargetType", "Note", "PageNumber",
            "PageSize", "Tag.1.Key", "Tag.1.Value", "Tag.0.Key", "Tag", "Action", "Version"]).prop_map(str::to_owned),
        1 => "[A-Za-z.0-9]{0,16}",
    ]
}

/// A request: usually a map of parameters (missing, extra and wrongly typed keys included),
/// sometimes any JSON at all.
fn request() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => prop::collection::btree_map(parameter_name(), any_json(), 0..6)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        1 => any_json(),
    ]
}

#[derive(Debug, Clone)]
struct Step {
    operation: String,
    caller: String,
    /// Seconds after the previous step (negative: time going backwards).
    advance: i64,
    request: Value,
    new_ids: Vec<String>,
    request_id: String,
}

/// A well-formed request for `operation` (ids and targets from the world, so that changing
/// calls can succeed), with extra keys now and then.
fn shaped_request(operation: &str) -> BoxedStrategy<Value> {
    let extra = prop::collection::btree_map(parameter_name(), any_json(), 0..2);
    let handshake = prop::sample::select(vec![H1, H2, H3]);
    let base = match operation {
        "InviteAccountToResourceDirectory" => (
            prop::sample::select(vec![
                (JUAN, "Account"),
                (MARY, "Account"),
                (MEMBER, "Account"),
                (MGMT2, "Account"),
                (STRANGER, "Account"),
                ("juan@example.com", "Email"),
                ("someone@example.com", "Email"),
            ]),
            prop::option::of(prop_oneof![any::<String>(), huge_string()]),
        )
            .prop_map(|((entity, kind), note)| {
                let mut request = json!({"TargetEntity": entity, "TargetType": kind});
                if let Some(note) = note {
                    request["Note"] = Value::from(note);
                }
                request
            })
            .boxed(),
        "ListHandshakesForAccount" | "ListHandshakesForResourceDirectory" => {
            (prop::option::of(0i64..5), prop::option::of(0i64..102))
                .prop_map(|(number, size)| {
                    let mut request = json!({});
                    if let Some(number) = number {
                        request["PageNumber"] = Value::from(number);
                    }
                    if let Some(size) = size {
                        request["PageSize"] = Value::from(size);
                    }
                    request
                })
                .boxed()
        }
        _ => handshake.prop_map(|id| json!({"HandshakeId": id})).boxed(),
    };
    (base, extra)
        .prop_map(|(mut request, extra)| {
            if let Value::Object(map) = &mut request {
                for (key, value) in extra {
                    map.entry(key).or_insert(value);
                }
            }
            request
        })
        .boxed()
}

fn step() -> impl Strategy<Value = Step> {
    let operation = prop_oneof![
        12 => prop::sample::select(OPERATIONS.to_vec()).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    let caller = prop_oneof![
        // The parties of the two standing invitations most often, so changing calls succeed.
        10 => prop::sample::select(vec![MGMT, MGMT, MGMT, JUAN, JUAN, JUAN, MARY, MARY, MEMBER, MGMT2, STRANGER])
            .prop_map(str::to_owned),
        1 => "[0-9]{12,17}",
        1 => any::<String>(),
    ];
    let advance = prop_oneof![
        6 => 0i64..3_600,
        2 => 0i64..(50 * 86_400),
        1 => -3_600i64..0,
    ];
    let new_id = prop_oneof![
        2 => prop::sample::select(vec![H1, H2, H3]).prop_map(str::to_owned),
        6 => "h-[0-9A-Za-z]{16}",
        1 => any::<String>(),
    ];
    let request_id = prop_oneof![Just(String::new()), "[0-9A-F-]{1,36}"];
    let with_request = operation.prop_flat_map(|operation| {
        let request = prop_oneof![
            4 => shaped_request(&operation),
            2 => request(),
        ];
        (Just(operation), request)
    });
    (
        with_request,
        caller,
        advance,
        prop::collection::vec(new_id, 0..3),
        request_id,
    )
        .prop_map(
            |((operation, request), caller, advance, new_ids, request_id)| Step {
                operation,
                caller,
                advance,
                request,
                new_ids,
                request_id,
            },
        )
}

/// The status a successful changing call leaves the handshake in.
fn status_after(operation: &str) -> Option<&'static str> {
    match operation {
        "InviteAccountToResourceDirectory" => Some("Pending"),
        "AcceptHandshake" => Some("Accepted"),
        "DeclineHandshake" => Some("Declined"),
        "CancelHandshake" => Some("Cancelled"),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/provider_alibaba_ops.txt"
        )))),
        ..ProptestConfig::with_cases(512)
    })]

    /// Arbitrary calls never panic; each reply is Alibaba's success shape (read back strictly)
    /// or its error shape (with an HTTP error status), with the call's `RequestId`; only a
    /// successful invite, accept, decline or cancel changes the ledger, and it leaves the
    /// handshake in that operation's status.
    #[test]
    fn arbitrary_calls_answer_in_alibabas_shape_and_refusals_change_nothing(
        steps in prop::collection::vec(step(), 1..10)
    ) {
        let mut service = service_with_invitations();
        let mut now = epoch();
        for step in &steps {
            now += TimeDelta::seconds(step.advance);
            let before = ledger_text(&service);
            let ids: Vec<&str> = step.new_ids.iter().map(String::as_str).collect();
            let result = service.call(
                &Call::new(&step.operation, &step.caller, now, &step.request)
                    .with_new_ids(&ids)
                    .with_request_id(&step.request_id),
            );
            let expected_id = if step.request_id.is_empty() { DEFAULT_REQUEST_ID } else { step.request_id.as_str() };
            let reply = match result {
                Ok(reply) => reply,
                Err(err) => {
                    let harness = matches!(err, CallError::MissingNewIds { .. } | CallError::InvalidNewId { .. } | CallError::NewIdInUse { .. });
                    prop_assert!(harness, "{}", err);
                    prop_assert_eq!(step.operation.as_str(), OPERATIONS[0]);
                    prop_assert_eq!(ledger_text(&service), before);
                    continue;
                }
            };
            let body = reply.json();
            prop_assert_eq!(body["RequestId"].as_str(), Some(expected_id));
            let text = &reply.body;
            if reply.status == 200 {
                if step.operation.starts_with("List") {
                    let page = ListHandshakesResponse::from_json(text);
                    prop_assert!(page.is_ok(), "{:?}: {}", page, text);
                } else {
                    let single = HandshakeResponse::from_json(text);
                    prop_assert!(single.is_ok(), "{:?}: {}", single, text);
                }
                match status_after(&step.operation) {
                    Some(status) => prop_assert_eq!(body["Handshake"]["Status"].as_str(), Some(status)),
                    None => prop_assert_eq!(ledger_text(&service), before, "a read changed the ledger"),
                }
            } else {
                prop_assert!((400..=599).contains(&reply.status), "{}", reply.status);
                let error = parse_error_response(reply.status, text);
                prop_assert!(error.is_ok(), "{:?}: {}", error, text);
                prop_assert_eq!(ledger_text(&service), before, "a refused call changed the ledger");
            }
        }
    }
}
