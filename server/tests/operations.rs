//! Every operation of every provider over HTTP, the reply headers, the time control, health,
//! and the session as a vector the replay runner passes.

mod support;

use org_handshake::conformance::{replay, Reference, VectorFile};
use serde_json::json;
use support::*;

fn replays_clean(server: &Server, provider: &str, steps: usize) {
    let vector = server.vector(provider);
    assert_schema_valid(&vector);
    let file = VectorFile::parse(&vector.to_string()).unwrap();
    assert_eq!(file.steps.len(), steps, "{provider}");
    let outcomes = replay(&file, &mut Reference::default()).unwrap();
    for outcome in &outcomes {
        assert!(
            outcome.ok,
            "{provider} step {}: {:?}",
            outcome.step, outcome.mismatch
        );
    }
}

#[test]
fn aws_every_operation_with_its_headers() {
    let s = Server::start(&[]);
    let juan = AWS_ACCOUNTS[0];
    let invite = json!({"Target": {"Id": juan, "Type": "ACCOUNT"}, "Notes": "hi"});
    let r = s.aws("InviteAccountToOrganization", AWS_MANAGEMENT, &invite);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert!(r.header("x-amzn-requestid").is_some_and(|v| v.len() == 36));
    assert_eq!(r.header("x-amzn-errortype"), None);
    let id = r.json()["Handshake"]["Id"].as_str().unwrap().to_owned();
    let by_id = json!({ "HandshakeId": id });

    let r = s.aws("DescribeHandshake", juan, &by_id);
    assert_eq!(
        (r.status, r.json()["Handshake"]["State"].as_str()),
        (200, Some("OPEN"))
    );
    let r = s.aws("ListHandshakesForAccount", juan, &json!({}));
    assert_eq!(r.json()["Handshakes"].as_array().unwrap().len(), 1);
    let r = s.aws("ListHandshakesForOrganization", AWS_MANAGEMENT, &json!({}));
    assert_eq!(r.json()["Handshakes"].as_array().unwrap().len(), 1);
    let r = s.aws("AcceptHandshake", juan, &by_id);
    assert_eq!(r.json()["Handshake"]["State"], "ACCEPTED");

    let other = AWS_ACCOUNTS[1];
    let r = s.aws(
        "InviteAccountToOrganization",
        AWS_MANAGEMENT,
        &json!({"Target": {"Id": other, "Type": "ACCOUNT"}}),
    );
    let second = json!({ "HandshakeId": r.json()["Handshake"]["Id"] });
    assert_eq!(
        s.aws("DeclineHandshake", other, &second).json()["Handshake"]["State"],
        "DECLINED"
    );
    let third = AWS_ACCOUNTS[2];
    let r = s.aws(
        "InviteAccountToOrganization",
        AWS_MANAGEMENT,
        &json!({"Target": {"Id": third, "Type": "ACCOUNT"}}),
    );
    let third_id = json!({ "HandshakeId": r.json()["Handshake"]["Id"] });
    assert_eq!(
        s.aws("CancelHandshake", AWS_MANAGEMENT, &third_id).json()["Handshake"]["State"],
        "CANCELED"
    );

    // Errors: __type in the body, X-Amzn-ErrorType and a request id in the headers.
    let r = s.aws("CancelHandshake", AWS_MANAGEMENT, &third_id);
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["__type"], "HandshakeAlreadyInStateException");
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("HandshakeAlreadyInStateException")
    );
    assert!(r.header("x-amzn-requestid").is_some());
    let r = s.aws(
        "DescribeHandshake",
        AWS_MANAGEMENT,
        &json!({"HandshakeId": "h-0123456789abcdef"}),
    );
    assert_eq!(
        (r.status, r.header("x-amzn-errortype")),
        (404, Some("HandshakeNotFoundException"))
    );

    // The organization has all features already.
    let r = s.aws("EnableAllFeatures", AWS_MANAGEMENT, &json!({}));
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["Reason"], "ORGANIZATION_ALREADY_HAS_ALL_FEATURES");

    replays_clean(&s, "aws", 6);
}

#[test]
fn aws_enable_all_features_from_a_world_file() {
    let dir = temp_dir("eaf");
    let world = dir.join("world.json");
    std::fs::write(
        &world,
        json!({"aws": {"organizations": [{"id": "o-exampleorgid", "feature_set": "CONSOLIDATED_BILLING",
            "management_account": {"id": AWS_MANAGEMENT, "name": "Bill", "email": "bill@example.com"},
            "members": [AWS_MEMBER]}],
            "accounts": [{"id": AWS_MEMBER, "name": "anika"}]}})
        .to_string(),
    )
    .unwrap();
    let s = Server::start(&["--world", world.to_str().unwrap(), "--seed", "7"]);
    let parent = s
        .aws("EnableAllFeatures", AWS_MANAGEMENT, &json!({}))
        .json();
    assert_eq!(parent["Handshake"]["State"], "REQUESTED");
    let mine = s
        .aws("ListHandshakesForAccount", AWS_MEMBER, &json!({}))
        .json();
    let child = mine["Handshakes"][0]["Id"].clone();
    assert_eq!(
        s.aws(
            "AcceptHandshake",
            AWS_MEMBER,
            &json!({"HandshakeId": child})
        )
        .status,
        200
    );
    let done = s.aws(
        "AcceptHandshake",
        AWS_MANAGEMENT,
        &json!({"HandshakeId": parent["Handshake"]["Id"]}),
    );
    assert_eq!(done.json()["Handshake"]["State"], "ACCEPTED");
    // The default worlds of the other providers are still there.
    let r = s.huawei(
        "GET",
        "/v1/organizations/handshakes",
        HUAWEI_MANAGEMENT,
        None,
    );
    assert_eq!(r.status, 200);
    let vector = s.vector("aws");
    assert_eq!(
        vector["world"]["organizations"][0]["feature_set"],
        "CONSOLIDATED_BILLING"
    );
    assert_eq!(vector["steps"][0]["new_ids"].as_array().unwrap().len(), 2);
    replays_clean(&s, "aws", 3);
}

#[test]
fn huawei_every_operation_with_its_headers() {
    let s = Server::start(&[]);
    let [invitee, second, third, _] = HUAWEI_ACCOUNTS;
    let invite = |entity: &str| {
        s.huawei(
            "POST",
            "/v1/organizations/accounts/invite",
            HUAWEI_MANAGEMENT,
            Some(&json!({"target": {"type": "account", "entity": entity}, "notes": "n"})),
        )
    };
    let r = invite(invitee);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("x-request-id").is_some());
    let id = r.json()["handshake"]["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 34);
    let r = s.huawei(
        "GET",
        &format!("/v1/organizations/handshakes/{id}"),
        invitee,
        None,
    );
    assert_eq!(r.json()["handshake"]["status"], "pending");
    let r = s.huawei("GET", "/v1/received-handshakes?limit=10", invitee, None);
    assert_eq!(r.json()["handshakes"].as_array().unwrap().len(), 1);
    let r = s.huawei(
        "POST",
        &format!("/v1/received-handshakes/{id}/accept"),
        invitee,
        None,
    );
    assert_eq!(r.json()["handshake"]["status"], "accepted");
    let second_id = invite(second).json()["handshake"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = s.huawei(
        "POST",
        &format!("/v1/received-handshakes/{second_id}/decline"),
        second,
        None,
    );
    assert_eq!(r.json()["handshake"]["status"], "declined");
    let third_id = invite(third).json()["handshake"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cancel = format!("/v1/organizations/handshakes/{third_id}/cancel");
    assert_eq!(
        s.huawei("POST", &cancel, HUAWEI_MANAGEMENT, None).json()["handshake"]["status"],
        "cancelled"
    );
    let r = s.huawei("POST", &cancel, HUAWEI_MANAGEMENT, None);
    assert_eq!(r.json()["error_code"], "Organizations.1401");
    assert!(r.header("x-request-id").is_some());
    // Marker pagination.
    let page = s
        .huawei(
            "GET",
            "/v1/organizations/handshakes?limit=2",
            HUAWEI_MANAGEMENT,
            None,
        )
        .json();
    let marker = page["page_info"]["next_marker"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = s.huawei(
        "GET",
        &format!(
            "/v1/organizations/handshakes?limit=2&marker={}",
            encode(&marker)
        ),
        HUAWEI_MANAGEMENT,
        None,
    );
    assert_eq!(next.json()["handshakes"].as_array().unwrap().len(), 1);
    replays_clean(&s, "huawei", 6);
}

#[test]
fn alibaba_every_operation_in_both_rpc_styles() {
    let s = Server::start(&[]);
    let [invitee, second, third, _] = ALIBABA_ACCOUNTS;
    let r = s.alibaba(
        "InviteAccountToResourceDirectory",
        ALIBABA_MANAGEMENT,
        &[
            ("TargetEntity", invitee),
            ("TargetType", "Account"),
            ("Note", "hello world"),
            ("Tag.1.Key", "k"),
            ("Tag.1.Value", "v"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    let body = r.json();
    assert_eq!(body["Handshake"]["Note"], "hello world");
    assert!(body["RequestId"].as_str().is_some_and(|v| v.len() == 36));
    let id = body["Handshake"]["HandshakeId"]
        .as_str()
        .unwrap()
        .to_owned();
    // The older style: everything in the query, by GET.
    let r = s.alibaba_v2("GetHandshake", invitee, &[("HandshakeId", &id)]);
    assert_eq!(r.json()["Handshake"]["Status"], "Pending");
    let r = s.alibaba_v2("ListHandshakesForAccount", invitee, &[]);
    assert_eq!(r.json()["TotalCount"], 1);
    let r = s.alibaba("AcceptHandshake", invitee, &[("HandshakeId", &id)]);
    assert_eq!(r.json()["Handshake"]["Status"], "Accepted");
    // The older style by POST with a form body.
    let form = encode_query(&[
        ("Action", "InviteAccountToResourceDirectory"),
        ("Version", "2020-03-31"),
        ("AccessKeyId", ALIBABA_MANAGEMENT),
        ("TargetEntity", second),
        ("TargetType", "Account"),
    ]);
    let r = s.request(
        "POST",
        "/",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let second_id = r.json()["Handshake"]["HandshakeId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = s.alibaba("DeclineHandshake", second, &[("HandshakeId", &second_id)]);
    assert_eq!(r.json()["Handshake"]["Status"], "Declined");
    let r = s.alibaba(
        "InviteAccountToResourceDirectory",
        ALIBABA_MANAGEMENT,
        &[("TargetEntity", third), ("TargetType", "Account")],
    );
    let third_id = r.json()["Handshake"]["HandshakeId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = s.alibaba(
        "CancelHandshake",
        ALIBABA_MANAGEMENT,
        &[("HandshakeId", &third_id)],
    );
    assert_eq!(r.json()["Handshake"]["Status"], "Cancelled");
    let r = s.alibaba(
        "CancelHandshake",
        ALIBABA_MANAGEMENT,
        &[("HandshakeId", &third_id)],
    );
    assert_eq!(
        (r.status, r.json()["Code"].as_str()),
        (409, Some("HandshakeStatusMismatch"))
    );
    assert!(r.json()["RequestId"].is_string());
    let r = s.alibaba(
        "ListHandshakesForResourceDirectory",
        ALIBABA_MANAGEMENT,
        &[("PageSize", "2")],
    );
    assert_eq!(
        (
            r.json()["TotalCount"].as_u64(),
            r.json()["Handshakes"]["Handshake"]
                .as_array()
                .unwrap()
                .len()
        ),
        (Some(3), 2)
    );
    let vector = s.vector("alibaba");
    assert!(vector["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["request_id"].is_string()));
    // The journaled request holds the operation's own parameters, not the RPC common ones.
    assert_eq!(
        vector["steps"][2]["request"],
        json!({"TargetEntity": second, "TargetType": "Account"})
    );
    replays_clean(&s, "alibaba", 6);
}

#[test]
fn callers_come_from_credentials_else_the_management_account() {
    let s = Server::start(&[]);
    // Not an account id: the first organization's management account.
    let invite = json!({"Target": {"Id": AWS_ACCOUNTS[0], "Type": "ACCOUNT"}});
    let r = s.aws(
        "InviteAccountToOrganization",
        "AKIAIOSFODNN7EXAMPLE",
        &invite,
    );
    assert_eq!(r.status, 200);
    // No credential at all.
    let r = s.request(
        "POST",
        "/",
        &[(
            "X-Amz-Target",
            "AWSOrganizationsV20161128.ListHandshakesForOrganization",
        )],
        b"{}",
    );
    assert_eq!(r.json()["Handshakes"].as_array().unwrap().len(), 1);
    // A 12-digit key is that account.
    let r = s.aws("ListHandshakesForOrganization", AWS_ACCOUNTS[0], &json!({}));
    assert_eq!(r.json()["__type"], "AWSOrganizationsNotInUseException");
    // Huawei without X-Domain-Id: the management account.
    let r = s.request("GET", "/v1/organizations/handshakes", &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    // Alibaba with an AccessKey that is not an account id.
    let r = s.alibaba(
        "ListHandshakesForResourceDirectory",
        "LTAI5tExampleKey",
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn time_control_moves_forward_only_and_expires_handshakes() {
    let s = Server::start(&[]);
    let before = s.now();
    let later = s.advance(16 * 86_400);
    assert!(later > before, "{later} > {before}");
    assert!(s.now() >= later);
    let r = s.request(
        "POST",
        "/_org-handshake/time",
        &[],
        br#"{"advance_seconds": -5}"#,
    );
    assert_eq!(r.status, 400);
    let r = s.request("POST", "/_org-handshake/time", &[], b"not json");
    assert_eq!(r.status, 400);
    assert!(s.now() >= later);
    let r = s.aws(
        "InviteAccountToOrganization",
        AWS_MANAGEMENT,
        &json!({"Target": {"Id": AWS_ACCOUNTS[0], "Type": "ACCOUNT"}}),
    );
    let id = json!({"HandshakeId": r.json()["Handshake"]["Id"]});
    s.advance(15 * 86_400 + 1);
    assert_eq!(
        s.aws("DescribeHandshake", AWS_MANAGEMENT, &id).json()["Handshake"]["State"],
        "EXPIRED"
    );
    s.advance(30 * 86_400 + 1);
    assert_eq!(s.aws("DescribeHandshake", AWS_MANAGEMENT, &id).status, 404);
    let r = s.request("GET", "/_org-handshake/health", &[], b"");
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("ok")));
}

#[test]
fn seeded_ids_repeat_for_the_same_seed() {
    let ids = |seed: &str| {
        let s = Server::start(&["--seed", seed]);
        AWS_ACCOUNTS
            .iter()
            .map(|a| {
                s.aws(
                    "InviteAccountToOrganization",
                    AWS_MANAGEMENT,
                    &json!({"Target": {"Id": a, "Type": "ACCOUNT"}}),
                )
                .json()["Handshake"]["Id"]
                    .clone()
            })
            .collect::<Vec<_>>()
    };
    let first = ids("42");
    assert_eq!(first, ids("42"));
    assert_ne!(first, ids("43"));
}
