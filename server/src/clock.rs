//! The server's clock: the real clock plus an offset that `POST /_org-handshake/time` moves
//! forward, never running backwards (not when the real clock steps back, not across restarts).
//!
//! With a journal, the offset is kept beside it in `FILE.clock` (`{"offset_ms": N}`), written
//! atomically (temporary file, fsync, rename) on every move, and the clock never answers before
//! the journal's last `at`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;

use crate::error::{ClockError, FileError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    offset_ms: i64,
}

#[derive(Debug)]
pub(crate) struct Clock {
    offset: TimeDelta,
    /// The latest time answered (or journaled); nothing earlier is answered again.
    floor: Option<DateTime<Utc>>,
    file: Option<PathBuf>,
}

impl Clock {
    /// A clock whose offset is kept in `file` (read now when it exists).
    pub(crate) fn open(file: Option<PathBuf>) -> Result<Self, ClockError> {
        let mut offset = TimeDelta::zero();
        if let Some(path) = &file {
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    let saved: Saved = serde_json::from_str(&text).map_err(|source| {
                        ClockError::NotAClockFile {
                            path: path.clone(),
                            source,
                        }
                    })?;
                    offset = TimeDelta::try_milliseconds(saved.offset_ms.max(0))
                        .ok_or_else(|| ClockError::OffsetOutOfRange { path: path.clone() })?;
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(FileError::new(path, err).into()),
            }
        }
        Ok(Clock {
            offset,
            floor: None,
            file,
        })
    }

    /// Nothing earlier than `at` is answered from now on.
    pub(crate) fn not_before(&mut self, at: DateTime<Utc>) {
        self.floor = Some(self.floor.map_or(at, |f| f.max(at)));
    }

    /// Now: the real clock plus the offset, to the millisecond, never before an earlier answer.
    pub(crate) fn now(&mut self) -> DateTime<Utc> {
        let real = Utc::now();
        let moved = real.checked_add_signed(self.offset).unwrap_or(real);
        let millis = moved.timestamp_millis();
        let moved = DateTime::from_timestamp_millis(millis).unwrap_or(moved);
        let now = self.floor.map_or(moved, |f| f.max(moved));
        self.floor = Some(now);
        now
    }

    /// Moves the clock `seconds` forward and answers the new now.
    pub(crate) fn advance(&mut self, seconds: u64) -> Result<DateTime<Utc>, ClockError> {
        let step = i64::try_from(seconds)
            .ok()
            .and_then(TimeDelta::try_seconds)
            .ok_or(ClockError::TooFar)?;
        let offset = self
            .offset
            .checked_add(&step)
            .filter(|o| {
                Utc::now()
                    .checked_add_signed(*o)
                    .is_some_and(|t| t.timestamp() < 253_402_300_799 - 86_400 * 400)
            })
            .ok_or(ClockError::TooFar)?;
        if let Some(path) = &self.file {
            save(path, offset.num_milliseconds())?;
        }
        self.offset = offset;
        if let Some(floor) = self.floor {
            self.floor = floor.checked_add_signed(step);
        }
        Ok(self.now())
    }
}

fn save(path: &Path, offset_ms: i64) -> Result<(), FileError> {
    use std::io::Write;
    let tmp = path.with_extension("clock.tmp");
    let text = format!("{{\"offset_ms\":{offset_ms}}}");
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    write().map_err(|e| FileError::new(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_forward_and_survives_reopening() {
        let dir = std::env::temp_dir().join(format!("ohs-clock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("j.clock");
        let _ = std::fs::remove_file(&path);
        let mut clock = Clock::open(Some(path.clone())).unwrap();
        let before = clock.now();
        let after = clock.advance(86_400).unwrap();
        assert!(after - before >= TimeDelta::seconds(86_400));
        let mut again = Clock::open(Some(path)).unwrap();
        assert!(again.now() >= after);
        assert!(again.advance(u64::MAX).is_err());
    }

    #[test]
    fn the_floor_holds_time_back_from_running_backwards() {
        let mut clock = Clock::open(None).unwrap();
        let future = Utc::now() + TimeDelta::days(3);
        clock.not_before(future);
        assert!(clock.now() >= future);
    }
}
