-- How many views each site has, kept by triggers so every writer (check rounds, purges,
-- retention) keeps it exact: a site's history page needs its total without counting 100,000
-- rows per request.
ALTER TABLE sites ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0;
UPDATE sites SET view_count = (SELECT COUNT(*) FROM site_views WHERE site_views.site_id = sites.id);

CREATE TRIGGER site_views_counted_on_insert AFTER INSERT ON site_views
BEGIN
    UPDATE sites SET view_count = view_count + 1 WHERE id = NEW.site_id;
END;

CREATE TRIGGER site_views_counted_on_delete AFTER DELETE ON site_views
BEGIN
    UPDATE sites SET view_count = view_count - 1 WHERE id = OLD.site_id;
END;
