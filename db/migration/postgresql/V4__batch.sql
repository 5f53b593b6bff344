-- A batch: many programs uploaded at once, each run as an evaluation of the queue (evaluation.batch_id).
CREATE TABLE batch (
    id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    name             VARCHAR(200) NOT NULL,
    -- archive (a .zip or .tar.gz), files (many files in one upload), json (POST /api/eval-batch)
    kind             VARCHAR(16)  NOT NULL,
    -- running, completed, stopped (interrupted, can be restarted), cancelled
    status           VARCHAR(16)  NOT NULL,
    total            INT          NOT NULL,
    skipped          INT          NOT NULL DEFAULT 0,
    default_language VARCHAR(32),
    default_timeout  INT,
    default_memory   VARCHAR(32),
    default_cpu      VARCHAR(32),
    priority         INT          NOT NULL DEFAULT 0,
    -- the stored upload, relative to the storage folder
    archive_file     VARCHAR(1024),
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP(6) WITH TIME ZONE,
    job_execution_id BIGINT,
    error            TEXT
);
CREATE INDEX batch_created ON batch (created_at DESC);

-- Every file of a batch: a program (with its evaluation once ingested) or a skipped file.
CREATE TABLE batch_item (
    batch_id        VARCHAR(64)   NOT NULL,
    item_index      INT           NOT NULL,
    path            VARCHAR(1024) NOT NULL,
    eval_id         VARCHAR(64),
    skip_reason     VARCHAR(200),
    -- the program's own settings (from the manifest or the extension); null: the batch's defaults
    language        VARCHAR(32),
    timeout_seconds INT,
    stdin           TEXT,
    expected_output TEXT,
    PRIMARY KEY (batch_id, item_index)
);
CREATE INDEX batch_item_eval ON batch_item (eval_id);
-- the dispatcher's fairness between interactive work and batches
CREATE INDEX evaluation_lane ON evaluation (status, batch_id, priority DESC, seq);
