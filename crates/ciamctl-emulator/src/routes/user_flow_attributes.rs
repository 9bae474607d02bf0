//! User-flow attributes (REFERENCE.md §5, §17). SKELETON: being built.

use serde_json::{Value, json};

use crate::router::Route;
use crate::state::Object;

pub static ROUTES: &[Route] = &[];

/// The built-in attributes of an external tenant (REFERENCE.md §17).
pub fn built_ins() -> Vec<Object> {
    [
        ("city", "City", "Your city"),
        ("country", "Country/Region", "Your country or region"),
        ("displayName", "Display Name", "Display Name of the User."),
        ("email", "Email Address", "Email address of the user"),
        (
            "givenName",
            "Given Name",
            "Your given name (also known as first name).",
        ),
        ("jobTitle", "Job Title", "Your job title."),
        ("postalCode", "Postal Code", "Your postal code or zip code."),
        ("state", "State/Province", "Your state or province."),
        (
            "streetAddress",
            "Street Address",
            "The street address where you live.",
        ),
        (
            "surname",
            "Surname",
            "Your surname (also known as family name or last name).",
        ),
    ]
    .into_iter()
    .filter_map(|(id, name, description)| {
        match json!({
            "id": id,
            "displayName": name,
            "description": description,
            "userFlowAttributeType": "builtIn",
            "dataType": "string"
        }) {
            Value::Object(map) => Some(map),
            _ => None,
        }
    })
    .collect()
}
