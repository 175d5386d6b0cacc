//! One neutral handshake, every provider's JSON: translation through the neutral model.
//!
//! Only AWS and Huawei share id shapes (`o-` organizations, lower-case `h-` ids); Alibaba's
//! resource directories are `rd-…` and its account ids 16 digits, so no handshake is
//! expressible both there and elsewhere. These tests pin both facts.

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::registry::registry;
use org_handshake::provider::{render_everywhere, translate, Dialect, Provider, WireError};
use org_handshake::*;
use proptest::prelude::*;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// Invitations that both AWS and Huawei can express: 12-digit account targets, `o-`
/// organizations, lower-case ids, whole seconds.
fn shared_invitation() -> impl Strategy<Value = Handshake> {
    (
        "h-[0-9a-z]{8,32}",
        "o-[0-9a-z]{10,32}",
        "[0-9]{12}",
        "[0-9]{12}",
        "[A-Za-z][A-Za-z0-9 _.-]{0,30}",
        proptest::option::of("[ -~]{0,200}"),
        1_500_000_000i64..2_000_000_000,
        prop_oneof![
            Just(HandshakeState::Open),
            Just(HandshakeState::Accepted),
            Just(HandshakeState::Declined),
            Just(HandshakeState::Canceled),
            Just(HandshakeState::Expired),
        ],
    )
        .prop_filter("sender and recipient differ", |t| t.2 != t.3)
        .prop_map(
            |(id, org, mgmt, recipient, name, notes, requested, state)| {
                let requested_at = at(requested);
                let expires_at = requested_at + TimeDelta::days(15);
                let state_entered_at = match state {
                    HandshakeState::Open => requested_at,
                    HandshakeState::Expired => expires_at,
                    _ => requested_at + TimeDelta::hours(5),
                };
                Handshake::from_parts(HandshakeParts {
                    id: id.parse().unwrap(),
                    action: Action::Invite,
                    state,
                    sender: SenderOrganization {
                        id: org.parse().unwrap(),
                        management_account: mgmt.parse().unwrap(),
                        management_account_name: name.parse().unwrap(),
                        management_account_email: None,
                        feature_set: None,
                    },
                    recipient: Recipient::for_account(recipient.parse().unwrap()),
                    notes: notes.map(|n| n.parse().unwrap()),
                    parent: None,
                    resources: vec![],
                    requested_at,
                    expires_at,
                    state_entered_at: Some(state_entered_at),
                })
                .unwrap()
            },
        )
}

/// A dialect the tests know (the built-in ones and the tests' own), with a handshake it
/// expresses.
fn dialect_and_handshake() -> impl Strategy<Value = (&'static dyn Dialect, Handshake)> {
    let each: Vec<_> = registry()
        .into_iter()
        .map(|entry| {
            let dialect = entry.dialect;
            (entry.handshakes)().prop_map(move |h| (dialect, h)).boxed()
        })
        .collect();
    proptest::strategy::Union::new(each)
}

/// What both providers carry of a handshake (AWS has no state-change time).
fn shared_fields(h: &Handshake) -> impl PartialEq + std::fmt::Debug {
    (
        h.id(),
        h.action(),
        h.state(),
        h.sender().id,
        h.sender().management_account,
        h.sender().management_account_name.clone(),
        h.recipient().clone(),
        h.notes().cloned(),
        h.requested_at(),
        h.expires_at(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/cross_provider.txt")))), ..ProptestConfig::with_cases(256) })]

    /// AWS JSON → Huawei JSON keeps everything both carry, and back again.
    #[test]
    fn aws_and_huawei_translate_both_ways(h in shared_invitation()) {
        let aws = Provider::Aws.render_handshake(&h).unwrap();
        let huawei = translate(Provider::Aws, &aws.to_string(), Provider::Huawei).unwrap();
        let via_huawei = Provider::Huawei.parse_handshake(&huawei.to_string()).unwrap();
        prop_assert_eq!(shared_fields(&via_huawei), shared_fields(&h));

        let huawei_direct = Provider::Huawei.render_handshake(&h).unwrap();
        let aws_again = translate(Provider::Huawei, &huawei_direct.to_string(), Provider::Aws).unwrap();
        prop_assert_eq!(&aws_again, &aws, "Huawei JSON translated to AWS is what AWS renders");
    }

    /// Every provider either expresses them, reading back what both AWS and Huawei carry, or
    /// says why instead of rendering something wrong; Alibaba can express none of them.
    #[test]
    fn each_provider_expresses_them_or_refuses(h in shared_invitation()) {
        let rendered = render_everywhere(&h);
        prop_assert_eq!(rendered.len(), Provider::values().len());
        for (provider, result) in rendered {
            if let Ok(json) = result {
                let back = provider.parse_handshake(&json.to_string());
                prop_assert_eq!(back.map(|b| shared_fields(&b)).ok(), Some(shared_fields(&h)), "{}", provider);
            }
        }
        prop_assert!(Provider::Alibaba.render_handshake(&h).is_err());
    }

    /// Every dialect's bare object carries a time exactly to its profile's
    /// `time_precision`: what a dialect renders and reads back is `Profile::truncate_time` of
    /// what it was given, for handshakes whose times fall anywhere within a second.
    #[test]
    fn every_dialect_carries_times_to_its_profiles_precision(
        (dialect, h) in dialect_and_handshake(),
        nanos in 0i64..1_000_000_000,
    ) {
        let profile = dialect.profile();
        let shift = TimeDelta::nanoseconds(nanos);
        let parts = h.into_parts();
        let shifted = Handshake::from_parts(HandshakeParts {
            requested_at: parts.requested_at + shift,
            expires_at: parts.expires_at + shift,
            state_entered_at: parts.state_entered_at.map(|t| t + shift),
            ..parts
        }).unwrap();
        let back = dialect.parse_bare(&dialect.render_bare(&shifted).unwrap());
        let times = back.map(|b| (b.requested_at(), b.expires_at())).map_err(|e| e.to_string());
        prop_assert_eq!(
            times,
            Ok((profile.truncate_time(shifted.requested_at()), profile.truncate_time(shifted.expires_at()))),
            "{}", dialect.name()
        );
    }
}

#[test]
fn the_reference_email_invitation_cannot_go_to_huawei() {
    // reference/aws.md §8: an invitation to juan@example.com. Huawei names targets by account
    // id or account name only.
    let aws = r#"{"Id":"h-examplehandshakeid111",
 "Arn":"arn:aws:organizations::111111111111:handshake/o-exampleorgid/invite/h-examplehandshakeid111",
 "Parties":[{"Id":"o-exampleorgid","Type":"ORGANIZATION"},{"Id":"juan@example.com","Type":"EMAIL"}],
 "State":"OPEN","RequestedTimestamp":1481656459.257,"ExpirationTimestamp":1482952459.257,
 "Action":"INVITE",
 "Resources":[{"Type":"ORGANIZATION","Value":"o-exampleorgid","Resources":[
     {"Type":"MASTER_EMAIL","Value":"bill@amazon.com"},{"Type":"MASTER_NAME","Value":"Management Account"},
     {"Type":"ORGANIZATION_FEATURE_SET","Value":"ALL"}]},
   {"Type":"EMAIL","Value":"juan@example.com"},
   {"Type":"NOTES","Value":"This is a request for Juan's account to join Bill's organization."}]}"#;
    let err = translate(Provider::Aws, aws, Provider::Huawei).unwrap_err();
    assert!(
        matches!(
            err,
            WireError::Unsupported {
                provider: "huawei",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_huawei_account_named_by_name_cannot_go_to_aws() {
    let huawei = r#"{"id": "h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
 "urn": "organizations::0a6d25d23900d45c0faac010e0fb4de0:handshake:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/h-awjp43m7bz3b8jgy5v61jrfwakt3og8w",
 "updated_at": "2022-08-25T08:11:53Z", "created_at": "2022-08-25T08:11:20Z", "expired_at": "2022-09-08T08:11:20Z",
 "management_account_id": "0a6d25d23900d45c0faac010e0fb4de0", "management_account_name": "paas_iam_573331",
 "organization_id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv", "notes": "test-notes",
 "target": {"type": "name", "entity": "some_account"}, "status": "pending"}"#;
    let err = translate(Provider::Huawei, huawei, Provider::Aws).unwrap_err();
    assert!(
        matches!(
            err,
            WireError::Unsupported { .. } | WireError::Invalid { .. }
        ),
        "{err}"
    );
}

/// Regression (a CI run's random seed): serde's derived structs also read an array of their
/// fields in order, so `["", "", "", null, ""]` was an Alibaba error body. No provider sends an
/// array where an object belongs; every error reader refuses one.
#[test]
fn an_array_is_no_error_body() {
    let array = r#"["", "", "", null, ""]"#;
    assert!(org_handshake::provider::aws::parse_error_response(400, array).is_err());
    assert!(org_handshake::provider::huawei::parse_error_response(400, array).is_err());
    assert!(org_handshake::provider::alibaba::parse_error_response(400, array).is_err());
}

/// The time writers of the three folders share one name and one refusal: a year a provider
/// cannot write is `unsupported` in every one, and the readers take the field first.
#[test]
fn every_provider_refuses_an_unwritable_year_the_same_way() {
    use org_handshake::provider::{alibaba, aws, huawei};
    let far: DateTime<Utc> = "+10000-01-01T00:00:00Z".parse().unwrap();
    let codes = [
        aws::format_time(far).map(drop).unwrap_err().code(),
        huawei::format_time(far).map(drop).unwrap_err().code(),
        alibaba::format_time(far).map(drop).unwrap_err().code(),
    ];
    assert_eq!(codes, ["unsupported"; 3]);
    let near: DateTime<Utc> = "2021-01-20T02:15:40Z".parse().unwrap();
    let text = huawei::format_time(near).unwrap();
    assert_eq!(huawei::parse_time("t", &text).unwrap(), near);
    assert_eq!(alibaba::parse_time("t", &text).unwrap(), near);
    assert_eq!(
        aws::parse_time("t", &aws::format_time(near).unwrap()).unwrap(),
        near
    );
    let err = alibaba::parse_time("Handshake.CreateTime", "yesterday").unwrap_err();
    assert_eq!(err.code(), "invalid_field");
    assert!(err.to_string().contains("Handshake.CreateTime"), "{err}");
}
