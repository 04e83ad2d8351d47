//! One check of one URL: HEAD (GET when HEAD is refused), timed, classified.

use std::error::Error as StdError;
use std::io;
use std::time::Instant;

use chrono::NaiveDateTime;
use reqwest::{Method, StatusCode};

use super::client::{self, ClientError, DnsFailure};
use crate::domain::status::ErrorKind;
use crate::domain::time::now_utc;
use crate::settings::CheckSettings;

/// What one check saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResult {
    pub checked_at: NaiveDateTime,
    pub status_code: Option<u16>,
    pub error: Option<ErrorKind>,
    pub response_ms: u32,
}

impl ProbeResult {
    /// A short description for logs: `200`, `timeout`, ...
    pub fn outcome(&self) -> String {
        match (self.status_code, self.error) {
            (Some(code), _) => code.to_string(),
            (None, Some(kind)) => kind.as_str().to_owned(),
            (None, None) => "no answer".to_owned(),
        }
    }
}

#[derive(Clone)]
pub struct Prober {
    client: reqwest::Client,
    good_codes: Vec<u16>,
}

impl Prober {
    pub fn new(settings: &CheckSettings) -> Result<Prober, ClientError> {
        Ok(Prober { client: client::build(settings)?, good_codes: settings.good_codes.clone() })
    }

    pub fn is_up(&self, result: &ProbeResult) -> bool {
        result.status_code.is_some_and(|code| self.good_codes.contains(&code))
    }

    /// Asks with HEAD; a server that answers 405 or 501 is asked once more with GET, whose
    /// body is never read (the response is dropped after its headers).
    pub async fn probe(&self, url: &str) -> ProbeResult {
        let checked_at = now_utc();
        let started = Instant::now();
        let mut outcome = self.request(Method::HEAD, url).await;
        if let Ok(status) = outcome
            && (status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_IMPLEMENTED)
        {
            tracing::debug!(url, %status, "HEAD refused; asking again with GET");
            outcome = self.request(Method::GET, url).await;
        }
        let response_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        match outcome {
            Ok(status) => ProbeResult { checked_at, status_code: Some(status.as_u16()), error: None, response_ms },
            Err(error) => {
                let kind = classify(&error);
                tracing::debug!(url, kind = kind.as_str(), error = %error_chain(&error), "check failed");
                ProbeResult { checked_at, status_code: None, error: Some(kind), response_ms }
            }
        }
    }

    async fn request(&self, method: Method, url: &str) -> Result<StatusCode, reqwest::Error> {
        let response = self.client.request(method, url).send().await?;
        Ok(response.status())
    }
}

/// Sorts a failed request into the kinds people understand: timeout, dns, tls, connect, other.
pub fn classify(error: &reqwest::Error) -> ErrorKind {
    if error.is_timeout() {
        return ErrorKind::Timeout;
    }
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = source {
        if e.downcast_ref::<DnsFailure>().is_some() {
            return ErrorKind::Dns;
        }
        if e.downcast_ref::<rustls::Error>().is_some() {
            return ErrorKind::Tls;
        }
        if let Some(io_error) = e.downcast_ref::<io::Error>() {
            if let Some(kind) = wrapped_kind(io_error) {
                return kind;
            }
            match io_error.kind() {
                io::ErrorKind::TimedOut => return ErrorKind::Timeout,
                io::ErrorKind::ConnectionRefused
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::NotConnected
                | io::ErrorKind::AddrNotAvailable
                | io::ErrorKind::HostUnreachable
                | io::ErrorKind::NetworkUnreachable => return ErrorKind::Connect,
                _ => {}
            }
        }
        source = e.source();
    }
    if error.is_connect() {
        ErrorKind::Connect
    } else if error.is_redirect() {
        ErrorKind::Redirect
    } else {
        ErrorKind::Other
    }
}

/// TLS and DNS failures arrive wrapped in `io::Error`s, sometimes twice; `io::Error::source`
/// skips the wrapped error itself, so look inside explicitly.
fn wrapped_kind(io_error: &io::Error) -> Option<ErrorKind> {
    let mut inner = io_error.get_ref();
    while let Some(e) = inner {
        if e.downcast_ref::<rustls::Error>().is_some() {
            return Some(ErrorKind::Tls);
        }
        if e.downcast_ref::<DnsFailure>().is_some() {
            return Some(ErrorKind::Dns);
        }
        inner = e.downcast_ref::<io::Error>().and_then(io::Error::get_ref);
    }
    None
}

/// The error and its causes on one line, for logs.
fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}
