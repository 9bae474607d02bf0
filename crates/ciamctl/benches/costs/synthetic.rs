//! The synthetic tenants: a configuration directory for a number of user flows, with custom
//! attributes, identity providers and localizations in proportion, and the emulator seed
//! holding the applications its flows sign in to.

use std::fmt::Write as _;
use std::path::Path;

use ciamctl_emulator::{Application, ServicePrincipal, Tenant};

/// The environment every synthetic configuration has (`environments/bench.yaml`).
pub(crate) const ENVIRONMENT: &str = "bench";
/// The variable the identity providers' client secret is read from.
pub(crate) const SECRET_VARIABLE: &str = "BENCH_IDP_SECRET";

/// How many objects of each kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub(crate) flows: usize,
    pub(crate) attributes: usize,
    pub(crate) providers: usize,
    pub(crate) locales: usize,
    /// The default branding sets two stream assets (a banner logo and custom CSS). The
    /// offline measurement leaves them out: no download can tell it what the tenant holds.
    pub(crate) assets: bool,
}

/// Which version of the configuration to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    Base,
    /// The base with every tenth object of each kind edited: the 10 % change.
    Changed,
}

impl Shape {
    /// Per 10 user flows: 5 custom attributes, 1 OIDC provider, 2 localizations (20
    /// localizations for 100 flows), at least one of each.
    pub(crate) fn scaled(flows: usize) -> Self {
        Self {
            flows,
            attributes: (flows / 2).max(1),
            providers: (flows / 10).max(1),
            locales: (flows / 5).max(1),
            assets: true,
        }
    }

    /// The scaled shape with about `objects` objects, without stream assets.
    pub(crate) fn with_objects(objects: usize) -> Self {
        // 1 + 1/2 + 1/10 + 1/5 = 1.8 objects per flow.
        let shape = Self::scaled((objects * 10).div_ceil(18));
        Self {
            assets: false,
            ..shape
        }
    }

    pub(crate) fn objects(&self) -> usize {
        self.flows + self.attributes + self.providers + self.locales
    }

    /// How many objects [`Version::Changed`] edits: the plan's update count.
    pub(crate) fn changed(&self) -> usize {
        [self.flows, self.attributes, self.providers, self.locales]
            .iter()
            .map(|n| n.div_ceil(10))
            .sum()
    }

    /// Writes the configuration for `tenant_id` into `dir`: `tenant.yaml`, the environment
    /// file and the asset files.
    pub(crate) fn write_config(&self, dir: &Path, version: Version, tenant_id: &str) {
        let environments = dir.join("environments");
        std::fs::create_dir_all(&environments).expect("creating the configuration directory");
        std::fs::write(
            environments.join(format!("{ENVIRONMENT}.yaml")),
            format!("tenantId: {tenant_id}\n"),
        )
        .expect("writing the environment file");
        if self.assets {
            let examples =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config-examples/woodgrove");
            std::fs::create_dir_all(dir.join("assets")).expect("creating assets/");
            for name in ["banner.png", "custom.css"] {
                std::fs::copy(
                    examples.join("assets").join(name),
                    dir.join("assets").join(name),
                )
                .expect("copying an asset from config-examples/woodgrove");
            }
        }
        std::fs::write(dir.join("tenant.yaml"), self.yaml(version)).expect("writing tenant.yaml");
    }

    fn yaml(&self, version: Version) -> String {
        let edited = |i: usize| version == Version::Changed && i.is_multiple_of(10);
        let revised = |i: usize| if edited(i) { " (revised)" } else { "" };
        let mut yaml = String::from("attributes:\n");
        for i in 0..self.attributes {
            let data_type = DATA_TYPES[i % DATA_TYPES.len()];
            let _ = write!(
                yaml,
                "  - name: {}\n    description: Attribute {i}{}\n    dataType: {data_type}\n",
                attribute(i),
                revised(i),
            );
        }
        yaml.push_str("identityProviders:\n");
        for i in 0..self.providers {
            let scope = if edited(i) {
                "openid profile email offline_access"
            } else {
                "openid profile email"
            };
            let _ = write!(
                yaml,
                "  - name: {}\n    type: oidc\n    clientId: partner-{i}\n    \
                 issuer: https://login.partner{i}.example/\n    \
                 wellKnownEndpoint: https://login.partner{i}.example/.well-known/openid-configuration\n    \
                 scope: {scope}\n    responseType: code\n    clientAuthentication:\n      \
                 type: clientSecret\n      clientSecret: ${{env:{SECRET_VARIABLE}}}\n    \
                 inboundClaimMapping:\n      sub: sub\n      email: email\n",
                provider(i),
            );
        }
        yaml.push_str("userFlows:\n");
        for i in 0..self.flows {
            let _ = write!(
                yaml,
                "  - name: Flow {i:04}\n    description: Sign-up and sign-in {i}{}\n    \
                 signUp: true\n    identityProviders: [EmailPassword, {}]\n    \
                 applications: [\"{}\"]\n    page:\n      title: Create your account{}\n      \
                 inputs:\n        - attribute: email\n        - attribute: displayName\n          \
                 label: Full name\n",
                revised(i),
                provider(i % self.providers),
                application(i).1,
                revised(i),
            );
            for a in [i % self.attributes, (i + 1) % self.attributes] {
                let boolean = DATA_TYPES[a % DATA_TYPES.len()] == "boolean";
                let _ = write!(
                    yaml,
                    "        - attribute: {}\n          label: Attribute {a}\n{}",
                    attribute(a),
                    if boolean {
                        "          inputType: boolean\n"
                    } else {
                        ""
                    },
                );
            }
        }
        yaml.push_str("branding:\n  backgroundColor: \"#F3F2F1\"\n  signInPageText: Welcome\n");
        if self.assets {
            yaml.push_str(
                "  assets:\n    bannerLogo: assets/banner.png\n    customCSS: assets/custom.css\n",
            );
        }
        yaml.push_str("  localizations:\n");
        for i in 0..self.locales {
            let _ = write!(
                yaml,
                "    {}:\n      signInPageText: Welcome {i}{}\n      usernameHintText: you@example.com\n",
                locale(i),
                revised(i),
            );
        }
        yaml
    }

    /// The localizations' locales.
    pub(crate) fn locales(&self) -> impl Iterator<Item = String> {
        (0..self.locales).map(locale)
    }

    /// The app ids of the applications the flows sign in to.
    pub(crate) fn application_ids(&self) -> impl Iterator<Item = String> {
        (0..self.flows).map(|i| application(i).1)
    }

    /// Adds the applications the flows sign in to, each with its service principal.
    pub(crate) fn add_applications(&self, tenant: &mut Tenant) {
        for i in 0..self.flows {
            let (id, app_id, name) = application(i);
            tenant.service_principals.push(ServicePrincipal {
                id: format!("00000000-0000-4000-9000-{i:012}"),
                app_id: app_id.clone(),
                display_name: name.clone(),
                ..ServicePrincipal::default()
            });
            tenant.applications.push(Application {
                id,
                app_id,
                display_name: name,
                ..Application::default()
            });
        }
    }
}

const DATA_TYPES: [&str; 3] = ["string", "boolean", "int64"];

fn attribute(i: usize) -> String {
    format!("Attribute{i:04}")
}

fn provider(i: usize) -> String {
    format!("Partner {i:03}")
}

/// A distinct locale per `i` (`aa-AA`, `ab-AB`, ...): the loader takes any language-region
/// pair, and so does the emulator.
fn locale(i: usize) -> String {
    let letter = |n: usize, base: u8| char::from(base + u8::try_from(n % 26).unwrap_or(0));
    let (first, second) = (i / 26, i % 26);
    format!(
        "{}{}-{}{}",
        letter(first, b'a'),
        letter(second, b'a'),
        letter(first, b'A'),
        letter(second, b'A')
    )
}

/// The object id, app id and name of flow `i`'s application.
fn application(i: usize) -> (String, String, String) {
    (
        format!("00000000-0000-4000-8000-{i:012}"),
        format!("00000000-0000-4000-a000-{i:012}"),
        format!("Bench app {i:04}"),
    )
}
