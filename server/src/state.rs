//! The one state behind one mutex: a service per provider, the id and request-id sources, the
//! clock and the journal. A call is applied and journaled (fsynced) under the lock, so the
//! journal's order is the order calls were applied in, and nothing is answered before it is on
//! disk.

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

use org_handshake::conformance::{self, match_subset, Step, VectorFile, World};
use org_handshake::provider::CallError;
use org_handshake::{HandshakeId, Profile};
use serde_json::{json, Value};

use crate::clock::Clock;
use crate::core_api::{
    self, changed_state, for_request, Call, HttpRequest, IdSource, IdSourceError, Oversize,
    Provider, Reply, SeededIds, Service,
};
use crate::journal::{self, Journal, Line};
use crate::world::{self, WorldFile};

/// How the server starts.
#[derive(Debug, Default)]
pub(crate) struct Options {
    pub(crate) worlds: WorldFile,
    pub(crate) journal: Option<PathBuf>,
    pub(crate) seed: Option<u64>,
}

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
        f(&HttpRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        })
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
            body: serde_json::to_vec(&reply.body).unwrap_or_default(),
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

struct ProviderState {
    service: Service,
    world: World,
    steps: Vec<Step>,
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
            let world = options.worlds.world(*provider);
            report
                .warnings
                .extend(world::id_problems(*provider, &world));
            let service = Service::new(*provider, &world)
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
                let contents = journal::read(path)?;
                report.torn = contents.torn;
                let mut last_at = None;
                for (number, line) in &contents.lines {
                    if last_at.is_some_and(|at| line.at < at) {
                        return Err(format!(
                            "{} line {number}: `at` {} is before the previous line's",
                            path.display(),
                            line.at
                        ));
                    }
                    last_at = Some(line.at);
                    replay_line(&mut providers[index(line.provider)], line)
                        .map_err(|why| format!("{} line {number}: {why}", path.display()))?;
                    // The id source continues where the journaled session left it.
                    let profile = line.provider.profile();
                    for _ in &line.new_ids {
                        let _ = ids.next_id(&profile);
                    }
                    report.replayed += 1;
                }
                if let Some(at) = last_at {
                    clock.not_before(at);
                }
                Some(Journal::open(path)?)
            }
        };
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

    /// Answers one provider request.
    pub(crate) fn handle(&self, request: &OwnedRequest) -> Outcome {
        request.with_view(|view| self.handle_view(view))
    }

    fn handle_view(&self, request: &HttpRequest<'_>) -> Outcome {
        let Some(provider) = for_request(request) else {
            return Outcome::own(
                404,
                json!({"message": "no provider's protocol matches this request (AWS: X-Amz-Target; Huawei: /v1/ paths; Alibaba: x-acs-action or Action)"}),
                "-",
            );
        };
        let mut guard = self.lock();
        let Inner {
            providers,
            ids,
            request_ids,
            clock,
            journal,
            failed,
        } = &mut *guard;
        let state = &mut providers[index(provider)];
        let routed = match state.service.route(request) {
            Ok(routed) => routed,
            Err(reply) => return Outcome::from_reply(provider, "-", "-", reply),
        };
        let caller = state.service.caller_for(routed.credential.as_deref());
        if let Some(why) = failed {
            let reply = core_api::internal_error(provider, why);
            return Outcome::from_reply(provider, routed.operation, &caller, reply);
        }
        let now = clock.now();
        let request_id = request_ids.next();
        let call = Call {
            operation: routed.operation,
            caller: &caller,
            now,
            request: &routed.request,
            new_ids: &[],
            request_id: &request_id,
        };
        let mut attempts = 0;
        let reply = loop {
            attempts += 1;
            let mut recording = Recording {
                inner: ids,
                drawn: Vec::new(),
            };
            match state.service.call_with(&call, &mut recording) {
                Ok(reply) => break Ok((reply, recording.drawn)),
                // A drawn id still in use: nothing changed, draw again.
                Err(CallError::InvalidNewId { .. }) if attempts < 16 => continue,
                Err(err) => break Err(err),
            }
        };
        let reply = match reply {
            Ok((reply, drawn)) => {
                if changed_state(&reply) {
                    let step = core_api::record_step(&call, drawn, &reply, provider);
                    if let Some(journal) = journal {
                        let started = std::time::Instant::now();
                        let appended = journal.append(&Line::new(provider, &step));
                        tracing::debug!(
                            micros = started.elapsed().as_micros() as u64,
                            "journal line written and fsynced"
                        );
                        if let Err(why) = appended {
                            let why = format!("the journal could not be written: {why}");
                            tracing::error!("{why}; refusing every call from now on");
                            *failed = Some(why.clone());
                            return Outcome::from_reply(
                                provider,
                                routed.operation,
                                &caller,
                                core_api::internal_error(provider, &why),
                            );
                        }
                    }
                    state.steps.push(step);
                }
                reply
            }
            Err(err) => {
                tracing::error!("the core refused the server's own call: {err}");
                core_api::internal_error(provider, &err.to_string())
            }
        };
        Outcome::from_reply(provider, routed.operation, &caller, reply)
    }

    /// The reply to a request the server will not read (too large), in the provider's shape
    /// when its headers say which provider it is for.
    pub(crate) fn oversize(&self, request: &OwnedRequest, what: Oversize) -> Outcome {
        request.with_view(|view| match for_request(view) {
            Some(provider) => Outcome::from_reply(
                provider,
                "-",
                "-",
                core_api::reject_oversize(provider, what),
            ),
            None => {
                let (status, text) = match what {
                    Oversize::Body => (413, "the request body is larger than 1 MiB"),
                    Oversize::Headers => (431, "the request headers are larger than 64 KiB"),
                };
                Outcome::own(status, json!({ "message": text }), "-")
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
    pub(crate) fn vector(&self, provider: Provider) -> VectorFile {
        let guard = self.lock();
        let state = &guard.providers[index(provider)];
        VectorFile {
            format: conformance::FORMAT.into(),
            id: format!("{provider}-server-session"),
            description: format!(
                "The {provider} calls that changed state in an org-handshake-server session, with the replies it sent."
            ),
            provider,
            reading: None,
            world: state.world.clone(),
            steps: state.steps.clone(),
        }
    }

    /// Why the server stopped taking calls, if it did.
    pub(crate) fn failed(&self) -> Option<String> {
        self.lock().failed.clone()
    }
}

/// Replays one journal line; a reply that differs from the recorded one is an error.
fn replay_line(state: &mut ProviderState, line: &Line) -> Result<(), String> {
    let call = Call {
        operation: &line.operation,
        caller: &line.caller,
        now: line.at,
        request: &line.request,
        new_ids: &line.new_ids,
        request_id: line.request_id.as_deref().unwrap_or_default(),
    };
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
    if reply.body != line.expect.body {
        let at = match_subset(&line.expect.body, &reply.body)
            .err()
            .or_else(|| match_subset(&reply.body, &line.expect.body).err())
            .map_or_else(String::new, |m| format!(" at `{}`", m.path));
        return Err(format!(
            "the replayed reply differs from the recorded one{at}: recorded {}, replayed {}",
            line.expect.body, reply.body
        ));
    }
    state.steps.push(line.step());
    Ok(())
}
