//! Answers kept in the process for the resolved snapshot they were computed from.
//!
//! Some parts of an answer depend on the space and the as-of moment but not on where the
//! window starts (a brand message's class in the role audit, an inbound item's routing).
//! Computed once for a window without a start, they answer every window of that space and end
//! by filtering, which is how the dashboard serves a window of its own in milliseconds after
//! the default scope was computed ahead.
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
static HITS: AtomicU64 = AtomicU64::new(0);

/// Tests only: with `true`, nothing kept is read (every answer is computed in full), so a
/// test can compare both ways.
pub fn bypass(on: bool) {
    BYPASS.store(on, Ordering::SeqCst);
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
        match self.entries.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
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
    pub fn put(&self, key: Key, value: Arc<T>) {
        let mut entries = self.lock();
        entries.retain(|(k, _)| k.alive() && !k.same(&key));
        entries.insert(0, (key, value));
        entries.truncate(self.capacity);
    }
}

/// Newcomer lists of windows without a start (every newcomer of the space up to the as-of
/// moment).
static NEWCOMERS: Memo<Vec<hearth_analysis::metrics::newcomers::Newcomer>> = Memo::new(4);
/// Lapsed lists (they depend on the space and the as-of moment only).
static LAPSED: Memo<Vec<hearth_analysis::metrics::lapsed::Lapsed>> = Memo::new(4);

/// [`newcomer_list`](hearth_analysis::metrics::newcomers::newcomer_list) of the loaded scope:
/// the list of the window without a start, filtered, when it is kept.
pub fn newcomer_list(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
) -> Vec<hearth_analysis::metrics::newcomers::Newcomer> {
    let key = Key::of(loaded, cx.as_of(), 0);
    if let Some(all) = NEWCOMERS.get(&key) {
        return all
            .iter()
            .filter(|n| cx.window.contains(n.time))
            .copied()
            .collect();
    }
    let list = hearth_analysis::metrics::newcomers::newcomer_list(cx);
    if cx.window.since.is_none() {
        NEWCOMERS.put(key, Arc::new(list.clone()));
    }
    list
}

/// [`lapsed`](hearth_analysis::metrics::lapsed::lapsed) of the loaded scope, kept by space and
/// as-of moment.
pub fn lapsed(
    loaded: &Loaded,
    cx: &hearth_analysis::Context<'_>,
    limit: usize,
) -> Arc<Vec<hearth_analysis::metrics::lapsed::Lapsed>> {
    let key = Key::of(loaded, cx.as_of(), limit as u64);
    if let Some(hit) = LAPSED.get(&key) {
        return hit;
    }
    let list = Arc::new(hearth_analysis::metrics::lapsed::lapsed(cx, limit));
    LAPSED.put(key, list.clone());
    list
}
