//! What a site's URL asks the checker to do: an HTTP request, a TCP connection or pings.

use std::fmt;
use std::net::IpAddr;

use url::Url;

/// The kind of check a site gets, derived from its URL's scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    Http,
    Tcp,
    Ping,
}

impl CheckKind {
    pub const ALL: [CheckKind; 3] = [CheckKind::Http, CheckKind::Tcp, CheckKind::Ping];

    /// The word shown in JSON (`kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Http => "http",
            CheckKind::Tcp => "tcp",
            CheckKind::Ping => "ping",
        }
    }

    pub fn parse(word: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|kind| kind.as_str() == word)
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A host to connect to or ping: a name to resolve, or an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TargetHost {
    Name(String),
    Ip(IpAddr),
}

impl fmt::Display for TargetHost {
    /// As written in a URL: IPv6 addresses in brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetHost::Name(name) => f.write_str(name),
            TargetHost::Ip(IpAddr::V4(ip)) => write!(f, "{ip}"),
            TargetHost::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
        }
    }
}

impl TargetHost {
    pub(crate) fn from_url_host(host: url::Host<&str>) -> TargetHost {
        match host {
            url::Host::Domain(name) => TargetHost::Name(name.to_owned()),
            url::Host::Ipv4(ip) => TargetHost::Ip(IpAddr::V4(ip)),
            url::Host::Ipv6(ip) => TargetHost::Ip(IpAddr::V6(ip)),
        }
    }
}

/// What one check of a site does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `http://…`, `https://…`: a request.
    Http(Url),
    /// `tcp://HOST:PORT`: a connection, accepted or not.
    Tcp { host: TargetHost, port: u16 },
    /// `ping://HOST`: ICMP echo requests.
    Ping { host: TargetHost },
}

impl Target {
    pub fn kind(&self) -> CheckKind {
        match self {
            Target::Http(_) => CheckKind::Http,
            Target::Tcp { .. } => CheckKind::Tcp,
            Target::Ping { .. } => CheckKind::Ping,
        }
    }

    /// True for `https://` targets, whose certificates are watched.
    pub fn is_https(&self) -> bool {
        matches!(self, Target::Http(url) if url.scheme() == "https")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_words() {
        for kind in CheckKind::ALL {
            assert_eq!(CheckKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CheckKind::parse("smtp"), None);
    }

    #[test]
    fn hosts_display_as_in_a_url() {
        assert_eq!(TargetHost::Name("example.com".into()).to_string(), "example.com");
        assert_eq!(TargetHost::Ip("127.0.0.1".parse().unwrap()).to_string(), "127.0.0.1");
        assert_eq!(TargetHost::Ip("::1".parse().unwrap()).to_string(), "[::1]");
    }
}
