//! The JSON format: the plan document as it is, pretty-printed, with a final newline.
//!
//! No wrapping and no mode: the document (`ciamctl_plan::Plan`, described by
//! `schemas/ciamctl-plan.schema.json`) is the contract, and `apply` reads back exactly what
//! `plan --format json` printed.

use std::io;

use ciamctl_plan::Plan;

pub(crate) fn render(out: &mut dyn io::Write, plan: &Plan) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, plan)?;
    writeln!(out)
}
