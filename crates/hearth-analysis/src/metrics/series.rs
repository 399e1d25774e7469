//! **Series**: the headline measures per calendar week or month, for charts and trends.
//!
//! Each row is the scope restricted to one period (UTC, weeks start on Monday) and computed
//! with the same definitions as the totals: `messages`, `active_members`, `new_members` (whose
//! first message in the space is in the period), `peer_share`, `member_threads`,
//! `answered_share` (member threads answered by the period's end ÷ member threads),
//! `median_hours_first_response` (over answered threads) and `brand_dependence`. Periods run
//! from the first to the last message of the window, quiet periods included (zeros).

//!
//! Cost: one pass over the scope's messages and one over the space's for all periods
//! together (each member thread's earliest responses are found once; a period's "answered by
//! its end" compares them with the period's end), so a weekly series over decades costs
//! about what the monthly one does.

use super::first_response::{ThreadFirst, first_responses, median};
use super::interactions::Interactions;
use super::peer_share::peer_share;
use crate::calendar::Period;
use crate::{Context, Prepared, Window};
use hearth_model::{Role, Snapshot};
use serde::Serialize;

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
    series_in(&Context::new(snapshot, prepared, window, space), period)
}

/// [`series`] of a context already made for the window and space.
pub fn series_in(whole: &Context<'_>, period: Period) -> Vec<SeriesRow> {
    series_of(whole, period, &first_responses(whole))
}

/// [`series_in`] with the window's member threads and their earliest responses over the
/// whole window ([`first_responses`]), found once for several metrics.
pub fn series_of(whole: &Context<'_>, period: Period, threads: &[ThreadFirst]) -> Vec<SeriesRow> {
    let (m, window) = (&whole.snapshot.messages, whole.window);
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for i in whole.in_window() {
        lo = lo.min(m.time[i]);
        hi = hi.max(m.time[i]);
    }
    let first: Vec<i64> = whole.member_firsts().map(|(_, i)| m.time[i]).collect();
    if lo > hi {
        return Vec::new();
    }
    let (k0, k1) = (period.index(lo), period.index(hi));
    let n = (k1 - k0 + 1) as usize;
    let mut slots = Slots::new(period, k0);
    let mut new_members = vec![0u64; n];
    for t in &first {
        let k = period.index(*t);
        if (k0..=k1).contains(&k) {
            new_members[(k - k0) as usize] += 1;
        }
    }
    // Messages, active members and interactions, by the period of the message. A member's
    // message in the period of their previous one adds no pair (most, in store order).
    let mut messages = vec![0u64; n];
    let mut active: Vec<(u32, u32)> = Vec::new();
    let mut last_slot = vec![u32::MAX; whole.snapshot.persons.len()];
    for i in whole.in_window() {
        let k = slots.of(m.time[i]);
        messages[k as usize] += 1;
        let a = m.author[i];
        if whole.role(a) == Role::Member
            && let Some(last) = last_slot.get_mut(a as usize)
            && *last != k
        {
            *last = k;
            active.push((k, a));
        }
    }
    radsort::sort(&mut active);
    active.dedup();
    let mut active_members = vec![0u64; n];
    for (k, _) in &active {
        active_members[*k as usize] += 1;
    }
    let mut interactions = vec![Interactions::default(); n];
    for it in whole.interactions() {
        interactions[slots.of(m.time[it.message as usize]) as usize].add(it);
    }
    let mut by_period: Vec<Vec<&ThreadFirst>> = (0..n).map(|_| Vec::new()).collect();
    for t in threads {
        by_period[slots.of(t.start) as usize].push(t);
    }
    (k0..=k1)
        .map(|k| {
            let s = (k - k0) as usize;
            let end = period.start(k + 1).min(window.until.unwrap_or(i64::MAX));
            let (mut answered, mut brand_only) = (0u64, 0u64);
            let mut hours = Vec::new();
            for t in &by_period[s] {
                let Some((time, _)) = t.first.filter(|f| f.0 < end) else {
                    continue;
                };
                answered += 1;
                hours.push((time - t.start).max(0) as f64 / 3600.0);
                if t.member_at.is_none_or(|a| a >= end) {
                    brand_only += 1;
                }
            }
            let member_threads = by_period[s].len() as u64;
            SeriesRow {
                period: period.label(k),
                since: period.start(k),
                messages: messages[s],
                active_members: active_members[s],
                new_members: new_members[s],
                peer_share: peer_share(&interactions[s]),
                member_threads,
                answered_share: (member_threads > 0)
                    .then(|| answered as f64 / member_threads as f64),
                median_hours_first_response: median(&mut hours),
                brand_dependence: (answered > 0).then(|| brand_only as f64 / answered as f64),
            }
        })
        .collect()
}

/// [`series_of`] with the rows of the periods wholly inside the window taken from `whole`,
/// the series of the whole space (no start, no end) by the same period; only the one or two
/// periods the window cuts are computed, each over its part of the window.
///
/// A period wholly inside the window has the same messages, members, interactions and
/// member threads in both, and "answered by the period's end" looks no further than its end,
/// which is not after the window's: the same row.
pub fn series_cut(
    cx: &Context<'_>,
    period: Period,
    threads: &[ThreadFirst],
    whole: &[SeriesRow],
) -> Vec<SeriesRow> {
    let (m, window) = (&cx.snapshot.messages, cx.window);
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for i in cx.in_window() {
        lo = lo.min(m.time[i]);
        hi = hi.max(m.time[i]);
    }
    if lo > hi {
        return Vec::new();
    }
    let whole_k0 = whole.first().map(|r| period.index(r.since));
    (period.index(lo)..=period.index(hi))
        .map(|k| {
            let (start, end) = (period.start(k), period.start(k + 1));
            let inside =
                window.since.is_none_or(|s| s <= start) && window.until.is_none_or(|u| end <= u);
            let kept = whole_k0
                .filter(|_| inside)
                .and_then(|k0| whole.get(usize::try_from(k - k0).ok()?))
                .filter(|r| r.since == start);
            if let Some(row) = kept {
                return row.clone();
            }
            // The window's part of the period: its threads (seen from the window's end,
            // which is not before the part's) and its messages.
            let part = Window {
                since: Some(window.since.map_or(start, |s| s.max(start))),
                until: Some(window.until.map_or(end, |u| u.min(end))),
            };
            let part_cx = cx.narrowed(part);
            let part_threads: Vec<ThreadFirst> = threads
                .iter()
                .filter(|t| part.contains(t.start))
                .copied()
                .collect();
            let mut rows = series_of(&part_cx, period, &part_threads);
            let row = rows.pop().filter(|r| r.since == start && rows.is_empty());
            row.unwrap_or_else(|| SeriesRow {
                period: period.label(k),
                since: start,
                messages: 0,
                active_members: 0,
                new_members: 0,
                peer_share: None,
                member_threads: 0,
                answered_share: None,
                median_hours_first_response: None,
                brand_dependence: None,
            })
        })
        .collect()
}

/// The slot (period index − `k0`) of a time, remembering the last period's bounds: times in
/// store order mostly fall in the period of the one before, and cost two comparisons.
struct Slots {
    period: Period,
    k0: i64,
    /// The last period: its start, its end (exclusive), its slot.
    last: (i64, i64, u32),
}

impl Slots {
    fn new(period: Period, k0: i64) -> Slots {
        Slots {
            period,
            k0,
            last: (i64::MAX, i64::MIN, 0),
        }
    }

    fn of(&mut self, t: i64) -> u32 {
        let (lo, hi, k) = self.last;
        if lo <= t && t < hi {
            return k;
        }
        let index = self.period.index(t);
        let k = (index - self.k0) as u32;
        self.last = (self.period.start(index), self.period.start(index + 1), k);
        k
    }
}
