-- A row-level trigger rewrote a site's row once for each view inserted, and a check round then
-- rewrote it again with the site's new state: two thirds of the cost of storing a view. The
-- writers now count the views they insert in the same transaction (a round with the state it
-- records, any other insert with one UPDATE per statement); deletions stay counted here.
DROP TRIGGER site_views_counted_on_insert;
