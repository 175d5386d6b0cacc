//! Provider shapes: each provider's own JSON for handshakes, operation responses and errors,
//! converted to and from the neutral model.
//!
//! Each provider module (`aws`, `huawei`, `alibaba`) owns its wire types and its error table;
//! nothing here knows one provider from another. What they share is the vocabulary of this
//! module: an [`ErrorResponse`] (HTTP status and JSON body) and a [`WireError`] for JSON that
//! does not describe a handshake.

pub mod alibaba;
pub mod aws;
pub mod huawei;
mod stamp;

use std::fmt;

use crate::error::InvalidHandshake;
use crate::handshake::Handshake;
use crate::policy::Profile;
use crate::vocab::UnknownValue;

/// One of the providers the crate speaks.
///
/// ```
/// use org_handshake::provider::Provider;
/// assert_eq!("huawei".parse::<Provider>()?, Provider::Huawei);
/// assert_eq!(Provider::Alibaba.profile().name, "alibaba");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// AWS Organizations.
    Aws,
    /// Huawei Cloud Organizations.
    Huawei,
    /// Alibaba Cloud Resource Directory.
    Alibaba,
}

impl Provider {
    /// Every provider.
    pub const fn values() -> &'static [Provider] {
        &[Provider::Aws, Provider::Huawei, Provider::Alibaba]
    }

    /// The provider's lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Huawei => "huawei",
            Provider::Alibaba => "alibaba",
        }
    }

    /// The provider's durations, limits and id rule.
    pub const fn profile(self) -> Profile {
        match self {
            Provider::Aws => Profile::AWS,
            Provider::Huawei => Profile::HUAWEI,
            Provider::Alibaba => Profile::ALIBABA,
        }
    }

    /// Renders a handshake as this provider's bare handshake object.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] (or another [`WireError`]) when the provider cannot express
    /// the handshake: an action it lacks, a recipient kind it cannot name, an id outside its
    /// pattern.
    pub fn render_handshake(self, handshake: &Handshake) -> Result<serde_json::Value, WireError> {
        match self {
            Provider::Aws => aws::render_handshake(handshake),
            Provider::Huawei => huawei::render_handshake(handshake),
            Provider::Alibaba => alibaba::render_handshake(handshake),
        }
    }

    /// Renders a handshake as this provider's bare handshake object, as JSON text: the text of
    /// the provider's `WireHandshake` serialized with `serde_json::to_string` (keys in the
    /// provider's documented order), without building a `serde_json::Value` first.
    ///
    /// # Errors
    ///
    /// As [`render_handshake`](Self::render_handshake).
    ///
    /// ```
    /// use org_handshake::provider::Provider;
    /// let h = org_handshake::example_handshake()?;
    /// let text = Provider::Huawei.render_handshake_json(&h)?;
    /// let value: serde_json::Value = serde_json::from_str(&text)?;
    /// assert_eq!(value, Provider::Huawei.render_handshake(&h)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render_handshake_json(self, handshake: &Handshake) -> Result<String, WireError> {
        match self {
            Provider::Aws => aws::render_handshake_json(handshake),
            Provider::Huawei => huawei::render_handshake_json(handshake),
            Provider::Alibaba => alibaba::render_handshake_json(handshake),
        }
    }

    /// Parses this provider's bare handshake object.
    ///
    /// # Errors
    ///
    /// A [`WireError`] naming the field at fault.
    pub fn parse_handshake(self, json: &str) -> Result<Handshake, WireError> {
        match self {
            Provider::Aws => aws::parse_handshake(json),
            Provider::Huawei => huawei::parse_handshake(json),
            Provider::Alibaba => alibaba::parse_handshake(json),
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Provider {
    type Err = UnknownValue;
    fn from_str(value: &str) -> Result<Self, UnknownValue> {
        Provider::values()
            .iter()
            .copied()
            .find(|p| p.as_str() == value)
            .ok_or_else(|| UnknownValue::new("provider", value))
    }
}

/// Renders one neutral handshake for every provider: the JSON where the provider can express
/// it, the reason where it cannot.
///
/// ```
/// use org_handshake::provider::{render_everywhere, Provider};
/// let h = org_handshake::example_handshake()?; // an AWS-style invitation in `o-exampleorgid`
/// let rendered = render_everywhere(&h);
/// assert!(rendered[0].1.is_ok()); // AWS
/// assert!(rendered[1].1.is_ok()); // Huawei: `o-` organizations, account targets
/// assert!(rendered[2].1.is_err()); // Alibaba: resource directories are `rd-…`
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_everywhere(
    handshake: &Handshake,
) -> [(Provider, Result<serde_json::Value, WireError>); 3] {
    [Provider::Aws, Provider::Huawei, Provider::Alibaba]
        .map(|provider| (provider, provider.render_handshake(handshake)))
}

/// Translates a bare handshake object from one provider's JSON to another's, through the
/// neutral model. What the target cannot carry (a management email, a feature set) is
/// dropped by its renderer; what it cannot express at all is an error.
///
/// # Errors
///
/// The source parser's [`WireError`], or the target renderer's when it cannot express the
/// handshake.
///
/// ```
/// use org_handshake::provider::{translate, Provider};
/// let aws = org_handshake::provider::aws::render_handshake(&org_handshake::example_handshake()?)?;
/// let huawei = translate(Provider::Aws, &aws.to_string(), Provider::Huawei)?;
/// assert_eq!(huawei["status"], "pending");
/// assert_eq!(huawei["target"]["entity"], "222222222222");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn translate(from: Provider, json: &str, to: Provider) -> Result<serde_json::Value, WireError> {
    let handshake = from.parse_handshake(json)?;
    to.render_handshake(&handshake)
}

/// An error as a provider answers it: the HTTP status and the JSON body.
///
/// ```
/// use org_handshake::provider::ErrorResponse;
/// let response = ErrorResponse { status: 404, body: serde_json::json!({"Code": "EntityNotExists.Handshake"}) };
/// assert_eq!(response.status, 404);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ErrorResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The provider's error body.
    pub body: serde_json::Value,
}

/// Why a provider's JSON could not be read as (or a handshake could not be written as) that
/// provider's shape. Every variant names the field at fault, as a dotted path in the provider's
/// own key names (`Handshake.Resources[0].Type`).
///
/// ```
/// use org_handshake::provider::WireError;
/// let err = WireError::Missing { field: "Handshake.Id".into() };
/// assert_eq!(err.to_string(), "missing field `Handshake.Id`");
/// assert_eq!(err.code(), "missing_field");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// Not JSON, or JSON of the wrong type at `field`.
    #[error("invalid json at `{field}`: {message}")]
    Json {
        /// Where (empty for the document itself).
        field: String,
        /// What the JSON parser said.
        message: String,
    },
    /// A required field is absent.
    #[error("missing field `{field}`")]
    Missing {
        /// Which.
        field: String,
    },
    /// A field's value is malformed (an id, a timestamp).
    #[error("invalid `{field}`: {reason}")]
    Invalid {
        /// Which.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A field holds a value its enum does not have.
    #[error("`{field}`: {source}")]
    UnknownValue {
        /// Which.
        field: String,
        /// The value.
        source: UnknownValue,
    },
    /// Two fields disagree (an ARN or URN that does not match the id, say).
    #[error("`{field}` is inconsistent: {reason}")]
    Inconsistent {
        /// Which.
        field: String,
        /// How.
        reason: String,
    },
    /// The fields are well formed but describe a handshake that cannot exist.
    #[error("not a possible handshake: {0}")]
    Model(#[from] InvalidHandshake),
    /// The provider cannot express this handshake (an action or state it does not have).
    #[error("{provider} cannot express {what}")]
    Unsupported {
        /// The provider.
        provider: &'static str,
        /// What it cannot express.
        what: String,
    },
}

impl WireError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            WireError::Json { .. } => "invalid_json",
            WireError::Missing { .. } => "missing_field",
            WireError::Invalid { .. } => "invalid_field",
            WireError::UnknownValue { .. } => "unknown_value",
            WireError::Inconsistent { .. } => "inconsistent_fields",
            WireError::Model(_) => "impossible_handshake",
            WireError::Unsupported { .. } => "unsupported",
        }
    }
}

/// Deserializes `json` into `T`, naming the path of any type error
/// (through `serde_path_to_error`).
///
/// # Errors
///
/// [`WireError::Json`] with the path and the parser's message.
pub fn from_json<'de, T: serde::Deserialize<'de>>(json: &'de str) -> Result<T, WireError> {
    // Path tracking costs about as much as the parse itself, and only an error needs the path:
    // parse plainly first, and parse again with tracking (which fails the same way) to name it.
    match serde_json::from_str(json) {
        Ok(value) => Ok(value),
        Err(_) => from_json_tracked(json),
    }
}

/// [`from_json`] with the path tracked from the start.
fn from_json_tracked<'de, T: serde::Deserialize<'de>>(json: &'de str) -> Result<T, WireError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| WireError::Json {
        field: err.path().to_string(),
        message: err.inner().to_string(),
    })?;
    de.end().map_err(|err| WireError::Json {
        field: String::new(),
        message: err.to_string(),
    })?;
    Ok(value)
}

/// Serializes a provider's rendering as JSON text.
///
/// # Errors
///
/// [`WireError::Json`] if the serializer fails, which a rendering of strings and numbers does
/// not do in practice.
pub(crate) fn to_json_string<T: serde::Serialize>(value: &T) -> Result<String, WireError> {
    let json_error = |message: String| WireError::Json {
        field: String::new(),
        message,
    };
    // Room for a whole handshake at once (serde_json starts at 128 bytes and grows).
    let mut text = Vec::with_capacity(1024);
    serde_json::to_writer(&mut text, value).map_err(|err| json_error(err.to_string()))?;
    String::from_utf8(text).map_err(|err| json_error(err.to_string()))
}

/// One provider-shaped call, as a vector step or an emulator's HTTP handler gives it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The provider's own operation name (`AcceptHandshake`, `accept_handshake`, …).
    pub operation: &'a str,
    /// The calling account id, as authentication established it.
    pub caller: &'a str,
    /// When the call is made.
    pub now: chrono::DateTime<chrono::Utc>,
    /// The request in the provider's shape: AWS the JSON 1.1 body; Huawei
    /// `{"path": {…}, "query": {…}, "body": {…}}`; Alibaba the flat map of query parameters.
    pub request: &'a serde_json::Value,
    /// The ids to give the handshakes the call creates, in order.
    pub new_ids: &'a [String],
    /// The `RequestId` an Alibaba response carries (ignored by the others).
    pub request_id: &'a str,
}

/// A provider's answer: the HTTP status and the JSON body.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The body.
    pub body: serde_json::Value,
}

impl From<ErrorResponse> for Reply {
    fn from(error: ErrorResponse) -> Self {
        Reply {
            status: error.status,
            body: error.body,
        }
    }
}

/// A call the harness got wrong, which no provider would answer: the ids it must supply for
/// new handshakes are missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The call creates more handshakes than ids were given.
    #[error("the call creates {needed} handshake(s) but {given} id(s) were given")]
    MissingNewIds {
        /// How many the call needs.
        needed: usize,
        /// How many were given.
        given: usize,
    },
    /// A given id breaks the provider's handshake id pattern.
    #[error("new id `{id}` is not a valid handshake id for {provider}: {reason}")]
    InvalidNewId {
        /// The provider.
        provider: Provider,
        /// The id (cut to 64 characters).
        id: String,
        /// Why.
        reason: String,
    },
}

impl CallError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            CallError::MissingNewIds { .. } => "missing_new_ids",
            CallError::InvalidNewId { .. } => "invalid_new_id",
        }
    }
}

/// Why an operation layer did not answer a call with success: the provider's own error reply,
/// or a mistake of the harness that no provider would answer.
pub(crate) enum Refusal {
    /// The provider answers with this error.
    Provider(crate::error::Failure),
    /// The harness got the call wrong.
    Harness(CallError),
}

impl From<crate::error::Failure> for Refusal {
    fn from(failure: crate::error::Failure) -> Self {
        Refusal::Provider(failure)
    }
}

impl From<CallError> for Refusal {
    fn from(err: CallError) -> Self {
        Refusal::Harness(err)
    }
}

/// Runs `f` with the call's `new_ids` as an [`IdList`](crate::IdList): the ledger draws them
/// in order, only for the handshakes a call creates, once it has passed every check.
pub(crate) fn with_new_ids<T>(
    new_ids: &[String],
    f: impl FnOnce(&mut dyn crate::IdSource) -> T,
) -> T {
    let texts: Vec<&str> = new_ids.iter().map(String::as_str).collect();
    f(&mut crate::IdList::new(&texts))
}

/// The harness's mistake behind a ledger refusal, if it is one: the call's ids ran out, or one
/// is malformed, or in use. No provider answers these; they are the caller's to fix.
pub(crate) fn new_id_mistake(provider: Provider, err: &crate::LedgerError) -> Option<CallError> {
    match err {
        crate::LedgerError::IdSource {
            needed,
            source: crate::IdSourceError::Exhausted { drawn },
        } => Some(CallError::MissingNewIds {
            needed: *needed,
            given: *drawn,
        }),
        crate::LedgerError::IdSource {
            source: crate::IdSourceError::Invalid { id, reason },
            ..
        } => Some(CallError::InvalidNewId {
            provider,
            id: id.clone(),
            reason: reason.clone(),
        }),
        crate::LedgerError::HandshakeIdInUse { id } => Some(CallError::InvalidNewId {
            provider,
            id: id.to_string(),
            reason: "the id is in use by a handshake that still exists".into(),
        }),
        _ => None,
    }
}

/// Parses the `new_ids` of a call under the provider's pattern.
///
/// # Errors
///
/// [`CallError::InvalidNewId`] for the first malformed id.
pub fn parse_new_ids(
    provider: Provider,
    new_ids: &[String],
) -> Result<Vec<crate::HandshakeId>, CallError> {
    new_ids
        .iter()
        .map(|id| {
            provider
                .profile()
                .parse_handshake_id(id)
                .map_err(|err| CallError::InvalidNewId {
                    provider,
                    id: id.chars().take(64).collect(),
                    reason: err.to_string(),
                })
        })
        .collect()
}

/// One provider's service over a [`Ledger`](crate::ledger::Ledger): takes provider-shaped
/// calls and answers as the provider does.
///
/// ```
/// use org_handshake::ledger::World;
/// use org_handshake::provider::{Call, Provider, Service};
///
/// let mut service = Service::new(Provider::Aws, &World::default())?;
/// let request = serde_json::json!({"HandshakeId": "h-0123456789"});
/// let reply = service.call(&Call {
///     operation: "DescribeHandshake",
///     caller: "111111111111",
///     now: "2026-01-05T10:00:00Z".parse()?,
///     request: &request,
///     new_ids: &[],
///     request_id: "",
/// })?;
/// assert_eq!(reply.status, 404);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Service {
    provider: Provider,
    ledger: crate::ledger::Ledger,
}

impl Service {
    /// A service for `provider` over a new ledger of `world`, with the provider's profile.
    ///
    /// # Errors
    ///
    /// [`WorldError`](crate::ledger::WorldError) when the world cannot exist.
    pub fn new(
        provider: Provider,
        world: &crate::ledger::World,
    ) -> Result<Self, crate::ledger::WorldError> {
        Ok(Service {
            provider,
            ledger: crate::ledger::Ledger::new(provider.profile(), world)?,
        })
    }

    /// The provider.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The ledger behind the service.
    pub fn ledger(&self) -> &crate::ledger::Ledger {
        &self.ledger
    }

    /// Answers one call as the provider does. Refused calls change nothing.
    ///
    /// # Errors
    ///
    /// [`CallError`] when the harness did not supply valid ids for the handshakes the call
    /// creates; every other problem is the provider's own error reply.
    pub fn call(&mut self, call: &Call<'_>) -> Result<Reply, CallError> {
        match self.provider {
            Provider::Aws => aws::ops::handle(&mut self.ledger, call),
            Provider::Huawei => huawei::ops::handle(&mut self.ledger, call),
            Provider::Alibaba => alibaba::ops::handle(&mut self.ledger, call),
        }
    }
}
