//! `social-csv`: Hearth's generic social analytics CSV, for any platform without a reader of
//! its own (a scheduling tool's export, a spreadsheet). One row a post; columns by name, any
//! order (`docs/social-csv.md`):
//!
//! `post_id`, `time` (required); `channel` (the platform, e.g. `tiktok`; default `social`),
//! `account`, `text`, `permalink`, `impressions`, `reach`, `reactions`, `comments`, `shares`,
//! `clicks`, `conversions`, `cost`, `value`, `followers` (the account's followers when the
//! post went out), `video_views`, `follows`, `format`.
//!
//! **Mapping:** one-to-one onto [`PostMetrics`](hearth_model::PostMetrics); time as RFC 3339,
//! `YYYY-MM-DD HH:MM` (UTC) or seconds since 1970. The space is `social-csv:<account>`; the
//! channel is kept in the space name.
//!
//! **Checked against:** `fixtures/social/posts.csv`, written to this schema.

use crate::social::{Platform, account_in_file_name};

pub static SOCIAL_CSV: Platform = Platform {
    id: "social-csv",
    name: "social media",
    post_id: &["post_id", "id"],
    time: &["time"],
    text: &["text"],
    permalink: &["permalink"],
    account: &["account"],
    impressions: &["impressions"],
    reach: &["reach"],
    reactions: &["reactions"],
    comments: &["comments"],
    shares: &["shares"],
    clicks: &["clicks"],
    engagements: &["engagements"],
    conversions: &["conversions"],
    cost: &["cost"],
    value: &["value"],
    followers: &["followers"],
    video_views: &["video_views"],
    follows: &["follows"],
    format: &["format"],
    account_from: account_in_file_name,
    month_first: false,
};
