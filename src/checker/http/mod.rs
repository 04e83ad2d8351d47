//! One HTTP check: HEAD (GET when HEAD is refused), or GET and a search of the page for a site
//! with a keyword; the leaf certificate's expiry of every https answer.

mod exchange;
mod trust;

use std::time::Duration;

use chrono::NaiveDateTime;
use hyper::header::HeaderValue;
use hyper::{Method, StatusCode};
use tokio::time::Instant;
use url::Url;

use self::exchange::{Answer, Client};
pub use self::trust::ClientError;
use crate::domain::keyword::KeywordScan;
use crate::domain::status::ErrorKind;
use crate::settings::Settings;

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

    fn answered(answer: &Answer, up: bool) -> HttpOutcome {
        HttpOutcome {
            status_code: Some(answer.status.as_u16()),
            error: None,
            up,
            tls_expires_at: answer.tls_expires_at,
        }
    }
}

#[derive(Clone)]
pub struct HttpProbe {
    client: Client,
    timeout: Duration,
    good_codes: Vec<u16>,
    keyword_max_bytes: u64,
}

impl HttpProbe {
    pub fn new(settings: &Settings) -> Result<HttpProbe, ClientError> {
        let check = &settings.check;
        let user_agent = HeaderValue::try_from(check.user_agent.as_str())
            .map_err(|_| ClientError::new("check.user_agent cannot be sent as a header"))?;
        Ok(HttpProbe {
            client: Client {
                tls: trust::client_config(settings)?.into(),
                user_agent,
                source_address: check.source_address,
            },
            timeout: Duration::from_secs(check.timeout_secs),
            good_codes: check.good_codes.clone(),
            keyword_max_bytes: check.keyword_max_bytes,
        })
    }

    fn is_good(&self, status: StatusCode) -> bool {
        self.good_codes.contains(&status.as_u16())
    }

    /// Checks `url`, all of it (a HEAD refused and asked again included) within `timeout_secs`.
    pub async fn check(&self, url: &Url, keyword: Option<KeywordRule<'_>>) -> HttpOutcome {
        let deadline = Instant::now() + self.timeout;
        match keyword {
            None => self.status(url, deadline).await,
            Some(rule) => self.search(url, rule, deadline).await,
        }
    }

    /// Asks with HEAD; a server that answers 405 or 501 is asked once more with GET, whose
    /// body is never read (the response is dropped after its headers).
    async fn status(&self, url: &Url, deadline: Instant) -> HttpOutcome {
        let mut outcome = self.request(Method::HEAD, url, deadline).await;
        if let Ok(answer) = &outcome
            && matches!(answer.status, StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_IMPLEMENTED)
        {
            tracing::debug!(%url, status = %answer.status, "HEAD refused; asking again with GET");
            // The refused answer's connection is closed before the GET opens another.
            drop(outcome);
            outcome = self.request(Method::GET, url, deadline).await;
        }
        match outcome {
            Ok(answer) => HttpOutcome::answered(&answer, self.is_good(answer.status)),
            Err(kind) => HttpOutcome::failed(kind),
        }
    }

    /// GET, then read the page as it comes until the keyword shows up or
    /// `check.keyword_max_bytes` have been read; the rest is never downloaded.
    async fn search(&self, url: &Url, rule: KeywordRule<'_>, deadline: Instant) -> HttpOutcome {
        let mut answer = match self.request(Method::GET, url, deadline).await {
            Ok(answer) => answer,
            Err(kind) => return HttpOutcome::failed(kind),
        };
        let mut outcome = HttpOutcome::answered(&answer, false);
        if !self.is_good(answer.status) {
            return outcome;
        }
        let mut scan = KeywordScan::new(rule.text);
        let mut read: u64 = 0;
        while read < self.keyword_max_bytes {
            match answer.chunk().await {
                Ok(Some(chunk)) => {
                    let room = usize::try_from(self.keyword_max_bytes - read).unwrap_or(usize::MAX);
                    let part = &chunk[..chunk.len().min(room)];
                    read += part.len() as u64;
                    if scan.feed(part) {
                        break;
                    }
                }
                Ok(None) => break,
                Err(failure) => {
                    tracing::debug!(%url, kind = failure.kind.as_str(), error = %failure.detail, "reading the page failed");
                    outcome.error = Some(failure.kind);
                    return outcome;
                }
            }
        }
        drop(answer);
        outcome.up = scan.found() != rule.absent;
        if !outcome.up {
            tracing::debug!(%url, read, found = scan.found(), absent = rule.absent, "keyword rule failed");
            outcome.error = Some(ErrorKind::Keyword);
        }
        outcome
    }

    async fn request(&self, method: Method, url: &Url, deadline: Instant) -> Result<Answer, ErrorKind> {
        self.client.request(method, url, deadline).await.map_err(|failure| {
            tracing::debug!(%url, kind = failure.kind.as_str(), error = %failure.detail, "check failed");
            failure.kind
        })
    }
}
