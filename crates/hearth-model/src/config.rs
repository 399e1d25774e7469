//! The user's configuration, `DIR/hearth.toml`. Parsed by the binary; the model only holds it.

use serde::{Deserialize, Serialize};

/// Everything `hearth.toml` can say. Unknown keys are an error, so a typo never silently
/// changes who counts as brand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub roles: RoleRules,
    pub identity: IdentityRules,
    pub replies: ReplyRules,
    pub brand: BrandRules,
    pub route: RouteRules,
    pub queue: QueueRules,
    pub social: SocialRules,
    pub limits: Limits,
}

/// Size limits that keep memory bounded on hostile files (see `hearth_sources::limits`).
/// Unset: the environment's `HEARTH_MAX_RECORD_BYTES` / `HEARTH_MAX_FILE_BYTES`, else the
/// defaults (64 MiB a record, 64 GiB out of one compressed stream).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// The most bytes one record may take (a JSON element, a line, a mail message).
    pub record_bytes: Option<u64>,
    /// The most bytes read out of one compressed stream (a `.zst` file, a zip entry).
    pub file_bytes: Option<u64>,
}

/// The confidence below which inferred parents are ignored by default: the threshold with the
/// best reply-link F on irc-ubuntu `dev/` (docs/metrics.md, *Reply inference*).
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.2;

/// Whether metrics use the parents inferred for chat without threads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplyRules {
    /// Use inferred parents (IRC, Slack channels, Discord, Telegram) as replies.
    pub use_inferred: bool,
    /// Ignore inferred parents whose confidence is below this (0 to 1). The default,
    /// [`DEFAULT_MIN_CONFIDENCE`], was chosen on irc-ubuntu `dev/` for the best F.
    pub min_confidence: f64,
}

impl Default for ReplyRules {
    fn default() -> Self {
        ReplyRules {
            use_inferred: true,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
        }
    }
}

impl ReplyRules {
    /// Drops the inferred parents these rules do not accept from a snapshot.
    pub fn apply(&self, snapshot: &mut crate::Snapshot) {
        let m = &mut snapshot.messages;
        if m.inferred.is_empty() {
            return;
        }
        for i in 0..m.inferred.len() {
            let c = m.inferred[i];
            if c > 0.0 && (!self.use_inferred || f64::from(c) < self.min_confidence) {
                m.parent[i] = crate::NO_PARENT;
                m.inferred[i] = 0.0;
            }
        }
        if m.inferred.iter().all(|c| *c == 0.0) {
            m.inferred.clear();
        }
    }
}

/// Rules that merge accounts into persons. See `docs/metrics.md` ("People and accounts").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityRules {
    /// Accounts with the same e-mail address (case-insensitive) are one person.
    pub same_email: bool,
    /// Accounts with the same username on different platforms are one person. Off by
    /// default: `alex` on a forum and `alex` on Slack may be two people.
    pub same_username: bool,
    /// Groups of accounts that are one person, each written `source:id`
    /// (`["mbox:alice@example.org", "slack:U051SS2EU"]`).
    pub links: Vec<Vec<String>>,
}

impl Default for IdentityRules {
    fn default() -> Self {
        IdentityRules {
            same_email: true,
            same_username: false,
            links: Vec::new(),
        }
    }
}

/// Rules that decide each person's role. Explicit lists win over domains; see
/// `docs/metrics.md` ("Roles") for the order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoleRules {
    /// Authors whose e-mail domain is one of these (or a subdomain) are brand.
    pub brand_email_domains: Vec<String>,
    /// Platform ids or e-mail addresses of brand accounts.
    pub brand_accounts: Vec<String>,
    /// Platform ids or e-mail addresses of bots.
    pub bot_accounts: Vec<String>,
    /// Names of platform roles that mean brand (a Discord server role such as `Team`).
    pub brand_platform_roles: Vec<String>,
}

/// How the brand and its products are named in messages (for routing; case-insensitive,
/// whole words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrandRules {
    /// The brand's and its products' names as people write them (`["Ettus", "USRP"]`).
    pub names: Vec<String>,
    /// Competitors for share of voice: name → names as people write them.
    pub competitors: std::collections::BTreeMap<String, Vec<String>>,
    /// The brand's time zone as a UTC offset (`+10:00`), for best time to post and business
    /// hours. A fixed offset: daylight saving is not followed.
    pub utc_offset: String,
}

/// The queues a routing rule can send an item to.
pub const ROUTE_QUEUES: &[&str] = &[
    "social:respond",
    "social:amplify",
    "community:invite",
    "community:connect",
    "community:welcome",
    "support",
    "crisis",
];

/// Routing of inbound items to work queues. See `docs/metrics.md` ("Routing").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouteRules {
    /// Sources whose spaces are social media (the `social` channel); every other source is
    /// a community space.
    pub social_sources: Vec<String>,
    /// Words that, in a negative message, mean a possible crisis.
    pub crisis_words: Vec<String>,
    /// People talked with (all time) from which an author counts as influential.
    pub influential_people: u64,
    /// The rules, in order; an item goes to every queue of every rule it matches.
    pub rules: Vec<RouteRule>,
}

impl Default for RouteRules {
    fn default() -> Self {
        RouteRules {
            social_sources: [
                "twitter",
                "x",
                "mastodon",
                "bluesky",
                "facebook",
                "instagram",
                "linkedin",
                "social",
            ]
            .map(String::from)
            .to_vec(),
            crisis_words: [
                "outage",
                "breach",
                "leak",
                "leaked",
                "lawsuit",
                "sue",
                "scam",
                "fraud",
                "refund",
                "recall",
                "dangerous",
                "injury",
                "injured",
                "fire",
                "boycott",
                "unacceptable",
                "vulnerability",
                "data loss",
                "down for everyone",
            ]
            .map(String::from)
            .to_vec(),
            influential_people: 20,
            rules: default_route_rules(),
        }
    }
}

/// One routing rule: when every condition holds, the item goes to each queue in `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteRule {
    pub name: String,
    pub to: Vec<String>,
    #[serde(default)]
    pub when: When,
}

/// Conditions on an item's signals; unset conditions hold always.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct When {
    /// A reply to, or an @-mention of, a brand person.
    pub addressed: Option<bool>,
    /// Names the brand or a product (`[brand] names`).
    pub mentions_brand: Option<bool>,
    /// Addressed to the brand or mentions it.
    pub about_brand: Option<bool>,
    /// Asks something (a question mark, or opens with a question word).
    pub question: Option<bool>,
    /// Reports a problem (error, fails, broken, doesn't work, …).
    pub problem: Option<bool>,
    /// Thanks or praise in a positive message that asks nothing and reports no problem.
    pub praise: Option<bool>,
    /// `positive`, `negative` or `neutral` (the sentiment measure's label).
    pub sentiment: Option<String>,
    /// The author's first message in the space.
    pub newcomer: Option<bool>,
    /// The author talked with at least `influential_people` people.
    pub influential: Option<bool>,
    /// Nobody else has replied yet.
    pub unanswered: Option<bool>,
    /// `social` or `community` (see `social_sources`).
    pub channel: Option<String>,
    /// Contains one of `crisis_words`.
    pub crisis_words: Option<bool>,
    /// A member who answered questions on the same subject was found.
    pub expert: Option<bool>,
    /// Contains one of these words or phrases.
    pub words: Vec<String>,
}

/// Hearth's routing rules when `hearth.toml` sets none.
pub fn default_route_rules() -> Vec<RouteRule> {
    let rule = |name: &str, to: &[&str], when: When| RouteRule {
        name: name.to_owned(),
        to: to.iter().map(|s| (*s).to_owned()).collect(),
        when,
    };
    vec![
        rule(
            "crisis",
            &["crisis"],
            When {
                crisis_words: Some(true),
                sentiment: Some("negative".into()),
                ..When::default()
            },
        ),
        rule(
            "question",
            &["support"],
            When {
                question: Some(true),
                ..When::default()
            },
        ),
        rule(
            "problem",
            &["support"],
            When {
                problem: Some(true),
                ..When::default()
            },
        ),
        rule(
            "newcomer",
            &["community:welcome"],
            When {
                newcomer: Some(true),
                ..When::default()
            },
        ),
        rule(
            "expert-nearby",
            &["community:connect"],
            When {
                question: Some(true),
                expert: Some(true),
                unanswered: Some(true),
                ..When::default()
            },
        ),
        rule(
            "praise",
            &["social:amplify", "community:invite"],
            When {
                praise: Some(true),
                about_brand: Some(true),
                ..When::default()
            },
        ),
        rule(
            "social-mention",
            &["social:respond"],
            When {
                channel: Some("social".into()),
                about_brand: Some(true),
                unanswered: Some(true),
                praise: Some(false),
                ..When::default()
            },
        ),
    ]
}

/// Work-queue parameters. See `docs/metrics.md` ("Work queues").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueRules {
    /// A member's thread without any answer for this many hours is a question to answer.
    pub question_hours: f64,
    /// Newcomers, questions and routed items from this many days before the as-of moment.
    pub lookback_days: i64,
    /// People per list (lapsed, helpers, introductions).
    pub people: usize,
}

impl Default for QueueRules {
    fn default() -> Self {
        QueueRules {
            question_hours: 24.0,
            lookback_days: 30,
            people: 10,
        }
    }
}

impl Default for BrandRules {
    fn default() -> Self {
        BrandRules {
            names: Vec::new(),
            competitors: std::collections::BTreeMap::new(),
            utc_offset: "+00:00".to_owned(),
        }
    }
}

/// Social media measures. See `docs/metrics.md` ("Social").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialRules {
    /// The headline engagement rate's denominator: `impressions`, `reach` or `followers`.
    pub engagement_rate: String,
    /// Followers per account (`"twitter:ADHOrg" = 5200`) for exports that do not carry them.
    pub followers: std::collections::BTreeMap<String, f64>,
    /// Money a conversion is worth, for ROI when the export has no value column.
    pub value_per_conversion: f64,
    /// Business hours in the brand's time zone (`"09:00-17:00"`); empty: count all hours.
    pub business_hours: String,
    /// Business days (`mon` … `sun`).
    pub business_days: Vec<String>,
    /// Fewest posts in a weekday × hour slot (or a format, or a length) to compare it.
    pub min_posts_per_slot: usize,
    /// `"none"`: the author may schedule their own post; `"required"`: a second person (an
    /// admin or one of `approvers`) approves it first, and never its author.
    pub approval: String,
    /// Who may approve besides admins: team user names (`alice`) or audit actors
    /// (`cli:alice`).
    pub approvers: Vec<String>,
    /// Mastodon's length limit when the instance does not say its own.
    pub mastodon_characters: usize,
    /// UTM parameters added to every link of a post Hearth publishes.
    pub utm: UtmRules,
}

/// The UTM parameters of links in published posts. `{network}` becomes `bluesky` or
/// `mastodon`, `{post}` the post's number; an empty value adds no parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UtmRules {
    pub source: String,
    pub medium: String,
    pub campaign: String,
    pub content: String,
}

impl Default for UtmRules {
    fn default() -> Self {
        UtmRules {
            source: "{network}".to_owned(),
            medium: "social".to_owned(),
            campaign: String::new(),
            content: "hearth-post-{post}".to_owned(),
        }
    }
}

impl Default for SocialRules {
    fn default() -> Self {
        SocialRules {
            engagement_rate: "impressions".to_owned(),
            followers: std::collections::BTreeMap::new(),
            value_per_conversion: 0.0,
            business_hours: String::new(),
            business_days: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
            min_posts_per_slot: 5,
            approval: "none".to_owned(),
            approvers: Vec::new(),
            mastodon_characters: 500,
            utm: UtmRules::default(),
        }
    }
}
