//! The features of one (line, candidate parent) pair. All are yes/no, so a pair is the short
//! list of the features that hold, and the model's first layer is a sum of columns.

use super::ChatLine;
use crate::text::sentiment::Fnv;
use std::collections::HashMap;

/// How far back a line looks for its parent (the line itself is also a candidate).
pub const WINDOW: usize = 63;

/// Candidates this near are always scored; see [`Scan::may_matter`].
pub const NEAR: usize = 24;

/// Names of the features, in index order (the model file is written in this order).
pub const NAMES: &[&str] = &[
    "self",
    "self_system",
    "self_mentions_someone",
    "self_question",
    "self_first_line_of_author",
    "self_author_quiet_recently",
    "self_opening_words",
    "self_mentions_nobody_and_author_recent",
    "cand_system",
    "dist_1",
    "dist_2",
    "dist_3",
    "dist_4",
    "dist_5_6",
    "dist_7_9",
    "dist_10_14",
    "dist_15_24",
    "dist_25_39",
    "dist_40_plus",
    "gap_0min",
    "gap_1min",
    "gap_2_3min",
    "gap_4_9min",
    "gap_10min_plus",
    "line_mentions_cand_author",
    "line_addresses_cand_author_first_word",
    "line_mentions_cand_author_and_cand_is_their_latest",
    "line_mentions_someone_else",
    "cand_mentions_line_author",
    "cand_is_latest_mentioning_line_author",
    "cand_is_latest_of_its_author",
    "same_author",
    "same_author_and_cand_latest",
    "cand_mentions_someone_else",
    "author_prev_line_mentioned_cand_author",
    "cand_author_latest_mentions_line_author",
    "cand_question",
    "cand_question_other_author",
    "overlap_1_word",
    "overlap_2_words",
    "line_opens_with_reply_word",
    "cand_first_line_of_its_author",
    "author_talked_to_cand_author_recently",
    "cand_author_talked_to_author_recently",
    "same_author_dist_1",
    "line_mentions_nobody",
    "line_mentions_nobody_cand_latest_other",
    "cand_mentions_line_author_and_latest_of_cand_author",
    "author_silent_since_cand",
    "author_silent_since_cand_that_mentions_author",
    "author_silent_since_cand_latest_of_its_author",
    "same_author_no_mentions_dist_le_3",
    "cand_answers_line_author",
    "author_latest_answers_cand_author",
    "cand_already_answered",
    "cand_answered_by_line_author",
    "cand_starts_conversation",
    "cand_in_conversation_of_author_latest",
    "cand_latest_of_conversation_of_author_latest",
    "cand_latest_of_its_conversation",
    "shared_rare_1_word",
    "shared_rare_2_words",
    "shared_3_words",
    "most_shared_of_candidates",
    "most_shared_of_cand_author_lines",
    "both_mention_same_person",
    "same_author_same_addressee",
    "cand_second_latest_of_its_author",
    "cand_third_or_older_of_its_author",
    "line_1_2_words",
    "line_3_6_words",
    "cand_1_2_words",
    "cand_has_link",
    "line_has_link",
    "cand_is_bang_command",
    "line_opens_yes_no",
    "line_opens_thanks",
    "line_opens_try_use",
    "line_opens_you",
    "line_opens_it_that",
    "cand_opens_question_word",
    "cand_opens_yes_no",
    "cand_opens_thanks",
    "cand_opens_try_use",
    "cand_long",
    "line_question",
    "line_question_cand_question",
    "line_has_code_path",
    "line_opens_conjunction",
    "same_author_line_opens_conjunction",
    "line_long",
    "line_greeting",
    "cand_opens_you",
    "cand_opens_it_that",
    "shared_weight_3_plus",
    "shared_weight_6_plus",
    "shared_weight_10_plus",
    "most_weighted_of_candidates",
];

/// The fixed features; then one per [`VOCAB`] word in the candidate, one per word in the line.
const FIXED: usize = 98;

/// The 150 words used by most lines of irc-ubuntu `train/` (numbers left out), most used first:
/// `scripts/reply-vocab.py` lists them again from the corpus.
pub const VOCAB: &[&str] = &[
    "i",
    "the",
    "to",
    "it",
    "a",
    "is",
    "you",
    "and",
    "that",
    "in",
    "ubuntu",
    "for",
    "on",
    "have",
    "of",
    "can",
    "but",
    "not",
    "do",
    "with",
    "my",
    "what",
    "how",
    "if",
    "just",
    "this",
    "be",
    "get",
    "or",
    "so",
    "install",
    "me",
    "there",
    "no",
    "use",
    "are",
    "your",
    "from",
    "know",
    "help",
    "all",
    "then",
    "like",
    "as",
    "see",
    "i'm",
    "an",
    "try",
    "when",
    "http",
    "need",
    "don't",
    "any",
    "one",
    "will",
    "com",
    "ok",
    "it's",
    "at",
    "up",
    "now",
    "was",
    "does",
    "using",
    "anyone",
    "want",
    "thanks",
    "about",
    "yes",
    "work",
    "file",
    "linux",
    "installed",
    "its",
    "windows",
    "should",
    "some",
    "would",
    "sudo",
    "only",
    "out",
    "problem",
    "did",
    "well",
    "hi",
    "think",
    "has",
    "run",
    "apt",
    "why",
    "am",
    "here",
    "boot",
    "please",
    "system",
    "way",
    "right",
    "which",
    "make",
    "sure",
    "other",
    "server",
    "by",
    "find",
    "also",
    "something",
    "where",
    "could",
    "trying",
    "command",
    "good",
    "etc",
    "got",
    "still",
    "they",
    "package",
    "desktop",
    "can't",
    "time",
    "more",
    "running",
    "im",
    "new",
    "go",
    "after",
    "version",
    "error",
    "gnome",
    "doesn't",
    "cd",
    "tried",
    "org",
    "same",
    "dont",
    "sorry",
    "files",
    "https",
    "working",
    "yeah",
    "them",
    "that's",
    "works",
    "really",
    "too",
    "set",
    "into",
    "check",
    "partition",
    "question",
    "i've",
];

pub const COUNT: usize = FIXED + 2 * VOCAB.len();

/// The candidate's own words, as features: the same for a line wherever it is a candidate, so
/// inference sums their weights once per line ([`super::infer`]); training lists them with
/// each candidate's other features.
pub fn cand_words(info: &LineInfo) -> impl Iterator<Item = u16> + '_ {
    info.vocab.iter().map(|w| (FIXED as u16) + w)
}

/// The name of feature `f` (the model file names its rows).
pub fn name(f: usize) -> String {
    if f < FIXED {
        NAMES[f].to_owned()
    } else if f < FIXED + VOCAB.len() {
        format!("cand_word_{}", VOCAB[f - FIXED])
    } else {
        format!("line_word_{}", VOCAB[f - FIXED - VOCAB.len()])
    }
}

fn vocab_index(word: &str) -> Option<u16> {
    static INDEX: std::sync::OnceLock<HashMap<&'static str, u16>> = std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            VOCAB
                .iter()
                .enumerate()
                .map(|(k, w)| (*w, k as u16))
                .collect()
        })
        .get(word)
        .copied()
}

/// A word is rare in a log when at most this many earlier lines used it.
const RARE: u32 = 3;

const OPENING: &[&str] = &[
    "hi", "hello", "hey", "anyone", "anybody", "does", "can", "how", "is", "what", "where", "why",
    "which", "who", "i", "im", "i'm", "i've", "ive", "when", "help", "question", "ok", "so",
];
const REPLY_WORDS: &[&str] = &[
    "yes", "no", "yeah", "yep", "nope", "thanks", "thank", "thx", "ty", "ok", "okay", "sure", "np",
    "try", "you", "your", "it", "that", "then", "well", "did", "do", "use", "lol", "hmm", "right",
    "oh", "ah",
];
const STOP: &[&str] = &[
    "that", "this", "with", "have", "just", "what", "when", "there", "from", "they", "will",
    "would", "your", "about", "then", "them", "does", "know", "like", "want", "need", "should",
    "could", "here", "some", "also", "only", "than", "into", "thanks", "been", "were", "which",
    "their", "more", "make", "sure", "yeah", "okay", "it's", "don't", "can't", "i'm", "think",
];

/// A word without its commonest English endings, so that `install`, `installs`, `installed`
/// and `installing` meet (a crude cut, for comparing lines only).
fn stem(word: &str) -> &str {
    let w = word.strip_suffix("'s").unwrap_or(word);
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(rest) = w.strip_suffix(suffix)
            && rest.len() >= 3
        {
            return rest;
        }
    }
    w
}

/// Three-letter words too common to tell lines apart (three-letter names of things — `ppc`,
/// `lvm`, `ssh`, `usb` — are content words).
const STOP3: &[&str] = &[
    "the", "and", "you", "for", "but", "not", "are", "was", "can", "how", "any", "get", "use",
    "now", "one", "its", "all", "out", "has", "his", "her", "she", "see", "way", "did", "try",
    "got", "yes", "why", "too", "who", "new", "may", "own", "set", "put", "let", "say", "off",
    "lol", "thx", "yep", "yea", "hey", "well", "had", "him", "our", "two", "day", "ask", "man",
    "pls", "plz", "ive", "i'm", "i'd", "it's", "don", "doesn", "isn", "won", "didn", "can't", "ok",
    "okay", "just", "then", "than", "also", "like", "what", "this", "that", "there",
];

/// One of [`STOP`] or [`STOP3`] (looked up in a set: this runs for every word of every line).
fn is_stop(word: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str, Fnv>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| STOP.iter().chain(STOP3).copied().collect())
        .contains(word)
}

/// What is computed once per line.
#[derive(Debug, Clone, Default)]
pub struct LineInfo {
    pub question: bool,
    pub opening: bool,
    pub reply_word: bool,
    /// The person addressed by the first word (`nick: …`), if it is a mention.
    pub first_word_mention: Option<u32>,
    /// Hashed content words, sorted, unique.
    pub words: Vec<u64>,
    /// One bit per word (hash mod 64): two lines whose signatures do not meet share no word.
    pub signature: u64,
    /// Words in the line (all of them, capped at 255).
    pub length: u8,
    pub link: bool,
    /// A command or a path (`sudo …`, `apt-get …`, `/etc/…`): an answer's shape.
    pub path: bool,
    /// `!command`: a request for the channel's bot.
    pub bang: bool,
    /// Which group the opening word (after an address) belongs to: see [`opener_group`].
    pub opener: u8,
    /// The line opens with who / what / how / where / why / which / when / is / does / can.
    pub asks: bool,
    /// The [`VOCAB`] words of the line, by index, once each.
    pub vocab: Vec<u16>,
}

/// 1 yes/no words, 2 thanks, 3 try/use, 4 you, 5 it/that, 6 and/but/so, 7 greetings, 0
/// anything else.
fn opener_group(word: &str) -> u8 {
    match word {
        "yes" | "no" | "yeah" | "yep" | "nope" | "nah" | "yup" | "ok" | "okay" | "sure" => 1,
        "thanks" | "thank" | "thx" | "ty" | "cheers" => 2,
        "try" | "use" | "run" | "install" | "type" | "check" | "just" => 3,
        "you" | "your" | "you're" | "youre" => 4,
        "it" | "that" | "it's" | "its" | "this" | "then" => 5,
        "and" | "but" | "or" | "also" | "so" | "because" | "plus" | "though" => 6,
        "hi" | "hello" | "hey" | "hiya" | "morning" | "evening" | "howdy" => 7,
        _ => 0,
    }
}

fn hash(word: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in word.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub fn line_info(line: &ChatLine<'_>, first_word_person: Option<u32>) -> LineInfo {
    let text = line.text;
    let lower = text.to_lowercase();
    let mut words_iter = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty());
    let first = words_iter.next().unwrap_or("");
    let second = words_iter.next().unwrap_or("");
    // When the line starts by addressing someone, the opening word is the one after it.
    let opener = if first_word_person.is_some() {
        second
    } else {
        first
    };
    let mut words: Vec<u64> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-' || c == '.'))
        .map(|w| w.trim_matches(['.', '\'', '-']))
        .filter(|w| w.len() >= 3 && !is_stop(w))
        .map(|w| hash(stem(w)))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.truncate(40);
    let all_words = lower.split_whitespace().count();
    let mut vocab: Vec<u16> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '_'))
        .filter_map(vocab_index)
        .collect();
    vocab.sort_unstable();
    vocab.dedup();
    LineInfo {
        length: all_words.min(255) as u8,
        link: lower.contains("http://") || lower.contains("https://") || lower.contains("www."),
        bang: text.trim_start().starts_with('!'),
        path: lower.contains("sudo ") || lower.contains("apt-get") || lower.contains(" /"),
        opener: opener_group(opener),
        asks: matches!(
            opener,
            "who"
                | "what"
                | "how"
                | "where"
                | "why"
                | "which"
                | "when"
                | "is"
                | "does"
                | "can"
                | "anyone"
                | "anybody"
        ),
        vocab,
        question: text.contains('?'),
        opening: first_word_person.is_none() && OPENING.contains(&first),
        reply_word: REPLY_WORDS.contains(&opener),
        first_word_mention: first_word_person,
        signature: words.iter().fold(0, |sig, h| sig | 1 << (h % 64)),
        words,
    }
}

/// Running state over a log: who spoke last, who mentioned whom, and the links so far.
/// Speaker ids are small dense numbers, so most of it is plain vectors indexed by speaker.
#[derive(Debug, Default)]
pub struct State {
    /// Latest line of each author ([`NONE`]: none yet).
    latest_by: Vec<u32>,
    /// Latest line mentioning each person.
    latest_mentioning: Vec<u32>,
    /// First line of each author.
    first_by: Vec<u32>,
    /// (a, b) → latest line in which a mentioned b.
    talked: HashMap<(u32, u32), u32, Fnv>,
    /// The parent of each line so far (gold when training, inferred otherwise);
    /// [`NONE`] when unknown.
    pub parent: Vec<u32>,
    /// Whether some later line answers each line.
    pub answered: Vec<bool>,
    /// Up to four authors who answered each line.
    answered_by: Vec<[u32; 4]>,
    /// The first line of each line's conversation (following parents back).
    root: Vec<u32>,
    /// The latest line of each conversation, by its first line.
    latest_in: Vec<u32>,
    /// How many lines so far used each content word (by hash).
    used: HashMap<u64, u32, Fnv>,
}

/// No known parent.
pub const NONE: u32 = u32::MAX;

fn at(v: &[u32], k: u32) -> Option<u32> {
    v.get(k as usize).copied().filter(|x| *x != NONE)
}

fn set(v: &mut Vec<u32>, k: u32, value: u32) {
    let k = k as usize;
    if v.len() <= k {
        v.resize(k + 1, NONE);
    }
    v[k] = value;
}

impl State {
    pub fn latest_by(&self, author: u32) -> Option<u32> {
        at(&self.latest_by, author)
    }

    fn latest_mentioning(&self, person: u32) -> Option<u32> {
        at(&self.latest_mentioning, person)
    }

    fn first_by(&self, author: u32) -> Option<u32> {
        at(&self.first_by, author)
    }

    fn talked(&self, a: u32, b: u32) -> Option<u32> {
        self.talked.get(&(a, b)).copied()
    }

    fn answered_by(&self, line: usize, author: u32) -> bool {
        self.answered_by
            .get(line)
            .is_some_and(|list| list.contains(&author))
    }

    /// Counts the content words of a line once it has been scored.
    pub fn count_words(&mut self, info: &LineInfo) {
        for w in &info.words {
            *self.used.entry(*w).or_insert(0) += 1;
        }
    }

    fn uses(&self, word: u64) -> u32 {
        self.used.get(&word).copied().unwrap_or(0)
    }

    /// The first line of line `j`'s conversation.
    fn root(&self, j: usize) -> u32 {
        self.root[j]
    }

    /// Records line `i` after its candidates have been scored.
    pub fn push(&mut self, i: u32, line: &ChatLine<'_>, parent: u32) {
        let root = if parent != NONE && parent < i {
            self.root[parent as usize]
        } else {
            i
        };
        self.root.push(root);
        self.latest_in.push(NONE);
        if !line.system {
            self.latest_in[root as usize] = i;
        }
        self.parent.push(parent);
        self.answered.push(false);
        self.answered_by.push([NONE; 4]);
        if parent != NONE && parent < i {
            self.answered[parent as usize] = true;
            let by = &mut self.answered_by[parent as usize];
            if !by.contains(&line.author)
                && let Some(slot) = by.iter_mut().find(|x| **x == NONE)
            {
                *slot = line.author;
            }
        }
        if line.system {
            return;
        }
        set(&mut self.latest_by, line.author, i);
        if self.first_by(line.author).is_none() {
            set(&mut self.first_by, line.author, i);
        }
        for &m in line.mentions {
            set(&mut self.latest_mentioning, m, i);
            self.talked.insert((line.author, m), i);
        }
    }
}

/// What is compared across the candidates of one line before any is described: shared words
/// (all and rare ones) and each candidate's place among its author's lines.
#[derive(Debug, Default)]
pub struct Scan {
    /// By candidate distance `k` (0 is the line itself).
    shared: Vec<u8>,
    rare: Vec<u8>,
    /// Shared words weighted by how rare they are in the log so far (`ln(lines / uses)`).
    weight: Vec<f32>,
    most_weight: f32,
    /// For each content word of the line: rare in the log so far, and its weight.
    word_rare: Vec<bool>,
    word_weight: Vec<f32>,
    /// Lines its author said after it, before the line (0: its author's latest).
    rank: Vec<u8>,
    most_shared: u8,
    /// Most shared words of any candidate by each author, stamped by line (+1).
    by_author: Vec<(u32, u8)>,
    seen: Vec<(u32, u8)>,
    /// Facts about the pair of authors, once per line and candidate author.
    pairs: PairCache,
}

impl Scan {
    /// Compares line `i` with its `n - 1` earlier candidates.
    pub fn line(
        &mut self,
        lines: &[ChatLine<'_>],
        info: &[LineInfo],
        state: &State,
        i: usize,
        n: usize,
    ) {
        self.shared.clear();
        self.rare.clear();
        self.weight.clear();
        self.most_weight = 0.0;
        let lines_so_far = state.parent.len() as f32 + 1.0;
        // How rare each of the line's words is, looked up once for all its candidates.
        self.word_rare.clear();
        self.word_weight.clear();
        for w in &info[i].words {
            let uses = state.uses(*w);
            self.word_rare.push(uses <= RARE);
            self.word_weight
                .push((lines_so_far / (uses as f32 + 1.0)).ln().max(0.0));
        }
        self.rank.clear();
        self.most_shared = 0;
        let stamp = i as u32 + 1;
        for k in 0..n {
            let j = i - k;
            let (mut shared, mut rare, mut rank) = (0u8, 0u8, 0u8);
            let mut weight = 0f32;
            if k > 0 && !lines[j].system {
                if info[i].signature & info[j].signature != 0 {
                    for_shared(&info[i].words, &info[j].words, |at| {
                        shared = shared.saturating_add(1);
                        if self.word_rare[at] {
                            rare = rare.saturating_add(1);
                        }
                        weight += self.word_weight[at];
                    });
                }
                let b = lines[j].author as usize;
                if self.seen.len() <= b {
                    self.seen.resize(b + 1, (0, 0));
                    self.by_author.resize(b + 1, (0, 0));
                }
                if self.seen[b].0 != stamp {
                    self.seen[b] = (stamp, 0);
                    self.by_author[b] = (stamp, 0);
                }
                rank = self.seen[b].1;
                self.seen[b].1 = rank.saturating_add(1);
                self.by_author[b].1 = self.by_author[b].1.max(shared);
                self.most_shared = self.most_shared.max(shared);
            }
            self.most_weight = self.most_weight.max(weight);
            self.shared.push(shared);
            self.rare.push(rare);
            self.weight.push(weight);
            self.rank.push(rank);
        }
    }

    /// Whether candidate `k` of line `i` can matter: a near one always; one further back than
    /// [`NEAR`] lines only when it shares a word with the line, is by the line's author, or
    /// one of the two names the other's author. Inference leaves the others out (they never
    /// win: measured on `dev/`, it changes no link), which makes a line cost what its near
    /// candidates cost.
    pub fn may_matter(&self, lines: &[ChatLine<'_>], i: usize, k: usize) -> bool {
        if k <= NEAR {
            return true;
        }
        let (li, lj) = (&lines[i], &lines[i - k]);
        self.shared[k] > 0
            || li.author == lj.author
            || li.mentions.contains(&lj.author)
            || lj.mentions.contains(&li.author)
    }

    fn author_most(&self, i: usize, author: u32) -> u8 {
        self.by_author
            .get(author as usize)
            .filter(|(stamp, _)| *stamp == i as u32 + 1)
            .map_or(0, |(_, n)| *n)
    }
}

/// Visits the words `a` and `b` share (both sorted), by their index in `a`.
fn for_shared(a: &[u64], b: &[u64], mut visit: impl FnMut(usize)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                visit(i);
                i += 1;
                j += 1;
            }
        }
    }
}

/// Per-line memo of facts about (line author, candidate author).
#[derive(Debug, Default)]
pub struct PairCache {
    /// For each candidate author: the line (+1) the facts were computed for, and the facts.
    entries: Vec<(u32, u8)>,
}

impl PairCache {
    fn facts(&mut self, line: usize, author: u32, compute: impl FnOnce() -> u8) -> u8 {
        let k = author as usize;
        if self.entries.len() <= k {
            self.entries.resize(k + 1, (0, 0));
        }
        let stamp = line as u32 + 1;
        if self.entries[k].0 != stamp {
            self.entries[k] = (stamp, compute());
        }
        self.entries[k].1
    }
}

/// Appends the features of (line `i`, candidate `j`) to `out`. `state` holds lines before `i`.
pub fn pair(
    lines: &[ChatLine<'_>],
    info: &[LineInfo],
    state: &State,
    scan: &mut Scan,
    i: usize,
    j: usize,
    out: &mut Vec<u16>,
) {
    let (li, lj) = (&lines[i], &lines[j]);
    let (a, b) = (li.author, lj.author);
    let recent = |line: Option<u32>| line.is_some_and(|l| i - (l as usize) <= WINDOW);
    let mut f = |k: usize| out.push(k as u16);
    if i == j {
        f(0);
        if li.system {
            f(1);
            return;
        }
        if !li.mentions.is_empty() {
            f(2);
        }
        if info[i].question {
            f(3);
        }
        match state.latest_by(a) {
            None => f(4),
            Some(l) if i - l as usize > WINDOW => f(5),
            Some(_) => {
                if li.mentions.is_empty() {
                    f(7);
                }
            }
        }
        if info[i].opening {
            f(6);
        }
        for &w in &info[i].vocab {
            f(FIXED + VOCAB.len() + w as usize);
        }
        return;
    }
    if lj.system {
        f(8);
        return;
    }
    let d = i - j;
    f(match d {
        1 => 9,
        2 => 10,
        3 => 11,
        4 => 12,
        5..=6 => 13,
        7..=9 => 14,
        10..=14 => 15,
        15..=24 => 16,
        25..=39 => 17,
        _ => 18,
    });
    let gap = (li.time - lj.time).max(0) / 60;
    f(match gap {
        0 => 19,
        1 => 20,
        2..=3 => 21,
        4..=9 => 22,
        _ => 23,
    });
    let mentions_b = li.mentions.contains(&b) && a != b;
    let cand_latest = state.latest_by(b) == Some(j as u32);
    if mentions_b {
        f(24);
        if info[i].first_word_mention == Some(b) {
            f(25);
        }
        if cand_latest {
            f(26);
        }
    } else if !li.mentions.is_empty() {
        f(27);
    }
    let j_mentions_a = lj.mentions.contains(&a) && a != b;
    if j_mentions_a {
        f(28);
        if state.latest_mentioning(a) == Some(j as u32) {
            f(29);
        }
        if cand_latest {
            f(47);
        }
    } else if !lj.mentions.is_empty() {
        f(33);
    }
    if cand_latest {
        f(30);
    }
    if a == b {
        f(31);
        if cand_latest {
            f(32);
        }
        if d == 1 {
            f(44);
        }
    } else {
        // Facts about the pair of authors are the same for every candidate by `b`: computed
        // once per line and author.
        let facts = scan.pairs.facts(i, b, || {
            let mut x = 0u8;
            if let Some(prev) = state.latest_by(a)
                && recent(Some(prev))
                && lines[prev as usize].mentions.contains(&b)
            {
                x |= 1;
            }
            if let Some(lb) = state.latest_by(b)
                && lines[lb as usize].mentions.contains(&a)
            {
                x |= 2;
            }
            if recent(state.talked(a, b)) {
                x |= 4;
            }
            if recent(state.talked(b, a)) {
                x |= 8;
            }
            x
        });
        if facts & 1 != 0 {
            f(34);
        }
        if facts & 2 != 0 {
            f(35);
        }
        if facts & 4 != 0 {
            f(42);
        }
        if facts & 8 != 0 {
            f(43);
        }
        if info[i].reply_word {
            f(40);
        }
        if info[j].question {
            f(37);
        }
    }
    if info[j].question {
        f(36);
    }
    if a != b && state.latest_by(a).is_none_or(|l| (l as usize) < j) {
        f(48);
        if j_mentions_a {
            f(49);
        }
        if cand_latest {
            f(50);
        }
    }
    if a == b && li.mentions.is_empty() && d <= 3 {
        f(51);
    }
    let pj = state.parent[j];
    if pj != NONE && pj as usize != j && lines[pj as usize].author == a && a != b {
        f(52);
    }
    if pj as usize == j {
        f(56);
    }
    if a != b
        && let Some(la) = state.latest_by(a)
        && recent(Some(la))
    {
        let pa = state.parent[la as usize];
        if pa != NONE && pa != la && lines[pa as usize].author == b {
            f(53);
        }
    }
    if state.answered[j] {
        f(54);
        if state.answered_by(j, a) {
            f(55);
        }
    }
    let k = i - j;
    let shared = scan.shared[k];
    match shared {
        0 => {}
        1 => f(38),
        2 => f(39),
        _ => {
            f(39);
            f(62);
        }
    }
    match scan.rare[k] {
        0 => {}
        1 => f(60),
        _ => f(61),
    }
    if shared > 0 {
        if shared == scan.most_shared {
            f(63);
        }
        if shared == scan.author_most(i, b) {
            f(64);
        }
    }
    if li
        .mentions
        .iter()
        .any(|m| *m != a && *m != b && lj.mentions.contains(m))
    {
        f(65);
        if a == b {
            f(66);
        }
    }
    match scan.rank[k] {
        0 => {}
        1 => f(67),
        _ => f(68),
    }
    match info[i].length {
        0..=2 => f(69),
        3..=6 => f(70),
        _ => {}
    }
    if info[j].length <= 2 {
        f(71);
    }
    if info[j].link {
        f(72);
    }
    if info[i].link {
        f(73);
    }
    if info[j].bang {
        f(74);
    }
    if a != b {
        match info[i].opener {
            1 => f(75),
            2 => f(76),
            3 => f(77),
            4 => f(78),
            5 => f(79),
            _ => {}
        }
    }
    if info[j].asks {
        f(80);
    }
    let weight = scan.weight[k];
    if weight >= 3.0 {
        f(94);
        if weight >= 6.0 {
            f(95);
            if weight >= 10.0 {
                f(96);
            }
        }
        if weight >= scan.most_weight {
            f(97);
        }
    }
    match info[j].opener {
        1 => f(81),
        2 => f(82),
        3 => f(83),
        _ => {}
    }
    if info[j].length > 15 {
        f(84);
    }
    if info[i].question {
        f(85);
        if info[j].question {
            f(86);
        }
    }
    if info[i].path {
        f(87);
    }
    if info[i].opener == 6 {
        f(88);
        if a == b {
            f(89);
        }
    }
    if info[i].length > 15 {
        f(90);
    }
    if info[i].opener == 7 {
        f(91);
    }
    match info[j].opener {
        4 => f(92),
        5 => f(93),
        _ => {}
    }
    if state.first_by(b) == Some(j as u32) {
        f(41);
    }
    let root = state.root(j);
    let latest_of_conversation = state.latest_in[root as usize] == j as u32;
    if let Some(la) = state.latest_by(a)
        && recent(Some(la))
        && state.root(la as usize) == root
    {
        f(57);
        if latest_of_conversation {
            f(58);
        }
    }
    if latest_of_conversation {
        f(59);
    }
    if li.mentions.is_empty() {
        f(45);
        if cand_latest && a != b {
            f(46);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_match_count() {
        assert_eq!(super::NAMES.len(), super::FIXED);
    }
}
