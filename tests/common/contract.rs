//! The dialect contract: what every [`Dialect`] must satisfy, written once and run on every
//! entry of the test registry ([`super::registry`]) by `tests/dialect_contract.rs`, and on
//! zcloud again by `tests/fourth_dialect.rs`.
//!
//! - [`round_trip`]: `parse_bare(render_bare(h))` is `h` (as far as the bare object carries it)
//!   on the handshakes the dialect expresses.
//! - [`error_coverage`]: a catch-all row per [`ErrorKind`], last of its kind; every row sourced;
//!   the reverse lookup reads each code back; every error body reads back as its code.
//! - [`strict_enums`]: unique operation names; an unknown one is an error reply.
//! - [`every_operation_reachable`]: each operation, called with an empty request, is answered,
//!   and not as an unknown operation is.
//! - [`refusals_change_nothing`]: arbitrary calls; a refusal leaves the ledger byte-identical.
//! - [`check_reply`] (on every reply above): status and `error` agree, the headers are the
//!   dialect's and name a content type.
//! - [`doc_tables_agree`]: the markdown tables of error codes in the dialect's sources name only
//!   codes its table has, with the same status, and name every code of the table.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use org_handshake::provider::error_table::{self, Code, Detail, Row};
use org_handshake::provider::{
    Call, CallError, Dialect, ErrorAnswer, Reply, ReplyContext, Service,
};
use org_handshake::{ErrorKind, Failure, InputError, InputProblem, Profile};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_json::{json, Value};

use super::registry::Registered;
use super::EPOCH;

/// Where the contract's proptest failures are kept.
const REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/dialect_contract.txt"
);

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..Config::default()
    })
}

/// Every check of the contract, on one dialect.
pub fn all(entry: &Registered) {
    round_trip(entry, 128);
    error_coverage(entry.dialect);
    strict_enums(entry);
    every_operation_reachable(entry);
    refusals_change_nothing(entry, 128);
    doc_tables_agree(entry.dialect);
}

// ---------------------------------------------------------------------------------------------
// (a) Round trip.

/// `render_bare` then `parse_bare` gives back every handshake the dialect expresses (as far as
/// its bare object carries it: [`Registered::carried`]), and rendering again gives the same
/// object.
pub fn round_trip(entry: &Registered, cases: u32) {
    let dialect = entry.dialect;
    let result = runner(cases).run(&(entry.handshakes)(), |h| {
        let rendered = dialect
            .render_bare(&h)
            .map_err(|err| TestCaseError::fail(format!("render: {err}")))?;
        let parsed = dialect
            .parse_bare(&rendered.to_string())
            .map_err(|err| TestCaseError::fail(format!("parse {rendered}: {err}")))?;
        prop_assert_eq!(&parsed, &(entry.carried)(h.clone()));
        prop_assert_eq!(dialect.render_bare(&parsed).ok(), Some(rendered));
        Ok(())
    });
    if let Err(err) = result {
        panic!("{}: round trip: {err}", dialect.name());
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Error coverage.

/// A failure `row` covers (as far as a test can build one: the kind, and a parameter for a
/// per-parameter code).
fn failure_for(row: &Row) -> Failure {
    let mut failure = Failure::new(row.kind, "contract test failure");
    if let Some(cause) = row.detail.cause {
        failure.cause = cause;
    }
    let parameter = row.detail.parameter.unwrap_or("Param");
    if row.detail.problem.is_some() || matches!(row.code, Code::Parameter(_)) {
        failure.input = Some(InputError {
            parameter: parameter.to_owned(),
            problem: row.detail.problem.unwrap_or(InputProblem::Missing),
        });
    }
    failure
}

/// Every [`ErrorKind`] has a catch-all row ([`Detail::ANY`], a fixed code), the last of its
/// kind; every row has a source and an error status; [`error_table::kind_of`] reads each code
/// back as its kind unless kinds share it; every error body reads back as its code.
pub fn error_coverage(dialect: &dyn Dialect) {
    let name = dialect.name();
    let table = dialect.error_table();
    for kind in ErrorKind::values() {
        let rows: Vec<&Row> = table.iter().filter(|row| row.kind == *kind).collect();
        let last = rows
            .last()
            .unwrap_or_else(|| panic!("{name}: no row for {kind}"));
        assert_eq!(
            last.detail,
            Detail::ANY,
            "{name}: the last row of {kind} must cover every failure of it: {last:?}"
        );
        assert!(
            matches!(last.code, Code::Fixed(_)),
            "{name}: the catch-all row of {kind} needs a fixed code: {last:?}"
        );
    }
    for row in table {
        assert!(
            !row.source.is_empty(),
            "{name}: a row without a source: {row:?}"
        );
        assert!(
            !row.code.as_str().is_empty(),
            "{name}: a row without a code: {row:?}"
        );
        assert!(
            (400..=599).contains(&row.status),
            "{name}: {row:?} is not an error status"
        );
        let code = row.code.for_parameter("Param");
        let kinds: BTreeSet<&str> = table
            .iter()
            .filter(|other| other.code.gives(&code) && other.reason == row.reason)
            .map(|other| other.kind.as_str())
            .collect();
        let expected = (kinds.len() == 1).then_some(row.kind);
        assert_eq!(
            error_table::kind_of(table, &code, row.reason),
            expected,
            "{name}: kind_of({code}, {:?}) (kinds giving it: {kinds:?})",
            row.reason
        );
        // The body the dialect writes for the row reads back as its code and reason.
        let failure = failure_for(row);
        let text = row.text(&failure);
        let context = ReplyContext {
            operation: "",
            request_id: "contract-request",
        };
        let answer = ErrorAnswer {
            status: row.status,
            code: &text.code,
            reason: text.reason.as_deref(),
            message: &text.message,
        };
        let body = dialect.render_error(&answer, &context);
        assert_eq!(
            read_error(
                table,
                &serde_json::from_str(&body).expect("an error body is JSON")
            ),
            Some((text.code.clone(), text.reason.clone())),
            "{name}: the error body of {row:?} reads back: {body}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Calls.

/// A fresh service of the dialect over the entry's world.
pub fn service(entry: &Registered) -> Service {
    Service::with_dialect(entry.dialect, &entry.world)
        .unwrap_or_else(|err| panic!("{}: the registry's world: {err}", entry.dialect.name()))
}

/// Every account of the entry's world, managers first.
pub fn accounts(entry: &Registered) -> Vec<String> {
    let world = &entry.world;
    let mut accounts: Vec<String> = world
        .organizations
        .iter()
        .map(|org| org.management_account.id.to_string())
        .collect();
    accounts.extend(
        world
            .organizations
            .iter()
            .flat_map(|org| org.members.iter().map(ToString::to_string)),
    );
    accounts.extend(world.accounts.iter().map(|account| account.id.to_string()));
    accounts
}

/// `count` handshake ids of `profile`'s pattern, distinct for distinct `from`.
pub fn fresh_ids(profile: &Profile, from: usize, count: usize) -> Vec<String> {
    let width = profile.handshake_id.min_len;
    (from..from + count)
        .map(|n| format!("h-{n:0>width$}"))
        .collect()
}

/// Calls `service`, checks the reply (or the harness error) with [`check_reply`], and checks
/// that a refusal changed nothing.
pub fn checked_call(service: &mut Service, call: &Call<'_>) -> Result<Reply, CallError> {
    let name = service.dialect().name();
    let before = serde_json::to_string(service.ledger()).expect("a ledger serializes");
    let result = service.call(call);
    let after = serde_json::to_string(service.ledger()).expect("a ledger serializes");
    match &result {
        Ok(reply) => {
            check_reply(service.dialect(), call, reply);
            if reply.error.is_some() {
                assert_eq!(
                    before, after,
                    "{name}: the refused call {call:?} changed the ledger: {reply:?}"
                );
                assert!(reply.events.is_empty(), "{name}: a refusal has no events");
            }
        }
        Err(err) => assert_eq!(
            before, after,
            "{name}: the harness error {err} for {call:?} changed the ledger"
        ),
    }
    result
}

/// (f) and the status rule, on one reply: a 2xx has no `error`, anything else has one; the
/// headers are the dialect's own (a success's exactly those it gives for the call), not
/// empty, with a `Content-Type`.
pub fn check_reply(dialect: &dyn Dialect, call: &Call<'_>, reply: &Reply) {
    let name = dialect.name();
    let success = (200..300).contains(&reply.status);
    if success {
        assert_eq!(
            reply.error, None,
            "{name}: a {} with an error: {reply:?}",
            reply.status
        );
    } else {
        assert!(
            reply.error.is_some(),
            "{name}: a {} without an error kind: {reply:?}",
            reply.status
        );
    }
    assert!(!reply.headers.is_empty(), "{name}: a reply without headers");
    assert!(
        reply.header("content-type").is_some_and(|v| !v.is_empty()),
        "{name}: a reply without a Content-Type: {:?}",
        reply.headers
    );
    let request_id = if call.request_id.is_empty() {
        dialect.default_request_id()
    } else {
        call.request_id
    };
    let context = ReplyContext {
        operation: call.operation,
        request_id,
    };
    if success {
        assert_eq!(
            reply.headers,
            dialect.reply_headers(None, &context),
            "{name}: a success's headers are the dialect's"
        );
    } else {
        let (code, reason) =
            read_error(dialect.error_table(), &reply.json()).unwrap_or_else(|| {
                panic!("{name}: an error body without a code of the table: {reply:?}")
            });
        let answer = ErrorAnswer {
            status: reply.status,
            code: &code,
            reason: reason.as_deref(),
            message: "",
        };
        let own: BTreeSet<&str> = dialect
            .reply_headers(Some(&answer), &context)
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        for (key, _) in &reply.headers {
            assert!(
                own.contains(key),
                "{name}: header {key} is not one the dialect gives: {:?}",
                reply.headers
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Strict enums.

/// Operation names are unique and not empty; an unknown name (a made-up one, the empty
/// string, a known one in another case) is answered with an error reply of kind
/// `Unsupported` or `InvalidInput`, and changes nothing.
pub fn strict_enums(entry: &Registered) {
    let dialect = entry.dialect;
    let name = dialect.name();
    let operations = dialect.operations();
    let unique: BTreeSet<&str> = operations.iter().copied().collect();
    assert_eq!(
        unique.len(),
        operations.len(),
        "{name}: duplicate operations"
    );
    assert!(!operations.is_empty(), "{name}: no operations");
    assert!(
        operations.iter().all(|op| !op.is_empty()),
        "{name}: an empty operation name"
    );
    let mut unknown = vec![
        "NoSuchOperation".to_owned(),
        String::new(),
        "zz.unknown".to_owned(),
    ];
    for op in operations {
        unknown.extend([op.to_uppercase(), op.to_lowercase(), format!("{op} ")]);
    }
    unknown.retain(|op| !operations.contains(&op.as_str()));
    let caller = accounts(entry).first().cloned().unwrap_or_default();
    let request = json!({});
    for op in &unknown {
        let mut service = service(entry);
        let ids = fresh_ids(dialect.profile(), 0, 4);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let call = Call::new(op, &caller, EPOCH, &request).with_new_ids(&ids);
        let reply = checked_call(&mut service, &call)
            .unwrap_or_else(|err| panic!("{name}: unknown operation `{op}`: {err}"));
        assert!(
            matches!(
                reply.error,
                Some(ErrorKind::Unsupported | ErrorKind::InvalidInput)
            ),
            "{name}: unknown operation `{op}` answered {reply:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (d) Every operation reachable.

/// Each operation, called by the world's first manager with an empty request (and ids to
/// spare), gets a reply, which is not the reply to an unknown operation.
pub fn every_operation_reachable(entry: &Registered) {
    let dialect = entry.dialect;
    let name = dialect.name();
    let caller = accounts(entry).first().cloned().unwrap_or_default();
    let request = json!({});
    let ids = fresh_ids(dialect.profile(), 0, 256);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let unknown = checked_call(
        &mut service(entry),
        &Call::new("NoSuchOperation", &caller, EPOCH, &request).with_new_ids(&ids),
    )
    .unwrap_or_else(|err| panic!("{name}: unknown operation: {err}"));
    for op in dialect.operations() {
        let call = Call::new(op, &caller, EPOCH, &request).with_new_ids(&ids);
        let reply = checked_call(&mut service(entry), &call)
            .unwrap_or_else(|err| panic!("{name}: `{op}` with an empty request: {err}"));
        assert_ne!(
            (reply.status, &reply.json()),
            (unknown.status, &unknown.json()),
            "{name}: `{op}` is answered as an unknown operation"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (e) Refusals change nothing.

/// One arbitrary call: which operation, caller, request, request id and time.
#[derive(Debug, Clone)]
struct ArbitraryCall {
    operation: String,
    caller: String,
    request: Value,
    request_id: Option<String>,
    after_secs: i64,
}

/// Arbitrary JSON whose object keys are mostly `keys` (so that parsers get past the envelope).
fn json_value(keys: Vec<String>) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (0u64..200).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        "h-[0-9a-zA-Z]{8,34}".prop_map(Value::String),
    ];
    let key = if keys.is_empty() {
        "[A-Za-z_]{1,8}".boxed()
    } else {
        prop_oneof![
            3 => proptest::sample::select(keys),
            1 => "[A-Za-z_]{1,8}",
        ]
        .boxed()
    };
    leaf.prop_recursive(3, 24, 5, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Every object key in `value`.
fn keys_of(value: &Value, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                keys.insert(key.clone());
                keys_of(inner, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| keys_of(inner, keys)),
        _ => {}
    }
}

fn arbitrary_call(entry: &Registered) -> BoxedStrategy<ArbitraryCall> {
    let operations: Vec<String> = entry
        .dialect
        .operations()
        .iter()
        .map(|op| (*op).to_owned())
        .collect();
    let operation = prop_oneof![
        4 => proptest::sample::select(operations),
        1 => ".{0,24}",
    ];
    let accounts = accounts(entry);
    let caller = if accounts.is_empty() {
        "[0-9a-zA-Z]{0,40}".boxed()
    } else {
        prop_oneof![
            4 => proptest::sample::select(accounts),
            1 => "[0-9a-zA-Z]{0,40}",
        ]
        .boxed()
    };
    let mut keys = BTreeSet::new();
    for (_, request) in &entry.samples {
        keys_of(request, &mut keys);
    }
    let arbitrary = json_value(keys.into_iter().collect());
    // A sample's operation with its own request, or any operation with any request.
    let samples = entry.samples.clone();
    let request = if samples.is_empty() {
        (operation, arbitrary).boxed()
    } else {
        prop_oneof![
            2 => proptest::sample::select(samples),
            2 => (operation.clone(), proptest::sample::select(entry.samples.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>())),
            1 => (operation, arbitrary),
        ]
        .boxed()
    };
    (
        request,
        caller,
        proptest::option::of("[a-z0-9-]{1,12}"),
        0i64..(40 * 86_400),
    )
        .prop_map(
            |((operation, request), caller, request_id, after_secs)| ArbitraryCall {
                operation,
                caller,
                request,
                request_id,
                after_secs,
            },
        )
        .boxed()
}

/// Sequences of arbitrary calls on a fresh service: every reply passes [`check_reply`], and
/// every refusal (an error reply or a harness error) leaves `serde_json::to_string` of the
/// ledger byte for byte as it was. Times are arbitrary, so some go backwards.
pub fn refusals_change_nothing(entry: &Registered, cases: u32) {
    let dialect = entry.dialect;
    let strategy = proptest::collection::vec(arbitrary_call(entry), 1..8);
    let result = runner(cases).run(&strategy, |calls| {
        let mut service = service(entry);
        for (n, arbitrary) in calls.iter().enumerate() {
            // Ids no earlier call of the case was given.
            let ids = fresh_ids(dialect.profile(), n * 512, 512);
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let now = EPOCH + chrono::TimeDelta::seconds(arbitrary.after_secs);
            let mut call = Call::new(
                &arbitrary.operation,
                &arbitrary.caller,
                now,
                &arbitrary.request,
            )
            .with_new_ids(&ids);
            if let Some(request_id) = &arbitrary.request_id {
                call = call.with_request_id(request_id);
            }
            // `checked_call` asserts; a panic fails the case with the calls that led to it.
            let _ = checked_call(&mut service, &call);
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{}: refusals change nothing: {err}", dialect.name());
    }
}

// ---------------------------------------------------------------------------------------------
// Doc tables of error codes.

/// One row of a markdown table of error codes found in a doc comment.
#[derive(Debug)]
struct DocRow {
    file: PathBuf,
    line: usize,
    code: String,
    reasons: Vec<String>,
    status: u16,
}

/// The source files of the dialect named `name`: `src/provider/<name>.rs`, everything under
/// `src/provider/<name>/`, and everything under `tests/common/<name>/` (a test-only dialect).
fn source_files(name: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let single = root.join("src/provider").join(format!("{name}.rs"));
    if single.is_file() {
        files.push(single);
    }
    walk(&root.join("src/provider").join(name), &mut files);
    walk(&root.join("tests/common").join(name), &mut files);
    files.sort();
    files
}

/// The cells of a markdown table line (`\|` is a literal bar).
fn cells(line: &str) -> Vec<String> {
    let line = line.replace("\\|", "\u{0}");
    let line = line.trim().trim_start_matches('|').trim_end_matches('|');
    line.split('|')
        .map(|cell| cell.replace('\u{0}', "|").trim().to_owned())
        .collect()
}

/// The code a cell names: the first `code span`, else its first word.
fn code_in(cell: &str) -> String {
    if let Some((_, rest)) = cell.split_once('`') {
        if let Some((code, _)) = rest.split_once('`') {
            return code.to_owned();
        }
    }
    cell.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The rows of every doc-comment table of `text` with a code column and a status column.
fn doc_rows(file: &Path, text: &str) -> Vec<DocRow> {
    let mut rows = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let doc = |line: &str| -> Option<String> {
        let line = line.trim_start();
        let rest = line
            .strip_prefix("///")
            .or_else(|| line.strip_prefix("//!"))?;
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        rest.starts_with('|').then(|| rest.to_owned())
    };
    let mut i = 0;
    while i < lines.len() {
        let Some(header) = doc(lines[i]) else {
            i += 1;
            continue;
        };
        let header = cells(&header);
        let find =
            |pred: &dyn Fn(&str) -> bool| header.iter().position(|h| pred(&h.to_lowercase()));
        let code_col = find(&|h| h.contains("code") || h.contains("__type"));
        let status_col = find(&|h| h == "status" || h == "http");
        let reason_col = find(&|h| h == "reason");
        i += 1;
        while i < lines.len() {
            let Some(line) = doc(lines[i]) else { break };
            let row = cells(&line);
            let separator = row
                .iter()
                .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'));
            if let (Some(code_col), Some(status_col), false) = (code_col, status_col, separator) {
                let code = code_in(row.get(code_col).map_or("", String::as_str));
                let digits: String = row
                    .get(status_col)
                    .map_or("", String::as_str)
                    .chars()
                    .skip_while(|c| !c.is_ascii_digit())
                    .take_while(char::is_ascii_digit)
                    .collect();
                let reasons = reason_col
                    .and_then(|col| row.get(col))
                    .map(|cell| {
                        cell.split(',')
                            .map(str::trim)
                            .filter(|r| {
                                !r.is_empty()
                                    && r.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                            })
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                if !code.is_empty() {
                    rows.push(DocRow {
                        file: file.to_owned(),
                        line: i + 1,
                        code,
                        reasons,
                        status: digits.parse().unwrap_or(0),
                    });
                }
            }
            i += 1;
        }
    }
    rows
}

/// Whether the doc's `code` (`Prefix.<Param>` a pattern) names `row`'s code.
fn names(doc_code: &str, row: &Row) -> bool {
    match doc_code.split_once('<') {
        Some((prefix, _)) => row.code.for_parameter("Param").starts_with(prefix),
        None => row.code.gives(doc_code),
    }
}

/// Every code a doc table in the dialect's sources names is a code of its table, with the
/// status (and reasons) the table gives it; every code of the table is named in a doc table.
/// So a code changes in one place: the table, with its doc beside it.
pub fn doc_tables_agree(dialect: &dyn Dialect) {
    let name = dialect.name();
    let table = dialect.error_table();
    let files = source_files(name);
    assert!(!files.is_empty(), "{name}: no source files found");
    let rows: Vec<DocRow> = files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).expect("read source");
            doc_rows(file, &text)
        })
        .collect();
    assert!(
        !rows.is_empty(),
        "{name}: no doc table of error codes in {files:?}"
    );
    for doc in &rows {
        let at = format!("{}:{}", doc.file.display(), doc.line);
        assert!(
            table
                .iter()
                .any(|row| names(&doc.code, row) && row.status == doc.status),
            "{name}: {at} names `{}` with status {}, which no row of the table has",
            doc.code,
            doc.status
        );
        for reason in &doc.reasons {
            assert!(
                table.iter().any(|row| names(&doc.code, row)
                    && row.status == doc.status
                    && row.reason == Some(reason.as_str())),
                "{name}: {at} names `{}` with reason {reason}, which no row of the table has",
                doc.code
            );
        }
    }
    for row in table {
        assert!(
            rows.iter().any(|doc| names(&doc.code, row)),
            "{name}: the code of {row:?} is in no doc table"
        );
    }
}

/// The code and secondary code an error body carries, found without knowing the provider's
/// shape: the first string anywhere in the body that a row of `table` gives as its code, and
/// the first that a row gives as its reason. Every provider writes both as plain strings
/// somewhere in its error body.
fn read_error(table: &[Row], body: &Value) -> Option<(String, Option<String>)> {
    fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::String(text) => out.push(text),
            Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
            Value::Object(map) => map.values().for_each(|item| strings(item, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    strings(body, &mut found);
    let code = found
        .iter()
        .find(|text| table.iter().any(|row| row.code.gives(text)))?;
    let reason = found
        .iter()
        .find(|text| table.iter().any(|row| row.reason == Some(**text)));
    Some(((*code).to_owned(), reason.map(|r| (*r).to_owned())))
}
