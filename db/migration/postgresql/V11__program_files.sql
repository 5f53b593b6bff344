-- Files placed beside the program (a JSON array of {name, content}; null: none).
ALTER TABLE evaluation ADD COLUMN files TEXT;
