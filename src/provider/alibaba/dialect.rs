//! [`Alibaba`]: the Alibaba Cloud Resource Directory [`Dialect`]: a request (the flat map of RPC
//! query parameters) in, Alibaba's reply (HTTP status and JSON body) out.
//!
//! The dialect reads the request into neutral values; the [`Service`](crate::provider::Service)
//! driver calls **one** [`Ledger`] method and renders its result with this module's response
//! types ([`HandshakeResponse`], [`ListHandshakesResponse`]), or the refusal with the row of
//! [`ERROR_CODES`]. Every rule about
//! handshakes (who may act, states, expiry, retention, duplicates) is the ledger's; this layer
//! only knows Alibaba's parameters.
//!
//! | operation | parameters | ledger call |
//! |---|---|---|
//! | `InviteAccountToResourceDirectory` | `TargetEntity`, `TargetType` (required), `Note`, `Tag.N.Key`, `Tag.N.Value` | [`Ledger::invite`] (one new id) |
//! | `AcceptHandshake` / `DeclineHandshake` / `CancelHandshake` | `HandshakeId` (required) | [`Ledger::accept`] / [`Ledger::decline`] / [`Ledger::cancel`] |
//! | `GetHandshake` | `HandshakeId` (required) | [`Ledger::describe`] |
//! | `ListHandshakesForAccount` / `ListHandshakesForResourceDirectory` | `PageNumber` (≥ 1, default 1), `PageSize` (1–100, default 10) | [`Ledger::list_for_account`] / [`Ledger::list_for_organization`] (numbered pages) |
//! | `EnableResourceDirectory` | `EnableMode` (required; `CurrentAccount` only, `NewManagementAccount` is unsupported) | [`Ledger::create_organization`] (one new directory id) |
//! | `GetResourceDirectory` / `DestroyResourceDirectory` | none | [`Ledger::describe_organization`] / [`Ledger::delete_organization`] |
//! | `ListAccounts` | `PageNumber`, `PageSize` as above | [`Ledger::list_accounts`] (numbered pages) |
//! | `GetAccount` / `RemoveCloudAccount` | `AccountId` (required, 16 digits) | [`Ledger::describe_account`] / [`Ledger::remove_account`] |
//!
//! Every response, success or error, carries `RequestId`: [`Call::request_id`], or
//! [`DEFAULT_REQUEST_ID`] when that is empty.
//!
//! # Order of checks
//!
//! 1. The operation name (`Action`): one of the seven [`Operation`]s, else
//!    `InvalidAction.NotFound` (404).
//! 2. The caller: an Alibaba account id (16 digits), else `InvalidAccessKeyId.NotFound` (404).
//! 3. The request's own form, parameter by parameter in the order of the table above (for an
//!    invitation: `TargetEntity` and `TargetType` present, then `TargetType`'s value, then
//!    `TargetEntity`'s value for that type, then `Note`, then tags): `MissingParameter.<P>` /
//!    `InvalidParameter.<P>` (400), `InvalidParameter.Note.Length` for a note over 1,024
//!    characters.
//! 4. For an invitation: the harness's new id ([`CallError`](crate::provider::CallError) when none is given).
//! 5. Then the ledger, in its own order: existence and visibility, role, time, state,
//!    constraints.
//!
//! # Decisions where the documents are silent (none verified against the live service)
//!
//! - **Parameters are query text.** On the wire every parameter is a string, so a request
//!   value is read as the text it would have in the query: a JSON string as itself, a number
//!   as its JSON spelling, a boolean as `true`/`false`. `PageNumber` and `PageSize` must then be
//!   decimal integers (`"2"` and `2` are the same request; `1.5`, `"two"` and `-1` are
//!   `InvalidParameter.<P>`); `PageNumber` at most 2,147,483,647 (Alibaba's `Integer`).
//! - **Wrong JSON types.** An array or an object (after `$ref`s are resolved) cannot be a query
//!   value: `InvalidParameter.<P>`. A `null` or an empty string is a parameter not given, as
//!   Alibaba's SDKs drop unset values (a required one is then `MissingParameter.<P>`).
//! - **A request that is not a JSON object** (and not `null`, which is an empty request):
//!   `InvalidParameter` naming no parameter (400).
//! - **Unknown parameters are ignored**, as the RPC gateway ignores parameters an API does not
//!   define; the common parameters (`Action`, `Version`, `AccessKeyId`, `Signature`, …) may
//!   therefore appear and are ignored too. The operation is [`Call::operation`], whatever an
//!   `Action` parameter says.
//! - **Tags.** `Tag.N.Key` / `Tag.N.Value` (N from 1, as the RPC form numbers them) are
//!   accepted and checked to be query text; no limits are documented, and the handshake object
//!   has no tags, so they are not kept. Other keys starting with `Tag.` are unknown parameters.
//! - **An unknown operation name** answers the RPC gateway's common `InvalidAction.NotFound`
//!   (404), not a handshake error.
//! - **A malformed caller id** cannot have signed a request: `InvalidAccessKeyId.NotFound`
//!   (404), Alibaba's common error for a key it does not know. A well-formed id the world does
//!   not list is an account in no resource directory.
//! - **New ids.** An invitation needs one id from [`Call::new_ids`] once its request is well
//!   formed; extra ids are ignored. A missing or malformed id, or one that a handshake still
//!   holds, is the harness's mistake ([`CallError`](crate::provider::CallError)), not an
//!   Alibaba reply, as for every provider.
//! - **Real names.** `GetHandshake` shows `InvitedAccountRealName` and
//!   `MasterAccountRealName` to the invited account; the model has no real-name data, so they
//!   are never shown.
//! - **A world Alibaba cannot express** (an `o-…` organization, times past the year 9999):
//!   an invitation that could not be rendered is refused before the ledger changes, with
//!   `UnsupportedOperation` (400); so is any call on a stored handshake Alibaba cannot
//!   express, for a party of it (strangers still get `EntityNotExists.Handshake`).
//!
//! The error codes themselves, with what is verified, are in [`ERROR_CODES`].
//!
//! # Example: invite, then accept
//!
//! ```
//! use org_handshake::ledger::World;
//! use org_handshake::provider::{Call, Provider, Service};
//! use serde_json::json;
//!
//! let world: World = serde_json::from_value(json!({
//!     "organizations": [{"id": "rd-3G6rzX", "feature_set": "ALL",
//!         "management_account": {"id": "1512666876910001", "name": "CompanyA"}}],
//!     "accounts": [{"id": "1772422852740001", "name": "juan", "email": "juan@example.com"}]
//! }))?;
//! let mut service = Service::new(Provider::Alibaba, &world)?;
//! let invite = json!({"TargetEntity": "juan@example.com", "TargetType": "Email", "Note": "Welcome"});
//! let reply = service.call(&Call::new("InviteAccountToResourceDirectory", "1512666876910001", "2026-01-05T10:00:00Z".parse()?, &invite).with_new_ids(&["h-Ih8IuPfvV0t0Ab12"]).with_request_id("5828C836-3286-49A6-9006-15231BB19342"))?;
//! assert_eq!(reply.status, 200);
//! assert_eq!(reply.json()["Handshake"]["Status"], "Pending");
//! assert_eq!(reply.json()["Handshake"]["ExpireTime"], "2026-01-19T10:00:00Z");
//!
//! let accept = json!({"HandshakeId": "h-Ih8IuPfvV0t0Ab12"});
//! let reply = service.call(&Call::new("AcceptHandshake", "1772422852740001", "2026-01-06T10:00:00Z".parse()?, &accept))?;
//! assert_eq!(reply.json()["Handshake"]["Status"], "Accepted");
//! assert_eq!(reply.json()["RequestId"], "00000000-0000-4000-8000-000000000000");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::error::{ErrorKind, Failure, InputProblem};
use crate::handshake::Handshake;
use crate::id::{AccountId, OrganizationId};
#[cfg(doc)]
use crate::ledger::Ledger;
use crate::ledger::{Page, PageRequest, Parameter};
use crate::policy::Profile;
use crate::provider::dialect::{
    form_pairs, Description, Dialect, ErrorAnswer, HttpRequest, ReplyContext, Request, Routed,
    Success,
};
#[cfg(doc)]
use crate::provider::Call;
use crate::provider::{json_text, shown, WireError};
use crate::provider::{EncodeError, OutgoingRequest};

use super::handshake::{format_time, parse_account_id};
use super::membership;
use super::request::read_request;
use super::{check_expressible, Operation, PageInfo, DEFAULT_REQUEST_ID, ERROR_CODES, HOST_ID};

/// The RPC protocol's own parameters (both signature styles), which are not the operation's.
const PROTOCOL_PARAMETERS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "Signature",
    "SecurityToken",
    "RegionId",
];

/// Alibaba Cloud Resource Directory as a [`Dialect`].
///
/// ```
/// use org_handshake::provider::{alibaba::Alibaba, Dialect, HttpRequest};
/// // The older RPC style: everything in the query string.
/// let request = HttpRequest::new("GET", "/")
///     .with_query("Action=GetHandshake&Version=2020-03-31&AccessKeyId=1772422852740001&HandshakeId=h-Ih8IuPfvV0t0Ab12&Signature=x");
/// let routed = Alibaba.route(&request)?;
/// assert_eq!(routed.operation, "GetHandshake");
/// assert_eq!(routed.request, serde_json::json!({"HandshakeId": "h-Ih8IuPfvV0t0Ab12"}));
/// assert_eq!(routed.credential.as_deref(), Some("1772422852740001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Alibaba;

/// Alibaba Cloud Resource Directory as data. Its default world is the resource directory
/// `rd-3G****` of management account `151266687691****` (CompanyA) and the invited account
/// `177242285274****` of the `AcceptHandshake` example; the documents mask the last
/// characters, which the world fills in (`rd-3G6rzX`, the accounts with `0000`), with three
/// more accounts.
pub const ALIBABA: Description = Description {
    name: "alibaba",
    profile: Profile::ALIBABA,
    operations: Operation::NAMES,
    error_table: ERROR_CODES,
    default_request_id: DEFAULT_REQUEST_ID,
    request_id_in_body: true,
    default_world: include_str!("world.json"),
};

impl Dialect for Alibaba {
    fn description(&self) -> &'static Description {
        &ALIBABA
    }

    fn parameter(&self, parameter: Parameter) -> Option<&'static str> {
        match parameter {
            Parameter::Target => Some("TargetEntity"),
            Parameter::PageNumber => Some("PageNumber"),
            Parameter::PageSize => Some("PageSize"),
            // New ids are the harness's, tokens and filters are not Alibaba's: no parameter
            // of the request is at fault.
            _ => None,
        }
    }

    fn account_id(&self, text: &str) -> Option<AccountId> {
        parse_account_id(text, "AccessKeyId").ok()
    }

    fn organization_id(&self, text: &str) -> Option<OrganizationId> {
        // A resource directory: `rd-` and letters or digits.
        let body = text.strip_prefix("rd-")?;
        let shaped = !body.is_empty() && body.bytes().all(|b| b.is_ascii_alphanumeric());
        shaped.then(|| OrganizationId::parse(text).ok()).flatten()
    }

    fn read_call(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<(AccountId, Request), Failure> {
        let operation = operation_named(operation)?;
        let caller = parse_account_id(caller, "caller").map_err(|err| {
            Failure::invalid_input(
                "AccessKeyId",
                InputProblem::InvalidPattern,
                format!("the caller is not an alibaba account: {err}"),
            )
        })?;
        Ok((caller, read_request(operation, request)?))
    }

    /// Refuses an invitation Alibaba could not show: one from an organization that is not a
    /// resource directory, or one expiring after the year 9999.
    fn check_new(&self, sender: Option<OrganizationId>, now: DateTime<Utc>) -> Result<(), Failure> {
        if let Some(org) = sender {
            if !org.as_str().starts_with("rd-") {
                return Err(unsupported(&format!(
                    "organization {org}, which is not a resource directory"
                )));
            }
        }
        let expires_at = now
            .checked_add_signed(ALIBABA.profile.invite_validity)
            .ok_or_else(|| unsupported("times after the year 9999"))?;
        format_time(expires_at)
            .map(drop)
            .map_err(|err| unsupported(&err.to_string()))
    }

    /// Refuses a call on a stored handshake Alibaba cannot show (restored from another
    /// provider's world).
    fn check_stored(&self, stored: &Handshake, now: DateTime<Utc>) -> Result<(), Failure> {
        check_expressible(stored).map_err(|err| unsupported(&err.to_string()))?;
        // The change happens at `now`, which the reply shows as `ModifyTime`.
        format_time(now)
            .map(drop)
            .map_err(|err| unsupported(&err.to_string()))
    }

    fn render_success(
        &self,
        success: Success<'_>,
        reply: &ReplyContext<'_>,
    ) -> Result<String, WireError> {
        match success {
            Success::Handshake(handshake) => {
                super::response::handshake_body(handshake, reply.request_id)
            }
            Success::Handshakes { page, request } => page_body(page, request, reply.request_id),
            Success::Organization(organization) => {
                // EnableResourceDirectory answers the short form; GetResourceDirectory adds
                // the statuses.
                let described = reply.operation == "GetResourceDirectory";
                membership::directory_body(organization, described, reply.request_id)
            }
            Success::Account(account) => membership::account_body(account, reply.request_id),
            Success::Accounts { page, request } => {
                membership::accounts_body(page, request, reply.request_id)
            }
            Success::Empty => membership::empty_body(reply.request_id),
        }
    }

    fn render_error(&self, error: &ErrorAnswer<'_>, reply: &ReplyContext<'_>) -> String {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Body<'a> {
            code: &'a str,
            host_id: &'a str,
            message: &'a str,
            request_id: &'a str,
        }
        json_text(&Body {
            code: error.code,
            host_id: HOST_ID,
            message: error.message,
            request_id: reply.request_id,
        })
    }

    fn reply_headers(
        &self,
        _error: Option<&ErrorAnswer<'_>>,
        _reply: &ReplyContext<'_>,
    ) -> Vec<(&'static str, String)> {
        // The request id travels in the body (`RequestId`), not in a header.
        vec![("Content-Type", "application/json;charset=utf-8".to_owned())]
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
        // `x-acs-version` too: a request that names the ACS API version but no action is still
        // an Alibaba client's, and gets Alibaba's own refusal of the missing action. And the
        // older RPC style by POST, whose `Action` may travel in the form body.
        let form_action = || {
            request.header("content-type").is_some_and(|t| {
                t.to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            }) && form_pairs(request.body)
                .iter()
                .any(|(key, _)| key == "Action")
        };
        request.header("x-acs-action").is_some()
            || request.header("x-acs-version").is_some()
            || request.query_pairs().iter().any(|(key, _)| key == "Action")
            || form_action()
    }

    fn route(&self, request: &HttpRequest<'_>) -> Result<Routed, Failure> {
        let mut pairs = request.query_pairs();
        let content_type = request.header("content-type").unwrap_or_default();
        if content_type.contains("json") {
            // A body that is no JSON object names no parameter: Alibaba's plain InvalidParameter.
            let body: Map<String, Value> = serde_json::from_slice(request.body).map_err(|err| {
                Failure::new(
                    ErrorKind::InvalidInput,
                    format!("the request body is not a json object: {err}"),
                )
            })?;
            for (key, value) in body {
                let text = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                pairs.push((key, text));
            }
        } else if !request.body.iter().all(u8::is_ascii_whitespace) {
            // The RPC form body: `application/x-www-form-urlencoded`, whatever the header says.
            pairs.extend(form_pairs(request.body));
        }
        let action = request
            .header("x-acs-action")
            .map(str::to_owned)
            .or_else(|| {
                pairs
                    .iter()
                    .find(|(key, _)| key == "Action")
                    .map(|(_, value)| value.clone())
            })
            .unwrap_or_default();
        let operation = operation_named(&action)?;
        let credential = request
            .header("authorization")
            .and_then(|auth| auth.split_once("Credential="))
            .and_then(|(_, rest)| rest.split([',', ' ', '/']).next())
            .filter(|key| !key.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                pairs
                    .iter()
                    .find(|(key, _)| key == "AccessKeyId")
                    .map(|(_, value)| value.clone())
            });
        let parameters: Map<String, Value> = pairs
            .into_iter()
            .filter(|(key, _)| !PROTOCOL_PARAMETERS.contains(&key.as_str()))
            .map(|(key, value)| (key, Value::String(value)))
            .collect();
        Ok(Routed {
            operation: operation.as_str(),
            request: Value::Object(parameters),
            credential,
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

/// An Alibaba operation by name, or the RPC gateway's refusal of an unknown one.
fn operation_named(name: &str) -> Result<Operation, Failure> {
    name.parse().map_err(|_| {
        Failure::invalid_input(
            "Action",
            InputProblem::UnknownValue,
            format!("unknown operation `{}`", shown(name)),
        )
    })
}

fn unsupported(what: &str) -> Failure {
    Failure::new(
        ErrorKind::Unsupported,
        format!("alibaba cannot express {what}"),
    )
}

/// The body of a page of a listing: `page` as the ledger returned it for `request`, with its
/// `PageNumber`, `PageSize` and `TotalCount`.
fn page_body(page: &Page, request: &PageRequest, request_id: &str) -> Result<String, WireError> {
    let too_large = |what: &str| WireError::Unsupported {
        provider: "alibaba",
        what: what.to_owned(),
    };
    let (number, size) = match request {
        PageRequest::Number { number, size } => (*number, *size),
        PageRequest::Token { max_results, .. } => (1, *max_results),
    };
    let info = PageInfo {
        page_number: u32::try_from(number)
            .map_err(|_| too_large("a page number above 4294967295"))?,
        page_size: u32::try_from(size).map_err(|_| too_large("a page size above 4294967295"))?,
        total_count: page
            .total_count
            .and_then(|total| u32::try_from(total).ok())
            .ok_or_else(|| too_large("a listing of more than 4294967295 handshakes"))?,
    };
    super::response::page_body(&page.handshakes, info, request_id)
}
