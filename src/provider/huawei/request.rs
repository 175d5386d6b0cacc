//! Reading a Huawei request, `{"path": {…}, "query": {…}, "body": {…}}`, into neutral values.
//!
//! Every refusal is an [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput)
//! [`Failure`] naming the Huawei parameter (`handshake_id`, `limit`, `marker`, `target.type`,
//! `tags[2].value`, …) and what is wrong with it. The decisions are listed in the
//! [dialect's docs](super::Huawei).

use serde_json::{Map, Value};

use crate::error::{Failure, InputProblem};
use crate::handshake::Party;
use crate::id::{AccountId, AccountName, HandshakeId, Notes};
use crate::policy::Profile;

use super::{Marker, TargetType};
use crate::provider::shown;

/// The page size of a list call without `limit`.
pub const DEFAULT_LIMIT: usize = 1000;

/// The largest `limit` a list call accepts (the smallest is 1).
pub const MAX_LIMIT: usize = 2000;

type Object = Map<String, Value>;

/// The three parts of a Huawei request (`path`, `query`, `body`), each optional: what
/// [`Dialect::read_call`](crate::provider::Dialect::read_call) reads into a neutral request.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Parts<'a> {
    path: Option<&'a Object>,
    query: Option<&'a Object>,
    body: Option<&'a Object>,
}

/// An invitation as the body of `invite_account` asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct InviteBody {
    /// Whom to invite.
    pub(super) target: Party,
    /// The notes, as given (possibly empty).
    pub(super) notes: Notes,
}

impl<'a> Parts<'a> {
    /// Splits a request into its parts. `null` stands for an empty request, and a `null` part
    /// for an absent one.
    pub(super) fn parse(request: &'a Value) -> Result<Self, Failure> {
        let map = match request {
            Value::Null => return Ok(Parts::default()),
            Value::Object(map) => map,
            other => {
                return Err(Failure::invalid_input(
                    "request",
                    InputProblem::WrongType,
                    format!(
                    "the request must be an object with `path`, `query` and `body` parts, not {}",
                    type_name(other)
                ),
                ))
            }
        };
        if let Some(key) = map
            .keys()
            .find(|key| !matches!(key.as_str(), "path" | "query" | "body"))
        {
            return Err(Failure::invalid_input(
                shown(key),
                InputProblem::Unexpected,
                format!(
                    "a request has `path`, `query` and `body` parts, not `{}`",
                    shown(key)
                ),
            ));
        }
        let part = |name: &str| -> Result<Option<&'a Object>, Failure> {
            match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Object(part)) => Ok(Some(part)),
                Some(other) => Err(Failure::invalid_input(
                    name,
                    InputProblem::WrongType,
                    format!(
                        "the request's `{name}` must be an object, not {}",
                        type_name(other)
                    ),
                )),
            }
        };
        Ok(Parts {
            path: part("path")?,
            query: part("query")?,
            body: part("body")?,
        })
    }

    /// The path's `handshake_id`, under Huawei's pattern `^h-[0-9a-z]{8,32}$`.
    pub(super) fn handshake_id(&self) -> Result<HandshakeId, Failure> {
        let text = required_string(
            "handshake_id",
            self.path.and_then(|p| p.get("handshake_id")),
        )?;
        Profile::HUAWEI.parse_handshake_id(text).map_err(|err| {
            Failure::invalid_input(
                "handshake_id",
                InputProblem::InvalidPattern,
                format!("`handshake_id` must match ^h-[0-9a-z]{{8,32}}$: {err}"),
            )
        })
    }

    /// The path's `account_id` (`show_account`, `remove_account`), under the neutral account
    /// id rule (1 to 64 ASCII letters or digits), as invitation targets are read.
    pub(super) fn account_id(&self) -> Result<crate::id::AccountId, Failure> {
        let text = required_string("account_id", self.path.and_then(|p| p.get("account_id")))?;
        crate::id::AccountId::parse(text).map_err(|err| {
            Failure::invalid_input(
                "account_id",
                InputProblem::InvalidPattern,
                format!("`account_id` is not an account id: {err}"),
            )
        })
    }

    /// The query's `limit` (default [`DEFAULT_LIMIT`], 1 to [`MAX_LIMIT`]) and `marker`.
    pub(super) fn page(&self) -> Result<(usize, Option<String>), Failure> {
        let limit = self.limit()?;
        let marker = self.marker()?;
        Ok((limit, marker))
    }

    fn limit(&self) -> Result<usize, Failure> {
        let wrong_type = |what: &str| {
            Failure::invalid_input(
                "limit",
                InputProblem::WrongType,
                format!("`limit` must be an integer, not {what}"),
            )
        };
        let value: i64 = match self.query.and_then(|q| q.get("limit")) {
            None | Some(Value::Null) => return Ok(DEFAULT_LIMIT),
            Some(Value::Number(number)) => match (number.as_i64(), number.as_u64()) {
                (Some(value), _) => value,
                (None, Some(_)) => i64::MAX,
                (None, None) => return Err(wrong_type(&format!("the number {number}"))),
            },
            // A query string carries every value as text: a decimal integer is accepted.
            Some(Value::String(text)) => match text.parse::<i64>() {
                Ok(value) => value,
                Err(err) => match err.kind() {
                    std::num::IntErrorKind::PosOverflow => i64::MAX,
                    std::num::IntErrorKind::NegOverflow => i64::MIN,
                    _ => return Err(wrong_type(&format!("`{}`", shown(text)))),
                },
            },
            Some(other) => return Err(wrong_type(type_name(other))),
        };
        let out_of_range = |problem| {
            Failure::invalid_input(
                "limit",
                problem,
                format!("`limit` must be from 1 to {MAX_LIMIT}"),
            )
        };
        if value < 1 {
            return Err(out_of_range(InputProblem::TooSmall));
        }
        match usize::try_from(value) {
            Ok(limit) if limit <= MAX_LIMIT => Ok(limit),
            _ => Err(out_of_range(InputProblem::TooLarge)),
        }
    }

    fn marker(&self) -> Result<Option<String>, Failure> {
        let text = match self.query.and_then(|q| q.get("marker")) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(text)) => text,
            Some(other) => {
                return Err(Failure::invalid_input(
                    "marker",
                    InputProblem::WrongType,
                    format!("`marker` must be a string, not {}", type_name(other)),
                ))
            }
        };
        let length = text.chars().count();
        let problem = if length < Marker::MIN_LEN {
            InputProblem::TooShort
        } else {
            InputProblem::TooLong
        };
        Marker::parse(text)
            .map(|marker| Some(marker.as_str().to_owned()))
            .map_err(|_| {
                Failure::invalid_input(
                    "marker",
                    problem,
                    format!(
                        "`marker` has {} to {} characters, not {length}",
                        Marker::MIN_LEN,
                        Marker::MAX_LEN
                    ),
                )
            })
    }

    /// The body of `invite_account`: `target` (required), `notes` (required, may be empty),
    /// `tags` (optional; checked, then dropped: a handshake does not carry them).
    pub(super) fn invite(&self) -> Result<InviteBody, Failure> {
        let get = |key: &str| self.body.and_then(|body| body.get(key));
        let target = match get("target") {
            None | Some(Value::Null) => return Err(missing("target")),
            Some(Value::Object(target)) => target,
            Some(other) => return Err(wrong_type("target", "an object", other)),
        };
        let kind_text = required_string("target.type", target.get("type"))?;
        let kind: TargetType = kind_text.parse().map_err(|_| {
            Failure::invalid_input(
                "target.type",
                InputProblem::UnknownValue,
                format!(
                    "`target.type` is `account` or `name`, not `{}`",
                    shown(kind_text)
                ),
            )
        })?;
        let entity = required_string("target.entity", target.get("entity"))?;
        let bad_entity = |err: crate::id::IdError| {
            Failure::invalid_input(
                "target.entity",
                InputProblem::InvalidPattern,
                format!("`target.entity` is not a valid {kind} target: {err}"),
            )
        };
        let target = match kind {
            TargetType::Account => Party::Account(AccountId::parse(entity).map_err(bad_entity)?),
            TargetType::Name => Party::Name(AccountName::parse(entity).map_err(bad_entity)?),
        };
        let notes = Notes::parse(required_string("notes", get("notes"))?).map_err(|_| {
            Failure::invalid_input(
                "notes",
                InputProblem::TooLong,
                format!("`notes` has at most {} characters", Notes::MAX_LEN),
            )
        })?;
        match get("tags") {
            None | Some(Value::Null) => {}
            Some(Value::Array(tags)) => {
                for (index, tag) in tags.iter().enumerate() {
                    check_tag(index, tag)?;
                }
            }
            Some(other) => return Err(wrong_type("tags", "an array", other)),
        }
        Ok(InviteBody { target, notes })
    }
}

/// A `TagDto`: `key` a string, `value` a string that "may be empty but not null".
fn check_tag(index: usize, tag: &Value) -> Result<(), Failure> {
    let Value::Object(tag) = tag else {
        return Err(wrong_type(&format!("tags[{index}]"), "an object", tag));
    };
    required_string(&format!("tags[{index}].key"), tag.get("key"))?;
    let value = format!("tags[{index}].value");
    match tag.get("value") {
        None => Err(missing(&value)),
        Some(Value::String(_)) => Ok(()),
        Some(other) => Err(wrong_type(
            &value,
            "a string (it may be empty, not null)",
            other,
        )),
    }
}

/// A required string parameter: absent or `null` is missing, another JSON type is wrong.
fn required_string<'v>(name: &str, value: Option<&'v Value>) -> Result<&'v str, Failure> {
    match value {
        None | Some(Value::Null) => Err(missing(name)),
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err(wrong_type(name, "a string", other)),
    }
}

fn missing(name: &str) -> Failure {
    Failure::invalid_input(
        name,
        InputProblem::Missing,
        format!("the required parameter `{name}` is missing"),
    )
}

fn wrong_type(name: &str, expected: &str, actual: &Value) -> Failure {
    Failure::invalid_input(
        name,
        InputProblem::WrongType,
        format!("`{name}` must be {expected}, not {}", type_name(actual)),
    )
}

/// The JSON type of a value, for messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
