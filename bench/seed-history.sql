-- 100 000 synthetic evaluations for measuring the history pages (bench/dashboard.sh) and for the
-- large-export test. Only for a throw-away database: it writes the evaluation table directly.
INSERT INTO evaluation (id, status, language, code, stdin, timeout_seconds, memory_bytes, nano_cpus, priority, batch_id,
                        created_at, started_at, completed_at, runtime_ms, exit_code, output, stdout, stderr, error,
                        output_truncated, failure_reason, image, attempts)
SELECT
    'seed_' || LPAD(CAST(X AS VARCHAR), 7, '0'),
    CASE MOD(X, 10) WHEN 0 THEN 'failed' WHEN 1 THEN 'timeout' WHEN 2 THEN 'cancelled' ELSE 'completed' END,
    CASE MOD(X, 3) WHEN 0 THEN 'node' ELSE 'python' END,
    'print(' || X || ')',
    '',
    30, 104857600, 1000000000, 0,
    CASE WHEN MOD(X, 100) = 0 THEN 'batch_' || (X / 1000) ELSE NULL END,
    DATEADD('SECOND', X - 100000, CURRENT_TIMESTAMP),
    DATEADD('SECOND', X - 100000, CURRENT_TIMESTAMP),
    DATEADD('SECOND', X - 99999, CURRENT_TIMESTAMP),
    MOD(X * 7919, 5000) + 5,
    CASE MOD(X, 10) WHEN 0 THEN 1 WHEN 1 THEN 137 WHEN 2 THEN NULL ELSE 0 END,
    'output line of evaluation ' || X || CHAR(10),
    'output line of evaluation ' || X || CHAR(10),
    '',
    NULL,
    FALSE,
    CASE MOD(X, 10) WHEN 0 THEN 'nonzero_exit' WHEN 1 THEN 'timeout' WHEN 2 THEN 'cancelled' ELSE NULL END,
    'crucible-runtime/python:3.11',
    1
FROM SYSTEM_RANGE(1, 100000);

-- Half of them asked for a callback; one in ten of those failed (a receiver down for a day).
UPDATE evaluation SET callback_url = 'https://hooks.example.com/grader', callback_attempts = 1,
    callback_status = CASE WHEN MOD(seq, 20) = 0 THEN 'failed' ELSE 'delivered' END,
    callback_last_error = CASE WHEN MOD(seq, 20) = 0 THEN 'HTTP 503 (gave up after 12 tries)' ELSE NULL END
WHERE id LIKE 'seed_%' AND MOD(seq, 2) = 0;
