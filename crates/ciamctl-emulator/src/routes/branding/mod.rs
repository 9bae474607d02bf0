//! Company branding and its localizations (REFERENCE.md §7, §8).
//!
//! # What it manages
//!
//! The tenant's default branding (id `0`, also addressed as `default`) and one localization per
//! culture name, each with its string and nested settings and its seven streams (`backgroundImage`,
//! `bannerLogo`, `headerLogo`, `squareLogo`, `squareLogoDark`, `favicon`, `customCSS`). State is
//! [`BrandingState`]; reads are laid out by `properties`, uploads checked by `streams` and `image`.
//!
//! # Quirks reproduced (§15.13–§15.18)
//!
//! - No default branding → `GET /branding` is 404; a stream never set reads as 200 `{}`.
//! - `GET`/`PATCH /branding` need `Accept-Language` (`0`/`default`, or a locale).
//! - Streams are written only by URL; a JSON body naming a stream is refused, alone or mixed
//!   with strings; uploads are held to §7's type, pixel and size limits.
//! - Branding and localization DELETE fail while streams are attached.
//! - Creating the first localization creates the default branding; `0`/`default` cannot be
//!   `POST`ed; one localization per locale; the localization list includes the default as `0`.
//! - A localization reads back its own values: `" "` (explicitly blank) and `null` (inherit)
//!   are kept apart.
//!
//! # Conventions where the contract is open
//!
//! Each is stated in its route's behaviour text, and those with a switch are in
//! [`BrandingConventions`]: the 404 body (§16.12), PATCH with a locale (§16.11), removing one
//! stream (§16.9), the favicon and CSS types and the 300 KB reading (§16.10), a missing
//! `Accept-Language`, and uploads before the default branding exists.

mod conventions;
mod image;
mod locale;
mod properties;
mod state;
mod streams;

use std::time::SystemTime;

use http::{Method, StatusCode};
use serde_json::{Value, json};

pub use self::conventions::{
    BrandingConventions, LocalePatch, MissingAcceptLanguage, NotFoundBody, StreamRemoval,
    UploadWithoutBranding,
};
pub use self::state::{Asset, BrandingRecord, BrandingState};
pub use self::streams::Stream;

use self::locale::{is_culture_name, is_default_id};
use self::properties::{Kind, ReadContext};
use crate::Ctx;
use crate::error::GraphError;
use crate::query;
use crate::request::{GraphRequest, GraphResponse, ResponseBody};
use crate::router::{Params, Route};
use crate::state::{Object, Tenant};
use crate::types::WriteMode;

const READ: &[&str] = &["OrganizationalBranding.Read.All"];
const WRITE: &[&str] = &["OrganizationalBranding.ReadWrite.All"];

pub(crate) static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: "organization/{orgId}/branding",
        permissions: READ,
        section: "§7",
        behaviour: "`Accept-Language: 0`/`default`: the default branding, unset strings `\"\"`, `*RelativeUrl` `null` and `cdnList` `[]` until a stream is uploaded; a locale: that localization's own values (404 if none). No default branding: 404 with Graph's OData error body and request id (§16.12; `NotFoundBody::Empty` sends none). No `Accept-Language`: 400 (`MissingAcceptLanguage::DefaultBranding` reads the default). Only `$select`. Every branding route takes the application permissions of the permission map (§16.19).",
        handler: get_branding,
    },
    Route {
        method: Method::PATCH,
        path: "organization/{orgId}/branding",
        permissions: WRITE,
        section: "§7",
        behaviour: "Strings and nested settings (complex values merge, collections replace), 204; creates the default branding. A stream in the body, alone or with strings: 400 (§15.15); read-only `*RelativeUrl`/`cdnList`: 400; §7's lengths and hex colours checked. `Accept-Language: <locale>` patches that localization (§16.11; `LocalePatch::Refuse`: 400); none: as GET.",
        handler: patch_branding,
    },
    Route {
        method: Method::DELETE,
        path: "organization/{orgId}/branding",
        permissions: WRITE,
        section: "§7",
        behaviour: "204; removes the default branding and its localizations (they are contained in it). 400 while any of them still has a stream (§15.16; `customCSS` counts). A request body is ignored.",
        handler: delete_branding,
    },
    Route {
        method: Method::GET,
        path: "organization/{orgId}/branding/localizations",
        permissions: READ,
        section: "§8",
        behaviour: "The default branding as id `0` first, then the localizations in creation order (§15.17); empty before any branding exists. Only `$select`.",
        handler: list_localizations,
    },
    Route {
        method: Method::POST,
        path: "organization/{orgId}/branding/localizations",
        permissions: WRITE,
        section: "§8",
        behaviour: "201 with the localization and a `Location`. `id` must be a culture name (`fr`, `fr-FR`); `0`/`default`: 400; a second one for a locale (case-insensitive): 409 `Request_MultipleObjectsWithSameKeyValue` (§16.1). Creates the default branding when missing (§15.17). Same body rules as PATCH.",
        handler: create_localization,
    },
    Route {
        method: Method::GET,
        path: "organization/{orgId}/branding/localizations/{locale}",
        permissions: READ,
        section: "§8",
        behaviour: "The localization's own stored values: `\"\"`, `\" \"` (explicitly blank) or `null` (inherits from the default) (§15.18); `0`/`default` is the default branding. Only `$select`.",
        handler: get_localization,
    },
    Route {
        method: Method::PATCH,
        path: "organization/{orgId}/branding/localizations/{locale}",
        permissions: WRITE,
        section: "§8",
        behaviour: "As PATCH of the branding, for this localization (404 if none); `0`/`default` patches (and creates) the default branding.",
        handler: patch_localization,
    },
    Route {
        method: Method::DELETE,
        path: "organization/{orgId}/branding/localizations/{locale}",
        permissions: WRITE,
        section: "§8",
        behaviour: "204; 400 while it still has a stream (§15.16). `0`/`default`: 400, the default branding is deleted with DELETE of the branding.",
        handler: delete_localization,
    },
    Route {
        method: Method::GET,
        path: "organization/{orgId}/branding/localizations/{locale}/{property}",
        permissions: READ,
        section: "§8",
        behaviour: "A stream: its bytes with their media type, or 200 `{}` when never set (§15.13). Another property: `{ \"@odata.context\", \"value\" }` (a complex value inline with its context).",
        handler: get_property,
    },
    Route {
        method: Method::PUT,
        path: "organization/{orgId}/branding/localizations/{locale}/{stream}",
        permissions: WRITE,
        section: "§7",
        behaviour: "Uploads a stream, 204. Images are recognised by magic bytes and must match their `Content-Type`: PNG or JPEG (favicon also ICO, §16.10), at most 1920×1080 px and 300 KB (backgroundImage, \"not smaller\" read as at most), 245×36 px (bannerLogo, headerLogo), 240×240 px and 10 KB (squareLogo, squareLogoDark), favicon unlimited; customCSS `text/css` UTF-8, at most 25 KB (KB = 1024 bytes). Sets `*RelativeUrl` and `cdnList`. Empty body: 400 (`StreamRemoval::EmptyPut`: clears the stream). Default branding not created yet: 404 (`UploadWithoutBranding::CreateDefault` creates it).",
        handler: put_stream,
    },
    Route {
        method: Method::DELETE,
        path: "organization/{orgId}/branding/localizations/{locale}/{stream}",
        permissions: WRITE,
        section: "§7",
        behaviour: "Removes one stream, 204, also when it was not set (§16.9: the OData convention). 405 under `StreamRemoval::EmptyPut`.",
        handler: delete_stream,
    },
    Route {
        method: Method::GET,
        path: "organization/{orgId}/branding/{property}",
        permissions: READ,
        section: "§7",
        behaviour: "The older stream path (§7): as GET of `localizations/0/{property}`.",
        handler: get_default_property,
    },
    Route {
        method: Method::PUT,
        path: "organization/{orgId}/branding/{stream}",
        permissions: WRITE,
        section: "§7",
        behaviour: "The older stream path (§7): as PUT of `localizations/0/{stream}`.",
        handler: put_default_stream,
    },
    Route {
        method: Method::PATCH,
        path: "organization/{orgId}/branding/{stream}",
        permissions: WRITE,
        section: "§7",
        behaviour: "The older doc revisions' upload (§7): as PUT of `localizations/0/{stream}`.",
        handler: put_default_stream,
    },
    Route {
        method: Method::DELETE,
        path: "organization/{orgId}/branding/{stream}",
        permissions: WRITE,
        section: "§7",
        behaviour: "The older stream path (§7): as DELETE of `localizations/0/{stream}`.",
        handler: delete_default_stream,
    },
];

/// The query options branding reads take: `$select` only (§7, §8).
const READ_OPTIONS: &[&str] = &["$select"];
/// What the emulator's own `@odata.nextLink` adds when a default page size is configured; a
/// client sending `$top` itself is refused, as `$select` is the only documented option.
const NEXT_LINK_OPTIONS: &[&str] = &["$select", "$top", "$skiptoken"];

fn conventions(ctx: &Ctx) -> &BrandingConventions {
    &ctx.config.conventions.branding
}

/// 404 unless `{orgId}` is this tenant's id.
fn check_org(tenant: &Tenant, params: &Params) -> Result<(), GraphError> {
    let org = params.get("orgId")?;
    if org.eq_ignore_ascii_case(tenant.tenant_id()) {
        Ok(())
    } else {
        Err(GraphError::resource_not_found(org))
    }
}

/// Runs `f` on the tenant for a route under `/organization/{orgId}`, once `{orgId}` is checked.
fn read_org<R>(
    ctx: &Ctx,
    params: &Params,
    f: impl FnOnce(&Tenant) -> Result<R, GraphError>,
) -> Result<R, GraphError> {
    ctx.store.read(|tenant| {
        check_org(tenant, params)?;
        f(tenant)
    })
}

/// Runs the write `f` for a route under `/organization/{orgId}`, once `{orgId}` is checked.
fn write_org<R>(
    ctx: &Ctx,
    params: &Params,
    f: impl FnOnce(&mut Tenant) -> Result<R, GraphError>,
) -> Result<R, GraphError> {
    ctx.store.write(|tenant| {
        check_org(tenant, params)?;
        f(tenant)
    })
}

/// External (CIAM) tenants have `contentCustomization` (§7).
fn is_external(tenant: &Tenant) -> bool {
    tenant
        .organization
        .get("tenantType")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("CIAM"))
}

fn no_branding() -> GraphError {
    GraphError::not_found(
        "The organization has no branding yet: PATCH it with Accept-Language: 0, or create a localization.",
    )
}

fn no_localization(id: &str) -> GraphError {
    GraphError::not_found(format!("The branding has no localization '{id}'."))
}

fn missing(id: &str) -> GraphError {
    if is_default_id(id) {
        no_branding()
    } else {
        no_localization(id)
    }
}

/// The branding `Accept-Language` selects on `/organization/{id}/branding` (§15.14): `0`,
/// `default` or a culture name; of a list (`fr-FR, fr;q=0.9`) the first entry.
fn accept_language(ctx: &Ctx, req: &GraphRequest) -> Result<String, GraphError> {
    let first = req
        .header("accept-language")
        .and_then(|h| h.split(',').next())
        .map(|entry| entry.split(';').next().unwrap_or_default().trim())
        .filter(|tag| !tag.is_empty());
    match first {
        Some(tag) if is_default_id(tag) => Ok("0".to_owned()),
        Some(tag) if is_culture_name(tag) => Ok(tag.to_owned()),
        Some(tag) => Err(GraphError::bad_request(format!(
            "Accept-Language '{tag}' is neither 0, default nor a culture name."
        ))),
        None => match conventions(ctx).missing_accept_language {
            MissingAcceptLanguage::DefaultBranding => Ok("0".to_owned()),
            MissingAcceptLanguage::Refuse => Err(GraphError::bad_request(
                "The Accept-Language header is required: 0 (or default) for the default branding, or a locale.",
            )),
        },
    }
}

/// How a record is presented: the annotations differ between the docs' examples (§7, §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presentation {
    /// `GET /branding`: context `#branding`, `@odata.id` `…/branding/{id}`.
    Branding,
    /// `GET`/`POST …/localizations[/{id}]`: context `…/localizations/$entity`, the abstract
    /// base as `@odata.type`, `@odata.id` `…//localizations('{id}')/{id}`.
    Localization,
    /// An item of the localization list: `@odata.id` `…//localizations/{id}`.
    ListItem,
}

/// A record as a read returns it, `$select` applied.
fn present(
    ctx: &Ctx,
    req: &GraphRequest,
    tenant: &Tenant,
    record: &BrandingRecord,
    presentation: Presentation,
) -> Result<Value, GraphError> {
    let tenant_id = tenant.tenant_id();
    let cx = ReadContext {
        tenant_id,
        external_tenant: is_external(tenant),
    };
    let mut props = Value::Object(properties::read_shape(record, cx));
    query::select(req, std::slice::from_mut(&mut props), branding_type(req)?)?;
    // The docs show a directory-internal `v2` URL here (§7); it is built on the emulator's
    // address like every other URL it returns.
    let directory = format!(
        "{}/v2/{tenant_id}/directoryObjects/$/Microsoft.DirectoryServices.Organization('{tenant_id}')",
        ctx.base.0
    );
    let id = &record.id;
    let mut out = Object::new();
    match presentation {
        Presentation::Branding => {
            out.insert(
                "@odata.context".into(),
                json!(ctx.base.context(req.version, "branding")),
            );
            out.insert(
                "@odata.id".into(),
                json!(format!("{directory}/branding/{id}")),
            );
        }
        Presentation::Localization => {
            out.insert(
                "@odata.context".into(),
                json!(ctx.base.context(
                    req.version,
                    &format!("organization('{tenant_id}')/branding/localizations/$entity")
                )),
            );
            out.insert(
                "@odata.type".into(),
                json!("#microsoft.graph.organizationalBrandingProperties"),
            );
            out.insert(
                "@odata.id".into(),
                json!(format!("{directory}//localizations('{id}')/{id}")),
            );
        }
        Presentation::ListItem => {
            out.insert(
                "@odata.id".into(),
                json!(format!("{directory}//localizations/{id}")),
            );
        }
    }
    if let Value::Object(props) = props {
        out.extend(props);
    }
    Ok(Value::Object(out))
}

fn branding_type(req: &GraphRequest) -> Result<&'static crate::types::TypeDef, GraphError> {
    crate::types::find_type_in("organizationalBrandingLocalization", req.version).ok_or_else(|| {
        GraphError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            "The emulator's type table has no organizationalBrandingLocalization.",
        )
    })
}

fn get_branding(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    query::only_options(req, READ_OPTIONS)?;
    let id = accept_language(ctx, req)?;
    read_org(ctx, params, |t| match t.branding.get(&id) {
        Some(record) => Ok(GraphResponse::ok(present(
            ctx,
            req,
            t,
            record,
            Presentation::Branding,
        )?)),
        None if is_default_id(&id) && conventions(ctx).not_found_body == NotFoundBody::Empty => {
            Ok(GraphResponse {
                status: StatusCode::NOT_FOUND,
                headers: Vec::new(),
                body: ResponseBody::Empty,
            })
        }
        None => Err(missing(&id)),
    })
}

fn patch_branding(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = accept_language(ctx, req)?;
    if !is_default_id(&id) && conventions(ctx).locale_patch == LocalePatch::Refuse {
        return Err(GraphError::bad_request(format!(
            "PATCH of the branding takes Accept-Language: 0; patch the localization at .../branding/localizations/{id} instead."
        )));
    }
    patch(ctx, req, params, &id)
}

fn patch_localization(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    patch(ctx, req, params, params.get("locale")?)
}

/// Checks a JSON write: the branding rules first (so a stream in the body gets the §15.15
/// answer), then the type table, whose normalised body is what is stored.
fn accepted_body(
    req: &GraphRequest,
    tenant: &Tenant,
    declared: &str,
    mode: WriteMode,
) -> Result<Object, GraphError> {
    let body = req.json_object()?;
    properties::check_write(&body, is_external(tenant))?;
    Ok(crate::types::accept(&body, declared, mode, req.version)?.body)
}

/// PATCH of the default branding (created if missing) or of a localization.
fn patch(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
    id: &str,
) -> Result<GraphResponse, GraphError> {
    write_org(ctx, params, |t| {
        let declared = if is_default_id(id) {
            "organizationalBranding"
        } else {
            "organizationalBrandingLocalization"
        };
        let changes = accepted_body(req, t, declared, WriteMode::Update)?;
        let record = if is_default_id(id) {
            t.branding.ensure_default()
        } else {
            t.branding.get_mut(id).ok_or_else(|| no_localization(id))?
        };
        properties::merge(&mut record.properties, changes);
        Ok(GraphResponse::no_content())
    })
}

/// The streams still attached to any of `records`, as `id/stream`.
fn attached<'a>(records: impl Iterator<Item = &'a BrandingRecord>) -> Vec<String> {
    records
        .flat_map(|r| {
            r.assets
                .keys()
                .map(move |s| format!("{}/{}", r.id, s.name()))
        })
        .collect()
}

fn streams_attached(what: &str, attached: &[String]) -> GraphError {
    GraphError::bad_request(format!(
        "{what} cannot be deleted while streams are attached ({}); remove them first.",
        attached.join(", ")
    ))
}

fn delete_branding(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    write_org(ctx, params, |t| {
        if t.branding.default.is_none() {
            return Err(no_branding());
        }
        let attached = attached(t.branding.all());
        if !attached.is_empty() {
            return Err(streams_attached("The branding", &attached));
        }
        t.branding = BrandingState::default();
        Ok(GraphResponse::no_content())
    })
}

fn list_localizations(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let following_next_link = req.query_param("$skiptoken").is_some();
    query::only_options(
        req,
        if following_next_link {
            NEXT_LINK_OPTIONS
        } else {
            READ_OPTIONS
        },
    )?;
    read_org(ctx, params, |t| {
        let items = t
            .branding
            .all()
            .map(|record| present(ctx, req, t, record, Presentation::ListItem))
            .collect::<Result<Vec<_>, _>>()?;
        crate::odata::collection(
            &ctx.base,
            req,
            &format!("organization('{}')/branding/localizations", t.tenant_id()),
            items,
            ctx.config.default_page_size,
        )
    })
}

fn create_localization(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    write_org(ctx, params, |t| {
        let body = accepted_body(
            req,
            t,
            "organizationalBrandingLocalization",
            WriteMode::Create,
        )?;
        let id = match body.get("id") {
            Some(Value::String(id)) => id.clone(),
            _ => {
                return Err(GraphError::bad_request(
                    "'id' is required: the localization's culture name, e.g. fr-FR.",
                ));
            }
        };
        if is_default_id(&id) {
            return Err(GraphError::bad_request(
                "The default branding (id 0) is not created with POST: PATCH the branding with Accept-Language: 0.",
            ));
        }
        if !is_culture_name(&id) {
            return Err(GraphError::bad_request(format!(
                "'{id}' is not a culture name such as fr or fr-FR."
            )));
        }
        if let Some(existing) = t.branding.get(&id) {
            return Err(GraphError::new(
                StatusCode::CONFLICT,
                "Request_MultipleObjectsWithSameKeyValue",
                format!("A localization for '{}' already exists.", existing.id),
            ));
        }
        t.branding.ensure_default();
        let mut record = BrandingRecord {
            id: id.clone(),
            ..BrandingRecord::default()
        };
        properties::merge(&mut record.properties, body);
        let body = present(ctx, req, t, &record, Presentation::Localization)?;
        t.branding.localizations.push(record);
        let location = format!(
            "{}/{}/organization/{}/branding/localizations/{id}",
            ctx.base.0,
            req.version.as_str(),
            t.tenant_id()
        );
        Ok(GraphResponse::created(body).with_header("Location", location))
    })
}

fn get_localization(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    query::only_options(req, READ_OPTIONS)?;
    let id = params.get("locale")?;
    read_org(ctx, params, |t| {
        let record = t.branding.get(id).ok_or_else(|| missing(id))?;
        Ok(GraphResponse::ok(present(
            ctx,
            req,
            t,
            record,
            Presentation::Localization,
        )?))
    })
}

fn delete_localization(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("locale")?;
    if is_default_id(id) {
        return Err(GraphError::bad_request(
            "The default branding is not a deletable localization: DELETE the branding instead.",
        ));
    }
    write_org(ctx, params, |t| {
        let index = t
            .branding
            .localizations
            .iter()
            .position(|r| r.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| no_localization(id))?;
        let attached = attached(t.branding.localizations[index..=index].iter());
        if !attached.is_empty() {
            return Err(streams_attached("The localization", &attached));
        }
        t.branding.localizations.remove(index);
        Ok(GraphResponse::no_content())
    })
}

fn get_property(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    read_property(ctx, req, params, Some(params.get("locale")?))
}

fn get_default_property(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    read_property(ctx, req, params, None)
}

/// One property of a localization (`locale`) or, on the older path, of the default branding:
/// a stream's bytes (200 `{}` when never set, §15.13), or `{ "@odata.context", "value" }`.
fn read_property(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
    locale: Option<&str>,
) -> Result<GraphResponse, GraphError> {
    let segment = params.get("property")?;
    let id = locale.unwrap_or("0");
    let (name, kind) =
        properties::lookup(segment).ok_or_else(|| GraphError::unknown_segment(segment))?;
    read_org(ctx, params, |t| {
        let record = t.branding.get(id).ok_or_else(|| missing(id))?;
        if let Kind::Stream(stream) = kind {
            return Ok(match record.assets.get(&stream) {
                Some(asset) => GraphResponse::bytes(asset.content_type.clone(), asset.data.clone()),
                None => GraphResponse::ok(json!({})),
            });
        }
        let cx = ReadContext {
            tenant_id: t.tenant_id(),
            external_tenant: is_external(t),
        };
        if name == properties::CONTENT_CUSTOMIZATION && !cx.external_tenant {
            return Err(GraphError::unknown_segment(segment));
        }
        let path = match locale {
            Some(_) => format!(
                "organization('{}')/branding/localizations('{}')/{name}",
                cx.tenant_id, record.id
            ),
            None => format!("organization('{}')/branding/{name}", cx.tenant_id),
        };
        let mut body = Object::new();
        body.insert(
            "@odata.context".into(),
            json!(ctx.base.context(req.version, &path)),
        );
        // OData returns a complex value inline after its context, anything else as `value`.
        match properties::read_value(record, name, kind, cx) {
            Value::Object(complex) => body.extend(complex),
            value => {
                body.insert("value".into(), value);
            }
        }
        Ok(GraphResponse::ok(Value::Object(body)))
    })
}

/// The stream a URL segment names. A known non-stream property or `localizations` cannot be
/// written through this path (405); anything else is not a segment Graph knows (400).
fn stream_segment(segment: &str) -> Result<Stream, GraphError> {
    Stream::from_segment(segment).ok_or_else(|| {
        if properties::lookup(segment).is_some() || segment.eq_ignore_ascii_case("localizations") {
            GraphError::method_not_allowed()
        } else {
            GraphError::unknown_segment(segment)
        }
    })
}

fn put_stream(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    upload(
        ctx,
        req,
        params,
        params.get("locale")?,
        params.get("stream")?,
    )
}

fn put_default_stream(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    upload(ctx, req, params, "0", params.get("stream")?)
}

fn upload(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
    id: &str,
    segment: &str,
) -> Result<GraphResponse, GraphError> {
    let stream = stream_segment(segment)?;
    let asset = if req.body.is_empty() {
        match conventions(ctx).stream_removal {
            StreamRemoval::EmptyPut => None,
            StreamRemoval::Delete => {
                return Err(GraphError::bad_request(format!(
                    "The body is empty: {} takes the file's bytes. To remove the stream, DELETE its URL.",
                    stream.name()
                )));
            }
        }
    } else {
        let content_type = stream.check_upload(req.header("content-type"), &req.body)?;
        Some(Asset {
            content_type: content_type.to_owned(),
            data: req.body.to_vec(),
            uploaded_ticks: streams::ticks(SystemTime::now()),
        })
    };
    write_org(ctx, params, |t| {
        let creates =
            conventions(ctx).upload_without_branding == UploadWithoutBranding::CreateDefault;
        if creates && is_default_id(id) {
            t.branding.ensure_default();
        }
        let record = t.branding.get_mut(id).ok_or_else(|| missing(id))?;
        match asset {
            Some(asset) => record.assets.insert(stream, asset),
            None => record.assets.remove(&stream),
        };
        Ok(GraphResponse::no_content())
    })
}

fn delete_stream(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    remove_stream(ctx, params, params.get("locale")?)
}

fn delete_default_stream(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    remove_stream(ctx, params, "0")
}

fn remove_stream(ctx: &Ctx, params: &Params, id: &str) -> Result<GraphResponse, GraphError> {
    let stream = stream_segment(params.get("stream")?)?;
    if conventions(ctx).stream_removal == StreamRemoval::EmptyPut {
        return Err(GraphError::method_not_allowed());
    }
    write_org(ctx, params, |t| {
        let record = t.branding.get_mut(id).ok_or_else(|| missing(id))?;
        record.assets.remove(&stream);
        Ok(GraphResponse::no_content())
    })
}
