//! The conformance corpus on disk: `tests/conformance/<provider>/*.json`, one folder per
//! [`Provider::values`] entry, so a new provider's vectors are picked up, not forgotten.

use std::path::{Path, PathBuf};

use org_handshake::provider::Provider;

/// `tests/conformance/`.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// The vector files of the provider named `name` (none when it has no folder), sorted.
pub fn files_of(name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir().join(name)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every vector file of every provider, sorted.
pub fn files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Provider::values()
        .iter()
        .flat_map(|provider| files_of(provider.as_str()))
        .collect();
    files.sort();
    files
}
