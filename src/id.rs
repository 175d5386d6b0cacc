//! Validated identifiers: construction parses, so a value of these types is always well formed.
//!
//! The neutral patterns here are the union of what the providers document; each provider
//! narrows them further (see [`Profile`](crate::Profile)):
//!
//! | type | neutral rule | AWS | Huawei | Alibaba |
//! |---|---|---|---|---|
//! | [`HandshakeId`] | `h-` + 8–32 ASCII letters/digits | `^h-[0-9a-z]{8,32}$` | `^h-[0-9a-z]{8,32}$` | `h-` + 16 letters/digits |
//! | [`AccountId`] | 1–64 ASCII letters/digits | 12 digits | hex (32 in examples) | 16 digits |
//! | [`OrganizationId`] | `o-` + 10–32 `[0-9a-z]`, or `rd-` + 2–32 letters/digits | `o-…` | `o-…` | `rd-…` |
//! | [`Email`] | 6–64 characters, `local@domain.tld`, no white space | same | – | same |
//! | [`AccountName`] | 1–64 characters, no control characters | same | same | same |
//! | [`Notes`] | at most 1024 characters | same | same | same |
//!
//! The three id types are stored inline (no heap allocation) and are `Copy`, so transitions and
//! events that carry them never allocate.
//!
//! ```
//! use org_handshake::{HandshakeId, IdError};
//!
//! let id: HandshakeId = "h-examplehandshakeid111".parse()?;
//! assert_eq!(id.as_str(), "h-examplehandshakeid111");
//! assert!(matches!("x-examplehandshakeid111".parse::<HandshakeId>(), Err(IdError::MissingPrefix { .. })));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod error;
mod profile_name;

use error::shown;
pub(crate) use error::{check_chars, check_length};
pub use error::{IdError, IdKind};
pub use profile_name::ProfileName;

/// An ASCII string of at most `N` bytes, stored inline so that ids are `Copy` and never allocate.
#[derive(Clone, Copy)]
struct Inline<const N: usize> {
    len: u8,
    bytes: [u8; N],
}

impl<const N: usize> Inline<N> {
    /// `value` has been validated: ASCII and at most `N` bytes.
    fn new(value: &str) -> Self {
        let mut bytes = [0u8; N];
        let len = value.len().min(N);
        bytes[..len].copy_from_slice(&value.as_bytes()[..len]);
        Inline {
            len: len as u8,
            bytes,
        }
    }

    fn as_str(&self) -> &str {
        // Only validated ASCII is ever stored, so this never falls back.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The stored bytes. Comparisons use these rather than `as_str`, whose UTF-8 check would
    /// dominate an id comparison (and ids are compared on every transition and index lookup).
    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl<const N: usize> PartialEq for Inline<N> {
    fn eq(&self, other: &Self) -> bool {
        // `new`, the only constructor, zero-fills past `len`: equal ids have equal arrays.
        // Folded with XOR rather than `==` on the arrays, which compiled to a call to `bcmp`
        // (about a tenth of an accept); this is a few vector instructions.
        self.len == other.len
            && self
                .bytes
                .iter()
                .zip(&other.bytes)
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }
}
impl<const N: usize> Eq for Inline<N> {}
impl<const N: usize> Hash for Inline<N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}
impl<const N: usize> PartialOrd for Inline<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<const N: usize> Ord for Inline<N> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Byte order is `str` order.
        self.as_bytes().cmp(other.as_bytes())
    }
}

/// Implements the conversions every identifier shares: `as_str`, `Display`, `Debug`, `FromStr`,
/// `AsRef<str>`, `TryFrom<&str>`/`TryFrom<String>`, `From<Self> for String`, and serde that
/// validates on deserialize.
macro_rules! id_conversions {
    ($ty:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($ty), self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = IdError;
            fn from_str(value: &str) -> Result<Self, IdError> {
                Self::parse(value)
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl TryFrom<&str> for $ty {
            type Error = IdError;
            fn try_from(value: &str) -> Result<Self, IdError> {
                Self::parse(value)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                Self::parse(&value)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.as_str().to_owned()
            }
        }
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&value).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A handshake id: `h-` followed by 8 to 32 ASCII letters or digits.
///
/// This is the neutral rule; AWS and Huawei allow only lower-case letters and Alibaba exactly 16
/// characters, which [`Profile::check_handshake_id`](crate::Profile::check_handshake_id) checks.
///
/// # Example: parse, and refuse what does not match
///
/// ```
/// use org_handshake::HandshakeId;
///
/// let id = HandshakeId::parse("h-0123456789abcdef")?;
/// assert_eq!(id.to_string(), "h-0123456789abcdef");
/// assert!(HandshakeId::parse("h-short").is_err()); // 5 characters after `h-`
/// assert!(HandshakeId::parse("h-0123456789abcdé").is_err()); // not ASCII
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HandshakeId(Inline<34>);

impl HandshakeId {
    /// The prefix every handshake id starts with.
    pub const PREFIX: &'static str = "h-";
    /// The least number of characters after the prefix.
    pub const MIN_LEN: usize = 8;
    /// The greatest number of characters after the prefix.
    pub const MAX_LEN: usize = 32;

    /// Parses a handshake id.
    ///
    /// # Errors
    ///
    /// [`IdError`] naming what is wrong: a missing `h-` prefix, a length outside 8–32, or a
    /// character that is not an ASCII letter or digit.
    ///
    /// ```
    /// use org_handshake::HandshakeId;
    /// assert!(HandshakeId::parse("h-examplehandshakeid111").is_ok());
    /// assert!(HandshakeId::parse("h-exa_mple").is_err());
    /// ```
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let kind = IdKind::HandshakeId;
        if value.is_empty() {
            return Err(IdError::Empty { kind });
        }
        if !value.starts_with(Self::PREFIX) {
            return Err(IdError::MissingPrefix {
                kind,
                value: shown(value),
                expected: "`h-`",
            });
        }
        check_chars(kind, value, 2, |c| c.is_ascii_alphanumeric())?;
        check_length(kind, value, 2, Self::MIN_LEN, Self::MAX_LEN)?;
        Ok(HandshakeId(Inline::new(value)))
    }

    /// The id as a string slice.
    ///
    /// ```
    /// let id = org_handshake::HandshakeId::parse("h-0123456789")?;
    /// assert_eq!(id.as_str(), "h-0123456789");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}
id_conversions!(HandshakeId);

/// An account id: 1 to 64 ASCII letters or digits.
///
/// AWS uses 12 digits, Alibaba 16 digits, Huawei 32 hexadecimal characters; a
/// [`Profile`](crate::Profile) narrows the rule per provider.
///
/// ```
/// use org_handshake::AccountId;
///
/// let id: AccountId = "111111111111".parse()?;
/// assert_eq!(id.as_ref(), "111111111111");
/// assert!(AccountId::parse("").is_err());
/// assert!(AccountId::parse("1111 1111").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(Inline<64>);

impl AccountId {
    /// The greatest number of characters.
    pub const MAX_LEN: usize = 64;

    /// Parses an account id.
    ///
    /// # Errors
    ///
    /// [`IdError`] when the value is empty, longer than 64 characters, or has a character that is
    /// not an ASCII letter or digit.
    ///
    /// ```
    /// assert!(org_handshake::AccountId::parse("0a6d25d23900d45c0faac010e0fb4de0").is_ok());
    /// ```
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let kind = IdKind::AccountId;
        if value.is_empty() {
            return Err(IdError::Empty { kind });
        }
        check_chars(kind, value, 0, |c| c.is_ascii_alphanumeric())?;
        check_length(kind, value, 0, 1, Self::MAX_LEN)?;
        Ok(AccountId(Inline::new(value)))
    }

    /// The id as a string slice.
    ///
    /// ```
    /// assert_eq!(org_handshake::AccountId::parse("222222222222")?.as_str(), "222222222222");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}
id_conversions!(AccountId);

/// An organization id: `o-` + 10 to 32 lower-case letters or digits (AWS, Huawei), or `rd-` + 2
/// to 32 ASCII letters or digits (an Alibaba resource directory).
///
/// ```
/// use org_handshake::OrganizationId;
///
/// assert!(OrganizationId::parse("o-exampleorgid").is_ok());
/// assert!(OrganizationId::parse("rd-3G6rzX").is_ok());
/// assert!(OrganizationId::parse("o-Short").is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrganizationId(Inline<35>);

impl OrganizationId {
    /// Parses an organization id.
    ///
    /// # Errors
    ///
    /// [`IdError`] when the prefix is neither `o-` nor `rd-`, or what follows breaks that
    /// prefix's rule.
    ///
    /// ```
    /// assert!(org_handshake::OrganizationId::parse("ou-abcdefghij").is_err());
    /// ```
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let kind = IdKind::OrganizationId;
        if value.is_empty() {
            return Err(IdError::Empty { kind });
        }
        if value.starts_with("o-") {
            check_chars(kind, value, 2, |c| {
                c.is_ascii_lowercase() || c.is_ascii_digit()
            })?;
            check_length(kind, value, 2, 10, 32)?;
        } else if value.starts_with("rd-") {
            check_chars(kind, value, 3, |c| c.is_ascii_alphanumeric())?;
            check_length(kind, value, 3, 2, 32)?;
        } else {
            return Err(IdError::MissingPrefix {
                kind,
                value: shown(value),
                expected: "`o-` or `rd-`",
            });
        }
        Ok(OrganizationId(Inline::new(value)))
    }

    /// The id as a string slice.
    ///
    /// ```
    /// assert_eq!(org_handshake::OrganizationId::parse("o-exampleorgid")?.as_str(), "o-exampleorgid");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}
id_conversions!(OrganizationId);

/// Implements the string-backed validated types' shared parts.
macro_rules! string_newtype {
    ($ty:ident) => {
        impl $ty {
            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        id_conversions!($ty);
    };
}

/// An email address: 6 to 64 characters, one `@`, a dot in the domain, no white space.
///
/// This is AWS's `Email` pattern `[^\s@]+@[^\s@]+\.[^\s@]+`, held to the whole value.
///
/// ```
/// use org_handshake::Email;
///
/// assert_eq!(Email::parse("juan@example.com")?.as_str(), "juan@example.com");
/// assert!(Email::parse("juan@example").is_err());
/// assert!(Email::parse("ju an@example.com").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Parses an email address.
    ///
    /// # Errors
    ///
    /// [`IdError`] when the length is outside 6–64, there is white space, or the value is not
    /// `local@domain.tld`.
    ///
    /// ```
    /// assert!(org_handshake::Email::parse("a@b.co").is_ok());
    /// ```
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let kind = IdKind::Email;
        if value.is_empty() {
            return Err(IdError::Empty { kind });
        }
        check_chars(kind, value, 0, |c| !c.is_whitespace())?;
        check_length(kind, value, 0, 6, 64)?;
        let malformed = |reason| IdError::Malformed {
            kind,
            value: shown(value),
            reason,
        };
        let (local, domain) = value.split_once('@').ok_or_else(|| malformed("no `@`"))?;
        if domain.contains('@') {
            return Err(malformed("more than one `@`"));
        }
        if local.is_empty() {
            return Err(malformed("nothing before `@`"));
        }
        // `[^\s@]+\.[^\s@]+`: some dot in the domain with something on each side.
        let has_inner_dot = domain
            .char_indices()
            .any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len());
        if !has_inner_dot {
            return Err(malformed("the domain has no `.` between two parts"));
        }
        Ok(Email(value.to_owned()))
    }
}
string_newtype!(Email);

/// An account's display name (a management account's name, or a Huawei `name` target): 1 to 64
/// characters, none of them a control character.
///
/// ```
/// use org_handshake::AccountName;
///
/// assert_eq!(AccountName::parse("Org Master Account")?.as_str(), "Org Master Account");
/// assert!(AccountName::parse("").is_err());
/// assert!(AccountName::parse("tab\there").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountName(String);

impl AccountName {
    /// Parses an account name.
    ///
    /// # Errors
    ///
    /// [`IdError`] when the value is empty, longer than 64 characters, or has a control character.
    ///
    /// ```
    /// assert!(org_handshake::AccountName::parse("paas_iam_573331").is_ok());
    /// ```
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let kind = IdKind::AccountName;
        if value.is_empty() {
            return Err(IdError::Empty { kind });
        }
        check_chars(kind, value, 0, |c| !c.is_control())?;
        check_length(kind, value, 0, 1, 64)?;
        Ok(AccountName(value.to_owned()))
    }
}
string_newtype!(AccountName);

/// The free-text notes of an invitation: at most 1024 characters (every provider's limit).
///
/// ```
/// use org_handshake::Notes;
///
/// assert!(Notes::parse("Welcome aboard").is_ok());
/// assert!(Notes::parse(&"x".repeat(1025)).is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Notes(String);

impl Notes {
    /// The greatest number of characters.
    pub const MAX_LEN: usize = 1024;

    /// Parses notes.
    ///
    /// # Errors
    ///
    /// [`IdError::Length`] when the value has more than 1024 characters.
    ///
    /// ```
    /// assert!(org_handshake::Notes::parse("").is_ok());
    /// ```
    pub fn parse(value: &str) -> Result<Self, IdError> {
        check_length(IdKind::Notes, value, 0, 0, Self::MAX_LEN)?;
        Ok(Notes(value.to_owned()))
    }
}
string_newtype!(Notes);

#[cfg(test)]
mod tests;
