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
//!   `limit` 20, Alibaba `ListHandshakesForAccount` with `PageNumber` 1 and `PageSize` 20),
//!   each request written from the neutral one by the dialect (`write_call`).
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
use org_handshake::ledger::{HandshakeFilter, PageRequest, World};
use org_handshake::provider::{Call, Dialect, Listing, Provider, Request, Service};
use org_handshake::{HandshakeId, Notes, Party, SeededIds};
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
    page_number: u32,
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

/// What differs between providers: ids of their patterns, and the plain request and reply types
/// of the limit. The requests themselves are neutral, written by each dialect (`write_call`).
struct Shape {
    /// The provider's name, as `Provider::as_str` spells it.
    name: &'static str,
    organization: fn(usize) -> String,
    management: fn(usize) -> String,
    recipient: &'static str,
    /// The describe call side by side with its limit's types.
    describe: SideBySide,
    /// The list call side by side with its limit's types.
    list: SideBySide,
}

/// [`side_by_side`] with a provider's plain request and reply types.
type SideBySide = fn(&mut Criterion, &str, &mut Service, &str, &str, &Value);

fn shapes() -> Vec<Shape> {
    vec![
        Shape {
            name: "aws",
            organization: |i| format!("o-benchorg{i:02}"),
            management: |i| format!("1000000000{i:02}"),
            recipient: "222222222222",
            describe: side_by_side::<AwsDescribeRequest, AwsOne>,
            list: side_by_side::<AwsListRequest, AwsPage>,
        },
        Shape {
            name: "huawei",
            organization: |i| format!("o-fhkmi6mek7wlqdp6nideqhb47qwtjd{i:02}"),
            management: |i| format!("0a6d25d23900d45c0faac010e0fb4d{i:02}"),
            recipient: "05c734152f00d4200f2bc0179ac6c5e0",
            describe: side_by_side::<HuaweiDescribeRequest, HuaweiOne>,
            list: side_by_side::<HuaweiListRequest, HuaweiPage>,
        },
        Shape {
            name: "alibaba",
            organization: |i| format!("rd-k3Xt9Q{i:02}"),
            management: |i| format!("15126668769100{i:02}"),
            recipient: "1772422852740001",
            describe: side_by_side::<AlibabaDescribeRequest, AlibabaOne>,
            list: side_by_side::<AlibabaListRequest, AlibabaPage>,
        },
    ]
}

/// `request` in the provider's shape.
fn written(dialect: &dyn Dialect, request: &Request) -> (&'static str, Value) {
    dialect
        .write_call(request)
        .unwrap_or_else(|err| panic!("{}: {err}", dialect.name()))
}

/// The first page of 20 of the caller's received handshakes, in the provider's kind of page.
fn list20(dialect: &dyn Dialect) -> (&'static str, Value) {
    let listing = |page| {
        Request::ListForAccount(Listing {
            filter: HandshakeFilter::NONE,
            page,
        })
    };
    dialect
        .write_call(&listing(PageRequest::first(20)))
        .unwrap_or_else(|_| {
            written(
                dialect,
                &listing(PageRequest::Number {
                    number: 1,
                    size: 20,
                }),
            )
        })
}

fn now() -> DateTime<Utc> {
    "2026-01-05T10:00:00Z".parse().unwrap()
}

/// A service whose recipient has one invitation from each of 20 organizations, and the id of
/// the first.
fn service(dialect: &'static dyn Dialect, shape: &Shape) -> (Service, HandshakeId) {
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
    let mut service = Service::with_dialect(dialect, &world).unwrap();
    let mut ids = SeededIds::new(11);
    let mut first = None;
    let invite = Request::Invite {
        target: Party::Account(shape.recipient.parse().unwrap()),
        notes: Some(Notes::parse("Welcome aboard: the platform team's organization.").unwrap()),
    };
    let (operation, request) = written(dialect, &invite);
    for i in 0..SENDERS {
        let caller = (shape.management)(i);
        let reply = service
            .call_with(&Call::new(operation, &caller, now(), &request), &mut ids)
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        first.get_or_insert_with(|| dialect.handshake_in(&reply.json()).unwrap().id());
    }
    (service, first.unwrap())
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
    let shapes = shapes();
    for provider in Provider::values() {
        let dialect = provider.dialect();
        let shape = shapes
            .iter()
            .find(|shape| shape.name == dialect.name())
            .unwrap_or_else(|| panic!("{provider}: add its shape and plain types"));
        let (mut service, first) = service(dialect, shape);
        let (describe_operation, describe) = written(dialect, &Request::Describe(first));
        let (list_operation, list) = list20(dialect);
        let recipient = shape.recipient;
        (shape.describe)(
            c,
            &format!("{provider}/describe"),
            &mut service,
            describe_operation,
            recipient,
            &describe,
        );
        (shape.list)(
            c,
            &format!("{provider}/list20"),
            &mut service,
            list_operation,
            recipient,
            &list,
        );
    }
}

criterion_group!(benches, calls);
criterion_main!(benches);
