//! No panic at any time, through the services: every operation of every registered dialect,
//! called at any `now` in chrono's whole range (both ends included, and seconds and days from
//! them), either answers or refuses with a typed error; a refusal changes nothing.
//!
//! | property | cases per dialect |
//! |---|---|
//! | `every_call_at_any_time_answers_or_refuses` | 128 |

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::contract::{accounts, service};
use common::registry::registry;
use org_handshake::provider::error_table::{Detail, Override};
use org_handshake::provider::Call;
use org_handshake::{ErrorKind, SeededIds};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// A time anywhere in chrono's range, biased to its two ends.
fn any_time() -> impl Strategy<Value = DateTime<Utc>> {
    let min = DateTime::<Utc>::MIN_UTC;
    let max = DateTime::<Utc>::MAX_UTC;
    prop_oneof![
        (0i64..200_000).prop_map(move |s| min + TimeDelta::seconds(s)),
        (0i64..400).prop_map(move |d| min + TimeDelta::days(d)),
        (0i64..200_000).prop_map(move |s| max - TimeDelta::seconds(s)),
        (0i64..400).prop_map(move |d| max - TimeDelta::days(d)),
        (-8_000_000_000_000i64..8_000_000_000_000)
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default()),
        Just(min),
        Just(max),
    ]
}

#[test]
fn every_call_at_any_time_answers_or_refuses() {
    for entry in registry() {
        let callers = accounts(&entry);
        let mut runner = TestRunner::new(Config {
            cases: 128,
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = (
            prop::collection::vec(any_time(), 1..6),
            any::<usize>(),
            any::<usize>(),
        );
        runner
            .run(&strategy, |(times, sample, caller)| {
                let mut service = service(&entry);
                let mut ids = SeededIds::new(1);
                for (i, now) in times.iter().enumerate() {
                    let (operation, request) = &entry.samples[(sample + i) % entry.samples.len()];
                    let caller = &callers[(caller + i) % callers.len()];
                    let before = serde_json::to_string(service.ledger()).unwrap_or_default();
                    match service.call_with(&Call::new(operation, caller, *now, request), &mut ids)
                    {
                        Ok(reply) if reply.error.is_some() || !reply.changed() => {
                            let after = serde_json::to_string(service.ledger()).unwrap_or_default();
                            // A refusal changes nothing; a read may only move the clock.
                            if reply.error.is_some() {
                                prop_assert_eq!(after, before, "{} at {}", operation, now);
                            }
                        }
                        Ok(_) => {}
                        Err(_) => {
                            let after = serde_json::to_string(service.ledger()).unwrap_or_default();
                            prop_assert_eq!(after, before, "{} at {}", operation, now);
                        }
                    }
                    // Sweeping at any time answers too.
                    let _ = service.sweep(*now);
                }
                Ok(())
            })
            .unwrap_or_else(|err| panic!("{}: {err}", entry.dialect.name()));
    }
}

#[test]
fn an_override_of_a_row_the_table_lacks_is_refused_and_changes_nothing() {
    let entry = registry().remove(0);
    let service = service(&entry);
    let before = service.overrides().len();
    // AWS has no operation-specific rows: this detail names none.
    let missing = Override::new(ErrorKind::NotFound, Detail::operation("show_handshake")).code("X");
    let err = service.clone().with_overrides(&[missing]).unwrap_err();
    assert_eq!(err.code(), "no_such_row");
    assert!(err.to_string().contains("aws"), "{err}");
    let empty = Override::new(ErrorKind::NotFound, Detail::ANY).code("");
    assert_eq!(
        service.clone().with_overrides(&[empty]).unwrap_err().code(),
        "empty_code"
    );
    let status = Override::new(ErrorKind::NotFound, Detail::ANY).status(99);
    assert_eq!(
        service
            .clone()
            .with_overrides(&[status])
            .unwrap_err()
            .code(),
        "invalid_status"
    );
    assert_eq!(service.overrides().len(), before);
}

/// Regression (found by the property above): Huawei created an invitation whose expiry it could
/// not write (after the year 9999), then answered an error, with the invitation left behind.
/// Now it refuses before anything changes; so does Alibaba acting on one at such a time.
#[test]
fn a_change_the_provider_cannot_write_is_refused_before_it_happens() {
    for name in ["huawei", "alibaba"] {
        let entry = common::registry::entry(name);
        let mut service = service(&entry);
        let before = serde_json::to_string(service.ledger()).unwrap();
        let late: DateTime<Utc> = "9999-12-25T00:00:00Z".parse().unwrap();
        let invite = entry
            .samples
            .iter()
            .find(|(operation, _)| {
                operation == "invite_account" || operation == "InviteAccountToResourceDirectory"
            })
            .expect("an invitation among the samples");
        let manager = accounts(&entry).remove(0);
        let mut ids = SeededIds::new(3);
        let reply = service
            .call_with(&Call::new(&invite.0, &manager, late, &invite.1), &mut ids)
            .unwrap();
        assert_eq!(
            reply.error,
            Some(ErrorKind::Unsupported),
            "{name}: {}",
            reply.json()
        );
        assert_eq!(
            serde_json::to_string(service.ledger()).unwrap(),
            before,
            "{name}"
        );
        assert_eq!(ids.drawn(), 0, "{name}: a refused call draws no id");
    }
}
