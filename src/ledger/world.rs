//! The starting [`World`] of a ledger: organizations and accounts, as a conformance vector's
//! `world` lists them (the one world type of the crate: the vectors' and the ledger's), and the
//! [`WorldError`] for a world that cannot exist.
//!
//! Unknown keys are refused (a typo such as `"acounts"` is an error naming the keys allowed,
//! never an empty world), and feature sets are spelled as the vectors spell them: `ALL` or
//! `CONSOLIDATED_BILLING`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{AccountId, AccountName, Email, OrganizationId};
use crate::vocab::FeatureSet;

/// An account as the world knows it: its id, name and, when known, email address.
///
/// Names and emails are how `Name` and `Email` invitation targets find an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// The account id.
    pub id: AccountId,
    /// The account's name.
    pub name: AccountName,
    /// The account's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
}

/// An organization of the starting world.
///
/// ```
/// use org_handshake::ledger::OrganizationSpec;
/// let err = serde_json::from_value::<OrganizationSpec>(serde_json::json!({
///     "id": "o-exampleorgid", "management_account": { "id": "111111111111", "name": "Bill" },
///     "feature_set": "all"
/// })).unwrap_err();
/// assert!(err.to_string().contains("expected `ALL` or `CONSOLIDATED_BILLING`"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSpec {
    /// The organization id.
    pub id: OrganizationId,
    /// Its management account.
    pub management_account: AccountSpec,
    /// Its feature set, when the provider has one: `ALL` or `CONSOLIDATED_BILLING`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "feature_set_spelling"
    )]
    pub feature_set: Option<FeatureSet>,
    /// Its member accounts, in the order they joined; each counts as having joined by
    /// invitation. A member listed in [`World::accounts`] has its name and email there; one
    /// that is not is known by its id alone.
    #[serde(default)]
    pub members: Vec<AccountId>,
    /// When it was created (its management account's joined time); absent:
    /// [`DEFAULT_CREATED_AT`], so that a world always gives the same answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When members joined, for those it names (each must be one of `members`); a member it
    /// does not name joined at the organization's creation time.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub joined_at: BTreeMap<AccountId, DateTime<Utc>>,
}

/// When an organization of a world that gives no `created_at` was created:
/// 2020-01-01T00:00:00Z, a fixed time so that joined times never depend on the clock.
pub const DEFAULT_CREATED_AT: DateTime<Utc> = match DateTime::from_timestamp(1_577_836_800, 0) {
    Some(at) => at,
    None => DateTime::<Utc>::MIN_UTC,
};

/// The organizations and accounts that exist before the first call.
///
/// Every account appears once: a management account inside its organization, every other
/// account in `accounts` (a member may be left out there and named only in its organization's
/// `members`).
///
/// ```
/// use org_handshake::ledger::World;
/// let world: World = serde_json::from_value(serde_json::json!({
///     "organizations": [{
///         "id": "o-exampleorgid",
///         "management_account": { "id": "111111111111", "name": "Bill", "email": "bill@example.com" },
///         "feature_set": "ALL",
///         "members": ["333333333333"]
///     }],
///     "accounts": [
///         { "id": "222222222222", "name": "juan", "email": "juan@example.com" },
///         { "id": "333333333333", "name": "mary" }
///     ]
/// }))?;
/// assert_eq!(world.organizations[0].members.len(), 1);
///
/// // A typo is an error, not an empty world.
/// let typo = serde_json::from_value::<World>(serde_json::json!({ "acounts": [] })).unwrap_err();
/// assert!(typo.to_string().contains("unknown field `acounts`"), "{typo}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    /// The organizations.
    #[serde(default)]
    pub organizations: Vec<OrganizationSpec>,
    /// Every account that is not a management account (members may be left out).
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
}

/// The world's spelling of a feature set, the vectors' own: `ALL`, `CONSOLIDATED_BILLING`.
mod feature_set_spelling {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::vocab::FeatureSet;

    const ALLOWED: &str = "expected `ALL` or `CONSOLIDATED_BILLING`";

    fn spelling(feature_set: FeatureSet) -> &'static str {
        match feature_set {
            FeatureSet::All => "ALL",
            FeatureSet::ConsolidatedBilling => "CONSOLIDATED_BILLING",
        }
    }

    pub(super) fn serialize<S: Serializer>(
        value: &Option<FeatureSet>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(feature_set) => serializer.serialize_some(spelling(*feature_set)),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<FeatureSet>, D::Error> {
        let text = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let Some(text) = text else { return Ok(None) };
        FeatureSet::values()
            .iter()
            .copied()
            .find(|f| spelling(*f) == text)
            .map(Some)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown feature set `{}`: {ALLOWED}",
                    text.chars().take(64).collect::<String>()
                ))
            })
    }
}

/// Why a [`World`] cannot exist.
///
/// ```
/// use org_handshake::ledger::WorldError;
/// let err = WorldError::DuplicateAccount { account: "222222222222".parse()? };
/// assert_eq!(err.code(), "duplicate_account");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorldError {
    /// An account is listed twice.
    #[error("account {account} is listed more than once")]
    DuplicateAccount {
        /// The account.
        account: AccountId,
    },
    /// An organization is listed twice.
    #[error("organization {organization} is listed more than once")]
    DuplicateOrganization {
        /// The organization.
        organization: OrganizationId,
    },
    /// An account belongs to two organizations (or twice to one).
    #[error("account {account} belongs to both {first} and {second}")]
    AccountInTwoOrganizations {
        /// The account.
        account: AccountId,
        /// The first organization it belongs to.
        first: OrganizationId,
        /// The second.
        second: OrganizationId,
    },
    /// Two accounts share an email address, so an `Email` target could not tell them apart.
    #[error("accounts {first} and {second} share an email address")]
    DuplicateEmail {
        /// One account.
        first: AccountId,
        /// The other.
        second: AccountId,
    },
    /// Two accounts share a name, so a `Name` target could not tell them apart.
    #[error("accounts {first} and {second} share a name")]
    DuplicateName {
        /// One account.
        first: AccountId,
        /// The other.
        second: AccountId,
    },
    /// An organization's `joined_at` names an account that is not one of its members.
    #[error("organization {organization} gives a joined time for {account}, which is not one of its members")]
    JoinedAtForNonMember {
        /// The organization.
        organization: OrganizationId,
        /// The account named.
        account: AccountId,
    },
    /// An id breaks the pattern of the provider the world is for (AWS 12-digit accounts and
    /// `o-` organizations, Huawei 32-hex accounts, Alibaba 16-digit accounts and `rd-`
    /// directories).
    #[error("{provider} cannot hold {what} `{id}`: it breaks the provider's id pattern")]
    IdOutsidePattern {
        /// The provider.
        provider: &'static str,
        /// `account` or `organization`.
        what: &'static str,
        /// The id.
        id: String,
    },
}

impl WorldError {
    /// The stable snake_case code of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            WorldError::DuplicateAccount { .. } => "duplicate_account",
            WorldError::DuplicateOrganization { .. } => "duplicate_organization",
            WorldError::AccountInTwoOrganizations { .. } => "account_in_two_organizations",
            WorldError::DuplicateEmail { .. } => "duplicate_email",
            WorldError::DuplicateName { .. } => "duplicate_name",
            WorldError::IdOutsidePattern { .. } => "id_outside_pattern",
            WorldError::JoinedAtForNonMember { .. } => "joined_at_for_non_member",
        }
    }
}
