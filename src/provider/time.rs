//! `YYYY-MM-DDTHH:MM:SSZ`, the timestamp text Huawei and Alibaba share, written without
//! allocating.

use chrono::{DateTime, Datelike, Timelike, Utc};

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

#[cfg(test)]
mod tests {
    use super::Stamp;

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
