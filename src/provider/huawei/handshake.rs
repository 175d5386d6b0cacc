//! The bare handshake object: [`WireHandshake`] (`HandshakeDto`) and [`WireTarget`], the
//! borrowed `View` that renders a handshake without copying it, the URN check, and the
//! timestamps read and written in the one form Huawei uses.

use std::ops::Deref;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::handshake::{Handshake, HandshakeParts, Party, Recipient, SenderOrganization};
use crate::id::{AccountId, AccountName, HandshakeId, Notes, OrganizationId};
use crate::policy::Profile;
use crate::provider::field::Field;
use crate::provider::text::{from_json_borrowed, Text};
use crate::provider::time::{parse_seconds, SecondsError, Stamp};
use crate::provider::{shown, to_json_string, to_value, WireError};
use crate::vocab::{Action, HandshakeState};

use super::{from_json, Status, TargetType, PROVIDER};

/// The one timestamp form Huawei uses; see the module docs.
const TIMESTAMP_FORM: &str = "YYYY-MM-DDTHH:MM:SSZ (UTC, whole seconds)";

/// A Huawei `TargetDto`: who is invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireTarget {
    /// `account` or `name` (see [`TargetType`]).
    #[serde(rename = "type")]
    pub kind: String,
    /// The account id or the account name.
    pub entity: String,
}

/// A Huawei `HandshakeDto`, key for key. Values are kept as the strings Huawei sends;
/// [`to_handshake`](Self::to_handshake) checks them, [`from_handshake`](Self::from_handshake)
/// writes them in Huawei's canonical form.
///
/// Declaration order is the order of the API reference's examples, so serializing this struct
/// reproduces them key for key.
///
/// ```
/// use org_handshake::provider::huawei::WireHandshake;
///
/// let h = org_handshake::example::aws_invitation()?;
/// let wire = WireHandshake::from_handshake(&h)?;
/// assert_eq!(wire.urn, "organizations::111111111111:handshake:o-exampleorgid/h-examplehandshakeid111");
/// assert_eq!(wire.status, "pending");
/// assert_eq!(wire.created_at, "2026-01-05T10:00:00Z");
/// assert_eq!(wire.to_handshake()?.id(), h.id());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireHandshake {
    /// The handshake id.
    pub id: String,
    /// `organizations::<management_account_id>:handshake:<organization_id>/<id>`.
    pub urn: String,
    /// When the handshake entered its status; absent is read as `created_at` for a pending one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// When it was requested.
    pub created_at: String,
    /// When it expires.
    pub expired_at: String,
    /// The sender's management account id.
    pub management_account_id: String,
    /// The sender's management account name.
    pub management_account_name: String,
    /// The sending organization.
    pub organization_id: String,
    /// The invitation's notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Who is invited.
    pub target: WireTarget,
    /// The [`Status`].
    pub status: String,
}

impl WireHandshake {
    /// Renders a neutral handshake in Huawei's shape. It renders the *stored* state: to show a
    /// handshake as seen at `now` (lazy expiry), pass `h.observed_at(now)`.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] when Huawei cannot express the handshake: an action other than
    /// INVITE, the `Requested` state, an email recipient, extra resources, a handshake id outside
    /// `^h-[0-9a-z]{8,32}$`, a resource-directory sender, or a time outside years 0000–9999.
    ///
    /// # Example: lazy expiry is shown only when asked for
    ///
    /// ```
    /// use org_handshake::provider::huawei::WireHandshake;
    ///
    /// let h = org_handshake::example::aws_invitation()?;
    /// let late = h.expires_at() + chrono::TimeDelta::days(1);
    /// assert_eq!(WireHandshake::from_handshake(&h)?.status, "pending");
    /// let seen = WireHandshake::from_handshake(&h.observed_at(late))?;
    /// assert_eq!(seen.status, "expired");
    /// assert_eq!(seen.updated_at, Some(seen.expired_at.clone()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_handshake(h: &Handshake) -> Result<Self, WireError> {
        let view = View::of(h)?;
        let sender = h.sender();
        let id = view.id.as_str();
        Ok(WireHandshake {
            id: id.to_owned(),
            urn: view.urn(id).to_string(),
            updated_at: Some(view.updated_at.as_str().to_owned()),
            created_at: view.created_at.as_str().to_owned(),
            expired_at: view.expired_at.as_str().to_owned(),
            management_account_id: view.management_account_id.to_owned(),
            management_account_name: sender.management_account_name.as_str().to_owned(),
            organization_id: view.organization_id.to_owned(),
            notes: h.notes().map(|n| n.as_str().to_owned()),
            target: WireTarget {
                kind: view.kind.as_str().to_owned(),
                entity: view.entity.to_owned(),
            },
            status: view.status.as_str().to_owned(),
        })
    }

    /// Parses this object into a neutral handshake, strictly. Failures name the field relative
    /// to the handshake object (`target.type`).
    ///
    /// # Errors
    ///
    /// - [`WireError::Invalid`]: a malformed id, name, notes or timestamp, or a malformed `urn`;
    /// - [`WireError::UnknownValue`]: a `status` or `target.type` Huawei does not have;
    /// - [`WireError::Inconsistent`]: a `urn` that disagrees with the other fields;
    /// - [`WireError::Missing`]: no `updated_at` on a handshake that is no longer pending;
    /// - [`WireError::Model`]: well-formed fields that describe an impossible handshake (an
    ///   expiry before the request, say).
    ///
    /// # Example: the urn must agree with the other fields
    ///
    /// ```
    /// use org_handshake::provider::{huawei::WireHandshake, WireError};
    ///
    /// let h = org_handshake::example::aws_invitation()?;
    /// let mut wire = WireHandshake::from_handshake(&h)?;
    /// wire.organization_id = "o-anotherorgid".into();
    /// assert!(matches!(wire.to_handshake(), Err(WireError::Inconsistent { field, .. }) if field == "urn"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.to_handshake_at("")
    }

    /// [`to_handshake`](Self::to_handshake), naming fields below `prefix` (`handshake.`,
    /// `handshakes[3].`).
    pub(crate) fn to_handshake_at(&self, prefix: &str) -> Result<Handshake, WireError> {
        Members::of_wire(self).to_handshake_at(prefix)
    }
}

/// A handshake checked for Huawei, borrowing from it: [`WireHandshake::from_handshake`] copies
/// it into owned strings; [`render_handshake_json`] and [`render_handshake`] serialize it
/// directly, with the keys and order of [`WireHandshake`]'s derived `Serialize`.
pub(super) struct View<'a> {
    handshake: &'a Handshake,
    id: HandshakeId,
    // Ids are read out once: each `as_str` of an inline id checks its UTF-8 again.
    organization_id: &'a str,
    management_account_id: &'a str,
    status: Status,
    kind: TargetType,
    entity: &'a str,
    updated_at: Stamp,
    created_at: Stamp,
    expired_at: Stamp,
}

impl<'a> View<'a> {
    /// Checks that Huawei can express `h`, in the order [`WireHandshake::from_handshake`]
    /// documents.
    pub(super) fn of(h: &'a Handshake) -> Result<Self, WireError> {
        if h.action() != Action::Invite {
            return Err(WireError::unsupported(
                PROVIDER,
                format!("{} handshakes", h.action()),
            ));
        }
        let status = Status::from_state(h.state())?;
        if !h.resources().is_empty() {
            return Err(WireError::unsupported(
                PROVIDER,
                "extra handshake resources",
            ));
        }
        if let Err(err) = Profile::HUAWEI.check_handshake_id(&h.id()) {
            return Err(WireError::unsupported(
                PROVIDER,
                format!("handshake id {}: {err}", h.id()),
            ));
        }
        let sender = h.sender();
        let organization_id = sender.id.as_str();
        if !organization_id.starts_with("o-") {
            return Err(WireError::unsupported(
                PROVIDER,
                format!("organization id {} (only `o-` ids)", sender.id),
            ));
        }
        let target = h.recipient().target();
        let kind = TargetType::of(target)?;
        let entity = match target {
            Party::Account(id) => id.as_str(),
            Party::Name(name) => name.as_str(),
            // `TargetType::of` has refused the others already.
            Party::Email(email) => email.as_str(),
            Party::Organization(id) => id.as_str(),
        };
        Ok(View {
            handshake: h,
            id: h.id(),
            organization_id,
            management_account_id: sender.management_account.as_str(),
            status,
            kind,
            entity,
            updated_at: stamp(h.state_entered_at())?,
            created_at: stamp(h.requested_at())?,
            expired_at: stamp(h.expires_at())?,
        })
    }

    fn urn<'v>(&'v self, id: &'v str) -> Urn<'v> {
        Urn {
            management_account: self.management_account_id,
            organization: self.organization_id,
            id,
        }
    }
}

impl Serialize for View<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let h = self.handshake;
        let sender = h.sender();
        let notes = h.notes();
        let mut out =
            serializer.serialize_struct("WireHandshake", 10 + usize::from(notes.is_some()))?;
        let id = self.id.as_str();
        out.serialize_field("id", id)?;
        out.serialize_field("urn", &self.urn(id))?;
        out.serialize_field("updated_at", &self.updated_at)?;
        out.serialize_field("created_at", &self.created_at)?;
        out.serialize_field("expired_at", &self.expired_at)?;
        out.serialize_field("management_account_id", self.management_account_id)?;
        out.serialize_field(
            "management_account_name",
            sender.management_account_name.as_str(),
        )?;
        out.serialize_field("organization_id", self.organization_id)?;
        match notes {
            Some(notes) => out.serialize_field("notes", notes.as_str())?,
            None => out.skip_field("notes")?,
        }
        out.serialize_field(
            "target",
            &TargetView {
                kind: self.kind.as_str(),
                entity: self.entity,
            },
        )?;
        out.serialize_field("status", self.status.as_str())?;
        out.end()
    }
}

/// A [`WireTarget`], borrowed.
#[derive(Serialize)]
struct TargetView<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    entity: &'a str,
}

/// A handshake's URN, written where it is serialized.
struct Urn<'a> {
    management_account: &'a str,
    organization: &'a str,
    id: &'a str,
}

impl std::fmt::Display for Urn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("organizations::")?;
        f.write_str(self.management_account)?;
        f.write_str(":handshake:")?;
        f.write_str(self.organization)?;
        f.write_str("/")?;
        f.write_str(self.id)
    }
}

impl Serialize for Urn<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Renders a neutral handshake as a bare Huawei `HandshakeDto` JSON value.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// let h = org_handshake::example::aws_invitation()?;
/// let json = org_handshake::provider::huawei::render_handshake(&h)?;
/// assert_eq!(json["target"], serde_json::json!({"type": "account", "entity": "222222222222"}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake(h: &Handshake) -> Result<serde_json::Value, WireError> {
    to_value(&View::of(h)?)
}

/// Renders a neutral handshake as a bare Huawei `HandshakeDto`, as JSON text: the same text as
/// `serde_json::to_string(&WireHandshake::from_handshake(h)?)` (the API reference's key order),
/// written without building the owned [`WireHandshake`] or a `serde_json::Value` first.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// use org_handshake::provider::huawei::{render_handshake_json, WireHandshake};
/// let h = org_handshake::example::aws_invitation()?;
/// let text = render_handshake_json(&h)?;
/// assert!(text.starts_with(r#"{"id":"h-examplehandshakeid111","urn":"organizations::111111111111:handshake:"#));
/// assert_eq!(text, serde_json::to_string(&WireHandshake::from_handshake(&h)?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake_json(h: &Handshake) -> Result<String, WireError> {
    to_json_string(&View::of(h)?)
}

/// A [`WireTarget`] read straight from the text (see [`TextHandshake`]).
#[derive(Deserialize)]
struct TextTarget<S> {
    #[serde(rename = "type")]
    kind: S,
    entity: S,
}

/// A [`WireHandshake`] read straight from the text, its strings `S` borrowed from the document
/// (`&str` where no string has escapes, else [`Text`]): the same keys under the same serde rules
/// (see `provider::text`). An absent optional member is `None`, as serde reads any absent
/// `Option`.
#[derive(Deserialize)]
struct TextHandshake<S> {
    id: S,
    urn: S,
    updated_at: Option<S>,
    created_at: S,
    expired_at: S,
    management_account_id: S,
    management_account_name: S,
    organization_id: S,
    notes: Option<S>,
    target: TextTarget<S>,
    status: S,
}

/// A handshake object's members, borrowed from a [`WireHandshake`] or from a
/// [`TextHandshake`]: one conversion ([`Members::to_handshake_at`]) checks both.
struct Members<'a> {
    id: &'a str,
    urn: &'a str,
    updated_at: Option<&'a str>,
    created_at: &'a str,
    expired_at: &'a str,
    management_account_id: &'a str,
    management_account_name: &'a str,
    organization_id: &'a str,
    notes: Option<&'a str>,
    target_kind: &'a str,
    target_entity: &'a str,
    status: &'a str,
}

impl<'a> Members<'a> {
    fn of_wire(wire: &'a WireHandshake) -> Self {
        Members {
            id: &wire.id,
            urn: &wire.urn,
            updated_at: wire.updated_at.as_deref(),
            created_at: &wire.created_at,
            expired_at: &wire.expired_at,
            management_account_id: &wire.management_account_id,
            management_account_name: &wire.management_account_name,
            organization_id: &wire.organization_id,
            notes: wire.notes.as_deref(),
            target_kind: &wire.target.kind,
            target_entity: &wire.target.entity,
            status: &wire.status,
        }
    }

    fn of_text<S: Deref<Target = str>>(wire: &'a TextHandshake<S>) -> Self {
        Members {
            id: &wire.id,
            urn: &wire.urn,
            updated_at: wire.updated_at.as_deref(),
            created_at: &wire.created_at,
            expired_at: &wire.expired_at,
            management_account_id: &wire.management_account_id,
            management_account_name: &wire.management_account_name,
            organization_id: &wire.organization_id,
            notes: wire.notes.as_deref(),
            target_kind: &wire.target.kind,
            target_entity: &wire.target.entity,
            status: &wire.status,
        }
    }
    /// Checks the members and builds the handshake, naming fields below `prefix`.
    fn to_handshake_at(&self, prefix: &str) -> Result<Handshake, WireError> {
        let field = |name: &str| format!("{prefix}{name}");
        let invalid = |name: &str, reason: String| WireError::Invalid {
            field: field(name),
            reason,
        };

        let id = Profile::HUAWEI
            .parse_handshake_id(self.id)
            .map_err(|err| invalid("id", err.to_string()))?;
        let status: Status = self
            .status
            .parse()
            .map_err(|source| WireError::UnknownValue {
                field: field("status"),
                source,
            })?;
        let organization = OrganizationId::parse(self.organization_id)
            .map_err(|err| invalid("organization_id", err.to_string()))?;
        // The id's text (`organization.as_str()`, without its UTF-8 check).
        if !self.organization_id.starts_with("o-") {
            return Err(invalid(
                "organization_id",
                format!(
                    "huawei organization ids start with `o-`, not `{}`",
                    shown(self.organization_id)
                ),
            ));
        }
        let management_account = AccountId::parse(self.management_account_id)
            .map_err(|err| invalid("management_account_id", err.to_string()))?;
        let management_account_name = AccountName::parse(self.management_account_name)
            .map_err(|err| invalid("management_account_name", err.to_string()))?;
        let kind: TargetType =
            self.target_kind
                .parse()
                .map_err(|source| WireError::UnknownValue {
                    field: field("target.type"),
                    source,
                })?;
        let recipient = match kind {
            TargetType::Account => Recipient::for_account(
                AccountId::parse(self.target_entity)
                    .map_err(|err| invalid("target.entity", err.to_string()))?,
            ),
            TargetType::Name => Recipient::new(
                Party::Name(
                    AccountName::parse(self.target_entity)
                        .map_err(|err| invalid("target.entity", err.to_string()))?,
                ),
                None,
            )?,
        };
        let notes = match self.notes {
            Some(notes) => {
                Some(Notes::parse(notes).map_err(|err| invalid("notes", err.to_string()))?)
            }
            None => None,
        };
        // Written out only for an error.
        let root = Field::Root(prefix.strip_suffix('.').unwrap_or(prefix));
        let lazy = |name: &'static str| root.key(name);
        let requested_at = parse_time(&lazy("created_at"), self.created_at)?;
        let expires_at = parse_time(&lazy("expired_at"), self.expired_at)?;
        let state = HandshakeState::from(status);
        let state_entered_at = match self.updated_at {
            Some(at) => Some(parse_time(&lazy("updated_at"), at)?),
            None if state.is_pending() => None,
            None => {
                return Err(WireError::Missing {
                    field: field("updated_at"),
                })
            }
        };
        check_urn(
            &lazy("urn"),
            self.urn,
            self.management_account_id,
            self.organization_id,
            self.id,
        )?;

        Ok(Handshake::from_parts(HandshakeParts {
            id,
            action: Action::Invite,
            state,
            sender: SenderOrganization {
                id: organization,
                management_account,
                management_account_name,
                management_account_email: None,
                feature_set: None,
            },
            recipient,
            notes,
            parent: None,
            resources: Vec::new(),
            requested_at,
            expires_at,
            state_entered_at,
        })?)
    }
}

/// Parses a bare Huawei `HandshakeDto` JSON document into a neutral handshake.
///
/// # Errors
///
/// [`WireError::Json`] for text that is not JSON or has a member of the wrong JSON type,
/// [`WireError::Missing`] for an absent required member, then as
/// [`WireHandshake::to_handshake`].
///
/// ```
/// use org_handshake::provider::{huawei, WireError};
///
/// let err = huawei::parse_handshake(r#"{"id": "h-0123456789"}"#).unwrap_err();
/// assert_eq!(err, WireError::Missing { field: "urn".into() });
/// ```
pub fn parse_handshake(json: &str) -> Result<Handshake, WireError> {
    if let Some(wire) = from_json_borrowed::<TextHandshake<&str>>(json) {
        return Members::of_text(&wire).to_handshake_at("");
    }
    if let Some(wire) = from_json_borrowed::<TextHandshake<Text<'_>>>(json) {
        return Members::of_text(&wire).to_handshake_at("");
    }
    // The owned path names what is wrong with the JSON, with its path.
    from_json::<WireHandshake>(json)?.to_handshake()
}

/// The handshake's Huawei URN.
#[cfg(test)]
pub(super) fn urn(management_account: &str, organization: &str, id: &str) -> String {
    Urn {
        management_account,
        organization,
        id,
    }
    .to_string()
}

/// Checks that `value` is the URN of the handshake the other fields describe.
pub(super) fn check_urn(
    field: &(impl std::fmt::Display + ?Sized),
    value: &str,
    management_account: &str,
    organization: &str,
    id: &str,
) -> Result<(), WireError> {
    // The common case, without searching: exactly the URN the fields make.
    let exact = value
        .strip_prefix("organizations::")
        .and_then(|rest| rest.strip_prefix(management_account))
        .and_then(|rest| rest.strip_prefix(":handshake:"))
        .and_then(|rest| rest.strip_prefix(organization))
        .and_then(|rest| rest.strip_prefix('/'))
        == Some(id);
    if exact {
        return Ok(());
    }
    let parts = value
        .strip_prefix("organizations::")
        .and_then(|rest| rest.split_once(":handshake:"))
        .and_then(|(account, rest)| rest.split_once('/').map(|(org, hs)| (account, org, hs)));
    let Some((urn_account, urn_org, urn_id)) = parts else {
        return Err(WireError::Invalid {
            field: field.to_string(),
            reason: format!(
                "`{}` is not of the form organizations::<management_account_id>:handshake:<organization_id>/<id>",
                shown(value)
            ),
        });
    };
    let disagreement = [
        ("management_account_id", urn_account, management_account),
        ("organization_id", urn_org, organization),
        ("id", urn_id, id),
    ]
    .into_iter()
    .find(|(_, in_urn, in_field)| in_urn != in_field);
    match disagreement {
        Some((name, in_urn, in_field)) => Err(WireError::Inconsistent {
            field: field.to_string(),
            reason: format!(
                "it names {name} `{}` but the handshake's is `{}`",
                shown(in_urn),
                shown(in_field)
            ),
        }),
        None => Ok(()),
    }
}

/// Writes a time as Huawei does, `YYYY-MM-DDTHH:MM:SSZ`, truncated to the second (a leap
/// second shows as :59).
///
/// # Errors
///
/// [`WireError::Unsupported`] for a year outside 0000–9999, which Huawei cannot write.
pub fn format_time(at: DateTime<Utc>) -> Result<String, WireError> {
    stamp(at).map(|stamp| stamp.as_str().to_owned())
}

/// [`Stamp::of`], refusing years outside 0000–9999 as Huawei cannot write them.
fn stamp(at: DateTime<Utc>) -> Result<Stamp, WireError> {
    Stamp::of(at).ok_or_else(|| {
        WireError::unsupported(PROVIDER, format!("the time {at} (years 0000-9999 only)"))
    })
}

/// Reads a Huawei time: exactly `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds). The field's name
/// is written out only for an error.
///
/// # Errors
///
/// [`WireError::Invalid`] naming `field` for any other text.
pub fn parse_time(
    field: &(impl std::fmt::Display + ?Sized),
    value: &str,
) -> Result<DateTime<Utc>, WireError> {
    parse_seconds(value).map_err(|err| {
        let why = match err {
            SecondsError::Shape => "is not of that form",
            SecondsError::LeapSecond | SecondsError::NotReal(_) => "is not a real date and time",
        };
        WireError::Invalid {
            field: field.to_string(),
            reason: format!("`{}` {why}; expected {TIMESTAMP_FORM}", shown(value)),
        }
    })
}
