//! The response bodies of the seven handshake operations ([`Operation`](super::Operation)).

use serde::{Deserialize, Serialize};

use crate::handshake::Handshake;

use super::handshake::View;
use super::{from_json, WireHandshake};
use crate::provider::{to_json_string, to_json_string_sized, to_value, WireError, PAGE_ITEM_BYTES};

/// The body of every single-handshake response: `{"handshake": HandshakeDto}`.
///
/// Invite, accept, decline, cancel and show all answer this shape; each has its alias
/// ([`InviteAccountResponse`], …).
///
/// ```
/// use org_handshake::provider::huawei::AcceptHandshakeResponse;
///
/// let h = org_handshake::example::aws_invitation()?;
/// let accepted = h.accept(&org_handshake::Caller::standalone("222222222222".parse()?), h.requested_at())?.handshake;
/// let body = AcceptHandshakeResponse::new(&accepted)?;
/// assert_eq!(body.handshake.status, "accepted");
///
/// // Read back: the same handshake, less what Huawei does not carry (the sender's email and
/// // feature set).
/// let json = serde_json::to_string(&body)?;
/// let read = AcceptHandshakeResponse::from_json(&json)?.to_handshake()?;
/// assert_eq!((read.id(), read.state(), read.state_entered_at()), (accepted.id(), accepted.state(), accepted.state_entered_at()));
/// assert_eq!(read.sender().management_account_email, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandshakeResponse {
    /// The handshake.
    pub handshake: WireHandshake,
}

/// `invite_account`'s response body.
pub type InviteAccountResponse = HandshakeResponse;
/// `accept_handshake`'s response body.
pub type AcceptHandshakeResponse = HandshakeResponse;
/// `decline_handshake`'s response body.
pub type DeclineHandshakeResponse = HandshakeResponse;
/// `cancel_handshake`'s response body.
pub type CancelHandshakeResponse = HandshakeResponse;
/// `show_handshake`'s response body.
pub type ShowHandshakeResponse = HandshakeResponse;

impl HandshakeResponse {
    /// The response showing `h` (pass `h.observed_at(now)` to show lazy expiry).
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`].
    pub fn new(h: &Handshake) -> Result<Self, WireError> {
        Ok(HandshakeResponse {
            handshake: WireHandshake::from_handshake(h)?,
        })
    }

    /// Reads a response body.
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] or [`WireError::Missing`] naming the path (`handshake.target`).
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        from_json(json)
    }

    /// The handshake, checked as [`WireHandshake::to_handshake`] does, with fields named from
    /// the body's root (`handshake.status`).
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::to_handshake`].
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.handshake.to_handshake_at("handshake.")
    }

    /// The body as JSON.
    ///
    /// # Errors
    ///
    /// None in practice; see [`WireError::Json`].
    pub fn to_json(&self) -> Result<serde_json::Value, WireError> {
        to_value(self)
    }
}

/// A pagination marker: what `page_info.next_marker` gives and the `marker` query parameter
/// takes back. Opaque; 4 to 400 characters (the `marker` parameter's documented length).
///
/// ```
/// use org_handshake::provider::huawei::Marker;
///
/// let marker = Marker::parse("ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw")?;
/// assert_eq!(marker.as_str(), "ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw");
/// assert!(Marker::parse("abc").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Marker(String);

impl Marker {
    /// The fewest characters.
    pub const MIN_LEN: usize = 4;
    /// The most characters.
    pub const MAX_LEN: usize = 400;

    /// Checks a marker's length.
    ///
    /// # Errors
    ///
    /// [`WireError::Invalid`] for `marker` when it has fewer than 4 or more than 400 characters.
    pub fn parse(value: &str) -> Result<Self, WireError> {
        let length = value.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&length) {
            return Err(WireError::Invalid {
                field: "marker".to_owned(),
                reason: format!(
                    "a marker has {} to {} characters, not {length}",
                    Self::MIN_LEN,
                    Self::MAX_LEN
                ),
            });
        }
        Ok(Marker(value.to_owned()))
    }

    /// The marker as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Marker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Marker {
    type Err = WireError;
    fn from_str(value: &str) -> Result<Self, WireError> {
        Marker::parse(value)
    }
}

impl AsRef<str> for Marker {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A list's `page_info` (`PageInfoDto`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    /// The marker for the next page; `null` on the last page. Absent is read as `null` too.
    #[serde(default)]
    pub next_marker: Option<String>,
    /// How many handshakes this page holds.
    pub current_count: u32,
}

/// The body of both list responses: `{"handshakes": [HandshakeDto…], "page_info": {…}}`.
///
/// Named for `list_handshakes` (the handshakes an organization sent), as the other providers
/// name theirs; `list_received_handshakes` answers the same shape
/// ([`ListReceivedHandshakesResponse`]).
///
/// - `page_info.next_marker` is written as `null` on the last page: the API reference says to
///   "repeat this until the next_marker response element comes back as null". Reading accepts
///   `null` or an absent member.
/// - `page_info.current_count` is the number of handshakes on the page, and reading checks it
///   ([`WireError::Inconsistent`]). The reference's `list_received_handshakes` example shows one
///   handshake with `"current_count": 100`, an abridged page that this check refuses.
///
/// ```
/// use org_handshake::provider::huawei::{ListHandshakesResponse, Marker};
///
/// let h = org_handshake::example::aws_invitation()?;
/// let page = ListHandshakesResponse::new(&[h.clone()], Some(Marker::parse("next-page-please")?))?;
/// assert_eq!(page.page_info.current_count, 1);
/// assert_eq!(page.next_marker()?, Some(Marker::parse("next-page-please")?));
///
/// let last = ListHandshakesResponse::new(&[h], None)?;
/// assert_eq!(last.to_json()?["page_info"], serde_json::json!({"next_marker": null, "current_count": 1}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListHandshakesResponse {
    /// The page's handshakes.
    pub handshakes: Vec<WireHandshake>,
    /// Where the page stands.
    pub page_info: PageInfo,
}

/// `list_received_handshakes`' response body (the handshakes an account received).
pub type ListReceivedHandshakesResponse = ListHandshakesResponse;

/// [`ListHandshakesResponse`] under its former name, from before it took the name the other
/// providers give their list bodies; kept so that code written against it still compiles.
pub type HandshakeListResponse = ListHandshakesResponse;

impl ListHandshakesResponse {
    /// One page showing `handshakes` in the order given, with `next_marker` when more follow.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`] for the first handshake Huawei cannot express;
    /// [`WireError::Invalid`] for more than `u32::MAX` handshakes.
    pub fn new(handshakes: &[Handshake], next_marker: Option<Marker>) -> Result<Self, WireError> {
        let current_count = u32::try_from(handshakes.len()).map_err(|_| WireError::Invalid {
            field: "page_info.current_count".to_owned(),
            reason: "too many handshakes for one page".to_owned(),
        })?;
        Ok(ListHandshakesResponse {
            handshakes: handshakes
                .iter()
                .map(WireHandshake::from_handshake)
                .collect::<Result<_, _>>()?,
            page_info: PageInfo {
                next_marker: next_marker.map(|m| m.0),
                current_count,
            },
        })
    }

    /// Reads a response body.
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] or [`WireError::Missing`] naming the path
    /// (`handshakes[1].target`, `page_info.current_count`).
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        from_json(json)
    }

    /// The page's handshakes, each checked as [`WireHandshake::to_handshake`] does (fields
    /// named `handshakes[i].…`), after checking `page_info`.
    ///
    /// # Errors
    ///
    /// [`WireError::Inconsistent`] when `current_count` is not the number of handshakes,
    /// [`WireError::Invalid`] for a malformed `next_marker`, then as
    /// [`WireHandshake::to_handshake`].
    pub fn to_handshakes(&self) -> Result<Vec<Handshake>, WireError> {
        let count = self.handshakes.len();
        if u32::try_from(count).ok() != Some(self.page_info.current_count) {
            return Err(WireError::Inconsistent {
                field: "page_info.current_count".to_owned(),
                reason: format!(
                    "it says {} but the page holds {count} handshakes",
                    self.page_info.current_count
                ),
            });
        }
        self.next_marker()?;
        self.handshakes
            .iter()
            .enumerate()
            .map(|(i, h)| h.to_handshake_at(&format!("handshakes[{i}].")))
            .collect()
    }

    /// The marker for the next page, checked; `None` on the last page.
    ///
    /// # Errors
    ///
    /// [`WireError::Invalid`] for `page_info.next_marker` when it breaks [`Marker`]'s rule.
    pub fn next_marker(&self) -> Result<Option<Marker>, WireError> {
        match &self.page_info.next_marker {
            None => Ok(None),
            Some(marker) => Marker::parse(marker).map(Some).map_err(|err| match err {
                WireError::Invalid { reason, .. } => WireError::Invalid {
                    field: "page_info.next_marker".to_owned(),
                    reason,
                },
                other => other,
            }),
        }
    }

    /// The body as JSON.
    ///
    /// # Errors
    ///
    /// None in practice; see [`WireError::Json`].
    pub fn to_json(&self) -> Result<serde_json::Value, WireError> {
        to_value(self)
    }
}

/// `{"handshake": …}` as JSON text, written from a borrowed view of `handshake`: the text of
/// `serde_json::to_string(&HandshakeResponse::new(handshake)?)` without the owned copy (what the
/// service sends).
pub(super) fn handshake_body(handshake: &Handshake) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Body<'a> {
        handshake: View<'a>,
    }
    to_json_string(&Body {
        handshake: View::of(handshake)?,
    })
}

/// `{"handshakes": […], "page_info": {…}}` as JSON text, likewise the text of
/// [`ListHandshakesResponse::new`]'s serialization.
pub(super) fn page_body(
    handshakes: &[Handshake],
    next_marker: Option<&Marker>,
) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct Info<'a> {
        next_marker: Option<&'a str>,
        current_count: u32,
    }
    #[derive(Serialize)]
    struct Body<'a> {
        handshakes: Vec<View<'a>>,
        page_info: Info<'a>,
    }
    let current_count = u32::try_from(handshakes.len()).map_err(|_| WireError::Invalid {
        field: "page_info.current_count".to_owned(),
        reason: "too many handshakes for one page".to_owned(),
    })?;
    to_json_string_sized(
        &Body {
            handshakes: handshakes.iter().map(View::of).collect::<Result<_, _>>()?,
            page_info: Info {
                next_marker: next_marker.map(Marker::as_str),
                current_count,
            },
        },
        PAGE_ITEM_BYTES.saturating_mul(handshakes.len().saturating_add(1)),
    )
}
