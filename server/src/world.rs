//! The worlds the server starts from: each provider's built-in default (its dialect's
//! [`Description::default_world`](org_handshake::provider::Description::default_world): the
//! organizations and accounts of the providers' documented examples, plus a few standalone
//! accounts), or a `--world FILE` that replaces any of them.

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

/// The built-in world of `provider` (listed in the README): its dialect's.
pub(crate) fn default_world(provider: Provider) -> Result<World, StartError> {
    provider
        .dialect()
        .description()
        .default_world()
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
