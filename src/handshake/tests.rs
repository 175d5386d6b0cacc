//! Unit tests of the handshake and its transitions that need the private fields.

use chrono::TimeDelta;

use super::*;
use crate::error::TransitionError;
use crate::vocab::Operation;

type Error = Box<dyn std::error::Error>;

fn commands() -> Result<Vec<Command>, Error> {
    let bill = Caller::management("111111111111".parse()?, "o-exampleorgid".parse()?);
    let juan = Caller::standalone("222222222222".parse()?);
    let stranger = Caller::standalone("999999999999".parse()?);
    Ok(vec![
        Command::Accept(juan),
        Command::Decline(juan),
        Command::Cancel(bill),
        Command::Accept(bill),
        Command::Cancel(juan),
        Command::Accept(stranger),
        Command::CancelAsSideEffect,
        Command::Expire,
        Command::Open,
    ])
}

/// `transition` (a copy) and `apply` (in place) agree on every command at every interesting
/// time, and a refused `apply` leaves every private field as it was.
#[test]
fn transition_and_apply_agree_and_refusals_change_nothing() -> Result<(), Error> {
    let h = crate::example::aws_invitation()?;
    let times = [
        h.requested_at - TimeDelta::seconds(1),
        h.requested_at,
        h.expires_at - TimeDelta::seconds(1),
        h.expires_at,
        h.purge_at(),
    ];
    for command in commands()? {
        for now in times {
            let copied = h.transition(&command, now);
            let mut in_place = h.clone();
            let applied = in_place.apply(&command, now);
            match (copied, applied) {
                (Ok(t), Ok(events)) => {
                    assert_eq!(t.events, events);
                    assert_eq!(t.handshake, in_place);
                    assert_eq!(t.handshake.requested_at, h.requested_at);
                    assert_eq!(t.handshake.expires_at, h.expires_at);
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b);
                    assert_eq!(in_place, h, "{command:?} at {now} changed the handshake");
                }
                (a, b) => panic!("{command:?} at {now}: {a:?} vs {b:?}"),
            }
        }
    }
    Ok(())
}

/// A purged handshake is not found by anyone, its sender included.
#[test]
fn purged_is_not_found_even_for_the_sender() -> Result<(), Error> {
    let h = crate::example::aws_invitation()?;
    let bill = Caller::management("111111111111".parse()?, "o-exampleorgid".parse()?);
    let err = h.cancel(&bill, h.purge_at()).err();
    assert_eq!(err, Some(TransitionError::NotFound { handshake: h.id }));
    Ok(())
}

/// The sender is the organization. Bill, its management account, may cancel
/// only when calling as its management account; calling as another organization's
/// management account, as a standalone account or as a member, he is a party out of role.
#[test]
fn cancel_checks_the_whole_caller() -> Result<(), Error> {
    let h = crate::example::aws_invitation()?;
    let bill: AccountId = "111111111111".parse()?;
    let org = h.sender.id;
    let at = h.requested_at;
    let denied = |caller: Caller| TransitionError::AccessDenied {
        handshake: h.id,
        caller: caller.account,
        operation: Operation::Cancel,
        role: Some(PartyRole::Sender),
    };
    for caller in [
        Caller::management(bill, "o-otherorgid1".parse()?),
        Caller::standalone(bill),
        Caller::member(bill, org),
    ] {
        let before = h.clone();
        assert_eq!(h.cancel(&caller, at).err(), Some(denied(caller)));
        let mut in_place = h.clone();
        assert!(in_place.apply(&Command::Cancel(caller), at).is_err());
        assert_eq!(in_place, before);
    }
    assert!(h.cancel(&Caller::management(bill, org), at).is_ok());
    // A stranger claiming to manage the organization is still no party: not found.
    let stranger = Caller::management("999999999999".parse()?, org);
    assert_eq!(
        h.cancel(&stranger, at).err(),
        Some(TransitionError::NotFound { handshake: h.id })
    );
    Ok(())
}
