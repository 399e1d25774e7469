//! **Mentions and share of voice**: messages anywhere in the store that name the brand or
//! its products (`[brand] names`), or a competitor (`[brand] competitors`), by people who
//! are not the brand.
//!
//! A message mentions a name when the name's words appear as whole words in its subject or
//! its own words (quotes and signatures stripped; mailing-list tags such as `[USRP-users]`
//! dropped from subjects; any case; a hyphen separates words, so "USRP-B210" names "USRP"). A message naming the brand and a competitor counts for both.
//!
//! - `mentions` per name (the brand first), with sentiment labels (positive / neutral /
//!   negative, from the sentiment measure) and `negative_share` = negative ÷ mentions;
//! - `share_of_voice` = the name's mentions ÷ Σ mentions of the brand and every competitor;
//! - `by_week`: the brand's mentions and negative mentions per ISO week.
//!
//! Example: 30 messages name the brand, 10 a competitor: share of voice 75 % and 25 %.

use crate::Context;
use crate::text::measures::{Names, label_name};
use crate::text::sentiment::score;
use hearth_model::{BrandRules, Role};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voice {
    pub name: String,
    pub brand: bool,
    pub mentions: u64,
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
    pub negative_share: Option<f64>,
    pub share_of_voice: Option<f64>,
}

/// One message that names the brand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub message: u32,
    pub time: i64,
    pub negative: bool,
    pub compound: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mentions {
    pub voices: Vec<Voice>,
    /// (ISO week start as a day index, brand mentions, negative brand mentions).
    pub by_week: Vec<(i64, u64, u64)>,
    /// Every brand mention, in time order.
    pub brand_mentions: Vec<Mention>,
}

/// Messages whose text mentions need: everyone's but the brand's, in the window.
pub fn candidates(cx: &Context<'_>) -> Vec<u32> {
    let m = &cx.snapshot.messages;
    cx.in_window()
        .filter(|&i| !matches!(cx.role(m.author[i]), Role::Brand | Role::Bot))
        .map(|i| i as u32)
        .collect()
}

/// `texts`: (subject, body) by message index.
pub fn mentions(
    cx: &Context<'_>,
    brand: &BrandRules,
    texts: &HashMap<u32, (String, String)>,
) -> Mentions {
    let names = Names::new(brand);
    let hits = hits_of(cx, candidates(cx), |_, i| {
        let (subject, body) = texts.get(&i)?;
        let mask = names.hits(subject, body);
        if mask == 0 {
            return Some((0, "neutral", 0.0));
        }
        let s = score(body);
        Some((mask, s.label, s.compound))
    });
    count(&names, &hits)
}

/// The same from the text measures stored at ingest (the snapshot must carry them, for
/// these `brand` rules).
pub fn mentions_stored(cx: &Context<'_>, brand: &BrandRules) -> Mentions {
    count(&Names::new(brand), &stored_hits(cx))
}

/// One message of the scope that names something: what its counts need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub time: i64,
    pub message: u32,
    /// The name groups it names (the brand's first).
    mask: u64,
    /// 1 positive, 2 neutral, 3 negative.
    slot: u8,
    compound: f64,
}

/// Every message of the scope of `cx` that names something, by the stored measures, in time
/// order (message index for equal times). Made for a whole space, a window's hits are the
/// stretch of it inside the window ([`mentions_cut`]): the same scope but the time.
pub fn stored_hits(cx: &Context<'_>) -> Vec<Hit> {
    // Only the messages whose stored names are not none can count: the candidates among
    // them (a message naming nothing adds nothing to any count).
    let m = &cx.snapshot.messages;
    let ids: Vec<u32> = m
        .names
        .iter()
        .filter(|&&(i, mask)| {
            let i = i as usize;
            mask != 0
                && i < m.len()
                && cx.window.contains(m.time[i])
                && cx.space.is_none_or(|s| m.space[i] == s)
                && !matches!(cx.role(m.author[i]), Role::Brand | Role::Bot)
        })
        .map(|&(i, _)| i)
        .collect();
    let measures = m.measures_of(&ids);
    hits_of(cx, ids, |k, _| {
        measures[k].map(|x| (x.names, label_name(x.label), x.compound))
    })
}

/// [`mentions_stored`] of the window of `cx` from `whole`, the [`stored_hits`] of its space
/// at any time (for the same `brand` rules).
pub fn mentions_cut(cx: &Context<'_>, brand: &BrandRules, whole: &[Hit]) -> Mentions {
    let w = cx.window;
    let lo = w.since.map_or(0, |s| whole.partition_point(|h| h.time < s));
    let hi = w
        .until
        .map_or(whole.len(), |u| whole.partition_point(|h| h.time < u));
    count(&Names::new(brand), &whole[lo..hi.max(lo)])
}

/// The hits among `ids` (the [`candidates`]) in time order: `hit(k, i)` gives the name groups
/// message `i = ids[k]` names, its sentiment label and compound (`None`: no text).
fn hits_of(
    cx: &Context<'_>,
    ids: Vec<u32>,
    hit: impl Fn(usize, u32) -> Option<(u64, &'static str, f64)>,
) -> Vec<Hit> {
    let m = &cx.snapshot.messages;
    cx.in_time_order(&ids)
        .into_iter()
        .filter_map(|(i, k)| {
            let (mask, label, compound) = hit(k, i)?;
            let slot = match label {
                "positive" => 1,
                "negative" => 3,
                _ => 2,
            };
            (mask != 0).then_some(Hit {
                time: m.time[i as usize],
                message: i,
                mask,
                slot,
                compound,
            })
        })
        .collect()
}

/// Counts the mentions of `hits` (in time order).
fn count(names: &Names, hits: &[Hit]) -> Mentions {
    let names = &names.groups;
    let mut counts = vec![[0u64; 4]; names.len()]; // mentions, pos, neutral, neg
    // (week's first day, mentions, negative ones), weeks in order.
    let mut weeks: Vec<(i64, u64, u64)> = Vec::new();
    let mut brand_mentions = Vec::new();
    for h in hits {
        let (mask, slot) = (h.mask, usize::from(h.slot));
        for (g, c) in counts.iter_mut().enumerate() {
            if mask & (1 << g) != 0 {
                c[0] += 1;
                c[slot] += 1;
            }
        }
        if mask & 1 != 0 && !names.is_empty() {
            let t = h.time;
            let week = crate::calendar::week(t) * 7 - 3;
            // In time order, a week follows the last or is the last.
            match weeks.last_mut() {
                Some((w, n, neg)) if *w == week => {
                    *n += 1;
                    *neg += u64::from(slot == 3);
                }
                _ => weeks.push((week, 1, u64::from(slot == 3))),
            }
            brand_mentions.push(Mention {
                message: h.message,
                time: t,
                negative: slot == 3,
                compound: h.compound,
            });
        }
    }
    let total: u64 = counts.iter().map(|c| c[0]).sum();
    let voices = names
        .iter()
        .zip(&counts)
        .map(|((name, is_brand, _), c)| Voice {
            name: name.clone(),
            brand: *is_brand,
            mentions: c[0],
            positive: c[1],
            neutral: c[2],
            negative: c[3],
            negative_share: (c[0] > 0).then(|| c[3] as f64 / c[0] as f64),
            share_of_voice: (total > 0).then(|| c[0] as f64 / total as f64),
        })
        .collect();
    Mentions {
        voices,
        by_week: weeks,
        brand_mentions,
    }
}
