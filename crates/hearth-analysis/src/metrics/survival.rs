//! **Time to first response as a survival curve** (Kaplan–Meier), unanswered threads
//! censored instead of dropped.
//!
//! The threads are the member threads of [`first_response`](super::first_response): a root
//! message in the window by a member. A thread's *time* is hours from its root to its first
//! response by someone else (not a bot); a thread without one is *censored* at the hours
//! from its root to the scope's as-of moment (the window's end, else the last message).
//!
//! - `S(t)` = Π over response times `t_i ≤ t` of `(1 − d_i / n_i)`, with `d_i` threads
//!   answered at `t_i` and `n_i` threads still waiting just before `t_i` (Kaplan–Meier).
//! - `median_hours`: the smallest `t` with `S(t) ≤ 0.5`; `None` when fewer than half are
//!   ever answered (the honest answer: "the median thread is never answered" is possible).
//! - `answered_within`: `1 − S(t)` at 1 h, 24 h and 7 days.
//! - by responder class (`member`, `brand`): the cause-specific curve, where a thread first
//!   answered by the other class is censored at that moment.
//! - `curve`: the points `(hours, S)` where `S` drops (at most 200, evenly thinned).
//!
//! Unlike `first_response.median_hours_any` (a median over answered threads only), this
//! counts the waiting of threads nobody answered.

use super::first_response::{ThreadFirst, first_responses};
use crate::Context;
use hearth_model::Role;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Survival {
    pub threads: u64,
    pub answered: u64,
    pub censored: u64,
    pub median_hours: Option<f64>,
    pub median_hours_member: Option<f64>,
    pub median_hours_brand: Option<f64>,
    pub answered_within_1h: Option<f64>,
    pub answered_within_24h: Option<f64>,
    pub answered_within_7d: Option<f64>,
    pub curve: Vec<(f64, f64)>,
}

/// One thread's observation: hours, and whether a response ended it (else censored).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub hours: f64,
    pub event: bool,
}

/// The Kaplan–Meier steps `(t, S(t))` at each event time.
pub fn kaplan_meier(obs: &[Observation]) -> Vec<(f64, f64)> {
    let mut sorted: Vec<(f64, bool)> = obs.iter().map(|o| (o.hours, o.event)).collect();
    sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    kaplan_meier_sorted(&sorted, |&event| event)
}

/// [`kaplan_meier`] of observations sorted by time, `event` telling which end in the event.
/// All observations at one time are one step (events and censored leave together), so their
/// order among themselves does not matter, and one sort serves several kinds of event.
fn kaplan_meier_sorted<T>(sorted: &[(f64, T)], event: impl Fn(&T) -> bool) -> Vec<(f64, f64)> {
    let mut at_risk = sorted.len() as f64;
    let mut s = 1.0;
    let mut steps = Vec::new();
    for group in sorted.chunk_by(|a, b| a.0 == b.0) {
        let events = group.iter().filter(|o| event(&o.1)).count() as f64;
        if events > 0.0 {
            s *= 1.0 - events / at_risk;
            steps.push((group[0].0, s));
        }
        at_risk -= group.len() as f64;
    }
    steps
}

/// `S(t)` from the steps.
pub fn survival_at(steps: &[(f64, f64)], t: f64) -> f64 {
    steps
        .iter()
        .take_while(|(time, _)| *time <= t)
        .last()
        .map_or(1.0, |(_, s)| *s)
}

/// The smallest time with `S ≤ 0.5`.
pub fn km_median(steps: &[(f64, f64)]) -> Option<f64> {
    steps.iter().find(|(_, s)| *s <= 0.5).map(|(t, _)| *t)
}

pub fn survival(cx: &Context<'_>) -> Survival {
    survival_of(cx, &first_responses(cx))
}

/// [`survival`] from the scope's [`first_responses`], found once for several metrics.
pub fn survival_of(cx: &Context<'_>, threads: &[ThreadFirst]) -> Survival {
    let as_of = cx.as_of();
    // Each thread's hours to its first response (or to the as-of moment, censored) and the
    // responder's role, sorted once for the three curves.
    let mut sorted: Vec<(f64, Option<Role>)> = threads
        .iter()
        .map(|t| match t.first {
            Some((time, responder)) => (
                (time - t.start).max(0) as f64 / 3600.0,
                Some(cx.role(responder)),
            ),
            None => ((as_of - t.start).max(0) as f64 / 3600.0, None),
        })
        .collect();
    sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let steps = kaplan_meier_sorted(&sorted, Option::is_some);
    let answered = sorted.iter().filter(|o| o.1.is_some()).count() as u64;
    let within = |h: f64| (!sorted.is_empty()).then(|| 1.0 - survival_at(&steps, h));
    let stride = steps.len().div_ceil(200).max(1);
    Survival {
        threads: sorted.len() as u64,
        answered,
        censored: sorted.len() as u64 - answered,
        median_hours: km_median(&steps),
        median_hours_member: km_median(&kaplan_meier_sorted(&sorted, |r| *r == Some(Role::Member))),
        median_hours_brand: km_median(&kaplan_meier_sorted(&sorted, |r| *r == Some(Role::Brand))),
        answered_within_1h: within(1.0),
        answered_within_24h: within(24.0),
        answered_within_7d: within(168.0),
        curve: steps
            .iter()
            .enumerate()
            .filter(|(k, _)| k % stride == 0 || *k + 1 == steps.len())
            .map(|(_, p)| *p)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(hours: f64, event: bool) -> Observation {
        Observation { hours, event }
    }

    /// The textbook example: times 1, 2+, 3, 3, 4+, 5 (+ censored).
    #[test]
    fn kaplan_meier_by_hand() {
        let steps = kaplan_meier(&[
            o(1.0, true),
            o(2.0, false),
            o(3.0, true),
            o(3.0, true),
            o(4.0, false),
            o(5.0, true),
        ]);
        // S(1) = 5/6; S(3) = 5/6 × (1 − 2/4) = 5/12; S(5) = 5/12 × (1 − 1/1) = 0.
        assert_eq!(steps.len(), 3);
        assert!((steps[0].1 - 5.0 / 6.0).abs() < 1e-12);
        assert!((steps[1].1 - 5.0 / 12.0).abs() < 1e-12);
        assert_eq!(steps[2].1, 0.0);
        assert_eq!(km_median(&steps), Some(3.0));
        assert!((survival_at(&steps, 2.5) - 5.0 / 6.0).abs() < 1e-12);
        // Mostly censored: no median.
        assert_eq!(
            km_median(&kaplan_meier(&[o(1.0, true), o(2.0, false), o(3.0, false)])),
            None
        );
    }
}
