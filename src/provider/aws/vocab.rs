//! AWS's own spellings: the `HandshakeState`, `ActionType`, `HandshakePartyType`,
//! `HandshakeResourceType` and `OrganizationFeatureSet` enums of the Organizations model, and the
//! handshake [`Operation`]s.
//!
//! Each has `as_str()` (the wire spelling), `values()` (in model order), `Display`, a strict
//! `FromStr` whose error names the unknown value, serde in the same spelling, and conversions to
//! and from the neutral vocabulary. AWS knows every neutral state, action and resource type, so
//! those conversions are total both ways; party types are the exception (see
//! [`HandshakePartyType`]).

use crate::vocab::{self, UnknownValue};

crate::vocab::vocabulary! {
    /// AWS `HandshakeState` (US spelling `CANCELED`).
    ///
    /// ```
    /// use org_handshake::provider::aws::HandshakeState;
    ///
    /// assert_eq!("CANCELED".parse::<HandshakeState>()?, HandshakeState::Canceled);
    /// assert!("CANCELLED".parse::<HandshakeState>().is_err());
    /// assert_eq!(org_handshake::HandshakeState::from(HandshakeState::Open), org_handshake::HandshakeState::Open);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    HandshakeState, "AWS handshake state" {
        /// `REQUESTED`.
        Requested => "REQUESTED",
        /// `OPEN`.
        Open => "OPEN",
        /// `CANCELED`.
        Canceled => "CANCELED",
        /// `ACCEPTED`.
        Accepted => "ACCEPTED",
        /// `DECLINED`.
        Declined => "DECLINED",
        /// `EXPIRED`.
        Expired => "EXPIRED",
    }
}

crate::vocab::vocabulary! {
    /// AWS `ActionType`.
    ///
    /// ```
    /// use org_handshake::provider::aws::ActionType;
    ///
    /// assert_eq!(ActionType::from(org_handshake::Action::ApproveAllFeatures).as_str(), "APPROVE_ALL_FEATURES");
    /// assert_eq!(ActionType::EnableAllFeatures.arn_segment(), "enable_all_features");
    /// ```
    ActionType, "AWS action type" {
        /// `INVITE`.
        Invite => "INVITE",
        /// `ENABLE_ALL_FEATURES`.
        EnableAllFeatures => "ENABLE_ALL_FEATURES",
        /// `APPROVE_ALL_FEATURES`.
        ApproveAllFeatures => "APPROVE_ALL_FEATURES",
        /// `ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE`.
        AddOrganizationsServiceLinkedRole => "ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE",
        /// `TRANSFER_RESPONSIBILITY`.
        TransferResponsibility => "TRANSFER_RESPONSIBILITY",
    }
}

impl ActionType {
    /// The action as it appears in a handshake ARN: the wire spelling in lower case.
    pub const fn arn_segment(self) -> &'static str {
        match self {
            ActionType::Invite => "invite",
            ActionType::EnableAllFeatures => "enable_all_features",
            ActionType::ApproveAllFeatures => "approve_all_features",
            ActionType::AddOrganizationsServiceLinkedRole => {
                "add_organizations_service_linked_role"
            }
            ActionType::TransferResponsibility => "transfer_responsibility",
        }
    }

    /// The action whose ARN segment is `segment` (exact, lower case).
    ///
    /// # Errors
    ///
    /// [`UnknownValue`] naming the segment.
    pub fn from_arn_segment(segment: &str) -> Result<Self, UnknownValue> {
        ActionType::values()
            .iter()
            .copied()
            .find(|action| action.arn_segment() == segment)
            .ok_or_else(|| UnknownValue::new("AWS handshake ARN action", segment))
    }
}

crate::vocab::vocabulary! {
    /// AWS `HandshakePartyType`.
    ///
    /// `ORGANIZATION` is the sender; `ACCOUNT` and `EMAIL` are the recipient. The neutral
    /// [`Party::Name`](crate::Party::Name) (a Huawei target) has no AWS party type.
    ///
    /// ```
    /// use org_handshake::provider::aws::HandshakePartyType;
    /// assert_eq!(HandshakePartyType::values().len(), 3);
    /// assert!("NAME".parse::<HandshakePartyType>().is_err());
    /// ```
    HandshakePartyType, "AWS handshake party type" {
        /// An account id.
        Account => "ACCOUNT",
        /// An organization id (the sender).
        Organization => "ORGANIZATION",
        /// An email address.
        Email => "EMAIL",
    }
}

crate::vocab::vocabulary! {
    /// AWS `HandshakeResourceType`: all 14 values of the model.
    ///
    /// ```
    /// use org_handshake::provider::aws::HandshakeResourceType;
    /// assert_eq!(HandshakeResourceType::from(org_handshake::ResourceType::MasterName).as_str(), "MASTER_NAME");
    /// // The API documentation's OWNER_NAME is not a value of the enum.
    /// assert!("OWNER_NAME".parse::<HandshakeResourceType>().is_err());
    /// ```
    HandshakeResourceType, "AWS handshake resource type" {
        /// `ACCOUNT`.
        Account => "ACCOUNT",
        /// `ORGANIZATION`.
        Organization => "ORGANIZATION",
        /// `ORGANIZATION_FEATURE_SET`.
        OrganizationFeatureSet => "ORGANIZATION_FEATURE_SET",
        /// `EMAIL`.
        Email => "EMAIL",
        /// `MASTER_EMAIL`.
        MasterEmail => "MASTER_EMAIL",
        /// `MASTER_NAME`.
        MasterName => "MASTER_NAME",
        /// `NOTES`.
        Notes => "NOTES",
        /// `PARENT_HANDSHAKE`.
        ParentHandshake => "PARENT_HANDSHAKE",
        /// `RESPONSIBILITY_TRANSFER`.
        ResponsibilityTransfer => "RESPONSIBILITY_TRANSFER",
        /// `TRANSFER_START_TIMESTAMP`.
        TransferStartTimestamp => "TRANSFER_START_TIMESTAMP",
        /// `TRANSFER_TYPE`.
        TransferType => "TRANSFER_TYPE",
        /// `MANAGEMENT_ACCOUNT`.
        ManagementAccount => "MANAGEMENT_ACCOUNT",
        /// `MANAGEMENT_EMAIL`.
        ManagementEmail => "MANAGEMENT_EMAIL",
        /// `MANAGEMENT_NAME`.
        ManagementName => "MANAGEMENT_NAME",
    }
}

crate::vocab::vocabulary! {
    /// AWS `OrganizationFeatureSet`, the value of an `ORGANIZATION_FEATURE_SET` resource.
    ///
    /// Old examples show `FULL`, the legacy name of `ALL`: it is not a value of this enum, and
    /// [`OrganizationFeatureSet::from_resource_value`] reads it as `ALL`.
    ///
    /// ```
    /// use org_handshake::provider::aws::OrganizationFeatureSet;
    /// assert!("FULL".parse::<OrganizationFeatureSet>().is_err());
    /// assert_eq!(OrganizationFeatureSet::from_resource_value("FULL")?, OrganizationFeatureSet::All);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    OrganizationFeatureSet, "AWS organization feature set" {
        /// `ALL`.
        All => "ALL",
        /// `CONSOLIDATED_BILLING`.
        ConsolidatedBilling => "CONSOLIDATED_BILLING",
    }
}

impl OrganizationFeatureSet {
    /// The legacy spelling of [`All`](Self::All) in old handshake examples.
    pub const LEGACY_ALL: &'static str = "FULL";

    /// Reads an `ORGANIZATION_FEATURE_SET` resource value: the enum's values, and the legacy
    /// `FULL` as `ALL` (renders write `ALL`).
    ///
    /// # Errors
    ///
    /// [`UnknownValue`] for anything else.
    pub fn from_resource_value(value: &str) -> Result<Self, UnknownValue> {
        if value == Self::LEGACY_ALL {
            Ok(OrganizationFeatureSet::All)
        } else {
            value.parse()
        }
    }
}

crate::vocab::vocabulary! {
    /// The AWS Organizations operations on handshakes and membership, named as AWS names them (the
    /// `X-Amz-Target` suffix).
    ///
    /// ```
    /// use org_handshake::provider::aws::Operation;
    /// let op: Operation = "DescribeHandshake".parse()?;
    /// assert_eq!(op.target(), "AWSOrganizationsV20161128.DescribeHandshake");
    /// assert!("describe_handshake".parse::<Operation>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Operation, "AWS operation" {
        /// Invites an account (management account only).
        InviteAccountToOrganization => "InviteAccountToOrganization",
        /// The recipient accepts.
        AcceptHandshake => "AcceptHandshake",
        /// The recipient declines.
        DeclineHandshake => "DeclineHandshake",
        /// The sender cancels.
        CancelHandshake => "CancelHandshake",
        /// Reads one handshake.
        DescribeHandshake => "DescribeHandshake",
        /// Lists the handshakes the caller received.
        ListHandshakesForAccount => "ListHandshakesForAccount",
        /// Lists the handshakes the caller's organization sent.
        ListHandshakesForOrganization => "ListHandshakesForOrganization",
        /// Starts enabling all features (returns the parent handshake).
        EnableAllFeatures => "EnableAllFeatures",
        /// Creates an organization managed by the caller.
        CreateOrganization => "CreateOrganization",
        /// Describes the caller's organization.
        DescribeOrganization => "DescribeOrganization",
        /// Deletes the caller's (empty) organization.
        DeleteOrganization => "DeleteOrganization",
        /// Lists the accounts of the caller's organization.
        ListAccounts => "ListAccounts",
        /// Describes one account of the caller's organization.
        DescribeAccount => "DescribeAccount",
        /// A member leaves its organization.
        LeaveOrganization => "LeaveOrganization",
        /// The management account removes a member.
        RemoveAccountFromOrganization => "RemoveAccountFromOrganization",
    }
}

impl Operation {
    /// The JSON 1.1 target prefix of AWS Organizations.
    pub const TARGET_PREFIX: &'static str = "AWSOrganizationsV20161128";

    /// The `X-Amz-Target` header value of the operation.
    pub const fn target(self) -> &'static str {
        match self {
            Operation::InviteAccountToOrganization => {
                "AWSOrganizationsV20161128.InviteAccountToOrganization"
            }
            Operation::AcceptHandshake => "AWSOrganizationsV20161128.AcceptHandshake",
            Operation::DeclineHandshake => "AWSOrganizationsV20161128.DeclineHandshake",
            Operation::CancelHandshake => "AWSOrganizationsV20161128.CancelHandshake",
            Operation::DescribeHandshake => "AWSOrganizationsV20161128.DescribeHandshake",
            Operation::ListHandshakesForAccount => {
                "AWSOrganizationsV20161128.ListHandshakesForAccount"
            }
            Operation::ListHandshakesForOrganization => {
                "AWSOrganizationsV20161128.ListHandshakesForOrganization"
            }
            Operation::EnableAllFeatures => "AWSOrganizationsV20161128.EnableAllFeatures",
            Operation::CreateOrganization => "AWSOrganizationsV20161128.CreateOrganization",
            Operation::DescribeOrganization => "AWSOrganizationsV20161128.DescribeOrganization",
            Operation::DeleteOrganization => "AWSOrganizationsV20161128.DeleteOrganization",
            Operation::ListAccounts => "AWSOrganizationsV20161128.ListAccounts",
            Operation::DescribeAccount => "AWSOrganizationsV20161128.DescribeAccount",
            Operation::LeaveOrganization => "AWSOrganizationsV20161128.LeaveOrganization",
            Operation::RemoveAccountFromOrganization => {
                "AWSOrganizationsV20161128.RemoveAccountFromOrganization"
            }
        }
    }

    /// Whether the operation answers with a list (`Handshakes` + `NextToken`) rather than one
    /// `Handshake`.
    pub const fn is_list(self) -> bool {
        matches!(
            self,
            Operation::ListHandshakesForAccount | Operation::ListHandshakesForOrganization
        )
    }
}

/// Defines the total conversions between an AWS enum and its neutral twin.
macro_rules! same_values {
    ($aws:ident <=> $neutral:path { $($variant:ident),+ $(,)? }) => {
        impl From<$neutral> for $aws {
            fn from(value: $neutral) -> Self {
                use $neutral as N;
                match value {
                    $(N::$variant => $aws::$variant,)+
                }
            }
        }
        impl From<$aws> for $neutral {
            fn from(value: $aws) -> Self {
                use $neutral as N;
                match value {
                    $($aws::$variant => N::$variant,)+
                }
            }
        }
    };
}

same_values!(HandshakeState <=> vocab::HandshakeState {
    Requested, Open, Canceled, Accepted, Declined, Expired,
});
same_values!(ActionType <=> vocab::Action {
    Invite, EnableAllFeatures, ApproveAllFeatures, AddOrganizationsServiceLinkedRole,
    TransferResponsibility,
});
same_values!(HandshakeResourceType <=> vocab::ResourceType {
    Account, Organization, OrganizationFeatureSet, Email, MasterEmail, MasterName, Notes,
    ParentHandshake, ResponsibilityTransfer, TransferStartTimestamp, TransferType,
    ManagementAccount, ManagementEmail, ManagementName,
});
same_values!(OrganizationFeatureSet <=> vocab::FeatureSet { All, ConsolidatedBilling });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_segments_are_the_lower_case_spelling() {
        for action in ActionType::values() {
            assert_eq!(action.arn_segment(), action.as_str().to_ascii_lowercase());
            assert_eq!(
                ActionType::from_arn_segment(action.arn_segment()),
                Ok(*action)
            );
        }
        assert!(ActionType::from_arn_segment("INVITE").is_err());
    }

    #[test]
    fn targets_are_prefix_dot_name() {
        for op in Operation::values() {
            assert_eq!(
                op.target(),
                format!("{}.{}", Operation::TARGET_PREFIX, op.as_str())
            );
        }
    }

    #[test]
    fn neutral_conversions_are_inverse() {
        for state in vocab::HandshakeState::values() {
            assert_eq!(
                vocab::HandshakeState::from(HandshakeState::from(*state)),
                *state
            );
        }
        for kind in vocab::ResourceType::values() {
            let aws = HandshakeResourceType::from(*kind);
            // Neutral spellings are the AWS ones in lower case.
            assert_eq!(aws.as_str().to_ascii_lowercase(), kind.as_str());
        }
        assert_eq!(
            HandshakeResourceType::values().len(),
            vocab::ResourceType::values().len()
        );
    }
}
