//! `facebook`: a Facebook page's post export from Meta Business Suite (Insights → Content →
//! Export, CSV, one row a post).
//!
//! **Mapping:** `Post ID` → id; `Publish time` (`MM/DD/YYYY HH:MM`, the page's time zone,
//! read as UTC) → time; `Description` (else `Title`) → text; `Permalink`; `Page name` →
//! account; `Impressions`; `Reach`; `Reactions` → reactions; `Comments`; `Shares`; `Link
//! clicks` (else `Total clicks`) → clicks; `Post type` → format.
//!
//! **Known gaps:** the publish time carries no zone (set the page to UTC before exporting, or
//! hours are shifted by its offset); paid results and conversions are in Ads Manager exports.
//!
//! **Checked against:** `fixtures/social/facebook-posts.csv`, written by hand in the
//! export's layout (no Facebook data is shared).

use crate::social::{Platform, account_in_file_name};

pub static FACEBOOK: Platform = Platform {
    id: "facebook",
    name: "Facebook",
    post_id: &["post id"],
    time: &["publish time"],
    text: &["description", "title"],
    permalink: &["permalink"],
    account: &["page name"],
    impressions: &["impressions"],
    reach: &["reach"],
    reactions: &["reactions"],
    comments: &["comments"],
    shares: &["shares"],
    clicks: &["link clicks", "total clicks"],
    engagements: &["reactions, comments and shares"],
    conversions: &[],
    cost: &[],
    value: &[],
    followers: &[],
    video_views: &["3-second video views", "views"],
    follows: &[],
    format: &["post type"],
    account_from: account_in_file_name,
    month_first: true,
};
