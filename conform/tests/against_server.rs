//! The whole corpus over the wire against org-handshake-server (`--target org-handshake`), and
//! against two deliberately wrong servers: one whose overrides file changes an error code, one
//! behind a proxy that answers `REQUESTED` where the server said `OPEN`. The runner must fail
//! exactly the steps that depend on what was broken, a set computed here from the vectors
//! alone.
//!
//! Every step passes but those the provider's SDK cannot send (a Huawei path parameter absent or
//! not a string: the dialect's `encode` has no wire form for them), and they are skipped with
//! that reason. A step whose caller is no account id of the provider's pattern names it in
//! `x-org-handshake-caller` (an SDK credential naming no account acts as the server's default
//! account); in generic mode, which has no such header, those steps fail.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use org_handshake::conformance::VectorFile;
use org_handshake::provider::Provider;
use serde_json::Value;

/// A step: the vector's id and the step's index.
type StepKey = (String, usize);

fn corpus(provider: Provider) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/conformance")
        .join(provider.as_str())
}

fn vectors(provider: Provider) -> Vec<VectorFile> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus(provider))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| VectorFile::parse(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// The steps of `provider`'s corpus for which `pick` holds.
fn steps_where(
    provider: Provider,
    pick: impl Fn(&VectorFile, &org_handshake::conformance::Step) -> bool,
) -> BTreeSet<StepKey> {
    vectors(provider)
        .iter()
        .flat_map(|file| {
            file.steps
                .iter()
                .enumerate()
                .filter(|(_, step)| pick(file, step))
                .map(|(i, _)| (file.id.clone(), i))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Steps whose caller no SDK credential can name.
fn unknown_callers(provider: Provider) -> BTreeSet<StepKey> {
    steps_where(provider, |_, step| {
        provider.dialect().account_id(&step.caller).is_none()
    })
}

/// Steps the provider's SDK could not send: those its dialect has no wire form for (a Huawei
/// path parameter absent or not a string). A `$ref` stands for the string an earlier reply
/// gives it.
fn unsendable(provider: Provider) -> BTreeSet<StepKey> {
    fn refs_as_strings(value: &Value) -> Value {
        match value {
            Value::Object(map) if map.contains_key("$ref") => Value::from("h-0123456789"),
            Value::Object(map) => map
                .iter()
                .map(|(key, value)| (key.clone(), refs_as_strings(value)))
                .collect(),
            Value::Array(items) => items.iter().map(refs_as_strings).collect(),
            other => other.clone(),
        }
    }
    steps_where(provider, |_, step| {
        provider
            .dialect()
            .encode(
                &step.operation,
                &step.caller,
                &refs_as_strings(&step.request),
            )
            .is_err()
    })
}

/// Starts org-handshake-server in this process on a free port with `extra` arguments, and
/// waits until it answers.
fn start_server(extra: &[&str]) -> String {
    let port = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let listen = format!("127.0.0.1:{port}");
    let mut args: Vec<String> = vec![
        "org-handshake-server".into(),
        "--listen".into(),
        listen.clone(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    // The server runs until the test process ends.
    thread::spawn(move || org_handshake_server::run_from_args(args));
    let started = Instant::now();
    while TcpStream::connect(&listen).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        thread::sleep(Duration::from_millis(20));
    }
    format!("http://{listen}")
}

/// The verdicts of a run: (failed, skipped) steps and the number passed.
struct Verdicts {
    passed: usize,
    failed: BTreeSet<StepKey>,
    skipped: BTreeSet<StepKey>,
    stdout: String,
    exit: Option<i32>,
}

fn conform(endpoint: &str, provider: Provider, name: &str) -> Verdicts {
    conform_with(endpoint, provider, name, &["--target", "org-handshake"])
}

fn conform_with(endpoint: &str, provider: Provider, name: &str, extra: &[&str]) -> Verdicts {
    let report = std::env::temp_dir().join(format!(
        "conform-{}-{name}-{}.json",
        std::process::id(),
        provider.as_str()
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_org-handshake-conform"))
        .args(["--endpoint", endpoint, "--provider", provider.as_str()])
        .args(extra)
        .arg("--json")
        .arg(&report)
        .arg(corpus(provider))
        .output()
        .unwrap();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let mut verdicts = Verdicts {
        passed: 0,
        failed: BTreeSet::new(),
        skipped: BTreeSet::new(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        exit: output.status.code(),
    };
    for step in json["steps"].as_array().unwrap() {
        let key = (
            step["vector"].as_str().unwrap().to_owned(),
            step["step"].as_u64().unwrap() as usize,
        );
        match step["verdict"].as_str().unwrap() {
            "pass" => verdicts.passed += 1,
            "fail" => {
                verdicts.failed.insert(key);
            }
            "skipped" => {
                verdicts.skipped.insert(key);
            }
            other => panic!("verdict {other}"),
        }
    }
    verdicts
}

fn total_steps(provider: Provider) -> usize {
    vectors(provider).iter().map(|f| f.steps.len()).sum()
}

#[test]
fn the_whole_corpus_passes_against_org_handshake_server() {
    // The corpus holds steps no SDK can send, so the skipped set below is not vacuous.
    assert!(Provider::values()
        .iter()
        .any(|provider| !unsendable(*provider).is_empty()));
    let endpoint = start_server(&[]);
    for provider in Provider::values() {
        let run = conform(&endpoint, *provider, "plain");
        assert_eq!(
            run.failed,
            BTreeSet::new(),
            "{}\n{}",
            provider.as_str(),
            run.stdout
        );
        assert_eq!(run.skipped, unsendable(*provider), "{}", run.stdout);
        assert_eq!(
            run.passed + run.failed.len() + run.skipped.len(),
            total_steps(*provider)
        );
        assert!(run.passed > 100, "{}", run.stdout);
        let summary = format!(
            "{} passed, {} failed, {} skipped",
            run.passed,
            run.failed.len(),
            run.skipped.len()
        );
        assert!(run.stdout.contains(&summary), "{}", run.stdout);
        // Any failure makes the exit status non-zero.
        assert_eq!(run.exit, Some(i32::from(!run.failed.is_empty())));
    }
}

#[test]
fn a_changed_error_code_fails_exactly_the_steps_expecting_it() {
    let overrides =
        std::env::temp_dir().join(format!("conform-overrides-{}.json", std::process::id()));
    std::fs::write(
        &overrides,
        r#"{"aws": [{"kind": "not_found", "from": "HandshakeNotFoundException", "code": "NoSuchHandshakeException"}]}"#,
    )
    .unwrap();
    let endpoint = start_server(&["--overrides", overrides.to_str().unwrap()]);
    let run = conform(&endpoint, Provider::Aws, "overrides");
    let expecting_the_code = steps_where(Provider::Aws, |_, step| {
        step.expect
            .body
            .to_string()
            .contains("\"HandshakeNotFoundException\"")
    });
    assert!(!expecting_the_code.is_empty());
    assert_eq!(run.failed, expecting_the_code, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("expected \"HandshakeNotFoundException\", got \"NoSuchHandshakeException\""),
        "{}",
        run.stdout
    );
    assert_eq!(run.exit, Some(1));
}

/// A proxy in front of `upstream` that turns every `"OPEN"` of a reply body into
/// `"REQUESTED"`, as an emulator that creates invitations in the wrong state answers.
fn wrong_state_proxy(upstream: &str) -> String {
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let upstream = upstream.clone();
            thread::spawn(move || {
                let _ = relay(client, &upstream);
            });
        }
    });
    format!("http://{addr}")
}

/// One request: read it whole, send it on with `connection: close`, read the reply to its
/// end, rewrite it and answer.
fn relay(mut client: TcpStream, upstream: &str) -> std::io::Result<()> {
    let request = read_message(&mut client)?;
    let mut server = TcpStream::connect(upstream)?;
    let (head, body) = split(&request);
    let head = with_header(&head, "connection", "close");
    server.write_all(head.as_bytes())?;
    server.write_all(&body)?;
    let mut reply = Vec::new();
    server.read_to_end(&mut reply)?;
    let (head, body) = split(&reply);
    let body = String::from_utf8_lossy(&body).replace("\"OPEN\"", "\"REQUESTED\"");
    let head = with_header(&head, "content-length", &body.len().to_string());
    let head = with_header(&head, "connection", "close");
    client.write_all(head.as_bytes())?;
    client.write_all(body.as_bytes())
}

/// A message's head (ending in the blank line) and body.
fn split(message: &[u8]) -> (String, Vec<u8>) {
    let at = message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(message.len(), |i| i + 4);
    (
        String::from_utf8_lossy(&message[..at]).into_owned(),
        message[at..].to_vec(),
    )
}

/// `head` with the header `name` set to `value`.
fn with_header(head: &str, name: &str, value: &str) -> String {
    let mut lines: Vec<&str> = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with(&format!("{name}:")))
        .collect();
    let header = format!("{name}: {value}");
    lines.push(&header);
    format!("{}\r\n\r\n", lines.join("\r\n"))
}

/// A request read to the end of its `content-length` body.
fn read_message(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(seen);
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
                return Ok(seen);
            }
        }
    }
}

#[test]
fn a_wrong_state_fails_exactly_the_steps_expecting_open() {
    let endpoint = wrong_state_proxy(&start_server(&[]));
    let run = conform(&endpoint, Provider::Aws, "wrong-state");
    let expecting_open = steps_where(Provider::Aws, |_, step| {
        step.expect.body.to_string().contains("\"OPEN\"")
    });
    assert!(expecting_open.len() > 20, "{expecting_open:?}");
    assert_eq!(run.failed, expecting_open, "{}", run.stdout);
    assert!(
        run.stdout.contains("expected \"OPEN\", got \"REQUESTED\""),
        "{}",
        run.stdout
    );
}

/// The steps a generic target with no time control cannot run: from the first step an hour or
/// more past the vector's start to the vector's end.
fn after_a_clock_move(provider: Provider) -> BTreeSet<StepKey> {
    vectors(provider)
        .iter()
        .flat_map(|file| {
            let start = file.steps.first().map(|s| s.at);
            let first = file.steps.iter().position(|step| {
                start.is_some_and(|start| step.at - start >= chrono::TimeDelta::hours(1))
            });
            (first.unwrap_or(file.steps.len())..file.steps.len())
                .map(|i| (file.id.clone(), i))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Generic mode, held to org-handshake-server treated as a foreign target: it mints its own
/// handshake and request ids and keeps the wall clock, the world is loaded by a "reset"
/// request (its world endpoint), and nothing is created. Every step the mode can run passes:
/// ids are bound and substituted, times compared as offsets, listings reordered by bound id.
#[test]
fn generic_mode_binds_what_the_target_mints() {
    let endpoint = start_server(&[]);
    let bindings = std::env::temp_dir().join(format!("conform-self-{}.json", std::process::id()));
    std::fs::write(
        &bindings,
        r#"{"reset": {"method": "POST", "path": "/_org-handshake/world",
             "body": {"provider": "{provider}", "world": "{world}"}},
            "create_world": false}"#,
    )
    .unwrap();
    for provider in Provider::values() {
        let run = conform_with(
            &endpoint,
            *provider,
            "generic",
            &[
                "--target",
                "generic",
                "--bindings",
                bindings.to_str().unwrap(),
            ],
        );
        let skipped: BTreeSet<StepKey> = after_a_clock_move(*provider)
            .union(&unsendable(*provider))
            .cloned()
            .collect();
        assert_eq!(run.skipped, skipped, "{}", run.stdout);
        let failed: BTreeSet<StepKey> = unknown_callers(*provider)
            .difference(&skipped)
            .cloned()
            .collect();
        assert_eq!(run.failed, failed, "{}", run.stdout);
        assert!(run.passed > 50, "{}", run.stdout);
    }
}
