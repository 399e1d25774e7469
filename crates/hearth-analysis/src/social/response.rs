//! **Response rate and response time** to messages addressed to the brand.
//!
//! An item is a message by a member (not brand, not bot) in the window that replies to a
//! brand person's message or @-mentions a brand person. Its *response* is the first later
//! message by a brand person that replies to it (explicit or inferred parent), or — when
//! the item starts a thread — the first brand message anywhere in that thread, not later
//! than the as-of moment. An orphan reply (declared parent not in the store) starts no
//! thread: only direct replies answer it.
//!
//! Only messages that wait for an answer are items: with the messages' intents at hand
//! (`waits`, see [`crate::text::intent`]), a closing thanks, an announcement or praise
//! addressed to the brand is counted in `not_waiting`, not as an unanswered item.
//!
//! - `response_rate` = answered ÷ items (unanswered items count as such, never dropped);
//! - `median_hours`, `p90_hours`: over answered items (nearest-rank p90);
//! - `km_median_hours`: the Kaplan–Meier median, unanswered items censored at the as-of
//!   moment (what a customer should expect to wait, counting the ones still waiting);
//! - with `[social] business_hours` (e.g. `09:00-17:00`) and `business_days`, waits count
//!   only the seconds inside business hours in the brand's time zone (`[brand] utc_offset`).
//!
//! Example: three items, answered after 1 h and 3 h, one unanswered after 10 h: response
//! rate 2/3, median 2 h, p90 3 h; the KM median is 3 h (after 3 h the curve drops to 1/3).

use crate::Context;
use crate::metrics::survival::{Observation, kaplan_meier, km_median};
use hearth_model::{NO_PARENT, Role};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Responses {
    pub items: u64,
    /// Messages addressed to the brand whose intent waits for nothing (thanks, news, praise,
    /// answers): left out of the items.
    pub not_waiting: u64,
    pub answered: u64,
    pub unanswered: u64,
    pub response_rate: Option<f64>,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    pub km_median_hours: Option<f64>,
    pub business_hours: Option<String>,
    /// Unanswered items, newest first: (message index, hours waiting).
    pub waiting: Vec<(u32, f64)>,
}

/// Business hours: minutes after midnight [start, end) on the days in `days` (0 = Monday).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BusinessHours {
    pub offset: i64,
    pub start_min: i64,
    pub end_min: i64,
    pub days: [bool; 7],
}

impl BusinessHours {
    /// `"09:00-17:00"` and day names (`mon` … `sun`); `None` for an empty spec.
    pub fn parse(spec: &str, days: &[String], offset: i64) -> Result<Option<Self>, String> {
        let spec = spec.trim();
        if spec.is_empty() {
            return Ok(None);
        }
        let bad = || format!("business_hours {spec:?}: expected HH:MM-HH:MM");
        let (a, b) = spec.split_once('-').ok_or_else(bad)?;
        let minutes = |s: &str| -> Result<i64, String> {
            let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
            let h: i64 = h.parse().map_err(|_| bad())?;
            let m: i64 = m.parse().map_err(|_| bad())?;
            if h > 24 || m > 59 {
                return Err(bad());
            }
            Ok(h * 60 + m)
        };
        let (start_min, end_min) = (minutes(a)?, minutes(b)?);
        if end_min <= start_min {
            return Err(bad());
        }
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut set = [false; 7];
        for d in days {
            let k = names
                .iter()
                .position(|n| d.trim().to_lowercase().starts_with(n))
                .ok_or_else(|| format!("business_days: {d:?} is not a day (mon … sun)"))?;
            set[k] = true;
        }
        Ok(Some(BusinessHours {
            offset,
            start_min,
            end_min,
            days: set,
        }))
    }

    /// Seconds of business time in [a, b).
    pub fn seconds_between(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        let (la, lb) = (a + self.offset, b + self.offset);
        let mut total = 0;
        let first = la.div_euclid(86_400);
        let last = lb.div_euclid(86_400);
        for day in first..=last.min(first + 3_660) {
            let weekday = (day + 3).rem_euclid(7) as usize;
            if !self.days[weekday] {
                continue;
            }
            let open = day * 86_400 + self.start_min * 60;
            let close = day * 86_400 + self.end_min * 60;
            let s = open.max(la);
            let e = close.min(lb);
            if e > s {
                total += e - s;
            }
        }
        total
    }
}

/// Members' messages in the window addressed to the brand (a reply to a brand person, or an
/// @-mention of one): the candidate items, before intents.
pub fn addressed(cx: &Context<'_>) -> Vec<u32> {
    let m = &cx.snapshot.messages;
    let brand = |p: u32| cx.role(p) == Role::Brand;
    cx.in_window()
        .filter(|&i| cx.role(m.author[i]) == Role::Member)
        .filter(|&i| {
            let p = m.parent[i];
            (p != NO_PARENT && brand(m.author[p as usize]))
                || m.mentions(i).iter().any(|&q| brand(q))
        })
        .map(|i| i as u32)
        .collect()
}

/// The responses to the [`addressed`] messages that wait for an answer (`waits`; `None`
/// takes every one).
pub fn responses(
    cx: &Context<'_>,
    hours: Option<BusinessHours>,
    waits: Option<&dyn Fn(u32) -> bool>,
) -> Responses {
    let m = &cx.snapshot.messages;
    let all = addressed(cx);
    let mut items: Vec<usize> = all
        .iter()
        .filter(|&&i| waits.is_none_or(|w| w(i)))
        .map(|&i| i as usize)
        .collect();
    let not_waiting = (all.len() - items.len()) as u64;
    items.sort_by_key(|&i| (m.time[i], i));
    let first = first_responses_to(cx, &items);
    summarize(cx, hours, &items, &first, not_waiting)
}

/// A message addressed to the brand ([`addressed`]) with the brand's first response to it
/// at any time (a reply to it, or a brand message in the thread it starts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Addressed {
    pub message: u32,
    pub first: Option<i64>,
}

/// Every message of the scope addressed to the brand, in (time, index) order, each with its
/// first response up to the scope's end: of a whole space, what [`responses_cut`] cuts any
/// window's responses from.
pub fn addressed_all(cx: &Context<'_>) -> Vec<Addressed> {
    let m = &cx.snapshot.messages;
    let mut items: Vec<usize> = addressed(cx).into_iter().map(|i| i as usize).collect();
    items.sort_by_key(|&i| (m.time[i], i));
    let first = first_responses_to(cx, &items);
    items
        .iter()
        .zip(first)
        .map(|(&i, first)| Addressed {
            message: i as u32,
            first,
        })
        .collect()
}

/// [`responses`] of `cx`, a window of the space whose [`addressed_all`] is `whole`: the
/// window's stretch of it, each first response known only before the window's end (the
/// earliest response before the end is the earliest of all when it is before the end).
pub fn responses_cut(
    cx: &Context<'_>,
    hours: Option<BusinessHours>,
    waits: Option<&dyn Fn(u32) -> bool>,
    whole: &[Addressed],
) -> Responses {
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let at = |t: i64| whole.partition_point(|a| m.time[a.message as usize] < t);
    let start = cx.window.since.map_or(0, at);
    let end = cx.window.until.map_or(whole.len(), at).max(start);
    let all = &whole[start..end];
    let kept: Vec<&Addressed> = all
        .iter()
        .filter(|a| waits.is_none_or(|w| w(a.message)))
        .collect();
    let items: Vec<usize> = kept.iter().map(|a| a.message as usize).collect();
    let first: Vec<Option<i64>> = kept
        .iter()
        .map(|a| a.first.filter(|&t| t < as_of))
        .collect();
    summarize(cx, hours, &items, &first, (all.len() - items.len()) as u64)
}

/// The brand's first response to each of `items` (in time order) before the scope's end.
fn first_responses_to(cx: &Context<'_>, items: &[usize]) -> Vec<Option<i64>> {
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let brand = |p: u32| cx.role(p) == Role::Brand;
    let index: HashMap<usize, usize> = items.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let roots: HashMap<u32, usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| m.starts_thread(**i))
        .map(|(k, &i)| (i as u32, k))
        .collect();
    let mut first: Vec<Option<i64>> = vec![None; items.len()];
    for j in cx.in_space() {
        let t = m.time[j];
        if t >= as_of || !brand(m.author[j]) {
            continue;
        }
        let mut hit = |k: usize| {
            if t >= m.time[items[k]] && first[k].is_none_or(|f| t < f) {
                first[k] = Some(t);
            }
        };
        let p = m.parent[j];
        if p != NO_PARENT
            && let Some(&k) = index.get(&(p as usize))
        {
            hit(k);
        }
        if let Some(&k) = roots.get(&cx.roots[j])
            && items[k] != j
        {
            hit(k);
        }
    }
    first
}

/// The [`Responses`] of `items` (in time order) with their first responses.
fn summarize(
    cx: &Context<'_>,
    hours: Option<BusinessHours>,
    items: &[usize],
    first: &[Option<i64>],
    not_waiting: u64,
) -> Responses {
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let wait = |a: i64, b: i64| match hours {
        Some(h) => h.seconds_between(a, b) as f64 / 3600.0,
        None => (b - a) as f64 / 3600.0,
    };
    let mut answered: Vec<f64> = Vec::new();
    let mut km: Vec<Observation> = Vec::new();
    let mut waiting: Vec<(u32, f64)> = Vec::new();
    for (k, &i) in items.iter().enumerate() {
        match first[k] {
            Some(t) => {
                let h = wait(m.time[i], t);
                answered.push(h);
                km.push(Observation {
                    hours: h,
                    event: true,
                });
            }
            None => {
                let h = wait(m.time[i], as_of);
                km.push(Observation {
                    hours: h,
                    event: false,
                });
                waiting.push((i as u32, h));
            }
        }
    }
    waiting.reverse();
    let n = items.len() as u64;
    let a = answered.len() as u64;
    let median = crate::metrics::first_response::median(&mut answered);
    let p90 = (!answered.is_empty()).then(|| {
        let rank = ((0.9 * answered.len() as f64).ceil() as usize).max(1);
        answered[rank - 1]
    });
    Responses {
        items: n,
        not_waiting,
        answered: a,
        unanswered: n - a,
        response_rate: (n > 0).then(|| a as f64 / n as f64),
        median_hours: median,
        p90_hours: p90,
        km_median_hours: km_median(&kaplan_meier(&km)),
        business_hours: hours.map(|h| {
            format!(
                "{:02}:{:02}-{:02}:{:02}",
                h.start_min / 60,
                h.start_min % 60,
                h.end_min / 60,
                h.end_min % 60
            )
        }),
        waiting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_seconds() {
        let h = BusinessHours::parse(
            "09:00-17:00",
            &[
                "mon".into(),
                "tue".into(),
                "wed".into(),
                "thu".into(),
                "fri".into(),
            ],
            0,
        )
        .expect("parses")
        .expect("set");
        let fri_16 = 1_704_412_800 + 16 * 3600; // 2024-01-05 (Friday) 16:00 UTC
        let mon_10 = fri_16 + 3 * 86_400 - 6 * 3600; // Monday 10:00
        // One hour on Friday, one on Monday; the weekend does not count.
        assert_eq!(h.seconds_between(fri_16, mon_10), 2 * 3600);
        assert_eq!(h.seconds_between(mon_10, fri_16), 0);
        assert!(BusinessHours::parse("17:00-09:00", &[], 0).is_err());
        assert!(BusinessHours::parse("9-5", &[], 0).is_err());
        assert_eq!(BusinessHours::parse("", &[], 0), Ok(None));
    }
}
