-- The installation row exists once, even when several processes start on a new database at
-- the same moment: a second insert breaks this key, and its process reads the first one's id.
ALTER TABLE installation ADD COLUMN singleton BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE installation ADD CONSTRAINT installation_one_row UNIQUE (singleton);
ALTER TABLE installation ADD CONSTRAINT installation_singleton_true CHECK (singleton);
