//! A call as a provider's own SDK sends it over HTTP: what [`Dialect::encode`] writes, the
//! inverse of [`Dialect::route`]. A wire client (the conformance runner) sends it; the
//! signature headers it holds are placeholders in the SDK's format, for the client to sign or
//! send as they are (only the credential they name is read back by `route`).

use std::fmt;

use serde_json::Value;

#[cfg(doc)]
use super::Dialect;
use super::HttpRequest;

/// An HTTP request a provider's SDK would send, owned.
///
/// ```
/// use org_handshake::provider::Provider;
/// let call = Provider::Aws.dialect().encode("DescribeHandshake", "111111111111", &serde_json::json!({"HandshakeId": "h-0123456789"}))?;
/// assert_eq!((call.method.as_str(), call.path.as_str()), ("POST", "/"));
/// assert_eq!(call.header("x-amz-target"), Some("AWSOrganizationsV20161128.DescribeHandshake"));
/// let routed = call.with_request(|request| Provider::Aws.dialect().route(request))?;
/// assert_eq!(routed.credential.as_deref(), Some("111111111111"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingRequest {
    /// The method (`GET`, `POST`, `DELETE`).
    pub method: String,
    /// The path, percent-encoded.
    pub path: String,
    /// The raw query string (without `?`), percent-encoded; empty for none.
    pub query: String,
    /// The headers, in the order the SDK writes them.
    pub headers: Vec<(String, String)>,
    /// The body (empty for none).
    pub body: Vec<u8>,
}

impl OutgoingRequest {
    /// A request with no query, headers or body.
    pub fn new(method: &str, path: impl Into<String>) -> Self {
        OutgoingRequest {
            method: method.to_owned(),
            path: path.into(),
            query: String::new(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn push_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.push((name.to_owned(), value.into()));
    }

    /// Replaces every header called `name` (compared without regard to case) with one of
    /// `value`, or adds it.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        self.push_header(name, value);
    }

    /// The first value of the header `name` (compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The path and query as a request target (`/path?query`).
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// Runs `f` on the request borrowed as an emulator receives it (what
    /// [`Dialect::route`] reads).
    pub fn with_request<R>(&self, f: impl FnOnce(&HttpRequest<'_>) -> R) -> R {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        let request = HttpRequest::new(&self.method, &self.path)
            .with_query(&self.query)
            .with_headers(&headers)
            .with_body(&self.body);
        f(&request)
    }
}

/// Why a request in the vector shape has no form on the provider's wire (a Huawei path
/// parameter that is absent or not a string, an operation with no known path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    /// The provider's operation name.
    pub operation: String,
    /// Why, in lower case.
    pub reason: String,
}

impl EncodeError {
    /// An error for `operation`.
    pub fn new(operation: &str, reason: impl Into<String>) -> Self {
        EncodeError {
            operation: operation.to_owned(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` cannot be sent over http: {}",
            self.operation, self.reason
        )
    }
}

impl std::error::Error for EncodeError {}

/// Percent-encodes one URL component: every byte but RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`), as SDKs encode path segments and query values.
///
/// ```
/// use org_handshake::provider::percent_encode;
/// assert_eq!(percent_encode("h-0123 /é"), "h-0123%20%2F%C3%A9");
/// ```
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A query string of `pairs`, each key and value percent-encoded, in the order given.
pub(crate) fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    pairs
        .into_iter()
        .map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(&value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A query or form parameter's text as an SDK writes a value: a string as it is, anything else
/// as its JSON text; `None` for `null`, which SDKs leave out.
pub(crate) fn parameter_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}
