//! The fast way in for a provider's handshake object: each provider reads the document into a
//! private mirror of its wire struct generic over its strings, first as `&str` (borrowed, for a
//! document whose strings have no escapes), then as [`Text`] (borrowed where it can, copied
//! where a string has escapes), through [`from_json_borrowed`].
//!
//! A successful parse copied every member into an owned `String` only to check it and copy it
//! again into a validated id, and dropped the strings after: for AWS that was a sixth of the
//! instructions of a parse. The mirrors read the same keys under the same serde rules, a
//! [`Text`] or `&str` accepts no more than a `String` does, and a mirror may require a member
//! the wire struct has as an `Option`; so a document a mirror reads is one the owned path reads
//! the same way, and whatever a mirror refuses is read again through the owned wire struct and
//! [`from_json`](super::from_json), which gives every error exactly as before.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A JSON string member, borrowed from the document when it has no escapes.
#[derive(Debug)]
pub(crate) struct Text<'a>(Cow<'a, str>);

impl Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `String` asks for `deserialize_string`; serde_json reads both the same way.
        deserializer.deserialize_string(TextVisitor)
    }
}

/// Accepts what serde's `String` visitor accepts, borrowing where it can.
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The same words as `String`'s visitor.
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(value)))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Text<'de>, E> {
        match std::str::from_utf8(value) {
            Ok(text) => Ok(Text(Cow::Owned(text.to_owned()))),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(value), &self)),
        }
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<Text<'de>, E> {
        match String::from_utf8(value) {
            Ok(text) => Ok(Text(Cow::Owned(text))),
            Err(err) => Err(E::invalid_value(
                de::Unexpected::Bytes(&err.into_bytes()),
                &self,
            )),
        }
    }
}

/// Reads `json` into `T`, a borrowed mirror of a provider's wire struct, on the happy path
/// only: `None` for anything [`from_json`](super::from_json) would refuse (and possibly for
/// more), so that the caller reads the document again the owned way for the exact error.
pub(crate) fn from_json_borrowed<'de, T: Deserialize<'de>>(json: &'de str) -> Option<T> {
    // As `from_json`: every provider document is an object (a derived struct also reads an
    // array of its fields).
    if !json.trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str(json).ok()
}

#[cfg(test)]
mod tests {
    use super::{from_json_borrowed, Text};
    use std::borrow::Cow;

    #[test]
    fn borrows_plain_strings_and_copies_escaped_ones() -> Result<(), serde_json::Error> {
        let plain: Text<'_> = serde_json::from_str(r#""plain""#)?;
        assert!(matches!(plain.0, Cow::Borrowed("plain")));
        let escaped: Text<'_> = serde_json::from_str(r#""a\"b\u00e9""#)?;
        assert!(matches!(&escaped.0, Cow::Owned(text) if text == "a\"bé"));
        Ok(())
    }

    #[test]
    fn refuses_what_a_string_refuses_with_the_same_words() {
        for json in ["1", "null", "[]", "{}", "true", r#""\ud800""#, r#""a"#] {
            let text = serde_json::from_str::<Text<'_>>(json).map(|t| t.to_string());
            let string = serde_json::from_str::<String>(json);
            assert_eq!(
                text.map_err(|e| e.to_string()),
                string.map_err(|e| e.to_string()),
                "{json}"
            );
        }
    }

    #[test]
    fn reads_objects_only() {
        #[derive(serde::Deserialize)]
        struct One<'a> {
            #[serde(borrow)]
            a: Text<'a>,
        }
        assert!(from_json_borrowed::<One<'_>>(r#"["x"]"#).is_none());
        assert!(from_json_borrowed::<One<'_>>(r#"{"a": 1}"#).is_none());
        let one = from_json_borrowed::<One<'_>>(r#" {"a": "x"}"#);
        assert_eq!(one.as_ref().map(|one| &*one.a), Some("x"));
    }
}
