//! Custom attribute names Graph can turn into an attribute id.
//!
//! Graph derives a custom attribute's id from its name: `extension_<appId>_<Name>`, with the
//! spaces of the name removed and its casing kept ("Favorite color" → `Favoritecolor`,
//! REFERENCE.md §5). The character rules are not documented (§16.17); we accept what a
//! directory extension property name can hold, ASCII letters, digits and `_`, starting with
//! a letter, and compare ids without regard to case, as the directory compares extension
//! property names.

use std::collections::BTreeMap;

use crate::builtins;
use crate::checks::seen_before;
use crate::config::Config;
use crate::diagnostic::Diagnostic;

pub(super) fn check(config: &Config, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeMap::new();
    for attribute in &config.attributes {
        let name = &attribute.name;
        let id = match id_name(name) {
            Ok(id) => id,
            Err(reason) => {
                out.push(
                    Diagnostic::error(
                        "attribute-name-not-an-id",
                        format!(
                            "Graph cannot make an attribute id from the name `{}`",
                            name.as_str()
                        ),
                        Some(name.span()),
                    )
                    .with_label(reason)
                    .with_help(
                        "use ASCII letters, digits, `_` and spaces, starting with a letter \
                         (spaces are dropped from the id: `Favorite color` becomes \
                         `Favoritecolor`)",
                    ),
                );
                continue;
            }
        };
        if let Some(builtin) = builtins::ATTRIBUTES
            .iter()
            .find(|b| b.id.eq_ignore_ascii_case(&id))
        {
            out.push(
                Diagnostic::error(
                    "attribute-shadows-built-in",
                    format!(
                        "the custom attribute `{}` has the name of the built-in attribute `{}`",
                        name.as_str(),
                        builtin.id
                    ),
                    Some(name.span()),
                )
                .with_label("page inputs could not tell the two apart")
                .with_help(format!(
                    "collect the built-in `{}` without declaring it, or give the custom \
                     attribute another name",
                    builtin.id
                )),
            );
            continue;
        }
        if let Some(first) = seen_before(&mut seen, id.to_ascii_lowercase(), name) {
            out.push(
                Diagnostic::error(
                    "attribute-id-collision",
                    format!(
                        "the attributes `{}` and `{}` get the same id `extension_…_{id}`",
                        first.as_str(),
                        name.as_str()
                    ),
                    Some(name.span()),
                )
                .with_related(first.span(), "this attribute has the same id")
                .with_label(format!("becomes `{id}`"))
                .with_help(
                    "Graph drops spaces and ignores case when it makes the id: rename one \
                     of them",
                ),
            );
        }
    }
}

/// The name part of the id Graph derives from an attribute name, or why it cannot.
pub(super) fn id_name(name: &str) -> Result<String, String> {
    let id: String = name.chars().filter(|c| *c != ' ').collect();
    let Some(first) = id.chars().next() else {
        return Err("the name has no letters".to_owned());
    };
    if !first.is_ascii_alphabetic() {
        return Err(format!("starts with `{first}`, not a letter"));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(format!("`{bad}` cannot be part of an attribute id"));
    }
    Ok(id)
}
