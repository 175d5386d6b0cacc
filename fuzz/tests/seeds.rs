//! Runs every committed seed through its target's checks without libFuzzer (plain
//! `cargo test` in `fuzz/`), and checks that the hand-written vector seeds are valid files, so
//! that the seed corpus stays worth fuzzing from.

use std::path::{Path, PathBuf};

use org_handshake::conformance::{ledger_world, replay, Reference, VectorError, VectorFile};
use org_handshake::provider::Service;

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("dir entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds for {target}");
    files
}

fn run(target: &str, check: fn(&str)) {
    for path in seeds(target) {
        let bytes = std::fs::read(&path).expect("read seed");
        check(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn aws_seeds_pass_the_checks() {
    run("aws_parse", org_handshake_fuzz::aws);
}

#[test]
fn huawei_seeds_pass_the_checks() {
    run("huawei_parse", org_handshake_fuzz::huawei);
}

#[test]
fn alibaba_seeds_pass_the_checks() {
    run("alibaba_parse", org_handshake_fuzz::alibaba);
}

#[test]
fn vector_seeds_are_valid_files_and_replay() {
    for path in seeds("vector_replay") {
        let text = std::fs::read_to_string(&path).expect("read seed");
        let file = VectorFile::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let world = ledger_world(&file.world).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Service::new(file.provider, &world).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match replay(&file, &mut Reference::default()) {
            Ok(outcomes) => assert_eq!(outcomes.len(), file.steps.len(), "{}", path.display()),
            // A `$ref` into a body the implementation did not give (while an operation layer
            // answers everything as unsupported) fails the file, not the harness.
            Err(VectorError::Ref { .. }) => {}
            Err(err) => panic!("{}: {err}", path.display()),
        }
        org_handshake_fuzz::vector(&text);
    }
}

/// The seeds exercise the parsers, not just their JSON errors: some seeds of every provider
/// parse as a handshake or a response.
#[test]
fn some_seeds_of_every_provider_are_accepted() {
    use org_handshake::provider::{alibaba, aws, huawei};
    let accepted = |target: &str, parses: fn(&str) -> bool| {
        seeds(target)
            .iter()
            .filter(|p| parses(&std::fs::read_to_string(p).expect("read")))
            .count()
    };
    let aws = accepted("aws_parse", |t| {
        aws::parse_handshake(t).is_ok()
            || aws::HandshakeResponse::from_json(t).is_ok_and(|r| r.to_handshake().is_ok())
    });
    let huawei = accepted("huawei_parse", |t| {
        huawei::parse_handshake(t).is_ok()
            || huawei::HandshakeResponse::from_json(t).is_ok_and(|r| r.to_handshake().is_ok())
    });
    let alibaba = accepted("alibaba_parse", |t| {
        alibaba::parse_handshake(t).is_ok() || alibaba::HandshakeResponse::from_json(t).is_ok()
    });
    assert!(
        aws > 5 && huawei > 5 && alibaba > 5,
        "accepted: aws {aws}, huawei {huawei}, alibaba {alibaba}"
    );
}
