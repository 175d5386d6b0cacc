//! Every conformance vector validates against `tests/conformance/schema.json`, and the schema
//! itself rejects what the format forbids.

mod common;

use std::path::PathBuf;

use serde_json::{json, Value};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(dir().join("schema.json")).expect("schema.json");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft202012::new(&schema).expect("schema compiles")
}

fn dir() -> PathBuf {
    common::vectors::dir()
}

/// All vector files, in a stable order.
fn vector_files() -> Vec<PathBuf> {
    common::vectors::files()
}

#[test]
fn every_vector_validates_against_the_schema() {
    let validator = schema();
    for path in vector_files() {
        let value: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

fn minimal() -> Value {
    json!({
        "format": "org-handshake-vectors/1",
        "id": "aws-minimal",
        "description": "one describe",
        "provider": "aws",
        "world": {"organizations": [], "accounts": [{"id": "111111111111", "name": "a"}]},
        "steps": [{
            "at": "2026-01-05T10:00:00Z",
            "caller": "111111111111",
            "operation": "DescribeHandshake",
            "request": {"HandshakeId": "h-0123456789"},
            "expect": {"status": 404, "body": {"__type": "HandshakeNotFoundException"}}
        }]
    })
}

#[test]
fn the_schema_accepts_a_minimal_file_and_refuses_what_the_format_forbids() {
    let validator = schema();
    assert!(validator.is_valid(&minimal()));

    let mut wrong_format = minimal();
    wrong_format["format"] = json!("org-handshake-vectors/2");
    assert!(!validator.is_valid(&wrong_format));

    let mut wrong_operation = minimal();
    wrong_operation["steps"][0]["operation"] = json!("GetHandshake"); // Alibaba's name
    assert!(!validator.is_valid(&wrong_operation));

    let mut bad_time = minimal();
    bad_time["steps"][0]["at"] = json!("2026-01-05T10:00:00+01:00");
    assert!(!validator.is_valid(&bad_time));

    let mut bad_ref = minimal();
    bad_ref["steps"][0]["request"] = json!({"NextToken": {"$ref": "step[0].NextToken"}});
    assert!(!validator.is_valid(&bad_ref));

    let mut good_ref = minimal();
    good_ref["steps"][0]["request"] =
        json!({"NextToken": {"$ref": "steps[0].body.Handshakes[0].Id"}});
    assert!(validator.is_valid(&good_ref));

    let mut extra_key = minimal();
    extra_key["steps"][0]["expected"] = json!({});
    assert!(!validator.is_valid(&extra_key));
}

/// What the crate writes is what the schema accepts: every corpus file, read into a
/// `VectorFile` and written back (absent optional members stay absent, never `null`), still
/// validates. An emulator's served session is written this way.
#[test]
fn every_vector_written_back_by_the_crate_validates() {
    let validator = schema();
    for path in vector_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let file = org_handshake::conformance::VectorFile::parse(&text).expect("parses");
        let written = serde_json::to_value(&file).expect("serializes");
        let errors: Vec<String> = validator
            .iter_errors(&written)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}
