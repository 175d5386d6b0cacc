//! An AWS Organizations call as botocore sends it (JSON 1.1): `POST /` with the operation in
//! `X-Amz-Target`, the request as the JSON body, and a SigV4 `Authorization` whose access key
//! id is the caller (a placeholder signature here; a wire client signs it).

use serde_json::Value;

use crate::provider::outgoing::{EncodeError, OutgoingRequest};

use super::dialect::{CONTENT_TYPE, TARGET_PREFIX};

/// The region and service of the placeholder credential scope (botocore's for Organizations).
const SCOPE: &str = "us-east-1/organizations/aws4_request";

/// Writes `operation` for `caller` as botocore does. Any operation name is written (an
/// unknown one is the server's to refuse), so this never fails.
pub(super) fn encode(
    operation: &str,
    caller: &str,
    request: &Value,
) -> Result<OutgoingRequest, EncodeError> {
    let mut call = OutgoingRequest::new("POST", "/");
    call.push_header("Content-Type", CONTENT_TYPE);
    call.push_header("X-Amz-Target", format!("{TARGET_PREFIX}{operation}"));
    call.push_header(
        "Authorization",
        format!(
            "AWS4-HMAC-SHA256 Credential={caller}/19700101/{SCOPE}, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=unsigned"
        ),
    );
    // botocore sends `{}` for an empty input, never an empty body.
    call.body = request.to_string().into_bytes();
    Ok(call)
}
