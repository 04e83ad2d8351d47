CREATE TRIGGER site_views_counted_on_insert AFTER INSERT ON site_views
BEGIN
    UPDATE sites SET view_count = view_count + 1 WHERE id = NEW.site_id;
END;
