-- Erasure on request: what is remembered of an erased person is keyed hashes of their
-- account ids and addresses (so a re-ingest keeps them erased), and the anonymous person
-- their messages were moved to (NULL when the messages were dropped).
CREATE TABLE erasure_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB NOT NULL                      -- 32 random bytes, the HMAC key
);

CREATE TABLE erasures (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    dropped   INTEGER NOT NULL CHECK (dropped IN (0, 1)),
    person_id INTEGER REFERENCES persons(id) -- the anonymous person, or NULL (dropped)
);

CREATE TABLE erased_keys (
    key_hash   TEXT PRIMARY KEY,           -- hex HMAC-SHA256 of "source\0id" or "email\0address"
    erasure_id INTEGER NOT NULL REFERENCES erasures(id)
) WITHOUT ROWID;
