-- Per site and hour: what the checks of that hour add up to. Written by each check round;
-- long-window statistics and the dashboard's 24-hour figures read these, never the raw views.
-- Response figures cover checks that got an HTTP answer (`responses` of them).
CREATE TABLE site_rollups_hourly (
    site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    hour_start      TIMESTAMP NOT NULL,
    checks          INTEGER NOT NULL,
    ups             INTEGER NOT NULL,
    responses       INTEGER NOT NULL,
    response_ms_sum BIGINT NOT NULL,
    response_ms_min INTEGER,
    response_ms_max INTEGER,
    histogram       BYTEA NOT NULL,
    outcomes        TEXT NOT NULL,
    PRIMARY KEY (site_id, hour_start)
);
CREATE INDEX site_rollups_hourly_hour_start ON site_rollups_hourly (hour_start);
