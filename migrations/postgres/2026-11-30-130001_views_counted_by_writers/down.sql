CREATE FUNCTION site_views_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sites WHERE id IN (SELECT site_id FROM inserted_views) ORDER BY id FOR NO KEY UPDATE;
    UPDATE sites SET view_count = sites.view_count + added.n
    FROM (SELECT site_id, COUNT(*) AS n FROM inserted_views GROUP BY site_id) AS added
    WHERE sites.id = added.site_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER site_views_counted_on_insert AFTER INSERT ON site_views
    REFERENCING NEW TABLE AS inserted_views FOR EACH STATEMENT EXECUTE FUNCTION site_views_count_inserted();
