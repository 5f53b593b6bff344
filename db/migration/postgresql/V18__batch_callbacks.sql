-- A batch upload's callback: one call when the whole batch has ended (completed or cancelled),
-- with the batch's progress document. As for evaluations, what is owed is kept on the batch's
-- own row, so the update that ends the batch is the one that makes the call due.
ALTER TABLE batch ADD COLUMN callback_url VARCHAR(2048);
ALTER TABLE batch ADD COLUMN callback_status VARCHAR(16);
ALTER TABLE batch ADD COLUMN callback_attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE batch ADD COLUMN callback_next_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE batch ADD COLUMN callback_last_error VARCHAR(1000);
ALTER TABLE batch ADD COLUMN callback_delivered_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE batch ADD COLUMN api_key_id VARCHAR(64);
CREATE INDEX batch_callback_due ON batch (callback_status, callback_next_at);
