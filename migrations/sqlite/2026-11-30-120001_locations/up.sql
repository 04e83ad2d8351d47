-- Where checkers run (several may share one PostgreSQL database), and what each last reported.
-- last_round_at is the end of the last round that checked sites or found itself offline, by the
-- database's clock; liveness and staleness are measured against it.
CREATE TABLE locations (
    name             TEXT NOT NULL PRIMARY KEY,
    created_at       TIMESTAMP NOT NULL,
    last_round_at    TIMESTAMP,
    last_round_state TEXT NOT NULL DEFAULT '',
    stale            BOOLEAN NOT NULL DEFAULT 0
);

-- Each location's newest check of each site and its own run of consecutive failures: the
-- location sees the site down once that run reaches failures_before_outage.
CREATE TABLE site_locations (
    site_id              TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    location             TEXT NOT NULL,
    checked_at           TIMESTAMP NOT NULL,
    status_code          INTEGER,
    error                TEXT,
    response_ms          INTEGER NOT NULL,
    up                   BOOLEAN NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, location)
);

-- A constant default: no table rewrite, existing views belong to the default location.
ALTER TABLE site_views ADD COLUMN location TEXT NOT NULL DEFAULT 'default';

-- With several locations: which of them saw the site down when it joined an outage, and which
-- saw it up (comma-separated names; empty with one location).
ALTER TABLE outage_sites ADD COLUMN down_from TEXT NOT NULL DEFAULT '';
ALTER TABLE outage_sites ADD COLUMN up_from TEXT NOT NULL DEFAULT '';

-- A database that has been checking was checked from the default location: keep its state so
-- the next round continues the same runs of failures.
INSERT INTO locations (name, created_at, last_round_at, last_round_state, stale)
    SELECT 'default', CURRENT_TIMESTAMP, MAX(finished_at), 'done', 0 FROM check_runs
    HAVING COUNT(*) > 0;
INSERT INTO site_locations (site_id, location, checked_at, status_code, error, response_ms, up, consecutive_failures)
    SELECT id, 'default', last_checked_at, last_status_code, last_error, COALESCE(last_response_ms, 0),
           COALESCE(last_up, 1), consecutive_failures
    FROM sites WHERE last_checked_at IS NOT NULL;
