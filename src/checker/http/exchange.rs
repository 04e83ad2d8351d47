//! One HTTP/1.1 request on a connection of its own: the connection opened by `tcp::open_to`
//! (which resolves the host, leaves from `check.source_address` and refuses an address of the
//! other family, the local port picked at connect time), TLS
//! for https with the leaf certificate noted, then the request and its answer, whose body is
//! read only as far as the caller asks. Redirects are answers like any other. The connection
//! closes when the answer is dropped.

use std::net::IpAddr;

use base64::Engine;
use chrono::NaiveDateTime;
use http_body_util::{BodyExt, Empty};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ACCEPT, AUTHORIZATION, HOST, HeaderValue, USER_AGENT};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout_at};
use tokio_rustls::TlsConnector;
use url::{Host, Position, Url};

use super::super::certificate;
use super::super::classify::{classify, error_chain};
use super::super::tcp;
use crate::domain::status::ErrorKind;
use crate::domain::target::TargetHost;

/// A request that got no answer: the kind the check records, and what happened, for the log.
#[derive(Debug)]
pub struct Failure {
    pub kind: ErrorKind,
    pub detail: String,
}

impl Failure {
    fn new(kind: ErrorKind, detail: impl Into<String>) -> Failure {
        Failure { kind, detail: detail.into() }
    }

    fn of(error: &(dyn std::error::Error + 'static), fallback: ErrorKind) -> Failure {
        Failure::new(classify(error, fallback), error_chain(error))
    }

    fn timeout() -> Failure {
        Failure::new(ErrorKind::Timeout, "no answer within check.timeout_secs")
    }
}

/// How checks ask: the TLS set-up, the user agent and the address to leave from.
#[derive(Clone)]
pub struct Client {
    pub tls: TlsConnector,
    pub user_agent: HeaderValue,
    pub source_address: Option<IpAddr>,
}

/// An answer's status line and certificate; its body is read on demand.
pub struct Answer {
    pub status: StatusCode,
    pub tls_expires_at: Option<NaiveDateTime>,
    body: Incoming,
    deadline: Instant,
    _connection: Driver,
}

/// The task that drives the connection; aborting it closes the connection.
struct Driver(JoinHandle<()>);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.abort();
    }
}

trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

impl Client {
    /// Sends `method url` and waits for the answer's head, all before `deadline`.
    pub async fn request(&self, method: Method, url: &Url, deadline: Instant) -> Result<Answer, Failure> {
        timeout_at(deadline, self.exchange(method, url, deadline)).await.unwrap_or_else(|_| Err(Failure::timeout()))
    }

    async fn exchange(&self, method: Method, url: &Url, deadline: Instant) -> Result<Answer, Failure> {
        let host = url.host().ok_or_else(|| Failure::new(ErrorKind::Other, "the URL names no host"))?;
        let port =
            url.port_or_known_default().ok_or_else(|| Failure::new(ErrorKind::Other, "the URL names no port"))?;
        let tcp = tcp::open_to(&TargetHost::from_url_host(host.clone()), port, self.source_address)
            .await
            .map_err(|kind| Failure::new(kind, format!("cannot open a connection to {host}:{port}")))?;
        let (stream, tls_expires_at): (Box<dyn Stream>, _) = if url.scheme() == "https" {
            let tls =
                self.tls.connect(server_name(&host)?, tcp).await.map_err(|e| Failure::of(&e, ErrorKind::Connect))?;
            let leaf = tls.get_ref().1.peer_certificates().and_then(|chain| chain.first());
            let expires = leaf.and_then(|der| certificate::not_after(der));
            (Box::new(tls), expires)
        } else {
            (Box::new(tcp), None)
        };

        let (mut sender, connection) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
            .await
            .map_err(|e| Failure::of(&e, ErrorKind::Other))?;
        let driver = Driver(tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::trace!(error = %error_chain(&error), "connection ended with an error");
            }
        }));
        let response =
            sender.send_request(self.request_for(method, url)?).await.map_err(|e| Failure::of(&e, ErrorKind::Other))?;
        Ok(Answer {
            status: response.status(),
            tls_expires_at,
            body: response.into_body(),
            deadline,
            _connection: driver,
        })
    }

    fn request_for(&self, method: Method, url: &Url) -> Result<Request<Empty<Bytes>>, Failure> {
        let mut request = Request::builder()
            .method(method)
            .uri(&url[Position::BeforePath..Position::AfterQuery])
            .header(HOST, &url[Position::BeforeHost..Position::AfterPort])
            .header(USER_AGENT, self.user_agent.clone())
            .header(ACCEPT, "*/*");
        if let Some(credentials) = basic_auth(url) {
            request = request.header(AUTHORIZATION, credentials);
        }
        request.body(Empty::new()).map_err(|e| Failure::new(ErrorKind::Other, format!("cannot form the request: {e}")))
    }
}

impl Answer {
    /// The next piece of the body; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Failure> {
        let body = &mut self.body;
        let next = async {
            loop {
                match body.frame().await {
                    None => return Ok(None),
                    Some(Err(error)) => return Err(Failure::of(&error, ErrorKind::Other)),
                    Some(Ok(frame)) => {
                        // Trailers carry no page text.
                        if let Ok(data) = frame.into_data() {
                            return Ok(Some(data));
                        }
                    }
                }
            }
        };
        timeout_at(self.deadline, next).await.unwrap_or_else(|_| Err(Failure::timeout()))
    }
}

/// The name TLS checks the certificate against: the host name, or the address it was given.
fn server_name(host: &Host<&str>) -> Result<ServerName<'static>, Failure> {
    match host {
        Host::Domain(name) => ServerName::try_from(name.to_string())
            .map_err(|e| Failure::new(ErrorKind::Tls, format!("`{name}` cannot be a TLS server name: {e}"))),
        Host::Ipv4(ip) => Ok(ServerName::from(IpAddr::V4(*ip))),
        Host::Ipv6(ip) => Ok(ServerName::from(IpAddr::V6(*ip))),
    }
}

/// A user name and password in the URL, sent as HTTP Basic credentials.
fn basic_auth(url: &Url) -> Option<HeaderValue> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |part: &str| percent_decode_str(part).decode_utf8_lossy().into_owned();
    let pair = format!("{}:{}", decode(url.username()), url.password().map(decode).unwrap_or_default());
    let mut value =
        HeaderValue::try_from(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))).ok()?;
    value.set_sensitive(true);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_url_become_basic_auth() {
        let url = Url::parse("http://al%20ice:p%40ss@example.com/").unwrap();
        let value = basic_auth(&url).unwrap();
        assert_eq!(
            value.to_str().unwrap(),
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("al ice:p@ss"))
        );
        assert!(value.is_sensitive());
        assert_eq!(basic_auth(&Url::parse("http://example.com/").unwrap()), None);
    }

    #[test]
    fn the_server_name_is_the_host_or_its_address() {
        let url = Url::parse("https://[::1]:8443/").unwrap();
        assert!(matches!(server_name(&url.host().unwrap()), Ok(ServerName::IpAddress(_))));
        let url = Url::parse("https://example.com/").unwrap();
        assert!(matches!(server_name(&url.host().unwrap()), Ok(ServerName::DnsName(_))));
    }
}
