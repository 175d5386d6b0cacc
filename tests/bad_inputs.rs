//! A catalogue of named bad inputs: one table of rows
//! `(name, provider, input, exact expected error)`, across the three providers, the routing an
//! HTTP server does before a call, the limits the server (`server/`) puts on requests, the
//! worlds a service starts from, and the bare-handshake parsers.
//!
//! Every row asserts the exact error (HTTP status plus the provider's code: AWS `__type` and
//! `Reason`, Huawei `error_code`, Alibaba `Code`; or the typed error's `code()`), and for every
//! row that reaches a service, that the ledger's JSON is byte-identical after the refusal.
//!
//! Where each expectation comes from is said per group below; the tables are the provider
//! error tables (`src/provider/<cloud>/error.rs`, `ERROR_CODES`) and the request rules in the
//! provider module docs and request readers.

use chrono::{DateTime, Utc};
use org_handshake::ledger::World;
use org_handshake::provider::{Call, HttpRequest, Provider, Reply, Service};
use org_handshake::{ErrorKind, Failure};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Fixtures: one small world per provider, with two pending invitations sent at `T0`.

const T0: &str = "2026-01-05T10:00:00Z";
const T1: &str = "2026-01-05T11:00:00Z";

fn t1() -> DateTime<Utc> {
    T1.parse().expect("a fixed time")
}

// AWS: 12-digit accounts, `o-` organizations, `h-` + 8 to 32 lower-case letters or digits.
const AWS_MGMT: &str = "111111111111";
const AWS_JUAN: &str = "222222222222";
const AWS_MEMBER: &str = "333333333333";
const AWS_MARY: &str = "444444444444";
const AWS_OTHER: &str = "555555555555";
const AWS_H1: &str = "h-setup00000001";
const AWS_H2: &str = "h-setup00000002";
const AWS_NEW: &str = "h-new0000000001";

// Huawei: 32-hex domain ids, `o-` organizations, the AWS handshake id pattern.
const HW_MGMT: &str = "0a6d25d23900d45c0faac010e0fb4de0";
const HW_JUAN: &str = "05c734152f00d4200f2bc0179ac6c5e0";
const HW_MEMBER: &str = "c106e5ed4e82247cefc536a64bc9070e";
const HW_MARY: &str = "b8e7be5dfa2ce0714d21dcfc7d72382c";
const HW_OTHER: &str = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";
const HW_LI: &str = "4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d";
const HW_H1: &str = "h-setup00000001";
const HW_H2: &str = "h-setup00000002";

// Alibaba: 16-digit accounts, `rd-` directories, `h-` + exactly 16 letters or digits.
const ALI_MGMT: &str = "1512666876910001";
const ALI_JUAN: &str = "1772422852740001";
const ALI_MEMBER: &str = "1512666876910002";
const ALI_MARY: &str = "1772422852740002";
const ALI_OTHER: &str = "1829301928370001";
const ALI_H1: &str = "h-Ih8IuPfvV0t0Ab12";
const ALI_H2: &str = "h-Qm4Zr7Tw2Xk9Pb35";

/// One invitation the fixture sends at `T0`: operation, caller, request, new handshake id.
type Invitation = (&'static str, &'static str, Value, &'static str);

/// A provider's fixture, as data keyed by the provider's name (its ids and request shapes are
/// its own): its world, and the two invitations its management account sends at `T0`.
struct ProviderFixture {
    provider: &'static str,
    world: fn() -> Value,
    invitations: fn() -> [Invitation; 2],
}

/// One fixture per registered provider; [`fixture_of`] finds a provider's, and
/// `every_registered_provider_has_a_fixture_that_sets_up` checks that none is missing.
const FIXTURES: &[ProviderFixture] = &[
    ProviderFixture {
        provider: "aws",
        world: || {
            json!({
                "organizations": [
                    {"id": "o-exampleorgid", "feature_set": "ALL", "members": [AWS_MEMBER],
                     "management_account": {"id": AWS_MGMT, "name": "bill", "email": "bill@example.com"}},
                    {"id": "o-otherorgid0", "management_account": {"id": AWS_OTHER, "name": "other"}}
                ],
                "accounts": [
                    {"id": AWS_MEMBER, "name": "member"},
                    {"id": AWS_JUAN, "name": "juan"},
                    {"id": AWS_MARY, "name": "mary", "email": "mary@example.com"}
                ]
            })
        },
        invitations: || {
            [
                (
                    "InviteAccountToOrganization",
                    AWS_MGMT,
                    json!({"Target": {"Id": AWS_JUAN, "Type": "ACCOUNT"}}),
                    AWS_H1,
                ),
                (
                    "InviteAccountToOrganization",
                    AWS_MGMT,
                    json!({"Target": {"Id": AWS_MARY, "Type": "ACCOUNT"}}),
                    AWS_H2,
                ),
            ]
        },
    },
    ProviderFixture {
        provider: "huawei",
        world: || {
            json!({
                "organizations": [
                    {"id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv", "members": [HW_MEMBER],
                     "management_account": {"id": HW_MGMT, "name": "paas_iam_573331"}},
                    {"id": "o-q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3",
                     "management_account": {"id": HW_OTHER, "name": "retail_group_admin"}}
                ],
                "accounts": [
                    {"id": HW_MEMBER, "name": "member_a"},
                    {"id": HW_JUAN, "name": "juan"},
                    {"id": HW_MARY, "name": "mary"},
                    {"id": HW_LI, "name": "li_lei"}
                ]
            })
        },
        invitations: || {
            [
                (
                    "invite_account",
                    HW_MGMT,
                    json!({"body": {"target": {"type": "account", "entity": HW_JUAN}, "notes": ""}}),
                    HW_H1,
                ),
                (
                    "invite_account",
                    HW_MGMT,
                    json!({"body": {"target": {"type": "account", "entity": HW_MARY}, "notes": ""}}),
                    HW_H2,
                ),
            ]
        },
    },
    ProviderFixture {
        provider: "alibaba",
        world: || {
            json!({
                "organizations": [
                    {"id": "rd-k3Xt9Qa7", "feature_set": "ALL", "members": [ALI_MEMBER],
                     "management_account": {"id": ALI_MGMT, "name": "CompanyA"}},
                    {"id": "rd-b7Yw2PzE", "feature_set": "ALL",
                     "management_account": {"id": ALI_OTHER, "name": "CompanyB"}}
                ],
                "accounts": [
                    {"id": ALI_MEMBER, "name": "ops"},
                    {"id": ALI_JUAN, "name": "juan", "email": "juan@example.com"},
                    {"id": ALI_MARY, "name": "mary", "email": "mary@example.com"}
                ]
            })
        },
        invitations: || {
            [
                (
                    "InviteAccountToResourceDirectory",
                    ALI_MGMT,
                    json!({"TargetEntity": ALI_JUAN, "TargetType": "Account"}),
                    ALI_H1,
                ),
                (
                    "InviteAccountToResourceDirectory",
                    ALI_MGMT,
                    json!({"TargetEntity": ALI_MARY, "TargetType": "Account"}),
                    ALI_H2,
                ),
            ]
        },
    },
];

/// The fixture of `provider`, looked up by its name.
fn fixture_of(provider: Provider) -> &'static ProviderFixture {
    FIXTURES
        .iter()
        .find(|fixture| fixture.provider == provider.as_str())
        .unwrap_or_else(|| panic!("no bad-input fixture for `{provider}`: add one to FIXTURES"))
}

fn world_json(provider: Provider) -> Value {
    (fixture_of(provider).world)()
}

/// The provider's service over its world, after two invitations sent at `T0`.
fn fixture(provider: Provider) -> Service {
    let world: World = serde_json::from_value(world_json(provider)).expect("a valid world");
    let mut service = Service::new(provider, &world).expect("a world the provider can hold");
    let t0: DateTime<Utc> = T0.parse().expect("a fixed time");
    let setup = (fixture_of(provider).invitations)();
    for (op, caller, request, id) in &setup {
        let reply = service
            .call(&Call::new(op, caller, t0, request).with_new_ids(&[id]))
            .expect("setup ids");
        assert_eq!(reply.status, 200, "setup {op}: {}", reply.json());
    }
    service
}

// ---------------------------------------------------------------------------------------------
// The table.

/// What a row feeds in.
enum Input {
    /// One call at `now` against the provider's fixture.
    Call {
        op: &'static str,
        caller: &'static str,
        now: DateTime<Utc>,
        request: Value,
        new_ids: &'static [&'static str],
    },
    /// A listing whose next token is then used in another call (`then` builds its request).
    Token {
        list_op: &'static str,
        list_caller: &'static str,
        list_request: Value,
        op: &'static str,
        caller: &'static str,
        then: fn(&str) -> Value,
    },
    /// An HTTP request routed by the provider's service (what the server does first).
    Route {
        method: &'static str,
        path: &'static str,
        query: String,
        headers: Vec<(&'static str, &'static str)>,
        body: Vec<u8>,
    },
    /// A failure the server finds before the core sees the request (its size limits), answered
    /// through `Service::reply_to`.
    Server(Failure),
    /// A world, as JSON, given to `Service::new`.
    World(Value),
    /// A bare handshake object given to `Provider::parse_handshake`.
    Parse(String),
}

/// The exact error a row expects.
#[derive(Debug, PartialEq)]
enum Expect {
    /// The provider's error reply: status, code (AWS `__type`, Huawei `error_code`, Alibaba
    /// `Code`) and AWS `Reason`.
    Reply(u16, &'static str, Option<&'static str>),
    /// `CallError::code()`.
    Call(&'static str),
    /// `WorldError::code()`.
    World(&'static str),
    /// A world JSON refused by deserialization, with this text in serde's message.
    WorldJson(&'static str),
    /// `WireError::code()`.
    Wire(&'static str),
}

struct Row {
    name: &'static str,
    provider: Provider,
    input: Input,
    expect: Expect,
}

fn row(name: &'static str, provider: Provider, input: Input, expect: Expect) -> Row {
    Row {
        name,
        provider,
        input,
        expect,
    }
}

fn call(op: &'static str, caller: &'static str, request: Value) -> Input {
    Input::Call {
        op,
        caller,
        now: t1(),
        request,
        new_ids: &[],
    }
}

fn call_at(op: &'static str, caller: &'static str, now: DateTime<Utc>, request: Value) -> Input {
    Input::Call {
        op,
        caller,
        now,
        request,
        new_ids: &[],
    }
}

fn invite_with_id(
    op: &'static str,
    caller: &'static str,
    request: Value,
    id: &'static str,
) -> Input {
    Input::Call {
        op,
        caller,
        now: t1(),
        request,
        new_ids: match id {
            "" => &[],
            _ => Box::leak(Box::new([id])),
        },
    }
}

fn route(
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    body: &[u8],
) -> Input {
    Input::Route {
        method,
        path,
        query: String::new(),
        headers,
        body: body.to_vec(),
    }
}

fn route_query(method: &'static str, path: &'static str, query: String) -> Input {
    Input::Route {
        method,
        path,
        query,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

fn world(value: Value) -> Input {
    Input::World(value)
}

/// A JSON document nested `depth` arrays deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// An AWS body nested `depth` objects deep under `HandshakeId`.
fn nested_body(depth: usize) -> Vec<u8> {
    format!(
        "{{\"HandshakeId\":{}{}}}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    )
    .into_bytes()
}

fn aws_err(status: u16, code: &'static str) -> Expect {
    Expect::Reply(status, code, None)
}

fn aws_input(reason: &'static str) -> Expect {
    Expect::Reply(400, "InvalidInputException", Some(reason))
}

fn hw(status: u16, code: &'static str) -> Expect {
    Expect::Reply(status, code, None)
}

fn ali(status: u16, code: &'static str) -> Expect {
    Expect::Reply(status, code, None)
}

const HW_INVALID: &str = "Organizations.Unverified.InvalidParameter";
const AWS_TARGET: &[(&str, &str)] = &[(
    "X-Amz-Target",
    "AWSOrganizationsV20161128.DescribeHandshake",
)];

fn aws_invite(kind: &str, id: &str) -> Value {
    json!({"Target": {"Id": id, "Type": kind}})
}

fn hw_invite(kind: &str, entity: &str, notes: &str) -> Value {
    json!({"body": {"target": {"type": kind, "entity": entity}, "notes": notes}})
}

fn hw_on(id: &str) -> Value {
    json!({"path": {"handshake_id": id}})
}

fn ali_invite(kind: &str, entity: &str) -> Value {
    json!({"TargetEntity": entity, "TargetType": kind})
}

#[allow(clippy::too_many_lines)]
fn rows() -> Vec<Row> {
    use Provider::{Alibaba, Aws, Huawei};
    let long_notes = "n".repeat(1025);
    let min = DateTime::<Utc>::MIN_UTC;
    let max = DateTime::<Utc>::MAX_UTC;
    vec![
        // --- AWS handshake ids. aws/request.rs `handshake_id_value` and the table in
        // aws/error.rs: over 34 characters is MAX_LENGTH_EXCEEDED; anything else off
        // `^h-[0-9a-z]{8,32}$` (short, upper case, prefix, non-ASCII, empty) is INVALID_PATTERN.
        row("aws handshake id too short", Aws, call("DescribeHandshake", AWS_MGMT, json!({"HandshakeId": "h-0123456"})), aws_input("INVALID_PATTERN")),
        row("aws handshake id too long", Aws, call("DescribeHandshake", AWS_MGMT, json!({"HandshakeId": format!("h-{}", "0".repeat(33))})), aws_input("MAX_LENGTH_EXCEEDED")),
        row("aws handshake id upper case", Aws, call("AcceptHandshake", AWS_JUAN, json!({"HandshakeId": "h-SETUP00000001"})), aws_input("INVALID_PATTERN")),
        row("aws handshake id wrong prefix", Aws, call("DeclineHandshake", AWS_JUAN, json!({"HandshakeId": "x-setup00000001"})), aws_input("INVALID_PATTERN")),
        row("aws handshake id non-ascii", Aws, call("CancelHandshake", AWS_MGMT, json!({"HandshakeId": "h-sétup00000001"})), aws_input("INVALID_PATTERN")),
        row("aws handshake id empty", Aws, call("DescribeHandshake", AWS_MGMT, json!({"HandshakeId": ""})), aws_input("INVALID_PATTERN")),
        row("aws filter parent id wrong prefix", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"Filter": {"ParentHandshakeId": "p-setup00000001"}})), aws_input("INVALID_PATTERN")),
        // --- AWS account ids (Target.Id of an ACCOUNT target, and the caller). aws/request.rs
        // `invite`: HandshakePartyId is 1 to 64 characters (MIN/MAX_LENGTH_EXCEEDED), then 12
        // digits (INVALID_PATTERN); a caller that is no account id is InvalidClientTokenId, 403
        // (the table's first AccessDenied row).
        row("aws account id too short", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ACCOUNT", "22222222222")), aws_input("INVALID_PATTERN")),
        row("aws account id thirteen digits", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ACCOUNT", "2222222222222")), aws_input("INVALID_PATTERN")),
        row("aws account id too long", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ACCOUNT", &"2".repeat(65))), aws_input("MAX_LENGTH_EXCEEDED")),
        row("aws account id empty", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ACCOUNT", "")), aws_input("MIN_LENGTH_EXCEEDED")),
        row("aws account id letters", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ACCOUNT", "abcdefabcdef")), aws_input("INVALID_PATTERN")),
        row("aws account id non-ascii digits", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ACCOUNT", "٢٢٢٢٢٢٢٢٢٢٢٢")), aws_input("INVALID_PATTERN")),
        row("aws caller too short", Aws, call("DescribeHandshake", "11111", json!({"HandshakeId": AWS_H1})), aws_err(403, "InvalidClientTokenId")),
        row("aws caller non-ascii", Aws, call("DescribeHandshake", "١١١١١١١١١١١١", json!({"HandshakeId": AWS_H1})), aws_err(403, "InvalidClientTokenId")),
        // --- AWS emails (Target.Id of an EMAIL target): over 64 characters is
        // MAX_LENGTH_EXCEEDED, a malformed address INVALID_EMAIL_ADDRESS_TARGET.
        row("aws email without at sign", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", "mary.example.com")), aws_input("INVALID_EMAIL_ADDRESS_TARGET")),
        row("aws email too long", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", &format!("{}@example.com", "m".repeat(60)))), aws_input("MAX_LENGTH_EXCEEDED")),
        // AWS's Email pattern `[^\s@]+@[^\s@]+\.[^\s@]+` admits non-ASCII letters (id.rs
        // `Email`), so a non-ASCII address is refused here only for its other fault.
        row("aws email non-ascii without a dot in the domain", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", "märy@exämple")), aws_input("INVALID_EMAIL_ADDRESS_TARGET")),
        row("aws email too short", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", "a@b.c")), aws_input("INVALID_EMAIL_ADDRESS_TARGET")),
        row("aws email upper case is another address", Aws, invite_with_id("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", "MARY@EXAMPLE.COM"), ""), Expect::Call("missing_new_ids")),
        // --- AWS notes: at most 1024 characters (Notes::MAX_LEN; aws.md §5.2).
        row("aws notes too long", Aws, call("InviteAccountToOrganization", AWS_MGMT, json!({"Target": {"Id": AWS_JUAN, "Type": "ACCOUNT"}, "Notes": long_notes})), aws_input("MAX_LENGTH_EXCEEDED")),
        row("aws notes a number", Aws, call("InviteAccountToOrganization", AWS_MGMT, json!({"Target": {"Id": AWS_MEMBER, "Type": "ACCOUNT"}, "Notes": 7})), aws_err(400, "SerializationException")),
        // --- AWS enums: an unknown Target.Type or Filter.ActionType is INVALID_ENUM; the
        // enum value ORGANIZATION, which cannot be invited, is INVALID_PARTY_TYPE_TARGET.
        row("aws target type unknown", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ROOT", AWS_JUAN)), aws_input("INVALID_ENUM")),
        row("aws target type lower case", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("account", AWS_JUAN)), aws_input("INVALID_ENUM")),
        row("aws target type organization", Aws, call("InviteAccountToOrganization", AWS_MGMT, aws_invite("ORGANIZATION", "o-otherorgid0")), aws_input("INVALID_PARTY_TYPE_TARGET")),
        row("aws filter action type unknown", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"Filter": {"ActionType": "MERGE"}})), aws_input("INVALID_ENUM")),
        row("aws filter with both members", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"Filter": {"ActionType": "INVITE", "ParentHandshakeId": AWS_H1}})), aws_input("MAX_LIMIT_EXCEEDED_FILTER")),
        // --- AWS numbers: MaxResults is an integer from 1 to 20 (MIN/MAX_VALUE_EXCEEDED);
        // another JSON type, or a fraction, is the JSON 1.1 SerializationException.
        row("aws max results zero", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"MaxResults": 0})), aws_input("MIN_VALUE_EXCEEDED")),
        row("aws max results negative", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"MaxResults": -1})), aws_input("MIN_VALUE_EXCEEDED")),
        row("aws max results 21", Aws, call("ListHandshakesForOrganization", AWS_MGMT, json!({"MaxResults": 21})), aws_input("MAX_VALUE_EXCEEDED")),
        row("aws max results above i64", Aws, call("ListHandshakesForOrganization", AWS_MGMT, json!({"MaxResults": u64::MAX})), aws_input("MAX_VALUE_EXCEEDED")),
        row("aws max results a string", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"MaxResults": "5"})), aws_err(400, "SerializationException")),
        row("aws max results a fraction", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"MaxResults": 1.5})), aws_err(400, "SerializationException")),
        row("aws handshake id a number", Aws, call("DescribeHandshake", AWS_MGMT, json!({"HandshakeId": 7})), aws_err(400, "SerializationException")),
        row("aws body a list", Aws, call("DescribeHandshake", AWS_MGMT, json!([AWS_H1])), aws_err(400, "SerializationException")),
        // --- AWS missing and unexpected members: INPUT_REQUIRED; an unknown member is
        // InvalidInputException without a Reason (aws module docs, "Unknown members").
        row("aws handshake id missing", Aws, call("AcceptHandshake", AWS_JUAN, json!({})), aws_input("INPUT_REQUIRED")),
        row("aws handshake id null", Aws, call("AcceptHandshake", AWS_JUAN, json!({"HandshakeId": null})), aws_input("INPUT_REQUIRED")),
        row("aws target missing", Aws, call("InviteAccountToOrganization", AWS_MGMT, json!({"Notes": "hi"})), aws_input("INPUT_REQUIRED")),
        row("aws target type missing", Aws, call("InviteAccountToOrganization", AWS_MGMT, json!({"Target": {"Id": AWS_JUAN}})), aws_input("INPUT_REQUIRED")),
        row("aws target id missing", Aws, call("InviteAccountToOrganization", AWS_MGMT, json!({"Target": {"Type": "ACCOUNT"}})), aws_input("INPUT_REQUIRED")),
        row("aws unknown member", Aws, call("DescribeHandshake", AWS_MGMT, json!({"HandshakeId": AWS_H1, "Handshakeid": AWS_H1})), aws_err(400, "InvalidInputException")),
        // --- AWS page tokens: a token is bound to its listing, caller and filter
        // (ledger/listing.rs "Tokens"); any other use is INVALID_NEXT_TOKEN.
        row("aws token from another caller", Aws, Input::Token { list_op: "ListHandshakesForOrganization", list_caller: AWS_MGMT, list_request: json!({"MaxResults": 1}), op: "ListHandshakesForOrganization", caller: AWS_OTHER, then: |token| json!({"NextToken": token}) }, aws_input("INVALID_NEXT_TOKEN")),
        row("aws token from another listing", Aws, Input::Token { list_op: "ListHandshakesForOrganization", list_caller: AWS_MGMT, list_request: json!({"MaxResults": 1}), op: "ListHandshakesForAccount", caller: AWS_MGMT, then: |token| json!({"NextToken": token}) }, aws_input("INVALID_NEXT_TOKEN")),
        row("aws token from another filter", Aws, Input::Token { list_op: "ListHandshakesForOrganization", list_caller: AWS_MGMT, list_request: json!({"MaxResults": 1}), op: "ListHandshakesForOrganization", caller: AWS_MGMT, then: |token| json!({"NextToken": token, "Filter": {"ActionType": "INVITE"}}) }, aws_input("INVALID_NEXT_TOKEN")),
        row("aws token made up", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"NextToken": "not-a-token"})), aws_input("INVALID_NEXT_TOKEN")),
        row("aws token too long", Aws, call("ListHandshakesForAccount", AWS_JUAN, json!({"NextToken": "t".repeat(100_001)})), aws_input("MAX_LENGTH_EXCEEDED")),
        // --- AWS time at chrono's ends: before the ledger's clock is ConcurrentModification
        // (design.md, aws table); a new handshake AWS could not timestamp (after 9999 minus
        // the validity) is Unsupported (`Aws::check_new`): UnsupportedAPIEndpointException.
        row("aws now at chrono's minimum", Aws, call_at("DescribeHandshake", AWS_MGMT, min, json!({"HandshakeId": AWS_H1})), aws_err(409, "ConcurrentModificationException")),
        row("aws invite at chrono's maximum", Aws, Input::Call { op: "InviteAccountToOrganization", caller: AWS_MGMT, now: max, request: aws_invite("ACCOUNT", AWS_MEMBER), new_ids: &[AWS_NEW] }, aws_err(403, "UnsupportedAPIEndpointException")),
        // --- Harness mistakes: the ids a call must be given (CallError, provider/service.rs).
        row("aws invite without a new id", Aws, invite_with_id("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", "someone@example.com"), ""), Expect::Call("missing_new_ids")),
        row("aws invite with an alibaba-style new id", Aws, invite_with_id("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", "someone@example.com"), "h-Ih8IuPfvV0t0Ab99"), Expect::Call("invalid_new_id")),
        row("aws invite with a new id in use", Aws, invite_with_id("InviteAccountToOrganization", AWS_MGMT, aws_invite("EMAIL", "someone@example.com"), AWS_H1), Expect::Call("new_id_in_use")),
        // --- AWS routing (the server's first step): aws/dialect.rs `route` and the table: an
        // unknown X-Amz-Target is UnknownOperationException; a body that is not JSON
        // (truncated, or nested past serde_json's 128 levels) is SerializationException; a
        // method other than POST is Unsupported (UnsupportedAPIEndpointException).
        row("aws route unknown target", Aws, route("POST", "/", vec![("X-Amz-Target", "AWSOrganizationsV20161128.CreateAccount")], b"{}"), aws_err(400, "UnknownOperationException")),
        row("aws route truncated body", Aws, route("POST", "/", AWS_TARGET.to_vec(), b"{\"HandshakeId\": \"h-set"), aws_err(400, "SerializationException")),
        row("aws route body nested too deep", Aws, Input::Route { method: "POST", path: "/", query: String::new(), headers: AWS_TARGET.to_vec(), body: nested_body(200) }, aws_err(400, "SerializationException")),
        row("aws route body not utf-8", Aws, route("POST", "/", AWS_TARGET.to_vec(), b"{\"HandshakeId\": \"\xff\xfe\"}"), aws_err(400, "SerializationException")),
        row("aws route get method", Aws, route("GET", "/", AWS_TARGET.to_vec(), b""), aws_err(403, "UnsupportedAPIEndpointException")),
        // --- Server limits (server/src/http.rs MAX_BODY, 1 MiB; answered with
        // `Service::reply_to`): each table's RequestTooLarge rows.
        row("aws server body over 1 MiB", Aws, Input::Server(Failure::new(ErrorKind::RequestTooLarge, "the request body is larger than 1 MiB")), aws_err(413, "RequestEntityTooLargeException")),
        // --- Huawei handshake ids: `^h-[0-9a-z]{8,32}$`; every malformed id, whatever the
        // fault, is Huawei's one invalid-parameter code (huawei/error.rs, 400).
        row("huawei handshake id too short", Huawei, call("show_handshake", HW_MGMT, hw_on("h-0123456")), hw(400, HW_INVALID)),
        row("huawei handshake id too long", Huawei, call("show_handshake", HW_MGMT, hw_on(&format!("h-{}", "0".repeat(33)))), hw(400, HW_INVALID)),
        row("huawei handshake id upper case", Huawei, call("accept_handshake", HW_JUAN, hw_on("h-SETUP00000001")), hw(400, HW_INVALID)),
        row("huawei handshake id wrong prefix", Huawei, call("decline_handshake", HW_JUAN, hw_on("x-setup00000001")), hw(400, HW_INVALID)),
        row("huawei handshake id non-ascii", Huawei, call("cancel_handshake", HW_MGMT, hw_on("h-sétup00000001")), hw(400, HW_INVALID)),
        row("huawei handshake id missing", Huawei, call("show_handshake", HW_MGMT, json!({})), hw(400, HW_INVALID)),
        // --- Huawei account ids: the target entity follows the neutral AccountId rule (1 to
        // 64 ASCII letters or digits, huawei module docs "Ids"); a caller that is no account
        // id is access denied, Organizations.1001 (401).
        row("huawei account id too long", Huawei, call("invite_account", HW_MGMT, hw_invite("account", &"a".repeat(65), "")), hw(400, HW_INVALID)),
        row("huawei account id empty", Huawei, call("invite_account", HW_MGMT, hw_invite("account", "", "")), hw(400, HW_INVALID)),
        row("huawei account id non-ascii", Huawei, call("invite_account", HW_MGMT, hw_invite("account", "0a6d25d23900d45c0faac010e0fb4dé0", "")), hw(400, HW_INVALID)),
        row("huawei caller non-ascii", Huawei, call("show_handshake", "0a6d25d23900d45c0faac010e0fb4dé0", hw_on(HW_H1)), hw(401, "Organizations.1001")),
        row("huawei caller empty", Huawei, call("show_handshake", "", hw_on(HW_H1)), hw(401, "Organizations.1001")),
        // --- Huawei enums, notes and required members (huawei/request.rs `invite`).
        row("huawei target type unknown", Huawei, call("invite_account", HW_MGMT, hw_invite("email", "juan@example.com", "")), hw(400, HW_INVALID)),
        row("huawei target type upper case", Huawei, call("invite_account", HW_MGMT, hw_invite("ACCOUNT", HW_JUAN, "")), hw(400, HW_INVALID)),
        row("huawei notes too long", Huawei, call("invite_account", HW_MGMT, hw_invite("account", HW_MEMBER, &long_notes)), hw(400, HW_INVALID)),
        row("huawei notes missing", Huawei, call("invite_account", HW_MGMT, json!({"body": {"target": {"type": "account", "entity": HW_MEMBER}}})), hw(400, HW_INVALID)),
        row("huawei target missing", Huawei, call("invite_account", HW_MGMT, json!({"body": {"notes": ""}})), hw(400, HW_INVALID)),
        row("huawei unknown request part", Huawei, call("show_handshake", HW_MGMT, json!({"path": {"handshake_id": HW_H1}, "headers": {}})), hw(400, HW_INVALID)),
        // --- Huawei numbers: `limit` is 1 to 2000 (DEFAULT_LIMIT, MAX_LIMIT), an integer or
        // its decimal text; `marker` is 4 to 400 characters and issued by the same listing.
        row("huawei limit zero", Huawei, call("list_handshakes", HW_MGMT, json!({"query": {"limit": 0}})), hw(400, HW_INVALID)),
        row("huawei limit 2001", Huawei, call("list_handshakes", HW_MGMT, json!({"query": {"limit": 2001}})), hw(400, HW_INVALID)),
        row("huawei limit overflowing text", Huawei, call("list_received_handshakes", HW_JUAN, json!({"query": {"limit": "99999999999999999999"}})), hw(400, HW_INVALID)),
        row("huawei limit a boolean", Huawei, call("list_received_handshakes", HW_JUAN, json!({"query": {"limit": true}})), hw(400, HW_INVALID)),
        row("huawei limit a fraction", Huawei, call("list_received_handshakes", HW_JUAN, json!({"query": {"limit": 1.5}})), hw(400, HW_INVALID)),
        row("huawei marker too short", Huawei, call("list_received_handshakes", HW_JUAN, json!({"query": {"marker": "abc"}})), hw(400, HW_INVALID)),
        row("huawei token from another caller", Huawei, Input::Token { list_op: "list_handshakes", list_caller: HW_MGMT, list_request: json!({"query": {"limit": 1}}), op: "list_handshakes", caller: HW_OTHER, then: |token| json!({"query": {"marker": token}}) }, hw(400, HW_INVALID)),
        row("huawei token from another listing", Huawei, Input::Token { list_op: "list_handshakes", list_caller: HW_MGMT, list_request: json!({"query": {"limit": 1}}), op: "list_received_handshakes", caller: HW_MGMT, then: |token| json!({"query": {"marker": token}}) }, hw(400, HW_INVALID)),
        // --- Huawei time: before the ledger's clock is Organizations.1003 (409).
        row("huawei now at chrono's minimum", Huawei, call_at("list_handshakes", HW_MGMT, min, json!({})), hw(409, "Organizations.1003")),
        // An invitation whose times Huawei cannot write (years 0000-9999, huawei module docs
        // "Timestamps") is Unsupported (`Huawei::check_new`); before it existed the year-9999
        // row was answered with an error *and* kept in the ledger.
        row("huawei invite at chrono's maximum", Huawei, Input::Call { op: "invite_account", caller: HW_MGMT, now: max, request: hw_invite("account", HW_LI, ""), new_ids: &["h-new0000000001"] }, hw(400, "Organizations.Unverified.Unsupported")),
        row("huawei invite at year 9999", Huawei, Input::Call { op: "invite_account", caller: HW_MGMT, now: "9999-12-25T00:00:00Z".parse().expect("a time"), request: hw_invite("account", HW_LI, ""), new_ids: &["h-new0000000001"] }, hw(400, "Organizations.Unverified.Unsupported")),
        row("huawei unknown operation", Huawei, call("create_account", HW_MEMBER, json!({})), hw(400, "Organizations.Unverified.Unsupported")),
        // --- Huawei routing (huawei/dialect.rs `route`): an unknown path is Unsupported; a
        // body that is not JSON is invalid input.
        row("huawei route unknown path", Huawei, route("GET", "/v1/organizations/handshakez", Vec::new(), b""), hw(400, "Organizations.Unverified.Unsupported")),
        row("huawei route truncated body", Huawei, route("POST", "/v1/organizations/accounts/invite", Vec::new(), b"{\"target\": {\"type\": \"acc"), hw(400, HW_INVALID)),
        row("huawei route body nested too deep", Huawei, Input::Route { method: "POST", path: "/v1/organizations/accounts/invite", query: String::new(), headers: Vec::new(), body: nested(200).into_bytes() }, hw(400, HW_INVALID)),
        row("huawei server headers too large", Huawei, Input::Server(Failure { cause: org_handshake::error::REQUEST_HEADERS_TOO_LARGE, ..Failure::new(ErrorKind::RequestTooLarge, "the request headers are too large") }), hw(431, "APIG.0201")),
        row("huawei server body over 1 MiB", Huawei, Input::Server(Failure::new(ErrorKind::RequestTooLarge, "the request body is larger than 1 MiB")), hw(413, "APIG.0201")),
        // --- Alibaba handshake ids: `h-` + exactly 16 letters or digits, either case
        // (alibaba module docs); any other is InvalidParameter.HandshakeId, an absent one
        // MissingParameter.HandshakeId (alibaba/error.rs, per-parameter rows).
        row("alibaba handshake id too short", Alibaba, call("GetHandshake", ALI_MGMT, json!({"HandshakeId": "h-Ih8IuPfvV0t0Ab1"})), ali(400, "InvalidParameter.HandshakeId")),
        row("alibaba handshake id too long", Alibaba, call("GetHandshake", ALI_MGMT, json!({"HandshakeId": "h-Ih8IuPfvV0t0Ab123"})), ali(400, "InvalidParameter.HandshakeId")),
        row("alibaba handshake id wrong prefix", Alibaba, call("AcceptHandshake", ALI_JUAN, json!({"HandshakeId": "H-Ih8IuPfvV0t0Ab12"})), ali(400, "InvalidParameter.HandshakeId")),
        row("alibaba handshake id non-ascii", Alibaba, call("DeclineHandshake", ALI_JUAN, json!({"HandshakeId": "h-Ih8IuPfvV0t0Abé2"})), ali(400, "InvalidParameter.HandshakeId")),
        row("alibaba handshake id wrong case is another id", Alibaba, call("GetHandshake", ALI_MGMT, json!({"HandshakeId": "h-IH8IUPFVV0T0AB12"})), ali(404, "EntityNotExists.Handshake")),
        row("alibaba handshake id missing", Alibaba, call("CancelHandshake", ALI_MGMT, json!({})), ali(400, "MissingParameter.HandshakeId")),
        row("alibaba handshake id empty is missing", Alibaba, call("CancelHandshake", ALI_MGMT, json!({"HandshakeId": ""})), ali(400, "MissingParameter.HandshakeId")),
        // --- Alibaba account ids: 16 ASCII digits; a caller that is none is
        // InvalidAccessKeyId.NotFound (404).
        row("alibaba account id too short", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, ali_invite("Account", "177242285274000")), ali(400, "InvalidParameter.TargetEntity")),
        row("alibaba account id too long", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, ali_invite("Account", "17724228527400011")), ali(400, "InvalidParameter.TargetEntity")),
        row("alibaba account id non-ascii", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, ali_invite("Account", "177242285274000١")), ali(400, "InvalidParameter.TargetEntity")),
        row("alibaba caller twelve digits", Alibaba, call("GetHandshake", AWS_MGMT, json!({"HandshakeId": ALI_H1})), ali(404, "InvalidAccessKeyId.NotFound")),
        row("alibaba email malformed", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, ali_invite("Email", "juan.example.com")), ali(400, "InvalidParameter.TargetEntity")),
        // --- Alibaba enums, notes and required members.
        row("alibaba target type unknown", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, ali_invite("Name", "juan")), ali(400, "InvalidParameter.TargetType")),
        row("alibaba target type lower case", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, ali_invite("account", ALI_MEMBER)), ali(400, "InvalidParameter.TargetType")),
        row("alibaba target entity missing", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, json!({"TargetType": "Account"})), ali(400, "MissingParameter.TargetEntity")),
        row("alibaba note too long", Alibaba, call("InviteAccountToResourceDirectory", ALI_MGMT, json!({"TargetEntity": ALI_MEMBER, "TargetType": "Account", "Note": long_notes})), ali(400, "InvalidParameter.Note.Length")),
        row("alibaba request not a map", Alibaba, call("GetHandshake", ALI_MGMT, json!([ALI_H1])), ali(400, "InvalidParameter")),
        // --- Alibaba numbers: PageNumber 1 to 2^31-1, PageSize 1 to 100; text that is no
        // integer, or a list, is InvalidParameter.<name>.
        row("alibaba page number zero", Alibaba, call("ListHandshakesForAccount", ALI_JUAN, json!({"PageNumber": 0})), ali(400, "InvalidParameter.PageNumber")),
        row("alibaba page number above i32", Alibaba, call("ListHandshakesForAccount", ALI_JUAN, json!({"PageNumber": 2_147_483_648_u64})), ali(400, "InvalidParameter.PageNumber")),
        row("alibaba page number a fraction", Alibaba, call("ListHandshakesForAccount", ALI_JUAN, json!({"PageNumber": 1.5})), ali(400, "InvalidParameter.PageNumber")),
        row("alibaba page size 101", Alibaba, call("ListHandshakesForResourceDirectory", ALI_MGMT, json!({"PageSize": 101})), ali(400, "InvalidParameter.PageSize")),
        row("alibaba page size negative", Alibaba, call("ListHandshakesForResourceDirectory", ALI_MGMT, json!({"PageSize": -5})), ali(400, "InvalidParameter.PageSize")),
        row("alibaba page size a list", Alibaba, call("ListHandshakesForResourceDirectory", ALI_MGMT, json!({"PageSize": [5]})), ali(400, "InvalidParameter.PageSize")),
        // --- Alibaba time: before the clock is ConcurrentExecutionError (409); an invitation
        // expiring after 9999 is Unsupported (`Alibaba::check_new`): UnsupportedOperation.
        row("alibaba now at chrono's minimum", Alibaba, call_at("GetHandshake", ALI_MGMT, min, json!({"HandshakeId": ALI_H1})), ali(409, "ConcurrentExecutionError")),
        row("alibaba invite at chrono's maximum", Alibaba, Input::Call { op: "InviteAccountToResourceDirectory", caller: ALI_MGMT, now: max, request: ali_invite("Account", ALI_MEMBER), new_ids: &["h-0000000000000009"] }, ali(400, "UnsupportedOperation")),
        row("alibaba unknown action", Alibaba, call("EnableAllFeatures", ALI_MGMT, json!({})), ali(404, "InvalidAction.NotFound")),
        // --- Alibaba routing (alibaba/dialect.rs `route`): an Action it lacks is
        // InvalidAction.NotFound; a JSON body that is not a JSON object is invalid input.
        row("alibaba route unknown action", Alibaba, route_query("GET", "/", "Action=DeleteResourceDirectory".into()), ali(404, "InvalidAction.NotFound")),
        row("alibaba route no action", Alibaba, route_query("GET", "/", "HandshakeId=h-Ih8IuPfvV0t0Ab12".into()), ali(404, "InvalidAction.NotFound")),
        // Not catalogued: a JSON body that does not parse answers `InvalidParameter.json()` (the
        // HTTP part's name where the table's per-parameter row wants an Alibaba parameter; the
        // table gives bare `InvalidParameter` for invalid input naming no parameter). Reported,
        // not encoded.
        row("alibaba route form body without action", Alibaba, route("POST", "/", vec![("content-type", "application/x-www-form-urlencoded")], b"HandshakeId=h-Ih8IuPfvV0t0Ab12&Act"), ali(404, "InvalidAction.NotFound")),
        row("alibaba server body over 1 MiB", Alibaba, Input::Server(Failure::new(ErrorKind::RequestTooLarge, "the request body is larger than 1 MiB")), ali(413, "Request.TooLarge")),
        // --- Worlds (ledger/world.rs WorldError, `Service::new`'s id check, and World's
        // `deny_unknown_fields`).
        row("world duplicate account", Aws, world(json!({"accounts": [{"id": AWS_JUAN, "name": "a"}, {"id": AWS_JUAN, "name": "b"}]})), Expect::World("duplicate_account")),
        row("world duplicate organization", Aws, world(json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": AWS_MGMT, "name": "a"}}, {"id": "o-exampleorgid", "management_account": {"id": AWS_OTHER, "name": "b"}}]})), Expect::World("duplicate_organization")),
        row("world account in two organizations", Aws, world(json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": AWS_MGMT, "name": "a"}, "members": [AWS_JUAN]}, {"id": "o-otherorgid0", "management_account": {"id": AWS_OTHER, "name": "b"}, "members": [AWS_JUAN]}], "accounts": [{"id": AWS_JUAN, "name": "juan"}]})), Expect::World("account_in_two_organizations")),
        row("world duplicate email", Aws, world(json!({"accounts": [{"id": AWS_JUAN, "name": "a", "email": "x@example.com"}, {"id": AWS_MARY, "name": "b", "email": "x@example.com"}]})), Expect::World("duplicate_email")),
        row("world organization id too short", Aws, world(json!({"organizations": [{"id": "o-abc", "management_account": {"id": AWS_MGMT, "name": "a"}}]})), Expect::WorldJson("has 3 characters after its prefix, expected 10 to 32")),
        row("world aws organization id too long", Aws, world(json!({"organizations": [{"id": format!("o-{}", "a".repeat(33)), "management_account": {"id": AWS_MGMT, "name": "a"}}]})), Expect::WorldJson("expected 10 to 32")),
        row("world aws organization id resource directory", Aws, world(json!({"organizations": [{"id": "rd-k3Xt9Qa7", "management_account": {"id": AWS_MGMT, "name": "a"}}]})), Expect::World("id_outside_pattern")),
        row("world aws account id sixteen digits", Aws, world(json!({"accounts": [{"id": ALI_JUAN, "name": "a"}]})), Expect::World("id_outside_pattern")),
        row("world organization id upper case", Huawei, world(json!({"organizations": [{"id": "o-FHKMI6MEK7WLQDP6", "management_account": {"id": HW_MGMT, "name": "a"}}]})), Expect::WorldJson("has invalid character 'F' at position 2")),
        row("world huawei organization id resource directory", Huawei, world(json!({"organizations": [{"id": "rd-k3Xt9Qa7", "management_account": {"id": HW_MGMT, "name": "a"}}]})), Expect::World("id_outside_pattern")),
        row("world huawei account id twelve digits", Huawei, world(json!({"accounts": [{"id": AWS_JUAN, "name": "a"}]})), Expect::World("id_outside_pattern")),
        row("world alibaba organization id o-", Alibaba, world(json!({"organizations": [{"id": "o-exampleorgid", "management_account": {"id": ALI_MGMT, "name": "a"}}]})), Expect::World("id_outside_pattern")),
        row("world alibaba account id fifteen digits", Alibaba, world(json!({"accounts": [{"id": "177242285274000", "name": "a"}]})), Expect::World("id_outside_pattern")),
        row("world unknown key", Aws, world(json!({"acounts": []})), Expect::WorldJson("unknown field `acounts`")),
        row("world unknown account key", Aws, world(json!({"accounts": [{"id": AWS_JUAN, "name": "a", "mail": "x@example.com"}]})), Expect::WorldJson("unknown field `mail`")),
        row("world unknown feature set", Aws, world(json!({"organizations": [{"id": "o-exampleorgid", "feature_set": "FULL", "management_account": {"id": AWS_MGMT, "name": "a"}}]})), Expect::WorldJson("unknown feature set `FULL`")),
        row("world non-ascii account id", Aws, world(json!({"accounts": [{"id": "٢٢٢٢٢٢٢٢٢٢٢٢", "name": "a"}]})), Expect::WorldJson("has invalid character '٢' at position 0")),
        // --- Bare handshake parsers (provider/mod.rs WireError codes): not JSON, or JSON past
        // serde_json's recursion limit, is invalid_json; a missing member is missing_field
        // (AWS and Alibaba through serde's message as invalid_json; Huawei names it).
        row("parse aws truncated", Aws, Input::Parse("{\"Id\": \"h-".into()), Expect::Wire("invalid_json")),
        row("parse aws nested 200 deep", Aws, Input::Parse(nested(200)), Expect::Wire("invalid_json")),
        row("parse huawei nested 200 deep", Huawei, Input::Parse(format!("{{\"id\": {}}}", nested(200))), Expect::Wire("invalid_json")),
        row("parse huawei missing urn", Huawei, Input::Parse(r#"{"id": "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w", "created_at": "2022-08-25T08:11:20Z", "expired_at": "2022-09-08T08:11:20Z", "management_account_id": "0a6d25d23900d45c0faac010e0fb4de0", "management_account_name": "paas", "organization_id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv", "target": {"type": "account", "entity": "05c734152f00d4200f2bc0179ac6c5e0"}, "status": "pending"}"#.into()), Expect::Wire("missing_field")),
        row("parse alibaba nested 200 deep", Alibaba, Input::Parse(nested(200)), Expect::Wire("invalid_json")),
    ]
}

// ---------------------------------------------------------------------------------------------
// Running a row.

/// The reply's error as a row states it: the status, and the code and reason the reply says
/// its body carries (`tests/reply_text.rs` checks that every body carries them).
fn reply_error(reply: &Reply) -> Expect {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    Expect::Reply(
        reply.status,
        leak(reply.error_code.as_deref().unwrap_or("<none>")),
        reply.error_reason.as_deref().map(leak),
    )
}

fn ledger_json(service: &Service) -> String {
    serde_json::to_string(service.ledger()).expect("a ledger serializes")
}

/// Runs one row: the error it got (or a description of what went wrong instead).
fn run(row: &Row) -> Result<Expect, String> {
    let provider = row.provider;
    match &row.input {
        Input::Call {
            op,
            caller,
            now,
            request,
            new_ids,
        } => {
            let mut service = fixture(provider);
            let before = ledger_json(&service);
            let result = service.call(&Call::new(op, caller, *now, request).with_new_ids(new_ids));
            unchanged(&service, &before)?;
            match result {
                Ok(reply) if reply.error.is_some() && reply.events.is_empty() => {
                    Ok(reply_error(&reply))
                }
                Ok(reply) => Err(format!("answered {} {}", reply.status, reply.json())),
                Err(err) => Ok(Expect::Call(err.code())),
            }
        }
        Input::Token {
            list_op,
            list_caller,
            list_request,
            op,
            caller,
            then,
        } => {
            let mut service = fixture(provider);
            let first = service
                .call(&Call::new(list_op, list_caller, t1(), list_request))
                .map_err(|err| err.to_string())?;
            let first = first.json();
            let token = first["NextToken"]
                .as_str()
                .or_else(|| first["page_info"]["next_marker"].as_str())
                .ok_or_else(|| format!("no next token in {first}"))?
                .to_owned();
            let request = then(&token);
            let before = ledger_json(&service);
            let reply = service
                .call(&Call::new(op, caller, t1(), &request))
                .map_err(|err| err.to_string())?;
            unchanged(&service, &before)?;
            if reply.error.is_none() {
                return Err(format!("answered {} {}", reply.status, reply.json()));
            }
            Ok(reply_error(&reply))
        }
        Input::Route {
            method,
            path,
            query,
            headers,
            body,
        } => {
            let service = fixture(provider);
            let before = ledger_json(&service);
            let request = HttpRequest::new(method, path)
                .with_query(query)
                .with_headers(headers)
                .with_body(body);
            if Provider::for_request(&request).is_some_and(|p| p != provider) {
                return Err(format!("claimed by {:?}", Provider::for_request(&request)));
            }
            let result = service.route(&request, "");
            unchanged(&service, &before)?;
            match result {
                Ok(routed) => Err(format!("routed to {}", routed.operation)),
                Err(reply) => Ok(reply_error(&reply)),
            }
        }
        Input::Server(failure) => {
            let service = fixture(provider);
            Ok(reply_error(&service.reply_to(failure, "", "")))
        }
        Input::World(value) => match serde_json::from_value::<World>(value.clone()) {
            Err(err) => Ok(Expect::WorldJson(Box::leak(
                err.to_string().into_boxed_str(),
            ))),
            Ok(world) => match Service::new(provider, &world) {
                Ok(_) => Err("the world was accepted".into()),
                Err(err) => Ok(Expect::World(err.code())),
            },
        },
        Input::Parse(text) => match provider.parse_handshake(text) {
            Ok(h) => Err(format!("parsed {h:?}")),
            Err(err) => Ok(Expect::Wire(err.code())),
        },
    }
}

fn unchanged(service: &Service, before: &str) -> Result<(), String> {
    if ledger_json(service) == before {
        Ok(())
    } else {
        Err("the refused call changed the ledger".into())
    }
}

fn matches(expect: &Expect, got: &Expect) -> bool {
    match (expect, got) {
        (Expect::WorldJson(part), Expect::WorldJson(message)) => message.contains(part),
        _ => expect == got,
    }
}

#[test]
fn catalogue_of_143_named_bad_inputs_each_refused_exactly_without_change() {
    let rows = rows();
    assert!(rows.len() >= 60, "{} rows", rows.len());
    assert_eq!(rows.len(), 143, "the test's name gives the count");
    let mut names: Vec<&str> = rows.iter().map(|row| row.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), rows.len(), "row names are unique");
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|row| match run(row) {
            Ok(got) if matches(&row.expect, &got) => None,
            Ok(got) => Some(format!(
                "{}: expected {:?}, got {got:?}",
                row.name, row.expect
            )),
            Err(what) => Some(format!("{}: {what}", row.name)),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A provider added to the registry gets a fixture here, or this fails naming it; and each
/// fixture's world and invitations are accepted by its provider.
#[test]
fn every_registered_provider_has_a_fixture_that_sets_up() {
    for provider in Provider::values() {
        let service = fixture(*provider);
        let listed = service.ledger().len();
        assert_eq!(listed, 2, "{provider}: the fixture's two invitations");
    }
    assert_eq!(
        FIXTURES.len(),
        Provider::values().len(),
        "a fixture for no provider"
    );
}
