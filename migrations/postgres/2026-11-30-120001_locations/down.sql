ALTER TABLE outage_sites DROP COLUMN up_from;
ALTER TABLE outage_sites DROP COLUMN down_from;
ALTER TABLE site_views DROP CONSTRAINT site_views_pkey;
ALTER TABLE site_views ADD PRIMARY KEY (site_id, checked_at);
ALTER TABLE site_views DROP COLUMN location;
DROP TABLE site_locations;
DROP TABLE locations;
CREATE OR REPLACE FUNCTION site_views_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sites WHERE id IN (SELECT site_id FROM inserted_views) ORDER BY id FOR UPDATE;
    UPDATE sites SET view_count = sites.view_count + added.n
    FROM (SELECT site_id, COUNT(*) AS n FROM inserted_views GROUP BY site_id) AS added
    WHERE sites.id = added.site_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION site_views_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM sites WHERE id IN (SELECT site_id FROM deleted_views) ORDER BY id FOR UPDATE;
    UPDATE sites SET view_count = sites.view_count - removed.n
    FROM (SELECT site_id, COUNT(*) AS n FROM deleted_views GROUP BY site_id) AS removed
    WHERE sites.id = removed.site_id;
    RETURN NULL;
END
$$;
