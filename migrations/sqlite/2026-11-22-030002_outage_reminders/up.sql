-- The number n of the latest reminder interval (outage start + n x interval) that has been
-- reminded of, or that had already passed when the outage opened. Raised by one conditional
-- UPDATE in the transaction that queues the reminder, so no reminder is sent twice.
ALTER TABLE outages ADD COLUMN last_reminder INTEGER NOT NULL DEFAULT 0;
