//! The worlds the server starts from: a built-in default per provider (the organizations and
//! accounts of the documented examples in shared/seeds, plus a few standalone accounts), or a
//! `--world FILE` that replaces any of them.

use org_handshake::conformance::{World, WorldAccount, WorldOrganization};
use serde::Deserialize;

use org_handshake::provider::Provider;

use crate::core_api;

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
    pub(crate) fn world(&self, provider: Provider) -> World {
        let given = match provider {
            Provider::Aws => &self.aws,
            Provider::Huawei => &self.huawei,
            Provider::Alibaba => &self.alibaba,
        };
        given.clone().unwrap_or_else(|| default_world(provider))
    }
}

fn account(id: &str, name: &str, email: Option<&str>) -> WorldAccount {
    WorldAccount {
        id: id.into(),
        name: name.into(),
        email: email.map(Into::into),
    }
}

/// The built-in world of `provider` (listed in the README).
pub(crate) fn default_world(provider: Provider) -> World {
    match provider {
        // aws-boto3-accept-handshake: Bill's organization o-exampleorgid (all features),
        // management account 111111111111; Juan's standalone account 222222222222.
        Provider::Aws => World {
            organizations: vec![WorldOrganization {
                id: "o-exampleorgid".into(),
                management_account: account(
                    "111111111111",
                    "Org Master Account",
                    Some("bill@amazon.com"),
                ),
                feature_set: "ALL".into(),
                members: vec!["333333333333".into()],
            }],
            accounts: vec![
                account("333333333333", "anika", Some("anika@example.com")),
                account("222222222222", "juan", Some("juan@example.com")),
                account("444444444444", "mateo", Some("mateo@example.com")),
                account("555555555555", "li", Some("li@example.com")),
                account("666666666666", "sofia", Some("sofia@example.com")),
            ],
        },
        // huawei-accept-handshake: organization o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv of
        // management account 0a6d25d23900d45c0faac010e0fb4de0 (paas_iam_573331); the invited
        // account 05c734152f00d4200f2bc0179ac6c5e0.
        Provider::Huawei => World {
            organizations: vec![WorldOrganization {
                id: "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv".into(),
                management_account: account(
                    "0a6d25d23900d45c0faac010e0fb4de0",
                    "paas_iam_573331",
                    None,
                ),
                feature_set: "ALL".into(),
                members: vec![],
            }],
            accounts: vec![
                account("05c734152f00d4200f2bc0179ac6c5e0", "paas_iam_05c734", None),
                account("1b2c3d4e5f60718293a4b5c6d7e8f901", "paas_iam_1b2c3d", None),
                account("2c3d4e5f60718293a4b5c6d7e8f90a1b", "paas_iam_2c3d4e", None),
                account("3d4e5f60718293a4b5c6d7e8f90a1b2c", "paas_iam_3d4e5f", None),
            ],
        },
        // alibaba-accept-handshake: resource directory rd-3G**** of management account
        // 151266687691**** (CompanyA); the invited account 177242285274****. The documents mask
        // the last characters; the default world fills them in (rd-3G6rzX as in the core's own
        // example, the accounts with 0000).
        Provider::Alibaba => World {
            organizations: vec![WorldOrganization {
                id: "rd-3G6rzX".into(),
                management_account: account("1512666876910000", "CompanyA", None),
                feature_set: "ALL".into(),
                members: vec![],
            }],
            accounts: vec![
                account("1772422852740000", "CompanyB", None),
                account("1772422852740001", "CompanyC", None),
                account("1772422852740002", "CompanyD", None),
                account("1772422852740003", "CompanyE", None),
            ],
        },
    }
}

/// Every account and organization id of `world` that breaks the provider's pattern, as
/// messages. An account outside the pattern can exist, but no credential can name it as the
/// caller, so the server warns.
pub(crate) fn id_problems(provider: Provider, world: &World) -> Vec<String> {
    let mut problems = Vec::new();
    for org in &world.organizations {
        if !core_api::organization_id_fits(provider, &org.id) {
            problems.push(format!(
                "{provider}: organization `{}` is not a {provider} organization id",
                org.id
            ));
        }
    }
    let accounts = world
        .organizations
        .iter()
        .map(|o| o.management_account.id.as_str())
        .chain(
            world
                .organizations
                .iter()
                .flat_map(|o| o.members.iter().map(String::as_str)),
        )
        .chain(world.accounts.iter().map(|a| a.id.as_str()));
    for id in accounts {
        if provider.dialect().account_id(id).is_none() {
            problems.push(format!(
                "{provider}: account `{id}` is not a {provider} account id (no credential can name it)"
            ));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_worlds_fit_their_providers_patterns_and_build() {
        for provider in Provider::values() {
            let world = default_world(*provider);
            assert_eq!(id_problems(*provider, &world), Vec::<String>::new());
            crate::state::service(*provider, &world).unwrap();
        }
    }

    #[test]
    fn patterns_catch_another_providers_ids() {
        let aws = default_world(Provider::Aws);
        assert!(!id_problems(Provider::Alibaba, &aws).is_empty());
        assert!(!id_problems(Provider::Huawei, &aws).is_empty());
    }

    #[test]
    fn a_world_file_replaces_only_the_keys_it_has() {
        let file = WorldFile::parse(
            r#"{"alibaba": {"accounts": [{"id": "1234567890123456", "name": "x"}]}}"#,
        )
        .unwrap();
        assert_eq!(file.world(Provider::Aws), default_world(Provider::Aws));
        assert_eq!(file.world(Provider::Alibaba).accounts.len(), 1);
        assert!(WorldFile::parse(r#"{"azure": {}}"#).is_err());
    }
}
