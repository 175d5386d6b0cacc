//! Huawei Cloud Organizations: the `HandshakeDto` JSON, the seven handshake operations' response
//! bodies, and the `{"error_code", "error_msg"}` error body, converted to and from the neutral
//! model.
//!
//! Facts come from `huaweicloudsdkorganizations` 3.1.219 (`v1/model/*.py`) and the Huawei
//! Organizations API reference; the mapping decisions below are this crate's.
//!
//! The files follow the roles every provider shares: `vocab` (Huawei's spellings: [`Status`],
//! [`TargetType`], [`Operation`]), `handshake` (the bare [`WireHandshake`], its rendering and
//! parsing), `response` (the operation bodies), `request`, `error` ([`ERROR_CODES`]) and
//! `dialect` ([`Huawei`]).
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
//!   [`resources`](crate::Handshake::resources) is [`WireError::Unsupported`].
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
//! Lists ([`ListHandshakesResponse`]) and errors ([`ERROR_CODES`]) document their own decisions.
//!
//! [`Handshake::id`]: crate::Handshake::id
//! [`Handshake::requested_at`]: crate::Handshake::requested_at
//! [`Handshake::expires_at`]: crate::Handshake::expires_at
//! [`Handshake::state_entered_at`]: crate::Handshake::state_entered_at
//! [`Handshake::notes`]: crate::Handshake::notes
//! [`SenderOrganization`]: crate::SenderOrganization
//! [`Recipient`]: crate::Recipient
//! [`Party::Account`]: crate::Party::Account
//! [`Party::Name`]: crate::Party::Name
//! [`Party::Email`]: crate::Party::Email
//! [`HandshakeState`]: crate::HandshakeState
//! [`Action`]: crate::Action
//! [`AccountId`]: crate::AccountId
//!
//! # Membership
//!
//! The organization operations (`create_organization`, `show_organization`, `delete_organization`, `list_accounts`, `show_account`, `leave_organization`, `remove_account`) are read and written from `huaweicloudsdkorganizations` v1 (`organizations_client.py`: paths and methods; `model/organization_dto.py`, `account_dto.py`, `page_info_dto.py`) and the API reference's ListAccounts page; the bodies, the
//! choices made where the documents are silent (marked unverified) and the sources of each
//! field are listed in this folder's `membership.rs`, and their error rows in
//! [`ERROR_CODES`]. docs/design.md "Membership" gives the rules.
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

use serde::Deserialize;

use crate::provider::WireError;

mod dialect;
mod error;
mod handshake;
mod membership;
mod request;
mod response;
#[cfg(test)]
mod tests;
mod vocab;

pub use dialect::{Huawei, HUAWEI};
pub use error::{
    error_code, error_response, parse_error_response, ErrorBody, ProviderErrorBody, ERROR_CODES,
};
pub use handshake::{
    format_time, parse_handshake, parse_time, render_handshake, render_handshake_json,
    WireHandshake, WireTarget,
};
pub use request::{DEFAULT_LIMIT, MAX_LIMIT};
pub use response::{
    AcceptHandshakeResponse, CancelHandshakeResponse, DeclineHandshakeResponse,
    HandshakeListResponse, HandshakeResponse, InviteAccountResponse, ListHandshakesResponse,
    ListReceivedHandshakesResponse, Marker, PageInfo, ShowHandshakeResponse,
};
pub use vocab::{Operation, Status, TargetType};

/// The provider's name, as [`WireError::Unsupported`] shows it.
const PROVIDER: &str = "huawei";

/// Deserializes Huawei JSON through [`crate::provider::from_json`], reporting an absent member
/// as [`WireError::Missing`] with its full path: serde says so only in its message
/// (``missing field `x` ``), so the message is read here, in one place.
///
/// Kept beside the shared reader rather than replaced by it: Huawei's documented errors (and its
/// tests and snapshots) name an absent member as ``missing field `handshake.urn` ``, where the
/// shared reader leaves it an `invalid json` error with serde's message.
fn from_json<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, WireError> {
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
