//! Unit tests of the ledger that need its private parts: the bulk sweep and the item-by-item
//! sweep leave identical ledgers.

use super::sweep::SweepPath;
use super::Ledger;
use crate::handshake::{Handshake, HandshakeParts, Recipient};
use crate::id::{AccountId, HandshakeId};
use crate::policy::Profile;
use crate::vocab::{Action, HandshakeState};
use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;

type Error = Box<dyn std::error::Error>;

const ORGS: [(&str, &str); 2] = [
    ("o-aaaaaaaaaa", "100000000001"),
    ("o-bbbbbbbbbb", "100000000002"),
];

fn epoch() -> DateTime<Utc> {
    DateTime::UNIX_EPOCH + TimeDelta::days(20_000)
}

fn empty_ledger() -> Result<Ledger, Error> {
    let world: super::World = serde_json::from_value(serde_json::json!({
        "organizations": ORGS.iter().map(|(id, account)| serde_json::json!({
            "id": id,
            "management_account": { "id": account, "name": format!("m{account}") },
            "feature_set": "ALL"
        })).collect::<Vec<_>>()
    }))?;
    Ok(Ledger::new(Profile::AWS, &world)?)
}

/// One stored handshake: `(org, recipient, kind, requested (hours), validity (hours),
/// entered after request (hours))`; kind 0 open, 1–3 accepted/declined/canceled, 4 an
/// enable-all-features parent with a child (both open).
type Spec = (usize, u8, u8, i64, i64, i64);

fn ledger(specs: &[Spec]) -> Result<Ledger, Error> {
    let mut snapshot = empty_ledger()?.snapshot();
    let mut store = |h: Handshake| {
        let last = h.state_entered_at();
        snapshot.clock = Some(snapshot.clock.map_or(last, |c| c.max(last)));
        snapshot.handshakes.insert(h.id(), h);
    };
    for (i, &(org, recipient, kind, requested, validity, entered)) in specs.iter().enumerate() {
        let Some(&(org_id, management)) = ORGS.get(org % ORGS.len()) else {
            continue;
        };
        let sender = crate::handshake::SenderOrganization {
            id: org_id.parse()?,
            management_account: management.parse()?,
            management_account_name: format!("m{management}").parse()?,
            management_account_email: None,
            feature_set: Some(crate::vocab::FeatureSet::All),
        };
        let requested_at = epoch() + TimeDelta::hours(requested);
        let expires_at = requested_at + TimeDelta::hours(validity);
        let entered_at = requested_at + TimeDelta::hours(entered.min(validity - 1));
        let account: AccountId = format!("2000000000{:02}", recipient % 7).parse()?;
        let id: HandshakeId = format!("h-{i:08x}a").parse()?;
        let (action, state, state_entered_at) = match kind % 5 {
            0 => (Action::Invite, HandshakeState::Open, None),
            1 => (Action::Invite, HandshakeState::Accepted, Some(entered_at)),
            2 => (Action::Invite, HandshakeState::Declined, Some(entered_at)),
            3 => (Action::Invite, HandshakeState::Canceled, Some(entered_at)),
            _ => (Action::EnableAllFeatures, HandshakeState::Requested, None),
        };
        let parts = |id, action, state, state_entered_at, parent| HandshakeParts {
            id,
            action,
            state,
            sender: sender.clone(),
            recipient: Recipient::for_account(account),
            notes: None,
            parent,
            resources: Vec::new(),
            requested_at,
            expires_at,
            state_entered_at,
        };
        store(Handshake::from_parts(parts(
            id,
            action,
            state,
            state_entered_at,
            None,
        ))?);
        if action == Action::EnableAllFeatures {
            let child: HandshakeId = format!("h-{i:08x}c").parse()?;
            let child = parts(
                child,
                Action::ApproveAllFeatures,
                HandshakeState::Open,
                None,
                Some(id),
            );
            store(Handshake::from_parts(child)?);
        }
    }
    Ok(Ledger::from_snapshot(snapshot)?)
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..2usize,
        any::<u8>(),
        0..5u8,
        0..2_000i64,
        1..400i64,
        0..400i64,
    )
}

proptest! {
    #[test]
    fn bulk_and_item_by_item_sweeps_leave_identical_ledgers(
        specs in prop::collection::vec(spec(), 0..120),
        sweeps in prop::collection::vec(0..1_500i64, 1..4),
    ) {
        let mut each = ledger(&specs).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut bulk = each.clone();
        let mut chosen = each.clone();
        let mut at = each.clock().unwrap_or_else(epoch);
        for hours in sweeps {
            at += TimeDelta::hours(hours);
            let by_each = each.sweep_by(at, SweepPath::EachItem);
            let by_bulk = bulk.sweep_by(at, SweepPath::Bulk);
            let by_chosen = chosen.sweep_by(at, SweepPath::Chosen);
            prop_assert_eq!(&by_each, &by_bulk);
            prop_assert_eq!(&by_each, &by_chosen);
            let json = serde_json::to_string(&each).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&json, &serde_json::to_string(&bulk).map_err(|e| TestCaseError::fail(e.to_string()))?);
            prop_assert_eq!(&json, &serde_json::to_string(&chosen).map_err(|e| TestCaseError::fail(e.to_string()))?);
            // Same slots, so the indexes themselves are equal, not just consistent.
            prop_assert_eq!(&each.indexes, &bulk.indexes);
            prop_assert!(bulk.indexes_are_consistent());
            prop_assert!(each.indexes_are_consistent());
        }
    }
}

/// The generator reaches what the property is about: a sweep that both expires and drops,
/// with pending, listing and parent entries to filter.
#[test]
fn a_bulk_sweep_expires_and_drops() -> Result<(), Error> {
    let specs: Vec<Spec> = (0..40)
        .map(|i| (i % 2, i as u8, (i % 5) as u8, i as i64 * 10, 100, 50))
        .collect();
    let mut each = ledger(&specs)?;
    let mut bulk = each.clone();
    let at = epoch() + TimeDelta::hours(400) + crate::policy::RETENTION;
    let swept = bulk.sweep_by(at, SweepPath::Bulk)?;
    assert!(swept.expired > 0 && swept.purged > 0, "{swept:?}");
    assert_eq!(each.sweep_by(at, SweepPath::EachItem)?, swept);
    assert_eq!(serde_json::to_value(&each)?, serde_json::to_value(&bulk)?);
    assert!(bulk.indexes_are_consistent());
    Ok(())
}

proptest! {
    /// A listing starts past the handshakes requested too long ago to be visible
    /// (`Store::visible_since`): it still lists exactly the visible ones, in order, whatever
    /// the validities (up to 400 hours here) and however late it is asked.
    #[test]
    fn listings_skip_only_what_no_one_can_see(
        specs in prop::collection::vec(spec(), 0..120),
        later in 0..3_000i64,
    ) {
        let ledger = ledger(&specs).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let now = ledger.clock().unwrap_or_else(epoch) + TimeDelta::hours(later);
        for &(org, management) in &ORGS {
            let org: crate::id::OrganizationId = org.parse().map_err(|e: crate::id::IdError| TestCaseError::fail(e.to_string()))?;
            let caller: AccountId = management.parse().map_err(|e: crate::id::IdError| TestCaseError::fail(e.to_string()))?;
            let page = ledger
                .list_for_organization(
                    caller,
                    super::HandshakeFilter::default(),
                    &super::PageRequest::Token { max_results: 10_000, token: None },
                    now,
                )
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let listed: Vec<HandshakeId> = page.handshakes.iter().map(Handshake::id).collect();
            let mut visible: Vec<&Handshake> = ledger
                .handshakes
                .iter()
                .map(|(_, h)| h)
                .filter(|h| h.sender().id == org && h.is_visible_at(now))
                .collect();
            visible.sort_by_key(|h| (h.requested_at(), h.id()));
            let expected: Vec<HandshakeId> = visible.iter().map(|h| h.id()).collect();
            prop_assert_eq!(listed, expected);
        }
    }
}
