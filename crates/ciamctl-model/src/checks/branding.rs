//! Company branding texts, colours, URLs and locale names (REFERENCE.md §7, §8).
//!
//! * Length limits per property, counted in characters as §7 gives them; the same limits
//!   apply to each localization.
//! * Colours are `#` and six hex digits, the form §7 documents (`#FFFFFF`).
//! * URL properties are ASCII (§7: "non-ASCII URL-encoded") and, as links on the sign-in page,
//!   should be absolute `http(s)` URLs (warning).
//! * The username hint takes no links or code (§7, warning).
//! * `customCannotAccessYourAccountUrl` and `customResetItNowText` are documented as "do not
//!   use" and "not supported" (warning).
//! * A whitespace-only value is an explicit blank (§8, §15 #18) and is not checked further.
//! * Localizations are keyed by `ll` or `ll-CC` (§8: lower-case ISO 639-1 language,
//!   upper-case ISO 3166 region). The default branding is not a localization (`0`/`default`
//!   cannot be created, §8).

use std::fmt::Write as _;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::located::Located;

pub(super) fn check(config: &Config, out: &mut Vec<Diagnostic>) {
    let Some(branding) = &config.branding else {
        return;
    };
    check_texts(&branding.texts(), None, out);
    for (locale, localization) in &branding.localizations {
        check_locale(locale, out);
        check_texts(&localization.texts(), Some(locale.as_str()), out);
    }
}

/// The longest value §7 allows, in characters.
fn max_length(property: &str) -> Option<usize> {
    match property {
        "signInPageText" => Some(1024),
        "usernameHintText" => Some(64),
        "customCannotAccessYourAccountText"
        | "customForgotMyPasswordText"
        | "customPrivacyAndCookiesText"
        | "customResetItNowText"
        | "customTermsOfUseText" => Some(256),
        "customAccountResetCredentialsUrl"
        | "customCannotAccessYourAccountUrl"
        | "customPrivacyAndCookiesUrl"
        | "customTermsOfUseUrl" => Some(128),
        _ => None,
    }
}

/// Why Microsoft tells people not to use a property.
fn discouraged(property: &str) -> Option<&'static str> {
    match property {
        "customCannotAccessYourAccountUrl" => Some(
            "Microsoft documents it as \"do not use\"; set `customAccountResetCredentialsUrl` \
             instead",
        ),
        "customResetItNowText" => Some("Microsoft documents it as not supported; remove it"),
        _ => None,
    }
}

fn check_texts(
    texts: &[(&'static str, &Located<String>)],
    locale: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let whose = locale.map_or_else(String::new, |l| format!(" (localization `{l}`)"));
    for &(property, value) in texts {
        if let Some(why) = discouraged(property) {
            out.push(
                Diagnostic::warning(
                    "discouraged-branding-property",
                    format!("`{property}` should not be used{whose}"),
                    Some(value.span()),
                )
                .with_label("discouraged by Microsoft")
                .with_help(why),
            );
        }
        if value.trim().is_empty() {
            continue;
        }
        let length = value.chars().count();
        if let Some(max) = max_length(property)
            && length > max
        {
            out.push(
                Diagnostic::error(
                    "text-too-long",
                    format!(
                        "`{property}` is {length} characters long; Graph takes at most {max}{whose}"
                    ),
                    Some(value.span()),
                )
                .with_label(format!("{} characters too many", length - max))
                .with_help(format!("shorten the text to {max} characters")),
            );
        }
        if property.ends_with("Color") && !is_hex_colour(value) {
            out.push(
                Diagnostic::error(
                    "invalid-colour",
                    format!("`{property}` is not a hex colour{whose}"),
                    Some(value.span()),
                )
                .with_label("expected `#RRGGBB`")
                .with_help(colour_help(value)),
            );
        }
        if property.ends_with("Url") {
            check_url(property, value, &whose, out);
        }
        if property == "usernameHintText" && has_link_or_markup(value) {
            out.push(
                Diagnostic::warning(
                    "hint-has-link-or-markup",
                    format!("`usernameHintText` should hold no links or code{whose}"),
                    Some(value.span()),
                )
                .with_label("looks like a link or markup")
                .with_help(
                    "the hint is shown as plain text inside the username box; describe the \
                     expected username, e.g. `you@example.com`",
                ),
            );
        }
    }
}

fn is_hex_colour(value: &str) -> bool {
    value
        .strip_prefix('#')
        .is_some_and(|hex| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

fn colour_help(value: &str) -> String {
    // `#FFF` and `FFFFFF` are common near misses with an obvious fix.
    let digits = value.trim().trim_start_matches('#');
    if digits.chars().all(|c| c.is_ascii_hexdigit()) {
        if digits.len() == 3 {
            let long: String = digits.chars().flat_map(|c| [c, c]).collect();
            return format!("write the colour with six digits: `#{long}`");
        }
        if digits.len() == 6 {
            return format!("start the colour with `#`: `#{digits}`");
        }
    }
    "write the colour as `#` and six hex digits, e.g. `#F3F2F1`".to_owned()
}

fn check_url(property: &str, value: &Located<String>, whose: &str, out: &mut Vec<Diagnostic>) {
    if let Some(bad) = value.chars().find(|c| !c.is_ascii()) {
        out.push(
            Diagnostic::error(
                "url-not-ascii",
                format!("`{property}` must be ASCII{whose}"),
                Some(value.span()),
            )
            .with_label(format!("`{bad}` is not ASCII"))
            .with_help(format!(
                "percent-encode characters outside ASCII: `{}`",
                percent_encode_non_ascii(value)
            )),
        );
    } else if !(value.starts_with("https://") || value.starts_with("http://")) {
        out.push(
            Diagnostic::warning(
                "url-not-absolute",
                format!("`{property}` is not an absolute http(s) URL{whose}"),
                Some(value.span()),
            )
            .with_label("no `https://`")
            .with_help("the sign-in page links to it as it is: write the full URL, e.g. `https://example.com/privacy`"),
        );
    }
}

fn percent_encode_non_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

fn has_link_or_markup(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("://") || lower.contains("www.") || text.contains('<') || text.contains('>')
}

fn check_locale(locale: &Located<String>, out: &mut Vec<Diagnostic>) {
    if is_locale(locale) {
        return;
    }
    let diagnostic = Diagnostic::error(
        "invalid-locale",
        format!("`{}` is not a locale name", locale.as_str()),
        Some(locale.span()),
    );
    let diagnostic = if matches!(locale.as_str(), "0" | "default") {
        diagnostic
            .with_label("the default branding is not a localization")
            .with_help("put the default branding's properties directly under `branding`")
    } else {
        let fixed = crate::branding::canonical_locale(locale);
        if is_locale(&fixed) {
            diagnostic
                .with_label(format!("did you mean `{fixed}`?"))
                .with_help("write a locale as a lower-case language and an upper-case region, joined by `-`")
        } else {
            diagnostic.with_label("expected `ll` or `ll-CC`").with_help(
                "write a locale as a two-letter language, optionally followed by `-` and a \
                 two-letter region: `fr`, `fr-FR`, `nl-NL`",
            )
        }
    };
    out.push(diagnostic);
}

/// `ll` or `ll-CC`.
fn is_locale(text: &str) -> bool {
    let bytes = text.as_bytes();
    let language = |b: &[u8]| b.iter().all(u8::is_ascii_lowercase);
    match bytes {
        [a, b] => language(&[*a, *b]),
        [a, b, b'-', c, d] => {
            language(&[*a, *b]) && c.is_ascii_uppercase() && d.is_ascii_uppercase()
        }
        _ => false,
    }
}
