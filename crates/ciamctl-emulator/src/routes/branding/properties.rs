//! The properties of `organizationalBrandingProperties` (REFERENCE.md §7): which may be written
//! in a JSON body and within which limits, how a PATCH merges into what is stored, and the shape
//! reads answer with.

use serde_json::{Value, json};

use super::state::BrandingRecord;
use super::streams::{self, Stream};
use crate::error::GraphError;
use crate::state::Object;
use crate::types::full_shape;

/// What kind of value a property holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Id,
    /// A string of at most `max_chars` characters; `ascii` when it must be ASCII.
    Text {
        max_chars: usize,
        ascii: bool,
    },
    /// A hex colour (`#RGB` or `#RRGGBB`) or blank.
    Colour,
    /// A complex value of the named type.
    Complex(&'static str),
    Stream(Stream),
    /// Read-only: the CDN path of the stream's asset.
    RelativeUrl(Stream),
    /// Read-only: the CDN hosts.
    CdnList,
}

/// Only external tenants have this property (REFERENCE.md §7).
pub(crate) const CONTENT_CUSTOMIZATION: &str = "contentCustomization";

const fn text(max_chars: usize) -> Kind {
    Kind::Text {
        max_chars,
        ascii: false,
    }
}

/// Every property, in the CSDL's order (which is the docs' order), `id` first, with the
/// limits of REFERENCE.md §7. A unit test keeps it in step with the type table.
pub(crate) static PROPERTIES: &[(&str, Kind)] = &[
    ("id", Kind::Id),
    ("backgroundColor", Kind::Colour),
    ("backgroundImage", Kind::Stream(Stream::BackgroundImage)),
    (
        "backgroundImageRelativeUrl",
        Kind::RelativeUrl(Stream::BackgroundImage),
    ),
    ("bannerLogo", Kind::Stream(Stream::BannerLogo)),
    (
        "bannerLogoRelativeUrl",
        Kind::RelativeUrl(Stream::BannerLogo),
    ),
    ("cdnList", Kind::CdnList),
    (CONTENT_CUSTOMIZATION, Kind::Complex("contentCustomization")),
    (
        "customAccountResetCredentialsUrl",
        Kind::Text {
            max_chars: 128,
            ascii: true,
        },
    ),
    ("customCannotAccessYourAccountText", text(256)),
    ("customCannotAccessYourAccountUrl", text(128)),
    ("customCSS", Kind::Stream(Stream::CustomCss)),
    ("customCSSRelativeUrl", Kind::RelativeUrl(Stream::CustomCss)),
    ("customForgotMyPasswordText", text(256)),
    ("customPrivacyAndCookiesText", text(256)),
    ("customPrivacyAndCookiesUrl", text(128)),
    ("customResetItNowText", text(256)),
    ("customTermsOfUseText", text(256)),
    ("customTermsOfUseUrl", text(128)),
    ("favicon", Kind::Stream(Stream::Favicon)),
    ("faviconRelativeUrl", Kind::RelativeUrl(Stream::Favicon)),
    ("headerBackgroundColor", Kind::Colour),
    ("headerLogo", Kind::Stream(Stream::HeaderLogo)),
    (
        "headerLogoRelativeUrl",
        Kind::RelativeUrl(Stream::HeaderLogo),
    ),
    (
        "loginPageLayoutConfiguration",
        Kind::Complex("loginPageLayoutConfiguration"),
    ),
    (
        "loginPageTextVisibilitySettings",
        Kind::Complex("loginPageTextVisibilitySettings"),
    ),
    ("signInPageText", text(1024)),
    ("squareLogo", Kind::Stream(Stream::SquareLogo)),
    ("squareLogoDark", Kind::Stream(Stream::SquareLogoDark)),
    (
        "squareLogoDarkRelativeUrl",
        Kind::RelativeUrl(Stream::SquareLogoDark),
    ),
    (
        "squareLogoRelativeUrl",
        Kind::RelativeUrl(Stream::SquareLogo),
    ),
    ("usernameHintText", text(64)),
];

/// A property by the name a URL segment or `$select` gives (case-insensitive).
pub(crate) fn lookup(name: &str) -> Option<(&'static str, Kind)> {
    PROPERTIES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .copied()
}

fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

/// The branding rules of a JSON write, checked before the body meets the type table (which
/// checks JSON types, enum members and unknown properties):
///
/// - streams are refused (§15.15): alone, because they are uploaded by URL; with other
///   properties, because the two cannot change in one request;
/// - read-only properties (`*RelativeUrl`, `cdnList`, and the `*RelativeUrl` members of
///   `contentCustomization`) are refused rather than ignored, so a client that echoes a read
///   back is caught (§0.3);
/// - the lengths, ASCII-only URL and hex colours of §7;
/// - `contentCustomization` only on external tenants (§7).
pub(crate) fn check_write(body: &Object, external_tenant: bool) -> Result<(), GraphError> {
    let streams: Vec<&str> = body
        .keys()
        .filter_map(|k| Stream::from_property(k))
        .map(Stream::name)
        .collect();
    if !streams.is_empty() {
        let others = body
            .keys()
            .any(|k| !is_annotation(k) && k != "id" && Stream::from_property(k).is_none());
        let streams = streams.join(", ");
        return Err(GraphError::bad_request(if others {
            format!(
                "Stream properties ({streams}) and non-stream properties cannot be changed in the same request."
            )
        } else {
            format!(
                "Stream properties ({streams}) are uploaded with PUT .../branding/localizations/{{id}}/{{stream}}, not in a JSON body."
            )
        }));
    }
    for (key, value) in body {
        let Some((_, kind)) = PROPERTIES.iter().find(|(n, _)| n == key) else {
            // Annotations and unknown properties are the type table's to judge.
            continue;
        };
        check_value(key, *kind, value, external_tenant)?;
    }
    Ok(())
}

fn check_value(
    key: &str,
    kind: Kind,
    value: &Value,
    external_tenant: bool,
) -> Result<(), GraphError> {
    let invalid =
        |what: String| GraphError::bad_request(format!("Property '{key}' must be {what}."));
    match (kind, value) {
        (Kind::RelativeUrl(_) | Kind::CdnList, _) => Err(read_only(key)),
        (Kind::Complex(_), _) if key == CONTENT_CUSTOMIZATION && !external_tenant => {
            Err(GraphError::bad_request(format!(
                "Property '{key}' exists only on the branding of external tenants."
            )))
        }
        (Kind::Complex(_), Value::Object(members)) => members
            .keys()
            .find(|member| member.ends_with("RelativeUrl"))
            .map_or(Ok(()), |member| Err(read_only(&format!("{key}.{member}")))),
        (Kind::Text { max_chars, ascii }, Value::String(s)) => {
            let chars = s.chars().count();
            if chars > max_chars {
                Err(invalid(format!(
                    "at most {max_chars} characters; this value has {chars}"
                )))
            } else if ascii && !s.is_ascii() {
                Err(invalid("ASCII (URL-encode other characters)".to_owned()))
            } else {
                Ok(())
            }
        }
        (Kind::Colour, Value::String(s)) if !is_colour_or_blank(s) => {
            Err(invalid("a hex colour such as #FFFFFF, or blank".to_owned()))
        }
        _ => Ok(()),
    }
}

fn read_only(path: &str) -> GraphError {
    GraphError::bad_request(format!(
        "The property '{path}' is read-only: the service sets it."
    ))
}

/// `#RGB` or `#RRGGBB`, or a blank string (`""` unset, `" "` explicitly blank on a
/// localization, §15.18). The docs only say "hex colour, e.g. #FFFFFF" (§7).
fn is_colour_or_blank(s: &str) -> bool {
    s.trim().is_empty()
        || s.strip_prefix('#').is_some_and(|hex| {
            matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

/// Merges accepted changes into stored properties with PATCH semantics (`OData` 4.0 §11.4.3):
/// primitives and collections are replaced, complex values are merged member by member.
/// Annotations and `id` are not stored.
pub(crate) fn merge(stored: &mut Object, changes: Object) {
    for (key, value) in changes {
        if is_annotation(&key) || key == "id" {
            continue;
        }
        match (stored.get_mut(&key), value) {
            (Some(Value::Object(current)), Value::Object(inner)) => merge(current, inner),
            (_, value) => {
                stored.insert(key, value);
            }
        }
    }
}

/// What a read needs beyond the record itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadContext<'a> {
    pub(crate) tenant_id: &'a str,
    pub(crate) external_tenant: bool,
}

/// The value a read shows for one property of a record.
///
/// The default branding shows unset strings as `""` (§7); a localization shows exactly what
/// it stores – `""`, `" "` or `null` – because `null` there means "inherit from the default"
/// (§15.18). Unset complex properties are `null` on both; a stored complex value is shown with
/// all its members (unset ones `null`, collections `[]`). Streams are never inlined, not even
/// when selected (§7): their data is at the stream URL, so they read as `null` here.
pub(crate) fn read_value(
    record: &BrandingRecord,
    name: &str,
    kind: Kind,
    cx: ReadContext<'_>,
) -> Value {
    match kind {
        Kind::Id => json!(record.id),
        Kind::Text { .. } | Kind::Colour => match record.properties.get(name) {
            Some(Value::String(s)) => json!(s),
            _ if record.is_default() => json!(""),
            _ => Value::Null,
        },
        Kind::Complex(type_name) => match record.properties.get(name) {
            Some(Value::Object(stored)) => Value::Object(full_shape(stored, type_name)),
            _ => Value::Null,
        },
        Kind::RelativeUrl(stream) => record.assets.get(&stream).map_or(Value::Null, |asset| {
            json!(streams::relative_url(
                cx.tenant_id,
                &record.id,
                stream,
                asset.uploaded_ticks
            ))
        }),
        Kind::CdnList => json!(streams::cdn_list(!record.assets.is_empty())),
        Kind::Stream(_) => Value::Null,
    }
}

/// The properties a read of `record` shows, in the docs' order: every non-stream property
/// (`contentCustomization` only on external tenants). `$select` is applied by the caller.
pub(crate) fn read_shape(record: &BrandingRecord, cx: ReadContext<'_>) -> Object {
    PROPERTIES
        .iter()
        .filter(|(name, kind)| {
            !matches!(kind, Kind::Stream(_))
                && (cx.external_tenant || *name != CONTENT_CUSTOMIZATION)
        })
        .map(|(name, kind)| ((*name).to_owned(), read_value(record, name, *kind, cx)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::ApiVersion;
    use crate::types::WriteMode;

    fn obj(value: Value) -> Object {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("test bodies are objects"),
        }
    }

    #[test]
    fn patch_merges_complex_values_and_replaces_collections() {
        let mut stored = obj(json!({
            "loginPageLayoutConfiguration": { "isHeaderShown": true, "layoutTemplateType": "default" },
            "contentCustomization": { "attributeCollection": [{ "key": "a", "value": "1" }] },
            "signInPageText": "old"
        }));
        merge(
            &mut stored,
            obj(json!({
                "loginPageLayoutConfiguration": { "layoutTemplateType": "verticalSplit" },
                "contentCustomization": { "attributeCollection": [] },
                "signInPageText": null,
                "id": "0"
            })),
        );
        assert_eq!(
            Value::Object(stored),
            json!({
                "loginPageLayoutConfiguration": { "isHeaderShown": true, "layoutTemplateType": "verticalSplit" },
                "contentCustomization": { "attributeCollection": [] },
                "signInPageText": null
            })
        );
    }

    #[test]
    fn limits_colours_and_read_only_properties_are_refused() {
        let refused = |body: Value| check_write(&obj(body), true).unwrap_err().message;
        assert!(refused(json!({ "usernameHintText": "x".repeat(65) })).contains("at most 64"));
        assert!(
            refused(json!({ "customAccountResetCredentialsUrl": "https://é" })).contains("ASCII")
        );
        assert!(refused(json!({ "backgroundColor": "red" })).contains("hex colour"));
        assert!(refused(json!({ "cdnList": [] })).contains("read-only"));
        assert!(
            refused(json!({ "contentCustomization": { "attributeCollectionRelativeUrl": "x" } }))
                .contains("read-only")
        );
        assert!(check_write(&obj(json!({ "contentCustomization": null })), false).is_err());
        assert!(
            check_write(
                &obj(json!({ "backgroundColor": "#0f0", "headerBackgroundColor": " " })),
                true
            )
            .is_ok()
        );
    }

    #[test]
    fn streams_in_a_json_body_are_refused_alone_and_mixed() {
        let refused = |body: Value| check_write(&obj(body), true).unwrap_err().message;
        assert!(refused(json!({ "bannerLogo": "iVBORw0=" })).contains("uploaded with PUT"));
        assert!(
            refused(json!({ "bannerLogo": "iVBORw0=", "signInPageText": "x" }))
                .contains("cannot be changed in the same request")
        );
    }

    /// The table here and the CSDL-checked type table name the same properties.
    #[test]
    fn properties_match_the_type_table() {
        for version in [ApiVersion::V1, ApiVersion::Beta] {
            let ty =
                crate::types::find_type_in("organizationalBrandingLocalization", version).unwrap();
            let mut table: Vec<&str> = crate::types::properties(ty, version)
                .iter()
                .map(|p| p.name)
                .collect();
            let mut ours: Vec<&str> = PROPERTIES.iter().map(|(n, _)| *n).collect();
            table.sort_unstable();
            ours.sort_unstable();
            assert_eq!(ours, table, "{version:?}");
        }
        // And the type table accepts what this module writes.
        let body = obj(
            json!({ "loginPageLayoutConfiguration": { "layoutTemplateType": "VerticalSplit" } }),
        );
        let accepted = crate::types::accept(
            &body,
            "organizationalBranding",
            WriteMode::Update,
            ApiVersion::V1,
        )
        .unwrap();
        assert_eq!(
            accepted.body["loginPageLayoutConfiguration"]["layoutTemplateType"],
            "verticalSplit"
        );
    }
}
