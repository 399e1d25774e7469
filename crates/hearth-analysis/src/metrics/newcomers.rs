//! **Newcomers**: a member's first message — was it answered, by whom, how fast, and did
//! they come back?
//!
//! A *newcomer* is a member whose first message in the scope's space (at any time) is in the
//! window. Their first message is *answered* by the earliest message of someone else (not a
//! bot) that replies to it (explicit or inferred parent) or, when the first message starts a
//! thread, by the earliest such message anywhere in that thread — not later than the
//! window's end. They *came back* when they wrote again within `RETURN_DAYS` (30) days
//! after their first message (any later message in the space, before the as-of moment).
//!
//! - `newcomers`, `answered`, `answered_by_member`, `answered_by_brand`, `unanswered`.
//! - `answer_unknown`: newcomers whose first message is an orphan reply (it answers a message
//!   that is not in the store) and that nobody here replied to. Their thread began outside
//!   the store, so whether they were answered is not known: they are neither answered nor
//!   unanswered, not waiting, and only in the overall `came_back_rate`.
//! - `median_hours_to_answer`: over answered newcomers.
//! - `came_back`: newcomers who came back; `came_back_rate` = came_back ÷ newcomers.
//! - `came_back_rate_answered_by_member`, `…_by_brand`, `…_unanswered`: the same rate within
//!   each group — whether being answered by a member rather than the brand goes with coming
//!   back more. A newcomer whose 30 days are not over at the as-of moment is left out of the
//!   rates (`still_in_return_window` counts them), so recent newcomers do not look lost.
//! - `waiting`: the newcomers still unanswered, newest first (for the work queue).

use super::first_response::median;
use crate::Context;
use hearth_model::{NO_PARENT, Role};
use serde::Serialize;
use std::collections::HashMap;

/// Days after the first message in which a newcomer "comes back".
pub const RETURN_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Newcomers {
    pub newcomers: u64,
    pub answered: u64,
    pub answered_by_member: u64,
    pub answered_by_brand: u64,
    pub unanswered: u64,
    pub answer_unknown: u64,
    pub median_hours_to_answer: Option<f64>,
    pub came_back: u64,
    pub still_in_return_window: u64,
    pub came_back_rate: Option<f64>,
    pub came_back_rate_answered_by_member: Option<f64>,
    pub came_back_rate_answered_by_brand: Option<f64>,
    pub came_back_rate_unanswered: Option<f64>,
    pub waiting: Vec<Waiting>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub person: u32,
    pub message: u32,
    pub time: i64,
}

/// One newcomer, for drill-down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Newcomer {
    pub person: u32,
    pub first_message: u32,
    pub time: i64,
    /// (time, responder, message) of the first answer.
    pub answer: Option<(i64, u32, u32)>,
    /// When they first wrote again within `RETURN_DAYS` of their first message.
    pub returned: Option<i64>,
    /// `Some(true)` came back, `Some(false)` did not, `None` 30 days not over yet.
    pub came_back: Option<bool>,
    /// The first message is an orphan reply (it answers a message that is not in the store).
    pub orphan_first: bool,
}

impl Newcomer {
    /// Still waiting for an answer: nobody answered, and the first message started something
    /// (an orphan reply nobody answered is `answer_unknown`, not waiting).
    pub fn is_waiting(&self) -> bool {
        self.answer.is_none() && !self.orphan_first
    }

    /// This newcomer seen from another as-of moment: one no later than the moment it was
    /// found at (an answer or a return from then on is left out), or any moment when it was
    /// found after the last message (nothing more to leave out; only whether their days are
    /// over changes). A newcomer's entry depends on the space and the as-of moment only, so
    /// the list of the whole space, filtered and seen from a window's end, is that window's.
    pub fn seen_at(&self, as_of: i64) -> Newcomer {
        let returned = self.returned.filter(|&t| t < as_of);
        Newcomer {
            answer: self.answer.filter(|a| a.0 < as_of),
            returned,
            came_back: came_back(self.time, returned, as_of),
            ..*self
        }
    }
}

/// Came back (they wrote again within `RETURN_DAYS`), did not (the days are over at the
/// as-of moment), or not known yet.
fn came_back(first: i64, returned: Option<i64>, as_of: i64) -> Option<bool> {
    if returned.is_some() {
        Some(true)
    } else if first + RETURN_DAYS * 86_400 < as_of {
        Some(false)
    } else {
        None
    }
}

pub fn newcomer_list(cx: &Context<'_>) -> Vec<Newcomer> {
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    // First message of each member in the space (time, then storage order).
    let mut list: Vec<Newcomer> = cx
        .member_firsts()
        .map(|(person, i)| (person, (m.time[i], i)))
        .filter(|(_, (t, _))| cx.window.contains(*t))
        .map(|(person, (time, i))| Newcomer {
            person,
            first_message: i as u32,
            time,
            answer: None,
            returned: None,
            came_back: None,
            orphan_first: m.is_orphan(i),
        })
        .collect();
    list.sort_by_key(|n| (n.time, n.first_message));
    let by_message: HashMap<u32, usize> = list
        .iter()
        .enumerate()
        .map(|(k, n)| (n.first_message, k))
        .collect();
    let by_person: HashMap<u32, usize> = list
        .iter()
        .enumerate()
        .map(|(k, n)| (n.person, k))
        .collect();
    for i in cx.in_space() {
        let t = m.time[i];
        let a = m.author[i];
        if let Some(&k) = by_person.get(&a) {
            let n = &mut list[k];
            if i as u32 != n.first_message
                && t >= n.time
                && t <= n.time + RETURN_DAYS * 86_400
                && t < as_of
                && n.returned.is_none_or(|r| t < r)
            {
                n.returned = Some(t);
            }
        }
        if !cx.window.not_after(t) || cx.role(a) == Role::Bot {
            continue;
        }
        // Which newcomer's first message does message i answer, if any?
        let parent = m.parent[i];
        let target = if parent != NO_PARENT && by_message.contains_key(&parent) {
            Some(parent)
        } else {
            let root = cx.roots[i];
            (root as usize != i
                && cx.starts_thread(root as usize)
                && by_message.contains_key(&root))
            .then_some(root)
        };
        let Some(target) = target else { continue };
        let k = by_message[&target];
        let n = &mut list[k];
        if a == n.person || t < n.time {
            continue;
        }
        if n.answer.is_none_or(|(bt, _, bi)| (t, i as u32) < (bt, bi)) {
            n.answer = Some((t, a, i as u32));
        }
    }
    for n in &mut list {
        n.came_back = came_back(n.time, n.returned, as_of);
    }
    list
}

pub fn newcomers(cx: &Context<'_>) -> Newcomers {
    newcomers_of(cx, &newcomer_list(cx))
}

/// The newcomer metric of a list [`newcomer_list`] gave for this context.
///
/// A newcomer's entry depends on the space and the window's end only: the list of a window
/// without a start, filtered by the window, is the list of every window of that space and end.
pub fn newcomers_of(cx: &Context<'_>, list: &[Newcomer]) -> Newcomers {
    let mut out = Newcomers {
        newcomers: list.len() as u64,
        ..Newcomers::default()
    };
    let mut hours = Vec::new();
    // (came back, decided) per group: member, brand, unanswered
    let mut groups = [(0u64, 0u64); 3];
    let mut all = (0u64, 0u64);
    for n in list {
        let group = match n.answer {
            Some((t, who, _)) => {
                out.answered += 1;
                hours.push((t - n.time).max(0) as f64 / 3600.0);
                if cx.role(who) == Role::Brand {
                    out.answered_by_brand += 1;
                    1
                } else {
                    out.answered_by_member += 1;
                    0
                }
            }
            // A first message that continues a thread begun outside the store, and that no
            // one here replied to: whether it was answered is not known.
            None if n.orphan_first => {
                out.answer_unknown += 1;
                3
            }
            None => {
                out.unanswered += 1;
                out.waiting.push(Waiting {
                    person: n.person,
                    message: n.first_message,
                    time: n.time,
                });
                2
            }
        };
        match n.came_back {
            Some(b) => {
                if let Some(g) = groups.get_mut(group) {
                    g.1 += 1;
                }
                all.1 += 1;
                if b {
                    if let Some(g) = groups.get_mut(group) {
                        g.0 += 1;
                    }
                    all.0 += 1;
                    out.came_back += 1;
                }
            }
            None => out.still_in_return_window += 1,
        }
    }
    out.waiting.reverse();
    out.median_hours_to_answer = median(&mut hours);
    let rate = |(a, b): (u64, u64)| (b > 0).then(|| a as f64 / b as f64);
    out.came_back_rate = rate(all);
    out.came_back_rate_answered_by_member = rate(groups[0]);
    out.came_back_rate_answered_by_brand = rate(groups[1]);
    out.came_back_rate_unanswered = rate(groups[2]);
    out
}
