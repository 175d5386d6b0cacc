//! The neutral vocabularies: [`HandshakeState`], [`Action`], [`FeatureSet`], [`PartyRole`],
//! [`ResourceType`], [`Operation`].
//!
//! Each enum has `as_str()` (its neutral snake_case spelling), `values()`, a strict
//! [`FromStr`](std::str::FromStr) whose error names the unknown value, `Display`, and serde in the
//! same spelling. Providers spell these differently (`CANCELED`, `cancelled`, `Cancelled`); those
//! spellings live in the provider modules.
//!
//! ```
//! use org_handshake::{HandshakeState, UnknownValue};
//!
//! assert_eq!("canceled".parse::<HandshakeState>()?, HandshakeState::Canceled);
//! let err = "cancelled".parse::<HandshakeState>().unwrap_err();
//! assert_eq!(err.to_string(), "unknown handshake state `cancelled`");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// A string that is not one of an enum's values.
///
/// ```
/// use org_handshake::Action;
///
/// let err = "INVITE".parse::<Action>().unwrap_err();
/// assert_eq!(err.vocabulary, "action");
/// assert_eq!(err.value, "INVITE");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} `{value}`")]
pub struct UnknownValue {
    /// Which vocabulary, e.g. `handshake state`.
    pub vocabulary: &'static str,
    /// The value that was not recognised (cut to 64 characters).
    pub value: String,
}

impl UnknownValue {
    /// Builds the error, cutting `value` to 64 characters.
    ///
    /// ```
    /// let err = org_handshake::UnknownValue::new("action", &"X".repeat(1000));
    /// assert_eq!(err.value.len(), 64);
    /// ```
    pub fn new(vocabulary: &'static str, value: &str) -> Self {
        UnknownValue {
            vocabulary,
            value: value.chars().take(64).collect(),
        }
    }

    /// The stable code of this error: `unknown_value`.
    ///
    /// ```
    /// assert_eq!(org_handshake::UnknownValue::new("action", "x").code(), "unknown_value");
    /// ```
    pub fn code(&self) -> &'static str {
        "unknown_value"
    }
}

/// Defines a fieldless enum with its spellings and the shared conversions: `as_str`, `values`,
/// `Display`, a strict `FromStr` and `TryFrom<&str>` whose error names the unknown value, and
/// serde in the same spelling (deserializing through `FromStr`, so a JSON error names the value
/// too). The neutral vocabularies below and every provider's own spellings use it.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $vocabulary:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const fn values() -> &'static [$name] {
                &[$($name::$variant),+]
            }

            /// Every value's spelling, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownValue;
            fn from_str(value: &str) -> Result<Self, $crate::vocab::UnknownValue> {
                match value {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::vocab::UnknownValue::new($vocabulary, other)),
                }
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::vocab::UnknownValue;
            fn try_from(value: &str) -> Result<Self, $crate::vocab::UnknownValue> {
                value.parse()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// Where a handshake is in its life.
    ///
    /// *Pending* states ([`Requested`](Self::Requested), [`Open`](Self::Open)) can still change;
    /// the four others are *terminal* and absorbing.
    ///
    /// ```
    /// use org_handshake::HandshakeState;
    ///
    /// assert!(HandshakeState::Open.is_pending());
    /// assert!(HandshakeState::Expired.is_terminal());
    /// assert_eq!(HandshakeState::values().len(), 6);
    /// ```
    #[non_exhaustive]
    HandshakeState, "handshake state" {
        /// Sent to several recipients who have not all responded (the AWS enable-all-features
        /// parent while members approve).
        Requested => "requested",
        /// Waiting for the recipient (or, for a parent, for the sender to finalize).
        Open => "open",
        /// Accepted by the recipient.
        Accepted => "accepted",
        /// Declined by the recipient.
        Declined => "declined",
        /// Canceled by the sender (or as a side effect, e.g. when enabling all features).
        Canceled => "canceled",
        /// Not answered before its expiry time.
        Expired => "expired",
    }
}

impl HandshakeState {
    /// `Requested` or `Open`: the handshake can still change.
    ///
    /// ```
    /// assert!(org_handshake::HandshakeState::Requested.is_pending());
    /// ```
    pub const fn is_pending(self) -> bool {
        matches!(self, HandshakeState::Requested | HandshakeState::Open)
    }

    /// `Accepted`, `Declined`, `Canceled` or `Expired`: the handshake will never change again.
    ///
    /// ```
    /// assert!(org_handshake::HandshakeState::Declined.is_terminal());
    /// ```
    pub const fn is_terminal(self) -> bool {
        !self.is_pending()
    }
}

vocabulary! {
    /// What a handshake asks for (AWS `ActionType`).
    ///
    /// ```
    /// use org_handshake::Action;
    ///
    /// assert_eq!(Action::EnableAllFeatures.as_str(), "enable_all_features");
    /// assert_eq!("invite".parse::<Action>()?, Action::Invite);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    Action, "action" {
        /// Asks an account to join the sender's organization.
        Invite => "invite",
        /// The parent request to enable all features; the management account finalizes it.
        EnableAllFeatures => "enable_all_features",
        /// A member's approval of an enable-all-features request (a child of the parent).
        ApproveAllFeatures => "approve_all_features",
        /// Asks a member to let the service re-create its service-linked role.
        AddOrganizationsServiceLinkedRole => "add_organizations_service_linked_role",
        /// Asks another organization's management account to hand over a responsibility
        /// (billing).
        TransferResponsibility => "transfer_responsibility",
    }
}

vocabulary! {
    /// An organization's feature set.
    ///
    /// ```
    /// assert_eq!(org_handshake::FeatureSet::ConsolidatedBilling.as_str(), "consolidated_billing");
    /// ```
    #[non_exhaustive]
    FeatureSet, "feature set" {
        /// Every feature, policies included.
        All => "all",
        /// Consolidated billing only.
        ConsolidatedBilling => "consolidated_billing",
    }
}

vocabulary! {
    /// The side a party takes in a handshake.
    ///
    /// ```
    /// assert_eq!(org_handshake::PartyRole::Recipient.to_string(), "recipient");
    /// ```
    PartyRole, "party role" {
        /// The organization that sent the handshake, acting through its management account.
        Sender => "sender",
        /// The account the handshake was sent to.
        Recipient => "recipient",
    }
}

vocabulary! {
    /// The type of a [`Resource`](crate::Resource): every AWS `HandshakeResourceType`.
    ///
    /// ```
    /// use org_handshake::ResourceType;
    ///
    /// assert_eq!(ResourceType::values().len(), 14);
    /// assert_eq!(ResourceType::MasterEmail.as_str(), "master_email");
    /// ```
    #[non_exhaustive]
    ResourceType, "resource type" {
        /// An account id.
        Account => "account",
        /// An organization id (its children describe the organization).
        Organization => "organization",
        /// The organization's feature set.
        OrganizationFeatureSet => "organization_feature_set",
        /// An email address.
        Email => "email",
        /// The management account's email address (legacy name).
        MasterEmail => "master_email",
        /// The management account's name (legacy name).
        MasterName => "master_name",
        /// The invitation's notes.
        Notes => "notes",
        /// The parent handshake of an enable-all-features child.
        ParentHandshake => "parent_handshake",
        /// A responsibility transfer.
        ResponsibilityTransfer => "responsibility_transfer",
        /// When a responsibility transfer starts.
        TransferStartTimestamp => "transfer_start_timestamp",
        /// The kind of responsibility transferred.
        TransferType => "transfer_type",
        /// A management account id.
        ManagementAccount => "management_account",
        /// The management account's email address.
        ManagementEmail => "management_email",
        /// The management account's name.
        ManagementName => "management_name",
    }
}

vocabulary! {
    /// What an operation on a handshake is, for errors and events.
    ///
    /// ```
    /// use org_handshake::Operation;
    /// assert_eq!(Operation::Decline.to_string(), "decline");
    /// assert_eq!("open".parse::<Operation>()?, Operation::Open);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[non_exhaustive]
    Operation, "operation" {
        /// The recipient agrees.
        Accept => "accept",
        /// The recipient refuses.
        Decline => "decline",
        /// The sender withdraws (or the system does, as a side effect).
        Cancel => "cancel",
        /// The expiry is written down.
        Expire => "expire",
        /// A parent whose children have all approved becomes open.
        Open => "open",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_through_every_conversion() {
        for state in HandshakeState::values() {
            assert_eq!(state.as_str().parse::<HandshakeState>().unwrap(), *state);
            let json = serde_json::to_string(state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
        }
        for action in Action::values() {
            assert_eq!(Action::try_from(action.as_str()).unwrap(), *action);
        }
        for kind in ResourceType::values() {
            assert_eq!(kind.to_string().parse::<ResourceType>().unwrap(), *kind);
        }
    }

    #[test]
    fn exactly_four_states_are_terminal() {
        let terminal = HandshakeState::values()
            .iter()
            .filter(|s| s.is_terminal())
            .count();
        assert_eq!(terminal, 4);
    }

    #[test]
    fn parsing_is_case_sensitive() {
        assert!("OPEN".parse::<HandshakeState>().is_err());
        assert!("Open".parse::<HandshakeState>().is_err());
    }
}
