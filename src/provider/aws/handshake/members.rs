//! The members of a handshake object, read the same way whether owned ([`WireHandshake`], every
//! member optional) or borrowed straight from the text ([`TextHandshake`], the fast path of
//! [`parse_handshake`](super::parse_handshake)), so that one conversion checks both.

use std::ops::Deref;

use serde::Deserialize;

use crate::handshake::Resource;
use crate::provider::field::Field;
use crate::provider::WireError;

use super::super::vocab::HandshakeResourceType;
use super::{WireHandshake, WireParty, WireResource, MAX_RESOURCE_DEPTH};

/// A [`WireParty`] read straight from the text (see [`TextHandshake`]).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct TextParty<S> {
    id: S,
    #[serde(rename = "Type")]
    kind: S,
}

/// A [`WireResource`] read straight from the text (see [`TextHandshake`]).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct TextResource<S> {
    value: S,
    #[serde(rename = "Type")]
    kind: S,
    resources: Option<Vec<TextResource<S>>>,
}

/// A [`WireHandshake`] read straight from the text, its strings `S` borrowed from the document
/// (`&str` where no string has escapes, else [`Text`](crate::provider::text::Text)): the same keys under the same serde rules,
/// except that the members every handshake has are required, so that a document without one is
/// left to the owned path, which names it (see `provider::text`). Absent `Resources` of a
/// resource are `None`, as serde reads any absent `Option`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct TextHandshake<S> {
    id: S,
    arn: S,
    parties: Vec<TextParty<S>>,
    state: S,
    requested_timestamp: serde_json::Number,
    expiration_timestamp: serde_json::Number,
    action: S,
    resources: Vec<TextResource<S>>,
}

/// A party's members, owned ([`WireParty`]) or borrowed ([`TextParty`]).
pub(super) trait PartyMembers {
    fn id(&self) -> Option<&str>;
    fn kind(&self) -> Option<&str>;
}

impl PartyMembers for WireParty {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }
}

impl<S: Deref<Target = str>> PartyMembers for TextParty<S> {
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn kind(&self) -> Option<&str> {
        Some(&self.kind)
    }
}

/// A resource node's members, owned ([`WireResource`]) or borrowed ([`TextResource`]), and the
/// checks made on them.
pub(super) trait ResourceMembers: Sized {
    fn value(&self) -> Option<&str>;
    fn kind(&self) -> Option<&str>;
    fn children(&self) -> &[Self];

    /// How many levels the tree has, without recursion.
    fn depth(&self) -> usize {
        let children = self.children();
        if children.is_empty() {
            // Most resources are leaves: no stack to allocate.
            return 1;
        }
        if children.iter().all(|c| c.children().is_empty()) {
            // And the rest hold leaves (an ORGANIZATION and its details).
            return 2;
        }
        let mut deepest = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            if depth > MAX_RESOURCE_DEPTH {
                break;
            }
            stack.extend(node.children().iter().map(|c| (c, depth + 1)));
        }
        deepest
    }

    fn kind_at(&self, at: &Field<'_>) -> Result<HandshakeResourceType, WireError> {
        let text = self
            .kind()
            .ok_or_else(|| WireError::missing(at.key("Type")))?;
        text.parse().map_err(|source| WireError::UnknownValue {
            field: at.key("Type").to_string(),
            source,
        })
    }

    fn value_at(&self, at: &Field<'_>) -> Result<&str, WireError> {
        self.value()
            .ok_or_else(|| WireError::missing(at.key("Value")))
    }

    fn expect_leaf(&self, at: &Field<'_>) -> Result<(), WireError> {
        if self.children().is_empty() {
            Ok(())
        } else {
            Err(WireError::invalid(
                at.key("Resources").to_string(),
                "this resource has no nested resources",
            ))
        }
    }

    /// Converts to a neutral resource; the caller has bounded the depth.
    fn to_resource(&self, at: &Field<'_>) -> Result<Resource, WireError> {
        let mut children = Vec::with_capacity(self.children().len());
        for (i, child) in self.children().iter().enumerate() {
            children.push(child.to_resource(&at.item("Resources", i))?);
        }
        Ok(Resource {
            kind: self.kind_at(at)?.into(),
            value: self.value_at(at)?.to_owned(),
            children,
        })
    }
}

impl ResourceMembers for WireResource {
    fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
    fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }
    fn children(&self) -> &[Self] {
        self.resources.as_deref().unwrap_or(&[])
    }
}

impl<S: Deref<Target = str>> ResourceMembers for TextResource<S> {
    fn value(&self) -> Option<&str> {
        Some(&self.value)
    }
    fn kind(&self) -> Option<&str> {
        Some(&self.kind)
    }
    fn children(&self) -> &[Self] {
        self.resources.as_deref().unwrap_or(&[])
    }
}

/// A handshake object's members, owned ([`WireHandshake`]) or borrowed ([`TextHandshake`]):
/// one conversion ([`to_handshake_at`](super::to_handshake_at)) checks both.
pub(super) trait HandshakeMembers {
    type Party: PartyMembers;
    type Resource: ResourceMembers;
    fn id(&self) -> Option<&str>;
    fn arn(&self) -> Option<&str>;
    fn parties(&self) -> Option<&[Self::Party]>;
    fn state(&self) -> Option<&str>;
    fn requested_timestamp(&self) -> Option<&serde_json::Number>;
    fn expiration_timestamp(&self) -> Option<&serde_json::Number>;
    fn action(&self) -> Option<&str>;
    fn resources(&self) -> Option<&[Self::Resource]>;
}

impl HandshakeMembers for WireHandshake {
    type Party = WireParty;
    type Resource = WireResource;
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn arn(&self) -> Option<&str> {
        self.arn.as_deref()
    }
    fn parties(&self) -> Option<&[WireParty]> {
        self.parties.as_deref()
    }
    fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }
    fn requested_timestamp(&self) -> Option<&serde_json::Number> {
        self.requested_timestamp.as_ref()
    }
    fn expiration_timestamp(&self) -> Option<&serde_json::Number> {
        self.expiration_timestamp.as_ref()
    }
    fn action(&self) -> Option<&str> {
        self.action.as_deref()
    }
    fn resources(&self) -> Option<&[WireResource]> {
        self.resources.as_deref()
    }
}

impl<S: Deref<Target = str>> HandshakeMembers for TextHandshake<S> {
    type Party = TextParty<S>;
    type Resource = TextResource<S>;
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn arn(&self) -> Option<&str> {
        Some(&self.arn)
    }
    fn parties(&self) -> Option<&[TextParty<S>]> {
        Some(&self.parties)
    }
    fn state(&self) -> Option<&str> {
        Some(&self.state)
    }
    fn requested_timestamp(&self) -> Option<&serde_json::Number> {
        Some(&self.requested_timestamp)
    }
    fn expiration_timestamp(&self) -> Option<&serde_json::Number> {
        Some(&self.expiration_timestamp)
    }
    fn action(&self) -> Option<&str> {
        Some(&self.action)
    }
    fn resources(&self) -> Option<&[TextResource<S>]> {
        Some(&self.resources)
    }
}
