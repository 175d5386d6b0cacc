//! The journal: one JSON line per state-changing call (`{"provider": …}` and the fields of a
//! conformance step, the reply as `expect`) or control (`{"control": "world", …}`,
//! `{"control": "reset"}`), appended and fsynced before the reply is sent
//! (tests/conformance/README.md, "The emulator server's journal"). Lines are written one by one
//! under the state's lock and fsynced outside it, one fsync for every line written meanwhile
//! (`Durable`); `Lines` counts what was written and waits for it to be on disk.
//!
//! Reading it back: every complete line (ending in a newline) must parse; a last line without
//! its newline is a write the crash cut short, never acknowledged, so it is reported and cut
//! off the file before anything is appended. `replay_call` applies a call line again and
//! checks that the reply is the recorded one.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use org_handshake::conformance::{match_subset, Expect, Step};
use org_handshake::ledger::World;
use org_handshake::provider::{Call, Provider, Service};
use org_handshake::{IdSource, SeededIds};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FileError, JournalError, ReplayError};
use crate::overrides::Overrides;
use crate::state::{fresh_states, index, service, ProviderState};

/// One journal line of a call: its provider and the fields of a conformance step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The provider called.
    pub provider: Provider,
    /// When the call ran.
    pub at: DateTime<Utc>,
    /// The calling account.
    pub caller: String,
    /// The provider's operation name.
    pub operation: String,
    /// The request in the provider's shape (the conformance vectors' `request`).
    pub request: Value,
    /// The ids the call gave the handshakes it created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_ids: Vec<String>,
    /// The request id the reply carried, where the body holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The reply: status and whole body.
    pub expect: Expect,
}

/// One journal line of a control request that changed state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "control", rename_all = "lowercase", deny_unknown_fields)]
pub enum Control {
    /// `POST /_org-handshake/world`: `provider`'s ledger replaced by `world`.
    World {
        /// The provider.
        provider: Provider,
        /// Its new world, in the conformance format.
        world: World,
    },
    /// `POST /_org-handshake/reset`: every provider back to the world the server started with.
    Reset,
}

/// Any journal line.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A provider call.
    Call(Line),
    /// A control request.
    Control(Control),
}

impl Entry {
    /// Parses one line's text: a control line has a `control` member, a call line has not.
    fn parse(text: &str) -> Result<Entry, serde_json::Error> {
        let value: Value = serde_json::from_str(text)?;
        if value.get("control").is_some() {
            serde_json::from_value(value).map(Entry::Control)
        } else {
            serde_json::from_value(value).map(Entry::Call)
        }
    }
}

impl Control {
    /// The line's JSON text, as the journal holds it (without the newline).
    ///
    /// # Errors
    ///
    /// [`JournalError::Encode`] when the world cannot be written as JSON.
    pub fn text(&self) -> Result<String, JournalError> {
        serde_json::to_string(self).map_err(JournalError::Encode)
    }
}

impl Line {
    /// The journal line of `step`, a call to `provider`.
    pub fn new(provider: Provider, step: &Step) -> Self {
        Line {
            provider,
            at: step.at,
            caller: step.caller.clone(),
            operation: step.operation.clone(),
            request: step.request.clone(),
            new_ids: step.new_ids.clone(),
            request_id: step.request_id.clone(),
            expect: step.expect.clone(),
        }
    }

    /// The line's JSON text, as the journal holds it (without the newline).
    ///
    /// # Errors
    ///
    /// [`JournalError::Encode`] when the request or reply cannot be written as JSON.
    pub fn text(&self) -> Result<String, JournalError> {
        serde_json::to_string(self).map_err(JournalError::Encode)
    }

    /// The line as a conformance step.
    pub fn step(&self) -> Step {
        Step {
            at: self.at,
            caller: self.caller.clone(),
            operation: self.operation.clone(),
            request: self.request.clone(),
            new_ids: self.new_ids.clone(),
            request_id: self.request_id.clone(),
            comment: None,
            expect: self.expect.clone(),
        }
    }
}

/// Reads the journal at `path` (an absent file is an empty journal) a line at a time, handing
/// each complete line to `each` with its 1-based number and its text, and cuts a torn last line
/// off the file. Answers the torn line's number and length in bytes, if there was one.
///
/// One line is in memory at a time: a long journal replays without holding its parsed lines.
pub(crate) fn read(
    path: &Path,
    mut each: impl FnMut(usize, Entry, &str) -> Result<(), JournalError>,
) -> Result<Option<(usize, usize)>, JournalError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(FileError::new(path, err).into()),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut raw = Vec::new();
    let mut complete = 0u64;
    let mut number = 0usize;
    loop {
        raw.clear();
        let read = reader
            .read_until(b'\n', &mut raw)
            .map_err(|e| FileError::new(path, e))?;
        if read == 0 {
            return Ok(None);
        }
        number += 1;
        if raw.last() != Some(&b'\n') {
            break;
        }
        complete += read as u64;
        let text =
            std::str::from_utf8(&raw[..raw.len() - 1]).map_err(|_| JournalError::NotUtf8 {
                path: path.to_owned(),
                line: number,
            })?;
        let entry = Entry::parse(text).map_err(|source| JournalError::NotALine {
            path: path.to_owned(),
            line: number,
            source,
        })?;
        each(number, entry, text)?;
    }
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| FileError::new(path, e))?;
    file.set_len(complete)
        .and_then(|()| file.sync_all())
        .map_err(|e| FileError::new(path, e))?;
    Ok(Some((number, raw.len())))
}

/// The journal open for appending.
#[derive(Debug)]
pub(crate) struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    pub(crate) fn open(path: &Path) -> Result<Self, FileError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| FileError::new(path, e))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The file's directory entry must survive a crash too.
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| FileError::new(dir, e))?;
        }
        Ok(Journal {
            file,
            path: path.to_owned(),
        })
    }

    /// Writes `text` (one line's JSON, [`Line::text`]) to the end of the file, not yet
    /// flushed to disk: [`Durable::wait`] does that.
    pub(crate) fn write(&mut self, text: &str) -> Result<(), FileError> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        self.file
            .write_all(&bytes)
            .map_err(|e| FileError::new(&self.path, e))
    }

    /// Writes `text` and flushes it to disk.
    #[cfg(test)]
    pub(crate) fn append(&mut self, text: &str) -> Result<(), FileError> {
        self.write(text)?;
        self.file
            .sync_data()
            .map_err(|e| FileError::new(&self.path, e))
    }

    /// What flushes this journal's lines to disk, shared outside the state's lock.
    pub(crate) fn durable(&self) -> Result<Durable, FileError> {
        Ok(Durable {
            file: self
                .file
                .try_clone()
                .map_err(|e| FileError::new(&self.path, e))?,
            path: self.path.clone(),
            synced: Mutex::new(Synced::default()),
            done: Condvar::new(),
        })
    }
}

/// Flushes journal lines to disk outside the state's lock (group commit): a call waits until
/// an fsync begun after its line was written has finished. Whoever finds no fsync running
/// starts one for every line written so far; the others wait for it, and the next one covers
/// the lines written while it ran. So N calls at once cost about two fsyncs, not N in a row,
/// and no reply is sent before its line is on disk.
#[derive(Debug)]
pub(crate) struct Durable {
    /// The journal's open file (a second handle; an fsync of either flushes the file).
    file: File,
    path: PathBuf,
    synced: Mutex<Synced>,
    done: Condvar,
}

#[derive(Debug, Default)]
struct Synced {
    /// Lines known on disk (a count from the start of the session).
    lines: u64,
    /// Whether an fsync is running.
    running: bool,
    /// What the operating system said when an fsync failed: nothing written after is ever on
    /// disk as far as the server knows.
    failed: Option<String>,
}

impl Durable {
    /// Whether the session's first `line` lines are on disk (without waiting).
    pub(crate) fn on_disk(&self, line: u64) -> bool {
        lock(&self.synced).lines >= line
    }

    /// Returns once the session's first `line` lines are on disk; `written` is how many have
    /// been written (completely) so far, read when an fsync starts.
    pub(crate) fn wait(&self, line: u64, written: &AtomicU64) -> Result<(), JournalError> {
        let mut synced = lock(&self.synced);
        loop {
            if synced.lines >= line {
                return Ok(());
            }
            if let Some(message) = &synced.failed {
                return Err(JournalError::Flush {
                    path: self.path.clone(),
                    message: message.clone(),
                });
            }
            if synced.running {
                synced = self
                    .done
                    .wait(synced)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            synced.running = true;
            let target = written.load(Ordering::Acquire);
            drop(synced);
            let started = std::time::Instant::now();
            let result = self.file.sync_data();
            tracing::debug!(
                micros = started.elapsed().as_micros() as u64,
                lines = target,
                "journal fsynced"
            );
            synced = lock(&self.synced);
            synced.running = false;
            match result {
                Ok(()) => synced.lines = synced.lines.max(target),
                Err(err) => synced.failed = Some(err.to_string()),
            }
            self.done.notify_all();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The journal's line counter: how many lines this session wrote, and waiting for them to be
/// on disk. Without a journal, nothing is ever waited for.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    /// Lines written so far this session (raised under the state's lock, after the line is
    /// completely written).
    written: AtomicU64,
    /// Flushes the journal; `None` without one.
    durable: Option<Durable>,
}

impl Lines {
    pub(crate) fn new(durable: Option<Durable>) -> Self {
        Lines {
            written: AtomicU64::new(0),
            durable,
        }
    }

    /// Counts one more line completely written.
    pub(crate) fn wrote_one(&self) {
        self.written.fetch_add(1, Ordering::Release);
    }

    /// Lines written so far: everything a caller under the lock saw or changed.
    pub(crate) fn seen(&self) -> u64 {
        self.written.load(Ordering::Acquire)
    }

    /// Whether the first `lines` lines are on disk, without waiting.
    pub(crate) fn on_disk(&self, lines: u64) -> bool {
        self.durable
            .as_ref()
            .map_or(true, |durable| durable.on_disk(lines))
    }

    /// Returns once the session's first `lines` lines are on disk.
    pub(crate) fn wait(&self, lines: u64) -> Result<(), JournalError> {
        match &self.durable {
            Some(durable) => durable.wait(lines, &self.written),
            None => Ok(()),
        }
    }
}

/// Applies a call line again to `service` and checks that the reply is the recorded one.
pub(crate) fn replay_call(service: &mut Service, line: &Line) -> Result<(), ReplayError> {
    let new_ids: Vec<&str> = line.new_ids.iter().map(String::as_str).collect();
    let call = Call::new(&line.operation, &line.caller, line.at, &line.request)
        .with_new_ids(&new_ids)
        .with_request_id(line.request_id.as_deref().unwrap_or_default());
    let reply = service
        .call(&call)
        .map_err(|err| ReplayError::Refused(Box::new(err)))?;
    let body = reply.json();
    if reply.status != line.expect.status || body != line.expect.body {
        let at = match_subset(&line.expect.body, &body)
            .err()
            .or_else(|| match_subset(&body, &line.expect.body).err())
            .map_or_else(String::new, |m| format!(" at `{}`", m.path));
        return Err(ReplayError::Differs {
            at,
            recorded: format!("{} {}", line.expect.status, line.expect.body),
            replayed: format!("{} {body}", reply.status),
        });
    }
    Ok(())
}

/// Replaying the journal on start.
pub(crate) struct Replay<'a> {
    pub(crate) providers: &'a mut Vec<ProviderState>,
    pub(crate) start_worlds: &'a [World],
    pub(crate) overrides: &'a Overrides,
    pub(crate) ids: &'a mut SeededIds,
    /// Each provider's last call time since its world was last set.
    pub(crate) last_at: Vec<Option<DateTime<Utc>>>,
    /// The latest call time of all.
    pub(crate) latest: Option<DateTime<Utc>>,
}

impl Replay<'_> {
    pub(crate) fn entry(&mut self, entry: Entry, text: &str) -> Result<(), ReplayError> {
        match entry {
            Entry::Call(line) => {
                let i = index(line.provider);
                if self.last_at[i].is_some_and(|at| line.at < at) {
                    return Err(ReplayError::Backwards { at: line.at });
                }
                self.last_at[i] = Some(line.at);
                self.latest = Some(self.latest.map_or(line.at, |at| at.max(line.at)));
                let state = &mut self.providers[i];
                replay_call(&mut state.service, &line)?;
                state.steps.push(text.into());
                // The id source continues where the journaled session left it: past the ids
                // it drew, not past ids a call was given (`x-org-handshake-new-ids`), which
                // the stream did not produce.
                let profile = *state.service.dialect().profile();
                for id in &line.new_ids {
                    let mut probe = *self.ids;
                    if probe
                        .next_id(&profile)
                        .is_ok_and(|next| next.as_str() == id)
                    {
                        *self.ids = probe;
                    }
                }
            }
            Entry::Control(Control::World { provider, world }) => {
                let i = index(provider);
                self.providers[i] = ProviderState {
                    service: service(provider, &world, self.overrides.of(provider))?,
                    world,
                    steps: Vec::new(),
                };
                self.last_at[i] = None;
            }
            Entry::Control(Control::Reset) => {
                *self.providers = fresh_states(self.start_worlds, self.overrides)?;
                self.last_at.iter_mut().for_each(|at| *at = None);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_waiter_returns_once_an_fsync_begun_after_its_line_has_finished() {
        let dir = std::env::temp_dir().join(format!("ohs-durable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let _ = std::fs::remove_file(&path);
        let mut journal = Journal::open(&path).unwrap();
        let durable = std::sync::Arc::new(journal.durable().unwrap());
        let written = std::sync::Arc::new(AtomicU64::new(0));
        let waiters: Vec<_> = (1..=8u64)
            .map(|line| {
                journal.write(&format!("{{\"n\":{line}}}")).unwrap();
                written.store(line, Ordering::Release);
                let (durable, written) = (durable.clone(), written.clone());
                std::thread::spawn(move || durable.wait(line, &written))
            })
            .collect();
        for waiter in waiters {
            waiter.join().unwrap().unwrap();
        }
        let synced = lock(&durable.synced);
        assert_eq!((synced.lines, synced.running), (8, false));
        // Nothing written since: waiting again starts no fsync.
        drop(synced);
        durable.wait(8, &written).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 8);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An AWS invitation of `target` by the default world's management account.
    fn invite(target: &str) -> crate::OwnedRequest {
        crate::OwnedRequest {
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
        // A journal whose one handshake was given the seed's *second* id: replay does not
        // advance the source past an id it did not produce, so the first live draw is the
        // seed's first id, and the second live draw is that second id, in use.
        let dir = std::env::temp_dir().join(format!("ohs-in-use-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let _ = std::fs::remove_file(&path);
        let world = crate::world::default_world(Provider::Aws).unwrap();
        let mut service = service(Provider::Aws, &world, &[]).unwrap();
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

        let (state, report) = crate::App::start(crate::Options {
            journal: Some(path.clone()),
            seed: Some(7),
            ..crate::Options::default()
        })
        .unwrap();
        assert_eq!(report.replayed, 1);
        let outcome = state.handle(&invite("444444444444"));
        assert_eq!(outcome.json()["Handshake"]["Id"], first.as_str());
        let outcome = state.handle(&invite("555555555555"));
        assert_eq!(outcome.status, 200);
        assert_eq!(outcome.json()["Handshake"]["Id"], third.as_str());
        // The journal names the id the call used, not the one it passed over.
        let mut lines = Vec::new();
        read(&path, |_, entry, _| {
            if let Entry::Call(line) = entry {
                lines.push(line);
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2].new_ids, vec![third.to_string()]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
