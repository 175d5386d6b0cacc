//! The Alibaba Resource Directory membership operations' response bodies, from
//! `alibabacloud_resourcemanager20200331` (`client.py`; `models/_enable_resource_directory_*`,
//! `_get_resource_directory_response_body.py`, `_destroy_resource_directory_*`,
//! `_list_accounts_*`, `_get_account_*`, `_remove_cloud_account_*`) and the API reference pages
//! of those operations (error codes).
//!
//! | action | request | response (besides `RequestId`) |
//! |---|---|---|
//! | `EnableResourceDirectory` | `EnableMode`* (`CurrentAccount` only) | `ResourceDirectory` {`CreateTime`, `MasterAccountId`, `MasterAccountName`, `ResourceDirectoryId`, `RootFolderId`} |
//! | `GetResourceDirectory` | none | `ResourceDirectory` {the same, `ControlPolicyStatus`, `MemberDeletionStatus`} |
//! | `DestroyResourceDirectory` | none | nothing |
//! | `ListAccounts` | `PageNumber` (≥ 1, default 1), `PageSize` (1–100, default 10) | `Accounts.Account[]`, `TotalCount`, `PageNumber`, `PageSize` |
//! | `GetAccount` | `AccountId`* (16 digits) | `Account` |
//! | `RemoveCloudAccount` | `AccountId`* (16 digits) | nothing |
//!
//! An `Account` has `AccountId`, `DisplayName`, `FolderId`, `JoinMethod` (`invited` or
//! `created`), `JoinTime`, `ModifyTime`, `ResourceDirectoryId`, `ResourceDirectoryPath`,
//! `Status`, `Type`, and in `GetAccount` `AccountName` when known. Times are ISO 8601 with `Z`,
//! to the second, as the handshakes'.
//!
//! # Choices the Alibaba documents leave open (unverified)
//!
//! - **The root folder** is `r-` and the directory id's characters after `rd-`; every account
//!   sits in it (`FolderId`), so `ResourceDirectoryPath` is `<rd-id>/<r-id>/<account>`.
//! - **`Status`**: `InviteSuccess` for an invited member; `CreateSuccess` for the management
//!   account, which joined by creating the directory (`JoinMethod` `created`).
//! - **`Type`**: `CloudAccount` for every account (the ledger has no resource accounts).
//! - **`DisplayName`**: the account's name, else its id. **`AccountName`**: its email address
//!   when known (Alibaba's logon name), else left out.
//! - **`ModifyTime`** is the joined time: nothing else about an account changes here.
//! - **`ControlPolicyStatus`** and **`MemberDeletionStatus`** are `Disabled`: the ledger has
//!   neither control policies nor deletable resource accounts.
//! - **The management account** is listed first, as every provider lists it.

use serde::Serialize;

use crate::event::JoinMethod;
use crate::ledger::{AccountInfo, AccountPage, OrganizationInfo, PageRequest};
use crate::provider::time::Stamp;
use crate::provider::{to_json_string, to_json_string_sized, WireError, PAGE_ITEM_BYTES};

fn stamp(at: chrono::DateTime<chrono::Utc>) -> Result<Stamp, WireError> {
    Stamp::of(at).ok_or_else(|| WireError::Unsupported {
        provider: "alibaba",
        what: format!("the time {at} (years 0000-9999 only)"),
    })
}

/// The root folder of a resource directory: `r-` and what follows `rd-` in its id.
fn root_folder(directory: &str) -> String {
    format!("r-{}", directory.strip_prefix("rd-").unwrap_or(directory))
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceDirectory<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    control_policy_status: Option<&'static str>,
    create_time: Stamp,
    master_account_id: &'a str,
    master_account_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_deletion_status: Option<&'static str>,
    resource_directory_id: &'a str,
    root_folder_id: String,
}

/// `{"RequestId", "ResourceDirectory": …}` as JSON text; `described` adds the fields only
/// `GetResourceDirectory` has.
pub(super) fn directory_body(
    info: &OrganizationInfo,
    described: bool,
    request_id: &str,
) -> Result<String, WireError> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        request_id: &'a str,
        resource_directory: ResourceDirectory<'a>,
    }
    let disabled = described.then_some("Disabled");
    to_json_string(&Body {
        request_id,
        resource_directory: ResourceDirectory {
            control_policy_status: disabled,
            create_time: stamp(info.created_at)?,
            master_account_id: info.management_account.as_str(),
            master_account_name: info.management_account_name.as_str(),
            member_deletion_status: disabled,
            resource_directory_id: info.id.as_str(),
            root_folder_id: root_folder(info.id.as_str()),
        },
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Account<'a> {
    account_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_name: Option<&'a str>,
    display_name: &'a str,
    folder_id: String,
    join_method: &'static str,
    join_time: Stamp,
    modify_time: Stamp,
    resource_directory_id: &'a str,
    resource_directory_path: String,
    status: &'static str,
    #[serde(rename = "Type")]
    kind: &'static str,
}

impl<'a> Account<'a> {
    fn of(info: &'a AccountInfo, with_name: bool) -> Result<Account<'a>, WireError> {
        let directory = info.organization.as_str();
        let folder = root_folder(directory);
        let created = info.join_method == JoinMethod::Created;
        Ok(Account {
            account_id: info.id.as_str(),
            account_name: with_name
                .then(|| info.email.as_ref().map(|e| e.as_str()))
                .flatten(),
            display_name: info.name.as_ref().map_or(info.id.as_str(), |n| n.as_str()),
            resource_directory_path: format!("{directory}/{folder}/{}", info.id),
            folder_id: folder,
            join_method: if created { "created" } else { "invited" },
            join_time: stamp(info.joined_at)?,
            modify_time: stamp(info.joined_at)?,
            resource_directory_id: directory,
            status: if created {
                "CreateSuccess"
            } else {
                "InviteSuccess"
            },
            kind: "CloudAccount",
        })
    }
}

/// `{"Account": …, "RequestId"}` as JSON text.
pub(super) fn account_body(info: &AccountInfo, request_id: &str) -> Result<String, WireError> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        account: Account<'a>,
        request_id: &'a str,
    }
    to_json_string(&Body {
        account: Account::of(info, true)?,
        request_id,
    })
}

/// `{"Accounts": {"Account": […]}, "PageNumber", "PageSize", "RequestId", "TotalCount"}` as
/// JSON text.
pub(super) fn accounts_body(
    page: &AccountPage,
    request: &PageRequest,
    request_id: &str,
) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(rename = "Account")]
        account: Vec<Account<'a>>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        accounts: List<'a>,
        page_number: usize,
        page_size: usize,
        request_id: &'a str,
        total_count: usize,
    }
    let (page_number, page_size) = match request {
        PageRequest::Number { number, size } => (*number, *size),
        PageRequest::Token { max_results, .. } => (1, *max_results),
    };
    to_json_string_sized(
        &Body {
            accounts: List {
                account: page
                    .accounts
                    .iter()
                    .map(|a| Account::of(a, false))
                    .collect::<Result<_, _>>()?,
            },
            page_number,
            page_size,
            request_id,
            total_count: page.total_count.unwrap_or(page.accounts.len()),
        },
        PAGE_ITEM_BYTES.saturating_mul(page.accounts.len().saturating_add(1)),
    )
}

/// `{"RequestId"}` as JSON text: the reply of an action with nothing else to say.
pub(super) fn empty_body(request_id: &str) -> Result<String, WireError> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        request_id: &'a str,
    }
    to_json_string(&Body { request_id })
}
