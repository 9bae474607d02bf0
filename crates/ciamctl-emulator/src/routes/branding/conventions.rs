//! The switches for what REFERENCE.md leaves open about company branding (§16.9–§16.12, §15.14).
//!
//! Each default is the convention the route table documents; the other variants let a test (or
//! a user who has seen a real tenant do otherwise) make the emulator behave the other way.

/// Company-branding conventions, `EmulatorConfig::conventions.branding`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrandingConventions {
    /// GET and PATCH of `/organization/{id}/branding` without `Accept-Language`.
    pub missing_accept_language: MissingAcceptLanguage,
    /// PATCH of `/organization/{id}/branding` with `Accept-Language: <locale>` (§16.11).
    pub locale_patch: LocalePatch,
    /// The body of the 404 for a branding that does not exist (§15.13, §16.12).
    pub not_found_body: NotFoundBody,
    /// How one stream (image or CSS) is removed (§16.9).
    pub stream_removal: StreamRemoval,
    /// A stream upload for the default branding before the default branding exists.
    pub upload_without_branding: UploadWithoutBranding,
}

/// What a branding GET or PATCH without `Accept-Language` gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingAcceptLanguage {
    /// 400 `invalidRequest`: the docs list the header as required (§0.2, §15.14).
    #[default]
    Refuse,
    /// Treated as `Accept-Language: 0`, the default branding.
    DefaultBranding,
}

/// What `PATCH /organization/{id}/branding` with `Accept-Language: fr-FR` does (§16.11).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LocalePatch {
    /// Patches that localization (404 when it does not exist), mirroring what GET with the same
    /// header reads.
    #[default]
    PatchLocalization,
    /// 400 `invalidRequest`: only `0`/`default` may be patched through this path.
    Refuse,
}

/// The body of the 404 for `GET /organization/{id}/branding` when there is no branding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NotFoundBody {
    /// Graph's `OData` error body (`Request_ResourceNotFound`, with `innerError.request-id`), so a
    /// client can report the request id like for any other error.
    #[default]
    ODataError,
    /// No body at all, as the docs show the response (§15.13).
    Empty,
}

/// How one stream is removed from a branding or localization (§16.9).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StreamRemoval {
    /// `DELETE` on the stream URL answers 204 (the `OData` convention); an empty PUT is refused.
    #[default]
    Delete,
    /// A `PUT` (or legacy `PATCH`) with an empty body answers 204 and clears the stream;
    /// `DELETE` on the stream URL answers 405.
    EmptyPut,
}

/// A stream upload for the default branding (`localizations/0/{stream}`, `branding/{stream}`)
/// before any PATCH or localization created it (§7 names only those two as creating it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UploadWithoutBranding {
    /// 404, as any other request for the missing branding.
    #[default]
    NotFound,
    /// The upload creates the default branding, as a PATCH would.
    CreateDefault,
}
