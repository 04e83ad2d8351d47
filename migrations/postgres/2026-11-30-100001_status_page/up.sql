-- A public group's sites are shown without login on /status and on badges.
ALTER TABLE groups ADD COLUMN public BOOLEAN NOT NULL DEFAULT FALSE;

-- Checks made during a maintenance window: stored, but left out of availability and of the
-- outage rule. The site keeps whether its newest check was one of them, as its other last_* columns.
ALTER TABLE site_views ADD COLUMN maintenance BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sites ADD COLUMN last_maintenance BOOLEAN NOT NULL DEFAULT FALSE;

-- Notes people add to an outage ("identified: the database ran out of disk"), newest first.
CREATE TABLE outage_notes (
    id         TEXT NOT NULL PRIMARY KEY,
    outage_id  TEXT NOT NULL REFERENCES outages(id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    message    TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outage_notes_outage_id ON outage_notes (outage_id, created_at);

-- Planned maintenance over one site or one group: once (starts_at..ends_at), or recurring at
-- each time of a cron expression (in the configured time zone) for duration_secs, from
-- starts_at until ends_at (NULL: for ever).
CREATE TABLE maintenance_windows (
    id            TEXT NOT NULL PRIMARY KEY,
    site_id       TEXT REFERENCES sites(id) ON DELETE CASCADE,
    group_id      TEXT REFERENCES groups(id) ON DELETE CASCADE,
    starts_at     TIMESTAMP NOT NULL,
    ends_at       TIMESTAMP,
    cron          TEXT,
    duration_secs INTEGER,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    CHECK ((site_id IS NULL) <> (group_id IS NULL)),
    CHECK ((cron IS NULL AND ends_at IS NOT NULL) OR (cron IS NOT NULL AND duration_secs IS NOT NULL))
);
CREATE INDEX maintenance_windows_site_id ON maintenance_windows (site_id);
CREATE INDEX maintenance_windows_group_id ON maintenance_windows (group_id);
