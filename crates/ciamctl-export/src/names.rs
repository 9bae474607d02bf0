//! Names the export makes up: file names from display names, and the environment variables a
//! secret is read from.
//!
//! Both are derived from the object's name alone, so they do not change when Graph lists
//! objects in another order; objects whose derived names collide are told apart by a number
//! (`-2`, `_2`, …) given in the order of their names (then ids), which is fixed too.

use std::collections::BTreeSet;

/// `text`'s ASCII letters and digits, each other run of characters one `separator`, trimmed of
/// separators at either end; `fallback` when nothing is left.
fn alphanumeric(text: &str, separator: char, fallback: &str) -> String {
    let mut out = String::new();
    let mut pending = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push(separator);
            }
            pending = false;
            out.push(c);
        } else {
            pending = true;
        }
    }
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

/// The longest [`file_slug`], in bytes: file systems refuse names over 255 bytes, and the
/// slug still gets a number and an extension.
const MAX_SLUG: usize = 80;

/// A file name (without extension) for an object named `name`: lower case, `-` between words
/// (`Woodgrove customers` → `woodgrove-customers`), cut to [`MAX_SLUG`] characters; `fallback`
/// for a name without a letter or digit.
pub(crate) fn file_slug(name: &str, fallback: &str) -> String {
    let mut slug = alphanumeric(name, '-', fallback).to_ascii_lowercase();
    // ASCII only, so any byte index is a character boundary.
    slug.truncate(MAX_SLUG);
    slug.truncate(slug.trim_end_matches('-').len());
    slug
}

/// A path segment for a locale: kept as written when it is letters, digits and `-`
/// (`fr-FR`), else made one.
pub(crate) fn locale_slug(locale: &str) -> String {
    alphanumeric(locale, '-', "locale")
}

/// What follows the stem of a secret's variable name ([`secret_stem`]).
pub(crate) const SECRET_SUFFIX: &str = "_CLIENT_SECRET";

/// The start of the environment variable an identity provider's client secret is read from,
/// `IDP_<NAME>`, to which [`SECRET_SUFFIX`] is added: the name in upper case with `_` between
/// words (`Woodgrove Partners` → `IDP_WOODGROVE_PARTNERS_CLIENT_SECRET`).
pub(crate) fn secret_stem(provider: &str) -> String {
    let name = alphanumeric(provider, '_', "PROVIDER").to_ascii_uppercase();
    format!("IDP_{name}")
}

/// Hands out distinct names: the first claim of a name gets it, later claims of the same name
/// get it with `2`, `3`, … appended after `separator`. Names compare without regard to case,
/// since a configuration directory may live on a file system that ignores it.
#[derive(Debug)]
pub(crate) struct Unique {
    taken: BTreeSet<String>,
    separator: &'static str,
}

impl Unique {
    pub(crate) fn new(separator: &'static str) -> Self {
        Self {
            taken: BTreeSet::new(),
            separator,
        }
    }

    /// `base`, or `base` with the first free number.
    pub(crate) fn claim(&mut self, base: &str) -> String {
        let mut candidate = base.to_owned();
        let mut n = 1;
        while !self.taken.insert(candidate.to_ascii_lowercase()) {
            n += 1;
            candidate = format!("{base}{}{n}", self.separator);
        }
        candidate
    }

    /// Claims a name made of `stem`, a number when needed, and `suffix` (`IDP_GOOGLE` + `_2` +
    /// `_CLIENT_SECRET`), so that the number sits inside the name.
    pub(crate) fn claim_around(&mut self, stem: &str, suffix: &str) -> String {
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                format!("{stem}{suffix}")
            } else {
                format!("{stem}{}{n}{suffix}", self.separator)
            };
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_slugs_keep_letters_and_digits_in_lower_case() {
        assert_eq!(
            file_slug("Woodgrove customers", "flow"),
            "woodgrove-customers"
        );
        assert_eq!(
            file_slug("  Sign-up & sign-in (v2)! ", "flow"),
            "sign-up-sign-in-v2"
        );
        assert_eq!(file_slug("Café", "flow"), "caf");
        assert_eq!(file_slug("日本語", "flow"), "flow");
        assert_eq!(file_slug("../../etc/passwd", "flow"), "etc-passwd");
        let long = file_slug(&"abc ".repeat(100), "flow");
        assert_eq!(
            long.len(),
            MAX_SLUG - 1,
            "cut, then its trailing `-` dropped"
        );
        assert!(
            long.starts_with("abc-abc-") && long.ends_with("abc"),
            "{long}"
        );
    }

    #[test]
    fn secret_variables_are_named_after_the_provider() {
        assert_eq!(secret_stem("Google"), "IDP_GOOGLE");
        assert_eq!(secret_stem("Woodgrove Partners"), "IDP_WOODGROVE_PARTNERS");
        assert_eq!(secret_stem("é"), "IDP_PROVIDER");
    }

    #[test]
    fn locales_that_are_letters_digits_and_dashes_are_kept() {
        assert_eq!(locale_slug("fr-FR"), "fr-FR");
        assert_eq!(locale_slug("../x"), "x");
    }

    #[test]
    fn colliding_names_get_numbers_in_claim_order_without_regard_to_case() {
        let mut names = Unique::new("-");
        assert_eq!(names.claim("sign-in"), "sign-in");
        assert_eq!(names.claim("Sign-In"), "Sign-In-2");
        assert_eq!(names.claim("sign-in"), "sign-in-3");
        let mut variables = Unique::new("_");
        assert_eq!(
            variables.claim_around("IDP_A_B", "_CLIENT_SECRET"),
            "IDP_A_B_CLIENT_SECRET"
        );
        assert_eq!(
            variables.claim_around("IDP_A_B", "_CLIENT_SECRET"),
            "IDP_A_B_2_CLIENT_SECRET"
        );
    }
}
