//! Bytes per handshake of a [`Ledger`] holding 1 000 000 open AWS invitations, indexes
//! included. Goal: ≤ 1 KiB per handshake.
//!
//! Each handshake has the shape of [`example::aws_invitation`] (`o-exampleorgid`, its
//! management account's name and email, all features; no notes, no resources) with its own id
//! and its own recipient account, requested one second after the one before, all still open
//! at the ledger's clock. The ledger is restored from a snapshot, as a server restores its
//! journal.
//!
//! A counting global allocator (stats_alloc: the package forbids the `unsafe` a hand-written
//! one needs) measures the heap the ledger holds: the bytes allocated and not freed between the
//! start of the build and the moment the ledger stands alone (the snapshot it came from is
//! consumed), less what an empty ledger of the same world holds, over the number of
//! handshakes. The counts are the bytes asked for; the system allocator adds its own overhead
//! per allocation (about 8 to 16 bytes with glibc), so the live allocations are printed too.
//! Not a criterion benchmark: it measures one state, once, in a few seconds. Run with
//! `cargo bench --bench memory`.

#![allow(missing_docs)]

use std::alloc::System;
use std::mem::size_of;

use chrono::TimeDelta;
use org_handshake::ledger::{Ledger, World};
use org_handshake::{example, AccountId, Handshake, HandshakeId, Profile, Recipient};
use stats_alloc::{Region, Stats, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const HANDSHAKES: usize = 1_000_000;
/// The goal, in bytes per handshake.
const GOAL: usize = 1024;

/// The heap still held after a region: bytes and allocations.
fn live(stats: &Stats) -> (isize, isize) {
    // stats_alloc counts a growing realloc in `bytes_allocated` (and a shrinking one in
    // `bytes_deallocated`) besides `bytes_reallocated`: the first two suffice.
    let bytes = stats.bytes_allocated as isize - stats.bytes_deallocated as isize;
    let allocations = stats.allocations as isize - stats.deallocations as isize;
    (bytes, allocations)
}

fn world() -> World {
    serde_json::from_value(serde_json::json!({
        "organizations": [{
            "id": "o-exampleorgid",
            "management_account": { "id": "111111111111", "name": "Org Master Account", "email": "bill@example.com" },
            "feature_set": "ALL"
        }]
    }))
    .unwrap()
}

/// The `i`th invitation: the example's shape, its own id and recipient, requested `i` seconds
/// after the example.
fn invitation(template: &Handshake, i: usize) -> Handshake {
    let mut parts = template.clone().into_parts();
    parts.id = format!("h-{i:016x}").parse::<HandshakeId>().unwrap();
    let recipient: AccountId = format!("{:012}", 200_000_000_000u64 + i as u64)
        .parse()
        .unwrap();
    parts.recipient = Recipient::for_account(recipient);
    let shift = TimeDelta::seconds(i as i64);
    parts.requested_at += shift;
    parts.expires_at += shift;
    parts.state_entered_at = parts.state_entered_at.map(|at| at + shift);
    Handshake::from_parts(parts).unwrap()
}

fn main() {
    let template = example::aws_invitation().unwrap();
    let empty = Ledger::new(Profile::AWS, &world()).unwrap();
    let clock = template.requested_at() + TimeDelta::seconds(HANDSHAKES as i64);
    assert!(
        clock < template.expires_at(),
        "every invitation is still open"
    );

    // An empty ledger of the same world, restored the same way, to subtract.
    let region = Region::new(GLOBAL);
    let restored_empty = Ledger::from_snapshot(empty.snapshot()).unwrap();
    let (empty_bytes, _) = live(&region.change());

    let region = Region::new(GLOBAL);
    let mut snapshot = empty.snapshot();
    snapshot.clock = Some(clock);
    for i in 0..HANDSHAKES {
        let handshake = invitation(&template, i);
        snapshot.handshakes.insert(handshake.id(), handshake);
    }
    let ledger = Ledger::from_snapshot(snapshot).unwrap();
    let (bytes, allocations) = live(&region.change());
    let held = bytes - empty_bytes;
    assert_eq!(ledger.len(), HANDSHAKES);

    let per = |total: isize| total as f64 / HANDSHAKES as f64;
    let per_handshake = per(held);
    println!("memory/{HANDSHAKES} AWS invitations, distinct recipients, restored from a snapshot:");
    println!(
        "  ledger: {per_handshake:.1} bytes per handshake (goal ≤ {GOAL}), {:.2} live allocations per handshake",
        per(allocations)
    );
    println!(
        "  of which the store's slots: {} bytes (size_of::<Option<Handshake>>()); the senders are shared",
        size_of::<Option<Handshake>>()
    );
    drop(restored_empty);
    if per_handshake > GOAL as f64 {
        println!("  ABOVE THE GOAL");
    }
}
