//! Generators of neutral handshakes that Alibaba Resource Directory can express: invitations
//! only, `h-` + 16 letters/digits, `rd-` directories, 16-digit accounts, recipients by account
//! id or (unresolved) email, no management email or feature set, whole-second times.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::{
    Action, Handshake, HandshakeParts, HandshakeState, Party, Recipient, SenderOrganization,
};
use proptest::prelude::*;

/// 2000-01-01T00:00:00Z: generated times start here.
const BASE: i64 = 946_684_800;
/// About 30 years of seconds.
const SPAN: i64 = 30 * 365 * 86_400;

pub(crate) fn handshake_id() -> impl Strategy<Value = String> {
    "h-[0-9A-Za-z]{16}"
}

pub(crate) fn resource_directory_id() -> impl Strategy<Value = String> {
    "rd-[0-9A-Za-z]{2,32}"
}

pub(crate) fn account_id() -> impl Strategy<Value = String> {
    "[0-9]{16}"
}

pub(crate) fn account_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ._@\\-\u{4e00}-\u{9fa5}]{1,64}"
}

pub(crate) fn email() -> impl Strategy<Value = String> {
    "[a-z0-9._]{1,20}@[a-z0-9]{1,10}\\.[a-z]{2,5}"
}

/// Notes of any characters (control characters and quotes included), up to the 1024 limit.
pub(crate) fn notes() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        3 => proptest::collection::vec(any::<char>(), 0..40).prop_map(|c| Some(c.into_iter().collect())),
        1 => proptest::collection::vec(any::<char>(), 1000..=1024).prop_map(|c| Some(c.into_iter().collect())),
    ]
}

pub(crate) fn recipient() -> impl Strategy<Value = Recipient> {
    prop_oneof![
        account_id().prop_map(|id| Recipient::for_account(id.parse().unwrap())),
        email().prop_map(|e| Recipient::new(Party::Email(e.parse().unwrap()), None).unwrap()),
    ]
}

/// A state Alibaba has (never `Requested`).
pub(crate) fn state() -> impl Strategy<Value = HandshakeState> {
    prop_oneof![
        Just(HandshakeState::Open),
        Just(HandshakeState::Accepted),
        Just(HandshakeState::Declined),
        Just(HandshakeState::Canceled),
        Just(HandshakeState::Expired),
    ]
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// Any handshake Alibaba can express.
pub(crate) fn handshake() -> impl Strategy<Value = Handshake> {
    (
        (
            handshake_id(),
            resource_directory_id(),
            account_id(),
            account_name(),
        ),
        recipient(),
        notes(),
        state(),
        0..SPAN,
        1i64..=(60 * 86_400),
        any::<proptest::sample::Index>(),
    )
        .prop_map(
            |((id, rd, master, name), recipient, notes, state, start, validity, pick)| {
                let requested_at = at(BASE + start);
                let expires_at = requested_at + TimeDelta::seconds(validity);
                // Pending or acted on: any second in [requested, expires); expired: at expiry.
                let entered_at = if state == HandshakeState::Expired {
                    expires_at
                } else {
                    requested_at + TimeDelta::seconds(pick.index(validity as usize) as i64)
                };
                Handshake::from_parts(HandshakeParts {
                    id: id.parse().unwrap(),
                    action: Action::Invite,
                    state,
                    sender: SenderOrganization {
                        id: rd.parse().unwrap(),
                        management_account: master.parse().unwrap(),
                        management_account_name: name.parse().unwrap(),
                        management_account_email: None,
                        feature_set: None,
                    },
                    recipient,
                    notes: notes.map(|n| n.parse().unwrap()),
                    parent: None,
                    resources: Vec::new(),
                    requested_at,
                    expires_at,
                    state_entered_at: Some(entered_at),
                })
                .unwrap()
            },
        )
}

/// Arbitrary JSON, nested a few levels.
pub(crate) fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Object keys: mostly Alibaba's own, so that the parsers get past the envelope.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "RequestId",
            "Handshake",
            "Handshakes",
            "TotalCount",
            "PageNumber",
            "PageSize",
            "HandshakeId",
            "Status",
            "TargetType",
            "TargetEntity",
            "CreateTime",
            "ExpireTime",
            "ModifyTime",
            "Code",
            "Message",
        ])
        .prop_map(str::to_owned),
        "[A-Za-z]{1,8}",
    ]
}
