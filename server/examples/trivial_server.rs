//! The load test's yardstick (server/load/run.sh): the same framework as org-handshake-server
//! (hyper's http1 on a multi-threaded tokio runtime, the same connection settings) answering
//! every request with canned bytes and headers, so that the load test can say how much of a
//! request's cost is the server's own work rather than the framework's.
//!
//! An example, not a flag of the server: it must not ship in (or cost a branch in) the served
//! path. It reads the request body, as the server does, then answers with the reply given for
//! the request's `X-Amz-Target` (the captured reply of the real server to the same request).
//!
//! ```text
//! cargo run --release -p org-handshake-server --example trivial_server -- --listen 127.0.0.1:0 --canned FILE
//! ```
//!
//! FILE: `{"<X-Amz-Target>": {"status": 200, "headers": [["name", "value"], …], "body": "…"}, …}`.
//! Prints `listening on http://ADDR` when ready, as the server does.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};

/// The server's header limit (server/src/http.rs `MAX_HEADERS`), for the same builder settings.
const MAX_HEADERS: usize = 64 << 10;

#[derive(serde::Deserialize)]
struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

struct Reply {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

fn load(path: &str) -> Result<HashMap<String, Reply>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let canned: HashMap<String, Canned> =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    canned
        .into_iter()
        .map(|(target, c)| {
            let headers = c
                .headers
                .into_iter()
                .map(|(k, v)| {
                    Ok((
                        HeaderName::from_bytes(k.as_bytes()).map_err(|e| e.to_string())?,
                        HeaderValue::from_str(&v).map_err(|e| e.to_string())?,
                    ))
                })
                .collect::<Result<_, String>>()?;
            let status = StatusCode::from_u16(c.status).map_err(|e| e.to_string())?;
            Ok((
                target,
                Reply {
                    status,
                    headers,
                    body: Bytes::from(c.body),
                },
            ))
        })
        .collect()
}

async fn serve(
    replies: Arc<HashMap<String, Reply>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let target = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // Read the body, as the server does before it answers.
    let _ = request.into_body().collect().await;
    let Some(reply) = replies.get(&target) else {
        let mut response = Response::new(Full::new(Bytes::from_static(b"{}")));
        *response.status_mut() = StatusCode::NOT_FOUND;
        return Ok(response);
    };
    let mut response = Response::new(Full::new(reply.body.clone()));
    *response.status_mut() = reply.status;
    for (name, value) in &reply.headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    Ok(response)
}

fn main() -> Result<(), String> {
    let mut listen = "127.0.0.1:0".to_owned();
    let mut canned = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs ADDR")?,
            "--canned" => canned = Some(args.next().ok_or("--canned needs FILE")?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let replies = Arc::new(load(&canned.ok_or("give --canned FILE")?)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| format!("{listen}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{address}")
            .and_then(|()| stdout.flush())
            .map_err(|e| e.to_string())?;
        drop(stdout);
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let replies = Arc::clone(&replies);
            tokio::spawn(async move {
                let service = service_fn(move |request| serve(Arc::clone(&replies), request));
                let mut builder = http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .max_buf_size(MAX_HEADERS * 4)
                    .max_headers(1000);
                let _ = builder
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}
