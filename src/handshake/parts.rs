//! The parts of a [`Handshake`](super::Handshake): its parties ([`Party`],
//! [`SenderOrganization`], [`Recipient`]), its [`Resource`] tree, and the [`NewHandshake`]
//! request that creates one.

use serde::{Deserialize, Serialize};

use crate::error::InvalidHandshake;
use crate::id::{AccountId, AccountName, Email, HandshakeId, Notes, OrganizationId};
use crate::vocab::{Action, FeatureSet, ResourceType};

/// Who takes part in a handshake, as the providers name parties.
///
/// ```
/// use org_handshake::Party;
///
/// let party = Party::Email("juan@example.com".parse()?);
/// assert_eq!(serde_json::to_string(&party)?, r#"{"type":"email","id":"juan@example.com"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Party {
    /// An organization (the sender side).
    Organization(OrganizationId),
    /// An account, by id.
    Account(AccountId),
    /// An account, by its email address.
    Email(Email),
    /// An account, by its name.
    Name(AccountName),
}

/// The organization that sends a handshake, with its management account (which acts for it).
///
/// `management_account_email` and `feature_set` are optional because not every provider's JSON
/// carries them (Huawei and Alibaba have neither).
///
/// ```
/// use org_handshake::{FeatureSet, SenderOrganization};
///
/// let sender = SenderOrganization {
///     id: "o-exampleorgid".parse()?,
///     management_account: "111111111111".parse()?,
///     management_account_name: "Org Master Account".parse()?,
///     management_account_email: None,
///     feature_set: Some(FeatureSet::ConsolidatedBilling),
/// };
/// assert_eq!(sender.id.as_str(), "o-exampleorgid");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SenderOrganization {
    /// The organization.
    pub id: OrganizationId,
    /// Its management account, which acts for it.
    pub management_account: AccountId,
    /// The management account's name.
    pub management_account_name: AccountName,
    /// The management account's email address, when known.
    pub management_account_email: Option<Email>,
    /// The organization's feature set, when known.
    pub feature_set: Option<FeatureSet>,
}

/// The recipient of a handshake: the target as the sender named it, and the account it
/// resolved to.
///
/// A target named by email or name resolves to an account only when one is known; an
/// unresolved recipient can never act on the handshake.
///
/// ```
/// use org_handshake::{Party, Recipient};
///
/// let by_id = Recipient::for_account("222222222222".parse()?);
/// assert_eq!(by_id.account().map(|a| a.as_str()), Some("222222222222"));
///
/// let by_email = Recipient::new(Party::Email("juan@example.com".parse()?), None)?;
/// assert_eq!(by_email.account(), None);
///
/// // An organization is never a recipient.
/// assert!(Recipient::new(Party::Organization("o-exampleorgid".parse()?), None).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RecipientParts")]
pub struct Recipient {
    target: Party,
    account: Option<AccountId>,
}

#[derive(Deserialize)]
struct RecipientParts {
    target: Party,
    account: Option<AccountId>,
}

impl TryFrom<RecipientParts> for Recipient {
    type Error = InvalidHandshake;
    fn try_from(parts: RecipientParts) -> Result<Self, InvalidHandshake> {
        Recipient::new(parts.target, parts.account)
    }
}

impl Recipient {
    /// A recipient named by account id.
    ///
    /// ```
    /// let r = org_handshake::Recipient::for_account("222222222222".parse()?);
    /// assert!(matches!(r.target(), org_handshake::Party::Account(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_account(id: AccountId) -> Self {
        Recipient {
            target: Party::Account(id),
            account: Some(id),
        }
    }

    /// A recipient named by `target`, resolved to `account` when known.
    ///
    /// # Errors
    ///
    /// [`InvalidHandshake::InvalidRecipient`] when the target is an organization, or names an
    /// account id that differs from `account`.
    ///
    /// ```
    /// use org_handshake::{Party, Recipient};
    /// let a = "222222222222".parse()?;
    /// let b = "333333333333".parse()?;
    /// assert!(Recipient::new(Party::Account(a), Some(b)).is_err());
    /// assert_eq!(Recipient::new(Party::Account(a), None)?.account(), Some(&a));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(target: Party, account: Option<AccountId>) -> Result<Self, InvalidHandshake> {
        match (&target, account) {
            (Party::Organization(_), _) => Err(InvalidHandshake::InvalidRecipient {
                reason: "an organization cannot be a recipient",
            }),
            (Party::Account(id), Some(resolved)) if *id != resolved => {
                Err(InvalidHandshake::InvalidRecipient {
                    reason: "the target account id and the resolved account differ",
                })
            }
            (Party::Account(id), _) => Ok(Recipient::for_account(*id)),
            _ => Ok(Recipient { target, account }),
        }
    }

    /// The target as the sender named it.
    pub fn target(&self) -> &Party {
        &self.target
    }

    /// The account the target resolved to, if any.
    pub fn account(&self) -> Option<&AccountId> {
        self.account.as_ref()
    }
}

/// A node of a handshake's resource tree (AWS `HandshakeResource`): a typed value with children.
///
/// ```
/// use org_handshake::{Resource, ResourceType};
///
/// let org = Resource::new(ResourceType::Organization, "o-exampleorgid")
///     .with_child(Resource::new(ResourceType::MasterName, "Org Master Account"));
/// assert_eq!(org.children.len(), 1);
/// assert_eq!(org.depth(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Resource {
    /// What the value is.
    #[serde(rename = "type")]
    pub kind: ResourceType,
    /// The value.
    pub value: String,
    /// Nested resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Resource>,
}

impl Resource {
    /// The deepest resource tree a [`Handshake`](super::Handshake) may carry (a leaf has depth 1).
    ///
    /// JSON readers stop at a nesting limit (serde_json's is 128, and each tree level takes
    /// two: an object and its `children` array); a deeper tree would serialize to JSON that
    /// cannot be read back. 32 levels keep every provider's wrapping well inside that limit;
    /// documented trees are 2 deep.
    ///
    /// ```
    /// use org_handshake::{Resource, ResourceType};
    /// assert_eq!(Resource::MAX_DEPTH, 32);
    /// assert_eq!(Resource::new(ResourceType::Notes, "hi").depth(), 1);
    /// ```
    pub const MAX_DEPTH: usize = 32;

    /// A leaf resource.
    pub fn new(kind: ResourceType, value: impl Into<String>) -> Self {
        Resource {
            kind,
            value: value.into(),
            children: Vec::new(),
        }
    }

    /// The same resource with one more child.
    pub fn with_child(mut self, child: Resource) -> Self {
        self.children.push(child);
        self
    }

    /// How many levels the tree has (a leaf has depth 1).
    ///
    /// Computed without recursion, so even a degenerate deep tree cannot overflow the stack.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            stack.extend(node.children.iter().map(|c| (c, depth + 1)));
        }
        deepest
    }
}

/// What a new handshake request says; [`Handshake::create`](super::Handshake::create) turns it into a [`Handshake`](super::Handshake).
///
/// ```
/// use org_handshake::{Action, NewHandshake};
/// # let sender = org_handshake::SenderOrganization { id: "o-exampleorgid".parse()?, management_account: "111111111111".parse()?, management_account_name: "m".parse()?, management_account_email: None, feature_set: None };
/// let new = NewHandshake::invite("h-0123456789".parse()?, sender, org_handshake::Recipient::for_account("222222222222".parse()?));
/// assert_eq!(new.action, Action::Invite);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHandshake {
    /// The id, chosen by the caller (the crate makes no ids).
    pub id: HandshakeId,
    /// What the handshake asks for.
    pub action: Action,
    /// Who sends it.
    pub sender: SenderOrganization,
    /// Who receives it.
    pub recipient: Recipient,
    /// Free-text notes.
    pub notes: Option<Notes>,
    /// The parent of an approve-all-features child.
    pub parent: Option<HandshakeId>,
    /// Resources beyond those derived from the fields above (see [`Handshake::resources`](super::Handshake::resources)).
    pub resources: Vec<Resource>,
}

impl NewHandshake {
    /// An INVITE with no notes.
    pub fn invite(id: HandshakeId, sender: SenderOrganization, recipient: Recipient) -> Self {
        NewHandshake {
            id,
            action: Action::Invite,
            sender,
            recipient,
            notes: None,
            parent: None,
            resources: Vec::new(),
        }
    }

    /// The same request with notes.
    pub fn with_notes(mut self, notes: Notes) -> Self {
        self.notes = Some(notes);
        self
    }
}
