-- How many views each site has, kept by triggers so every writer (check rounds, purges,
-- retention) keeps it exact: a site's history page needs its total without counting 100,000
-- rows per request. Statement-level triggers add one UPDATE per INSERT or DELETE statement.
-- Site rows are locked in id order first, so a purge and a round (which inserts its views in
-- site id order) never wait on each other in a cycle.
ALTER TABLE sites ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0;
UPDATE sites SET view_count = (SELECT COUNT(*) FROM site_views WHERE site_views.site_id = sites.id);

CREATE FUNCTION site_views_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sites WHERE id IN (SELECT site_id FROM inserted_views) ORDER BY id FOR UPDATE;
    UPDATE sites SET view_count = sites.view_count + added.n
    FROM (SELECT site_id, COUNT(*) AS n FROM inserted_views GROUP BY site_id) AS added
    WHERE sites.id = added.site_id;
    RETURN NULL;
END
$$;

CREATE FUNCTION site_views_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sites WHERE id IN (SELECT site_id FROM deleted_views) ORDER BY id FOR UPDATE;
    UPDATE sites SET view_count = sites.view_count - removed.n
    FROM (SELECT site_id, COUNT(*) AS n FROM deleted_views GROUP BY site_id) AS removed
    WHERE sites.id = removed.site_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER site_views_counted_on_insert AFTER INSERT ON site_views
    REFERENCING NEW TABLE AS inserted_views FOR EACH STATEMENT EXECUTE FUNCTION site_views_count_inserted();
CREATE TRIGGER site_views_counted_on_delete AFTER DELETE ON site_views
    REFERENCING OLD TABLE AS deleted_views FOR EACH STATEMENT EXECUTE FUNCTION site_views_count_deleted();
