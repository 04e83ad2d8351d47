-- Per site and UTC day: the sum of that day's hourly rollups, written once the day is over;
-- per site and calendar month: the sum of its days, written once the month is over. Long
-- windows read these: a year is about 60 rows a site instead of 8,760 hourly rows or half a
-- million raw views. Both outlive the hourly rows they were summed from.
CREATE TABLE site_rollups_daily (
    site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day_start       TIMESTAMP NOT NULL,
    checks          INTEGER NOT NULL,
    ups             INTEGER NOT NULL,
    responses       INTEGER NOT NULL,
    response_ms_sum BIGINT NOT NULL,
    response_ms_min INTEGER,
    response_ms_max INTEGER,
    histogram       BLOB NOT NULL,
    outcomes        TEXT NOT NULL,
    PRIMARY KEY (site_id, day_start)
) WITHOUT ROWID;
CREATE INDEX site_rollups_daily_day_start ON site_rollups_daily (day_start);

CREATE TABLE site_rollups_monthly (
    site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    month_start     TIMESTAMP NOT NULL,
    checks          INTEGER NOT NULL,
    ups             INTEGER NOT NULL,
    responses       INTEGER NOT NULL,
    response_ms_sum BIGINT NOT NULL,
    response_ms_min INTEGER,
    response_ms_max INTEGER,
    histogram       BLOB NOT NULL,
    outcomes        TEXT NOT NULL,
    PRIMARY KEY (site_id, month_start)
) WITHOUT ROWID;
CREATE INDEX site_rollups_monthly_month_start ON site_rollups_monthly (month_start);
