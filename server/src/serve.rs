//! The accept loop: at most `--max-connections` connections open at once, accept errors backed
//! off and logged at a bounded rate, and a graceful stop on SIGTERM or Ctrl-C (stop accepting,
//! let every connection finish the request it is serving, flush the journal).

use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::error::StartError;
use crate::http;
use crate::state::App;

/// How long the accept loop sleeps after an error that is not one connection's (out of
/// descriptors or memory): retrying at once would spin, as tokio's and axum's loops know.
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);
/// At most one accept-error log line per this long; the ones in between are counted.
const ACCEPT_LOG_EVERY: Duration = Duration::from_secs(10);
/// How long a graceful stop waits for the connections still serving a request.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Accept errors, logged at a bounded rate.
#[derive(Debug, Default)]
struct AcceptErrors {
    last_logged: Option<Instant>,
    suppressed: u64,
}

impl AcceptErrors {
    fn note(&mut self, err: &std::io::Error) {
        let now = Instant::now();
        if self
            .last_logged
            .is_some_and(|at| now.duration_since(at) < ACCEPT_LOG_EVERY)
        {
            self.suppressed += 1;
            return;
        }
        if self.suppressed > 0 {
            tracing::warn!(
                "accept: {err} ({} more since the last report; backing off {} s each)",
                self.suppressed,
                ACCEPT_BACKOFF.as_secs()
            );
        } else {
            tracing::warn!(
                "accept: {err} (backing off {} s; reported at most every {} s)",
                ACCEPT_BACKOFF.as_secs(),
                ACCEPT_LOG_EVERY.as_secs()
            );
        }
        self.last_logged = Some(now);
        self.suppressed = 0;
    }
}

/// Whether an accept error is one connection's (it went away before it was accepted): the
/// next accept may succeed at once.
fn is_connection_error(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// Resolves at SIGTERM or Ctrl-C.
async fn stop_signal() -> Result<(), StartError> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(StartError::Signal)?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    Ok(())
}

/// Serves `listener` until SIGTERM or Ctrl-C, then stops gracefully.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Arc<App>,
    max_connections: u32,
) -> Result<(), StartError> {
    let permits = Arc::new(Semaphore::new(max_connections as usize));
    let (stop, stopping) = watch::channel(false);
    let signal = stop_signal();
    tokio::pin!(signal);
    let mut errors = AcceptErrors::default();
    loop {
        // A connection slot first: past the cap, new connections wait in the kernel's listen
        // queue instead of taking descriptors.
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            stopped = &mut signal => { stopped?; break; }
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) if is_connection_error(&err) => continue,
                Err(err) => {
                    errors.note(&err);
                    tokio::select! {
                        _ = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                        stopped = &mut signal => { stopped?; break; }
                    }
                }
            },
            stopped = &mut signal => { stopped?; break; }
        };
        let app = Arc::clone(&app);
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let service = service_fn(move |request| http::serve(Arc::clone(&app), request));
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                // Room for headers over the server's own limit, so that a huge header gets the
                // provider's error (431) rather than hyper's bare one.
                .max_buf_size(http::MAX_HEADERS * 4)
                .max_headers(1000);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                () = async { let _ = stopping.wait_for(|stop| *stop).await; } => {
                    // Finish the request in flight, if any, then close.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = result {
                tracing::debug!("connection: {err}");
            }
        });
    }
    drop(listener);
    tracing::info!("stopping: no new connections; finishing the requests in flight");
    let _ = stop.send(true);
    if tokio::time::timeout(DRAIN_TIMEOUT, permits.acquire_many(max_connections))
        .await
        .is_err()
    {
        tracing::warn!(
            "stopping: connections still open after {} s are dropped (nothing they sent is acknowledged)",
            DRAIN_TIMEOUT.as_secs()
        );
    }
    let flushed = {
        let app = Arc::clone(&app);
        tokio::task::spawn_blocking(move || app.sync()).await
    };
    match flushed {
        Ok(Ok(())) => tracing::info!("stopped; the journal is on disk"),
        Ok(Err(err)) => tracing::error!("stopping: {err}"),
        Err(err) => tracing::error!("stopping: {err}"),
    }
    Ok(())
}
