//! **Alerts**: days when mention volume, or the negative share of mentions, jumps far above
//! what is usual for that weekday — told apart as a *volume notice* or a *crisis*.
//!
//! The stream is a daily count (UTC days): the brand's mentions, or — for a community
//! without `[brand] names` — the members' messages. For each day with at least
//! `MIN_HISTORY_WEEKS` (4) weeks of history, the **baseline** is the same weekday in the
//! previous `BASELINE_WEEKS` (8) weeks (the weekly pattern: Mondays are compared with
//! Mondays). With baseline median `m` and median absolute deviation `MAD`:
//!
//! - **volume**: robust z = (x − m) ÷ max(1.4826 · MAD, √max(m, 1)). The floor √m is the
//!   Poisson noise of a count of mean m, so a quiet stream (MAD 0) does not alert on 3
//!   messages instead of 1. Alert when z ≥ `Z` (4) and x ≥ `MIN_COUNT` (5).
//! - **negative share**: with the baseline's pooled negative share p₀ (floored at 2 %),
//!   z = (p − p₀) ÷ √(p₀(1 − p₀) ÷ x). Alert when z ≥ `Z`, at least `MIN_NEGATIVE` (3)
//!   negative messages, and p ≥ 2 p₀.
//! - **cooldown**: after an alert of a kind, none of the same kind for `COOLDOWN_DAYS` (3)
//!   days (one crisis is one alert, not three).
//!
//! **Notice or crisis.** A volume jump is a **volume notice**: many messages on one topic (on
//! a technical list, nearly always a burst of one problem or one release), worth a look, not
//! an emergency. A **crisis** is a negative-share alert on the stream of the brand's
//! mentions (`[brand] names`) whose negative messages come from at least
//! `MIN_CRISIS_PEOPLE` (3) people: more people than usual speak badly of the brand. A
//! negative-share jump of the members' messages (no brand named) or of one or two people is a
//! notice too. The crisis queue and the report's red marks take crises only.
//!
//! Each alert carries the day, the count, the baseline, z, and what explains it: example
//! messages (most negative first for a negative-share alert, else the day's first) and the
//! words most over-represented that day against the baseline days: for a word in n of the
//! day's N messages and b of the baseline's B messages, n · ln((n ÷ N) ÷ ((b + 1) ÷ (B + 2)))
//! (at least 2 messages). A message's words are its theme terms (`text::themes`: 4 to 20
//! letters, no stop words, links or addresses), stored per message at ingest.

use crate::text::sentiment::Fnv;
use serde::Serialize;
use std::collections::HashMap;

pub const BASELINE_WEEKS: usize = 8;
pub const MIN_HISTORY_WEEKS: usize = 4;
pub const Z: f64 = 4.0;
pub const MIN_COUNT: u64 = 5;
pub const MIN_NEGATIVE: u64 = 3;
pub const COOLDOWN_DAYS: i64 = 3;
pub const MIN_CRISIS_PEOPLE: u64 = 3;

/// One day of the stream.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Day {
    pub count: u64,
    pub negative: u64,
    /// Distinct authors of the day's negative messages.
    pub negative_people: u64,
    /// The day's messages (snapshot indices) with their sentiment compound, for examples.
    pub messages: Vec<(u32, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Volume,
    NegativeShare,
}

/// What an alert means for the team (see the module header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Many messages, or a sour day, on one topic: worth a look.
    Notice,
    /// The negative share of the brand's mentions rising, from several people.
    Crisis,
}

/// The daily stream watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watched {
    /// Mentions of the brand (`[brand] names`): crises are possible.
    Mentions,
    /// Members' messages (no brand named): notices only.
    Messages,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Day index (days since 1970-01-01, UTC).
    pub day: i64,
    pub kind: Kind,
    pub class: Class,
    pub count: u64,
    pub negative: u64,
    pub baseline: f64,
    pub z: f64,
    /// Example messages (snapshot indices).
    pub examples: Vec<u32>,
    pub words: Vec<String>,
}

/// The median (0 for no values).
fn median(v: &mut [f64]) -> f64 {
    crate::metrics::first_response::median(v).unwrap_or(0.0)
}

/// The class of an alert of `kind` on `day` of the `watched` stream.
pub fn class(kind: Kind, day: &Day, watched: Watched) -> Class {
    if kind == Kind::NegativeShare
        && watched == Watched::Mentions
        && day.negative_people >= MIN_CRISIS_PEOPLE
    {
        Class::Crisis
    } else {
        Class::Notice
    }
}

/// The words of some messages, as ids into a vocabulary: what explains an alert.
#[derive(Debug, Default)]
pub struct MessageTerms {
    /// Message (snapshot index) → its range in `terms`.
    ranges: HashMap<u32, (u32, u32), Fnv>,
    terms: Vec<u32>,
    /// Term id → word (an empty word is never shown).
    words: Vec<String>,
    /// Word → term id, for words added by [`MessageTerms::insert_words`].
    index: HashMap<String, u32, Fnv>,
}

impl MessageTerms {
    /// Terms named by the vocabulary `words` (term id → word).
    pub fn new(words: Vec<String>) -> Self {
        MessageTerms {
            words,
            ..Self::default()
        }
    }

    /// Sets the terms of `message` (each once).
    pub fn insert(&mut self, message: u32, terms: &[u32]) {
        let from = self.terms.len() as u32;
        self.terms.extend_from_slice(terms);
        self.ranges.insert(message, (from, self.terms.len() as u32));
    }

    /// Sets the terms of `message` from its words (each once), adding new words to the
    /// vocabulary.
    pub fn insert_words(&mut self, message: u32, words: Vec<String>) {
        let from = self.terms.len() as u32;
        for w in words {
            let next = self.words.len() as u32;
            let id = *self.index.entry(w).or_insert_with_key(|w| {
                self.words.push(w.clone());
                next
            });
            self.terms.push(id);
        }
        self.ranges.insert(message, (from, self.terms.len() as u32));
    }

    fn of(&self, message: u32) -> &[u32] {
        self.ranges
            .get(&message)
            .and_then(|&(a, b)| self.terms.get(a as usize..b as usize))
            .unwrap_or(&[])
    }

    fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", String::as_str)
    }
}

/// The alerts of a daily stream `days` (first day index `start`, one entry a day). `terms`
/// gives the words of the messages (for the explanation); without them alerts carry no
/// words.
pub fn detect(
    start: i64,
    days: &[Day],
    watched: Watched,
    terms: Option<&MessageTerms>,
) -> Vec<Alert> {
    let mut out: Vec<Alert> = Vec::new();
    let mut last: HashMap<Kind, i64> = HashMap::new();
    // Each day's word counts, computed once: an alert day's baseline days are the baseline of
    // the alerts around it too.
    let mut counted = WordCounts::new(terms);
    for (k, day) in days.iter().enumerate() {
        let history: Vec<usize> = (1..=BASELINE_WEEKS)
            .filter_map(|w| k.checked_sub(7 * w))
            .collect();
        let history: Vec<&Day> = history.iter().map(|&j| &days[j]).collect();
        if history.len() < MIN_HISTORY_WEEKS {
            continue;
        }
        let d = start + k as i64;
        let x = day.count as f64;
        let mut counts: Vec<f64> = history.iter().map(|h| h.count as f64).collect();
        let m = median(&mut counts);
        let mut dev: Vec<f64> = history.iter().map(|h| (h.count as f64 - m).abs()).collect();
        let mad = median(&mut dev);
        let scale = (1.4826 * mad).max(m.max(1.0).sqrt());
        let z = (x - m) / scale;
        let cooled = |kind: Kind, last: &HashMap<Kind, i64>| {
            last.get(&kind).is_none_or(|&l| d - l > COOLDOWN_DAYS)
        };
        if z >= Z && day.count >= MIN_COUNT && cooled(Kind::Volume, &last) {
            last.insert(Kind::Volume, d);
            out.push(alert(
                d,
                Kind::Volume,
                (k, day),
                m,
                z,
                (k, &history),
                watched,
                &mut counted,
            ));
        }
        let base_n: u64 = history.iter().map(|h| h.count).sum();
        let base_neg: u64 = history.iter().map(|h| h.negative).sum();
        let p0 = if base_n > 0 {
            (base_neg as f64 / base_n as f64).max(0.02)
        } else {
            0.02
        };
        if day.count > 0 && day.negative >= MIN_NEGATIVE {
            let p = day.negative as f64 / x;
            let zn = (p - p0) / (p0 * (1.0 - p0) / x).sqrt();
            if zn >= Z && p >= 2.0 * p0 && cooled(Kind::NegativeShare, &last) {
                last.insert(Kind::NegativeShare, d);
                out.push(alert(
                    d,
                    Kind::NegativeShare,
                    (k, day),
                    p0,
                    zn,
                    (k, &history),
                    watched,
                    &mut counted,
                ));
            }
        }
    }
    out
}

/// Per day, in how many of its messages each term appears, computed the first time a day
/// is asked for.
struct WordCounts<'a> {
    terms: Option<&'a MessageTerms>,
    days: HashMap<usize, HashMap<u32, f64, Fnv>>,
}

impl<'a> WordCounts<'a> {
    fn new(terms: Option<&'a MessageTerms>) -> Self {
        WordCounts {
            terms,
            days: HashMap::new(),
        }
    }

    fn of(&mut self, k: usize, day: &Day) -> &HashMap<u32, f64, Fnv> {
        let terms = self.terms;
        self.days.entry(k).or_insert_with(|| {
            let mut c: HashMap<u32, f64, Fnv> = HashMap::default();
            if let Some(terms) = terms {
                // A message's terms are each once: a term counts once per message.
                for (i, _) in &day.messages {
                    for &t in terms.of(*i) {
                        *c.entry(t).or_default() += 1.0;
                    }
                }
            }
            c
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn alert(
    day: i64,
    kind: Kind,
    (k, d): (usize, &Day),
    baseline: f64,
    z: f64,
    (at, history): (usize, &[&Day]),
    watched: Watched,
    counted: &mut WordCounts<'_>,
) -> Alert {
    let mut msgs = d.messages.clone();
    if kind == Kind::NegativeShare {
        msgs.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    }
    Alert {
        day,
        kind,
        class: class(kind, d, watched),
        count: d.count,
        negative: d.negative,
        baseline,
        z,
        examples: msgs.iter().take(3).map(|(i, _)| *i).collect(),
        words: words(counted, (k, d), (at, history)),
    }
}

/// Fills in the words of `alerts` (found by [`detect`] on the same stream without terms):
/// the same words [`detect`] with `terms` gives them. Explaining the few alerts shown reads
/// the terms of their days alone.
pub fn explain(start: i64, days: &[Day], alerts: &mut [Alert], terms: &MessageTerms) {
    let mut counted = WordCounts::new(Some(terms));
    for a in alerts {
        let Some(k) = usize::try_from(a.day - start)
            .ok()
            .filter(|&k| k < days.len())
        else {
            continue;
        };
        let history: Vec<&Day> = (1..=BASELINE_WEEKS)
            .filter_map(|w| k.checked_sub(7 * w))
            .map(|j| &days[j])
            .collect();
        a.words = words(&mut counted, (k, &days[k]), (k, &history));
    }
}

/// The words most over-represented on day `k` against its baseline days (see the module
/// header).
fn words(
    counted: &mut WordCounts<'_>,
    (k, d): (usize, &Day),
    (at, history): (usize, &[&Day]),
) -> Vec<String> {
    let today: Vec<(u32, f64)> = counted
        .of(k, d)
        .iter()
        .filter(|(_, n)| **n >= 2.0)
        .map(|(t, n)| (*t, *n))
        .collect();
    let mut base: HashMap<u32, f64, Fnv> = HashMap::default();
    let mut base_n = 0.0;
    for (w, h) in history.iter().enumerate() {
        base_n += h.messages.len() as f64;
        // The w-th baseline day is (w + 1) weeks before the alert day.
        for (t, n) in counted.of(at - 7 * (w + 1), h) {
            *base.entry(*t).or_default() += n;
        }
    }
    // Over-represented: the word's share of the day's messages against its share of the
    // baseline days' messages (words in nearly every message score about 0).
    let day_n = d.messages.len().max(1) as f64;
    let name = |t: u32| counted.terms.map_or("", |m| m.word(t));
    let mut scored: Vec<(f64, &str)> = today
        .into_iter()
        .map(|(t, n)| {
            let b = base.get(&t).copied().unwrap_or(0.0);
            let p_day = n / day_n;
            let p_base = (b + 1.0) / (base_n + 2.0);
            (n * (p_day / p_base).ln(), name(t))
        })
        .filter(|(s, w)| *s > 0.0 && !w.is_empty())
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(8)
        .map(|(_, w)| w.to_owned())
        .collect()
}

/// How alerts do on a stream with spikes injected: for each size, the share of injected
/// days that alerted (the day itself), and the alerts per 30 days on the stream as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub days: usize,
    pub alerts_real: usize,
    pub alerts_per_month_real: f64,
    /// Of the real stream's alerts, the crises (the rest are notices), and crises per 30 days.
    pub crises_real: usize,
    pub crises_per_month_real: f64,
    /// (spike added as a multiple of the day's baseline median (at least 1 message) — or
    /// an absolute count when `absolute`, injected, detected).
    pub by_size: Vec<SizeResult>,
    /// Alerts on days with nothing injected, in the injected runs, per 30 days.
    pub false_alerts_per_month: f64,
    /// Crises among those false alerts, per 30 days.
    pub false_crises_per_month: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizeResult {
    pub size: String,
    pub injected: usize,
    pub detected: usize,
    pub detection_rate: f64,
    /// Injected days whose alert is a crisis (each injected negative message is written by
    /// another person, so a negative burst on the mentions stream can be one).
    pub as_crisis: usize,
}

/// A small seeded generator (SplitMix64) so evaluations repeat exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Injects `per_size` spikes of each size at seeded random days (with a full baseline, at
/// least 14 days apart, not on a day that already alerts) and measures detection.
pub fn evaluate(days: &[Day], watched: Watched, per_size: usize, seed: u64) -> Evaluation {
    let real = detect(0, days, watched, None);
    let real_days: std::collections::HashSet<i64> = real.iter().map(|a| a.day).collect();
    let months = days.len() as f64 / 30.0;
    // (label, size, absolute, negative): a negative burst adds that many negative messages
    // and counts as found by either kind of alert.
    let sizes: [(&str, f64, bool, bool); 6] = [
        ("+2x baseline", 2.0, false, false),
        ("+4x baseline", 4.0, false, false),
        ("+8x baseline", 8.0, false, false),
        ("+20 messages", 20.0, true, false),
        ("+5 negative messages", 5.0, true, true),
        ("+10 negative messages", 10.0, true, true),
    ];
    let first = 7 * BASELINE_WEEKS;
    let mut rng = Rng(seed);
    let mut by_size = Vec::new();
    let mut false_alerts = 0usize;
    let mut false_crises = 0usize;
    let mut runs = 0usize;
    for (label, size, absolute, negative) in sizes {
        // Choose days: spread out, with history, not alerting already.
        let mut chosen: Vec<usize> = Vec::new();
        let mut tries = 0;
        while chosen.len() < per_size && tries < per_size * 200 && days.len() > first {
            tries += 1;
            let k = first + (rng.next() % (days.len() - first) as u64) as usize;
            if real_days.contains(&(k as i64)) || chosen.iter().any(|&c| c.abs_diff(k) < 14) {
                continue;
            }
            chosen.push(k);
        }
        chosen.sort_unstable();
        let mut injected = days.to_vec();
        for &k in &chosen {
            let mut hist: Vec<f64> = (1..=BASELINE_WEEKS)
                .filter_map(|w| k.checked_sub(7 * w).map(|j| days[j].count as f64))
                .collect();
            let base = median(&mut hist).max(1.0);
            let add = if absolute { size } else { (size * base).ceil() };
            injected[k].count += add as u64;
            if negative {
                injected[k].negative += add as u64;
                injected[k].negative_people += add as u64;
            }
        }
        let got = detect(0, &injected, watched, None);
        let alert_days: std::collections::HashSet<i64> = got
            .iter()
            .filter(|a| negative || a.kind == Kind::Volume)
            .map(|a| a.day)
            .collect();
        let detected = chosen
            .iter()
            .filter(|&&k| alert_days.contains(&(k as i64)))
            .count();
        let as_crisis = chosen
            .iter()
            .filter(|&&k| {
                got.iter()
                    .any(|a| a.day == k as i64 && a.class == Class::Crisis)
            })
            .count();
        // Alerts away from the injected days and from the real stream's own alerts.
        let false_here: Vec<&Alert> = got
            .iter()
            .filter(|a| {
                !chosen
                    .iter()
                    .any(|&k| (a.day - k as i64).abs() <= COOLDOWN_DAYS)
                    && !real_days.contains(&a.day)
            })
            .collect();
        false_alerts += false_here.len();
        false_crises += false_here
            .iter()
            .filter(|a| a.class == Class::Crisis)
            .count();
        runs += 1;
        by_size.push(SizeResult {
            size: label.to_owned(),
            injected: chosen.len(),
            detected,
            detection_rate: if chosen.is_empty() {
                0.0
            } else {
                detected as f64 / chosen.len() as f64
            },
            as_crisis,
        });
    }
    let per_month = |n: usize| if months > 0.0 { n as f64 / months } else { 0.0 };
    let crises_real = real.iter().filter(|a| a.class == Class::Crisis).count();
    Evaluation {
        days: days.len(),
        alerts_real: real.len(),
        alerts_per_month_real: if months > 0.0 {
            real.len() as f64 / months
        } else {
            0.0
        },
        crises_real,
        crises_per_month_real: per_month(crises_real),
        by_size,
        false_alerts_per_month: if months > 0.0 && runs > 0 {
            false_alerts as f64 / runs as f64 / months
        } else {
            0.0
        },
        false_crises_per_month: if months > 0.0 && runs > 0 {
            false_crises as f64 / runs as f64 / months
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(n: usize, count: u64) -> Vec<Day> {
        (0..n)
            .map(|_| Day {
                count,
                ..Day::default()
            })
            .collect()
    }

    /// A flat stream of 10 a day: 30 on day 60 gives z = (30 − 10) ÷ √10 = 6.3 → an alert;
    /// 20 the next day is within the cooldown.
    #[test]
    fn a_spike_alerts_once() {
        let mut days = flat(90, 10);
        days[60].count = 30;
        days[61].count = 30;
        let a = detect(0, &days, Watched::Mentions, None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].day, 60);
        assert_eq!(a[0].baseline, 10.0);
        assert!((a[0].z - 20.0 / 10f64.sqrt()).abs() < 1e-9);
        // 16 is z = 1.9: no alert.
        let mut calm = flat(90, 10);
        calm[60].count = 16;
        assert!(detect(0, &calm, Watched::Mentions, None).is_empty());
    }

    /// The words that explain an alert are the terms over-represented that day: "firmware"
    /// in 20 of the spike's 30 messages and in none of the baseline's first; "radio", in
    /// every message of every day, scores 30 · ln(82 ÷ 81) ≈ 0.37, last; a term in one
    /// message is left out.
    #[test]
    fn alert_words_are_the_days_overrepresented_terms() {
        let mut terms = MessageTerms::new(vec![
            "radio".to_owned(),
            "firmware".to_owned(),
            "once".to_owned(),
        ]);
        let mut days = Vec::new();
        let mut next = 0u32;
        for k in 0..90 {
            let n = if k == 60 { 30 } else { 10 };
            let mut day = Day {
                count: n,
                ..Day::default()
            };
            for j in 0..n {
                let mut t = vec![0];
                if k == 60 && j < 20 {
                    t.push(1);
                }
                if k == 60 && j == 25 {
                    t.push(2);
                }
                terms.insert(next, &t);
                day.messages.push((next, 0.0));
                next += 1;
            }
            days.push(day);
        }
        let a = detect(0, &days, Watched::Mentions, Some(&terms));
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].words, ["firmware", "radio"]);
        assert!(
            detect(0, &days, Watched::Mentions, None)[0]
                .words
                .is_empty()
        );
        // Words given as text are interned the same way.
        let mut from_words = MessageTerms::default();
        for d in &days {
            for (i, _) in &d.messages {
                let words = terms
                    .of(*i)
                    .iter()
                    .map(|t| terms.word(*t).to_owned())
                    .collect();
                from_words.insert_words(*i, words);
            }
        }
        assert_eq!(detect(0, &days, Watched::Mentions, Some(&from_words)), a);
        // Explained after detection, an alert gets the words detection with terms gives.
        let mut later = detect(0, &days, Watched::Mentions, None);
        explain(0, &days, &mut later, &terms);
        assert_eq!(later, a);
    }

    /// A quiet stream (1 a day) does not alert on 4: below MIN_COUNT.
    #[test]
    fn low_volume_needs_a_real_count() {
        let mut days = flat(90, 1);
        days[70].count = 4;
        assert!(detect(0, &days, Watched::Mentions, None).is_empty());
        days[70].count = 6; // z = 5, count 6
        assert_eq!(detect(0, &days, Watched::Mentions, None).len(), 1);
    }

    /// A volume jump is a notice, never a crisis.
    #[test]
    fn a_volume_jump_is_a_notice() {
        let mut days = flat(90, 10);
        days[60].count = 30;
        let a = detect(0, &days, Watched::Mentions, None);
        assert_eq!((a[0].kind, a[0].class), (Kind::Volume, Class::Notice));
    }

    /// 12 of 20 mentions negative against a usual 1 in 20: a crisis when at least three
    /// people wrote them, on the brand's mentions; a notice from two people, or on members'
    /// messages.
    #[test]
    fn negative_share() {
        let mut days = flat(90, 20);
        for d in &mut days {
            d.negative = 1; // 5 % usual
            d.negative_people = 1;
        }
        days[80].negative = 12; // 60 %
        days[80].negative_people = 5;
        let a = detect(0, &days, Watched::Mentions, None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].kind, Kind::NegativeShare);
        assert_eq!(a[0].class, Class::Crisis);
        let on_messages = detect(0, &days, Watched::Messages, None);
        assert_eq!(on_messages[0].class, Class::Notice);
        days[80].negative_people = 2;
        let two = detect(0, &days, Watched::Mentions, None);
        assert_eq!(two[0].class, Class::Notice);
    }

    #[test]
    fn evaluation_repeats_and_finds_big_spikes() {
        let days: Vec<Day> = (0..400)
            .map(|k| Day {
                count: 8 + (k % 7) as u64,
                ..Day::default()
            })
            .collect();
        let a = evaluate(&days, Watched::Mentions, 10, 7);
        assert_eq!(a, evaluate(&days, Watched::Mentions, 10, 7));
        let big = a
            .by_size
            .iter()
            .find(|s| s.size == "+8x baseline")
            .expect("size");
        assert_eq!(big.detected, big.injected);
        assert_eq!(a.alerts_real, 0);
    }
}
