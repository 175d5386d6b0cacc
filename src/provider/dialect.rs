//! The [`Dialect`] trait: everything that differs between two clouds, as data and small pure
//! functions behind one interface, run by one driver ([`Service`](super::Service)).
//!
//! A dialect says how its provider names operations and parameters, how a request reads into a
//! neutral [`Request`] (and a neutral request is written in the provider's shape), how a
//! handshake, a page and an error are written back, what its error table is, what it cannot
//! express, and how an HTTP request names an operation. It holds no semantics: who may act,
//! states, expiry, duplicates and quotas are the [`Ledger`](crate::ledger::Ledger)'s, and the
//! driver calls the ledger.
//!
//! # Adding a provider
//!
//! 1. A folder `src/provider/<name>/` with the same files as the others: `mod.rs` (module docs
//!    and re-exports), `vocab.rs` (its enums and operation names, the `vocabulary!` macro),
//!    `handshake.rs` (its bare handshake object, both ways), `request.rs` (its requests read
//!    into a neutral [`Request`]), `response.rs` (its success bodies), `error.rs` (its error
//!    table of [`Row`]s), `dialect.rs` (its [`Description`] and its [`Dialect`], with the HTTP
//!    routing) and `world.json` (the world an emulator starts from).
//! 2. What the provider *is*, as one `const` [`Description`]: name, [`Profile`], operation
//!    names, error table, request-id rule, default world. What it *does*, as a unit struct
//!    implementing [`Dialect`], whose [`description`](Dialect::description) returns that
//!    `const`.
//! 3. One line in the registry ([`Provider`](super::Provider) and
//!    [`Provider::dialect`](super::Provider::dialect)).
//!
//! Nothing in the driver, the ledger, the conformance runner or the server changes.
//! `tests/dialect_contract.rs` checks what every dialect must satisfy, and
//! `tests/fourth_dialect.rs` shows a made-up cloud wired in from the tests alone, vectors
//! included.

use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::Failure;
use crate::handshake::{Handshake, Party};
use crate::id::{AccountId, HandshakeId, Notes, OrganizationId};
use crate::ledger::{
    AccountInfo, AccountPage, HandshakeFilter, OrganizationInfo, Page, PageRequest, Parameter,
    World,
};
use crate::policy::Profile;
use crate::vocab::FeatureSet;

use super::error_table::Row;
use super::outgoing::{EncodeError, OutgoingRequest};
use super::WireError;

/// One provider's dialect: its vocabulary, request parsing, rendering, error table and HTTP
/// routing. Every method is pure.
///
/// The three built-in dialects are [`aws::Aws`](super::aws::Aws),
/// [`huawei::Huawei`](super::huawei::Huawei) and [`alibaba::Alibaba`](super::alibaba::Alibaba).
///
/// What a provider *is* lives in its [`Description`] (a `const`); the trait is what it *does*.
///
/// ```
/// use org_handshake::provider::{Dialect, Provider};
/// let aws = Provider::Aws.dialect();
/// assert_eq!(aws.name(), "aws");
/// assert!(aws.operations().contains(&"AcceptHandshake"));
/// assert_eq!(aws.profile().invite_validity, chrono::TimeDelta::days(15));
/// ```
pub trait Dialect: fmt::Debug + Send + Sync {
    /// What the provider is: its name, profile, operations, error table, request-id rule and
    /// built-in world.
    fn description(&self) -> &'static Description;

    /// The provider's own key for a neutral request parameter, when the provider has one.
    fn parameter(&self, parameter: Parameter) -> Option<&'static str>;

    /// The account a credential names, when it is an account id of the provider's pattern
    /// (AWS: 12 digits; Huawei: a 32-hex domain id; Alibaba: 16 digits).
    fn account_id(&self, text: &str) -> Option<AccountId>;

    /// The organization an id names, when it follows the provider's pattern (AWS and Huawei
    /// `o-…`, Alibaba `rd-…`). Any valid [`OrganizationId`] by default.
    fn organization_id(&self, text: &str) -> Option<OrganizationId> {
        OrganizationId::parse(text).ok()
    }

    /// Reads a call in the provider's own order of checks: the calling account and the request
    /// in neutral terms.
    ///
    /// # Errors
    ///
    /// The [`Failure`] the provider answers: a malformed caller, an unknown operation, a
    /// missing or malformed parameter.
    fn read_call(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<(AccountId, Request), Failure>;

    /// The provider's operation and its request, in the shape
    /// [`Call::request`](super::Call::request) takes and [`encode`](Self::encode) sends, for a
    /// neutral request: the inverse of [`read_call`](Self::read_call), which reads back the
    /// same request. The caller stays outside the request, as in `read_call` and `encode`.
    ///
    /// Values are written as given, as an SDK sends them: an id of another provider's pattern
    /// or a page size out of range is the provider's to refuse when it reads the call. What
    /// fails here is what the provider's request has no place for.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] naming what the provider cannot express: an operation it does not have
    /// (Alibaba has no LeaveOrganization, Huawei and Alibaba no EnableAllFeatures), a kind of
    /// page it does not use (AWS and Huawei page by token, Alibaba by number), a listing filter
    /// (AWS alone has one), a party kind it cannot invite, a feature set (AWS alone has one, and
    /// always sends it), notes that it cannot tell apart from none (Huawei requires notes;
    /// Alibaba reads empty notes as none).
    ///
    /// ```
    /// use org_handshake::provider::{Provider, Request};
    /// let id: org_handshake::HandshakeId = "h-0123456789".parse()?;
    /// let aws = Provider::Aws.dialect();
    /// let (operation, request) = aws.write_call(&Request::Describe(id))?;
    /// assert_eq!(operation, "DescribeHandshake");
    /// assert_eq!(aws.read_call(operation, "111111111111", &request)?.1, Request::Describe(id));
    /// // Alibaba has no operation for leaving a resource directory.
    /// assert!(Provider::Alibaba.dialect().write_call(&Request::LeaveOrganization).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn write_call(&self, request: &Request) -> Result<(&'static str, Value), EncodeError>;

    /// Refuses, before anything changes, a new handshake the provider could not show: one sent
    /// by `sender` (the caller's organization, when it manages one) at `now`.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) failure saying what the
    /// provider cannot express.
    fn check_new(&self, sender: Option<OrganizationId>, now: DateTime<Utc>) -> Result<(), Failure> {
        let _ = (sender, now);
        Ok(())
    }

    /// Refuses, before anything changes, acting on a stored handshake the provider could not
    /// show once changed. The driver asks only for a handshake the caller can see, so existence
    /// does not leak.
    ///
    /// # Errors
    ///
    /// As [`check_new`](Self::check_new).
    fn check_stored(&self, stored: &Handshake, now: DateTime<Utc>) -> Result<(), Failure> {
        let _ = (stored, now);
        Ok(())
    }

    /// The success body of a call, as JSON text (what [`Reply::body`](super::Reply::body)
    /// holds): one handshake, a page of handshakes, … as the driver found it. Written straight
    /// from the borrowed data, with no `serde_json::Value` on the way: a reply is built once
    /// per call, and an HTTP layer sends the text as it is.
    ///
    /// # Errors
    ///
    /// [`WireError`] when the provider cannot express what the reply holds.
    fn render_success(
        &self,
        success: Success<'_>,
        reply: &ReplyContext<'_>,
    ) -> Result<String, WireError>;

    /// The HTTP status of a success reply (200 unless the provider documents another for the
    /// operation, as Huawei's 201 for a created organization and 204 for a deleted one).
    fn success_status(&self, success: &Success<'_>, reply: &ReplyContext<'_>) -> u16 {
        let _ = (success, reply);
        200
    }

    /// The error body, as JSON text, for the status, code and message the driver decided
    /// (from the dialect's error table and the service's overrides).
    fn render_error(&self, error: &ErrorAnswer<'_>, reply: &ReplyContext<'_>) -> String;

    /// The headers the provider sends with a reply (besides those an HTTP layer adds itself).
    /// `error` is what an error reply says, `None` for a success.
    fn reply_headers(
        &self,
        error: Option<&ErrorAnswer<'_>>,
        reply: &ReplyContext<'_>,
    ) -> Vec<(&'static str, String)>;

    /// The provider's bare handshake object for `handshake`, as JSON text (keys in the
    /// provider's documented order), written straight from the handshake.
    ///
    /// # Errors
    ///
    /// [`WireError`] when the provider cannot express the handshake.
    fn render_bare(&self, handshake: &Handshake) -> Result<String, WireError>;

    /// The provider's bare handshake object as a `serde_json::Value`. By default
    /// [`render_bare`](Self::render_bare)'s text read back; a dialect with a direct path (the
    /// built-in ones) gives it, as building the value straight is about half the cost.
    ///
    /// # Errors
    ///
    /// As [`render_bare`](Self::render_bare).
    fn render_bare_value(&self, handshake: &Handshake) -> Result<Value, WireError> {
        let text = self.render_bare(handshake)?;
        serde_json::from_str(&text).map_err(|err| WireError::Json {
            field: String::new(),
            message: err.to_string(),
        })
    }

    /// Parses the provider's bare handshake object.
    ///
    /// # Errors
    ///
    /// A [`WireError`] naming the field at fault.
    fn parse_bare(&self, json: &str) -> Result<Handshake, WireError>;

    /// Whether an HTTP request speaks this provider's protocol (AWS: an `X-Amz-Target` header;
    /// Huawei: a `/v1/` path; Alibaba: an `x-acs-action` header or an `Action` query parameter).
    fn claims(&self, request: &HttpRequest<'_>) -> bool;

    /// Maps an HTTP request to the operation, the request in the provider's shape (as
    /// [`Call::request`](super::Call::request) takes it) and the credential it names.
    ///
    /// # Errors
    ///
    /// The failure the provider answers for a request it cannot route: an unknown operation or
    /// path, a body that is not the provider's JSON or form.
    fn route(&self, request: &HttpRequest<'_>) -> Result<Routed, Failure>;

    /// How the provider's own SDK sends `operation` with `request` (in the shape
    /// [`Call::request`](super::Call::request) takes) for `caller`: the inverse of
    /// [`route`](Self::route), which reads back the same operation, request and a credential
    /// naming `caller`. Signature headers are placeholders in the SDK's format (a wire client
    /// signs them, or sends them as they are to an emulator that does not verify).
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when the provider's protocol has no form for the request (a Huawei path
    /// parameter that is absent or not a string).
    fn encode(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<OutgoingRequest, EncodeError>;
}

/// What a provider is, as data: one `const` per provider ([`aws::AWS`](super::aws::AWS),
/// [`huawei::HUAWEI`](super::huawei::HUAWEI), [`alibaba::ALIBABA`](super::alibaba::ALIBABA)),
/// which its [`Dialect`] returns from [`description`](Dialect::description).
///
/// ```
/// use org_handshake::provider::alibaba::ALIBABA;
/// assert_eq!(ALIBABA.name, "alibaba");
/// assert!(ALIBABA.request_id_in_body);
/// let world = ALIBABA.default_world()?;
/// assert_eq!(world.organizations[0].id.as_str(), "rd-3G6rzX");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Description {
    /// The provider's lower-case name (`aws`), as vectors and journals spell it.
    pub name: &'static str,
    /// The provider's durations, limits and id rule.
    pub profile: Profile,
    /// The provider's own operation names, in its vocabulary's order.
    pub operations: &'static [&'static str],
    /// The provider's error table: one [`Row`] per failure it distinguishes, specific rows
    /// before the general row of their kind.
    pub error_table: &'static [Row],
    /// The request id a reply carries when the call gives none (empty: the provider sends none
    /// of its own).
    pub default_request_id: &'static str,
    /// Whether a reply carries the request id in its body (Alibaba's `RequestId`), so that a
    /// recorded step keeps it: a vector's `request_id` is for such providers only.
    pub request_id_in_body: bool,
    /// The world an emulator starts from when given none, in the vector format (JSON): the
    /// organizations and accounts of the provider's documented examples.
    pub default_world: &'static str,
}

impl Description {
    /// The built-in [`default_world`](Self::default_world) read as a [`World`].
    ///
    /// # Errors
    ///
    /// The parser's error, were the built-in text not a world (a test reads every provider's).
    pub fn default_world(&self) -> Result<World, serde_json::Error> {
        serde_json::from_str(self.default_world)
    }
}

impl dyn Dialect + '_ {
    /// The provider's lower-case name (`aws`), as vectors and journals spell it.
    pub fn name(&self) -> &'static str {
        self.description().name
    }

    /// The provider's durations, limits and id rule.
    pub fn profile(&self) -> &'static Profile {
        &self.description().profile
    }

    /// The provider's own operation names, in its vocabulary's order.
    pub fn operations(&self) -> &'static [&'static str] {
        self.description().operations
    }

    /// The provider's error table.
    pub fn error_table(&self) -> &'static [Row] {
        self.description().error_table
    }

    /// The request id a reply carries when the call gives none.
    pub fn default_request_id(&self) -> &'static str {
        self.description().default_request_id
    }

    /// The first handshake a reply body holds, read with
    /// [`parse_bare`](Dialect::parse_bare): the body itself or an object inside it, outer
    /// before inner, in the body's order. How a tool finds the handshake a call created or
    /// changed without knowing where the provider's reply puts it.
    ///
    /// ```
    /// use org_handshake::provider::{Call, Provider, Service};
    /// use serde_json::json;
    /// let aws = Provider::Aws.dialect();
    /// let mut service = Service::new(Provider::Aws, &aws.description().default_world()?)?;
    /// let invite = json!({"Target": {"Type": "ACCOUNT", "Id": "222222222222"}});
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let call = Call::new("InviteAccountToOrganization", "111111111111", now, &invite)
    ///     .with_new_ids(&["h-0123456789"]);
    /// let reply = service.call(&call)?;
    /// let handshake = aws.handshake_in(&reply.json()).expect("the invitation");
    /// assert_eq!(handshake.id().as_str(), "h-0123456789");
    /// assert!(aws.handshake_in(&json!({"Handshake": {}})).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handshake_in(&self, body: &Value) -> Option<Handshake> {
        match body {
            Value::Object(members) => self
                .parse_bare(&body.to_string())
                .ok()
                .or_else(|| members.values().find_map(|value| self.handshake_in(value))),
            Value::Array(items) => items.iter().find_map(|value| self.handshake_in(value)),
            _ => None,
        }
    }
}

/// A provider request in neutral terms: which ledger operation, with what.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Request {
    /// Invite `target` into the caller's organization.
    Invite {
        /// Whom.
        target: Party,
        /// The notes, if any.
        notes: Option<Notes>,
    },
    /// Accept a handshake.
    Accept(HandshakeId),
    /// Decline a handshake.
    Decline(HandshakeId),
    /// Cancel a handshake.
    Cancel(HandshakeId),
    /// Show a handshake.
    Describe(HandshakeId),
    /// List the handshakes the caller has received.
    ListForAccount(Listing),
    /// List the handshakes the caller's organization has sent.
    ListForOrganization(Listing),
    /// Start enabling all features in the caller's organization.
    EnableAllFeatures,
    /// Create an organization managed by the caller.
    CreateOrganization {
        /// Its feature set (`None`: the provider has none, or its default).
        feature_set: Option<FeatureSet>,
    },
    /// Show the caller's organization.
    DescribeOrganization,
    /// Delete the caller's organization.
    DeleteOrganization,
    /// List the accounts of the caller's organization.
    ListAccounts(PageRequest),
    /// Show one account of the caller's organization.
    DescribeAccount(AccountId),
    /// The caller leaves its organization.
    LeaveOrganization,
    /// Remove a member from the caller's organization.
    RemoveAccount(AccountId),
}

impl Request {
    /// The request's neutral name (`Invite`, `ListForAccount`, …): what an
    /// [`EncodeError`] names when the provider has no operation for it.
    ///
    /// ```
    /// use org_handshake::provider::Request;
    /// assert_eq!(Request::LeaveOrganization.name(), "LeaveOrganization");
    /// ```
    pub const fn name(&self) -> &'static str {
        match self {
            Request::Invite { .. } => "Invite",
            Request::Accept(_) => "Accept",
            Request::Decline(_) => "Decline",
            Request::Cancel(_) => "Cancel",
            Request::Describe(_) => "Describe",
            Request::ListForAccount(_) => "ListForAccount",
            Request::ListForOrganization(_) => "ListForOrganization",
            Request::EnableAllFeatures => "EnableAllFeatures",
            Request::CreateOrganization { .. } => "CreateOrganization",
            Request::DescribeOrganization => "DescribeOrganization",
            Request::DeleteOrganization => "DeleteOrganization",
            Request::ListAccounts(_) => "ListAccounts",
            Request::DescribeAccount(_) => "DescribeAccount",
            Request::LeaveOrganization => "LeaveOrganization",
            Request::RemoveAccount(_) => "RemoveAccount",
        }
    }

    /// The [`EncodeError`] of a provider that has no operation for this request.
    pub(crate) fn no_operation(&self, provider: &str) -> EncodeError {
        EncodeError::new(self.name(), format!("{provider} has no operation for it"))
    }
}

/// A listing's filter and page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The filter.
    pub filter: HandshakeFilter,
    /// The page asked for.
    pub page: PageRequest,
}

/// What a successful call answers, as the driver ([`Service`](super::Service)) found it: the
/// dialect writes it in the provider's shape ([`Dialect::render_success`]). An operation with a
/// new kind of answer adds a variant here, not a method to the trait.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Success<'a> {
    /// One handshake: the one created, changed or described.
    Handshake(&'a Handshake),
    /// A page of handshakes, as the ledger returned it for `request`.
    Handshakes {
        /// The page.
        page: &'a Page,
        /// The page asked for (a numbered page's number and size, a token page's size).
        request: &'a PageRequest,
    },
    /// An organization: the one created or described.
    Organization(&'a OrganizationInfo),
    /// One account of an organization.
    Account(&'a AccountInfo),
    /// A page of an organization's accounts, as the ledger returned it for `request`.
    Accounts {
        /// The page.
        page: &'a AccountPage,
        /// The page asked for.
        request: &'a PageRequest,
    },
    /// Nothing but success (delete, leave, remove): the provider's empty reply.
    Empty,
}

/// What an error reply says, as the driver decided it from the dialect's error table and the
/// service's overrides: the dialect writes it in the provider's shape
/// ([`Dialect::render_error`], [`Dialect::reply_headers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorAnswer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The provider's error code.
    pub code: &'a str,
    /// The secondary code (AWS `Reason`), if the row gives one.
    pub reason: Option<&'a str>,
    /// The message.
    pub message: &'a str,
}

/// What a reply is for: the operation as the provider named it, and the request id the reply
/// carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyContext<'a> {
    /// The provider's operation name as the call gave it (possibly unknown).
    pub operation: &'a str,
    /// The request id (the call's, else the dialect's default).
    pub request_id: &'a str,
}

/// An HTTP request as an emulator received it, borrowed: enough to route it to a provider and
/// an operation. Header names compare without regard to case.
///
/// ```
/// use org_handshake::provider::HttpRequest;
/// let headers = [("X-Amz-Target", "AWSOrganizationsV20161128.DescribeHandshake")];
/// let request = HttpRequest::new("POST", "/").with_headers(&headers).with_body(br#"{"HandshakeId": "h-0123456789"}"#);
/// assert_eq!(request.header("x-amz-target"), Some("AWSOrganizationsV20161128.DescribeHandshake"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpRequest<'a> {
    /// The method (`GET`, `POST`).
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The raw query string (without `?`), still percent-encoded.
    pub query: &'a str,
    /// The headers, in the order received.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> HttpRequest<'a> {
    /// A request with no query, headers or body.
    pub const fn new(method: &'a str, path: &'a str) -> Self {
        HttpRequest {
            method,
            path,
            query: "",
            headers: &[],
            body: &[],
        }
    }

    /// The same request with this raw query string.
    pub const fn with_query(mut self, query: &'a str) -> Self {
        self.query = query;
        self
    }

    /// The same request with these headers.
    pub const fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = headers;
        self
    }

    /// The same request with this body.
    pub const fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The first value of the header `name` (compared without regard to case).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| *value)
    }

    /// The query's parameters, percent-decoded (`+` as a space), in order. A malformed escape
    /// is kept as it is.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        form_pairs(self.query.as_bytes())
    }
}

/// Percent-decodes an `application/x-www-form-urlencoded` text into its pairs.
pub(crate) fn form_pairs(text: &[u8]) -> Vec<(String, String)> {
    text.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// Percent-decodes one URL component (`+` as a space); a malformed escape is kept as it is.
pub(crate) fn percent_decode(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (
                    text.get(i + 1).copied().and_then(hex),
                    text.get(i + 2).copied().and_then(hex),
                ) {
                    (Some(high), Some(low)) => {
                        // Two hex digits make a byte: high * 16 + low is below 256.
                        out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An HTTP request routed to an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    /// The provider's operation name.
    pub operation: &'static str,
    /// The request in the provider's shape, as [`Call::request`](super::Call::request) takes it.
    pub request: Value,
    /// The credential the request names (AWS and Alibaba: the access key id; Huawei: the
    /// `X-Domain-Id`), if any. [`Service::caller_for`](super::Service::caller_for) turns it
    /// into the calling account.
    pub credential: Option<String>,
}
