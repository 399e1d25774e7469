//! `hearth metrics`: every community metric over a window, in total or for one space, with
//! weekly or monthly series.

use crate::Result;
use crate::scope::Loaded;
use hearth_analysis::metrics::{
    absence, activity, first_response, interactions, newcomers, peer_share, resilience, series,
    structure, survival,
};
use hearth_analysis::text::sentiment;
use hearth_analysis::text::themes::{TermCounts, TermThemes, Themes, message_words};
use hearth_analysis::{Period, calendar};
use hearth_model::Role;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The metrics `hearth metrics NAME` computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    PeerShare,
    FirstResponse,
    Survival,
    BrandDependence,
    Resilience,
    Structure,
    Activity,
    Newcomers,
    Absence,
    Sentiment,
    Themes,
    Series,
}

impl Metric {
    /// About what the metric costs against the others (the server's drill-down pages over
    /// years on a million messages, in tens of milliseconds): how [`compute`] shares them
    /// between two threads.
    fn cost(self) -> u32 {
        match self {
            Metric::Resilience | Metric::Structure | Metric::Sentiment | Metric::Themes => 5,
            Metric::Series | Metric::FirstResponse | Metric::Activity | Metric::Survival => 3,
            Metric::BrandDependence => 1,
            Metric::PeerShare | Metric::Newcomers | Metric::Absence => 2,
        }
    }

    pub const ALL: &[Metric] = &[
        Metric::PeerShare,
        Metric::FirstResponse,
        Metric::Survival,
        Metric::BrandDependence,
        Metric::Resilience,
        Metric::Structure,
        Metric::Activity,
        Metric::Newcomers,
        Metric::Absence,
        Metric::Sentiment,
        Metric::Themes,
        Metric::Series,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Metric::PeerShare => "peer_share",
            Metric::FirstResponse => "first_response",
            Metric::Survival => "survival",
            Metric::BrandDependence => "brand_dependence",
            Metric::Resilience => "resilience",
            Metric::Structure => "structure",
            Metric::Activity => "activity",
            Metric::Newcomers => "newcomers",
            Metric::Absence => "absence",
            Metric::Sentiment => "sentiment",
            Metric::Themes => "themes",
            Metric::Series => "series",
        }
    }

    /// The metric called `key` (as `key()` names it).
    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.iter().copied().find(|m| m.key() == key)
    }
}

/// What `hearth metrics` and `GET /api/v1/metrics` take besides the scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(default)]
pub struct MetricsQuery {
    /// The metrics to compute, comma-separated keys (all when empty).
    pub name: Option<String>,
    /// Period of the series: `week` or `month` (the default).
    pub period: Option<String>,
}

impl MetricsQuery {
    /// The metrics named, or all.
    pub fn metrics(&self) -> Result<Vec<Metric>> {
        match self.name.as_deref().map(str::trim) {
            None | Some("") => Ok(Metric::ALL.to_vec()),
            Some(list) => list
                .split(',')
                .map(|k| {
                    Metric::from_key(k.trim()).ok_or_else(|| {
                        let known: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
                        crate::invalid!("no metric named {k:?}; known: {}", known.join(", "))
                    })
                })
                .collect(),
        }
    }

    pub fn period(&self) -> Result<Period> {
        match self.period.as_deref() {
            None | Some("month") => Ok(Period::Month),
            Some("week") => Ok(Period::Week),
            Some(other) => crate::bail!("period is week or month, not {other:?}"),
        }
    }
}

/// `hearth metrics`: the metrics asked for, as one JSON object.
pub fn metrics_json(loaded: &Loaded, q: &MetricsQuery) -> Result<Value> {
    let which = q.metrics()?;
    let period = q.period()?;
    let started = std::time::Instant::now();
    let out = compute(loaded, &which, period)?;
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "metrics computed"
    );
    Ok(out)
}

/// The metrics in `which`, as one JSON object (full precision; text output rounds).
pub fn compute(loaded: &Loaded, which: &[Metric], period: Period) -> Result<Value> {
    compute_in(loaded, &loaded.context(), which, period)
}

/// [`compute`] with the scope's context already made.
pub fn compute_in(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    which: &[Metric],
    period: Period,
) -> Result<Value> {
    let mut out = Map::new();
    out.insert(
        "window".into(),
        json!({
            "since": loaded.window.since.map(hearth_report::iso),
            "until": loaded.window.until.map(hearth_report::iso),
        }),
    );
    out.insert(
        "space".into(),
        loaded
            .space
            .map_or(Value::Null, |s| Value::String(loaded.space_name(s))),
    );
    // Two sides computed at once, each with a store connection of its own, when several
    // metrics are asked for: the costliest first, each to the lighter side; the two that
    // share the first responses on one side.
    let mut sides: [Vec<Metric>; 2] = [Vec::new(), Vec::new()];
    if which.len() > 1 {
        let mut by_cost: Vec<Metric> = which.to_vec();
        by_cost.sort_by_key(|m| std::cmp::Reverse(m.cost()));
        let mut load = [0u32; 2];
        for m in by_cost {
            let side = match m {
                Metric::BrandDependence if sides[0].contains(&Metric::FirstResponse) => 0,
                Metric::BrandDependence if sides[1].contains(&Metric::FirstResponse) => 1,
                Metric::FirstResponse if sides[0].contains(&Metric::BrandDependence) => 0,
                Metric::FirstResponse if sides[1].contains(&Metric::BrandDependence) => 1,
                _ => usize::from(load[1] < load[0]),
            };
            load[side] += m.cost();
            sides[side].push(m);
        }
    } else {
        sides[0] = which.to_vec();
    }
    let [here, there] = sides;
    let mut values: Vec<(Metric, Value)> = if there.is_empty() {
        metrics_of(loaded, cx, &here, period)?
    } else {
        let apart = loaded.again()?;
        std::thread::scope(|threads| -> Result<_> {
            let other = threads.spawn(move || metrics_of(&apart, cx, &there, period));
            let mut values = metrics_of(loaded, cx, &here, period)?;
            let other = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            values.extend(other?);
            Ok(values)
        })?
    };
    // In the order asked for.
    values.sort_by_key(|(m, _)| which.iter().position(|w| w == m));
    for (metric, v) in values {
        out.insert(metric.key().into(), v);
    }
    Ok(Value::Object(out))
}

/// The metrics of `which`, each with its value, in that order.
fn metrics_of(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    which: &[Metric],
    period: Period,
) -> Result<Vec<(Metric, Value)>> {
    // Asked for by two metrics: computed once.
    let mut first_responses: Option<first_response::FirstResponse> = None;
    let mut first = |cx: &hearth_analysis::Context<'_>| {
        first_responses
            .get_or_insert_with(|| first_response::first_response(cx))
            .clone()
    };
    let mut out = Vec::with_capacity(which.len());
    for &metric in which {
        let v = match metric {
            Metric::PeerShare => {
                let counts = interactions::interactions(cx);
                json!({
                "value": peer_share::peer_share(&counts),
                "member_to_member": counts.member_to_member,
                "between_people": counts.between_people(),
                "interactions": counts,
                })
            }
            Metric::FirstResponse => serde_json::to_value(first(cx))?,
            Metric::Survival => serde_json::to_value(survival::survival(cx))?,
            Metric::BrandDependence => {
                let fr = first(cx);
                json!({
                    "value": fr.brand_dependence,
                    "brand_only_threads": fr.brand_only_threads,
                    "answered_member_threads": fr.first_by_member + fr.first_by_brand,
                })
            }
            Metric::Resilience => serde_json::to_value(resilience::resilience(cx))?,
            Metric::Structure => serde_json::to_value(structure::structure(cx))?,
            Metric::Activity => serde_json::to_value(activity::activity(cx))?,
            Metric::Newcomers => {
                // The space's list, kept, cut at the window's end.
                let n = newcomers::newcomers_of(cx, &crate::memo::newcomer_list(loaded, cx));
                let mut v = serde_json::to_value(&n)?;
                v["waiting"] = n
                    .waiting
                    .iter()
                    .take(20)
                    .map(|w| loaded.message(w.message, false))
                    .collect();
                v["waiting_total"] = json!(n.waiting.len());
                v
            }
            Metric::Absence => {
                let ranked = absence::answer_counts(cx);
                let a = absence::absence_of(cx, &ranked);
                let mut v = serde_json::to_value(&a)?;
                v["top_answerers"] = ranked
                    .iter()
                    .take(10)
                    .map(|(p, n)| json!({"person": loaded.person(*p), "answers": n}))
                    .collect();
                v
            }
            Metric::Sentiment => sentiment_summary(loaded, cx, 0)?,
            Metric::Themes => themes(loaded, cx)?,
            Metric::Series => json!({
                "period": period,
                "rows": series::series(
                    &loaded.snapshot,
                    &loaded.prepared,
                    loaded.window,
                    loaded.space,
                    period,
                ),
            }),
        };
        out.push((metric, v));
    }
    Ok(out)
}

/// Reads the texts of `ids` (sorted store ids) and maps each with `map` on worker threads
/// (one a core), handing the results to `reduce` in id order: the text measures are CPU
/// work over a lot of text, so both cores take part while this thread reads the store.
fn map_texts<T: Send>(
    store: &hearth_store::Store,
    ids: &[i64],
    map: impl Fn(&str, &str) -> T + Sync,
    mut reduce: impl FnMut(i64, T),
) -> Result<()> {
    type Batch = Vec<(i64, String, String)>;
    const BATCH: usize = 2048;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    std::thread::scope(|scope| -> Result<()> {
        let (results_tx, results) = std::sync::mpsc::channel::<(usize, Vec<(i64, T)>)>();
        let mut senders = Vec::new();
        for _ in 0..workers {
            let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Batch)>(2);
            senders.push(tx);
            let results_tx = results_tx.clone();
            let map = &map;
            scope.spawn(move || {
                for (k, batch) in rx {
                    let out = batch
                        .into_iter()
                        .map(|(id, subject, body)| (id, map(&subject, &body)))
                        .collect();
                    if results_tx.send((k, out)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(results_tx);
        let mut pending: std::collections::BTreeMap<usize, Vec<(i64, T)>> = Default::default();
        let (mut next, mut sent) = (0usize, 0usize);
        let mut drain = |pending: &mut std::collections::BTreeMap<usize, Vec<(i64, T)>>,
                         next: &mut usize| {
            while let Some(batch) = pending.remove(next) {
                for (id, t) in batch {
                    reduce(id, t);
                }
                *next += 1;
            }
        };
        let mut batch: Batch = Vec::with_capacity(BATCH);
        let mut failed = false;
        store.for_each_text(ids, |id, subject, body| {
            if failed {
                return;
            }
            batch.push((id, subject.to_owned(), body.to_owned()));
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                failed = senders[sent % workers].send((sent, full)).is_err();
                sent += 1;
                while let Ok((k, out)) = results.try_recv() {
                    pending.insert(k, out);
                }
                drain(&mut pending, &mut next);
            }
        })?;
        if !batch.is_empty() && !failed {
            failed = senders[sent % workers].send((sent, batch)).is_err();
            sent += 1;
        }
        drop(senders);
        for (k, out) in results {
            pending.insert(k, out);
            drain(&mut pending, &mut next);
        }
        if failed || next != sent {
            crate::bail!("a text worker stopped early");
        }
        Ok(())
    })
}

/// Member messages in scope, by store id ascending, with their snapshot index.
/// Each month's counts of the stored theme terms of the space's member messages (the whole
/// space), by month index: what a window's whole months are.
static MONTH_TERMS: crate::memo::Memo<BTreeMap<i64, TermCounts>> = crate::memo::Memo::new(2);

/// Counts and keeps the months' theme terms of the whole store (the server does after its
/// warm-up): then `/metrics/themes` of any window counts only the months it cuts.
pub fn warm_month_terms(data: &std::path::Path) -> Result<()> {
    let loaded = crate::scope::load(data, &crate::scope::Scope::default())?;
    if crate::measures::measured(&loaded) {
        month_terms(&loaded, true)?;
    }
    Ok(())
}

/// The kept [`MONTH_TERMS`] of the scope's space; made now when not kept and `make`.
fn month_terms(
    loaded: &Loaded,
    make: bool,
) -> Result<Option<std::sync::Arc<BTreeMap<i64, TermCounts>>>> {
    let key = crate::memo::Key::of(loaded, 0, 0);
    if let Some(kept) = MONTH_TERMS.get(&key) {
        return Ok(Some(kept));
    }
    if !make {
        return Ok(None);
    }
    let whole = crate::memo::whole_space(loaded);
    let made = std::sync::Arc::new(term_counts(loaded, &member_messages(&whole), |_| true)?);
    MONTH_TERMS.put(key, made.clone());
    Ok(Some(made))
}

/// The stored theme terms of the messages `ids` (sorted (store id, index)) that `wanted`
/// takes, counted by month.
fn term_counts(
    loaded: &Loaded,
    ids: &[(i64, u32)],
    wanted: impl Fn(u32) -> bool,
) -> Result<BTreeMap<i64, TermCounts>> {
    let time = &loaded.snapshot.messages.time;
    let ids: Vec<(i64, u32)> = ids.iter().copied().filter(|&(_, i)| wanted(i)).collect();
    let only: Vec<i64> = ids.iter().map(|x| x.0).collect();
    let mut months: BTreeMap<i64, TermCounts> = BTreeMap::new();
    let mut k = 0;
    loaded.store.for_each_terms(&only, |id, terms| {
        while k < ids.len() && ids[k].0 < id {
            k += 1;
        }
        let Some(&(_, i)) = ids.get(k) else { return };
        months
            .entry(calendar::month(time[i as usize]))
            .or_default()
            .add(terms);
    })?;
    Ok(months)
}

fn member_messages(cx: &hearth_analysis::Context<'_>) -> Vec<(i64, u32)> {
    let m = &cx.snapshot.messages;
    let mut ids: Vec<(i64, u32)> = cx
        .in_window()
        .filter(|&i| cx.role(m.author[i]) == Role::Member)
        .map(|i| (m.id[i], i as u32))
        .collect();
    ids.sort_unstable();
    ids
}

/// Sentiment of member messages: counts by label, mean compound, negative share by month,
/// and the `examples` most negative and most positive messages with their words.
pub fn sentiment_summary(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    examples: usize,
) -> Result<Value> {
    let ids = member_messages(cx);
    let only: Vec<i64> = ids.iter().map(|x| x.0).collect();
    let (mut pos, mut neg, mut neu, mut sum) = (0u64, 0u64, 0u64, 0.0);
    let mut by_month: std::collections::BTreeMap<i64, (u64, u64)> = Default::default();
    let mut scored: Vec<(f64, i64, sentiment::Scored)> = Vec::new();
    let mut k = 0;
    if crate::measures::measured(loaded) {
        // Stored at ingest: only the shown examples' words are read from their text.
        let m = &cx.snapshot.messages;
        let mut picked: Vec<(f64, i64)> = Vec::new();
        for &(id, i) in &ids {
            let Some((compound, label)) = m.sentiment_at(i as usize) else {
                continue;
            };
            sum += compound;
            let month = calendar::month(m.time[i as usize]);
            let e = by_month.entry(month).or_default();
            e.0 += 1;
            match label {
                1 => pos += 1,
                -1 => {
                    neg += 1;
                    e.1 += 1;
                }
                _ => neu += 1,
            }
            if examples > 0 && label != 0 {
                picked.push((compound, id));
            }
        }
        picked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut shown: Vec<i64> = picked
            .iter()
            .take(examples)
            .chain(picked.iter().rev().take(examples))
            .map(|x| x.1)
            .collect();
        shown.sort_unstable();
        shown.dedup();
        loaded.store.for_each_text(&shown, |id, _, body| {
            let s = sentiment::score(body);
            scored.push((s.compound, id, s));
        })?;
    } else {
        map_texts(
            &loaded.store,
            &only,
            |_subject, body| sentiment::score(body),
            |id, s| {
                while k < ids.len() && ids[k].0 < id {
                    k += 1;
                }
                let Some(&(_, i)) = ids.get(k) else { return };
                sum += s.compound;
                let month = calendar::month(cx.snapshot.messages.time[i as usize]);
                let e = by_month.entry(month).or_default();
                e.0 += 1;
                match s.label {
                    "positive" => pos += 1,
                    "negative" => {
                        neg += 1;
                        e.1 += 1;
                    }
                    _ => neu += 1,
                }
                if examples > 0 && s.label != "neutral" {
                    scored.push((s.compound, id, s));
                }
            },
        )?;
    }
    let n = pos + neg + neu;
    let mut v = json!({
        "scored": n,
        "positive": pos,
        "negative": neg,
        "neutral": neu,
        "mean_compound": (n > 0).then(|| sum / n as f64),
        "negative_share": (n > 0).then(|| neg as f64 / n as f64),
        "negative_share_by_month": by_month.iter().map(|(mo, (all, neg))| json!({
            "month": Period::Month.label(*mo),
            "messages": all,
            "negative_share": *neg as f64 / *all as f64,
        })).collect::<Vec<_>>(),
    });
    if examples > 0 {
        scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let show = |list: &mut dyn Iterator<Item = &(f64, i64, sentiment::Scored)>| -> Vec<Value> {
            list.take(examples)
                .map(|(_, id, s)| {
                    let i = ids
                        .binary_search_by_key(id, |x| x.0)
                        .map(|k| ids[k].1)
                        .unwrap_or(0);
                    let mut m = loaded.message(i, true);
                    m["compound"] = json!(s.compound);
                    m["label"] = json!(s.label);
                    m["words"] = serde_json::to_value(&s.words).unwrap_or(Value::Null);
                    m
                })
                .collect()
        };
        v["most_negative"] = Value::Array(show(&mut scored.iter()));
        v["most_positive"] = Value::Array(show(&mut scored.iter().rev()));
    }
    Ok(v)
}

fn themes(loaded: &Loaded, cx: &hearth_analysis::Context<'_>) -> Result<Value> {
    let ids = member_messages(cx);
    let only: Vec<i64> = ids.iter().map(|x| x.0).collect();
    let month_of = |i: u32| calendar::month(cx.snapshot.messages.time[i as usize]);
    if crate::measures::measured(loaded) {
        // The stored theme terms: a few bytes a message instead of its text. A month the
        // window holds whole is the space's month, counted once and kept; only the months
        // the window cuts (at most its first and its last) are counted from their messages.
        let w = cx.window;
        let cut = |month: i64| {
            w.since.is_some_and(|s| s > Period::Month.start(month))
                || w.until.is_some_and(|u| u < Period::Month.start(month + 1))
        };
        // Kept once a window holding three quarters of the store asked (counting the whole
        // space then costs at most a third more), or the server's warm-up made them
        // ([`warm_month_terms`]); a smaller window counts its own.
        let kept = if crate::memo::bypassed() {
            None
        } else {
            month_terms(loaded, ids.len() * 4 >= cx.snapshot.messages.len() * 3)?
        };
        let counted = match &kept {
            Some(_) => term_counts(loaded, &ids, |i| cut(month_of(i)))?,
            None => term_counts(loaded, &ids, |_| true)?,
        };
        let mut months: Vec<(i64, &TermCounts)> = counted.iter().map(|(m, c)| (*m, c)).collect();
        if let Some(kept) = &kept {
            let first = w.since.map_or(i64::MIN, calendar::month);
            let last = w.until.map_or(i64::MAX, |u| calendar::month(u - 1));
            if first <= last {
                months.extend(
                    kept.range(first..=last)
                        .filter(|(m, _)| !cut(**m))
                        .map(|(m, c)| (*m, c)),
                );
            }
        }
        months.sort_by_key(|(m, _)| *m);
        let labels: Vec<String> = months
            .iter()
            .map(|(m, _)| Period::Month.label(*m))
            .collect();
        let periods: Vec<(&str, &TermCounts)> = labels
            .iter()
            .zip(&months)
            .map(|(l, (_, c))| (l.as_str(), *c))
            .collect();
        return Ok(serde_json::to_value(TermThemes::rank(
            &periods,
            &loaded.store.term_words()?,
        ))?);
    }
    let mut themes = Themes::default();
    let mut k = 0;
    map_texts(
        &loaded.store,
        &only,
        |subject, body| message_words(&format!("{subject}\n{body}")),
        |id, words| {
            while k < ids.len() && ids[k].0 < id {
                k += 1;
            }
            let Some(&(_, i)) = ids.get(k) else { return };
            let label = Period::Month.label(month_of(i));
            themes.add_words(&label, words);
        },
    )?;
    Ok(serde_json::to_value(themes.finish())?)
}
