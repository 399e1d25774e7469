//! **First response** and **brand dependence** for threads started by members.
//!
//! A *member thread* is a thread whose root message is in the window and whose author is a
//! member. An orphan reply (its declared parent is not in the store) never starts one: its
//! thread began elsewhere. Its *first response* is the earliest message anywhere in the thread (a reply or a
//! reply to a reply), not later than the window's end, whose author is neither the starter
//! nor a bot. The responder's class is that author's role (`member` or `brand`); a thread
//! with no such message is `unanswered`.
//!
//! - `median_hours_member` / `median_hours_brand`: median of (first response time − root
//!   time) in hours over threads first answered by that class (negative delays from skewed
//!   clocks count as 0). Ties in time go to the message stored first.
//! - `median_hours_any`: the same over every answered thread. These medians leave unanswered
//!   threads out; the censored survival curve is a later metric.
//! - `answered_within`: share of member threads answered within 1 h, 24 h and 7 days
//!   (denominator: all member threads, unanswered included).
//! - `brand_dependence`: of the answered member threads, the share in which every responder
//!   (every non-starter, non-bot author in the thread) is brand; `brand_only_threads` counts
//!   them.

use crate::Context;
use hearth_model::Role;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FirstResponse {
    pub member_threads: u64,
    pub first_by_member: u64,
    pub first_by_brand: u64,
    pub unanswered: u64,
    pub median_hours_member: Option<f64>,
    pub median_hours_brand: Option<f64>,
    pub median_hours_any: Option<f64>,
    pub answered_within: AnsweredWithin,
    pub brand_only_threads: u64,
    pub brand_dependence: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnsweredWithin {
    pub hour_1: Option<f64>,
    pub hours_24: Option<f64>,
    pub days_7: Option<f64>,
}

/// One member thread and its first response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadFirst {
    /// Root message index.
    pub root: u32,
    pub starter: u32,
    pub start: i64,
    /// (time, responder) of the first response; ties in time go to the message stored first.
    pub first: Option<(i64, u32)>,
    /// Index of the first response's message.
    pub first_message: Option<u32>,
    pub any_member: bool,
    pub any_brand: bool,
    /// The earliest response by a member, and by the brand (time).
    pub member_at: Option<i64>,
    pub brand_at: Option<i64>,
}

impl ThreadFirst {
    /// The thread as seen at `as_of`: the responses from then on are not known yet. A
    /// thread of the whole space seen at a window's end is that window's (when its root is
    /// in the window), as [`first_responses`] finds it.
    pub fn seen_at(&self, as_of: i64) -> ThreadFirst {
        let before = |t: Option<i64>| t.filter(|&t| t < as_of);
        let first = self.first.filter(|f| f.0 < as_of);
        let (member_at, brand_at) = (before(self.member_at), before(self.brand_at));
        ThreadFirst {
            first,
            first_message: self.first_message.filter(|_| first.is_some()),
            any_member: member_at.is_some(),
            any_brand: brand_at.is_some(),
            member_at,
            brand_at,
            ..*self
        }
    }
}

const UNSET: u32 = u32::MAX;

/// Every member thread of the scope with its first response (see the module header).
pub fn first_responses(cx: &Context<'_>) -> Vec<ThreadFirst> {
    let m = &cx.snapshot.messages;
    // thread slot by root message index
    let mut slot = vec![UNSET; m.len()];
    let mut threads: Vec<ThreadFirst> = Vec::new();
    let mut first_at: Vec<Option<(i64, usize)>> = Vec::new();
    for i in cx.in_window() {
        if cx.starts_thread(i) && cx.role(m.author[i]) == Role::Member {
            slot[i] = threads.len() as u32;
            threads.push(ThreadFirst {
                root: i as u32,
                starter: m.author[i],
                start: m.time[i],
                first: None,
                first_message: None,
                any_member: false,
                any_brand: false,
                member_at: None,
                brand_at: None,
            });
            first_at.push(None);
        }
    }
    // Responses are looked for in the scope's space (a thread stays in its space).
    for i in cx.in_space() {
        let root = cx.roots[i] as usize;
        if root == i || slot[root] == UNSET || !cx.window.not_after(m.time[i]) {
            continue;
        }
        let k = slot[root] as usize;
        let t = &mut threads[k];
        let author = m.author[i];
        if author == t.starter {
            continue;
        }
        let time = m.time[i];
        let (any, at) = match cx.role(author) {
            Role::Bot => continue,
            Role::Member => (&mut t.any_member, &mut t.member_at),
            Role::Brand => (&mut t.any_brand, &mut t.brand_at),
        };
        *any = true;
        *at = Some(at.map_or(time, |a| a.min(time)));
        let candidate = (time, i);
        if first_at[k].is_none_or(|f| candidate < f) {
            first_at[k] = Some(candidate);
        }
    }
    for (t, f) in threads.iter_mut().zip(first_at) {
        if let Some((time, i)) = f {
            t.first = Some((time, m.author[i]));
            t.first_message = Some(i as u32);
        }
    }
    threads
}

pub fn first_response(cx: &Context<'_>) -> FirstResponse {
    first_response_of(cx, &first_responses(cx))
}

/// [`first_response`] from the scope's [`first_responses`], found once for several metrics.
pub fn first_response_of(cx: &Context<'_>, threads: &[ThreadFirst]) -> FirstResponse {
    let mut out = FirstResponse {
        member_threads: threads.len() as u64,
        ..FirstResponse::default()
    };
    let (mut by_member, mut by_brand) = (Vec::new(), Vec::new());
    let mut within = [0u64; 3];
    for t in threads {
        let Some((time, responder)) = t.first else {
            out.unanswered += 1;
            continue;
        };
        let hours = (time - t.start).max(0) as f64 / 3600.0;
        for (k, limit) in [1.0, 24.0, 168.0].iter().enumerate() {
            if hours <= *limit {
                within[k] += 1;
            }
        }
        if cx.role(responder) == Role::Brand {
            out.first_by_brand += 1;
            by_brand.push(hours);
        } else {
            out.first_by_member += 1;
            by_member.push(hours);
        }
        if t.any_brand && !t.any_member {
            out.brand_only_threads += 1;
        }
    }
    let answered = out.first_by_member + out.first_by_brand;
    let mut all: Vec<f64> = by_member.iter().chain(&by_brand).copied().collect();
    out.median_hours_member = median(&mut by_member);
    out.median_hours_brand = median(&mut by_brand);
    out.median_hours_any = median(&mut all);
    let share = |n: u64| (out.member_threads > 0).then(|| n as f64 / out.member_threads as f64);
    out.answered_within = AnsweredWithin {
        hour_1: share(within[0]),
        hours_24: share(within[1]),
        days_7: share(within[2]),
    };
    out.brand_dependence = (answered > 0).then(|| out.brand_only_threads as f64 / answered as f64);
    out
}

/// The median (mean of the two middle values for an even count); `None` when empty. Leaves
/// `values` sorted: callers read a percentile from them after.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        // Callers read the values sorted afterwards (a percentile beside the median).
        let mut v = [3.0, 1.0, 2.0, 0.5];
        assert_eq!(median(&mut v), Some(1.5));
        assert_eq!(v, [0.5, 1.0, 2.0, 3.0]);
    }
}
