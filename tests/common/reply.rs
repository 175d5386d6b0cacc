//! What an error snapshot holds: the status and the body of a
//! [`Reply`](org_handshake::provider::Reply). The headers, kind and events of a reply are
//! checked elsewhere, so that a snapshot changes only when the wire body or status does.

use org_handshake::provider::Reply;

/// A reply's status and body, serialized as `{"status": …, "body": …}` for a snapshot.
#[derive(Debug, serde::Serialize)]
pub struct StatusAndBody {
    /// The HTTP status.
    pub status: u16,
    /// The body, read as JSON.
    pub body: serde_json::Value,
}

/// The status and body of `reply`, for `insta::assert_json_snapshot!`.
pub fn status_and_body(reply: &Reply) -> StatusAndBody {
    StatusAndBody {
        status: reply.status,
        body: reply.json(),
    }
}
