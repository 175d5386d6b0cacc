//! The one state behind one mutex: a service per provider, the id and request-id sources, the
//! clock and the journal. A call is applied and its journal line written under the lock, so the
//! journal's order is the order calls were applied in; the fsync is outside the lock, one for
//! every line written meanwhile (journal::Durable), and nothing is answered before what it
//! shows is on disk: a call that only reads waits, too, for the lines it could see.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use org_handshake::conformance::{self, Step, VectorFile};
use org_handshake::error::REQUEST_HEADERS_TOO_LARGE;
use org_handshake::ledger::World;
use org_handshake::provider::error_table::Override;
use org_handshake::provider::{Call, CallError, HttpRequest, Provider, Reply, Service};
use org_handshake::{ErrorKind, Failure, SeededIds};
use serde_json::{json, Value};

use crate::clock::Clock;
use crate::error::{BuildError, ControlError, JournalError, StartError};
use crate::http::{CallHeaders, Outcome, Oversize, OwnedRequest};
use crate::ids::{os_seed, Recording, RequestIds};
use crate::journal::{self, Control, Journal, Line, Lines};
use crate::overrides::Overrides;
use crate::world::WorldFile;

/// How the server starts.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// The worlds it starts from (and [`App::reset`] returns to).
    pub worlds: WorldFile,
    /// Corrections of the providers' error tables.
    pub overrides: Overrides,
    /// The journal file, replayed on start and appended to.
    pub journal: Option<PathBuf>,
    /// The seed of the id streams; from the OS when `None`.
    pub seed: Option<u64>,
}

/// How many ids a call may draw that turn out to be in use before the server gives up on it (a
/// seeded stream meets ids of its own only after a restart that lost its place in it).
const MAX_ID_DRAWS: usize = 16;

/// A provider request applied under the lock whose reply may show journal lines not yet on
/// disk: [`App::finish`] sends it once they are.
#[derive(Debug)]
pub struct Pending {
    outcome: Outcome,
    /// `None` for a request of no provider (it saw nothing).
    provider: Option<Provider>,
    /// Journal lines written when it was applied.
    seen: u64,
}

pub(crate) struct ProviderState {
    pub(crate) service: Service,
    pub(crate) world: World,
    /// The session's steps as their journal lines' JSON text: a tenth of the memory of parsed
    /// `Step`s (9 KiB a step measured under load), parsed again only for `vector`.
    pub(crate) steps: Vec<Box<str>>,
}

struct Inner {
    providers: Vec<ProviderState>,
    ids: SeededIds,
    request_ids: RequestIds,
    clock: Clock,
    journal: Option<Journal>,
    /// Why the server stopped taking calls (its journal could not be written).
    failed: Option<String>,
}

/// The emulator: one service per provider over its world, the clock, the id sources and the
/// journal. [`crate::http`] serves it over HTTP; a test or a generator may drive it directly
/// with [`App::handle`].
pub struct App {
    inner: Mutex<Inner>,
    /// The journal's line counter and its flusher.
    lines: Lines,
    /// The worlds the server started with, in [`Provider::values`] order.
    start_worlds: Vec<World>,
    overrides: Overrides,
}

/// What starting found worth saying.
#[derive(Debug, Default)]
pub struct StartReport {
    /// Journal lines replayed.
    pub replayed: usize,
    /// The torn last line's number and length in bytes, if there was one.
    pub torn: Option<(usize, usize)>,
}

/// Where `provider`'s state is kept: its place in the registry.
pub(crate) fn index(provider: Provider) -> usize {
    Provider::values()
        .iter()
        .position(|p| *p == provider)
        .unwrap_or_default()
}

/// A provider's service over a world in the conformance format, with its corrections.
pub(crate) fn service(
    provider: Provider,
    world: &World,
    overrides: &[Override],
) -> Result<Service, BuildError> {
    Service::new(provider, world)
        .map_err(|source| BuildError::World {
            provider,
            source: Box::new(source),
        })?
        .with_overrides(overrides)
        .map_err(|source| BuildError::Override {
            provider,
            source: Box::new(source),
        })
}

impl App {
    /// Builds the worlds, replays the journal, and opens it for appending.
    ///
    /// # Errors
    ///
    /// [`StartError`] when a world cannot exist, the journal or the clock file cannot be read,
    /// or a journal line does not replay to its recorded reply.
    pub fn start(options: Options) -> Result<(App, StartReport), StartError> {
        let mut report = StartReport::default();
        let mut providers = Vec::new();
        let mut start_worlds = Vec::new();
        for provider in Provider::values() {
            let world = options.worlds.world(*provider)?;
            providers.push(ProviderState {
                service: service(*provider, &world, options.overrides.of(*provider))?,
                world: world.clone(),
                steps: Vec::new(),
            });
            start_worlds.push(world);
        }
        let seed = options.seed.unwrap_or_else(os_seed);
        let mut ids = SeededIds::new(seed);
        let mut clock = Clock::open(options.journal.as_ref().map(|p| {
            let mut name = p.clone().into_os_string();
            name.push(".clock");
            PathBuf::from(name)
        }))?;
        let journal = match &options.journal {
            None => None,
            Some(path) => {
                let mut replay = journal::Replay {
                    providers: &mut providers,
                    start_worlds: &start_worlds,
                    overrides: &options.overrides,
                    ids: &mut ids,
                    last_at: vec![None; Provider::values().len()],
                    latest: None,
                };
                report.torn = journal::read(path, |line, entry, text| {
                    replay
                        .entry(entry, text)
                        .map_err(|why| JournalError::Replay {
                            path: path.clone(),
                            line,
                            why: Box::new(why),
                        })?;
                    report.replayed += 1;
                    Ok(())
                })?;
                if let Some(at) = replay.latest {
                    clock.not_before(at);
                }
                Some(Journal::open(path).map_err(JournalError::from)?)
            }
        };
        let durable = journal
            .as_ref()
            .map(Journal::durable)
            .transpose()
            .map_err(JournalError::from)?;
        Ok((
            App {
                inner: Mutex::new(Inner {
                    providers,
                    ids,
                    request_ids: RequestIds::new(
                        seed,
                        u64::try_from(report.replayed).unwrap_or(u64::MAX),
                    ),
                    clock,
                    journal,
                    failed: None,
                }),
                lines: Lines::new(durable),
                start_worlds,
                overrides: options.overrides,
            },
            report,
        ))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies a request and answers it once what it shows is on disk.
    pub fn handle(&self, request: &OwnedRequest) -> Outcome {
        let pending = self.apply(request);
        self.finish(pending)
    }

    /// Applies a request under the lock (routing it, calling its provider, writing its journal
    /// line, if any). The reply waits in [`Pending`] until [`App::finish`].
    pub fn apply(&self, request: &OwnedRequest) -> Pending {
        request.with_view(|view| self.apply_view(view))
    }

    fn apply_view(&self, request: &HttpRequest<'_>) -> Pending {
        let Some(provider) = Provider::for_request(request) else {
            return Pending {
                outcome: Outcome::own(
                    404,
                    json!({"message": "no provider's protocol matches this request (AWS: X-Amz-Target; Huawei: /v1/ paths; Alibaba: x-acs-action or Action)"}),
                    "-",
                    &self.next_request_id(),
                ),
                provider: None,
                seen: 0,
            };
        };
        let headers = match CallHeaders::read(request) {
            Ok(headers) => headers,
            Err(err) => {
                return Pending {
                    outcome: Outcome::own(
                        400,
                        json!({"message": err.to_string()}),
                        "-",
                        &self.next_request_id(),
                    ),
                    provider: None,
                    seen: 0,
                }
            }
        };
        let mut guard = self.lock();
        let outcome = self.handle_locked(&mut guard, provider, request, &headers);
        // Everything this call saw or changed is in the lines written so far.
        let seen = self.lines.seen();
        Pending {
            outcome,
            provider: Some(provider),
            seen,
        }
    }

    /// A fresh request id for a reply of the server's own.
    pub(crate) fn next_request_id(&self) -> String {
        self.lock().request_ids.next()
    }

    /// Whether [`App::finish`] would answer `pending` at once (everything it saw is on disk
    /// already), so that the caller need not move it off the async workers.
    pub fn settled(&self, pending: &Pending) -> bool {
        pending.provider.is_none() || self.lines.on_disk(pending.seen)
    }

    /// The reply to an applied request, once what it saw is on disk (this may wait for an
    /// fsync); the provider's internal error if the journal could not be flushed.
    pub fn finish(&self, pending: Pending) -> Outcome {
        let Pending {
            outcome,
            provider,
            seen,
        } = pending;
        let Some(provider) = provider else {
            return outcome;
        };
        match self.lines.wait(seen) {
            Ok(()) => outcome,
            Err(err) => {
                let why = format!("the journal could not be written: {err}");
                let mut guard = self.lock();
                let inner = &mut *guard;
                if inner.failed.is_none() {
                    tracing::error!("{why}; refusing every call from now on");
                    inner.failed = Some(why.clone());
                }
                let reply = internal_error(
                    &inner.providers[index(provider)].service,
                    &outcome.operation,
                    &why,
                    &outcome.request_id,
                );
                Outcome::from_reply(
                    provider,
                    &outcome.operation,
                    &outcome.caller,
                    &outcome.request_id,
                    reply,
                )
            }
        }
    }

    /// Writes a journal line under the lock; on failure the server stops taking calls.
    fn write_line(
        &self,
        inner: &mut Inner,
        text: Result<String, JournalError>,
    ) -> Result<(), ControlError> {
        let Some(journal) = &mut inner.journal else {
            return Ok(());
        };
        match text.and_then(|text| journal.write(&text).map_err(JournalError::from)) {
            Ok(()) => {
                self.lines.wrote_one();
                Ok(())
            }
            Err(err) => {
                let why = format!("the journal could not be written: {err}");
                tracing::error!("{why}; refusing every call from now on");
                inner.failed = Some(why);
                Err(ControlError::Journal(err))
            }
        }
    }

    /// Applies one provider request under the lock; its journal line, if any, is written but
    /// not yet on disk.
    fn handle_locked(
        &self,
        inner: &mut Inner,
        provider: Provider,
        request: &HttpRequest<'_>,
        headers: &CallHeaders,
    ) -> Outcome {
        let request_id = match &headers.request_id {
            Some(id) => id.clone(),
            None => inner.request_ids.next(),
        };
        let state = &inner.providers[index(provider)];
        let routed = match state.service.dialect().route(request) {
            Ok(routed) => routed,
            Err(failure) => {
                // The log names what was asked for: the refusal says which operation or path.
                let reply = state.service.reply_to(&failure, "", &request_id);
                return Outcome::from_reply(provider, &failure.message, "-", &request_id, reply);
            }
        };
        let operation = routed.operation;
        let caller = match &headers.caller {
            Some(caller) => caller.clone(),
            None => state.service.caller_for(routed.credential.as_deref()),
        };
        let done = |reply| Outcome::from_reply(provider, operation, &caller, &request_id, reply);
        if let Some(why) = &inner.failed {
            return done(internal_error(&state.service, operation, why, &request_id));
        }
        let now = match headers.now {
            Some(now) => {
                // The server's clock never answers before a time a call ran at.
                inner.clock.not_before(now);
                now
            }
            None => inner.clock.now(),
        };
        let given: Vec<&str> = headers.new_ids.iter().map(String::as_str).collect();
        let call = Call::new(operation, &caller, now, &routed.request).with_request_id(&request_id);
        let Inner { providers, ids, .. } = &mut *inner;
        let state = &mut providers[index(provider)];
        let answered = if headers.new_ids.is_empty() {
            draw_and_call(&mut state.service, &call, ids)
        } else {
            let call = call.with_new_ids(&given);
            state
                .service
                .call(&call)
                .map(|reply| (reply, headers.new_ids.clone()))
                .map_err(|err| {
                    Box::new(Outcome::own(
                        400,
                        json!({"message": format!("header x-org-handshake-new-ids: {err}")}),
                        operation,
                        &request_id,
                    ))
                })
        };
        let (reply, used) = match answered {
            Ok(answer) => answer,
            Err(outcome) => return *outcome,
        };
        if !reply.changed() {
            return done(reply);
        }
        let ids_used: Vec<&str> = used.iter().map(String::as_str).collect();
        let call = call.with_new_ids(&ids_used);
        let step = Step::record(provider.dialect(), &call, &used, &reply);
        let text = Line::new(provider, &step).text();
        if inner.journal.is_none() {
            match text {
                Ok(text) => inner.providers[index(provider)]
                    .steps
                    .push(text.into_boxed_str()),
                Err(err) => tracing::error!("the step cannot be kept for the vector: {err}"),
            }
            return done(reply);
        }
        let kept = text.as_ref().ok().cloned();
        if let Err(err) = self.write_line(inner, text) {
            let state = &inner.providers[index(provider)];
            return done(internal_error(
                &state.service,
                operation,
                &err.to_string(),
                &request_id,
            ));
        }
        if let Some(text) = kept {
            inner.providers[index(provider)]
                .steps
                .push(text.into_boxed_str());
        }
        done(reply)
    }

    /// The reply to a request the server will not read (too large), in the provider's shape
    /// when its headers say which provider it is for.
    pub(crate) fn oversize(&self, request: &OwnedRequest, what: Oversize) -> Outcome {
        let failure = match what {
            Oversize::Body => Failure::new(
                ErrorKind::RequestTooLarge,
                "the request body is larger than 1 MiB",
            ),
            Oversize::Headers => {
                let mut failure = Failure::new(
                    ErrorKind::RequestTooLarge,
                    "the request headers are larger than 64 KiB",
                );
                failure.cause = REQUEST_HEADERS_TOO_LARGE;
                failure
            }
        };
        request.with_view(|view| {
            let mut guard = self.lock();
            let Inner {
                providers,
                request_ids,
                ..
            } = &mut *guard;
            let request_id = request_ids.next();
            match Provider::for_request(view) {
                Some(provider) => {
                    let reply =
                        providers[index(provider)]
                            .service
                            .reply_to(&failure, "", &request_id);
                    Outcome::from_reply(provider, "-", "-", &request_id, reply)
                }
                None => {
                    let status = match what {
                        Oversize::Body => 413,
                        Oversize::Headers => 431,
                    };
                    Outcome::own(
                        status,
                        json!({ "message": failure.message }),
                        "-",
                        &request_id,
                    )
                }
            }
        })
    }

    /// The clock's now, after moving it `advance` seconds forward.
    ///
    /// # Errors
    ///
    /// [`ControlError::Clock`] when the clock cannot move that far or its file cannot be
    /// written.
    pub fn time(&self, advance: Option<u64>) -> Result<String, ControlError> {
        let mut guard = self.lock();
        let now = match advance {
            Some(seconds) => guard.clock.advance(seconds)?,
            None => guard.clock.now(),
        };
        Ok(now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }

    /// Replaces `provider`'s ledger with `world` (journaled, and on disk before this returns);
    /// its vector starts from `world` from now on.
    ///
    /// # Errors
    ///
    /// [`ControlError::Build`] when the world cannot exist for the provider (nothing changes
    /// then); [`ControlError::Journal`] or [`ControlError::Failed`] when the journal cannot be
    /// written.
    pub fn replace_world(&self, provider: Provider, world: World) -> Result<(), ControlError> {
        let service = service(provider, &world, self.overrides.of(provider))?;
        let line = Control::World {
            provider,
            world: world.clone(),
        };
        self.control(line, |providers| {
            providers[index(provider)] = ProviderState {
                service,
                world,
                steps: Vec::new(),
            };
        })
    }

    /// Every provider back to the world the server started with (journaled, and on disk
    /// before this returns).
    ///
    /// # Errors
    ///
    /// As [`App::replace_world`].
    pub fn reset(&self) -> Result<(), ControlError> {
        let fresh = fresh_states(&self.start_worlds, &self.overrides)?;
        self.control(Control::Reset, |providers| *providers = fresh)
    }

    /// Writes a control line, applies `change` under the lock, and waits for the line to be on
    /// disk.
    fn control(
        &self,
        line: Control,
        change: impl FnOnce(&mut Vec<ProviderState>),
    ) -> Result<(), ControlError> {
        let mut guard = self.lock();
        if let Some(reason) = &guard.failed {
            return Err(ControlError::Failed {
                reason: reason.clone(),
            });
        }
        self.write_line(&mut guard, line.text())?;
        change(&mut guard.providers);
        let seen = self.lines.seen();
        drop(guard);
        self.lines.wait(seen).map_err(|err| {
            let why = format!("the journal could not be written: {err}");
            let mut guard = self.lock();
            if guard.failed.is_none() {
                tracing::error!("{why}; refusing every call from now on");
                guard.failed = Some(why);
            }
            ControlError::Journal(err)
        })
    }

    /// Each provider's operation names, from its dialect: `{"aws": ["AcceptHandshake", …], …}`.
    pub fn operations() -> Value {
        Value::Object(
            Provider::values()
                .iter()
                .map(|p| (p.as_str().to_owned(), json!(p.dialect().operations())))
                .collect(),
        )
    }

    /// The session so far of `provider` as a conformance vector file: its world as last set
    /// (started with, replaced or reset), and every call that changed state since.
    ///
    /// # Errors
    ///
    /// [`ControlError::Journal`] when what it shows cannot be put on disk.
    pub fn vector(&self, provider: Provider) -> Result<VectorFile, ControlError> {
        let guard = self.lock();
        let state = &guard.providers[index(provider)];
        let steps = state
            .steps
            .iter()
            .map(|text| {
                serde_json::from_str::<Line>(text)
                    .map(|line| line.step())
                    .map_err(|e| ControlError::Journal(JournalError::Encode(e)))
            })
            .collect::<Result<_, _>>()?;
        let file = VectorFile {
            format: conformance::FORMAT.into(),
            id: format!("{provider}-server-session"),
            description: format!(
                "The {provider} calls that changed state in an org-handshake-server session, with the replies it sent."
            ),
            provider: provider.as_str().into(),
            reading: None,
            world: state.world.clone(),
            steps,
        };
        // Like a provider call, it shows nothing that is not on disk yet.
        let seen = self.lines.seen();
        drop(guard);
        self.lines.wait(seen)?;
        Ok(file)
    }

    /// Puts every journal line written so far on disk (the last step of a graceful stop).
    ///
    /// # Errors
    ///
    /// [`JournalError`] when the fsync fails.
    pub fn sync(&self) -> Result<(), JournalError> {
        self.lines.wait(self.lines.seen())
    }

    /// Why the server stopped taking calls, if it did.
    pub fn failed(&self) -> Option<String> {
        self.lock().failed.clone()
    }
}

/// Calls with ids drawn on demand from the seeded stream; an id a stored handshake holds
/// refuses the call with nothing changed, so the call is made again and draws the next.
fn draw_and_call(
    service: &mut Service,
    call: &Call<'_>,
    ids: &mut SeededIds,
) -> Result<(Reply, Vec<String>), Box<Outcome>> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut recording = Recording {
            inner: ids,
            drawn: Vec::new(),
        };
        match service.call_with(call, &mut recording) {
            Ok(reply) => return Ok((reply, recording.drawn)),
            Err(CallError::NewIdInUse { .. }) if attempts < MAX_ID_DRAWS => continue,
            Err(err) => {
                tracing::error!("the core refused the server's own call: {err}");
                let reply =
                    internal_error(service, call.operation, &err.to_string(), call.request_id);
                let provider = service.provider();
                return Err(Box::new(match provider {
                    Some(provider) => Outcome::from_reply(
                        provider,
                        call.operation,
                        call.caller,
                        call.request_id,
                        reply,
                    ),
                    None => Outcome::own(
                        500,
                        json!({"message": err.to_string()}),
                        call.operation,
                        call.request_id,
                    ),
                }));
            }
        }
    }
}

/// Every provider's state over `worlds`, with no steps.
pub(crate) fn fresh_states(
    worlds: &[World],
    overrides: &Overrides,
) -> Result<Vec<ProviderState>, BuildError> {
    Provider::values()
        .iter()
        .zip(worlds)
        .map(|(provider, world)| {
            Ok(ProviderState {
                service: service(*provider, world, overrides.of(*provider))?,
                world: world.clone(),
                steps: Vec::new(),
            })
        })
        .collect()
}

/// The provider's reply when the server itself failed (its journal could not be written, or
/// the core refused the server's own call).
fn internal_error(service: &Service, operation: &str, why: &str, request_id: &str) -> Reply {
    service.reply_to(
        &Failure::new(ErrorKind::Internal, why),
        operation,
        request_id,
    )
}
