//! The Huawei operation layer (`provider::huawei::ops`): the cases the conformance vectors
//! cannot express (request parts of the wrong shape, unknown operations, time running
//! backwards, harness mistakes, the 1000-handshake default page), and properties: any request
//! to any operation answers Huawei's success or error shape without panicking, and a refused
//! call changes nothing.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::ledger::World;
use org_handshake::provider::huawei::{HandshakeResponse, ListHandshakesResponse, Operation};
use org_handshake::provider::{Call, CallError, Provider, Reply, Service};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{json, Map, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const MGMT_A: &str = "0a6d25d23900d45c0faac010e0fb4de0";
const ORG_A: &str = "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv";
const MEMBER_A: &str = "c106e5ed4e82247cefc536a64bc9070e";
const MGMT_B: &str = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";
const JUAN: &str = "05c734152f00d4200f2bc0179ac6c5e0";
const MARY: &str = "b8e7be5dfa2ce0714d21dcfc7d72382c";
const LI: &str = "4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d";

const H_PENDING: &str = "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w";
const H_ACCEPTED: &str = "h-0k2m4o6q8s0u2w4y6a8c0e2g4i6k8m0o";
const H_CANCELLED: &str = "h-cancelled0000000000000000000001";
const H_DECLINED: &str = "h-declined00000000000000000000001";
const H_BY_NAME: &str = "h-byname0000000000000000000000001";

fn t(s: &str) -> DateTime<Utc> {
    s.parse().expect("a fixed time")
}

/// When the setup's last call happened: the ledger's clock.
fn setup_clock() -> DateTime<Utc> {
    t("2026-01-05T12:00:00Z")
}

fn world() -> World {
    serde_json::from_value(json!({
        "organizations": [
            {"id": ORG_A, "management_account": {"id": MGMT_A, "name": "paas_iam_573331"}, "members": [MEMBER_A]},
            {"id": "o-q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3", "management_account": {"id": MGMT_B, "name": "retail_group_admin"}}
        ],
        "accounts": [
            {"id": MEMBER_A, "name": "member_a"},
            {"id": JUAN, "name": "juan"},
            {"id": MARY, "name": "Mary Major"},
            {"id": LI, "name": "li_lei"}
        ]
    }))
    .expect("a valid world")
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

fn invite_body(kind: &str, entity: &str) -> Value {
    json!({"body": {"target": {"type": kind, "entity": entity}, "notes": ""}})
}

fn on(id: &str) -> Value {
    json!({"path": {"handshake_id": id}})
}

fn ok(service: &mut Service, call: &Call<'_>) -> Result<Value, Box<dyn std::error::Error>> {
    let reply = service.call(call)?;
    if reply.status != 200 {
        return Err(format!(
            "{} answered {} {}",
            call.operation,
            reply.status,
            reply.json()
        )
        .into());
    }
    Ok(reply.json())
}

/// A Huawei service with one handshake in each state but expired: pending, accepted,
/// cancelled, declined, and a pending one to a name.
fn service() -> Result<Service, Box<dyn std::error::Error>> {
    let mut service = Service::new(Provider::Huawei, &world())?;
    let t0 = t("2026-01-05T10:00:00Z");
    let invites = [
        (H_PENDING, "account", JUAN),
        (H_ACCEPTED, "account", MARY),
        (H_CANCELLED, "account", LI),
        (H_DECLINED, "account", MGMT_B),
        (H_BY_NAME, "name", "someone_else"),
    ];
    for (id, kind, entity) in invites {
        let request = invite_body(kind, entity);
        let ids = [id];
        ok(
            &mut service,
            &call("invite_account", MGMT_A, t0, &request, &ids),
        )?;
    }
    let t1 = t("2026-01-05T11:00:00Z");
    ok(
        &mut service,
        &call("accept_handshake", MARY, t1, &on(H_ACCEPTED), &[]),
    )?;
    ok(
        &mut service,
        &call("cancel_handshake", MGMT_A, t1, &on(H_CANCELLED), &[]),
    )?;
    ok(
        &mut service,
        &call(
            "decline_handshake",
            MGMT_B,
            setup_clock(),
            &on(H_DECLINED),
            &[],
        ),
    )?;
    Ok(service)
}

fn snapshot(service: &Service) -> String {
    serde_json::to_string(service.ledger()).expect("the ledger serializes")
}

fn error_code(reply: &Reply) -> String {
    reply.json()["error_code"].as_str().unwrap_or("").to_owned()
}

// ---------------------------------------------------------------------------------------------
// What the vectors cannot say.

#[test]
fn the_default_page_holds_1000_handshakes() -> TestResult {
    let accounts: Vec<String> = (1..=1001).map(|i| format!("{i:032x}")).collect();
    let world: World = serde_json::from_value(json!({
        "organizations": [{"id": ORG_A, "management_account": {"id": MGMT_A, "name": "paas_iam_573331"}}],
        "accounts": accounts.iter().enumerate().map(|(i, id)| json!({"id": id, "name": format!("account_{i}")})).collect::<Vec<_>>()
    }))?;
    let mut service = Service::new(Provider::Huawei, &world)?;
    let t0 = t("2026-01-05T10:00:00Z");
    for (i, account) in accounts.iter().enumerate() {
        // Accepted at once, so the daily quota of 20 never stops the next invitation.
        let now = t0 + TimeDelta::seconds(i64::try_from(i)?);
        let id = format!("h-{i:010}");
        let ids = [id.as_str()];
        ok(
            &mut service,
            &call(
                "invite_account",
                MGMT_A,
                now,
                &invite_body("account", account),
                &ids,
            ),
        )?;
        ok(
            &mut service,
            &call("accept_handshake", account, now, &on(&id), &[]),
        )?;
    }
    let now = t0 + TimeDelta::hours(1);
    let first = ok(
        &mut service,
        &call("list_handshakes", MGMT_A, now, &json!({}), &[]),
    )?;
    let first = ListHandshakesResponse::from_json(&first.to_string())?;
    assert_eq!(first.handshakes.len(), 1000);
    assert_eq!(first.page_info.current_count, 1000);
    let marker = first.next_marker()?.ok_or("a second page")?;
    let request = json!({"query": {"marker": marker.as_str()}});
    let second = ok(
        &mut service,
        &call("list_handshakes", MGMT_A, now, &request, &[]),
    )?;
    assert_eq!(second["handshakes"].as_array().map(Vec::len), Some(1));
    assert_eq!(second["handshakes"][0]["id"], "h-0000001000");
    assert_eq!(second["page_info"]["next_marker"], Value::Null);
    Ok(())
}

#[test]
fn time_running_backwards_is_a_concurrent_modification() -> TestResult {
    let mut service = service()?;
    let before = snapshot(&service);
    let earlier = setup_clock() - TimeDelta::seconds(1);
    for (operation, caller, request) in [
        ("show_handshake", JUAN, on(H_PENDING)),
        ("accept_handshake", JUAN, on(H_PENDING)),
        ("cancel_handshake", MGMT_A, on(H_PENDING)),
        ("list_received_handshakes", JUAN, json!({})),
        ("list_handshakes", MGMT_A, json!({})),
    ] {
        let reply = service.call(&call(operation, caller, earlier, &request, &[]))?;
        assert_eq!(
            (reply.status, error_code(&reply).as_str()),
            (409, "Organizations.1003"),
            "{operation}"
        );
    }
    let ids = ["h-newinvitation0001"];
    let reply = service.call(&call(
        "invite_account",
        MGMT_A,
        earlier,
        &invite_body("account", "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f"),
        &ids,
    ))?;
    assert_eq!(error_code(&reply), "Organizations.1003");
    assert_eq!(snapshot(&service), before);
    Ok(())
}

#[test]
fn unknown_operations_answer_the_unsupported_row() -> TestResult {
    let mut service = service()?;
    let before = snapshot(&service);
    for operation in [
        "AcceptHandshake",
        "show_received_handshake",
        "",
        "accept_handshake ",
    ] {
        let reply = service.call(&call(operation, JUAN, setup_clock(), &on(H_PENDING), &[]))?;
        assert_eq!(
            (reply.status, error_code(&reply).as_str()),
            (400, "Organizations.Unverified.Unsupported"),
            "{operation:?}"
        );
    }
    assert_eq!(snapshot(&service), before);
    Ok(())
}

#[test]
fn request_parts_must_be_objects() -> TestResult {
    let mut service = service()?;
    let now = setup_clock();
    for request in [
        json!("path"),
        json!([]),
        json!(7),
        json!({"path": []}),
        json!({"path": "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w"}),
        json!({"query": true}),
        json!({"header": {}}),
        json!({"path": {"handshake_id": H_PENDING}, "headers": {"X-Security-Token": "t"}}),
    ] {
        let reply = service.call(&call("show_handshake", JUAN, now, &request, &[]))?;
        assert_eq!(
            (reply.status, error_code(&reply).as_str()),
            (400, "Organizations.Unverified.InvalidParameter"),
            "{request}"
        );
    }
    // `null` is an empty request, and a `null` part an absent one.
    let empty = service.call(&call(
        "list_received_handshakes",
        JUAN,
        now,
        &Value::Null,
        &[],
    ))?;
    assert_eq!(empty.status, 200);
    let null_part = json!({"path": null, "query": null, "body": null});
    let listed = service.call(&call(
        "list_received_handshakes",
        JUAN,
        now,
        &null_part,
        &[],
    ))?;
    assert_eq!(listed.json(), empty.json());
    Ok(())
}

#[test]
fn a_malformed_caller_is_refused_before_the_request() -> TestResult {
    let mut service = service()?;
    for (operation, expected) in [
        ("show_handshake", "Organizations.1001"),
        ("list_received_handshakes", "Organizations.1001"),
        ("list_handshakes", "Organizations.1002"),
    ] {
        // The request is malformed too: the caller is checked first.
        let request = json!({"path": {}, "query": {"limit": 0}});
        for caller in ["", "not an account!", &"a".repeat(65)] {
            let reply = service.call(&call(operation, caller, setup_clock(), &request, &[]))?;
            assert_eq!(
                (reply.status, error_code(&reply).as_str()),
                (401, expected),
                "{caller:?}"
            );
        }
    }
    Ok(())
}

#[test]
fn invalid_input_names_the_huawei_parameter() -> TestResult {
    let mut service = service()?;
    let now = setup_clock();
    let cases = [
        ("show_handshake", json!({}), "`handshake_id`"),
        ("list_handshakes", json!({"query": {"limit": 0}}), "`limit`"),
        (
            "list_handshakes",
            json!({"query": {"marker": "never-issued"}}),
            "`marker`",
        ),
        (
            "list_received_handshakes",
            json!({"query": {"marker": "abc"}}),
            "`marker`",
        ),
        (
            "invite_account",
            json!({"body": {"target": {"type": "account", "entity": MARY}}}),
            "`notes`",
        ),
        (
            "invite_account",
            json!({"body": {"target": {"type": "email", "entity": MARY}, "notes": ""}}),
            "`target.type`",
        ),
        (
            "invite_account",
            json!({"body": {"target": {"type": "account", "entity": MARY}, "notes": "", "tags": [{"key": "k", "value": 1}]}}),
            "`tags[0].value`",
        ),
    ];
    for (operation, request, parameter) in cases {
        let reply = service.call(&call(operation, MGMT_A, now, &request, &[]))?;
        assert_eq!(reply.status, 400, "{request}");
        let body = reply.json();
        let message = body["error_msg"].as_str().unwrap_or("");
        assert!(
            message.contains(parameter),
            "{message:?} should name {parameter}"
        );
    }
    Ok(())
}

#[test]
fn new_ids_the_harness_gets_wrong_are_call_errors() -> TestResult {
    let mut service = service()?;
    let before = snapshot(&service);
    let now = setup_clock();
    let request = invite_body("account", "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f");
    let err = service
        .call(&call("invite_account", MGMT_A, now, &request, &[]))
        .unwrap_err();
    assert_eq!(
        err,
        CallError::MissingNewIds {
            needed: 1,
            given: 0
        }
    );
    for bad in ["h-UPPERCASE01", "h-1234567", "not-an-id"] {
        let ids = [bad];
        let err = service
            .call(&call("invite_account", MGMT_A, now, &request, &ids))
            .unwrap_err();
        assert_eq!(err.code(), "invalid_new_id", "{bad}");
    }
    // An id a handshake still holds: Huawei makes its own ids, so this is the harness's fault.
    let ids = [H_CANCELLED];
    let err = service
        .call(&call("invite_account", MGMT_A, now, &request, &ids))
        .unwrap_err();
    assert!(matches!(err, CallError::NewIdInUse { id } if id.as_str() == H_CANCELLED));
    assert_eq!(snapshot(&service), before);

    // A malformed request is answered without any id; ids are ignored where nothing is created.
    let malformed = json!({"body": {"notes": ""}});
    let reply = service.call(&call("invite_account", MGMT_A, now, &malformed, &[]))?;
    assert_eq!(reply.status, 400);
    let ids = ["whatever"];
    let reply = service.call(&call("show_handshake", JUAN, now, &on(H_PENDING), &ids))?;
    assert_eq!(reply.status, 200);
    Ok(())
}

#[test]
fn an_id_of_a_purged_handshake_may_be_reused() -> TestResult {
    let mut service = service()?;
    // Cancelled at 11:00; gone 30 days later.
    let later = t("2026-02-04T11:00:00Z");
    let ids = [H_CANCELLED];
    let request = invite_body("account", LI);
    let body = ok(
        &mut service,
        &call("invite_account", MGMT_A, later, &request, &ids),
    )?;
    assert_eq!(body["handshake"]["status"], "pending");
    assert_eq!(body["handshake"]["created_at"], "2026-02-04T11:00:00Z");
    Ok(())
}

#[test]
fn every_success_reads_back_as_huawei_json() -> TestResult {
    let mut service = service()?;
    let now = setup_clock() + TimeDelta::days(1);
    let singles = [
        ("show_handshake", JUAN, on(H_PENDING)),
        ("show_handshake", MGMT_A, on(H_BY_NAME)),
        ("show_handshake", MGMT_B, on(H_DECLINED)),
        ("decline_handshake", JUAN, on(H_PENDING)),
    ];
    for (operation, caller, request) in singles {
        let body = ok(&mut service, &call(operation, caller, now, &request, &[]))?;
        HandshakeResponse::from_json(&body.to_string())?.to_handshake()?;
    }
    for (operation, caller) in [
        ("list_handshakes", MGMT_A),
        ("list_received_handshakes", JUAN),
    ] {
        let body = ok(&mut service, &call(operation, caller, now, &json!({}), &[]))?;
        ListHandshakesResponse::from_json(&body.to_string())?.to_handshakes()?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Properties.

const OPERATIONS: [&str; 7] = [
    "invite_account",
    "accept_handshake",
    "decline_handshake",
    "cancel_handshake",
    "show_handshake",
    "list_handshakes",
    "list_received_handshakes",
];

const KNOWN_IDS: [&str; 5] = [H_PENDING, H_ACCEPTED, H_CANCELLED, H_DECLINED, H_BY_NAME];
const KNOWN_ACCOUNTS: [&str; 6] = [MGMT_A, MEMBER_A, MGMT_B, JUAN, MARY, LI];

fn huge_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x".repeat(1024)),
        Just("x".repeat(1025)),
        Just("é".repeat(401)),
        Just("9".repeat(100_000)),
    ]
}

/// Values a parameter might be given: right ones, wrong types, edge lengths, huge strings.
fn field_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(2),
            Just(1000),
            Just(2000),
            Just(2001),
            Just(-1)
        ]
        .prop_map(Value::from),
        prop::sample::select(KNOWN_IDS.to_vec()).prop_map(Value::from),
        prop::sample::select(KNOWN_ACCOUNTS.to_vec()).prop_map(Value::from),
        prop::sample::select(vec![
            "account",
            "name",
            "email",
            "juan",
            "Mary Major",
            "",
            "20"
        ])
        .prop_map(Value::from),
        "[ -~]{0,48}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        huge_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object holding some of `keys` (and maybe others), each with a [`field_value`].
fn object_of(keys: Vec<&'static str>, extra: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    let known = prop::collection::vec((prop::sample::select(keys), extra), 0..4);
    let unknown = prop::collection::vec(("[a-z_]{1,10}", field_value()), 0..2);
    (known, unknown)
        .prop_map(|(known, unknown)| {
            let mut map = Map::new();
            for (key, value) in known {
                map.insert(key.to_owned(), value);
            }
            for (key, value) in unknown {
                map.insert(key, value);
            }
            Value::Object(map)
        })
        .boxed()
}

fn target() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => (
            prop::sample::select(vec!["account", "name"]),
            prop_oneof![
                prop::sample::select(KNOWN_ACCOUNTS.to_vec()).prop_map(str::to_owned),
                prop::sample::select(vec!["juan", "Mary Major", "li_lei", "someone_else"]).prop_map(str::to_owned),
                "[0-9a-f]{32}",
                "[ -~]{0,70}",
            ],
        )
            .prop_map(|(kind, entity)| json!({"type": kind, "entity": entity})),
        1 => object_of(vec!["type", "entity"], field_value().boxed()),
        1 => field_value(),
    ]
    .boxed()
}

fn tags() -> BoxedStrategy<Value> {
    prop_oneof![
        prop::collection::vec(
            prop_oneof![
                ("[a-z]{0,8}", "[a-z]{0,8}").prop_map(|(k, v)| json!({"key": k, "value": v})),
                object_of(vec!["key", "value"], field_value().boxed()),
            ],
            0..3
        )
        .prop_map(Value::from),
        field_value(),
    ]
    .boxed()
}

fn body() -> BoxedStrategy<Value> {
    let well_formed = (
        target(),
        prop_oneof![
            "[ -~]{0,32}".prop_map(Value::from),
            huge_string().prop_map(Value::from),
            field_value()
        ],
        prop::option::of(tags()),
    )
        .prop_map(|(target, notes, tags)| {
            let mut map = Map::new();
            map.insert("target".into(), target);
            map.insert("notes".into(), notes);
            if let Some(tags) = tags {
                map.insert("tags".into(), tags);
            }
            Value::Object(map)
        });
    prop_oneof![
        3 => well_formed,
        1 => object_of(vec!["target", "notes", "tags"], field_value().boxed()),
    ]
    .boxed()
}

fn path() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => prop::sample::select(KNOWN_IDS.to_vec()).prop_map(|id| json!({"handshake_id": id})),
        1 => "h-[0-9a-z]{8,32}".prop_map(|id| json!({"handshake_id": id})),
        1 => object_of(vec!["handshake_id"], field_value().boxed()),
    ]
    .boxed()
}

fn query() -> BoxedStrategy<Value> {
    prop_oneof![
        2 => (1i64..30).prop_map(|limit| json!({"limit": limit})),
        1 => object_of(vec!["limit", "marker"], field_value().boxed()),
    ]
    .boxed()
}

/// A Huawei request: mostly the right parts with fuzzed contents, sometimes parts of the wrong
/// type, unknown parts, or not an object at all.
fn request() -> impl Strategy<Value = Value> {
    let parts = (
        prop::option::of(path()),
        prop::option::of(query()),
        prop::option::of(body()),
    )
        .prop_map(|(path, query, body)| {
            let mut map = Map::new();
            for (name, part) in [("path", path), ("query", query), ("body", body)] {
                if let Some(part) = part {
                    map.insert(name.into(), part);
                }
            }
            Value::Object(map)
        });
    prop_oneof![
        8 => parts,
        1 => object_of(vec!["path", "query", "body"], field_value().boxed()),
        1 => field_value(),
    ]
}

fn operation() -> impl Strategy<Value = String> {
    prop_oneof![
        9 => prop::sample::select(OPERATIONS.to_vec()).prop_map(str::to_owned),
        1 => "[ -~]{0,24}",
    ]
}

fn caller() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(KNOWN_ACCOUNTS.to_vec()).prop_map(str::to_owned),
        1 => "[0-9a-f]{32}",
        1 => "[ -~]{0,70}",
    ]
}

fn new_ids() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            4 => "h-[0-9a-z]{8,32}",
            1 => prop::sample::select(KNOWN_IDS.to_vec()).prop_map(str::to_owned),
            1 => "[ -~]{0,40}",
        ],
        0..3,
    )
}

/// One call's operation, caller, request and new ids.
type Input = (String, String, Value, Vec<String>);

/// Calls that are well formed and made by a plausible caller, so that every operation also
/// succeeds often (a fuzzed call is mostly refused for its form).
fn plausible() -> impl Strategy<Value = Input> {
    let recipients = vec![JUAN, MARY, LI, MGMT_B, MEMBER_A];
    let invite = (
        prop::sample::select(vec![MGMT_A, MGMT_A, MGMT_B, MEMBER_A]),
        prop_oneof![
            prop::sample::select(KNOWN_ACCOUNTS.to_vec()).prop_map(|a| ("account", a.to_owned())),
            "[0-9a-f]{32}".prop_map(|a| ("account", a)),
            prop::sample::select(vec![
                "juan",
                "Mary Major",
                "li_lei",
                "someone_else",
                "member_a"
            ])
            .prop_map(|n| ("name", n.to_owned())),
        ],
        "[ -~]{0,32}",
        "h-[0-9a-z]{8,32}",
    )
        .prop_map(|(caller, (kind, entity), notes, id)| {
            (
                "invite_account".to_owned(),
                caller.to_owned(),
                json!({"body": {"target": {"type": kind, "entity": entity}, "notes": notes}}),
                vec![id],
            )
        });
    // Each known handshake with its recipient, so that the parties act often.
    let parties = vec![
        (H_PENDING, JUAN),
        (H_PENDING, JUAN),
        (H_PENDING, JUAN),
        (H_ACCEPTED, MARY),
        (H_CANCELLED, LI),
        (H_DECLINED, MGMT_B),
        (H_BY_NAME, MEMBER_A),
    ];
    let respond = (
        prop::sample::select(vec![
            "accept_handshake",
            "decline_handshake",
            "cancel_handshake",
            "show_handshake",
        ]),
        prop::sample::select(parties),
        prop_oneof![
            2 => Just(None),
            1 => Just(Some(MGMT_A)),
            1 => prop::sample::select(recipients).prop_map(Some),
        ],
    )
        .prop_map(|(operation, (id, recipient), caller)| {
            (
                operation.to_owned(),
                caller.unwrap_or(recipient).to_owned(),
                json!({"path": {"handshake_id": id}}),
                Vec::new(),
            )
        });
    let list = (
        prop::sample::select(vec!["list_handshakes", "list_received_handshakes"]),
        prop::sample::select(KNOWN_ACCOUNTS.to_vec()),
        prop::option::of(1i64..=6),
    )
        .prop_map(|(operation, caller, limit)| {
            let request = match limit {
                Some(limit) => json!({"query": {"limit": limit}}),
                None => json!({}),
            };
            (operation.to_owned(), caller.to_owned(), request, Vec::new())
        });
    prop_oneof![2 => invite, 3 => respond, 1 => list]
}

/// A fuzzed call half of the time, a plausible one the other half.
fn input() -> impl Strategy<Value = Input> {
    prop_oneof![(operation(), caller(), request(), new_ids()), plausible(),]
}

/// From a minute before the setup's clock (refused as a concurrent modification) to past
/// every expiry and purge (14 + 30 days).
fn now() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![(-60i64..=0), (0i64..=86_400), (0i64..=50 * 86_400),]
        .prop_map(|seconds| setup_clock() + TimeDelta::seconds(seconds))
}

/// Checks one answer: the shape it must have, and that a refusal (or a read) changed nothing.
fn check_answer(
    operation: &str,
    answer: &Result<Reply, CallError>,
    before: &str,
    after: &str,
) -> Result<(), TestCaseError> {
    let changes = matches!(
        operation.parse::<Operation>(),
        Ok(Operation::InviteAccount
            | Operation::AcceptHandshake
            | Operation::DeclineHandshake
            | Operation::CancelHandshake)
    );
    match answer {
        Err(_) => prop_assert_eq!(after, before, "a harness error changed the ledger"),
        Ok(reply) if reply.status == 200 => {
            let text = reply.body.clone();
            match operation.parse::<Operation>() {
                Ok(op) if op.is_list() => {
                    let page = ListHandshakesResponse::from_json(&text)
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    page.to_handshakes()
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                }
                Ok(_) => {
                    HandshakeResponse::from_json(&text)
                        .and_then(|r| r.to_handshake())
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                }
                Err(_) => prop_assert!(false, "an unknown operation succeeded"),
            }
            if !changes {
                prop_assert_eq!(after, before, "a read changed the ledger");
            }
        }
        Ok(reply) => {
            prop_assert!(
                (400..500).contains(&reply.status),
                "status {}",
                reply.status
            );
            let json = reply.json();
            let body = json.as_object();
            prop_assert!(
                body.is_some_and(|b| b.len() == 2
                    && b.get("error_code")
                        .and_then(Value::as_str)
                        .is_some_and(|c| c.starts_with("Organizations."))
                    && b.get("error_msg")
                        .and_then(Value::as_str)
                        .is_some_and(|m| !m.is_empty())),
                "not a huawei error body: {}",
                reply.json()
            );
            prop_assert_eq!(after, before, "a refused call changed the ledger");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_huawei_ops.txt")))),
        ..ProptestConfig::with_cases(1024)
    })]

    /// Any request to any operation, by any caller at any time, answers Huawei's success or
    /// error shape, and a refused call changes nothing.
    #[test]
    fn any_call_answers_huawei_shapes_and_refusals_change_nothing(
        (operation, caller, request, new_ids) in input(),
        now in now(),
    ) {
        let mut service = service().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let before = snapshot(&service);
        let new_ids: Vec<&str> = new_ids.iter().map(String::as_str).collect();
        let answer = service.call(&call(&operation, &caller, now, &request, &new_ids));
        let after = snapshot(&service);
        check_answer(&operation, &answer, &before, &after)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_huawei_ops.txt")))),
        ..ProptestConfig::with_cases(256)
    })]

    /// Sequences of calls: every answer keeps its shape, and each refusal changes nothing,
    /// whatever came before.
    #[test]
    fn call_sequences_keep_the_contract(
        calls in prop::collection::vec((input(), 0i64..=20 * 86_400), 1..8),
    ) {
        let mut service = service().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut clock = setup_clock();
        for ((operation, caller, request, new_ids), step) in calls {
            clock += TimeDelta::seconds(step / 8);
            let before = snapshot(&service);
            let new_ids: Vec<&str> = new_ids.iter().map(String::as_str).collect();
            let answer = service.call(&call(&operation, &caller, clock, &request, &new_ids));
            let after = snapshot(&service);
            check_answer(&operation, &answer, &before, &after)?;
        }
    }
}
