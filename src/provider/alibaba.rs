//! Alibaba Cloud Resource Directory (ResourceManager API 2020-03-31): the handshake object, the
//! seven handshake operations' response bodies and the error bodies, as Alibaba's SDKs read
//! them, converted to and from the neutral [`Handshake`].
//!
//! # The shapes
//!
//! - A handshake is a flat object of PascalCase **strings**: `CreateTime`, `ExpireTime`,
//!   `HandshakeId`, `MasterAccountId`, `MasterAccountName`, `ModifyTime`, `Note`,
//!   `ResourceDirectoryId`, `Status`, `TargetEntity`, `TargetType` ([`WireHandshake`]).
//!   `GetHandshake` adds `InvitedAccountRealName` and `MasterAccountRealName`.
//! - Every response carries a `RequestId`. Invite, accept, decline, cancel and get answer
//!   `{"RequestId", "Handshake": {…}}` ([`HandshakeResponse`]); the two listings answer
//!   `{"RequestId", "TotalCount", "PageNumber", "PageSize", "Handshakes": {"Handshake": […]}}`
//!   ([`ListHandshakesResponse`]), the three counts being JSON integers.
//! - Errors are `{"RequestId", "HostId", "Code", "Message"}` with an HTTP status
//!   ([`error_response`], [`ERROR_CODES`]).
//!
//! # How the neutral model maps
//!
//! | neutral | Alibaba | notes |
//! |---|---|---|
//! | `id` | `HandshakeId` | `h-` + exactly 16 ASCII letters or digits, either case ([`Profile::ALIBABA`]) |
//! | `sender.id` | `ResourceDirectoryId` | must be an `rd-` id (see below) |
//! | `sender.management_account` | `MasterAccountId` | 16 ASCII digits |
//! | `sender.management_account_name` | `MasterAccountName` | |
//! | `sender.management_account_email`, `sender.feature_set` | — | Alibaba has neither: render ignores them, parse gives `None` |
//! | `recipient` [`Party::Account`] | `TargetType` `Account`, `TargetEntity` = the id (16 digits) | |
//! | `recipient` [`Party::Email`] | `TargetType` `Email`, `TargetEntity` = the email | the account an email resolved to is not on the wire: parse gives an unresolved recipient |
//! | `recipient` [`Party::Name`] | — | render refuses: [`WireError::Unsupported`] |
//! | `notes` | `Note` | absent when `None`; an empty `Note` parses as empty notes |
//! | `state` | `Status` | see [`Status`]: `Open` ↔ `Pending`, `Canceled` ↔ `Cancelled`; `Requested` cannot be rendered |
//! | `requested_at` | `CreateTime` | |
//! | `expires_at` | `ExpireTime` | |
//! | `state_entered_at` | `ModifyTime` | may be absent for a pending handshake (then `CreateTime`) |
//! | `action` | — | only INVITE exists; any other action is [`WireError::Unsupported`] |
//! | `resources()` (extra resources) | — | must be empty, else [`WireError::Unsupported`] |
//!
//! Render renders the *stored* state: pass [`Handshake::observed_at`]`(now)` to show lazy expiry.
//!
//! # Decisions where the documents are silent or disagree
//!
//! - **Timestamps.** `YYYY-MM-DDTHH:MM:SSZ`, UTC, whole seconds, exactly as every handshake
//!   example shows (`2021-01-20T02:15:40Z`). Parse accepts that form only (no fraction, no
//!   offset); render drops sub-second parts. A handshake whose distinct instants fall in the
//!   same second can therefore render to JSON that parse refuses (typed error, never a panic).
//! - **Resource directory ids.** The documents only show masked ids (`rd-3G****`,
//!   `rd-abcdef****`, `rd-54****`), so the crate takes the neutral rule: `rd-` + 2 to 32 ASCII
//!   letters or digits. An `o-…` organization id cannot be rendered.
//! - **Account ids.** 16 ASCII digits: every example (`151266687691****`, `177242285274****`,
//!   `172841235500****`) is 12 digits and a 4-character mask.
//! - **Masked examples.** `****` is not valid in any id; where the tests reproduce a documented
//!   example they replace each mask with concrete characters and say so.
//! - **Real names.** `InvitedAccountRealName` and `MasterAccountRealName` are shown by
//!   `GetHandshake` only when the invited account calls it. They are identity-verification
//!   details, not part of the handshake: [`WireHandshake::to_handshake`] ignores them,
//!   [`WireHandshake::from_handshake`] leaves them out, and
//!   [`HandshakeResponse::with_real_names`] adds them for the invited caller's `GetHandshake`.
//! - **Unknown keys** in a handshake or a response are ignored, as Alibaba's SDKs ignore them;
//!   unknown *values* of `Status` and `TargetType` are errors.
//! - **`ResourceDirectoryId` in the CancelHandshake example** is `h-ycm4rp****` in the JSON
//!   sample and `rd-abcdef****` in the XML sample of the same page; the crate follows the XML
//!   (and every other page): a resource directory id starts with `rd-`.
//! - **The ListHandshakesForResourceDirectory XML sample** spells one item's keys
//!   `InviteEntity`/`InviteType`; its JSON sample, its schema and every other page say
//!   `TargetEntity`/`TargetType`, which the crate uses.
//! - **Error bodies** carry `HostId` (`resourcemanager.aliyuncs.com`) besides `Code`,
//!   `Message` and `RequestId`, as Alibaba's common RPC error format documents; parse accepts
//!   them with or without `HostId` (and ignores `Recommend`). The `Message` is Alibaba's own
//!   documented text for the code, not the neutral [`Failure::message`].
//! - **Error codes** are in [`ERROR_CODES`], each row with `verified` and its source; see there
//!   for the placeholders.
//! - **Invitation quota.** The API metadata lists `LimitExceeded.InvitationRate` for
//!   `InviteAccountToResourceDirectory`, but no page gives the limit, so
//!   [`Profile::ALIBABA`] sets none; the code is mapped for a ledger that sets one.
//!
//! # Example: render, then parse back
//!
//! ```
//! use org_handshake::provider::alibaba::{self, HandshakeResponse};
//!
//! let invite = alibaba::example_handshake()?;
//! let response = HandshakeResponse::new(&invite, "5828C836-3286-49A6-9006-15231BB19342")?;
//! let json = serde_json::to_string(&response)?;
//! assert!(json.contains(r#""Status":"Pending""#));
//!
//! let back = HandshakeResponse::from_json(&json)?.to_handshake()?;
//! assert_eq!(back, invite);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dialect;

pub use dialect::Alibaba;

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Failure, InputProblem};
use crate::handshake::{Handshake, HandshakeParts, Party, Recipient, SenderOrganization};
use crate::id::{AccountId, AccountName, Email, HandshakeId, Notes, OrganizationId};
use crate::policy::Profile;
use crate::provider::error_table::{self, Code, Detail, Row};
use crate::provider::time::Stamp;
use crate::provider::{Provider, Reply, WireError};
use crate::vocab::{Action, HandshakeState};

/// The provider's name, as [`WireError::Unsupported`] shows it.
pub const PROVIDER: &str = "alibaba";

/// The `HostId` of every error body: the ResourceManager endpoint.
pub const HOST_ID: &str = "resourcemanager.aliyuncs.com";

/// The `RequestId` conformance vectors use when a step gives none.
pub const DEFAULT_REQUEST_ID: &str = "00000000-0000-4000-8000-000000000000";

/// The greatest `PageSize` Alibaba accepts (and the least is 1).
pub const MAX_PAGE_SIZE: u32 = 100;

/// The `PageSize` Alibaba uses when a request gives none.
pub const DEFAULT_PAGE_SIZE: u32 = 10;

/// The length of an Alibaba account id (all ASCII digits).
pub const ACCOUNT_ID_LEN: usize = 16;

crate::vocab::vocabulary! {
    /// A handshake's `Status`, spelled as Alibaba spells it (PascalCase, `Cancelled` with two
    /// L's).
    ///
    /// Alibaba has one pending state: `Pending` parses as [`HandshakeState::Open`], and
    /// [`HandshakeState::Requested`] (an enable-all-features parent, which Alibaba does not
    /// have) cannot be rendered.
    ///
    /// ```
    /// use org_handshake::HandshakeState;
    /// use org_handshake::provider::alibaba::Status;
    ///
    /// assert_eq!("Cancelled".parse::<Status>()?, Status::Cancelled);
    /// assert_eq!(Status::Pending.to_state(), HandshakeState::Open);
    /// assert_eq!(Status::from_state(HandshakeState::Canceled)?.as_str(), "Cancelled");
    /// assert!("Canceled".parse::<Status>().is_err());
    /// assert!(Status::from_state(HandshakeState::Requested).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Status, "alibaba handshake status" {
        /// Waiting for the invited account.
        Pending => "Pending",
        /// Accepted: the account joined the resource directory.
        Accepted => "Accepted",
        /// Cancelled by the management account.
        Cancelled => "Cancelled",
        /// Declined by the invited account.
        Declined => "Declined",
        /// Not answered within its validity period.
        Expired => "Expired",
    }
}

impl Status {
    /// The neutral state: `Pending` is [`HandshakeState::Open`].
    pub const fn to_state(self) -> HandshakeState {
        match self {
            Status::Pending => HandshakeState::Open,
            Status::Accepted => HandshakeState::Accepted,
            Status::Cancelled => HandshakeState::Canceled,
            Status::Declined => HandshakeState::Declined,
            Status::Expired => HandshakeState::Expired,
        }
    }

    /// The Alibaba status of a neutral state.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for [`HandshakeState::Requested`]: Alibaba has no
    /// enable-all-features parent, and no requested/open split.
    pub fn from_state(state: HandshakeState) -> Result<Self, WireError> {
        match state {
            HandshakeState::Open => Ok(Status::Pending),
            HandshakeState::Accepted => Ok(Status::Accepted),
            HandshakeState::Canceled => Ok(Status::Cancelled),
            HandshakeState::Declined => Ok(Status::Declined),
            HandshakeState::Expired => Ok(Status::Expired),
            HandshakeState::Requested => Err(WireError::Unsupported {
                provider: PROVIDER,
                what: "the requested state (only enable-all-features parents are requested)"
                    .to_owned(),
            }),
        }
    }
}

crate::vocab::vocabulary! {
    /// What `TargetEntity` holds: an account id or a logon email.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::TargetType;
    /// assert_eq!(TargetType::values(), &[TargetType::Account, TargetType::Email]);
    /// assert!("account".parse::<TargetType>().is_err()); // Huawei's spelling, not Alibaba's
    /// ```
    TargetType, "alibaba target type" {
        /// `TargetEntity` is an account id (16 digits).
        Account => "Account",
        /// `TargetEntity` is the account's logon email address.
        Email => "Email",
    }
}

impl TargetType {
    /// The target type for a neutral recipient party.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] for [`Party::Name`] (Alibaba cannot invite by name) and
    /// [`Party::Organization`] (never a recipient).
    pub fn of_party(party: &Party) -> Result<Self, WireError> {
        match party {
            Party::Account(_) => Ok(TargetType::Account),
            Party::Email(_) => Ok(TargetType::Email),
            Party::Name(_) => Err(WireError::Unsupported {
                provider: PROVIDER,
                what: "a recipient named by account name".to_owned(),
            }),
            Party::Organization(_) => Err(WireError::Unsupported {
                provider: PROVIDER,
                what: "an organization as a recipient".to_owned(),
            }),
        }
    }
}

crate::vocab::vocabulary! {
    /// Alibaba's handshake operations, named exactly as the `Action` parameter names them.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::Operation;
    /// assert_eq!("GetHandshake".parse::<Operation>()?, Operation::GetHandshake);
    /// assert_eq!(Operation::values().len(), 7);
    /// assert!("DescribeHandshake".parse::<Operation>().is_err()); // AWS's name
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Operation, "alibaba operation" {
        /// The management account invites an account.
        InviteAccountToResourceDirectory => "InviteAccountToResourceDirectory",
        /// The invited account accepts.
        AcceptHandshake => "AcceptHandshake",
        /// The invited account declines.
        DeclineHandshake => "DeclineHandshake",
        /// The management account cancels.
        CancelHandshake => "CancelHandshake",
        /// Either party reads one handshake.
        GetHandshake => "GetHandshake",
        /// The handshakes the calling account received.
        ListHandshakesForAccount => "ListHandshakesForAccount",
        /// The handshakes the calling account's resource directory sent.
        ListHandshakesForResourceDirectory => "ListHandshakesForResourceDirectory",
    }
}

impl Operation {
    /// Whether the operation answers a page of handshakes ([`ListHandshakesResponse`]) rather
    /// than one ([`HandshakeResponse`]).
    ///
    /// ```
    /// use org_handshake::provider::alibaba::Operation;
    /// assert!(Operation::ListHandshakesForAccount.is_listing());
    /// assert!(!Operation::CancelHandshake.is_listing());
    /// ```
    pub const fn is_listing(self) -> bool {
        matches!(
            self,
            Operation::ListHandshakesForAccount | Operation::ListHandshakesForResourceDirectory
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The handshake object
// ---------------------------------------------------------------------------------------------

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
/// let h = alibaba::example_handshake()?;
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
    /// let aws = org_handshake::example_handshake()?;
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
    /// let mut wire = WireHandshake::from_handshake(&alibaba::example_handshake()?)?;
    /// wire.status = Some("Canceled".into());
    /// let err = wire.to_handshake().unwrap_err();
    /// assert_eq!(err.to_string(), "`Handshake.Status`: unknown alibaba handshake status `Canceled`");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.to_handshake_at("Handshake")
    }

    /// [`to_handshake`](Self::to_handshake), naming fields under `path`.
    fn to_handshake_at(&self, path: &str) -> Result<Handshake, WireError> {
        // Field names are written out only for an error.
        let field = |key: &'static str| Field(path, key);

        let id_text = required(&self.handshake_id, field("HandshakeId"))?;
        let id = Profile::ALIBABA
            .parse_handshake_id(id_text)
            .map_err(|err| invalid(field("HandshakeId").to_string(), err))?;

        let rd_text = required(&self.resource_directory_id, field("ResourceDirectoryId"))?;
        let rd = parse_resource_directory_id(rd_text, &field("ResourceDirectoryId"))?;

        let master_text = required(&self.master_account_id, field("MasterAccountId"))?;
        let master = parse_account_id(master_text, &field("MasterAccountId"))?;

        let name_text = required(&self.master_account_name, field("MasterAccountName"))?;
        let name = AccountName::parse(name_text)
            .map_err(|err| invalid(field("MasterAccountName").to_string(), err))?;

        let status_text = required(&self.status, field("Status"))?;
        let status: Status = status_text
            .parse()
            .map_err(|source| WireError::UnknownValue {
                field: field("Status").to_string(),
                source,
            })?;

        let type_text = required(&self.target_type, field("TargetType"))?;
        let target_type: TargetType =
            type_text
                .parse()
                .map_err(|source| WireError::UnknownValue {
                    field: field("TargetType").to_string(),
                    source,
                })?;
        let entity = required(&self.target_entity, field("TargetEntity"))?;
        let recipient = match target_type {
            TargetType::Account => {
                Recipient::for_account(parse_account_id(entity, &field("TargetEntity"))?)
            }
            TargetType::Email => {
                let email = Email::parse(entity)
                    .map_err(|err| invalid(field("TargetEntity").to_string(), err))?;
                Recipient::new(Party::Email(email), None)?
            }
        };

        let notes = match &self.note {
            Some(text) => {
                Some(Notes::parse(text).map_err(|err| invalid(field("Note").to_string(), err))?)
            }
            None => None,
        };

        let requested_at = parse_time(
            required(&self.create_time, field("CreateTime"))?,
            &field("CreateTime"),
        )?;
        let expires_at = parse_time(
            required(&self.expire_time, field("ExpireTime"))?,
            &field("ExpireTime"),
        )?;
        let state_entered_at = match &self.modify_time {
            Some(text) => Some(parse_time(text, &field("ModifyTime"))?),
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

/// Checks that Alibaba can express `h`, without rendering it: what
/// [`WireHandshake::from_handshake`] refuses, this refuses with the same error.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// use org_handshake::provider::alibaba;
/// assert!(alibaba::check_expressible(&alibaba::example_handshake()?).is_ok());
/// assert!(alibaba::check_expressible(&org_handshake::example_handshake()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_expressible(h: &Handshake) -> Result<(), WireError> {
    View::of(h).map(drop)
}

/// A handshake checked for Alibaba, borrowing from it: [`WireHandshake::from_handshake`] copies
/// it into owned strings; [`render_handshake_json`] and [`render_handshake`] serialize it
/// directly, with the keys and order of [`WireHandshake`]'s derived `Serialize`.
struct View<'a> {
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
    fn of(h: &'a Handshake) -> Result<Self, WireError> {
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
            .map_err(|err| invalid("Handshake.HandshakeId".to_owned(), err))?;
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
            create_time: stamp(h.requested_at(), "Handshake.CreateTime")?,
            expire_time: stamp(h.expires_at(), "Handshake.ExpireTime")?,
            modify_time: stamp(h.state_entered_at(), "Handshake.ModifyTime")?,
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
/// let json = org_handshake::provider::alibaba::render_handshake(&org_handshake::provider::alibaba::example_handshake()?)?;
/// assert_eq!(json["TargetType"], "Account");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake(h: &Handshake) -> Result<serde_json::Value, WireError> {
    let view = View::of(h)?;
    serde_json::to_value(view).map_err(|err| WireError::Json {
        field: "Handshake".to_owned(),
        message: err.to_string(),
    })
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
/// let h = alibaba::example_handshake()?;
/// let text = render_handshake_json(&h)?;
/// assert!(text.starts_with(r#"{"CreateTime":"2021-01-06T02:15:40Z","ExpireTime":"#));
/// assert_eq!(text, serde_json::to_string(&WireHandshake::from_handshake(&h)?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake_json(h: &Handshake) -> Result<String, WireError> {
    crate::provider::to_json_string(&View::of(h)?).map_err(|err| under("Handshake", err))
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
    let wire: WireHandshake =
        crate::provider::from_json(json).map_err(|err| under("Handshake", err))?;
    wire.to_handshake()
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// The body of every single-handshake response: `{"RequestId", "Handshake": {…}}`.
///
/// ```
/// use org_handshake::provider::alibaba::{self, AcceptHandshakeResponse};
/// let h = alibaba::example_handshake()?;
/// let response = AcceptHandshakeResponse::new(&h, "5828C836-3286-49A6-9006-15231BB19342")?;
/// assert_eq!(response.request_id, "5828C836-3286-49A6-9006-15231BB19342");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawHandshakeResponse")]
pub struct HandshakeResponse {
    /// The handshake.
    pub handshake: WireHandshake,
    /// The request's id.
    pub request_id: String,
}

/// `InviteAccountToResourceDirectory`'s response body.
pub type InviteAccountToResourceDirectoryResponse = HandshakeResponse;
/// `AcceptHandshake`'s response body.
pub type AcceptHandshakeResponse = HandshakeResponse;
/// `DeclineHandshake`'s response body.
pub type DeclineHandshakeResponse = HandshakeResponse;
/// `CancelHandshake`'s response body.
pub type CancelHandshakeResponse = HandshakeResponse;
/// `GetHandshake`'s response body (see [`HandshakeResponse::with_real_names`]).
pub type GetHandshakeResponse = HandshakeResponse;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawHandshakeResponse {
    #[serde(default)]
    handshake: Option<WireHandshake>,
    #[serde(default)]
    request_id: Option<String>,
}

impl TryFrom<RawHandshakeResponse> for HandshakeResponse {
    type Error = WireError;
    fn try_from(raw: RawHandshakeResponse) -> Result<Self, WireError> {
        let request_id = raw.request_id.ok_or_else(|| WireError::Missing {
            field: "RequestId".to_owned(),
        })?;
        let handshake = raw.handshake.ok_or_else(|| WireError::Missing {
            field: "Handshake".to_owned(),
        })?;
        handshake.to_handshake_at("Handshake")?;
        Ok(HandshakeResponse {
            handshake,
            request_id,
        })
    }
}

impl HandshakeResponse {
    /// The response carrying `h` (its stored state), with `request_id`.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`].
    pub fn new(h: &Handshake, request_id: &str) -> Result<Self, WireError> {
        Ok(HandshakeResponse {
            handshake: WireHandshake::from_handshake(h)?,
            request_id: request_id.to_owned(),
        })
    }

    /// The same response with the two real-name members `GetHandshake` shows when the invited
    /// account calls it: the management account's and the invited account's real-name
    /// verification.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::{self, GetHandshakeResponse};
    /// let response = GetHandshakeResponse::new(&alibaba::example_handshake()?, "r-1")?
    ///     .with_real_names("company", "Alice");
    /// assert_eq!(response.handshake.invited_account_real_name.as_deref(), Some("Alice"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_real_names(mut self, master_account: &str, invited_account: &str) -> Self {
        self.handshake.master_account_real_name = Some(master_account.to_owned());
        self.handshake.invited_account_real_name = Some(invited_account.to_owned());
        self
    }

    /// Parses a response body, strictly (the handshake included).
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error, [`WireError::Missing`] for an
    /// absent `RequestId` or `Handshake`, then as [`WireHandshake::to_handshake`].
    ///
    /// ```
    /// use org_handshake::provider::alibaba::HandshakeResponse;
    /// let err = HandshakeResponse::from_json(r#"{"Handshake": {}}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "missing field `RequestId`");
    /// ```
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        let raw: RawHandshakeResponse = crate::provider::from_json(json)?;
        HandshakeResponse::try_from(raw)
    }

    /// The neutral handshake.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::to_handshake`] (never, for a value from
    /// [`from_json`](Self::from_json) or [`new`](Self::new), unless its fields were changed).
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.handshake.to_handshake_at("Handshake")
    }
}

/// A page request or answer: `PageNumber` (from 1), `PageSize` (1–100) and `TotalCount`.
///
/// ```
/// use org_handshake::provider::alibaba::PageInfo;
/// let page = PageInfo::new(2, 10, 15)?;
/// assert_eq!(page.offset(), 10);
/// assert!(PageInfo::new(0, 10, 15).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageInfo {
    /// The page, from 1.
    pub page_number: u32,
    /// Items per page, 1 to 100.
    pub page_size: u32,
    /// How many items the whole listing has.
    pub total_count: u32,
}

impl PageInfo {
    /// Checks and builds page information.
    ///
    /// # Errors
    ///
    /// [`WireError::Invalid`] naming `PageNumber` (below 1) or `PageSize` (outside 1–100).
    pub fn new(page_number: u32, page_size: u32, total_count: u32) -> Result<Self, WireError> {
        if page_number < 1 {
            return Err(WireError::Invalid {
                field: "PageNumber".to_owned(),
                reason: format!("{page_number} is below 1"),
            });
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(WireError::Invalid {
                field: "PageSize".to_owned(),
                reason: format!("{page_size} is outside 1 to {MAX_PAGE_SIZE}"),
            });
        }
        Ok(PageInfo {
            page_number,
            page_size,
            total_count,
        })
    }

    /// How many items come before this page. The fields are public, so a page number of 0
    /// (which [`PageInfo::new`] refuses) counts as the first page rather than underflowing.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::PageInfo;
    /// let zero = PageInfo { page_number: 0, page_size: 10, total_count: 0 };
    /// assert_eq!(zero.offset(), 0);
    /// assert_eq!(PageInfo { page_number: 3, ..zero }.offset(), 20);
    /// ```
    pub fn offset(&self) -> u64 {
        u64::from(self.page_number.saturating_sub(1)) * u64::from(self.page_size)
    }
}

/// The handshake array's wrapper object: `{"Handshake": […]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HandshakeList {
    /// The handshakes of the page.
    #[serde(rename = "Handshake", default)]
    pub handshake: Vec<WireHandshake>,
}

/// The body of both listings: `{"RequestId", "TotalCount", "PageNumber", "PageSize",
/// "Handshakes": {"Handshake": […]}}`.
///
/// ```
/// use org_handshake::provider::alibaba::{self, ListHandshakesForAccountResponse};
/// let all = [alibaba::example_handshake()?];
/// let page = ListHandshakesForAccountResponse::page_of(&all, 1, 10, "r-1")?;
/// assert_eq!(page.total_count, 1);
/// assert_eq!(page.handshakes.handshake.len(), 1);
/// assert_eq!(page.to_handshakes()?, all);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawListHandshakesResponse")]
pub struct ListHandshakesResponse {
    /// The page's handshakes, wrapped.
    pub handshakes: HandshakeList,
    /// The page number, from 1.
    pub page_number: u32,
    /// The page size, 1 to 100.
    pub page_size: u32,
    /// The request's id.
    pub request_id: String,
    /// How many handshakes the whole listing has.
    pub total_count: u32,
}

/// `ListHandshakesForAccount`'s response body.
pub type ListHandshakesForAccountResponse = ListHandshakesResponse;
/// `ListHandshakesForResourceDirectory`'s response body.
pub type ListHandshakesForResourceDirectoryResponse = ListHandshakesResponse;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawListHandshakesResponse {
    #[serde(default)]
    handshakes: Option<HandshakeList>,
    #[serde(default)]
    page_number: Option<u32>,
    #[serde(default)]
    page_size: Option<u32>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    total_count: Option<u32>,
}

impl TryFrom<RawListHandshakesResponse> for ListHandshakesResponse {
    type Error = WireError;
    fn try_from(raw: RawListHandshakesResponse) -> Result<Self, WireError> {
        let missing = |field: &str| WireError::Missing {
            field: field.to_owned(),
        };
        let request_id = raw.request_id.ok_or_else(|| missing("RequestId"))?;
        let total_count = raw.total_count.ok_or_else(|| missing("TotalCount"))?;
        let page_number = raw.page_number.ok_or_else(|| missing("PageNumber"))?;
        let page_size = raw.page_size.ok_or_else(|| missing("PageSize"))?;
        let handshakes = raw.handshakes.ok_or_else(|| missing("Handshakes"))?;
        let page = PageInfo::new(page_number, page_size, total_count)?;
        check_page(&page, handshakes.handshake.len())?;
        for (index, wire) in handshakes.handshake.iter().enumerate() {
            wire.to_handshake_at(&format!("Handshakes.Handshake[{index}]"))?;
        }
        Ok(ListHandshakesResponse {
            handshakes,
            page_number,
            page_size,
            request_id,
            total_count,
        })
    }
}

/// A page holds at most `PageSize` items, and never reaches past `TotalCount`.
fn check_page(page: &PageInfo, items: usize) -> Result<(), WireError> {
    let items = u64::try_from(items).unwrap_or(u64::MAX);
    if items > u64::from(page.page_size) {
        return Err(WireError::Inconsistent {
            field: "Handshakes.Handshake".to_owned(),
            reason: format!("{items} items on a page of size {}", page.page_size),
        });
    }
    if items > 0 && page.offset().saturating_add(items) > u64::from(page.total_count) {
        return Err(WireError::Inconsistent {
            field: "TotalCount".to_owned(),
            reason: format!(
                "page {} of size {} with {items} items reaches past the total {}",
                page.page_number, page.page_size, page.total_count
            ),
        });
    }
    Ok(())
}

impl ListHandshakesResponse {
    /// The response for one page: `handshakes` are that page's items (in listing order), `page`
    /// says where it is.
    ///
    /// # Errors
    ///
    /// [`WireError::Inconsistent`] when the items do not fit the page (more than `PageSize`, or
    /// past `TotalCount`), then as [`WireHandshake::from_handshake`] for each item.
    pub fn new(
        handshakes: &[Handshake],
        page: PageInfo,
        request_id: &str,
    ) -> Result<Self, WireError> {
        let page = PageInfo::new(page.page_number, page.page_size, page.total_count)?;
        check_page(&page, handshakes.len())?;
        let items = handshakes
            .iter()
            .map(WireHandshake::from_handshake)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ListHandshakesResponse {
            handshakes: HandshakeList { handshake: items },
            page_number: page.page_number,
            page_size: page.page_size,
            request_id: request_id.to_owned(),
            total_count: page.total_count,
        })
    }

    /// Cuts page `page_number` of size `page_size` out of the whole listing `all` (already in
    /// listing order). A page past the end is empty, as Alibaba answers it.
    ///
    /// # Errors
    ///
    /// [`WireError::Invalid`] for a page number below 1, a page size outside 1–100, or a
    /// listing longer than `u32::MAX`; then as [`WireHandshake::from_handshake`].
    pub fn page_of(
        all: &[Handshake],
        page_number: u32,
        page_size: u32,
        request_id: &str,
    ) -> Result<Self, WireError> {
        let total_count = u32::try_from(all.len()).map_err(|_| WireError::Invalid {
            field: "TotalCount".to_owned(),
            reason: "more than 4294967295 handshakes".to_owned(),
        })?;
        let page = PageInfo::new(page_number, page_size, total_count)?;
        let start = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let items = all
            .iter()
            .skip(start)
            .take(usize::try_from(page_size).unwrap_or(usize::MAX))
            .cloned()
            .collect::<Vec<_>>();
        ListHandshakesResponse::new(&items, page, request_id)
    }

    /// Parses a listing body, strictly (every item included; item fields are named
    /// `Handshakes.Handshake[i].<Key>`).
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error, [`WireError::Missing`] for an
    /// absent envelope member, [`WireError::Invalid`] / [`WireError::Inconsistent`] for page
    /// numbers that do not fit, then as [`WireHandshake::to_handshake`] for each item.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::ListHandshakesResponse;
    /// let empty = r#"{"RequestId": "r-1", "TotalCount": 0, "PageNumber": 1, "PageSize": 10, "Handshakes": {"Handshake": []}}"#;
    /// assert!(ListHandshakesResponse::from_json(empty)?.to_handshakes()?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        let raw: RawListHandshakesResponse = crate::provider::from_json(json)?;
        ListHandshakesResponse::try_from(raw)
    }

    /// The page's handshakes, neutral.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::to_handshake`] for each item.
    pub fn to_handshakes(&self) -> Result<Vec<Handshake>, WireError> {
        self.handshakes
            .handshake
            .iter()
            .enumerate()
            .map(|(index, wire)| wire.to_handshake_at(&format!("Handshakes.Handshake[{index}]")))
            .collect()
    }

    /// The page's position and the listing's size.
    pub fn page(&self) -> PageInfo {
        PageInfo {
            page_number: self.page_number,
            page_size: self.page_size,
            total_count: self.total_count,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

const API_META: &str = "ResourceManager 2020-03-31 API metadata (errorCodes of the handshake operations) and the resourcedirectorymaster-2022-04-19 API pages";

/// Every neutral failure's Alibaba error, in lookup order: the first row whose kind, problem
/// and parameter match decides. Rows with `verified: false` are placeholders.
///
/// | kind | Code | HTTP | verified |
/// |---|---|---|---|
/// | not found | `EntityNotExists.Handshake` | 404 | yes |
/// | access denied | `NoPermission` | 403 | **no**: no handshake-specific code is documented; Alibaba's RAM guide names `NoPermission` for denied OpenAPI calls |
/// | already in state | `HandshakeStatusMismatch` | 409 | yes (one code for every wrong state) |
/// | invalid transition (expired included) | `HandshakeStatusMismatch` | 409 | yes |
/// | already in an organization | `NotSupport.AccountInAnotherResourceDirectory` | 409 | yes |
/// | duplicate | `EntityAlreadyExists.Handshake` | 409 | yes |
/// | invitation quota | `LimitExceeded.InvitationRate` | 409 | yes (the limit's size is not documented) |
/// | not in an organization | `EntityNotExists.ResourceDirectory` | 404 | yes |
/// | concurrent modification | `ConcurrentExecutionError` | 409 | **no**: documented by Resource Sharing, the same product |
/// | note too long | `InvalidParameter.Note.Length` | 400 | yes |
/// | unknown operation (`Action`) | `InvalidAction.NotFound` | 404 | **no**: the RPC gateway's common code |
/// | malformed caller (`AccessKeyId`) | `InvalidAccessKeyId.NotFound` | 404 | **no**: Alibaba's common code for an unknown key |
/// | missing parameter | `MissingParameter.<Param>` | 400 | yes |
/// | other invalid input | `InvalidParameter.<Param>` | 400 | yes |
/// | invalid input naming no parameter | `InvalidParameter` | 400 | **no** |
/// | unsupported, and the three enable-all-features kinds | `UnsupportedOperation` | 400 | **no**: Alibaba's common error for an action it does not support |
///
/// ```
/// use org_handshake::ErrorKind;
/// use org_handshake::provider::alibaba::ERROR_CODES;
/// let row = ERROR_CODES.iter().find(|row| row.kind == ErrorKind::NotFound).unwrap();
/// assert_eq!(row.status, 404);
/// assert!(row.verified);
/// ```
pub const ERROR_CODES: &[Row] = &[
    Row::new(ErrorKind::NotFound, 404, "EntityNotExists.Handshake")
        .message("The specified handshake does not exist.")
        .verified(API_META,),
    Row::new(ErrorKind::AccessDenied, 403, "NoPermission")
        .message("You are not authorized to perform this operation.")
        .unverified("placeholder: Alibaba's RAM troubleshooting guide names NoPermission for denied OpenAPI calls; Resource Center (same RamCode) documents NoPermission with this message but HTTP 400, other products with 403",),
    Row::new(ErrorKind::AlreadyInState, 409, "HandshakeStatusMismatch")
        .message("The invitation is invalid.")
        .verified(API_META,),
    Row::new(ErrorKind::InvalidTransition, 409, "HandshakeStatusMismatch")
        .message("The invitation is invalid.")
        .verified(API_META,),
    Row::new(ErrorKind::AlreadyInOrganization, 409, "NotSupport.AccountInAnotherResourceDirectory")
        .message("Your account is a management account for another resource directory or a member of another resource directory.")
        .verified(API_META,),
    Row::new(ErrorKind::DuplicateHandshake, 409, "EntityAlreadyExists.Handshake")
        .message("Handshakes with the same target entity already exist.")
        .verified(API_META,),
    Row::new(ErrorKind::InvitationQuotaExceeded, 409, "LimitExceeded.InvitationRate")
        .message("The number of invitations sent exceeds the limit.")
        .verified(API_META,),
    Row::new(ErrorKind::NotInOrganization, 404, "EntityNotExists.ResourceDirectory")
        .message("The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.")
        .verified(API_META,),
    Row::new(ErrorKind::ConcurrentModification, 409, "ConcurrentExecutionError")
        .message("The operation could not be completed because another process is currently accessing the same resource.")
        .unverified("placeholder: Resource Sharing (ResourceManager) error codes; nothing documented for the resource directory",),
    Row::new(ErrorKind::InvalidInput, 400, "InvalidParameter.Note.Length")
        .detail(Detail {
            problem: Some(InputProblem::TooLong),
            parameter: Some("Note"),
            ..Detail::ANY
        })
        .message("The length of the invitation note exceeds the limit.")
        .verified(API_META,),
    Row::new(ErrorKind::InvalidInput, 404, "InvalidAction.NotFound")
        .detail(Detail {
            problem: Some(InputProblem::UnknownValue),
            parameter: Some("Action"),
            ..Detail::ANY
        })
        .message("Specified api is not found, please check your url and method.")
        .unverified("placeholder: the RPC gateway's common error for an Action the API does not have (listed with Alibaba's common error codes, e.g. Short Message Service's); not on the resource directory's pages",),
    Row::new(ErrorKind::InvalidInput, 404, "InvalidAccessKeyId.NotFound")
        .detail(Detail {
            problem: Some(InputProblem::InvalidPattern),
            parameter: Some("AccessKeyId"),
            ..Detail::ANY
        })
        .message("Specified access key is not found.")
        .unverified("placeholder: Alibaba's common error for a caller it cannot authenticate (404 in the common error codes of KMS; some older pages say 400), used for a caller id that is no Alibaba account id",),
    Row::new(ErrorKind::InvalidInput, 400, "")
        .per_parameter("MissingParameter")
        .detail(Detail {
            problem: Some(InputProblem::Missing),
            ..Detail::ANY
        })
        .message("You must specify {}.")
        .verified(API_META,),
    Row::new(ErrorKind::InvalidInput, 400, "")
        .per_parameter("InvalidParameter")
        .message("The {} is invalid.")
        .verified(API_META,),
    Row::new(ErrorKind::Unsupported, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba's common RPC error for an unsupported action",),
    Row::new(ErrorKind::InvitesDisabledDuringEnableAllFeatures, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba has no enable-all-features flow",),
    Row::new(ErrorKind::AllFeaturesAlreadyRequested, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba has no enable-all-features flow",),
    Row::new(ErrorKind::AllFeaturesAlreadyEnabled, 400, "UnsupportedOperation")
        .message("The specified action is not supported.")
        .unverified("placeholder: Alibaba has no enable-all-features flow",),
    Row::new(ErrorKind::InvalidInput, 400, "InvalidParameter")
        .message("The specified parameter is invalid.")
        .unverified("placeholder: Alibaba's common InvalidParameter, for a failure that names no parameter"),
];

/// The row of [`ERROR_CODES`] that decides `failure`'s Alibaba error.
///
/// ```
/// use org_handshake::{Failure, InputProblem};
/// use org_handshake::provider::alibaba::error_code;
/// let note = Failure::invalid_input("Note", InputProblem::TooLong, "notes are too long");
/// assert_eq!(error_code(&note).code.for_parameter("Note"), "InvalidParameter.Note.Length");
/// ```
pub fn error_code(failure: &Failure) -> &'static Row {
    error_table::lookup(ERROR_CODES, failure, "")
}

/// The error body Alibaba answers for `failure`, with its HTTP status:
/// `{"RequestId", "HostId", "Code", "Message"}`.
///
/// # Example: a missing handshake id
///
/// ```
/// use org_handshake::{Failure, InputProblem};
/// use org_handshake::provider::alibaba::error_response;
///
/// let failure = Failure::invalid_input("HandshakeId", InputProblem::Missing, "handshake id is required");
/// let response = error_response(&failure, "5828C836-3286-49A6-9006-15231BB19342");
/// assert_eq!(response.status, 400);
/// assert_eq!(response.body["Code"], "MissingParameter.HandshakeId");
/// assert_eq!(response.body["Message"], "You must specify HandshakeId.");
/// ```
pub fn error_response(failure: &Failure, request_id: &str) -> Reply {
    Provider::Alibaba.error_reply(failure, "", request_id)
}

/// An Alibaba error body, read back: `{"RequestId", "HostId"?, "Code", "Message",
/// "Recommend"?}`, with the HTTP status it came with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorBody {
    /// The error code.
    pub code: String,
    /// The endpoint that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_id: Option<String>,
    /// The message.
    pub message: String,
    /// A troubleshooting link some gateways add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommend: Option<String>,
    /// The request's id.
    pub request_id: String,
}

/// An error response read back: the status, the body, and what the error table can say about
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderErrorBody {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: ErrorBody,
}

impl ProviderErrorBody {
    /// Every neutral kind whose row gives this code.
    ///
    /// ```
    /// use org_handshake::ErrorKind;
    /// use org_handshake::provider::alibaba::parse_error_response;
    /// let err = parse_error_response(409, r#"{"Code": "HandshakeStatusMismatch", "Message": "The invitation is invalid.", "RequestId": "r-1"}"#)?;
    /// assert_eq!(err.candidate_kinds(), vec![ErrorKind::AlreadyInState, ErrorKind::InvalidTransition]);
    /// assert_eq!(err.kind(), None); // ambiguous
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn candidate_kinds(&self) -> Vec<ErrorKind> {
        let mut kinds = Vec::new();
        for row in ERROR_CODES {
            if gives(row, &self.body.code) && !kinds.contains(&row.kind) {
                kinds.push(row.kind);
            }
        }
        kinds
    }

    /// The neutral kind, when exactly one row gives this code.
    ///
    /// ```
    /// use org_handshake::ErrorKind;
    /// use org_handshake::provider::alibaba::parse_error_response;
    /// let err = parse_error_response(400, r#"{"Code": "MissingParameter.HandshakeId", "Message": "You must specify HandshakeId.", "RequestId": "r-1"}"#)?;
    /// assert_eq!(err.kind(), Some(ErrorKind::InvalidInput));
    /// assert_eq!(err.parameter(), Some("HandshakeId"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> Option<ErrorKind> {
        match self.candidate_kinds().as_slice() {
            [kind] => Some(*kind),
            _ => None,
        }
    }

    /// For `MissingParameter.<P>` / `InvalidParameter.<P>[.Length]` codes: the parameter `P`.
    pub fn parameter(&self) -> Option<&str> {
        let code = self.body.code.as_str();
        let rest = code
            .strip_prefix("MissingParameter.")
            .or_else(|| code.strip_prefix("InvalidParameter."))?;
        Some(rest.strip_suffix(".Length").unwrap_or(rest))
    }
}

/// Whether `row` produces `code` (for some parameter other than a `.Length` one, which has its
/// own fixed rows).
fn gives(row: &Row, code: &str) -> bool {
    row.code.gives(code) && (matches!(row.code, Code::Fixed(_)) || !code.ends_with(".Length"))
}

/// Reads an Alibaba error response back.
///
/// Codes outside [`ERROR_CODES`] are accepted (Alibaba documents many more, such as
/// `Invalid.AccountType`); their [`kind`](ProviderErrorBody::kind) is `None`.
///
/// # Errors
///
/// - [`WireError::Invalid`] for a `status` that is not an HTTP error status (400–599).
/// - [`WireError::Json`] for a body that is not JSON or has a member of the wrong type.
/// - [`WireError::Missing`] for an absent `Code`, `Message` or `RequestId`.
/// - [`WireError::Inconsistent`] when a code the table knows as verified comes with another
///   status.
///
/// ```
/// use org_handshake::provider::alibaba::parse_error_response;
/// let err = parse_error_response(404, r#"{"RequestId": "r-1", "HostId": "resourcemanager.aliyuncs.com", "Code": "EntityNotExists.Handshake", "Message": "The specified handshake does not exist."}"#)?;
/// assert_eq!(err.kind(), Some(org_handshake::ErrorKind::NotFound));
/// assert!(parse_error_response(200, r#"{"RequestId": "r-1", "Code": "EntityNotExists.Handshake", "Message": "m"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_error_response(status: u16, json: &str) -> Result<ProviderErrorBody, WireError> {
    if !(400..=599).contains(&status) {
        return Err(WireError::Invalid {
            field: "status".to_owned(),
            reason: format!("{status} is not an error status"),
        });
    }
    let raw: RawErrorBody = crate::provider::from_json(json)?;
    let missing = |field: &str| WireError::Missing {
        field: field.to_owned(),
    };
    let body = ErrorBody {
        code: raw.code.ok_or_else(|| missing("Code"))?,
        host_id: raw.host_id,
        message: raw.message.ok_or_else(|| missing("Message"))?,
        recommend: raw.recommend,
        request_id: raw.request_id.ok_or_else(|| missing("RequestId"))?,
    };
    let expected = ERROR_CODES
        .iter()
        .filter(|row| row.verified && gives(row, &body.code))
        .map(|row| row.status)
        .next();
    if let Some(expected) = expected {
        if expected != status {
            return Err(WireError::Inconsistent {
                field: "Code".to_owned(),
                reason: format!("{} comes with HTTP {expected}, not {status}", body.code),
            });
        }
    }
    Ok(ProviderErrorBody { status, body })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    host_id: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    recommend: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Field rules
// ---------------------------------------------------------------------------------------------

fn invalid(field: String, reason: impl fmt::Display) -> WireError {
    WireError::Invalid {
        field,
        reason: reason.to_string(),
    }
}

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
fn required<'v>(value: &'v Option<String>, field: Field<'_>) -> Result<&'v str, WireError> {
    value.as_deref().ok_or_else(|| WireError::Missing {
        field: field.to_string(),
    })
}

/// `<path>.<key>`, the name of a member of a handshake object, written out only when an error
/// names it.
#[derive(Clone, Copy)]
struct Field<'a>(&'a str, &'static str);

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// A resource directory id: an [`OrganizationId`] with the `rd-` prefix.
fn parse_resource_directory_id(
    value: &str,
    field: &(impl fmt::Display + ?Sized),
) -> Result<OrganizationId, WireError> {
    check_resource_directory_id(value, field)?;
    OrganizationId::parse(value).map_err(|err| invalid(field.to_string(), err))
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
    Err(invalid(
        field.to_string(),
        format!(
            "`{}` is not a resource directory id (`rd-` + 2 to 32 letters or digits)",
            value.chars().take(64).collect::<String>()
        ),
    ))
}

/// An Alibaba account id: exactly 16 ASCII digits.
fn parse_account_id(
    value: &str,
    field: &(impl fmt::Display + ?Sized),
) -> Result<AccountId, WireError> {
    check_account_id(value, field)?;
    AccountId::parse(value).map_err(|err| invalid(field.to_string(), err))
}

/// The digit rule of [`parse_account_id`], for an id already known to be a valid
/// [`AccountId`].
fn check_account_id(value: &str, field: &(impl fmt::Display + ?Sized)) -> Result<(), WireError> {
    let digits = value.len() == ACCOUNT_ID_LEN && value.bytes().all(|b| b.is_ascii_digit());
    if digits {
        return Ok(());
    }
    Err(invalid(
        field.to_string(),
        format!(
            "`{}` is not an Alibaba account id ({ACCOUNT_ID_LEN} digits)",
            value.chars().take(64).collect::<String>()
        ),
    ))
}

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";
/// `d` is a digit; every other character must be itself.
const TIME_SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:ddZ";

/// Renders a time as `YYYY-MM-DDTHH:MM:SSZ`, dropping any fraction of a second.
fn format_time(at: DateTime<Utc>, field: &str) -> Result<String, WireError> {
    stamp(at, field).map(|stamp| stamp.as_str().to_owned())
}

/// [`Stamp::of`], refusing a year that does not fit four digits as an invalid `field`.
fn stamp(at: DateTime<Utc>, field: &str) -> Result<Stamp, WireError> {
    Stamp::of(at).ok_or_else(|| {
        invalid(
            field.to_owned(),
            format!(
                "year {} cannot be written as four digits",
                chrono::Datelike::year(&at)
            ),
        )
    })
}

/// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
fn parse_time(
    value: &str,
    field: &(impl fmt::Display + ?Sized),
) -> Result<DateTime<Utc>, WireError> {
    let shown = || value.chars().take(64).collect::<String>();
    let shaped = value.len() == TIME_SHAPE.len()
        && value.bytes().zip(TIME_SHAPE.iter()).all(|(c, &want)| {
            if want == b'd' {
                c.is_ascii_digit()
            } else {
                c == want
            }
        });
    if !shaped {
        return Err(invalid(
            field.to_string(),
            format!("`{}` is not a UTC time like 2021-01-20T02:15:40Z", shown()),
        ));
    }
    // The shape is checked, so the numbers are plain digits: build the time from them
    // directly. Whatever they do not make a real time of (a 13th month, a leap second) goes
    // through chrono's parser, whose message the error gives.
    let number = |from: usize, to: usize| {
        value.as_bytes().get(from..to).map(|digits| {
            digits.iter().fold(0u32, |n, digit| {
                n * 10 + u32::from(digit.wrapping_sub(b'0'))
            })
        })
    };
    let fields = (
        number(0, 4).and_then(|year| i32::try_from(year).ok()),
        number(5, 7),
        number(8, 10),
        number(11, 13),
        number(14, 16),
        number(17, 19),
    );
    if let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields {
        if let Some(naive) = chrono::NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|date| date.and_hms_opt(hour, minute, second))
        {
            return Ok(naive.and_utc());
        }
    }
    let naive = NaiveDateTime::parse_from_str(value, TIME_FORMAT)
        .map_err(|err| invalid(field.to_string(), format!("`{}`: {err}", shown())))?;
    if naive.nanosecond() >= 1_000_000_000 {
        return Err(invalid(
            field.to_string(),
            format!("`{}` is a leap second", shown()),
        ));
    }
    Ok(naive.and_utc())
}

/// A fixed Alibaba invitation for the documentation: resource directory `rd-3G6rzX`
/// (management account `1512666876910001`, "CompanyA") invites account `1772422852740001`,
/// created 2021-01-06T02:15:40Z and pending for 14 days, with the note "Welcome".
#[doc(hidden)]
pub fn example_handshake() -> Result<Handshake, Box<dyn std::error::Error>> {
    let sender = SenderOrganization {
        id: "rd-3G6rzX".parse()?,
        management_account: "1512666876910001".parse()?,
        management_account_name: "CompanyA".parse()?,
        management_account_email: None,
        feature_set: None,
    };
    let new = crate::handshake::NewHandshake::invite(
        HandshakeId::parse("h-Ih8IuPfvV0t0Ab12")?,
        sender,
        Recipient::for_account("1772422852740001".parse()?),
    )
    .with_notes("Welcome".parse()?);
    Ok(Handshake::create(new, &Profile::ALIBABA, "2021-01-06T02:15:40Z".parse()?)?.handshake)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_row() {
        for &kind in ErrorKind::values() {
            let failure = Failure::new(kind, "x");
            let row = error_code(&failure);
            if kind == ErrorKind::InvalidInput {
                // No parameter named: the generic placeholder.
                assert_eq!(row.code.as_str(), "InvalidParameter");
                assert!(!row.verified);
            } else {
                assert_eq!(row.kind, kind, "{kind}");
            }
        }
    }

    #[test]
    fn time_shape_is_strict() {
        for bad in [
            "2021-01-20T02:15:40",
            "2021-01-20T02:15:40.000Z",
            "2021-01-20 02:15:40Z",
            "2021-01-20T02:15:40+00:00",
            "2021-02-30T02:15:40Z",
            "2021-01-20T02:15:60Z",
            "2021-01-20T24:00:00Z",
            "２021-01-20T02:15:40Z",
        ] {
            assert!(parse_time(bad, "t").is_err(), "{bad}");
        }
        let at = parse_time("2021-01-20T02:15:40Z", "t").unwrap();
        assert_eq!(format_time(at, "t").unwrap(), "2021-01-20T02:15:40Z");
    }

    #[test]
    fn account_ids_are_sixteen_digits() {
        assert!(parse_account_id("1512666876910001", "a").is_ok());
        for bad in [
            "151266687691****",
            "151266687691000",
            "15126668769100012",
            "151266687691000a",
        ] {
            assert!(parse_account_id(bad, "a").is_err(), "{bad}");
        }
    }
}
