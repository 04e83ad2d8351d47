-- When a delivery's send began; NULL when no send is under way. Written and committed before
-- anything leaves, so a round that dies mid-send leaves a trace instead of a silent resend.
ALTER TABLE deliveries ADD COLUMN claimed_at TIMESTAMP;
