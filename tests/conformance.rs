//! Replays every vector file under `tests/conformance/` against org-handshake, and checks the
//! corpus itself: unique ids, each file in its provider's folder and named after its id.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use org_handshake::conformance::{replay, Reference, VectorFile};

/// All vector files, in a stable order.
fn vector_files() -> Vec<PathBuf> {
    common::vectors::files()
}

#[test]
fn every_vector_replays_green() {
    let mut failures = Vec::new();
    let mut steps = 0;
    for path in vector_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let file = match VectorFile::parse(&text) {
            Ok(file) => file,
            Err(err) => {
                failures.push(format!("{}: {err}", path.display()));
                continue;
            }
        };
        match replay(&file, &mut Reference::default()) {
            Ok(outcomes) => {
                steps += outcomes.len();
                for outcome in outcomes.iter().filter(|o| !o.ok) {
                    failures.push(format!(
                        "{} step {}: {} (got {} {})",
                        path.display(),
                        outcome.step,
                        outcome.mismatch.as_deref().unwrap_or(""),
                        outcome.status,
                        outcome.body
                    ));
                }
            }
            Err(err) => failures.push(format!("{}: {err}", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("replayed {steps} steps");
}

#[test]
fn the_corpus_is_well_kept() {
    let mut ids = BTreeSet::new();
    for path in vector_files() {
        let file = VectorFile::parse(&std::fs::read_to_string(&path).expect("read"))
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        assert!(ids.insert(file.id.clone()), "duplicate id {}", file.id);
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|f| f.to_str());
        assert_eq!(folder, Some(file.provider.as_str()), "{}", path.display());
        let stem = path.file_stem().and_then(|s| s.to_str());
        assert_eq!(stem, Some(file.id.as_str()), "file named after its id");
        assert!(!file.steps.is_empty(), "{} has no steps", file.id);
    }
}

/// The corpus the conformance issue asks for: at least 15 AWS, 8 Huawei and 8 Alibaba files,
/// and every operation of every provider exercised at least once.
#[test]
fn the_corpus_covers_every_operation_of_every_provider() {
    use org_handshake::provider::Provider;

    let mut files = std::collections::BTreeMap::<String, usize>::new();
    let mut seen = BTreeSet::new();
    for path in vector_files() {
        let file = VectorFile::parse(&std::fs::read_to_string(&path).expect("read"))
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        *files.entry(file.provider.clone()).or_default() += 1;
        for step in &file.steps {
            seen.insert((file.provider.clone(), step.operation.clone()));
        }
    }
    // The issue asked for 15 AWS files and 8 of every other provider.
    let least_of = |name: &str| if name == "aws" { 15 } else { 8 };
    for provider in Provider::values() {
        let least = least_of(provider.as_str());
        assert!(
            files.get(provider.as_str()).copied().unwrap_or(0) >= least,
            "{provider}: {files:?}"
        );
    }

    let expected = Provider::values().iter().flat_map(|provider| {
        let dialect = provider.dialect();
        dialect
            .operations()
            .iter()
            .map(move |operation| (dialect.name().to_owned(), (*operation).to_owned()))
    });
    for operation in expected {
        assert!(seen.contains(&operation), "no vector calls {operation:?}");
    }
}
