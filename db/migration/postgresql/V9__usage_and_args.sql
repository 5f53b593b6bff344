-- What a run used, as the sandbox's launcher measured it inside the container (getrusage of the
-- program and its waited-for descendants): user + system CPU time, and the largest resident size.
-- Null when the run was killed before the launcher could report (time limit, memory limit) or
-- never started.
ALTER TABLE evaluation ADD COLUMN cpu_time_ms BIGINT;
ALTER TABLE evaluation ADD COLUMN peak_memory_kb BIGINT;
CREATE INDEX evaluation_cpu_time ON evaluation (cpu_time_ms);
CREATE INDEX evaluation_peak_memory ON evaluation (peak_memory_kb);

-- The program's arguments after the language's command (a JSON array of strings; null: none).
ALTER TABLE evaluation ADD COLUMN args TEXT;
