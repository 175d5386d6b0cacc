//! `Dialect::write_call`, the inverse of `read_call`, on every dialect of the test registry:
//! for any neutral request with values the provider accepts, the written call reads back as
//! the same request, directly and over the wire (`encode`, then `route`); and `write_call`
//! refuses exactly what the provider cannot express.
//!
//! What each provider can express is written below as data ([`Expressible`]), from its API
//! reference as its `read_call` reads it, not from `write_call`: a dialect without a row fails
//! the test, asking for one.

mod common;

use std::cell::Cell;

use common::registry::dialects;
use common::{arb_account_name, arb_email, arb_handshake_id, arb_notes, proptest_config, EPOCH};
use org_handshake::ledger::{HandshakeFilter, PageRequest};
use org_handshake::provider::{Call, Dialect, Listing, Request, Service};
use org_handshake::{
    AccountId, AccountIdCharacters, Action, ErrorKind, FeatureSet, HandshakeState, Notes, Party,
};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

/// How a provider pages a listing, and the greatest values it accepts.
#[derive(Debug, Clone, Copy)]
enum Paging {
    /// By token: page sizes from 1 to `max_results`.
    Token { max_results: usize },
    /// By number: page numbers from 1 to `max_number`, sizes from 1 to `max_size`.
    Number { max_number: usize, max_size: usize },
}

/// What a provider's requests have a place for.
#[derive(Debug, Clone, Copy)]
struct Expressible {
    /// The neutral requests ([`Request::name`]) it has an operation for.
    operations: &'static [&'static str],
    /// Whom it invites: `account`, `email`, `name`.
    parties: &'static [&'static str],
    /// Whether a handshake listing takes a filter.
    filter: bool,
    paging: Paging,
    /// Whether a created organization names its feature set (then it always does).
    feature_set: bool,
    /// Whether an invitation may leave its notes out.
    notes_optional: bool,
    /// Whether empty notes differ from none.
    empty_notes: bool,
}

/// The providers' rows. AWS: botocore's `organizations` model (MaxResults 1–20, a `Filter`,
/// `FeatureSet`, `Target.Type` ACCOUNT or EMAIL, `Notes` optional). Huawei: the
/// Organizations API reference (no enable-all-features, `limit` 1–2000, `target.type`
/// account or name, `notes` required, no filter or feature set). Alibaba: ResourceManager
/// 2020-03-31 (no LeaveOrganization or enable-all-features, `PageNumber` an Integer, `PageSize`
/// 1–100, `TargetType` Account or Email, an empty `Note` not sent). zcloud: its module docs.
fn expressible(name: &str) -> Expressible {
    const ALL: &[&str] = &[
        "Invite",
        "Accept",
        "Decline",
        "Cancel",
        "Describe",
        "ListForAccount",
        "ListForOrganization",
        "EnableAllFeatures",
        "CreateOrganization",
        "DescribeOrganization",
        "DeleteOrganization",
        "ListAccounts",
        "DescribeAccount",
        "LeaveOrganization",
        "RemoveAccount",
    ];
    match name {
        "aws" => Expressible {
            operations: ALL,
            parties: &["account", "email"],
            filter: true,
            paging: Paging::Token { max_results: 20 },
            feature_set: true,
            notes_optional: true,
            empty_notes: true,
        },
        "huawei" => Expressible {
            operations: &[
                "Invite",
                "Accept",
                "Decline",
                "Cancel",
                "Describe",
                "ListForAccount",
                "ListForOrganization",
                "CreateOrganization",
                "DescribeOrganization",
                "DeleteOrganization",
                "ListAccounts",
                "DescribeAccount",
                "LeaveOrganization",
                "RemoveAccount",
            ],
            parties: &["account", "name"],
            filter: false,
            paging: Paging::Token { max_results: 2000 },
            feature_set: false,
            notes_optional: false,
            empty_notes: true,
        },
        "alibaba" => Expressible {
            operations: &[
                "Invite",
                "Accept",
                "Decline",
                "Cancel",
                "Describe",
                "ListForAccount",
                "ListForOrganization",
                "CreateOrganization",
                "DescribeOrganization",
                "DeleteOrganization",
                "ListAccounts",
                "DescribeAccount",
                "RemoveAccount",
            ],
            parties: &["account", "email"],
            filter: false,
            paging: Paging::Number {
                max_number: i32::MAX as usize,
                max_size: 100,
            },
            feature_set: false,
            notes_optional: true,
            empty_notes: false,
        },
        "zcloud" => Expressible {
            operations: &[
                "Invite",
                "Accept",
                "Decline",
                "Cancel",
                "Describe",
                "ListForAccount",
                "ListForOrganization",
                "CreateOrganization",
                "DescribeOrganization",
                "DeleteOrganization",
                "ListAccounts",
                "DescribeAccount",
                "LeaveOrganization",
                "RemoveAccount",
            ],
            parties: &["account", "email"],
            filter: false,
            paging: Paging::Token { max_results: 50 },
            feature_set: false,
            notes_optional: true,
            empty_notes: true,
        },
        other => panic!("no row for dialect `{other}`: say what its requests express"),
    }
}

impl Expressible {
    /// Whether the provider can write `request`, by the row alone.
    fn expresses(&self, request: &Request) -> bool {
        if !self.operations.contains(&request.name()) {
            return false;
        }
        let paged = |page: &PageRequest| {
            matches!(
                (page, self.paging),
                (PageRequest::Token { .. }, Paging::Token { .. })
                    | (PageRequest::Number { .. }, Paging::Number { .. })
            )
        };
        match request {
            Request::Invite { target, notes } => {
                let party = match target {
                    Party::Account(_) => "account",
                    Party::Email(_) => "email",
                    Party::Name(_) => "name",
                    _ => "organization",
                };
                let notes_fit = match notes {
                    None => self.notes_optional,
                    Some(notes) => self.empty_notes || !notes.as_str().is_empty(),
                };
                self.parties.contains(&party) && notes_fit
            }
            Request::ListForAccount(listing) | Request::ListForOrganization(listing) => {
                paged(&listing.page) && (self.filter || listing.filter == HandshakeFilter::NONE)
            }
            Request::ListAccounts(page) => paged(page),
            Request::CreateOrganization { feature_set } => {
                feature_set.is_some() == self.feature_set
            }
            _ => true,
        }
    }
}

/// An account id of the dialect's pattern.
fn account(dialect: &'static dyn Dialect) -> BoxedStrategy<AccountId> {
    let rule = dialect.profile().account_id;
    let characters = match rule.characters {
        AccountIdCharacters::Digits => "[0-9]",
        AccountIdCharacters::LowercaseHex => "[0-9a-f]",
        _ => "[0-9A-Za-z]",
    };
    proptest::string::string_regex(&format!(
        "{characters}{{{},{}}}",
        rule.min_len, rule.max_len
    ))
    .expect("a valid regex")
    .prop_filter_map("an account id of the dialect's pattern", move |text| {
        dialect.account_id(&text)
    })
    .boxed()
}

/// Any page, of either kind, with values within what `paging` accepts for its kind.
fn page(paging: Paging) -> BoxedStrategy<PageRequest> {
    let (max_results, max_number, max_size) = match paging {
        Paging::Token { max_results } => (max_results, 1000, 10),
        Paging::Number {
            max_number,
            max_size,
        } => (20, max_number, max_size),
    };
    prop_oneof![
        (1..=max_results, proptest::option::of("[0-9A-Za-z_-]{4,64}"))
            .prop_map(|(max_results, token)| PageRequest::Token { max_results, token }),
        (1..=max_number, 1..=max_size)
            .prop_map(|(number, size)| PageRequest::Number { number, size }),
    ]
    .boxed()
}

/// Any neutral request whose ids and values the dialect accepts, of every kind, including
/// those the dialect cannot express.
fn request(dialect: &'static dyn Dialect, row: Expressible) -> BoxedStrategy<Request> {
    let id = arb_handshake_id(dialect.profile());
    let target = prop_oneof![
        account(dialect).prop_map(Party::Account),
        arb_email().prop_map(Party::Email),
        arb_account_name().prop_map(Party::Name),
    ];
    let notes = prop_oneof![
        Just(None),
        Just(Some(Notes::parse("").expect("empty notes are notes"))),
        arb_notes().prop_map(Some),
    ];
    let filter = (
        proptest::option::of(proptest::sample::select(Action::values())),
        proptest::option::of(id.clone()),
    )
        .prop_map(|(action, parent)| HandshakeFilter { action, parent });
    let listing = (filter, page(row.paging)).prop_map(|(filter, page)| Listing { filter, page });
    let feature_set = proptest::option::of(proptest::sample::select(FeatureSet::values()));
    prop_oneof![
        (target, notes).prop_map(|(target, notes)| Request::Invite { target, notes }),
        id.clone().prop_map(Request::Accept),
        id.clone().prop_map(Request::Decline),
        id.clone().prop_map(Request::Cancel),
        id.prop_map(Request::Describe),
        listing.clone().prop_map(Request::ListForAccount),
        listing.prop_map(Request::ListForOrganization),
        Just(Request::EnableAllFeatures),
        feature_set.prop_map(|feature_set| Request::CreateOrganization { feature_set }),
        Just(Request::DescribeOrganization),
        Just(Request::DeleteOrganization),
        page(row.paging).prop_map(Request::ListAccounts),
        account(dialect).prop_map(Request::DescribeAccount),
        Just(Request::LeaveOrganization),
        account(dialect).prop_map(Request::RemoveAccount),
    ]
    .boxed()
}

#[test]
fn write_call_is_read_calls_inverse_and_refuses_exactly_what_the_provider_cannot_express() {
    for dialect in dialects() {
        let name = dialect.name();
        let row = expressible(name);
        let mut runner = TestRunner::new(proptest_config(
            256,
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/proptest-regressions/write_call.txt"
            ),
        ));
        let (written, refused) = (Cell::new(0u32), Cell::new(0u32));
        runner
            .run(
                &(account(dialect), request(dialect, row)),
                |(caller, request)| {
                    let expected = row.expresses(&request);
                    let caller = caller.as_str();
                    match dialect.write_call(&request) {
                        Err(err) => {
                            refused.set(refused.get() + 1);
                            prop_assert!(!expected, "{name}: refused {request:?}: {err}");
                            // The error names the provider's operation, or the neutral request
                            // when the provider has none, and says why.
                            prop_assert!(
                                err.operation == request.name()
                                    || dialect.operations().contains(&err.operation.as_str()),
                                "{}: {:?}",
                                name,
                                err
                            );
                            prop_assert!(!err.reason.is_empty(), "{}: {:?}", name, err);
                        }
                        Ok((operation, shaped)) => {
                            written.set(written.get() + 1);
                            prop_assert!(
                                expected,
                                "{name}: wrote {request:?} as {operation} {shaped}"
                            );
                            let read = dialect.read_call(operation, caller, &shaped);
                            prop_assert_eq!(
                                read.as_ref().map(|(_, r)| r),
                                Ok(&request),
                                "{}: {} {}",
                                name,
                                operation,
                                shaped
                            );
                            let sent = dialect
                                .encode(operation, caller, &shaped)
                                .map_err(|err| TestCaseError::fail(format!("{name}: {err}")))?;
                            let routed = sent
                                .with_request(|http| dialect.route(http))
                                .map_err(|err| TestCaseError::fail(format!("{name}: {err:?}")))?;
                            prop_assert_eq!(routed.operation, operation);
                            prop_assert_eq!(routed.credential.as_deref(), Some(caller));
                            let (read_caller, read) = dialect
                                .read_call(routed.operation, caller, &routed.request)
                                .map_err(|err| {
                                    TestCaseError::fail(format!(
                                        "{name}: {operation} {sent:?}: {err}"
                                    ))
                                })?;
                            prop_assert_eq!(read_caller.as_str(), caller);
                            prop_assert_eq!(&read, &request, "{} over the wire", name);
                        }
                    }
                    Ok(())
                },
            )
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        // Both sides of the rule were exercised.
        let (written, refused) = (written.get(), refused.get());
        assert!(
            written > 0 && refused > 0,
            "{name}: {written} written, {refused} refused"
        );
    }
}

/// Every dialect, in its default world: an invitation and its cancellation written by
/// `write_call` succeed, and `handshake_in` finds the handshake in each reply, as a tool that
/// knows no provider's reply shape reads it.
#[test]
fn written_calls_succeed_and_their_handshake_is_found_in_the_reply() {
    for dialect in dialects() {
        let name = dialect.name();
        let world = dialect.description().default_world().unwrap();
        let mut service = Service::with_dialect(dialect, &world).unwrap();
        let organization = &world.organizations[0];
        let manager = organization.management_account.id.as_str();
        let taken = |id: &AccountId| {
            world
                .organizations
                .iter()
                .any(|org| org.management_account.id == *id || org.members.contains(id))
        };
        let target = world
            .accounts
            .iter()
            .map(|account| account.id)
            .find(|id| !taken(id))
            .unwrap_or_else(|| panic!("{name}: a standalone account"));
        let new_id = format!("h-{}", "7".repeat(dialect.profile().handshake_id.min_len));
        let call = |service: &mut Service, request: &Request, caller: &str| {
            let (operation, shaped) = dialect.write_call(request).unwrap();
            let reply = service
                .call(&Call::new(operation, caller, EPOCH, &shaped).with_new_ids(&[&new_id]))
                .unwrap();
            assert_eq!(reply.status, 200, "{name}: {operation}: {}", reply.body);
            dialect
                .handshake_in(&reply.json())
                .unwrap_or_else(|| panic!("{name}: no handshake in {}", reply.body))
        };
        let invite = Request::Invite {
            target: Party::Account(target),
            notes: Some(Notes::parse("welcome").unwrap()),
        };
        let invited = call(&mut service, &invite, manager);
        assert_eq!(invited.id().as_str(), new_id, "{name}");
        assert_eq!(
            invited.recipient().target(),
            &Party::Account(target),
            "{name}"
        );
        assert_eq!(invited.sender().id, organization.id, "{name}");
        // A listing's handshakes are in a list: the first is found there.
        let listing = |page| {
            Request::ListForOrganization(Listing {
                filter: HandshakeFilter::NONE,
                page,
            })
        };
        let sent = dialect
            .write_call(&listing(PageRequest::first(20)))
            .or_else(|_| {
                dialect.write_call(&listing(PageRequest::Number {
                    number: 1,
                    size: 20,
                }))
            })
            .unwrap();
        let reply = service
            .call(&Call::new(sent.0, manager, EPOCH, &sent.1))
            .unwrap();
        assert_eq!(
            dialect.handshake_in(&reply.json()).map(|h| h.id()),
            Some(invited.id()),
            "{name}: {}",
            reply.body
        );
        let canceled = call(&mut service, &Request::Cancel(invited.id()), manager);
        assert_eq!(canceled.id(), invited.id(), "{name}");
        assert_eq!(canceled.state(), HandshakeState::Canceled, "{name}");
    }
}

/// Values are written as given, as an SDK sends them, and refused by the provider when it reads
/// them: a page of no items has a form in every dialect (so `write_call` succeeds), and every
/// dialect's `read_call` refuses it as invalid input.
#[test]
fn a_value_out_of_range_is_written_and_refused_when_read() {
    for dialect in dialects() {
        let name = dialect.name();
        let empty_page = |page| {
            Request::ListForAccount(Listing {
                filter: HandshakeFilter::NONE,
                page,
            })
        };
        let (operation, shaped) = dialect
            .write_call(&empty_page(PageRequest::first(0)))
            .or_else(|_| {
                dialect.write_call(&empty_page(PageRequest::Number { number: 1, size: 0 }))
            })
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let caller = dialect.description().default_world().unwrap().organizations[0]
            .management_account
            .id;
        let refused = dialect
            .read_call(operation, caller.as_str(), &shaped)
            .expect_err(name);
        assert_eq!(refused.kind, ErrorKind::InvalidInput, "{name}: {refused:?}");
    }
}
