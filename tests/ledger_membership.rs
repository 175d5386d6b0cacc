//! Membership in the ledger: create, describe and delete an organization; list, describe and
//! remove its accounts; leave. Each rule of docs/design.md "Membership" has a test here, and
//! every refusal is checked to change nothing (the ledger serializes identically).
//!
//! | property | test | cases |
//! |---|---|---|
//! | any membership call refused leaves the ledger's JSON byte-identical and draws no id | `refusals_change_nothing` | 512 |
//! | account pages of any size concatenate to the whole listing, management account first | `account_pages_concatenate_to_the_listing` | 256 |

mod common;

use chrono::{DateTime, Utc};
use common::ledger::*;
use org_handshake::ledger::{Ledger, LedgerError, PageRequest, World};
use org_handshake::{
    AccountId, Action, ErrorKind, Event, FeatureSet, HandshakeState, IdList, JoinMethod,
    Membership, Profile,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

const NEW_ORG: &str = "o-newneworg1";

fn later(n: i64) -> DateTime<Utc> {
    epoch() + secs(n)
}

fn kind<T: std::fmt::Debug>(result: Result<T, LedgerError>) -> ErrorKind {
    result.expect_err("a refusal").kind()
}

#[test]
fn a_standalone_account_creates_an_organization_and_manages_it() -> Result<(), Error> {
    let mut l = ledger();
    let mut ids = IdList::new(&[NEW_ORG]);
    let created =
        l.create_organization(account(JUAN), Some(FeatureSet::All), &mut ids, later(5))?;
    assert_eq!(created.organization.id, org(NEW_ORG));
    assert_eq!(created.organization.management_account, account(JUAN));
    assert_eq!(
        created.organization.management_account_name.as_str(),
        "juan"
    );
    assert_eq!(created.organization.created_at, later(5));
    assert_eq!(
        created.events,
        vec![
            Event::OrganizationAdded {
                organization: org(NEW_ORG),
                management_account: account(JUAN),
                at: later(5)
            },
            Event::AccountJoinedOrganization {
                account: account(JUAN),
                organization: org(NEW_ORG),
                method: JoinMethod::Created,
                at: later(5)
            }
        ]
    );
    assert_eq!(
        l.membership(&account(JUAN)),
        Membership::Management(org(NEW_ORG))
    );
    let me = l.describe_account(account(JUAN), account(JUAN), later(6))?;
    assert_eq!(
        (me.join_method, me.joined_at),
        (JoinMethod::Created, later(5))
    );
    // It can invite at once.
    l.invite(
        account(JUAN),
        invite_to(JANE),
        &mut ids_of(&[nth(1)]),
        later(6),
    )?;
    Ok(())
}

fn ids_of(list: &[org_handshake::HandshakeId]) -> impl org_handshake::IdSource + '_ {
    ids(list)
}

#[test]
fn an_account_the_world_does_not_list_creates_under_its_id_as_name() -> Result<(), Error> {
    let mut l = ledger();
    let created =
        l.create_organization(account(GHOST), None, &mut IdList::new(&[NEW_ORG]), epoch())?;
    assert_eq!(created.organization.management_account_name.as_str(), GHOST);
    assert_eq!(created.organization.feature_set, None);
    Ok(())
}

#[test]
fn only_an_account_in_no_organization_creates_one() {
    let mut l = ledger();
    for who in [BILL, MARY] {
        let err = l
            .create_organization(account(who), None, &mut IdList::new(&[NEW_ORG]), epoch())
            .unwrap_err();
        assert_eq!(err.code(), "account_in_organization");
        assert_eq!(err.kind(), ErrorKind::AlreadyInOrganization);
    }
}

#[test]
fn an_organization_id_is_never_given_twice_nor_outside_the_profile_shape() -> Result<(), Error> {
    let mut l = ledger();
    // A live organization's id, then a deleted one's.
    let err = l
        .create_organization(account(JUAN), None, &mut IdList::new(&[ORG_A]), epoch())
        .unwrap_err();
    assert_eq!(err.code(), "organization_id_in_use");
    l.create_organization(account(JUAN), None, &mut IdList::new(&[NEW_ORG]), epoch())?;
    l.delete_organization(account(JUAN), epoch())?;
    let err = l
        .create_organization(account(JANE), None, &mut IdList::new(&[NEW_ORG]), epoch())
        .unwrap_err();
    assert_eq!(err.code(), "organization_id_in_use");
    // Alibaba's shape is not AWS's.
    let err = l
        .create_organization(
            account(JANE),
            None,
            &mut IdList::new(&["rd-3G6rzX"]),
            epoch(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_new_id");
    let err = l
        .create_organization(account(JANE), None, &mut IdList::new(&[]), epoch())
        .unwrap_err();
    assert_eq!(err.code(), "id_source_exhausted");
    Ok(())
}

#[test]
fn any_account_of_an_organization_describes_it_others_get_not_in_use() -> Result<(), Error> {
    let l = ledger();
    let by_bill = l.describe_organization(account(BILL), epoch())?;
    let by_mary = l.describe_organization(account(MARY), epoch())?;
    assert_eq!(by_bill, by_mary);
    assert_eq!(by_bill.id, org(ORG_A));
    assert_eq!(by_bill.feature_set, Some(FeatureSet::ConsolidatedBilling));
    assert_eq!(
        by_bill
            .management_account_email
            .as_ref()
            .map(|e| e.as_str()),
        Some("bill@example.com")
    );
    assert_eq!(
        kind(l.describe_organization(account(JUAN), epoch())),
        ErrorKind::NotInOrganization
    );
    Ok(())
}

#[test]
fn world_members_joined_at_their_time_else_at_creation() -> Result<(), Error> {
    let created: DateTime<Utc> = "2025-03-01T00:00:00Z".parse()?;
    let joined: DateTime<Utc> = "2025-04-01T12:00:00Z".parse()?;
    let world: World = serde_json::from_value(serde_json::json!({
        "organizations": [
            { "id": ORG_A, "management_account": { "id": BILL, "name": "bill" },
              "members": [MARY, MIKE], "created_at": created, "joined_at": { MIKE: joined } },
            { "id": ORG_B, "management_account": { "id": BOB, "name": "bob" }, "members": [BEN] }
        ]
    }))?;
    let l = Ledger::new(Profile::AWS, &world)?;
    let page = l.list_accounts(account(BILL), &PageRequest::first(20), epoch())?;
    let seen: Vec<_> = page
        .accounts
        .iter()
        .map(|a| (a.id.to_string(), a.join_method, a.joined_at))
        .collect();
    assert_eq!(
        seen,
        vec![
            (BILL.to_owned(), JoinMethod::Created, created),
            (MARY.to_owned(), JoinMethod::Invited, created),
            (MIKE.to_owned(), JoinMethod::Invited, joined),
        ]
    );
    // Without `created_at`, the fixed default.
    let ben = l.describe_account(account(BOB), account(BEN), epoch())?;
    assert_eq!(ben.joined_at, org_handshake::ledger::DEFAULT_CREATED_AT);
    // A joined time for an account that is no member is refused.
    let bad: World = serde_json::from_value(serde_json::json!({
        "organizations": [{ "id": ORG_A, "management_account": { "id": BILL, "name": "bill" },
            "joined_at": { JUAN: joined } }]
    }))?;
    assert_eq!(
        Ledger::new(Profile::AWS, &bad).unwrap_err().code(),
        "joined_at_for_non_member"
    );
    Ok(())
}

#[test]
fn an_accepted_invitation_joins_at_the_accept_time_and_lists_last() -> Result<(), Error> {
    let mut l = ledger();
    let sent = l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), epoch())?;
    l.accept(account(JUAN), sent.handshake.id(), later(60))?;
    let juan = l.describe_account(account(BILL), account(JUAN), later(61))?;
    assert_eq!(
        (juan.join_method, juan.joined_at),
        (JoinMethod::Invited, later(60))
    );
    assert_eq!(
        juan.email.as_ref().map(|e| e.as_str()),
        Some("juan@example.com")
    );
    let page = l.list_accounts(account(BILL), &PageRequest::first(20), later(61))?;
    let order: Vec<String> = page.accounts.iter().map(|a| a.id.to_string()).collect();
    assert_eq!(order, [BILL, MARY, MIKE, JUAN]);
    Ok(())
}

#[test]
fn only_the_management_account_lists_and_describes_accounts() -> Result<(), Error> {
    let l = ledger();
    let page = PageRequest::first(20);
    assert_eq!(
        kind(l.list_accounts(account(MARY), &page, epoch())),
        ErrorKind::AccessDenied
    );
    assert_eq!(
        kind(l.list_accounts(account(JUAN), &page, epoch())),
        ErrorKind::NotInOrganization
    );
    assert_eq!(
        kind(l.describe_account(account(MARY), account(MIKE), epoch())),
        ErrorKind::AccessDenied
    );
    // An account of another organization, or of none, is not found.
    for other in [BEN, BOB, JUAN, GHOST] {
        assert_eq!(
            kind(l.describe_account(account(BILL), account(other), epoch())),
            ErrorKind::AccountNotFound,
            "{other}"
        );
    }
    let bill = l.describe_account(account(BILL), account(BILL), epoch())?;
    assert_eq!(bill.join_method, JoinMethod::Created);
    Ok(())
}

#[test]
fn numbered_pages_count_every_account() -> Result<(), Error> {
    let l = ledger();
    let page = l.list_accounts(
        account(BILL),
        &PageRequest::Number { number: 2, size: 2 },
        epoch(),
    )?;
    assert_eq!(page.total_count, Some(3));
    assert_eq!(page.accounts.len(), 1);
    assert_eq!(page.accounts[0].id, account(MIKE));
    let past = l.list_accounts(
        account(BILL),
        &PageRequest::Number { number: 3, size: 2 },
        epoch(),
    )?;
    assert!(past.accounts.is_empty());
    Ok(())
}

#[test]
fn a_token_from_another_listing_or_edited_is_invalid_input() -> Result<(), Error> {
    let l = ledger();
    let first = l.list_accounts(account(BILL), &PageRequest::first(1), epoch())?;
    let token = first.next_token.ok_or("a second page")?;
    // Organization B's listing did not issue it.
    let err = l
        .list_accounts(account(BOB), &PageRequest::after(1, token.clone()), epoch())
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let mut edited = token.into_bytes();
    edited[0] = if edited[0] == b'3' { b'4' } else { b'3' };
    let edited = String::from_utf8(edited)?;
    let err = l
        .list_accounts(account(BILL), &PageRequest::after(1, edited), epoch())
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    // A handshake listing's token is not an account listing's.
    let err = l
        .list_accounts(
            account(BILL),
            &PageRequest::after(1, "not a token"),
            epoch(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    Ok(())
}

#[test]
fn a_member_leaves_and_stands_alone_the_management_account_cannot() -> Result<(), Error> {
    let mut l = ledger();
    let left = l.leave_organization(account(MARY), later(1))?;
    assert_eq!(
        left.events,
        vec![Event::AccountLeftOrganization {
            account: account(MARY),
            organization: org(ORG_A),
            at: later(1)
        }]
    );
    assert_eq!(l.membership(&account(MARY)), Membership::Standalone);
    assert_eq!(
        l.organization(&org(ORG_A)).map(|o| o.members.to_vec()),
        Some(vec![account(MIKE)])
    );
    assert_eq!(
        kind(l.leave_organization(account(MARY), later(2))),
        ErrorKind::NotInOrganization
    );
    assert_eq!(
        kind(l.leave_organization(account(BILL), later(2))),
        ErrorKind::ManagementAccountCannotLeave
    );
    Ok(())
}

#[test]
fn the_management_account_removes_a_member_not_itself_nor_a_stranger() -> Result<(), Error> {
    let mut l = ledger();
    assert_eq!(
        kind(l.remove_account(account(BILL), account(BILL), epoch())),
        ErrorKind::ManagementAccountCannotLeave
    );
    assert_eq!(
        kind(l.remove_account(account(BILL), account(BEN), epoch())),
        ErrorKind::AccountNotFound
    );
    assert_eq!(
        kind(l.remove_account(account(MARY), account(MIKE), epoch())),
        ErrorKind::AccessDenied
    );
    let removed = l.remove_account(account(BILL), account(MIKE), later(3))?;
    assert_eq!(
        removed.events,
        vec![Event::AccountRemovedFromOrganization {
            account: account(MIKE),
            organization: org(ORG_A),
            by: account(BILL),
            at: later(3)
        }]
    );
    assert_eq!(l.membership(&account(MIKE)), Membership::Standalone);
    assert_eq!(
        kind(l.describe_account(account(BILL), account(MIKE), later(3))),
        ErrorKind::AccountNotFound
    );
    Ok(())
}

#[test]
fn an_account_that_left_accepts_an_invitation_it_still_holds() -> Result<(), Error> {
    let mut l = ledger();
    // Bob invites Mary while she is in Bill's organization; she leaves, then accepts.
    let sent = l.invite(account(BOB), invite_to(MARY), &mut ids(&[nth(1)]), epoch())?;
    assert_eq!(
        kind(l.accept(account(MARY), sent.handshake.id(), later(1))),
        ErrorKind::AlreadyInOrganization
    );
    l.leave_organization(account(MARY), later(2))?;
    l.accept(account(MARY), sent.handshake.id(), later(3))?;
    assert_eq!(l.membership(&account(MARY)), Membership::Member(org(ORG_B)));
    let mary = l.describe_account(account(BOB), account(MARY), later(3))?;
    assert_eq!(mary.joined_at, later(3));
    Ok(())
}

#[test]
fn a_removed_account_can_create_its_own_organization() -> Result<(), Error> {
    let mut l = ledger();
    l.remove_account(account(BOB), account(BEN), epoch())?;
    l.create_organization(account(BEN), None, &mut IdList::new(&[NEW_ORG]), later(1))?;
    assert_eq!(
        l.membership(&account(BEN)),
        Membership::Management(org(NEW_ORG))
    );
    Ok(())
}

#[test]
fn delete_needs_no_members_and_cancels_the_pending_handshakes() -> Result<(), Error> {
    let mut l = ledger();
    assert_eq!(
        kind(l.delete_organization(account(BOB), epoch())),
        ErrorKind::OrganizationNotEmpty
    );
    assert_eq!(
        kind(l.delete_organization(account(BEN), epoch())),
        ErrorKind::AccessDenied
    );
    assert_eq!(
        kind(l.delete_organization(account(JUAN), epoch())),
        ErrorKind::NotInOrganization
    );
    let open = l.invite(account(BOB), invite_to(JUAN), &mut ids(&[nth(1)]), epoch())?;
    let declined = l.invite(account(BOB), invite_to(JANE), &mut ids(&[nth(2)]), epoch())?;
    l.decline(account(JANE), declined.handshake.id(), later(1))?;
    l.remove_account(account(BOB), account(BEN), later(2))?;

    let deleted = l.delete_organization(account(BOB), later(3))?;
    assert_eq!(deleted.organization.id, org(ORG_B));
    assert_eq!(
        deleted.events,
        vec![
            Event::HandshakeCanceled {
                handshake: open.handshake.id(),
                action: Action::Invite,
                by: None,
                at: later(3)
            },
            Event::OrganizationDeleted {
                organization: org(ORG_B),
                management_account: account(BOB),
                at: later(3)
            }
        ]
    );
    assert_eq!(l.membership(&account(BOB)), Membership::Standalone);
    assert!(l.organization(&org(ORG_B)).is_none());
    // The recipient still sees the invitation, canceled; it cannot accept it.
    let seen = l.describe(account(JUAN), open.handshake.id(), later(4))?;
    assert_eq!(seen.state(), HandshakeState::Canceled);
    assert_eq!(
        kind(l.accept(account(JUAN), open.handshake.id(), later(4))),
        ErrorKind::InvalidTransition
    );
    // The declined one stays declined.
    let seen = l.describe(account(JANE), declined.handshake.id(), later(4))?;
    assert_eq!(seen.state(), HandshakeState::Declined);
    // Bob is standalone: he can join another organization, or create a new one.
    let again = l.invite(account(BILL), invite_to(BOB), &mut ids(&[nth(3)]), later(5))?;
    l.accept(account(BOB), again.handshake.id(), later(6))?;
    assert_eq!(l.membership(&account(BOB)), Membership::Member(org(ORG_A)));
    Ok(())
}

#[test]
fn a_deleted_organization_survives_save_and_restore() -> Result<(), Error> {
    let mut l = ledger();
    l.invite(account(BOB), invite_to(JUAN), &mut ids(&[nth(1)]), epoch())?;
    l.remove_account(account(BOB), account(BEN), later(1))?;
    l.delete_organization(account(BOB), later(2))?;
    let sent = l.invite(
        account(BILL),
        invite_to(JUAN),
        &mut ids(&[nth(2)]),
        later(3),
    )?;
    l.accept(account(JUAN), sent.handshake.id(), later(4))?;
    let saved = serde_json::to_string(&l)?;
    let restored: Ledger = serde_json::from_str(&saved)?;
    assert_eq!(restored, l);
    assert_eq!(serde_json::to_string(&restored)?, saved);
    let juan = restored.describe_account(account(BILL), account(JUAN), later(5))?;
    assert_eq!(juan.joined_at, later(4));
    assert_eq!(
        kind(restored.describe_organization(account(BOB), later(5))),
        ErrorKind::NotInOrganization
    );
    Ok(())
}

#[test]
fn a_snapshot_with_an_account_in_a_deleted_organization_is_refused() -> Result<(), Error> {
    let mut l = ledger();
    l.remove_account(account(BOB), account(BEN), epoch())?;
    l.delete_organization(account(BOB), epoch())?;
    let mut snapshot = serde_json::to_value(&l)?;
    snapshot["accounts"][BOB]["organization"] = serde_json::json!(ORG_B);
    let err = serde_json::from_value::<Ledger>(snapshot).unwrap_err();
    assert!(err.to_string().contains("which was deleted"), "{err}");
    Ok(())
}

/// Bill's organization with two members enabling all features.
fn enabling() -> Result<(Ledger, Vec<org_handshake::HandshakeId>), Error> {
    let mut l = ledger();
    let list = [nth(10), nth(11), nth(12)];
    l.enable_all_features(account(BILL), &mut ids(&list), epoch())?;
    Ok((l, list.to_vec()))
}

#[test]
fn a_member_leaving_mid_flow_has_its_approval_canceled_and_the_parent_opens() -> Result<(), Error> {
    let (mut l, list) = enabling()?;
    let (parent, mary_child, mike_child) = (list[0], list[1], list[2]);
    l.accept(account(MARY), mary_child, later(1))?;
    assert_eq!(
        l.describe(account(BILL), parent, later(1))?.state(),
        HandshakeState::Requested
    );
    // Mike leaves without approving: his child is canceled; Mary, the one member left, has
    // approved, so the parent opens.
    let left = l.leave_organization(account(MIKE), later(2))?;
    let kinds: Vec<_> = left
        .events
        .iter()
        .map(|e| serde_json::to_value(e).map(|v| v["event"].clone()))
        .collect::<Result<_, _>>()?;
    assert_eq!(
        kinds,
        [
            "account_left_organization",
            "handshake_canceled",
            "handshake_opened"
        ]
    );
    let states: Vec<_> = left
        .handshakes
        .iter()
        .map(|h| (h.id(), h.state()))
        .collect();
    assert_eq!(
        states,
        vec![
            (mike_child, HandshakeState::Canceled),
            (parent, HandshakeState::Open)
        ]
    );
    l.accept(account(BILL), parent, later(3))?;
    assert_eq!(
        l.organization(&org(ORG_A)).and_then(|o| o.feature_set),
        Some(FeatureSet::All)
    );
    Ok(())
}

#[test]
fn after_a_member_left_the_last_approval_opens_the_parent() -> Result<(), Error> {
    let (mut l, list) = enabling()?;
    let (parent, mary_child) = (list[0], list[1]);
    l.remove_account(account(BILL), account(MIKE), later(1))?;
    assert_eq!(
        l.describe(account(BILL), parent, later(1))?.state(),
        HandshakeState::Requested
    );
    let approved = l.accept(account(MARY), mary_child, later(2))?;
    assert_eq!(
        approved.related.first().map(|h| h.state()),
        Some(HandshakeState::Open)
    );
    Ok(())
}

#[test]
fn a_member_who_approved_then_left_leaves_its_approval_alone() -> Result<(), Error> {
    let (mut l, list) = enabling()?;
    let (parent, mary_child) = (list[0], list[1]);
    l.accept(account(MARY), mary_child, later(1))?;
    let left = l.leave_organization(account(MARY), later(2))?;
    assert!(left.handshakes.is_empty());
    assert_eq!(
        l.describe(account(MARY), mary_child, later(2))?.state(),
        HandshakeState::Accepted
    );
    // Mike has not approved: the parent still waits.
    assert_eq!(
        l.describe(account(BILL), parent, later(2))?.state(),
        HandshakeState::Requested
    );
    Ok(())
}

#[test]
fn leave_then_an_accepted_invitation_puts_the_account_in_exactly_the_inviting_organization(
) -> Result<(), Error> {
    let mut l = ledger();
    l.leave_organization(account(BEN), epoch())?;
    let sent = l.invite(account(BILL), invite_to(BEN), &mut ids(&[nth(1)]), later(1))?;
    l.accept(account(BEN), sent.handshake.id(), later(2))?;
    assert_eq!(l.membership(&account(BEN)), Membership::Member(org(ORG_A)));
    let in_a = l.list_accounts(account(BILL), &PageRequest::first(20), later(2))?;
    let in_b = l.list_accounts(account(BOB), &PageRequest::first(20), later(2))?;
    assert!(in_a.accounts.iter().any(|a| a.id == account(BEN)));
    assert!(!in_b.accounts.iter().any(|a| a.id == account(BEN)));
    Ok(())
}

#[test]
fn every_membership_call_keeps_to_the_clock() -> Result<(), Error> {
    let mut l = ledger();
    l.invite(
        account(BILL),
        invite_to(JUAN),
        &mut ids(&[nth(1)]),
        later(10),
    )?;
    let early = later(5);
    let backwards = ErrorKind::ConcurrentModification;
    assert_eq!(
        kind(l.create_organization(account(JANE), None, &mut IdList::new(&[NEW_ORG]), early)),
        backwards
    );
    assert_eq!(
        kind(l.describe_organization(account(MARY), early)),
        backwards
    );
    assert_eq!(
        kind(l.list_accounts(account(BILL), &PageRequest::first(5), early)),
        backwards
    );
    assert_eq!(
        kind(l.describe_account(account(BILL), account(MARY), early)),
        backwards
    );
    assert_eq!(kind(l.leave_organization(account(MARY), early)), backwards);
    assert_eq!(
        kind(l.remove_account(account(BILL), account(MARY), early)),
        backwards
    );
    l.remove_account(account(BOB), account(BEN), later(10))?;
    assert_eq!(kind(l.delete_organization(account(BOB), early)), backwards);
    Ok(())
}

/// One membership call of the property below.
#[derive(Debug, Clone)]
enum Call {
    Create(usize),
    Describe(usize),
    Delete(usize),
    List(usize, usize),
    DescribeAccount(usize, usize),
    Leave(usize),
    Remove(usize, usize),
    Invite(usize, usize),
    Accept(usize),
}

const WHO: [&str; 8] = [BILL, MARY, MIKE, BOB, BEN, JUAN, JANE, GHOST];

fn call() -> impl Strategy<Value = Call> {
    let who = 0..WHO.len();
    prop_oneof![
        who.clone().prop_map(Call::Create),
        who.clone().prop_map(Call::Describe),
        who.clone().prop_map(Call::Delete),
        (who.clone(), 0..4usize).prop_map(|(a, s)| Call::List(a, s)),
        (who.clone(), who.clone()).prop_map(|(a, b)| Call::DescribeAccount(a, b)),
        who.clone().prop_map(Call::Leave),
        (who.clone(), who.clone()).prop_map(|(a, b)| Call::Remove(a, b)),
        (who.clone(), who.clone()).prop_map(|(a, b)| Call::Invite(a, b)),
        who.prop_map(Call::Accept),
    ]
}

/// Every account is in at most one organization, listed by it, and every organization's
/// management account is its member.
fn check_memberships(l: &Ledger, now: DateTime<Utc>) {
    let mut seen: Vec<AccountId> = Vec::new();
    for who in WHO {
        let id = account(who);
        match l.membership(&id) {
            Membership::Standalone => {}
            Membership::Management(o) | Membership::Member(o) => {
                let view = l.organization(&o).expect("the organization exists");
                let listed = view.management_account == id || view.members.contains(&id);
                assert!(listed, "{who} is not listed by {o}");
                let manager = view.management_account;
                let page = l
                    .list_accounts(manager, &PageRequest::first(20), now)
                    .unwrap();
                assert_eq!(page.accounts[0].id, manager);
                assert_eq!(page.accounts[0].join_method, JoinMethod::Created);
                assert!(page.accounts.iter().filter(|a| a.id == id).count() == 1);
                seen.push(id);
            }
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
}

proptest! {
    #![proptest_config(Config {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    })]

    #[test]
    fn refusals_change_nothing(calls in prop::collection::vec(call(), 1..24)) {
        let mut l = ledger();
        let mut received: Vec<(usize, org_handshake::HandshakeId)> = Vec::new();
        for (step, c) in calls.into_iter().enumerate() {
            let now = later(step as i64);
            let before = serde_json::to_string(&l).unwrap();
            let org_id = format!("o-{step:010}");
            let org_ids = [org_id.as_str()];
            let mut org_source = IdList::new(&org_ids);
            let handshake = nth(step);
            let refused = match c {
                Call::Create(a) => l.create_organization(account(WHO[a]), None, &mut org_source, now).err(),
                Call::Describe(a) => l.describe_organization(account(WHO[a]), now).err(),
                Call::Delete(a) => l.delete_organization(account(WHO[a]), now).err(),
                Call::List(a, s) => l.list_accounts(account(WHO[a]), &PageRequest::first(s), now).err(),
                Call::DescribeAccount(a, b) => l.describe_account(account(WHO[a]), account(WHO[b]), now).err(),
                Call::Leave(a) => l.leave_organization(account(WHO[a]), now).err(),
                Call::Remove(a, b) => l.remove_account(account(WHO[a]), account(WHO[b]), now).err(),
                Call::Invite(a, b) => {
                    let r = l.invite(account(WHO[a]), invite_to(WHO[b]), &mut ids(&[handshake]), now);
                    if r.is_ok() { received.push((b, handshake)); }
                    r.err()
                }
                Call::Accept(a) => match received.iter().find(|(b, _)| *b == a) {
                    Some((_, h)) => l.accept(account(WHO[a]), *h, now).err(),
                    None => None,
                },
            };
            if let Some(err) = refused {
                prop_assert_eq!(&serde_json::to_string(&l).unwrap(), &before, "{} changed the ledger", err);
                if matches!(c, Call::Create(_)) {
                    prop_assert_eq!(org_source.drawn(), 0, "a refused create drew an id");
                }
            }
            check_memberships(&l, now);
            prop_assert!(l.indexes_are_consistent());
        }
    }

    #[test]
    fn account_pages_concatenate_to_the_listing(size in 1usize..5, leavers in prop::collection::vec(0usize..3, 0..3)) {
        let mut l = ledger();
        // Juan and Jane join; some members leave; Bill pages through what remains.
        let mut sent = Vec::new();
        for (i, who) in [JUAN, JANE].iter().enumerate() {
            let s = l.invite(account(BILL), invite_to(who), &mut ids(&[nth(i)]), later(i as i64)).unwrap();
            sent.push((who, s.handshake.id()));
        }
        for (i, (who, id)) in sent.into_iter().enumerate() {
            l.accept(account(who), id, later(10 + i as i64)).unwrap();
        }
        for leaver in leavers {
            let _ = l.leave_organization(account([MARY, MIKE, JUAN][leaver]), later(20));
        }
        let whole = l.list_accounts(account(BILL), &PageRequest::first(100), later(30)).unwrap();
        let mut paged = Vec::new();
        let mut request = PageRequest::first(size);
        loop {
            let page = l.list_accounts(account(BILL), &request, later(30)).unwrap();
            prop_assert!(page.accounts.len() <= size);
            paged.extend(page.accounts);
            match page.next_token {
                Some(token) => request = PageRequest::after(size, token),
                None => break,
            }
        }
        prop_assert_eq!(&paged, &whole.accounts);
        prop_assert_eq!(paged[0].id, account(BILL));
        let numbered: Vec<_> = (1..=whole.accounts.len().div_ceil(size))
            .flat_map(|n| l.list_accounts(account(BILL), &PageRequest::Number { number: n, size }, later(30)).unwrap().accounts)
            .collect();
        prop_assert_eq!(numbered, whole.accounts);
    }
}
