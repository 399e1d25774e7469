//! `hearth route`: every inbound item of the period, routed to the social, community,
//! support and crisis queues with the rule and signals behind each decision.

use super::scope::{Loaded, Scope, load};
use crate::config;
use hearth_analysis::route::{self, Routed, Texts};
use hearth_model::Config;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scope: Scope,
    /// Without --since: the items of this many days before the end (default: [queue]
    /// lookback_days, 30).
    #[arg(long)]
    days: Option<i64>,
    /// Only items routed to this queue (e.g. support, social:amplify).
    #[arg(long)]
    queue: Option<String>,
    /// Also list inbound items no rule took.
    #[arg(long)]
    all: bool,
    /// How many items to list.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    let config = config::load(data)?;
    let mut loaded = load(data, &args.scope)?;
    lookback(&mut loaded, args.days.unwrap_or(config.queue.lookback_days));
    let routed = routed(&loaded, loaded.window, &config)?;
    let out = to_json(&loaded, &config, &routed, &args);
    if args.json {
        super::print_json(&out);
    } else {
        print!("{}", render(&out));
    }
    Ok(())
}

/// Without a start, the window becomes the `days` before its end.
pub fn lookback(loaded: &mut Loaded, days: i64) {
    if loaded.window.since.is_none() {
        let end = loaded.context().as_of();
        loaded.window.since = Some(end - days * 86_400);
    }
}

/// Checks the routing rules name known queues.
pub fn check_rules(config: &Config) -> anyhow::Result<()> {
    for rule in &config.route.rules {
        for q in &rule.to {
            if !hearth_model::ROUTE_QUEUES.contains(&q.as_str()) {
                anyhow::bail!(
                    "hearth.toml: route rule {:?} sends to unknown queue {q:?}; queues: {}",
                    rule.name,
                    hearth_model::ROUTE_QUEUES.join(", ")
                );
            }
        }
        if let Some(s) = &rule.when.sentiment
            && !["positive", "negative", "neutral"].contains(&s.as_str())
        {
            anyhow::bail!(
                "hearth.toml: route rule {:?}: sentiment {s:?} is not positive, negative or neutral",
                rule.name
            );
        }
        if let Some(c) = &rule.when.channel
            && !["social", "community"].contains(&c.as_str())
        {
            anyhow::bail!(
                "hearth.toml: route rule {:?}: channel {c:?} is not social or community",
                rule.name
            );
        }
    }
    Ok(())
}

/// Routes the scope's inbound items (reads the text they need from the store).
pub fn routed(
    loaded: &Loaded,
    window: hearth_analysis::Window,
    config: &Config,
) -> anyhow::Result<Vec<Routed>> {
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

fn to_json(loaded: &Loaded, config: &Config, routed: &[Routed], args: &Args) -> Value {
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
        .take(args.limit)
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
            "unanswered": s.unanswered,
            "channel": s.channel,
            "crisis_words": s.crisis_words,
            "expert": s.expert.as_ref().map(|(p, n, w)| json!({
                "person": loaded.person(*p), "threads": n, "words": w,
            })),
        },
    })
}

fn render(out: &Value) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Inbound items {} → {}: {}\n",
        out["since"]
            .as_str()
            .unwrap_or("start")
            .get(..10)
            .unwrap_or(""),
        out["as_of"].as_str().unwrap_or("").get(..10).unwrap_or(""),
        out["inbound"]
    ));
    if let Some(counts) = out["counts"].as_object() {
        let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        s.push_str(&format!("  {}\n", parts.join(" · ")));
    }
    if out["brand_names"].as_array().is_some_and(Vec::is_empty) {
        s.push_str(
            "  (no [brand] names in hearth.toml: mentions of the brand are not looked for)\n",
        );
    }
    s.push('\n');
    for item in out["items"].as_array().into_iter().flatten() {
        let m = &item["message"];
        let queues: Vec<&str> = item["queues"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|q| q["queue"].as_str())
            .collect();
        s.push_str(&format!(
            "{}  {}  → {}\n  \"{}\"\n",
            m["time"].as_str().unwrap_or("").get(..16).unwrap_or(""),
            m["author"].as_str().unwrap_or(""),
            if queues.is_empty() {
                "(unrouted)".to_owned()
            } else {
                queues.join(", ")
            },
            m["excerpt"].as_str().unwrap_or("")
        ));
        for q in item["queues"].as_array().into_iter().flatten() {
            s.push_str(&format!(
                "    {:<18} rule {}: {}\n",
                q["queue"].as_str().unwrap_or(""),
                q["rule"].as_str().unwrap_or(""),
                q["reason"].as_str().unwrap_or("")
            ));
        }
    }
    s
}
