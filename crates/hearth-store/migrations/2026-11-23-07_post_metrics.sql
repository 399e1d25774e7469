-- Analytics of the brand's own posts, as social analytics exports state them (one row per
-- post; a later export of the same post replaces the row: counts only grow over time).
CREATE TABLE post_metrics (
    message_id  INTEGER PRIMARY KEY REFERENCES messages(id),
    impressions REAL,
    reach       REAL,
    reactions   REAL,
    comments    REAL,
    shares      REAL,
    clicks      REAL,
    engagements REAL,
    conversions REAL,
    cost        REAL,
    value       REAL,
    followers   REAL,
    video_views REAL,
    follows     REAL,
    format      TEXT
);
