//! Reading AWS JSON 1.1 request bodies into neutral values, with the Organizations model's
//! constraints (aws.md §2.2, §5.2). Every refusal is an invalid-input [`Failure`] naming the
//! parameter as AWS spells it (`Target.Type`, `Filter.ParentHandshakeId`, `Tags[0].Key`).

use serde_json::{Map, Value};

use super::ids::parse_account_id;
use super::vocab::{ActionType, HandshakePartyType};
use crate::error::{Failure, InputProblem};
use crate::handshake::Party;
use crate::id::{Email, HandshakeId, Notes};
use crate::ledger::{HandshakeFilter, PageRequest};
use crate::policy::Profile;
use crate::provider::{shown, Listing};
use crate::vocab::Action;

/// `HandshakeId`: at most 34 characters (`^h-[0-9a-z]{8,32}$`).
pub(super) const MAX_HANDSHAKE_ID_LEN: usize = 34;
/// `HandshakePartyId`: 1 to 64 characters.
pub(super) const MAX_PARTY_ID_LEN: usize = 64;
/// `NextToken`: at most 100,000 characters.
pub(super) const MAX_NEXT_TOKEN_LEN: usize = 100_000;
/// `MaxResults`: 1 to 20.
pub(super) const MAX_RESULTS: i64 = 20;
/// `TagKey`: 1 to 128 characters.
pub(super) const MAX_TAG_KEY_LEN: usize = 128;
/// `TagValue`: 0 to 256 characters.
pub(super) const MAX_TAG_VALUE_LEN: usize = 256;

/// A request body: the JSON object of the operation's members.
pub(super) type Body = Map<String, Value>;

fn refuse(parameter: &str, problem: InputProblem, message: String) -> Failure {
    Failure::invalid_input(parameter, problem, message)
}

/// Whether `value` has more than `max` characters, without counting past `max + 1`.
fn longer_than(value: &str, max: usize) -> bool {
    value.chars().nth(max).is_some()
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(parameter: &str, expected: &str, value: &Value) -> Failure {
    refuse(
        parameter,
        InputProblem::WrongType,
        format!(
            "{} must be {expected}, not {}",
            display_name(parameter),
            json_type(value)
        ),
    )
}

fn display_name(parameter: &str) -> String {
    if parameter.is_empty() {
        "the request body".to_owned()
    } else {
        format!("`{parameter}`")
    }
}

fn joined(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// `value` as an object whose members are all in `allowed`; `parameter` names it (empty for
/// the body itself).
fn object<'a>(
    value: &'a Value,
    parameter: &str,
    allowed: &[&str],
) -> Result<&'a Map<String, Value>, Failure> {
    let Value::Object(map) = value else {
        return Err(wrong_type(parameter, "an object", value));
    };
    if let Some(key) = map.keys().find(|key| !allowed.contains(&key.as_str())) {
        let name = joined(parameter, &shown(key));
        return Err(refuse(
            &name,
            InputProblem::Unexpected,
            format!("unexpected parameter `{name}`"),
        ));
    }
    Ok(map)
}

/// The request body, whose members must all be in `allowed`.
///
/// # Errors
///
/// Wrong type when the body is not a JSON object; unexpected parameter for a member the
/// operation does not have.
pub(super) fn body<'a>(request: &'a Value, allowed: &[&str]) -> Result<&'a Body, Failure> {
    object(request, "", allowed)
}

/// A member, `None` when absent or `null` (JSON 1.1 reads `null` as not set).
fn member<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|value| !value.is_null())
}

fn required<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    parameter: &str,
) -> Result<&'a Value, Failure> {
    member(map, key).ok_or_else(|| {
        refuse(
            parameter,
            InputProblem::Missing,
            format!("`{parameter}` is required"),
        )
    })
}

fn string<'a>(value: &'a Value, parameter: &str) -> Result<&'a str, Failure> {
    value
        .as_str()
        .ok_or_else(|| wrong_type(parameter, "a string", value))
}

fn check_length(value: &str, parameter: &str, min: usize, max: usize) -> Result<(), Failure> {
    if longer_than(value, max) {
        return Err(refuse(
            parameter,
            InputProblem::TooLong,
            format!("`{parameter}` is longer than {max} characters"),
        ));
    }
    if value.chars().count() < min {
        return Err(refuse(
            parameter,
            InputProblem::TooShort,
            format!("`{parameter}` is shorter than {min} character(s)"),
        ));
    }
    Ok(())
}

/// A handshake id under AWS's pattern: too long is `MAX_LENGTH_EXCEEDED`, anything else that
/// does not match is `INVALID_PATTERN` (the empty string included).
fn handshake_id_value(value: &Value, parameter: &str) -> Result<HandshakeId, Failure> {
    let text = string(value, parameter)?;
    check_length(text, parameter, 0, MAX_HANDSHAKE_ID_LEN)?;
    Profile::AWS.parse_handshake_id(text).map_err(|err| {
        refuse(
            parameter,
            InputProblem::InvalidPattern,
            format!("`{parameter}` must match ^h-[0-9a-z]{{8,32}}$: {err}"),
        )
    })
}

/// The `HandshakeId` of AcceptHandshake, DeclineHandshake, CancelHandshake and
/// DescribeHandshake.
pub(super) fn handshake_id(body: &Body) -> Result<HandshakeId, Failure> {
    handshake_id_value(required(body, "HandshakeId", "HandshakeId")?, "HandshakeId")
}

/// InviteAccountToOrganization's request in neutral terms.
#[derive(Debug)]
pub(super) struct Invite {
    /// Whom to invite.
    pub(super) target: Party,
    /// The notes, if any.
    pub(super) notes: Option<Notes>,
}

/// InviteAccountToOrganization's `Target`, `Notes` and `Tags`, checked in that order.
///
/// Tags are checked for form (a list of `{Key, Value}` within their lengths) and then ignored:
/// the ledger does not model account tags.
pub(super) fn invite(body: &Body) -> Result<Invite, Failure> {
    let target = object(
        required(body, "Target", "Target")?,
        "Target",
        &["Id", "Type"],
    )?;
    let kind = string(required(target, "Type", "Target.Type")?, "Target.Type")?;
    let kind: HandshakePartyType = kind.parse().map_err(|_| {
        refuse(
            "Target.Type",
            InputProblem::UnknownValue,
            format!(
                "`Target.Type` `{}` is not one of ACCOUNT, EMAIL",
                shown(kind)
            ),
        )
    })?;
    if kind == HandshakePartyType::Organization {
        return Err(refuse(
            "Target.Type",
            InputProblem::InvalidTargetType,
            "an organization cannot be invited: `Target.Type` must be ACCOUNT or EMAIL".into(),
        ));
    }
    let id = string(required(target, "Id", "Target.Id")?, "Target.Id")?;
    check_length(id, "Target.Id", 1, MAX_PARTY_ID_LEN)?;
    let target = match kind {
        HandshakePartyType::Email => Party::Email(Email::parse(id).map_err(|err| {
            refuse(
                "Target.Id",
                InputProblem::InvalidEmail,
                format!("`Target.Id` is not a valid email address: {err}"),
            )
        })?),
        _ => Party::Account(parse_account_id(id).map_err(|err| {
            refuse(
                "Target.Id",
                InputProblem::InvalidPattern,
                format!("`Target.Id` must be a 12-digit account id: {err}"),
            )
        })?),
    };
    let notes =
        match member(body, "Notes") {
            None => None,
            Some(value) => {
                let text = string(value, "Notes")?;
                check_length(text, "Notes", 0, Notes::MAX_LEN)?;
                Some(Notes::parse(text).map_err(|err| {
                    refuse("Notes", InputProblem::TooLong, format!("`Notes`: {err}"))
                })?)
            }
        };
    if let Some(tags) = member(body, "Tags") {
        let Value::Array(tags) = tags else {
            return Err(wrong_type("Tags", "a list", tags));
        };
        for (index, tag) in tags.iter().enumerate() {
            let name = format!("Tags[{index}]");
            let tag = object(tag, &name, &["Key", "Value"])?;
            let key_name = format!("{name}.Key");
            let key = string(required(tag, "Key", &key_name)?, &key_name)?;
            check_length(key, &key_name, 1, MAX_TAG_KEY_LEN)?;
            let value_name = format!("{name}.Value");
            let value = string(required(tag, "Value", &value_name)?, &value_name)?;
            check_length(value, &value_name, 0, MAX_TAG_VALUE_LEN)?;
        }
    }
    Ok(Invite { target, notes })
}

/// The `Filter`, `NextToken` and `MaxResults` of ListHandshakesForAccount and
/// ListHandshakesForOrganization, checked in that order. `MaxResults` defaults to 20.
pub(super) fn listing(body: &Body) -> Result<Listing, Failure> {
    let mut filter = HandshakeFilter::NONE;
    if let Some(value) = member(body, "Filter") {
        let map = object(value, "Filter", &["ActionType", "ParentHandshakeId"])?;
        if let Some(action) = member(map, "ActionType") {
            let text = string(action, "Filter.ActionType")?;
            let action: ActionType = text.parse().map_err(|_| {
                refuse(
                    "Filter.ActionType",
                    InputProblem::UnknownValue,
                    format!(
                        "`Filter.ActionType` `{}` is not an action type",
                        shown(text)
                    ),
                )
            })?;
            filter.action = Some(Action::from(action));
        }
        if let Some(parent) = member(map, "ParentHandshakeId") {
            filter.parent = Some(handshake_id_value(parent, "Filter.ParentHandshakeId")?);
        }
    }
    let token = match member(body, "NextToken") {
        None => None,
        Some(value) => {
            let text = string(value, "NextToken")?;
            check_length(text, "NextToken", 0, MAX_NEXT_TOKEN_LEN)?;
            Some(text.to_owned())
        }
    };
    let max_results = match member(body, "MaxResults") {
        None => MAX_RESULTS,
        Some(value) => max_results(value)?,
    };
    Ok(Listing {
        filter,
        page: PageRequest::Token {
            max_results: usize::try_from(max_results).unwrap_or(1),
            token,
        },
    })
}

/// `MaxResults`: an integer from 1 to 20. A fractional number is the wrong type.
fn max_results(value: &Value) -> Result<i64, Failure> {
    let Value::Number(number) = value else {
        return Err(wrong_type("MaxResults", "an integer", value));
    };
    let too_large = || {
        refuse(
            "MaxResults",
            InputProblem::TooLarge,
            format!("`MaxResults` must be at most {MAX_RESULTS}"),
        )
    };
    match (number.as_i64(), number.as_u64()) {
        (Some(n), _) if n < 1 => Err(refuse(
            "MaxResults",
            InputProblem::TooSmall,
            "`MaxResults` must be at least 1".into(),
        )),
        (Some(n), _) if n > MAX_RESULTS => Err(too_large()),
        (Some(n), _) => Ok(n),
        (None, Some(_)) => Err(too_large()),
        (None, None) => Err(wrong_type("MaxResults", "an integer", value)),
    }
}
