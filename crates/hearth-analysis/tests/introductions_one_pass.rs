//! Introductions are counted member by member with a counter indexed by person; the pairs,
//! their counts, examples, spaces and order must equal the definition by a table of pairs
//! (`by_pairs` below, the implementation it replaced), on a seeded random community of two
//! spaces (a fifth of its people in one only), over windows with and without a start or an end, whole and per space.

mod common;
use common::{community_with, five_windows};
use hearth_analysis::metrics::introductions::{
    self, Introduction, MAX_THREAD_PEOPLE, MIN_SHARED_THREADS,
};
use hearth_analysis::{Context, Prepared};
use hearth_model::Role;
use std::collections::{BTreeSet, HashMap};

/// The definition: each window thread's set of members, every pair of them counted.
fn by_pairs(cx: &Context<'_>, limit: usize) -> Vec<Introduction> {
    let m = &cx.snapshot.messages;
    let talked = introductions::talked(cx);
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
                if talked.contains(a, b) {
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
    let none = BTreeSet::new();
    let mut out: Vec<Introduction> = pairs
        .into_iter()
        .filter(|(_, (n, _))| *n >= MIN_SHARED_THREADS)
        .map(|((a, b), (n, ex))| Introduction {
            a,
            b,
            shared_threads: n,
            example_threads: ex,
            spaces: spaces[&a]
                .intersection(spaces.get(&b).unwrap_or(&none))
                .copied()
                .collect(),
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

#[test]
fn one_pass_equals_the_table_of_pairs() {
    // A message about every 6.9 hours for three years, in two spaces.
    let (mut snapshot, config) = community_with(25_000, 2);
    // A fifth of the people write in the first space only: their pairs share one space.
    for i in 0..snapshot.messages.len() {
        if snapshot.messages.author[i] % 5 == 0 {
            snapshot.messages.space[i] = 0;
        }
    }
    let prepared = Prepared::new(&snapshot, &config);
    let windows = five_windows();
    let (mut pairs_seen, mut spaces_shared) = (0, [false; 3]);
    for window in windows {
        for space in [None, Some(0), Some(1)] {
            let cx = Context::new(&snapshot, &prepared, window, space);
            let want = by_pairs(&cx, usize::MAX);
            assert_eq!(
                introductions::introductions(&cx, usize::MAX),
                want,
                "{window:?} {space:?}"
            );
            assert_eq!(
                introductions::introductions(&cx, 7),
                want[..want.len().min(7)]
            );
            pairs_seen += want.len();
            for p in &want {
                spaces_shared[p.spaces.len()] = true;
            }
        }
    }
    assert!(
        pairs_seen > 100,
        "the community has pairs to introduce: {pairs_seen}"
    );
    assert_eq!(
        spaces_shared,
        [false, true, true],
        "pairs share one space or both"
    );
}
