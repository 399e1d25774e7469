//! What a source reader produces: one message as the export states it, before the store
//! gives it ids and before roles are decided.

/// The author of a message as the export names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAccount {
    /// The platform's stable key for the account (for mail: the lower-cased address).
    pub native_id: String,
    /// Human-readable name, if the export carries one.
    pub display_name: Option<String>,
    /// E-mail address, if known (used by the `brand_email_domains` and `same_email` rules).
    pub email: Option<String>,
    /// The platform's handle (`@name`), if it has one (used by the `same_username` rule).
    pub username: Option<String>,
    /// Platform flags as the export states them (`admin`, `moderator`, `bot`, ...).
    pub flags: Vec<String>,
}

/// What a social platform's analytics export says about one of the brand's posts. Every
/// count is as the platform reports it; `None` when the export does not carry it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostMetrics {
    /// Times the post was shown.
    pub impressions: Option<f64>,
    /// Distinct accounts that saw it.
    pub reach: Option<f64>,
    /// Likes, reactions, favourites ("applause").
    pub reactions: Option<f64>,
    /// Replies and comments ("conversation").
    pub comments: Option<f64>,
    /// Shares, reposts, retweets, boosts ("amplification").
    pub shares: Option<f64>,
    /// Clicks on the post's link.
    pub clicks: Option<f64>,
    /// Engagements as the platform totals them (its own definition; kept for reference).
    pub engagements: Option<f64>,
    pub conversions: Option<f64>,
    /// Money spent on the post (paid reach), in the account's currency.
    pub cost: Option<f64>,
    /// Money the post earned (conversion value), same currency.
    pub value: Option<f64>,
    /// The account's followers when the post went out, when the export says.
    pub followers: Option<f64>,
    pub video_views: Option<f64>,
    /// New followers the post brought, when the export says.
    pub follows: Option<f64>,
    /// The post's format as the export names it (photo, video, link, text, …).
    pub format: Option<String>,
}

/// One message as read from an export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawMessage {
    /// The export's own id for the message (for mail: the Message-ID without angle brackets).
    /// Unique within a source; the store's duplicate key.
    pub native_id: String,
    /// The space's stable key (for mail: the List-Id, else the folder name).
    pub space: String,
    /// The space's readable name.
    pub space_name: String,
    pub author: RawAccount,
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
    pub subject: Option<String>,
    /// Plain text of the message body.
    pub text: String,
    /// Native id of the message this one answers, when the export says so.
    pub parent: Option<String>,
    /// Native ids (same source) of the accounts this message mentions (`@name`, `<@U…>`).
    pub mentions: Vec<String>,
    /// Analytics of a brand post (social analytics exports only).
    pub metrics: Option<PostMetrics>,
}
