//! Ids on demand: an [`IdSource`] gives the id of each handshake a call creates, when the call
//! creates it.
//!
//! The crate makes no ids of its own and draws no random number. A [`Ledger`](crate::Ledger)
//! call that creates handshakes ([`invite`](crate::Ledger::invite),
//! [`enable_all_features`](crate::Ledger::enable_all_features)) asks its source for one id per
//! new handshake, and only once every check has passed: a refused call draws none.
//!
//! Two sources come with the crate:
//!
//! - [`IdList`]: ids given up front, in order (a conformance vector's `new_ids`);
//! - [`SeededIds`]: a deterministic generator, the same seed giving the same ids, in the
//!   profile's pattern (AWS and Huawei: `h-` and 32 lower-case letters and digits; Alibaba:
//!   `h-` and 16 letters and digits of either case).
//!
//! Any `FnMut(&Profile) -> Result<HandshakeId, IdSourceError>` closure is a source too.
//!
//! # Example: a list, then a generator
//!
//! ```
//! use org_handshake::{IdList, IdSource, IdSourceError, Profile, SeededIds};
//!
//! let mut list = IdList::new(&["h-0123456789abcdef"]);
//! assert_eq!(list.next_id(&Profile::AWS)?.as_str(), "h-0123456789abcdef");
//! assert_eq!(list.next_id(&Profile::AWS), Err(IdSourceError::Exhausted { drawn: 1 }));
//!
//! let first = SeededIds::new(7).next_id(&Profile::ALIBABA)?;
//! assert_eq!(first, SeededIds::new(7).next_id(&Profile::ALIBABA)?); // same seed, same id
//! assert!(Profile::ALIBABA.check_handshake_id(&first).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::id::{HandshakeId, OrganizationId};
use crate::policy::Profile;

/// Where the ids of new handshakes come from.
///
/// The ledger calls [`next_id`](Self::next_id) once per handshake it creates, after every
/// check of the call has passed, and checks the id it gets (the profile's pattern, and that no
/// existing handshake holds it) before using it.
pub trait IdSource {
    /// The next id for a new handshake under `profile`'s pattern.
    ///
    /// # Errors
    ///
    /// [`IdSourceError::Exhausted`] when the source has no more ids;
    /// [`IdSourceError::Invalid`] when the next id is not a handshake id under `profile`.
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError>;

    /// The next id for a new organization under `profile`'s
    /// [`organization_id`](Profile::organization_id) rule. A source of handshake ids only (a
    /// closure) has none: the default says it ran out.
    ///
    /// # Errors
    ///
    /// [`IdSourceError::Exhausted`] when the source has no more ids;
    /// [`IdSourceError::Invalid`] when the next id is not an organization id under `profile`.
    fn next_organization_id(&mut self, profile: &Profile) -> Result<OrganizationId, IdSourceError> {
        let _ = profile;
        Err(IdSourceError::Exhausted { drawn: 0 })
    }
}

impl<F> IdSource for F
where
    F: FnMut(&Profile) -> Result<HandshakeId, IdSourceError>,
{
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError> {
        self(profile)
    }
}

/// Why an [`IdSource`] gave no id.
///
/// ```
/// use org_handshake::IdSourceError;
/// let err = IdSourceError::Exhausted { drawn: 2 };
/// assert_eq!(err.to_string(), "the id source ran out after 2 id(s)");
/// assert_eq!(err.code(), "id_source_exhausted");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdSourceError {
    /// The source has no more ids.
    #[error("the id source ran out after {drawn} id(s)")]
    Exhausted {
        /// How many ids it gave before.
        drawn: usize,
    },
    /// The source's next id is not a handshake id under the profile.
    #[error("`{id}` is not a valid handshake id: {reason}")]
    Invalid {
        /// The id (cut to 64 characters).
        id: String,
        /// Why.
        reason: String,
    },
}

impl IdSourceError {
    /// The stable snake_case code of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            IdSourceError::Exhausted { .. } => "id_source_exhausted",
            IdSourceError::Invalid { .. } => "invalid_new_id",
        }
    }
}

/// Ids given up front, drawn in order: a conformance vector's `new_ids`. Ids left over when a
/// call is done are not an error (a refused call draws none).
///
/// # Example: a malformed id is an error when it is drawn
///
/// ```
/// use org_handshake::{IdList, IdSource, Profile};
///
/// let mut ids = IdList::new(&["h-0123456789ABCDEF"]);
/// assert_eq!(ids.remaining(), 1);
/// // Upper case is fine for Alibaba, not for AWS.
/// assert_eq!(ids.next_id(&Profile::AWS).unwrap_err().code(), "invalid_new_id");
/// assert_eq!(ids.drawn(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdList<'a> {
    ids: &'a [&'a str],
    drawn: usize,
}

impl<'a> IdList<'a> {
    /// A source that gives `ids` in order.
    pub const fn new(ids: &'a [&'a str]) -> Self {
        IdList { ids, drawn: 0 }
    }

    /// How many ids were drawn (an invalid one included).
    pub const fn drawn(&self) -> usize {
        self.drawn
    }

    /// How many ids are left.
    pub fn remaining(&self) -> usize {
        self.ids.len().saturating_sub(self.drawn)
    }
}

impl IdSource for IdList<'_> {
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError> {
        let text = self
            .ids
            .get(self.drawn)
            .ok_or(IdSourceError::Exhausted { drawn: self.drawn })?;
        self.drawn += 1;
        profile
            .parse_handshake_id(text)
            .map_err(|err| IdSourceError::Invalid {
                id: text.chars().take(64).collect(),
                reason: err.to_string(),
            })
    }

    /// The next id of the list, read as an organization id (a vector's `new_ids` hold a
    /// created organization's id where its call creates one).
    fn next_organization_id(&mut self, profile: &Profile) -> Result<OrganizationId, IdSourceError> {
        let text = self
            .ids
            .get(self.drawn)
            .ok_or(IdSourceError::Exhausted { drawn: self.drawn })?;
        self.drawn += 1;
        let invalid = |reason: String| IdSourceError::Invalid {
            id: text.chars().take(64).collect(),
            reason,
        };
        let id = OrganizationId::parse(text).map_err(|err| invalid(err.to_string()))?;
        profile
            .organization_id
            .check(&id)
            .map_err(|err| invalid(err.to_string()))?;
        Ok(id)
    }
}

/// A deterministic generator of ids: the same seed gives the same ids, on every machine. No
/// random number generator and no clock: each character comes from the next output of
/// SplitMix64 over the seed.
///
/// Each id is as long as the profile's pattern allows, up to 32 characters after `h-` (AWS and
/// Huawei: 32 lower-case letters and digits; Alibaba: 16 letters and digits of either case),
/// so every id it gives passes the profile's check; none is skipped or retried. It serializes
/// with its position, so an embedder that saves it carries on where it stopped.
///
/// # Example: each profile's pattern
///
/// ```
/// use org_handshake::{IdSource, Profile, SeededIds};
///
/// let mut ids = SeededIds::new(42);
/// let aws = ids.next_id(&Profile::AWS)?;
/// assert_eq!(aws.as_str().len(), 2 + 32);
/// assert!(aws.as_str()[2..].bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
///
/// let alibaba = ids.next_id(&Profile::ALIBABA)?;
/// assert_eq!(alibaba.as_str().len(), 2 + 16);
/// assert_ne!(ids.next_id(&Profile::AWS)?, aws);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SeededIds {
    seed: u64,
    state: u64,
    drawn: u64,
}

/// Digits, then lower-case letters, then upper-case letters: the first 36 are the lower-case
/// alphabet, all 62 the mixed-case one.
const ALPHABET: &[u8; 62] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

impl SeededIds {
    /// A generator starting from `seed`.
    pub const fn new(seed: u64) -> Self {
        SeededIds {
            seed,
            state: seed,
            drawn: 0,
        }
    }

    /// The seed it started from.
    pub const fn seed(&self) -> u64 {
        self.seed
    }

    /// How many ids it has given.
    pub const fn drawn(&self) -> u64 {
        self.drawn
    }

    /// SplitMix64 (Steele, Lea and Flood 2014): the next 64-bit output.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl IdSource for SeededIds {
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError> {
        let rule = profile.handshake_id;
        let shortest = rule.min_len.max(HandshakeId::MIN_LEN);
        let length = rule.max_len.min(HandshakeId::MAX_LEN);
        if length < shortest {
            return Err(IdSourceError::Invalid {
                id: String::new(),
                reason: format!(
                    "the {} profile's handshake id rule ({} to {} characters) leaves no length \
                     between {} and {}",
                    profile.name,
                    rule.min_len,
                    rule.max_len,
                    HandshakeId::MIN_LEN,
                    HandshakeId::MAX_LEN
                ),
            });
        }
        let alphabet: &[u8] = if rule.lowercase_only {
            &ALPHABET[..36]
        } else {
            ALPHABET
        };
        let mut id = String::with_capacity(HandshakeId::PREFIX.len() + length);
        id.push_str(HandshakeId::PREFIX);
        for _ in 0..length {
            // The alphabet has at most 62 letters, so the index fits; the modulo bias (under
            // 2^-58) does not matter for ids.
            let index = (self.next_u64() % alphabet.len() as u64) as usize;
            id.push(char::from(alphabet.get(index).copied().unwrap_or(b'0')));
        }
        self.drawn += 1;
        profile
            .parse_handshake_id(&id)
            .map_err(|err| IdSourceError::Invalid {
                id,
                reason: err.to_string(),
            })
    }

    /// An id of the profile's organization shape: its prefix and the fewest characters the
    /// rule allows, from the same sequence as handshake ids.
    fn next_organization_id(&mut self, profile: &Profile) -> Result<OrganizationId, IdSourceError> {
        let rule = profile.organization_id;
        let alphabet: &[u8] = if rule.lowercase_only {
            &ALPHABET[..36]
        } else {
            ALPHABET
        };
        let mut id = String::with_capacity(rule.prefix().len() + rule.min_len);
        id.push_str(rule.prefix());
        for _ in 0..rule.min_len {
            // As in `next_id`.
            let index = (self.next_u64() % alphabet.len() as u64) as usize;
            id.push(char::from(alphabet.get(index).copied().unwrap_or(b'0')));
        }
        self.drawn += 1;
        let invalid = |id: &str, reason: String| IdSourceError::Invalid {
            id: id.chars().take(64).collect(),
            reason,
        };
        let parsed = OrganizationId::parse(&id).map_err(|err| invalid(&id, err.to_string()))?;
        rule.check(&parsed)
            .map_err(|err| invalid(&id, err.to_string()))?;
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests;
