//! Loading `DIR/hearth.toml`.

use crate::{AppError, Result};
use hearth_model::Config;
use std::path::Path;

pub const CONFIG_FILE: &str = "hearth.toml";

/// The template written into a new data directory.
pub const TEMPLATE: &str = r#"# Hearth rules for this data directory. Edit and re-run `hearth report`: roles are decided
# at report time, so no re-ingest is needed. `hearth people list` shows who got which role and why.

[roles]
# Authors whose e-mail domain is one of these (or a subdomain of one) are brand.
brand_email_domains = []
# Platform ids or e-mail addresses of brand people (staff, official accounts).
brand_accounts = []
# Platform ids or e-mail addresses of bots; bots are kept out of community metrics.
bot_accounts = []
# Platform roles that mean brand (Discord server roles such as "Team" or "Staff").
brand_platform_roles = []

[identity]
# Accounts with the same e-mail address are one person.
same_email = true
# Accounts with the same username on different platforms are one person (off: may be two people).
same_username = false
# Groups of accounts that are one person, each "source:id".
links = []

[replies]
# In chat without threads (IRC, Slack channels, Discord, Telegram) Hearth infers which
# message each one answers. Use those inferred replies in the metrics?
use_inferred = true
# Ignore inferred replies the model is less sure of than this (0 to 1); 0.2 gave the best
# reply-link F on the annotated Ubuntu IRC corpus.
min_confidence = 0.2

[brand]
# The brand's and its products' names as people write them (routing, mentions, alerts).
names = []
# Competitors for share of voice: name = [names as people write them].
competitors = {}
# The brand's time zone as a fixed UTC offset (best time to post, business hours).
utc_offset = "+00:00"

[route]
# Sources whose spaces are social media; every other space is community.
social_sources = ["twitter", "x", "mastodon", "bluesky", "facebook", "instagram", "linkedin", "social"]
# People talked with (all time) from which an author counts as influential.
influential_people = 20
# Hearth's default rules apply while no [[route.rules]] is written here. A rule sends an item
# to every queue in `to` when all its conditions hold; `hearth explain routing` lists the
# conditions. Queues: social:respond, social:amplify, community:invite, community:connect,
# community:welcome, support, crisis. For example:
#
# [[route.rules]]
# name = "praise"
# to = ["social:amplify", "community:invite"]
# when = { praise = true, about_brand = true }

[social]
# The headline engagement rate's denominator: impressions, reach or followers.
engagement_rate = "impressions"
# Followers per account ("twitter:ADHOrg" = 5200) for exports that do not state them.
followers = {}
# Money a conversion is worth (ROI when the export has no value column).
value_per_conversion = 0.0
# Count response times only in business hours ("09:00-17:00"); empty: all hours.
business_hours = ""
business_days = ["mon", "tue", "wed", "thu", "fri"]
# Fewest posts in a weekday x hour slot, format or length to compare it.
min_posts_per_slot = 5
# Posts published from Hearth (hearth post, hearth publish): "required" makes a second
# person (an admin or one of approvers) approve a post before it can be scheduled; its
# author never can.
approval = "none"
approvers = []
# Mastodon's length limit when the instance does not state its own.
mastodon_characters = 500

[social.utm]
# Added to every link of a published post; {network} and {post} are filled in; "" adds none.
source = "{network}"
medium = "social"
campaign = ""
content = "hearth-post-{post}"

# [limits]
# The most bytes one record may take (a JSON element, a line, a mail message); a larger one
# is passed over with a warning. Default 64 MiB.
# record_bytes = 67108864
# The most bytes read out of one compressed file or zip entry. Default 64 GiB.
# file_bytes = 68719476736

[queue]
# A member's thread with no answer after this many hours is a question to answer.
question_hours = 24.0
# Newcomers, questions and routed items from this many days back.
lookback_days = 30
# People per list (lapsed members, helpers to thank, introductions).
people = 10
"#;

/// Reads the data directory's `hearth.toml`; defaults when it does not exist. A value that
/// would be ignored or misread is refused with its key, the value and what is allowed.
pub fn load(dir: &Path) -> Result<Config> {
    let path = dir.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(AppError::io("cannot read", &path, e)),
    };
    let config: Config = toml::from_str(&text).map_err(|e| AppError::Config {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    if let Some(problem) = problems(&config).into_iter().next() {
        return Err(AppError::Config {
            path: path.display().to_string(),
            message: problem,
        });
    }
    Ok(config)
}

/// Every value of `config` that would be ignored or misread, each with its key, the value
/// and what is allowed (empty when all is well). Nothing falls back silently.
pub fn problems(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let mut bad = |key: &str, value: String, allowed: &str| {
        out.push(format!("{key} = {value} is not allowed: {allowed}"));
    };
    let r = &config.replies;
    if !(r.min_confidence.is_finite() && (0.0..=1.0).contains(&r.min_confidence)) {
        bad(
            "[replies] min_confidence",
            r.min_confidence.to_string(),
            "a number from 0 to 1",
        );
    }
    let q = &config.queue;
    if !(q.question_hours.is_finite() && q.question_hours > 0.0) {
        bad(
            "[queue] question_hours",
            q.question_hours.to_string(),
            "a number of hours above 0",
        );
    }
    if q.lookback_days < 1 {
        bad(
            "[queue] lookback_days",
            q.lookback_days.to_string(),
            "a whole number of days, 1 or more",
        );
    }
    if q.people < 1 {
        bad("[queue] people", q.people.to_string(), "1 or more");
    }
    let so = &config.social;
    const RATES: &[&str] = &["impressions", "reach", "followers"];
    if !RATES.contains(&so.engagement_rate.as_str()) {
        bad(
            "[social] engagement_rate",
            format!("{:?}", so.engagement_rate),
            "\"impressions\", \"reach\" or \"followers\"",
        );
    }
    if !(so.value_per_conversion.is_finite() && so.value_per_conversion >= 0.0) {
        bad(
            "[social] value_per_conversion",
            so.value_per_conversion.to_string(),
            "an amount of 0 or more",
        );
    }
    for (account, n) in &so.followers {
        if !(n.is_finite() && *n >= 0.0) {
            bad(
                &format!("[social] followers.{account:?}"),
                n.to_string(),
                "a count of 0 or more",
            );
        }
    }
    if !["none", "required"].contains(&so.approval.as_str()) {
        bad(
            "[social] approval",
            format!("{:?}", so.approval),
            "\"none\" or \"required\"",
        );
    }
    if so.mastodon_characters < 1 {
        bad(
            "[social] mastodon_characters",
            so.mastodon_characters.to_string(),
            "1 or more",
        );
    }
    for (name, v) in [
        ("source", &so.utm.source),
        ("medium", &so.utm.medium),
        ("campaign", &so.utm.campaign),
        ("content", &so.utm.content),
    ] {
        if v.chars()
            .any(|c| c.is_whitespace() || c.is_control() || "&#?".contains(c))
        {
            bad(
                &format!("[social.utm] {name}"),
                format!("{v:?}"),
                "a value without spaces, &, # or ?",
            );
        }
    }
    if so.min_posts_per_slot < 1 {
        bad(
            "[social] min_posts_per_slot",
            so.min_posts_per_slot.to_string(),
            "1 or more",
        );
    }
    match hearth_analysis::social::best_time::parse_offset(&config.brand.utc_offset) {
        None => bad(
            "[brand] utc_offset",
            format!("{:?}", config.brand.utc_offset),
            "an offset such as \"+10:00\" or \"-05:00\"",
        ),
        Some(offset) => {
            if let Err(e) = hearth_analysis::social::response::BusinessHours::parse(
                &so.business_hours,
                &so.business_days,
                offset,
            ) {
                bad(
                    "[social] business_hours / business_days",
                    format!("{:?} / {:?}", so.business_hours, so.business_days),
                    &e,
                );
            }
        }
    }
    for (name, v) in [
        ("record_bytes", config.limits.record_bytes),
        ("file_bytes", config.limits.file_bytes),
    ] {
        if v == Some(0) {
            bad(
                &format!("[limits] {name}"),
                "0".to_owned(),
                "a size in bytes above 0",
            );
        }
    }
    for rule in &config.route.rules {
        for queue in &rule.to {
            if !hearth_model::ROUTE_QUEUES.contains(&queue.as_str()) {
                bad(
                    &format!("[[route.rules]] {:?} to", rule.name),
                    format!("{queue:?}"),
                    &format!("the queues {}", hearth_model::ROUTE_QUEUES.join(", ")),
                );
            }
        }
        if let Some(s) = &rule.when.sentiment
            && !["positive", "negative", "neutral"].contains(&s.as_str())
        {
            bad(
                &format!("[[route.rules]] {:?} when.sentiment", rule.name),
                format!("{s:?}"),
                "\"positive\", \"negative\" or \"neutral\"",
            );
        }
        if let Some(c) = &rule.when.channel
            && !["social", "community"].contains(&c.as_str())
        {
            bad(
                &format!("[[route.rules]] {:?} when.channel", rule.name),
                format!("{c:?}"),
                "\"social\" or \"community\"",
            );
        }
    }
    out
}

/// A `hearth.toml` text checked: it parses, names only known keys, and its routing rules
/// compile. The reason when not.
pub fn parse(text: &str) -> Result<Config> {
    let config: Config =
        toml::from_str(text).map_err(|e| AppError::Invalid(e.to_string().trim().to_owned()))?;
    let problems = problems(&config);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join("; ")));
    }
    Ok(config)
}

/// The text of `hearth.toml` (the template when there is none yet).
pub fn text(dir: &Path) -> Result<String> {
    let path = dir.join(CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TEMPLATE.to_owned()),
        Err(e) => Err(AppError::io("cannot read", &path, e)),
    }
}

/// Checks a new `hearth.toml` and, when it is good, writes it as it is (its comments kept)
/// through a temporary file and a rename, and records the edit in the audit log. A text that
/// does not parse, names an unknown key or gives a wrong value is refused with the reason.
pub fn save(dir: &Path, text: &str, actor: &str) -> Result<Config> {
    let config =
        parse(text).map_err(|e| AppError::Invalid(format!("{CONFIG_FILE} not saved: {e}")))?;
    let path = dir.join(CONFIG_FILE);
    let tmp = dir.join(format!(".{CONFIG_FILE}.new"));
    std::fs::write(&tmp, text).map_err(|e| AppError::io("cannot write", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| AppError::io("cannot write", &path, e))?;
    let store = crate::scope::open_store(dir)?;
    store.log_change(
        &hearth_store::Change::new(
            actor,
            "rules.edit",
            CONFIG_FILE,
            serde_json::json!({"bytes": text.len()}),
        ),
        hearth_store::now(),
    )?;
    Ok(config)
}

/// Writes the template when the data directory has no `hearth.toml` yet.
pub fn ensure_template(dir: &Path) -> Result<()> {
    let path = dir.join(CONFIG_FILE);
    if !path.exists() {
        std::fs::create_dir_all(dir).map_err(|e| AppError::io("cannot create", dir, e))?;
        std::fs::write(&path, TEMPLATE).map_err(|e| AppError::io("cannot write", &path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_template_says_what_the_defaults_are() {
        let parsed: hearth_model::Config =
            toml::from_str(super::TEMPLATE).expect("template parses");
        assert_eq!(parsed, hearth_model::Config::default());
    }
}
