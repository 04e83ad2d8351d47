-- The traffic watch (`sitewatch traffic`). Times are log time, UTC.
--
-- traffic_logs: one row per watched access log, with the mean hits per second over its window
-- as of the log second `as_of`, and since when it is above the threshold (null: it is not).
CREATE TABLE traffic_logs (
    name           TEXT NOT NULL PRIMARY KEY,
    path           TEXT NOT NULL,
    threshold      REAL NOT NULL,
    window_secs    INTEGER NOT NULL,
    mean           REAL NOT NULL,
    alerting_since TIMESTAMP,
    as_of          TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL
);

-- Hits per minute of log time, written as each minute ends and kept 48 hours behind the log's
-- newest minute: enough for a 24-hour chart.
CREATE TABLE traffic_minutes (
    log    TEXT NOT NULL,
    minute TIMESTAMP NOT NULL,
    hits   BIGINT NOT NULL,
    PRIMARY KEY (log, minute)
) WITHOUT ROWID;

-- Every alert and recovery, once per log, event and log second (a replay of the same log
-- records and sends nothing twice).
CREATE TABLE traffic_alerts (
    id          TEXT NOT NULL PRIMARY KEY,
    log         TEXT NOT NULL,
    event       TEXT NOT NULL,
    mean        REAL NOT NULL,
    threshold   REAL NOT NULL,
    window_secs INTEGER NOT NULL,
    log_time    TIMESTAMP NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (log, event, log_time)
);
CREATE INDEX traffic_alerts_log_time ON traffic_alerts (log, log_time);
