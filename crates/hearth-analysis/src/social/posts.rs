//! **Post metrics**: what the brand's posts reached, what people did, what it earned — every
//! rate with its formula named, because platforms and vendors disagree on denominators.
//!
//! Per post, from the counts its analytics export states (a count the export does not state
//! stays unknown, and a rate that needs it is not given — never taken as 0):
//! - `engagements` = reactions + comments + shares + clicks (Hearth's definition, the same
//!   on every platform; the platform's own total, which may add profile clicks, detail
//!   expands or saves, is kept beside it as `platform_engagements`);
//! - `engagement_rate_by_impressions` = engagements ÷ impressions;
//! - `engagement_rate_by_reach` = engagements ÷ reach;
//! - `engagement_rate_by_followers` = engagements ÷ followers (the export's follower count at
//!   post time, else `[social] followers` for the account);
//! - `applause_rate` = reactions ÷ followers, `amplification_rate` = shares ÷ followers,
//!   `conversation_rate` = comments ÷ followers (per post, as Avinash Kaushik defined them);
//! - `ctr` = clicks ÷ impressions; `conversion_rate` = conversions ÷ clicks;
//! - `roi` = (value − cost) ÷ cost, where value is the export's value, else conversions ×
//!   `[social] value_per_conversion`.
//!
//! Totals over a set of posts are **pooled**: Σ numerator ÷ Σ denominator over the posts that
//! state both (so a post with a million impressions weighs what it weighs; the mean of
//! per-post rates is not used). `follower_growth` per account = (followers at the last post −
//! followers at the first) ÷ followers at the first, when the export states followers;
//! `new_follows` = Σ follows the posts brought.
//!
//! Example: a post with 10,000 impressions, 8,000 reach, 500 reactions, 50 comments, 100
//! shares, 200 clicks, 10 conversions, cost 100, value 500, 4,000 followers: engagements 850,
//! by impressions 8.5 %, by reach 10.625 %, by followers 21.25 %, applause 12.5 %,
//! amplification 2.5 %, conversation 1.25 %, CTR 2 %, conversion rate 5 %, ROI 4.0 (400 %).

use hearth_model::{PostMetrics, SocialRules};
use serde::Serialize;
use std::collections::BTreeMap;

/// One post, as the social measures read it.
#[derive(Debug, Clone, Copy)]
pub struct Post<'a> {
    pub time: i64,
    /// `source:account` (the key `[social] followers` uses).
    pub account: &'a str,
    pub text: &'a str,
    pub metrics: &'a PostMetrics,
}

/// A rate with the formula that made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    pub value: Option<f64>,
    pub formula: &'static str,
}

/// Every rate of one post (or pooled over posts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rates {
    pub engagements: Option<f64>,
    pub platform_engagements: Option<f64>,
    pub impressions: Option<f64>,
    pub reach: Option<f64>,
    pub followers: Option<f64>,
    pub clicks: Option<f64>,
    pub conversions: Option<f64>,
    pub cost: Option<f64>,
    pub value: Option<f64>,
    /// The headline rate (`[social] engagement_rate` chooses its denominator).
    pub engagement_rate: Rate,
    pub engagement_rate_by_impressions: Rate,
    pub engagement_rate_by_reach: Rate,
    pub engagement_rate_by_followers: Rate,
    pub applause_rate: Rate,
    pub amplification_rate: Rate,
    pub conversation_rate: Rate,
    pub ctr: Rate,
    pub conversion_rate: Rate,
    pub roi: Rate,
}

pub const ENGAGEMENTS: &str = "reactions + comments + shares + clicks";
pub const BY_IMPRESSIONS: &str = "engagements ÷ impressions";
pub const BY_REACH: &str = "engagements ÷ reach";
pub const BY_FOLLOWERS: &str = "engagements ÷ followers";
pub const APPLAUSE: &str = "reactions ÷ followers";
pub const AMPLIFICATION: &str = "shares ÷ followers";
pub const CONVERSATION: &str = "comments ÷ followers";
pub const CTR: &str = "clicks ÷ impressions";
pub const CONVERSION_RATE: &str = "conversions ÷ clicks";
pub const ROI: &str = "(value − cost) ÷ cost";

/// Hearth's engagements of a post: reactions + comments + shares + clicks, the parts the
/// export states (unknown when it states none of them).
pub fn engagements(m: &PostMetrics) -> Option<f64> {
    let parts = [m.reactions, m.comments, m.shares, m.clicks];
    parts
        .iter()
        .any(Option::is_some)
        .then(|| parts.iter().flatten().sum())
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

/// Followers for a post: the export's count, else the configured one for the account.
fn followers(post: &Post<'_>, rules: &SocialRules) -> Option<f64> {
    post.metrics
        .followers
        .or_else(|| rules.followers.get(post.account).copied())
}

fn value(m: &PostMetrics, rules: &SocialRules) -> Option<f64> {
    m.value.or_else(|| {
        (rules.value_per_conversion > 0.0)
            .then_some(())
            .and(m.conversions.map(|c| c * rules.value_per_conversion))
    })
}

/// The rates of one post: the pooled rates of a set of one, with the post's followers.
pub fn rates(post: &Post<'_>, rules: &SocialRules) -> Rates {
    let mut r = pooled(std::slice::from_ref(post), rules);
    r.followers = followers(post, rules);
    r
}

/// Pooled rates over posts: each rate is Σ numerator ÷ Σ denominator over the posts that
/// state both.
pub fn pooled(posts: &[Post<'_>], rules: &SocialRules) -> Rates {
    let pair = |num: &dyn Fn(&Post<'_>) -> Option<f64>, den: &dyn Fn(&Post<'_>) -> Option<f64>| {
        let mut n = 0.0;
        let mut d = 0.0;
        let mut any = false;
        for p in posts {
            if let (Some(a), Some(b)) = (num(p), den(p)) {
                n += a;
                d += b;
                any = true;
            }
        }
        any.then_some((n, d))
    };
    let rate = |pd: Option<(f64, f64)>| pd.and_then(|(n, d)| (d > 0.0).then(|| n / d));
    let e = |p: &Post<'_>| engagements(p.metrics);
    let imp = |p: &Post<'_>| p.metrics.impressions;
    let reach = |p: &Post<'_>| p.metrics.reach;
    let fol = |p: &Post<'_>| followers(p, rules);
    let sum = |f: &dyn Fn(&Post<'_>) -> Option<f64>| {
        let vals: Vec<f64> = posts.iter().filter_map(f).collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let by_i = Rate {
        value: rate(pair(&e, &imp)),
        formula: BY_IMPRESSIONS,
    };
    let by_r = Rate {
        value: rate(pair(&e, &reach)),
        formula: BY_REACH,
    };
    let by_f = Rate {
        value: rate(pair(&e, &fol)),
        formula: BY_FOLLOWERS,
    };
    let headline = match rules.engagement_rate.as_str() {
        "reach" => by_r.clone(),
        "followers" => by_f.clone(),
        _ => by_i.clone(),
    };
    let val = |p: &Post<'_>| value(p.metrics, rules);
    let cost = |p: &Post<'_>| p.metrics.cost;
    let roi = pair(&val, &cost).and_then(|(v, c)| (c > 0.0).then(|| (v - c) / c));
    Rates {
        engagements: sum(&e),
        platform_engagements: sum(&|p| p.metrics.engagements),
        impressions: sum(&imp),
        reach: sum(&reach),
        followers: None,
        clicks: sum(&|p| p.metrics.clicks),
        conversions: sum(&|p| p.metrics.conversions),
        cost: sum(&cost),
        value: sum(&val),
        engagement_rate: headline,
        engagement_rate_by_impressions: by_i,
        engagement_rate_by_reach: by_r,
        engagement_rate_by_followers: by_f,
        applause_rate: Rate {
            value: rate(pair(&|p| p.metrics.reactions, &fol)),
            formula: APPLAUSE,
        },
        amplification_rate: Rate {
            value: rate(pair(&|p| p.metrics.shares, &fol)),
            formula: AMPLIFICATION,
        },
        conversation_rate: Rate {
            value: rate(pair(&|p| p.metrics.comments, &fol)),
            formula: CONVERSATION,
        },
        ctr: Rate {
            value: rate(pair(&|p| p.metrics.clicks, &imp)),
            formula: CTR,
        },
        conversion_rate: Rate {
            value: rate(pair(&|p| p.metrics.conversions, &|p| p.metrics.clicks)),
            formula: CONVERSION_RATE,
        },
        roi: Rate {
            value: roi,
            formula: ROI,
        },
    }
}

/// Follower change of one account over the posts that state followers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Growth {
    pub account: String,
    pub first: Option<f64>,
    pub last: Option<f64>,
    /// (last − first) ÷ first.
    pub follower_growth: Option<f64>,
    /// Σ follows the posts brought (when the export states them).
    pub new_follows: Option<f64>,
    pub posts: usize,
}

/// Follower growth per account (posts in time order).
pub fn growth(posts: &[Post<'_>]) -> Vec<Growth> {
    let mut by: BTreeMap<&str, Vec<&Post<'_>>> = BTreeMap::new();
    for p in posts {
        by.entry(p.account).or_default().push(p);
    }
    by.into_iter()
        .map(|(account, list)| {
            let with: Vec<f64> = list.iter().filter_map(|p| p.metrics.followers).collect();
            let (first, last) = (with.first().copied(), with.last().copied());
            let follows: Vec<f64> = list.iter().filter_map(|p| p.metrics.follows).collect();
            Growth {
                account: account.to_owned(),
                first,
                last,
                follower_growth: ratio(first.zip(last).map(|(f, l)| l - f), first),
                new_follows: (!follows.is_empty()).then(|| follows.iter().sum()),
                posts: list.len(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> PostMetrics {
        PostMetrics {
            impressions: Some(10_000.0),
            reach: Some(8_000.0),
            reactions: Some(500.0),
            comments: Some(50.0),
            shares: Some(100.0),
            clicks: Some(200.0),
            conversions: Some(10.0),
            cost: Some(100.0),
            value: Some(500.0),
            followers: Some(4_000.0),
            ..PostMetrics::default()
        }
    }

    /// The header's example, worked by hand.
    #[test]
    fn the_example_post() {
        let m = metrics();
        let post = Post {
            time: 0,
            account: "a",
            text: "",
            metrics: &m,
        };
        let r = rates(&post, &SocialRules::default());
        assert_eq!(r.engagements, Some(850.0));
        assert_eq!(r.engagement_rate_by_impressions.value, Some(0.085));
        assert_eq!(r.engagement_rate_by_reach.value, Some(0.106_25));
        assert_eq!(r.engagement_rate_by_followers.value, Some(0.2125));
        assert_eq!(r.applause_rate.value, Some(0.125));
        assert_eq!(r.amplification_rate.value, Some(0.025));
        assert_eq!(r.conversation_rate.value, Some(0.0125));
        assert_eq!(r.ctr.value, Some(0.02));
        assert_eq!(r.conversion_rate.value, Some(0.05));
        assert_eq!(r.roi.value, Some(4.0));
        assert_eq!(r.engagement_rate.formula, "engagements ÷ impressions");
        let by_reach = SocialRules {
            engagement_rate: "reach".into(),
            ..SocialRules::default()
        };
        assert_eq!(
            rates(&post, &by_reach).engagement_rate.formula,
            "engagements ÷ reach"
        );
    }

    #[test]
    fn unknown_counts_stay_unknown() {
        let m = PostMetrics {
            impressions: Some(100.0),
            reactions: Some(5.0),
            ..PostMetrics::default()
        };
        let post = Post {
            time: 0,
            account: "a",
            text: "",
            metrics: &m,
        };
        let r = rates(&post, &SocialRules::default());
        assert_eq!(r.engagements, Some(5.0));
        assert_eq!(r.engagement_rate_by_reach.value, None);
        assert_eq!(r.applause_rate.value, None, "no followers stated");
        assert_eq!(r.roi.value, None);
        // Followers from hearth.toml when the export has none.
        let rules = SocialRules {
            followers: [("a".to_owned(), 50.0)].into_iter().collect(),
            ..SocialRules::default()
        };
        assert_eq!(rates(&post, &rules).applause_rate.value, Some(0.1));
        assert_eq!(engagements(&PostMetrics::default()), None);
    }

    /// Pooled: Σ engagements ÷ Σ impressions over posts stating both — not the mean of rates.
    #[test]
    fn pooled_is_a_ratio_of_sums() {
        let a = PostMetrics {
            impressions: Some(1_000.0),
            reactions: Some(100.0),
            ..PostMetrics::default()
        };
        let b = PostMetrics {
            impressions: Some(9_000.0),
            reactions: Some(90.0),
            ..PostMetrics::default()
        };
        let c = PostMetrics {
            reactions: Some(1_000.0),
            ..PostMetrics::default()
        };
        let posts: Vec<Post<'_>> = [&a, &b, &c]
            .iter()
            .map(|m| Post {
                time: 0,
                account: "x",
                text: "",
                metrics: m,
            })
            .collect();
        let r = pooled(&posts, &SocialRules::default());
        // (100 + 90) ÷ (1,000 + 9,000); the mean of the two rates would be 5.5 %.
        assert_eq!(r.engagement_rate_by_impressions.value, Some(0.019));
        assert_eq!(r.engagements, Some(1_190.0));
    }

    #[test]
    fn follower_growth_and_value_per_conversion() {
        let p1 = PostMetrics {
            followers: Some(4_000.0),
            follows: Some(3.0),
            ..PostMetrics::default()
        };
        let p2 = PostMetrics {
            followers: Some(4_100.0),
            follows: Some(2.0),
            conversions: Some(4.0),
            cost: Some(20.0),
            ..PostMetrics::default()
        };
        let posts = [
            Post {
                time: 0,
                account: "x",
                text: "",
                metrics: &p1,
            },
            Post {
                time: 1,
                account: "x",
                text: "",
                metrics: &p2,
            },
        ];
        let g = growth(&posts);
        assert_eq!(g[0].follower_growth, Some(0.025));
        assert_eq!(g[0].new_follows, Some(5.0));
        let rules = SocialRules {
            value_per_conversion: 10.0,
            ..SocialRules::default()
        };
        // value 4 × 10 = 40 against cost 20: ROI 1.0.
        assert_eq!(rates(&posts[1], &rules).roi.value, Some(1.0));
    }
}
