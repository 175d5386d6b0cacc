//! zcloud's groups and members, the membership operations' side of the made-up cloud:
//!
//! ```json
//! {"group": {"id": "o-zc00000001", "owner": "1000000001", "owner_name": "zed", "created": 1577836800}}
//! {"member": {"account": "1000000002", "name": "ops", "group": "o-zc00000001",
//!             "owner": "1000000001", "how": "invited", "joined": 1577836800}}
//! {"members": [{"account": …}, …], "cursor": "…"}
//! {}
//! ```
//!
//! `zc.create`, `zc.group`, `zc.disband`, `zc.leave` take `{}`; `zc.member` and `zc.remove`
//! take `{"account": "<10 digits>"}`; `zc.members` takes `size` and `cursor` as the handshake
//! listings do. A group has no feature set; `how` is `created` for the group's owner, `invited`
//! for a member who accepted an invitation; times are whole Unix seconds; `name` and `email`
//! are left out when the ledger knows none.

use org_handshake::ledger::{AccountInfo, AccountPage, OrganizationInfo};
use org_handshake::JoinMethod;
use serde_json::{json, Map, Value};

/// A group: `{"id", "owner", "owner_name", "created"}`.
pub fn group(info: &OrganizationInfo) -> Value {
    json!({
        "id": info.id,
        "owner": info.management_account,
        "owner_name": info.management_account_name,
        "created": info.created_at.timestamp(),
    })
}

/// A member: `{"account", "name"?, "email"?, "group", "owner", "how", "joined"}`.
pub fn member(info: &AccountInfo) -> Value {
    let mut object = Map::new();
    object.insert("account".into(), json!(info.id));
    if let Some(name) = &info.name {
        object.insert("name".into(), json!(name));
    }
    if let Some(email) = &info.email {
        object.insert("email".into(), json!(email));
    }
    object.insert("group".into(), json!(info.organization));
    object.insert("owner".into(), json!(info.management_account));
    let how = match info.join_method {
        JoinMethod::Created => "created",
        _ => "invited",
    };
    object.insert("how".into(), json!(how));
    object.insert("joined".into(), json!(info.joined_at.timestamp()));
    Value::Object(object)
}

/// A page of members: `{"members": […], "cursor"?}`.
pub fn members(page: &AccountPage) -> Value {
    let mut body = json!({"members": page.accounts.iter().map(member).collect::<Vec<_>>()});
    if let Some(cursor) = &page.next_token {
        body["cursor"] = json!(cursor);
    }
    body
}
