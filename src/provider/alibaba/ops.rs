//! The Alibaba operation layer: a Resource Directory request (the flat map of RPC query
//! parameters) in, Alibaba's reply (HTTP status and JSON body) out.
//!
//! [`handle`] reads the request into neutral values, calls **one** [`Ledger`] method and renders
//! its result with this module's response types ([`HandshakeResponse`],
//! [`ListHandshakesResponse`]), or renders the refusal with [`error_response`]. Every rule about
//! handshakes (who may act, states, expiry, retention, duplicates) is the ledger's; this layer
//! only knows Alibaba's parameters.
//!
//! | operation | parameters | ledger call |
//! |---|---|---|
//! | `InviteAccountToResourceDirectory` | `TargetEntity`, `TargetType` (required), `Note`, `Tag.N.Key`, `Tag.N.Value` | [`Ledger::invite`] (one new id) |
//! | `AcceptHandshake` / `DeclineHandshake` / `CancelHandshake` | `HandshakeId` (required) | [`Ledger::accept`] / [`Ledger::decline`] / [`Ledger::cancel`] |
//! | `GetHandshake` | `HandshakeId` (required) | [`Ledger::describe`] |
//! | `ListHandshakesForAccount` / `ListHandshakesForResourceDirectory` | `PageNumber` (≥ 1, default 1), `PageSize` (1–100, default 10) | [`Ledger::list_for_account`] / [`Ledger::list_for_organization`] (numbered pages) |
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
//! 4. Then the ledger, in its own order: existence and visibility, role, time, state,
//!    constraints; for an invitation that passed them all, the harness's new id ([`CallError`]
//!    when none is given).
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
//! - **New ids.** An invitation draws one id from [`Call::new_ids`] once every check has
//!   passed, so a refused call needs none; extra ids are ignored. A missing or malformed id,
//!   or one that a handshake still holds, is the harness's mistake ([`CallError`]), for which
//!   Alibaba has no code.
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
//! let reply = service.call(&Call {
//!     operation: "InviteAccountToResourceDirectory",
//!     caller: "1512666876910001",
//!     now: "2026-01-05T10:00:00Z".parse()?,
//!     request: &invite,
//!     new_ids: &["h-Ih8IuPfvV0t0Ab12".to_owned()],
//!     request_id: "5828C836-3286-49A6-9006-15231BB19342",
//! })?;
//! assert_eq!(reply.status, 200);
//! assert_eq!(reply.body["Handshake"]["Status"], "Pending");
//! assert_eq!(reply.body["Handshake"]["ExpireTime"], "2026-01-19T10:00:00Z");
//!
//! let accept = json!({"HandshakeId": "h-Ih8IuPfvV0t0Ab12"});
//! let reply = service.call(&Call {
//!     operation: "AcceptHandshake",
//!     caller: "1772422852740001",
//!     now: "2026-01-06T10:00:00Z".parse()?,
//!     request: &accept,
//!     new_ids: &[],
//!     request_id: "",
//! })?;
//! assert_eq!(reply.body["Handshake"]["Status"], "Accepted");
//! assert_eq!(reply.body["RequestId"], "00000000-0000-4000-8000-000000000000");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::error::{ErrorKind, Failure, InputError, InputProblem};
use crate::handshake::Membership;
use crate::handshake::{Handshake, Party};
use crate::id::{AccountId, Email, HandshakeId, Notes};
use crate::ledger::{HandshakeFilter, InviteRequest, Ledger, LedgerError, PageRequest};
use crate::policy::Profile;
use crate::provider::{new_id_mistake, with_new_ids, Call, CallError, Provider, Refusal, Reply};

#[cfg(doc)]
use super::ERROR_CODES;
use super::{
    check_expressible, error_response, format_time, parse_account_id, HandshakeResponse,
    ListHandshakesResponse, Operation, PageInfo, TargetType, DEFAULT_PAGE_SIZE, DEFAULT_REQUEST_ID,
    MAX_PAGE_SIZE,
};

/// The greatest `PageNumber`: Alibaba's `Integer` is a signed 32-bit number.
const MAX_PAGE_NUMBER: u32 = i32::MAX as u32;

/// Answers one call as Alibaba Resource Directory does.
///
/// # Errors
///
/// [`CallError`] when an invitation is well formed but [`Call::new_ids`] gives no valid id for
/// it; every other problem is Alibaba's own error reply (an `Ok` with a 4xx status).
///
/// # Example: a missing parameter
///
/// ```
/// use org_handshake::ledger::{Ledger, World};
/// use org_handshake::provider::{alibaba, Call};
/// use org_handshake::Profile;
///
/// let mut ledger = Ledger::new(Profile::ALIBABA, &World::default())?;
/// let request = serde_json::json!({});
/// let reply = alibaba::ops::handle(&mut ledger, &Call {
///     operation: "GetHandshake",
///     caller: "1772422852740001",
///     now: "2026-01-05T10:00:00Z".parse()?,
///     request: &request,
///     new_ids: &[],
///     request_id: "r-1",
/// })?;
/// assert_eq!(reply.status, 400);
/// assert_eq!(reply.body["Code"], "MissingParameter.HandshakeId");
/// assert_eq!(reply.body["RequestId"], "r-1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn handle(ledger: &mut Ledger, call: &Call<'_>) -> Result<Reply, CallError> {
    let request_id = if call.request_id.is_empty() {
        DEFAULT_REQUEST_ID
    } else {
        call.request_id
    };
    match answer(ledger, call, request_id) {
        Ok(reply) => Ok(reply),
        Err(Refusal::Harness(err)) => Err(err),
        Err(Refusal::Provider(failure)) => Ok(Reply::from(error_response(&failure, request_id))),
    }
}

impl From<LedgerError> for Refusal {
    fn from(err: LedgerError) -> Self {
        match new_id_mistake(Provider::Alibaba, &err) {
            Some(mistake) => Refusal::Harness(mistake),
            None => Refusal::Provider(ledger_failure(err)),
        }
    }
}

fn answer(ledger: &mut Ledger, call: &Call<'_>, request_id: &str) -> Result<Reply, Refusal> {
    let operation: Operation = call.operation.parse().map_err(|_| {
        Failure::invalid_input(
            "Action",
            InputProblem::UnknownValue,
            format!(
                "unknown operation `{}`",
                call.operation.chars().take(64).collect::<String>()
            ),
        )
    })?;
    let caller = parse_account_id(call.caller, "caller").map_err(|err| {
        Failure::invalid_input(
            "AccessKeyId",
            InputProblem::InvalidPattern,
            format!("the caller is not an alibaba account: {err}"),
        )
    })?;
    let query = Query::new(call.request)?;
    let now = call.now;
    match operation {
        Operation::InviteAccountToResourceDirectory => {
            invite(ledger, &query, call, caller, request_id)
        }
        Operation::AcceptHandshake => {
            let id = handshake_id(&query)?;
            check_stored(ledger, caller, id)?;
            single(&ledger.accept(caller, id, now)?.handshake, request_id)
        }
        Operation::DeclineHandshake => {
            let id = handshake_id(&query)?;
            check_stored(ledger, caller, id)?;
            single(&ledger.decline(caller, id, now)?.handshake, request_id)
        }
        Operation::CancelHandshake => {
            let id = handshake_id(&query)?;
            check_stored(ledger, caller, id)?;
            single(&ledger.cancel(caller, id, now)?.handshake, request_id)
        }
        Operation::GetHandshake => {
            let id = handshake_id(&query)?;
            single(&ledger.describe(caller, id, now)?, request_id)
        }
        Operation::ListHandshakesForAccount | Operation::ListHandshakesForResourceDirectory => {
            let page_number = query.integer("PageNumber", 1, 1, MAX_PAGE_NUMBER)?;
            let page_size = query.integer("PageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)?;
            let request = PageRequest::Number {
                number: usize::try_from(page_number).unwrap_or(usize::MAX),
                size: usize::try_from(page_size).unwrap_or(usize::MAX),
            };
            let page = if operation == Operation::ListHandshakesForAccount {
                ledger.list_for_account(caller, HandshakeFilter::NONE, &request, now)?
            } else {
                ledger.list_for_organization(caller, HandshakeFilter::NONE, &request, now)?
            };
            let total_count = page
                .total_count
                .and_then(|total| u32::try_from(total).ok())
                .ok_or_else(|| unsupported("a listing of more than 4294967295 handshakes"))?;
            let info = PageInfo {
                page_number,
                page_size,
                total_count,
            };
            let response = ListHandshakesResponse::new(&page.handshakes, info, request_id)
                .map_err(|err| unsupported(&err.to_string()))?;
            success(&response)
        }
    }
}

/// `InviteAccountToResourceDirectory`.
fn invite(
    ledger: &mut Ledger,
    query: &Query<'_>,
    call: &Call<'_>,
    caller: AccountId,
    request_id: &str,
) -> Result<Reply, Refusal> {
    let entity = query.required("TargetEntity")?;
    let target_type = query.required("TargetType")?;
    let target_type: TargetType = target_type.parse().map_err(|err| {
        Failure::invalid_input(
            "TargetType",
            InputProblem::UnknownValue,
            format!("{err} (Account or Email)"),
        )
    })?;
    let target = match target_type {
        TargetType::Account => parse_account_id(&entity, "TargetEntity")
            .map(Party::Account)
            .map_err(|err| {
                Failure::invalid_input(
                    "TargetEntity",
                    InputProblem::InvalidPattern,
                    err.to_string(),
                )
            })?,
        TargetType::Email => Email::parse(&entity).map(Party::Email).map_err(|err| {
            Failure::invalid_input("TargetEntity", InputProblem::InvalidEmail, err.to_string())
        })?,
    };
    let notes = match query.text("Note")? {
        Some(text) => Some(Notes::parse(&text).map_err(|err| {
            Failure::invalid_input("Note", InputProblem::TooLong, err.to_string())
        })?),
        None => None,
    };
    query.check_tags()?;

    check_sender(ledger, caller, call.now)?;

    let mut request = InviteRequest::new(target);
    request.notes = notes;
    let changed = with_new_ids(call.new_ids, |ids| {
        ledger.invite(caller, request, ids, call.now)
    })?;
    single(&changed.handshake, request_id)
}

/// The `HandshakeId` parameter: required, `h-` + 16 letters or digits.
fn handshake_id(query: &Query<'_>) -> Result<HandshakeId, Failure> {
    let text = query.required("HandshakeId")?;
    Profile::ALIBABA.parse_handshake_id(&text).map_err(|err| {
        Failure::invalid_input("HandshakeId", InputProblem::InvalidPattern, err.to_string())
    })
}

/// Refuses, before the ledger changes, an invitation Alibaba could not show: one from an
/// organization that is not a resource directory, or one expiring after the year 9999.
fn check_sender(ledger: &Ledger, caller: AccountId, now: DateTime<Utc>) -> Result<(), Failure> {
    if let Membership::Management(org) = ledger.membership(&caller) {
        if !org.as_str().starts_with("rd-") {
            return Err(unsupported(&format!(
                "organization {org}, which is not a resource directory"
            )));
        }
    }
    let expires_at = now
        .checked_add_signed(ledger.profile().invite_validity)
        .ok_or_else(|| unsupported("times after the year 9999"))?;
    format_time(expires_at, "Handshake.ExpireTime")
        .map(drop)
        .map_err(|err| unsupported(&err.to_string()))
}

/// Refuses, before the ledger changes, a call by a party on a stored handshake Alibaba cannot
/// show (restored from another provider's world). Others get the ledger's answer, so existence
/// does not leak.
fn check_stored(ledger: &Ledger, caller: AccountId, id: HandshakeId) -> Result<(), Failure> {
    match ledger.stored(&id) {
        Some(stored) if stored.is_party(&caller) => {
            check_expressible(stored).map_err(|err| unsupported(&err.to_string()))
        }
        _ => Ok(()),
    }
}

/// A single-handshake response (the handshake as the ledger returns it, observed at `now`).
fn single(handshake: &Handshake, request_id: &str) -> Result<Reply, Refusal> {
    let response = HandshakeResponse::new(handshake, request_id)
        .map_err(|err| unsupported(&err.to_string()))?;
    success(&response)
}

fn success(body: &impl serde::Serialize) -> Result<Reply, Refusal> {
    let body = serde_json::to_value(body).map_err(|err| unsupported(&err.to_string()))?;
    Ok(Reply { status: 200, body })
}

fn unsupported(what: &str) -> Failure {
    Failure::new(
        ErrorKind::Unsupported,
        format!("alibaba cannot express {what}"),
    )
}

/// The ledger's refusal, with its neutral parameter renamed to Alibaba's.
fn ledger_failure(err: LedgerError) -> Failure {
    let mut failure = Failure::from(err);
    failure.input = failure.input.take().and_then(|input| {
        let parameter = match input.parameter.as_str() {
            "target" => "TargetEntity",
            "page_number" => "PageNumber",
            "page_size" => "PageSize",
            // New ids are the harness's, tokens and filters are not Alibaba's: no parameter
            // of the request is at fault.
            _ => return None,
        };
        Some(InputError {
            parameter: parameter.to_owned(),
            problem: input.problem,
        })
    });
    failure
}

/// The request: a flat map of query parameters.
struct Query<'a> {
    params: Option<&'a Map<String, Value>>,
}

impl<'a> Query<'a> {
    fn new(request: &'a Value) -> Result<Self, Failure> {
        match request {
            Value::Object(params) => Ok(Query {
                params: Some(params),
            }),
            Value::Null => Ok(Query { params: None }),
            _ => Err(Failure::new(
                ErrorKind::InvalidInput,
                "the request is not a map of query parameters",
            )),
        }
    }

    /// The parameter's query text; `None` when absent, `null` or empty.
    fn text(&self, name: &str) -> Result<Option<Cow<'a, str>>, Failure> {
        let value = self.params.and_then(|params| params.get(name));
        query_text(name, value)
    }

    /// A required parameter's query text.
    fn required(&self, name: &str) -> Result<Cow<'a, str>, Failure> {
        self.text(name)?.ok_or_else(|| {
            Failure::invalid_input(
                name,
                InputProblem::Missing,
                format!("{} is required", name.to_lowercase()),
            )
        })
    }

    /// An integer parameter in `min..=max`, `default` when not given.
    fn integer(&self, name: &str, default: u32, min: u32, max: u32) -> Result<u32, Failure> {
        let Some(text) = self.text(name)? else {
            return Ok(default);
        };
        let invalid = |problem, reason: String| Failure::invalid_input(name, problem, reason);
        let shown = || text.chars().take(64).collect::<String>();
        let number: i128 = text.parse().map_err(|_| {
            invalid(
                InputProblem::WrongType,
                format!("`{}` is not an integer", shown()),
            )
        })?;
        if number < i128::from(min) {
            return Err(invalid(
                InputProblem::TooSmall,
                format!("{number} is below {min}"),
            ));
        }
        u32::try_from(number)
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| invalid(InputProblem::TooLarge, format!("{number} is above {max}")))
    }

    /// Checks that every `Tag.N.Key` / `Tag.N.Value` is query text.
    fn check_tags(&self) -> Result<(), Failure> {
        for (name, value) in self.params.into_iter().flatten() {
            if is_tag_parameter(name) {
                query_text(name, Some(value))?;
            }
        }
        Ok(())
    }
}

/// What `value` would be in a query string: `None` for absent, `null` or empty.
fn query_text<'a>(name: &str, value: Option<&'a Value>) -> Result<Option<Cow<'a, str>>, Failure> {
    let text = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => Cow::Borrowed(text.as_str()),
        Some(Value::Number(number)) => Cow::Owned(number.to_string()),
        Some(Value::Bool(flag)) => Cow::Borrowed(if *flag { "true" } else { "false" }),
        Some(Value::Array(_) | Value::Object(_)) => {
            return Err(Failure::invalid_input(
                name,
                InputProblem::WrongType,
                format!(
                    "{} must be a single query value",
                    name.chars().take(64).collect::<String>()
                ),
            ))
        }
    };
    Ok(if text.is_empty() { None } else { Some(text) })
}

/// `Tag.N.Key` or `Tag.N.Value`, N a decimal number from 1.
fn is_tag_parameter(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("Tag.") else {
        return false;
    };
    let Some((index, field)) = rest.split_once('.') else {
        return false;
    };
    let numbered =
        !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) && !index.starts_with('0');
    numbered && matches!(field, "Key" | "Value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_parameters_are_numbered_from_one() {
        assert!(is_tag_parameter("Tag.1.Key"));
        assert!(is_tag_parameter("Tag.20.Value"));
        for other in [
            "Tag",
            "Tag.0.Key",
            "Tag.01.Key",
            "Tag.x.Key",
            "Tag.1.Name",
            "Tag.1",
        ] {
            assert!(!is_tag_parameter(other), "{other}");
        }
    }

    #[test]
    fn query_text_follows_the_wire() {
        let text = |v: Value| query_text("P", Some(&v)).map(|t| t.map(Cow::into_owned));
        assert_eq!(text(Value::from(12)).ok(), Some(Some("12".to_owned())));
        assert_eq!(text(Value::from(true)).ok(), Some(Some("true".to_owned())));
        assert_eq!(text(Value::from("")).ok(), Some(None));
        assert_eq!(text(Value::Null).ok(), Some(None));
        assert!(text(serde_json::json!([1])).is_err());
        assert!(text(serde_json::json!({"a": 1})).is_err());
    }
}
