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
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

pub fn activity(cx: &Context<'_>) -> Activity {
    let m = &cx.snapshot.messages;
    // First month of every member in the space (any time).
    let first_month: HashMap<u32, i64> = cx
        .member_firsts()
        .map(|(a, i)| (a, month(m.time[i])))
        .collect();
    // (period, member) pairs, sorted and deduplicated: far cheaper than sets per period.
    let (mut day_pairs, mut week_pairs, mut month_pairs) = (Vec::new(), Vec::new(), Vec::new());
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for i in cx.in_window() {
        let t = m.time[i];
        lo = lo.min(t);
        hi = hi.max(t);
        let a = m.author[i];
        if cx.role(a) != Role::Member {
            continue;
        }
        day_pairs.push((day(t), a));
        week_pairs.push((week(t), a));
        month_pairs.push((month(t), a));
    }
    for v in [&mut day_pairs, &mut week_pairs, &mut month_pairs] {
        v.sort_unstable();
        v.dedup();
    }
    let count_by = |pairs: &[(i64, u32)]| -> BTreeMap<i64, usize> {
        let mut out = BTreeMap::new();
        for (p, _) in pairs {
            *out.entry(*p).or_insert(0) += 1;
        }
        out
    };
    let (days, weeks) = (count_by(&day_pairs), count_by(&week_pairs));
    let mut months: BTreeMap<i64, BTreeSet<u32>> = BTreeMap::new();
    for &(p, a) in &month_pairs {
        months.entry(p).or_default().insert(a);
    }
    let active: BTreeSet<u32> = month_pairs.iter().map(|p| p.1).collect();
    if lo > hi {
        return Activity::default();
    }
    let lo = cx.window.since.unwrap_or(lo);
    let hi = cx.window.until.map_or(hi, |u| u - 1).max(lo);
    let mean = |total: usize, from: i64, to: i64| {
        let n = (to - from + 1).max(1) as f64;
        Some(total as f64 / n)
    };
    let dau = mean(days.values().sum(), day(lo), day(hi));
    let wau = mean(weeks.values().sum(), week(lo), week(hi));
    let mau = mean(
        months.values().map(BTreeSet::len).sum(),
        month(lo),
        month(hi),
    );
    let (first, last) = (month(lo), month(hi));
    let mut rows = Vec::new();
    let mut prev: Option<&BTreeSet<u32>> = None;
    let empty = BTreeSet::new();
    for mo in first..=last {
        let set = months.get(&mo).unwrap_or(&empty);
        let new = set
            .iter()
            .filter(|a| first_month.get(a) == Some(&mo))
            .count() as u64;
        let churned = prev.map_or(0, |p| p.difference(set).count() as u64);
        rows.push(MonthRow {
            month: Period::Month.label(mo),
            active: set.len() as u64,
            new,
            returning: set.len() as u64 - new,
            churned,
            churn_rate: prev
                .filter(|p| !p.is_empty())
                .map(|p| churned as f64 / p.len() as f64),
        });
        prev = Some(set);
    }
    let mut cohorts: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
    for &a in &active {
        if let Some(&f) = first_month.get(&a)
            && (first..=last).contains(&f)
        {
            cohorts.entry(f).or_default().push(a);
        }
    }
    let cohorts = cohorts
        .into_iter()
        .map(|(mo, members)| Cohort {
            month: Period::Month.label(mo),
            size: members.len() as u64,
            retention: (mo..=last.min(mo + COHORT_MONTHS))
                .map(|k| {
                    let set = months.get(&k).unwrap_or(&empty);
                    members.iter().filter(|a| set.contains(a)).count() as f64 / members.len() as f64
                })
                .collect(),
        })
        .collect();
    let new_members = active
        .iter()
        .filter(|a| first_month.get(a).is_some_and(|f| *f >= first))
        .count() as u64;
    Activity {
        active_members: active.len() as u64,
        mean_daily_active: dau,
        mean_weekly_active: wau,
        mean_monthly_active: mau,
        stickiness: match (dau, mau) {
            (Some(d), Some(m)) if m > 0.0 => Some(d / m),
            _ => None,
        },
        new_members,
        returning_members: active.len() as u64 - new_members,
        months: rows,
        cohorts,
    }
}
