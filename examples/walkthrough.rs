//! A guided tour of the handshake semantics, with fixed times and ids, so every run prints
//! the same story:
//!
//! 1. Bill invites Juan; Juan accepts (and joins Bill's organization).
//! 2. Bill invites Maria; Maria declines.
//! 3. Bill invites Li, then changes his mind and cancels.
//! 4. Bill invites Ana, who never answers: open one second before the expiry, expired at it.
//! 5. Retention: the declined invitation is still visible one second before its purge time,
//!    and gone at it.
//! 6. Refused calls: a stranger, and Bill trying to accept his own invitation. Each gets a
//!    typed error, and the handshake is left exactly as it was.
//!
//! Run it with `cargo run --example walkthrough`.

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::{
    AccountId, Caller, Event, FeatureSet, Handshake, NewHandshake, OrganizationId, Profile,
    Recipient, SenderOrganization, Transition, TransitionError,
};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result {
    let start: DateTime<Utc> = "2026-01-05T10:00:00Z".parse()?;
    let org: OrganizationId = "o-exampleorgid".parse()?;
    let bill: AccountId = "111111111111".parse()?;
    let bill_caller = Caller::management(bill, org);
    let sender = SenderOrganization {
        id: org,
        management_account: bill,
        management_account_name: "Bill".parse()?,
        management_account_email: Some("bill@example.com".parse()?),
        feature_set: Some(FeatureSet::All),
    };
    let invite = |id: &str, to: AccountId, at: DateTime<Utc>| -> Result<Handshake> {
        let new = NewHandshake::invite(id.parse()?, sender.clone(), Recipient::for_account(to))
            .with_notes("Welcome aboard".parse()?);
        let created = Handshake::create(new, &Profile::AWS, at)?;
        say(at, &format!("Bill invites account {to}"));
        show_events(&created);
        show(&created.handshake, at);
        Ok(created.handshake)
    };

    println!(
        "org-handshake walkthrough: one AWS-style organization, {org}, managed by Bill ({bill})."
    );
    println!("Every time below is given to the library; it never reads a clock.");

    // 1. Invite, accept.
    heading("1. An invitation accepted");
    let juan: AccountId = "222222222222".parse()?;
    let to_juan = invite("h-0000000000000001", juan, start)?;
    let at = start + TimeDelta::hours(2);
    say(at, "Juan (a standalone account) accepts");
    let accepted = to_juan.accept(&Caller::standalone(juan), at)?;
    show_events(&accepted);
    show(&accepted.handshake, at);

    // 2. Invite, decline.
    heading("2. An invitation declined");
    let maria: AccountId = "333333333333".parse()?;
    let to_maria = invite("h-0000000000000002", maria, start)?;
    let at = start + TimeDelta::days(1);
    say(at, "Maria declines");
    let declined = to_maria.decline(&Caller::standalone(maria), at)?;
    show_events(&declined);
    show(&declined.handshake, at);

    // 3. Invite, cancel.
    heading("3. An invitation canceled by its sender");
    let li: AccountId = "444444444444".parse()?;
    let to_li = invite("h-0000000000000003", li, start)?;
    let at = start + TimeDelta::days(2);
    say(at, "Bill cancels it");
    let canceled = to_li.cancel(&bill_caller, at)?;
    show_events(&canceled);
    show(&canceled.handshake, at);
    let later = at + TimeDelta::hours(1);
    say(later, "Li tries to accept it anyway");
    refused(canceled.handshake.accept(&Caller::standalone(li), later))?;

    // 4. Invite, left to expire.
    heading("4. An invitation nobody answers");
    let ana: AccountId = "555555555555".parse()?;
    let to_ana = invite("h-0000000000000004", ana, start)?;
    let expires_at = to_ana.expires_at();
    println!("  It expires at {expires_at} (AWS: 15 days). Nothing has to run for that to happen:");
    let before = expires_at - TimeDelta::seconds(1);
    say(before, "one second before the expiry, looked at");
    show(&to_ana, before);
    say(expires_at, "at the expiry itself, looked at");
    show(&to_ana, expires_at);
    say(expires_at, "Ana tries to accept at that very second");
    refused(to_ana.accept(&Caller::standalone(ana), expires_at))?;
    let written = to_ana.expire(expires_at + TimeDelta::days(3))?;
    say(
        expires_at + TimeDelta::days(3),
        "the expiry is written down, three days late",
    );
    show_events(&written);
    println!(
        "  (the event is dated at the expiry, when it happened, not when it was written down)"
    );

    // 5. Retention.
    heading("5. Retention: 30 days after the end, a handshake is gone");
    let h = &declined.handshake;
    let purge_at = h.purge_at();
    println!(
        "  Maria's declined invitation ended at {}; it is purged from {purge_at}.",
        h.state_entered_at()
    );
    let just_before = purge_at - TimeDelta::seconds(1);
    say(
        just_before,
        &format!("visible? {}", yes_no(h.is_visible_at(just_before))),
    );
    say(
        purge_at,
        &format!("visible? {}", yes_no(h.is_visible_at(purge_at))),
    );
    say(purge_at, "Maria asks to decline it again");
    refused(h.decline(&Caller::standalone(maria), purge_at))?;
    println!(
        "  Pending handshakes are never purged early: Ana's would go at {}.",
        to_ana.purge_at()
    );

    // 6. Refused calls change nothing.
    heading("6. Refused calls: a typed error, and nothing changes");
    let h = invite("h-0000000000000005", juan, start + TimeDelta::days(3))?;
    let at = start + TimeDelta::days(4);
    let stranger: AccountId = "999999999999".parse()?;
    let before = h.clone();
    say(
        at,
        &format!("account {stranger}, which is no party, tries to accept"),
    );
    refused(h.accept(&Caller::standalone(stranger), at))?;
    say(at, "Bill tries to accept the invitation he sent");
    refused(h.accept(&bill_caller, at))?;
    say(
        at - TimeDelta::days(2),
        "Juan accepts with a time earlier than the invitation itself",
    );
    refused(h.accept(&Caller::standalone(juan), at - TimeDelta::days(2)))?;
    println!("  Unchanged after all three: {}", yes_no(h == before));
    show(&h, at);

    println!("\nDone.");
    Ok(())
}

fn heading(title: &str) {
    println!("\n{title}\n{}", "-".repeat(title.len()));
}

fn say(at: DateTime<Utc>, what: &str) {
    println!("[{}] {what}", at.format("%Y-%m-%d %H:%M:%S"));
}

fn show(h: &Handshake, at: DateTime<Utc>) {
    println!(
        "  handshake {} ({}): {} (expires {}, last change {})",
        h.id(),
        h.action(),
        h.state_at(at),
        h.expires_at().format("%Y-%m-%d %H:%M:%S"),
        h.last_change_at(at).format("%Y-%m-%d %H:%M:%S"),
    );
}

fn show_events(transition: &Transition) {
    for event in transition.events.iter() {
        let text = match event {
            Event::HandshakeRequested {
                handshake, action, ..
            } => format!("{action} {handshake} requested"),
            Event::HandshakeOpened { handshake, .. } => format!("{handshake} opened"),
            Event::HandshakeAccepted { handshake, by, .. } => {
                format!("{handshake} accepted by {by}")
            }
            Event::HandshakeDeclined { handshake, by, .. } => {
                format!("{handshake} declined by {by}")
            }
            Event::HandshakeCanceled { handshake, by, .. } => match by {
                Some(by) => format!("{handshake} canceled by {by}"),
                None => format!("{handshake} canceled as a side effect"),
            },
            Event::HandshakeExpired { handshake, .. } => format!("{handshake} expired"),
            Event::AccountJoinedOrganization {
                account,
                organization,
                method,
                ..
            } => {
                format!("account {account} joined {organization} (method: {method:?})")
            }
            other => format!("{other:?}"),
        };
        println!(
            "  event at {}: {text}",
            event.at().format("%Y-%m-%d %H:%M:%S")
        );
    }
}

/// Prints the refusal; a call that was expected to be refused and was not stops the tour.
fn refused(result: std::result::Result<Transition, TransitionError>) -> Result {
    match result {
        Err(err) => {
            println!(
                "  refused: {err}  [code {}, kind {}]",
                err.code(),
                err.kind()
            );
            Ok(())
        }
        Ok(_) => Err("a call the semantics refuse was allowed".into()),
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}
