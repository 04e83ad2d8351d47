//! HTTPS servers on 127.0.0.1 with certificates from a test CA, expiring when a test says, and
//! replaceable while the server runs (a renewal).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// A private CA whose PEM the checker trusts through `check.tls_ca_file`.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pub pem: String,
}

/// Seconds since 1970 of `now + offset` (offset may be negative).
fn unix_seconds(offset: chrono::TimeDelta) -> u64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    u64::try_from(now + offset.num_seconds()).expect("after 1970")
}

impl TestCa {
    pub fn new() -> TestCa {
        sitewatch::tls::install_crypto_provider();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, "sitewatch test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate().unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        TestCa { issuer: Issuer::new(params, key), pem }
    }

    /// A server configuration for localhost and 127.0.0.1 whose certificate expires `expires_in`
    /// from now (in the past when negative).
    pub fn server_config(&self, expires_in: chrono::TimeDelta) -> Arc<rustls::ServerConfig> {
        let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let epoch = rcgen::date_time_ymd(1970, 1, 1);
        let not_before = unix_seconds(expires_in.min(chrono::TimeDelta::zero()) - chrono::TimeDelta::days(30));
        params.not_before = epoch + Duration::from_secs(not_before);
        params.not_after = epoch + Duration::from_secs(unix_seconds(expires_in));
        let key = KeyPair::generate().unwrap();
        let certificate = params.signed_by(&key, &self.issuer).unwrap();
        let key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![certificate.der().clone()], key)
            .expect("a TLS config");
        Arc::new(config)
    }
}

/// Answers every request with `200 ok` over TLS, with whichever certificate is current.
pub struct HttpsServer {
    pub addr: SocketAddr,
    config: Arc<Mutex<Arc<rustls::ServerConfig>>>,
}

impl HttpsServer {
    pub fn start(config: Arc<rustls::ServerConfig>) -> HttpsServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an HTTPS test server");
        let addr = listener.local_addr().unwrap();
        let config = Arc::new(Mutex::new(config));
        let current = Arc::clone(&config);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let config = Arc::clone(&current.lock().unwrap());
                thread::spawn(move || {
                    let Ok(session) = rustls::ServerConnection::new(config) else { return };
                    let mut tls = rustls::StreamOwned::new(session, stream);
                    let head_read = {
                        let mut reader = BufReader::new(&mut tls);
                        let mut line = String::new();
                        // The request head ends with an empty line; a failed handshake ends it sooner.
                        loop {
                            line.clear();
                            match reader.read_line(&mut line) {
                                Ok(0) | Err(_) => break false,
                                Ok(_) if line == "\r\n" || line == "\n" => break true,
                                Ok(_) => {}
                            }
                        }
                    };
                    if head_read {
                        let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                        tls.conn.send_close_notify();
                        let _ = tls.flush();
                    }
                });
            }
        });
        HttpsServer { addr, config }
    }

    /// Serves `config` from the next connection on.
    pub fn replace_certificate(&self, config: Arc<rustls::ServerConfig>) {
        *self.config.lock().unwrap() = config;
    }

    pub fn url(&self) -> String {
        format!("https://localhost:{}/", self.addr.port())
    }
}
