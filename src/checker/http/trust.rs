//! The TLS set-up of https checks: the platform's trusted roots plus those of
//! `check.tls_ca_file`, HTTP/1.1 offered by ALPN.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls_platform_verifier::Verifier;

use crate::settings::Settings;

#[derive(Debug, thiserror::Error)]
#[error("cannot set up the checks' TLS: {0}")]
pub struct ClientError(String);

impl ClientError {
    pub fn new(reason: impl Into<String>) -> ClientError {
        ClientError(reason.into())
    }
}

pub fn client_config(settings: &Settings) -> Result<Arc<ClientConfig>, ClientError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // The platform's roots, and those of `check.tls_ca_file` when it is set.
    let verifier = Verifier::new_with_extra_roots(extra_roots(settings)?, Arc::clone(&provider))
        .map_err(|e| ClientError(format!("check.tls_ca_file: {e}")))?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The certificates of `check.tls_ca_file`, none when it is not set.
fn extra_roots(settings: &Settings) -> Result<Vec<CertificateDer<'static>>, ClientError> {
    let Some(path) = settings.tls_ca_path() else { return Ok(Vec::new()) };
    let pem = std::fs::read(&path)
        .map_err(|e| ClientError(format!("check.tls_ca_file: cannot read {}: {e}", path.display())))?;
    // Settings validation has made sure it holds a CERTIFICATE block.
    CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ClientError(format!("check.tls_ca_file: {} is not PEM certificates: {e}", path.display())))
}
