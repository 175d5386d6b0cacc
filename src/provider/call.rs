//! A provider-shaped [`Call`] in, a [`Reply`] an HTTP layer can send as it is out, and the
//! [`CallError`] for a call the harness got wrong.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::ErrorKind;
use crate::id::HandshakeId;
use crate::Event;

#[cfg(doc)]
use super::Service;
#[cfg(doc)]
use crate::id_source::IdSource;

/// One provider-shaped call, as a vector step or an emulator's HTTP handler gives it.
///
/// ```
/// use org_handshake::provider::Call;
/// let request = serde_json::json!({"HandshakeId": "h-0123456789"});
/// let call = Call::new("DescribeHandshake", "111111111111", "2026-01-05T10:00:00Z".parse()?, &request)
///     .with_request_id("req-1");
/// assert!(call.new_ids.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The provider's own operation name (`AcceptHandshake`, `accept_handshake`, …).
    pub operation: &'a str,
    /// The calling account id, as authentication established it.
    pub caller: &'a str,
    /// When the call is made.
    pub now: DateTime<Utc>,
    /// The request in the provider's shape: AWS the JSON 1.1 body; Huawei
    /// `{"path": {…}, "query": {…}, "body": {…}}`; Alibaba the flat map of query parameters.
    pub request: &'a Value,
    /// The ids to give the handshakes the call creates, in order (what a vector's `new_ids`
    /// gives); [`Service::call_with`] takes any [`IdSource`] instead.
    pub new_ids: &'a [&'a str],
    /// The request id the reply carries; empty for the provider's default.
    pub request_id: &'a str,
}

impl<'a> Call<'a> {
    /// A call with no new ids and the provider's default request id.
    pub const fn new(
        operation: &'a str,
        caller: &'a str,
        now: DateTime<Utc>,
        request: &'a Value,
    ) -> Self {
        Call {
            operation,
            caller,
            now,
            request,
            new_ids: &[],
            request_id: "",
        }
    }

    /// The same call, giving these ids to the handshakes it creates.
    pub const fn with_new_ids(mut self, new_ids: &'a [&'a str]) -> Self {
        self.new_ids = new_ids;
        self
    }

    /// The same call, with this request id.
    pub const fn with_request_id(mut self, request_id: &'a str) -> Self {
        self.request_id = request_id;
        self
    }
}

/// A provider's answer, ready for an HTTP layer: the status, the JSON body as text, the
/// headers the provider sends with it, and in neutral terms what happened (the failure's kind,
/// or the events of a success).
///
/// The body is the JSON text the provider sends, written straight from the ledger's handshakes:
/// an HTTP layer sends [`body`](Self::body) as it is, and [`json`](Self::json) reads it into a
/// `serde_json::Value` for a caller that wants to look inside. Keys come in the provider's own
/// order (the order of its documented response shape), not sorted.
///
/// ```
/// use org_handshake::provider::{Call, Provider, Service};
/// let mut service = Service::new(Provider::Aws, &Default::default())?;
/// let request = serde_json::json!({"HandshakeId": "h-0123456789"});
/// let reply = service.call(&Call::new("DescribeHandshake", "111111111111", "2026-01-05T10:00:00Z".parse()?, &request))?;
/// assert_eq!(reply.status, 404);
/// // The text an HTTP layer sends as it is, keys in AWS's order:
/// assert!(reply.body.starts_with(r#"{"__type":"HandshakeNotFoundException","Message":"#));
/// // A `serde_json::Value` only when asked for.
/// assert_eq!(reply.json()["__type"], "HandshakeNotFoundException");
/// // The same code without reading the body, whichever provider answered:
/// assert_eq!(reply.error_code.as_deref(), Some("HandshakeNotFoundException"));
/// assert_eq!(reply.error_reason, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The body: JSON text, ready to send. (Serialized as the JSON it holds, not as a string.)
    #[serde(serialize_with = "embedded_json")]
    pub body: String,
    /// The provider's reply headers (AWS `Content-Type`, `x-amzn-RequestId`,
    /// `X-Amzn-ErrorType`; Huawei `X-Request-Id`; …), besides those an HTTP layer adds itself.
    pub headers: Vec<(&'static str, String)>,
    /// For a failure, its neutral kind.
    pub error: Option<ErrorKind>,
    /// For a failure, the provider's error code its body carries (AWS `__type`, Huawei
    /// `error_code`, Alibaba `Code`), as the error table and the service's overrides decided
    /// it: what a test, an embedder or a policy engine reads without parsing each provider's
    /// error body. `None` for a success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// For a failure whose error table row gives one, the secondary code its body carries
    /// (AWS `Reason`, such as `ALREADY_IN_AN_ORGANIZATION`); `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_reason: Option<String>,
    /// For a success, what changed; empty exactly when the call changed nothing.
    pub events: Vec<Event>,
}

impl Reply {
    /// The value of header `name` (compared without regard to case).
    ///
    /// ```
    /// use org_handshake::provider::{Call, Provider, Service};
    /// let mut service = Service::new(Provider::Aws, &Default::default())?;
    /// let request = serde_json::json!({"HandshakeId": "h-0123456789"});
    /// let reply = service.call(&Call::new("DescribeHandshake", "111111111111", "2026-01-05T10:00:00Z".parse()?, &request))?;
    /// assert_eq!(reply.header("content-type"), Some("application/x-amz-json-1.1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Whether the call changed state.
    pub fn changed(&self) -> bool {
        !self.events.is_empty()
    }

    /// The body read as a `serde_json::Value`: a parse of [`body`](Self::body), made only when
    /// asked for. A body that is not JSON (never one a [`Service`] writes) is returned as a
    /// JSON string holding the text.
    ///
    /// ```
    /// use org_handshake::provider::{Call, Provider, Service};
    /// let mut service = Service::new(Provider::Aws, &Default::default())?;
    /// let request = serde_json::json!({"HandshakeId": "h-0123456789"});
    /// let reply = service.call(&Call::new("DescribeHandshake", "111111111111", "2026-01-05T10:00:00Z".parse()?, &request))?;
    /// assert_eq!(reply.json()["__type"], "HandshakeNotFoundException");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn json(&self) -> Value {
        body_json(&self.body)
    }
}

/// A JSON body read as a `Value`; a body that is not JSON, as a JSON string holding it.
pub(crate) fn body_json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()))
}

/// Serializes a JSON body as the JSON it holds (a body that is not JSON, as a string).
pub(crate) fn embedded_json<S: serde::Serializer>(
    body: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    match serde_json::from_str::<Value>(body) {
        Ok(value) => value.serialize(serializer),
        Err(_) => serializer.serialize_str(body),
    }
}

/// A call the harness got wrong, which no provider would answer: the ids it must supply for
/// new handshakes are missing, malformed or in use.
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
        provider: &'static str,
        /// The id (cut to 64 characters).
        id: String,
        /// Why.
        reason: String,
    },
    /// A given id is held by a handshake that still exists.
    #[error("new id `{id}` is in use by a handshake that still exists")]
    NewIdInUse {
        /// The id.
        id: HandshakeId,
    },
    /// A given organization id is held by an organization the ledger knows (a deleted one
    /// included).
    #[error("new id `{id}` is in use by an organization")]
    NewOrganizationIdInUse {
        /// The id.
        id: crate::id::OrganizationId,
    },
}

impl CallError {
    /// The stable code of this error.
    ///
    /// ```
    /// let err = org_handshake::provider::CallError::MissingNewIds { needed: 1, given: 0 };
    /// assert_eq!(err.code(), "missing_new_ids");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            CallError::MissingNewIds { .. } => "missing_new_ids",
            CallError::InvalidNewId { .. } => "invalid_new_id",
            CallError::NewIdInUse { .. } | CallError::NewOrganizationIdInUse { .. } => {
                "new_id_in_use"
            }
        }
    }
}
