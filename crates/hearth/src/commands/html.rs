//! `hearth report --html FILE`: assembles the shareable report from the metrics and writes
//! it as one self-contained HTML file.

use super::scope::Loaded;
use hearth_analysis::metrics::{
    activity, first_response, helpers, interactions, lapsed, newcomers, peer_share, resilience,
    series, survival,
};
use hearth_analysis::{Period, metrics};
use hearth_model::Role;
use hearth_report::html::{CohortRow, Graph, GraphNode, HtmlReport, SeriesPoint};
use std::collections::HashMap;

/// At most this many people are drawn; the rest are summarised under the picture.
pub const MAX_NODES: usize = 150;

fn date(t: i64) -> String {
    hearth_report::iso(t).chars().take(10).collect()
}

pub fn build(loaded: &Loaded) -> HtmlReport {
    let cx = loaded.context();
    let m = &loaded.snapshot.messages;
    let counts = hearth_analysis::metrics::counts::counts(&cx);
    let inter = interactions::interactions(&cx);
    let fr = first_response::first_response(&cx);
    let res = resilience::resilience(&cx);
    let surv = survival::survival(&cx);
    let act = activity::activity(&cx);
    let newc = newcomers::newcomers(&cx);
    let rows = series::series(
        &loaded.snapshot,
        &loaded.prepared,
        loaded.window,
        loaded.space,
        Period::Month,
    );
    let peer = peer_share::peer_share(&inter);
    let answered = fr.first_by_member + fr.first_by_brand;

    // Trend: the peer share of the first and of the last third of the period, each pooled
    // over its interactions (single months of a quiet list are too noisy to compare).
    let trend = {
        let times: Vec<i64> = cx.in_window().map(|i| m.time[i]).collect();
        match (times.iter().min(), times.iter().max()) {
            (Some(&lo), Some(&hi)) if hi - lo >= 90 * 86_400 => {
                let third = (hi - lo) / 3;
                let part = |since: i64, until: i64| {
                    let w = hearth_analysis::Window {
                        since: Some(since),
                        until: Some(until),
                    };
                    let c = hearth_analysis::Context::new(
                        &loaded.snapshot,
                        &loaded.prepared,
                        w,
                        loaded.space,
                    );
                    peer_share::peer_share(&interactions::interactions(&c))
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
    let mut msgs_by: HashMap<u32, u64> = HashMap::new();
    for i in cx.in_window() {
        *msgs_by.entry(m.author[i]).or_default() += 1;
    }
    let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
    for it in cx
        .interactions()
        .iter()
        .filter(|it| it.class.is_between_people())
    {
        *pairs
            .entry((it.from.min(it.to), it.from.max(it.to)))
            .or_default() += 1;
    }
    let mut people: Vec<u32> = pairs.keys().flat_map(|&(a, b)| [a, b]).collect();
    people.sort_unstable();
    people.dedup();
    people.sort_by(|a, b| msgs_by.get(b).cmp(&msgs_by.get(a)).then(a.cmp(b)));
    let shown: Vec<u32> = people.iter().copied().take(MAX_NODES).collect();
    let index: HashMap<u32, usize> = shown.iter().enumerate().map(|(k, p)| (*p, k)).collect();
    let mut edges = Vec::new();
    let mut hidden_interactions = 0;
    let mut sorted_pairs: Vec<((u32, u32), u64)> = pairs.into_iter().collect();
    sorted_pairs.sort_unstable();
    for ((a, b), n) in sorted_pairs {
        match (index.get(&a), index.get(&b)) {
            (Some(&x), Some(&y)) => edges.push((x, y, n)),
            _ => hidden_interactions += n,
        }
    }
    let graph = Graph {
        nodes: shown
            .iter()
            .map(|&p| GraphNode {
                name: loaded.person_name(p),
                brand: cx.role(p) == Role::Brand,
                messages: msgs_by.get(&p).copied().unwrap_or(0),
            })
            .collect(),
        edges,
        hidden_people: people.len().saturating_sub(MAX_NODES) as u64,
        hidden_interactions,
    };

    let excerpt = |i: u32| {
        loaded
            .store
            .message_text(hearth_model::MessageId(m.id[i as usize]))
            .ok()
            .flatten()
            .map(|t| super::scope::excerpt_of(&t))
            .unwrap_or_default()
    };
    let lapsed_rows = lapsed::lapsed(&cx, 10)
        .iter()
        .map(|l| {
            vec![
                loaded.person_name(l.person),
                l.messages.to_string(),
                format!("{:.0}", l.usual_gap_days),
                format!("{:.0}", l.silent_days),
                format!("{}: {}", date(l.last_time), excerpt(l.last_message)),
            ]
        })
        .collect();
    let helper_rows = helpers::helpers(&cx, 10)
        .iter()
        .map(|h| {
            vec![
                loaded.person_name(h.person),
                h.answers.to_string(),
                h.people_helped.to_string(),
                h.trend.to_owned(),
            ]
        })
        .collect();
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
    HtmlReport {
        title,
        window,
        verdict: hearth_analysis::verdict(peer).to_owned(),
        peer_share: peer,
        first_by_member_share: (answered > 0).then(|| fr.first_by_member as f64 / answered as f64),
        connected_without_brand: res.members_in_largest_component_without_brand,
        trend,
        messages: counts.messages,
        people: counts.people,
        members: counts.members,
        brand: counts.brand,
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
                newcomers::newcomer_list(&cx)
                    .iter()
                    .filter(|n| {
                        n.came_back == Some(true)
                            && n.answer
                                .is_some_and(|(_, who, _)| cx.role(who) == Role::Member)
                    })
                    .count() as u64,
            ),
        ],
        graph,
        lapsed: lapsed_rows,
        helpers: helper_rows,
        waiting: waiting_rows,
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
    }
}
