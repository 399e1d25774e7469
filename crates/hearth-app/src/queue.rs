//! The work queues (`hearth queue`, `/api/v1/queue`): the daily work lists — unanswered newcomers, questions past N hours,
//! lapsed members, helpers to thank, introductions to make and routed items — with state
//! (open, done, snoozed), assignee and note kept in the store.
//!
//! Items are computed from the data on every run; only their state is stored, under a key
//! made of the exports' own ids (a message's `source:native_id`, a person's smallest
//! `source:account` id), so state survives re-ingest and identity merges:
//! - `newcomer:<first message>` and `question:<thread's first message>`;
//! - `lapsed:<person>:<their last message>` (a new silence is a new item);
//! - `thank:<person>:<year>Q<quarter>` (thank again next quarter);
//! - `introduce:<person a>|<person b>`;
//! - `<queue>:<message>` for routed items (`support:…`, `social:amplify:…`, …);
//! - `alert:<day>:<kind>` for crises of the brand's mentions (with `[brand] names`), and
//!   `notice:<day>:<kind>` for volume notices (many mentions on one topic): a crisis is the
//!   negative share of the brand's mentions rising, from several people.
//!
//! The short id shown is the first 8 hex digits of the key's FNV-1a hash.

use crate::route::routed;
use crate::scope::{Loaded, MessageLater, Scope, load};
use crate::{AppError, Result};
use hearth_analysis::metrics::{first_response, helpers, introductions, newcomers};
use hearth_analysis::route::Routed;
use hearth_model::{Config, Role};
use hearth_store::{QueueChange, QueueState, Store};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// What `hearth queue` and `GET /api/v1/queue` take besides the scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// Only this kind: newcomer, question, lapsed, thank, introduce, alert (crises), notice
    /// (volume notices), or a routing
    /// queue (support, crisis, social:respond, social:amplify, community:welcome, …).
    pub kind: Option<String>,
    /// Only items assigned to this person.
    pub assignee: Option<String>,
    /// Only items in this state: open, done or snoozed (implies `all` for done and snoozed).
    pub state: Option<String>,
    /// Also items that are done or still snoozed.
    pub all: bool,
    /// Only these items of the list: (the first's position, how many); `total` says how
    /// many the list holds. A page of a list of thousands costs a page.
    #[serde(skip)]
    pub page: Option<(usize, usize)>,
}

/// A change to one item's state, as a person asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Done {
        note: Option<String>,
    },
    /// Hidden until this time (seconds, UTC).
    Snooze {
        until: i64,
        note: Option<String>,
    },
    /// `None` clears.
    Assign {
        who: Option<String>,
    },
    /// `None` clears.
    Note {
        text: Option<String>,
    },
    Reopen,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Done { .. } => "done",
            Action::Snooze { .. } => "snooze",
            Action::Assign { .. } => "assign",
            Action::Note { .. } => "note",
            Action::Reopen => "reopen",
        }
    }

    fn change(&self) -> QueueChange {
        match self.clone() {
            Action::Done { note } => QueueChange {
                status: Some("done".into()),
                snoozed_until: Some(None),
                note: note.map(Some),
                ..QueueChange::default()
            },
            Action::Snooze { until, note } => QueueChange {
                status: Some("snoozed".into()),
                snoozed_until: Some(Some(until)),
                note: note.map(Some),
                ..QueueChange::default()
            },
            Action::Assign { who } => QueueChange {
                assignee: Some(who),
                ..QueueChange::default()
            },
            Action::Note { text } => QueueChange {
                note: Some(text),
                ..QueueChange::default()
            },
            Action::Reopen => QueueChange {
                status: Some("open".into()),
                snoozed_until: Some(None),
                ..QueueChange::default()
            },
        }
    }
}

/// Which team a kind of item belongs to: `community` or `social`.
pub fn team_of(kind: &str) -> &'static str {
    if kind.starts_with("social:") || ["alert", "notice", "crisis"].contains(&kind) {
        "social"
    } else {
        "community"
    }
}

/// One item of a work list.
#[derive(Debug, Clone)]
pub struct Item {
    pub key: String,
    pub kind: String,
    pub time: i64,
    pub why: String,
    shown: Shown,
}

/// An item's title and detail: made with the item, or, where they show a message's words,
/// made when the item is shown. A list holds thousands of items (3,730 at 1M messages, most
/// of them routed), a page shows a hundred, and a message's excerpt costs reading its text.
#[derive(Debug, Clone)]
enum Shown {
    Made {
        title: String,
        detail: Value,
    },
    /// `{"person": …, <field>: <the message>}`.
    Message {
        title: String,
        person: Value,
        field: &'static str,
        message: MessageLater,
    },
    /// A routed item: titled by its author and the start of its excerpt, detailed as
    /// `hearth route` details it (shared by the item's queues).
    Routed(Arc<RoutedShown>),
}

#[derive(Debug)]
struct RoutedShown {
    routed: Routed,
    author: String,
    message: MessageLater,
    expert: Option<Value>,
    /// Why it went to each of its queues ([`crate::route::reasons`]).
    reasons: Vec<String>,
}

impl Item {
    /// The item's title and detail; the words of its message, if any, are read from `store`.
    pub fn shown(&self, store: &Store) -> (String, Value) {
        match &self.shown {
            Shown::Made { title, detail } => (title.clone(), detail.clone()),
            Shown::Message {
                title,
                person,
                field,
                message,
            } => (
                title.clone(),
                json!({"person": person, *field: message.shown(store, true)}),
            ),
            Shown::Routed(r) => {
                let message = r.message.shown(store, true);
                let title = format!(
                    "{}: \"{}\"",
                    r.author,
                    message["excerpt"]
                        .as_str()
                        .unwrap_or("")
                        .chars()
                        .take(70)
                        .collect::<String>()
                );
                let detail =
                    crate::route::item_json_with(message, r.expert.clone(), &r.reasons, &r.routed);
                (title, detail)
            }
        }
    }

    /// The title alone (see [`Item::shown`]).
    pub fn title(&self, store: &Store) -> String {
        match &self.shown {
            Shown::Made { title, .. } | Shown::Message { title, .. } => title.clone(),
            Shown::Routed(_) => self.shown(store).0,
        }
    }
}

pub fn short_id(key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:016x}", h)[..8].to_owned()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The item an id names (short id or full key) among today's items, or among the stored
/// states of items no longer listed: `(key, kind, title)`.
pub fn find(loaded: &Loaded, id: &str) -> Result<(String, String, String)> {
    find_in(&all_items(loaded)?, &loaded.store, id)
}

/// [`find`] among items already computed ([`all_items`]), with the stored states read from
/// the store in `data`.
pub fn find_with(data: &Path, items: &Items, id: &str) -> Result<(String, String, String)> {
    find_in(items, &crate::scope::open_store(data)?, id)
}

fn find_in(items: &Items, store: &Store, id: &str) -> Result<(String, String, String)> {
    let matching: Vec<&Item> = items
        .items
        .iter()
        .filter(|i| i.key == id || short_id(&i.key) == id)
        .collect();
    match matching[..] {
        [one] => Ok((one.key.clone(), one.kind.clone(), one.title(store))),
        [] => {
            let stored = store.queue_states()?;
            let known: Vec<&String> = stored
                .keys()
                .filter(|k| k.as_str() == id || short_id(k) == id)
                .collect();
            match known[..] {
                [k] => Ok((k.clone(), kind_of_key(k), k.clone())),
                [] => Err(AppError::NotFound(format!(
                    "no queue item {id:?} (hearth queue --all lists every item with its id)"
                ))),
                _ => crate::bail!("{id:?} names several items; use the full key"),
            }
        }
        _ => crate::bail!("{id:?} names several items; use the full key"),
    }
}

/// The kind of an item from its key (`newcomer:…`, `social:amplify:…`).
fn kind_of_key(key: &str) -> String {
    hearth_model::ROUTE_QUEUES
        .iter()
        .find(|q| key.starts_with(&format!("{q}:")))
        .map_or_else(
            || key.split(':').next().unwrap_or("").to_owned(),
            |q| (*q).to_owned(),
        )
}

/// The queue's clock: the data's last message (`as_of`). Items are chosen as of it, and a
/// snooze of N days lasts until N days after it, so a snooze ends when the data has moved on
/// that far (on a live community, about now; on an archive, when newer messages arrive).
pub fn clock(data: &Path) -> Result<i64> {
    Ok(load(data, &Scope::default())?.context().as_of())
}

/// Finds the item (by short id or full key) and changes its state; the change and `actor`
/// go to the audit log in the same transaction. Returns the item with its new state.
pub fn change(data: &Path, id: &str, action: &Action, actor: &str) -> Result<Value> {
    let loaded = load(data, &Scope::default())?;
    let (key, kind, title) = find(&loaded, id)?;
    change_found(data, &key, &kind, &title, action, actor)
}

/// Changes the state of an item already found (`find`).
pub fn change_found(
    data: &Path,
    key: &str,
    kind: &str,
    title: &str,
    action: &Action,
    actor: &str,
) -> Result<Value> {
    let mut store = crate::scope::open_store(data)?;
    let detail = match action {
        Action::Done { note } | Action::Snooze { note, .. } => json!({"note": note}),
        Action::Assign { who } => json!({"assignee": who}),
        Action::Note { text } => json!({"note": text}),
        Action::Reopen => json!({}),
    };
    let mut detail = detail;
    if let Action::Snooze { until, .. } = action {
        detail["until"] = json!(hearth_report::iso(*until));
    }
    let audit = hearth_store::Change::new(actor, &format!("queue.{}", action.name()), key, detail);
    let s = store.update_queue_state(key, &action.change(), now(), &audit)?;
    Ok(state_json(key, kind, title, &s))
}

fn state_json(key: &str, kind: &str, title: &str, s: &QueueState) -> Value {
    json!({
        "id": short_id(key),
        "key": key,
        "kind": kind,
        "title": title,
        "status": s.status,
        "status_text": status_word(s),
        "snoozed_until": s.snoozed_until.map(hearth_report::iso),
        "assignee": s.assignee,
        "note": s.note,
        "updated_at": hearth_report::iso(s.updated_at),
    })
}

pub fn status_word(s: &QueueState) -> String {
    match (s.status.as_str(), s.snoozed_until) {
        ("snoozed", Some(u)) => format!("snoozed until {}", &hearth_report::iso(u)[..10]),
        (st, _) => st.to_owned(),
    }
}

/// `hearth queue`: the items of every list with their state, the counts per kind and how many
/// are hidden (done, snoozed).
pub fn list_json(loaded: &Loaded, args: &QueueQuery) -> Result<Value> {
    check_state(args)?;
    list_of(&all_items(loaded)?, &loaded.store, args)
}

/// Every item of every list before the team's decisions are laid over it, with the clock
/// they were chosen by. It depends on the data and `hearth.toml` only, so it can be kept
/// across queue decisions (the server does). It holds no snapshot: what an item shows is
/// resolved when it is made, but for its message's words, read by message id.
#[derive(Debug, Clone)]
pub struct Items {
    /// The data's last message (see [`clock`]).
    pub as_of: i64,
    pub items: Vec<Item>,
}

/// The items of `loaded`'s scope ([`Items`]).
pub fn all_items(loaded: &Loaded) -> Result<Items> {
    Ok(Items {
        as_of: loaded.context().as_of(),
        items: items(loaded, &loaded.config)?,
    })
}

/// [`list_json`] from items already computed, with the stored states read from the store in
/// `data`: a queue decision costs reading the states, not computing the items again.
pub fn list_with(data: &Path, items: &Items, args: &QueueQuery) -> Result<Value> {
    check_state(args)?;
    list_of(items, &crate::scope::open_store(data)?, args)
}

fn check_state(args: &QueueQuery) -> Result<()> {
    if let Some(st) = &args.state
        && !["open", "done", "snoozed"].contains(&st.as_str())
    {
        crate::bail!("state is open, done or snoozed, not {st:?}");
    }
    Ok(())
}

fn list_of(all: &Items, store: &Store, args: &QueueQuery) -> Result<Value> {
    let states = store.queue_states()?;
    // One clock for the queue: its items and its snoozes are both as of the data's last
    // message (see `clock`).
    let now = all.as_of;
    let mut shown = Vec::new();
    let mut hidden = (0, 0);
    for item in &all.items {
        let state = states.get(&item.key);
        let visible = match state {
            None => true,
            Some(s) if s.status == "open" => true,
            Some(s) if s.status == "snoozed" => s.snoozed_until.is_none_or(|u| u <= now),
            Some(_) => false,
        };
        if !visible {
            match state.map(|s| s.status.as_str()) {
                Some("done") => hidden.0 += 1,
                _ => hidden.1 += 1,
            }
        }
        let status = state.map_or("open", |s| s.status.as_str());
        if let Some(st) = &args.state {
            if st != status {
                continue;
            }
        } else if !(visible || args.all) {
            continue;
        }
        if args.kind.as_ref().is_some_and(|k| k != &item.kind) {
            continue;
        }
        if args
            .assignee
            .as_ref()
            .is_some_and(|a| state.and_then(|s| s.assignee.as_ref()) != Some(a))
        {
            continue;
        }
        shown.push((item, state));
    }
    let mut per_kind: Vec<(String, usize)> = Vec::new();
    for (item, _) in &shown {
        match per_kind.iter_mut().find(|(k, _)| k == &item.kind) {
            Some(e) => e.1 += 1,
            None => per_kind.push((item.kind.clone(), 1)),
        }
    }
    let total = shown.len();
    let shown = match args.page {
        Some((first, n)) => &shown[first.min(total)..first.saturating_add(n).min(total)],
        None => &shown[..],
    };
    let out = json!({
        "as_of": hearth_report::iso(all.as_of),
        "total": total,
        "items": shown.iter().map(|(item, state)| {
            let (title, detail) = item.shown(store);
            json!({
                "id": short_id(&item.key),
                "key": item.key,
                "kind": item.kind,
                "status": state.map_or("open".to_owned(), |s| s.status.clone()),
                "snoozed_until": state.and_then(|s| s.snoozed_until).map(hearth_report::iso),
                "assignee": state.and_then(|s| s.assignee.clone()),
                "note": state.and_then(|s| s.note.clone()),
                "title": title,
                "why": item.why,
                "time": hearth_report::iso(item.time),
                "detail": detail,
            })
        }).collect::<Vec<_>>(),
        "counts": per_kind.iter().map(|(k, n)| json!({"kind": k, "items": n})).collect::<Vec<_>>(),
        "hidden": {"done": hidden.0, "snoozed": hidden.1},
    });
    Ok(out)
}

pub fn kind_title(kind: &str) -> String {
    match kind {
        "newcomer" => "Newcomers still waiting for an answer".into(),
        "question" => "Questions nobody has answered".into(),
        "lapsed" => "Lapsed members to reach out to".into(),
        "thank" => "Helpers to thank".into(),
        "introduce" => "Introductions to make".into(),
        "alert" => "Crises to look at".into(),
        "notice" => "Busy days: many mentions on one topic".into(),
        other => format!("Routed: {other}"),
    }
}

fn plural(n: u64, word: &str) -> String {
    match (n, word) {
        (1, w) => format!("1 {w}"),
        (n, "person") => format!("{n} people"),
        (n, w) => format!("{n} {w}s"),
    }
}

/// A person's stable key: the smallest `source:account` id among their accounts.
fn person_key(loaded: &Loaded, p: u32) -> String {
    loaded
        .snapshot
        .persons
        .get(p as usize)
        .and_then(|i| {
            i.accounts
                .iter()
                .map(|a| format!("{}:{}", a.source, a.native_id))
                .min()
        })
        .unwrap_or_else(|| format!("person:{p}"))
}

/// The lists that depend on the space and the as-of moment only (everything but the
/// introductions, which look at the window's threads): those before the introductions and
/// those after, kept for every window of that space and end (see [`crate::memo`]).
type EndItems = (Vec<Item>, Vec<Item>);
static END_ITEMS: crate::memo::Memo<EndItems> = crate::memo::Memo::new(4);

/// Every item of every list, today, in list order.
pub fn items(loaded: &Loaded, config: &Config) -> Result<Vec<Item>> {
    let full = loaded.context();
    let key = crate::memo::Key::of(loaded, full.as_of(), crate::memo::rules_key(config)?);
    let ends = match END_ITEMS.get(&key) {
        Some(hit) => hit,
        None => {
            let made = std::sync::Arc::new(end_items(loaded, config, &full)?);
            END_ITEMS.put(key, made.clone());
            made
        }
    };
    let mut out = ends.0.clone();
    out.extend(introduction_items(loaded, config, &full));
    out.extend(ends.1.iter().cloned());
    Ok(out)
}

/// Members to introduce to each other, from the threads of the window.
fn introduction_items(
    loaded: &Loaded,
    config: &Config,
    full: &hearth_analysis::Context<'_>,
) -> Vec<Item> {
    // Who ever talked with whom depends on the space only: kept for every window of it.
    static TALKED: crate::memo::Memo<introductions::Talked> = crate::memo::Memo::new(4);
    let key = crate::memo::Key::of(loaded, 0, 0);
    let talked = TALKED.get(&key).unwrap_or_else(|| {
        let made = std::sync::Arc::new(introductions::talked(full));
        TALKED.put(key, made.clone());
        made
    });
    introductions::introductions_among(full, &talked, config.queue.people)
        .into_iter()
        .map(|p| {
            let (ka, kb) = (person_key(loaded, p.a), person_key(loaded, p.b));
            let (ka, kb) = if ka <= kb { (ka, kb) } else { (kb, ka) };
            Item {
                key: format!("introduce:{ka}|{kb}"),
                kind: "introduce".into(),
                time: full.as_of(),
                why: format!(
                    "{} threads in common, never talked with each other",
                    p.shared_threads
                ),
                shown: Shown::Made {
                    title: format!(
                        "Introduce {} and {}",
                        loaded.person_name(p.a),
                        loaded.person_name(p.b)
                    ),
                    detail: json!({"a": loaded.person(p.a), "b": loaded.person(p.b)}),
                },
            }
        })
        .collect()
}

fn end_items(
    loaded: &Loaded,
    config: &Config,
    full: &hearth_analysis::Context<'_>,
) -> Result<EndItems> {
    let as_of = full.as_of();
    let m = &loaded.snapshot.messages;
    let days = config.queue.lookback_days;
    let recent = hearth_analysis::Window {
        since: Some(as_of - days * 86_400),
        until: Some(as_of),
    };
    let cx =
        hearth_analysis::Context::new(&loaded.snapshot, &loaded.prepared, recent, loaded.space);
    let mut out = Vec::new();
    let mut refs_wanted: Vec<i64> = Vec::new();
    let ago = |t: i64| {
        let h = (as_of - t) as f64 / 3600.0;
        if h < 48.0 {
            format!("{h:.0} hours")
        } else {
            format!("{:.0} days", h / 24.0)
        }
    };

    // Newcomers whose first message nobody answered.
    let waiting: Vec<newcomers::Newcomer> = crate::memo::newcomer_list(loaded, &cx)
        .into_iter()
        .filter(newcomers::Newcomer::is_waiting)
        .collect();
    // Member threads without any answer after `question_hours`, whose first message waits
    // for one (a question, problem or request; not news or thanks).
    let mut questions: Vec<first_response::ThreadFirst> = first_response::first_responses(&cx)
        .into_iter()
        .filter(|t| {
            t.first.is_none() && (as_of - t.start) as f64 >= config.queue.question_hours * 3600.0
        })
        .collect();
    let roots: Vec<u32> = questions.iter().map(|t| t.root).collect();
    let intents = crate::social::intents(loaded, &roots)?;
    questions.retain(|t| intents.get(&t.root).is_none_or(|c| c.waits()));
    // Routed items.
    let routed_items = routed(loaded, recent, config)?;
    for n in &waiting {
        refs_wanted.push(m.id[n.first_message as usize]);
    }
    for t in &questions {
        refs_wanted.push(m.id[t.root as usize]);
    }
    for r in routed_items.iter() {
        refs_wanted.push(m.id[r.message as usize]);
    }
    let lapsed_people = crate::memo::lapsed(loaded, full, config.queue.people);
    for l in lapsed_people.iter() {
        refs_wanted.push(m.id[l.last_message as usize]);
    }
    refs_wanted.sort_unstable();
    refs_wanted.dedup();
    let refs: HashMap<i64, String> = loaded.store.message_refs(&refs_wanted)?;
    let r = |i: u32| {
        refs.get(&m.id[i as usize])
            .cloned()
            .unwrap_or_else(|| format!("message:{}", m.id[i as usize]))
    };

    for n in waiting.iter().rev() {
        out.push(Item {
            key: format!("newcomer:{}", r(n.first_message)),
            kind: "newcomer".into(),
            time: n.time,
            why: format!("waiting {}", ago(n.time)),
            shown: Shown::Message {
                title: format!(
                    "{} — first message, no answer",
                    loaded.person_name(n.person)
                ),
                person: loaded.person(n.person),
                field: "message",
                message: loaded.message_later(n.first_message),
            },
        });
    }
    for t in questions.iter().rev() {
        out.push(Item {
            key: format!("question:{}", r(t.root)),
            kind: "question".into(),
            time: t.start,
            why: format!(
                "waiting {} (more than {} hours)",
                ago(t.start),
                config.queue.question_hours
            ),
            shown: Shown::Message {
                title: format!("{} asked, nobody answered", loaded.person_name(t.starter)),
                person: loaded.person(t.starter),
                field: "message",
                message: loaded.message_later(t.root),
            },
        });
    }
    for l in lapsed_people.iter() {
        out.push(Item {
            key: format!(
                "lapsed:{}:{}",
                person_key(loaded, l.person),
                r(l.last_message)
            ),
            kind: "lapsed".into(),
            time: m.time[l.last_message as usize],
            why: format!(
                "silent {:.0} days (usually every {:.0}); talked with {} people",
                l.silent_days, l.usual_gap_days, l.people_talked_with
            ),
            shown: Shown::Message {
                title: format!("{} has gone quiet", loaded.person_name(l.person)),
                person: loaded.person(l.person),
                field: "last_message",
                message: loaded.message_later(l.last_message),
            },
        });
    }
    let helper_window = hearth_analysis::Window {
        since: Some(as_of - helpers::TREND_DAYS * 86_400),
        until: Some(as_of),
    };
    let hcx = hearth_analysis::Context::new(
        &loaded.snapshot,
        &loaded.prepared,
        helper_window,
        loaded.space,
    );
    let (y, mo, _) = hearth_analysis::calendar::civil(hearth_analysis::calendar::day(as_of));
    let quarter = format!("{y}Q{}", (mo - 1) / 3 + 1);
    for h in helpers::helpers(&hcx, config.queue.people) {
        if full.role(h.person) != Role::Member {
            continue;
        }
        out.push(Item {
            key: format!("thank:{}:{quarter}", person_key(loaded, h.person)),
            kind: "thank".into(),
            time: as_of,
            why: format!(
                "{} to {} in the last {} days",
                plural(h.answers, "answer"),
                plural(h.people_helped, "person"),
                helpers::TREND_DAYS
            ),
            shown: Shown::Made {
                title: format!("Thank {}", loaded.person_name(h.person)),
                detail: json!({"person": loaded.person(h.person), "answers": h.answers, "people_helped": h.people_helped}),
            },
        });
    }
    let before = std::mem::take(&mut out);
    let refs_of: Vec<String> = routed_items.iter().map(|it| r(it.message)).collect();
    let routed_items: Vec<Arc<RoutedShown>> =
        crate::route::shown(loaded, recent, routed_items.iter())?
            .into_iter()
            .map(|it| {
                Arc::new(RoutedShown {
                    author: loaded.person_name(m.author[it.message as usize]),
                    message: loaded.message_later(it.message),
                    expert: crate::route::expert_of(loaded, &it),
                    reasons: crate::route::reasons(loaded, &it),
                    routed: it,
                })
            })
            .collect();
    for q in hearth_model::ROUTE_QUEUES {
        for (it, reference) in routed_items.iter().zip(&refs_of).rev() {
            let Some(at) = it.routed.routes.iter().position(|x| &*x.queue == *q) else {
                continue;
            };
            let (route, reason) = (&it.routed.routes[at], &it.reasons[at]);
            out.push(Item {
                key: format!("{q}:{reference}"),
                kind: (*q).to_owned(),
                time: m.time[it.routed.message as usize],
                why: format!("rule {}: {reason}", route.rule),
                shown: Shown::Routed(it.clone()),
            });
        }
    }
    // Alerts of the last `lookback_days`, when the brand is named in hearth.toml (the mentions
    // stream; the 8 weeks before give the baseline, so only recent text is read): crises in
    // the crisis list, volume notices in their own.
    if !config.brand.names.is_empty() {
        let baseline = (hearth_analysis::social::alerts::BASELINE_WEEKS as i64) * 7;
        let w = hearth_analysis::Window {
            since: Some(as_of - (days + baseline) * 86_400),
            until: Some(as_of),
        };
        let st = crate::social::stream_in(loaded, w, config, Some("mentions"))?;
        use hearth_analysis::social::alerts;
        for a in alerts::detect(st.start, &st.days, st.watched, None) {
            if a.day * 86_400 < as_of - days * 86_400 {
                continue;
            }
            let day = hearth_report::iso(a.day * 86_400)[..10].to_owned();
            let kind = match a.kind {
                alerts::Kind::Volume => "volume",
                alerts::Kind::NegativeShare => "negative share",
            };
            let list = match a.class {
                alerts::Class::Crisis => "alert",
                alerts::Class::Notice => "notice",
            };
            out.push(Item {
                key: format!("{list}:{day}:{kind}"),
                kind: list.into(),
                time: a.day * 86_400,
                why: format!(
                    "usual for the weekday {:.0}, z {:.1}; hearth alerts --since {day} explains it",
                    a.baseline, a.z
                ),
                shown: Shown::Made { title: match a.class {
                    alerts::Class::Crisis => format!(
                        "{day}: crisis, {} of {} mentions negative",
                        a.negative, a.count
                    ),
                    alerts::Class::Notice => {
                        format!("{day}: {} mentions ({kind} notice)", a.count)
                    }
                },
                detail: json!({"day": day, "class": a.class, "kind": kind, "count": a.count, "negative": a.negative, "baseline": a.baseline, "z": a.z,
                    "examples": a.examples.iter().map(|i| loaded.message(*i, true)).collect::<Vec<_>>()}),
                },
            });
        }
    }
    Ok((before, out))
}
