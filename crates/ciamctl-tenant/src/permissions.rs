//! The Graph application permissions each kind of object needs (REFERENCE.md §0.5), so that
//! `ciamctl doctor` can say which are missing and a 403 can name the one that was.

use ciamctl_live::Kind;

/// The application permission that allows reading `kind`.
pub fn read_permission(kind: Kind) -> &'static str {
    match kind {
        // §10: the permission map's "least privileged" entry for `GET /organization` is a
        // device-management permission, an artefact; Organization.Read.All is the one that
        // fits (§16.19).
        Kind::Organization => "Organization.Read.All",
        Kind::UserFlows => "EventListener.Read.All",
        Kind::Attributes => "IdentityUserFlow.Read.All",
        Kind::IdentityProviders => "IdentityProvider.Read.All",
        Kind::CustomExtensions => "CustomAuthenticationExtension.Read.All",
        Kind::Branding | Kind::Localizations => "OrganizationalBranding.Read.All",
        Kind::Applications => "Application.Read.All",
    }
}

/// The application permission that allows changing `kind`, for the kinds ciamctl writes.
pub fn write_permission(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::UserFlows => Some("EventListener.ReadWrite.All"),
        Kind::Attributes => Some("IdentityUserFlow.ReadWrite.All"),
        Kind::IdentityProviders => Some("IdentityProvider.ReadWrite.All"),
        Kind::Branding | Kind::Localizations => Some("OrganizationalBranding.ReadWrite.All"),
        Kind::Organization | Kind::CustomExtensions | Kind::Applications => None,
    }
}

/// The kind a Graph path (relative to the version root, query allowed) belongs to.
pub fn kind_of_path(path: &str) -> Option<Kind> {
    let path = path.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["identity", "authenticationEventsFlows", ..] => Some(Kind::UserFlows),
        ["identity", "userFlowAttributes", ..] => Some(Kind::Attributes),
        ["identity", "identityProviders", ..] => Some(Kind::IdentityProviders),
        ["identity", "customAuthenticationExtensions", ..] => Some(Kind::CustomExtensions),
        ["organization", _, "branding", "localizations", id, ..]
            if !matches!(*id, "0" | "default") =>
        {
            Some(Kind::Localizations)
        }
        ["organization", _, "branding", "localizations"] => Some(Kind::Localizations),
        ["organization", _, "branding", ..] => Some(Kind::Branding),
        ["organization", ..] => Some(Kind::Organization),
        ["applications", ..] => Some(Kind::Applications),
        _ => None,
    }
}

/// The permission a request needs: the kind's write permission for anything but a read.
pub fn required_for(method: &str, path: &str) -> Option<&'static str> {
    let kind = kind_of_path(path)?;
    if method.eq_ignore_ascii_case("GET") {
        Some(read_permission(kind))
    } else {
        write_permission(kind)
    }
}

/// For a 403 on a request whose kind is known, what to grant: `the app needs the … application
/// permission (with admin consent)`.
pub fn forbidden_hint(error: &ciamctl_graph::GraphError) -> Option<String> {
    if !error.is_forbidden() {
        return None;
    }
    let facts = error.failure()?;
    // `facts.path` starts with the version: `/v1.0/identity/...`.
    let path = facts
        .path
        .split_once('/')
        .and_then(|(_, rest)| rest.split_once('/'))
        .map_or(facts.path.as_str(), |(_, path)| path);
    let permission = required_for(&facts.method, &format!("/{path}"))?;
    Some(format!(
        "the app needs the {permission} application permission (with admin consent)"
    ))
}

/// Whether the roles of a token grant `permission`. A `*.ReadWrite.All` role grants the
/// matching `*.Read.All`, and `Directory.Read.All` grants the directory reads (§10).
pub fn granted(roles: &[String], permission: &str) -> bool {
    roles.iter().any(|role| {
        role.eq_ignore_ascii_case(permission)
            || permission
                .strip_suffix(".Read.All")
                .is_some_and(|base| role.eq_ignore_ascii_case(&format!("{base}.ReadWrite.All")))
            || (role.eq_ignore_ascii_case("Directory.Read.All")
                || role.eq_ignore_ascii_case("Directory.ReadWrite.All"))
                && ["Organization.Read.All", "Application.Read.All"]
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(permission))
    })
}

/// A permission a run needs, what for, and whether the token holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub permission: &'static str,
    /// The kinds and uses, such as `read user flows` or `write identity providers (apply)`.
    pub purposes: Vec<String>,
    pub granted: bool,
}

/// What reading `read` (`plan`, `drift`, `snapshot`) and writing `written` (`apply`) need,
/// sorted by permission, each checked against the token's `roles` (application permissions)
/// or `scopes` (delegated).
pub fn needs(read: &[Kind], written: &[Kind], roles: &[String], scopes: &[String]) -> Vec<Need> {
    let mut out: Vec<Need> = Vec::new();
    let mut add = |permission: &'static str, purpose: String| match out
        .iter_mut()
        .find(|n| n.permission == permission)
    {
        Some(need) => need.purposes.push(purpose),
        None => out.push(Need {
            permission,
            purposes: vec![purpose],
            granted: granted(roles, permission) || granted(scopes, permission),
        }),
    };
    for &kind in read {
        add(read_permission(kind), format!("read {kind}"));
    }
    for &kind in written {
        if let Some(permission) = write_permission(kind) {
            add(permission, format!("write {kind} (apply)"));
        }
    }
    out.sort_by_key(|n| n.permission);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_their_kind_and_reads_or_writes_to_its_permission() {
        let cases = [
            (
                "GET",
                "/identity/authenticationEventsFlows?$top=5",
                "EventListener.Read.All",
            ),
            (
                "POST",
                "/identity/authenticationEventsFlows/x/conditions/applications/includeApplications",
                "EventListener.ReadWrite.All",
            ),
            (
                "PATCH",
                "/identity/userFlowAttributes/x",
                "IdentityUserFlow.ReadWrite.All",
            ),
            (
                "GET",
                "/identity/identityProviders",
                "IdentityProvider.Read.All",
            ),
            ("GET", "/organization", "Organization.Read.All"),
            (
                "GET",
                "/organization/t/branding",
                "OrganizationalBranding.Read.All",
            ),
            (
                "PUT",
                "/organization/t/branding/localizations/0/bannerLogo",
                "OrganizationalBranding.ReadWrite.All",
            ),
            (
                "DELETE",
                "/organization/t/branding/localizations/fr-FR",
                "OrganizationalBranding.ReadWrite.All",
            ),
            (
                "GET",
                "/applications?$filter=appId eq 'x'",
                "Application.Read.All",
            ),
        ];
        for (method, path, permission) in cases {
            assert_eq!(
                required_for(method, path),
                Some(permission),
                "{method} {path}"
            );
        }
        assert_eq!(
            kind_of_path("/organization/t/branding/localizations/default/favicon"),
            Some(Kind::Branding)
        );
        assert_eq!(
            kind_of_path("/organization/t/branding/localizations/fr-FR/favicon"),
            Some(Kind::Localizations)
        );
        assert_eq!(required_for("GET", "/users"), None);
    }

    #[test]
    fn needs_list_every_read_and_the_written_kinds_writes_once_each() {
        let roles = vec!["EventListener.ReadWrite.All".to_owned()];
        let needs = needs(
            &Kind::ALL,
            &[Kind::UserFlows, Kind::Branding, Kind::Localizations],
            &roles,
            &[],
        );
        let names: Vec<&str> = needs.iter().map(|n| n.permission).collect();
        assert_eq!(
            names,
            [
                "Application.Read.All",
                "CustomAuthenticationExtension.Read.All",
                "EventListener.Read.All",
                "EventListener.ReadWrite.All",
                "IdentityProvider.Read.All",
                "IdentityUserFlow.Read.All",
                "Organization.Read.All",
                "OrganizationalBranding.Read.All",
                "OrganizationalBranding.ReadWrite.All",
            ]
        );
        let branding = needs
            .iter()
            .find(|n| n.permission == "OrganizationalBranding.ReadWrite.All")
            .unwrap();
        assert_eq!(
            branding.purposes,
            ["write branding (apply)", "write localizations (apply)"]
        );
        assert!(!branding.granted);
        let granted: Vec<&str> = needs
            .iter()
            .filter(|n| n.granted)
            .map(|n| n.permission)
            .collect();
        assert_eq!(
            granted,
            ["EventListener.Read.All", "EventListener.ReadWrite.All"]
        );
    }

    #[test]
    fn read_write_roles_grant_reads_and_directory_read_grants_directory_reads() {
        let roles = vec![
            "EventListener.ReadWrite.All".to_owned(),
            "Directory.Read.All".to_owned(),
        ];
        assert!(granted(&roles, "EventListener.Read.All"));
        assert!(granted(&roles, "EventListener.ReadWrite.All"));
        assert!(granted(&roles, "Organization.Read.All"));
        assert!(granted(&roles, "Application.Read.All"));
        assert!(!granted(&roles, "IdentityProvider.Read.All"));
        assert!(!granted(&roles, "OrganizationalBranding.Read.All"));
        assert!(!granted(
            &["IdentityProvider.Read.All".to_owned()],
            "IdentityProvider.ReadWrite.All"
        ));
    }
}
