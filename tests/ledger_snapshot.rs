//! Save and restore: a ledger serialized and read back is equal to the original and answers
//! every later call as the original would; an inconsistent snapshot is refused with an error
//! naming the problem.
//!
//! | property | test | cases |
//! |---|---|---|
//! | save → restore gives an equal ledger that answers later calls identically | `save_then_restore_changes_nothing` | 512 |

mod common;

use chrono::TimeDelta;
use common::ledger::*;
use org_handshake::ledger::{
    AccountSpec, HandshakeFilter, Ledger, PageRequest, Snapshot, SnapshotError,
};
use org_handshake::{
    Action, HandshakeId, HandshakeIdRule, Membership, Profile, ProfileName, SeededIds,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::{json, Value};

const ACCOUNTS: [&str; 9] = [
    BILL,
    MARY,
    MIKE,
    BOB,
    BEN,
    JUAN,
    JANE,
    GHOST,
    "888888888888",
];

/// Short periods, so that sequences reach expiry, purge and the quota; a custom profile, so
/// that restoring it is tested too.
const SHORT: Profile = Profile {
    name: ProfileName::from_static("short"),
    invite_validity: TimeDelta::days(2),
    enable_all_features_validity: Some(TimeDelta::days(3)),
    other_validity: None,
    daily_invitation_quota: Some(3),
    handshake_id: HandshakeIdRule {
        min_len: 8,
        max_len: 32,
        lowercase_only: true,
    },
    account_id: org_handshake::AccountIdRule::NEUTRAL,
    organization_id: org_handshake::OrganizationIdRule::AWS,
    time_precision: TimeDelta::nanoseconds(1),
};

fn restored(ledger: &Ledger) -> Ledger {
    serde_json::from_str(&serde_json::to_string(ledger).unwrap()).unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    Invite(usize, usize),
    Accept(usize, usize),
    Decline(usize, usize),
    Cancel(usize, usize),
    Describe(usize, usize),
    EnableAllFeatures(usize),
    List(usize, bool),
    Sweep,
    AddAccount(usize),
    RemoveMember(usize),
    CreateOrganization(usize),
    DeleteOrganization(usize),
    Leave(usize),
    RemoveAccount(usize, usize),
    DescribeOrganization(usize),
    DescribeAccount(usize, usize),
    ListAccounts(usize),
}

fn arb_op() -> impl Strategy<Value = Op> {
    let who = 0..ACCOUNTS.len();
    prop_oneof![
        4 => (who.clone(), who.clone()).prop_map(|(c, t)| Op::Invite(c, t)),
        3 => (who.clone(), any::<usize>()).prop_map(|(c, p)| Op::Accept(c, p)),
        1 => (who.clone(), any::<usize>()).prop_map(|(c, p)| Op::Decline(c, p)),
        1 => (who.clone(), any::<usize>()).prop_map(|(c, p)| Op::Cancel(c, p)),
        1 => (who.clone(), any::<usize>()).prop_map(|(c, p)| Op::Describe(c, p)),
        1 => who.clone().prop_map(Op::EnableAllFeatures),
        2 => (who.clone(), any::<bool>()).prop_map(|(c, o)| Op::List(c, o)),
        1 => Just(Op::Sweep),
        1 => (0..4usize).prop_map(Op::AddAccount),
        1 => who.clone().prop_map(Op::RemoveMember),
        1 => who.clone().prop_map(Op::CreateOrganization),
        1 => who.clone().prop_map(Op::DeleteOrganization),
        1 => who.clone().prop_map(Op::Leave),
        1 => (who.clone(), who.clone()).prop_map(|(c, t)| Op::RemoveAccount(c, t)),
        1 => who.clone().prop_map(Op::DescribeOrganization),
        1 => (who.clone(), who.clone()).prop_map(|(c, t)| Op::DescribeAccount(c, t)),
        1 => who.prop_map(Op::ListAccounts),
    ]
}

/// Runs one operation and answers with everything it said, as text, so that two ledgers'
/// answers compare byte for byte. Listings page one item at a time, carrying the token over.
struct Driver {
    ids: SeededIds,
    created: Vec<HandshakeId>,
    tokens: Vec<Option<String>>,
    account_tokens: Vec<Option<String>>,
}

impl Driver {
    fn new(seed: u64) -> Self {
        Driver {
            ids: SeededIds::new(seed),
            created: Vec::new(),
            tokens: vec![None; ACCOUNTS.len() * 2],
            account_tokens: vec![None; ACCOUNTS.len()],
        }
    }

    fn run(&mut self, ledger: &mut Ledger, op: &Op, at: chrono::DateTime<chrono::Utc>) -> String {
        let who = |i: usize| account(ACCOUNTS[i]);
        let pick = |created: &[HandshakeId], p: usize| {
            created
                .get(p % created.len().max(1))
                .copied()
                .unwrap_or_else(|| nth(1))
        };
        match op {
            Op::Invite(c, t) => {
                let r = ledger.invite(who(*c), invite_to(ACCOUNTS[*t]), &mut self.ids, at);
                if let Ok(changed) = &r {
                    self.created.push(changed.handshake.id());
                }
                format!("{r:?}")
            }
            Op::Accept(c, p) => {
                format!("{:?}", ledger.accept(who(*c), pick(&self.created, *p), at))
            }
            Op::Decline(c, p) => {
                format!("{:?}", ledger.decline(who(*c), pick(&self.created, *p), at))
            }
            Op::Cancel(c, p) => {
                format!("{:?}", ledger.cancel(who(*c), pick(&self.created, *p), at))
            }
            Op::Describe(c, p) => format!(
                "{:?}",
                ledger.describe(who(*c), pick(&self.created, *p), at)
            ),
            Op::EnableAllFeatures(c) => {
                let r = ledger.enable_all_features(who(*c), &mut self.ids, at);
                if let Ok(changed) = &r {
                    self.created.push(changed.handshake.id());
                    self.created.extend(changed.related.iter().map(|h| h.id()));
                }
                format!("{r:?}")
            }
            Op::List(c, organization) => {
                let slot = c * 2 + usize::from(*organization);
                let page = match self.tokens[slot].take() {
                    Some(token) => PageRequest::after(1, token),
                    None => PageRequest::first(1),
                };
                let r = if *organization {
                    ledger.list_for_organization(who(*c), HandshakeFilter::NONE, &page, at)
                } else {
                    ledger.list_for_account(
                        who(*c),
                        HandshakeFilter::action(Action::Invite),
                        &page,
                        at,
                    )
                };
                if let Ok(page) = &r {
                    self.tokens[slot] = page.next_token.clone();
                }
                format!("{r:?}")
            }
            Op::Sweep => format!("{:?}", ledger.sweep(at)),
            Op::AddAccount(i) => format!(
                "{:?}",
                ledger.add_account(
                    AccountSpec {
                        id: account(&format!("90000000000{i}")),
                        name: format!("new{i}").parse().unwrap(),
                        email: None,
                    },
                    at
                )
            ),
            Op::RemoveMember(c) => format!("{:?}", ledger.remove_member(who(*c), at)),
            Op::CreateOrganization(c) => format!(
                "{:?}",
                ledger.create_organization(who(*c), None, &mut self.ids, at)
            ),
            Op::DeleteOrganization(c) => format!("{:?}", ledger.delete_organization(who(*c), at)),
            Op::Leave(c) => format!("{:?}", ledger.leave_organization(who(*c), at)),
            Op::RemoveAccount(c, t) => {
                format!("{:?}", ledger.remove_account(who(*c), who(*t), at))
            }
            Op::DescribeOrganization(c) => {
                format!("{:?}", ledger.describe_organization(who(*c), at))
            }
            Op::DescribeAccount(c, t) => {
                format!("{:?}", ledger.describe_account(who(*c), who(*t), at))
            }
            Op::ListAccounts(c) => {
                let page = match self.account_tokens[*c].take() {
                    Some(token) => PageRequest::after(1, token),
                    None => PageRequest::first(1),
                };
                let r = ledger.list_accounts(who(*c), &page, at);
                if let Ok(page) = &r {
                    self.account_tokens[*c] = page.next_token.clone();
                }
                format!("{r:?}")
            }
        }
    }
}

proptest! {
    #![proptest_config(Config {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/ledger_snapshot.txt"
        )))),
        ..Config::default()
    })]

    /// For a ledger reached by a random sequence of operations (under AWS's profile or a
    /// custom short one), save → restore gives an equal ledger with the same JSON, and every
    /// later call (page tokens handed out before the save included) answers byte for byte as
    /// the original does.
    #[test]
    fn save_then_restore_changes_nothing(
        custom in any::<bool>(),
        before in prop::collection::vec((arb_op(), 0i64..20_000), 0..40),
        after in prop::collection::vec((arb_op(), 0i64..20_000), 1..25),
        seed in any::<u64>(),
    ) {
        let profile = if custom { SHORT } else { Profile::AWS };
        let mut original = Ledger::new(profile, &world()).unwrap();
        let mut driver = Driver::new(seed);
        let mut at = epoch();
        for (op, dt) in &before {
            at += TimeDelta::seconds(dt * 30);
            driver.run(&mut original, op, at);
        }
        let mut copy = restored(&original);
        prop_assert_eq!(&copy, &original);
        prop_assert_eq!(serde_json::to_string(&copy).unwrap(), serde_json::to_string(&original).unwrap());
        prop_assert!(copy.indexes_are_consistent());
        prop_assert_eq!(copy.profile(), original.profile());

        // The same driver state (ids to come, tokens handed out) for both from here on.
        let mut twin = Driver { ids: driver.ids, created: driver.created.clone(), tokens: driver.tokens.clone(), account_tokens: driver.account_tokens.clone() };
        for (op, dt) in &after {
            at += TimeDelta::seconds(dt * 30);
            let expected = driver.run(&mut original, op, at);
            let got = twin.run(&mut copy, op, at);
            prop_assert_eq!(got, expected, "{:?} at {}", op, at);
        }
        prop_assert_eq!(&copy, &original);
    }
}

/// A token handed out before a save pages on after the restore.
#[test]
fn page_tokens_survive_a_restore() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    for (i, target) in [JUAN, JANE, GHOST].into_iter().enumerate() {
        l.invite(account(BILL), invite_to(target), &mut ids(&[nth(i + 1)]), t)?;
    }
    let first = l.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::first(1),
        t,
    )?;
    let token = first.next_token.ok_or("a second page")?;
    let back = restored(&l);
    let second = back.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::after(2, token),
        t,
    )?;
    let listed: Vec<_> = second.handshakes.iter().map(|h| h.id()).collect();
    assert_eq!(listed, vec![nth(2), nth(3)]);
    Ok(())
}

/// Memberships as they stand are restored: joined by invitation, left, and a ghost that
/// joined without being listed.
#[test]
fn memberships_as_they_stand_are_restored() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let sent = l.invite(account(BILL), invite_to(GHOST), &mut ids(&[nth(1)]), t)?;
    l.accept(account(GHOST), sent.handshake.id(), t)?;
    l.remove_member(account(MARY), t)?;
    let back = restored(&l);
    assert_eq!(back, l);
    assert_eq!(
        back.membership(&account(GHOST)),
        Membership::Member(org(ORG_A))
    );
    assert_eq!(back.membership(&account(MARY)), Membership::Standalone);
    let members = back
        .organization(&org(ORG_A))
        .ok_or("org A")?
        .members
        .to_vec();
    assert_eq!(members, vec![account(MIKE), account(GHOST)]);
    assert_eq!(back.clock(), Some(t));
    Ok(())
}

/// A snapshot's JSON, edited by `change`, is refused with `code`.
fn refused_with(change: impl FnOnce(&mut Value), code: &str) -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    let mut value = serde_json::to_value(&l)?;
    change(&mut value);
    let snapshot: Snapshot = serde_json::from_value(value.clone())?;
    let err: SnapshotError = Ledger::from_snapshot(snapshot).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    // Through serde too, with the same message.
    let through = serde_json::from_value::<Ledger>(value)
        .unwrap_err()
        .to_string();
    assert!(through.contains(&err.to_string()), "{through}");
    Ok(())
}

#[test]
fn inconsistent_snapshots_are_refused_naming_the_problem() -> Result<(), Error> {
    refused_with(
        |v| v["accounts"][JUAN]["organization"] = json!("o-cccccccccc"),
        "account_in_unknown_organization",
    )?;
    refused_with(
        |v| v["organizations"][ORG_B]["members"] = json!([BEN, MARY]),
        "member_of_two_organizations",
    )?;
    refused_with(
        |v| v["organizations"][ORG_A]["members"] = json!([MARY, MIKE, "123456789012"]),
        "unknown_member",
    )?;
    refused_with(
        |v| v["organizations"][ORG_A]["members"] = json!([MARY, MIKE, JUAN]),
        "membership_mismatch",
    )?;
    refused_with(
        |v| v["organizations"][ORG_A]["members"] = json!([MARY]),
        "membership_mismatch",
    )?;
    refused_with(
        |v| v["organizations"][ORG_A]["management_account"] = json!(BOB),
        "management_account_outside",
    )?;
    refused_with(
        |v| v["accounts"][JANE]["email"] = json!("juan@example.com"),
        "duplicate_email",
    )?;
    refused_with(
        |v| {
            let h = v["handshakes"]["h-00000001"].take();
            v["handshakes"] = json!({ "h-00000009": h });
        },
        "handshake_under_wrong_id",
    )?;
    refused_with(
        |v| v["handshakes"]["h-00000001"]["sender"]["management_account"] = json!(BOB),
        "unknown_sender",
    )?;
    refused_with(
        |v| v["clock"] = json!("2026-01-05T09:00:00Z"),
        "changed_after_clock",
    )?;
    refused_with(|v| v["clock"] = Value::Null, "changed_after_clock")?;
    Ok(())
}

#[test]
fn malformed_snapshots_are_parse_errors_naming_the_problem() -> Result<(), Error> {
    let mut value = serde_json::to_value(ledger())?;
    value["acounts"] = json!({});
    let err = serde_json::from_value::<Ledger>(value)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `acounts`"), "{err}");
    let mut value = serde_json::to_value(ledger())?;
    value["profile"] = json!("azure");
    let err = serde_json::from_value::<Ledger>(value)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("unknown profile `azure`: expected one of `aws`, `huawei`, `alibaba`"),
        "{err}"
    );
    Ok(())
}

#[test]
fn a_custom_profile_is_restored_field_by_field() -> Result<(), Error> {
    let l = Ledger::new(SHORT, &world())?;
    let value = serde_json::to_value(&l)?;
    assert_eq!(value["profile"]["name"], "short");
    assert_eq!(
        value["profile"]["invite_validity"],
        json!({ "seconds": 172_800 })
    );
    let back: Ledger = serde_json::from_value(value)?;
    assert_eq!(*back.profile(), SHORT);
    // The providers' own profiles are written by name.
    assert_eq!(serde_json::to_value(ledger())?["profile"], "aws");
    Ok(())
}

/// The documented exact round trip of a custom profile: durations with a fractional second
/// keep their nanoseconds (a negative one included, written as whole seconds rounded down).
#[test]
fn a_custom_profile_with_fractional_seconds_round_trips_exactly() -> Result<(), Error> {
    let odd = Profile {
        name: ProfileName::from_static("odd"),
        invite_validity: TimeDelta::milliseconds(1_500) + TimeDelta::nanoseconds(7),
        enable_all_features_validity: Some(TimeDelta::nanoseconds(-1)),
        other_validity: Some(TimeDelta::seconds(3)),
        ..SHORT
    };
    let value = serde_json::to_value(odd)?;
    assert_eq!(
        value["invite_validity"],
        json!({ "seconds": 1, "nanoseconds": 500_000_007 })
    );
    assert_eq!(
        value["enable_all_features_validity"],
        json!({ "seconds": -1, "nanoseconds": 999_999_999 })
    );
    assert_eq!(value["other_validity"], json!({ "seconds": 3 }));
    let back: Profile = serde_json::from_value(value)?;
    assert_eq!(back, odd);
    // A profile saved before profiles had an account id rule reads with the neutral one.
    let mut old = serde_json::to_value(odd)?;
    old.as_object_mut().ok_or("an object")?.remove("account_id");
    let back: Profile = serde_json::from_value(old)?;
    assert_eq!(back.account_id, org_handshake::AccountIdRule::NEUTRAL);
    Ok(())
}

/// A profile of the wrong JSON type says what a profile is.
#[test]
fn a_profile_of_the_wrong_json_type_says_what_is_expected() {
    for wrong in [json!(7), json!(["aws"]), json!(true), Value::Null] {
        let err = serde_json::from_value::<Profile>(wrong.clone())
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                "expected `aws`, `huawei`, `alibaba`, or every field of a custom profile"
            ),
            "{wrong}: {err}"
        );
    }
}
