//! An AWS Organizations call as botocore sends it (JSON 1.1): `POST /` with the operation in
//! `X-Amz-Target`, the request as the JSON body, and a SigV4 `Authorization` whose access key
//! id is the caller (a placeholder signature here; a wire client signs it).

use serde_json::{json, Map, Value};

use crate::handshake::Party;
use crate::ledger::PageRequest;
use crate::provider::outgoing::{EncodeError, OutgoingRequest};
use crate::provider::Request;
use crate::vocab::FeatureSet;

use super::dialect::{CONTENT_TYPE, TARGET_PREFIX};
use super::vocab::{ActionType, HandshakePartyType, Operation};

/// The region and service of the placeholder credential scope (botocore's for Organizations).
const SCOPE: &str = "us-east-1/organizations/aws4_request";

/// Writes `operation` for `caller` as botocore does. Any operation name is written (an
/// unknown one is the server's to refuse), so this never fails.
pub(super) fn encode(
    operation: &str,
    caller: &str,
    request: &Value,
) -> Result<OutgoingRequest, EncodeError> {
    let mut call = OutgoingRequest::new("POST", "/");
    call.push_header("Content-Type", CONTENT_TYPE);
    call.push_header("X-Amz-Target", format!("{TARGET_PREFIX}{operation}"));
    call.push_header(
        "Authorization",
        format!(
            "AWS4-HMAC-SHA256 Credential={caller}/19700101/{SCOPE}, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=unsigned"
        ),
    );
    // botocore sends `{}` for an empty input, never an empty body.
    call.body = request.to_string().into_bytes();
    Ok(call)
}

/// The operation and JSON 1.1 body of a neutral request, as botocore's input shapes name
/// them: the inverse of the dialect's `read_call`.
///
/// # Errors
///
/// What AWS has no member for: a numbered page, an invitation by account name (or of an
/// organization), an organization without a feature set (AWS always has one).
pub(super) fn write_call(request: &Request) -> Result<(&'static str, Value), EncodeError> {
    let operation = operation_of(request);
    let fail = |reason: &str| EncodeError::new(operation.as_str(), reason);
    let body = match request {
        Request::Invite { target, notes } => {
            let (kind, id) = match target {
                Party::Account(id) => (HandshakePartyType::Account, id.as_str()),
                Party::Email(email) => (HandshakePartyType::Email, email.as_str()),
                Party::Name(_) => return Err(fail("aws invites by account id or email, not name")),
                Party::Organization(_) => return Err(fail("aws cannot invite an organization")),
            };
            let mut body = json!({"Target": {"Type": kind.as_str(), "Id": id}});
            if let Some(notes) = notes {
                body["Notes"] = json!(notes.as_str());
            }
            body
        }
        Request::Accept(id)
        | Request::Decline(id)
        | Request::Cancel(id)
        | Request::Describe(id) => {
            json!({"HandshakeId": id.as_str()})
        }
        Request::ListForAccount(listing) | Request::ListForOrganization(listing) => {
            let mut body = page(&listing.page).ok_or_else(|| fail(NUMBERED))?;
            let mut filter = Map::new();
            if let Some(action) = listing.filter.action {
                filter.insert(
                    "ActionType".into(),
                    json!(ActionType::from(action).as_str()),
                );
            }
            if let Some(parent) = &listing.filter.parent {
                filter.insert("ParentHandshakeId".into(), json!(parent.as_str()));
            }
            if !filter.is_empty() {
                body.insert("Filter".into(), Value::Object(filter));
            }
            Value::Object(body)
        }
        Request::ListAccounts(request) => {
            Value::Object(page(request).ok_or_else(|| fail(NUMBERED))?)
        }
        Request::CreateOrganization { feature_set } => {
            let feature_set = match feature_set {
                Some(FeatureSet::All) => "ALL",
                Some(FeatureSet::ConsolidatedBilling) => "CONSOLIDATED_BILLING",
                None => return Err(fail("an aws organization always has a feature set")),
            };
            json!({"FeatureSet": feature_set})
        }
        Request::DescribeAccount(account) | Request::RemoveAccount(account) => {
            json!({"AccountId": account.as_str()})
        }
        Request::EnableAllFeatures
        | Request::DescribeOrganization
        | Request::DeleteOrganization
        | Request::LeaveOrganization => json!({}),
    };
    Ok((operation.as_str(), body))
}

const NUMBERED: &str = "aws pages by token (`NextToken`, `MaxResults`), not by number";

/// The AWS operation that reads into `request`.
fn operation_of(request: &Request) -> Operation {
    match request {
        Request::Invite { .. } => Operation::InviteAccountToOrganization,
        Request::Accept(_) => Operation::AcceptHandshake,
        Request::Decline(_) => Operation::DeclineHandshake,
        Request::Cancel(_) => Operation::CancelHandshake,
        Request::Describe(_) => Operation::DescribeHandshake,
        Request::ListForAccount(_) => Operation::ListHandshakesForAccount,
        Request::ListForOrganization(_) => Operation::ListHandshakesForOrganization,
        Request::EnableAllFeatures => Operation::EnableAllFeatures,
        Request::CreateOrganization { .. } => Operation::CreateOrganization,
        Request::DescribeOrganization => Operation::DescribeOrganization,
        Request::DeleteOrganization => Operation::DeleteOrganization,
        Request::ListAccounts(_) => Operation::ListAccounts,
        Request::DescribeAccount(_) => Operation::DescribeAccount,
        Request::LeaveOrganization => Operation::LeaveOrganization,
        Request::RemoveAccount(_) => Operation::RemoveAccountFromOrganization,
    }
}

/// `MaxResults` (always written: AWS's default is the greatest page, not the asked one) and
/// `NextToken`; `None` for a numbered page.
fn page(request: &PageRequest) -> Option<Map<String, Value>> {
    let PageRequest::Token { max_results, token } = request else {
        return None;
    };
    let mut body = Map::new();
    if let Some(token) = token {
        body.insert("NextToken".into(), json!(token));
    }
    body.insert("MaxResults".into(), json!(max_results));
    Some(body)
}
