DROP INDEX site_views_checked_at;
CREATE INDEX site_views_checked_at ON site_views (checked_at);
