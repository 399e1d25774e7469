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
# Ignore inferred replies the model is less sure of than this (0 to 1).
min_confidence = 0.0

[brand]
# The brand's and its products' names as people write them (routing, mentions, alerts).
names = []
# Competitors for share of voice: name = [names as people write them].
competitors = {}
# The brand's time zone as a fixed UTC offset (best time to post, business hours).
utc_offset = "+00:00"

[route]
# Sources whose spaces are social media; every other space is community.
social_sources = ["twitter", "x", "mastodon", "facebook", "instagram", "linkedin", "social"]
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

/// Reads the data directory's `hearth.toml`; defaults when it does not exist.
pub fn load(dir: &Path) -> Result<Config> {
    let path = dir.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(AppError::io("cannot read", &path, e)),
    };
    toml::from_str(&text).map_err(|e| AppError::Config {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// A `hearth.toml` text checked: it parses, names only known keys, and its routing rules
/// compile. The reason when not.
pub fn parse(text: &str) -> Result<Config> {
    let config: Config =
        toml::from_str(text).map_err(|e| AppError::Invalid(e.to_string().trim().to_owned()))?;
    crate::route::check_rules(&config)?;
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
