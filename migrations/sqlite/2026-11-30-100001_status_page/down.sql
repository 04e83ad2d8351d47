DROP TABLE maintenance_windows;
DROP TABLE outage_notes;
ALTER TABLE sites DROP COLUMN last_maintenance;
ALTER TABLE site_views DROP COLUMN maintenance;
ALTER TABLE groups DROP COLUMN public;
