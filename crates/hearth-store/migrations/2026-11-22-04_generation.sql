-- A counter bumped inside every write transaction. The snapshot cache (DIR/snapshot.cache)
-- is valid only for the generation it was built from, so it can never be stale.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO store_meta (key, value) VALUES ('generation', 1);
