//! Rendering a live tenant as text.

use serde_json::json;

use crate::read::FromGraph;
use crate::sample;
use crate::{IdentityProvider, Known, LiveTenant, render_text};

fn text(tenant: &LiveTenant) -> String {
    let mut out = Vec::new();
    render_text(tenant, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_tenant_renders_as_a_sorted_tree_with_the_unknown_kind_and_its_reason() {
    insta::assert_snapshot!(text(&sample::tenant_with_unknown_kind()));
}

#[test]
fn the_rendering_does_not_depend_on_the_order_graph_listed_objects_in() {
    let tenant = sample::tenant();
    let mut sorted = tenant.clone();
    sorted.sort();
    let mut reversed = tenant.clone();
    for kind in [&mut reversed.user_flows] {
        if let Some(flows) = kind.known_mut() {
            flows.reverse();
        }
    }
    assert_ne!(reversed, sorted, "the sample must be listed out of order");
    assert_eq!(text(&tenant), text(&sorted));
    assert_eq!(text(&tenant), text(&reversed));
}

#[test]
fn a_tenant_without_default_branding_says_none() {
    let tenant = LiveTenant {
        branding: Known::Known(None),
        ..sample::tenant()
    };
    assert!(text(&tenant).contains("\nbranding:\n  none\n"));
}

#[test]
fn a_secret_echoed_in_clear_is_shown_and_serialised_only_as_the_mask() {
    let provider = IdentityProvider::from_graph(&json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Amazon-OAUTH",
        "displayName": "Amazon", "identityProviderType": "Amazon",
        "clientId": "c", "clientSecret": "s3cr3t-in-clear"
    }))
    .unwrap();
    let tenant = LiveTenant {
        identity_providers: Known::Known(vec![provider]),
        ..sample::tenant()
    };
    let rendered = text(&tenant);
    let json = serde_json::to_string(&tenant).unwrap();
    for output in [&rendered, &json] {
        assert!(!output.contains("s3cr3t"), "{output}");
    }
    for line in rendered.lines().filter(|line| line.contains("Secret")) {
        assert!(line.ends_with(": ******"), "{line}");
    }
}
