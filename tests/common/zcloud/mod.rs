//! zcloud, a made-up fourth cloud written from the tests alone: the proof that a provider is
//! one folder that fills in [`Dialect`], plus one line in the test registry
//! ([`crate::common::registry`]). Nothing in the crate's driver, ledger or core knows it.
//!
//! - **Ids**: handshakes `h-` + 12 lower-case letters or digits (its [`Profile`]'s id rule),
//!   accounts 10 digits, organizations ("groups") the neutral `o-…`.
//! - **Operations**: `zc.invite`, `zc.accept`, `zc.decline`, `zc.cancel`, `zc.get`, `zc.inbox`
//!   (received), `zc.outbox` (sent); a request is a JSON object with `to` and `memo`
//!   (invite), `ref` (one handshake) or `size` and `cursor` (listings). Unknown keys are
//!   refused. Groups ([`membership`]): `zc.create`, `zc.group`, `zc.disband`, `zc.members`,
//!   `zc.member` and `zc.remove` (`account`), `zc.leave`; no feature sets, no enabling of all
//!   features.
//! - **Replies**: `{"handshake": …}`, `{"items": […], "cursor": …}`, `{"group": …}`,
//!   `{"member": …}`, `{"members": […], "cursor": …}`, `{}`; errors
//!   `{"fault": {"code", "text"}, "trace"}` with three codes ([`error`]); headers
//!   `Content-Type: application/vnd.zcloud+json` and `Zc-Trace` (the request id).
//! - **HTTP**: `POST /zc`, the operation in `Zc-Op`, the caller in `Zc-Account`, the request as
//!   the JSON body.

pub mod error;
pub mod fixtures;
pub mod handshake;
pub mod membership;

use chrono::TimeDelta;
use org_handshake::ledger::{HandshakeFilter, Page, PageRequest, Parameter};
use org_handshake::provider::{
    Description, Dialect, EncodeError, ErrorAnswer, HttpRequest, Listing, OutgoingRequest,
    ReplyContext, Request, Routed, Success, WireError,
};
use org_handshake::{
    AccountId, ErrorKind, Failure, Handshake, HandshakeId, HandshakeIdRule, InputProblem, Party,
    Profile,
};
use serde_json::{json, Map, Value};

/// zcloud's operations, in order.
pub const OPERATIONS: &[&str] = &[
    "zc.invite",
    "zc.accept",
    "zc.decline",
    "zc.cancel",
    "zc.get",
    "zc.inbox",
    "zc.outbox",
    "zc.create",
    "zc.group",
    "zc.disband",
    "zc.members",
    "zc.member",
    "zc.leave",
    "zc.remove",
];

/// The content type of every reply.
pub const CONTENT_TYPE: &str = "application/vnd.zcloud+json";

/// The largest (and default) listing page.
const MAX_SIZE: u64 = 50;
const DEFAULT_SIZE: u64 = 10;

/// zcloud as a [`Dialect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Zcloud;

/// The one zcloud dialect, for [`Service::with_dialect`](org_handshake::provider::Service::with_dialect).
pub static ZCLOUD: Zcloud = Zcloud;

/// zcloud's profile: invitations only, valid 7 days, 5 a day, ids `h-` + 12 characters.
pub const PROFILE: Profile = Profile {
    name: org_handshake::ProfileName::from_static("zcloud"),
    invite_validity: TimeDelta::days(7),
    enable_all_features_validity: None,
    other_validity: None,
    daily_invitation_quota: Some(5),
    handshake_id: HandshakeIdRule {
        min_len: 12,
        max_len: 12,
        lowercase_only: true,
    },
    account_id: org_handshake::AccountIdRule {
        min_len: 10,
        max_len: 10,
        characters: org_handshake::AccountIdCharacters::Digits,
    },
    organization_id: org_handshake::OrganizationIdRule::AWS,
    time_precision: TimeDelta::seconds(1),
};

/// zcloud's profile (see [`PROFILE`]).
pub fn profile() -> &'static Profile {
    &DESCRIPTION.profile
}

/// What zcloud is: its name, profile, operations, error table, request-id rule (a `Zc-Trace`
/// header, none of its own) and default world.
pub static DESCRIPTION: Description = Description {
    name: "zcloud",
    profile: PROFILE,
    operations: OPERATIONS,
    error_table: error::ERROR_CODES,
    default_request_id: "",
    request_id_in_body: false,
    default_world: include_str!("world.json"),
};

/// A zcloud account id: exactly 10 ASCII digits.
pub fn account_id(text: &str) -> Option<AccountId> {
    (text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn shown(text: &str) -> String {
    text.chars().take(64).collect()
}

fn invalid(parameter: &str, problem: InputProblem, message: impl Into<String>) -> Failure {
    Failure::invalid_input(parameter, problem, message)
}

/// The request's keys, refusing any outside `allowed`.
fn object<'v>(request: &'v Value, allowed: &[&str]) -> Result<&'v Map<String, Value>, Failure> {
    let object = request.as_object().ok_or_else(|| {
        invalid(
            "request",
            InputProblem::WrongType,
            "a zcloud request is a json object",
        )
    })?;
    if let Some(key) = object.keys().find(|key| !allowed.contains(&key.as_str())) {
        return Err(invalid(
            &shown(key),
            InputProblem::UnknownValue,
            format!("`{}` is not a parameter of this operation", shown(key)),
        ));
    }
    Ok(object)
}

fn string<'v>(object: &'v Map<String, Value>, key: &str) -> Result<Option<&'v str>, Failure> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(invalid(
            key,
            InputProblem::WrongType,
            format!("`{key}` is a string"),
        )),
    }
}

fn handshake_ref(request: &Value) -> Result<HandshakeId, Failure> {
    let object = object(request, &["ref"])?;
    let text = string(object, "ref")?
        .ok_or_else(|| invalid("ref", InputProblem::Missing, "`ref` is required"))?;
    profile()
        .parse_handshake_id(text)
        .map_err(|err| invalid("ref", InputProblem::InvalidPattern, err.to_string()))
}

/// The `account` of `zc.member` and `zc.remove`: required, 10 digits.
fn member_account(request: &Value) -> Result<AccountId, Failure> {
    let object = object(request, &["account"])?;
    let text = string(object, "account")?
        .ok_or_else(|| invalid("account", InputProblem::Missing, "`account` is required"))?;
    account_id(text).ok_or_else(|| {
        invalid(
            "account",
            InputProblem::InvalidPattern,
            "a zcloud account is 10 digits",
        )
    })
}

/// A request without parameters: `{}`.
fn empty(request: &Value, neutral: Request) -> Result<Request, Failure> {
    object(request, &[])?;
    Ok(neutral)
}

fn invite(request: &Value) -> Result<Request, Failure> {
    let object = object(request, &["to", "memo"])?;
    let to = object
        .get("to")
        .ok_or_else(|| invalid("to", InputProblem::Missing, "`to` is required"))?;
    let to = to.as_object().filter(|to| to.len() == 1).ok_or_else(|| {
        invalid(
            "to",
            InputProblem::WrongType,
            "`to` is {\"account\": …} or {\"email\": …}",
        )
    })?;
    let target = match (string(to, "account")?, string(to, "email")?) {
        (Some(account), None) => Party::Account(account_id(account).ok_or_else(|| {
            invalid(
                "to",
                InputProblem::InvalidPattern,
                "a zcloud account is 10 digits",
            )
        })?),
        (None, Some(email)) => Party::Email(
            email
                .parse()
                .map_err(|err| invalid("to", InputProblem::InvalidEmail, format!("{err}")))?,
        ),
        _ => {
            return Err(invalid(
                "to",
                InputProblem::UnknownValue,
                "`to` names an account or an email",
            ))
        }
    };
    let notes = match string(object, "memo")? {
        Some(text) => Some(
            text.parse()
                .map_err(|err| invalid("memo", InputProblem::TooLong, format!("{err}")))?,
        ),
        None => None,
    };
    Ok(Request::Invite { target, notes })
}

fn listing(request: &Value) -> Result<Listing, Failure> {
    let object = object(request, &["size", "cursor"])?;
    let size = match object.get("size") {
        None => DEFAULT_SIZE,
        Some(size) => size
            .as_u64()
            .filter(|size| (1..=MAX_SIZE).contains(size))
            .ok_or_else(|| {
                invalid(
                    "size",
                    InputProblem::TooLarge,
                    format!("`size` is a whole number from 1 to {MAX_SIZE}"),
                )
            })?,
    };
    let token = string(object, "cursor")?.map(str::to_owned);
    Ok(Listing {
        filter: HandshakeFilter::NONE,
        page: PageRequest::Token {
            // At most MAX_SIZE, which fits any usize.
            max_results: usize::try_from(size).unwrap_or(1),
            token,
        },
    })
}

fn unknown_operation(name: &str) -> Failure {
    Failure::new(
        ErrorKind::Unsupported,
        format!("zcloud has no operation `{}`", shown(name)),
    )
}

impl Dialect for Zcloud {
    fn description(&self) -> &'static Description {
        &DESCRIPTION
    }

    fn parameter(&self, parameter: Parameter) -> Option<&'static str> {
        match parameter {
            Parameter::Target => Some("to"),
            Parameter::Token => Some("cursor"),
            Parameter::MaxResults => Some("size"),
            _ => None,
        }
    }

    fn account_id(&self, text: &str) -> Option<AccountId> {
        account_id(text)
    }

    fn read_call(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<(AccountId, Request), Failure> {
        if !OPERATIONS.contains(&operation) {
            return Err(unknown_operation(operation));
        }
        let caller = account_id(caller).ok_or_else(|| {
            invalid(
                "Zc-Account",
                InputProblem::InvalidPattern,
                format!("`{}` is not a zcloud account", shown(caller)),
            )
        })?;
        let request = match operation {
            "zc.invite" => invite(request)?,
            "zc.accept" => Request::Accept(handshake_ref(request)?),
            "zc.decline" => Request::Decline(handshake_ref(request)?),
            "zc.cancel" => Request::Cancel(handshake_ref(request)?),
            "zc.get" => Request::Describe(handshake_ref(request)?),
            "zc.inbox" => Request::ListForAccount(listing(request)?),
            "zc.outbox" => Request::ListForOrganization(listing(request)?),
            "zc.create" => empty(request, Request::CreateOrganization { feature_set: None })?,
            "zc.group" => empty(request, Request::DescribeOrganization)?,
            "zc.disband" => empty(request, Request::DeleteOrganization)?,
            "zc.members" => Request::ListAccounts(listing(request)?.page),
            "zc.member" => Request::DescribeAccount(member_account(request)?),
            "zc.leave" => empty(request, Request::LeaveOrganization)?,
            "zc.remove" => Request::RemoveAccount(member_account(request)?),
            other => return Err(unknown_operation(other)),
        };
        Ok((caller, request))
    }

    fn write_call(&self, request: &Request) -> Result<(&'static str, Value), EncodeError> {
        let handshake_ref = |id: &HandshakeId| json!({"ref": id.as_str()});
        let page = |operation: &str, page: &PageRequest| {
            let PageRequest::Token { max_results, token } = page else {
                return Err(EncodeError::new(operation, "zcloud pages by cursor"));
            };
            let mut written = json!({"size": max_results});
            if let Some(token) = token {
                written["cursor"] = json!(token);
            }
            Ok(written)
        };
        let listing = |operation: &str, listing: &Listing| {
            if listing.filter != HandshakeFilter::NONE {
                return Err(EncodeError::new(operation, "zcloud lists without a filter"));
            }
            page(operation, &listing.page)
        };
        let account = |id: &AccountId| json!({"account": id.as_str()});
        Ok(match request {
            Request::Invite { target, notes } => {
                let to = match target {
                    Party::Account(id) => json!({"account": id.as_str()}),
                    Party::Email(email) => json!({"email": email.as_str()}),
                    _ => {
                        return Err(EncodeError::new(
                            "zc.invite",
                            "zcloud invites an account or an email",
                        ))
                    }
                };
                let mut written = json!({"to": to});
                if let Some(notes) = notes {
                    written["memo"] = json!(notes.as_str());
                }
                ("zc.invite", written)
            }
            Request::Accept(id) => ("zc.accept", handshake_ref(id)),
            Request::Decline(id) => ("zc.decline", handshake_ref(id)),
            Request::Cancel(id) => ("zc.cancel", handshake_ref(id)),
            Request::Describe(id) => ("zc.get", handshake_ref(id)),
            Request::ListForAccount(page) => ("zc.inbox", listing("zc.inbox", page)?),
            Request::ListForOrganization(page) => ("zc.outbox", listing("zc.outbox", page)?),
            Request::CreateOrganization { feature_set: None } => ("zc.create", json!({})),
            Request::CreateOrganization {
                feature_set: Some(_),
            } => {
                return Err(EncodeError::new(
                    "zc.create",
                    "a zcloud group has no feature set",
                ))
            }
            Request::DescribeOrganization => ("zc.group", json!({})),
            Request::DeleteOrganization => ("zc.disband", json!({})),
            Request::ListAccounts(request) => ("zc.members", page("zc.members", request)?),
            Request::DescribeAccount(id) => ("zc.member", account(id)),
            Request::LeaveOrganization => ("zc.leave", json!({})),
            Request::RemoveAccount(id) => ("zc.remove", account(id)),
            other => {
                return Err(EncodeError::new(
                    other.name(),
                    "zcloud has no operation for it",
                ))
            }
        })
    }

    /// Refuses to act on a handshake zcloud could not show (one restored from another cloud's
    /// world), before anything changes.
    fn check_stored(
        &self,
        stored: &Handshake,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Failure> {
        handshake::render(stored)
            .map(drop)
            .map_err(|err| Failure::new(ErrorKind::Unsupported, err.to_string()))
    }

    fn render_success(
        &self,
        success: Success<'_>,
        _reply: &ReplyContext<'_>,
    ) -> Result<String, WireError> {
        match success {
            Success::Handshake(handshake) => {
                Ok(json!({"handshake": handshake::render(handshake)?}).to_string())
            }
            Success::Handshakes { page, .. } => page_body(page),
            Success::Organization(info) => {
                Ok(json!({"group": membership::group(info)}).to_string())
            }
            Success::Account(info) => Ok(json!({"member": membership::member(info)}).to_string()),
            Success::Accounts { page, .. } => Ok(membership::members(page).to_string()),
            Success::Empty => Ok("{}".to_owned()),
            other => Err(WireError::Unsupported {
                provider: "zcloud",
                what: format!("a reply of {other:?}"),
            }),
        }
    }

    fn render_error(&self, error: &ErrorAnswer<'_>, reply: &ReplyContext<'_>) -> String {
        json!({
            "fault": {"code": error.code, "text": error.message},
            "trace": reply.request_id,
        })
        .to_string()
    }

    fn reply_headers(
        &self,
        _error: Option<&ErrorAnswer<'_>>,
        reply: &ReplyContext<'_>,
    ) -> Vec<(&'static str, String)> {
        let mut headers = vec![("Content-Type", CONTENT_TYPE.to_owned())];
        if !reply.request_id.is_empty() {
            headers.push(("Zc-Trace", reply.request_id.to_owned()));
        }
        headers
    }

    fn render_bare(&self, handshake: &Handshake) -> Result<String, WireError> {
        Ok(handshake::render(handshake)?.to_string())
    }

    fn parse_bare(&self, json: &str) -> Result<Handshake, WireError> {
        handshake::parse(json)
    }

    fn claims(&self, request: &HttpRequest<'_>) -> bool {
        request.path == "/zc" || request.path.starts_with("/zc/")
    }

    fn route(&self, request: &HttpRequest<'_>) -> Result<Routed, Failure> {
        let name = request.header("zc-op").unwrap_or_default();
        let operation = OPERATIONS
            .iter()
            .copied()
            .find(|op| *op == name)
            .ok_or_else(|| unknown_operation(name))?;
        let body = if request.body.iter().all(u8::is_ascii_whitespace) {
            json!({})
        } else {
            serde_json::from_slice(request.body).map_err(|err| {
                invalid(
                    "body",
                    InputProblem::WrongType,
                    format!("the body is not json: {err}"),
                )
            })?
        };
        Ok(Routed {
            operation,
            request: body,
            credential: request.header("zc-account").map(str::to_owned),
        })
    }

    fn encode(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<OutgoingRequest, EncodeError> {
        let mut call = OutgoingRequest::new("POST", "/zc");
        call.push_header("zc-op", operation);
        call.push_header("zc-account", caller);
        call.body = request.to_string().into_bytes();
        Ok(call)
    }
}

/// A listing's body: `{"items": […], "cursor": …}`.
fn page_body(page: &Page) -> Result<String, WireError> {
    let items = page
        .handshakes
        .iter()
        .map(handshake::render)
        .collect::<Result<Vec<_>, _>>()?;
    let mut body = json!({"items": items});
    if let Some(token) = &page.next_token {
        body["cursor"] = json!(token);
    }
    Ok(body.to_string())
}
