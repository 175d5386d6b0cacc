//! org-handshake-server: AWS Organizations, Huawei Cloud Organizations and Alibaba Cloud
//! Resource Directory handshakes on one port, each in its own protocol, for the providers' own
//! SDKs. A thin shell over the org-handshake crate: HTTP in and out, the clock, id minting and
//! the journal; every answer is the crate's.

mod clock;
mod http;
mod journal;
mod state;
mod world;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};

use crate::state::{Options, State};
use crate::world::WorldFile;

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
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    match run(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(why) => {
            tracing::error!("{why}");
            eprintln!("org-handshake-server: {why}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let worlds = match &args.world {
        None => WorldFile::default(),
        Some(path) => WorldFile::parse(
            &std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )
        .map_err(|e| format!("{}: {e}", path.display()))?,
    };
    let (state, report) = State::start(Options {
        worlds,
        journal: args.journal.clone(),
        seed: args.seed,
    })?;
    for warning in &report.warnings {
        tracing::warn!("{warning}");
    }
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
    let state = Arc::new(state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(serve(args.listen, state))
}

async fn serve(listen: String, state: Arc<State>) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{address}")
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("stdout: {e}"))?;
    }
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| e.to_string())?;
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!("accept: {err}");
                    continue;
                }
            },
            _ = tokio::signal::ctrl_c() => break,
            _ = terminate.recv() => break,
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request| http::serve(Arc::clone(&state), request));
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                // Room for headers over the server's own limit, so that a huge header gets the
                // provider's error (431) rather than hyper's bare one.
                .max_buf_size(http::MAX_HEADERS * 4)
                .max_headers(1000);
            if let Err(err) = builder
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!("connection: {err}");
            }
        });
    }
    tracing::info!("stopping");
    Ok(())
}
