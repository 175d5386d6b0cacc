//! One listing page, for an account and for an organization, in ledgers of 1 000 and
//! 1 000 000 handshakes: the first page and a page deep in the listing (via a token).
//!
//! Every handshake is an INVITE from one organization to one of 10 accounts, one second apart,
//! all still open at `now`: an account's listing holds n/10 handshakes (100 at 1 000, so a
//! full page at any depth) and the organization's all n. Run with `cargo bench --bench listing`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use org_handshake::ledger::{HandshakeFilter, Ledger, PageRequest, World};
use org_handshake::{
    AccountId, FeatureSet, Handshake, HandshakeId, NewHandshake, Profile, Recipient,
    SenderOrganization,
};

const PAGE: usize = 20;
const RECIPIENTS: usize = 10;

fn epoch() -> DateTime<Utc> {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn recipient(i: usize) -> AccountId {
    format!("{:012}", 200_000_000_000u64 + i as u64)
        .parse()
        .unwrap()
}

fn build(n: usize) -> (Ledger, AccountId, DateTime<Utc>) {
    let world: World = serde_json::from_value(serde_json::json!({
        "organizations": [{
            "id": "o-benchorgid00",
            "management_account": { "id": "100000000000", "name": "bench", "email": "bench@example.com" },
            "feature_set": "ALL"
        }]
    }))
    .unwrap();
    let mut snapshot = Ledger::new(Profile::AWS, &world).unwrap().snapshot();
    let sender = SenderOrganization {
        id: "o-benchorgid00".parse().unwrap(),
        management_account: "100000000000".parse().unwrap(),
        management_account_name: "bench".parse().unwrap(),
        management_account_email: Some("bench@example.com".parse().unwrap()),
        feature_set: Some(FeatureSet::All),
    };
    for i in 0..n {
        let id: HandshakeId = format!("h-{i:016x}").parse().unwrap();
        let at = epoch() + TimeDelta::seconds(i as i64);
        let new = NewHandshake::invite(
            id,
            sender.clone(),
            Recipient::for_account(recipient(i % RECIPIENTS)),
        );
        let handshake: Handshake = Handshake::create(new, &Profile::AWS, at).unwrap().handshake;
        snapshot.clock = Some(at);
        snapshot.handshakes.insert(handshake.id(), handshake);
    }
    let ledger = Ledger::from_snapshot(snapshot).unwrap();
    let now = epoch() + TimeDelta::seconds(n as i64);
    (ledger, "100000000000".parse().unwrap(), now)
}

/// The token after the first half of a listing.
fn middle_token(
    ledger: &Ledger,
    account: Option<AccountId>,
    management: AccountId,
    now: DateTime<Utc>,
    len: usize,
) -> String {
    let half = PageRequest::first(len / 2);
    let page = match account {
        Some(a) => ledger.list_for_account(a, HandshakeFilter::NONE, &half, now),
        None => ledger.list_for_organization(management, HandshakeFilter::NONE, &half, now),
    };
    page.unwrap().next_token.unwrap()
}

fn listing(c: &mut Criterion) {
    let mut group = c.benchmark_group("listing_page");
    for n in [1_000usize, 1_000_000] {
        let (ledger, management, now) = build(n);
        let account = recipient(7);
        let first = PageRequest::first(PAGE);
        let deep_account = PageRequest::after(
            PAGE,
            middle_token(&ledger, Some(account), management, now, n / RECIPIENTS),
        );
        let deep_org = PageRequest::after(PAGE, middle_token(&ledger, None, management, now, n));

        group.bench_with_input(BenchmarkId::new("account_first", n), &n, |b, _| {
            b.iter(|| {
                black_box(
                    ledger
                        .list_for_account(account, HandshakeFilter::NONE, &first, now)
                        .unwrap(),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("account_deep", n), &n, |b, _| {
            b.iter(|| {
                black_box(
                    ledger
                        .list_for_account(account, HandshakeFilter::NONE, &deep_account, now)
                        .unwrap(),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("organization_first", n), &n, |b, _| {
            b.iter(|| {
                black_box(
                    ledger
                        .list_for_organization(management, HandshakeFilter::NONE, &first, now)
                        .unwrap(),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("organization_deep", n), &n, |b, _| {
            b.iter(|| {
                black_box(
                    ledger
                        .list_for_organization(management, HandshakeFilter::NONE, &deep_org, now)
                        .unwrap(),
                )
            })
        });
    }
    group.finish();
}

/// A sweep when nothing is due: the deadline index makes it O(log n), not a scan.
fn sweep_nothing_due(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep_nothing_due");
    for n in [1_000usize, 1_000_000] {
        let (mut ledger, _, now) = build(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| black_box(ledger.sweep(now).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, listing, sweep_nothing_due);
criterion_main!(benches);
