//! Ordering the steps: a topological sort of the dependency DAG with deterministic
//! tie-breaks, and numbering changes and steps in that order.
//!
//! Among the steps that are ready, the one whose change comes first in the canonical order
//! goes first: creates and updates before deletes; creates in dependency order of kinds
//! (attributes, providers, branding, localizations, flows), deletes in the reverse; then by
//! name; within a change, in the order its diff added the steps. So two runs on the same
//! inputs give the same plan, and a plan reads in the order a person would do the work.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use crate::PlanError;
use crate::builder::{PendingChange, PendingStep, rewrite_markers, rewrite_value};
use crate::document::{Action, Change, Kind, PlannedRequest};

/// The changes in plan order, each with its requests numbered as steps.
pub(crate) fn order(
    changes: &[PendingChange],
    steps: &[PendingStep],
) -> Result<Vec<Change>, PlanError> {
    let rank = change_ranks(changes);
    let sorted = topological(steps, &rank)?;

    let mut step_number = vec![0u32; steps.len()];
    for (position, &index) in sorted.iter().enumerate() {
        step_number[index] = u32::try_from(position + 1).unwrap_or(u32::MAX);
    }
    // Changes are numbered by their first step; a change without steps (none today) would
    // keep its canonical place at the end.
    let mut change_order: Vec<usize> = Vec::with_capacity(changes.len());
    let mut placed = vec![false; changes.len()];
    for &index in &sorted {
        let change = steps[index].change.index();
        if !placed[change] {
            placed[change] = true;
            change_order.push(change);
        }
    }
    let mut rest: Vec<usize> = (0..changes.len()).filter(|&c| !placed[c]).collect();
    rest.sort_by_key(|c| rank[*c]);
    change_order.extend(rest);
    let mut change_number = vec![0u32; changes.len()];
    for (position, &change) in change_order.iter().enumerate() {
        change_number[change] = u32::try_from(position + 1).unwrap_or(u32::MAX);
    }

    let number = |index: usize| step_number.get(index).copied().unwrap_or(0);
    let mut out: Vec<Change> = change_order
        .iter()
        .map(|&c| {
            let pending = &changes[c];
            Change {
                id: change_number[c],
                action: pending.action,
                kind: pending.kind,
                name: pending.name.clone(),
                live_id: pending.live_id.clone(),
                fingerprint: pending.fingerprint.clone(),
                fields: pending.fields.clone(),
                notes: pending.notes.clone(),
                unsafe_reasons: pending.unsafe_reasons.clone(),
                depends_on: Vec::new(),
                requests: Vec::new(),
            }
        })
        .collect();
    let position_of_change = |c: usize| (change_number[c] - 1) as usize;
    for &index in &sorted {
        let step = &steps[index];
        let owner = step.change.index();
        let mut depends_on: Vec<u32> = step.after.iter().map(|s| number(s.index())).collect();
        depends_on.sort_unstable();
        let mut body = step.request.body.clone();
        if let Some(body) = &mut body {
            rewrite_value(body, &number);
        }
        let change = &mut out[position_of_change(owner)];
        for before in &step.after {
            let other = change_number[steps[before.index()].change.index()];
            if other != change.id && !change.depends_on.contains(&other) {
                change.depends_on.push(other);
            }
        }
        change.requests.push(PlannedRequest {
            step: number(index),
            method: step.request.method.to_owned(),
            api: step.request.api,
            path: rewrite_markers(&step.request.path, &number),
            headers: step.request.headers.clone(),
            body,
            secrets: step.request.secrets.clone(),
            asset: step.request.asset.clone(),
            depends_on,
        });
    }
    for change in &mut out {
        change.depends_on.sort_unstable();
    }
    Ok(out)
}

/// Each change's place in the canonical order (see the module doc).
fn change_ranks(changes: &[PendingChange]) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..changes.len()).collect();
    indices.sort_unstable_by_key(|&index| {
        let change = &changes[index];
        (
            phase(change.action, change.kind),
            change.name.as_str(),
            index,
        )
    });
    let mut rank = vec![0; changes.len()];
    for (position, index) in indices.into_iter().enumerate() {
        rank[index] = position;
    }
    rank
}

/// Creates and updates, kinds in dependency order, then deletes in the reverse.
fn phase(action: Action, kind: Kind) -> u8 {
    let depth = match kind {
        Kind::Attribute => 0,
        Kind::IdentityProvider => 1,
        Kind::Branding => 2,
        Kind::Localization => 3,
        Kind::UserFlow => 4,
    };
    match action {
        Action::Create | Action::Update => depth,
        Action::Delete => 10 + (4 - depth),
    }
}

/// Kahn's algorithm, picking the ready step with the smallest (change rank, step index).
fn topological(steps: &[PendingStep], rank: &[usize]) -> Result<Vec<usize>, PlanError> {
    let mut waiting: Vec<usize> = steps.iter().map(|s| s.after.len()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (index, step) in steps.iter().enumerate() {
        for before in &step.after {
            dependents[before.index()].push(index);
        }
    }
    let key = |index: usize| Reverse((rank[steps[index].change.index()], index));
    let mut ready: BinaryHeap<Reverse<(usize, usize)>> = (0..steps.len())
        .filter(|&i| waiting[i] == 0)
        .map(key)
        .collect();
    let mut sorted = Vec::with_capacity(steps.len());
    while let Some(Reverse((_, index))) = ready.pop() {
        sorted.push(index);
        for &dependent in &dependents[index] {
            waiting[dependent] -= 1;
            if waiting[dependent] == 0 {
                ready.push(key(dependent));
            }
        }
    }
    if sorted.len() < steps.len() {
        let placed: BTreeSet<usize> = sorted.iter().copied().collect();
        let stuck: Vec<String> = (0..steps.len())
            .filter(|i| !placed.contains(i))
            .map(|i| {
                let request = &steps[i].request;
                format!("{} {}", request.method, request.path.replace('\u{0}', ""))
            })
            .collect();
        return Err(PlanError::Cycle(stuck.join("; ")));
    }
    Ok(sorted)
}

#[cfg(test)]
mod tests;
