//! Where the token authority and Graph live: the four clouds of REFERENCE.md §0.1, or any URL
//! (a local emulator, a proxy) given by `--authority-url`/`--graph-url`.

/// A Microsoft cloud (REFERENCE.md §0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cloud {
    /// The global service (also US GCC).
    #[default]
    Global,
    /// US Government L4 (GCC High).
    UsGov,
    /// US Government L5 (Department of Defense).
    UsGovDod,
    /// China, operated by 21Vianet.
    China,
}

impl Cloud {
    /// The token authority host, without a trailing slash.
    pub fn authority(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The Graph root, without a version and without a trailing slash.
    pub fn graph(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

/// The token authority and the Graph root a client talks to, and the resource its tokens are
/// for.
///
/// The resource (the scope's `{resource}/.default`, REFERENCE.md §13) is the Graph root of the
/// cloud, even when the URLs are overridden: `--cloud usgov --graph-url http://127.0.0.1:PORT`
/// talks to a local emulator or proxy but still asks for a `https://graph.microsoft.us` token, as
/// the real service would need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    authority: String,
    graph: String,
    resource: String,
}

impl Endpoints {
    /// The endpoints of a cloud; their resource is the cloud's Graph root.
    pub fn cloud(cloud: Cloud) -> Self {
        Self {
            authority: cloud.authority().to_owned(),
            graph: cloud.graph().to_owned(),
            resource: cloud.graph().to_owned(),
        }
    }

    /// Explicit endpoints of no particular cloud; the Graph root is also the resource. Plain
    /// `http://` is accepted only for loopback hosts, so a typo cannot send a token in clear text
    /// across a network.
    pub fn new(authority: &str, graph: &str) -> Result<Self, EndpointError> {
        let graph = checked_root(graph)?;
        Ok(Self {
            authority: checked_root(authority)?,
            resource: graph.clone(),
            graph,
        })
    }

    /// The same endpoints with another authority host (`--authority-url`,
    /// `AZURE_AUTHORITY_HOST`); the resource stays. Plain `http://` only for loopback hosts.
    pub fn with_authority(self, authority: &str) -> Result<Self, EndpointError> {
        Ok(Self {
            authority: checked_root(authority)?,
            ..self
        })
    }

    /// The same endpoints with another Graph root (`--graph-url`, `CIAMCTL_GRAPH_URL`); the
    /// resource stays. Plain `http://` only for loopback hosts.
    pub fn with_graph(self, graph: &str) -> Result<Self, EndpointError> {
        Ok(Self {
            graph: checked_root(graph)?,
            ..self
        })
    }

    /// The authority host, such as `https://login.microsoftonline.com`.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The Graph root, such as `https://graph.microsoft.com`.
    pub fn graph(&self) -> &str {
        &self.graph
    }

    /// The token endpoint of a tenant (REFERENCE.md §13).
    pub fn token_url(&self, tenant: &str) -> String {
        format!("{}/{tenant}/oauth2/v2.0/token", self.authority)
    }

    /// The resource tokens are asked for, such as `https://graph.microsoft.us`.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The `.default` scope of the resource (REFERENCE.md §13: national clouds use their own
    /// Graph root).
    pub fn scope(&self) -> String {
        format!("{}/.default", self.resource)
    }
}

/// A URL that cannot be used as an authority or a Graph root.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("`{url}` is not an http(s) URL; use a URL such as https://graph.microsoft.com")]
    NotHttp { url: String },
    #[error(
        "`{url}` uses plain http for a host that is not loopback; use https (plain http is only \
         for a local emulator on 127.0.0.1, ::1 or localhost)"
    )]
    InsecureHost { url: String },
}

pub(crate) fn checked_root(url: &str) -> Result<String, EndpointError> {
    let trimmed = url.trim_end_matches('/');
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| EndpointError::NotHttp {
            url: url.to_owned(),
        })?;
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host_port.is_empty() || host_port.contains('@') {
        return Err(EndpointError::NotHttp {
            url: url.to_owned(),
        });
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(trimmed.to_owned()),
        "http" if is_loopback(host_port) => Ok(trimmed.to_owned()),
        "http" => Err(EndpointError::InsecureHost {
            url: url.to_owned(),
        }),
        _ => Err(EndpointError::NotHttp {
            url: url.to_owned(),
        }),
    }
}

/// `127.x.x.x`, `[::1]` or `localhost`, with or without a port.
fn is_loopback(host_port: &str) -> bool {
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_clouds_use_their_own_authority_graph_root_and_scope() {
        let dod = Endpoints::cloud(Cloud::UsGovDod);
        assert_eq!(dod.authority(), "https://login.microsoftonline.us");
        assert_eq!(dod.scope(), "https://dod-graph.microsoft.us/.default");
        let china = Endpoints::cloud(Cloud::China);
        assert_eq!(
            china.token_url("contoso.onmicrosoft.com"),
            "https://login.chinacloudapi.cn/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert_eq!(
            Endpoints::cloud(Cloud::UsGov).scope(),
            "https://graph.microsoft.us/.default"
        );
    }

    #[test]
    fn overridden_urls_keep_the_clouds_resource() {
        let local = "http://127.0.0.1:8765";
        let gov = Endpoints::cloud(Cloud::UsGov)
            .with_graph(local)
            .unwrap()
            .with_authority(&format!("{local}/"))
            .unwrap();
        assert_eq!(gov.graph(), local);
        assert_eq!(gov.token_url("t"), format!("{local}/t/oauth2/v2.0/token"));
        assert_eq!(gov.scope(), "https://graph.microsoft.us/.default");
        let plain = Endpoints::new(local, local).unwrap();
        assert_eq!(plain.scope(), format!("{local}/.default"));
        assert!(matches!(
            Endpoints::cloud(Cloud::China).with_graph("http://graph.example.com"),
            Err(EndpointError::InsecureHost { .. })
        ));
        assert!(matches!(
            Endpoints::cloud(Cloud::China).with_authority("login.example.com"),
            Err(EndpointError::NotHttp { .. })
        ));
    }

    #[test]
    fn plain_http_is_only_for_loopback_hosts() {
        for ok in [
            "http://127.0.0.1:8765",
            "http://localhost:1/",
            "http://[::1]:80",
            "https://graph.example.com/",
        ] {
            assert!(Endpoints::new(ok, ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://graph.example.com",
            "http://10.0.0.1:8765",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(
                matches!(
                    Endpoints::new(bad, bad),
                    Err(EndpointError::InsecureHost { .. })
                ),
                "{bad}"
            );
        }
        for bad in [
            "graph.microsoft.com",
            "ftp://x",
            "https://",
            "http://user@127.0.0.1",
        ] {
            assert!(
                matches!(Endpoints::new(bad, bad), Err(EndpointError::NotHttp { .. })),
                "{bad}"
            );
        }
    }
}
