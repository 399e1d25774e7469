//! `linkedin`: a LinkedIn page's post export (Page analytics → Updates → Export, the "All
//! posts" sheet saved as CSV). The sheet starts with a description line; the header row is
//! found below it.
//!
//! **Mapping:** `Post link` (or `Update link`) → id (the URL is the only id the export
//! gives); `Created date` (`MM/DD/YYYY`) → time; `Post title` / `Update title` → text;
//! `Impressions`; `Unique impressions` → reach; `Likes` → reactions; `Comments`; `Reposts`
//! → shares; `Clicks`; `Follows`; `Content type` → format. The account is the `Posted by`
//! column, else the file name.
//!
//! **Known gaps:** dates have no time of day (posts are placed at 00:00 UTC, so best-time-
//! to-post by hour does not use them); no cost or conversions (sponsored content is in the
//! Campaign Manager export, not here).
//!
//! **Checked against:** `fixtures/social/linkedin-posts.csv`, written by hand in the
//! export's layout (no LinkedIn data is shared).

use crate::social::{Platform, account_in_file_name};

pub static LINKEDIN: Platform = Platform {
    id: "linkedin",
    name: "LinkedIn",
    post_id: &["post link", "update link"],
    time: &["created date"],
    text: &["post title", "update title"],
    permalink: &["post link", "update link"],
    account: &["posted by"],
    impressions: &["impressions"],
    reach: &["unique impressions"],
    reactions: &["likes", "reactions"],
    comments: &["comments"],
    shares: &["reposts", "shares"],
    clicks: &["clicks"],
    engagements: &[],
    conversions: &[],
    cost: &[],
    value: &[],
    followers: &[],
    video_views: &["views"],
    follows: &["follows"],
    format: &["content type", "post type"],
    account_from: account_in_file_name,
    month_first: true,
};
