//! `YYYY-MM-DDTHH:MM:SSZ`, the seconds-precision UTC time text Huawei and Alibaba share:
//! [`Stamp`] writes it without allocating, [`parse_seconds`] reads it strictly. Each provider
//! turns a [`SecondsError`] into its own [`WireError`](super::WireError), with its field name
//! and its wording.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};

/// A UTC time written as `YYYY-MM-DDTHH:MM:SSZ`, truncated to the second (a leap second shows as
/// `:59`), held inline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp([u8; 20]);

impl Stamp {
    /// `at` written out, or `None` when its year is outside 0000–9999.
    pub(crate) fn of(at: DateTime<Utc>) -> Option<Stamp> {
        // Each accessor of a `DateTime` converts to local time again; of the `NaiveDateTime`,
        // it reads a field.
        let at = at.naive_utc();
        let year = u32::try_from(at.year()).ok().filter(|year| *year <= 9999)?;
        // Every value is below 10 000, so each digit is below 10.
        let digit = |value: u32, place: u32| b'0' + (value / place % 10) as u8;
        let (month, day) = (at.month(), at.day());
        let (hour, minute, second) = (at.hour(), at.minute(), at.second());
        Some(Stamp([
            digit(year, 1000),
            digit(year, 100),
            digit(year, 10),
            digit(year, 1),
            b'-',
            digit(month, 10),
            digit(month, 1),
            b'-',
            digit(day, 10),
            digit(day, 1),
            b'T',
            digit(hour, 10),
            digit(hour, 1),
            b':',
            digit(minute, 10),
            digit(minute, 1),
            b':',
            digit(second, 10),
            digit(second, 1),
            b'Z',
        ]))
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and separators are ever written, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Why a text is not a time [`parse_seconds`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SecondsError {
    /// Not `YYYY-MM-DDTHH:MM:SSZ` character for character (a fraction, an offset, a space, a
    /// missing digit).
    #[error("not of the form YYYY-MM-DDTHH:MM:SSZ")]
    Shape,
    /// Of the form, but a leap second (`23:59:60`), which the providers never write.
    #[error("a leap second")]
    LeapSecond,
    /// Of the form, but no real date and time (a 13th month, February 30, hour 24): chrono's
    /// reason.
    #[error("{0}")]
    NotReal(chrono::ParseError),
}

/// Reads exactly `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds, years 0000–9999): the form
/// [`Stamp`] writes, so every accepted text is written back byte for byte.
///
/// The shape is checked first, then the digits make the time; only a text whose digits make
/// no real time goes through chrono's parser, for its reason.
///
/// # Errors
///
/// [`SecondsError::Shape`] for any other form, [`SecondsError::LeapSecond`] for `:60`,
/// [`SecondsError::NotReal`] for an impossible date or time.
pub(crate) fn parse_seconds(value: &str) -> Result<DateTime<Utc>, SecondsError> {
    let Ok(bytes) = <&[u8; 20]>::try_from(value.as_bytes()) else {
        return Err(SecondsError::Shape);
    };
    let shaped = bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
        && bytes[16] == b':'
        && bytes[19] == b'Z'
        && DIGITS
            .iter()
            .all(|i| bytes.get(*i).is_some_and(u8::is_ascii_digit));
    if !shaped {
        return Err(SecondsError::Shape);
    }
    // Every index is below 20, and every byte read is an ASCII digit.
    let digit = |i: usize| u32::from(bytes[i].wrapping_sub(b'0'));
    let two = |i: usize| digit(i) * 10 + digit(i + 1);
    let year = digit(0) * 1000 + digit(1) * 100 + two(2);
    if let Some(at) = utc_time(year, two(5), two(8), two(11), two(14), two(17)) {
        return Ok(at);
    }
    // Not a real time: chrono says why, or reads a leap second, which is refused.
    match NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ") {
        Err(err) => Err(SecondsError::NotReal(err)),
        Ok(naive) if naive.nanosecond() >= 1_000_000_000 => Err(SecondsError::LeapSecond),
        Ok(naive) => Ok(naive.and_utc()),
    }
}

/// Where `YYYY-MM-DDTHH:MM:SSZ` has its digits.
const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/// Days in the months before each month of a common year.
const DAYS_BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// The UTC time of a real date and time of day (years 0000–9999, seconds 0–59), or `None`.
///
/// The same time chrono's `NaiveDate::from_ymd_opt(..).and_hms_opt(..)` makes, from the day of
/// the year: chrono's month-and-day constructor was most of the cost of reading a timestamp.
fn utc_time(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<DateTime<Utc>> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > month_days {
        return None;
    }
    let before = DAYS_BEFORE.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    let ordinal = before + day + u32::from(leap && month > 2);
    NaiveDate::from_yo_opt(i32::try_from(year).ok()?, ordinal)?
        .and_hms_opt(hour, minute, second)
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::{parse_seconds, SecondsError, Stamp};
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
    use proptest::prelude::*;

    /// `parse_seconds` as it was before it counted the time itself: chrono made every time.
    fn through_chrono(value: &str) -> Result<DateTime<Utc>, SecondsError> {
        let bytes = value.as_bytes();
        let shaped = bytes.len() == 20
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                10 => *b == b'T',
                13 | 16 => *b == b':',
                19 => *b == b'Z',
                _ => b.is_ascii_digit(),
            });
        if !shaped {
            return Err(SecondsError::Shape);
        }
        let number = |from: usize, to: usize| value[from..to].parse::<u32>().unwrap();
        if let Some(naive) =
            NaiveDate::from_ymd_opt(number(0, 4) as i32, number(5, 7), number(8, 10))
                .and_then(|d| d.and_hms_opt(number(11, 13), number(14, 16), number(17, 19)))
        {
            return Ok(naive.and_utc());
        }
        match NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ") {
            Err(err) => Err(SecondsError::NotReal(err)),
            Ok(naive) if naive.nanosecond() >= 1_000_000_000 => Err(SecondsError::LeapSecond),
            Ok(naive) => Ok(naive.and_utc()),
        }
    }

    #[test]
    fn counts_every_day_as_chrono_does() {
        // Leap and common years, century years either way, both ends of the range, the epoch.
        for year in [
            0, 1, 3, 4, 99, 100, 400, 1582, 1600, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 9996,
            9999,
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    for (hour, minute, second) in [
                        (0, 0, 0),
                        (23, 59, 59),
                        (12, 34, 56),
                        (24, 0, 0),
                        (0, 60, 0),
                        (0, 0, 60),
                    ] {
                        let text = format!(
                            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
                        );
                        assert_eq!(parse_seconds(&text), through_chrono(&text), "{text}");
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn reads_any_text_as_chrono_does(text in "\\PC{0,24}") {
            prop_assert_eq!(parse_seconds(&text), through_chrono(&text));
        }

        #[test]
        fn reads_any_digits_as_chrono_does(
            text in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9]Z",
        ) {
            prop_assert_eq!(parse_seconds(&text), through_chrono(&text));
        }

        #[test]
        fn reads_any_real_time_as_chrono_does(seconds in -62_167_219_200i64..=253_402_300_799) {
            let text = DateTime::from_timestamp(seconds, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            prop_assert_eq!(parse_seconds(&text), through_chrono(&text));
            prop_assert_eq!(parse_seconds(&text).map(|at| at.timestamp()), Ok(seconds));
        }
    }

    #[test]
    fn reads_one_form_only_and_writes_it_back() -> Result<(), Box<dyn std::error::Error>> {
        for text in [
            "2022-08-25T08:11:53Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-02-29T12:00:00Z",
        ] {
            let at = parse_seconds(text)?;
            assert_eq!(
                Stamp::of(at).map(|s| s.as_str().to_owned()).as_deref(),
                Some(text)
            );
        }
        for bad in [
            "2022-08-25T08:11:53.000Z",
            "2022-08-25T08:11:53+00:00",
            "2022-08-25 08:11:53Z",
            "2022-08-25T08:11:53z",
            "+2022-08-25T08:11:5Z",
            "２０22-08-25T08:11:53Z",
            "",
        ] {
            assert_eq!(parse_seconds(bad), Err(SecondsError::Shape), "{bad}");
        }
        for bad in [
            "2022-02-30T08:11:53Z",
            "2023-02-29T00:00:00Z",
            "2022-13-01T00:00:00Z",
            "2022-08-25T24:00:00Z",
            "2022-08-25T23:60:00Z",
        ] {
            assert!(
                matches!(parse_seconds(bad), Err(SecondsError::NotReal(_))),
                "{bad}"
            );
        }
        assert_eq!(
            parse_seconds("2016-12-31T23:59:60Z"),
            Err(SecondsError::LeapSecond)
        );
        Ok(())
    }

    #[test]
    fn writes_every_field_with_its_zeros() -> Result<(), Box<dyn std::error::Error>> {
        let stamp = |text: &str| -> Result<Option<String>, chrono::ParseError> {
            Ok(Stamp::of(text.parse()?).map(|s| s.as_str().to_owned()))
        };
        assert_eq!(
            stamp("0007-02-03T04:05:06.999Z")?.as_deref(),
            Some("0007-02-03T04:05:06Z")
        );
        assert_eq!(
            stamp("9999-12-31T23:59:59Z")?.as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
        assert_eq!(
            stamp("2016-12-31T23:59:60.5Z")?.as_deref(),
            Some("2016-12-31T23:59:59Z")
        );
        assert_eq!(stamp("+10000-01-01T00:00:00Z")?, None);
        assert_eq!(stamp("-0001-12-31T23:59:59Z")?, None);
        Ok(())
    }
}
