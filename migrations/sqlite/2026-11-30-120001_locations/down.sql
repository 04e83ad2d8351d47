ALTER TABLE outage_sites DROP COLUMN up_from;
ALTER TABLE outage_sites DROP COLUMN down_from;
ALTER TABLE site_views DROP COLUMN location;
DROP TABLE site_locations;
DROP TABLE locations;
