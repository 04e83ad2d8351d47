DROP TABLE site_rollups_monthly;
DROP TABLE site_rollups_daily;
