//! The world changes: adding accounts and organizations, removing members; each returns its
//! events, and each refusal is typed and changes nothing.
//!
//! | property | test | cases |
//! |---|---|---|
//! | a refused world change leaves the ledger's JSON byte-identical; memberships stay consistent | `world_changes_refuse_without_a_trace` | 512 |

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::ledger::*;
use org_handshake::ledger::{AccountSpec, Ledger, LedgerError};
use org_handshake::{
    AccountId, ErrorKind, Event, FeatureSet, HandshakeId, Membership, OrganizationId, Profile,
    SeededIds,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

fn spec(id: &str, name: &str, email: Option<&str>) -> AccountSpec {
    AccountSpec {
        id: account(id),
        name: name.parse().unwrap(),
        email: email.map(|e| e.parse().unwrap()),
    }
}

#[test]
fn adding_an_account_lists_it_for_email_and_name_targets() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let ana = "888888888888";
    let events = l.add_account(spec(ana, "ana", Some("ana@example.com")), t)?;
    assert_eq!(
        events,
        vec![Event::AccountAdded {
            account: account(ana),
            at: t
        }]
    );
    assert_eq!(l.membership(&account(ana)), Membership::Standalone);
    let by_email = org_handshake::ledger::InviteRequest::new(org_handshake::Party::Email(
        "ana@example.com".parse()?,
    ));
    let sent = l.invite(account(BILL), by_email, &mut ids(&[nth(1)]), t)?;
    assert_eq!(sent.handshake.recipient().account(), Some(&account(ana)));
    // Once a member, the organization shows the name and email the account was added with.
    l.accept(account(ana), sent.handshake.id(), t + TimeDelta::seconds(1))?;
    let info = l.account_info(account(ana)).expect("a member");
    assert_eq!(info.name.as_ref().map(|n| n.as_str()), Some("ana"));
    assert_eq!(
        info.email.as_ref().map(|e| e.as_str()),
        Some("ana@example.com")
    );
    Ok(())
}

/// An AWS ledger holds AWS accounts: a 16-digit Alibaba id or a 32-character Huawei domain id
/// is refused with a typed error naming the rule, and nothing changes.
#[test]
fn adding_an_account_of_another_providers_pattern_is_refused() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let before = snapshot(&l);
    for id in ["1512666876910000", "0a6d25d23900d45c0faac010e0fb4de0"] {
        let err = l.add_account(spec(id, "other", None), t).unwrap_err();
        assert!(
            matches!(err, LedgerError::AccountIdPattern { .. }),
            "{id}: {err}"
        );
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(snapshot(&l), before);
    }
    let err = l
        .add_account(spec("1512666876910000", "other", None), t)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "account id `1512666876910000` has 16 characters, expected exactly 12 (the aws account id rule)"
    );
    // Too short for AWS's 12 digits.
    let err = l
        .add_account(spec("11111111111", "other", None), t)
        .unwrap_err();
    assert!(matches!(err, LedgerError::AccountIdPattern { .. }), "{err}");
    let mut alibaba = Ledger::new(Profile::ALIBABA, &Default::default())?;
    alibaba.add_account(spec("1512666876910000", "other", None), t)?;
    // Huawei: 32 lower-case hexadecimal digits, letters included; `g` is not one.
    let mut huawei = Ledger::new(Profile::HUAWEI, &Default::default())?;
    huawei.add_account(spec("0a6d25d23900d45c0faac010e0fb4de0", "paas", None), t)?;
    let err = huawei
        .add_account(spec("0a6d25d23900d45c0faac010e0fb4deg", "other", None), t)
        .unwrap_err();
    assert!(matches!(err, LedgerError::AccountIdPattern { .. }), "{err}");
    Ok(())
}

#[test]
fn adding_an_account_is_refused_for_every_clash() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(GHOST), &mut ids(&[nth(1)]), t)?;
    l.accept(account(GHOST), nth(1), t)?;
    let before = snapshot(&l);
    let cases = [
        (spec(JUAN, "other", None), "account_already_exists"),
        // An account that joined by invitation is known, listed or not.
        (spec(GHOST, "ghost", None), "account_already_exists"),
        (
            spec("888888888888", "ana", Some("juan@example.com")),
            "email_taken",
        ),
        (spec("888888888888", "juan", None), "name_taken"),
    ];
    for (spec, code) in cases {
        let err = l.add_account(spec, t).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert_eq!(snapshot(&l), before);
    }
    let err = l
        .add_account(spec("888888888888", "ana", None), t - secs(1))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConcurrentModification);
    assert_eq!(snapshot(&l), before);
    Ok(())
}

#[test]
fn adding_an_organization_makes_a_standalone_account_its_manager() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let org_c: OrganizationId = "o-cccccccccc".parse()?;
    let events = l.add_organization(org_c, account(JUAN), None, t)?;
    assert_eq!(
        events,
        vec![Event::OrganizationAdded {
            organization: org_c,
            management_account: account(JUAN),
            at: t
        }]
    );
    assert_eq!(l.membership(&account(JUAN)), Membership::Management(org_c));
    let view = l.organization(&org_c).ok_or("the new organization")?;
    assert!(view.members.is_empty());
    assert_eq!(view.feature_set, None);
    // The new organization invites, and its invitation shows Juan's name and email.
    let sent = l.invite(account(JUAN), invite_to(JANE), &mut ids(&[nth(1)]), t)?;
    assert_eq!(
        sent.handshake.sender().management_account_name.as_str(),
        "juan"
    );
    assert_eq!(
        sent.handshake
            .sender()
            .management_account_email
            .as_ref()
            .map(|e| e.as_str()),
        Some("juan@example.com")
    );
    Ok(())
}

#[test]
fn adding_an_organization_is_refused_for_every_clash() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    // GHOST joins by invitation, then leaves: known, standalone, but without a name.
    l.invite(account(BILL), invite_to(GHOST), &mut ids(&[nth(1)]), t)?;
    l.accept(account(GHOST), nth(1), t)?;
    l.remove_member(account(GHOST), t)?;
    let before = snapshot(&l);
    let org_c: OrganizationId = "o-cccccccccc".parse()?;
    let cases: [(OrganizationId, &str, &str); 5] = [
        (org(ORG_A), JUAN, "organization_already_exists"),
        (org_c, "888888888888", "unknown_account"),
        (org_c, GHOST, "unknown_account"),
        (org_c, MARY, "account_in_organization"),
        (org_c, BOB, "account_in_organization"),
    ];
    for (id, manager, code) in cases {
        let err = l
            .add_organization(id, account(manager), Some(FeatureSet::All), t)
            .unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert_eq!(snapshot(&l), before);
    }
    Ok(())
}

#[test]
fn a_member_that_leaves_stands_alone_and_may_be_invited_again() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let events = l.remove_member(account(MARY), t)?;
    assert_eq!(
        events,
        vec![Event::AccountLeftOrganization {
            account: account(MARY),
            organization: org(ORG_A),
            at: t
        }]
    );
    assert_eq!(l.membership(&account(MARY)), Membership::Standalone);
    let members = l.organization(&org(ORG_A)).ok_or("org A")?.members.to_vec();
    assert_eq!(members, vec![account(MIKE)]);
    // Another organization may now have her.
    let sent = l.invite(
        account(BOB),
        invite_to(MARY),
        &mut ids(&[nth(1)]),
        t + secs(1),
    )?;
    l.accept(account(MARY), sent.handshake.id(), t + secs(2))?;
    assert_eq!(l.membership(&account(MARY)), Membership::Member(org(ORG_B)));
    // And she may leave that one too, then be invited back.
    l.remove_member(account(MARY), t + secs(3))?;
    let back = l.invite(
        account(BILL),
        invite_to(MARY),
        &mut ids(&[nth(2)]),
        t + secs(4),
    )?;
    l.accept(account(MARY), back.handshake.id(), t + secs(5))?;
    let members = l.organization(&org(ORG_A)).ok_or("org A")?.members.to_vec();
    assert_eq!(members, vec![account(MIKE), account(MARY)]);
    Ok(())
}

#[test]
fn removing_a_member_is_refused_for_every_mistake() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.remove_member(account(MIKE), t)?;
    let before = snapshot(&l);
    let cases: [(&str, DateTime<Utc>, LedgerError); 5] = [
        (
            GHOST,
            t,
            LedgerError::UnknownAccount {
                account: account(GHOST),
            },
        ),
        (
            JUAN,
            t,
            LedgerError::NotAMember {
                account: account(JUAN),
            },
        ),
        (
            MIKE,
            t,
            LedgerError::NotAMember {
                account: account(MIKE),
            },
        ),
        (
            BILL,
            t,
            LedgerError::ManagementAccountCannotLeave {
                account: account(BILL),
                organization: org(ORG_A),
            },
        ),
        (
            MARY,
            t - secs(1),
            LedgerError::TimeWentBackwards {
                now: t - secs(1),
                clock: t,
            },
        ),
    ];
    for (who, at, expected) in cases {
        assert_eq!(l.remove_member(account(who), at), Err(expected));
        assert_eq!(snapshot(&l), before);
    }
    Ok(())
}

// ---- the property ----

const POOL: [&str; 10] = [
    BILL,
    MARY,
    MIKE,
    BOB,
    BEN,
    JUAN,
    JANE,
    GHOST,
    "888888888888",
    "123456789012",
];
const NAMES: [&str; 5] = ["bill", "mary", "ana", "zoe", "juan"];
const EMAILS: [&str; 4] = [
    "mary@example.com",
    "ana@example.com",
    "zoe@example.com",
    "juan@example.com",
];
const ORGS: [&str; 4] = [ORG_A, ORG_B, "o-cccccccccc", "o-dddddddddd"];

#[derive(Debug, Clone)]
enum Step {
    AddAccount(usize, usize, Option<usize>),
    AddOrganization(usize, usize, bool),
    RemoveMember(usize),
    Invite(usize, usize),
    Accept(usize, usize),
}

fn arb_step() -> impl Strategy<Value = Step> {
    let who = 0..POOL.len();
    prop_oneof![
        (
            who.clone(),
            0..NAMES.len(),
            prop::option::of(0..EMAILS.len())
        )
            .prop_map(|(a, n, e)| Step::AddAccount(a, n, e)),
        (0..ORGS.len(), who.clone(), any::<bool>())
            .prop_map(|(o, a, all)| Step::AddOrganization(o, a, all)),
        who.clone().prop_map(Step::RemoveMember),
        (who.clone(), who.clone()).prop_map(|(c, t)| Step::Invite(c, t)),
        (who, any::<usize>()).prop_map(|(c, p)| Step::Accept(c, p)),
    ]
}

/// Every organization's members are exactly the accounts whose membership names it, and its
/// management account manages it.
fn memberships_agree(l: &Ledger) -> Result<(), TestCaseError> {
    for id in ORGS {
        let Some(view) = l.organization(&org(id)) else {
            continue;
        };
        prop_assert_eq!(
            l.membership(&view.management_account),
            Membership::Management(org(id))
        );
        for member in view.members {
            prop_assert_eq!(l.membership(member), Membership::Member(org(id)));
        }
        let claimed = POOL
            .iter()
            .filter(|a| l.membership(&account(a)) == Membership::Member(org(id)))
            .count();
        prop_assert_eq!(claimed, view.members.len());
    }
    prop_assert!(l.indexes_are_consistent());
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/ledger_world_changes.txt"
        )))),
        ..Config::default()
    })]

    /// Any sequence of world changes and invitations: each refusal is typed and leaves the
    /// ledger's JSON byte-identical; each success returns one event at `now`; memberships and
    /// member lists always agree.
    #[test]
    fn world_changes_refuse_without_a_trace(
        steps in prop::collection::vec((arb_step(), -2i64..30), 1..40),
        seed in any::<u64>(),
    ) {
        let mut l = Ledger::new(Profile::AWS, &world()).unwrap();
        let mut source = SeededIds::new(seed);
        let mut created: Vec<HandshakeId> = Vec::new();
        let mut now = epoch();
        for (step, dt) in steps {
            let at = now + TimeDelta::seconds(dt);
            let who = |i: usize| -> AccountId { account(POOL[i]) };
            let before = serde_json::to_string(&l).unwrap();
            let world_change = !matches!(step, Step::Invite(..) | Step::Accept(..));
            let result = match step {
                Step::AddAccount(a, n, e) => l.add_account(
                    AccountSpec {
                        id: who(a),
                        name: NAMES[n].parse().unwrap(),
                        email: e.map(|e| EMAILS[e].parse().unwrap()),
                    },
                    at,
                ),
                Step::AddOrganization(o, a, all) => l.add_organization(
                    org(ORGS[o]),
                    who(a),
                    all.then_some(FeatureSet::All),
                    at,
                ),
                Step::RemoveMember(a) => l.remove_member(who(a), at),
                Step::Invite(c, t) => l
                    .invite(who(c), invite_to(POOL[t]), &mut source, at)
                    .map(|changed| {
                        created.push(changed.handshake.id());
                        changed.events
                    }),
                Step::Accept(c, p) => match created.get(p % created.len().max(1)) {
                    Some(id) => l.accept(who(c), *id, at).map(|changed| changed.events),
                    None => continue,
                },
            };
            match result {
                Ok(events) => {
                    now = now.max(at);
                    prop_assert!(!events.is_empty());
                    prop_assert!(events.iter().all(|e| e.at() == at));
                    if world_change {
                        prop_assert_eq!(events.len(), 1);
                    }
                }
                Err(err) => {
                    prop_assert!(!err.code().is_empty());
                    prop_assert_eq!(serde_json::to_string(&l).unwrap(), before, "{} left a trace", err);
                }
            }
            memberships_agree(&l)?;
        }
    }
}

/// The API takes serde types (a `World`, a saved `Ledger`): a user names serde's traits through
/// the crate, in the version the crate was built with.
#[test]
fn serde_is_reexported_for_the_types_the_api_takes() -> Result<(), Error> {
    fn read<T: org_handshake::serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
        serde_json::from_str(text)
    }
    let world: org_handshake::ledger::World = read(r#"{"organizations": []}"#)?;
    assert!(world.organizations.is_empty());
    Ok(())
}
