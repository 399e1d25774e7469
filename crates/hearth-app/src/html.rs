//! `hearth report --html FILE`: assembles the shareable report from the metrics and writes
//! it as one self-contained HTML file.

use crate::scope::Loaded;
use hearth_analysis::metrics;
use hearth_analysis::metrics::{
    first_response, interactions, newcomers, peer_share, resilience, survival,
};
use hearth_model::Role;
use hearth_report::html::{CohortRow, Graph, GraphNode, HtmlReport, SeriesPoint, SocialSection};
use serde_json::json;

/// At most this many people are drawn; the rest are summarised under the picture.
pub const MAX_NODES: usize = 150;

/// Where the picture's layout is kept: the data directory (beside the store).
fn graph_dir(loaded: &Loaded) -> Option<&std::path::Path> {
    loaded.store.path().parent()
}

fn date(t: i64) -> String {
    hearth_report::iso(t).chars().take(10).collect()
}

pub fn build(loaded: &Loaded, config: &hearth_model::Config) -> crate::Result<HtmlReport> {
    // The social side and the role audit are computed on a thread of their own, with a store
    // connection of their own, while this one computes the community's numbers; the two
    // lists of people go to whichever thread is done first (the audit is the slow side for
    // a command, the community's numbers for the server, which keeps the audit's classes).
    // One context (the window's messages and interactions) is read by both threads.
    let apart = loaded.again()?;
    let cx = loaded.context();
    let cx = &cx;
    let lists = Lists::default();
    let lists = &lists;
    std::thread::scope(|threads| {
        let other = threads.spawn(move || -> crate::Result<_> {
            let social = social(&apart, cx, config)?;
            // The role audit, for leadership: the 15 brand people with most messages (of those
            // with enough for a verdict) and the team's verdict.
            let audit = crate::audit::roles_page_in(
                &apart,
                cx,
                0,
                hearth_analysis::audit::MIN_MESSAGES,
                Some((0, 15)),
            )?;
            lists.work(&apart, cx);
            Ok((social, audit))
        });
        let report = community(loaded, cx);
        lists.work(loaded, cx);
        let apart = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (social, audit) = apart?;
        Ok(finish(report?, social, &audit, lists.rows()))
    })
}

/// Numbers shown side by side, community and social: (label, value, metric).
type SideRows = Vec<(&'static str, String, &'static str)>;

/// The report's lists of people as rows: lapsed members and helpers, each made by the
/// first thread to ask for work ([`Lists::work`]).
#[derive(Default)]
struct Lists {
    next: std::sync::atomic::AtomicUsize,
    rows: std::sync::Mutex<[Vec<Vec<String>>; 2]>,
}

impl Lists {
    /// Makes the lists no thread has taken yet.
    fn work(&self, loaded: &Loaded, cx: &hearth_analysis::Context<'_>) {
        use std::sync::atomic::Ordering;
        loop {
            let k = self.next.fetch_add(1, Ordering::SeqCst);
            let rows = match k {
                0 => lapsed_rows(loaded, cx),
                1 => helper_rows(loaded, cx),
                _ => return,
            };
            crate::memo::lock(&self.rows)[k] = rows;
        }
    }

    /// (lapsed, helpers).
    fn rows(&self) -> [Vec<Vec<String>>; 2] {
        std::mem::take(&mut *crate::memo::lock(&self.rows))
    }
}

fn lapsed_rows(loaded: &Loaded, cx: &hearth_analysis::Context<'_>) -> Vec<Vec<String>> {
    crate::memo::lapsed(loaded, cx, 10)
        .iter()
        .map(|l| {
            vec![
                loaded.person_name(l.person),
                l.messages.to_string(),
                format!("{:.0}", l.usual_gap_days),
                format!("{:.0}", l.silent_days),
                format!("{}: {}", date(l.last_time), excerpt(loaded, l.last_message)),
            ]
        })
        .collect()
}

fn helper_rows(loaded: &Loaded, cx: &hearth_analysis::Context<'_>) -> Vec<Vec<String>> {
    crate::memo::helpers(loaded, cx, 10)
        .iter()
        .map(|h| {
            vec![
                loaded.person_name(h.person),
                h.answers.to_string(),
                h.people_helped.to_string(),
                h.trend.to_owned(),
            ]
        })
        .collect()
}

/// The start of message `i`'s text (empty when it has none).
fn excerpt(loaded: &Loaded, i: u32) -> String {
    let m = &loaded.snapshot.messages;
    loaded
        .store
        .message_text(hearth_model::MessageId(m.id[i as usize]))
        .ok()
        .flatten()
        .map(|t| crate::scope::excerpt_of(&t))
        .unwrap_or_default()
}

/// The report's community part, with the numbers the social side is shown beside.
fn community(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> crate::Result<(HtmlReport, SideRows)> {
    let m = &loaded.snapshot.messages;
    let counts = hearth_analysis::metrics::counts::counts(cx);
    let inter = interactions::interactions(cx);
    // Each member thread's first responses, found once for two metrics.
    let threads = crate::memo::member_threads(loaded, cx);
    let fr = first_response::first_response_of(cx, &threads);
    let res = resilience::resilience(cx);
    let surv = survival::survival_of(cx, &threads);
    let act = crate::memo::activity(loaded, cx);
    // Newcomers and lapsed members depend on the space and the window's end: kept for the
    // windows that share them (see crate::memo).
    let newcomer_list = crate::memo::newcomer_list(loaded, cx);
    let newc = newcomers::newcomers_of(cx, &newcomer_list);
    let rows = crate::memo::monthly_series(loaded, cx, &threads);
    let peer = peer_share::peer_share(&inter);
    let answered = fr.first_by_member + fr.first_by_brand;

    // Trend: the peer share of the first and of the last third of the period, each pooled
    // over its interactions (single months of a quiet list are too noisy to compare).
    let trend = {
        let times: Vec<i64> = cx.in_window().map(|i| m.time[i]).collect();
        match (times.iter().min(), times.iter().max()) {
            (Some(&lo), Some(&hi)) if hi - lo >= 90 * 86_400 => {
                let third = (hi - lo) / 3;
                // A part's interactions are those of the window's messages in it (an
                // interaction belongs to its message's time): counted from the window's.
                let part = |since: i64, until: i64| {
                    let mut c = interactions::Interactions::default();
                    for it in cx.interactions() {
                        let t = m.time[it.message as usize];
                        if since <= t && t < until {
                            c.add(it);
                        }
                    }
                    peer_share::peer_share(&c)
                };
                match (part(lo, lo + third), part(hi + 1 - third, hi + 1)) {
                    (Some(a), Some(b)) => Some((
                        (format!("{} to {}", date(lo), date(lo + third)), a),
                        (format!("{} to {}", date(hi + 1 - third), date(hi)), b),
                    )),
                    _ => None,
                }
            }
            _ => None,
        }
    };

    // The picture: people with interactions, the most active first.
    let mut msgs_by = vec![0u64; loaded.snapshot.persons.len()];
    for i in cx.in_window() {
        if let Some(n) = msgs_by.get_mut(m.author[i] as usize) {
            *n += 1;
        }
    }
    let messages_of = |p: u32| msgs_by.get(p as usize).copied().unwrap_or(0);
    // Each pair of people (lower id first) with how often they interacted, in pair order.
    let mut between: Vec<(u32, u32)> = cx
        .interactions()
        .iter()
        .filter(|it| it.class.is_between_people())
        .map(|it| (it.from.min(it.to), it.from.max(it.to)))
        .collect();
    radsort::sort(&mut between);
    let mut sorted_pairs: Vec<((u32, u32), u64)> = Vec::new();
    for pair in between {
        match sorted_pairs.last_mut() {
            Some((last, n)) if *last == pair => *n += 1,
            _ => sorted_pairs.push((pair, 1)),
        }
    }
    // Everyone in a pair, once (in person order), then the most active first: only the
    // drawn ones need their order.
    let mut in_pair = vec![false; msgs_by.len()];
    for &((a, b), _) in &sorted_pairs {
        for p in [a, b] {
            if let Some(seen) = in_pair.get_mut(p as usize) {
                *seen = true;
            }
        }
    }
    let mut people: Vec<u32> = (0..in_pair.len() as u32)
        .filter(|&p| in_pair[p as usize])
        .collect();
    let most_first = |a: &u32, b: &u32| messages_of(*b).cmp(&messages_of(*a)).then(a.cmp(b));
    if people.len() > MAX_NODES {
        people.select_nth_unstable_by(MAX_NODES, most_first);
    }
    let mut shown: Vec<u32> = people.iter().copied().take(MAX_NODES).collect();
    shown.sort_by(most_first);
    // Person → their node, for the drawn.
    let mut node = vec![u32::MAX; in_pair.len()];
    for (k, &p) in shown.iter().enumerate() {
        node[p as usize] = k as u32;
    }
    let node_of = |p: u32| node.get(p as usize).copied().filter(|&k| k != u32::MAX);
    let mut edges = Vec::new();
    let mut hidden_interactions = 0;
    for ((a, b), n) in sorted_pairs {
        match (node_of(a), node_of(b)) {
            (Some(x), Some(y)) => edges.push((x as usize, y as usize, n)),
            _ => hidden_interactions += n,
        }
    }
    let graph = Graph {
        nodes: shown
            .iter()
            .map(|&p| GraphNode {
                name: loaded.person_name(p),
                brand: cx.role(p) == Role::Brand,
                messages: messages_of(p),
                person: loaded.snapshot.persons.get(p as usize).map(|x| x.id.0),
            })
            .collect(),
        edges,
        hidden_people: people.len().saturating_sub(MAX_NODES) as u64,
        hidden_interactions,
    };

    let excerpt = |i: u32| excerpt(loaded, i);
    let waiting_rows = newc
        .waiting
        .iter()
        .take(10)
        .map(|w| {
            vec![
                loaded.person_name(w.person),
                date(w.time),
                excerpt(w.message),
            ]
        })
        .collect();
    let cohorts = act
        .cohorts
        .iter()
        .rev()
        .take(12)
        .rev()
        .map(|c| CohortRow {
            label: c.month.clone(),
            size: c.size,
            retention: c.retention.clone(),
        })
        .collect();
    let title = loaded.space.map_or_else(
        || match loaded.snapshot.spaces.as_slice() {
            [only] => only.name.clone(),
            _ => "all spaces".to_owned(),
        },
        |s| loaded.space_name(s),
    );
    let window = match (loaded.window.since, loaded.window.until) {
        (None, None) => "all time".to_owned(),
        (s, u) => format!(
            "{} to {}",
            s.map_or_else(|| "the beginning".to_owned(), date),
            u.map_or_else(|| "now".to_owned(), date)
        ),
    };
    let unknown = hearth_analysis::unknown_because(&loaded.prepared);
    let verdict = match unknown {
        Some(_) => "unknown",
        None => hearth_analysis::verdict(peer),
    };
    // The overview's "what changed" compares this window's numbers: kept for it.
    crate::report::keep_numbers(
        cx,
        loaded,
        crate::report::change_numbers(&counts, &fr, &res, peer, verdict),
    );
    let report = HtmlReport {
        title,
        window,
        verdict: verdict.to_owned(),
        unknown_because: unknown.map(str::to_owned),
        peer_share: peer,
        first_by_member_share: (answered > 0).then(|| fr.first_by_member as f64 / answered as f64),
        connected_without_brand: res.members_in_largest_component_without_brand,
        trend,
        messages: counts.messages,
        people: counts.people,
        members: counts.members,
        brand: counts.brand,
        orphan_replies: counts.orphan_replies,
        series: rows
            .iter()
            .map(|r| SeriesPoint {
                label: r.period.clone(),
                peer_share: r.peer_share,
                active_members: r.active_members,
                messages: r.messages,
            })
            .collect(),
        survival: surv.curve.clone(),
        survival_median_hours: surv.median_hours,
        cohorts,
        funnel: vec![
            ("newcomers".to_owned(), newc.newcomers),
            ("answered".to_owned(), newc.answered),
            ("answered by a member".to_owned(), newc.answered_by_member),
            (
                "…and came back within 30 days".to_owned(),
                newcomer_list
                    .iter()
                    .filter(|n| {
                        n.came_back == Some(true)
                            && n.answer
                                .is_some_and(|(_, who, _)| cx.role(who) == Role::Member)
                    })
                    .count() as u64,
            ),
        ],
        layout: graph_dir(loaded).map(|dir| crate::layout_cache::positions(dir, &graph)),
        graph,
        // Laid in by `finish`: counted on the other thread.
        lapsed: Vec::new(),
        helpers: Vec::new(),
        waiting: waiting_rows,
        roles: Vec::new(),
        roles_team: String::new(),
        definitions: [
            "peer_share",
            "first_response",
            "resilience",
            "survival",
            "series",
            "activity",
            "newcomers",
            "lapsed",
            "helpers",
        ]
        .iter()
        .map(|n| ((*n).to_owned(), metrics::definition(n).unwrap_or_default()))
        .collect(),
        social: None,
    };
    let community = [
        ("peer share", pct_or_dash(report.peer_share), "peer_share"),
        (
            "first answers by members",
            pct_or_dash(report.first_by_member_share),
            "first_response",
        ),
        (
            "members connected without the brand",
            pct_or_dash(report.connected_without_brand),
            "resilience",
        ),
        ("active members", act.active_members.to_string(), "activity"),
        ("newcomers", newc.newcomers.to_string(), "newcomers"),
    ];
    Ok((report, community.to_vec()))
}

/// The report with its social side and role audit laid in.
fn finish(
    (mut report, community): (HtmlReport, SideRows),
    social: Option<(SocialSection, SideRows)>,
    audit: &serde_json::Value,
    [lapsed, helpers]: [Vec<Vec<String>>; 2],
) -> HtmlReport {
    report.lapsed = lapsed;
    report.helpers = helpers;
    report.social = social.map(|(mut x, social_rows)| {
        x.side_by_side = community
            .iter()
            .zip(social_rows.iter())
            .map(|((cl, cv, cm), (sl, sv, sm))| {
                (
                    ((*cl).to_owned(), cv.clone(), (*cm).to_owned()),
                    ((*sl).to_owned(), sv.clone(), (*sm).to_owned()),
                )
            })
            .collect();
        x
    });
    let share = |v: &serde_json::Value| format!("{:.0}%", v.as_f64().unwrap_or(0.0) * 100.0);
    if audit["team"]["people"].as_u64().unwrap_or(0) > 0 {
        let t = &audit["team"];
        report.roles_team = format!(
            "The team ({} people, {} messages): broadcasting {}, answering {}, facilitating {} — {}.",
            t["people"],
            t["messages"],
            share(&t["broadcasting"]),
            share(&t["answering"]),
            share(&t["facilitating"]),
            t["summary"].as_str().unwrap_or("")
        );
        report.roles = audit["people"]
            .as_array()
            .into_iter()
            .flatten()
            .take(15)
            .map(|p| {
                vec![
                    p["person"]["name"].as_str().unwrap_or("").to_owned(),
                    p["messages"].to_string(),
                    share(&p["broadcasting"]),
                    share(&p["answering"]),
                    share(&p["facilitating"]),
                    p["summary"].as_str().unwrap_or("").to_owned(),
                ]
            })
            .collect();
        report.definitions.push((
            "role_audit".to_owned(),
            metrics::definition("role_audit").unwrap_or_default(),
        ));
    }
    if report.social.is_some() {
        for n in [
            "post_metrics",
            "best_time",
            "responses",
            "mentions",
            "alerts",
        ] {
            report
                .definitions
                .push((n.to_owned(), metrics::definition(n).unwrap_or_default()));
        }
    }
    report
}

fn pct_or_dash(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

/// The social section: post totals with formulas, top posts, best time, mentions and share
/// of voice, the weekly mention timeline with alerts; with the numbers shown beside the
/// community's (both disciplines side by side).
fn social(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    config: &hearth_model::Config,
) -> crate::Result<Option<(SocialSection, SideRows)>> {
    use crate::social::{as_posts, excerpt, keys, offset, pct, post_rows};
    use hearth_analysis::social::{alerts, best_time, posts};
    let rows = post_rows(loaded)?;
    if rows.is_empty() && config.brand.names.is_empty() {
        return Ok(None);
    }
    let keys = keys(&rows);
    let list = as_posts(&rows, &keys);
    let rules = &config.social;
    let total = posts::pooled(&list, rules);
    let rate = |r: &posts::Rate| pct(&json!(r.value));
    let count = |v: Option<f64>| crate::social::num(&json!(v));
    let mut x = SocialSection::default();
    if !rows.is_empty() {
        x.totals = vec![
            (
                "posts".into(),
                rows.len().to_string(),
                String::new(),
                "post_metrics".into(),
            ),
            (
                "impressions".into(),
                count(total.impressions),
                "Σ over posts".into(),
                "post_metrics".into(),
            ),
            (
                "engagements".into(),
                count(total.engagements),
                posts::ENGAGEMENTS.into(),
                "post_metrics".into(),
            ),
            (
                "engagement rate".into(),
                rate(&total.engagement_rate_by_impressions),
                posts::BY_IMPRESSIONS.into(),
                "post_metrics".into(),
            ),
            (
                "engagement rate".into(),
                rate(&total.engagement_rate_by_reach),
                posts::BY_REACH.into(),
                "post_metrics".into(),
            ),
            (
                "engagement rate".into(),
                rate(&total.engagement_rate_by_followers),
                posts::BY_FOLLOWERS.into(),
                "post_metrics".into(),
            ),
            (
                "click-through rate".into(),
                rate(&total.ctr),
                posts::CTR.into(),
                "post_metrics".into(),
            ),
            (
                "conversion rate".into(),
                rate(&total.conversion_rate),
                posts::CONVERSION_RATE.into(),
                "post_metrics".into(),
            ),
            (
                "ROI".into(),
                total
                    .roi
                    .value
                    .map_or_else(|| "—".into(), |v| format!("{v:.2}")),
                posts::ROI.into(),
                "post_metrics".into(),
            ),
        ];
        let mut scored: Vec<(usize, Option<f64>)> = list
            .iter()
            .enumerate()
            .map(|(k, p)| (k, posts::rates(p, rules).engagement_rate.value))
            .collect();
        scored.sort_by(|a, b| {
            b.1.unwrap_or(-1.0)
                .total_cmp(&a.1.unwrap_or(-1.0))
                .then(a.0.cmp(&b.0))
        });
        x.top_posts = scored
            .iter()
            .take(5)
            .map(|(k, r)| {
                vec![
                    date(rows[*k].time),
                    keys[*k].clone(),
                    pct(&json!(r)),
                    excerpt(&rows[*k].text),
                ]
            })
            .collect();
        let b = best_time::best_time(&list, offset(config)?, rules.min_posts_per_slot);
        x.best_time = match (&b.best_slot, &b.best_weekday) {
            (Some(slot), Some(day)) => format!(
                "Best time to post: {} (median engagement rate {:.2}% over {} posts; all posts {:.2}%); best day {} ({} posts).",
                slot.label,
                slot.median_rate * 100.0,
                slot.posts,
                b.median_rate.unwrap_or(0.0) * 100.0,
                day.label,
                day.posts
            ),
            _ => b.note.clone().unwrap_or_else(|| {
                "Not enough posts in any weekday × hour slot to recommend a time.".into()
            }),
        };
    } else {
        x.best_time = "No post analytics in the store (hearth ingest twitter|linkedin|facebook|instagram|social-csv).".into();
    }
    let resp = crate::social::responses(loaded, cx, None)?;
    let mut mention_count = String::from("—");
    if !config.brand.names.is_empty() {
        // One read of the text serves the mentions and the alerts.
        let st = crate::social::stream_with(loaded, cx, config, Some("mentions"))?;
        let m = &st.mentions;
        mention_count = m.brand_mentions.len().to_string();
        x.voices = m
            .voices
            .iter()
            .map(|v| {
                vec![
                    v.name.clone(),
                    v.mentions.to_string(),
                    pct(&json!(v.share_of_voice)),
                    pct(&json!(v.negative_share)),
                ]
            })
            .collect();
        let weeks: Vec<i64> = m.by_week.iter().map(|w| w.0).collect();
        x.timeline = m
            .by_week
            .iter()
            .map(|(d, n, _)| (date(d * 86_400), *n))
            .collect();
        for a in alerts::detect(st.start, &st.days, st.watched, None) {
            let week_start = hearth_analysis::calendar::week(a.day * 86_400) * 7 - 3;
            if let Ok(k) = weeks.binary_search(&week_start) {
                let crisis = a.class == alerts::Class::Crisis;
                let what = match a.kind {
                    alerts::Kind::Volume => format!(
                        "volume notice: {} mentions against a usual {:.0}",
                        a.count, a.baseline
                    ),
                    alerts::Kind::NegativeShare => format!(
                        "{}: {} of {} mentions negative against a usual {:.0} %",
                        if crisis { "crisis" } else { "notice" },
                        a.negative,
                        a.count,
                        a.baseline * 100.0
                    ),
                };
                x.alerts
                    .push((k, crisis, format!("{}: {what}", date(a.day * 86_400))));
            }
        }
    }
    let social_rows = [
        ("posts", rows.len().to_string(), "post_metrics"),
        ("impressions", count(total.impressions), "post_metrics"),
        (
            "engagement rate (engagements ÷ impressions)",
            rate(&total.engagement_rate_by_impressions),
            "post_metrics",
        ),
        (
            "response rate to messages addressed to the brand",
            pct(&json!(resp.response_rate)),
            "responses",
        ),
        ("brand mentions", mention_count, "mentions"),
    ];
    Ok(Some((x, social_rows.to_vec())))
}
