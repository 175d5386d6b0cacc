//! Model-based test of the ledger (proptest-state-machine): random sequences of invitations,
//! answers, cancellations, enable-all-features requests, reads, listings, sweeps, stale calls
//! and time ticks, run against a small reference model.
//!
//! The reference model (`Model`) is the expected part: a list of handshakes with the rules of
//! design.md written out plainly, with no indexes and no laziness tricks beyond "a pending
//! handshake past its expiry is expired". After every step the test checks that:
//! - the ledger's answer (success, or the error's kind) is the model's;
//! - a refusal changes nothing (the ledger serializes identically);
//! - every account is in at most one organization, and memberships and feature sets agree;
//! - every handshake reads the same state at `now` in both, and purged ones are gone;
//! - listings: pages of any size concatenate to the model's full listing, with no duplicate or
//!   missing item, and every listed handshake is visible to the caller;
//! - the ledger's derived indexes match its handshakes.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use common::ledger::{account, all_pages, epoch, ids, nth, snapshot, world};
use org_handshake::ledger::{HandshakeFilter, InviteRequest, Ledger, LedgerError, PageRequest};
use org_handshake::{
    AccountId, Action, ErrorKind, FeatureSet, HandshakeId, HandshakeIdRule, HandshakeState, IdList,
    Membership, OrganizationId, Party, Profile, ProfileName,
};
use proptest::prelude::*;
use proptest::test_runner::Config;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};

/// Short periods so that sequences reach expiry, retention and the quota.
const PROFILE: Profile = Profile {
    name: ProfileName::from_static("model"),
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
const DAY: i64 = 86_400;
const RETENTION: i64 = 30 * DAY;

/// The accounts: 0 manages org 0 (members 1, 2), 3 manages org 1 (member 4), 5 and 6 are
/// standalone, 7 is unknown to the world.
const ACCOUNTS: [&str; 8] = [
    common::ledger::BILL,
    common::ledger::MARY,
    common::ledger::MIKE,
    common::ledger::BOB,
    common::ledger::BEN,
    common::ledger::JUAN,
    common::ledger::JANE,
    common::ledger::GHOST,
];
const ORGS: [&str; 2] = [common::ledger::ORG_A, common::ledger::ORG_B];

/// Invitation targets: the eight accounts by id, then by email or name.
fn target(index: usize) -> Party {
    match index {
        0..=7 => Party::Account(account(ACCOUNTS[index])),
        8 => Party::Email("juan@example.com".parse().unwrap()),
        9 => Party::Email("ben@example.com".parse().unwrap()),
        10 => Party::Email("nobody@example.com".parse().unwrap()),
        _ => Party::Name("jane".parse().unwrap()),
    }
}

/// Who a target names: the account index when known, else the literal target.
fn resolve(index: usize) -> Result<usize, String> {
    match index {
        0..=7 => Ok(index),
        8 => Ok(5),
        9 => Ok(4),
        10 => Err("email:nobody@example.com".into()),
        _ => Ok(6),
    }
}

#[derive(Debug, Clone, PartialEq)]
struct ModelHandshake {
    id: HandshakeId,
    org: usize,
    action: Action,
    key: Result<usize, String>,
    parent: Option<usize>,
    state: HandshakeState,
    requested: i64,
    expires: i64,
    entered: i64,
}

impl ModelHandshake {
    fn recipient(&self) -> Option<usize> {
        self.key.as_ref().ok().copied()
    }
    fn lapsed(&self, now: i64) -> bool {
        self.state.is_pending() && now >= self.expires
    }
    fn state_at(&self, now: i64) -> HandshakeState {
        if self.lapsed(now) {
            HandshakeState::Expired
        } else {
            self.state
        }
    }
    fn entered_at(&self, now: i64) -> i64 {
        if self.lapsed(now) {
            self.expires
        } else {
            self.entered
        }
    }
    fn visible(&self, now: i64) -> bool {
        let terminal_since = if self.state.is_pending() {
            self.expires
        } else {
            self.entered
        };
        now < terminal_since + RETENTION
    }
    fn is_party(&self, account: usize, manager: usize) -> bool {
        self.recipient() == Some(account) || manager == account
    }
}

/// An organization of the model: the two of the world, then those created.
#[derive(Debug, Clone, PartialEq)]
struct ModelOrg {
    id: String,
    manager: usize,
    members: Vec<usize>,
    all_features: bool,
    deleted: bool,
}

#[derive(Debug, Clone)]
struct Model {
    now: i64,
    clock: Option<i64>,
    /// Per account: (organization, is management account).
    membership: [Option<(usize, bool)>; 8],
    orgs: Vec<ModelOrg>,
    handshakes: Vec<ModelHandshake>,
    next_id: usize,
    /// The ids the last transition used, and what it should have answered.
    last_ids: Vec<HandshakeId>,
    /// The organization id the last create was given.
    last_org: String,
    last: Result<(), ErrorKind>,
}

#[derive(Debug, Clone)]
enum Step {
    Invite {
        caller: usize,
        target: usize,
    },
    Accept {
        caller: usize,
        handshake: usize,
    },
    Decline {
        caller: usize,
        handshake: usize,
    },
    Cancel {
        caller: usize,
        handshake: usize,
    },
    EnableAllFeatures {
        caller: usize,
    },
    Describe {
        caller: usize,
        handshake: usize,
    },
    ListForAccount {
        caller: usize,
        size: usize,
        filter: usize,
    },
    ListForOrganization {
        caller: usize,
        size: usize,
        filter: usize,
    },
    StaleInvite {
        caller: usize,
    },
    CreateOrganization {
        caller: usize,
    },
    DeleteOrganization {
        caller: usize,
    },
    Leave {
        caller: usize,
    },
    Remove {
        caller: usize,
        target: usize,
    },
    Sweep,
    Tick {
        secs: i64,
    },
}

impl Model {
    fn at(&self, secs: i64) -> DateTime<Utc> {
        epoch() + TimeDelta::seconds(secs)
    }

    fn role(&self, caller: usize) -> Result<usize, ErrorKind> {
        match self.membership[caller] {
            None => Err(ErrorKind::NotInOrganization),
            Some((_, false)) => Err(ErrorKind::AccessDenied),
            Some((org, true)) => Ok(org),
        }
    }

    fn pending(&self, org: usize, action: Action) -> impl Iterator<Item = usize> + '_ {
        let now = self.now;
        (0..self.handshakes.len()).filter(move |&i| {
            let h = &self.handshakes[i];
            h.org == org && h.action == action && h.state_at(now).is_pending()
        })
    }

    fn fresh_ids(&mut self, n: usize) -> Vec<HandshakeId> {
        (self.next_id..self.next_id + n).map(nth).collect()
    }

    fn add(
        &mut self,
        org: usize,
        action: Action,
        key: Result<usize, String>,
        parent: Option<usize>,
    ) -> usize {
        let validity = if action == Action::Invite {
            2 * DAY
        } else {
            3 * DAY
        };
        self.handshakes.push(ModelHandshake {
            id: nth(self.next_id),
            org,
            action,
            key,
            parent,
            state: if action == Action::EnableAllFeatures {
                HandshakeState::Requested
            } else {
                HandshakeState::Open
            },
            requested: self.now,
            expires: self.now + validity,
            entered: self.now,
        });
        self.next_id += 1;
        self.handshakes.len() - 1
    }

    fn set(&mut self, index: usize, state: HandshakeState) {
        self.handshakes[index].state = state;
        self.handshakes[index].entered = self.now;
    }

    fn invite(&mut self, caller: usize, target: usize) -> Result<(), ErrorKind> {
        let now = self.now;
        let org = self.role(caller)?;
        if self
            .pending(org, Action::EnableAllFeatures)
            .next()
            .is_some()
        {
            return Err(ErrorKind::InvitesDisabledDuringEnableAllFeatures);
        }
        let key = resolve(target);
        if let Ok(r) = key {
            if self.membership[r].map(|(o, _)| o) == Some(org) {
                return Err(ErrorKind::AlreadyInOrganization);
            }
        }
        if self
            .pending(org, Action::Invite)
            .any(|i| self.handshakes[i].key == key)
        {
            return Err(ErrorKind::DuplicateHandshake);
        }
        let counted = self
            .handshakes
            .iter()
            .filter(|h| h.org == org && h.action == Action::Invite && h.requested > now - DAY)
            .filter(|h| h.state_at(now) != HandshakeState::Accepted)
            .count();
        if counted >= 3 {
            return Err(ErrorKind::InvitationQuotaExceeded);
        }
        self.add(org, Action::Invite, key, None);
        Ok(())
    }

    /// Visibility, then role: the index of a handshake `caller` may act on as `recipient_side`.
    fn find(&self, caller: usize, index: usize, recipient_side: bool) -> Result<usize, ErrorKind> {
        let h = self
            .handshakes
            .get(index)
            .filter(|h| h.visible(self.now))
            .ok_or(ErrorKind::NotFound)?;
        let is_recipient = h.recipient() == Some(caller);
        let is_sender = self.orgs[h.org].manager == caller;
        // The sender's management account acts for it only while it manages it (a deleted
        // organization has no one to act for it).
        let manages = self.membership[caller] == Some((h.org, true));
        match (recipient_side, is_recipient, is_sender) {
            (false, _, true) if !manages => Err(ErrorKind::AccessDenied),
            (true, true, _) | (false, _, true) => Ok(index),
            (true, false, true) | (false, true, false) => Err(ErrorKind::AccessDenied),
            _ => Err(ErrorKind::NotFound),
        }
    }

    fn accept(&mut self, caller: usize, index: usize) -> Result<(), ErrorKind> {
        let i = self.find(caller, index, true)?;
        let h = self.handshakes[i].clone();
        let allowed = match h.action {
            Action::ApproveAllFeatures => self.membership[caller] == Some((h.org, false)),
            Action::EnableAllFeatures => self.membership[caller] == Some((h.org, true)),
            _ => true,
        };
        if !allowed {
            return Err(ErrorKind::AccessDenied);
        }
        match h.state_at(self.now) {
            HandshakeState::Accepted => return Err(ErrorKind::AlreadyInState),
            HandshakeState::Open => {}
            _ => return Err(ErrorKind::InvalidTransition),
        }
        if h.action == Action::Invite && self.membership[caller].is_some() {
            return Err(ErrorKind::AlreadyInOrganization);
        }
        self.set(i, HandshakeState::Accepted);
        match h.action {
            Action::Invite => {
                self.membership[caller] = Some((h.org, false));
                self.orgs[h.org].members.push(caller);
            }
            Action::EnableAllFeatures => self.orgs[h.org].all_features = true,
            Action::ApproveAllFeatures => {
                let p = h.parent.unwrap();
                self.open_if_ready(p);
            }
            _ => {}
        }
        Ok(())
    }

    /// Opens parent `p` when it waits and every child of a member that remains is accepted
    /// (children of members that left do not count).
    fn open_if_ready(&mut self, p: usize) {
        let now = self.now;
        let org = self.handshakes[p].org;
        let ready = self
            .handshakes
            .iter()
            .filter(|c| c.parent == Some(p) && c.visible(now))
            .filter(|c| {
                c.recipient()
                    .is_some_and(|r| self.membership[r] == Some((org, false)))
            })
            .all(|c| c.state_at(now) == HandshakeState::Accepted);
        if ready && self.handshakes[p].state_at(now) == HandshakeState::Requested {
            self.set(p, HandshakeState::Open);
        }
    }

    /// `account` departs `org`: it stands alone, its open approval is canceled, and a waiting
    /// parent opens when the members that remain have all approved.
    fn depart(&mut self, account: usize, org: usize) {
        self.membership[account] = None;
        self.orgs[org].members.retain(|m| *m != account);
        let now = self.now;
        let parents: Vec<usize> = self.pending(org, Action::EnableAllFeatures).collect();
        for p in parents {
            for c in 0..self.handshakes.len() {
                let child = &self.handshakes[c];
                if child.parent == Some(p)
                    && child.visible(now)
                    && child.recipient() == Some(account)
                    && child.state_at(now) == HandshakeState::Open
                {
                    self.set(c, HandshakeState::Canceled);
                }
            }
            self.open_if_ready(p);
        }
    }

    fn leave(&mut self, caller: usize) -> Result<(), ErrorKind> {
        match self.membership[caller] {
            None => Err(ErrorKind::NotInOrganization),
            Some((_, true)) => Err(ErrorKind::ManagementAccountCannotLeave),
            Some((org, false)) => {
                self.depart(caller, org);
                Ok(())
            }
        }
    }

    fn remove(&mut self, caller: usize, target: usize) -> Result<(), ErrorKind> {
        let org = self.role(caller)?;
        if target == caller {
            return Err(ErrorKind::ManagementAccountCannotLeave);
        }
        if self.membership[target] != Some((org, false)) {
            return Err(ErrorKind::AccountNotFound);
        }
        self.depart(target, org);
        Ok(())
    }

    fn delete(&mut self, caller: usize) -> Result<(), ErrorKind> {
        let org = self.role(caller)?;
        if !self.orgs[org].members.is_empty() {
            return Err(ErrorKind::OrganizationNotEmpty);
        }
        let now = self.now;
        for i in 0..self.handshakes.len() {
            let h = &self.handshakes[i];
            if h.org == org && h.state_at(now).is_pending() {
                self.set(i, HandshakeState::Canceled);
            }
        }
        self.membership[caller] = None;
        self.orgs[org].deleted = true;
        Ok(())
    }

    fn create(&mut self, caller: usize) -> Result<(), ErrorKind> {
        if self.membership[caller].is_some() {
            return Err(ErrorKind::AlreadyInOrganization);
        }
        let id = new_org_id(self.orgs.len());
        self.orgs.push(ModelOrg {
            id,
            manager: caller,
            members: Vec::new(),
            all_features: false,
            deleted: false,
        });
        self.membership[caller] = Some((self.orgs.len() - 1, true));
        Ok(())
    }

    fn decline(&mut self, caller: usize, index: usize) -> Result<(), ErrorKind> {
        let i = self.find(caller, index, true)?;
        match self.handshakes[i].state_at(self.now) {
            HandshakeState::Declined => Err(ErrorKind::AlreadyInState),
            HandshakeState::Open => {
                self.set(i, HandshakeState::Declined);
                Ok(())
            }
            _ => Err(ErrorKind::InvalidTransition),
        }
    }

    fn cancel(&mut self, caller: usize, index: usize) -> Result<(), ErrorKind> {
        let i = self.find(caller, index, false)?;
        match self.handshakes[i].state_at(self.now) {
            HandshakeState::Canceled => return Err(ErrorKind::AlreadyInState),
            s if s.is_pending() => {}
            _ => return Err(ErrorKind::InvalidTransition),
        }
        self.set(i, HandshakeState::Canceled);
        if self.handshakes[i].action == Action::EnableAllFeatures {
            for c in 0..self.handshakes.len() {
                let child = &self.handshakes[c];
                if child.parent == Some(i) && child.state_at(self.now) == HandshakeState::Open {
                    self.set(c, HandshakeState::Canceled);
                }
            }
        }
        Ok(())
    }

    fn enable_all_features(&mut self, caller: usize) -> Result<(), ErrorKind> {
        let org = self.role(caller)?;
        if self.orgs[org].all_features {
            return Err(ErrorKind::AllFeaturesAlreadyEnabled);
        }
        if self
            .pending(org, Action::EnableAllFeatures)
            .next()
            .is_some()
        {
            return Err(ErrorKind::AllFeaturesAlreadyRequested);
        }
        let invites: Vec<usize> = self.pending(org, Action::Invite).collect();
        let parent = self.add(org, Action::EnableAllFeatures, Ok(caller), None);
        for member in self.orgs[org].members.clone() {
            self.add(org, Action::ApproveAllFeatures, Ok(member), Some(parent));
        }
        if self.orgs[org].members.is_empty() {
            self.set(parent, HandshakeState::Open);
        }
        for i in invites {
            self.set(i, HandshakeState::Canceled);
        }
        Ok(())
    }

    /// The filter a listing step uses: none, by action, or by the first parent (or an unknown
    /// id when there is none).
    fn filter(&self, filter: usize) -> HandshakeFilter {
        match filter {
            0 => HandshakeFilter::NONE,
            1 => HandshakeFilter::action(Action::Invite),
            2 => HandshakeFilter::action(Action::ApproveAllFeatures),
            _ => HandshakeFilter::parent(
                self.handshakes
                    .iter()
                    .find(|h| h.action == Action::EnableAllFeatures)
                    .map_or(nth(99_999_999), |h| h.id),
            ),
        }
    }

    /// The full listing the model expects.
    fn listing(
        &self,
        caller: usize,
        organization: bool,
        filter: usize,
    ) -> Result<Vec<HandshakeId>, ErrorKind> {
        let scope_org = if organization {
            Some(self.role(caller)?)
        } else {
            None
        };
        let f = self.filter(filter);
        let mut items: Vec<&ModelHandshake> = self
            .handshakes
            .iter()
            .filter(|h| h.visible(self.now))
            .filter(|h| match scope_org {
                Some(org) => h.org == org,
                None => h.recipient() == Some(caller),
            })
            .filter(|h| f.action.map_or(true, |a| h.action == a))
            .filter(|h| {
                f.parent
                    .map_or(true, |p| h.parent.map(|i| self.handshakes[i].id) == Some(p))
            })
            .collect();
        items.sort_by_key(|h| (h.requested, h.id));
        Ok(items.into_iter().map(|h| h.id).collect())
    }
}

struct Reference;

impl ReferenceStateMachine for Reference {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model {
            now: 0,
            clock: None,
            membership: [
                Some((0, true)),
                Some((0, false)),
                Some((0, false)),
                Some((1, true)),
                Some((1, false)),
                None,
                None,
                None,
            ],
            orgs: vec![
                ModelOrg {
                    id: ORGS[0].to_owned(),
                    manager: 0,
                    members: vec![1, 2],
                    all_features: false,
                    deleted: false,
                },
                ModelOrg {
                    id: ORGS[1].to_owned(),
                    manager: 3,
                    members: vec![4],
                    all_features: true,
                    deleted: false,
                },
            ],
            handshakes: Vec::new(),
            next_id: 0,
            last_ids: Vec::new(),
            last_org: String::new(),
            last: Ok(()),
        })
        .boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Step> {
        let n = state.handshakes.len() + 1;
        let caller = 0..8usize;
        let manager = prop::sample::select(vec![0usize, 0, 3, 1, 5]);
        prop_oneof![
            4 => (manager.clone(), 0..12usize).prop_map(|(caller, target)| Step::Invite { caller, target }),
            3 => (caller.clone(), 0..n).prop_map(|(caller, handshake)| Step::Accept { caller, handshake }),
            2 => (caller.clone(), 0..n).prop_map(|(caller, handshake)| Step::Decline { caller, handshake }),
            2 => (manager.clone(), 0..n).prop_map(|(caller, handshake)| Step::Cancel { caller, handshake }),
            1 => manager.clone().prop_map(|caller| Step::EnableAllFeatures { caller }),
            1 => (caller.clone(), 0..n).prop_map(|(caller, handshake)| Step::Describe { caller, handshake }),
            2 => (caller.clone(), 1..4usize, 0..4usize).prop_map(|(caller, size, filter)| Step::ListForAccount { caller, size, filter }),
            2 => (manager.clone(), 1..4usize, 0..4usize).prop_map(|(caller, size, filter)| Step::ListForOrganization { caller, size, filter }),
            1 => manager.clone().prop_map(|caller| Step::StaleInvite { caller }),
            1 => caller.clone().prop_map(|caller| Step::CreateOrganization { caller }),
            1 => manager.clone().prop_map(|caller| Step::DeleteOrganization { caller }),
            1 => caller.clone().prop_map(|caller| Step::Leave { caller }),
            1 => (manager, caller.clone()).prop_map(|(caller, target)| Step::Remove { caller, target }),
            1 => Just(Step::Sweep),
            3 => prop::sample::select(vec![1i64, 3_600, DAY - 1, DAY, 2 * DAY, 31 * DAY]).prop_map(|secs| Step::Tick { secs }),
        ]
        .boxed()
    }

    fn apply(mut state: Model, step: &Step) -> Model {
        state.last_ids.clear();
        state.last = Ok(());
        let result = match *step {
            Step::Invite { caller, target } => {
                state.last_ids = state.fresh_ids(1);
                state.invite(caller, target)
            }
            Step::Accept { caller, handshake } => state.accept(caller, handshake),
            Step::Decline { caller, handshake } => state.decline(caller, handshake),
            Step::Cancel { caller, handshake } => state.cancel(caller, handshake),
            Step::EnableAllFeatures { caller } => {
                let org = state.membership[caller].map_or(0, |(o, _)| o);
                state.last_ids = state.fresh_ids(1 + state.orgs[org].members.len());
                state.enable_all_features(caller)
            }
            Step::CreateOrganization { caller } => {
                state.last_org = new_org_id(state.orgs.len());
                state.create(caller)
            }
            Step::DeleteOrganization { caller } => state.delete(caller),
            Step::Leave { caller } => state.leave(caller),
            Step::Remove { caller, target } => state.remove(caller, target),
            Step::StaleInvite { caller } => {
                state.last_ids = state.fresh_ids(1);
                state
                    .role(caller)
                    .and(Err(ErrorKind::ConcurrentModification))
            }
            Step::Sweep => Ok(()),
            Step::Describe { .. }
            | Step::ListForAccount { .. }
            | Step::ListForOrganization { .. } => {
                return state;
            }
            Step::Tick { secs } => {
                state.now += secs;
                return state;
            }
        };
        if result.is_ok() {
            state.clock = Some(state.now);
        }
        state.last = result;
        state
    }

    fn preconditions(state: &Model, step: &Step) -> bool {
        match step {
            // A stale call needs a clock after `now - 1`.
            Step::StaleInvite { .. } => state.clock == Some(state.now),
            _ => true,
        }
    }
}

struct LedgerUnderTest;

fn handshake_id(model: &Model, index: usize) -> HandshakeId {
    model
        .handshakes
        .get(index)
        .map_or(nth(99_999_999), |h| h.id)
}

fn kind<T>(result: &Result<T, LedgerError>) -> Result<(), ErrorKind> {
    result.as_ref().map(|_| ()).map_err(|e| e.kind())
}

impl StateMachineTest for LedgerUnderTest {
    type SystemUnderTest = Ledger;
    type Reference = Reference;

    fn init_test(_: &Model) -> Ledger {
        Ledger::new(PROFILE, &world()).unwrap()
    }

    fn apply(mut ledger: Ledger, model: &Model, step: Step) -> Ledger {
        let now = model.at(model.now);
        let who = |i: usize| account(ACCOUNTS[i]);
        let before = snapshot(&ledger);
        let result = match step {
            Step::Invite { caller, target: t } => kind(&ledger.invite(
                who(caller),
                InviteRequest::new(target(t)),
                &mut ids(&model.last_ids),
                now,
            )),
            Step::Accept { caller, handshake } => {
                kind(&ledger.accept(who(caller), handshake_id(model, handshake), now))
            }
            Step::Decline { caller, handshake } => {
                kind(&ledger.decline(who(caller), handshake_id(model, handshake), now))
            }
            Step::Cancel { caller, handshake } => {
                kind(&ledger.cancel(who(caller), handshake_id(model, handshake), now))
            }
            Step::EnableAllFeatures { caller } => {
                kind(&ledger.enable_all_features(who(caller), &mut ids(&model.last_ids), now))
            }
            Step::StaleInvite { caller } => {
                let request = InviteRequest::new(target(5));
                kind(&ledger.invite(
                    who(caller),
                    request,
                    &mut ids(&[model.last_ids[0]]),
                    now - TimeDelta::seconds(1),
                ))
            }
            Step::CreateOrganization { caller } => kind(&ledger.create_organization(
                who(caller),
                None,
                &mut IdList::new(&[model.last_org.as_str()]),
                now,
            )),
            Step::DeleteOrganization { caller } => {
                kind(&ledger.delete_organization(who(caller), now))
            }
            Step::Leave { caller } => kind(&ledger.leave_organization(who(caller), now)),
            Step::Remove { caller, target } => {
                kind(&ledger.remove_account(who(caller), who(target), now))
            }
            Step::Sweep => kind(&ledger.sweep(now)),
            Step::Describe { caller, handshake } => {
                let got = ledger.describe(who(caller), handshake_id(model, handshake), now);
                let expected = model
                    .handshakes
                    .get(handshake)
                    .filter(|h| {
                        h.is_party(caller, model.orgs[h.org].manager) && h.visible(model.now)
                    })
                    .map(|h| (h.state_at(model.now), model.at(h.entered_at(model.now))));
                assert_eq!(
                    got.map(|h| (h.state(), h.state_entered_at())).ok(),
                    expected
                );
                Ok(())
            }
            Step::ListForAccount {
                caller,
                size,
                filter,
            }
            | Step::ListForOrganization {
                caller,
                size,
                filter,
            } => {
                let organization = matches!(step, Step::ListForOrganization { .. });
                let f = model.filter(filter);
                let expected = model.listing(caller, organization, filter);
                let got = all_pages(&ledger, who(caller), organization, f, size, now)
                    .map_err(|e| e.kind());
                assert_eq!(got, expected, "listing, pages of {size}");
                if let Ok(ids) = got {
                    let mut unique = ids.clone();
                    unique.sort();
                    unique.dedup();
                    assert_eq!(unique.len(), ids.len(), "no duplicates");
                    for id in ids {
                        assert!(
                            ledger.describe(who(caller), id, now).is_ok(),
                            "listed {id} is visible to the caller"
                        );
                    }
                }
                Ok(())
            }
            Step::Tick { .. } => Ok(()),
        };
        assert_eq!(result, model.last, "{step:?}");
        if result.is_err() {
            assert_eq!(snapshot(&ledger), before, "a refusal changes nothing");
        }
        ledger
    }

    fn check_invariants(ledger: &Ledger, model: &Model) {
        let now = model.at(model.now);
        assert_eq!(ledger.clock(), model.clock.map(|c| model.at(c)));
        // At most one organization per account, and the same as the model's.
        let mut seen: BTreeMap<AccountId, usize> = BTreeMap::new();
        for (o, model_org) in model.orgs.iter().enumerate() {
            let id: OrganizationId = model_org.id.parse().unwrap();
            let Some(org) = ledger.organization(&id) else {
                assert!(model_org.deleted, "{id} is missing");
                continue;
            };
            assert!(!model_org.deleted, "{id} should be deleted");
            assert_eq!(
                org.feature_set == Some(FeatureSet::All),
                model_org.all_features
            );
            let expected: Vec<AccountId> = model_org
                .members
                .iter()
                .map(|&i| account(ACCOUNTS[i]))
                .collect();
            assert_eq!(org.members, expected.as_slice());
            for member in org.members.iter().chain([&org.management_account]) {
                assert!(
                    seen.insert(*member, o).is_none(),
                    "{member} in two organizations"
                );
            }
            // The management account is always its organization's member, listed first, and
            // the listing holds exactly the organization's accounts.
            let manager = account(ACCOUNTS[model_org.manager]);
            assert_eq!(ledger.membership(&manager), Membership::Management(id));
            let listed = ledger
                .list_accounts(manager, &PageRequest::first(20), now)
                .unwrap();
            let listed: Vec<AccountId> = listed.accounts.iter().map(|a| a.id).collect();
            assert_eq!(listed.first(), Some(&manager));
            assert_eq!(listed.len(), 1 + expected.len());
            assert!(expected.iter().all(|m| listed.contains(m)));
        }
        for (i, id) in ACCOUNTS.iter().enumerate() {
            let membership = ledger.membership(&account(id)).organization();
            assert_eq!(
                membership,
                model.membership[i].map(|(o, _)| model.orgs[o].id.parse().unwrap())
            );
        }
        // Every handshake reads the same.
        for h in &model.handshakes {
            let stored = ledger.stored(&h.id).filter(|s| s.is_visible_at(now));
            if h.visible(model.now) {
                let stored = stored.unwrap_or_else(|| panic!("{} is missing", h.id));
                assert_eq!(stored.state_at(now), h.state_at(model.now), "{}", h.id);
                assert_eq!(
                    stored.last_change_at(now),
                    model.at(h.entered_at(model.now)),
                    "{}",
                    h.id
                );
            } else {
                assert!(stored.is_none(), "{} should be purged", h.id);
            }
        }
        assert!(ledger.indexes_are_consistent());
    }
}

prop_state_machine! {
    #![proptest_config(Config { failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/ledger_model.txt")))), ..Config::with_cases(256) })]
    #[test]
    fn ledger_follows_the_model(sequential 1..48 => LedgerUnderTest);
}

/// The id the model gives the `n`-th organization (the world's two come first).
fn new_org_id(n: usize) -> String {
    format!("o-created{n:03}")
}
