//! Huawei Cloud Organizations shapes: snapshots of every operation's response body and of every
//! error body, the documented examples reproduced byte for byte, round trips, and robustness.

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::huawei_gen;
use common::reply::status_and_body;
use insta::assert_json_snapshot;
use org_handshake::provider::huawei::{
    self, error_response, parse_error_response, AcceptHandshakeResponse, CancelHandshakeResponse,
    DeclineHandshakeResponse, HandshakeResponse, InviteAccountResponse, ListHandshakesResponse,
    ListReceivedHandshakesResponse, Marker, Operation, ShowHandshakeResponse, Status, TargetType,
    WireHandshake,
};
use org_handshake::provider::WireError;
use org_handshake::{
    Action, Caller, ErrorKind, Failure, Handshake, HandshakeParts, HandshakeState, InputProblem,
    NewHandshake, Party, Profile, Recipient, SenderOrganization, TransitionError,
};
use proptest::prelude::*;
use serde_json::{json, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

// ---------------------------------------------------------------------------------------------
// The documented examples (API reference, seeds `huawei-accept-handshake.txt` and
// `huawei-list-received-handshakes.txt`, reference/providers.md §1.3).

const ID: &str = "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w";
const MANAGEMENT: &str = "0a6d25d23900d45c0faac010e0fb4de0";
const ORGANIZATION: &str = "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv";
const INVITED: &str = "05c734152f00d4200f2bc0179ac6c5e0";

/// The seed's AcceptHandshake example response, verbatim.
const SEED_ACCEPT: &str = r#"{
"handshake" : {
"id" : "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
"urn" : "organizations::0a6d25d23900d45c0faac010e0fb4de0:handshake:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
"updated_at" : "2022-08-25T08:11:53Z",
"created_at" : "2022-08-25T08:11:20Z",
"expired_at" : "2022-09-08T08:11:20Z",
"management_account_id" : "0a6d25d23900d45c0faac010e0fb4de0",
"management_account_name" : "paas_iam_573331",
"organization_id" : "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv",
"notes" : "test-notes",
"target" : {
"type" : "account",
"entity" : "05c734152f00d4200f2bc0179ac6c5e0"
},
"status" : "accepted"
}
}"#;

/// The seed's ListReceivedHandshakes example response, verbatim (one handshake, yet
/// `"current_count" : 100`).
const SEED_LIST_RECEIVED: &str = r#"{
"handshakes" : [ {
"id" : "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
"urn" : "organizations::0a6d25d23900d45c0faac010e0fb4de0:handshake:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
"updated_at" : "2022-08-25T08:11:53Z",
"created_at" : "2022-08-25T08:11:20Z",
"expired_at" : "2022-09-08T08:11:20Z",
"management_account_id" : "0a6d25d23900d45c0faac010e0fb4de0",
"management_account_name" : "paas_iam_573331",
"organization_id" : "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv",
"notes" : "test-notes",
"target" : {
"type" : "account",
"entity" : "05c734152f00d4200f2bc0179ac6c5e0"
},
"status" : "pending"
} ],
"page_info" : {
"next_marker" : "ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw",
"current_count" : 100
}
}"#;

/// reference/providers.md §1.3 (ShowHandshake / ListHandshakes / DeclineHandshake examples).
const REFERENCE_SHOW: &str = r#"{"handshake": {"id": "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
 "urn": "organizations::0a6d25d23900d45c0faac010e0fb4de0:handshake:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
 "updated_at": "2022-08-25T08:11:53Z", "created_at": "2022-08-25T08:11:20Z", "expired_at": "2022-09-08T08:11:20Z",
 "management_account_id": "0a6d25d23900d45c0faac010e0fb4de0", "management_account_name": "paas_iam_573331",
 "organization_id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv", "notes": "test-notes",
 "target": {"type": "account", "entity": "05c734152f00d4200f2bc0179ac6c5e0"}, "status": "pending"}}"#;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn sender() -> SenderOrganization {
    SenderOrganization {
        id: ORGANIZATION.parse().unwrap(),
        management_account: MANAGEMENT.parse().unwrap(),
        management_account_name: "paas_iam_573331".parse().unwrap(),
        management_account_email: None,
        feature_set: None,
    }
}

fn management() -> Caller {
    Caller::management(MANAGEMENT.parse().unwrap(), ORGANIZATION.parse().unwrap())
}

fn invited() -> Caller {
    Caller::standalone(INVITED.parse().unwrap())
}

/// The documents' invitation, created the way the semantics create it: at the example's
/// `created_at`, under the Huawei profile (14 days), with the example's notes.
fn documented_invite() -> Handshake {
    let new = NewHandshake::invite(
        ID.parse().unwrap(),
        sender(),
        Recipient::for_account(INVITED.parse().unwrap()),
    )
    .with_notes("test-notes".parse().unwrap());
    Handshake::create(new, &Profile::HUAWEI, t("2022-08-25T08:11:20Z"))
        .unwrap()
        .handshake
}

fn value(json: &str) -> Value {
    serde_json::from_str(json).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Snapshots: one per operation response.

#[test]
fn invite_account() -> TestResult {
    let invite = documented_invite();
    // The 14-day validity reproduces the documents' `expired_at`.
    assert_eq!(invite.expires_at(), t("2022-09-08T08:11:20Z"));
    let body = InviteAccountResponse::new(&invite)?;
    assert_eq!(body.handshake.status, "pending");
    assert_eq!(
        body.handshake.updated_at.as_deref(),
        Some("2022-08-25T08:11:20Z")
    );
    assert_json_snapshot!("huawei_invite_account", body);
    Ok(())
}

#[test]
fn accept_handshake_reproduces_the_seed() -> TestResult {
    // Seed `huawei-accept-handshake.txt`: the invited account accepts 33 s after the request.
    let accepted = documented_invite()
        .accept(&invited(), t("2022-08-25T08:11:53Z"))?
        .handshake;
    let body = AcceptHandshakeResponse::new(&accepted)?;
    assert_eq!(body.to_json()?, value(SEED_ACCEPT));
    assert_json_snapshot!("huawei_accept_handshake", body);
    Ok(())
}

#[test]
fn decline_handshake() -> TestResult {
    let declined = documented_invite()
        .decline(&invited(), t("2022-08-26T01:00:00Z"))?
        .handshake;
    let body = DeclineHandshakeResponse::new(&declined)?;
    assert_eq!(body.handshake.status, "declined");
    assert_json_snapshot!("huawei_decline_handshake", body);
    Ok(())
}

#[test]
fn cancel_handshake() -> TestResult {
    let canceled = documented_invite()
        .cancel(&management(), t("2022-08-25T09:00:00Z"))?
        .handshake;
    let body = CancelHandshakeResponse::new(&canceled)?;
    assert_eq!(body.handshake.status, "cancelled");
    assert_json_snapshot!("huawei_cancel_handshake", body);
    Ok(())
}

#[test]
fn show_handshake_reproduces_the_reference_example() -> TestResult {
    // reference/providers.md §1.3: still pending, yet `updated_at` is 33 s after `created_at`.
    // The neutral model keeps a pending handshake's entry time, so it renders back exactly.
    let parts = HandshakeParts {
        state_entered_at: Some(t("2022-08-25T08:11:53Z")),
        ..documented_invite().into_parts()
    };
    let shown = Handshake::from_parts(parts)?;
    let body = ShowHandshakeResponse::new(&shown)?;
    assert_eq!(body.to_json()?, value(REFERENCE_SHOW));
    assert_eq!(
        ShowHandshakeResponse::from_json(REFERENCE_SHOW)?.to_handshake()?,
        shown
    );
    assert_json_snapshot!("huawei_show_handshake", body);
    Ok(())
}

#[test]
fn show_handshake_shows_lazy_expiry_when_observed() -> TestResult {
    let invite = documented_invite();
    let later = invite.expires_at() + TimeDelta::days(3);
    let body = ShowHandshakeResponse::new(&invite.observed_at(later))?;
    assert_eq!(body.handshake.status, "expired");
    assert_eq!(
        body.handshake.updated_at.as_deref(),
        Some("2022-09-08T08:11:20Z")
    );
    assert_json_snapshot!("huawei_show_handshake_expired", body);
    Ok(())
}

/// Three invitations from the documents' organization, oldest first: one accepted, one to an
/// account named rather than numbered, one still pending.
fn sent_invitations() -> Vec<Handshake> {
    let accepted = documented_invite()
        .accept(&invited(), t("2022-08-25T08:11:53Z"))
        .unwrap()
        .handshake;
    let by_name = Handshake::create(
        NewHandshake::invite(
            "h-n4m3dt4rg3t00000000000000000001".parse().unwrap(),
            sender(),
            Recipient::new(Party::Name("finance_team_01".parse().unwrap()), None).unwrap(),
        ),
        &Profile::HUAWEI,
        t("2022-08-26T02:00:00Z"),
    )
    .unwrap()
    .handshake;
    let pending = Handshake::create(
        NewHandshake::invite(
            "h-0000000000000000000000000000000a".parse().unwrap(),
            sender(),
            Recipient::for_account("1b2c3d4e5f60718293a4b5c6d7e8f901".parse().unwrap()),
        )
        .with_notes("welcome aboard".parse().unwrap()),
        &Profile::HUAWEI,
        t("2022-08-27T12:30:00Z"),
    )
    .unwrap()
    .handshake;
    vec![accepted, by_name, pending]
}

#[test]
fn list_handshakes_pages() -> TestResult {
    let all = sent_invitations();
    let (first, rest) = all.split_at(2);
    let page1 = ListHandshakesResponse::new(
        first,
        Some(Marker::parse("h-n4m3dt4rg3t00000000000000000001")?),
    )?;
    let page2 = ListHandshakesResponse::new(rest, None)?;
    assert_eq!(page1.page_info.current_count, 2);
    assert_eq!(page2.to_json()?["page_info"]["next_marker"], Value::Null);
    // Both pages read back to the handshakes they show.
    let read: Vec<Handshake> = [&page1, &page2]
        .iter()
        .map(|p| {
            ListHandshakesResponse::from_json(&serde_json::to_string(p).unwrap())
                .and_then(|p| p.to_handshakes())
        })
        .collect::<Result<Vec<_>, _>>()?
        .concat();
    assert_eq!(read, all);
    assert_json_snapshot!("huawei_list_handshakes_page1", page1);
    assert_json_snapshot!("huawei_list_handshakes_last_page", page2);
    Ok(())
}

#[test]
fn list_handshakes_empty() -> TestResult {
    let body = ListHandshakesResponse::new(&[], None)?;
    assert_eq!(
        body.to_json()?,
        json!({"handshakes": [], "page_info": {"next_marker": null, "current_count": 0}})
    );
    assert_json_snapshot!("huawei_list_handshakes_empty", body);
    Ok(())
}

#[test]
fn list_received_handshakes_reproduces_the_seed_except_its_count() -> TestResult {
    // Seed `huawei-list-received-handshakes.txt`, with one deviation: the seed shows one
    // handshake but `"current_count" : 100` (an abridged page). The crate counts what it shows.
    // The listed handshake is the reference's pending one, changed last at 08:11:53.
    let parts = HandshakeParts {
        state_entered_at: Some(t("2022-08-25T08:11:53Z")),
        ..documented_invite().into_parts()
    };
    let body = ListReceivedHandshakesResponse::new(
        &[Handshake::from_parts(parts)?],
        Some(Marker::parse("ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw")?),
    )?;
    let mut seed = value(SEED_LIST_RECEIVED);
    seed["page_info"]["current_count"] = json!(1);
    assert_eq!(body.to_json()?, seed);
    assert_json_snapshot!("huawei_list_received_handshakes", body);

    // The seed as published is refused, naming the count.
    let err = ListReceivedHandshakesResponse::from_json(SEED_LIST_RECEIVED)?
        .to_handshakes()
        .unwrap_err();
    assert!(
        matches!(&err, WireError::Inconsistent { field, .. } if field == "page_info.current_count"),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn documented_examples_render_back_exactly() -> TestResult {
    // render(parse(json)) == json for every self-consistent documented example.
    let accept = AcceptHandshakeResponse::from_json(SEED_ACCEPT)?;
    assert_eq!(
        AcceptHandshakeResponse::new(&accept.to_handshake()?)?.to_json()?,
        value(SEED_ACCEPT)
    );
    let show = ShowHandshakeResponse::from_json(REFERENCE_SHOW)?;
    assert_eq!(
        ShowHandshakeResponse::new(&show.to_handshake()?)?.to_json()?,
        value(REFERENCE_SHOW)
    );
    let mut seed = value(SEED_LIST_RECEIVED);
    seed["page_info"]["current_count"] = json!(1);
    let list = ListHandshakesResponse::from_json(&seed.to_string())?;
    let again = ListHandshakesResponse::new(&list.to_handshakes()?, list.next_marker()?)?;
    assert_eq!(again.to_json()?, seed);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Error bodies: one snapshot per neutral kind, plus the operation-specific rows.

fn failures() -> Result<Vec<(&'static str, Failure)>, Box<dyn std::error::Error>> {
    let invite = documented_invite();
    let id = invite.id();
    let later = t("2022-08-26T00:00:00Z");
    let accepted = invite.accept(&invited(), later)?.handshake;
    let err = |r: Result<org_handshake::Transition, TransitionError>| {
        r.map(|_| ()).expect_err("the semantics refuse this")
    };
    Ok(vec![
        ("not_found", TransitionError::NotFound { handshake: id }.into()),
        ("access_denied", err(invite.cancel(&invited(), later)).into()),
        ("already_in_state", err(accepted.accept(&invited(), later)).into()),
        (
            "invalid_transition",
            err(invite.accept(&invited(), invite.expires_at())).into(),
        ),
        (
            "already_in_organization",
            TransitionError::AlreadyInOrganization {
                handshake: id,
                account: INVITED.parse()?,
                organization: "o-anotherorganization1".parse()?,
                is_management_account: false,
            }
            .into(),
        ),
        (
            "duplicate_handshake",
            Failure::new(ErrorKind::DuplicateHandshake, "organization o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv already has a pending invitation for account 05c734152f00d4200f2bc0179ac6c5e0"),
        ),
        (
            "invitation_quota_exceeded",
            Failure::new(ErrorKind::InvitationQuotaExceeded, "20 invitations were sent in the last 24 hours"),
        ),
        (
            "not_in_organization",
            Failure::new(ErrorKind::NotInOrganization, "account 05c734152f00d4200f2bc0179ac6c5e0 is in no organization"),
        ),
        (
            "invites_disabled_during_enable_all_features",
            Failure::new(ErrorKind::InvitesDisabledDuringEnableAllFeatures, "invitations are disabled while all features are being enabled"),
        ),
        (
            "all_features_already_requested",
            Failure::new(ErrorKind::AllFeaturesAlreadyRequested, "enabling all features has already started"),
        ),
        (
            "all_features_already_enabled",
            Failure::new(ErrorKind::AllFeaturesAlreadyEnabled, "the organization already has all features"),
        ),
        (
            "concurrent_modification",
            err(accepted.decline(&invited(), t("2022-08-25T12:00:00Z"))).into(),
        ),
        (
            "invalid_input",
            Failure::invalid_input("handshake_id", InputProblem::InvalidPattern, "handshake_id must match ^h-[0-9a-z]{8,32}$"),
        ),
        (
            "unsupported",
            Failure::new(ErrorKind::Unsupported, "huawei cannot express enable_all_features handshakes"),
        ),
    ])
}

#[test]
fn error_bodies() -> TestResult {
    let failures = failures()?;
    assert_eq!(failures.len(), 14, "one per neutral kind");
    for (name, failure) in &failures {
        assert_eq!(
            failure.kind.as_str(),
            *name,
            "the snapshot is named after its kind"
        );
        let response = error_response(failure, "", "");
        let body = response.json();
        let keys: Vec<&String> = body.as_object().ok_or("an object")?.keys().collect();
        assert_eq!(keys, ["error_code", "error_msg"]);
        // Reading the body back gives the kind it was made from.
        let read = parse_error_response(response.status, &response.body)?;
        assert_eq!(read.kind, Some(failure.kind), "{name}");
        insta::assert_json_snapshot!(format!("huawei_error_{name}"), status_and_body(&response));
    }
    Ok(())
}

#[test]
fn documented_error_codes() -> TestResult {
    // Facts from Huawei's ErrorCode page and the Terraform provider, independent of the table.
    let concurrent = error_response(
        &Failure::new(ErrorKind::ConcurrentModification, "x"),
        "",
        "",
    );
    assert_eq!(concurrent.status, 409);
    assert_eq!(
        concurrent.json(),
        json!({"error_code": "Organizations.1003", "error_msg": "Concurrent modification."})
    );
    let denied = error_response(&Failure::new(ErrorKind::AccessDenied, "x"), "", "");
    assert_eq!(
        (denied.status, denied.json()["error_code"].as_str()),
        (401, Some("Organizations.1001"))
    );

    let cancel_twice = documented_invite()
        .cancel(&management(), t("2022-08-25T09:00:00Z"))?
        .handshake
        .cancel(&management(), t("2022-08-25T10:00:00Z"))
        .map(|_| ())
        .expect_err("cancelling twice is refused");
    let response = error_response(
        &cancel_twice.into(),
        Operation::CancelHandshake.as_str(),
        "",
    );
    assert_eq!(response.status, 400);
    assert_eq!(
        response.json(),
        json!({"error_code": "Organizations.1401", "error_msg": "The invitation has been canceled."})
    );
    assert_json_snapshot!(
        "huawei_error_already_in_state_cancel_handshake",
        status_and_body(&response)
    );

    let member = Failure::new(
        ErrorKind::AccessDenied,
        "account 05c734152f00d4200f2bc0179ac6c5e0 may not list the organization's handshakes",
    );
    let response = error_response(&member, Operation::ListHandshakes.as_str(), "");
    assert_eq!(
        (response.status, response.json()["error_code"].as_str()),
        (401, Some("Organizations.1002"))
    );
    assert_json_snapshot!(
        "huawei_error_access_denied_list_handshakes",
        status_and_body(&response)
    );
    Ok(())
}

#[test]
fn error_bodies_read_back_strictly() {
    let unknown = parse_error_response(
        404,
        r#"{"error_code": "Organizations.1010", "error_msg": "Not found for http header."}"#,
    )
    .unwrap();
    assert_eq!(unknown.kind, None);
    assert_eq!(unknown.error_msg, "Not found for http header.");
    assert_eq!(
        parse_error_response(200, r#"{"error_code": "x", "error_msg": "y"}"#)
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    assert_eq!(
        parse_error_response(400, r#"{"error_code": "", "error_msg": "y"}"#)
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    assert_eq!(
        parse_error_response(400, r#"{"error_msg": "y"}"#).unwrap_err(),
        WireError::Missing {
            field: "error_code".into()
        }
    );
    assert_eq!(
        parse_error_response(400, r#"{"error_code": 7, "error_msg": "y"}"#)
            .unwrap_err()
            .code(),
        "invalid_json"
    );
}

// ---------------------------------------------------------------------------------------------
// What Huawei cannot express, and strict parsing.

#[test]
fn what_huawei_cannot_express_is_refused_by_name() -> TestResult {
    let base = documented_invite().into_parts();
    let cases: Vec<(&str, HandshakeParts)> = vec![
        (
            "email recipients",
            HandshakeParts {
                recipient: Recipient::new(Party::Email("juan@example.com".parse()?), None)?,
                ..base.clone()
            },
        ),
        (
            "organization id rd-",
            HandshakeParts {
                sender: SenderOrganization {
                    id: "rd-3G6rzX".parse()?,
                    ..sender()
                },
                ..base.clone()
            },
        ),
        (
            "handshake id h-Ih8IuPfvV0t0abcd",
            HandshakeParts {
                id: "h-Ih8IuPfvV0t0abcd".parse()?,
                ..base.clone()
            },
        ),
        (
            "extra handshake resources",
            HandshakeParts {
                resources: vec![org_handshake::Resource::new(
                    org_handshake::ResourceType::TransferType,
                    "BILLING",
                )],
                ..base.clone()
            },
        ),
        (
            "transfer_responsibility handshakes",
            HandshakeParts {
                action: Action::TransferResponsibility,
                ..base.clone()
            },
        ),
    ];
    for (what, parts) in cases {
        let h = Handshake::from_parts(parts)?;
        match WireHandshake::from_handshake(&h) {
            Err(WireError::Unsupported {
                provider: "huawei",
                what: said,
            }) => {
                assert!(said.starts_with(what), "{said} vs {what}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    // Requested exists only for enable-all-features parents, which Huawei does not have either.
    assert!(matches!(
        Status::from_state(HandshakeState::Requested),
        Err(WireError::Unsupported { .. })
    ));
    Ok(())
}

#[test]
fn an_aws_handshake_translates_without_its_email_and_feature_set() -> TestResult {
    // The crate's AWS-style example: 12-digit accounts, an `o-` organization, 15-day validity.
    let aws = org_handshake::example::aws_invitation()?;
    let huawei = huawei::parse_handshake(&huawei::render_handshake(&aws)?.to_string())?;
    let expected = HandshakeParts {
        sender: SenderOrganization {
            management_account_email: None,
            feature_set: None,
            ..aws.sender().clone()
        },
        ..aws.clone().into_parts()
    };
    assert_eq!(huawei, Handshake::from_parts(expected)?);
    assert_eq!(
        huawei.validity(),
        TimeDelta::days(15),
        "validity travels as written, not re-derived"
    );
    Ok(())
}

#[test]
fn name_targets_carry_no_resolved_account() -> TestResult {
    let named = Recipient::new(
        Party::Name("finance_team_01".parse()?),
        Some(INVITED.parse()?),
    )?;
    let h = Handshake::from_parts(HandshakeParts {
        recipient: named,
        ..documented_invite().into_parts()
    })?;
    let json = huawei::render_handshake(&h)?;
    assert_eq!(
        json["target"],
        json!({"type": "name", "entity": "finance_team_01"})
    );
    assert_eq!(
        huawei::parse_handshake(&json.to_string())?
            .recipient()
            .account(),
        None
    );
    assert_eq!(
        TargetType::values(),
        [TargetType::Account, TargetType::Name]
    );
    Ok(())
}

/// The documented example as a JSON value, with `edit` applied.
fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let mut v = value(REFERENCE_SHOW)["handshake"].take();
    edit(&mut v);
    v.to_string()
}

fn field_of(err: &WireError) -> Option<&str> {
    match err {
        WireError::Json { field, .. }
        | WireError::Missing { field }
        | WireError::Invalid { field, .. }
        | WireError::UnknownValue { field, .. }
        | WireError::Inconsistent { field, .. } => Some(field),
        _ => None,
    }
}

#[test]
fn strict_parsing_names_the_field() {
    type Edit = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, &str, Edit)> = vec![
        (
            "unknown_value",
            "status",
            Box::new(|v| v["status"] = json!("canceled")),
        ),
        (
            "unknown_value",
            "status",
            Box::new(|v| v["status"] = json!("PENDING")),
        ),
        (
            "unknown_value",
            "target.type",
            Box::new(|v| v["target"]["type"] = json!("email")),
        ),
        (
            "invalid_field",
            "id",
            Box::new(|v| v["id"] = json!("h-AWJP43M7bz3b8jgy5v61jrfwakt3og8w")),
        ),
        (
            "invalid_field",
            "id",
            Box::new(|v| v["id"] = json!("h-short")),
        ),
        (
            "invalid_field",
            "organization_id",
            Box::new(|v| v["organization_id"] = json!("rd-3G6rzX")),
        ),
        (
            "invalid_field",
            "management_account_id",
            Box::new(|v| v["management_account_id"] = json!("0a6d-25d2")),
        ),
        (
            "invalid_field",
            "target.entity",
            Box::new(|v| v["target"]["entity"] = json!("")),
        ),
        (
            "invalid_field",
            "created_at",
            Box::new(|v| v["created_at"] = json!("2022-08-25T08:11:20.123Z")),
        ),
        (
            "invalid_field",
            "expired_at",
            Box::new(|v| v["expired_at"] = json!("2022-09-08T16:11:20+08:00")),
        ),
        (
            "invalid_field",
            "updated_at",
            Box::new(|v| v["updated_at"] = json!("1661415113")),
        ),
        (
            "invalid_field",
            "urn",
            Box::new(|v| v["urn"] = json!("urn:organizations:handshake")),
        ),
        (
            "inconsistent_fields",
            "urn",
            Box::new(|v| v["id"] = json!("h-0000000000000000000000000000000a")),
        ),
        (
            "missing_field",
            "urn",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("urn");
            }),
        ),
        (
            "missing_field",
            "target.entity",
            Box::new(|v| {
                v["target"].as_object_mut().unwrap().remove("entity");
            }),
        ),
        (
            "invalid_json",
            "target",
            Box::new(|v| v["target"] = json!("account")),
        ),
        (
            "invalid_json",
            "notes",
            Box::new(|v| v["notes"] = json!(17)),
        ),
    ];
    for (code, field, edit) in cases {
        let json = edited(edit);
        let err = huawei::parse_handshake(&json).unwrap_err();
        assert_eq!(
            (err.code(), field_of(&err)),
            (code, Some(field)),
            "{json}\n{err}"
        );
    }
    // A terminal handshake must say when it changed; a pending one may leave it out.
    let err = huawei::parse_handshake(&edited(|v| {
        v["status"] = json!("accepted");
        v.as_object_mut().unwrap().remove("updated_at");
    }))
    .unwrap_err();
    assert_eq!(
        err,
        WireError::Missing {
            field: "updated_at".into()
        }
    );
    let pending = huawei::parse_handshake(&edited(|v| {
        v.as_object_mut().unwrap().remove("updated_at");
    }))
    .unwrap();
    assert_eq!(pending.state_entered_at(), pending.requested_at());
    // Expired must have changed exactly at the expiry (the neutral invariant).
    let err = huawei::parse_handshake(&edited(|v| v["status"] = json!("expired"))).unwrap_err();
    assert_eq!(err.code(), "impossible_handshake");
}

#[test]
fn response_errors_name_the_path_from_the_root() {
    let err = HandshakeResponse::from_json(r#"{"handshake": {"id": "h-0123456789"}}"#).unwrap_err();
    assert_eq!(
        err,
        WireError::Missing {
            field: "handshake.urn".into()
        }
    );
    let mut doc = value(REFERENCE_SHOW);
    doc["handshake"]["status"] = json!("open");
    let err = HandshakeResponse::from_json(&doc.to_string())
        .unwrap()
        .to_handshake()
        .unwrap_err();
    assert_eq!(field_of(&err), Some("handshake.status"));

    let mut list = value(SEED_LIST_RECEIVED);
    list["page_info"]["current_count"] = json!(2);
    let second = list["handshakes"][0].clone();
    list["handshakes"].as_array_mut().unwrap().push(second);
    list["handshakes"][1]["target"]["type"] = json!(7);
    let err = ListHandshakesResponse::from_json(&list.to_string()).unwrap_err();
    assert_eq!(field_of(&err), Some("handshakes[1].target.type"));
    list["handshakes"][1]["target"]["type"] = json!("organization");
    let err = ListHandshakesResponse::from_json(&list.to_string())
        .unwrap()
        .to_handshakes()
        .unwrap_err();
    assert_eq!(field_of(&err), Some("handshakes[1].target.type"));
    list["handshakes"][1]["target"]["type"] = json!("account");
    list["page_info"]["next_marker"] = json!("abc");
    let err = ListHandshakesResponse::from_json(&list.to_string())
        .unwrap()
        .to_handshakes()
        .unwrap_err();
    assert_eq!(field_of(&err), Some("page_info.next_marker"));
    list["page_info"]
        .as_object_mut()
        .unwrap()
        .remove("next_marker");
    let last = ListHandshakesResponse::from_json(&list.to_string()).unwrap();
    assert_eq!(
        last.next_marker().unwrap(),
        None,
        "an absent marker is the last page"
    );
    assert_eq!(last.to_handshakes().unwrap().len(), 2);
}

#[test]
fn operations_are_the_sdk_method_names() {
    let names: Vec<&str> = Operation::values().iter().map(|op| op.as_str()).collect();
    assert_eq!(
        names,
        [
            "invite_account",
            "accept_handshake",
            "decline_handshake",
            "cancel_handshake",
            "show_handshake",
            "list_handshakes",
            "list_received_handshakes",
            "create_organization",
            "show_organization",
            "delete_organization",
            "list_accounts",
            "show_account",
            "leave_organization",
            "remove_account"
        ]
    );
    for op in Operation::values() {
        assert_eq!(op.as_str().parse::<Operation>().unwrap(), *op);
        assert_eq!(serde_json::to_value(op).unwrap(), json!(op.as_str()));
        // The handshake listings: GET on a handshakes collection.
        assert_eq!(
            op.is_list(),
            op.method() == "GET"
                && op.path().ends_with("handshakes")
                && !op.path().contains("{handshake_id}")
        );
    }
    let err = "InviteAccount".parse::<Operation>().unwrap_err();
    assert_eq!(
        (err.vocabulary, err.value.as_str()),
        ("huawei operation", "InviteAccount")
    );
}

#[test]
fn statuses_map_to_neutral_states_one_to_one() {
    for status in Status::values() {
        let state = HandshakeState::from(*status);
        assert_eq!(Status::from_state(state).unwrap(), *status);
        assert_eq!(status.as_str().parse::<Status>().unwrap(), *status);
    }
    assert_eq!(Status::values().len(), 5);
}

// ---------------------------------------------------------------------------------------------
// Round trips (proptest).

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_huawei.txt")))), ..ProptestConfig::with_cases(256) })]

    /// parse(render(h)) == h for every handshake Huawei can express.
    #[test]
    fn parse_inverts_render(h in huawei_gen::expressible()) {
        let json = huawei::render_handshake(&h).unwrap().to_string();
        prop_assert_eq!(huawei::parse_handshake(&json).unwrap(), h);
    }

    /// What Huawei does not carry (management email, feature set) is all that is lost.
    #[test]
    fn render_drops_only_the_sender_extras(h in huawei_gen::with_sender_extras()) {
        let json = huawei::render_handshake(&h).unwrap().to_string();
        let sender = SenderOrganization { management_account_email: None, feature_set: None, ..h.sender().clone() };
        let expected = Handshake::from_parts(HandshakeParts { sender, ..h.clone().into_parts() }).unwrap();
        prop_assert_eq!(huawei::parse_handshake(&json).unwrap(), expected);
    }

    /// Rendering at sub-second times is rendering at the second (Huawei's precision).
    #[test]
    fn render_truncates_to_the_second(h in huawei_gen::expressible(), nanos in 1u32..1_000_000_000) {
        let parts = h.clone().into_parts();
        let late = |at: DateTime<Utc>| at + TimeDelta::nanoseconds(i64::from(nanos));
        let shifted = Handshake::from_parts(HandshakeParts {
            requested_at: late(parts.requested_at),
            expires_at: late(parts.expires_at),
            state_entered_at: parts.state_entered_at.map(late),
            ..parts
        }).unwrap();
        prop_assert_eq!(huawei::render_handshake(&shifted).unwrap(), huawei::render_handshake(&h).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_huawei.txt")))), ..ProptestConfig::with_cases(64) })]

    /// Every response body reads back to the handshakes it was made from.
    #[test]
    fn responses_round_trip(
        hs in proptest::collection::vec(huawei_gen::expressible(), 0..5),
        marker in proptest::option::of("[ -~]{4,60}"),
    ) {
        let marker = marker.map(|m| Marker::parse(&m).unwrap());
        let page = ListHandshakesResponse::new(&hs, marker.clone()).unwrap();
        let read = ListHandshakesResponse::from_json(&serde_json::to_string(&page).unwrap()).unwrap();
        prop_assert_eq!(read.next_marker().unwrap(), marker);
        prop_assert_eq!(read.to_handshakes().unwrap(), hs.clone());
        for h in &hs {
            let body = serde_json::to_string(&HandshakeResponse::new(h).unwrap()).unwrap();
            prop_assert_eq!(&HandshakeResponse::from_json(&body).unwrap().to_handshake().unwrap(), h);
        }
    }

    /// Email recipients never render, whatever else the handshake holds.
    #[test]
    fn email_recipients_are_unsupported(h in huawei_gen::expressible(), local in "[a-z]{1,20}") {
        let recipient = Recipient::new(Party::Email(format!("{local}@example.com").parse().unwrap()), None).unwrap();
        let h = Handshake::from_parts(HandshakeParts { recipient, ..h.into_parts() }).unwrap();
        let refused = matches!(WireHandshake::from_handshake(&h), Err(WireError::Unsupported { .. }));
        prop_assert!(refused);
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness (proptest): nothing panics, everything wrong is a typed error.

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        any::<i64>().prop_map(|i| json!(i)),
        ".{0,20}".prop_map(Value::String),
        Just(json!("pending")),
        Just(json!("h-0123456789")),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("urn".to_owned()),
                    Just("status".to_owned()),
                    Just("target".to_owned()),
                    Just("handshake".to_owned()),
                    Just("handshakes".to_owned()),
                    Just("page_info".to_owned()),
                    Just("error_code".to_owned()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every member of the handshake object, as a JSON pointer and its error path.
const MEMBERS: &[(&str, &str)] = &[
    ("/id", "id"),
    ("/urn", "urn"),
    ("/updated_at", "updated_at"),
    ("/created_at", "created_at"),
    ("/expired_at", "expired_at"),
    ("/management_account_id", "management_account_id"),
    ("/management_account_name", "management_account_name"),
    ("/organization_id", "organization_id"),
    ("/notes", "notes"),
    ("/target", "target"),
    ("/target/type", "target.type"),
    ("/target/entity", "target.entity"),
    ("/status", "status"),
];

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_huawei.txt")))), ..ProptestConfig::with_cases(512) })]

    /// Arbitrary JSON is never a handshake, a response or a page, and never panics a parser.
    #[test]
    fn arbitrary_json_is_refused(v in arbitrary_json()) {
        let text = v.to_string();
        prop_assert!(huawei::parse_handshake(&text).is_err());
        prop_assert!(HandshakeResponse::from_json(&text).and_then(|r| r.to_handshake()).is_err());
        prop_assert!(ListHandshakesResponse::from_json(&text).and_then(|r| r.to_handshakes()).map(|hs| hs.is_empty()).unwrap_or(true));
        let _ = parse_error_response(400, &text);
    }

    /// Any prefix of a valid document is invalid JSON.
    #[test]
    fn truncated_json_is_refused(h in huawei_gen::expressible(), cut in 0.0f64..1.0) {
        let text = serde_json::to_string(&HandshakeResponse::new(&h).unwrap()).unwrap();
        let keep = (text.chars().count() as f64 * cut) as usize;
        let prefix: String = text.chars().take(keep).collect();
        let err = HandshakeResponse::from_json(&prefix).unwrap_err();
        prop_assert_eq!(err.code(), "invalid_json");
    }

    /// A member of the wrong JSON type is refused, naming that member (or the member it lacks).
    #[test]
    fn wrong_types_name_the_member(
        h in huawei_gen::expressible(),
        member in proptest::sample::select(MEMBERS),
        wrong in prop_oneof![Just(json!(1)), Just(json!(true)), Just(json!([])), Just(json!({})), Just(json!(2.5)), Just(Value::Null)],
    ) {
        let (pointer, path) = member;
        let optional = matches!(path, "notes" | "updated_at");
        prop_assume!(!(optional && wrong.is_null()));
        let mut v = huawei::render_handshake(&h).unwrap();
        prop_assume!(v.pointer(pointer).is_some());
        *v.pointer_mut(pointer).unwrap() = wrong;
        let err = huawei::parse_handshake(&v.to_string()).unwrap_err();
        let field = field_of(&err).unwrap_or_default().to_owned();
        prop_assert!(field.starts_with(path), "{} named {}", path, field);
    }

    /// Parsing accepts exactly what rendering writes: change any member to any string, and
    /// either it is refused with a typed error naming a field, or it renders back unchanged.
    #[test]
    fn accepted_documents_render_back_unchanged(
        h in huawei_gen::expressible(),
        member in proptest::sample::select(MEMBERS),
        text in prop_oneof![
            ".{0,40}",
            Just("accepted".to_owned()), Just("name".to_owned()), Just("2030-01-01T00:00:00Z".to_owned()),
            Just("h-0123456789".to_owned()), Just("o-0123456789".to_owned()),
        ],
    ) {
        let (pointer, _) = member;
        prop_assume!(pointer != "/target");
        let mut v = huawei::render_handshake(&h).unwrap();
        prop_assume!(v.pointer(pointer).is_some());
        *v.pointer_mut(pointer).unwrap() = json!(text);
        match huawei::parse_handshake(&v.to_string()) {
            Ok(parsed) => prop_assert_eq!(huawei::render_handshake(&parsed).unwrap(), v),
            Err(err) => prop_assert!(field_of(&err).is_some() || err.code() == "impossible_handshake", "{:?}", err),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/provider_huawei.txt")))), ..ProptestConfig::with_cases(32) })]

    /// Huge strings are refused with a small error naming the field.
    #[test]
    fn huge_strings_are_refused(member in proptest::sample::select(MEMBERS), size in 100_000usize..200_000) {
        let (pointer, path) = member;
        prop_assume!(pointer != "/target");
        let mut v: Value = value(REFERENCE_SHOW)["handshake"].clone();
        *v.pointer_mut(pointer).unwrap() = json!("h".repeat(size));
        let err = huawei::parse_handshake(&v.to_string()).unwrap_err();
        prop_assert_eq!(field_of(&err), Some(path));
        prop_assert!(err.to_string().len() < 1_000, "{} bytes", err.to_string().len());
    }

    /// Deep nesting never exhausts the stack. Where a string is expected, or as the document
    /// itself, it is refused; in an unknown member it is ignored, like every unknown member.
    #[test]
    fn deep_nesting_is_refused_or_ignored(depth in 200usize..20_000) {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let entity = "\"entity\": \"05c734152f00d4200f2bc0179ac6c5e0\"";
        let as_entity = REFERENCE_SHOW.replacen(entity, &format!("\"entity\": {nested}"), 1);
        prop_assert_eq!(ShowHandshakeResponse::from_json(&as_entity).unwrap_err().code(), "invalid_json");
        prop_assert_eq!(ShowHandshakeResponse::from_json(&nested).unwrap_err().code(), "invalid_json");
        let nested_objects = format!("{}{}", "{\"handshake\":".repeat(depth), "}".repeat(depth));
        prop_assert_eq!(ShowHandshakeResponse::from_json(&nested_objects).unwrap_err().code(), "invalid_json");

        let as_extra = REFERENCE_SHOW.replacen(entity, &format!("\"extra\": {nested}, {entity}"), 1);
        let read = ShowHandshakeResponse::from_json(&as_extra).unwrap().to_handshake().unwrap();
        prop_assert_eq!(read, ShowHandshakeResponse::from_json(REFERENCE_SHOW).unwrap().to_handshake().unwrap());
    }
}
