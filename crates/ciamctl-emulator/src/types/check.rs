//! Checking a request body against the type table, as Graph's `OData` layer does before the
//! workload sees the request.
//!
//! What is refused (400 `invalidRequest`, see the module docs of `types` for the code):
//!
//! - a property the type does not declare, unless the type is open (REFERENCE.md §1 notes
//!   `authenticationEventsFlow` and `authenticationEventListener` are `OpenType`, so their own
//!   unknown properties are kept as dynamic properties, as Graph keeps them);
//! - a property that exists only in the other version (§14), named as such;
//! - an abstract declared type without `@odata.type`, at the top and in every nested
//!   handler/configuration value (§0.4, §15.1); an `@odata.type` that is not the declared type or
//!   derived from it, names an abstract type, or is unknown in this version;
//! - a value of the wrong JSON type for its Edm type, an enum value that is no member (members
//!   match case-insensitively, §15.24; a flags enum takes comma-separated members), `null` for a
//!   non-nullable property or a collection, a stream property in a JSON body;
//! - a non-nullable string or enum property missing from a nested complex value (these have no
//!   default: `label`, `attribute` and `inputType` of an attribute-page input, §1.3);
//! - a navigation reference without its `id` (`identityProviders: [{"id": ...}]`);
//! - a read-only property at the top of the body: `userFlowAttributeType`,
//!   `authenticationEventsFlowId`, and the `id` of a type whose ids the service assigns. That
//!   `id` is refused on create; on update it is tolerated and dropped, so a client that sends back
//!   in a PATCH what it read keeps working and the key never changes (our convention; the contract
//!   only says `id` is read-only, §1.6).
//!
//! Instance annotations (`@odata.context`, `x@odata.bind`, ...) are ignored.

use serde_json::Value;

use super::def::{Edm, Prop, PropKind, Ty, TypeDef};
use crate::error::GraphError;
use crate::request::ApiVersion;
use crate::state::Object;

/// Whether a body creates an object or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteMode {
    Create,
    Update,
}

/// A body that passed the checks.
#[derive(Debug, Clone)]
pub(crate) struct Accepted {
    /// The concrete type's name as the table spells it (`oidcIdentityProvider`).
    pub(crate) type_name: &'static str,
    /// The body with every `@odata.type` in canonical form (`#microsoft.graph.<name>`) and every
    /// enum value in its declared casing; on update, without `id`.
    pub(crate) body: Object,
}

/// Checks a request body against `declared`, the type the target collection or property is
/// declared with, and returns it normalised with its concrete type (as the body names it or as
/// declared).
pub(crate) fn accept(
    body: &Object,
    declared: &str,
    mode: WriteMode,
    version: ApiVersion,
) -> Result<Accepted, GraphError> {
    let declared_ty = super::find_type_in(declared, version).ok_or_else(|| {
        GraphError::new(
            http::StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            format!(
                "The emulator's type table has no type '{declared}' in {}.",
                version.as_str()
            ),
        )
    })?;
    let mut body = body.clone();
    let walker = Walker { version, mode };
    let ty = walker.object(&mut body, declared_ty, Role::Top, "")?;
    if mode == WriteMode::Update {
        body.remove("id");
    }
    Ok(Accepted {
        type_name: ty.name,
        body,
    })
}

/// Where an object sits in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The entity being written.
    Top,
    /// A complex value or a contained entity.
    Value,
    /// A navigation reference: an existing entity named by `id`.
    Reference,
}

struct Walker {
    version: ApiVersion,
    mode: WriteMode,
}

fn bad(message: String) -> GraphError {
    GraphError::bad_request(message)
}

/// `'path'` for messages; the body itself is "the request body".
fn place(path: &str) -> String {
    if path.is_empty() {
        "the request body".to_owned()
    } else {
        format!("'{path}'")
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn qualified(name: &str) -> String {
    format!("microsoft.graph.{name}")
}

impl Walker {
    fn object(
        &self,
        obj: &mut Object,
        declared: &'static TypeDef,
        role: Role,
        path: &str,
    ) -> Result<&'static TypeDef, GraphError> {
        let ty = self.resolve(obj, declared, role, path)?;
        let props = super::properties(ty, self.version);
        let open = super::lineage(ty).any(|t| t.open);
        let keys: Vec<String> = obj.keys().cloned().collect();
        for key in keys {
            if key.contains('@') {
                continue;
            }
            let here = join(path, &key);
            let Some(prop) = props.iter().copied().find(|p| p.name == key) else {
                if open {
                    continue;
                }
                return Err(self.unknown_property(ty, &key, &here));
            };
            if role == Role::Top {
                self.check_writable(ty, prop, &here)?;
            }
            if let Some(value) = obj.get_mut(&key) {
                self.value(value, prop, &here)?;
            }
        }
        match role {
            Role::Value => {
                for prop in props.iter().filter(|p| needs_value(p)) {
                    if !obj.contains_key(prop.name) {
                        return Err(bad(format!(
                            "'{}' is required: {} of type '{}' has no default for it.",
                            join(path, prop.name),
                            place(path),
                            qualified(ty.name)
                        )));
                    }
                }
            }
            Role::Reference => {
                if !obj.get("id").is_some_and(Value::is_string) {
                    return Err(bad(format!(
                        "{} must reference an existing '{}' by its 'id'.",
                        place(path),
                        qualified(ty.name)
                    )));
                }
            }
            Role::Top => {}
        }
        Ok(ty)
    }

    /// The concrete type of `obj`: its `@odata.type` (canonicalised in place) or `declared`.
    fn resolve(
        &self,
        obj: &mut Object,
        declared: &'static TypeDef,
        role: Role,
        path: &str,
    ) -> Result<&'static TypeDef, GraphError> {
        let named = match obj.get("@odata.type") {
            None => None,
            Some(Value::String(name)) => Some(name.clone()),
            Some(_) => {
                return Err(bad(format!(
                    "'@odata.type' of {} must be a string.",
                    place(path)
                )));
            }
        };
        let ty = match &named {
            None => declared,
            Some(name) => {
                let ty =
                    super::find_type_in(name, self.version).ok_or_else(
                        || match super::find_type(name) {
                            Some(other) => bad(format!(
                                "The type '{}' of {} exists only in {} (REFERENCE.md §14).",
                                qualified(other.name),
                                place(path),
                                other_version(self.version).as_str()
                            )),
                            None => bad(format!(
                                "A type named '{name}' could not be resolved by the model ({}).",
                                place(path)
                            )),
                        },
                    )?;
                if !super::is_a(ty, declared.name) {
                    return Err(bad(format!(
                        "The type '{}' of {} is not '{}' or a type derived from it.",
                        qualified(ty.name),
                        place(path),
                        qualified(declared.name)
                    )));
                }
                obj.insert(
                    "@odata.type".to_owned(),
                    Value::String(crate::odata::type_value(ty.name)),
                );
                ty
            }
        };
        let named_as_accepted =
            named.is_some() && super::abstract_but_accepted().contains(&ty.name);
        if ty.is_abstract && role != Role::Reference && !named_as_accepted {
            let choices = super::concrete_types_of(ty.name, self.version)
                .iter()
                .map(|t| format!("'#{}'", qualified(t)))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(bad(if named.is_none() {
                format!(
                    "'@odata.type' is required on {}: '{}' is abstract. Name one of its concrete types: {choices}.",
                    place(path),
                    qualified(ty.name)
                )
            } else {
                format!(
                    "The type '{}' of {} is abstract. Name one of its concrete types: {choices}.",
                    qualified(ty.name),
                    place(path)
                )
            }));
        }
        Ok(ty)
    }

    fn unknown_property(&self, ty: &'static TypeDef, key: &str, here: &str) -> GraphError {
        if let Some(prop) = super::property_any_version(ty, key)
            && !prop.avail.includes(self.version)
        {
            return bad(format!(
                "The property '{here}' of type '{}' exists only in {} (REFERENCE.md §14).",
                qualified(ty.name),
                other_version(self.version).as_str()
            ));
        }
        let hint = super::properties(ty, self.version)
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(key))
            .map(|p| format!(" Did you mean '{}'?", p.name))
            .unwrap_or_default();
        bad(format!(
            "The property '{here}' does not exist on type '{}'. Make sure to only use property names that are defined by the type.{hint}",
            qualified(ty.name)
        ))
    }

    fn check_writable(
        &self,
        ty: &'static TypeDef,
        prop: &Prop,
        here: &str,
    ) -> Result<(), GraphError> {
        if prop.read_only {
            return Err(bad(format!(
                "The property '{here}' is read-only: the service sets it."
            )));
        }
        if prop.name == "id" && self.mode == WriteMode::Create && super::is_service_keyed(ty) {
            return Err(bad(format!(
                "The property 'id' is read-only: the service assigns the id of a '{}'.",
                qualified(ty.name)
            )));
        }
        Ok(())
    }

    fn value(&self, value: &mut Value, prop: &Prop, here: &str) -> Result<(), GraphError> {
        if value.is_null() {
            return if prop.collection {
                Err(bad(format!(
                    "'{here}' is a collection and cannot be null; send [] for none."
                )))
            } else if prop.nullable {
                Ok(())
            } else {
                Err(bad(format!("'{here}' cannot be null.")))
            };
        }
        if !prop.collection {
            return self.single(value, prop, here);
        }
        let Value::Array(items) = value else {
            return Err(bad(format!(
                "'{here}' must be a JSON array of '{}', not {}.",
                prop.ty.name(),
                json_kind(value)
            )));
        };
        for (index, item) in items.iter_mut().enumerate() {
            let here = format!("{here}[{index}]");
            if item.is_null() {
                return Err(bad(format!("'{here}' cannot be null.")));
            }
            self.single(item, prop, &here)?;
        }
        Ok(())
    }

    fn single(&self, value: &mut Value, prop: &Prop, here: &str) -> Result<(), GraphError> {
        match prop.ty {
            Ty::Edm(edm) => primitive(value, edm, here),
            Ty::Enum(name) => enum_member(value, name, here),
            Ty::Opaque(_) => Ok(()),
            Ty::Complex(name) | Ty::Entity(name) => {
                let Value::Object(obj) = value else {
                    return Err(bad(format!(
                        "'{here}' must be a JSON object of type '{}', not {}.",
                        qualified(name),
                        json_kind(value)
                    )));
                };
                let declared = super::find_type_in(name, self.version).ok_or_else(|| {
                    bad(format!(
                        "'{here}' has type '{}', which exists only in {}.",
                        qualified(name),
                        other_version(self.version).as_str()
                    ))
                })?;
                let role = if prop.kind == PropKind::Reference {
                    Role::Reference
                } else {
                    Role::Value
                };
                self.object(obj, declared, role, here).map(|_| ())
            }
        }
    }
}

/// A non-nullable scalar with no natural default: strings and enums (booleans and numbers
/// default to `false`/`0`, or 500 for `priority`, so Graph fills them in).
fn needs_value(prop: &Prop) -> bool {
    !prop.nullable
        && !prop.collection
        && prop.kind == PropKind::Structural
        && matches!(prop.ty, Ty::Edm(Edm::String) | Ty::Enum(_))
}

fn other_version(version: ApiVersion) -> ApiVersion {
    match version {
        ApiVersion::V1 => ApiVersion::Beta,
        ApiVersion::Beta => ApiVersion::V1,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn primitive(value: &Value, edm: Edm, here: &str) -> Result<(), GraphError> {
    let fits = match edm {
        Edm::String => value.is_string(),
        Edm::Boolean => value.is_boolean(),
        Edm::Int32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Edm::DateTimeOffset => value.as_str().is_some_and(looks_like_date_time),
        Edm::Stream => {
            return Err(bad(format!(
                "'{here}' is a stream: upload its content with PUT to its own URL, not in a JSON body."
            )));
        }
    };
    if fits {
        Ok(())
    } else {
        Err(bad(format!(
            "'{here}' must be of type '{}', not {}.",
            edm.csdl_name(),
            json_kind(value)
        )))
    }
}

/// `2021-08-02T10:30:06Z` and the like: a date, a `T`, a time.
fn looks_like_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 19
        && bytes.get(10) == Some(&b'T')
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// Checks an enum value and rewrites it in its declared casing.
fn enum_member(value: &mut Value, enum_name: &str, here: &str) -> Result<(), GraphError> {
    let Some(def) = super::find_enum(enum_name) else {
        return Err(bad(format!(
            "'{here}' has the unknown enum type '{enum_name}'."
        )));
    };
    let not_member = |given: &str| {
        bad(format!(
            "'{given}' is not a member of enum '{}' for '{here}'; members: {}.",
            qualified(def.name),
            def.members.join(", ")
        ))
    };
    let Value::String(text) = value else {
        return Err(bad(format!(
            "'{here}' must be a string naming a member of enum '{}', not {}.",
            qualified(def.name),
            json_kind(value)
        )));
    };
    let canonical = if def.flags {
        text.split(',')
            .map(|part| {
                def.member(part.trim())
                    .ok_or_else(|| not_member(part.trim()))
            })
            .collect::<Result<Vec<_>, _>>()?
            .join(",")
    } else {
        def.member(text).ok_or_else(|| not_member(text))?.to_owned()
    };
    *text = canonical;
    Ok(())
}
