//! Durations, limits and id patterns that differ by provider, gathered in one [`Profile`] per
//! provider, so that the semantics never ask *which* provider they serve.
//!
//! | | AWS | Huawei | Alibaba |
//! |---|---|---|---|
//! | INVITE valid for | 15 days | 14 days | 14 days |
//! | ENABLE_ALL_FEATURES (and its children) valid for | 90 days | – | – |
//! | retention after terminal | 30 days | 30 days | 30 days |
//! | invitations per rolling 24 h | 20 | 20 | – |
//! | handshake id after `h-` | 8–32 `[0-9a-z]` | 8–32 `[0-9a-z]` | 16 `[0-9A-Za-z]` |
//! | times carried to the | millisecond | second | second |
//!
//! ```
//! use org_handshake::{Action, Profile};
//!
//! assert_eq!(Profile::AWS.validity(Action::Invite)?, chrono::TimeDelta::days(15));
//! assert!(Profile::ALIBABA.validity(Action::EnableAllFeatures).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::{DateTime, DurationRound, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::error::InvalidHandshake;
pub use crate::id::ProfileName;
use crate::id::{AccountId, HandshakeId, IdError, IdKind, OrganizationId};
use crate::vocab::Action;

/// How long a terminal handshake stays visible (listed, found by id) before it is purged: 30
/// days with every provider.
pub const RETENTION: TimeDelta = TimeDelta::days(30);

/// `n` in decimal, left-padded with zeros to `width`: the body of an example id. Distinct `n`
/// give distinct bodies of the same width while `n` has at most `width` digits.
fn padded(n: u64, width: usize) -> String {
    format!("{n:0>width$}")
}

/// The shape a provider gives handshake ids, narrower than [`HandshakeId`]'s neutral rule.
///
/// ```
/// use org_handshake::HandshakeIdRule;
///
/// let rule = HandshakeIdRule { min_len: 16, max_len: 16, lowercase_only: false };
/// assert!(rule.check(&"h-Ih8IuPfvV0t0abcd".parse()?).is_ok());
/// assert!(rule.check(&"h-0123456789".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandshakeIdRule {
    /// Least number of characters after `h-`.
    pub min_len: usize,
    /// Greatest number of characters after `h-`.
    pub max_len: usize,
    /// Whether letters must be lower case.
    pub lowercase_only: bool,
}

impl HandshakeIdRule {
    /// Checks an id against the rule.
    ///
    /// # Errors
    ///
    /// [`IdError::Length`] or [`IdError::InvalidCharacter`] naming the mismatch.
    pub fn check(&self, id: &HandshakeId) -> Result<(), IdError> {
        self.check_text(id.as_str())
    }

    /// The `n`th example id of the rule, for fixtures and fuzz targets that must make valid
    /// ids of any provider without knowing which: `h-` and `n` in decimal, zero-padded to the
    /// shortest length both this rule and [`HandshakeId`] allow. Distinct `n` give distinct
    /// ids; `None` when `n` does not fit, or when no id satisfies both rules.
    ///
    /// ```
    /// use org_handshake::Profile;
    /// assert_eq!(Profile::AWS.handshake_id.example(7).map(|id| id.to_string()), Some("h-00000007".into()));
    /// assert_eq!(Profile::ALIBABA.handshake_id.example(7).map(|id| id.to_string()), Some("h-0000000000000007".into()));
    /// assert_eq!(Profile::ALIBABA.handshake_id.example(10_u64.pow(16)), None); // 17 digits
    /// ```
    pub fn example(&self, n: u64) -> Option<HandshakeId> {
        let width = self.min_len.max(HandshakeId::MIN_LEN);
        let id =
            HandshakeId::parse(&format!("{}{}", HandshakeId::PREFIX, padded(n, width))).ok()?;
        self.check(&id).is_ok().then_some(id)
    }

    /// [`check`](Self::check) on the text of a handshake id.
    fn check_text(&self, value: &str) -> Result<(), IdError> {
        let body = &value[HandshakeId::PREFIX.len()..];
        if self.lowercase_only {
            // A handshake id is ASCII: a byte's index is its character's.
            if let Some((index, byte)) = body
                .bytes()
                .enumerate()
                .find(|(_, b)| b.is_ascii_uppercase())
            {
                return Err(IdError::InvalidCharacter {
                    kind: IdKind::HandshakeId,
                    value: value.to_owned(),
                    index: index + HandshakeId::PREFIX.len(),
                    character: char::from(byte),
                });
            }
        }
        if body.len() < self.min_len || body.len() > self.max_len {
            return Err(IdError::Length {
                kind: IdKind::HandshakeId,
                value: value.to_owned(),
                prefixed: true,
                length: body.len(),
                min: self.min_len,
                max: self.max_len,
            });
        }
        Ok(())
    }
}

/// The shape of the organization ids a provider gives new organizations: a prefix and a number
/// of letters or digits after it. Only ids a ledger draws for a new organization are checked
/// against it (a world may hold any valid [`OrganizationId`]); a generator
/// ([`SeededIds`](crate::SeededIds)) makes them `min_len` long.
///
/// | provider | shape | seen in |
/// |---|---|---|
/// | AWS | `o-` + 10 to 32 lower-case letters or digits (made: 10) | the Organizations model's `^o-[a-z0-9]{10,32}$`; AWS's own ids have 10 |
/// | Huawei | `o-` + 32 lower-case letters or digits | every Huawei API reference example (`o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv`) |
/// | Alibaba | `rd-` + 6 to 32 letters or digits, either case (made: 6) | the Resource Directory examples (`rd-3G6rzX`, `rd-k4****`) |
///
/// ```
/// use org_handshake::{OrganizationId, OrganizationIdRule};
/// assert!(OrganizationIdRule::AWS.check(&OrganizationId::parse("o-a1b2c3d4e5")?).is_ok());
/// assert!(OrganizationIdRule::AWS.check(&OrganizationId::parse("o-exampleorgid")?).is_ok());
/// assert!(OrganizationIdRule::HUAWEI.check(&OrganizationId::parse("o-exampleorgid")?).is_err());
/// assert!(OrganizationIdRule::ALIBABA.check(&OrganizationId::parse("o-a1b2c3d4e5")?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationIdRule {
    /// `true` for `rd-` (a resource directory), `false` for `o-`.
    pub resource_directory: bool,
    /// The fewest characters after the prefix (and how many a generator makes).
    pub min_len: usize,
    /// The most characters after the prefix.
    pub max_len: usize,
    /// Whether letters must be lower case.
    pub lowercase_only: bool,
}

impl OrganizationIdRule {
    /// AWS: `o-` and 10 to 32 lower-case letters or digits.
    pub const AWS: OrganizationIdRule = OrganizationIdRule {
        resource_directory: false,
        min_len: 10,
        max_len: 32,
        lowercase_only: true,
    };
    /// Huawei: `o-` and 32 lower-case letters or digits.
    pub const HUAWEI: OrganizationIdRule = OrganizationIdRule {
        resource_directory: false,
        min_len: 32,
        max_len: 32,
        lowercase_only: true,
    };
    /// Alibaba: `rd-` and 6 to 32 letters or digits of either case.
    pub const ALIBABA: OrganizationIdRule = OrganizationIdRule {
        resource_directory: true,
        min_len: 6,
        max_len: 32,
        lowercase_only: false,
    };

    /// The `n`th example id of the rule, for fixtures and fuzz targets that must make valid
    /// organization ids of any provider without knowing which: the prefix and `n` in decimal,
    /// zero-padded to the rule's shortest length. Distinct `n` give distinct ids; `None` when
    /// `n` does not fit, or when no id satisfies both this rule and [`OrganizationId`]'s.
    ///
    /// ```
    /// use org_handshake::OrganizationIdRule;
    /// assert_eq!(OrganizationIdRule::AWS.example(2).map(|id| id.to_string()), Some("o-0000000002".into()));
    /// assert_eq!(OrganizationIdRule::ALIBABA.example(2).map(|id| id.to_string()), Some("rd-000002".into()));
    /// ```
    pub fn example(&self, n: u64) -> Option<OrganizationId> {
        let text = format!("{}{}", self.prefix(), padded(n, self.min_len));
        let id = OrganizationId::parse(&text).ok()?;
        self.check(&id).is_ok().then_some(id)
    }

    /// The prefix: `o-` or `rd-`.
    pub const fn prefix(&self) -> &'static str {
        if self.resource_directory {
            "rd-"
        } else {
            "o-"
        }
    }

    /// Checks an id against the rule.
    ///
    /// # Errors
    ///
    /// [`IdError::MissingPrefix`], [`IdError::Length`] or [`IdError::InvalidCharacter`]
    /// naming the mismatch.
    pub fn check(&self, id: &OrganizationId) -> Result<(), IdError> {
        let kind = IdKind::OrganizationId;
        let value = id.as_str();
        let Some(body) = value.strip_prefix(self.prefix()) else {
            return Err(IdError::MissingPrefix {
                kind,
                value: value.to_owned(),
                expected: if self.resource_directory {
                    "`rd-`"
                } else {
                    "`o-`"
                },
            });
        };
        if self.lowercase_only {
            if let Some((index, byte)) = body
                .bytes()
                .enumerate()
                .find(|(_, b)| b.is_ascii_uppercase())
            {
                return Err(IdError::InvalidCharacter {
                    kind,
                    value: value.to_owned(),
                    index: index + self.prefix().len(),
                    character: char::from(byte),
                });
            }
        }
        if body.len() < self.min_len || body.len() > self.max_len {
            return Err(IdError::Length {
                kind,
                value: value.to_owned(),
                prefixed: true,
                length: body.len(),
                min: self.min_len,
                max: self.max_len,
            });
        }
        Ok(())
    }
}

/// The characters of a provider's account ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccountIdCharacters {
    /// ASCII digits (AWS, Alibaba).
    Digits,
    /// ASCII digits and the letters `a` to `f` (a Huawei domain id).
    LowercaseHex,
    /// ASCII letters and digits: [`AccountId`]'s neutral rule.
    Alphanumeric,
}

/// The shape a provider gives account ids, narrower than [`AccountId`]'s neutral rule: what
/// [`Ledger::add_account`](crate::ledger::Ledger::add_account) holds a new account to.
///
/// ```
/// use org_handshake::{AccountIdRule, Profile};
///
/// assert!(Profile::AWS.account_id.check(&"111111111111".parse()?).is_ok());
/// let err = Profile::AWS.account_id.check(&"1234567890123456".parse()?).unwrap_err();
/// assert_eq!(err.to_string(), "account id `1234567890123456` has 16 characters, expected exactly 12");
/// assert!(AccountIdRule::NEUTRAL.check(&"0a6d25d23900d45c0faac010e0fb4de0".parse()?).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountIdRule {
    /// Least number of characters.
    pub min_len: usize,
    /// Greatest number of characters.
    pub max_len: usize,
    /// Which characters.
    pub characters: AccountIdCharacters,
}

impl AccountIdRule {
    /// [`AccountId`]'s own rule (1 to 64 ASCII letters or digits): every account id passes.
    /// A custom profile saved before profiles had an account id rule is read with this one.
    pub const NEUTRAL: AccountIdRule = AccountIdRule {
        min_len: 1,
        max_len: AccountId::MAX_LEN,
        characters: AccountIdCharacters::Alphanumeric,
    };

    /// The `n`th example id of the rule, for fixtures and fuzz targets that must make valid
    /// account ids of any provider without knowing which: `n` in decimal (digits are in every
    /// rule's characters), zero-padded to the rule's shortest length (at least one). Distinct
    /// `n` give distinct ids; `None` when `n` does not fit, or when no id satisfies both this
    /// rule and [`AccountId`]'s.
    ///
    /// ```
    /// use org_handshake::Profile;
    /// assert_eq!(Profile::AWS.account_id.example(42).map(|id| id.to_string()), Some("000000000042".into()));
    /// assert!(Profile::HUAWEI.account_id.example(42).is_some_and(|id| id.as_str().len() == 32));
    /// assert_eq!(Profile::AWS.account_id.example(10_u64.pow(12)), None);
    /// ```
    pub fn example(&self, n: u64) -> Option<AccountId> {
        let id = AccountId::parse(&padded(n, self.min_len.max(1))).ok()?;
        self.check(&id).is_ok().then_some(id)
    }

    /// Checks an account id against the rule.
    ///
    /// # Errors
    ///
    /// [`IdError::InvalidCharacter`] or [`IdError::Length`] naming the mismatch.
    pub fn check(&self, id: &AccountId) -> Result<(), IdError> {
        let value = id.as_str();
        let allowed = |b: u8| match self.characters {
            AccountIdCharacters::Digits => b.is_ascii_digit(),
            AccountIdCharacters::LowercaseHex => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
            AccountIdCharacters::Alphanumeric => b.is_ascii_alphanumeric(),
        };
        // An account id is ASCII: a byte's index is its character's.
        if let Some((index, byte)) = value.bytes().enumerate().find(|(_, b)| !allowed(*b)) {
            return Err(IdError::InvalidCharacter {
                kind: IdKind::AccountId,
                value: value.to_owned(),
                index,
                character: char::from(byte),
            });
        }
        if value.len() < self.min_len || value.len() > self.max_len {
            return Err(IdError::Length {
                kind: IdKind::AccountId,
                value: value.to_owned(),
                prefixed: false,
                length: value.len(),
                min: self.min_len,
                max: self.max_len,
            });
        }
        Ok(())
    }
}

fn neutral_account_id_rule() -> AccountIdRule {
    AccountIdRule::NEUTRAL
}

/// One provider's durations, limits and id rules.
///
/// The three providers' profiles are constants; an embedder may build its own (a test with a
/// short validity, say).
///
/// A profile serializes as its name when it is one of the three providers' (`"aws"`), and as
/// every field otherwise, durations as whole seconds plus nanoseconds, so that a custom
/// profile is restored exactly.
///
/// ```
/// use org_handshake::{Profile, ProfileName};
/// assert_eq!(Profile::HUAWEI.daily_invitation_quota, Some(20));
/// assert_eq!(Profile::ALIBABA.daily_invitation_quota, None);
///
/// assert_eq!(serde_json::to_string(&Profile::AWS)?, r#""aws""#);
/// let short = Profile { name: ProfileName::from_static("short"), invite_validity: chrono::TimeDelta::hours(1), ..Profile::AWS };
/// let json = serde_json::to_string(&short)?;
/// assert_eq!(serde_json::from_str::<Profile>(&json)?, short);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Profile {
    /// The provider's name, as errors show it.
    pub name: ProfileName,
    /// How long an INVITE is valid.
    pub invite_validity: TimeDelta,
    /// How long an ENABLE_ALL_FEATURES parent and its children are valid; `None` when the
    /// provider has no such flow.
    pub enable_all_features_validity: Option<TimeDelta>,
    /// How long other handshakes (service-linked role, responsibility transfer) are valid;
    /// `None` when the provider has none.
    pub other_validity: Option<TimeDelta>,
    /// How many invitations may be created in any 24 hours; `None` for no documented limit.
    pub daily_invitation_quota: Option<u32>,
    /// The provider's handshake id shape.
    pub handshake_id: HandshakeIdRule,
    /// The provider's account id shape.
    pub account_id: AccountIdRule,
    /// The shape of the organization ids the provider gives a new organization.
    pub organization_id: OrganizationIdRule,
    /// The finest step of time the provider's wire format carries: its renderer truncates a
    /// time to a whole number of these, so a handshake survives the provider's JSON only at
    /// this precision ([`truncate_time`](Self::truncate_time)). AWS a millisecond (epoch
    /// seconds with a fraction), Huawei and Alibaba a second (`YYYY-MM-DDTHH:MM:SSZ`); a custom
    /// profile saved before profiles had one is read with a nanosecond, the neutral model's.
    pub time_precision: TimeDelta,
}

impl Profile {
    /// AWS Organizations: invitations 15 days, enable-all-features 90 days, 20 invitations a day,
    /// ids `^h-[0-9a-z]{8,32}$`, accounts 12 digits.
    ///
    /// AWS documents no validity for ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE and
    /// TRANSFER_RESPONSIBILITY handshakes; this profile gives them an invitation's 15 days.
    pub const AWS: Profile = Profile {
        name: ProfileName::from_static("aws"),
        invite_validity: TimeDelta::days(15),
        enable_all_features_validity: Some(TimeDelta::days(90)),
        other_validity: Some(TimeDelta::days(15)),
        daily_invitation_quota: Some(20),
        handshake_id: HandshakeIdRule {
            min_len: 8,
            max_len: 32,
            lowercase_only: true,
        },
        account_id: AccountIdRule {
            min_len: 12,
            max_len: 12,
            characters: AccountIdCharacters::Digits,
        },
        organization_id: OrganizationIdRule::AWS,
        time_precision: TimeDelta::milliseconds(1),
    };

    /// Huawei Cloud Organizations: invitations only, 14 days, 20 a day, ids
    /// `^h-[0-9a-z]{8,32}$`, accounts (domains) 32 lower-case hexadecimal digits.
    pub const HUAWEI: Profile = Profile {
        name: ProfileName::from_static("huawei"),
        invite_validity: TimeDelta::days(14),
        enable_all_features_validity: None,
        other_validity: None,
        daily_invitation_quota: Some(20),
        handshake_id: HandshakeIdRule {
            min_len: 8,
            max_len: 32,
            lowercase_only: true,
        },
        account_id: AccountIdRule {
            min_len: 32,
            max_len: 32,
            characters: AccountIdCharacters::LowercaseHex,
        },
        organization_id: OrganizationIdRule::HUAWEI,
        time_precision: TimeDelta::seconds(1),
    };

    /// Alibaba Cloud Resource Directory: invitations only, 14 days, no documented daily limit,
    /// ids `h-` + 16 letters or digits (either case), accounts 16 digits.
    pub const ALIBABA: Profile = Profile {
        name: ProfileName::from_static("alibaba"),
        invite_validity: TimeDelta::days(14),
        enable_all_features_validity: None,
        other_validity: None,
        daily_invitation_quota: None,
        handshake_id: HandshakeIdRule {
            min_len: 16,
            max_len: 16,
            lowercase_only: false,
        },
        account_id: AccountIdRule {
            min_len: 16,
            max_len: 16,
            characters: AccountIdCharacters::Digits,
        },
        organization_id: OrganizationIdRule::ALIBABA,
        time_precision: TimeDelta::seconds(1),
    };

    /// How long a handshake with `action` is valid.
    ///
    /// # Errors
    ///
    /// [`InvalidHandshake::UnsupportedAction`] when the provider has no such handshakes.
    ///
    /// ```
    /// use org_handshake::{Action, Profile};
    /// assert_eq!(Profile::AWS.validity(Action::ApproveAllFeatures)?, chrono::TimeDelta::days(90));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validity(&self, action: Action) -> Result<TimeDelta, InvalidHandshake> {
        let validity = match action {
            Action::Invite => Some(self.invite_validity),
            Action::EnableAllFeatures | Action::ApproveAllFeatures => {
                self.enable_all_features_validity
            }
            Action::AddOrganizationsServiceLinkedRole | Action::TransferResponsibility => {
                self.other_validity
            }
        };
        validity.ok_or(InvalidHandshake::UnsupportedAction {
            provider: self.name,
            action,
        })
    }

    /// `at` as the provider's wire format carries it: truncated to a whole number of
    /// [`time_precision`](Self::time_precision) steps (the fraction of a leap second is dropped,
    /// as a second's is). A precision of zero or less, or too long to count in nanoseconds
    /// (about 292 years), leaves `at` as it is.
    ///
    /// ```
    /// use org_handshake::Profile;
    /// let at: chrono::DateTime<chrono::Utc> = "2016-12-13T19:14:19.257891Z".parse()?;
    /// assert_eq!(Profile::AWS.truncate_time(at), "2016-12-13T19:14:19.257Z".parse::<chrono::DateTime<chrono::Utc>>()?);
    /// assert_eq!(Profile::HUAWEI.truncate_time(at), "2016-12-13T19:14:19Z".parse::<chrono::DateTime<chrono::Utc>>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn truncate_time(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        const NANOS_PER_SECOND: i64 = 1_000_000_000;
        let Some(step) = self
            .time_precision
            .num_nanoseconds()
            .filter(|step| *step > 0)
        else {
            return at;
        };
        // Below 1 000 000 000 even within a leap second, whose extra second is dropped; so a
        // step of a second or more keeps none of it.
        let nanos = i64::from(at.nanosecond()) % NANOS_PER_SECOND;
        let kept = nanos - nanos % step;
        // `kept` is below a second, so `with_nanosecond` takes it.
        let within = at
            .with_nanosecond(u32::try_from(kept).unwrap_or(0))
            .unwrap_or(at);
        if step <= NANOS_PER_SECOND {
            within
        } else {
            within.duration_trunc(self.time_precision).unwrap_or(within)
        }
    }

    /// Checks a handshake id against the provider's narrower pattern.
    ///
    /// # Errors
    ///
    /// [`IdError`] naming the mismatch.
    ///
    /// ```
    /// use org_handshake::Profile;
    /// assert!(Profile::AWS.check_handshake_id(&"h-0123456789ABCDEF".parse()?).is_err());
    /// assert!(Profile::ALIBABA.check_handshake_id(&"h-0123456789ABCDEF".parse()?).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_handshake_id(&self, id: &HandshakeId) -> Result<(), IdError> {
        self.handshake_id.check(id)
    }

    /// Parses a handshake id under the neutral rule, then the provider's.
    ///
    /// # Errors
    ///
    /// [`IdError`] naming the first mismatch.
    ///
    /// ```
    /// use org_handshake::Profile;
    /// assert!(Profile::HUAWEI.parse_handshake_id("h-awjp43m7bz3b8jgy5v61jrfwakt3og8w").is_ok());
    /// assert!(Profile::HUAWEI.parse_handshake_id("h-Awjp43m7").is_err());
    /// ```
    pub fn parse_handshake_id(&self, value: &str) -> Result<HandshakeId, IdError> {
        let id = HandshakeId::parse(value)?;
        // The text the id was made of, which `id.as_str()` would check for UTF-8 again.
        self.handshake_id.check_text(value)?;
        Ok(id)
    }
}

/// A duration as it is serialized: whole seconds (rounded down) and the nanoseconds after them.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Seconds {
    seconds: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    nanoseconds: u32,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

impl From<TimeDelta> for Seconds {
    fn from(delta: TimeDelta) -> Self {
        let (mut seconds, mut nanos) = (delta.num_seconds(), delta.subsec_nanos());
        if nanos < 0 {
            seconds -= 1;
            nanos += 1_000_000_000;
        }
        Seconds {
            seconds,
            nanoseconds: nanos.unsigned_abs(),
        }
    }
}

impl TryFrom<Seconds> for TimeDelta {
    type Error = String;
    fn try_from(s: Seconds) -> Result<Self, String> {
        TimeDelta::new(s.seconds, s.nanoseconds).ok_or_else(|| {
            format!(
                "{} seconds and {} nanoseconds is not a duration chrono can hold",
                s.seconds, s.nanoseconds
            )
        })
    }
}

/// Every field of a custom [`Profile`], as it is serialized.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFields {
    name: ProfileName,
    invite_validity: Seconds,
    enable_all_features_validity: Option<Seconds>,
    other_validity: Option<Seconds>,
    daily_invitation_quota: Option<u32>,
    handshake_id: HandshakeIdRule,
    #[serde(default = "neutral_account_id_rule")]
    account_id: AccountIdRule,
    // Custom profiles saved before organizations could be created have none: AWS's.
    #[serde(default = "aws_organization_ids")]
    organization_id: OrganizationIdRule,
    // Custom profiles saved before profiles had a time precision: the neutral model's
    // nanosecond, which is also left out when written, so that their text is unchanged.
    #[serde(default = "one_nanosecond", skip_serializing_if = "is_one_nanosecond")]
    time_precision: Seconds,
}

fn one_nanosecond() -> Seconds {
    Seconds {
        seconds: 0,
        nanoseconds: 1,
    }
}

fn is_one_nanosecond(precision: &Seconds) -> bool {
    precision.seconds == 0 && precision.nanoseconds == 1
}

fn aws_organization_ids() -> OrganizationIdRule {
    OrganizationIdRule::AWS
}

/// The providers' own profiles, which serialize as their names.
const BUILT_IN: [Profile; 3] = [Profile::AWS, Profile::HUAWEI, Profile::ALIBABA];

impl Profile {
    /// Whether this is one of the providers' own profiles (which serialize as their names).
    pub(crate) fn is_built_in(&self) -> bool {
        BUILT_IN.contains(self)
    }
}

impl Serialize for Profile {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_built_in() {
            return self.name.serialize(serializer);
        }
        ProfileFields {
            name: self.name,
            invite_validity: self.invite_validity.into(),
            enable_all_features_validity: self.enable_all_features_validity.map(Seconds::from),
            other_validity: self.other_validity.map(Seconds::from),
            daily_invitation_quota: self.daily_invitation_quota,
            handshake_id: self.handshake_id,
            account_id: self.account_id,
            organization_id: self.organization_id,
            time_precision: self.time_precision.into(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ProfileVisitor)
    }
}

/// Reads a profile's name (a provider's own profile) or its fields (a custom one), each with
/// its own error.
struct ProfileVisitor;

impl<'de> serde::de::Visitor<'de> for ProfileVisitor {
    type Value = Profile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`aws`, `huawei`, `alibaba`, or every field of a custom profile")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Profile, E> {
        BUILT_IN
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                E::custom(format!(
                    "unknown profile `{}`: expected one of `aws`, `huawei`, `alibaba`, or every \
                     field of a custom profile",
                    name.chars().take(64).collect::<String>()
                ))
            })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Profile, A::Error> {
        use serde::de::Error;
        let fields = ProfileFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        let duration = |s: Seconds| TimeDelta::try_from(s).map_err(A::Error::custom);
        Ok(Profile {
            name: fields.name,
            invite_validity: duration(fields.invite_validity)?,
            enable_all_features_validity: fields
                .enable_all_features_validity
                .map(duration)
                .transpose()?,
            other_validity: fields.other_validity.map(duration).transpose()?,
            daily_invitation_quota: fields.daily_invitation_quota,
            handshake_id: fields.handshake_id,
            account_id: fields.account_id,
            organization_id: fields.organization_id,
            time_precision: duration(fields.time_precision)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    fn with_precision(time_precision: TimeDelta) -> Profile {
        Profile {
            name: ProfileName::from_static("custom"),
            time_precision,
            ..Profile::AWS
        }
    }

    /// Every built-in profile makes many distinct examples of each id its rules accept, and
    /// none where the rules leave no room.
    #[test]
    fn examples_are_distinct_and_valid_or_none() {
        for profile in BUILT_IN {
            let accounts: Vec<_> = (0..100)
                .filter_map(|n| profile.account_id.example(n))
                .collect();
            let orgs: Vec<_> = (0..100)
                .filter_map(|n| profile.organization_id.example(n))
                .collect();
            let handshakes: Vec<_> = (0..100)
                .filter_map(|n| profile.handshake_id.example(n))
                .collect();
            assert_eq!(
                (accounts.len(), orgs.len(), handshakes.len()),
                (100, 100, 100),
                "{}",
                profile.name
            );
            let distinct =
                |ids: Vec<String>| ids.iter().collect::<std::collections::BTreeSet<_>>().len();
            assert_eq!(
                distinct(accounts.iter().map(|id| id.to_string()).collect()),
                100
            );
            assert_eq!(
                distinct(orgs.iter().map(|id| id.to_string()).collect()),
                100
            );
            assert_eq!(
                distinct(handshakes.iter().map(|id| id.to_string()).collect()),
                100
            );
            assert!(accounts
                .iter()
                .all(|id| profile.account_id.check(id).is_ok()));
            assert!(orgs
                .iter()
                .all(|id| profile.organization_id.check(id).is_ok()));
            assert!(handshakes
                .iter()
                .all(|id| profile.check_handshake_id(id).is_ok()));
        }
        let none = AccountIdRule {
            min_len: 3,
            max_len: 2,
            characters: AccountIdCharacters::Digits,
        };
        assert_eq!(none.example(0), None);
        let long = HandshakeIdRule {
            min_len: 40,
            max_len: 50,
            lowercase_only: true,
        };
        assert_eq!(long.example(0), None);
        let short = OrganizationIdRule {
            min_len: 2,
            ..OrganizationIdRule::AWS
        };
        // `o-` + 2 is below the neutral 10.
        assert_eq!(short.example(0), None);
        // Wider than the shortest length, and still within the rule: longer, still distinct.
        assert_eq!(
            OrganizationIdRule::ALIBABA
                .example(1_000_000)
                .map(|id| id.to_string()),
            Some("rd-1000000".to_owned())
        );
        assert_eq!(
            Profile::HUAWEI
                .organization_id
                .example(u64::MAX)
                .map(|id| id.as_str().len()),
            Some(34)
        );
    }

    #[test]
    fn truncates_to_steps_within_a_second_and_to_coarser_steps() {
        let t = at("2026-01-05T10:17:42.987654321Z");
        let cases = [
            (TimeDelta::nanoseconds(1), "2026-01-05T10:17:42.987654321Z"),
            (TimeDelta::milliseconds(250), "2026-01-05T10:17:42.750Z"),
            (TimeDelta::seconds(1), "2026-01-05T10:17:42Z"),
            (TimeDelta::minutes(15), "2026-01-05T10:15:00Z"),
            // No step: nothing to truncate to.
            (TimeDelta::zero(), "2026-01-05T10:17:42.987654321Z"),
            (TimeDelta::seconds(-1), "2026-01-05T10:17:42.987654321Z"),
        ];
        for (precision, expected) in cases {
            assert_eq!(
                with_precision(precision).truncate_time(t),
                at(expected),
                "{precision}"
            );
        }
    }

    #[test]
    fn drops_a_leap_seconds_fraction_as_a_seconds() {
        let leap = at("2016-12-31T23:59:59Z")
            .with_nanosecond(1_500_000_000)
            .unwrap_or_default();
        assert_eq!(
            Profile::AWS.truncate_time(leap),
            at("2016-12-31T23:59:59.500Z")
        );
        assert_eq!(
            Profile::HUAWEI.truncate_time(leap),
            at("2016-12-31T23:59:59Z")
        );
    }

    #[test]
    fn a_custom_precision_round_trips_and_an_old_profile_reads_a_nanosecond() {
        let custom = with_precision(TimeDelta::milliseconds(10));
        let json = serde_json::to_value(custom).unwrap_or_default();
        assert_eq!(
            json["time_precision"],
            serde_json::json!({"seconds": 0, "nanoseconds": 10_000_000})
        );
        assert_eq!(serde_json::from_value::<Profile>(json).ok(), Some(custom));

        let neutral = with_precision(TimeDelta::nanoseconds(1));
        let mut json = serde_json::to_value(neutral).unwrap_or_default();
        assert_eq!(json.get("time_precision"), None, "left out, as before");
        if let Some(map) = json.as_object_mut() {
            map.remove("time_precision");
        }
        assert_eq!(serde_json::from_value::<Profile>(json).ok(), Some(neutral));
    }
}
