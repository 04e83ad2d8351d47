ALTER TABLE deliveries RENAME COLUMN handed_over_at TO claimed_at;
