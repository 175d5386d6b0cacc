//! Reading an Alibaba request (the flat map of RPC query parameters) into neutral values: each
//! parameter as the text it would have in the query, checked in the order the dialect's
//! documentation gives.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::{ErrorKind, Failure, InputProblem};
use crate::handshake::Party;
use crate::id::{Email, HandshakeId, Notes};
use crate::ledger::{HandshakeFilter, PageRequest};
use crate::policy::Profile;
use crate::provider::dialect::{Listing, Request};
use crate::provider::shown;

use super::handshake::parse_account_id;
use super::{Operation, TargetType, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// The greatest `PageNumber`: Alibaba's `Integer` is a signed 32-bit number.
const MAX_PAGE_NUMBER: u32 = i32::MAX as u32;

/// The neutral request of `operation`, read from its query parameters.
pub(super) fn read_request(operation: Operation, request: &Value) -> Result<Request, Failure> {
    let query = Query::new(request)?;
    Ok(match operation {
        Operation::InviteAccountToResourceDirectory => invite(&query)?,
        Operation::AcceptHandshake => Request::Accept(handshake_id(&query)?),
        Operation::DeclineHandshake => Request::Decline(handshake_id(&query)?),
        Operation::CancelHandshake => Request::Cancel(handshake_id(&query)?),
        Operation::GetHandshake => Request::Describe(handshake_id(&query)?),
        Operation::ListHandshakesForAccount => Request::ListForAccount(listing(&query)?),
        Operation::ListHandshakesForResourceDirectory => {
            Request::ListForOrganization(listing(&query)?)
        }
        Operation::EnableResourceDirectory => enable(&query)?,
        Operation::GetResourceDirectory => Request::DescribeOrganization,
        Operation::DestroyResourceDirectory => Request::DeleteOrganization,
        Operation::ListAccounts => Request::ListAccounts(listing(&query)?.page),
        Operation::GetAccount => Request::DescribeAccount(account_id(&query)?),
        Operation::RemoveCloudAccount => Request::RemoveAccount(account_id(&query)?),
    })
}

/// `EnableResourceDirectory`: `EnableMode` is required; `CurrentAccount` enables the resource
/// directory with the caller as its management account. `NewManagementAccount` (a new account
/// made for it, with `MAName`, `MASecureMobilePhone`, `VerificationCode`) is refused as
/// unsupported: the ledger does not create accounts.
fn enable(query: &Query<'_>) -> Result<Request, Failure> {
    let mode = query.required("EnableMode")?;
    match mode.as_ref() {
        "CurrentAccount" => Ok(Request::CreateOrganization { feature_set: None }),
        "NewManagementAccount" => Err(Failure::new(
            ErrorKind::Unsupported,
            "EnableMode NewManagementAccount is not supported: only CurrentAccount",
        )),
        other => Err(Failure::invalid_input(
            "EnableMode",
            InputProblem::UnknownValue,
            format!(
                "EnableMode `{}` is not CurrentAccount or NewManagementAccount",
                shown(other)
            ),
        )),
    }
}

/// The `AccountId` parameter of `GetAccount` and `RemoveCloudAccount`: required, 16 digits.
fn account_id(query: &Query<'_>) -> Result<crate::id::AccountId, Failure> {
    let text = query.required("AccountId")?;
    parse_account_id(&text, "AccountId").map_err(|err| {
        Failure::invalid_input("AccountId", InputProblem::InvalidPattern, err.to_string())
    })
}

/// `InviteAccountToResourceDirectory`: `TargetEntity` and `TargetType` present, then
/// `TargetType`'s value, then `TargetEntity`'s value for that type, then `Note`, then tags.
fn invite(query: &Query<'_>) -> Result<Request, Failure> {
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
    Ok(Request::Invite { target, notes })
}

/// `PageNumber` (≥ 1, default 1) and `PageSize` (1–100, default 10): a numbered page.
fn listing(query: &Query<'_>) -> Result<Listing, Failure> {
    let page_number = query.integer("PageNumber", 1, 1, MAX_PAGE_NUMBER)?;
    let page_size = query.integer("PageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)?;
    Ok(Listing {
        filter: HandshakeFilter::NONE,
        page: PageRequest::Number {
            number: usize::try_from(page_number).unwrap_or(usize::MAX),
            size: usize::try_from(page_size).unwrap_or(usize::MAX),
        },
    })
}

/// The `HandshakeId` parameter: required, `h-` + 16 letters or digits.
fn handshake_id(query: &Query<'_>) -> Result<HandshakeId, Failure> {
    let text = query.required("HandshakeId")?;
    Profile::ALIBABA.parse_handshake_id(&text).map_err(|err| {
        Failure::invalid_input("HandshakeId", InputProblem::InvalidPattern, err.to_string())
    })
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
        let number: i128 = text.parse().map_err(|_| {
            invalid(
                InputProblem::WrongType,
                format!("`{}` is not an integer", shown(&text)),
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
pub(super) fn query_text<'a>(
    name: &str,
    value: Option<&'a Value>,
) -> Result<Option<Cow<'a, str>>, Failure> {
    let text = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => Cow::Borrowed(text.as_str()),
        Some(Value::Number(number)) => Cow::Owned(number.to_string()),
        Some(Value::Bool(flag)) => Cow::Borrowed(if *flag { "true" } else { "false" }),
        Some(Value::Array(_) | Value::Object(_)) => {
            return Err(Failure::invalid_input(
                name,
                InputProblem::WrongType,
                format!("{} must be a single query value", shown(name)),
            ))
        }
    };
    Ok(if text.is_empty() { None } else { Some(text) })
}

/// `Tag.N.Key` or `Tag.N.Value`, N a decimal number from 1.
pub(super) fn is_tag_parameter(name: &str) -> bool {
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
