//! A plan's requests made ready to send, before the first one is: secrets read, asset files
//! read and checked, `$ref` roots pointed at the client's cloud. Whatever cannot be prepared
//! stops the run before anything changes in the tenant.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use bytes::Bytes;
use ciamctl_graph::{ApiVersion, Method};
use ciamctl_plan::{AssetFile, Plan, PlannedRequest, id_references};
use ciamctl_secret::{SecretError, SecretSource};
use serde_json::Value;

/// The Graph root the planner writes into `$ref` bodies' `@odata.id` (REFERENCE.md §3, §4
/// show the global cloud's); [`prepare`] replaces it with the client's own root.
const PLANNED_ROOT: &str = "https://graph.microsoft.com/";

/// Why a plan cannot be sent. Nothing has been sent when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("step {step} ({change}): cannot read the secret for `{pointer}` from {source_name}")]
    Secret {
        step: u32,
        change: String,
        pointer: String,
        source_name: String,
        #[source]
        source: SecretError,
    },
    #[error(
        "step {step} ({change}): `{reference}` is not a secret reference (`${{env:NAME}}` or \
         `${{file:PATH}}`); the plan file is damaged, make a new plan"
    )]
    SecretReference {
        step: u32,
        change: String,
        reference: String,
    },
    #[error(
        "step {step} ({change}): the body has no `{pointer}` for its secret; the plan file is \
         damaged, make a new plan"
    )]
    SecretSlot {
        step: u32,
        change: String,
        pointer: String,
    },
    #[error(
        "step {step} ({change}): the asset path `{path}` leaves the configuration directory; \
         the plan file is damaged, make a new plan"
    )]
    AssetOutside {
        step: u32,
        change: String,
        path: String,
    },
    #[error("step {step} ({change}): cannot read the asset file `{}`", .path.display())]
    AssetUnreadable {
        step: u32,
        change: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "step {step} ({change}): the asset file `{}` changed since the plan was made \
         (sha256 {found}, the plan has {planned}); make a new plan",
        .path.display()
    )]
    AssetChanged {
        step: u32,
        change: String,
        path: PathBuf,
        planned: String,
        found: String,
    },
    #[error(
        "step {step} ({change}): `{method}` is not a method a plan sends; the plan file is \
         damaged, make a new plan"
    )]
    Method {
        step: u32,
        change: String,
        method: String,
    },
}

/// A plan's steps, ready to send (ids of objects the run creates are filled in at send time).
/// Holds secret values: it has no `Debug` beyond its size and is dropped after the run.
pub struct Prepared {
    pub(crate) steps: Vec<Step>,
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("steps", &self.steps.len())
            .finish_non_exhaustive()
    }
}

/// One request of the plan.
pub(crate) struct Step {
    pub(crate) number: u32,
    /// The index of its change in the plan's `changes`.
    pub(crate) change: usize,
    pub(crate) method: Method,
    pub(crate) version: ApiVersion,
    /// With `{{N.id}}` references still in it.
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Payload>,
    pub(crate) depends_on: Vec<u32>,
    /// The path or body names an object a step of this run creates: a 404 may be Graph's
    /// replication lag rather than an answer.
    pub(crate) uses_created: bool,
}

pub(crate) enum Payload {
    /// With secrets in place and `{{N.id}}` references still in it.
    Json(Value),
    Bytes {
        content_type: String,
        data: Bytes,
    },
}

/// Makes every request of `plan` ready: secrets read from their sources (`env` is the
/// environment, files are relative to `root`, the configuration directory), asset files read from `root` and checked against the
/// plan's digests, and the planner's Graph root in `@odata.id` replaced with `graph_root` (the
/// client's, such as a national cloud's).
pub fn prepare(
    plan: &Plan,
    root: &Path,
    graph_root: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Prepared, PrepareError> {
    let sources = Sources {
        root,
        graph_root,
        env,
    };
    let mut steps = Vec::new();
    for (index, change) in plan.changes.iter().enumerate() {
        let name = || crate::describe(plan, change.id);
        for request in &change.requests {
            steps.push(step(request, index, &sources, &name)?);
        }
    }
    steps.sort_by_key(|step| step.number);
    Ok(Prepared { steps })
}

/// Where secrets and assets are read from, and the Graph root `$ref`s point at.
struct Sources<'a> {
    root: &'a Path,
    graph_root: &'a str,
    env: &'a dyn Fn(&str) -> Option<String>,
}

fn step(
    request: &PlannedRequest,
    change: usize,
    sources: &Sources<'_>,
    name: &impl Fn() -> String,
) -> Result<Step, PrepareError> {
    let number = request.step;
    let method = match request.method.as_str() {
        "POST" => Method::POST,
        "PATCH" => Method::PATCH,
        "PUT" => Method::PUT,
        "DELETE" => Method::DELETE,
        other => {
            return Err(PrepareError::Method {
                step: number,
                change: name(),
                method: other.to_owned(),
            });
        }
    };
    let mut uses_created = !id_references(&request.path).is_empty();
    let body = match (&request.body, &request.asset) {
        (_, Some(asset)) => {
            let relative = inside(&asset.path).ok_or_else(|| PrepareError::AssetOutside {
                step: number,
                change: name(),
                path: asset.path.clone(),
            })?;
            let path = sources.root.join(relative);
            let data = std::fs::read(&path).map_err(|source| PrepareError::AssetUnreadable {
                step: number,
                change: name(),
                path: path.clone(),
                source,
            })?;
            let found = AssetFile::new(asset.path.clone(), &data, "").digest;
            if found.sha256 != asset.digest.sha256 {
                return Err(PrepareError::AssetChanged {
                    step: number,
                    change: name(),
                    path,
                    planned: asset.digest.sha256.clone(),
                    found: found.sha256,
                });
            }
            Some(Payload::Bytes {
                content_type: asset.digest.content_type.clone(),
                data: Bytes::from(data),
            })
        }
        (Some(body), None) => {
            let mut body = body.clone();
            for slot in &request.secrets {
                let source = SecretSource::from_reference(&slot.source).ok_or_else(|| {
                    PrepareError::SecretReference {
                        step: number,
                        change: name(),
                        reference: slot.source.clone(),
                    }
                })?;
                let value = source
                    .resolve_with(sources.root, sources.env)
                    .map_err(|source| PrepareError::Secret {
                        step: number,
                        change: name(),
                        pointer: slot.pointer.clone(),
                        source_name: slot.source.clone(),
                        source,
                    })?;
                let target =
                    body.pointer_mut(&slot.pointer)
                        .ok_or_else(|| PrepareError::SecretSlot {
                            step: number,
                            change: name(),
                            pointer: slot.pointer.clone(),
                        })?;
                *target = Value::String(value.expose().clone());
            }
            rebase(&mut body, sources.graph_root);
            uses_created |= names_created(&body);
            Some(Payload::Json(body))
        }
        (None, None) => None,
    };
    Ok(Step {
        number,
        change,
        method,
        version: match request.api {
            ciamctl_plan::ApiVersion::V1 => ApiVersion::V1,
            ciamctl_plan::ApiVersion::Beta => ApiVersion::Beta,
        },
        path: request.path.clone(),
        headers: request
            .headers
            .iter()
            // The client sets the body's own type.
            .filter(|(name, _)| !name.eq_ignore_ascii_case("Content-Type"))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
        body,
        depends_on: request.depends_on.clone(),
        uses_created,
    })
}

/// `path` when it is relative and stays below the directory it is relative to: a plan file
/// is input, and must not upload `/etc/passwd` as a banner.
fn inside(path: &str) -> Option<&Path> {
    let path = Path::new(path);
    path.components()
        .all(|component| matches!(component, Component::Normal(_)))
        .then_some(path)
}

/// Points every `@odata.id` under the planner's Graph root at `graph_root`.
fn rebase(value: &mut Value, graph_root: &str) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    Value::String(text) if key == "@odata.id" => {
                        if let Some(rest) = text.strip_prefix(PLANNED_ROOT) {
                            *text = format!("{}/{rest}", graph_root.trim_end_matches('/'));
                        }
                    }
                    other => rebase(other, graph_root),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rebase(item, graph_root)),
        _ => {}
    }
}

/// Whether a string of `value` holds a `{{N.id}}` reference.
fn names_created(value: &Value) -> bool {
    match value {
        Value::String(text) => !id_references(text).is_empty(),
        Value::Array(items) => items.iter().any(names_created),
        Value::Object(map) => map.values().any(names_created),
        _ => false,
    }
}

/// `value` with every `{{N.id}}` filled by `id`; the first step without an id is the error.
pub(crate) fn fill_value<'a>(
    value: &Value,
    id: &impl Fn(u32) -> Option<&'a str>,
) -> Result<Value, u32> {
    Ok(match value {
        Value::String(text) => Value::String(ciamctl_plan::fill_ids(text, id)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| fill_value(item, id))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| Ok((key.clone(), fill_value(item, id)?)))
                .collect::<Result<_, u32>>()?,
        ),
        other => other.clone(),
    })
}
