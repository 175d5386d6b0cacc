//! Provider shapes: each provider's own JSON for handshakes, operation responses and errors,
//! converted to and from the neutral model.
//!
//! Each provider module (`aws`, `huawei`, `alibaba`) owns its wire types and its error table;
//! nothing here knows one provider from another. What they share is the vocabulary of this
//! module: an [`ErrorResponse`] (HTTP status and JSON body) and a [`WireError`] for JSON that
//! does not describe a handshake.

pub mod alibaba;
pub mod aws;
pub mod huawei;

use crate::error::InvalidHandshake;
use crate::vocab::UnknownValue;

/// An error as a provider answers it: the HTTP status and the JSON body.
///
/// ```
/// use org_handshake::provider::ErrorResponse;
/// let response = ErrorResponse { status: 404, body: serde_json::json!({"Code": "EntityNotExists.Handshake"}) };
/// assert_eq!(response.status, 404);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ErrorResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The provider's error body.
    pub body: serde_json::Value,
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

/// Deserializes `json` into `T`, naming the path of any type error
/// (through `serde_path_to_error`).
///
/// # Errors
///
/// [`WireError::Json`] with the path and the parser's message.
pub fn from_json<'de, T: serde::Deserialize<'de>>(json: &'de str) -> Result<T, WireError> {
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
