//! The `OData` query options the emulator's collections take: `$filter` ([`filter`]),
//! `$orderby`, `$select`, and the refusal of every other option a collection does not take;
//! paging (`$top`, `$skiptoken`) is [`crate::odata::collection`]'s.

pub(crate) mod filter;

use std::cmp::Ordering;

use http::StatusCode;
use serde_json::Value;

pub(crate) use self::filter::{Filterable, Op};
use crate::error::GraphError;
use crate::request::{GraphRequest, GraphResponse};
use crate::state::Object;
use crate::types::{PropKind, Ty, TypeDef};

/// The properties the request's `$select` names on `ty`, in their declared casing, or `None`
/// without `$select`. A name the type does not declare is 400 `Request_BadRequest`, with
/// Graph's wording.
fn selected(
    req: &GraphRequest,
    ty: &'static TypeDef,
) -> Result<Option<Vec<&'static str>>, GraphError> {
    let Some(text) = req.query_param("$select") else {
        return Ok(None);
    };
    let known = crate::types::properties(ty, req.version);
    let mut wanted = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let prop = known
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                bad_query(format!(
                    "Could not find a property named '{name}' on type 'microsoft.graph.{}'.",
                    ty.name
                ))
            })?;
        wanted.push(prop.name);
    }
    Ok(Some(wanted))
}

/// Keeps the `wanted` properties of `object` (and its `@odata.type`).
fn keep(object: &mut Object, wanted: &[&str]) {
    object.retain(|key, _| key == "@odata.type" || wanted.contains(&key.as_str()));
}

/// Applies the request's `$select`, if any, to each of `items` of type `ty`: only the named
/// properties (and `@odata.type`) are kept; see [`selected`].
pub(crate) fn select(
    req: &GraphRequest,
    items: &mut [Value],
    ty: &'static TypeDef,
) -> Result<(), GraphError> {
    if let Some(wanted) = selected(req, ty)? {
        for item in items {
            if let Value::Object(map) = item {
                keep(map, &wanted);
            }
        }
    }
    Ok(())
}

/// The query options of a single-entity read: refuses options other than `$select` (and those
/// in `also`, which the route applied itself) and applies `$select` to `object`, an entity of
/// type `type_name`.
pub(crate) fn entity_options(
    req: &GraphRequest,
    object: &mut Object,
    type_name: &str,
    also: &[&str],
) -> Result<(), GraphError> {
    let supported: Vec<&str> = std::iter::once("$select")
        .chain(also.iter().copied())
        .collect();
    only_options(req, &supported)?;
    if let Some(ty) = crate::types::find_type(type_name)
        && let Some(wanted) = selected(req, ty)?
    {
        keep(object, &wanted);
    }
    Ok(())
}

/// One `$orderby` clause: a property path in the declared casing, and whether it sorts
/// descending.
struct OrderClause {
    path: Vec<&'static str>,
    descending: bool,
}

/// 400 `Request_BadRequest`, Graph's answer to a query option it cannot parse.
fn bad_query(message: String) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
}

/// 400 for an `$orderby` that names no sortable property of `ty`.
fn not_sortable(name: &str, ty: &TypeDef) -> GraphError {
    bad_query(format!(
        "Could not find a property named '{name}' that can be sorted on type 'microsoft.graph.{}'.",
        ty.name
    ))
}

/// Parses `$orderby`: comma-separated `path [asc|desc]`, where the path names a primitive or
/// enum property of `ty` in `req`'s version, through complex properties with `/`.
fn order_clauses(
    req: &GraphRequest,
    text: &str,
    ty: &'static TypeDef,
) -> Result<Vec<OrderClause>, GraphError> {
    let mut clauses = Vec::new();
    for clause in text.split(',').map(str::trim) {
        let mut words = clause.split_whitespace();
        let name = words.next().ok_or_else(|| not_sortable(clause, ty))?;
        let descending = match words.next() {
            None => false,
            Some(word) if word.eq_ignore_ascii_case("asc") => false,
            Some(word) if word.eq_ignore_ascii_case("desc") => true,
            Some(word) => {
                return Err(bad_query(format!(
                    "'{word}' in $orderby is neither 'asc' nor 'desc'."
                )));
            }
        };
        if let Some(extra) = words.next() {
            return Err(bad_query(format!("Unexpected '{extra}' in $orderby.")));
        }
        let mut owner = ty;
        let mut path = Vec::new();
        let mut segments = name.split('/').peekable();
        while let Some(segment) = segments.next() {
            let prop = crate::types::properties(owner, req.version)
                .into_iter()
                .find(|p| p.name.eq_ignore_ascii_case(segment))
                .filter(|p| !p.collection && p.kind == PropKind::Structural)
                .ok_or_else(|| not_sortable(name, ty))?;
            path.push(prop.name);
            match (prop.ty, segments.peek()) {
                (Ty::Edm(_) | Ty::Enum(_), None) => {}
                (Ty::Complex(complex), Some(_)) => {
                    owner =
                        crate::types::find_type(complex).ok_or_else(|| not_sortable(name, ty))?;
                }
                _ => return Err(not_sortable(name, ty)),
            }
        }
        clauses.push(OrderClause { path, descending });
    }
    Ok(clauses)
}

/// The value at `path` in `item`, `null` when it is missing.
fn at_path<'v>(item: &'v Value, path: &[&str]) -> &'v Value {
    path.iter().fold(item, |value, segment| &value[*segment])
}

/// Sorts `items` of type `ty` by the request's `$orderby`, if any: comma-separated clauses
/// `path [asc|desc]` over primitive and enum properties (a name `ty` does not declare is 400
/// `Request_BadRequest`). Strings compare ignoring case, as Entra's directory does; `null` sorts
/// before any value ascending; items that compare equal keep their order.
pub(crate) fn order_by(
    req: &GraphRequest,
    items: &mut [Value],
    ty: &'static TypeDef,
) -> Result<(), GraphError> {
    let Some(text) = req.query_param("$orderby") else {
        return Ok(());
    };
    let clauses = order_clauses(req, text, ty)?;
    items.sort_by(|a, b| {
        clauses
            .iter()
            .map(|clause| {
                let order = match (at_path(a, &clause.path), at_path(b, &clause.path)) {
                    (Value::Null, Value::Null) => Ordering::Equal,
                    (Value::Null, _) => Ordering::Less,
                    (_, Value::Null) => Ordering::Greater,
                    (a, b) => filter::ordering(a, b).unwrap_or(Ordering::Equal),
                };
                if clause.descending {
                    order.reverse()
                } else {
                    order
                }
            })
            .find(|order| order.is_ne())
            .unwrap_or(Ordering::Equal)
    });
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
/// providers and attributes): `$filter` and paging, in the emulator's default page size, and
/// `$orderby` over the properties of `orderable`, the collection's type, where it takes one.
pub(crate) fn navigation_list(
    ctx: &crate::Ctx,
    req: &GraphRequest,
    context: &str,
    items: Vec<Value>,
    orderable: Option<&'static str>,
) -> Result<GraphResponse, GraphError> {
    let orderable = orderable.and_then(crate::types::find_type);
    let supported: &[&str] = match orderable {
        Some(_) => &["$filter", "$orderby", "$top", "$skiptoken"],
        None => &["$filter", "$top", "$skiptoken"],
    };
    only_options(req, supported)?;
    let mut items = filter::apply(req, items, Filterable::Everything)?;
    if let Some(ty) = orderable {
        order_by(req, &mut items, ty)?;
    }
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
    /// Whether `$orderby` sorts the list (REFERENCE.md §1.1 names it for flows); without it,
    /// `$orderby` is refused.
    pub(crate) order_by: bool,
    /// Whether the route applied the request's `$expand` to `items` itself; without it,
    /// `$expand` is refused.
    pub(crate) expand: bool,
}

/// Answers a list request: refuses query options the collection does not take, then applies
/// `$filter`, `$select` and paging (`$top`, `$skiptoken`).
pub(crate) fn list_response(
    ctx: &crate::Ctx,
    req: &GraphRequest,
    listing: &Listing,
    items: Vec<Value>,
) -> Result<GraphResponse, GraphError> {
    let mut supported = vec!["$select", "$top", "$skiptoken"];
    for (option, taken) in [
        ("$filter", !matches!(listing.filter, Filterable::Nothing)),
        ("$orderby", listing.order_by),
        ("$expand", listing.expand),
    ] {
        if taken {
            supported.push(option);
        }
    }
    only_options(req, &supported)?;
    let mut items = filter::apply(req, items, listing.filter)?;
    if let Some(ty) = crate::types::find_type(listing.type_name) {
        if listing.order_by {
            order_by(req, &mut items, ty)?;
        }
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
