//! `ciamctl doctor`: can this machine manage this tenant? It answers, in order: which
//! credential and tenant are in use, whether a token comes back and for whom, which Graph
//! permissions the token holds against those the configuration's kinds need, and whether
//! Graph answers a read of every kind. Every line is a check (`ok` or `FAIL`) on stdout; the
//! exit status is 1 when any check failed.

use std::io::Write;

use anyhow::Context as _;
use ciamctl_graph::TokenClaims;
use ciamctl_live::{Kind, LiveTenant};
use ciamctl_model::Config;
use ciamctl_tenant::{Scope, permissions};

use crate::commands::connect::{self, Connection, GraphArgs};
use crate::exit::ExitStatus;
use crate::output;

/// Check the credential, the token's permissions and that Graph answers.
#[derive(Debug, clap::Args)]
pub(crate) struct DoctorArgs {
    #[command(flatten)]
    graph: GraphArgs,
}

pub(crate) fn run(args: &DoctorArgs) -> anyhow::Result<ExitStatus> {
    connect::run(&args.graph, async |desired, connection| {
        let config = desired.map(|d| d.config);
        let (stdout, color) = output::stream(std::io::stdout());
        let mut report = Report {
            out: stdout,
            color,
            failed: false,
        };
        match connection {
            Ok(connection) => examine(&args.graph, &connection, config.as_ref(), &mut report).await,
            Err(error) => report.check(false, "setup", &format!("{error:#}")),
        }
        .context("writing the report")?;
        Ok(if report.failed {
            ExitStatus::Error
        } else {
            ExitStatus::Success
        })
    })
}

struct Report<W> {
    out: W,
    color: bool,
    failed: bool,
}

impl<W: Write> Report<W> {
    fn info(&mut self, label: &str, text: &str) -> std::io::Result<()> {
        writeln!(self.out, "     {label:<12} {text}")
    }

    fn check(&mut self, ok: bool, label: &str, text: &str) -> std::io::Result<()> {
        let (style, word) = if ok {
            (output::success_style(self.color), "ok  ")
        } else {
            self.failed = true;
            (output::failure_style(self.color), "FAIL")
        };
        writeln!(self.out, "{style}{word}{style:#} {label:<12} {text}")
    }
}

async fn examine<W: Write>(
    args: &GraphArgs,
    connection: &Connection,
    config: Option<&Config>,
    report: &mut Report<W>,
) -> std::io::Result<()> {
    let client = &connection.client;
    let authenticator = client.authenticator();
    report.info("credential", &authenticator.credential().describe())?;
    report.info(
        "tenant",
        &format!(
            "{} (from {})",
            connection.tenant_id, connection.tenant_source
        ),
    )?;
    report.info("authority", authenticator.endpoints().authority())?;
    report.info("graph", client.endpoints().graph())?;
    report.info("scope", &authenticator.endpoints().scope())?;

    let claims = match authenticator.token(client.http()).await {
        Ok(token) => token.claims(),
        Err(error) => Err(error),
    };
    let claims = match claims {
        Ok(claims) => claims,
        Err(error) => return report.check(false, "token", &error.to_string()),
    };
    token_checks(connection, &claims, report)?;

    let scope = connect::scope(config);
    let read: Vec<Kind> = Kind::ALL.into_iter().filter(|k| scope.needs(*k)).collect();
    let written = written_kinds(config);
    for need in permissions::needs(&read, &written, &claims.roles, &claims.scopes) {
        let text = format!("{:<40} {}", need.permission, need.purposes.join(", "));
        let text = if need.granted {
            text
        } else {
            format!("{text}: missing; grant it to the app and give admin consent")
        };
        report.check(need.granted, "permission", &text)?;
    }

    match connect::read_live(args, connection, &scope).await {
        Ok(tenant) => read_checks(&tenant, &scope, report),
        Err(error) => report.check(false, "graph", &format!("{error:#}")),
    }
}

fn token_checks<W: Write>(
    connection: &Connection,
    claims: &TokenClaims,
    report: &mut Report<W>,
) -> std::io::Result<()> {
    let unknown = || "(not in the token)".to_owned();
    let tenant = claims.tenant_id.clone().unwrap_or_else(unknown);
    let expires = claims
        .expires_at()
        .and_then(|at| at.duration_since(std::time::SystemTime::now()).ok())
        .map_or_else(
            || "expired or without expiry".to_owned(),
            |left| format!("expires in {} min", left.as_secs() / 60),
        );
    report.check(
        tenant.eq_ignore_ascii_case(&connection.tenant_id),
        "token",
        &format!(
            "issued to app {} by tenant {tenant}, for {}; {expires}",
            claims.app_id.clone().unwrap_or_else(unknown),
            claims.audience.join(", ")
        ),
    )?;
    let mut roles = claims.roles.clone();
    roles.sort();
    let held = if roles.is_empty() && !claims.scopes.is_empty() {
        format!("delegated scopes: {}", claims.scopes.join(" "))
    } else if roles.is_empty() {
        "none: the app holds no application permission".to_owned()
    } else {
        roles.join(", ")
    };
    report.info("roles", &held)
}

/// The kinds an `apply` of `config` may write: those it declares (every writable kind without
/// a configuration).
fn written_kinds(config: Option<&Config>) -> Vec<Kind> {
    let Some(config) = config else {
        return Kind::ALL.to_vec();
    };
    let branding = config.branding.as_ref();
    [
        (Kind::Attributes, !config.attributes.is_empty()),
        (
            Kind::IdentityProviders,
            !config.identity_providers.is_empty(),
        ),
        (Kind::UserFlows, !config.user_flows.is_empty()),
        (Kind::Branding, branding.is_some()),
        (
            Kind::Localizations,
            branding.is_some_and(|b| !b.localizations.is_empty())
                || config
                    .settings
                    .prunes(ciamctl_model::settings::ResourceKind::Localizations),
        ),
    ]
    .into_iter()
    .filter_map(|(kind, written)| written.then_some(kind))
    .collect()
}

fn read_checks<W: Write>(
    tenant: &LiveTenant,
    scope: &Scope,
    report: &mut Report<W>,
) -> std::io::Result<()> {
    if let Some(organization) = tenant.organization.known() {
        report.check(
            organization.id.eq_ignore_ascii_case(&tenant.tenant_id),
            "organization",
            &format!(
                "{} ({}, tenant type {})",
                organization.display_name.as_deref().unwrap_or("(no name)"),
                organization.id,
                organization.tenant_type.as_deref().unwrap_or("not given")
            ),
        )?;
    }
    for kind in Kind::ALL {
        match tenant.failure(kind) {
            None => report.check(true, "read", &kind.to_string())?,
            Some(failure) if !scope.needs(kind) => report.info(
                "read",
                &format!("{kind} (not used by the configuration): {}", failure.reason),
            )?,
            Some(failure) => report.check(false, "read", &format!("{kind}: {}", failure.reason))?,
        }
    }
    Ok(())
}
