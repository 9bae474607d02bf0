//! Localization ids: culture names (`fr-FR`, `fr`), and the Windows LCIDs the branding CDN
//! paths use (`…/logintenantbranding/1036/bannerlogo`, REFERENCE.md §7).

/// Whether `id` addresses the default branding: `0` or `default` (REFERENCE.md §7, §15.13).
pub(crate) fn is_default_id(id: &str) -> bool {
    id == "0" || id.eq_ignore_ascii_case("default")
}

/// Whether `id` is a culture name a localization can have: a 2–3 letter language, then
/// optional subtags of 2–8 letters or digits (`fr`, `fr-FR`, `zh-Hant-TW`, `es-419`).
///
/// REFERENCE.md §8 describes `ll-CC` but its list example holds a bare `fr`, so any
/// well-formed culture name is accepted; only its form is checked, not that it exists.
pub(crate) fn is_culture_name(id: &str) -> bool {
    let mut parts = id.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    language_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Windows LCIDs of the cultures Entra's sign-in pages are translated into, and of their
/// neutral languages. Used only to build `*RelativeUrl` paths.
// Kept in rows: one entry per line would make the table five screens long.
#[rustfmt::skip]
const LCIDS: &[(&str, u32)] = &[
    ("ar", 1), ("ar-SA", 1025), ("bg", 2), ("bg-BG", 1026), ("ca", 3), ("ca-ES", 1027),
    ("cs", 5), ("cs-CZ", 1029), ("da", 6), ("da-DK", 1030), ("de", 7), ("de-AT", 3079),
    ("de-CH", 2055), ("de-DE", 1031), ("el", 8), ("el-GR", 1032), ("en", 9), ("en-AU", 3081),
    ("en-CA", 4105), ("en-GB", 2057), ("en-IN", 16393), ("en-US", 1033), ("es", 10),
    ("es-ES", 3082), ("es-MX", 2058), ("et", 37), ("et-EE", 1061), ("eu", 45), ("eu-ES", 1069),
    ("fi", 11), ("fi-FI", 1035), ("fr", 12), ("fr-BE", 2060), ("fr-CA", 3084), ("fr-CH", 4108),
    ("fr-FR", 1036), ("gl", 86), ("gl-ES", 1110), ("he", 13), ("he-IL", 1037), ("hi", 57),
    ("hi-IN", 1081), ("hr", 26), ("hr-HR", 1050), ("hu", 14), ("hu-HU", 1038), ("id", 33),
    ("id-ID", 1057), ("it", 16), ("it-IT", 1040), ("ja", 17), ("ja-JP", 1041), ("kk", 63),
    ("kk-KZ", 1087), ("ko", 18), ("ko-KR", 1042), ("lt", 39), ("lt-LT", 1063), ("lv", 38),
    ("lv-LV", 1062), ("ms", 62), ("ms-MY", 1086), ("nb", 31764), ("nb-NO", 1044), ("nl", 19),
    ("nl-BE", 2067), ("nl-NL", 1043), ("pl", 21), ("pl-PL", 1045), ("pt", 22), ("pt-BR", 1046),
    ("pt-PT", 2070), ("ro", 24), ("ro-RO", 1048), ("ru", 25), ("ru-RU", 1049), ("sk", 27),
    ("sk-SK", 1051), ("sl", 36), ("sl-SI", 1060), ("sr-Cyrl-RS", 10266), ("sr-Latn-RS", 9242),
    ("sv", 29), ("sv-SE", 1053), ("th", 30), ("th-TH", 1054), ("tr", 31), ("tr-TR", 1055),
    ("uk", 34), ("uk-UA", 1058), ("vi", 42), ("vi-VN", 1066), ("zh-CN", 2052),
    ("zh-Hans", 4), ("zh-Hant", 31748), ("zh-HK", 3076), ("zh-TW", 1028),
];

/// The path segment for a branding's assets: `0` for the default, the LCID of a known culture,
/// and, for a culture with no LCID in the table, the culture name itself in lower case. Windows
/// would use 4096 (`LOCALE_CUSTOM_UNSPECIFIED`) there; the name keeps paths unique.
pub(crate) fn asset_path_segment(id: &str) -> String {
    if is_default_id(id) {
        return "0".to_owned();
    }
    LCIDS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(id))
        .map_or_else(|| id.to_ascii_lowercase(), |(_, lcid)| lcid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn culture_names_are_checked_by_form() {
        for ok in ["fr", "fr-FR", "en-us", "zh-Hant-TW", "es-419"] {
            assert!(is_culture_name(ok), "{ok}");
        }
        for bad in [
            "",
            "f",
            "french",
            "fr_FR",
            "fr-",
            "fr-F",
            "0",
            "de-DE-x-abcdefghi",
        ] {
            assert!(!is_culture_name(bad), "{bad}");
        }
    }

    #[test]
    fn asset_paths_use_lcids_as_the_docs_show() {
        assert_eq!(asset_path_segment("default"), "0");
        assert_eq!(asset_path_segment("fr-FR"), "1036");
        assert_eq!(asset_path_segment("fr-fr"), "1036");
        assert_eq!(asset_path_segment("xx-YY"), "xx-yy");
    }
}
