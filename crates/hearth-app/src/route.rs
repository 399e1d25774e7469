//! `hearth route`: every inbound item of the period, routed to the social, community,
//! support and crisis queues with the rule and signals behind each decision.

use crate::Result;
use crate::scope::Loaded;
use hearth_analysis::route::{self, Routed, Texts};
use hearth_model::Config;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// What `hearth route` and `GET /api/v1/route` take besides the scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(default)]
pub struct RouteQuery {
    /// Without `since`: the items of this many days before the end (default: `[queue]
    /// lookback_days`).
    pub days: Option<i64>,
    /// Only items routed to this queue (e.g. `support`, `social:amplify`).
    pub queue: Option<String>,
    /// Also list inbound items no rule took.
    pub all: bool,
    /// How many items to list (default 50).
    pub limit: Option<usize>,
}

/// `hearth route`: every inbound item of the period with the queues it goes to and why.
pub fn route_json(loaded: &mut Loaded, q: &RouteQuery) -> Result<Value> {
    let config = loaded.config.clone();
    lookback(loaded, q.days.unwrap_or(config.queue.lookback_days));
    let routed = routed(loaded, loaded.window, &config)?;
    to_json(loaded, &config, &routed, q)
}

/// Without a start, the window becomes the `days` before its end.
pub fn lookback(loaded: &mut Loaded, days: i64) {
    if loaded.window.since.is_none() {
        let end = loaded.context().as_of();
        loaded.window.since = Some(end - days * 86_400);
    }
}

/// Checks the routing rules name known queues.
pub fn check_rules(config: &Config) -> Result<()> {
    match crate::config::problems(config).into_iter().next() {
        Some(problem) => crate::bail!("hearth.toml: {problem}"),
        None => Ok(()),
    }
}

/// The routing index of a whole space (a scope without an end), which routes at any as-of
/// moment; the items read so far (what routing reads in each, which does not depend on the
/// moment); and the items routed at an as-of moment: every inbound item from a moment (the
/// earliest window start asked for) to the as-of moment. A window reaching further back, or
/// ending elsewhere, reads only the items never read (see [`crate::memo`]).
static INDEXES: crate::memo::Memo<route::Index> = crate::memo::Memo::new(2);
static READS: crate::memo::Memo<std::sync::Mutex<Reads>> = crate::memo::Memo::new(4);
static ROUTED: crate::memo::Memo<(i64, Vec<Routed>)> = crate::memo::Memo::new(4);
/// The items routed at the data's end (the end of every window without one of its own), kept
/// apart so that visits of other ends never push them out.
static ROUTED_AT_END: crate::memo::Memo<(i64, Vec<Routed>)> = crate::memo::Memo::new(1);

/// The inbound items of a window, oldest first: a stretch of the items kept routed at the
/// window's end (nothing copied).
#[derive(Debug, Clone)]
pub struct RoutedItems {
    kept: std::sync::Arc<(i64, Vec<Routed>)>,
    range: std::ops::Range<usize>,
}

impl RoutedItems {
    /// The items of `kept` (in time order) inside `window`.
    fn of(
        kept: std::sync::Arc<(i64, Vec<Routed>)>,
        time: &[i64],
        window: hearth_analysis::Window,
    ) -> RoutedItems {
        let all = &kept.1;
        let at = |t: i64| all.partition_point(|r| time[r.message as usize] < t);
        let start = window.since.map_or(0, at);
        let end = window.until.map_or(all.len(), at).max(start);
        RoutedItems {
            range: start..end,
            kept,
        }
    }
}

impl std::ops::Deref for RoutedItems {
    type Target = [Routed];
    fn deref(&self) -> &[Routed] {
        &self.kept.1[self.range.clone()]
    }
}

/// The memo that keeps the items routed at `as_of`.
fn routed_memo(loaded: &Loaded, as_of: i64) -> &'static crate::memo::Memo<(i64, Vec<Routed>)> {
    let m = &loaded.snapshot.messages;
    let end = loaded
        .prepared
        .by_time
        .last()
        .map_or(0, |&i| m.time[i as usize] + 1);
    if as_of == end {
        &ROUTED_AT_END
    } else {
        &ROUTED
    }
}

/// Items read: the inbound ones with their reading, and where each message's is
/// ([`UNREAD`], [`NOT_INBOUND`], or its place in `inbound`): one load a lookup.
#[derive(Debug, Default)]
struct Reads {
    inbound: Vec<std::sync::Arc<route::Read>>,
    slot: Vec<u32>,
    /// Expert terms, each once: items of one subject read in different batches share theirs.
    terms: std::collections::HashSet<std::sync::Arc<[String]>>,
}

const UNREAD: u32 = u32::MAX;
const NOT_INBOUND: u32 = u32::MAX - 1;

impl Reads {
    fn get(&self, i: u32) -> Option<&std::sync::Arc<route::Read>> {
        let k = *self.slot.get(i as usize)?;
        self.inbound.get(k as usize)
    }

    /// Puts the readings in time order, where a window walks them (one stretch of memory
    /// instead of a jump for each item).
    fn in_time_order(&mut self, time: &[i64]) {
        self.inbound
            .sort_unstable_by_key(|r| (time[r.message as usize], r.message));
        // Each reading made again in that order, all before the old ones are freed (whose
        // room the new ones would take one by one): neighbours in time, neighbours in memory.
        let again: Vec<std::sync::Arc<route::Read>> = self
            .inbound
            .iter()
            .map(|r| std::sync::Arc::new(route::Read::clone(r)))
            .collect();
        self.inbound = again;
        for (k, r) in self.inbound.iter().enumerate() {
            self.slot[r.message as usize] = k as u32;
        }
    }
}

/// Routes the scope's inbound items (reads the text they need from the store).
pub fn routed(
    loaded: &Loaded,
    window: hearth_analysis::Window,
    config: &Config,
) -> Result<RoutedItems> {
    check_rules(config)?;
    let cx =
        hearth_analysis::Context::new(&loaded.snapshot, &loaded.prepared, window, loaded.space);
    let m = &loaded.snapshot.messages;
    let rules = crate::memo::rules_key(config)?;
    let stored = crate::measures::measured(loaded);
    let key = crate::memo::Key::of(loaded, cx.as_of(), rules ^ u64::from(stored));
    let since = window.since.unwrap_or(i64::MIN);
    let kept = routed_memo(loaded, cx.as_of()).get(&key);
    if let Some(kept) = &kept
        && kept.0 <= since
    {
        return Ok(RoutedItems::of(kept.clone(), &m.time, window));
    }
    // The items before the kept ones (all of them when none are kept).
    let from = kept.as_ref().map_or(i64::MAX, |k| k.0);
    let items: Vec<u32> = route::candidates(&cx)
        .into_iter()
        .filter(|&i| m.time[i as usize] < from)
        .collect();
    let index = index_for(loaded, &cx)?;
    finish(
        loaded,
        &cx,
        config,
        stored,
        &index,
        &items,
        (key, since, kept),
    )
}

/// A routing index that covers `cx`: the kept one of its whole space, or (an end after the
/// data's) one of its own.
fn index_for(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> Result<std::sync::Arc<route::Index>> {
    let index_key = crate::memo::Key::of(loaded, 0, 0);
    let index = match INDEXES.get(&index_key) {
        Some(index) => index,
        None if crate::memo::bypassed() => std::sync::Arc::new(index_of(loaded, cx)?),
        None => {
            // The index of the whole space serves every window and end: built once, kept.
            let whole = crate::memo::whole_space(loaded);
            let index = std::sync::Arc::new(index_of(loaded, &whole)?);
            INDEXES.put(index_key, index.clone());
            index
        }
    };
    if index.covers(cx) {
        Ok(index)
    } else {
        Ok(std::sync::Arc::new(index_of(loaded, cx)?))
    }
}

/// Items of [`routed`]`(loaded, window, …)` as shown: each with the expert on its subject
/// (routing looks for one only when a rule asks).
pub fn shown<'r>(
    loaded: &Loaded,
    window: hearth_analysis::Window,
    items: impl IntoIterator<Item = &'r Routed>,
) -> Result<Vec<Routed>> {
    let mut items: Vec<Routed> = items.into_iter().cloned().collect();
    if items.iter().any(Routed::unsought) {
        let cx =
            hearth_analysis::Context::new(&loaded.snapshot, &loaded.prepared, window, loaded.space);
        route::seek_experts(&cx, &*index_for(loaded, &cx)?, &mut items);
    }
    Ok(items)
}

/// The routing index of the scope's space up to its as-of moment (subjects of its threads
/// read from the store, for the expert finder).
fn index_of(loaded: &Loaded, cx: &hearth_analysis::Context<'_>) -> Result<route::Index> {
    let m = &loaded.snapshot.messages;
    let mut roots: Vec<(i64, u32)> = route::subject_roots(cx)
        .into_iter()
        .map(|i| (m.id[i as usize], i))
        .collect();
    roots.sort_unstable();
    let root_ids: Vec<i64> = roots.iter().map(|x| x.0).collect();
    let root_index: HashMap<i64, u32> = roots.iter().copied().collect();
    let mut subjects = Texts::default();
    for (id, subject) in loaded.store.subjects(&root_ids)? {
        if let Some(&i) = root_index.get(&id) {
            subjects.subject.insert(i, subject);
        }
    }
    Ok(route::Index::new(cx, &subjects))
}

type Kept = (
    crate::memo::Key,
    i64,
    Option<std::sync::Arc<(i64, Vec<Routed>)>>,
);

/// The kept readings of the snapshot and rules, with `items` among them: those never read
/// are read now (their text from the store), under the readings' lock.
fn read_items(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    config: &Config,
    stored: bool,
    items: &[u32],
) -> Result<std::sync::Arc<std::sync::Mutex<Reads>>> {
    let m = &loaded.snapshot.messages;
    // What routing reads in a message does not depend on the scope's space: the readings
    // of one space (and those read ahead) serve every other.
    let key = crate::memo::Key::of_every_space(
        loaded,
        0,
        crate::memo::rules_key(config)? ^ u64::from(stored),
    );
    let kept = READS.get(&key).unwrap_or_else(|| {
        let made = std::sync::Arc::new(std::sync::Mutex::new(Reads::default()));
        READS.put(key, made.clone());
        made
    });
    let mut reads = crate::memo::lock(&kept);
    if reads.slot.len() < m.len() {
        reads.slot.resize(m.len(), UNREAD);
    }
    let unread: Vec<u32> = items
        .iter()
        .copied()
        .filter(|&i| reads.slot[i as usize] == UNREAD)
        .collect();
    if !unread.is_empty() {
        let mut by_id: Vec<(i64, u32)> = unread.iter().map(|&i| (m.id[i as usize], i)).collect();
        by_id.sort_unstable();
        let ids: Vec<i64> = by_id.iter().map(|x| x.0).collect();
        let at: HashMap<i64, u32> = by_id.iter().copied().collect();
        let mut texts = Texts::default();
        loaded.store.for_each_text(&ids, |id, subject, body| {
            if let Some(&i) = at.get(&id) {
                texts.body.insert(i, body.to_owned());
                if !subject.is_empty() {
                    texts.subject.insert(i, subject.to_owned());
                }
            }
        })?;
        for &i in &unread {
            reads.slot[i as usize] = NOT_INBOUND;
        }
        for mut r in read_halves(cx, config, &texts, stored, &unread) {
            r.share_terms(&mut reads.terms);
            reads.slot[r.message as usize] = reads.inbound.len() as u32;
            reads.inbound.push(std::sync::Arc::new(r));
        }
    }
    drop(reads);
    Ok(kept)
}

/// [`route::read`] of `items`: many (a batch of the read-ahead, a long window read before
/// it) on two threads, one half each (what is read in an item depends on its text only).
fn read_halves(
    cx: &hearth_analysis::Context<'_>,
    config: &Config,
    texts: &Texts,
    stored: bool,
    items: &[u32],
) -> Vec<route::Read> {
    const MANY: usize = 1_000;
    let (rules, brand) = (&config.route, &config.brand);
    if items.len() < MANY {
        return route::read(cx, rules, brand, texts, stored, items);
    }
    let (first, second) = items.split_at(items.len() / 2);
    std::thread::scope(|threads| {
        let later = threads.spawn(move || route::read(cx, rules, brand, texts, stored, second));
        let mut all = route::read(cx, rules, brand, texts, stored, first);
        all.extend(
            later
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        all
    })
}

/// Reads ahead what routing reads in every member's message of the store (the scope of
/// every space), a few thousand at a time, so that a window of any start or
/// end routes without reading text; then routes every inbound item at the data's end (kept
/// apart from the other ends' routing), so that a window without an end of its own, however
/// long, routes nothing. Stops when the data changes meanwhile. Returns how many messages
/// were read, and whether that was all of them.
pub fn read_ahead(data: &std::path::Path) -> Result<(usize, bool)> {
    const AT_ONCE: usize = 4_000;
    let loaded = crate::scope::load(data, &crate::scope::Scope::default())?;
    let config = loaded.config.clone();
    check_rules(&config)?;
    let generation = loaded.store.generation()?;
    let stored = crate::measures::measured(&loaded);
    let cx = loaded.context();
    let m = &loaded.snapshot.messages;
    let mut items = route::candidates(&cx);
    // In store order, latest stored first: each batch reads one stretch of the text table
    // (a batch in time order would walk most of it on a store read out of order).
    items.sort_unstable_by_key(|&i| std::cmp::Reverse(m.id[i as usize]));
    let mut read = 0;
    for chunk in items.chunks(AT_ONCE) {
        if loaded.store.generation()? != generation {
            return Ok((read, false));
        }
        let reads = read_items(&loaded, &cx, &config, stored, chunk)?;
        read += chunk.len();
        if read == items.len() {
            crate::memo::lock(&reads).in_time_order(&m.time);
        }
    }
    // Then every item routed at the data's end, the end of every window without one of its
    // own: such a window's routing is then a stretch of it.
    routed(&loaded, loaded.window, &config)?;
    Ok((read, true))
}

/// [`route::route_read`] of `these`, in their order: many (years of items at an end of their
/// own) on two threads, one half each (an item's routing depends on the index and its own
/// reading only).
/// `more` is room to leave for items the caller appends.
fn route_halves(
    cx: &hearth_analysis::Context<'_>,
    config: &Config,
    index: &route::Index,
    these: &[&std::sync::Arc<route::Read>],
    more: usize,
) -> Vec<Routed> {
    const MANY: usize = 20_000;
    let rules = &config.route;
    // Made once at its full size: the items routed here are written in place.
    let mut all = Vec::with_capacity(these.len() + more);
    if these.len() < MANY {
        route::route_read_into(cx, rules, index, these.iter().copied(), &mut all);
        return all;
    }
    let (first, second) = these.split_at(these.len() / 2);
    std::thread::scope(|threads| {
        let later =
            threads.spawn(move || route::route_read(cx, rules, index, second.iter().copied()));
        route::route_read_into(cx, rules, index, first.iter().copied(), &mut all);
        let later = later
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        all.extend(later.unwrap_or_default());
        all
    })
}

/// Reads the items never read, routes `items` with `index`, and keeps what it routed.
fn finish(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    config: &Config,
    stored: bool,
    index: &route::Index,
    items: &[u32],
    (key, since, kept): Kept,
) -> Result<RoutedItems> {
    let m = &loaded.snapshot.messages;
    let reads = read_items(loaded, cx, config, stored, items)?;
    let reads = crate::memo::lock(&reads);
    // In (time, index) order, read off the window's time order (items are the window's).
    let these: Vec<&std::sync::Arc<route::Read>> = cx
        .in_time_order(items)
        .into_iter()
        .filter_map(|(i, _)| reads.get(i))
        .collect();
    // An index covers the scope it was built for, and a kept one every scope of its space.
    let mut all = route_halves(
        cx,
        config,
        index,
        &these,
        kept.as_ref().map_or(0, |k| k.1.len()),
    );
    drop(reads);
    // Oldest first: the kept items are all later than the ones routed now.
    if let Some(kept) = &kept {
        all.extend(kept.1.iter().cloned());
    }
    let all = std::sync::Arc::new((since, all));
    routed_memo(loaded, cx.as_of()).put(key, all.clone());
    Ok(RoutedItems::of(all, &m.time, cx.window))
}

fn to_json(
    loaded: &Loaded,
    config: &Config,
    routed: &[Routed],
    args: &RouteQuery,
) -> Result<Value> {
    let cx = loaded.context();
    // Items sent to the same queues share one list: counted by list, then by queue.
    let mut by_list: Vec<(&std::sync::Arc<[route::Route]>, u64)> = Vec::new();
    for r in routed {
        match by_list
            .iter_mut()
            .find(|l| std::sync::Arc::ptr_eq(l.0, &r.routes))
        {
            Some(l) => l.1 += 1,
            None => by_list.push((&r.routes, 1)),
        }
    }
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for (routes, n) in by_list {
        for q in routes.iter() {
            *counts.entry(&q.queue).or_default() += n;
        }
        if routes.is_empty() {
            *counts.entry("unrouted").or_default() += n;
        }
    }
    let listed = routed
        .iter()
        .rev()
        .filter(|r| args.all || !r.routes.is_empty())
        .filter(|r| {
            args.queue
                .as_ref()
                .is_none_or(|q| r.routes.iter().any(|x| *x.queue == **q))
        })
        .take(args.limit.unwrap_or(50));
    let items: Vec<Value> = shown(loaded, loaded.window, listed)?
        .iter()
        .map(|r| item_json(loaded, r))
        .collect();
    Ok(json!({
        "as_of": hearth_report::iso(cx.as_of()),
        "since": loaded.window.since.map(hearth_report::iso),
        "inbound": routed.len(),
        "counts": counts,
        "rules": config.route.rules.iter().map(|r| json!({"name": r.name, "to": r.to})).collect::<Vec<_>>(),
        "brand_names": config.brand.names,
        "items": items,
    }))
}

pub fn item_json(loaded: &Loaded, r: &Routed) -> Value {
    item_json_with(
        loaded.message(r.message, true),
        expert_of(loaded, r),
        &reasons(loaded, r),
        r,
    )
}

/// Why the item went to each of its queues, in words (in the order of its routes).
pub fn reasons(loaded: &Loaded, r: &Routed) -> Vec<String> {
    r.routes
        .iter()
        .map(|q| r.reason(q, &loaded.config.route, &loaded.snapshot))
        .collect()
}

/// The person [`item_json`] names as the expert on the item's subject.
pub fn expert_of(loaded: &Loaded, r: &Routed) -> Option<Value> {
    r.expert().map(|(p, _, _)| loaded.person(*p))
}

/// [`item_json`] with its message, expert and [`reasons`] already made.
pub fn item_json_with(
    message: Value,
    expert: Option<Value>,
    reasons: &[String],
    r: &Routed,
) -> Value {
    let s = &r.signals();
    json!({
        "message": message,
        "queues": r.routes.iter().zip(reasons).map(|(q, reason)| json!({
            "queue": &*q.queue, "rule": &*q.rule, "reason": reason,
        })).collect::<Vec<_>>(),
        "signals": {
            "addressed": s.addressed,
            "mentions_brand": s.mentions_brand,
            "question": s.question,
            "problem": s.problem,
            "sentiment": s.sentiment,
            "praise": s.praise,
            "newcomer": s.newcomer,
            "influential": s.influential,
            "people_talked_with": s.people_talked_with,
            "intent": s.intent,
            "intent_rule": s.intent_rule,
            "unanswered": s.unanswered,
            "channel": s.channel,
            "crisis_words": s.crisis_words,
            "expert": s.expert.as_ref().map(|(_, n, w)| json!({
                "person": expert, "threads": n, "words": w,
            })),
        },
    })
}
