-- Listening: where each connected account's sync stopped, and replies written from the queue.
--
-- A cursor per network, account and stream (`feed`: the brand's own posts and their counts;
-- `notifications`: replies and mentions addressed to it). `position` is the network's own
-- marker (Bluesky: the newest notification's indexedAt; Mastodon: the newest notification's
-- id); a sync asks only for what came after it, so a re-run adds nothing.
CREATE TABLE sync_cursors (
    network   TEXT NOT NULL,
    account   TEXT NOT NULL,
    stream    TEXT NOT NULL,
    position  TEXT NOT NULL,
    synced_at INTEGER NOT NULL,
    PRIMARY KEY (network, account, stream)
);

-- A post that answers a message (`source:native_id` of a stored message: a reply published
-- under it), and the queue item it closes once published.
ALTER TABLE outbox_posts ADD COLUMN reply_to TEXT;
ALTER TABLE outbox_posts ADD COLUMN queue_key TEXT;
