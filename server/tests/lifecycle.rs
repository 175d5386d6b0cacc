//! The server's life outside single requests: a graceful stop on SIGTERM (the request in flight
//! finishes and is journaled, exit 0), running out of file descriptors (backed off, logged at a
//! bounded rate, serving again once descriptors free up), and the connection cap.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::json;
use support::*;

/// The bytes of an AWS invitation of `target`, split before the body's last bytes.
fn split_invite(target: &str) -> (Vec<u8>, Vec<u8>) {
    let raw = aws_request(
        "InviteAccountToOrganization",
        AWS_MANAGEMENT,
        &json!({"Target": {"Id": target, "Type": "ACCOUNT"}}),
    );
    let cut = raw.len() - 5;
    (raw[..cut].to_vec(), raw[cut..].to_vec())
}

fn read_response(stream: &mut TcpStream) -> Option<Response> {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

#[test]
fn sigterm_finishes_the_request_in_flight_journals_it_and_exits_zero() {
    let dir = temp_dir("sigterm");
    let journal = dir.join("journal.jsonl");
    let mut s = Server::with_journal(&journal);
    let (head, tail) = split_invite(AWS_ACCOUNTS[0]);
    let mut stream = TcpStream::connect(&s.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(&head).unwrap();
    // The request is in flight (its body half sent) when the signal comes.
    std::thread::sleep(Duration::from_millis(200));
    let pid = s.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(300));
    // No new connection is accepted once stopping.
    assert!(try_send(&s.addr, &build("GET", "/_org-handshake/health", &[], b"")).is_none());
    stream.write_all(&tail).unwrap();
    let r = read_response(&mut stream).expect("the request in flight got no response");
    assert_eq!(r.status, 200, "{}", r.text());
    let id = r.json()["Handshake"]["Id"].as_str().unwrap().to_owned();
    let status = s.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{}", s.log());
    let lines = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(lines.lines().count(), 1, "{lines}");
    assert!(lines.contains(&id), "{lines}");
    drop(s);
    // And it is there after a restart.
    let s = Server::with_journal(&journal);
    let r = s.aws(
        "DescribeHandshake",
        AWS_MANAGEMENT,
        &json!({ "HandshakeId": id }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_or_ctrl_c_on_an_idle_server_exits_zero_at_once() {
    for signal in ["-TERM", "-INT"] {
        let mut s = Server::start(&[]);
        // An idle keep-alive connection does not hold the stop back.
        let _idle = TcpStream::connect(&s.addr).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        let pid = s.child.id().to_string();
        assert!(std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap()
            .success());
        let status = s.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{signal}: {}", s.log());
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

#[test]
fn out_of_descriptors_the_server_backs_off_logs_little_and_serves_again() {
    let dir = temp_dir("emfile");
    let journal = dir.join("journal.jsonl");
    let journal_arg = journal.to_str().unwrap().to_owned();
    // `ulimit` through sh rather than prlimit(1): POSIX, so no util-linux needed.
    let s = Server::try_start_under(
        &["sh", "-c", "ulimit -n 64 && exec \"$0\" \"$@\""],
        &["--journal", &journal_arg],
    )
    .unwrap();
    // More idle connections than the server has descriptors: the kernel completes them, and
    // the server runs out accepting them.
    let idle: Vec<TcpStream> = (0..150)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_secs(3));
    let log = s.log();
    let warnings = log.lines().filter(|l| l.contains("accept")).count();
    assert!(
        (1..=2).contains(&warnings),
        "{warnings} accept warnings in 3 s: {log}"
    );
    assert!(log.len() < 4096, "{} bytes of log in 3 s", log.len());
    drop(idle);
    // Once they close, a journaled call is served (within the backoff, bounded here).
    let started = Instant::now();
    let r = loop {
        let (head, tail) = split_invite(AWS_ACCOUNTS[1]);
        let mut raw = head;
        raw.extend_from_slice(&tail);
        match try_send(&s.addr, &raw) {
            Some(r) => break r,
            None if started.elapsed() < Duration::from_secs(20) => {
                std::thread::sleep(Duration::from_millis(200))
            }
            None => panic!(
                "no answer 20 s after the idle connections closed: {}",
                s.log()
            ),
        }
    };
    assert_eq!(r.status, 200, "{}", r.text());
    let lines = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(lines.lines().count(), 1, "{lines}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn past_max_connections_a_new_connection_waits_until_one_closes() {
    let s = Server::start(&["--max-connections", "2"]);
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut waiting = TcpStream::connect(&s.addr).unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    waiting
        .write_all(&build("GET", "/_org-handshake/health", &[], b""))
        .unwrap();
    let mut byte = [0u8; 1];
    let early = waiting.read(&mut byte);
    assert!(
        early.is_err(),
        "answered past the cap of 2 connections: {early:?}"
    );
    drop(idle);
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let r = read_response(&mut waiting).expect("no answer once a connection closed");
    assert_eq!(r.status, 200, "{}", r.text());
}
