ALTER TABLE outages DROP COLUMN last_reminder;
