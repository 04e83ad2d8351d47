ALTER TABLE site_rollups_hourly RESET (fillfactor);
ALTER TABLE sites RESET (fillfactor);
