//! The address of a watched site: an absolute http(s) URL with a host.

use std::fmt;

use url::Url;

pub const MAX_URL_LEN: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl(Url);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SiteUrlError {
    #[error("a URL cannot be empty")]
    Empty,
    #[error("a URL is at most {MAX_URL_LEN} characters")]
    TooLong,
    #[error("`{0}` is not a URL: {1} (write it in full, e.g. https://example.com/)")]
    Malformed(String, String),
    #[error("`{0}` uses `{1}:`; only http and https sites can be watched")]
    Scheme(String, String),
    #[error("`{0}` has no host name")]
    NoHost(String),
    #[error("a URL cannot contain control characters (such as NUL or a line break)")]
    ControlCharacter,
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
        let url = Url::parse(raw).map_err(|e| SiteUrlError::Malformed(raw.to_owned(), e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(SiteUrlError::Scheme(raw.to_owned(), url.scheme().to_owned()));
        }
        match url.host_str() {
            Some(host) if !host.is_empty() => Ok(SiteUrl(url)),
            _ => Err(SiteUrlError::NoHost(raw.to_owned())),
        }
    }

    /// Reads a target the way a YAML `targets` list names it: a bare host (`example.com`,
    /// `8.8.8.8`) means `https://HOST/`; anything with a scheme is parsed as it is.
    pub fn parse_host_or_url(raw: &str) -> Result<SiteUrl, SiteUrlError> {
        let raw = raw.trim();
        if raw.contains("://") { SiteUrl::parse(raw) } else { SiteUrl::parse(&format!("https://{raw}/")) }
    }

    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for SiteUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_http_urls_with_a_host_are_accepted() {
        assert_eq!(SiteUrl::parse("https://example.com").unwrap().as_str(), "https://example.com/");
        assert_eq!(SiteUrl::parse(" http://127.0.0.1:8080/health ").unwrap().host(), "127.0.0.1");
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        assert_eq!(SiteUrl::parse(""), Err(SiteUrlError::Empty));
        assert!(matches!(SiteUrl::parse("example.com"), Err(SiteUrlError::Malformed(..))));
        assert!(matches!(SiteUrl::parse("/relative/path"), Err(SiteUrlError::Malformed(..))));
        assert!(matches!(SiteUrl::parse("ftp://example.com/"), Err(SiteUrlError::Scheme(..))));
        assert!(matches!(SiteUrl::parse("mailto:a@example.com"), Err(SiteUrlError::Scheme(..))));
        assert!(matches!(SiteUrl::parse("http://"), Err(SiteUrlError::Malformed(..))));
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(SiteUrl::parse(&long), Err(SiteUrlError::TooLong));
    }

    #[test]
    fn bare_hosts_become_https_urls() {
        assert_eq!(SiteUrl::parse_host_or_url("example.com").unwrap().as_str(), "https://example.com/");
        assert_eq!(SiteUrl::parse_host_or_url("8.8.8.8").unwrap().as_str(), "https://8.8.8.8/");
        assert_eq!(
            SiteUrl::parse_host_or_url("http://another.target.io/x").unwrap().as_str(),
            "http://another.target.io/x"
        );
        assert!(SiteUrl::parse_host_or_url("not a host").is_err());
    }
}
