//! The starting [`World`] of a ledger: organizations and accounts, as a conformance vector's
//! `world` lists them, and the [`WorldError`] for a world that cannot exist.

use serde::{Deserialize, Serialize};

use crate::id::{AccountId, AccountName, Email, OrganizationId};
use crate::vocab::FeatureSet;

/// An account as the world knows it: its id, name and, when known, email address.
///
/// Names and emails are how `Name` and `Email` invitation targets find an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSpec {
    /// The account id.
    pub id: AccountId,
    /// The account's name.
    pub name: AccountName,
    /// The account's email address.
    #[serde(default)]
    pub email: Option<Email>,
}

/// An organization of the starting world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSpec {
    /// The organization id.
    pub id: OrganizationId,
    /// Its management account.
    pub management_account: AccountSpec,
    /// Its feature set, when the provider has one.
    #[serde(default)]
    pub feature_set: Option<FeatureSet>,
    /// Its member accounts (each listed in [`World::accounts`]), in the order they joined; each
    /// counts as having joined by invitation.
    #[serde(default)]
    pub members: Vec<AccountId>,
}

/// The organizations and accounts that exist before the first call.
///
/// Every account appears once: a management account inside its organization, every other
/// account (members included) in `accounts`.
///
/// ```
/// use org_handshake::ledger::World;
/// let world: World = serde_json::from_value(serde_json::json!({
///     "organizations": [{
///         "id": "o-exampleorgid",
///         "management_account": { "id": "111111111111", "name": "Bill", "email": "bill@example.com" },
///         "feature_set": "all",
///         "members": ["333333333333"]
///     }],
///     "accounts": [
///         { "id": "222222222222", "name": "juan", "email": "juan@example.com" },
///         { "id": "333333333333", "name": "mary" }
///     ]
/// }))?;
/// assert_eq!(world.organizations[0].members.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    /// The organizations.
    #[serde(default)]
    pub organizations: Vec<OrganizationSpec>,
    /// Every account that is not a management account.
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
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
    /// A member is not listed among the accounts.
    #[error("member {account} of organization {organization} is not a listed account")]
    UnknownMember {
        /// The organization.
        organization: OrganizationId,
        /// The member.
        account: AccountId,
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
}

impl WorldError {
    /// The stable snake_case code of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            WorldError::DuplicateAccount { .. } => "duplicate_account",
            WorldError::DuplicateOrganization { .. } => "duplicate_organization",
            WorldError::UnknownMember { .. } => "unknown_member",
            WorldError::AccountInTwoOrganizations { .. } => "account_in_two_organizations",
            WorldError::DuplicateEmail { .. } => "duplicate_email",
            WorldError::DuplicateName { .. } => "duplicate_name",
        }
    }
}
