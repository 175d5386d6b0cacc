//! The membership operations through each provider's dialect: snapshots of every new success
//! and error body (status and body), AWS's documented examples rendered exactly, and the
//! flows each provider's own SDK would drive (create, invite, accept, list, leave or remove,
//! delete), pages followed by their token.

mod common;

use common::reply::status_and_body;
use insta::assert_json_snapshot;
use org_handshake::ledger::World;
use org_handshake::provider::{Call, Provider, Reply, Service};
use org_handshake::ErrorKind;
use serde_json::{json, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn at(n: i64) -> chrono::DateTime<chrono::Utc> {
    "2026-01-05T10:00:00Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .map(|t| t + chrono::TimeDelta::minutes(n))
        .unwrap_or_default()
}

fn call(
    service: &mut Service,
    operation: &str,
    caller: &str,
    n: i64,
    request: Value,
) -> Result<Reply, Box<dyn std::error::Error>> {
    Ok(service.call(&Call::new(operation, caller, at(n), &request).with_request_id("r-1"))?)
}

fn call_with_ids(
    service: &mut Service,
    operation: &str,
    caller: &str,
    n: i64,
    request: Value,
    ids: &[&str],
) -> Result<Reply, Box<dyn std::error::Error>> {
    Ok(service.call(
        &Call::new(operation, caller, at(n), &request)
            .with_new_ids(ids)
            .with_request_id("r-1"),
    )?)
}

// ---------------------------------------------------------------------------------------------
// AWS

const BILL: &str = "111111111111";
const ALICE: &str = "222222222222";
const JUAN: &str = "333333333333";
const ANIKA: &str = "444444444444";

fn aws_world() -> Result<World, serde_json::Error> {
    serde_json::from_value(json!({
        "organizations": [{
            "id": "o-exampleorgid",
            "management_account": {"id": BILL, "name": "Master Account", "email": "bill@example.com"},
            "feature_set": "ALL",
            "members": [ALICE, JUAN],
            "created_at": "2016-12-15T19:30:15Z",
            "joined_at": {ALICE: "2016-12-15T21:02:21Z", JUAN: "2016-12-15T21:03:47Z"}
        }],
        "accounts": [
            {"id": ALICE, "name": "Developer Account", "email": "alice@example.com"},
            {"id": JUAN, "name": "Test Account", "email": "juan@example.com"},
            {"id": ANIKA, "name": "Production Account", "email": "anika@example.com"}
        ]
    }))
}

/// botocore `examples-1.json`, CreateOrganization (all features).
const AWS_CREATE_EXAMPLE: &str = r#"{"Organization": {
    "Arn": "arn:aws:organizations::111111111111:organization/o-exampleorgid",
    "AvailablePolicyTypes": [{"Status": "ENABLED", "Type": "SERVICE_CONTROL_POLICY"}],
    "FeatureSet": "ALL",
    "Id": "o-exampleorgid",
    "MasterAccountArn": "arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111",
    "MasterAccountEmail": "bill@example.com",
    "MasterAccountId": "111111111111"}}"#;

/// botocore `examples-1.json`, CreateOrganization (consolidated billing).
const AWS_CREATE_CB_EXAMPLE: &str = r#"{"Organization": {
    "Arn": "arn:aws:organizations::111111111111:organization/o-exampleorgid",
    "AvailablePolicyTypes": [],
    "FeatureSet": "CONSOLIDATED_BILLING",
    "Id": "o-exampleorgid",
    "MasterAccountArn": "arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111",
    "MasterAccountEmail": "bill@example.com",
    "MasterAccountId": "111111111111"}}"#;

#[test]
fn aws_create_organization_renders_the_documented_examples_exactly() -> TestResult {
    let world: World = serde_json::from_value(json!({
        "accounts": [{"id": BILL, "name": "Master Account", "email": "bill@example.com"}]
    }))?;
    for (request, example) in [
        (json!({}), AWS_CREATE_EXAMPLE),
        (
            json!({"FeatureSet": "CONSOLIDATED_BILLING"}),
            AWS_CREATE_CB_EXAMPLE,
        ),
    ] {
        let mut aws = Service::new(Provider::Aws, &world)?;
        let reply = call_with_ids(
            &mut aws,
            "CreateOrganization",
            BILL,
            0,
            request,
            &["o-exampleorgid"],
        )?;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json(), serde_json::from_str::<Value>(example)?);
    }
    Ok(())
}

#[test]
fn aws_membership_bodies() -> TestResult {
    let mut aws = Service::new(Provider::Aws, &aws_world()?)?;
    let reply = call(&mut aws, "DescribeOrganization", JUAN, 0, json!({}))?;
    assert_json_snapshot!("aws_describe_organization", status_and_body(&reply));

    // Pages of two: Bill (CREATED, at the creation), then Alice and Juan (INVITED, at their
    // world join times); the token leads to the last page, which has none.
    let first = call(&mut aws, "ListAccounts", BILL, 0, json!({"MaxResults": 2}))?;
    let token = first.json()["NextToken"]
        .as_str()
        .ok_or("a next page")?
        .to_owned();
    let mut shown = status_and_body(&first);
    shown.body["NextToken"] = json!("<token>");
    assert_json_snapshot!("aws_list_accounts_first_page", shown);
    let last = call(
        &mut aws,
        "ListAccounts",
        BILL,
        0,
        json!({"MaxResults": 2, "NextToken": token}),
    )?;
    assert_json_snapshot!("aws_list_accounts_last_page", status_and_body(&last));

    let reply = call(
        &mut aws,
        "DescribeAccount",
        BILL,
        0,
        json!({"AccountId": ALICE}),
    )?;
    assert_json_snapshot!("aws_describe_account", status_and_body(&reply));

    let reply = call(&mut aws, "LeaveOrganization", JUAN, 1, json!({}))?;
    assert_eq!((reply.status, reply.json()), (200, json!({})));
    assert!(reply.changed());
    let reply = call(
        &mut aws,
        "RemoveAccountFromOrganization",
        BILL,
        2,
        json!({"AccountId": ALICE}),
    )?;
    assert_eq!((reply.status, reply.json()), (200, json!({})));
    let reply = call(&mut aws, "DeleteOrganization", BILL, 3, json!({}))?;
    assert_json_snapshot!("aws_delete_organization", status_and_body(&reply));
    Ok(())
}

#[test]
fn aws_membership_errors() -> TestResult {
    let mut aws = Service::new(Provider::Aws, &aws_world()?)?;
    let cases: Vec<(&str, &str, &str, Value, ErrorKind)> = vec![
        (
            "aws_error_not_in_use",
            "DescribeOrganization",
            ANIKA,
            json!({}),
            ErrorKind::NotInOrganization,
        ),
        (
            "aws_error_member_lists_accounts",
            "ListAccounts",
            ALICE,
            json!({}),
            ErrorKind::AccessDenied,
        ),
        (
            "aws_error_account_not_found",
            "DescribeAccount",
            BILL,
            json!({"AccountId": ANIKA}),
            ErrorKind::AccountNotFound,
        ),
        (
            "aws_error_organization_not_empty",
            "DeleteOrganization",
            BILL,
            json!({}),
            ErrorKind::OrganizationNotEmpty,
        ),
        (
            "aws_error_master_cannot_leave",
            "LeaveOrganization",
            BILL,
            json!({}),
            ErrorKind::ManagementAccountCannotLeave,
        ),
        (
            "aws_error_master_cannot_be_removed",
            "RemoveAccountFromOrganization",
            BILL,
            json!({"AccountId": BILL}),
            ErrorKind::ManagementAccountCannotLeave,
        ),
        (
            "aws_error_already_in_organization",
            "CreateOrganization",
            ALICE,
            json!({}),
            ErrorKind::AlreadyInOrganization,
        ),
        (
            "aws_error_account_id_pattern",
            "DescribeAccount",
            BILL,
            json!({"AccountId": "12345"}),
            ErrorKind::InvalidInput,
        ),
        (
            "aws_error_account_id_too_long",
            "RemoveAccountFromOrganization",
            BILL,
            json!({"AccountId": "1234567890123"}),
            ErrorKind::InvalidInput,
        ),
        (
            "aws_error_account_id_missing",
            "DescribeAccount",
            BILL,
            json!({}),
            ErrorKind::InvalidInput,
        ),
        (
            "aws_error_feature_set",
            "CreateOrganization",
            ANIKA,
            json!({"FeatureSet": "SOME"}),
            ErrorKind::InvalidInput,
        ),
    ];
    for (name, operation, caller, request, kind) in cases {
        let before = serde_json::to_string(aws.ledger())?;
        let reply = call_with_ids(&mut aws, operation, caller, 0, request, &["o-a1b2c3d4e5"])?;
        assert_eq!(reply.error, Some(kind), "{name}: {reply:?}");
        assert_eq!(
            serde_json::to_string(aws.ledger())?,
            before,
            "{name} changed the ledger"
        );
        assert_json_snapshot!(name, status_and_body(&reply));
    }
    Ok(())
}

#[test]
fn aws_invite_accept_list_leave_invite_again() -> TestResult {
    let mut aws = Service::new(Provider::Aws, &aws_world()?)?;
    let invite = json!({"Target": {"Id": ANIKA, "Type": "ACCOUNT"}});
    let sent = call_with_ids(
        &mut aws,
        "InviteAccountToOrganization",
        BILL,
        0,
        invite.clone(),
        &["h-0000000001"],
    )?;
    assert_eq!(sent.status, 200);
    call(
        &mut aws,
        "AcceptHandshake",
        ANIKA,
        5,
        json!({"HandshakeId": "h-0000000001"}),
    )?;
    let anika = call(
        &mut aws,
        "DescribeAccount",
        BILL,
        5,
        json!({"AccountId": ANIKA}),
    )?
    .json();
    assert_eq!(anika["Account"]["JoinedMethod"], "INVITED");
    assert_eq!(
        anika["Account"]["JoinedTimestamp"],
        json!(at(5).timestamp())
    );
    let organization = call(&mut aws, "DescribeOrganization", ANIKA, 5, json!({}))?.json();
    assert_eq!(organization["Organization"]["Id"], "o-exampleorgid");
    call(&mut aws, "LeaveOrganization", ANIKA, 6, json!({}))?;
    let again = call_with_ids(
        &mut aws,
        "InviteAccountToOrganization",
        BILL,
        7,
        invite,
        &["h-0000000002"],
    )?;
    assert_eq!(again.status, 200);
    call(
        &mut aws,
        "AcceptHandshake",
        ANIKA,
        8,
        json!({"HandshakeId": "h-0000000002"}),
    )?;
    let page = call(&mut aws, "ListAccounts", BILL, 8, json!({}))?.json();
    let ids: Vec<&str> = page["Accounts"]
        .as_array()
        .ok_or("accounts")?
        .iter()
        .filter_map(|a| a["Id"].as_str())
        .collect();
    assert_eq!(ids, [BILL, ALICE, JUAN, ANIKA]);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Huawei

const HW_MANAGER: &str = "0a6d25d23900d45c0faac010e0fb4de0";
const HW_MEMBER: &str = "05c734152f00d4200f2bc0179ac6c5e0";
const HW_OTHER: &str = "1b2c3d4e5f60718293a4b5c6d7e8f901";
const HW_ORG: &str = "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv";

fn huawei_world() -> Result<World, serde_json::Error> {
    serde_json::from_value(json!({
        "organizations": [{
            "id": HW_ORG,
            "management_account": {"id": HW_MANAGER, "name": "paas_iam_573331", "email": "iam@example.com"},
            "members": [HW_MEMBER],
            "created_at": "2022-08-24T06:41:15Z",
            "joined_at": {HW_MEMBER: "2022-08-25T01:02:03Z"}
        }],
        "accounts": [
            {"id": HW_MEMBER, "name": "juan"},
            {"id": HW_OTHER, "name": "ana"}
        ]
    }))
}

fn path(id: &str) -> Value {
    json!({"path": {"account_id": id}})
}

#[test]
fn huawei_membership_bodies() -> TestResult {
    let mut huawei = Service::new(Provider::Huawei, &huawei_world()?)?;
    let reply = call(&mut huawei, "show_organization", HW_MEMBER, 0, json!({}))?;
    assert_json_snapshot!("huawei_show_organization", status_and_body(&reply));

    let first = call(
        &mut huawei,
        "list_accounts",
        HW_MANAGER,
        0,
        json!({"query": {"limit": 1}}),
    )?;
    let marker = first.json()["page_info"]["next_marker"]
        .as_str()
        .ok_or("a next page")?
        .to_owned();
    let mut shown = status_and_body(&first);
    shown.body["page_info"]["next_marker"] = json!("<marker>");
    assert_json_snapshot!("huawei_list_accounts_first_page", shown);
    let last = call(
        &mut huawei,
        "list_accounts",
        HW_MANAGER,
        0,
        json!({"query": {"limit": "1", "marker": marker}}),
    )?;
    assert_json_snapshot!("huawei_list_accounts_last_page", status_and_body(&last));

    let reply = call(&mut huawei, "show_account", HW_MANAGER, 0, path(HW_MEMBER))?;
    assert_json_snapshot!("huawei_show_account", status_and_body(&reply));

    let reply = call(
        &mut huawei,
        "remove_account",
        HW_MANAGER,
        1,
        path(HW_MEMBER),
    )?;
    assert_eq!((reply.status, reply.body.as_str()), (200, ""));
    assert!(reply.changed());
    let reply = call(&mut huawei, "delete_organization", HW_MANAGER, 2, json!({}))?;
    assert_eq!((reply.status, reply.body.as_str()), (204, ""));
    assert!(reply.changed());

    let reply = call_with_ids(
        &mut huawei,
        "create_organization",
        HW_OTHER,
        3,
        json!({}),
        &["o-n1e2w3o4r5g6a7n8i9z0a1t2i3o4n5a6"],
    )?;
    assert_eq!(reply.status, 201);
    assert_json_snapshot!("huawei_create_organization", status_and_body(&reply));
    let reply = call(&mut huawei, "leave_organization", HW_OTHER, 4, json!({}))?;
    assert_eq!(reply.error, Some(ErrorKind::ManagementAccountCannotLeave));
    Ok(())
}

#[test]
fn huawei_membership_errors() -> TestResult {
    let mut huawei = Service::new(Provider::Huawei, &huawei_world()?)?;
    let cases: Vec<(&str, &str, &str, Value, ErrorKind)> = vec![
        (
            "huawei_error_not_in_organization",
            "show_organization",
            HW_OTHER,
            json!({}),
            ErrorKind::NotInOrganization,
        ),
        (
            "huawei_error_member_lists_accounts",
            "list_accounts",
            HW_MEMBER,
            json!({}),
            ErrorKind::AccessDenied,
        ),
        (
            "huawei_error_member_deletes",
            "delete_organization",
            HW_MEMBER,
            json!({}),
            ErrorKind::AccessDenied,
        ),
        (
            "huawei_error_account_not_found",
            "show_account",
            HW_MANAGER,
            path(HW_OTHER),
            ErrorKind::AccountNotFound,
        ),
        (
            "huawei_error_organization_not_empty",
            "delete_organization",
            HW_MANAGER,
            json!({}),
            ErrorKind::OrganizationNotEmpty,
        ),
        (
            "huawei_error_manager_cannot_leave",
            "leave_organization",
            HW_MANAGER,
            json!({}),
            ErrorKind::ManagementAccountCannotLeave,
        ),
        (
            "huawei_error_already_in_organization",
            "create_organization",
            HW_MEMBER,
            json!({}),
            ErrorKind::AlreadyInOrganization,
        ),
        (
            "huawei_error_account_id_missing",
            "remove_account",
            HW_MANAGER,
            json!({}),
            ErrorKind::InvalidInput,
        ),
    ];
    for (name, operation, caller, request, kind) in cases {
        let before = serde_json::to_string(huawei.ledger())?;
        let reply = call_with_ids(
            &mut huawei,
            operation,
            caller,
            0,
            request,
            &["o-n1e2w3o4r5g6a7n8i9z0a1t2i3o4n5a6"],
        )?;
        assert_eq!(reply.error, Some(kind), "{name}: {reply:?}");
        assert_eq!(
            serde_json::to_string(huawei.ledger())?,
            before,
            "{name} changed the ledger"
        );
        assert_json_snapshot!(name, status_and_body(&reply));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Alibaba

const RD_MANAGER: &str = "1512666876910001";
const RD_MEMBER: &str = "1772422852740001";
const RD_OTHER: &str = "1772422852740002";

fn alibaba_world() -> Result<World, serde_json::Error> {
    serde_json::from_value(json!({
        "organizations": [{
            "id": "rd-3G6rzX",
            "management_account": {"id": RD_MANAGER, "name": "CompanyA", "email": "admin@companya.example.com"},
            "members": [RD_MEMBER],
            "created_at": "2021-06-15T02:25:47Z",
            "joined_at": {RD_MEMBER: "2021-06-16T08:00:00Z"}
        }],
        "accounts": [
            {"id": RD_MEMBER, "name": "dev", "email": "dev@companya.example.com"},
            {"id": RD_OTHER, "name": "other"}
        ]
    }))
}

#[test]
fn alibaba_membership_bodies() -> TestResult {
    let mut alibaba = Service::new(Provider::Alibaba, &alibaba_world()?)?;
    let reply = call(
        &mut alibaba,
        "GetResourceDirectory",
        RD_MEMBER,
        0,
        json!({}),
    )?;
    assert_json_snapshot!("alibaba_get_resource_directory", status_and_body(&reply));
    let reply = call(
        &mut alibaba,
        "ListAccounts",
        RD_MANAGER,
        0,
        json!({"PageSize": "1", "PageNumber": "2"}),
    )?;
    assert_json_snapshot!("alibaba_list_accounts_second_page", status_and_body(&reply));
    let reply = call(
        &mut alibaba,
        "GetAccount",
        RD_MANAGER,
        0,
        json!({"AccountId": RD_MEMBER}),
    )?;
    assert_json_snapshot!("alibaba_get_account", status_and_body(&reply));
    let reply = call(
        &mut alibaba,
        "RemoveCloudAccount",
        RD_MANAGER,
        1,
        json!({"AccountId": RD_MEMBER}),
    )?;
    assert_json_snapshot!("alibaba_remove_cloud_account", status_and_body(&reply));
    let reply = call(
        &mut alibaba,
        "DestroyResourceDirectory",
        RD_MANAGER,
        2,
        json!({}),
    )?;
    assert_json_snapshot!(
        "alibaba_destroy_resource_directory",
        status_and_body(&reply)
    );
    let reply = call_with_ids(
        &mut alibaba,
        "EnableResourceDirectory",
        RD_OTHER,
        3,
        json!({"EnableMode": "CurrentAccount"}),
        &["rd-k4Ab9z"],
    )?;
    assert_json_snapshot!("alibaba_enable_resource_directory", status_and_body(&reply));
    Ok(())
}

#[test]
fn alibaba_membership_errors() -> TestResult {
    let mut alibaba = Service::new(Provider::Alibaba, &alibaba_world()?)?;
    let cases: Vec<(&str, &str, &str, Value, ErrorKind)> = vec![
        (
            "alibaba_error_not_in_resource_directory",
            "GetResourceDirectory",
            RD_OTHER,
            json!({}),
            ErrorKind::NotInOrganization,
        ),
        (
            "alibaba_error_member_lists_accounts",
            "ListAccounts",
            RD_MEMBER,
            json!({}),
            ErrorKind::AccessDenied,
        ),
        (
            "alibaba_error_account_not_found",
            "GetAccount",
            RD_MANAGER,
            json!({"AccountId": RD_OTHER}),
            ErrorKind::AccountNotFound,
        ),
        (
            "alibaba_error_not_empty",
            "DestroyResourceDirectory",
            RD_MANAGER,
            json!({}),
            ErrorKind::OrganizationNotEmpty,
        ),
        (
            "alibaba_error_remove_management_account",
            "RemoveCloudAccount",
            RD_MANAGER,
            json!({"AccountId": RD_MANAGER}),
            ErrorKind::ManagementAccountCannotLeave,
        ),
        (
            "alibaba_error_already_in_resource_directory",
            "EnableResourceDirectory",
            RD_MEMBER,
            json!({"EnableMode": "CurrentAccount"}),
            ErrorKind::AlreadyInOrganization,
        ),
        (
            "alibaba_error_new_management_account_mode",
            "EnableResourceDirectory",
            RD_OTHER,
            json!({"EnableMode": "NewManagementAccount", "MAName": "a@rdadmin.aliyunid.com"}),
            ErrorKind::Unsupported,
        ),
        (
            "alibaba_error_enable_mode_missing",
            "EnableResourceDirectory",
            RD_OTHER,
            json!({}),
            ErrorKind::InvalidInput,
        ),
        (
            "alibaba_error_account_id_missing",
            "RemoveCloudAccount",
            RD_MANAGER,
            json!({}),
            ErrorKind::InvalidInput,
        ),
        (
            "alibaba_error_account_id_pattern",
            "GetAccount",
            RD_MANAGER,
            json!({"AccountId": "17724228527"}),
            ErrorKind::InvalidInput,
        ),
    ];
    for (name, operation, caller, request, kind) in cases {
        let before = serde_json::to_string(alibaba.ledger())?;
        let reply = call_with_ids(&mut alibaba, operation, caller, 0, request, &["rd-k4Ab9z"])?;
        assert_eq!(reply.error, Some(kind), "{name}: {reply:?}");
        assert_eq!(
            serde_json::to_string(alibaba.ledger())?,
            before,
            "{name} changed the ledger"
        );
        assert_json_snapshot!(name, status_and_body(&reply));
    }
    Ok(())
}

#[test]
fn alibaba_numbered_pages_total_every_account() -> TestResult {
    let alibaba = Service::new(Provider::Alibaba, &alibaba_world()?)?;
    let mut alibaba = alibaba;
    let page = call(&mut alibaba, "ListAccounts", RD_MANAGER, 0, json!({}))?.json();
    assert_eq!(page["TotalCount"], 2);
    assert_eq!(
        (page["PageNumber"].clone(), page["PageSize"].clone()),
        (json!(1), json!(10))
    );
    let ids: Vec<&str> = page["Accounts"]["Account"]
        .as_array()
        .ok_or("accounts")?
        .iter()
        .filter_map(|a| a["AccountId"].as_str())
        .collect();
    assert_eq!(ids, [RD_MANAGER, RD_MEMBER]);
    let past = call(
        &mut alibaba,
        "ListAccounts",
        RD_MANAGER,
        0,
        json!({"PageNumber": "3", "PageSize": "1"}),
    )?
    .json();
    assert_eq!(past["Accounts"]["Account"], json!([]));
    assert_eq!(past["TotalCount"], 2);
    Ok(())
}
