-- The team server: people who log in, the tokens scripts use, their sessions, login
-- throttling, and the log of every change (who, when, what). Secrets are stored hashed only:
-- passwords as Argon2id PHC strings, session ids and tokens as SHA-256 of their random bytes;
-- a session's CSRF token is derived from its id, so it is not stored at all.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'community', 'social', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'community', 'social', 'viewer')),
    token_hash   TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the token
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,        -- hex SHA-256 of the cookie's value
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per subject ('user:NAME' or 'addr:IP'); a row with locked_at set refuses
-- every login of its subject until an admin clears it (or, for addresses, it expires).
CREATE TABLE login_failures (
    subject    TEXT PRIMARY KEY,
    failures   INTEGER NOT NULL,
    last_at    INTEGER NOT NULL,
    locked_at  INTEGER
);

-- Every change made through Hearth: queue state, assignment, notes, merges, splits, rule
-- edits, users, tokens, ingests, erasures. `detail` is a JSON object.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    time    INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_time ON audit_log (time);
