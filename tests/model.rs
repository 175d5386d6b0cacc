//! Model-based test: random sequences of operations on one AWS invitation, by every kind of
//! caller, with time moving forward by random ticks from the fixed [`EPOCH`] (and some calls
//! stamped in the past), checked step by step against a tiny reference model.
//!
//! The reference model is *the expected part*: a handful of integers (seconds since the
//! request) and the transition table of design.md, written as plainly as possible.

mod common;

use chrono::{DateTime, Utc};
use common::*;
use org_handshake::{
    Caller, Command, Event, Handshake, HandshakeState, PartyRole, TransitionError,
};
use proptest::prelude::*;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};

const DAY: i64 = 86_400;
/// An AWS invitation is valid for 15 days.
const VALIDITY: i64 = 15 * DAY;
/// A terminal handshake is kept 30 days.
const RETENTION: i64 = 30 * DAY;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// Juan, standalone: the recipient who may accept.
    Recipient,
    /// Juan while a member of another organization.
    RecipientMemberElsewhere,
    /// Juan while the management account of another organization.
    RecipientManagingElsewhere,
    /// Bill, the sender's management account.
    Sender,
    /// An account that is no party.
    Stranger,
}

impl Who {
    fn caller(self) -> Caller {
        match self {
            Who::Recipient => juan_caller(),
            Who::RecipientMemberElsewhere => Caller::member(juan(), other_org()),
            Who::RecipientManagingElsewhere => Caller::management(juan(), other_org()),
            Who::Sender => bill_caller(),
            Who::Stranger => stranger_caller(),
        }
    }

    fn is_recipient(self) -> bool {
        matches!(
            self,
            Who::Recipient | Who::RecipientMemberElsewhere | Who::RecipientManagingElsewhere
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Accept,
    Decline,
    Cancel,
}

/// A generated step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// `who` calls `op`, stamped `back` seconds before the model's clock.
    Call { op: Op, who: Who, back: i64 },
    /// The system writes down the expiry.
    Expire,
    /// Time moves forward.
    Tick { secs: i64 },
}

/// The reference model's states (an invitation is never `Requested`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Open,
    Accepted,
    Declined,
    Canceled,
    Expired,
}

/// What the model expects a step to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    None,
    Changed,
    NotFound,
    AccessDenied(PartyRole),
    TimeWentBackwards,
    AlreadyIn(S),
    Invalid(S),
    NotYetExpired,
    AlreadyInOrganization { management: bool },
}

/// The model: seconds since the request, and the state written down.
#[derive(Debug, Clone)]
struct Model {
    /// The clock.
    now: i64,
    /// The state as written down, and when it was entered.
    stored: S,
    entered: i64,
    /// What the last step should have given.
    outcome: Outcome,
}

impl Model {
    fn purge_at(&self) -> i64 {
        if self.stored == S::Open {
            VALIDITY + RETENTION
        } else {
            self.entered + RETENTION
        }
    }

    fn state_at(&self, at: i64) -> S {
        if self.stored == S::Open && at >= VALIDITY {
            S::Expired
        } else {
            self.stored
        }
    }

    /// The transition table, in the order of checks.
    fn call(&mut self, op: Op, who: Who, at: i64) {
        if at >= self.purge_at() {
            return self.outcome = Outcome::NotFound;
        }
        let role_ok = match op {
            Op::Accept | Op::Decline => who.is_recipient(),
            Op::Cancel => who == Who::Sender,
        };
        if !role_ok {
            self.outcome = match (op, who) {
                (_, Who::Stranger) => Outcome::NotFound,
                (Op::Cancel, _) => Outcome::AccessDenied(PartyRole::Recipient),
                _ => Outcome::AccessDenied(PartyRole::Sender),
            };
            return;
        }
        if at < self.entered {
            return self.outcome = Outcome::TimeWentBackwards;
        }
        let target = match op {
            Op::Accept => S::Accepted,
            Op::Decline => S::Declined,
            Op::Cancel => S::Canceled,
        };
        let state = self.state_at(at);
        if state == target {
            return self.outcome = Outcome::AlreadyIn(state);
        }
        if state != S::Open {
            return self.outcome = Outcome::Invalid(state);
        }
        if op == Op::Accept && who != Who::Recipient {
            self.outcome = Outcome::AlreadyInOrganization {
                management: who == Who::RecipientManagingElsewhere,
            };
            return;
        }
        self.stored = target;
        self.entered = at;
        self.outcome = Outcome::Changed;
    }

    fn expire(&mut self) {
        let at = self.now;
        self.outcome = if at >= self.purge_at() {
            Outcome::NotFound
        } else if at < self.entered {
            Outcome::TimeWentBackwards
        } else if self.stored == S::Expired {
            Outcome::AlreadyIn(S::Expired)
        } else if self.stored != S::Open {
            Outcome::Invalid(self.stored)
        } else if at < VALIDITY {
            Outcome::NotYetExpired
        } else {
            self.stored = S::Expired;
            self.entered = VALIDITY;
            Outcome::Changed
        };
    }
}

struct Reference;

impl ReferenceStateMachine for Reference {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model {
            now: 0,
            stored: S::Open,
            entered: 0,
            outcome: Outcome::None,
        })
        .boxed()
    }

    fn transitions(model: &Model) -> BoxedStrategy<Step> {
        let who = prop_oneof![
            3 => Just(Who::Recipient),
            1 => Just(Who::RecipientMemberElsewhere),
            1 => Just(Who::RecipientManagingElsewhere),
            2 => Just(Who::Sender),
            1 => Just(Who::Stranger),
        ];
        let op = prop_oneof![Just(Op::Accept), Just(Op::Decline), Just(Op::Cancel)];
        let back = prop_oneof![6 => Just(0i64), 1 => Just(1), 1 => 0i64..(3 * DAY)];
        // Ticks of every magnitude, and jumps to one second before and exactly at the expiry
        // and the purge.
        let mut jumps = vec![1i64, 59, 3_600, DAY, 7 * DAY, 20 * DAY];
        for deadline in [VALIDITY, model.purge_at()] {
            for target in [deadline - 1, deadline] {
                if target > model.now {
                    jumps.push(target - model.now);
                }
            }
        }
        let tick = prop_oneof![proptest::sample::select(jumps), 1i64..(2 * DAY),]
            .prop_map(|secs| Step::Tick { secs });
        prop_oneof![
            4 => (op, who, back).prop_map(|(op, who, back)| Step::Call { op, who, back }),
            1 => Just(Step::Expire),
            3 => tick,
        ]
        .boxed()
    }

    fn apply(mut model: Model, step: &Step) -> Model {
        match *step {
            Step::Call { op, who, back } => model.call(op, who, model.now - back),
            Step::Expire => model.expire(),
            Step::Tick { secs } => {
                model.now += secs;
                model.outcome = Outcome::None;
            }
        }
        model
    }
}

/// The system under test: the handshake, and the clock as a date.
struct Sut {
    handshake: Handshake,
    now: DateTime<Utc>,
    /// The stored state once it became terminal: it must never change again.
    terminal: Option<HandshakeState>,
}

fn at(secs_since_request: i64) -> DateTime<Utc> {
    EPOCH + secs(secs_since_request)
}

fn neutral(s: S) -> HandshakeState {
    match s {
        S::Open => HandshakeState::Open,
        S::Accepted => HandshakeState::Accepted,
        S::Declined => HandshakeState::Declined,
        S::Canceled => HandshakeState::Canceled,
        S::Expired => HandshakeState::Expired,
    }
}

/// The error the model's outcome stands for, in full.
fn expected_error(
    outcome: Outcome,
    h: &Handshake,
    caller: Option<Caller>,
    when: DateTime<Utc>,
    op: org_handshake::Operation,
) -> TransitionError {
    let handshake = h.id();
    match outcome {
        Outcome::NotFound => TransitionError::NotFound { handshake },
        Outcome::AccessDenied(role) => TransitionError::AccessDenied {
            handshake,
            caller: caller.expect("a call").account,
            operation: op,
            role: Some(role),
        },
        Outcome::TimeWentBackwards => TransitionError::TimeWentBackwards {
            handshake,
            now: when,
            last_change: h.state_entered_at(),
        },
        Outcome::AlreadyIn(s) => TransitionError::AlreadyInState {
            handshake,
            state: neutral(s),
        },
        Outcome::Invalid(s) => TransitionError::InvalidTransition {
            handshake,
            state: neutral(s),
            operation: op,
        },
        Outcome::NotYetExpired => TransitionError::NotYetExpired {
            handshake,
            expires_at: h.expires_at(),
        },
        Outcome::AlreadyInOrganization { management } => TransitionError::AlreadyInOrganization {
            handshake,
            account: juan(),
            organization: other_org(),
            is_management_account: management,
        },
        Outcome::None | Outcome::Changed => panic!("{outcome:?} is no error"),
    }
}

impl StateMachineTest for Sut {
    type SystemUnderTest = Sut;
    type Reference = Reference;

    fn init_test(_: &Model) -> Sut {
        Sut {
            handshake: invite_at("h-0123456789abcdef", EPOCH),
            now: EPOCH,
            terminal: None,
        }
    }

    fn apply(mut sut: Sut, model: &Model, step: Step) -> Sut {
        let (command, when, caller) = match step {
            Step::Tick { secs: s } => {
                sut.now += secs(s);
                assert_eq!(sut.now, at(model.now));
                return sut;
            }
            Step::Expire => (Command::Expire, sut.now, None),
            Step::Call { op, who, back } => {
                let caller = who.caller();
                let command = match op {
                    Op::Accept => Command::Accept(caller),
                    Op::Decline => Command::Decline(caller),
                    Op::Cancel => Command::Cancel(caller),
                };
                (command, sut.now - secs(back), Some(caller))
            }
        };
        let before = sut.handshake.clone();
        let result = sut.handshake.apply(&command, when);
        if sut.terminal.is_none() && sut.handshake.state().is_terminal() {
            sut.terminal = Some(sut.handshake.state());
        }
        match model.outcome {
            Outcome::Changed => {
                let events =
                    result.unwrap_or_else(|err| panic!("{step:?}: expected a change, got {err}"));
                assert_eq!(sut.handshake.state(), neutral(model.stored));
                assert_eq!(sut.handshake.state_entered_at(), at(model.entered));
                // Every event happens when the change does; accepting an invitation joins.
                assert!(events.iter().all(|e| e.at() == at(model.entered)));
                let joined = events
                    .iter()
                    .any(|e| matches!(e, Event::AccountJoinedOrganization { .. }));
                assert_eq!(joined, model.stored == S::Accepted);
                assert_eq!(events.len(), if joined { 2 } else { 1 });
            }
            outcome => {
                let expected = expected_error(outcome, &before, caller, when, command.operation());
                assert_eq!(result, Err(expected), "{step:?}");
                assert_eq!(sut.handshake, before, "a refusal changes nothing");
            }
        }
        sut
    }

    fn check_invariants(sut: &Sut, model: &Model) {
        let h = &sut.handshake;
        let now = sut.now;
        assert_eq!(now, at(model.now));
        assert_eq!(h.state(), neutral(model.stored));
        assert_eq!(h.state_entered_at(), at(model.entered));
        assert_eq!(h.state_at(now), neutral(model.state_at(model.now)));
        assert_eq!(h.purge_at(), at(model.purge_at()));
        assert_eq!(h.is_visible_at(now), model.now < model.purge_at());
        // Purged only once terminal, and only after the whole retention.
        assert_eq!(h.is_purgeable_at(now), model.now >= model.purge_at());
        if h.is_purgeable_at(now) {
            assert!(h.state_at(now).is_terminal());
            assert!(now - h.last_change_at(now) >= secs(RETENTION));
        }
        assert!(h.requested_at() < h.expires_at());
        assert!(h.last_change_at(now) <= now.max(h.state_entered_at()));
        // Terminal states are absorbing.
        if let Some(terminal) = sut.terminal {
            assert_eq!(h.state(), terminal);
        }
    }

    fn teardown(sut: Sut) {
        // The handshake as seen at the end round-trips through its JSON.
        let seen = sut.handshake.observed_at(sut.now);
        let json = serde_json::to_string(&seen).unwrap();
        assert_eq!(serde_json::from_str::<Handshake>(&json).unwrap(), seen);
    }
}

prop_state_machine! {
    #![proptest_config(proptest_config(
        512,
        concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/model.txt"),
    ))]

    #[test]
    fn one_invitation_against_the_reference_model(sequential 1..40 => Sut);
}
