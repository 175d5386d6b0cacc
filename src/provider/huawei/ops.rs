//! The Huawei operation layer: a provider-shaped call in, Huawei's reply (HTTP status and JSON
//! body) out, over a [`Ledger`].
//!
//! [`handle`] takes one [`Call`]: the SDK method name as the operation (`invite_account`,
//! `accept_handshake`, `decline_handshake`, `cancel_handshake`, `show_handshake`,
//! `list_handshakes`, `list_received_handshakes`; see [`Operation`]), the calling account, `now`,
//! and the request as `{"path": {…}, "query": {…}, "body": {…}}` (each part optional). It reads
//! the request into neutral values, calls one ledger method, and renders the handshake the ledger
//! returns (observed at `now`) with this module's response types, or the refusal with
//! [`error_response_for`] for the operation. Success is always HTTP 200, as every example in the
//! API reference shows.
//!
//! | operation | request | ledger call |
//! |---|---|---|
//! | `invite_account` | body `target` `{type: account\|name, entity}`, `notes`, `tags` | [`Ledger::invite`] |
//! | `accept_handshake` | path `handshake_id` | [`Ledger::accept`] |
//! | `decline_handshake` | path `handshake_id` | [`Ledger::decline`] |
//! | `cancel_handshake` | path `handshake_id` | [`Ledger::cancel`] |
//! | `show_handshake` | path `handshake_id` | [`Ledger::describe`] |
//! | `list_handshakes` | query `limit`, `marker` | [`Ledger::list_for_organization`] |
//! | `list_received_handshakes` | query `limit`, `marker` | [`Ledger::list_for_account`] |
//!
//! # Order of checks
//!
//! The operation name, then the caller, then the request's own form (path, query, body, each
//! parameter in the order of the table above), then the ledger's checks (existence and
//! visibility, role, state, organization constraints; see [`Ledger`]). The first that fails
//! decides the reply, and a refused call changes nothing.
//!
//! # Decisions
//!
//! Where the API reference is silent or contradicts itself, this layer chooses as follows.
//! Choices marked *unverified* are not documented by Huawei.
//!
//! - **`notes` is required.** The English InviteAccount page marks it mandatory; the Chinese
//!   page's table does not say. The SDK's TypeScript model takes `target` and `notes` as its
//!   constructor's arguments (its generator's mark of required members), and Huawei's Terraform
//!   provider always sends `"notes": ""`. So an absent (or `null`) `notes` is invalid input,
//!   while an empty string is accepted and shown back as `"notes": ""`. At most 1024 characters.
//! - **`tags`** (optional) must be an array of `{"key": string, "value": string}`; the API
//!   reference says a value may be empty but not null. Tags are checked and then dropped: a
//!   handshake does not carry them. No limit on their number or length is applied (none found).
//! - **`target`**: `type` is `account` or `name` (anything else is invalid input, naming the
//!   value); an `account` entity follows the neutral [`AccountId`] rule
//!   (1–64 ASCII letters or digits, see the [module docs](super)), a `name` entity the
//!   [`AccountName`](crate::AccountName) rule. A name resolves to the account of the world with
//!   that name; a name that matches none is still invited, and nobody can accept it.
//! - **`limit`**: 1–2000, default 1000. The intl English ListHandshakes page says "default 200";
//!   the EU page and the ListReceivedHandshakes page say 1,000, which `design.md` follows. 0 or
//!   less is too small, 2001 or more too large.
//! - **`marker`**: 4–400 characters ([`Marker`]), then it must be a marker the same listing
//!   issued (same operation, same caller or organization); anything else is invalid input.
//! - **Wrong JSON types** are invalid input naming the parameter. Query values travel as text
//!   over HTTP, so `limit` is accepted as a JSON integer or as a string holding a decimal
//!   integer (`"20"`); a fraction, a boolean or other text is refused. A `null` optional
//!   parameter is read as absent; a `null` required one as missing.
//! - **Unknown parameters** inside `path`, `query` or `body` are ignored, as the SDK's
//!   deserializers ignore unknown keys (*unverified* for the service itself). A request part
//!   other than `path`, `query` and `body`, or a part that is not an object, is invalid input.
//! - **Unknown operation names** get the [`ErrorKind::Unsupported`] row of [`ERROR_CODES`](super::ERROR_CODES)
//!   (`Organizations.Unverified.Unsupported`, 400) with no operation-specific row: the real
//!   service would answer an unknown route from its API gateway, whose code is not recorded
//!   here (*unverified*).
//! - **A malformed caller id** (not 1–64 ASCII letters or digits) is an authentication
//!   failure: the [`ErrorKind::AccessDenied`] row for the operation (`Organizations.1001`, or
//!   `Organizations.1002` for `list_handshakes`; HTTP 401), checked before the request's form
//!   (*unverified*). A well-formed id the world does not know is an account in no
//!   organization.
//! - **New ids.** `invite_account` draws the first of the call's `new_ids` once every check
//!   has passed (extra ones are ignored; other operations ignore them all), so a refused call
//!   needs none. No id, or one outside Huawei's pattern, is the harness's mistake
//!   ([`CallError`]), as is an id still held by a handshake that exists: Huawei makes its own
//!   ids, so no Huawei reply stands for those.
//! - **Parameter names.** A ledger refusal that names a parameter is renamed to Huawei's:
//!   the pagination token is `marker`, the page size `limit`, the invitation's target `target`.
//! - **Visibility.** `show_handshake` shows a handshake to its two parties only; the SDK
//!   docstring's "any account in the organization" is read as the organization's management
//!   account (the sender) and the invited account, since existence never leaks to others
//!   (`design.md`). Anyone else gets not found.
//!
//! # Example: invite, then accept
//!
//! ```
//! use org_handshake::ledger::World;
//! use org_handshake::provider::{Call, Provider, Service};
//! use serde_json::json;
//!
//! let world: World = serde_json::from_value(json!({
//!     "organizations": [{"id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv",
//!         "management_account": {"id": "0a6d25d23900d45c0faac010e0fb4de0", "name": "paas_iam_573331"}}],
//!     "accounts": [{"id": "05c734152f00d4200f2bc0179ac6c5e0", "name": "juan"}]
//! }))?;
//! let mut service = Service::new(Provider::Huawei, &world)?;
//! let invite = json!({"body": {"target": {"type": "name", "entity": "juan"}, "notes": "welcome"}});
//! let reply = service.call(&Call {
//!     operation: "invite_account",
//!     caller: "0a6d25d23900d45c0faac010e0fb4de0",
//!     now: "2026-01-05T10:00:00Z".parse()?,
//!     request: &invite,
//!     new_ids: &["h-awjp43m7bz3b8jgy5v61jrfwakt3og8w".to_owned()],
//!     request_id: "",
//! })?;
//! assert_eq!(reply.status, 200);
//! assert_eq!(reply.body["handshake"]["status"], "pending");
//! assert_eq!(reply.body["handshake"]["expired_at"], "2026-01-19T10:00:00Z");
//!
//! let accept = json!({"path": {"handshake_id": "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w"}});
//! let reply = service.call(&Call {
//!     operation: "accept_handshake",
//!     caller: "05c734152f00d4200f2bc0179ac6c5e0", // juan, whom the name resolved to
//!     now: "2026-01-06T10:00:00Z".parse()?,
//!     request: &accept,
//!     new_ids: &[],
//!     request_id: "",
//! })?;
//! assert_eq!(reply.body["handshake"]["status"], "accepted");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: a malformed parameter names itself
//!
//! ```
//! use org_handshake::ledger::World;
//! use org_handshake::provider::{Call, Provider, Service};
//! use serde_json::json;
//!
//! let mut service = Service::new(Provider::Huawei, &World::default())?;
//! let request = json!({"query": {"limit": 2001}});
//! let reply = service.call(&Call {
//!     operation: "list_received_handshakes",
//!     caller: "05c734152f00d4200f2bc0179ac6c5e0",
//!     now: "2026-01-05T10:00:00Z".parse()?,
//!     request: &request,
//!     new_ids: &[],
//!     request_id: "",
//! })?;
//! assert_eq!(reply.status, 400);
//! assert!(reply.body["error_msg"].as_str().is_some_and(|m| m.contains("`limit`")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde_json::Value;

use crate::error::{ErrorKind, Failure, InputError};
use crate::handshake::Handshake;
use crate::id::AccountId;
use crate::ledger::{
    HandshakeFilter, InviteRequest, Ledger, LedgerError, Page, PageRequest, Parameter,
};
use crate::provider::{new_id_mistake, with_new_ids, Call, CallError, Provider, Reply, WireError};

use super::request::Request;
use super::{
    error_response, error_response_for, shown, HandshakeListResponse, HandshakeResponse, Marker,
    Operation,
};

/// The page size of a list call without `limit`.
pub const DEFAULT_LIMIT: usize = 1000;

/// The largest `limit` a list call accepts (the smallest is 1).
pub const MAX_LIMIT: usize = 2000;

/// Answers one call as Huawei does: HTTP 200 with the operation's response body, or Huawei's
/// error body. Refused calls change nothing. See the [module docs](self) for the request form,
/// the order of checks and the decisions taken.
///
/// # Errors
///
/// [`CallError`] when the harness did not supply a valid, free id for the handshake an
/// `invite_account` creates; every other problem is Huawei's own error reply.
///
/// # Example: cancelling twice
///
/// ```
/// use org_handshake::ledger::World;
/// use org_handshake::provider::huawei::ops::handle;
/// use org_handshake::provider::Call;
/// use org_handshake::{Ledger, Profile};
/// use serde_json::{json, Value};
///
/// fn call<'a>(operation: &'a str, request: &'a Value, new_ids: &'a [String]) -> Call<'a> {
///     Call {
///         operation,
///         caller: "0a6d25d23900d45c0faac010e0fb4de0",
///         now: chrono::DateTime::from_timestamp(1_767_607_200, 0).unwrap_or_default(),
///         request,
///         new_ids,
///         request_id: "",
///     }
/// }
///
/// let world: World = serde_json::from_value(json!({"organizations": [{"id": "o-exampleorgid",
///     "management_account": {"id": "0a6d25d23900d45c0faac010e0fb4de0", "name": "bill"}}]}))?;
/// let mut ledger = Ledger::new(Profile::HUAWEI, &world)?;
/// let invite = json!({"body": {"target": {"type": "account", "entity": "05c734152f00d4200f2bc0179ac6c5e0"}, "notes": ""}});
/// handle(&mut ledger, &call("invite_account", &invite, &["h-0123456789abcdef".to_owned()]))?;
///
/// let cancel = json!({"path": {"handshake_id": "h-0123456789abcdef"}});
/// let first = handle(&mut ledger, &call("cancel_handshake", &cancel, &[]))?;
/// assert_eq!(first.body["handshake"]["status"], "cancelled");
/// let again = handle(&mut ledger, &call("cancel_handshake", &cancel, &[]))?;
/// assert_eq!((again.status, &again.body["error_code"]), (400, &json!("Organizations.1401")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn handle(ledger: &mut Ledger, call: &Call<'_>) -> Result<Reply, CallError> {
    let Ok(operation) = call.operation.parse::<Operation>() else {
        let failure = Failure::new(
            ErrorKind::Unsupported,
            format!(
                "huawei organizations has no operation `{}`",
                shown(call.operation)
            ),
        );
        return Ok(Reply::from(error_response(&failure)));
    };
    match answer(ledger, operation, call) {
        Ok(body) => Ok(Reply { status: 200, body }),
        Err(Stop::Refused(failure)) => Ok(Reply::from(error_response_for(operation, &failure))),
        Err(Stop::Harness(err)) => Err(err),
    }
}

/// Why a call stopped: Huawei refuses it, or the harness got it wrong.
enum Stop {
    Refused(Failure),
    Harness(CallError),
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Self {
        Stop::Refused(failure)
    }
}

impl From<CallError> for Stop {
    fn from(err: CallError) -> Self {
        Stop::Harness(err)
    }
}

impl From<LedgerError> for Stop {
    fn from(err: LedgerError) -> Self {
        // Huawei makes its own ids: a missing, malformed or clashing one is the harness's
        // mistake, not a Huawei reply.
        if let Some(mistake) = new_id_mistake(Provider::Huawei, &err) {
            return Stop::Harness(mistake);
        }
        match err {
            LedgerError::InvalidInput {
                parameter,
                problem,
                reason,
            } => {
                let name = parameter_name(parameter);
                Stop::Refused(Failure::invalid_input(
                    name,
                    problem,
                    format!("invalid `{name}`: {reason}"),
                ))
            }
            other => {
                let input = other.input();
                let mut failure = Failure::from(other);
                if let Some((parameter, problem)) = input {
                    failure.input = Some(InputError {
                        parameter: parameter_name(parameter).to_owned(),
                        problem,
                    });
                }
                Stop::Refused(failure)
            }
        }
    }
}

/// Huawei's name for a ledger parameter.
fn parameter_name(parameter: Parameter) -> &'static str {
    match parameter {
        Parameter::Target => "target",
        Parameter::Token => "marker",
        Parameter::MaxResults => "limit",
        // Not Huawei parameters; they cannot arise from a Huawei request.
        other => other.as_str(),
    }
}

/// Runs one recognised operation.
fn answer(ledger: &mut Ledger, operation: Operation, call: &Call<'_>) -> Result<Value, Stop> {
    let caller = AccountId::parse(call.caller).map_err(|err| {
        Failure::new(
            ErrorKind::AccessDenied,
            format!("the caller is not a valid account: {err}"),
        )
    })?;
    let request = Request::parse(call.request)?;
    let now = call.now;
    match operation {
        Operation::InviteAccount => {
            let body = request.invite()?;
            let invite = InviteRequest::new(body.target).with_notes(body.notes);
            let changed =
                with_new_ids(call.new_ids, |ids| ledger.invite(caller, invite, ids, now))?;
            single(&changed.handshake)
        }
        Operation::AcceptHandshake => {
            let id = request.handshake_id()?;
            single(&ledger.accept(caller, id, now)?.handshake)
        }
        Operation::DeclineHandshake => {
            let id = request.handshake_id()?;
            single(&ledger.decline(caller, id, now)?.handshake)
        }
        Operation::CancelHandshake => {
            let id = request.handshake_id()?;
            single(&ledger.cancel(caller, id, now)?.handshake)
        }
        Operation::ShowHandshake => {
            let id = request.handshake_id()?;
            single(&ledger.describe(caller, id, now)?)
        }
        Operation::ListHandshakes => {
            let page = page_request(&request)?;
            list(&ledger.list_for_organization(caller, HandshakeFilter::NONE, &page, now)?)
        }
        Operation::ListReceivedHandshakes => {
            let page = page_request(&request)?;
            list(&ledger.list_for_account(caller, HandshakeFilter::NONE, &page, now)?)
        }
    }
}

fn page_request(request: &Request<'_>) -> Result<PageRequest, Failure> {
    let (max_results, token) = request.page()?;
    Ok(PageRequest::Token { max_results, token })
}

/// `{"handshake": …}`.
fn single(handshake: &Handshake) -> Result<Value, Stop> {
    HandshakeResponse::new(handshake)
        .and_then(|response| response.to_json())
        .map_err(unrenderable)
}

/// `{"handshakes": […], "page_info": {"next_marker", "current_count"}}`.
fn list(page: &Page) -> Result<Value, Stop> {
    let marker = page
        .next_token
        .as_deref()
        .map(Marker::parse)
        .transpose()
        .map_err(unrenderable)?;
    HandshakeListResponse::new(&page.handshakes, marker)
        .and_then(|response| response.to_json())
        .map_err(unrenderable)
}

/// A handshake Huawei cannot show. A Huawei ledger holds only invitations Huawei can express,
/// so this does not happen; it is still an error reply rather than a panic.
fn unrenderable(err: WireError) -> Stop {
    Stop::Refused(Failure::new(
        ErrorKind::Unsupported,
        format!("the answer cannot be shown in huawei's shape: {err}"),
    ))
}
