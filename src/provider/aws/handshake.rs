//! The AWS handshake object (`WireHandshake`, with its parties and resources): strict parsing
//! into the neutral [`Handshake`] and rendering from it, as owned values or JSON.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::handshake::{Handshake, HandshakeParts, Party, Recipient, SenderOrganization};
use crate::id::{AccountName, Email, IdError, Notes};
use crate::provider::field::Field;
use crate::provider::text::{from_json_borrowed, Text};
use crate::provider::{from_json, shown, WireError};
use crate::vocab::FeatureSet;

use super::ids::{
    parse_account_id, parse_handshake_id, parse_organization_id, parse_time, ArnError, HandshakeArn,
};
use super::vocab::{
    ActionType, HandshakePartyType, HandshakeResourceType, HandshakeState, OrganizationFeatureSet,
};

mod members;

use members::{HandshakeMembers, PartyMembers, ResourceMembers, TextHandshake};

/// The deepest resource tree this module reads or writes (AWS nests two levels).
///
/// Deeper trees are refused with a typed error instead of recursing without bound.
pub const MAX_RESOURCE_DEPTH: usize = 32;

fn inconsistent(field: impl Into<String>, reason: impl Into<String>) -> WireError {
    WireError::Inconsistent {
        field: field.into(),
        reason: reason.into(),
    }
}

fn id_error(field: impl std::fmt::Display, err: IdError) -> WireError {
    WireError::invalid(field, err.to_string())
}

/// One party of an AWS handshake (`HandshakeParty`).
///
/// `Type` is kept as the provider's string so that an unknown value is reported as
/// [`WireError::UnknownValue`] naming its path, rather than as a JSON error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WireParty {
    /// The account id, organization id or email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `ACCOUNT`, `ORGANIZATION` or `EMAIL`.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// One node of an AWS resource tree (`HandshakeResource`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WireResource {
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The [`HandshakeResourceType`], as its string.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Nested resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<WireResource>>,
}

/// The AWS `Handshake` structure, with AWS's exact keys.
///
/// Every member is optional, as in the AWS model; [`to_handshake`](Self::to_handshake) says which
/// are missing. Enum members are kept as the provider's strings, so that an unknown value is
/// reported as [`WireError::UnknownValue`] naming its path. Unknown keys are refused by serde
/// (`deny_unknown_fields`): an emulator that adds members (a top-level `Notes`, say) is told so.
///
/// # Example: render and parse back
///
/// ```
/// use org_handshake::provider::aws::WireHandshake;
///
/// let h = org_handshake::example::aws_invitation()?;
/// let wire = WireHandshake::from_handshake(&h)?;
/// assert_eq!(wire.state.as_deref(), Some("OPEN"));
/// assert_eq!(wire.requested_timestamp.as_ref().map(|n| n.to_string()).as_deref(), Some("1767607200"));
/// assert_eq!(wire.to_handshake()?, h);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WireHandshake {
    /// The handshake id (`h-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The handshake ARN (see [`HandshakeArn`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The sender organization, then the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<WireParty>>,
    /// The [`HandshakeState`], as its string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_timestamp: Option<serde_json::Number>,
    /// Epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_timestamp: Option<serde_json::Number>,
    /// The [`ActionType`], as its string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The resource tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<WireResource>>,
}

impl WireHandshake {
    /// Parses the handshake strictly; errors name fields as `Handshake.<Member>…`.
    ///
    /// AWS does not say when a handshake entered its state. This fills it in as: `EXPIRED` →
    /// `ExpirationTimestamp`; any other state → `RequestedTimestamp` (the earliest instant it can
    /// have happened, so a terminal handshake read this way is purged at its earliest possible
    /// time). Use [`to_handshake_entered_at`](Self::to_handshake_entered_at) when the time is
    /// known.
    ///
    /// # Errors
    ///
    /// [`WireError::Missing`], [`Invalid`](WireError::Invalid),
    /// [`UnknownValue`](WireError::UnknownValue), [`Inconsistent`](WireError::Inconsistent) (the
    /// ARN against the id, action and organization; parties against resources) naming the
    /// field, or [`Model`](WireError::Model) for a handshake that cannot exist.
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.to_handshake_at("Handshake", None)
    }

    /// Parses the handshake like [`to_handshake`](Self::to_handshake), taking the time it
    /// entered its state from the caller (for an `EXPIRED` one it must be the expiry time).
    ///
    /// # Errors
    ///
    /// As [`to_handshake`](Self::to_handshake); a time that does not fit the state and the
    /// timestamps is a [`WireError::Model`].
    ///
    /// ```
    /// use org_handshake::provider::aws::WireHandshake;
    /// let h = org_handshake::example::aws_invitation()?;
    /// # let at = h.requested_at() + chrono::TimeDelta::days(2);
    /// let accepted = h.accept(&org_handshake::Caller::standalone("222222222222".parse()?), at)?.handshake;
    /// let wire = WireHandshake::from_handshake(&accepted)?;
    /// assert_eq!(wire.to_handshake()?.state_entered_at(), h.requested_at());
    /// assert_eq!(wire.to_handshake_entered_at(at)?, accepted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_handshake_entered_at(
        &self,
        state_entered_at: DateTime<Utc>,
    ) -> Result<Handshake, WireError> {
        self.to_handshake_at("Handshake", Some(state_entered_at))
    }

    pub(super) fn to_handshake_at(
        &self,
        path: &str,
        state_entered_at: Option<DateTime<Utc>>,
    ) -> Result<Handshake, WireError> {
        to_handshake_at(self, path, state_entered_at)
    }
}

fn to_handshake_at<W: HandshakeMembers>(
    wire: &W,
    path: &str,
    state_entered_at: Option<DateTime<Utc>>,
) -> Result<Handshake, WireError> {
    let root = Field::Root(path);
    let field = |member: &'static str| root.key(member).to_string();

    let id_text = wire
        .id()
        .ok_or_else(|| WireError::missing(root.key("Id")))?;
    let id = parse_handshake_id(id_text).map_err(|err| id_error(field("Id"), err))?;
    let arn_text = wire
        .arn()
        .ok_or_else(|| WireError::missing(root.key("Arn")))?;
    let arn =
        HandshakeArn::parse_knowing(arn_text, Some((id_text, id))).map_err(|err| match err {
            ArnError::Action(source) => WireError::UnknownValue {
                field: field("Arn"),
                source,
            },
            other => WireError::invalid(field("Arn"), other.to_string()),
        })?;
    if arn.handshake != id {
        return Err(inconsistent(
            field("Arn"),
            format!("it names handshake {}, the Id is {id}", arn.handshake),
        ));
    }
    let action_text = wire
        .action()
        .ok_or_else(|| WireError::missing(root.key("Action")))?;
    let action: ActionType = action_text
        .parse()
        .map_err(|source| WireError::UnknownValue {
            field: field("Action"),
            source,
        })?;
    if arn.action != action {
        return Err(inconsistent(
            field("Arn"),
            format!(
                "its action is {}, the Action is {action}",
                arn.action.arn_segment()
            ),
        ));
    }
    let state_text = wire
        .state()
        .ok_or_else(|| WireError::missing(root.key("State")))?;
    let state: HandshakeState = state_text
        .parse()
        .map_err(|source| WireError::UnknownValue {
            field: field("State"),
            source,
        })?;
    let requested_at = parse_time(
        &root.key("RequestedTimestamp"),
        wire.requested_timestamp()
            .ok_or_else(|| WireError::missing(root.key("RequestedTimestamp")))?,
    )?;
    let expires_at = parse_time(
        &root.key("ExpirationTimestamp"),
        wire.expiration_timestamp()
            .ok_or_else(|| WireError::missing(root.key("ExpirationTimestamp")))?,
    )?;

    // Read out once: each `as_str` of an inline id checks its UTF-8 again.
    let arn_organization = arn.organization.as_str();
    let recipient_party = parse_parties(wire, &root, &arn, arn_organization)?;

    let resources = wire
        .resources()
        .ok_or_else(|| WireError::missing(root.key("Resources")))?;
    for (i, resource) in resources.iter().enumerate() {
        if resource.depth() > MAX_RESOURCE_DEPTH {
            return Err(WireError::invalid(
                root.item("Resources", i).to_string(),
                format!("nested deeper than {MAX_RESOURCE_DEPTH} levels"),
            ));
        }
    }
    let mut rest = resources.iter().enumerate().peekable();
    let kind_is = |r: &W::Resource, kind: HandshakeResourceType| r.kind() == Some(kind.as_str());

    // PARENT_HANDSHAKE comes first when present (the User Guide's child example).
    let mut parent = None;
    if let Some((i, r)) = rest.next_if(|(_, r)| kind_is(r, HandshakeResourceType::ParentHandshake))
    {
        let at = root.item("Resources", i);
        r.expect_leaf(&at)?;
        let value = r.value_at(&at)?;
        parent = Some(
            parse_handshake_id(value).map_err(|err| id_error(at.key("Value").to_string(), err))?,
        );
    }

    let Some((org_index, org)) = rest.next() else {
        return Err(WireError::missing(root.key("Resources[Type=ORGANIZATION]")));
    };
    let sender = parse_organization_resource(
        org,
        &root.item("Resources", org_index),
        &arn,
        arn_organization,
    )?;

    let recipient = match recipient_party {
        None => Recipient::for_account(arn.management_account),
        Some((party_index, party, party_text)) => {
            let Some((i, r)) = rest.next() else {
                return Err(WireError::missing(
                    root.key("Resources[Type=ACCOUNT|EMAIL]"),
                ));
            };
            let at = root.item("Resources", i);
            let kind = r.kind_at(&at)?;
            r.expect_leaf(&at)?;
            let value = r.value_at(&at)?;
            match (&party, kind) {
                // The party's id is its text (`id.as_str()`, without the UTF-8 check).
                (Party::Account(id), HandshakeResourceType::Account) if party_text == value => {
                    Recipient::for_account(*id)
                }
                (Party::Email(email), HandshakeResourceType::Email) if email.as_str() == value => {
                    Recipient::new(party.clone(), None)?
                }
                (Party::Email(_), HandshakeResourceType::Account)
                    if state == HandshakeState::Accepted =>
                {
                    let account = parse_account_id(value)
                        .map_err(|err| id_error(at.key("Value").to_string(), err))?;
                    if account == arn.management_account {
                        return Err(inconsistent(
                            at.to_string(),
                            "an email invitation accepted by the sender's own management account",
                        ));
                    }
                    Recipient::new(party.clone(), Some(account))?
                }
                _ => {
                    return Err(inconsistent(
                        at.to_string(),
                        format!(
                            "the recipient resource {kind} `{}` does not match the party {}",
                            shown(value),
                            root.item("Parties", party_index)
                        ),
                    ))
                }
            }
        }
    };

    let mut notes = None;
    if let Some((i, r)) = rest.next_if(|(_, r)| kind_is(r, HandshakeResourceType::Notes)) {
        let at = root.item("Resources", i);
        r.expect_leaf(&at)?;
        let value = r.value_at(&at)?;
        notes =
            Some(Notes::parse(value).map_err(|err| id_error(at.key("Value").to_string(), err))?);
    }

    let mut extras = Vec::new();
    for (i, r) in rest {
        extras.push(r.to_resource(&root.item("Resources", i))?);
    }

    let parts = HandshakeParts {
        id,
        action: action.into(),
        state: state.into(),
        sender,
        recipient,
        notes,
        parent,
        resources: extras,
        requested_at,
        expires_at,
        state_entered_at: Some(state_entered_at.unwrap_or(match state {
            HandshakeState::Expired => expires_at,
            _ => requested_at,
        })),
    };
    Ok(Handshake::from_parts(parts)?)
}

/// Checks the parties against the ARN (whose organization is `arn_organization`); returns the
/// recipient party, if there is one, with its index and its text.
fn parse_parties<'w, W: HandshakeMembers>(
    wire: &'w W,
    root: &Field<'_>,
    arn: &HandshakeArn,
    arn_organization: &str,
) -> Result<Option<(usize, Party, &'w str)>, WireError> {
    let parties = wire
        .parties()
        .ok_or_else(|| WireError::missing(root.key("Parties")))?;
    let mut organization_seen = false;
    let mut recipient = None;
    for (i, party) in parties.iter().enumerate() {
        let at = root.item("Parties", i);
        let kind_text = party
            .kind()
            .ok_or_else(|| WireError::missing(at.key("Type")))?;
        let kind: HandshakePartyType =
            kind_text
                .parse()
                .map_err(|source| WireError::UnknownValue {
                    field: at.key("Type").to_string(),
                    source,
                })?;
        let id = party.id().ok_or_else(|| WireError::missing(at.key("Id")))?;
        let id_field = || at.key("Id").to_string();
        match kind {
            HandshakePartyType::Organization => {
                if organization_seen {
                    return Err(WireError::invalid(
                        at.to_string(),
                        "a second ORGANIZATION party",
                    ));
                }
                organization_seen = true;
                // The ARN's organization, checked already, is the usual value; any other text
                // is refused, as malformed or as another organization.
                if id != arn_organization {
                    let org = parse_organization_id(id).map_err(|err| id_error(id_field(), err))?;
                    if org != arn.organization {
                        return Err(inconsistent(
                            id_field(),
                            format!("the ARN's organization is {}", arn.organization),
                        ));
                    }
                }
            }
            HandshakePartyType::Account | HandshakePartyType::Email => {
                if recipient.is_some() {
                    return Err(WireError::invalid(
                        at.to_string(),
                        "a second recipient party",
                    ));
                }
                let party = if kind == HandshakePartyType::Account {
                    let account = parse_account_id(id).map_err(|err| id_error(id_field(), err))?;
                    if account == arn.management_account {
                        return Err(inconsistent(
                            id_field(),
                            "the sender's management account is never listed as a recipient party",
                        ));
                    }
                    Party::Account(account)
                } else {
                    Party::Email(Email::parse(id).map_err(|err| id_error(id_field(), err))?)
                };
                recipient = Some((i, party, id));
            }
        }
    }
    if !organization_seen {
        return Err(WireError::missing(root.key("Parties[Type=ORGANIZATION]")));
    }
    Ok(recipient)
}

/// Reads the ORGANIZATION resource and its MASTER_EMAIL / MASTER_NAME /
/// ORGANIZATION_FEATURE_SET children (in any order, each at most once).
fn parse_organization_resource<R: ResourceMembers>(
    resource: &R,
    at: &Field<'_>,
    arn: &HandshakeArn,
    arn_organization: &str,
) -> Result<SenderOrganization, WireError> {
    let kind = resource.kind_at(at)?;
    if kind != HandshakeResourceType::Organization {
        return Err(WireError::invalid(
            at.key("Type").to_string(),
            format!("expected ORGANIZATION here, found {kind}"),
        ));
    }
    let value = resource.value_at(at)?;
    if value != arn_organization {
        return Err(inconsistent(
            at.key("Value").to_string(),
            format!("the ARN's organization is {}", arn.organization),
        ));
    }
    let mut email: Option<Email> = None;
    let mut name: Option<AccountName> = None;
    let mut feature_set: Option<FeatureSet> = None;
    for (i, child) in resource.children().iter().enumerate() {
        let child_at = at.item("Resources", i);
        let kind = child.kind_at(&child_at)?;
        child.expect_leaf(&child_at)?;
        let value = child.value_at(&child_at)?;
        let value_field = || child_at.key("Value").to_string();
        let duplicate = || WireError::invalid(child_at.to_string(), format!("a second {kind}"));
        match kind {
            HandshakeResourceType::MasterEmail => {
                if email.is_some() {
                    return Err(duplicate());
                }
                email = Some(Email::parse(value).map_err(|err| id_error(value_field(), err))?);
            }
            HandshakeResourceType::MasterName => {
                if name.is_some() {
                    return Err(duplicate());
                }
                name = Some(AccountName::parse(value).map_err(|err| id_error(value_field(), err))?);
            }
            HandshakeResourceType::OrganizationFeatureSet => {
                if feature_set.is_some() {
                    return Err(duplicate());
                }
                let parsed =
                    OrganizationFeatureSet::from_resource_value(value).map_err(|source| {
                        WireError::UnknownValue {
                            field: value_field(),
                            source,
                        }
                    })?;
                feature_set = Some(parsed.into());
            }
            other => {
                return Err(WireError::invalid(
                    child_at.key("Type").to_string(),
                    format!("{other} is not a detail of an ORGANIZATION resource"),
                ))
            }
        }
    }
    let management_account_name =
        name.ok_or_else(|| WireError::missing(at.key("Resources[Type=MASTER_NAME]")))?;
    Ok(SenderOrganization {
        id: arn.organization,
        management_account: arn.management_account,
        management_account_name,
        management_account_email: email,
        feature_set,
    })
}

/// Parses a bare AWS handshake object (as [`WireHandshake::to_handshake`]).
///
/// # Errors
///
/// [`WireError::Json`] for JSON that is not a handshake object, then as
/// [`WireHandshake::to_handshake`].
///
/// ```
/// let h = org_handshake::example::aws_invitation()?;
/// let json = org_handshake::provider::aws::render_handshake(&h)?.to_string();
/// assert_eq!(org_handshake::provider::aws::parse_handshake(&json)?, h);
/// let err = org_handshake::provider::aws::parse_handshake(&json.replace("OPEN", "CANCELLED")).unwrap_err();
/// assert_eq!(err.to_string(), "`Handshake.State`: unknown AWS handshake state `CANCELLED`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_handshake(json: &str) -> Result<Handshake, WireError> {
    if let Some(wire) = from_json_borrowed::<TextHandshake<&str>>(json) {
        return to_handshake_at(&wire, "Handshake", None);
    }
    if let Some(wire) = from_json_borrowed::<TextHandshake<Text<'_>>>(json) {
        return to_handshake_at(&wire, "Handshake", None);
    }
    // The owned path names what is wrong with the JSON, with its path.
    from_json::<WireHandshake>(json)?.to_handshake()
}
