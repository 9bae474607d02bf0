//! The `OData` query options the emulator's collections take: `$filter` ([`filter`]),
//! `$select`, and the refusal of every other option a collection does not take; paging
//! (`$top`, `$skiptoken`) is [`crate::odata::collection`]'s.

pub(crate) mod filter;

use http::StatusCode;
use serde_json::Value;

pub(crate) use self::filter::{Filterable, Op};
use crate::error::GraphError;
use crate::request::GraphRequest;
use crate::types::TypeDef;

/// Applies the request's `$select`, if any, to each of `items` of type `ty`: only the named
/// properties (and `@odata.type`) are kept. A name the type does not declare is 400
/// `Request_BadRequest`, with Graph's wording.
pub(crate) fn select(
    req: &GraphRequest,
    items: &mut [Value],
    ty: &'static TypeDef,
) -> Result<(), GraphError> {
    let Some(text) = req.query_param("$select") else {
        return Ok(());
    };
    let known = crate::types::properties(ty, req.version);
    let mut wanted = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let prop = known
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "Request_BadRequest",
                    format!(
                        "Could not find a property named '{name}' on type 'microsoft.graph.{}'.",
                        ty.name
                    ),
                )
            })?;
        wanted.push(prop.name);
    }
    for item in items {
        if let Value::Object(map) = item {
            map.retain(|key, _| key == "@odata.type" || wanted.contains(&key.as_str()));
        }
    }
    Ok(())
}

/// 400 `Request_UnsupportedQuery`, the code REFERENCE.md §12.1 lists for a query Graph does not
/// support.
fn unsupported(message: impl Into<String>) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "Request_UnsupportedQuery",
        message.into(),
    )
}

/// Refuses query options other than `supported` with 400 `Request_UnsupportedQuery`, so a
/// client never takes an unfiltered or unsorted answer for a filtered or sorted one.
pub(crate) fn only_options(req: &GraphRequest, supported: &[&str]) -> Result<(), GraphError> {
    match req
        .query
        .iter()
        .find(|(key, _)| key.starts_with('$') && !supported.contains(&key.as_str()))
    {
        Some((key, _)) => Err(unsupported(format!(
            "Unsupported query: the emulator does not support '{key}' here (supported: {}).",
            supported.join(", ")
        ))),
        None => Ok(()),
    }
}

/// Answers the list of a navigation collection (a flow's or listener's applications, a flow's
/// providers and attributes): `$filter` and paging, in the emulator's default page size.
pub(crate) fn navigation_list(
    ctx: &crate::Ctx,
    req: &GraphRequest,
    context: &str,
    items: Vec<Value>,
) -> Result<crate::request::GraphResponse, GraphError> {
    only_options(req, &["$filter", "$top", "$skiptoken"])?;
    let items = filter::apply(req, items, Filterable::Everything)?;
    crate::odata::collection(&ctx.base, req, context, items, ctx.config.default_page_size)
}

/// How a collection answers its list route.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing {
    /// The `@odata.context` fragment (`identity/userFlowAttributes`).
    pub(crate) fragment: &'static str,
    /// The collection's declared type, for `$select`.
    pub(crate) type_name: &'static str,
    /// What `$filter` may say.
    pub(crate) filter: Filterable,
    /// The page size without `$top`; `None` answers in one page (or the emulator's default
    /// page size, when one is configured).
    pub(crate) page_size: Option<usize>,
}

/// Answers a list request: refuses query options the collection does not take, then applies
/// `$filter`, `$select` and paging (`$top`, `$skiptoken`).
pub(crate) fn list_response(
    ctx: &crate::Ctx,
    req: &GraphRequest,
    listing: &Listing,
    items: Vec<Value>,
) -> Result<crate::request::GraphResponse, GraphError> {
    let supported: &[&str] = match listing.filter {
        Filterable::Nothing => &["$select", "$top", "$skiptoken"],
        _ => &["$filter", "$select", "$top", "$skiptoken"],
    };
    only_options(req, supported)?;
    let mut items = filter::apply(req, items, listing.filter)?;
    if let Some(ty) = crate::types::find_type(listing.type_name) {
        select(req, &mut items, ty)?;
    }
    crate::odata::collection(
        &ctx.base,
        req,
        listing.fragment,
        items,
        listing.page_size.or(ctx.config.default_page_size),
    )
}
