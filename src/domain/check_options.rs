//! A site's check settings beyond its URL: ping probes and the keyword rule, each allowed
//! only for the kind of check it belongs to.

use super::keyword::{Keyword, KeywordError};
use super::ping::{PingProbes, PingProbesError};
use super::target::CheckKind;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Echo requests per ping check; `None` uses `check.ping_probes`.
    pub probes: Option<PingProbes>,
    pub keyword: Option<Keyword>,
    /// Up when the keyword is *not* found.
    pub keyword_absent: bool,
}

/// Which input was wrong, for a door to point at the field.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckOptionsError {
    #[error("probes: {0}")]
    Probes(#[from] PingProbesError),
    #[error("probes: only ping:// sites send probes; this site is checked over {0}")]
    ProbesNotPing(CheckKind),
    #[error("keyword: {0}")]
    Keyword(#[from] KeywordError),
    #[error("keyword: only http(s) sites have pages to search; this site is checked over {0}")]
    KeywordNotHttp(CheckKind),
    #[error("keyword_absent: needs a keyword to look for")]
    AbsentWithoutKeyword,
}

impl CheckOptionsError {
    /// The input field at fault: `probes`, `keyword` or `keyword_absent`.
    pub fn field(&self) -> &'static str {
        match self {
            CheckOptionsError::Probes(_) | CheckOptionsError::ProbesNotPing(_) => "probes",
            CheckOptionsError::Keyword(_) | CheckOptionsError::KeywordNotHttp(_) => "keyword",
            CheckOptionsError::AbsentWithoutKeyword => "keyword_absent",
        }
    }
}

impl CheckOptions {
    /// Parses the options given for a site of `kind`.
    pub fn parse(
        kind: CheckKind,
        probes: Option<i64>,
        keyword: Option<&str>,
        keyword_absent: bool,
    ) -> Result<CheckOptions, CheckOptionsError> {
        let probes = probes.map(PingProbes::new).transpose()?;
        if probes.is_some() && kind != CheckKind::Ping {
            return Err(CheckOptionsError::ProbesNotPing(kind));
        }
        let keyword = keyword.map(Keyword::parse).transpose()?;
        if keyword.is_some() && kind != CheckKind::Http {
            return Err(CheckOptionsError::KeywordNotHttp(kind));
        }
        if keyword_absent && keyword.is_none() {
            return Err(CheckOptionsError::AbsentWithoutKeyword);
        }
        Ok(CheckOptions { probes, keyword, keyword_absent })
    }

    /// Checks options kept from before against a site's new kind (its URL changed).
    pub fn fit(&self, kind: CheckKind) -> Result<(), CheckOptionsError> {
        if self.probes.is_some() && kind != CheckKind::Ping {
            return Err(CheckOptionsError::ProbesNotPing(kind));
        }
        if self.keyword.is_some() && kind != CheckKind::Http {
            return Err(CheckOptionsError::KeywordNotHttp(kind));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_belong_to_their_kind() {
        let ping = CheckOptions::parse(CheckKind::Ping, Some(10), None, false).unwrap();
        assert_eq!(ping.probes.map(PingProbes::get), Some(10));
        let http = CheckOptions::parse(CheckKind::Http, None, Some("Welcome"), true).unwrap();
        assert_eq!(http.keyword.as_ref().map(Keyword::as_str), Some("Welcome"));
        assert!(http.keyword_absent);
        assert_eq!(
            CheckOptions::parse(CheckKind::Tcp, Some(3), None, false),
            Err(CheckOptionsError::ProbesNotPing(CheckKind::Tcp))
        );
        let error = CheckOptions::parse(CheckKind::Ping, None, Some("x"), false).unwrap_err();
        assert_eq!(error.field(), "keyword");
        assert!(error.to_string().contains("over ping"), "{error}");
        assert_eq!(CheckOptions::parse(CheckKind::Http, None, None, true).unwrap_err().field(), "keyword_absent");
        assert_eq!(CheckOptions::parse(CheckKind::Ping, Some(0), None, false).unwrap_err().field(), "probes");
        assert_eq!(CheckOptions::parse(CheckKind::Http, None, Some(""), false).unwrap_err().field(), "keyword");
    }

    #[test]
    fn kept_options_must_fit_a_new_kind() {
        let ping = CheckOptions::parse(CheckKind::Ping, Some(10), None, false).unwrap();
        assert!(ping.fit(CheckKind::Ping).is_ok());
        assert_eq!(ping.fit(CheckKind::Http), Err(CheckOptionsError::ProbesNotPing(CheckKind::Http)));
        assert!(CheckOptions::default().fit(CheckKind::Tcp).is_ok());
    }
}
