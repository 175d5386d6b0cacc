//! Unit tests of the vector format's rules and the subset matcher.

use super::*;
use serde_json::json;

#[test]
fn arrays_must_have_the_same_length() {
    let actual = json!({"Handshakes": [{"Id": "a"}, {"Id": "b"}]});
    assert!(match_subset(&json!({"Handshakes": [{}]}), &actual).is_err());
    assert!(match_subset(&json!({"Handshakes": [{}, {"Id": "b"}]}), &actual).is_ok());
    let m = match_subset(&json!({"Handshakes": [{}, {"Id": "c"}]}), &actual).unwrap_err();
    assert_eq!(m.path, "Handshakes[1].Id");
}

#[test]
fn null_means_absent_or_null_but_not_a_value() {
    assert!(match_subset(&json!({"NextToken": null}), &json!({"NextToken": null})).is_ok());
    assert!(match_subset(&json!({"NextToken": null}), &json!({"NextToken": "x"})).is_err());
    assert!(match_subset(&json!({"a": 1}), &json!({})).is_err());
}

#[test]
fn numbers_compare_by_value_not_by_spelling() {
    assert!(match_subset(&json!(1767607200), &json!(1767607200.0)).is_ok());
    assert!(match_subset(&json!(1767607200), &json!(1767607200.5)).is_err());
    assert!(match_subset(&json!("1"), &json!(1)).is_err());
}

#[test]
fn refs_must_point_backwards() {
    let file = json!({"format": FORMAT, "id": "x", "description": "d", "provider": "aws",
        "steps": [{"at": "2026-01-01T00:00:00Z", "caller": "111111111111", "operation": "X",
            "request": {"T": {"$ref": "steps[0].body.T"}}, "expect": {"status": 200}}]});
    let err = VectorFile::parse(&file.to_string()).unwrap_err();
    assert_eq!(err.code(), "unresolvable_ref");
}

#[test]
fn times_must_not_decrease() {
    let step =
        |at: &str| json!({"at": at, "caller": "1", "operation": "X", "expect": {"status": 200}});
    let file = json!({"format": FORMAT, "id": "x", "description": "d", "provider": "aws",
        "steps": [step("2026-01-02T00:00:00Z"), step("2026-01-01T00:00:00Z")]});
    assert!(matches!(
        VectorFile::parse(&file.to_string()),
        Err(VectorError::Rule(_))
    ));
}

#[test]
fn malformed_refs_are_errors_not_panics() {
    for bad in [
        "steps[",
        "steps[x].body",
        "steps[0]",
        "steps[0].body.",
        "steps[0].body[z]",
        "steps[0].body..a",
    ] {
        let request = json!({"$ref": bad});
        assert!(resolve_refs(&request, &[json!({})], 1).is_err(), "{bad}");
    }
}
