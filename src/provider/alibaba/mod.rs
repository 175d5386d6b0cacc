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
//! # Membership
//!
//! The organization operations (`EnableResourceDirectory`, `GetResourceDirectory`, `DestroyResourceDirectory`, `ListAccounts`, `GetAccount`, `RemoveCloudAccount`) are read and written from `alibabacloud_resourcemanager20200331` (`client.py`, `models/`) and the API reference pages of those actions (error codes); the bodies, the
//! choices made where the documents are silent (marked unverified) and the sources of each
//! field are listed in this folder's `membership.rs`, and their error rows in
//! [`ERROR_CODES`]. docs/design.md "Membership" gives the rules.
//!
//! # Example: render, then parse back
//!
//! ```
//! use org_handshake::provider::alibaba::{self, HandshakeResponse};
//!
//! let invite = org_handshake::example::alibaba_invitation()?;
//! let response = HandshakeResponse::new(&invite, "5828C836-3286-49A6-9006-15231BB19342")?;
//! let json = serde_json::to_string(&response)?;
//! assert!(json.contains(r#""Status":"Pending""#));
//!
//! let back = HandshakeResponse::from_json(&json)?.to_handshake()?;
//! assert_eq!(back, invite);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dialect;
mod error;
mod handshake;
mod membership;
mod request;
mod response;
mod vocab;

#[cfg(test)]
mod tests;

pub use dialect::{Alibaba, ALIBABA};
pub use error::{
    error_code, error_response, parse_error_response, ErrorBody, ProviderErrorBody, ERROR_CODES,
    HOST_ID,
};
pub use handshake::{
    check_expressible, format_time, parse_handshake, parse_time, render_handshake,
    render_handshake_json, WireHandshake, ACCOUNT_ID_LEN,
};
pub use response::{
    AcceptHandshakeResponse, CancelHandshakeResponse, DeclineHandshakeResponse,
    GetHandshakeResponse, HandshakeList, HandshakeResponse,
    InviteAccountToResourceDirectoryResponse, ListHandshakesForAccountResponse,
    ListHandshakesForResourceDirectoryResponse, ListHandshakesResponse, PageInfo,
    DEFAULT_PAGE_SIZE, DEFAULT_REQUEST_ID, MAX_PAGE_SIZE,
};
pub use vocab::{Operation, Status, TargetType};

#[cfg(doc)]
use crate::{
    error::Failure,
    handshake::{Handshake, Party},
    policy::Profile,
    provider::WireError,
};

/// The provider's name, as [`WireError::Unsupported`] shows it.
pub const PROVIDER: &str = "alibaba";
