//! One check of one site, by the kind its URL names: HTTP (with its keyword rule), a TCP
//! connection or pings; timed and classified.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::http::{ClientError, HttpOutcome, HttpProbe, KeywordRule};
use super::ping::{PingError, Pinger};
use super::resolve;
use super::tcp;
use crate::db::models::site::Site;
use crate::domain::ping::PingStats;
use crate::domain::site_url::SiteUrl;
use crate::domain::status::ErrorKind;
use crate::domain::target::{Target, TargetHost};
use crate::domain::time::now_utc;
use crate::settings::Settings;

/// What one check saw.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeResult {
    pub checked_at: NaiveDateTime,
    pub status_code: Option<u16>,
    pub error: Option<ErrorKind>,
    pub response_ms: u32,
    pub up: bool,
    /// A ping check's figures.
    pub ping: Option<PingStats>,
    /// When the certificate of an https answer expires.
    pub tls_expires_at: Option<NaiveDateTime>,
}

impl ProbeResult {
    fn failed(checked_at: NaiveDateTime, error: ErrorKind) -> ProbeResult {
        ProbeResult {
            checked_at,
            status_code: None,
            error: Some(error),
            response_ms: 0,
            up: false,
            ping: None,
            tls_expires_at: None,
        }
    }

    /// A short description for logs: `200`, `timeout`, `200 keyword`, ...
    pub fn outcome(&self) -> String {
        match (self.status_code, self.error) {
            (Some(code), Some(kind)) => format!("{code} {kind}"),
            (Some(code), None) => code.to_string(),
            (None, Some(kind)) => kind.as_str().to_owned(),
            (None, None) if self.up => "up".to_owned(),
            (None, None) => "no answer".to_owned(),
        }
    }
}

/// Probes sites: the HTTP client and what the other kinds need from the settings.
#[derive(Clone)]
pub struct Prober {
    http: HttpProbe,
    timeout: Duration,
    source_address: Option<IpAddr>,
    ping_probes: u32,
    ping_gap: Duration,
    ping_down_loss_percent: u32,
}

impl Prober {
    pub fn new(settings: &Settings) -> Result<Prober, ClientError> {
        let check = &settings.check;
        Ok(Prober {
            http: HttpProbe::new(settings)?,
            timeout: Duration::from_secs(check.timeout_secs),
            source_address: check.source_address,
            ping_probes: check.ping_probes,
            ping_gap: Duration::from_millis(check.ping_gap_ms),
            ping_down_loss_percent: check.ping_down_loss_percent,
        })
    }

    pub fn source_address(&self) -> Option<IpAddr> {
        self.source_address
    }

    pub fn ping_gap(&self) -> Duration {
        self.ping_gap
    }

    /// HEAD (GET when HEAD is refused) of a plain URL: the sandbox's question.
    pub async fn probe(&self, url: &url::Url) -> ProbeResult {
        let checked_at = now_utc();
        let started = Instant::now();
        let outcome = self.http.check(url, None).await;
        http_result(checked_at, started, outcome)
    }

    /// Checks `site` as its URL says; ping sites use `pinger` (opened for the round).
    pub async fn check(&self, site: &Site, pinger: Option<&Pinger>) -> ProbeResult {
        let checked_at = now_utc();
        let started = Instant::now();
        let url = match SiteUrl::parse(&site.url) {
            Ok(url) => url,
            Err(error) => {
                tracing::warn!(site = %site.slug, %error, "the stored URL no longer parses");
                return ProbeResult::failed(checked_at, ErrorKind::Other);
            }
        };
        match url.target() {
            Target::Http(url) => {
                let rule = site.keyword.as_deref().map(|text| KeywordRule { text, absent: site.keyword_absent });
                http_result(checked_at, started, self.http.check(url, rule).await)
            }
            Target::Tcp { host, port } => {
                let outcome = tcp::connect(host, *port, self.timeout, self.source_address).await;
                let mut result = ProbeResult::failed(checked_at, ErrorKind::Other);
                result.response_ms = elapsed_ms(started);
                (result.error, result.up) = match outcome {
                    Ok(()) => (None, true),
                    Err(kind) => (Some(kind), false),
                };
                result
            }
            Target::Ping { host } => {
                let probes = site.probes.and_then(|p| u32::try_from(p).ok()).filter(|p| *p > 0);
                self.ping(checked_at, host, probes.unwrap_or(self.ping_probes), pinger).await
            }
        }
    }

    async fn ping(
        &self,
        checked_at: NaiveDateTime,
        host: &TargetHost,
        probes: u32,
        pinger: Option<&Pinger>,
    ) -> ProbeResult {
        let Some(pinger) = pinger else { return ProbeResult::failed(checked_at, ErrorKind::Other) };
        let addr = match host {
            TargetHost::Ip(ip) => *ip,
            TargetHost::Name(name) => match resolve::resolve(name, self.source_address).await {
                Ok(ips) => ips[0],
                Err(error) => return ProbeResult::failed(checked_at, error.kind()),
            },
        };
        match pinger.ping(addr, probes, self.ping_gap, self.timeout).await {
            Ok(stats) => {
                let up = stats.is_up(self.ping_down_loss_percent);
                let error = match (up, stats.received) {
                    (true, _) => None,
                    (false, 0) => Some(ErrorKind::Unreachable),
                    // Some replies, but more loss than `check.ping_down_loss_percent` allows.
                    (false, _) => Some(ErrorKind::Other),
                };
                ProbeResult {
                    checked_at,
                    status_code: None,
                    error,
                    response_ms: stats.response_ms(),
                    up,
                    ping: Some(stats),
                    tls_expires_at: None,
                }
            }
            Err(error) => {
                tracing::debug!(%addr, %error, "ping failed");
                let kind = match error {
                    PingError::NotPermitted => ErrorKind::Other,
                    PingError::NoSocket(..) | PingError::Send(..) => ErrorKind::Connect,
                };
                ProbeResult::failed(checked_at, kind)
            }
        }
    }
}

fn elapsed_ms(started: Instant) -> u32 {
    u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX)
}

fn http_result(checked_at: NaiveDateTime, started: Instant, outcome: HttpOutcome) -> ProbeResult {
    ProbeResult {
        checked_at,
        status_code: outcome.status_code,
        error: outcome.error,
        response_ms: elapsed_ms(started),
        up: outcome.up,
        ping: None,
        tls_expires_at: outcome.tls_expires_at,
    }
}
