//! **Role audit**: how each brand person's messages split into *broadcasting* (talking to
//! many), *answering* (talking to one member at a time) and *facilitating* (getting members
//! talking with each other) — "you hired a community manager who does social media work"
//! made visible.
//!
//! Every message of a brand person in the window gets exactly one activity, the first that
//! applies:
//!
//! 1. **facilitating**, when one of these follows it (looked for up to the as-of moment):
//!    - *introduction*: the message names two or more members (structured @-mentions, a
//!      member's full display name or `@username` in the writer's own words, and the member it
//!      replies to), and two of them who had never talked before talk within
//!      `INTRODUCTION_DAYS` (90) days after it;
//!    - *welcome*: it replies to a member's first message in the space, its own words welcome
//!      them (`WELCOME_PHRASES`: "welcome to the list", "welcome aboard", "glad to have you",
//!      "nice to meet you", … — not a bare "welcome", which is mostly idiom such as "welcome
//!      to the world of RFNoC"), and that newcomer then
//!      talks with another member (reply or mention, either direction) within
//!      `INTRODUCTION_DAYS` days;
//!    - *members joined*: after it in the same thread — before the next brand message there
//!      and within `FOLLOW_DAYS` (14) days — a member who had not written in the thread yet
//!      replies to another member (explicit or inferred reply), and that reply follows the
//!      brand message: it answers the brand message, a message below it, or a message written
//!      after it (a member answering the original question in parallel does not count).
//!
//!    A member with the brand person's own display name is taken to be the brand person on
//!    another address (never a member introduced or joining).
//! 2. **answering**: a reply to a member, or a reply inside a thread a member started.
//! 3. **broadcasting**: a new thread or post, or a reply inside a thread the brand started
//!    (to a colleague or to itself) — talking to everyone.
//!
//! Shares are over the person's messages in the window and sum to 1. Verdict for a person
//! (and for the whole team, pooled): fewer than `MIN_MESSAGES` (20) messages → *too few
//! messages*; facilitating share ≥ `FACILITATOR_SHARE` (0.25) → *gets many talking to each
//! other*; otherwise *talks to many* (mostly broadcasting or mostly answering, whichever is
//! larger). The 0.25 bar is low on purpose: facilitation is only counted when members
//! visibly talked afterwards, so it is a lower bound, while every broadcast and answer is
//! counted.
//!
//! Example: a staff member with 100 messages — 10 announcements, 80 replies to members'
//! questions, 10 replies after which a newcomer to the thread answered another member —
//! has shares 0.10 / 0.80 / 0.10 and the verdict *talks to many (mostly answering)*.

use crate::Context;
use crate::text::sentiment::{Fnv, own_words};
use hearth_model::{NO_PARENT, Role};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Days after a message in which members joining its thread count as facilitated.
pub const FOLLOW_DAYS: i64 = 14;
/// Days after an introduction or a welcome in which the members' first talk counts.
pub const INTRODUCTION_DAYS: i64 = 90;
/// Fewer messages than this: no verdict.
pub const MIN_MESSAGES: u64 = 20;
/// Facilitating share from which the verdict is "gets many talking to each other".
pub const FACILITATOR_SHARE: f64 = 0.25;
/// Phrases that make a reply to a first message a welcome (lower case).
pub const WELCOME_PHRASES: &[&str] = &[
    "welcome to the list",
    "welcome to the mailing list",
    "welcome to the community",
    "welcome to the forum",
    "welcome to the group",
    "welcome to the channel",
    "welcome to the server",
    "welcome to the club",
    "welcome aboard",
    "welcome!",
    "glad to have you",
    "great to have you",
    "happy to have you",
    "good to have you",
    "nice to meet you",
    "glad you joined",
    "glad you found us",
];

/// Whether lower-cased own words use one of the [`WELCOME_PHRASES`].
pub fn welcomes(own_lower: &str) -> bool {
    WELCOME_PHRASES.iter().any(|w| own_lower.contains(w))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Broadcasting,
    Answering,
    Facilitating,
}

impl Activity {
    pub const ALL: [Activity; 3] = [
        Activity::Broadcasting,
        Activity::Answering,
        Activity::Facilitating,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Broadcasting => "broadcasting",
            Activity::Answering => "answering",
            Activity::Facilitating => "facilitating",
        }
    }
}

/// Why a message got its activity (message and person indices into the snapshot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Starts a thread or is a post on its own.
    NewThread,
    /// A reply inside a thread the brand started.
    InBrandThread,
    /// A reply to a member's message.
    ReplyToMember { member: u32 },
    /// A reply to a brand message inside a thread a member started.
    InMemberThread,
    /// Named `members`; `a` and `b` among them first talked in `message`.
    Introduction {
        members: Vec<u32>,
        a: u32,
        b: u32,
        message: u32,
    },
    /// Welcomed `newcomer`, who then talked with a member in `message`.
    Welcome { newcomer: u32, message: u32 },
    /// Members new to the thread answered members afterwards: `joined`, first in `message`.
    MembersJoined { joined: Vec<u32>, message: u32 },
}

/// One brand message and its activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classified {
    pub message: u32,
    pub activity: Activity,
    pub reason: Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    TooFewMessages,
    GetsManyTalking,
    TalksToMany,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::TooFewMessages => "too_few_messages",
            Verdict::GetsManyTalking => "gets_many_talking",
            Verdict::TalksToMany => "talks_to_many",
        }
    }
}

/// Counts of the three activities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    pub broadcasting: u64,
    pub answering: u64,
    pub facilitating: u64,
}

impl Split {
    pub fn add(&mut self, a: Activity) {
        match a {
            Activity::Broadcasting => self.broadcasting += 1,
            Activity::Answering => self.answering += 1,
            Activity::Facilitating => self.facilitating += 1,
        }
    }

    pub fn messages(&self) -> u64 {
        self.broadcasting + self.answering + self.facilitating
    }

    pub fn count(&self, a: Activity) -> u64 {
        match a {
            Activity::Broadcasting => self.broadcasting,
            Activity::Answering => self.answering,
            Activity::Facilitating => self.facilitating,
        }
    }

    /// Share of an activity (0 when there are no messages).
    pub fn share(&self, a: Activity) -> f64 {
        let n = self.messages();
        if n == 0 {
            0.0
        } else {
            self.count(a) as f64 / n as f64
        }
    }

    pub fn verdict(&self) -> Verdict {
        if self.messages() < MIN_MESSAGES {
            Verdict::TooFewMessages
        } else if self.share(Activity::Facilitating) >= FACILITATOR_SHARE {
            Verdict::GetsManyTalking
        } else {
            Verdict::TalksToMany
        }
    }

    /// The larger of broadcasting and answering (what "talks to many" mostly is).
    pub fn mostly(&self) -> Activity {
        if self.broadcasting > self.answering {
            Activity::Broadcasting
        } else {
            Activity::Answering
        }
    }
}

/// One brand person's audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonAudit {
    pub person: u32,
    pub split: Split,
    /// The split per calendar year (UTC), oldest first.
    pub by_year: Vec<(i32, Split)>,
    /// Every classified message, in time order.
    pub messages: Vec<Classified>,
}

/// The audit of every brand person with a message in scope, most messages first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    pub people: Vec<PersonAudit>,
    pub team: Split,
    pub team_by_year: Vec<(i32, Split)>,
}

/// Classifies every brand message in scope. `texts` holds the body of brand messages (by
/// snapshot index); a message without text is still classified (it just names no one and
/// welcomes no one). With `stored`, welcomes are the flags stored at ingest (when the
/// snapshot's measures are this lexicon's) instead of the phrases looked for in the text.
pub fn audit(cx: &Context<'_>, texts: &HashMap<u32, String>, stored: bool) -> Audit {
    summarize(cx, classify_all(cx, texts, stored))
}

/// What a brand message's own words say, as [`Index::read`] found it.
#[derive(Debug, Default)]
pub struct Read {
    /// The names used (indices into the index's names), sorted, each once.
    names: Vec<u32>,
    welcome: bool,
}

/// Every brand message in scope, classified, in time order.
///
/// A message's class depends on the space and the as-of moment, never on the window's start:
/// classified once for a window without a start, a message is classified the same in every
/// window of that space and end ([`summarize`] of the ones inside it is that window's audit).
pub fn classify_all(
    cx: &Context<'_>,
    texts: &HashMap<u32, String>,
    stored: bool,
) -> Vec<Classified> {
    let index = Index::new(cx, texts, stored);
    classify_with(cx, &index).unwrap_or_default()
}

/// What classifying the brand messages of a space needs, up to the as-of moment it was built
/// for: the threads, each member's first message, every member-to-member contact, and what
/// each brand message's own words say (the names in them, a welcome).
///
/// Built once for a window without a start or an end, it classifies the brand messages of
/// every window of that space ([`classify_with`]), whatever its end: a class looks only at what
/// happened before the as-of moment, and the index keeps the time of everything, so an
/// earlier end is a cut of what it holds. A name that a later member makes ambiguous, or a
/// member not known yet, is told apart the same way: each name keeps all its members with
/// the time they first wrote.
#[derive(Debug)]
pub struct Index {
    space: Option<u32>,
    since: Option<i64>,
    as_of: i64,
    threads: Threads,
    /// Member → their first message in the space: (time, index).
    first: HashMap<u32, (i64, u32)>,
    /// Member → every contact with another member (reply or mention, either way), as
    /// (time, other member, message), in time order.
    contacts: HashMap<u32, Vec<(i64, u32, u32)>>,
    /// Each name as written (a full display name or `@username`), with its members.
    names: NameIndex,
    /// Brand message → the names its own words use (indices into `names`).
    named: HashMap<u32, Vec<u32>>,
    /// Brand messages whose own words welcome (when the welcome is read from the text).
    welcome: HashSet<u32>,
    /// Whether welcomes are the flags stored at ingest.
    stored_welcome: bool,
}

impl Index {
    /// The index of the scope's space up to its as-of moment, with the brand messages of its
    /// window. `texts` holds the body of brand messages (by snapshot index); a message without
    /// text names no one and welcomes no one. With `stored`, welcomes are the flags stored at
    /// ingest (when the snapshot's measures are this lexicon's) instead of the phrases looked
    /// for in the text.
    pub fn new(cx: &Context<'_>, texts: &HashMap<u32, String>, stored: bool) -> Index {
        let mut index = Index::without_texts(cx, stored);
        for i in index.wants_text(cx) {
            if let Some(text) = texts.get(&i) {
                let read = index.read(text);
                index.keep(i, read);
            }
        }
        index
    }

    /// The index without what the brand messages' texts say: [`Index::wants_text`] lists
    /// the messages to read, [`Index::read`] reads one (a pure function of the index and the
    /// text: it may run on other threads) and [`Index::keep`] keeps what it found.
    pub fn without_texts(cx: &Context<'_>, stored: bool) -> Index {
        let m = &cx.snapshot.messages;
        let as_of = cx.as_of();
        let known = |i: usize| m.time[i] < as_of;
        let member = |p: u32| cx.role(p) == Role::Member;

        // Threads of the space, each in time order; first message of each member; and every
        // member-to-member contact (reply or mention), per member, in time order.
        let mut threads = Threads::default();
        let mut first: HashMap<u32, (i64, u32)> = HashMap::new();
        let mut contacts: HashMap<u32, Vec<(i64, u32, u32)>> = HashMap::new();
        for i in cx.in_space() {
            if !known(i) {
                continue;
            }
            threads.lists.entry(cx.roots[i]).or_default().push(i as u32);
            let a = m.author[i];
            if member(a) {
                let c = (m.time[i], i as u32);
                first.entry(a).and_modify(|f| *f = (*f).min(c)).or_insert(c);
            }
            let p = m.parent[i];
            let replied = (p != NO_PARENT).then(|| m.author[p as usize]);
            for to in replied.into_iter().chain(m.mentions(i).iter().copied()) {
                if to != a && member(a) && member(to) {
                    contacts
                        .entry(a)
                        .or_default()
                        .push((m.time[i], to, i as u32));
                    contacts
                        .entry(to)
                        .or_default()
                        .push((m.time[i], a, i as u32));
                }
            }
        }
        threads.index(m);
        for list in contacts.values_mut() {
            list.sort_unstable();
            list.dedup();
        }

        // The welcome flag stored at ingest, when the snapshot's measures are this lexicon's.
        let stored_welcome = stored
            && m.measure_key
                .is_some_and(|k| k.0 == crate::text::measures::LEXICON);
        let names = NameIndex::new(cx, &first);
        Index {
            space: cx.space,
            since: cx.window.since,
            as_of,
            threads,
            first,
            contacts,
            names,
            named: HashMap::new(),
            welcome: HashSet::new(),
            stored_welcome,
        }
    }

    /// The brand messages of the window (snapshot indices, in order) whose text says what
    /// the index needs: the names in it, and a welcome unless the stored flag tells.
    pub fn wants_text(&self, cx: &Context<'_>) -> Vec<u32> {
        let m = &cx.snapshot.messages;
        cx.in_window()
            .filter(|&i| cx.role(m.author[i]) == Role::Brand)
            .map(|i| i as u32)
            .collect()
    }

    /// What a brand message's text says: the names its own words use, and whether they
    /// welcome (when the welcome is not the stored flag).
    pub fn read(&self, text: &str) -> Read {
        let own = own_words(text).to_lowercase();
        let welcome = !self.stored_welcome && welcomes(&own);
        let mut names = self.names.find(&own);
        names.sort_unstable();
        names.dedup();
        Read { names, welcome }
    }

    /// Keeps what [`Index::read`] found in brand message `i`.
    pub fn keep(&mut self, i: u32, read: Read) {
        if read.welcome {
            self.welcome.insert(i);
        }
        if !read.names.is_empty() {
            self.named.insert(i, read.names);
        }
    }

    /// The as-of moment the index was built for: the end of every scope it answers.
    pub fn as_of(&self) -> i64 {
        self.as_of
    }

    /// What [`Index::keep`] kept, to be kept elsewhere and given back by [`Index::restore`]:
    /// each brand message whose own words use a name or welcome, in message order, with the
    /// names used (indices into the index's names) and whether they welcome.
    pub fn kept(&self) -> Vec<(u32, Vec<u32>, bool)> {
        let mut out: Vec<(u32, Vec<u32>, bool)> = self
            .named
            .iter()
            .map(|(&i, names)| (i, names.clone(), self.welcome.contains(&i)))
            .chain(
                self.welcome
                    .iter()
                    .filter(|i| !self.named.contains_key(i))
                    .map(|&i| (i, Vec::new(), true)),
            )
            .collect();
        out.sort_unstable();
        out
    }

    /// How many names the index knows: what [`Index::kept`] refers to.
    pub fn name_count(&self) -> usize {
        self.names.members.len()
    }

    /// Keeps what [`Index::kept`] gave for brand message `i` of an index built from the same
    /// data and rules; `false` (and nothing kept) when a name is not one of this index's or
    /// `i` is not a message of the snapshot.
    pub fn restore(&mut self, cx: &Context<'_>, i: u32, names: Vec<u32>, welcome: bool) -> bool {
        let count = self.name_count();
        if i as usize >= cx.snapshot.messages.len() || names.iter().any(|&n| n as usize >= count) {
            return false;
        }
        self.keep(i, Read { names, welcome });
        true
    }

    /// Whether the index answers `cx`: same space, a window inside its own, an end no later.
    fn covers(&self, cx: &Context<'_>) -> bool {
        self.space == cx.space
            && cx.as_of() <= self.as_of
            && self
                .since
                .is_none_or(|s| cx.window.since.is_some_and(|c| c >= s))
    }

    /// The moment after which brand message `i`'s class is the same whatever the as-of
    /// moment: [`INTRODUCTION_DAYS`] after it (what [`classify`] looks at ahead), and the first
    /// message of every member its names belong to (who a name means).
    pub fn settled_at(&self, cx: &Context<'_>, i: usize) -> i64 {
        let ahead = INTRODUCTION_DAYS.max(FOLLOW_DAYS) * 86_400;
        let names = self.named.get(&(i as u32)).into_iter().flatten();
        names
            .flat_map(|&n| &self.names.members[n as usize])
            .filter_map(|p| self.first.get(p).map(|f| f.0))
            .fold(cx.snapshot.messages.time[i] + ahead, i64::max)
    }

    /// Whether member `p` had written in the space before `as_of`.
    fn known(&self, p: u32, as_of: i64) -> bool {
        self.first.get(&p).is_some_and(|&(t, _)| t < as_of)
    }

    /// The members that message `i`'s own words name, as of `as_of`: each name that belongs
    /// to exactly one member known by then.
    fn named_by_text(&self, i: usize, as_of: i64) -> impl Iterator<Item = u32> + '_ {
        self.named
            .get(&(i as u32))
            .into_iter()
            .flatten()
            .filter_map(move |&n| {
                let mut known = self.names.members[n as usize]
                    .iter()
                    .copied()
                    .filter(|&p| self.known(p, as_of));
                match (known.next(), known.next()) {
                    (Some(p), None) => Some(p),
                    _ => None,
                }
            })
    }
}

/// Every brand message in the window of `cx`, classified as of its as-of moment with what
/// `index` holds; `None` when the index does not cover the scope (another space, a window
/// starting before the index's, or an end after it).
pub fn classify_with(cx: &Context<'_>, index: &Index) -> Option<Vec<Classified>> {
    classify_cut(cx, index, None)
}

/// The classification of a whole space (no start, no end, made with its [`Index`]), with the
/// moment each class settles ([`Index::settled_at`]), found once for every window cut from it.
#[derive(Debug, Clone, Default)]
pub struct Whole {
    pub classified: Vec<Classified>,
    settled: Vec<i64>,
}

impl Whole {
    pub fn new(cx: &Context<'_>, index: &Index, classified: Vec<Classified>) -> Whole {
        let settled = classified
            .iter()
            .map(|c| index.settled_at(cx, c.message as usize))
            .collect();
        Whole {
            classified,
            settled,
        }
    }
}

/// One brand message of a window cut from a [`Whole`]: its settled class, or classified again.
enum Cut<'w> {
    Kept(&'w Classified),
    Again(Classified),
}

impl Cut<'_> {
    fn activity(&self) -> (u32, Activity) {
        match self {
            Cut::Kept(c) => (c.message, c.activity),
            Cut::Again(c) => (c.message, c.activity),
        }
    }

    fn into_owned(self) -> Classified {
        match self {
            Cut::Kept(c) => c.clone(),
            Cut::Again(c) => c,
        }
    }
}

/// The brand messages of the window of `cx`, in time order, each with its class as of the
/// window's as-of moment: from `whole` once it had settled, classified with `index` otherwise
/// (or always, without `whole`). `None` when the index does not cover the scope.
fn cut<'w>(
    cx: &'w Context<'_>,
    index: &'w Index,
    whole: Option<&'w Whole>,
) -> Option<Box<dyn Iterator<Item = Cut<'w>> + 'w>> {
    if !index.covers(cx) {
        return None;
    }
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let classify_one = move |i: usize| {
        let welcome = if index.stored_welcome {
            m.measure_unnamed(i).is_some_and(|x| x.welcome)
        } else {
            index.welcome.contains(&(i as u32))
        };
        let (activity, reason) = classify(cx, i, welcome, index);
        Cut::Again(Classified {
            message: i as u32,
            activity,
            reason,
        })
    };
    if let Some(whole) = whole.filter(|w| !w.classified.is_empty()) {
        // The whole classification holds every brand message of the index's scope, which
        // holds the window's: in its time order, the window's are a stretch of it.
        let time = |c: &Classified| m.time[c.message as usize];
        let list = &whole.classified;
        let lo = cx
            .window
            .since
            .map_or(0, |s| list.partition_point(|c| time(c) < s));
        let hi = list.partition_point(|c| time(c) < as_of).max(lo);
        let out = list[lo..hi]
            .iter()
            .zip(&whole.settled[lo..hi])
            .filter(move |(c, _)| cx.window.contains(time(c)))
            .map(move |(c, &settled)| {
                if settled < as_of {
                    Cut::Kept(c)
                } else {
                    classify_one(c.message as usize)
                }
            });
        return Some(Box::new(out));
    }
    let mut scope: Vec<usize> = cx
        .in_window()
        .filter(|&i| cx.role(m.author[i]) == Role::Brand)
        .collect();
    scope.sort_by_key(|&i| (m.time[i], i));
    Some(Box::new(scope.into_iter().map(classify_one)))
}

/// The brand messages of the window of `cx` classified as of its as-of moment, taking the
/// classes that had settled from `whole`.
///
/// A brand message's class depends on what came within [`INTRODUCTION_DAYS`] (or
/// [`FOLLOW_DAYS`]) after it, seen up to the as-of moment (all of it, or less when the
/// window is shorter) and at which members its names belong to; once the as-of moment is
/// past both (see [`Index::settled_at`]) a later one finds the same. So a window ending well
/// after a message gets its class from the whole classification, and only the messages of
/// the last 90 days before its end, and the few whose names are later shared, are
/// classified again.
pub fn classify_cut(
    cx: &Context<'_>,
    index: &Index,
    whole: Option<&Whole>,
) -> Option<Vec<Classified>> {
    Some(cut(cx, index, whole)?.map(Cut::into_owned).collect())
}

/// [`summarize`] of [`classify_cut`] without the messages (each person's `messages` is
/// empty): the counts, with nothing settled copied.
pub fn tally_cut(cx: &Context<'_>, index: &Index, whole: Option<&Whole>) -> Option<Audit> {
    Some(tally(cx, cut(cx, index, whole)?.map(|c| c.activity())))
}

/// Adds `a` to the split of `year` in `years` (years in order; in time order a year is the
/// last one or a new one).
fn add_year(years: &mut Vec<(i32, Split)>, year: i32, a: Activity) {
    match years.last_mut() {
        Some((y, split)) if *y == year => split.add(a),
        _ => {
            let k = years.partition_point(|(y, _)| *y < year);
            if years.get(k).is_none_or(|(y, _)| *y != year) {
                years.insert(k, (year, Split::default()));
            }
            years[k].1.add(a);
        }
    }
}

/// The audit's counts of classified brand messages, (message, activity): per person, per
/// year and for the team; each person's `messages` is left empty.
pub fn tally(cx: &Context<'_>, classified: impl Iterator<Item = (u32, Activity)>) -> Audit {
    let m = &cx.snapshot.messages;
    // Person → their place in `people`.
    let mut slot: Vec<u32> = vec![u32::MAX; cx.snapshot.persons.len()];
    let mut people: Vec<PersonAudit> = Vec::new();
    let mut team = Split::default();
    let mut team_years: Vec<(i32, Split)> = Vec::new();
    // The UTC year of the last message, with its bounds (messages come in time order).
    let mut year_of = (i64::MAX, i64::MIN, 0i32);
    for (i, a) in classified {
        let t = m.time[i as usize];
        if !(year_of.0..year_of.1).contains(&t) {
            let y = crate::calendar::civil(crate::calendar::day(t)).0;
            let start = crate::calendar::days_from_civil(y, 1, 1) * 86_400;
            let end = crate::calendar::days_from_civil(y + 1, 1, 1) * 86_400;
            year_of = (start, end, y as i32);
        }
        let year = year_of.2;
        let person = m.author[i as usize];
        let Some(at) = slot.get_mut(person as usize) else {
            continue;
        };
        if *at == u32::MAX {
            *at = people.len() as u32;
            people.push(PersonAudit {
                person,
                split: Split::default(),
                by_year: Vec::new(),
                messages: Vec::new(),
            });
        }
        let p = &mut people[*at as usize];
        p.split.add(a);
        add_year(&mut p.by_year, year, a);
        team.add(a);
        add_year(&mut team_years, year, a);
    }
    people.sort_by_key(|p| (std::cmp::Reverse(p.split.messages()), p.person));
    Audit {
        people,
        team,
        team_by_year: team_years,
    }
}

/// The audit of classified brand messages (in time order): per person and for the team.
pub fn summarize(cx: &Context<'_>, classified: Vec<Classified>) -> Audit {
    let m = &cx.snapshot.messages;
    let mut audit = tally(cx, classified.iter().map(|c| (c.message, c.activity)));
    let at: HashMap<u32, usize> = audit
        .people
        .iter()
        .enumerate()
        .map(|(k, p)| (p.person, k))
        .collect();
    for c in classified {
        if let Some(&k) = at.get(&m.author[c.message as usize]) {
            audit.people[k].messages.push(c);
        }
    }
    audit
}

/// The class of brand message `i` as of the as-of moment of `cx` (no later than the index's):
/// everything the index holds from that moment on is left out.
fn classify(cx: &Context<'_>, i: usize, welcome: bool, index: &Index) -> (Activity, Reason) {
    let m = &cx.snapshot.messages;
    let as_of = cx.as_of();
    let (threads, first, contacts) = (&index.threads, &index.first, &index.contacts);
    let t = m.time[i];
    let author = m.author[i];
    let member = |p: u32| cx.role(p) == Role::Member;
    let p = m.parent[i];
    let parent_author = (p != NO_PARENT).then(|| m.author[p as usize]);

    // Introduction: two named members who had never talked, talking soon after.
    let mut named: Vec<u32> = m
        .mentions(i)
        .iter()
        .copied()
        .filter(|&q| member(q))
        .collect();
    named.extend(index.named_by_text(i, as_of));
    named.extend(parent_author.filter(|&q| member(q)));
    // A member with the writer's own name is the writer on another address (a signature).
    named.retain(|&q| q != author && !same_name(cx, q, author));
    named.sort_unstable();
    named.dedup();
    if named.len() >= 2 && named.len() <= 12 {
        let mut best: Option<(i64, u32, u32, u32)> = None;
        for (k, &a) in named.iter().enumerate() {
            let Some(list) = contacts.get(&a) else {
                continue;
            };
            for &b in &named[k + 1..] {
                let with_b = list.iter().filter(|(_, o, _)| *o == b);
                let mut before = false;
                let mut after = None;
                for &(ct, _, msg) in with_b {
                    if ct < t || msg as usize == i {
                        before = true;
                    } else if ct <= t + INTRODUCTION_DAYS * 86_400 && ct < as_of && after.is_none()
                    {
                        after = Some((ct, msg));
                    }
                }
                if let (false, Some((ct, msg))) = (before, after)
                    && best.is_none_or(|b| (ct, msg) < (b.0, b.3))
                {
                    best = Some((ct, a, b, msg));
                }
            }
        }
        if let Some((_, a, b, message)) = best {
            return (
                Activity::Facilitating,
                Reason::Introduction {
                    members: named,
                    a,
                    b,
                    message,
                },
            );
        }
    }

    // Welcome: a reply to a member's first message that welcomes them, after which the
    // newcomer talks with members.
    if let Some(newcomer) = parent_author
        && welcome
        && member(newcomer)
        && first.get(&newcomer).is_some_and(|&(_, f)| f == p)
        && let Some(&(_, _, message)) = contacts.get(&newcomer).and_then(|list| {
            list.iter()
                .find(|(ct, _, _)| *ct >= t && *ct <= t + INTRODUCTION_DAYS * 86_400 && *ct < as_of)
        })
    {
        return (
            Activity::Facilitating,
            Reason::Welcome { newcomer, message },
        );
    }

    // Members joined the thread and answered members.
    let root = cx.roots[i];
    if let Some(after) = threads.after(root, i) {
        let mut joined: Vec<u32> = Vec::new();
        let mut first_reply = None;
        for &j in after {
            let j = j as usize;
            let a = m.author[j];
            if m.time[j] > t + FOLLOW_DAYS * 86_400
                || m.time[j] >= as_of
                || cx.role(a) == Role::Brand
            {
                break;
            }
            let q = m.parent[j];
            // The reply must follow the brand message: answer it, a message after it, or a
            // message below it — not a message the thread had before (a member answering the
            // original question in parallel was not brought in by it).
            let follows = q != NO_PARENT && (m.time[q as usize] > t || descends(m, q, i, t));
            // A member new to the thread: this is their first message in it.
            if member(a) && threads.first_here[j] && follows && !same_name(cx, a, author) {
                let to = m.author[q as usize];
                if to != a && member(to) {
                    if !joined.contains(&a) {
                        joined.push(a);
                    }
                    first_reply.get_or_insert(j as u32);
                }
            }
        }
        if let Some(message) = first_reply {
            return (
                Activity::Facilitating,
                Reason::MembersJoined { joined, message },
            );
        }
    }

    match parent_author {
        None => (Activity::Broadcasting, Reason::NewThread),
        Some(q) if member(q) => (Activity::Answering, Reason::ReplyToMember { member: q }),
        Some(_) => {
            let starter = m.author[root as usize];
            if member(starter) {
                (Activity::Answering, Reason::InMemberThread)
            } else {
                (Activity::Broadcasting, Reason::InBrandThread)
            }
        }
    }
}

/// The threads of the space, each in time order, indexed so that finding what follows a
/// message is one lookup (a thread of n messages costs n, not n² over its brand messages).
#[derive(Debug, Default)]
struct Threads {
    /// Root → the thread's messages in time order.
    lists: HashMap<u32, Vec<u32>>,
    /// Message → its position in its thread (`u32::MAX` outside every thread).
    pos: Vec<u32>,
    /// Message → whether it is its author's first message in its thread.
    first_here: Vec<bool>,
}

impl Threads {
    fn index(&mut self, m: &hearth_model::MessageColumns) {
        self.pos = vec![u32::MAX; m.len()];
        self.first_here = vec![false; m.len()];
        let mut seen: HashSet<u32> = HashSet::new();
        for list in self.lists.values_mut() {
            list.sort_by_key(|&i| (m.time[i as usize], i));
            seen.clear();
            for (k, &j) in list.iter().enumerate() {
                self.pos[j as usize] = k as u32;
                self.first_here[j as usize] = seen.insert(m.author[j as usize]);
            }
        }
    }

    /// The messages after `i` in the thread of `root`.
    fn after(&self, root: u32, i: usize) -> Option<&[u32]> {
        let list = self.lists.get(&root)?;
        let k = *self.pos.get(i)? as usize;
        list.get(k + 1..)
    }
}

/// Whether message `q` is `i` or below it in the thread (parents walked back to time `t`).
fn descends(m: &hearth_model::MessageColumns, mut q: u32, i: usize, t: i64) -> bool {
    for _ in 0..10_000 {
        if q as usize == i {
            return true;
        }
        if q == NO_PARENT || m.time[q as usize] < t {
            return false;
        }
        q = m.parent[q as usize];
    }
    false
}

/// Two people with the same display name (case-insensitive): most often one person writing
/// from two addresses that the identity rules did not join.
fn same_name(cx: &Context<'_>, a: u32, b: u32) -> bool {
    let name = |p: u32| {
        cx.snapshot
            .persons
            .get(p as usize)
            .map(|i| i.display_name.trim().to_lowercase())
    };
    matches!((name(a), name(b)), (Some(x), Some(y)) if !x.is_empty() && x == y)
}

/// Members' names as they are written in messages: full display names (two words or more)
/// and `@username`s, lower case, each with every member it belongs to (a name of two members
/// names neither).
#[derive(Debug)]
struct NameIndex {
    /// Name (its words joined by one space) → its index in `members`.
    names: HashMap<String, u32, Fnv>,
    /// Each name's members, distinct, in the order met.
    members: Vec<Vec<u32>>,
    /// The first word of every name: most words start none, and cost one lookup.
    firsts: HashSet<String, Fnv>,
    /// A bit for each first word's [`sketch`]: a word whose bit is clear starts no name, and
    /// costs no hashing of its bytes (most words of a message).
    first_bits: Vec<u64>,
    longest: usize,
}

/// Bits of [`NameIndex::first_bits`].
const FIRST_BITS: usize = 1 << 14;

/// A word's place in [`NameIndex::first_bits`], from its length and its first, second and
/// last bytes.
fn sketch(word: &str) -> usize {
    let b = word.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return 0;
    };
    let second = b.get(1).copied().unwrap_or(0);
    let key = u32::from(first)
        | u32::from(second) << 8
        | u32::from(last) << 16
        | (b.len().min(255) as u32) << 24;
    (key.wrapping_mul(0x9E37_79B1) >> (32 - 14)) as usize
}

impl NameIndex {
    fn new(cx: &Context<'_>, members: &HashMap<u32, (i64, u32)>) -> Self {
        let mut index = NameIndex {
            names: HashMap::default(),
            members: Vec::new(),
            firsts: HashSet::default(),
            first_bits: vec![0; FIRST_BITS / 64],
            longest: 0,
        };
        // In person order, so that the index is the same from one run to the next.
        let mut people: Vec<u32> = members.keys().copied().collect();
        people.sort_unstable();
        for p in people {
            let Some(info) = cx.snapshot.persons.get(p as usize) else {
                continue;
            };
            let words: Vec<String> = words_of(&info.display_name)
                .map(str::to_lowercase)
                .collect();
            if words.len() >= 2
                && words.iter().all(|w| w.chars().count() >= 2)
                && !words.iter().any(|w| w.contains('@'))
            {
                index.add(words, p);
            }
            for a in &info.accounts {
                if let Some(u) = a.username.as_deref().filter(|u| u.chars().count() >= 3) {
                    index.add(vec![format!("@{}", u.to_lowercase())], p);
                }
            }
        }
        index.longest = index.longest.min(4);
        index
    }

    fn add(&mut self, words: Vec<String>, p: u32) {
        self.longest = self.longest.max(words.len());
        let bit = sketch(&words[0]);
        self.first_bits[bit / 64] |= 1 << (bit % 64);
        self.firsts.insert(words[0].clone());
        let next = self.members.len() as u32;
        let n = *self.names.entry(words.join(" ")).or_insert(next);
        if n == next {
            self.members.push(Vec::new());
        }
        let list = &mut self.members[n as usize];
        if !list.contains(&p) {
            list.push(p);
        }
    }

    /// The names used in `text` (lower case), as indices into `members`, each once per use.
    fn find(&self, text: &str) -> Vec<u32> {
        let mut words: Vec<&str> = Vec::with_capacity(text.len() / 6);
        if text.is_ascii() {
            ascii_words(text, |w| words.push(w));
        } else {
            words.extend(words_of(text));
        }
        let mut out = Vec::new();
        let mut key = String::new();
        for start in 0..words.len() {
            let bit = sketch(words[start]);
            if self.first_bits[bit / 64] & (1 << (bit % 64)) == 0
                || !self.firsts.contains(words[start])
            {
                continue;
            }
            key.clear();
            for len in 1..=self.longest.min(words.len() - start) {
                if len > 1 {
                    key.push(' ');
                }
                key.push_str(words[start + len - 1]);
                if let Some(&n) = self.names.get(key.as_str()) {
                    out.push(n);
                }
            }
        }
        out
    }
}

/// [`words_of`] for ASCII text, byte by byte (the same words: a unit test compares them).
fn ascii_words<'a>(text: &'a str, f: impl FnMut(&'a str)) {
    crate::text::ascii_words(
        text,
        |c| c.is_ascii_alphanumeric() || matches!(c, b'@' | b'.' | b'-' | b'_' | b'\''),
        |c| matches!(c, b'.' | b'-' | b'_' | b'\''),
        f,
    );
}

/// Words as written (the caller lower-cases); `@` and inner `.`/`-`/`_` stay part of a word.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '\'')))
        .map(|w| w.trim_matches(|c| matches!(c, '.' | '-' | '_' | '\'')))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{ascii_words, words_of};

    fn both(text: &str) -> (Vec<&str>, Vec<&str>) {
        let mut fast = Vec::new();
        ascii_words(text, |w| fast.push(w));
        (fast, words_of(text).collect())
    }

    #[test]
    fn ascii_words_are_the_words_of_words_of() {
        for text in [
            "",
            "thanks @jane.doe, and 'John Smith' -- see www.ettus.com.",
            "...--__''",
            "a.b-c_d'e f@g @ .x. -y- _z_ 'w'",
            "user@host:~$ uhd_usrp_probe --args=\"type=b200\"",
        ] {
            let (fast, slow) = both(text);
            assert_eq!(fast, slow, "{text:?}");
        }
        // Every ASCII line of a year of the usrp-users list.
        let text = crate::test_text::usrp_users_2019();
        let mut lines = 0;
        for line in text.lines().filter(|l| l.is_ascii()) {
            let lower = line.to_lowercase();
            let (fast, slow) = both(&lower);
            assert_eq!(fast, slow, "{line:?}");
            lines += 1;
        }
        assert!(lines > 10_000, "{lines} lines");
    }
}
