//! Why a string is not a valid identifier ([`IdError`], about an [`IdKind`]), and the
//! character and length checks every identifier's parser shares.

use std::fmt;

#[cfg(doc)]
use super::{AccountId, AccountName, Email, HandshakeId, Notes, OrganizationId, ProfileName};

/// Which identifier an [`IdError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdKind {
    /// A [`HandshakeId`].
    HandshakeId,
    /// An [`AccountId`].
    AccountId,
    /// An [`OrganizationId`].
    OrganizationId,
    /// An [`Email`].
    Email,
    /// An [`AccountName`].
    AccountName,
    /// [`Notes`].
    Notes,
    /// A [`ProfileName`].
    ProfileName,
}

impl IdKind {
    /// The kind as a lower-case phrase, as it appears in error messages.
    ///
    /// ```
    /// assert_eq!(org_handshake::IdKind::HandshakeId.as_str(), "handshake id");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            IdKind::HandshakeId => "handshake id",
            IdKind::AccountId => "account id",
            IdKind::OrganizationId => "organization id",
            IdKind::Email => "email",
            IdKind::AccountName => "account name",
            IdKind::Notes => "notes",
            IdKind::ProfileName => "profile name",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a valid identifier.
///
/// The offending value is kept (cut to 64 characters, so a huge input stays a small error).
///
/// ```
/// use org_handshake::{AccountId, IdError, IdKind};
///
/// let err = AccountId::parse("12345-789012").unwrap_err();
/// assert_eq!(err, IdError::InvalidCharacter { kind: IdKind::AccountId, value: "12345-789012".into(), index: 5, character: '-' });
/// assert_eq!(err.to_string(), "account id `12345-789012` has invalid character '-' at position 5");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The value is empty.
    #[error("{kind} is empty")]
    Empty {
        /// Which identifier.
        kind: IdKind,
    },
    /// The value does not start with the required prefix.
    #[error("{kind} `{value}` must start with {expected}")]
    MissingPrefix {
        /// Which identifier.
        kind: IdKind,
        /// The value (cut to 64 characters).
        value: String,
        /// The accepted prefix or prefixes.
        expected: &'static str,
    },
    /// The value (after its prefix) has too few or too many characters.
    #[error("{kind} `{value}` has {length} characters{after_prefix}, expected {}", LengthRange(*.min, *.max), after_prefix = if *.prefixed { " after its prefix" } else { "" })]
    Length {
        /// Which identifier.
        kind: IdKind,
        /// The value (cut to 64 characters).
        value: String,
        /// Whether `length`, `min` and `max` count the characters after the prefix.
        prefixed: bool,
        /// The number of characters found.
        length: usize,
        /// The least number allowed.
        min: usize,
        /// The greatest number allowed.
        max: usize,
    },
    /// The value contains a character its pattern does not allow.
    #[error("{kind} `{value}` has invalid character {character:?} at position {index}")]
    InvalidCharacter {
        /// Which identifier.
        kind: IdKind,
        /// The value (cut to 64 characters).
        value: String,
        /// The character's position, counted in characters from 0.
        index: usize,
        /// The character.
        character: char,
    },
    /// The value does not have the required overall form.
    #[error("{kind} `{value}` is malformed: {reason}")]
    Malformed {
        /// Which identifier.
        kind: IdKind,
        /// The value (cut to 64 characters).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// An allowed length as an id error states it: "exactly 12", or "8 to 32".
struct LengthRange(usize, usize);

impl std::fmt::Display for LengthRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LengthRange(min, max) if min == max => write!(f, "exactly {min}"),
            LengthRange(min, max) => write!(f, "{min} to {max}"),
        }
    }
}

impl IdError {
    /// Which identifier the error is about.
    ///
    /// ```
    /// use org_handshake::{Email, IdKind};
    /// assert_eq!(Email::parse("nope").unwrap_err().kind(), IdKind::Email);
    /// ```
    pub fn kind(&self) -> IdKind {
        match self {
            IdError::Empty { kind }
            | IdError::MissingPrefix { kind, .. }
            | IdError::Length { kind, .. }
            | IdError::InvalidCharacter { kind, .. }
            | IdError::Malformed { kind, .. } => *kind,
        }
    }

    /// A stable machine-readable code: `invalid_<kind>`, e.g. `invalid_handshake_id`.
    ///
    /// ```
    /// use org_handshake::HandshakeId;
    /// assert_eq!(HandshakeId::parse("h-1").unwrap_err().code(), "invalid_handshake_id");
    /// ```
    pub fn code(&self) -> &'static str {
        match self.kind() {
            IdKind::HandshakeId => "invalid_handshake_id",
            IdKind::AccountId => "invalid_account_id",
            IdKind::OrganizationId => "invalid_organization_id",
            IdKind::Email => "invalid_email",
            IdKind::AccountName => "invalid_account_name",
            IdKind::Notes => "invalid_notes",
            IdKind::ProfileName => "invalid_profile_name",
        }
    }
}

/// Keeps error values small whatever the input's size.
pub(super) fn shown(value: &str) -> String {
    value.chars().take(64).collect()
}

pub(crate) fn check_chars(
    kind: IdKind,
    value: &str,
    skip: usize,
    allowed: impl Fn(char) -> bool,
) -> Result<(), IdError> {
    // Byte by byte while the text is ASCII (where a byte's index is its character's); from the
    // first other byte on, character by character from the start.
    let ascii = value
        .bytes()
        .enumerate()
        .skip(skip)
        .find(|(_, b)| !b.is_ascii() || !allowed(char::from(*b)));
    let found = match ascii {
        None => None,
        Some((index, byte)) if byte.is_ascii() => Some((index, char::from(byte))),
        Some(_) => value
            .chars()
            .enumerate()
            .skip(skip)
            .find(|(_, c)| !allowed(*c)),
    };
    match found {
        Some((index, character)) => Err(IdError::InvalidCharacter {
            kind,
            value: shown(value),
            index,
            character,
        }),
        None => Ok(()),
    }
}

pub(crate) fn check_length(
    kind: IdKind,
    value: &str,
    prefix_len: usize,
    min: usize,
    max: usize,
) -> Result<(), IdError> {
    // Ids are mostly ASCII, whose length in characters is their length in bytes.
    let characters = if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    };
    let length = characters - prefix_len;
    if length < min || length > max {
        return Err(IdError::Length {
            kind,
            value: shown(value),
            prefixed: prefix_len > 0,
            length,
            min,
            max,
        });
    }
    Ok(())
}
