//! Terminal decisions, made once here so renderers only get a flag.
//!
//! Colour follows the usual conventions, through anstream: never when `NO_COLOR` is set (to
//! anything) or `CLICOLOR=0`, always when `CLICOLOR_FORCE` is set, otherwise only when the
//! stream is a terminal that supports it. Output written through [`stream`] also gets ANSI
//! support switched on in old Windows consoles.

use std::io::IsTerminal;

use anstream::{AutoStream, ColorChoice};

/// A writer for `raw` and whether to colour what goes into it.
pub(crate) fn stream<S: anstream::stream::RawStream + IsTerminal>(raw: S) -> (AutoStream<S>, bool) {
    let choice = AutoStream::choice(&raw);
    let color = !matches!(choice, ColorChoice::Never);
    (AutoStream::new(raw, choice), color)
}

/// Bold green for a success word, or no style at all without colour.
pub(crate) fn success_style(color: bool) -> anstyle::Style {
    if color {
        anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Green.into()))
    } else {
        anstyle::Style::new()
    }
}
