-- Signed-in browsers: the cookie carries a random secret, and this row (keyed by the secret's
-- SHA-256) says whose it is. Deleting the row ends the session wherever the cookie was copied.
CREATE TABLE login_sessions (
    id           TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    client       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_sessions_user_id ON login_sessions (user_id);
