//! `instagram`: an Instagram professional account's post export from Meta Business Suite
//! (Insights → Content → Export, CSV, one row a post).
//!
//! **Mapping:** `Post ID` → id; `Publish time` (`MM/DD/YYYY HH:MM`, read as UTC) → time;
//! `Description` → text; `Permalink`; `Account username` → account; `Impressions` (newer
//! exports: `Views`); `Reach`; `Likes` → reactions; `Comments`; `Shares`; `Follows`;
//! `Post type` → format. `Saves` are not read.
//!
//! **Known gaps:** as for `facebook`: the publish time has no zone; no clicks (Instagram
//! posts carry no links) and no paid results.
//!
//! **Checked against:** `fixtures/social/instagram-posts.csv`, written by hand in the
//! export's layout (no Instagram data is shared).

use crate::social::{Platform, account_in_file_name};

pub static INSTAGRAM: Platform = Platform {
    id: "instagram",
    name: "Instagram",
    post_id: &["post id"],
    time: &["publish time"],
    text: &["description"],
    permalink: &["permalink"],
    account: &["account username"],
    impressions: &["impressions", "views"],
    reach: &["reach"],
    reactions: &["likes"],
    comments: &["comments"],
    shares: &["shares"],
    clicks: &[],
    engagements: &[],
    conversions: &[],
    cost: &[],
    value: &[],
    followers: &[],
    video_views: &["plays"],
    follows: &["follows"],
    format: &["post type"],
    account_from: account_in_file_name,
    month_first: true,
};
