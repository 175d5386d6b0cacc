//! The bodies of the seven operations' answers: one handshake ([`HandshakeResponse`]) or a
//! numbered page of them ([`ListHandshakesResponse`], [`PageInfo`]), each with its `RequestId`.

use serde::{Deserialize, Serialize};

use crate::handshake::Handshake;
use crate::provider::{to_json_string, to_json_string_sized, WireError, PAGE_ITEM_BYTES};

use super::handshake::View;
use super::WireHandshake;

/// The `RequestId` conformance vectors use when a step gives none.
pub const DEFAULT_REQUEST_ID: &str = "00000000-0000-4000-8000-000000000000";

/// The greatest `PageSize` Alibaba accepts (and the least is 1).
pub const MAX_PAGE_SIZE: u32 = 100;

/// The `PageSize` Alibaba uses when a request gives none.
pub const DEFAULT_PAGE_SIZE: u32 = 10;

/// The body of every single-handshake response: `{"RequestId", "Handshake": {…}}`.
///
/// ```
/// use org_handshake::provider::alibaba::{self, AcceptHandshakeResponse};
/// let h = org_handshake::example::alibaba_invitation()?;
/// let response = AcceptHandshakeResponse::new(&h, "5828C836-3286-49A6-9006-15231BB19342")?;
/// assert_eq!(response.request_id, "5828C836-3286-49A6-9006-15231BB19342");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawHandshakeResponse")]
pub struct HandshakeResponse {
    /// The handshake.
    pub handshake: WireHandshake,
    /// The request's id.
    pub request_id: String,
}

/// `InviteAccountToResourceDirectory`'s response body.
pub type InviteAccountToResourceDirectoryResponse = HandshakeResponse;
/// `AcceptHandshake`'s response body.
pub type AcceptHandshakeResponse = HandshakeResponse;
/// `DeclineHandshake`'s response body.
pub type DeclineHandshakeResponse = HandshakeResponse;
/// `CancelHandshake`'s response body.
pub type CancelHandshakeResponse = HandshakeResponse;
/// `GetHandshake`'s response body (see [`HandshakeResponse::with_real_names`]).
pub type GetHandshakeResponse = HandshakeResponse;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawHandshakeResponse {
    #[serde(default)]
    handshake: Option<WireHandshake>,
    #[serde(default)]
    request_id: Option<String>,
}

impl TryFrom<RawHandshakeResponse> for HandshakeResponse {
    type Error = WireError;
    fn try_from(raw: RawHandshakeResponse) -> Result<Self, WireError> {
        let request_id = raw.request_id.ok_or_else(|| WireError::Missing {
            field: "RequestId".to_owned(),
        })?;
        let handshake = raw.handshake.ok_or_else(|| WireError::Missing {
            field: "Handshake".to_owned(),
        })?;
        handshake.to_handshake_at("Handshake")?;
        Ok(HandshakeResponse {
            handshake,
            request_id,
        })
    }
}

impl HandshakeResponse {
    /// The response carrying `h` (its stored state), with `request_id`.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::from_handshake`].
    pub fn new(h: &Handshake, request_id: &str) -> Result<Self, WireError> {
        Ok(HandshakeResponse {
            handshake: WireHandshake::from_handshake(h)?,
            request_id: request_id.to_owned(),
        })
    }

    /// The same response with the two real-name members `GetHandshake` shows when the invited
    /// account calls it: the management account's and the invited account's real-name
    /// verification.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::{self, GetHandshakeResponse};
    /// let response = GetHandshakeResponse::new(&org_handshake::example::alibaba_invitation()?, "r-1")?
    ///     .with_real_names("company", "Alice");
    /// assert_eq!(response.handshake.invited_account_real_name.as_deref(), Some("Alice"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_real_names(mut self, master_account: &str, invited_account: &str) -> Self {
        self.handshake.master_account_real_name = Some(master_account.to_owned());
        self.handshake.invited_account_real_name = Some(invited_account.to_owned());
        self
    }

    /// Parses a response body, strictly (the handshake included).
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error, [`WireError::Missing`] for an
    /// absent `RequestId` or `Handshake`, then as [`WireHandshake::to_handshake`].
    ///
    /// ```
    /// use org_handshake::provider::alibaba::HandshakeResponse;
    /// let err = HandshakeResponse::from_json(r#"{"Handshake": {}}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "missing field `RequestId`");
    /// ```
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        let raw: RawHandshakeResponse = crate::provider::from_json(json)?;
        HandshakeResponse::try_from(raw)
    }

    /// The neutral handshake.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::to_handshake`] (never, for a value from
    /// [`from_json`](Self::from_json) or [`new`](Self::new), unless its fields were changed).
    pub fn to_handshake(&self) -> Result<Handshake, WireError> {
        self.handshake.to_handshake_at("Handshake")
    }
}

/// A page request or answer: `PageNumber` (from 1), `PageSize` (1–100) and `TotalCount`.
///
/// ```
/// use org_handshake::provider::alibaba::PageInfo;
/// let page = PageInfo::new(2, 10, 15)?;
/// assert_eq!(page.offset(), 10);
/// assert!(PageInfo::new(0, 10, 15).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageInfo {
    /// The page, from 1.
    pub page_number: u32,
    /// Items per page, 1 to 100.
    pub page_size: u32,
    /// How many items the whole listing has.
    pub total_count: u32,
}

impl PageInfo {
    /// Checks and builds page information.
    ///
    /// # Errors
    ///
    /// [`WireError::Invalid`] naming `PageNumber` (below 1) or `PageSize` (outside 1–100).
    pub fn new(page_number: u32, page_size: u32, total_count: u32) -> Result<Self, WireError> {
        if page_number < 1 {
            return Err(WireError::Invalid {
                field: "PageNumber".to_owned(),
                reason: format!("{page_number} is below 1"),
            });
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(WireError::Invalid {
                field: "PageSize".to_owned(),
                reason: format!("{page_size} is outside 1 to {MAX_PAGE_SIZE}"),
            });
        }
        Ok(PageInfo {
            page_number,
            page_size,
            total_count,
        })
    }

    /// How many items come before this page. The fields are public, so a page number of 0
    /// (which [`PageInfo::new`] refuses) counts as the first page rather than underflowing.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::PageInfo;
    /// let zero = PageInfo { page_number: 0, page_size: 10, total_count: 0 };
    /// assert_eq!(zero.offset(), 0);
    /// assert_eq!(PageInfo { page_number: 3, ..zero }.offset(), 20);
    /// ```
    pub fn offset(&self) -> u64 {
        u64::from(self.page_number.saturating_sub(1)) * u64::from(self.page_size)
    }
}

/// The handshake array's wrapper object: `{"Handshake": […]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HandshakeList {
    /// The handshakes of the page.
    #[serde(rename = "Handshake", default)]
    pub handshake: Vec<WireHandshake>,
}

/// The body of both listings: `{"RequestId", "TotalCount", "PageNumber", "PageSize",
/// "Handshakes": {"Handshake": […]}}`.
///
/// ```
/// use org_handshake::provider::alibaba::{self, ListHandshakesForAccountResponse};
/// let all = [org_handshake::example::alibaba_invitation()?];
/// let page = ListHandshakesForAccountResponse::page_of(&all, 1, 10, "r-1")?;
/// assert_eq!(page.total_count, 1);
/// assert_eq!(page.handshakes.handshake.len(), 1);
/// assert_eq!(page.to_handshakes()?, all);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", try_from = "RawListHandshakesResponse")]
pub struct ListHandshakesResponse {
    /// The page's handshakes, wrapped.
    pub handshakes: HandshakeList,
    /// The page number, from 1.
    pub page_number: u32,
    /// The page size, 1 to 100.
    pub page_size: u32,
    /// The request's id.
    pub request_id: String,
    /// How many handshakes the whole listing has.
    pub total_count: u32,
}

/// `ListHandshakesForAccount`'s response body.
pub type ListHandshakesForAccountResponse = ListHandshakesResponse;
/// `ListHandshakesForResourceDirectory`'s response body.
pub type ListHandshakesForResourceDirectoryResponse = ListHandshakesResponse;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawListHandshakesResponse {
    #[serde(default)]
    handshakes: Option<HandshakeList>,
    #[serde(default)]
    page_number: Option<u32>,
    #[serde(default)]
    page_size: Option<u32>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    total_count: Option<u32>,
}

impl TryFrom<RawListHandshakesResponse> for ListHandshakesResponse {
    type Error = WireError;
    fn try_from(raw: RawListHandshakesResponse) -> Result<Self, WireError> {
        let missing = |field: &str| WireError::Missing {
            field: field.to_owned(),
        };
        let request_id = raw.request_id.ok_or_else(|| missing("RequestId"))?;
        let total_count = raw.total_count.ok_or_else(|| missing("TotalCount"))?;
        let page_number = raw.page_number.ok_or_else(|| missing("PageNumber"))?;
        let page_size = raw.page_size.ok_or_else(|| missing("PageSize"))?;
        let handshakes = raw.handshakes.ok_or_else(|| missing("Handshakes"))?;
        let page = PageInfo::new(page_number, page_size, total_count)?;
        check_page(&page, handshakes.handshake.len())?;
        for (index, wire) in handshakes.handshake.iter().enumerate() {
            wire.to_handshake_at(&format!("Handshakes.Handshake[{index}]"))?;
        }
        Ok(ListHandshakesResponse {
            handshakes,
            page_number,
            page_size,
            request_id,
            total_count,
        })
    }
}

/// A page holds at most `PageSize` items, and never reaches past `TotalCount`.
fn check_page(page: &PageInfo, items: usize) -> Result<(), WireError> {
    let items = u64::try_from(items).unwrap_or(u64::MAX);
    if items > u64::from(page.page_size) {
        return Err(WireError::Inconsistent {
            field: "Handshakes.Handshake".to_owned(),
            reason: format!("{items} items on a page of size {}", page.page_size),
        });
    }
    if items > 0 && page.offset().saturating_add(items) > u64::from(page.total_count) {
        return Err(WireError::Inconsistent {
            field: "TotalCount".to_owned(),
            reason: format!(
                "page {} of size {} with {items} items reaches past the total {}",
                page.page_number, page.page_size, page.total_count
            ),
        });
    }
    Ok(())
}

impl ListHandshakesResponse {
    /// The response for one page: `handshakes` are that page's items (in listing order), `page`
    /// says where it is.
    ///
    /// # Errors
    ///
    /// [`WireError::Inconsistent`] when the items do not fit the page (more than `PageSize`, or
    /// past `TotalCount`), then as [`WireHandshake::from_handshake`] for each item.
    pub fn new(
        handshakes: &[Handshake],
        page: PageInfo,
        request_id: &str,
    ) -> Result<Self, WireError> {
        let page = PageInfo::new(page.page_number, page.page_size, page.total_count)?;
        check_page(&page, handshakes.len())?;
        let items = handshakes
            .iter()
            .map(WireHandshake::from_handshake)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ListHandshakesResponse {
            handshakes: HandshakeList { handshake: items },
            page_number: page.page_number,
            page_size: page.page_size,
            request_id: request_id.to_owned(),
            total_count: page.total_count,
        })
    }

    /// Cuts page `page_number` of size `page_size` out of the whole listing `all` (already in
    /// listing order). A page past the end is empty, as Alibaba answers it.
    ///
    /// # Errors
    ///
    /// [`WireError::Invalid`] for a page number below 1, a page size outside 1–100, or a
    /// listing longer than `u32::MAX`; then as [`WireHandshake::from_handshake`].
    pub fn page_of(
        all: &[Handshake],
        page_number: u32,
        page_size: u32,
        request_id: &str,
    ) -> Result<Self, WireError> {
        let total_count = u32::try_from(all.len()).map_err(|_| WireError::Invalid {
            field: "TotalCount".to_owned(),
            reason: "more than 4294967295 handshakes".to_owned(),
        })?;
        let page = PageInfo::new(page_number, page_size, total_count)?;
        let start = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let items = all
            .iter()
            .skip(start)
            .take(usize::try_from(page_size).unwrap_or(usize::MAX))
            .cloned()
            .collect::<Vec<_>>();
        ListHandshakesResponse::new(&items, page, request_id)
    }

    /// Parses a listing body, strictly (every item included; item fields are named
    /// `Handshakes.Handshake[i].<Key>`).
    ///
    /// # Errors
    ///
    /// [`WireError::Json`] naming the path of a type error, [`WireError::Missing`] for an
    /// absent envelope member, [`WireError::Invalid`] / [`WireError::Inconsistent`] for page
    /// numbers that do not fit, then as [`WireHandshake::to_handshake`] for each item.
    ///
    /// ```
    /// use org_handshake::provider::alibaba::ListHandshakesResponse;
    /// let empty = r#"{"RequestId": "r-1", "TotalCount": 0, "PageNumber": 1, "PageSize": 10, "Handshakes": {"Handshake": []}}"#;
    /// assert!(ListHandshakesResponse::from_json(empty)?.to_handshakes()?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, WireError> {
        let raw: RawListHandshakesResponse = crate::provider::from_json(json)?;
        ListHandshakesResponse::try_from(raw)
    }

    /// The page's handshakes, neutral.
    ///
    /// # Errors
    ///
    /// As [`WireHandshake::to_handshake`] for each item.
    pub fn to_handshakes(&self) -> Result<Vec<Handshake>, WireError> {
        self.handshakes
            .handshake
            .iter()
            .enumerate()
            .map(|(index, wire)| wire.to_handshake_at(&format!("Handshakes.Handshake[{index}]")))
            .collect()
    }

    /// The page's position and the listing's size.
    pub fn page(&self) -> PageInfo {
        PageInfo {
            page_number: self.page_number,
            page_size: self.page_size,
            total_count: self.total_count,
        }
    }
}

/// `{"Handshake": …, "RequestId": …}` as JSON text, written from a borrowed view of
/// `handshake`: the text of `serde_json::to_string(&HandshakeResponse::new(handshake,
/// request_id)?)` without the owned copy (what the service sends).
pub(super) fn handshake_body(handshake: &Handshake, request_id: &str) -> Result<String, WireError> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        handshake: View<'a>,
        request_id: &'a str,
    }
    to_json_string(&Body {
        handshake: View::of(handshake)?,
        request_id,
    })
}

/// The list body as JSON text, likewise the text of [`ListHandshakesResponse::new`]'s
/// serialization, with the same checks in the same order.
pub(super) fn page_body(
    handshakes: &[Handshake],
    page: PageInfo,
    request_id: &str,
) -> Result<String, WireError> {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(rename = "Handshake")]
        handshake: Vec<View<'a>>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        handshakes: List<'a>,
        page_number: u32,
        page_size: u32,
        request_id: &'a str,
        total_count: u32,
    }
    let page = PageInfo::new(page.page_number, page.page_size, page.total_count)?;
    check_page(&page, handshakes.len())?;
    to_json_string_sized(
        &Body {
            handshakes: List {
                handshake: handshakes.iter().map(View::of).collect::<Result<_, _>>()?,
            },
            page_number: page.page_number,
            page_size: page.page_size,
            request_id,
            total_count: page.total_count,
        },
        PAGE_ITEM_BYTES.saturating_mul(handshakes.len().saturating_add(1)),
    )
}
