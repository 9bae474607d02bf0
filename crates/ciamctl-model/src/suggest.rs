//! Wording shared by diagnostics: "did you mean" suggestions, lists of choices, and the names
//! people know the model's objects by.

use crate::diagnostic::{Diagnostic, Span};

/// The most candidates a name is compared with for a "did you mean". Real configurations have
/// a few dozen; comparing each of thousands of unknown names with each of thousands of
/// candidates would take minutes.
pub(crate) const MAX_CANDIDATES: usize = 200;

/// The most items a list in a message names; the others are counted. A help line naming
/// hundreds of attributes helps no one, and one per diagnostic would make the output grow with
/// the square of the configuration.
const MAX_LISTED: usize = 20;

/// The candidate closest to `written`, if one is close enough to be a likely typo.
pub(crate) fn closest<'a>(written: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let written = written.to_lowercase();
    candidates
        .iter()
        .take(MAX_CANDIDATES)
        .map(|candidate| {
            let score = strsim::jaro_winkler(&written, &candidate.to_lowercase());
            (score, *candidate)
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// "`a`, `b` or `c`": a choice.
pub(crate) fn list<S: AsRef<str>>(items: &[S]) -> String {
    join(items, "or")
}

/// "`a`, `b` and `c`": all of them.
pub(crate) fn all<S: AsRef<str>>(items: &[S]) -> String {
    join(items, "and")
}

fn join<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    let quote = |item: &S| format!("`{}`", item.as_ref());
    if items.len() > MAX_LISTED {
        let shown: Vec<String> = items[..MAX_LISTED].iter().map(quote).collect();
        let more = items.len() - MAX_LISTED;
        return format!("{}, … {conjunction} {more} more", shown.join(", "));
    }
    let quoted: Vec<String> = items.iter().map(quote).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// What people call the object a model struct stands for, from its serde name.
pub(crate) fn noun(struct_name: &str) -> String {
    match struct_name {
        "ConfigFile" => return "configuration file".to_owned(),
        "EnvironmentFile" => return "environment file".to_owned(),
        "IdentityProviderType" => return "identity provider type".to_owned(),
        "OidcClientAuthentication" => return "OIDC client authentication".to_owned(),
        "OidcInboundClaimMapping" => return "OIDC claims mapping".to_owned(),
        "OidcAddressClaimMapping" => return "OIDC address claims mapping".to_owned(),
        _ => {}
    }
    let mut words = String::new();
    for (i, c) in struct_name.char_indices() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

/// "a user flow", "an identity provider".
pub(crate) fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'O']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// A key that the struct named `struct_name` does not have.
pub(crate) fn unknown_key(struct_name: &str, key: &str, fields: &[&str], span: Span) -> Diagnostic {
    let (message, accepted) = if struct_name == "ConfigFile" {
        (
            format!("unknown section `{key}`"),
            format!("the sections are {}", all(fields)),
        )
    } else {
        let what = with_article(&noun(struct_name));
        (
            format!("unknown key `{key}` in {what}"),
            format!("the keys of {what} are {}", all(fields)),
        )
    };
    let diagnostic = Diagnostic::error("unknown-key", message, Some(span));
    if key == "<<" {
        return diagnostic.with_label("merge key").with_help(
            "merge keys (`<<`) are a YAML 1.1 feature and are not supported; write the keys \
             out, or use an alias (`*name`) for a whole value",
        );
    }
    match closest(key, fields) {
        Some(candidate) => diagnostic
            .with_label(format!("did you mean `{candidate}`?"))
            .with_help(format!("rename it to `{candidate}`; {accepted}")),
        None => diagnostic
            .with_label("unknown key")
            .with_help(format!("remove it; {accepted}")),
    }
}

#[cfg(test)]
mod tests;
