//! zcloud's bare handshake object:
//!
//! ```json
//! {"ref": "h-0123456789ab", "kind": "invite", "phase": "waiting",
//!  "group": "o-zc00000001", "owner": "1000000001", "owner_name": "zed",
//!  "to": {"account": "2000000002"}, "memo": "join us",
//!  "opened": 1767607200, "closes": 1768212000, "changed": 1767607200}
//! ```
//!
//! Invitations only; `to` names an account, or an email (with the account it resolved to once
//! accepted); times are whole Unix seconds; no management email, feature set, parent or
//! resources. Parsing is strict: an unknown key is an error.

use chrono::{DateTime, Utc};
use org_handshake::provider::WireError;
use org_handshake::{
    AccountId, Action, Handshake, HandshakeParts, HandshakeState, Party, Recipient,
    SenderOrganization,
};
use serde_json::{json, Map, Value};

const KEYS: &[&str] = &[
    "ref",
    "kind",
    "phase",
    "group",
    "owner",
    "owner_name",
    "to",
    "memo",
    "opened",
    "closes",
    "changed",
];

/// zcloud's name for a state.
fn phase(state: HandshakeState) -> Option<&'static str> {
    match state {
        HandshakeState::Open => Some("waiting"),
        HandshakeState::Accepted => Some("joined"),
        HandshakeState::Declined => Some("refused"),
        HandshakeState::Canceled => Some("withdrawn"),
        HandshakeState::Expired => Some("lapsed"),
        _ => None,
    }
}

fn unsupported(what: impl Into<String>) -> WireError {
    WireError::Unsupported {
        provider: "zcloud",
        what: what.into(),
    }
}

/// `handshake` as zcloud's bare object.
pub fn render(handshake: &Handshake) -> Result<Value, WireError> {
    if handshake.action() != Action::Invite {
        return Err(unsupported(format!("{} handshakes", handshake.action())));
    }
    if handshake.parent().is_some() || !handshake.resources().is_empty() {
        return Err(unsupported("parents and resources"));
    }
    let sender = handshake.sender();
    let zcloud_account = |id: &AccountId| super::account_id(id.as_str()).is_some();
    if super::profile()
        .check_handshake_id(&handshake.id())
        .is_err()
        || !zcloud_account(&sender.management_account)
        || !handshake.recipient().account().map_or(true, zcloud_account)
    {
        return Err(unsupported("ids outside zcloud's patterns"));
    }
    let phase = phase(handshake.state())
        .ok_or_else(|| unsupported(format!("the state {}", handshake.state())))?;
    let recipient = handshake.recipient();
    let to = match (recipient.target(), recipient.account()) {
        (Party::Account(id), _) => json!({"account": id}),
        (Party::Email(email), None) => json!({"email": email}),
        (Party::Email(email), Some(id)) => json!({"email": email, "account": id}),
        (other, _) => return Err(unsupported(format!("the recipient {other:?}"))),
    };
    let mut object = Map::new();
    object.insert("ref".into(), json!(handshake.id()));
    object.insert("kind".into(), json!("invite"));
    object.insert("phase".into(), json!(phase));
    object.insert("group".into(), json!(sender.id));
    object.insert("owner".into(), json!(sender.management_account));
    object.insert("owner_name".into(), json!(sender.management_account_name));
    object.insert("to".into(), to);
    if let Some(notes) = handshake.notes() {
        object.insert("memo".into(), json!(notes));
    }
    object.insert("opened".into(), json!(handshake.requested_at().timestamp()));
    object.insert("closes".into(), json!(handshake.expires_at().timestamp()));
    object.insert(
        "changed".into(),
        json!(handshake.state_entered_at().timestamp()),
    );
    Ok(Value::Object(object))
}

/// Reads a field that the strict object must have.
fn field<'v>(object: &'v Map<String, Value>, key: &str) -> Result<&'v Value, WireError> {
    object.get(key).ok_or_else(|| WireError::Missing {
        field: key.to_owned(),
    })
}

fn text<'v>(object: &'v Map<String, Value>, key: &str) -> Result<&'v str, WireError> {
    field(object, key)?.as_str().ok_or_else(|| WireError::Json {
        field: key.to_owned(),
        message: "expected a string".to_owned(),
    })
}

fn parsed<T: std::str::FromStr>(object: &Map<String, Value>, key: &str) -> Result<T, WireError>
where
    T::Err: std::fmt::Display,
{
    text(object, key)?
        .parse()
        .map_err(|err: T::Err| WireError::Invalid {
            field: key.to_owned(),
            reason: err.to_string(),
        })
}

/// A zcloud account id (10 digits) at `key`.
fn account(object: &Map<String, Value>, key: &str) -> Result<AccountId, WireError> {
    super::account_id(text(object, key)?).ok_or_else(|| WireError::Invalid {
        field: key.to_owned(),
        reason: "a zcloud account is 10 digits".to_owned(),
    })
}

fn time(object: &Map<String, Value>, key: &str) -> Result<DateTime<Utc>, WireError> {
    let seconds = field(object, key)?
        .as_i64()
        .ok_or_else(|| WireError::Json {
            field: key.to_owned(),
            message: "expected whole seconds".to_owned(),
        })?;
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| WireError::Invalid {
        field: key.to_owned(),
        reason: "out of range".to_owned(),
    })
}

/// Parses zcloud's bare object.
pub fn parse(json: &str) -> Result<Handshake, WireError> {
    let value: Value = serde_json::from_str(json).map_err(|err| WireError::Json {
        field: String::new(),
        message: err.to_string(),
    })?;
    let object = value.as_object().ok_or_else(|| WireError::Json {
        field: String::new(),
        message: "expected an object".to_owned(),
    })?;
    if let Some(key) = object.keys().find(|key| !KEYS.contains(&key.as_str())) {
        return Err(WireError::Invalid {
            field: key.clone(),
            reason: "not a zcloud handshake field".to_owned(),
        });
    }
    if text(object, "kind")? != "invite" {
        return Err(WireError::Invalid {
            field: "kind".to_owned(),
            reason: "zcloud has invitations only".to_owned(),
        });
    }
    let phase_text = text(object, "phase")?;
    let state = HandshakeState::values()
        .iter()
        .copied()
        .find(|state| phase(*state) == Some(phase_text))
        .ok_or_else(|| WireError::Invalid {
            field: "phase".to_owned(),
            reason: format!(
                "unknown phase `{}`",
                phase_text.chars().take(64).collect::<String>()
            ),
        })?;
    let to = field(object, "to")?
        .as_object()
        .ok_or_else(|| WireError::Json {
            field: "to".to_owned(),
            message: "expected an object".to_owned(),
        })?;
    if let Some(key) = to.keys().find(|key| *key != "account" && *key != "email") {
        return Err(WireError::Invalid {
            field: format!("to.{key}"),
            reason: "not a zcloud recipient field".to_owned(),
        });
    }
    let resolved = match to.get("account") {
        Some(_) => Some(account(to, "account")?),
        None => None,
    };
    let target = match (to.get("email"), resolved) {
        (Some(_), _) => Party::Email(parsed(to, "email")?),
        (None, Some(id)) => Party::Account(id),
        (None, None) => {
            return Err(WireError::Missing {
                field: "to.account".to_owned(),
            })
        }
    };
    let recipient = Recipient::new(target, resolved)?;
    let notes = match object.get("memo") {
        Some(_) => Some(parsed(object, "memo")?),
        None => None,
    };
    Ok(Handshake::from_parts(HandshakeParts {
        id: super::profile()
            .parse_handshake_id(text(object, "ref")?)
            .map_err(|err| WireError::Invalid {
                field: "ref".to_owned(),
                reason: err.to_string(),
            })?,
        action: Action::Invite,
        state,
        sender: SenderOrganization {
            id: parsed(object, "group")?,
            management_account: account(object, "owner")?,
            management_account_name: parsed(object, "owner_name")?,
            management_account_email: None,
            feature_set: None,
        },
        recipient,
        notes,
        parent: None,
        resources: Vec::new(),
        requested_at: time(object, "opened")?,
        expires_at: time(object, "closes")?,
        state_entered_at: Some(time(object, "changed")?),
    })?)
}
