//! Scenario tests of one handshake's transitions: the semantics table cell by cell (design.md
//! "Transitions on one handshake"), the order of checks, and the time contract. Every refusal
//! is checked for its exact error, and for leaving the handshake as it was.

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use org_handshake::{
    Action, Caller, Command, ErrorKind, Event, Failure, Handshake, HandshakeState, JoinMethod,
    NewHandshake, Operation, PartyRole, Profile, Recipient, TransitionError,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const ID: &str = "h-0123456789abcdef";

/// When the rows' handshakes are looked at: a day after the request.
fn now() -> DateTime<Utc> {
    EPOCH + TimeDelta::days(1)
}

/// Bill's enable-all-features parent, sent to himself, `Requested`.
fn parent() -> Handshake {
    let new = NewHandshake {
        action: Action::EnableAllFeatures,
        ..NewHandshake::invite(parse(ID), sender(), Recipient::for_account(management()))
    };
    Handshake::create(new, &Profile::AWS, EPOCH)
        .unwrap()
        .handshake
}

/// A row of the table: the handshake, in the state named, as seen at [`now`] (or, for the
/// lazily expired one, after its expiry), and the caller that acts as its recipient.
struct Row {
    name: &'static str,
    handshake: Handshake,
    at: DateTime<Utc>,
    recipient: Caller,
}

fn rows() -> Vec<Row> {
    let open = invite_at(ID, EPOCH);
    let hour = EPOCH + TimeDelta::hours(1);
    let row = |name, handshake, at| Row {
        name,
        handshake,
        at,
        recipient: juan_caller(),
    };
    vec![
        row("open", open.clone(), now()),
        Row {
            name: "requested",
            handshake: parent(),
            at: now(),
            recipient: bill_caller(),
        },
        row(
            "accepted",
            open.accept(&juan_caller(), hour).unwrap().handshake,
            now(),
        ),
        row(
            "declined",
            open.decline(&juan_caller(), hour).unwrap().handshake,
            now(),
        ),
        row(
            "canceled",
            open.cancel(&bill_caller(), hour).unwrap().handshake,
            now(),
        ),
        row(
            "expired (written down)",
            open.expire(open.expires_at()).unwrap().handshake,
            open.expires_at() + TimeDelta::hours(1),
        ),
        row(
            "expired (not written down)",
            open.clone(),
            open.expires_at() + TimeDelta::hours(1),
        ),
    ]
}

/// What the table says: the state reached, or the error (with the state it names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    To(HandshakeState),
    AlreadyIn(HandshakeState),
    Invalid(HandshakeState),
    NotYetExpired,
}

use Cell::{AlreadyIn, Invalid, NotYetExpired, To};
use HandshakeState::{Accepted, Canceled, Declined, Expired, Open, Requested};

/// The operations of the table's columns, in order.
const COLUMNS: [&str; 6] = [
    "accept",
    "decline",
    "cancel",
    "expire",
    "cancel as side effect",
    "open",
];

/// design.md's table (first three columns), extended with the system's commands.
#[rustfmt::skip]
fn table() -> Vec<(&'static str, [Cell; 6])> {
    vec![
        //                             accept              decline             cancel              expire              side-effect cancel  open
        ("open",                       [To(Accepted),       To(Declined),       To(Canceled),       NotYetExpired,      To(Canceled),       AlreadyIn(Open)]),
        ("requested",                  [Invalid(Requested), Invalid(Requested), To(Canceled),       NotYetExpired,      To(Canceled),       To(Open)]),
        ("accepted",                   [AlreadyIn(Accepted), Invalid(Accepted), Invalid(Accepted),  Invalid(Accepted),  Invalid(Accepted),  Invalid(Accepted)]),
        ("declined",                   [Invalid(Declined),  AlreadyIn(Declined), Invalid(Declined), Invalid(Declined),  Invalid(Declined),  Invalid(Declined)]),
        ("canceled",                   [Invalid(Canceled),  Invalid(Canceled),  AlreadyIn(Canceled), Invalid(Canceled), AlreadyIn(Canceled), Invalid(Canceled)]),
        ("expired (written down)",     [Invalid(Expired),   Invalid(Expired),   Invalid(Expired),   AlreadyIn(Expired), Invalid(Expired),   Invalid(Expired)]),
        // Lazily expired: it *is* expired; writing that down is the one thing left to do.
        ("expired (not written down)", [Invalid(Expired),   Invalid(Expired),   Invalid(Expired),   To(Expired),        Invalid(Expired),   Invalid(Expired)]),
    ]
}

#[test]
fn every_cell_of_the_transition_table() {
    let expected = table();
    let rows = rows();
    assert_eq!(rows.len(), expected.len());
    for (row, (name, cells)) in rows.iter().zip(expected) {
        assert_eq!(row.name, name);
        let commands = [
            Command::Accept(row.recipient),
            Command::Decline(row.recipient),
            Command::Cancel(bill_caller()),
            Command::Expire,
            Command::CancelAsSideEffect,
            Command::Open,
        ];
        for ((command, cell), column) in commands.iter().zip(cells).zip(COLUMNS) {
            let h = &row.handshake;
            let id = h.id();
            let mut applied = h.clone();
            let result = applied.apply(command, row.at);
            let operation = command.operation();
            match cell {
                To(state) => {
                    assert!(result.is_ok(), "{name} × {column}: {result:?}");
                    assert_eq!(applied.state(), state, "{name} × {column}");
                }
                refused => {
                    let error = match refused {
                        AlreadyIn(state) => TransitionError::AlreadyInState {
                            handshake: id,
                            state,
                        },
                        Invalid(state) => TransitionError::InvalidTransition {
                            handshake: id,
                            state,
                            operation,
                        },
                        NotYetExpired => TransitionError::NotYetExpired {
                            handshake: id,
                            expires_at: h.expires_at(),
                        },
                        To(_) => unreachable!(),
                    };
                    assert_eq!(result, Err(error), "{name} × {column}");
                    assert_eq!(&applied, h, "{name} × {column}: a refusal changes nothing");
                }
            }
        }
    }
}

#[test]
fn accepting_an_invitation_emits_the_join() -> TestResult {
    let h = invite_at(ID, EPOCH);
    let at = EPOCH + TimeDelta::hours(5);
    let done = h.accept(&juan_caller(), at)?;
    let events: Vec<Event> = done.events.into_iter().collect();
    assert_eq!(
        events,
        [
            Event::HandshakeAccepted {
                handshake: h.id(),
                action: Action::Invite,
                by: juan(),
                at
            },
            Event::AccountJoinedOrganization {
                account: juan(),
                organization: org(),
                method: JoinMethod::Invited,
                at
            },
        ]
    );
    assert_eq!(done.handshake.state_entered_at(), at);
    Ok(())
}

#[test]
fn the_other_transitions_emit_one_event_each() -> TestResult {
    let h = invite_at(ID, EPOCH);
    let at = EPOCH + TimeDelta::hours(5);
    let one = |t: org_handshake::Transition| t.events.into_iter().collect::<Vec<_>>();
    assert_eq!(
        one(h.decline(&juan_caller(), at)?),
        [Event::HandshakeDeclined {
            handshake: h.id(),
            action: Action::Invite,
            by: juan(),
            at
        }]
    );
    assert_eq!(
        one(h.cancel(&bill_caller(), at)?),
        [Event::HandshakeCanceled {
            handshake: h.id(),
            action: Action::Invite,
            by: Some(management()),
            at
        }]
    );
    assert_eq!(
        one(h.transition(&Command::CancelAsSideEffect, at)?),
        [Event::HandshakeCanceled {
            handshake: h.id(),
            action: Action::Invite,
            by: None,
            at
        }]
    );
    // An expiry happens at `expires_at`, however late it is written down.
    let late = h.expires_at() + TimeDelta::days(9);
    let expired = h.expire(late)?;
    assert_eq!(expired.handshake.state_entered_at(), h.expires_at());
    assert_eq!(
        one(expired),
        [Event::HandshakeExpired {
            handshake: h.id(),
            action: Action::Invite,
            at: h.expires_at()
        }]
    );
    assert_eq!(
        one(parent().transition(&Command::Open, at)?),
        [Event::HandshakeOpened {
            handshake: parent().id(),
            at
        }]
    );
    // Accepting anything but an invitation joins nobody.
    let opened = parent().transition(&Command::Open, at)?.handshake;
    assert_eq!(opened.accept(&bill_caller(), at)?.events.len(), 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Order of checks: visibility, role, time, state, organization.

#[test]
fn visibility_comes_first_even_for_the_recipient() -> TestResult {
    let h = invite_at(ID, EPOCH)
        .decline(&juan_caller(), EPOCH)?
        .handshake;
    let gone = h.purge_at();
    for caller in [juan_caller(), bill_caller(), stranger_caller()] {
        for command in [
            Command::Accept(caller),
            Command::Decline(caller),
            Command::Cancel(caller),
        ] {
            assert_eq!(
                h.transition(&command, gone).err(),
                Some(TransitionError::NotFound { handshake: h.id() })
            );
        }
    }
    assert_eq!(
        h.expire(gone).err(),
        Some(TransitionError::NotFound { handshake: h.id() })
    );
    // One second earlier it is still there: the recipient gets the state's answer.
    assert_eq!(
        h.decline(&juan_caller(), gone - SECOND).err(),
        Some(TransitionError::AlreadyInState {
            handshake: h.id(),
            state: Declined
        })
    );
    Ok(())
}

#[test]
fn a_stranger_is_told_not_found_whatever_else_is_wrong() {
    let h = invite_at(ID, EPOCH);
    // Even with time going backwards and an expired handshake, existence does not leak.
    for at in [EPOCH - TimeDelta::days(1), h.expires_at() + SECOND] {
        for command in [
            Command::Accept(stranger_caller()),
            Command::Decline(stranger_caller()),
            Command::Cancel(stranger_caller()),
        ] {
            assert_eq!(
                h.transition(&command, at).err(),
                Some(TransitionError::NotFound { handshake: h.id() })
            );
        }
    }
}

#[test]
fn role_comes_before_time_and_state() -> TestResult {
    let accepted = invite_at(ID, EPOCH)
        .accept(&juan_caller(), EPOCH + TimeDelta::hours(1))?
        .handshake;
    let before = EPOCH; // earlier than the acceptance
    assert_eq!(
        accepted.accept(&bill_caller(), before).err(),
        Some(TransitionError::AccessDenied {
            handshake: accepted.id(),
            caller: management(),
            operation: Operation::Accept,
            role: Some(PartyRole::Sender)
        })
    );
    assert_eq!(
        accepted.cancel(&juan_caller(), before).err(),
        Some(TransitionError::AccessDenied {
            handshake: accepted.id(),
            caller: juan(),
            operation: Operation::Cancel,
            role: Some(PartyRole::Recipient)
        })
    );
    Ok(())
}

#[test]
fn the_wrong_kind_of_recipient_is_denied_before_the_state_is_looked_at() -> TestResult {
    // An APPROVE_ALL_FEATURES child may be accepted only by a member of the sender's
    // organization, whatever its state.
    let child = NewHandshake {
        action: Action::ApproveAllFeatures,
        parent: Some(parse("h-parent0000000001")),
        ..NewHandshake::invite(parse(ID), sender(), Recipient::for_account(juan()))
    };
    let child = Handshake::create(child, &Profile::AWS, EPOCH)?.handshake;
    let declined = child.decline(&juan_caller(), EPOCH)?.handshake;
    let standalone = juan_caller();
    assert_eq!(
        declined.accept(&standalone, now()).err(),
        Some(TransitionError::AccessDenied {
            handshake: child.id(),
            caller: juan(),
            operation: Operation::Accept,
            role: Some(PartyRole::Recipient)
        })
    );
    let member = Caller::member(juan(), org());
    assert_eq!(
        declined.accept(&member, now()).err(),
        Some(TransitionError::InvalidTransition {
            handshake: child.id(),
            state: Declined,
            operation: Operation::Accept
        })
    );
    assert_eq!(child.accept(&member, now())?.handshake.state(), Accepted);
    // Declining has no kind check: the recipient may always say no.
    assert_eq!(
        child.decline(&standalone, now())?.handshake.state(),
        Declined
    );
    Ok(())
}

#[test]
fn time_comes_before_state() -> TestResult {
    let accepted = invite_at(ID, EPOCH)
        .accept(&juan_caller(), now())?
        .handshake;
    let earlier = now() - SECOND;
    assert_eq!(
        accepted.accept(&juan_caller(), earlier).err(),
        Some(TransitionError::TimeWentBackwards {
            handshake: accepted.id(),
            now: earlier,
            last_change: now()
        })
    );
    Ok(())
}

#[test]
fn state_comes_before_the_organization() -> TestResult {
    let h = invite_at(ID, EPOCH);
    let elsewhere = Caller::member(juan(), other_org());
    // Expired: the state answers, not the membership.
    assert_eq!(
        h.accept(&elsewhere, h.expires_at()).err(),
        Some(TransitionError::InvalidTransition {
            handshake: h.id(),
            state: Expired,
            operation: Operation::Accept
        })
    );
    // Open: the membership answers, and names the organization.
    assert_eq!(
        h.accept(&elsewhere, now()).err(),
        Some(TransitionError::AlreadyInOrganization {
            handshake: h.id(),
            account: juan(),
            organization: other_org(),
            is_management_account: false
        })
    );
    let managing = Caller::management(juan(), other_org());
    let err = h.accept(&managing, now()).unwrap_err();
    assert_eq!(
        err,
        TransitionError::AlreadyInOrganization {
            handshake: h.id(),
            account: juan(),
            organization: other_org(),
            is_management_account: true
        }
    );
    assert_eq!(
        Failure::from(err).cause,
        org_handshake::Cause::ManagementAccountInOrganization
    );
    // A member elsewhere may still decline.
    assert_eq!(h.decline(&elsewhere, now())?.handshake.state(), Declined);
    Ok(())
}

#[test]
fn an_unresolved_recipient_can_do_nothing() -> TestResult {
    let new = NewHandshake::invite(
        parse(ID),
        sender(),
        Recipient::new(
            org_handshake::Party::Email(parse("nobody@example.com")),
            None,
        )?,
    );
    let h = Handshake::create(new, &Profile::AWS, EPOCH)?.handshake;
    for caller in [juan_caller(), stranger_caller()] {
        assert_eq!(
            h.accept(&caller, now()).err(),
            Some(TransitionError::NotFound { handshake: h.id() })
        );
    }
    assert_eq!(h.cancel(&bill_caller(), now())?.handshake.state(), Canceled);
    Ok(())
}

#[test]
fn a_self_addressed_parent_is_accepted_and_canceled_by_the_same_account() -> TestResult {
    let opened = parent().transition(&Command::Open, now())?.handshake;
    assert_eq!(
        opened.accept(&bill_caller(), now())?.handshake.state(),
        Accepted
    );
    assert_eq!(
        opened.cancel(&bill_caller(), now())?.handshake.state(),
        Canceled
    );
    // As its recipient it must act as the management account of the sender's organization.
    let as_member = Caller::member(management(), org());
    assert_eq!(
        opened.accept(&as_member, now()).err().map(|e| e.code()),
        Some("access_denied")
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The time contract.

#[test]
fn time_going_backwards_is_refused_with_its_own_error() -> TestResult {
    let h = invite_at(ID, EPOCH);
    // At the request itself is fine; a nanosecond earlier is not.
    assert!(h.accept(&juan_caller(), EPOCH).is_ok());
    let earlier = EPOCH - TimeDelta::nanoseconds(1);
    let err = h.accept(&juan_caller(), earlier).unwrap_err();
    assert_eq!(
        err,
        TransitionError::TimeWentBackwards {
            handshake: h.id(),
            now: earlier,
            last_change: EPOCH
        }
    );
    assert_eq!(err.code(), "time_went_backwards");
    assert_eq!(err.kind(), ErrorKind::ConcurrentModification);
    for command in [
        Command::Decline(juan_caller()),
        Command::Cancel(bill_caller()),
        Command::CancelAsSideEffect,
    ] {
        assert_eq!(
            h.transition(&command, earlier).err().map(|e| e.code()),
            Some("time_went_backwards")
        );
    }
    // After a change, its time is the new floor, for writing down an expiry too.
    let canceled = h.cancel(&bill_caller(), now())?.handshake;
    assert_eq!(
        canceled
            .transition(&Command::CancelAsSideEffect, now() - SECOND)
            .err(),
        Some(TransitionError::TimeWentBackwards {
            handshake: h.id(),
            now: now() - SECOND,
            last_change: now()
        })
    );
    Ok(())
}

#[test]
fn expiry_is_exact_to_the_second() -> TestResult {
    let h = invite_at(ID, EPOCH);
    let expires_at = h.expires_at();
    assert_eq!(
        expires_at - EPOCH,
        TimeDelta::days(15),
        "AWS invitations last 15 days"
    );
    assert_eq!(h.state_at(expires_at - SECOND), Open);
    assert_eq!(h.state_at(expires_at), Expired);
    assert_eq!(
        h.expire(expires_at - SECOND).err(),
        Some(TransitionError::NotYetExpired {
            handshake: h.id(),
            expires_at
        })
    );
    assert_eq!(h.expire(expires_at)?.handshake.state(), Expired);
    assert_eq!(
        h.accept(&juan_caller(), expires_at - SECOND)?
            .handshake
            .state(),
        Accepted
    );
    assert_eq!(h.last_change_at(expires_at - SECOND), EPOCH);
    assert_eq!(h.last_change_at(expires_at), expires_at);
    // Seen after expiry, it is shown expired at its expiry.
    let seen = h.observed_at(expires_at + TimeDelta::days(2));
    assert_eq!(
        (seen.state(), seen.state_entered_at()),
        (Expired, expires_at)
    );
    Ok(())
}

#[test]
fn retention_is_thirty_days_from_the_terminal_state() -> TestResult {
    let h = invite_at(ID, EPOCH);
    let at = EPOCH + TimeDelta::days(3);
    let declined = h.decline(&juan_caller(), at)?.handshake;
    assert_eq!(declined.purge_at(), at + TimeDelta::days(30));
    assert!(declined.is_visible_at(at + TimeDelta::days(30) - SECOND));
    assert!(!declined.is_visible_at(at + TimeDelta::days(30)));
    assert!(declined.is_purgeable_at(at + TimeDelta::days(30)));
    // Left pending, it expires at 15 days and is gone 30 days after that.
    assert_eq!(h.purge_at(), h.expires_at() + TimeDelta::days(30));
    assert!(!h.is_purgeable_at(h.expires_at() + TimeDelta::days(30) - SECOND));
    assert!(h.is_purgeable_at(h.expires_at() + TimeDelta::days(30)));
    assert_eq!(h.next_deadline(), h.expires_at());
    assert_eq!(declined.next_deadline(), declined.purge_at());
    Ok(())
}

#[test]
fn failures_carry_the_neutral_kind() -> TestResult {
    let h = invite_at(ID, EPOCH);
    let kinds = [
        (
            h.accept(&stranger_caller(), now()).unwrap_err(),
            ErrorKind::NotFound,
        ),
        (
            h.accept(&bill_caller(), now()).unwrap_err(),
            ErrorKind::AccessDenied,
        ),
        (h.expire(now()).unwrap_err(), ErrorKind::InvalidTransition),
        (
            h.accept(&Caller::member(juan(), other_org()), now())
                .unwrap_err(),
            ErrorKind::AlreadyInOrganization,
        ),
        (
            h.accept(&juan_caller(), now())?
                .handshake
                .accept(&juan_caller(), now())
                .unwrap_err(),
            ErrorKind::AlreadyInState,
        ),
    ];
    for (err, kind) in kinds {
        let failure = Failure::from(err);
        assert_eq!(failure.kind, kind);
        assert_eq!(failure.message, err.to_string());
        assert!(
            failure
                .message
                .chars()
                .next()
                .is_some_and(|c| !c.is_uppercase()),
            "lower-case messages"
        );
    }
    Ok(())
}
