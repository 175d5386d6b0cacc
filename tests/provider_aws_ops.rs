//! The AWS operation layer: arbitrary requests to every operation never panic, are answered
//! with success or an AWS error body, and a refused call changes nothing; plus regression
//! tests for what the conformance vectors found.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::ledger::{Ledger, LedgerError, World};
use org_handshake::provider::{aws, Call, CallError, Provider, Reply, Service};
use org_handshake::Failure;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};
use serde_json::{json, Map, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn world() -> World {
    serde_json::from_value(json!({
        "organizations": [{
            "id": "o-exampleorgid",
            "management_account": {"id": "111111111111", "name": "Org Master Account", "email": "bill@example.com"},
            "feature_set": "CONSOLIDATED_BILLING",
            "members": ["333333333333"]
        }],
        "accounts": [
            {"id": "222222222222", "name": "juan", "email": "juan@example.com"},
            {"id": "333333333333", "name": "mary"}
        ]
    }))
    .unwrap()
}

/// Regression: inviting one's own management account rendered as
/// MasterCannotLeaveOrganizationException, which is for a management account accepting an
/// invitation to another organization; design.md wants ALREADY_IN_AN_ORGANIZATION.
#[test]
fn inviting_ones_own_management_account_is_already_in_an_organization() -> TestResult {
    let err = LedgerError::RecipientAlreadyInOrganization {
        account: "111111111111".parse()?,
        organization: "o-exampleorgid".parse()?,
        is_management_account: true,
    };
    let response = aws::error_response(&Failure::from(err), "", "");
    assert_eq!(response.status, 409);
    assert_eq!(
        response.json()["__type"],
        "HandshakeConstraintViolationException"
    );
    assert_eq!(response.json()["Reason"], "ALREADY_IN_AN_ORGANIZATION");

    let ledger = Ledger::new(Provider::Aws.profile(), &world())?;
    let request = json!({"Target": {"Id": "111111111111", "Type": "ACCOUNT"}});
    let ids = ["h-0123456789abcdef"];
    let mut service = Service::from_ledger(Provider::Aws.dialect(), ledger);
    let reply = service.call(
        &Call::new(
            "InviteAccountToOrganization",
            "111111111111",
            "2026-01-05T10:00:00Z".parse()?,
            &request,
        )
        .with_new_ids(&ids),
    )?;
    assert_eq!(reply.json()["Reason"], "ALREADY_IN_AN_ORGANIZATION");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const MGMT: &str = "111111111111";
const JUAN: &str = "222222222222";
const MARY: &str = "333333333333";
const STRANGER: &str = "444444444444";
const INVITED: &str = "h-0000000000000000000000000000f001";
const DECLINED: &str = "h-0000000000000000000000000000f002";

const OPERATIONS: [&str; 8] = [
    "InviteAccountToOrganization",
    "AcceptHandshake",
    "DeclineHandshake",
    "CancelHandshake",
    "DescribeHandshake",
    "ListHandshakesForAccount",
    "ListHandshakesForOrganization",
    "EnableAllFeatures",
];

fn t0() -> DateTime<Utc> {
    "2026-01-05T10:00:00Z".parse().unwrap()
}

fn call<'a>(
    operation: &'a str,
    caller: &'a str,
    now: DateTime<Utc>,
    request: &'a Value,
    new_ids: &'a [&'a str],
) -> Call<'a> {
    Call::new(operation, caller, now, request).with_new_ids(new_ids)
}

/// A service with one OPEN invitation to juan and one declined by the stranger.
fn service() -> Service {
    let mut service = Service::new(Provider::Aws, &world()).unwrap();
    let steps = [
        (
            "InviteAccountToOrganization",
            MGMT,
            json!({"Target": {"Id": JUAN, "Type": "ACCOUNT"}, "Notes": "hi"}),
            vec![INVITED],
        ),
        (
            "InviteAccountToOrganization",
            MGMT,
            json!({"Target": {"Id": STRANGER, "Type": "ACCOUNT"}}),
            vec![DECLINED],
        ),
        (
            "DeclineHandshake",
            STRANGER,
            json!({"HandshakeId": DECLINED}),
            vec![],
        ),
    ];
    for (operation, caller, request, ids) in steps {
        let reply = service
            .call(&call(operation, caller, t0(), &request, &ids))
            .unwrap();
        assert_eq!(reply.status, 200, "{operation}: {}", reply.json());
    }
    service
}

fn snapshot(service: &Service) -> String {
    serde_json::to_string(service.ledger()).unwrap()
}

/// Checks that `reply` is an AWS answer: a success body of the operation's shape, or an AWS
/// error body whose exception is in the error table, with its table status.
fn check_aws_shape(operation: &str, reply: &Reply) -> Result<(), TestCaseError> {
    let Value::Object(body) = &reply.json() else {
        return Err(TestCaseError::fail(format!(
            "body is not an object: {}",
            reply.json()
        )));
    };
    if reply.status == 200 {
        let text = reply.body.clone();
        if operation.starts_with("ListHandshakes") {
            let page = aws::ListHandshakesResponse::from_json(&text)
                .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            prop_assert!(page.to_handshakes().is_ok(), "{}", text);
        } else {
            let one = aws::HandshakeResponse::from_json(&text)
                .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            prop_assert!(one.to_handshake().is_ok(), "{}", text);
        }
        return Ok(());
    }
    prop_assert!(
        body.keys()
            .all(|k| ["__type", "Message", "Reason"].contains(&k.as_str())),
        "unexpected error members: {}",
        reply.json()
    );
    let exception = body
        .get("__type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let reason = body.get("Reason").and_then(Value::as_str);
    prop_assert!(
        body.get("Message").is_some_and(Value::is_string),
        "{}",
        reply.json()
    );
    let row = aws::ERROR_CODES
        .iter()
        .find(|row| row.code.as_str() == exception && row.reason == reason);
    prop_assert!(row.is_some(), "not in the error table: {}", reply.json());
    prop_assert_eq!(
        row.map(|r| r.status),
        Some(reply.status),
        "{}",
        reply.json()
    );
    Ok(())
}

/// One call, with the properties every call must have: no panic, an AWS answer, and nothing
/// changed unless it succeeded.
fn checked_call(service: &mut Service, c: &Call<'_>) -> Result<Option<Reply>, TestCaseError> {
    let before = snapshot(service);
    let result = service.call(c);
    let changed = snapshot(service) != before;
    match result {
        Ok(reply) => {
            check_aws_shape(c.operation, &reply)?;
            if reply.status != 200 {
                prop_assert!(
                    !changed,
                    "refused with {} but the ledger changed",
                    reply.json()
                );
            }
            Ok(Some(reply))
        }
        Err(err) => {
            prop_assert!(!changed, "harness error {err} but the ledger changed");
            Ok(None)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generators

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            INVITED, DECLINED, "h-0123456789", "h-BAD", "h-", "", MGMT, JUAN, MARY, STRANGER,
            "juan@example.com", "nobody@example.org", "not-an-email", "o-exampleorgid",
            "ACCOUNT", "EMAIL", "ORGANIZATION", "INVITE", "ENABLE_ALL_FEATURES",
            "APPROVE_ALL_FEATURES", "account", "\u{0}", "h-00000000\u{e9}",
        ]).prop_map(str::to_owned),
        3 => any::<String>(),
        1 => (0usize..3, 1usize..140_000).prop_map(|(c, n)| ["x", "é", "h"][c].repeat(n)),
    ]
}

fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "HandshakeId", "Target", "Id", "Type", "Notes", "Tags", "Key", "Value", "Filter",
            "ActionType", "ParentHandshakeId", "NextToken", "MaxResults",
        ]).prop_map(str::to_owned),
        1 => "[A-Za-z$]{1,12}",
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-5i64..30).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<u64>().prop_map(Value::from),
        arb_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The members of a well-formed request for `operation`, drawn from values that succeed,
/// fail later checks, or fail the form.
fn arb_valid_for(operation: &str) -> BoxedStrategy<Value> {
    let handshake_id = || {
        prop_oneof![
            4 => prop::sample::select(vec![INVITED, DECLINED, "h-0123456789", "h-BAD"]).prop_map(str::to_owned),
            1 => "h-[0-9a-f]{8,32}",
        ]
    };
    match operation {
        "InviteAccountToOrganization" => (
            prop::sample::select(vec![
                JUAN,
                MARY,
                MGMT,
                "555555555555",
                "juan@example.com",
                "x@example.org",
                "12",
            ]),
            prop::sample::select(vec!["ACCOUNT", "EMAIL", "ORGANIZATION", "FOO"]),
            prop::option::of("[a-z ]{0,20}"),
        )
            .prop_map(|(id, kind, notes)| {
                let mut request = json!({"Target": {"Id": id, "Type": kind}});
                if let Some(notes) = notes {
                    request["Notes"] = json!(notes);
                }
                request
            })
            .boxed(),
        "ListHandshakesForAccount" | "ListHandshakesForOrganization" => (
            prop::option::of(prop_oneof![
                prop::sample::select(vec!["INVITE", "APPROVE_ALL_FEATURES", "NOPE"])
                    .prop_map(|a| json!({"ActionType": a})),
                handshake_id().prop_map(|p| json!({"ParentHandshakeId": p})),
            ]),
            prop::option::of(-1i64..25),
            prop::option::of(prop_oneof![Just("00".to_owned()), "[0-9a-f]{20,80}"]),
        )
            .prop_map(|(filter, max, token)| {
                let mut request = json!({});
                if let Some(filter) = filter {
                    request["Filter"] = filter;
                }
                if let Some(max) = max {
                    request["MaxResults"] = json!(max);
                }
                if let Some(token) = token {
                    request["NextToken"] = json!(token);
                }
                request
            })
            .boxed(),
        "EnableAllFeatures" => Just(json!({})).boxed(),
        _ => handshake_id()
            .prop_map(|id| json!({"HandshakeId": id}))
            .boxed(),
    }
}

/// A request for `operation`: mostly well formed, sometimes with one member replaced, removed
/// or added, sometimes any JSON at all.
fn arb_request_for(operation: &str) -> BoxedStrategy<Value> {
    let mutated = (arb_valid_for(operation), arb_key(), arb_json(), 0u8..2).prop_map(
        |(mut request, key, value, how)| {
            if let Value::Object(map) = &mut request {
                if how == 0 {
                    map.insert(key, value);
                } else {
                    map.remove(&key);
                }
            }
            request
        },
    );
    prop_oneof![6 => arb_valid_for(operation), 2 => mutated, 1 => arb_json()].boxed()
}

fn arb_operation() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => prop::sample::select(OPERATIONS.to_vec()).prop_map(str::to_owned),
        1 => "[A-Za-z]{0,24}",
    ]
}

fn arb_caller() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => prop::sample::select(vec![MGMT, JUAN, MARY, STRANGER, "555555555555"]).prop_map(str::to_owned),
        1 => "[0-9a-z]{0,14}",
    ]
}

fn arb_new_ids() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            8 => "h-[0-9a-f]{8,32}",
            1 => prop::sample::select(vec![INVITED, "h-BAD", ""]).prop_map(str::to_owned),
        ],
        0..4,
    )
}

/// Seconds after `t0`: mostly within the validity and retention periods, sometimes far out
/// (year 9999 and beyond AWS's timestamps) or before the ledger's clock.
fn arb_now() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        8 => (0i64..60 * 86_400).prop_map(|s| t0() + TimeDelta::seconds(s)),
        1 => Just("9999-12-30T00:00:00Z".parse().unwrap()),
        1 => Just("2025-01-01T00:00:00Z".parse().unwrap()),
    ]
}

#[derive(Debug, Clone)]
struct ArbCall {
    operation: String,
    caller: String,
    now: DateTime<Utc>,
    request: Value,
    new_ids: Vec<String>,
}

fn arb_call() -> impl Strategy<Value = ArbCall> {
    arb_operation()
        .prop_flat_map(|operation| {
            let request = arb_request_for(&operation);
            (
                Just(operation),
                arb_caller(),
                arb_now(),
                request,
                arb_new_ids(),
            )
        })
        .prop_map(|(operation, caller, now, request, new_ids)| ArbCall {
            operation,
            caller,
            now,
            request,
            new_ids,
        })
}

fn persistence() -> Option<Box<dyn proptest::test_runner::FailurePersistence>> {
    Some(Box::new(FileFailurePersistence::Direct(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/proptest-regressions/provider_aws_ops.txt"
    ))))
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: persistence(), ..ProptestConfig::with_cases(512) })]

    /// Any one call to any operation: no panic; success with the operation's AWS body or an
    /// AWS error from the table; a refused call changes nothing.
    #[test]
    fn any_call_is_answered_as_aws_and_refusals_change_nothing(c in arb_call()) {
        let mut service = service();
        let ids: Vec<&str> = c.new_ids.iter().map(String::as_str).collect();
        checked_call(&mut service, &call(&c.operation, &c.caller, c.now, &c.request, &ids))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: persistence(), ..ProptestConfig::with_cases(128) })]

    /// Sequences of calls (times in any order, so some go backwards): every call keeps the
    /// properties above, from whatever state the earlier ones left.
    #[test]
    fn call_sequences_keep_the_properties(calls in prop::collection::vec(arb_call(), 1..10)) {
        let mut service = service();
        for c in &calls {
            let ids: Vec<&str> = c.new_ids.iter().map(String::as_str).collect();
        checked_call(&mut service, &call(&c.operation, &c.caller, c.now, &c.request, &ids))?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Edges the vectors cannot carry

fn answer(
    service: &mut Service,
    operation: &str,
    caller: &str,
    request: Value,
    ids: &[&str],
) -> Reply {
    let before = snapshot(service);
    let reply = service
        .call(&call(
            operation,
            caller,
            t0() + TimeDelta::hours(1),
            &request,
            ids,
        ))
        .unwrap();
    if reply.status != 200 {
        assert_eq!(
            snapshot(service),
            before,
            "{operation} refused but changed the ledger"
        );
    }
    reply
}

#[test]
fn unknown_operations_are_invalid_action() {
    let mut service = service();
    for name in [
        "CreateHandshake",
        "describeHandshake",
        "",
        "AWSOrganizationsV20161128.DescribeHandshake",
    ] {
        let reply = answer(&mut service, name, MGMT, json!({}), &[]);
        assert_eq!(
            (reply.status, reply.json()["__type"].as_str()),
            (400, Some("UnknownOperationException")),
            "{name}"
        );
    }
}

#[test]
fn a_body_that_is_not_an_object_is_a_serialization_error() {
    let mut service = service();
    for operation in OPERATIONS {
        for body in [json!([]), json!("x"), json!(1), json!(null), json!(true)] {
            let reply = answer(&mut service, operation, MGMT, body.clone(), &[]);
            assert_eq!(
                (reply.status, reply.json()["__type"].as_str()),
                (400, Some("SerializationException")),
                "{operation} {body}"
            );
        }
    }
}

#[test]
fn huge_strings_are_refused_by_length_without_panicking() {
    let mut service = service();
    let huge = "h".repeat(1_000_000);
    let cases = [
        (
            "DescribeHandshake",
            json!({"HandshakeId": huge}),
            "MAX_LENGTH_EXCEEDED",
        ),
        (
            "ListHandshakesForOrganization",
            json!({"NextToken": "a".repeat(100_001)}),
            "MAX_LENGTH_EXCEEDED",
        ),
        (
            "ListHandshakesForOrganization",
            json!({"NextToken": "a".repeat(100_000)}),
            "INVALID_NEXT_TOKEN",
        ),
        (
            "InviteAccountToOrganization",
            json!({"Target": {"Id": JUAN, "Type": "ACCOUNT"}, "Notes": huge}),
            "MAX_LENGTH_EXCEEDED",
        ),
        (
            "InviteAccountToOrganization",
            json!({"Target": {"Id": huge, "Type": "EMAIL"}}),
            "MAX_LENGTH_EXCEEDED",
        ),
        (
            "InviteAccountToOrganization",
            json!({"Target": {"Id": JUAN, "Type": huge}}),
            "INVALID_ENUM",
        ),
        (
            "InviteAccountToOrganization",
            json!({"Target": {"Id": JUAN, "Type": "ACCOUNT"}, "Tags": [{"Key": "k", "Value": "v".repeat(257)}]}),
            "MAX_LENGTH_EXCEEDED",
        ),
    ];
    for (operation, request, reason) in cases {
        let reply = answer(
            &mut service,
            operation,
            MGMT,
            request,
            &["h-0000000000000000000000000000f009"],
        );
        assert_eq!(
            (reply.status, reply.json()["Reason"].as_str()),
            (400, Some(reason)),
            "{operation}"
        );
    }
}

#[test]
fn notes_count_characters_not_bytes() {
    let mut service = service();
    let notes = "é".repeat(1024); // 2048 bytes
    let reply = answer(
        &mut service,
        "InviteAccountToOrganization",
        MGMT,
        json!({"Target": {"Id": "555555555555", "Type": "ACCOUNT"}, "Notes": notes}),
        &["h-0000000000000000000000000000f009"],
    );
    assert_eq!(reply.status, 200, "{}", reply.json());
}

#[test]
fn missing_or_reused_new_ids_are_the_harness_s_mistake() {
    let mut service = service();
    let before = snapshot(&service);
    let invite = json!({"Target": {"Id": "555555555555", "Type": "ACCOUNT"}});
    let err = service
        .call(&call(
            "InviteAccountToOrganization",
            MGMT,
            t0(),
            &invite,
            &[],
        ))
        .unwrap_err();
    assert_eq!(
        err,
        CallError::MissingNewIds {
            needed: 1,
            given: 0
        }
    );

    // EnableAllFeatures: the parent and one child for mary.
    let one = ["h-0000000000000000000000000000f00a"];
    let err = service
        .call(&call("EnableAllFeatures", MGMT, t0(), &json!({}), &one))
        .unwrap_err();
    assert_eq!(
        err,
        CallError::MissingNewIds {
            needed: 2,
            given: 1
        }
    );

    let reused = [INVITED];
    let err = service
        .call(&call(
            "InviteAccountToOrganization",
            MGMT,
            t0(),
            &invite,
            &reused,
        ))
        .unwrap_err();
    assert_eq!(err.code(), "new_id_in_use");
    assert!(err.to_string().contains("in use"), "{err}");
    assert_eq!(snapshot(&service), before);

    // A malformed request is answered without asking for ids.
    let reply = service
        .call(&call(
            "InviteAccountToOrganization",
            MGMT,
            t0(),
            &json!({}),
            &[],
        ))
        .unwrap();
    assert_eq!(reply.json()["Reason"], "INPUT_REQUIRED");

    // Extra ids are ignored.
    let ids = [
        "h-0000000000000000000000000000f00b",
        "h-0000000000000000000000000000f00c",
    ];
    let reply = service
        .call(&call(
            "InviteAccountToOrganization",
            MGMT,
            t0(),
            &invite,
            &ids,
        ))
        .unwrap();
    assert_eq!(
        reply.json()["Handshake"]["Id"],
        "h-0000000000000000000000000000f00b"
    );
}

#[test]
fn what_aws_cannot_show_is_refused_before_anything_changes() -> TestResult {
    // An organization id outside AWS's pattern.
    let world: World = serde_json::from_value(json!({
        "organizations": [{"id": "rd-abc123", "management_account": {"id": MGMT, "name": "rd"}}]
    }))?;
    // A new service refuses such a world outright, naming the id; a ledger from elsewhere
    // holding one is refused call by call, before anything changes.
    let err = Service::new(Provider::Aws, &world).unwrap_err();
    assert_eq!(err.code(), "id_outside_pattern");
    assert!(err.to_string().contains("rd-abc123"), "{err}");
    let ledger = Ledger::new(Provider::Aws.profile(), &world)?;
    let mut service = Service::from_ledger(Provider::Aws.dialect(), ledger);
    let reply = answer(
        &mut service,
        "InviteAccountToOrganization",
        MGMT,
        json!({"Target": {"Id": JUAN, "Type": "ACCOUNT"}}),
        &["h-0000000000000000000000000000f00d"],
    );
    assert_eq!(
        (reply.status, reply.json()["__type"].as_str()),
        (403, Some("UnsupportedAPIEndpointException"))
    );
    assert!(service.ledger().is_empty());

    // A handshake that would expire after 9999.
    let mut service = Service::new(Provider::Aws, &self::world())?;
    let request = json!({"Target": {"Id": JUAN, "Type": "ACCOUNT"}});
    let ids = ["h-0000000000000000000000000000f00e"];
    let late = "9999-12-25T00:00:00Z".parse()?;
    let reply = service.call(&call(
        "InviteAccountToOrganization",
        MGMT,
        late,
        &request,
        &ids,
    ))?;
    assert_eq!(reply.status, 403);
    assert!(service.ledger().is_empty());
    let early = "1969-12-31T23:59:59Z".parse()?;
    let reply = service.call(&call(
        "InviteAccountToOrganization",
        MGMT,
        early,
        &request,
        &ids,
    ))?;
    assert_eq!(reply.status, 403);
    assert!(service.ledger().is_empty());
    Ok(())
}

#[test]
fn time_going_backwards_is_a_concurrent_modification() {
    let mut service = service();
    let request = json!({"HandshakeId": INVITED});
    let before = snapshot(&service);
    let reply = service
        .call(&call(
            "AcceptHandshake",
            JUAN,
            t0() - TimeDelta::seconds(1),
            &request,
            &[],
        ))
        .unwrap();
    assert_eq!(
        (reply.status, reply.json()["__type"].as_str()),
        (409, Some("ConcurrentModificationException"))
    );
    assert_eq!(snapshot(&service), before);
}

#[test]
fn the_service_doc_example_answers_404() -> TestResult {
    let mut service = Service::new(Provider::Aws, &World::default())?;
    let request = json!({"HandshakeId": "h-0123456789"});
    let reply = service.call(&call("DescribeHandshake", MGMT, t0(), &request, &[]))?;
    assert_eq!(
        (reply.status, reply.json()["__type"].as_str()),
        (404, Some("HandshakeNotFoundException"))
    );
    Ok(())
}
