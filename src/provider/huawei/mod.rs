//! Huawei Cloud Organizations: the `HandshakeDto` JSON, the seven handshake operations' response
//! bodies, and the `{"error_code", "error_msg"}` error body, converted to and from the neutral
//! model.
//!
//! Facts come from `huaweicloudsdkorganizations` 3.1.219 (`v1/model/*.py`) and the Huawei
//! Organizations API reference; the mapping decisions below are this crate's.
//!
//! # The handshake object
//!
//! ```json
//! {"id": "h-…", "urn": "organizations::<management_account_id>:handshake:<organization_id>/<id>",
//!  "updated_at": "2022-08-25T08:11:53Z", "created_at": "…", "expired_at": "…",
//!  "management_account_id": "…", "management_account_name": "…", "organization_id": "o-…",
//!  "notes": "…", "target": {"type": "account", "entity": "…"}, "status": "pending"}
//! ```
//!
//! | Huawei | neutral | notes |
//! |---|---|---|
//! | `id` | [`Handshake::id`] | `^h-[0-9a-z]{8,32}$` ([`Profile::HUAWEI`](crate::Profile::HUAWEI)) |
//! | `urn` | – | derived; on parse it must agree with `management_account_id`, `organization_id` and `id` |
//! | `created_at` | [`Handshake::requested_at`] | |
//! | `expired_at` | [`Handshake::expires_at`] | |
//! | `updated_at` | [`Handshake::state_entered_at`] | may be absent only for a pending handshake |
//! | `management_account_id`, `management_account_name`, `organization_id` | [`SenderOrganization`] | |
//! | `notes` | [`Handshake::notes`] | omitted when there are none |
//! | `target` `{type, entity}` | [`Recipient`] | [`TargetType`]: `account` ↔ [`Party::Account`], `name` ↔ [`Party::Name`] |
//! | `status` | [`HandshakeState`] | [`Status`]: `pending` ↔ `Open`; note `cancelled` |
//!
//! # Mapping decisions
//!
//! - **Invitations only.** Huawei has no ENABLE_ALL_FEATURES (or other) handshakes and no
//!   REQUESTED/OPEN split. Rendering any other [`Action`], or the `Requested`
//!   state, is [`WireError::Unsupported`]; `pending` parses as `Open`.
//! - **Recipients.** `account` and `name` targets only; an [`Party::Email`] recipient is
//!   [`WireError::Unsupported`]. The JSON never says which account a `name` target resolved to,
//!   so a parsed `name` recipient has no resolved account, and rendering drops it.
//!   (The Terraform provider's data source describes `target.type` as "account or email"; the SDK
//!   docstring and the API reference say `account` or `name`, which this module follows.)
//! - **Sender details Huawei does not carry.** The management account's email and the feature
//!   set are parsed as `None` and ignored on render: `render(parse(json)) == json` is exact, while
//!   `parse(render(h))` equals `h` with those two fields cleared.
//! - **Extra resources.** Huawei handshakes have no resource list; a handshake with extra
//!   [`resources`](Handshake::resources) is [`WireError::Unsupported`].
//! - **Timestamps** are `YYYY-MM-DDTHH:MM:SSZ` exactly (UTC, no fraction, years 0000–9999), the
//!   only form the documents show. Parsing refuses a fraction, an offset, or any other form with
//!   [`WireError::Invalid`] naming the field, so that every accepted document renders back byte
//!   for byte. Rendering truncates to the second; a handshake whose times differ only below a
//!   second therefore does not survive the trip (the round trip holds at second precision).
//! - **Ids.** Handshake ids follow `^h-[0-9a-z]{8,32}$`, on parse and on render (an Alibaba-style
//!   mixed-case id cannot be expressed). Organization ids must be the `o-` form (`o-` + 10–32
//!   `[0-9a-z]`); a resource-directory (`rd-…`) sender cannot be expressed. Account ids: the
//!   documents give no pattern, only a maximum length that the pages disagree on (36 on the
//!   English page, 64 on the Chinese one), and the examples show 32 lower-case hex characters;
//!   this module applies the neutral [`AccountId`] rule (1–64 ASCII letters or
//!   digits) and nothing narrower, so that other providers' account ids translate.
//! - **Unknown keys** in a handshake object are ignored (as the SDK's deserializer does);
//!   unknown *values* of `status` and `target.type` are [`WireError::UnknownValue`].
//! - **Field names in errors** are the JSON paths: relative to the handshake object for
//!   [`WireHandshake::to_handshake`] and [`parse_handshake`] (`target.type`), and from the body's
//!   root for the response types (`handshake.status`, `handshakes[2].urn`).
//!
//! Lists ([`HandshakeListResponse`]) and errors ([`ERROR_CODES`]) document their own decisions.
//!
//! # Example: read the API reference's example and write it back
//!
//! ```
//! use org_handshake::provider::huawei;
//! use org_handshake::HandshakeState;
//!
//! let json = r#"{"id": "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
//!   "urn": "organizations::0a6d25d23900d45c0faac010e0fb4de0:handshake:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
//!   "updated_at": "2022-08-25T08:11:53Z", "created_at": "2022-08-25T08:11:20Z", "expired_at": "2022-09-08T08:11:20Z",
//!   "management_account_id": "0a6d25d23900d45c0faac010e0fb4de0", "management_account_name": "paas_iam_573331",
//!   "organization_id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv", "notes": "test-notes",
//!   "target": {"type": "account", "entity": "05c734152f00d4200f2bc0179ac6c5e0"}, "status": "pending"}"#;
//!
//! let handshake = huawei::parse_handshake(json)?;
//! assert_eq!(handshake.state(), HandshakeState::Open);
//! assert_eq!(huawei::render_handshake(&handshake)?, serde_json::from_str::<serde_json::Value>(json)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::handshake::{Handshake, HandshakeParts, Party, Recipient, SenderOrganization};
use crate::id::{AccountId, AccountName, HandshakeId, Notes, OrganizationId};
use crate::policy::Profile;
use crate::vocab::{Action, HandshakeState};

use super::time::{parse_seconds, SecondsError, Stamp};
use super::WireError;

mod dialect;
mod error;
mod request;
mod response;
#[cfg(test)]
mod tests;

pub use dialect::{Huawei, DEFAULT_LIMIT, MAX_LIMIT};
pub use error::{
    error_code, error_response, error_response_for, parse_error_response, ErrorBody,
    ProviderErrorBody, ERROR_CODES,
};
pub use response::{
    AcceptHandshakeResponse, CancelHandshakeResponse, DeclineHandshakeResponse,
    HandshakeListResponse, HandshakeResponse, InviteAccountResponse, ListHandshakesResponse,
    ListReceivedHandshakesResponse, Marker, Operation, PageInfo, ShowHandshakeResponse,
};

/// The provider's name, as [`WireError::Unsupported`] shows it.
const PROVIDER: &str = "huawei";

/// The one timestamp form Huawei uses; see the module docs.
const TIMESTAMP_FORM: &str = "YYYY-MM-DDTHH:MM:SSZ (UTC, whole seconds)";

crate::vocab::vocabulary! {
    /// A Huawei handshake `status`, spelled as Huawei spells it (lower case, `cancelled`).
    ///
    /// Huawei has one pending state: [`Status::Pending`] reads as
    /// [`HandshakeState::Open`], and [`HandshakeState::Requested`] cannot be written.
    ///
    /// ```
    /// use org_handshake::provider::huawei::Status;
    /// use org_handshake::HandshakeState;
    ///
    /// assert_eq!("cancelled".parse::<Status>()?, Status::Cancelled);
    /// assert_eq!(HandshakeState::from(Status::Pending), HandshakeState::Open);
    /// assert_eq!(Status::from_state(HandshakeState::Canceled)?.as_str(), "cancelled");
    /// assert!("canceled".parse::<Status>().is_err());
    /// assert!(Status::from_state(HandshakeState::Requested).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Status, "huawei handshake status" {
        /// Waiting for the recipient (`邀请中`).
        Pending => "pending",
        /// Accepted by the recipient.
        Accepted => "accepted",
        /// Canceled by the sender (two L's).
        Cancelled => "cancelled",
        /// Declined by the recipient.
        Declined => "declined",
        /// Not answered in time.
        Expired => "expired",
    }
}

impl Status {
    /// The Huawei status of a neutral state.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for [`HandshakeState::Requested`]: Huawei has no
    /// REQUESTED/OPEN split (and no enable-all-features handshakes, the only requested ones).
    pub fn from_state(state: HandshakeState) -> Result<Self, WireError> {
        match state {
            HandshakeState::Open => Ok(Status::Pending),
            HandshakeState::Accepted => Ok(Status::Accepted),
            HandshakeState::Declined => Ok(Status::Declined),
            HandshakeState::Canceled => Ok(Status::Cancelled),
            HandshakeState::Expired => Ok(Status::Expired),
            HandshakeState::Requested => Err(unsupported("the requested state")),
        }
    }
}

impl From<Status> for HandshakeState {
    fn from(status: Status) -> Self {
        match status {
            Status::Pending => HandshakeState::Open,
            Status::Accepted => HandshakeState::Accepted,
            Status::Cancelled => HandshakeState::Canceled,
            Status::Declined => HandshakeState::Declined,
            Status::Expired => HandshakeState::Expired,
        }
    }
}

crate::vocab::vocabulary! {
    /// What a Huawei `target.entity` names (`TargetDto.type`).
    ///
    /// ```
    /// use org_handshake::provider::huawei::TargetType;
    /// use org_handshake::Party;
    ///
    /// assert_eq!(TargetType::of(&Party::Name("juan".parse()?))?, TargetType::Name);
    /// assert!(TargetType::of(&Party::Email("juan@example.com".parse()?)).is_err());
    /// assert!("email".parse::<TargetType>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    TargetType, "huawei target type" {
        /// The entity is an account id.
        Account => "account",
        /// The entity is an account name.
        Name => "name",
    }
}

impl TargetType {
    /// The target type that names `party`.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for an email address or an organization: Huawei invites by
    /// account id or account name only.
    pub fn of(party: &Party) -> Result<Self, WireError> {
        match party {
            Party::Account(_) => Ok(TargetType::Account),
            Party::Name(_) => Ok(TargetType::Name),
            Party::Email(_) => Err(unsupported("email recipients")),
            Party::Organization(_) => Err(unsupported("organization recipients")),
        }
    }
}

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
/// # let h = org_handshake::example_handshake()?;
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
    /// # let h = org_handshake::example_handshake()?;
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
    /// # let h = org_handshake::example_handshake()?;
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
        let field = |name: &str| format!("{prefix}{name}");
        let invalid = |name: &str, reason: String| WireError::Invalid {
            field: field(name),
            reason,
        };

        let id = Profile::HUAWEI
            .parse_handshake_id(&self.id)
            .map_err(|err| invalid("id", err.to_string()))?;
        let status: Status = self
            .status
            .parse()
            .map_err(|source| WireError::UnknownValue {
                field: field("status"),
                source,
            })?;
        let organization = OrganizationId::parse(&self.organization_id)
            .map_err(|err| invalid("organization_id", err.to_string()))?;
        if !organization.as_str().starts_with("o-") {
            return Err(invalid(
                "organization_id",
                format!(
                    "huawei organization ids start with `o-`, not `{}`",
                    shown(&self.organization_id)
                ),
            ));
        }
        let management_account = AccountId::parse(&self.management_account_id)
            .map_err(|err| invalid("management_account_id", err.to_string()))?;
        let management_account_name = AccountName::parse(&self.management_account_name)
            .map_err(|err| invalid("management_account_name", err.to_string()))?;
        let kind: TargetType =
            self.target
                .kind
                .parse()
                .map_err(|source| WireError::UnknownValue {
                    field: field("target.type"),
                    source,
                })?;
        let recipient = match kind {
            TargetType::Account => Recipient::for_account(
                AccountId::parse(&self.target.entity)
                    .map_err(|err| invalid("target.entity", err.to_string()))?,
            ),
            TargetType::Name => Recipient::new(
                Party::Name(
                    AccountName::parse(&self.target.entity)
                        .map_err(|err| invalid("target.entity", err.to_string()))?,
                ),
                None,
            )?,
        };
        let notes = match &self.notes {
            Some(notes) => {
                Some(Notes::parse(notes).map_err(|err| invalid("notes", err.to_string()))?)
            }
            None => None,
        };
        // Written out only for an error.
        let lazy = |name: &'static str| Prefixed(prefix, name);
        let requested_at = parse_timestamp(&lazy("created_at"), &self.created_at)?;
        let expires_at = parse_timestamp(&lazy("expired_at"), &self.expired_at)?;
        let state = HandshakeState::from(status);
        let state_entered_at = match &self.updated_at {
            Some(at) => Some(parse_timestamp(&lazy("updated_at"), at)?),
            None if state.is_pending() => None,
            None => {
                return Err(WireError::Missing {
                    field: field("updated_at"),
                })
            }
        };
        check_urn(
            &lazy("urn"),
            &self.urn,
            &self.management_account_id,
            &self.organization_id,
            &self.id,
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

/// A handshake checked for Huawei, borrowing from it: [`WireHandshake::from_handshake`] copies
/// it into owned strings; [`render_handshake_json`] and [`render_handshake`] serialize it
/// directly, with the keys and order of [`WireHandshake`]'s derived `Serialize`.
struct View<'a> {
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
    fn of(h: &'a Handshake) -> Result<Self, WireError> {
        if h.action() != Action::Invite {
            return Err(unsupported(&format!("{} handshakes", h.action())));
        }
        let status = Status::from_state(h.state())?;
        if !h.resources().is_empty() {
            return Err(unsupported("extra handshake resources"));
        }
        if let Err(err) = Profile::HUAWEI.check_handshake_id(&h.id()) {
            return Err(unsupported(&format!("handshake id {}: {err}", h.id())));
        }
        let sender = h.sender();
        let organization_id = sender.id.as_str();
        if !organization_id.starts_with("o-") {
            return Err(unsupported(&format!(
                "organization id {} (only `o-` ids)",
                sender.id
            )));
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
/// # let h = org_handshake::example_handshake()?;
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
/// # let h = org_handshake::example_handshake()?;
/// let text = render_handshake_json(&h)?;
/// assert!(text.starts_with(r#"{"id":"h-examplehandshakeid111","urn":"organizations::111111111111:handshake:"#));
/// assert_eq!(text, serde_json::to_string(&WireHandshake::from_handshake(&h)?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake_json(h: &Handshake) -> Result<String, WireError> {
    super::to_json_string(&View::of(h)?)
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
    from_json::<WireHandshake>(json)?.to_handshake()
}

/// Deserializes Huawei JSON through [`crate::provider::from_json`], reporting an absent member
/// as [`WireError::Missing`] with its full path: serde says so only in its message
/// (``missing field `x` ``), so the message is read here, in one place.
pub(crate) fn from_json<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, WireError> {
    super::from_json(json).map_err(|err| match err {
        WireError::Json { field, message } => match missing_member(&message) {
            Some(name) if field.is_empty() || field == "." => WireError::Missing {
                field: name.to_owned(),
            },
            Some(name) => WireError::Missing {
                field: format!("{field}.{name}"),
            },
            None => WireError::Json { field, message },
        },
        other => other,
    })
}

/// The member named by serde's ``missing field `name` `` message, if that is what it is.
fn missing_member(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(name, _)| name)
}

/// Serializes a wire type; it holds only strings, numbers and options, so this cannot fail in
/// practice, but a failure is still reported rather than hidden.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Result<serde_json::Value, WireError> {
    serde_json::to_value(value).map_err(|err| WireError::Json {
        field: String::new(),
        message: err.to_string(),
    })
}

fn unsupported(what: &str) -> WireError {
    WireError::Unsupported {
        provider: PROVIDER,
        what: what.to_owned(),
    }
}

/// Keeps error messages small whatever the input's size.
fn shown(value: &str) -> String {
    value.chars().take(64).collect()
}

/// `<prefix><name>`, a field's name written out only when an error names it.
struct Prefixed<'a>(&'a str, &'static str);

impl std::fmt::Display for Prefixed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

/// The handshake's Huawei URN.
#[cfg(test)]
fn urn(management_account: &str, organization: &str, id: &str) -> String {
    Urn {
        management_account,
        organization,
        id,
    }
    .to_string()
}

/// Checks that `value` is the URN of the handshake the other fields describe.
fn check_urn(
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

/// Writes `at` as `YYYY-MM-DDTHH:MM:SSZ`, truncated to the second (a leap second shows as :59).
#[cfg(test)]
fn format_timestamp(at: DateTime<Utc>) -> Result<String, WireError> {
    stamp(at).map(|stamp| stamp.as_str().to_owned())
}

/// [`Stamp::of`], refusing years outside 0000–9999 as Huawei cannot write them.
fn stamp(at: DateTime<Utc>) -> Result<Stamp, WireError> {
    Stamp::of(at).ok_or_else(|| unsupported(&format!("the time {at} (years 0000-9999 only)")))
}

/// Reads `YYYY-MM-DDTHH:MM:SSZ` exactly ([`parse_seconds`]); anything else is
/// [`WireError::Invalid`] for `field`.
fn parse_timestamp(
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
