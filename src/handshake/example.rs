//! Fixed example handshakes, the ones the documentation's examples start from, so that an
//! example shows where its handshake comes from and any reader can build the same one.
//!
//! Each is built through the same validating constructors as any other handshake
//! ([`Handshake::create`]) from constants, so it never fails in practice; it returns a
//! `Result` rather than unwrap.
//!
//! ```
//! use org_handshake::{example, HandshakeState};
//! let aws = example::aws_invitation()?;
//! assert_eq!(aws.state(), HandshakeState::Open);
//! let alibaba = example::alibaba_invitation()?;
//! assert_eq!(alibaba.sender().id.as_str(), "rd-3G6rzX");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{Handshake, NewHandshake, Recipient, SenderOrganization};
use crate::policy::Profile;
use crate::vocab::FeatureSet;

/// The AWS invitation of `reference/aws.md` §8: `o-exampleorgid` (management account
/// `111111111111`, "Org Master Account", `bill@example.com`, all features) invites account
/// `222222222222` as `h-examplehandshakeid111`, requested at 2026-01-05T10:00:00Z and open for
/// 15 days.
///
/// # Errors
///
/// None in practice: the constants are valid. The error type is that of the constructors.
pub fn aws_invitation() -> Result<Handshake, Box<dyn std::error::Error>> {
    let sender = SenderOrganization {
        id: "o-exampleorgid".parse()?,
        management_account: "111111111111".parse()?,
        management_account_name: "Org Master Account".parse()?,
        management_account_email: Some("bill@example.com".parse()?),
        feature_set: Some(FeatureSet::All),
    };
    let new = NewHandshake::invite(
        "h-examplehandshakeid111".parse()?,
        sender,
        Recipient::for_account("222222222222".parse()?),
    );
    Ok(Handshake::create(new, &Profile::AWS, "2026-01-05T10:00:00Z".parse()?)?.handshake)
}

/// The Alibaba invitation of the Resource Directory documentation: resource directory
/// `rd-3G6rzX` (management account `1512666876910001`, "CompanyA") invites account
/// `1772422852740001` as `h-Ih8IuPfvV0t0Ab12`, created 2021-01-06T02:15:40Z and pending for 14
/// days, with the note "Welcome".
///
/// # Errors
///
/// None in practice: the constants are valid. The error type is that of the constructors.
pub fn alibaba_invitation() -> Result<Handshake, Box<dyn std::error::Error>> {
    let sender = SenderOrganization {
        id: "rd-3G6rzX".parse()?,
        management_account: "1512666876910001".parse()?,
        management_account_name: "CompanyA".parse()?,
        management_account_email: None,
        feature_set: None,
    };
    let new = NewHandshake::invite(
        "h-Ih8IuPfvV0t0Ab12".parse()?,
        sender,
        Recipient::for_account("1772422852740001".parse()?),
    )
    .with_notes("Welcome".parse()?);
    Ok(Handshake::create(new, &Profile::ALIBABA, "2021-01-06T02:15:40Z".parse()?)?.handshake)
}
