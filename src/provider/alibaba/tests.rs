//! Unit tests of the private edges of the Alibaba dialect: the error table's coverage, the
//! timestamp and account-id rules, and the reading of query parameters.

use std::borrow::Cow;

use serde_json::Value;

use crate::error::{ErrorKind, Failure};

use super::error::error_code;
use super::handshake::{format_time, parse_account_id, parse_time};
use super::request::{is_tag_parameter, query_text};

#[test]
fn every_kind_has_its_own_row() {
    for &kind in ErrorKind::values() {
        let failure = Failure::new(kind, "x");
        let row = error_code(&failure, "");
        if kind == ErrorKind::InvalidInput {
            // No parameter named: the generic placeholder.
            assert_eq!(row.code.as_str(), "InvalidParameter");
            assert!(!row.verified);
        } else {
            assert_eq!(row.kind, kind, "{kind}");
        }
    }
}

#[test]
fn time_shape_is_strict() {
    for bad in [
        "2021-01-20T02:15:40",
        "2021-01-20T02:15:40.000Z",
        "2021-01-20 02:15:40Z",
        "2021-01-20T02:15:40+00:00",
        "2021-02-30T02:15:40Z",
        "2021-01-20T02:15:60Z",
        "2021-01-20T24:00:00Z",
        "２021-01-20T02:15:40Z",
    ] {
        assert!(parse_time("t", bad).is_err(), "{bad}");
    }
    let at = parse_time("t", "2021-01-20T02:15:40Z").unwrap();
    assert_eq!(format_time(at).unwrap(), "2021-01-20T02:15:40Z");
}

#[test]
fn account_ids_are_sixteen_digits() {
    assert!(parse_account_id("1512666876910001", "a").is_ok());
    for bad in [
        "151266687691****",
        "151266687691000",
        "15126668769100012",
        "151266687691000a",
    ] {
        assert!(parse_account_id(bad, "a").is_err(), "{bad}");
    }
}

#[test]
fn tag_parameters_are_numbered_from_one() {
    assert!(is_tag_parameter("Tag.1.Key"));
    assert!(is_tag_parameter("Tag.20.Value"));
    for other in [
        "Tag",
        "Tag.0.Key",
        "Tag.01.Key",
        "Tag.x.Key",
        "Tag.1.Name",
        "Tag.1",
    ] {
        assert!(!is_tag_parameter(other), "{other}");
    }
}

#[test]
fn query_text_follows_the_wire() {
    let text = |v: Value| query_text("P", Some(&v)).map(|t| t.map(Cow::into_owned));
    assert_eq!(text(Value::from(12)).ok(), Some(Some("12".to_owned())));
    assert_eq!(text(Value::from(true)).ok(), Some(Some("true".to_owned())));
    assert_eq!(text(Value::from("")).ok(), Some(None));
    assert_eq!(text(Value::Null).ok(), Some(None));
    assert!(text(serde_json::json!([1])).is_err());
    assert!(text(serde_json::json!({"a": 1})).is_err());
}
