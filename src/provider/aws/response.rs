//! The response bodies of the AWS handshake operations: one handshake (`{"Handshake": …}`,
//! aliased per operation) or a page of them (`{"Handshakes": […], "NextToken"?}`).

use serde::{Deserialize, Serialize};

use crate::handshake::Handshake;
use crate::provider::{
    from_json, to_json_string, to_json_string_sized, WireError, PAGE_ITEM_BYTES,
};

use super::handshake::WireHandshake;
use super::view::View;

fn required<T>(value: &Option<T>, field: impl FnOnce() -> String) -> Result<&T, WireError> {
    value
        .as_ref()
        .ok_or_else(|| WireError::Missing { field: field() })
}

/// The response body of every operation that answers with one handshake:
/// `{"Handshake": {…}}`.
///
/// ```
/// use org_handshake::provider::aws::AcceptHandshakeResponse;
/// let h = org_handshake::example::aws_invitation()?;
/// let body = serde_json::to_string(&AcceptHandshakeResponse::new(&h)?)?;
/// assert_eq!(AcceptHandshakeResponse::from_json(&body)?.to_handshake()?, h);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct HandshakeResponse {
    /// The handshake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshake: Option<WireHandshake>,
}

/// `InviteAccountToOrganization`'s response.
pub type InviteAccountToOrganizationResponse = HandshakeResponse;
/// `AcceptHandshake`'s response.
pub type AcceptHandshakeResponse = HandshakeResponse;
/// `DeclineHandshake`'s response.
pub type DeclineHandshakeResponse = HandshakeResponse;
/// `CancelHandshake`'s response.
pub type CancelHandshakeResponse = HandshakeResponse;
/// `DescribeHandshake`'s response.
pub type DescribeHandshakeResponse = HandshakeResponse;
/// `EnableAllFeatures`'s response (the parent handshake).
pub type EnableAllFeaturesResponse = HandshakeResponse;

impl HandshakeResponse {
    /// The response showing `handshake`.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`].
    pub fn new(handshake: &Handshake) -> Result<Self, WireError> {
        Ok(HandshakeResponse {
            handshake: Some(WireHandshake::from_handshake(handshake)?),
        })
    }

    /// Reads a response body.
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error.
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        from_json(json)
    }

    /// The handshake, parsed as [`WireHandshake::to_handshake`].
    ///
    /// # Errors
    ///
    /// [`WireError::Missing`] without a `Handshake`, then as [`WireHandshake::to_handshake`].
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        required(&self.handshake, || "Handshake".to_owned())?.to_handshake()
    }
}

/// The response body of `ListHandshakesForAccount` and `ListHandshakesForOrganization`:
/// `{"Handshakes": […], "NextToken": "…"}`, the token absent on the last page.
///
/// ```
/// use org_handshake::provider::aws::ListHandshakesForAccountResponse;
/// let h = org_handshake::example::aws_invitation()?;
/// let last_page = ListHandshakesForAccountResponse::new(&[h.clone()], None)?;
/// let json = serde_json::to_value(&last_page)?;
/// assert!(json.get("NextToken").is_none());
/// assert_eq!(ListHandshakesForAccountResponse::from_json(&json.to_string())?.to_handshakes()?, vec![h]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ListHandshakesResponse {
    /// This page's handshakes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handshakes: Option<Vec<WireHandshake>>,
    /// The token for the next page; absent (or null) on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListHandshakesForAccount`'s response.
pub type ListHandshakesForAccountResponse = ListHandshakesResponse;
/// `ListHandshakesForOrganization`'s response.
pub type ListHandshakesForOrganizationResponse = ListHandshakesResponse;

impl ListHandshakesResponse {
    /// A page showing `handshakes`, followed by `next_token` when there is a next page.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`], for the first handshake AWS cannot express.
    pub fn new(handshakes: &[Handshake], next_token: Option<&str>) -> Result<Self, WireError> {
        Ok(ListHandshakesResponse {
            handshakes: Some(
                handshakes
                    .iter()
                    .map(WireHandshake::from_handshake)
                    .collect::<Result<_, _>>()?,
            ),
            next_token: next_token.map(str::to_owned),
        })
    }

    /// Reads a response body.
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error.
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        from_json(json)
    }

    /// The handshakes, each parsed as [`WireHandshake::to_handshake`]; errors name the item
    /// (`Handshakes[2].State`).
    ///
    /// # Errors
    ///
    /// [`WireError::Missing`] without `Handshakes`, then the first item's error.
    pub fn to_handshakes(&self) -> Result<Vec<Handshake>, WireError> {
        required(&self.handshakes, || "Handshakes".to_owned())?
            .iter()
            .enumerate()
            .map(|(i, h)| h.to_handshake_at(&format!("Handshakes[{i}]"), None))
            .collect()
    }
}

/// `{"Handshake": …}` as JSON text, written from a borrowed view of `handshake`: the text of
/// `serde_json::to_string(&HandshakeResponse::new(handshake)?)` without the owned copy (what the
/// service sends).
pub(super) fn handshake_body(handshake: &Handshake) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(rename = "Handshake")]
        handshake: View<'a>,
    }
    to_json_string(&Body {
        handshake: View::of(handshake)?,
    })
}

/// `{"Handshakes": […], "NextToken"?}` as JSON text, likewise the text of
/// [`ListHandshakesResponse::new`]'s serialization.
pub(super) fn page_body(
    handshakes: &[Handshake],
    next_token: Option<&str>,
) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(rename = "Handshakes")]
        handshakes: Vec<View<'a>>,
        #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
        next_token: Option<&'a str>,
    }
    to_json_string_sized(
        &Body {
            handshakes: handshakes.iter().map(View::of).collect::<Result<_, _>>()?,
            next_token,
        },
        PAGE_ITEM_BYTES.saturating_mul(handshakes.len().saturating_add(1)),
    )
}
