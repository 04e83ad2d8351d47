//! API tokens: random secrets shown once; only their SHA-256 is stored.

use sha2::{Digest, Sha256};

pub const TOKEN_PREFIX: &str = "swt_";

/// A new token and the hash to store for it.
pub struct IssuedToken {
    pub secret: String,
    pub hash: String,
}

pub fn issue_token() -> IssuedToken {
    let secret = format!("{TOKEN_PREFIX}{}", random_hex(32));
    let hash = hash_token(&secret);
    IssuedToken { secret, hash }
}

/// Hex SHA-256 of a token; tokens are long random strings, so a fast hash is enough.
pub fn hash_token(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source failed");
    hex::encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_are_unique_and_hash_to_their_stored_form() {
        let a = issue_token();
        let b = issue_token();
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with(TOKEN_PREFIX));
        assert_eq!(a.secret.len(), TOKEN_PREFIX.len() + 64);
        assert_eq!(hash_token(&a.secret), a.hash);
        assert_ne!(a.hash, b.hash);
    }
}
