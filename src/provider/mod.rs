//! Provider shapes: each provider's own JSON for handshakes, operation responses and errors,
//! converted to and from the neutral model, and the one driver that answers a provider's calls.
//!
//! - [`Service`] runs any provider over a [`Ledger`](crate::ledger::Ledger): it takes a
//!   [`Call`] (operation, caller, `now`, the request in the provider's shape) and answers with
//!   a [`Reply`] (HTTP status, JSON body, headers) as the provider does; it also routes an
//!   [`HttpRequest`] to a call.
//! - A [`Dialect`] is what differs between providers (a [`Description`] `const` of what the
//!   provider is, and its parsing, rendering and routing); each provider module (`aws`,
//!   `huawei`, `alibaba`) owns its dialect, wire types and error table.
//! - [`Provider`] is the registry of the built-in dialects; nothing else here knows one
//!   provider from another. A [`WireError`] is JSON that does not describe a handshake.

pub mod alibaba;
pub mod aws;
pub(crate) mod call;
mod dialect;
pub mod error_table;
mod field;
pub mod huawei;
mod service;
mod snapshot;
mod text;
mod time;

pub use call::{Call, CallError, Reply};
pub use dialect::{
    Description, Dialect, ErrorAnswer, HttpRequest, Listing, ReplyContext, Request, Routed, Success,
};
pub use error_table::Row;
pub use service::Service;
pub use snapshot::{RestoreError, SavedOverride, ServiceSnapshot};

use std::fmt;

use crate::error::{Failure, InvalidHandshake};
use crate::handshake::Handshake;
use crate::policy::Profile;
use crate::vocab::UnknownValue;

/// Writes the registry: the [`Provider`] enum, [`Provider::values`] and [`Provider::dialect`],
/// from one line per built-in provider (its variant, its dialect, what it is).
macro_rules! registry {
    ($($variant:ident => $dialect:expr, $doc:literal;)+) => {
        /// One of the built-in providers the crate speaks. The registry: the only place that
        /// names each one; everything else asks its [`Dialect`].
        ///
        /// ```
        /// use org_handshake::provider::Provider;
        /// assert_eq!("huawei".parse::<Provider>()?, Provider::Huawei);
        /// assert_eq!(Provider::Alibaba.profile().name, "alibaba");
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(rename_all = "lowercase")]
        pub enum Provider {
            $(#[doc = $doc] $variant,)+
        }

        impl Provider {
            /// Every provider.
            pub const fn values() -> &'static [Provider] {
                &[$(Provider::$variant),+]
            }

            /// The provider's dialect: everything the driver needs to speak it.
            pub fn dialect(self) -> &'static dyn Dialect {
                match self {
                    $(Provider::$variant => &$dialect,)+
                }
            }
        }
    };
}

registry! {
    Aws => aws::Aws, "AWS Organizations.";
    Huawei => huawei::Huawei, "Huawei Cloud Organizations.";
    Alibaba => alibaba::Alibaba, "Alibaba Cloud Resource Directory.";
}

impl Provider {
    /// The provider's lower-case name (its dialect's).
    pub fn as_str(self) -> &'static str {
        self.dialect().name()
    }

    /// The provider's durations, limits and id rule.
    pub fn profile(self) -> Profile {
        *self.dialect().profile()
    }

    /// The provider that speaks an HTTP request's protocol, if any: AWS JSON 1.1 by
    /// `X-Amz-Target`, Huawei by a `/v1/` path, Alibaba RPC by `x-acs-action` or `Action`.
    ///
    /// ```
    /// use org_handshake::provider::{HttpRequest, Provider};
    /// let huawei = HttpRequest::new("GET", "/v1/received-handshakes");
    /// assert_eq!(Provider::for_request(&huawei), Some(Provider::Huawei));
    /// let alibaba = HttpRequest::new("GET", "/").with_query("Action=GetHandshake&HandshakeId=h-0000000000000000");
    /// assert_eq!(Provider::for_request(&alibaba), Some(Provider::Alibaba));
    /// assert_eq!(Provider::for_request(&HttpRequest::new("GET", "/favicon.ico")), None);
    /// ```
    pub fn for_request(request: &HttpRequest<'_>) -> Option<Provider> {
        Provider::values()
            .iter()
            .copied()
            .find(|provider| provider.dialect().claims(request))
    }

    /// Renders a handshake as this provider's bare handshake object.
    ///
    /// # Errors
    ///
    /// [`WireError::Unsupported`] (or another [`WireError`]) when the provider cannot express
    /// the handshake: an action it lacks, a recipient kind it cannot name, an id outside its
    /// pattern.
    pub fn render_handshake(self, handshake: &Handshake) -> Result<serde_json::Value, WireError> {
        let text = self.render_handshake_json(handshake)?;
        serde_json::from_str(&text).map_err(|err| WireError::Json {
            field: String::new(),
            message: err.to_string(),
        })
    }

    /// Renders a handshake as this provider's bare handshake object, as JSON text: the text of
    /// the provider's `WireHandshake` serialized with `serde_json::to_string` (keys in the
    /// provider's documented order), without building a `serde_json::Value` first.
    ///
    /// # Errors
    ///
    /// As [`render_handshake`](Self::render_handshake).
    ///
    /// ```
    /// use org_handshake::provider::Provider;
    /// let h = org_handshake::example::aws_invitation()?;
    /// let text = Provider::Huawei.render_handshake_json(&h)?;
    /// let value: serde_json::Value = serde_json::from_str(&text)?;
    /// assert_eq!(value, Provider::Huawei.render_handshake(&h)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render_handshake_json(self, handshake: &Handshake) -> Result<String, WireError> {
        self.dialect().render_bare(handshake)
    }

    /// Parses this provider's bare handshake object.
    ///
    /// # Errors
    ///
    /// A [`WireError`] naming the field at fault.
    pub fn parse_handshake(self, json: &str) -> Result<Handshake, WireError> {
        self.dialect().parse_bare(json)
    }

    /// This provider's error reply for `failure` in `operation`, as its error table gives it,
    /// with `request_id` (empty for the provider's default).
    ///
    /// ```
    /// use org_handshake::provider::Provider;
    /// use org_handshake::{ErrorKind, Failure};
    /// let reply = Provider::Alibaba.error_reply(&Failure::new(ErrorKind::NotFound, "gone"), "GetHandshake", "r-1");
    /// assert_eq!((reply.status, &reply.json()["Code"]), (404, &serde_json::json!("EntityNotExists.Handshake")));
    /// ```
    pub fn error_reply(self, failure: &Failure, operation: &str, request_id: &str) -> Reply {
        service::error_reply(self.dialect(), &[], failure, operation, request_id)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Provider {
    type Err = UnknownValue;
    fn from_str(value: &str) -> Result<Self, UnknownValue> {
        Provider::values()
            .iter()
            .copied()
            .find(|p| p.as_str() == value)
            .ok_or_else(|| UnknownValue::new("provider", value))
    }
}

/// Renders one neutral handshake for every provider: the JSON where the provider can express
/// it, the reason where it cannot.
///
/// ```
/// use org_handshake::provider::{render_everywhere, Provider};
/// let h = org_handshake::example::aws_invitation()?; // an AWS-style invitation in `o-exampleorgid`
/// let rendered = render_everywhere(&h);
/// assert!(rendered[0].1.is_ok()); // AWS
/// assert!(rendered[1].1.is_ok()); // Huawei: `o-` organizations, account targets
/// assert!(rendered[2].1.is_err()); // Alibaba: resource directories are `rd-…`
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_everywhere(
    handshake: &Handshake,
) -> Vec<(Provider, Result<serde_json::Value, WireError>)> {
    Provider::values()
        .iter()
        .map(|provider| (*provider, provider.render_handshake(handshake)))
        .collect()
}

/// Translates a bare handshake object from one provider's JSON to another's, through the
/// neutral model. What the target cannot carry (a management email, a feature set) is
/// dropped by its renderer; what it cannot express at all is an error.
///
/// # Errors
///
/// The source parser's [`WireError`], or the target renderer's when it cannot express the
/// handshake.
///
/// ```
/// use org_handshake::provider::{translate, Provider};
/// let aws = org_handshake::provider::aws::render_handshake(&org_handshake::example::aws_invitation()?)?;
/// let huawei = translate(Provider::Aws, &aws.to_string(), Provider::Huawei)?;
/// assert_eq!(huawei["status"], "pending");
/// assert_eq!(huawei["target"]["entity"], "222222222222");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn translate(from: Provider, json: &str, to: Provider) -> Result<serde_json::Value, WireError> {
    let handshake = from.parse_handshake(json)?;
    to.render_handshake(&handshake)
}

/// Why a provider's JSON could not be read as (or a handshake could not be written as) that
/// provider's shape. Every variant names the field at fault, as a dotted path in the provider's
/// own key names (`Handshake.Resources[0].Type`).
///
/// ```
/// use org_handshake::provider::WireError;
/// let err = WireError::Missing { field: "Handshake.Id".into() };
/// assert_eq!(err.to_string(), "missing field `Handshake.Id`");
/// assert_eq!(err.code(), "missing_field");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// Not JSON, or JSON of the wrong type at `field`.
    #[error("invalid json at `{field}`: {message}")]
    Json {
        /// Where (empty for the document itself).
        field: String,
        /// What the JSON parser said.
        message: String,
    },
    /// A required field is absent.
    #[error("missing field `{field}`")]
    Missing {
        /// Which.
        field: String,
    },
    /// A field's value is malformed (an id, a timestamp).
    #[error("invalid `{field}`: {reason}")]
    Invalid {
        /// Which.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A field holds a value its enum does not have.
    #[error("`{field}`: {source}")]
    UnknownValue {
        /// Which.
        field: String,
        /// The value.
        source: UnknownValue,
    },
    /// Two fields disagree (an ARN or URN that does not match the id, say).
    #[error("`{field}` is inconsistent: {reason}")]
    Inconsistent {
        /// Which.
        field: String,
        /// How.
        reason: String,
    },
    /// The fields are well formed but describe a handshake that cannot exist.
    #[error("not a possible handshake: {0}")]
    Model(#[from] InvalidHandshake),
    /// The provider cannot express this handshake (an action or state it does not have).
    #[error("{provider} cannot express {what}")]
    Unsupported {
        /// The provider.
        provider: &'static str,
        /// What it cannot express.
        what: String,
    },
}

impl WireError {
    /// A malformed `field` ([`WireError::Invalid`]): what every provider folder answers for a
    /// value that breaks its rule.
    pub fn invalid(field: impl fmt::Display, reason: impl fmt::Display) -> Self {
        WireError::Invalid {
            field: field.to_string(),
            reason: reason.to_string(),
        }
    }

    /// An absent `field` ([`WireError::Missing`]).
    pub fn missing(field: impl fmt::Display) -> Self {
        WireError::Missing {
            field: field.to_string(),
        }
    }

    /// Something `provider` cannot express ([`WireError::Unsupported`]): an action, a state, a
    /// recipient, a time outside the years it writes.
    pub fn unsupported(provider: &'static str, what: impl fmt::Display) -> Self {
        WireError::Unsupported {
            provider,
            what: what.to_string(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            WireError::Json { .. } => "invalid_json",
            WireError::Missing { .. } => "missing_field",
            WireError::Invalid { .. } => "invalid_field",
            WireError::UnknownValue { .. } => "unknown_value",
            WireError::Inconsistent { .. } => "inconsistent_fields",
            WireError::Model(_) => "impossible_handshake",
            WireError::Unsupported { .. } => "unsupported",
        }
    }
}

/// Deserializes `json`, a JSON object, into `T`, naming the path of any type error
/// (through `serde_path_to_error`).
///
/// # Errors
///
/// [`WireError::Json`] with the path and the parser's message.
pub fn from_json<'de, T: serde::Deserialize<'de>>(json: &'de str) -> Result<T, WireError> {
    // Every provider document is an object; a derived struct would also read an array.
    expect_object(json)?;
    // Path tracking costs about as much as the parse itself, and only an error needs the path:
    // parse plainly first, and parse again with tracking (which fails the same way) to name it.
    match serde_json::from_str(json) {
        Ok(value) => Ok(value),
        Err(_) => from_json_tracked(json),
    }
}

/// Refuses a document that is not a JSON object before a struct reads it: serde's derived
/// structs also accept an array of their fields in order, which no provider sends.
///
/// # Errors
///
/// [`WireError::Json`] for anything but an object.
fn expect_object(json: &str) -> Result<(), WireError> {
    if json.trim_start().starts_with('{') {
        Ok(())
    } else {
        Err(WireError::Json {
            field: String::new(),
            message: "expected a JSON object".to_owned(),
        })
    }
}

/// [`from_json`] with the path tracked from the start.
fn from_json_tracked<'de, T: serde::Deserialize<'de>>(json: &'de str) -> Result<T, WireError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| WireError::Json {
        field: err.path().to_string(),
        message: err.inner().to_string(),
    })?;
    de.end().map_err(|err| WireError::Json {
        field: String::new(),
        message: err.to_string(),
    })?;
    Ok(value)
}

/// Serializes a provider's rendering as JSON text.
///
/// # Errors
///
/// [`WireError::Json`] if the serializer fails, which a rendering of strings and numbers does
/// not do in practice.
pub(crate) fn to_json_string<T: serde::Serialize>(value: &T) -> Result<String, WireError> {
    // Room for a whole handshake at once (serde_json starts at 128 bytes and grows).
    to_json_string_sized(value, 1024)
}

/// Room for one handshake of a page in its JSON text (an AWS invitation with notes is about
/// 700 bytes; Huawei's and Alibaba's are shorter).
pub(crate) const PAGE_ITEM_BYTES: usize = 768;

/// [`to_json_string`] into a buffer of `capacity` bytes to start with: a page of handshakes
/// asks for room for all of them, rather than growing (and copying) the text as it goes.
pub(crate) fn to_json_string_sized<T: serde::Serialize>(
    value: &T,
    capacity: usize,
) -> Result<String, WireError> {
    let json_error = |message: String| WireError::Json {
        field: String::new(),
        message,
    };
    // At most 1 MiB up front: beyond that the text grows as it needs.
    let mut text = Vec::with_capacity(capacity.min(1 << 20));
    serde_json::to_writer(&mut text, value).map_err(|err| json_error(err.to_string()))?;
    String::from_utf8(text).map_err(|err| json_error(err.to_string()))
}

/// A small body (an error's) as JSON text. Serializing a struct of strings cannot fail; were it
/// to, the body would be `{}` rather than a panic.
pub(crate) fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

/// A value shown inside an error message: its first 64 characters, so that a huge input does
/// not make a huge message.
pub(crate) fn shown(value: &str) -> String {
    value.chars().take(64).collect()
}

/// Serializes a provider's rendering as a JSON value.
///
/// # Errors
///
/// [`WireError::Json`] if the serializer fails.
pub(crate) fn to_value<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, WireError> {
    serde_json::to_value(value).map_err(|err| WireError::Json {
        field: String::new(),
        message: err.to_string(),
    })
}
