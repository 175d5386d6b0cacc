//! HTTP in and out: limits, the control endpoints under `/_org-handshake/`, and one log line per
//! request. Everything a provider answers comes from [`State::handle`].

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use hyper::{Request, Response};
use serde_json::json;

use org_handshake::provider::Provider;

use crate::state::{Outcome, Oversize, OwnedRequest, State};

/// The largest body the server reads.
pub(crate) const MAX_BODY: usize = 1 << 20;
/// The largest total of header names and values the server reads.
pub(crate) const MAX_HEADERS: usize = 64 << 10;
/// How much of an oversized body is read (and dropped) so the client sees the reply rather than
/// a reset connection; past this the connection is closed after the reply.
const MAX_DRAIN: usize = 64 << 20;

/// Serves one request; never fails (every problem is an HTTP reply).
pub(crate) async fn serve(
    state: Arc<State>,
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

async fn answer(state: &Arc<State>, request: Request<Incoming>) -> Outcome {
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
        return control_endpoint(state, control.to_owned(), &owned);
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
        ),
    }
}

fn control_endpoint(state: &Arc<State>, name: String, request: &OwnedRequest) -> Outcome {
    let method = request.method.as_str();
    match (method, name.as_str()) {
        ("GET", "health") => match state.failed() {
            None => Outcome::own(200, json!({"status": "ok"}), "health"),
            Some(why) => Outcome::own(503, json!({"status": "failed", "reason": why}), "health"),
        },
        ("GET" | "POST", "time") => {
            let advance = if method == "POST" {
                match parse_advance(&request.body) {
                    Ok(seconds) => Some(seconds),
                    Err(why) => return Outcome::own(400, json!({ "message": why }), "time"),
                }
            } else {
                None
            };
            match state.time(advance) {
                Ok(now) => Outcome::own(200, json!({ "now": now }), "time"),
                Err(why) => Outcome::own(400, json!({ "message": why }), "time"),
            }
        }
        ("GET", "vector") => {
            let provider = request
                .query
                .split('&')
                .find_map(|pair| pair.strip_prefix("provider="))
                .and_then(|p| p.parse::<Provider>().ok());
            match provider {
                Some(provider) => match state
                    .vector(provider)
                    .and_then(|file| serde_json::to_value(file).map_err(|e| e.to_string()))
                {
                    Ok(file) => Outcome::own(200, file, "vector"),
                    Err(why) => Outcome::own(500, json!({ "message": why }), "vector"),
                },
                None => Outcome::own(
                    400,
                    json!({"message": "give ?provider=aws, huawei or alibaba"}),
                    "vector",
                ),
            }
        }
        _ => Outcome::own(
            404,
            json!({"message": format!("no control endpoint {method} /_org-handshake/{name} (there are GET health, GET|POST time, GET vector)")}),
            "-",
        ),
    }
}

fn parse_advance(body: &[u8]) -> Result<u64, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Advance {
        advance_seconds: u64,
    }
    serde_json::from_slice::<Advance>(body)
        .map(|a| a.advance_seconds)
        .map_err(|e| {
            format!("the body must be {{\"advance_seconds\": N}} with N a whole number ≥ 0: {e}")
        })
}

fn response(outcome: Outcome) -> Response<Full<Bytes>> {
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
