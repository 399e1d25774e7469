//! **Activity and retention**: active members per day, week and month, stickiness, new and
//! returning members, monthly cohort retention and churn.
//!
//! An *active member* of a period is a member (not brand, not bot) with at least one message
//! in it, in the scope's space. A member's *first month* is the month of their first message
//! in the space at any time (so a member active in the window who wrote before it is
//! returning, not new). Periods are UTC calendar days, ISO weeks (Monday first) and months.
//! The span is the window when it is bounded, else the first to the last message in scope;
//! means are over every day, week or month of the span, quiet ones (0) included.
//!
//! - `mean_daily_active`, `mean_weekly_active`, `mean_monthly_active`: DAU, WAU and MAU.
//! - `stickiness`: DAU ÷ MAU (mean daily actives over mean monthly actives).
//! - `months[]`: per month, `active`, `new` (first month is this one), `returning`
//!   (active − new), `churned` (active last month, not this month) and `churn_rate`
//!   (churned ÷ last month's active).
//! - `cohorts[]`: members by first month inside the span; `retention[k]` = share of the
//!   cohort active in month `first + k`, for `k` = 0…12 up to the span's end (`k = 0` is 1).
//!
//! Example: a member who writes in January and March counts as new in January, churned in
//! February, returning in March, and in the January cohort's retention at k = 0 and k = 2.

use crate::Context;
use crate::calendar::{Period, day, month, week};
use hearth_model::Role;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Activity {
    pub active_members: u64,
    pub mean_daily_active: Option<f64>,
    pub mean_weekly_active: Option<f64>,
    pub mean_monthly_active: Option<f64>,
    pub stickiness: Option<f64>,
    pub new_members: u64,
    pub returning_members: u64,
    pub months: Vec<MonthRow>,
    pub cohorts: Vec<Cohort>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MonthRow {
    pub month: String,
    pub active: u64,
    pub new: u64,
    pub returning: u64,
    pub churned: u64,
    pub churn_rate: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cohort {
    pub month: String,
    pub size: u64,
    pub retention: Vec<f64>,
}

/// Cohort retention is followed for this many months after the first.
pub const COHORT_MONTHS: i64 = 12;

/// No first month (not a member of the space in scope).
const NONE: i64 = i64::MIN;

pub fn activity(cx: &Context<'_>) -> Activity {
    let (pairs, span) = day_pairs(cx);
    match span {
        Some(span) => activity_of(cx, &pairs, span),
        None => Activity::default(),
    }
}

/// (day, member): a member active on a day (days since 1970-01-01, UTC).
pub type DayPair = (i64, u32);

/// The (day, member) pairs of the window's member messages, sorted and distinct, and the
/// time of the window's first and last message (`None`: no message).
pub fn day_pairs(cx: &Context<'_>) -> (Vec<DayPair>, Option<(i64, i64)>) {
    let m = &cx.snapshot.messages;
    let people = cx.snapshot.persons.len();
    // Walked in day order, a member's distinct weeks and months are the ones that differ
    // from their last. A message on the day of its author's previous one adds no pair
    // (most, in store order).
    let mut day_pairs = Vec::new();
    let mut last_day = vec![NONE; people];
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for i in cx.in_window() {
        let t = m.time[i];
        lo = lo.min(t);
        hi = hi.max(t);
        let a = m.author[i];
        if cx.role(a) != Role::Member {
            continue;
        }
        let d = day(t);
        if let Some(last) = last_day.get_mut(a as usize)
            && *last != d
        {
            *last = d;
            day_pairs.push((d, a));
        }
    }
    // A radix sort: the (day, member) pairs of years of a large community number millions.
    radsort::sort(&mut day_pairs);
    day_pairs.dedup();
    (day_pairs, (lo <= hi).then_some((lo, hi)))
}

/// [`activity`] of the window of `cx` from `whole`, the [`day_pairs`] of its space at any
/// time: a window of whole days (UTC) has the stretch of them inside it. `None` for a window
/// that starts or ends inside a day.
pub fn activity_cut(cx: &Context<'_>, whole: &[DayPair]) -> Option<Activity> {
    let w = cx.window;
    let whole_days = |t: Option<i64>| t.is_none_or(|t| t.rem_euclid(86_400) == 0);
    if !(whole_days(w.since) && whole_days(w.until)) {
        return None;
    }
    let m = &cx.snapshot.messages;
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for i in cx.in_window() {
        lo = lo.min(m.time[i]);
        hi = hi.max(m.time[i]);
    }
    if lo > hi {
        return Some(Activity::default());
    }
    let from = w
        .since
        .map_or(0, |s| whole.partition_point(|p| p.0 < day(s)));
    let to = w
        .until
        .map_or(whole.len(), |u| whole.partition_point(|p| p.0 < day(u)));
    Some(activity_of(cx, &whole[from..to.max(from)], (lo, hi)))
}

/// [`activity`] from the window's [`day_pairs`] and the time of its first and last message.
fn activity_of(cx: &Context<'_>, day_pairs: &[DayPair], (lo, hi): (i64, i64)) -> Activity {
    let m = &cx.snapshot.messages;
    let people = cx.snapshot.persons.len();
    // First month of every member in the space (any time), by person.
    let mut first_month = vec![NONE; people];
    for (a, i) in cx.member_firsts() {
        if let Some(f) = first_month.get_mut(a as usize) {
            *f = month(m.time[i]);
        }
    }
    let (mut last_week, mut last_month) = (vec![NONE; people], vec![NONE; people]);
    let mut week_total = 0usize;
    // Each month's distinct members, months in order.
    let mut month_pairs: Vec<(i64, u32)> = Vec::new();
    let mut this_day = (NONE, NONE, NONE);
    for &(d, a) in day_pairs {
        if this_day.0 != d {
            let t = d * 86_400;
            this_day = (d, week(t), month(t));
        }
        let (_, w, mo) = this_day;
        let at = a as usize;
        if last_week[at] != w {
            last_week[at] = w;
            week_total += 1;
        }
        if last_month[at] != mo {
            last_month[at] = mo;
            month_pairs.push((mo, a));
        }
    }
    let lo = cx.window.since.unwrap_or(lo);
    let hi = cx.window.until.map_or(hi, |u| u - 1).max(lo);
    let mean = |total: usize, from: i64, to: i64| {
        let n = (to - from + 1).max(1) as f64;
        Some(total as f64 / n)
    };
    let dau = mean(day_pairs.len(), day(lo), day(hi));
    let wau = mean(week_total, week(lo), week(hi));
    let mau = mean(month_pairs.len(), month(lo), month(hi));
    let (first, last) = (month(lo), month(hi));

    // Month by month: who is active, new, churned (active the month before, not this one),
    // and the cohorts' hits (a member active k months after their first).
    let span = usize::try_from(last - first + 1).unwrap_or(0);
    let mut cohort_hits = vec![[0u64; COHORT_MONTHS as usize + 1]; span];
    let mut cohort_size = vec![0u64; span];
    let mut active_at = vec![NONE; people];
    let mut rows = Vec::with_capacity(span);
    let (mut active, mut new_members) = (0u64, 0u64);
    let mut prev: &[(i64, u32)] = &[];
    let mut rest = month_pairs.as_slice();
    for mo in first..=last {
        let n = rest.partition_point(|p| p.0 <= mo);
        let (set, tail) = rest.split_at(n);
        rest = tail;
        // Months before the span (none: pairs come from the window) are skipped.
        let set: &[(i64, u32)] = &set[set.partition_point(|p| p.0 < mo)..];
        let mut new = 0u64;
        for &(_, a) in set {
            let at = a as usize;
            let f = first_month[at];
            new += u64::from(f == mo);
            if active_at[at] == NONE {
                active += 1;
                if f != NONE && f >= first {
                    new_members += 1;
                }
                if (first..=last).contains(&f) {
                    cohort_size[(f - first) as usize] += 1;
                }
            }
            active_at[at] = mo;
            if (first..=last).contains(&f) && (0..=COHORT_MONTHS).contains(&(mo - f)) {
                cohort_hits[(f - first) as usize][(mo - f) as usize] += 1;
            }
        }
        let churned = prev
            .iter()
            .filter(|p| active_at[p.1 as usize] != mo)
            .count() as u64;
        rows.push(MonthRow {
            month: Period::Month.label(mo),
            active: set.len() as u64,
            new,
            returning: set.len() as u64 - new,
            churned,
            churn_rate: (!prev.is_empty()).then(|| churned as f64 / prev.len() as f64),
        });
        prev = set;
    }
    let cohorts = (first..=last)
        .zip(cohort_size.iter().zip(&cohort_hits))
        .filter(|(_, (size, _))| **size > 0)
        .map(|(mo, (&size, hits))| Cohort {
            month: Period::Month.label(mo),
            size,
            retention: (0..=(last - mo).min(COHORT_MONTHS))
                .map(|k| hits[k as usize] as f64 / size as f64)
                .collect(),
        })
        .collect();
    Activity {
        active_members: active,
        mean_daily_active: dau,
        mean_weekly_active: wau,
        mean_monthly_active: mau,
        stickiness: match (dau, mau) {
            (Some(d), Some(m)) if m > 0.0 => Some(d / m),
            _ => None,
        },
        new_members,
        returning_members: active - new_members,
        months: rows,
        cohorts,
    }
}
