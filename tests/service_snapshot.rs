//! Save and restore a whole `Service`: for every registered dialect, after any sequence of calls
//! the service saved to JSON and restored is equal to the original, and every later call
//! answers byte for byte as the original does (status, body, headers, error kind, events).
//!
//! | property | cases per dialect |
//! |---|---|
//! | `save_then_restore_answers_the_same` | 64 sequences of 1–24 calls, then 8 more calls on both |

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::contract::{accounts, service};
use common::registry::{registry, Registered};
use org_handshake::provider::error_table::{Detail, Override};
use org_handshake::provider::{Call, Reply, RestoreError, SavedRow, Service, ServiceSnapshot};
use org_handshake::{ErrorKind, SeededIds};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// One generated call: which sample request, which caller, how far time moves first.
#[derive(Debug, Clone)]
struct Step {
    sample: usize,
    caller: usize,
    advance: i64,
}

fn step() -> impl Strategy<Value = Step> {
    (
        any::<usize>(),
        any::<usize>(),
        prop_oneof![Just(0i64), 1i64..3_600, 86_400i64..2_000_000],
    )
        .prop_map(|(sample, caller, advance)| Step {
            sample,
            caller,
            advance,
        })
}

fn epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_607_200, 0).unwrap_or_default()
}

/// Runs `step` on `service`: a sample request of the dialect's corpus, answered as a reply or a
/// harness error (both compared as text).
fn run(
    entry: &Registered,
    service: &mut Service,
    ids: &mut SeededIds,
    step: &Step,
    now: DateTime<Utc>,
) -> String {
    let callers = accounts(entry);
    let (operation, request): &(String, Value) = &entry.samples[step.sample % entry.samples.len()];
    let caller = &callers[step.caller % callers.len()];
    let call = Call::new(operation, caller, now, request).with_request_id("req-1");
    match service.call_with(&call, ids) {
        Ok(reply) => answer_text(&reply),
        Err(err) => format!("harness: {err}"),
    }
}

fn answer_text(reply: &Reply) -> String {
    serde_json::to_string(reply).unwrap_or_default()
}

fn check(entry: &Registered, before: &[Step], after: &[Step]) -> Result<(), TestCaseError> {
    let mut original = service(entry);
    let mut ids = SeededIds::new(7);
    let mut now = epoch();
    for step in before {
        now += TimeDelta::seconds(step.advance);
        run(entry, &mut original, &mut ids, step, now);
    }
    let saved = serde_json::to_string(&original.snapshot())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let snapshot: ServiceSnapshot =
        serde_json::from_str(&saved).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut restored = Service::restore_with(entry.dialect, snapshot)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(restored.snapshot(), original.snapshot());
    prop_assert_eq!(restored.ledger(), original.ledger());
    // The id generator is the caller's; each side gets the same one.
    let mut restored_ids = ids;
    for step in after {
        now += TimeDelta::seconds(step.advance);
        let expected = run(entry, &mut original, &mut ids, step, now);
        let got = run(entry, &mut restored, &mut restored_ids, step, now);
        prop_assert_eq!(got, expected, "{}: step {:?}", entry.dialect.name(), step);
    }
    Ok(())
}

#[test]
fn save_then_restore_answers_the_same() {
    for entry in registry() {
        let mut runner = TestRunner::new(Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = (
            prop::collection::vec(step(), 1..24),
            prop::collection::vec(step(), 8),
        );
        runner
            .run(&strategy, |(before, after)| check(&entry, &before, &after))
            .unwrap_or_else(|err| panic!("{}: {err}", entry.dialect.name()));
    }
}

#[test]
fn a_built_in_service_round_trips_through_serde_with_its_overrides(
) -> Result<(), Box<dyn std::error::Error>> {
    let entry = registry().remove(1); // huawei, whose codes are mostly unverified
    let fix = Override::new(ErrorKind::NotFound, Detail::ANY)
        .code("Organizations.1404")
        .status(404);
    let service = service(&entry).with_overrides(&[fix])?;
    let text = serde_json::to_string(&service)?;
    let restored: Service = serde_json::from_str(&text)?;
    assert_eq!(restored.snapshot(), service.snapshot());
    assert_eq!(restored.overrides(), service.overrides());
    Ok(())
}

#[test]
fn a_snapshot_of_another_dialect_or_a_broken_one_is_refused(
) -> Result<(), Box<dyn std::error::Error>> {
    let entries = registry();
    let aws = service(&entries[0]);
    let snapshot = aws.snapshot();
    let err = Service::restore_with(entries[1].dialect, snapshot.clone()).unwrap_err();
    assert_eq!(err.code(), "wrong_dialect");

    let mut unknown = snapshot.clone();
    unknown.dialect = "azure".into();
    assert!(matches!(
        Service::restore(unknown),
        Err(RestoreError::UnknownDialect { .. })
    ));

    let mut bad_row = snapshot.clone();
    bad_row
        .overrides
        .push(org_handshake::provider::SavedOverride {
            row: SavedRow {
                kind: ErrorKind::NotFound,
                problem: None,
                parameter: None,
                operation: Some("NoSuchOperation".into()),
                cause: None,
                index: None,
            },
            status: None,
            code: None,
            message: None,
        });
    assert_eq!(Service::restore(bad_row).unwrap_err().code(), "no_such_row");

    let mut bad_status = snapshot;
    bad_status
        .overrides
        .push(org_handshake::provider::SavedOverride {
            row: SavedRow {
                kind: ErrorKind::NotFound,
                problem: None,
                parameter: None,
                operation: None,
                cause: None,
                index: None,
            },
            status: Some(200),
            code: None,
            message: None,
        });
    assert_eq!(
        Service::restore(bad_status).unwrap_err().code(),
        "invalid_status"
    );

    // Unknown keys are refused, not ignored.
    let text = serde_json::to_string(&aws)?.replacen("\"dialect\"", "\"dialekt\"", 1);
    assert!(serde_json::from_str::<Service>(&text).is_err());
    Ok(())
}

/// Every row of every table can be corrected, saved and restored: the saved key names the
/// rows the override corrects.
#[test]
fn an_override_of_any_row_survives_a_save() -> Result<(), Box<dyn std::error::Error>> {
    for entry in registry() {
        for row in entry.dialect.error_table() {
            let fix = Override::new(row.kind, row.detail).code("Corrected");
            let service = service(&entry).with_overrides(&[fix])?;
            let text = serde_json::to_string(&service)?;
            let restored = Service::restore_with(entry.dialect, serde_json::from_str(&text)?)?;
            assert_eq!(restored.overrides(), service.overrides(), "{row:?}");
        }
    }
    Ok(())
}

/// An override survives a row added in front of it: it is saved by what its row is, and the
/// saved JSON names the row's kind and code, not a position.
#[test]
fn overrides_are_saved_by_row_key_and_an_index_is_refused() -> Result<(), Box<dyn std::error::Error>>
{
    let entries = registry();
    let fix = Override::new(ErrorKind::NotFound, Detail::ANY)
        .code("Gone")
        .status(410);
    let aws = service(&entries[0]).with_overrides(&[fix])?;
    let saved = serde_json::to_value(aws.snapshot())?;
    assert_eq!(
        saved["overrides"][0]["row"],
        serde_json::json!({"kind": "not_found"})
    );
    let restored: Service = serde_json::from_value(saved.clone())?;
    assert_eq!(restored.overrides(), aws.overrides());

    // The form older snapshots wrote: a row index.
    let mut old = saved;
    old["overrides"][0]["row"] = serde_json::json!(3);
    let snapshot: ServiceSnapshot = serde_json::from_value(old)?;
    let err = Service::restore(snapshot).unwrap_err();
    assert!(
        matches!(err, RestoreError::OverrideByIndex { index: 3 }),
        "{err}"
    );
    assert!(err.to_string().contains("by its index"), "{err}");
    Ok(())
}

/// A snapshot whose dialect name was edited to another provider's does not restore as that
/// provider with the first one's ledger.
#[test]
fn a_snapshot_whose_provider_was_edited_is_refused() -> Result<(), Box<dyn std::error::Error>> {
    let entries = registry();
    let mut snapshot = service(&entries[0]).snapshot();
    snapshot.dialect = entries[1].dialect.name().to_owned();
    let err = Service::restore(snapshot.clone()).unwrap_err();
    assert!(matches!(err, RestoreError::ProfileMismatch { .. }), "{err}");
    assert_eq!(err.code(), "profile_mismatch");
    // Through JSON as well.
    let text = serde_json::to_string(&snapshot)?;
    assert!(serde_json::from_str::<Service>(&text).is_err());
    Ok(())
}
