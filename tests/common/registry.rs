//! The test registry: every dialect the contract runs on, with what the tests need to drive
//! it. The built-in providers come from [`Provider::values`]; the tests' own dialects (zcloud)
//! are one line each in [`registry`].

use org_handshake::conformance::{VectorFile, World};
use org_handshake::provider::{Dialect, Provider};
use org_handshake::{Handshake, HandshakeParts, HandshakeState};
use proptest::prelude::*;
use serde_json::{json, Value};

use super::{alibaba_gen, aws_gen, huawei_gen, vectors, zcloud};

/// A dialect under test.
#[derive(Debug)]
pub struct Registered {
    /// The dialect.
    pub dialect: &'static dyn Dialect,
    /// Neutral handshakes the dialect expresses: `parse_bare(render_bare(h)) == carried(h)`.
    pub handshakes: fn() -> BoxedStrategy<Handshake>,
    /// What of a handshake the dialect's bare object carries (the identity for a dialect that
    /// carries everything its generator makes).
    pub carried: fn(Handshake) -> Handshake,
    /// A world of accounts of the dialect's patterns.
    pub world: World,
    /// Calls (operation, request in the provider's shape) the dialect answers, some of them
    /// with success in [`world`](Self::world), for the contract's arbitrary calls to start
    /// from.
    pub samples: Vec<(String, Value)>,
}

/// Every dialect the tests know: the built-in providers, then the tests' own.
pub fn registry() -> Vec<Registered> {
    let mut registry: Vec<Registered> = Provider::values()
        .iter()
        .map(|provider| built_in(*provider))
        .collect();
    registry.push(Registered {
        dialect: &zcloud::ZCLOUD,
        handshakes: zcloud::fixtures::handshake,
        carried: |h| h,
        world: zcloud::fixtures::world(),
        samples: zcloud::fixtures::samples(),
    });
    registry
}

/// Every dialect the tests know, as [`registry`] lists them.
pub fn dialects() -> Vec<&'static dyn Dialect> {
    registry().into_iter().map(|entry| entry.dialect).collect()
}

/// The registry entry of the dialect named `name`.
pub fn entry(name: &str) -> Registered {
    registry()
        .into_iter()
        .find(|entry| entry.dialect.name() == name)
        .unwrap_or_else(|| panic!("no dialect `{name}` in the test registry"))
}

/// A built-in provider: its generator from `tests/common/<name>_gen.rs`, and the world and
/// calls of its conformance vectors (the world of the vector with the most accounts).
fn built_in(provider: Provider) -> Registered {
    let files: Vec<VectorFile> = vectors::files_of(provider.as_str())
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read vector");
            VectorFile::parse(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        })
        .collect();
    let world = files
        .iter()
        .map(|file| &file.world)
        .max_by_key(|world| {
            world.accounts.len()
                + world
                    .organizations
                    .iter()
                    .map(|org| 1 + org.members.len())
                    .sum::<usize>()
        })
        .cloned()
        .unwrap_or_default();
    let mut samples: Vec<(String, Value)> = files
        .iter()
        .flat_map(|file| &file.steps)
        .map(|step| (step.operation.clone(), step.request.clone()))
        .collect();
    let members: Vec<String> = world
        .organizations
        .iter()
        .flat_map(|org| org.members.iter().map(|m| m.to_string()))
        .collect();
    samples.extend(membership_samples(provider, &members));
    let (handshakes, carried) = fixtures_of(provider).generator;
    Registered {
        dialect: provider.dialect(),
        handshakes,
        carried,
        world,
        samples,
    }
}

/// What a generator gives, and what of it the bare object carries.
type Generator = (fn() -> BoxedStrategy<Handshake>, fn(Handshake) -> Handshake);

/// What the tests need of a built-in provider that the provider does not state itself, keyed
/// by its name: its handshake generator (from `tests/common/<name>_gen.rs`), what its bare
/// object keeps of a handshake, and membership calls in its request shape. [`built_in`] stops
/// with a message at a registered provider that has no entry.
struct BuiltInFixtures {
    name: &'static str,
    generator: Generator,
    /// Membership calls that name no account.
    membership: fn() -> Vec<(&'static str, Value)>,
    /// Membership calls naming one member.
    member: fn(&str) -> Vec<(&'static str, Value)>,
}

const BUILT_IN: &[BuiltInFixtures] = &[
    BuiltInFixtures {
        name: "aws",
        // AWS shows no time of the last change: a parsed handshake entered its state when it
        // was requested, or at its expiry when expired (`tests/provider_aws.rs`
        // `handshakes_round_trip`).
        generator: (|| aws_gen::handshake().boxed(), aws_carried),
        membership: || {
            vec![
                ("CreateOrganization", json!({})),
                (
                    "CreateOrganization",
                    json!({"FeatureSet": "CONSOLIDATED_BILLING"}),
                ),
                ("DescribeOrganization", json!({})),
                ("DeleteOrganization", json!({})),
                ("ListAccounts", json!({"MaxResults": 1})),
                ("LeaveOrganization", json!({})),
            ]
        },
        member: |member| {
            vec![
                ("DescribeAccount", json!({"AccountId": member})),
                (
                    "RemoveAccountFromOrganization",
                    json!({"AccountId": member}),
                ),
            ]
        },
    },
    BuiltInFixtures {
        name: "huawei",
        generator: (|| huawei_gen::expressible().boxed(), |h| h),
        membership: || {
            vec![
                ("create_organization", json!({})),
                ("show_organization", json!({})),
                ("delete_organization", json!({})),
                ("list_accounts", json!({"query": {"limit": 1}})),
                ("leave_organization", json!({})),
            ]
        },
        member: |member| {
            vec![
                ("show_account", json!({"path": {"account_id": member}})),
                ("remove_account", json!({"path": {"account_id": member}})),
            ]
        },
    },
    BuiltInFixtures {
        name: "alibaba",
        generator: (|| alibaba_gen::handshake().boxed(), |h| h),
        membership: || {
            vec![
                (
                    "EnableResourceDirectory",
                    json!({"EnableMode": "CurrentAccount"}),
                ),
                ("GetResourceDirectory", json!({})),
                ("DestroyResourceDirectory", json!({})),
                ("ListAccounts", json!({"PageSize": "1"})),
            ]
        },
        member: |member| {
            vec![
                ("GetAccount", json!({"AccountId": member})),
                ("RemoveCloudAccount", json!({"AccountId": member})),
            ]
        },
    },
];

/// The test fixtures of `provider`, looked up by its name.
fn fixtures_of(provider: Provider) -> &'static BuiltInFixtures {
    BUILT_IN
        .iter()
        .find(|fixtures| fixtures.name == provider.as_str())
        .unwrap_or_else(|| {
            panic!("no test fixtures for provider `{provider}`: add them to BUILT_IN in tests/common/registry.rs")
        })
}

fn aws_carried(h: Handshake) -> Handshake {
    let entered = if h.state() == HandshakeState::Expired {
        h.expires_at()
    } else {
        h.requested_at()
    };
    Handshake::from_parts(HandshakeParts {
        state_entered_at: Some(entered),
        ..h.into_parts()
    })
    .expect("the default entry time is valid")
}

/// Membership calls in the provider's shape, naming the world's `members`, so that the
/// contract's arbitrary calls reach the membership operations with requests that can succeed.
fn membership_samples(provider: Provider, members: &[String]) -> Vec<(String, Value)> {
    let fixtures = fixtures_of(provider);
    let mut samples = (fixtures.membership)();
    for member in members {
        samples.extend((fixtures.member)(member));
    }
    samples
        .into_iter()
        .map(|(operation, request)| (operation.to_owned(), request))
        .collect()
}
