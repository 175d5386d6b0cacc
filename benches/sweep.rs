//! One full [`Ledger::sweep`] with real work, over ledgers of 1 000 and 1 000 000 handshakes.
//!
//! Every handshake is an INVITE from one organization to one of 1 000 accounts. At `now`:
//!
//! | share | stored state | at `now` | the sweep |
//! |---|---|---|---|
//! | 40 % | open | lapsed, within retention | writes the expiry down |
//! | 20 % | open | lapsed more than 30 days ago | drops it (purged) |
//! | 20 % | accepted / declined / canceled | terminal more than 30 days ago | drops it |
//! | 10 % | accepted / declined / canceled | terminal within retention | nothing |
//! | 10 % | open | still open | nothing |
//!
//! So 80 % of the ledger is due. Goal: ≤ 100 ms at 1 000 000. Each timed sweep runs on a fresh
//! clone of the ledger, made (and dropped) outside the timing. Run with
//! `cargo bench --bench sweep`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode};
use org_handshake::ledger::{Ledger, Swept, World};
use org_handshake::{
    AccountId, Action, FeatureSet, Handshake, HandshakeId, HandshakeParts, HandshakeState, Profile,
    Recipient, SenderOrganization, RETENTION,
};

const RECIPIENTS: u64 = 1_000;
const VALIDITY: TimeDelta = TimeDelta::days(15);

fn now() -> DateTime<Utc> {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

fn sender() -> SenderOrganization {
    SenderOrganization {
        id: "o-benchorgid00".parse().unwrap(),
        management_account: "100000000000".parse().unwrap(),
        management_account_name: "bench".parse().unwrap(),
        management_account_email: Some("bench@example.com".parse().unwrap()),
        feature_set: Some(FeatureSet::All),
    }
}

/// The `i`th handshake of the table above: `(requested_at, state, state_entered_at)`, spread
/// over each class's window by a stride so that times differ.
fn handshake(i: u64, sender: &SenderOrganization) -> Handshake {
    let now = now();
    let spread = |window: TimeDelta| {
        let seconds = window.num_seconds().max(1) as u64;
        TimeDelta::seconds(((i.wrapping_mul(7_919)) % seconds) as i64)
    };
    let hour = TimeDelta::hours(1);
    let terminal = [
        HandshakeState::Accepted,
        HandshakeState::Declined,
        HandshakeState::Canceled,
    ][(i / 10 % 3) as usize];
    let (requested_at, state, entered_at) = match i % 10 {
        // Lapsed within the last 29 days: expires in (now - 29d - 1h, now - 1h].
        0..=3 => {
            let expires = now - hour - spread(TimeDelta::days(29));
            (expires - VALIDITY, HandshakeState::Open, None)
        }
        // Lapsed and past retention: expired more than 30 days ago.
        4 | 5 => {
            let expires = now - RETENTION - hour - spread(TimeDelta::days(20));
            (expires - VALIDITY, HandshakeState::Open, None)
        }
        // Terminal more than 30 days ago, entered a day after the request.
        6 | 7 => {
            let entered = now - RETENTION - hour - spread(TimeDelta::days(20));
            (entered - TimeDelta::days(1), terminal, Some(entered))
        }
        // Terminal within retention.
        8 => {
            let entered = now - hour - spread(TimeDelta::days(28));
            (entered - TimeDelta::days(1), terminal, Some(entered))
        }
        // Still open.
        _ => {
            let requested = now - hour - spread(TimeDelta::days(13));
            (requested, HandshakeState::Open, None)
        }
    };
    let recipient: AccountId = format!("{:012}", 200_000_000_000 + i % RECIPIENTS)
        .parse()
        .unwrap();
    let id: HandshakeId = format!("h-{i:016x}").parse().unwrap();
    Handshake::from_parts(HandshakeParts {
        id,
        action: Action::Invite,
        state,
        sender: sender.clone(),
        recipient: Recipient::for_account(recipient),
        notes: None,
        parent: None,
        resources: Vec::new(),
        requested_at,
        expires_at: requested_at + VALIDITY,
        state_entered_at: entered_at,
    })
    .unwrap()
}

fn build(n: u64) -> Ledger {
    let world: World = serde_json::from_value(serde_json::json!({
        "organizations": [{
            "id": "o-benchorgid00",
            "management_account": { "id": "100000000000", "name": "bench", "email": "bench@example.com" },
            "feature_set": "ALL"
        }]
    }))
    .unwrap();
    let mut snapshot = Ledger::new(Profile::AWS, &world).unwrap().snapshot();
    let sender = sender();
    for i in 0..n {
        let handshake = handshake(i, &sender);
        let last = handshake.state_entered_at();
        snapshot.clock = Some(snapshot.clock.map_or(last, |c| c.max(last)));
        snapshot.handshakes.insert(handshake.id(), handshake);
    }
    Ledger::from_snapshot(snapshot).unwrap()
}

fn sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep_due");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in [1_000u64, 1_000_000] {
        let ledger = build(n);
        // The table above, checked once: 40 % expire, 40 % are dropped, 20 % stay as they are.
        let mut checked = ledger.clone();
        let swept = checked.sweep(now()).unwrap();
        assert_eq!(
            swept,
            Swept {
                expired: (n * 4 / 10) as usize,
                purged: (n * 4 / 10) as usize
            }
        );
        assert_eq!(checked.len() as u64, n - n * 4 / 10);
        assert!(checked.indexes_are_consistent());
        assert_eq!(checked.sweep(now()).unwrap(), Swept::default());
        drop(checked);

        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter_batched_ref(
                || ledger.clone(),
                |l| black_box(l.sweep(black_box(now())).unwrap()),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, sweep);
criterion_main!(benches);
