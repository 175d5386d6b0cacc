//! HTTP in and out: the server's HTTP types ([`OwnedRequest`], [`Outcome`], the per-call
//! control headers), limits, and one log line per request. Everything a provider answers comes
//! from [`App::handle`]; the control endpoints under `/_org-handshake/` are
//! `control`'s.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use hyper::{Request, Response};
use serde_json::{json, Value};

use org_handshake::provider::{HttpRequest, Provider, Reply};

use crate::error::ControlError;
use crate::state::App;

/// An HTTP request with everything owned, to hand to a blocking task.
#[derive(Debug, Clone, Default)]
pub struct OwnedRequest {
    /// The method (`POST`).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query, without the `?`.
    pub query: String,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl OwnedRequest {
    /// Runs `f` on the core's borrowed view of the request.
    pub fn with_view<T>(&self, f: impl FnOnce(&HttpRequest<'_>) -> T) -> T {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        f(&HttpRequest::new(&self.method, &self.path)
            .with_query(&self.query)
            .with_headers(&headers)
            .with_body(&self.body))
    }
}

/// What to send back, with what the request log line names.
#[derive(Debug)]
pub struct Outcome {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The provider's name, `-` for the server's own answers.
    pub provider: &'static str,
    /// The operation, or what was asked for when no operation matched.
    pub operation: String,
    /// The calling account, `-` when unknown.
    pub caller: String,
    /// The reply's request id (sent in a header when the provider's reply has none).
    pub request_id: String,
}

impl Outcome {
    pub(crate) fn from_reply(
        provider: Provider,
        operation: &str,
        caller: &str,
        request_id: &str,
        reply: Reply,
    ) -> Self {
        Outcome {
            status: reply.status,
            headers: reply
                .headers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            body: reply.body.into_bytes(),
            provider: provider.as_str(),
            operation: operation.to_owned(),
            caller: caller.to_owned(),
            request_id: request_id.to_owned(),
        }
    }

    /// The server's own JSON answer (control endpoints, requests of no provider).
    pub(crate) fn own(status: u16, body: Value, operation: &str, request_id: &str) -> Self {
        Outcome {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(&body).unwrap_or_default(),
            provider: "-",
            operation: operation.to_owned(),
            caller: "-".into(),
            request_id: request_id.to_owned(),
        }
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Which request limit a request broke before it could be routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Oversize {
    /// The body is over the server's limit (HTTP 413).
    Body,
    /// The headers are over the server's limit (HTTP 431).
    Headers,
}

/// The header that sets the time a call runs at (RFC 3339).
pub const NOW_HEADER: &str = "x-org-handshake-now";
/// The header that gives the ids of the handshakes a call creates (comma-separated, in order).
pub const NEW_IDS_HEADER: &str = "x-org-handshake-new-ids";
/// The header that sets the reply's request id.
pub const REQUEST_ID_HEADER: &str = "x-org-handshake-request-id";
/// The header that names the caller as it is, instead of the account the credentials name
/// (so that a caller no SDK credential can express, such as a malformed id, can be tried).
pub const CALLER_HEADER: &str = "x-org-handshake-caller";

/// The per-call control headers of a provider request, read.
#[derive(Debug, Default)]
pub(crate) struct CallHeaders {
    pub(crate) now: Option<DateTime<Utc>>,
    pub(crate) new_ids: Vec<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) caller: Option<String>,
}

impl CallHeaders {
    pub(crate) fn read(request: &HttpRequest<'_>) -> Result<Self, ControlError> {
        let now = request
            .header(NOW_HEADER)
            .map(|text| {
                DateTime::parse_from_rfc3339(text.trim())
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| ControlError::Header {
                        header: NOW_HEADER,
                        why: format!("not an RFC 3339 time: {e}"),
                    })
            })
            .transpose()?;
        let new_ids = request
            .header(NEW_IDS_HEADER)
            .map(|text| {
                text.split(',')
                    .map(|id| id.trim().to_owned())
                    .filter(|id| !id.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let request_id = match request.header(REQUEST_ID_HEADER).map(str::trim) {
            Some("") => {
                return Err(ControlError::Header {
                    header: REQUEST_ID_HEADER,
                    why: "empty".into(),
                })
            }
            other => other.map(str::to_owned),
        };
        let caller = request.header(CALLER_HEADER).map(|c| c.trim().to_owned());
        Ok(CallHeaders {
            now,
            new_ids,
            request_id,
            caller,
        })
    }
}

/// The largest body the server reads.
pub(crate) const MAX_BODY: usize = 1 << 20;
/// The largest total of header names and values the server reads.
pub(crate) const MAX_HEADERS: usize = 64 << 10;
/// How much of an oversized body is read (and dropped) so the client sees the reply rather than
/// a reset connection; past this the connection is closed after the reply.
const MAX_DRAIN: usize = 64 << 20;

/// Serves one request; never fails (every problem is an HTTP reply).
pub(crate) async fn serve(
    state: Arc<App>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let outcome = answer(&state, request).await;
    let micros = started.elapsed().as_micros();
    tracing::info!(
        provider = %outcome.provider,
        operation = %outcome.operation,
        caller = %outcome.caller,
        status = outcome.status,
        micros = micros as u64,
        "request"
    );
    Ok(response(outcome))
}

async fn answer(state: &Arc<App>, request: Request<Incoming>) -> Outcome {
    let (parts, mut body) = request.into_parts();
    let mut header_bytes = 0usize;
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            header_bytes += k.as_str().len() + v.len() + 4;
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut owned = OwnedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers,
        body: Vec::new(),
    };
    if header_bytes > MAX_HEADERS {
        return state.oversize(&owned, Oversize::Headers);
    }
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut too_large = declared.is_some_and(|n| n > MAX_BODY as u64);
    let mut read = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { break };
        if let Ok(data) = frame.into_data() {
            read += data.len();
            if read > MAX_BODY {
                too_large = true;
                owned.body = Vec::new();
            }
            if !too_large {
                owned.body.extend_from_slice(&data);
            }
            if read > MAX_DRAIN {
                break;
            }
        }
    }
    if too_large {
        return state.oversize(&owned, Oversize::Body);
    }
    if let Some(control) = owned.path.strip_prefix("/_org-handshake/") {
        let state = Arc::clone(state);
        let name = control.to_owned();
        // A control request may wait for an fsync: off the async workers.
        return match tokio::task::spawn_blocking(move || {
            crate::control::endpoint(&state, &name, &owned)
        })
        .await
        {
            Ok(outcome) => outcome,
            Err(err) => Outcome::own(
                500,
                json!({"message": format!("the control request failed: {err}")}),
                "-",
                "",
            ),
        };
    }
    // Applying the call is short work under the lock; only waiting for the journal's fsync
    // blocks, so only a reply that must wait for one goes to the blocking pool.
    let pending = state.apply(&owned);
    if state.settled(&pending) {
        return state.finish(pending);
    }
    let state = Arc::clone(state);
    match tokio::task::spawn_blocking(move || state.finish(pending)).await {
        Ok(outcome) => outcome,
        Err(err) => Outcome::own(
            500,
            json!({"message": format!("the call failed: {err}")}),
            "-",
            "",
        ),
    }
}

/// Whether a header name is a request id's (`x-amzn-RequestId`, `X-Request-Id`, …).
fn names_request_id(name: &str) -> bool {
    let mut tail = name
        .bytes()
        .rev()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase());
    b"requestid".iter().rev().all(|c| tail.next() == Some(*c))
}

fn response(mut outcome: Outcome) -> Response<Full<Bytes>> {
    // Every reply names its request id in a header: the provider's own header where its
    // reply has one, `X-Request-Id` otherwise (Alibaba's, in its body; the server's own).
    if !outcome.request_id.is_empty() && !outcome.headers.iter().any(|(k, _)| names_request_id(k)) {
        outcome
            .headers
            .push(("X-Request-Id".into(), outcome.request_id.clone()));
    }
    let mut response = Response::new(Full::new(Bytes::from(outcome.body)));
    *response.status_mut() = hyper::StatusCode::from_u16(outcome.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in outcome.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
