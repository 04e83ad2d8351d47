-- The statement-level trigger locked and rewrote every site row a batch of views touched, and a
-- check round then rewrote the same rows again with the sites' new states. The writers now count
-- the views they insert in the same transaction (a round with the state it records, any other
-- insert with one UPDATE per statement); deletions stay counted here.
DROP TRIGGER site_views_counted_on_insert ON site_views;
DROP FUNCTION site_views_count_inserted();
