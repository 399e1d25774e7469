//! **Best time to post**, and how format and length perform.
//!
//! Each post with impressions gets its engagement rate by impressions (engagements ÷
//! impressions, see `posts.rs`). Posts are grouped by weekday × hour of their time in the
//! brand's time zone (`[brand] utc_offset`, a fixed offset), by format (as the export names
//! it), and by length of text (`LENGTHS`: under 80, 80–159, 160–279, 280 characters and
//! more). Each group reports its posts (the sample size) and the **median** rate (robust to
//! one viral post). A group with fewer than `[social] min_posts_per_slot` (5) posts is shown
//! but never recommended; with fewer than `MIN_POSTS` (30) posts in all there is no
//! recommendation at all. The recommendation is the group with the highest median among
//! those with enough posts, stated with its sample size and the overall median beside it.
//! Accounts whose every post is at exactly 00:00 UTC come from a date-only export (LinkedIn)
//! and are left out of the weekday × hour grid.

use super::posts::{Post, engagements};
use serde::Serialize;
use std::collections::BTreeMap;

/// Fewest posts in all for a recommendation.
pub const MIN_POSTS: usize = 30;
/// Length buckets: (label, first length not in the bucket).
pub const LENGTHS: &[(&str, usize)] = &[
    ("under 80", 80),
    ("80-159", 160),
    ("160-279", 280),
    ("280 and more", usize::MAX),
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub label: String,
    pub posts: usize,
    pub median_rate: f64,
    /// Enough posts to compare.
    pub comparable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BestTime {
    pub posts: usize,
    pub median_rate: Option<f64>,
    /// Weekday × hour cells with posts, by weekday then hour.
    pub slots: Vec<Group>,
    pub weekdays: Vec<Group>,
    pub hours: Vec<Group>,
    pub formats: Vec<Group>,
    pub lengths: Vec<Group>,
    /// The best comparable weekday × hour slot, weekday and hour (`None`: too few posts).
    pub best_slot: Option<Group>,
    pub best_weekday: Option<Group>,
    pub best_hour: Option<Group>,
    pub best_format: Option<Group>,
    pub best_length: Option<Group>,
    /// Why there is no recommendation, when there is none.
    pub note: Option<String>,
}

/// Parses `+10:00`, `-05:30`, `+0100`, `Z`/empty (UTC) into seconds east of UTC.
pub fn parse_offset(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || s == "Z" || s.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits[..2].parse().ok()?;
    let m: i64 = digits[2..].parse().ok()?;
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// (weekday 0 = Monday, hour) of a time at an offset.
pub fn weekday_hour(t: i64, offset: i64) -> (usize, usize) {
    let local = t + offset;
    let day = local.div_euclid(86_400);
    let weekday = (day + 3).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
    let hour = (local.rem_euclid(86_400) / 3600) as usize;
    (weekday, hour)
}

/// (weekday, hour) of a slot label such as `Tue 14:00`.
pub fn slot_of(label: &str) -> Option<(usize, usize)> {
    let (day, hour) = label.split_once(' ')?;
    let weekday = DAYS.iter().position(|d| *d == day)?;
    let hour: usize = hour.strip_suffix(":00")?.parse().ok()?;
    (hour < 24).then_some((weekday, hour))
}

/// The first time after `after` (UTC seconds) when `weekday` × `hour` starts at `offset`.
pub fn next_slot(after: i64, offset: i64, weekday: usize, hour: usize) -> i64 {
    let local = after + offset;
    let day = local.div_euclid(86_400);
    let today = (day + 3).rem_euclid(7) as usize;
    let ahead = (weekday + 7 - today) % 7;
    let mut start = (day + ahead as i64) * 86_400 + hour as i64 * 3600;
    if start <= local {
        start += 7 * 86_400;
    }
    start - offset
}

/// The median of a non-empty group.
fn median(v: &mut [f64]) -> f64 {
    crate::metrics::first_response::median(v).unwrap_or(0.0)
}

fn groups<K: Ord>(items: &[(K, f64)], label: impl Fn(&K) -> String, min: usize) -> Vec<Group> {
    let mut by: BTreeMap<&K, Vec<f64>> = BTreeMap::new();
    for (k, r) in items {
        by.entry(k).or_default().push(*r);
    }
    by.into_iter()
        .map(|(k, mut rates)| Group {
            label: label(k),
            posts: rates.len(),
            median_rate: median(&mut rates),
            comparable: rates.len() >= min,
        })
        .collect()
}

fn best(list: &[Group], enough: bool) -> Option<Group> {
    if !enough {
        return None;
    }
    list.iter()
        .filter(|g| g.comparable)
        .max_by(|a, b| {
            a.median_rate
                .total_cmp(&b.median_rate)
                .then(b.label.cmp(&a.label))
        })
        .cloned()
}

pub fn best_time(posts: &[Post<'_>], offset: i64, min_per_slot: usize) -> BestTime {
    let rated: Vec<(&Post<'_>, f64)> = posts
        .iter()
        .filter_map(|p| {
            let e = engagements(p.metrics)?;
            let i = p.metrics.impressions.filter(|i| *i > 0.0)?;
            Some((p, e / i))
        })
        .collect();
    // An account whose every post is at 00:00 UTC comes from a date-only export.
    let mut dated: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for p in posts {
        let e = dated.entry(p.account).or_insert(true);
        *e &= p.time.rem_euclid(86_400) == 0;
    }
    let timed: Vec<&(&Post<'_>, f64)> = rated
        .iter()
        .filter(|(p, _)| !dated.get(p.account).copied().unwrap_or(false))
        .collect();
    let slots = groups(
        &timed
            .iter()
            .map(|(p, r)| (weekday_hour(p.time, offset), *r))
            .collect::<Vec<_>>(),
        |(d, h)| format!("{} {h:02}:00", DAYS[*d]),
        min_per_slot,
    );
    let weekdays = groups(
        &timed
            .iter()
            .map(|(p, r)| (weekday_hour(p.time, offset).0, *r))
            .collect::<Vec<_>>(),
        |d| DAYS[*d].to_owned(),
        min_per_slot,
    );
    let hours = groups(
        &timed
            .iter()
            .map(|(p, r)| (weekday_hour(p.time, offset).1, *r))
            .collect::<Vec<_>>(),
        |h| format!("{h:02}:00"),
        min_per_slot,
    );
    let formats = groups(
        &rated
            .iter()
            .filter_map(|(p, r)| p.metrics.format.clone().map(|f| (f, *r)))
            .collect::<Vec<_>>(),
        Clone::clone,
        min_per_slot,
    );
    let lengths = groups(
        &rated
            .iter()
            .map(|(p, r)| {
                let n = p.text.chars().count();
                (
                    LENGTHS.iter().position(|(_, end)| n < *end).unwrap_or(0),
                    *r,
                )
            })
            .collect::<Vec<_>>(),
        |k| LENGTHS[*k].0.to_owned(),
        min_per_slot,
    );
    let enough = rated.len() >= MIN_POSTS;
    let mut all: Vec<f64> = rated.iter().map(|(_, r)| *r).collect();
    BestTime {
        posts: rated.len(),
        median_rate: (!all.is_empty()).then(|| median(&mut all)),
        best_slot: best(&slots, enough),
        best_weekday: best(&weekdays, enough),
        best_hour: best(&hours, enough),
        best_format: best(&formats, enough),
        best_length: best(&lengths, enough),
        note: (!enough).then(|| {
            format!(
                "{} posts with impressions: at least {MIN_POSTS} are needed before Hearth recommends a time",
                rated.len()
            )
        }),
        slots,
        weekdays,
        hours,
        formats,
        lengths,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_model::PostMetrics;

    #[test]
    fn the_next_slot_is_the_next_start_of_that_weekday_and_hour() {
        assert_eq!(slot_of("Tue 14:00"), Some((1, 14)));
        assert_eq!(slot_of("Xyz 14:00"), None);
        // 2021-04-30 09:32 UTC, a Friday. Next Friday 09:00 at UTC is a week on less 32 min.
        let t = 1_619_775_120;
        assert_eq!(next_slot(t, 0, 4, 9), t - 32 * 60 + 7 * 86_400);
        // Friday 10:00 UTC is the same day; Saturday 00:00 at +10:00 is Friday 14:00 UTC.
        assert_eq!(next_slot(t, 0, 4, 10), t + 28 * 60);
        assert_eq!(
            next_slot(t, 36_000, 5, 0),
            t - 9 * 3600 - 32 * 60 + 5 * 3600 + 9 * 3600
        );
        for (d, h) in [(0, 0), (3, 23), (6, 12)] {
            let n = next_slot(t, -19_800, d, h);
            assert!(n > t && n <= t + 7 * 86_400);
            assert_eq!(weekday_hour(n, -19_800), (d, h));
        }
    }

    #[test]
    fn offsets_and_weekdays() {
        assert_eq!(parse_offset("+10:00"), Some(36_000));
        assert_eq!(parse_offset("-0530"), Some(-19_800));
        assert_eq!(parse_offset(""), Some(0));
        assert_eq!(parse_offset("10"), None);
        assert_eq!(parse_offset("+25:00"), None);
        // 2021-04-30 09:32 UTC was a Friday; at +10:00 it is 19:32 the same Friday.
        assert_eq!(weekday_hour(1_619_775_120, 0), (4, 9));
        assert_eq!(weekday_hour(1_619_775_120, 36_000), (4, 19));
        // … and at −10:00, 23:32 on Thursday.
        assert_eq!(weekday_hour(1_619_775_120, -36_000), (3, 23));
    }

    /// 40 posts: 20 on Mondays at 09:00 (rate 2 %), 20 on Fridays at 17:00 (rate 4 %,
    /// with one of 1 % — the median stays 4 %).
    #[test]
    fn the_best_slot_by_median_with_sample_sizes() {
        let monday_9 = 1_704_099_600; // 2024-01-01 09:00 UTC, a Monday
        let friday_17 = monday_9 + 4 * 86_400 + 8 * 3600;
        let mut ms = Vec::new();
        for k in 0..20 {
            ms.push((monday_9 + k * 7 * 86_400, 20.0));
            ms.push((friday_17 + k * 7 * 86_400, if k == 0 { 10.0 } else { 40.0 }));
        }
        let metrics: Vec<PostMetrics> = ms
            .iter()
            .map(|(_, e)| PostMetrics {
                impressions: Some(1_000.0),
                reactions: Some(*e),
                ..PostMetrics::default()
            })
            .collect();
        let posts: Vec<Post<'_>> = ms
            .iter()
            .zip(&metrics)
            .map(|((t, _), m)| Post {
                time: *t,
                account: "a",
                text: "short",
                metrics: m,
            })
            .collect();
        let b = best_time(&posts, 0, 5);
        let slot = b.best_slot.expect("enough posts");
        assert_eq!(slot.label, "Fri 17:00");
        assert_eq!(slot.posts, 20);
        assert_eq!(slot.median_rate, 0.04);
        assert_eq!(b.best_weekday.map(|g| g.label), Some("Fri".to_owned()));
        assert_eq!(b.median_rate, Some(0.02));
        // Ten posts are too few for any recommendation.
        let few = best_time(&posts[..10], 0, 5);
        assert!(few.best_slot.is_none());
        assert!(few.note.expect("why").contains("at least 30"));
    }
}
