//! 8 clients × 100 mixed calls at once: no lost update, and the final state equals the journal
//! replayed (by a restarted server, and by the replay runner).

mod support;

use org_handshake::conformance::{replay, Reference, VectorFile};
use serde_json::json;
use support::*;

/// One client's 100 calls across the three providers: invitations, answers, reads.
fn client(addr: &str, n: usize) -> usize {
    let mut changed = 0;
    let aws_account = AWS_ACCOUNTS[n % AWS_ACCOUNTS.len()];
    let huawei_account = HUAWEI_ACCOUNTS[n % HUAWEI_ACCOUNTS.len()];
    let alibaba_account = ALIBABA_ACCOUNTS[n % ALIBABA_ACCOUNTS.len()];
    for round in 0..10 {
        // AWS: invite (may be a duplicate of another client's), then the invitee or the sender
        // answers, then reads.
        let invite = json!({"Target": {"Id": aws_account, "Type": "ACCOUNT"}, "Notes": format!("c{n} r{round}")});
        let invited = send(
            addr,
            &aws_request("InviteAccountToOrganization", AWS_MANAGEMENT, &invite),
        );
        assert!(matches!(invited.status, 200 | 409), "{}", invited.text());
        changed += usize::from(invited.status == 200);
        let listed = send(
            addr,
            &aws_request(
                "ListHandshakesForAccount",
                aws_account,
                &json!({"MaxResults": 20}),
            ),
        );
        assert_eq!(listed.status, 200);
        let open: Vec<String> = listed.json()["Handshakes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["State"] == "OPEN")
            .map(|h| h["Id"].as_str().unwrap().to_owned())
            .collect();
        if let Some(id) = open.first() {
            let (op, who) = if round % 2 == 0 {
                ("DeclineHandshake", aws_account)
            } else {
                ("CancelHandshake", AWS_MANAGEMENT)
            };
            let r = send(addr, &aws_request(op, who, &json!({ "HandshakeId": id })));
            assert!(matches!(r.status, 200 | 404 | 409), "{}", r.text());
            changed += usize::from(r.status == 200);
        }
        let r = send(
            addr,
            &aws_request(
                "DescribeHandshake",
                aws_account,
                &json!({"HandshakeId": "h-0123456789abcdef"}),
            ),
        );
        assert_eq!(r.status, 404);
        // Huawei: invite, then the invitee declines what it finds.
        let body = json!({"target": {"type": "account", "entity": huawei_account}, "notes": format!("c{n}")});
        let mut session = Vec::new();
        let invite = build(
            "POST",
            "/v1/organizations/accounts/invite",
            &[
                ("Content-Type", "application/json"),
                ("X-Domain-Id", HUAWEI_MANAGEMENT),
            ],
            body.to_string().as_bytes(),
        );
        session.push(send(addr, &invite).status);
        let received = send(
            addr,
            &build(
                "GET",
                "/v1/received-handshakes",
                &[("X-Domain-Id", huawei_account)],
                b"",
            ),
        );
        let pending: Vec<String> = received.json()["handshakes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["status"] == "pending")
            .map(|h| h["id"].as_str().unwrap().to_owned())
            .collect();
        if let Some(id) = pending.first() {
            let r = send(
                addr,
                &build(
                    "POST",
                    &format!("/v1/received-handshakes/{id}/decline"),
                    &[("X-Domain-Id", huawei_account)],
                    b"",
                ),
            );
            changed += usize::from(r.status == 200);
        }
        // Alibaba: invite, list, cancel what is pending.
        let query = encode_query(&[
            ("Action", "InviteAccountToResourceDirectory"),
            ("Version", "2020-03-31"),
            ("AccessKeyId", ALIBABA_MANAGEMENT),
            ("TargetEntity", alibaba_account),
            ("TargetType", "Account"),
        ]);
        session.push(send(addr, &build("GET", &format!("/?{query}"), &[], b"")).status);
        let query = encode_query(&[
            ("Action", "ListHandshakesForAccount"),
            ("AccessKeyId", alibaba_account),
            ("PageSize", "100"),
        ]);
        let mine = send(addr, &build("GET", &format!("/?{query}"), &[], b""));
        let pending: Vec<String> = mine.json()["Handshakes"]["Handshake"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["Status"] == "Pending")
            .map(|h| h["HandshakeId"].as_str().unwrap().to_owned())
            .collect();
        if let Some(id) = pending.first() {
            let query = encode_query(&[
                ("Action", "CancelHandshake"),
                ("AccessKeyId", ALIBABA_MANAGEMENT),
                ("HandshakeId", id),
            ]);
            let r = send(addr, &build("GET", &format!("/?{query}"), &[], b""));
            changed += usize::from(r.status == 200);
        }
        changed += session.iter().filter(|s| **s == 200).count();
    }
    changed
}

#[test]
fn eight_clients_at_once_leave_the_state_the_journal_replays_to() {
    let dir = temp_dir("concurrency");
    let journal = dir.join("journal.jsonl");
    let s = Server::start(&["--journal", journal.to_str().unwrap(), "--seed", "11"]);
    let workers: Vec<_> = (0..8)
        .map(|n| {
            let addr = s.addr.clone();
            std::thread::spawn(move || client(&addr, n))
        })
        .collect();
    let changed: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let journaled = std::fs::read_to_string(&journal).unwrap().lines().count();
    assert!(journaled > 50, "{journaled} lines");
    // Every call answered 200 that changes state is one line (and nothing else is).
    let vectors: Vec<_> = ["aws", "huawei", "alibaba"]
        .iter()
        .map(|p| s.vector(p))
        .collect();
    let steps: usize = vectors
        .iter()
        .map(|v| v["steps"].as_array().unwrap().len())
        .sum();
    assert_eq!(steps, journaled);
    assert_eq!(changed, journaled);
    for vector in &vectors {
        let file = VectorFile::parse(&vector.to_string()).unwrap();
        let outcomes = replay(&file, &mut Reference::default()).unwrap();
        assert!(outcomes.iter().all(|o| o.ok), "{}", file.provider);
    }
    let live = s.snapshot();
    s.kill();
    let restarted = Server::with_journal(&journal);
    assert_eq!(restarted.snapshot(), live);
}
