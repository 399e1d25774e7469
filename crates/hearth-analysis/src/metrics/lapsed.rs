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
    // An index covers the scope it was built for.
    lapsed_with(cx, &Index::new(cx, only), limit).unwrap_or_default()
}

/// What the lapsed list needs of a space up to the moment it was built for: each member's
/// messages and talk there, with their times.
///
/// Built once for a scope without an end, it gives the lapsed list at any earlier as-of
/// moment ([`lapsed_with`]): an entry looks only at the member's messages and talk before that
/// moment, a cut of what the index holds.
#[derive(Debug)]
pub struct Index {
    space: Option<u32>,
    as_of: i64,
    members: HashMap<u32, Member>,
}

/// A member's messages and talk in the index's space, each in time order.
#[derive(Debug, Default)]
struct Member {
    /// Their messages, by (time, index), and the time of each.
    messages: Vec<u32>,
    times: Vec<i64>,
    /// The distinct days they wrote on, ascending.
    days: Vec<i64>,
    /// The people they talked with (a reply to their message or from it, a mention either
    /// way), once per contact, as (time, other person), by (time, message).
    talk: Vec<(i64, u32)>,
}

impl Index {
    /// The index of the scope's space up to its as-of moment (of one member with `only`).
    pub fn new(cx: &Context<'_>, only: Option<u32>) -> Index {
        let m = &cx.snapshot.messages;
        let as_of = cx.as_of();
        let counted = |p: u32| cx.role(p) == Role::Member && only.is_none_or(|o| o == p);
        let mut members: HashMap<u32, Member> = HashMap::new();
        let mut talk: HashMap<u32, Vec<(i64, u32, u32)>> = HashMap::new();
        for i in cx.in_space() {
            let t = m.time[i];
            if t >= as_of {
                continue;
            }
            let a = m.author[i];
            if counted(a) {
                members.entry(a).or_default().messages.push(i as u32);
            }
            // Who talked with whom (parents and mentions, both ways).
            let p = m.parent[i];
            let replied = (p != hearth_model::NO_PARENT).then(|| m.author[p as usize]);
            for b in replied.into_iter().chain(m.mentions(i).iter().copied()) {
                if a == b {
                    continue;
                }
                if counted(a) {
                    talk.entry(a).or_default().push((t, i as u32, b));
                }
                if counted(b) {
                    talk.entry(b).or_default().push((t, i as u32, a));
                }
            }
        }
        for (p, mut list) in talk {
            list.sort_unstable();
            members.entry(p).or_default().talk = list.into_iter().map(|(t, _, b)| (t, b)).collect();
        }
        for member in members.values_mut() {
            member.messages.sort_by_key(|&i| (m.time[i as usize], i));
            member.times = member
                .messages
                .iter()
                .map(|&i| m.time[i as usize])
                .collect();
            member.days = member.times.iter().map(|&t| day(t)).collect();
            member.days.dedup();
        }
        Index {
            space: cx.space,
            as_of,
            members,
        }
    }
}

/// The lapsed list of `cx` (its space, as of its as-of moment) from `index`, longest
/// involvement first, up to `limit`; `None` when the index does not cover the scope (another
/// space, or an as-of moment after the index's).
///
/// Everyone's silence is a cut of their messages (by time); the rhythm and the count of
/// people talked with are read only for those silent in range, and the spaces and the
/// people talked with most only for the `limit` kept.
pub fn lapsed_with(cx: &Context<'_>, index: &Index, limit: usize) -> Option<Vec<Lapsed>> {
    if index.space != cx.space || cx.as_of() > index.as_of {
        return None;
    }
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let mut out: Vec<Lapsed> = Vec::new();
    let mut gaps: Vec<f64> = Vec::new();
    let mut others: Vec<u32> = Vec::new();
    for (&person, member) in &index.members {
        let n = member.times.partition_point(|&t| t < as_of);
        let Some(&last_time) = n.checked_sub(1).and_then(|k| member.times.get(k)) else {
            continue;
        };
        let silent = (as_of - last_time) as f64 / 86_400.0;
        if (n as u64) < MIN_MESSAGES || !(MIN_SILENCE_DAYS..=MAX_SILENCE_DAYS).contains(&silent) {
            continue;
        }
        let days = &member.days[..member.days.partition_point(|&d| d <= day(last_time))];
        if days.len() < 2 {
            continue;
        }
        gaps.clear();
        gaps.extend(days.windows(2).map(|w| (w[1] - w[0]) as f64));
        let usual = median(&mut gaps).unwrap_or(1.0);
        if silent < (FACTOR * usual).max(MIN_SILENCE_DAYS) {
            continue;
        }
        let talk = &member.talk[..member.talk.partition_point(|&(t, _)| t < as_of)];
        others.clear();
        others.extend(talk.iter().map(|&(_, b)| b));
        others.sort_unstable();
        others.dedup();
        out.push(Lapsed {
            person,
            messages: n as u64,
            usual_gap_days: usual,
            silent_days: (silent * 10.0).round() / 10.0,
            last_message: member.messages[n - 1],
            last_time,
            spaces: Vec::new(),
            people_talked_with: others.len() as u64,
            talked_with_most: Vec::new(),
        });
    }
    out.sort_by(|a, b| {
        b.people_talked_with
            .cmp(&a.people_talked_with)
            .then(b.messages.cmp(&a.messages))
            .then(a.person.cmp(&b.person))
    });
    out.truncate(limit);
    for l in &mut out {
        let Some(member) = index.members.get(&l.person) else {
            continue;
        };
        let list = &member.messages[..l.messages as usize];
        let spaces: BTreeSet<u32> = list.iter().map(|&i| m.space[i as usize]).collect();
        l.spaces = spaces.into_iter().collect();
        let talk = &member.talk[..member.talk.partition_point(|&(t, _)| t < as_of)];
        let mut talked: BTreeMap<u32, u64> = BTreeMap::new();
        for &(_, other) in talk {
            *talked.entry(other).or_default() += 1;
        }
        let mut most: Vec<(u32, u64)> = talked.into_iter().collect();
        most.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        most.truncate(3);
        l.talked_with_most = most;
    }
    Some(out)
}
