//! Accept, decline and cancel of one handshake through the in-place [`Handshake::apply`], and
//! the refused path (a stranger is told the handshake is not found).
//!
//! Goal: each ≤ 50 ns, with no heap allocation. A counting global allocator proves the second
//! part: before any timing, each command is applied to many fresh handshakes between two
//! snapshots of the allocator's counters, and the bench stops if a single allocation (or
//! reallocation) happened. Run with `cargo bench --bench transitions`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::alloc::System;
use std::hint::black_box;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use org_handshake::{Caller, Command, Handshake, HandshakeState, TransitionError};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// How many fresh handshakes the allocation check runs each command on.
const CHECKED_CALLS: usize = 10_000;

/// The example invitation: `o-exampleorgid` (management account 111111111111) invites
/// 222222222222, open for 15 days.
fn invitation() -> Handshake {
    org_handshake::example::aws_invitation().unwrap()
}

/// An hour after the request: open, nothing lapsed.
fn an_hour_later(h: &Handshake) -> DateTime<Utc> {
    h.requested_at() + TimeDelta::hours(1)
}

/// Each benchmarked command, and what it must leave behind (`None`: refused with NotFound).
fn commands() -> [(&'static str, Command, Option<HandshakeState>); 4] {
    let org = "o-exampleorgid".parse().unwrap();
    let recipient = Caller::standalone("222222222222".parse().unwrap());
    let sender = Caller::management("111111111111".parse().unwrap(), org);
    let stranger = Caller::standalone("999999999999".parse().unwrap());
    [
        (
            "accept",
            Command::Accept(recipient),
            Some(HandshakeState::Accepted),
        ),
        (
            "decline",
            Command::Decline(recipient),
            Some(HandshakeState::Declined),
        ),
        (
            "cancel",
            Command::Cancel(sender),
            Some(HandshakeState::Canceled),
        ),
        ("refused_not_found", Command::Accept(stranger), None),
    ]
}

/// Applies each command to `CHECKED_CALLS` fresh handshakes between two snapshots of the
/// allocator's counters; panics (failing the bench) on any allocation or wrong outcome.
fn assert_no_allocation() {
    let template = invitation();
    let now = an_hour_later(&template);
    for (name, command, expected) in commands() {
        let mut handshakes = vec![template.clone(); CHECKED_CALLS];
        let mut outcomes = Vec::with_capacity(CHECKED_CALLS);
        let region = Region::new(GLOBAL);
        for h in &mut handshakes {
            outcomes.push(black_box(h.apply(black_box(&command), now)));
        }
        let stats = region.change();
        println!(
            "{name}: {} allocations, {} reallocations in {CHECKED_CALLS} calls",
            stats.allocations, stats.reallocations
        );
        assert_eq!(stats.allocations, 0, "{name} allocated");
        assert_eq!(stats.reallocations, 0, "{name} reallocated");
        for (h, outcome) in handshakes.iter().zip(&outcomes) {
            match expected {
                Some(state) => {
                    assert!(outcome.is_ok(), "{name}: {outcome:?}");
                    assert_eq!(h.state(), state, "{name}");
                }
                None => {
                    assert!(
                        matches!(outcome, Err(TransitionError::NotFound { .. })),
                        "{name}: {outcome:?}"
                    );
                    assert_eq!(h, &template, "{name}: a refusal changed the handshake");
                }
            }
        }
    }
}

fn transitions(c: &mut Criterion) {
    assert_no_allocation();
    let template = invitation();
    let now = an_hour_later(&template);
    let mut group = c.benchmark_group("apply");
    for (name, command, _) in commands() {
        group.bench_function(name, |b| {
            b.iter_batched_ref(
                || template.clone(),
                |h| h.apply(black_box(&command), black_box(now)),
                // Batches of 64 fresh clones: set up outside the timing and small enough to
                // stay in cache, so the time is the transition's, not the memory's.
                BatchSize::NumIterations(64),
            )
        });
    }
    group.finish();
}

criterion_group!(benches, transitions);
criterion_main!(benches);
