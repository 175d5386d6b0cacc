//! No panic at any time: every ledger operation, at any `now` chrono can hold (both ends of its
//! range included, and seconds and days from them), either answers or refuses with a typed
//! error, and a refusal changes nothing. The world changes (adding accounts and organizations,
//! removing members) are among the operations.
//!
//! | property | test | cases |
//! |---|---|---|
//! | every operation at any time answers or refuses, never panics | `every_operation_at_any_time_answers_or_refuses` | 512 |

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::ledger::*;
use org_handshake::ledger::{AccountSpec, HandshakeFilter, Ledger, PageRequest};
use org_handshake::{Action, Failure, HandshakeId, LedgerError, Profile, SeededIds};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

const ACCOUNTS: [&str; 8] = [BILL, MARY, MIKE, BOB, BEN, JUAN, JANE, GHOST];
const MIN: DateTime<Utc> = DateTime::<Utc>::MIN_UTC;
const MAX: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;

/// Any time chrono can hold: anywhere in its range, or at either end, or seconds or days from
/// one (the quota's 24 hours, the 15- and 90-day validities and the 30-day retention all reach
/// past an end from there), or near today.
fn arb_any_time() -> impl Strategy<Value = DateTime<Utc>> {
    let anywhere = (MIN.timestamp()..=MAX.timestamp(), 0..1_000_000_000u32)
        .prop_map(|(secs, nanos)| DateTime::from_timestamp(secs, nanos).unwrap_or(MIN));
    let from_min = prop_oneof![
        (0i64..200_000).prop_map(TimeDelta::seconds),
        (0i64..200).prop_map(TimeDelta::days),
    ]
    .prop_map(|delta| MIN + delta);
    let to_max = prop_oneof![
        (0i64..200_000).prop_map(TimeDelta::seconds),
        (0i64..200).prop_map(TimeDelta::days),
    ]
    .prop_map(|delta| MAX - delta);
    prop_oneof![
        1 => Just(MIN),
        1 => Just(MAX),
        3 => from_min,
        3 => to_max,
        2 => anywhere,
        1 => (0i64..10_000_000).prop_map(|secs| epoch() + TimeDelta::seconds(secs)),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Invite { caller: usize, target: usize },
    Accept { caller: usize, pick: usize },
    Decline { caller: usize, pick: usize },
    Cancel { caller: usize, pick: usize },
    Describe { caller: usize, pick: usize },
    EnableAllFeatures { caller: usize },
    ListForAccount { caller: usize, numbered: bool },
    ListForOrganization { caller: usize, numbered: bool },
    Sweep,
    AddAccount { account: usize },
    AddOrganization { account: usize },
    RemoveMember { account: usize },
}

fn arb_op() -> impl Strategy<Value = Op> {
    let who = 0..ACCOUNTS.len();
    prop_oneof![
        4 => (who.clone(), who.clone()).prop_map(|(caller, target)| Op::Invite { caller, target }),
        2 => (who.clone(), any::<usize>()).prop_map(|(caller, pick)| Op::Accept { caller, pick }),
        1 => (who.clone(), any::<usize>()).prop_map(|(caller, pick)| Op::Decline { caller, pick }),
        1 => (who.clone(), any::<usize>()).prop_map(|(caller, pick)| Op::Cancel { caller, pick }),
        1 => (who.clone(), any::<usize>()).prop_map(|(caller, pick)| Op::Describe { caller, pick }),
        1 => who.clone().prop_map(|caller| Op::EnableAllFeatures { caller }),
        1 => (who.clone(), any::<bool>()).prop_map(|(caller, numbered)| Op::ListForAccount { caller, numbered }),
        1 => (who, any::<bool>()).prop_map(|(caller, numbered)| Op::ListForOrganization { caller, numbered }),
        1 => Just(Op::Sweep),
        1 => (0..10usize).prop_map(|account| Op::AddAccount { account }),
        1 => (0..10usize).prop_map(|account| Op::AddOrganization { account }),
        1 => (0..10usize).prop_map(|account| Op::RemoveMember { account }),
    ]
}

/// A step's time: a few seconds to days after the previous one (clamped at the end of time),
/// or a jump to any time at all (backwards included).
fn arb_step_time() -> impl Strategy<Value = Result<i64, DateTime<Utc>>> {
    prop_oneof![
        4 => (0i64..4 * 86_400).prop_map(Ok),
        1 => arb_any_time().prop_map(Err),
    ]
}

/// The id of added account `a`, of the length the profile's account id rule asks (digits fit
/// every built-in rule).
fn added(profile: &Profile, a: impl std::fmt::Display) -> org_handshake::AccountId {
    let width = profile.account_id.min_len.max(12) - 1;
    account(&format!("8{a:0>width$}"))
}

fn profile(index: usize) -> Profile {
    [Profile::AWS, Profile::HUAWEI, Profile::ALIBABA][index % 3]
}

/// Checks that a refusal is a typed error whose every view can be built, and that it changed
/// nothing.
fn refused(err: &LedgerError, ledger: &Ledger, before: &str) -> Result<(), TestCaseError> {
    prop_assert!(!err.code().is_empty());
    prop_assert!(!err.to_string().is_empty());
    let _ = (err.kind(), err.input());
    let failure = Failure::from(err.clone());
    prop_assert!(!failure.message.is_empty());
    prop_assert_eq!(
        serde_json::to_string(ledger).unwrap(),
        before,
        "{} changed the ledger",
        err
    );
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/ledger_any_time.txt"
        )))),
        ..Config::default()
    })]

    /// Every ledger operation, at any time chrono can hold, answers or refuses with a typed
    /// error, and a refusal changes nothing.
    #[test]
    fn every_operation_at_any_time_answers_or_refuses(
        which in 0..3usize,
        start in arb_any_time(),
        steps in prop::collection::vec((arb_op(), arb_step_time()), 1..24),
        seed in any::<u64>(),
    ) {
        let profile = profile(which);
        let mut ledger = Ledger::new(profile, &world()).unwrap();
        let mut ids = SeededIds::new(seed);
        let mut created: Vec<HandshakeId> = Vec::new();
        let mut token: Option<String> = None;
        let mut now = start;
        for (op, step) in steps {
            now = match step {
                Ok(secs) => now.checked_add_signed(TimeDelta::seconds(secs)).unwrap_or(MAX),
                Err(jump) => jump,
            };
            let who = |i: usize| account(ACCOUNTS[i % ACCOUNTS.len()]);
            let pick = |i: usize| created.get(i % created.len().max(1)).copied().unwrap_or_else(|| nth(1));
            let before = serde_json::to_string(&ledger).unwrap();
            let result: Result<Vec<HandshakeId>, LedgerError> = match op {
                Op::Invite { caller, target } => ledger
                    .invite(who(caller), invite_to(ACCOUNTS[target]), &mut ids, now)
                    .map(|c| vec![c.handshake.id()]),
                Op::Accept { caller, pick: p } => ledger.accept(who(caller), pick(p), now).map(|_| vec![]),
                Op::Decline { caller, pick: p } => ledger.decline(who(caller), pick(p), now).map(|_| vec![]),
                Op::Cancel { caller, pick: p } => ledger.cancel(who(caller), pick(p), now).map(|_| vec![]),
                Op::Describe { caller, pick: p } => ledger.describe(who(caller), pick(p), now).map(|_| vec![]),
                Op::EnableAllFeatures { caller } => ledger
                    .enable_all_features(who(caller), &mut ids, now)
                    .map(|c| std::iter::once(&c.handshake).chain(&c.related).map(|h| h.id()).collect()),
                Op::ListForAccount { caller, numbered } | Op::ListForOrganization { caller, numbered } => {
                    let page = match (numbered, token.take()) {
                        (true, _) => PageRequest::Number { number: 1 + caller, size: 1 },
                        (false, Some(t)) => PageRequest::after(1, t),
                        (false, None) => PageRequest::first(1),
                    };
                    let filter = if caller % 2 == 0 { HandshakeFilter::NONE } else { HandshakeFilter::action(Action::Invite) };
                    let listed = if matches!(op, Op::ListForAccount { .. }) {
                        ledger.list_for_account(who(caller), filter, &page, now)
                    } else {
                        ledger.list_for_organization(who(caller), filter, &page, now)
                    };
                    listed.map(|page| {
                        token = page.next_token;
                        vec![]
                    })
                }
                Op::Sweep => ledger.sweep(now).map(|_| vec![]),
                Op::AddAccount { account: a } => ledger
                    .add_account(
                        AccountSpec {
                            id: added(ledger.profile(), a),
                            name: format!("added{a}").parse().unwrap(),
                            email: None,
                        },
                        now,
                    )
                    .map(|_| vec![]),
                Op::AddOrganization { account: a } => ledger
                    .add_organization(
                        format!("o-added0000{a}").parse().unwrap(),
                        added(ledger.profile(), a),
                        None,
                        now,
                    )
                    .map(|_| vec![]),
                Op::RemoveMember { account: a } => ledger.remove_member(who(a), now).map(|_| vec![]),
            };
            match result {
                Ok(new) => created.extend(new),
                Err(err) => refused(&err, &ledger, &before)?,
            }
            // Reading at `now` never panics either, whatever the stored times.
            for id in &created {
                if let Some(h) = ledger.stored(id) {
                    let _ = (h.state_at(now), h.observed_at(now), h.purge_at(), h.next_deadline(), h.is_visible_at(now), h.validity());
                }
            }
        }
        prop_assert!(ledger.indexes_are_consistent());
    }
}

/// The ends themselves, named: an invitation a day after the earliest time (its quota window
/// reaches back past it) is created and counted; one near the latest is refused because its
/// expiry or purge would not be a time.
#[test]
fn the_ends_of_time_answer_or_refuse() -> Result<(), Error> {
    let mut l = ledger();
    let mut ids = SeededIds::new(1);
    for (i, target) in [JUAN, JANE].into_iter().enumerate() {
        let at = MIN + TimeDelta::hours(i as i64);
        l.invite(account(BILL), invite_to(target), &mut ids, at)?;
    }
    let at_max = l
        .invite(account(BOB), invite_to(JUAN), &mut ids, MAX)
        .unwrap_err();
    assert_eq!(at_max.code(), "time_out_of_range");
    let near_max = l
        .invite(
            account(BOB),
            invite_to(JUAN),
            &mut ids,
            MAX - TimeDelta::days(40),
        )
        .unwrap_err();
    assert_eq!(near_max.code(), "time_out_of_range");
    l.sweep(MAX)?;
    assert!(l.is_empty());
    Ok(())
}
