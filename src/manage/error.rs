//! What a refused change says, in one type every door maps to its own form: the CLI exits 2
//! with the message, an admin page shows it beside the field, the API answers 404/409/422
//! naming the field.

use std::fmt::{self, Display};

use crate::db::DbError;

/// Errors per field, in the order they were found. Field names are the API's (`url`,
/// `interval_secs`); the CLI turns them into its flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn one(field: &'static str, message: impl Into<String>) -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The value, or `None` with the error noted against `field`.
    pub fn check<T, E: Display>(&mut self, field: &'static str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.add(field, e.to_string())).ok()
    }

    /// The message for `field`, for a form's template.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }

    /// Files errors about `from` under `to`, for a door whose one input carries both.
    pub fn rename(mut self, from: &[&str], to: &'static str) -> FieldErrors {
        for (field, _) in &mut self.0 {
            if from.contains(field) {
                *field = to;
            }
        }
        self
    }

    /// The first field named, for an API error's `field` key.
    pub fn first_field(&self) -> Option<&'static str> {
        self.0.first().map(|(f, _)| *f)
    }

    /// `Ok(value)` when no error was noted, else the errors as a refusal.
    pub fn or_value<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, ManageError> {
        match (self.is_empty(), value()) {
            (true, Some(value)) => Ok(value),
            _ => Err(ManageError::Invalid(self)),
        }
    }
}

impl Display for FieldErrors {
    /// "url: ...; name: ..."
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (field, message)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{field}: {message}")?;
        }
        Ok(())
    }
}

/// Why a change was not made. Nothing is written when any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum ManageError {
    /// Some fields are invalid, or name something that does not exist.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// The thing the change is about does not exist ("there is no site `shop`").
    #[error("{0}")]
    NotFound(String),
    /// The change would duplicate something (a URL already watched, a slug taken); `field`
    /// says which input caused it when that is known.
    #[error("{message}")]
    Conflict { field: Option<&'static str>, message: String },
    /// The database failed: not the user's doing.
    #[error(transparent)]
    Db(DbError),
    /// Something else failed that the user cannot fix (hashing a password, say).
    #[error("{0}")]
    Failed(String),
}

impl ManageError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> ManageError {
        ManageError::Invalid(FieldErrors::one(field, message))
    }

    pub fn conflict(field: &'static str, message: impl Into<String>) -> ManageError {
        ManageError::Conflict { field: Some(field), message: message.into() }
    }

    /// True when the person asking can fix it (everything but a database failure).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ManageError::Db(_) | ManageError::Failed(_))
    }
}

impl From<DbError> for ManageError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound(message) => ManageError::NotFound(message),
            DbError::Conflict(message) => ManageError::Conflict { field: None, message },
            other => ManageError::Db(other),
        }
    }
}

impl From<diesel::result::Error> for ManageError {
    fn from(error: diesel::result::Error) -> Self {
        ManageError::from(DbError::from(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_read_as_one_line_and_name_the_first_field() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.check::<u8, _>("url", Err("not a URL")), None);
        assert_eq!(errors.check::<u8, &str>("name", Ok(3)), Some(3));
        errors.add("slug", "taken");
        assert_eq!(errors.to_string(), "url: not a URL; slug: taken");
        assert_eq!(errors.first_field(), Some("url"));
        assert_eq!(errors.get("slug"), Some("taken"));
        assert!(matches!(errors.or_value(|| Some(1)), Err(ManageError::Invalid(_))));
        assert_eq!(FieldErrors::default().or_value(|| Some(1)).unwrap(), 1);
    }

    #[test]
    fn database_refusals_become_user_errors_and_failures_do_not() {
        let e = ManageError::from(DbError::NotFound("there is no site `x`".into()));
        assert!(matches!(e, ManageError::NotFound(_)) && e.is_user_error());
        let e = ManageError::from(DbError::Conflict("taken".into()));
        assert!(matches!(e, ManageError::Conflict { field: None, .. }));
        assert!(!ManageError::from(DbError::Pool("busy".into())).is_user_error());
    }
}
