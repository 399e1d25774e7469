//! Activity and retention are computed in one pass over the window's (day, member) pairs;
//! every number must equal its definition by sets of members per period (`by_sets` below,
//! the implementation it replaced), on a seeded random community of three years and two
//! spaces, over windows with and without a start or an end, one starting mid-month.

mod common;
use common::{community_with, five_windows};
use hearth_analysis::calendar::{Period, day, month, week};
use hearth_analysis::metrics::activity::{self, Activity, COHORT_MONTHS, Cohort, MonthRow};
use hearth_analysis::{Context, Prepared};
use hearth_model::Role;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The definition: sets of members per day, week and month.
fn by_sets(cx: &Context<'_>) -> Activity {
    let m = &cx.snapshot.messages;
    let first_month: HashMap<u32, i64> = cx
        .member_firsts()
        .map(|(a, i)| (a, month(m.time[i])))
        .collect();
    let mut sets: [BTreeMap<i64, BTreeSet<u32>>; 3] = Default::default();
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for i in cx.in_window() {
        let t = m.time[i];
        lo = lo.min(t);
        hi = hi.max(t);
        let a = m.author[i];
        if cx.role(a) == Role::Member {
            for (k, p) in [day(t), week(t), month(t)].into_iter().enumerate() {
                sets[k].entry(p).or_default().insert(a);
            }
        }
    }
    if lo > hi {
        return Activity::default();
    }
    let [days, weeks, months] = &sets;
    let total = |s: &BTreeMap<i64, BTreeSet<u32>>| s.values().map(BTreeSet::len).sum::<usize>();
    let lo = cx.window.since.unwrap_or(lo);
    let hi = cx.window.until.map_or(hi, |u| u - 1).max(lo);
    let mean = |n: usize, from: i64, to: i64| Some(n as f64 / (to - from + 1).max(1) as f64);
    let dau = mean(total(days), day(lo), day(hi));
    let wau = mean(total(weeks), week(lo), week(hi));
    let mau = mean(total(months), month(lo), month(hi));
    let (first, last) = (month(lo), month(hi));
    let empty = BTreeSet::new();
    let mut rows = Vec::new();
    let mut prev: Option<&BTreeSet<u32>> = None;
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
    let active: BTreeSet<u32> = months.values().flatten().copied().collect();
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

#[test]
fn one_pass_equals_the_sets_per_period() {
    // A message about every 6.9 hours for three years, in two spaces.
    let (snapshot, config) = community_with(25_000, 2);
    let prepared = Prepared::new(&snapshot, &config);
    let windows = five_windows();
    let mut cohorts_followed_a_year = false;
    for window in windows {
        for space in [None, Some(0), Some(1)] {
            let cx = Context::new(&snapshot, &prepared, window, space);
            let got = activity::activity(&cx);
            assert_eq!(got, by_sets(&cx), "{window:?} {space:?}");
            cohorts_followed_a_year |= got
                .cohorts
                .iter()
                .any(|c| c.retention.len() == COHORT_MONTHS as usize + 1);
        }
    }
    assert!(cohorts_followed_a_year, "the windows are long enough");
}
