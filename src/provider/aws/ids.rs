//! AWS's ids, the handshake ARN and the epoch-second timestamps: AWS's narrower patterns for
//! the neutral ids, and the error constructors the other files of the folder share (kept here,
//! at the bottom of the folder's imports, so `ids` depends on no sibling but `vocab`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::handshake::Handshake;
use crate::id::{AccountId, HandshakeId, IdError, OrganizationId};
use crate::policy::Profile;
use crate::provider::WireError;
use crate::vocab;

use super::vocab::ActionType;
use super::PROVIDER;

/// The latest instant AWS timestamps are read or written for: 9999-12-31T23:59:59.999Z, the last
/// millisecond with a four-digit year. Earlier than the Unix epoch is refused too.
pub const MAX_EPOCH_MILLIS: i64 = 253_402_300_799_999;

/// Parses an AWS account id: exactly 12 ASCII digits (`^\d{12}$`).
///
/// # Errors
///
/// [`IdError`] naming the mismatch.
///
/// ```
/// use org_handshake::provider::aws::parse_account_id;
/// assert!(parse_account_id("111111111111").is_ok());
/// assert!(parse_account_id("11111111111a").is_err());
/// assert!(parse_account_id("1111").is_err());
/// ```
pub fn parse_account_id(value: &str) -> Result<AccountId, IdError> {
    let id = AccountId::parse(value)?;
    // The text the id was made of, which `id.as_str()` would check for UTF-8 again.
    check_account_text(value)?;
    Ok(id)
}

pub(super) fn check_account_id(id: &AccountId) -> Result<(), IdError> {
    check_account_text(id.as_str())
}

/// [`check_account_id`] on the text of an account id.
fn check_account_text(value: &str) -> Result<(), IdError> {
    // An account id is ASCII: a byte's index is its character's.
    if let Some((index, byte)) = value.bytes().enumerate().find(|(_, b)| !b.is_ascii_digit()) {
        return Err(IdError::InvalidCharacter {
            kind: crate::id::IdKind::AccountId,
            value: value.to_owned(),
            index,
            character: char::from(byte),
        });
    }
    if value.len() != 12 {
        return Err(IdError::Length {
            kind: crate::id::IdKind::AccountId,
            value: value.to_owned(),
            prefixed: false,
            length: value.len(),
            min: 12,
            max: 12,
        });
    }
    Ok(())
}

/// Parses an AWS organization id: `^o-[a-z0-9]{10,32}$` (the neutral `rd-…` form is Alibaba's).
///
/// # Errors
///
/// [`IdError`] naming the mismatch.
///
/// ```
/// use org_handshake::provider::aws::parse_organization_id;
/// assert!(parse_organization_id("o-exampleorgid").is_ok());
/// assert!(parse_organization_id("rd-3G6d4P").is_err());
/// ```
pub fn parse_organization_id(value: &str) -> Result<OrganizationId, IdError> {
    let id = OrganizationId::parse(value)?;
    // As in `parse_account_id`.
    check_organization_text(value)?;
    Ok(id)
}

fn check_organization_id(id: &OrganizationId) -> Result<(), IdError> {
    check_organization_text(id.as_str())
}

/// [`check_organization_id`] on the text of an organization id.
fn check_organization_text(value: &str) -> Result<(), IdError> {
    if value.starts_with("o-") {
        Ok(())
    } else {
        Err(IdError::MissingPrefix {
            kind: crate::id::IdKind::OrganizationId,
            value: value.to_owned(),
            expected: "`o-` (AWS)",
        })
    }
}

/// Parses an AWS handshake id: `^h-[0-9a-z]{8,32}$`.
///
/// # Errors
///
/// [`IdError`] naming the mismatch.
///
/// ```
/// use org_handshake::provider::aws::parse_handshake_id;
/// assert!(parse_handshake_id("h-examplehandshakeid111").is_ok());
/// // The User Guide's example ids have upper-case letters, which the pattern forbids.
/// assert!(parse_handshake_id("h-79d8f6f114ee4304a5e55397eEXAMPLE").is_err());
/// ```
pub fn parse_handshake_id(value: &str) -> Result<HandshakeId, IdError> {
    Profile::AWS.parse_handshake_id(value)
}

/// A handshake ARN:
/// `arn:aws:organizations::<management account>:handshake/<organization>/<action>/<handshake id>`.
///
/// The account and organization are the *sender's*, whoever reads the ARN; the action is the
/// lower-case [`ActionType`].
///
/// Parsing is stricter than the model's pattern in two ways and looser in one, on purpose:
/// - the whole string must match (the model's regex has no `$`, so it lets trailing text
///   through);
/// - the partition is `aws` only, as in the model (`aws-cn` and `aws-us-gov` are refused);
/// - the action segment may be `add_organizations_service_linked_role` (37 characters), which the
///   model's `[a-z_]{1,32}` cannot hold although the lower-case rule produces it.
///
/// # Example: parse and print
///
/// ```
/// use org_handshake::provider::aws::{ActionType, HandshakeArn};
///
/// let text = "arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-examplehandshakeid111";
/// let arn: HandshakeArn = text.parse()?;
/// assert_eq!(arn.action, ActionType::Invite);
/// assert_eq!(arn.management_account.as_str(), "111111111111");
/// assert_eq!(arn.to_string(), text);
/// assert!(format!("{text}TRAILING").parse::<HandshakeArn>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HandshakeArn {
    /// The sender organization's management account.
    pub management_account: AccountId,
    /// The sender organization.
    pub organization: OrganizationId,
    /// The handshake's action.
    pub action: ActionType,
    /// The handshake.
    pub handshake: HandshakeId,
}

/// Why a string is not a handshake ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArnError {
    /// The text does not have the ARN's fixed parts.
    #[error("not a handshake arn: {reason}")]
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// One of its ids is malformed.
    #[error(transparent)]
    Id(#[from] IdError),
    /// The action segment is not a lower-case AWS action.
    #[error(transparent)]
    Action(#[from] vocab::UnknownValue),
}

impl ArnError {
    /// The stable code of this error.
    ///
    /// ```
    /// let err = "arn:aws:s3:::bucket".parse::<org_handshake::provider::aws::HandshakeArn>().unwrap_err();
    /// assert_eq!(err.code(), "malformed_arn");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ArnError::Malformed { .. } => "malformed_arn",
            ArnError::Id(err) => err.code(),
            ArnError::Action(err) => err.code(),
        }
    }
}

impl HandshakeArn {
    const PREFIX: &'static str = "arn:aws:organizations::";

    /// The ARN of `handshake`.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] when an id does not follow AWS's pattern (a management
    /// account that is not 12 digits, an `rd-` organization, an id with upper-case letters).
    ///
    /// ```
    /// let h = org_handshake::example::aws_invitation()?;
    /// let arn = org_handshake::provider::aws::HandshakeArn::of(&h)?;
    /// assert_eq!(arn.to_string(), "arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-examplehandshakeid111");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(handshake: &Handshake) -> Result<Self, WireError> {
        let sender = handshake.sender();
        check_account_id(&sender.management_account).map_err(|err| {
            WireError::unsupported(PROVIDER, format!("management account: {err}"))
        })?;
        check_organization_id(&sender.id)
            .map_err(|err| WireError::unsupported(PROVIDER, format!("organization: {err}")))?;
        Profile::AWS
            .check_handshake_id(&handshake.id())
            .map_err(|err| WireError::unsupported(PROVIDER, format!("handshake: {err}")))?;
        Ok(HandshakeArn {
            management_account: sender.management_account,
            organization: sender.id,
            action: handshake.action().into(),
            handshake: handshake.id(),
        })
    }

    /// Parses an ARN (see the type's docs for the exact rule).
    ///
    /// # Errors
    ///
    /// [`ArnError`] naming the part at fault.
    pub fn parse(value: &str) -> Result<Self, ArnError> {
        Self::parse_knowing(value, None)
    }

    /// [`parse`](Self::parse), given a handshake id already parsed from `known.0`: a handshake
    /// segment of that very text is that id, and is not parsed again.
    pub(super) fn parse_knowing(
        value: &str,
        known: Option<(&str, HandshakeId)>,
    ) -> Result<Self, ArnError> {
        let malformed = |reason| ArnError::Malformed { reason };
        let rest = value.strip_prefix(Self::PREFIX).ok_or(malformed(
            "it does not start with `arn:aws:organizations::`",
        ))?;
        let (account, resource) = rest
            .split_once(':')
            .ok_or(malformed("no `:` after the account"))?;
        let path = resource
            .strip_prefix("handshake/")
            .ok_or(malformed("the resource is not `handshake/…`"))?;
        let mut parts = path.split('/');
        let (Some(organization), Some(action), Some(handshake), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                "the resource is not `handshake/<organization>/<action>/<handshake>`",
            ));
        };
        Ok(HandshakeArn {
            management_account: parse_account_id(account)?,
            organization: parse_organization_id(organization)?,
            action: ActionType::from_arn_segment(action)?,
            handshake: match known {
                Some((text, id)) if text == handshake => id,
                _ => parse_handshake_id(handshake)?,
            },
        })
    }
}

impl HandshakeArn {
    /// The ARN's text in pieces, to write without `write!`'s argument machinery: every rendered
    /// AWS handshake writes one.
    fn pieces(&self) -> [&str; 8] {
        [
            Self::PREFIX,
            self.management_account.as_str(),
            ":handshake/",
            self.organization.as_str(),
            "/",
            self.action.arn_segment(),
            "/",
            self.handshake.as_str(),
        ]
    }

    /// The ARN as a string, allocated once at its length (`to_string` grows it piece by
    /// piece).
    pub(super) fn text(&self) -> String {
        let pieces = self.pieces();
        let mut text = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
        pieces.iter().for_each(|piece| text.push_str(piece));
        text
    }
}

impl fmt::Display for HandshakeArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces()
            .into_iter()
            .try_for_each(|piece| f.write_str(piece))
    }
}

impl FromStr for HandshakeArn {
    type Err = ArnError;
    fn from_str(value: &str) -> Result<Self, ArnError> {
        HandshakeArn::parse(value)
    }
}

/// Writes `time` as AWS does: epoch seconds as a JSON number, an integer when the time is whole
/// seconds, otherwise with the milliseconds as a fraction (`1481656459.257`). Precision below a
/// millisecond is truncated.
///
/// # Errors
///
/// [`WireError::Unsupported`] for a time before 1970 or after [`MAX_EPOCH_MILLIS`].
///
/// ```
/// use org_handshake::provider::aws::{format_time, parse_time};
/// let t: chrono::DateTime<chrono::Utc> = "2016-12-13T19:14:19.257Z".parse()?;
/// assert_eq!(format_time(t)?.to_string(), "1481656459.257");
/// assert_eq!(format_time("2016-12-13T19:14:19Z".parse()?)?.to_string(), "1481656459");
/// let java_style: serde_json::Number = serde_json::from_str("1.481656459257E9")?;
/// assert_eq!(parse_time("RequestedTimestamp", &java_style)?, t);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn format_time(time: DateTime<Utc>) -> Result<serde_json::Number, WireError> {
    let millis = time.timestamp_millis();
    if !(0..=MAX_EPOCH_MILLIS).contains(&millis) {
        return Err(WireError::unsupported(
            PROVIDER,
            format!("the time {time} (AWS timestamps here run from 1970 to 9999)"),
        ));
    }
    let (seconds, fraction) = (millis / 1000, millis % 1000);
    if fraction == 0 {
        return Ok(serde_json::Number::from(seconds));
    }
    // Through the decimal text, so the number is the double nearest to `s.mmm` (which prints
    // back as `s.mmm`), not the sum of two rounded doubles.
    let text = format!("{seconds}.{fraction:03}");
    text.trim_end_matches('0')
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .ok_or_else(|| WireError::unsupported(PROVIDER, format!("the time {time}")))
}

/// Reads an AWS timestamp: epoch seconds as a JSON number, integer or fractional, in plain or
/// exponent notation (`1481656459.257`, `1.471797437427E9`), rounded to the millisecond. The
/// field's name is written out only for an error.
///
/// # Errors
///
/// [`WireError::Invalid`] naming `field` for a negative value or one after
/// [`MAX_EPOCH_MILLIS`].
pub fn parse_time(
    field: &(impl fmt::Display + ?Sized),
    number: &serde_json::Number,
) -> Result<DateTime<Utc>, WireError> {
    let invalid = |reason: &str| WireError::invalid(field, reason);
    let millis = if let Some(seconds) = number.as_u64() {
        i64::try_from(seconds)
            .ok()
            .and_then(|s| s.checked_mul(1000))
            .filter(|m| *m <= MAX_EPOCH_MILLIS)
    } else if number.as_i64().is_some() {
        return Err(invalid("a negative timestamp"));
    } else {
        match number.as_f64() {
            Some(seconds) if seconds.is_finite() && seconds < 0.0 => {
                return Err(invalid("a negative timestamp"))
            }
            Some(seconds) if seconds.is_finite() => {
                let millis = (seconds * 1000.0).round();
                // The bound check happens on the float, before any cast can saturate.
                (millis <= MAX_EPOCH_MILLIS as f64).then_some(millis as i64)
            }
            _ => return Err(invalid("not a finite number")),
        }
    };
    millis
        .and_then(DateTime::from_timestamp_millis)
        .ok_or_else(|| invalid("a timestamp after 9999-12-31T23:59:59.999Z"))
}
