-- The memory a worker's running evaluations may hold together (crucible.worker.memory-budget, or
-- what it measured on its Docker host), so that an api process can refuse at once a memory limit
-- that no live worker could ever start.
ALTER TABLE worker ADD COLUMN memory_budget BIGINT;
