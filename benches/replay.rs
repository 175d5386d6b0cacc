//! Replay of a generated 10 000-step AWS vector against the reference implementation:
//! `conformance::replay(&file, &mut Reference::default())`.
//!
//! The vector is generated in memory from a fixed seed: one all-features organization and
//! 3 000 standalone accounts; invitations (by account id, some by email), accepts, declines,
//! cancels, refused calls (a stranger or the sender accepting), describes, both listings with
//! page sizes from 1 to 20, pages that follow an earlier `NextToken` through `$ref`, and time
//! moving forward (minutes between calls, now and then days, so invitations expire and are
//! purged). The generator keeps its own model of who is pending and who has joined, so the mix
//! stays realistic, and holds invitations under the daily quota of 20 a rolling day.
//!
//! Each step's `expect` is what the reference answered while the file was generated (success
//! bodies whole, error bodies by `__type`): the bench measures speed, and the generated file is
//! checked to replay with every step matching. Goal: ≤ 100 ms. Run with
//! `cargo bench --bench replay`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use org_handshake::conformance::{
    replay, resolve_refs, Expect, Implementation, Reference, Step, VectorFile, World, FORMAT,
};
use org_handshake::ledger::{AccountSpec, OrganizationSpec};
use org_handshake::FeatureSet;
use serde_json::{json, Value};

const STEPS: usize = 10_000;
const ACCOUNTS: usize = 3_000;
const MANAGEMENT: &str = "111111111111";
const DAILY_QUOTA: usize = 20;
const VALIDITY: TimeDelta = TimeDelta::days(15);

/// splitmix64: a fixed, dependency-free stream of numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn account_id(i: usize) -> String {
    format!("{:012}", 200_000_000_000u64 + i as u64)
}

/// An invitation the generator believes pending.
struct Pending {
    id: String,
    recipient: usize,
    expires_at: DateTime<Utc>,
}

/// A listing whose actual answer carried a `NextToken`, to be followed later.
struct Listing {
    step: usize,
    caller: String,
    operation: &'static str,
    request: Value,
}

struct Generator {
    rng: Rng,
    at: DateTime<Utc>,
    steps: Vec<Step>,
    bodies: Vec<Value>,
    reference: Reference,
    /// Per account: whether the model has it in the organization.
    joined: Vec<bool>,
    pending: Vec<Pending>,
    /// Every handshake id made so far, with its recipient (describe may pick old ones).
    made: Vec<(String, usize)>,
    invited_at: VecDeque<DateTime<Utc>>,
    listings: Vec<Listing>,
    mix: BTreeMap<&'static str, usize>,
}

fn world() -> World {
    World {
        organizations: vec![OrganizationSpec {
            id: "o-benchorgid00".parse().unwrap(),
            management_account: AccountSpec {
                id: MANAGEMENT.parse().unwrap(),
                name: "bench".parse().unwrap(),
                email: Some("bench@example.com".parse().unwrap()),
            },
            feature_set: Some(FeatureSet::All),
            members: Vec::new(),
            created_at: None,
            joined_at: BTreeMap::new(),
        }],
        accounts: (0..ACCOUNTS)
            .map(|i| AccountSpec {
                id: account_id(i).parse().unwrap(),
                name: format!("account-{i}").parse().unwrap(),
                email: Some(format!("account-{i}@example.com").parse().unwrap()),
            })
            .collect(),
    }
}

impl Generator {
    fn new(world: &World) -> Self {
        let mut reference = Reference::default();
        reference.reset("aws", world).unwrap();
        Generator {
            rng: Rng(0x5EED),
            at: "2026-01-05T10:00:00Z".parse().unwrap(),
            steps: Vec::with_capacity(STEPS),
            bodies: Vec::with_capacity(STEPS),
            reference,
            joined: vec![false; ACCOUNTS],
            pending: Vec::new(),
            made: Vec::new(),
            invited_at: VecDeque::new(),
            listings: Vec::new(),
            mix: BTreeMap::new(),
        }
    }

    /// Adds one step, answered by the reference now; its answer becomes the expectation.
    fn push(
        &mut self,
        label: &'static str,
        caller: String,
        operation: &'static str,
        request: Value,
        new_ids: Vec<String>,
    ) -> (u16, Value) {
        *self.mix.entry(label).or_default() += 1;
        let mut step = Step {
            at: self.at,
            caller,
            operation: operation.into(),
            request,
            new_ids,
            request_id: None,
            comment: None,
            expect: Expect {
                status: 0,
                body: json!({}),
            },
        };
        let index = self.steps.len();
        let resolved = resolve_refs(&step.request, &self.bodies, index).unwrap();
        let (status, body) = self.reference.call(&step, &resolved);
        step.expect = Expect {
            status,
            body: if status < 300 {
                body.clone()
            } else {
                json!({"__type": body.get("__type").cloned().unwrap_or(Value::Null)})
            },
        };
        self.steps.push(step);
        self.bodies.push(body.clone());
        (status, body)
    }

    fn tick(&mut self) {
        let minutes = if self.rng.below(100) == 0 {
            60 * 24 * (1 + self.rng.below(3))
        } else {
            1 + self.rng.below(30)
        };
        self.at += TimeDelta::minutes(minutes as i64);
        let now = self.at;
        self.pending.retain(|p| p.expires_at > now);
        while self
            .invited_at
            .front()
            .is_some_and(|t| *t <= now - TimeDelta::days(1))
        {
            self.invited_at.pop_front();
        }
    }

    /// A pending invitation, taken out of the model.
    fn take_pending(&mut self) -> Option<Pending> {
        if self.pending.is_empty() {
            return None;
        }
        let i = self.rng.below(self.pending.len());
        Some(self.pending.swap_remove(i))
    }

    fn invite(&mut self) -> bool {
        if self.invited_at.len() >= DAILY_QUOTA {
            return false;
        }
        let candidate = self.rng.below(ACCOUNTS);
        if self.joined[candidate] || self.pending.iter().any(|p| p.recipient == candidate) {
            return false;
        }
        let id = format!("h-{:016x}", self.made.len() + 1);
        let target = if self.rng.below(10) == 0 {
            json!({"Id": format!("account-{candidate}@example.com"), "Type": "EMAIL"})
        } else {
            json!({"Id": account_id(candidate), "Type": "ACCOUNT"})
        };
        let mut request = json!({ "Target": target });
        if self.rng.below(2) == 0 {
            request["Notes"] = json!(format!("Welcome, account {candidate}"));
        }
        self.push(
            "invite",
            MANAGEMENT.into(),
            "InviteAccountToOrganization",
            request,
            vec![id.clone()],
        );
        self.invited_at.push_back(self.at);
        self.made.push((id.clone(), candidate));
        self.pending.push(Pending {
            id,
            recipient: candidate,
            expires_at: self.at + VALIDITY,
        });
        true
    }

    fn respond(&mut self) -> bool {
        let Some(p) = self.take_pending() else {
            return false;
        };
        let request = json!({"HandshakeId": p.id});
        match self.rng.below(10) {
            0..=4 => {
                self.joined[p.recipient] = true;
                // The account joined: its other invitations can no longer be accepted.
                self.pending.retain(|q| q.recipient != p.recipient);
                self.push(
                    "accept",
                    account_id(p.recipient),
                    "AcceptHandshake",
                    request,
                    vec![],
                );
            }
            5..=7 => {
                self.push(
                    "decline",
                    account_id(p.recipient),
                    "DeclineHandshake",
                    request,
                    vec![],
                );
            }
            _ => {
                self.push(
                    "cancel",
                    MANAGEMENT.into(),
                    "CancelHandshake",
                    request,
                    vec![],
                );
            }
        }
        true
    }

    fn refused(&mut self) -> bool {
        let Some(p) = self.pending.get(self.rng.below(self.pending.len())) else {
            return false;
        };
        let request = json!({"HandshakeId": p.id});
        let stranger = (p.recipient + 1 + self.rng.below(ACCOUNTS - 1)) % ACCOUNTS;
        let (label, caller) = if self.rng.below(2) == 0 {
            ("refused_stranger", account_id(stranger))
        } else {
            ("refused_sender", MANAGEMENT.into())
        };
        self.push(label, caller, "AcceptHandshake", request, vec![]);
        true
    }

    fn describe(&mut self) -> bool {
        if self.made.is_empty() {
            return false;
        }
        // Mostly recent handshakes, now and then an old (perhaps purged) one.
        let n = self.made.len();
        let i = if self.rng.below(5) == 0 {
            self.rng.below(n)
        } else {
            n - 1 - self.rng.below(n.min(50))
        };
        let (id, recipient) = self.made[i].clone();
        let caller = if self.rng.below(2) == 0 {
            account_id(recipient)
        } else {
            MANAGEMENT.into()
        };
        self.push(
            "describe",
            caller,
            "DescribeHandshake",
            json!({"HandshakeId": id}),
            vec![],
        );
        true
    }

    fn list(&mut self) -> bool {
        let (caller, operation) = if self.rng.below(2) == 0 && !self.made.is_empty() {
            let recipient = self.made[self.rng.below(self.made.len())].1;
            (account_id(recipient), "ListHandshakesForAccount")
        } else {
            (MANAGEMENT.to_owned(), "ListHandshakesForOrganization")
        };
        let mut request = json!({"MaxResults": 1 + self.rng.below(20)});
        if self.rng.below(4) == 0 {
            request["Filter"] = json!({"ActionType": "INVITE"});
        }
        let step = self.steps.len();
        let (_, body) = self.push("list", caller.clone(), operation, request.clone(), vec![]);
        if body.get("NextToken").is_some_and(Value::is_string) {
            self.listings.push(Listing {
                step,
                caller,
                operation,
                request,
            });
        }
        true
    }

    fn next_page(&mut self) -> bool {
        let Some(listing) = self.listings.pop() else {
            return false;
        };
        let mut request = listing.request.clone();
        request["NextToken"] = json!({"$ref": format!("steps[{}].body.NextToken", listing.step)});
        let step = self.steps.len();
        let (_, body) = self.push(
            "next_page",
            listing.caller.clone(),
            listing.operation,
            request.clone(),
            vec![],
        );
        if body.get("NextToken").is_some_and(Value::is_string) {
            self.listings.push(Listing { step, ..listing });
        }
        true
    }

    fn step(&mut self) {
        self.tick();
        let done = match self.rng.below(100) {
            0..=21 => self.invite(),
            22..=51 => self.respond(),
            52..=54 => self.refused(),
            55..=69 => self.describe(),
            70..=89 => self.list(),
            _ => self.next_page(),
        };
        // Whatever could not be done this time (no quota left, nothing pending …) becomes a
        // listing, which can always be made.
        if !done {
            self.list();
        }
    }
}

/// The vector file, and how many steps of each kind and status it holds.
fn generate() -> (
    VectorFile,
    BTreeMap<&'static str, usize>,
    BTreeMap<u16, usize>,
) {
    let world = world();
    let mut generator = Generator::new(&world);
    while generator.steps.len() < STEPS {
        generator.step();
    }
    let mut statuses = BTreeMap::new();
    for step in &generator.steps {
        *statuses.entry(step.expect.status).or_default() += 1;
    }
    let file = VectorFile {
        format: FORMAT.into(),
        id: "aws-bench-generated".into(),
        description: format!("{STEPS} generated AWS calls for the replay benchmark"),
        provider: "aws".to_owned(),
        reading: None,
        world,
        steps: generator.steps,
    };
    (file, generator.mix, statuses)
}

fn replay_bench(c: &mut Criterion) {
    let (file, mix, statuses) = generate();
    println!(
        "generated {} steps; kinds {mix:?}; statuses {statuses:?}",
        file.steps.len()
    );
    // The file obeys the format's rules and replays with every step matching.
    let json = serde_json::to_string(&file).unwrap();
    let file = VectorFile::parse(&json).unwrap();
    let outcomes = replay(&file, &mut Reference::default()).unwrap();
    assert_eq!(outcomes.len(), STEPS);
    if let Some(bad) = outcomes.iter().find(|o| !o.ok) {
        panic!("step {} does not replay: {:?}", bad.step, bad.mismatch);
    }
    // What a replay must write and read back: every answer's JSON text, matched against the
    // expected bodies.
    let answered: usize = outcomes.iter().map(|o| o.body.len()).sum();
    let expected: usize = file
        .steps
        .iter()
        .map(|s| s.expect.body.to_string().len())
        .sum();
    println!("a replay answers {answered} bytes of JSON, matched against {expected} expected");

    let mut group = c.benchmark_group("replay");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("aws_10000_steps", |b| {
        b.iter_with_large_drop(|| replay(&file, &mut Reference::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, replay_bench);
criterion_main!(benches);
