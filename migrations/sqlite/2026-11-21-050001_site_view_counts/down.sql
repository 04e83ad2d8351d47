DROP TRIGGER site_views_counted_on_delete;
DROP TRIGGER site_views_counted_on_insert;
ALTER TABLE sites DROP COLUMN view_count;
