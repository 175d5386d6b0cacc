//! AWS Organizations: the handshake object, the response bodies of the eight handshake
//! operations, and the error bodies, exactly as the AWS JSON 1.1 protocol carries them and the
//! SDKs read them.
//!
//! - [`WireHandshake`] is the `Handshake` structure, with [`WireHandshake::from_handshake`]
//!   (render) and [`WireHandshake::to_handshake`] (strict parse); [`render_handshake`] and
//!   [`parse_handshake`] do the same for JSON text.
//! - [`HandshakeResponse`] (`{"Handshake": …}`, aliased per [`Operation`]) and
//!   [`ListHandshakesResponse`] (`{"Handshakes": […], "NextToken"?}`).
//! - [`error_response`] and [`parse_error_response`], driven by [`ERROR_CODES`].
//! - [`Aws`]: the [`Dialect`](crate::provider::Dialect) that the
//!   [`Service`](crate::provider::Service) driver runs: one AWS JSON 1.1 call in and AWS's reply
//!   out; its docs list the checks and the choices made where AWS's documents are silent.
//! - AWS's spellings: [`HandshakeState`], [`ActionType`], [`HandshakePartyType`],
//!   [`HandshakeResourceType`], [`OrganizationFeatureSet`], and the [`HandshakeArn`].
//!
//! # Mapping
//!
//! Facts are from `docs/reference/aws.md` (cited as `aws.md §N`); where AWS's documents disagree, the choice is named.
//!
//! - **Timestamps** are epoch seconds as JSON numbers. Rendered as an integer for whole seconds,
//!   otherwise with a millisecond fraction (`1481656459.257`); finer precision is truncated, so
//!   handshakes round-trip at millisecond precision. Parsed from any JSON number, plain or
//!   exponent (`1.471797437427E9`), rounded to the millisecond; negative values and values after
//!   9999-12-31 are refused.
//! - **ARN** (see [`HandshakeArn`]): the sender's management account and organization, the
//!   lower-case action, the id. Parsing requires the whole string to match (the model's pattern
//!   has no `$`), accepts `add_organizations_service_linked_role` (longer than the pattern's
//!   32-character segment) and only the `aws` partition. The ARN must agree with `Id`, `Action`
//!   and the `ORGANIZATION` party and resource.
//! - **Ids** follow AWS's own patterns, narrower than the neutral ones: handshakes
//!   `^h-[0-9a-z]{8,32}$`, accounts 12 digits, organizations `o-…`. A neutral handshake outside
//!   them renders as [`WireError::Unsupported`].
//! - **Parties**: the `ORGANIZATION` (the sender), then the recipient as it was named
//!   (`ACCOUNT` or `EMAIL`). A neutral `name` recipient (Huawei's) cannot be expressed. A
//!   handshake whose recipient is the sender's own management account (the ENABLE_ALL_FEATURES
//!   parent) lists only the `ORGANIZATION` party, as the User Guide shows; reading such a
//!   handshake back makes the management account from the ARN its recipient. Parsing accepts
//!   the parties in any order (the DeclineHandshake example lists the account first); rendering
//!   puts the organization first.
//! - **Resources** are rendered in the order of [`resource_tree`]: `PARENT_HANDSHAKE`
//!   (children of an enable-all-features request), `ORGANIZATION` with `MASTER_EMAIL`,
//!   `MASTER_NAME` and `ORGANIZATION_FEATURE_SET` children (the email and feature set only when
//!   known), the recipient (unless it is the management account), `NOTES` when there are notes,
//!   then the handshake's extra [`resources`](Handshake::resources). Parsing reads that prefix by
//!   position and keeps everything after it as extra resources, so documents in this order
//!   read back to the same JSON. The organization's children may come in any order (rendered in
//!   the order above); `MASTER_NAME` is required; other children (`MANAGEMENT_*`) are refused.
//!   An extra `NOTES` resource first among the extras of a handshake without notes cannot be
//!   told from notes, so it is refused on render.
//! - **Email recipients**: the `EMAIL` party always shows the address. The recipient resource
//!   shows the account that joined once the handshake is `ACCEPTED` (the AcceptHandshake
//!   example: `EMAIL` party, `ACCOUNT` resource), and the email before that (the
//!   InviteAccountToOrganization example), so that an invitation does not reveal which account
//!   an address belongs to. A resolved account on an email invitation that is not accepted is
//!   therefore not rendered, and does not read back.
//! - **`FULL`**, the legacy `ORGANIZATION_FEATURE_SET` value of old examples, reads as `ALL`
//!   and renders as `ALL`.
//! - **`PARENT_HANDSHAKE`** must hold a valid AWS handshake id. The User Guide's example value
//!   `c440da758cab44068cdafc812EXAMPLE` (no `h-`, upper case) is refused rather than guessed at.
//! - **When the state was entered** is not in AWS's JSON. [`WireHandshake::to_handshake`] takes
//!   `ExpirationTimestamp` for `EXPIRED` and `RequestedTimestamp` otherwise (the earliest time it
//!   can have happened); [`WireHandshake::to_handshake_entered_at`] takes it from the caller.
//! - **States and actions** map one to one (AWS has every neutral state, `REQUESTED` and `OPEN`
//!   included, and every action).
//! - **Strictness**: unknown keys in a handshake, party, resource or response body are refused
//!   (an emulator that adds members is told so); unknown enum values are
//!   [`WireError::UnknownValue`] naming the path (`Handshake.Parties[1].Type`); resource trees
//!   deeper than [`MAX_RESOURCE_DEPTH`] are refused.
//! - **Errors**: see [`ERROR_CODES`] for every neutral kind's exception, reason and status, with
//!   the rows the reference could not verify marked. An account that is already a management
//!   account elsewhere gets `MasterCannotLeaveOrganizationException`; any other account already
//!   in an organization `HandshakeConstraintViolationException` / `ALREADY_IN_AN_ORGANIZATION`.
//!   Operations or handshakes AWS cannot express give `UnsupportedAPIEndpointException` (403).
//!
//! # Membership
//!
//! The organization operations (`CreateOrganization`, `DescribeOrganization`, `DeleteOrganization`, `ListAccounts`, `DescribeAccount`, `LeaveOrganization`, `RemoveAccountFromOrganization`) are read and written from botocore's `organizations` 2016-11-28 model (`service-2.json`: `Organization`, `Account`, `ListAccountsRequest`/`Response`, each operation's errors) and `examples-1.json`; the bodies, the
//! choices made where the documents are silent (marked unverified) and the sources of each
//! field are listed in this folder's `membership.rs`, and their error rows in
//! [`ERROR_CODES`]. docs/design.md "Membership" gives the rules.
//!
//! # Example: one handshake, AWS's JSON and back
//!
//! ```
//! use org_handshake::provider::aws;
//!
//! let invite = org_handshake::example::aws_invitation()?;
//! let body = serde_json::to_value(aws::InviteAccountToOrganizationResponse::new(&invite)?)?;
//! assert_eq!(body["Handshake"]["Arn"], "arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-examplehandshakeid111");
//! assert_eq!(body["Handshake"]["State"], "OPEN");
//! assert_eq!(body["Handshake"]["ExpirationTimestamp"], 1768903200);
//!
//! let read = aws::HandshakeResponse::from_json(&body.to_string())?.to_handshake()?;
//! assert_eq!(read, invite);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dialect;
mod encode;
mod error;
mod handshake;
mod ids;
mod membership;
mod request;
mod response;
mod view;
mod vocab;

#[cfg(test)]
mod tests;

pub use dialect::{Aws, AWS, CONTENT_TYPE, TARGET_PREFIX};
pub use error::{
    error_code, error_response, parse_error_response, ErrorBody, ProviderErrorBody, ERROR_CODES,
};
pub use handshake::{parse_handshake, WireHandshake, WireParty, WireResource, MAX_RESOURCE_DEPTH};
pub use ids::{
    format_time, parse_account_id, parse_handshake_id, parse_organization_id, parse_time, ArnError,
    HandshakeArn, MAX_EPOCH_MILLIS,
};
pub use response::{
    AcceptHandshakeResponse, CancelHandshakeResponse, DeclineHandshakeResponse,
    DescribeHandshakeResponse, EnableAllFeaturesResponse, HandshakeResponse,
    InviteAccountToOrganizationResponse, ListHandshakesForAccountResponse,
    ListHandshakesForOrganizationResponse, ListHandshakesResponse,
};
pub use view::{render_handshake, render_handshake_json, resource_tree};
pub use vocab::{
    ActionType, HandshakePartyType, HandshakeResourceType, HandshakeState, Operation,
    OrganizationFeatureSet,
};

/// The provider's name, as [`WireError::Unsupported`](crate::provider::WireError) shows it.
pub const PROVIDER: &str = "aws";

#[cfg(doc)]
use crate::handshake::Handshake;
#[cfg(doc)]
use crate::provider::WireError;
