//! `hearth explain METRIC`: the formula and parameters of a metric, its value over the
//! scope, and the messages behind the number.

use crate::Result;
use crate::metrics::{Metric, compute_in, sentiment_summary};
use crate::scope::Loaded;
use hearth_analysis::metrics::{absence, first_response, structure::of_edges};
use hearth_analysis::{Period, metrics};
use hearth_model::{InteractionClass, InteractionKind, Role};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What `hearth explain` and `GET /api/v1/explain/{metric}` take besides the scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(default)]
pub struct ExplainQuery {
    /// How many messages or people to show behind the number.
    pub limit: usize,
    /// With `sentiment`: score this message (its store id) and show every word that moved it.
    pub message: Option<i64>,
}

impl Default for ExplainQuery {
    fn default() -> Self {
        ExplainQuery {
            limit: 5,
            message: None,
        }
    }
}

/// The names `explain` knows.
pub fn names() -> Vec<&'static str> {
    metrics::names().collect()
}

/// A metric's definition (its file's header), its value over the scope, and the messages
/// or people behind it: `{metric, definition, value, behind}`.
pub fn explain_json(loaded: &Loaded, name: &str, q: &ExplainQuery) -> Result<Value> {
    let Some(definition) = metrics::definition(name) else {
        let known: Vec<&str> = metrics::names().collect();
        return Err(crate::AppError::NotFound(format!(
            "no metric named {name:?}; known: {}",
            known.join(", ")
        )));
    };
    let (value, behind) = match q.message {
        Some(id) if name == "sentiment" => {
            let text = loaded
                .store
                .message_text(hearth_model::MessageId(id))?
                .ok_or_else(|| {
                    crate::AppError::NotFound(format!("no message with id {id} in the store"))
                })?;
            let scored = hearth_analysis::text::sentiment::score(&text);
            let mut v = match loaded.snapshot.messages.id.binary_search(&id) {
                Ok(i) => loaded.message(i as u32, true),
                Err(_) => json!({ "message": id }),
            };
            v["score"] = json!(scored.score);
            v["compound"] = json!(scored.compound);
            v["label"] = json!(scored.label);
            v["words"] = json!(scored.words);
            (Value::Null, v)
        }
        Some(_) => crate::bail!("message goes with `explain sentiment`"),
        None => explain(loaded, name, q.limit)?,
    };
    Ok(json!({
        "metric": name,
        "definition": definition,
        "value": value,
        "behind": behind,
    }))
}

/// The command that computes a measure `hearth metrics` does not.
fn command_for(name: &str) -> Option<&'static str> {
    Some(match name {
        "role_audit" => "hearth audit roles",
        "routing" => "hearth route",
        "job_check" => "hearth check-job FILE (and hearth eval job-postings DIR)",
        "post_metrics" => "hearth social posts",
        "best_time" => "hearth social best-time",
        "responses" => "hearth social responses",
        "mentions" => "hearth social mentions",
        "alerts" => "hearth alerts (and hearth eval alerts)",
        "reply_inference" => "hearth eval reply-links DIR",
        _ => return None,
    })
}

fn metric_of(name: &str) -> Option<Metric> {
    Metric::ALL
        .iter()
        .copied()
        .find(|m| m.key() == name || (name == "retention" && *m == Metric::Activity))
}

/// The metric's value and the messages (or people) behind it.
///
/// One context for both (the window's interactions derived once, by whichever side asks
/// first); the value is computed on a thread of its own, with a store connection of its own,
/// while this one finds what is behind it, unless what is behind it is read off the value.
pub fn explain(loaded: &Loaded, name: &str, limit: usize) -> Result<(Value, Value)> {
    let cx = loaded.context();
    match name {
        // The examples are the summary's: one summary, split.
        "sentiment" => {
            let mut value = sentiment_summary(loaded, &cx, limit)?;
            let mut take = |key: &str| {
                value
                    .as_object_mut()
                    .and_then(|o| o.remove(key))
                    .unwrap_or(Value::Null)
            };
            let behind = json!({
                "most_negative": take("most_negative"),
                "most_positive": take("most_positive"),
            });
            Ok((value, behind))
        }
        "introductions" | "themes" => {
            let value = value_of(loaded, &cx, name, limit)?;
            let behind = behind_of(loaded, &cx, name, limit, &value)?;
            Ok((value, behind))
        }
        _ => {
            let apart = loaded.again()?;
            let cx = &cx;
            std::thread::scope(|threads| {
                let value = threads.spawn(move || value_of(&apart, cx, name, limit));
                let behind = behind_of(loaded, cx, name, limit, &Value::Null);
                let value = value
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                Ok((value?, behind?))
            })
        }
    }
}

/// The metric's value over `cx` (the loaded scope's context).
fn value_of(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    name: &str,
    limit: usize,
) -> Result<Value> {
    Ok(match metric_of(name) {
        Some(m) => compute_in(loaded, cx, &[m], Period::Month)?
            .get(m.key())
            .cloned()
            .unwrap_or(Value::Null),
        None => match name {
            "lapsed" | "helpers" | "introductions" => crate::members::list(loaded, name, limit),
            // Measures with a command of their own: where to get the value.
            other => match command_for(other) {
                Some(c) => json!({ "computed_by": c }),
                None => Value::Null,
            },
        },
    })
}

/// The messages or people behind the metric's value (`value`: read only by the metrics
/// whose examples are the value's own, `introductions` and `themes`).
fn behind_of(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    name: &str,
    limit: usize,
    value: &Value,
) -> Result<Value> {
    let m = &loaded.snapshot.messages;
    let behind = match name {
        "peer_share" | "interactions" => {
            let mut by: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
            for it in cx.interactions() {
                let class = match it.class {
                    InteractionClass::MemberToMember => "member_to_member",
                    InteractionClass::MemberToBrand => "member_to_brand",
                    InteractionClass::BrandToMember => "brand_to_member",
                    InteractionClass::BrandToBrand => "brand_to_brand",
                    _ => continue,
                };
                let list = by.entry(class).or_default();
                if list.len() < limit {
                    let mut v = loaded.message(it.message, true);
                    v["to"] = json!(loaded.person_name(it.to));
                    v["kind"] = json!(match it.kind {
                        InteractionKind::Reply => "reply",
                        InteractionKind::Mention => "mention",
                        InteractionKind::InferredReply => "inferred_reply",
                    });
                    list.push(v);
                }
            }
            json!(by)
        }
        "first_response" | "brand_dependence" | "survival" => {
            let threads = first_response::first_responses(cx);
            let show = |t: &first_response::ThreadFirst| {
                let mut v = loaded.message(t.root, true);
                v["first_response"] = t
                    .first_message
                    .map_or(Value::Null, |f| loaded.message(f, false));
                v["hours"] = t.first.map_or(Value::Null, |(time, _)| {
                    json!((time - t.start) as f64 / 3600.0)
                });
                v
            };
            json!({
                "unanswered_newest": threads.iter().rev().filter(|t| t.first.is_none())
                    .take(limit).map(show).collect::<Vec<_>>(),
                "answered_only_by_brand": threads.iter().rev()
                    .filter(|t| t.first.is_some() && t.any_brand && !t.any_member)
                    .take(limit).map(show).collect::<Vec<_>>(),
                "first_answered_by_member": threads.iter().rev()
                    .filter(|t| t.first.is_some_and(|(_, p)| cx.role(p) == Role::Member))
                    .take(limit).map(show).collect::<Vec<_>>(),
            })
        }
        "newcomers" => {
            let list = crate::memo::newcomer_list(loaded, cx);
            json!(
                list.iter()
                    .rev()
                    .take(limit)
                    .map(|n| {
                        let mut v = loaded.message(n.first_message, true);
                        v["answered_by"] =
                            n.answer.map_or(Value::Null, |(_, p, _)| loaded.person(p));
                        v["hours_to_answer"] = n
                            .answer
                            .map_or(Value::Null, |(t, _, _)| json!((t - n.time) as f64 / 3600.0));
                        v["came_back"] = json!(n.came_back);
                        if n.orphan_first && n.answer.is_none() {
                            v["answer_unknown"] = json!(true);
                        }
                        v
                    })
                    .collect::<Vec<_>>()
            )
        }
        "resilience" | "structure" => {
            let edges: Vec<(u32, u32)> = cx
                .interactions()
                .iter()
                .filter(|it| it.class.is_between_people())
                .map(|it| (it.from, it.to))
                .collect();
            // Each person's distinct neighbours, either way: the distinct unordered pairs,
            // counted at both ends (radix-sorted: millions of edges over years).
            let mut pairs: Vec<u64> = edges
                .iter()
                .filter(|(a, b)| a != b)
                .map(|&(a, b)| (u64::from(a.min(b)) << 32) | u64::from(a.max(b)))
                .collect();
            radsort::sort(&mut pairs);
            pairs.dedup();
            let mut degree = vec![0usize; loaded.snapshot.persons.len()];
            for pair in &pairs {
                for p in [pair >> 32, pair & 0xffff_ffff] {
                    if let Some(d) = degree.get_mut(p as usize) {
                        *d += 1;
                    }
                }
            }
            let mut hubs: Vec<(u32, usize)> = degree
                .iter()
                .enumerate()
                .filter(|&(_, &d)| d > 0)
                .map(|(p, &d)| (p as u32, d))
                .collect();
            hubs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let brand: Vec<bool> = (0..loaded.snapshot.persons.len() as u32)
                .map(|p| cx.role(p) == Role::Brand)
                .collect();
            let without: Vec<(u32, u32)> = edges
                .iter()
                .copied()
                .filter(|(a, b)| !brand[*a as usize] && !brand[*b as usize])
                .collect();
            json!({
                "hubs": hubs.iter().take(limit).map(|(p, d)| json!({
                    "person": loaded.person(*p), "people_talked_with": d,
                })).collect::<Vec<_>>(),
                "structure_without_brand": of_edges(&without, &brand),
            })
        }
        "activity" | "retention" | "series" | "counts" => {
            // The members behind the latest month's count.
            let latest = cx.in_window().map(|i| m.time[i]).max();
            let mut people: BTreeMap<u32, u64> = BTreeMap::new();
            if let Some(t) = latest {
                let month = hearth_analysis::calendar::month(t);
                for i in cx.in_window() {
                    let a = m.author[i];
                    if hearth_analysis::calendar::month(m.time[i]) == month
                        && cx.role(a) == Role::Member
                    {
                        *people.entry(a).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(u32, u64)> = people.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            json!({
                "latest_month_active_members": ranked.len(),
                "most_active_in_latest_month": ranked.iter().take(limit).map(|(p, n)| json!({
                    "person": loaded.person(*p), "messages": n,
                })).collect::<Vec<_>>(),
            })
        }
        "absence" | "helpers" => {
            let ranked = absence::answer_counts(cx);
            let mut examples: BTreeMap<u32, Vec<Value>> = BTreeMap::new();
            let top: Vec<u32> = ranked.iter().take(limit).map(|r| r.0).collect();
            for it in cx.interactions().iter().filter(|it| absence::is_answer(it)) {
                if top.contains(&it.from) {
                    let list = examples.entry(it.from).or_default();
                    if list.len() < 2 {
                        let mut v = loaded.message(it.message, true);
                        v["to"] = json!(loaded.person_name(it.to));
                        list.push(v);
                    }
                }
            }
            json!(
                ranked
                    .iter()
                    .take(limit)
                    .map(|(p, n)| json!({
                        "person": loaded.person(*p),
                        "answers": n,
                        "examples": examples.remove(p).unwrap_or_default(),
                    }))
                    .collect::<Vec<_>>()
            )
        }
        "lapsed" => json!(
            crate::memo::lapsed(loaded, cx, limit)
                .iter()
                .map(|l| { loaded.message(l.last_message, true) })
                .collect::<Vec<_>>()
        ),
        "introductions" => value.get("pairs").cloned().unwrap_or(Value::Null),
        "themes" => {
            let v = value.as_array().cloned().unwrap_or_default();
            json!(v.iter().rev().take(limit).cloned().collect::<Vec<_>>())
        }
        "reply_inference" => {
            let mut list = Vec::new();
            for i in cx.in_window() {
                if let Some(c) = m.inferred(i)
                    && list.len() < limit * 4
                {
                    let mut v = loaded.message(i as u32, true);
                    v["answers"] = loaded.message(m.parent[i], true);
                    v["confidence"] = json!(c);
                    list.push(v);
                }
            }
            json!({
                "inferred_in_scope": cx.in_window().filter(|&i| m.inferred(i).is_some()).count(),
                "examples": list.into_iter().rev().take(limit).collect::<Vec<_>>(),
            })
        }
        _ => Value::Null,
    };
    Ok(behind)
}
