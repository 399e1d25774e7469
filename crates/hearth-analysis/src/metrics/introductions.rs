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

/// The pairs of people who ever replied to or mentioned each other in the space in scope:
/// they depend on the space only, not on the window. Kept sorted (lower id first in a pair).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Talked(Vec<u64>);

impl Talked {
    fn key(a: u32, b: u32) -> u64 {
        (u64::from(a.min(b)) << 32) | u64::from(a.max(b))
    }

    /// Whether `a` and `b` ever talked (either way round).
    pub fn contains(&self, a: u32, b: u32) -> bool {
        self.0.binary_search(&Self::key(a, b)).is_ok()
    }

    /// The people `a` talked with who have a higher id than `a`, ascending.
    fn above(&self, a: u32) -> impl Iterator<Item = u32> + '_ {
        let from = self.0.partition_point(|&k| k < u64::from(a) << 32);
        self.0[from..]
            .iter()
            .take_while(move |&&k| (k >> 32) as u32 == a)
            .map(|&k| k as u32)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The space's [`Talked`] pairs.
pub fn talked(cx: &Context<'_>) -> Talked {
    let m = &cx.snapshot.messages;
    let mut talked: Vec<u64> = Vec::new();
    for i in cx.in_space() {
        let a = m.author[i];
        let p = m.parent[i];
        let mut note = |b: u32| {
            if a != b {
                talked.push(Talked::key(a, b));
            }
        };
        if p != NO_PARENT {
            note(m.author[p as usize]);
        }
        for &b in m.mentions(i) {
            note(b);
        }
    }
    talked.sort_unstable();
    talked.dedup();
    Talked(talked)
}

/// [`introductions`] with the space's [`talked`] pairs.
///
/// One pass per member over the threads they wrote in, counting the members met there in a
/// counter indexed by person (only the people touched are reset): no pair table, so the cost
/// is the pairs met, not a hash of each.
pub fn introductions_among(cx: &Context<'_>, talked: &Talked, limit: usize) -> Vec<Introduction> {
    let m = &cx.snapshot.messages;
    let people = cx.snapshot.persons.len();
    let mut messages = vec![0u64; people];
    // (thread root, member) of each member message, and each member's spaces (without
    // repeats, sorted).
    let mut by_thread: Vec<(u32, u32)> = Vec::new();
    let mut by_space: Vec<(u32, u32)> = Vec::new();
    let mut last_space = vec![u32::MAX; people];
    for i in cx.in_window() {
        let a = m.author[i];
        if cx.role(a) != Role::Member {
            continue;
        }
        by_thread.push((cx.roots[i], a));
        messages[a as usize] += 1;
        if last_space[a as usize] != m.space[i] {
            last_space[a as usize] = m.space[i];
            by_space.push((a, m.space[i]));
        }
    }
    by_space.sort_unstable();
    by_space.dedup();
    // Each thread's members (ascending, once each), threads by root ascending, for the
    // threads of 2 to MAX_THREAD_PEOPLE members: grouped by counting, as roots are message
    // indices (a window of most of the store is most of its messages).
    let (starts, members) = grouped(&by_thread, m.len());
    drop(by_thread);
    let mut threads: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
    let mut people_of: Vec<u32> = Vec::with_capacity(members.len());
    let mut group: Vec<u32> = Vec::new();
    for root in 0..m.len() {
        let wrote = &members[starts[root] as usize..starts[root + 1] as usize];
        if wrote.len() < 2 {
            continue;
        }
        group.clear();
        group.extend_from_slice(wrote);
        group.sort_unstable();
        group.dedup();
        if (2..=MAX_THREAD_PEOPLE).contains(&group.len()) {
            let from = people_of.len();
            people_of.extend_from_slice(&group);
            threads.push((root as u32, from..people_of.len()));
        }
    }
    // Each member's threads, by root ascending (so the first examples are the earliest).
    let member_thread: Vec<(u32, u32)> = threads
        .iter()
        .enumerate()
        .flat_map(|(k, (_, r))| people_of[r.clone()].iter().map(move |&a| (a, k as u32)))
        .collect();
    let (thread_starts, of_member) = grouped(&member_thread, people);
    drop(member_thread);
    let spaces_of = |p: u32| -> &[(u32, u32)] {
        let from = by_space.partition_point(|&(a, _)| a < p);
        let to = by_space.partition_point(|&(a, _)| a <= p);
        &by_space[from..to]
    };

    let mut count = vec![0u64; people];
    let mut examples: Vec<Vec<u32>> = vec![Vec::new(); people];
    let mut touched: Vec<u32> = Vec::new();
    let mut out: Vec<Introduction> = Vec::new();
    for a in 0..people as u32 {
        let mine =
            &of_member[thread_starts[a as usize] as usize..thread_starts[a as usize + 1] as usize];
        if mine.is_empty() {
            continue;
        }
        for &t in mine {
            let (root, range) = &threads[t as usize];
            let thread = &people_of[range.clone()];
            let from = thread.partition_point(|&b| b <= a);
            for &b in &thread[from..] {
                let n = &mut count[b as usize];
                if *n == 0 {
                    touched.push(b);
                }
                *n += 1;
                let ex = &mut examples[b as usize];
                if ex.len() < 3 {
                    ex.push(*root);
                }
            }
        }
        touched.sort_unstable();
        let mut spoke = talked.above(a).peekable();
        for &b in &touched {
            let n = std::mem::take(&mut count[b as usize]);
            let ex = std::mem::take(&mut examples[b as usize]);
            while spoke.next_if(|&c| c < b).is_some() {}
            if n < MIN_SHARED_THREADS || spoke.peek() == Some(&b) {
                continue;
            }
            let (sa, sb) = (spaces_of(a), spaces_of(b));
            let spaces = sa
                .iter()
                .map(|&(_, s)| s)
                .filter(|s| sb.binary_search_by_key(s, |&(_, t)| t).is_ok())
                .collect();
            out.push(Introduction {
                a,
                b,
                shared_threads: n,
                example_threads: ex,
                spaces,
            });
        }
        touched.clear();
    }
    let activity = |p: u32| messages.get(p as usize).copied().unwrap_or(0);
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

/// `pairs` (key below `keys`, value) grouped by key by counting: the values of key `k` are
/// `values[starts[k]..starts[k + 1]]`, in the order `pairs` gives them.
fn grouped(pairs: &[(u32, u32)], keys: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; keys + 1];
    for &(k, _) in pairs {
        starts[k as usize + 1] += 1;
    }
    for k in 0..keys {
        starts[k + 1] += starts[k];
    }
    let mut next = starts.clone();
    let mut values = vec![0u32; pairs.len()];
    for &(k, v) in pairs {
        let at = &mut next[k as usize];
        values[*at as usize] = v;
        *at += 1;
    }
    (starts, values)
}
