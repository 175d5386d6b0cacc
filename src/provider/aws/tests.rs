//! Unit tests of the AWS module's private edges (the public behaviour is tested in
//! `tests/provider_aws.rs`).

use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;
use crate::error::ErrorKind;

#[test]
fn every_kind_has_a_catch_all_row() {
    for &kind in ErrorKind::values() {
        let rows: Vec<_> = ERROR_CODES.iter().filter(|c| c.kind == kind).collect();
        assert_eq!(
            rows.last().map(|r| r.detail),
            Some(crate::provider::error_table::Detail::ANY),
            "{kind}: the last row of a kind must catch the rest"
        );
    }
}

#[test]
fn timestamps_refuse_what_chrono_cannot_hold() -> TestResult {
    let huge: serde_json::Number = serde_json::from_str("1e300")?;
    assert!(matches!(
        parse_time("T", &huge),
        Err(crate::provider::WireError::Invalid { .. })
    ));
    let max: serde_json::Number = serde_json::from_str("18446744073709551615")?;
    assert!(parse_time("T", &max).is_err());
    let negative: serde_json::Number = serde_json::from_str("-1")?;
    assert!(parse_time("T", &negative).is_err());
    let negative_fraction: serde_json::Number = serde_json::from_str("-0.5")?;
    assert!(parse_time("T", &negative_fraction).is_err());
    Ok(())
}
