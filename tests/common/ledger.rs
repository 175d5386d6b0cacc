//! Shared fixtures of the ledger tests (`tests/ledger_scenarios.rs`, `tests/ledger_model.rs`):
//! a fixed epoch, a small AWS-shaped world, and short helpers.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::ledger::{HandshakeFilter, InviteRequest, Ledger, PageRequest, World};
use org_handshake::{
    AccountId, HandshakeId, IdSource, IdSourceError, OrganizationId, Party, Profile,
};

pub type Error = Box<dyn std::error::Error>;

/// Every test starts here.
pub fn epoch() -> DateTime<Utc> {
    "2026-01-05T10:00:00Z".parse().unwrap()
}

pub fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

pub fn days(n: i64) -> TimeDelta {
    TimeDelta::days(n)
}

pub fn account(id: &str) -> AccountId {
    id.parse().unwrap()
}

pub fn hid(id: &str) -> HandshakeId {
    id.parse().unwrap()
}

/// `h-` + eight digits: the n-th test id.
pub fn nth(n: usize) -> HandshakeId {
    format!("h-{n:08}").parse().unwrap()
}

pub const ORG_A: &str = "o-aaaaaaaaaa";
pub const ORG_B: &str = "o-bbbbbbbbbb";
/// Management account of ORG_A (consolidated billing, two members).
pub const BILL: &str = "111111111111";
/// Members of ORG_A, in joining order.
pub const MARY: &str = "333333333333";
pub const MIKE: &str = "444444444444";
/// Management account of ORG_B (all features, one member).
pub const BOB: &str = "222222222222";
pub const BEN: &str = "555555555555";
/// Standalone accounts.
pub const JUAN: &str = "666666666666";
pub const JANE: &str = "777777777777";
/// An account the world does not list.
pub const GHOST: &str = "999999999999";

pub fn org(id: &str) -> OrganizationId {
    id.parse().unwrap()
}

pub fn world() -> World {
    serde_json::from_value(serde_json::json!({
        "organizations": [
            {
                "id": ORG_A,
                "management_account": { "id": BILL, "name": "bill", "email": "bill@example.com" },
                "feature_set": "CONSOLIDATED_BILLING",
                "members": [MARY, MIKE]
            },
            {
                "id": ORG_B,
                "management_account": { "id": BOB, "name": "bob", "email": "bob@example.com" },
                "feature_set": "ALL",
                "members": [BEN]
            }
        ],
        "accounts": [
            { "id": MARY, "name": "mary", "email": "mary@example.com" },
            { "id": MIKE, "name": "mike" },
            { "id": BEN, "name": "ben", "email": "ben@example.com" },
            { "id": JUAN, "name": "juan", "email": "juan@example.com" },
            { "id": JANE, "name": "jane", "email": "jane@example.com" }
        ]
    }))
    .unwrap()
}

pub fn ledger() -> Ledger {
    Ledger::new(Profile::AWS, &world()).unwrap()
}

pub fn invite_to(target: &str) -> InviteRequest {
    InviteRequest::new(Party::Account(account(target)))
}

/// An id source that gives `list` in order, then runs out.
pub fn ids(list: &[HandshakeId]) -> impl IdSource + '_ {
    let mut drawn = 0;
    move |_: &Profile| {
        let id = list
            .get(drawn)
            .copied()
            .ok_or(IdSourceError::Exhausted { drawn })?;
        drawn += 1;
        Ok(id)
    }
}

pub fn snapshot(ledger: &Ledger) -> serde_json::Value {
    serde_json::to_value(ledger).unwrap()
}

/// Every item of a listing, page by page, with `page_size` items a page.
pub fn all_pages(
    ledger: &Ledger,
    caller: AccountId,
    organization: bool,
    filter: HandshakeFilter,
    page_size: usize,
    now: DateTime<Utc>,
) -> Result<Vec<HandshakeId>, org_handshake::LedgerError> {
    let mut ids = Vec::new();
    let mut request = PageRequest::first(page_size);
    loop {
        let page = if organization {
            ledger.list_for_organization(caller, filter, &request, now)?
        } else {
            ledger.list_for_account(caller, filter, &request, now)?
        };
        assert!(page.handshakes.len() <= page_size);
        ids.extend(page.handshakes.iter().map(|h| h.id()));
        match page.next_token {
            Some(token) => {
                assert!(!page.handshakes.is_empty(), "a token after an empty page");
                request = PageRequest::after(page_size, token);
            }
            None => return Ok(ids),
        }
    }
}
