-- The admin login of the web UI. The password is stored as a BCrypt hash only.
CREATE TABLE admin_account (
    username      VARCHAR(64)  NOT NULL PRIMARY KEY,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- API keys. A key is shown once when it is made; only its SHA-256 is kept (keys are long and
-- random, so a fast hash is safe and lets every request be checked with one index lookup).
CREATE TABLE api_key (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    prefix       VARCHAR(16)  NOT NULL,
    key_hash     VARCHAR(64)  NOT NULL UNIQUE,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP(6) WITH TIME ZONE,
    revoked_at   TIMESTAMP(6) WITH TIME ZONE
);

-- the dashboard's throughput over the last hour
CREATE INDEX evaluation_completed ON evaluation (completed_at);
-- history filtered by language or batch, newest first
CREATE INDEX evaluation_language_history ON evaluation (language, seq DESC);
CREATE INDEX evaluation_batch_history ON evaluation (batch_id, seq DESC);
