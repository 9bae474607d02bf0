//! The plan document: what `plan --format json` prints and `plan --out` saves, and what
//! `apply` reads back.
//!
//! It is a public, versioned format (`format_version`), described by
//! `schemas/ciamctl-plan.schema.json` (generated from these types; a test fails when the
//! committed file is stale). Keys are in `snake_case`, like Terraform's JSON plan. Every list is in
//! a fixed order, so the same inputs give the same bytes.
//!
//! A plan holds no secret: a request that sends one carries the mask in its body and, in
//! `secrets`, where the value goes and which `${env:…}`/`${file:…}` reference supplies it at
//! apply time. A stream upload carries the asset's path and digest, not its bytes.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The version of this format. A reader refuses a plan with another version.
pub const FORMAT_VERSION: u32 = 1;

/// An ordered change plan for one tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "ciamctl plan",
    description = "An ordered change plan that makes a Microsoft Entra External ID tenant match \
                   a ciamctl configuration. Written by `ciamctl plan --format json` and \
                   `ciamctl plan --out`; read by `ciamctl apply`."
)]
pub struct Plan {
    /// The version of this format (currently 1).
    pub format_version: u32,
    /// The version of ciamctl that made the plan.
    pub ciamctl_version: String,
    /// The tenant (directory) id the plan was made against; `apply` refuses another tenant.
    pub tenant_id: String,
    /// The environment the configuration was resolved for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// SHA-256 of the desired state as the planner saw it: every resolved value, secret
    /// references (never values) and the digest of every asset file. `apply` of a saved plan
    /// refuses when the configuration now gives another digest.
    pub config_digest: String,
    /// The options the plan was made with.
    pub options: PlanOptions,
    /// Counts per action and kind.
    pub summary: Summary,
    /// The changes, in the order they are applied (the order of their first request).
    pub changes: Vec<Change>,
    /// Live objects the configuration does not mention, of kinds that are not pruned: left
    /// alone, listed so that a reviewer sees them.
    pub unmanaged: Vec<ObjectRef>,
    /// Every live object the plan read, with its fingerprint, for the stale-plan check.
    pub live: Vec<LiveObject>,
}

/// The options a plan was made with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanOptions {
    /// Whether secrets are sent on update (`--rotate-secrets`). Without it a secret is sent
    /// only when its object is created or the tenant has none.
    pub rotate_secrets: bool,
}

/// Counts of the plan, overall and per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Whether the tenant already matches the configuration: no change at all.
    pub in_sync: bool,
    /// Objects created.
    pub create: usize,
    /// Objects updated.
    pub update: usize,
    /// Objects deleted.
    pub delete: usize,
    /// Changes marked unsafe, which `apply` refuses without `--allow-unsafe`.
    pub unsafe_changes: usize,
    /// Live objects left alone because their kind is not pruned.
    pub unmanaged: usize,
    /// The same counts per kind, in the order of [`Kind::ALL`], for kinds with anything to
    /// count.
    pub kinds: Vec<KindSummary>,
}

/// The counts of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KindSummary {
    pub kind: Kind,
    pub create: usize,
    pub update: usize,
    pub delete: usize,
    pub unmanaged: usize,
}

/// What a change does to its object.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The object is created.
    Create,
    /// The object exists and some of its fields or links change.
    Update,
    /// The object is deleted.
    Delete,
}

impl Action {
    /// The word people read: `create`, `update`, `delete`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// The kinds of object a plan changes. Assets are fields of the branding or localization
/// they belong to; a flow's applications, providers and attributes are fields of the flow.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// A custom user-flow attribute.
    Attribute,
    /// An identity provider.
    IdentityProvider,
    /// A user flow.
    UserFlow,
    /// The default company branding.
    Branding,
    /// A branding localization.
    Localization,
}

impl Kind {
    /// Every kind, in the order summaries list them.
    pub const ALL: [Kind; 5] = [
        Kind::Attribute,
        Kind::IdentityProvider,
        Kind::UserFlow,
        Kind::Branding,
        Kind::Localization,
    ];

    /// The name used in the plan and in summaries: `attribute`, `identityProvider`, ….
    pub fn name(self) -> &'static str {
        match self {
            Kind::Attribute => "attribute",
            Kind::IdentityProvider => "identityProvider",
            Kind::UserFlow => "userFlow",
            Kind::Branding => "branding",
            Kind::Localization => "localization",
        }
    }

    /// One object of the kind as people say it: `user flow`, `identity provider`, ….
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Attribute => "attribute",
            Kind::IdentityProvider => "identity provider",
            Kind::UserFlow => "user flow",
            Kind::Branding => "branding",
            Kind::Localization => "localization",
        }
    }

    /// The plural people read in summary tables: `attributes`, `identity providers`, ….
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Attribute => "attributes",
            Kind::IdentityProvider => "identity providers",
            Kind::UserFlow => "user flows",
            Kind::Branding => "branding",
            Kind::Localization => "localizations",
        }
    }

    /// The kind [`LiveObject::kind`] names for objects of this kind.
    pub fn live_kind(self) -> ciamctl_live::Kind {
        match self {
            Kind::Attribute => ciamctl_live::Kind::Attributes,
            Kind::IdentityProvider => ciamctl_live::Kind::IdentityProviders,
            Kind::UserFlow => ciamctl_live::Kind::UserFlows,
            Kind::Branding => ciamctl_live::Kind::Branding,
            Kind::Localization => ciamctl_live::Kind::Localizations,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One object's change: what differs, why it may be unsafe, and the Graph requests that make
/// it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The change's number in the plan, from 1, in plan order.
    pub id: u32,
    pub action: Action,
    pub kind: Kind,
    /// The object's natural key: a flow's or attribute's display name, a provider's name, a
    /// localization's locale, `default` for the branding.
    pub name: String,
    /// The live object's Graph id, for updates and deletes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_id: Option<String>,
    /// The live object's fingerprint when the plan was made (updates and deletes); `apply` of a
    /// saved plan re-reads the object and refuses when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The fields that differ, in a fixed order. A create lists every field it sets; a delete
    /// lists none.
    pub fields: Vec<FieldChange>,
    /// Things a reviewer should know that are not a field diff, such as a write-only secret
    /// that is not compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why the change is unsafe, if it is; `apply` refuses unsafe changes without
    /// `--allow-unsafe`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsafe_reasons: Vec<String>,
    /// The ids of the changes whose requests must succeed before some request of this one.
    pub depends_on: Vec<u32>,
    /// The Graph requests, in the order they are sent.
    pub requests: Vec<PlannedRequest>,
}

impl Change {
    /// A change with nothing in it yet: no live object, fields, notes, dependencies or
    /// requests.
    pub fn new(id: u32, action: Action, kind: Kind, name: &str) -> Self {
        Self {
            id,
            action,
            kind,
            name: name.to_owned(),
            live_id: None,
            fingerprint: None,
            fields: Vec::new(),
            notes: Vec::new(),
            unsafe_reasons: Vec::new(),
            depends_on: Vec::new(),
            requests: Vec::new(),
        }
    }

    /// Whether `apply` refuses this change without `--allow-unsafe`.
    pub fn is_unsafe(&self) -> bool {
        !self.unsafe_reasons.is_empty()
    }
}

/// One field that differs. `path` names it in the configuration's terms:
/// `description`, `identityProviders`, `page.inputs[city].label`, `assets.bannerLogo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    pub path: String,
    pub op: FieldOp,
    /// The live value (absent for `add`). Secrets appear as the mask; an asset as
    /// [`AssetDigest`]-shaped JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value the change sets (absent for `remove`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// How a field changes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FieldOp {
    /// The field, or a member of a set, is added.
    Add,
    /// The field, or a member of a set, is removed.
    Remove,
    /// The value changes from `before` to `after`.
    Change,
    /// An item of an ordered list moves from position `before` to `after` (0-based).
    Move,
    /// A write-only secret is sent again (`--rotate-secrets`); its value is never shown.
    Rotate,
}

/// The steps whose ids `text` refers to as `{{N.id}}`, in order.
pub fn id_references(text: &str) -> Vec<u32> {
    let mut steps = Vec::new();
    let mut rest = text;
    while let Some((_, step, after)) = next_id_reference(rest) {
        steps.push(step);
        rest = after;
    }
    steps
}

/// `text` with every `{{N.id}}` replaced by the id `id(N)` gives; the step of the first
/// reference it gives none for is the error.
pub fn fill_ids<'a>(text: &str, id: impl Fn(u32) -> Option<&'a str>) -> Result<String, u32> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, step, after)) = next_id_reference(rest) {
        out.push_str(before);
        out.push_str(id(step).ok_or(step)?);
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

/// `text` split around its first `{{N.id}}`: the text before it, `N`, the text after it.
fn next_id_reference(text: &str) -> Option<(&str, u32, &str)> {
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| i + from) {
        let after = &text[start + 2..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if let (Some(rest), Ok(step)) = (
            after[digits..].strip_prefix(".id}}"),
            after[..digits].parse::<u32>(),
        ) {
            return Some((&text[..start], step, rest));
        }
        from = start + 2;
    }
    None
}

/// A Graph request of a change.
///
/// A string `{{N.id}}` in `path` or in a string of `body` stands for the `id` of the object
/// that step `N` creates, taken from that step's response at apply time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedRequest {
    /// The request's step number in the whole plan, from 1, in the order `apply` may start
    /// them.
    pub step: u32,
    /// `GET`, `POST`, `PATCH`, `PUT` or `DELETE`.
    pub method: String,
    /// The Graph version the request goes to.
    pub api: ApiVersion,
    /// The path under the version root, starting with `/`.
    pub path: String,
    /// Headers beyond authorization and the JSON content type (`Accept-Language`, a stream's
    /// `Content-Type`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The JSON body, with every secret replaced by the mask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Where secrets go in `body`, and where `apply` reads each from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretSlot>,
    /// For a stream upload: the file whose bytes are the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<AssetUpload>,
    /// The steps that must succeed before this one starts.
    pub depends_on: Vec<u32>,
}

/// The Graph API version of a request.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ApiVersion {
    #[serde(rename = "v1.0")]
    V1,
    #[serde(rename = "beta")]
    Beta,
}

impl ApiVersion {
    /// The path segment: `v1.0` or `beta`.
    pub fn segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// A secret a request sends: the JSON pointer of its place in the body and the reference it is
/// read from when the request is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretSlot {
    /// A JSON pointer into the body (`/clientSecret`).
    pub pointer: String,
    /// `${env:NAME}` or `${file:PATH}`.
    pub source: String,
}

/// A stream upload's body: a file of the configuration.
// No `deny_unknown_fields` here: serde does not support it together with `flatten`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssetUpload {
    /// The file, relative to the configuration directory, with `/` separators.
    pub path: String,
    #[serde(flatten)]
    pub digest: AssetDigest,
}

/// What identifies an asset's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetDigest {
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// The media type (`image/png`, `text/css`).
    pub content_type: String,
}

/// A live object by kind and natural key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub kind: Kind,
    pub name: String,
    /// The Graph id.
    pub id: String,
}

/// A live object the plan read, and its fingerprint then.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiveObject {
    /// The snapshot's kind name: `userFlows`, `attributes`, `identityProviders`,
    /// `customExtensions`, `branding`, `localizations`, `applications`, `organization`.
    pub kind: String,
    /// The natural key (display name, locale, `default`).
    pub name: String,
    /// The Graph id.
    pub id: String,
    /// SHA-256 of the object's canonical JSON, as `ciamctl-live` reads it.
    pub fingerprint: String,
}
