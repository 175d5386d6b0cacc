//! A guided tour of the handshake semantics through the same entry point an emulator uses, a
//! provider [`Service`] over a ledger of organizations and accounts, with fixed times and ids so
//! every run prints the same story:
//!
//! 1. Bill invites Juan; Juan accepts and joins Bill's organization. Inviting him again is
//!    refused: he is already a member.
//! 2. Bill invites Maria; Maria declines.
//! 3. Bill invites Li, then changes his mind and cancels.
//! 4. Bill invites Ana, who never answers: open one second before the expiry, expired at it.
//! 5. Retention: the declined invitation is still visible one second before its purge time,
//!    and gone at it.
//! 6. Refused calls: a stranger, and Bill trying to accept his own invitation. Each gets AWS's
//!    error, and the world is left exactly as it was.
//! 7. One invitation in every provider's own JSON, AWS's, Huawei Cloud's and Alibaba Cloud's:
//!    the same in neutral terms, each id in the provider's own shape.
//!
//! Run it with `cargo run --example walkthrough`.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::ledger::{InviteRequest, Ledger, World};
use org_handshake::provider::{Call, Provider, Reply, Service};
use org_handshake::{IdList, Party};
use serde_json::{json, Value};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const BILL: &str = "111111111111";
const JUAN: &str = "222222222222";
const MARIA: &str = "333333333333";
const LI: &str = "444444444444";
const ANA: &str = "555555555555";
const STRANGER: &str = "999999999999";

fn main() -> Result {
    let start: DateTime<Utc> = "2026-01-05T10:00:00Z".parse()?;
    let world: World = serde_json::from_value(json!({
        "organizations": [{
            "id": "o-exampleorgid",
            "management_account": {"id": BILL, "name": "Bill", "email": "bill@example.com"},
        }],
        "accounts": [
            {"id": JUAN, "name": "Juan"},
            {"id": MARIA, "name": "Maria"},
            {"id": LI, "name": "Li"},
            {"id": ANA, "name": "Ana"},
        ]
    }))?;
    let mut aws = Service::new(Provider::Aws, &world)?;

    println!("org-handshake walkthrough: one AWS organization, o-exampleorgid, managed by Bill ({BILL}).");
    println!("Every time below is given to the library; it never reads a clock.");

    // 1. Invite, accept, and no second invitation for a member.
    heading("1. An invitation accepted");
    let to_juan = invite(&mut aws, JUAN, "h-0000000001", start)?;
    let at = start + TimeDelta::hours(2);
    say(at, "Juan (a standalone account) accepts");
    let reply = call(
        &mut aws,
        "AcceptHandshake",
        JUAN,
        at,
        json!({"HandshakeId": to_juan}),
        &[],
    )?;
    show(&reply);
    let at = at + TimeDelta::hours(1);
    say(at, "Bill invites Juan again");
    let reply = call(
        &mut aws,
        "InviteAccountToOrganization",
        BILL,
        at,
        target(JUAN),
        &["h-0000000009"],
    )?;
    show(&reply);

    // 2. Invite, decline.
    heading("2. An invitation declined");
    let to_maria = invite(&mut aws, MARIA, "h-0000000002", start + TimeDelta::hours(4))?;
    let declined_at = start + TimeDelta::hours(5);
    say(declined_at, "Maria declines");
    let reply = call(
        &mut aws,
        "DeclineHandshake",
        MARIA,
        declined_at,
        json!({"HandshakeId": to_maria}),
        &[],
    )?;
    show(&reply);

    // 3. Invite, cancel.
    heading("3. An invitation canceled by its sender");
    let to_li = invite(&mut aws, LI, "h-0000000003", start + TimeDelta::hours(6))?;
    let at = start + TimeDelta::hours(7);
    say(at, "Bill cancels it");
    let reply = call(
        &mut aws,
        "CancelHandshake",
        BILL,
        at,
        json!({"HandshakeId": to_li}),
        &[],
    )?;
    show(&reply);

    // 4. Expiry, observed: nothing runs in between.
    heading("4. An invitation nobody answers");
    let invited_at = start + TimeDelta::hours(8);
    let to_ana = invite(&mut aws, ANA, "h-0000000004", invited_at)?;
    let expires_at = invited_at + TimeDelta::days(15);
    println!("  It expires at {expires_at} (AWS: 15 days). Nothing has to run for that to happen:");
    for at in [expires_at - TimeDelta::seconds(1), expires_at] {
        say(at, "Ana looks at it");
        let reply = call(
            &mut aws,
            "DescribeHandshake",
            ANA,
            at,
            json!({"HandshakeId": to_ana}),
            &[],
        )?;
        show(&reply);
    }
    say(expires_at, "Ana tries to accept it");
    let reply = call(
        &mut aws,
        "AcceptHandshake",
        ANA,
        expires_at,
        json!({"HandshakeId": to_ana}),
        &[],
    )?;
    show(&reply);

    // 5. Retention: a terminal handshake stays visible for 30 days, then it is gone.
    heading("5. Thirty days of retention");
    let purge_at = declined_at + TimeDelta::days(30);
    for at in [purge_at - TimeDelta::seconds(1), purge_at] {
        say(at, "Maria looks at the invitation she declined");
        let reply = call(
            &mut aws,
            "DescribeHandshake",
            MARIA,
            at,
            json!({"HandshakeId": to_maria}),
            &[],
        )?;
        show(&reply);
    }

    // 6. Refusals change nothing.
    heading("6. Refused calls change nothing");
    let at = purge_at;
    let to_ana2 = invite(&mut aws, ANA, "h-0000000005", at)?;
    let before = serde_json::to_string(aws.ledger())?;
    say(at, "a stranger tries to decline Ana's new invitation");
    let reply = call(
        &mut aws,
        "DeclineHandshake",
        STRANGER,
        at,
        json!({"HandshakeId": to_ana2}),
        &[],
    )?;
    show(&reply);
    say(at, "Bill tries to accept his own invitation");
    let reply = call(
        &mut aws,
        "AcceptHandshake",
        BILL,
        at,
        json!({"HandshakeId": to_ana2}),
        &[],
    )?;
    show(&reply);
    let unchanged = serde_json::to_string(aws.ledger())? == before;
    println!(
        "  The world is unchanged after both: {}",
        if unchanged { "yes" } else { "NO" }
    );

    // 7. Every cloud: one invitation, each provider's JSON.
    heading("7. One invitation in every provider's JSON");
    every_cloud(start)?;

    println!("\nDone.");
    Ok(())
}

/// One invitation in every registered provider's JSON: Bill's organization invites Juan with
/// the note "Welcome" as handshake `h-0123456789abcdef` (a handshake id every provider's
/// pattern allows), and each provider renders it. The other ids take each provider's own
/// shape: account ids of its profile's length (digits fit every provider's characters), and
/// the first of the organization ids below that its dialect reads.
fn every_cloud(at: DateTime<Utc>) -> Result {
    const ORGANIZATION_IDS: [&str; 2] = ["o-exampleorgid", "rd-exampleorgid"];
    for provider in Provider::values() {
        let dialect = provider.dialect();
        let profile = provider.profile();
        let width = profile.account_id.min_len;
        let (bill, juan) = ("1".repeat(width), "2".repeat(width));
        let organization = ORGANIZATION_IDS
            .into_iter()
            .find(|id| dialect.organization_id(id).is_some())
            .ok_or_else(|| format!("{provider} reads none of the example organization ids"))?;
        let world: World = serde_json::from_value(json!({
            "organizations": [{"id": organization,
                "management_account": {"id": bill, "name": "Bill"}}],
            "accounts": [{"id": juan, "name": "Juan"}]
        }))?;
        let mut ledger = Ledger::new(profile, &world)?;
        let invite =
            InviteRequest::new(Party::Account(juan.parse()?)).with_notes("Welcome".parse()?);
        let sent = ledger.invite(
            bill.parse()?,
            invite,
            &mut IdList::new(&["h-0123456789abcdef"]),
            at,
        )?;
        let rendered: Value =
            serde_json::from_str(&provider.render_handshake_json(&sent.handshake)?)?;
        say(
            at,
            &format!(
                "{provider}: organization {organization} (Bill, {bill}) invites Juan ({juan})"
            ),
        );
        println!("{}", serde_json::to_string_pretty(&rendered)?);
    }
    Ok(())
}

fn target(account: &str) -> Value {
    json!({"Target": {"Id": account, "Type": "ACCOUNT"}, "Notes": "Welcome aboard"})
}

/// Bill invites `account` with handshake id `id`; returns the id.
fn invite(aws: &mut Service, account: &str, id: &str, at: DateTime<Utc>) -> Result<String> {
    say(at, &format!("Bill invites account {account}"));
    let reply = call(
        aws,
        "InviteAccountToOrganization",
        BILL,
        at,
        target(account),
        &[id],
    )?;
    show(&reply);
    Ok(id.to_owned())
}

fn call(
    service: &mut Service,
    operation: &str,
    caller: &str,
    at: DateTime<Utc>,
    request: Value,
    new_ids: &[&str],
) -> Result<Reply> {
    Ok(service.call(&Call::new(operation, caller, at, &request).with_new_ids(new_ids))?)
}

fn heading(title: &str) {
    println!("\n{title}\n{}", "-".repeat(title.len()));
}

fn say(at: DateTime<Utc>, what: &str) {
    println!("[{}] {what}", at.format("%Y-%m-%d %H:%M:%S"));
}

/// One line per reply: the handshake's state, or AWS's error, and what changed.
fn show(reply: &Reply) {
    let handshake = &reply.json()["Handshake"];
    if reply.status == 200 {
        println!(
            "  -> {} {} ({} -> {})",
            handshake["Id"].as_str().unwrap_or("?"),
            handshake["State"].as_str().unwrap_or("?"),
            handshake["Parties"][0]["Id"].as_str().unwrap_or("?"),
            handshake["Parties"][1]["Id"].as_str().unwrap_or("?"),
        );
    } else {
        println!(
            "  -> refused: HTTP {} {}{} ({})",
            reply.status,
            reply.json()["__type"].as_str().unwrap_or("?"),
            reply.json()["Reason"]
                .as_str()
                .map(|reason| format!(" {reason}"))
                .unwrap_or_default(),
            reply.json()["Message"].as_str().unwrap_or(""),
        );
    }
    for event in &reply.events {
        println!(
            "     event: {}",
            serde_json::to_string(event).unwrap_or_default()
        );
    }
}
