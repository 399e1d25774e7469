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
