-- Derived data still to compute, marked in the same transaction as the messages it derives
-- from, and cleared in the transaction that stores it: a kill between the two leaves the
-- mark, and the next ingest or report completes the work.
--   kind 'links':   replies of source `id` whose stated parent is to be looked up
--   kind 'replies': chat space `id` whose reply inference is to be (re)run
CREATE TABLE pending (
    kind TEXT NOT NULL CHECK (kind IN ('links', 'replies')),
    id   INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
