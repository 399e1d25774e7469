//! **Routing**: every inbound item — a member's message that is addressed to the brand,
//! names it, or starts a thread in one of its spaces — goes to one or more work queues
//! (`social:respond`, `social:amplify`, `community:invite`, `community:connect`,
//! `community:welcome`, `support`, `crisis`) with the rule and the signals that sent it.
//!
//! Signals of an item (own words only: quotes and signatures are stripped first):
//! - `addressed`: replies to, or @-mentions, a brand person;
//! - `mentions_brand`: names the brand or a product (`[brand] names`, whole words, any case);
//! - `question`: a `?`, the first word is a question word (how, what, why, is, can,
//!   does, anyone, …), or a request (I need, please, looking for, any idea, …);
//! - `problem`: reports trouble (error, fails, crash, broken, doesn't work, unable, …);
//! - `sentiment`: the sentiment measure's label (positive / negative / neutral);
//! - `praise`: positive, with praise words (love, great, awesome, excellent, recommend,
//!   works great, …), and neither a question nor a problem (thanks alone is gratitude for
//!   help, not praise);
//! - `newcomer`: the author's first message in the space;
//! - `influential`: the author talked with at least `influential_people` (20) people;
//! - `unanswered`: no one else has replied to it (for a thread's first message: no one
//!   else has written in the thread) by the as-of moment;
//! - `channel`: `social` for spaces of `social_sources`, else `community`;
//! - `crisis_words`: one of `crisis_words` appears;
//! - `expert`: for a question that starts a thread, the member who wrote in most other
//!   members' threads whose subjects share at least `EXPERT_MIN_WORDS` (2) distinctive words
//!   with its subject (words in more than `COMMON_SUBJECT_SHARE` (1 %) of subjects are not
//!   distinctive), if there are at least `EXPERT_MIN_THREADS` (2) such threads.
//!
//! Rules (`[[route.rules]]` in `hearth.toml`; these are the defaults) are tried in order;
//! an item goes to every queue of every rule whose conditions all hold, once per queue:
//! crisis (crisis words and negative → crisis), question and problem → support, newcomer
//! → community:welcome, expert-nearby (unanswered question with an expert → community:
//! connect), praise (praise about the brand → social:amplify and community:invite), and
//! social-mention (unanswered, about the brand, on a social channel, not praise →
//! social:respond). An inbound item no rule takes is listed as unrouted.

use crate::Context;
use crate::text::sentiment::{own_words, score_own};
use hearth_model::{BrandRules, NO_PARENT, Role, RouteRules, When};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub const EXPERT_MIN_WORDS: usize = 2;
pub const EXPERT_MIN_THREADS: usize = 2;
pub const COMMON_SUBJECT_SHARE: f64 = 0.01;

const QUESTION_OPENERS: &[&str] = &[
    "how",
    "what",
    "why",
    "when",
    "where",
    "which",
    "who",
    "is",
    "are",
    "can",
    "could",
    "does",
    "do",
    "did",
    "should",
    "would",
    "will",
    "has",
    "have",
    "anyone",
    "any",
    "wondering",
];
const PROBLEM_WORDS: &[&str] = &[
    "error",
    "errors",
    "fail",
    "fails",
    "failed",
    "failing",
    "failure",
    "crash",
    "crashes",
    "crashed",
    "broken",
    "doesn't work",
    "does not work",
    "not working",
    "stopped working",
    "unable",
    "can't",
    "cannot",
    "bug",
    "stuck",
    "problem",
    "issue",
];
/// Praise: what a happy customer says about a product. Thanks alone is gratitude for help,
/// not praise.
const PRAISE_WORDS: &[&str] = &[
    "love",
    "great",
    "awesome",
    "amazing",
    "excellent",
    "fantastic",
    "brilliant",
    "recommend",
    "impressed",
    "kudos",
    "perfect",
    "perfectly",
    "works great",
    "well done",
];
/// Requests that ask for help without a question mark.
const REQUESTS: &[&str] = &[
    "i need",
    "we need",
    "please",
    "help me",
    "looking for",
    "would like to know",
    "any idea",
    "any ideas",
    "any suggestions",
    "i wonder",
];
const STOP: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "from",
    "this",
    "that",
    "are",
    "was",
    "not",
    "but",
    "you",
    "your",
    "have",
    "has",
    "can",
    "how",
    "what",
    "why",
    "when",
    "when",
    "using",
    "use",
    "via",
    "into",
    "fwd",
    "question",
    "help",
    "issue",
    "issues",
    "problem",
    "problems",
    "about",
    "does",
    "any",
    "there",
    "need",
    "needed",
    "only",
    "trying",
    "try",
    "run",
    "running",
    "back",
    "out",
    "off",
    "different",
    "specific",
    "create",
    "during",
    "between",
    "after",
    "before",
    "multiple",
    "new",
    "not",
    "how",
    "possible",
    "working",
    "work",
    "works",
    "get",
    "getting",
    "set",
    "setting",
    "same",
    "more",
    "than",
    "one",
    "two",
    "all",
    "some",
    "without",
    "while",
    "want",
    "regarding",
];

/// What an item is and what it says.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Signals {
    pub addressed: bool,
    pub mentions_brand: bool,
    pub question: bool,
    pub problem: bool,
    pub sentiment: &'static str,
    pub praise: bool,
    pub newcomer: bool,
    pub influential: bool,
    pub people_talked_with: u64,
    /// The message's intent ([`crate::text::intent`]) and the rule that gave it.
    pub intent: crate::text::intent::Intent,
    pub intent_rule: &'static str,
    /// Nobody answered it, and it waits for an answer (a question, problem or request).
    pub unanswered: bool,
    pub channel: &'static str,
    pub crisis_words: Vec<String>,
    /// (expert, threads they answered on the subject, the shared words).
    pub expert: Option<(u32, usize, Vec<String>)>,
    pub words: Vec<String>,
}

/// One queue an item went to, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    pub queue: String,
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Routed {
    pub message: u32,
    pub signals: Signals,
    /// Empty: inbound, but no rule took it.
    pub routes: Vec<Route>,
}

/// Text the router reads: subject and body by snapshot message index.
#[derive(Debug, Default)]
pub struct Texts {
    pub body: HashMap<u32, String>,
    pub subject: HashMap<u32, String>,
}

/// Members' messages in the window: the candidates whose text routing needs.
pub fn candidates(cx: &Context<'_>) -> Vec<u32> {
    let m = &cx.snapshot.messages;
    cx.in_window()
        .filter(|&i| cx.role(m.author[i]) == Role::Member)
        .map(|i| i as u32)
        .collect()
}

/// Thread roots of the space in scope (their subjects feed the expert finder).
pub fn subject_roots(cx: &Context<'_>) -> Vec<u32> {
    let m = &cx.snapshot.messages;
    cx.in_space()
        .filter(|&i| m.starts_thread(i) && m.time[i] < cx.as_of())
        .map(|i| i as u32)
        .collect()
}

/// Routes every inbound item in scope, oldest first.
pub fn route(
    cx: &Context<'_>,
    rules: &RouteRules,
    brand: &BrandRules,
    texts: &Texts,
) -> Vec<Routed> {
    let items = candidates(cx);
    route_with(
        cx,
        rules,
        brand,
        texts,
        &Index::new(cx, texts),
        false,
        &items,
    )
}

/// What routing knows of the space up to the as-of moment: who replied to what, who wrote in
/// each thread, each member's first message and partners, and the expert finder's threads.
/// It depends on the space and the as-of moment only (never on the window's start), so one
/// index serves every window of that space and end.
pub struct Index {
    replied: HashSet<u32>,
    thread_others: HashMap<u32, HashSet<u32>>,
    first: HashMap<u32, (i64, u32)>,
    partners: HashMap<u32, HashSet<u32>>,
    experts: Experts,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("threads", &self.thread_others.len())
            .field("authors", &self.first.len())
            .finish_non_exhaustive()
    }
}

impl Index {
    /// `texts.subject` must hold the subjects of the [`subject_roots`].
    pub fn new(cx: &Context<'_>, texts: &Texts) -> Index {
        let m = &cx.snapshot.messages;
        let as_of = cx.as_of();
        let mut replied: HashSet<u32> = HashSet::new();
        let mut thread_others: HashMap<u32, HashSet<u32>> = HashMap::new();
        let mut first: HashMap<u32, (i64, u32)> = HashMap::new();
        let mut partners: HashMap<u32, HashSet<u32>> = HashMap::new();
        for i in cx.in_space() {
            if m.time[i] >= as_of {
                continue;
            }
            let a = m.author[i];
            let p = m.parent[i];
            if p != NO_PARENT {
                let to = m.author[p as usize];
                if to != a {
                    replied.insert(p);
                    partners.entry(a).or_default().insert(to);
                    partners.entry(to).or_default().insert(a);
                }
            }
            thread_others.entry(cx.roots[i]).or_default().insert(a);
            let c = (m.time[i], i as u32);
            first.entry(a).and_modify(|f| *f = (*f).min(c)).or_insert(c);
        }
        Index {
            replied,
            thread_others,
            first,
            partners,
            experts: Experts::new(cx, texts, as_of),
        }
    }
}

/// A fixed word list as word sequences, split once.
fn phrases(list: &[&str]) -> Vec<Vec<String>> {
    list.iter().map(|w| words(w)).collect()
}

/// [`route`] of `items` (some of the context's [`candidates`]) with an [`Index`] of the
/// context's space and as-of moment. An item's routing depends on the index and its own text
/// only, so items routed apart route the same as together. With `stored`, the sentiment label
/// is the one stored at ingest (when the snapshot's measures are this lexicon's: the same
/// label, computed once) instead of scored again from the text.
pub fn route_with(
    cx: &Context<'_>,
    rules: &RouteRules,
    brand: &BrandRules,
    texts: &Texts,
    index: &Index,
    stored: bool,
    items: &[u32],
) -> Vec<Routed> {
    let m = &cx.snapshot.messages;
    let brand_names: Vec<Vec<String>> = brand
        .names
        .iter()
        .map(|n| words(n))
        .filter(|w| !w.is_empty())
        .collect();
    let crisis: Vec<Vec<String>> = rules.crisis_words.iter().map(|w| words(w)).collect();
    let (requests, problems, praises) = (
        phrases(REQUESTS),
        phrases(PROBLEM_WORDS),
        phrases(PRAISE_WORDS),
    );
    let stored = stored
        && m.measure_key
            .is_some_and(|k| k.0 == crate::text::measures::LEXICON);
    let Index {
        replied,
        thread_others,
        first,
        partners,
        experts,
    } = index;
    let mut out = Vec::new();
    let mut scope: Vec<usize> = items.iter().map(|&i| i as usize).collect();
    scope.sort_by_key(|&i| (m.time[i], i));
    for i in scope {
        let a = m.author[i];
        let body = texts.body.get(&(i as u32)).map_or("", String::as_str);
        let subject = texts.subject.get(&(i as u32)).map_or("", String::as_str);
        let own = own_words(body);
        let own_lower = own.to_lowercase();
        let own_words_list = words(&own_lower);
        let p = m.parent[i];
        let addressed = (p != NO_PARENT && cx.role(m.author[p as usize]) == Role::Brand)
            || m.mentions(i).iter().any(|&q| cx.role(q) == Role::Brand);
        let subject_words = words(&untagged(subject));
        // Only a thread's first message is routed for being one (an orphan reply is not).
        let root = m.starts_thread(i);
        let mentions_brand = brand_names
            .iter()
            .any(|n| contains(&own_words_list, n) || (root && contains(&subject_words, n)));
        if !(addressed || mentions_brand || root) {
            continue;
        }
        let first_word = own_words_list.first().map_or("", String::as_str);
        let question = own.contains('?')
            || QUESTION_OPENERS.contains(&first_word)
            || requests.iter().any(|w| contains(&own_words_list, w));
        let problem = problems.iter().any(|w| contains(&own_words_list, w));
        let sentiment = match m.measure(i).filter(|_| stored) {
            Some(x) => crate::text::measures::label_name(x.label),
            None => score_own(&own).label,
        };
        let praise = sentiment == "positive"
            && !question
            && !problem
            && praises.iter().any(|w| contains(&own_words_list, w));
        let newcomer = first.get(&a).is_some_and(|&(_, f)| f as usize == i);
        let people_talked_with = partners.get(&a).map_or(0, |s| s.len() as u64);
        let intent = crate::text::intent::classify(&own, root);
        let unanswered = intent.intent.waits()
            && if root {
                thread_others
                    .get(&(i as u32))
                    .is_none_or(|s| s.iter().all(|&x| x == a))
            } else {
                !replied.contains(&(i as u32))
            };
        let source = &cx.snapshot.spaces[m.space[i] as usize].source;
        let channel = if rules.social_sources.iter().any(|s| s == source) {
            "social"
        } else {
            "community"
        };
        let crisis_words: Vec<String> = rules
            .crisis_words
            .iter()
            .zip(&crisis)
            .filter(|(_, w)| contains(&own_words_list, w))
            .map(|(s, _)| s.clone())
            .collect();
        // Connecting is for new questions: a thread's first message.
        let expert = if question && root {
            experts.find(if subject.is_empty() { &own } else { subject }, a)
        } else {
            None
        };
        let signals = Signals {
            addressed,
            mentions_brand,
            question,
            problem,
            sentiment,
            praise,
            newcomer,
            influential: people_talked_with >= rules.influential_people,
            people_talked_with,
            intent: intent.intent,
            intent_rule: intent.rule,
            unanswered,
            channel,
            crisis_words,
            expert,
            words: own_words_list,
        };
        let mut routes: Vec<Route> = Vec::new();
        for rule in &rules.rules {
            if !holds(&rule.when, &signals) {
                continue;
            }
            for q in &rule.to {
                if routes.iter().any(|r| &r.queue == q) {
                    continue;
                }
                routes.push(Route {
                    queue: q.clone(),
                    rule: rule.name.clone(),
                    reason: reason(&rule.when, &signals, cx),
                });
            }
        }
        let mut signals = signals;
        signals.words = Vec::new();
        out.push(Routed {
            message: i as u32,
            signals,
            routes,
        });
    }
    out
}

fn holds(w: &When, s: &Signals) -> bool {
    let is = |cond: Option<bool>, v: bool| cond.is_none_or(|c| c == v);
    is(w.addressed, s.addressed)
        && is(w.mentions_brand, s.mentions_brand)
        && is(w.about_brand, s.addressed || s.mentions_brand)
        && is(w.question, s.question)
        && is(w.problem, s.problem)
        && is(w.praise, s.praise)
        && w.sentiment.as_deref().is_none_or(|x| x == s.sentiment)
        && is(w.newcomer, s.newcomer)
        && is(w.influential, s.influential)
        && is(w.unanswered, s.unanswered)
        && w.channel.as_deref().is_none_or(|x| x == s.channel)
        && is(w.crisis_words, !s.crisis_words.is_empty())
        && is(w.expert, s.expert.is_some())
        && (w.words.is_empty() || w.words.iter().any(|x| contains(&s.words, &words(x))))
}

/// The signals a rule looked at, in words.
fn reason(w: &When, s: &Signals, cx: &Context<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let yes_no = |c: Option<bool>, yes: &str, no: &str, parts: &mut Vec<String>| {
        if let Some(c) = c {
            parts.push(if c { yes.to_owned() } else { no.to_owned() });
        }
    };
    if w.crisis_words.is_some() && !s.crisis_words.is_empty() {
        parts.push(format!("crisis words: {}", s.crisis_words.join(", ")));
    }
    if let Some(x) = &w.sentiment {
        parts.push(format!("sentiment {x}"));
    }
    yes_no(w.question, "asks a question", "asks nothing", &mut parts);
    yes_no(
        w.problem,
        "reports a problem",
        "reports no problem",
        &mut parts,
    );
    yes_no(w.praise, "praise", "not praise", &mut parts);
    yes_no(
        w.newcomer,
        "first message here",
        "not a newcomer",
        &mut parts,
    );
    if w.about_brand.is_some() || w.addressed.is_some() || w.mentions_brand.is_some() {
        match (s.addressed, s.mentions_brand) {
            (true, true) => parts.push("addressed to the brand and names it".into()),
            (true, false) => parts.push("addressed to the brand".into()),
            (false, true) => parts.push("names the brand".into()),
            (false, false) => parts.push("not about the brand".into()),
        }
    }
    if w.influential.is_some() {
        parts.push(format!(
            "author talked with {} people",
            s.people_talked_with
        ));
    }
    yes_no(
        w.unanswered,
        "nobody has replied",
        "already answered",
        &mut parts,
    );
    if let Some(c) = &w.channel {
        parts.push(format!("{c} channel"));
    }
    if w.expert.is_some()
        && let Some((p, n, shared)) = &s.expert
    {
        let name = cx
            .snapshot
            .persons
            .get(*p as usize)
            .map_or("?", |i| i.display_name.as_str());
        parts.push(format!(
            "{name} answered {n} threads about {}",
            shared.join(", ")
        ));
    }
    if !w.words.is_empty() {
        parts.push("contains a listed word".into());
    }
    parts.join("; ")
}

/// Threads by the distinctive words of their subjects, and who (members) answered them.
struct Experts {
    /// word → threads whose subject has it
    threads_with: HashMap<String, Vec<u32>>,
    /// thread → members other than the starter who wrote in it
    answerers: HashMap<u32, Vec<u32>>,
    subject_words: HashMap<u32, Vec<String>>,
    common: HashSet<String>,
}

impl Experts {
    fn new(cx: &Context<'_>, texts: &Texts, as_of: i64) -> Self {
        let m = &cx.snapshot.messages;
        let mut df: HashMap<String, usize> = HashMap::new();
        let mut subject_words: HashMap<u32, Vec<String>> = HashMap::new();
        for (&root, subject) in &texts.subject {
            if (root as usize) >= m.len() || !m.starts_thread(root as usize) {
                continue;
            }
            let mut w = subject_terms(subject);
            w.sort();
            w.dedup();
            for x in &w {
                *df.entry(x.clone()).or_default() += 1;
            }
            subject_words.insert(root, w);
        }
        let limit = (subject_words.len() as f64 * COMMON_SUBJECT_SHARE).max(3.0);
        let common: HashSet<String> = df
            .iter()
            .filter(|(_, n)| **n as f64 > limit)
            .map(|(w, _)| w.clone())
            .collect();
        let mut threads_with: HashMap<String, Vec<u32>> = HashMap::new();
        let mut keys: Vec<&u32> = subject_words.keys().collect();
        keys.sort_unstable();
        for root in keys {
            for x in subject_words[root].iter().filter(|x| !common.contains(*x)) {
                threads_with.entry(x.clone()).or_default().push(*root);
            }
        }
        let mut answerers: HashMap<u32, Vec<u32>> = HashMap::new();
        for i in cx.in_space() {
            if m.time[i] >= as_of || m.parent[i] == NO_PARENT {
                continue;
            }
            let a = m.author[i];
            let root = cx.roots[i];
            if cx.role(a) != Role::Member || m.author[root as usize] == a {
                continue;
            }
            let list = answerers.entry(root).or_default();
            if !list.contains(&a) {
                list.push(a);
            }
        }
        Experts {
            threads_with,
            answerers,
            subject_words,
            common,
        }
    }

    /// The member who wrote answers in most earlier threads sharing at least
    /// `EXPERT_MIN_WORDS` distinctive subject words with this one.
    fn find(&self, subject: &str, asker: u32) -> Option<(u32, usize, Vec<String>)> {
        let mut terms = subject_terms(subject);
        terms.sort();
        terms.dedup();
        terms.retain(|t| !self.common.contains(t));
        let mut overlap: HashMap<u32, usize> = HashMap::new();
        for t in &terms {
            for &root in self.threads_with.get(t).into_iter().flatten() {
                *overlap.entry(root).or_default() += 1;
            }
        }
        // member → (similar threads answered, words shared with them)
        let mut by_member: HashMap<u32, (usize, Vec<String>)> = HashMap::new();
        for (root, n) in overlap {
            if n < EXPERT_MIN_WORDS {
                continue;
            }
            for &p in self.answerers.get(&root).into_iter().flatten() {
                if p == asker {
                    continue;
                }
                let e = by_member.entry(p).or_default();
                e.0 += 1;
                for w in self.subject_words.get(&root).into_iter().flatten() {
                    if terms.contains(w) && !e.1.contains(w) {
                        e.1.push(w.clone());
                    }
                }
            }
        }
        by_member
            .into_iter()
            .filter(|(_, (n, _))| *n >= EXPERT_MIN_THREADS)
            .max_by(|a, b| (a.1.0, std::cmp::Reverse(a.0)).cmp(&(b.1.0, std::cmp::Reverse(b.0))))
            .map(|(p, (n, mut w))| {
                w.sort();
                (p, n, w)
            })
    }
}

/// Distinctive-looking words of a subject: lower case, 3+ characters, no list tags or
/// reply prefixes, no stop words.
fn subject_terms(subject: &str) -> Vec<String> {
    let lower = subject.to_lowercase();
    let mut s = lower.as_str();
    // Drop a leading "[list-name]" tag and "re:"/"fwd:" prefixes wherever they are.
    let cleaned: String;
    if let (Some(a), Some(b)) = (s.find('['), s.find(']'))
        && a < b
    {
        cleaned = format!("{} {}", &s[..a], &s[b + 1..]);
        s = &cleaned;
    }
    words(s)
        .into_iter()
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(&w.as_str()) && w != "re" && w != "fw")
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// A subject without its mailing-list tags (`[USRP-users] Re: …` → ` Re: …`): a list's name
/// in every subject is not a mention.
pub(crate) fn untagged(subject: &str) -> String {
    let mut out = String::with_capacity(subject.len());
    let mut depth = 0usize;
    for ch in subject.chars() {
        match ch {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Lower-case words; an inner `'` stays ("doesn't"), a hyphen separates ("USRP-B210" names
/// "usrp").
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']).replace('’', "'").to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `needle` (a word sequence) appears in `hay`.
pub(crate) fn contains(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases() {
        let w = words("It doesn't work, the USRP-B210 fails!");
        assert!(contains(&w, &words("doesn't work")));
        assert!(contains(&w, &words("usrp")));
        assert!(!contains(&w, &words("usr")));
        assert_eq!(
            subject_terms("[USRP-users] Re: X310 DPDK timeout on Ubuntu 22.04"),
            vec!["x310", "dpdk", "timeout", "ubuntu"]
        );
    }
}
