//! `hearth init`: a first run that asks the right question — who is the brand? — and
//! proposes an answer from the data, each candidate with its evidence.
//!
//! Candidates:
//! - **sender domains** whose people answer many others: for each organisation domain (webmail
//!   such as gmail.com is left out) its people, messages, answers (replies to someone else) and
//!   share of all answers. A domain is suggested when it has at least [`MIN_PEOPLE`] people and
//!   [`MIN_SHARE`] of all answers;
//! - **platform flags** (Slack admins and owners, Discourse staff, Stack Exchange moderators,
//!   GitHub `MEMBER`/`OWNER`, Telegram admins): already brand by rule, listed so the team sees
//!   who they are; platform roles (`role:Team`) are suggested as `brand_platform_roles`;
//! - **the most central accounts** not covered by the above: listed with their numbers to be
//!   checked by a person (a list's most helpful member is often not staff), never suggested.
//!
//! Choosing writes `[roles]` in `hearth.toml` (comments kept) through [`crate::config::save`],
//! which checks it and records the edit in the audit log.

use crate::scope::{open_store, resolved_snapshot};
use crate::{Result, config};
use hearth_model::{NO_PARENT, Role, Snapshot};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A domain needs this many people to be suggested.
pub const MIN_PEOPLE: u64 = 3;
/// A domain needs this share of all answers to be suggested.
pub const MIN_SHARE: f64 = 0.02;
/// Central accounts listed for a person to check.
pub const CENTRAL: usize = 5;

/// Mail domains of personal mailboxes: never an organisation's.
const WEBMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.de",
    "ymail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "qq.com",
    "163.com",
    "126.com",
    "foxmail.com",
    "naver.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "t-online.de",
    "free.fr",
    "orange.fr",
    "laposte.net",
    "libero.it",
    "seznam.cz",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "users.noreply.github.com",
];

/// One candidate answer to "who is the brand?".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// `domain`, `platform_flag`, `platform_role` or `central`.
    pub kind: &'static str,
    /// The domain, flag, role, or the person's name.
    pub value: String,
    pub people: u64,
    pub messages: u64,
    /// Replies to someone else.
    pub answers: u64,
    /// Of all answers in the store.
    pub answer_share: f64,
    /// Why, in words.
    pub evidence: String,
    /// Part of the suggested rules (`--yes` writes them).
    pub suggested: bool,
}

/// What `hearth init` proposes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// Brand people the current rules already find.
    pub brand_known: u64,
    pub candidates: Vec<Candidate>,
    /// The `[roles]` lines the suggestion would write.
    pub rules: Vec<String>,
}

#[derive(Default, Clone)]
struct Tally {
    people: BTreeSet<u32>,
    messages: u64,
    answers: u64,
}

/// The candidates for who the brand is, from the store in `data`.
pub fn suggest(data: &Path) -> Result<Suggestion> {
    let config = config::load(data)?;
    let store = open_store(data)?;
    let snapshot = resolved_snapshot(&store, &config)?;
    let roles = hearth_analysis::decide_roles(&snapshot.persons, &config.roles);
    let brand_known = roles.iter().filter(|d| d.role == Role::Brand).count() as u64;
    let (messages, answers) = activity(&snapshot);
    let total_answers: u64 = answers.iter().sum::<u64>().max(1);

    let mut domains: BTreeMap<String, Tally> = BTreeMap::new();
    let mut flags: BTreeMap<String, Tally> = BTreeMap::new();
    for (i, p) in snapshot.persons.iter().enumerate() {
        let i = i as u32;
        let mut seen = BTreeSet::new();
        for a in &p.accounts {
            let address = a
                .email
                .as_deref()
                .or(a.native_id.contains('@').then_some(a.native_id.as_str()));
            if let Some(domain) = address
                .and_then(|e| e.rsplit_once('@'))
                .map(|(_, d)| d.to_lowercase())
                && !WEBMAIL.contains(&domain.as_str())
                && seen.insert(domain.clone())
            {
                let t = domains.entry(domain).or_default();
                t.people.insert(i);
                t.messages += messages[i as usize];
                t.answers += answers[i as usize];
            }
            for f in &a.flags {
                if ["admin", "owner", "staff", "moderator"].contains(&f.as_str())
                    || f.starts_with("role:")
                {
                    let t = flags.entry(f.clone()).or_default();
                    if t.people.insert(i) {
                        t.messages += messages[i as usize];
                        t.answers += answers[i as usize];
                    }
                }
            }
        }
    }
    let share = |a: u64| a as f64 / total_answers as f64;
    let mut candidates = Vec::new();
    let mut by_domain: Vec<(&String, &Tally)> = domains.iter().collect();
    by_domain.sort_by(|a, b| b.1.answers.cmp(&a.1.answers).then(a.0.cmp(b.0)));
    for (domain, t) in by_domain.iter().take(8) {
        let people = t.people.len() as u64;
        let suggested = people >= MIN_PEOPLE && share(t.answers) >= MIN_SHARE;
        candidates.push(Candidate {
            kind: "domain",
            value: (*domain).clone(),
            people,
            messages: t.messages,
            answers: t.answers,
            answer_share: share(t.answers),
            evidence: format!(
                "{} at @{domain} wrote {} messages and {} of all answers ({:.1} %)",
                persons(people),
                t.messages,
                t.answers,
                100.0 * share(t.answers)
            ),
            suggested,
        });
    }
    for (flag, t) in &flags {
        let people = t.people.len() as u64;
        let role = flag.strip_prefix("role:");
        candidates.push(Candidate {
            kind: if role.is_some() {
                "platform_role"
            } else {
                "platform_flag"
            },
            value: role.unwrap_or(flag).to_owned(),
            people,
            messages: t.messages,
            answers: t.answers,
            answer_share: share(t.answers),
            evidence: match role {
                Some(r) => format!(
                    "{} with the platform role {r:?} ({} answers)",
                    persons(people),
                    t.answers
                ),
                None => format!(
                    "{} with the platform flag {flag} ({} answers): brand already, by rule",
                    persons(people),
                    t.answers
                ),
            },
            suggested: role.is_some(),
        });
    }
    // The most central people the suggestion does not cover: for a person to check.
    let covered: BTreeSet<u32> = candidates
        .iter()
        .filter(|c| c.suggested || c.kind == "platform_flag")
        .flat_map(|c| match c.kind {
            "domain" => domains
                .get(&c.value)
                .map(|t| t.people.clone())
                .unwrap_or_default(),
            _ => flags
                .get(&c.value)
                .or_else(|| flags.get(&format!("role:{}", c.value)))
                .map(|t| t.people.clone())
                .unwrap_or_default(),
        })
        .collect();
    let mut central: Vec<u32> = (0..snapshot.persons.len() as u32)
        .filter(|i| !covered.contains(i) && answers[*i as usize] > 0)
        .collect();
    central.sort_by(|a, b| {
        answers[*b as usize]
            .cmp(&answers[*a as usize])
            .then(a.cmp(b))
    });
    for i in central.into_iter().take(CENTRAL) {
        let p = &snapshot.persons[i as usize];
        let account = p
            .accounts
            .first()
            .map(|a| a.email.clone().unwrap_or_else(|| a.native_id.clone()))
            .unwrap_or_default();
        candidates.push(Candidate {
            kind: "central",
            value: p.display_name.clone(),
            people: 1,
            messages: messages[i as usize],
            answers: answers[i as usize],
            answer_share: share(answers[i as usize]),
            evidence: format!(
                "{account}: {} answers ({:.1} % of all); staff, or the community's own helper? \
                 If staff, add to brand_accounts",
                answers[i as usize],
                100.0 * share(answers[i as usize])
            ),
            suggested: false,
        });
    }
    let rules = rules_of(&candidates);
    Ok(Suggestion {
        brand_known,
        candidates,
        rules,
    })
}

fn persons(n: u64) -> String {
    if n == 1 {
        "1 person".to_owned()
    } else {
        format!("{n} people")
    }
}

/// Messages and answers (replies to someone else) by person.
fn activity(s: &Snapshot) -> (Vec<u64>, Vec<u64>) {
    let m = &s.messages;
    let mut messages = vec![0u64; s.persons.len()];
    let mut answers = vec![0u64; s.persons.len()];
    for i in 0..m.len() {
        let a = m.author[i] as usize;
        messages[a] += 1;
        let p = m.parent[i];
        if p != NO_PARENT && m.author[p as usize] as usize != a {
            answers[a] += 1;
        }
    }
    (messages, answers)
}

/// The `[roles]` lines for the suggested candidates.
fn rules_of(candidates: &[Candidate]) -> Vec<String> {
    let list = |kind: &str| -> Vec<String> {
        candidates
            .iter()
            .filter(|c| c.suggested && c.kind == kind)
            .map(|c| format!("{:?}", c.value))
            .collect()
    };
    let mut rules = Vec::new();
    let domains = list("domain");
    if !domains.is_empty() {
        rules.push(format!("brand_email_domains = [{}]", domains.join(", ")));
    }
    let roles = list("platform_role");
    if !roles.is_empty() {
        rules.push(format!("brand_platform_roles = [{}]", roles.join(", ")));
    }
    rules
}

/// Writes `rules` (lines `key = value` of `[roles]`) into `hearth.toml`, replacing those keys
/// and keeping everything else, comments included; checked and audited by `config::save`.
pub fn write_rules(data: &Path, rules: &[String], actor: &str) -> Result<()> {
    let text = config::text(data)?;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let key_of = |l: &str| l.split('=').next().unwrap_or("").trim().to_owned();
    let roles_at = lines.iter().position(|l| l.trim() == "[roles]");
    let roles_at = match roles_at {
        Some(i) => i,
        None => {
            lines.insert(0, "[roles]".to_owned());
            0
        }
    };
    let end = lines[roles_at + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |j| roles_at + 1 + j);
    for rule in rules {
        let key = key_of(rule);
        match (roles_at + 1..end)
            .find(|&i| !lines[i].trim_start().starts_with('#') && key_of(&lines[i]) == key)
        {
            Some(i) => lines[i] = rule.clone(),
            None => lines.insert(roles_at + 1, rule.clone()),
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    config::save(data, &out, actor)?;
    Ok(())
}

/// Whether the store has people but no brand person yet (an ingest then points to `init`).
pub fn needs_brand(data: &Path) -> Result<bool> {
    let config = config::load(data)?;
    let store = open_store(data)?;
    let snapshot = resolved_snapshot(&store, &config)?;
    if snapshot.persons.is_empty() {
        return Ok(false);
    }
    let roles = hearth_analysis::decide_roles(&snapshot.persons, &config.roles);
    Ok(!roles.iter().any(|d| d.role == Role::Brand))
}
