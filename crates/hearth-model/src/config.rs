//! The user's configuration, `DIR/hearth.toml`. Parsed by the binary; the model only holds it.

use serde::{Deserialize, Serialize};

/// Everything `hearth.toml` can say. Unknown keys are an error, so a typo never silently
/// changes who counts as brand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub roles: RoleRules,
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
}
