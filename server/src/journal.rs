//! The journal: one JSON line per state-changing call (`{"provider": …}` and the fields of a
//! conformance step, the reply as `expect`), appended and fsynced before the reply is sent
//! (shared/conformance.md, "Journal lines").
//!
//! Reading it back: every complete line (ending in a newline) must parse; a last line without
//! its newline is a write the crash cut short, never acknowledged, so it is reported and cut
//! off the file before anything is appended.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use org_handshake::conformance::{Expect, Step};
use org_handshake::provider::Provider;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Line {
    pub(crate) provider: Provider,
    pub(crate) at: DateTime<Utc>,
    pub(crate) caller: String,
    pub(crate) operation: String,
    pub(crate) request: Value,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) new_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) request_id: Option<String>,
    pub(crate) expect: Expect,
}

impl Line {
    pub(crate) fn new(provider: Provider, step: &Step) -> Self {
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
    pub(crate) fn text(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| e.to_string())
    }

    pub(crate) fn step(&self) -> Step {
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
    mut each: impl FnMut(usize, Line, &str) -> Result<(), String>,
) -> Result<Option<(usize, usize)>, String> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(format!("{}: {err}", path.display())),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut raw = Vec::new();
    let mut complete = 0u64;
    let mut number = 0usize;
    loop {
        raw.clear();
        let read = reader
            .read_until(b'\n', &mut raw)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if read == 0 {
            return Ok(None);
        }
        number += 1;
        if raw.last() != Some(&b'\n') {
            break;
        }
        complete += read as u64;
        let text = std::str::from_utf8(&raw[..raw.len() - 1])
            .map_err(|_| format!("{} line {number}: not UTF-8", path.display()))?;
        let line: Line = serde_json::from_str(text)
            .map_err(|e| format!("{} line {number}: not a journal line: {e}", path.display()))?;
        each(number, line, text)?;
    }
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.set_len(complete)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{}: cutting the torn last line: {e}", path.display()))?;
    Ok(Some((number, raw.len())))
}

/// The journal open for appending.
#[derive(Debug)]
pub(crate) struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    pub(crate) fn open(path: &Path) -> Result<Self, String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The file's directory entry must survive a crash too.
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        Ok(Journal {
            file,
            path: path.to_owned(),
        })
    }

    /// Appends `text` (one line's JSON, [`Line::text`]) and flushes it to disk (fsync of the
    /// data) before returning.
    pub(crate) fn append(&mut self, text: &str) -> Result<(), String> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        self.file
            .write_all(&bytes)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }
}
