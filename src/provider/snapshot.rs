//! Save and restore a whole [`Service`]: the [`ServiceSnapshot`] it serializes as.

use crate::id::AccountId;
use crate::ledger::Ledger;

use super::dialect::Dialect;
use super::error_table::{self, Detail, Override, OverrideError, Row};
use super::service::Service;
use super::{shown, Provider};
use crate::error::{ErrorKind, InputProblem};

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
    /// The corrections of the error table, each with the row it corrects.
    pub overrides: Vec<SavedOverride>,
    /// The ledger.
    pub ledger: Ledger,
}

/// An [`Override`] as a snapshot holds it: the row it corrects in the dialect's table, and what
/// it sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedOverride {
    /// The row it corrects.
    pub row: SavedRow,
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

/// The rows an override corrects, as a snapshot names them: by their kind and
/// [`Detail`](super::error_table::Detail) (what [`Override::corrects`] matches), each field
/// spelt as the table spells it. Kind, operation and code alone do not tell rows apart (AWS
/// answers several kinds of invalid input with `InvalidInputException`, told apart by the
/// problem); an index would point at another row once a row is added above it.
///
/// Snapshots written before saved rows this way named a row by its index (`"row": 3`); they
/// are refused ([`RestoreError::OverrideByIndex`]) rather than read, since nothing in them says
/// which table the index counted in, and a wrong guess corrects another error silently.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SavedRow {
    /// The rows' kind.
    pub kind: ErrorKind,
    /// The input problem of their detail, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<InputProblem>,
    /// The parameter of their detail, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The operation of their detail, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The cause of their detail ([`Cause::as_str`](crate::Cause::as_str)), if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The index an older snapshot saved instead (never written).
    #[serde(skip)]
    pub index: Option<usize>,
}

impl<'de> serde::Deserialize<'de> for SavedRow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Key {
            kind: ErrorKind,
            #[serde(default)]
            problem: Option<InputProblem>,
            #[serde(default)]
            parameter: Option<String>,
            #[serde(default)]
            operation: Option<String>,
            #[serde(default)]
            cause: Option<String>,
        }
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Saved {
            Key(Key),
            Index(usize),
        }
        let saved = Saved::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(
                "an override's row is an object of `kind` and the detail's `problem`, \
                 `parameter`, `operation` and `cause`",
            )
        })?;
        Ok(match saved {
            Saved::Key(key) => SavedRow {
                kind: key.kind,
                problem: key.problem,
                parameter: key.parameter,
                operation: key.operation,
                cause: key.cause,
                index: None,
            },
            Saved::Index(index) => SavedRow {
                kind: ErrorKind::Internal,
                problem: None,
                parameter: None,
                operation: None,
                cause: None,
                index: Some(index),
            },
        })
    }
}

impl SavedRow {
    /// How a snapshot names the rows of `kind` with `detail`.
    fn of(kind: ErrorKind, detail: &Detail) -> SavedRow {
        SavedRow {
            kind,
            problem: detail.problem,
            parameter: detail.parameter.map(str::to_owned),
            operation: detail.operation.map(str::to_owned),
            cause: detail.cause.map(|cause| cause.as_str().to_owned()),
            index: None,
        }
    }

    /// Whether this names `row`.
    fn names(&self, row: &Row) -> bool {
        let detail = &row.detail;
        self.index.is_none()
            && row.kind == self.kind
            && detail.problem == self.problem
            && detail.parameter == self.parameter.as_deref()
            && detail.operation == self.operation.as_deref()
            && detail.cause.map(|cause| cause.as_str()) == self.cause.as_deref()
    }
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
    #[error("an override names a {kind} row the {dialect} error table does not have ({})", crate::provider::error_table::describe_detail(detail.problem, detail.parameter.as_deref(), detail.operation.as_deref(), detail.cause.as_deref()))]
    NoSuchRow {
        /// The dialect.
        dialect: &'static str,
        /// The kind named.
        kind: ErrorKind,
        /// The detail named, each text cut to 64 characters.
        detail: SavedRow,
    },
    /// An override of an older snapshot names its row by index, which cannot say which row it
    /// meant once the table has changed (see [`SavedRow`]).
    #[error("an override names error table row {index} by its index, as older snapshots did; apply it again with Service::with_overrides and save a new snapshot")]
    OverrideByIndex {
        /// The index.
        index: usize,
    },
    /// The ledger's profile is another built-in provider's than the dialect's (the snapshot's
    /// dialect name was edited, say).
    #[error("the snapshot's ledger has the {profile} profile, which the {dialect} dialect does not speak")]
    ProfileMismatch {
        /// The dialect.
        dialect: &'static str,
        /// The ledger's profile name.
        profile: crate::id::ProfileName,
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
            RestoreError::OverrideByIndex { .. } => "override_by_index",
            RestoreError::ProfileMismatch { .. } => "profile_mismatch",
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
                table.iter().find(|row| fix.corrects(row))?;
                Some(SavedOverride {
                    row: SavedRow::of(fix.kind, &fix.detail),
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
    /// [`RestoreError`] for a dialect that is not built in, a ledger of another provider's
    /// profile, or an override that names no row or sets an impossible value.
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
        let profile = snapshot.ledger.profile();
        if profile.is_built_in() && profile != dialect.profile() {
            return Err(RestoreError::ProfileMismatch {
                dialect: dialect.name(),
                profile: profile.name,
            });
        }
        let table = dialect.error_table();
        let overrides = snapshot
            .overrides
            .iter()
            .map(|saved| {
                if let Some(index) = saved.row.index {
                    return Err(RestoreError::OverrideByIndex { index });
                }
                let row = table
                    .iter()
                    .find(|row| saved.row.names(row))
                    .ok_or_else(|| RestoreError::NoSuchRow {
                        dialect: dialect.name(),
                        kind: saved.row.kind,
                        detail: SavedRow {
                            parameter: saved.row.parameter.as_deref().map(shown),
                            operation: saved.row.operation.as_deref().map(shown),
                            cause: saved.row.cause.as_deref().map(shown),
                            ..saved.row.clone()
                        },
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
