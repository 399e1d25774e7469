-- Hearth store, first schema. Row structs live in src/rows.rs; queries in src/*.rs.

CREATE TABLE sources (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL UNIQUE              -- reader id: 'mbox', ...
);

CREATE TABLE spaces (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    native_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (source_id, native_id)
);

CREATE TABLE persons (
    id           INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL
);

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    native_id    TEXT NOT NULL,            -- mail: lower-cased address
    display_name TEXT,
    email        TEXT,
    flags        TEXT NOT NULL DEFAULT '[]', -- JSON array of platform flags
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    UNIQUE (source_id, native_id)
);
CREATE INDEX accounts_person ON accounts(person_id);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources(id),
    native_id     TEXT NOT NULL,
    space_id      INTEGER NOT NULL REFERENCES spaces(id),
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    time          INTEGER NOT NULL,        -- seconds since 1970-01-01 UTC
    subject       TEXT,
    parent_native TEXT,                    -- the export's id of the parent, as stated
    parent_id     INTEGER REFERENCES messages(id), -- set once the parent is in the store
    UNIQUE (source_id, native_id)
);
CREATE INDEX messages_unresolved ON messages(source_id) WHERE parent_id IS NULL AND parent_native IS NOT NULL;

CREATE TABLE message_text (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id),
    body       TEXT NOT NULL
);

-- One row per file read: what came in, what was kept, what was skipped and why.
CREATE TABLE ingests (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    path        TEXT NOT NULL,
    finished_at INTEGER NOT NULL,
    read        INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    skipped_by_reason TEXT NOT NULL        -- JSON object reason -> count
);
