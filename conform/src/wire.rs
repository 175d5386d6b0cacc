//! One HTTP/1.1 exchange with the target: a fresh connection per request, a deadline for the
//! whole exchange, and a cap on the reply's body. Every way it can go wrong is a [`Fault`]
//! with a sentence for the report, never a panic or a hang.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use org_handshake::provider::OutgoingRequest;

/// Where the target listens: `host:port` and the prefix of every path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `host:port`, as the `Host` header and the connection take it.
    pub authority: String,
    /// A path prefix without a trailing `/` (empty for none).
    pub base_path: String,
}

/// Why `--endpoint` is not a URL the runner can speak to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Not an `http://` URL.
    #[error("--endpoint {0}: only http://host:port URLs are spoken")]
    NotHttp(String),
    /// No host after `http://`.
    #[error("--endpoint {0}: no host")]
    NoHost(String),
}

impl Endpoint {
    /// Reads `http://host:port[/prefix]`.
    ///
    /// # Errors
    ///
    /// [`EndpointError`] saying what is wrong with the URL (only `http` is spoken).
    pub fn parse(url: &str) -> Result<Self, EndpointError> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| EndpointError::NotHttp(url.to_owned()))?;
        let (authority, path) = match rest.find('/') {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(EndpointError::NoHost(url.to_owned()));
        }
        let authority = if authority.contains(':') {
            authority.to_owned()
        } else {
            format!("{authority}:80")
        };
        Ok(Endpoint {
            authority,
            base_path: path.trim_end_matches('/').to_owned(),
        })
    }

    /// The full URL of a request target (`/path?query`).
    pub fn url(&self, target: &str) -> String {
        format!("http://{}{}{}", self.authority, self.base_path, target)
    }
}

/// How long a request may take and how much of a reply is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The deadline of one exchange, connecting included.
    pub timeout: Duration,
    /// The largest reply body read.
    pub max_body: usize,
}

/// A reply as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The HTTP status.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced).
    pub body: String,
}

impl Received {
    /// The first value of the header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Why no reply was had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Nothing listens there (the connection was refused or could not be made).
    Down(String),
    /// No whole reply within the deadline.
    Slow(Duration),
    /// The target closed the connection before a whole reply.
    Closed(String),
    /// The reply's body is larger than the cap.
    TooLarge(usize),
    /// The request could not be written (a header the HTTP library refuses).
    Request(String),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Down(why) => write!(f, "the endpoint is down: {why}"),
            Fault::Slow(after) => write!(
                f,
                "no reply within {} s (raise --timeout if the target is merely slow)",
                after.as_secs_f64()
            ),
            Fault::Closed(why) => write!(f, "the target closed the connection: {why}"),
            Fault::TooLarge(cap) => write!(
                f,
                "the reply body is larger than {} MiB; refused",
                cap >> 20
            ),
            Fault::Request(why) => write!(f, "the request could not be written: {why}"),
        }
    }
}

impl std::error::Error for Fault {}

/// Sends `request` to `endpoint` and reads the reply, within `limits`.
///
/// # Errors
///
/// The [`Fault`] that kept a whole reply from being had.
pub async fn send(
    endpoint: &Endpoint,
    request: &OutgoingRequest,
    limits: Limits,
) -> Result<Received, Fault> {
    match tokio::time::timeout(limits.timeout, exchange(endpoint, request, limits.max_body)).await {
        Ok(result) => result,
        Err(_) => Err(Fault::Slow(limits.timeout)),
    }
}

async fn exchange(
    endpoint: &Endpoint,
    request: &OutgoingRequest,
    max_body: usize,
) -> Result<Received, Fault> {
    let stream = TcpStream::connect(&endpoint.authority)
        .await
        .map_err(|e| Fault::Down(format!("{}: {e}", endpoint.authority)))?;
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| Fault::Closed(e.to_string()))?;
    // The connection is driven beside the request; it ends with the exchange (or the deadline).
    let driver = tokio::spawn(connection);
    let mut builder = hyper::Request::builder()
        .method(request.method.as_str())
        .uri(format!("{}{}", endpoint.base_path, request.target()))
        .header("host", endpoint.authority.as_str());
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let outgoing = builder
        .body(Full::new(Bytes::from(request.body.clone())))
        .map_err(|e| Fault::Request(e.to_string()))?;
    let response = sender
        .send_request(outgoing)
        .await
        .map_err(|e| Fault::Closed(e.to_string()))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let declared = response
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_body as u64) {
        driver.abort();
        return Err(Fault::TooLarge(max_body));
    }
    let mut body = response.into_body();
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| Fault::Closed(e.to_string()))?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max_body {
                driver.abort();
                return Err(Fault::TooLarge(max_body));
            }
            bytes.extend_from_slice(&data);
        }
    }
    driver.abort();
    Ok(Received {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_errors_name_the_url() {
        assert_eq!(
            Endpoint::parse("http:///prefix"),
            Err(EndpointError::NoHost("http:///prefix".into()))
        );
        assert_eq!(
            Endpoint::parse("http:///prefix").map_err(|e| e.to_string()),
            Err("--endpoint http:///prefix: no host".into())
        );
        assert_eq!(
            Endpoint::parse("ftp://h").map_err(|e| e.to_string()),
            Err("--endpoint ftp://h: only http://host:port URLs are spoken".into())
        );
        let ok = Endpoint::parse("http://h/base/");
        assert_eq!(
            ok.map(|e| (e.authority, e.base_path)),
            Ok(("h:80".into(), "/base".into()))
        );
    }
}
