//! The address of a watched site: an absolute http(s) URL with a host, `tcp://HOST:PORT` or
//! `ping://HOST`. The scheme names the kind of check (see `target`).

use std::fmt;

use url::Url;

use super::target::{CheckKind, Target, TargetHost};

pub const MAX_URL_LEN: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    url: Url,
    target: Target,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SiteUrlError {
    #[error("a URL cannot be empty")]
    Empty,
    #[error("a URL is at most {MAX_URL_LEN} characters")]
    TooLong,
    #[error(
        "`{0}` is not a URL: {1} (write it in full, e.g. https://example.com/, tcp://example.com:22 or ping://example.com)"
    )]
    Malformed(String, String),
    #[error("`{0}` uses `{1}:`; sites are watched over http, https, tcp or ping")]
    Scheme(String, String),
    #[error("`{0}` has no host name")]
    NoHost(String),
    #[error("a URL cannot contain control characters (such as NUL or a line break)")]
    ControlCharacter,
    #[error("`{0}` has no port: a TCP check needs one, e.g. tcp://example.com:22")]
    NoPort(String),
    #[error("`{0}`: port 0 cannot be connected to")]
    ZeroPort(String),
    #[error("`{0}`: ping has no port; write ping://HOST")]
    PingPort(String),
    #[error("`{0}`: a {1} target is a host{2} only, without a path, query or fragment")]
    Path(String, &'static str, &'static str),
    #[error("`{0}`: a {1} target cannot carry a user name or password")]
    Credentials(String, &'static str),
    #[error("`{0}`: `{1}` is not a valid host name: {2}")]
    BadHost(String, String, String),
}

impl SiteUrl {
    pub fn parse(raw: &str) -> Result<SiteUrl, SiteUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(SiteUrlError::Empty);
        }
        if raw.len() > MAX_URL_LEN {
            return Err(SiteUrlError::TooLong);
        }
        if raw.chars().any(char::is_control) {
            return Err(SiteUrlError::ControlCharacter);
        }
        let url = Url::parse(raw).map_err(|e| match e {
            url::ParseError::EmptyHost => SiteUrlError::NoHost(raw.to_owned()),
            other => SiteUrlError::Malformed(raw.to_owned(), other.to_string()),
        })?;
        match url.scheme() {
            "http" | "https" => match url.host() {
                Some(url::Host::Domain("")) | None => Err(SiteUrlError::NoHost(raw.to_owned())),
                Some(_) => Ok(SiteUrl { target: Target::Http(url.clone()), url }),
            },
            "tcp" => host_only(raw, &url, CheckKind::Tcp),
            "ping" => host_only(raw, &url, CheckKind::Ping),
            other => Err(SiteUrlError::Scheme(raw.to_owned(), other.to_owned())),
        }
    }

    /// Reads a target the way a YAML `targets` list names it: a bare host (`example.com`,
    /// `8.8.8.8`) is pinged, so it means `ping://HOST`; anything with a scheme is parsed as it
    /// is.
    pub fn parse_host_or_url(raw: &str) -> Result<SiteUrl, SiteUrlError> {
        let raw = raw.trim();
        if raw.contains("://") { SiteUrl::parse(raw) } else { SiteUrl::parse(&format!("ping://{raw}")) }
    }

    /// The host as written in the URL (IPv6 addresses in brackets).
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    pub fn kind(&self) -> CheckKind {
        self.target.kind()
    }

    pub fn target(&self) -> &Target {
        &self.target
    }
}

/// A `tcp://` or `ping://` URL: a host (and for TCP a port), nothing else. Returns it in its
/// canonical form, so the same target is never stored twice under two spellings.
fn host_only(raw: &str, url: &Url, kind: CheckKind) -> Result<SiteUrl, SiteUrlError> {
    let word = kind.as_str();
    let what = if kind == CheckKind::Tcp { " and port" } else { "" };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SiteUrlError::Credentials(raw.to_owned(), word));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(SiteUrlError::Path(raw.to_owned(), word, what));
    }
    let host = match url.host() {
        None | Some(url::Host::Domain("")) => return Err(SiteUrlError::NoHost(raw.to_owned())),
        // Outside http(s) the URL standard keeps hosts opaque: parse them as http does, so
        // names are checked and lower-cased and dotted quads are read as IPv4 addresses.
        Some(url::Host::Domain(opaque)) => {
            let decoded = percent_decode(opaque);
            let parsed = url::Host::parse(&decoded)
                .map_err(|e| SiteUrlError::BadHost(raw.to_owned(), decoded.clone(), e.to_string()))?;
            TargetHost::from_url_host(match &parsed {
                url::Host::Domain(name) => url::Host::Domain(name.as_str()),
                url::Host::Ipv4(ip) => url::Host::Ipv4(*ip),
                url::Host::Ipv6(ip) => url::Host::Ipv6(*ip),
            })
        }
        Some(other) => TargetHost::from_url_host(other),
    };
    let (canonical, target) = match (kind, url.port()) {
        (CheckKind::Tcp, None) => return Err(SiteUrlError::NoPort(raw.to_owned())),
        (CheckKind::Tcp, Some(0)) => return Err(SiteUrlError::ZeroPort(raw.to_owned())),
        (CheckKind::Tcp, Some(port)) => (format!("tcp://{host}:{port}"), Target::Tcp { host, port }),
        (_, Some(_)) => return Err(SiteUrlError::PingPort(raw.to_owned())),
        (_, None) => (format!("ping://{host}"), Target::Ping { host }),
    };
    let url = Url::parse(&canonical).map_err(|e| SiteUrlError::Malformed(raw.to_owned(), e.to_string()))?;
    Ok(SiteUrl { url, target })
}

/// Undoes the percent-encoding the URL parser applies to opaque hosts (`b%C3%BCcher.de`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl fmt::Display for SiteUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::*;

    fn ip(text: &str) -> TargetHost {
        TargetHost::Ip(text.parse::<IpAddr>().unwrap())
    }

    #[test]
    fn absolute_http_urls_with_a_host_are_accepted() {
        let url = SiteUrl::parse("https://example.com").unwrap();
        assert_eq!(url.as_str(), "https://example.com/");
        assert_eq!(url.kind(), CheckKind::Http);
        assert!(url.target().is_https());
        assert_eq!(SiteUrl::parse(" http://127.0.0.1:8080/health ").unwrap().host(), "127.0.0.1");
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        assert_eq!(SiteUrl::parse(""), Err(SiteUrlError::Empty));
        assert!(matches!(SiteUrl::parse("example.com"), Err(SiteUrlError::Malformed(..))));
        assert!(matches!(SiteUrl::parse("/relative/path"), Err(SiteUrlError::Malformed(..))));
        assert!(matches!(SiteUrl::parse("ftp://example.com/"), Err(SiteUrlError::Scheme(..))));
        assert!(matches!(SiteUrl::parse("mailto:a@example.com"), Err(SiteUrlError::Scheme(..))));
        assert!(matches!(SiteUrl::parse("http://"), Err(SiteUrlError::NoHost(..))));
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(SiteUrl::parse(&long), Err(SiteUrlError::TooLong));
    }

    #[test]
    fn tcp_targets_are_a_host_and_a_port() {
        let url = SiteUrl::parse("tcp://DB.Example.com:5432").unwrap();
        assert_eq!(url.as_str(), "tcp://db.example.com:5432");
        assert_eq!(url.kind(), CheckKind::Tcp);
        assert_eq!(url.target(), &Target::Tcp { host: TargetHost::Name("db.example.com".into()), port: 5432 });
        assert_eq!(url.host(), "db.example.com");
        let v4 = SiteUrl::parse("tcp://127.0.0.1:22/").unwrap();
        assert_eq!(v4.as_str(), "tcp://127.0.0.1:22");
        assert_eq!(v4.target(), &Target::Tcp { host: ip("127.0.0.1"), port: 22 });
        let v6 = SiteUrl::parse("tcp://[::1]:22").unwrap();
        assert_eq!(v6.as_str(), "tcp://[::1]:22");
        assert_eq!(v6.target(), &Target::Tcp { host: ip("::1"), port: 22 });
        assert!(!v6.target().is_https());
    }

    #[test]
    fn ping_targets_are_a_host() {
        let url = SiteUrl::parse("ping://Example.com").unwrap();
        assert_eq!(url.as_str(), "ping://example.com");
        assert_eq!(url.kind(), CheckKind::Ping);
        assert_eq!(url.target(), &Target::Ping { host: TargetHost::Name("example.com".into()) });
        assert_eq!(SiteUrl::parse("ping://8.8.8.8").unwrap().target(), &Target::Ping { host: ip("8.8.8.8") });
        let v6 = SiteUrl::parse("ping://[::1]").unwrap();
        assert_eq!(v6.as_str(), "ping://[::1]");
        assert_eq!(v6.target(), &Target::Ping { host: ip("::1") });
        assert_eq!(v6.host(), "[::1]");
    }

    #[test]
    fn bad_tcp_and_ping_targets_say_what_is_wrong() {
        assert_eq!(SiteUrl::parse("tcp://example.com"), Err(SiteUrlError::NoPort("tcp://example.com".into())));
        assert_eq!(SiteUrl::parse("tcp://example.com:0"), Err(SiteUrlError::ZeroPort("tcp://example.com:0".into())));
        assert!(matches!(SiteUrl::parse("tcp://example.com:70000"), Err(SiteUrlError::Malformed(..))));
        assert_eq!(
            SiteUrl::parse("ping://example.com:80"),
            Err(SiteUrlError::PingPort("ping://example.com:80".into()))
        );
        assert_eq!(SiteUrl::parse("ping://"), Err(SiteUrlError::NoHost("ping://".into())));
        assert_eq!(SiteUrl::parse("tcp://:22"), Err(SiteUrlError::NoHost("tcp://:22".into())));
        assert!(matches!(SiteUrl::parse("tcp://example.com:22/db"), Err(SiteUrlError::Path(..))));
        assert!(matches!(SiteUrl::parse("ping://example.com/x"), Err(SiteUrlError::Path(..))));
        assert!(matches!(SiteUrl::parse("ping://example.com?x=1"), Err(SiteUrlError::Path(..))));
        assert!(matches!(SiteUrl::parse("tcp://user:pw@example.com:22"), Err(SiteUrlError::Credentials(..))));
        assert!(matches!(
            SiteUrl::parse("ping://exa mple.com"),
            Err(SiteUrlError::Malformed(..) | SiteUrlError::BadHost(..))
        ));
        assert!(matches!(SiteUrl::parse("ping://[::1"), Err(SiteUrlError::Malformed(..))));
        let message = SiteUrl::parse("ping://example.com:80").unwrap_err().to_string();
        assert!(message.contains("ping has no port"), "{message}");
        let message = SiteUrl::parse("tcp://example.com").unwrap_err().to_string();
        assert!(message.contains("no port"), "{message}");
    }

    #[test]
    fn bare_hosts_become_ping_targets() {
        assert_eq!(SiteUrl::parse_host_or_url("example.com").unwrap().as_str(), "ping://example.com");
        assert_eq!(SiteUrl::parse_host_or_url("8.8.8.8").unwrap().as_str(), "ping://8.8.8.8");
        assert_eq!(SiteUrl::parse_host_or_url("8.8.8.8").unwrap().kind(), CheckKind::Ping);
        assert_eq!(
            SiteUrl::parse_host_or_url("http://another.target.io/x").unwrap().as_str(),
            "http://another.target.io/x"
        );
        assert!(SiteUrl::parse_host_or_url("not a host").is_err());
        assert!(SiteUrl::parse_host_or_url("example.com:80").is_err());
    }

    #[test]
    fn international_names_are_stored_in_their_ascii_form() {
        assert_eq!(SiteUrl::parse("ping://bücher.de").unwrap().as_str(), "ping://xn--bcher-kva.de");
    }
}
