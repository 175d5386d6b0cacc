//! Shared by the integration tests: start the built server on a free loopback port, and speak
//! HTTP/1.1 to it over a plain `TcpStream` (byte-level control for the bad-input tests).
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_org-handshake-server");

pub const AWS_MANAGEMENT: &str = "111111111111";
pub const AWS_MEMBER: &str = "333333333333";
pub const AWS_ACCOUNTS: [&str; 4] = [
    "222222222222",
    "444444444444",
    "555555555555",
    "666666666666",
];
pub const HUAWEI_MANAGEMENT: &str = "0a6d25d23900d45c0faac010e0fb4de0";
pub const HUAWEI_ACCOUNTS: [&str; 4] = [
    "05c734152f00d4200f2bc0179ac6c5e0",
    "1b2c3d4e5f60718293a4b5c6d7e8f901",
    "2c3d4e5f60718293a4b5c6d7e8f90a1b",
    "3d4e5f60718293a4b5c6d7e8f90a1b2c",
];
pub const ALIBABA_MANAGEMENT: &str = "1512666876910000";
pub const ALIBABA_ACCOUNTS: [&str; 4] = [
    "1772422852740000",
    "1772422852740001",
    "1772422852740002",
    "1772422852740003",
];

/// Checks a served vector file against the conformance JSON Schema (tests/conformance).
pub fn assert_schema_valid(vector: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(vector)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// A fresh temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ohs-test-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running server; killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub stderr: PathBuf,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        Self::try_start(args).unwrap_or_else(|why| panic!("{why}"))
    }

    pub fn with_journal(journal: &Path) -> Server {
        Server::start(&["--journal", journal.to_str().unwrap()])
    }

    /// Starts the server; `Err` with its exit status and stderr when it refuses to start.
    pub fn try_start(args: &[&str]) -> Result<Server, String> {
        Self::try_start_under(&[], args)
    }

    /// Starts the server through `launcher` (e.g. `prlimit --nofile=64`), which runs the
    /// binary given as its last argument.
    pub fn try_start_under(launcher: &[&str], args: &[&str]) -> Result<Server, String> {
        let stderr = std::env::temp_dir().join(format!(
            "ohs-stderr-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        let mut command = match launcher.split_first() {
            Some((program, rest)) => {
                let mut command = Command::new(program);
                command.args(rest).arg(BIN);
                command
            }
            None => Command::new(BIN),
        };
        let mut child = command
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        match line.trim().strip_prefix("listening on http://") {
            Some(addr) => Ok(Server {
                child,
                addr: addr.to_owned(),
                stderr,
            }),
            None => {
                let status = child.wait().unwrap();
                Err(format!(
                    "exit {status}: {}",
                    std::fs::read_to_string(&stderr).unwrap_or_default()
                ))
            }
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// SIGKILL, as a crash.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn send(&self, raw: &[u8]) -> Response {
        send(&self.addr, raw)
    }

    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        self.send(&build(method, target, headers, body))
    }

    pub fn aws(&self, operation: &str, key: &str, body: &Value) -> Response {
        self.send(&aws_request(operation, key, body))
    }

    pub fn huawei(&self, method: &str, path: &str, domain: &str, body: Option<&Value>) -> Response {
        let text = body.map(Value::to_string).unwrap_or_default();
        self.request(
            method,
            path,
            &[
                ("Content-Type", "application/json"),
                ("X-Domain-Id", domain),
                ("X-Sdk-Date", "20261129T222849Z"),
                (
                    "Authorization",
                    "SDK-HMAC-SHA256 Access=ak, SignedHeaders=content-type;host, Signature=00",
                ),
            ],
            text.as_bytes(),
        )
    }

    /// The current ("V3") RPC style: action in a header, parameters in the query.
    pub fn alibaba(&self, action: &str, key: &str, params: &[(&str, &str)]) -> Response {
        let query = encode_query(params);
        let auth =
            format!("ACS3-HMAC-SHA256 Credential={key},SignedHeaders=accept;host,Signature=00");
        self.request(
            "POST",
            &format!("/?{query}"),
            &[
                ("x-acs-action", action),
                ("x-acs-version", "2020-03-31"),
                ("accept", "application/json"),
                ("Authorization", &auth),
            ],
            b"",
        )
    }

    /// The older ("V2") RPC style: everything in the query, by GET.
    pub fn alibaba_v2(&self, action: &str, key: &str, params: &[(&str, &str)]) -> Response {
        let mut all = vec![
            ("Action", action),
            ("Version", "2020-03-31"),
            ("Format", "JSON"),
            ("AccessKeyId", key),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "abc"),
            ("Timestamp", "2026-11-29T22:28:50Z"),
            ("Signature", "xyz="),
        ];
        all.extend_from_slice(params);
        self.request("GET", &format!("/?{}", encode_query(&all)), &[], b"")
    }

    pub fn advance(&self, seconds: u64) -> String {
        let r = self.request(
            "POST",
            "/_org-handshake/time",
            &[("Content-Type", "application/json")],
            format!("{{\"advance_seconds\": {seconds}}}").as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["now"].as_str().unwrap().to_owned()
    }

    pub fn now(&self) -> String {
        let r = self.request("GET", "/_org-handshake/time", &[], b"");
        r.json()["now"].as_str().unwrap().to_owned()
    }

    pub fn vector(&self, provider: &str) -> Value {
        let r = self.request(
            "GET",
            &format!("/_org-handshake/vector?provider={provider}"),
            &[],
            b"",
        );
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// Every handshake each provider's management account sees, request ids removed: the
    /// state as clients can observe it.
    pub fn snapshot(&self) -> Value {
        let mut aws = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut body = serde_json::json!({"MaxResults": 20});
            if let Some(t) = &token {
                body["NextToken"] = Value::String(t.clone());
            }
            let page = self
                .aws("ListHandshakesForOrganization", AWS_MANAGEMENT, &body)
                .json();
            aws.extend(page["Handshakes"].as_array().unwrap().iter().cloned());
            match page["NextToken"].as_str() {
                Some(t) => token = Some(t.to_owned()),
                None => break,
            }
        }
        let huawei = self
            .huawei(
                "GET",
                "/v1/organizations/handshakes?limit=2000",
                HUAWEI_MANAGEMENT,
                None,
            )
            .json()["handshakes"]
            .clone();
        let mut alibaba = Vec::new();
        for page in 1.. {
            let number = page.to_string();
            let body = self
                .alibaba(
                    "ListHandshakesForResourceDirectory",
                    ALIBABA_MANAGEMENT,
                    &[("PageNumber", &number), ("PageSize", "100")],
                )
                .json();
            let items = body["Handshakes"]["Handshake"].as_array().unwrap().clone();
            if items.is_empty() {
                break;
            }
            alibaba.extend(items);
        }
        serde_json::json!({"aws": aws, "huawei": huawei, "alibaba": alibaba})
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn encode_query(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An AWS JSON 1.1 request as botocore sends it (signature not valid: it is not checked).
pub fn aws_request(operation: &str, key: &str, body: &Value) -> Vec<u8> {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={key}/20261129/us-east-1/organizations/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"
    );
    let target = format!("AWSOrganizationsV20161128.{operation}");
    build(
        "POST",
        "/",
        &[
            ("X-Amz-Target", &target),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Authorization", &auth),
        ],
        body.to_string().as_bytes(),
    )
}

/// An HTTP/1.1 request with `Connection: close` and a `Content-Length`.
pub fn build(method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut raw = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    raw.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    raw
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): status {} {}", self.status, self.text()))
    }
}

/// Sends `raw` and reads the whole response (the server closes after it).
pub fn send(addr: &str, raw: &[u8]) -> Response {
    try_send(addr, raw).unwrap_or_else(|| panic!("no HTTP response from {addr}"))
}

/// [`send`], `None` when no response comes (the server is gone).
pub fn try_send(addr: &str, raw: &[u8]) -> Option<Response> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    // A server that answers before reading everything may close early: a write error is then
    // not the test's failure; the response is.
    let _ = stream.write_all(raw);
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

/// Parses one whole HTTP/1.1 response.
pub fn parse(bytes: &[u8]) -> Option<Response> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &bytes[end + 4..];
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(rest.len());
    Some(Response {
        status,
        headers,
        body: rest[..length.min(rest.len())].to_vec(),
    })
}
