-- When the site's current run of failed checks began; NULL while it is up.
ALTER TABLE sites ADD COLUMN failing_since TIMESTAMP;
