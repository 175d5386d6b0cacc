#![no_main]
//! Every vector check of `org_handshake_fuzz::vector` on arbitrary bytes (invalid UTF-8 replaced,
//! since every parser takes `&str`).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    org_handshake_fuzz::vector(&String::from_utf8_lossy(data));
});
