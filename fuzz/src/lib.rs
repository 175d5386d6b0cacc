//! The checks behind the fuzz targets, one function per target.
//!
//! Each feeds one text to every parser of its kind. A parser may refuse anything, but never
//! panic; and whatever it accepts is rendered back and read again, and must come back the
//! same, so that a logic error in a parser or renderer crashes the fuzzer as a panic would.
//! Every assertion here states a property the crate documents (the module docs of
//! `provider::aws`, `provider::huawei`, `provider::alibaba` and `conformance`).

use chrono::{DateTime, TimeDelta, Timelike, Utc};
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
                let rendered = aws::error_response(&failure(kind, error.problem, &error.message));
                let read = aws::parse_error_response(rendered.status, &rendered.body.to_string())
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
                let rendered = huawei::error_response(&failure(kind, None, &error.error_msg));
                let read =
                    huawei::parse_error_response(rendered.status, &rendered.body.to_string())
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
                    &error.body.request_id,
                );
                let read =
                    alibaba::parse_error_response(rendered.status, &rendered.body.to_string())
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
fn same_members(input: &str, rendered: &Value, keys: &[&str], optional: &str) {
    let input: Value = serde_json::from_str(input).expect("a parsed document is JSON");
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
            // Huawei and Alibaba keep whole seconds, AWS milliseconds: instants that differ
            // below that can collapse into one, which the model refuses. Nothing else may fail.
            Err(WireError::Model(_)) if !fits_precision(h, to) => {}
            Err(err) => panic!("{from} -> {to}: rendered JSON does not parse: {err}\n{rendered}"),
        }
    }

    transitions(h);
}

/// Whether every instant of `h` is whole at `to`'s precision.
fn fits_precision(h: &Handshake, to: Provider) -> bool {
    [h.requested_at(), h.expires_at(), h.state_entered_at()]
        .into_iter()
        .all(|t| truncate(t, to) == t)
}

fn truncate(t: DateTime<Utc>, to: Provider) -> DateTime<Utc> {
    let nanos = t.nanosecond() % 1_000_000_000;
    let keep = match to {
        Provider::Aws => nanos - nanos % 1_000_000,
        _ => 0,
    };
    t.with_nanosecond(keep).unwrap_or(t)
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
        truncate(h.requested_at(), to),
        "{context}"
    );
    assert_eq!(back.expires_at(), truncate(h.expires_at(), to), "{context}");
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
