-- Every process that runs evaluations (crucible.role all or worker), as it last said of itself.
-- A worker whose heartbeat is older than crucible.dispatch.dead-after is marked dead by any live
-- node; its running evaluations are recovered through their own heartbeats.
CREATE TABLE worker (
    id             VARCHAR(128) NOT NULL PRIMARY KEY,
    host           VARCHAR(255) NOT NULL,
    -- running, draining (claims nothing new), stopped (shut down gracefully), dead (went silent)
    state          VARCHAR(16)  NOT NULL,
    docker_version VARCHAR(64),
    -- the runtime images present on its host, one "image id digest" per line
    images         CLOB,
    slots          INT          NOT NULL,
    slots_in_use   INT          NOT NULL DEFAULT 0,
    started_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    heartbeat_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX worker_state ON worker (state, heartbeat_at);
