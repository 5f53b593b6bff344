-- Files a program wrote under /out, kept with its evaluation and removed with it.
CREATE TABLE evaluation_artifact (
    evaluation_id VARCHAR(64)   NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    name          VARCHAR(4000) NOT NULL,
    size          BIGINT        NOT NULL,
    sha256        CHAR(64)      NOT NULL,
    content       BLOB          NOT NULL,
    PRIMARY KEY (evaluation_id, name)
);
-- What was left out of them, and why (one note per line; null: nothing).
ALTER TABLE evaluation ADD COLUMN artifact_notes TEXT;
