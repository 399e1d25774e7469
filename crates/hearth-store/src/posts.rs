//! The brand's posts with their analytics (`post_metrics`), for the social measures.

use crate::{Store, StoreError};
use hearth_model::PostMetrics;

/// One post and what its export said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct PostRow {
    /// Store id of the message.
    pub id: i64,
    /// `source:native_id`.
    pub reference: String,
    pub source: String,
    pub space: String,
    pub account: String,
    pub time: i64,
    pub text: String,
    pub metrics: PostMetrics,
}

impl Store {
    /// Every post with analytics, oldest first.
    pub fn posts(&self) -> Result<Vec<PostRow>, StoreError> {
        // CROSS JOIN keeps the posts in the lead: SQLite would otherwise walk every message in
        // time order to spare the sort (60 ms on a million-message store without one post).
        let mut stmt = self.conn.prepare(
            "SELECT m.id, s.kind, m.native_id, sp.name, a.native_id, m.time,
                    COALESCE(t.body, ''),
                    p.impressions, p.reach, p.reactions, p.comments, p.shares, p.clicks,
                    p.engagements, p.conversions, p.cost, p.value, p.followers, p.video_views,
                    p.follows, p.format
               FROM post_metrics p
              CROSS JOIN messages m ON m.id = p.message_id
               JOIN sources s ON s.id = m.source_id
               JOIN spaces sp ON sp.id = m.space_id
               JOIN accounts a ON a.id = m.account_id
               LEFT JOIN message_text t ON t.message_id = m.id
              ORDER BY m.time, m.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let source: String = r.get(1)?;
            let native: String = r.get(2)?;
            Ok(PostRow {
                id: r.get(0)?,
                reference: format!("{source}:{native}"),
                source,
                space: r.get(3)?,
                account: r.get(4)?,
                time: r.get(5)?,
                text: r.get(6)?,
                metrics: PostMetrics {
                    impressions: r.get(7)?,
                    reach: r.get(8)?,
                    reactions: r.get(9)?,
                    comments: r.get(10)?,
                    shares: r.get(11)?,
                    clicks: r.get(12)?,
                    engagements: r.get(13)?,
                    conversions: r.get(14)?,
                    cost: r.get(15)?,
                    value: r.get(16)?,
                    followers: r.get(17)?,
                    video_views: r.get(18)?,
                    follows: r.get(19)?,
                    format: r.get(20)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
