//! HTTP routing: each dialect maps a request as its provider's own SDK sends it (captured from
//! boto3, huaweicloudsdkorganizations and alibabacloud_resourcemanager20200331; see the
//! provider modules' docs) to an operation, the request in the provider's shape and the
//! credential; what it cannot route gets the provider's own error reply; and a routed request
//! runs through `Service` to the same answer as a hand-built call.

use org_handshake::ledger::World;
use org_handshake::provider::{Call, HttpRequest, Provider, Reply, Service};
use org_handshake::ErrorKind;
use serde_json::{json, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const AWS_SIGV4: &str = "AWS4-HMAC-SHA256 Credential=222222222222/20261129/us-east-1/organizations/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc";
const ALIBABA_V3: &str =
    "ACS3-HMAC-SHA256 Credential=1772422852740001,SignedHeaders=host;x-acs-action,Signature=abc";

fn aws_world() -> Result<World, serde_json::Error> {
    serde_json::from_value(json!({
        "organizations": [{"id": "o-exampleorgid",
            "management_account": {"id": "111111111111", "name": "bill", "email": "bill@example.com"}}],
        "accounts": [{"id": "222222222222", "name": "juan", "email": "juan@example.com"}]
    }))
}

fn huawei_world() -> Result<World, serde_json::Error> {
    serde_json::from_value(json!({
        "organizations": [{"id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv",
            "management_account": {"id": "0a6d25d23900d45c0faac010e0fb4de0", "name": "paas_iam_573331"}}],
        "accounts": [{"id": "05c734152f00d4200f2bc0179ac6c5e0", "name": "juan"}]
    }))
}

fn alibaba_world() -> Result<World, serde_json::Error> {
    serde_json::from_value(json!({
        "organizations": [{"id": "rd-3G6rzX",
            "management_account": {"id": "1512666876910001", "name": "CompanyA"}}],
        "accounts": [{"id": "1772422852740001", "name": "juan"}]
    }))
}

fn error_of(reply: &Reply) -> Option<ErrorKind> {
    reply.error
}

// ---------------------------------------------------------------------------------------------
// Which provider

#[test]
fn each_protocol_is_claimed_by_its_provider_only() {
    let aws_headers = [(
        "X-Amz-Target",
        "AWSOrganizationsV20161128.DescribeHandshake",
    )];
    let aws = HttpRequest::new("POST", "/").with_headers(&aws_headers);
    let huawei = HttpRequest::new("GET", "/v1/organizations/handshakes");
    let acs_headers = [
        ("x-acs-action", "GetHandshake"),
        ("x-acs-version", "2020-03-31"),
    ];
    let alibaba_v3 = HttpRequest::new("POST", "/").with_headers(&acs_headers);
    let alibaba_v2 =
        HttpRequest::new("GET", "/").with_query("Action=GetHandshake&Version=2020-03-31");
    assert_eq!(Provider::for_request(&aws), Some(Provider::Aws));
    assert_eq!(Provider::for_request(&huawei), Some(Provider::Huawei));
    assert_eq!(Provider::for_request(&alibaba_v3), Some(Provider::Alibaba));
    assert_eq!(Provider::for_request(&alibaba_v2), Some(Provider::Alibaba));
    // The ACS version header alone marks an Alibaba client that forgot its action: Alibaba
    // answers it, with its own refusal of the missing action.
    let version_only = [("x-acs-version", "2020-03-31")];
    let no_action = HttpRequest::new("POST", "/").with_headers(&version_only);
    assert_eq!(Provider::for_request(&no_action), Some(Provider::Alibaba));
    // The older style by POST, its action in the form body (but a form body alone is no one's).
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let in_form = HttpRequest::new("POST", "/")
        .with_headers(&form)
        .with_body(b"Action=GetHandshake&Version=2020-03-31&HandshakeId=h-0000000000000000");
    assert_eq!(Provider::for_request(&in_form), Some(Provider::Alibaba));
    let no_action = HttpRequest::new("POST", "/")
        .with_headers(&form)
        .with_body(b"HandshakeId=h-0000000000000000");
    assert_eq!(Provider::for_request(&no_action), None);
    // A parameter whose name merely contains "Action" is not the RPC action.
    let other = HttpRequest::new("GET", "/").with_query("ActionType=INVITE");
    assert_eq!(Provider::for_request(&other), None);
    assert_eq!(
        Provider::for_request(&HttpRequest::new("GET", "/health")),
        None
    );
}

// ---------------------------------------------------------------------------------------------
// AWS

#[test]
fn aws_routes_by_target_and_reads_the_sigv4_key() -> TestResult {
    let service = Service::new(Provider::Aws, &aws_world()?)?;
    let headers = [
        ("x-amz-target", "AWSOrganizationsV20161128.AcceptHandshake"),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Authorization", AWS_SIGV4),
    ];
    let request = HttpRequest::new("POST", "/")
        .with_headers(&headers)
        .with_body(br#"{"HandshakeId": "h-0123456789"}"#);
    let routed = service.route(&request, "").map_err(|reply| reply.body)?;
    assert_eq!(routed.operation, "AcceptHandshake");
    assert_eq!(routed.request, json!({"HandshakeId": "h-0123456789"}));
    assert_eq!(routed.credential.as_deref(), Some("222222222222"));
    assert_eq!(
        service.caller_for(routed.credential.as_deref()),
        "222222222222"
    );
    // An empty input is `{}` (botocore sends `{}`; a bare POST is read the same way).
    let empty = HttpRequest::new("POST", "/").with_headers(&headers[..1]);
    let routed = service.route(&empty, "").map_err(|reply| reply.body)?;
    assert_eq!(routed.request, json!({}));
    assert_eq!(routed.credential, None);
    assert_eq!(service.caller_for(None), "111111111111");
    Ok(())
}

#[test]
fn aws_refuses_what_it_cannot_route_in_its_own_shape() -> TestResult {
    let service = Service::new(Provider::Aws, &aws_world()?)?;
    let unknown = [("X-Amz-Target", "AWSOrganizationsV20161128.CreateAccount")];
    let reply = service
        .route(&HttpRequest::new("POST", "/").with_headers(&unknown), "")
        .expect_err("an operation outside the handshake API");
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["__type"], "UnknownOperationException");
    assert_eq!(error_of(&reply), Some(ErrorKind::Unsupported));
    assert_eq!(
        reply.header("X-Amzn-ErrorType"),
        reply.json()["__type"].as_str()
    );
    assert_eq!(
        reply.header("Content-Type"),
        Some("application/x-amz-json-1.1")
    );

    let wrong_prefix = [("X-Amz-Target", "AmazonSSM.DescribeHandshake")];
    let reply = service
        .route(
            &HttpRequest::new("POST", "/").with_headers(&wrong_prefix),
            "",
        )
        .expect_err("another service's target");
    assert_eq!(error_of(&reply), Some(ErrorKind::Unsupported));

    let good = [(
        "X-Amz-Target",
        "AWSOrganizationsV20161128.DescribeHandshake",
    )];
    for body in [&b"{\"HandshakeId\": "[..], b"not json", b"\xff\xfe"] {
        let reply = service
            .route(
                &HttpRequest::new("POST", "/")
                    .with_headers(&good)
                    .with_body(body),
                "",
            )
            .expect_err("malformed json");
        assert_eq!(reply.status, 400);
        assert_eq!(reply.json()["__type"], "SerializationException");
    }
    let reply = service
        .route(&HttpRequest::new("GET", "/").with_headers(&good), "")
        .expect_err("JSON 1.1 is POST only");
    assert_eq!(error_of(&reply), Some(ErrorKind::Unsupported));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Huawei

#[test]
fn huawei_routes_every_sdk_path() -> TestResult {
    let service = Service::new(Provider::Huawei, &huawei_world()?)?;
    let cases = [
        (
            "POST",
            "/v1/organizations/accounts/invite",
            "invite_account",
            None,
        ),
        (
            "POST",
            "/v1/received-handshakes/h-abc12345/accept",
            "accept_handshake",
            Some("h-abc12345"),
        ),
        (
            "POST",
            "/v1/received-handshakes/h-abc12345/decline",
            "decline_handshake",
            Some("h-abc12345"),
        ),
        (
            "POST",
            "/v1/organizations/handshakes/h-abc12345/cancel",
            "cancel_handshake",
            Some("h-abc12345"),
        ),
        (
            "GET",
            "/v1/organizations/handshakes/h-abc12345",
            "show_handshake",
            Some("h-abc12345"),
        ),
        (
            "GET",
            "/v1/organizations/handshakes",
            "list_handshakes",
            None,
        ),
        (
            "GET",
            "/v1/received-handshakes",
            "list_received_handshakes",
            None,
        ),
    ];
    for (method, path, operation, id) in cases {
        let routed = service
            .route(&HttpRequest::new(method, path), "")
            .map_err(|reply| reply.body)?;
        assert_eq!(routed.operation, operation, "{method} {path}");
        assert_eq!(
            routed.request["path"]["handshake_id"].as_str(),
            id,
            "{path}"
        );
        assert_eq!(
            routed.operation,
            Provider::Huawei
                .dialect()
                .operations()
                .iter()
                .find(|o| **o == operation)
                .copied()
                .unwrap_or_default()
        );
    }
    Ok(())
}

#[test]
fn huawei_reads_query_body_and_domain_id() -> TestResult {
    let service = Service::new(Provider::Huawei, &huawei_world()?)?;
    let headers = [("X-Domain-Id", "05c734152f00d4200f2bc0179ac6c5e0")];
    let routed = service
        .route(
            &HttpRequest::new("GET", "/v1/received-handshakes")
                .with_query("limit=2&marker=ab%2Bc%3D")
                .with_headers(&headers),
            "",
        )
        .map_err(|reply| reply.body)?;
    assert_eq!(
        routed.request,
        json!({"query": {"limit": "2", "marker": "ab+c="}})
    );
    assert_eq!(
        service.caller_for(routed.credential.as_deref()),
        "05c734152f00d4200f2bc0179ac6c5e0"
    );

    let body = br#"{"target": {"type": "account", "entity": "05c734152f00d4200f2bc0179ac6c5e0"}, "notes": ""}"#;
    let routed = service
        .route(
            &HttpRequest::new("POST", "/v1/organizations/accounts/invite").with_body(body),
            "",
        )
        .map_err(|reply| reply.body)?;
    assert_eq!(routed.request["body"]["target"]["type"], "account");
    // No domain id: the first organization's management account.
    assert_eq!(
        service.caller_for(routed.credential.as_deref()),
        "0a6d25d23900d45c0faac010e0fb4de0"
    );
    // A domain id that is not a Huawei account id names no account.
    assert_eq!(
        service.caller_for(Some("not-an-account")),
        "0a6d25d23900d45c0faac010e0fb4de0"
    );
    Ok(())
}

#[test]
fn huawei_refuses_unknown_routes_and_bad_bodies_in_its_own_shape() -> TestResult {
    let service = Service::new(Provider::Huawei, &huawei_world()?)?;
    for (method, path) in [
        ("GET", "/v1/organizations/accounts/invite"),
        ("DELETE", "/v1/organizations/handshakes/h-abc12345"),
        ("POST", "/v1/organizations/handshakes"),
        ("GET", "/v1/received-handshakes/h-abc12345/accept/extra"),
        ("GET", "/v1/organizations/policies"),
    ] {
        let reply = service
            .route(&HttpRequest::new(method, path), "")
            .expect_err("no such route");
        assert_eq!(
            error_of(&reply),
            Some(ErrorKind::Unsupported),
            "{method} {path}"
        );
        assert!(reply.json()["error_code"].is_string(), "{}", reply.json());
        assert!(reply.json()["error_msg"].is_string(), "{}", reply.json());
    }
    let reply = service
        .route(
            &HttpRequest::new("POST", "/v1/organizations/accounts/invite").with_body(b"{oops"),
            "",
        )
        .expect_err("malformed json");
    assert_eq!(error_of(&reply), Some(ErrorKind::InvalidInput));
    let ids = [("X-Request-Id", "req-7")];
    let reply = service
        .route(
            &HttpRequest::new("GET", "/v1/nowhere").with_headers(&ids),
            "req-7",
        )
        .expect_err("no such route");
    assert_eq!(reply.header("X-Request-Id"), Some("req-7"));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Alibaba

#[test]
fn alibaba_routes_both_rpc_styles() -> TestResult {
    let service = Service::new(Provider::Alibaba, &alibaba_world()?)?;
    // The current SDK: action and version in headers, parameters in the query, ACS3 signature.
    let headers = [
        ("x-acs-action", "AcceptHandshake"),
        ("x-acs-version", "2020-03-31"),
        ("Authorization", ALIBABA_V3),
    ];
    let routed = service
        .route(
            &HttpRequest::new("POST", "/")
                .with_query("HandshakeId=h-Ih8IuPfvV0t0abcd")
                .with_headers(&headers),
            "",
        )
        .map_err(|reply| reply.body)?;
    assert_eq!(routed.operation, "AcceptHandshake");
    assert_eq!(routed.request, json!({"HandshakeId": "h-Ih8IuPfvV0t0abcd"}));
    assert_eq!(
        service.caller_for(routed.credential.as_deref()),
        "1772422852740001"
    );

    // The older style: everything in the query, protocol parameters dropped.
    let query = "Action=ListHandshakesForAccount&Version=2020-03-31&Format=JSON&AccessKeyId=1772422852740001\
        &SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n&Timestamp=2026-11-29T22%3A28%3A50Z\
        &Signature=abc%3D&PageSize=5";
    let routed = service
        .route(&HttpRequest::new("GET", "/").with_query(query), "")
        .map_err(|reply| reply.body)?;
    assert_eq!(routed.operation, "ListHandshakesForAccount");
    assert_eq!(routed.request, json!({"PageSize": "5"}));
    assert_eq!(routed.credential.as_deref(), Some("1772422852740001"));

    // A POST with a form body.
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let routed = service
        .route(
            &HttpRequest::new("POST", "/")
                .with_query("Action=InviteAccountToResourceDirectory")
                .with_headers(&form)
                .with_body(b"TargetEntity=1772422852740001&TargetType=Account&Note=hello+there"),
            "",
        )
        .map_err(|reply| reply.body)?;
    assert_eq!(
        routed.request,
        json!({"TargetEntity": "1772422852740001", "TargetType": "Account", "Note": "hello there"})
    );
    // A key that is not a 16-digit account acts as the first resource directory's management account.
    assert_eq!(
        service.caller_for(Some("LTAI5tExample")),
        "1512666876910001"
    );
    Ok(())
}

#[test]
fn alibaba_refuses_an_unknown_action_in_its_own_shape() -> TestResult {
    let service = Service::new(Provider::Alibaba, &alibaba_world()?)?;
    let reply = service
        .route(
            &HttpRequest::new("GET", "/").with_query("Action=CreateResourceDirectory"),
            "",
        )
        .expect_err("not a handshake operation");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["Code"], "InvalidAction.NotFound");
    // A JSON body that does not parse names no parameter: the plain InvalidParameter.
    let json = [
        ("x-acs-action", "GetHandshake"),
        ("Content-Type", "application/json"),
    ];
    let reply = service
        .route(
            &HttpRequest::new("POST", "/")
                .with_headers(&json)
                .with_body(b"{oops"),
            "",
        )
        .expect_err("a malformed body");
    assert_eq!(
        (reply.status, &reply.json()["Code"]),
        (400, &serde_json::json!("InvalidParameter"))
    );
    assert!(reply.json()["RequestId"].is_string());
    Ok(())
}

#[test]
fn alibaba_answers_a_request_with_a_version_but_no_action() -> TestResult {
    let headers = [("x-acs-version", "2020-03-31")];
    let request = HttpRequest::new("POST", "/").with_headers(&headers);
    let provider = Provider::for_request(&request).ok_or("the version header is Alibaba's")?;
    let service = Service::new(provider, &alibaba_world()?)?;
    let reply = service
        .route(&request, "req-1")
        .expect_err("no action to route to");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["Code"], "InvalidAction.NotFound");
    assert_eq!(reply.json()["RequestId"], "req-1");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Routed requests answer as hand-built calls do

#[test]
fn a_routed_request_answers_like_the_call_it_names() -> TestResult {
    let now = "2026-01-05T10:00:00Z".parse()?;
    let mut by_route = Service::new(Provider::Aws, &aws_world()?)?;
    let mut by_hand = by_route.clone();
    let headers = [
        (
            "X-Amz-Target",
            "AWSOrganizationsV20161128.InviteAccountToOrganization",
        ),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/organizations/aws4_request",
        ),
    ];
    let body = br#"{"Target": {"Id": "222222222222", "Type": "ACCOUNT"}}"#;
    let routed = by_route
        .route(
            &HttpRequest::new("POST", "/")
                .with_headers(&headers)
                .with_body(body),
            "",
        )
        .map_err(|reply| reply.body)?;
    let caller = by_route.caller_for(routed.credential.as_deref());
    let ids = ["h-0123456789abcdef"];
    let routed_reply = by_route.call(
        &Call::new(routed.operation, &caller, now, &routed.request)
            .with_new_ids(&ids)
            .with_request_id("r-1"),
    )?;
    let request: Value = serde_json::from_slice(body)?;
    let hand_reply = by_hand.call(
        &Call::new("InviteAccountToOrganization", "111111111111", now, &request)
            .with_new_ids(&ids)
            .with_request_id("r-1"),
    )?;
    assert_eq!(routed_reply, hand_reply);
    assert_eq!(routed_reply.status, 200);
    assert!(routed_reply.changed());
    assert_eq!(routed_reply.header("x-amzn-RequestId"), Some("r-1"));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Membership operations, as each SDK sends them

#[test]
fn aws_routes_every_membership_target() -> TestResult {
    let service = Service::new(Provider::Aws, &aws_world()?)?;
    for (operation, body) in [
        ("CreateOrganization", r#"{"FeatureSet": "ALL"}"#),
        ("DescribeOrganization", "{}"),
        ("DeleteOrganization", "{}"),
        ("ListAccounts", r#"{"MaxResults": 5}"#),
        ("DescribeAccount", r#"{"AccountId": "222222222222"}"#),
        ("LeaveOrganization", "{}"),
        (
            "RemoveAccountFromOrganization",
            r#"{"AccountId": "222222222222"}"#,
        ),
    ] {
        let target = format!("AWSOrganizationsV20161128.{operation}");
        let headers = [
            ("X-Amz-Target", target.as_str()),
            ("Authorization", AWS_SIGV4),
        ];
        let routed = service
            .route(
                &HttpRequest::new("POST", "/")
                    .with_headers(&headers)
                    .with_body(body.as_bytes()),
                "",
            )
            .map_err(|reply| reply.body)?;
        assert_eq!(routed.operation, operation);
        assert_eq!(routed.request, serde_json::from_str::<Value>(body)?);
        assert_eq!(routed.credential.as_deref(), Some("222222222222"));
    }
    Ok(())
}

#[test]
fn huawei_routes_every_membership_path_of_the_sdk() -> TestResult {
    let service = Service::new(Provider::Huawei, &huawei_world()?)?;
    let account = "05c734152f00d4200f2bc0179ac6c5e0";
    let cases = [
        ("POST", "/v1/organizations", "create_organization", None),
        ("GET", "/v1/organizations", "show_organization", None),
        ("DELETE", "/v1/organizations", "delete_organization", None),
        ("GET", "/v1/organizations/accounts", "list_accounts", None),
        (
            "GET",
            "/v1/organizations/accounts/05c734152f00d4200f2bc0179ac6c5e0",
            "show_account",
            Some(account),
        ),
        (
            "POST",
            "/v1/organizations/leave",
            "leave_organization",
            None,
        ),
        (
            "POST",
            "/v1/organizations/accounts/05c734152f00d4200f2bc0179ac6c5e0/remove",
            "remove_account",
            Some(account),
        ),
    ];
    for (method, path, operation, id) in cases {
        let routed = service
            .route(&HttpRequest::new(method, path), "")
            .map_err(|reply| reply.body)?;
        assert_eq!(routed.operation, operation, "{method} {path}");
        assert_eq!(routed.request["path"]["account_id"].as_str(), id, "{path}");
    }
    // The list's query travels as text.
    let routed = service
        .route(
            &HttpRequest::new("GET", "/v1/organizations/accounts")
                .with_query("limit=2&marker=abcd1234"),
            "",
        )
        .map_err(|reply| reply.body)?;
    assert_eq!(
        routed.request,
        json!({"query": {"limit": "2", "marker": "abcd1234"}})
    );
    // A method the path does not have is an unknown route.
    for (method, path) in [
        ("PUT", "/v1/organizations"),
        ("DELETE", "/v1/organizations/accounts"),
        ("GET", "/v1/organizations/leave"),
        (
            "GET",
            "/v1/organizations/accounts/05c734152f00d4200f2bc0179ac6c5e0/remove",
        ),
    ] {
        let reply = service
            .route(&HttpRequest::new(method, path), "")
            .expect_err("not a route");
        assert_eq!(
            error_of(&reply),
            Some(ErrorKind::Unsupported),
            "{method} {path}"
        );
    }
    Ok(())
}

#[test]
fn alibaba_routes_every_membership_action() -> TestResult {
    let service = Service::new(Provider::Alibaba, &alibaba_world()?)?;
    for (action, query, expected) in [
        (
            "EnableResourceDirectory",
            "EnableMode=CurrentAccount",
            json!({"EnableMode": "CurrentAccount"}),
        ),
        ("GetResourceDirectory", "", json!({})),
        ("DestroyResourceDirectory", "", json!({})),
        (
            "ListAccounts",
            "PageNumber=1&PageSize=20",
            json!({"PageNumber": "1", "PageSize": "20"}),
        ),
        (
            "GetAccount",
            "AccountId=1772422852740001",
            json!({"AccountId": "1772422852740001"}),
        ),
        (
            "RemoveCloudAccount",
            "AccountId=1772422852740001",
            json!({"AccountId": "1772422852740001"}),
        ),
    ] {
        let headers = [
            ("x-acs-action", action),
            ("x-acs-version", "2020-03-31"),
            ("Authorization", ALIBABA_V3),
        ];
        let routed = service
            .route(
                &HttpRequest::new("POST", "/")
                    .with_query(query)
                    .with_headers(&headers),
                "",
            )
            .map_err(|reply| reply.body)?;
        assert_eq!(routed.operation, action);
        assert_eq!(routed.request, expected, "{action}");
    }
    Ok(())
}

#[test]
fn a_routed_huawei_membership_flow_answers_with_its_documented_statuses() -> TestResult {
    let mut service = Service::new(Provider::Huawei, &huawei_world()?)?;
    let juan = "05c734152f00d4200f2bc0179ac6c5e0";
    let headers = [("X-Domain-Id", juan)];
    let mut send = |method: &str,
                    path: &str,
                    ids: &[&str],
                    minutes: i64|
     -> Result<Reply, Box<dyn std::error::Error>> {
        let request = HttpRequest::new(method, path).with_headers(&headers);
        let routed = service.route(&request, "").map_err(|reply| reply.body)?;
        let caller = service.caller_for(routed.credential.as_deref());
        let now = "2026-01-05T10:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?
            + chrono::TimeDelta::minutes(minutes);
        Ok(service
            .call(&Call::new(routed.operation, &caller, now, &routed.request).with_new_ids(ids))?)
    };
    let created = send(
        "POST",
        "/v1/organizations",
        &["o-0123456789abcdef0123456789abcdef"],
        0,
    )?;
    assert_eq!(created.status, 201);
    assert_eq!(
        created.json()["organization"]["management_account_id"],
        juan
    );
    let shown = send("GET", "/v1/organizations", &[], 1)?;
    assert_eq!(
        (shown.status, shown.json()["organization"]["id"].clone()),
        (200, json!("o-0123456789abcdef0123456789abcdef"))
    );
    let listed = send("GET", "/v1/organizations/accounts", &[], 1)?;
    assert_eq!(listed.json()["accounts"][0]["join_method"], "created");
    let deleted = send("DELETE", "/v1/organizations", &[], 2)?;
    assert_eq!((deleted.status, deleted.body.as_str()), (204, ""));
    let gone = send("GET", "/v1/organizations", &[], 3)?;
    assert_eq!(gone.error, Some(ErrorKind::NotInOrganization));
    Ok(())
}
