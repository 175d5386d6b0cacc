//! What the tests drive zcloud with: a world of zcloud accounts, the handshakes zcloud can
//! express (for the round trip), and sample calls (for the contract's arbitrary calls).

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::conformance::World;
use org_handshake::{
    Action, Handshake, HandshakeParts, HandshakeState, Party, Recipient, SenderOrganization,
};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Zed, who manages group `o-zc00000001` (member: Ops).
pub const ZED: &str = "1000000001";
/// Ops, a member of Zed's group.
pub const OPS: &str = "1000000002";
/// Yan, who manages group `o-zc00000002`.
pub const YAN: &str = "2000000001";
/// Juan, standalone, `juan@example.com`.
pub const JUAN: &str = "3000000001";
/// Mary, standalone, `mary@example.com`.
pub const MARY: &str = "3000000002";
/// An account no one knows.
pub const NOBODY: &str = "9999999999";
/// Zed's group.
pub const GROUP: &str = "o-zc00000001";

/// zcloud's default world ([`DESCRIPTION`](super::DESCRIPTION)`.default_world`, Zed's and
/// Yan's groups, Ops in Zed's, Juan and Mary standalone), whose ids are the constants above.
pub fn world() -> World {
    super::DESCRIPTION
        .default_world()
        .expect("the zcloud world is a valid world")
}

/// Calls zcloud answers, some with success in [`world`] (given fresh ids).
pub fn samples() -> Vec<(String, Value)> {
    let id = "h-0123456789ab";
    [
        (
            "zc.invite",
            json!({"to": {"account": JUAN}, "memo": "join us"}),
        ),
        ("zc.invite", json!({"to": {"email": "mary@example.com"}})),
        ("zc.accept", json!({"ref": id})),
        ("zc.decline", json!({"ref": id})),
        ("zc.cancel", json!({"ref": id})),
        ("zc.get", json!({"ref": id})),
        ("zc.inbox", json!({})),
        ("zc.outbox", json!({"size": 1})),
        ("zc.create", json!({})),
        ("zc.group", json!({})),
        ("zc.disband", json!({})),
        ("zc.members", json!({"size": 1})),
        ("zc.member", json!({"account": OPS})),
        ("zc.leave", json!({})),
        ("zc.remove", json!({"account": OPS})),
    ]
    .into_iter()
    .map(|(op, request)| (op.to_owned(), request))
    .collect()
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).expect("in range")
}

/// Any handshake zcloud expresses exactly: invitations in every state zcloud names, zcloud
/// ids, account or email recipients (an email possibly resolved), whole seconds.
pub fn handshake() -> BoxedStrategy<Handshake> {
    let state = prop_oneof![
        Just(HandshakeState::Open),
        Just(HandshakeState::Accepted),
        Just(HandshakeState::Declined),
        Just(HandshakeState::Canceled),
        Just(HandshakeState::Expired),
    ];
    let recipient = prop_oneof![
        "[0-9]{10}".prop_map(|id| Recipient::for_account(id.parse().unwrap())),
        (
            "[a-z]{1,10}@[a-z]{1,10}\\.(com|org)",
            proptest::option::of("[0-9]{10}")
        )
            .prop_map(|(email, account)| {
                Recipient::new(
                    Party::Email(email.parse().unwrap()),
                    account.map(|a| a.parse().unwrap()),
                )
                .unwrap()
            }),
    ];
    (
        (
            "h-[0-9a-z]{12}",
            "o-[0-9a-z]{10,32}",
            "[0-9]{10}",
            "[^\\x00-\\x1f\\x7f-\\x9f]{1,64}",
        ),
        recipient,
        proptest::option::of(any::<String>()),
        state,
        0..250_000_000_000i64,
        1..=30 * 86_400i64,
        any::<u64>(),
    )
        .prop_map(
            |((id, group, owner, name), recipient, memo, state, start, validity, pick)| {
                let requested_at = at(start);
                let expires_at = requested_at + TimeDelta::seconds(validity);
                let entered = if state == HandshakeState::Expired {
                    expires_at
                } else {
                    requested_at + TimeDelta::seconds((pick % validity.unsigned_abs()) as i64)
                };
                Handshake::from_parts(HandshakeParts {
                    id: id.parse().unwrap(),
                    action: Action::Invite,
                    state,
                    sender: SenderOrganization {
                        id: group.parse().unwrap(),
                        management_account: owner.parse().unwrap(),
                        management_account_name: name.parse().unwrap(),
                        management_account_email: None,
                        feature_set: None,
                    },
                    recipient,
                    notes: memo.map(|m| m.parse().unwrap()),
                    parent: None,
                    resources: Vec::new(),
                    requested_at,
                    expires_at,
                    state_entered_at: Some(entered),
                })
                .unwrap()
            },
        )
        .boxed()
}
