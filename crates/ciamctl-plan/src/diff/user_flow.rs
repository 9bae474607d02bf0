//! (being written)

use super::Context;

pub(crate) fn diff(cx: &mut Context<'_>) {
    let _ = cx;
}
