//! A target that misbehaves at the HTTP level gets a clear sentence naming the step, a failing
//! exit status, and never a panic or a hang: an endpoint that is down, a reply that is not
//! JSON, a reply slower than `--timeout`, a connection closed before a reply, a 100 MB body.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A one-step AWS vector with an empty world, so the step is the first request the target gets.
fn vector(test: &str) -> PathBuf {
    // One folder per test: the tests run in parallel, and a file half written by one must not
    // be read by another.
    let dir = std::env::temp_dir().join(format!("conform-bad-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("aws-bad-target.json");
    std::fs::write(
        &path,
        r#"{"format": "org-handshake-vectors/1", "id": "aws-bad-target", "description": "one call",
            "provider": "aws", "steps": [{"at": "2026-01-05T10:00:00Z", "caller": "111111111111",
            "operation": "DescribeHandshake", "request": {"HandshakeId": "h-0123456789"},
            "expect": {"status": 404, "body": {"__type": "HandshakeNotFoundException"}}}]}"#,
    )
    .unwrap();
    path
}

/// A server answering every connection with `behave`, on a thread of its own.
fn serve(behave: fn(TcpStream)) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || behave(stream));
        }
    });
    addr
}

/// Reads the request head (and whatever body came with it).
fn read_request(stream: &mut TcpStream) {
    let mut buf = [0u8; 8192];
    let mut seen = Vec::new();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&seen[..at]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if seen.len() >= at + 4 + length {
                break;
            }
        }
    }
}

/// Runs the runner against `addr` (generic target: no control endpoint is asked first), with
/// a deadline of its own so that a hang fails the test rather than stalling it.
fn conform(test: &str, addr: &str, timeout: &str) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_org-handshake-conform"))
        .args([
            "--endpoint",
            addr,
            "--provider",
            "aws",
            "--target",
            "generic",
        ])
        .args(["--timeout", timeout])
        .arg(vector(test))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            panic!("the runner hung against {addr}");
        }
        thread::sleep(Duration::from_millis(50));
    }
    (child.wait_with_output().unwrap(), started.elapsed())
}

/// The runner failed the one step with a line naming it and holding `words`, and did not panic.
fn assert_failed_step(output: &Output, words: &str) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("FAIL aws-bad-target step 0 (DescribeHandshake): "))
        .unwrap_or_else(|| panic!("no failing line for the step:\n{stdout}"));
    assert!(line.contains(words), "{line}");
    assert!(stdout.contains("0 passed, 1 failed, 0 skipped"), "{stdout}");
}

#[test]
fn an_endpoint_that_is_down() {
    let addr = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let (output, _) = conform("an_endpoint_that_is_down", &format!("http://{addr}"), "5");
    assert_failed_step(&output, "the endpoint is down");
}

#[test]
fn a_reply_that_is_not_json() {
    let addr = serve(|mut stream| {
        read_request(&mut stream);
        let _ = stream.write_all(
            b"HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\ncontent-length: 22\r\n\r\n<h1>no such thing</h1>",
        );
    });
    let (output, _) = conform("a_reply_that_is_not_json", &format!("http://{addr}"), "5");
    assert_failed_step(
        &output,
        "(status 404) is not JSON: \"<h1>no such thing</h1>\"",
    );
}

#[test]
fn a_reply_slower_than_the_timeout() {
    let addr = serve(|mut stream| {
        read_request(&mut stream);
        thread::sleep(Duration::from_secs(20));
    });
    let (output, took) = conform(
        "a_reply_slower_than_the_timeout",
        &format!("http://{addr}"),
        "0.5",
    );
    assert_failed_step(&output, "no reply within 0.5 s");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn a_connection_closed_before_the_reply() {
    let addr = serve(|mut stream| {
        read_request(&mut stream);
        drop(stream);
    });
    let (output, _) = conform(
        "a_connection_closed_before_the_reply",
        &format!("http://{addr}"),
        "5",
    );
    assert_failed_step(&output, "the target closed the connection");
}

#[test]
fn a_hundred_megabyte_body_is_refused() {
    // No length announced: the runner must stop reading on its own, not trust a header.
    let addr = serve(|mut stream| {
        read_request(&mut stream);
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[",
        );
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..100 {
            if stream.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"]");
    });
    let (output, _) = conform(
        "a_hundred_megabyte_body_is_refused",
        &format!("http://{addr}"),
        "30",
    );
    assert_failed_step(&output, "the reply body is larger than 16 MiB; refused");
}

#[test]
fn a_hundred_megabyte_body_announced_is_refused_unread() {
    let addr = serve(|mut stream| {
        read_request(&mut stream);
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n[",
        );
        thread::sleep(Duration::from_secs(20));
    });
    let (output, took) = conform(
        "a_hundred_megabyte_body_announced_is_refused_unread",
        &format!("http://{addr}"),
        "30",
    );
    assert_failed_step(&output, "larger than 16 MiB");
    assert!(took < Duration::from_secs(15), "{took:?}");
}
