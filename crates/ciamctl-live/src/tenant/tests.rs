//! The live tenant: unknown kinds, sorting, the JSON snapshot.

use crate::sample;
use crate::{Kind, Known, LiveTenant};

#[test]
fn unknown_kinds_are_listed_in_a_fixed_order_with_their_reason() {
    let tenant = LiveTenant {
        identity_providers: Known::unknown(
            "GET /v1.0/identity/identityProviders",
            "503 after 5 retries",
        ),
        ..sample::tenant_with_unknown_kind()
    };
    let unknown: Vec<(Kind, &str)> = tenant
        .unknown_kinds()
        .into_iter()
        .map(|(kind, failure)| (kind, failure.request.as_str()))
        .collect();
    assert_eq!(
        unknown[0],
        (
            Kind::IdentityProviders,
            "GET /v1.0/identity/identityProviders"
        )
    );
    assert_eq!(unknown[1].0, Kind::Applications);
    assert_eq!(unknown.len(), 2);
    assert!(!tenant.is_complete());
    assert!(sample::tenant().is_complete());
    assert!(sample::tenant().unknown_kinds().is_empty());
}

#[test]
fn the_json_snapshot_sorts_collections_masks_secrets_and_marks_the_unknown_kind() {
    insta::assert_json_snapshot!(sample::tenant_with_unknown_kind());
}

#[test]
fn serialisation_does_not_depend_on_collection_order() {
    let tenant = sample::tenant();
    let mut sorted = tenant.clone();
    sorted.sort();
    assert_eq!(
        serde_json::to_string(&tenant).unwrap(),
        serde_json::to_string(&sorted).unwrap()
    );
    let flows = sorted.user_flows.known().unwrap();
    assert_eq!(flows[0].display_name, "Partners");
    let apps = sorted.applications.known().unwrap();
    assert_eq!(apps[0].display_name, "Woodgrove admin");
}
