//! The attribute collection page of each user flow: what each input collects and how.
//!
//! * An input names a built-in attribute (REFERENCE.md §17) or the `name` of a custom one, and
//!   an attribute appears once per page (Graph keys the flow's attributes by id, §4). A name
//!   that a damaged or dropped attribute may have had is not reported as unknown.
//! * The input type fits the attribute's data type ([`builtins::input_types`]; the rule is
//!   ours, §16.6). Radio and checkbox inputs need `options`, other inputs take none (not said
//!   of an input with a structural error: it may have lost its `inputType` or an option), and
//!   option values are unique (they are what gets stored).
//! * `validationRegEx` must compile. Graph's regexes are .NET regular expressions, so they are
//!   compiled with `fancy-regex`, which accepts what the `regex` crate refuses and .NET takes:
//!   lookahead, lookbehind, backreferences, atomic groups. .NET-only syntax beyond that
//!   (balancing groups, inline comments) is reported as an error too; we have not seen it in
//!   sign-up pages.
//! * Warnings: a default value that is not one of a radio input's options, or that its own
//!   regex rejects, and two options with the same label.

use std::collections::BTreeMap;

use fancy_regex::Regex;

use crate::attribute::DataType;
use crate::builtins;
use crate::checks::seen_before;
use crate::config::Config;
use crate::damage::Damage;
use crate::diagnostic::Diagnostic;
use crate::located::Located;
use crate::suggest;
use crate::user_flow::{InputType, Page, PageInput};

pub(super) fn check(config: &Config, damage: &Damage, out: &mut Vec<Diagnostic>) {
    let attributes = Attributes::of(config);
    for flow in &config.user_flows {
        if let Some(page) = &flow.page {
            check_page(&attributes, damage, page, out);
        }
    }
}

/// The attributes an input can name, gathered once: every input looks its attribute up.
struct Attributes<'a> {
    /// The declared custom attributes' data types, by name.
    declared: BTreeMap<&'a str, DataType>,
    /// Every name, built-in ones first, for "did you mean".
    names: Vec<&'a str>,
}

impl<'a> Attributes<'a> {
    fn of(config: &'a Config) -> Self {
        let declared = config.attributes.iter().map(|a| a.name.as_str());
        let mut names: Vec<&str> = builtins::ATTRIBUTES.iter().map(|a| a.id).collect();
        names.extend(declared.clone());
        Self {
            declared: declared
                .zip(config.attributes.iter().map(|a| *a.data_type))
                .collect(),
            names,
        }
    }

    /// The data type of a built-in or declared attribute.
    fn data_type(&self, name: &str) -> Option<DataType> {
        if builtins::attribute(name).is_some() {
            // §17: every built-in attribute is a string.
            return Some(DataType::String);
        }
        self.declared.get(name).copied()
    }
}

fn check_page(
    attributes: &Attributes<'_>,
    damage: &Damage,
    page: &Page,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen = BTreeMap::new();
    for input in &page.inputs {
        let attribute = &input.attribute;
        if let Some(first) = seen_before(&mut seen, attribute.as_str(), attribute.span()) {
            out.push(
                Diagnostic::error(
                    "duplicate-input",
                    format!(
                        "the attribute `{}` is collected twice on one page",
                        attribute.as_str()
                    ),
                    Some(attribute.span()),
                )
                .with_label("collected again")
                .with_related(first, "first collected here")
                .with_help("a page collects each attribute once: remove one of the inputs"),
            );
            continue;
        }
        let Some(data_type) = attributes.data_type(attribute.as_str()) else {
            if !damage.attributes.may_include(attribute) {
                out.push(unknown_attribute(&attributes.names, attribute));
            }
            continue;
        };
        check_input(input, data_type, out);
        if !damage.within(input.span()) {
            check_option_count(input, data_type, out);
        }
    }
}

/// `attribute` is not among `names`, the built-in and declared attributes.
fn unknown_attribute(names: &[&str], attribute: &Located<String>) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "unknown-attribute",
        format!("there is no attribute `{}`", attribute.as_str()),
        Some(attribute.span()),
    );
    let help = "name a built-in attribute (`email`, `displayName`, `city`, …) or declare a \
                custom one under `attributes`";
    match suggest::closest(attribute, names) {
        Some(candidate) => diagnostic
            .with_label(format!("did you mean `{candidate}`?"))
            .with_help(help),
        None => diagnostic
            .with_label("neither built-in nor declared")
            .with_help(help),
    }
}

/// The input type as written, or the data type's default.
fn input_type(input: &PageInput, data_type: DataType) -> InputType {
    input
        .input_type
        .as_ref()
        .map_or_else(|| builtins::default_input_type(data_type), |t| *t.get())
}

fn check_input(input: &PageInput, data_type: DataType, out: &mut Vec<Diagnostic>) {
    if let Some(input_type) = &input.input_type {
        let fitting = builtins::input_types(data_type);
        if !fitting.contains(input_type.get()) {
            let names: Vec<&str> = fitting
                .iter()
                .map(|t| builtins::input_type_name(*t))
                .collect();
            let data_type_name = builtins::data_type_name(data_type);
            out.push(
                Diagnostic::error(
                    "input-type-mismatch",
                    format!(
                        "a `{}` input cannot collect the {data_type_name} attribute `{}`",
                        builtins::input_type_name(*input_type.get()),
                        input.attribute.as_str()
                    ),
                    Some(input_type.span()),
                )
                .with_label(format!("does not fit a {data_type_name} attribute"))
                .with_help(format!(
                    "a {data_type_name} attribute is collected with {}",
                    suggest::list(&names)
                )),
            );
        }
    }
    check_options(input, out);
    check_regex(input, out);
}

/// Options are unique by value (what gets stored) and, for people, by label.
fn check_options(input: &PageInput, out: &mut Vec<Diagnostic>) {
    let (mut values, mut labels) = (BTreeMap::new(), BTreeMap::new());
    for option in &input.options {
        let (value, label) = (&option.value, &option.label);
        if let Some(first) = seen_before(&mut values, value.as_str(), value.span()) {
            out.push(
                Diagnostic::error(
                    "duplicate-option-value",
                    format!("two options have the value `{}`", value.as_str()),
                    Some(value.span()),
                )
                .with_label("value used again")
                .with_related(first, "first used here")
                .with_help("the value is what gets stored on the user: give each option its own"),
            );
        }
        if let Some(first) = seen_before(&mut labels, label.as_str(), label.span()) {
            out.push(
                Diagnostic::warning(
                    "duplicate-option-label",
                    format!("two options have the label `{}`", label.as_str()),
                    Some(label.span()),
                )
                .with_label("label used again")
                .with_related(first, "first used here")
                .with_help("users cannot tell the two options apart: give each its own label"),
            );
        }
    }
}

/// Whether the input has options when, and only when, its type takes them, and whether a
/// radio input's default is one of them: conclusions from what is absent, drawn only about an
/// input that loaded whole.
fn check_option_count(input: &PageInput, data_type: DataType, out: &mut Vec<Diagnostic>) {
    let input_type = input_type(input, data_type);
    let type_name = builtins::input_type_name(input_type);
    if builtins::takes_options(input_type) && input.options.is_empty() {
        let at = input
            .input_type
            .as_ref()
            .map_or(input.attribute.span(), Located::span);
        out.push(
            Diagnostic::error(
                "missing-options",
                format!(
                    "the `{type_name}` input for `{}` has no options",
                    input.attribute.as_str()
                ),
                Some(at),
            )
            .with_label("needs `options`")
            .with_help("list the choices: `options: [{ label: Netherlands, value: NL }, …]`"),
        );
    }
    if !builtins::takes_options(input_type)
        && let Some(first) = input.options.first()
    {
        out.push(
            Diagnostic::error(
                "unexpected-options",
                format!(
                    "a `{type_name}` input takes no options, but the input for `{}` has some",
                    input.attribute.as_str()
                ),
                Some(first.span()),
            )
            .with_label("options of a non-list input")
            .with_help(
                "remove `options`, or make the input a `radioSingleSelect` or \
                 `checkboxMultiSelect`",
            ),
        );
    }
    if input_type == InputType::RadioSingleSelect
        && !input.options.is_empty()
        && let Some(default) = &input.default_value
        && !input
            .options
            .iter()
            .any(|o| o.value.as_str() == default.as_str())
    {
        let mut names: Vec<&str> = Vec::new();
        for option in &input.options {
            if !names.contains(&option.value.as_str()) {
                names.push(option.value.as_str());
            }
        }
        out.push(
            Diagnostic::warning(
                "default-value-not-an-option",
                format!(
                    "the default value `{}` is not one of the options",
                    default.as_str()
                ),
                Some(default.span()),
            )
            .with_label("no option has this value")
            .with_help(format!("use one of {}", suggest::list(&names))),
        );
    }
}

fn check_regex(input: &PageInput, out: &mut Vec<Diagnostic>) {
    let Some(pattern) = &input.validation_reg_ex else {
        return;
    };
    match Regex::new(pattern) {
        Err(error) => out.push(
            Diagnostic::error(
                "invalid-regex",
                "`validationRegEx` is not a valid regular expression",
                Some(pattern.span()),
            )
            .with_label(error.to_string())
            .with_help(
                "Graph applies the pattern as a .NET regular expression; check brackets, \
                 braces and escapes",
            ),
        ),
        Ok(regex) => {
            if let Some(default) = &input.default_value
                && matches!(regex.is_match(default.as_str()), Ok(false))
            {
                out.push(
                    Diagnostic::warning(
                        "default-value-fails-regex",
                        format!(
                            "the default value `{}` does not match `validationRegEx`",
                            default.as_str()
                        ),
                        Some(default.span()),
                    )
                    .with_label("rejected by the input's own pattern")
                    .with_related(pattern.span(), "the pattern")
                    .with_help("users would have to change the value before they can continue"),
                );
            }
        }
    }
}
