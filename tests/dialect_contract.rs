//! The dialect contract (`tests/common/contract.rs`), run on every dialect of the test
//! registry: the built-in providers (`Provider::values()`) and the tests' own zcloud. One test
//! per clause, each over every dialect, so a new provider is checked without a new line here.

mod common;

use std::collections::BTreeSet;

use common::contract;
use common::registry::{dialects, registry};
use org_handshake::provider::Provider;

#[test]
fn the_registry_holds_every_provider_and_the_test_dialects() {
    let names: Vec<&str> = dialects().iter().map(|d| d.name()).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(
        unique.len(),
        names.len(),
        "dialect names are unique: {names:?}"
    );
    for provider in Provider::values() {
        assert!(
            names.contains(&provider.as_str()),
            "{provider} is registered"
        );
    }
    assert!(names.contains(&"zcloud"));
}

#[test]
fn round_trip() {
    for entry in registry() {
        contract::round_trip(&entry, 256);
    }
}

#[test]
fn error_coverage() {
    for dialect in dialects() {
        contract::error_coverage(dialect);
    }
}

#[test]
fn strict_enums() {
    for entry in registry() {
        contract::strict_enums(&entry);
    }
}

#[test]
fn every_operation_reachable() {
    for entry in registry() {
        contract::every_operation_reachable(&entry);
    }
}

#[test]
fn refusals_change_nothing() {
    for entry in registry() {
        contract::refusals_change_nothing(&entry, 256);
    }
}

#[test]
fn doc_tables_of_error_codes_agree_with_the_rows() {
    for dialect in dialects() {
        contract::doc_tables_agree(dialect);
    }
}

/// Every dialect's description holds a default world the dialect can serve (what an emulator
/// starts from), and a built-in provider's enum name is its dialect's name.
#[test]
fn every_description_has_a_world_its_dialect_serves() {
    for dialect in dialects() {
        let description = dialect.description();
        let world = description
            .default_world()
            .unwrap_or_else(|err| panic!("{}: {err}", description.name));
        assert!(
            !world.organizations.is_empty(),
            "{}: a default world has an organization to call as",
            description.name
        );
        org_handshake::provider::Service::with_dialect(dialect, &world)
            .unwrap_or_else(|err| panic!("{}: {err}", description.name));
    }
    for provider in Provider::values() {
        let serialized = serde_json::to_value(provider).unwrap();
        assert_eq!(serialized, provider.dialect().name(), "{provider:?}");
    }
}
