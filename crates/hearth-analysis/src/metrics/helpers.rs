//! **Helpers** (ambassador and super-user candidates): members who answer others most and
//! most widely.
//!
//! For each member: `answers` given in the window (replies, explicit or inferred, to another
//! person; see [`is_answer`]), `people_helped` (distinct people answered), `threads` (distinct
//! threads answered in), and the trend: `recent` answers in the last `TREND_DAYS` (90) days
//! before the as-of moment against `before` in the 90 days before those; `trend` is `rising`
//! when recent ≥ 1.5 × before and at least 3, `falling` when recent ≤ before ÷ 1.5, else
//! `steady`, and `new` when there was nothing before.
//!
//! Ranked by people helped, then answers, then person order. Brand people are left out:
//! they are paid to answer.

use super::absence::is_answer;
use crate::Context;
use hearth_model::Role;
use serde::Serialize;

pub const TREND_DAYS: i64 = 90;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Helper {
    pub person: u32,
    pub answers: u64,
    pub people_helped: u64,
    pub threads: u64,
    pub recent: u64,
    pub before: u64,
    pub trend: &'static str,
}

pub fn helpers(cx: &Context<'_>, limit: usize) -> Vec<Helper> {
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let recent_from = as_of - TREND_DAYS * 86_400;
    let before_from = recent_from - TREND_DAYS * 86_400;
    // Per person: answers, recent, before; and the (helper, person) and (helper, thread)
    // pairs, each counted once after sorting.
    let mut counts = vec![[0u64; 3]; cx.snapshot.persons.len()];
    let (mut helped, mut threads) = (Vec::new(), Vec::new());
    for it in cx.interactions().iter().filter(|it| is_answer(it)) {
        if cx.role(it.from) != Role::Member {
            continue;
        }
        let Some(c) = counts.get_mut(it.from as usize) else {
            continue;
        };
        c[0] += 1;
        let t = m.time[it.message as usize];
        if t >= recent_from {
            c[1] += 1;
        } else if t >= before_from {
            c[2] += 1;
        }
        helped.push((it.from, it.to));
        threads.push((it.from, cx.roots[it.message as usize]));
    }
    let distinct = |mut pairs: Vec<(u32, u32)>| {
        radsort::sort(&mut pairs);
        pairs.dedup();
        let mut n = vec![0u64; counts.len()];
        for (p, _) in pairs {
            n[p as usize] += 1;
        }
        n
    };
    let (people_helped, threads) = (distinct(helped), distinct(threads));
    rank(&counts, &people_helped, &threads, limit)
}

/// The helpers from each person's counts (answers, recent, before), people helped and
/// threads, ranked and cut to `limit`.
fn rank(counts: &[[u64; 3]], people_helped: &[u64], threads: &[u64], limit: usize) -> Vec<Helper> {
    let mut out: Vec<Helper> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c[0] > 0)
        .map(|(person, &[answers, recent, before])| Helper {
            person: person as u32,
            answers,
            people_helped: people_helped[person],
            threads: threads[person],
            recent,
            before,
            trend: trend(recent, before),
        })
        .collect();
    out.sort_by(|a, b| {
        b.people_helped
            .cmp(&a.people_helped)
            .then(b.answers.cmp(&a.answers))
            .then(a.person.cmp(&b.person))
    });
    out.truncate(limit);
    out
}

/// No earlier answer of the same pair.
const FIRST: i64 = i64::MIN;

/// One answer by a member, with the time of the same helper's previous answer to the same
/// person and in the same thread ([`FIRST`] for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    time: i64,
    from: u32,
    person_before: i64,
    thread_before: i64,
}

/// Every answer by a member in the scope of `cx`, in (time, message) order. Made for a whole
/// space, a window's helpers are counted from the stretch of it inside the window
/// ([`helpers_cut`]): a pair is in the window when one of its answers there has no earlier
/// one there, which its time before says without sorting the window's pairs.
pub fn answers(cx: &Context<'_>) -> Vec<Answer> {
    let m = &cx.snapshot.messages;
    let people = cx.snapshot.persons.len();
    // (time, message, from, person answered, thread)
    let mut list: Vec<(i64, u32, u32, u32, u32)> = cx
        .interactions()
        .iter()
        .filter(|it| is_answer(it) && (it.from as usize) < people)
        .filter(|it| cx.role(it.from) == Role::Member)
        .map(|it| {
            let i = it.message as usize;
            (m.time[i], it.message, it.from, it.to, cx.roots[i])
        })
        .collect();
    list.sort_unstable();
    let mut out: Vec<Answer> = list
        .iter()
        .map(|&(time, _, from, _, _)| Answer {
            time,
            from,
            person_before: FIRST,
            thread_before: FIRST,
        })
        .collect();
    // Each pair's answers in time order: an answer's previous one is the one before it.
    let mut order: Vec<u32> = (0..list.len() as u32).collect();
    for thread in [false, true] {
        let pair = |k: u32| {
            let (_, _, from, to, root) = list[k as usize];
            (from, if thread { root } else { to })
        };
        // Stable: equal pairs stay in time order.
        radsort::sort_by_key(&mut order, |&k| pair(k).1);
        radsort::sort_by_key(&mut order, |&k| pair(k).0);
        for w in order.windows(2) {
            if pair(w[0]) == pair(w[1]) {
                let before = list[w[0] as usize].0;
                let a = &mut out[w[1] as usize];
                if thread {
                    a.thread_before = before;
                } else {
                    a.person_before = before;
                }
            }
        }
    }
    out
}

/// [`helpers`] of the window of `cx` from `whole`, the [`answers`] of its space at any time.
pub fn helpers_cut(cx: &Context<'_>, limit: usize, whole: &[Answer]) -> Vec<Helper> {
    let w = cx.window;
    let as_of = cx.as_of();
    let recent_from = as_of - TREND_DAYS * 86_400;
    let before_from = recent_from - TREND_DAYS * 86_400;
    let lo = w.since.map_or(0, |s| whole.partition_point(|a| a.time < s));
    let hi = w
        .until
        .map_or(whole.len(), |u| whole.partition_point(|a| a.time < u));
    // A pair's first answer in the window: none before it, or none since the start.
    let first = |before: i64| before == FIRST || w.since.is_some_and(|s| before < s);
    let people = cx.snapshot.persons.len();
    let mut counts = vec![[0u64; 3]; people];
    let (mut people_helped, mut threads) = (vec![0u64; people], vec![0u64; people]);
    for a in &whole[lo..hi.max(lo)] {
        let p = a.from as usize;
        let c = &mut counts[p];
        c[0] += 1;
        if a.time >= recent_from {
            c[1] += 1;
        } else if a.time >= before_from {
            c[2] += 1;
        }
        people_helped[p] += u64::from(first(a.person_before));
        threads[p] += u64::from(first(a.thread_before));
    }
    rank(&counts, &people_helped, &threads, limit)
}

pub fn trend(recent: u64, before: u64) -> &'static str {
    if before == 0 {
        if recent > 0 { "new" } else { "steady" }
    } else if recent as f64 >= 1.5 * before as f64 && recent >= 3 {
        "rising"
    } else if recent as f64 <= before as f64 / 1.5 {
        "falling"
    } else {
        "steady"
    }
}
