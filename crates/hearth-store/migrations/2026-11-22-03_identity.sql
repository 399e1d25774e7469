-- Identity: an account's platform username (for the same-username rule), and the merges and
-- splits people made by hand (`hearth people merge|split`). Persons are derived from these
-- and the rules in hearth.toml when a report runs; no account or message is ever moved.
ALTER TABLE accounts ADD COLUMN username TEXT;

CREATE TABLE identity_actions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    account_a  INTEGER NOT NULL REFERENCES accounts(id),
    account_b  INTEGER REFERENCES accounts(id),      -- NULL for a split
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    CHECK ((kind = 'merge') = (account_b IS NOT NULL))
);
