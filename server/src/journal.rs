//! The journal: one JSON line per state-changing call (`{"provider": …}` and the fields of a
//! conformance step, the reply as `expect`), appended and fsynced before the reply is sent
//! (shared/conformance.md, "Journal lines").
//!
//! Reading it back: every complete line (ending in a newline) must parse; a last line without
//! its newline is a write the crash cut short, never acknowledged, so it is reported and cut
//! off the file before anything is appended.

use std::fs::{File, OpenOptions};
use std::io::Write;
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

/// What reading a journal found.
#[derive(Debug)]
pub(crate) struct Contents {
    /// The lines, each with its 1-based line number.
    pub(crate) lines: Vec<(usize, Line)>,
    /// A torn last line (its 1-based number and length in bytes), already cut off the file.
    pub(crate) torn: Option<(usize, usize)>,
}

/// Reads the journal at `path` (an absent file is an empty journal) and cuts a torn last line
/// off it.
pub(crate) fn read(path: &Path) -> Result<Contents, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => return Err(format!("{}: {err}", path.display())),
    };
    let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let mut lines = Vec::new();
    let body = bytes[..complete].strip_suffix(b"\n").unwrap_or_default();
    let raws: Vec<&[u8]> = if complete == 0 {
        Vec::new()
    } else {
        body.split(|b| *b == b'\n').collect()
    };
    for (index, raw) in raws.into_iter().enumerate() {
        let number = index + 1;
        let text = std::str::from_utf8(raw)
            .map_err(|_| format!("{} line {number}: not UTF-8", path.display()))?;
        let line: Line = serde_json::from_str(text)
            .map_err(|e| format!("{} line {number}: not a journal line: {e}", path.display()))?;
        lines.push((number, line));
    }
    let torn = if complete < bytes.len() {
        let number = lines.len() + 1;
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        file.set_len(complete as u64)
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("{}: cutting the torn last line: {e}", path.display()))?;
        Some((number, bytes.len() - complete))
    } else {
        None
    };
    Ok(Contents { lines, torn })
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

    /// Appends `line` and flushes it to disk (fsync of the data) before returning.
    pub(crate) fn append(&mut self, line: &Line) -> Result<(), String> {
        let mut text = serde_json::to_vec(line).map_err(|e| e.to_string())?;
        text.push(b'\n');
        self.file
            .write_all(&text)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }
}
