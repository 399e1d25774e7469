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
}

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
        Prepared {
            roles: decide_roles(&snapshot.persons, &config.roles),
            roots: thread_roots(&snapshot.messages.parent, &snapshot.messages.orphan),
            by_space,
            by_time,
        }
    }
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
    /// The messages of the space in scope, at any time (`None`: every message).
    space_messages: Option<&'s [u32]>,
    /// The messages in scope: in the window, and in the space if one.
    scope: Vec<u32>,
    interactions: Vec<Interaction>,
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
        let scope = match space_messages {
            Some(list) => list
                .iter()
                .copied()
                .filter(|&i| window.contains(time[i as usize]))
                .collect(),
            None => {
                // The window's messages are a range of the time order; kept in index order.
                let by_time = &prepared.by_time;
                let lo = window
                    .since
                    .map_or(0, |s| by_time.partition_point(|&i| time[i as usize] < s));
                let hi = window.until.map_or(by_time.len(), |u| {
                    by_time.partition_point(|&i| time[i as usize] < u)
                });
                let mut scope = by_time[lo..hi.max(lo)].to_vec();
                scope.sort_unstable();
                scope
            }
        };
        let as_of = window.until.unwrap_or_else(|| {
            snapshot
                .messages
                .time
                .iter()
                .copied()
                .max()
                .map_or(0, |t| t + 1)
        });
        let mut cx = Context {
            snapshot,
            window,
            space,
            roots: &prepared.roots,
            roles: &prepared.roles,
            space_messages,
            scope,
            interactions: Vec::new(),
            as_of,
        };
        cx.interactions = derive_interactions(&cx);
        cx
    }

    /// Whether message `i` starts a thread: it is its thread's root and not an orphan reply
    /// (whose thread started outside the snapshot).
    pub fn starts_thread(&self, i: usize) -> bool {
        self.roots[i] as usize == i && !self.snapshot.messages.is_orphan(i)
    }

    pub fn role(&self, person: u32) -> Role {
        self.roles[person as usize].role
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

    /// The moment the scope is seen from: the window's end, or one second after the last
    /// message of the snapshot when the window is open-ended.
    pub fn as_of(&self) -> i64 {
        self.as_of
    }

    /// Every interaction whose message is inside the window, in message order.
    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
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
