//! The controls a test suite or a conformance runner drives over HTTP: replacing a provider's
//! world, resetting every provider, the per-call time, ids and request id, the operations each
//! provider serves, error-code overrides, request-id headers, and what the log names. Each one
//! journaled where it changes state, so a restart reproduces the session.

mod support;

use serde_json::{json, Value};
use support::*;

const NOW: &str = "2026-01-05T10:00:00Z";
/// `NOW` as AWS's epoch seconds.
const NOW_EPOCH: f64 = 1_767_607_200.0;

fn aws_world() -> Value {
    json!({
        "organizations": [{
            "id": "o-abcdefghij", "feature_set": "ALL",
            "management_account": {"id": "999999999999", "name": "zoe", "email": "zoe@example.com"}
        }],
        "accounts": [{"id": "888888888888", "name": "yann", "email": "yann@example.com"}]
    })
}

fn post_world(s: &Server, body: &Value) -> Response {
    s.request(
        "POST",
        "/_org-handshake/world",
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

/// An AWS call with the per-call control headers.
fn aws_at(
    s: &Server,
    operation: &str,
    key: &str,
    body: &Value,
    controls: &[(&str, &str)],
) -> Response {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={key}/20260105/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=00"
    );
    let target = format!("AWSOrganizationsV20161128.{operation}");
    let mut headers = vec![
        ("X-Amz-Target", target.as_str()),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Authorization", auth.as_str()),
    ];
    headers.extend_from_slice(controls);
    s.request("POST", "/", &headers, body.to_string().as_bytes())
}

#[test]
fn a_replaced_world_with_set_time_ids_and_request_id_is_journaled_and_survives_a_restart() {
    let dir = temp_dir("world");
    let journal = dir.join("journal.jsonl");
    let s = Server::with_journal(&journal);
    let r = post_world(&s, &json!({"provider": "aws", "world": aws_world()}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"provider": "aws"}));

    let invite = json!({"Target": {"Id": "888888888888", "Type": "ACCOUNT"}});
    let r = aws_at(
        &s,
        "InviteAccountToOrganization",
        "999999999999",
        &invite,
        &[
            ("x-org-handshake-now", NOW),
            ("x-org-handshake-new-ids", "h-abcdefghij"),
            ("x-org-handshake-request-id", "req-fixed-1"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let handshake = &r.json()["Handshake"];
    assert_eq!(handshake["Id"], "h-abcdefghij");
    assert_eq!(handshake["RequestedTimestamp"].as_f64(), Some(NOW_EPOCH));
    assert_eq!(r.header("x-amzn-RequestId"), Some("req-fixed-1"));

    // The vector starts from the replaced world and holds the call as it ran.
    let vector = s.vector("aws");
    assert_schema_valid(&vector);
    let world: Value = vector["world"].clone();
    assert_eq!(world["organizations"][0]["id"], "o-abcdefghij");
    assert_eq!(world["accounts"][0]["id"], "888888888888");
    assert_eq!(vector["steps"].as_array().unwrap().len(), 1);
    assert_eq!(vector["steps"][0]["at"], NOW);
    assert_eq!(vector["steps"][0]["new_ids"], json!(["h-abcdefghij"]));

    // A time before the ledger's last change is refused, and changes nothing.
    let r = aws_at(
        &s,
        "AcceptHandshake",
        "888888888888",
        &json!({"HandshakeId": "h-abcdefghij"}),
        &[("x-org-handshake-now", "2026-01-05T09:00:00Z")],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(r.json()["__type"], "ConcurrentModificationException");

    s.kill();
    let s = Server::with_journal(&journal);
    assert_eq!(s.vector("aws"), vector);
    let r = aws_at(
        &s,
        "DescribeHandshake",
        "888888888888",
        &json!({"HandshakeId": "h-abcdefghij"}),
        &[("x-org-handshake-now", "2026-01-06T10:00:00Z")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["Handshake"]["State"], "OPEN");

    // A second replacement may start earlier than the first world's calls: a new ledger has
    // no past. The journal replays it too.
    assert_eq!(
        post_world(&s, &json!({"provider": "aws", "world": aws_world()})).status,
        200
    );
    let r = aws_at(
        &s,
        "InviteAccountToOrganization",
        "999999999999",
        &invite,
        &[
            ("x-org-handshake-now", "2025-03-01T00:00:00Z"),
            ("x-org-handshake-new-ids", "h-0000000001"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let second = s.vector("aws");
    assert_eq!(second["steps"].as_array().unwrap().len(), 1);
    s.kill();
    let s = Server::with_journal(&journal);
    assert_eq!(s.vector("aws"), second);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_world_that_cannot_exist_or_is_malformed_is_refused_and_changes_nothing() {
    let s = Server::start(&[]);
    let before = s.vector("huawei");
    for body in [
        // AWS ids in Huawei's world.
        json!({"provider": "huawei", "world": aws_world()}),
        json!({"provider": "azure", "world": {}}),
        json!({"provider": "huawei"}),
        json!({"provider": "huawei", "world": {"acounts": []}}),
    ] {
        let r = post_world(&s, &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let r = s.request("POST", "/_org-handshake/world", &[], b"{not json");
    assert_eq!(r.status, 400);
    assert_eq!(s.vector("huawei"), before);
}

#[test]
fn reset_returns_every_provider_to_its_starting_world_and_stays_reset_after_a_restart() {
    let dir = temp_dir("reset");
    let journal = dir.join("journal.jsonl");
    let s = Server::with_journal(&journal);
    let start = s.vector("aws");
    let invite = json!({"Target": {"Id": AWS_ACCOUNTS[0], "Type": "ACCOUNT"}});
    let r = s.aws("InviteAccountToOrganization", AWS_MANAGEMENT, &invite);
    assert_eq!(r.status, 200, "{}", r.text());
    let id = r.json()["Handshake"]["Id"].as_str().unwrap().to_owned();
    assert_eq!(
        post_world(&s, &json!({"provider": "aws", "world": aws_world()})).status,
        200
    );
    let r = s.request("POST", "/_org-handshake/reset", &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());

    let check = |s: &Server| {
        let vector = s.vector("aws");
        assert_eq!(vector["world"], start["world"]);
        assert_eq!(vector["steps"], json!([]));
        let r = s.aws(
            "DescribeHandshake",
            AWS_MANAGEMENT,
            &json!({ "HandshakeId": id }),
        );
        assert_eq!(r.status, 404, "{}", r.text());
    };
    check(&s);
    s.kill();
    let s = Server::with_journal(&journal);
    check(&s);
    // The invitation can be sent again: nothing of the first one is left.
    let r = s.aws("InviteAccountToOrganization", AWS_MANAGEMENT, &invite);
    assert_eq!(r.status, 200, "{}", r.text());
    let lines = std::fs::read_to_string(&journal).unwrap();
    assert!(
        lines.lines().any(|l| l == r#"{"control":"reset"}"#),
        "{lines}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn operations_are_listed_per_provider_and_each_listed_aws_one_is_served() {
    let s = Server::start(&[]);
    let r = s.request("GET", "/_org-handshake/operations", &[], b"");
    assert_eq!(r.status, 200);
    let operations = r.json();
    let keys: Vec<&String> = operations.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{operations}");
    for provider in ["aws", "huawei", "alibaba"] {
        assert!(
            !operations[provider].as_array().unwrap().is_empty(),
            "{provider}"
        );
    }
    for operation in operations["aws"].as_array().unwrap() {
        let operation = operation.as_str().unwrap();
        let r = s.aws(operation, AWS_MANAGEMENT, &json!({}));
        assert_ne!(
            r.header("X-Amzn-ErrorType"),
            Some("UnknownOperationException"),
            "{operation}: {}",
            r.text()
        );
    }
    let r = s.aws("NoSuchOperation", AWS_MANAGEMENT, &json!({}));
    assert_eq!(
        r.header("X-Amzn-ErrorType"),
        Some("UnknownOperationException")
    );

    let help = std::process::Command::new(BIN)
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    for provider in ["aws", "huawei", "alibaba"] {
        for operation in operations[provider].as_array().unwrap() {
            assert!(text.contains(operation.as_str().unwrap()), "{operation}");
        }
    }
}

#[test]
fn an_overrides_file_changes_the_answered_code_and_a_bad_one_is_reported_once() {
    let dir = temp_dir("overrides");
    let file = dir.join("overrides.json");
    std::fs::write(
        &file,
        r#"{"aws": [{"kind": "not_found", "from": "HandshakeNotFoundException", "code": "RenamedNotFound", "status": 410}]}"#,
    )
    .unwrap();
    let s = Server::start(&["--overrides", file.to_str().unwrap()]);
    let r = s.aws(
        "DescribeHandshake",
        AWS_MANAGEMENT,
        &json!({"HandshakeId": "h-0123456789"}),
    );
    assert_eq!(r.status, 410, "{}", r.text());
    assert_eq!(r.header("X-Amzn-ErrorType"), Some("RenamedNotFound"));
    // Other codes are as they were.
    let r = s.aws("NoSuchOperation", AWS_MANAGEMENT, &json!({}));
    assert_eq!(
        r.header("X-Amzn-ErrorType"),
        Some("UnknownOperationException")
    );
    drop(s);

    std::fs::write(
        &file,
        r#"{"aws": [{"kind": "not_found", "from": "NoSuchCodeAnywhere", "code": "X"}]}"#,
    )
    .unwrap();
    let Err(err) = Server::try_start(&["--overrides", file.to_str().unwrap()]) else {
        panic!("the server started with an override that selects no row");
    };
    assert_eq!(err.matches("NoSuchCodeAnywhere").count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_reply_carries_a_request_id_header_even_when_the_caller_sends_none() {
    let s = Server::start(&[]);
    // Alibaba's request id is in its body; the header repeats it.
    let r = s.alibaba(
        "GetHandshake",
        ALIBABA_MANAGEMENT,
        &[("HandshakeId", "h-0123456789abcdef")],
    );
    let in_body = r.json()["RequestId"].as_str().unwrap().to_owned();
    assert!(!in_body.is_empty());
    assert_eq!(r.header("X-Request-Id"), Some(in_body.as_str()));
    // AWS and Huawei in their own headers, a fresh id each time.
    let a = s.aws(
        "DescribeHandshake",
        AWS_MANAGEMENT,
        &json!({"HandshakeId": "h-0123456789"}),
    );
    let b = s.aws(
        "DescribeHandshake",
        AWS_MANAGEMENT,
        &json!({"HandshakeId": "h-0123456789"}),
    );
    // One request-id header each, the provider's own.
    assert_eq!(a.header("X-Request-Id"), None);
    let (a, b) = (a.header("x-amzn-RequestId"), b.header("x-amzn-RequestId"));
    assert!(a.is_some_and(|id| id.len() == 36), "{a:?}");
    assert_ne!(a, b);
    let r = s.huawei(
        "GET",
        "/v1/organizations/handshakes/h-0123456789abcdef",
        HUAWEI_MANAGEMENT,
        None,
    );
    assert!(r.header("X-Request-Id").is_some());
    // The server's own replies too.
    for target in ["/_org-handshake/health", "/nothing-here"] {
        let r = s.request("GET", target, &[], b"");
        assert!(r.header("X-Request-Id").is_some(), "{target}");
    }
}

#[test]
fn bad_control_headers_are_refused_naming_the_header() {
    let s = Server::start(&[]);
    let invite = json!({"Target": {"Id": AWS_ACCOUNTS[0], "Type": "ACCOUNT"}});
    for (header, value) in [
        ("x-org-handshake-now", "yesterday"),
        ("x-org-handshake-new-ids", "not-an-id"),
    ] {
        let r = aws_at(
            &s,
            "InviteAccountToOrganization",
            AWS_MANAGEMENT,
            &invite,
            &[(header, value)],
        );
        assert_eq!(r.status, 400, "{header}: {}", r.text());
        assert!(r.json()["message"].as_str().unwrap().contains(header));
    }
    // Nothing was created.
    assert_eq!(s.vector("aws")["steps"], json!([]));
}

#[test]
fn the_log_line_names_an_unknown_operation() {
    let s = Server::start(&[]);
    s.aws("NoSuchOperationAtAll", AWS_MANAGEMENT, &json!({}));
    let r = s.huawei("GET", "/v1/no-such-path", HUAWEI_MANAGEMENT, None);
    assert_ne!(r.status, 200);
    std::thread::sleep(std::time::Duration::from_millis(100));
    let log = s.log();
    let line = |needle: &str| {
        log.lines()
            .find(|l| l.contains("request") && l.contains(needle))
            .unwrap_or_else(|| panic!("no request line names {needle}: {log}"))
            .to_owned()
    };
    line("NoSuchOperationAtAll");
    line("/v1/no-such-path");
}

#[test]
fn the_readme_lists_every_operation_the_server_serves() {
    let s = Server::start(&[]);
    let operations = s
        .request("GET", "/_org-handshake/operations", &[], b"")
        .json();
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .unwrap();
    for (provider, names) in operations.as_object().unwrap() {
        for name in names.as_array().unwrap() {
            let quoted = format!("`{}`", name.as_str().unwrap());
            assert!(
                readme.contains(&quoted),
                "README misses {provider} {quoted}"
            );
        }
    }
}

#[test]
fn under_a_seed_a_restart_continues_the_id_stream_past_given_ids() {
    let invite = |s: &Server, account: &str, given: Option<&str>| {
        let body = json!({"Target": {"Id": account, "Type": "ACCOUNT"}});
        let controls: Vec<(&str, &str)> = given
            .map(|id| vec![("x-org-handshake-new-ids", id)])
            .unwrap_or_default();
        let r = aws_at(
            s,
            "InviteAccountToOrganization",
            AWS_MANAGEMENT,
            &body,
            &controls,
        );
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["Handshake"]["Id"].as_str().unwrap().to_owned()
    };
    let session = |restart: bool| {
        let dir = temp_dir("seeded");
        let journal = dir.join("journal.jsonl");
        let args = ["--journal", journal.to_str().unwrap(), "--seed", "5"];
        let s = Server::start(&args);
        let mut ids = vec![
            invite(&s, AWS_ACCOUNTS[0], None),
            invite(&s, AWS_ACCOUNTS[1], Some("h-givengiven1")),
        ];
        let s = if restart {
            s.kill();
            Server::start(&args)
        } else {
            s
        };
        ids.push(invite(&s, AWS_ACCOUNTS[2], None));
        let _ = std::fs::remove_dir_all(&dir);
        ids
    };
    let straight = session(false);
    assert_eq!(straight[1], "h-givengiven1");
    assert_ne!(straight[0], straight[2]);
    assert_eq!(session(true), straight);
}

#[test]
fn under_a_seed_a_restart_gives_no_request_id_given_before_it() {
    let dir = temp_dir("request-ids");
    let journal = dir.join("journal.jsonl");
    let args = ["--journal", journal.to_str().unwrap(), "--seed", "5"];
    // A journaled call, then reads, which the journal does not hold.
    let calls = |s: &Server, target: &str| -> Vec<String> {
        let invite = json!({"Target": {"Id": target, "Type": "ACCOUNT"}});
        let mut replies = vec![s.aws("InviteAccountToOrganization", AWS_MANAGEMENT, &invite)];
        for _ in 0..3 {
            replies.push(s.aws("ListHandshakesForOrganization", AWS_MANAGEMENT, &json!({})));
        }
        replies
            .iter()
            .map(|r| {
                assert_eq!(r.status, 200, "{}", r.text());
                r.header("x-amzn-RequestId")
                    .expect("a request id")
                    .to_owned()
            })
            .collect()
    };
    let s = Server::start(&args);
    let before = calls(&s, AWS_ACCOUNTS[0]);
    s.kill();
    let s = Server::start(&args);
    let after = calls(&s, AWS_ACCOUNTS[1]);
    s.kill();
    let _ = std::fs::remove_dir_all(&dir);
    let repeated: Vec<&String> = after.iter().filter(|id| before.contains(id)).collect();
    assert!(
        repeated.is_empty(),
        "given again after the restart: {repeated:?}"
    );
}

#[test]
fn the_caller_header_names_the_caller_as_it_is_and_the_journal_records_it() {
    let s = Server::start(&[]);
    let r = s.aws(
        "InviteAccountToOrganization",
        AWS_MANAGEMENT,
        &json!({"Target": {"Id": AWS_ACCOUNTS[0], "Type": "ACCOUNT"}}),
    );
    let id = r.json()["Handshake"]["Id"].as_str().unwrap().to_owned();
    let handshake = json!({ "HandshakeId": id });
    // Another account than the credentials': not a party, so not found.
    let r = aws_at(
        &s,
        "DescribeHandshake",
        AWS_ACCOUNTS[0],
        &handshake,
        &[("x-org-handshake-caller", AWS_ACCOUNTS[1])],
    );
    assert_eq!(r.status, 404, "{}", r.text());
    // A caller no credential could name is refused by the provider's own rules.
    let r = aws_at(
        &s,
        "DescribeHandshake",
        AWS_ACCOUNTS[0],
        &handshake,
        &[("x-org-handshake-caller", "not-an-account")],
    );
    assert!((400..500).contains(&r.status), "{}", r.text());
    // A key that names no account would act as the management account; the header decides.
    let r = aws_at(
        &s,
        "AcceptHandshake",
        "AKIAEXAMPLEKEY",
        &handshake,
        &[("x-org-handshake-caller", AWS_ACCOUNTS[0])],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let vector = s.vector("aws");
    assert_eq!(vector["steps"][1]["caller"], AWS_ACCOUNTS[0]);
}
