//! The Graph types the emulator accepts in request bodies, and the checks Graph applies to them.
//!
//! SKELETON: only the `@odata.type` rule of REFERENCE.md §0.4 is checked so far; the full type
//! table (properties, enums, open and closed types, written from the CSDL and checked against it
//! by a test) is being built.

use serde_json::Value;

use crate::error::GraphError;
use crate::odata::normalize_type;
use crate::request::ApiVersion;
use crate::state::Object;

/// Whether a body creates an object or updates one (updates may omit required properties).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    Create,
    Update,
}

/// Abstract (or polymorphic) types whose writes must name their concrete `@odata.type`.
const POLYMORPHIC: &[&str] = &[
    "authenticationEventsFlow",
    "authenticationEventListener",
    "customAuthenticationExtension",
    "identityProviderBase",
];

/// Checks a request body against `declared`, the type the target collection or property is
/// declared with. Returns the concrete type's name (without namespace), as the body names it
/// or as declared.
pub fn check_body(
    body: &Object,
    declared: &str,
    _mode: WriteMode,
    _version: ApiVersion,
) -> Result<String, GraphError> {
    match body.get("@odata.type").and_then(Value::as_str) {
        Some(odata_type) => {
            let normalized = normalize_type(odata_type);
            Ok(normalized.trim_start_matches("microsoft.graph.").to_owned())
        }
        None if POLYMORPHIC.contains(&declared) => Err(GraphError::bad_request(format!(
            "A type named '@odata.type' is required for a write to a collection of the abstract type '{declared}'."
        ))),
        None => Ok(declared.to_owned()),
    }
}
