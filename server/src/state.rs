//! The one state behind one mutex: a service per provider, the id and request-id sources, the
//! clock and the journal. A call is applied and its journal line written under the lock, so the
//! journal's order is the order calls were applied in; the fsync is outside the lock, one for
//! every line written meanwhile (journal::Durable), and nothing is answered before what it
//! shows is on disk: a call that only reads waits, too, for the lines it could see.

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use org_handshake::conformance::{self, match_subset, Step, VectorFile};
use org_handshake::error::REQUEST_HEADERS_TOO_LARGE;
use org_handshake::ledger::World;
use org_handshake::provider::{Call, CallError, HttpRequest, Provider, Reply, Service};
use org_handshake::{ErrorKind, Failure, HandshakeId, IdSource, IdSourceError, Profile, SeededIds};
use serde_json::{json, Value};

use crate::clock::Clock;
use crate::journal::{self, Durable, Journal, Line};
use crate::world::WorldFile;

/// How the server starts.
#[derive(Debug, Default)]
pub(crate) struct Options {
    pub(crate) worlds: WorldFile,
    pub(crate) journal: Option<PathBuf>,
    pub(crate) seed: Option<u64>,
}

/// Which request limit a request broke before it could be routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Oversize {
    /// The body is over the server's limit (HTTP 413).
    Body,
    /// The headers are over the server's limit (HTTP 431).
    Headers,
}

/// How many ids a call may draw that turn out to be in use before the server gives up on it (a
/// seeded stream meets ids of its own only after a restart that lost its place in it).
const MAX_ID_DRAWS: usize = 16;

/// An HTTP request with everything owned, to hand to a blocking task.
#[derive(Debug)]
pub(crate) struct OwnedRequest {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl OwnedRequest {
    fn with_view<T>(&self, f: impl FnOnce(&HttpRequest<'_>) -> T) -> T {
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
pub(crate) struct Outcome {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) provider: &'static str,
    pub(crate) operation: String,
    pub(crate) caller: String,
}

impl Outcome {
    fn from_reply(provider: Provider, operation: &str, caller: &str, reply: Reply) -> Self {
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
        }
    }

    /// The server's own JSON answer (control endpoints, requests of no provider).
    pub(crate) fn own(status: u16, body: Value, operation: &str) -> Self {
        Outcome {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(&body).unwrap_or_default(),
            provider: "-",
            operation: operation.to_owned(),
            caller: "-".into(),
        }
    }
}

/// A provider request applied under the lock whose reply may show journal lines not yet on
/// disk: [`State::finish`] sends it once they are.
#[derive(Debug)]
pub(crate) struct Pending {
    outcome: Outcome,
    /// `None` for a request of no provider (it saw nothing).
    provider: Option<Provider>,
    /// Journal lines written when it was applied.
    seen: u64,
}

struct ProviderState {
    service: Service,
    world: World,
    /// The session's steps as their journal lines' JSON text: a tenth of the memory of parsed
    /// `Step`s (9 KiB a step measured under load), parsed again only for `vector`.
    steps: Vec<Box<str>>,
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

pub(crate) struct State {
    inner: Mutex<Inner>,
    /// Journal lines written so far this session (changed under `inner`'s lock, after the
    /// line is completely written).
    written: AtomicU64,
    /// Flushes the journal; `None` without one.
    durable: Option<Durable>,
}

/// What starting found worth saying.
#[derive(Debug, Default)]
pub(crate) struct StartReport {
    pub(crate) replayed: usize,
    pub(crate) torn: Option<(usize, usize)>,
    pub(crate) warnings: Vec<String>,
}

fn index(provider: Provider) -> usize {
    match provider {
        Provider::Aws => 0,
        Provider::Huawei => 1,
        Provider::Alibaba => 2,
    }
}

/// A provider's service over a world in the conformance format.
pub(crate) fn service(provider: Provider, world: &World) -> Result<Service, String> {
    Service::new(provider, world).map_err(|e| e.to_string())
}

/// A seed from the OS (std's hasher keys are drawn from OS randomness).
fn os_seed() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// Records the ids a call draws, so that its journal line names them.
struct Recording<'a> {
    inner: &'a mut SeededIds,
    drawn: Vec<String>,
}

impl IdSource for Recording<'_> {
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError> {
        let id = self.inner.next_id(profile)?;
        self.drawn.push(id.as_str().to_owned());
        Ok(id)
    }
}

/// Request ids in UUID form (version-4 layout), from a splitmix64 stream: reproducible under
/// `--seed`, as the handshake ids are.
struct RequestIds {
    state: u64,
}

impl RequestIds {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            8 | (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
}

impl State {
    /// Builds the worlds, replays the journal, and opens it for appending.
    pub(crate) fn start(options: Options) -> Result<(State, StartReport), String> {
        let mut report = StartReport::default();
        let mut providers = Vec::new();
        for provider in Provider::values() {
            let world = options.worlds.world(*provider)?;
            let service = service(*provider, &world)
                .map_err(|e| format!("the {provider} world cannot exist: {e}"))?;
            providers.push(ProviderState {
                service,
                world,
                steps: Vec::new(),
            });
        }
        let seed = options.seed.unwrap_or_else(os_seed);
        let mut ids = SeededIds::new(seed);
        let request_ids = RequestIds {
            state: seed ^ 0x5EED_0F00_D15E_A5E5,
        };
        let mut clock = Clock::open(options.journal.as_ref().map(|p| {
            let mut name = p.clone().into_os_string();
            name.push(".clock");
            PathBuf::from(name)
        }))?;
        let journal = match &options.journal {
            None => None,
            Some(path) => {
                let mut last_at = None;
                report.torn = journal::read(path, |number, line, text| {
                    if last_at.is_some_and(|at| line.at < at) {
                        return Err(format!(
                            "{} line {number}: `at` {} is before the previous line's",
                            path.display(),
                            line.at
                        ));
                    }
                    last_at = Some(line.at);
                    replay_line(&mut providers[index(line.provider)], &line, text)
                        .map_err(|why| format!("{} line {number}: {why}", path.display()))?;
                    // The id source continues where the journaled session left it.
                    let profile = line.provider.profile();
                    for _ in &line.new_ids {
                        let _ = ids.next_id(&profile);
                    }
                    report.replayed += 1;
                    Ok(())
                })?;
                if let Some(at) = last_at {
                    clock.not_before(at);
                }
                Some(Journal::open(path)?)
            }
        };
        let durable = journal.as_ref().map(Journal::durable).transpose()?;
        Ok((
            State {
                inner: Mutex::new(Inner {
                    providers,
                    ids,
                    request_ids,
                    clock,
                    journal,
                    failed: None,
                }),
                written: AtomicU64::new(0),
                durable,
            },
            report,
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic under the lock would be a bug; the state it guards is still whole (a call
        // changes the service in one step), so keep serving rather than poison every request.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Answers one provider request (blocking until what it shows is on disk).
    // The server splits it (apply on the async workers, finish off them when it must wait);
    // the unit tests and examples/journal_gen call it whole.
    #[allow(dead_code)]
    pub(crate) fn handle(&self, request: &OwnedRequest) -> Outcome {
        self.finish(self.apply(request))
    }

    /// Applies one provider request under the lock (short: no I/O but writing its journal
    /// line, if any). The reply waits in [`Pending`] until [`State::finish`].
    pub(crate) fn apply(&self, request: &OwnedRequest) -> Pending {
        request.with_view(|view| self.apply_view(view))
    }

    fn apply_view(&self, request: &HttpRequest<'_>) -> Pending {
        let Some(provider) = Provider::for_request(request) else {
            return Pending {
                outcome: Outcome::own(
                    404,
                    json!({"message": "no provider's protocol matches this request (AWS: X-Amz-Target; Huawei: /v1/ paths; Alibaba: x-acs-action or Action)"}),
                    "-",
                ),
                provider: None,
                seen: 0,
            };
        };
        let mut guard = self.lock();
        let outcome = self.handle_locked(&mut guard, provider, request);
        // Everything this call saw or changed is in the lines written so far.
        let seen = self.written.load(Ordering::Acquire);
        Pending {
            outcome,
            provider: Some(provider),
            seen,
        }
    }

    /// Whether [`State::finish`] would answer `pending` at once (everything it saw is on disk
    /// already), so that the caller need not move it off the async workers.
    pub(crate) fn settled(&self, pending: &Pending) -> bool {
        pending.provider.is_none()
            || self
                .durable
                .as_ref()
                .map_or(true, |durable| durable.on_disk(pending.seen))
    }

    /// The reply to an applied request, once what it saw is on disk (this may wait for an
    /// fsync); the provider's internal error if the journal could not be flushed.
    pub(crate) fn finish(&self, pending: Pending) -> Outcome {
        let Pending {
            outcome,
            provider,
            seen,
        } = pending;
        let Some(provider) = provider else {
            return outcome;
        };
        match self.wait_durable(seen) {
            Ok(()) => outcome,
            Err(why) => {
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
                    &inner.request_ids.next(),
                );
                Outcome::from_reply(provider, &outcome.operation, &outcome.caller, reply)
            }
        }
    }

    /// Returns once the session's first `lines` journal lines are on disk.
    fn wait_durable(&self, lines: u64) -> Result<(), String> {
        match &self.durable {
            Some(durable) => durable
                .wait(lines, &self.written)
                .map_err(|why| format!("the journal could not be written: {why}")),
            None => Ok(()),
        }
    }

    /// Applies one provider request under the lock; its journal line, if any, is written but
    /// not yet on disk.
    fn handle_locked(
        &self,
        inner: &mut Inner,
        provider: Provider,
        request: &HttpRequest<'_>,
    ) -> Outcome {
        let Inner {
            providers,
            ids,
            request_ids,
            clock,
            journal,
            failed,
        } = inner;
        let state = &mut providers[index(provider)];
        let request_id = request_ids.next();
        let routed = match state.service.route(request, &request_id) {
            Ok(routed) => routed,
            Err(reply) => return Outcome::from_reply(provider, "-", "-", reply),
        };
        let caller = state.service.caller_for(routed.credential.as_deref());
        if let Some(why) = failed {
            let reply = internal_error(&state.service, routed.operation, why, &request_id);
            return Outcome::from_reply(provider, routed.operation, &caller, reply);
        }
        let now = clock.now();
        let call =
            Call::new(routed.operation, &caller, now, &routed.request).with_request_id(&request_id);
        // Ids are drawn on demand; one a stored handshake holds refuses the call with nothing
        // changed, so the call is made again and draws the next.
        let mut attempts = 0;
        let reply = loop {
            attempts += 1;
            let mut recording = Recording {
                inner: ids,
                drawn: Vec::new(),
            };
            match state.service.call_with(&call, &mut recording) {
                Ok(reply) => break Ok((reply, recording.drawn)),
                Err(CallError::NewIdInUse { .. }) if attempts < MAX_ID_DRAWS => continue,
                Err(err) => break Err(err),
            }
        };
        let reply = match reply {
            Ok((reply, drawn)) => {
                if reply.changed() {
                    let step = Step::record(provider.dialect(), &call, &drawn, &reply);
                    let text = Line::new(provider, &step).text();
                    if let Some(journal) = journal {
                        let appended = text
                            .as_deref()
                            .map_err(Clone::clone)
                            .and_then(|text| journal.write(text));
                        if appended.is_ok() {
                            self.written.fetch_add(1, Ordering::Release);
                        }
                        if let Err(why) = appended {
                            let why = format!("the journal could not be written: {why}");
                            tracing::error!("{why}; refusing every call from now on");
                            *failed = Some(why.clone());
                            let reply =
                                internal_error(&state.service, routed.operation, &why, &request_id);
                            return Outcome::from_reply(provider, routed.operation, &caller, reply);
                        }
                    }
                    match text {
                        Ok(text) => state.steps.push(text.into_boxed_str()),
                        // Only without a journal (with one, this refused the call above).
                        Err(why) => {
                            tracing::error!("the step cannot be kept for the vector: {why}")
                        }
                    }
                }
                reply
            }
            Err(err) => {
                tracing::error!("the core refused the server's own call: {err}");
                internal_error(
                    &state.service,
                    routed.operation,
                    &err.to_string(),
                    &request_id,
                )
            }
        };
        Outcome::from_reply(provider, routed.operation, &caller, reply)
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
        request.with_view(|view| match Provider::for_request(view) {
            Some(provider) => {
                let mut guard = self.lock();
                let Inner {
                    providers,
                    request_ids,
                    ..
                } = &mut *guard;
                let reply =
                    providers[index(provider)]
                        .service
                        .reply_to(&failure, "", &request_ids.next());
                Outcome::from_reply(provider, "-", "-", reply)
            }
            None => {
                let status = match what {
                    Oversize::Body => 413,
                    Oversize::Headers => 431,
                };
                Outcome::own(status, json!({ "message": failure.message }), "-")
            }
        })
    }

    /// The clock's now, after moving it `advance` seconds forward.
    pub(crate) fn time(&self, advance: Option<u64>) -> Result<String, String> {
        let mut guard = self.lock();
        let now = match advance {
            Some(seconds) => guard.clock.advance(seconds)?,
            None => guard.clock.now(),
        };
        Ok(now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }

    /// The session so far of `provider` as a conformance vector file.
    pub(crate) fn vector(&self, provider: Provider) -> Result<VectorFile, String> {
        let guard = self.lock();
        let state = &guard.providers[index(provider)];
        let steps = state
            .steps
            .iter()
            .map(|text| {
                serde_json::from_str::<Line>(text)
                    .map(|line| line.step())
                    .map_err(|e| format!("a kept step does not parse: {e}"))
            })
            .collect::<Result<_, _>>()?;
        let file = VectorFile {
            format: conformance::FORMAT.into(),
            id: format!("{provider}-server-session"),
            description: format!(
                "The {provider} calls that changed state in an org-handshake-server session, with the replies it sent."
            ),
            provider: provider.to_string(),
            reading: None,
            world: state.world.clone(),
            steps,
        };
        // Like a provider call, it shows nothing that is not on disk yet.
        let seen = self.written.load(Ordering::Acquire);
        drop(guard);
        self.wait_durable(seen)?;
        Ok(file)
    }

    /// Why the server stopped taking calls, if it did.
    pub(crate) fn failed(&self) -> Option<String> {
        self.lock().failed.clone()
    }
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

/// Replays one journal line (`text` is its JSON); a reply that differs from the recorded one is
/// an error.
fn replay_line(state: &mut ProviderState, line: &Line, text: &str) -> Result<(), String> {
    let new_ids: Vec<&str> = line.new_ids.iter().map(String::as_str).collect();
    let call = Call::new(&line.operation, &line.caller, line.at, &line.request)
        .with_new_ids(&new_ids)
        .with_request_id(line.request_id.as_deref().unwrap_or_default());
    let reply = state
        .service
        .call(&call)
        .map_err(|e| format!("the replayed call is refused: {e}"))?;
    if reply.status != line.expect.status {
        return Err(format!(
            "the replayed reply differs: status {} was recorded, {} replayed",
            line.expect.status, reply.status
        ));
    }
    let body = reply.json();
    if body != line.expect.body {
        let at = match_subset(&line.expect.body, &body)
            .err()
            .or_else(|| match_subset(&body, &line.expect.body).err())
            .map_or_else(String::new, |m| format!(" at `{}`", m.path));
        return Err(format!(
            "the replayed reply differs from the recorded one{at}: recorded {}, replayed {body}",
            line.expect.body
        ));
    }
    state.steps.push(text.into());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AWS invitation of `target` by the default world's management account.
    fn invite(target: &str) -> OwnedRequest {
        OwnedRequest {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![(
                "X-Amz-Target".into(),
                "AWSOrganizationsV20161128.InviteAccountToOrganization".into(),
            )],
            body: json!({"Target": {"Id": target, "Type": "ACCOUNT"}})
                .to_string()
                .into_bytes(),
        }
    }

    #[test]
    fn a_drawn_id_in_use_is_passed_over_and_the_call_succeeds_with_the_next() {
        let profile = Provider::Aws.profile();
        let mut stream = SeededIds::new(7);
        let first = stream.next_id(&profile).unwrap();
        let second = stream.next_id(&profile).unwrap();
        let third = stream.next_id(&profile).unwrap();
        // A journal whose one handshake holds the seed's *second* id: after replay the source
        // has skipped one id, so its next draw is that second id, in use.
        let dir = std::env::temp_dir().join(format!("ohs-in-use-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let _ = std::fs::remove_file(&path);
        let world = crate::world::default_world(Provider::Aws).unwrap();
        let mut service = service(Provider::Aws, &world).unwrap();
        let request = json!({"Target": {"Id": "222222222222", "Type": "ACCOUNT"}});
        let at = chrono::Utc::now() - chrono::TimeDelta::minutes(1);
        let ids = [second.as_str()];
        let call = Call::new("InviteAccountToOrganization", "111111111111", at, &request)
            .with_new_ids(&ids);
        let reply = service.call(&call).unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        let step = Step::record(
            Provider::Aws.dialect(),
            &call,
            &[second.to_string()],
            &reply,
        );
        Journal::open(&path)
            .unwrap()
            .append(&Line::new(Provider::Aws, &step).text().unwrap())
            .unwrap();

        let (state, report) = State::start(Options {
            journal: Some(path.clone()),
            seed: Some(7),
            ..Options::default()
        })
        .unwrap();
        assert_eq!(report.replayed, 1);
        let outcome = state.handle(&invite("444444444444"));
        assert_eq!(outcome.status, 200);
        let body: Value = serde_json::from_slice(&outcome.body).unwrap();
        assert_eq!(body["Handshake"]["Id"], third.as_str());
        assert_ne!(first, third);
        // The journal names the id the call used, not the one it passed over.
        let mut lines = Vec::new();
        journal::read(&path, |_, line, _| {
            lines.push(line);
            Ok(())
        })
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].new_ids, vec![third.to_string()]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
