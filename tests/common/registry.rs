//! The test registry: every dialect the contract runs on, with what the tests need to drive
//! it. The built-in providers come from [`Provider::values`]; the tests' own dialects (zcloud)
//! are one line each in [`registry`].

use org_handshake::conformance::{VectorFile, World};
use org_handshake::provider::{Dialect, Provider};
use org_handshake::{Handshake, HandshakeParts, HandshakeState};
use proptest::prelude::*;
use serde_json::Value;

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
    let (handshakes, carried) = generator(provider);
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

/// The generator of handshakes `provider` expresses, and what its bare object keeps of them. A
/// new provider adds its arm here (the match is exhaustive, so the compiler asks for it).
fn generator(provider: Provider) -> Generator {
    match provider {
        // AWS shows no time of the last change: a parsed handshake entered its state when it
        // was requested, or at its expiry when expired (`tests/provider_aws.rs`
        // `handshakes_round_trip`).
        Provider::Aws => (|| aws_gen::handshake().boxed(), aws_carried),
        Provider::Huawei => (|| huawei_gen::expressible().boxed(), |h| h),
        Provider::Alibaba => (|| alibaba_gen::handshake().boxed(), |h| h),
    }
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
    let mut samples: Vec<(&str, Value)> = match provider {
        Provider::Aws => vec![
            ("CreateOrganization", serde_json::json!({})),
            (
                "CreateOrganization",
                serde_json::json!({"FeatureSet": "CONSOLIDATED_BILLING"}),
            ),
            ("DescribeOrganization", serde_json::json!({})),
            ("DeleteOrganization", serde_json::json!({})),
            ("ListAccounts", serde_json::json!({"MaxResults": 1})),
            ("LeaveOrganization", serde_json::json!({})),
        ],
        Provider::Huawei => vec![
            ("create_organization", serde_json::json!({})),
            ("show_organization", serde_json::json!({})),
            ("delete_organization", serde_json::json!({})),
            ("list_accounts", serde_json::json!({"query": {"limit": 1}})),
            ("leave_organization", serde_json::json!({})),
        ],
        Provider::Alibaba => vec![
            (
                "EnableResourceDirectory",
                serde_json::json!({"EnableMode": "CurrentAccount"}),
            ),
            ("GetResourceDirectory", serde_json::json!({})),
            ("DestroyResourceDirectory", serde_json::json!({})),
            ("ListAccounts", serde_json::json!({"PageSize": "1"})),
        ],
    };
    for member in members {
        let named = match provider {
            Provider::Aws => vec![
                ("DescribeAccount", serde_json::json!({"AccountId": member})),
                (
                    "RemoveAccountFromOrganization",
                    serde_json::json!({"AccountId": member}),
                ),
            ],
            Provider::Huawei => vec![
                (
                    "show_account",
                    serde_json::json!({"path": {"account_id": member}}),
                ),
                (
                    "remove_account",
                    serde_json::json!({"path": {"account_id": member}}),
                ),
            ],
            Provider::Alibaba => vec![
                ("GetAccount", serde_json::json!({"AccountId": member})),
                (
                    "RemoveCloudAccount",
                    serde_json::json!({"AccountId": member}),
                ),
            ],
        };
        samples.extend(named);
    }
    samples
        .into_iter()
        .map(|(operation, request)| (operation.to_owned(), request))
        .collect()
}
