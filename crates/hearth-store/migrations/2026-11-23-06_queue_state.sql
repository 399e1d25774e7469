-- The state of work-queue items (hearth queue). Items themselves are computed from the data
-- each time; only what people decided about them is stored, keyed by a stable text key built
-- from the exports' own ids (see hearth's commands/queue.rs), so it survives re-ingest.
CREATE TABLE queue_state (
    key           TEXT PRIMARY KEY,
    status        TEXT NOT NULL CHECK (status IN ('open', 'done', 'snoozed')),
    snoozed_until INTEGER,               -- seconds since 1970-01-01 UTC, for 'snoozed'
    assignee      TEXT,
    note          TEXT,
    updated_at    INTEGER NOT NULL
);
