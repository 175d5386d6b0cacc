use chrono::NaiveDate;

use super::handshake::{check_urn, format_time, parse_time, urn};
use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;
use crate::error::ErrorKind;

#[test]
fn every_kind_has_exactly_one_general_row() {
    for &kind in ErrorKind::values() {
        let general = ERROR_CODES
            .iter()
            .filter(|row| {
                row.kind == kind && row.detail == crate::provider::error_table::Detail::ANY
            })
            .count();
        assert_eq!(general, 1, "{kind}");
    }
    assert_eq!(
        ERROR_CODES
            .iter()
            .filter(|r| r.detail == crate::provider::error_table::Detail::ANY)
            .count(),
        ErrorKind::values().len()
    );
}

#[test]
fn every_code_reads_back_as_its_kind() -> TestResult {
    for row in ERROR_CODES {
        let json = format!(
            r#"{{"error_code": "{}", "error_msg": "m"}}"#,
            row.code.as_str()
        );
        let read = parse_error_response(row.status, &json)?;
        assert_eq!(read.kind, Some(row.kind), "{}", row.code.as_str());
    }
    Ok(())
}

#[test]
fn unverified_codes_say_so_and_verified_ones_do_not() {
    for row in ERROR_CODES {
        assert_eq!(
            row.code.as_str().contains(".Unverified."),
            !row.verified && row.message.is_none(),
            "{}",
            row.code.as_str()
        );
    }
}

#[test]
fn timestamps_are_read_in_one_form_only() -> TestResult {
    let ok = parse_time("t", "2022-08-25T08:11:53Z")?;
    assert_eq!(format_time(ok)?, "2022-08-25T08:11:53Z");
    for bad in [
        "2022-08-25T08:11:53.000Z",
        "2022-08-25T08:11:53+00:00",
        "2022-08-25 08:11:53Z",
        "2022-08-25T08:11:53z",
        "2022-02-30T08:11:53Z",
        "2022-08-25T24:00:00Z",
        "2016-12-31T23:59:60Z",
        "+2022-08-25T08:11:5Z",
        "２０22-08-25T08:11:53Z",
        "",
    ] {
        let err = parse_time("created_at", bad).unwrap_err();
        assert!(
            matches!(&err, WireError::Invalid { field, .. } if field == "created_at"),
            "{bad}: {err:?}"
        );
    }
    Ok(())
}

#[test]
fn rendering_truncates_to_the_second_and_refuses_far_years() -> TestResult {
    let at = parse_time("t", "2022-08-25T08:11:53Z")? + chrono::TimeDelta::milliseconds(999);
    assert_eq!(format_time(at)?, "2022-08-25T08:11:53Z");
    let far = NaiveDate::from_ymd_opt(10_000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or("year 10000 exists in chrono")?
        .and_utc();
    assert!(matches!(format_time(far), Err(e) if e.code() == "unsupported"));
    Ok(())
}

#[test]
fn missing_members_are_recognised_only_in_serdes_wording() {
    assert_eq!(
        missing_member("missing field `urn` at line 1 column 2"),
        Some("urn")
    );
    assert_eq!(
        missing_member("invalid type: null, expected a string"),
        None
    );
}

#[test]
fn urn_parts_are_checked_one_by_one() {
    let ok = urn("acc", "o-exampleorgid", "h-0123456789");
    assert!(check_urn("urn", &ok, "acc", "o-exampleorgid", "h-0123456789").is_ok());
    let err = check_urn("urn", &ok, "other", "o-exampleorgid", "h-0123456789").unwrap_err();
    assert!(err.to_string().contains("management_account_id"), "{err}");
    let err = check_urn(
        "urn",
        "organizations::acc/h-0123456789",
        "acc",
        "o-x",
        "h-0123456789",
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_field");
}
