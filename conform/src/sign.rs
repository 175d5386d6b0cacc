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

use org_handshake::provider::OutgoingRequest;

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

/// How one provider's SDK signs a call: what [`sign_call`] runs for it.
type Signer = fn(&mut OutgoingRequest, &str, &Endpoint, DateTime<Utc>) -> Result<(), SignError>;

/// Each provider's signer, by the name its dialect gives. A provider without an entry is sent
/// with the placeholder credentials its `encode` wrote, which an emulator that does not verify
/// signatures takes.
const SIGNERS: &[(&str, Signer)] = &[
    ("aws", sign_aws),
    ("huawei", date_huawei),
    ("alibaba", date_alibaba),
];

/// Signs `call` for the provider named `provider` as of `now`, with `access_key` as the
/// credential (the one the call was encoded for).
///
/// # Errors
///
/// [`SignError`] when the signing library refuses the request (a URL it cannot parse).
pub fn sign_call(
    provider: &str,
    call: &mut OutgoingRequest,
    access_key: &str,
    endpoint: &Endpoint,
    now: DateTime<Utc>,
) -> Result<(), SignError> {
    match SIGNERS.iter().find(|(name, _)| *name == provider) {
        Some((_, signer)) => signer(call, access_key, endpoint, now),
        None => Ok(()),
    }
}

/// Huawei's SDK dates its request; the signature stays `encode`'s placeholder.
fn date_huawei(
    call: &mut OutgoingRequest,
    _: &str,
    _: &Endpoint,
    now: DateTime<Utc>,
) -> Result<(), SignError> {
    call.set_header("X-Sdk-Date", now.format("%Y%m%dT%H%M%SZ").to_string());
    Ok(())
}

/// Alibaba's SDK dates its request and adds a nonce; the signature stays `encode`'s
/// placeholder.
fn date_alibaba(
    call: &mut OutgoingRequest,
    _: &str,
    _: &Endpoint,
    now: DateTime<Utc>,
) -> Result<(), SignError> {
    call.set_header("x-acs-date", now.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    call.set_header(
        "x-acs-signature-nonce",
        format!("{}", now.timestamp_nanos_opt().unwrap_or_default()),
    );
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use org_handshake::provider::Provider;
    use serde_json::json;

    fn encoded(provider: Provider) -> OutgoingRequest {
        let dialect = provider.dialect();
        let id: org_handshake::HandshakeId = "h-0123456789".parse().expect("an id");
        let (operation, request) = dialect
            .write_call(&org_handshake::provider::Request::Describe(id))
            .unwrap_or_else(|_| ("DescribeHandshake", json!({"HandshakeId": id.as_str()})));
        dialect
            .encode(operation, "111111111111", &request)
            .expect("a describe has a wire form")
    }

    #[test]
    fn each_provider_is_signed_as_its_sdk_does_and_an_unknown_one_is_sent_as_encoded() {
        let endpoint = Endpoint::parse("http://127.0.0.1:4566").expect("an endpoint");
        let now: DateTime<Utc> = "2026-12-07T10:00:00Z".parse().expect("a time");
        let mut aws = encoded(Provider::Aws);
        sign_call("aws", &mut aws, "111111111111", &endpoint, now).expect("signed");
        let authorization = aws
            .header("authorization")
            .expect("an authorization header");
        assert!(
            authorization
                .starts_with("AWS4-HMAC-SHA256 Credential=111111111111/20261207/us-east-1/"),
            "{authorization}"
        );
        assert!(aws.header("x-amz-date").is_some());

        let mut huawei = encoded(Provider::Huawei);
        sign_call("huawei", &mut huawei, "k", &endpoint, now).expect("dated");
        assert_eq!(huawei.header("x-sdk-date"), Some("20261207T100000Z"));

        let mut alibaba = encoded(Provider::Alibaba);
        sign_call("alibaba", &mut alibaba, "k", &endpoint, now).expect("dated");
        assert_eq!(alibaba.header("x-acs-date"), Some("2026-12-07T10:00:00Z"));
        assert!(alibaba.header("x-acs-signature-nonce").is_some());

        let as_encoded = encoded(Provider::Aws);
        let mut unknown = as_encoded.clone();
        sign_call("zcloud", &mut unknown, "k", &endpoint, now).expect("nothing to do");
        assert_eq!(unknown, as_encoded);
        assert_eq!(
            SIGNERS.len(),
            Provider::values().len(),
            "a signer per built-in provider"
        );
    }
}
