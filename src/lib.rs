//! # org-handshake
//!
//! The reference semantics of cloud-organization invitation *handshakes* (AWS Organizations,
//! Huawei Cloud Organizations, Alibaba Cloud Resource Directory) as a pure state machine.
//!
//! ## The contract
//!
//! - **Deterministic.** The same inputs give the same outputs, every time, on every machine.
//! - **No I/O.** The crate reads no file, no network, no environment, and prints nothing.
//! - **Never reads a clock.** Every function whose answer depends on time takes `now:
//!   DateTime<Utc>`; the ids of new handshakes come from an [`IdSource`] the caller passes (a
//!   list, or the deterministic [`SeededIds`]). Nothing inside draws a random number.
//! - **Time never runs backwards.** An operation whose `now` is earlier than the last change of
//!   the handshake it touches is refused with
//!   [`TransitionError::TimeWentBackwards`]; expiry and purge are *observed* at `now`, so nothing
//!   needs to run between two calls.
//! - **A refusal changes nothing.** Every transition either returns the new value and the
//!   [`Event`]s it caused, or an error and leaves its input exactly as it was.
//! - **Untrusted input never panics.** Ids, enum strings and JSON are parsed into validated
//!   types; whatever is wrong comes back as a typed error that names it.
//!
//! ## Where to start
//!
//! - **An emulator or any HTTP-facing service**: [`provider::Service`], one provider's service
//!   over a [`Ledger`]. It takes a provider-shaped [`provider::Call`] (or routes a raw
//!   [`provider::HttpRequest`]) and answers a [`provider::Reply`] an HTTP layer sends as it is:
//!   status, body, the provider's headers, and in neutral terms the error kind or the events.
//!   Each cloud is a [`provider::Dialect`]; the `org-handshake-server` crate of this repository
//!   is such an emulator.
//! - **A policy engine or multi-cloud tooling**: [`ledger`], the world of organizations,
//!   accounts and handshakes with every rule of who may do what and when, in neutral types;
//!   [`provider::translate`] moves a handshake between providers' JSON.
//! - **A second implementation**: [`conformance`], the vector format and its runner; the corpus
//!   is in `tests/conformance/`.
//!
//! ```
//! use org_handshake::ledger::World;
//! use org_handshake::provider::{Call, Provider, Service};
//!
//! let world: World = org_handshake::serde_json::from_str(r#"{
//!     "organizations": [{"id": "o-exampleorgid", "management_account": {"id": "111111111111", "name": "Bill"}}],
//!     "accounts": [{"id": "222222222222", "name": "Juan"}]
//! }"#)?;
//! let mut aws = Service::new(Provider::Aws, &world)?;
//! let invite = org_handshake::serde_json::json!({"Target": {"Id": "222222222222", "Type": "ACCOUNT"}});
//! let now = "2026-01-05T10:00:00Z".parse()?;
//! let reply = aws.call(&Call::new("InviteAccountToOrganization", "111111111111", now, &invite).with_new_ids(&["h-0123456789abcdef"]))?;
//! assert_eq!(reply.status, 200);
//! assert_eq!(reply.json()["Handshake"]["State"], "OPEN");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate re-exports [`chrono`] and [`serde_json`], whose types its API takes, so a user
//! needs no version guesswork.
//!
//! ## The model
//!
//! - [`id`]: validated ids ([`HandshakeId`], [`AccountId`], [`OrganizationId`], [`Email`],
//!   [`AccountName`], [`Notes`]).
//! - [`vocab`]: [`HandshakeState`], [`Action`], [`FeatureSet`], [`PartyRole`], [`ResourceType`],
//!   [`Operation`].
//! - [`event`]: [`Event`], what a successful operation reports.
//! - [`handshake`]: [`Handshake`], its parties and its [`Resource`] tree; its child module
//!   [`handshake::transition`]: accept, decline, cancel, expire, open; [`Caller`].
//! - [`id_source`]: ids on demand: [`IdSource`], [`IdList`], [`SeededIds`].
//! - [`policy`]: per-provider [`Profile`]s (validity periods, quotas, id rules) and
//!   [`RETENTION`].
//! - [`error`]: [`InvalidHandshake`], [`TransitionError`], each with a stable `code()`.
//! - [`ledger`]: many handshakes, organizations and accounts: [`Ledger`].
//! - [`provider`]: each cloud's JSON, error table and HTTP protocol, and the [`provider::Service`]
//!   driver.
//! - [`conformance`]: the language-neutral vector format and its runner.
//! - [`example`]: the fixed handshakes the documentation's examples start from.
//!
//! ## Example: invite, accept, purge
//!
//! ```
//! use chrono::TimeDelta;
//! use org_handshake::*;
//!
//! let now: chrono::DateTime<chrono::Utc> = "2026-01-05T10:00:00Z".parse()?;
//! let org: OrganizationId = "o-exampleorgid".parse()?;
//! let bill: AccountId = "111111111111".parse()?;
//! let juan: AccountId = "222222222222".parse()?;
//! let sender = SenderOrganization {
//!     id: org,
//!     management_account: bill,
//!     management_account_name: "Bill".parse()?,
//!     management_account_email: Some("bill@example.com".parse()?),
//!     feature_set: Some(FeatureSet::All),
//! };
//!
//! let invite = Handshake::create(
//!     NewHandshake::invite("h-0123456789abcdef".parse()?, sender, Recipient::for_account(juan)),
//!     &Profile::AWS,
//!     now,
//! )?
//! .handshake;
//!
//! // Only the recipient may accept; the sender is refused and nothing changes.
//! let later = now + TimeDelta::days(1);
//! assert!(invite.accept(&Caller::management(bill, org), later).is_err());
//! let accepted = invite.accept(&Caller::standalone(juan), later)?;
//! assert_eq!(accepted.handshake.state(), HandshakeState::Accepted);
//!
//! // Thirty days after acceptance it is gone.
//! assert!(!accepted.handshake.is_visible_at(later + TimeDelta::days(30)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Library code must not panic or print on any input; tests, examples and benches may.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::print_stdout,
        clippy::print_stderr,
        clippy::dbg_macro
    )
)]

/// The time library whose `DateTime<Utc>` the API takes, re-exported so that a user's version
/// always matches.
pub use chrono;
/// The JSON library whose `Value` the provider API takes and answers, re-exported likewise.
pub use serde_json;

pub mod conformance;
pub mod error;
pub mod event;
pub mod handshake;
/// The fixed handshakes the documentation's examples start from, at a short path.
pub use handshake::example;
pub mod id;
pub mod id_source;
pub mod ledger;
pub mod policy;
pub mod provider;
pub mod vocab;

/// The transitions of one handshake, at their old path: they live in [`handshake::transition`].
pub use handshake::transition;

pub use error::{ErrorKind, Failure, InputError, InputProblem, InvalidHandshake, TransitionError};
pub use event::{Event, Events, JoinMethod};
pub use handshake::{Caller, Command, Membership, Transition};
pub use handshake::{
    Handshake, HandshakeParts, NewHandshake, Party, Recipient, Resource, SenderOrganization,
};
pub use id::{AccountId, AccountName, Email, HandshakeId, IdError, IdKind, Notes, OrganizationId};
pub use id_source::{IdList, IdSource, IdSourceError, SeededIds};
pub use ledger::{Ledger, LedgerError};
pub use policy::{HandshakeIdRule, OrganizationIdRule, Profile, ProfileName, RETENTION};
pub use vocab::{
    Action, FeatureSet, HandshakeState, Operation, PartyRole, ResourceType, UnknownValue,
};

/// The README's example is compiled and run as a doc test, so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
