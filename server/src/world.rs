//! The worlds the server starts from: a built-in default per provider (the organizations and
//! accounts of the providers' documented examples, plus a few standalone accounts), or a
//! `--world FILE` that replaces any of them.

use std::collections::BTreeMap;

use org_handshake::ledger::World;
use org_handshake::provider::Provider;
use serde::Deserialize;

use crate::error::StartError;

/// A `--world` file: a JSON object whose keys are provider names (`aws`, `huawei`, `alibaba`);
/// each key, when present, replaces that provider's default world.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct WorldFile {
    worlds: BTreeMap<Provider, World>,
}

impl WorldFile {
    /// Parses a `--world` file's text.
    ///
    /// # Errors
    ///
    /// The JSON reader's error: not an object, a key that is not a provider, a world that is
    /// not in the conformance format.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The world for `provider`: the file's, else the default.
    ///
    /// # Errors
    ///
    /// [`StartError::BuiltinWorld`] when the built-in world does not parse.
    pub fn world(&self, provider: Provider) -> Result<World, StartError> {
        match self.worlds.get(&provider) {
            Some(world) => Ok(world.clone()),
            None => default_world(provider),
        }
    }
}

/// The built-in world of `provider` (listed in the README), in the conformance format.
fn default_world_json(provider: Provider) -> &'static str {
    match provider {
        // aws-boto3-accept-handshake: Bill's organization o-exampleorgid (all features),
        // management account 111111111111; Juan's standalone account 222222222222.
        Provider::Aws => {
            r#"{
            "organizations": [{
                "id": "o-exampleorgid", "feature_set": "ALL",
                "management_account": {"id": "111111111111", "name": "Org Master Account", "email": "bill@amazon.com"},
                "members": ["333333333333"]
            }],
            "accounts": [
                {"id": "333333333333", "name": "anika", "email": "anika@example.com"},
                {"id": "222222222222", "name": "juan", "email": "juan@example.com"},
                {"id": "444444444444", "name": "mateo", "email": "mateo@example.com"},
                {"id": "555555555555", "name": "li", "email": "li@example.com"},
                {"id": "666666666666", "name": "sofia", "email": "sofia@example.com"}
            ]
        }"#
        }
        // huawei-accept-handshake: organization o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv of
        // management account 0a6d25d23900d45c0faac010e0fb4de0 (paas_iam_573331); the invited
        // account 05c734152f00d4200f2bc0179ac6c5e0.
        Provider::Huawei => {
            r#"{
            "organizations": [{
                "id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv", "feature_set": "ALL",
                "management_account": {"id": "0a6d25d23900d45c0faac010e0fb4de0", "name": "paas_iam_573331"}
            }],
            "accounts": [
                {"id": "05c734152f00d4200f2bc0179ac6c5e0", "name": "paas_iam_05c734"},
                {"id": "1b2c3d4e5f60718293a4b5c6d7e8f901", "name": "paas_iam_1b2c3d"},
                {"id": "2c3d4e5f60718293a4b5c6d7e8f90a1b", "name": "paas_iam_2c3d4e"},
                {"id": "3d4e5f60718293a4b5c6d7e8f90a1b2c", "name": "paas_iam_3d4e5f"}
            ]
        }"#
        }
        // alibaba-accept-handshake: resource directory rd-3G**** of management account
        // 151266687691**** (CompanyA); the invited account 177242285274****. The documents mask
        // the last characters; the default world fills them in (rd-3G6rzX as in the core's own
        // example, the accounts with 0000).
        Provider::Alibaba => {
            r#"{
            "organizations": [{
                "id": "rd-3G6rzX", "feature_set": "ALL",
                "management_account": {"id": "1512666876910000", "name": "CompanyA"}
            }],
            "accounts": [
                {"id": "1772422852740000", "name": "CompanyB"},
                {"id": "1772422852740001", "name": "CompanyC"},
                {"id": "1772422852740002", "name": "CompanyD"},
                {"id": "1772422852740003", "name": "CompanyE"}
            ]
        }"#
        }
    }
}

/// The built-in world of `provider` (listed in the README).
pub(crate) fn default_world(provider: Provider) -> Result<World, StartError> {
    serde_json::from_str(default_world_json(provider))
        .map_err(|source| StartError::BuiltinWorld { provider, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_worlds_fit_their_providers_patterns_and_build() {
        for provider in Provider::values() {
            let world = default_world(*provider).unwrap();
            crate::state::service(*provider, &world, &[]).unwrap();
        }
    }

    #[test]
    fn another_providers_world_is_refused_naming_the_id() {
        let aws = default_world(Provider::Aws).unwrap();
        for provider in [Provider::Huawei, Provider::Alibaba] {
            let err = crate::state::service(provider, &aws, &[])
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("o-exampleorgid") || err.contains("111111111111"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_world_file_replaces_only_the_keys_it_has() {
        let file = WorldFile::parse(
            r#"{"alibaba": {"accounts": [{"id": "1234567890123456", "name": "x"}]}}"#,
        )
        .unwrap();
        assert_eq!(
            file.world(Provider::Aws).unwrap(),
            default_world(Provider::Aws).unwrap()
        );
        assert_eq!(file.world(Provider::Alibaba).unwrap().accounts.len(), 1);
        assert!(WorldFile::parse(r#"{"azure": {}}"#).is_err());
        assert!(WorldFile::parse(r#"{"aws": {"acounts": []}}"#).is_err());
    }
}
