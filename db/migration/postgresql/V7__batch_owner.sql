-- A batch belongs to the api process that runs its job (crucible.role all or api): that process
-- refreshes owner_heartbeat_at every crucible.dispatch.heartbeat-interval. Another api process
-- takes a batch over only when its owner has been silent for crucible.dispatch.dead-after (or,
-- on a database of one process, at start-up). Batches from before this column have no owner:
-- the first api process to look takes them.
ALTER TABLE batch ADD COLUMN owner VARCHAR(128);
ALTER TABLE batch ADD COLUMN owner_heartbeat_at TIMESTAMP(6) WITH TIME ZONE;

-- Uploads are kept relative to the batch folder (crucible.batch.folder, by default the storage
-- folder's batches/, a folder every api process can read), no longer to the storage folder.
UPDATE batch SET archive_file = SUBSTRING(archive_file, 9) WHERE archive_file LIKE 'batches/%';
