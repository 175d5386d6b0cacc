//! Conformance vectors, format `org-handshake-vectors/1`: a starting world, then
//! provider-shaped calls, each with the response it must get.
//!
//! This module is the pure half of a vector runner: it reads and checks a vector file
//! ([`VectorFile::parse`]), resolves `{"$ref": "steps[N].body.PATH"}` in a request against the
//! actual bodies of earlier steps ([`resolve_refs`]), and matches an actual response against
//! the expected one ([`match_subset`], or [`match_subset_text`] on a body still in JSON text).
//! [`replay`] drives any [`Implementation`] through a
//! file, so another implementation can be held against the same vectors as org-handshake.
//!
//! # Example: subset matching
//!
//! ```
//! use org_handshake::conformance::match_subset;
//! use serde_json::json;
//!
//! let actual = json!({"Handshake": {"State": "OPEN", "RequestedTimestamp": 1767607200.0, "Id": "h-0123456789"}});
//! assert!(match_subset(&json!({"Handshake": {"State": "OPEN", "RequestedTimestamp": 1767607200}}), &actual).is_ok());
//! assert!(match_subset(&json!({"NextToken": null}), &actual).is_ok()); // absent counts as null
//! let mismatch = match_subset(&json!({"Handshake": {"State": "ACCEPTED"}}), &actual).unwrap_err();
//! assert_eq!(mismatch.path, "Handshake.State");
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod reference;
mod subset_text;

pub use reference::Reference;

/// The format tag every vector file carries.
pub const FORMAT: &str = "org-handshake-vectors/1";

/// Why a vector file cannot be replayed: it does not parse or breaks a rule of the format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VectorError {
    /// Not JSON, or not of the vector file's shape.
    #[error("invalid vector file at `{path}`: {message}")]
    Json {
        /// Where in the file.
        path: String,
        /// What the parser said.
        message: String,
    },
    /// A rule of the format is broken.
    #[error("{0}")]
    Rule(String),
    /// A `$ref` cannot be resolved.
    #[error("step {step}: cannot resolve $ref `{reference}`: {reason}")]
    Ref {
        /// The step whose request holds the reference.
        step: usize,
        /// The reference.
        reference: String,
        /// Why.
        reason: String,
    },
}

impl VectorError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            VectorError::Json { .. } => "invalid_vector_json",
            VectorError::Rule(_) => "vector_rule_broken",
            VectorError::Ref { .. } => "unresolvable_ref",
        }
    }
}

/// The world before the first step: the ledger's [`World`], one type for
/// the vectors and the ledger (feature sets spelled `ALL` / `CONSOLIDATED_BILLING`, unknown
/// keys refused).
pub use crate::ledger::World;

/// What a step must get back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The HTTP status.
    pub status: u16,
    /// The body, matched as a subset (see [`match_subset`]).
    #[serde(default = "empty_object")]
    pub body: Value,
}

fn empty_object() -> Value {
    Value::Object(serde_json::Map::new())
}

/// One call of a vector file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// When the call is made (RFC 3339, UTC).
    pub at: DateTime<Utc>,
    /// The calling account id.
    pub caller: String,
    /// The provider's own operation name.
    pub operation: String,
    /// What the provider receives (may hold `$ref` objects).
    #[serde(default = "empty_object")]
    pub request: Value,
    /// The ids the step gives to the handshakes it creates, in order.
    #[serde(default)]
    pub new_ids: Vec<String>,
    /// The request id the response carries, for a provider whose body carries one
    /// ([`Description::request_id_in_body`](crate::provider::Description::request_id_in_body):
    /// Alibaba's `RequestId`); absent, the provider's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// A note for readers (ignored by runners).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The response it must get.
    pub expect: Expect,
}

impl Step {
    /// The step that records a call and the whole reply it got, with the ids the call gave new
    /// handshakes: what an emulator's journal holds, and what replays as a vector. The request
    /// id is kept only where the provider's body carries it
    /// ([`Description::request_id_in_body`](crate::provider::Description::request_id_in_body)),
    /// as the format says.
    ///
    /// ```
    /// use org_handshake::conformance::Step;
    /// use org_handshake::provider::{Call, Provider, Service};
    /// let mut service = Service::new(Provider::Aws, &Default::default())?;
    /// let request = serde_json::json!({"HandshakeId": "h-0123456789"});
    /// let call = Call::new("DescribeHandshake", "111111111111", "2026-01-05T10:00:00Z".parse()?, &request)
    ///     .with_request_id("r-1");
    /// let reply = service.call(&call)?;
    /// let step = Step::record(service.dialect(), &call, &[], &reply);
    /// assert_eq!((step.expect.status, step.request_id), (404, None));
    /// assert_eq!(step.expect.body["__type"], "HandshakeNotFoundException");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(
        dialect: &dyn crate::provider::Dialect,
        call: &crate::provider::Call<'_>,
        new_ids: &[String],
        reply: &crate::provider::Reply,
    ) -> Step {
        let in_body = dialect.description().request_id_in_body && !call.request_id.is_empty();
        Step {
            at: call.now,
            caller: call.caller.to_owned(),
            operation: call.operation.to_owned(),
            request: call.request.clone(),
            new_ids: new_ids.to_vec(),
            request_id: in_body.then(|| call.request_id.to_owned()),
            comment: None,
            expect: Expect {
                status: reply.status,
                body: reply.json(),
            },
        }
    }
}

/// A whole vector file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// A stable id.
    pub id: String,
    /// What the file proves.
    pub description: String,
    /// The provider it speaks, by its dialect's [`name`](crate::provider::Description::name)
    /// (`aws`, `huawei`, `alibaba`, or a dialect of the runner's own).
    pub provider: String,
    /// Which reading of an ambiguous provider document the file encodes, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// The world before the first step.
    #[serde(default)]
    pub world: World,
    /// The calls.
    pub steps: Vec<Step>,
}

impl VectorFile {
    /// Parses a vector file and checks the format's rules: the format tag, a non-empty id,
    /// times that never decrease, `$ref`s that point to earlier steps, and accounts listed once.
    ///
    /// # Errors
    ///
    /// [`VectorError`] naming the first problem.
    ///
    /// ```
    /// use org_handshake::conformance::VectorFile;
    /// let file = VectorFile::parse(r#"{"format": "org-handshake-vectors/1", "id": "x", "description": "d",
    ///   "provider": "aws", "steps": []}"#)?;
    /// assert_eq!(file.id, "x");
    /// assert!(VectorFile::parse(r#"{"format": "v0", "id": "x", "description": "d", "provider": "aws", "steps": []}"#).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(json: &str) -> Result<Self, VectorError> {
        let mut de = serde_json::Deserializer::from_str(json);
        let file: VectorFile =
            serde_path_to_error::deserialize(&mut de).map_err(|err| VectorError::Json {
                path: err.path().to_string(),
                message: err.inner().to_string(),
            })?;
        de.end().map_err(|err| VectorError::Json {
            path: String::new(),
            message: err.to_string(),
        })?;
        file.check()?;
        Ok(file)
    }

    fn check(&self) -> Result<(), VectorError> {
        let rule = |message: String| Err(VectorError::Rule(message));
        if self.format != FORMAT {
            return rule(format!("format is `{}`, expected `{FORMAT}`", self.format));
        }
        if self.id.trim().is_empty() {
            return rule("id is empty".into());
        }
        if self.provider.trim().is_empty() {
            return rule("provider is empty".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        let world_accounts = self
            .world
            .organizations
            .iter()
            .map(|o| &o.management_account)
            .chain(&self.world.accounts);
        for account in world_accounts {
            if !seen.insert(account.id) {
                return rule(format!("account {} is listed twice", account.id));
            }
        }
        for (index, pair) in self.steps.windows(2).enumerate() {
            if let [earlier, later] = pair {
                if later.at < earlier.at {
                    return rule(format!(
                        "step {}: `at` {} is before the previous step's {}",
                        index + 1,
                        later.at,
                        earlier.at
                    ));
                }
            }
        }
        for (index, step) in self.steps.iter().enumerate() {
            check_refs(&step.request, index)?;
        }
        Ok(())
    }
}

/// A parsed `$ref`: the step and the path inside its body.
fn parse_ref(reference: &str) -> Option<(usize, Vec<PathPart>)> {
    let rest = reference.strip_prefix("steps[")?;
    let (index, rest) = rest.split_once(']')?;
    let step = index.parse().ok()?;
    let rest = rest.strip_prefix(".body")?;
    let mut parts = Vec::new();
    let mut rest = rest;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let (key, tail) = after.split_at(end);
            if key.is_empty() {
                return None;
            }
            parts.push(PathPart::Key(key.to_owned()));
            rest = tail;
        } else if let Some(after) = rest.strip_prefix('[') {
            let (index, tail) = after.split_once(']')?;
            parts.push(PathPart::Index(index.parse().ok()?));
            rest = tail;
        } else {
            return None;
        }
    }
    Some((step, parts))
}

enum PathPart {
    Key(String),
    Index(usize),
}

/// The reference string if `value` is a `{"$ref": "…"}` object.
fn as_ref_object(value: &Value) -> Option<&Value> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get("$ref"),
        _ => None,
    }
}

fn check_refs(value: &Value, step: usize) -> Result<(), VectorError> {
    if let Some(reference) = as_ref_object(value) {
        let text = reference.as_str().unwrap_or_default();
        return match parse_ref(text) {
            Some((target, _)) if target < step => Ok(()),
            Some((target, _)) => Err(VectorError::Ref {
                step,
                reference: text.to_owned(),
                reason: format!("step {target} is not an earlier step"),
            }),
            None => Err(VectorError::Ref {
                step,
                reference: text.to_owned(),
                reason: "not of the form steps[N].body.PATH".into(),
            }),
        };
    }
    match value {
        Value::Object(map) => map.values().try_for_each(|v| check_refs(v, step)),
        Value::Array(items) => items.iter().try_for_each(|v| check_refs(v, step)),
        _ => Ok(()),
    }
}

/// Replaces every `{"$ref": "steps[N].body.PATH"}` in `request` with the value at `PATH` in
/// `bodies[N]`, the actual response body of step `N`.
///
/// # Errors
///
/// [`VectorError::Ref`] when a reference is malformed, points to step `step` or later, or to a
/// path the body does not have.
///
/// ```
/// use org_handshake::conformance::resolve_refs;
/// use serde_json::json;
///
/// let bodies = [json!({"NextToken": "abc", "Handshakes": [{"Id": "h-0123456789"}]})];
/// let request = json!({"NextToken": {"$ref": "steps[0].body.NextToken"}, "Id": {"$ref": "steps[0].body.Handshakes[0].Id"}});
/// assert_eq!(resolve_refs(&request, &bodies, 1)?, json!({"NextToken": "abc", "Id": "h-0123456789"}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn resolve_refs(request: &Value, bodies: &[Value], step: usize) -> Result<Value, VectorError> {
    resolve_with(
        request,
        &|n, path| {
            let mut value = bodies.get(n).ok_or(Unresolved::NoBody)?;
            for part in path {
                value = match part {
                    PathPart::Key(key) => value.get(key.as_str()),
                    PathPart::Index(index) => value.get(*index),
                }
                .ok_or(Unresolved::NoPath)?;
            }
            Ok(value.clone())
        },
        step,
    )
}

/// Why a `$ref` found nothing.
enum Unresolved {
    /// The step has no body.
    NoBody,
    /// The body has no such path.
    NoPath,
}

/// Looks up the value at a path in step `n`'s body.
type ValueAt<'a> = dyn Fn(usize, &[PathPart]) -> Result<Value, Unresolved> + 'a;

/// [`resolve_refs`] over any store of earlier bodies: `value_at(n, path)` looks the value up,
/// so that [`replay`] reads it out of step `n`'s JSON text without parsing the rest.
fn resolve_with(
    request: &Value,
    value_at: &ValueAt<'_>,
    step: usize,
) -> Result<Value, VectorError> {
    if let Some(reference) = as_ref_object(request) {
        let text = reference.as_str().unwrap_or_default();
        let fail = |reason: String| VectorError::Ref {
            step,
            reference: text.to_owned(),
            reason,
        };
        let (target, path) =
            parse_ref(text).ok_or_else(|| fail("not of the form steps[N].body.PATH".into()))?;
        if target >= step {
            return Err(fail(format!("step {target} is not an earlier step")));
        }
        return value_at(target, &path).map_err(|why| match why {
            Unresolved::NoBody => fail(format!("step {target} has no body")),
            Unresolved::NoPath => fail("the path is not in that step's body".into()),
        });
    }
    Ok(match request {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), resolve_with(v, value_at, step)?)))
                .collect::<Result<_, VectorError>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve_with(v, value_at, step))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// Where an actual body differs from the expected subset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    /// The path of the difference (`Handshakes[1].State`; empty for the whole body).
    pub path: String,
    /// What was expected there.
    pub expected: Value,
    /// What was there (`null` when absent).
    pub actual: Value,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at `{}`: expected {}, got {}",
            self.path, self.expected, self.actual
        )
    }
}

/// Matches `actual` against `expected` as a subset: every key given must be present with a
/// matching value; an array must have the same length and match element by element; numbers
/// compare by value; an expected `null` matches an absent key or `null`; keys not given are
/// not checked.
///
/// # Errors
///
/// The first [`Mismatch`].
pub fn match_subset(expected: &Value, actual: &Value) -> Result<(), Mismatch> {
    match_at(expected, Some(actual), &mut String::new())
}

/// [`match_subset`] against a body still in JSON text, as [`replay`] matches: the same answer
/// as parsing `actual` and calling `match_subset`, without building a `Value` when it matches.
/// Text that is not JSON (a reply without a body included) is read as a JSON string holding
/// it, as [`Reply::json`](crate::provider::Reply::json) reads it and [`Step::record`] records it.
///
/// # Errors
///
/// The [`Mismatch`] `match_subset` gives.
///
/// ```
/// use org_handshake::conformance::match_subset_text;
/// use serde_json::json;
///
/// let body = r#"{"Handshake": {"State": "OPEN", "RequestedTimestamp": 1767607200.0}}"#;
/// assert!(match_subset_text(&json!({"Handshake": {"RequestedTimestamp": 1767607200}}), body).is_ok());
/// let mismatch = match_subset_text(&json!({"Handshake": {"State": "ACCEPTED"}}), body).unwrap_err();
/// assert_eq!(mismatch.path, "Handshake.State");
/// // No body at all matches only an expectation that asks for nothing.
/// assert!(match_subset_text(&json!({}), "").is_ok());
/// assert!(match_subset_text(&json!({"RequestId": "r"}), "").is_err());
/// ```
pub fn match_subset_text(expected: &Value, actual: &str) -> Result<(), Mismatch> {
    if subset_text::matches(expected, actual) {
        return Ok(());
    }
    // A reply without a body (Huawei's delete, leave, remove) says nothing, as `{}` does.
    if actual.trim().is_empty() && expected.as_object().is_some_and(|o| o.is_empty()) {
        return Ok(());
    }
    // The slow path says where, and settles what the visitor reads differently from a parsed
    // `Value` (a duplicate key: the `Value` keeps the last).
    match serde_json::from_str::<Value>(actual) {
        Ok(actual) => match_subset(expected, &actual),
        Err(_) => match_subset(expected, &Value::String(actual.to_owned())),
    }
}

fn match_at(expected: &Value, actual: Option<&Value>, path: &mut String) -> Result<(), Mismatch> {
    let mismatch = |path: &String| Mismatch {
        path: path.clone(),
        expected: expected.clone(),
        actual: actual.cloned().unwrap_or(Value::Null),
    };
    match (expected, actual) {
        (Value::Null, None | Some(Value::Null)) => Ok(()),
        (Value::Object(want), Some(Value::Object(have))) => {
            for (key, value) in want {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                match_at(value, have.get(key), path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Value::Array(want), Some(Value::Array(have))) => {
            if want.len() != have.len() {
                return Err(mismatch(path));
            }
            for (index, (w, h)) in want.iter().zip(have).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                match_at(w, Some(h), path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Value::Number(want), Some(Value::Number(have))) => {
            let equal = match (want.as_i64(), have.as_i64()) {
                (Some(a), Some(b)) => a == b,
                _ => want.as_f64() == have.as_f64(),
            };
            if equal {
                Ok(())
            } else {
                Err(mismatch(path))
            }
        }
        (want, Some(have)) if want == have => Ok(()),
        _ => Err(mismatch(path)),
    }
}

/// An implementation that vectors can be replayed against.
pub trait Implementation {
    /// Starts a fresh world for a file of `provider` (a dialect's name).
    ///
    /// # Errors
    ///
    /// A message when the provider is unknown or the world cannot be built (the file is then
    /// failed).
    fn reset(&mut self, provider: &str, world: &World) -> Result<(), String>;

    /// Makes one call and answers with the HTTP status and the JSON body. `request` has its
    /// `$ref`s resolved already.
    fn call(&mut self, step: &Step, request: &Value) -> (u16, Value);

    /// As [`call`](Self::call), with the body as JSON text: what [`replay`] asks for. The
    /// default writes out `call`'s body; an implementation whose answers are text already (an
    /// HTTP client, the [`Reference`]) gives them as they are, and replay matches them without
    /// building a `Value`.
    fn call_text(&mut self, step: &Step, request: &Value) -> (u16, String) {
        let (status, body) = self.call(step, request);
        (status, body.to_string())
    }
}

/// The outcome of one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepOutcome {
    /// The step's index.
    pub step: usize,
    /// The actual status.
    pub status: u16,
    /// The actual body, as the JSON text the implementation answered. (Serialized as the JSON
    /// it holds, not as a string.)
    #[serde(serialize_with = "crate::provider::call::embedded_json")]
    pub body: String,
    /// Whether status and body matched the expectation.
    pub ok: bool,
    /// Why not, when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<String>,
}

impl StepOutcome {
    /// The actual body read as a `serde_json::Value` (a JSON string holding the text, for an
    /// answer that is not JSON).
    pub fn json(&self) -> Value {
        crate::provider::call::body_json(&self.body)
    }
}

/// Replays `file` against `implementation`, step by step.
///
/// # Errors
///
/// [`VectorError`] when the world cannot be built or a `$ref` cannot be resolved; the steps
/// replayed until then are lost with it, since the file as a whole is failed.
pub fn replay(
    file: &VectorFile,
    implementation: &mut dyn Implementation,
) -> Result<Vec<StepOutcome>, VectorError> {
    implementation
        .reset(&file.provider, &file.world)
        .map_err(|reason| VectorError::Rule(format!("world: {reason}")))?;
    let mut outcomes: Vec<StepOutcome> = Vec::with_capacity(file.steps.len());
    // Bodies stay text: matched as text, and a `$ref` reads its value out of the text.
    for (index, step) in file.steps.iter().enumerate() {
        let request = resolve_with(
            &step.request,
            &|n, path| {
                let body = &outcomes.get(n).ok_or(Unresolved::NoBody)?.body;
                subset_text::value_at(body, path).ok_or(Unresolved::NoPath)
            },
            index,
        )?;
        let (status, body) = implementation.call_text(step, &request);
        let mismatch = if status != step.expect.status {
            Some(format!(
                "status: expected {}, got {status}",
                step.expect.status
            ))
        } else {
            match_subset_text(&step.expect.body, &body)
                .err()
                .map(|m| m.to_string())
        };

        outcomes.push(StepOutcome {
            step: index,
            status,
            body,
            ok: mismatch.is_none(),
            mismatch,
        });
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests;
