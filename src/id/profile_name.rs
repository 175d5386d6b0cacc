//! [`ProfileName`]: the name of a [`Profile`](crate::Profile), as errors show it. It sits
//! with the ids, below the errors that name a profile and the policy that holds one.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::{check_chars, check_length, IdError, IdKind};

/// A [`Profile`](crate::Profile)'s name: 1 to 32 ASCII letters, digits, `-`, `_` or `.`, held inline so that a
/// profile stays `Copy`.
///
/// ```
/// use org_handshake::ProfileName;
/// let name: ProfileName = "my-emulator".parse()?;
/// assert_eq!(name, "my-emulator");
/// assert!("two words".parse::<ProfileName>().is_err());
/// assert_eq!(ProfileName::from_static("aws").as_str(), "aws");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileName {
    len: u8,
    bytes: [u8; ProfileName::MAX_LEN],
}

impl ProfileName {
    /// The longest name.
    pub const MAX_LEN: usize = 32;

    const fn allowed(byte: u8) -> bool {
        byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.')
    }

    /// A name written in code, usable in a `const`. It keeps `name` up to its first byte
    /// outside the rule and at most [`MAX_LEN`](Self::MAX_LEN) bytes, so what it holds
    /// always follows the rule when not empty; use [`parse`](Self::parse) to refuse instead.
    pub const fn from_static(name: &'static str) -> Self {
        let source = name.as_bytes();
        let mut bytes = [0u8; Self::MAX_LEN];
        let mut len = 0;
        while len < source.len() && len < Self::MAX_LEN && Self::allowed(source[len]) {
            bytes[len] = source[len];
            len += 1;
        }
        ProfileName {
            len: len as u8,
            bytes,
        }
    }

    /// Parses a name.
    ///
    /// # Errors
    ///
    /// [`IdError`] (kind [`IdKind::ProfileName`]) for an empty name, one over 32 characters,
    /// or a character other than an ASCII letter, digit, `-`, `_` or `.`.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let kind = IdKind::ProfileName;
        if value.is_empty() {
            return Err(IdError::Empty { kind });
        }
        check_length(kind, value, 0, 1, Self::MAX_LEN)?;
        check_chars(kind, value, 0, |c| c.is_ascii() && Self::allowed(c as u8))?;
        let mut bytes = [0u8; Self::MAX_LEN];
        let source = value.as_bytes();
        let len = source.len().min(Self::MAX_LEN);
        bytes[..len].copy_from_slice(&source[..len]);
        Ok(ProfileName {
            len: len as u8,
            bytes,
        })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        let stored = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        // Only allowed ASCII is ever stored, so this never falls back.
        std::str::from_utf8(stored).unwrap_or_default()
    }
}

impl fmt::Debug for ProfileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ProfileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ProfileName {
    type Err = IdError;
    fn from_str(value: &str) -> Result<Self, IdError> {
        ProfileName::parse(value)
    }
}

impl PartialEq<str> for ProfileName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ProfileName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ProfileName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProfileName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ProfileName::parse(&text).map_err(serde::de::Error::custom)
    }
}
