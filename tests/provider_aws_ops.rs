//! The AWS operation layer: arbitrary requests to every operation never panic, are answered
//! with success or an AWS error body, and a refused call changes nothing; plus regression
//! tests for what the conformance vectors found.

use org_handshake::ledger::{Ledger, LedgerError, World};
use org_handshake::provider::{aws, Call, Provider, Service};
use org_handshake::Failure;
use serde_json::{json, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn world() -> World {
    serde_json::from_value(json!({
        "organizations": [{
            "id": "o-exampleorgid",
            "management_account": {"id": "111111111111", "name": "Org Master Account", "email": "bill@example.com"},
            "feature_set": "consolidated_billing",
            "members": ["333333333333"]
        }],
        "accounts": [
            {"id": "222222222222", "name": "juan", "email": "juan@example.com"},
            {"id": "333333333333", "name": "mary"}
        ]
    }))
    .unwrap()
}

/// Regression: inviting one's own management account rendered as
/// MasterCannotLeaveOrganizationException, which is for a management account accepting an
/// invitation to another organization; design.md wants ALREADY_IN_AN_ORGANIZATION.
#[test]
fn inviting_ones_own_management_account_is_already_in_an_organization() -> TestResult {
    let err = LedgerError::RecipientAlreadyInOrganization {
        account: "111111111111".parse()?,
        organization: "o-exampleorgid".parse()?,
        is_management_account: true,
    };
    let response = aws::error_response(&Failure::from(err));
    assert_eq!(response.status, 409);
    assert_eq!(
        response.body["__type"],
        "HandshakeConstraintViolationException"
    );
    assert_eq!(response.body["Reason"], "ALREADY_IN_AN_ORGANIZATION");

    let mut ledger = Ledger::new(Provider::Aws.profile(), &world())?;
    let request = json!({"Target": {"Id": "111111111111", "Type": "ACCOUNT"}});
    let ids = ["h-0123456789abcdef".to_owned()];
    let reply = aws::ops::handle(
        &mut ledger,
        &Call {
            operation: "InviteAccountToOrganization",
            caller: "111111111111",
            now: "2026-01-05T10:00:00Z".parse()?,
            request: &request,
            new_ids: &ids,
            request_id: "",
        },
    )?;
    assert_eq!(reply.body["Reason"], "ALREADY_IN_AN_ORGANIZATION");
    Ok(())
}

#[allow(dead_code)]
fn unused(_: Service, _: Value) {}
