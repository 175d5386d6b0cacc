//! `--overrides FILE`: corrections of the providers' error tables, as the embedding API's
//! [`Service::with_overrides`](org_handshake::provider::Service::with_overrides) takes them.
//!
//! The file is a JSON object keyed by provider; each value is a list of corrections:
//!
//! ```json
//! {"huawei": [{"kind": "not_found", "from": "Organizations.Unverified.HandshakeNotFound", "code": "Organizations.1404"}]}
//! ```
//!
//! A correction selects the rows of the provider's table of `kind` (the neutral error kind's
//! snake_case name), narrowed by `from` (the code the row answers today) and `operation` (rows
//! specific to that operation), and sets any of `status`, `code` and `message`. Rows are
//! selected by what a user sees (the kind and today's code), not by their place in the table,
//! which shifts when a row is added. A correction that selects no row is refused at start.

use std::collections::BTreeMap;
use std::path::Path;

use org_handshake::provider::error_table::Override;
use org_handshake::provider::Provider;
use org_handshake::ErrorKind;
use serde::Deserialize;

use crate::error::FileFormatError;

/// One correction, as the file spells it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Correction {
    kind: ErrorKind,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    operation: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The corrections of every provider, read from an overrides file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    by_provider: BTreeMap<Provider, Vec<Override>>,
}

impl Overrides {
    /// Reads an overrides file's text (`path` names it in errors).
    ///
    /// # Errors
    ///
    /// [`FileFormatError::Json`] when it is not the format above;
    /// [`FileFormatError::NoSuchRow`] when a correction selects no row of its provider's table.
    pub fn parse(path: &Path, text: &str) -> Result<Self, FileFormatError> {
        let file: BTreeMap<Provider, Vec<Correction>> =
            serde_json::from_str(text).map_err(|source| FileFormatError::Json {
                path: path.to_owned(),
                what: "the overrides file",
                source,
            })?;
        let mut by_provider = BTreeMap::new();
        for (provider, corrections) in file {
            let table = provider.dialect().error_table();
            let mut fixes = Vec::new();
            for fix in corrections {
                let before = fixes.len();
                for row in table.iter().filter(|row| {
                    row.kind == fix.kind
                        && fix
                            .from
                            .as_deref()
                            .map_or(true, |code| row.code.gives(code))
                        && fix
                            .operation
                            .as_deref()
                            .map_or(true, |op| row.detail.operation == Some(op))
                }) {
                    let mut correction = Override::new(row.kind, row.detail);
                    correction.status = fix.status;
                    correction.code = fix.code.clone();
                    correction.message = fix.message.clone();
                    if !fixes.contains(&correction) {
                        fixes.push(correction);
                    }
                }
                if fixes.len() == before {
                    let mut with = String::new();
                    if let Some(code) = &fix.from {
                        with.push_str(&format!(" answering `{code}`"));
                    }
                    if let Some(operation) = &fix.operation {
                        with.push_str(&format!(" for operation `{operation}`"));
                    }
                    return Err(FileFormatError::NoSuchRow {
                        path: path.to_owned(),
                        provider,
                        kind: fix.kind.as_str().to_owned(),
                        with,
                    });
                }
            }
            by_provider.insert(provider, fixes);
        }
        Ok(Overrides { by_provider })
    }

    /// The corrections of `provider` (none when the file does not name it).
    pub fn of(&self, provider: Provider) -> &[Override] {
        self.by_provider.get(&provider).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_selects_rows_by_kind_and_todays_code() {
        let path = Path::new("o.json");
        let table = Provider::Aws.dialect().error_table();
        let row = table
            .iter()
            .find(|row| row.kind == ErrorKind::NotFound)
            .unwrap();
        let text = format!(
            r#"{{"aws": [{{"kind": "not_found", "from": "{}", "code": "Renamed", "status": 410}}]}}"#,
            row.code.as_str()
        );
        let overrides = Overrides::parse(path, &text).unwrap();
        let fixes = overrides.of(Provider::Aws);
        assert!(!fixes.is_empty());
        assert!(fixes.iter().all(|f| f.kind == ErrorKind::NotFound
            && f.code.as_deref() == Some("Renamed")
            && f.status == Some(410)));
        assert!(overrides.of(Provider::Huawei).is_empty());
    }

    #[test]
    fn a_correction_that_selects_no_row_or_a_bad_shape_is_refused() {
        let path = Path::new("o.json");
        let err = Overrides::parse(
            path,
            r#"{"aws": [{"kind": "not_found", "from": "NoSuchCode", "code": "X"}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("NoSuchCode"), "{err}");
        for bad in [
            r#"{"azure": []}"#,
            r#"{"aws": [{"kind": "no_such_kind"}]}"#,
            r#"{"aws": [{"kind": "not_found", "cde": "X"}]}"#,
        ] {
            assert!(matches!(
                Overrides::parse(path, bad),
                Err(FileFormatError::Json { .. })
            ));
        }
    }
}
