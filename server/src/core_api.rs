//! The one place where the server meets the core crate's provider API.
//!
//! /work/plan/API.md names the functions the server is built on: protocol routing
//! (`Provider::for_request`, `Service::route`), caller resolution (`Service::caller_for`),
//! replies with headers and events (`Reply.headers`, `Reply.events`), ids on demand
//! (`Service::call_with(&Call, &mut dyn IdSource)`, `IdSource`, `SeededIds`). They are being
//! built on another branch. Until they land, this module holds stand-ins of exactly those
//! shapes, each marked `TEMPORARY`, written against today's API (`Service::new`,
//! `Service::call(&Call)` with `new_ids: &[String]`, `Reply { status, body }`).
//!
//! Everything else in the server uses only what this module exports, so the swap is local:
//! each `TEMPORARY` item becomes a `use org_handshake::…` of the real one. Items marked
//! `PROPOSED` have no counterpart in API.md; the server needs them and they hold provider
//! knowledge, so they belong in the core too (see the notes on each).
//!
//! Protocol facts used here are those of /work/shared/reference/protocols.md (what each real SDK
//! sends) and the issue; codes marked *unverified* are this stand-in's choices.

use org_handshake::conformance::{self, Expect, Step};
use org_handshake::error::{Failure, InputProblem};
use org_handshake::provider::{self as core_provider, aws, huawei, CallError};
use org_handshake::{HandshakeId, Profile};
use serde_json::{Map, Value};

pub(crate) use org_handshake::provider::Provider;

// ---------------------------------------------------------------------------------------------
// Routing: HttpRequest, Routed, Provider::for_request, Service::route, Service::caller_for
// ---------------------------------------------------------------------------------------------

/// TEMPORARY: replaced by org_handshake::provider::HttpRequest when the provider branch lands.
///
/// One HTTP request as the server received it: the raw (undecoded) query, the headers as text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HttpRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) body: &'a [u8],
}

impl HttpRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// TEMPORARY: replaced by org_handshake::provider::Routed when the provider branch lands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Routed {
    pub(crate) operation: &'static str,
    pub(crate) request: Value,
    pub(crate) credential: Option<String>,
}

/// TEMPORARY: replaced by org_handshake::provider::Provider::for_request when the provider
/// branch lands.
///
/// Which cloud's protocol a request speaks, from its headers, path and query alone.
pub(crate) fn for_request(request: &HttpRequest<'_>) -> Option<Provider> {
    let auth = request.header("authorization").unwrap_or_default();
    let content_type = request.header("content-type").unwrap_or_default();
    let has_action = |text: &str| {
        query_pairs(text)
            .map(|pairs| pairs.iter().any(|(k, _)| k == "Action"))
            .unwrap_or(false)
    };
    let form_action = content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
        && std::str::from_utf8(request.body).is_ok_and(has_action);
    if request.header("x-amz-target").is_some() || auth.starts_with("AWS4-") {
        return Some(Provider::Aws);
    }
    if request.header("x-acs-action").is_some()
        || request.header("x-acs-version").is_some()
        || auth.starts_with("ACS3-")
        || has_action(request.query)
        || form_action
    {
        return Some(Provider::Alibaba);
    }
    if request.header("x-domain-id").is_some()
        || request.header("x-sdk-date").is_some()
        || auth.starts_with("SDK-HMAC-")
        || request.path.starts_with("/v1/")
    {
        return Some(Provider::Huawei);
    }
    if content_type.starts_with("application/x-amz-json") {
        return Some(Provider::Aws);
    }
    None
}

/// TEMPORARY: replaced by org_handshake::provider::Reply when the provider branch lands (the
/// real one has `error: Option<ErrorKind>` and `events: Vec<Event>`; the server reads only
/// `status`, `body`, `headers` and [`changed_state`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Stand-in for `!events.is_empty()`.
    changed: bool,
}

/// Whether the call changed state (and so goes to the journal). With the real API this stays,
/// as `!reply.events.is_empty()`.
pub(crate) fn changed_state(reply: &Reply) -> bool {
    reply.changed
}

/// TEMPORARY: replaced by org_handshake::provider::Call when the provider branch lands (the
/// real one is built with `Call::new(operation, caller, now, &request).with_new_ids(..)
/// .with_request_id(..)` and holds `new_ids: &[&str]`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub(crate) operation: &'a str,
    pub(crate) caller: &'a str,
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    pub(crate) request: &'a Value,
    pub(crate) new_ids: &'a [String],
    pub(crate) request_id: &'a str,
}

/// TEMPORARY: replaced by org_handshake::id_source::IdSourceError when the core branch lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdSourceError {
    Invalid { id: String, reason: String },
}

impl std::fmt::Display for IdSourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdSourceError::Invalid { id, reason } => write!(f, "invalid id `{id}`: {reason}"),
        }
    }
}

/// TEMPORARY: replaced by org_handshake::IdSource when the core branch lands.
pub(crate) trait IdSource {
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError>;
}

/// TEMPORARY: replaced by org_handshake::SeededIds when the core branch lands.
///
/// Deterministic ids from a seed (splitmix64), in each profile's pattern: AWS `h-` + 16 and
/// Huawei `h-` + 32 lower-case letters and digits, Alibaba `h-` + 16 letters and digits.
#[derive(Debug, Clone)]
pub(crate) struct SeededIds {
    state: u64,
}

impl SeededIds {
    pub(crate) fn new(seed: u64) -> Self {
        SeededIds { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl IdSource for SeededIds {
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError> {
        const LOWER: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        const MIXED: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let rule = profile.handshake_id;
        let (alphabet, wanted) = if rule.lowercase_only {
            (LOWER, if profile.name == "huawei" { 32 } else { 16 })
        } else {
            (MIXED, 16)
        };
        let len = wanted.clamp(rule.min_len, rule.max_len);
        let mut id = String::with_capacity(len + 2);
        id.push_str("h-");
        for _ in 0..len {
            let index = (self.next_u64() % alphabet.len() as u64) as usize;
            id.push(char::from(alphabet[index]));
        }
        profile
            .parse_handshake_id(&id)
            .map_err(|err| IdSourceError::Invalid {
                id,
                reason: err.to_string(),
            })
    }
}

/// TEMPORARY: replaced by org_handshake::provider::Service when the provider branch lands.
///
/// Today's service, plus what the real one will know by itself: the first organization's
/// management account (for [`Service::caller_for`]).
#[derive(Debug, Clone)]
pub(crate) struct Service {
    inner: core_provider::Service,
    first_management: Option<String>,
}

impl Service {
    /// TEMPORARY: the real `Service::new` takes the merged `World` (API.md, core branch).
    pub(crate) fn new(provider: Provider, world: &conformance::World) -> Result<Self, String> {
        let ledger_world = conformance::ledger_world(world)?;
        let inner =
            core_provider::Service::new(provider, &ledger_world).map_err(|e| e.to_string())?;
        Ok(Service {
            inner,
            first_management: world
                .organizations
                .first()
                .map(|o| o.management_account.id.clone()),
        })
    }

    pub(crate) fn provider(&self) -> Provider {
        self.inner.provider()
    }

    /// TEMPORARY: replaced by org_handshake::provider::Service::caller_for.
    ///
    /// The credential when it is an account id of the provider's pattern (AWS 12 digits,
    /// Huawei 32 lower-case hex, Alibaba 16 digits), else the first organization's management
    /// account (an empty string when the world has no organization: every call is then
    /// refused by the provider as a caller it cannot know).
    pub(crate) fn caller_for(&self, credential: Option<&str>) -> String {
        match credential {
            Some(key) if is_account_id(self.provider(), key) => key.to_owned(),
            _ => self.first_management.clone().unwrap_or_default(),
        }
    }

    /// TEMPORARY: replaced by org_handshake::provider::Service::route.
    pub(crate) fn route(&self, request: &HttpRequest<'_>) -> Result<Routed, Reply> {
        match self.provider() {
            Provider::Aws => route_aws(request),
            Provider::Huawei => route_huawei(request),
            Provider::Alibaba => route_alibaba(request),
        }
    }

    /// TEMPORARY: replaced by org_handshake::provider::Service::call (the real one reads
    /// `call.new_ids`; used here to replay the journal).
    pub(crate) fn call(&mut self, call: &Call<'_>) -> Result<Reply, CallError> {
        let reply = self.inner.call(&core_call(call, call.new_ids))?;
        Ok(finish(self.provider(), call, reply))
    }

    /// TEMPORARY: replaced by org_handshake::provider::Service::call_with.
    ///
    /// Today's core takes the ids up front and says how many it needs
    /// ([`CallError::MissingNewIds`]) only when given too few, after the request's form has
    /// passed and before anything changes; so: call without ids, and if it needs some, draw
    /// them and call again. A drawn id that a stored handshake holds is refused, as the real
    /// one refuses it (`HandshakeIdInUse`), with [`CallError::InvalidNewId`]; nothing changes.
    pub(crate) fn call_with(
        &mut self,
        call: &Call<'_>,
        ids: &mut dyn IdSource,
    ) -> Result<Reply, CallError> {
        let needed = match self.inner.call(&core_call(call, &[])) {
            Ok(reply) => return Ok(finish(self.provider(), call, reply)),
            Err(CallError::MissingNewIds { needed, .. }) => needed,
            Err(other) => return Err(other),
        };
        let provider = self.provider();
        let profile = provider.profile();
        let mut new_ids: Vec<String> = Vec::with_capacity(needed);
        for _ in 0..needed {
            let id = ids
                .next_id(&profile)
                .map_err(|err| CallError::InvalidNewId {
                    provider,
                    id: String::new(),
                    reason: err.to_string(),
                })?;
            if self.inner.ledger().stored(&id).is_some() || new_ids.iter().any(|n| n == id.as_str())
            {
                return Err(CallError::InvalidNewId {
                    provider,
                    id: id.as_str().to_owned(),
                    reason: "the id is in use by a handshake that still exists".into(),
                });
            }
            new_ids.push(id.as_str().to_owned());
        }
        let reply = self.inner.call(&core_call(call, &new_ids))?;
        Ok(finish(provider, call, reply))
    }
}

/// Today's `Call` from the stand-in's.
fn core_call<'a>(call: &Call<'a>, new_ids: &'a [String]) -> core_provider::Call<'a> {
    core_provider::Call {
        operation: call.operation,
        caller: call.caller,
        now: call.now,
        request: call.request,
        new_ids,
        request_id: call.request_id,
    }
}

/// A reply of today's core, completed with what the real `Reply` carries.
fn finish(provider: Provider, call: &Call<'_>, reply: core_provider::Reply) -> Reply {
    let changed = (200..300).contains(&reply.status) && is_mutating(provider, call.operation);
    let headers = reply_headers(provider, call.request_id, &reply.body, reply.status);
    Reply {
        status: reply.status,
        body: reply.body,
        headers,
        changed,
    }
}

/// Stand-in for `Reply.events` being non-empty: the operations that change state, on success.
fn is_mutating(provider: Provider, operation: &str) -> bool {
    let mutating: &[&str] = match provider {
        Provider::Aws => &[
            "InviteAccountToOrganization",
            "AcceptHandshake",
            "DeclineHandshake",
            "CancelHandshake",
            "EnableAllFeatures",
        ],
        Provider::Huawei => &[
            "invite_account",
            "accept_handshake",
            "decline_handshake",
            "cancel_handshake",
        ],
        Provider::Alibaba => &[
            "InviteAccountToResourceDirectory",
            "AcceptHandshake",
            "DeclineHandshake",
            "CancelHandshake",
        ],
    };
    mutating.contains(&operation)
}

/// Stand-in for `Reply.headers`: the provider's reply headers (API.md).
fn reply_headers(
    provider: Provider,
    request_id: &str,
    body: &Value,
    status: u16,
) -> Vec<(&'static str, String)> {
    let request_id = if request_id.is_empty() {
        conformance::DEFAULT_REQUEST_ID
    } else {
        request_id
    };
    match provider {
        Provider::Aws => {
            let mut headers = vec![
                ("Content-Type", "application/x-amz-json-1.1".to_owned()),
                ("x-amzn-RequestId", request_id.to_owned()),
            ];
            if status >= 400 {
                if let Some(kind) = body.get("__type").and_then(Value::as_str) {
                    headers.push(("X-Amzn-ErrorType", kind.to_owned()));
                }
            }
            headers
        }
        Provider::Huawei => vec![
            ("Content-Type", "application/json".to_owned()),
            ("X-Request-Id", request_id.to_owned()),
        ],
        Provider::Alibaba => vec![("Content-Type", "application/json".to_owned())],
    }
}

/// Whether `key` is an account id of the provider's pattern.
fn is_account_id(provider: Provider, key: &str) -> bool {
    match provider {
        Provider::Aws => key.len() == 12 && key.bytes().all(|b| b.is_ascii_digit()),
        Provider::Huawei => {
            key.len() == 32 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        }
        Provider::Alibaba => key.len() == 16 && key.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// PROPOSED (not in API.md): whether `id` is an account id of the provider's pattern, for
/// checking a world. Suggested as `Provider::is_account_id(&self, &str) -> bool` (the same test
/// `caller_for` makes).
pub(crate) fn account_id_fits(provider: Provider, id: &str) -> bool {
    is_account_id(provider, id)
}

/// PROPOSED (not in API.md): whether `id` is an organization id of the provider's pattern
/// (`o-…` for AWS and Huawei, `rd-…` for Alibaba; conformance.md). Suggested as
/// `Provider::is_organization_id(&self, &str) -> bool`.
pub(crate) fn organization_id_fits(provider: Provider, id: &str) -> bool {
    let (prefix, lowercase) = match provider {
        Provider::Aws | Provider::Huawei => ("o-", true),
        Provider::Alibaba => ("rd-", false),
    };
    id.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 32
            && rest.bytes().all(|b| {
                b.is_ascii_digit()
                    || b.is_ascii_lowercase()
                    || (!lowercase && b.is_ascii_uppercase())
            })
    })
}

/// Which request limit a request broke before it could be routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Oversize {
    /// The body is over the server's limit (HTTP 413).
    Body,
    /// The headers are over the server's limit (HTTP 431).
    Headers,
}

/// PROPOSED (not in API.md): the provider's own reply to a request the server will not read
/// (a body or headers over its limits), from the request's headers alone. Suggested as
/// `Service::reject_oversize(&self, &HttpRequest, Oversize) -> Reply`. The codes are this
/// stand-in's (*unverified*): AWS `RequestEntityTooLargeException`, Huawei API Gateway
/// `APIG.0201`, Alibaba `InvalidParameter`-family `Request.TooLarge`.
pub(crate) fn reject_oversize(provider: Provider, what: Oversize) -> Reply {
    let (status, text) = match what {
        Oversize::Body => (413, "the request body is larger than 1 MiB"),
        Oversize::Headers => (431, "the request headers are larger than 64 KiB"),
    };
    let body = match provider {
        Provider::Aws => {
            serde_json::json!({"__type": "RequestEntityTooLargeException", "Message": text})
        }
        Provider::Huawei => serde_json::json!({"error_code": "APIG.0201", "error_msg": text}),
        Provider::Alibaba => serde_json::json!({
            "Code": "Request.TooLarge", "Message": text,
            "RequestId": conformance::DEFAULT_REQUEST_ID, "HostId": "resourcemanager.aliyuncs.com"}),
    };
    protocol_error(provider, status, body)
}

/// PROPOSED (not in API.md): the provider's reply when the server itself failed (its journal
/// could not be written). Suggested as `Service::internal_error(&self, &str) -> Reply`. AWS
/// `ServiceException` (500, modeled), Huawei `Organizations.Unverified.InternalError`, Alibaba
/// `InternalError` (500, a common code).
pub(crate) fn internal_error(provider: Provider, message: &str) -> Reply {
    let body = match provider {
        Provider::Aws => serde_json::json!({"__type": "ServiceException", "Message": message}),
        Provider::Huawei => {
            serde_json::json!({"error_code": "Organizations.Unverified.InternalError", "error_msg": message})
        }
        Provider::Alibaba => serde_json::json!({
            "Code": "InternalError", "Message": message,
            "RequestId": conformance::DEFAULT_REQUEST_ID, "HostId": "resourcemanager.aliyuncs.com"}),
    };
    protocol_error(provider, 500, body)
}

/// PROPOSED (not in API.md): the conformance step that records `call` and its reply, with the
/// ids it gave new handshakes; `request_id` only where the provider's body carries it
/// (Alibaba), as the vector schema requires. Suggested as `conformance::Step::record(&Call,
/// &[&str], &Reply) -> Step`.
pub(crate) fn record_step(
    call: &Call<'_>,
    new_ids: Vec<String>,
    reply: &Reply,
    provider: Provider,
) -> Step {
    Step {
        at: call.now,
        caller: call.caller.to_owned(),
        operation: call.operation.to_owned(),
        request: call.request.clone(),
        new_ids,
        request_id: (provider == Provider::Alibaba && !call.request_id.is_empty())
            .then(|| call.request_id.to_owned()),
        comment: None,
        expect: Expect {
            status: reply.status,
            body: reply.body.clone(),
        },
    }
}

/// PROPOSED (not in API.md): a vector file as the JSON its schema accepts. Today's
/// `conformance` types serialize an absent `reading`, `request_id`, `comment` or account `email`
/// as `null`, which `tests/conformance/schema.json` refuses; with
/// `#[serde(skip_serializing_if = "Option::is_none")]` on those fields in the core,
/// `serde_json::to_value(&file)` alone would do.
pub(crate) fn vector_json(file: &conformance::VectorFile) -> Result<Value, String> {
    fn drop_null(object: &mut Value, key: &str) {
        if let Value::Object(map) = object {
            if map.get(key).is_some_and(Value::is_null) {
                map.remove(key);
            }
        }
    }
    let mut value = serde_json::to_value(file).map_err(|e| e.to_string())?;
    drop_null(&mut value, "reading");
    if let Some(steps) = value.get_mut("steps").and_then(Value::as_array_mut) {
        for step in steps {
            drop_null(step, "request_id");
            drop_null(step, "comment");
        }
    }
    if let Some(world) = value.get_mut("world") {
        if let Some(orgs) = world.get_mut("organizations").and_then(Value::as_array_mut) {
            for org in orgs {
                if let Some(account) = org.get_mut("management_account") {
                    drop_null(account, "email");
                }
            }
        }
        if let Some(accounts) = world.get_mut("accounts").and_then(Value::as_array_mut) {
            for account in accounts {
                drop_null(account, "email");
            }
        }
    }
    Ok(value)
}

fn protocol_error(provider: Provider, status: u16, body: Value) -> Reply {
    let headers = reply_headers(provider, "", &body, status);
    Reply {
        status,
        body,
        headers,
        changed: false,
    }
}

fn from_failure(
    provider: Provider,
    failure: &Failure,
    huawei_operation: Option<huawei::Operation>,
) -> Reply {
    let response = match provider {
        Provider::Aws => aws::error_response(failure),
        Provider::Huawei => match huawei_operation {
            Some(operation) => huawei::error_response_for(operation, failure),
            None => huawei::error_response(failure),
        },
        Provider::Alibaba => {
            core_provider::alibaba::error_response(failure, conformance::DEFAULT_REQUEST_ID)
        }
    };
    protocol_error(provider, response.status, response.body)
}

// --- AWS JSON 1.1 ------------------------------------------------------------------------------

const AWS_TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";
const AWS_OPERATIONS: [&str; 8] = [
    "InviteAccountToOrganization",
    "AcceptHandshake",
    "DeclineHandshake",
    "CancelHandshake",
    "DescribeHandshake",
    "ListHandshakesForAccount",
    "ListHandshakesForOrganization",
    "EnableAllFeatures",
];

fn route_aws(request: &HttpRequest<'_>) -> Result<Routed, Reply> {
    let unknown = |message: String| {
        protocol_error(
            Provider::Aws,
            400,
            serde_json::json!({"__type": "UnknownOperationException", "Message": message}),
        )
    };
    let target = request.header("x-amz-target").unwrap_or_default();
    let operation = target
        .strip_prefix(AWS_TARGET_PREFIX)
        .and_then(|name| AWS_OPERATIONS.iter().find(|op| **op == name))
        .ok_or_else(|| unknown(format!("unknown operation `{}`", cut(target))))?;
    if request.method != "POST" || request.path != "/" {
        return Err(unknown(format!(
            "{} {} is not an AWS JSON 1.1 endpoint (POST /)",
            request.method,
            cut(request.path)
        )));
    }
    let content_type = request.header("content-type").unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim();
    if !content_type.is_empty()
        && !matches!(
            media.to_ascii_lowercase().as_str(),
            "application/x-amz-json-1.1" | "application/x-amz-json-1.0" | "application/json"
        )
    {
        return Err(unknown(format!(
            "content type `{}` is not application/x-amz-json-1.1",
            cut(content_type)
        )));
    }
    let serialization = |message: String| {
        from_failure(
            Provider::Aws,
            &Failure::invalid_input("body", InputProblem::WrongType, message),
            None,
        )
    };
    let request_body = if request.body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        let text = std::str::from_utf8(request.body)
            .map_err(|_| serialization("the body is not UTF-8".into()))?;
        serde_json::from_str(text)
            .map_err(|err| serialization(format!("the body is not JSON: {err}")))?
    };
    Ok(Routed {
        operation,
        request: request_body,
        credential: request
            .header("authorization")
            .and_then(|auth| credential_after(auth, "Credential=", &['/', ',', ' '])),
    })
}

// --- Huawei REST ---------------------------------------------------------------------------------

fn route_huawei(request: &HttpRequest<'_>) -> Result<Routed, Reply> {
    let not_found = || {
        protocol_error(
            Provider::Huawei,
            404,
            serde_json::json!({"error_code": "APIG.0101",
                "error_msg": format!("the API {} {} does not exist", request.method, cut(request.path))}),
        )
    };
    let path = request.path.trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let (operation, handshake_id): (&'static str, Option<&str>) =
        match (request.method, segments.as_slice()) {
            ("POST", ["v1", "organizations", "accounts", "invite"]) => ("invite_account", None),
            ("POST", ["v1", "received-handshakes", id, "accept"]) => ("accept_handshake", Some(id)),
            ("POST", ["v1", "received-handshakes", id, "decline"]) => {
                ("decline_handshake", Some(id))
            }
            ("POST", ["v1", "organizations", "handshakes", id, "cancel"]) => {
                ("cancel_handshake", Some(id))
            }
            ("GET", ["v1", "organizations", "handshakes", id]) => ("show_handshake", Some(id)),
            ("GET", ["v1", "organizations", "handshakes"]) => ("list_handshakes", None),
            ("GET", ["v1", "received-handshakes"]) => ("list_received_handshakes", None),
            _ => return Err(not_found()),
        };
    let huawei_op: Option<huawei::Operation> = operation.parse().ok();
    let invalid = |parameter: &str, message: String| {
        from_failure(
            Provider::Huawei,
            &Failure::invalid_input(parameter, InputProblem::WrongType, message),
            huawei_op,
        )
    };
    let mut parts = Map::new();
    if let Some(id) = handshake_id {
        let id = percent_decode(id)
            .ok_or_else(|| invalid("handshake_id", "the path is not UTF-8".into()))?;
        parts.insert("path".into(), serde_json::json!({ "handshake_id": id }));
    }
    let query = query_pairs(request.query)
        .ok_or_else(|| invalid("query", "the query string is not UTF-8".into()))?;
    if !query.is_empty() {
        let map: Map<String, Value> = query
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        parts.insert("query".into(), Value::Object(map));
    }
    if !request.body.iter().all(u8::is_ascii_whitespace) {
        let content_type = request.header("content-type").unwrap_or_default();
        let media = content_type.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case("application/json") {
            return Err(invalid(
                "Content-Type",
                format!(
                    "content type `{}` is not application/json",
                    cut(content_type)
                ),
            ));
        }
        let text = std::str::from_utf8(request.body)
            .map_err(|_| invalid("body", "the body is not UTF-8".into()))?;
        let body: Value = serde_json::from_str(text)
            .map_err(|err| invalid("body", format!("the body is not JSON: {err}")))?;
        parts.insert("body".into(), body);
    }
    Ok(Routed {
        operation,
        request: Value::Object(parts),
        credential: request.header("x-domain-id").map(str::to_owned),
    })
}

// --- Alibaba RPC ---------------------------------------------------------------------------------

const ALIBABA_VERSION: &str = "2020-03-31";
const ALIBABA_OPERATIONS: [&str; 7] = [
    "InviteAccountToResourceDirectory",
    "AcceptHandshake",
    "DeclineHandshake",
    "CancelHandshake",
    "GetHandshake",
    "ListHandshakesForAccount",
    "ListHandshakesForResourceDirectory",
];
/// The RPC common parameters (the older "V2" style puts them in the query); not the
/// operation's own, so not part of the request the core reads.
const ALIBABA_COMMON: [&str; 12] = [
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Signature",
    "Timestamp",
    "SecurityToken",
    "RegionId",
];

fn route_alibaba(request: &HttpRequest<'_>) -> Result<Routed, Reply> {
    let fail = |failure: Failure| from_failure(Provider::Alibaba, &failure, None);
    let invalid = |parameter: &str, problem: InputProblem, message: String| {
        fail(Failure::invalid_input(parameter, problem, message))
    };
    let mut params = query_pairs(request.query).ok_or_else(|| {
        invalid(
            "",
            InputProblem::WrongType,
            "the query string is not UTF-8".into(),
        )
    })?;
    if !request.body.iter().all(u8::is_ascii_whitespace) {
        let content_type = request.header("content-type").unwrap_or_default();
        let media = content_type.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(invalid(
                "",
                InputProblem::WrongType,
                format!(
                    "content type `{}` is not application/x-www-form-urlencoded",
                    cut(content_type)
                ),
            ));
        }
        let text = std::str::from_utf8(request.body)
            .map_err(|_| invalid("", InputProblem::WrongType, "the body is not UTF-8".into()))?;
        params.extend(
            query_pairs(text).ok_or_else(|| {
                invalid("", InputProblem::WrongType, "the body is not UTF-8".into())
            })?,
        );
    }
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let version = request
        .header("x-acs-version")
        .map(str::to_owned)
        .or_else(|| param("Version"));
    if let Some(version) = version.filter(|v| v != ALIBABA_VERSION) {
        return Err(invalid(
            "Version",
            InputProblem::UnknownValue,
            format!("version `{}` is not {ALIBABA_VERSION}", cut(&version)),
        ));
    }
    let action = request
        .header("x-acs-action")
        .map(str::to_owned)
        .or_else(|| param("Action"))
        .ok_or_else(|| invalid("Action", InputProblem::Missing, "Action is required".into()))?;
    let operation = ALIBABA_OPERATIONS
        .iter()
        .find(|op| **op == action)
        .ok_or_else(|| {
            invalid(
                "Action",
                InputProblem::UnknownValue,
                format!(
                    "`{}` is not a resource directory handshake action",
                    cut(&action)
                ),
            )
        })?;
    let credential = request
        .header("authorization")
        .and_then(|auth| credential_after(auth, "Credential=", &[',', ' ', '/']))
        .or_else(|| param("AccessKeyId"));
    let map: Map<String, Value> = params
        .into_iter()
        .filter(|(k, _)| !ALIBABA_COMMON.contains(&k.as_str()))
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Ok(Routed {
        operation,
        request: Value::Object(map),
        credential,
    })
}

// --- text helpers (pure; they move into the core with the routing) ----------------------------

/// The key after `marker` in an `Authorization` header, up to the first of `ends`.
fn credential_after(auth: &str, marker: &str, ends: &[char]) -> Option<String> {
    let start = auth.find(marker)? + marker.len();
    let rest = &auth[start..];
    let key = rest.split(ends).next().unwrap_or_default();
    (!key.is_empty()).then(|| key.to_owned())
}

/// Decoded `application/x-www-form-urlencoded` pairs (`+` is a space), `None` when a decoded
/// key or value is not UTF-8. Later duplicates are kept after earlier ones.
fn query_pairs(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((form_decode(key)?, form_decode(value)?))
        })
        .collect()
}

fn form_decode(text: &str) -> Option<String> {
    percent_decode(&text.replace('+', " "))
}

/// Percent-decodes `text`; a `%` not followed by two hex digits stays as it is.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// At most 64 characters of `text`, for messages.
fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_decode_and_refuse_non_utf8() {
        assert_eq!(
            query_pairs("Note=hi+there&Tag.1.Key=k%2Fv&empty=&flag"),
            Some(vec![
                ("Note".into(), "hi there".into()),
                ("Tag.1.Key".into(), "k/v".into()),
                ("empty".into(), String::new()),
                ("flag".into(), String::new()),
            ])
        );
        assert_eq!(query_pairs("a=%ff"), None);
        assert_eq!(query_pairs("a=%zz"), Some(vec![("a".into(), "%zz".into())]));
    }

    #[test]
    fn credentials_are_read_from_each_signature_scheme() {
        let aws = "AWS4-HMAC-SHA256 Credential=111111111111/20261129/us-east-1/organizations/aws4_request, SignedHeaders=x";
        assert_eq!(
            credential_after(aws, "Credential=", &['/', ',', ' ']).as_deref(),
            Some("111111111111")
        );
        let acs = "ACS3-HMAC-SHA256 Credential=1772422852740000,SignedHeaders=accept";
        assert_eq!(
            credential_after(acs, "Credential=", &[',', ' ', '/']).as_deref(),
            Some("1772422852740000")
        );
        assert_eq!(credential_after("garbage", "Credential=", &[',']), None);
        assert_eq!(credential_after("Credential=", "Credential=", &[',']), None);
    }

    #[test]
    fn seeded_ids_fit_each_profile_and_repeat_for_a_seed() {
        for provider in Provider::values() {
            let profile = provider.profile();
            let mut a = SeededIds::new(7);
            let mut b = SeededIds::new(7);
            for _ in 0..50 {
                let id = a.next_id(&profile).unwrap();
                assert!(profile.parse_handshake_id(id.as_str()).is_ok());
                assert_eq!(id, b.next_id(&profile).unwrap());
            }
        }
    }
}
