//! The borrowed rendering view of a handshake: AWS's layout computed once from a neutral
//! [`Handshake`] and serialized without copying (its own file so that `handshake.rs` stays the
//! owned wire type and its parsing).

use serde::Serialize;

use crate::handshake::{Handshake, Party, Resource, SenderOrganization};
use crate::id::HandshakeId;
use crate::provider::{to_value, WireError};
use crate::vocab::{self, ResourceType};

use super::handshake::{WireHandshake, WireParty, WireResource, MAX_RESOURCE_DEPTH};
use super::ids::{check_account_id, format_time, HandshakeArn};
use super::vocab::{
    ActionType, HandshakePartyType, HandshakeResourceType, HandshakeState, OrganizationFeatureSet,
};

/// A handshake checked for AWS and laid out as AWS shows it, borrowing from the handshake.
///
/// [`WireHandshake::from_handshake`] copies it into owned strings;
/// [`render_handshake_json`](super::render_handshake_json) and
/// [`render_handshake`](super::render_handshake) serialize it directly, with the same keys in
/// the same order as the derived `Serialize` of [`WireHandshake`].
pub(super) struct View<'a> {
    handshake: &'a Handshake,
    id: HandshakeId,
    parent: Option<HandshakeId>,
    arn: HandshakeArn,
    /// The sender organization, read out once (each `as_str` of an inline id checks its UTF-8
    /// again).
    organization_id: &'a str,
    /// The recipient party (absent for a handshake to the sender's own management account).
    recipient_party: Option<(HandshakePartyType, &'a str)>,
    /// The recipient resource (absent likewise).
    recipient_resource: Option<(HandshakeResourceType, &'a str)>,
    requested_timestamp: serde_json::Number,
    expiration_timestamp: serde_json::Number,
}

impl<'a> View<'a> {
    /// Checks that AWS can express `handshake`, in the order the errors are documented on
    /// [`WireHandshake::from_handshake`].
    pub(super) fn of(handshake: &'a Handshake) -> Result<Self, WireError> {
        let arn = HandshakeArn::of(handshake)?;
        let sender = handshake.sender();
        let recipient = handshake.recipient();
        let to_management_account = recipient.account() == Some(&sender.management_account);

        let (recipient_party, recipient_resource) = match recipient.target() {
            Party::Name(name) => {
                return Err(WireError::unsupported(
                    super::PROVIDER,
                    format!(
                    "a recipient named by account name (`{name}`): AWS invites by ACCOUNT or EMAIL"
                ),
                ))
            }
            Party::Organization(_) => {
                return Err(WireError::unsupported(
                    super::PROVIDER,
                    "an organization as recipient",
                ))
            }
            _ if to_management_account => {
                if !matches!(recipient.target(), Party::Account(_)) {
                    return Err(WireError::unsupported(
                        super::PROVIDER,
                        "a handshake to the sender's own management account named by email",
                    ));
                }
                (None, None)
            }
            Party::Account(id) => {
                check_account_id(id).map_err(|err| {
                    WireError::unsupported(super::PROVIDER, format!("recipient: {err}"))
                })?;
                (
                    Some((HandshakePartyType::Account, id.as_str())),
                    Some((HandshakeResourceType::Account, id.as_str())),
                )
            }
            Party::Email(email) => {
                let resource = match recipient.account() {
                    // Once accepted, the account that joined is shown (the AcceptHandshake
                    // example); before that the email is, so existence does not leak.
                    Some(account) if handshake.state() == vocab::HandshakeState::Accepted => {
                        check_account_id(account).map_err(|err| {
                            WireError::unsupported(super::PROVIDER, format!("recipient: {err}"))
                        })?;
                        (HandshakeResourceType::Account, account.as_str())
                    }
                    _ => (HandshakeResourceType::Email, email.as_str()),
                };
                (
                    Some((HandshakePartyType::Email, email.as_str())),
                    Some(resource),
                )
            }
        };

        let extras = handshake.resources();
        if handshake.notes().is_none()
            && extras.first().map(|r| r.kind) == Some(vocab::ResourceType::Notes)
        {
            return Err(WireError::unsupported(super::PROVIDER,
                "an extra NOTES resource on a handshake without notes (it would read back as the notes)",
            ));
        }
        if let Some(deep) = extras
            .iter()
            .find(|r| !r.children.is_empty() && r.depth() > MAX_RESOURCE_DEPTH - 1)
        {
            return Err(WireError::unsupported(
                super::PROVIDER,
                format!(
                    "a resource tree {} levels deep (at most {MAX_RESOURCE_DEPTH})",
                    deep.depth() + 1
                ),
            ));
        }

        Ok(View {
            handshake,
            id: handshake.id(),
            parent: handshake.parent(),
            arn,
            organization_id: sender.id.as_str(),
            recipient_party,
            recipient_resource,
            requested_timestamp: format_time(handshake.requested_at())?,
            expiration_timestamp: format_time(handshake.expires_at())?,
        })
    }

    /// The sender organization, then the recipient.
    fn parties(&self) -> impl Iterator<Item = PartyView<'_>> {
        let organization = (HandshakePartyType::Organization, self.organization_id);
        [Some(organization), self.recipient_party]
            .into_iter()
            .flatten()
            .map(|(kind, id)| PartyView {
                id,
                kind: kind.as_str(),
            })
    }

    /// The same order as [`resource_tree`]: parent, organization, recipient, notes,
    /// extras.
    fn resources(&self) -> impl Iterator<Item = Node<'_>> {
        let sender = self.handshake.sender();
        let top = [
            self.parent
                .as_ref()
                .map(|parent| Node::leaf(HandshakeResourceType::ParentHandshake, parent.as_str())),
            Some(Node {
                kind: HandshakeResourceType::Organization,
                value: self.organization_id,
                children: Children::Organization(sender),
            }),
            self.recipient_resource
                .map(|(kind, value)| Node::leaf(kind, value)),
            self.handshake
                .notes()
                .map(|notes| Node::leaf(HandshakeResourceType::Notes, notes.as_str())),
        ];
        top.into_iter()
            .flatten()
            .chain(self.handshake.resources().iter().map(Node::of_resource))
    }

    pub(super) fn to_wire(&self) -> WireHandshake {
        WireHandshake {
            id: Some(self.id.as_str().to_owned()),
            arn: Some(self.arn.to_string()),
            parties: Some(
                self.parties()
                    .map(|party| WireParty {
                        id: Some(party.id.to_owned()),
                        kind: Some(party.kind.to_owned()),
                    })
                    .collect(),
            ),
            state: Some(
                HandshakeState::from(self.handshake.state())
                    .as_str()
                    .to_owned(),
            ),
            requested_timestamp: Some(self.requested_timestamp.clone()),
            expiration_timestamp: Some(self.expiration_timestamp.clone()),
            action: Some(
                ActionType::from(self.handshake.action())
                    .as_str()
                    .to_owned(),
            ),
            resources: Some(self.resources().map(Node::to_wire).collect()),
        }
    }
}

impl Serialize for View<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("WireHandshake", 8)?;
        out.serialize_field("Id", self.id.as_str())?;
        // Written out whole first: through `collect_str` every piece of the ARN went through
        // the formatter and the string escaper on its own.
        out.serialize_field("Arn", &self.arn.text())?;
        out.serialize_field("Parties", &Sequence(|| self.parties()))?;
        out.serialize_field(
            "State",
            HandshakeState::from(self.handshake.state()).as_str(),
        )?;
        out.serialize_field("RequestedTimestamp", &self.requested_timestamp)?;
        out.serialize_field("ExpirationTimestamp", &self.expiration_timestamp)?;
        out.serialize_field("Action", ActionType::from(self.handshake.action()).as_str())?;
        out.serialize_field("Resources", &Sequence(|| self.resources()))?;
        out.end()
    }
}

/// Serializes the items of a fresh iterator as a JSON array.
struct Sequence<F>(F);

impl<F, I> Serialize for Sequence<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A [`WireParty`], borrowed.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PartyView<'a> {
    id: &'a str,
    #[serde(rename = "Type")]
    kind: &'static str,
}

/// A [`WireResource`], borrowed.
#[derive(Clone, Copy)]
struct Node<'a> {
    kind: HandshakeResourceType,
    value: &'a str,
    children: Children<'a>,
}

/// A node's nested resources.
#[derive(Clone, Copy)]
enum Children<'a> {
    /// The sender's details under the ORGANIZATION resource.
    Organization(&'a SenderOrganization),
    /// A neutral resource's children (empty for a leaf); the depth was bounded by [`View::of`].
    Tree(&'a [Resource]),
}

impl<'a> Node<'a> {
    fn leaf(kind: HandshakeResourceType, value: &'a str) -> Self {
        Node {
            kind,
            value,
            children: Children::Tree(&[]),
        }
    }

    fn of_resource(resource: &'a Resource) -> Self {
        Node {
            kind: resource.kind.into(),
            value: &resource.value,
            children: Children::Tree(&resource.children),
        }
    }

    fn children(self) -> impl Iterator<Item = Node<'a>> {
        let (details, tree) = match self.children {
            Children::Organization(sender) => (
                [
                    sender.management_account_email.as_ref().map(|email| {
                        Node::leaf(HandshakeResourceType::MasterEmail, email.as_str())
                    }),
                    Some(Node::leaf(
                        HandshakeResourceType::MasterName,
                        sender.management_account_name.as_str(),
                    )),
                    sender.feature_set.map(|feature_set| {
                        Node::leaf(
                            HandshakeResourceType::OrganizationFeatureSet,
                            OrganizationFeatureSet::from(feature_set).as_str(),
                        )
                    }),
                ],
                &[][..],
            ),
            Children::Tree(tree) => ([None, None, None], tree),
        };
        details
            .into_iter()
            .flatten()
            .chain(tree.iter().map(Node::of_resource))
    }

    fn is_leaf(self) -> bool {
        matches!(self.children, Children::Tree(tree) if tree.is_empty())
    }

    fn to_wire(self) -> WireResource {
        WireResource {
            value: Some(self.value.to_owned()),
            kind: Some(self.kind.as_str().to_owned()),
            resources: (!self.is_leaf()).then(|| self.children().map(Node::to_wire).collect()),
        }
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let leaf = self.is_leaf();
        let mut out = serializer.serialize_struct("WireResource", 2 + usize::from(!leaf))?;
        out.serialize_field("Value", self.value)?;
        out.serialize_field("Type", self.kind.as_str())?;
        if leaf {
            out.skip_field("Resources")?;
        } else {
            out.serialize_field("Resources", &Sequence(|| self.children()))?;
        }
        out.end()
    }
}

/// The full resource tree of a handshake, as AWS lists it: the parent handshake of a child, the
/// sender organization (with the management account's email and name and the feature set as
/// children, when known), the recipient unless it is the sender's own management account, the
/// notes, then [`Handshake::resources`]. Only AWS shows a tree; the neutral model keeps these
/// facts as fields.
///
/// ```
/// use org_handshake::provider::aws::resource_tree;
/// use org_handshake::{Resource, ResourceType};
/// let h = org_handshake::example::aws_invitation()?;
/// let tree = resource_tree(&h);
/// assert_eq!(tree[0].kind, ResourceType::Organization);
/// assert_eq!(tree[0].children[1].kind, ResourceType::MasterName);
/// assert_eq!(tree[1], Resource::new(ResourceType::Account, "222222222222"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn resource_tree(handshake: &Handshake) -> Vec<Resource> {
    let sender = handshake.sender();
    let mut org = Resource::new(ResourceType::Organization, sender.id.as_str());
    if let Some(email) = &sender.management_account_email {
        org.children
            .push(Resource::new(ResourceType::MasterEmail, email.as_str()));
    }
    org.children.push(Resource::new(
        ResourceType::MasterName,
        sender.management_account_name.as_str(),
    ));
    if let Some(feature_set) = sender.feature_set {
        org.children.push(Resource::new(
            ResourceType::OrganizationFeatureSet,
            feature_set.as_str(),
        ));
    }
    let mut tree = Vec::with_capacity(4 + handshake.resources().len());
    if let Some(parent) = handshake.parent() {
        tree.push(Resource::new(
            ResourceType::ParentHandshake,
            parent.as_str(),
        ));
    }
    tree.push(org);
    let recipient = handshake.recipient();
    if recipient.account() != Some(&sender.management_account) {
        tree.push(match recipient.target() {
            Party::Account(id) => Resource::new(ResourceType::Account, id.as_str()),
            Party::Email(email) => Resource::new(ResourceType::Email, email.as_str()),
            Party::Name(name) => Resource::new(ResourceType::Account, name.as_str()),
            Party::Organization(id) => Resource::new(ResourceType::Organization, id.as_str()),
        });
    }
    if let Some(notes) = handshake.notes() {
        tree.push(Resource::new(ResourceType::Notes, notes.as_str()));
    }
    tree.extend(handshake.resources().iter().cloned());
    tree
}

impl WireHandshake {
    /// Renders `handshake` as AWS shows it (its stored state: pass
    /// [`observed_at(now)`](Handshake::observed_at) to show lazy expiry).
    ///
    /// See the [module docs](super) for the mapping.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] when AWS cannot express the handshake: a `name` recipient, an
    /// id outside AWS's patterns, a time before 1970, an ambiguous extra `NOTES` resource, a
    /// resource tree deeper than [`MAX_RESOURCE_DEPTH`].
    pub fn from_handshake(handshake: &Handshake) -> Result<Self, WireError> {
        View::of(handshake).map(|view| view.to_wire())
    }
}

/// Renders a bare handshake object as AWS JSON.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// let h = org_handshake::example::aws_invitation()?;
/// let json = org_handshake::provider::aws::render_handshake(&h)?;
/// assert_eq!(json["Parties"][1], serde_json::json!({"Id": "222222222222", "Type": "ACCOUNT"}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake(handshake: &Handshake) -> Result<serde_json::Value, WireError> {
    to_value(&View::of(handshake)?)
}

/// Renders a bare handshake object as AWS JSON text: the same text as
/// `serde_json::to_string(&WireHandshake::from_handshake(handshake)?)`, written without building
/// the owned [`WireHandshake`] or a `serde_json::Value` first.
///
/// # Errors
///
/// As [`WireHandshake::from_handshake`].
///
/// ```
/// use org_handshake::provider::aws::{render_handshake_json, WireHandshake};
/// let h = org_handshake::example::aws_invitation()?;
/// let text = render_handshake_json(&h)?;
/// assert!(text.starts_with(r#"{"Id":"h-examplehandshakeid111","Arn":"arn:aws:organizations::"#));
/// assert_eq!(text, serde_json::to_string(&WireHandshake::from_handshake(&h)?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_handshake_json(handshake: &Handshake) -> Result<String, WireError> {
    crate::provider::to_json_string(&View::of(handshake)?)
}
