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
    let candidates = route::candidates(&cx);
    let mut by_id: Vec<(i64, u32)> = candidates.iter().map(|&i| (m.id[i as usize], i)).collect();
    by_id.sort_unstable();
    let ids: Vec<i64> = by_id.iter().map(|x| x.0).collect();
    let index: HashMap<i64, u32> = by_id.iter().copied().collect();
    let mut texts = Texts::default();
    loaded.store.for_each_text(&ids, |id, subject, body| {
        if let Some(&i) = index.get(&id) {
            texts.body.insert(i, body.to_owned());
            if !subject.is_empty() {
                texts.subject.insert(i, subject.to_owned());
            }
        }
    })?;
    // Thread subjects for the expert finder.
    let mut roots: Vec<(i64, u32)> = route::subject_roots(&cx)
        .into_iter()
        .map(|i| (m.id[i as usize], i))
        .collect();
    roots.sort_unstable();
    let root_ids: Vec<i64> = roots.iter().map(|x| x.0).collect();
    let root_index: HashMap<i64, u32> = roots.iter().copied().collect();
    for (id, subject) in loaded.store.subjects(&root_ids)? {
        if let Some(&i) = root_index.get(&id) {
            texts.subject.insert(i, subject);
        }
    }
    Ok(route::route(&cx, &config.route, &config.brand, &texts))
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
