-- Each API key signs the callbacks of the evaluations submitted with it, with a secret of its own
-- (made with the key and shown once with it; kept as it is, since signing needs it). Keys made
-- before this column have none: their callbacks are signed with the installation's secret.
ALTER TABLE api_key ADD COLUMN signing_secret VARCHAR(128);
-- The API key an evaluation was submitted with (null: CRUCIBLE_API_TOKEN, protected mode, the web UI).
ALTER TABLE evaluation ADD COLUMN api_key_id VARCHAR(64);
