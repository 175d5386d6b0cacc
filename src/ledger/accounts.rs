//! An organization's accounts, as its management account lists and describes them:
//! [`Ledger::list_accounts`] (token or numbered pages, see the listing order in
//! [`membership`](super::membership)) and [`Ledger::describe_account`], with the account-listing
//! token.

use chrono::{DateTime, Utc};

use super::listing::check_page;
use super::membership::AccountInfo;
use super::token;
use super::{Ledger, LedgerError, PageRequest, Parameter};
use crate::error::InputProblem;
use crate::event::JoinMethod;
use crate::id::{AccountId, OrganizationId};

/// One page of an organization's accounts: the management account first, then the members
/// by joined time, ties by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPage {
    /// The accounts.
    pub accounts: Vec<AccountInfo>,
    /// For a token page: the token of the next page, `None` on the last page.
    pub next_token: Option<String>,
    /// For a numbered page: how many accounts the whole listing has.
    pub total_count: Option<usize>,
}

/// Where an account sits in its organization's listing: the management account first, then
/// members by joined time, ties by id.
type Rank = (bool, DateTime<Utc>, AccountId);

impl Ledger {
    /// A page of the accounts of `caller`'s organization, as seen at `now`: the management
    /// account first, then the members by joined time, ties by id. Only the management account
    /// may call.
    ///
    /// # Errors
    ///
    /// In this order: [`LedgerError::InvalidInput`] for a zero page size or page number;
    /// [`LedgerError::NotInOrganization`], [`LedgerError::NotManagementAccount`];
    /// [`LedgerError::InvalidInput`] for a token this listing did not issue
    /// ([`InputProblem::InvalidToken`]); [`LedgerError::TimeWentBackwards`].
    ///
    /// # Example: pages of one
    ///
    /// ```
    /// # use org_handshake::*;
    /// # use org_handshake::ledger::*;
    /// # let world: World = serde_json::from_value(serde_json::json!({"organizations": [{"id": "o-exampleorgid",
    /// #   "management_account": {"id": "111111111111", "name": "Bill"}, "members": ["333333333333"]}]}))?;
    /// let ledger = Ledger::new(Profile::AWS, &world)?;
    /// let (bill, now) = ("111111111111".parse()?, "2026-01-05T10:00:00Z".parse()?);
    /// let first = ledger.list_accounts(bill, &PageRequest::first(1), now)?;
    /// assert_eq!(first.accounts[0].join_method, JoinMethod::Created);
    /// let second = ledger.list_accounts(bill, &PageRequest::after(1, first.next_token.ok_or("more")?), now)?;
    /// assert_eq!(second.accounts[0].id.as_str(), "333333333333");
    /// assert_eq!(second.next_token, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_accounts(
        &self,
        caller: AccountId,
        page: &PageRequest,
        now: DateTime<Utc>,
    ) -> Result<AccountPage, LedgerError> {
        check_page(page)?;
        let organization = self.managed_organization(caller)?;
        let after = match page {
            PageRequest::Token {
                token: Some(token), ..
            } => Some(
                decode(organization, token).ok_or(LedgerError::InvalidInput {
                    parameter: Parameter::Token,
                    problem: InputProblem::InvalidToken,
                    reason: "not a token this listing issued",
                })?,
            ),
            _ => None,
        };
        self.check_clock(now)?;
        let mut ranked: Vec<(Rank, AccountInfo)> = self
            .accounts_of(organization)
            .into_iter()
            .map(|info| {
                let rank = (
                    info.join_method != JoinMethod::Created,
                    info.joined_at,
                    info.id,
                );
                (rank, info)
            })
            .collect();
        ranked.sort_by_key(|(rank, _)| *rank);
        Ok(match page {
            PageRequest::Token { max_results, .. } => {
                let mut rest = ranked
                    .into_iter()
                    .filter(|(rank, _)| after.map_or(true, |after| *rank > after))
                    .peekable();
                let mut accounts = Vec::new();
                let mut last = None;
                while accounts.len() < *max_results {
                    let Some((rank, info)) = rest.next() else {
                        break;
                    };
                    last = Some(rank);
                    accounts.push(info);
                }
                let next_token = match (last, rest.peek()) {
                    (Some(rank), Some(_)) => Some(encode(organization, rank)),
                    _ => None,
                };
                AccountPage {
                    accounts,
                    next_token,
                    total_count: None,
                }
            }
            PageRequest::Number { number, size } => {
                let total = ranked.len();
                let skip = number.saturating_sub(1).saturating_mul(*size);
                AccountPage {
                    accounts: ranked
                        .into_iter()
                        .skip(skip)
                        .take(*size)
                        .map(|(_, info)| info)
                        .collect(),
                    next_token: None,
                    total_count: Some(total),
                }
            }
        })
    }

    /// Account `account` of `caller`'s organization (the management account included), as
    /// seen at `now`. Only the management account may call.
    ///
    /// # Errors
    ///
    /// In this order: [`LedgerError::NotInOrganization`], [`LedgerError::NotManagementAccount`];
    /// [`LedgerError::AccountNotInOrganization`] when `account` is not in the caller's
    /// organization; [`LedgerError::TimeWentBackwards`].
    pub fn describe_account(
        &self,
        caller: AccountId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<AccountInfo, LedgerError> {
        let organization = self.managed_organization(caller)?;
        let info = self
            .account_info(account)
            .filter(|info| info.organization == organization)
            .ok_or(LedgerError::AccountNotInOrganization {
                account,
                organization,
            })?;
        self.check_clock(now)?;
        Ok(info)
    }

    /// Every account of `organization`, the management account first, then the members in
    /// joining order.
    fn accounts_of(&self, organization: OrganizationId) -> Vec<AccountInfo> {
        let Some(org) = self.organizations.get(&organization) else {
            return Vec::new();
        };
        std::iter::once(&org.management_account)
            .chain(&org.members)
            .filter_map(|account| self.account_info(*account))
            .collect()
    }
}

/// Version tag of the account-listing token format, part of every checksum.
const TOKEN_VERSION: &str = "org-handshake/accounts/1";

fn binding(organization: OrganizationId, payload: &str) -> String {
    format!("{TOKEN_VERSION}\n{organization}\n{payload}")
}

/// The token for the position after `rank` in `organization`'s account listing: the position
/// in hex, then a checksum binding it to the listing (as handshake listings' tokens are).
fn encode(organization: OrganizationId, rank: Rank) -> String {
    let (member, at, account) = rank;
    let payload = format!(
        "{}.{}.{}.{}",
        u8::from(member),
        at.timestamp(),
        at.timestamp_subsec_nanos(),
        account
    );
    token::seal(&payload, |payload| binding(organization, payload))
}

/// The position a token marks, if `organization`'s account listing issued it.
fn decode(organization: OrganizationId, token: &str) -> Option<Rank> {
    let payload = token::open(token, |payload| binding(organization, payload))?;
    let mut parts = payload.split('.');
    let member = match parts.next()? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    let secs: i64 = parts.next()?.parse().ok()?;
    let nanos: u32 = parts.next()?.parse().ok()?;
    let account = AccountId::parse(parts.next()?).ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((member, DateTime::from_timestamp(secs, nanos)?, account))
}
