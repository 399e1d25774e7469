//! Answers kept in the process for the resolved snapshot they were computed from.
//!
//! Some parts of an answer depend on the space and the as-of moment but not on where the
//! window starts (a brand message's class in the role audit, an inbound item's routing).
//! Computed once for a window without a start, they answer every window of that space and end
//! by filtering, which is how the dashboard serves a window of its own in milliseconds after
//! the default scope was computed ahead. What they are computed from (the role audit's,
//! routing's and the lapsed list's indexes, the newcomer list) is kept for the whole space,
//! with the time of everything in it, and serves every end up to the data's as a cut.
//!
//! A key holds weak references to the snapshot and prepared view ([`crate::scope::Loaded`]
//! shares them per data directory, generation and rules), so an entry matches only answers
//! of that very generation and rules, and an address is never reused while its key exists.

use crate::scope::Loaded;
use hearth_analysis::Prepared;
use hearth_model::Snapshot;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

static BYPASS: AtomicBool = AtomicBool::new(false);
static KEEP_WHOLES: AtomicBool = AtomicBool::new(false);
static HITS: AtomicU64 = AtomicU64::new(0);

/// Tests only: with `true`, nothing kept is read (every answer is computed in full), so a
/// test can compare both ways.
pub fn bypass(on: bool) {
    BYPASS.store(on, Ordering::SeqCst);
}

/// With `true` (a process that answers many scopes: the server), what a whole space
/// computes for the windows cut from it is kept (see [`kept_whole`]); a command, which asks
/// once, computes only its own scope.
pub fn keep_wholes(on: bool) {
    KEEP_WHOLES.store(on, Ordering::SeqCst);
}

/// Whether nothing kept is read (see [`bypass`]): what is computed is then computed for its
/// own scope alone, as a command computes it.
pub fn bypassed() -> bool {
    BYPASS.load(Ordering::SeqCst)
}

/// The context of the whole space of `loaded` (no start, no end): what an index kept for
/// every window of the space is built from.
pub fn whole_space(loaded: &Loaded) -> hearth_analysis::Context<'_> {
    hearth_analysis::Context::new(
        &loaded.snapshot,
        &loaded.prepared,
        hearth_analysis::Window::default(),
        loaded.space,
    )
}

/// How many answers were taken from kept entries since the process started.
pub fn hits() -> u64 {
    HITS.load(Ordering::SeqCst)
}

/// What an entry was computed from.
#[derive(Debug, Clone)]
pub struct Key {
    snapshot: Weak<Snapshot>,
    prepared: Weak<Prepared>,
    space: Option<u32>,
    as_of: i64,
    /// Anything else the entry depends on (e.g. whether stored measures were read).
    extra: u64,
}

impl Key {
    pub fn of(loaded: &Loaded, as_of: i64, extra: u64) -> Key {
        Key {
            snapshot: Arc::downgrade(&loaded.snapshot),
            prepared: Arc::downgrade(&loaded.prepared),
            space: loaded.space,
            as_of,
            extra,
        }
    }

    /// A key for what does not depend on the space: one entry serves the scopes of every
    /// space of the snapshot.
    pub fn of_every_space(loaded: &Loaded, as_of: i64, extra: u64) -> Key {
        Key {
            space: None,
            ..Key::of(loaded, as_of, extra)
        }
    }

    fn same(&self, other: &Key) -> bool {
        Weak::ptr_eq(&self.snapshot, &other.snapshot)
            && Weak::ptr_eq(&self.prepared, &other.prepared)
            && self.space == other.space
            && self.as_of == other.as_of
            && self.extra == other.extra
    }

    fn alive(&self) -> bool {
        self.snapshot.strong_count() > 0 && self.prepared.strong_count() > 0
    }
}

/// A key for answers that depend on the rules of `hearth.toml`: a hash of all of them.
pub fn rules_key(config: &hearth_model::Config) -> crate::Result<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(config)?.hash(&mut h);
    Ok(h.finish())
}

/// A lock that a panic elsewhere did not spoil for good (what it guards is whole between
/// changes).
/// Drops `values` on a thread of its own (inline when none can be started: the closure, and
/// the values with it, are then dropped here).
fn free_later<T: Send + 'static>(values: Vec<T>) {
    if !values.is_empty() {
        let _ = std::thread::Builder::new()
            .name("hearth-free".into())
            .spawn(move || drop(values));
    }
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The last few entries, newest first.
#[derive(Debug)]
pub struct Memo<T> {
    entries: Mutex<Vec<(Key, Arc<T>)>>,
    capacity: usize,
}

impl<T> Memo<T> {
    pub const fn new(capacity: usize) -> Self {
        Memo {
            entries: Mutex::new(Vec::new()),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Key, Arc<T>)>> {
        lock(&self.entries)
    }

    pub fn get(&self, key: &Key) -> Option<Arc<T>> {
        if BYPASS.load(Ordering::SeqCst) {
            return None;
        }
        let hit = self
            .lock()
            .iter()
            .find(|(k, _)| k.same(key))
            .map(|(_, v)| v.clone());
        if hit.is_some() {
            HITS.fetch_add(1, Ordering::SeqCst);
        }
        hit
    }

    /// Keeps `value` under `key` (replacing an entry of the same key), forgetting entries of
    /// snapshots no longer in use and the oldest beyond the capacity.
    /// What it forgets is freed on a thread of its own (a kept answer can be a million
    /// small allocations: the caller does not wait for them).
    pub fn put(&self, key: Key, value: Arc<T>)
    where
        T: Send + Sync + 'static,
    {
        let mut entries = self.lock();
        let mut forgotten: Vec<Arc<T>> = Vec::new();
        let mut kept = Vec::with_capacity(entries.len() + 1);
        kept.push((key, value));
        for (k, v) in entries.drain(..) {
            if k.alive() && !k.same(&kept[0].0) && kept.len() < self.capacity {
                kept.push((k, v));
            } else {
                forgotten.push(v);
            }
        }
        *entries = kept;
        drop(entries);
        free_later(forgotten);
    }
}

/// The newcomer list of a whole space (a window without a start or an end).
static NEWCOMERS: Memo<Vec<hearth_analysis::metrics::newcomers::Newcomer>> = Memo::new(4);
/// Lapsed lists (they depend on the space and the as-of moment only).
static LAPSED: Memo<Vec<hearth_analysis::metrics::lapsed::Lapsed>> = Memo::new(4);

/// [`newcomer_list`](hearth_analysis::metrics::newcomers::newcomer_list) of the loaded scope:
/// the list of the whole space, filtered by the window and seen from its end, when it is kept.
pub fn newcomer_list(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> Vec<hearth_analysis::metrics::newcomers::Newcomer> {
    let key = Key::of(loaded, 0, 0);
    if bypassed() {
        return hearth_analysis::metrics::newcomers::newcomer_list(cx);
    }
    // The list of the whole space serves every window: computed once, kept, filtered.
    let all = NEWCOMERS.get(&key).unwrap_or_else(|| {
        let whole = whole_space(loaded);
        let all = Arc::new(hearth_analysis::metrics::newcomers::newcomer_list(&whole));
        NEWCOMERS.put(key, all.clone());
        all
    });
    all.iter()
        .filter(|n| cx.window.contains(n.time))
        .map(|n| n.seen_at(cx.as_of()))
        .collect()
}

/// What `make` computes for the whole space of `loaded` (no start, no end), kept in `memo`
/// in a process that keeps them ([`keep_wholes`]): computed and kept when `cx` is that whole
/// space, taken when kept already; `None` for a window of it otherwise, which is then
/// computed on its own (the server's warm-up computes the whole space first).
fn kept_whole<T: Send + Sync + 'static>(
    memo: &Memo<T>,
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    make: impl FnOnce(&hearth_analysis::Context<'_>) -> T,
) -> Option<Arc<T>> {
    if bypassed() || cx.space != loaded.space || !KEEP_WHOLES.load(Ordering::SeqCst) {
        return None;
    }
    let key = Key::of(loaded, 0, 0);
    if let Some(kept) = memo.get(&key) {
        return Some(kept);
    }
    if cx.window != hearth_analysis::Window::default() {
        return None;
    }
    let whole = Arc::new(make(cx));
    memo.put(key, whole.clone());
    Some(whole)
}

/// The member threads of a whole space with their first responses.
static THREADS: Memo<Vec<hearth_analysis::metrics::first_response::ThreadFirst>> = Memo::new(2);

/// [`first_responses`](hearth_analysis::metrics::first_response::first_responses) of the
/// loaded scope: the threads of the whole space started in the window, each seen from the
/// window's end, when they are kept (see [`kept_whole`]).
pub fn member_threads(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> Vec<hearth_analysis::metrics::first_response::ThreadFirst> {
    use hearth_analysis::metrics::first_response::first_responses;
    let Some(all) = kept_whole(&THREADS, loaded, cx, first_responses) else {
        return first_responses(cx);
    };
    let as_of = cx.as_of();
    all.iter()
        .filter(|t| cx.window.contains(t.start))
        .map(|t| t.seen_at(as_of))
        .collect()
}

/// The monthly series of a whole space.
static MONTHS: Memo<Vec<hearth_analysis::metrics::series::SeriesRow>> = Memo::new(2);

/// The monthly [`series`](hearth_analysis::metrics::series) of the loaded scope, with
/// `threads` its [`member_threads`]: the months wholly inside the window are the whole
/// space's when they are kept; the one or two it cuts are computed (see
/// [`series_cut`](hearth_analysis::metrics::series::series_cut)).
pub fn monthly_series(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    threads: &[hearth_analysis::metrics::first_response::ThreadFirst],
) -> Vec<hearth_analysis::metrics::series::SeriesRow> {
    use hearth_analysis::Period;
    use hearth_analysis::metrics::series::{series_cut, series_of};
    // The whole space's threads are the scope's own when it is the whole space.
    let whole = kept_whole(&MONTHS, loaded, cx, |whole| {
        series_of(whole, Period::Month, threads)
    });
    match whole {
        Some(whole) => series_cut(cx, Period::Month, threads, &whole),
        None => series_of(cx, Period::Month, threads),
    }
}

/// The messages of a whole space that name something (stored measures).
static MENTION_HITS: Memo<Vec<hearth_analysis::social::mentions::Hit>> = Memo::new(2);

/// [`mentions_stored`](hearth_analysis::social::mentions::mentions_stored) of the scope of
/// `cx` (a window of the loaded space, the loaded rules' `brand`): counted from the stretch
/// of the whole space's hits inside the window when they are kept.
pub fn mentions_stored(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    brand: &hearth_model::BrandRules,
) -> hearth_analysis::social::mentions::Mentions {
    use hearth_analysis::social::mentions;
    match kept_whole(&MENTION_HITS, loaded, cx, mentions::stored_hits) {
        Some(hits) => mentions::mentions_cut(cx, brand, &hits),
        None => mentions::mentions_stored(cx, brand),
    }
}

/// The answers by members of a whole space, for the helpers of its windows.
static ANSWERS: Memo<Vec<hearth_analysis::metrics::helpers::Answer>> = Memo::new(2);

/// [`helpers`](hearth_analysis::metrics::helpers::helpers) of the loaded scope: counted from
/// the stretch of the whole space's answers inside the window when they are kept.
pub fn helpers(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    limit: usize,
) -> Vec<hearth_analysis::metrics::helpers::Helper> {
    use hearth_analysis::metrics::helpers;
    match kept_whole(&ANSWERS, loaded, cx, helpers::answers) {
        Some(whole) => helpers::helpers_cut(cx, limit, &whole),
        None => helpers::helpers(cx, limit),
    }
}

/// The messages of a whole space addressed to the brand, with the brand's first responses.
static ADDRESSED: Memo<Vec<hearth_analysis::social::response::Addressed>> = Memo::new(2);

/// The [`addressed_all`](hearth_analysis::social::response::addressed_all) of the loaded
/// space when kept (see [`kept_whole`]): the social side's responses of any window are a
/// stretch of it.
pub fn addressed(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> Option<Arc<Vec<hearth_analysis::social::response::Addressed>>> {
    kept_whole(
        &ADDRESSED,
        loaded,
        cx,
        hearth_analysis::social::response::addressed_all,
    )
}

/// The (day, member) pairs of a whole space, for the activity of its windows.
static DAY_PAIRS: Memo<Vec<hearth_analysis::metrics::activity::DayPair>> = Memo::new(2);

/// [`activity`](hearth_analysis::metrics::activity::activity) of the loaded scope: from the
/// stretch of the whole space's (day, member) pairs inside a window of whole days when they
/// are kept.
pub fn activity(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> hearth_analysis::metrics::activity::Activity {
    use hearth_analysis::metrics::activity;
    kept_whole(&DAY_PAIRS, loaded, cx, |whole| activity::day_pairs(whole).0)
        .and_then(|whole| activity::activity_cut(cx, &whole))
        .unwrap_or_else(|| activity::activity(cx))
}

/// The lapsed index of a whole space (a scope without an end), which gives the lapsed list
/// at any as-of moment.
static LAPSED_INDEXES: Memo<hearth_analysis::metrics::lapsed::Index> = Memo::new(2);

/// [`lapsed`](hearth_analysis::metrics::lapsed::lapsed) of the loaded scope, kept by space and
/// as-of moment; a list of another end is a cut of the space's index when that is kept.
pub fn lapsed(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    limit: usize,
) -> Arc<Vec<hearth_analysis::metrics::lapsed::Lapsed>> {
    use hearth_analysis::metrics::lapsed::{Index, lapsed_with};
    let key = Key::of(loaded, cx.as_of(), limit as u64);
    if let Some(hit) = LAPSED.get(&key) {
        return hit;
    }
    let index_key = Key::of(loaded, 0, 0);
    let index = match LAPSED_INDEXES.get(&index_key) {
        Some(index) => Some(index),
        None if bypassed() => None,
        None => {
            // The index of the whole space serves every end up to the data's: built once, kept.
            let index = Arc::new(Index::new(&whole_space(loaded), None));
            LAPSED_INDEXES.put(index_key, index.clone());
            Some(index)
        }
    };
    let list = Arc::new(
        index
            .and_then(|index| lapsed_with(cx, &index, limit))
            // Without one, or for an end after the data's: an index of its own (it covers
            // its own scope).
            .unwrap_or_else(|| lapsed_with(cx, &Index::new(cx, None), limit).unwrap_or_default()),
    );
    LAPSED.put(key, list.clone());
    list
}
