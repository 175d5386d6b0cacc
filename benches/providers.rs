//! Render (neutral handshake → provider JSON text) and parse (provider JSON text → neutral
//! handshake) of one realistic handshake per provider, side by side with plain serde_json on a
//! derived struct with the same keys and plain string/number fields and no validation.
//!
//! Goal: each within 1.5× of its plain serde_json counterpart, measured in the same run. The
//! ids are `<provider>/<what>`:
//!
//! - `render`: the public path, `provider::render_handshake(h)?.to_string()` (through a
//!   `serde_json::Value`, as the operation layer builds its replies);
//! - `render_direct`: `serde_json::to_string(&WireHandshake::from_handshake(h)?)`, the same
//!   JSON without the intermediate `Value`;
//! - `render_json`: `provider.render_handshake_json(h)`, the documented path from a handshake to
//!   provider JSON text (the same text as `render_direct`, written from a borrowed view): the
//!   like-for-like counterpart of `serde_render`;
//! - `serde_render`: `serde_json::to_string(&plain)`;
//! - `parse`: `provider::parse_handshake(json)` (strict: every id, enum and time checked);
//! - `serde_parse`: `serde_json::from_str::<Plain>(json)`.
//!
//! Run with `cargo bench --bench providers`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use org_handshake::conformance::match_subset;
use org_handshake::provider::{alibaba, aws, huawei, Provider};
use org_handshake::{FeatureSet, Handshake, NewHandshake, Profile, Recipient, SenderOrganization};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// AWS `Handshake`, plainly.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PlainAws {
    id: String,
    arn: String,
    parties: Vec<PlainAwsParty>,
    state: String,
    requested_timestamp: f64,
    expiration_timestamp: f64,
    action: String,
    resources: Vec<PlainAwsResource>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PlainAwsParty {
    id: String,
    #[serde(rename = "Type")]
    kind: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PlainAwsResource {
    value: String,
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resources: Option<Vec<PlainAwsResource>>,
}

/// Huawei `HandshakeDto`, plainly.
#[derive(Debug, Serialize, Deserialize)]
struct PlainHuawei {
    id: String,
    urn: String,
    updated_at: String,
    created_at: String,
    expired_at: String,
    management_account_id: String,
    management_account_name: String,
    organization_id: String,
    notes: String,
    target: PlainHuaweiTarget,
    status: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct PlainHuaweiTarget {
    #[serde(rename = "type")]
    kind: String,
    entity: String,
}

/// Alibaba `Handshake`, plainly.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PlainAlibaba {
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

/// An AWS invitation to an account, with notes, in an all-features organization.
fn aws_handshake() -> Handshake {
    let sender = SenderOrganization {
        id: "o-exampleorgid".parse().unwrap(),
        management_account: "111111111111".parse().unwrap(),
        management_account_name: "Org Master Account".parse().unwrap(),
        management_account_email: Some("bill@example.com".parse().unwrap()),
        feature_set: Some(FeatureSet::All),
    };
    let new = NewHandshake::invite(
        "h-examplehandshakeid111".parse().unwrap(),
        sender,
        Recipient::for_account("222222222222".parse().unwrap()),
    )
    .with_notes("Welcome to our organization, Juan".parse().unwrap());
    let at = "2026-01-05T10:00:00Z".parse().unwrap();
    Handshake::create(new, &Profile::AWS, at).unwrap().handshake
}

/// A Huawei invitation to an account, with notes.
fn huawei_handshake() -> Handshake {
    let sender = SenderOrganization {
        id: "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv".parse().unwrap(),
        management_account: "0a6d25d23900d45c0faac010e0fb4de0".parse().unwrap(),
        management_account_name: "paas_iam_573331".parse().unwrap(),
        management_account_email: None,
        feature_set: None,
    };
    let new = NewHandshake::invite(
        "h-nw5zqyltmslrn6bdbfdzqmdyfqb5zjax".parse().unwrap(),
        sender,
        Recipient::for_account("5f2d9b3b4b8a4e3c9d7e6f5a4b3c2d1e".parse().unwrap()),
    )
    .with_notes("Welcome to our organization".parse().unwrap());
    let at = "2022-09-30T03:56:34Z".parse().unwrap();
    Handshake::create(new, &Profile::HUAWEI, at)
        .unwrap()
        .handshake
}

/// Renders through the provider, then reads the same text as the plain struct and checks that
/// both say the same (numbers by value).
fn plain_of<P: Serialize + DeserializeOwned>(provider: Provider, h: &Handshake) -> (String, P) {
    let json = provider.render_handshake(h).unwrap().to_string();
    let plain: P = serde_json::from_str(&json).unwrap();
    let provider_value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let plain_value = serde_json::to_value(&plain).unwrap();
    match_subset(&provider_value, &plain_value).unwrap();
    match_subset(&plain_value, &provider_value).unwrap();
    assert_eq!(&provider.parse_handshake(&json).unwrap(), h);
    (json, plain)
}

fn side_by_side<P, W>(
    c: &mut Criterion,
    provider: Provider,
    h: &Handshake,
    direct: impl Fn(&Handshake) -> W,
) where
    P: Serialize + DeserializeOwned,
    W: Serialize,
{
    let (json, plain) = plain_of::<P>(provider, h);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&serde_json::to_string(&direct(h)).unwrap())
            .unwrap(),
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    );
    assert_eq!(
        provider.render_handshake_json(h).unwrap(),
        serde_json::to_string(&direct(h)).unwrap()
    );
    let mut group = c.benchmark_group(provider.as_str());
    group.bench_function("render", |b| {
        b.iter(|| provider.render_handshake(black_box(h)).unwrap().to_string())
    });
    group.bench_function("render_direct", |b| {
        b.iter(|| serde_json::to_string(&direct(black_box(h))).unwrap())
    });
    group.bench_function("render_json", |b| {
        b.iter(|| provider.render_handshake_json(black_box(h)).unwrap())
    });
    group.bench_function("serde_render", |b| {
        b.iter(|| serde_json::to_string(black_box(&plain)).unwrap())
    });
    group.bench_function("parse", |b| {
        b.iter(|| provider.parse_handshake(black_box(&json)).unwrap())
    });
    group.bench_function("serde_parse", |b| {
        b.iter(|| serde_json::from_str::<P>(black_box(&json)).unwrap())
    });
    group.finish();
}

fn providers(c: &mut Criterion) {
    side_by_side::<PlainAws, _>(c, Provider::Aws, &aws_handshake(), |h| {
        aws::WireHandshake::from_handshake(h).unwrap()
    });
    side_by_side::<PlainHuawei, _>(c, Provider::Huawei, &huawei_handshake(), |h| {
        huawei::WireHandshake::from_handshake(h).unwrap()
    });
    let alibaba_handshake = org_handshake::example::alibaba_invitation().unwrap();
    side_by_side::<PlainAlibaba, _>(c, Provider::Alibaba, &alibaba_handshake, |h| {
        alibaba::WireHandshake::from_handshake(h).unwrap()
    });
}

criterion_group!(benches, providers);
criterion_main!(benches);
