-- The outbox: posts the social team writes, reviews, schedules and publishes from Hearth.
-- A post moves draft -> in_review -> approved -> scheduled -> published (or failed, with the
-- network's reason; or cancelled). Its text may differ per network (outbox_versions), and it
-- may carry images with alt text (outbox_media, the bytes themselves: a post must publish the
-- same image it was approved with).
CREATE TABLE outbox_posts (
    id            INTEGER PRIMARY KEY,
    state         TEXT NOT NULL CHECK (state IN
                    ('draft', 'in_review', 'approved', 'scheduled', 'published', 'failed', 'cancelled')),
    text          TEXT NOT NULL,
    networks      TEXT NOT NULL,          -- comma list: bluesky,mastodon
    author        TEXT NOT NULL,          -- the audit log's actor (user:NAME, cli:NAME)
    approved_by   TEXT,
    scheduled_at  INTEGER,                -- UTC seconds
    schedule_note TEXT,                   -- how the time was chosen (best time and its sample)
    reason        TEXT,                   -- why it failed or was cancelled
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX outbox_posts_due ON outbox_posts (state, scheduled_at);

CREATE TABLE outbox_versions (
    post_id INTEGER NOT NULL REFERENCES outbox_posts (id) ON DELETE CASCADE,
    network TEXT NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (post_id, network)
);

CREATE TABLE outbox_media (
    post_id   INTEGER NOT NULL REFERENCES outbox_posts (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    mime      TEXT NOT NULL,
    alt       TEXT NOT NULL,
    bytes     BLOB NOT NULL,
    PRIMARY KEY (post_id, position)
);

-- One delivery a post and network: the idempotency key (Bluesky: the record key Hearth
-- chose; Mastodon: the Idempotency-Key header) and the exact request body are written here
-- before the request goes out, so a run after a crash asks the network about that key
-- before it sends anything again.
CREATE TABLE outbox_deliveries (
    post_id    INTEGER NOT NULL REFERENCES outbox_posts (id) ON DELETE CASCADE,
    network    TEXT NOT NULL,
    account    TEXT NOT NULL,
    key        TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    request    TEXT NOT NULL,             -- the record or status sent (JSON)
    uri        TEXT,                      -- at:// URI or status URL once sent
    remote_id  TEXT,                      -- CID or status id
    error      TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, network)
);
