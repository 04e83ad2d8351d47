//! Host names to addresses for every kind of check: the system resolver, keeping only the
//! addresses `check.source_address` can reach, with failures that can be told apart from
//! refused connections.

use std::net::IpAddr;

use crate::domain::status::ErrorKind;

/// A host name that did not resolve.
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

impl ResolveError {
    /// What the check records: `dns`, or `connect` for a host out of the source address's reach.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ResolveError::Dns(_) => ErrorKind::Dns,
            ResolveError::WrongFamily(_) => ErrorKind::Connect,
        }
    }
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
