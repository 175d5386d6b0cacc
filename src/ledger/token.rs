//! Page tokens: a position in a listing as an opaque text that only that listing takes back.
//!
//! A token is the position's text (the payload) in hex, then a checksum of the payload together
//! with what binds it to its listing (the format's version, which listing, the caller, the
//! filter). The checksum is FNV-1a, deterministic and keyless: it catches mistakes and tokens
//! of another listing, it is not a secret. A token the crate did not issue opens to nothing,
//! never to a panic.

use std::fmt::Write as _;

/// The longest token accepted (an encoded position is far shorter).
const MAX_LEN: usize = 400;

/// The token for `payload`; `bind` gives the text the checksum covers for a payload.
pub(super) fn seal(payload: &str, bind: impl Fn(&str) -> String) -> String {
    let checksum = fnv1a(&bind(payload));
    let mut token = String::with_capacity(payload.len() * 2 + 16);
    for byte in payload.bytes() {
        let _ = write!(token, "{byte:02x}");
    }
    let _ = write!(token, "{checksum:016x}");
    token
}

/// The payload `token` holds, if it is well formed and its checksum is the one `bind` gives.
pub(super) fn open(token: &str, bind: impl Fn(&str) -> String) -> Option<String> {
    if token.len() > MAX_LEN || token.len() < 18 || !token.is_ascii() || token.len() % 2 != 0 {
        return None;
    }
    let (hex_payload, hex_checksum) = token.split_at(token.len() - 16);
    let checksum = u64::from_str_radix(hex_checksum, 16).ok()?;
    let bytes = (0..hex_payload.len())
        .step_by(2)
        .map(|i| {
            hex_payload
                .get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()?;
    let payload = String::from_utf8(bytes).ok()?;
    (fnv1a(&bind(&payload)) == checksum).then_some(payload)
}

/// 64-bit FNV-1a.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
