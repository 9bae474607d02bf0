//! Plans and drift reports rendered for people (text, Markdown) and tools (JSON).
//!
//! One entry point, [`render`], and one module per [`Format`], each writing to any
//! [`std::io::Write`] the caller hands in:
//!
//! * [`Format::Text`] (`text`): terraform-like, for a terminal and CI logs. Colour is the
//!   caller's decision ([`RenderOptions::color`]); without it the output holds no escape byte.
//! * [`Format::Markdown`] (`markdown`): a pull-request comment or job summary that never
//!   exceeds [`RenderOptions::markdown_limit`] bytes, and in which no name from the
//!   configuration or the tenant can inject Markdown or HTML.
//! * [`Format::Json`] (`json`): the plan document itself (`ciamctl_plan::Plan`), pretty-printed.
//!
//! [`Mode::Drift`] words the same plan from the tenant's side for `ciamctl drift`: what is
//! missing in the tenant, what differs, what is only in the tenant.
//!
//! Invariants: no I/O beyond the writer, no clock, no hash-map iteration, so the same plan
//! always renders to the same bytes. The people formats describe fields through one shared
//! model (`field`) and one vocabulary (`words`), so text and Markdown never disagree.

mod field;
mod json;
mod markdown;
mod text;
mod words;

#[cfg(test)]
mod tests;

use std::io;

use ciamctl_plan::Plan;

/// An output format of `ciamctl plan --format` and `ciamctl drift --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Terraform-like text for a terminal and CI logs.
    #[default]
    Text,
    /// A pull-request comment: a summary table, then one collapsible section per change.
    Markdown,
    /// The plan document (`format_version` 1), pretty-printed.
    Json,
}

/// Whose side the people formats take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// `ciamctl plan`: what `apply` will do to the tenant.
    #[default]
    Plan,
    /// `ciamctl drift`: how the tenant differs from Git.
    Drift,
}

/// GitHub's limit for a comment is 65 536 characters; a byte budget a little under it leaves
/// room for a bot's own header and is safe for any text, since a character is at least a byte.
pub const DEFAULT_MARKDOWN_LIMIT: usize = 65_000;

/// What the caller decides about the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colour codes (text format only). The binary sets this when the stream is a
    /// terminal and `NO_COLOR` is not set.
    pub color: bool,
    pub mode: Mode,
    /// The most bytes the Markdown format writes; changes that do not fit are left out, with a
    /// note saying how many.
    pub markdown_limit: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            mode: Mode::Plan,
            markdown_limit: DEFAULT_MARKDOWN_LIMIT,
        }
    }
}

/// Writes `plan` in `format`.
pub fn render(
    out: &mut dyn io::Write,
    format: Format,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(out, plan, options),
        Format::Markdown => markdown::render(out, plan, options),
        Format::Json => json::render(out, plan),
    }
}
