//! The Huawei membership operations' response bodies, from `huaweicloudsdkorganizations` v1
//! (`organizations_client.py` for the paths and methods; `model/organization_dto.py`,
//! `account_dto.py`, `page_info_dto.py`, and the `*_response.py` models) and the API
//! reference's ListAccounts page (`AccountDto`, `PageInfoDto`).
//!
//! | SDK method | HTTP | request | response |
//! |---|---|---|---|
//! | `create_organization` | POST `/v1/organizations` | none | `{"organization": OrganizationDto}` |
//! | `show_organization` | GET `/v1/organizations` | none | `{"organization": OrganizationDto}` |
//! | `delete_organization` | DELETE `/v1/organizations` | none | `{}` |
//! | `list_accounts` | GET `/v1/organizations/accounts` | query `limit`, `marker` (`parent_id`, `with_register_contact_info` ignored) | `{"accounts": [AccountDto], "page_info": {"next_marker", "current_count"}}` |
//! | `show_account` | GET `/v1/organizations/accounts/{account_id}` | path `account_id` | `{"account": AccountDto}` |
//! | `leave_organization` | POST `/v1/organizations/leave` | none | `{}` |
//! | `remove_account` | POST `/v1/organizations/accounts/{account_id}/remove` | path `account_id` | `{}` |
//!
//! - **`OrganizationDto`**: `id`, `urn`, `management_account_id`, `management_account_name`,
//!   `created_at` (`YYYY-MM-DDTHH:MM:SSZ`, as every Huawei time).
//! - **`AccountDto`**: `id`, `urn`, `join_method` (`invited` or `created`), `status`
//!   (`active`), `joined_at`, `name`, and `email` when known.
//! - **Paging** is the handshake listings': `limit` 1–2000 (default 1000), an opaque `marker`,
//!   `page_info.next_marker` `null` on the last page.
//!
//! # Choices the Huawei documents leave open (unverified)
//!
//! - **URNs**: `organizations::<management>:organization:<organization>` and
//!   `organizations::<management>:account:<organization>/<account>`, by analogy with the
//!   documented handshake URN (`organizations::<management>:handshake:<organization>/<id>`).
//! - **`mobile_phone`, `intl_number_prefix`, `description`** are left out: the ledger has none.
//! - **Replies without a body model** (delete, leave, remove) are `{}` with status 200.
//! - **`account_id`** in a path follows the neutral account id rule, as invitation targets do.

use serde::Serialize;

use crate::event::JoinMethod;
use crate::ledger::{AccountInfo, AccountPage, OrganizationInfo};
use crate::provider::time::Stamp;
use crate::provider::{to_json_string, to_json_string_sized, WireError, PAGE_ITEM_BYTES};

use super::Marker;

fn stamp(at: chrono::DateTime<chrono::Utc>) -> Result<Stamp, WireError> {
    Stamp::of(at).ok_or_else(|| WireError::Unsupported {
        provider: super::PROVIDER,
        what: format!("the time {at} (years 0000-9999 only)"),
    })
}

#[derive(Serialize)]
struct OrganizationDto<'a> {
    id: &'a str,
    urn: String,
    management_account_id: &'a str,
    management_account_name: &'a str,
    created_at: Stamp,
}

#[derive(Serialize)]
struct AccountDto<'a> {
    id: &'a str,
    urn: String,
    join_method: &'static str,
    status: &'static str,
    joined_at: Stamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
}

impl<'a> AccountDto<'a> {
    fn of(info: &'a AccountInfo) -> Result<AccountDto<'a>, WireError> {
        Ok(AccountDto {
            id: info.id.as_str(),
            urn: format!(
                "organizations::{}:account:{}/{}",
                info.management_account, info.organization, info.id
            ),
            join_method: match info.join_method {
                JoinMethod::Created => "created",
                JoinMethod::Invited => "invited",
            },
            status: "active",
            joined_at: stamp(info.joined_at)?,
            name: info.name.as_ref().map(|n| n.as_str()),
            email: info.email.as_ref().map(|e| e.as_str()),
        })
    }
}

/// `{"organization": OrganizationDto}` as JSON text.
pub(super) fn organization_body(info: &OrganizationInfo) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        organization: OrganizationDto<'a>,
    }
    to_json_string(&Body {
        organization: OrganizationDto {
            id: info.id.as_str(),
            urn: format!(
                "organizations::{}:organization:{}",
                info.management_account, info.id
            ),
            management_account_id: info.management_account.as_str(),
            management_account_name: info.management_account_name.as_str(),
            created_at: stamp(info.created_at)?,
        },
    })
}

/// `{"account": AccountDto}` as JSON text.
pub(super) fn account_body(info: &AccountInfo) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        account: AccountDto<'a>,
    }
    to_json_string(&Body {
        account: AccountDto::of(info)?,
    })
}

/// `{"accounts": [AccountDto], "page_info": {"next_marker", "current_count"}}` as JSON text.
pub(super) fn accounts_body(page: &AccountPage) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct PageInfo<'a> {
        next_marker: Option<&'a str>,
        current_count: usize,
    }
    #[derive(Serialize)]
    struct Body<'a> {
        accounts: Vec<AccountDto<'a>>,
        page_info: PageInfo<'a>,
    }
    let marker = page.next_token.as_deref().map(Marker::parse).transpose()?;
    to_json_string_sized(
        &Body {
            accounts: page
                .accounts
                .iter()
                .map(AccountDto::of)
                .collect::<Result<_, _>>()?,
            page_info: PageInfo {
                next_marker: marker.as_ref().map(Marker::as_str),
                current_count: page.accounts.len(),
            },
        },
        PAGE_ITEM_BYTES.saturating_mul(page.accounts.len().saturating_add(1)),
    )
}
