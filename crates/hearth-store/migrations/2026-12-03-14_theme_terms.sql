-- Two more text measures, computed with the others (lexicon 2 computes every row again):
-- whether the message uses a welcome phrase (the role audit's welcomes), and its theme terms
-- (the words the themes metric counts), as delta-encoded varint ids into `terms`.
ALTER TABLE text_measures ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;  -- bit 0: welcome
ALTER TABLE text_measures ADD COLUMN terms BLOB;

-- The theme terms' vocabulary: only words some stored message uses (an erasure removes the
-- rest).
CREATE TABLE terms (
    id   INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE
);
