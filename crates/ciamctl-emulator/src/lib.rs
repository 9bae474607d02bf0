//! A local Microsoft Graph for Entra External ID tenants, written from the Graph contract
//! (`shared/graph-contract/REFERENCE.md`; "§" below) alone: the crate depends on no other
//! ciamctl crate, so a mistake in ciamctl's client cannot be copied into it and hidden.
//!
//! # Graph routes
//!
//! Every route is served under both `/v1.0/` and `/beta/`; paths below are relative to that root
//! and match case-insensitively. A call needs a bearer token from the token endpoint whose
//! `roles` hold one of the route's permissions (the first listed is the least privileged; a
//! `*.ReadWrite.All` role also grants the matching `*.Read.All`): without one, 401
//! `InvalidAuthenticationToken`; with the wrong roles, 403 `Authorization_RequestDenied`. A path
//! no route serves is 400 `BadRequest`, a served path with another method 405
//! `Request_BadRequest`. Errors have Graph's error body (§12.1) and every response carries
//! `request-id`, `OData-Version: 4.0` and the client's `client-request-id`. Where a behaviour
//! names a convention (`StreamRemoval::EmptyPut`, `guid_social_provider_ids`, ...), it is a
//! [`Conventions`] switch for a point §16 leaves open. Routes are the same for a token of any
//! cloud's Graph root (§16.18); request bodies are checked against the CSDL of the version they
//! are sent to, beta's completed with v1.0 definitions where its fragment lacks a type (§16.20).
//!
//! <!-- route table: generated from route_table() by tests/it/route_table.rs; run the tests with CIAMCTL_UPDATE_DOCS=1 to rewrite it -->
//! | method | path | permission | behaviour | contract |
//! |---|---|---|---|---|
//! | `GET` | `/identity/authenticationEventsFlows` | `EventListener.Read.All` | Lists flows in the get shape (§15.9), in creation order, paged by `$top`, `$select` as on other collections. `$orderby` sorts by primitive properties (`displayName desc, priority`; strings ignoring case). `$expand` takes the navigation paths from the flow: the ones §15.9 shows inline change nothing, `…/onAttributeCollectionStart/…/customExtension` (or `Submit`, or `*`) inlines the attached extension; nested options are 400. Other query options are 400. `$filter` takes the forms §1.1 shows (`isof(...)`, `displayName eq '...'`, and `any(...)` over `identityProviders`, `attributes` and `includeApplications`) and the rest of the usual grammar (`eq`/`ne`/`gt`/`ge`/`lt`/`le`, `and`/`or`/`not`, `startswith`/`endswith`/`contains`, `any`/`all`); string comparisons ignore case, as Entra's directory does. | §1.1 |
//! | `POST` | `/identity/authenticationEventsFlows` | `EventListener.ReadWrite.All` | Creates a flow: 201 in the create shape (§15.8). Needs `@odata.type` on the flow and every handler (§15.1), `displayName` unique in the tenant, `onInteractiveAuthFlowStart`, and `onAuthenticationMethodLoadStart` with at least one existing provider; `id` is read-only. Attributes must exist, every page input must name one of the flow's attributes, linked apps must exist and belong to no other flow. An input's `inputType` is a CSDL member (the docs' `checkboxSingleSelect` is 400) and `options` are optional for every type (§16.6). Violations are 400 `invalidRequest`, an app in another flow 409 (§16.1 convention; `FlowConventions::app_conflict_is_400` answers 400). | §1.4 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}` | `EventListener.Read.All` | The flow in the get shape (§15.9): typed providers with secrets masked, full attribute objects, `includeApplications` inline. At top level with `@odata.context …/$entity` (§16.4); `FlowConventions::wrap_get_in_value` answers `{"value": …}` as the v1.0 docs example does. `$select`, and `$expand` as on the list. | §1.5 |
//! | `PATCH` | `/identity/authenticationEventsFlows/{id}` | `EventListener.ReadWrite.All` | Updates the properties the body names: 204. Each handler is replaced as a value, except that `onAttributeCollection` keeps its `attributes` unless the body names them, and its `attributeCollectionPage` is replaced whole when sent (§15.2). `onAttributeCollection` cannot be added by PATCH (§15.5). A page that drops an input keeps the attribute linked (§16.2; `FlowConventions::page_patch_drops_attributes` unlinks it). `priority` through v1.0 is refused (§16.5; `FlowConventions::v1_priority_write`). A custom-extension handler may name its extension as `customExtension: {"id"}` (§16.16). | §1.6 |
//! | `DELETE` | `/identity/authenticationEventsFlows/{id}` | `EventListener.ReadWrite.All` | Deletes the flow and everything it owns: its app links, handlers and the listeners that name it in `authenticationEventsFlowId` (§16.15 convention; `FlowConventions::keep_listeners_of_deleted_flows` keeps them): 204. | §1.7 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/conditions/applications/includeApplications` | `EventListener.Read.All` | The linked applications as `{ appId }`, paged by `$top`, `$filter` as on the flow list. | §2 |
//! | `POST` | `/identity/authenticationEventsFlows/{id}/conditions/applications/includeApplications` | `EventListener.ReadWrite.All` | Links an application by appId: 201 `{ "@odata.context", "appId" }`. The app (or its service principal) must exist (400); an app already in this or another flow is 409 (§15.7, §16.1 convention; `FlowConventions::app_conflict_is_400` answers 400). | §2 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/conditions/applications/includeApplications/{appId}` | `EventListener.Read.All` | One linked application by appId (compared ignoring case): `{ "@odata.context", "appId" }`, 404 when it is not linked. Not on the docs' pages, but `includeApplications` is a contained collection keyed by `appId`, and OData serves each member at its key. | §2 |
//! | `DELETE` | `/identity/authenticationEventsFlows/{id}/conditions/applications/includeApplications/{appId}` | `EventListener.ReadWrite.All` | Unlinks an application by appId: 204, 404 when it is not linked. | §2 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders` | `EventListener.Read.All` | The flow's providers, typed, secrets masked; paged by `$top`, `$filter` as on the flow list. | §3 |
//! | `POST` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/$ref` | `EventListener.ReadWrite.All` | Links an existing provider named by `@odata.id` (its last segment under `/identityProviders/` or `/identity/identityProviders/`, any host or version): 204. Unknown or already linked: 400 (§16.1 convention). | §3 |
//! | `DELETE` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/{idpId}/$ref` | `EventListener.ReadWrite.All` | Unlinks a provider: 204; 404 when it is not linked; 400 for the last one (§15.6, §16.1 convention). | §3 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes` | `EventListener.Read.All` | The flow's attributes as full objects; 400 when it has none (§15.4). Paged by `$top`, `$filter` as on the flow list, `$orderby` as there over the attribute's properties; `$expand` is 400 (an attribute has no navigation property). | §4 |
//! | `POST` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/$ref` | `EventListener.ReadWrite.All` | Links an existing attribute named by `@odata.id` (`…/identity/userFlowAttributes/{id}`): 204. Appends the default input to the end of the first view unless the page already has one for it (§15.3, §16.3: label = the attribute's displayName, `inputType` `boolean` for boolean attributes and `text` otherwise, the §1.3 regex for its kind (the email one unescaped, `&’`, §16.7), `required: false`, `editable: true`, `writeToDirectory: true`, `hidden: false`, `options: []`, `defaultValue: null`). Creates `onAttributeCollection` if the flow has none (§15.5). Unknown or already linked: 400 (§16.1 convention). | §4 |
//! | `DELETE` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/{attributeId}/$ref` | `EventListener.ReadWrite.All` | Unlinks an attribute from `attributes` only; its input stays on the page until a PATCH drops it (§15.3, §16.2): 204, 404 when it is not linked. | §4 |
//! | `PUT` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref` | `EventListener.ReadWrite.All` | Attaches an existing `onAttributeCollectionStartCustomExtension` named by `@odata.id` (`…/identity/customAuthenticationExtensions/{id}`): 204. Creates the handler (`configuration: null`) when the flow has none. Unknown extension or one of another type: 400. Served on v1.0 too (§16.16 convention). | §9.3 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref` | `EventListener.Read.All` | The attached extension as `{ "@odata.id" }`; 404 when none is attached. | §9.3 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension` | `EventListener.Read.All` | The attached extension object; 404 when none is attached. | §9.3 |
//! | `DELETE` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref` | `EventListener.ReadWrite.All` | Detaches the extension, keeping the handler: 204; 404 when none is attached. | §9.3 |
//! | `PUT` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension/$ref` | `EventListener.ReadWrite.All` | As for `onAttributeCollectionStart`, with an `onAttributeCollectionSubmitCustomExtension`. | §9.3 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension/$ref` | `EventListener.Read.All` | The attached extension as `{ "@odata.id" }`; 404 when none is attached. | §9.3 |
//! | `GET` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension` | `EventListener.Read.All` | The attached extension object; 404 when none is attached. | §9.3 |
//! | `DELETE` | `/identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension/$ref` | `EventListener.ReadWrite.All` | Detaches the extension, keeping the handler: 204; 404 when none is attached. | §9.3 |
//! | `GET` | `/identity/userFlowAttributes` | `IdentityUserFlow.Read.All` | Built-in and custom attributes; `$filter` with `eq`/`ne` on id, displayName, dataType, userFlowAttributeType (and/or), `$select`, `$top`. | §5 |
//! | `POST` | `/identity/userFlowAttributes` | `IdentityUserFlow.ReadWrite.All` | Creates a custom attribute (dataType string, boolean or int64): 201 with `Location`; id `extension_<extensions appId without dashes>_<displayName without spaces>`, a taken id is 400 (§16.17). | §5 |
//! | `GET` | `/identity/userFlowAttributes/{id}` | `IdentityUserFlow.Read.All` | One attribute; ids compare case-insensitively. `$select`. | §5 |
//! | `GET` | `/identity/userFlowAttributes('{id}')` | `IdentityUserFlow.Read.All` | One attribute by the key form the create response's `Location` uses. `$select`. | §5 |
//! | `PATCH` | `/identity/userFlowAttributes/{id}` | `IdentityUserFlow.ReadWrite.All` | Updates `description` of a custom attribute (204); anything else, or a built-in, is 400. | §5 |
//! | `DELETE` | `/identity/userFlowAttributes/{id}` | `IdentityUserFlow.ReadWrite.All` | Deletes a custom attribute (204); a built-in, or one a user flow still collects, is 400 (§16.1). | §5 |
//! | `GET` | `/identity/identityProviders` | `IdentityProvider.Read.All` | Typed providers, built-ins included; secrets masked (§15.10). `$select`. | §6 |
//! | `POST` | `/identity/identityProviders` | `IdentityProvider.ReadWrite.All` | Creates a social, Apple or OIDC provider (`@odata.type` required); ids `<Type>-OAUTH`, `Apple-Managed-OIDC`, GUID (§15.11, §16.8; `Conventions::guid_social_provider_ids` gives social providers GUIDs); one per social type. | §6 |
//! | `GET` | `/identity/identityProviders/availableProviderTypes` | `IdentityProvider.Read.All` | An external tenant's provider types: `EmailPassword`, `EmailOTP`, `Google`, `Facebook`, `AppleManaged`, `OpenIdConnect`. | §6 |
//! | `GET` | `/identity/identityProviders/{id}` | `IdentityProvider.Read.All` | One provider, secrets masked. `$select`. | §6 |
//! | `PATCH` | `/identity/identityProviders/{id}` | `IdentityProvider.ReadWrite.All` | Updates the properties §6 allows per type (social: clientId, clientSecret, displayName); `@odata.type` must be the provider's; built-ins 400. | §6 |
//! | `DELETE` | `/identity/identityProviders/{id}` | `IdentityProvider.ReadWrite.All` | Deletes a provider (204); a built-in, or one a user flow still offers, is 400 (§16.1). | §6 |
//! | `GET` | `/identityProviders` | `IdentityProvider.Read.All` | Deprecated legacy set: stopped returning data in March 2023, so always empty. | §6 |
//! | `GET` | `/identityProviders/availableProviderTypes` | `IdentityProvider.Read.All` | The function is bound to the legacy set too; same answer as under `/identity`. | §6 |
//! | `GET` | `/identityProviders/{id}` | `IdentityProvider.Read.All` | Deprecated legacy set: 404 for every id; use `/identity/identityProviders/{id}`. | §6 |
//! | `GET` | `/organization/{orgId}/branding` | `OrganizationalBranding.Read.All` | `Accept-Language: 0`/`default`: the default branding, unset strings `""`, `*RelativeUrl` `null` and `cdnList` `[]` until a stream is uploaded; a locale: that localization's own values (404 if none). No default branding: 404 with Graph's OData error body and request id (§16.12; `NotFoundBody::Empty` sends none). No `Accept-Language`: 400 (`MissingAcceptLanguage::DefaultBranding` reads the default). Only `$select`. Every branding route takes the application permissions of the permission map (§16.19). | §7 |
//! | `PATCH` | `/organization/{orgId}/branding` | `OrganizationalBranding.ReadWrite.All` | Strings and nested settings (complex values merge, collections replace), 204; creates the default branding. A stream in the body, alone or with strings: 400 (§15.15); read-only `*RelativeUrl`/`cdnList`: 400; §7's lengths and hex colours checked. `Accept-Language: <locale>` patches that localization (§16.11; `LocalePatch::Refuse`: 400); none: as GET. | §7 |
//! | `DELETE` | `/organization/{orgId}/branding` | `OrganizationalBranding.ReadWrite.All` | 204; removes the default branding and its localizations (they are contained in it). 400 while any of them still has a stream (§15.16; `customCSS` counts). A request body is ignored. | §7 |
//! | `GET` | `/organization/{orgId}/branding/localizations` | `OrganizationalBranding.Read.All` | The default branding as id `0` first, then the localizations in creation order (§15.17); empty before any branding exists. Only `$select`. | §8 |
//! | `POST` | `/organization/{orgId}/branding/localizations` | `OrganizationalBranding.ReadWrite.All` | 201 with the localization and a `Location`. `id` must be a culture name (`fr`, `fr-FR`); `0`/`default`: 400; a second one for a locale (case-insensitive): 409 `Request_MultipleObjectsWithSameKeyValue` (§16.1). Creates the default branding when missing (§15.17). Same body rules as PATCH. | §8 |
//! | `GET` | `/organization/{orgId}/branding/localizations/{locale}` | `OrganizationalBranding.Read.All` | The localization's own stored values: `""`, `" "` (explicitly blank) or `null` (inherits from the default) (§15.18); `0`/`default` is the default branding. Only `$select`. | §8 |
//! | `PATCH` | `/organization/{orgId}/branding/localizations/{locale}` | `OrganizationalBranding.ReadWrite.All` | As PATCH of the branding, for this localization (404 if none); `0`/`default` patches (and creates) the default branding. | §8 |
//! | `DELETE` | `/organization/{orgId}/branding/localizations/{locale}` | `OrganizationalBranding.ReadWrite.All` | 204; 400 while it still has a stream (§15.16). `0`/`default`: 400, the default branding is deleted with DELETE of the branding. | §8 |
//! | `GET` | `/organization/{orgId}/branding/localizations/{locale}/{property}` | `OrganizationalBranding.Read.All` | A stream: its bytes with their media type, or 200 `{}` when never set (§15.13). Another property: `{ "@odata.context", "value" }` (a complex value inline with its context). | §8 |
//! | `PUT` | `/organization/{orgId}/branding/localizations/{locale}/{stream}` | `OrganizationalBranding.ReadWrite.All` | Uploads a stream, 204. Images are recognised by magic bytes and must match their `Content-Type`: PNG or JPEG (favicon also ICO, §16.10), at most 1920×1080 px and 300 KB (backgroundImage, "not smaller" read as at most), 245×36 px (bannerLogo, headerLogo), 240×240 px and 10 KB (squareLogo, squareLogoDark), favicon unlimited; customCSS `text/css` UTF-8, at most 25 KB (KB = 1024 bytes). Sets `*RelativeUrl` and `cdnList`. Empty body: 400 (`StreamRemoval::EmptyPut`: clears the stream). Default branding not created yet: 404 (`UploadWithoutBranding::CreateDefault` creates it). | §7 |
//! | `DELETE` | `/organization/{orgId}/branding/localizations/{locale}/{stream}` | `OrganizationalBranding.ReadWrite.All` | Removes one stream, 204, also when it was not set (§16.9: the OData convention). 405 under `StreamRemoval::EmptyPut`. | §7 |
//! | `GET` | `/organization/{orgId}/branding/{property}` | `OrganizationalBranding.Read.All` | The older stream path (§7): as GET of `localizations/0/{property}`. | §7 |
//! | `PUT` | `/organization/{orgId}/branding/{stream}` | `OrganizationalBranding.ReadWrite.All` | The older stream path (§7): as PUT of `localizations/0/{stream}`. | §7 |
//! | `PATCH` | `/organization/{orgId}/branding/{stream}` | `OrganizationalBranding.ReadWrite.All` | The older doc revisions' upload (§7): as PUT of `localizations/0/{stream}`. | §7 |
//! | `DELETE` | `/organization/{orgId}/branding/{stream}` | `OrganizationalBranding.ReadWrite.All` | The older stream path (§7): as DELETE of `localizations/0/{stream}`. | §7 |
//! | `GET` | `/identity/customAuthenticationExtensions` | `CustomAuthenticationExtension.Read.All` | Typed extensions. `$select`. | §9.1 |
//! | `POST` | `/identity/customAuthenticationExtensions` | `CustomAuthenticationExtension.ReadWrite.All` | Creates an extension (`@odata.type` and `authenticationConfiguration` required); GUID id; at most 100 per tenant (§15.20). | §9.1 |
//! | `POST` | `/identity/customAuthenticationExtensions/validateAuthenticationConfiguration` | `CustomAuthenticationExtension.Read.All` | Validates a candidate endpoint and authentication configuration: 200 with `errors`/`warnings` even when invalid (§15.19). | §9.1 |
//! | `GET` | `/identity/customAuthenticationExtensions/{id}` | `CustomAuthenticationExtension.Read.All` | One extension. `$select`. | §9.1 |
//! | `PATCH` | `/identity/customAuthenticationExtensions/{id}` | `CustomAuthenticationExtension.ReadWrite.All` | Replaces the named properties (`@odata.type` required, must be the extension's). | §9.1 |
//! | `DELETE` | `/identity/customAuthenticationExtensions/{id}` | `CustomAuthenticationExtension.ReadWrite.All` | Deletes an extension (204); one a listener or user flow references is 400 (§16.1). | §9.1 |
//! | `POST` | `/identity/customAuthenticationExtensions/{id}/validateAuthenticationConfiguration` | `CustomAuthenticationExtension.Read.All` | Validates a stored extension's configuration: 200 with `errors`/`warnings` (§15.19). | §9.1 |
//! | `GET` | `/identity/authenticationEventListeners` | `EventListener.Read.All` | Typed listeners created through this collection. `$select`. | §9.2 |
//! | `POST` | `/identity/authenticationEventListeners` | `EventListener.ReadWrite.All` | Creates a listener (`@odata.type` required; `priority` beta only, default 500); a handler's customExtension must exist and fit the handler. | §9.2 |
//! | `GET` | `/identity/authenticationEventListeners/{id}` | `EventListener.Read.All` | One listener. `$select`. | §9.2 |
//! | `PATCH` | `/identity/authenticationEventListeners/{id}` | `EventListener.ReadWrite.All` | Replaces conditions/handler/displayName (and priority on beta); `@odata.type` must be the listener's. | §9.2 |
//! | `DELETE` | `/identity/authenticationEventListeners/{id}` | `EventListener.ReadWrite.All` | Deletes a listener (204). | §9.2 |
//! | `GET` | `/identity/authenticationEventListeners/{id}/conditions/applications/includeApplications` | `EventListener.Read.All` | The appIds the listener applies to. | §9.2 |
//! | `POST` | `/identity/authenticationEventListeners/{id}/conditions/applications/includeApplications` | `EventListener.ReadWrite.All` | Adds an appId: 201 with `{appId}` (§2); an appId already included is 400. | §9.2 |
//! | `GET` | `/identity/authenticationEventListeners/{id}/conditions/applications/includeApplications/{appId}` | `EventListener.Read.All` | One included appId, as for flows (§2): `{ "@odata.context", "appId" }`, 404 when not included. | §9.2 |
//! | `DELETE` | `/identity/authenticationEventListeners/{id}/conditions/applications/includeApplications/{appId}` | `EventListener.ReadWrite.All` | Removes an appId (204); 404 when not included. | §9.2 |
//! | `GET` | `/identity/authenticationEventListeners/{id}/microsoft.graph.{listenerType}/handler/microsoft.graph.{handlerType}/customExtension` | `EventListener.Read.All` | The extension the listener's handler references; 404 when none. | §9.3 |
//! | `PUT` | `/identity/authenticationEventListeners/{id}/microsoft.graph.{listenerType}/handler/microsoft.graph.{handlerType}/customExtension/$ref` | `EventListener.ReadWrite.All` | Attaches an extension (`@odata.id`) to the listener's handler (204); casts must match the listener, the extension must fit the handler. | §9.3 |
//! | `GET` | `/organization` | `Organization.Read.All`, `Directory.Read.All` | The one organization; its id is the tenant id, `tenantType` is `CIAM` (§16.14). `$select`. Takes `Organization.Read.All` or `Directory.Read.All`, not the `DeviceManagementServiceConfig.Read.All` the permission map names (§10, §16.19). | §10 |
//! | `GET` | `/applications` | `Application.Read.All` | Applications; `$filter` `eq` on appId/displayName, `$select`, `$top` (100 by default, at most 999). `$orderby`, `$search`, `$count` and `$expand` are 400 `Request_UnsupportedQuery`. | §10 |
//! | `GET` | `/applications(appId='{appId}')` | `Application.Read.All` | An application by client id (alternate key); 404 when absent. `$select`. | §10 |
//! | `GET` | `/applications/$count` | `Application.Read.All` | The number of applications (those `$filter` selects, as on the list) as `text/plain`; needs `ConsistencyLevel: eventual` (400 `Request_BadRequest` without). | §10 |
//! | `GET` | `/applications/{id}` | `Application.Read.All` | An application by object id. `$select`. | §10 |
//! | `GET` | `/servicePrincipals` | `Application.Read.All` | Service principals; `$filter` `eq` on appId/displayName, `$select`, `$top` (100 by default, at most 999). `$orderby`, `$search`, `$count` and `$expand` are 400 `Request_UnsupportedQuery`. | §10 |
//! | `GET` | `/servicePrincipals(appId='{appId}')` | `Application.Read.All` | A service principal by client id (alternate key); 404 when absent. `$select`. | §10 |
//! | `GET` | `/servicePrincipals/$count` | `Application.Read.All` | The number of service principals, as for applications. | §10 |
//! | `GET` | `/servicePrincipals/{id}` | `Application.Read.All` | A service principal by object id. `$select`. | §10 |
//! <!-- end of route table -->
//!
//! # Other endpoints
//!
//! | method | path | what | contract |
//! |---|---|---|---|
//! | `POST` | `/v1.0/$batch`, `/beta/$batch` | JSON batching; see [`$batch`](#batch) | §11 |
//! | `POST` | `/{tenant}/oauth2/v2.0/token` | client-credentials tokens (client secret, certificate or federated assertion); `{tenant}` is the tenant id or a verified domain | §13 |
//! | `GET` | `/_github/idtoken` | a stand-in for GitHub Actions' OIDC token endpoint, for the federated flow | §13 |
//! | `GET` | `/_emulator/stats` | request counts and the longest chain of sequential round trips ([`Stats`]) | — |
//! | `GET` | `/_emulator/state` | the tenant in the [seed format](#seed-and-state-files), secrets masked | — |
//! | `POST` | `/_emulator/reset` | 204; the seed's (or a fresh) tenant again, zero counts, the fault generator reseeded and its throttle window and creation times forgotten | — |
//! | `GET` | `/_emulator/faults` | the fault settings, [`Faults`] as JSON (`{"seed": 0, "latencyMs": 0, "throttle": "100/10", "failRate": 0.0, "commitThenFailRate": 0.0, "consistencyDelayMs": 0, "consistencyWrites": false, "ignoredPatchRate": 0.0}`) | — |
//! | `PUT` | `/_emulator/faults` | 204; new fault settings (missing keys off), as if the emulator had started with them; 400 when invalid | — |
//!
//! A request body above 16 MiB is answered 413 (on Graph paths `invalidRequest`, journaled and
//! counted as any call).
//!
//! `/_emulator/*` needs no token and is never journaled, counted, delayed or failed, so a test can
//! always read what its client did. [`Emulator`] offers the same as methods ([`Emulator::stats`],
//! [`Emulator::state`], [`Emulator::reset`], [`Emulator::faults`], [`Emulator::set_faults`]) for
//! tests that run it in process.
//!
//! # `$batch`
//!
//! `{ "requests": [ { "id", "method", "url", "headers"?, "body"?, "dependsOn"? } ] }` is answered
//! `{ "responses": [ { "id", "status", "headers", "body"? } ] }` (§11). Each item is a Graph call
//! of its own: it goes through the same dispatcher as a top-level request with the batch's
//! `Authorization` (an item's own is ignored), is throttled and rolls for faults on its own, and
//! has its own journal line and counts. Items run one after another, each after the items it
//! depends on and otherwise in request order.
//!
//! - The whole batch is 400 `invalidRequest` and nothing runs when the body has no `requests`
//!   list, holds more than 20 requests, an item lacks a string `id`, `method` or `url`, two ids
//!   are equal ignoring case, `headers` is not an object of strings, or `dependsOn` names an id
//!   not in the batch or the dependencies form a cycle. The batch itself needs a valid token
//!   (401 otherwise); which permissions each item needs is checked item by item.
//! - One item is 400 `invalidRequest` (the others run) when it has a `body` but no
//!   `Content-Type` header, its body is neither a JSON object nor a base64 string or does not
//!   decode, its `url` is absolute, or it is itself a `$batch`.
//! - An item whose dependency was not answered 2xx gets 424 with code `failedDependency` and does
//!   not run (the contract gives the status only; the code is an assumption).
//! - `url` is relative to the batch's version root, with or without a leading `/`.
//! - A string `body` is base64: it is decoded and sent as binary with the item's `Content-Type`
//!   (branding stream PUTs). A binary answer (a branding stream GET) comes back base64 in `body`
//!   with its media type in the item's `Content-Type` header, following the `OData` JSON batch
//!   convention, as §11 and §16.13 suggest where the batching page is silent.
//! - A throttled item gets 429 with `Retry-After` in its `headers` and the `TooManyRequests`
//!   body.
//! - Responses come back in an order shuffled with the fault seed ("in any order", §11), unless
//!   [`Conventions::keep_batch_order`] is set.
//! - The outer status is 200 whenever the batch is well formed. The throttling page says a batch
//!   with a throttled item fails with 424 instead (§11, §16.13): set
//!   [`Conventions::failed_dependency_for_throttled_batch`] for that.
//!
//! # Faults
//!
//! Faults are named (kube's fake-server `Scenario` style) so that a client test names the Graph
//! behaviour it relies on. `ciamctl emulator` has a flag for each setting of [`Faults`].
//!
//! | scenario | setting | what the client sees |
//! |---|---|---|
//! | `Latency` | `latency_ms` N | every HTTP request (Graph and token endpoint) is answered N ms later |
//! | `Throttle429` | `throttle` N/SECONDS | past N Graph calls in any SECONDS-long window: 429, a fractional `Retry-After` (the seconds until a call fits again, e.g. `59.998`) and the `TooManyRequests` body of §12.1 |
//! | `ServerError5xx` | `fail_rate` P | with probability P a call is not handled: 503 `serviceNotAvailable` with `Retry-After: 0.2`, 500 `generalException`, or the connection is closed without a response, so the client sees a transport error (each a third of the time) |
//! | `CommitThenFail` | `commit_then_fail_rate` P | with probability P a successful write is applied (and saved), then the client gets the 503 or a dropped connection instead of the answer |
//! | `EventualConsistency404` | `consistency_delay_ms` N | for N ms after a POST created an object, a GET of the object's own path (`.../{id}`) is 404 `Request_ResourceNotFound`; with `consistency_writes`, so is a write to that path or below it (`.../{id}/conditions/...`) |
//! | `IgnoredPatch` | `ignored_patch_rate` P | with probability P a PATCH the route accepts is answered as usual (204) but not applied, as Graph ignores a property it does not take (§16.5); only reading the object back shows it |
//!
//! The journal and [`Stats::faults_injected`] record each injection as `Throttle429`,
//! `ServerError503`, `ServerError500`, `ConnectionDropped`, `CommitThen503`, `CommitThenDrop`,
//! `EventualConsistency404` or `IgnoredPatch`.
//!
//! - A *Graph call* is a top-level request to `/v1.0` or `/beta` or one `$batch` item. The HTTP
//!   request carrying a batch is not throttled (its items are) and rolls for `ServerError5xx` as a
//!   whole before any item runs. Items share their batch's connection, so a failed item gets 503
//!   or 500 and a `CommitThenFail` item 503, never a dropped connection. The token endpoint only
//!   gets `Latency`.
//! - Throttled calls count against the budget, as Graph keeps counting usage while a client is
//!   throttled (§12.2): a client that retries before `Retry-After` is throttled again, one that
//!   waits it out gets through.
//! - `EventualConsistency404` hides a new object from GETs of its own path only. Lists show it at
//!   once, and writes to it succeed: a client cannot tell a lagging list from a failed write,
//!   while a 404 right after being given an object's id is the case clients must retry.
//! - Determinism: one generator seeded with [`Faults::seed`] decides everything, in the order calls
//!   arrive, and every call draws the same amount from it whatever happens to it. So the k-th
//!   call's fate depends on the seed and k alone, not on timing or throttling: the same seed and
//!   the same requests fail the same way (with the same build of the emulator).
//!
//! # Journal
//!
//! With [`EmulatorConfig::journal`] (`--journal FILE`) every HTTP request to Graph or the token
//! endpoint and every `$batch` item is appended to the file as one JSON line when it is answered
//! (an item's line comes before its batch's). The file is created with mode 0600 on Unix.
//!
//! | field | value |
//! |---|---|
//! | `time` | when the request arrived, UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ` |
//! | `requestId` | the `request-id` it was answered with (also in error bodies) |
//! | `clientRequestId` | the client's `client-request-id`, when it sent one |
//! | `method` | `GET`, `POST`, ... |
//! | `version` | `v1.0` or `beta`; absent for the token endpoint |
//! | `path` | relative to the version root (`/identity/identityProviders`, `/$batch`); the token endpoint's full path |
//! | `query` | the raw query string, when there is one |
//! | `status` | the status answered; `null` when the connection was dropped |
//! | `body` | the JSON request body, secret values masked |
//! | `bodyLength` | instead of `body`, the length of a body that is not JSON (branding images) |
//! | `form` | token endpoint: the names of the form fields sent, never their values |
//! | `fault` | the injected fault, when there was one |
//! | `batch` | batch items: `{ "requestId": <the batch's requestId>, "id": <the item's id> }` |
//!
//! Secrets never reach the file: headers are not journaled, and the values of `clientSecret`,
//! `certificateData`, `client_secret`, `client_assertion`, `access_token` and `Authorization` (as
//! `$batch` items carry headers) are replaced by `******` at any depth of a body. [`Stats`] counts
//! the same entries, so a client test can assert "at most 3 round trips and 12 HTTP requests"
//! without a file.
//!
//! # Seed and state files
//!
//! [`EmulatorConfig::seed`] (`--seed FILE`) starts the tenant from a JSON file, and
//! [`EmulatorConfig::state`] (`--state FILE`) keeps it across runs. Both files hold [`Tenant`]'s
//! serde shape, which `GET /_emulator/state` also shows (there with secrets masked): one object
//! with the keys `organization`, `applications`, `servicePrincipals`, `identityProviders`,
//! `userFlowAttributes`, `flows`, `branding`, `customExtensions`, `listeners` and `clients`;
//! objects are stored as Graph reads them back, secrets in clear.
//!
//! A file lists only what it changes: every top-level key it leaves out is the fresh tenant's
//! (the organization with the configured tenant id, the built-in identity providers and
//! user-flow attributes, the `b2c-extensions-app` and sample applications, the configured
//! client). So `{}` is a fresh tenant, `{ "flows": [...] }` a fresh tenant with those flows, and
//! `{ "identityProviders": [] }` one without even the built-in providers. A key that is present
//! replaces the fresh value whole, with one exception: the configured clients are added to a
//! `clients` list, and a listed client with a configured id gains the configured secret
//! (keeping its own roles and credentials). So the credentials `ciamctl emulator` prints always
//! get a token, even from a state dump whose secrets are masked.
//!
//! With a state file the emulator starts from the file when it exists, and from the seed (or a
//! fresh tenant) otherwise, and writes it at once. Every successful write is saved before it is
//! answered: the JSON goes to `.NAME.tmp` beside the file, is flushed to disk and renamed over
//! the file, and the directory is flushed, so a crash leaves the old or the new state, never a
//! torn file. A temporary file left by a crash is ignored and replaced by the next save. Both
//! files get mode 0600 on Unix: they hold the tenant's secrets. A running emulator holds a lock
//! on `.NAME.lock` beside the file, so a second one started on the same file stops with
//! [`StartError::StateInUse`] instead of overwriting the first one's saves. A write that cannot
//! be saved is answered 500 and not applied. A reset goes back to the seed (or a fresh tenant), not to what
//! the state file held at start, and is saved.
//!
//! # Running it
//!
//! `ciamctl emulator` serves it for people and other tools and prints the environment the Azure
//! SDKs and ciamctl read. Tests start it in process on `127.0.0.1` with an ephemeral port:
//!
//! ```ignore
//! let emulator = ciamctl_emulator::Emulator::start(EmulatorConfig::default()).await?;
//! let graph = format!("{}/v1.0", emulator.base_url());
//! let token_endpoint = format!("{}/{}/oauth2/v2.0/token", emulator.base_url(), emulator.tenant_id());
//! ```

mod admin;
mod auth;
mod batch;
mod call;
mod config;
mod error;
mod faults;
mod journal;
mod odata;
mod persist;
mod query;
mod redact;
mod request;
mod router;
mod routes;
mod server;
mod state;
mod stats;
pub mod types;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::auth::{
    ALL_ROLES, AuthConfig, Certificate, Client, ClientSecret, DEFAULT_GITHUB_REQUEST_TOKEN,
    DEFAULT_GITHUB_SUBJECT, FederatedCredential, GITHUB_AUDIENCE, GITHUB_ID_TOKEN_PATH,
    GITHUB_ISSUER, IssuerKey, RegistrationError,
};
pub use crate::config::{
    Conventions, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, EmulatorConfig,
    Faults, FaultsError, MAX_THROTTLE_WINDOW_SECS, Throttle,
};
pub use crate::persist::LoadError;
pub use crate::router::{RouteInfo, route_table};
pub use crate::routes::branding::{
    Asset, BrandingConventions, BrandingRecord, BrandingState, LocalePatch, MissingAcceptLanguage,
    NotFoundBody, Stream, StreamRemoval, UploadWithoutBranding,
};
pub use crate::routes::directory::{Application, ServicePrincipal};
pub use crate::routes::flows::{FlowConventions, FlowRecord, V1PriorityWrite};
pub use crate::state::Tenant;
pub use crate::stats::Stats;

/// Everything a request handler can reach.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) config: EmulatorConfig,
    pub(crate) base: odata::BaseUrl,
    pub(crate) store: state::Store,
    pub(crate) signing_key: auth::SigningKey,
    /// The tenant the emulator started from (the seed's or a fresh one), for resets.
    pub(crate) start: Tenant,
    pub(crate) faults: faults::Injector,
    pub(crate) recorder: journal::Recorder,
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid fault settings")]
    Faults(#[source] FaultsError),
    #[error("cannot load the seed")]
    Seed(#[source] LoadError),
    #[error("cannot load the state file")]
    State(#[source] LoadError),
    #[error(
        "another running emulator keeps its state in {}; stop it or pick another file",
        path.display()
    )]
    StateInUse { path: PathBuf },
    #[error("cannot write the state file {}", path.display())]
    SaveState {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the journal {}", path.display())]
    Journal {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    tenant_id: String,
    ctx: Arc<Ctx>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` with an ephemeral port.
    pub async fn start(config: EmulatorConfig) -> Result<Self, StartError> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts an emulator on `addr`: loads the seed and the state file, opens the journal,
    /// then listens.
    pub async fn start_on(config: EmulatorConfig, addr: SocketAddr) -> Result<Self, StartError> {
        config.faults.check().map_err(StartError::Faults)?;
        let start = persist::start_tenant(&config).map_err(StartError::Seed)?;
        let state_file = config
            .state
            .clone()
            .map(|path| {
                persist::StateFile::claim(path.clone()).map_err(|err| match err {
                    persist::ClaimError::InUse => StartError::StateInUse { path },
                    persist::ClaimError::Io(source) => StartError::SaveState { path, source },
                })
            })
            .transpose()?;
        let tenant = match &state_file {
            Some(file) => file
                .read(&Tenant::fresh(&config))
                .map_err(StartError::State)?
                .unwrap_or_else(|| start.clone()),
            None => start.clone(),
        };
        if let Some(file) = &state_file {
            file.save(&tenant).map_err(|source| StartError::SaveState {
                path: file.path().to_owned(),
                source,
            })?;
        }
        let recorder = journal::Recorder::open(config.journal.as_deref()).map_err(|source| {
            StartError::Journal {
                path: config.journal.clone().unwrap_or_default(),
                source,
            }
        })?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let base_url = format!("http://{local}");
        let tenant_id = tenant.tenant_id().to_owned();
        let ctx = Arc::new(Ctx {
            base: odata::BaseUrl(base_url.clone()),
            store: state::Store::new(tenant, state_file),
            signing_key: auth::SigningKey::generate(),
            start,
            faults: faults::Injector::new(config.faults.clone()),
            recorder,
            config,
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(ctx.clone(), listener, async move {
            let _ = rx.await;
        }));
        Ok(Self {
            base_url,
            tenant_id,
            ctx,
            shutdown: Some(tx),
            task,
        })
    }

    /// `http://127.0.0.1:PORT`: the Graph root (append `/v1.0` or `/beta`) and the authority
    /// host (the token endpoint is `{base}/{tenant}/oauth2/v2.0/token`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The tenant id tokens are issued for: the organization's id, from the configuration, the
    /// seed or the state file.
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// A copy of the emulated tenant as it is now, secrets in clear.
    pub fn tenant(&self) -> Tenant {
        self.ctx.store.snapshot()
    }

    /// The tenant as `GET /_emulator/state` shows it: the seed format, secrets masked.
    pub fn state(&self) -> serde_json::Value {
        admin::state(&self.ctx)
    }

    /// The counts `GET /_emulator/stats` shows.
    pub fn stats(&self) -> Stats {
        self.ctx.recorder.stats()
    }

    /// What `POST /_emulator/reset` does: the seed's (or a fresh) tenant, zero counts, a
    /// reseeded fault generator. Fails only when the state file cannot be written.
    pub fn reset(&self) -> std::io::Result<()> {
        admin::reset(&self.ctx)
    }

    /// The fault settings in force.
    pub fn faults(&self) -> Faults {
        self.ctx.faults.faults()
    }

    /// What `PUT /_emulator/faults` does: new fault settings, as if the emulator had started
    /// with them.
    pub fn set_faults(&self, faults: Faults) -> Result<(), FaultsError> {
        faults.check()?;
        self.ctx.faults.set(faults);
        Ok(())
    }

    /// Stops the server: no new connections, and the requests in flight are answered first. A
    /// client that has not sent its whole request 5 seconds after the stop (plus the `Latency`
    /// fault) has its connection closed, so a stalled client cannot hold the stop.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await.map_err(std::io::Error::other)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn debug_of_a_running_emulator_shows_no_secret() {
        let config = EmulatorConfig {
            client_secret: "running-client-secret".to_owned(),
            auth: AuthConfig {
                github_request_token: "running-github-token".to_owned(),
                ..AuthConfig::default()
            },
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(config).await.expect("the emulator starts");
        let debug = format!("{emulator:?}");
        assert!(!debug.contains("running-client-secret"), "{debug}");
        assert!(!debug.contains("running-github-token"), "{debug}");
        assert!(debug.contains("SigningKey(******)"), "{debug}");
        emulator.stop().await.expect("the emulator stops");
    }
}
