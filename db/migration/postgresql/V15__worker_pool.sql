-- What each worker's pool of pre-started containers holds, as its heartbeat says: containers
-- ready now and how many it has handed out since it started. Null when the pool is off (or the
-- worker is older than this column), so the workers page can tell "off" from "empty".
ALTER TABLE worker ADD COLUMN pool_ready INT;
ALTER TABLE worker ADD COLUMN pool_handed_out BIGINT;
