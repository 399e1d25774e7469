//! `hearth people list|show`: who got which role, and why.

use super::print_json;
use crate::config;
use hearth_analysis::{RoleDecision, decide_roles};
use hearth_model::{Role, Snapshot};
use hearth_store::Store;
use serde_json::json;
use std::path::Path;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Everyone, with role, the rule that decided it and message count; brand first.
    List {
        /// Only this role.
        #[arg(long, value_parser = ["brand", "member", "bot"])]
        role: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One person (by name, address or account id; case-insensitive substring): role and why.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Record that two accounts are one person (`source:id`, or a name that finds one account).
    Merge {
        first: String,
        second: String,
        /// Why, kept as the merge's evidence.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Detach an account from the person it is joined to (rules and earlier merges no longer
    /// join it; nothing is deleted). Undo with `people merge`.
    Split {
        account: String,
        #[arg(long, default_value = "")]
        note: String,
    },
}

struct Row<'a> {
    index: usize,
    decision: &'a RoleDecision,
    messages: u64,
    first: Option<i64>,
    last: Option<i64>,
}

fn rows<'a>(snapshot: &Snapshot, decisions: &'a [RoleDecision]) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = decisions
        .iter()
        .enumerate()
        .map(|(index, decision)| Row {
            index,
            decision,
            messages: 0,
            first: None,
            last: None,
        })
        .collect();
    let m = &snapshot.messages;
    for i in 0..m.len() {
        let r = &mut rows[m.author[i] as usize];
        r.messages += 1;
        let t = m.time[i];
        r.first = Some(r.first.map_or(t, |f| f.min(t)));
        r.last = Some(r.last.map_or(t, |l| l.max(t)));
    }
    let rank = |r: Role| match r {
        Role::Brand => 0,
        Role::Bot => 1,
        Role::Member => 2,
    };
    rows.sort_by(|a, b| {
        rank(a.decision.role)
            .cmp(&rank(b.decision.role))
            .then(b.messages.cmp(&a.messages))
            .then(
                snapshot.persons[a.index]
                    .display_name
                    .cmp(&snapshot.persons[b.index].display_name),
            )
    });
    rows
}

fn row_json(snapshot: &Snapshot, r: &Row<'_>) -> serde_json::Value {
    let p = &snapshot.persons[r.index];
    json!({
        "person": p.id,
        "name": p.display_name,
        "role": r.decision.role,
        "rule": r.decision.rule,
        "why": r.decision.why,
        "messages": r.messages,
        "first_message": r.first.map(hearth_report::iso),
        "last_message": r.last.map(hearth_report::iso),
        "accounts": p.accounts.iter().map(|a| json!({
            "source": a.source,
            "id": a.native_id,
            "name": a.display_name,
            "email": a.email,
            "username": a.username,
            "flags": a.flags,
        })).collect::<Vec<_>>(),
        "merged_because": p.evidence,
    })
}

/// The one account a reference names: `source:id` exactly, else a case-insensitive substring
/// of an account id, e-mail, username or name that matches exactly one account.
fn find_account(snapshot: &Snapshot, reference: &str) -> anyhow::Result<hearth_model::AccountId> {
    let accounts: Vec<&hearth_model::AccountInfo> =
        snapshot.persons.iter().flat_map(|p| &p.accounts).collect();
    let wanted = reference.to_lowercase();
    if let Some(a) = accounts
        .iter()
        .find(|a| format!("{}:{}", a.source, a.native_id).to_lowercase() == wanted)
    {
        return Ok(a.id);
    }
    let hits: Vec<_> = accounts
        .iter()
        .filter(|a| {
            [
                Some(a.native_id.as_str()),
                a.email.as_deref(),
                a.username.as_deref(),
                a.display_name.as_deref(),
            ]
            .iter()
            .flatten()
            .any(|v| v.to_lowercase().contains(&wanted))
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(one.id),
        [] => anyhow::bail!("no account matches {reference:?}"),
        many => anyhow::bail!(
            "{reference:?} matches {} accounts ({}…); name one as source:id",
            many.len(),
            many.iter()
                .take(3)
                .map(|a| format!("{}:{}", a.source, a.native_id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<()> {
    let config = config::load(data)?;
    let store = Store::open(data)?;
    match &command {
        Command::Merge {
            first,
            second,
            note,
        } => {
            let raw = store.snapshot()?;
            let (a, b) = (find_account(&raw, first)?, find_account(&raw, second)?);
            if a == b {
                anyhow::bail!("{first:?} and {second:?} are the same account");
            }
            store.merge_accounts(a, b, note)?;
            println!("merged account {a} and account {b}");
            return Ok(());
        }
        Command::Split { account, note } => {
            let raw = store.snapshot()?;
            let a = find_account(&raw, account)?;
            store.split_account(a, note)?;
            println!("account {a} now stands alone");
            return Ok(());
        }
        _ => {}
    }
    let snapshot = super::resolved_snapshot(&store, &config)?;
    let decisions = decide_roles(&snapshot.persons, &config.roles);
    let all = rows(&snapshot, &decisions);
    match command {
        Command::List { role, json } => {
            let chosen: Vec<&Row<'_>> = all
                .iter()
                .filter(|r| {
                    role.as_deref()
                        .is_none_or(|x| r.decision.role.as_str() == x)
                })
                .collect();
            if json {
                print_json(&serde_json::Value::Array(
                    chosen.iter().map(|r| row_json(&snapshot, r)).collect(),
                ));
            } else {
                println!(
                    "{:<7} {:>6}  {:<32} {:<40} why",
                    "role", "msgs", "name", "account"
                );
                for r in chosen {
                    let p = &snapshot.persons[r.index];
                    let account = p.accounts.first().map_or("", |a| a.native_id.as_str());
                    println!(
                        "{:<7} {:>6}  {:<32} {:<40} {}",
                        r.decision.role.as_str(),
                        r.messages,
                        truncate(&p.display_name, 32),
                        truncate(account, 40),
                        r.decision.why
                    );
                }
            }
        }
        Command::Merge { .. } | Command::Split { .. } => {}
        Command::Show { name, json } => {
            let needle = name.to_lowercase();
            let hits: Vec<&Row<'_>> = all
                .iter()
                .filter(|r| {
                    let p = &snapshot.persons[r.index];
                    p.display_name.to_lowercase().contains(&needle)
                        || p.accounts.iter().any(|a| {
                            format!("{}:{}", a.source, a.native_id)
                                .to_lowercase()
                                .contains(&needle)
                                || a.email.as_deref().is_some_and(|e| e.contains(&needle))
                                || a.username.as_deref().is_some_and(|u| u.contains(&needle))
                        })
                })
                .collect();
            if hits.is_empty() {
                anyhow::bail!("nobody matches {name:?}");
            }
            if json {
                print_json(&serde_json::Value::Array(
                    hits.iter().map(|r| row_json(&snapshot, r)).collect(),
                ));
            } else {
                for r in hits {
                    let p = &snapshot.persons[r.index];
                    println!("{} (person {})", p.display_name, p.id);
                    println!("  role: {} — {}", r.decision.role, r.decision.why);
                    println!(
                        "  messages: {} ({} to {})",
                        r.messages,
                        r.first.map(hearth_report::iso).unwrap_or_default(),
                        r.last.map(hearth_report::iso).unwrap_or_default()
                    );
                    for a in &p.accounts {
                        println!("  account: {}:{}", a.source, a.native_id);
                    }
                    for why in &p.evidence {
                        println!("  joined because: {why}");
                    }
                }
            }
        }
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
