//! The live tenant as data.
//!
//! `ciamctl-tenant` fetches a tenant's objects through Microsoft Graph and builds a
//! [`LiveTenant`] with the parsers here; the planner diffs a configuration against it;
//! `ciamctl snapshot` prints it ([`render_text`], or serde JSON). This crate does no I/O.
//!
//! **Reading.** Each kind has a [`FromGraph`] parser from Graph's JSON ([`parse_collection`]
//! for a collection's items). Parsers are tolerant where Graph varies (REFERENCE.md §0.3, §15:
//! unknown properties, `@odata.type` spelling, enum casing, `{"value": {...}}` wrappers, `null`
//! versus `""`) and strict where a value cannot be trusted: an object missing what identifies it
//! is a [`ParseError`], and the fetcher then marks the whole kind [`Known::Unknown`].
//!
//! **Normalised.** Unset is `None` whether Graph sent `null`, `""` or nothing; enum members are
//! spelled as Graph's CSDL spells them; secrets are only [`SecretState`]; volatile read-only
//! properties (branding `*RelativeUrl`s, `cdnList`) are dropped. Two reads of an unchanged tenant
//! give equal values, equal JSON and equal [`Fingerprint`]s.

mod attribute;
mod branding;
mod directory;
mod error;
mod extension;
mod fingerprint;
mod identity_provider;
mod known;
mod read;
#[cfg(test)]
mod sample;
mod secret;
mod tenant;
mod text;
mod user_flow;

pub use attribute::UserFlowAttribute;
pub use branding::{
    AssetContent, AssetState, Branding, BrandingProperties, ContentCustomization, KeyValue,
    Localization, LoginPageLayoutConfiguration, LoginPageTextVisibilitySettings, Stream,
};
pub use directory::{Application, Organization};
pub use error::ParseError;
pub use extension::CustomExtension;
pub use fingerprint::{Fingerprint, canonical_json, hex_sha256};
pub use identity_provider::{
    AddressClaimMapping, IdentityProvider, IdentityProviderKind, InboundClaimMapping,
    OidcClientAuthentication, OidcProvider,
};
pub use known::{Known, ReadFailure};
pub use read::{FromGraph, parse_collection, parse_collection_body};
pub use secret::SecretState;
pub use tenant::{Keyed, Kind, LiveTenant};
pub use text::render_text;
pub use user_flow::{
    ExtensionHandler, InputOption, Page, PageInput, PageView, ProviderRef, UserFlow,
};
