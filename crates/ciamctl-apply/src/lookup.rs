//! Finding what a create may have made. A POST that got a 5xx or lost its connection may have
//! been committed (REFERENCE.md §12.2); sending it again could create a second object, or be
//! refused because the first exists. So before it is sent again, the collection it posted to
//! is read and searched for the object by its natural key:
//!
//! - a `…/$ref` link: the linked object's id, the last segment of the body's `@odata.id`, in
//!   the collection the link adds to (§3, §4);
//! - an application link (`includeApplications`): its `appId` (§2);
//! - a localization: its `id`, the locale (§8);
//! - anything else (flows, attributes, identity providers): its `displayName`, which the
//!   planner matches objects by and Graph keeps unique per collection (§1.4, §5, §6).
//!
//! Lists show new objects at once where the contract says anything (§16); if a real tenant's
//! list lags behind a committed create, the lookup misses it and the POST is refused as a
//! duplicate (400/409), never applied twice: the run then reports the step failed, and the
//! next run finds the object.

use ciamctl_graph::{ApiVersion, GraphError, Method, Request};
use serde_json::Value;

/// Where and by what to look for the object a POST may have created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lookup {
    version: ApiVersion,
    collection: String,
    key: Key,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Id(String),
    AppId(String),
    DisplayName(String),
}

impl Lookup {
    /// The lookup for a `method` request of `body` to `path` (both with ids filled in);
    /// `None` when it is not a POST, or the body carries no natural key, and a lost answer
    /// cannot be told from a lost request. Only a POST creates: what a PATCH, PUT or DELETE
    /// names is at its own path, which is no collection to search, and it already existed.
    pub(crate) fn of(
        method: &Method,
        version: ApiVersion,
        path: &str,
        body: Option<&Value>,
    ) -> Option<Self> {
        if *method != Method::POST {
            return None;
        }
        let body = body?;
        let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
        let (collection, key) = if let Some(collection) = path.strip_suffix("/$ref") {
            let target = text("@odata.id")?;
            let id = target.rsplit('/').next()?.to_owned();
            (collection, Key::Id(id))
        } else if let Some(app_id) = text("appId") {
            (path, Key::AppId(app_id))
        } else if let Some(id) = text("id") {
            (path, Key::Id(id))
        } else {
            (path, Key::DisplayName(text("displayName")?))
        };
        Some(Self {
            version,
            collection: collection.to_owned(),
            key,
        })
    }

    /// The read of the whole collection.
    pub(crate) fn request(&self) -> Request {
        Request::get(&self.collection).version(self.version)
    }

    /// Whether `error`, Graph's answer to [`Lookup::request`], says the collection is empty: a
    /// flow's attribute list is 400 rather than an empty list when the flow has none
    /// (REFERENCE.md §4 item 5, §15.4), so the link was not made and may be sent again (a
    /// second link of one attribute is refused, never doubled).
    pub(crate) fn is_empty_answer(&self, error: &GraphError) -> bool {
        self.collection.ends_with("/attributes") && error.status() == Some(400)
    }

    /// The object among `items` with the key, compared ignoring case as Graph compares ids,
    /// appIds and names.
    pub(crate) fn find<'v>(&self, items: &'v [Value]) -> Option<&'v Value> {
        let (field, wanted) = match &self.key {
            Key::Id(id) => ("id", id),
            Key::AppId(app_id) => ("appId", app_id),
            Key::DisplayName(name) => ("displayName", name),
        };
        items.iter().find(|item| {
            item.get(field)
                .and_then(Value::as_str)
                .is_some_and(|value| value.to_lowercase() == wanted.to_lowercase())
        })
    }
}
