//! Unit tests of the id types.

use super::*;

#[test]
fn inline_ids_compare_as_strings() {
    let a = AccountId::parse("9").unwrap();
    let b = AccountId::parse("10").unwrap();
    assert!(b < a, "ordering is lexicographic, like the strings");
}

#[test]
fn errors_cut_huge_values() {
    let huge = "h-".to_owned() + &"a".repeat(100_000);
    let err = HandshakeId::parse(&huge).unwrap_err();
    match err {
        IdError::Length { value, length, .. } => {
            assert_eq!(value.len(), 64);
            assert_eq!(length, 100_000);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn length_counts_characters_after_the_prefix() {
    assert!(HandshakeId::parse("h-1234567").is_err());
    assert!(HandshakeId::parse("h-12345678").is_ok());
    assert!(HandshakeId::parse(&format!("h-{}", "a".repeat(32))).is_ok());
    assert!(HandshakeId::parse(&format!("h-{}", "a".repeat(33))).is_err());
}

#[test]
fn email_edge_cases() {
    for bad in [
        "@example.com",
        "juan@.com",
        "juan@com.",
        "a@b@c.com",
        "juan@examplecom",
    ] {
        assert!(Email::parse(bad).is_err(), "{bad}");
    }
    assert!(Email::parse("j@b.c.d").is_ok());
}

#[test]
fn serde_validates() {
    let ok: HandshakeId = serde_json::from_str("\"h-0123456789\"").unwrap();
    assert_eq!(ok.as_str(), "h-0123456789");
    let err = serde_json::from_str::<HandshakeId>("\"h-01\"").unwrap_err();
    assert!(err.to_string().contains("handshake id"), "{err}");
}
