//! **Introductions**: pairs of members who share spaces and topics but never talked.
//!
//! Topics are threads: two members *share a topic* when both wrote in the same thread (a
//! thread with a root message in the window and at most `MAX_THREAD_PEOPLE` (40) members —
//! a thread everyone joins says little about any two of them). A pair is suggested when they
//! share at least `MIN_SHARED_THREADS` (2) threads and never addressed each other, at any
//! time, in the scope's space (no reply, inferred reply or mention either way).
//!
//! Ranked by shared threads, then by the smaller of their two message counts in the window
//! (two active people first), then person order.

use crate::Context;
use hearth_model::{NO_PARENT, Role};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

pub const MAX_THREAD_PEOPLE: usize = 40;
pub const MIN_SHARED_THREADS: u64 = 2;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Introduction {
    pub a: u32,
    pub b: u32,
    pub shared_threads: u64,
    /// Up to 3 shared threads (root message indices).
    pub example_threads: Vec<u32>,
    pub spaces: Vec<u32>,
}

pub fn introductions(cx: &Context<'_>, limit: usize) -> Vec<Introduction> {
    introductions_among(cx, &talked(cx), limit)
}

/// The pairs of people (lower id first) who ever replied to or mentioned each other in the
/// space in scope: they depend on the space only, not on the window.
pub fn talked(cx: &Context<'_>) -> HashSet<(u32, u32)> {
    let m = &cx.snapshot.messages;
    let mut talked: HashSet<(u32, u32)> = HashSet::new();
    for i in cx.in_space() {
        let a = m.author[i];
        let p = m.parent[i];
        let mut note = |b: u32| {
            if a != b {
                talked.insert((a.min(b), a.max(b)));
            }
        };
        if p != NO_PARENT {
            note(m.author[p as usize]);
        }
        for &b in m.mentions(i) {
            note(b);
        }
    }
    talked
}

/// [`introductions`] with the space's [`talked`] pairs.
pub fn introductions_among(
    cx: &Context<'_>,
    talked: &HashSet<(u32, u32)>,
    limit: usize,
) -> Vec<Introduction> {
    let m = &cx.snapshot.messages;
    let mut threads: HashMap<u32, BTreeSet<u32>> = HashMap::new();
    let mut messages: HashMap<u32, u64> = HashMap::new();
    let mut spaces: HashMap<u32, BTreeSet<u32>> = HashMap::new();
    for i in cx.in_window() {
        let a = m.author[i];
        if cx.role(a) != Role::Member {
            continue;
        }
        threads.entry(cx.roots[i]).or_default().insert(a);
        *messages.entry(a).or_default() += 1;
        spaces.entry(a).or_default().insert(m.space[i]);
    }
    let mut pairs: HashMap<(u32, u32), (u64, Vec<u32>)> = HashMap::new();
    let mut roots: Vec<u32> = threads.keys().copied().collect();
    roots.sort_unstable();
    for root in roots {
        let people: Vec<u32> = threads[&root].iter().copied().collect();
        if people.len() < 2 || people.len() > MAX_THREAD_PEOPLE {
            continue;
        }
        for (k, &a) in people.iter().enumerate() {
            for &b in &people[k + 1..] {
                if talked.contains(&(a, b)) {
                    continue;
                }
                let e = pairs.entry((a, b)).or_default();
                e.0 += 1;
                if e.1.len() < 3 {
                    e.1.push(root);
                }
            }
        }
    }
    let activity = |p: u32| messages.get(&p).copied().unwrap_or(0);
    let mut out: Vec<Introduction> = pairs
        .into_iter()
        .filter(|(_, (n, _))| *n >= MIN_SHARED_THREADS)
        .map(|((a, b), (n, ex))| Introduction {
            a,
            b,
            shared_threads: n,
            example_threads: ex,
            spaces: spaces
                .get(&a)
                .map(|s| {
                    s.intersection(spaces.get(&b).unwrap_or(&BTreeSet::new()))
                        .copied()
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    out.sort_by(|x, y| {
        y.shared_threads
            .cmp(&x.shared_threads)
            .then(
                activity(y.a)
                    .min(activity(y.b))
                    .cmp(&activity(x.a).min(activity(x.b))),
            )
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    out.truncate(limit);
    out
}
