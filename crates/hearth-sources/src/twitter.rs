//! `twitter`: the X/Twitter post activity export (`tweet_activity_metrics_<account>_<from>_<to>_en.csv`,
//! analytics.twitter.com → Tweets → Export data "By Tweet"), one row a post, 40 columns.
//!
//! **Mapping** (see `social.rs` for what all analytics readers share): `Tweet id` → id;
//! `time` (`2021-04-30 09:32 +0000`) → time; `Tweet text` → text; `impressions`;
//! `engagements` (X's own total, which also counts detail expands, profile and hashtag clicks);
//! `likes` → reactions; `replies` → comments; `retweets` → shares; `url clicks` → clicks;
//! `follows`; `media views` → video views. The account is the permalink's first path segment
//! (`https://twitter.com/ADHOrg/status/…`), else the file name's part before the dates.
//!
//! **Known gaps:** the export has no reach, no follower count, no cost or conversions
//! (promoted columns are `-` for organic posts and are not read); replies to the brand are
//! counted, not linked. The daily file (`daily_tweet_activity_metrics_*.csv`) holds account
//! totals per day, not posts: it is passed over with one `not_conversation` diagnostic.
//!
//! **Checked against:** the @ADHOrg exports in `../shared/data/social/twitter-adho`.

use crate::social::{Platform, account_in_file_name, account_in_url};
use std::path::Path;

fn account(permalink: Option<&str>, file: &Path) -> Option<String> {
    account_in_url(permalink, file).or_else(|| account_in_file_name(None, file))
}

pub static TWITTER: Platform = Platform {
    id: "twitter",
    name: "X",
    post_id: &["tweet id"],
    time: &["time"],
    text: &["tweet text"],
    permalink: &["tweet permalink"],
    account: &[],
    impressions: &["impressions"],
    reach: &[],
    reactions: &["likes"],
    comments: &["replies"],
    shares: &["retweets"],
    clicks: &["url clicks"],
    engagements: &["engagements"],
    conversions: &[],
    cost: &[],
    value: &[],
    followers: &[],
    video_views: &["media views"],
    follows: &["follows"],
    format: &[],
    account_from: account,
    month_first: false,
};
