//! org-handshake-server: AWS Organizations, Huawei Cloud Organizations and Alibaba Cloud
//! Resource Directory handshakes on one port, each in its own protocol, for the providers' own
//! SDKs. A thin shell over the org-handshake crate: HTTP in and out, the clock, id minting and
//! the journal; every answer is the crate's.
//!
//! [`run_from_args`] is the whole binary (the `org-handshake-server` executable and the Python
//! package call it); [`App`] is the emulator without HTTP, for tests and generators:
//!
//! ```
//! use org_handshake_server::{App, Options, OwnedRequest};
//! let (app, _) = App::start(Options { seed: Some(7), ..Options::default() })?;
//! let describe = OwnedRequest {
//!     method: "POST".into(),
//!     path: "/".into(),
//!     headers: vec![("X-Amz-Target".into(), "AWSOrganizationsV20161128.DescribeHandshake".into())],
//!     body: br#"{"HandshakeId": "h-0123456789"}"#.to_vec(),
//!     ..OwnedRequest::default()
//! };
//! assert_eq!(app.handle(&describe).status, 404);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod clock;
mod control;
pub mod error;
pub mod http;
mod ids;
pub mod journal;
mod overrides;
mod serve;
mod state;
mod world;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches, Parser};
use org_handshake::provider::Provider;

pub use crate::error::StartError;
pub use crate::http::{Outcome, OwnedRequest};
pub use crate::overrides::Overrides;
pub use crate::state::{App, Options, Pending, StartReport};
pub use crate::world::WorldFile;

/// The default of `--max-connections`.
///
/// Each open connection holds a file descriptor, and the common default limit of a process is
/// 1024 (`ulimit -n`). Half of it leaves room for what the server itself must open (the
/// journal, the clock file, the runtime's own descriptors) even when that limit is the default,
/// and is still far above what SDK test suites open (one connection pool each, 10 to 50).
pub const DEFAULT_MAX_CONNECTIONS: u32 = 512;

/// Serves AWS Organizations, Huawei Cloud Organizations and Alibaba Cloud Resource Directory
/// handshakes for the providers' own SDKs. Signatures are not verified.
#[derive(Debug, Parser)]
#[command(name = "org-handshake-server", version)]
struct Args {
    /// The address to listen on (port 0 picks a free one; the ready line names it).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4566")]
    listen: String,
    /// A JSON object with optional keys aws, huawei, alibaba, each a world in the conformance
    /// format; a missing key keeps that provider's default world.
    #[arg(long, value_name = "FILE")]
    world: Option<PathBuf>,
    /// Append every state-changing call to FILE (fsynced before replying) and replay it on
    /// start.
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
    /// Seed for handshake and request ids (reproducible runs); from the OS when absent.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Corrections of the providers' error codes: a JSON object keyed by provider, each a list
    /// of {"kind", "from"?, "operation"?, "status"?, "code"?, "message"?} (see the README).
    #[arg(long, value_name = "FILE")]
    overrides: Option<PathBuf>,
    /// Connections open at once; past it, new connections wait in the listen queue until one
    /// closes, so a burst of clients cannot take the descriptors the journal needs.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
}

/// The `--help` text's list of the operations each provider serves, from the dialects.
fn operations_help() -> String {
    let mut text = String::from("Operations served (the providers' own names):\n");
    for provider in Provider::values() {
        text.push_str(&format!(
            "  {}: {}\n",
            provider.as_str(),
            provider.dialect().operations().join(", ")
        ));
    }
    text.push_str(
        "\nControl endpoints: GET /_org-handshake/health, GET|POST /_org-handshake/time, \
         GET /_org-handshake/vector?provider=P, GET /_org-handshake/operations, \
         POST /_org-handshake/world, POST /_org-handshake/reset.\n\
         Per-call headers: x-org-handshake-now, x-org-handshake-new-ids, x-org-handshake-request-id, \
         x-org-handshake-caller.\n",
    );
    text
}

/// The whole server as the binary runs it: parses `args` (the program name first), starts
/// the emulator, prints `listening on http://ADDR` to stdout, serves until SIGTERM or Ctrl-C
/// (then stops accepting, finishes the requests in flight and flushes the journal), and
/// answers the exit code: 0 after a clean stop (and for `--help`), 1 when it cannot start,
/// 2 for bad arguments. A fatal error is printed once, on stderr.
pub fn run_from_args<I, T>(args: I) -> std::process::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let command = Args::command().after_help(operations_help());
    let args = match command
        .try_get_matches_from(args)
        .and_then(|matches| Args::from_arg_matches(&matches))
    {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return std::process::ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    // A second call in one process (an embedding) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    match run(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(why) => {
            // Once, here: not also through the log.
            eprintln!("org-handshake-server: {why}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn read(path: &PathBuf) -> Result<String, StartError> {
    std::fs::read_to_string(path).map_err(|e| error::FileError::new(path, e).into())
}

fn run(args: Args) -> Result<(), StartError> {
    let worlds = match &args.world {
        None => WorldFile::default(),
        Some(path) => {
            WorldFile::parse(&read(path)?).map_err(|source| error::FileFormatError::Json {
                path: path.clone(),
                what: "the world file",
                source,
            })?
        }
    };
    let overrides = match &args.overrides {
        None => Overrides::default(),
        Some(path) => Overrides::parse(path, &read(path)?)?,
    };
    let (app, report) = App::start(Options {
        worlds,
        overrides,
        journal: args.journal.clone(),
        seed: args.seed,
    })?;
    if let Some((line, bytes)) = report.torn {
        tracing::warn!(
            "journal line {line} was torn ({bytes} bytes without a newline: a write cut short, never acknowledged); dropped"
        );
    }
    if let Some(path) = &args.journal {
        tracing::info!(
            "replayed {} journal lines from {}",
            report.replayed,
            path.display()
        );
    }
    let app = Arc::new(app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|source| StartError::Listen {
                address: args.listen.clone(),
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartError::Listen {
            address: args.listen.clone(),
            source,
        })?;
        {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "listening on http://{address}")
                .and_then(|()| stdout.flush())
                .map_err(StartError::Stdout)?;
        }
        serve::serve(listener, app, args.max_connections).await
    })
}
