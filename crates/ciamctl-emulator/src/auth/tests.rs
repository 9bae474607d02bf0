//! Unit tests of the parts of the token endpoint that need no HTTP round trip.

use super::permissions::grants;
use super::registration::{ClientSecret, pem_encode};

#[test]
fn read_write_permission_grants_the_read_permission_but_not_the_reverse() {
    assert!(grants(
        "EventListener.ReadWrite.All",
        "EventListener.Read.All"
    ));
    assert!(grants("EventListener.Read.All", "EventListener.Read.All"));
    assert!(!grants(
        "EventListener.Read.All",
        "EventListener.ReadWrite.All"
    ));
    assert!(!grants(
        "IdentityProvider.ReadWrite.All",
        "EventListener.Read.All"
    ));
}

#[test]
fn client_secret_matches_only_the_exact_value() {
    let secret = ClientSecret::new("s3cret");
    assert!(secret.matches("s3cret"));
    assert!(!secret.matches("s3cre"));
    assert!(!secret.matches("s3cret "));
    assert!(!secret.matches("S3cret"));
}

#[test]
fn pem_sections_wrap_base64_at_64_columns() {
    let pem = pem_encode("TEST", &[0u8; 60]);
    let lines: Vec<&str> = pem.lines().collect();
    assert_eq!(lines.first(), Some(&"-----BEGIN TEST-----"));
    assert_eq!(lines[1].len(), 64);
    assert_eq!(lines[2].len(), 16);
    assert_eq!(lines.last(), Some(&"-----END TEST-----"));
}
