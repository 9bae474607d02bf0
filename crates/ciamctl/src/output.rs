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

/// Sends `tracing` events to stderr, filtered by `RUST_LOG` or else by `default` (an
/// `EnvFilter` directive such as `warn` or `ciamctl_graph=debug`). No crate logs a secret.
pub(crate) fn log_to_stderr(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let (_, color) = stream(std::io::stderr());
    // Fails only when a subscriber is already installed, which then logs instead.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .try_init();
}

/// Bold red for a failure word, or no style at all without colour.
pub(crate) fn failure_style(color: bool) -> anstyle::Style {
    if color {
        anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()))
    } else {
        anstyle::Style::new()
    }
}
