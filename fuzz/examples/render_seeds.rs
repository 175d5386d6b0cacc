//! Writes seeds the documented examples lack: handshakes in every state, with account and
//! email recipients, notes or none, and enable-all-features parents and children, rendered by
//! every provider that can express them, as bare objects, response bodies and list pages.
//! Ids fit AWS and Huawei at once (`o-…`, 12 digits), so that the cross-provider checks fire.
//!
//! `cargo run --example render_seeds` (in `fuzz/`) writes `seeds/<target>/gen-*.json`.

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::provider::{alibaba, aws, huawei, Provider};
use org_handshake::{
    Action, Caller, Email, FeatureSet, Handshake, NewHandshake, Party, Profile, Recipient,
    SenderOrganization,
};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn lifecycle(
    new: NewHandshake,
    profile: &Profile,
    at: DateTime<Utc>,
    sender: Caller,
    recipient: Caller,
) -> Res<Vec<Handshake>> {
    let open = Handshake::create(new, profile, at)?.handshake;
    let later = at + TimeDelta::hours(1);
    let mut all = vec![open.clone()];
    all.extend(open.accept(&recipient, later).ok().map(|t| t.handshake));
    all.extend(open.decline(&recipient, later).ok().map(|t| t.handshake));
    all.extend(open.cancel(&sender, later).ok().map(|t| t.handshake));
    all.push(open.observed_at(open.expires_at() + TimeDelta::days(1)));
    Ok(all)
}

fn handshakes() -> Res<Vec<Handshake>> {
    let at: DateTime<Utc> = "2026-01-05T10:00:00.250Z".parse()?;
    let sender = SenderOrganization {
        id: "o-exampleorgid".parse()?,
        management_account: "111111111111".parse()?,
        management_account_name: "Bill".parse()?,
        management_account_email: Some("bill@example.com".parse()?),
        feature_set: Some(FeatureSet::All),
    };
    let management = Caller::management(sender.management_account, sender.id);
    let juan = Caller::standalone("222222222222".parse()?);
    let mut all = Vec::new();
    // Whole seconds (every provider) and milliseconds (AWS only).
    for (at, id) in [
        (
            at.with_timezone(&Utc) - TimeDelta::milliseconds(250),
            "h-0123456789",
        ),
        (at, "h-abcdefghij0123"),
    ] {
        let account = NewHandshake::invite(
            id.parse()?,
            sender.clone(),
            Recipient::for_account(juan.account),
        );
        all.extend(lifecycle(
            account.clone(),
            &Profile::AWS,
            at,
            management,
            juan,
        )?);
        all.extend(lifecycle(
            account.with_notes("".parse()?),
            &Profile::HUAWEI,
            at,
            management,
            juan,
        )?);
        let email: Email = "juan@example.com".parse()?;
        let by_email = NewHandshake::invite(
            id.parse()?,
            sender.clone(),
            Recipient::new(Party::Email(email.clone()), Some(juan.account))?,
        )
        .with_notes("Welcome, Juan.".parse()?);
        all.extend(lifecycle(by_email, &Profile::AWS, at, management, juan)?);
        let unresolved = NewHandshake::invite(
            id.parse()?,
            sender.clone(),
            Recipient::new(Party::Email(email), None)?,
        );
        all.extend(lifecycle(unresolved, &Profile::AWS, at, management, juan)?);
    }
    // Enable all features: the parent (recipient: the management account) and one child.
    let mut parent = NewHandshake::invite(
        "h-parent00001".parse()?,
        sender.clone(),
        Recipient::for_account(sender.management_account),
    );
    parent.action = Action::EnableAllFeatures;
    let parent = Handshake::create(parent, &Profile::AWS, at)?.handshake;
    all.push(parent.clone());
    let mut child = NewHandshake::invite(
        "h-child000001".parse()?,
        sender.clone(),
        Recipient::for_account("333333333333".parse()?),
    );
    child.action = Action::ApproveAllFeatures;
    child.parent = Some(parent.id());
    all.extend(lifecycle(
        child,
        &Profile::AWS,
        at,
        management,
        Caller::member("333333333333".parse()?, sender.id),
    )?);
    // Alibaba's own.
    let rd = org_handshake::example::alibaba_invitation()?;
    let rd_sender = Caller::management(rd.sender().management_account, rd.sender().id);
    let rd_recipient = Caller::standalone(*rd.recipient().account().ok_or("resolved")?);
    all.extend(lifecycle(
        rd.clone().into_parts_new(),
        &Profile::ALIBABA,
        rd.requested_at(),
        rd_sender,
        rd_recipient,
    )?);
    Ok(all)
}

/// Rebuilding a request from a handshake, for the Alibaba lifecycle.
trait IntoNew {
    fn into_parts_new(self) -> NewHandshake;
}

impl IntoNew for Handshake {
    fn into_parts_new(self) -> NewHandshake {
        let parts = self.into_parts();
        NewHandshake {
            id: parts.id,
            action: parts.action,
            sender: parts.sender,
            recipient: parts.recipient,
            notes: parts.notes,
            parent: parts.parent,
            resources: parts.resources,
        }
    }
}

fn write(target: &str, index: usize, kind: &str, value: &serde_json::Value) -> Res<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join(format!("gen-{index:03}-{kind}.json")),
        serde_json::to_string(value)?,
    )?;
    Ok(())
}

/// A provider's response body and list page holding one handshake.
type Bodies = fn(&Handshake) -> Res<(serde_json::Value, serde_json::Value)>;

/// How each provider writes a handshake's response body and list page, keyed by the provider's
/// name (the response types are its own); its seeds go to `seeds/<name>_parse/`. `main` stops
/// at a registered provider that has no entry.
const BODIES: &[(&str, Bodies)] = &[
    ("aws", |h| {
        Ok((
            serde_json::to_value(aws::HandshakeResponse::new(h)?)?,
            serde_json::to_value(aws::ListHandshakesResponse::new(
                std::slice::from_ref(h),
                Some("token"),
            )?)?,
        ))
    }),
    ("huawei", |h| {
        Ok((
            huawei::HandshakeResponse::new(h)?.to_json()?,
            huawei::HandshakeListResponse::new(std::slice::from_ref(h), None)?.to_json()?,
        ))
    }),
    ("alibaba", |h| {
        Ok((
            serde_json::to_value(alibaba::HandshakeResponse::new(h, "r-1")?)?,
            serde_json::to_value(alibaba::ListHandshakesResponse::page_of(
                std::slice::from_ref(h),
                1,
                10,
                "r-1",
            )?)?,
        ))
    }),
];

fn main() -> Res<()> {
    let all = handshakes()?;
    let mut written = 0;
    for provider in Provider::values() {
        let Some((_, bodies)) = BODIES.iter().find(|(name, _)| *name == provider.as_str()) else {
            return Err(format!("no response bodies for `{provider}`: add them to BODIES").into());
        };
        let target = format!("{provider}_parse");
        for (index, h) in all.iter().enumerate() {
            let Ok(bare) = provider.render_handshake(h) else {
                continue;
            };
            let (response, list) = bodies(h)?;
            write(&target, index, "bare", &bare)?;
            write(&target, index, "response", &response)?;
            write(&target, index, "list", &list)?;
            written += 3;
        }
    }
    println!("{} handshakes, {written} seeds", all.len());
    Ok(())
}
