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
    // Every range below is inside the 20 ASCII bytes just checked, all digits.
    let number = |from: usize, to: usize| {
        bytes.get(from..to).map(|digits| {
            digits.iter().fold(0u32, |n, digit| {
                n * 10 + u32::from(digit.wrapping_sub(b'0'))
            })
        })
    };
    let parts = (
        // Four digits always fit.
        number(0, 4).and_then(|year| i32::try_from(year).ok()),
        number(5, 7),
        number(8, 10),
        number(11, 13),
        number(14, 16),
        number(17, 19),
    );
    if let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = parts {
        if let Some(naive) = NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|d| d.and_hms_opt(hour, minute, second))
        {
            return Ok(naive.and_utc());
        }
    }
    // Not a real time: chrono says why, or reads a leap second, which is refused.
    match NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ") {
        Err(err) => Err(SecondsError::NotReal(err)),
        Ok(naive) if naive.nanosecond() >= 1_000_000_000 => Err(SecondsError::LeapSecond),
        Ok(naive) => Ok(naive.and_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_seconds, SecondsError, Stamp};

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
