//! **Job-posting check**: which duties of a job description are community work and which
//! are social media work, and what the title should honestly be.
//!
//! The seed articles draw the line: community work gets people talking *with each other*
//! (connect members, welcome newcomers, peer support, ambassadors and champions, meetups and
//! user groups, moderation, retention, reaching out to inactive members); social media work
//! talks *to many* for the brand (content calendar, posting, followers, reach, engagement
//! rate, paid campaigns, clicks, conversions, ROI, influencers, brand awareness, listening,
//! crisis response). Their duty lists are the starting vocabulary, extended with the
//! words real postings use.
//!
//! Method:
//! 1. The posting is cut into duties: each bullet or numbered item, and each sentence of a
//!    paragraph. The first line is the title; headings and lines ending in `:` are not duties.
//! 2. In each duty, phrases of both vocabularies are found (lower case; `word*` matches a
//!    word's start, `…` lets up to three words sit between two parts; the longest phrase at a
//!    place wins, so "facebook group" is community work while "facebook" alone is social).
//!    Each phrase has a weight (2 for the phrases that define a side, such as "each other"
//!    or "followers", else 1).
//! 3. A duty counts once: its one unit is shared between the sides in proportion to their
//!    matched weight. Duties with no phrase are listed as unmatched and do not count.
//! 4. `community_share` = community units ÷ matched duties; `social_media_share` = 1 − that.
//!    Verdict: `community` when community_share ≥ 2/3, `social_media` when ≤ 1/3, else
//!    `mixed`.
//! 5. The honest title keeps the posting's level (Head of, Director, Lead, Senior,
//!    Coordinator, Specialist, Manager) and names the work the duties describe.
//!
//! Example: five duties — "moderate the forum" (community 1), "welcome new members"
//! (community 2), "grow followers on Instagram" (social 2 + 1), "publish posts" (social 1),
//! "report on engagement" (no phrase) → 2 community units, 2 social units, 1 unmatched:
//! community_share 0.5, verdict *mixed*, title "Community and Social Media Manager".

use serde::Serialize;

/// Which kind of work a phrase describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Community,
    SocialMedia,
}

/// Community work: getting people to talk with each other (weight, phrase).
pub const COMMUNITY: &[(f64, &str)] = &[
    (2.0, "each other"),
    (2.0, "one another"),
    (2.0, "peer-to-peer"),
    (2.0, "peer*"),
    (2.0, "member-led"),
    (2.0, "connect* … member*"),
    (2.0, "connect* … customers"),
    (2.0, "connect* … people"),
    (2.0, "connect* … developers"),
    (2.0, "connect* … users"),
    (2.0, "connect* … volunteers"),
    (2.0, "introduc* … member*"),
    (2.0, "introduc* … them to"),
    (2.0, "pair* … with"),
    (2.0, "match* … with"),
    (1.0, "bring* … together"),
    (1.0, "together"),
    (2.0, "help each other"),
    (2.0, "helping"),
    (1.0, "help newcomers"),
    (1.0, "newcomer*"),
    (2.0, "welcom* … new"),
    (1.0, "welcom*"),
    (1.0, "onboard*"),
    (1.0, "first question"),
    (1.0, "moderat*"),
    (1.0, "code of conduct"),
    (1.0, "guideline*"),
    (1.0, "safeguarding"),
    (1.0, "conflict*"),
    (1.0, "forum"),
    (1.0, "facebook group"),
    (1.0, "private group"),
    (1.0, "discord"),
    (1.0, "slack"),
    (1.0, "server"),
    (1.0, "online space"),
    (1.0, "hub"),
    (1.0, "member directory"),
    (1.0, "ambassador*"),
    (1.0, "champion*"),
    (1.0, "super-user*"),
    (1.0, "super user*"),
    (1.0, "superfan*"),
    (1.0, "advocate*"),
    (1.0, "mentor*"),
    (1.0, "volunteer*"),
    (1.0, "contributor*"),
    (1.0, "contributing"),
    (1.0, "maintainer*"),
    (1.0, "governance"),
    (1.0, "working group*"),
    (1.0, "council"),
    (1.0, "chapter*"),
    (1.0, "meetup*"),
    (1.0, "get-together*"),
    (1.0, "user group*"),
    (1.0, "roundtable*"),
    (1.0, "summit"),
    (1.0, "hackathon*"),
    (1.0, "gathering"),
    (1.0, "workshop*"),
    (1.0, "community call*"),
    (1.0, "community event*"),
    (1.0, "member event*"),
    (1.0, "host*"),
    (1.0, "member spotlight*"),
    (1.0, "spotlight*"),
    (1.0, "recogni*"),
    (1.0, "retention"),
    (1.0, "keep members"),
    (1.0, "inactive"),
    (1.0, "gone quiet"),
    (1.0, "stop coming"),
    (1.0, "follow up with members"),
    (1.0, "community health"),
    (1.0, "active members"),
    (1.0, "conversations between"),
    (1.0, "engagement between"),
    (1.0, "answered by"),
    (1.0, "answer* … question*"),
    (1.0, "knowledge-base"),
    (1.0, "knowledge base"),
    (1.0, "faq"),
    (1.0, "feedback"),
    (1.0, "member*"),
    (1.0, "clan*"),
    (1.0, "fan group*"),
    (1.0, "fan club"),
    (1.0, "player-run"),
    (1.0, "player-hosted"),
    (1.0, "leaders"),
    (1.0, "member leaders"),
    (1.0, "collaborat*"),
    (1.0, "share practices"),
    (1.0, "share experiences"),
    (1.0, "share what works"),
    (1.0, "share tips"),
    (1.0, "good-first-issues"),
    (1.0, "interest channels"),
    (1.0, "listening session*"),
    (1.0, "neighbourhood group*"),
    (1.0, "neighborhood group*"),
    (1.0, "local group*"),
    (1.0, "advocacy"),
    (1.0, "community program*"),
];

/// Social media work: talking to many for the brand (weight, phrase).
pub const SOCIAL_MEDIA: &[(f64, &str)] = &[
    (2.0, "social media"),
    (2.0, "social channel*"),
    (2.0, "social platform*"),
    (2.0, "social presence"),
    (2.0, "follower*"),
    (2.0, "content calendar"),
    (2.0, "engagement rate"),
    (2.0, "paid"),
    (2.0, "roi"),
    (2.0, "roas"),
    (2.0, "reach"),
    (2.0, "impressions"),
    (2.0, "influencer*"),
    (1.0, "instagram"),
    (1.0, "tiktok"),
    (1.0, "facebook"),
    (1.0, "linkedin"),
    (1.0, "twitter"),
    (1.0, "youtube"),
    (1.0, "on x"),
    (1.0, "post*"),
    (1.0, "publish*"),
    (1.0, "schedul*"),
    (1.0, "caption*"),
    (1.0, "copy"),
    (1.0, "copywriting"),
    (1.0, "graphic*"),
    (1.0, "video*"),
    (1.0, "stories"),
    (1.0, "hashtag*"),
    (1.0, "trend*"),
    (1.0, "meme*"),
    (1.0, "teaser*"),
    (1.0, "click*"),
    (1.0, "ctr"),
    (1.0, "conversion*"),
    (1.0, "cost per"),
    (1.0, "ad"),
    (1.0, "ads"),
    (1.0, "advertising"),
    (1.0, "ad creative"),
    (1.0, "campaign*"),
    (1.0, "budget*"),
    (1.0, "a/b"),
    (1.0, "bidding"),
    (1.0, "attribution"),
    (1.0, "user-generated content"),
    (1.0, "ugc"),
    (1.0, "brand awareness"),
    (1.0, "awareness"),
    (1.0, "brand voice"),
    (1.0, "voice"),
    (1.0, "brand's voice"),
    (1.0, "seo"),
    (1.0, "sem"),
    (1.0, "traffic"),
    (1.0, "newsletter*"),
    (1.0, "blog*"),
    (1.0, "email*"),
    (1.0, "landing page*"),
    (1.0, "leads"),
    (1.0, "pipeline"),
    (1.0, "revenue"),
    (1.0, "sales"),
    (1.0, "sign-ups"),
    (1.0, "launch*"),
    (1.0, "promot*"),
    (1.0, "pop-ups"),
    (1.0, "viral"),
    (1.0, "marketing"),
    (1.0, "mention*"),
    (1.0, "direct message*"),
    (1.0, "messages"),
    (1.0, "comment*"),
    (1.0, "respond*"),
    (1.0, "reply to"),
    (1.0, "response time*"),
    (1.0, "response rate"),
    (1.0, "customer service"),
    (1.0, "complaint*"),
    (1.0, "crisis"),
    (1.0, "holding statement*"),
    (1.0, "listening"),
    (2.0, "social metrics"),
    (1.0, "sentiment"),
    (1.0, "share of voice"),
    (1.0, "competitor*"),
    (1.0, "contest*"),
    (1.0, "giveaway*"),
    (1.0, "poll*"),
    (1.0, "dashboard*"),
    (1.0, "audience*"),
    (1.0, "creative"),
    (1.0, "designer*"),
    (1.0, "design team"),
    (1.0, "creative team"),
    (1.0, "case stud*"),
    (1.0, "review*"),
    (1.0, "press"),
    (1.0, "grow … reach"),
    (1.0, "spam"),
    (1.0, "short-form"),
    (1.0, "live q&a"),
];

/// The verdict's bounds on the community share.
pub const COMMUNITY_AT_LEAST: f64 = 2.0 / 3.0;
pub const SOCIAL_AT_MOST: f64 = 1.0 / 3.0;

/// One matched phrase in a duty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub side: Side,
    /// The vocabulary entry.
    pub phrase: &'static str,
    /// The words of the duty it matched.
    pub text: String,
    pub weight: f64,
}

/// One duty and what it was found to be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    /// 1-based line in the posting.
    pub line: usize,
    pub text: String,
    pub matches: Vec<Match>,
    /// This duty's unit split between the sides (both 0 when nothing matched).
    pub community: f64,
    pub social_media: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobCheck {
    pub title: String,
    pub verdict: &'static str,
    pub community_share: f64,
    pub social_media_share: f64,
    pub suggested_title: String,
    /// Whether the posting's own title names the same work (`None`: it names neither).
    pub title_fits: Option<bool>,
    pub duties: Vec<Duty>,
    pub matched_duties: usize,
}

/// Checks one job description (plain text or Markdown).
pub fn check(text: &str) -> JobCheck {
    let vocab = Vocabulary::new();
    let mut title = String::new();
    let mut duties = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let stripped = strip_marker(line);
        if title.is_empty() {
            title = stripped.trim_start_matches('#').trim().to_owned();
            continue;
        }
        if line.starts_with('#') || (stripped.ends_with(':') && stripped.len() < 60) {
            continue;
        }
        let is_item = stripped.len() != line.len();
        let pieces: Vec<String> = if is_item {
            vec![stripped.to_owned()]
        } else {
            sentences(stripped)
        };
        for piece in pieces {
            let matches = vocab.find(&piece);
            let c: f64 = matches
                .iter()
                .filter(|m| m.side == Side::Community)
                .map(|m| m.weight)
                .sum::<f64>()
                + 0.0;
            let s: f64 = matches
                .iter()
                .filter(|m| m.side == Side::SocialMedia)
                .map(|m| m.weight)
                .sum::<f64>()
                + 0.0;
            let (community, social_media) = if c + s > 0.0 {
                (c / (c + s), s / (c + s))
            } else {
                (0.0, 0.0)
            };
            duties.push(Duty {
                line: n + 1,
                text: piece,
                matches,
                community,
                social_media,
            });
        }
    }
    let matched: Vec<&Duty> = duties.iter().filter(|d| !d.matches.is_empty()).collect();
    // `+ 0.0` turns the -0.0 an f64 sum of nothing gives into 0.0.
    let units: f64 = matched.iter().map(|d| d.community).sum::<f64>() + 0.0;
    let community_share = if matched.is_empty() {
        0.0
    } else {
        units / matched.len() as f64
    };
    let social_media_share = if matched.is_empty() {
        0.0
    } else {
        1.0 - community_share
    };
    let verdict = if matched.is_empty() {
        "unknown"
    } else if community_share >= COMMUNITY_AT_LEAST {
        "community"
    } else if community_share <= SOCIAL_AT_MOST {
        "social_media"
    } else {
        "mixed"
    };
    let lower = title.to_lowercase();
    let says_community = lower.contains("community");
    let says_social = lower.contains("social");
    let title_fits = match (says_community, says_social) {
        (false, false) => None,
        (true, true) => Some(verdict == "mixed"),
        (true, false) => Some(verdict == "community"),
        (false, true) => Some(verdict == "social_media"),
    };
    let matched_duties = matched.len();
    JobCheck {
        suggested_title: honest_title(&title, verdict, community_share),
        title,
        verdict,
        community_share,
        social_media_share,
        title_fits,
        duties,
        matched_duties,
    }
}

/// The title the duties call for, at the posting's level.
fn honest_title(title: &str, verdict: &str, community_share: f64) -> String {
    let lower = title.to_lowercase();
    let work = match verdict {
        "community" => "Community",
        "social_media" => "Social Media",
        "mixed" if community_share >= 0.5 => "Community and Social Media",
        "mixed" => "Social Media and Community",
        _ => return title.to_owned(),
    };
    if lower.starts_with("head of") {
        return format!("Head of {work}");
    }
    if lower.contains("director") {
        return format!("{work} Director");
    }
    let senior = if lower.contains("senior") {
        "Senior "
    } else {
        ""
    };
    let level = ["coordinator", "specialist", "lead", "strategist", "analyst"]
        .iter()
        .find(|l| {
            lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == **l)
        })
        .map_or("Manager", |l| match *l {
            "coordinator" => "Coordinator",
            "specialist" => "Specialist",
            "lead" => "Lead",
            "strategist" => "Strategist",
            _ => "Analyst",
        });
    format!("{senior}{work} {level}")
}

/// A line without its list marker (`-`, `*`, `•`, `1.`, `2)`); unchanged when it has none.
fn strip_marker(line: &str) -> &str {
    let t = line.trim_start();
    for m in ["- ", "* ", "• ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return rest.trim();
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return r.trim();
        }
    }
    t
}

/// A paragraph cut into sentences (at `. `, `! `, `? `).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        cur.push(c);
        if matches!(c, '.' | '!' | '?') && chars.get(k + 1).is_none_or(|n| n.is_whitespace()) {
            let s = cur.trim().to_owned();
            if !s.is_empty() {
                out.push(s);
            }
            cur.clear();
        }
    }
    let s = cur.trim().to_owned();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Lower-case words; `-`, `/`, `'` and `&` inside a word stay.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '/' | '\'' | '&' | '’')))
        .map(|w| {
            w.trim_matches(|c| matches!(c, '-' | '/' | '\'' | '’'))
                .replace('’', "'")
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// One part of a phrase: a word, or a word's start (`word*`).
#[derive(Debug)]
enum Part {
    Word(String),
    Prefix(String),
    Gap,
}

impl Part {
    fn matches(&self, w: &str) -> bool {
        match self {
            Part::Word(x) => w == x,
            Part::Prefix(p) => w.starts_with(p.as_str()),
            Part::Gap => false,
        }
    }
}

#[derive(Debug)]
struct Phrase {
    side: Side,
    phrase: &'static str,
    weight: f64,
    parts: Vec<Part>,
}

/// Up to this many words can sit in a `…` gap.
const GAP_WORDS: usize = 3;

struct Vocabulary {
    phrases: Vec<Phrase>,
}

impl Vocabulary {
    fn new() -> Self {
        let mut phrases = Vec::new();
        for (side, list) in [
            (Side::Community, COMMUNITY),
            (Side::SocialMedia, SOCIAL_MEDIA),
        ] {
            for &(weight, phrase) in list {
                let parts = phrase
                    .split_whitespace()
                    .map(|p| {
                        if p == "…" {
                            Part::Gap
                        } else if let Some(stem) = p.strip_suffix('*') {
                            Part::Prefix(stem.to_owned())
                        } else {
                            Part::Word(p.to_owned())
                        }
                    })
                    .collect();
                phrases.push(Phrase {
                    side,
                    phrase,
                    weight,
                    parts,
                });
            }
        }
        Vocabulary { phrases }
    }

    /// The phrases of a duty, longest first at each place, without overlaps.
    fn find(&self, text: &str) -> Vec<Match> {
        let w = words(text);
        let mut out = Vec::new();
        let mut k = 0;
        while k < w.len() {
            let mut best: Option<(usize, &Phrase)> = None;
            for p in &self.phrases {
                if let Some(end) = span(&p.parts, &w, k) {
                    // Longest span, then the more specific phrase, then the first listed.
                    let better =
                        best.is_none_or(|(e, b)| (end, p.parts.len()) > (e, b.parts.len()));
                    if better {
                        best = Some((end, p));
                    }
                }
            }
            match best {
                Some((end, p)) => {
                    out.push(Match {
                        side: p.side,
                        phrase: p.phrase,
                        text: w[k..end].join(" "),
                        weight: p.weight,
                    });
                    k = end;
                }
                None => k += 1,
            }
        }
        out
    }
}

/// Where a phrase that starts at word `k` ends (exclusive), if it matches there.
fn span(parts: &[Part], w: &[String], k: usize) -> Option<usize> {
    let mut pos = k;
    let mut gap = false;
    for part in parts {
        if matches!(part, Part::Gap) {
            gap = true;
            continue;
        }
        let reach = if gap { GAP_WORDS + 1 } else { 1 };
        let found = (pos..(pos + reach).min(w.len())).find(|&j| part.matches(&w[j]))?;
        pos = found + 1;
        gap = false;
    }
    (pos > k).then_some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_in_the_header() {
        let r = check(
            "Community Manager\n- Moderate the forum\n- Welcome new members\n\
             - Grow followers on Instagram\n- Publish posts\n- Report on engagement\n",
        );
        let units: Vec<(f64, f64)> = r
            .duties
            .iter()
            .map(|d| (d.community, d.social_media))
            .collect();
        assert_eq!(
            units,
            vec![(1.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
        );
        assert_eq!(r.matched_duties, 4);
        assert_eq!(r.community_share, 0.5);
        assert_eq!(r.verdict, "mixed");
        assert_eq!(r.suggested_title, "Community and Social Media Manager");
        assert_eq!(r.title_fits, Some(false));
    }

    #[test]
    fn the_longest_phrase_wins() {
        let m = Vocabulary::new().find("Grow our Facebook group for customers");
        assert_eq!(m[0].phrase, "facebook group");
        assert_eq!(m[0].side, Side::Community);
        let m = Vocabulary::new().find("Connect customers with each other");
        let phrases: Vec<&str> = m.iter().map(|m| m.phrase).collect();
        assert_eq!(phrases, vec!["connect* … customers", "each other"]);
    }

    #[test]
    fn titles_keep_their_level() {
        assert_eq!(
            honest_title("Head of Community", "social_media", 0.1),
            "Head of Social Media"
        );
        assert_eq!(
            honest_title("Community Coordinator", "social_media", 0.1),
            "Social Media Coordinator"
        );
        assert_eq!(
            honest_title("Senior Community Lead", "community", 0.9),
            "Senior Community Lead"
        );
    }

    #[test]
    fn no_negative_zero() {
        let r = check("Social Media Manager\n- Grow followers on Instagram\n");
        assert!(
            r.community_share.is_sign_positive(),
            "{}",
            r.community_share
        );
        assert!(r.duties[0].community.is_sign_positive());
    }

    #[test]
    fn empty_and_odd_input_give_no_verdict() {
        assert_eq!(check("").verdict, "unknown");
        assert_eq!(check("Title only").verdict, "unknown");
        assert_eq!(check("\u{0}\u{feff}#\n-\n*\n1.").verdict, "unknown");
    }
}
