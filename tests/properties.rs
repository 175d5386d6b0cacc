//! Properties of one handshake, each stated once and checked over generated handshakes,
//! callers and times (see `common` for the generators).
//!
//! | property | test | cases |
//! |---|---|---|
//! | 1 terminal states are absorbing | `p1_terminal_states_are_absorbing` | 256 |
//! | 2 a refusal changes nothing | `p2_refused_operation_changes_nothing` | 1024 |
//! | 3 last change never decreases; request before expiry | `p3_last_change_never_decreases` | 256 |
//! | 4 nothing accepted or declined from expiry on | `p4_nothing_accepted_or_declined_from_expiry_on` | 512 |
//! | 5 only the right party acts | `p5_only_the_right_party_acts` | 1024 |
//! | 6 repeating a success is already in state | `p6_repeating_a_success_is_already_in_state` | 512 |
//! | 7 purge eligibility | `p7_purge_eligibility` | 512 |
//! | 8 ids and malformed input | `p8_*` (six tests) | 1024 each |
//! | 9 neutral JSON round-trips | `p9_neutral_json_round_trips` | 512 |

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use org_handshake::provider::{from_json, WireError};
use org_handshake::{
    AccountId, AccountName, Action, Caller, Command, Email, FeatureSet, Handshake, HandshakeId,
    HandshakeParts, HandshakeState, IdError, IdKind, InvalidHandshake, Membership, Notes,
    Operation, OrganizationId, PartyRole, Profile, ProfileName, Resource, ResourceType,
    TransitionError, UnknownValue,
};
use proptest::prelude::*;

/// `prop_assert!(matches!(value, pattern))`, showing the value when it fails.
macro_rules! prop_assert_matches {
    ($value:expr, $($pattern:tt)+) => {{
        let value = $value;
        prop_assert!(matches!(value, $($pattern)+), "{:?} does not match {}", value, stringify!($($pattern)+));
    }};
}

const REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/properties.txt"
);

/// A handshake with a few commands at times around its deadlines.
fn arb_history(
    max_steps: usize,
) -> impl Strategy<Value = (Handshake, Vec<(Command, DateTime<Utc>)>)> {
    arb_handshake().prop_flat_map(move |h| {
        let steps = prop::collection::vec((arb_command(&h), arb_time_around(&h)), 1..max_steps);
        (Just(h), steps)
    })
}

/// The state a command leads to.
fn target_of(command: &Command) -> HandshakeState {
    match command {
        Command::Accept(_) => HandshakeState::Accepted,
        Command::Decline(_) => HandshakeState::Declined,
        Command::Cancel(_) | Command::CancelAsSideEffect => HandshakeState::Canceled,
        Command::Expire => HandshakeState::Expired,
        Command::Open => HandshakeState::Open,
        other => panic!("unexpected command {other:?}"),
    }
}

/// The role check alone, from the documented rules: a stranger gets *not found*, the other
/// side *access denied*, the right side of the wrong kind *access denied*; `Ok` when the role
/// check passes.
fn role_check(h: &Handshake, command: &Command) -> Result<(), TransitionError> {
    let handshake = h.id();
    let is_recipient = |c: &Caller| h.recipient().account() == Some(&c.account);
    let is_sender = |c: &Caller| h.sender().management_account == c.account;
    let denied = |c: &Caller, operation, role| TransitionError::AccessDenied {
        handshake,
        caller: c.account,
        operation,
        role: Some(role),
    };
    match command {
        Command::Accept(c) | Command::Decline(c) => {
            let operation = command.operation();
            if is_recipient(c) {
                let accepting = operation == Operation::Accept;
                if accepting && !may_accept(h.action(), c.membership, h.sender().id) {
                    return Err(denied(c, operation, PartyRole::Recipient));
                }
                Ok(())
            } else if is_sender(c) {
                Err(denied(c, operation, PartyRole::Sender))
            } else {
                Err(TransitionError::NotFound { handshake })
            }
        }
        Command::Cancel(c) => {
            if is_sender(c) {
                // The sender is the organization: its management account, calling as such.
                if c.membership == Membership::Management(h.sender().id) {
                    Ok(())
                } else {
                    Err(denied(c, Operation::Cancel, PartyRole::Sender))
                }
            } else if is_recipient(c) {
                Err(denied(c, Operation::Cancel, PartyRole::Recipient))
            } else {
                Err(TransitionError::NotFound { handshake })
            }
        }
        _ => Ok(()),
    }
}

proptest! {
    #![proptest_config(proptest_config(256, REGRESSIONS))]

    /// Property 1. Once a handshake's stored state is terminal, every operation, by any caller
    /// at any time, is refused and changes nothing; and a state seen terminal at some instant
    /// stays the same at every later instant.
    #[test]
    fn p1_terminal_states_are_absorbing(
        (mut h, steps) in arb_history(10),
        later in prop::collection::vec(0i64..(90 * 86_400), 1..4),
    ) {
        let mut frozen: Option<Handshake> = h.state().is_terminal().then(|| h.clone());
        for (command, at) in steps {
            let seen = h.state_at(at);
            if seen.is_terminal() {
                for delta in &later {
                    prop_assert_eq!(h.state_at(at + secs(*delta)), seen);
                }
            }
            let result = h.apply(&command, at);
            if let Some(before) = &frozen {
                prop_assert!(result.is_err(), "{command:?} at {at} changed a terminal handshake: {result:?}");
                prop_assert_eq!(&h, before);
            }
            if frozen.is_none() && h.state().is_terminal() {
                frozen = Some(h.clone());
            }
        }
    }

    /// Property 3. Across any operations at any times (earlier ones included) the stored last
    /// change never decreases, stays within [request, expiry], and the request stays before
    /// the expiry; with time moving forward, the last change seen at `now` never decreases.
    #[test]
    fn p3_last_change_never_decreases((start, steps) in arb_history(12)) {
        // Times as given, going back and forth.
        let mut h = start.clone();
        let mut last = h.state_entered_at();
        for (command, at) in &steps {
            let _ = h.apply(command, *at);
            prop_assert!(h.state_entered_at() >= last);
            prop_assert!(h.requested_at() < h.expires_at());
            prop_assert!(h.requested_at() <= h.state_entered_at());
            prop_assert!(h.state_entered_at() <= h.expires_at());
            last = h.state_entered_at();
        }
        // The same steps with time moving forward.
        let mut forward = steps.clone();
        forward.sort_by_key(|(_, at)| *at);
        let mut h = start;
        let mut seen = h.last_change_at(forward[0].1);
        for (command, at) in &forward {
            let before = h.last_change_at(*at);
            prop_assert!(before >= seen, "the last change seen went back from {seen} to {before}");
            let changed = h.apply(command, *at).is_ok();
            let after = h.last_change_at(*at);
            prop_assert!(after >= before);
            if changed {
                prop_assert!(after <= *at, "a change is never in the future: {after} > {at}");
            }
            seen = after;
        }
    }
}

proptest! {
    #![proptest_config(proptest_config(1024, REGRESSIONS))]

    /// Property 2. A refused operation leaves the handshake exactly as it was, its JSON
    /// included; `transition` (copying) and `apply` (in place) agree on every outcome.
    #[test]
    fn p2_refused_operation_changes_nothing(
        (h, command, at) in arb_handshake().prop_flat_map(|h| {
            let command = arb_command(&h);
            let at = arb_time_around(&h);
            (Just(h), command, at)
        })
    ) {
        let json_before = serde_json::to_string(&h).unwrap();
        let copied = h.transition(&command, at);
        let mut in_place = h.clone();
        let applied = in_place.apply(&command, at);
        match (&copied, &applied) {
            (Err(a), Err(b)) => {
                prop_assert_eq!(a, b);
                prop_assert_eq!(&in_place, &h);
                prop_assert_eq!(serde_json::to_string(&in_place).unwrap(), json_before);
            }
            (Ok(t), Ok(events)) => {
                prop_assert_eq!(&t.handshake, &in_place);
                prop_assert_eq!(&t.events, events);
                prop_assert_ne!(in_place.state(), h.state());
            }
            _ => prop_assert!(false, "transition {copied:?} and apply {applied:?} disagree"),
        }
    }

    /// Property 5. Only the recipient accepts or declines and only the sender cancels: a
    /// stranger gets *not found*, the other side *access denied*, the recipient of the wrong
    /// kind *access denied*, and so does the sender's management account calling as anything
    /// but that organization's management account (standalone, a member, another
    /// organization's management account). Those that pass get the outcome the state decides.
    #[test]
    fn p5_only_the_right_party_acts(
        (h, (class, caller), at) in arb_pending_handshake().prop_flat_map(|h| {
            let window = (h.expires_at() - h.state_entered_at()).num_milliseconds();
            let entered = h.state_entered_at();
            let at = (0..window).prop_map(move |ms| entered + TimeDelta::milliseconds(ms));
            (Just(h.clone()), arb_caller(&h), at)
        })
    ) {
        let id = h.id();
        for command in [Command::Accept(caller), Command::Decline(caller), Command::Cancel(caller)] {
            let result = h.transition(&command, at);
            let expected_role = role_check(&h, &command);
            // The caller classes, checked against the rule table independently of role_check.
            match (class, &command) {
                (CallerClass::Stranger, _) => {
                    prop_assert_eq!(result.clone().err(), Some(TransitionError::NotFound { handshake: id }));
                }
                (CallerClass::Recipient, Command::Cancel(_)) => {
                    prop_assert_eq!(result.clone().err().map(|e| e.code()), Some("access_denied"));
                }
                // The sender's management account calling as anything else (a member, a
                // standalone account, another organization's management account): a party out
                // of its role, so access denied, not not found.
                (CallerClass::Sender, Command::Cancel(c))
                    if c.membership != Membership::Management(h.sender().id) =>
                {
                    prop_assert_eq!(result.clone().err().map(|e| e.code()), Some("access_denied"));
                }
                (CallerClass::Sender, Command::Accept(_) | Command::Decline(_))
                    if h.action() != Action::EnableAllFeatures =>
                {
                    prop_assert_eq!(result.clone().err().map(|e| e.code()), Some("access_denied"));
                }
                _ => {}
            }
            match expected_role {
                Err(expected) => prop_assert_eq!(result.err(), Some(expected)),
                Ok(()) => {
                    let state = h.state_at(at);
                    let expected = match command {
                        Command::Accept(_) | Command::Decline(_) if state != HandshakeState::Open => {
                            Err(TransitionError::InvalidTransition { handshake: id, state, operation: command.operation() })
                        }
                        Command::Accept(c) if h.action() == Action::Invite && c.membership != Membership::Standalone => {
                            Err(TransitionError::AlreadyInOrganization {
                                handshake: id,
                                account: c.account,
                                organization: c.membership.organization().unwrap(),
                                is_management_account: matches!(c.membership, Membership::Management(_)),
                            })
                        }
                        _ => Ok(target_of(&command)),
                    };
                    prop_assert_eq!(result.map(|t| t.handshake.state()), expected);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(proptest_config(512, REGRESSIONS))]

    /// Property 4. From `expires_at` on (inclusive), nobody accepts or declines a pending
    /// handshake: its recipient gets *invalid transition* from `Expired` (or *not found* once
    /// purged). One second before, the recipient still can.
    #[test]
    fn p4_nothing_accepted_or_declined_from_expiry_on(
        (h, (_, caller), late) in arb_pending_handshake().prop_flat_map(|h| {
            let late = prop_oneof![Just(0i64), Just(1), 0i64..(45 * 86_400)];
            (Just(h.clone()), arb_caller(&h), late)
        })
    ) {
        let at = h.expires_at() + secs(late);
        let proper = recipient_caller(&h);
        for who in [Some(caller), proper].into_iter().flatten() {
            for command in [Command::Accept(who), Command::Decline(who)] {
                let result = h.transition(&command, at);
                prop_assert!(result.is_err(), "{command:?} at {at} succeeded after expiry");
                if Some(who) == proper {
                    let expected = if at >= h.purge_at() {
                        TransitionError::NotFound { handshake: h.id() }
                    } else {
                        TransitionError::InvalidTransition {
                            handshake: h.id(),
                            state: HandshakeState::Expired,
                            operation: command.operation(),
                        }
                    };
                    prop_assert_eq!(result.err(), Some(expected));
                }
            }
        }
        // The control: a second before expiry the recipient of an open handshake can accept.
        let just_before = h.expires_at() - SECOND;
        if let (Some(who), HandshakeState::Open) = (proper, h.state()) {
            if just_before >= h.state_entered_at() {
                let accepted = h.accept(&who, just_before);
                prop_assert_eq!(accepted.map(|t| t.handshake.state()), Ok(HandshakeState::Accepted));
            }
        }
    }

    /// Property 6. Repeating a successful operation (at the same time or later, while the
    /// handshake is still visible) is refused as *already in state* and changes nothing.
    #[test]
    fn p6_repeating_a_success_is_already_in_state(
        h in arb_pending_handshake(),
        pick in 0usize..6,
        when in 0u64..1_000_000,
        again in 0u64..1_000_000,
        late in 0i64..(20 * 86_400),
    ) {
        let entered = h.state_entered_at();
        let window = (h.expires_at() - entered).num_milliseconds() as u64;
        let before_expiry = entered + TimeDelta::milliseconds((window * when / 1_000_000) as i64);
        let mut candidates = vec![
            (Command::Cancel(sender_caller(&h)), before_expiry),
            (Command::CancelAsSideEffect, before_expiry),
            (Command::Expire, h.expires_at() + secs(late)),
        ];
        if let Some(recipient) = recipient_caller(&h) {
            if h.state() == HandshakeState::Open {
                candidates.push((Command::Accept(recipient), before_expiry));
                candidates.push((Command::Decline(recipient), before_expiry));
            }
        }
        if h.state() == HandshakeState::Requested {
            candidates.push((Command::Open, before_expiry));
        }
        let (command, at) = candidates[pick % candidates.len()];
        let done = h.transition(&command, at);
        prop_assert!(done.is_ok(), "{command:?} at {at} refused: {done:?}");
        let done = done.unwrap().handshake;
        prop_assert_eq!(done.state(), target_of(&command));

        // Again, somewhere between the first time and the end of the state's life.
        let end = if command == Command::Open { done.expires_at() } else { done.purge_at() };
        let span = (end - at).num_milliseconds() as u64;
        let repeat_at = at + TimeDelta::milliseconds((span * again / 1_000_000) as i64);
        let mut repeated = done.clone();
        let result = repeated.apply(&command, repeat_at);
        prop_assert_eq!(result, Err(TransitionError::AlreadyInState { handshake: h.id(), state: target_of(&command) }));
        prop_assert_eq!(repeated, done);
    }

    /// Property 7. A handshake is purgeable exactly when it is terminal and at or past its
    /// purge time, which is 30 days after it entered its terminal state (for one left pending,
    /// 30 days after its expiry); from then on it is gone for every operation.
    #[test]
    fn p7_purge_eligibility(
        (g, at, command) in arb_generated().prop_flat_map(|g| {
            let at = arb_time_around(&g.handshake);
            let command = arb_command(&g.handshake);
            (Just(g), at, command)
        })
    ) {
        let h = &g.handshake;
        let terminal_since = g.terminal_since.unwrap_or(h.expires_at());
        let purge = documented_purge_time(terminal_since);
        prop_assert_eq!(h.purge_at(), purge);
        prop_assert_eq!(h.is_purgeable_at(at), h.state_at(at).is_terminal() && at >= h.purge_at());
        prop_assert_eq!(h.is_purgeable_at(at), at >= purge);
        prop_assert_eq!(h.is_visible_at(at), at < purge);
        if at >= purge {
            prop_assert_eq!(h.transition(&command, at).err(), Some(TransitionError::NotFound { handshake: h.id() }));
        } else if let Err(err) = h.transition(&command, at) {
            // Still there: only a caller who is no party is told it does not exist.
            if err.code() == "handshake_not_found" {
                let caller = match command {
                    Command::Accept(c) | Command::Decline(c) | Command::Cancel(c) => c,
                    _ => panic!("{command:?} cannot be not found before the purge"),
                };
                prop_assert!(h.recipient().account() != Some(&caller.account) && h.sender().management_account != caller.account);
            }
        }
    }

    /// Property 9. The neutral JSON of any valid handshake (deep resource trees, every
    /// action, state and recipient shape, nanosecond times) reads back as the same handshake,
    /// through `Handshake` and through `HandshakeParts`; so does the handshake as seen later.
    #[test]
    fn p9_neutral_json_round_trips(h in arb_handshake(), later in 0i64..(60 * 86_400)) {
        let json = serde_json::to_string(&h).unwrap();
        let back: Handshake = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &h);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);

        let parts: HandshakeParts = serde_json::from_str(&serde_json::to_string_pretty(&h).unwrap()).unwrap();
        prop_assert_eq!(&Handshake::from_parts(parts.clone()).unwrap(), &h);
        prop_assert_eq!(parts, h.clone().into_parts());

        let seen = h.observed_at(h.requested_at() + secs(later));
        let back: Handshake = from_json(&serde_json::to_string(&seen).unwrap()).unwrap();
        prop_assert_eq!(back, seen);
    }
}

// ---------------------------------------------------------------------------------------------
// Property 8: ids, and malformed input in general.

/// A string with the character at `index` replaced by `with`.
fn replace_char(s: &str, index: usize, with: char) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| if i == index { with } else { c })
        .collect()
}

/// Non-ASCII look-alikes and ASCII punctuation that no id allows.
fn arb_foreign_char() -> impl Strategy<Value = char> {
    prop_oneof![
        proptest::sample::select(vec!['é', 'ß', 'ℎ', '０', 'Ａ', 'і', 'о', '\u{200b}', '💥']),
        proptest::sample::select(vec!['-', '_', '.', ' ', '/', '*', '\n']),
        any::<char>().prop_filter("not an ASCII letter or digit", |c| !c
            .is_ascii_alphanumeric()),
    ]
}

proptest! {
    #![proptest_config(proptest_config(1024, REGRESSIONS))]

    /// Property 8a. Every string matching a documented pattern parses, keeps its spelling, and
    /// survives JSON; the provider narrowings accept their own ids.
    #[test]
    fn p8_ids_matching_the_patterns_parse(
        handshake in arb_neutral_handshake_id_string(),
        lower in "h-[0-9a-z]{8,32}",
        alibaba in "h-[0-9A-Za-z]{16}",
        account in "[0-9A-Za-z]{1,64}",
        org_o in "o-[0-9a-z]{10,32}",
        org_rd in "rd-[0-9A-Za-z]{2,32}",
        email in "[a-z0-9._%+-]{1,20}@[a-z0-9-]{1,15}\\.[a-z]{2,6}",
        name in "\\PC{1,64}",
    ) {
        let id = HandshakeId::parse(&handshake).unwrap();
        prop_assert_eq!(id.as_str(), handshake.as_str());
        prop_assert_eq!(serde_json::from_str::<HandshakeId>(&serde_json::to_string(&id).unwrap()).unwrap(), id);
        for profile in [Profile::AWS, Profile::HUAWEI] {
            prop_assert_eq!(profile.parse_handshake_id(&lower).unwrap().to_string(), lower.clone());
        }
        prop_assert_eq!(Profile::ALIBABA.parse_handshake_id(&alibaba).unwrap().to_string(), alibaba);
        prop_assert_eq!(AccountId::parse(&account).unwrap().to_string(), account);
        prop_assert_eq!(OrganizationId::parse(&org_o).unwrap().to_string(), org_o);
        prop_assert_eq!(OrganizationId::parse(&org_rd).unwrap().to_string(), org_rd);
        prop_assert_eq!(Email::parse(&email).unwrap().to_string(), email);
        prop_assert_eq!(AccountName::parse(&name).unwrap().to_string(), name);
    }

    /// Property 8b. Near misses of the neutral patterns are refused with the error that names
    /// the problem: a wrong prefix, 7 or 33 characters after `h-`, a foreign character (its
    /// position and the character given), upper case in an `o-` organization id.
    #[test]
    fn p8_id_near_misses_are_refused(
        good in arb_neutral_handshake_id_string(),
        bad_prefix in prop_oneof![Just(""), Just("H-"), Just("h_"), Just("h"), Just("x-"), Just("-h-"), Just(" h-"), Just("ｈ-")],
        short in "[0-9A-Za-z]{7}",
        long in "[0-9A-Za-z]{33}",
        foreign in arb_foreign_char(),
        at in any::<prop::sample::Index>(),
        account in "[0-9A-Za-z]{1,64}",
        org_body in "[0-9a-z]{10,32}",
        upper in "[A-Z]",
    ) {
        // Wrong prefix.
        let body = &good[2..];
        let unprefixed = format!("{bad_prefix}{body}");
        prop_assert!(matches!(HandshakeId::parse(&unprefixed), Err(IdError::MissingPrefix { kind: IdKind::HandshakeId, .. })), "{unprefixed}");
        // One character too few or too many.
        for (value, length) in [(format!("h-{short}"), 7), (format!("h-{long}"), 33)] {
            prop_assert_eq!(
                HandshakeId::parse(&value),
                Err(IdError::Length { kind: IdKind::HandshakeId, value: value.clone(), prefixed: true, length, min: 8, max: 32 })
            );
        }
        // A foreign character anywhere after the prefix.
        let index = 2 + at.index(body.chars().count());
        let value = replace_char(&good, index, foreign);
        prop_assert_eq!(
            HandshakeId::parse(&value),
            Err(IdError::InvalidCharacter { kind: IdKind::HandshakeId, value: value.chars().take(64).collect(), index, character: foreign })
        );
        // Account ids: a foreign character, and one character too many.
        let index = at.index(account.chars().count());
        let value = replace_char(&account, index, foreign);
        prop_assert_eq!(AccountId::parse(&value).map_err(|e| e.code()), Err("invalid_account_id"));
        prop_assert_matches!(AccountId::parse(&value), Err(IdError::InvalidCharacter { index: i, character, .. }) if i == index && character == foreign);
        let too_long = format!("{account}{}", "9".repeat(65 - account.len()));
        prop_assert_matches!(AccountId::parse(&too_long), Err(IdError::Length { length: 65, max: 64, .. }));
        prop_assert_eq!(AccountId::parse(""), Err(IdError::Empty { kind: IdKind::AccountId }));
        // Organization ids: upper case after `o-`, 9 and 33 characters, and an unknown prefix.
        let index = 2 + at.index(org_body.len());
        let value = replace_char(&format!("o-{org_body}"), index, upper.chars().next().unwrap());
        prop_assert_matches!(OrganizationId::parse(&value), Err(IdError::InvalidCharacter { kind: IdKind::OrganizationId, index: i, .. }) if i == index);
        prop_assert_matches!(OrganizationId::parse(&format!("o-{}", &org_body[..9])), Err(IdError::Length { length: 9, min: 10, .. }));
        prop_assert_matches!(OrganizationId::parse(&format!("o-{org_body}{}", "a".repeat(33 - org_body.len()))), Err(IdError::Length { length: 33, max: 32, .. }));
        prop_assert_matches!(OrganizationId::parse(&format!("ou-{org_body}")), Err(IdError::MissingPrefix { .. }));
        prop_assert_matches!(OrganizationId::parse(&format!("rd-{}", &org_body[..1])), Err(IdError::Length { length: 1, min: 2, .. }));
    }

    /// Property 8c. The provider narrowings: AWS and Huawei refuse upper case (naming the
    /// character and its position), Alibaba takes exactly 16 characters of either case.
    #[test]
    fn p8_profile_narrowings(
        lower in "h-[0-9a-z]{8,32}",
        upper in "[A-Z]",
        at in any::<prop::sample::Index>(),
        alibaba in "[0-9A-Za-z]{16}",
        off_by in prop_oneof![Just(-1i64), Just(1), -8i64..=16],
    ) {
        let index = 2 + at.index(lower.len() - 2);
        let character = upper.chars().next().unwrap();
        let shouted = replace_char(&lower, index, character);
        prop_assert!(HandshakeId::parse(&shouted).is_ok(), "the neutral rule allows upper case");
        for profile in [Profile::AWS, Profile::HUAWEI] {
            prop_assert_eq!(
                profile.parse_handshake_id(&shouted),
                Err(IdError::InvalidCharacter { kind: IdKind::HandshakeId, value: shouted.clone(), index, character })
            );
        }
        let whole = format!("h-{alibaba}");
        prop_assert!(Profile::ALIBABA.parse_handshake_id(&whole).is_ok(), "{}", whole);
        let length = (16 + off_by).max(8) as usize;
        if length != 16 {
            let value: String = format!("h-{}", alibaba.repeat(3).chars().take(length).collect::<String>());
            prop_assert_eq!(
                Profile::ALIBABA.parse_handshake_id(&value),
                Err(IdError::Length { kind: IdKind::HandshakeId, value: value.clone(), prefixed: true, length, min: 16, max: 16 })
            );
        }
    }

    /// Property 8d. Malformed neutral JSON is refused with a typed error naming the problem:
    /// an expiry not after the request, a terminal state without its change time, unknown
    /// enum strings, a malformed id; never a panic, never a silent default.
    #[test]
    fn p8_malformed_handshake_json_is_refused(
        h in arb_handshake(),
        back in 0i64..(30 * 86_400),
        word in "[a-zA-Z_ ]{1,24}",
        flaw in 0usize..6,
    ) {
        let mut json = serde_json::to_value(&h).unwrap();
        let field = |name: &str| serde_json::to_value(name).unwrap();
        match flaw {
            0 => {
                // Expiry at or before the request.
                let expires_at = h.requested_at() - secs(back);
                json["expires_at"] = serde_json::to_value(expires_at).unwrap();
                let expected = InvalidHandshake::ExpiryNotAfterRequest { requested_at: h.requested_at(), expires_at };
                let parts: HandshakeParts = from_json(&json.to_string()).unwrap();
                prop_assert_eq!(Handshake::from_parts(parts).unwrap_err(), expected.clone());
                let err = from_json::<Handshake>(&json.to_string()).unwrap_err();
                prop_assert!(matches!(&err, WireError::Json { message, .. } if message.starts_with(&expected.to_string())), "{err}");
            }
            1 => {
                // No change time: refused for a terminal state, read as the request for a pending one.
                json.as_object_mut().unwrap().remove("state_entered_at");
                let parts: HandshakeParts = from_json(&json.to_string()).unwrap();
                let result = Handshake::from_parts(parts);
                if h.state().is_terminal() {
                    prop_assert_eq!(result.unwrap_err(), InvalidHandshake::TerminalWithoutChangeTime { state: h.state() });
                    prop_assert_eq!(from_json::<Handshake>(&json.to_string()).unwrap_err().code(), "invalid_json");
                } else {
                    prop_assert_eq!(result.unwrap().state_entered_at(), h.requested_at());
                }
            }
            2..=4 => {
                // An unknown enum string, in each enum-valued field.
                let (path, vocabulary): (&[&str], &str) = match flaw {
                    2 => (&["state"], "handshake state"),
                    3 => (&["action"], "action"),
                    _ => (&["sender", "feature_set"], "feature set"),
                };
                let known = match vocabulary {
                    "handshake state" => HandshakeState::values().iter().any(|v| v.as_str() == word),
                    "action" => Action::values().iter().any(|v| v.as_str() == word),
                    _ => FeatureSet::values().iter().any(|v| v.as_str() == word),
                };
                prop_assume!(!known);
                let mut slot = &mut json;
                for key in path {
                    slot = &mut slot[*key];
                }
                *slot = field(&word);
                let err = from_json::<HandshakeParts>(&json.to_string()).unwrap_err();
                let WireError::Json { field: at, message } = &err else { panic!("{err:?}") };
                prop_assert_eq!(at.as_str(), path.join("."));
                prop_assert!(message.contains(&format!("`{word}`")), "the value is named: {message}");
                // The same string through the vocabulary's own parser.
                let parsed: Result<(), UnknownValue> = match vocabulary {
                    "handshake state" => word.parse::<HandshakeState>().map(drop),
                    "action" => word.parse::<Action>().map(drop),
                    _ => word.parse::<FeatureSet>().map(drop),
                };
                prop_assert_eq!(parsed, Err(UnknownValue { vocabulary: match vocabulary {
                    "handshake state" => "handshake state",
                    "action" => "action",
                    _ => "feature set",
                }, value: word.clone() }));
            }
            _ => {
                // A malformed id: the path and the id rule are named.
                json["id"] = field(&format!("h-{word}"));
                prop_assume!(HandshakeId::parse(&format!("h-{word}")).is_err());
                let err = from_json::<Handshake>(&json.to_string()).unwrap_err();
                let WireError::Json { field: at, message } = &err else { panic!("{err:?}") };
                prop_assert_eq!(at.as_str(), "id");
                prop_assert!(message.contains("handshake id"), "{message}");
            }
        }
    }
}

proptest! {
    #![proptest_config(proptest_config(1024, REGRESSIONS))]

    /// Property 8e. Handshake parts with times anywhere in chrono's range, in any state, either
    /// are refused with a typed error or give a handshake on which every query and every
    /// command at any time answers without panicking (this found the overflow at the end of
    /// the calendar).
    #[test]
    fn p8_any_times_never_panic(
        state in proptest::sample::select(HandshakeState::values()),
        requested in any::<i64>(),
        validity in prop_oneof![1i64..(100 * 86_400), any::<i64>()],
        entered in prop_oneof![Just(None), any::<i64>().prop_map(Some)],
        at in prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MIN)],
        caller_is_recipient in any::<bool>(),
    ) {
        let clamp = |secs: i64| {
            let (min, max) = (DateTime::<Utc>::MIN_UTC.timestamp(), DateTime::<Utc>::MAX_UTC.timestamp());
            DateTime::from_timestamp(secs.clamp(min, max), 0).unwrap()
        };
        let requested_at = clamp(requested);
        let mut parts = invite_at("h-0123456789abcdef", EPOCH).into_parts();
        parts.state = state;
        parts.requested_at = requested_at;
        parts.expires_at = clamp(requested.saturating_add(validity));
        parts.state_entered_at = entered.map(clamp);
        let now = clamp(at);
        if let Ok(h) = Handshake::from_parts(parts) {
            let _ = (h.state_at(now), h.last_change_at(now), h.purge_at(), h.next_deadline(), h.validity());
            let _ = (h.is_visible_at(now), h.is_purgeable_at(now), h.observed_at(now));
            let caller = if caller_is_recipient { juan_caller() } else { bill_caller() };
            for command in [Command::Accept(caller), Command::Decline(caller), Command::Cancel(caller), Command::CancelAsSideEffect, Command::Expire, Command::Open] {
                let _ = h.transition(&command, now);
            }
            let json = serde_json::to_string(&h).unwrap();
            prop_assert_eq!(serde_json::from_str::<Handshake>(&json).unwrap(), h);
        }
        let new = org_handshake::NewHandshake::invite(parse("h-0123456789abcdef"), sender(), org_handshake::Recipient::for_account(juan()));
        if let Ok(created) = Handshake::create(new, &Profile::AWS, now) {
            let _ = created.handshake.purge_at();
        }
    }

    /// Property 8f. Any string given to any id parser, and any corruption of a valid
    /// handshake's JSON, gives a value or a typed error: never a panic, and a value parsed
    /// back spells exactly the input.
    #[test]
    fn p8_any_input_parses_or_is_refused(
        text in prop_oneof![".{0,80}", "[hor]d?-[0-9A-Za-z]{0,40}", any::<String>()],
        h in arb_handshake(),
        cut in any::<prop::sample::Index>(),
        len in 0usize..12,
        patch in ".{0,8}",
    ) {
        macro_rules! spelled_back {
            ($($parse:expr),+) => {$(
                if let Ok(value) = $parse(&text) {
                    prop_assert_eq!(value.as_str(), text.as_str());
                }
            )+};
        }
        spelled_back!(
            HandshakeId::parse, AccountId::parse, OrganizationId::parse, Email::parse,
            AccountName::parse, Notes::parse,
            |t: &str| Profile::AWS.parse_handshake_id(t),
            |t: &str| Profile::ALIBABA.parse_handshake_id(t)
        );
        let _ = (text.parse::<HandshakeState>(), text.parse::<Action>(), text.parse::<ResourceType>());
        // Corrupt the JSON at a character boundary.
        let json = serde_json::to_string(&h).unwrap();
        let chars: Vec<char> = json.chars().collect();
        let start = cut.index(chars.len());
        let end = (start + len).min(chars.len());
        let corrupted: String = chars[..start].iter().chain(patch.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        match from_json::<Handshake>(&corrupted) {
            Ok(back) => prop_assert_eq!(serde_json::from_str::<Handshake>(&corrupted).unwrap(), back),
            Err(err) => prop_assert_eq!(err.code(), "invalid_json"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input, case by case.

#[test]
fn every_invalid_handshake_variant_is_named() {
    let h = invite_at("h-0123456789abcdef", EPOCH);
    let parts = || h.clone().into_parts();
    let cases: Vec<(HandshakeParts, &str)> = vec![
        (
            HandshakeParts {
                expires_at: EPOCH,
                ..parts()
            },
            "expiry_not_after_request",
        ),
        (
            HandshakeParts {
                state: HandshakeState::Declined,
                state_entered_at: None,
                ..parts()
            },
            "terminal_without_change_time",
        ),
        (
            HandshakeParts {
                state_entered_at: Some(EPOCH - SECOND),
                ..parts()
            },
            "entered_before_request",
        ),
        (
            HandshakeParts {
                state: HandshakeState::Expired,
                state_entered_at: Some(EPOCH + SECOND),
                ..parts()
            },
            "entered_at_impossible_time",
        ),
        (
            HandshakeParts {
                state: HandshakeState::Accepted,
                state_entered_at: Some(h.expires_at()),
                ..parts()
            },
            "entered_at_impossible_time",
        ),
        (
            HandshakeParts {
                state: HandshakeState::Requested,
                ..parts()
            },
            "requested_without_children",
        ),
        (
            HandshakeParts {
                parent: Some(parse("h-parent0001")),
                ..parts()
            },
            "parent_mismatch",
        ),
        (
            HandshakeParts {
                action: Action::ApproveAllFeatures,
                ..parts()
            },
            "parent_mismatch",
        ),
        (
            HandshakeParts {
                action: Action::ApproveAllFeatures,
                parent: Some(h.id()),
                ..parts()
            },
            "parent_mismatch",
        ),
    ];
    for (parts, code) in cases {
        let err = Handshake::from_parts(parts.clone()).unwrap_err();
        assert_eq!(err.code(), code, "{parts:?}");
        // The same parts as JSON are refused with the same message.
        let json = serde_json::to_string(&parts).unwrap();
        let wire = from_json::<Handshake>(&json).unwrap_err();
        assert!(
            wire.to_string().contains(&err.to_string()),
            "{wire} / {err}"
        );
    }
}

#[test]
fn an_organization_is_never_a_recipient_in_json() {
    let mut json = serde_json::to_value(invite_at("h-0123456789abcdef", EPOCH)).unwrap();
    json["recipient"]["target"] =
        serde_json::json!({"type": "organization", "id": "o-exampleorgid"});
    let err = from_json::<Handshake>(&json.to_string()).unwrap_err();
    assert!(
        err.to_string()
            .contains("an organization cannot be a recipient"),
        "{err}"
    );
    json["recipient"]["target"] = serde_json::json!({"type": "account", "id": "222222222222"});
    json["recipient"]["account"] = serde_json::json!("333333333333");
    let err = from_json::<Handshake>(&json.to_string()).unwrap_err();
    assert!(
        err.to_string()
            .contains("the target account id and the resolved account differ"),
        "{err}"
    );
}

#[test]
fn create_refuses_what_the_profile_cannot_express() {
    let new = |id: &str, action| org_handshake::NewHandshake {
        action,
        ..org_handshake::NewHandshake::invite(
            parse(id),
            sender(),
            org_handshake::Recipient::for_account(juan()),
        )
    };
    let err = Handshake::create(
        new("h-0123456789abcdef", Action::EnableAllFeatures),
        &Profile::HUAWEI,
        EPOCH,
    )
    .unwrap_err();
    assert_eq!(
        err,
        InvalidHandshake::UnsupportedAction {
            provider: ProfileName::from_static("huawei"),
            action: Action::EnableAllFeatures
        }
    );
    let err = Handshake::create(
        new("h-0123456789abcdef0", Action::Invite),
        &Profile::ALIBABA,
        EPOCH,
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_handshake_id");
}

#[test]
fn unknown_values_are_errors_in_every_vocabulary() {
    assert_eq!(
        "OPEN".parse::<HandshakeState>().unwrap_err().to_string(),
        "unknown handshake state `OPEN`"
    );
    assert_eq!("INVITE".parse::<Action>().unwrap_err().vocabulary, "action");
    assert_eq!(
        "FULL".parse::<FeatureSet>().unwrap_err().vocabulary,
        "feature set"
    );
    assert_eq!(
        "OWNER_EMAIL"
            .parse::<ResourceType>()
            .unwrap_err()
            .vocabulary,
        "resource type"
    );
    assert_eq!(
        "owner".parse::<PartyRole>().unwrap_err().vocabulary,
        "party role"
    );
    // Huge values are cut, so an error stays small.
    let huge = "x".repeat(100_000);
    assert_eq!(
        huge.parse::<Action>().unwrap_err().value.chars().count(),
        64
    );
}

#[test]
fn text_limits() {
    assert!(
        Notes::parse(&"é".repeat(1024)).is_ok(),
        "the limit counts characters, not bytes"
    );
    assert!(matches!(
        Notes::parse(&"é".repeat(1025)),
        Err(IdError::Length {
            length: 1025,
            max: 1024,
            ..
        })
    ));
    assert!(matches!(
        AccountName::parse(&"n".repeat(65)),
        Err(IdError::Length { length: 65, .. })
    ));
    assert!(matches!(
        AccountName::parse("a\u{7}b"),
        Err(IdError::InvalidCharacter { index: 1, .. })
    ));
    assert!(matches!(
        Email::parse("a@b.c"),
        Err(IdError::Length {
            length: 5,
            min: 6,
            ..
        })
    ));
    assert!(matches!(
        Email::parse("juan at example.com"),
        Err(IdError::InvalidCharacter { character: ' ', .. })
    ));
    assert!(matches!(
        Email::parse("juan.example.com"),
        Err(IdError::Malformed { .. })
    ));
}

#[test]
fn deep_json_is_refused_not_overflowed() {
    // serde_json stops at 128 levels of nesting; a hostile resource tree is an error, not a
    // stack overflow.
    let mut json = serde_json::to_value(invite_at("h-0123456789abcdef", EPOCH)).unwrap();
    let mut resource = String::from(r#"{"type":"notes","value":"x"}"#);
    for _ in 0..10_000 {
        resource = format!(r#"{{"type":"notes","value":"x","children":[{resource}]}}"#);
    }
    json["resources"] = serde_json::json!([]);
    let text = json
        .to_string()
        .replace(r#""resources":[]"#, &format!(r#""resources":[{resource}]"#));
    let err = from_json::<Handshake>(&text).unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
}

/// Regression: times at the far end of chrono's range made the crate panic. `from_parts`
/// accepted (from JSON) an expiry within 30 days of `DateTime::<Utc>::MAX_UTC`, after which
/// `purge_at`, and so every transition, overflowed; `create` at such a `now` overflowed
/// computing the expiry. Both are now refused with `InvalidHandshake::TimeOutOfRange`.
#[test]
fn times_at_the_end_of_the_calendar_are_refused_not_panicking() {
    let mut json = serde_json::to_value(invite_at("h-0123456789abcdef", EPOCH)).unwrap();
    json["requested_at"] = "+262142-12-01T00:00:00Z".into();
    json["expires_at"] = "+262142-12-31T00:00:00Z".into();
    json["state_entered_at"] = "+262142-12-01T00:00:00Z".into();
    let parts: HandshakeParts = from_json(&json.to_string()).unwrap();
    let err = Handshake::from_parts(parts).unwrap_err();
    assert_eq!(
        err,
        InvalidHandshake::TimeOutOfRange {
            what: "the purge time (30 days after the expiry)"
        }
    );
    assert_eq!(err.code(), "time_out_of_range");
    assert!(from_json::<Handshake>(&json.to_string())
        .unwrap_err()
        .to_string()
        .contains("beyond the latest representable time"));

    let new = org_handshake::NewHandshake::invite(
        parse("h-0123456789abcdef"),
        sender(),
        org_handshake::Recipient::for_account(juan()),
    );
    let latest = DateTime::<Utc>::MAX_UTC;
    assert_eq!(
        Handshake::create(new.clone(), &Profile::AWS, latest).unwrap_err(),
        InvalidHandshake::TimeOutOfRange { what: "the expiry" }
    );
    // Twenty days before the end: the expiry exists, its purge does not.
    assert_eq!(
        Handshake::create(new.clone(), &Profile::AWS, latest - TimeDelta::days(20))
            .unwrap_err()
            .code(),
        "time_out_of_range"
    );
    // Fifty days before the end, everything fits.
    let h = Handshake::create(new, &Profile::AWS, latest - TimeDelta::days(50))
        .unwrap()
        .handshake;
    assert_eq!(h.purge_at(), h.expires_at() + TimeDelta::days(30));
}

/// Regression: `from_parts` accepted resource trees of any depth, and a tree 64 levels deep
/// serialized to neutral JSON that serde_json (nesting limit 128) could not read back, breaking
/// property 9. Trees are now limited to `Resource::MAX_DEPTH` levels.
#[test]
fn resource_trees_too_deep_for_json_are_refused() {
    let with_tree = |depth| {
        let mut parts = invite_at("h-0123456789abcdef", EPOCH).into_parts();
        parts.resources = vec![resource_chain(depth, ResourceType::Notes)];
        parts
    };
    let deepest = Handshake::from_parts(with_tree(Resource::MAX_DEPTH)).unwrap();
    let json = serde_json::to_string(&deepest).unwrap();
    assert_eq!(serde_json::from_str::<Handshake>(&json).unwrap(), deepest);

    let too_deep = with_tree(Resource::MAX_DEPTH + 1);
    let err = Handshake::from_parts(too_deep.clone()).unwrap_err();
    assert_eq!(
        err,
        InvalidHandshake::ResourceTreeTooDeep {
            depth: Resource::MAX_DEPTH + 1,
            max: Resource::MAX_DEPTH
        }
    );
    assert_eq!(err.code(), "resource_tree_too_deep");
    let wire = from_json::<Handshake>(&serde_json::to_string(&too_deep).unwrap()).unwrap_err();
    assert!(wire.to_string().contains(&err.to_string()), "{wire}");
    // 64 levels, the depth that used to round-trip one way only, is refused too.
    assert_eq!(
        Handshake::from_parts(with_tree(64)).unwrap_err().code(),
        "resource_tree_too_deep"
    );
}
