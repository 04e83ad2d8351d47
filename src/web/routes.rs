//! Which paths answer in JSON and which need no login: one place, used by the login check and
//! by the error pages, so the two never disagree.

/// JSON routes answer errors as `{"error": ...}` (401 instead of a redirect to the login page)
/// and accept `Authorization: Bearer` tokens.
pub fn wants_json(path: &str) -> bool {
    path.starts_with("/api/") || path.ends_with(".json") || path == "/metrics"
}

/// Paths anyone may open: the login and first-user setup pages, health, static files, and the
/// API's token exchange (which checks a password itself).
pub fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/healthz" | "/api/auth/token")
        || path.starts_with("/static/")
        || path.starts_with("/setup/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_routes_and_public_paths() {
        assert!(wants_json("/api/sites"));
        assert!(wants_json("/sites/shop/data.json"));
        assert!(wants_json("/metrics"));
        assert!(!wants_json("/sites/shop"));
        assert!(is_public("/static/style.css"));
        assert!(!is_public("/"));
        assert!(!is_public("/login/../admin"));
    }
}
