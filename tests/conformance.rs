//! Replays every vector file under `tests/conformance/` against org-handshake, and checks the
//! corpus itself: unique ids, each file in its provider's folder and named after its id.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use org_handshake::conformance::{replay, Reference, VectorFile};

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut files = Vec::new();
    for provider in ["aws", "huawei", "alibaba"] {
        let Ok(entries) = std::fs::read_dir(dir.join(provider)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
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
