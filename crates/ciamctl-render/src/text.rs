//! The text format: terraform-like, for a terminal and CI logs.
//!
//! ```text
//! ciamctl plan for tenant 0c7e… (environment "production")
//!
//! ~ update user flow "Woodgrove customers"
//!     UNSAFE: removes the flow's last identity provider
//!     # the client secret is write-only and not compared
//!     ~ description: "Old" → "New"
//!     ± page.inputs[city]: moved from position 3 to 1
//!     Requests:
//!       step 4: PATCH /v1.0/identity/authenticationEventsFlows/…
//!
//! Plan: 0 to create, 1 to update, 0 to delete (1 unsafe).
//! ```
//!
//! Symbols: `+` add/create, `-` remove/delete, `~` change/update (and a rotated secret), `±`
//! move. Request bodies are left to the JSON format. Names are printed as JSON strings and
//! every other text from the configuration or the tenant through `field::printable`, so no
//! escape byte is written unless the caller asked for colour.

use std::io;

use anstyle::{AnsiColor, Style};
use ciamctl_plan::{Action, Change, Plan};

use crate::field::{self, Body, Hunk, Sign, View};
use crate::{Mode, RenderOptions, words};

pub(crate) fn render(
    out: &mut dyn io::Write,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let paint = Palette {
        color: options.color,
    };
    let mode = options.mode;
    write!(
        out,
        "{} for tenant {}",
        words::title(mode),
        field::printable(&plan.tenant_id)
    )?;
    if let Some(environment) = &plan.environment {
        write!(out, " (environment {})", field::quoted(environment))?;
    }
    writeln!(out)?;
    if mode == Mode::Drift && !plan.changes.is_empty() {
        writeln!(out, "{}", words::DRIFT_LEGEND_TEXT)?;
    }
    writeln!(out)?;
    for change in &plan.changes {
        write_change(out, change, mode, paint)?;
        writeln!(out)?;
    }
    if !plan.unmanaged.is_empty() {
        writeln!(
            out,
            "{}:",
            words::unmanaged_heading(mode, plan.unmanaged.len())
        )?;
        for object in &plan.unmanaged {
            writeln!(
                out,
                "    {} {}",
                object.kind.noun(),
                field::quoted(&object.name)
            )?;
        }
        writeln!(out)?;
    }
    let totals = words::totals(mode, &plan.summary);
    let style = paint.apply(if plan.summary.unsafe_changes > 0 {
        DANGER
    } else {
        Style::new().bold()
    });
    writeln!(out, "{style}{totals}{style:#}")
}

fn write_change(
    out: &mut dyn io::Write,
    change: &Change,
    mode: Mode,
    paint: Palette,
) -> io::Result<()> {
    let sign = match change.action {
        Action::Create => Sign::Add,
        Action::Update => Sign::Change,
        Action::Delete => Sign::Remove,
    };
    let style = paint.sign(sign);
    let kind = change.kind.noun();
    let name = field::quoted(&change.name);
    match mode {
        Mode::Plan => writeln!(
            out,
            "{style}{} {}{style:#} {kind} {name}",
            symbol(sign),
            change.action.name()
        )?,
        Mode::Drift => writeln!(
            out,
            "{style}{}{style:#} {kind} {name}: {}",
            symbol(sign),
            words::drift_state(change.action)
        )?,
    }
    let danger = paint.apply(DANGER);
    for reason in &change.unsafe_reasons {
        writeln!(
            out,
            "    {danger}UNSAFE:{danger:#} {}",
            field::printable(reason)
        )?;
    }
    for note in &change.notes {
        writeln!(out, "    # {}", field::printable(note))?;
    }
    for field in &change.fields {
        write_field(out, &View::of(field, change), paint)?;
    }
    if !change.requests.is_empty() {
        writeln!(out, "    {}:", words::requests_label(mode))?;
    }
    for request in &change.requests {
        write!(
            out,
            "      step {}: {} /{}{}",
            request.step,
            field::printable(&request.method),
            request.api.segment(),
            field::printable(&request.path)
        )?;
        if let Some(asset) = &request.asset {
            write!(out, " (file {})", field::quoted(&asset.path))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_field(out: &mut dyn io::Write, view: &View<'_>, paint: Palette) -> io::Result<()> {
    let sign = view.sign();
    let style = paint.sign(sign);
    write!(
        out,
        "    {style}{}{style:#} {}:",
        symbol(sign),
        field::printable(view.path)
    )?;
    match &view.body {
        Body::Add(value) | Body::Remove(value) => writeln!(out, " {value}"),
        Body::Change { before, after } => writeln!(out, " {before} → {after}"),
        Body::Move { from, to } => writeln!(out, " moved from position {from} to {to}"),
        Body::Rotate(said) => writeln!(out, " {said}"),
        Body::Text { hunks, .. } => {
            writeln!(out)?;
            write_hunks(out, hunks, paint)
        }
        Body::Asset {
            before,
            after,
            hunks,
        } => {
            match (before, after) {
                (Some(before), Some(after)) => writeln!(out, " {before} → {after}")?,
                (Some(side), None) | (None, Some(side)) => writeln!(out, " {side}")?,
                (None, None) => writeln!(out)?,
            }
            write_hunks(out, hunks, paint)
        }
    }
}

fn write_hunks(out: &mut dyn io::Write, hunks: &[Hunk], paint: Palette) -> io::Result<()> {
    for hunk in hunks {
        writeln!(out, "        {}", hunk.header)?;
        for line in &hunk.lines {
            let style = match line.tag {
                similar::ChangeTag::Insert => paint.sign(Sign::Add),
                similar::ChangeTag::Delete => paint.sign(Sign::Remove),
                similar::ChangeTag::Equal => Style::new(),
            };
            writeln!(
                out,
                "        {style}{}{}{style:#}",
                line.marker(),
                line.text
            )?;
        }
    }
    Ok(())
}

/// Unsafe changes, and a summary that counts any.
const DANGER: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

fn symbol(sign: Sign) -> &'static str {
    match sign {
        Sign::Add => "+",
        Sign::Remove => "-",
        Sign::Change => "~",
        Sign::Move => "±",
    }
}

/// The colours, or none: every style goes through [`Palette::apply`], so without colour
/// each one is the empty style, which writes nothing.
#[derive(Debug, Clone, Copy)]
struct Palette {
    color: bool,
}

impl Palette {
    fn apply(self, style: Style) -> Style {
        if self.color { style } else { Style::new() }
    }

    fn sign(self, sign: Sign) -> Style {
        let colour = match sign {
            Sign::Add => AnsiColor::Green,
            Sign::Remove => AnsiColor::Red,
            Sign::Change | Sign::Move => AnsiColor::Yellow,
        };
        self.apply(Style::new().fg_color(Some(colour.into())))
    }
}
