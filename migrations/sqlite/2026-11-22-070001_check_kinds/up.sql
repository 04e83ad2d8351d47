-- Check kinds: per-site ping probes and keyword rule, the watched certificate's expiry and
-- the thresholds it has alerted for, and ping figures on sites (the newest check), views
-- (every check) and rollups (sums that give a span's loss and mean jitter).
ALTER TABLE sites ADD COLUMN probes INTEGER;
ALTER TABLE sites ADD COLUMN keyword TEXT;
ALTER TABLE sites ADD COLUMN keyword_absent BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN tls_expires_at TIMESTAMP;
-- Thresholds of check.tls_expiry_days already alerted for the certificate expiring at
-- tls_expires_at, e.g. '21,14'.
ALTER TABLE sites ADD COLUMN tls_alerted_days TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN last_ping_transmitted INTEGER;
ALTER TABLE sites ADD COLUMN last_ping_received INTEGER;
ALTER TABLE sites ADD COLUMN last_ping_duplicates INTEGER;
ALTER TABLE sites ADD COLUMN last_ping_rtt_min_ms REAL;
ALTER TABLE sites ADD COLUMN last_ping_rtt_avg_ms REAL;
ALTER TABLE sites ADD COLUMN last_ping_rtt_max_ms REAL;
ALTER TABLE sites ADD COLUMN last_ping_rtt_mdev_ms REAL;

ALTER TABLE site_views ADD COLUMN ping_transmitted INTEGER;
ALTER TABLE site_views ADD COLUMN ping_received INTEGER;
ALTER TABLE site_views ADD COLUMN ping_duplicates INTEGER;
ALTER TABLE site_views ADD COLUMN ping_rtt_min_ms REAL;
ALTER TABLE site_views ADD COLUMN ping_rtt_avg_ms REAL;
ALTER TABLE site_views ADD COLUMN ping_rtt_max_ms REAL;
ALTER TABLE site_views ADD COLUMN ping_rtt_mdev_ms REAL;

-- Whole numbers only (mdev in microseconds), so a day sums to exactly its hours.
ALTER TABLE site_rollups_hourly ADD COLUMN ping_transmitted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_hourly ADD COLUMN ping_received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_hourly ADD COLUMN ping_jitter_checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_hourly ADD COLUMN ping_mdev_us_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_daily ADD COLUMN ping_transmitted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_daily ADD COLUMN ping_received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_daily ADD COLUMN ping_jitter_checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_daily ADD COLUMN ping_mdev_us_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_monthly ADD COLUMN ping_transmitted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_monthly ADD COLUMN ping_received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_monthly ADD COLUMN ping_jitter_checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_rollups_monthly ADD COLUMN ping_mdev_us_sum BIGINT NOT NULL DEFAULT 0;
