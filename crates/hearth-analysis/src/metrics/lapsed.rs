//! **Lapsed members** (the outreach list): members silent for much longer than their own
//! usual rhythm, ranked by past involvement.
//!
//! For each member with at least `MIN_MESSAGES` (5) messages in the scope's space up to the
//! as-of moment, on at least 2 distinct days: their *usual gap* is the median number of days
//! between consecutive days they wrote on; their *silence* is the days from their last
//! message to the as-of moment. They are *lapsed* when
//! `silence ≥ max(FACTOR × usual gap, MIN_SILENCE_DAYS)` (FACTOR 4, at least 30 days) and
//! `silence ≤ MAX_SILENCE_DAYS` (365: beyond a year, outreach is a different job).
//!
//! Ranked by involvement: distinct people they talked with (either direction), then
//! messages. Each comes with context: last message, the spaces they wrote in, and the
//! people they talked with most.

use super::first_response::median;
use crate::Context;
use crate::calendar::day;
use hearth_model::Role;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const MIN_MESSAGES: u64 = 5;
pub const FACTOR: f64 = 4.0;
pub const MIN_SILENCE_DAYS: f64 = 30.0;
pub const MAX_SILENCE_DAYS: f64 = 365.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lapsed {
    pub person: u32,
    pub messages: u64,
    pub usual_gap_days: f64,
    pub silent_days: f64,
    pub last_message: u32,
    pub last_time: i64,
    pub spaces: Vec<u32>,
    pub people_talked_with: u64,
    /// (person, interactions either way), most first, up to 3.
    pub talked_with_most: Vec<(u32, u64)>,
}

pub fn lapsed(cx: &Context<'_>, limit: usize) -> Vec<Lapsed> {
    lapsed_among(cx, None, limit)
}

/// One person's entry of the lapsed list, if they are on it: the same entry [`lapsed`] gives
/// (each entry depends on that person's own messages and talk only), for a fraction of the
/// cost (a person page asks for one).
pub fn lapsed_of(cx: &Context<'_>, person: u32) -> Option<Lapsed> {
    lapsed_among(cx, Some(person), 1).pop()
}

fn lapsed_among(cx: &Context<'_>, only: Option<u32>, limit: usize) -> Vec<Lapsed> {
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    #[derive(Default)]
    struct Acc {
        messages: u64,
        days: BTreeSet<i64>,
        last: (i64, u32),
        spaces: BTreeSet<u32>,
        talked: BTreeMap<u32, u64>,
    }
    let mut by: HashMap<u32, Acc> = HashMap::new();
    for i in cx.in_space() {
        let (a, t) = (m.author[i], m.time[i]);
        if t >= as_of || only.is_some_and(|o| o != a) || cx.role(a) != Role::Member {
            continue;
        }
        let acc = by.entry(a).or_default();
        acc.messages += 1;
        acc.days.insert(day(t));
        if (t, i as u32) > acc.last {
            acc.last = (t, i as u32);
        }
        acc.spaces.insert(m.space[i]);
    }
    // Who talked with whom, up to the as-of moment (parents and mentions, both ways).
    let mut note = |a: u32, b: u32| {
        if a != b {
            if let Some(acc) = by.get_mut(&a) {
                *acc.talked.entry(b).or_default() += 1;
            }
            if let Some(acc) = by.get_mut(&b) {
                *acc.talked.entry(a).or_default() += 1;
            }
        }
    };
    for i in cx.in_space() {
        if m.time[i] >= as_of {
            continue;
        }
        let a = m.author[i];
        let p = m.parent[i];
        if p != hearth_model::NO_PARENT {
            note(a, m.author[p as usize]);
        }
        for &to in m.mentions(i) {
            note(a, to);
        }
    }
    let mut out: Vec<Lapsed> = Vec::new();
    for (person, acc) in by {
        if acc.messages < MIN_MESSAGES || acc.days.len() < 2 {
            continue;
        }
        let days: Vec<i64> = acc.days.iter().copied().collect();
        let mut gaps: Vec<f64> = days.windows(2).map(|w| (w[1] - w[0]) as f64).collect();
        let usual = median(&mut gaps).unwrap_or(1.0);
        let silent = (as_of - acc.last.0) as f64 / 86_400.0;
        if silent < (FACTOR * usual).max(MIN_SILENCE_DAYS) || silent > MAX_SILENCE_DAYS {
            continue;
        }
        let mut most: Vec<(u32, u64)> = acc.talked.iter().map(|(p, n)| (*p, *n)).collect();
        most.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let people = most.len() as u64;
        most.truncate(3);
        out.push(Lapsed {
            person,
            messages: acc.messages,
            usual_gap_days: usual,
            silent_days: (silent * 10.0).round() / 10.0,
            last_message: acc.last.1,
            last_time: acc.last.0,
            spaces: acc.spaces.into_iter().collect(),
            people_talked_with: people,
            talked_with_most: most,
        });
    }
    out.sort_by(|a, b| {
        b.people_talked_with
            .cmp(&a.people_talked_with)
            .then(b.messages.cmp(&a.messages))
            .then(a.person.cmp(&b.person))
    });
    out.truncate(limit);
    out
}
