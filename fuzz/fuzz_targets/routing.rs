#![no_main]
//! `org_handshake_fuzz::routing_bytes` on arbitrary bytes.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    org_handshake_fuzz::routing_bytes(data);
});
