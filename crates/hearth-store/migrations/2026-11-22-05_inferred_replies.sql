-- Who answers whom in chat without threads: the parent inferred for a message that has no
-- explicit one (see hearth_analysis::replies). Rebuilt per space after each ingest; a
-- message that starts a conversation has no row.
CREATE TABLE inferred_replies (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id),
    parent_id  INTEGER NOT NULL REFERENCES messages(id),
    method     TEXT NOT NULL,      -- e.g. 'model-1': the shipped reply model, version 1
    confidence REAL NOT NULL       -- the model's probability for this parent, 0..1
);
