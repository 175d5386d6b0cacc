//! [`Service`]: the one driver that runs every [`Dialect`] over a [`Ledger`]. It reads the
//! caller and the request through the dialect, calls one ledger method, and answers with the
//! dialect's body, or with the row of its error table for a refusal.

use chrono::{DateTime, Utc};

use crate::error::{ErrorKind, Failure, InputError, InvalidHandshake};
use crate::handshake::Handshake;
use crate::handshake::Membership;
use crate::id::{AccountId, HandshakeId};
use crate::id_source::{IdList, IdSource, IdSourceError};
use crate::ledger::{InviteRequest, Ledger, LedgerError, World, WorldError};
use crate::Event;

use super::call::{Call, CallError, Reply};
use super::dialect::{Dialect, ErrorAnswer, HttpRequest, ReplyContext, Request, Routed, Success};
use super::error_table::{self, Override, OverrideError};
use super::{Provider, WireError};

/// Why the driver did not answer a call with success: the provider's own error reply, or a
/// mistake of the harness that no provider would answer.
enum Refusal {
    Provider(Failure),
    Harness(CallError),
}

impl From<Failure> for Refusal {
    fn from(failure: Failure) -> Self {
        Refusal::Provider(failure)
    }
}

impl From<CallError> for Refusal {
    fn from(err: CallError) -> Self {
        Refusal::Harness(err)
    }
}

/// One provider's service over a [`Ledger`]: takes provider-shaped calls and answers as the
/// provider does. Every provider runs through this one driver; what differs is its
/// [`Dialect`].
///
/// ```
/// use org_handshake::ledger::World;
/// use org_handshake::provider::{Call, Provider, Service};
///
/// let mut service = Service::new(Provider::Aws, &World::default())?;
/// let request = serde_json::json!({"HandshakeId": "h-0123456789"});
/// let reply = service.call(&Call::new("DescribeHandshake", "111111111111", "2026-01-05T10:00:00Z".parse()?, &request))?;
/// assert_eq!(reply.status, 404);
/// assert_eq!(reply.header("X-Amzn-ErrorType"), Some("HandshakeNotFoundException"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Service {
    pub(super) dialect: &'static dyn Dialect,
    pub(super) overrides: Vec<Override>,
    pub(super) ledger: Ledger,
    /// The management account of the world's first organization: who calls when a request
    /// names no account.
    pub(super) default_caller: Option<AccountId>,
}

impl Service {
    /// A service for `provider` over a new ledger of `world`, with the provider's profile.
    ///
    /// # Errors
    ///
    /// [`WorldError`] when the world cannot exist, or holds an id the provider could not
    /// ([`WorldError::IdOutsidePattern`], naming the id).
    ///
    /// # Example: an AWS world needs 12-digit accounts
    ///
    /// ```
    /// use org_handshake::provider::{Provider, Service};
    /// let world = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
    ///     "management_account": {"id": "1512666876910001", "name": "an alibaba account"}}]}))?;
    /// let err = Service::new(Provider::Aws, &world).unwrap_err();
    /// assert_eq!(err.code(), "id_outside_pattern");
    /// assert!(err.to_string().contains("1512666876910001"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(provider: Provider, world: &World) -> Result<Self, WorldError> {
        Service::with_dialect(provider.dialect(), world)
    }

    /// A service speaking `dialect` over a new ledger of `world`, with the dialect's profile.
    ///
    /// # Errors
    ///
    /// [`WorldError`] when the world cannot exist.
    pub fn with_dialect(dialect: &'static dyn Dialect, world: &World) -> Result<Self, WorldError> {
        check_world_ids(dialect, world)?;
        let ledger = Ledger::new(*dialect.profile(), world)?;
        let mut service = Service::from_ledger(dialect, ledger);
        service.default_caller = world
            .organizations
            .first()
            .map(|org| org.management_account.id);
        Ok(service)
    }

    /// A service speaking `dialect` over an existing ledger. A ledger does not remember the
    /// order of the world it was built from, so such a service has no default caller
    /// ([`caller_for`](Self::caller_for) answers with the credential as given); a service
    /// brought back with [`restore`](Self::restore) keeps the one it had.
    pub fn from_ledger(dialect: &'static dyn Dialect, ledger: Ledger) -> Self {
        Service {
            dialect,
            overrides: Vec::new(),
            ledger,
            default_caller: None,
        }
    }

    /// The same service with rows of its error table corrected.
    ///
    /// # Errors
    ///
    /// [`OverrideError`] for an override that names no row or sets an impossible status or
    /// code; the service is unchanged then.
    ///
    /// # Example: a user who knows Huawei's real not-found code
    ///
    /// ```
    /// use org_handshake::provider::error_table::{Detail, Override};
    /// use org_handshake::provider::{Call, Provider, Service};
    /// use org_handshake::ErrorKind;
    ///
    /// let service = Service::new(Provider::Huawei, &Default::default())?;
    /// let mut service = service.with_overrides(&[Override::new(ErrorKind::NotFound, Detail::ANY).code("Organizations.1404")])?;
    /// let request = serde_json::json!({"path": {"handshake_id": "h-0123456789"}});
    /// let reply = service.call(&Call::new("show_handshake", "0a6d25d23900d45c0faac010e0fb4de0", "2026-01-05T10:00:00Z".parse()?, &request))?;
    /// assert_eq!(reply.json()["error_code"], "Organizations.1404");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_overrides(mut self, overrides: &[Override]) -> Result<Self, OverrideError> {
        error_table::check_overrides(self.dialect.name(), self.dialect.error_table(), overrides)?;
        self.overrides.extend_from_slice(overrides);
        Ok(self)
    }

    /// The corrections of the error table this service applies, in order.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// The dialect the service speaks.
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    /// The built-in provider the service speaks, if it is one.
    pub fn provider(&self) -> Option<Provider> {
        self.dialect.name().parse().ok()
    }

    /// The ledger behind the service.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The ledger behind the service, for changes to the world between calls.
    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    /// The ledger, giving up the service.
    pub fn into_ledger(self) -> Ledger {
        self.ledger
    }

    /// Routes an HTTP request of this provider's protocol to an operation, the request in the
    /// provider's shape, and the credential it names.
    ///
    /// # Errors
    ///
    /// The provider's own error reply for a request it cannot route (an unknown operation or
    /// path, a malformed body).
    ///
    /// The error reply carries `request_id` (empty for the provider's default).
    pub fn route(&self, request: &HttpRequest<'_>, request_id: &str) -> Result<Routed, Reply> {
        self.dialect
            .route(request)
            .map_err(|failure| self.reply_to(&failure, "", request_id))
    }

    /// The calling account for a request's credential: the credential itself when it is an
    /// account id of the provider's pattern (whether or not the ledger knows it: an unknown
    /// account is then refused by the call as the provider refuses it), else the management
    /// account of the world's first organization (an emulator's default caller: a credential
    /// that is an access key rather than an account), else the credential as given.
    ///
    /// ```
    /// use org_handshake::provider::{Provider, Service};
    /// let world = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
    ///     "management_account": {"id": "111111111111", "name": "bill"}}]}))?;
    /// let service = Service::new(Provider::Aws, &world)?;
    /// assert_eq!(service.caller_for(Some("222222222222")), "222222222222");
    /// assert_eq!(service.caller_for(Some("AKIDEXAMPLE")), "111111111111");
    /// assert_eq!(service.caller_for(None), "111111111111");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn caller_for(&self, credential: Option<&str>) -> String {
        if let Some(account) = credential.and_then(|c| self.dialect.account_id(c)) {
            return account.to_string();
        }
        match self.default_caller {
            Some(account) => account.to_string(),
            None => credential.unwrap_or_default().to_owned(),
        }
    }

    /// Answers one call as the provider does, giving new handshakes the call's
    /// [`new_ids`](Call::new_ids). Refused calls change nothing.
    ///
    /// # Errors
    ///
    /// [`CallError`] when the harness did not supply valid, free ids for the handshakes the
    /// call creates; every other problem is the provider's own error reply.
    pub fn call(&mut self, call: &Call<'_>) -> Result<Reply, CallError> {
        self.call_with(call, &mut IdList::new(call.new_ids))
    }

    /// Answers one call as the provider does, drawing the ids of the handshakes it creates from
    /// `ids` (only once every check has passed: a refused call draws none). Refused calls change
    /// nothing.
    ///
    /// # Errors
    ///
    /// [`CallError`] when `ids` gives no valid, free id for a handshake the call creates; every
    /// other problem is the provider's own error reply.
    ///
    /// # Example: ids from a seeded generator
    ///
    /// ```
    /// use org_handshake::provider::{Call, Provider, Service};
    /// use org_handshake::SeededIds;
    ///
    /// let world = serde_json::from_value(serde_json::json!({
    ///     "organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "bill"}}],
    ///     "accounts": [{"id": "222222222222", "name": "juan"}]
    /// }))?;
    /// let mut service = Service::new(Provider::Aws, &world)?;
    /// let mut ids = SeededIds::new(7);
    /// let invite = serde_json::json!({"Target": {"Id": "222222222222", "Type": "ACCOUNT"}});
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let reply = service.call_with(&Call::new("InviteAccountToOrganization", "111111111111", now, &invite), &mut ids)?;
    /// assert_eq!(reply.status, 200);
    /// assert_eq!(ids.drawn(), 1);
    /// // A refused call draws nothing: Juan already has a pending invitation.
    /// let again = service.call_with(&Call::new("InviteAccountToOrganization", "111111111111", now, &invite), &mut ids)?;
    /// assert_eq!(again.status, 409);
    /// assert_eq!(ids.drawn(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn call_with(
        &mut self,
        call: &Call<'_>,
        ids: &mut dyn IdSource,
    ) -> Result<Reply, CallError> {
        let request_id = if call.request_id.is_empty() {
            self.dialect.default_request_id()
        } else {
            call.request_id
        };
        let context = ReplyContext {
            operation: call.operation,
            request_id,
        };
        match self.run(call, ids, &context) {
            Ok((status, body, events)) => Ok(Reply {
                status,
                body,
                headers: self.dialect.reply_headers(None, &context),
                error: None,
                error_code: None,
                error_reason: None,
                events,
            }),
            Err(Refusal::Provider(failure)) => Ok(self.error_reply(&failure, &context)),
            Err(Refusal::Harness(err)) => Err(err),
        }
    }

    /// Writes down lapsed expiries and drops purged handshakes, as of `now`
    /// ([`Ledger::sweep`]).
    ///
    /// # Errors
    ///
    /// [`LedgerError::TimeWentBackwards`] when `now` is before the ledger's clock.
    pub fn sweep(&mut self, now: DateTime<Utc>) -> Result<crate::ledger::Swept, LedgerError> {
        self.ledger.sweep(now)
    }

    fn error_reply(&self, failure: &Failure, context: &ReplyContext<'_>) -> Reply {
        render_error(self.dialect, &self.overrides, failure, context)
    }

    /// The provider's answer to a failure found outside the ledger, such as an HTTP layer's
    /// limits ([`ErrorKind::RequestTooLarge`]) or its own fault ([`ErrorKind::Internal`]), with
    /// the service's error table and overrides.
    ///
    /// ```
    /// use org_handshake::provider::{Provider, Service};
    /// use org_handshake::{ErrorKind, Failure};
    /// let service = Service::new(Provider::Aws, &Default::default())?;
    /// let reply = service.reply_to(&Failure::new(ErrorKind::RequestTooLarge, "the body is over 1 MiB"), "", "r-1");
    /// assert_eq!((reply.status, reply.header("X-Amzn-ErrorType")), (413, Some("RequestEntityTooLargeException")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reply_to(&self, failure: &Failure, operation: &str, request_id: &str) -> Reply {
        error_reply(
            self.dialect,
            &self.overrides,
            failure,
            operation,
            request_id,
        )
    }

    fn run(
        &mut self,
        call: &Call<'_>,
        ids: &mut dyn IdSource,
        context: &ReplyContext<'_>,
    ) -> Result<(u16, String, Vec<Event>), Refusal> {
        let dialect = self.dialect;
        let (caller, request) = dialect.read_call(call.operation, call.caller, call.request)?;
        let now = call.now;
        let render = |success: Success<'_>| {
            dialect
                .render_success(success, context)
                .map(|body| (dialect.success_status(&success, context), body))
                .map_err(|err| unexpressible(dialect, &err))
        };
        let one = |handshake: &Handshake| render(Success::Handshake(handshake));
        match request {
            Request::Invite { target, notes } => {
                dialect.check_new(self.sender(caller), now)?;
                let changed = self
                    .ledger
                    .invite(caller, InviteRequest { target, notes }, ids, now)
                    .map_err(|e| self.refusal(e))?;
                {
                    let (status, body) = one(&changed.handshake)?;
                    Ok((status, body, changed.events))
                }
            }
            Request::Accept(id) | Request::Decline(id) | Request::Cancel(id) => {
                self.check_stored(caller, id, now)?;
                let changed = match &request {
                    Request::Accept(_) => self.ledger.accept(caller, id, now),
                    Request::Decline(_) => self.ledger.decline(caller, id, now),
                    _ => self.ledger.cancel(caller, id, now),
                }
                .map_err(|e| self.refusal(e))?;
                {
                    let (status, body) = one(&changed.handshake)?;
                    Ok((status, body, changed.events))
                }
            }
            Request::Describe(id) => {
                let handshake = self
                    .ledger
                    .describe(caller, id, now)
                    .map_err(|e| self.refusal(e))?;
                {
                    let (status, body) = one(&handshake)?;
                    Ok((status, body, Vec::new()))
                }
            }
            Request::ListForAccount(ref listing) | Request::ListForOrganization(ref listing) => {
                let for_account = matches!(request, Request::ListForAccount(_));
                let page = if for_account {
                    self.ledger
                        .list_for_account(caller, listing.filter, &listing.page, now)
                } else {
                    self.ledger
                        .list_for_organization(caller, listing.filter, &listing.page, now)
                }
                .map_err(|e| self.refusal(e))?;
                let success = Success::Handshakes {
                    page: &page,
                    request: &listing.page,
                };
                let (status, body) = render(success)?;
                Ok((status, body, Vec::new()))
            }
            Request::EnableAllFeatures => {
                dialect.check_new(self.sender(caller), now)?;
                let changed = self
                    .ledger
                    .enable_all_features(caller, ids, now)
                    .map_err(|e| self.refusal(e))?;
                {
                    let (status, body) = one(&changed.handshake)?;
                    Ok((status, body, changed.events))
                }
            }
            Request::CreateOrganization { feature_set } => {
                // A change at a time the provider cannot write is refused before it happens.
                dialect.check_new(None, now)?;
                let created = self
                    .ledger
                    .create_organization(caller, feature_set, ids, now)
                    .map_err(|e| self.refusal(e))?;
                let (status, body) = render(Success::Organization(&created.organization))?;
                Ok((status, body, created.events))
            }
            Request::DescribeOrganization => {
                let organization = self
                    .ledger
                    .describe_organization(caller, now)
                    .map_err(|e| self.refusal(e))?;
                {
                    let (status, body) = render(Success::Organization(&organization))?;
                    Ok((status, body, Vec::new()))
                }
            }
            Request::ListAccounts(ref page_request) => {
                let page = self
                    .ledger
                    .list_accounts(caller, page_request, now)
                    .map_err(|e| self.refusal(e))?;
                let success = Success::Accounts {
                    page: &page,
                    request: page_request,
                };
                {
                    let (status, body) = render(success)?;
                    Ok((status, body, Vec::new()))
                }
            }
            Request::DescribeAccount(account) => {
                let info = self
                    .ledger
                    .describe_account(caller, account, now)
                    .map_err(|e| self.refusal(e))?;
                {
                    let (status, body) = render(Success::Account(&info))?;
                    Ok((status, body, Vec::new()))
                }
            }
            Request::DeleteOrganization
            | Request::LeaveOrganization
            | Request::RemoveAccount(_) => {
                // The empty body cannot fail to render: render it before anything changes.
                let (status, body) = render(Success::Empty)?;
                dialect.check_new(None, now)?;
                let changed = match request {
                    Request::DeleteOrganization => self.ledger.delete_organization(caller, now),
                    Request::LeaveOrganization => self.ledger.leave_organization(caller, now),
                    Request::RemoveAccount(account) => {
                        self.ledger.remove_account(caller, account, now)
                    }
                    _ => {
                        return Err(Refusal::Provider(Failure::new(
                            ErrorKind::Internal,
                            "a membership change the driver does not know",
                        )))
                    }
                }
                .map_err(|e| self.refusal(e))?;
                Ok((status, body, changed.events))
            }
        }
    }

    /// The organization `caller` manages, if any.
    fn sender(&self, caller: AccountId) -> Option<crate::OrganizationId> {
        match self.ledger.membership(&caller) {
            Membership::Management(org) => Some(org),
            _ => None,
        }
    }

    /// Asks the dialect whether it could show a stored handshake the caller can see, once
    /// changed.
    fn check_stored(
        &self,
        caller: AccountId,
        id: HandshakeId,
        now: DateTime<Utc>,
    ) -> Result<(), Failure> {
        match self
            .ledger
            .stored(&id)
            .filter(|h| h.is_party(&caller) && h.is_visible_at(now))
        {
            Some(stored) => self.dialect.check_stored(stored, now),
            None => Ok(()),
        }
    }

    /// A ledger refusal as the provider answers it: new-id problems are the harness's; the
    /// neutral parameter names become the provider's.
    fn refusal(&self, err: LedgerError) -> Refusal {
        let dialect = self.dialect;
        match err {
            LedgerError::IdSource {
                needed,
                source: IdSourceError::Exhausted { drawn },
            } => Refusal::Harness(CallError::MissingNewIds {
                needed,
                given: drawn,
            }),
            LedgerError::IdSource {
                source: IdSourceError::Invalid { id, reason },
                ..
            } => Refusal::Harness(CallError::InvalidNewId {
                provider: dialect.name(),
                id,
                reason,
            }),
            LedgerError::HandshakeIdInUse { id } => Refusal::Harness(CallError::NewIdInUse { id }),
            LedgerError::OrganizationIdInUse { id } => {
                Refusal::Harness(CallError::NewOrganizationIdInUse { id })
            }
            LedgerError::InvalidHandshake(InvalidHandshake::Id(err)) => {
                Refusal::Harness(CallError::InvalidNewId {
                    provider: dialect.name(),
                    id: String::new(),
                    reason: err.to_string(),
                })
            }
            LedgerError::InvalidInput {
                parameter,
                problem,
                reason,
            } => {
                let name = dialect.parameter(parameter);
                let shown_name = name.unwrap_or(parameter.as_str());
                let mut failure = Failure::new(
                    ErrorKind::InvalidInput,
                    format!("invalid `{shown_name}`: {reason}"),
                );
                failure.cause = crate::error::Cause::Kind(ErrorKind::InvalidInput);
                failure.input = name.map(|name| InputError {
                    parameter: name.to_owned(),
                    problem,
                });
                Refusal::Provider(failure)
            }
            other => {
                let input = other.input();
                let mut failure = Failure::from(other);
                failure.input = input.and_then(|(parameter, problem)| {
                    dialect.parameter(parameter).map(|name| InputError {
                        parameter: name.to_owned(),
                        problem,
                    })
                });
                Refusal::Provider(failure)
            }
        }
    }
}

/// Refuses a world whose ids `dialect`'s provider could not hold.
fn check_world_ids(dialect: &dyn Dialect, world: &World) -> Result<(), WorldError> {
    let outside = |what, id: &str| WorldError::IdOutsidePattern {
        provider: dialect.name(),
        what,
        id: id.to_owned(),
    };
    for org in &world.organizations {
        if dialect.organization_id(org.id.as_str()).is_none() {
            return Err(outside("organization", org.id.as_str()));
        }
        let accounts = std::iter::once(&org.management_account.id).chain(&org.members);
        for account in accounts {
            if dialect.account_id(account.as_str()).is_none() {
                return Err(outside("account", account.as_str()));
            }
        }
    }
    for account in &world.accounts {
        if dialect.account_id(account.id.as_str()).is_none() {
            return Err(outside("account", account.id.as_str()));
        }
    }
    Ok(())
}

/// `failure` as `dialect` answers it under `table`.
pub(super) fn error_reply(
    dialect: &dyn Dialect,
    overrides: &[Override],
    failure: &Failure,
    operation: &str,
    request_id: &str,
) -> Reply {
    let request_id = if request_id.is_empty() {
        dialect.default_request_id()
    } else {
        request_id
    };
    let context = ReplyContext {
        operation,
        request_id,
    };
    render_error(dialect, overrides, failure, &context)
}

fn render_error(
    dialect: &dyn Dialect,
    overrides: &[Override],
    failure: &Failure,
    context: &ReplyContext<'_>,
) -> Reply {
    let (_, status, text) =
        error_table::answer(dialect.error_table(), overrides, failure, context.operation);
    let answer = ErrorAnswer {
        status,
        code: &text.code,
        reason: text.reason.as_deref(),
        message: &text.message,
    };
    let body = dialect.render_error(&answer, context);
    let headers = dialect.reply_headers(Some(&answer), context);
    Reply {
        status,
        body,
        headers,
        error: Some(failure.kind),
        error_code: Some(text.code),
        error_reason: text.reason,
        events: Vec::new(),
    }
}

/// A result the provider cannot show, as its unsupported error.
fn unexpressible(dialect: &dyn Dialect, err: &WireError) -> Failure {
    Failure::new(
        ErrorKind::Unsupported,
        format!("{} cannot express the result: {err}", dialect.name()),
    )
}
