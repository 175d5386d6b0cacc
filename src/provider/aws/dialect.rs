//! [`Aws`]: the AWS Organizations [`Dialect`]: one AWS JSON 1.1 call in (operation name, caller,
//! `now`, request body), read into a neutral [`Request`] for the [`Service`](crate::provider::Service)
//! driver, and AWS's reply out (HTTP status, JSON body, headers).
//!
//! The dialect is thin: it reads the request into neutral values with the Organizations model's
//! constraints; the driver calls one [`Ledger`] method and renders the handshake as the ledger
//! returns it (observed at `now`) with this module's response types, or the refusal with the
//! row of [`ERROR_CODES`]. Semantics (who may act, states, expiry, duplicates, quota,
//! enable-all-features) are the ledger's.
//!
//! # Operations
//!
//! | operation | request members | ledger call |
//! |---|---|---|
//! | `InviteAccountToOrganization` | `Target`* {`Id`*, `Type`*}, `Notes`, `Tags` | [`Ledger::invite`] (one new id) |
//! | `AcceptHandshake`, `DeclineHandshake`, `CancelHandshake` | `HandshakeId`* | [`Ledger::accept`], [`decline`](Ledger::decline), [`cancel`](Ledger::cancel) |
//! | `DescribeHandshake` | `HandshakeId`* | [`Ledger::describe`] |
//! | `ListHandshakesForAccount`, `ListHandshakesForOrganization` | `Filter` {`ActionType`, `ParentHandshakeId`}, `NextToken`, `MaxResults` | [`Ledger::list_for_account`], [`list_for_organization`](Ledger::list_for_organization) |
//! | `EnableAllFeatures` | none | [`Ledger::enable_all_features`] (the parent's id, then one per member in member order) |
//! | `CreateOrganization` | `FeatureSet` (`ALL` default, `CONSOLIDATED_BILLING`) | [`Ledger::create_organization`] (one new organization id) |
//! | `DescribeOrganization`, `DeleteOrganization`, `LeaveOrganization` | none | [`Ledger::describe_organization`], [`delete_organization`](Ledger::delete_organization), [`leave_organization`](Ledger::leave_organization) |
//! | `ListAccounts` | `NextToken`, `MaxResults` (1–20, default 20) | [`Ledger::list_accounts`] |
//! | `DescribeAccount`, `RemoveAccountFromOrganization` | `AccountId`* (`^\d{12}$`; longer than 12: `MAX_LENGTH_EXCEEDED`) | [`Ledger::describe_account`], [`remove_account`](Ledger::remove_account) |
//!
//! # Order of checks
//!
//! 1. The caller: an id that is not 12 digits is `InvalidClientTokenId` (403).
//! 2. The operation name: one AWS does not have is `UnknownOperationException` (400), the
//!    JSON 1.1 protocol's error for an `X-Amz-Target` the service does not have.
//! 3. The request's own form, member by member in the order of the table above, as
//!    `InvalidInputException` with its `Reason` (aws.md §5.2):
//!    - a missing required member (absent or `null`): `INPUT_REQUIRED`;
//!    - `HandshakeId` / `Filter.ParentHandshakeId` longer than 34: `MAX_LENGTH_EXCEEDED`;
//!      otherwise not `^h-[0-9a-z]{8,32}$`: `INVALID_PATTERN`;
//!    - `Target.Type` not an AWS party type: `INVALID_ENUM`; `ORGANIZATION`:
//!      `INVALID_PARTY_TYPE_TARGET`; `Target.Id` empty or longer than 64:
//!      `MIN_LENGTH_EXCEEDED` / `MAX_LENGTH_EXCEEDED`; an `ACCOUNT` id that is not 12 digits:
//!      `INVALID_PATTERN`; an `EMAIL` that is not an address: `INVALID_EMAIL_ADDRESS_TARGET`;
//!    - `Notes` longer than 1024 characters: `MAX_LENGTH_EXCEEDED`;
//!    - `Tags`: a list of `{Key, Value}`, `Key` 1–128 and `Value` 0–256 characters; tags are
//!      then ignored (the ledger does not model account tags);
//!    - `Filter.ActionType` not an AWS action type: `INVALID_ENUM`; both filter members:
//!      `MAX_LIMIT_EXCEEDED_FILTER` (decided by the ledger);
//!    - `MaxResults` below 1: `MIN_VALUE_EXCEEDED`; above 20: `MAX_VALUE_EXCEEDED`; absent: 20;
//!    - `NextToken` longer than 100,000 characters: `MAX_LENGTH_EXCEEDED`; one the listing did
//!      not issue: `INVALID_NEXT_TOKEN` (decided by the ledger).
//! 4. Everything else in the ledger's order: existence and visibility, role, time, state,
//!    organization constraints. A management-only operation (invite, enable all features,
//!    list for organization) called by an account in no organization is
//!    `AWSOrganizationsNotInUseException`; by a member, `AccessDeniedException`.
//!
//! # Choices the AWS documents leave open (unverified)
//!
//! - **Unknown members** of the body, `Target`, `Filter` or a tag are refused as
//!   `InvalidInputException` without a `Reason`, so that a misspelt member is not silently
//!   ignored.
//! - **Wrong JSON types** (a number for `HandshakeId`, a string for `MaxResults`, a body that is
//!   not an object, a fractional `MaxResults`) are the JSON 1.1 protocol's
//!   `SerializationException` (400).
//! - **`null`** counts as absent, as JSON 1.1 deserializers read it.
//! - **A malformed caller** is `InvalidClientTokenId` (the API Reference's Common Errors) and
//!   **an unknown operation** is `UnknownOperationException`, what the JSON 1.1 protocol answers
//!   for an `X-Amz-Target` it does not know (the Common Errors' `InvalidAction` belongs to the
//!   query protocol, which Organizations does not speak).
//! - **What AWS cannot show.** A change whose result AWS's JSON could not express (an
//!   organization outside `o-…`, an account id that is not 12 digits in the world, or a `now`
//!   whose handshake would expire after 9999 or starts before 1970) is refused with
//!   `UnsupportedAPIEndpointException` *before* anything changes, so a refusal never leaves a
//!   change behind.
//! - **New ids** beyond those the call needs are ignored. Too few is
//!   [`CallError::MissingNewIds`]; an id in use by a handshake that still exists is
//!   [`CallError::NewIdInUse`]: both are the harness's mistakes, not AWS answers. Ids are only
//!   asked for once the request's form has passed, so a malformed request needs none.
//!
//! # Example: invite, then describe with a malformed id
//!
//! ```
//! use org_handshake::ledger::World;
//! use org_handshake::provider::{Call, Provider, Service};
//! use serde_json::json;
//!
//! let world: World = serde_json::from_value(json!({
//!     "organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}],
//!     "accounts": [{"id": "222222222222", "name": "juan"}]
//! }))?;
//! let mut aws = Service::new(Provider::Aws, &world)?;
//! let now = "2026-01-05T10:00:00Z".parse()?;
//! let invite = json!({"Target": {"Id": "222222222222", "Type": "ACCOUNT"}});
//! let reply = aws.call(&Call::new("InviteAccountToOrganization", "111111111111", now, &invite).with_new_ids(&["h-0123456789abcdef"]))?;
//! assert_eq!((reply.status, reply.json()["Handshake"]["State"].as_str()), (200, Some("OPEN")));
//!
//! let bad = json!({"HandshakeId": "h-BAD"});
//! let reply = aws.call(&Call::new("DescribeHandshake", "222222222222", now, &bad))?;
//! assert_eq!((reply.status, reply.json()["Reason"].as_str()), (400, Some("INVALID_PATTERN")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::{ErrorKind, Failure, InputError, InputProblem};
use crate::handshake::Handshake;
use crate::id::{AccountId, OrganizationId};
#[cfg(doc)]
use crate::ledger::Ledger;
use crate::ledger::Parameter;
use crate::policy::Profile;
use crate::provider::dialect::{
    Description, Dialect, ErrorAnswer, HttpRequest, Listing, ReplyContext, Request, Routed, Success,
};
#[cfg(doc)]
use crate::provider::CallError;
use crate::provider::{json_text, shown, WireError};
use crate::provider::{EncodeError, OutgoingRequest};

use super::handshake::WireHandshake;
use super::ids::{parse_account_id, parse_organization_id, MAX_EPOCH_MILLIS};
use super::membership;
use super::request;
use super::vocab::Operation;
use super::ERROR_CODES;

/// The `X-Amz-Target` prefix of every Organizations operation (botocore's `targetPrefix`).
pub const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";

/// The content type of every AWS JSON 1.1 request and reply.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// AWS Organizations as a [`Dialect`].
///
/// ```
/// use org_handshake::provider::{aws::Aws, Dialect, HttpRequest};
/// let headers = [
///     ("X-Amz-Target", "AWSOrganizationsV20161128.AcceptHandshake"),
///     ("Authorization", "AWS4-HMAC-SHA256 Credential=222222222222/20261129/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=x"),
/// ];
/// let routed = Aws.route(&HttpRequest::new("POST", "/").with_headers(&headers).with_body(br#"{"HandshakeId": "h-0123456789"}"#))?;
/// assert_eq!(routed.operation, "AcceptHandshake");
/// assert_eq!(routed.request["HandshakeId"], "h-0123456789");
/// assert_eq!(routed.credential.as_deref(), Some("222222222222"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Aws;

/// AWS Organizations as data. Its default world is Bill's organization `o-exampleorgid` (all
/// features, management account `111111111111`) and Juan's standalone account `222222222222`
/// of the boto3 `accept_handshake` example, with a member and three more standalone accounts.
pub const AWS: Description = Description {
    name: "aws",
    profile: Profile::AWS,
    operations: Operation::NAMES,
    error_table: ERROR_CODES,
    default_request_id: "",
    request_id_in_body: false,
    default_world: include_str!("world.json"),
};

impl Dialect for Aws {
    fn description(&self) -> &'static Description {
        &AWS
    }

    fn parameter(&self, parameter: Parameter) -> Option<&'static str> {
        match parameter {
            Parameter::Target => Some("Target"),
            Parameter::Filter => Some("Filter"),
            Parameter::Token => Some("NextToken"),
            Parameter::MaxResults => Some("MaxResults"),
            _ => None,
        }
    }

    fn account_id(&self, text: &str) -> Option<AccountId> {
        parse_account_id(text).ok()
    }

    fn organization_id(&self, text: &str) -> Option<OrganizationId> {
        parse_organization_id(text).ok()
    }

    fn read_call(
        &self,
        operation: &str,
        caller: &str,
        body: &Value,
    ) -> Result<(AccountId, Request), Failure> {
        // AWS authenticates before it dispatches: the caller first, then the operation.
        let caller = parse_account_id(caller).map_err(|err| Failure {
            input: Some(InputError {
                parameter: "caller".into(),
                problem: InputProblem::InvalidPattern,
            }),
            ..Failure::new(
                ErrorKind::AccessDenied,
                format!("the caller is not an aws account: {err}"),
            )
        })?;
        let operation = operation_named(operation)?;
        let listing = |body: &Value| -> Result<Listing, Failure> {
            request::listing(request::body(body, &["Filter", "NextToken", "MaxResults"])?)
        };
        let handshake_id =
            |body: &Value| request::handshake_id(request::body(body, &["HandshakeId"])?);
        let request = match operation {
            Operation::InviteAccountToOrganization => {
                let invite = request::invite(request::body(body, &["Target", "Notes", "Tags"])?)?;
                Request::Invite {
                    target: invite.target,
                    notes: invite.notes,
                }
            }
            Operation::AcceptHandshake => Request::Accept(handshake_id(body)?),
            Operation::DeclineHandshake => Request::Decline(handshake_id(body)?),
            Operation::CancelHandshake => Request::Cancel(handshake_id(body)?),
            Operation::DescribeHandshake => Request::Describe(handshake_id(body)?),
            Operation::ListHandshakesForAccount => Request::ListForAccount(listing(body)?),
            Operation::ListHandshakesForOrganization => {
                Request::ListForOrganization(listing(body)?)
            }
            Operation::EnableAllFeatures => {
                request::body(body, &[])?;
                Request::EnableAllFeatures
            }
            Operation::CreateOrganization => Request::CreateOrganization {
                feature_set: Some(membership::feature_set(request::body(
                    body,
                    &["FeatureSet"],
                )?)?),
            },
            Operation::DescribeOrganization => {
                request::body(body, &[])?;
                Request::DescribeOrganization
            }
            Operation::DeleteOrganization => {
                request::body(body, &[])?;
                Request::DeleteOrganization
            }
            Operation::ListAccounts => Request::ListAccounts(
                request::listing(request::body(body, &["NextToken", "MaxResults"])?)?.page,
            ),
            Operation::DescribeAccount => Request::DescribeAccount(membership::account_id(
                request::body(body, &["AccountId"])?,
            )?),
            Operation::LeaveOrganization => {
                request::body(body, &[])?;
                Request::LeaveOrganization
            }
            Operation::RemoveAccountFromOrganization => Request::RemoveAccount(
                membership::account_id(request::body(body, &["AccountId"])?)?,
            ),
        };
        Ok((caller, request))
    }

    /// Refuses a new handshake AWS could not show: times outside 1970–9999 (the longest
    /// validity included), an organization id outside `o-…`.
    fn check_new(&self, sender: Option<OrganizationId>, now: DateTime<Utc>) -> Result<(), Failure> {
        let profile = &AWS.profile;
        let longest = profile
            .enable_all_features_validity
            .map_or(profile.invite_validity, |v| v.max(profile.invite_validity));
        let latest = DateTime::from_timestamp_millis(MAX_EPOCH_MILLIS)
            .and_then(|end| end.checked_sub_signed(longest));
        let in_range = now.timestamp_millis() >= 0 && latest.is_some_and(|latest| now <= latest);
        if !in_range {
            return Err(Failure::new(
                ErrorKind::Unsupported,
                format!("aws cannot express a handshake requested at {now} (timestamps run from 1970 to 9999)"),
            ));
        }
        if let Some(org) = sender {
            parse_organization_id(org.as_str()).map_err(|err| {
                Failure::new(
                    ErrorKind::Unsupported,
                    format!("aws cannot express organization {org}: {err}"),
                )
            })?;
        }
        Ok(())
    }

    /// Refuses acting on a stored handshake AWS could not show once changed.
    fn check_stored(&self, stored: &Handshake, now: DateTime<Utc>) -> Result<(), Failure> {
        WireHandshake::from_handshake(&stored.observed_at(now)).map_err(|err| {
            Failure::new(
                ErrorKind::Unsupported,
                format!("aws cannot express the result: {err}"),
            )
        })?;
        // Once accepted, an email invitation shows the account that joined.
        if let Some(account) = stored.recipient().account() {
            parse_account_id(account.as_str()).map_err(|err| {
                Failure::new(
                    ErrorKind::Unsupported,
                    format!("aws cannot express recipient {account}: {err}"),
                )
            })?;
        }
        Ok(())
    }

    fn render_success(
        &self,
        success: Success<'_>,
        _reply: &ReplyContext<'_>,
    ) -> Result<String, WireError> {
        match success {
            Success::Handshake(handshake) => super::response::handshake_body(handshake),
            Success::Handshakes { page, .. } => {
                super::response::page_body(&page.handshakes, page.next_token.as_deref())
            }
            Success::Organization(organization) => membership::organization_body(organization),
            Success::Account(account) => membership::account_body(account),
            Success::Accounts { page, .. } => membership::accounts_body(page),
            Success::Empty => Ok("{}".to_owned()),
        }
    }

    fn render_error(&self, error: &ErrorAnswer<'_>, _reply: &ReplyContext<'_>) -> String {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            #[serde(rename = "__type")]
            code: &'a str,
            #[serde(rename = "Message")]
            message: &'a str,
            #[serde(rename = "Reason", skip_serializing_if = "Option::is_none")]
            reason: Option<&'a str>,
        }
        json_text(&Body {
            code: error.code,
            message: error.message,
            reason: error.reason,
        })
    }

    fn reply_headers(
        &self,
        error: Option<&ErrorAnswer<'_>>,
        reply: &ReplyContext<'_>,
    ) -> Vec<(&'static str, String)> {
        let mut headers = vec![("Content-Type", CONTENT_TYPE.to_owned())];
        if !reply.request_id.is_empty() {
            headers.push(("x-amzn-RequestId", reply.request_id.to_owned()));
        }
        if let Some(error) = error {
            headers.push(("X-Amzn-ErrorType", error.code.to_owned()));
        }
        headers
    }

    fn render_bare(&self, handshake: &Handshake) -> Result<String, WireError> {
        super::render_handshake_json(handshake)
    }

    fn render_bare_value(&self, handshake: &Handshake) -> Result<Value, WireError> {
        super::render_handshake(handshake)
    }

    fn parse_bare(&self, json: &str) -> Result<Handshake, WireError> {
        super::parse_handshake(json)
    }

    fn claims(&self, request: &HttpRequest<'_>) -> bool {
        request.header("x-amz-target").is_some()
    }

    fn route(&self, request: &HttpRequest<'_>) -> Result<Routed, Failure> {
        let target = request.header("x-amz-target").unwrap_or_default();
        let name = target.strip_prefix(TARGET_PREFIX).unwrap_or(target);
        let operation = operation_named(name)?;
        if !request.method.eq_ignore_ascii_case("POST") {
            return Err(Failure::new(
                ErrorKind::Unsupported,
                format!(
                    "aws json 1.1 operations are called with POST, not {}",
                    shown(request.method)
                ),
            ));
        }
        let body = if request.body.iter().all(u8::is_ascii_whitespace) {
            Value::Object(serde_json::Map::new())
        } else {
            serde_json::from_slice(request.body).map_err(|err| {
                Failure::invalid_input(
                    "body",
                    InputProblem::WrongType,
                    format!("the request body is not json: {err}"),
                )
            })?
        };
        Ok(Routed {
            operation: operation.as_str(),
            request: body,
            credential: credential(request),
        })
    }

    fn write_call(&self, request: &Request) -> Result<(&'static str, Value), EncodeError> {
        super::encode::write_call(request)
    }

    fn encode(
        &self,
        operation: &str,
        caller: &str,
        request: &Value,
    ) -> Result<OutgoingRequest, EncodeError> {
        super::encode::encode(operation, caller, request)
    }
}

/// An AWS operation by name, or AWS's refusal of an unknown one.
fn operation_named(name: &str) -> Result<Operation, Failure> {
    name.parse().map_err(|_| Failure {
        input: Some(InputError {
            parameter: "X-Amz-Target".into(),
            problem: InputProblem::UnknownValue,
        }),
        ..Failure::new(
            ErrorKind::Unsupported,
            format!(
                "`{}` is not an aws organizations handshake operation",
                shown(name)
            ),
        )
    })
}

/// The access key id of a SigV4 `Authorization` header (`Credential=<key>/<date>/…`).
fn credential(request: &HttpRequest<'_>) -> Option<String> {
    let authorization = request.header("authorization")?;
    let (_, rest) = authorization.split_once("Credential=")?;
    let key = rest.split(['/', ',', ' ']).next()?;
    (!key.is_empty()).then(|| key.to_owned())
}
