//! Scenario tests of the ledger, one rule each: who may invite, duplicates, the daily quota,
//! membership on accept, email and name targets, enable all features, expiry and retention,
//! listings and pagination, time, and the world's own rules.

mod common;

use common::ledger::*;
use org_handshake::ledger::{
    HandshakeFilter, InviteRequest, Ledger, LedgerError, PageRequest, Parameter, World,
};
use org_handshake::{
    Action, ErrorKind, Event, FeatureSet, HandshakeState, IdList, IdSource, IdSourceError,
    InputProblem, Membership, Party, Profile, SeededIds,
};

// ---- who may invite ----

#[test]
fn only_a_management_account_may_invite() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let member = l
        .invite(account(MARY), invite_to(JUAN), &mut ids(&[nth(1)]), t)
        .unwrap_err();
    assert_eq!(member.kind(), ErrorKind::AccessDenied);
    let standalone = l
        .invite(account(JUAN), invite_to(JANE), &mut ids(&[nth(1)]), t)
        .unwrap_err();
    assert_eq!(standalone.kind(), ErrorKind::NotInOrganization);
    let ghost = l
        .invite(account(GHOST), invite_to(JANE), &mut ids(&[nth(1)]), t)
        .unwrap_err();
    assert_eq!(ghost.kind(), ErrorKind::NotInOrganization);
    let sent = l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    assert_eq!(sent.handshake.state(), HandshakeState::Open);
    assert_eq!(sent.handshake.expires_at(), t + days(15));
    assert_eq!(sent.handshake.sender().id, org(ORG_A));
    Ok(())
}

#[test]
fn an_organization_cannot_be_invited_and_the_form_is_checked_before_the_role() {
    let mut l = ledger();
    let request = InviteRequest::new(Party::Organization(org(ORG_B)));
    // Even a member (access denied otherwise) gets the input error first.
    let err = l
        .invite(account(MARY), request, &mut ids(&[nth(1)]), epoch())
        .unwrap_err();
    assert_eq!(
        err.input(),
        Some((Parameter::Target, InputProblem::InvalidTargetType))
    );
    let err = l
        .invite(
            account(BILL),
            invite_to(JUAN),
            &mut ids(&[hid("h-UPPERCASE1")]),
            epoch(),
        )
        .unwrap_err();
    assert_eq!(
        err.input(),
        Some((Parameter::NewIds, InputProblem::InvalidPattern))
    );
}

#[test]
fn inviting_an_account_of_ones_own_organization_is_refused_at_once() {
    let mut l = ledger();
    let member = l
        .invite(account(BILL), invite_to(MARY), &mut ids(&[nth(1)]), epoch())
        .unwrap_err();
    assert_eq!(member.kind(), ErrorKind::AlreadyInOrganization);
    assert!(matches!(
        member,
        LedgerError::RecipientAlreadyInOrganization {
            is_management_account: false,
            ..
        }
    ));
    let itself = l
        .invite(account(BILL), invite_to(BILL), &mut ids(&[nth(1)]), epoch())
        .unwrap_err();
    assert!(matches!(
        itself,
        LedgerError::RecipientAlreadyInOrganization {
            is_management_account: true,
            ..
        }
    ));
    // By email too.
    let by_email = InviteRequest::new(Party::Email("mary@example.com".parse().unwrap()));
    assert_eq!(
        l.invite(account(BILL), by_email, &mut ids(&[nth(1)]), epoch())
            .unwrap_err()
            .kind(),
        ErrorKind::AlreadyInOrganization
    );
}

#[test]
fn a_member_of_another_organization_is_invited_but_cannot_accept() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let to_ben = l
        .invite(account(BILL), invite_to(BEN), &mut ids(&[nth(1)]), t)?
        .handshake
        .id();
    let to_bob = l
        .invite(account(BILL), invite_to(BOB), &mut ids(&[nth(2)]), t)?
        .handshake
        .id();
    let before = snapshot(&l);
    let ben = l.accept(account(BEN), to_ben, t + secs(1)).unwrap_err();
    assert!(matches!(
        ben,
        LedgerError::Transition(org_handshake::TransitionError::AlreadyInOrganization {
            is_management_account: false,
            ..
        })
    ));
    let bob = l.accept(account(BOB), to_bob, t + secs(1)).unwrap_err();
    assert_eq!(
        org_handshake::Failure::from(bob).cause,
        org_handshake::Cause::ManagementAccountInOrganization
    );
    assert_eq!(snapshot(&l), before, "refusals change nothing");
    // Declining is still possible.
    assert_eq!(
        l.decline(account(BEN), to_ben, t + secs(2))?
            .handshake
            .state(),
        HandshakeState::Declined
    );
    Ok(())
}

#[test]
fn accepting_an_invitation_makes_the_account_a_member() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let id = l
        .invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?
        .handshake
        .id();
    let accepted = l.accept(account(JUAN), id, t + secs(5))?;
    assert!(accepted
        .events
        .iter()
        .any(|e| matches!(e, Event::AccountJoinedOrganization { .. })));
    assert_eq!(l.membership(&account(JUAN)), Membership::Member(org(ORG_A)));
    assert_eq!(
        l.organization(&org(ORG_A)).unwrap().members,
        &[account(MARY), account(MIKE), account(JUAN)]
    );
    // A second organization's invitation can no longer be accepted.
    let other = l
        .invite(
            account(BOB),
            invite_to(JUAN),
            &mut ids(&[nth(2)]),
            t + secs(6),
        )?
        .handshake
        .id();
    assert_eq!(
        l.accept(account(JUAN), other, t + secs(7))
            .unwrap_err()
            .kind(),
        ErrorKind::AlreadyInOrganization
    );
    // An account the world did not list can join too.
    let ghost = l
        .invite(
            account(BILL),
            invite_to(GHOST),
            &mut ids(&[nth(3)]),
            t + secs(8),
        )?
        .handshake
        .id();
    l.accept(account(GHOST), ghost, t + secs(9))?;
    assert_eq!(
        l.membership(&account(GHOST)),
        Membership::Member(org(ORG_A))
    );
    Ok(())
}

#[test]
fn the_sender_and_strangers_cannot_respond() -> Result<(), Error> {
    let mut l = ledger();
    let id = l
        .invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), epoch())?
        .handshake
        .id();
    assert_eq!(
        l.accept(account(BILL), id, epoch()).unwrap_err().kind(),
        ErrorKind::AccessDenied
    );
    assert_eq!(
        l.accept(account(JANE), id, epoch()).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        l.cancel(account(MARY), id, epoch()).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        l.cancel(account(JUAN), id, epoch()).unwrap_err().kind(),
        ErrorKind::AccessDenied
    );
    assert_eq!(
        l.accept(account(JUAN), nth(99), epoch())
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    Ok(())
}

// ---- duplicates ----

#[test]
fn a_pending_invitation_to_the_same_recipient_is_a_duplicate() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let first = l
        .invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?
        .handshake
        .id();
    let by_email = InviteRequest::new(Party::Email("juan@example.com".parse()?));
    let err = l
        .invite(account(BILL), by_email.clone(), &mut ids(&[nth(2)]), t)
        .unwrap_err();
    assert_eq!(
        err,
        LedgerError::DuplicateInvitation {
            organization: org(ORG_A),
            existing: first
        }
    );
    // Another organization may invite the same account.
    l.invite(account(BOB), invite_to(JUAN), &mut ids(&[nth(3)]), t)?;
    // Once the first is declined, a new invitation is no duplicate.
    l.decline(account(JUAN), first, t + secs(1))?;
    l.invite(account(BILL), by_email, &mut ids(&[nth(2)]), t + secs(2))?;
    Ok(())
}

#[test]
fn an_expired_invitation_is_no_duplicate_from_its_expiry_on() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    let just_before = l.invite(
        account(BILL),
        invite_to(JUAN),
        &mut ids(&[nth(2)]),
        t + days(15) - secs(1),
    );
    assert_eq!(
        just_before.unwrap_err().kind(),
        ErrorKind::DuplicateHandshake
    );
    l.invite(
        account(BILL),
        invite_to(JUAN),
        &mut ids(&[nth(2)]),
        t + days(15),
    )?;
    Ok(())
}

#[test]
fn unresolved_targets_are_duplicates_only_of_the_same_literal_target() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let nobody = Party::Email("nobody@example.com".parse()?);
    l.invite(
        account(BILL),
        InviteRequest::new(nobody.clone()),
        &mut ids(&[nth(1)]),
        t,
    )?;
    assert_eq!(
        l.invite(
            account(BILL),
            InviteRequest::new(nobody),
            &mut ids(&[nth(2)]),
            t
        )
        .unwrap_err()
        .kind(),
        ErrorKind::DuplicateHandshake
    );
    l.invite(
        account(BILL),
        InviteRequest::new(Party::Email("other@example.com".parse()?)),
        &mut ids(&[nth(2)]),
        t,
    )?;
    Ok(())
}

// ---- daily quota ----

#[test]
fn the_daily_quota_counts_the_last_24_hours_without_accepted_ones() -> Result<(), Error> {
    let world: World = serde_json::from_value(serde_json::json!({
        "organizations": [{ "id": ORG_A, "management_account": { "id": BILL, "name": "bill" } }]
    }))?;
    let mut l = Ledger::new(Profile::AWS, &world)?;
    let t = epoch();
    let target = |i: usize| account(&format!("5{i:011}"));
    for i in 0..20 {
        l.invite(
            account(BILL),
            org_handshake::ledger::InviteRequest::new(Party::Account(target(i))),
            &mut ids(&[nth(i)]),
            t,
        )?;
    }
    let before = snapshot(&l);
    let refused = l
        .invite(
            account(BILL),
            InviteRequest::new(Party::Account(target(20))),
            &mut ids(&[nth(20)]),
            t,
        )
        .unwrap_err();
    assert_eq!(
        refused,
        LedgerError::InvitationQuotaExceeded {
            organization: org(ORG_A),
            quota: 20
        }
    );
    assert_eq!(snapshot(&l), before);
    // One second before the window passes, still refused.
    let edge = t + TimeDelta::hours(24) - secs(1);
    assert_eq!(
        l.invite(
            account(BILL),
            InviteRequest::new(Party::Account(target(20))),
            &mut ids(&[nth(20)]),
            edge
        )
        .unwrap_err()
        .kind(),
        ErrorKind::InvitationQuotaExceeded
    );
    // Canceling does not give the attempt back; accepting does.
    l.cancel(account(BILL), nth(0), edge)?;
    assert_eq!(
        l.invite(
            account(BILL),
            InviteRequest::new(Party::Account(target(20))),
            &mut ids(&[nth(20)]),
            edge
        )
        .unwrap_err()
        .kind(),
        ErrorKind::InvitationQuotaExceeded
    );
    l.accept(target(1), nth(1), edge)?;
    l.invite(
        account(BILL),
        InviteRequest::new(Party::Account(target(20))),
        &mut ids(&[nth(20)]),
        edge,
    )?;
    // At exactly 24 hours the first twenty no longer count.
    let window = t + TimeDelta::hours(24);
    for i in 21..40 {
        l.invite(
            account(BILL),
            InviteRequest::new(Party::Account(target(i))),
            &mut ids(&[nth(i)]),
            window,
        )?;
    }
    // 19 at `window` + 1 at `edge` = 20: full again.
    assert_eq!(
        l.invite(
            account(BILL),
            InviteRequest::new(Party::Account(target(40))),
            &mut ids(&[nth(40)]),
            window
        )
        .unwrap_err()
        .kind(),
        ErrorKind::InvitationQuotaExceeded
    );
    Ok(())
}

use chrono::TimeDelta;

#[test]
fn providers_without_a_quota_have_none() -> Result<(), Error> {
    let world: World = serde_json::from_value(serde_json::json!({
        "organizations": [{ "id": "rd-abcdef", "management_account": { "id": BILL, "name": "bill" } }]
    }))?;
    let mut l = Ledger::new(Profile::ALIBABA, &world)?;
    for i in 0..30 {
        let id = format!("h-{i:016}").parse()?;
        l.invite(
            account(BILL),
            InviteRequest::new(Party::Account(account(&format!("5{i:011}")))),
            &mut ids(&[id]),
            epoch(),
        )?;
    }
    Ok(())
}

// ---- email and name targets ----

#[test]
fn email_and_name_targets_resolve_to_known_accounts() -> Result<(), Error> {
    let mut l = Ledger::new(Profile::HUAWEI, &world())?;
    let t = epoch();
    let by_name = l.invite(
        account(BILL),
        InviteRequest::new(Party::Name("juan".parse()?)),
        &mut ids(&[nth(1)]),
        t,
    )?;
    assert_eq!(
        by_name.handshake.recipient().account(),
        Some(&account(JUAN))
    );
    assert_eq!(by_name.handshake.expires_at(), t + days(14));
    let unknown = l.invite(
        account(BILL),
        InviteRequest::new(Party::Name("nobody".parse()?)),
        &mut ids(&[nth(2)]),
        t,
    )?;
    assert_eq!(unknown.handshake.recipient().account(), None);
    // Only the sender sees an unresolved invitation; nobody can accept it.
    for stranger in [JUAN, JANE, GHOST] {
        assert_eq!(
            l.accept(account(stranger), nth(2), t).unwrap_err().kind(),
            ErrorKind::NotFound
        );
    }
    assert!(l.describe(account(BILL), nth(2), t).is_ok());
    l.accept(account(JUAN), nth(1), t)?;
    Ok(())
}

// ---- enable all features ----

fn start_eaf(l: &mut Ledger, at: chrono::DateTime<chrono::Utc>) -> org_handshake::ledger::Changed {
    l.enable_all_features(
        account(BILL),
        &mut ids(&[
            hid("h-parent0001"),
            hid("h-childmary1"),
            hid("h-childmike1"),
        ]),
        at,
    )
    .unwrap()
}

#[test]
fn enable_all_features_creates_a_parent_and_one_child_per_member() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let pending = l
        .invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?
        .handshake
        .id();
    let started = start_eaf(&mut l, t + secs(1));
    let parent = &started.handshake;
    assert_eq!(
        (parent.action(), parent.state()),
        (Action::EnableAllFeatures, HandshakeState::Requested)
    );
    assert_eq!(parent.recipient().account(), Some(&account(BILL)));
    assert_eq!(parent.expires_at(), t + secs(1) + days(90));
    let children: Vec<_> = started
        .related
        .iter()
        .filter(|h| h.action() == Action::ApproveAllFeatures)
        .collect();
    assert_eq!(children.len(), 2);
    assert_eq!(children[0].recipient().account(), Some(&account(MARY)));
    assert_eq!(children[1].recipient().account(), Some(&account(MIKE)));
    assert!(children
        .iter()
        .all(|c| c.parent() == Some(parent.id()) && c.state() == HandshakeState::Open));
    // The pending invitation was canceled, and new ones are refused.
    assert_eq!(
        l.describe(account(BILL), pending, t + secs(1))?.state(),
        HandshakeState::Canceled
    );
    assert_eq!(
        l.invite(
            account(BILL),
            invite_to(JANE),
            &mut ids(&[nth(2)]),
            t + secs(2)
        )
        .unwrap_err()
        .kind(),
        ErrorKind::InvitesDisabledDuringEnableAllFeatures
    );
    // Starting again is refused.
    let again = l
        .enable_all_features(
            account(BILL),
            &mut ids(&[nth(7), nth(8), nth(9)]),
            t + secs(2),
        )
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::AllFeaturesAlreadyRequested);
    // Both children are listed under their parent; each member sees its own.
    let all = all_pages(
        &l,
        account(BILL),
        true,
        HandshakeFilter::parent(parent.id()),
        1,
        t + secs(2),
    )?;
    assert_eq!(all, vec![hid("h-childmary1"), hid("h-childmike1")]);
    let mine = all_pages(
        &l,
        account(MIKE),
        false,
        HandshakeFilter::parent(parent.id()),
        5,
        t + secs(2),
    )?;
    assert_eq!(mine, vec![hid("h-childmike1")]);
    // The parent is in the management account's for-account listing.
    let bills = all_pages(
        &l,
        account(BILL),
        false,
        HandshakeFilter::NONE,
        5,
        t + secs(2),
    )?;
    assert_eq!(bills, vec![parent.id()]);
    Ok(())
}

#[test]
fn the_parent_opens_when_the_last_child_is_accepted_and_finalizing_enables_all() -> Result<(), Error>
{
    let mut l = ledger();
    let t = epoch();
    start_eaf(&mut l, t);
    let parent = hid("h-parent0001");
    assert_eq!(
        l.accept(account(BILL), parent, t).unwrap_err().kind(),
        ErrorKind::InvalidTransition
    );
    assert_eq!(
        l.accept(account(MARY), parent, t).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let first = l.accept(account(MARY), hid("h-childmary1"), t + secs(1))?;
    assert!(first.related.is_empty());
    let last = l.accept(account(MIKE), hid("h-childmike1"), t + secs(2))?;
    assert_eq!(last.related.len(), 1);
    assert_eq!(last.related[0].state(), HandshakeState::Open);
    assert!(last
        .events
        .iter()
        .any(|e| matches!(e, Event::HandshakeOpened { .. })));
    l.accept(account(BILL), parent, t + secs(3))?;
    assert_eq!(
        l.organization(&org(ORG_A)).unwrap().feature_set,
        Some(FeatureSet::All)
    );
    let err = l
        .enable_all_features(
            account(BILL),
            &mut ids(&[nth(7), nth(8), nth(9)]),
            t + secs(4),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AllFeaturesAlreadyEnabled);
    // Invitations are possible again.
    l.invite(
        account(BILL),
        invite_to(JUAN),
        &mut ids(&[nth(1)]),
        t + secs(4),
    )?;
    Ok(())
}

#[test]
fn canceling_the_parent_cancels_its_open_children() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    start_eaf(&mut l, t);
    l.accept(account(MARY), hid("h-childmary1"), t + secs(1))?;
    let canceled = l.cancel(account(BILL), hid("h-parent0001"), t + secs(2))?;
    assert_eq!(canceled.related.len(), 1);
    assert_eq!(
        l.describe(account(MIKE), hid("h-childmike1"), t + secs(2))?
            .state(),
        HandshakeState::Canceled
    );
    assert_eq!(
        l.describe(account(MARY), hid("h-childmary1"), t + secs(2))?
            .state(),
        HandshakeState::Accepted
    );
    // It can be started again.
    l.enable_all_features(
        account(BILL),
        &mut ids(&[nth(1), nth(2), nth(3)]),
        t + secs(3),
    )?;
    Ok(())
}

#[test]
fn when_the_parent_expires_its_open_children_lapse_with_it() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    start_eaf(&mut l, t);
    l.decline(account(MARY), hid("h-childmary1"), t + secs(1))?;
    let expiry = t + days(90);
    let child = l.describe(account(MIKE), hid("h-childmike1"), expiry - secs(1))?;
    assert_eq!(child.state(), HandshakeState::Open);
    let child = l.describe(account(MIKE), hid("h-childmike1"), expiry)?;
    assert_eq!(
        (child.state(), child.state_entered_at()),
        (HandshakeState::Expired, expiry)
    );
    assert_eq!(
        l.describe(account(BILL), hid("h-parent0001"), expiry)?
            .state(),
        HandshakeState::Expired
    );
    // Invitations are possible again, and the flow can restart.
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), expiry)?;
    l.enable_all_features(account(BILL), &mut ids(&[nth(2), nth(3), nth(4)]), expiry)?;
    Ok(())
}

#[test]
fn with_no_members_the_parent_is_created_open() -> Result<(), Error> {
    let world: World = serde_json::from_value(serde_json::json!({
        "organizations": [{ "id": ORG_A, "management_account": { "id": BILL, "name": "bill" }, "feature_set": "CONSOLIDATED_BILLING" }]
    }))?;
    let mut l = Ledger::new(Profile::AWS, &world)?;
    let started = l.enable_all_features(account(BILL), &mut ids(&[nth(1)]), epoch())?;
    assert_eq!(started.handshake.state(), HandshakeState::Open);
    l.accept(account(BILL), nth(1), epoch())?;
    assert_eq!(
        l.organization(&org(ORG_A)).unwrap().feature_set,
        Some(FeatureSet::All)
    );
    Ok(())
}

#[test]
fn enable_all_features_refusals() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let before = snapshot(&l);
    let wrong_count = l
        .enable_all_features(account(BILL), &mut ids(&[nth(1)]), t)
        .unwrap_err();
    // The parent's id and the first child's were drawn, then the source ran out.
    assert_eq!(
        wrong_count,
        LedgerError::IdSource {
            needed: 3,
            source: IdSourceError::Exhausted { drawn: 1 }
        }
    );
    let repeated = l
        .enable_all_features(account(BILL), &mut ids(&[nth(1), nth(1), nth(2)]), t)
        .unwrap_err();
    assert_eq!(repeated, LedgerError::HandshakeIdInUse { id: nth(1) });
    assert!(repeated.to_string().contains("in use"), "{repeated}");
    // A refused call draws no id: these ask for none, and are refused for what they are.
    let mut none = IdList::new(&[]);
    assert_eq!(
        l.enable_all_features(account(MARY), &mut none, t)
            .unwrap_err()
            .kind(),
        ErrorKind::AccessDenied
    );
    assert_eq!(
        l.enable_all_features(account(JUAN), &mut none, t)
            .unwrap_err()
            .kind(),
        ErrorKind::NotInOrganization
    );
    assert_eq!(
        l.enable_all_features(account(BOB), &mut none, t)
            .unwrap_err()
            .kind(),
        ErrorKind::AllFeaturesAlreadyEnabled
    );
    assert_eq!(snapshot(&l), before);
    let mut alibaba = Ledger::new(Profile::ALIBABA, &world())?;
    assert_eq!(
        alibaba
            .enable_all_features(account(BILL), &mut none, t)
            .unwrap_err()
            .kind(),
        ErrorKind::Unsupported
    );
    assert_eq!(none.drawn(), 0);
    Ok(())
}

// ---- expiry and retention ----

#[test]
fn expiry_and_retention_boundaries() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    l.invite(account(BILL), invite_to(JANE), &mut ids(&[nth(2)]), t)?;
    let expiry = t + days(15);
    l.accept(account(JUAN), nth(1), expiry - secs(1))?;
    let late = l.accept(account(JANE), nth(2), expiry).unwrap_err();
    assert_eq!(late.kind(), ErrorKind::InvalidTransition);
    // Accepted one second before expiry: purged 30 days later. Expired: 30 days after expiry.
    let purge_1 = expiry - secs(1) + days(30);
    let purge_2 = expiry + days(30);
    assert!(l.describe(account(JUAN), nth(1), purge_1 - secs(1)).is_ok());
    assert_eq!(
        l.describe(account(JUAN), nth(1), purge_1)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let listed = all_pages(&l, account(BILL), true, HandshakeFilter::NONE, 20, purge_1)?;
    assert_eq!(listed, vec![nth(2)]);
    assert!(l.describe(account(JANE), nth(2), purge_2 - secs(1)).is_ok());
    assert!(all_pages(&l, account(BILL), true, HandshakeFilter::NONE, 20, purge_2)?.is_empty());
    // A purged handshake's id can be used again.
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), purge_2)
        .map(|_| ())
        .or_else(|e| {
            // Juan is a member now: that refusal, not an id conflict.
            assert_eq!(e.kind(), ErrorKind::AlreadyInOrganization);
            l.invite(account(BILL), invite_to(JANE), &mut ids(&[nth(1)]), purge_2)
                .map(|_| ())
        })?;
    Ok(())
}

#[test]
fn sweep_writes_down_lapses_and_drops_purged_handshakes_invisibly() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    l.invite(
        account(BILL),
        invite_to(JANE),
        &mut ids(&[nth(2)]),
        t + days(20),
    )?;
    let at = t + days(46);
    let observe = |l: &Ledger| {
        (
            all_pages(l, account(BILL), true, HandshakeFilter::NONE, 1, at).unwrap(),
            l.describe(account(JANE), nth(2), at).map(|h| h.state()),
            l.describe(account(JUAN), nth(1), at).map_err(|e| e.kind()),
        )
    };
    let before = observe(&l);
    let swept = l.sweep(at)?;
    // The first lapsed and was purged (dropped at once); the second only lapsed.
    assert_eq!((swept.expired, swept.purged), (1, 1));
    assert_eq!(observe(&l), before);
    assert!(l.indexes_are_consistent());
    assert_eq!(l.len(), 1);
    Ok(())
}

// ---- time ----

#[test]
fn time_never_runs_backwards() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    let before = snapshot(&l);
    let earlier = t - secs(1);
    let err = l
        .invite(account(BILL), invite_to(JANE), &mut ids(&[nth(2)]), earlier)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConcurrentModification);
    assert_eq!(
        l.accept(account(JUAN), nth(1), earlier).unwrap_err().kind(),
        ErrorKind::ConcurrentModification
    );
    // Visibility and role still come first.
    assert_eq!(
        l.accept(account(JANE), nth(1), earlier).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        l.describe(account(JUAN), nth(1), earlier)
            .unwrap_err()
            .kind(),
        ErrorKind::ConcurrentModification
    );
    assert!(l.sweep(earlier).is_err());
    assert_eq!(snapshot(&l), before);
    Ok(())
}

// ---- listings ----

fn busy_ledger() -> Result<Ledger, Error> {
    let mut l = ledger();
    let t = epoch();
    // Juan receives from both organizations; two share a request time.
    l.invite(
        account(BILL),
        invite_to(JUAN),
        &mut ids(&[hid("h-0000000b")]),
        t,
    )?;
    l.invite(
        account(BOB),
        invite_to(JUAN),
        &mut ids(&[hid("h-0000000a")]),
        t,
    )?;
    l.invite(
        account(BILL),
        invite_to(JANE),
        &mut ids(&[nth(3)]),
        t + secs(1),
    )?;
    l.invite(
        account(BILL),
        invite_to(GHOST),
        &mut ids(&[nth(4)]),
        t + secs(2),
    )?;
    l.enable_all_features(
        account(BILL),
        &mut ids(&[nth(5), nth(6), nth(7)]),
        t + secs(3),
    )?;
    Ok(l)
}

#[test]
fn listings_are_oldest_first_ties_by_id() -> Result<(), Error> {
    let l = busy_ledger()?;
    let now = epoch() + secs(10);
    let juan = all_pages(&l, account(JUAN), false, HandshakeFilter::NONE, 10, now)?;
    assert_eq!(juan, vec![hid("h-0000000a"), hid("h-0000000b")]);
    let org = all_pages(&l, account(BILL), true, HandshakeFilter::NONE, 10, now)?;
    assert_eq!(
        org,
        vec![hid("h-0000000b"), nth(3), nth(4), nth(5), nth(6), nth(7)]
    );
    let invites = all_pages(
        &l,
        account(BILL),
        true,
        HandshakeFilter::action(Action::Invite),
        10,
        now,
    )?;
    assert_eq!(invites, vec![hid("h-0000000b"), nth(3), nth(4)]);
    let page = l.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::first(20),
        now,
    )?;
    // Canceled by enabling all features, and seen so.
    assert_eq!(page.handshakes[0].state(), HandshakeState::Canceled);
    Ok(())
}

#[test]
fn pages_concatenate_to_the_whole_listing_at_every_size() -> Result<(), Error> {
    let l = busy_ledger()?;
    let now = epoch() + secs(10);
    let whole = all_pages(&l, account(BILL), true, HandshakeFilter::NONE, 100, now)?;
    for size in 1..=7 {
        assert_eq!(
            all_pages(&l, account(BILL), true, HandshakeFilter::NONE, size, now)?,
            whole,
            "size {size}"
        );
    }
    // A page exactly as large as the listing has no token.
    let exact = l.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::first(whole.len()),
        now,
    )?;
    assert_eq!(exact.next_token, None);
    Ok(())
}

#[test]
fn numbered_pages_report_the_total() -> Result<(), Error> {
    let l = busy_ledger()?;
    let now = epoch() + secs(10);
    let page = |number, size| {
        l.list_for_organization(
            account(BILL),
            HandshakeFilter::NONE,
            &PageRequest::Number { number, size },
            now,
        )
        .unwrap()
    };
    let second = page(2, 4);
    assert_eq!(second.total_count, Some(6));
    assert_eq!(
        second.handshakes.iter().map(|h| h.id()).collect::<Vec<_>>(),
        vec![nth(6), nth(7)]
    );
    assert!(page(3, 4).handshakes.is_empty());
    assert_eq!(page(3, 4).total_count, Some(6));
    assert_eq!(page(usize::MAX, usize::MAX).handshakes.len(), 0);
    let zero = l.list_for_account(
        account(JUAN),
        HandshakeFilter::NONE,
        &PageRequest::Number {
            number: 0,
            size: 10,
        },
        now,
    );
    assert_eq!(
        zero.unwrap_err().input(),
        Some((Parameter::PageNumber, InputProblem::TooSmall))
    );
    Ok(())
}

#[test]
fn tokens_are_bound_to_their_listing() -> Result<(), Error> {
    let l = busy_ledger()?;
    let now = epoch() + secs(10);
    let first = l.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::first(2),
        now,
    )?;
    let token = first.next_token.clone().ok_or("a token")?;
    let invalid = |r: Result<org_handshake::ledger::Page, LedgerError>| {
        assert_eq!(
            r.unwrap_err().input(),
            Some((Parameter::Token, InputProblem::InvalidToken))
        );
    };
    // Another listing, another caller, another filter.
    invalid(l.list_for_account(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::after(2, token.clone()),
        now,
    ));
    invalid(l.list_for_organization(
        account(BOB),
        HandshakeFilter::NONE,
        &PageRequest::after(2, token.clone()),
        now,
    ));
    invalid(l.list_for_organization(
        account(BILL),
        HandshakeFilter::action(Action::Invite),
        &PageRequest::after(2, token.clone()),
        now,
    ));
    // Edited, truncated, garbage, empty, huge, non-ASCII.
    let mut edited = token.clone().into_bytes();
    edited[3] = if edited[3] == b'0' { b'1' } else { b'0' };
    for bad in [
        String::from_utf8(edited)?,
        token[..token.len() - 2].to_owned(),
        "garbage".to_owned(),
        String::new(),
        "0".repeat(100_000),
        "é".repeat(20),
    ] {
        invalid(l.list_for_organization(
            account(BILL),
            HandshakeFilter::NONE,
            &PageRequest::after(2, bad),
            now,
        ));
    }
    // Both filters at once.
    let both = HandshakeFilter {
        action: Some(Action::Invite),
        parent: Some(nth(5)),
    };
    let err = l
        .list_for_account(account(JUAN), both, &PageRequest::first(2), now)
        .unwrap_err();
    assert_eq!(
        err.input(),
        Some((Parameter::Filter, InputProblem::Conflicting))
    );
    // The same token works for its own listing.
    l.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::after(2, token),
        now,
    )?;
    Ok(())
}

#[test]
fn a_token_neither_repeats_nor_skips_across_changes() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    for i in 0..4 {
        l.invite(
            account(BILL),
            invite_to(&format!("5{i:011}")),
            &mut ids(&[nth(i)]),
            t + secs(i as i64),
        )?;
    }
    l.cancel(account(BILL), nth(1), t + secs(10))?;
    let first = l.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::first(2),
        t + secs(10),
    )?;
    assert_eq!(
        first.handshakes.iter().map(|h| h.id()).collect::<Vec<_>>(),
        vec![nth(0), nth(1)]
    );
    // The last item returned is purged, and a new one arrives, before the next call.
    let later = t + secs(10) + days(30);
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(9)]), later)?;
    let rest = l.list_for_organization(
        account(BILL),
        HandshakeFilter::NONE,
        &PageRequest::after(2, first.next_token.ok_or("token")?),
        later,
    )?;
    // nth(0), nth(2), nth(3) expired at 15 days and are still retained; nth(1) is purged.
    assert_eq!(
        rest.handshakes.iter().map(|h| h.id()).collect::<Vec<_>>(),
        vec![nth(2), nth(3)]
    );
    assert!(rest.next_token.is_some());
    Ok(())
}

#[test]
fn only_the_management_account_lists_for_its_organization() {
    let l = ledger();
    let page = PageRequest::first(5);
    let member = l
        .list_for_organization(account(MARY), HandshakeFilter::NONE, &page, epoch())
        .unwrap_err();
    assert_eq!(member.kind(), ErrorKind::AccessDenied);
    let standalone = l
        .list_for_organization(account(JUAN), HandshakeFilter::NONE, &page, epoch())
        .unwrap_err();
    assert_eq!(standalone.kind(), ErrorKind::NotInOrganization);
    assert!(l
        .list_for_account(account(GHOST), HandshakeFilter::NONE, &page, epoch())
        .is_ok());
}

// ---- the world ----

#[test]
fn an_inconsistent_world_is_refused() {
    let build = |value: serde_json::Value| {
        let world: World = serde_json::from_value(value).unwrap();
        Ledger::new(Profile::AWS, &world).unwrap_err().code()
    };
    let org = |id: &str, mgmt: &str, members: &[&str]| serde_json::json!({ "id": id, "management_account": { "id": mgmt, "name": format!("n{mgmt}") }, "members": members });
    let acct = |id: &str| serde_json::json!({ "id": id, "name": format!("n{id}") });
    assert_eq!(
        build(serde_json::json!({ "accounts": [acct(JUAN), acct(JUAN)] })),
        "duplicate_account"
    );
    assert_eq!(
        build(
            serde_json::json!({ "organizations": [org(ORG_A, BILL, &[]), org(ORG_A, BOB, &[])] })
        ),
        "duplicate_organization"
    );
    // A member named only by id is an account known by its id alone.
    let world: World =
        serde_json::from_value(serde_json::json!({ "organizations": [org(ORG_A, BILL, &[JUAN])] }))
            .unwrap();
    let l = Ledger::new(Profile::AWS, &world).unwrap();
    assert_eq!(
        l.membership(&account(JUAN)),
        Membership::Member(common::ledger::org(ORG_A))
    );
    assert_eq!(
        build(serde_json::json!({ "organizations": [org(ORG_A, BILL, &[JUAN, JUAN])] })),
        "account_in_two_organizations"
    );
    assert_eq!(
        build(
            serde_json::json!({ "organizations": [org(ORG_A, BILL, &[])], "accounts": [acct(BILL)] })
        ),
        "duplicate_account"
    );
    // Unknown keys and feature sets are refused when the world is read, naming what is allowed.
    for (bad, expected) in [
        (
            serde_json::json!({ "acounts": [] }),
            "unknown field `acounts`, expected `organizations` or `accounts`",
        ),
        (
            serde_json::json!({ "organizations": [{ "id": ORG_A, "management_account": { "id": BILL, "name": "b" }, "feature_set": "all" }] }),
            "unknown feature set `all`: expected `ALL` or `CONSOLIDATED_BILLING`",
        ),
        (
            serde_json::json!({ "accounts": [{ "id": JUAN, "name": "j", "mail": "j@example.com" }] }),
            "unknown field `mail`",
        ),
    ] {
        let err = serde_json::from_value::<World>(bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{err}");
    }
    assert_eq!(
        build(
            serde_json::json!({ "organizations": [org(ORG_A, BILL, &[JUAN]), org(ORG_B, BOB, &[JUAN])], "accounts": [acct(JUAN)] })
        ),
        "account_in_two_organizations"
    );
    assert_eq!(
        build(
            serde_json::json!({ "organizations": [org(ORG_A, BILL, &[]), org(ORG_B, BOB, &[BILL])] })
        ),
        "account_in_two_organizations"
    );
    assert_eq!(
        build(serde_json::json!({ "accounts": [
            { "id": JUAN, "name": "a", "email": "same@example.com" },
            { "id": JANE, "name": "b", "email": "same@example.com" }
        ] })),
        "duplicate_email"
    );
    assert_eq!(
        build(
            serde_json::json!({ "accounts": [{ "id": JUAN, "name": "same" }, { "id": JANE, "name": "same" }] })
        ),
        "duplicate_name"
    );
}

#[test]
fn ledger_errors_become_failures_naming_the_parameter() {
    let err = LedgerError::InvalidInput {
        parameter: Parameter::Token,
        problem: InputProblem::InvalidToken,
        reason: "not a token this listing issued",
    };
    let failure = org_handshake::Failure::from(err);
    assert_eq!(failure.kind, ErrorKind::InvalidInput);
    assert_eq!(
        failure.input.map(|i| (i.parameter, i.problem)),
        Some(("token".to_owned(), InputProblem::InvalidToken))
    );
    assert_eq!(
        failure.message,
        "invalid token: not a token this listing issued"
    );
}

// ---- ids on demand ----

#[test]
fn ids_are_drawn_only_by_calls_that_create_and_pass_every_check() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    let mut ids = IdList::new(&["h-00000001", "h-00000001", "h-00000002"]);
    l.invite(account(BILL), invite_to(JUAN), &mut ids, t)?;
    // Refused before any id is needed: a duplicate, a member calling, time going backwards.
    let before = snapshot(&l);
    for (caller, target, at) in [(BILL, JUAN, t), (MARY, JANE, t), (BILL, JANE, t - secs(1))] {
        assert!(l
            .invite(account(caller), invite_to(target), &mut ids, at)
            .is_err());
    }
    assert_eq!(ids.drawn(), 1);
    // The next id is in use: refused, saying so, and nothing changes.
    let err = l
        .invite(account(BILL), invite_to(JANE), &mut ids, t)
        .unwrap_err();
    assert_eq!(err, LedgerError::HandshakeIdInUse { id: nth(1) });
    assert!(err.to_string().contains("in use"), "{err}");
    assert_eq!(snapshot(&l), before);
    l.invite(account(BILL), invite_to(JANE), &mut ids, t)?;
    // The source has run out: a typed refusal, nothing changed.
    let before = snapshot(&l);
    let err = l
        .invite(account(BOB), invite_to(JUAN), &mut ids, t)
        .unwrap_err();
    assert_eq!(
        err,
        LedgerError::IdSource {
            needed: 1,
            source: IdSourceError::Exhausted { drawn: 3 }
        }
    );
    assert_eq!(snapshot(&l), before);
    Ok(())
}

#[test]
fn a_call_refused_for_a_time_beyond_the_calendar_draws_no_id() -> Result<(), Error> {
    let mut l = ledger();
    let mut ids = IdList::new(&["h-00000001"]);
    let late = chrono::DateTime::<chrono::Utc>::MAX_UTC - days(10);
    let err = l
        .invite(account(BILL), invite_to(JUAN), &mut ids, late)
        .unwrap_err();
    assert_eq!(err.code(), "time_out_of_range");
    assert_eq!(ids.drawn(), 0);
    Ok(())
}

#[test]
fn seeded_ids_follow_each_profile_through_the_ledger() -> Result<(), Error> {
    for profile in [Profile::AWS, Profile::HUAWEI, Profile::ALIBABA] {
        let mut l = Ledger::new(profile, &world())?;
        let mut ids = SeededIds::new(2026);
        let mut again = SeededIds::new(2026);
        for (i, target) in [JUAN, JANE].into_iter().enumerate() {
            let sent = l.invite(account(BILL), invite_to(target), &mut ids, epoch())?;
            let expected = again.next_id(&profile)?;
            assert_eq!(sent.handshake.id(), expected, "{} #{i}", profile.name);
            profile.check_handshake_id(&expected)?;
        }
    }
    Ok(())
}

// ---- the ledger's own refusals of a page request ----

/// The ledger refuses a zero page size itself, whatever a provider layer checks before it:
/// a token page of no results, a numbered page of no items, for either listing, changing
/// nothing.
#[test]
fn the_ledger_refuses_a_zero_page_size() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    let before = snapshot(&l);
    let cases = [
        (PageRequest::first(0), Parameter::MaxResults),
        (
            PageRequest::Number { number: 1, size: 0 },
            Parameter::PageSize,
        ),
        (
            PageRequest::Number { number: 0, size: 5 },
            Parameter::PageNumber,
        ),
    ];
    for (page, parameter) in cases {
        let as_account = l.list_for_account(account(JUAN), HandshakeFilter::NONE, &page, t);
        let as_org = l.list_for_organization(account(BILL), HandshakeFilter::NONE, &page, t);
        for err in [as_account.unwrap_err(), as_org.unwrap_err()] {
            assert_eq!(
                err.input(),
                Some((parameter, InputProblem::TooSmall)),
                "{page:?}: {err}"
            );
        }
        assert_eq!(snapshot(&l), before);
    }
    Ok(())
}

/// A token with a character outside ASCII is refused as a token the listing did not issue,
/// wherever the character falls (in the middle of one, the checksum split would land inside a
/// character), never a panic.
#[test]
fn a_page_token_with_a_non_ascii_character_is_refused() -> Result<(), Error> {
    let mut l = ledger();
    let t = epoch();
    l.invite(account(BILL), invite_to(JUAN), &mut ids(&[nth(1)]), t)?;
    l.invite(account(BOB), invite_to(JUAN), &mut ids(&[nth(2)]), t)?;
    let first = l.list_for_account(
        account(JUAN),
        HandshakeFilter::NONE,
        &PageRequest::first(1),
        t,
    )?;
    let token = first.next_token.ok_or("a second page")?;
    let mut tokens = vec![
        // 18 bytes, even: the checksum split at byte 2 lands inside `é`.
        "0é000000000000000".to_owned(),
        format!("é{}", &token[2..]),
    ];
    // The issued token with one character replaced by a two-byte one, at every position.
    for (index, _) in token.char_indices().skip(1) {
        tokens.push(format!("{}é{}", &token[..index - 1], &token[index + 1..]));
    }
    for bad in tokens {
        assert_eq!(
            bad.len() % 2,
            0,
            "{bad}: an odd length is refused before the split"
        );
        let page = PageRequest::after(1, bad.clone());
        let err = l
            .list_for_account(account(JUAN), HandshakeFilter::NONE, &page, t)
            .unwrap_err();
        assert_eq!(
            err.input(),
            Some((Parameter::Token, InputProblem::InvalidToken)),
            "{bad}"
        );
    }
    Ok(())
}
