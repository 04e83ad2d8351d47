-- A delivery is now marked just before the message is handed over (the SMTP payload, the HTTP
-- request) rather than when its send begins: a send cut short before that point is simply
-- sent again; only one cut short after it has an unknown outcome.
ALTER TABLE deliveries RENAME COLUMN claimed_at TO handed_over_at;
