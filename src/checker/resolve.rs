//! Host names to addresses for every kind of check: the system resolver, keeping only the
//! addresses `check.source_address` can reach, with failures that can be told apart from
//! refused connections.

use std::net::IpAddr;

use crate::domain::status::ErrorKind;

/// Why a host gave no address to probe.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("cannot resolve host `{host}`: {reason}")]
    Dns { host: String, reason: String },
    /// A target only reachable over the other IP family than `check.source_address`: the
    /// probe cannot leave from that address, which is a `connect` failure.
    #[error("`{host}` has no {family} address to reach from the source address {source_address}")]
    WrongFamily { host: String, family: &'static str, source_address: IpAddr },
}

impl ResolveError {
    /// What the check records: `dns`, or `connect` for a host out of the source address's reach.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ResolveError::Dns { .. } => ErrorKind::Dns,
            ResolveError::WrongFamily { .. } => ErrorKind::Connect,
        }
    }
}

/// Resolves `host` with the system resolver (getaddrinfo through tokio), keeping only the
/// addresses of `source_address`'s family when one is set.
pub async fn resolve(host: &str, source_address: Option<IpAddr>) -> Result<Vec<IpAddr>, ResolveError> {
    let found = tokio::net::lookup_host((host, 0))
        .await
        .map_err(|e| ResolveError::Dns { host: host.to_owned(), reason: e.to_string() })?;
    let all: Vec<IpAddr> = found.map(|a| a.ip()).collect();
    if all.is_empty() {
        return Err(ResolveError::Dns { host: host.to_owned(), reason: "no addresses".into() });
    }
    match source_address {
        Some(source) => {
            let same: Vec<IpAddr> = all.into_iter().filter(|ip| ip.is_ipv4() == source.is_ipv4()).collect();
            if same.is_empty() {
                let family = if source.is_ipv4() { "IPv4" } else { "IPv6" };
                Err(ResolveError::WrongFamily { host: host.to_owned(), family, source_address: source })
            } else {
                Ok(same)
            }
        }
        None => Ok(all),
    }
}
