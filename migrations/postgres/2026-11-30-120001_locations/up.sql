-- Where checkers run (several may share one PostgreSQL database), and what each last reported.
-- last_round_at is the end of the last round that checked sites or found itself offline, by the
-- database's clock; liveness and staleness are measured against it.
CREATE TABLE locations (
    name             TEXT NOT NULL PRIMARY KEY,
    created_at       TIMESTAMP NOT NULL,
    last_round_at    TIMESTAMP,
    last_round_state TEXT NOT NULL DEFAULT '',
    stale            BOOLEAN NOT NULL DEFAULT FALSE
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
-- Two locations may check a site at the same microsecond: the location is part of a view's key.
ALTER TABLE site_views DROP CONSTRAINT site_views_pkey;
ALTER TABLE site_views ADD PRIMARY KEY (site_id, checked_at, location);

-- With several locations: which of them saw the site down when it joined an outage, and which
-- saw it up (comma-separated names; empty with one location).
ALTER TABLE outage_sites ADD COLUMN down_from TEXT NOT NULL DEFAULT '';
ALTER TABLE outage_sites ADD COLUMN up_from TEXT NOT NULL DEFAULT '';

-- A database that has been checking was checked from the default location: keep its state so
-- the next round continues the same runs of failures.
INSERT INTO locations (name, created_at, last_round_at, last_round_state, stale)
    SELECT 'default', (now() AT TIME ZONE 'UTC'), MAX(finished_at), 'done', FALSE FROM check_runs
    HAVING COUNT(*) > 0;
INSERT INTO site_locations (site_id, location, checked_at, status_code, error, response_ms, up, consecutive_failures)
    SELECT id, 'default', last_checked_at, last_status_code, last_error, COALESCE(last_response_ms, 0),
           COALESCE(last_up, TRUE), consecutive_failures
    FROM sites WHERE last_checked_at IS NOT NULL;

-- Several locations insert views of the same sites at once. Inserting a view takes a KEY SHARE
-- lock on its site (the foreign key); the counting trigger then locked the site FOR UPDATE,
-- which conflicts with another round's KEY SHARE: two rounds deadlocked. FOR NO KEY UPDATE
-- does not conflict with KEY SHARE, so the second round simply waits for the first.
CREATE OR REPLACE FUNCTION site_views_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sites WHERE id IN (SELECT site_id FROM inserted_views) ORDER BY id FOR NO KEY UPDATE;
    UPDATE sites SET view_count = sites.view_count + added.n
    FROM (SELECT site_id, COUNT(*) AS n FROM inserted_views GROUP BY site_id) AS added
    WHERE sites.id = added.site_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION site_views_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sites WHERE id IN (SELECT site_id FROM deleted_views) ORDER BY id FOR NO KEY UPDATE;
    UPDATE sites SET view_count = sites.view_count - removed.n
    FROM (SELECT site_id, COUNT(*) AS n FROM deleted_views GROUP BY site_id) AS removed
    WHERE sites.id = removed.site_id;
    RETURN NULL;
END
$$;
