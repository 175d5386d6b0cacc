//! Reading a body that is still JSON text without building a `serde_json::Value` of it (whose
//! allocations dominated replaying a vector): [`match_subset`](super::match_subset) with the
//! expected subset driving a serde visitor over the text, and the value at a `$ref`'s path.
//! What the expectation or the path does not name is skipped unparsed.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use super::PathPart;

/// Whether `actual`, JSON text, matches `expected` by the rules of
/// [`match_subset`](super::match_subset); `false` also for text that is not one JSON value.
pub(super) fn matches(expected: &Value, actual: &str) -> bool {
    let mut de = serde_json::Deserializer::from_str(actual);
    matches!(Subset(expected).deserialize(&mut de), Ok(true)) && de.end().is_ok()
}

/// Matches one value against `self.0`, consuming it whether or not it matches.
struct Subset<'a>(&'a Value);

impl<'de> DeserializeSeed<'de> for Subset<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The numbers rule of `match_subset`: as integers when both are, else as floats.
fn same_number(want: &Value, have: &Number) -> bool {
    match want {
        Value::Number(want) => match (want.as_i64(), have.as_i64()) {
            (Some(a), Some(b)) => a == b,
            _ => want.as_f64() == have.as_f64(),
        },
        _ => false,
    }
}

impl<'de> Visitor<'de> for Subset<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(self.0.as_bool() == Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        Ok(same_number(self.0, &Number::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        Ok(same_number(self.0, &Number::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        Ok(Number::from_f64(v).is_some_and(|have| same_number(self.0, &have)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(self.0.as_str() == Some(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(self.0.is_null())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let Value::Array(want) = self.0 else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(false);
        };
        let mut ok = true;
        let mut seen = 0;
        while seen < want.len() {
            match seq.next_element_seed(Subset(&want[seen]))? {
                Some(matched) => ok &= matched,
                None => return Ok(false),
            }
            seen += 1;
        }
        // More items than expected: the lengths differ.
        while seq.next_element::<IgnoredAny>()?.is_some() {
            ok = false;
        }
        Ok(ok)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Value::Object(want) = self.0 else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(false);
        };
        let mut ok = true;
        let mut seen = Seen::new(want.len());
        while let Some(key) = map.next_key_seed(Key(want))? {
            match key {
                Some((index, expected)) => {
                    seen.set(index);
                    ok &= map.next_value_seed(Subset(expected))?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // An expected key the body lacks matches only when null is expected.
        Ok(ok
            && want
                .values()
                .enumerate()
                .all(|(index, value)| seen.get(index) || value.is_null()))
    }
}

/// Which of an expected object's keys the body had (a bitmask for the usual small object).
enum Seen {
    Small(u64),
    Large(Vec<bool>),
}

impl Seen {
    fn new(len: usize) -> Self {
        if len <= 64 {
            Seen::Small(0)
        } else {
            Seen::Large(vec![false; len])
        }
    }

    fn set(&mut self, index: usize) {
        match self {
            Seen::Small(bits) => *bits |= 1 << index,
            Seen::Large(flags) => {
                if let Some(flag) = flags.get_mut(index) {
                    *flag = true;
                }
            }
        }
    }

    fn get(&self, index: usize) -> bool {
        match self {
            Seen::Small(bits) => bits & (1 << index) != 0,
            Seen::Large(flags) => flags.get(index).copied().unwrap_or(false),
        }
    }
}

/// Reads a key and finds it among the expected object's: its position and expected value.
struct Key<'a>(&'a Map<String, Value>);

impl<'de, 'a> DeserializeSeed<'de> for Key<'a> {
    type Value = Option<(usize, &'a Value)>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'a> Visitor<'de> for Key<'a> {
    type Value = Option<(usize, &'a Value)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self
            .0
            .iter()
            .enumerate()
            .find(|(_, (key, _))| key.as_str() == v)
            .map(|(index, (_, value))| (index, value)))
    }
}

/// The value at `path` in `body`, JSON text, read without parsing the rest of the body: what
/// a `$ref` into an earlier step's answer needs. `None` when the body is not JSON or has no
/// such path.
pub(super) fn value_at(body: &str, path: &[PathPart]) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(body);
    let found = At(path).deserialize(&mut de).ok()?;
    de.end().ok()?;
    found
}

/// Finds the value at `self.0` in the value it reads, skipping everything else.
struct At<'a>(&'a [PathPart]);

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Option<Value>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        if self.0.is_empty() {
            return Value::deserialize(deserializer).map(Some);
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for At<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (first, rest) = match self.0.split_first() {
            Some((PathPart::Index(index), rest)) => (Some(*index), rest),
            _ => (None, self.0),
        };
        let mut found = None;
        let mut position = 0;
        loop {
            if Some(position) == first {
                match seq.next_element_seed(At(rest))? {
                    Some(value) => found = value,
                    None => break,
                }
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
            position += 1;
        }
        Ok(found)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (wanted, rest) = match self.0.split_first() {
            Some((PathPart::Key(key), rest)) => (Some(key.as_str()), rest),
            _ => (None, self.0),
        };
        let mut found = None;
        while let Some(key) = map.next_key_seed(Named(wanted))? {
            if key {
                // A repeated key: the last one counts, as in a parsed `Value`.
                found = map.next_value_seed(At(rest))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Reads a key and says whether it is `self.0`.
struct Named<'a>(Option<&'a str>);

impl<'de> DeserializeSeed<'de> for Named<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Named<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(self.0 == Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{match_subset, PathPart};
    use super::{matches, value_at};
    use proptest::prelude::*;
    use serde_json::{json, Value};

    /// Small JSON values whose keys and strings collide often, so that subsets match or miss
    /// at every depth.
    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-3i64..3).prop_map(Value::from),
            (-3i64..3).prop_map(|n| json!(n as f64)),
            Just(json!(0.5)),
            prop::sample::select(vec!["a", "b", ""]).prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec!["a", "b", "c", "d"]).prop_map(str::to_owned),
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The text matcher agrees with `match_subset` on arbitrary pairs, and on a value
        /// against itself (every value is a subset of itself).
        #[test]
        fn agrees_with_match_subset(expected in value(), actual in value()) {
            let text = actual.to_string();
            prop_assert_eq!(matches(&expected, &text), match_subset(&expected, &actual).is_ok());
            prop_assert!(matches(&actual, &text));
        }
    }

    proptest! {
        /// The value at a path read from text is the one a parsed body has there.
        #[test]
        fn value_at_agrees_with_the_parsed_body(body in value(), keys in prop::collection::vec(0usize..5, 0..4)) {
            let text = body.to_string();
            // A path through the body where it exists, then one step that may not.
            let mut path = Vec::new();
            let mut here = Some(&body);
            for k in keys {
                let part = match here {
                    Some(Value::Array(_)) => PathPart::Index(k),
                    _ => PathPart::Key(["a", "b", "c", "d", "zz"][k].to_owned()),
                };
                here = here.and_then(|v| match &part {
                    PathPart::Index(i) => v.get(*i),
                    PathPart::Key(key) => v.get(key.as_str()),
                });
                path.push(part);
            }
            prop_assert_eq!(value_at(&text, &path), here.cloned());
        }
    }

    #[test]
    fn text_that_is_not_one_json_value_never_matches() {
        for text in ["", "{", "{} {}", "nul", "[1,]"] {
            assert!(!matches(&Value::Null, text), "{text:?}");
        }
        assert!(matches(
            &json!({"a": 1}),
            r#"{"a": 1.0, "b": [{"deep": "skipped"}]}"#
        ));
        assert!(matches(&json!({"a": "x\n"}), r#"{"a": "x\u000a"}"#));
    }
}
