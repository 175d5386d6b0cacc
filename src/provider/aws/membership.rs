//! The AWS membership operations: their request members and their response bodies, from
//! botocore's `organizations` 2016-11-28 model (`service-2.json`: the `Organization`, `Account`,
//! `ListAccountsRequest`/`Response` shapes, each operation's errors) and its `examples-1.json`
//! (CreateOrganization, DescribeOrganization, ListAccounts, DescribeAccount).
//!
//! | operation | request | response |
//! |---|---|---|
//! | `CreateOrganization` | `FeatureSet` (`ALL` default, `CONSOLIDATED_BILLING`) | `{"Organization": …}` |
//! | `DescribeOrganization` | none | `{"Organization": …}` |
//! | `DeleteOrganization` | none | `{}` |
//! | `ListAccounts` | `NextToken`, `MaxResults` (1–20, default 20) | `{"Accounts": […], "NextToken"?}` |
//! | `DescribeAccount` | `AccountId`* | `{"Account": …}` |
//! | `LeaveOrganization` | none | `{}` |
//! | `RemoveAccountFromOrganization` | `AccountId`* | `{}` |
//!
//! - **`Organization`**: `Id`, `Arn` (`arn:aws:organizations::<management>:organization/<id>`),
//!   `FeatureSet`, `MasterAccountArn`
//!   (`arn:aws:organizations::<management>:account/<id>/<management>`), `MasterAccountId`,
//!   `MasterAccountEmail` (when known), `AvailablePolicyTypes`.
//! - **`Account`**: `Id`, `Arn` (`arn:aws:organizations::<management>:account/<org>/<id>`),
//!   `Email` and `Name` (when known), `Status` and `State` (`ACTIVE`), `JoinedMethod`
//!   (`CREATED` for the management account, `INVITED` for a member), `JoinedTimestamp` (epoch
//!   seconds, as every AWS timestamp).
//! - **`AccountId`**: longer than 12 characters is `MAX_LENGTH_EXCEEDED`, otherwise anything
//!   but 12 digits `INVALID_PATTERN` (the model: `max 12`, `^\d{12}$`).
//!
//! # Choices the AWS documents leave open (unverified)
//!
//! - **`AvailablePolicyTypes`** (deprecated, "do not use"): as the examples show it,
//!   `[{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]` for all features, `[]` for
//!   consolidated billing.
//! - **`Paths`** is left out: the ledger has no roots or organizational units.
//! - **`Status` and `State`** are both sent (`ACTIVE`): the model has both until `Status` is
//!   retired; no account is ever closed here.
//! - **Operations without output** (`DeleteOrganization`, `LeaveOrganization`,
//!   `RemoveAccountFromOrganization`) answer `{}`: the JSON 1.1 protocol's empty structure.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::ids::{format_time, parse_account_id};
use crate::error::{Failure, InputProblem};
use crate::event::JoinMethod;
use crate::id::{AccountId, OrganizationId};
use crate::ledger::{AccountInfo, AccountPage, OrganizationInfo};
use crate::provider::{shown, to_json_string, to_json_string_sized, WireError, PAGE_ITEM_BYTES};
use crate::vocab::FeatureSet;

/// `AccountId`: at most 12 characters (`^\d{12}$`).
const MAX_ACCOUNT_ID_LEN: usize = 12;

/// The `FeatureSet` of CreateOrganization: `ALL` when absent.
pub(super) fn feature_set(body: &super::request::Body) -> Result<FeatureSet, Failure> {
    let Some(value) = body.get("FeatureSet").filter(|v| !v.is_null()) else {
        return Ok(FeatureSet::All);
    };
    let Value::String(text) = value else {
        return Err(Failure::invalid_input(
            "FeatureSet",
            InputProblem::WrongType,
            "`FeatureSet` must be a string",
        ));
    };
    match text.as_str() {
        "ALL" => Ok(FeatureSet::All),
        "CONSOLIDATED_BILLING" => Ok(FeatureSet::ConsolidatedBilling),
        other => Err(Failure::invalid_input(
            "FeatureSet",
            InputProblem::UnknownValue,
            format!(
                "`FeatureSet` `{}` is not ALL or CONSOLIDATED_BILLING",
                shown(other)
            ),
        )),
    }
}

/// The required `AccountId` of DescribeAccount and RemoveAccountFromOrganization.
pub(super) fn account_id(body: &super::request::Body) -> Result<AccountId, Failure> {
    let value = body
        .get("AccountId")
        .filter(|v| !v.is_null())
        .ok_or_else(|| {
            Failure::invalid_input(
                "AccountId",
                InputProblem::Missing,
                "`AccountId` is required",
            )
        })?;
    let Value::String(text) = value else {
        return Err(Failure::invalid_input(
            "AccountId",
            InputProblem::WrongType,
            "`AccountId` must be a string",
        ));
    };
    if text.chars().nth(MAX_ACCOUNT_ID_LEN).is_some() {
        return Err(Failure::invalid_input(
            "AccountId",
            InputProblem::TooLong,
            format!("`AccountId` is longer than {MAX_ACCOUNT_ID_LEN} characters"),
        ));
    }
    parse_account_id(text).map_err(|err| {
        Failure::invalid_input(
            "AccountId",
            InputProblem::InvalidPattern,
            format!("`AccountId` must match ^\\d{{12}}$: {err}"),
        )
    })
}

/// `arn:aws:organizations::<management>:organization/<organization>`.
fn organization_arn(management: &AccountId, organization: &OrganizationId) -> String {
    format!("arn:aws:organizations::{management}:organization/{organization}")
}

/// `arn:aws:organizations::<management>:account/<organization>/<account>`.
fn account_arn(
    management: &AccountId,
    organization: &OrganizationId,
    account: &AccountId,
) -> String {
    format!("arn:aws:organizations::{management}:account/{organization}/{account}")
}

#[derive(Serialize)]
struct PolicyTypeSummary {
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(rename = "Status")]
    status: &'static str,
}

/// The `Organization` structure.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Organization<'a> {
    id: &'a str,
    arn: String,
    feature_set: &'static str,
    master_account_arn: String,
    master_account_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    master_account_email: Option<&'a str>,
    available_policy_types: Vec<PolicyTypeSummary>,
}

impl<'a> Organization<'a> {
    fn of(info: &'a OrganizationInfo) -> Organization<'a> {
        // An organization of a provider without feature sets has all of AWS's.
        let all = info.feature_set != Some(FeatureSet::ConsolidatedBilling);
        Organization {
            id: info.id.as_str(),
            arn: organization_arn(&info.management_account, &info.id),
            feature_set: if all { "ALL" } else { "CONSOLIDATED_BILLING" },
            master_account_arn: account_arn(
                &info.management_account,
                &info.id,
                &info.management_account,
            ),
            master_account_id: info.management_account.as_str(),
            master_account_email: info.management_account_email.as_ref().map(|e| e.as_str()),
            available_policy_types: if all {
                vec![PolicyTypeSummary {
                    kind: "SERVICE_CONTROL_POLICY",
                    status: "ENABLED",
                }]
            } else {
                Vec::new()
            },
        }
    }
}

/// The `Account` structure.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Account<'a> {
    id: &'a str,
    arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    status: &'static str,
    state: &'static str,
    joined_method: &'static str,
    joined_timestamp: serde_json::Number,
}

impl<'a> Account<'a> {
    fn of(info: &'a AccountInfo) -> Result<Account<'a>, WireError> {
        Ok(Account {
            id: info.id.as_str(),
            arn: account_arn(&info.management_account, &info.organization, &info.id),
            email: info.email.as_ref().map(|e| e.as_str()),
            name: info.name.as_ref().map(|n| n.as_str()),
            status: "ACTIVE",
            state: "ACTIVE",
            joined_method: joined_method(info.join_method),
            joined_timestamp: timestamp(info.joined_at)?,
        })
    }
}

fn joined_method(method: JoinMethod) -> &'static str {
    match method {
        JoinMethod::Created => "CREATED",
        JoinMethod::Invited => "INVITED",
    }
}

fn timestamp(at: DateTime<Utc>) -> Result<serde_json::Number, WireError> {
    format_time(at)
}

/// `{"Organization": …}` as JSON text.
pub(super) fn organization_body(info: &OrganizationInfo) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(rename = "Organization")]
        organization: Organization<'a>,
    }
    to_json_string(&Body {
        organization: Organization::of(info),
    })
}

/// `{"Account": …}` as JSON text.
pub(super) fn account_body(info: &AccountInfo) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(rename = "Account")]
        account: Account<'a>,
    }
    to_json_string(&Body {
        account: Account::of(info)?,
    })
}

/// `{"Accounts": […], "NextToken"?}` as JSON text.
pub(super) fn accounts_body(page: &AccountPage) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(rename = "Accounts")]
        accounts: Vec<Account<'a>>,
        #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
        next_token: Option<&'a str>,
    }
    to_json_string_sized(
        &Body {
            accounts: page
                .accounts
                .iter()
                .map(Account::of)
                .collect::<Result<_, _>>()?,
            next_token: page.next_token.as_deref(),
        },
        PAGE_ITEM_BYTES.saturating_mul(page.accounts.len().saturating_add(1)),
    )
}
