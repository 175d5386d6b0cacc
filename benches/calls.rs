//! A whole call through [`Service`]: request JSON text in, reply JSON text out, side by side
//! with its limit in the same run.
//!
//! For each provider, two calls against a ledger where one account has received 20
//! invitations (from 20 organizations, each with notes):
//!
//! - `describe`: AWS `DescribeHandshake`, Huawei `show_handshake`, Alibaba `GetHandshake` of one
//!   of them;
//! - `list20`: the account's received handshakes, one full page of 20 (AWS
//!   `ListHandshakesForAccount` with `MaxResults` 20, Huawei `list_received_handshakes` with
//!   `limit` 20, Alibaba `ListHandshakesForAccount` with `PageSize` 20).
//!
//! The ids are `<provider>/<call>/<side>`:
//!
//! - `service`: `serde_json::from_str::<Value>(request)`, then [`Service::call`], then the
//!   reply's body text (what an HTTP layer sends) — every check the provider makes included;
//! - `serde_limit`: plain serde_json on derived structs with the same keys and plain
//!   string/number fields and no checks: parse the same request text, then render the same
//!   reply body (built once from the service's own reply, outside the timing).
//!
//! Goal: `service` ≤ 1.5× `serde_limit`. Run with `cargo bench --bench calls`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use org_handshake::conformance::match_subset;
use org_handshake::ledger::World;
use org_handshake::provider::{Call, Provider, Service};
use org_handshake::SeededIds;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{json, Value};

const SENDERS: usize = 20;

// ---------------------------------------------------------------------------------------------
// The limit: plain derived structs.

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AwsDescribeRequest {
    handshake_id: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AwsListRequest {
    max_results: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AwsOne {
    handshake: AwsHandshake,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AwsPage {
    handshakes: Vec<AwsHandshake>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AwsHandshake {
    id: String,
    arn: String,
    parties: Vec<AwsParty>,
    state: String,
    requested_timestamp: f64,
    expiration_timestamp: f64,
    action: String,
    resources: Vec<AwsResource>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AwsParty {
    id: String,
    #[serde(rename = "Type")]
    kind: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AwsResource {
    value: String,
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resources: Option<Vec<AwsResource>>,
}

#[derive(Serialize, Deserialize)]
struct HuaweiDescribeRequest {
    path: HuaweiPath,
}

#[derive(Serialize, Deserialize)]
struct HuaweiPath {
    handshake_id: String,
}

#[derive(Serialize, Deserialize)]
struct HuaweiListRequest {
    query: HuaweiQuery,
}

#[derive(Serialize, Deserialize)]
struct HuaweiQuery {
    limit: u32,
}

#[derive(Serialize, Deserialize)]
struct HuaweiOne {
    handshake: HuaweiHandshake,
}

#[derive(Serialize, Deserialize)]
struct HuaweiPage {
    handshakes: Vec<HuaweiHandshake>,
    page_info: HuaweiPageInfo,
}

#[derive(Serialize, Deserialize)]
struct HuaweiPageInfo {
    next_marker: Option<String>,
    current_count: u32,
}

#[derive(Serialize, Deserialize)]
struct HuaweiHandshake {
    id: String,
    urn: String,
    updated_at: String,
    created_at: String,
    expired_at: String,
    management_account_id: String,
    management_account_name: String,
    organization_id: String,
    notes: String,
    target: HuaweiTarget,
    status: String,
}

#[derive(Serialize, Deserialize)]
struct HuaweiTarget {
    #[serde(rename = "type")]
    kind: String,
    entity: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AlibabaDescribeRequest {
    handshake_id: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AlibabaListRequest {
    page_size: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AlibabaOne {
    handshake: AlibabaHandshake,
    request_id: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AlibabaPage {
    handshakes: AlibabaList,
    page_number: u32,
    page_size: u32,
    request_id: String,
    total_count: u32,
}

#[derive(Serialize, Deserialize)]
struct AlibabaList {
    #[serde(rename = "Handshake")]
    handshake: Vec<AlibabaHandshake>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AlibabaHandshake {
    create_time: String,
    expire_time: String,
    handshake_id: String,
    master_account_id: String,
    master_account_name: String,
    modify_time: String,
    note: String,
    resource_directory_id: String,
    status: String,
    target_entity: String,
    target_type: String,
}

// ---------------------------------------------------------------------------------------------
// The ledger.

/// What differs between providers: ids of their patterns, and their operations' names and
/// request shapes.
struct Shape {
    provider: Provider,
    organization: fn(usize) -> String,
    management: fn(usize) -> String,
    recipient: &'static str,
    invite: (&'static str, fn(&str) -> Value),
    describe: (&'static str, fn(&str) -> Value),
    list: (&'static str, Value),
}

fn shapes() -> Vec<Shape> {
    vec![
        Shape {
            provider: Provider::Aws,
            organization: |i| format!("o-benchorg{i:02}"),
            management: |i| format!("1000000000{i:02}"),
            recipient: "222222222222",
            invite: (
                "InviteAccountToOrganization",
                |to| json!({"Target": {"Id": to, "Type": "ACCOUNT"}, "Notes": "Welcome aboard: the platform team's organization."}),
            ),
            describe: ("DescribeHandshake", |id| json!({"HandshakeId": id})),
            list: ("ListHandshakesForAccount", json!({"MaxResults": 20})),
        },
        Shape {
            provider: Provider::Huawei,
            organization: |i| format!("o-fhkmi6mek7wlqdp6nideqhb47qwtjd{i:02}"),
            management: |i| format!("0a6d25d23900d45c0faac010e0fb4d{i:02}"),
            recipient: "05c734152f00d4200f2bc0179ac6c5e0",
            invite: (
                "invite_account",
                |to| json!({"body": {"target": {"type": "account", "entity": to}, "notes": "Welcome aboard: the platform team's organization."}}),
            ),
            describe: ("show_handshake", |id| json!({"path": {"handshake_id": id}})),
            list: ("list_received_handshakes", json!({"query": {"limit": 20}})),
        },
        Shape {
            provider: Provider::Alibaba,
            organization: |i| format!("rd-k3Xt9Q{i:02}"),
            management: |i| format!("15126668769100{i:02}"),
            recipient: "1772422852740001",
            invite: (
                "InviteAccountToResourceDirectory",
                |to| json!({"TargetEntity": to, "TargetType": "Account", "Note": "Welcome aboard: the platform team's organization."}),
            ),
            describe: ("GetHandshake", |id| json!({"HandshakeId": id})),
            list: ("ListHandshakesForAccount", json!({"PageSize": 20})),
        },
    ]
}

fn now() -> DateTime<Utc> {
    "2026-01-05T10:00:00Z".parse().unwrap()
}

/// A service whose recipient has one invitation from each of 20 organizations, and the id of
/// the first.
fn service(shape: &Shape) -> (Service, String) {
    let organizations: Vec<Value> = (0..SENDERS)
        .map(|i| {
            json!({"id": (shape.organization)(i), "feature_set": "ALL",
                   "management_account": {"id": (shape.management)(i), "name": format!("platform{i:02}"),
                                          "email": format!("platform{i:02}@example.com")}})
        })
        .collect();
    let world: World = serde_json::from_value(json!({
        "organizations": organizations,
        "accounts": [{"id": shape.recipient, "name": "juan", "email": "juan@example.com"}],
    }))
    .unwrap();
    let mut service = Service::new(shape.provider, &world).unwrap();
    let mut ids = SeededIds::new(11);
    let mut first = None;
    for i in 0..SENDERS {
        let (operation, request) = (shape.invite.0, (shape.invite.1)(shape.recipient));
        let caller = (shape.management)(i);
        let reply = service
            .call_with(&Call::new(operation, &caller, now(), &request), &mut ids)
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        first.get_or_insert_with(|| id_of(&reply.json()));
    }
    (service, first.unwrap())
}

fn id_of(body: &Value) -> String {
    ["/Handshake/Id", "/handshake/id", "/Handshake/HandshakeId"]
        .iter()
        .find_map(|p| body.pointer(p).and_then(Value::as_str))
        .unwrap()
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// The bench.

/// Times one call both ways. `Req` and `Rep` are the plain request and reply types.
fn side_by_side<Req, Rep>(
    c: &mut Criterion,
    name: &str,
    service: &mut Service,
    operation: &str,
    caller: &str,
    request: &Value,
) where
    Req: Serialize + DeserializeOwned,
    Rep: Serialize + DeserializeOwned,
{
    let text = request.to_string();
    let reply = service
        .call(&Call::new(operation, caller, now(), request))
        .unwrap();
    assert_eq!(reply.status, 200, "{name}: {}", reply.body);
    // The limit renders the same reply: built from the service's own, and checked to say the
    // same (the plain structs carry every key; numbers compared by value).
    let plain: Rep = serde_json::from_str(&reply.body).unwrap();
    let plain_value = serde_json::to_value(&plain).unwrap();
    match_subset(&plain_value, &reply.json()).unwrap();
    match_subset(&reply.json(), &plain_value).unwrap();
    let _: Req = serde_json::from_str(&text).unwrap();

    let mut group = c.benchmark_group(name);
    group.bench_function("service", |b| {
        b.iter(|| {
            let request: Value = serde_json::from_str(black_box(&text)).unwrap();
            let reply = service
                .call(&Call::new(operation, caller, now(), &request))
                .unwrap();
            reply.body
        })
    });
    group.bench_function("serde_limit", |b| {
        b.iter(|| {
            let request: Req = serde_json::from_str(black_box(&text)).unwrap();
            black_box(request);
            serde_json::to_string(black_box(&plain)).unwrap()
        })
    });
    group.finish();
}

fn calls(c: &mut Criterion) {
    for shape in shapes() {
        let (mut service, first) = service(&shape);
        let provider = shape.provider.as_str();
        let describe = (shape.describe.1)(&first);
        let (list_operation, list) = (shape.list.0, &shape.list.1);
        let recipient = shape.recipient;
        let describe_name = format!("{provider}/describe");
        let list_name = format!("{provider}/list20");
        match shape.provider {
            Provider::Aws => {
                side_by_side::<AwsDescribeRequest, AwsOne>(
                    c,
                    &describe_name,
                    &mut service,
                    shape.describe.0,
                    recipient,
                    &describe,
                );
                side_by_side::<AwsListRequest, AwsPage>(
                    c,
                    &list_name,
                    &mut service,
                    list_operation,
                    recipient,
                    list,
                );
            }
            Provider::Huawei => {
                side_by_side::<HuaweiDescribeRequest, HuaweiOne>(
                    c,
                    &describe_name,
                    &mut service,
                    shape.describe.0,
                    recipient,
                    &describe,
                );
                side_by_side::<HuaweiListRequest, HuaweiPage>(
                    c,
                    &list_name,
                    &mut service,
                    list_operation,
                    recipient,
                    list,
                );
            }
            Provider::Alibaba => {
                side_by_side::<AlibabaDescribeRequest, AlibabaOne>(
                    c,
                    &describe_name,
                    &mut service,
                    shape.describe.0,
                    recipient,
                    &describe,
                );
                side_by_side::<AlibabaListRequest, AlibabaPage>(
                    c,
                    &list_name,
                    &mut service,
                    list_operation,
                    recipient,
                    list,
                );
            }
        }
    }
}

criterion_group!(benches, calls);
criterion_main!(benches);
