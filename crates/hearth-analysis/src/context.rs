//! What every metric needs: roles and thread roots (computed once per report, in
//! [`Prepared`]), the window and the space in scope, and the scope's interactions.

use crate::{RoleDecision, Window, decide_roles, thread_roots};
use hearth_model::{
    Config, Interaction, InteractionClass, InteractionKind, NO_PARENT, Role, Snapshot,
};

/// What does not depend on the scope: computed once, shared by every scope of a report.
#[derive(Debug)]
pub struct Prepared {
    /// Role of each person (by snapshot person index).
    pub roles: Vec<RoleDecision>,
    /// Root message of each message's thread.
    pub roots: Vec<u32>,
    /// The messages of each space, in snapshot order (so a space's report reads only its
    /// own messages: reports by space cost one pass over the messages in all).
    pub by_space: Vec<Vec<u32>>,
    /// Every message sorted by (time, index): a window over all spaces is a range of it.
    pub by_time: Vec<u32>,
    /// Each person's first message over every space, by (time, index); [`NO_MESSAGE`] for a
    /// person without one.
    pub first_message: Vec<u32>,
}

/// No message (in [`Prepared::first_message`] and [`Context::first_messages`]).
pub const NO_MESSAGE: u32 = u32::MAX;

impl Prepared {
    pub fn new(snapshot: &Snapshot, config: &Config) -> Self {
        let mut by_space = vec![Vec::new(); snapshot.spaces.len()];
        for (i, &s) in snapshot.messages.space.iter().enumerate() {
            if let Some(list) = by_space.get_mut(s as usize) {
                list.push(i as u32);
            }
        }
        let time = &snapshot.messages.time;
        let mut by_time: Vec<u32> = (0..time.len() as u32).collect();
        by_time.sort_by_key(|&i| (time[i as usize], i));
        let roles = decide_roles(&snapshot.persons, &config.roles);
        let mut first_message = vec![NO_MESSAGE; roles.len()];
        for &i in &by_time {
            let a = snapshot.messages.author[i as usize] as usize;
            if let Some(f) = first_message.get_mut(a)
                && *f == NO_MESSAGE
            {
                *f = i;
            }
        }
        Prepared {
            roles,
            roots: thread_roots(&snapshot.messages.parent, &snapshot.messages.orphan),
            by_space,
            by_time,
            first_message,
        }
    }
}

/// The stretch of `order` (message indices in time order) inside `window`.
fn in_window_of<'o>(order: &'o [u32], time: &[i64], window: Window) -> &'o [u32] {
    let lo = window
        .since
        .map_or(0, |s| order.partition_point(|&i| time[i as usize] < s));
    let hi = window.until.map_or(order.len(), |u| {
        order.partition_point(|&i| time[i as usize] < u)
    });
    &order[lo..hi.max(lo)]
}

/// The message indices of `range` (distinct, each below `n`) in index order. A large range is
/// marked in a bit set and read back in order (n/64 words, no comparison sort); a small one is
/// sorted.
fn in_index_order(range: &[u32], n: usize) -> Vec<u32> {
    if range.len() < n / 64 {
        let mut out = range.to_vec();
        out.sort_unstable();
        return out;
    }
    let mut bits = vec![0u64; n.div_ceil(64)];
    for &i in range {
        bits[i as usize / 64] |= 1 << (i % 64);
    }
    let mut out = Vec::with_capacity(range.len());
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            out.push((w * 64) as u32 + word.trailing_zeros());
            word &= word - 1;
        }
    }
    out
}

/// A snapshot prepared for metrics, over one scope: a window and optionally one space.
#[derive(Debug)]
pub struct Context<'s> {
    pub snapshot: &'s Snapshot,
    pub window: Window,
    /// Only messages of this space (snapshot index); `None` is every space.
    pub space: Option<u32>,
    /// Root message of each message's thread.
    pub roots: &'s [u32],
    roles: &'s [RoleDecision],
    first_message: &'s [u32],
    /// The messages of the space in scope, at any time (`None`: every message).
    space_messages: Option<&'s [u32]>,
    /// The messages in scope: in the window, and in the space if one.
    scope: Vec<u32>,
    /// The window's messages of every space by (time, index).
    time_order: &'s [u32],
    /// Derived when first asked for (routing, the role audit's cuts and most pages of a
    /// window never ask).
    interactions: std::sync::OnceLock<Vec<Interaction>>,
    /// The moment the scope is seen from (computed once: callers ask for it in loops).
    as_of: i64,
}

impl<'s> Context<'s> {
    pub fn new(
        snapshot: &'s Snapshot,
        prepared: &'s Prepared,
        window: Window,
        space: Option<u32>,
    ) -> Self {
        let space_messages = space.map(|s| {
            prepared
                .by_space
                .get(s as usize)
                .map_or(&[][..], Vec::as_slice)
        });
        let time = &snapshot.messages.time;
        // The window's messages of every space are a range of the time order.
        let by_time = &prepared.by_time;
        let time_order = in_window_of(by_time, time, window);
        let scope = match space_messages {
            Some(list) => list
                .iter()
                .copied()
                .filter(|&i| window.contains(time[i as usize]))
                .collect(),
            // Kept in index order.
            None => in_index_order(time_order, time.len()),
        };
        // The last message of the time order is the snapshot's latest.
        let as_of = window
            .until
            .unwrap_or_else(|| by_time.last().map_or(0, |&i| time[i as usize] + 1));
        Context {
            snapshot,
            window,
            space,
            roots: &prepared.roots,
            roles: &prepared.roles,
            first_message: &prepared.first_message,
            space_messages,
            scope,
            time_order,
            interactions: std::sync::OnceLock::new(),
            as_of,
        }
    }

    /// The same space over `window`, a window inside this one's (a part of it): made from
    /// this context's parts, seen from `window`'s end (this one's when it has none).
    pub fn narrowed(&self, window: Window) -> Context<'s> {
        let time = &self.snapshot.messages.time;
        let time_order = in_window_of(self.time_order, time, window);
        let scope = match self.space_messages {
            Some(_) => self
                .scope
                .iter()
                .copied()
                .filter(|&i| window.contains(time[i as usize]))
                .collect(),
            None => in_index_order(time_order, time.len()),
        };
        Context {
            snapshot: self.snapshot,
            window,
            space: self.space,
            roots: self.roots,
            roles: self.roles,
            first_message: self.first_message,
            space_messages: self.space_messages,
            scope,
            time_order,
            interactions: std::sync::OnceLock::new(),
            as_of: window.until.unwrap_or(self.as_of),
        }
    }

    /// Whether message `i` starts a thread: it is its thread's root and not an orphan reply
    /// (whose thread started outside the snapshot).
    pub fn starts_thread(&self, i: usize) -> bool {
        self.roots[i] as usize == i && !self.snapshot.messages.is_orphan(i)
    }

    pub fn role(&self, person: u32) -> Role {
        self.roles[person as usize].role
    }

    /// Some of the messages in scope (`ids`, distinct) in (time, index) order, each with its
    /// position in `ids`. Many are read off the window's time order (no comparison sort);
    /// a few are sorted.
    pub fn in_time_order(&self, ids: &[u32]) -> Vec<(u32, usize)> {
        let time = &self.snapshot.messages.time;
        if ids.len() < self.time_order.len() / 16 {
            let mut out: Vec<(u32, usize)> = ids.iter().copied().zip(0..).collect();
            out.sort_unstable_by_key(|&(i, _)| (time[i as usize], i));
            return out;
        }
        let mut at = vec![u32::MAX; time.len()];
        for (k, &i) in ids.iter().enumerate() {
            if let Some(a) = at.get_mut(i as usize) {
                *a = k as u32;
            }
        }
        self.time_order
            .iter()
            .filter_map(|&i| {
                let k = at[i as usize];
                (k != u32::MAX).then_some((i, k as usize))
            })
            .collect()
    }

    /// Indices of the messages in scope: inside the window (and the space, if one).
    pub fn in_window(&self) -> impl Iterator<Item = usize> + '_ {
        self.scope.iter().map(|&i| i as usize)
    }

    /// Indices of every message of the space in scope, at any time (all messages without a
    /// space): where responses to the scope's threads are looked for.
    pub fn in_space(&self) -> Box<dyn Iterator<Item = usize> + '_> {
        match self.space_messages {
            Some(list) => Box::new(list.iter().map(|&i| i as usize)),
            None => Box::new(0..self.snapshot.messages.len()),
        }
    }

    /// Each person's first message in the space in scope, at any time, by (time, index):
    /// indexed by person, [`NO_MESSAGE`] for a person who wrote none there.
    pub fn first_messages(&self) -> std::borrow::Cow<'s, [u32]> {
        let Some(list) = self.space_messages else {
            return std::borrow::Cow::Borrowed(self.first_message);
        };
        let m = &self.snapshot.messages;
        let mut first = vec![NO_MESSAGE; self.first_message.len()];
        for &i in list {
            let a = m.author[i as usize] as usize;
            if let Some(f) = first.get_mut(a)
                && (*f == NO_MESSAGE || (m.time[i as usize], i) < (m.time[*f as usize], *f))
            {
                *f = i;
            }
        }
        std::borrow::Cow::Owned(first)
    }

    /// Members and their first message in the space in scope (see [`Self::first_messages`]).
    pub fn member_firsts(&self) -> impl Iterator<Item = (u32, usize)> + use<> {
        let first = self.first_messages();
        let out: Vec<(u32, usize)> = first
            .iter()
            .enumerate()
            .filter(|&(p, &f)| f != NO_MESSAGE && self.roles[p].role == Role::Member)
            .map(|(p, &f)| (p as u32, f as usize))
            .collect();
        out.into_iter()
    }

    /// The moment the scope is seen from: the window's end, or one second after the last
    /// message of the snapshot when the window is open-ended.
    pub fn as_of(&self) -> i64 {
        self.as_of
    }

    /// Every interaction whose message is inside the window, in message order.
    pub fn interactions(&self) -> &[Interaction] {
        self.interactions.get_or_init(|| derive_interactions(self))
    }
}

/// Interactions of the window's messages: the reply to the parent's author, then each
/// mentioned person who is not that author (a reply that also @-mentions the person it
/// answers is one interaction, not two).
fn derive_interactions(cx: &Context<'_>) -> Vec<Interaction> {
    let m = &cx.snapshot.messages;
    let mut out = Vec::new();
    let edge = |i: usize, to: u32, kind| {
        let from = m.author[i];
        Interaction {
            message: i as u32,
            from,
            to,
            kind,
            class: InteractionClass::classify(
                (i64::from(from), cx.role(from)),
                (i64::from(to), cx.role(to)),
            ),
        }
    };
    for i in cx.in_window() {
        let p = m.parent[i];
        let answered = (p != NO_PARENT).then(|| m.author[p as usize]);
        if let Some(to) = answered {
            let kind = if m.inferred(i).is_some() {
                InteractionKind::InferredReply
            } else {
                InteractionKind::Reply
            };
            out.push(edge(i, to, kind));
        }
        for &to in m.mentions(i) {
            if Some(to) != answered {
                out.push(edge(i, to, InteractionKind::Mention));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::in_index_order;

    #[test]
    fn a_range_of_the_time_order_comes_back_in_index_order() {
        // Large ranges go through the bit set, small ones through a sort: the same order.
        let n = 1000;
        let time_order: Vec<u32> = (0..n as u32).map(|i| (i * 7919) % n as u32).collect();
        for (lo, hi) in [(0, n), (100, 900), (5, 9), (0, 0), (999, 1000)] {
            let mut expect = time_order[lo..hi].to_vec();
            expect.sort_unstable();
            assert_eq!(in_index_order(&time_order[lo..hi], n), expect, "{lo}..{hi}");
        }
    }
}
