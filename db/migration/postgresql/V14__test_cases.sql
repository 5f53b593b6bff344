-- Test cases: as submitted (a JSON array of {name, stdin, expected_output, args}; null: none),
-- how each went (a JSON array, once ended) and the counts the history and the CSV show.
ALTER TABLE evaluation ADD COLUMN test_cases TEXT;
ALTER TABLE evaluation ADD COLUMN test_results TEXT;
ALTER TABLE evaluation ADD COLUMN tests_passed INTEGER;
ALTER TABLE evaluation ADD COLUMN tests_total INTEGER;
-- The evaluation's verdict as its worker judged it (null: nothing to judge), for lists and CSVs.
ALTER TABLE evaluation ADD COLUMN verdict VARCHAR(16);
-- A batch program's settings from manifest.json beyond the columns above (a JSON object of args,
-- test_cases, compare_mode, tolerance and files; null: none).
ALTER TABLE batch_item ADD COLUMN settings TEXT;
