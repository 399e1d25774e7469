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
}

/// Whether metrics use the parents inferred for chat without threads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplyRules {
    /// Use inferred parents (IRC, Slack channels, Discord, Telegram) as replies.
    pub use_inferred: bool,
    /// Ignore inferred parents whose confidence is below this (0 to 1).
    pub min_confidence: f64,
}

impl Default for ReplyRules {
    fn default() -> Self {
        ReplyRules {
            use_inferred: true,
            min_confidence: 0.0,
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
