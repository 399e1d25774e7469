//! What every metric needs, computed once per report: roles, thread roots, the window.

use crate::{RoleDecision, Window, decide_roles, thread_roots};
use hearth_model::{Config, InteractionClass, NO_PARENT, Role, Snapshot};

/// A snapshot prepared for metrics.
#[derive(Debug)]
pub struct Context<'s> {
    pub snapshot: &'s Snapshot,
    pub window: Window,
    /// Role of each person (by snapshot person index).
    pub roles: Vec<RoleDecision>,
    /// Root message of each message's thread.
    pub roots: Vec<u32>,
}

impl<'s> Context<'s> {
    pub fn new(snapshot: &'s Snapshot, config: &Config, window: Window) -> Self {
        Context {
            snapshot,
            window,
            roles: decide_roles(&snapshot.persons, &config.roles),
            roots: thread_roots(&snapshot.messages.parent),
        }
    }

    pub fn role(&self, person: u32) -> Role {
        self.roles[person as usize].role
    }

    /// Indices of the messages inside the window.
    pub fn in_window(&self) -> impl Iterator<Item = usize> + '_ {
        let w = self.window;
        self.snapshot
            .messages
            .time
            .iter()
            .enumerate()
            .filter(move |(_, t)| w.contains(**t))
            .map(|(i, _)| i)
    }

    /// Every interaction whose message is inside the window: (author, addressee, class).
    /// Today the only interactions are explicit replies (message → its parent's author).
    pub fn interactions(&self) -> impl Iterator<Item = (u32, u32, InteractionClass)> + '_ {
        let m = &self.snapshot.messages;
        self.in_window().filter_map(move |i| {
            let p = m.parent[i];
            (p != NO_PARENT).then(|| {
                let (from, to) = (m.author[i], m.author[p as usize]);
                let class = InteractionClass::classify(
                    (i64::from(from), self.role(from)),
                    (i64::from(to), self.role(to)),
                );
                (from, to, class)
            })
        })
    }
}
