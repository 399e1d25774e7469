//! `hearth social posts|best-time|responses|mentions` and `hearth alerts`: the social media
//! manager's numbers, each formula named.

use crate::Result;
use crate::scope::Loaded;
use hearth_analysis::social::alerts::{self, Day};
use hearth_analysis::social::best_time::{self, parse_offset};
use hearth_analysis::social::mentions::{self, Mentions};
use hearth_analysis::social::posts::{self, Post};
use hearth_analysis::social::response::{self, BusinessHours};
use hearth_model::Config;
use serde_json::{Value, json};
use std::collections::HashMap;

pub(crate) fn offset(config: &Config) -> Result<i64> {
    parse_offset(&config.brand.utc_offset).ok_or_else(|| {
        crate::invalid!(
            "hearth.toml: [brand] utc_offset {:?} is not an offset such as +10:00",
            config.brand.utc_offset
        )
    })
}

/// The posts in scope (window and space) with analytics, oldest first.
pub(crate) fn post_rows(loaded: &Loaded) -> Result<Vec<hearth_store::PostRow>> {
    let space = loaded.space.map(|s| loaded.space_name(s));
    Ok(loaded
        .store
        .posts()?
        .into_iter()
        .filter(|p| loaded.window.contains(p.time))
        .filter(|p| space.as_ref().is_none_or(|s| &p.space == s))
        .collect())
}

pub(crate) fn keys(rows: &[hearth_store::PostRow]) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{}:{}", r.source, r.account))
        .collect()
}

pub(crate) fn as_posts<'a>(rows: &'a [hearth_store::PostRow], keys: &'a [String]) -> Vec<Post<'a>> {
    rows.iter()
        .zip(keys)
        .map(|(r, k)| Post {
            time: r.time,
            account: k,
            text: &r.text,
            metrics: &r.metrics,
        })
        .collect()
}

fn rate_json(r: &posts::Rate) -> Value {
    json!({"value": r.value, "formula": r.formula})
}

fn rates_json(r: &posts::Rates) -> Value {
    json!({
        "impressions": r.impressions,
        "reach": r.reach,
        "engagements": r.engagements,
        "engagements_formula": posts::ENGAGEMENTS,
        "platform_engagements": r.platform_engagements,
        "clicks": r.clicks,
        "conversions": r.conversions,
        "cost": r.cost,
        "value": r.value,
        "followers": r.followers,
        "engagement_rate": rate_json(&r.engagement_rate),
        "engagement_rate_by_impressions": rate_json(&r.engagement_rate_by_impressions),
        "engagement_rate_by_reach": rate_json(&r.engagement_rate_by_reach),
        "engagement_rate_by_followers": rate_json(&r.engagement_rate_by_followers),
        "applause_rate": rate_json(&r.applause_rate),
        "amplification_rate": rate_json(&r.amplification_rate),
        "conversation_rate": rate_json(&r.conversation_rate),
        "ctr": rate_json(&r.ctr),
        "conversion_rate": rate_json(&r.conversion_rate),
        "roi": rate_json(&r.roi),
    })
}

pub(crate) fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s: String = flat.chars().take(80).collect();
    if flat.chars().count() > 80 {
        s.push('…');
    }
    s
}

pub fn posts_json(loaded: &Loaded, config: &Config, top: usize) -> Result<Value> {
    let rows = post_rows(loaded)?;
    let keys = keys(&rows);
    let list = as_posts(&rows, &keys);
    let rules = &config.social;
    let mut accounts: Vec<&String> = keys.iter().collect();
    accounts.sort();
    accounts.dedup();
    let per_account: Vec<Value> = accounts
        .iter()
        .map(|a| {
            let mine: Vec<Post<'_>> = list.iter().copied().filter(|p| p.account == *a).collect();
            json!({"account": a, "posts": mine.len(), "totals": rates_json(&posts::pooled(&mine, rules))})
        })
        .collect();
    let mut scored: Vec<(usize, posts::Rates)> = list
        .iter()
        .enumerate()
        .map(|(k, p)| (k, posts::rates(p, rules)))
        .collect();
    scored.sort_by(|a, b| {
        let v = |r: &posts::Rates| r.engagement_rate.value.unwrap_or(-1.0);
        v(&b.1).total_cmp(&v(&a.1)).then(a.0.cmp(&b.0))
    });
    let top_posts: Vec<Value> = scored
        .iter()
        .take(top)
        .map(|(k, r)| {
            let row = &rows[*k];
            json!({
                "ref": row.reference,
                "time": hearth_report::iso(row.time),
                "account": keys[*k],
                "format": row.metrics.format,
                "text": excerpt(&row.text),
                "rates": rates_json(r),
            })
        })
        .collect();
    Ok(json!({
        "posts": list.len(),
        "headline_rate": {"denominator": rules.engagement_rate, "formula": posts::pooled(&list, rules).engagement_rate.formula},
        "pooling": "each total rate is Σ numerator ÷ Σ denominator over the posts that state both",
        "totals": rates_json(&posts::pooled(&list, rules)),
        "accounts": per_account,
        "follower_growth": posts::growth(&list).iter().map(|g| json!({
            "account": g.account,
            "posts": g.posts,
            "first_followers": g.first,
            "last_followers": g.last,
            "follower_growth": g.follower_growth,
            "follower_growth_formula": "(last − first) ÷ first followers stated on posts",
            "new_follows": g.new_follows,
        })).collect::<Vec<_>>(),
        "top_posts": top_posts,
    }))
}

pub fn best_time_json(loaded: &Loaded, config: &Config) -> Result<Value> {
    let rows = post_rows(loaded)?;
    let keys = keys(&rows);
    let list = as_posts(&rows, &keys);
    let b = best_time::best_time(&list, offset(config)?, config.social.min_posts_per_slot);
    let group = |g: &best_time::Group| json!({"group": g.label, "posts": g.posts, "median_rate": g.median_rate, "comparable": g.comparable});
    let groups = |l: &[best_time::Group]| l.iter().map(group).collect::<Vec<_>>();
    Ok(json!({
        "rate": "median of engagements ÷ impressions per post",
        "utc_offset": config.brand.utc_offset,
        "min_posts_per_slot": config.social.min_posts_per_slot,
        "posts": b.posts,
        "median_rate": b.median_rate,
        "recommendation": {
            "slot": b.best_slot.as_ref().map(group),
            "weekday": b.best_weekday.as_ref().map(group),
            "hour": b.best_hour.as_ref().map(group),
            "format": b.best_format.as_ref().map(group),
            "length": b.best_length.as_ref().map(group),
            "note": b.note,
        },
        "weekdays": groups(&b.weekdays),
        "hours": groups(&b.hours),
        "formats": groups(&b.formats),
        "lengths": groups(&b.lengths),
        "slots": groups(&b.slots),
    }))
}

/// The intents of `messages` (snapshot indices): stored at ingest, or read from their text
/// (one pass over the store's text of just those messages) when the store's measures are
/// not complete.
pub fn intents(
    loaded: &Loaded,
    messages: &[u32],
) -> Result<HashMap<u32, hearth_analysis::text::intent::Intent>> {
    use hearth_analysis::text::{intent, sentiment};
    let m = &loaded.snapshot.messages;
    if crate::measures::measured(loaded) {
        return Ok(messages
            .iter()
            .filter_map(|&i| Some((i, stored_intent(m, i)?)))
            .collect());
    }
    let mut by_id: Vec<(i64, u32)> = messages.iter().map(|&i| (m.id[i as usize], i)).collect();
    by_id.sort_unstable();
    by_id.dedup();
    let ids: Vec<i64> = by_id.iter().map(|x| x.0).collect();
    let index: HashMap<i64, u32> = by_id.iter().copied().collect();
    let mut out = HashMap::with_capacity(ids.len());
    loaded.store.for_each_text(&ids, |id, _, body| {
        if let Some(&i) = index.get(&id) {
            let own = sentiment::own_words(body);
            out.insert(
                i,
                intent::classify(&own, m.starts_thread(i as usize)).intent,
            );
        }
    })?;
    Ok(out)
}

/// The response rate to the messages addressed to the brand that wait for an answer.
/// The intent stored at ingest for message `i`, as the thread start or the reply it is;
/// `None` when the snapshot carries no measures.
fn stored_intent(
    m: &hearth_model::MessageColumns,
    i: u32,
) -> Option<hearth_analysis::text::intent::Intent> {
    let x = m.measure_unnamed(i as usize)?;
    let code = if m.starts_thread(i as usize) {
        x.intent_root
    } else {
        x.intent_reply
    };
    Some(hearth_analysis::text::measures::intent_of(code))
}

pub fn responses(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    hours: Option<BusinessHours>,
) -> Result<response::Responses> {
    if crate::measures::measured(loaded) {
        // Each addressed message's stored intent, looked up as it is asked for.
        let m = &loaded.snapshot.messages;
        let waits = |i: u32| stored_intent(m, i).is_none_or(|c| c.waits());
        return Ok(match crate::memo::addressed(loaded, cx) {
            Some(whole) => response::responses_cut(cx, hours, Some(&waits), &whole),
            None => response::responses(cx, hours, Some(&waits)),
        });
    }
    let intents = intents(loaded, &response::addressed(cx))?;
    // A message without stored text keeps waiting: nothing says it does not.
    let waits = |i: u32| intents.get(&i).is_none_or(|c| c.waits());
    Ok(response::responses(cx, hours, Some(&waits)))
}

pub fn responses_json(loaded: &Loaded, config: &Config) -> Result<Value> {
    let hours = BusinessHours::parse(
        &config.social.business_hours,
        &config.social.business_days,
        offset(config)?,
    )
    .map_err(|e| crate::invalid!("hearth.toml: [social] {e}"))?;
    let cx = loaded.context();
    let r = responses(loaded, &cx, hours)?;
    Ok(json!({
        "as_of": hearth_report::iso(cx.as_of()),
        "items": r.items,
        "not_waiting": r.not_waiting,
        "answered": r.answered,
        "unanswered": r.unanswered,
        "response_rate": r.response_rate,
        "response_rate_formula": "answered ÷ messages addressed to the brand that wait for an answer (question, problem, request)",
        "median_hours": r.median_hours,
        "p90_hours": r.p90_hours,
        "km_median_hours": r.km_median_hours,
        "business_hours": r.business_hours,
        "waiting": r.waiting.iter().take(10).map(|(i, h)| {
            let mut v = loaded.message(*i, true);
            v["hours_waiting"] = json!(h);
            v
        }).collect::<Vec<_>>(),
    }))
}

/// (subject, body) of messages, by snapshot index.
pub(crate) type Texts = HashMap<u32, (String, String)>;

/// Mentions in scope, and the texts read for them (for alerts' explanations).
pub(crate) fn mentions_of(loaded: &Loaded, config: &Config) -> Result<(Mentions, Texts)> {
    mentions_in(loaded, loaded.window, config)
}

/// Mentions over another window than the scope's (the space stays the scope's).
pub(crate) fn mentions_in(
    loaded: &Loaded,
    window: hearth_analysis::Window,
    config: &Config,
) -> Result<(Mentions, Texts)> {
    let cx =
        hearth_analysis::Context::new(&loaded.snapshot, &loaded.prepared, window, loaded.space);
    mentions_with(loaded, &cx, config)
}

/// Mentions in the scope of `cx` (a window and the scope's space).
fn mentions_with(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    config: &Config,
) -> Result<(Mentions, Texts)> {
    if crate::measures::measured(loaded) && config.brand == loaded.config.brand {
        // Stored at ingest: no text to read (callers read the few texts they show).
        return Ok((
            crate::memo::mentions_stored(loaded, cx, &config.brand),
            Texts::new(),
        ));
    }
    let m = &loaded.snapshot.messages;
    let mut ids: Vec<(i64, u32)> = mentions::candidates(cx)
        .into_iter()
        .map(|i| (m.id[i as usize], i))
        .collect();
    ids.sort_unstable();
    let index: HashMap<i64, u32> = ids.iter().copied().collect();
    let store_ids: Vec<i64> = ids.iter().map(|x| x.0).collect();
    let mut texts: HashMap<u32, (String, String)> = HashMap::with_capacity(ids.len());
    loaded
        .store
        .for_each_text(&store_ids, |id, subject, body| {
            if let Some(&i) = index.get(&id) {
                texts.insert(i, (subject.to_owned(), body.to_owned()));
            }
        })?;
    Ok((mentions::mentions(cx, &config.brand, &texts), texts))
}

/// `hearth social mentions`: volume, sentiment and share of voice of the brand and its
/// competitors.
pub fn mentions_view(loaded: &Loaded, config: &Config) -> Result<Value> {
    let (m, _) = mentions_of(loaded, config)?;
    Ok(mentions_json(loaded, &m))
}

fn mentions_json(loaded: &Loaded, m: &Mentions) -> Value {
    json!({
        "share_of_voice_formula": "mentions of the name ÷ mentions of the brand and every competitor",
        "voices": m.voices,
        "brand_mentions": m.brand_mentions.len(),
        "by_week": m.by_week.iter().map(|(d, n, neg)| json!({
            "week": hearth_report::iso(d * 86_400).get(..10).unwrap_or("").to_owned(),
            "mentions": n,
            "negative": neg,
        })).collect::<Vec<_>>(),
        "examples": m.brand_mentions.iter().rev().take(5).map(|x| loaded.message(x.message, true)).collect::<Vec<_>>(),
    })
}

/// The daily stream alerts watch (its kind, first day, days), and the texts read.
pub struct Stream {
    pub kind: String,
    /// What the stream is, for telling notices from crises.
    pub watched: alerts::Watched,
    pub start: i64,
    pub days: Vec<Day>,
    pub texts: Texts,
    /// The mentions over the same window (read from the same texts).
    pub mentions: Mentions,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("kind", &self.kind)
            .field("start", &self.start)
            .field("days", &self.days.len())
            .finish_non_exhaustive()
    }
}

fn watched(kind: &str) -> alerts::Watched {
    if kind == "mentions" {
        alerts::Watched::Mentions
    } else {
        alerts::Watched::Messages
    }
}

/// The daily stream alerts watch: brand mentions, or members' messages.
pub fn stream(loaded: &Loaded, config: &Config, kind: Option<&str>) -> Result<Stream> {
    stream_with(loaded, &loaded.context(), config, kind)
}

/// The stream over another window than the scope's.
pub fn stream_in(
    loaded: &Loaded,
    window: hearth_analysis::Window,
    config: &Config,
    kind: Option<&str>,
) -> Result<Stream> {
    let cx =
        hearth_analysis::Context::new(&loaded.snapshot, &loaded.prepared, window, loaded.space);
    stream_with(loaded, &cx, config, kind)
}

/// The stream in the scope of `cx` (a window and the scope's space).
pub fn stream_with(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    config: &Config,
    kind: Option<&str>,
) -> Result<Stream> {
    let kind = kind.map(str::to_owned).unwrap_or_else(|| {
        if config.brand.names.is_empty() {
            "messages"
        } else {
            "mentions"
        }
        .to_owned()
    });
    if kind == "mentions" && config.brand.names.is_empty() {
        crate::bail!(
            "the mentions stream needs [brand] names in hearth.toml (or use --stream messages)"
        );
    }
    let (m, texts) = mentions_with(loaded, cx, config)?;
    let msgs = &loaded.snapshot.messages;
    let events: Vec<(i64, u32, bool, f64)> = if kind == "mentions" {
        m.brand_mentions
            .iter()
            .map(|x| (x.time, x.message, x.negative, x.compound))
            .collect()
    } else if crate::measures::measured(loaded) {
        let mut v: Vec<(i64, u32, bool, f64)> = mentions::candidates(cx)
            .into_iter()
            .filter(|&i| cx.role(msgs.author[i as usize]) == hearth_model::Role::Member)
            .filter_map(|i| {
                let x = msgs.measure_unnamed(i as usize)?;
                Some((msgs.time[i as usize], i, x.label == -1, x.compound))
            })
            .collect();
        v.sort_by_key(|a| (a.0, a.1));
        v
    } else {
        let mut v: Vec<(i64, u32, bool, f64)> = texts
            .iter()
            .filter(|(i, _)| cx.role(msgs.author[**i as usize]) == hearth_model::Role::Member)
            .map(|(i, (_, body))| {
                let s = hearth_analysis::text::sentiment::score(body);
                (
                    msgs.time[*i as usize],
                    *i,
                    s.label == "negative",
                    s.compound,
                )
            })
            .collect();
        v.sort_by_key(|a| (a.0, a.1));
        v
    };
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Ok(Stream {
            watched: watched(&kind),
            kind,
            start: 0,
            days: Vec::new(),
            texts,
            mentions: m,
        });
    };
    let start = first.0.div_euclid(86_400);
    let end = last.0.div_euclid(86_400);
    let mut days = vec![Day::default(); (end - start + 1) as usize];
    let mut negative_people: std::collections::HashSet<(i64, u32)> = Default::default();
    for (t, i, neg, c) in &events {
        let day = t.div_euclid(86_400);
        let d = &mut days[(day - start) as usize];
        d.count += 1;
        d.negative += u64::from(*neg);
        if *neg && negative_people.insert((day, msgs.author[*i as usize])) {
            d.negative_people += 1;
        }
        d.messages.push((*i, *c));
    }
    Ok(Stream {
        watched: watched(&kind),
        kind,
        start,
        days,
        texts,
        mentions: m,
    })
}

/// The messages of each alert's day and of its baseline days: (store id, snapshot index),
/// sorted by id.
fn alert_messages(
    loaded: &Loaded,
    start: i64,
    days: &[Day],
    found: &[alerts::Alert],
) -> Vec<(i64, u32)> {
    let m = &loaded.snapshot.messages;
    let mut wanted: Vec<(i64, u32)> = Vec::new();
    for a in found {
        let k = (a.day - start) as usize;
        let mut take = |j: usize| {
            if let Some(d) = days.get(j) {
                wanted.extend(d.messages.iter().map(|(i, _)| (m.id[*i as usize], *i)));
            }
        };
        take(k);
        for w in 1..=alerts::BASELINE_WEEKS {
            if let Some(j) = k.checked_sub(7 * w) {
                take(j);
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

/// The theme terms of the messages that explain the alerts: stored at ingest, or found in
/// `texts` (read for the stream) when the measures are not stored.
/// The theme terms stored for messages of one generation, as far as they were read: the
/// vocabulary and each message's term ids.
struct StoredTerms {
    words: Vec<String>,
    by_message: HashMap<u32, Vec<u32>>,
}

static STORED_TERMS: crate::memo::Memo<std::sync::Mutex<StoredTerms>> = crate::memo::Memo::new(2);

fn alert_terms(
    loaded: &Loaded,
    start: i64,
    days: &[Day],
    found: &[alerts::Alert],
    texts: &Texts,
) -> Result<alerts::MessageTerms> {
    let wanted = alert_messages(loaded, start, days, found);
    if texts.is_empty() {
        // The stored terms of a generation never change: those read for an earlier answer
        // (the default scope's, computed ahead) are kept, and only the others are read.
        let key = crate::memo::Key::of(loaded, 0, 0);
        let kept = match STORED_TERMS.get(&key) {
            Some(hit) => hit,
            None => {
                let made = std::sync::Arc::new(std::sync::Mutex::new(StoredTerms {
                    words: loaded.store.term_words()?,
                    by_message: HashMap::new(),
                }));
                STORED_TERMS.put(key, made.clone());
                made
            }
        };
        let mut kept = crate::memo::lock(&kept);
        let missing: Vec<(i64, u32)> = wanted
            .iter()
            .copied()
            .filter(|(_, i)| !kept.by_message.contains_key(i))
            .collect();
        let ids: Vec<i64> = missing.iter().map(|x| x.0).collect();
        let mut k = 0;
        loaded.store.for_each_terms(&ids, |id, t| {
            while k < missing.len() && missing[k].0 < id {
                k += 1;
            }
            if let Some(&(w, i)) = missing.get(k)
                && w == id
            {
                kept.by_message.insert(i, t.to_vec());
            }
        })?;
        let mut terms = alerts::MessageTerms::new(kept.words.clone());
        for (_, i) in &wanted {
            if let Some(t) = kept.by_message.get(i) {
                terms.insert(*i, t);
            }
        }
        return Ok(terms);
    }
    let mut terms = alerts::MessageTerms::default();
    for (_, i) in wanted {
        if let Some((subject, body)) = texts.get(&i) {
            terms.insert_words(
                i,
                hearth_analysis::text::themes::message_words(&format!("{subject}\n{body}")),
            );
        }
    }
    Ok(terms)
}

/// `hearth alerts`: the days when the stream (mentions, or members' messages) or its negative
/// share jumped, with the messages and words that explain each.
pub fn alerts_json(loaded: &Loaded, config: &Config, stream_kind: Option<&str>) -> Result<Value> {
    alerts_json_latest(loaded, config, stream_kind, None)
}

/// [`alerts_json`] listing only the `latest` alerts (all of them with `None`), with their
/// words and examples; `crises` and `notices` count every alert of the window. The words of
/// an alert read the terms of its day and its baseline days, so a page that shows the
/// latest twenty of nine years' alerts reads theirs alone.
pub fn alerts_json_latest(
    loaded: &Loaded,
    config: &Config,
    stream_kind: Option<&str>,
    latest: Option<usize>,
) -> Result<Value> {
    alerts_of(loaded, stream(loaded, config, stream_kind)?, latest)
}

/// [`mentions_view`] and [`alerts_json_latest`] of the default stream, from one reading of
/// the window's mentions (as the social page shows them).
pub fn mentions_and_alerts(
    loaded: &Loaded,
    config: &Config,
    latest: Option<usize>,
) -> Result<(Value, Value)> {
    let st = stream(loaded, config, None)?;
    let mentions = mentions_json(loaded, &st.mentions);
    Ok((mentions, alerts_of(loaded, st, latest)?))
}

fn alerts_of(loaded: &Loaded, st: Stream, latest: Option<usize>) -> Result<Value> {
    let Stream {
        kind,
        watched,
        start,
        days,
        texts,
        ..
    } = st;
    let mut found = alerts::detect(start, &days, watched, None);
    let crises = found
        .iter()
        .filter(|a| a.class == alerts::Class::Crisis)
        .count();
    let total = found.len();
    let found = &mut found[latest.map_or(0, |n| total.saturating_sub(n))..];
    let terms = alert_terms(loaded, start, &days, found, &texts)?;
    drop(texts);
    alerts::explain(start, &days, found, &terms);
    let out = json!({
        "stream": kind,
        "days": days.len(),
        "parameters": {
            "baseline_weeks": alerts::BASELINE_WEEKS,
            "z": alerts::Z,
            "min_count": alerts::MIN_COUNT,
            "min_negative": alerts::MIN_NEGATIVE,
            "min_crisis_people": alerts::MIN_CRISIS_PEOPLE,
            "cooldown_days": alerts::COOLDOWN_DAYS,
        },
        "crises": crises,
        "notices": total - crises,
        "alerts": found.iter().map(|a| json!({
            "day": hearth_report::iso(a.day * 86_400).get(..10).unwrap_or("").to_owned(),
            "class": a.class,
            "kind": a.kind,
            "count": a.count,
            "negative": a.negative,
            "baseline": a.baseline,
            "z": a.z,
            "words": a.words,
            "examples": a.examples.iter().map(|i| loaded.message(*i, true)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    Ok(out)
}

/// `hearth eval alerts`: the alerts on the real stream, and on it with spikes of known size.
pub fn eval_alerts_json(
    loaded: &Loaded,
    config: &Config,
    stream_kind: Option<&str>,
    per_size: usize,
    seed: u64,
) -> Result<Value> {
    let Stream {
        kind,
        watched,
        start,
        days,
        ..
    } = stream(loaded, config, stream_kind)?;
    let e = alerts::evaluate(&days, watched, per_size, seed);
    let real = alerts::detect(start, &days, watched, None);
    let out = json!({
        "stream": kind,
        "days": e.days,
        "alerts_real": e.alerts_real,
        "alerts_per_month_real": e.alerts_per_month_real,
        "crises_real": e.crises_real,
        "crises_per_month_real": e.crises_per_month_real,
        "real_alert_days": real.iter().map(|a| json!({
            "day": hearth_report::iso(a.day * 86_400).get(..10).unwrap_or("").to_owned(),
            "class": a.class, "kind": a.kind, "count": a.count, "baseline": a.baseline,
        })).collect::<Vec<_>>(),
        "injected": e.by_size,
        "false_alerts_per_month": e.false_alerts_per_month,
        "false_crises_per_month": e.false_crises_per_month,
        "seed": seed,
    });
    Ok(out)
}

pub fn pct(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "—".to_owned(), |x| format!("{:.2}%", x * 100.0))
}

pub fn num(v: &Value) -> String {
    v.as_f64().map_or_else(
        || "—".to_owned(),
        |x| {
            let n = x.round() as i64;
            let s = n.abs().to_string();
            let mut out = String::new();
            for (k, ch) in s.chars().enumerate() {
                if k > 0 && (s.len() - k).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(ch);
            }
            if n < 0 { format!("-{out}") } else { out }
        },
    )
}
