//! Save and restore a whole [`Service`]: the [`ServiceSnapshot`] it serializes as.

use crate::id::AccountId;
use crate::ledger::Ledger;

use super::dialect::Dialect;
use super::error_table::{self, Override, OverrideError};
use super::service::Service;
use super::{shown, Provider};

/// Everything a [`Service`] needs to come back exactly as it was: the dialect it speaks (by
/// name), its error-table corrections, its default caller, and its [`Ledger`] (handshakes,
/// organizations, memberships as they stand, the clock, the profile, and so the validity of
/// every page token already handed out). It serializes to JSON and back; a [`Service`]
/// serializes as its snapshot.
///
/// # Example: save, restore, same answers
///
/// ```
/// use org_handshake::provider::{Call, Provider, Service};
/// let world = serde_json::from_value(serde_json::json!({
///     "organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "bill"}}],
///     "accounts": [{"id": "222222222222", "name": "juan"}]
/// }))?;
/// let mut service = Service::new(Provider::Aws, &world)?;
/// let now = "2026-01-05T10:00:00Z".parse()?;
/// let invite = serde_json::json!({"Target": {"Id": "222222222222", "Type": "ACCOUNT"}});
/// service.call(&Call::new("InviteAccountToOrganization", "111111111111", now, &invite).with_new_ids(&["h-0123456789"]))?;
///
/// let saved = serde_json::to_string(&service)?;
/// let mut restored: Service = serde_json::from_str(&saved)?;
/// let accept = serde_json::json!({"HandshakeId": "h-0123456789"});
/// let call = Call::new("AcceptHandshake", "222222222222", now, &accept);
/// assert_eq!(restored.call(&call)?, service.call(&call)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSnapshot {
    /// The dialect's name ([`Description::name`](super::Description::name)).
    pub dialect: String,
    /// Who calls when a request names no account.
    pub default_caller: Option<AccountId>,
    /// The corrections of the error table, each by the index of the row it corrects.
    pub overrides: Vec<SavedOverride>,
    /// The ledger.
    pub ledger: Ledger,
}

/// An [`Override`] as a snapshot holds it: the index of the row it corrects in the dialect's
/// table, and what it sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedOverride {
    /// The row's index in [`Description::error_table`](super::Description::error_table).
    pub row: usize,
    /// The status it sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The code it sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The message it sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Why a [`ServiceSnapshot`] could not be restored. Nothing is built then.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RestoreError {
    /// The snapshot names a dialect that is not a built-in provider (restore it with
    /// [`Service::restore_with`] and its dialect).
    #[error("`{name}` is not a built-in provider; restore it with its dialect")]
    UnknownDialect {
        /// The name (cut to 64 characters).
        name: String,
    },
    /// The snapshot was taken of another dialect than the one given.
    #[error("the snapshot is of dialect `{found}`, not `{expected}`")]
    WrongDialect {
        /// The dialect given.
        expected: &'static str,
        /// The snapshot's (cut to 64 characters).
        found: String,
    },
    /// An override names a row the dialect's table does not have.
    #[error("an override names row {row}, but the {dialect} error table has {rows} rows")]
    NoSuchRow {
        /// The dialect.
        dialect: &'static str,
        /// The row index.
        row: usize,
        /// How many rows the table has.
        rows: usize,
    },
    /// An override sets an impossible status or code.
    #[error(transparent)]
    Override(#[from] OverrideError),
}

impl RestoreError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            RestoreError::UnknownDialect { .. } => "unknown_dialect",
            RestoreError::WrongDialect { .. } => "wrong_dialect",
            RestoreError::NoSuchRow { .. } => "no_such_row",
            RestoreError::Override(err) => err.code(),
        }
    }
}

impl Service {
    /// The snapshot that [`restore`](Self::restore) brings back as this service.
    pub fn snapshot(&self) -> ServiceSnapshot {
        let table = self.dialect.error_table();
        let overrides = self
            .overrides
            .iter()
            .filter_map(|fix| {
                let row = table.iter().position(|row| fix.corrects(row))?;
                Some(SavedOverride {
                    row,
                    status: fix.status,
                    code: fix.code.clone(),
                    message: fix.message.clone(),
                })
            })
            .collect();
        ServiceSnapshot {
            dialect: self.dialect.name().to_owned(),
            default_caller: self.default_caller,
            overrides,
            ledger: self.ledger.clone(),
        }
    }

    /// A built-in provider's service, back as it was when `snapshot` was taken.
    ///
    /// # Errors
    ///
    /// [`RestoreError`] for a dialect that is not built in, or an override that names no
    /// row or sets an impossible value.
    pub fn restore(snapshot: ServiceSnapshot) -> Result<Service, RestoreError> {
        let provider: Provider =
            snapshot
                .dialect
                .parse()
                .map_err(|_| RestoreError::UnknownDialect {
                    name: shown(&snapshot.dialect),
                })?;
        Service::restore_with(provider.dialect(), snapshot)
    }

    /// A service speaking `dialect`, back as it was when `snapshot` was taken.
    ///
    /// # Errors
    ///
    /// [`RestoreError::WrongDialect`] when the snapshot is of another dialect; as
    /// [`restore`](Self::restore) otherwise.
    pub fn restore_with(
        dialect: &'static dyn Dialect,
        snapshot: ServiceSnapshot,
    ) -> Result<Service, RestoreError> {
        if snapshot.dialect != dialect.name() {
            return Err(RestoreError::WrongDialect {
                expected: dialect.name(),
                found: shown(&snapshot.dialect),
            });
        }
        let table = dialect.error_table();
        let overrides = snapshot
            .overrides
            .iter()
            .map(|saved| {
                let row = table.get(saved.row).ok_or(RestoreError::NoSuchRow {
                    dialect: dialect.name(),
                    row: saved.row,
                    rows: table.len(),
                })?;
                Ok(Override {
                    kind: row.kind,
                    detail: row.detail,
                    status: saved.status,
                    code: saved.code.clone(),
                    message: saved.message.clone(),
                })
            })
            .collect::<Result<Vec<_>, RestoreError>>()?;
        error_table::check_overrides(dialect.name(), table, &overrides)?;
        Ok(Service {
            dialect,
            overrides,
            ledger: snapshot.ledger,
            default_caller: snapshot.default_caller,
        })
    }
}

impl serde::Serialize for Service {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.snapshot().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Service {
    /// A built-in provider's service from its snapshot ([`Service::restore`]).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let snapshot = ServiceSnapshot::deserialize(deserializer)?;
        Service::restore(snapshot).map_err(serde::de::Error::custom)
    }
}
