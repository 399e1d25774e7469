//! Computed answers, kept while what they were computed from stays the same.
//!
//! An answer's *stamp* is the store's generation (bumped by every data write transaction:
//! ingest batches and files, merges, splits), the id of the newest audit-log entry (every
//! queue decision writes one in its own transaction) and `hearth.toml`'s modification time and
//! size. A request computes its stamp (two indexed reads and a `stat`):
//! - an answer with the same key and stamp, younger than `MAX_AGE`, is served as it is;
//! - an answer of an older *generation* or older than `MAX_AGE`, but with the same queue
//!   decisions and rules and computed less than `MAX_STALE` ago, is served at once while the
//!   new one is computed in the background (one computation per key at a time): during an
//!   ingest readers keep getting the last committed numbers instead of queueing behind each
//!   new batch;
//! - otherwise (the first request, or queue state or rules changed) the request computes the
//!   answer and waits for it, and so do the others for that key meanwhile: a change of queue
//!   state or rules is never answered stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Answers are recomputed at least this often (snoozes end).
pub const MAX_AGE: Duration = Duration::from_secs(300);
/// An answer stands in for a newer one during its computation only this long after it was
/// computed.
pub const MAX_STALE: Duration = Duration::from_secs(600);
/// At most this many keys are kept; past it the least recently computed half is dropped.
pub const MAX_KEYS: usize = 512;

/// What an answer depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub generation: i64,
    pub last_change: i64,
    pub config: (i128, u64),
}

impl Stamp {
    /// The part of the stamp the report depends on (not queue decisions).
    pub fn data_only(self) -> Stamp {
        Stamp {
            last_change: 0,
            ..self
        }
    }

    /// A strong ETag for an answer with this stamp and key.
    pub fn etag(self, key: &str) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes().chain(format!("{:?}", self.config).bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("\"g{}-c{}-{h:016x}\"", self.generation, self.last_change)
    }

    /// May an answer with stamp `self` stand in for one with `newer` while it is computed?
    fn may_stand_in_for(self, newer: Stamp) -> bool {
        self.generation <= newer.generation
            && self.last_change == newer.last_change
            && self.config == newer.config
    }
}

/// A computed answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: axum::body::Bytes,
    pub content_type: &'static str,
    pub etag: String,
    /// The body parsed, once, for answers served a page at a time.
    pub parsed: Arc<std::sync::OnceLock<serde_json::Value>>,
    /// The typed value the body was made from, for the server's own pages (the queue's items):
    /// read as it is, never parsed back from the body.
    pub typed: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

impl Answer {
    pub fn new(body: axum::body::Bytes, content_type: &'static str, etag: String) -> Answer {
        Answer {
            body,
            content_type,
            etag,
            parsed: Arc::default(),
            typed: None,
        }
    }

    /// The body as JSON (parsed the first time it is asked for).
    pub fn json(&self) -> &serde_json::Value {
        self.parsed
            .get_or_init(|| serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null))
    }
}

type Slot = Arc<tokio::sync::OnceCell<Answer>>;

#[derive(Debug, Default)]
struct Entry {
    /// The newest answer computed, with its stamp and when.
    latest: Option<(Stamp, Instant, Answer)>,
    /// The computation under way, for this stamp.
    inflight: Option<(Stamp, Slot)>,
}

#[derive(Debug, Default)]
pub struct Cache {
    entries: Mutex<HashMap<String, Entry>>,
    /// Answers computed since the server started.
    computed: std::sync::atomic::AtomicU64,
    /// How many times the cache was emptied ([`Cache::clear`]).
    cleared: std::sync::atomic::AtomicU64,
}

enum Plan {
    Serve(Answer),
    Refresh(Answer, Slot),
    Wait(Slot),
    Compute(Slot),
}

impl Cache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        match self.entries.lock() {
            Ok(e) => e,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Records a finished computation.
    fn finish(&self, key: String, stamp: Stamp, answer: Option<&Answer>) {
        if answer.is_some() {
            self.computed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let mut entries = self.lock();
        let e = entries.entry(key).or_default();
        if e.inflight.as_ref().is_some_and(|(s, _)| *s == stamp) {
            e.inflight = None;
        }
        if let Some(a) = answer
            && e.latest
                .as_ref()
                .is_none_or(|(s, _, _)| s.generation <= stamp.generation)
        {
            e.latest = Some((stamp, Instant::now(), a.clone()));
        }
    }

    /// The answer for `key` at `stamp`, computing it with `compute` when there is none. With
    /// `wait_fresh`, an older answer never stands in: the caller waits for this stamp's (the
    /// warm-up, which must leave a computed answer behind).
    pub async fn get_or_compute<F, Fut, E>(
        self: &Arc<Self>,
        key: String,
        stamp: Stamp,
        wait_fresh: bool,
        compute: F,
    ) -> Result<Answer, E>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<Answer, E>> + Send + 'static,
        E: Send + 'static,
    {
        let plan = {
            let mut entries = self.lock();
            if entries.len() >= MAX_KEYS && !entries.contains_key(&key) {
                let mut ages: Vec<Instant> = entries
                    .values()
                    .filter_map(|e| e.latest.as_ref().map(|l| l.1))
                    .collect();
                ages.sort_unstable();
                if let Some(cut) = ages.get(ages.len() / 2).copied() {
                    entries.retain(|_, e| {
                        e.inflight.is_some() || e.latest.as_ref().is_some_and(|l| l.1 > cut)
                    });
                }
            }
            let now = Instant::now();
            let e = entries.entry(key.clone()).or_default();
            let fresh = e
                .latest
                .as_ref()
                .filter(|(s, at, _)| *s == stamp && now.duration_since(*at) < MAX_AGE)
                .map(|l| l.2.clone());
            let stand_in = e
                .latest
                .as_ref()
                .filter(|(s, at, _)| {
                    !wait_fresh && s.may_stand_in_for(stamp) && now.duration_since(*at) < MAX_STALE
                })
                .map(|l| l.2.clone());
            let running = e
                .inflight
                .as_ref()
                .filter(|(s, _)| *s == stamp)
                .map(|(_, slot)| slot.clone());
            match (fresh, stand_in, running) {
                (Some(a), _, _) => Plan::Serve(a),
                (None, Some(a), Some(_)) => Plan::Serve(a),
                // One computation per key at a time: while an older stamp's runs, its
                // stand-in is served, and the next request after it starts the new one.
                (None, Some(a), None) if e.inflight.is_some() => Plan::Serve(a),
                (None, Some(a), None) => {
                    let slot: Slot = Arc::default();
                    e.inflight = Some((stamp, slot.clone()));
                    Plan::Refresh(a, slot)
                }
                (None, None, Some(slot)) => Plan::Wait(slot),
                (None, None, None) => {
                    let slot: Slot = Arc::default();
                    e.inflight = Some((stamp, slot.clone()));
                    Plan::Compute(slot)
                }
            }
        };
        match plan {
            Plan::Serve(a) => Ok(a),
            Plan::Refresh(a, slot) => {
                let cache = self.clone();
                tokio::spawn(async move {
                    let result = slot.get_or_try_init(compute).await.cloned();
                    cache.finish(key, stamp, result.as_ref().ok());
                });
                Ok(a)
            }
            Plan::Wait(slot) => slot.get_or_try_init(compute).await.cloned(),
            Plan::Compute(slot) => {
                let result = slot.get_or_try_init(compute).await.cloned();
                self.finish(key, stamp, result.as_ref().ok());
                result
            }
        }
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.lock().clear();
        self.cleared
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Answers computed since the server started.
    pub fn computed(&self) -> u64 {
        self.computed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many times the cache was emptied.
    pub fn cleared(&self) -> u64 {
        self.cleared.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(s: &str) -> Answer {
        Answer::new(
            axum::body::Bytes::copy_from_slice(s.as_bytes()),
            "text/plain",
            s.to_owned(),
        )
    }

    fn stamp(generation: i64, last_change: i64) -> Stamp {
        Stamp {
            generation,
            last_change,
            config: (0, 0),
        }
    }

    async fn ask(cache: &Arc<Cache>, s: Stamp, what: &'static str) -> String {
        let got: Result<Answer, ()> = cache
            .get_or_compute(
                "k".into(),
                s,
                false,
                move || async move { Ok(answer(what)) },
            )
            .await;
        got.map(|a| a.etag).unwrap_or_default()
    }

    #[tokio::test]
    async fn a_new_generation_is_served_from_the_last_one_while_it_is_computed() {
        let cache = Arc::new(Cache::default());
        assert_eq!(ask(&cache, stamp(1, 0), "g1").await, "g1");
        // Same stamp: served, not computed.
        assert_eq!(ask(&cache, stamp(1, 0), "never").await, "g1");
        // Generation 2: the last answer at once, the new one computed in the background.
        let (finish_tx, finish_rx) = tokio::sync::oneshot::channel::<()>();
        let got: Result<Answer, ()> = cache
            .get_or_compute("k".into(), stamp(2, 0), false, || async move {
                let _ = finish_rx.await;
                Ok(answer("g2"))
            })
            .await;
        assert_eq!(got.map(|a| a.etag).ok().as_deref(), Some("g1"));
        // While it runs, still the last one (and no second computation).
        assert_eq!(ask(&cache, stamp(2, 0), "never").await, "g1");
        let _ = finish_tx.send(());
        for _ in 0..100 {
            if ask(&cache, stamp(2, 0), "never").await == "g2" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("generation 2 was never served");
    }

    #[tokio::test]
    async fn the_warm_up_waits_for_the_new_generation() {
        let cache = Arc::new(Cache::default());
        assert_eq!(ask(&cache, stamp(1, 0), "g1").await, "g1");
        let got: Result<Answer, ()> = cache
            .get_or_compute(
                "k".into(),
                stamp(2, 0),
                true,
                || async move { Ok(answer("g2")) },
            )
            .await;
        assert_eq!(got.map(|a| a.etag).ok().as_deref(), Some("g2"));
        // Left behind for the next request.
        assert_eq!(ask(&cache, stamp(2, 0), "never").await, "g2");
        assert_eq!(cache.computed(), 2);
    }

    #[tokio::test]
    async fn a_queue_decision_is_never_answered_stale() {
        let cache = Arc::new(Cache::default());
        assert_eq!(ask(&cache, stamp(1, 1), "before").await, "before");
        assert_eq!(ask(&cache, stamp(1, 2), "after").await, "after");
        // Nor are other rules.
        let other_rules = Stamp {
            config: (1, 1),
            ..stamp(1, 2)
        };
        assert_eq!(ask(&cache, other_rules, "new rules").await, "new rules");
    }
}
