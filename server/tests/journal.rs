//! The journal: what it holds, crash (SIGKILL) and restart with nothing acknowledged lost, a
//! torn last line, a tampered journal refused, the clock across restarts.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use support::*;

/// A few calls of every provider that change state, and some that do not.
fn session(s: &Server) {
    let invite = |account: &str| {
        s.aws(
            "InviteAccountToOrganization",
            AWS_MANAGEMENT,
            &json!({"Target": {"Id": account, "Type": "ACCOUNT"}}),
        )
        .json()["Handshake"]["Id"]
            .clone()
    };
    let first = invite(AWS_ACCOUNTS[0]);
    invite(AWS_ACCOUNTS[1]);
    s.aws(
        "AcceptHandshake",
        AWS_ACCOUNTS[0],
        &json!({ "HandshakeId": first }),
    );
    s.aws(
        "DescribeHandshake",
        AWS_ACCOUNTS[0],
        &json!({ "HandshakeId": first }),
    );
    let r = s.huawei(
        "POST",
        "/v1/organizations/accounts/invite",
        HUAWEI_MANAGEMENT,
        Some(&json!({"target": {"type": "account", "entity": HUAWEI_ACCOUNTS[0]}, "notes": ""})),
    );
    let id = r.json()["handshake"]["id"].as_str().unwrap().to_owned();
    s.huawei(
        "POST",
        &format!("/v1/received-handshakes/{id}/decline"),
        HUAWEI_ACCOUNTS[0],
        None,
    );
    let r = s.alibaba(
        "InviteAccountToResourceDirectory",
        ALIBABA_MANAGEMENT,
        &[
            ("TargetEntity", ALIBABA_ACCOUNTS[0]),
            ("TargetType", "Account"),
        ],
    );
    let id = r.json()["Handshake"]["HandshakeId"]
        .as_str()
        .unwrap()
        .to_owned();
    s.alibaba(
        "CancelHandshake",
        ALIBABA_MANAGEMENT,
        &[("HandshakeId", &id)],
    );
    s.alibaba("GetHandshake", ALIBABA_MANAGEMENT, &[("HandshakeId", &id)]);
}

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_journal_holds_each_state_changing_call_and_restarts_to_the_same_state() {
    let dir = temp_dir("restart");
    let journal = dir.join("journal.jsonl");
    let s = Server::with_journal(&journal);
    session(&s);
    let written = lines(&journal);
    let ops: Vec<(&str, &str)> = written
        .iter()
        .map(|l| {
            (
                l["provider"].as_str().unwrap(),
                l["operation"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            ("aws", "InviteAccountToOrganization"),
            ("aws", "InviteAccountToOrganization"),
            ("aws", "AcceptHandshake"),
            ("huawei", "invite_account"),
            ("huawei", "decline_handshake"),
            ("alibaba", "InviteAccountToResourceDirectory"),
            ("alibaba", "CancelHandshake"),
        ]
    );
    for line in &written {
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in ["provider", "at", "caller", "operation", "request", "expect"] {
            assert!(keys.contains(&key), "{key} in {line}");
        }
        assert_eq!(
            line["request_id"].is_string(),
            line["provider"] == "alibaba"
        );
    }
    let before = s.snapshot();
    let vectors: Vec<Value> = ["aws", "huawei", "alibaba"]
        .iter()
        .map(|p| s.vector(p))
        .collect();
    s.kill();

    let s = Server::with_journal(&journal);
    assert!(s.log().contains("replayed 7 journal lines"), "{}", s.log());
    assert_eq!(s.snapshot(), before);
    let again: Vec<Value> = ["aws", "huawei", "alibaba"]
        .iter()
        .map(|p| s.vector(p))
        .collect();
    assert_eq!(again, vectors);
    // Ids minted after the restart do not repeat earlier ones.
    let r = s.aws(
        "InviteAccountToOrganization",
        AWS_MANAGEMENT,
        &json!({"Target": {"Id": AWS_ACCOUNTS[2], "Type": "ACCOUNT"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(lines(&journal).len(), 8);
}

#[test]
fn a_sigkill_mid_run_loses_nothing_acknowledged() {
    let dir = temp_dir("sigkill");
    let journal = dir.join("journal.jsonl");
    let s = Server::start(&["--journal", journal.to_str().unwrap(), "--seed", "3"]);
    let addr = s.addr.clone();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for (n, account) in AWS_ACCOUNTS.iter().enumerate() {
        let (acknowledged, stop, addr) =
            (Arc::clone(&acknowledged), Arc::clone(&stop), addr.clone());
        let account = (*account).to_owned();
        clients.push(std::thread::spawn(move || {
            for round in 0..200 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let invite = json!({"Target": {"Id": account, "Type": "ACCOUNT"}, "Notes": format!("{n}-{round}")});
                let Some(r) = try_send(&addr, &aws_request("InviteAccountToOrganization", AWS_MANAGEMENT, &invite)) else {
                    break;
                };
                if r.status != 200 {
                    continue;
                }
                let id = r.json()["Handshake"]["Id"].as_str().unwrap().to_owned();
                acknowledged.lock().unwrap().push((id.clone(), "OPEN"));
                let cancel = aws_request("CancelHandshake", AWS_MANAGEMENT, &json!({ "HandshakeId": id }));
                let Some(r) = try_send(&addr, &cancel) else { break };
                if r.status == 200 {
                    acknowledged.lock().unwrap().push((id, "CANCELED"));
                }
            }
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.kill();
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        let _ = client.join();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 4,
        "only {} calls acknowledged before the kill",
        acknowledged.len()
    );

    let s = Server::with_journal(&journal);
    for (id, state) in &acknowledged {
        let r = s.aws(
            "DescribeHandshake",
            AWS_MANAGEMENT,
            &json!({ "HandshakeId": id }),
        );
        assert_eq!(r.status, 200, "{id}: {}", r.text());
        let now = r.json()["Handshake"]["State"].as_str().unwrap().to_owned();
        // A cancel acknowledged after its invite: the later state wins.
        if *state == "CANCELED" {
            assert_eq!(now, "CANCELED", "{id}");
        }
    }
    // The restarted session replays as a vector.
    let vector = s.vector("aws");
    let file = org_handshake::conformance::VectorFile::parse(&vector.to_string()).unwrap();
    let outcomes = org_handshake::conformance::replay(
        &file,
        &mut org_handshake::conformance::Reference::default(),
    )
    .unwrap();
    assert!(outcomes.iter().all(|o| o.ok));
    assert!(outcomes.len() >= acknowledged.len());
}

#[test]
fn a_torn_last_line_is_reported_and_dropped() {
    let dir = temp_dir("torn");
    let journal = dir.join("journal.jsonl");
    let s = Server::with_journal(&journal);
    session(&s);
    let before = s.snapshot();
    s.kill();
    let complete = std::fs::read(&journal).unwrap();
    let mut torn = complete.clone();
    torn.extend_from_slice(br#"{"provider":"aws","at":"2026-"#);
    std::fs::write(&journal, &torn).unwrap();

    let s = Server::with_journal(&journal);
    assert!(s.log().contains("journal line 8 was torn"), "{}", s.log());
    assert_eq!(s.snapshot(), before);
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        complete,
        "the torn bytes are cut off"
    );
    // New lines follow the last complete one.
    s.aws(
        "InviteAccountToOrganization",
        AWS_MANAGEMENT,
        &json!({"Target": {"Id": AWS_ACCOUNTS[3], "Type": "ACCOUNT"}}),
    );
    assert_eq!(lines(&journal).len(), 8);
}

#[test]
fn a_tampered_journal_is_refused_naming_the_line() {
    let dir = temp_dir("tampered");
    let journal = dir.join("journal.jsonl");
    let s = Server::with_journal(&journal);
    session(&s);
    s.kill();
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut edited: Vec<String> = text.lines().map(str::to_owned).collect();
    // Line 3 (AWS AcceptHandshake) claims a reply the call does not give.
    assert!(edited[2].contains("\"ACCEPTED\""));
    edited[2] = edited[2].replace("\"ACCEPTED\"", "\"DECLINED\"");
    std::fs::write(&journal, edited.join("\n") + "\n").unwrap();
    let err = Server::try_start(&["--journal", journal.to_str().unwrap()])
        .err()
        .unwrap();
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("differs"), "{err}");

    // A line that is not a journal line at all.
    let mut garbage: Vec<String> = text.lines().map(str::to_owned).collect();
    garbage[1] = "{\"provider\": \"aws\"".into();
    std::fs::write(&journal, garbage.join("\n") + "\n").unwrap();
    let err = Server::try_start(&["--journal", journal.to_str().unwrap()])
        .err()
        .unwrap();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn the_clock_never_runs_backwards_across_restarts() {
    let dir = temp_dir("clock");
    let journal = dir.join("journal.jsonl");
    let s = Server::with_journal(&journal);
    let moved = s.advance(40 * 86_400);
    s.kill();
    let s = Server::with_journal(&journal);
    assert!(s.now() >= moved, "{} >= {moved}", s.now());
}
