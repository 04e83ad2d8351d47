-- sitewatch's tables. Times are UTC, ids are UUID text.

CREATE TABLE groups (
    id            TEXT NOT NULL PRIMARY KEY,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    description   TEXT NOT NULL DEFAULT '',
    display_order INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);

-- The last_* columns mirror the newest view so the dashboard never reads site_views.
CREATE TABLE sites (
    id                   TEXT NOT NULL PRIMARY KEY,
    group_id             TEXT NOT NULL REFERENCES groups(id) ON DELETE RESTRICT,
    name                 TEXT NOT NULL,
    slug                 TEXT NOT NULL UNIQUE,
    url                  TEXT NOT NULL,
    active               BOOLEAN NOT NULL DEFAULT 1,
    interval_secs        INTEGER,
    created_at           TIMESTAMP NOT NULL,
    last_checked_at      TIMESTAMP,
    last_status_code     INTEGER,
    last_error           TEXT,
    last_response_ms     INTEGER,
    last_up              BOOLEAN,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_failure_at      TIMESTAMP
);
CREATE INDEX sites_group_id ON sites (group_id);

-- One row per check. Clustered by site and time: a site's history is one range scan.
CREATE TABLE site_views (
    site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    checked_at  TIMESTAMP NOT NULL,
    status_code INTEGER,
    error       TEXT,
    response_ms INTEGER NOT NULL,
    up          BOOLEAN NOT NULL,
    PRIMARY KEY (site_id, checked_at)
) WITHOUT ROWID;
CREATE INDEX site_views_checked_at ON site_views (checked_at);

CREATE TABLE outages (
    id          TEXT NOT NULL PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE INDEX outages_started_at ON outages (started_at);
CREATE INDEX outages_open ON outages (started_at) WHERE resolved_at IS NULL;

-- Name, slug and URL are copied so an outage keeps its history after a site is removed.
CREATE TABLE outage_sites (
    id               TEXT NOT NULL PRIMARY KEY,
    outage_id        TEXT NOT NULL REFERENCES outages(id) ON DELETE CASCADE,
    site_id          TEXT REFERENCES sites(id) ON DELETE SET NULL,
    site_name        TEXT NOT NULL,
    site_slug        TEXT NOT NULL,
    site_url         TEXT NOT NULL,
    down_at          TIMESTAMP NOT NULL,
    up_at            TIMESTAMP,
    down_status_code INTEGER,
    down_error       TEXT
);
CREATE INDEX outage_sites_outage_id ON outage_sites (outage_id);
CREATE INDEX outage_sites_site_id ON outage_sites (site_id);

-- A recipient hears about every site (both ids null), one group's, or one site's.
CREATE TABLE recipients (
    id         TEXT NOT NULL PRIMARY KEY,
    email      TEXT NOT NULL,
    site_id    TEXT REFERENCES sites(id) ON DELETE CASCADE,
    group_id   TEXT REFERENCES groups(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    CHECK (site_id IS NULL OR group_id IS NULL)
);
CREATE INDEX recipients_site_id ON recipients (site_id);
CREATE INDEX recipients_group_id ON recipients (group_id);

CREATE TABLE users (
    id            TEXT NOT NULL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

CREATE TABLE api_tokens (
    id           TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label        TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

-- Failed logins by user name or address, to slow down guessing.
CREATE TABLE login_failures (
    id        TEXT NOT NULL PRIMARY KEY,
    subject   TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);

-- Values the application keeps for itself, e.g. a generated secret_key.
CREATE TABLE app_settings (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE check_runs (
    id               TEXT NOT NULL PRIMARY KEY,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    state            TEXT NOT NULL,
    sites_checked    INTEGER NOT NULL DEFAULT 0,
    sites_up         INTEGER NOT NULL DEFAULT 0,
    sites_down       INTEGER NOT NULL DEFAULT 0,
    outages_opened   INTEGER NOT NULL DEFAULT 0,
    outages_resolved INTEGER NOT NULL DEFAULT 0,
    db_write_ms      INTEGER,
    host             TEXT NOT NULL DEFAULT '',
    message          TEXT
);
CREATE INDEX check_runs_started_at ON check_runs (started_at);

-- The outbox: an alert, with what it says frozen at the moment it was queued.
CREATE TABLE notifications (
    id         TEXT NOT NULL PRIMARY KEY,
    event      TEXT NOT NULL,
    outage_id  TEXT REFERENCES outages(id) ON DELETE CASCADE,
    payload    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_outage_id ON notifications (outage_id);

-- One row per notification, channel and recipient; retried until sent or given up.
CREATE TABLE deliveries (
    id              TEXT NOT NULL PRIMARY KEY,
    notification_id TEXT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    target          TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    last_attempt_at TIMESTAMP,
    not_before      TIMESTAMP,
    sent_at         TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX deliveries_notification_id ON deliveries (notification_id);
CREATE INDEX deliveries_pending ON deliveries (created_at) WHERE state = 'pending';
