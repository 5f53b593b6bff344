-- Webhooks. callback_url: where the evaluation's end is POSTed (null: nobody asked). The
-- delivery state lives on the evaluation's own row: the statement that records the end is the
-- one that makes the notification due (callback_status 'pending' on an ended row), so a crash
-- can never keep one without the other. callback_status: pending, delivered or failed.
ALTER TABLE evaluation ADD COLUMN callback_url VARCHAR(2048);
ALTER TABLE evaluation ADD COLUMN callback_status VARCHAR(16);
ALTER TABLE evaluation ADD COLUMN callback_attempts INT DEFAULT 0 NOT NULL;
-- the next try; null: as soon as the evaluation has ended
ALTER TABLE evaluation ADD COLUMN callback_next_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE evaluation ADD COLUMN callback_last_error VARCHAR(1000);
ALTER TABLE evaluation ADD COLUMN callback_delivered_at TIMESTAMP(6) WITH TIME ZONE;
CREATE INDEX evaluation_callback_due ON evaluation (callback_status, callback_next_at);

-- The secret that signs callbacks of requests made without an API key of their own
-- (crucible.webhooks.secret, or made on the first start and printed once). It is kept as it is:
-- signing needs it.
CREATE TABLE webhook_secret (
    id         INT          NOT NULL PRIMARY KEY,
    secret     VARCHAR(128) NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
