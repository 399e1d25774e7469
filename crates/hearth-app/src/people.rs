//! People and their roles (`hearth people list|show`, `/api/v1/people`), and the identity
//! changes made by hand (merge, split), each recorded in the audit log.

use crate::scope::{open_store, resolved_snapshot};
use crate::{AppError, Result, config};
use hearth_analysis::{RoleDecision, decide_roles};
use hearth_model::{Role, Snapshot};
use hearth_store::Change;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};

/// Everyone, with role, the rule that decided it and message count; brand first. `role`
/// keeps one role (`brand`, `member`, `bot`).
pub fn list(data: &Path, role: Option<&str>) -> Result<Value> {
    if let Some(r) = role
        && !["brand", "member", "bot"].contains(&r)
    {
        crate::bail!("role is brand, member or bot, not {r:?}");
    }
    let (snapshot, decisions) = resolved(data)?;
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
    let (snapshot, decisions) = resolved(data)?;
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
    let (snapshot, decisions) = resolved(data)?;
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
        "accounts": p.accounts.iter().map(account_json).collect::<Vec<_>>(),
        "merged_because": p.evidence,
    })
}

fn account_json(a: &hearth_model::AccountInfo) -> Value {
    json!({
        "source": a.source,
        "id": a.native_id,
        "name": a.display_name,
        "email": a.email,
        "username": a.username,
        "flags": a.flags,
    })
}

/// The snapshot of `data` with persons resolved, and each person's role decision.
fn resolved(data: &Path) -> Result<(Snapshot, Vec<RoleDecision>)> {
    let config = config::load(data)?;
    let store = open_store(data)?;
    let snapshot = resolved_snapshot(&store, &config)?;
    let decisions = decide_roles(&snapshot.persons, &config.roles);
    Ok((snapshot, decisions))
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

/// Everything the person page shows: who they are and why they have their role, their
/// activity by month, spaces, the people they talk with, threads started and answered, their
/// status in the work lists, and the tone of their recent messages with the words behind it.
/// The 50 first helpers of the scope, in rank order. The ranking is the same for every
/// person page of one resolved snapshot and scope, so the last one is kept: a team opening
/// person after person pays for it once (at 1M messages it was most of a page's time). The
/// memo holds a weak reference to the prepared view it was computed from: a new generation
/// or other rules make a new `Prepared`, and the memo's no longer matches.
fn top_helpers(loaded: &crate::scope::Loaded, cx: &hearth_analysis::Context<'_>) -> Arc<Vec<u32>> {
    type Memo = Option<(
        Weak<hearth_analysis::Prepared>,
        hearth_analysis::Window,
        Option<u32>,
        Arc<Vec<u32>>,
    )>;
    static MEMO: Mutex<Memo> = Mutex::new(None);
    let same = |memo: &Memo| {
        memo.as_ref().and_then(|(prepared, window, space, top)| {
            let alive = prepared.upgrade()?;
            (Arc::ptr_eq(&alive, &loaded.prepared)
                && *window == loaded.window
                && *space == loaded.space)
                .then(|| Arc::clone(top))
        })
    };
    if let Some(top) = same(&MEMO.lock().unwrap_or_else(|e| e.into_inner())) {
        return top;
    }
    let top: Arc<Vec<u32>> = Arc::new(
        hearth_analysis::metrics::helpers::helpers(cx, 50)
            .into_iter()
            .map(|h| h.person)
            .collect(),
    );
    *MEMO.lock().unwrap_or_else(|e| e.into_inner()) = Some((
        Arc::downgrade(&loaded.prepared),
        loaded.window,
        loaded.space,
        Arc::clone(&top),
    ));
    top
}

/// Ranks the helpers of the whole store ahead (the server's warm-up calls it), so that the
/// first person page after a change is as quick as the next ones.
pub fn warm_person_pages(data: &Path) -> Result<()> {
    let loaded = crate::scope::load(data, &crate::scope::Scope::default())?;
    top_helpers(&loaded, &loaded.context());
    Ok(())
}

pub fn person_view(loaded: &crate::scope::Loaded, id: i64) -> Result<Value> {
    use std::collections::{BTreeMap, HashMap};
    let snapshot = &loaded.snapshot;
    let Some(p) = snapshot.persons.iter().position(|x| x.id.0 == id) else {
        return Err(AppError::NotFound(format!("no person {id}")));
    };
    let p32 = p as u32;
    let info = &snapshot.persons[p];
    let decision = &loaded.prepared.roles[p];
    let cx = loaded.context();
    let m = &snapshot.messages;
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_space: HashMap<u32, u64> = HashMap::new();
    let mut started = 0u64;
    let mut answered: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut mine: Vec<usize> = Vec::new();
    for i in cx.in_window() {
        if m.author[i] != p32 {
            continue;
        }
        mine.push(i);
        let iso = hearth_report::iso(m.time[i]);
        *by_month.entry(iso[..7].to_owned()).or_default() += 1;
        *by_space.entry(m.space[i]).or_default() += 1;
        let root = loaded.prepared.roots[i];
        if root as usize == i {
            started += 1;
        } else if m.author[root as usize] != p32 {
            answered.insert(root);
        }
    }
    let mut talked: HashMap<u32, (u64, u64)> = HashMap::new();
    for x in cx.interactions() {
        if x.from == p32 && x.to != p32 {
            talked.entry(x.to).or_default().0 += 1;
        } else if x.to == p32 && x.from != p32 {
            talked.entry(x.from).or_default().1 += 1;
        }
    }
    let mut talked: Vec<(u32, (u64, u64))> = talked.into_iter().collect();
    talked.sort_by_key(|(q, (a, b))| (std::cmp::Reverse(a + b), *q));
    let mut spaces: Vec<(u32, u64)> = by_space.into_iter().collect();
    spaces.sort_by_key(|(s, n)| (std::cmp::Reverse(*n), *s));
    // Status in the work lists.
    let lapsed = hearth_analysis::metrics::lapsed::lapsed_of(&cx, p32);
    let helper = top_helpers(loaded, &cx).iter().position(|&h| h == p32);
    let first = mine.first().map(|&i| m.time[i]);
    let newcomer = first.is_some_and(|t| cx.as_of() - t <= 30 * 86_400);
    // The tone of their last 100 messages, with the words that moved it most.
    let mut labels: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut words: HashMap<String, (f64, u64)> = HashMap::new();
    for &i in mine.iter().rev().take(100) {
        if let Ok(Some(text)) = loaded.store.message_text(hearth_model::MessageId(m.id[i])) {
            let s = hearth_analysis::text::sentiment::score(&text);
            *labels.entry(s.label).or_default() += 1;
            for w in s.words {
                let e = words.entry(w.word).or_default();
                e.0 += w.weight;
                e.1 += 1;
            }
        }
    }
    let mut words: Vec<(String, (f64, u64))> = words.into_iter().collect();
    words.sort_by(|a, b| {
        b.1.0
            .abs()
            .partial_cmp(&a.1.0.abs())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
    let recent: Vec<Value> = mine
        .iter()
        .rev()
        .take(20)
        .map(|&i| {
            let mut v = loaded.message(i as u32, true);
            v["thread"] = json!(m.id[loaded.prepared.roots[i] as usize]);
            v
        })
        .collect();
    Ok(json!({
        "person": info.id,
        "name": info.display_name,
        "role": decision.role,
        "rule": decision.rule,
        "why": decision.why,
        "accounts": info.accounts.iter().map(|a| {
            let mut v = account_json(a);
            v["ref"] = json!(format!("{}:{}", a.source, a.native_id));
            v
        }).collect::<Vec<_>>(),
        "merged_because": info.evidence,
        "messages": mine.len(),
        "first_message": first.map(hearth_report::iso),
        "last_message": mine.last().map(|&i| hearth_report::iso(m.time[i])),
        "by_month": by_month,
        "spaces": spaces.iter().map(|(s, n)| json!({"space": loaded.space_name(*s), "messages": n})).collect::<Vec<_>>(),
        "talks_with": talked.iter().take(15).map(|(q, (to, from))| json!({
            "person": loaded.person(*q), "to_them": to, "from_them": from,
        })).collect::<Vec<_>>(),
        "threads_started": started,
        "threads_answered": answered.len(),
        "status": {
            "newcomer": newcomer,
            "helper_rank": helper.map(|r| r + 1),
            "lapsed": lapsed.map(|l| json!({"silent_days": l.silent_days, "usual_gap_days": l.usual_gap_days})),
        },
        "sentiment": {
            "messages_scored": labels.values().sum::<u64>(),
            "labels": labels,
            "words": words.iter().take(12).map(|(w, (weight, n))| json!({"word": w, "weight": weight, "times": n})).collect::<Vec<_>>(),
        },
        "recent": recent,
    }))
}

/// What `erase` is about to remove: the person a reference names, with their accounts and
/// message count, for a confirmation prompt.
pub fn erase_preview(data: &Path, reference: &str) -> Result<Value> {
    let (snapshot, decisions) = resolved(data)?;
    let index = find_person(&snapshot, reference)?;
    let all = rows(&snapshot, &decisions);
    let row = all
        .iter()
        .find(|r| r.index == index)
        .ok_or_else(|| AppError::NotFound(format!("nobody matches {reference:?}")))?;
    Ok(row_json(&snapshot, row))
}

/// Erases a person on request (right to erasure): their accounts, names, addresses and the
/// text of their messages leave the store, its free pages, the snapshot cache, queue states
/// and the audit log; their messages stay as anonymous textless records unless `drop`.
/// `reference` is a person id (as `people list` gives it) or what names exactly one person.
/// The audit log keeps "erased person N, by `actor`, when".
pub fn erase(data: &Path, reference: &str, drop: bool, actor: &str) -> Result<Value> {
    let config = config::load(data)?;
    let mut store = open_store(data)?;
    let snapshot = resolved_snapshot(&store, &config)?;
    let index = find_person(&snapshot, reference)?;
    let person = &snapshot.persons[index];
    let accounts: Vec<i64> = person.accounts.iter().map(|a| a.id.0).collect();
    // Settings that name them would name them again: say where, for the admin to edit.
    let toml = config::text(data)?;
    let mut named_in_settings = Vec::new();
    for (n, line) in toml.lines().enumerate() {
        let lower = line.to_lowercase();
        let hit = person.accounts.iter().any(|a| {
            [Some(a.native_id.as_str()), a.email.as_deref()]
                .into_iter()
                .flatten()
                .any(|v| v.len() >= 4 && lower.contains(&v.to_lowercase()))
        });
        if hit {
            named_in_settings.push(format!("hearth.toml line {}", n + 1));
        }
    }
    let erased = store.erase_accounts(&accounts, drop, actor, hearth_store::now())?;
    let mut out = serde_json::to_value(&erased).map_err(AppError::Json)?;
    out["person"] = json!(person.id);
    out["still_named_in"] = json!(named_in_settings);
    Ok(out)
}

/// The one resolved person a reference names: a person id, else a case-insensitive
/// substring of a name, address, username or `source:id` that matches one person only.
fn find_person(snapshot: &Snapshot, reference: &str) -> Result<usize> {
    if let Ok(id) = reference.trim().parse::<i64>() {
        return snapshot
            .persons
            .iter()
            .position(|p| p.id.0 == id)
            .ok_or_else(|| AppError::NotFound(format!("no person {id}")));
    }
    let needle = reference.to_lowercase();
    let hits: Vec<usize> = snapshot
        .persons
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.display_name.to_lowercase().contains(&needle)
                || p.accounts.iter().any(|a| {
                    format!("{}:{}", a.source, a.native_id)
                        .to_lowercase()
                        .contains(&needle)
                        || a.email
                            .as_deref()
                            .is_some_and(|e| e.to_lowercase().contains(&needle))
                        || a.username
                            .as_deref()
                            .is_some_and(|u| u.to_lowercase().contains(&needle))
                })
        })
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => Err(AppError::NotFound(format!("nobody matches {reference:?}"))),
        many => crate::bail!(
            "{reference:?} names {} people ({}…); give the person id from `hearth people show`",
            many.len(),
            many.iter()
                .take(3)
                .map(|i| format!(
                    "{} {:?}",
                    snapshot.persons[*i].id.0, snapshot.persons[*i].display_name
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
