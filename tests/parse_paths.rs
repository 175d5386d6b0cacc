//! The bare-handshake parsers read a document through a borrowed mirror of the provider's wire
//! struct (`&str` strings first, then copy-on-escape ones) and fall back to the owned wire
//! struct only for a document the mirrors refuse. These tests hold the fast path to
//! the owned path it replaced: for any document, valid or mutated (members removed, nulled,
//! retyped, duplicated, unknown ones added, strings with escapes, keys spelled with `\u`
//! escapes), `Provider::parse_handshake` gives exactly what the owned path gives, the same
//! handshake or the same error value.
//!
//! The owned path is written out here from the public API, as each provider's
//! `parse_handshake` read a document before the mirrors: `provider::from_json` into the wire
//! struct, then `to_handshake`; Huawei names an absent member as `Missing`, Alibaba roots JSON
//! errors at `Handshake`.

mod common;

use common::proptest_config;
use common::registry::registry;
use org_handshake::provider::{alibaba, aws, from_json, huawei, Provider, WireError};
use org_handshake::Handshake;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::Value;

/// Huawei's reader: an absent member is `Missing` with its path.
fn huawei_owned(json: &str) -> Result<huawei::WireHandshake, WireError> {
    from_json(json).map_err(|err| match err {
        WireError::Json { field, message } => {
            let member = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split_once('`'))
                .map(|(name, _)| name.to_owned());
            match member {
                Some(name) if field.is_empty() || field == "." => {
                    WireError::Missing { field: name }
                }
                Some(name) => WireError::Missing {
                    field: format!("{field}.{name}"),
                },
                None => WireError::Json { field, message },
            }
        }
        other => other,
    })
}

/// Alibaba's reader: JSON errors are rooted at `Handshake`.
fn alibaba_owned(json: &str) -> Result<alibaba::WireHandshake, WireError> {
    from_json(json).map_err(|err| match err {
        WireError::Json { field, message } => WireError::Json {
            field: if field.is_empty() || field == "." {
                "Handshake".to_owned()
            } else {
                format!("Handshake.{field}")
            },
            message,
        },
        other => other,
    })
}

/// A provider's owned path: the whole document into its owned wire struct, then the
/// conversion.
type OwnedPath = fn(&str) -> Result<Handshake, WireError>;

/// Each built-in provider's owned path, keyed by its name (the wire struct is its own);
/// [`owned`] stops with a message at a registered provider that has none.
const OWNED: &[(&str, OwnedPath)] = &[
    ("aws", |json| {
        from_json::<aws::WireHandshake>(json)?.to_handshake()
    }),
    ("huawei", |json| huawei_owned(json)?.to_handshake()),
    ("alibaba", |json| alibaba_owned(json)?.to_handshake()),
];

/// The owned path of `provider`.
fn owned(provider: Provider, json: &str) -> Result<Handshake, WireError> {
    let (_, path) = OWNED
        .iter()
        .find(|(name, _)| *name == provider.as_str())
        .unwrap_or_else(|| panic!("no owned path for `{provider}`: add it to OWNED"));
    path(json)
}

/// Where an object sits in a document.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The paths of every object in `value`, the root first.
fn objects(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            out.push(at.clone());
            for (key, child) in map {
                at.push(Step::Key(key.clone()));
                objects(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Step::Index(i));
                objects(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn object_at<'v>(
    value: &'v mut Value,
    path: &[Step],
) -> Option<&'v mut serde_json::Map<String, Value>> {
    let mut here = value;
    for step in path {
        here = match step {
            Step::Key(key) => here.get_mut(key.as_str())?,
            Step::Index(i) => here.get_mut(*i)?,
        };
    }
    here.as_object_mut()
}

/// Values a member may be given: the providers' enum spellings, ids of each pattern, times,
/// and a few near misses.
const WORDS: &[&str] = &[
    "OPEN",
    "ACCEPTED",
    "CANCELED",
    "DECLINED",
    "EXPIRED",
    "REQUESTED",
    "INVITE",
    "ACCOUNT",
    "EMAIL",
    "ORGANIZATION",
    "NOTES",
    "MASTER_NAME",
    "pending",
    "accepted",
    "account",
    "name",
    "Pending",
    "Accepted",
    "Account",
    "Email",
    "",
    "h-0123456789abcdef",
    "h-examplehandshakeid111",
    "222222222222",
    "1772422852740001",
    "o-exampleorgid",
    "rd-3G6rzX",
    "juan@example.com",
    "2026-01-05T10:00:00Z",
    "2026-02-30T10:00:00Z",
    "Welcome \"aboard\"\n\u{e9}\\",
];

/// One edit of a document; `a` and `b` pick what it applies to.
fn edit(value: &mut Value, kind: u8, a: usize, b: usize) {
    let mut paths = Vec::new();
    objects(value, &mut Vec::new(), &mut paths);
    let Some(path) = paths.get(a % paths.len().max(1)).cloned() else {
        return;
    };
    let Some(object) = object_at(value, &path) else {
        return;
    };
    let keys: Vec<String> = object.keys().cloned().collect();
    let key = keys.get(b % keys.len().max(1)).cloned();
    let new = match kind {
        0 => {
            if let Some(key) = key {
                object.remove(&key);
            }
            return;
        }
        1 => Value::Null,
        2 => Value::from(7),
        3 => Value::from(-1.5),
        4 => Value::Array(Vec::new()),
        5 => Value::Object(serde_json::Map::new()),
        6 => {
            object.insert("Extra".to_owned(), Value::from("x"));
            return;
        }
        _ => Value::from(WORDS[b % WORDS.len()]),
    };
    if let Some(key) = key {
        object.insert(key, new);
    }
}

/// One edit of the text: a letter written as a `\u` escape, or the root's first member
/// repeated, or the text cut short.
fn edit_text(text: &mut String, kind: u8, at: usize) {
    match kind % 3 {
        0 => {
            let letters: Vec<usize> = text
                .char_indices()
                .filter(|(_, c)| c.is_ascii_alphabetic())
                .map(|(i, _)| i)
                .collect();
            if let Some(&i) = letters.get(at % letters.len().max(1)) {
                let letter = text.as_bytes()[i];
                text.replace_range(i..=i, &format!("\\u{letter:04x}"));
            }
        }
        1 => {
            if let Some(first) = text.get(1..).and_then(|rest| rest.split_once(':')) {
                let member = format!("{}:\"x\",", first.0);
                text.insert_str(1, &member);
            }
        }
        _ => {
            let cut = at % (text.len() + 1);
            if text.is_char_boundary(cut) {
                text.truncate(cut);
            }
        }
    }
}

type Edits = (Vec<(u8, usize, usize)>, Vec<(u8, usize)>);

fn edits() -> impl Strategy<Value = Edits> {
    (
        proptest::collection::vec((0u8..9, any::<usize>(), any::<usize>()), 0..4),
        proptest::collection::vec((any::<u8>(), any::<usize>()), 0..2),
    )
}

/// Renders `h`, applies the edits, and compares the two paths on the result.
fn same_on_both_paths(provider: Provider, h: &Handshake, (edits, text_edits): &Edits) {
    let mut value = provider.render_handshake(h).unwrap();
    for (kind, a, b) in edits {
        edit(&mut value, *kind, *a, *b);
    }
    let mut text = value.to_string();
    for (kind, at) in text_edits {
        edit_text(&mut text, *kind, *at);
    }
    assert_eq!(
        provider.parse_handshake(&text),
        owned(provider, &text),
        "{text}"
    );
}

/// Every built-in provider, with the registry's generator of the handshakes it expresses
/// (`tests/common/registry.rs`): 1000 documents each, rendered, edited and read both ways.
#[test]
fn every_provider_reads_as_the_owned_path() {
    for entry in registry() {
        let Some(provider) = Provider::values()
            .iter()
            .copied()
            .find(|provider| provider.as_str() == entry.dialect.name())
        else {
            continue; // the tests' own dialects have no owned wire struct
        };
        let mut runner = TestRunner::new(proptest_config(
            1000,
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/proptest-regressions/parse_paths.txt"
            ),
        ));
        let result = runner.run(&((entry.handshakes)(), edits()), |(h, edits)| {
            same_on_both_paths(provider, &h, &edits);
            Ok(())
        });
        if let Err(err) = result {
            panic!("{provider}: {err}");
        }
    }
}

/// A document whose strings have escapes misses the `&str` mirror and is read by the
/// copy-on-escape one: the same handshake as the owned path, escapes and all.
#[test]
fn escaped_strings_read_the_same() {
    let h = org_handshake::example::aws_invitation().unwrap();
    let name = h.sender().management_account_name.as_str().to_owned();
    let text = Provider::Aws
        .render_handshake_json(&h)
        .unwrap()
        .replace(&name, "Bi\\u006cl \\\"the\\\" \\\\ first");
    assert_ne!(text, Provider::Aws.render_handshake_json(&h).unwrap());
    let read = Provider::Aws.parse_handshake(&text).unwrap();
    assert_eq!(
        read.sender().management_account_name.as_str(),
        "Bill \"the\" \\ first"
    );
    assert_eq!(Ok(read), owned(Provider::Aws, &text));
}
