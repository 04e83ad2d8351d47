//! A self-signed certificate for 127.0.0.1 and localhost, and a rustls server config for it.

use std::sync::Arc;

pub struct TestCert {
    /// The certificate in PEM, for the client to trust (e.g. `[email] ca_file`).
    pub pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
}

impl TestCert {
    pub fn new() -> Arc<TestCert> {
        sitewatch::tls::install_crypto_provider();
        let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        let certified = rcgen::generate_simple_self_signed(names).expect("a certificate");
        let key = rustls::pki_types::PrivateKeyDer::try_from(certified.signing_key.serialize_der()).expect("a key");
        let server_config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .expect("a TLS config");
        Arc::new(TestCert { pem: certified.cert.pem(), server_config: Arc::new(server_config) })
    }
}
