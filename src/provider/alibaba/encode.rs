//! An Alibaba Cloud Resource Directory call as the current SDK sends it (RPC, "V3"
//! signature): `POST /` with the operation in `x-acs-action`, the API version in
//! `x-acs-version`, every parameter in the query, and an `ACS3-HMAC-SHA256` `Authorization`
//! whose credential is the caller (a placeholder signature; an emulator does not verify it).

use serde_json::Value;

use crate::provider::outgoing::{parameter_text, query_string};
use crate::provider::outgoing::{EncodeError, OutgoingRequest};

/// The ResourceManager API version.
const VERSION: &str = "2020-03-31";

/// The SHA-256 of an empty body, which the V3 signature sends in `x-acs-content-sha256`.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Writes `operation` for `caller` as the SDK does. Any operation name is written (an unknown
/// one is the server's to refuse), so this never fails.
pub(super) fn encode(
    operation: &str,
    caller: &str,
    request: &Value,
) -> Result<OutgoingRequest, EncodeError> {
    let mut call = OutgoingRequest::new("POST", "/");
    if let Some(parameters) = request.as_object() {
        call.query = query_string(
            parameters
                .iter()
                .filter_map(|(key, value)| Some((key.as_str(), parameter_text(value)?))),
        );
    }
    call.push_header("x-acs-action", operation);
    call.push_header("x-acs-version", VERSION);
    call.push_header("x-acs-content-sha256", EMPTY_SHA256);
    call.push_header("accept", "application/json");
    call.push_header(
        "Authorization",
        format!(
            "ACS3-HMAC-SHA256 Credential={caller},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-version,Signature=unsigned"
        ),
    );
    Ok(call)
}
