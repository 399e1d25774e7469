//! **Series**: the headline measures per calendar week or month, for charts and trends.
//!
//! Each row is the scope restricted to one period (UTC, weeks start on Monday) and computed
//! with the same definitions as the totals: `messages`, `active_members`, `new_members` (whose
//! first message in the space is in the period), `peer_share`, `member_threads`,
//! `answered_share` (member threads answered by the period's end ÷ member threads),
//! `median_hours_first_response` (over answered threads) and `brand_dependence`. Periods run
//! from the first to the last message of the window, quiet periods included (zeros).

use super::first_response::first_response;
use super::interactions::interactions;
use super::peer_share::peer_share;
use crate::calendar::Period;
use crate::{Context, Prepared, Window};
use hearth_model::{Role, Snapshot};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesRow {
    pub period: String,
    pub since: i64,
    pub messages: u64,
    pub active_members: u64,
    pub new_members: u64,
    pub peer_share: Option<f64>,
    pub member_threads: u64,
    pub answered_share: Option<f64>,
    pub median_hours_first_response: Option<f64>,
    pub brand_dependence: Option<f64>,
}

pub fn series(
    snapshot: &Snapshot,
    prepared: &Prepared,
    window: Window,
    space: Option<u32>,
    period: Period,
) -> Vec<SeriesRow> {
    let whole = Context::new(snapshot, prepared, window, space);
    let m = &snapshot.messages;
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    let mut first: HashMap<u32, i64> = HashMap::new();
    for i in whole.in_window() {
        lo = lo.min(m.time[i]);
        hi = hi.max(m.time[i]);
    }
    for i in whole.in_space() {
        let a = m.author[i];
        if whole.role(a) == Role::Member {
            let t = m.time[i];
            first.entry(a).and_modify(|f| *f = (*f).min(t)).or_insert(t);
        }
    }
    if lo > hi {
        return Vec::new();
    }
    let mut new_by_period: HashMap<i64, u64> = HashMap::new();
    for t in first.values() {
        *new_by_period.entry(period.index(*t)).or_default() += 1;
    }
    (period.index(lo)..=period.index(hi))
        .map(|k| {
            let w = Window {
                since: Some(period.start(k).max(window.since.unwrap_or(i64::MIN))),
                until: Some(period.start(k + 1).min(window.until.unwrap_or(i64::MAX))),
            };
            let cx = Context::new(snapshot, prepared, w, space);
            let mut active = std::collections::HashSet::new();
            let mut messages = 0;
            for i in cx.in_window() {
                messages += 1;
                if cx.role(m.author[i]) == Role::Member {
                    active.insert(m.author[i]);
                }
            }
            let fr = first_response(&cx);
            let answered = fr.first_by_member + fr.first_by_brand;
            SeriesRow {
                period: period.label(k),
                since: period.start(k),
                messages,
                active_members: active.len() as u64,
                new_members: new_by_period.get(&k).copied().unwrap_or(0),
                peer_share: peer_share(&interactions(&cx)),
                member_threads: fr.member_threads,
                answered_share: (fr.member_threads > 0)
                    .then(|| answered as f64 / fr.member_threads as f64),
                median_hours_first_response: fr.median_hours_any,
                brand_dependence: fr.brand_dependence,
            }
        })
        .collect()
}
