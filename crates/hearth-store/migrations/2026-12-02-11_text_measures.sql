-- Text measures computed once per message, while the text is in memory at ingest (see
-- hearth_analysis::text::measures): sentiment, intent as a thread start and as a reply, and
-- which [brand] names and competitors the message names. Each row records what computed it;
-- rows of another lexicon or names key are computed again from the stored text.
CREATE TABLE text_measures (
    message_id   INTEGER PRIMARY KEY REFERENCES messages(id),
    lexicon      INTEGER NOT NULL,
    names_key    INTEGER NOT NULL,
    compound     REAL NOT NULL,
    label        INTEGER NOT NULL,  -- -1 negative, 0 neutral, 1 positive
    intent_root  INTEGER NOT NULL,  -- an index into hearth_analysis::text::intent::Intent::ALL
    intent_reply INTEGER NOT NULL,
    names        INTEGER NOT NULL   -- bit k: names group k (0 the brand, then competitors)
);

-- One row when every message has its measures for this (lexicon, names key); none otherwise.
CREATE TABLE measures_state (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    lexicon   INTEGER NOT NULL,
    names_key INTEGER NOT NULL
);
