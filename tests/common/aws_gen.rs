//! Generators of neutral handshakes that AWS can express exactly: AWS id patterns, times at
//! millisecond precision between 1970 and 9999, every action and state, recipients by account,
//! by email (resolved only once accepted), or the sender's own management account, and extra
//! resources that cannot be mistaken for the structured ones.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::{
    AccountId, Action, FeatureSet, Handshake, HandshakeId, HandshakeParts, HandshakeState,
    OrganizationId, Party, Recipient, Resource, ResourceType, SenderOrganization,
};
use proptest::prelude::*;

pub(crate) fn handshake_id() -> impl Strategy<Value = HandshakeId> {
    "h-[0-9a-z]{8,32}".prop_map(|s| s.parse().unwrap())
}

pub(crate) fn account_id() -> impl Strategy<Value = AccountId> {
    "[0-9]{12}".prop_map(|s| s.parse().unwrap())
}

pub(crate) fn organization_id() -> impl Strategy<Value = OrganizationId> {
    "o-[0-9a-z]{10,32}".prop_map(|s| s.parse().unwrap())
}

pub(crate) fn email() -> impl Strategy<Value = org_handshake::Email> {
    "[a-z0-9._+-]{1,20}@[a-z0-9-]{1,20}\\.[a-z]{2,6}".prop_map(|s| s.parse().unwrap())
}

fn sender() -> impl Strategy<Value = SenderOrganization> {
    (
        organization_id(),
        account_id(),
        "\\PC{1,64}",
        proptest::option::of(email()),
        proptest::option::of(prop_oneof![
            Just(FeatureSet::All),
            Just(FeatureSet::ConsolidatedBilling)
        ]),
    )
        .prop_map(
            |(id, management_account, name, management_account_email, feature_set)| {
                SenderOrganization {
                    id,
                    management_account,
                    management_account_name: name.parse().unwrap(),
                    management_account_email,
                    feature_set,
                }
            },
        )
}

fn resource_kind() -> impl Strategy<Value = ResourceType> {
    proptest::sample::select(ResourceType::values())
}

fn resource() -> impl Strategy<Value = Resource> {
    let leaf = (resource_kind(), "\\PC{0,40}").prop_map(|(kind, value)| Resource::new(kind, value));
    leaf.prop_recursive(3, 8, 3, |inner| {
        (
            resource_kind(),
            "\\PC{0,40}",
            proptest::collection::vec(inner, 1..3),
        )
            .prop_map(|(kind, value, children)| Resource {
                kind,
                value,
                children,
            })
    })
}

/// A millisecond-precision time from 1970 to about 2096.
fn time_ms() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_000_000_000_000).prop_map(|ms| DateTime::from_timestamp_millis(ms).unwrap())
}

#[derive(Debug, Clone, Copy)]
enum RecipientChoice {
    ManagementAccount,
    Account,
    Email,
    EmailResolved,
}

/// Any handshake AWS can express, with its stored state-entry time.
pub(crate) fn handshake() -> impl Strategy<Value = Handshake> {
    let action = proptest::sample::select(Action::values());
    let state = proptest::sample::select(HandshakeState::values());
    let recipient = prop_oneof![
        Just(RecipientChoice::ManagementAccount),
        Just(RecipientChoice::Account),
        Just(RecipientChoice::Email),
        Just(RecipientChoice::EmailResolved),
    ];
    (
        (handshake_id(), handshake_id(), action, state, sender()),
        (recipient, account_id(), email()),
        (
            proptest::option::of("\\PC{0,80}"),
            proptest::collection::vec(resource(), 0..3),
        ),
        (time_ms(), 1i64..200 * 86_400_000, 0.0f64..1.0),
    )
        .prop_map(
            |(
                (id, parent, action, state, sender),
                (choice, other, email),
                (notes, mut resources),
                (requested_at, validity_ms, entered_fraction),
            )| {
                // Only an enable-all-features parent can wait for several recipients.
                let state =
                    if state == HandshakeState::Requested && action != Action::EnableAllFeatures {
                        HandshakeState::Open
                    } else {
                        state
                    };
                let recipient = match choice {
                    RecipientChoice::ManagementAccount => {
                        Recipient::for_account(sender.management_account)
                    }
                    RecipientChoice::Account if other != sender.management_account => {
                        Recipient::for_account(other)
                    }
                    RecipientChoice::EmailResolved
                        if state == HandshakeState::Accepted
                            && other != sender.management_account =>
                    {
                        Recipient::new(Party::Email(email), Some(other)).unwrap()
                    }
                    _ => Recipient::new(Party::Email(email), None).unwrap(),
                };
                let notes = notes.map(|n| n.parse().unwrap());
                // Extras that would read back as the notes are not expressible (render refuses them).
                while notes.is_none()
                    && resources.first().map(|r| r.kind) == Some(ResourceType::Notes)
                {
                    resources.remove(0);
                }
                let parent =
                    (action == Action::ApproveAllFeatures && parent != id).then_some(parent);
                let action = if action == Action::ApproveAllFeatures && parent.is_none() {
                    Action::Invite
                } else {
                    action
                };
                let state =
                    if state == HandshakeState::Requested && action != Action::EnableAllFeatures {
                        HandshakeState::Open
                    } else {
                        state
                    };
                let expires_at = requested_at + TimeDelta::milliseconds(validity_ms);
                let entered_at = if state == HandshakeState::Expired {
                    expires_at
                } else {
                    let offset = (validity_ms as f64 * entered_fraction) as i64;
                    requested_at + TimeDelta::milliseconds(offset.min(validity_ms - 1))
                };
                Handshake::from_parts(HandshakeParts {
                    id,
                    action,
                    state,
                    sender,
                    recipient,
                    notes,
                    parent,
                    resources,
                    requested_at,
                    expires_at,
                    state_entered_at: Some(entered_at),
                })
                .expect("the generator builds possible handshakes")
            },
        )
}
