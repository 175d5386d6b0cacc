//! A foreign target mints its own ids and keeps its own clock: the vector's ids are bound to
//! the target's as replies name them, substituted in later requests and expected bodies, and
//! timestamps are compared as offsets from the vector's start.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::Value;

/// How far a timestamp's offset from the vector's start may differ on the target from the
/// vector's: the vector spaces steps by minutes where the target runs them in milliseconds, so
/// an hour (less than any provider's shortest time rule, a day) tells a right time from a wrong
/// one without asking the target to keep the vector's pace.
pub const TIME_TOLERANCE: TimeDelta = TimeDelta::hours(1);

/// Keys whose values are times.
const TIME_KEYS: &[&str] = &[
    "RequestedTimestamp",
    "ExpirationTimestamp",
    "created_at",
    "updated_at",
    "expired_at",
    "CreateTime",
    "ExpireTime",
    "ModifyTime",
    "JoinedTimestamp",
    "JoinTime",
    "joined_at",
];

/// Keys whose values are request ids.
const REQUEST_ID_KEYS: &[&str] = &["RequestId", "request_id"];

/// Keys whose values are ids a target mints (bound rather than compared).
const MINTED_KEYS: &[&str] = &[
    "Id",
    "id",
    "HandshakeId",
    "handshake_id",
    "ResourceDirectoryId",
    "organization_id",
    "OrganizationId",
    "Arn",
    "urn",
    // What a target reports from its own directory (an account's email and name) is bound
    // the same way: a foreign target cannot be told the vector's.
    "Email",
    "MasterAccountEmail",
    "Name",
    "email",
    "name",
    "DisplayName",
    "AccountName",
];

/// What `--bindings FILE` gives: what the target cannot be told through the provider's API.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindingsFile {
    /// The credential (access key id, domain id) each vector account calls with; an account
    /// not listed calls with its own id.
    #[serde(default)]
    pub credentials: BTreeMap<String, String>,
    /// Headers sent with every provider call; `{caller}` in a value is the vector's caller.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Values the vector names (account names, emails, ids) and what the target shows instead.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// A request that resets the target before each vector (e.g. moto's `POST /moto-api/reset`).
    #[serde(default)]
    pub reset: Option<Reset>,
    /// Whether the runner creates the world's organizations and joins their members through
    /// the provider's operations (the default); `false` when the reset request loads the world
    /// itself.
    #[serde(default = "yes")]
    pub create_world: bool,
}

fn yes() -> bool {
    true
}

impl Default for BindingsFile {
    fn default() -> Self {
        BindingsFile {
            credentials: BTreeMap::new(),
            headers: BTreeMap::new(),
            values: BTreeMap::new(),
            reset: None,
            create_world: true,
        }
    }
}

/// A reset request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reset {
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// A JSON body, in which the strings `{world}` and `{provider}` stand for the vector's world
    /// and provider (so a target with a world endpoint of its own can load it).
    #[serde(default)]
    pub body: Option<Value>,
}

/// The bindings of one vector's run.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    /// Vector value → target value.
    map: BTreeMap<String, String>,
    /// Where the vector starts, and where the run on the target started.
    pub starts: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Bindings {
    /// Bindings starting from the file's fixed values.
    pub fn new(file: &BindingsFile) -> Self {
        Bindings {
            map: file.values.clone(),
            starts: None,
        }
    }

    /// Binds `vector` to `target` unless either is bound already.
    pub fn bind(&mut self, vector: &str, target: &str) {
        if vector == target || vector.is_empty() || self.map.contains_key(vector) {
            return;
        }
        if self.map.values().any(|bound| bound == target) {
            return;
        }
        self.map.insert(vector.to_owned(), target.to_owned());
    }

    /// How many values are bound.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing is bound.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// `text` with every bound vector value replaced by the target's (inside longer strings
    /// too: an ARN holds the organization and handshake ids).
    pub fn text(&self, text: &str) -> String {
        if let Some(target) = self.map.get(text) {
            return target.clone();
        }
        let mut out = text.to_owned();
        for (vector, target) in &self.map {
            if vector.len() >= 4 && out.contains(vector.as_str()) {
                out = out.replace(vector.as_str(), target);
            }
        }
        out
    }

    /// `value` with every string substituted ([`text`](Self::text)).
    pub fn substitute(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.text(text)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.substitute(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.substitute(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// The expectation as the target should meet it: ids the target minted are bound (first
    /// sight) and substituted, and a time is replaced by the received one when both lie at the
    /// same offset from their run's start (within [`TIME_TOLERANCE`]).
    pub fn expected(&mut self, expected: &Value, received: &Value) -> Value {
        self.rewrite(expected, Some(received), None)
    }

    fn rewrite(&mut self, expected: &Value, received: Option<&Value>, key: Option<&str>) -> Value {
        match (expected, received) {
            (Value::Object(want), Some(Value::Object(have))) => Value::Object(
                want.iter()
                    .map(|(k, v)| (k.clone(), self.rewrite(v, have.get(k), Some(k))))
                    .collect(),
            ),
            (Value::Array(want), Some(Value::Array(have))) if want.len() == have.len() => {
                let want = self.in_received_order(want, have);
                Value::Array(
                    want.iter()
                        .zip(have)
                        .map(|(w, h)| self.rewrite(w, Some(h), key))
                        .collect(),
                )
            }
            // A request id is minted per call: the target's own stands, whatever the vector's.
            (Value::String(_), Some(have @ Value::String(_)))
                if key.is_some_and(|k| REQUEST_ID_KEYS.contains(&k)) =>
            {
                have.clone()
            }
            (want, Some(have)) if key.is_some_and(|k| TIME_KEYS.contains(&k)) => {
                if self.same_offset(want, have) {
                    have.clone()
                } else {
                    want.clone()
                }
            }
            (Value::String(want), Some(Value::String(have))) => {
                let substituted = self.text(want);
                if substituted == *have {
                    return Value::String(substituted);
                }
                if key.is_some_and(|k| MINTED_KEYS.contains(&k)) && !self.map.contains_key(want) {
                    self.bind(want, have);
                    return Value::String(self.text(want));
                }
                Value::String(substituted)
            }
            (want, _) => self.substitute(want),
        }
    }

    /// `want` reordered as `have` lists the same items, when every item of both names a bound
    /// id: a listing ordered by id follows the ids the target minted, not the vector's.
    fn in_received_order(&self, want: &[Value], have: &[Value]) -> Vec<Value> {
        let id_of = |item: &Value| -> Option<String> {
            MINTED_KEYS
                .iter()
                .find_map(|k| item.get(*k).and_then(Value::as_str))
                .map(str::to_owned)
        };
        let mut order = Vec::with_capacity(want.len());
        let mut taken = vec![false; want.len()];
        for item in have {
            let Some(target_id) = id_of(item) else {
                return want.to_vec();
            };
            let found = want.iter().enumerate().position(|(i, w)| {
                !taken[i] && id_of(w).is_some_and(|id| self.map.get(&id) == Some(&target_id))
            });
            match found {
                Some(i) => {
                    taken[i] = true;
                    order.push(want[i].clone());
                }
                None => return want.to_vec(),
            }
        }
        order
    }

    fn same_offset(&self, want: &Value, have: &Value) -> bool {
        let (Some((vector_start, run_start)), Some(want), Some(have)) =
            (self.starts, instant(want), instant(have))
        else {
            return false;
        };
        if want < vector_start {
            // A time before the first step is the world's (an organization's creation, a
            // starting member's join): on a generic target the runner's own setup made it
            // happen, at some time before its run started.
            return have <= run_start + TIME_TOLERANCE;
        }
        let difference = (want - vector_start) - (have - run_start);
        difference.abs() <= TIME_TOLERANCE
    }
}

/// A time as the providers write one: epoch seconds (AWS) or an RFC 3339 text.
fn instant(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::Number(n) => {
            let seconds = n.as_f64()?;
            DateTime::from_timestamp_millis((seconds * 1000.0) as i64)
        }
        Value::String(text) => DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_minted_id_is_bound_once_and_substituted_inside_arns() {
        let mut bindings = Bindings::default();
        let expected = json!({"Handshake": {"Id": "h-aaaa", "Arn": "arn:x:handshake/o-bbbb/invite/h-aaaa", "State": "OPEN"}});
        let received = json!({"Handshake": {"Id": "h-1234", "Arn": "arn:x:handshake/o-bbbb/invite/h-1234", "State": "REQUESTED"}});
        let rewritten = bindings.expected(&expected, &received);
        assert_eq!(rewritten["Handshake"]["Id"], "h-1234");
        assert_eq!(
            rewritten["Handshake"]["Arn"],
            "arn:x:handshake/o-bbbb/invite/h-1234"
        );
        // A state is never bound: the difference stays for the matcher to report.
        assert_eq!(rewritten["Handshake"]["State"], "OPEN");
        // A second handshake cannot take a target id already bound to the first.
        let again = bindings.expected(&json!({"Id": "h-cccc"}), &json!({"Id": "h-1234"}));
        assert_eq!(again["Id"], "h-cccc");
    }

    #[test]
    fn times_match_by_offset_within_the_tolerance() {
        let mut bindings = Bindings::default();
        let vector_start: DateTime<Utc> = "2026-01-05T10:00:00Z".parse().unwrap();
        let run_start: DateTime<Utc> = "2030-06-01T00:00:00Z".parse().unwrap();
        bindings.starts = Some((vector_start, run_start));
        let fifteen_days = 15 * 86_400;
        let expected = json!({"ExpirationTimestamp": vector_start.timestamp() + fifteen_days});
        let right = json!({"ExpirationTimestamp": run_start.timestamp() + fifteen_days + 2});
        let wrong = json!({"ExpirationTimestamp": run_start.timestamp() + 14 * 86_400});
        assert_eq!(bindings.expected(&expected, &right), right);
        assert_eq!(bindings.expected(&expected, &wrong), expected);
    }

    #[test]
    fn a_world_time_matches_any_time_of_the_runner_setup_before_the_run() {
        let mut bindings = Bindings::default();
        let vector_start: DateTime<Utc> = "2026-03-02T10:00:00Z".parse().unwrap();
        let run_start: DateTime<Utc> = "2030-06-01T00:00:00Z".parse().unwrap();
        bindings.starts = Some((vector_start, run_start));
        // The world says the member joined an hour before the first step.
        let expected = json!({"joined_at": "2026-03-02T09:00:00Z"});
        let during_setup = json!({"joined_at": "2030-05-31T23:59:58Z"});
        let after_the_run_started = json!({"joined_at": "2030-06-01T05:00:00Z"});
        assert_eq!(bindings.expected(&expected, &during_setup), during_setup);
        assert_eq!(
            bindings.expected(&expected, &after_the_run_started),
            expected
        );
    }
}
