ALTER TABLE deliveries DROP COLUMN claimed_at;
