ALTER TABLE sites DROP COLUMN failing_since;
