//! Which paths answer in JSON and which need no login: one place, used by the login check and
//! by the error pages, so the two never disagree.

/// JSON routes answer errors as `{"error": ...}` (401 instead of a redirect to the login page)
/// and accept `Authorization: Bearer` tokens.
pub fn wants_json(path: &str) -> bool {
    path.starts_with("/api/") || path.ends_with(".json") || path == "/metrics"
}

/// Paths anyone may open: the login and first-user setup pages, health, static files, the
/// API's token exchange (which checks a password itself), the public status page and badges
/// (which show only public groups' sites to anonymous visitors).
pub fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/healthz" | "/api/auth/token" | "/status" | "/status.json" | "/status/feed.atom")
        || path.starts_with("/static/")
        || path.starts_with("/setup/")
        || path.starts_with("/badge/")
}

/// Routes that accept `Authorization: Bearer` tokens: the JSON ones, and badges (so a script
/// or a private dashboard can show a private site's badge).
pub fn accepts_token(path: &str) -> bool {
    wants_json(path) || path.starts_with("/badge/")
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
        assert!(is_public("/status") && is_public("/status.json") && is_public("/badge/shop.svg"));
        assert!(!is_public("/status/other") && accepts_token("/badge/shop.svg") && !accepts_token("/status"));
    }
}
