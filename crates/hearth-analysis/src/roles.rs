//! Deciding each person's role from the user's rules (`[roles]` in `hearth.toml`).
//!
//! Order, first match wins (documented in `docs/metrics.md`, "Roles"):
//! 1. an account listed in `bot_accounts` → bot;
//! 2. an account listed in `brand_accounts` → brand;
//! 3. a platform flag: `bot` → bot; `admin`, `owner`, `moderator`, `staff` → brand; a
//!    platform role (`role:<name>`) listed in `brand_platform_roles` → brand;
//! 4. a bot's name: an account id or display name ending in `[bot]`, `-bot`, `_bot`, ` bot`,
//!    or `Bot` after a lower-case letter (`GreeterBot`), or equal to `bot` → bot (`Abbot` is not);
//! 5. an e-mail address whose domain is in `brand_email_domains` (or a subdomain) → brand;
//! 6. otherwise → member.
//!
//! Accounts are matched by native id or e-mail address, case-insensitively.

use hearth_model::{PersonInfo, Role, RoleRules};
use serde::Serialize;

/// A role and the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleDecision {
    pub role: Role,
    /// The rule's name: `bot_accounts`, `brand_accounts`, `platform_flag`,
    /// `brand_email_domains` or `default`.
    pub rule: &'static str,
    /// The evidence, in words.
    pub why: String,
}

const BRAND_FLAGS: &[&str] = &["admin", "owner", "moderator", "staff"];

/// The role of every person, in snapshot order.
pub fn decide_roles(persons: &[PersonInfo], rules: &RoleRules) -> Vec<RoleDecision> {
    let domains: Vec<String> = rules
        .brand_email_domains
        .iter()
        .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    persons.iter().map(|p| decide(p, rules, &domains)).collect()
}

fn listed<'a>(p: &'a PersonInfo, list: &[String]) -> Option<&'a str> {
    p.accounts.iter().find_map(|a| {
        let hit = list.iter().any(|x| {
            let x = x.trim();
            x.eq_ignore_ascii_case(&a.native_id)
                || a.email
                    .as_deref()
                    .is_some_and(|e| x.eq_ignore_ascii_case(e))
        });
        hit.then_some(a.native_id.as_str())
    })
}

fn decide(p: &PersonInfo, rules: &RoleRules, domains: &[String]) -> RoleDecision {
    if let Some(a) = listed(p, &rules.bot_accounts) {
        return RoleDecision {
            role: Role::Bot,
            rule: "bot_accounts",
            why: format!("account {a} is listed in roles.bot_accounts"),
        };
    }
    if let Some(a) = listed(p, &rules.brand_accounts) {
        return RoleDecision {
            role: Role::Brand,
            rule: "brand_accounts",
            why: format!("account {a} is listed in roles.brand_accounts"),
        };
    }
    for a in &p.accounts {
        if let Some(f) = a.flags.iter().find(|f| f.eq_ignore_ascii_case("bot")) {
            return RoleDecision {
                role: Role::Bot,
                rule: "platform_flag",
                why: format!("{} account {} is flagged {f}", a.source, a.native_id),
            };
        }
    }
    for a in &p.accounts {
        if let Some(role) = a
            .flags
            .iter()
            .filter_map(|f| f.strip_prefix("role:"))
            .find(|r| {
                rules
                    .brand_platform_roles
                    .iter()
                    .any(|b| b.trim().eq_ignore_ascii_case(r))
            })
        {
            return RoleDecision {
                role: Role::Brand,
                rule: "brand_platform_roles",
                why: format!(
                    "{} account {} has role {role} (roles.brand_platform_roles)",
                    a.source, a.native_id
                ),
            };
        }
        if let Some(f) = a
            .flags
            .iter()
            .find(|f| BRAND_FLAGS.iter().any(|b| f.eq_ignore_ascii_case(b)))
        {
            return RoleDecision {
                role: Role::Brand,
                rule: "platform_flag",
                why: format!("{} account {} is flagged {f}", a.source, a.native_id),
            };
        }
    }
    for a in &p.accounts {
        let names = std::iter::once(a.native_id.as_str()).chain(a.display_name.as_deref());
        if let Some(name) = names.into_iter().find(|n| looks_like_bot(n)) {
            return RoleDecision {
                role: Role::Bot,
                rule: "bot_name",
                why: format!("{} account name {name:?} looks like a bot's", a.source),
            };
        }
    }
    for a in &p.accounts {
        let Some(email) = a.email.as_deref() else {
            continue;
        };
        let Some((_, host)) = email.rsplit_once('@') else {
            continue;
        };
        let host = host.to_ascii_lowercase();
        if let Some(d) = domains
            .iter()
            .find(|d| host == **d || host.ends_with(&format!(".{d}")))
        {
            return RoleDecision {
                role: Role::Brand,
                rule: "brand_email_domains",
                why: format!("address {email} is in domain {d} (roles.brand_email_domains)"),
            };
        }
    }
    RoleDecision {
        role: Role::Member,
        rule: "default",
        why: "no role rule matched".to_owned(),
    }
}

/// `dependabot[bot]`, `ci-bot`, `deploy_bot`, `Build Bot`, `GreeterBot`, `bot`; not `Abbot`.
pub fn looks_like_bot(name: &str) -> bool {
    let name = name.trim();
    let lower = name.to_lowercase();
    if lower == "bot"
        || ["[bot]", "-bot", "_bot", " bot"]
            .iter()
            .any(|s| lower.ends_with(s))
    {
        return true;
    }
    name.strip_suffix("Bot")
        .and_then(|rest| rest.chars().next_back())
        .is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_model::{AccountId, AccountInfo, PersonId};

    fn person(email: &str, flags: &[&str]) -> PersonInfo {
        PersonInfo {
            id: PersonId(1),
            display_name: "P".into(),
            accounts: vec![AccountInfo {
                id: AccountId(1),
                source: "mbox".into(),
                native_id: email.to_ascii_lowercase(),
                display_name: None,
                email: Some(email.into()),
                username: None,
                flags: flags.iter().map(|s| s.to_string()).collect(),
            }],
            evidence: Vec::new(),
        }
    }

    fn rules() -> RoleRules {
        RoleRules {
            brand_email_domains: vec!["ettus.com".into(), "@NI.com".into()],
            brand_accounts: vec!["Boss@Gmail.com".into()],
            bot_accounts: vec!["robot@ettus.com".into()],
            brand_platform_roles: vec!["Team".into()],
        }
    }

    #[test]
    fn rules_apply_in_documented_order() {
        let people = [
            person("alice@ettus.com", &[]),
            person("bob@mail.ni.com", &[]),
            person("carol@notettus.com", &[]),
            person("boss@gmail.com", &[]),
            person("robot@ettus.com", &[]),
            person("mod@example.org", &["moderator"]),
            person("ci@example.org", &["bot", "admin"]),
            person("sam@example.org", &["role:team"]),
            person("reg@example.org", &["role:Regular"]),
        ];
        let got: Vec<(Role, &str)> = decide_roles(&people, &rules())
            .iter()
            .map(|d| (d.role, d.rule))
            .collect();
        assert_eq!(
            got,
            vec![
                (Role::Brand, "brand_email_domains"),
                (Role::Brand, "brand_email_domains"),
                (Role::Member, "default"),
                (Role::Brand, "brand_accounts"),
                (Role::Bot, "bot_accounts"),
                (Role::Brand, "platform_flag"),
                (Role::Bot, "platform_flag"),
                (Role::Brand, "brand_platform_roles"),
                (Role::Member, "default"),
            ]
        );
    }

    #[test]
    fn bot_names() {
        for yes in [
            "dependabot[bot]",
            "ci-bot",
            "deploy_bot",
            "Build Bot",
            "GreeterBot",
            "bot",
        ] {
            assert!(looks_like_bot(yes), "{yes}");
        }
        for no in ["Abbot", "robotics", "Talbot", "BOTANIST", "bottle"] {
            assert!(!looks_like_bot(no), "{no}");
        }
    }

    #[test]
    fn why_names_the_evidence() {
        let d = decide_roles(&[person("alice@ettus.com", &[])], &rules());
        assert_eq!(
            d[0].why,
            "address alice@ettus.com is in domain ettus.com (roles.brand_email_domains)"
        );
    }
}
