//! Membership rules that the mutation run of `src/ledger/membership.rs` found untested: the
//! edges of account-listing pages and tokens, and a departure after every approval of an
//! enable-all-features flow is in. Each test states a rule of docs/design.md "Membership" or
//! of the ledger's documented errors; none copies an output.

mod common;

use chrono::{DateTime, Utc};
use common::ledger::*;
use org_handshake::ledger::{LedgerError, PageRequest, Parameter};
use org_handshake::{FeatureSet, HandshakeState, InputProblem, JoinMethod};

fn later(n: i64) -> DateTime<Utc> {
    epoch() + secs(n)
}

/// The parameter an invalid-input refusal names, or the refusal itself when it is another.
fn refused_parameter<T: std::fmt::Debug>(
    result: Result<T, LedgerError>,
) -> Result<(Parameter, InputProblem), String> {
    match result {
        Err(LedgerError::InvalidInput {
            parameter, problem, ..
        }) => Ok((parameter, problem)),
        other => Err(format!("{other:?}")),
    }
}

#[test]
fn an_empty_page_is_refused_whatever_its_form() {
    // The ledger's documented first check: a zero page size or page number is invalid input,
    // before the caller is even looked at (Juan is in no organization).
    let l = ledger();
    for caller in [BILL, JUAN] {
        let cases = [
            (PageRequest::first(0), Parameter::MaxResults),
            (PageRequest::after(0, "x"), Parameter::MaxResults),
            (
                PageRequest::Number { number: 0, size: 5 },
                Parameter::PageNumber,
            ),
            (
                PageRequest::Number { number: 1, size: 0 },
                Parameter::PageSize,
            ),
        ];
        for (page, parameter) in cases {
            assert_eq!(
                refused_parameter(l.list_accounts(account(caller), &page, epoch())),
                Ok((parameter, InputProblem::TooSmall)),
                "{caller} {page:?}"
            );
        }
    }
}

#[test]
fn a_malformed_token_is_invalid_input_never_a_panic() -> Result<(), Box<dyn std::error::Error>> {
    let l = ledger();
    let issued = l
        .list_accounts(account(BILL), &PageRequest::first(1), epoch())?
        .next_token
        .ok_or("a second page")?;
    let mut hostile: Vec<String> = vec![
        String::new(),
        "ab".into(),
        "0".repeat(16),
        "0".repeat(17),
        "0".repeat(18),
        // Not ASCII, with a multi-byte character across the split before the checksum.
        format!("a{}a", "é".repeat(20)),
        format!("{}é", "0".repeat(30)),
        "zz".repeat(12),
        // An issued token, lengthened past anything an encoded position needs.
        format!("{issued}{}", "00".repeat(200)),
        format!("00{issued}"),
        issued[..issued.len() - 2].to_owned(),
    ];
    hostile.push("0".repeat(402));
    for token in hostile {
        assert_eq!(
            refused_parameter(l.list_accounts(
                account(BILL),
                &PageRequest::after(5, token.clone()),
                epoch()
            )),
            Ok((Parameter::Token, InputProblem::InvalidToken)),
            "{token:?}"
        );
    }
    // The issued token itself still works.
    let second = l.list_accounts(account(BILL), &PageRequest::after(5, issued), epoch())?;
    assert_eq!(second.accounts.len(), 2);
    Ok(())
}

#[test]
fn a_member_leaving_after_the_parent_opened_leaves_the_flow_alone(
) -> Result<(), Box<dyn std::error::Error>> {
    // Every member approved, so the parent is open for the management account; a member that
    // then leaves changes no handshake: its approval stays accepted, the parent stays open and
    // the management account can still finish the flow.
    let mut l = ledger();
    let list = [nth(10), nth(11), nth(12)];
    l.enable_all_features(account(BILL), &mut ids(&list), epoch())?;
    let (parent, mary_child, mike_child) = (list[0], list[1], list[2]);
    l.accept(account(MARY), mary_child, later(1))?;
    l.accept(account(MIKE), mike_child, later(2))?;
    assert_eq!(
        l.describe(account(BILL), parent, later(2))?.state(),
        HandshakeState::Open
    );
    let left = l.leave_organization(account(MARY), later(3))?;
    assert!(left.handshakes.is_empty(), "{:?}", left.handshakes);
    assert_eq!(left.events.len(), 1);
    assert_eq!(
        l.describe(account(BILL), parent, later(3))?.state(),
        HandshakeState::Open
    );
    let removed = l.remove_account(account(BILL), account(MIKE), later(4))?;
    assert!(removed.handshakes.is_empty(), "{:?}", removed.handshakes);
    l.accept(account(BILL), parent, later(5))?;
    assert_eq!(
        l.organization(&org(ORG_A)).and_then(|o| o.feature_set),
        Some(FeatureSet::All)
    );
    Ok(())
}

#[test]
fn a_snapshot_without_join_methods_reads_created_for_the_manager_invited_for_members(
) -> Result<(), Box<dyn std::error::Error>> {
    // The snapshot format leaves `join_method` out when absent, and says what absence means:
    // `created` for the management account, `invited` for a member.
    let mut snapshot = snapshot(&ledger());
    for who in [BILL, MARY] {
        if let Some(record) = snapshot["accounts"][who].as_object_mut() {
            record.remove("join_method");
        }
    }
    let restored: org_handshake::ledger::Ledger = serde_json::from_value(snapshot)?;
    let bill = restored.describe_account(account(BILL), account(BILL), epoch())?;
    let mary = restored.describe_account(account(BILL), account(MARY), epoch())?;
    assert_eq!(bill.join_method, JoinMethod::Created);
    assert_eq!(mary.join_method, JoinMethod::Invited);
    Ok(())
}
