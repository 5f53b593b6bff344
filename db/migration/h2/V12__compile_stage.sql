-- The compile stage of compiled languages: its time limit as submitted (null: not compiled) and
-- what became of it (null until it ran).
ALTER TABLE evaluation ADD COLUMN compile_timeout_seconds INTEGER;
ALTER TABLE evaluation ADD COLUMN compile_output TEXT;
ALTER TABLE evaluation ADD COLUMN compile_exit_code INTEGER;
ALTER TABLE evaluation ADD COLUMN compile_time_ms BIGINT;
ALTER TABLE evaluation ADD COLUMN compile_cpu_time_ms BIGINT;
ALTER TABLE evaluation ADD COLUMN compile_peak_memory_kb BIGINT;
