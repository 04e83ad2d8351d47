DROP TABLE site_rollups_hourly;
