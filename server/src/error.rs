//! The server's typed errors: why it cannot start, why its journal or clock file cannot be read
//! or written, and why a control request is refused.

use std::path::PathBuf;

use org_handshake::ledger::WorldError;
use org_handshake::provider::error_table::OverrideError;
use org_handshake::provider::Provider;

/// A file the server could not read or write.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// What the operating system said.
    #[source]
    pub source: std::io::Error,
}

impl FileError {
    /// `source` about `path`.
    pub fn new(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        FileError {
            path: path.into(),
            source,
        }
    }
}

/// Why the journal could not be read, replayed or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The file could not be read or written.
    #[error(transparent)]
    File(#[from] FileError),
    /// A complete line is not UTF-8.
    #[error("{} line {line}: not UTF-8", path.display())]
    NotUtf8 {
        /// The journal.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
    },
    /// A complete line is not a journal line.
    #[error("{} line {line}: not a journal line: {source}", path.display())]
    NotALine {
        /// The journal.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// A line cannot be replayed onto the state the lines before it left.
    #[error("{} line {line}: {why}", path.display())]
    Replay {
        /// The journal.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// Why.
        #[source]
        why: Box<ReplayError>,
    },
    /// A line could not be written as JSON.
    #[error("a journal line cannot be written as JSON: {0}")]
    Encode(#[source] serde_json::Error),
    /// An fsync failed earlier: nothing written since is known to be on disk.
    #[error("{}: flushing failed: {message}", path.display())]
    Flush {
        /// The journal.
        path: PathBuf,
        /// What the operating system said.
        message: String,
    },
}

/// Why one journal line does not replay.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// Its `at` is before the previous call's of the same provider since that provider's world
    /// was last set.
    #[error("`at` {at} is before the previous line's")]
    Backwards {
        /// The line's `at`.
        at: chrono::DateTime<chrono::Utc>,
    },
    /// The core refuses the replayed call.
    #[error("the replayed call is refused: {0}")]
    Refused(#[source] Box<org_handshake::provider::CallError>),
    /// The replayed reply is not the recorded one.
    #[error("the replayed reply differs from the recorded one{at}: recorded {recorded}, replayed {replayed}")]
    Differs {
        /// ` at `path`` where the bodies part, or empty.
        at: String,
        /// The recorded status and body.
        recorded: String,
        /// The replayed status and body.
        replayed: String,
    },
    /// A world line's world cannot exist.
    #[error(transparent)]
    World(#[from] BuildError),
}

/// Why the clock's offset file could not be read or written, or the clock not moved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClockError {
    /// The file could not be read or written.
    #[error(transparent)]
    File(#[from] FileError),
    /// The file is not a clock file.
    #[error("{}: not a clock file: {source}", path.display())]
    NotAClockFile {
        /// The file.
        path: PathBuf,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// The saved offset is out of range.
    #[error("{}: offset out of range", path.display())]
    OffsetOutOfRange {
        /// The file.
        path: PathBuf,
    },
    /// The clock cannot move that far.
    #[error("advance_seconds moves the clock past the year 9998")]
    TooFar,
}

/// Why a provider's service cannot be built from a world and the overrides.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The world cannot exist for the provider.
    #[error("the {provider} world cannot exist: {source}")]
    World {
        /// The provider.
        provider: Provider,
        /// What the core said.
        #[source]
        source: Box<WorldError>,
    },
    /// An override does not fit the provider's error table.
    #[error("the {provider} overrides: {source}")]
    Override {
        /// The provider.
        provider: Provider,
        /// What the core said.
        #[source]
        source: Box<OverrideError>,
    },
}

/// Why a `--world` or `--overrides` file is not valid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileFormatError {
    /// Not the file's JSON shape.
    #[error("{}: {what} is not valid: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Which file (`the world file`, `the overrides file`).
        what: &'static str,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// An override names an error kind no row of the provider's table has (with the code, if
    /// it named one).
    #[error("{}: the {provider} error table has no row of kind `{kind}`{with}", path.display())]
    NoSuchRow {
        /// The file.
        path: PathBuf,
        /// The provider.
        provider: Provider,
        /// The kind.
        kind: String,
        /// ` with code …` / ` in operation …`, or empty.
        with: String,
    },
}

/// Why the server cannot start (or stopped serving).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A file given on the command line cannot be read.
    #[error(transparent)]
    File(#[from] FileError),
    /// A `--world` or `--overrides` file is not valid.
    #[error(transparent)]
    Format(#[from] FileFormatError),
    /// A world or the overrides do not fit a provider.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The journal cannot be read, replayed or opened.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The clock file cannot be read.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// The built-in world of a provider does not parse.
    #[error("the built-in {provider} world: {source}")]
    BuiltinWorld {
        /// The provider.
        provider: Provider,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// The async runtime could not start.
    #[error("cannot start the runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The address cannot be listened on.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address given.
        address: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The ready line could not be written.
    #[error("stdout: {0}")]
    Stdout(#[source] std::io::Error),
    /// A signal handler could not be installed.
    #[error("cannot watch for SIGTERM: {0}")]
    Signal(#[source] std::io::Error),
}

/// Why a control request (`/_org-handshake/…`) is refused; answered as HTTP 400 with the text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// The body is not the endpoint's JSON.
    #[error("the body must be {expected}: {source}")]
    Body {
        /// What the body must be.
        expected: &'static str,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// The world cannot exist for the provider, or the overrides do not fit it.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The clock cannot move that far.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// The journal could not be written: the server refuses every call from now on.
    #[error("the journal could not be written: {0}")]
    Journal(#[from] JournalError),
    /// The server stopped taking state changes (its journal could not be written).
    #[error("the server stopped taking calls: {reason}")]
    Failed {
        /// Why it stopped.
        reason: String,
    },
    /// A per-call control header is not valid.
    #[error("header {header}: {why}")]
    Header {
        /// The header.
        header: &'static str,
        /// Why.
        why: String,
    },
}
