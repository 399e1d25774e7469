//! **Counts**: messages, threads and people in the window.
//!
//! - `messages`: messages whose time is in the window.
//! - `threads`: distinct thread roots among those messages (a thread started before the
//!   window but answered inside it counts). Orphan replies of one missing parent are one
//!   thread.
//! - `orphan_replies`: messages whose declared parent (`In-Reply-To`/`References`, a thread
//!   parent) is not in the store. They stay in their thread and in people's activity, but
//!   never start a thread: not for first response, survival, newcomers, brand dependence,
//!   the unanswered queues or routing.
//! - `people`: distinct authors of those messages, split by role into `members`, `brand`,
//!   `bots`.

use crate::Context;
use hearth_model::Role;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub messages: u64,
    pub threads: u64,
    pub orphan_replies: u64,
    pub people: u64,
    pub members: u64,
    pub brand: u64,
    pub bots: u64,
}

pub fn counts(cx: &Context<'_>) -> Counts {
    let m = &cx.snapshot.messages;
    let mut seen_root = vec![false; m.len()];
    let mut seen_person = vec![false; cx.snapshot.persons.len()];
    let mut c = Counts::default();
    for i in cx.in_window() {
        c.messages += 1;
        c.orphan_replies += u64::from(m.is_orphan(i));
        let r = cx.roots[i] as usize;
        if !seen_root[r] {
            seen_root[r] = true;
            c.threads += 1;
        }
        let a = m.author[i];
        if !seen_person[a as usize] {
            seen_person[a as usize] = true;
            c.people += 1;
            match cx.role(a) {
                Role::Member => c.members += 1,
                Role::Brand => c.brand += 1,
                Role::Bot => c.bots += 1,
            }
        }
    }
    c
}
