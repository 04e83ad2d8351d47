//! TLS set-up shared by every outgoing connection: rustls with the `ring` provider.

/// Installs `ring` as the process's rustls provider; harmless when one is installed already.
/// Must run before the first HTTP client or TLS connection is built.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
