DROP TABLE site_rollups_daily;
