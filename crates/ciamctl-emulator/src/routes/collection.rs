//! What the routes over a tenant collection of JSON objects (identity providers, user-flow
//! attributes, custom extensions, listeners) share: finding an object by its `id` (compared
//! case-insensitively, as Graph's keys are), the list and single-object answers, and the
//! create, update and delete shapes. Each module keeps its own rules and passes them in as
//! closures; a write runs in `Store::write`, so a closure that refuses leaves nothing behind.

use http::StatusCode;
use serde_json::Value;

use crate::Ctx;
use crate::error::GraphError;
use crate::query::{self, Listing};
use crate::request::{GraphRequest, GraphResponse};
use crate::router::Params;
use crate::state::{Object, Tenant};
use crate::types::{self, Accepted, WriteMode};

/// One collection of the tenant and how it is read.
#[derive(Debug)]
pub(crate) struct Collection {
    /// How the list route answers. `listing.fragment` is the collection's path, so one
    /// object's `@odata.context` is `{fragment}/$entity`.
    pub(crate) listing: Listing,
    pub(crate) objects: fn(&Tenant) -> &Vec<Object>,
    pub(crate) objects_mut: fn(&mut Tenant) -> &mut Vec<Object>,
    /// The shape a stored object is read in (secrets masked, every declared property).
    pub(crate) read_shape: fn(&Object) -> Object,
}

impl Collection {
    /// A create or PATCH body checked against the collection's type and normalised
    /// (`types::accept`).
    pub(crate) fn accept(
        &self,
        req: &GraphRequest,
        mode: WriteMode,
    ) -> Result<Accepted, GraphError> {
        types::accept(
            &req.json_object()?,
            self.listing.type_name,
            mode,
            req.version,
        )
    }

    /// Object `id` of the tenant.
    pub(crate) fn find<'t>(&self, tenant: &'t Tenant, id: &str) -> Option<&'t Object> {
        let objects = (self.objects)(tenant);
        types::position_by_id(objects, id).map(|index| &objects[index])
    }

    /// Object `id`, or Graph's 404.
    pub(crate) fn object<'t>(
        &self,
        tenant: &'t Tenant,
        id: &str,
    ) -> Result<&'t Object, GraphError> {
        self.find(tenant, id)
            .ok_or_else(|| GraphError::resource_not_found(id))
    }

    /// The index of object `id`, or Graph's 404.
    fn index(&self, tenant: &Tenant, id: &str) -> Result<usize, GraphError> {
        types::position_by_id((self.objects)(tenant), id)
            .ok_or_else(|| GraphError::resource_not_found(id))
    }

    /// `object` read back as one entity, with its context.
    pub(crate) fn entity(&self, ctx: &Ctx, req: &GraphRequest, object: &Object) -> GraphResponse {
        types::entity_response(
            &ctx.base,
            req.version,
            &format!("{}/$entity", self.listing.fragment),
            (self.read_shape)(object),
        )
    }

    /// The list route: every object in its read shape, with the listing's query options.
    pub(crate) fn list(&self, ctx: &Ctx, req: &GraphRequest) -> Result<GraphResponse, GraphError> {
        let items = ctx.store.read(|tenant| {
            (self.objects)(tenant)
                .iter()
                .map(|object| Value::Object((self.read_shape)(object)))
                .collect()
        });
        query::list_response(ctx, req, &self.listing, items)
    }

    /// The get route: object `{id}`, or 404; see [`Self::read`].
    pub(crate) fn get(
        &self,
        ctx: &Ctx,
        req: &GraphRequest,
        params: &Params,
    ) -> Result<GraphResponse, GraphError> {
        let id = params.get("id")?;
        let object = ctx.store.read(|tenant| self.object(tenant, id).cloned())?;
        self.read(ctx, req, &object)
    }

    /// A read of `object` (at its own path or through a navigation property): its read shape
    /// with its context, `$select` as on the list, other query options refused.
    pub(crate) fn read(
        &self,
        ctx: &Ctx,
        req: &GraphRequest,
        object: &Object,
    ) -> Result<GraphResponse, GraphError> {
        let mut object = (self.read_shape)(object);
        query::entity_options(req, &mut object, self.listing.type_name, &[])?;
        Ok(types::entity_response(
            &ctx.base,
            req.version,
            &format!("{}/$entity", self.listing.fragment),
            object,
        ))
    }

    /// A create: stores the object `build` makes from the tenant as it is, and returns it.
    pub(crate) fn insert(
        &self,
        ctx: &Ctx,
        build: impl FnOnce(&Tenant) -> Result<Object, GraphError>,
    ) -> Result<Object, GraphError> {
        ctx.store.write(|tenant| {
            let object = build(tenant)?;
            (self.objects_mut)(tenant).push(object.clone());
            Ok(object)
        })
    }

    /// The answer to a create: 201 with the new object.
    pub(crate) fn created(&self, ctx: &Ctx, req: &GraphRequest, object: &Object) -> GraphResponse {
        self.entity(ctx, req, object)
            .with_status(StatusCode::CREATED)
    }

    /// Runs `change` on a copy of object `{id}`, with the tenant to check against, and stores
    /// the copy when `change` succeeds.
    pub(crate) fn modify<R>(
        &self,
        ctx: &Ctx,
        params: &Params,
        change: impl FnOnce(&Tenant, &mut Object) -> Result<R, GraphError>,
    ) -> Result<R, GraphError> {
        let id = params.get("id")?;
        ctx.store.write(|tenant| {
            let index = self.index(tenant, id)?;
            let mut object = (self.objects)(tenant)[index].clone();
            let out = change(tenant, &mut object)?;
            (self.objects_mut)(tenant)[index] = object;
            Ok(out)
        })
    }

    /// A PATCH (or another change of object `{id}` answered 204): [`Self::modify`].
    pub(crate) fn update(
        &self,
        ctx: &Ctx,
        params: &Params,
        change: impl FnOnce(&Tenant, &mut Object) -> Result<(), GraphError>,
    ) -> Result<GraphResponse, GraphError> {
        self.modify(ctx, params, change)?;
        Ok(GraphResponse::no_content())
    }

    /// A DELETE: removes object `{id}` unless `check` refuses (a built-in, or one still in use):
    /// 204.
    pub(crate) fn delete(
        &self,
        ctx: &Ctx,
        params: &Params,
        check: impl FnOnce(&Tenant, &Object) -> Result<(), GraphError>,
    ) -> Result<GraphResponse, GraphError> {
        let id = params.get("id")?;
        ctx.store.write(|tenant| {
            let index = self.index(tenant, id)?;
            check(tenant, &(self.objects)(tenant)[index])?;
            (self.objects_mut)(tenant).remove(index);
            Ok(())
        })?;
        Ok(GraphResponse::no_content())
    }
}

/// 400 unless `accepted`, the type a PATCH body names, is the type of `stored` (object `id`):
/// a PATCH cannot change what an object is. Type names compare case-insensitively
/// (REFERENCE.md §0.3).
pub(crate) fn check_same_type(id: &str, stored: &Object, accepted: &str) -> Result<(), GraphError> {
    let stored_type = types::type_of(stored);
    if stored_type.eq_ignore_ascii_case(accepted) {
        Ok(())
    } else {
        Err(GraphError::bad_request(format!(
            "'{id}' is a '{stored_type}'; the body's '@odata.type' must say so, not '{accepted}'."
        )))
    }
}
