//! Credentials on an encoded call, as each provider's SDK puts them: AWS signed with SigV4 by
//! `aws-sigv4` (the caller's account id as the access key id, as LocalStack and floci read
//! it); Huawei and Alibaba given their date headers and the placeholder signature `encode`
//! wrote (the emulators this runs against do not verify those signatures; a real endpoint
//! would refuse them).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningError, SigningSettings};
use aws_sigv4::sign::v4;
use aws_sigv4::sign::v4::signing_params::BuildError;
use chrono::{DateTime, Utc};

use org_handshake::provider::{OutgoingRequest, Provider};

use crate::wire::Endpoint;

/// The secret every signature is made with: the emulators take any.
const SECRET: &str = "org-handshake-conform";

/// Why a call could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The SigV4 signing parameters could not be built.
    #[error("sigv4 parameters: {0}")]
    Parameters(#[source] BuildError),
    /// The signing library refused the request (a URL it cannot parse).
    #[error("sigv4: {0}")]
    Request(#[source] SigningError),
}

/// Signs `call` for `provider` as of `now`, with `access_key` as the credential (the one the
/// call was encoded for).
///
/// # Errors
///
/// [`SignError`] when the signing library refuses the request (a URL it cannot parse).
pub fn sign_call(
    provider: Provider,
    call: &mut OutgoingRequest,
    access_key: &str,
    endpoint: &Endpoint,
    now: DateTime<Utc>,
) -> Result<(), SignError> {
    match provider {
        Provider::Aws => sign_aws(call, access_key, endpoint, now),
        Provider::Huawei => {
            call.set_header("X-Sdk-Date", now.format("%Y%m%dT%H%M%SZ").to_string());
            Ok(())
        }
        Provider::Alibaba => {
            call.set_header("x-acs-date", now.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            call.set_header(
                "x-acs-signature-nonce",
                format!("{}", now.timestamp_nanos_opt().unwrap_or_default()),
            );
            Ok(())
        }
    }
}

fn sign_aws(
    call: &mut OutgoingRequest,
    access_key: &str,
    endpoint: &Endpoint,
    now: DateTime<Utc>,
) -> Result<(), SignError> {
    call.headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
    call.set_header("host", endpoint.authority.as_str());
    let identity = Credentials::new(access_key, SECRET, None, None, "org-handshake-conform").into();
    let time: SystemTime = now.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("organizations")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(SignError::Parameters)?
        .into();
    let url = endpoint.url(&call.target());
    let signable = SignableRequest::new(
        &call.method,
        url,
        call.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&call.body),
    )
    .map_err(SignError::Request)?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(SignError::Request)?
        .into_parts();
    let added: Vec<(String, String)> = instructions
        .headers()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    // The connection writes its own Host header.
    call.headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("host"));
    for (name, value) in added {
        call.set_header(&name, value);
    }
    Ok(())
}
