-- The admin's list of callbacks by state (/callbacks), latest ended first: each table is read in
-- that order from its index, only as far as the page asked for needs.
CREATE INDEX evaluation_callback_ended ON evaluation (callback_status, completed_at DESC);
CREATE INDEX batch_callback_ended ON batch (callback_status, finished_at DESC);
