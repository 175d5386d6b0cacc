//! The AWS handshake object (`WireHandshake`), its ARN, its epoch-second timestamps, and the
//! response bodies of the handshake operations.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::handshake::{Handshake, HandshakeParts, Party, Recipient, Resource, SenderOrganization};
use crate::id::{AccountId, AccountName, Email, HandshakeId, IdError, Notes, OrganizationId};
use crate::policy::Profile;
use crate::provider::{from_json, shown, to_value, WireError};
use crate::vocab::{self, FeatureSet};

use super::vocab::{
    ActionType, HandshakePartyType, HandshakeResourceType, HandshakeState, OrganizationFeatureSet,
};
use super::PROVIDER;

/// The deepest resource tree this module reads or writes (AWS nests two levels).
///
/// Deeper trees are refused with a typed error instead of recursing without bound.
pub const MAX_RESOURCE_DEPTH: usize = 32;

/// The latest instant AWS timestamps are read or written for: 9999-12-31T23:59:59.999Z, the last
/// millisecond with a four-digit year. Earlier than the Unix epoch is refused too.
pub const MAX_EPOCH_MILLIS: i64 = 253_402_300_799_999;

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> WireError {
    WireError::Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

fn inconsistent(field: impl Into<String>, reason: impl Into<String>) -> WireError {
    WireError::Inconsistent {
        field: field.into(),
        reason: reason.into(),
    }
}

fn unsupported(what: impl Into<String>) -> WireError {
    WireError::Unsupported {
        provider: PROVIDER,
        what: what.into(),
    }
}

fn id_error(field: impl Into<String>, err: IdError) -> WireError {
    invalid(field, err.to_string())
}

fn required<T>(value: &Option<T>, field: impl FnOnce() -> String) -> Result<&T, WireError> {
    value
        .as_ref()
        .ok_or_else(|| WireError::Missing { field: field() })
}

/// Where a member sits in the document (`Handshake.Resources[1].Value`), written out only when an
/// error names it: building every path eagerly was a third of the cost of a successful parse.
#[derive(Clone, Copy)]
enum At<'a> {
    /// The document's own name (`Handshake`, `Handshakes[2]`).
    Root(&'a str),
    /// `<parent>.<key>`.
    Key(&'a At<'a>, &'static str),
    /// `<parent>.<key>[<index>]`.
    Item(&'a At<'a>, &'static str, usize),
}

impl<'a> At<'a> {
    fn key(&'a self, key: &'static str) -> At<'a> {
        At::Key(self, key)
    }

    fn item(&'a self, key: &'static str, index: usize) -> At<'a> {
        At::Item(self, key, index)
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root(root) => f.write_str(root),
            At::Key(parent, key) => write!(f, "{parent}.{key}"),
            At::Item(parent, key, index) => write!(f, "{parent}.{key}[{index}]"),
        }
    }
}

fn missing(at: At<'_>) -> WireError {
    WireError::Missing {
        field: at.to_string(),
    }
}

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
    check_account_id(&id)?;
    Ok(id)
}

fn check_account_id(id: &AccountId) -> Result<(), IdError> {
    let value = id.as_str();
    if let Some((index, character)) = value.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(IdError::InvalidCharacter {
            kind: crate::id::IdKind::AccountId,
            value: value.to_owned(),
            index,
            character,
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
    check_organization_id(&id)?;
    Ok(id)
}

fn check_organization_id(id: &OrganizationId) -> Result<(), IdError> {
    if id.as_str().starts_with("o-") {
        Ok(())
    } else {
        Err(IdError::MissingPrefix {
            kind: crate::id::IdKind::OrganizationId,
            value: id.as_str().to_owned(),
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
    /// # let h = org_handshake::example_handshake()?;
    /// let arn = org_handshake::provider::aws::HandshakeArn::of(&h)?;
    /// assert_eq!(arn.to_string(), "arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-examplehandshakeid111");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(handshake: &Handshake) -> Result<Self, WireError> {
        let sender = handshake.sender();
        check_account_id(&sender.management_account)
            .map_err(|err| unsupported(format!("management account: {err}")))?;
        check_organization_id(&sender.id)
            .map_err(|err| unsupported(format!("organization: {err}")))?;
        Profile::AWS
            .check_handshake_id(&handshake.id())
            .map_err(|err| unsupported(format!("handshake: {err}")))?;
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
            handshake: parse_handshake_id(handshake)?,
        })
    }
}

impl fmt::Display for HandshakeArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}:handshake/{}/{}/{}",
            Self::PREFIX,
            self.management_account,
            self.organization,
            self.action.arn_segment(),
            self.handshake
        )
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
/// use org_handshake::provider::aws::{epoch_seconds, parse_epoch_seconds};
/// let t: chrono::DateTime<chrono::Utc> = "2016-12-13T19:14:19.257Z".parse()?;
/// assert_eq!(epoch_seconds(t)?.to_string(), "1481656459.257");
/// assert_eq!(epoch_seconds("2016-12-13T19:14:19Z".parse()?)?.to_string(), "1481656459");
/// let java_style: serde_json::Number = serde_json::from_str("1.481656459257E9")?;
/// assert_eq!(parse_epoch_seconds(&java_style, "RequestedTimestamp")?, t);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn epoch_seconds(time: DateTime<Utc>) -> Result<serde_json::Number, WireError> {
    let millis = time.timestamp_millis();
    if !(0..=MAX_EPOCH_MILLIS).contains(&millis) {
        return Err(unsupported(format!(
            "the time {time} (AWS timestamps here run from 1970 to 9999)"
        )));
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
        .ok_or_else(|| unsupported(format!("the time {time}")))
}

/// Reads an AWS timestamp: epoch seconds as a JSON number, integer or fractional, in plain or
/// exponent notation (`1481656459.257`, `1.471797437427E9`), rounded to the millisecond.
///
/// # Errors
///
/// [`WireError::Invalid`] naming `field` for a negative value or one after
/// [`MAX_EPOCH_MILLIS`].
pub fn parse_epoch_seconds(
    number: &serde_json::Number,
    field: &str,
) -> Result<DateTime<Utc>, WireError> {
    parse_epoch_seconds_at(number, &field)
}

/// [`parse_epoch_seconds`], writing the field's name only for an error.
fn parse_epoch_seconds_at(
    number: &serde_json::Number,
    field: &impl fmt::Display,
) -> Result<DateTime<Utc>, WireError> {
    let invalid = |reason: &str| invalid(field.to_string(), reason);
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

/// One party of an AWS handshake (`HandshakeParty`).
///
/// `Type` is kept as the provider's string so that an unknown value is reported as
/// [`WireError::UnknownValue`] naming its path, rather than as a JSON error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WireParty {
    /// The account id, organization id or email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `ACCOUNT`, `ORGANIZATION` or `EMAIL`.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// One node of an AWS resource tree (`HandshakeResource`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WireResource {
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The [`HandshakeResourceType`], as its string.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Nested resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<WireResource>>,
}

impl WireResource {
    /// How many levels the tree has, without recursion.
    fn depth(&self) -> usize {
        if self.children().is_empty() {
            // Most resources are leaves: no stack to allocate.
            return 1;
        }
        let mut deepest = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            if depth > MAX_RESOURCE_DEPTH {
                break;
            }
            if let Some(children) = &node.resources {
                stack.extend(children.iter().map(|c| (c, depth + 1)));
            }
        }
        deepest
    }

    fn kind_at(&self, at: &At<'_>) -> Result<HandshakeResourceType, WireError> {
        let text = self
            .kind
            .as_deref()
            .ok_or_else(|| missing(at.key("Type")))?;
        text.parse().map_err(|source| WireError::UnknownValue {
            field: at.key("Type").to_string(),
            source,
        })
    }

    fn value_at(&self, at: &At<'_>) -> Result<&str, WireError> {
        self.value
            .as_deref()
            .ok_or_else(|| missing(at.key("Value")))
    }

    fn children(&self) -> &[WireResource] {
        self.resources.as_deref().unwrap_or(&[])
    }

    fn expect_leaf(&self, at: &At<'_>) -> Result<(), WireError> {
        if self.children().is_empty() {
            Ok(())
        } else {
            Err(invalid(
                at.key("Resources").to_string(),
                "this resource has no nested resources",
            ))
        }
    }

    /// Converts to a neutral resource; the caller has bounded the depth.
    fn to_resource(&self, at: &At<'_>) -> Result<Resource, WireError> {
        let mut children = Vec::with_capacity(self.children().len());
        for (i, child) in self.children().iter().enumerate() {
            children.push(child.to_resource(&at.item("Resources", i))?);
        }
        Ok(Resource {
            kind: self.kind_at(at)?.into(),
            value: self.value_at(at)?.to_owned(),
            children,
        })
    }
}

/// The AWS `Handshake` structure, with AWS's exact keys.
///
/// Every member is optional, as in the AWS model; [`to_handshake`](Self::to_handshake) says which
/// are missing. Enum members are kept as the provider's strings, so that an unknown value is
/// reported as [`WireError::UnknownValue`] naming its path. Unknown keys are refused by serde
/// (`deny_unknown_fields`): an emulator that adds members (a top-level `Notes`, say) is told so.
///
/// # Example: render and parse back
///
/// ```
/// use org_handshake::provider::aws::WireHandshake;
///
/// # let h = org_handshake::example_handshake()?;
/// let wire = WireHandshake::from_handshake(&h)?;
/// assert_eq!(wire.state.as_deref(), Some("OPEN"));
/// assert_eq!(wire.requested_timestamp.as_ref().map(|n| n.to_string()).as_deref(), Some("1767607200"));
/// assert_eq!(wire.to_handshake()?, h);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WireHandshake {
    /// The handshake id (`h-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The handshake ARN (see [`HandshakeArn`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The sender organization, then the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<WireParty>>,
    /// The [`HandshakeState`], as its string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_timestamp: Option<serde_json::Number>,
    /// Epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_timestamp: Option<serde_json::Number>,
    /// The [`ActionType`], as its string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The resource tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<WireResource>>,
}

impl WireHandshake {
    /// Renders `handshake` as AWS shows it (its stored state: pass
    /// [`observed_at(now)`](Handshake::observed_at) to show lazy expiry).
    ///
    /// See the [module docs](super) for the mapping.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] when AWS cannot express the handshake: a `name` recipient, an
    /// id outside AWS's patterns, a time before 1970, an ambiguous extra `NOTES` resource, a
    /// resource tree deeper than [`MAX_RESOURCE_DEPTH`].
    pub fn from_handshake(handshake: &Handshake) -> Result<Self, WireError> {
        View::of(handshake).map(|view| view.to_wire())
    }

    /// Parses the handshake strictly; errors name fields as `Handshake.<Member>…`.
    ///
    /// AWS does not say when a handshake entered its state. This fills it in as: `EXPIRED` →
    /// `ExpirationTimestamp`; any other state → `RequestedTimestamp` (the earliest instant it can
    /// have happened, so a terminal handshake read this way is purged at its earliest possible
    /// time). Use [`to_handshake_entered_at`](Self::to_handshake_entered_at) when the time is
    /// known.
    ///
    /// # Errors
    ///
    /// [`WireError::Missing`], [`Invalid`](WireError::Invalid),
    /// [`UnknownValue`](WireError::UnknownValue), [`Inconsistent`](WireError::Inconsistent) (the
    /// ARN against the id, action and organization; parties against resources) naming the
    /// field, or [`Model`](WireError::Model) for a handshake that cannot exist.
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.to_handshake_at("Handshake", None)
    }

    /// Parses the handshake like [`to_handshake`](Self::to_handshake), taking the time it
    /// entered its state from the caller (for an `EXPIRED` one it must be the expiry time).
    ///
    /// # Errors
    ///
    /// As [`to_handshake`](Self::to_handshake); a time that does not fit the state and the
    /// timestamps is a [`WireError::Model`].
    ///
    /// ```
    /// use org_handshake::provider::aws::WireHandshake;
    /// # let h = org_handshake::example_handshake()?;
    /// # let at = h.requested_at() + chrono::TimeDelta::days(2);
    /// let accepted = h.accept(&org_handshake::Caller::standalone("222222222222".parse()?), at)?.handshake;
    /// let wire = WireHandshake::from_handshake(&accepted)?;
    /// assert_eq!(wire.to_handshake()?.state_entered_at(), h.requested_at());
    /// assert_eq!(wire.to_handshake_entered_at(at)?, accepted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_handshake_entered_at(
        &self,
        state_entered_at: DateTime<Utc>,
    ) -> Result<Handshake, WireError> {
        self.to_handshake_at("Handshake", Some(state_entered_at))
    }

    pub(crate) fn to_handshake_at(
        &self,
        path: &str,
        state_entered_at: Option<DateTime<Utc>>,
    ) -> Result<Handshake, WireError> {
        let root = At::Root(path);
        let field = |member: &'static str| root.key(member).to_string();

        let id_text = self.id.as_deref().ok_or_else(|| missing(root.key("Id")))?;
        let id = parse_handshake_id(id_text).map_err(|err| id_error(field("Id"), err))?;
        let arn_text = self
            .arn
            .as_deref()
            .ok_or_else(|| missing(root.key("Arn")))?;
        let arn = HandshakeArn::parse(arn_text).map_err(|err| match err {
            ArnError::Action(source) => WireError::UnknownValue {
                field: field("Arn"),
                source,
            },
            other => invalid(field("Arn"), other.to_string()),
        })?;
        if arn.handshake != id {
            return Err(inconsistent(
                field("Arn"),
                format!("it names handshake {}, the Id is {id}", arn.handshake),
            ));
        }
        let action_text = self
            .action
            .as_deref()
            .ok_or_else(|| missing(root.key("Action")))?;
        let action: ActionType = action_text
            .parse()
            .map_err(|source| WireError::UnknownValue {
                field: field("Action"),
                source,
            })?;
        if arn.action != action {
            return Err(inconsistent(
                field("Arn"),
                format!(
                    "its action is {}, the Action is {action}",
                    arn.action.arn_segment()
                ),
            ));
        }
        let state_text = self
            .state
            .as_deref()
            .ok_or_else(|| missing(root.key("State")))?;
        let state: HandshakeState =
            state_text
                .parse()
                .map_err(|source| WireError::UnknownValue {
                    field: field("State"),
                    source,
                })?;
        let requested_at = parse_epoch_seconds_at(
            self.requested_timestamp
                .as_ref()
                .ok_or_else(|| missing(root.key("RequestedTimestamp")))?,
            &root.key("RequestedTimestamp"),
        )?;
        let expires_at = parse_epoch_seconds_at(
            self.expiration_timestamp
                .as_ref()
                .ok_or_else(|| missing(root.key("ExpirationTimestamp")))?,
            &root.key("ExpirationTimestamp"),
        )?;

        let recipient_party = self.parse_parties(&root, &arn)?;

        let resources = self
            .resources
            .as_deref()
            .ok_or_else(|| missing(root.key("Resources")))?;
        for (i, resource) in resources.iter().enumerate() {
            if resource.depth() > MAX_RESOURCE_DEPTH {
                return Err(invalid(
                    root.item("Resources", i).to_string(),
                    format!("nested deeper than {MAX_RESOURCE_DEPTH} levels"),
                ));
            }
        }
        let mut rest = resources.iter().enumerate().peekable();
        let kind_is = |r: &WireResource, kind: HandshakeResourceType| {
            r.kind.as_deref() == Some(kind.as_str())
        };

        // PARENT_HANDSHAKE comes first when present (the User Guide's child example).
        let mut parent = None;
        if let Some((i, r)) =
            rest.next_if(|(_, r)| kind_is(r, HandshakeResourceType::ParentHandshake))
        {
            let at = root.item("Resources", i);
            r.expect_leaf(&at)?;
            let value = r.value_at(&at)?;
            parent = Some(
                parse_handshake_id(value)
                    .map_err(|err| id_error(at.key("Value").to_string(), err))?,
            );
        }

        let Some((org_index, org)) = rest.next() else {
            return Err(missing(root.key("Resources[Type=ORGANIZATION]")));
        };
        let sender = parse_organization_resource(org, &root.item("Resources", org_index), &arn)?;

        let recipient = match recipient_party {
            None => Recipient::for_account(arn.management_account),
            Some((party_index, party)) => {
                let Some((i, r)) = rest.next() else {
                    return Err(missing(root.key("Resources[Type=ACCOUNT|EMAIL]")));
                };
                let at = root.item("Resources", i);
                let kind = r.kind_at(&at)?;
                r.expect_leaf(&at)?;
                let value = r.value_at(&at)?;
                match (&party, kind) {
                    (Party::Account(id), HandshakeResourceType::Account)
                        if id.as_str() == value =>
                    {
                        Recipient::for_account(*id)
                    }
                    (Party::Email(email), HandshakeResourceType::Email)
                        if email.as_str() == value =>
                    {
                        Recipient::new(party.clone(), None)?
                    }
                    (Party::Email(_), HandshakeResourceType::Account)
                        if state == HandshakeState::Accepted =>
                    {
                        let account = parse_account_id(value)
                            .map_err(|err| id_error(at.key("Value").to_string(), err))?;
                        if account == arn.management_account {
                            return Err(inconsistent(
                                at.to_string(),
                                "an email invitation accepted by the sender's own management account",
                            ));
                        }
                        Recipient::new(party.clone(), Some(account))?
                    }
                    _ => {
                        return Err(inconsistent(
                            at.to_string(),
                            format!(
                                "the recipient resource {kind} `{}` does not match the party {}",
                                shown(value),
                                root.item("Parties", party_index)
                            ),
                        ))
                    }
                }
            }
        };

        let mut notes = None;
        if let Some((i, r)) = rest.next_if(|(_, r)| kind_is(r, HandshakeResourceType::Notes)) {
            let at = root.item("Resources", i);
            r.expect_leaf(&at)?;
            let value = r.value_at(&at)?;
            notes = Some(
                Notes::parse(value).map_err(|err| id_error(at.key("Value").to_string(), err))?,
            );
        }

        let mut extras = Vec::new();
        for (i, r) in rest {
            extras.push(r.to_resource(&root.item("Resources", i))?);
        }

        let parts = HandshakeParts {
            id,
            action: action.into(),
            state: state.into(),
            sender,
            recipient,
            notes,
            parent,
            resources: extras,
            requested_at,
            expires_at,
            state_entered_at: Some(state_entered_at.unwrap_or(match state {
                HandshakeState::Expired => expires_at,
                _ => requested_at,
            })),
        };
        Ok(Handshake::from_parts(parts)?)
    }

    /// Checks the parties against the ARN; returns the recipient party, if there is one, with
    /// its index.
    fn parse_parties(
        &self,
        root: &At<'_>,
        arn: &HandshakeArn,
    ) -> Result<Option<(usize, Party)>, WireError> {
        let parties = self
            .parties
            .as_deref()
            .ok_or_else(|| missing(root.key("Parties")))?;
        let mut organization_seen = false;
        let mut recipient = None;
        for (i, party) in parties.iter().enumerate() {
            let at = root.item("Parties", i);
            let kind_text = party
                .kind
                .as_deref()
                .ok_or_else(|| missing(at.key("Type")))?;
            let kind: HandshakePartyType =
                kind_text
                    .parse()
                    .map_err(|source| WireError::UnknownValue {
                        field: at.key("Type").to_string(),
                        source,
                    })?;
            let id = party.id.as_deref().ok_or_else(|| missing(at.key("Id")))?;
            let id_field = || at.key("Id").to_string();
            match kind {
                HandshakePartyType::Organization => {
                    if organization_seen {
                        return Err(invalid(at.to_string(), "a second ORGANIZATION party"));
                    }
                    organization_seen = true;
                    let org = parse_organization_id(id).map_err(|err| id_error(id_field(), err))?;
                    if org != arn.organization {
                        return Err(inconsistent(
                            id_field(),
                            format!("the ARN's organization is {}", arn.organization),
                        ));
                    }
                }
                HandshakePartyType::Account | HandshakePartyType::Email => {
                    if recipient.is_some() {
                        return Err(invalid(at.to_string(), "a second recipient party"));
                    }
                    let party = if kind == HandshakePartyType::Account {
                        let account =
                            parse_account_id(id).map_err(|err| id_error(id_field(), err))?;
                        if account == arn.management_account {
                            return Err(inconsistent(
                                id_field(),
                                "the sender's management account is never listed as a recipient party",
                            ));
                        }
                        Party::Account(account)
                    } else {
                        Party::Email(Email::parse(id).map_err(|err| id_error(id_field(), err))?)
                    };
                    recipient = Some((i, party));
                }
            }
        }
        if !organization_seen {
            return Err(missing(root.key("Parties[Type=ORGANIZATION]")));
        }
        Ok(recipient)
    }
}

/// Reads the ORGANIZATION resource and its MASTER_EMAIL / MASTER_NAME /
/// ORGANIZATION_FEATURE_SET children (in any order, each at most once).
fn parse_organization_resource(
    resource: &WireResource,
    at: &At<'_>,
    arn: &HandshakeArn,
) -> Result<SenderOrganization, WireError> {
    let kind = resource.kind_at(at)?;
    if kind != HandshakeResourceType::Organization {
        return Err(invalid(
            at.key("Type").to_string(),
            format!("expected ORGANIZATION here, found {kind}"),
        ));
    }
    let value = resource.value_at(at)?;
    if value != arn.organization.as_str() {
        return Err(inconsistent(
            at.key("Value").to_string(),
            format!("the ARN's organization is {}", arn.organization),
        ));
    }
    let mut email: Option<Email> = None;
    let mut name: Option<AccountName> = None;
    let mut feature_set: Option<FeatureSet> = None;
    for (i, child) in resource.children().iter().enumerate() {
        let child_at = at.item("Resources", i);
        let kind = child.kind_at(&child_at)?;
        child.expect_leaf(&child_at)?;
        let value = child.value_at(&child_at)?;
        let value_field = || child_at.key("Value").to_string();
        let duplicate = || invalid(child_at.to_string(), format!("a second {kind}"));
        match kind {
            HandshakeResourceType::MasterEmail => {
                if email.is_some() {
                    return Err(duplicate());
                }
                email = Some(Email::parse(value).map_err(|err| id_error(value_field(), err))?);
            }
            HandshakeResourceType::MasterName => {
                if name.is_some() {
                    return Err(duplicate());
                }
                name = Some(AccountName::parse(value).map_err(|err| id_error(value_field(), err))?);
            }
            HandshakeResourceType::OrganizationFeatureSet => {
                if feature_set.is_some() {
                    return Err(duplicate());
                }
                let parsed =
                    OrganizationFeatureSet::from_resource_value(value).map_err(|source| {
                        WireError::UnknownValue {
                            field: value_field(),
                            source,
                        }
                    })?;
                feature_set = Some(parsed.into());
            }
            other => {
                return Err(invalid(
                    child_at.key("Type").to_string(),
                    format!("{other} is not a detail of an ORGANIZATION resource"),
                ))
            }
        }
    }
    let management_account_name =
        name.ok_or_else(|| missing(at.key("Resources[Type=MASTER_NAME]")))?;
    Ok(SenderOrganization {
        id: arn.organization,
        management_account: arn.management_account,
        management_account_name,
        management_account_email: email,
        feature_set,
    })
}

/// A handshake checked for AWS and laid out as AWS shows it, borrowing from the handshake.
///
/// [`WireHandshake::from_handshake`] copies it into owned strings; [`render_handshake_json`] and
/// [`render_handshake`] serialize it directly, with the same keys in the same order as the
/// derived `Serialize` of [`WireHandshake`].
struct View<'a> {
    handshake: &'a Handshake,
    id: HandshakeId,
    parent: Option<HandshakeId>,
    arn: HandshakeArn,
    /// The sender organization, read out once (each `as_str` of an inline id checks its UTF-8
    /// again).
    organization_id: &'a str,
    /// The recipient party (absent for a handshake to the sender's own management account).
    recipient_party: Option<(HandshakePartyType, &'a str)>,
    /// The recipient resource (absent likewise).
    recipient_resource: Option<(HandshakeResourceType, &'a str)>,
    requested_timestamp: serde_json::Number,
    expiration_timestamp: serde_json::Number,
}

impl<'a> View<'a> {
    /// Checks that AWS can express `handshake`, in the order the errors are documented on
    /// [`WireHandshake::from_handshake`].
    fn of(handshake: &'a Handshake) -> Result<Self, WireError> {
        let arn = HandshakeArn::of(handshake)?;
        let sender = handshake.sender();
        let recipient = handshake.recipient();
        let to_management_account = recipient.account() == Some(&sender.management_account);

        let (recipient_party, recipient_resource) = match recipient.target() {
            Party::Name(name) => {
                return Err(unsupported(format!(
                    "a recipient named by account name (`{name}`): AWS invites by ACCOUNT or EMAIL"
                )))
            }
            Party::Organization(_) => return Err(unsupported("an organization as recipient")),
            _ if to_management_account => {
                if !matches!(recipient.target(), Party::Account(_)) {
                    return Err(unsupported(
                        "a handshake to the sender's own management account named by email",
                    ));
                }
                (None, None)
            }
            Party::Account(id) => {
                check_account_id(id).map_err(|err| unsupported(format!("recipient: {err}")))?;
                (
                    Some((HandshakePartyType::Account, id.as_str())),
                    Some((HandshakeResourceType::Account, id.as_str())),
                )
            }
            Party::Email(email) => {
                let resource = match recipient.account() {
                    // Once accepted, the account that joined is shown (the AcceptHandshake
                    // example); before that the email is, so existence does not leak.
                    Some(account) if handshake.state() == vocab::HandshakeState::Accepted => {
                        check_account_id(account)
                            .map_err(|err| unsupported(format!("recipient: {err}")))?;
                        (HandshakeResourceType::Account, account.as_str())
                    }
                    _ => (HandshakeResourceType::Email, email.as_str()),
                };
                (
                    Some((HandshakePartyType::Email, email.as_str())),
                    Some(resource),
                )
            }
        };

        let extras = handshake.resources();
        if handshake.notes().is_none()
            && extras.first().map(|r| r.kind) == Some(vocab::ResourceType::Notes)
        {
            return Err(unsupported(
                "an extra NOTES resource on a handshake without notes (it would read back as the notes)",
            ));
        }
        if let Some(deep) = extras
            .iter()
            .find(|r| !r.children.is_empty() && r.depth() > MAX_RESOURCE_DEPTH - 1)
        {
            return Err(unsupported(format!(
                "a resource tree {} levels deep (at most {MAX_RESOURCE_DEPTH})",
                deep.depth() + 1
            )));
        }

        Ok(View {
            handshake,
            id: handshake.id(),
            parent: handshake.parent(),
            arn,
            organization_id: sender.id.as_str(),
            recipient_party,
            recipient_resource,
            requested_timestamp: epoch_seconds(handshake.requested_at())?,
            expiration_timestamp: epoch_seconds(handshake.expires_at())?,
        })
    }

    /// The sender organization, then the recipient.
    fn parties(&self) -> impl Iterator<Item = PartyView<'_>> {
        let organization = (HandshakePartyType::Organization, self.organization_id);
        [Some(organization), self.recipient_party]
            .into_iter()
            .flatten()
            .map(|(kind, id)| PartyView {
                id,
                kind: kind.as_str(),
            })
    }

    /// The same order as `Handshake::resource_tree`: parent, organization, recipient, notes,
    /// extras.
    fn resources(&self) -> impl Iterator<Item = Node<'_>> {
        let sender = self.handshake.sender();
        let top = [
            self.parent
                .as_ref()
                .map(|parent| Node::leaf(HandshakeResourceType::ParentHandshake, parent.as_str())),
            Some(Node {
                kind: HandshakeResourceType::Organization,
                value: self.organization_id,
                children: Children::Organization(sender),
            }),
            self.recipient_resource
                .map(|(kind, value)| Node::leaf(kind, value)),
            self.handshake
                .notes()
                .map(|notes| Node::leaf(HandshakeResourceType::Notes, notes.as_str())),
        ];
        top.into_iter()
            .flatten()
            .chain(self.handshake.resources().iter().map(Node::of_resource))
    }

    fn to_wire(&self) -> WireHandshake {
        WireHandshake {
            id: Some(self.id.as_str().to_owned()),
            arn: Some(self.arn.to_string()),
            parties: Some(
                self.parties()
                    .map(|party| WireParty {
                        id: Some(party.id.to_owned()),
                        kind: Some(party.kind.to_owned()),
                    })
                    .collect(),
            ),
            state: Some(
                HandshakeState::from(self.handshake.state())
                    .as_str()
                    .to_owned(),
            ),
            requested_timestamp: Some(self.requested_timestamp.clone()),
            expiration_timestamp: Some(self.expiration_timestamp.clone()),
            action: Some(
                ActionType::from(self.handshake.action())
                    .as_str()
                    .to_owned(),
            ),
            resources: Some(self.resources().map(Node::to_wire).collect()),
        }
    }
}

impl Serialize for View<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("WireHandshake", 8)?;
        out.serialize_field("Id", self.id.as_str())?;
        out.serialize_field("Arn", &Displayed(&self.arn))?;
        out.serialize_field("Parties", &Sequence(|| self.parties()))?;
        out.serialize_field(
            "State",
            HandshakeState::from(self.handshake.state()).as_str(),
        )?;
        out.serialize_field("RequestedTimestamp", &self.requested_timestamp)?;
        out.serialize_field("ExpirationTimestamp", &self.expiration_timestamp)?;
        out.serialize_field("Action", ActionType::from(self.handshake.action()).as_str())?;
        out.serialize_field("Resources", &Sequence(|| self.resources()))?;
        out.end()
    }
}

/// Serializes a value through its `Display`, without an intermediate `String` when the
/// serializer writes text.
struct Displayed<'a, T>(&'a T);

impl<T: fmt::Display> Serialize for Displayed<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// Serializes the items of a fresh iterator as a JSON array.
struct Sequence<F>(F);

impl<F, I> Serialize for Sequence<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A [`WireParty`], borrowed.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PartyView<'a> {
    id: &'a str,
    #[serde(rename = "Type")]
    kind: &'static str,
}

/// A [`WireResource`], borrowed.
#[derive(Clone, Copy)]
struct Node<'a> {
    kind: HandshakeResourceType,
    value: &'a str,
    children: Children<'a>,
}

/// A node's nested resources.
#[derive(Clone, Copy)]
enum Children<'a> {
    /// The sender's details under the ORGANIZATION resource.
    Organization(&'a SenderOrganization),
    /// A neutral resource's children (empty for a leaf); the depth was bounded by [`View::of`].
    Tree(&'a [Resource]),
}

impl<'a> Node<'a> {
    fn leaf(kind: HandshakeResourceType, value: &'a str) -> Self {
        Node {
            kind,
            value,
            children: Children::Tree(&[]),
        }
    }

    fn of_resource(resource: &'a Resource) -> Self {
        Node {
            kind: resource.kind.into(),
            value: &resource.value,
            children: Children::Tree(&resource.children),
        }
    }

    fn children(self) -> impl Iterator<Item = Node<'a>> {
        let (details, tree) = match self.children {
            Children::Organization(sender) => (
                [
                    sender.management_account_email.as_ref().map(|email| {
                        Node::leaf(HandshakeResourceType::MasterEmail, email.as_str())
                    }),
                    Some(Node::leaf(
                        HandshakeResourceType::MasterName,
                        sender.management_account_name.as_str(),
                    )),
                    sender.feature_set.map(|feature_set| {
                        Node::leaf(
                            HandshakeResourceType::OrganizationFeatureSet,
                            OrganizationFeatureSet::from(feature_set).as_str(),
                        )
                    }),
                ],
                &[][..],
            ),
            Children::Tree(tree) => ([None, None, None], tree),
        };
        details
            .into_iter()
            .flatten()
            .chain(tree.iter().map(Node::of_resource))
    }

    fn is_leaf(self) -> bool {
        matches!(self.children, Children::Tree(tree) if tree.is_empty())
    }

    fn to_wire(self) -> WireResource {
        WireResource {
            value: Some(self.value.to_owned()),
            kind: Some(self.kind.as_str().to_owned()),
            resources: (!self.is_leaf()).then(|| self.children().map(Node::to_wire).collect()),
        }
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let leaf = self.is_leaf();
        let mut out = serializer.serialize_struct("WireResource", 2 + usize::from(!leaf))?;
        out.serialize_field("Value", self.value)?;
        out.serialize_field("Type", self.kind.as_str())?;
        if leaf {
            out.skip_field("Resources")?;
        } else {
            out.serialize_field("Resources", &Sequence(|| self.children()))?;
        }
        out.end()
    }
}

/// Renders a bare handshake object as AWS JSON.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// # let h = org_handshake::example_handshake()?;
/// let json = org_handshake::provider::aws::render_handshake(&h)?;
/// assert_eq!(json["Parties"][1], serde_json::json!({"Id": "222222222222", "Type": "ACCOUNT"}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake(handshake: &Handshake) -> Result<serde_json::Value, WireError> {
    to_value(&View::of(handshake)?)
}

/// Renders a bare handshake object as AWS JSON text: the same text as
/// `serde_json::to_string(&WireHandshake::from_handshake(handshake)?)`, written without building
/// the owned [`WireHandshake`] or a `serde_json::Value` first.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// use org_handshake::provider::aws::{render_handshake_json, WireHandshake};
/// # let h = org_handshake::example_handshake()?;
/// let text = render_handshake_json(&h)?;
/// assert!(text.starts_with(r#"{"Id":"h-examplehandshakeid111","Arn":"arn:aws:organizations::"#));
/// assert_eq!(text, serde_json::to_string(&WireHandshake::from_handshake(&h)?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake_json(handshake: &Handshake) -> Result<String, WireError> {
    crate::provider::to_json_string(&View::of(handshake)?)
}

/// Parses a bare AWS handshake object (as [`WireHandshake::to_handshake`]).
///
/// # Errors
///
/// [`WireError::Json`] for JSON that is not a handshake object, then as
/// [`WireHandshake::to_handshake`].
///
/// ```
/// # let h = org_handshake::example_handshake()?;
/// let json = org_handshake::provider::aws::render_handshake(&h)?.to_string();
/// assert_eq!(org_handshake::provider::aws::parse_handshake(&json)?, h);
/// let err = org_handshake::provider::aws::parse_handshake(&json.replace("OPEN", "CANCELLED")).unwrap_err();
/// assert_eq!(err.to_string(), "`Handshake.State`: unknown AWS handshake state `CANCELLED`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_handshake(json: &str) -> Result<Handshake, WireError> {
    from_json::<WireHandshake>(json)?.to_handshake()
}

/// The response body of every operation that answers with one handshake:
/// `{"Handshake": {…}}`.
///
/// ```
/// use org_handshake::provider::aws::AcceptHandshakeResponse;
/// # let h = org_handshake::example_handshake()?;
/// let body = serde_json::to_string(&AcceptHandshakeResponse::new(&h)?)?;
/// assert_eq!(AcceptHandshakeResponse::from_json(&body)?.to_handshake()?, h);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct HandshakeResponse {
    /// The handshake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshake: Option<WireHandshake>,
}

/// `InviteAccountToOrganization`'s response.
pub type InviteAccountToOrganizationResponse = HandshakeResponse;
/// `AcceptHandshake`'s response.
pub type AcceptHandshakeResponse = HandshakeResponse;
/// `DeclineHandshake`'s response.
pub type DeclineHandshakeResponse = HandshakeResponse;
/// `CancelHandshake`'s response.
pub type CancelHandshakeResponse = HandshakeResponse;
/// `DescribeHandshake`'s response.
pub type DescribeHandshakeResponse = HandshakeResponse;
/// `EnableAllFeatures`'s response (the parent handshake).
pub type EnableAllFeaturesResponse = HandshakeResponse;

impl HandshakeResponse {
    /// The response showing `handshake`.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`].
    pub fn new(handshake: &Handshake) -> Result<Self, WireError> {
        Ok(HandshakeResponse {
            handshake: Some(WireHandshake::from_handshake(handshake)?),
        })
    }

    /// Reads a response body.
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error.
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        from_json(json)
    }

    /// The handshake, parsed as [`WireHandshake::to_handshake`].
    ///
    /// # Errors
    ///
    /// [`WireError::Missing`] without a `Handshake`, then as [`WireHandshake::to_handshake`].
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        required(&self.handshake, || "Handshake".to_owned())?.to_handshake()
    }
}

/// The response body of `ListHandshakesForAccount` and `ListHandshakesForOrganization`:
/// `{"Handshakes": […], "NextToken": "…"}`, the token absent on the last page.
///
/// ```
/// use org_handshake::provider::aws::ListHandshakesForAccountResponse;
/// # let h = org_handshake::example_handshake()?;
/// let last_page = ListHandshakesForAccountResponse::new(&[h.clone()], None)?;
/// let json = serde_json::to_value(&last_page)?;
/// assert!(json.get("NextToken").is_none());
/// assert_eq!(ListHandshakesForAccountResponse::from_json(&json.to_string())?.to_handshakes()?, vec![h]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ListHandshakesResponse {
    /// This page's handshakes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshakes: Option<Vec<WireHandshake>>,
    /// The token for the next page; absent (or null) on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListHandshakesForAccount`'s response.
pub type ListHandshakesForAccountResponse = ListHandshakesResponse;
/// `ListHandshakesForOrganization`'s response.
pub type ListHandshakesForOrganizationResponse = ListHandshakesResponse;

impl ListHandshakesResponse {
    /// A page showing `handshakes`, followed by `next_token` when there is a next page.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`], for the first handshake AWS cannot express.
    pub fn new(handshakes: &[Handshake], next_token: Option<&str>) -> Result<Self, WireError> {
        Ok(ListHandshakesResponse {
            handshakes: Some(
                handshakes
                    .iter()
                    .map(WireHandshake::from_handshake)
                    .collect::<Result<_, _>>()?,
            ),
            next_token: next_token.map(str::to_owned),
        })
    }

    /// Reads a response body.
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error.
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        from_json(json)
    }

    /// The handshakes, each parsed as [`WireHandshake::to_handshake`]; errors name the item
    /// (`Handshakes[2].State`).
    ///
    /// # Errors
    ///
    /// [`WireError::Missing`] without `Handshakes`, then the first item's error.
    pub fn to_handshakes(&self) -> Result<Vec<Handshake>, WireError> {
        required(&self.handshakes, || "Handshakes".to_owned())?
            .iter()
            .enumerate()
            .map(|(i, h)| h.to_handshake_at(&format!("Handshakes[{i}]"), None))
            .collect()
    }
}
