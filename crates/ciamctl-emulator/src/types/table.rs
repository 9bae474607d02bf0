//! The type table: every Graph type the emulator accepts in a request body or returns.
//!
//! Written by hand from the Graph contract (REFERENCE.md and the CSDL fragments in
//! `shared/graph-contract/csdl/`), never copied from them: the CSDL is Microsoft's data. The
//! integration test `tests/it/csdl.rs` reads the CSDL at test time and checks that every type,
//! property, kind, enum member and abstract/open flag here matches it, including the v1.0/beta
//! differences REFERENCE.md §14 lists.
//!
//! Types are listed per area, base types before the types derived from them. Properties are in
//! the CSDL's order. Where the emulator serves only part of a large directory type
//! (`application`, `servicePrincipal`, `organization`) the table lists the part it serves.

use super::def::{
    BOOL, DATE_TIME, EnumDef, INT32, STRING, Ty, TypeDef, complex, contained, entity, enumeration,
    nav, prop,
};

/// Every enum type the table's properties use.
pub(super) static ENUMS: &[EnumDef] = &[
    enumeration(
        "authenticationAttributeCollectionInputType",
        &[
            "text",
            "radioSingleSelect",
            "checkboxMultiSelect",
            "boolean",
            "unknownFutureValue",
        ],
    ),
    enumeration(
        "identityUserFlowAttributeDataType",
        &[
            "string",
            "boolean",
            "int64",
            "stringCollection",
            "dateTime",
            "unknownFutureValue",
        ],
    ),
    enumeration(
        "identityUserFlowAttributeType",
        &["builtIn", "custom", "required", "unknownFutureValue"],
    ),
    enumeration(
        "identityProviderState",
        &["enabled", "disabled", "unknownFutureValue"],
    )
    .beta(),
    enumeration(
        "layoutTemplateType",
        &["default", "verticalSplit", "unknownFutureValue"],
    ),
    // A flags enum: a value is one or more members joined by commas (`code,id_token`).
    enumeration(
        "oidcResponseType",
        &["code", "id_token", "token", "unknownFutureValue"],
    )
    .flags(),
    enumeration(
        "openIdConnectResponseMode",
        &["form_post", "query", "unknownFutureValue"],
    )
    .beta(),
    enumeration("openIdConnectResponseTypes", &["code", "id_token", "token"])
        .flags()
        .beta(),
    enumeration("userType", &["member", "guest", "unknownFutureValue"]),
];

const fn c(name: &'static str) -> Ty {
    Ty::Complex(name)
}

const fn e(name: &'static str) -> Ty {
    Ty::Enum(name)
}

/// A type the table names but does not describe: the contract's CSDL fragments reference it
/// without defining it (`verifiedDomain`, `assignedPlan`, ...). Values are returned as stored
/// and never written by clients.
const fn opaque(name: &'static str) -> Ty {
    Ty::Opaque(name)
}

/// Every structured type, base types first within each area.
pub(super) static TYPES: &[TypeDef] = &[
    // --- Common bases.
    entity("entity", None)
        .abstract_()
        .props(&[prop("id", STRING).not_null()]),
    entity("directoryObject", Some("entity"))
        .open()
        .props(&[prop("deletedDateTime", DATE_TIME)]),
    // --- User flows (§1–§4).
    entity("authenticationEventsFlow", Some("entity"))
        .abstract_()
        .open()
        .service_keyed()
        .props(&[
            prop("conditions", c("authenticationConditions")),
            prop("description", STRING),
            prop("displayName", STRING).not_null(),
            // §14: beta CSDL only (v1.0 responses return it all the same, §15.23).
            prop("priority", INT32).not_null().beta(),
        ]),
    entity(
        "externalUsersSelfServiceSignUpEventsFlow",
        Some("authenticationEventsFlow"),
    )
    .props(&[
        prop("onAttributeCollection", c("onAttributeCollectionHandler")),
        prop(
            "onAttributeCollectionStart",
            c("onAttributeCollectionStartHandler"),
        ),
        prop(
            "onAttributeCollectionSubmit",
            c("onAttributeCollectionSubmitHandler"),
        ),
        prop(
            "onAuthenticationMethodLoadStart",
            c("onAuthenticationMethodLoadStartHandler"),
        ),
        prop(
            "onInteractiveAuthFlowStart",
            c("onInteractiveAuthFlowStartHandler"),
        ),
        prop("onUserCreateStart", c("onUserCreateStartHandler")),
    ]),
    complex("authenticationConditions", None).props(&[prop(
        "applications",
        c("authenticationConditionsApplications"),
    )]),
    complex("authenticationConditionsApplications", None).props(&[
        // §14: beta CSDL only.
        prop("includeAllApplications", BOOL).not_null().beta(),
        contained("includeApplications", "authenticationConditionApplication").many(),
    ]),
    // Its key is `appId`, the application's client id (§2); it has no `id`.
    entity("authenticationConditionApplication", None).props(&[prop("appId", STRING).not_null()]),
    complex("onInteractiveAuthFlowStartHandler", None).abstract_(),
    complex(
        "onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
        Some("onInteractiveAuthFlowStartHandler"),
    )
    .props(&[prop("isSignUpAllowed", BOOL).not_null()]),
    complex("onAuthenticationMethodLoadStartHandler", None).abstract_(),
    complex(
        "onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
        Some("onAuthenticationMethodLoadStartHandler"),
    )
    .props(&[nav("identityProviders", "identityProviderBase").many()]),
    complex("onAttributeCollectionHandler", None).abstract_(),
    complex(
        "onAttributeCollectionExternalUsersSelfServiceSignUp",
        Some("onAttributeCollectionHandler"),
    )
    .props(&[
        prop(
            "attributeCollectionPage",
            c("authenticationAttributeCollectionPage"),
        ),
        nav("attributes", "identityUserFlowAttribute").many(),
    ]),
    complex("onUserCreateStartHandler", None).abstract_(),
    complex(
        "onUserCreateStartExternalUsersSelfServiceSignUp",
        Some("onUserCreateStartHandler"),
    )
    .props(&[prop("userTypeToCreate", e("userType"))]),
    complex("onAttributeCollectionStartHandler", None).abstract_(),
    complex(
        "onAttributeCollectionStartCustomExtensionHandler",
        Some("onAttributeCollectionStartHandler"),
    )
    .props(&[
        prop("configuration", c("customExtensionOverwriteConfiguration")),
        nav(
            "customExtension",
            "onAttributeCollectionStartCustomExtension",
        ),
    ]),
    complex("onAttributeCollectionSubmitHandler", None).abstract_(),
    complex(
        "onAttributeCollectionSubmitCustomExtensionHandler",
        Some("onAttributeCollectionSubmitHandler"),
    )
    .props(&[
        prop("configuration", c("customExtensionOverwriteConfiguration")),
        nav(
            "customExtension",
            "onAttributeCollectionSubmitCustomExtension",
        ),
    ]),
    complex("authenticationAttributeCollectionPage", None).props(&[
        prop(
            "views",
            c("authenticationAttributeCollectionPageViewConfiguration"),
        )
        .many(),
        // §14: beta CSDL only, purpose undocumented.
        prop("customStringsFileId", STRING).beta(),
    ]),
    complex(
        "authenticationAttributeCollectionPageViewConfiguration",
        None,
    )
    .props(&[
        prop("description", STRING),
        prop(
            "inputs",
            c("authenticationAttributeCollectionInputConfiguration"),
        )
        .many(),
        prop("title", STRING),
    ]),
    complex("authenticationAttributeCollectionInputConfiguration", None).props(&[
        prop("attribute", STRING).not_null(),
        prop("defaultValue", STRING),
        prop("editable", BOOL),
        prop("hidden", BOOL),
        prop("inputType", e("authenticationAttributeCollectionInputType")).not_null(),
        prop("label", STRING).not_null(),
        prop(
            "options",
            c("authenticationAttributeCollectionOptionConfiguration"),
        )
        .many(),
        prop("required", BOOL),
        prop("validationRegEx", STRING),
        prop("writeToDirectory", BOOL),
    ]),
    complex("authenticationAttributeCollectionOptionConfiguration", None).props(&[
        prop("label", STRING).not_null(),
        prop("value", STRING).not_null(),
    ]),
    complex("customExtensionOverwriteConfiguration", None).props(&[
        prop("behaviorOnError", c("customExtensionBehaviorOnError")),
        prop(
            "clientConfiguration",
            c("customExtensionClientConfiguration"),
        ),
    ]),
    complex("customExtensionBehaviorOnError", None).abstract_(),
    complex(
        "fallbackToMicrosoftProviderOnError",
        Some("customExtensionBehaviorOnError"),
    ),
    complex("customExtensionClientConfiguration", None).props(&[
        prop("maximumRetries", INT32),
        prop("timeoutInMilliseconds", INT32),
    ]),
    // --- User-flow attributes (§5).
    entity("identityUserFlowAttribute", Some("entity"))
        .service_keyed()
        .props(&[
            prop("dataType", e("identityUserFlowAttributeDataType")).not_null(),
            prop("description", STRING),
            prop("displayName", STRING),
            // Set by the service (`custom` on create).
            prop("userFlowAttributeType", e("identityUserFlowAttributeType"))
                .not_null()
                .read_only(),
        ]),
    entity(
        "identityBuiltInUserFlowAttribute",
        Some("identityUserFlowAttribute"),
    ),
    entity(
        "identityCustomUserFlowAttribute",
        Some("identityUserFlowAttribute"),
    ),
    // --- Identity providers (§6).
    entity("identityProviderBase", Some("entity"))
        .abstract_()
        .service_keyed()
        .props(&[prop("displayName", STRING)]),
    entity("builtInIdentityProvider", Some("identityProviderBase")).props(&[
        prop("identityProviderType", STRING),
        // §14: beta CSDL only (v1.0 responses return `null`).
        prop("state", e("identityProviderState")).beta(),
    ]),
    entity("socialIdentityProvider", Some("identityProviderBase")).props(&[
        prop("clientId", STRING),
        prop("clientSecret", STRING),
        prop("identityProviderType", STRING),
    ]),
    entity("appleManagedIdentityProvider", Some("identityProviderBase")).props(&[
        prop("certificateData", STRING),
        prop("developerId", STRING),
        prop("keyId", STRING),
        prop("serviceId", STRING),
    ]),
    entity("oidcIdentityProvider", Some("identityProviderBase")).props(&[
        prop("clientAuthentication", c("oidcClientAuthentication")).not_null(),
        prop("clientId", STRING).not_null(),
        prop("inboundClaimMapping", c("oidcInboundClaimMappingOverride")),
        prop("issuer", STRING).not_null(),
        prop("responseType", e("oidcResponseType")).not_null(),
        prop("scope", STRING).not_null(),
        prop("wellKnownEndpoint", STRING),
    ]),
    // §14: B2C's OIDC provider, beta only; external tenants use `oidcIdentityProvider`.
    entity(
        "openIdConnectIdentityProvider",
        Some("identityProviderBase"),
    )
    .beta()
    .props(&[
        prop("claimsMapping", c("claimsMapping")),
        prop("clientId", STRING),
        prop("clientSecret", STRING),
        prop("domainHint", STRING),
        prop("metadataUrl", STRING),
        prop("responseMode", e("openIdConnectResponseMode")).not_null(),
        prop("responseType", e("openIdConnectResponseTypes")).not_null(),
        prop("scope", STRING),
    ]),
    complex("claimsMapping", None).open().beta().props(&[
        prop("displayName", STRING),
        prop("email", STRING),
        prop("givenName", STRING),
        prop("surname", STRING),
        prop("userId", STRING),
    ]),
    complex("oidcClientAuthentication", None).abstract_(),
    complex(
        "oidcClientSecretAuthentication",
        Some("oidcClientAuthentication"),
    )
    .props(&[prop("clientSecret", STRING).not_null()]),
    complex(
        "oidcPrivateJwtKeyClientAuthentication",
        Some("oidcClientAuthentication"),
    ),
    complex("oidcInboundClaimMappingOverride", None).props(&[
        prop("address", c("oidcAddressInboundClaims")),
        prop("email", STRING),
        prop("email_verified", STRING),
        prop("family_name", STRING),
        prop("given_name", STRING),
        prop("name", STRING),
        prop("phone_number", STRING),
        prop("phone_number_verified", STRING),
        prop("sub", STRING),
    ]),
    complex("oidcAddressInboundClaims", None).props(&[
        prop("country", STRING),
        prop("locality", STRING),
        prop("postal_code", STRING),
        prop("region", STRING),
        prop("street_address", STRING),
    ]),
    // The deprecated top-level `/identityProviders` set (§6).
    entity("identityProvider", Some("entity")).props(&[
        prop("clientId", STRING),
        prop("clientSecret", STRING),
        prop("name", STRING),
        prop("type", STRING),
    ]),
    // --- Custom authentication extensions (§9.1).
    entity("customCalloutExtension", Some("entity"))
        .abstract_()
        .service_keyed()
        .props(&[
            prop(
                "authenticationConfiguration",
                c("customExtensionAuthenticationConfiguration"),
            ),
            prop(
                "clientConfiguration",
                c("customExtensionClientConfiguration"),
            ),
            prop("description", STRING),
            prop("displayName", STRING),
            prop(
                "endpointConfiguration",
                c("customExtensionEndpointConfiguration"),
            ),
        ]),
    entity(
        "customAuthenticationExtension",
        Some("customCalloutExtension"),
    )
    .abstract_()
    .props(&[prop("behaviorOnError", c("customExtensionBehaviorOnError"))]),
    entity(
        "onTokenIssuanceStartCustomExtension",
        Some("customAuthenticationExtension"),
    )
    .props(&[prop(
        "claimsForTokenConfiguration",
        c("onTokenIssuanceStartReturnClaim"),
    )
    .many()]),
    entity(
        "onAttributeCollectionStartCustomExtension",
        Some("customAuthenticationExtension"),
    ),
    entity(
        "onAttributeCollectionSubmitCustomExtension",
        Some("customAuthenticationExtension"),
    ),
    entity(
        "onOtpSendCustomExtension",
        Some("customAuthenticationExtension"),
    ),
    entity(
        "onVerifiedIdClaimValidationCustomExtension",
        Some("customAuthenticationExtension"),
    ),
    entity(
        "onPasswordSubmitCustomExtension",
        Some("customAuthenticationExtension"),
    ),
    complex("onTokenIssuanceStartReturnClaim", None).props(&[prop("claimIdInApiResponse", STRING)]),
    complex("customExtensionAuthenticationConfiguration", None).abstract_(),
    complex(
        "azureAdTokenAuthentication",
        Some("customExtensionAuthenticationConfiguration"),
    )
    .props(&[prop("resourceId", STRING)]),
    complex(
        "azureAdPopTokenAuthentication",
        Some("customExtensionAuthenticationConfiguration"),
    ),
    complex("customExtensionEndpointConfiguration", None).abstract_(),
    complex(
        "httpRequestEndpoint",
        Some("customExtensionEndpointConfiguration"),
    )
    .props(&[prop("targetUrl", STRING)]),
    complex(
        "logicAppTriggerEndpointConfiguration",
        Some("customExtensionEndpointConfiguration"),
    )
    .props(&[
        prop("logicAppWorkflowName", STRING),
        prop("resourceGroupName", STRING),
        prop("subscriptionId", STRING),
        prop("url", STRING),
    ]),
    complex("authenticationConfigurationValidation", None).props(&[
        prop("errors", c("genericError")).many(),
        prop("warnings", c("genericError")).many(),
    ]),
    complex("genericError", None).props(&[prop("code", STRING), prop("message", STRING)]),
    // --- Authentication event listeners (§9.2).
    entity("authenticationEventListener", Some("entity"))
        .abstract_()
        .open()
        .service_keyed()
        .props(&[
            // Set on the listeners a user flow created.
            prop("authenticationEventsFlowId", STRING).read_only(),
            prop("conditions", c("authenticationConditions")),
            prop("displayName", STRING),
            // §14: beta CSDL only.
            prop("priority", INT32).not_null().beta(),
        ]),
    entity(
        "onTokenIssuanceStartListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onTokenIssuanceStartHandler"))]),
    entity(
        "onAttributeCollectionListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onAttributeCollectionHandler"))]),
    entity(
        "onAuthenticationMethodLoadStartListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onAuthenticationMethodLoadStartHandler"))]),
    entity(
        "onInteractiveAuthFlowStartListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onInteractiveAuthFlowStartHandler"))]),
    entity(
        "onUserCreateStartListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onUserCreateStartHandler"))]),
    entity(
        "onAttributeCollectionStartListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onAttributeCollectionStartHandler"))]),
    entity(
        "onAttributeCollectionSubmitListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onAttributeCollectionSubmitHandler"))]),
    entity(
        "onEmailOtpSendListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onOtpSendHandler"))]),
    entity(
        "onFraudProtectionLoadStartListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onFraudProtectionLoadStartHandler"))]),
    entity(
        "onVerifiedIdClaimValidationListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onVerifiedIdClaimValidationHandler"))]),
    entity(
        "onPasswordSubmitListener",
        Some("authenticationEventListener"),
    )
    .props(&[prop("handler", c("onPasswordSubmitHandler"))]),
    complex("onTokenIssuanceStartHandler", None).abstract_(),
    complex(
        "onTokenIssuanceStartCustomExtensionHandler",
        Some("onTokenIssuanceStartHandler"),
    )
    .props(&[
        prop("configuration", c("customExtensionOverwriteConfiguration")),
        nav("customExtension", "onTokenIssuanceStartCustomExtension"),
    ]),
    complex("onOtpSendHandler", None).abstract_(),
    complex("onOtpSendCustomExtensionHandler", Some("onOtpSendHandler")).props(&[
        prop("configuration", c("customExtensionOverwriteConfiguration")),
        nav("customExtension", "onOtpSendCustomExtension"),
    ]),
    complex("onVerifiedIdClaimValidationHandler", None).abstract_(),
    complex(
        "onVerifiedIdClaimValidationCustomExtensionHandler",
        Some("onVerifiedIdClaimValidationHandler"),
    )
    .props(&[
        prop("configuration", c("customExtensionOverwriteConfiguration")),
        nav(
            "customExtension",
            "onVerifiedIdClaimValidationCustomExtension",
        ),
    ]),
    complex("onPasswordSubmitHandler", None).abstract_(),
    complex(
        "onPasswordMigrationCustomExtensionHandler",
        Some("onPasswordSubmitHandler"),
    )
    .props(&[
        prop("configuration", c("customExtensionOverwriteConfiguration")),
        prop("migrationPropertyId", STRING).not_null(),
        nav("customExtension", "onPasswordSubmitCustomExtension"),
    ]),
    complex("onFraudProtectionLoadStartHandler", None).abstract_(),
    complex(
        "onFraudProtectionLoadStartExternalUsersAuthHandler",
        Some("onFraudProtectionLoadStartHandler"),
    )
    .props(&[prop("signUp", c("fraudProtectionConfiguration"))]),
    complex("fraudProtectionConfiguration", None).abstract_(),
    complex(
        "fraudProtectionProviderConfiguration",
        Some("fraudProtectionConfiguration"),
    )
    .props(&[nav("fraudProtectionProvider", "fraudProtectionProvider")]),
    entity("fraudProtectionProvider", Some("entity"))
        .abstract_()
        .props(&[prop("displayName", STRING).not_null()]),
    entity(
        "arkoseFraudProtectionProvider",
        Some("fraudProtectionProvider"),
    )
    .props(&[
        prop("clientSubDomain", STRING).not_null(),
        prop("privateKey", STRING).not_null(),
        prop("publicKey", STRING).not_null(),
        prop("verifySubDomain", STRING).not_null(),
    ]),
    entity(
        "humanSecurityFraudProtectionProvider",
        Some("fraudProtectionProvider"),
    )
    .props(&[
        prop("appId", STRING).not_null(),
        prop("serverToken", STRING).not_null(),
    ]),
    // --- Company branding and localizations (§7–§8).
    entity("organizationalBrandingProperties", Some("entity"))
        .abstract_()
        .props(&[
            prop("backgroundColor", STRING),
            prop("backgroundImage", Ty::STREAM),
            prop("backgroundImageRelativeUrl", STRING),
            prop("bannerLogo", Ty::STREAM),
            prop("bannerLogoRelativeUrl", STRING),
            prop("cdnList", STRING).many(),
            prop("contentCustomization", c("contentCustomization")),
            prop("customAccountResetCredentialsUrl", STRING),
            prop("customCannotAccessYourAccountText", STRING),
            prop("customCannotAccessYourAccountUrl", STRING),
            prop("customCSS", Ty::STREAM),
            prop("customCSSRelativeUrl", STRING),
            prop("customForgotMyPasswordText", STRING),
            prop("customPrivacyAndCookiesText", STRING),
            prop("customPrivacyAndCookiesUrl", STRING),
            prop("customResetItNowText", STRING),
            prop("customTermsOfUseText", STRING),
            prop("customTermsOfUseUrl", STRING),
            prop("favicon", Ty::STREAM),
            prop("faviconRelativeUrl", STRING),
            prop("headerBackgroundColor", STRING),
            prop("headerLogo", Ty::STREAM),
            prop("headerLogoRelativeUrl", STRING),
            prop(
                "loginPageLayoutConfiguration",
                c("loginPageLayoutConfiguration"),
            ),
            prop(
                "loginPageTextVisibilitySettings",
                c("loginPageTextVisibilitySettings"),
            ),
            prop("signInPageText", STRING),
            prop("squareLogo", Ty::STREAM),
            prop("squareLogoDark", Ty::STREAM),
            prop("squareLogoDarkRelativeUrl", STRING),
            prop("squareLogoRelativeUrl", STRING),
            prop("usernameHintText", STRING),
        ]),
    entity(
        "organizationalBranding",
        Some("organizationalBrandingProperties"),
    )
    .props(&[contained("localizations", "organizationalBrandingLocalization").many()]),
    entity(
        "organizationalBrandingLocalization",
        Some("organizationalBrandingProperties"),
    ),
    complex("contentCustomization", None).props(&[
        prop("attributeCollection", c("keyValue")).many().not_null(),
        prop("attributeCollectionRelativeUrl", STRING),
        prop("registrationCampaign", c("keyValue"))
            .many()
            .not_null(),
        prop("registrationCampaignRelativeUrl", STRING),
    ]),
    complex("keyValue", None).props(&[prop("key", STRING), prop("value", STRING)]),
    complex("loginPageLayoutConfiguration", None).props(&[
        prop("isFooterShown", BOOL),
        prop("isHeaderShown", BOOL),
        prop("layoutTemplateType", e("layoutTemplateType")),
    ]),
    complex("loginPageTextVisibilitySettings", None).props(&[
        prop("hideAccountResetCredentials", BOOL),
        prop("hideCannotAccessYourAccount", BOOL),
        prop("hideForgotMyPassword", BOOL),
        prop("hidePrivacyAndCookies", BOOL),
        prop("hideResetItNow", BOOL),
        prop("hideTermsOfUse", BOOL),
    ]),
    // --- The tenant, applications and service principals (§10): the properties served.
    entity("organization", Some("directoryObject"))
        .open()
        .props(&[
            prop("assignedPlans", opaque("assignedPlan"))
                .many()
                .not_null(),
            prop("businessPhones", STRING).many().not_null(),
            prop("city", STRING),
            prop("country", STRING),
            prop("countryLetterCode", STRING),
            prop("createdDateTime", DATE_TIME),
            // The beta fragment has `directorySizeQuota` where v1.0 has this.
            prop("defaultUsageLocation", STRING).v1(),
            prop("directorySizeQuota", opaque("directorySizeQuota")).beta(),
            prop("displayName", STRING),
            prop("isMultipleDataLocationsForServicesEnabled", BOOL).beta(),
            prop("marketingNotificationEmails", STRING)
                .many()
                .not_null(),
            prop("onPremisesLastSyncDateTime", DATE_TIME),
            prop("onPremisesSyncEnabled", BOOL),
            prop("partnerTenantType", opaque("partnerTenantType")),
            prop("postalCode", STRING),
            prop("preferredLanguage", STRING),
            prop("privacyProfile", opaque("privacyProfile")),
            prop("provisionedPlans", opaque("provisionedPlan"))
                .many()
                .not_null(),
            prop("securityComplianceNotificationMails", STRING)
                .many()
                .not_null(),
            prop("securityComplianceNotificationPhones", STRING)
                .many()
                .not_null(),
            prop("state", STRING),
            prop("street", STRING),
            prop("technicalNotificationMails", STRING).many().not_null(),
            // Absent from the beta fragment, which is the national-cloud schema (§16.20).
            prop("tenantType", STRING).v1(),
            prop("verifiedDomains", opaque("verifiedDomain"))
                .many()
                .not_null(),
        ]),
    entity("application", Some("directoryObject"))
        .open()
        .props(&[
            prop("appId", STRING),
            prop("displayName", STRING),
            prop("identifierUris", STRING).many().not_null(),
            prop("publisherDomain", STRING),
            prop("signInAudience", STRING),
        ]),
    entity("servicePrincipal", Some("directoryObject"))
        .open()
        .props(&[
            prop("accountEnabled", BOOL),
            prop("appDisplayName", STRING),
            prop("appId", STRING),
            prop("displayName", STRING),
            prop("servicePrincipalType", STRING),
        ]),
];

/// Types whose abstract name Graph accepts as a value's `@odata.type`: the docs send
/// `"behaviorOnError": {"@odata.type": "microsoft.graph.customExtensionBehaviorOnError"}` and
/// echo it in the response (REFERENCE.md §9.1, `customAuthenticationExtension.create.ex4`).
pub(super) static ABSTRACT_BUT_ACCEPTED: &[&str] = &["customExtensionBehaviorOnError"];
