//! Generators of neutral handshakes that Huawei can express: invitations only, never
//! `Requested`, `account` or `name` targets, `o-` organizations, lower-case `h-` ids, whole
//! seconds in years 1970–9999, no extra resources.
//!
//! `with_sender_extras` also gives the sender a management email and a feature set, which
//! Huawei does not carry (a render/parse trip clears them).

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::{
    AccountId, AccountName, Action, FeatureSet, Handshake, HandshakeParts, HandshakeState, Notes,
    OrganizationId, Party, Recipient, SenderOrganization,
};
use proptest::prelude::*;

/// The latest request time generated: far enough before 9999-12-31 for any validity.
const LATEST: i64 = 253_000_000_000;

pub(crate) fn handshake_id() -> impl Strategy<Value = org_handshake::HandshakeId> {
    "h-[0-9a-z]{8,32}".prop_map(|s| s.parse().unwrap())
}

pub(crate) fn organization_id() -> impl Strategy<Value = OrganizationId> {
    "o-[0-9a-z]{10,32}".prop_map(|s| s.parse().unwrap())
}

pub(crate) fn account_id() -> impl Strategy<Value = AccountId> {
    prop_oneof!["[0-9a-f]{32}", "[0-9]{12}", "[0-9A-Za-z]{1,64}",].prop_map(|s| s.parse().unwrap())
}

pub(crate) fn account_name() -> impl Strategy<Value = AccountName> {
    "[^\\x00-\\x1f\\x7f-\\x9f]{1,64}".prop_map(|s| s.parse().unwrap())
}

pub(crate) fn notes() -> impl Strategy<Value = Option<Notes>> {
    proptest::option::of(any::<String>().prop_map(|s| s.parse().unwrap()))
}

pub(crate) fn recipient() -> impl Strategy<Value = Recipient> {
    prop_oneof![
        account_id().prop_map(Recipient::for_account),
        account_name().prop_map(|n| Recipient::new(Party::Name(n), None).unwrap()),
    ]
}

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

/// (requested_at, expires_at, state_entered_at) that fit `state`, all whole seconds.
fn times(
    state: HandshakeState,
) -> impl Strategy<Value = (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> {
    (0..LATEST, 1..=30 * 86_400i64, any::<u64>()).prop_map(move |(start, validity, pick)| {
        let requested = at(start);
        let expires = requested + TimeDelta::seconds(validity);
        let entered = if state == HandshakeState::Expired {
            expires
        } else {
            // Anywhere from the request to one second before the expiry.
            requested + TimeDelta::seconds((pick % validity as u64) as i64)
        };
        (requested, expires, entered)
    })
}

fn sender(extras: bool) -> impl Strategy<Value = SenderOrganization> {
    let email = if extras {
        proptest::option::of("[a-z]{1,10}@[a-z]{1,10}\\.(com|org)".prop_map(|s| s.parse().unwrap()))
            .boxed()
    } else {
        Just(None).boxed()
    };
    let feature_set = if extras {
        proptest::option::of(prop_oneof![
            Just(FeatureSet::All),
            Just(FeatureSet::ConsolidatedBilling)
        ])
        .boxed()
    } else {
        Just(None).boxed()
    };
    (
        organization_id(),
        account_id(),
        account_name(),
        email,
        feature_set,
    )
        .prop_map(
            |(
                id,
                management_account,
                management_account_name,
                management_account_email,
                feature_set,
            )| {
                SenderOrganization {
                    id,
                    management_account,
                    management_account_name,
                    management_account_email,
                    feature_set,
                }
            },
        )
}

fn handshake(extras: bool) -> impl Strategy<Value = Handshake> {
    state().prop_flat_map(move |state| {
        (
            handshake_id(),
            sender(extras),
            recipient(),
            notes(),
            times(state),
        )
            .prop_map(
                move |(id, sender, recipient, notes, (requested_at, expires_at, entered))| {
                    Handshake::from_parts(HandshakeParts {
                        id,
                        action: Action::Invite,
                        state,
                        sender,
                        recipient,
                        notes,
                        parent: None,
                        resources: Vec::new(),
                        requested_at,
                        expires_at,
                        state_entered_at: Some(entered),
                    })
                    .unwrap()
                },
            )
    })
}

/// A handshake Huawei expresses completely.
pub(crate) fn expressible() -> impl Strategy<Value = Handshake> {
    handshake(false)
}

/// A handshake Huawei expresses except, possibly, the sender's email and feature set.
pub(crate) fn with_sender_extras() -> impl Strategy<Value = Handshake> {
    handshake(true)
}
