//! The worlds the server starts from: each provider's built-in default (its dialect's
//! [`Description::default_world`](org_handshake::provider::Description::default_world): the
//! organizations and accounts of the providers' documented examples, plus a few standalone
//! accounts), or a `--world FILE` that replaces any of them.

use org_handshake::ledger::World;
use org_handshake::provider::Provider;
use serde::Deserialize;

/// A `--world` file: each key, when present, replaces that provider's default world.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WorldFile {
    #[serde(default)]
    aws: Option<World>,
    #[serde(default)]
    huawei: Option<World>,
    #[serde(default)]
    alibaba: Option<World>,
}

impl WorldFile {
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("the world file is not valid: {e}"))
    }

    /// The world for `provider`: the file's, else the default.
    pub(crate) fn world(&self, provider: Provider) -> Result<World, String> {
        let given = match provider {
            Provider::Aws => &self.aws,
            Provider::Huawei => &self.huawei,
            Provider::Alibaba => &self.alibaba,
        };
        match given {
            Some(world) => Ok(world.clone()),
            None => default_world(provider),
        }
    }
}

/// The built-in world of `provider` (listed in the README): its dialect's.
pub(crate) fn default_world(provider: Provider) -> Result<World, String> {
    provider
        .dialect()
        .description()
        .default_world()
        .map_err(|e| format!("the built-in {provider} world: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_worlds_fit_their_providers_patterns_and_build() {
        for provider in Provider::values() {
            let world = default_world(*provider).unwrap();
            crate::state::service(*provider, &world).unwrap();
        }
    }

    #[test]
    fn another_providers_world_is_refused_naming_the_id() {
        let aws = default_world(Provider::Aws).unwrap();
        for provider in [Provider::Huawei, Provider::Alibaba] {
            let err = crate::state::service(provider, &aws).unwrap_err();
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
        assert_eq!(file.world(Provider::Aws), default_world(Provider::Aws));
        assert_eq!(file.world(Provider::Alibaba).unwrap().accounts.len(), 1);
        assert!(WorldFile::parse(r#"{"azure": {}}"#).is_err());
        assert!(WorldFile::parse(r#"{"aws": {"acounts": []}}"#).is_err());
    }
}
