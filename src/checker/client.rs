//! The HTTP client the checker probes with: no redirects, a whole-exchange timeout, our user
//! agent, the trusted certificates of `check.tls_ca_file`, the leaf certificate of each answer,
//! probes leaving from `check.source_address`, and a DNS resolver (shared with the TCP and ping
//! checks) whose failures can be told apart from refused connections.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::settings::Settings;

/// A host name that did not resolve. The checker finds it in an error's source chain to report
/// `dns` rather than `connect` (reqwest's own resolver reports both as connect errors).
#[derive(Debug, thiserror::Error)]
#[error("cannot resolve host `{host}`: {reason}")]
pub struct DnsFailure {
    pub host: String,
    pub reason: String,
}

/// A target only reachable over the other IP family than `check.source_address`: the probe
/// cannot leave from that address, which is a `connect` failure.
#[derive(Debug, thiserror::Error)]
#[error("`{host}` has no {family} address to reach from the source address {source_address}")]
pub struct WrongFamily {
    pub host: String,
    pub family: &'static str,
    pub source_address: IpAddr,
}

impl WrongFamily {
    pub fn new(host: &str, source_address: IpAddr) -> WrongFamily {
        let family = if source_address.is_ipv4() { "IPv4" } else { "IPv6" };
        WrongFamily { host: host.to_owned(), family, source_address }
    }
}

/// Why a host gave no address to probe.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Dns(#[from] DnsFailure),
    #[error(transparent)]
    WrongFamily(#[from] WrongFamily),
}

/// Resolves `host` with the system resolver (getaddrinfo through tokio), keeping only the
/// addresses of `source_address`'s family when one is set.
pub async fn resolve(host: &str, source_address: Option<IpAddr>) -> Result<Vec<IpAddr>, ResolveError> {
    let found = tokio::net::lookup_host((host, 0))
        .await
        .map_err(|e| DnsFailure { host: host.to_owned(), reason: e.to_string() })?;
    let all: Vec<IpAddr> = found.map(|a| a.ip()).collect();
    if all.is_empty() {
        return Err(DnsFailure { host: host.to_owned(), reason: "no addresses".into() }.into());
    }
    match source_address {
        Some(source) => {
            let same: Vec<IpAddr> = all.into_iter().filter(|ip| ip.is_ipv4() == source.is_ipv4()).collect();
            if same.is_empty() { Err(WrongFamily::new(host, source).into()) } else { Ok(same) }
        }
        None => Ok(all),
    }
}

/// reqwest's resolver hook over `resolve`.
struct SystemResolver {
    source_address: Option<IpAddr>,
}

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let source = self.source_address;
        Box::pin(async move {
            match resolve(&host, source).await {
                Ok(ips) => Ok(Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0))) as Addrs),
                Err(ResolveError::Dns(e)) => Err(Box::new(e) as _),
                Err(ResolveError::WrongFamily(e)) => Err(Box::new(e) as _),
            }
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct ClientError(String);

pub fn build(settings: &Settings) -> Result<reqwest::Client, ClientError> {
    crate::tls::install_crypto_provider();
    let check = &settings.check;
    let timeout = Duration::from_secs(check.timeout_secs);
    let mut builder = reqwest::Client::builder()
        .user_agent(check.user_agent.clone())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .dns_resolver(Arc::new(SystemResolver { source_address: check.source_address }))
        .local_address(check.source_address)
        // Every https answer carries its leaf certificate, whose expiry the round records.
        .tls_info(true)
        // Sites are mostly distinct hosts and the process ends with the round, so idle
        // keep-alive connections would only hold memory (thousands of them at 10,000 sites).
        .pool_max_idle_per_host(0);
    if let Some(path) = settings.tls_ca_path() {
        let pem = std::fs::read(&path)
            .map_err(|e| ClientError(format!("check.tls_ca_file: cannot read {}: {e}", path.display())))?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| ClientError(format!("check.tls_ca_file: {} is not PEM certificates: {e}", path.display())))?;
        builder = builder.tls_certs_merge(certificates);
    }
    builder.build().map_err(|e| ClientError(e.to_string()))
}
