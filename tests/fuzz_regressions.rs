//! The fuzz targets' checks (`fuzz/src/lib.rs`), run by the ordinary `cargo test` on every
//! input of their seed corpus (`fuzz/seeds/<target>/`, and `tests/conformance/<provider>/` for
//! the vector target) and on every crash the fuzzers have found (`tests/fuzz_regressions/<target>/`,
//! one file per minimized input, none so far).
//!
//! Only the check functions are compiled in here (through `#[path]`); the `fuzz/` package
//! itself, with libFuzzer, is never built by the root crate. A crash found by `cargo fuzz`
//! becomes a regression test by copying its minimized input into
//! `tests/fuzz_regressions/<target>/` (see `fuzz/README.md`).
//!
//! What the checks assert, in short: no parser panics; whatever a provider parser accepts
//! renders and reads back the same, and translates to the other providers with the same
//! meaning; transitions on it refuse without change; a vector file round-trips and replays
//! deterministically.

// The one `#[path]` include left in the tests, on purpose: it compiles the fuzz crate's check
// functions (`fuzz/src/lib.rs`) into this test, so that `cargo test` runs them on the seeds and
// the regressions without building the `fuzz/` package (libFuzzer). It is not a shared test
// helper; those live in `tests/common/`.
#[allow(unreachable_pub, dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};

use org_handshake::conformance::{replay, Reference, VectorError, VectorFile};
use org_handshake::provider::{alibaba, aws, huawei, Provider, Service};

/// Every file of `fuzz/seeds/<target>/` and `tests/fuzz_regressions/<target>/`.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![
        root.join("fuzz/seeds").join(target),
        root.join("tests/fuzz_regressions").join(target),
    ];
    if target == "vector_replay" {
        // The conformance corpus is the vector target's main seed set.
        dirs.extend(
            Provider::values()
                .iter()
                .map(|p| root.join("tests/conformance").join(p.as_str())),
        );
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        files.extend(entries.map(|entry| entry.expect("dir entry").path()));
    }
    files.sort();
    assert!(!files.is_empty(), "no inputs for {target}");
    files
}

/// The text a fuzz target would see: the bytes, invalid UTF-8 replaced.
fn text(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).expect("read input")).into_owned()
}

fn run(target: &str, check: fn(&str)) {
    for path in inputs(target) {
        let input = text(&path);
        if let Err(panic) = std::panic::catch_unwind(|| check(&input)) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("");
            panic!("{target}: {} fails: {message}", path.display());
        }
    }
}

/// [`run`] for the targets that read raw bytes (the service and routing targets): every input
/// as the fuzzer would give it, invalid UTF-8 included.
fn run_bytes(target: &str, check: fn(&[u8])) {
    for path in inputs(target) {
        let input = std::fs::read(&path).expect("read input");
        if let Err(panic) = std::panic::catch_unwind(|| check(&input)) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("");
            panic!("{target}: {} fails: {message}", path.display());
        }
    }
}

#[test]
fn aws_inputs_pass_the_checks() {
    run("aws_parse", checks::aws);
}

#[test]
fn huawei_inputs_pass_the_checks() {
    run("huawei_parse", checks::huawei);
}

#[test]
fn alibaba_inputs_pass_the_checks() {
    run("alibaba_parse", checks::alibaba);
}

#[test]
fn service_call_inputs_pass_the_checks() {
    run_bytes("service_calls", checks::service_calls_bytes);
}

#[test]
fn routing_inputs_pass_the_checks() {
    run_bytes("routing", checks::routing_bytes);
}

#[test]
fn vector_inputs_pass_the_checks() {
    run("vector_replay", checks::vector);
}

/// The hand-written vector seeds are valid files over worlds that exist, so the fuzzer starts
/// from inputs that reach the replay.
#[test]
fn vector_seeds_are_valid_files() {
    for path in inputs("vector_replay") {
        let file = VectorFile::parse(&text(&path))
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let provider = file
            .provider
            .parse()
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        Service::new(provider, &file.world)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        match replay(&file, &mut Reference::default()) {
            Ok(outcomes) => assert_eq!(outcomes.len(), file.steps.len(), "{}", path.display()),
            // A `$ref` into a body the implementation did not give (as while an operation layer
            // answers every call as unsupported) fails the file, not the harness.
            Err(VectorError::Ref { .. }) => {}
            Err(err) => panic!("{}: {err}", path.display()),
        }
    }
}

/// The seeds exercise the parsers beyond their JSON errors: many of every provider's seeds
/// are accepted as a handshake or a response, so the round-trip checks run on them.
#[test]
fn many_seeds_of_every_provider_are_accepted() {
    let accepted = |target: &str, parses: fn(&str) -> bool| {
        inputs(target)
            .iter()
            .filter(|path| parses(&text(path)))
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
        aws >= 50 && huawei >= 20 && alibaba >= 10,
        "accepted seeds: aws {aws}, huawei {huawei}, alibaba {alibaba}"
    );
}
