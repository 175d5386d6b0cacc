//! Shared fixtures and proptest generators for the integration tests. Each test binary
//! declares `mod common;` and uses what it needs.
//!
//! Submodules:
//! - [`aws_gen`], [`huawei_gen`], [`alibaba_gen`]: neutral handshakes each provider can express
//!   exactly (what its render/parse round trip keeps).
//! - [`ledger`]: the ledger tests' epoch, small world and short helpers.
//! - [`reply`]: what an error snapshot holds ([`reply::status_and_body`]).
//! - [`vectors`]: the conformance corpus's files, per provider.
//! - [`registry`]: every dialect under test ([`registry::dialects`]): the built-in providers
//!   from `Provider::values()`, plus the tests' own [`zcloud`].
//! - [`contract`]: what every dialect must satisfy, written once.
//! - [`zcloud`]: a made-up fourth cloud, wired in from the tests alone.
//!
//! Here:
//! - **Fixtures**: a fixed [`EPOCH`] (2026-01-05T10:00:00Z), Bill's organization
//!   ([`org`], [`management`], [`sender`]), Juan's account ([`juan`]), a [`stranger`], and
//!   [`invite_at`] for a ready AWS invitation.
//! - **Callers**: [`recipient_caller`] and [`sender_caller`] give the account that may act on a
//!   handshake, with the membership the documented rules require ([`may_accept`]).
//! - **Generators**: [`arb_handshake`] (valid handshakes of every action and state, built
//!   through `Handshake::create` and real transitions, so their times are consistent),
//!   [`arb_caller`] (the recipient, the sender or a stranger, with every `Membership`),
//!   [`arb_time_around`] (instants around the handshake's deadlines, ± 1 s), [`arb_command`],
//!   and the id, text and [`Resource`] tree generators behind them (deep trees included).
//! - [`proptest_config`]: case count plus failure persistence under the repository's
//!   `proptest-regressions/`.
// Cargo compiles this module into every test binary (`mod common;`), and each binary uses its
// own subset of it: the rest is dead code *in that binary* only. That is the standard idiom for
// shared integration-test helpers, hence `dead_code` for the whole module and its submodules.
// `pub` here means "shared between test binaries", which the `unreachable_pub` lint cannot see.
#![allow(dead_code, unreachable_pub)]

pub mod alibaba_gen;
pub mod aws_gen;
pub mod contract;
pub mod huawei_gen;
pub mod ledger;
pub mod registry;
pub mod reply;
pub mod vectors;
pub mod zcloud;

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::{
    AccountId, AccountName, Action, Caller, Command, Email, Handshake, HandshakeId, Membership,
    NewHandshake, Notes, OrganizationId, Party, Profile, Recipient, Resource, ResourceType,
    SenderOrganization,
};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};

/// The fixed instant every scenario starts from: 2026-01-05T10:00:00Z.
pub const EPOCH: DateTime<Utc> = DateTime::from_timestamp_nanos(1_767_607_200_000_000_000);

/// One second.
pub const SECOND: TimeDelta = TimeDelta::seconds(1);

/// `n` seconds.
pub fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

/// A proptest configuration running `cases` cases, which persists failures to `file` (pass
/// `concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/<test>.txt")`).
///
/// proptest's default (`SourceParallel`) looks for a `lib.rs` beside the test's own directory,
/// finds none under `tests/`, and falls back to a file next to the test source; naming the
/// file keeps every seed in the repository root's `proptest-regressions/`.
pub fn proptest_config(cases: u32, file: &'static str) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures: the AWS documentation's Bill (management account) and Juan (invited account).

/// Parses a value that the test itself wrote down, so it is known to be valid.
pub fn parse<T: std::str::FromStr>(value: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    value
        .parse()
        .unwrap_or_else(|err| panic!("fixture `{value}`: {err:?}"))
}

/// Bill's organization, `o-exampleorgid`.
pub fn org() -> OrganizationId {
    parse("o-exampleorgid")
}

/// Bill's management account, `111111111111`.
pub fn management() -> AccountId {
    parse("111111111111")
}

/// Juan's account, `222222222222`, the invited one.
pub fn juan() -> AccountId {
    parse("222222222222")
}

/// An account that is party to nothing, `999999999999`.
pub fn stranger() -> AccountId {
    parse("999999999999")
}

/// Another organization, `o-otherorg0001`, for recipients who already belong somewhere.
pub fn other_org() -> OrganizationId {
    parse("o-otherorg0001")
}

/// Bill's organization as a sender (AWS style: email and feature set known).
pub fn sender() -> SenderOrganization {
    SenderOrganization {
        id: org(),
        management_account: management(),
        management_account_name: parse("Org Master Account"),
        management_account_email: Some(parse("bill@example.com")),
        feature_set: Some(org_handshake::FeatureSet::All),
    }
}

/// An AWS INVITE with id `id` from Bill's organization to Juan, requested at `at` (open for 15
/// days).
pub fn invite_at(id: &str, at: DateTime<Utc>) -> Handshake {
    let new = NewHandshake::invite(parse(id), sender(), Recipient::for_account(juan()));
    Handshake::create(new, &Profile::AWS, at)
        .expect("a fixture invitation is valid")
        .handshake
}

/// Bill, acting as the management account of his organization.
pub fn bill_caller() -> Caller {
    Caller::management(management(), org())
}

/// Juan, standalone.
pub fn juan_caller() -> Caller {
    Caller::standalone(juan())
}

/// The stranger, standalone.
pub fn stranger_caller() -> Caller {
    Caller::standalone(stranger())
}

// ---------------------------------------------------------------------------------------------
// Who may act: the documented rules (design.md "Who may act"), written down once for the tests.

/// Whether an account standing as `membership` may accept a handshake of `action` sent by
/// `sender_org`, as its recipient: anyone for an INVITE (a member elsewhere is refused later, as
/// already in an organization); a member of the sender's organization for an
/// APPROVE_ALL_FEATURES child or a service-linked-role request; the sender's management account
/// for the ENABLE_ALL_FEATURES parent; some organization's management account for a
/// responsibility transfer.
pub fn may_accept(action: Action, membership: Membership, sender_org: OrganizationId) -> bool {
    match action {
        Action::Invite => true,
        Action::ApproveAllFeatures | Action::AddOrganizationsServiceLinkedRole => {
            membership == Membership::Member(sender_org)
        }
        Action::EnableAllFeatures => membership == Membership::Management(sender_org),
        Action::TransferResponsibility => matches!(membership, Membership::Management(_)),
        other => panic!("no rule for {other}"),
    }
}

/// The recipient as a caller that may accept (a standalone account for an INVITE), or `None`
/// when the recipient is not resolved to an account (nobody can act as it).
pub fn recipient_caller(h: &Handshake) -> Option<Caller> {
    let account = *h.recipient().account()?;
    let membership = match h.action() {
        Action::Invite => Membership::Standalone,
        Action::ApproveAllFeatures | Action::AddOrganizationsServiceLinkedRole => {
            Membership::Member(h.sender().id)
        }
        Action::EnableAllFeatures => Membership::Management(h.sender().id),
        _ => Membership::Management(other_org()),
    };
    Some(Caller {
        account,
        membership,
    })
}

/// The sender's management account, acting for its organization.
pub fn sender_caller(h: &Handshake) -> Caller {
    Caller::management(h.sender().management_account, h.sender().id)
}

/// Which side a generated caller was drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerClass {
    /// The resolved recipient account.
    Recipient,
    /// The sender's management account.
    Sender,
    /// Neither.
    Stranger,
}

// ---------------------------------------------------------------------------------------------
// Id and text generators.

/// A handshake id under the neutral rule: `h-` + 8–32 ASCII letters or digits.
pub fn arb_neutral_handshake_id_string() -> impl Strategy<Value = String> {
    "h-[0-9A-Za-z]{8,32}"
}

/// A handshake id that `profile` accepts.
pub fn arb_handshake_id(profile: &Profile) -> BoxedStrategy<HandshakeId> {
    let rule = profile.handshake_id;
    let alphabet = if rule.lowercase_only {
        "[0-9a-z]"
    } else {
        "[0-9A-Za-z]"
    };
    let pattern = format!("h-{alphabet}{{{},{}}}", rule.min_len, rule.max_len);
    proptest::string::string_regex(&pattern)
        .expect("a valid regex")
        .prop_map(|s| parse::<HandshakeId>(&s))
        .boxed()
}

/// An account id of any provider's shape, or of the neutral rule's extremes.
pub fn arb_account_id() -> impl Strategy<Value = AccountId> {
    prop_oneof![
        "[0-9]{12}",         // AWS
        "[0-9a-f]{32}",      // Huawei
        "[0-9]{16}",         // Alibaba
        "[0-9A-Za-z]{1,64}", // neutral
    ]
    .prop_map(|s| parse::<AccountId>(&s))
}

/// An organization id: `o-` (AWS, Huawei) or `rd-` (Alibaba).
pub fn arb_organization_id() -> impl Strategy<Value = OrganizationId> {
    prop_oneof!["o-[0-9a-z]{10,32}", "rd-[0-9A-Za-z]{2,32}"].prop_map(|s| parse(&s))
}

/// An email address (6–64 characters).
pub fn arb_email() -> impl Strategy<Value = Email> {
    "[a-z0-9._%+-]{1,20}@[a-z0-9-]{1,15}\\.[a-z]{2,6}".prop_map(|s| parse(&s))
}

/// An account name: 1–64 printable characters, any script.
pub fn arb_account_name() -> impl Strategy<Value = AccountName> {
    "\\PC{1,64}".prop_map(|s| AccountName::parse(&s).expect("printable names are valid"))
}

/// Notes: short text of any script, sometimes exactly the 1024-character limit.
pub fn arb_notes() -> impl Strategy<Value = Notes> {
    prop_oneof![
        4 => "\\PC{0,40}",
        1 => Just("é".repeat(Notes::MAX_LEN)),
    ]
    .prop_map(|s| Notes::parse(&s).expect("notes within the limit are valid"))
}

/// Any resource type.
pub fn arb_resource_type() -> impl Strategy<Value = ResourceType> {
    proptest::sample::select(ResourceType::values())
}

/// A resource tree: up to 6 levels, up to 4 children a node, any text as values (control
/// characters and quotes included, to exercise JSON escaping).
pub fn arb_resource() -> impl Strategy<Value = Resource> {
    let leaf =
        (arb_resource_type(), ".{0,12}").prop_map(|(kind, value)| Resource::new(kind, value));
    leaf.prop_recursive(6, 48, 4, |inner| {
        (
            arb_resource_type(),
            ".{0,12}",
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(kind, value, children)| Resource {
                kind,
                value,
                children,
            })
    })
}

/// A degenerate resource tree: a chain of `depth` nested resources.
pub fn resource_chain(depth: usize, kind: ResourceType) -> Resource {
    let mut node = Resource::new(kind, format!("level {depth}"));
    for level in (1..depth).rev() {
        node = Resource::new(kind, format!("level {level}")).with_child(node);
    }
    node
}

/// A chain of 1 to `max_depth` nested resources.
pub fn arb_resource_chain(max_depth: usize) -> impl Strategy<Value = Resource> {
    (1..=max_depth, arb_resource_type()).prop_map(|(depth, kind)| resource_chain(depth, kind))
}

/// The extra resources of a handshake: none most of the time, otherwise wide or deep trees.
pub fn arb_resources() -> impl Strategy<Value = Vec<Resource>> {
    prop_oneof![
        2 => Just(Vec::new()),
        2 => prop::collection::vec(arb_resource(), 1..3),
        1 => prop::collection::vec(arb_resource_chain(Resource::MAX_DEPTH), 1..2),
    ]
}

/// A sending organization, with or without the optional fields.
pub fn arb_sender() -> impl Strategy<Value = SenderOrganization> {
    (
        arb_organization_id(),
        arb_account_id(),
        arb_account_name(),
        proptest::option::of(arb_email()),
        proptest::option::of(proptest::sample::select(org_handshake::FeatureSet::values())),
    )
        .prop_map(
            |(id, management_account, management_account_name, email, feature_set)| {
                SenderOrganization {
                    id,
                    management_account,
                    management_account_name,
                    management_account_email: email,
                    feature_set,
                }
            },
        )
}

/// An invitation's recipient: by account id, or by email or name, resolved or not.
pub fn arb_invite_recipient() -> impl Strategy<Value = Recipient> {
    prop_oneof![
        arb_account_id().prop_map(Recipient::for_account),
        (arb_email(), proptest::option::of(arb_account_id()))
            .prop_map(|(email, account)| Recipient::new(Party::Email(email), account).unwrap()),
        (arb_account_name(), proptest::option::of(arb_account_id()))
            .prop_map(|(name, account)| Recipient::new(Party::Name(name), account).unwrap()),
    ]
}

/// A profile and an action it supports: AWS any action, Huawei and Alibaba invitations only.
pub fn arb_profile_and_action() -> impl Strategy<Value = (Profile, Action)> {
    prop_oneof![
        3 => proptest::sample::select(Action::values()).prop_map(|a| (Profile::AWS, a)),
        1 => Just((Profile::HUAWEI, Action::Invite)),
        1 => Just((Profile::ALIBABA, Action::Invite)),
    ]
}

/// A valid new handshake request, with the profile it is valid under.
pub fn arb_new_handshake() -> impl Strategy<Value = (Profile, NewHandshake)> {
    arb_profile_and_action()
        .prop_flat_map(|(profile, action)| {
            (
                Just(profile),
                Just(action),
                arb_handshake_id(&profile),
                arb_sender(),
                arb_invite_recipient(),
                arb_account_id(),
                proptest::option::of(arb_notes()),
                arb_resources(),
                arb_handshake_id(&profile),
            )
        })
        .prop_filter_map(
            "the recipient must not be the sender, nor a child its own parent",
            |(profile, action, id, sender, invitee, other, notes, resources, parent)| {
                let recipient = match action {
                    Action::Invite => invitee,
                    // The parent is sent by the management account to itself.
                    Action::EnableAllFeatures => Recipient::for_account(sender.management_account),
                    _ => Recipient::for_account(other),
                };
                let to_self = recipient.account() == Some(&sender.management_account);
                if to_self != (action == Action::EnableAllFeatures) || parent == id {
                    return None;
                }
                let new = NewHandshake {
                    id,
                    action,
                    sender,
                    recipient,
                    notes,
                    parent: (action == Action::ApproveAllFeatures).then_some(parent),
                    resources,
                };
                Some((profile, new))
            },
        )
}

/// What happens to a generated handshake after its creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Left pending (an enable-all-features parent may have been opened).
    Pending,
    /// Accepted by its recipient (a parent is opened first).
    Accepted,
    /// Declined by its recipient (a parent is opened first).
    Declined,
    /// Canceled by its sender.
    Canceled,
    /// Canceled as a side effect.
    CanceledAsSideEffect,
    /// Its expiry written down, some time after `expires_at`.
    Expired,
}

/// Any fate.
pub fn arb_fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        Just(Fate::Pending),
        Just(Fate::Accepted),
        Just(Fate::Declined),
        Just(Fate::Canceled),
        Just(Fate::CanceledAsSideEffect),
        Just(Fate::Expired),
    ]
}

/// A handshake as generated: the value, the profile it was created under, and when it entered
/// a terminal state, if it did (as the generator drove it, not as the handshake says).
#[derive(Debug, Clone)]
pub struct Generated {
    /// The handshake.
    pub handshake: Handshake,
    /// The profile it was created under.
    pub profile: Profile,
    /// When it entered its terminal state (`expires_at` for an expiry), if it is terminal.
    pub terminal_since: Option<DateTime<Utc>>,
}

fn apply_ok(h: &mut Handshake, command: Command, at: DateTime<Utc>) {
    if let Err(err) = h.apply(&command, at) {
        panic!("generator: {command:?} at {at} refused: {err}\n{h:?}");
    }
}

/// Drives a freshly created handshake to `fate`. `first` ≤ `second` are fractions (in
/// millionths) of its validity at which the changes happen, so they land before `expires_at`.
fn settle(
    mut h: Handshake,
    fate: Fate,
    first: u64,
    second: u64,
    late: i64,
) -> (Handshake, Option<DateTime<Utc>>) {
    let validity = h.validity().num_milliseconds() as u64;
    let at =
        |ppm: u64| h.requested_at() + TimeDelta::milliseconds((validity * ppm / 1_000_000) as i64);
    let (t1, t2) = (at(first.min(second)), at(first.max(second)));
    let is_parent = h.action() == Action::EnableAllFeatures;
    let recipient = recipient_caller(&h);
    let fate = match (fate, recipient) {
        // An unresolved recipient cannot act; its sender withdraws instead.
        (Fate::Accepted | Fate::Declined, None) => Fate::Canceled,
        (fate, _) => fate,
    };
    match fate {
        Fate::Pending => {
            if is_parent && first % 2 == 0 {
                apply_ok(&mut h, Command::Open, t1);
            }
            (h, None)
        }
        Fate::Accepted | Fate::Declined => {
            let caller = recipient.expect("checked above");
            let at = if is_parent {
                apply_ok(&mut h, Command::Open, t1);
                t2
            } else {
                t1
            };
            let command = if fate == Fate::Accepted {
                Command::Accept(caller)
            } else {
                Command::Decline(caller)
            };
            apply_ok(&mut h, command, at);
            (h, Some(at))
        }
        Fate::Canceled => {
            let caller = sender_caller(&h);
            apply_ok(&mut h, Command::Cancel(caller), t1);
            (h, Some(t1))
        }
        Fate::CanceledAsSideEffect => {
            apply_ok(&mut h, Command::CancelAsSideEffect, t1);
            (h, Some(t1))
        }
        Fate::Expired => {
            let expires_at = h.expires_at();
            apply_ok(&mut h, Command::Expire, expires_at + secs(late));
            (h, Some(expires_at))
        }
    }
}

/// A valid handshake of any action, state, provider profile and shape, with its history.
///
/// Requested between [`EPOCH`] and 10 days later (at any nanosecond), then driven to a random
/// [`Fate`] by real transitions at times before its expiry.
pub fn arb_generated() -> impl Strategy<Value = Generated> {
    arb_generated_with(arb_fate())
}

/// As [`arb_generated`], with the fate drawn from `fates`.
pub fn arb_generated_with(fates: impl Strategy<Value = Fate>) -> impl Strategy<Value = Generated> {
    (
        arb_new_handshake(),
        0i64..864_000,
        prop_oneof![3 => Just(0u32), 1 => 0u32..1_000_000_000],
        fates,
        0u64..1_000_000,
        0u64..1_000_000,
        0i64..(29 * 86_400),
    )
        .prop_map(
            |((profile, new), offset, nanos, fate, first, second, late)| {
                let requested_at = EPOCH + secs(offset) + TimeDelta::nanoseconds(i64::from(nanos));
                let created = Handshake::create(new, &profile, requested_at)
                    .unwrap_or_else(|err| panic!("generator: create refused: {err}"))
                    .handshake;
                let (handshake, terminal_since) = settle(created, fate, first, second, late);
                Generated {
                    handshake,
                    profile,
                    terminal_since,
                }
            },
        )
}

/// A valid handshake of any action and state (see [`arb_generated`]).
pub fn arb_handshake() -> impl Strategy<Value = Handshake> {
    arb_generated().prop_map(|g| g.handshake)
}

/// A handshake whose stored state is pending (an enable-all-features parent possibly opened).
pub fn arb_pending_handshake() -> impl Strategy<Value = Handshake> {
    arb_generated_with(Just(Fate::Pending)).prop_map(|g| g.handshake)
}

/// A handshake whose stored state is terminal.
pub fn arb_terminal_handshake() -> impl Strategy<Value = Handshake> {
    let fates = prop_oneof![
        Just(Fate::Accepted),
        Just(Fate::Declined),
        Just(Fate::Canceled),
        Just(Fate::CanceledAsSideEffect),
        Just(Fate::Expired),
    ];
    arb_generated_with(fates).prop_map(|g| g.handshake)
}

/// Any membership, relative to the handshake's sender organization or another one.
pub fn arb_membership(sender_org: OrganizationId) -> impl Strategy<Value = Membership> {
    prop_oneof![
        Just(Membership::Standalone),
        Just(Membership::Member(sender_org)),
        Just(Membership::Management(sender_org)),
        arb_organization_id().prop_map(Membership::Member),
        arb_organization_id().prop_map(Membership::Management),
    ]
}

/// A caller for `h`: its recipient (when resolved), its sender's management account, or a
/// stranger, each with any membership.
pub fn arb_caller(h: &Handshake) -> BoxedStrategy<(CallerClass, Caller)> {
    let org = h.sender().id;
    let sender_account = h.sender().management_account;
    let recipient = h.recipient().account().copied();
    let as_class = move |class: CallerClass, account: AccountId| {
        arb_membership(org).prop_map(move |membership| {
            (
                class,
                Caller {
                    account,
                    membership,
                },
            )
        })
    };
    let sender = as_class(CallerClass::Sender, sender_account);
    let stranger = arb_account_id()
        .prop_filter("a stranger is no party", move |a| {
            *a != sender_account && Some(*a) != recipient
        })
        .prop_flat_map(move |account| as_class(CallerClass::Stranger, account));
    match recipient {
        Some(account) if account != sender_account => {
            prop_oneof![as_class(CallerClass::Recipient, account), sender, stranger,].boxed()
        }
        // A self-addressed parent: its one party is both sides.
        Some(_) => prop_oneof![sender, stranger].boxed(),
        None => prop_oneof![sender, stranger].boxed(),
    }
}

/// An instant around `h`'s interesting times: its request, its last change, its expiry and its
/// purge, each exactly and ± 1 s, or anywhere from a day before the request to a day after the
/// purge.
pub fn arb_time_around(h: &Handshake) -> BoxedStrategy<DateTime<Utc>> {
    let instants = [
        h.requested_at(),
        h.state_entered_at(),
        h.expires_at(),
        h.purge_at(),
    ];
    let mut near = Vec::with_capacity(12);
    for instant in instants {
        near.extend([instant - SECOND, instant, instant + SECOND]);
    }
    let start = h.requested_at() - TimeDelta::days(1);
    let span = (h.purge_at() + TimeDelta::days(1) - start).num_seconds();
    prop_oneof![
        proptest::sample::select(near),
        (0..span).prop_map(move |s| start + secs(s)),
    ]
    .boxed()
}

/// Any command on `h`, its caller drawn by [`arb_caller`].
pub fn arb_command(h: &Handshake) -> BoxedStrategy<Command> {
    let caller = arb_caller(h).prop_map(|(_, c)| c);
    prop_oneof![
        3 => caller.clone().prop_map(Command::Accept),
        3 => caller.clone().prop_map(Command::Decline),
        3 => caller.prop_map(Command::Cancel),
        1 => Just(Command::CancelAsSideEffect),
        1 => Just(Command::Expire),
        1 => Just(Command::Open),
    ]
    .boxed()
}

/// The instant from which a handshake is gone, by the documented rule: 30 days after it
/// entered a terminal state.
pub fn documented_purge_time(terminal_since: DateTime<Utc>) -> DateTime<Utc> {
    terminal_since + TimeDelta::days(30)
}
