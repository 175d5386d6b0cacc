//! The control endpoints under `/_org-handshake/`: health, the clock, the session as a vector,
//! the operations each provider serves, and replacing or resetting the worlds. Every answer is
//! the server's own JSON; a bad request is 400 with a `message`.

use org_handshake::ledger::World;
use org_handshake::provider::Provider;
use serde::Deserialize;
use serde_json::json;

use crate::error::ControlError;
use crate::http::{Outcome, OwnedRequest, REQUEST_ID_HEADER};
use crate::state::App;

/// What the endpoints are, for the 404 of any other.
const ENDPOINTS: &str =
    "GET health, GET|POST time, GET vector?provider=P, GET operations, POST world, POST reset";

/// Answers the control request `name` (the path after `/_org-handshake/`).
pub(crate) fn endpoint(app: &App, name: &str, request: &OwnedRequest) -> Outcome {
    let request_id = request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(REQUEST_ID_HEADER))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| app.next_request_id());
    let method = request.method.as_str();
    let reply = |status, body, operation: &str| Outcome::own(status, body, operation, &request_id);
    let refused = |err: ControlError, operation: &str| {
        let status = match err {
            ControlError::Journal(_) | ControlError::Failed { .. } => 503,
            _ => 400,
        };
        reply(status, json!({"message": err.to_string()}), operation)
    };
    match (method, name) {
        ("GET", "health") => match app.failed() {
            None => reply(200, json!({"status": "ok"}), "health"),
            Some(why) => reply(503, json!({"status": "failed", "reason": why}), "health"),
        },
        ("GET" | "POST", "time") => {
            let advance = if method == "POST" {
                match body::<Advance>(
                    &request.body,
                    "{\"advance_seconds\": N} with N a whole number ≥ 0",
                ) {
                    Ok(advance) => Some(advance.advance_seconds),
                    Err(err) => return refused(err, "time"),
                }
            } else {
                None
            };
            match app.time(advance) {
                Ok(now) => reply(200, json!({ "now": now }), "time"),
                Err(err) => refused(err, "time"),
            }
        }
        ("GET", "vector") => {
            let provider = request
                .query
                .split('&')
                .find_map(|pair| pair.strip_prefix("provider="))
                .and_then(|p| p.parse::<Provider>().ok());
            let Some(provider) = provider else {
                let names: Vec<&str> = Provider::values().iter().map(|p| p.as_str()).collect();
                return reply(
                    400,
                    json!({"message": format!("give ?provider= one of {}", names.join(", "))}),
                    "vector",
                );
            };
            match app.vector(provider).map(serde_json::to_value) {
                Ok(Ok(file)) => reply(200, file, "vector"),
                Ok(Err(err)) => reply(500, json!({"message": err.to_string()}), "vector"),
                Err(err) => refused(err, "vector"),
            }
        }
        ("GET", "operations") => reply(200, App::operations(), "operations"),
        ("POST", "world") => {
            let replace = match body::<ReplaceWorld>(
                &request.body,
                "{\"provider\": P, \"world\": a world in the conformance format}",
            ) {
                Ok(replace) => replace,
                Err(err) => return refused(err, "world"),
            };
            match app.replace_world(replace.provider, replace.world) {
                Ok(()) => reply(200, json!({"provider": replace.provider}), "world"),
                Err(err) => refused(err, "world"),
            }
        }
        ("POST", "reset") => match app.reset() {
            Ok(()) => {
                let names: Vec<&str> = Provider::values().iter().map(|p| p.as_str()).collect();
                reply(200, json!({ "reset": names }), "reset")
            }
            Err(err) => refused(err, "reset"),
        },
        _ => reply(
            404,
            json!({"message": format!("no control endpoint {method} /_org-handshake/{name} (there are {ENDPOINTS})")}),
            "-",
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    advance_seconds: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplaceWorld {
    provider: Provider,
    world: World,
}

fn body<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    expected: &'static str,
) -> Result<T, ControlError> {
    serde_json::from_slice(bytes).map_err(|source| ControlError::Body { expected, source })
}
