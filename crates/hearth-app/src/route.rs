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
    Ok(to_json(loaded, &config, &routed, q))
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

/// The routing index of a space and as-of moment, and the items routed with it so far: every
/// inbound item from a moment (the earliest window start asked for) to the as-of moment. They
/// serve every window of that space and end; a window reaching further back routes only the
/// items before the kept ones (see [`crate::memo`]).
static INDEXES: crate::memo::Memo<route::Index> = crate::memo::Memo::new(4);
static ROUTED: crate::memo::Memo<(i64, Vec<Routed>)> = crate::memo::Memo::new(4);

/// Routes the scope's inbound items (reads the text they need from the store).
pub fn routed(
    loaded: &Loaded,
    window: hearth_analysis::Window,
    config: &Config,
) -> Result<Vec<Routed>> {
    check_rules(config)?;
    let cx =
        hearth_analysis::Context::new(&loaded.snapshot, &loaded.prepared, window, loaded.space);
    let m = &loaded.snapshot.messages;
    let rules = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        serde_json::to_string(config)?.hash(&mut h);
        h.finish()
    };
    let stored = crate::measures::measured(loaded);
    let key = crate::memo::Key::of(loaded, cx.as_of(), rules ^ u64::from(stored));
    let since = window.since.unwrap_or(i64::MIN);
    let kept = ROUTED.get(&key);
    let inside = |r: &&Routed| window.contains(m.time[r.message as usize]);
    if let Some(kept) = &kept
        && kept.0 <= since
    {
        return Ok(kept.1.iter().filter(inside).cloned().collect());
    }
    // The items before the kept ones (all of them when none are kept).
    let from = kept.as_ref().map_or(i64::MAX, |k| k.0);
    let items: Vec<u32> = route::candidates(&cx)
        .into_iter()
        .filter(|&i| m.time[i as usize] < from)
        .collect();
    let index = match INDEXES.get(&key) {
        Some(hit) => hit,
        None => {
            // Thread subjects for the expert finder.
            let mut roots: Vec<(i64, u32)> = route::subject_roots(&cx)
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
            let made = std::sync::Arc::new(route::Index::new(&cx, &subjects));
            INDEXES.put(key.clone(), made.clone());
            made
        }
    };
    let mut by_id: Vec<(i64, u32)> = items.iter().map(|&i| (m.id[i as usize], i)).collect();
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
    let mut all = route::route_with(
        &cx,
        &config.route,
        &config.brand,
        &texts,
        &index,
        stored,
        &items,
    );
    // Oldest first: the kept items are all later than the ones routed now.
    if let Some(kept) = &kept {
        all.extend(kept.1.iter().cloned());
    }
    let out = all.iter().filter(inside).cloned().collect();
    ROUTED.put(key, std::sync::Arc::new((since, all)));
    Ok(out)
}

fn to_json(loaded: &Loaded, config: &Config, routed: &[Routed], args: &RouteQuery) -> Value {
    let cx = loaded.context();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for r in routed {
        for q in &r.routes {
            *counts.entry(q.queue.clone()).or_default() += 1;
        }
        if r.routes.is_empty() {
            *counts.entry("unrouted".into()).or_default() += 1;
        }
    }
    let items: Vec<Value> = routed
        .iter()
        .rev()
        .filter(|r| args.all || !r.routes.is_empty())
        .filter(|r| {
            args.queue
                .as_ref()
                .is_none_or(|q| r.routes.iter().any(|x| &x.queue == q))
        })
        .take(args.limit.unwrap_or(50))
        .map(|r| item_json(loaded, r))
        .collect();
    json!({
        "as_of": hearth_report::iso(cx.as_of()),
        "since": loaded.window.since.map(hearth_report::iso),
        "inbound": routed.len(),
        "counts": counts,
        "rules": config.route.rules.iter().map(|r| json!({"name": r.name, "to": r.to})).collect::<Vec<_>>(),
        "brand_names": config.brand.names,
        "items": items,
    })
}

pub fn item_json(loaded: &Loaded, r: &Routed) -> Value {
    let s = &r.signals;
    json!({
        "message": loaded.message(r.message, true),
        "queues": r.routes.iter().map(|q| json!({
            "queue": q.queue, "rule": q.rule, "reason": q.reason,
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
            "expert": s.expert.as_ref().map(|(p, n, w)| json!({
                "person": loaded.person(*p), "threads": n, "words": w,
            })),
        },
    })
}
