//! The HTTP client the checker probes with: no redirects, a whole-exchange timeout, our user
//! agent, and a DNS resolver whose failures can be told apart from refused connections.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::settings::CheckSettings;

/// A host name that did not resolve. The checker finds it in an error's source chain to report
/// `dns` rather than `connect` (reqwest's own resolver reports both as connect errors).
#[derive(Debug, thiserror::Error)]
#[error("cannot resolve host `{host}`: {reason}")]
pub struct DnsFailure {
    pub host: String,
    pub reason: String,
}

/// The system resolver (getaddrinfo through tokio), with failures typed as `DnsFailure`.
struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup =
                tokio::net::lookup_host((host.as_str(), 0)).await.map(|found| found.collect::<Vec<SocketAddr>>());
            match lookup {
                Ok(addrs) => {
                    if addrs.is_empty() {
                        return Err(Box::new(DnsFailure { host, reason: "no addresses".into() }) as _);
                    }
                    Ok(Box::new(addrs.into_iter()) as Addrs)
                }
                Err(e) => Err(Box::new(DnsFailure { host, reason: e.to_string() }) as _),
            }
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct ClientError(String);

pub fn build(settings: &CheckSettings) -> Result<reqwest::Client, ClientError> {
    crate::tls::install_crypto_provider();
    let timeout = Duration::from_secs(settings.timeout_secs);
    reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .dns_resolver(Arc::new(SystemResolver))
        // Sites are mostly distinct hosts and the process ends with the round, so idle
        // keep-alive connections would only hold memory (thousands of them at 10,000 sites).
        .pool_max_idle_per_host(0)
        .build()
        .map_err(|e| ClientError(e.to_string()))
}
