DROP TRIGGER site_views_counted_on_delete ON site_views;
DROP TRIGGER site_views_counted_on_insert ON site_views;
DROP FUNCTION site_views_count_deleted();
DROP FUNCTION site_views_count_inserted();
ALTER TABLE sites DROP COLUMN view_count;
