//! Where the data lives: a SQLite file or a PostgreSQL server, told apart by the URL's scheme.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DatabaseUrlError {
    #[error("the database URL is empty (use sqlite://sitewatch.db or postgres://user@host/db)")]
    Empty,
    #[error("`{0}:` is not a supported database; use sqlite://PATH or postgres://user@host/db")]
    UnknownScheme(String),
    #[error("`{0}` has no file path after sqlite://")]
    NoPath(String),
}

impl DatabaseUrl {
    /// Parses `sqlite://PATH`, `sqlite:PATH`, a bare path, or `postgres://…`/`postgresql://…`.
    /// A relative SQLite path is taken relative to `base_dir` (the config file's folder).
    pub fn parse(raw: &str, base_dir: &Path) -> Result<DatabaseUrl, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_owned()));
        }
        let path = if let Some(rest) = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")) {
            rest
        } else if let Some((scheme, _)) = raw.split_once("://") {
            return Err(DatabaseUrlError::UnknownScheme(scheme.to_owned()));
        } else {
            raw
        };
        if path.is_empty() {
            return Err(DatabaseUrlError::NoPath(raw.to_owned()));
        }
        let path = Path::new(path);
        Ok(DatabaseUrl::Sqlite(if path.is_absolute() { path.to_owned() } else { base_dir.join(path) }))
    }
}

/// Shows where the database is without its password, for logs and error messages.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    f.write_str(parsed.as_str())
                }
                Err(_) => f.write_str("postgres://(unparseable URL)"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_relative_to_the_config_folder() {
        let base = Path::new("/etc/sitewatch");
        assert_eq!(
            DatabaseUrl::parse("sqlite://sitewatch.db", base).unwrap(),
            DatabaseUrl::Sqlite("/etc/sitewatch/sitewatch.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/sw.db", base).unwrap(),
            DatabaseUrl::Sqlite("/var/lib/sw.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("data/sw.db", base).unwrap(),
            DatabaseUrl::Sqlite("/etc/sitewatch/data/sw.db".into())
        );
    }

    #[test]
    fn postgres_urls_are_kept_whole_and_shown_without_password() {
        let url = DatabaseUrl::parse("postgres://sw:hunter2@db.internal:5432/sitewatch", Path::new(".")).unwrap();
        assert_eq!(url, DatabaseUrl::Postgres("postgres://sw:hunter2@db.internal:5432/sitewatch".into()));
        assert_eq!(url.to_string(), "postgres://sw:***@db.internal:5432/sitewatch");
    }

    #[test]
    fn other_schemes_and_empty_values_are_refused() {
        assert_eq!(
            DatabaseUrl::parse("mysql://root@localhost/x", Path::new(".")),
            Err(DatabaseUrlError::UnknownScheme("mysql".into()))
        );
        assert_eq!(DatabaseUrl::parse("  ", Path::new(".")), Err(DatabaseUrlError::Empty));
        assert!(matches!(DatabaseUrl::parse("sqlite://", Path::new(".")), Err(DatabaseUrlError::NoPath(_))));
    }
}
