//! Malformed requests get the provider's own error shape (never a panic or a dropped
//! connection), and the server keeps serving after them.

mod support;

use serde_json::{json, Value};
use support::*;

const AWS_TARGET: (&str, &str) = (
    "X-Amz-Target",
    "AWSOrganizationsV20161128.DescribeHandshake",
);
const AWS_JSON: (&str, &str) = ("Content-Type", "application/x-amz-json-1.1");

fn aws_error(r: &Response, status: u16, kind: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.json()["__type"], kind, "{}", r.text());
    assert_eq!(r.header("x-amzn-errortype"), Some(kind));
    assert!(r.header("x-amzn-requestid").is_some());
}

fn huawei_error(r: &Response, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let body = r.json();
    assert!(
        body["error_code"].is_string() && body["error_msg"].is_string(),
        "{body}"
    );
    assert!(r.header("x-request-id").is_some());
    body
}

fn alibaba_error(r: &Response, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let body = r.json();
    assert!(
        body["Code"].is_string() && body["RequestId"].is_string(),
        "{body}"
    );
    body
}

#[test]
fn bodies_over_one_mebibyte_are_413_in_each_providers_shape() {
    let s = Server::start(&[]);
    let big = vec![b'x'; (1 << 20) + 1];
    aws_error(
        &s.request("POST", "/", &[AWS_TARGET, AWS_JSON], &big),
        413,
        "RequestEntityTooLargeException",
    );
    let r = s.request(
        "POST",
        "/v1/organizations/accounts/invite",
        &[("Content-Type", "application/json")],
        &big,
    );
    assert_eq!(huawei_error(&r, 413)["error_code"], "APIG.0201");
    let r = s.request(
        "POST",
        "/",
        &[
            ("x-acs-action", "GetHandshake"),
            ("x-acs-version", "2020-03-31"),
        ],
        &big,
    );
    alibaba_error(&r, 413);
    // Declared small, sent chunked and large: still read no further than the limit.
    let mut raw = b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Target: AWSOrganizationsV20161128.DescribeHandshake\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..20 {
        raw.extend_from_slice(format!("{:x}\r\n", 100_000).as_bytes());
        raw.extend(std::iter::repeat(b' ').take(100_000));
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    aws_error(&s.send(&raw), 413, "RequestEntityTooLargeException");
    // Exactly one mebibyte of whitespace around a JSON object is read.
    let mut fits = vec![b' '; (1 << 20) - 2];
    fits.extend_from_slice(b"{}");
    let r = s.request(
        "POST",
        "/",
        &[
            (
                "X-Amz-Target",
                "AWSOrganizationsV20161128.ListHandshakesForOrganization",
            ),
            AWS_JSON,
        ],
        &fits,
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn malformed_bodies_and_content_types() {
    let s = Server::start(&[]);
    aws_error(
        &s.request("POST", "/", &[AWS_TARGET, AWS_JSON], b"{\"HandshakeId\": "),
        400,
        "SerializationException",
    );
    aws_error(
        &s.request("POST", "/", &[AWS_TARGET, AWS_JSON], b"\xff\xfe{}"),
        400,
        "SerializationException",
    );
    aws_error(
        &s.request("POST", "/", &[AWS_TARGET, AWS_JSON], b"[1, 2]"),
        400,
        "SerializationException",
    );
    // The JSON 1.1 protocol is named by X-Amz-Target, not the content type: a JSON body under
    // another type is read, and answered on its contents.
    aws_error(
        &s.request(
            "POST",
            "/",
            &[AWS_TARGET, ("Content-Type", "text/plain")],
            b"{}",
        ),
        400,
        "InvalidInputException",
    );

    let invite = "/v1/organizations/accounts/invite";
    let domain = ("X-Domain-Id", HUAWEI_MANAGEMENT);
    huawei_error(
        &s.request(
            "POST",
            invite,
            &[("Content-Type", "application/json"), domain],
            b"{not json",
        ),
        400,
    );
    huawei_error(
        &s.request(
            "POST",
            invite,
            &[("Content-Type", "application/json"), domain],
            b"\xff\xff",
        ),
        400,
    );
    huawei_error(
        &s.request(
            "POST",
            invite,
            &[("Content-Type", "text/xml"), domain],
            b"<a/>",
        ),
        400,
    );
    huawei_error(
        &s.request(
            "POST",
            invite,
            &[("Content-Type", "application/json"), domain],
            b"[]",
        ),
        400,
    );
    huawei_error(
        &s.request("GET", "/v1/received-handshakes?limit=%ff", &[domain], b""),
        400,
    );

    let acs = [
        ("x-acs-action", "GetHandshake"),
        ("x-acs-version", "2020-03-31"),
    ];
    alibaba_error(&s.request("POST", "/?HandshakeId=%ff%fe", &acs, b""), 400);
    let with_type = [acs[0], acs[1], ("Content-Type", "application/json")];
    alibaba_error(
        &s.request("POST", "/", &with_type, b"{\"HandshakeId\": \"h-x\"}"),
        400,
    );
    let form = [
        acs[0],
        acs[1],
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    alibaba_error(&s.request("POST", "/", &form, b"HandshakeId=\xff"), 400);
    let r = s.request("POST", "/", &form, b"HandshakeId=h-0123456789abcdef");
    assert_eq!(alibaba_error(&r, 404)["Code"], "EntityNotExists.Handshake");
}

#[test]
fn unknown_routes_and_operations() {
    let s = Server::start(&[]);
    let unknown = [
        ("X-Amz-Target", "AWSOrganizationsV20161128.CreateAccount"),
        AWS_JSON,
    ];
    aws_error(
        &s.request("POST", "/", &unknown, b"{}"),
        400,
        "UnknownOperationException",
    );
    let other_service = [("X-Amz-Target", "DynamoDB_20120810.ListTables"), AWS_JSON];
    aws_error(
        &s.request("POST", "/", &other_service, b"{}"),
        400,
        "UnknownOperationException",
    );
    aws_error(
        &s.request("GET", "/", &[AWS_TARGET], b""),
        403,
        "UnsupportedAPIEndpointException",
    );

    // Huawei's API gateway has no such route: the core answers it as an operation Huawei
    // Organizations does not have.

    let domain = ("X-Domain-Id", HUAWEI_MANAGEMENT);
    for (method, path) in [
        ("GET", "/v1/organizations/policies"),
        ("DELETE", "/v1/organizations/handshakes/h-0123456789"),
        ("GET", "/v1/received-handshakes/h-0123456789/accept"),
    ] {
        let r = s.request(method, path, &[domain], b"");
        assert_eq!(
            huawei_error(&r, 400)["error_code"],
            "Organizations.Unverified.Unsupported",
            "{method} {path}"
        );
    }

    let r = s.alibaba("CreateResourceAccount", ALIBABA_MANAGEMENT, &[]);
    assert_eq!(alibaba_error(&r, 404)["Code"], "InvalidAction.NotFound");
    let r = s.request("POST", "/", &[("x-acs-version", "2020-03-31")], b"");
    assert_eq!(alibaba_error(&r, 404)["Code"], "InvalidAction.NotFound");
    // Another API version: the core routes by the action and does not read the version, so
    // this is answered as a GetHandshake without its HandshakeId, still in Alibaba's shape.
    let r = s.request(
        "POST",
        "/",
        &[
            ("x-acs-action", "GetHandshake"),
            ("x-acs-version", "2017-01-01"),
        ],
        b"",
    );
    assert_eq!(
        alibaba_error(&r, 400)["Code"],
        "MissingParameter.HandshakeId"
    );

    // No provider's protocol at all: the server's own 404.
    let r = s.request("GET", "/favicon.ico", &[], b"");
    assert_eq!(r.status, 404);
    assert!(r.json()["message"].is_string());
    let r = s.request("GET", "/_org-handshake/nothing", &[], b"");
    assert_eq!(r.status, 404);
    let r = s.request("GET", "/_org-handshake/vector?provider=azure", &[], b"");
    assert_eq!(r.status, 400);
}

#[test]
fn missing_and_garbage_credentials_act_as_the_management_account() {
    let s = Server::start(&[]);
    let list = [
        (
            "X-Amz-Target",
            "AWSOrganizationsV20161128.ListHandshakesForOrganization",
        ),
        AWS_JSON,
    ];
    for auth in [
        "",
        "garbage",
        "AWS4-HMAC-SHA256 Credential=",
        "AWS4-HMAC-SHA256 Credential=12345/x",
        "Bearer ä€",
    ] {
        let mut headers = list.to_vec();
        if !auth.is_empty() {
            headers.push(("Authorization", auth));
        }
        let r = s.request("POST", "/", &headers, b"{}");
        assert_eq!(r.status, 200, "{auth}: {}", r.text());
    }
    // Non-UTF-8 header bytes.
    let mut raw = b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Target: AWSOrganizationsV20161128.ListHandshakesForOrganization\r\nAuthorization: AWS4-HMAC-SHA256 Credential=\xff\xfe/x\r\nContent-Length: 2\r\n\r\n{}".to_vec();
    assert_eq!(s.send(&raw).status, 200);
    raw = b"GET /v1/organizations/handshakes HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Domain-Id: \xff\xff\r\n\r\n".to_vec();
    assert_eq!(s.send(&raw).status, 200);
    let r = s.request(
        "POST",
        "/",
        &[
            ("x-acs-action", "ListHandshakesForResourceDirectory"),
            ("Authorization", "ACS3-HMAC-SHA256 Credential=,x"),
        ],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn huge_headers_get_the_providers_error_and_no_dropped_connection() {
    let s = Server::start(&[]);
    let huge = "a".repeat(100_000);
    aws_error(
        &s.request(
            "POST",
            "/",
            &[AWS_TARGET, AWS_JSON, ("X-Padding", &huge)],
            b"{}",
        ),
        431,
        "RequestHeaderFieldsTooLarge",
    );
    let r = s.request(
        "GET",
        "/v1/received-handshakes",
        &[("X-Domain-Id", HUAWEI_MANAGEMENT), ("X-Padding", &huge)],
        b"",
    );
    huawei_error(&r, 431);
    let r = s.request(
        "POST",
        "/",
        &[("x-acs-action", "GetHandshake"), ("X-Padding", &huge)],
        b"",
    );
    alibaba_error(&r, 431);
    // Many headers.
    let names: Vec<String> = (0..600).map(|i| format!("X-H{i}")).collect();
    let mut many: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv")).collect();
    many.extend([AWS_TARGET, AWS_JSON]);
    aws_error(
        &s.request("POST", "/", &many, b"{}"),
        431,
        "RequestHeaderFieldsTooLarge",
    );
    // Past what the server buffers at all: still an HTTP answer, not a reset.
    let enormous = "b".repeat(2 << 20);
    let r = s.request("POST", "/", &[AWS_TARGET, ("X-Padding", &enormous)], b"{}");
    assert_eq!(r.status, 431);
    // And the server goes on serving.
    let r = s.request("GET", "/_org-handshake/health", &[], b"");
    assert_eq!(r.status, 200);
    let r = s.aws(
        "DescribeHandshake",
        AWS_MANAGEMENT,
        &json!({"HandshakeId": "h-0123456789"}),
    );
    aws_error(&r, 404, "HandshakeNotFoundException");
}
