//! The bare handshake object ([`WireHandshake`]): rendering a neutral handshake as Alibaba's
//! flat object of strings, and reading one back strictly; with the field rules it needs (ids,
//! timestamps).

use std::fmt;
use std::ops::Deref;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::handshake::{Handshake, HandshakeParts, Party, Recipient, SenderOrganization};
use crate::id::{AccountId, AccountName, Email, HandshakeId, Notes, OrganizationId};
use crate::policy::Profile;
use crate::provider::field::Field;
use crate::provider::text::{from_json_borrowed, Text};
use crate::provider::time::{parse_seconds, SecondsError, Stamp};
use crate::provider::{shown, WireError};
use crate::vocab::Action;

use super::{Status, TargetType, PROVIDER};

/// The length of an Alibaba account id (all ASCII digits).
pub const ACCOUNT_ID_LEN: usize = 16;

/// An Alibaba handshake object, key for key (all strings; every member optional on the wire, as
/// the SDK models it). Keys are declared in alphabetical order, which is also the order
/// `serde_json::Value` keeps.
///
/// Build one from a neutral handshake with [`from_handshake`](Self::from_handshake); read one
/// back, strictly, with [`to_handshake`](Self::to_handshake).
///
/// ```
/// use org_handshake::provider::alibaba::{self, WireHandshake};
///
/// let h = org_handshake::example::alibaba_invitation()?;
/// let wire = WireHandshake::from_handshake(&h)?;
/// assert_eq!(wire.status.as_deref(), Some("Pending"));
/// assert_eq!(wire.to_handshake()?, h);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WireHandshake {
    /// When the invitation was created (neutral `requested_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// When it expires (neutral `expires_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<String>,
    /// The handshake id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshake_id: Option<String>,
    /// The invited account's real-name verification (GetHandshake, invited caller only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_account_real_name: Option<String>,
    /// The management account's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_account_id: Option<String>,
    /// The management account's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_account_name: Option<String>,
    /// The management account's real-name verification (GetHandshake, invited caller only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_account_real_name: Option<String>,
    /// When the invitation last changed (neutral `state_entered_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modify_time: Option<String>,
    /// The invitation's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The sending resource directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_directory_id: Option<String>,
    /// The [`Status`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The invited account's id or logon email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_entity: Option<String>,
    /// The [`TargetType`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
}

impl WireHandshake {
    /// Renders a neutral handshake (its stored state: pass `h.observed_at(now)` to show lazy
    /// expiry).
    ///
    /// # Errors
    ///
    /// - [`WireError::Unsupported`] when Alibaba cannot express the handshake: an action other
    ///   than INVITE, the `Requested` state, a recipient named by account name, or extra
    ///   resources.
    /// - [`WireError::Invalid`] naming the field when an id breaks Alibaba's pattern (a handshake
    ///   id that is not `h-` + 16 characters, an `o-` organization, an account id that is not 16
    ///   digits) or a time is outside the years 0000–9999.
    ///
    /// # Example: an AWS handshake is not an Alibaba one
    ///
    /// ```
    /// use org_handshake::provider::alibaba::WireHandshake;
    /// let aws = org_handshake::example::aws_invitation()?;
    /// let err = WireHandshake::from_handshake(&aws).unwrap_err();
    /// assert_eq!(err.code(), "invalid_field");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_handshake(h: &Handshake) -> Result<Self, WireError> {
        let view = View::of(h)?;
        let sender = h.sender();
        Ok(WireHandshake {
            create_time: Some(view.create_time.as_str().to_owned()),
            expire_time: Some(view.expire_time.as_str().to_owned()),
            handshake_id: Some(view.id.as_str().to_owned()),
            invited_account_real_name: None,
            master_account_id: Some(view.master_account_id.to_owned()),
            master_account_name: Some(sender.management_account_name.as_str().to_owned()),
            master_account_real_name: None,
            modify_time: Some(view.modify_time.as_str().to_owned()),
            note: h.notes().map(|n| n.as_str().to_owned()),
            resource_directory_id: Some(view.resource_directory_id.to_owned()),
            status: Some(view.status.as_str().to_owned()),
            target_entity: Some(view.target_entity.to_owned()),
            target_type: Some(view.target_type.as_str().to_owned()),
        })
    }

    /// Parses the object into a neutral handshake, strictly. Errors name the field as
    /// `Handshake.<Key>`.
    ///
    /// # Errors
    ///
    /// - [`WireError::Missing`] for an absent required member (`ModifyTime` is required unless
    ///   the status is `Pending`; `Note` is optional).
    /// - [`WireError::UnknownValue`] for a `Status` or `TargetType` Alibaba does not have.
    /// - [`WireError::Invalid`] for a malformed id, email, name, note or timestamp.
    /// - [`WireError::Model`] when the fields describe a handshake that cannot exist (an expiry
    ///   before the creation, say).
    ///
    /// # Example: the field at fault is named
    ///
    /// ```
    /// use org_handshake::provider::alibaba::{self, WireHandshake};
    /// let mut wire = WireHandshake::from_handshake(&org_handshake::example::alibaba_invitation()?)?;
    /// wire.status = Some("Canceled".into());
    /// let err = wire.to_handshake().unwrap_err();
    /// assert_eq!(err.to_string(), "`Handshake.Status`: unknown alibaba handshake status `Canceled`");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.to_handshake_at("Handshake")
    }

    /// [`to_handshake`](Self::to_handshake), naming fields under `path`.
    pub(super) fn to_handshake_at(&self, path: &str) -> Result<Handshake, WireError> {
        Members::of_wire(self).to_handshake_at(path)
    }
}

/// Checks that Alibaba can express `h`, without rendering it: what
/// [`WireHandshake::from_handshake`] refuses, this refuses with the same error.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// use org_handshake::provider::alibaba;
/// assert!(alibaba::check_expressible(&org_handshake::example::alibaba_invitation()?).is_ok());
/// assert!(alibaba::check_expressible(&org_handshake::example::aws_invitation()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_expressible(h: &Handshake) -> Result<(), WireError> {
    View::of(h).map(drop)
}

/// A handshake checked for Alibaba, borrowing from it: [`WireHandshake::from_handshake`] copies
/// it into owned strings; [`render_handshake_json`] and [`render_handshake`] serialize it
/// directly, with the keys and order of [`WireHandshake`]'s derived `Serialize`.
pub(super) struct View<'a> {
    handshake: &'a Handshake,
    id: HandshakeId,
    // Ids are read out once: each `as_str` of an inline id checks its UTF-8 again.
    resource_directory_id: &'a str,
    master_account_id: &'a str,
    status: Status,
    target_type: TargetType,
    target_entity: &'a str,
    create_time: Stamp,
    expire_time: Stamp,
    modify_time: Stamp,
}

impl<'a> View<'a> {
    /// Checks that Alibaba can express `h`, in the order [`WireHandshake::from_handshake`]
    /// documents; each time is written once, here.
    pub(super) fn of(h: &'a Handshake) -> Result<Self, WireError> {
        if h.action() != Action::Invite {
            return Err(WireError::Unsupported {
                provider: PROVIDER,
                what: format!("{} handshakes (only invitations)", h.action()),
            });
        }
        let status = Status::from_state(h.state())?;
        let target = h.recipient().target();
        let target_type = TargetType::of_party(target)?;
        if !h.resources().is_empty() {
            return Err(WireError::Unsupported {
                provider: PROVIDER,
                what: "handshake resources".to_owned(),
            });
        }
        let id = h.id();
        Profile::ALIBABA
            .check_handshake_id(&id)
            .map_err(|err| WireError::invalid("Handshake.HandshakeId".to_owned(), err))?;
        let sender = h.sender();
        let resource_directory_id = sender.id.as_str();
        check_resource_directory_id(resource_directory_id, "Handshake.ResourceDirectoryId")?;
        let master_account_id = sender.management_account.as_str();
        check_account_id(master_account_id, "Handshake.MasterAccountId")?;
        let target_entity = match target {
            Party::Account(id) => {
                let id = id.as_str();
                check_account_id(id, "Handshake.TargetEntity")?;
                id
            }
            Party::Email(email) => email.as_str(),
            // `of_party` has refused the others already.
            Party::Name(name) => name.as_str(),
            Party::Organization(id) => id.as_str(),
        };
        Ok(View {
            handshake: h,
            id,
            resource_directory_id,
            master_account_id,
            status,
            target_type,
            target_entity,
            create_time: stamp(h.requested_at())?,
            expire_time: stamp(h.expires_at())?,
            modify_time: stamp(h.state_entered_at())?,
        })
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
        out.serialize_field("CreateTime", &self.create_time)?;
        out.serialize_field("ExpireTime", &self.expire_time)?;
        out.serialize_field("HandshakeId", self.id.as_str())?;
        out.skip_field("InvitedAccountRealName")?;
        out.serialize_field("MasterAccountId", self.master_account_id)?;
        out.serialize_field("MasterAccountName", sender.management_account_name.as_str())?;
        out.skip_field("MasterAccountRealName")?;
        out.serialize_field("ModifyTime", &self.modify_time)?;
        match notes {
            Some(notes) => out.serialize_field("Note", notes.as_str())?,
            None => out.skip_field("Note")?,
        }
        out.serialize_field("ResourceDirectoryId", self.resource_directory_id)?;
        out.serialize_field("Status", self.status.as_str())?;
        out.serialize_field("TargetEntity", self.target_entity)?;
        out.serialize_field("TargetType", self.target_type.as_str())?;
        out.end()
    }
}

/// Renders the bare handshake object as JSON.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// let json = org_handshake::provider::alibaba::render_handshake(&org_handshake::example::alibaba_invitation()?)?;
/// assert_eq!(json["TargetType"], "Account");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake(h: &Handshake) -> Result<serde_json::Value, WireError> {
    crate::provider::to_value(&View::of(h)?).map_err(|err| under("Handshake", err))
}

/// Renders the bare handshake object as JSON text: the same text as
/// `serde_json::to_string(&WireHandshake::from_handshake(h)?)`, written without building the
/// owned [`WireHandshake`] or a `serde_json::Value` first.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// use org_handshake::provider::alibaba::{self, render_handshake_json, WireHandshake};
/// let h = org_handshake::example::alibaba_invitation()?;
/// let text = render_handshake_json(&h)?;
/// assert!(text.starts_with(r#"{"CreateTime":"2021-01-06T02:15:40Z","ExpireTime":"#));
/// assert_eq!(text, serde_json::to_string(&WireHandshake::from_handshake(&h)?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake_json(h: &Handshake) -> Result<String, WireError> {
    crate::provider::to_json_string(&View::of(h)?).map_err(|err| under("Handshake", err))
}

/// A [`WireHandshake`] read straight from the text, its strings `S` borrowed from the document
/// (`&str` where no string has escapes, else [`Text`]): the same keys under the same serde rules,
/// except that the members every handshake has are required, so that a document without one is
/// left to the owned path, which names it (see `provider::text`). An absent optional member is
/// `None`, as serde reads any absent `Option`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TextHandshake<S> {
    create_time: S,
    expire_time: S,
    handshake_id: S,
    // Read only so that a value that is not a string is refused, as `WireHandshake` does.
    #[allow(dead_code)]
    invited_account_real_name: Option<S>,
    master_account_id: S,
    master_account_name: S,
    // As `invited_account_real_name`.
    #[allow(dead_code)]
    master_account_real_name: Option<S>,
    modify_time: Option<S>,
    note: Option<S>,
    resource_directory_id: S,
    status: S,
    target_entity: S,
    target_type: S,
}

/// The members a handshake is made of, borrowed from a [`WireHandshake`] or from a
/// [`TextHandshake`]: one conversion ([`Members::to_handshake_at`]) checks both. (The real-name
/// members are not part of a handshake.)
struct Members<'a> {
    create_time: Option<&'a str>,
    expire_time: Option<&'a str>,
    handshake_id: Option<&'a str>,
    master_account_id: Option<&'a str>,
    master_account_name: Option<&'a str>,
    modify_time: Option<&'a str>,
    note: Option<&'a str>,
    resource_directory_id: Option<&'a str>,
    status: Option<&'a str>,
    target_entity: Option<&'a str>,
    target_type: Option<&'a str>,
}

impl<'a> Members<'a> {
    fn of_wire(wire: &'a WireHandshake) -> Self {
        Members {
            create_time: wire.create_time.as_deref(),
            expire_time: wire.expire_time.as_deref(),
            handshake_id: wire.handshake_id.as_deref(),
            master_account_id: wire.master_account_id.as_deref(),
            master_account_name: wire.master_account_name.as_deref(),
            modify_time: wire.modify_time.as_deref(),
            note: wire.note.as_deref(),
            resource_directory_id: wire.resource_directory_id.as_deref(),
            status: wire.status.as_deref(),
            target_entity: wire.target_entity.as_deref(),
            target_type: wire.target_type.as_deref(),
        }
    }

    fn of_text<S: Deref<Target = str>>(wire: &'a TextHandshake<S>) -> Self {
        Members {
            create_time: Some(&wire.create_time),
            expire_time: Some(&wire.expire_time),
            handshake_id: Some(&wire.handshake_id),
            master_account_id: Some(&wire.master_account_id),
            master_account_name: Some(&wire.master_account_name),
            modify_time: wire.modify_time.as_deref(),
            note: wire.note.as_deref(),
            resource_directory_id: Some(&wire.resource_directory_id),
            status: Some(&wire.status),
            target_entity: Some(&wire.target_entity),
            target_type: Some(&wire.target_type),
        }
    }

    /// Checks the members and builds the handshake, naming fields under `path`.
    fn to_handshake_at(&self, path: &str) -> Result<Handshake, WireError> {
        // Field names are written out only for an error.
        let root = Field::Root(path);
        let field = |key: &'static str| root.key(key);

        let id_text = required(self.handshake_id, field("HandshakeId"))?;
        let id = Profile::ALIBABA
            .parse_handshake_id(id_text)
            .map_err(|err| WireError::invalid(field("HandshakeId").to_string(), err))?;

        let rd_text = required(self.resource_directory_id, field("ResourceDirectoryId"))?;
        let rd = parse_resource_directory_id(rd_text, &field("ResourceDirectoryId"))?;

        let master_text = required(self.master_account_id, field("MasterAccountId"))?;
        let master = parse_account_id(master_text, &field("MasterAccountId"))?;

        let name_text = required(self.master_account_name, field("MasterAccountName"))?;
        let name = AccountName::parse(name_text)
            .map_err(|err| WireError::invalid(field("MasterAccountName").to_string(), err))?;

        let status_text = required(self.status, field("Status"))?;
        let status: Status = status_text
            .parse()
            .map_err(|source| WireError::UnknownValue {
                field: field("Status").to_string(),
                source,
            })?;

        let type_text = required(self.target_type, field("TargetType"))?;
        let target_type: TargetType =
            type_text
                .parse()
                .map_err(|source| WireError::UnknownValue {
                    field: field("TargetType").to_string(),
                    source,
                })?;
        let entity = required(self.target_entity, field("TargetEntity"))?;
        let recipient = match target_type {
            TargetType::Account => {
                Recipient::for_account(parse_account_id(entity, &field("TargetEntity"))?)
            }
            TargetType::Email => {
                let email = Email::parse(entity)
                    .map_err(|err| WireError::invalid(field("TargetEntity").to_string(), err))?;
                Recipient::new(Party::Email(email), None)?
            }
        };

        let notes = match self.note {
            Some(text) => Some(
                Notes::parse(text)
                    .map_err(|err| WireError::invalid(field("Note").to_string(), err))?,
            ),
            None => None,
        };

        let requested_at = parse_time(
            &field("CreateTime"),
            required(self.create_time, field("CreateTime"))?,
        )?;
        let expires_at = parse_time(
            &field("ExpireTime"),
            required(self.expire_time, field("ExpireTime"))?,
        )?;
        let state_entered_at = match self.modify_time {
            Some(text) => Some(parse_time(&field("ModifyTime"), text)?),
            None if status == Status::Pending => None,
            None => {
                return Err(WireError::Missing {
                    field: field("ModifyTime").to_string(),
                })
            }
        };

        Ok(Handshake::from_parts(HandshakeParts {
            id,
            action: Action::Invite,
            state: status.to_state(),
            sender: SenderOrganization {
                id: rd,
                management_account: master,
                management_account_name: name,
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

/// Parses a bare handshake object (no `RequestId` envelope), strictly. Fields are named
/// `Handshake.<Key>`, type errors included.
///
/// # Errors
///
/// [`WireError::Json`] for text that is not a JSON object of strings, then as
/// [`WireHandshake::to_handshake`].
///
/// ```
/// use org_handshake::provider::alibaba;
/// let err = alibaba::parse_handshake(r#"{"HandshakeId": 7}"#).unwrap_err();
/// assert!(err.to_string().starts_with("invalid json at `Handshake.HandshakeId`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_handshake(json: &str) -> Result<Handshake, WireError> {
    if let Some(wire) = from_json_borrowed::<TextHandshake<&str>>(json) {
        return Members::of_text(&wire).to_handshake_at("Handshake");
    }
    if let Some(wire) = from_json_borrowed::<TextHandshake<Text<'_>>>(json) {
        return Members::of_text(&wire).to_handshake_at("Handshake");
    }
    // The owned path names what is wrong with the JSON, with its path.
    let wire: WireHandshake =
        crate::provider::from_json(json).map_err(|err| under("Handshake", err))?;
    wire.to_handshake()
}

// ---------------------------------------------------------------------------------------------
// Field rules
// ---------------------------------------------------------------------------------------------

/// Puts a JSON error's path under `prefix` (a bare handshake's fields are `Handshake.<Key>`).
fn under(prefix: &str, err: WireError) -> WireError {
    match err {
        WireError::Json { field, message } => WireError::Json {
            field: if field.is_empty() || field == "." {
                prefix.to_owned()
            } else {
                format!("{prefix}.{field}")
            },
            message,
        },
        other => other,
    }
}

/// The member's text, or [`WireError::Missing`] naming it.
fn required<'v>(value: Option<&'v str>, field: Field<'_>) -> Result<&'v str, WireError> {
    value.ok_or_else(|| WireError::Missing {
        field: field.to_string(),
    })
}

/// A resource directory id: an [`OrganizationId`] with the `rd-` prefix.
fn parse_resource_directory_id(
    value: &str,
    field: &(impl fmt::Display + ?Sized),
) -> Result<OrganizationId, WireError> {
    check_resource_directory_id(value, field)?;
    OrganizationId::parse(value).map_err(|err| WireError::invalid(field.to_string(), err))
}

/// The prefix rule of [`parse_resource_directory_id`], for an id already known to be a valid
/// [`OrganizationId`].
fn check_resource_directory_id(
    value: &str,
    field: &(impl fmt::Display + ?Sized),
) -> Result<(), WireError> {
    if value.starts_with("rd-") {
        return Ok(());
    }
    Err(WireError::invalid(
        field.to_string(),
        format!(
            "`{}` is not a resource directory id (`rd-` + 2 to 32 letters or digits)",
            shown(value)
        ),
    ))
}

/// An Alibaba account id: exactly 16 ASCII digits.
pub(super) fn parse_account_id(
    value: &str,
    field: &(impl fmt::Display + ?Sized),
) -> Result<AccountId, WireError> {
    check_account_id(value, field)?;
    AccountId::parse(value).map_err(|err| WireError::invalid(field.to_string(), err))
}

/// The digit rule of [`parse_account_id`], for an id already known to be a valid
/// [`AccountId`].
fn check_account_id(value: &str, field: &(impl fmt::Display + ?Sized)) -> Result<(), WireError> {
    let digits = value.len() == ACCOUNT_ID_LEN && value.bytes().all(|b| b.is_ascii_digit());
    if digits {
        return Ok(());
    }
    Err(WireError::invalid(
        field.to_string(),
        format!(
            "`{}` is not an Alibaba account id ({ACCOUNT_ID_LEN} digits)",
            shown(value)
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------

/// Writes a time as Alibaba does, `YYYY-MM-DDTHH:MM:SSZ`, dropping any fraction of a second.
///
/// # Errors
///
/// [`WireError::Unsupported`] for a year outside 0000–9999, which Alibaba cannot write.
pub fn format_time(at: DateTime<Utc>) -> Result<String, WireError> {
    stamp(at).map(|stamp| stamp.as_str().to_owned())
}

/// [`Stamp::of`], refusing a year that does not fit four digits as Alibaba cannot write it.
fn stamp(at: DateTime<Utc>) -> Result<Stamp, WireError> {
    Stamp::of(at).ok_or_else(|| WireError::Unsupported {
        provider: super::PROVIDER,
        what: format!("the time {at} (years 0000-9999 only)"),
    })
}

/// Reads an Alibaba time: exactly `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), with the reader
/// Huawei shares, in Alibaba's own words. The field's name is written out only for an error.
///
/// # Errors
///
/// [`WireError::Invalid`] naming `field` for any other text.
pub fn parse_time(
    field: &(impl fmt::Display + ?Sized),
    value: &str,
) -> Result<DateTime<Utc>, WireError> {
    parse_seconds(value).map_err(|err| {
        let reason = match err {
            SecondsError::Shape => format!(
                "`{}` is not a UTC time like 2021-01-20T02:15:40Z",
                shown(value)
            ),
            SecondsError::LeapSecond => format!("`{}` is a leap second", shown(value)),
            SecondsError::NotReal(err) => format!("`{}`: {err}", shown(value)),
        };
        WireError::invalid(field.to_string(), reason)
    })
}
