//! [`Huawei`]: the Huawei Cloud Organizations [`Dialect`]: a provider-shaped call in, Huawei's
//! reply (HTTP status, JSON body, `X-Request-Id`) out, through the
//! [`Service`](crate::provider::Service) driver over a [`Ledger`].
//!
//! The driver takes one [`Call`]: the SDK method name as the operation (`invite_account`,
//! `accept_handshake`, `decline_handshake`, `cancel_handshake`, `show_handshake`,
//! `list_handshakes`, `list_received_handshakes`; see [`Operation`]), the calling account, `now`,
//! and the request as `{"path": {…}, "query": {…}, "body": {…}}` (each part optional). It reads
//! the request into neutral values; the driver calls one ledger method and renders the handshake
//! the ledger returns (observed at `now`) with this module's response types, or the refusal
//! with the row of [`ERROR_CODES`](super::ERROR_CODES) for the operation. Success is always HTTP 200, as every example in the
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
//! | `create_organization` (201), `show_organization` | none | [`Ledger::create_organization`] (one new organization id), [`Ledger::describe_organization`] |
//! | `delete_organization` (204), `leave_organization` | none; no response body | [`Ledger::delete_organization`], [`Ledger::leave_organization`] |
//! | `list_accounts` | query `limit`, `marker` | [`Ledger::list_accounts`] |
//! | `show_account`, `remove_account` (no response body) | path `account_id` | [`Ledger::describe_account`], [`Ledger::remove_account`] |
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
//! - **New ids.** `invite_account` takes the first of the call's `new_ids` (extra ones are
//!   ignored; other operations ignore them all). No id, or one outside Huawei's pattern, is the
//!   harness's mistake ([`CallError`]), as is an id still held by a handshake that exists:
//!   Huawei makes its own ids, so no Huawei reply stands for those. The ids are read only once
//!   the request's form is known to be good, so a malformed request is answered without them.
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
//! let reply = service.call(&Call::new("invite_account", "0a6d25d23900d45c0faac010e0fb4de0", "2026-01-05T10:00:00Z".parse()?, &invite).with_new_ids(&["h-awjp43m7bz3b8jgy5v61jrfwakt3og8w"]))?;
//! assert_eq!(reply.status, 200);
//! assert_eq!(reply.json()["handshake"]["status"], "pending");
//! assert_eq!(reply.json()["handshake"]["expired_at"], "2026-01-19T10:00:00Z");
//!
//! let accept = json!({"path": {"handshake_id": "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w"}});
//! let reply = service.call(&Call::new("accept_handshake", "05c734152f00d4200f2bc0179ac6c5e0", "2026-01-06T10:00:00Z".parse()?, &accept))?; // juan, whom the name resolved to
//! assert_eq!(reply.json()["handshake"]["status"], "accepted");
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
//! let reply = service.call(&Call::new("list_received_handshakes", "05c734152f00d4200f2bc0179ac6c5e0", "2026-01-05T10:00:00Z".parse()?, &request))?;
//! assert_eq!(reply.status, 400);
//! assert!(reply.json()["error_msg"].as_str().is_some_and(|m| m.contains("`limit`")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde_json::{Map, Value};

use crate::error::{ErrorKind, Failure, InputProblem};
use crate::handshake::Handshake;
use crate::id::AccountId;
use crate::ledger::{HandshakeFilter, PageRequest, Parameter};
use crate::policy::Profile;
use crate::provider::dialect::{
    percent_decode, Description, Dialect, ErrorAnswer, HttpRequest, Listing, ReplyContext, Request,
    Routed, Success,
};
use crate::provider::{json_text, shown, WireError};
use crate::provider::{EncodeError, OutgoingRequest};
#[cfg(doc)]
use crate::{
    ledger::Ledger,
    provider::{Call, CallError},
};

use super::request::Parts;
use super::{Marker, Operation, ERROR_CODES};

/// Huawei Cloud Organizations as a [`Dialect`].
///
/// ```
/// use org_handshake::provider::{huawei::Huawei, Dialect, HttpRequest};
/// let headers = [("X-Domain-Id", "05c734152f00d4200f2bc0179ac6c5e0")];
/// let routed = Huawei.route(&HttpRequest::new("POST", "/v1/received-handshakes/h-0123456789/accept").with_headers(&headers))?;
/// assert_eq!(routed.operation, "accept_handshake");
/// assert_eq!(routed.request["path"]["handshake_id"], "h-0123456789");
/// assert_eq!(routed.credential.as_deref(), Some("05c734152f00d4200f2bc0179ac6c5e0"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Huawei;

/// Huawei Cloud Organizations as data. Its default world is the organization
/// `o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv` of management account
/// `0a6d25d23900d45c0faac010e0fb4de0` (`paas_iam_573331`) and the invited account
/// `05c734152f00d4200f2bc0179ac6c5e0` of the `AcceptHandshake` example, with three more
/// accounts.
pub const HUAWEI: Description = Description {
    name: "huawei",
    profile: Profile::HUAWEI,
    operations: Operation::NAMES,
    error_table: ERROR_CODES,
    default_request_id: "",
    request_id_in_body: false,
    default_world: include_str!("world.json"),
};

impl Dialect for Huawei {
    fn description(&self) -> &'static Description {
        &HUAWEI
    }

    fn parameter(&self, parameter: Parameter) -> Option<&'static str> {
        match parameter {
            Parameter::Target => Some("target"),
            Parameter::Token => Some("marker"),
            Parameter::MaxResults => Some("limit"),
            // Not Huawei parameters; they cannot arise from a Huawei request.
            _ => None,
        }
    }

    fn account_id(&self, text: &str) -> Option<AccountId> {
        // A Huawei account (domain) id is 32 lower-case hexadecimal digits.
        let is_domain_id = text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        is_domain_id.then(|| AccountId::parse(text).ok()).flatten()
    }

    fn organization_id(&self, text: &str) -> Option<crate::OrganizationId> {
        // `o-` and lower-case letters or digits, as every documented Huawei organization id.
        let body = text.strip_prefix("o-")?;
        let shaped = !body.is_empty()
            && body
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
        shaped
            .then(|| crate::OrganizationId::parse(text).ok())
            .flatten()
    }

    fn read_call(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<(AccountId, Request), Failure> {
        let operation: Operation = operation.parse().map_err(|_| {
            Failure::new(
                ErrorKind::Unsupported,
                format!(
                    "huawei organizations has no operation `{}`",
                    shown(operation)
                ),
            )
        })?;
        let caller = AccountId::parse(caller).map_err(|err| {
            Failure::new(
                ErrorKind::AccessDenied,
                format!("the caller is not a valid account: {err}"),
            )
        })?;
        let request = Parts::parse(request)?;
        let listing = |request: &Parts<'_>| -> Result<Listing, Failure> {
            let (max_results, token) = request.page()?;
            Ok(Listing {
                filter: HandshakeFilter::NONE,
                page: PageRequest::Token { max_results, token },
            })
        };
        let request = match operation {
            Operation::InviteAccount => {
                let body = request.invite()?;
                Request::Invite {
                    target: body.target,
                    notes: Some(body.notes),
                }
            }
            Operation::AcceptHandshake => Request::Accept(request.handshake_id()?),
            Operation::DeclineHandshake => Request::Decline(request.handshake_id()?),
            Operation::CancelHandshake => Request::Cancel(request.handshake_id()?),
            Operation::ShowHandshake => Request::Describe(request.handshake_id()?),
            Operation::ListHandshakes => Request::ListForOrganization(listing(&request)?),
            Operation::ListReceivedHandshakes => Request::ListForAccount(listing(&request)?),
            Operation::CreateOrganization => Request::CreateOrganization { feature_set: None },
            Operation::ShowOrganization => Request::DescribeOrganization,
            Operation::DeleteOrganization => Request::DeleteOrganization,
            Operation::ListAccounts => {
                let (max_results, token) = request.page()?;
                Request::ListAccounts(PageRequest::Token { max_results, token })
            }
            Operation::ShowAccount => Request::DescribeAccount(request.account_id()?),
            Operation::LeaveOrganization => Request::LeaveOrganization,
            Operation::RemoveAccount => Request::RemoveAccount(request.account_id()?),
        };
        Ok((caller, request))
    }

    /// Refuses an invitation Huawei could not show: its request or expiry time outside the
    /// years 0000–9999 that `YYYY-MM-DDTHH:MM:SSZ` can write.
    fn check_new(
        &self,
        _sender: Option<crate::OrganizationId>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Failure> {
        let expires_at = now.checked_add_signed(HUAWEI.profile.invite_validity);
        match expires_at {
            Some(expires_at) if writable(now) && writable(expires_at) => Ok(()),
            _ => Err(cannot_write(now)),
        }
    }

    /// Refuses a change at `now` that Huawei could not show as the handshake's `updated_at`.
    fn check_stored(
        &self,
        _stored: &Handshake,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Failure> {
        if writable(now) {
            Ok(())
        } else {
            Err(cannot_write(now))
        }
    }

    fn render_success(
        &self,
        success: Success<'_>,
        _reply: &ReplyContext<'_>,
    ) -> Result<String, WireError> {
        match success {
            Success::Handshake(handshake) => super::response::handshake_body(handshake),
            Success::Handshakes { page, .. } => {
                let marker = page.next_token.as_deref().map(Marker::parse).transpose()?;
                super::response::page_body(&page.handshakes, marker.as_ref())
            }
            Success::Organization(organization) => {
                super::membership::organization_body(organization)
            }
            Success::Account(account) => super::membership::account_body(account),
            Success::Accounts { page, .. } => super::membership::accounts_body(page),
            // Delete, leave and remove have no response body.
            Success::Empty => Ok(String::new()),
        }
    }

    /// 201 for a created organization and 204 for a deleted one, as the CreateOrganization
    /// and DeleteOrganization pages give them; 200 otherwise.
    fn success_status(&self, success: &Success<'_>, reply: &ReplyContext<'_>) -> u16 {
        match (success, reply.operation.parse::<Operation>()) {
            (Success::Organization(_), Ok(Operation::CreateOrganization)) => 201,
            (Success::Empty, Ok(Operation::DeleteOrganization)) => 204,
            _ => 200,
        }
    }

    fn render_error(&self, error: &ErrorAnswer<'_>, _reply: &ReplyContext<'_>) -> String {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            error_code: &'a str,
            error_msg: &'a str,
        }
        json_text(&Body {
            error_code: error.code,
            error_msg: error.message,
        })
    }

    fn reply_headers(
        &self,
        _error: Option<&ErrorAnswer<'_>>,
        reply: &ReplyContext<'_>,
    ) -> Vec<(&'static str, String)> {
        let mut headers = vec![("Content-Type", "application/json".to_owned())];
        if !reply.request_id.is_empty() {
            headers.push(("X-Request-Id", reply.request_id.to_owned()));
        }
        headers
    }

    fn render_bare(&self, handshake: &Handshake) -> Result<String, WireError> {
        super::render_handshake_json(handshake)
    }

    fn render_bare_value(&self, handshake: &Handshake) -> Result<Value, WireError> {
        super::render_handshake(handshake)
    }

    fn parse_bare(&self, json: &str) -> Result<Handshake, WireError> {
        super::parse_handshake(json)
    }

    fn claims(&self, request: &HttpRequest<'_>) -> bool {
        request.path.starts_with("/v1/")
    }

    fn route(&self, request: &HttpRequest<'_>) -> Result<Routed, Failure> {
        let segments: Vec<&str> = request
            .path
            .trim_end_matches('/')
            .split('/')
            .skip(1)
            .collect();
        let post = request.method.eq_ignore_ascii_case("POST");
        let get = request.method.eq_ignore_ascii_case("GET");
        let delete = request.method.eq_ignore_ascii_case("DELETE");
        let account = |operation: Operation, id: &str| {
            let mut path = Map::new();
            path.insert(
                "account_id".into(),
                Value::String(percent_decode(id.as_bytes())),
            );
            (operation, None, Some(path))
        };
        let (operation, handshake_id, account_path) = match segments.as_slice() {
            ["v1", "organizations"] if post => (Operation::CreateOrganization, None, None),
            ["v1", "organizations"] if get => (Operation::ShowOrganization, None, None),
            ["v1", "organizations"] if delete => (Operation::DeleteOrganization, None, None),
            ["v1", "organizations", "accounts"] if get => (Operation::ListAccounts, None, None),
            ["v1", "organizations", "leave"] if post => (Operation::LeaveOrganization, None, None),
            ["v1", "organizations", "accounts", id, "remove"] if post && *id != "invite" => {
                account(Operation::RemoveAccount, id)
            }
            // `invite` is the fixed segment of the invitation route (POST), not an account.
            ["v1", "organizations", "accounts", id] if get && *id != "invite" => {
                account(Operation::ShowAccount, id)
            }
            other => {
                let (operation, handshake_id) = match other {
                    ["v1", "organizations", "accounts", "invite"] if post => {
                        (Operation::InviteAccount, None)
                    }
                    ["v1", "received-handshakes", id, "accept"] if post => {
                        (Operation::AcceptHandshake, Some(*id))
                    }
                    ["v1", "received-handshakes", id, "decline"] if post => {
                        (Operation::DeclineHandshake, Some(*id))
                    }
                    ["v1", "organizations", "handshakes", id, "cancel"] if post => {
                        (Operation::CancelHandshake, Some(*id))
                    }
                    ["v1", "organizations", "handshakes", id] if get => {
                        (Operation::ShowHandshake, Some(*id))
                    }
                    ["v1", "organizations", "handshakes"] if get => {
                        (Operation::ListHandshakes, None)
                    }
                    ["v1", "received-handshakes"] if get => {
                        (Operation::ListReceivedHandshakes, None)
                    }
                    _ => {
                        return Err(Failure::new(
                            ErrorKind::Unsupported,
                            format!(
                                "huawei organizations has no operation at {} {}",
                                shown(request.method),
                                shown(request.path)
                            ),
                        ))
                    }
                };
                (operation, handshake_id, None)
            }
        };
        let mut parts = Map::new();
        if let Some(path) = account_path {
            parts.insert("path".into(), Value::Object(path));
        }
        if let Some(id) = handshake_id {
            let mut path = Map::new();
            let id = percent_decode(id.as_bytes());
            path.insert("handshake_id".into(), Value::String(id));
            parts.insert("path".into(), Value::Object(path));
        }
        let query: Map<String, Value> = request
            .query_pairs()
            .into_iter()
            .map(|(key, value)| (key, Value::String(value)))
            .collect();
        if !query.is_empty() {
            parts.insert("query".into(), Value::Object(query));
        }
        if !request.body.iter().all(u8::is_ascii_whitespace) {
            let body: Value = serde_json::from_slice(request.body).map_err(|err| {
                Failure::invalid_input(
                    "body",
                    InputProblem::WrongType,
                    format!("the request body is not json: {err}"),
                )
            })?;
            parts.insert("body".into(), body);
        }
        Ok(Routed {
            operation: operation.as_str(),
            request: Value::Object(parts),
            credential: request.header("x-domain-id").map(str::to_owned),
        })
    }

    fn write_call(&self, request: &Request) -> Result<(&'static str, Value), EncodeError> {
        super::encode::write_call(request)
    }

    fn encode(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<OutgoingRequest, EncodeError> {
        super::encode::encode(operation, caller, request)
    }
}

/// Whether Huawei's timestamp form can write `at` (a four-digit year).
fn writable(at: chrono::DateTime<chrono::Utc>) -> bool {
    crate::provider::time::Stamp::of(at).is_some()
}

fn cannot_write(now: chrono::DateTime<chrono::Utc>) -> Failure {
    Failure::new(
        ErrorKind::Unsupported,
        format!("huawei cannot show a handshake changed at {now} (its timestamps run from year 0000 to 9999)"),
    )
}
