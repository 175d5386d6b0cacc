//! `Dialect::encode` is the inverse of `Dialect::route`: a call written as the provider's SDK
//! sends it routes back to the same operation, the same request (up to what the protocol
//! carries: Alibaba and Huawei query values travel as text) and a credential naming the caller,
//! for every operation of every dialect (the tests' zcloud included). Over the whole corpus, a
//! step sent through the wire form gets the very reply the step gets in process.

mod common;

use common::registry::{registry, Registered};
use common::vectors;
use org_handshake::conformance::{
    match_subset_text, replay, Implementation, Reference, Step, VectorFile, World,
};
use org_handshake::provider::{Call, Dialect, Provider, Service};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// The RPC protocol's own parameters, which Alibaba's gateway takes as the protocol's, not the
/// operation's (the V2 signature style's names, and `RegionId`).
const ALIBABA_PROTOCOL: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "Signature",
    "SecurityToken",
    "RegionId",
];

/// A value as text in a query: strings as they are, the rest as JSON; `null` left out.
fn as_text(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(_) => Some(value.clone()),
        other => Some(Value::String(other.to_string())),
    }
}

/// The path parameter of a Huawei operation, if its path holds one.
fn huawei_path_parameter(operation: &str) -> Option<&'static str> {
    match operation {
        "accept_handshake" | "decline_handshake" | "cancel_handshake" | "show_handshake" => {
            Some("handshake_id")
        }
        "show_account" | "remove_account" => Some("account_id"),
        _ => None,
    }
}

/// What `route` must give back for `request`, by the provider's protocol: `None` when the
/// protocol has no form for it.
fn carried(dialect: &str, operation: &str, request: &Value) -> Option<Value> {
    let (_, carries) = CARRIED
        .iter()
        .find(|(name, _)| *name == dialect)
        .unwrap_or_else(|| panic!("no protocol rule for `{dialect}`: add it to CARRIED"));
    carries(operation, request)
}

/// What a protocol carries of a request (operation, request → what `route` gives back).
type Carries = fn(&str, &Value) -> Option<Value>;

/// Each dialect's protocol rule, keyed by its name (the protocol is the provider's own);
/// `every_dialect_has_a_protocol_rule` checks that none is missing.
const CARRIED: &[(&str, Carries)] = &[
    // AWS and zcloud carry the JSON body as it is.
    ("aws", |_, request| Some(request.clone())),
    ("zcloud", |_, request| Some(request.clone())),
    ("huawei", huawei_carried),
    ("alibaba", |_, request| {
        Some(Value::Object(
            request
                .as_object()
                .map(|map| {
                    map.iter()
                        .filter(|(k, _)| !ALIBABA_PROTOCOL.contains(&k.as_str()))
                        .filter_map(|(k, v)| Some((k.clone(), as_text(v)?)))
                        .collect()
                })
                .unwrap_or_default(),
        ))
    }),
];

/// Huawei's REST protocol: the path parameter (an empty one has no form), the query as text,
/// the body as it is.
fn huawei_carried(operation: &str, request: &Value) -> Option<Value> {
    let mut out = Map::new();
    if let Some(name) = huawei_path_parameter(operation) {
        match request.get("path").and_then(|path| path.get(name)) {
            Some(Value::String(id)) if !id.is_empty() => {
                let mut path = Map::new();
                path.insert(name.into(), Value::String(id.clone()));
                out.insert("path".into(), Value::Object(path));
            }
            _ => return None,
        }
    }
    if let Some(Value::Object(query)) = request.get("query") {
        let query: Map<String, Value> = query
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), as_text(v)?)))
            .collect();
        if !query.is_empty() {
            out.insert("query".into(), Value::Object(query));
        }
    }
    if let Some(body) = request.get("body") {
        out.insert("body".into(), body.clone());
    }
    Some(Value::Object(out))
}

#[test]
fn every_dialect_has_a_protocol_rule() {
    for entry in registry_static() {
        let name = entry.dialect.name();
        assert!(
            CARRIED.iter().any(|(rule, _)| *rule == name),
            "{name}: add its protocol rule to CARRIED"
        );
    }
}

/// Any JSON leaf, strings with the characters a URL must escape.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[ -~]{0,12}".prop_map(Value::String),
        "\\PC{0,6}".prop_map(Value::String),
        any::<i32>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        // Binary fractions: serde_json reads back the exact float only for these without its
        // `float_roundtrip` feature, a parser limit that is not the encoding's.
        (-4000i32..4000).prop_map(|n| Value::from(f64::from(n) / 4.0)),
    ]
}

/// `sample` with every leaf possibly replaced and keys possibly added.
fn perturbed(sample: Value) -> impl Strategy<Value = Value> {
    fn walk(value: &Value, leaves: &mut std::slice::Iter<'_, Option<Value>>) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), walk(v, leaves)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| walk(v, leaves)).collect()),
            leaf => match leaves.next() {
                Some(Some(new)) => new.clone(),
                _ => leaf.clone(),
            },
        }
    }
    (
        proptest::collection::vec(proptest::option::weighted(0.5, leaf()), 8),
        proptest::option::of(("[A-Za-z][A-Za-z0-9._]{0,8}", leaf())),
    )
        .prop_map(move |(leaves, extra)| {
            let mut value = walk(&sample, &mut leaves.iter());
            if let (Some((key, leaf)), Value::Object(map)) = (extra, &mut value) {
                map.entry(key).or_insert(leaf);
            }
            value
        })
}

/// A caller as a credential: an account id of one of the providers' patterns, or any token.
fn caller() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{12}",
        "[0-9]{16}",
        "[0-9a-f]{32}",
        "[A-Za-z0-9-]{1,20}",
    ]
}

/// A dialect, one of its operations and a request perturbed from one of its samples.
fn arb_call() -> impl Strategy<Value = (usize, &'static str, Value, String)> {
    let dialects = registry();
    let count = dialects.len();
    (0..count).prop_flat_map(move |index| {
        let entry: &Registered = &registry_static()[index];
        let operations = entry.dialect.operations();
        let samples: Vec<Value> = entry.samples.iter().map(|(_, r)| r.clone()).collect();
        (
            Just(index),
            proptest::sample::select(operations),
            proptest::sample::select(samples).prop_flat_map(perturbed),
            caller(),
        )
    })
}

fn registry_static() -> &'static [Registered] {
    static REGISTRY: std::sync::OnceLock<Vec<Registered>> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(registry)
}

proptest! {
    #![proptest_config(common::proptest_config(512, "proptest-regressions/encoding.txt"))]

    /// route(encode(call)) is the call, for every dialect and every operation.
    #[test]
    fn route_reads_back_what_encode_wrote((index, operation, request, caller) in arb_call()) {
        let dialect = registry_static()[index].dialect;
        let expected = carried(dialect.name(), operation, &request);
        match (dialect.encode(operation, &caller, &request), expected) {
            (Ok(call), Some(expected)) => {
                prop_assert!(call.with_request(|r| dialect.claims(r)), "{call:?} is not claimed");
                let routed = call.with_request(|r| dialect.route(r));
                let routed = routed.map_err(|e| TestCaseError::fail(format!("{call:?}: {e}")))?;
                prop_assert_eq!(routed.operation, operation);
                prop_assert_eq!(routed.request, expected, "{:?}", call);
                prop_assert_eq!(routed.credential.as_deref(), Some(caller.as_str()));
            }
            (Err(_), None) => {}
            (encoded, expected) => prop_assert!(false, "encode gave {encoded:?}, the protocol carries {expected:?}"),
        }
    }
}

#[test]
fn every_operation_of_every_dialect_is_encoded() {
    for entry in registry_static() {
        for operation in entry.dialect.operations() {
            let request = entry
                .samples
                .iter()
                .find(|(op, _)| op == operation)
                .map(|(_, request)| request.clone())
                .unwrap_or_else(|| panic!("{}: no sample of {operation}", entry.dialect.name()));
            let call = entry
                .dialect
                .encode(operation, "111111111111", &request)
                .unwrap_or_else(|e| panic!("{e}"));
            let routed = call.with_request(|r| entry.dialect.route(r)).unwrap();
            assert_eq!(routed.operation, *operation);
        }
    }
}

/// The wire forms the providers' SDKs were captured sending (protocols reference).
#[test]
fn encoded_calls_look_as_the_sdks_send_them() {
    let aws = Provider::Aws
        .dialect()
        .encode(
            "DescribeHandshake",
            "111111111111",
            &serde_json::json!({"HandshakeId": "h-0123456789"}),
        )
        .unwrap();
    assert_eq!((aws.method.as_str(), aws.target().as_str()), ("POST", "/"));
    assert_eq!(
        aws.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert!(aws
        .header("authorization")
        .unwrap()
        .starts_with("AWS4-HMAC-SHA256 Credential=111111111111/"));
    assert_eq!(aws.body, br#"{"HandshakeId":"h-0123456789"}"#);

    let huawei = Provider::Huawei
        .dialect()
        .encode(
            "accept_handshake",
            "0a6d25d23900d45c0faac010e0fb4de0",
            &serde_json::json!({"path": {"handshake_id": "h-0123456789"}}),
        )
        .unwrap();
    assert_eq!(
        (huawei.method.as_str(), huawei.target().as_str()),
        ("POST", "/v1/received-handshakes/h-0123456789/accept")
    );
    assert_eq!(
        huawei.header("x-domain-id"),
        Some("0a6d25d23900d45c0faac010e0fb4de0")
    );
    let list = Provider::Huawei
        .dialect()
        .encode(
            "list_handshakes",
            "0a6d25d23900d45c0faac010e0fb4de0",
            &serde_json::json!({"query": {"limit": 2, "marker": "a b"}}),
        )
        .unwrap();
    assert_eq!(
        (
            list.method.as_str(),
            list.target().as_str(),
            list.body.len()
        ),
        (
            "GET",
            "/v1/organizations/handshakes?limit=2&marker=a%20b",
            0
        )
    );

    let alibaba = Provider::Alibaba
        .dialect()
        .encode(
            "AcceptHandshake",
            "1772422852740000",
            &serde_json::json!({"HandshakeId": "h-Ih8IuPfvV0t0abcd"}),
        )
        .unwrap();
    assert_eq!(
        (alibaba.method.as_str(), alibaba.target().as_str()),
        ("POST", "/?HandshakeId=h-Ih8IuPfvV0t0abcd")
    );
    assert_eq!(alibaba.header("x-acs-action"), Some("AcceptHandshake"));
    assert_eq!(alibaba.header("x-acs-version"), Some("2020-03-31"));
    assert!(alibaba
        .header("authorization")
        .unwrap()
        .starts_with("ACS3-HMAC-SHA256 Credential=1772422852740000,"));
}

/// The reference, with each call sent through its wire form first: encode, route, then the
/// routed request by the credential route read.
struct OverTheWire {
    reference: Reference,
    service: Option<Service>,
    provider: Option<Provider>,
    unsendable: Vec<String>,
}

impl Implementation for OverTheWire {
    fn reset(&mut self, name: &str, world: &World) -> Result<(), String> {
        let provider: Provider = name.parse().map_err(|e| format!("{e}"))?;
        self.provider = Some(provider);
        self.service = Some(Service::new(provider, world).map_err(|e| e.to_string())?);
        self.reference.reset(name, world)
    }

    fn call(&mut self, step: &Step, request: &Value) -> (u16, Value) {
        let (status, body) = self.call_text(step, request);
        (
            status,
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        )
    }

    fn call_text(&mut self, step: &Step, request: &Value) -> (u16, String) {
        let dialect: &dyn Dialect = self.provider.unwrap().dialect();
        let service = self.service.as_mut().unwrap();
        let call = match dialect.encode(&step.operation, &step.caller, request) {
            Ok(call) => call,
            Err(why) => {
                // The wire cannot carry it: answer in process (so later steps stay comparable)
                // and note it.
                self.unsendable.push(why.to_string());
                return self.reference.call_text(step, request);
            }
        };
        let routed = call.with_request(|r| dialect.route(r)).unwrap();
        let caller = routed.credential.unwrap();
        let new_ids: Vec<&str> = step.new_ids.iter().map(String::as_str).collect();
        let request_id = step
            .request_id
            .as_deref()
            .unwrap_or(dialect.default_request_id());
        // Both services answer every step, so their ledgers stay the same.
        let reference = self.reference.call_text(step, request);
        let reply = service
            .call(
                &Call::new(routed.operation, &caller, step.at, &routed.request)
                    .with_new_ids(&new_ids)
                    .with_request_id(request_id),
            )
            .unwrap();
        // The same status, and a body that meets the step's expectation as the in-process one
        // does (a message may word a value's text differently from its JSON number).
        assert_eq!(
            reply.status, reference.0,
            "{} over the wire ({call:?})",
            step.operation
        );
        assert!(
            match_subset_text(&step.expect.body, &reply.body).is_ok()
                || match_subset_text(&step.expect.body, &reference.1).is_err(),
            "{} over the wire ({call:?}): {}",
            step.operation,
            reply.body
        );
        (reply.status, reply.body)
    }
}

/// Whether a protocol has no form for a request (operation, request).
type Unsendable = fn(&str, &Value) -> bool;

/// The requests a protocol has no form for, keyed by the provider's name; a protocol not
/// listed has a form for every request. Huawei: a path operation whose request holds no string
/// for the path's parameter.
const UNSENDABLE: &[(&str, Unsendable)] = &[("huawei", |operation, request| {
    huawei_path_parameter(operation).is_some_and(|name| {
        !matches!(
            request.get("path").and_then(|path| path.get(name)),
            Some(Value::String(_) | Value::Object(_))
        )
    })
})];

#[test]
fn every_corpus_step_gets_the_same_reply_over_the_wire() {
    let mut sent = 0;
    let mut unsendable = Vec::new();
    for path in vectors::files() {
        let file = VectorFile::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut wire = OverTheWire {
            reference: Reference::default(),
            service: None,
            provider: None,
            unsendable: Vec::new(),
        };
        let outcomes = replay(&file, &mut wire).unwrap();
        assert!(outcomes.iter().all(|o| o.ok), "{}", path.display());
        sent += outcomes.len() - wire.unsendable.len();
        // Independently: the steps the protocol has no form for, by its `UNSENDABLE` rule.
        let unsendable_rule = UNSENDABLE
            .iter()
            .find(|(name, _)| *name == file.provider)
            .map(|(_, rule)| *rule);
        let expected_unsendable = file
            .steps
            .iter()
            .filter(|step| unsendable_rule.is_some_and(|rule| rule(&step.operation, &step.request)))
            .count();
        assert_eq!(
            wire.unsendable.len(),
            expected_unsendable,
            "{}: {:?}",
            path.display(),
            wire.unsendable
        );
        unsendable.extend(wire.unsendable);
    }
    assert!(sent > 900, "only {sent} steps sent");
    assert!(unsendable.len() < 10, "{unsendable:?}");
}

/// A signer replaces the placeholder headers `encode` wrote, whatever their case.
#[test]
fn set_header_replaces_every_spelling_of_a_header() {
    let mut call = Provider::Aws
        .dialect()
        .encode("DescribeHandshake", "111111111111", &serde_json::json!({}))
        .unwrap();
    call.push_header("authorization", "second");
    call.set_header("AUTHORIZATION", "signed");
    let values: Vec<&str> = call
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(values, ["signed"]);
    assert_eq!(
        call.header("x-amz-target"),
        Some("AWSOrganizationsV20161128.DescribeHandshake")
    );
}
