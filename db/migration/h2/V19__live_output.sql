-- Live output (GET /api/eval/{id}/events): what a running evaluation's program has written so far,
-- so that an event stream on any node can follow it. The worker adds the text that arrived since
-- its last look about every 250 ms, one row per stretch of one stream, with its place in the
-- run's combined output (offsets in UTF-16 units, as the output column holds it); rows of ended
-- evaluations are removed a little later, when output and output_segments say it all.
CREATE TABLE evaluation_output_chunk (
    evaluation_id VARCHAR(64) NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    attempt       INT         NOT NULL,
    start_offset  INT         NOT NULL,
    end_offset    INT         NOT NULL,
    stderr        BOOLEAN     NOT NULL,
    text          CLOB        NOT NULL,
    PRIMARY KEY (evaluation_id, attempt, start_offset)
);
-- Which stream each stretch of an ended run's combined output came from: "o<length>" (stdout) and
-- "e<length>" (stderr) joined by commas, lengths in UTF-16 units; null when unknown (test cases,
-- evaluations recorded before this column, or no output); past 10 000 stretches the rest is one
-- "m<length>" (both streams, mixed).
ALTER TABLE evaluation ADD COLUMN output_segments CLOB;
