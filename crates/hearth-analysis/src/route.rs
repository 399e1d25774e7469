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
use hearth_model::{BrandRules, NO_PARENT, Role, RouteRules, Snapshot, When};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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
}

/// One queue an item went to, and the rule that sent it there ([`Routed::reason`] says why in
/// words, when shown: a window routes a hundred thousand items and shows a hundred).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub queue: Arc<str>,
    pub rule: Arc<str>,
    /// The rule's position in the rules the item was routed with.
    pub at: u32,
}

/// An item routed at an as-of moment: its reading (shared with whoever keeps the readings)
/// and what depends on the moment, small (a window routes half a million items and shows a
/// hundred; [`Routed::signals`] puts them together for those shown).
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    pub message: u32,
    /// Empty: inbound, but no rule took it. Items that went to the same queues by the same
    /// rules share one list.
    pub routes: Arc<[Route]>,
    read: Arc<Read>,
    newcomer: bool,
    influential: bool,
    unanswered: bool,
    /// The expert has been looked for (a rule asked, or [`seek_experts`]): a new question's
    /// expert is looked for when a rule needs it or the item is shown, not for every item.
    sought: bool,
    people_talked_with: u32,
    expert: Option<Box<(u32, usize, Vec<String>)>>,
}

impl Routed {
    /// Whether the expert on its subject is still to be looked for ([`seek_experts`]).
    pub fn unsought(&self) -> bool {
        !self.sought && self.read.expert_terms.is_some()
    }

    /// The expert on a new question's subject: (member, threads they answered on it, the
    /// shared words); `None` too while [`Routed::unsought`].
    pub fn expert(&self) -> Option<&(u32, usize, Vec<String>)> {
        self.expert.as_deref()
    }

    /// What routing saw in the item, at the moment it was routed.
    pub fn signals(&self) -> Signals {
        let r = &self.read;
        Signals {
            addressed: r.addressed,
            mentions_brand: r.mentions_brand,
            question: r.question,
            problem: r.problem,
            sentiment: r.sentiment,
            praise: r.praise,
            newcomer: self.newcomer,
            influential: self.influential,
            people_talked_with: u64::from(self.people_talked_with),
            intent: r.intent,
            intent_rule: r.intent_rule,
            unanswered: self.unanswered,
            channel: r.channel,
            crisis_words: r.crisis_words.clone(),
            expert: self.expert.as_deref().cloned(),
        }
    }

    /// Why the item went to `route`'s queue: the signals its rule looked at, in words.
    /// `rules` are the rules it was routed with.
    pub fn reason(&self, route: &Route, rules: &RouteRules, snapshot: &Snapshot) -> String {
        rules
            .rules
            .get(route.at as usize)
            .map_or_else(String::new, |rule| {
                reason(&rule.when, &self.signals(), snapshot)
            })
    }
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

/// What routing knows of the space up to the moment it was built for: when each message was
/// first replied to, when each thread was first answered, each author's first message, when
/// each person first talked with each other person, and the expert finder's threads.
///
/// Built once for a scope without an end, it routes the items of every window of that space
/// at any earlier as-of moment ([`route_read`]): everything it holds keeps its time, so an
/// earlier moment is a cut of it.
pub struct Index {
    space: Option<u32>,
    as_of: i64,
    /// Message → when someone else first replied to it ([`NEVER`]: nobody did), by
    /// message index: one load a lookup (an index is kept and looked up for every item of
    /// every window).
    replied: Vec<i64>,
    /// Thread root → when someone other than its starter first wrote in the thread.
    answered: Vec<i64>,
    /// Person → their first message in the space ([`NO_FIRST`]: none).
    first: Vec<u32>,
    /// Person `p` → when they first talked with each of their partners (a reply either way),
    /// in time order: `partner_times[partner_at[p]..partner_at[p + 1]]`.
    partner_at: Vec<u32>,
    partner_times: Vec<i64>,
    experts: Experts,
}

/// No such moment (nobody replied, nobody answered).
const NEVER: i64 = i64::MAX;
const NO_FIRST: u32 = u32::MAX;

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("space", &self.space)
            .field("as_of", &self.as_of)
            .finish_non_exhaustive()
    }
}

impl Index {
    /// `texts.subject` must hold the subjects of the [`subject_roots`].
    pub fn new(cx: &Context<'_>, texts: &Texts) -> Index {
        let m = &cx.snapshot.messages;
        let as_of = cx.as_of();
        let people = cx.snapshot.persons.len();
        let mut replied = vec![NEVER; m.len()];
        let mut answered = vec![NEVER; m.len()];
        let mut first_at: Vec<(i64, u32)> = vec![(NEVER, NO_FIRST); people];
        let mut talked: HashMap<(u32, u32), i64> = HashMap::new();
        for i in cx.in_space() {
            let t = m.time[i];
            if t >= as_of {
                continue;
            }
            let a = m.author[i];
            let p = m.parent[i];
            if p != NO_PARENT {
                let to = m.author[p as usize];
                if to != a {
                    let r = &mut replied[p as usize];
                    *r = (*r).min(t);
                    for pair in [(a, to), (to, a)] {
                        talked
                            .entry(pair)
                            .and_modify(|e| *e = (*e).min(t))
                            .or_insert(t);
                    }
                }
            }
            let root = cx.roots[i];
            if m.author[root as usize] != a {
                let r = &mut answered[root as usize];
                *r = (*r).min(t);
            }
            if let Some(f) = first_at.get_mut(a as usize) {
                *f = (*f).min((t, i as u32));
            }
        }
        let mut pairs: Vec<(u32, i64)> = talked.into_iter().map(|((a, _), t)| (a, t)).collect();
        pairs.sort_unstable();
        let mut partner_at = Vec::with_capacity(people + 1);
        let mut k = 0;
        for p in 0..people as u32 {
            partner_at.push(k as u32);
            while k < pairs.len() && pairs[k].0 == p {
                k += 1;
            }
        }
        partner_at.push(k as u32);
        Index {
            space: cx.space,
            as_of,
            replied,
            answered,
            first: first_at.into_iter().map(|(_, i)| i).collect(),
            partner_at,
            partner_times: pairs.into_iter().map(|(_, t)| t).collect(),
            experts: Experts::new(cx, texts, as_of),
        }
    }

    /// When person `a` first talked with each partner, in time order.
    fn partners(&self, a: u32) -> &[i64] {
        let a = a as usize;
        match (self.partner_at.get(a), self.partner_at.get(a + 1)) {
            (Some(&lo), Some(&hi)) => &self.partner_times[lo as usize..hi as usize],
            _ => &[],
        }
    }

    /// Whether the index answers `cx`: the same space, an as-of moment no later.
    pub fn covers(&self, cx: &Context<'_>) -> bool {
        self.space == cx.space && cx.as_of() <= self.as_of
    }
}

/// What routing reads in an item: its own words and subject, and who it answers. None of it
/// depends on the as-of moment, so an item read once is routed at any moment without its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub message: u32,
    addressed: bool,
    mentions_brand: bool,
    /// It starts a thread (an orphan reply does not).
    root: bool,
    question: bool,
    problem: bool,
    sentiment: &'static str,
    praise: bool,
    intent: crate::text::intent::Intent,
    intent_rule: &'static str,
    channel: &'static str,
    crisis_words: Vec<String>,
    /// A question that starts a thread: its subject's distinctive words (its own words' when
    /// it has no subject), sorted, for the expert finder.
    /// Equal terms are one allocation (see [`Read::share_terms`]): items of one subject
    /// share one expert search, found by where their terms are.
    expert_terms: Option<Arc<[String]>>,
    /// The rules (by position) whose listed words it contains.
    rule_words: Vec<u32>,
}

/// The fixed and configured word lists routing looks for, indexed by first word: one lookup a
/// word of the text, whatever the number of phrases.
struct Lists {
    by_first: HashMap<String, Vec<(Group, u32, Vec<String>)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Request,
    Problem,
    Praise,
    Brand,
    Crisis,
    RuleWords,
}

impl Lists {
    fn new(rules: &RouteRules, brand: &BrandRules) -> Lists {
        let mut lists = Lists {
            by_first: HashMap::new(),
        };
        for (group, list) in [
            (Group::Request, REQUESTS),
            (Group::Problem, PROBLEM_WORDS),
            (Group::Praise, PRAISE_WORDS),
        ] {
            for (k, w) in list.iter().enumerate() {
                lists.add(group, k as u32, w);
            }
        }
        for (k, n) in brand.names.iter().enumerate() {
            lists.add(Group::Brand, k as u32, n);
        }
        for (k, w) in rules.crisis_words.iter().enumerate() {
            lists.add(Group::Crisis, k as u32, w);
        }
        for (k, rule) in rules.rules.iter().enumerate() {
            for w in &rule.when.words {
                lists.add(Group::RuleWords, k as u32, w);
            }
        }
        lists
    }

    fn add(&mut self, group: Group, k: u32, phrase: &str) {
        if let Some((first, rest)) = words(phrase).split_first() {
            self.by_first
                .entry(first.clone())
                .or_default()
                .push((group, k, rest.to_vec()));
        }
    }

    /// Every (group, position) found in `hay`, once each, in the order first found.
    fn scan(&self, hay: &[String]) -> Vec<(Group, u32)> {
        let mut found: Vec<(Group, u32)> = Vec::new();
        for (at, w) in hay.iter().enumerate() {
            let Some(list) = self.by_first.get(w) else {
                continue;
            };
            for (group, k, rest) in list {
                let follows = hay.len() > at + rest.len()
                    && rest.iter().zip(&hay[at + 1..]).all(|(a, b)| a == b);
                if follows && !found.contains(&(*group, *k)) {
                    found.push((*group, *k));
                }
            }
        }
        found
    }
}

/// Reads `items` (some of the context's [`candidates`]): the inbound ones, oldest first. With
/// `stored`, the sentiment label is the one stored at ingest (when the snapshot's measures are
/// this lexicon's: the same label, computed once) instead of scored again from the text.
pub fn read(
    cx: &Context<'_>,
    rules: &RouteRules,
    brand: &BrandRules,
    texts: &Texts,
    stored: bool,
    items: &[u32],
) -> Vec<Read> {
    let m = &cx.snapshot.messages;
    let lists = Lists::new(rules, brand);
    let stored = stored
        && m.measure_key
            .is_some_and(|k| k.0 == crate::text::measures::LEXICON);
    let mut scope: Vec<usize> = items.iter().map(|&i| i as usize).collect();
    scope.sort_by_key(|&i| (m.time[i], i));
    let measures = if stored {
        let mut ids: Vec<u32> = scope.iter().map(|&i| i as u32).collect();
        ids.sort_unstable();
        ids.iter()
            .copied()
            .zip(m.measures_of(&ids))
            .collect::<HashMap<u32, _>>()
    } else {
        HashMap::new()
    };
    let mut out = Vec::new();
    let mut shared = HashSet::new();
    for i in scope {
        let body = texts.body.get(&(i as u32)).map_or("", String::as_str);
        let subject = texts.subject.get(&(i as u32)).map_or("", String::as_str);
        let own = own_words(body);
        let own_lower = own.to_lowercase();
        let own_words_list = words(&own_lower);
        let p = m.parent[i];
        let addressed = (p != NO_PARENT && cx.role(m.author[p as usize]) == Role::Brand)
            || m.mentions(i).iter().any(|&q| cx.role(q) == Role::Brand);
        // Only a thread's first message is routed for being one (an orphan reply is not).
        let root = m.starts_thread(i);
        let found = lists.scan(&own_words_list);
        let has = |g: Group| found.iter().any(|f| f.0 == g);
        let mentions_brand = has(Group::Brand)
            || (root
                && lists
                    .scan(&words(&untagged(subject)))
                    .iter()
                    .any(|f| f.0 == Group::Brand));
        if !(addressed || mentions_brand || root) {
            continue;
        }
        let first_word = own_words_list.first().map_or("", String::as_str);
        let question =
            own.contains('?') || QUESTION_OPENERS.contains(&first_word) || has(Group::Request);
        let problem = has(Group::Problem);
        let sentiment = match measures.get(&(i as u32)).copied().flatten() {
            Some(x) => crate::text::measures::label_name(x.label),
            None => score_own(&own).label,
        };
        let praise = sentiment == "positive" && !question && !problem && has(Group::Praise);
        let intent = crate::text::intent::classify(&own, root);
        let source = &cx.snapshot.spaces[m.space[i] as usize].source;
        let channel = if rules.social_sources.iter().any(|s| s == source) {
            "social"
        } else {
            "community"
        };
        let mut crisis: Vec<u32> = found
            .iter()
            .filter(|f| f.0 == Group::Crisis)
            .map(|f| f.1)
            .collect();
        crisis.sort_unstable();
        let crisis_words: Vec<String> = crisis
            .iter()
            .map(|&k| rules.crisis_words[k as usize].clone())
            .collect();
        let mut rule_words: Vec<u32> = found
            .iter()
            .filter(|f| f.0 == Group::RuleWords)
            .map(|f| f.1)
            .collect();
        rule_words.sort_unstable();
        // Connecting is for new questions: a thread's first message.
        let expert_terms = (question && root).then(|| {
            let mut terms = subject_terms(if subject.is_empty() { &own } else { subject });
            terms.sort();
            terms.dedup();
            share(&mut shared, terms.into())
        });
        out.push(Read {
            message: i as u32,
            addressed,
            mentions_brand,
            root,
            question,
            problem,
            sentiment,
            praise,
            intent: intent.intent,
            intent_rule: intent.rule,
            channel,
            crisis_words,
            expert_terms,
            rule_words,
        });
    }
    out
}

/// Routes items already [`read`] with an [`Index`] of the context's space, as of the
/// context's as-of moment (no later than the index's); `None` when the index does not cover
/// the scope. An item's routing depends on the index and its own reading only, so items
/// routed apart route the same as together.
pub fn route_read<'r>(
    cx: &Context<'_>,
    rules: &RouteRules,
    index: &Index,
    reads: impl IntoIterator<Item = &'r Arc<Read>>,
) -> Option<Vec<Routed>> {
    let reads = reads.into_iter();
    let mut out = Vec::with_capacity(reads.size_hint().0);
    route_read_into(cx, rules, index, reads, &mut out).then_some(out)
}

/// [`route_read`] appended to `out` (whose room the caller may have made for more); false,
/// and nothing appended, when the index does not cover the scope.
pub fn route_read_into<'r>(
    cx: &Context<'_>,
    rules: &RouteRules,
    index: &Index,
    reads: impl IntoIterator<Item = &'r Arc<Read>>,
    out: &mut Vec<Routed>,
) -> bool {
    if !index.covers(cx) {
        return false;
    }
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let before = |t: Option<&i64>| t.is_some_and(|&t| t < as_of);
    let mut seeker = Seeker::default();
    // Each rule's name and queues, shared by the items it routes.
    let named: Vec<(Arc<str>, Vec<Arc<str>>)> = rules
        .rules
        .iter()
        .map(|r| {
            (
                r.name.as_str().into(),
                r.to.iter().map(|q| q.as_str().into()).collect(),
            )
        })
        .collect();
    // The queues of each set of rules that held (by bit; every rule past the 64th is
    // listed apart), made once.
    let mut lists: Vec<(u64, Arc<[Route]>)> = Vec::new();
    let mut held: Vec<u32> = Vec::new();
    for r in reads {
        let i = r.message as usize;
        let a = m.author[i];
        let newcomer = index.first.get(a as usize) == Some(&(i as u32));
        let people_talked_with = index.partners(a).partition_point(|&t| t < as_of) as u32;
        let unanswered = r.intent.waits()
            && if r.root {
                !before(index.answered.get(i))
            } else {
                !before(index.replied.get(i))
            };
        let facts = Facts {
            read: r,
            newcomer,
            influential: u64::from(people_talked_with) >= rules.influential_people,
            unanswered,
        };
        // The expert is looked for only when a rule whose other conditions hold asks.
        let mut sought: Option<Option<(u32, usize, Vec<String>)>> = None;
        let mut mask = 0u64;
        held.clear();
        for (k, rule) in rules.rules.iter().enumerate() {
            let words = rule.when.words.is_empty() || r.rule_words.contains(&(k as u32));
            if !(words && holds(&rule.when, &facts)) {
                continue;
            }
            if let Some(want) = rule.when.expert {
                let expert = sought.get_or_insert_with(|| {
                    r.expert_terms
                        .as_ref()
                        .and_then(|terms| seeker.expert(index, terms, a, as_of))
                });
                if expert.is_some() != want {
                    continue;
                }
            }
            if k < 64 {
                mask |= 1 << k;
            } else {
                held.push(k as u32);
            }
        }
        let routes = if held.is_empty() {
            // A few sets of rules hold in practice: found by a look along them.
            match lists.iter().find(|l| l.0 == mask) {
                Some(l) => l.1.clone(),
                None => {
                    let made = queues_of(mask, &[], &named);
                    lists.push((mask, made.clone()));
                    made
                }
            }
        } else {
            queues_of(mask, &held, &named)
        };
        out.push(Routed {
            message: r.message,
            routes,
            read: r.clone(),
            newcomer,
            influential: facts.influential,
            unanswered,
            sought: sought.is_some(),
            people_talked_with,
            expert: sought.flatten().map(Box::new),
        });
    }
    true
}

/// The queues of the rules that held (`mask`: the first 64 by bit; `more`: the others), each
/// queue once, by the first rule that sent the item there.
fn queues_of(mask: u64, more: &[u32], named: &[(Arc<str>, Vec<Arc<str>>)]) -> Arc<[Route]> {
    let mut routes: Vec<Route> = Vec::new();
    let held = (0..named.len().min(64) as u32)
        .filter(|&k| mask & (1 << k) != 0)
        .chain(more.iter().copied());
    for k in held {
        let (name, to) = &named[k as usize];
        for q in to {
            if routes.iter().any(|r| &r.queue == q) {
                continue;
            }
            routes.push(Route {
                queue: q.clone(),
                rule: name.clone(),
                at: k,
            });
        }
    }
    routes.into()
}

/// Looks for the expert of the items routed without one (no rule asked: [`Routed`]), as
/// routing would have, with the index and as-of moment they were routed with: for the
/// few items shown of a window's many.
pub fn seek_experts(cx: &Context<'_>, index: &Index, items: &mut [Routed]) {
    let m = &cx.snapshot.messages;
    let mut seeker = Seeker::default();
    for item in items {
        if !item.unsought() {
            continue;
        }
        item.sought = true;
        let Some(terms) = &item.read.expert_terms else {
            continue;
        };
        let asker = m.author[item.message as usize];
        item.expert = seeker.expert(index, terms, asker, cx.as_of()).map(Box::new);
    }
}

/// Expert searches at one as-of moment. Items of one subject share their terms' allocation
/// (when read together, or shared after): one search for them all, found by the
/// allocation's address.
#[derive(Default)]
struct Seeker {
    overlap: Overlap,
    searched: HashMap<usize, Search>,
}

impl Seeker {
    /// The expert on a subject's `terms` for `asker`, as of `as_of` (the same moment at
    /// every call).
    fn expert(
        &mut self,
        index: &Index,
        terms: &Arc<[String]>,
        asker: u32,
        as_of: i64,
    ) -> Option<(u32, usize, Vec<String>)> {
        let overlap = &mut self.overlap;
        let search = self
            .searched
            .entry(Arc::as_ptr(terms).cast::<String>() as usize)
            .or_insert_with(|| index.experts.search(overlap, terms, as_of));
        index.experts.best(search, asker)
    }
}

/// `terms`, or the equal terms already in `table` (then one allocation for both).
fn share(table: &mut HashSet<Arc<[String]>>, terms: Arc<[String]>) -> Arc<[String]> {
    match table.get(&terms) {
        Some(kept) => kept.clone(),
        None => {
            table.insert(terms.clone());
            terms
        }
    }
}

impl Read {
    /// Makes its expert terms the equal ones of `table` (kept by whoever keeps reads read
    /// apart), so that items of one subject read at different times share one search.
    pub fn share_terms(&mut self, table: &mut HashSet<Arc<[String]>>) {
        if let Some(terms) = self.expert_terms.take() {
            self.expert_terms = Some(share(table, terms));
        }
    }
}

/// [`route`] of `items` (some of the context's [`candidates`]) with an [`Index`] of the
/// context's space: [`read`], then [`route_read`]. An index that does not cover the scope
/// routes nothing.
pub fn route_with(
    cx: &Context<'_>,
    rules: &RouteRules,
    brand: &BrandRules,
    texts: &Texts,
    index: &Index,
    stored: bool,
    items: &[u32],
) -> Vec<Routed> {
    let reads: Vec<Arc<Read>> = read(cx, rules, brand, texts, stored, items)
        .into_iter()
        .map(Arc::new)
        .collect();
    route_read(cx, rules, index, &reads).unwrap_or_default()
}

/// What a rule looks at in an item routed at a moment, but the expert (looked for only when
/// the rule's other conditions hold).
struct Facts<'r> {
    read: &'r Read,
    newcomer: bool,
    influential: bool,
    unanswered: bool,
}

/// Whether a rule's conditions hold, but its `expert` one (looked for only when the others
/// hold: [`route_read`]).
fn holds(w: &When, f: &Facts<'_>) -> bool {
    let s = f.read;
    let is = |cond: Option<bool>, v: bool| cond.is_none_or(|c| c == v);
    is(w.addressed, s.addressed)
        && is(w.mentions_brand, s.mentions_brand)
        && is(w.about_brand, s.addressed || s.mentions_brand)
        && is(w.question, s.question)
        && is(w.problem, s.problem)
        && is(w.praise, s.praise)
        && w.sentiment.as_deref().is_none_or(|x| x == s.sentiment)
        && is(w.newcomer, f.newcomer)
        && is(w.influential, f.influential)
        && is(w.unanswered, f.unanswered)
        && w.channel.as_deref().is_none_or(|x| x == s.channel)
        && is(w.crisis_words, !s.crisis_words.is_empty())
}

/// The signals a rule looked at, in words.
fn reason(w: &When, s: &Signals, snapshot: &Snapshot) -> String {
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
        let name = snapshot
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

/// Threads by the words of their subjects, and who (members) answered them, each with its
/// time: the finder at an as-of moment looks only at threads started, and answers written,
/// before it (and at what was common among the subjects of then).
struct Experts {
    /// Start time of every thread with a subject, in time order (how many subjects there were).
    starts: Vec<i64>,
    /// word → (start time, thread) of the threads whose subject has it, in time order
    threads_with: HashMap<String, Vec<(i64, u32)>>,
    /// thread → (when, member) of the members other than the starter who wrote in it, each
    /// at their first answer there
    answerers: HashMap<u32, Vec<(i64, u32)>>,
    subject_words: HashMap<u32, Vec<String>>,
}

impl Experts {
    fn new(cx: &Context<'_>, texts: &Texts, as_of: i64) -> Self {
        let m = &cx.snapshot.messages;
        let mut subject_words: HashMap<u32, Vec<String>> = HashMap::new();
        let mut starts: Vec<i64> = Vec::new();
        let mut threads_with: HashMap<String, Vec<(i64, u32)>> = HashMap::new();
        for (&root, subject) in &texts.subject {
            let r = root as usize;
            if r >= m.len() || !m.starts_thread(r) || m.time[r] >= as_of {
                continue;
            }
            let mut w = subject_terms(subject);
            w.sort();
            w.dedup();
            for x in &w {
                threads_with
                    .entry(x.clone())
                    .or_default()
                    .push((m.time[r], root));
            }
            starts.push(m.time[r]);
            subject_words.insert(root, w);
        }
        starts.sort_unstable();
        for list in threads_with.values_mut() {
            list.sort_unstable();
        }
        let mut answerers: HashMap<u32, Vec<(i64, u32)>> = HashMap::new();
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
            match list.iter_mut().find(|(_, p)| *p == a) {
                Some(e) => e.0 = e.0.min(m.time[i]),
                None => list.push((m.time[i], a)),
            }
        }
        Experts {
            starts,
            threads_with,
            answerers,
            subject_words,
        }
    }

    /// The member who wrote answers in most earlier threads sharing at least
    /// `EXPERT_MIN_WORDS` distinctive subject words with `terms` (a subject's, sorted and
    /// distinct), as of `as_of`. A word is distinctive when no more than
    /// `COMMON_SUBJECT_SHARE` of the subjects of then have it.
    ///
    /// The search depends on the terms and the moment only; the asker is set aside after it
    /// ([`Experts::best`]), so the items of one subject share one search.
    fn search(&self, overlap: &mut Overlap, terms: &[String], as_of: i64) -> Search {
        let subjects = self.starts.partition_point(|&t| t < as_of);
        let limit = (subjects as f64 * COMMON_SUBJECT_SHARE).max(3.0);
        let then = |list: &[(i64, u32)]| list.partition_point(|&(t, _)| t < as_of);
        // Every thread of then with a distinctive word, counted once per word it shares.
        let mut distinctive: Vec<String> = Vec::new();
        for t in terms {
            let Some(list) = self.threads_with.get(t) else {
                continue;
            };
            let list = &list[..then(list)];
            if list.len() as f64 > limit {
                continue;
            }
            distinctive.push(t.clone());
            for &(_, root) in list {
                overlap.add(root);
            }
        }
        // (member, similar thread they answered), each once.
        let mut answered: Vec<(u32, u32)> = Vec::new();
        for (root, n) in overlap.drain() {
            if n < EXPERT_MIN_WORDS {
                continue;
            }
            for &(t, p) in self.answerers.get(&root).into_iter().flatten() {
                if t < as_of {
                    answered.push((p, root));
                }
            }
        }
        answered.sort_unstable();
        Search {
            distinctive,
            answered,
        }
    }

    /// The expert of a [`Experts::search`] for `asker`: the member other than them with most
    /// similar threads answered (the lowest person id among equals), how many, and the
    /// distinctive words they share with those threads.
    fn best(&self, search: &Search, asker: u32) -> Option<(u32, usize, Vec<String>)> {
        let best = search
            .answered
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run[0].0 != asker && run.len() >= EXPERT_MIN_THREADS)
            .max_by(|a, b| {
                (a.len(), std::cmp::Reverse(a[0].0)).cmp(&(b.len(), std::cmp::Reverse(b[0].0)))
            })?;
        let mut words: Vec<String> = Vec::new();
        for &(_, root) in best {
            for w in self.subject_words.get(&root).into_iter().flatten() {
                if search.distinctive.contains(w) && !words.contains(w) {
                    words.push(w.clone());
                }
            }
        }
        words.sort();
        Some((best[0].0, best.len(), words))
    }
}

/// An [`Experts::search`]: the distinctive words of a subject's terms, and (member, similar
/// thread they answered) pairs, sorted.
#[derive(Debug)]
struct Search {
    distinctive: Vec<String>,
    answered: Vec<(u32, u32)>,
}

/// How many of an item's distinctive words each thread's subject shares, counted in place
/// (a count by thread root, and the roots touched) and emptied after each item: the counts
/// that a sort of every shared root gave, without the sort (most of routing's time when a
/// window routes years of items).
#[derive(Debug, Default)]
struct Overlap {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Overlap {
    fn add(&mut self, root: u32) {
        let r = root as usize;
        if r >= self.counts.len() {
            self.counts.resize(r + 1, 0);
        }
        if self.counts[r] == 0 {
            self.touched.push(root);
        }
        self.counts[r] += 1;
    }

    /// Each touched root with its count, once; the counts are zero again after.
    fn drain(&mut self) -> Vec<(u32, usize)> {
        let out = self
            .touched
            .iter()
            .map(|&root| {
                let n = std::mem::take(&mut self.counts[root as usize]);
                (root, n as usize)
            })
            .collect();
        self.touched.clear();
        out
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
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
        .map(|w| {
            // Most words are lower-case ASCII already: one copy, not three.
            if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                w.to_owned()
            } else {
                w.replace('’', "'").to_lowercase()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases() {
        let w = words("It doesn't work, the USRP-B210 fails!");
        let brand = |names: &[&str]| BrandRules {
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            ..BrandRules::default()
        };
        let found = |names: &[&str]| Lists::new(&RouteRules::default(), &brand(names)).scan(&w);
        // "doesn't work" is a problem phrase of two words; "fails" another, found once.
        let problems = found(&[]);
        assert_eq!(
            problems.iter().filter(|f| f.0 == Group::Problem).count(),
            2,
            "{problems:?}"
        );
        assert!(found(&["usrp"]).contains(&(Group::Brand, 0)));
        assert!(found(&["USRP B210"]).contains(&(Group::Brand, 0)));
        assert!(!found(&["usr"]).contains(&(Group::Brand, 0)));
        // A phrase cut by the end of the text is not there.
        assert!(!found(&["b210 fails now"]).contains(&(Group::Brand, 0)));
        assert_eq!(
            subject_terms("[USRP-users] Re: X310 DPDK timeout on Ubuntu 22.04"),
            vec!["x310", "dpdk", "timeout", "ubuntu"]
        );
    }
}
