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

#[test]
fn a_reply_without_a_body_replays_against_its_own_record() {
    use crate::provider::{Call, Provider, Service};
    let world = json!({"organizations": [{"id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv",
        "management_account": {"id": "0a6d25d23900d45c0faac010e0fb4de0", "name": "admin"}}]});
    let mut service =
        Service::new(Provider::Huawei, &serde_json::from_value(world).unwrap()).unwrap();
    let request = json!({});
    let at = "2026-01-05T10:00:00Z".parse().unwrap();
    let call = Call::new(
        "delete_organization",
        "0a6d25d23900d45c0faac010e0fb4de0",
        at,
        &request,
    );
    let reply = service.call(&call).unwrap();
    assert_eq!((reply.status, reply.body.as_str()), (204, ""));
    let step = Step::record(service.dialect(), &call, &[], &reply);
    assert!(match_subset_text(&step.expect.body, &reply.body).is_ok());
    assert!(match_subset_text(&json!({}), &reply.body).is_ok());
    // Text that is not JSON still has to be the text recorded.
    assert!(match_subset_text(&step.expect.body, "not the same").is_err());
    assert!(match_subset_text(&json!({"a": 1}), "not JSON").is_err());
}
