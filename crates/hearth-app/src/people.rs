//! People and their roles (`hearth people list|show`, `/api/v1/people`), and the identity
//! changes made by hand (merge, split), each recorded in the audit log.

use crate::scope::{open_store, resolved_snapshot};
use crate::{AppError, Result, config};
use hearth_analysis::{RoleDecision, decide_roles};
use hearth_model::{Role, Snapshot};
use hearth_store::Change;
use serde_json::{Value, json};
use std::path::Path;

/// Everyone, with role, the rule that decided it and message count; brand first. `role`
/// keeps one role (`brand`, `member`, `bot`).
pub fn list(data: &Path, role: Option<&str>) -> Result<Value> {
    if let Some(r) = role
        && !["brand", "member", "bot"].contains(&r)
    {
        crate::bail!("role is brand, member or bot, not {r:?}");
    }
    let config = config::load(data)?;
    let store = open_store(data)?;
    let snapshot = resolved_snapshot(&store, &config)?;
    let decisions = decide_roles(&snapshot.persons, &config.roles);
    let all = rows(&snapshot, &decisions);
    Ok(Value::Array(
        all.iter()
            .filter(|r| role.is_none_or(|x| r.decision.role.as_str() == x))
            .map(|r| row_json(&snapshot, r))
            .collect(),
    ))
}

/// The people a name finds (case-insensitive substring of a name, address, username or
/// `source:id`); an error when nobody matches.
pub fn show(data: &Path, name: &str) -> Result<Value> {
    let config = config::load(data)?;
    let store = open_store(data)?;
    let snapshot = resolved_snapshot(&store, &config)?;
    let decisions = decide_roles(&snapshot.persons, &config.roles);
    let all = rows(&snapshot, &decisions);
    let needle = name.to_lowercase();
    let hits: Vec<Value> = all
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
        .map(|r| row_json(&snapshot, r))
        .collect();
    if hits.is_empty() {
        return Err(AppError::NotFound(format!("nobody matches {name:?}")));
    }
    Ok(Value::Array(hits))
}

/// One person by their id (as `list` gives it).
pub fn person(data: &Path, id: i64) -> Result<Value> {
    let config = config::load(data)?;
    let store = open_store(data)?;
    let snapshot = resolved_snapshot(&store, &config)?;
    let decisions = decide_roles(&snapshot.persons, &config.roles);
    let all = rows(&snapshot, &decisions);
    all.iter()
        .find(|r| snapshot.persons[r.index].id.0 == id)
        .map(|r| row_json(&snapshot, r))
        .ok_or_else(|| AppError::NotFound(format!("no person {id}")))
}

/// Records that two accounts are one person; `actor` goes to the audit log.
pub fn merge(data: &Path, first: &str, second: &str, note: &str, actor: &str) -> Result<Value> {
    let store = open_store(data)?;
    let raw = store.snapshot()?;
    let (a, b) = (find_account(&raw, first)?, find_account(&raw, second)?);
    if a == b {
        crate::bail!("{first:?} and {second:?} are the same account");
    }
    let detail = json!({"accounts": [account_ref(&raw, a), account_ref(&raw, b)], "note": note});
    let change = Change::new(
        actor,
        "people.merge",
        &format!("{}|{}", account_ref(&raw, a), account_ref(&raw, b)),
        detail.clone(),
    );
    store.merge_accounts(a, b, note, &change)?;
    Ok(json!({"merged": [a.0, b.0], "accounts": detail["accounts"], "note": note}))
}

/// Detaches an account from the person it is joined to; `actor` goes to the audit log.
pub fn split(data: &Path, account: &str, note: &str, actor: &str) -> Result<Value> {
    let store = open_store(data)?;
    let raw = store.snapshot()?;
    let a = find_account(&raw, account)?;
    let change = Change::new(
        actor,
        "people.split",
        &account_ref(&raw, a),
        json!({"note": note}),
    );
    store.split_account(a, note, &change)?;
    Ok(json!({"split": a.0, "account": account_ref(&raw, a), "note": note}))
}

fn account_ref(snapshot: &Snapshot, a: hearth_model::AccountId) -> String {
    snapshot
        .persons
        .iter()
        .flat_map(|p| &p.accounts)
        .find(|x| x.id == a)
        .map_or_else(
            || format!("account:{}", a.0),
            |x| format!("{}:{}", x.source, x.native_id),
        )
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
fn find_account(snapshot: &Snapshot, reference: &str) -> Result<hearth_model::AccountId> {
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
        [] => Err(AppError::NotFound(format!(
            "no account matches {reference:?}"
        ))),
        many => crate::bail!(
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
