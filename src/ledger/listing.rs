//! Listings: [`Ledger::list_for_account`] and [`Ledger::list_for_organization`], their
//! [`HandshakeFilter`], [`PageRequest`] and [`Page`], and the pagination tokens.
//!
//! # Order and cost
//!
//! Oldest request first, ties by id; retained terminal handshakes are listed until purged.
//! Handshakes are indexed per organization and per recipient (and per action within each), so
//! a token page costs O(page + log n), plus one step for each purged handshake not yet dropped
//! by [`Ledger::sweep`]. A parent filter walks the parent's children. A numbered page (Alibaba)
//! must report the total count, so it costs O(n) in the listing's size.
//!
//! # Tokens
//!
//! A token marks the position after the last item returned (its request time, then its id), so
//! handshakes created or purged between two calls are neither repeated nor skipped. (The one
//! exception is in the order itself: a handshake requested at the very instant of the last
//! item returned, with a smaller id, sorts before the token's position, so it is not on later
//! pages; it is on a fresh listing.) It is bound
//! to the listing that issued it (which listing, the caller, the filter) by a checksum: a token
//! from another listing, edited, or not issued by this crate is refused as invalid input. The
//! checksum is FNV-1a, deterministic and keyless: it catches mistakes, it is not a secret.

use chrono::{DateTime, Utc};

use super::indexes::Entries;
use super::token;
use super::{Ledger, LedgerError, Parameter, Position};
use crate::error::InputProblem;
use crate::handshake::Handshake;
use crate::id::{AccountId, HandshakeId, OrganizationId};
use crate::vocab::Action;

/// A listing filter: by action, or by parent handshake, not both (AWS `Filter`).
///
/// ```
/// use org_handshake::Action;
/// use org_handshake::ledger::HandshakeFilter;
/// let filter = HandshakeFilter::action(Action::Invite);
/// assert_eq!(filter.parent, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct HandshakeFilter {
    /// Only handshakes with this action.
    pub action: Option<Action>,
    /// Only the children of this enable-all-features handshake.
    pub parent: Option<HandshakeId>,
}

impl HandshakeFilter {
    /// No filter.
    pub const NONE: HandshakeFilter = HandshakeFilter {
        action: None,
        parent: None,
    };

    /// Only handshakes with `action`.
    pub const fn action(action: Action) -> Self {
        HandshakeFilter {
            action: Some(action),
            parent: None,
        }
    }

    /// Only the children of `parent`.
    pub const fn parent(parent: HandshakeId) -> Self {
        HandshakeFilter {
            action: None,
            parent: Some(parent),
        }
    }
}

/// Which page to return. The provider layer checks its own limits (AWS `MaxResults` 1–20,
/// Huawei `limit` 1–2000, Alibaba `PageSize` 1–100) and defaults; the ledger only refuses zero.
///
/// ```
/// use org_handshake::ledger::PageRequest;
/// let first = PageRequest::first(20);
/// assert_eq!(first, PageRequest::Token { max_results: 20, token: None });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageRequest {
    /// Up to `max_results` items after the position `token` marks (from the start when
    /// `None`); the page carries the next token while more items follow. AWS `NextToken`,
    /// Huawei `marker`.
    Token {
        /// The greatest number of items.
        max_results: usize,
        /// The token of the previous page, if any.
        token: Option<String>,
    },
    /// Page `number` (from 1) of pages of `size` items, with the total count. Alibaba
    /// `PageNumber`/`PageSize`.
    Number {
        /// The page, from 1.
        number: usize,
        /// Items per page.
        size: usize,
    },
}

impl PageRequest {
    /// The first token page of up to `max_results` items.
    pub const fn first(max_results: usize) -> Self {
        PageRequest::Token {
            max_results,
            token: None,
        }
    }

    /// The token page after the one that returned `token`.
    pub fn after(max_results: usize, token: impl Into<String>) -> Self {
        PageRequest::Token {
            max_results,
            token: Some(token.into()),
        }
    }
}

/// One page of a listing, each handshake as seen at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The handshakes, oldest request first, ties by id.
    pub handshakes: Vec<Handshake>,
    /// For a token page: the token of the next page, `None` on the last page.
    pub next_token: Option<String>,
    /// For a numbered page: how many items the whole listing has.
    pub total_count: Option<usize>,
}

/// Which listing a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Account(AccountId),
    Organization(OrganizationId),
}

impl Ledger {
    /// The handshakes `caller` has received (as resolved recipient), as seen at `now`. Any
    /// account may call.
    ///
    /// # Errors
    ///
    /// In this order: [`LedgerError::InvalidInput`] for both filters at once
    /// ([`InputProblem::Conflicting`]), a zero page size, or a token this listing did not issue
    /// ([`InputProblem::InvalidToken`]); [`LedgerError::TimeWentBackwards`].
    ///
    /// # Example: pages of one
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [
    /// #   {"id": "o-aaaaaaaaaa", "management_account": {"id": "111111111111", "name": "a"}},
    /// #   {"id": "o-bbbbbbbbbb", "management_account": {"id": "222222222222", "name": "b"}}]}))?;
    /// let mut ledger = Ledger::new(Profile::AWS, &world)?;
    /// let juan: AccountId = "333333333333".parse()?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// ledger.invite("111111111111".parse()?, InviteRequest::new(Party::Account(juan)), &mut IdList::new(&["h-0000000001"]), now)?;
    /// ledger.invite("222222222222".parse()?, InviteRequest::new(Party::Account(juan)), &mut IdList::new(&["h-0000000002"]), now)?;
    ///
    /// let first = ledger.list_for_account(juan, HandshakeFilter::NONE, &PageRequest::first(1), now)?;
    /// assert_eq!(first.handshakes[0].id().as_str(), "h-0000000001");
    /// let token = first.next_token.ok_or("a second page")?;
    /// let second = ledger.list_for_account(juan, HandshakeFilter::NONE, &PageRequest::after(1, token), now)?;
    /// assert_eq!(second.handshakes[0].id().as_str(), "h-0000000002");
    /// assert_eq!(second.next_token, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_for_account(
        &self,
        caller: AccountId,
        filter: HandshakeFilter,
        page: &PageRequest,
        now: DateTime<Utc>,
    ) -> Result<Page, LedgerError> {
        let scope = Scope::Account(caller);
        check_form(filter, page)?;
        let after = decode_token(scope, filter, page)?;
        self.check_clock(now)?;
        Ok(self.page(scope, filter, page, after, now))
    }

    /// Every handshake `caller`'s organization has sent (parents and children included), as
    /// seen at `now`. Only the management account may call.
    ///
    /// # Errors
    ///
    /// In this order: [`LedgerError::InvalidInput`] for both filters at once or a zero page
    /// size; [`LedgerError::NotInOrganization`], [`LedgerError::NotManagementAccount`];
    /// [`LedgerError::InvalidInput`] for a token this listing did not issue (the token is bound
    /// to the organization, which the caller's role tells); [`LedgerError::TimeWentBackwards`].
    ///
    /// # Example: members may not list their organization's handshakes
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
    /// #   "management_account": {"id": "111111111111", "name": "Bill"}, "members": ["333333333333"]}],
    /// #   "accounts": [{"id": "333333333333", "name": "mary"}]}))?;
    /// let ledger = Ledger::new(Profile::AWS, &world)?;
    /// let now = "2026-01-05T10:00:00Z".parse()?;
    /// let page = PageRequest::first(20);
    /// assert!(ledger.list_for_organization("111111111111".parse()?, HandshakeFilter::NONE, &page, now)?.handshakes.is_empty());
    /// let err = ledger.list_for_organization("333333333333".parse()?, HandshakeFilter::NONE, &page, now).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::AccessDenied);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_for_organization(
        &self,
        caller: AccountId,
        filter: HandshakeFilter,
        page: &PageRequest,
        now: DateTime<Utc>,
    ) -> Result<Page, LedgerError> {
        check_form(filter, page)?;
        // The token is bound to the organization, which only the caller's role tells: the
        // role is checked before the token.
        let organization = self.managed_organization(caller)?;
        let scope = Scope::Organization(organization);
        let after = decode_token(scope, filter, page)?;
        self.check_clock(now)?;
        Ok(self.page(scope, filter, page, after, now))
    }

    /// The page itself, once the request is known to be good.
    fn page(
        &self,
        scope: Scope,
        filter: HandshakeFilter,
        page: &PageRequest,
        after: Option<Position>,
        now: DateTime<Utc>,
    ) -> Page {
        let items = self.items(scope, filter, after, now);
        match page {
            PageRequest::Token { max_results, .. } => {
                let mut items = items.peekable();
                let mut handshakes = Vec::with_capacity((*max_results).min(64));
                let mut last = None;
                while handshakes.len() < *max_results {
                    let Some(h) = items.next() else { break };
                    last = Some((h.requested_at(), h.id()));
                    handshakes.push(h.observed_at(now));
                }
                let next_token = match (last, items.peek()) {
                    (Some(position), Some(_)) => Some(encode(scope, filter, position)),
                    _ => None,
                };
                Page {
                    handshakes,
                    next_token,
                    total_count: None,
                }
            }
            PageRequest::Number { number, size } => {
                let skip = number.saturating_sub(1).saturating_mul(*size);
                let mut handshakes = Vec::with_capacity((*size).min(64));
                let mut total = 0usize;
                for h in items {
                    if total >= skip && handshakes.len() < *size {
                        handshakes.push(h.observed_at(now));
                    }
                    total += 1;
                }
                Page {
                    handshakes,
                    next_token: None,
                    total_count: Some(total),
                }
            }
        }
    }

    /// The listing's visible handshakes after `after`, in order.
    fn items<'a>(
        &'a self,
        scope: Scope,
        filter: HandshakeFilter,
        after: Option<Position>,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = &'a Handshake> + 'a {
        let indexes = &self.indexes;
        // The entries to list: one set with an action or parent filter, else the sets of every
        // action, merged below in listing order.
        let sets: Vec<&'a Entries<Position>> = match (filter.parent, filter.action, scope) {
            (Some(parent), _, _) => indexes.children.get(&parent).into_iter().collect(),
            (None, Some(action), Scope::Account(account)) => indexes
                .by_recipient_action
                .get(&(account, action))
                .into_iter()
                .collect(),
            (None, Some(action), Scope::Organization(org)) => indexes
                .by_organization_action
                .get(&(org, action))
                .into_iter()
                .collect(),
            (None, None, Scope::Account(account)) => Action::values()
                .iter()
                .filter_map(|action| indexes.by_recipient_action.get(&(account, *action)))
                .collect(),
            (None, None, Scope::Organization(org)) => Action::values()
                .iter()
                .filter_map(|action| indexes.by_organization_action.get(&(org, *action)))
                .collect(),
        };
        // Entries requested too long ago to be visible at `now` are not even looked at: in a
        // ledger that is not swept they pile up at the start of every listing (replaying the
        // 10 000-step vector, the organization's listings stepped over some thousand of them
        // each).
        let floor = self.handshakes.visible_since(now);
        let mut heads: Vec<_> = sets
            .into_iter()
            .map(|set| {
                // Any id makes the bound: everything at or before `floor` is gone.
                let floor = floor.and_then(|t| set.iter().next().map(|(first, _)| (t, first.1)));
                let bound = match (after, floor) {
                    (Some(after), Some(floor)) => Some(after.max(floor)),
                    (after, floor) => after.or(floor),
                };
                set.after(bound.as_ref()).peekable()
            })
            .collect();
        std::iter::from_fn(move || {
            // The least next position of the sets (ties cannot happen: ids differ).
            let mut least: Option<(usize, &Position)> = None;
            for (i, head) in heads.iter_mut().enumerate() {
                if let Some((position, _)) = head.peek() {
                    if least.map_or(true, |(_, l)| *position < l) {
                        least = Some((i, *position));
                    }
                }
            }
            let (i, _) = least?;
            heads.get_mut(i)?.next()
        })
        .filter_map(move |(_, slot)| self.handshakes.slot(*slot))
        .filter(move |h| {
            h.is_visible_at(now)
                && match scope {
                    Scope::Account(account) => h.recipient().account() == Some(&account),
                    Scope::Organization(org) => h.sender().id == org,
                }
        })
    }
}

/// Checks the request's own form: one filter at most, no empty pages.
fn check_form(filter: HandshakeFilter, page: &PageRequest) -> Result<(), LedgerError> {
    if filter.action.is_some() && filter.parent.is_some() {
        return Err(LedgerError::InvalidInput {
            parameter: Parameter::Filter,
            problem: InputProblem::Conflicting,
            reason: "filter by action or by parent handshake, not both",
        });
    }
    check_page(page)
}

/// Refuses empty pages (the account listing's rule too).
pub(super) fn check_page(page: &PageRequest) -> Result<(), LedgerError> {
    let too_small = |parameter, reason| LedgerError::InvalidInput {
        parameter,
        problem: InputProblem::TooSmall,
        reason,
    };
    match page {
        PageRequest::Token { max_results: 0, .. } => Err(too_small(
            Parameter::MaxResults,
            "at least one result per page",
        )),
        PageRequest::Number { number: 0, .. } => Err(too_small(
            Parameter::PageNumber,
            "pages are numbered from 1",
        )),
        PageRequest::Number { size: 0, .. } => {
            Err(too_small(Parameter::PageSize, "at least one item per page"))
        }
        _ => Ok(()),
    }
}

/// The position the request's token marks, if it has one and this listing issued it.
fn decode_token(
    scope: Scope,
    filter: HandshakeFilter,
    page: &PageRequest,
) -> Result<Option<Position>, LedgerError> {
    match page {
        PageRequest::Token {
            token: Some(token), ..
        } => decode(scope, filter, token)
            .map(Some)
            .ok_or(LedgerError::InvalidInput {
                parameter: Parameter::Token,
                problem: InputProblem::InvalidToken,
                reason: "not a token this listing issued",
            }),
        _ => Ok(None),
    }
}

/// Version tag of the token format, part of every checksum.
const TOKEN_VERSION: &str = "org-handshake/token/1";

/// The text a token's checksum covers: the format, the listing, and the position.
fn binding(scope: Scope, filter: HandshakeFilter, payload: &str) -> String {
    let (kind, who) = match scope {
        Scope::Account(account) => ("account", account.as_str().to_owned()),
        Scope::Organization(org) => ("organization", org.as_str().to_owned()),
    };
    let action = filter.action.map_or("", |a| a.as_str());
    let parent = filter.parent.map(|p| p.to_string()).unwrap_or_default();
    format!("{TOKEN_VERSION}\n{kind}\n{who}\n{action}\n{parent}\n{payload}")
}

/// The token for the position after `position` in this listing.
fn encode(scope: Scope, filter: HandshakeFilter, position: Position) -> String {
    let (at, id) = position;
    let payload = format!("{}.{}.{}", at.timestamp(), at.timestamp_subsec_nanos(), id);
    token::seal(&payload, |payload| binding(scope, filter, payload))
}

/// The position a token marks, if this listing issued it.
fn decode(scope: Scope, filter: HandshakeFilter, token: &str) -> Option<Position> {
    let payload = token::open(token, |payload| binding(scope, filter, payload))?;
    let mut parts = payload.split('.');
    let secs: i64 = parts.next()?.parse().ok()?;
    let nanos: u32 = parts.next()?.parse().ok()?;
    let id = HandshakeId::parse(parts.next()?).ok()?;
    if parts.next().is_some() {
        return None;
    }
    let at = DateTime::from_timestamp(secs, nanos)?;
    Some((at, id))
}
