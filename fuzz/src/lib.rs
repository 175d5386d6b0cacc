//! The checks behind the fuzz targets, one function per target.
//!
//! Each feeds one text to every parser of its kind. A parser may refuse anything, but never
//! panic; and whatever it accepts is rendered back and read again, and must come back the
//! same, so that a logic error in a parser or renderer crashes the fuzzer as a panic would.
//! Every assertion here states a property the crate documents (the module docs of
//! `provider::aws`, `provider::huawei`, `provider::alibaba` and `conformance`).

use chrono::{DateTime, TimeDelta, Utc};
use org_handshake::conformance::{replay, Reference, VectorFile};
use org_handshake::provider::{alibaba, aws, huawei, Provider, WireError};
use org_handshake::{Caller, Command, ErrorKind, Failure, Handshake, Membership};
use serde_json::Value;

/// The statuses each error parser is tried with: success, the usual error statuses, and one
/// that is not HTTP at all.
const STATUSES: [u16; 7] = [0, 200, 400, 403, 404, 409, 500];

/// The most steps a vector file may have for `vector` to replay it: keeps one input's work
/// bounded.
pub const MAX_REPLAYED_STEPS: usize = 200;

/// Every AWS parser: the bare handshake, both response bodies, and the error body.
pub fn aws(json: &str) {
    if let Ok(h) = aws::parse_handshake(json) {
        let rendered = aws::render_handshake(&h).expect("aws: a parsed handshake renders");
        let again = aws::parse_handshake(&rendered.to_string()).expect("aws: render parses");
        assert_eq!(again, h, "aws: parse(render(h)) == h");
        neutral(&h, Provider::Aws);
    }
    if let Ok(response) = aws::HandshakeResponse::from_json(json) {
        if let Ok(h) = response.to_handshake() {
            let body = aws::HandshakeResponse::new(&h).expect("aws: a parsed response renders");
            let text = serde_json::to_string(&body).expect("serialize");
            let again = aws::HandshakeResponse::from_json(&text)
                .and_then(|r| r.to_handshake())
                .expect("aws: rendered response parses");
            assert_eq!(again, h, "aws: response round trip");
        }
    }
    if let Ok(list) = aws::ListHandshakesResponse::from_json(json) {
        if let Ok(hs) = list.to_handshakes() {
            let page = aws::ListHandshakesResponse::new(&hs, list.next_token.as_deref())
                .expect("aws: a parsed list renders");
            let text = serde_json::to_string(&page).expect("serialize");
            let again = aws::ListHandshakesResponse::from_json(&text).expect("aws: list parses");
            assert_eq!(again.next_token, list.next_token, "aws: NextToken kept");
            assert_eq!(again.to_handshakes().ok(), Some(hs), "aws: list round trip");
        }
    }
    for status in STATUSES {
        if let Ok(error) = aws::parse_error_response(status, json) {
            let mut body = serde_json::Map::new();
            body.insert("__type".into(), error.exception.clone().into());
            body.insert("Message".into(), error.message.clone().into());
            if let Some(reason) = &error.reason {
                body.insert("Reason".into(), reason.clone().into());
            }
            let again = aws::parse_error_response(status, &Value::Object(body).to_string())
                .expect("aws: a rebuilt error body parses");
            assert_eq!(again, error, "aws: error body round trip");
            if let Some(kind) = error.kind {
                // The neutral kind read back renders as a body that reads back as that kind
                // (or as none, where the kind's exception is shared).
                let rendered =
                    aws::error_response(&failure(kind, error.problem, &error.message), "", "");
                let read = aws::parse_error_response(rendered.status, &rendered.body)
                    .expect("aws: rendered error parses");
                assert!(
                    read.kind.is_none() || read.kind == Some(kind),
                    "aws: {kind:?} rendered reads back as {:?}",
                    read.kind
                );
            }
        }
    }
}

/// Every Huawei parser: the bare handshake, both response bodies, and the error body.
pub fn huawei(json: &str) {
    if let Ok(h) = huawei::parse_handshake(json) {
        let rendered = huawei::render_handshake(&h).expect("huawei: a parsed handshake renders");
        let again = huawei::parse_handshake(&rendered.to_string()).expect("huawei: render parses");
        assert_eq!(again, h, "huawei: parse(render(h)) == h");
        same_members(json, &rendered, HUAWEI_KEYS, "updated_at");
        neutral(&h, Provider::Huawei);
    }
    if let Ok(response) = huawei::HandshakeResponse::from_json(json) {
        if let Ok(h) = response.to_handshake() {
            let body = huawei::HandshakeResponse::new(&h)
                .and_then(|b| b.to_json())
                .expect("huawei: a parsed response renders");
            let again = huawei::HandshakeResponse::from_json(&body.to_string())
                .and_then(|r| r.to_handshake())
                .expect("huawei: rendered response parses");
            assert_eq!(again, h, "huawei: response round trip");
        }
    }
    if let Ok(list) = huawei::HandshakeListResponse::from_json(json) {
        if let Ok(hs) = list.to_handshakes() {
            let marker = list
                .next_marker()
                .expect("huawei: to_handshakes checked the marker");
            let page = huawei::HandshakeListResponse::new(&hs, marker.clone())
                .and_then(|p| p.to_json())
                .expect("huawei: a parsed list renders");
            let again = huawei::HandshakeListResponse::from_json(&page.to_string())
                .expect("huawei: list parses");
            assert_eq!(
                again.next_marker().ok(),
                Some(marker),
                "huawei: marker kept"
            );
            assert_eq!(
                again.to_handshakes().ok(),
                Some(hs),
                "huawei: list round trip"
            );
        }
    }
    for status in STATUSES {
        if let Ok(error) = huawei::parse_error_response(status, json) {
            let body =
                serde_json::json!({"error_code": error.error_code, "error_msg": error.error_msg});
            let again = huawei::parse_error_response(status, &body.to_string())
                .expect("huawei: a rebuilt error body parses");
            assert_eq!(again, error, "huawei: error body round trip");
            if let Some(kind) = error.kind {
                let rendered =
                    huawei::error_response(&failure(kind, None, &error.error_msg), "", "");
                let read = huawei::parse_error_response(rendered.status, &rendered.body)
                    .expect("huawei: rendered error parses");
                assert!(
                    read.kind.is_none() || read.kind == Some(kind),
                    "huawei: {kind:?} rendered reads back as {:?}",
                    read.kind
                );
            }
        }
    }
}

/// Every Alibaba parser: the bare handshake, both response bodies, and the error body.
pub fn alibaba(json: &str) {
    if let Ok(h) = alibaba::parse_handshake(json) {
        let rendered = alibaba::render_handshake(&h).expect("alibaba: a parsed handshake renders");
        let again =
            alibaba::parse_handshake(&rendered.to_string()).expect("alibaba: render parses");
        assert_eq!(again, h, "alibaba: parse(render(h)) == h");
        same_members(json, &rendered, ALIBABA_KEYS, "ModifyTime");
        neutral(&h, Provider::Alibaba);
    }
    if let Ok(response) = alibaba::HandshakeResponse::from_json(json) {
        // from_json checks the handshake, so to_handshake cannot fail on its value.
        let h = response
            .to_handshake()
            .expect("alibaba: a parsed response holds a handshake");
        let text = serde_json::to_string(&response).expect("serialize");
        let again = alibaba::HandshakeResponse::from_json(&text)
            .expect("alibaba: a parsed response serializes to one that parses");
        assert_eq!(again, response, "alibaba: response serde round trip");
        let body = alibaba::HandshakeResponse::new(&h, &response.request_id)
            .expect("alibaba: a parsed response renders");
        let again = alibaba::HandshakeResponse::from_json(
            &serde_json::to_string(&body).expect("serialize"),
        )
        .and_then(|r| r.to_handshake())
        .expect("alibaba: rendered response parses");
        assert_eq!(again, h, "alibaba: response round trip");
    }
    if let Ok(list) = alibaba::ListHandshakesResponse::from_json(json) {
        let hs = list
            .to_handshakes()
            .expect("alibaba: a parsed list holds handshakes");
        let text = serde_json::to_string(&list).expect("serialize");
        let again = alibaba::ListHandshakesResponse::from_json(&text)
            .expect("alibaba: a parsed list serializes to one that parses");
        assert_eq!(again, list, "alibaba: list serde round trip");
        let page = alibaba::ListHandshakesResponse::new(&hs, list.page(), &list.request_id)
            .expect("alibaba: a parsed list renders");
        let again = alibaba::ListHandshakesResponse::from_json(
            &serde_json::to_string(&page).expect("serialize"),
        )
        .expect("alibaba: rendered list parses");
        assert_eq!(again.page(), list.page(), "alibaba: page kept");
        assert_eq!(
            again.to_handshakes().ok(),
            Some(hs),
            "alibaba: list round trip"
        );
    }
    for status in STATUSES {
        if let Ok(error) = alibaba::parse_error_response(status, json) {
            let text = serde_json::to_string(&error.body).expect("serialize");
            let again = alibaba::parse_error_response(status, &text)
                .expect("alibaba: a rebuilt error body parses");
            assert_eq!(again, error, "alibaba: error body round trip");
            if let Some(kind) = error.kind() {
                let rendered = alibaba::error_response(
                    &failure(kind, None, &error.body.message),
                    "",
                    &error.body.request_id,
                );
                let read = alibaba::parse_error_response(rendered.status, &rendered.body)
                    .expect("alibaba: rendered error parses");
                assert!(
                    read.candidate_kinds().contains(&kind),
                    "alibaba: {kind:?} rendered reads back as {:?}",
                    read.candidate_kinds()
                );
            }
        }
    }
}

/// The members of a Huawei `HandshakeDto` (`target` as its two members).
const HUAWEI_KEYS: &[&str] = &[
    "id",
    "urn",
    "updated_at",
    "created_at",
    "expired_at",
    "management_account_id",
    "management_account_name",
    "organization_id",
    "notes",
    "target.type",
    "target.entity",
    "status",
];

/// The members of an Alibaba handshake, less the two real names (not part of the handshake).
const ALIBABA_KEYS: &[&str] = &[
    "CreateTime",
    "ExpireTime",
    "HandshakeId",
    "MasterAccountId",
    "MasterAccountName",
    "ModifyTime",
    "Note",
    "ResourceDirectoryId",
    "Status",
    "TargetEntity",
    "TargetType",
];

/// Huawei and Alibaba document that rendering a parsed handshake gives back the document
/// (unknown members aside): every known member has the same value, `null` counting as absent.
/// The one member the renderer may add is the entry time (`optional`), which a pending
/// handshake may leave out.
///
/// A document the parser accepted may still not read as a `Value`: an unknown member is skipped
/// unread (by the parser, as by serde_json when it skips a member), so a lone surrogate escape
/// (`"\udd00"`) there, which a `Value` refuses, is no concern of the handshake's. A known
/// member is always decoded, so nothing else is excused.
fn same_members(input: &str, rendered: &Value, keys: &[&str], optional: &str) {
    let input: Value = match serde_json::from_str(input) {
        Ok(input) => input,
        Err(err) if err.to_string().contains("surrogate") => return,
        Err(err) => panic!("a parsed document is JSON: {err}"),
    };
    let member = |doc: &Value, key: &str| -> Option<Value> {
        key.split('.')
            .try_fold(doc, |v, k| v.get(k))
            .filter(|v| !v.is_null())
            .cloned()
    };
    for key in keys {
        let (given, shown) = (member(&input, key), member(rendered, key));
        if given.is_none() && *key == optional {
            continue;
        }
        assert_eq!(
            shown, given,
            "`{key}` is not rendered back as given\n{rendered}"
        );
    }
}

/// A vector file: parse it, and when it parses, replay it twice against the reference
/// implementation (files with more than [`MAX_REPLAYED_STEPS`] steps are only parsed).
/// Replay must be deterministic, and a parsed file must serialize to one that parses the same.
pub fn vector(json: &str) {
    let Ok(file) = VectorFile::parse(json) else {
        return;
    };
    let text = serde_json::to_string(&file).expect("serialize");
    let again =
        VectorFile::parse(&text).expect("vector: a parsed file serializes to one that parses");
    assert!(
        same_json(
            &serde_json::to_value(&again).expect("to_value"),
            &serde_json::to_value(&file).expect("to_value")
        ),
        "vector: serde round trip"
    );
    if file.steps.len() > MAX_REPLAYED_STEPS {
        return;
    }
    let first = replay(&file, &mut Reference::default());
    let second = replay(&file, &mut Reference::default());
    assert_eq!(first, second, "vector: replay is deterministic");
    if let Ok(outcomes) = first {
        assert_eq!(
            outcomes.len(),
            file.steps.len(),
            "vector: one outcome per step"
        );
    }
}

/// JSON equality, except that floats may differ in their last bits: serde_json (without its
/// `float_roundtrip` feature, as the crate builds it) reads some decimal floats one ulp off, so
/// a float written and read again can move. That is serde_json's documented trade-off, not the
/// crate's.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
                x == y || (x - y).abs() <= f64::EPSILON * 4.0 * x.abs().max(y.abs())
            }
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// A failure of `kind` carrying the parsed message (and, for invalid input, the problem).
fn failure(
    kind: ErrorKind,
    problem: Option<org_handshake::InputProblem>,
    message: &str,
) -> Failure {
    match (kind, problem) {
        (ErrorKind::InvalidInput, Some(problem)) => {
            Failure::invalid_input("HandshakeId", problem, message)
        }
        _ => Failure::new(kind, message),
    }
}

/// Checks on a handshake some provider parsed: the neutral forms round-trip, every other
/// provider that can render it reads it back with the same meaning, and the transitions keep
/// their contract on it.
fn neutral(h: &Handshake, from: Provider) {
    let text = serde_json::to_string(h).expect("serialize");
    let again: Handshake = serde_json::from_str(&text).expect("neutral: serde round trip parses");
    assert_eq!(&again, h, "neutral: serde round trip");
    let again = Handshake::from_parts(h.clone().into_parts()).expect("neutral: parts round trip");
    assert_eq!(&again, h, "neutral: parts round trip");

    for &to in Provider::values() {
        if to == from {
            continue;
        }
        let Ok(rendered) = to.render_handshake(h) else {
            continue;
        };
        match to.parse_handshake(&rendered.to_string()) {
            Ok(back) => same_meaning(h, &back, to),
            // A provider keeps times to its profile's precision (Huawei and Alibaba whole
            // seconds, AWS milliseconds): instants that differ below that can collapse into
            // one, which the model refuses. Nothing else may fail.
            Err(WireError::Model(_)) if !fits_precision(h, to) => {}
            Err(err) => panic!("{from} -> {to}: rendered JSON does not parse: {err}\n{rendered}"),
        }
    }

    transitions(h);
}

/// Whether every instant of `h` is whole at `to`'s precision (its profile's
/// `time_precision`).
fn fits_precision(h: &Handshake, to: Provider) -> bool {
    let profile = to.profile();
    [h.requested_at(), h.expires_at(), h.state_entered_at()]
        .into_iter()
        .all(|t| profile.truncate_time(t) == t)
}

/// What every provider carries, compared after a translation (emails, feature sets, the
/// state's entry time under AWS, and resolved accounts are not carried by all).
fn same_meaning(h: &Handshake, back: &Handshake, to: Provider) {
    let context = format!("-> {to}: {h:?}\nread back as {back:?}");
    assert_eq!(back.id(), h.id(), "{context}");
    assert_eq!(back.action(), h.action(), "{context}");
    assert_eq!(back.state(), h.state(), "{context}");
    assert_eq!(back.sender().id, h.sender().id, "{context}");
    assert_eq!(
        back.sender().management_account,
        h.sender().management_account,
        "{context}"
    );
    assert_eq!(
        back.sender().management_account_name,
        h.sender().management_account_name,
        "{context}"
    );
    assert_eq!(
        back.recipient().target(),
        h.recipient().target(),
        "{context}"
    );
    assert_eq!(back.notes(), h.notes(), "{context}");
    assert_eq!(back.parent(), h.parent(), "{context}");
    assert_eq!(back.resources(), h.resources(), "{context}");
    assert_eq!(
        back.requested_at(),
        to.profile().truncate_time(h.requested_at()),
        "{context}"
    );
    assert_eq!(
        back.expires_at(),
        to.profile().truncate_time(h.expires_at()),
        "{context}"
    );
}

/// Every command at a few instants around the handshake's own: a refusal leaves it as it was,
/// `apply` and `transition` agree, and the time queries answer without panicking.
fn transitions(h: &Handshake) {
    let sender = h.sender();
    let recipient = h.recipient().account().copied();
    let mut callers = vec![
        Caller::management(sender.management_account, sender.id),
        Caller {
            account: sender.management_account,
            membership: Membership::Standalone,
        },
    ];
    if let Some(account) = recipient {
        callers.push(Caller::standalone(account));
        callers.push(Caller::member(account, sender.id));
    }
    let mut commands = vec![Command::CancelAsSideEffect, Command::Expire, Command::Open];
    for caller in callers {
        commands.push(Command::Accept(caller));
        commands.push(Command::Decline(caller));
        commands.push(Command::Cancel(caller));
    }

    let mut instants = vec![h.requested_at(), h.state_entered_at(), h.expires_at()];
    for base in [h.state_entered_at(), h.expires_at()] {
        for delta in [
            TimeDelta::seconds(-1),
            TimeDelta::seconds(1),
            TimeDelta::days(31),
        ] {
            instants.extend(base.checked_add_signed(delta));
        }
    }

    for &now in &instants {
        let _ = (h.state_at(now), h.last_change_at(now), h.is_visible_at(now));
        let _ = (h.is_purgeable_at(now), h.purge_at(), h.next_deadline());
        let observed = h.observed_at(now);
        assert_eq!(
            observed.state(),
            h.state_at(now),
            "observed_at agrees with state_at"
        );
        for command in &commands {
            let mut changed = h.clone();
            let applied = changed.apply(command, now);
            let transition = h.transition(command, now);
            match (applied, transition) {
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "apply and transition refuse alike");
                    assert_eq!(&changed, h, "a refused {command:?} changed nothing");
                }
                (Ok(events), Ok(t)) => {
                    assert_eq!(events, t.events, "apply and transition agree on events");
                    assert_eq!(changed, t.handshake, "apply and transition agree");
                }
                (a, b) => panic!("apply {a:?} but transition {b:?} for {command:?} at {now}"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The service and routing targets.

/// A reader over the fuzzer's bytes: each `byte()` takes the next one (0 once they run out).
struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Up to `len` bytes as text (invalid UTF-8 replaced).
    fn text(&mut self, len: usize) -> String {
        let len = len.min(self.data.len());
        let (taken, rest) = self.data.split_at(len);
        self.data = rest;
        String::from_utf8_lossy(taken).into_owned()
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[usize::from(self.byte()) % items.len()]
    }

    /// Everything left.
    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

/// The fixed world of a provider the service target calls against: two organizations (one
/// with a member), three outside accounts; and the accounts, as callers (management account,
/// member, the other organization's management account, then the outsiders). Its ids are the
/// examples of the provider's id rules, so that every registered provider gets one.
fn service_world(provider: Provider) -> (Value, [String; 6]) {
    let profile = provider.profile();
    let account = |n: u64| {
        profile
            .account_id
            .example(n)
            .expect("a provider's account id rule makes examples")
            .to_string()
    };
    let organization = |n: u64| {
        profile
            .organization_id
            .example(n)
            .expect("a provider's organization id rule makes examples")
            .to_string()
    };
    let accounts = [1, 2, 3, 4, 5, 6].map(account);
    let orgs = [1, 2].map(organization);
    let [mgmt, member, other, juan, mary, li] = &accounts;
    let world = serde_json::json!({
        "organizations": [
            {"id": orgs[0], "feature_set": "ALL", "members": [member],
             "management_account": {"id": mgmt, "name": "mgmt", "email": "mgmt@example.com"}},
            {"id": orgs[1], "feature_set": "CONSOLIDATED_BILLING",
             "management_account": {"id": other, "name": "other"}}
        ],
        "accounts": [
            {"id": member, "name": "member"},
            {"id": juan, "name": "juan", "email": "juan@example.com"},
            {"id": mary, "name": "mary", "email": "mary@example.com"},
            {"id": li, "name": "li"}
        ]
    });
    (world, accounts)
}

/// A new service of `provider` over its fixed world.
fn service_for(provider: Provider) -> (org_handshake::provider::Service, [String; 6]) {
    let (world, accounts) = service_world(provider);
    let world: org_handshake::ledger::World =
        serde_json::from_value(world).expect("the fixed world parses");
    let service = org_handshake::provider::Service::new(provider, &world)
        .expect("the fixed world suits its provider");
    (service, accounts)
}

/// Text values a generated request may hold: the world's ids and emails, handshake ids the run
/// created, the provider's enum spellings, and malformed ids.
fn request_text(
    r: &mut Bytes<'_>,
    provider: Provider,
    accounts: &[&str],
    ids: &[String],
    token: &str,
) -> String {
    const ENUMS: &[&str] = &[
        "ACCOUNT",
        "EMAIL",
        "ORGANIZATION",
        "INVITE",
        "ENABLE_ALL_FEATURES",
        "APPROVE_ALL_FEATURES",
        "ADD_ORGANIZATIONS_SERVICE",
        "account",
        "name",
        "Account",
        "Email",
        "juan@example.com",
        "mary@example.com",
        "",
        "h-",
        "h-0",
        "o-exampleorgid",
        "mgmt",
        "juan",
    ];
    match r.byte() % 6 {
        0 => (*r.pick(accounts)).to_owned(),
        1 if !ids.is_empty() => r.pick(ids).clone(),
        2 => (*r.pick(ENUMS)).to_owned(),
        3 => token.to_owned(),
        4 => {
            let len = usize::from(r.byte() % 40);
            r.text(len)
        }
        // A well-formed id of the provider's that no call made.
        _ => provider
            .profile()
            .handshake_id
            .example(0)
            .map(|id| id.to_string())
            .unwrap_or_default(),
    }
}

/// A JSON value for a request member, from the bytes.
fn request_value(
    r: &mut Bytes<'_>,
    provider: Provider,
    accounts: &[&str],
    ids: &[String],
    token: &str,
) -> Value {
    match r.byte() % 8 {
        0 => Value::Null,
        1 => Value::Bool(r.byte() & 1 == 1),
        2 => Value::from(i64::from(r.byte() as i8) * i64::from(r.byte())),
        3 => Value::from(f64::from(r.byte()) / 2.0),
        4 => Value::from(u64::MAX - u64::from(r.byte())),
        _ => Value::String(request_text(r, provider, accounts, ids, token)),
    }
}

/// A neutral request from the bytes: every operation the ledger has, its ids drawn from the
/// world, the run's handshakes and the provider's id rules (the dialect then writes it in the
/// provider's shape, so every registered provider is fuzzed through all its operations).
fn neutral_request(
    r: &mut Bytes<'_>,
    provider: Provider,
    accounts: &[&str],
    ids: &[String],
    token: &str,
) -> org_handshake::provider::Request {
    use org_handshake::ledger::{HandshakeFilter, PageRequest};
    use org_handshake::provider::{Listing, Request};
    use org_handshake::{AccountId, Action, FeatureSet, HandshakeId, Party};
    let profile = provider.profile();
    let account = |r: &mut Bytes<'_>| -> AccountId {
        r.pick(accounts)
            .parse()
            .ok()
            .or_else(|| profile.account_id.example(0))
            .expect("the world's accounts are valid ids")
    };
    let handshake = |r: &mut Bytes<'_>| -> HandshakeId {
        let known = (!ids.is_empty() && r.byte() & 3 != 0)
            .then(|| r.pick(ids).parse().ok())
            .flatten();
        known
            .or_else(|| profile.handshake_id.example(u64::from(r.byte())))
            .expect("a provider's handshake id rule makes examples")
    };
    let page = |r: &mut Bytes<'_>| -> PageRequest {
        let size = usize::from(r.byte() % 24);
        match r.byte() % 4 {
            0 => PageRequest::Number {
                number: usize::from(r.byte() % 4),
                size,
            },
            1 if !token.is_empty() => PageRequest::after(size, token),
            _ => PageRequest::first(size),
        }
    };
    let listing = |r: &mut Bytes<'_>| -> Listing {
        let filter = match r.byte() % 6 {
            0 => HandshakeFilter::action(*r.pick(Action::values())),
            1 => HandshakeFilter::parent(handshake(r)),
            _ => HandshakeFilter::NONE,
        };
        Listing {
            filter,
            page: page(r),
        }
    };
    match r.byte() % 15 {
        0 | 1 => {
            let target = match r.byte() % 4 {
                0 => ["juan@example.com", "mary@example.com", "nobody@example.com"]
                    [usize::from(r.byte() % 3)]
                .parse()
                .map(Party::Email)
                .ok(),
                1 => ["juan", "mary", "li"][usize::from(r.byte() % 3)]
                    .parse()
                    .map(Party::Name)
                    .ok(),
                _ => None,
            }
            .unwrap_or_else(|| Party::Account(account(r)));
            let notes = match r.byte() % 3 {
                0 => None,
                _ => {
                    let len = usize::from(r.byte() % 12);
                    r.text(len).parse().ok()
                }
            };
            Request::Invite { target, notes }
        }
        2 => Request::Accept(handshake(r)),
        3 => Request::Decline(handshake(r)),
        4 => Request::Cancel(handshake(r)),
        5 => Request::Describe(handshake(r)),
        6 => Request::ListForAccount(listing(r)),
        7 => Request::ListForOrganization(listing(r)),
        8 => Request::EnableAllFeatures,
        9 => Request::CreateOrganization {
            feature_set: match r.byte() % 3 {
                0 => None,
                _ => Some(*r.pick(FeatureSet::values())),
            },
        },
        10 => Request::DescribeOrganization,
        11 => Request::DeleteOrganization,
        12 => match r.byte() % 2 {
            0 => Request::ListAccounts(page(r)),
            _ => Request::DescribeAccount(account(r)),
        },
        13 => Request::LeaveOrganization,
        _ => Request::RemoveAccount(account(r)),
    }
}

/// `value` with its members kept, dropped or replaced as the bytes say, at every depth (a
/// request in the provider's shape turned into the missing, mistyped and malformed members its
/// readers must refuse). A leading byte under 0x80 keeps the request as written.
fn mutate(
    r: &mut Bytes<'_>,
    value: Value,
    provider: Provider,
    accounts: &[&str],
    ids: &[String],
    token: &str,
) -> Value {
    if r.byte() < 0x80 {
        return value;
    }
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter_map(|(key, member)| match r.byte() % 8 {
                    0 => None,
                    1 => Some((key, request_value(r, provider, accounts, ids, token))),
                    _ => Some((key, mutate(r, member, provider, accounts, ids, token))),
                })
                .collect(),
        ),
        Value::String(_) if r.byte() & 1 == 0 => {
            Value::String(request_text(r, provider, accounts, ids, token))
        }
        other => other,
    }
}

/// The operation and request of a call: mostly a neutral request the dialect writes in its
/// provider's shape, then mutated; sometimes one of the dialect's operations with a request of
/// another's shape, or (rarely) an operation name and JSON text straight from the bytes.
fn call_for(
    r: &mut Bytes<'_>,
    provider: Provider,
    accounts: &[&str],
    ids: &[String],
    token: &str,
) -> (String, Value) {
    let dialect = provider.dialect();
    match r.byte() {
        0xF8..=0xFF => {
            let len = usize::from(r.byte() % 24);
            let operation = r.text(len);
            let len = usize::from(r.byte());
            let text = r.text(len);
            let request = serde_json::from_str(&text).unwrap_or(Value::String(text));
            (operation, request)
        }
        shape => {
            let request = neutral_request(r, provider, accounts, ids, token);
            let (operation, written) = match dialect.write_call(&request) {
                Ok((operation, written)) => (operation.to_owned(), written),
                // What the provider cannot express goes to one of its operations as it is
                // (another operation's members, or none): a request its readers must refuse.
                Err(_) => ((*r.pick(dialect.operations())).to_owned(), Value::Null),
            };
            let written = if written.is_null() || shape >= 0xF0 {
                // Another operation's request, written for this one.
                let other = neutral_request(r, provider, accounts, ids, token);
                dialect
                    .write_call(&other)
                    .map_or_else(|_| serde_json::json!({}), |(_, v)| v)
            } else {
                written
            };
            let request = mutate(r, written, provider, accounts, ids, token);
            (operation, request)
        }
    }
}

/// The `counter`th id the service target gives a new handshake, in the provider's id rule:
/// `h-Fz…` where it allows upper case, `h-fz…` where it allows letters, else its example id;
/// empty (no id given) if the rule allows none of them.
fn new_handshake_id(rule: &org_handshake::HandshakeIdRule, counter: u32) -> String {
    let width = rule
        .min_len
        .max(org_handshake::HandshakeId::MIN_LEN)
        .saturating_sub(2);
    ["Fz", "fz"]
        .iter()
        .map(|lead| format!("h-{lead}{counter:0>width$}"))
        .find(|text| {
            org_handshake::HandshakeId::parse(text).is_ok_and(|id| rule.check(&id).is_ok())
        })
        .or_else(|| rule.example(u64::from(counter)).map(|id| id.to_string()))
        .unwrap_or_default()
}

/// The most calls one input makes.
pub const MAX_SERVICE_CALLS: usize = 64;

/// After every this many calls the ledger is saved and restored, and the next call must answer
/// the same on the original and the restored service.
pub const SAVE_EVERY: usize = 4;

/// The service target: the bytes decode into a sequence of calls of one provider (operation,
/// caller, time moving forward, request) against a fixed world. Nothing panics; every refusal
/// leaves the ledger's JSON byte-identical; a success answers 2xx (Huawei: 201 for a creation, 204 for a deletion) and a refusal no events; and
/// a ledger saved and restored (alternately through `Ledger::snapshot` and through serde)
/// answers the next call exactly as the original does.
pub fn service_calls(text: &str) {
    service_calls_bytes(text.as_bytes());
}

/// [`service_calls`] on raw bytes (what the fuzz target passes).
pub fn service_calls_bytes(data: &[u8]) {
    use org_handshake::provider::{Call, Service};
    use org_handshake::Ledger;

    let mut r = Bytes { data };
    let provider = *r.pick(Provider::values());
    let dialect = provider.dialect();
    let (mut service, accounts) = service_for(provider);
    let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    let mut now: DateTime<Utc> = "2026-01-05T10:00:00Z".parse().expect("a fixed time");
    let mut ids: Vec<String> = Vec::new();
    let mut token = String::new();
    let mut counter = 0_u32;
    for step in 0..MAX_SERVICE_CALLS {
        if r.is_empty() {
            break;
        }
        let (operation, request) = call_for(&mut r, provider, &accounts, &ids, &token);
        let caller_byte = r.byte();
        let caller: String = match caller_byte % 8 {
            6 => String::new(),
            7 => {
                let len = usize::from(r.byte() % 20);
                r.text(len)
            }
            n => accounts[usize::from(n) % accounts.len()].to_owned(),
        };
        // Time moves forward: minutes, days, or (rarely) to the edge of what providers write
        // and of chrono's range.
        now = match r.byte() {
            0xFF => DateTime::<Utc>::MAX_UTC,
            0xFE => "9999-12-25T00:00:00Z"
                .parse::<DateTime<Utc>>()
                .expect("a fixed time")
                .max(now),
            b @ 0xC0..=0xFD => now
                .checked_add_signed(TimeDelta::days(i64::from(b - 0xC0)))
                .unwrap_or(now),
            b => now
                .checked_add_signed(TimeDelta::minutes(i64::from(b)))
                .unwrap_or(now),
        };
        counter += 1;
        let new_id = match r.byte() % 16 {
            0 => String::new(),
            1 => "h-NOT-AN-ID".to_owned(),
            2 if !ids.is_empty() => ids[0].clone(),
            // An organization id, which a create takes (and an invitation refuses).
            3..=5 => dialect
                .profile()
                .organization_id
                .example(100 + u64::from(counter))
                .map(|id| id.to_string())
                .unwrap_or_default(),
            _ => new_handshake_id(&dialect.profile().handshake_id, counter),
        };
        let new_ids: Vec<&str> = if new_id.is_empty() {
            Vec::new()
        } else {
            vec![new_id.as_str()]
        };
        let call = Call::new(&operation, &caller, now, &request).with_new_ids(&new_ids);

        // Every SAVE_EVERY calls: save, restore, and answer this call on both.
        let restored = (step % SAVE_EVERY == SAVE_EVERY - 1).then(|| {
            let ledger = if step % (2 * SAVE_EVERY) < SAVE_EVERY {
                Ledger::from_snapshot(service.ledger().snapshot()).expect("a snapshot restores")
            } else {
                let json = serde_json::to_string(service.ledger()).expect("a ledger serializes");
                serde_json::from_str::<Ledger>(&json).expect("a serialized ledger restores")
            };
            Service::from_ledger(dialect, ledger)
        });

        let before = serde_json::to_string(service.ledger()).expect("a ledger serializes");
        let result = service.call(&call);
        let after = serde_json::to_string(service.ledger()).expect("a ledger serializes");
        match &result {
            Ok(reply) if reply.error.is_none() => {
                // 200, or Huawei's 201 for a creation and 204 for a deletion.
                assert!(
                    (200..300).contains(&reply.status),
                    "{provider} {operation}: a success is 2xx, not {}",
                    reply.status
                );
                let body = reply.json();
                if let Some(handshake) = dialect.handshake_in(&body) {
                    let id = handshake.id();
                    if !ids.iter().any(|known| known == id.as_str()) {
                        ids.push(id.as_str().to_owned());
                    }
                }
                if let Some(next) = body
                    .get("NextToken")
                    .or_else(|| body.pointer("/page_info/next_marker"))
                    .and_then(Value::as_str)
                {
                    next.clone_into(&mut token);
                }
            }
            Ok(reply) => {
                assert!(
                    reply.status >= 400,
                    "{provider} {operation}: a refusal is an error status"
                );
                assert!(
                    reply.events.is_empty(),
                    "{provider} {operation}: a refusal has no events"
                );
                assert_eq!(
                    before,
                    after,
                    "{provider} {operation}: a refusal changed the ledger ({})",
                    reply.json()
                );
            }
            Err(_) => assert_eq!(
                before, after,
                "{provider} {operation}: a harness refusal changed the ledger"
            ),
        }
        if let Some(mut restored) = restored {
            let again = restored.call(&call);
            assert_eq!(
                result, again,
                "{provider} {operation}: the restored ledger answers differently"
            );
            let restored_after =
                serde_json::to_string(restored.ledger()).expect("a ledger serializes");
            assert_eq!(
                after, restored_after,
                "{provider} {operation}: the restored ledger changed differently"
            );
        }
    }
}

/// The routing target: arbitrary method, path, headers, query and body through
/// `Provider::for_request` and every provider's `Service::route`. Nothing panics; a routed
/// request names one of the dialect's operations; a refusal is an error reply; and the routed
/// call, made with the caller its credential gives, refuses without changing the ledger or
/// succeeds.
pub fn routing(text: &str) {
    routing_bytes(text.as_bytes());
}

/// [`routing`] on raw bytes (what the fuzz target passes).
pub fn routing_bytes(data: &[u8]) {
    use org_handshake::provider::{Call, HttpRequest};

    const METHODS: &[&str] = &["GET", "POST", "post", "PUT", "DELETE", ""];
    const PATHS: &[&str] = &[
        "/",
        "/v1/organizations/accounts/invite",
        "/v1/received-handshakes/h-0000000000/accept",
        "/v1/received-handshakes/h-0000000000/decline",
        "/v1/organizations/handshakes/h-0000000000/cancel",
        "/v1/organizations/handshakes/h-0000000000",
        "/v1/organizations/handshakes",
        "/v1/received-handshakes",
        "/v1/received-handshakes/",
        "/v1/organizations/handshakes/h-%30%31%zz/cancel",
    ];
    const NAMES: &[&str] = &[
        "X-Amz-Target",
        "x-amz-target",
        "x-acs-action",
        "Content-Type",
        "Authorization",
        "X-Auth-Token",
    ];
    const VALUES: &[&str] = &[
        "AWSOrganizationsV20161128.DescribeHandshake",
        "AWSOrganizationsV20161128.InviteAccountToOrganization",
        "AWSOrganizationsV20161128.ListHandshakesForAccount",
        "AWSOrganizationsV20161128.",
        "GetHandshake",
        "ListHandshakesForAccount",
        "application/json",
        "application/x-amz-json-1.1",
        "application/x-www-form-urlencoded",
        "AWS4-HMAC-SHA256 Credential=111111111111/20260105/us-east-1/organizations/aws4_request",
        "acs 1512666876910001:sig",
        "",
    ];
    const QUERIES: &[&str] = &[
        "",
        "Action=GetHandshake&HandshakeId=h-0000000000000000",
        "Action=ListHandshakesForAccount&PageNumber=2&PageSize=1",
        "limit=1&marker=abcd",
        "Action=AcceptHandshake&AccessKeyId=1772422852740001&HandshakeId=h-%",
        "a=%ff&&=&Action",
    ];

    let mut r = Bytes { data };
    let method = match r.byte() {
        b if b >= 0xF0 => {
            let len = usize::from(r.byte() % 12);
            r.text(len)
        }
        b => METHODS[usize::from(b) % METHODS.len()].to_owned(),
    };
    let path = match r.byte() {
        b if b >= 0xE0 => {
            let len = usize::from(r.byte() % 80);
            r.text(len)
        }
        b => PATHS[usize::from(b) % PATHS.len()].to_owned(),
    };
    let query = match r.byte() {
        b if b >= 0xE0 => {
            let len = usize::from(r.byte() % 80);
            r.text(len)
        }
        b => QUERIES[usize::from(b) % QUERIES.len()].to_owned(),
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for _ in 0..(r.byte() % 5) {
        let name = match r.byte() {
            b if b >= 0xF0 => {
                let len = usize::from(r.byte() % 16);
                r.text(len)
            }
            b => NAMES[usize::from(b) % NAMES.len()].to_owned(),
        };
        let value = match r.byte() {
            b if b >= 0xE0 => {
                let len = usize::from(r.byte() % 64);
                r.text(len)
            }
            b => VALUES[usize::from(b) % VALUES.len()].to_owned(),
        };
        headers.push((name, value));
    }
    let body = r.rest();
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let request = HttpRequest::new(&method, &path)
        .with_query(&query)
        .with_headers(&header_refs)
        .with_body(body);
    let claimed = Provider::for_request(&request);
    let now: DateTime<Utc> = "2026-01-05T10:00:00Z".parse().expect("a fixed time");
    for provider in Provider::values() {
        let (mut service, _) = service_for(*provider);
        match service.route(&request, "") {
            Ok(routed) => {
                assert!(
                    provider.dialect().operations().contains(&routed.operation),
                    "{provider}: routed to `{}`, not one of its operations",
                    routed.operation
                );
                if claimed != Some(*provider) {
                    continue;
                }
                let caller = service.caller_for(routed.credential.as_deref());
                let before = serde_json::to_string(service.ledger()).expect("a ledger serializes");
                let call = Call::new(routed.operation, &caller, now, &routed.request)
                    .with_new_ids(&["h-route00001"]);
                let refused = match service.call(&call) {
                    Ok(reply) => reply.error.is_some(),
                    Err(_) => true,
                };
                if refused {
                    let after =
                        serde_json::to_string(service.ledger()).expect("a ledger serializes");
                    assert_eq!(
                        before, after,
                        "{provider}: a refused routed call changed the ledger"
                    );
                }
            }
            Err(reply) => {
                assert!(
                    reply.error.is_some(),
                    "{provider}: a routing refusal names its kind"
                );
                assert!(
                    reply.status >= 400,
                    "{provider}: a routing refusal is an error status"
                );
            }
        }
    }
}
