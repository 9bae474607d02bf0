//! The plan's counts, overall and per kind.

use crate::document::{Action, Change, Kind, KindSummary, ObjectRef, Summary};

pub(crate) fn summarize(changes: &[Change], unmanaged: &[ObjectRef]) -> Summary {
    let count = |kind: Option<Kind>, action: Action| {
        changes
            .iter()
            .filter(|c| c.action == action && kind.is_none_or(|k| c.kind == k))
            .count()
    };
    let kinds = Kind::ALL
        .into_iter()
        .map(|kind| KindSummary {
            kind,
            create: count(Some(kind), Action::Create),
            update: count(Some(kind), Action::Update),
            delete: count(Some(kind), Action::Delete),
            unmanaged: unmanaged.iter().filter(|o| o.kind == kind).count(),
        })
        .filter(|k| k.create + k.update + k.delete + k.unmanaged > 0)
        .collect();
    Summary {
        in_sync: changes.is_empty(),
        create: count(None, Action::Create),
        update: count(None, Action::Update),
        delete: count(None, Action::Delete),
        unsafe_changes: changes.iter().filter(|c| c.is_unsafe()).count(),
        unmanaged: unmanaged.len(),
        kinds,
    }
}
