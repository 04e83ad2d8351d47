//! Password hashing with argon2 (the PHC string carries its own salt and parameters).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_PASSWORD_CHARS: usize = 8;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("a password is at most 1024 characters")]
    TooLong,
    #[error("the two passwords differ")]
    Mismatch,
    #[error("could not hash the password: {0}")]
    Hashing(String),
}

/// A password someone chose: long enough, not absurdly long. Not stored; only its hash is.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    pub fn parse(password: &str) -> Result<NewPassword, PasswordError> {
        let chars = password.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > 1024 {
            return Err(PasswordError::TooLong);
        }
        Ok(NewPassword(password.to_owned()))
    }

    /// A password typed twice: both copies must agree.
    pub fn confirmed(password: &str, again: &str) -> Result<NewPassword, PasswordError> {
        if password != again {
            return Err(PasswordError::Mismatch);
        }
        NewPassword::parse(password)
    }

    /// The argon2 PHC string, with a fresh random salt.
    pub fn hash(&self) -> Result<String, PasswordError> {
        Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| PasswordError::Hashing(e.to_string()))
    }
}

/// Checks the length rules, then hashes with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    NewPassword::parse(password)?.hash()
}

/// True when `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    match argon2::password_hash::phc::PasswordHash::new(stored_hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not-a-hash"));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        assert_ne!(hash_password("correct horse").unwrap(), hash_password("correct horse").unwrap());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(hash_password("short"), Err(PasswordError::TooShort));
    }
}
