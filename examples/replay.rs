//! Replays conformance vector files against org-handshake.
//!
//! ```sh
//! cargo run --example replay -- tests/conformance/aws/*.json
//! ```
//!
//! Prints one JSON line per step, `{"file", "step", "status", "body", "ok"}` (plus `mismatch`
//! when a step did not match), then `N passed, M failed`. A file that does not parse or breaks
//! a rule of the format is reported as one line `{"file", "error"}` and counts as one failure.
//! Exits 0 only when every step of every file matched.

use std::process::ExitCode;

use org_handshake::conformance::{replay, Reference, VectorFile};
use serde_json::json;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: cargo run --example replay -- FILE...");
        return ExitCode::from(2);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let outcome = std::fs::read_to_string(file)
            .map_err(|err| format!("cannot read: {err}"))
            .and_then(|text| VectorFile::parse(&text).map_err(|err| err.to_string()))
            .and_then(|vectors| {
                replay(&vectors, &mut Reference::default()).map_err(|err| err.to_string())
            });
        match outcome {
            Ok(steps) => {
                for step in steps {
                    let mut line = json!({
                        "file": file,
                        "step": step.step,
                        "status": step.status,
                        "body": step.json(),
                        "ok": step.ok,
                    });
                    if let Some(mismatch) = &step.mismatch {
                        line["mismatch"] = json!(mismatch);
                    }
                    println!("{line}");
                    if step.ok {
                        passed += 1;
                    } else {
                        failed += 1;
                    }
                }
            }
            Err(error) => {
                println!("{}", json!({"file": file, "error": error, "ok": false}));
                failed += 1;
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
