//! The AWS operation layer: one AWS JSON 1.1 call in (operation name, caller, `now`, request
//! body, new ids), AWS's reply out (HTTP status and JSON body).
//!
//! The layer is thin: it reads the request into neutral values with the Organizations model's
//! constraints, calls one [`Ledger`] method, and renders the handshake as the ledger returns it
//! (observed at `now`) with this module's response types, or the refusal with
//! [`error_response`](super::error_response). Semantics (who may act, states, expiry,
//! duplicates, quota, enable-all-features) are the ledger's.
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
//!
//! # Order of checks
//!
//! 1. The caller: an id that is not 12 digits is `InvalidClientTokenId` (403).
//! 2. The operation name: one AWS does not have is `InvalidAction` (400).
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
//! - **A malformed caller** is `InvalidClientTokenId` and **an unknown operation** is
//!   `InvalidAction`, both from the API Reference's Common Errors.
//! - **What AWS cannot show.** A change whose result AWS's JSON could not express (an
//!   organization outside `o-…`, an account id that is not 12 digits in the world, or a `now`
//!   whose handshake would expire after 9999 or starts before 1970) is refused with
//!   `UnsupportedAPIEndpointException` *before* anything changes, so a refusal never leaves a
//!   change behind.
//! - **New ids** are drawn from the call's `new_ids` only for the handshakes a call creates,
//!   once every check has passed, so a refused call needs none; extra ones are ignored. Too
//!   few is [`CallError::MissingNewIds`]; a malformed id, or one in use by a handshake that
//!   still exists, is [`CallError::InvalidNewId`]: both are the harness's mistakes, not AWS
//!   answers.
//!
//! # Example: invite, then describe as the recipient
//!
//! ```
//! use org_handshake::ledger::{Ledger, World};
//! use org_handshake::provider::{aws, Call};
//! use serde_json::json;
//!
//! let world: World = serde_json::from_value(json!({
//!     "organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}],
//!     "accounts": [{"id": "222222222222", "name": "juan"}]
//! }))?;
//! let mut ledger = Ledger::new(org_handshake::Profile::AWS, &world)?;
//! let now = "2026-01-05T10:00:00Z".parse()?;
//! let invite = json!({"Target": {"Id": "222222222222", "Type": "ACCOUNT"}});
//! let ids = ["h-0123456789abcdef".to_owned()];
//! let call = Call { operation: "InviteAccountToOrganization", caller: "111111111111", now, request: &invite, new_ids: &ids, request_id: "" };
//! let reply = aws::ops::handle(&mut ledger, &call)?;
//! assert_eq!((reply.status, reply.body["Handshake"]["State"].as_str()), (200, Some("OPEN")));
//!
//! let bad = json!({"HandshakeId": "h-BAD"});
//! let call = Call { operation: "DescribeHandshake", caller: "222222222222", now, request: &bad, new_ids: &[], request_id: "" };
//! let reply = aws::ops::handle(&mut ledger, &call)?;
//! assert_eq!((reply.status, reply.body["Reason"].as_str()), (400, Some("INVALID_PATTERN")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};

use super::request::{self, Listing};
use super::vocab::Operation;
use super::wire::{
    parse_account_id, parse_organization_id, HandshakeResponse, ListHandshakesResponse,
    WireHandshake, MAX_EPOCH_MILLIS,
};
use crate::error::{ErrorKind, Failure, InputError, InputProblem, InvalidHandshake};
use crate::handshake::Handshake;
use crate::handshake::Membership;
use crate::id::{AccountId, HandshakeId};
use crate::ledger::{InviteRequest, Ledger, LedgerError, Page, Parameter};
use crate::provider::{
    new_id_mistake, with_new_ids, Call, CallError, Provider, Refusal, Reply, WireError,
};

/// Answers one call as AWS does. Refused calls change nothing.
///
/// # Errors
///
/// [`CallError`] when the harness did not supply valid ids for the handshakes the call
/// creates; every other problem is AWS's own error reply.
pub fn handle(ledger: &mut Ledger, call: &Call<'_>) -> Result<Reply, CallError> {
    match answer(ledger, call) {
        Ok(reply) => Ok(reply),
        Err(Refusal::Provider(failure)) => Ok(Reply::from(super::error_response(&failure))),
        Err(Refusal::Harness(err)) => Err(err),
    }
}

fn answer(ledger: &mut Ledger, call: &Call<'_>) -> Result<Reply, Refusal> {
    let caller = parse_account_id(call.caller).map_err(|err| Failure {
        kind: ErrorKind::AccessDenied,
        message: format!("the caller is not an aws account: {err}"),
        input: Some(InputError {
            parameter: "caller".into(),
            problem: InputProblem::InvalidPattern,
        }),
        is_management_account: false,
    })?;
    let operation: Operation = call.operation.parse().map_err(|_| Failure {
        kind: ErrorKind::Unsupported,
        message: format!(
            "`{}` is not an aws organizations handshake operation",
            call.operation.chars().take(64).collect::<String>()
        ),
        input: Some(InputError {
            parameter: "X-Amz-Target".into(),
            problem: InputProblem::UnknownValue,
        }),
        is_management_account: false,
    })?;
    let now = call.now;
    match operation {
        Operation::InviteAccountToOrganization => {
            let body = request::body(call.request, &["Target", "Notes", "Tags"])?;
            let invite = request::invite(body)?;
            check_new_handshake_expressible(ledger, caller, now)?;
            let request = InviteRequest {
                target: invite.target,
                notes: invite.notes,
            };
            let changed =
                with_new_ids(call.new_ids, |ids| ledger.invite(caller, request, ids, now))
                    .map_err(refusal)?;
            one(&changed.handshake)
        }
        Operation::AcceptHandshake => {
            let id = request::handshake_id(request::body(call.request, &["HandshakeId"])?)?;
            check_stored_expressible(ledger, caller, id, now)?;
            one(&ledger.accept(caller, id, now).map_err(refusal)?.handshake)
        }
        Operation::DeclineHandshake => {
            let id = request::handshake_id(request::body(call.request, &["HandshakeId"])?)?;
            check_stored_expressible(ledger, caller, id, now)?;
            one(&ledger.decline(caller, id, now).map_err(refusal)?.handshake)
        }
        Operation::CancelHandshake => {
            let id = request::handshake_id(request::body(call.request, &["HandshakeId"])?)?;
            check_stored_expressible(ledger, caller, id, now)?;
            one(&ledger.cancel(caller, id, now).map_err(refusal)?.handshake)
        }
        Operation::DescribeHandshake => {
            let id = request::handshake_id(request::body(call.request, &["HandshakeId"])?)?;
            one(&ledger.describe(caller, id, now).map_err(refusal)?)
        }
        Operation::ListHandshakesForAccount => {
            let Listing { filter, page } = request::listing(request::body(
                call.request,
                &["Filter", "NextToken", "MaxResults"],
            )?)?;
            list(
                &ledger
                    .list_for_account(caller, filter, &page, now)
                    .map_err(refusal)?,
            )
        }
        Operation::ListHandshakesForOrganization => {
            let Listing { filter, page } = request::listing(request::body(
                call.request,
                &["Filter", "NextToken", "MaxResults"],
            )?)?;
            list(
                &ledger
                    .list_for_organization(caller, filter, &page, now)
                    .map_err(refusal)?,
            )
        }
        Operation::EnableAllFeatures => {
            request::body(call.request, &[])?;
            check_new_handshake_expressible(ledger, caller, now)?;
            // The parent, then one child per member, drawn once the call passed its checks.
            let changed = with_new_ids(call.new_ids, |ids| {
                ledger.enable_all_features(caller, ids, now)
            })
            .map_err(refusal)?;
            one(&changed.handshake)
        }
    }
}

/// A ledger refusal as AWS answers it: new-id problems are the harness's; the neutral
/// parameter names become AWS's.
fn refusal(err: LedgerError) -> Refusal {
    if let Some(mistake) = new_id_mistake(Provider::Aws, &err) {
        return Refusal::Harness(mistake);
    }
    match err {
        LedgerError::InvalidHandshake(InvalidHandshake::Id(err)) => {
            Refusal::Harness(CallError::InvalidNewId {
                provider: Provider::Aws,
                id: String::new(),
                reason: err.to_string(),
            })
        }
        other => {
            let mut failure = Failure::from(other);
            if let Some(input) = failure.input.as_mut() {
                input.parameter = aws_parameter(&input.parameter).to_owned();
            }
            Refusal::Provider(failure)
        }
    }
}

/// AWS's name for a neutral [`Parameter`].
fn aws_parameter(neutral: &str) -> &str {
    const NAMES: [(Parameter, &str); 4] = [
        (Parameter::Target, "Target"),
        (Parameter::Filter, "Filter"),
        (Parameter::Token, "NextToken"),
        (Parameter::MaxResults, "MaxResults"),
    ];
    NAMES
        .iter()
        .find(|(parameter, _)| parameter.as_str() == neutral)
        .map_or(neutral, |(_, name)| name)
}

fn unexpressible(err: &WireError) -> Failure {
    Failure::new(
        ErrorKind::Unsupported,
        format!("aws cannot express the result: {err}"),
    )
}

/// Refuses, before anything changes, a new handshake from `caller`'s organization that AWS
/// could not show: times outside 1970–9999 (the longest validity included), an organization
/// id outside `o-…`.
fn check_new_handshake_expressible(
    ledger: &Ledger,
    caller: AccountId,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let profile = ledger.profile();
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
    if let Membership::Management(org) = ledger.membership(&caller) {
        parse_organization_id(org.as_str()).map_err(|err| {
            Failure::new(
                ErrorKind::Unsupported,
                format!("aws cannot express organization {org}: {err}"),
            )
        })?;
    }
    Ok(())
}

/// Refuses, before anything changes, acting on a handshake AWS could not show once changed
/// (only for a caller who can see it, so existence does not leak).
fn check_stored_expressible(
    ledger: &Ledger,
    caller: AccountId,
    id: HandshakeId,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let Some(stored) = ledger
        .stored(&id)
        .filter(|h| h.is_party(&caller) && h.is_visible_at(now))
    else {
        return Ok(());
    };
    WireHandshake::from_handshake(&stored.observed_at(now)).map_err(|err| unexpressible(&err))?;
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

fn json(value: Result<serde_json::Value, serde_json::Error>) -> Result<serde_json::Value, Failure> {
    value.map_err(|err| {
        Failure::new(
            ErrorKind::Unsupported,
            format!("aws cannot express the result: {err}"),
        )
    })
}

/// A `{"Handshake": …}` reply.
fn one(handshake: &Handshake) -> Result<Reply, Refusal> {
    let response = HandshakeResponse::new(handshake).map_err(|err| unexpressible(&err))?;
    Ok(Reply {
        status: 200,
        body: json(serde_json::to_value(response))?,
    })
}

/// A `{"Handshakes": […], "NextToken"?}` reply.
fn list(page: &Page) -> Result<Reply, Refusal> {
    let response = ListHandshakesResponse::new(&page.handshakes, page.next_token.as_deref())
        .map_err(|err| unexpressible(&err))?;
    Ok(Reply {
        status: 200,
        body: json(serde_json::to_value(response))?,
    })
}
