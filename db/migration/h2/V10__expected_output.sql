-- An evaluation's expected output and how its stdout is compared with it (trim, exact, tokens,
-- numeric within tolerance); the verdict follows from these, the status and stdout when read.
ALTER TABLE evaluation ADD COLUMN expected_output TEXT;
ALTER TABLE evaluation ADD COLUMN compare_mode VARCHAR(16);
ALTER TABLE evaluation ADD COLUMN tolerance DOUBLE PRECISION;
