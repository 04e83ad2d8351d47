//! One HTTP check: HEAD (GET when HEAD is refused), or GET and a search of the page for a site
//! with a keyword; the leaf certificate's expiry of every https answer.

use std::net::IpAddr;

use chrono::NaiveDateTime;
use reqwest::{Method, StatusCode};
use url::Url;

use super::certificate;
use super::classify::{classify, error_chain};
use crate::domain::keyword::KeywordScan;
use crate::domain::status::ErrorKind;
use crate::domain::target::TargetHost;

/// A keyword rule: the text, and whether it must be absent.
#[derive(Debug, Clone, Copy)]
pub struct KeywordRule<'a> {
    pub text: &'a str,
    pub absent: bool,
}

/// What an HTTP check saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOutcome {
    pub status_code: Option<u16>,
    pub error: Option<ErrorKind>,
    pub up: bool,
    pub tls_expires_at: Option<NaiveDateTime>,
}

impl HttpOutcome {
    fn failed(error: ErrorKind) -> HttpOutcome {
        HttpOutcome { status_code: None, error: Some(error), up: false, tls_expires_at: None }
    }
}

#[derive(Clone)]
pub struct HttpProbe {
    pub client: reqwest::Client,
    pub good_codes: Vec<u16>,
    pub keyword_max_bytes: u64,
    pub source_address: Option<IpAddr>,
}

impl HttpProbe {
    pub fn is_good(&self, status: StatusCode) -> bool {
        self.good_codes.contains(&status.as_u16())
    }

    pub async fn check(&self, url: &Url, keyword: Option<KeywordRule<'_>>) -> HttpOutcome {
        if self.wrong_family(url) {
            return HttpOutcome::failed(ErrorKind::Connect);
        }
        match keyword {
            None => self.status(url).await,
            Some(rule) => self.search(url, rule).await,
        }
    }

    /// An address literal of the other family than `check.source_address` cannot be reached
    /// from it (names are filtered by the resolver instead).
    fn wrong_family(&self, url: &Url) -> bool {
        let Some(source) = self.source_address else { return false };
        match url.host().map(TargetHost::from_url_host) {
            Some(TargetHost::Ip(ip)) => ip.is_ipv6() != source.is_ipv6(),
            _ => false,
        }
    }

    /// Asks with HEAD; a server that answers 405 or 501 is asked once more with GET, whose
    /// body is never read (the response is dropped after its headers).
    async fn status(&self, url: &Url) -> HttpOutcome {
        let mut outcome = self.request(Method::HEAD, url).await;
        if let Ok(response) = &outcome
            && matches!(response.status(), StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_IMPLEMENTED)
        {
            tracing::debug!(%url, status = %response.status(), "HEAD refused; asking again with GET");
            outcome = self.request(Method::GET, url).await;
        }
        match outcome {
            Ok(response) => HttpOutcome {
                status_code: Some(response.status().as_u16()),
                error: None,
                up: self.is_good(response.status()),
                tls_expires_at: certificate::of_response(&response),
            },
            Err(kind) => HttpOutcome::failed(kind),
        }
    }

    /// GET, then read the page as it comes until the keyword shows up or
    /// `check.keyword_max_bytes` have been read; the rest is never downloaded.
    async fn search(&self, url: &Url, rule: KeywordRule<'_>) -> HttpOutcome {
        let mut response = match self.request(Method::GET, url).await {
            Ok(response) => response,
            Err(kind) => return HttpOutcome::failed(kind),
        };
        let status = response.status();
        let mut outcome = HttpOutcome {
            status_code: Some(status.as_u16()),
            error: None,
            up: false,
            tls_expires_at: certificate::of_response(&response),
        };
        if !self.is_good(status) {
            return outcome;
        }
        let mut scan = KeywordScan::new(rule.text);
        let mut read: u64 = 0;
        while read < self.keyword_max_bytes {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = usize::try_from(self.keyword_max_bytes - read).unwrap_or(usize::MAX);
                    let part = &chunk[..chunk.len().min(room)];
                    read += part.len() as u64;
                    if scan.feed(part) {
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    let kind = classify(&error);
                    tracing::debug!(%url, kind = kind.as_str(), error = %error_chain(&error), "reading the page failed");
                    outcome.error = Some(kind);
                    return outcome;
                }
            }
        }
        drop(response);
        outcome.up = scan.found() != rule.absent;
        if !outcome.up {
            tracing::debug!(%url, read, found = scan.found(), absent = rule.absent, "keyword rule failed");
            outcome.error = Some(ErrorKind::Keyword);
        }
        outcome
    }

    async fn request(&self, method: Method, url: &Url) -> Result<reqwest::Response, ErrorKind> {
        self.client.request(method, url.clone()).send().await.map_err(|error| {
            let kind = classify(&error);
            tracing::debug!(%url, kind = kind.as_str(), error = %error_chain(&error), "check failed");
            kind
        })
    }
}
