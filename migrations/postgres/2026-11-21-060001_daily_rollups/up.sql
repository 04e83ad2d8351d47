-- Per site and UTC day: the sum of that day's hourly rollups, written once the day is over.
-- Long windows (30 days, a year) read these: 365 rows a site instead of 8,760 or half a
-- million raw views. Kept after the hourly rows of the day have expired.
CREATE TABLE site_rollups_daily (
    site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day_start       TIMESTAMP NOT NULL,
    checks          INTEGER NOT NULL,
    ups             INTEGER NOT NULL,
    responses       INTEGER NOT NULL,
    response_ms_sum BIGINT NOT NULL,
    response_ms_min INTEGER,
    response_ms_max INTEGER,
    histogram       BYTEA NOT NULL,
    outcomes        TEXT NOT NULL,
    PRIMARY KEY (site_id, day_start)
);
CREATE INDEX site_rollups_daily_day_start ON site_rollups_daily (day_start);
