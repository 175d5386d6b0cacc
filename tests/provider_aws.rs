//! AWS Organizations shapes: snapshots of every handshake operation's response and of every
//! error body, the documented examples read and written back exactly, strict parsing, and
//! round-trip and robustness properties.

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::aws_gen;
use common::reply::status_and_body;
use insta::assert_json_snapshot;
use org_handshake::provider::aws::{
    self, HandshakeResponse, ListHandshakesResponse, WireHandshake,
};
use org_handshake::provider::WireError;
use org_handshake::*;
use proptest::prelude::*;
use serde_json::{json, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn epoch_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

fn sender(name: &str, email: &str, feature_set: Option<FeatureSet>) -> SenderOrganization {
    SenderOrganization {
        id: "o-exampleorgid".parse().unwrap(),
        management_account: "111111111111".parse().unwrap(),
        management_account_name: name.parse().unwrap(),
        management_account_email: Some(email.parse().unwrap()),
        feature_set,
    }
}

fn bill() -> SenderOrganization {
    sender(
        "Org Master Account",
        "bill@example.com",
        Some(FeatureSet::All),
    )
}

fn juan() -> AccountId {
    "222222222222".parse().unwrap()
}

fn mgmt() -> AccountId {
    "111111111111".parse().unwrap()
}

fn by_email() -> Recipient {
    Recipient::new(Party::Email("juan@example.com".parse().unwrap()), None).unwrap()
}

fn invite(id: &str, recipient: Recipient, now: DateTime<Utc>) -> Handshake {
    let new = NewHandshake::invite(id.parse().unwrap(), bill(), recipient)
        .with_notes("Welcome to the organization.".parse().unwrap());
    Handshake::create(new, &Profile::AWS, now)
        .unwrap()
        .handshake
}

fn enable_all_features(now: DateTime<Utc>) -> Handshake {
    let new = NewHandshake {
        id: "h-c440da758cab44068cdafc812e000001".parse().unwrap(),
        action: Action::EnableAllFeatures,
        sender: sender(
            "Org Master Account",
            "bill@example.com",
            Some(FeatureSet::ConsolidatedBilling),
        ),
        recipient: Recipient::for_account(mgmt()),
        notes: None,
        parent: None,
        resources: vec![],
    };
    Handshake::create(new, &Profile::AWS, now)
        .unwrap()
        .handshake
}

fn approve_all_features(parent: &Handshake, member: &str, now: DateTime<Utc>) -> Handshake {
    let new = NewHandshake {
        id: format!("h-c440da758cab44068cdafc812e{member}")
            .parse()
            .unwrap(),
        action: Action::ApproveAllFeatures,
        sender: parent.sender().clone(),
        recipient: Recipient::for_account(format!("{member}{member}").parse().unwrap()),
        notes: None,
        parent: Some(parent.id()),
        resources: vec![],
    };
    Handshake::create(new, &Profile::AWS, now)
        .unwrap()
        .handshake
}

/// reference/aws.md §8, the canonical wire JSON of an invitation by email with notes (the
/// InviteAccountToOrganization example of examples-1.json, with epoch timestamps).
const REFERENCE_INVITE: &str = r#"{"Handshake":{"Id":"h-examplehandshakeid111",
 "Arn":"arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-examplehandshakeid111",
 "Parties":[{"Id":"o-exampleorgid","Type":"ORGANIZATION"},{"Id":"juan@example.com","Type":"EMAIL"}],
 "State":"OPEN","RequestedTimestamp":1481656459.257,"ExpirationTimestamp":1482952459.257,
 "Action":"INVITE",
 "Resources":[{"Type":"ORGANIZATION","Value":"o-exampleorgid","Resources":[
     {"Type":"MASTER_EMAIL","Value":"bill@amazon.com"},{"Type":"MASTER_NAME","Value":"Management Account"},
     {"Type":"ORGANIZATION_FEATURE_SET","Value":"ALL"}]},
   {"Type":"EMAIL","Value":"juan@example.com"},
   {"Type":"NOTES","Value":"This is a request for Juan's account to join Bill's organization."}]}}"#;

/// seeds/aws-boto3-accept-handshake.txt, the AcceptHandshake example (Juan's account accepts an
/// invitation sent to his email), in wire form: boto3 prints the timestamps as `datetime(2017,
/// 2, 14, 12, 15, …)` and `datetime(2017, 2, 28, 12, 15, …)`, written here as epoch seconds
/// (2017-02-14T12:15:00Z, 2017-02-28T12:15:00Z). Note its 14-day validity, against the 15 days
/// of every other source: it is read as it is, not corrected.
const SEED_ACCEPT: &str = r#"{"Handshake":{
 "Action":"INVITE",
 "Arn":"arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-examplehandshakeid111",
 "ExpirationTimestamp":1488284100,
 "Id":"h-examplehandshakeid111",
 "Parties":[{"Id":"o-exampleorgid","Type":"ORGANIZATION"},{"Id":"juan@example.com","Type":"EMAIL"}],
 "RequestedTimestamp":1487074500,
 "Resources":[{"Resources":[{"Type":"MASTER_EMAIL","Value":"bill@amazon.com"},
   {"Type":"MASTER_NAME","Value":"Org Master Account"},
   {"Type":"ORGANIZATION_FEATURE_SET","Value":"ALL"}],
   "Type":"ORGANIZATION","Value":"o-exampleorgid"},
  {"Type":"ACCOUNT","Value":"222222222222"}],
 "State":"ACCEPTED"}}"#;

fn render(response: &impl serde::Serialize) -> Value {
    serde_json::to_value(response).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Documented examples, read and written back exactly

#[test]
fn the_reference_invite_example_is_rendered_exactly_from_the_model() -> TestResult {
    // Built from the model, not parsed: the rendering alone must produce the documented JSON.
    let new = NewHandshake::invite(
        "h-examplehandshakeid111".parse()?,
        sender(
            "Management Account",
            "bill@amazon.com",
            Some(FeatureSet::All),
        ),
        by_email(),
    )
    .with_notes("This is a request for Juan's account to join Bill's organization.".parse()?);
    let invite = Handshake::create(new, &Profile::AWS, epoch_ms(1_481_656_459_257))?.handshake;
    let rendered = render(&aws::InviteAccountToOrganizationResponse::new(&invite)?);
    assert_eq!(rendered, serde_json::from_str::<Value>(REFERENCE_INVITE)?);
    assert_json_snapshot!("aws_invite_account_to_organization", rendered);
    Ok(())
}

#[test]
fn documented_examples_read_back_to_the_same_json() -> TestResult {
    for doc in [REFERENCE_INVITE, SEED_ACCEPT] {
        let parsed = HandshakeResponse::from_json(doc)?.to_handshake()?;
        let again = render(&HandshakeResponse::new(&parsed)?);
        assert_eq!(again, serde_json::from_str::<Value>(doc)?);
    }
    Ok(())
}

#[test]
fn the_seed_accept_example_names_the_account_that_joined() -> TestResult {
    let accepted = HandshakeResponse::from_json(SEED_ACCEPT)?.to_handshake()?;
    assert_eq!(accepted.state(), HandshakeState::Accepted);
    assert_eq!(
        accepted.recipient().target(),
        &Party::Email("juan@example.com".parse()?)
    );
    assert_eq!(accepted.recipient().account(), Some(&juan()));
    assert_eq!(accepted.sender().management_account, mgmt());
    assert_eq!(accepted.validity(), TimeDelta::days(14));
    // Rebuilt from the model: the open invitation accepted by Juan's account.
    let open = Handshake::from_parts(HandshakeParts {
        state: HandshakeState::Open,
        state_entered_at: None,
        ..accepted.clone().into_parts()
    })?;
    let accepted_at = at("2017-02-16T09:36:05.020Z");
    let transition = open.accept(&Caller::standalone(juan()), accepted_at)?;
    let rendered = render(&aws::AcceptHandshakeResponse::new(&transition.handshake)?);
    assert_eq!(rendered, serde_json::from_str::<Value>(SEED_ACCEPT)?);
    assert_json_snapshot!("aws_accept_handshake", rendered);
    // The acceptance time is not in AWS's JSON: given back, the handshake is whole again.
    let wire = WireHandshake::from_handshake(&transition.handshake)?;
    assert_eq!(
        wire.to_handshake_entered_at(accepted_at)?,
        transition.handshake
    );
    Ok(())
}

#[test]
fn java_style_timestamps_read_as_the_same_instant() -> TestResult {
    // orgs_manage_accounts_invites.md shows `1.471797437427E9` (an old 30-day invitation).
    let text = REFERENCE_INVITE
        .replace("1481656459.257", "1.469205437427E9")
        .replace("1482952459.257", "1.471797437427E9");
    let h = HandshakeResponse::from_json(&text)?.to_handshake()?;
    assert_eq!(h.requested_at(), at("2016-07-22T16:37:17.427Z"));
    assert_eq!(h.expires_at(), at("2016-08-21T16:37:17.427Z"));
    let rendered = render(&HandshakeResponse::new(&h)?);
    assert_eq!(
        rendered["Handshake"]["ExpirationTimestamp"],
        json!(1471797437.427)
    );
    Ok(())
}

#[test]
fn parties_are_read_in_any_order_and_written_organization_first() -> TestResult {
    // The DeclineHandshake example lists the account party first.
    let h = invite(
        "h-0123456789abcdef",
        Recipient::for_account(juan()),
        at("2026-01-05T10:00:00Z"),
    );
    let mut wire = render(&HandshakeResponse::new(&h)?);
    let parties = wire["Handshake"]["Parties"].as_array_mut().unwrap();
    parties.reverse();
    assert_eq!(parties[0]["Type"], "ACCOUNT");
    let read = HandshakeResponse::from_json(&wire.to_string())?.to_handshake()?;
    assert_eq!(read, h);
    assert_eq!(
        render(&HandshakeResponse::new(&read)?)["Handshake"]["Parties"][0]["Type"],
        "ORGANIZATION"
    );
    Ok(())
}

#[test]
fn legacy_full_feature_set_reads_as_all() -> TestResult {
    let text = REFERENCE_INVITE.replace(r#""Value":"ALL""#, r#""Value":"FULL""#);
    let h = HandshakeResponse::from_json(&text)?.to_handshake()?;
    assert_eq!(h.sender().feature_set, Some(FeatureSet::All));
    let rendered = render(&HandshakeResponse::new(&h)?);
    assert_eq!(
        rendered["Handshake"]["Resources"][0]["Resources"][2]["Value"],
        "ALL"
    );
    Ok(())
}

#[test]
fn the_user_guide_parent_value_without_prefix_is_refused() -> TestResult {
    let parent = enable_all_features(at("2020-11-19T16:21:46Z"));
    let child = approve_all_features(&parent, "333333", at("2020-11-19T16:21:46Z"));
    let mut wire = render(&WireHandshake::from_handshake(&child)?);
    assert_eq!(wire["Resources"][0]["Type"], "PARENT_HANDSHAKE");
    wire["Resources"][0]["Value"] = json!("c440da758cab44068cdafc812EXAMPLE");
    let err = aws::parse_handshake(&wire.to_string()).unwrap_err();
    assert!(
        matches!(&err, WireError::Invalid { field, .. } if field == "Handshake.Resources[0].Value"),
        "{err:?}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Snapshots: one per operation response

#[test]
fn decline_cancel_describe_snapshots() -> TestResult {
    let requested = at("2026-01-05T10:00:00Z");
    let declined = invite(
        "h-0123456789abcdef",
        Recipient::for_account(juan()),
        requested,
    )
    .decline(&Caller::standalone(juan()), requested + TimeDelta::days(1))?
    .handshake;
    let body = render(&aws::DeclineHandshakeResponse::new(&declined)?);
    assert_eq!(body["Handshake"]["State"], "DECLINED");
    assert_json_snapshot!("aws_decline_handshake", body);

    let canceled = invite("h-0123456789abcdeg", by_email(), requested)
        .cancel(
            &Caller::management(mgmt(), bill().id),
            requested + TimeDelta::hours(3),
        )?
        .handshake;
    let body = render(&aws::CancelHandshakeResponse::new(&canceled)?);
    assert_eq!(body["Handshake"]["State"], "CANCELED");
    assert_json_snapshot!("aws_cancel_handshake", body);

    // Described a day after it lapsed: lazy expiry shows through observed_at.
    let open = invite(
        "h-0123456789abcdeh",
        Recipient::for_account(juan()),
        requested,
    );
    let seen = open.observed_at(open.expires_at() + TimeDelta::days(1));
    let body = render(&aws::DescribeHandshakeResponse::new(&seen)?);
    assert_eq!(body["Handshake"]["State"], "EXPIRED");
    assert_json_snapshot!("aws_describe_handshake", body);
    Ok(())
}

#[test]
fn enable_all_features_snapshots() -> TestResult {
    let now = at("2020-11-19T16:21:46.995Z");
    let parent = enable_all_features(now);
    let body = render(&aws::EnableAllFeaturesResponse::new(&parent)?);
    let h = &body["Handshake"];
    assert_eq!(h["State"], "REQUESTED");
    assert_eq!(h["Action"], "ENABLE_ALL_FEATURES");
    // 90 days, as the User Guide's example (2020-11-19 to 2021-02-17).
    assert_eq!(
        h["ExpirationTimestamp"],
        json!(1605802906.995 + 90.0 * 86400.0)
    );
    // The parent goes to the management account itself: one party, no recipient resource.
    assert_eq!(
        h["Parties"],
        json!([{"Id": "o-exampleorgid", "Type": "ORGANIZATION"}])
    );
    assert_eq!(h["Resources"].as_array().map(Vec::len), Some(1));
    assert_json_snapshot!("aws_enable_all_features", body);
    assert_eq!(aws::parse_handshake(&h.to_string())?, parent);

    let child = approve_all_features(&parent, "333333", now);
    let accepted = child
        .accept(
            &Caller::member("333333333333".parse()?, parent.sender().id),
            now + TimeDelta::days(2),
        )?
        .handshake;
    let body = render(&aws::AcceptHandshakeResponse::new(&accepted)?);
    assert_eq!(body["Handshake"]["Arn"], "arn:aws:organizations::111111111111:handshake/o-exampleorgid/approve_all_features/h-c440da758cab44068cdafc812e333333");
    assert_eq!(
        body["Handshake"]["Resources"][0],
        json!({"Type": "PARENT_HANDSHAKE", "Value": parent.id().as_str()})
    );
    assert_json_snapshot!("aws_accept_handshake_approve_all_features", body);
    Ok(())
}

#[test]
fn list_snapshots() -> TestResult {
    let t0 = at("2026-01-05T10:00:00Z");
    let to_juan = invite("h-0000000000000001", Recipient::for_account(juan()), t0);
    let by_mail = invite("h-0000000000000002", by_email(), t0 + TimeDelta::minutes(5));
    let accepted = invite(
        "h-0000000000000003",
        Recipient::for_account("444444444444".parse()?),
        t0 + TimeDelta::hours(1),
    )
    .accept(
        &Caller::standalone("444444444444".parse()?),
        t0 + TimeDelta::days(1),
    )?
    .handshake;

    let body = render(&aws::ListHandshakesForAccountResponse::new(
        std::slice::from_ref(&to_juan),
        Some("AAEAAd2n-page-2"),
    )?);
    assert_eq!(body["NextToken"], "AAEAAd2n-page-2");
    assert_json_snapshot!("aws_list_handshakes_for_account", body);

    let page1 = render(&aws::ListHandshakesForOrganizationResponse::new(
        &[to_juan.clone(), by_mail.clone()],
        Some("AAEAAd2n-page-2"),
    )?);
    assert_eq!(page1["Handshakes"].as_array().map(Vec::len), Some(2));
    assert_json_snapshot!("aws_list_handshakes_for_organization", page1);

    let page2 = render(&aws::ListHandshakesForOrganizationResponse::new(
        std::slice::from_ref(&accepted),
        None,
    )?);
    assert!(
        page2.get("NextToken").is_none(),
        "the last page has no token"
    );
    assert_json_snapshot!("aws_list_handshakes_for_organization_page2", page2);

    let read = ListHandshakesResponse::from_json(&page1.to_string())?;
    assert_eq!(read.next_token.as_deref(), Some("AAEAAd2n-page-2"));
    assert_eq!(read.to_handshakes()?, vec![to_juan, by_mail]);
    // A null token reads as the last page too.
    let null_token = json!({"Handshakes": [], "NextToken": null}).to_string();
    assert_eq!(
        ListHandshakesResponse::from_json(&null_token)?.next_token,
        None
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Errors: one snapshot per neutral kind

fn error_snapshot(name: &str, failure: &Failure) -> aws::ProviderErrorBody {
    let response = aws::error_response(failure, "", "");
    assert_json_snapshot!(name, status_and_body(&response));
    aws::parse_error_response(response.status, &response.body).unwrap()
}

#[test]
fn error_bodies() -> TestResult {
    let t0 = at("2026-01-05T10:00:00Z");
    let open = invite("h-0123456789abcdef", Recipient::for_account(juan()), t0);
    let accepted = open
        .accept(&Caller::standalone(juan()), t0 + TimeDelta::days(1))?
        .handshake;
    let later = t0 + TimeDelta::days(2);

    let cases: Vec<(&str, Failure, &str, u16, Option<&str>)> = vec![
        (
            "aws_error_not_found",
            TransitionError::NotFound {
                handshake: open.id(),
            }
            .into(),
            "HandshakeNotFoundException",
            404,
            None,
        ),
        (
            "aws_error_access_denied",
            open.accept(&Caller::management(mgmt(), bill().id), later)
                .unwrap_err()
                .into(),
            "AccessDeniedException",
            403,
            None,
        ),
        (
            "aws_error_already_in_state",
            accepted
                .accept(&Caller::standalone(juan()), later)
                .unwrap_err()
                .into(),
            "HandshakeAlreadyInStateException",
            409,
            None,
        ),
        (
            "aws_error_invalid_transition",
            accepted
                .decline(&Caller::standalone(juan()), later)
                .unwrap_err()
                .into(),
            "InvalidHandshakeTransitionException",
            409,
            None,
        ),
        (
            "aws_error_concurrent_modification",
            accepted
                .cancel(&Caller::management(mgmt(), bill().id), t0)
                .unwrap_err()
                .into(),
            "ConcurrentModificationException",
            409,
            None,
        ),
        (
            "aws_error_already_in_organization",
            open.accept(&Caller::member(juan(), "o-otherorg0001".parse()?), later)
                .unwrap_err()
                .into(),
            "HandshakeConstraintViolationException",
            409,
            Some("ALREADY_IN_AN_ORGANIZATION"),
        ),
        (
            "aws_error_already_in_organization_management_account",
            open.accept(
                &Caller::management(juan(), "o-otherorg0001".parse()?),
                later,
            )
            .unwrap_err()
            .into(),
            "MasterCannotLeaveOrganizationException",
            409,
            None,
        ),
        (
            "aws_error_duplicate_handshake",
            Failure::new(
                ErrorKind::DuplicateHandshake,
                "a pending invitation for account 222222222222 already exists",
            ),
            "DuplicateHandshakeException",
            409,
            None,
        ),
        (
            "aws_error_invitation_quota_exceeded",
            Failure::new(
                ErrorKind::InvitationQuotaExceeded,
                "at most 20 invitations in 24 hours",
            ),
            "HandshakeConstraintViolationException",
            409,
            Some("HANDSHAKE_RATE_LIMIT_EXCEEDED"),
        ),
        (
            "aws_error_not_in_organization",
            Failure::new(
                ErrorKind::NotInOrganization,
                "your account is not a member of an organization",
            ),
            "AWSOrganizationsNotInUseException",
            404,
            None,
        ),
        (
            "aws_error_invites_disabled_during_enable_all_features",
            Failure::new(
                ErrorKind::InvitesDisabledDuringEnableAllFeatures,
                "invitations are disabled while all features are being enabled",
            ),
            "HandshakeConstraintViolationException",
            409,
            Some("INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES"),
        ),
        (
            "aws_error_all_features_already_requested",
            Failure::new(
                ErrorKind::AllFeaturesAlreadyRequested,
                "enabling all features has already started",
            ),
            "HandshakeConstraintViolationException",
            409,
            Some("ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION"),
        ),
        (
            "aws_error_all_features_already_enabled",
            Failure::new(
                ErrorKind::AllFeaturesAlreadyEnabled,
                "all features are already enabled on this organization",
            ),
            "HandshakeConstraintViolationException",
            409,
            Some("ORGANIZATION_ALREADY_HAS_ALL_FEATURES"),
        ),
        (
            "aws_error_invalid_input",
            Failure::invalid_input(
                "HandshakeId",
                InputProblem::Missing,
                "handshake id is required",
            ),
            "InvalidInputException",
            400,
            Some("INPUT_REQUIRED"),
        ),
        (
            "aws_error_invalid_input_next_token",
            Failure::invalid_input(
                "NextToken",
                InputProblem::InvalidToken,
                "this token was not issued for this listing",
            ),
            "InvalidInputException",
            400,
            Some("INVALID_NEXT_TOKEN"),
        ),
        (
            "aws_error_invalid_input_filter",
            Failure::invalid_input(
                "Filter",
                InputProblem::Conflicting,
                "give ActionType or ParentHandshakeId, not both",
            ),
            "InvalidInputException",
            400,
            Some("MAX_LIMIT_EXCEEDED_FILTER"),
        ),
        (
            "aws_error_invalid_input_target_type",
            Failure::invalid_input(
                "Target.Type",
                InputProblem::InvalidTargetType,
                "an organization cannot be invited",
            ),
            "InvalidInputException",
            400,
            Some("INVALID_PARTY_TYPE_TARGET"),
        ),
        (
            "aws_error_unsupported",
            Failure::new(ErrorKind::Unsupported, "this operation is not available"),
            "UnsupportedAPIEndpointException",
            403,
            None,
        ),
    ];
    for (name, failure, exception, status, reason) in cases {
        let response = aws::error_response(&failure, "", "");
        assert_eq!(response.status, status, "{name}");
        assert_eq!(response.json()["__type"], exception, "{name}");
        assert_eq!(
            response.json().get("Reason").and_then(Value::as_str),
            reason,
            "{name}"
        );
        assert_eq!(
            response.json()["Message"],
            failure.message.as_str(),
            "{name}"
        );
        let read = error_snapshot(name, &failure);
        // One exception stands for two neutral kinds (see `SHARED_EXCEPTIONS`): read back, it
        // names neither.
        let expected_kind = (!SHARED_EXCEPTIONS.contains(&exception)).then_some(failure.kind);
        assert_eq!(read.kind, expected_kind, "{name}");
        assert_eq!(
            read.problem,
            failure.input.as_ref().map(|i| i.problem),
            "{name}"
        );
    }
    Ok(())
}

/// AWS exceptions that stand for more than one neutral kind, so that reading one back names
/// no kind: `MasterCannotLeaveOrganizationException` is both a management account accepting
/// another organization's invitation (already in an organization) and one leaving or removing
/// itself (management account cannot leave).
const SHARED_EXCEPTIONS: &[&str] = &["MasterCannotLeaveOrganizationException"];

#[test]
fn every_table_row_reads_back_as_its_kind() {
    for code in aws::ERROR_CODES {
        let mut body = json!({"__type": format!("com.amazonaws.organizations#{}", code.code.as_str()), "message": "m"});
        if let Some(reason) = code.reason {
            body["Reason"] = json!(reason);
        }
        let read = aws::parse_error_response(code.status, &body.to_string()).unwrap();
        assert_eq!(read.exception, code.code.as_str());
        assert_eq!(read.message, "m", "lower-case `message` is read too");
        let expected = (!SHARED_EXCEPTIONS.contains(&code.code.as_str())).then_some(code.kind);
        assert_eq!(read.kind, expected, "{code:?} is ambiguous in the table");
    }
}

#[test]
fn unknown_and_malformed_error_bodies() {
    let read = aws::parse_error_response(500, r#"{"__type":"ServiceException","Message":"boom"}"#)
        .unwrap();
    assert_eq!(
        (read.exception.as_str(), read.kind),
        ("ServiceException", Some(ErrorKind::Internal))
    );
    let read =
        aws::parse_error_response(400, r#"{"__type":"PolicyNotFoundException","Message":"x"}"#)
            .unwrap();
    assert_eq!(
        (read.exception.as_str(), read.kind),
        ("PolicyNotFoundException", None)
    );
    let throttled = aws::parse_error_response(
        429,
        r#"{"__type":"TooManyRequestsException","Message":"slow","Type":"x"}"#,
    )
    .unwrap();
    assert_eq!(throttled.kind, None);
    assert!(
        matches!(aws::parse_error_response(400, r#"{"Message":"m"}"#), Err(WireError::Missing { field }) if field == "__type")
    );
    assert!(matches!(
        aws::parse_error_response(400, r#"{"__type":"com.amazonaws.organizations#"}"#),
        Err(WireError::Invalid { .. })
    ));
    assert!(
        matches!(aws::parse_error_response(400, r#"{"__type":7}"#), Err(WireError::Json { field, .. }) if field == "__type")
    );
    assert!(aws::parse_error_response(400, "[]").is_err());
}

// ---------------------------------------------------------------------------------------------
// Strict parsing: each refusal names its field

fn reference_with(edit: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(REFERENCE_INVITE).unwrap();
    edit(&mut doc["Handshake"]);
    doc.to_string()
}

fn refusal(json: String) -> WireError {
    HandshakeResponse::from_json(&json)
        .and_then(|r| r.to_handshake())
        .unwrap_err()
}

/// An edit of the reference handshake that breaks one member.
type Edit = Box<dyn FnOnce(&mut Value)>;

#[test]
fn refusals_name_the_field() {
    let field_of = |err: &WireError| match err {
        WireError::Json { field, .. }
        | WireError::Missing { field }
        | WireError::Invalid { field, .. }
        | WireError::UnknownValue { field, .. }
        | WireError::Inconsistent { field, .. } => field.clone(),
        other => format!("{other:?}"),
    };
    let cases: Vec<(&str, Edit, &str, &str)> = vec![
        (
            "missing id",
            Box::new(|h| {
                h.as_object_mut().unwrap().remove("Id");
            }),
            "missing_field",
            "Handshake.Id",
        ),
        (
            "missing arn",
            Box::new(|h| {
                h.as_object_mut().unwrap().remove("Arn");
            }),
            "missing_field",
            "Handshake.Arn",
        ),
        (
            "missing resources",
            Box::new(|h| {
                h.as_object_mut().unwrap().remove("Resources");
            }),
            "missing_field",
            "Handshake.Resources",
        ),
        (
            "upper-case id",
            Box::new(|h| h["Id"] = json!("h-EXAMPLEhandshakeid111")),
            "invalid_field",
            "Handshake.Id",
        ),
        (
            "british spelling",
            Box::new(|h| h["State"] = json!("CANCELLED")),
            "unknown_value",
            "Handshake.State",
        ),
        (
            "unknown party type",
            Box::new(|h| h["Parties"][1]["Type"] = json!("NAME")),
            "unknown_value",
            "Handshake.Parties[1].Type",
        ),
        (
            "unknown resource type",
            Box::new(|h| h["Resources"][0]["Resources"][1]["Type"] = json!("OWNER_NAME")),
            "unknown_value",
            "Handshake.Resources[0].Resources[1].Type",
        ),
        (
            "arn names another id",
            Box::new(|h| h["Id"] = json!("h-examplehandshakeid222")),
            "inconsistent_fields",
            "Handshake.Arn",
        ),
        (
            "arn names another action",
            Box::new(|h| h["Action"] = json!("TRANSFER_RESPONSIBILITY")),
            "inconsistent_fields",
            "Handshake.Arn",
        ),
        (
            "party names another organization",
            Box::new(|h| h["Parties"][0]["Id"] = json!("o-aa111bb222")),
            "inconsistent_fields",
            "Handshake.Parties[0].Id",
        ),
        (
            "org party without prefix",
            Box::new(|h| h["Parties"][0]["Id"] = json!("a1b2c3d4e5")),
            "invalid_field",
            "Handshake.Parties[0].Id",
        ),
        (
            "recipient resource differs",
            Box::new(|h| h["Resources"][1]["Value"] = json!("ana@example.com")),
            "inconsistent_fields",
            "Handshake.Resources[1]",
        ),
        (
            "account resource on an open email invite",
            Box::new(|h| h["Resources"][1] = json!({"Type": "ACCOUNT", "Value": "222222222222"})),
            "inconsistent_fields",
            "Handshake.Resources[1]",
        ),
        (
            "accepted email invite showing the management account",
            Box::new(|h| {
                h["State"] = json!("ACCEPTED");
                h["Resources"][1] = json!({"Type": "ACCOUNT", "Value": "111111111111"});
            }),
            "inconsistent_fields",
            "Handshake.Resources[1]",
        ),
        (
            "arn with trailing text",
            Box::new(|h| h["Arn"] = json!(format!("{}!!", h["Arn"].as_str().unwrap()))),
            "invalid_field",
            "Handshake.Arn",
        ),
        (
            "arn in another partition",
            Box::new(|h| {
                h["Arn"] = json!(h["Arn"]
                    .as_str()
                    .unwrap()
                    .replace("arn:aws:", "arn:aws-cn:"))
            }),
            "invalid_field",
            "Handshake.Arn",
        ),
        (
            "timestamp as a string",
            Box::new(|h| h["RequestedTimestamp"] = json!("2016-12-13T19:14:19.257Z")),
            "invalid_json",
            "Handshake.RequestedTimestamp",
        ),
        (
            "negative timestamp",
            Box::new(|h| h["RequestedTimestamp"] = json!(-1.5)),
            "invalid_field",
            "Handshake.RequestedTimestamp",
        ),
        (
            "timestamp after 9999",
            Box::new(|h| h["ExpirationTimestamp"] = json!(1e15)),
            "invalid_field",
            "Handshake.ExpirationTimestamp",
        ),
        (
            "unknown member",
            Box::new(|h| h["Notes"] = json!("hi")),
            "invalid_json",
            "Handshake.Notes",
        ),
        (
            "no master name",
            Box::new(|h| {
                h["Resources"][0]["Resources"]
                    .as_array_mut()
                    .unwrap()
                    .remove(1);
            }),
            "missing_field",
            "Handshake.Resources[0].Resources[Type=MASTER_NAME]",
        ),
        (
            "management detail child",
            Box::new(|h| h["Resources"][0]["Resources"][1]["Type"] = json!("MANAGEMENT_NAME")),
            "invalid_field",
            "Handshake.Resources[0].Resources[1].Type",
        ),
        (
            "unknown feature set",
            Box::new(|h| h["Resources"][0]["Resources"][2]["Value"] = json!("SOME")),
            "unknown_value",
            "Handshake.Resources[0].Resources[2].Value",
        ),
        (
            "notes too long",
            Box::new(|h| h["Resources"][2]["Value"] = json!("x".repeat(1025))),
            "invalid_field",
            "Handshake.Resources[2].Value",
        ),
        (
            "two organizations",
            Box::new(|h| h["Parties"][1] = json!({"Id": "o-exampleorgid", "Type": "ORGANIZATION"})),
            "invalid_field",
            "Handshake.Parties[1]",
        ),
        (
            "expiry before request",
            Box::new(|h| h["ExpirationTimestamp"] = json!(1481656459)),
            "impossible_handshake",
            "Model",
        ),
        (
            "requested invite",
            Box::new(|h| h["State"] = json!("REQUESTED")),
            "impossible_handshake",
            "Model",
        ),
    ];
    for (what, edit, code, field) in cases {
        let err = refusal(reference_with(edit));
        assert_eq!(err.code(), code, "{what}: {err}");
        if code != "impossible_handshake" {
            assert_eq!(field_of(&err), field, "{what}: {err}");
        }
    }
}

#[test]
fn list_item_errors_name_the_item() -> TestResult {
    let h = invite(
        "h-0123456789abcdef",
        Recipient::for_account(juan()),
        at("2026-01-05T10:00:00Z"),
    );
    let mut page = render(&ListHandshakesResponse::new(&[h.clone(), h], None)?);
    page["Handshakes"][1]["State"] = json!("PENDING");
    let err = ListHandshakesResponse::from_json(&page.to_string())?
        .to_handshakes()
        .unwrap_err();
    assert!(
        matches!(&err, WireError::UnknownValue { field, .. } if field == "Handshakes[1].State"),
        "{err}"
    );
    assert!(
        matches!(ListHandshakesResponse::from_json("{}")?.to_handshakes(), Err(WireError::Missing { field }) if field == "Handshakes")
    );
    assert!(
        matches!(HandshakeResponse::from_json("{}")?.to_handshake(), Err(WireError::Missing { field }) if field == "Handshake")
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// What AWS cannot express

#[test]
fn handshakes_aws_cannot_express_are_refused_on_render() -> TestResult {
    let t0 = at("2026-01-05T10:00:00Z");
    let base = invite("h-0123456789abcdef", Recipient::for_account(juan()), t0).into_parts();
    let unsupported = |parts: HandshakeParts| {
        let h = Handshake::from_parts(parts).unwrap();
        matches!(
            WireHandshake::from_handshake(&h),
            Err(WireError::Unsupported {
                provider: "aws",
                ..
            })
        )
    };
    let by_name = Recipient::new(Party::Name("paas_iam_573331".parse()?), None)?;
    assert!(
        unsupported(HandshakeParts {
            recipient: by_name,
            ..base.clone()
        }),
        "a Huawei `name` target"
    );
    assert!(
        unsupported(HandshakeParts {
            id: "h-0123456789ABCDEF".parse()?,
            ..base.clone()
        }),
        "an Alibaba-style id"
    );
    let mut alibaba_sender = base.sender.clone();
    alibaba_sender.id = "rd-3G6d4P".parse()?;
    assert!(
        unsupported(HandshakeParts {
            sender: alibaba_sender,
            ..base.clone()
        }),
        "an rd- directory"
    );
    assert!(
        unsupported(HandshakeParts {
            recipient: Recipient::for_account("1234567812345678".parse()?),
            ..base.clone()
        }),
        "a 16-digit account"
    );
    assert!(
        unsupported(HandshakeParts {
            requested_at: at("1969-12-31T00:00:00Z"),
            state_entered_at: None,
            ..base.clone()
        }),
        "a time before 1970"
    );
    let extra_notes = vec![Resource::new(ResourceType::Notes, "not the notes")];
    assert!(
        unsupported(HandshakeParts {
            notes: None,
            resources: extra_notes,
            ..base.clone()
        }),
        "an extra NOTES that reads as notes"
    );
    // The neutral model already refuses trees deeper than `Resource::MAX_DEPTH`; AWS counts
    // the handshake's own `Resources` list as a level, so the deepest tree the model allows is
    // one level too deep for it.
    assert_eq!(Resource::MAX_DEPTH, aws::MAX_RESOURCE_DEPTH);
    let mut deep = Resource::new(ResourceType::Account, "x");
    for _ in 1..Resource::MAX_DEPTH {
        deep = Resource::new(ResourceType::Account, "x").with_child(deep);
    }
    assert!(
        unsupported(HandshakeParts {
            resources: vec![deep],
            ..base
        }),
        "a tree deeper than the limit"
    );
    Ok(())
}

#[test]
fn an_email_invitation_hides_the_resolved_account_until_accepted() -> TestResult {
    let t0 = at("2026-01-05T10:00:00Z");
    let resolved = Recipient::new(Party::Email("juan@example.com".parse()?), Some(juan()))?;
    let open = invite("h-0123456789abcdef", resolved, t0);
    let wire = render(&WireHandshake::from_handshake(&open)?);
    assert_eq!(
        wire["Resources"][1],
        json!({"Type": "EMAIL", "Value": "juan@example.com"})
    );
    assert!(!wire.to_string().contains("222222222222"));
    assert_eq!(
        aws::parse_handshake(&wire.to_string())?
            .recipient()
            .account(),
        None
    );
    let accepted = open
        .accept(&Caller::standalone(juan()), t0 + TimeDelta::days(1))?
        .handshake;
    let wire = render(&WireHandshake::from_handshake(&accepted)?);
    assert_eq!(
        wire["Resources"][1],
        json!({"Type": "ACCOUNT", "Value": "222222222222"})
    );
    Ok(())
}

#[test]
fn sub_millisecond_times_are_truncated() -> TestResult {
    let t0 = at("2026-01-05T10:00:00.123456789Z");
    let h = invite("h-0123456789abcdef", Recipient::for_account(juan()), t0);
    let wire = render(&WireHandshake::from_handshake(&h)?);
    assert_eq!(wire["RequestedTimestamp"], json!(1767607200.123));
    assert_eq!(
        aws::parse_handshake(&wire.to_string())?.requested_at(),
        at("2026-01-05T10:00:00.123Z")
    );
    Ok(())
}

#[test]
fn deeply_nested_resources_are_refused() {
    // Within serde_json's recursion limit, the module's own depth limit refuses the tree.
    for depth in [aws::MAX_RESOURCE_DEPTH + 1, 60] {
        let mut node = json!({"Type": "ACCOUNT", "Value": "x"});
        for _ in 1..depth {
            node = json!({"Type": "ACCOUNT", "Value": "x", "Resources": [node]});
        }
        let err = refusal(reference_with(|h| {
            h["Resources"].as_array_mut().unwrap().push(node)
        }));
        assert!(
            matches!(&err, WireError::Invalid { field, .. } if field == "Handshake.Resources[3]"),
            "{depth}: {err}"
        );
    }
    // Far deeper, built as text: the JSON reader refuses it before anything recurses.
    let depth = 10_000;
    let deep = format!(
        "{}{}{}",
        r#"{"Type":"ACCOUNT","Value":"x","Resources":["#.repeat(depth),
        r#"{"Type":"ACCOUNT","Value":"x"}"#,
        "]}".repeat(depth)
    );
    let text = reference_with(|h| h["Resources"].as_array_mut().unwrap().push(json!("DEEP")))
        .replace("\"DEEP\"", &deep);
    assert!(text.len() > 300_000);
    assert_eq!(refusal(text).code(), "invalid_json");
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_aws.txt")))), ..ProptestConfig::with_cases(256) })]

    /// parse(render(h)) == h for every handshake AWS can express, given the state-entry time
    /// AWS does not carry; without it, the documented default.
    #[test]
    fn handshakes_round_trip(h in aws_gen::handshake()) {
        let text = serde_json::to_string(&HandshakeResponse::new(&h).unwrap()).unwrap();
        let wire = HandshakeResponse::from_json(&text).unwrap().handshake.unwrap();
        prop_assert_eq!(&wire.to_handshake_entered_at(h.state_entered_at()).unwrap(), &h);
        let defaulted = wire.to_handshake().unwrap();
        let expected_entry = if h.state() == HandshakeState::Expired { h.expires_at() } else { h.requested_at() };
        prop_assert_eq!(defaulted.state_entered_at(), expected_entry);
        prop_assert_eq!(defaulted.into_parts(), HandshakeParts { state_entered_at: Some(expected_entry), ..h.clone().into_parts() });
        // And the JSON reads back to itself.
        let again = serde_json::to_string(&HandshakeResponse::new(&wire.to_handshake().unwrap()).unwrap()).unwrap();
        prop_assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), serde_json::from_str::<Value>(&text).unwrap());
    }

    /// The resource tree AWS shows is the neutral tree, except that an email recipient shows
    /// the account once accepted.
    #[test]
    fn rendered_resources_follow_the_neutral_tree(h in aws_gen::handshake()) {
        let wire = render(&WireHandshake::from_handshake(&h).unwrap());
        let tree = org_handshake::provider::aws::resource_tree(&h);
        let resources = wire["Resources"].as_array().unwrap();
        prop_assert_eq!(resources.len(), tree.len());
        for (shown, neutral) in resources.iter().zip(&tree) {
            let shows_joined_account = matches!(h.recipient().target(), Party::Email(e) if neutral.value == e.as_str())
                && h.state() == HandshakeState::Accepted
                && h.recipient().account().is_some();
            if shows_joined_account {
                prop_assert_eq!(&shown["Type"], "ACCOUNT");
            } else {
                prop_assert_eq!(shown["Type"].as_str().unwrap().to_ascii_lowercase(), neutral.kind.as_str());
                prop_assert_eq!(shown["Value"].as_str().unwrap(), neutral.value.as_str());
            }
        }
        let arn: aws::HandshakeArn = wire["Arn"].as_str().unwrap().parse().unwrap();
        prop_assert_eq!(arn.handshake, h.id());
        prop_assert_eq!(arn.management_account, h.sender().management_account);
    }

    /// Millisecond timestamps survive the epoch-second number exactly.
    #[test]
    fn epoch_numbers_round_trip(ms in 0i64..=aws::MAX_EPOCH_MILLIS) {
        let time = epoch_ms(ms);
        let number = aws::format_time(time).unwrap();
        prop_assert_eq!(number.is_u64(), ms % 1000 == 0);
        let text = number.to_string();
        let reread: serde_json::Number = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(aws::parse_time("T", &reread).unwrap(), time);
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::from),
        proptest::sample::select(vec![
            "OPEN",
            "INVITE",
            "ACCOUNT",
            "ORGANIZATION",
            "h-examplehandshakeid111",
            "o-exampleorgid"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let keys = proptest::sample::select(vec![
            "Handshake",
            "Id",
            "Arn",
            "Parties",
            "State",
            "RequestedTimestamp",
            "ExpirationTimestamp",
            "Action",
            "Resources",
            "Type",
            "Value",
            "__type",
            "Message",
            "x",
        ]);
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(keys, inner, 0..5).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

/// Paths to every value in a JSON document, with a way to replace the value.
fn paths(value: &Value, prefix: Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let mut p = prefix.clone();
                p.push(PathStep::Key(k.clone()));
                paths(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut p = prefix.clone();
                p.push(PathStep::Index(i));
                paths(v, p, out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at_path<'a>(value: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        PathStep::Key(k) => &mut v[k.as_str()],
        PathStep::Index(i) => &mut v[*i],
    })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_aws.txt")))), ..ProptestConfig::with_cases(512) })]

    /// Arbitrary JSON never panics a parser, and is refused (it is never a valid handshake).
    #[test]
    fn arbitrary_json_is_refused(doc in arbitrary_json()) {
        let text = doc.to_string();
        prop_assert!(aws::parse_handshake(&text).is_err());
        prop_assert!(HandshakeResponse::from_json(&text).and_then(|r| r.to_handshake()).is_err());
        let _ = ListHandshakesResponse::from_json(&text).and_then(|r| r.to_handshakes());
        let _ = aws::parse_error_response(400, &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_aws.txt")))), ..ProptestConfig::with_cases(128) })]

    /// Every strict prefix of a valid response is refused as JSON.
    #[test]
    fn truncated_json_is_refused(h in aws_gen::handshake(), cut in any::<proptest::sample::Index>()) {
        let text = serde_json::to_string(&HandshakeResponse::new(&h).unwrap()).unwrap();
        let mut end = cut.index(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let err = HandshakeResponse::from_json(&text[..end]).and_then(|r| r.to_handshake()).unwrap_err();
        prop_assert_eq!(err.code(), "invalid_json");
    }

    /// Any member replaced by a value of the wrong type is refused with a typed error.
    #[test]
    fn wrong_types_are_refused(
        h in aws_gen::handshake(),
        which in any::<proptest::sample::Index>(),
        replacement in prop_oneof![Just(json!(true)), Just(json!({"x": 1})), Just(json!([[]])), Just(json!(12.5))],
    ) {
        let mut doc = render(&HandshakeResponse::new(&h).unwrap());
        let mut all = Vec::new();
        paths(&doc, Vec::new(), &mut all);
        // Leaves only: strings and numbers, replaced by something of another type.
        let leaves: Vec<_> = all.into_iter().filter(|p| {
            let mut copy = doc.clone();
            matches!(at_path(&mut copy, p), Value::String(_) | Value::Number(_))
        }).collect();
        let path = &leaves[which.index(leaves.len())];
        let target = at_path(&mut doc, path);
        if target.is_number() && replacement.is_number() {
            *target = json!("1481656459");
        } else {
            *target = replacement;
        }
        let result = HandshakeResponse::from_json(&doc.to_string()).and_then(|r| r.to_handshake());
        prop_assert!(result.is_err(), "{:?} at {:?}", doc, path);
    }

    /// Huge strings anywhere are refused without trouble.
    #[test]
    fn huge_strings_are_refused(h in aws_gen::handshake(), which in any::<proptest::sample::Index>()) {
        let mut doc = render(&HandshakeResponse::new(&h).unwrap());
        let mut all = Vec::new();
        paths(&doc, Vec::new(), &mut all);
        let strings: Vec<_> = all.into_iter().filter(|p| {
            let mut copy = doc.clone();
            matches!(at_path(&mut copy, p), Value::String(s) if !s.is_empty())
        }).collect();
        let path = &strings[which.index(strings.len())];
        *at_path(&mut doc, path) = json!("h".repeat(200_000));
        let result = HandshakeResponse::from_json(&doc.to_string()).and_then(|r| r.to_handshake());
        // A huge value is valid only where the model takes any text: an extra resource.
        if let Err(err) = &result {
            prop_assert!(err.to_string().len() < 2_000, "errors stay small: {}", err.to_string().len());
        } else {
            let in_extras = !h.resources().is_empty();
            prop_assert!(in_extras, "accepted a huge value at {:?}", path);
        }
    }
}
